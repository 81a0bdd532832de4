//! "Cite this brief": the brief's own reference in its citation style, as BibTeX and as RIS, so
//! that readers can cite it as easily as it cites its sources.

use serde::Serialize;

use super::html::{write_html, HtmlOptions};
use crate::csl::reference::{
    Date, DateParts, DateVariable, Kind, Name as CslName, NameVariable, Reference,
    StandardVariable, Value, Variable,
};
use crate::csl::Engine;
use crate::meta::BriefMeta;

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct SelfCitation {
    /// The formatted reference, escaped HTML.
    pub html: String,
    pub bibtex: String,
    pub ris: String,
    /// The authors as "Family, Given", credentials dropped (for Google Scholar).
    pub authors: Vec<String>,
}

/// A person's name without the credentials written after it: "Ned Gandevani, PhD, MBA".
struct Name {
    given: String,
    family: String,
}

fn names(meta: &BriefMeta) -> Vec<Name> {
    meta.author
        .0
        .iter()
        .filter_map(|written| {
            let name = written.split(',').next()?.trim();
            let (given, family) = name.rsplit_once(' ').unwrap_or(("", name));
            Some(Name {
                given: given.trim().to_string(),
                family: family.trim().to_string(),
            })
        })
        .filter(|name| !name.family.is_empty())
        .collect()
}

fn full_title(meta: &BriefMeta) -> String {
    match &meta.subtitle {
        Some(subtitle) if meta.title.ends_with(['?', '!', ':', '.']) => {
            format!("{} {subtitle}", meta.title)
        }
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    }
}

/// (year, month, day) from an ISO date, as far as it goes.
fn date_parts(meta: &BriefMeta) -> (Option<String>, Option<u32>, Option<u32>) {
    let Some(date) = meta.date_iso.as_deref().or(meta.date.as_deref()) else {
        return (None, None, None);
    };
    let parts: Vec<&str> = date.split('-').collect();
    let year = parts
        .first()
        .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        .map(|y| y.to_string());
    let year = year.or_else(|| {
        let digits: String = date.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= 4).then(|| digits[digits.len() - 4..].to_string())
    });
    let month = parts
        .get(1)
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let day = parts
        .get(2)
        .and_then(|d| d.parse().ok())
        .filter(|d| (1..=31).contains(d));
    (year, month, day)
}

pub fn cite_brief(meta: &BriefMeta, engine: &Engine) -> SelfCitation {
    SelfCitation {
        html: formatted(meta, engine).unwrap_or_default(),
        bibtex: bibtex(meta),
        ris: ris(meta),
        authors: names(meta)
            .into_iter()
            .map(|n| {
                if n.given.is_empty() {
                    n.family
                } else {
                    format!("{}, {}", n.family, n.given)
                }
            })
            .collect(),
    }
}

fn formatted(meta: &BriefMeta, engine: &Engine) -> Option<String> {
    let mut brief = Reference::new("brief", Kind::Report);
    brief.set(
        Variable::Standard(StandardVariable::Title),
        Value::Text(full_title(meta)),
    );
    let authors: Vec<CslName> = names(meta)
        .into_iter()
        .map(|name| {
            if name.given.is_empty() {
                CslName::literal(name.family)
            } else {
                CslName::person(name.family, Some(name.given))
            }
        })
        .collect();
    if !authors.is_empty() {
        brief.set(Variable::Name(NameVariable::Author), Value::Names(authors));
    }
    let (year, month, day) = date_parts(meta);
    if let Some(year) = year.and_then(|y| y.parse().ok()) {
        let parts = DateParts {
            year,
            month: month.map(|m| m as u8),
            day: day.filter(|_| month.is_some()).map(|d| d as u8),
        };
        brief.set(
            Variable::Date(DateVariable::Issued),
            Value::Date(Date {
                parts: vec![parts],
                ..Date::default()
            }),
        );
    }
    if let Some(url) = &meta.base_url {
        brief.set(
            Variable::Standard(StandardVariable::URL),
            Value::Text(url.clone()),
        );
    }
    let processed = engine.process(&[brief], &[], &["brief".to_string()]);
    let entry = processed.bibliography.into_iter().next()?;
    let quotes = engine.quote_marks();
    let options = HtmlOptions {
        items: &[],
        link_urls: true,
        quotes: &quotes,
    };
    Some(write_html(&entry.content, &options))
}

/// BibTeX's special characters escaped; braces keep the title's capitals.
fn tex(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
    out
}

fn citation_key(meta: &BriefMeta) -> String {
    let family = names(meta)
        .first()
        .map(|n| n.family.clone())
        .unwrap_or_else(|| "brief".into());
    let year = date_parts(meta).0.unwrap_or_default();
    let key: String = format!("{family}{year}")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    key.to_lowercase()
}

fn bibtex(meta: &BriefMeta) -> String {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let authors: Vec<String> = names(meta)
        .iter()
        .map(|n| {
            if n.given.is_empty() {
                tex(&n.family)
            } else {
                format!("{}, {}", tex(&n.family), tex(&n.given))
            }
        })
        .collect();
    let (year, month, _) = date_parts(meta);
    let mut fields = vec![format!("  title = {{{{{}}}}}", tex(&full_title(meta)))];
    if !authors.is_empty() {
        fields.push(format!("  author = {{{}}}", authors.join(" and ")));
    }
    if let Some(year) = year {
        fields.push(format!("  year = {{{year}}}"));
    }
    if let Some(month) = month {
        fields.push(format!("  month = {}", MONTHS[month as usize - 1]));
    }
    if let Some(url) = &meta.base_url {
        fields.push(format!("  url = {{{}}}", tex(url)));
    }
    format!(
        "@techreport{{{},\n{}\n}}\n",
        citation_key(meta),
        fields.join(",\n")
    )
}

fn ris(meta: &BriefMeta) -> String {
    let mut lines = vec!["TY  - RPRT".to_string()];
    for name in names(meta) {
        let written = if name.given.is_empty() {
            name.family
        } else {
            format!("{}, {}", name.family, name.given)
        };
        lines.push(format!("AU  - {written}"));
    }
    lines.push(format!(
        "TI  - {}",
        full_title(meta).replace(['\r', '\n'], " ")
    ));
    let (year, month, day) = date_parts(meta);
    if let Some(year) = year {
        let month = month.map(|m| format!("{m:02}")).unwrap_or_default();
        let day = day.map(|d| format!("{d:02}")).unwrap_or_default();
        lines.push(format!("PY  - {year}/{month}/{day}/"));
    }
    if let Some(url) = &meta.base_url {
        lines.push(format!("UR  - {url}"));
    }
    if let Some(language) = Some(&meta.lang) {
        lines.push(format!("LA  - {language}"));
    }
    lines.push("ER  - ".to_string());
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{CitationOrder, OneOrMany};

    fn meta() -> BriefMeta {
        BriefMeta {
            title: "Strategic Leverage or Supply Trap?".into(),
            subtitle: Some("Navigating the U.S.–China Rare Earth Elements Challenge".into()),
            author: OneOrMany(vec!["Ned Gandevani, PhD, MBA".into()]),
            people: Vec::new(),
            affiliations: Vec::new(),
            keywords: OneOrMany::default(),
            date: Some("2025-10-20".into()),
            date_iso: Some("2025-10-20".into()),
            lang: "en-US".into(),
            description: None,
            summary: None,
            bibliography: OneOrMany::default(),
            csl: "apa".into(),
            nocite: OneOrMany::default(),
            citation_order: CitationOrder::Style,
            link_citations: true,
            base_url: Some("https://example.org/brief/".into()),
            link_check: Default::default(),
            pdf: true,
        }
    }

    #[test]
    fn bibtex_and_ris_carry_the_briefs_metadata() {
        let bib = bibtex(&meta());
        assert!(bib.starts_with("@techreport{gandevani2025,\n"), "{bib}");
        assert!(bib.contains("title = {{Strategic Leverage or Supply Trap? Navigating the U.S.–China Rare Earth Elements Challenge}}"));
        assert!(bib.contains("author = {Gandevani, Ned}") && bib.contains("month = oct"));
        let ris = ris(&meta());
        assert!(
            ris.starts_with("TY  - RPRT\r\nAU  - Gandevani, Ned\r\n"),
            "{ris}"
        );
        assert!(ris.contains("PY  - 2025/10/20/") && ris.ends_with("ER  - \r\n"));
    }

    #[test]
    fn tex_specials_are_escaped() {
        assert_eq!(
            tex("AT&T 50% {x} #1 a_b"),
            "AT\\&T 50\\% \\{x\\} \\#1 a\\_b"
        );
    }
}
