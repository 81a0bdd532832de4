//! Where a reference entry links to: its URL and DOI (http(s) only), and the Wayback
//! Machine's copy of its URL.

use crate::csl::reference::{variable, DateVariable, Reference};
use crate::html::is_web_url;

fn url(entry: &Reference) -> Option<&str> {
    entry
        .text(variable("URL")?)
        .map(str::trim)
        .filter(|url| is_web_url(url))
}

/// `https://web.archive.org/web/<year>/<url>`: the year of the access date, else of publication.
pub fn archive_link(entry: &Reference) -> Option<String> {
    let url = url(entry)?;
    let year = [DateVariable::Accessed, DateVariable::Issued]
        .into_iter()
        .find_map(|variable| entry.date(variable)?.parts.first().map(|p| p.year))?;
    Some(format!("https://web.archive.org/web/{year}/{url}"))
}

/// The entry's links: its URL and its DOI as a doi.org link, when safe.
pub fn entry_links(entry: &Reference) -> Vec<String> {
    let mut links: Vec<String> = url(entry).map(str::to_string).into_iter().collect();
    if let Some(doi) = variable("DOI").and_then(|doi| entry.text(doi)) {
        let doi = doi.trim();
        let doi = doi
            .strip_prefix("https://doi.org/")
            .or_else(|| doi.strip_prefix("http://dx.doi.org/"))
            .or_else(|| doi.strip_prefix("doi:"))
            .unwrap_or(doi);
        if !doi.is_empty() && !doi.contains(char::is_whitespace) {
            let link = format!("https://doi.org/{doi}");
            if !links.contains(&link) {
                links.push(link);
            }
        }
    }
    links
}
