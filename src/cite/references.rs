//! Reference files: hayagriva YAML or BibLaTeX, read into one library, plus this project's own
//! per-entry fields (`listed: false` for a source the author cited but did not list).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use hayagriva::io::BibLaTeXError;
use hayagriva::Library;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::frontmatter::{offset_of, yaml_diagnostic, YamlPlace};
use crate::load::Project;
use crate::parse::Document;

/// Every entry of every reference file.
#[derive(Debug)]
pub struct References {
    pub library: Library,
    pub info: BTreeMap<String, EntryInfo>,
}

/// What the tool knows about an entry besides what hayagriva formats.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    /// False for a source the text cites but the author's own list omits.
    pub listed: bool,
    pub file: Arc<SourceFile>,
    /// Where the entry's key is written.
    pub span: Range<usize>,
}

pub fn load_references(project: &Project, document: &Document) -> Result<References, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut library = Library::new();
    let mut info = BTreeMap::new();
    if document.meta.bibliography.0.is_empty() {
        let span = document.index_yaml.clone();
        return Err(Diagnostic::new("the brief names no references file")
            .at(&document.index, span.start..span.start, "in this metadata")
            .hint("add `bibliography: data/references.yaml` (or a .bib file) to content/_index.md")
            .into());
    }
    for name in &document.meta.bibliography.0 {
        let file = match project.read_source(name) {
            Ok(file) => file,
            Err(error) => {
                let span = field_span(document, "bibliography", name);
                diagnostics.push(
                    Diagnostic::new(format!(
                        "cannot read the references file `{name}`: {}",
                        error.message
                    ))
                    .at(&document.index, span, "named here")
                    .hint(
                        "the path is relative to the brief's folder, e.g. `data/references.yaml`",
                    ),
                );
                continue;
            }
        };
        let parsed = if name.ends_with(".bib") {
            parse_biblatex(&file)
        } else {
            parse_yaml(&file)
        };
        match parsed {
            Ok(entries) => {
                let unlisted = if name.ends_with(".bib") {
                    Default::default()
                } else {
                    keys_with_false(&file, "listed")
                };
                for entry in entries.iter() {
                    let key = entry.key().to_string();
                    let span = key_span(&file, &key);
                    if let Some(previous) = info.get(&key) {
                        let previous: &EntryInfo = previous;
                        diagnostics.push(
                            Diagnostic::new(format!("the key `{key}` is defined twice"))
                                .at(&file, span.clone(), "second definition")
                                .hint(format!(
                                    "it is also in {}; keys must be unique",
                                    previous.file.name
                                )),
                        );
                        continue;
                    }
                    let listed = !unlisted.contains(&key);
                    info.insert(
                        key,
                        EntryInfo {
                            listed,
                            file: Arc::clone(&file),
                            span,
                        },
                    );
                    library.push(entry);
                }
            }
            Err(error) => diagnostics.push(error),
        }
    }
    diagnostics.into_result(References { library, info })
}

fn parse_yaml(file: &Arc<SourceFile>) -> Result<Library, Diagnostic> {
    hayagriva::io::from_yaml_str(&file.text).map_err(|error| {
        let locate = |line: usize, column: usize| offset_of(&file.text, 0, line, column);
        let place = YamlPlace { what: "references file", fields: &[], fallback: 0, locate: &locate };
        let diagnostic = yaml_diagnostic(file, &error, &place);
        if diagnostic.hint.is_some() {
            return diagnostic;
        }
        diagnostic.hint(
            "entries are `key:` followed by indented fields (type, title, author, date, url); see hayagriva's file format",
        )
    })
}

fn parse_biblatex(file: &Arc<SourceFile>) -> Result<Library, Diagnostic> {
    hayagriva::io::from_biblatex_str(&file.text).map_err(|errors| {
        let first = errors.first();
        let span = match first {
            Some(BibLaTeXError::Parse(e)) => e.span.clone(),
            Some(BibLaTeXError::Type(e)) => e.span.clone(),
            None => 0..0,
        };
        let message = first.map_or_else(|| "unknown error".to_string(), ToString::to_string);
        Diagnostic::new(format!("invalid BibLaTeX: {message}")).at(file, span, "here")
    })
}

/// Where `key` is defined: `key:` at the start of a YAML line or `{key,` in BibLaTeX.
fn key_span(file: &SourceFile, key: &str) -> Range<usize> {
    let text = &file.text;
    let yaml = format!("\n{key}:");
    let bib = format!("{{{key},");
    if text.starts_with(&format!("{key}:")) {
        return 0..key.len();
    }
    if let Some(i) = text.find(&yaml) {
        return i + 1..i + 1 + key.len();
    }
    if let Some(i) = text.find(&bib) {
        return i + 1..i + 1 + key.len();
    }
    0..0
}

/// Keys of the YAML entries that set `field: false` (hayagriva ignores fields it does not know,
/// so this project's own fields are read here).
fn keys_with_false(file: &SourceFile, field: &str) -> BTreeSet<String> {
    let Ok(serde_yaml::Value::Mapping(entries)) =
        serde_yaml::from_str::<serde_yaml::Value>(&file.text)
    else {
        return BTreeSet::new();
    };
    entries
        .iter()
        .filter(|(_, entry)| entry.get(field).and_then(serde_yaml::Value::as_bool) == Some(false))
        .filter_map(|(key, _)| key.as_str().map(str::to_string))
        .collect()
}

/// The span of `value` as written after `field:` in the brief's metadata, for errors about it.
pub fn field_span(document: &Document, field: &str, value: &str) -> Range<usize> {
    let yaml = document.index_yaml.clone();
    let text = &document.index.text[yaml.clone()];
    let field_at = text.find(&format!("{field}:")).unwrap_or(0);
    match text[field_at..].find(value) {
        Some(i) => yaml.start + field_at + i..yaml.start + field_at + i + value.len(),
        None => yaml.start + field_at..yaml.start + field_at + field.len(),
    }
}
