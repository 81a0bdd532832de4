//! `brief check`: `build` without writing, then a reviewer's audit. It reports every citation
//! and source, and every problem: unknown or duplicate keys and broken figures (the build's
//! errors); sources without a link, listed but uncited, or cited but unlisted; same-author-year
//! groups with their letters; internal links and anchors in the pages the build would write; and
//! URLs that are not http(s).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

mod text;

pub use text::render_text;

use crate::audit::{self, AmbiguousGroup, Occurrence};
use crate::diagnostic::{Diagnostic, Severity};
use crate::html::{attribute_values, is_web_url};
use crate::links::{self, Exclusions, LinkCache, LinkStatus, LinkTarget, OnlineOptions, Place};
use crate::render::Site;
use crate::resolve::ResolvedDocument;
use crate::{load, parse, render, resolve};

/// What `check` does beyond the offline audit.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check every external link over HTTP (needs the `online` feature).
    pub online: Option<OnlineOptions>,
}

/// Everything `check` found: stable, documented in the README, for CI.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Bumped when a field changes meaning.
    pub version: u32,
    /// Whether this run checked links over HTTP (`--online`); otherwise link statuses are the
    /// cache's, from earlier runs, and raise no problems.
    pub online: bool,
    pub citations: Vec<Occurrence>,
    pub sources: Vec<SourceReport>,
    /// Every external URL: the sources' links and the links in the text.
    pub links: Vec<LinkReport>,
    pub ambiguous: Vec<AmbiguousGroup>,
    pub problems: Vec<Problem>,
    pub summary: Summary,
    /// The brief could not even be read (no `content/`, no metadata): a configuration error.
    #[serde(skip)]
    pub unreadable: bool,
}

#[derive(Debug, Serialize)]
pub struct SourceReport {
    pub key: String,
    /// The formatted reference, plain text.
    pub entry: String,
    pub urls: Vec<String>,
    /// In the author's own reference list.
    pub listed: bool,
    /// How many times the text cites it.
    pub cited: usize,
    /// The worst status among its links (see [`LinkReport::status`]); null before any check.
    pub status: Option<LinkStatus>,
    /// Where its first link leads after redirects.
    pub final_url: Option<String>,
    /// The oldest check among its links.
    pub checked_at: Option<String>,
}

/// One external URL, where it is linked from, and what the last online check found.
#[derive(Debug, Serialize)]
pub struct LinkReport {
    pub url: String,
    /// Keys of the sources that give it.
    pub sources: Vec<String>,
    /// Where the Markdown links to it.
    pub places: Vec<Place>,
    /// Site pages whose text links to it.
    pub pages: Vec<String>,
    /// `ok`, `redirected`, `blocked` (401/403/429: the host refuses robots), `timeout`, `error`
    /// (no HTTP answer), `dead` (an error status), `excluded`; null when never checked.
    pub status: Option<LinkStatus>,
    /// The last HTTP status code.
    pub code: Option<u16>,
    pub final_url: Option<String>,
    /// "404 Not Found", "Connection refused"…
    pub detail: Option<String>,
    /// RFC 3339, UTC.
    pub checked_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    /// `error`, `warning` or `note` (notes never fail a check).
    pub severity: &'static str,
    /// A stable name: `unknown-key`, `no-link`, `uncited`, `unlisted`, `ambiguous`,
    /// `broken-link`, `broken-anchor`, `unsafe-url`, `build-error`…
    pub kind: String,
    pub message: String,
    pub key: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hint: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub citations: usize,
    pub sources: usize,
    pub links: usize,
    /// Links checked over HTTP in this run (the others came from the cache).
    pub links_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// The PDF's pages; null when the build writes no PDF (`pdf: false`) or could not read the
    /// brief.
    pub pdf_pages: Option<usize>,
}

impl Problem {
    fn from_diagnostic(diagnostic: &Diagnostic) -> Problem {
        let location = diagnostic
            .location
            .as_ref()
            .map(|(file, span)| (file.name.clone(), file.line_col(span.start)));
        let key = diagnostic.message.split('`').nth(1).map(str::to_string);
        Problem {
            severity: match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            kind: diagnostic
                .code
                .unwrap_or(if diagnostic.severity == Severity::Error {
                    "build-error"
                } else {
                    "warning"
                })
                .to_string(),
            message: diagnostic.message.clone(),
            key,
            file: location.as_ref().map(|(name, _)| name.clone()),
            line: location.as_ref().map(|(_, (line, _))| *line),
            column: location.as_ref().map(|(_, (_, column))| *column),
            hint: diagnostic.hint.clone(),
        }
    }

    fn general(severity: &'static str, kind: &str, message: String, hint: &str) -> Problem {
        Problem {
            severity,
            kind: kind.to_string(),
            message,
            key: None,
            file: None,
            line: None,
            column: None,
            hint: Some(hint.to_string()),
        }
    }

    fn page(severity: &'static str, kind: &str, page: &str, message: String) -> Problem {
        Problem {
            severity,
            kind: kind.to_string(),
            message,
            key: None,
            file: Some(page.to_string()),
            line: None,
            column: None,
            hint: None,
        }
    }
}

/// Runs the pipeline on the brief in `root` without writing anything, and audits it.
pub fn check(root: &Path, options: &CheckOptions) -> Report {
    let mut problems = Vec::new();
    let mut unreadable = false;
    let outcome = (|| {
        let project = if root.is_file() {
            load::load_single(root)
        } else {
            load::load(root)
        };
        let mut project = project.inspect_err(|_| unreadable = true)?;
        // A check writes nothing of its own (only `--online` keeps what it learned about links),
        // so it formats citations afresh rather than touch the build's cache.
        project.cache = None;
        let document = parse::parse(&project)?;
        let resolved = resolve::resolve(&project, document)?;
        let pdf = crate::pdf::typeset(&resolved)?;
        let link = crate::pdf::link_before_typesetting(&resolved);
        let mut site = render::render(&project, &resolved, link.as_ref(), None)?;
        if let Some(pdf) = &pdf {
            crate::pdf::add_to_site(pdf, &mut site)?;
        }
        Ok::<_, crate::diagnostic::Diagnostics>((project, resolved, site, pdf))
    })();
    let mut links_checked = 0;
    let (citations, sources, links, ambiguous) = match &outcome {
        Ok((project, resolved, site, pdf)) => {
            problems.extend(resolved.warnings.iter().map(Problem::from_diagnostic));
            if let Some(pdf) = pdf {
                problems.extend(pdf.warnings.iter().map(Problem::from_diagnostic));
            }
            let ambiguous = audit::ambiguous_groups(resolved);
            problems.extend(ambiguous.iter().map(|group| Problem {
                severity: "note",
                kind: "ambiguous".to_string(),
                message: format!(
                        "{} is {} sources, told apart as {}",
                        group.label,
                        group.members.len(),
                        group
                            .members
                            .iter()
                            .map(|(key, year)| format!("{year} (`{key}`)"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                key: None,
                file: None,
                line: None,
                column: None,
                hint: Some("check that each citation names the article it means".to_string()),
            }));
            problems.extend(internal_links(site));
            problems.extend(unsafe_urls(resolved));
            let targets = links::link_targets(project, resolved, site);
            let mut cache = LinkCache::read(&project.root).unwrap_or_else(|error| {
                problems.push(Problem::general(
                    "warning",
                    "link-cache",
                    error,
                    "delete it: the next `check --online` writes a new one",
                ));
                LinkCache::default()
            });
            let exclusions = &resolved.link_exclusions;
            if let Some(online) = &options.online {
                let urls: Vec<String> = targets
                    .iter()
                    .map(|target| target.url.clone())
                    .filter(|url| !exclusions.excludes(url))
                    .collect();
                match check_online(&urls, &mut cache, online)
                    .and_then(|checked| cache.write(&project.root).map(|()| checked))
                {
                    Ok(checked) => links_checked = checked,
                    Err(error) => problems.push(Problem::general(
                        "error",
                        "link-check",
                        error,
                        "the offline checks above still hold",
                    )),
                }
            }
            let links: Vec<LinkReport> = targets
                .iter()
                .map(|target| link_report(target, &cache, exclusions))
                .collect();
            if options.online.is_some() {
                problems.extend(links.iter().flat_map(link_problems));
            }
            (
                audit::occurrences(resolved),
                source_reports(resolved, &links),
                links,
                ambiguous,
            )
        }
        Err(diagnostics) => {
            problems.extend(diagnostics.0.iter().map(Problem::from_diagnostic));
            (Vec::new(), Vec::new(), Vec::new(), Vec::new())
        }
    };
    let count = |severity: &str| problems.iter().filter(|p| p.severity == severity).count();
    let summary = Summary {
        citations: citations.len(),
        sources: sources.len(),
        links: links.len(),
        links_checked,
        errors: count("error"),
        warnings: count("warning"),
        notes: count("note"),
        pdf_pages: outcome
            .as_ref()
            .ok()
            .and_then(|(_, _, _, pdf)| pdf.as_ref().map(|p| p.pages)),
    };
    Report {
        version: 1,
        online: options.online.is_some(),
        citations,
        sources,
        links,
        ambiguous,
        problems,
        summary,
        unreadable,
    }
}

#[cfg(feature = "online")]
fn check_online(
    urls: &[String],
    cache: &mut LinkCache,
    options: &OnlineOptions,
) -> Result<usize, String> {
    links::online::check_links(urls, cache, options)
}

#[cfg(not(feature = "online"))]
fn check_online(_: &[String], _: &mut LinkCache, _: &OnlineOptions) -> Result<usize, String> {
    Err(ONLINE_MISSING.to_string())
}

/// What a `brief` built without the `online` feature says to `--online`.
pub const ONLINE_MISSING: &str = "this `brief` was built without online link checking; \
     install it with `cargo install --path . --features online`";

fn link_report(target: &LinkTarget, cache: &LinkCache, exclusions: &Exclusions) -> LinkReport {
    let known = links::known_status(&target.url, cache, exclusions);
    let result = match known {
        links::Known::Checked(result) => Some(result),
        _ => None,
    };
    LinkReport {
        url: target.url.clone(),
        sources: target.sources.clone(),
        places: target.places.clone(),
        pages: target.pages.clone(),
        status: known.status(),
        code: result.and_then(|r| r.code),
        final_url: result.and_then(|r| r.final_url.clone()),
        detail: result.map(|r| r.detail.clone()).filter(|d| !d.is_empty()),
        checked_at: result.map(|r| r.checked_at.clone()),
    }
}

/// The problems one link's check raises: dead links fail the check; timeouts and unreachable
/// hosts are warnings, since a network can fail; hosts that refuse robots are notes.
fn link_problems(link: &LinkReport) -> Vec<Problem> {
    let detail = link.detail.clone().unwrap_or_default();
    let (severity, kind, message, hint) = match link.status {
        Some(LinkStatus::Dead) => (
            "error",
            "dead-link",
            format!("{} answers {detail}", link.url),
            "find where the page moved, or link an archived copy",
        ),
        Some(LinkStatus::Timeout) => (
            "warning",
            "link-timeout",
            format!("{} did not answer in time", link.url),
            "try again later or with a longer `--timeout`",
        ),
        Some(LinkStatus::Error) => (
            "warning",
            "unreachable-link",
            format!("{} could not be reached: {detail}", link.url),
            "check the host name; the site may be down",
        ),
        Some(LinkStatus::Blocked) => (
            "note",
            "blocked-link",
            format!("{} refused the automated check ({detail})", link.url),
            "the host blocks robots; open the link in a browser to confirm it works",
        ),
        _ => return Vec::new(),
    };
    let problem = |key: Option<&String>, place: Option<&Place>, page: Option<&String>| Problem {
        severity,
        kind: kind.to_string(),
        message: match key {
            Some(key) => format!("source `{key}`: {message}"),
            None => message.clone(),
        },
        key: key.cloned(),
        file: place.map(|p| p.file.clone()).or_else(|| page.cloned()),
        line: place.map(|p| p.line),
        column: place.map(|p| p.column),
        hint: Some(hint.to_string()),
    };
    let mut problems: Vec<Problem> = link
        .sources
        .iter()
        .map(|key| problem(Some(key), None, None))
        .collect();
    problems.extend(
        link.places
            .iter()
            .map(|place| problem(None, Some(place), None)),
    );
    if link.sources.is_empty() && link.places.is_empty() {
        problems.extend(
            link.pages
                .iter()
                .map(|page| problem(None, None, Some(page))),
        );
    }
    problems
}

fn source_reports(resolved: &ResolvedDocument, links: &[LinkReport]) -> Vec<SourceReport> {
    let mut citing: BTreeMap<&str, usize> = BTreeMap::new();
    for item in resolved.all_citations.iter().flat_map(|c| &c.items) {
        *citing.entry(item.key.as_str()).or_default() += 1;
    }
    // In the entry's own order: its URL first, then its DOI.
    let by_url: BTreeMap<&str, &LinkReport> =
        links.iter().map(|link| (link.url.as_str(), link)).collect();
    resolved
        .citations
        .entries
        .iter()
        .map(|entry| {
            let own: Vec<&LinkReport> = entry
                .links
                .iter()
                .filter_map(|url| by_url.get(url.as_str()).copied())
                .collect();
            SourceReport {
                key: entry.key.clone(),
                entry: entry.text.trim().to_string(),
                urls: entry.links.clone(),
                listed: entry.listed,
                cited: citing.get(entry.key.as_str()).copied().unwrap_or(0),
                status: own.iter().filter_map(|link| link.status).max(),
                final_url: own.first().and_then(|link| link.final_url.clone()),
                checked_at: own.iter().filter_map(|link| link.checked_at.clone()).min(),
            }
        })
        .collect()
}

/// Every `href` in the pages the build would write resolves to a file, and every `#anchor` to an
/// element of that page.
fn internal_links(site: &Site) -> Vec<Problem> {
    let pages: BTreeMap<&str, String> = site
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| (*path, attribute_values(html, "id").into_iter().collect()))
        .collect();
    let mut problems = Vec::new();
    for (page, html) in &pages {
        if *page == "404.html" {
            continue; // Its links start at the site's root, wherever it is served.
        }
        for href in attribute_values(html, "href") {
            let lower = href.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
            {
                continue;
            }
            if lower.contains(':') && !lower.starts_with('#') && lower.find(':') < lower.find('/') {
                problems.push(Problem::page(
                    "error",
                    "unsafe-url",
                    page,
                    format!("link `{href}` is not http(s), mailto or relative"),
                ));
                continue;
            }
            let (path, anchor) = href
                .split_once('#')
                .map_or((href.as_str(), None), |(p, a)| (p, Some(a)));
            let target = resolve_relative(page, path);
            let Some(target_ids) = (if target.ends_with(".html") {
                ids.get(target.as_str())
            } else {
                None
            }) else {
                if !site.files.contains_key(&target) {
                    problems.push(Problem::page(
                        "error",
                        "broken-link",
                        page,
                        format!("link `{href}` leads to no file ({target})"),
                    ));
                }
                continue;
            };
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                if !target_ids.contains(anchor) {
                    problems.push(Problem::page(
                        "error",
                        "broken-anchor",
                        page,
                        format!("link `{href}`: {target} has no element with id `{anchor}`"),
                    ));
                }
            }
        }
    }
    problems
}

/// `href` relative to the page at `page` ("state-of-play/index.html"), as a site path.
fn resolve_relative(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if href.is_empty() {
        return page.to_string();
    }
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    path
}

/// Reference URLs that are not http(s): they are shown, never linked.
fn unsafe_urls(resolved: &ResolvedDocument) -> Vec<Problem> {
    let mut problems = Vec::new();
    for entry in &resolved.citations.entries {
        let written = entry.text.split_whitespace().filter(|w| {
            w.contains("://") || w.starts_with("javascript:") || w.starts_with("data:")
        });
        for url in written {
            if !is_web_url(url) {
                problems.push(Problem {
                    severity: "warning",
                    kind: "unsafe-url".to_string(),
                    message: format!(
                        "source `{}` has a URL that is not http(s): {url}",
                        entry.key
                    ),
                    key: Some(entry.key.clone()),
                    file: None,
                    line: None,
                    column: None,
                    hint: Some("only http(s) URLs become links".to_string()),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_like_a_browser() {
        assert_eq!(
            resolve_relative("index.html", ""),
            "index.html",
            "an in-page #anchor"
        );
        assert_eq!(
            resolve_relative("index.html", "state-of-play/"),
            "state-of-play/index.html"
        );
        assert_eq!(resolve_relative("a/index.html", "../b/"), "b/index.html");
        assert_eq!(resolve_relative("a/index.html", "../"), "index.html");
        assert_eq!(
            resolve_relative("a/index.html", "../data/x.csv"),
            "data/x.csv"
        );
    }
}
