//! The site as files, each output path claimed once. A section whose slug is `audit`, a static
//! `index.html` or two data files with one name would otherwise replace another page without a
//! word; here a second claim is an error that names both claimants. Paths are checked to stay
//! inside the site, and paths that differ only in letter case (one file on macOS and Windows)
//! or that need a file as a folder are claims on the same place too.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};

/// The site as files: path inside the output folder → contents.
#[derive(Debug, Default)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Pages left as the last build wrote them, with their render keys: everything their
    /// templates would be given is unchanged (see [`crate::previous`]).
    pub carried: BTreeMap<String, String>,
    /// Each rendered page's render key, for the next build's record.
    pub render_keys: BTreeMap<String, String>,
    pub pages: usize,
    /// Who claimed each path, and each folder a generator keeps for itself.
    claims: BTreeMap<String, Origin>,
    folders: BTreeMap<String, Origin>,
    /// Lower-cased path → the path as claimed.
    folded: BTreeMap<String, String>,
}

/// A page of the site: its HTML, or none when the page the last build wrote is still right.
#[derive(Debug, Default)]
pub struct RenderedPage {
    /// The fingerprint of its template and of everything the template was given.
    pub key: String,
    pub html: Option<String>,
}

/// Who puts a file in the site, for messages.
#[derive(Debug, Clone)]
pub struct Origin {
    /// "the Source audit page", "the section in content/01-a.md", "static/index.html".
    pub what: String,
    /// Where the author decided it (a section's `slug:` line), when there is such a place.
    pub place: Option<(Arc<SourceFile>, Range<usize>)>,
    /// Files of one group may share a folder kept for the group (the figures' data files).
    pub group: &'static str,
}

impl Origin {
    pub fn generated(what: impl Into<String>) -> Origin {
        Origin {
            what: what.into(),
            place: None,
            group: "",
        }
    }

    pub fn at(mut self, file: &Arc<SourceFile>, span: Range<usize>) -> Origin {
        self.place = Some((Arc::clone(file), span));
        self
    }

    pub fn in_group(mut self, group: &'static str) -> Origin {
        self.group = group;
        self
    }
}

impl Site {
    /// Keeps `folder` (no slashes) for the files of `origin.group`.
    pub fn keep_folder(&mut self, folder: &str, origin: Origin) {
        self.folders.insert(folder.to_string(), origin);
    }

    /// Adds a file; an error if another claimant has the path, or the place it needs.
    pub fn add(&mut self, path: &str, bytes: Vec<u8>, origin: Origin) -> Result<(), Diagnostic> {
        self.claim(path, &origin)?;
        self.files.insert(path.to_string(), bytes);
        Ok(())
    }

    /// Adds a page, rendered or carried over from the last build.
    pub fn add_page(
        &mut self,
        path: &str,
        page: RenderedPage,
        origin: Origin,
    ) -> Result<(), Diagnostic> {
        self.claim(path, &origin)?;
        match page.html {
            Some(html) => {
                self.files.insert(path.to_string(), html.into_bytes());
                self.render_keys.insert(path.to_string(), page.key);
            }
            None => {
                self.carried.insert(path.to_string(), page.key);
            }
        }
        Ok(())
    }

    fn claim(&mut self, path: &str, origin: &Origin) -> Result<(), Diagnostic> {
        if !is_site_path(path) {
            return Err(conflict(
                origin,
                format!("`{path}` is not a path inside the site"),
                "output paths are relative, with no `..`, `.` or empty parts".to_string(),
            ));
        }
        if let Some(first) = self.claims.get(path) {
            // The same file named twice (two figures drawing one data file) is one claim.
            if first.what == origin.what {
                return Ok(());
            }
            return Err(collision(path, first, origin));
        }
        let folded = path.to_lowercase();
        if let Some(other) = self.folded.get(&folded) {
            let first = &self.claims[other];
            return Err(conflict(
                origin,
                format!(
                    "`{path}` and `{other}` differ only in letter case: {} and {} would be one file on macOS and Windows",
                    origin.what, first.what
                ),
                rename_hint(origin),
            ));
        }
        // A file where this path needs a folder, or a folder of other files where it needs a file.
        let mut prefix = String::new();
        for part in path.split('/') {
            if !prefix.is_empty() {
                if let Some(first) = self.claims.get(&prefix) {
                    return Err(collision(&prefix, first, origin));
                }
                prefix.push('/');
            }
            prefix.push_str(part);
        }
        let inside = format!("{path}/");
        if let Some((other, first)) = self.claims.range(inside.clone()..).next() {
            if other.starts_with(&inside) {
                return Err(collision(path, first, origin));
            }
        }
        let top = path.split('/').next().unwrap_or(path);
        if let Some(keeper) = self.folders.get(top) {
            if keeper.group != origin.group || origin.group.is_empty() {
                return Err(conflict(
                    origin,
                    format!(
                        "{} would write `{path}`, but the folder `{top}/` is kept for {}",
                        origin.what, keeper.what
                    ),
                    rename_hint(origin),
                ));
            }
        }
        self.claims.insert(path.to_string(), origin.clone());
        self.folded.insert(folded, path.to_string());
        Ok(())
    }
}

/// Relative, `/`-separated, no empty, `.` or `..` parts, no backslashes or control characters.
pub fn is_site_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn collision(path: &str, first: &Origin, second: &Origin) -> Diagnostic {
    conflict(
        second,
        format!(
            "two things would be written to `{path}`: {} and {}",
            first.what, second.what
        ),
        rename_hint(second),
    )
}

fn rename_hint(origin: &Origin) -> String {
    if origin.group.is_empty() && origin.place.is_some() {
        "give the section another `slug:`; every page and file of the site needs a place of its own"
            .to_string()
    } else {
        "rename or remove one of them; every page and file of the site needs a place of its own"
            .to_string()
    }
}

fn conflict(origin: &Origin, message: String, hint: String) -> Diagnostic {
    let diagnostic = Diagnostic::new(message).hint(hint);
    match &origin.place {
        Some((file, span)) => diagnostic.at(file, span.clone(), "its place in the site is taken"),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(site: &mut Site, path: &str, what: &str) -> Result<(), String> {
        site.add(path, Vec::new(), Origin::generated(what))
            .map_err(|d| d.message)
    }

    #[test]
    fn every_path_is_claimed_once() {
        let mut site = Site::default();
        add(&mut site, "index.html", "the home page").unwrap();
        let error = add(&mut site, "index.html", "static/index.html").unwrap_err();
        assert!(
            error.contains("the home page and static/index.html"),
            "{error}"
        );
        add(&mut site, "data/a.csv", "data/a.csv").unwrap();
        add(&mut site, "data/a.csv", "data/a.csv").unwrap();
    }

    #[test]
    fn files_and_folders_and_letter_case_collide() {
        let mut site = Site::default();
        add(&mut site, "404.html", "the 404 page").unwrap();
        assert!(add(&mut site, "404.html/index.html", "a section").is_err());
        add(&mut site, "a/index.html", "a section").unwrap();
        assert!(add(&mut site, "a", "static/a").is_err());
        assert!(add(&mut site, "A/index.html", "another")
            .unwrap_err()
            .contains("letter case"));
    }

    #[test]
    fn kept_folders_take_only_their_group() {
        let mut site = Site::default();
        site.keep_folder(
            "data",
            Origin::generated("the figures' data").in_group("data"),
        );
        site.add(
            "data/a.csv",
            Vec::new(),
            Origin::generated("data/a.csv").in_group("data"),
        )
        .unwrap();
        assert!(add(&mut site, "data/index.html", "a section").is_err());
    }

    #[test]
    fn paths_stay_inside_the_site() {
        for path in [
            "", "/abs", "../x", "a/../b", "a//b", "./a", "a\\b", "a/\u{0}",
        ] {
            assert!(!is_site_path(path), "{path:?}");
        }
        assert!(is_site_path("state-of-play/index.html"));
    }
}
