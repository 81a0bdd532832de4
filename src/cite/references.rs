//! Reference files — hayagriva YAML, BibTeX/BibLaTeX, CSL-JSON, CSL-YAML — read into the CSL
//! engine's model ([`Reference`]), plus this project's own per-entry fields (`listed: false`
//! for a source the author cited but did not list).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use super::bibtex;
use super::csl_json;
use super::read::hayagriva::read_hayagriva;
use crate::csl::reference::Reference;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::frontmatter::{offset_of, yaml_diagnostic, YamlPlace};
use crate::load::Project;
use crate::parse::Document;

/// Every entry of every reference file.
#[derive(Debug, Default)]
pub struct References {
    /// In the order the files give them; each key once.
    pub entries: Vec<Reference>,
    by_key: HashMap<String, usize>,
    pub info: BTreeMap<String, EntryInfo>,
    /// Entries that could not be read (the others were), and other slips in the files.
    pub warnings: Vec<Diagnostic>,
}

impl References {
    pub fn get(&self, key: &str) -> Option<&Reference> {
        self.by_key.get(key).map(|&index| &self.entries[index])
    }

    /// Every key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|entry| entry.id.as_str())
    }

    fn push(&mut self, reference: Reference) {
        self.by_key.insert(reference.id.clone(), self.entries.len());
        self.entries.push(reference);
    }
}

/// An entry read from a file, with where its key is written.
pub struct ParsedEntry {
    pub reference: Reference,
    pub key_span: Range<usize>,
}

/// What the tool knows about an entry besides what the engine formats.
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
    let mut references = References::default();
    if document.meta.bibliography.0.is_empty() {
        let span = document.index_yaml.clone();
        return Err(Diagnostic::new("the brief names no references file")
            .at(&document.index, span.start..span.start, "in this metadata")
            .hint("add `bibliography: data/references.yaml` (or a .bib or .json file) to the metadata")
            .into());
    }
    for name in &document.meta.bibliography.0 {
        let file = match project.read_source(name) {
            Ok(file) => file,
            Err(error) => {
                let span = field_span(document, "bibliography", name);
                diagnostics.push(error.named_at(
                    "the references file",
                    name,
                    (&document.index, span),
                    "the path is relative to the brief's folder, e.g. `data/references.yaml`",
                ));
                continue;
            }
        };
        let parsed = match Format::of(name) {
            Some(Format::BibTeX) => bibtex::parse(&file),
            Some(Format::CslJson) => csl_json::parse(&file),
            Some(Format::Yaml) => parse_yaml(&file),
            None => Err(Diagnostic::new(format!(
                "`{name}` is not a references format brief reads"
            ))
            .at(
                &document.index,
                field_span(document, "bibliography", name),
                "named here",
            )
            .hint("use .yaml (hayagriva or CSL-YAML), .bib (BibTeX/BibLaTeX) or .json (CSL-JSON)")),
        };
        // A file whose contents are another format than its name says gets told so.
        let declared = Format::of(name);
        let sniffed = Format::sniff(&file.text).filter(|sniffed| Some(*sniffed) != declared);
        let (entries, file_warnings) = match (parsed, sniffed) {
            (Ok((entries, _)), Some(sniffed)) if entries.is_empty() => {
                diagnostics.push(
                    Diagnostic::new(format!("`{name}` holds no references it can read"))
                        .at(&file, 0..0, "in this file")
                        .hint(sniffed.rename_hint()),
                );
                continue;
            }
            (Ok(parsed), _) => parsed,
            (Err(error), Some(sniffed)) => {
                diagnostics.push(Diagnostic {
                    hint: Some(sniffed.rename_hint()),
                    ..error
                });
                continue;
            }
            (Err(error), None) => {
                diagnostics.push(error);
                continue;
            }
        };
        references.warnings.extend(file_warnings);
        let unlisted = match Format::of(name) {
            Some(Format::Yaml) => keys_with_false(&file, "listed"),
            _ => BTreeSet::new(),
        };
        for ParsedEntry {
            reference,
            key_span,
        } in entries
        {
            let key = reference.id.clone();
            if let Some(previous) = references.info.get(&key) {
                let (line, column) = previous.file.line_col(previous.span.start);
                diagnostics.push(
                    Diagnostic::new(format!("the key `{key}` is defined twice"))
                        .at(&file, key_span, "second definition")
                        .hint(format!(
                            "the first is at {}:{line}:{column}; keys must be unique across the reference files",
                            previous.file.name
                        )),
                );
                continue;
            }
            let listed = !unlisted.contains(&key);
            references.info.insert(
                key,
                EntryInfo {
                    listed,
                    file: Arc::clone(&file),
                    span: key_span,
                },
            );
            references.push(reference);
        }
    }
    diagnostics.into_result(references)
}

/// The reference formats, told apart by file extension as Pandoc does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    BibTeX,
    CslJson,
}

impl Format {
    /// The format the text looks like: BibTeX starts with `@` (after comments), JSON with `[`
    /// or `{`, YAML with `key:` or `- `.
    fn sniff(text: &str) -> Option<Format> {
        let start = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with('%') && !line.starts_with('#'))?;
        if start.starts_with('@') {
            Some(Format::BibTeX)
        } else if start.starts_with('[') || start.starts_with('{') {
            Some(Format::CslJson)
        } else if start.starts_with("- ") || start.contains(':') {
            Some(Format::Yaml)
        } else {
            None
        }
    }

    fn rename_hint(self) -> String {
        let (what, extension) = match self {
            Format::BibTeX => ("BibTeX", ".bib"),
            Format::CslJson => ("CSL-JSON", ".json"),
            Format::Yaml => ("YAML", ".yaml"),
        };
        format!("the file looks like {what}: brief reads formats by file name, so name it `{extension}`")
    }

    fn of(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match extension.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "bib" | "bibtex" | "biblatex" => Some(Format::BibTeX),
            "json" => Some(Format::CslJson),
            _ => None,
        }
    }
}

fn parse_yaml(file: &Arc<SourceFile>) -> Result<(Vec<ParsedEntry>, Vec<Diagnostic>), Diagnostic> {
    crate::frontmatter::check_yaml_depth(file, &file.text, "references file", &|at| at)?;
    // CSL-YAML (Pandoc's format: a list of CSL items, or `references:` holding one) is CSL-JSON
    // in YAML's syntax; hayagriva's YAML is a mapping from keys to entries.
    if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) {
        let items = match &value {
            serde_yaml::Value::Sequence(_) => Some(&value),
            serde_yaml::Value::Mapping(map) => map.get("references").filter(|r| r.is_sequence()),
            _ => None,
        };
        if let Some(serde_json::Value::Array(items)) =
            items.and_then(|items| serde_json::to_value(items).ok())
        {
            return Ok(csl_json::parse_items(file, &items, "CSL-YAML"));
        }
    }
    // hayagriva's own reader checks the file, for its messages; the entries are read here.
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
    })?;
    let value: serde_yaml::Value = serde_yaml::from_str(&file.text).unwrap_or_default();
    let entries = value
        .as_mapping()
        .map(read_hayagriva)
        .unwrap_or_default()
        .into_iter()
        .map(|reference| ParsedEntry {
            key_span: key_span(file, &reference.id),
            reference,
        })
        .collect();
    Ok((entries, Vec::new()))
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

/// Keys of the YAML entries that set `field: false` (this project's own fields).
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
