//! The typed front matter: the brief's metadata (`content/_index.md`) and each section's.

use serde::Deserialize;

/// The brief's own metadata, in one place: `content/_index.md`'s front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BriefMeta {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub author: OneOrMany,
    /// As written (`2025-10-20`); shown in the title block.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default)]
    pub description: Option<String>,
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
}

pub const BRIEF_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "author",
    "date",
    "lang",
    "description",
    "bibliography",
    "csl",
    "nocite",
    "citation-order",
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
