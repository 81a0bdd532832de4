//! CSL-JSON reference files (Zotero's "Better CSL JSON", Pandoc's `--bibliography x.json`): each
//! item is translated into hayagriva's own YAML model and read by hayagriva, so that CSL-JSON,
//! BibTeX and YAML entries format identically. Items are looked up by `citation-key`, else `id`.

use std::sync::Arc;

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

use super::bibtex::ParsedEntry;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::frontmatter::offset_of;

pub fn parse(file: &Arc<SourceFile>) -> Result<(Vec<ParsedEntry>, Vec<Diagnostic>), Diagnostic> {
    let items: Json = serde_json::from_str(&file.text).map_err(|error| {
        let at = offset_of(&file.text, 0, error.line(), error.column());
        Diagnostic::new(format!("invalid CSL-JSON: {error}"))
            .at(file, at..at, "here")
            .hint("a CSL-JSON file is an array of items, as Zotero exports it")
    })?;
    let Json::Array(items) = items else {
        return Err(
            Diagnostic::new("invalid CSL-JSON: expected an array of items")
                .at(file, 0..0, "here")
                .hint("a CSL-JSON file is an array of items, as Zotero exports it"),
        );
    };
    Ok(parse_items(file, &items, "CSL-JSON"))
}

/// CSL items, from a CSL-JSON file or a CSL-YAML one (Pandoc's `references:` list).
pub fn parse_items(
    file: &Arc<SourceFile>,
    items: &[Json],
    format: &str,
) -> (Vec<ParsedEntry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let key = item
            .get("citation-key")
            .or_else(|| item.get("id"))
            .and_then(json_text);
        let Some(key) = key else {
            warnings.push(
                Diagnostic::warning(format!(
                    "skipped {format} item {}: it has no `citation-key` or `id`",
                    index + 1
                ))
                .at(file, 0..0, "in this file")
                .hint("give each item an `id` (Zotero exports one) or a `citation-key`"),
            );
            continue;
        };
        let key_span = locate_key(&file.text, &key);
        let mut library = Mapping::new();
        library.insert(Yaml::from(key.clone()), to_hayagriva(item));
        match serde_yaml::from_value::<hayagriva::Library>(Yaml::Mapping(library)) {
            Ok(library) => {
                if let Some(entry) = library.iter().next() {
                    entries.push(ParsedEntry {
                        entry: entry.clone(),
                        key_span,
                    });
                }
            }
            Err(error) => warnings.push(
                Diagnostic::warning(format!("skipped {format} item `{key}`: {error}"))
                    .at(file, key_span, "this item")
                    .hint(
                        "the other items were read; citing this one is an error until it is fixed",
                    ),
            ),
        }
    }
    (entries, warnings)
}

/// Where `"key"` is written, for messages about the item.
fn locate_key(text: &str, key: &str) -> std::ops::Range<usize> {
    let quoted = format!("\"{key}\"");
    text.find(&quoted)
        .map_or(0..0, |i| i + 1..i + 1 + key.len())
}

fn json_text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One CSL-JSON item as a hayagriva YAML entry.
fn to_hayagriva(item: &Json) -> Yaml {
    let csl_type = item
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or("document");
    let (entry_type, parent_type) = match csl_type {
        "article-journal" | "article-magazine" => ("article", Some("periodical")),
        "article-newspaper" => ("article", Some("newspaper")),
        "paper-conference" => ("article", Some("proceedings")),
        "chapter" => ("chapter", Some("book")),
        "entry" | "entry-encyclopedia" | "entry-dictionary" => ("entry", Some("reference")),
        "article" => ("article", None),
        "book" => ("book", None),
        "report" => ("report", None),
        "thesis" => ("thesis", None),
        "webpage" | "post" | "post-weblog" => ("web", None),
        "software" => ("repository", None),
        "dataset" => ("misc", None),
        "manuscript" => ("manuscript", None),
        "patent" => ("patent", None),
        "legislation" | "bill" | "regulation" => ("legislation", None),
        "legal_case" => ("case", None),
        "motion_picture" | "broadcast" => ("video", None),
        "song" => ("audio", None),
        "speech" | "presentation" => ("misc", None),
        _ => ("misc", None),
    };
    let mut entry = Mapping::new();
    let set = |map: &mut Mapping, key: &str, value: Option<Yaml>| {
        if let Some(value) = value {
            map.insert(Yaml::from(key), value);
        }
    };
    set(&mut entry, "type", Some(Yaml::from(entry_type)));
    set(&mut entry, "title", text(item, "title"));
    set(&mut entry, "author", names(item, "author"));
    set(&mut entry, "editor", names(item, "editor"));
    set(&mut entry, "date", date(item.get("issued")));
    set(&mut entry, "page-range", text(item, "page"));
    set(&mut entry, "edition", text(item, "edition"));
    set(&mut entry, "note", text(item, "note"));
    set(&mut entry, "genre", text(item, "genre"));
    set(&mut entry, "language", text(item, "language"));
    set(&mut entry, "organization", text(item, "authority"));
    let mut serials = Mapping::new();
    for (csl, ours) in [
        ("DOI", "doi"),
        ("ISBN", "isbn"),
        ("ISSN", "issn"),
        ("PMID", "pmid"),
        ("PMCID", "pmcid"),
    ] {
        set(&mut serials, ours, text(item, csl));
    }
    if !serials.is_empty() {
        entry.insert(Yaml::from("serial-number"), Yaml::Mapping(serials));
    }
    if let Some(url) = text(item, "URL") {
        let mut qualified = Mapping::new();
        qualified.insert(Yaml::from("value"), url);
        set(&mut qualified, "date", date(item.get("accessed")));
        entry.insert(Yaml::from("url"), Yaml::Mapping(qualified));
    }
    let publisher = text(item, "publisher");
    let place = text(item, "publisher-place").or_else(|| text(item, "event-place"));
    let mut volume_holder = Mapping::new();
    set(&mut volume_holder, "volume", text(item, "volume"));
    set(&mut volume_holder, "issue", text(item, "issue"));
    let container = text(item, "container-title");
    match (parent_type, container) {
        (Some(parent_type), Some(container)) => {
            let mut parent = volume_holder;
            parent.insert(Yaml::from("type"), Yaml::from(parent_type));
            parent.insert(Yaml::from("title"), container);
            set(&mut parent, "publisher", publisher_value(publisher, place));
            entry.insert(Yaml::from("parent"), Yaml::Mapping(parent));
        }
        (None, Some(container)) if entry_type == "web" => {
            let mut parent = Mapping::new();
            parent.insert(Yaml::from("type"), Yaml::from("web"));
            parent.insert(Yaml::from("title"), container);
            entry.insert(Yaml::from("parent"), Yaml::Mapping(parent));
            set(&mut entry, "publisher", publisher_value(publisher, place));
        }
        _ => {
            entry.extend(volume_holder);
            set(&mut entry, "publisher", publisher_value(publisher, place));
        }
    }
    Yaml::Mapping(entry)
}

fn text(item: &Json, field: &str) -> Option<Yaml> {
    item.get(field).and_then(json_text).map(Yaml::from)
}

fn publisher_value(name: Option<Yaml>, place: Option<Yaml>) -> Option<Yaml> {
    let name = name?;
    let mut publisher = Mapping::new();
    publisher.insert(Yaml::from("name"), name);
    if let Some(place) = place {
        publisher.insert(Yaml::from("location"), place);
    }
    Some(Yaml::Mapping(publisher))
}

/// CSL names (`family`/`given`, or `literal` for organisations) as hayagriva persons.
fn names(item: &Json, field: &str) -> Option<Yaml> {
    let list = item.get(field)?.as_array()?;
    let persons: Vec<Yaml> = list
        .iter()
        .filter_map(|name| {
            let mut person = Mapping::new();
            let family = name
                .get("family")
                .and_then(json_text)
                .or_else(|| name.get("literal").and_then(json_text))?;
            person.insert(Yaml::from("name"), Yaml::from(family));
            if let Some(given) = name.get("given").and_then(json_text) {
                person.insert(Yaml::from("given-name"), Yaml::from(given));
            }
            if let Some(prefix) = name
                .get("non-dropping-particle")
                .or_else(|| name.get("dropping-particle"))
                .and_then(json_text)
            {
                person.insert(Yaml::from("prefix"), Yaml::from(prefix));
            }
            if let Some(suffix) = name.get("suffix").and_then(json_text) {
                person.insert(Yaml::from("suffix"), Yaml::from(suffix));
            }
            Some(Yaml::Mapping(person))
        })
        .collect();
    (!persons.is_empty()).then_some(Yaml::Sequence(persons))
}

/// `{"date-parts": [[2021, 3, 4]]}` (or `{"raw": "2021-03-04"}`) as `2021-03-04`.
fn date(value: Option<&Json>) -> Option<Yaml> {
    let value = value?;
    if let Some(parts) = value
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(Json::as_array)
    {
        let numbers: Vec<i64> = parts
            .iter()
            .filter_map(|p| {
                p.as_i64()
                    .or_else(|| p.as_str().and_then(|s| s.trim().parse().ok()))
            })
            .collect();
        return match numbers.as_slice() {
            [year] => Some(Yaml::from(format!("{year:04}"))),
            [year, month] => Some(Yaml::from(format!("{year:04}-{month:02}"))),
            [year, month, day, ..] => Some(Yaml::from(format!("{year:04}-{month:02}-{day:02}"))),
            [] => None,
        };
    }
    let raw = value
        .get("raw")
        .or_else(|| value.get("literal"))
        .and_then(Json::as_str)?;
    let year: String = raw.chars().filter(char::is_ascii_digit).take(4).collect();
    (year.len() == 4).then(|| {
        Yaml::from(if raw.len() >= 10 && raw.as_bytes()[4] == b'-' {
            raw[..10].to_string()
        } else {
            year
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zotero_items_become_entries_by_citation_key() {
        let text = r#"[
          {"id": "http://zotero.org/users/1/items/ABC", "citation-key": "doe2021", "type": "article-journal",
           "title": "On things", "container-title": "Journal of Things", "volume": "3", "issue": "2",
           "page": "33-35", "DOI": "10.1000/xyz", "issued": {"date-parts": [[2021, 3, 4]]},
           "author": [{"family": "Doe", "given": "Jane"}, {"literal": "The Things Group"}]},
          {"id": "web1", "type": "webpage", "title": "A page", "URL": "https://example.org/p",
           "issued": {"date-parts": [["2020"]]}, "author": [{"literal": "Agency"}]}
        ]"#;
        let (entries, warnings) = parse(&SourceFile::new("refs.json", text)).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(entries.len(), 2);
        let doe = &entries[0].entry;
        assert_eq!(doe.key(), "doe2021");
        assert_eq!(doe.doi(), Some("10.1000/xyz"));
        assert_eq!(doe.authors().unwrap().len(), 2);
        assert_eq!(
            doe.parents()[0].title().map(|t| t.value.to_string()),
            Some("Journal of Things".into())
        );
        assert_eq!(
            entries[1].entry.url().map(|u| u.value.as_str()),
            Some("https://example.org/p")
        );
    }

    #[test]
    fn a_syntax_error_has_a_line_and_column() {
        let error = parse(&SourceFile::new("refs.json", "[\n {\"id\": \"a\",,}\n]"))
            .err()
            .unwrap();
        assert_eq!(error.position().as_deref(), Some("refs.json:2:13"));
    }
}
