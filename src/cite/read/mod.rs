//! Readers of reference files into the CSL engine's model, [`crate::csl::reference`].
//!
//! - [`bibtex`]: BibTeX and biblatex (`.bib`).
//! - [`rich`]: the rich text readers build, written as CSL-JSON markup.

pub mod bibtex;
pub mod rich;
