//! BibTeX and biblatex files, read as Pandoc reads them.

pub mod latex;
