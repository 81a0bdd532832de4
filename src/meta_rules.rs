//! What the brief's metadata must be beyond its types: a title that is there, a date that names
//! a real day, and a `base-url` that is an absolute http(s) URL (it goes into every page's
//! canonical link, `og:url`, the sitemap and the 404 page's links, so a `javascript:` or
//! `data:` URL there would be script on every page). Each problem is an error at its line.

use std::ops::Range;
use std::sync::Arc;

use crate::date;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::meta::BriefMeta;

/// Checks `meta`, read from the front matter at `yaml` in `file`, and fills in what the checks
/// learn (the ISO form of the date). `single`: a Pandoc document, whose free-text dates are
/// shown as written (and left out of the page's metadata) rather than refused.
pub fn check(
    meta: &mut BriefMeta,
    file: &Arc<SourceFile>,
    yaml: Range<usize>,
    single: bool,
) -> Result<(), Diagnostics> {
    let place = Place { file, yaml };
    let mut errors = Diagnostics::default();
    let written_title = serde_yaml::from_str::<serde_yaml::Value>(&file.text[place.yaml.clone()])
        .ok()
        .and_then(|value| value.get("title").cloned());
    let title_missing = match written_title {
        Some(serde_yaml::Value::Null) => true,
        Some(serde_yaml::Value::String(text)) => text.trim().is_empty(),
        _ => meta.title.trim().is_empty(),
    };
    if title_missing {
        errors.push(
            Diagnostic::new("the brief has no title")
                .at(file, place.line("title"), "empty title")
                .hint("write the title: `title: \"Strategic Leverage or Supply Trap?\"`"),
        );
    }
    if let Some(written) = meta.date.clone() {
        match read_date(&written, single) {
            Ok(Some(date)) => meta.date_iso = Some(date.iso()),
            // Pandoc prints free text as it is (`Spring 2021`); so does a single document here.
            Ok(None) => {}
            Err(problem) => errors.push(
                Diagnostic::new(format!("`{written}` is not a date: {problem}"))
                    .at(file, place.line("date"), "not a real date")
                    .hint("write the date as YYYY-MM-DD, such as 2025-10-20 (or YYYY-MM, or YYYY)"),
            ),
        }
    }
    if let Some(base) = &meta.base_url {
        match check_base_url(base) {
            Ok(normal) => meta.base_url = Some(normal),
            Err(problem) => errors.push(
                Diagnostic::new(format!(
                    "`base-url: {base}` is not where a site can be published: {problem}"
                ))
                .at(file, place.line("base-url"), "not an absolute http(s) URL")
                .hint("write the site's address, such as `https://example.org/brief/`"),
            ),
        }
    }
    errors.into_result(())
}

/// A date for the page's metadata; `Ok(None)` for free text a Pandoc document may carry.
fn read_date(written: &str, single: bool) -> Result<Option<date::PublicationDate>, String> {
    if let Some(date) = date::parse_iso(written)? {
        return Ok(Some(date));
    }
    match date::parse_words(written) {
        Some(date) => date.map(Some),
        None if single => Ok(None),
        None => Err("brief cannot read it as a day".to_string()),
    }
}

/// `base` as it goes into the pages: trimmed, ending in `/`. Only absolute http(s) URLs with a
/// host, no credentials (they would be published on every page), no query or fragment (page
/// paths are appended to it).
pub fn check_base_url(base: &str) -> Result<String, String> {
    let base = base.trim();
    if base.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("it holds spaces or control characters".into());
    }
    let url = url::Url::parse(base).map_err(|error| match error {
        url::ParseError::RelativeUrlWithoutBase => "it is not an absolute URL".to_string(),
        other => other.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{}:` URLs are not web addresses", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) || !base.contains("//") {
        return Err("it names no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it holds a user name or password, which every page would publish".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it has a `?query` or `#fragment`, and page paths are added to its end".into());
    }
    Ok(if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    })
}

struct Place<'a> {
    file: &'a Arc<SourceFile>,
    yaml: Range<usize>,
}

impl Place<'_> {
    /// The line of `field:` in the front matter, or its start.
    fn line(&self, field: &str) -> Range<usize> {
        crate::frontmatter::field_line(&self.file.text, self.yaml.clone(), field)
            .unwrap_or(self.yaml.start..self.yaml.start)
    }
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls_are_absolute_web_addresses() {
        assert_eq!(
            check_base_url("https://example.org/brief").unwrap(),
            "https://example.org/brief/"
        );
        assert!(check_base_url("http://localhost:8000/").is_ok());
        for bad in [
            "data:text/javascript,alert(1)",
            "javascript:alert(1)",
            "//evil.example/",
            "/brief/",
            "brief/",
            "https://",
            "https:evil.example",
            "https://user:secret@example.org/",
            "https://example.org/?x=1",
            "https://example.org/#top",
            "https://exa mple.org/",
            "ftp://example.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
