//! The external URLs a brief links to, and where: each source's links (its URL and DOI) and
//! the links in the text.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::html::{attribute_values, is_web_url};
use crate::load::Project;
use crate::render::Site;
use crate::resolve::ResolvedDocument;

/// One external URL and everything that links to it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkTarget {
    pub url: String,
    /// Keys of the sources whose entry gives this URL.
    pub sources: Vec<String>,
    /// Where the Markdown links to it.
    pub places: Vec<Place>,
    /// Site pages whose text links to it.
    pub pages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// Every external URL of the brief, sorted. The archive.org copies the site offers beside each
/// source are not included: they are fallbacks we generate, not claims the author made.
pub fn link_targets(
    project: &Project,
    resolved: &ResolvedDocument,
    site: &Site,
) -> Vec<LinkTarget> {
    let mut targets: BTreeMap<String, LinkTarget> = BTreeMap::new();
    let entries = &resolved.citations.entries;
    for entry in entries {
        for url in entry.links.iter().filter(|url| is_web_url(url)) {
            let target = targets.entry(url.clone()).or_default();
            target.url = url.clone();
            target.sources.push(entry.key.clone());
        }
    }
    let generated: BTreeSet<&str> = entries
        .iter()
        .flat_map(|entry| entry.archive.as_deref())
        .chain(resolved.document.meta.base_url.as_deref())
        .collect();
    let own_site = resolved.document.meta.base_url.as_deref();
    for (page, bytes) in &site.files {
        // The audit page repeats the sources' links; the 404 page holds only the site's own.
        if !page.ends_with(".html") || page == "audit/index.html" || page == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in attribute_values(&html, "href") {
            if !is_web_url(&href)
                || generated.contains(href.as_str())
                || own_site.is_some_and(|base| href.starts_with(base))
                || targets.get(&href).is_some_and(|t| !t.sources.is_empty())
            {
                continue;
            }
            let target = targets.entry(href.clone()).or_default();
            target.url = href;
            if !target.pages.contains(page) {
                target.pages.push(page.clone());
            }
        }
    }
    for target in targets.values_mut().filter(|t| !t.pages.is_empty()) {
        target.places = places_in_markdown(project, &target.url);
    }
    targets.into_values().collect()
}

/// Where `url` is written in the brief's Markdown files.
fn places_in_markdown(project: &Project, url: &str) -> Vec<Place> {
    let mut places = Vec::new();
    for file in std::iter::once(&project.index).chain(&project.sections) {
        for (offset, _) in file.text.match_indices(url) {
            let (line, column) = file.line_col(offset);
            places.push(Place {
                file: file.name.clone(),
                line,
                column,
            });
        }
    }
    places
}
