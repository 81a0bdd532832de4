//! The typed front matter: the brief's metadata (`content/_index.md`) and each section's.

use serde::Deserialize;

use crate::people::{Affiliation, Authors};

/// The brief's own metadata, in one place: `content/_index.md`'s front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BriefMeta {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub author: OneOrMany,
    /// The authors with what is known of them (affiliations, ORCID); from `author` in a brief,
    /// from JOSS's records in a single document. Filled in after reading.
    #[serde(skip)]
    pub people: Vec<crate::people::Person>,
    /// Every affiliation of the authors, numbered in order of first mention.
    #[serde(skip)]
    pub affiliations: Vec<String>,
    /// For search engines and the page's `keywords` (JOSS writes `tags`).
    #[serde(default)]
    pub keywords: OneOrMany,
    /// As written (`2025-10-20`); shown in the title block.
    #[serde(default)]
    pub date: Option<String>,
    /// The date in ISO form (`2025-10-20`), once [`crate::meta_rules`] has read it: what the
    /// page's metadata carries. `None` for a free-text date.
    #[serde(skip)]
    pub date_iso: Option<String>,
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Shown under the title as the brief's lede (Pandoc's `abstract`); without it, the
    /// `description` is, unless the text opens with it already.
    #[serde(default, rename = "abstract")]
    pub summary: Option<String>,
    /// Reference files, relative to the brief's folder (Pandoc's `bibliography`).
    #[serde(default)]
    pub bibliography: OneOrMany,
    /// A built-in CSL style name (`apa`, `chicago-author-date`, `ieee`, …).
    #[serde(default = "default_csl")]
    pub csl: String,
    /// Entries to list although the text does not cite them: `["@key", …]` or `["@*"]`.
    #[serde(default)]
    pub nocite: OneOrMany,
    /// `style` sorts the sources inside a citation as the style says; `as-written` keeps the
    /// author's order, as in "(USGS, 2024; CSIS, 2025)".
    #[serde(default)]
    pub citation_order: CitationOrder,
    /// Pandoc's `link-citations`: each citation links to its reference entry (default true).
    #[serde(default = "yes")]
    pub link_citations: bool,
    /// Where the site is published (`https://example.org/brief/`): canonical links, the sitemap,
    /// and the URL in "Cite this brief".
    #[serde(default)]
    pub base_url: Option<String>,
    /// How `brief check --online` treats the brief's links.
    #[serde(default)]
    pub link_check: LinkCheckMeta,
    /// Whether the build typesets the brief as a PDF beside the site (default true).
    #[serde(default = "yes")]
    pub pdf: bool,
}

/// `link-check:` in the brief's metadata.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCheckMeta {
    /// Regular expressions: URLs that match one are never checked online (a host that always
    /// refuses robots, an intranet).
    #[serde(default)]
    pub exclude: OneOrMany,
}

fn yes() -> bool {
    true
}

pub const BRIEF_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "author",
    "keywords",
    "date",
    "lang",
    "description",
    "abstract",
    "bibliography",
    "csl",
    "nocite",
    "citation-order",
    "pdf",
    "link-citations",
    "base-url",
    "link-check",
];

fn default_lang() -> String {
    "en-US".to_string()
}

fn default_csl() -> String {
    "apa".to_string()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CitationOrder {
    #[default]
    Style,
    AsWritten,
}

/// A YAML field that takes one string or a list of them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "OneOrManyRaw")]
pub struct OneOrMany(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrManyRaw {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrManyRaw> for OneOrMany {
    fn from(raw: OneOrManyRaw) -> Self {
        match raw {
            OneOrManyRaw::One(one) => OneOrMany(vec![one]),
            OneOrManyRaw::Many(many) => OneOrMany(many),
        }
    }
}

/// A section's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    pub title: String,
    /// Position in the brief; sections are sorted by it.
    pub order: i64,
    /// The section's number as printed before its title ("1", "A"); none for unnumbered parts.
    #[serde(default)]
    pub number: Option<SectionNumber>,
    /// The page's folder name; by default the file name without its leading digits.
    #[serde(default)]
    pub slug: Option<String>,
}

pub const SECTION_FIELDS: &[&str] = &["title", "order", "number", "slug"];

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SectionNumber {
    Int(i64),
    Text(String),
}

impl std::fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SectionNumber::Int(n) => write!(f, "{n}"),
            SectionNumber::Text(t) => f.write_str(t),
        }
    }
}

/// The metadata of a single Markdown document (`brief build paper.md`): Pandoc's keys, read
/// leniently because such front matter also feeds other tools (JOSS adds `tags`, `affiliations`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DocumentMeta {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub author: Option<Authors>,
    /// JOSS writes `authors:`, with `affiliations:`.
    #[serde(default)]
    pub authors: Option<Authors>,
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
    #[serde(default)]
    pub keywords: OneOrMany,
    #[serde(default)]
    pub tags: OneOrMany,
    #[serde(default)]
    pub date: Option<serde_yaml::Value>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "abstract")]
    pub summary: Option<String>,
    #[serde(default)]
    pub bibliography: OneOrMany,
    #[serde(default)]
    pub csl: Option<String>,
    #[serde(default)]
    pub nocite: OneOrMany,
    #[serde(default)]
    pub citation_order: CitationOrder,
    #[serde(default = "yes")]
    pub link_citations: bool,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub link_check: LinkCheckMeta,
    /// `pdf: false` builds no PDF.
    #[serde(default)]
    pub pdf: Option<bool>,
}

impl DocumentMeta {
    pub fn into_brief_meta(self) -> BriefMeta {
        let (people, affiliations) =
            crate::people::people(self.author.or(self.authors), &self.affiliations);
        let authors = people.iter().map(|p| p.name.clone()).collect();
        let mut keywords = self.keywords.0;
        keywords.extend(self.tags.0);
        let date = self.date.map(|date| match date {
            serde_yaml::Value::String(text) => text,
            other => serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        });
        BriefMeta {
            title: self.title.unwrap_or_else(|| "Untitled".to_string()),
            subtitle: self.subtitle,
            author: OneOrMany(authors),
            people,
            affiliations,
            keywords: OneOrMany(keywords),
            date,
            date_iso: None,
            lang: self.lang.unwrap_or_else(default_lang),
            description: self.description.or(self.summary.clone()),
            summary: self.summary,
            bibliography: self.bibliography,
            csl: self.csl.unwrap_or_else(default_csl),
            nocite: self.nocite,
            citation_order: self.citation_order,
            link_citations: self.link_citations,
            base_url: self.base_url,
            link_check: self.link_check,
            pdf: self.pdf.unwrap_or(true),
        }
    }
}

impl BriefMeta {
    /// A brief's `author:` names as people: a note inside a name is taken out of it.
    pub fn people_from_names(&mut self) {
        if !self.people.is_empty() {
            return;
        }
        self.people = self
            .author
            .0
            .iter()
            .map(|written| {
                let (name, note) = crate::people::split_note(written);
                crate::people::Person {
                    name,
                    note,
                    ..Default::default()
                }
            })
            .collect();
        self.author = OneOrMany(self.people.iter().map(|p| p.name.clone()).collect());
    }
}
