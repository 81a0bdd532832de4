//! Being found and cited: the `<head>` metadata search engines and Google Scholar read, JSON-LD,
//! `sitemap.xml` and `robots.txt`.

use serde::Serialize;
use serde_json::json;

use crate::cite::ReferenceEntry;
use crate::meta::BriefMeta;

/// What every page's `<head>` says about the brief.
#[derive(Serialize)]
pub struct HeadContext {
    /// Absolute URL of this page, when the brief names its `base-url`.
    pub canonical: Option<String>,
    /// Google Scholar's `citation_publication_date`: `2025/10/20`.
    pub scholar_date: Option<String>,
    /// Google Scholar's `citation_author`: "Family, Given".
    pub scholar_authors: Vec<String>,
    /// Each author's institutions and ORCID, for `citation_author_institution` and
    /// `citation_author_orcid` after that author's `citation_author`.
    pub authors: Vec<AuthorMeta>,
    /// The `keywords` meta: the brief's `keywords` (or JOSS's `tags`), comma-separated.
    pub keywords: Option<String>,
    /// One `citation_reference` per source in the reference list (home page only).
    pub scholar_references: Vec<String>,
    /// A `<script type="application/ld+json">` body, safe to inline.
    pub json_ld: String,
}

#[derive(Serialize)]
pub struct AuthorMeta {
    /// "Family, Given", as `citation_author` wants it.
    pub name: String,
    pub institutions: Vec<String>,
    pub orcid: Option<String>,
}

/// `base` joined with a page path (`""` for the home page, `"state-of-play/"`).
pub fn page_url(meta: &BriefMeta, path: &str) -> Option<String> {
    let base = meta.base_url.as_deref()?.trim();
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    Some(format!("{base}{path}"))
}

pub fn head(
    meta: &BriefMeta,
    path: &str,
    authors: &[String],
    entries: &[ReferenceEntry],
    home: bool,
) -> HeadContext {
    let canonical = page_url(meta, path);
    let scholar_date = meta.date_iso.as_deref().and_then(|date| {
        let parts: Vec<&str> = date.split('-').collect();
        (parts.first()?.len() == 4 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
            .then(|| parts.join("/"))
    });
    let references: Vec<String> = if home {
        entries.iter().map(|e| e.text.trim().to_string()).collect()
    } else {
        Vec::new()
    };
    let json_ld = json_ld(meta, canonical.as_deref(), authors, &references);
    let author_meta = authors
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let person = meta.people.get(i);
            AuthorMeta {
                name: name.clone(),
                institutions: person.map(|p| p.affiliations.clone()).unwrap_or_default(),
                orcid: person.and_then(|p| p.orcid.clone()),
            }
        })
        .collect();
    let keywords = (!meta.keywords.0.is_empty()).then(|| meta.keywords.0.join(", "));
    HeadContext {
        canonical,
        scholar_date,
        authors: author_meta,
        keywords,
        scholar_authors: authors.to_vec(),
        scholar_references: references,
        json_ld,
    }
}

/// schema.org's `Report`, escaped so that no text can close the script element.
fn json_ld(
    meta: &BriefMeta,
    url: Option<&str>,
    authors: &[String],
    references: &[String],
) -> String {
    let name = match &meta.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", meta.title.trim_end_matches(':')),
        None => meta.title.clone(),
    };
    let mut object = serde_json::Map::new();
    object.insert("@context".into(), json!("https://schema.org"));
    object.insert("@type".into(), json!("Report"));
    object.insert("headline".into(), json!(meta.title));
    object.insert("name".into(), json!(name));
    object.insert("inLanguage".into(), json!(meta.lang));
    let people: Vec<_> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut person = json!({"@type": "Person", "name": a});
            if let Some(known) = meta.people.get(i) {
                if !known.affiliations.is_empty() {
                    person["affiliation"] = known
                        .affiliations
                        .iter()
                        .map(|name| json!({"@type": "Organization", "name": name}))
                        .collect();
                }
                if let Some(orcid) = &known.orcid {
                    person["identifier"] = json!(format!("https://orcid.org/{orcid}"));
                }
            }
            person
        })
        .collect();
    if !meta.keywords.0.is_empty() {
        object.insert("keywords".into(), json!(meta.keywords.0));
    }
    object.insert("author".into(), json!(people));
    if let Some(date) = &meta.date_iso {
        object.insert("datePublished".into(), json!(date));
    }
    if let Some(description) = &meta.description {
        object.insert("description".into(), json!(description));
    }
    if let Some(url) = url {
        object.insert("url".into(), json!(url));
    }
    if !references.is_empty() {
        object.insert("citation".into(), json!(references));
    }
    serde_json::Value::Object(object)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `sitemap.xml`, when the brief names where it is published.
pub fn sitemap(meta: &BriefMeta, paths: &[String]) -> Option<String> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in paths {
        let url = page_url(meta, path)?;
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::html::escape(&url)
        ));
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

pub fn robots(meta: &BriefMeta) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = page_url(meta, "sitemap.xml") {
        text.push_str(&format!("Sitemap: {url}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let meta: BriefMeta =
            serde_yaml::from_str("title: \"</script><script>alert(1)</script> & more\"").unwrap();
        let text = json_ld(&meta, None, &[], &[]);
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["headline"],
            "</script><script>alert(1)</script> & more"
        );
    }
}
