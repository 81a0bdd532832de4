//! Which folder a build may replace. A build swaps a whole folder into place, so it must never
//! take one that holds anything else: not the brief, not its sources, not a file, not a folder of
//! the user's. Every site `brief` writes carries a marker file; a non-empty folder without it is
//! refused, and so is anything in the way of the temporary folders beside it.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The file that marks a folder as a site `brief` wrote (and may therefore replace).
pub const MARKER: &str = ".brief-site";

/// What the marker says, for anyone who opens the folder.
pub const MARKER_TEXT: &str =
    "This folder is a site written by brief. brief replaces all of it on \
every build, so do not keep anything else here: files added by hand are lost.\n";

/// The output folder of a build, checked: replacing it loses nothing of the user's.
#[derive(Debug, Clone)]
pub struct OutputFolder {
    /// As the user named it, for messages.
    pub path: PathBuf,
    /// Where the new site is written before it is swapped in.
    pub staging: PathBuf,
    /// Where the previous site waits while the new one is swapped in.
    pub retired: PathBuf,
}

/// Whether `dir` is a site `brief` wrote: it holds the marker file.
pub fn is_brief_site(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// What became of the output folder after a failed build, said from what is on disk now, so the
/// message is true whatever failed.
pub fn state_after_failure(out: &Path) -> String {
    match fs::symlink_metadata(out) {
        Err(_) => format!("note: there is no site at {}", out.display()),
        Ok(meta) if meta.is_dir() && is_brief_site(out) => format!(
            "note: the previous site in {} was left as it was",
            out.display()
        ),
        Ok(_) => format!("note: {} was not touched", out.display()),
    }
}

impl OutputFolder {
    /// Checks that a build of the brief in `brief_folder` may replace `out`. Only the marker
    /// inside the folder counts: the brief's own files (its cache included) are data that
    /// anyone can write, so they prove nothing about a folder elsewhere.
    pub fn claim(brief_folder: &Path, out: &Path) -> Result<OutputFolder, Diagnostic> {
        refuse_the_sources(brief_folder, out)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let folder = OutputFolder {
            path: out.to_path_buf(),
            staging: parent.join(format!(".{name}.building")),
            retired: parent.join(format!(".{name}.old")),
        };
        match fs::symlink_metadata(out) {
            Err(_) => {}
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Diagnostic::new(format!(
                    "refusing to write the site to {}: it is a symbolic link",
                    out.display()
                ))
                .hint("a build replaces the folder itself, so it does not follow links: give `--out` the folder the link points to"));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::new(format!(
                    "refusing to write the site to {}: it is a file, not a folder",
                    out.display()
                ))
                .hint("choose another `--out`: a build never replaces a file"));
            }
            Ok(_) if is_brief_site(out) || is_empty_dir(out) => {}
            Ok(_) => {
                return Err(Diagnostic::new(format!(
                    "refusing to write the site to {}: it holds files that brief did not write",
                    out.display()
                ))
                .hint(format!(
                    "a build replaces the whole folder; choose a new or empty one, or, if it is an old site of brief's, delete it yourself (sites brief writes carry a `{MARKER}` file)"
                )));
            }
        }
        for leftover in [&folder.staging, &folder.retired] {
            folder.check_leftover(leftover)?;
        }
        Ok(folder)
    }

    /// A temporary folder from an interrupted build may be removed; anything else there is
    /// the user's.
    fn check_leftover(&self, path: &Path) -> Result<(), Diagnostic> {
        match fs::symlink_metadata(path) {
            Err(_) => Ok(()),
            Ok(meta) if meta.is_dir() && (is_brief_site(path) || is_empty_dir(path)) => Ok(()),
            Ok(_) => Err(Diagnostic::new(format!(
                "{} is in the way: a build writes the new site there before swapping it in",
                path.display()
            ))
            .hint(format!(
                "it was not written by brief, so it was left alone; move it, or choose another `--out` than {}",
                self.path.display()
            ))),
        }
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// `path` as the file system will take it: absolute, `..` and symbolic links resolved, even
/// where its end does not exist yet (an output folder before the first build).
pub fn resolved_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve links in the longest part that exists, then add the rest as written.
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return normal,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// Never the brief itself, a folder holding it, or a folder inside its sources.
fn refuse_the_sources(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let (root_abs, out_abs) = (resolved_path(root), resolved_path(out));
    let protected = [
        "content",
        "data",
        "templates",
        "static",
        "src",
        ".git",
        crate::load::CACHE_FOLDER,
    ];
    let inside_sources = protected
        .iter()
        .any(|dir| out_abs.starts_with(root_abs.join(dir)));
    if out_abs == root_abs || root_abs.starts_with(&out_abs) || inside_sources {
        return Err(Diagnostic::new(format!(
            "refusing to write the site to {}: the build replaces that whole folder",
            out.display()
        ))
        .hint("choose an output folder of its own, such as `public/`"));
    }
    Ok(())
}
