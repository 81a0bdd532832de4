//! The "Source audit" page: each source, what a reviewer should know about it (listed or not,
//! its links and what the last online check found, its same-author-year group), and every place
//! it is cited, with the sentence.

use std::collections::BTreeMap;

use super::audit_sentence::{sentence_html, CitationPlaces};
use super::page::Pages;
use super::site::RenderedPage;
use super::{discovery, BriefContext};
use crate::diagnostic::Diagnostics;
use crate::resolve::ResolvedDocument;
use serde::Serialize;

/// Where the page is written.
pub(super) const AUDIT_PAGE: &str = "audit/index.html";

#[derive(Serialize)]
struct AuditContext<'a> {
    citations: usize,
    sources: Vec<AuditSource<'a>>,
}

#[derive(Serialize)]
struct AuditSource<'a> {
    key: &'a str,
    html: &'a str,
    links: Vec<AuditLink<'a>>,
    listed: bool,
    /// "Reuters, 2025: 2025a, 2025b, 2025c".
    group: Option<String>,
    places: Vec<Place<'a>>,
    /// For the table at the top: the worst of the links' statuses, in words.
    link_summary: String,
}

/// A place a source is cited: the occurrence, and its sentence rendered with the citation marked.
#[derive(Serialize)]
struct Place<'a> {
    #[serde(flatten)]
    occurrence: &'a crate::audit::Occurrence,
    sentence_html: String,
}

/// One of a source's links and what the last online check found.
#[derive(Serialize)]
struct AuditLink<'a> {
    url: &'a str,
    /// `ok`, `dead`… for styling; none before any check.
    status: Option<&'static str>,
    /// "worked when checked on 2026-11-27".
    said: String,
    /// Where redirects led, when elsewhere and safe to link.
    final_url: Option<&'a str>,
}

/// The "Source audit" page: each source, what a reviewer should know, every place it is cited.
pub(super) fn render_audit(
    pages: &Pages<'_>,
    resolved: &ResolvedDocument,
    brief: &BriefContext<'_>,
) -> Result<RenderedPage, Diagnostics> {
    let occurrences = crate::audit::occurrences(resolved);
    let mut places_of: BTreeMap<&str, Vec<&crate::audit::Occurrence>> = BTreeMap::new();
    for occurrence in &occurrences {
        places_of
            .entry(occurrence.key.as_str())
            .or_default()
            .push(occurrence);
    }
    let groups = crate::audit::ambiguous_groups(resolved);
    let mut group_of: BTreeMap<&str, String> = BTreeMap::new();
    for group in &groups {
        let letters: Vec<&str> = group
            .members
            .iter()
            .map(|(_, year)| year.as_str())
            .collect();
        let label = format!("{} ({})", group.label, letters.join(", "));
        for (key, _) in &group.members {
            group_of
                .entry(key.as_str())
                .or_insert_with(|| label.clone());
        }
    }
    let citation_places = CitationPlaces::new(resolved);
    let entries = &resolved.citations.entries;
    // Each source's facts and citing sentences on every core: this page holds every citation.
    let sources = crate::parallel::map(entries.len(), |i| {
        let entry = &entries[i];
        AuditSource {
            key: &entry.key,
            html: &entry.html,
            links: entry
                .links
                .iter()
                .map(|url| {
                    let known = crate::links::known_status(
                        url,
                        &pages.project.links,
                        &resolved.link_exclusions,
                    );
                    let final_url = match known {
                        crate::links::Known::Checked(result) => result
                            .final_url
                            .as_deref()
                            .filter(|f| f != url && crate::html::is_web_url(f)),
                        _ => None,
                    };
                    AuditLink {
                        url,
                        status: known.status().map(|s| s.as_str()),
                        said: known.describe(),
                        final_url,
                    }
                })
                .collect(),
            listed: entry.listed,
            group: group_of.get(entry.key.as_str()).cloned(),
            places: places_of
                .get(entry.key.as_str())
                .map(|places| places.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|&occurrence| Place {
                    occurrence,
                    sentence_html: sentence_html(resolved, &citation_places, occurrence),
                })
                .collect(),
            link_summary: String::new(),
        }
    });
    let mut sources: Vec<AuditSource<'_>> = sources;
    for source in &mut sources {
        source.link_summary = link_summary(&source.links);
    }
    let audit = AuditContext {
        citations: occurrences.len(),
        sources,
    };
    let meta = &resolved.document.meta;
    let authors = &resolved.citations.self_citation.authors;
    let head = discovery::head(meta, "audit/", authors, &resolved.citations.entries, false);
    let mut context = pages.context("audit.html");
    context.insert("brief", brief);
    context.insert("root", "../");
    context.insert("audit", &audit);
    context.insert("head", &head);
    pages.render(context, AUDIT_PAGE)
}

/// One phrase for the table: "none", "not checked", "works", "dead (1 of 2)".
fn link_summary(links: &[AuditLink<'_>]) -> String {
    if links.is_empty() {
        return "no link".to_string();
    }
    let bad = links
        .iter()
        .filter(|l| matches!(l.status, Some("dead") | Some("error")))
        .count();
    if bad > 0 {
        return format!("broken ({bad} of {})", links.len());
    }
    if links.iter().all(|l| l.status.is_none()) {
        return "not checked online".to_string();
    }
    "works".to_string()
}
