//! Where a reference entry links to: its URL and DOI (http(s) only), and the Wayback
//! Machine's copy of its URL.

use hayagriva::Entry;

use crate::html::is_web_url;

/// `https://web.archive.org/web/<year>/<url>`: the year of the access date, else of publication.
pub fn archive_link(entry: &Entry) -> Option<String> {
    let url = entry.url().filter(|url| is_web_url(url.value.as_str()))?;
    let year = url
        .visit_date
        .as_ref()
        .or_else(|| entry.date_any())
        .map(|date| date.year)?;
    Some(format!("https://web.archive.org/web/{year}/{}", url.value))
}

/// The entry's links: its URL and its DOI as a doi.org link, when safe.
pub fn entry_links(entry: &Entry) -> Vec<String> {
    let mut links = Vec::new();
    if let Some(url) = entry.url() {
        if is_web_url(url.value.as_str()) {
            links.push(url.value.to_string());
        }
    }
    if let Some(doi) = entry.doi() {
        links.push(format!(
            "https://doi.org/{}",
            doi.trim().trim_start_matches("https://doi.org/")
        ));
    }
    links
}
