//! External links: which URLs a brief links to ([`targets`]), what the last online checks found
//! ([`cache`]), and, with the `online` feature, checking them over HTTP ([`online`]).

pub mod cache;
#[cfg(feature = "online")]
pub mod online;
pub mod targets;

use std::time::Duration;

pub use cache::{LinkCache, LinkResult, LinkStatus};
pub use targets::{link_targets, LinkTarget, Place};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::Document;

/// How `check --online` checks.
#[derive(Debug, Clone)]
pub struct OnlineOptions {
    /// Per request, retries included separately.
    pub timeout: Duration,
    /// Requests in flight at once, over all hosts.
    pub max_concurrency: usize,
    /// Successes younger than this are taken from the cache; failures are always checked again.
    pub max_age: Duration,
    /// Further attempts after a timeout, a 429 or a 5xx answer.
    pub retries: u64,
}

/// The brief's `link-check: exclude` patterns, compiled.
#[derive(Debug, Clone, Default)]
pub struct Exclusions(Vec<regex::Regex>);

impl Exclusions {
    /// Compiles the patterns in the brief's metadata; a bad one is an error at its place.
    pub fn from_document(document: &Document) -> Result<Exclusions, Diagnostics> {
        let mut patterns = Vec::new();
        let mut diagnostics = Diagnostics::default();
        for pattern in &document.meta.link_check.exclude.0 {
            match regex::Regex::new(pattern) {
                Ok(regex) => patterns.push(regex),
                Err(error) => diagnostics.push(
                    Diagnostic::new(format!(
                        "`{pattern}` in `link-check: exclude` is not a regular expression"
                    ))
                    .at(
                        &document.index,
                        pattern_span(document, pattern),
                        last_line(&error.to_string()),
                    )
                    .hint("patterns are regular expressions: write `\\.` for a literal dot, `^https://example\\.org/` for a whole site"),
                ),
            }
        }
        diagnostics.into_result(Exclusions(patterns))
    }

    pub fn excludes(&self, url: &str) -> bool {
        self.0.iter().any(|pattern| pattern.is_match(url))
    }
}

/// Where the pattern is written: as it is, or with its backslashes doubled in a quoted string.
fn pattern_span(document: &Document, pattern: &str) -> std::ops::Range<usize> {
    use crate::cite::references::field_span;
    let plain = field_span(document, "exclude", pattern);
    if plain.len() == pattern.len() {
        return plain;
    }
    let quoted = pattern.replace('\\', "\\\\");
    field_span(document, "exclude", &quoted)
}

/// The last line with text: regex errors end with what is wrong ("unclosed group").
fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .to_string()
}

/// The status of `url` as far as we know: excluded by the brief, or the last check's result.
pub fn known_status<'a>(url: &str, cache: &'a LinkCache, exclusions: &Exclusions) -> Known<'a> {
    if exclusions.excludes(url) {
        Known::Excluded
    } else {
        cache.get(url).map_or(Known::Unchecked, Known::Checked)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Known<'a> {
    Unchecked,
    Excluded,
    Checked(&'a LinkResult),
}

impl Known<'_> {
    pub fn status(&self) -> Option<LinkStatus> {
        match self {
            Known::Unchecked => None,
            Known::Excluded => Some(LinkStatus::Excluded),
            Known::Checked(result) => Some(result.status),
        }
    }

    /// For people, as the audit page and the terminal say it: "answered 404 Not Found on
    /// 2026-11-27".
    pub fn describe(&self) -> String {
        let result = match self {
            Known::Unchecked => return "not checked online yet".to_string(),
            Known::Excluded => {
                return "not checked: excluded by the brief's `link-check` settings".to_string()
            }
            Known::Checked(result) => result,
        };
        let on = result.checked_on();
        match result.status {
            LinkStatus::Ok => format!("worked when checked on {on}"),
            LinkStatus::Redirected => format!("worked, through redirects, when checked on {on}"),
            LinkStatus::Excluded => format!("excluded from the check on {on}"),
            LinkStatus::Blocked => format!(
                "the site refused our automated check ({}) on {on}; open it in a browser to confirm",
                result.detail
            ),
            LinkStatus::Timeout => format!("did not answer in time when checked on {on}"),
            LinkStatus::Error => format!("could not be reached on {on}: {}", result.detail),
            LinkStatus::Dead => format!("answered {} when checked on {on}", result.detail),
        }
    }
}
