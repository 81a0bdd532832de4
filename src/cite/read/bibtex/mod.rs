//! BibTeX and biblatex files, read as Pandoc reads them.

pub mod dates;
pub mod languages;
pub mod latex;
pub mod names;
pub mod titles;
