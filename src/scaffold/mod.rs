//! `brief new`: a small working brief to start from, with a citation, a figure and a
//! cross-reference, and no templates (the built-in ones serve until the author adds their own).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{file_error, Diagnostic};

/// The starter brief: (path inside the new folder, contents).
const STARTER: &[(&str, &str)] = &[
    (
        "content/_index.md",
        include_str!("starter/content/_index.md"),
    ),
    (
        "content/01-introduction.md",
        include_str!("starter/content/01-introduction.md"),
    ),
    (
        "content/02-analysis.md",
        include_str!("starter/content/02-analysis.md"),
    ),
    (
        "data/references.yaml",
        include_str!("starter/data/references.yaml"),
    ),
    ("data/example.csv", include_str!("starter/data/example.csv")),
    // The built site and what one build leaves for the next are not sources.
    (".gitignore", "public/\n.brief-cache/\n"),
];

/// Creates the starter brief in `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| file_error(dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::new(format!("{} is not empty", dir.display()))
                .hint("choose a new folder; `brief new` never writes over existing files"));
        }
    }
    let mut written = Vec::new();
    for (relative, text) in STARTER {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| file_error(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| file_error(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
