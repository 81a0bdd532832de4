//! Readers of reference files into the CSL engine's model, [`crate::csl::reference`]. Each
//! reader turns a file's text into [`Reference`]s, with where each entry and field is written
//! (byte spans into the text) and warnings at their places, so that errors can name a line.
//!
//! - [`bibtex`]: BibTeX and biblatex (`.bib`), read as Pandoc reads them.
//! - [`rich`]: the rich text readers build, written as CSL-JSON markup.
//! - [`json`]: a [`Reference`] written as CSL-JSON, to compare a reader with Pandoc's.

pub mod bibtex;
pub mod hayagriva;
pub mod json;
pub mod rich;

#[cfg(test)]
mod corpus_tests;

use std::ops::Range;

use crate::csl::reference::Reference;

pub use bibtex::read_bibtex;
pub use json::to_csl_json;

/// What a BibTeX file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct BibtexFile {
    /// The entries read, in file order, `@xdata` entries and ignored duplicates left out.
    pub entries: Vec<ReadEntry>,
    pub warnings: Vec<ReadWarning>,
}

/// One entry, and where its parts are written.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadEntry {
    pub reference: Reference,
    /// The key after `@type{`.
    pub key_span: Range<usize>,
    /// Each field (in lower case) and where its value is written: inherited fields point into
    /// the entry they came from.
    pub field_spans: Vec<(String, Range<usize>)>,
}

/// Something the author should know: an entry skipped, an abbreviation not defined, a
/// duplicate key, text LaTeX would drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadWarning {
    pub message: String,
    /// Where in the text.
    pub span: Range<usize>,
    /// What to do about it.
    pub hint: String,
}

/// The line (from 1) that byte `offset` of `text` is on.
pub fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
