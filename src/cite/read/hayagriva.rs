//! hayagriva's YAML (the format the brief's own `data/references.yaml` is in) into the engine's
//! CSL-JSON-shaped model. hayagriva describes a source by its own type and its parents (an
//! `article` inside a `periodical`); CSL by one type with container variables. The mapping
//! follows hayagriva's documented CSL correspondence, so existing files format as before:
//! an article in a periodical is `article-journal`, in a newspaper `article-newspaper`, in a
//! blog `post-weblog`; a `misc` entry with a URL is a `webpage`.
//!
//! Text is taken literally (hayagriva has no markup) except `{…}`, which hayagriva keeps
//! verbatim and CSL must not recase; a `<` that would read as a CSL-JSON tag is guarded.

use serde_yaml::{Mapping, Value as Yaml};

use super::rich::TAG_GUARD;
use crate::csl::reference::{
    kind, Date, DateParts, DateVariable, Kind, Name, NameVariable, NumberVariable, PageVariable,
    Reference, StandardVariable, Value, Variable,
};

/// Every entry of a hayagriva YAML mapping (`key: {type, title, …}`), in file order.
pub fn read_hayagriva(entries: &Mapping) -> Vec<Reference> {
    entries
        .iter()
        .filter_map(|(key, entry)| {
            let key = match key {
                Yaml::String(key) => key.clone(),
                Yaml::Number(n) => n.to_string(),
                _ => return None,
            };
            Some(reference(&key, entry.as_mapping()?))
        })
        .collect()
}

fn reference(key: &str, entry: &Mapping) -> Reference {
    let parents = parents(entry);
    let mut reference = Reference::new(key, csl_kind(entry, &parents));
    fill(&mut reference, entry, true);
    // What the child does not say itself comes from its first parent: the journal's title
    // becomes the container title, its volume, publisher and date the article's.
    if let Some(parent) = parents.first() {
        if let Some(title) = field(parent, "title") {
            let (long, short) = title_parts(title);
            reference.set_default(Variable::Standard(StandardVariable::ContainerTitle), long);
            if let Some(short) = short {
                reference.set_default(
                    Variable::Standard(StandardVariable::ContainerTitleShort),
                    short,
                );
            }
        }
        if let Some(editors) = field(parent, "editor").and_then(names) {
            reference.set_default(Variable::Name(NameVariable::Editor), editors);
        }
        if let Some(authors) = field(parent, "author").and_then(names) {
            reference.set_default(Variable::Name(NameVariable::ContainerAuthor), authors);
        }
        fill(&mut reference, parent, false);
    }
    reference
}

fn parents(entry: &Mapping) -> Vec<&Mapping> {
    match field(entry, "parent") {
        Some(Yaml::Mapping(parent)) => vec![parent],
        Some(Yaml::Sequence(list)) => list.iter().filter_map(Yaml::as_mapping).collect(),
        _ => Vec::new(),
    }
}

fn field<'a>(entry: &'a Mapping, name: &str) -> Option<&'a Yaml> {
    entry.get(name).filter(|value| !value.is_null())
}

fn entry_type(entry: &Mapping) -> String {
    field(entry, "type")
        .and_then(Yaml::as_str)
        .unwrap_or("misc")
        .to_ascii_lowercase()
}

/// The CSL type of a hayagriva entry, from its type and its first parent's.
fn csl_kind(entry: &Mapping, parents: &[&Mapping]) -> Kind {
    let own = entry_type(entry);
    let parent = parents.first().map(|p| entry_type(p));
    let parent = parent.as_deref();
    let name = match (own.as_str(), parent) {
        ("article", Some("periodical")) => "article-journal",
        ("article", Some("newspaper")) => "article-newspaper",
        ("article", Some("proceedings")) => "paper-conference",
        ("article", Some("blog")) | (_, Some("blog")) => "post-weblog",
        ("article", Some("report")) | ("report", _) => "report",
        ("article", Some("thesis")) | ("thesis", _) => "thesis",
        ("article", _) => "article",
        ("chapter" | "anthos", _) => "chapter",
        ("entry", Some("reference")) => "entry-encyclopedia",
        ("entry", _) => "entry",
        ("book" | "proceedings", _) => "book",
        ("anthology", _) => "collection",
        ("periodical" | "newspaper", _) => "periodical",
        ("web" | "blog" | "thread", _) | (_, Some("web")) => "webpage",
        ("post", _) | (_, Some("thread")) => "post",
        ("misc", _) if field(entry, "url").is_some() => "webpage",
        ("manuscript", _) => "manuscript",
        ("repository", _) => "software",
        ("video", _) => "motion_picture",
        ("audio", _) => "song",
        ("case", _) => "legal_case",
        ("legislation", _) => "legislation",
        ("patent", _) => "patent",
        ("artwork", _) => "graphic",
        ("exhibition", _) => "event",
        ("reference", _) => "book",
        _ => "document",
    };
    kind(name)
}

/// The entry's own variables (`own`), or a parent's where the child lacks them.
fn fill(reference: &mut Reference, entry: &Mapping, own: bool) {
    let mut put = |variable: Variable, value: Option<Value>| {
        if let Some(value) = value {
            if own {
                reference.set(variable, value);
            } else {
                reference.set_default(variable, value);
            }
        }
    };
    let text_of = |name: &str| field(entry, name).and_then(text).map(Value::Text);
    if own {
        if let Some(title) = field(entry, "title") {
            let (long, short) = title_parts(title);
            put(Variable::Standard(StandardVariable::Title), Some(long));
            put(Variable::Standard(StandardVariable::TitleShort), short);
        }
        put(
            Variable::Name(NameVariable::Author),
            field(entry, "author").and_then(names),
        );
        put(
            Variable::Name(NameVariable::Editor),
            field(entry, "editor").and_then(names),
        );
        put(Variable::Page(PageVariable::Page), text_of("page-range"));
        put(
            Variable::Number(NumberVariable::NumberOfPages),
            text_of("page-total"),
        );
        put(Variable::Standard(StandardVariable::Note), text_of("note"));
        put(
            Variable::Standard(StandardVariable::Abstract),
            text_of("abstract"),
        );
        put(
            Variable::Standard(StandardVariable::Annote),
            text_of("annote"),
        );
        put(
            Variable::Standard(StandardVariable::Genre),
            text_of("genre"),
        );
    }
    put(
        Variable::Date(DateVariable::Issued),
        field(entry, "date").and_then(date).map(Value::Date),
    );
    put(Variable::Number(NumberVariable::Volume), text_of("volume"));
    put(
        Variable::Number(NumberVariable::NumberOfVolumes),
        text_of("volume-total"),
    );
    put(Variable::Number(NumberVariable::Issue), text_of("issue"));
    put(
        Variable::Number(NumberVariable::Edition),
        text_of("edition"),
    );
    put(
        Variable::Standard(StandardVariable::Language),
        text_of("language"),
    );
    put(
        Variable::Standard(StandardVariable::Archive),
        text_of("archive"),
    );
    put(
        Variable::Standard(StandardVariable::ArchiveLocation),
        text_of("archive-location"),
    );
    put(
        Variable::Standard(StandardVariable::CallNumber),
        text_of("call-number"),
    );
    let (publisher, publisher_place) = publisher(entry);
    put(
        Variable::Standard(StandardVariable::Publisher),
        publisher.or_else(|| text_of("organization")),
    );
    put(
        Variable::Standard(StandardVariable::PublisherPlace),
        publisher_place.or_else(|| text_of("location")),
    );
    if let Some(url) = field(entry, "url") {
        let (address, accessed) = match url {
            Yaml::Mapping(url) => (
                field(url, "value").and_then(Yaml::as_str),
                field(url, "date").and_then(date),
            ),
            other => (other.as_str(), None),
        };
        put(
            Variable::Standard(StandardVariable::URL),
            address.map(|a| Value::Text(a.trim().to_string())),
        );
        put(
            Variable::Date(DateVariable::Accessed),
            accessed.map(Value::Date),
        );
    }
    for (key, variable) in serial_numbers(entry) {
        put(variable, Some(Value::Text(key)));
    }
}

/// `title: "Long"` or `title: {value: "Long", short: "Short"}`.
fn title_parts(title: &Yaml) -> (Value, Option<Value>) {
    match title {
        Yaml::Mapping(parts) => (
            Value::Text(field(parts, "value").and_then(text).unwrap_or_default()),
            field(parts, "short").and_then(text).map(Value::Text),
        ),
        other => (Value::Text(text(other).unwrap_or_default()), None),
    }
}

/// `publisher: "Name"` or `publisher: {name: "Name", location: "Place"}`.
fn publisher(entry: &Mapping) -> (Option<Value>, Option<Value>) {
    match field(entry, "publisher") {
        Some(Yaml::Mapping(parts)) => (
            field(parts, "name").and_then(text).map(Value::Text),
            field(parts, "location").and_then(text).map(Value::Text),
        ),
        Some(other) => (text(other).map(Value::Text), None),
        None => (None, None),
    }
}

/// `serial-number: "10.1/x"` (a DOI) or a mapping of `doi`, `isbn`, `issn`, `pmid`, `pmcid`,
/// `arxiv`; an arXiv number becomes its URL's number as CSL has no variable for it.
fn serial_numbers(entry: &Mapping) -> Vec<(String, Variable)> {
    let mut out = Vec::new();
    match field(entry, "serial-number") {
        Some(Yaml::Mapping(numbers)) => {
            for (name, value) in numbers {
                let (Some(name), Some(value)) = (name.as_str(), text(value)) else {
                    continue;
                };
                let variable = match name.to_ascii_lowercase().as_str() {
                    "doi" => Variable::Standard(StandardVariable::DOI),
                    "isbn" => Variable::Standard(StandardVariable::ISBN),
                    "issn" => Variable::Standard(StandardVariable::ISSN),
                    "pmid" => Variable::Standard(StandardVariable::PMID),
                    "pmcid" => Variable::Standard(StandardVariable::PMCID),
                    _ => Variable::Number(NumberVariable::Number),
                };
                out.push((value, variable));
            }
        }
        Some(other) => {
            if let Some(value) = text(other) {
                let variable = if value.starts_with("10.") {
                    Variable::Standard(StandardVariable::DOI)
                } else {
                    Variable::Number(NumberVariable::Number)
                };
                out.push((value, variable));
            }
        }
        None => {}
    }
    out
}

/// A string or number as CSL rich text: braces protect their content from recasing, and a
/// `<` that CSL-JSON would read as a tag is guarded.
fn text(value: &Yaml) -> Option<String> {
    let raw = match value {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => return None,
    };
    let raw = raw.trim();
    (!raw.is_empty()).then(|| rich_text(raw))
}

fn rich_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0usize;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('{' | '}' | '\\')) => {
                out.extend(chars.next());
            }
            '{' => {
                if depth == 0 {
                    out.push_str("<span class=\"nocase\">");
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push_str("</span>");
                }
            }
            '<' => {
                out.push('<');
                out.push(TAG_GUARD);
            }
            c => out.push(c),
        }
    }
    if depth > 0 {
        out.push_str("</span>");
    }
    out
}

/// One person, or a list of them: `Family, Given` strings or `{name, given-name, prefix,
/// suffix, alias}` mappings; a name without a given name is kept whole (an organisation).
fn names(value: &Yaml) -> Option<Value> {
    let list: Vec<Name> = match value {
        Yaml::Sequence(people) => people.iter().filter_map(person).collect(),
        one => person(one).into_iter().collect(),
    };
    (!list.is_empty()).then_some(Value::Names(list))
}

fn person(value: &Yaml) -> Option<Name> {
    // Names have no markup either: a `<` that would read as a tag is guarded.
    let plain = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.replace('<', &format!("<{TAG_GUARD}")))
    };
    match value {
        Yaml::Mapping(parts) => {
            let get = |name: &str| field(parts, name).and_then(Yaml::as_str).and_then(plain);
            let family = get("name")?;
            let given = get("given-name");
            let mut name = match given {
                Some(given) => Name::person(family, Some(given)),
                None => Name::literal(family),
            };
            name.non_dropping_particle = get("prefix");
            name.suffix = get("suffix");
            name.alias = get("alias");
            Some(name)
        }
        Yaml::String(written) => {
            let mut parts = written.split(',').map(str::trim);
            let family = parts.next().and_then(plain)?;
            let given = parts.next().and_then(plain);
            let suffix = parts.next().and_then(plain);
            let mut name = match given {
                Some(given) => Name::person(family, Some(given)),
                None => Name::literal(family),
            };
            name.suffix = suffix;
            Some(name)
        }
        _ => None,
    }
}

/// `2025`, `2025-06`, `2025-06-04` (a leading `-` for years before the common era).
fn date(value: &Yaml) -> Option<Date> {
    let written = match value {
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let (negative, body) = match written.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, written.as_str()),
    };
    let mut numbers = body.split('-').map(|part| part.trim().parse::<i64>().ok());
    let year = numbers.next().flatten()?;
    let month = numbers
        .next()
        .flatten()
        .filter(|m| (1..=12).contains(m))
        .map(|m| m as u8);
    let day = numbers
        .next()
        .flatten()
        .filter(|d| (1..=31).contains(d) && month.is_some())
        .map(|d| d as u8);
    let year = if negative { -year } else { year } as i32;
    Some(Date {
        parts: vec![DateParts { year, month, day }],
        ..Date::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Vec<Reference> {
        let value: Yaml = serde_yaml::from_str(yaml).unwrap();
        read_hayagriva(value.as_mapping().unwrap())
    }

    #[test]
    fn an_organisation_with_an_alias_and_a_web_page() {
        let refs = read(
            "usgs2025:\n  type: web\n  title: \"Rare {Earth} elements\"\n  author: { name: \"U.S. Geological Survey\", alias: USGS }\n  date: 2025-01-31\n  url: { value: https://usgs.gov/x, date: 2025-03-02 }\n",
        );
        let r = &refs[0];
        assert_eq!(r.kind, Kind::Webpage);
        assert_eq!(
            r.text(Variable::Standard(StandardVariable::Title)),
            Some("Rare <span class=\"nocase\">Earth</span> elements")
        );
        let authors = r.names(NameVariable::Author).unwrap();
        assert_eq!(
            authors[0].literal.as_deref(),
            Some("U.S. Geological Survey")
        );
        assert_eq!(authors[0].alias.as_deref(), Some("USGS"));
        let issued = r.date(DateVariable::Issued).unwrap();
        assert_eq!(
            issued.parts[0],
            DateParts {
                year: 2025,
                month: Some(1),
                day: Some(31)
            }
        );
        assert!(r.date(DateVariable::Accessed).is_some());
        assert_eq!(
            r.text(Variable::Standard(StandardVariable::URL)),
            Some("https://usgs.gov/x")
        );
    }

    #[test]
    fn an_article_takes_its_journal_from_the_parent() {
        let refs = read(
            "gross:\n  type: article\n  author: [\"Gross, E. P.\"]\n  title: Vortex\n  page-range: 454-477\n  parent:\n    type: periodical\n    title: Il Nuovo Cimento\n    volume: 20\n    issue: 3\n    date: 1961-05\n  serial-number: { doi: 10.1007/BF02731494 }\n",
        );
        let r = &refs[0];
        assert_eq!(r.kind, Kind::ArticleJournal);
        assert_eq!(
            r.text(Variable::Standard(StandardVariable::ContainerTitle)),
            Some("Il Nuovo Cimento")
        );
        assert_eq!(r.text(Variable::Number(NumberVariable::Volume)), Some("20"));
        assert_eq!(
            r.text(Variable::Standard(StandardVariable::DOI)),
            Some("10.1007/BF02731494")
        );
        let author = &r.names(NameVariable::Author).unwrap()[0];
        assert_eq!(author.family.as_deref(), Some("Gross"));
        assert_eq!(author.given.as_deref(), Some("E. P."));
        assert_eq!(
            r.date(DateVariable::Issued).unwrap().parts[0].month,
            Some(5)
        );
    }

    #[test]
    fn markup_in_the_data_stays_text() {
        let refs = read("x:\n  type: web\n  title: \"Tags <b>bold</b> & <script>\"\n");
        let title = refs[0]
            .text(Variable::Standard(StandardVariable::Title))
            .unwrap();
        assert!(!title.contains("<b>"), "{title}");
    }
}
