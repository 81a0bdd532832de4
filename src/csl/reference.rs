//! The references the engine formats, shaped like CSL-JSON: a type, and variables that are text,
//! names or dates. Every reader (BibTeX, CSL-JSON, CSL-YAML, hayagriva YAML) produces these, so
//! the engine knows nothing of file formats.
//!
//! Text values are CSL-JSON "rich text": plain Unicode in which `<i>`, `<b>`, `<sc>`, `<sup>`,
//! `<sub>`, `<span class="nocase">` and `<span style="font-variant:small-caps;">` are markup and
//! everything else, `&` and `<` included, is literal.

use std::collections::HashMap;
use std::sync::OnceLock;

pub use citationberg::taxonomy::{
    DateVariable, Kind, NameVariable, NumberVariable, PageVariable, StandardVariable, Variable,
};

/// One reference: what a `csl-entry` is made from.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Reference {
    /// The key citations use (`@key`).
    pub id: String,
    /// The CSL type (`article-journal`, `book`, …).
    pub kind: Kind,
    /// The variables, in the order they were read; each variable at most once.
    pub fields: Vec<(Variable, Value)>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub enum Value {
    /// Rich text; number variables are text too ("12", "2nd", "3–5").
    Text(String),
    Names(Vec<Name>),
    Date(Date),
}

/// A person or an organisation, as CSL-JSON spells one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Name {
    pub family: Option<String>,
    pub given: Option<String>,
    /// "de" in "Jean de La Fontaine" when sorted under "La Fontaine".
    pub dropping_particle: Option<String>,
    /// "van" in "Vincent van Gogh", kept with the family name.
    pub non_dropping_particle: Option<String>,
    /// "Jr.", "III".
    pub suffix: Option<String>,
    /// A name that is not split: an organisation, "Anonymous".
    pub literal: Option<String>,
    /// "Smith, Jr." rather than "Smith Jr.".
    pub comma_suffix: bool,
    /// A space after a particle that ends in an apostrophe ("de' Frinkle", not "d'Wander").
    pub particle_space: bool,
    /// Given name after the family name whatever the style says (Chinese, Japanese…).
    pub static_ordering: bool,
    /// brief's extension: the short name the text cites an organisation by ("CSIS").
    pub alias: Option<String>,
}

impl Name {
    pub fn literal(text: impl Into<String>) -> Self {
        Self {
            literal: Some(text.into()),
            ..Self::default()
        }
    }

    pub fn person(family: impl Into<String>, given: Option<String>) -> Self {
        Self {
            family: Some(family.into()),
            given,
            ..Self::default()
        }
    }
}

/// A date, or a range of two, as CSL-JSON's `date-parts`; or text the reader could not parse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Date {
    /// One part, or two for a range (the end may repeat the start's year).
    pub parts: Vec<DateParts>,
    /// 1–4 (spring, summer, autumn, winter), when the date names a season.
    pub season: Option<u8>,
    /// "circa": an uncertain date.
    pub circa: bool,
    /// A date kept as written ("Spring 2024", "n.d."), printed as is.
    pub literal: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateParts {
    /// Negative for BC; 0 means no year.
    pub year: i32,
    /// 1–12; 13–16 are the seasons, as CSL-JSON writes them.
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Reference {
    pub fn new(id: impl Into<String>, kind: Kind) -> Self {
        Self {
            id: id.into(),
            kind,
            fields: Vec::new(),
        }
    }

    pub fn get(&self, variable: Variable) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(v, _)| *v == variable)
            .map(|(_, value)| value)
    }

    /// Sets a variable, replacing what it held.
    pub fn set(&mut self, variable: Variable, value: Value) {
        match self.fields.iter_mut().find(|(v, _)| *v == variable) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((variable, value)),
        }
    }

    /// Sets a variable only if it is not set yet (the first definition wins).
    pub fn set_default(&mut self, variable: Variable, value: Value) {
        if self.get(variable).is_none() {
            self.fields.push((variable, value));
        }
    }

    pub fn remove(&mut self, variable: Variable) -> Option<Value> {
        let at = self.fields.iter().position(|(v, _)| *v == variable)?;
        Some(self.fields.remove(at).1)
    }

    pub fn text(&self, variable: Variable) -> Option<&str> {
        match self.get(variable)? {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn names(&self, variable: NameVariable) -> Option<&[Name]> {
        match self.get(Variable::Name(variable))? {
            Value::Names(names) => Some(names),
            _ => None,
        }
    }

    pub fn date(&self, variable: DateVariable) -> Option<&Date> {
        match self.get(Variable::Date(variable))? {
            Value::Date(date) => Some(date),
            _ => None,
        }
    }
}

/// The variable a CSL-JSON key names (`"container-title"`, `"issued"`), if CSL knows it.
pub fn variable(name: &str) -> Option<Variable> {
    static BY_NAME: OnceLock<HashMap<String, Variable>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            let mut map = HashMap::new();
            for candidate in KNOWN_NAMES {
                let json = serde_json::Value::String((*candidate).to_string());
                if let Ok(found) = serde_json::from_value::<Variable>(json) {
                    map.insert((*candidate).to_string(), found);
                }
            }
            map
        })
        .get(name)
        .copied()
}

/// The CSL type a CSL-JSON `type` names; unknown types read as `document` (CSL's fallback).
pub fn kind(name: &str) -> Kind {
    name.parse::<Kind>().unwrap_or(Kind::Document)
}

/// Every variable of CSL 1.0.2 (appendix IV), plus the few citeproc-js also reads.
const KNOWN_NAMES: &[&str] = &[
    // standard
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "citation-key",
    "citation-label",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "event",
    "event-title",
    "event-place",
    "genre",
    "ISBN",
    "ISSN",
    "jurisdiction",
    "keyword",
    "language",
    "license",
    "medium",
    "note",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "part-title",
    "PMCID",
    "PMID",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "source",
    "status",
    "title",
    "title-short",
    "URL",
    "volume-title",
    "year-suffix",
    // number
    "chapter-number",
    "citation-number",
    "collection-number",
    "edition",
    "first-reference-note-number",
    "issue",
    "locator",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "page",
    "page-first",
    "part-number",
    "printing-number",
    "section",
    "supplement-number",
    "version",
    "volume",
    // date
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
    // name
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csl_json_names_map_to_variables() {
        assert_eq!(
            variable("container-title"),
            Some(Variable::Standard(StandardVariable::ContainerTitle))
        );
        assert_eq!(
            variable("issued"),
            Some(Variable::Date(DateVariable::Issued))
        );
        assert_eq!(
            variable("author"),
            Some(Variable::Name(NameVariable::Author))
        );
        assert_eq!(variable("page"), Some(Variable::Page(PageVariable::Page)));
        assert_eq!(
            variable("volume"),
            Some(Variable::Number(NumberVariable::Volume))
        );
        assert_eq!(
            variable("DOI"),
            Some(Variable::Standard(StandardVariable::DOI))
        );
        assert_eq!(variable("no-such-thing"), None);
        assert_eq!(kind("article-journal"), Kind::ArticleJournal);
        assert_eq!(kind("nonsense"), Kind::Document);
    }
}
