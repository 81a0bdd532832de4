//! CSL-JSON reference files (Zotero's "Better CSL JSON", Pandoc's `--bibliography x.json`): the
//! engine's model is CSL-JSON's, so each item is read by [`crate::csl::json`] as it is. Items
//! are looked up by `citation-key`, else `id`.

use std::sync::Arc;

use serde_json::Value as Json;

use super::references::ParsedEntry;
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
        match crate::csl::json::reference(item) {
            Ok(mut reference) => {
                reference.id = key;
                entries.push(ParsedEntry {
                    reference,
                    key_span,
                });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csl::reference::{variable, NameVariable};

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
        let doe = &entries[0].reference;
        assert_eq!(doe.id, "doe2021");
        assert_eq!(doe.text(variable("DOI").unwrap()), Some("10.1000/xyz"));
        assert_eq!(doe.names(NameVariable::Author).unwrap().len(), 2);
        assert_eq!(
            doe.text(variable("container-title").unwrap()),
            Some("Journal of Things")
        );
        assert_eq!(
            entries[1].reference.text(variable("URL").unwrap()),
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
