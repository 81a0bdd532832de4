//! What the last build left in the output folder, read before this build renders: which page it
//! rendered from what (so an unchanged page need not be rendered again), and whether each file
//! is still there as it was written (so it may be kept rather than written again). The record
//! is `.brief-cache/pages.json`; the folder itself is walked once, never through links.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::output::{MARKER, MARKER_TEXT};

/// One file the last build wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WrittenFile {
    /// Of its content before minifying.
    pub fingerprint: String,
    /// Its length, modification time, inode and change time on disk, as it was left: a file
    /// edited, replaced or touched since differs in one of them (no tool can set the change
    /// time back).
    pub length: u64,
    pub modified: u128,
    #[serde(default)]
    pub inode: u64,
    #[serde(default)]
    pub changed: u128,
    /// For a page: the fingerprint of its template and everything the template was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_key: Option<String>,
}

/// The last build's record.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub out: String,
    pub files: BTreeMap<String, WrittenFile>,
}

pub const MANIFEST: &str = "pages.json";

/// The last build's record, checked against the folder as it is now.
#[derive(Debug, Default)]
pub struct PreviousSite {
    pub out_key: String,
    /// Only the files still on disk as the last build wrote them.
    pub intact: BTreeMap<String, WrittenFile>,
    /// The folder holds exactly what the last build wrote, the marker and folders: nothing
    /// missing, changed, added or linked. Then a build may update it in place.
    pub exact: bool,
}

impl PreviousSite {
    /// Reads the record in `cache` (none: nothing is known) and walks `out`.
    pub fn read(cache: Option<&Path>, out: &Path) -> PreviousSite {
        let out_key = output_key(out);
        let manifest = cache
            .and_then(|cache| crate::paths::read_cache_file(&cache.join(MANIFEST)))
            .and_then(|text| serde_json::from_str::<Manifest>(&text).ok())
            .filter(|manifest| manifest.out == out_key);
        let Some(manifest) = manifest else {
            return PreviousSite {
                out_key,
                ..PreviousSite::default()
            };
        };
        let on_disk = walk(out);
        let mut exact = on_disk.is_some();
        let on_disk = on_disk.unwrap_or_default();
        let mut intact = BTreeMap::new();
        for (path, file) in manifest.files {
            if on_disk.get(&path) == Some(&file.stamp()) {
                intact.insert(path, file);
            } else {
                exact = false;
            }
        }
        // The marker as this version writes it, so that an edited one is written again.
        let marker = on_disk.contains_key(MARKER)
            && fs::read_to_string(out.join(MARKER)).is_ok_and(|text| text == MARKER_TEXT);
        exact &= marker && on_disk.len() == intact.len() + 1;
        PreviousSite {
            out_key,
            intact,
            exact,
        }
    }

    /// Whether the page at `path` was rendered from `render_key` and is still as it was written.
    pub fn has_page(&self, path: &str, render_key: &str) -> bool {
        self.intact
            .get(path)
            .is_some_and(|file| file.render_key.as_deref() == Some(render_key))
    }

    /// Whether the file at `path` had this content and is still as it was written.
    pub fn has_file(&self, path: &str, fingerprint: &str) -> bool {
        self.intact
            .get(path)
            .is_some_and(|file| file.fingerprint == fingerprint)
    }
}

/// Best effort: without it the next build writes every file.
pub fn write_manifest(cache: &Path, manifest: &Manifest) {
    if let Ok(json) = serde_json::to_string(manifest) {
        let _ = fs::create_dir_all(cache)
            .and_then(|()| crate::paths::replace_file(&cache.join(MANIFEST), json.as_bytes()));
    }
}

pub fn output_key(out: &Path) -> String {
    std::path::absolute(out)
        .unwrap_or_else(|_| out.to_path_buf())
        .display()
        .to_string()
}

/// A file's length, modification time (nanoseconds), inode and change time (nanoseconds).
pub type Stamp = (u64, u128, u64, u128);

impl WrittenFile {
    pub fn new(fingerprint: String, render_key: Option<String>, stamp: Stamp) -> WrittenFile {
        let (length, modified, inode, changed) = stamp;
        WrittenFile {
            fingerprint,
            length,
            modified,
            inode,
            changed,
            render_key,
        }
    }

    pub fn stamp(&self) -> Stamp {
        (self.length, self.modified, self.inode, self.changed)
    }

    pub fn set_stamp(&mut self, (length, modified, inode, changed): Stamp) {
        (self.length, self.modified, self.inode, self.changed) = (length, modified, inode, changed);
    }
}

pub fn stamp(meta: &fs::Metadata) -> Stamp {
    let modified = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    #[cfg(unix)]
    let (inode, changed) = {
        use std::os::unix::fs::MetadataExt;
        let seconds = u128::try_from(meta.ctime()).unwrap_or(0);
        let nanos = u128::try_from(meta.ctime_nsec()).unwrap_or(0);
        (meta.ino(), seconds * 1_000_000_000 + nanos)
    };
    #[cfg(not(unix))]
    let (inode, changed) = (0, 0);
    (meta.len(), modified, inode, changed)
}

/// Every regular file under `out` (`/`-separated paths) with its stamp; `None` when the folder
/// holds anything else (a link, a device) or cannot be read whole. Links are not followed.
fn walk(out: &Path) -> Option<BTreeMap<String, Stamp>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return None;
        }
        let relative = entry.path().strip_prefix(out).ok()?;
        let parts: Vec<&str> = relative
            .components()
            .map(|part| part.as_os_str().to_str())
            .collect::<Option<_>>()?;
        let meta = entry.metadata().ok()?;
        files.insert(parts.join("/"), stamp(&meta));
    }
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_added_or_linked_file_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let (out, cache) = (dir.path().join("public"), dir.path().join("cache"));
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(out.join("a/index.html"), "page").unwrap();
        let record = |path: &str| {
            let stamp = stamp(&fs::metadata(out.join(path)).unwrap());
            WrittenFile::new("f".into(), Some("k".into()), stamp)
        };
        let manifest = Manifest {
            out: output_key(&out),
            files: [("a/index.html".to_string(), record("a/index.html"))].into(),
        };
        write_manifest(&cache, &manifest);
        let previous = PreviousSite::read(Some(&cache), &out);
        assert!(previous.exact);
        assert!(previous.has_page("a/index.html", "k"));
        assert!(!previous.has_page("a/index.html", "other"));
        assert!(!PreviousSite::read(None, &out).has_page("a/index.html", "k"));

        fs::write(out.join("extra.html"), "mine").unwrap();
        let previous = PreviousSite::read(Some(&cache), &out);
        assert!(!previous.exact, "a file added by hand");
        assert!(previous.has_page("a/index.html", "k"));
        fs::remove_file(out.join("extra.html")).unwrap();

        fs::write(out.join("a/index.html"), "edited").unwrap();
        let previous = PreviousSite::read(Some(&cache), &out);
        assert!(!previous.exact && !previous.has_page("a/index.html", "k"));

        #[cfg(unix)]
        {
            fs::write(out.join("a/index.html"), "page").unwrap();
            let manifest = Manifest {
                out: output_key(&out),
                files: [("a/index.html".to_string(), record("a/index.html"))].into(),
            };
            write_manifest(&cache, &manifest);
            assert!(PreviousSite::read(Some(&cache), &out).exact);
            std::os::unix::fs::symlink("/etc", out.join("link")).unwrap();
            let previous = PreviousSite::read(Some(&cache), &out);
            assert!(!previous.exact && previous.intact.is_empty(), "a link");
        }
    }
}
