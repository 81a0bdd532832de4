//! BibTeX and biblatex files read into CSL-JSON-shaped [`Reference`]s, as Pandoc reads them
//! (its manual's "Specifying bibliographic data"), with Pandoc 3 as the oracle for what comes
//! out. The stages, one file each:
//!
//! - [`syntax`]: blocks, fields and `@string` abbreviations, bounded against hostile input;
//! - here: duplicate keys (the first entry wins, as in biber);
//! - [`inherit`]: `crossref` and `xdata`;
//! - [`fields`]: entry types and fields onto CSL's, with [`latex`] (LaTeX to rich text),
//!   [`titles`] (sentence case), [`names`], [`dates`] and [`languages`] doing the reading.

pub mod dates;
pub mod fields;
pub mod inherit;
pub mod languages;
pub mod latex;
pub mod names;
pub mod syntax;
pub mod titles;
pub mod types;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::{line_of, BibtexFile, ReadEntry, ReadWarning};
#[cfg(doc)]
use crate::csl::reference::Reference;

/// Reads every entry of a `.bib` file that can be read; what could not be, or may not be what
/// the author meant, is a warning at its place.
pub fn read_bibtex(text: &str) -> BibtexFile {
    let (raw, mut warnings) = syntax::parse(text);
    let mut first_at: HashMap<String, usize> = HashMap::new();
    let mut unique = Vec::with_capacity(raw.len());
    for entry in raw {
        if let Some(first) = first_at.get(&entry.key) {
            warnings.push(ReadWarning {
                message: format!(
                    "duplicate key `{}`: the entry on line {} is used, this one is ignored",
                    entry.key,
                    line_of(text, *first)
                ),
                span: entry.key_span.clone(),
                hint: "biber keeps the first entry with a key; rename or remove one of them".into(),
            });
            continue;
        }
        first_at.insert(entry.key.clone(), entry.key_span.start);
        unique.push(entry);
    }
    let resolved = inherit::resolve(&unique, &mut warnings);
    // Entries convert independently: on every core, in order (a 5,000-entry file is most of a
    // big brief's rebuild otherwise).
    let converted = crate::parallel::map(resolved.len(), |i| {
        let entry = &resolved[i];
        let (reference, notes) = fields::to_reference(entry);
        let read = ReadEntry {
            reference,
            key_span: entry.key_span.clone(),
            field_spans: entry
                .fields
                .iter()
                .map(|field| (field.name.clone(), field.span.clone()))
                .collect(),
        };
        (read, notes)
    });
    let mut entries = Vec::with_capacity(converted.len());
    for (entry, notes) in converted {
        warnings.extend(notes);
        entries.push(entry);
    }
    BibtexFile { entries, warnings }
}
