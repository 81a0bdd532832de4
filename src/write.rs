//! Stage 5, write: minify the pages and put the site in place atomically. Everything is written
//! into a temporary folder beside the output and swapped in only when all of it succeeded, so a
//! failed build leaves the last good site untouched. A file that did not change since the last
//! build (same content before minifying, per `.brief-cache/pages.json`) is hard-linked from the
//! previous site instead of minified and written again. Which folder may be replaced at all is
//! [`crate::output`]'s to decide.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;

use crate::diagnostic::{file_error, Diagnostic};
use crate::output::{OutputFolder, MARKER, MARKER_TEXT};
use crate::render::Site;

/// What the last build wrote where: each file's fingerprint before minifying and its length
/// after.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    out: String,
    files: BTreeMap<String, (String, u64)>,
}

const MANIFEST: &str = "pages.json";

impl Manifest {
    /// The last build's manifest, when it wrote to the same folder.
    fn read(cache: Option<&Path>, out: &str) -> Manifest {
        cache
            .and_then(|cache| crate::paths::read_cache_file(&cache.join(MANIFEST)))
            .and_then(|text| serde_json::from_str::<Manifest>(&text).ok())
            .filter(|manifest| manifest.out == out)
            .unwrap_or_default()
    }

    /// Best effort: without it the next build writes every file.
    fn write(&self, cache: &Path) {
        if let Ok(json) = serde_json::to_string(self) {
            let _ = fs::create_dir_all(cache)
                .and_then(|()| crate::paths::replace_file(&cache.join(MANIFEST), json.as_bytes()));
        }
    }
}

fn output_key(out: &Path) -> String {
    std::path::absolute(out)
        .unwrap_or_else(|_| out.to_path_buf())
        .display()
        .to_string()
}

/// Writes `site` to the output folder, replacing what was there; `cache` is where the list of
/// what was written is kept for the next build (none: write everything).
pub fn write_site(
    site: &Site,
    folder: &OutputFolder,
    cache: Option<&Path>,
) -> Result<(), Diagnostic> {
    let out = folder.path.as_path();
    let parent = folder.staging.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| {
        file_error(parent, e).hint(
            "the output folder's parent cannot be created: is part of the path a file, or not writable?",
        )
    })?;
    // Both were checked to be brief's own (or empty) when the folder was claimed.
    remove_if_present(&folder.staging, &folder.path)?;
    remove_if_present(&folder.retired, &folder.path)?;
    let out_key = output_key(out);
    let previous = Manifest::read(cache, &out_key);
    let written = match write_all(site, folder, &previous) {
        Ok(written) => written,
        Err(error) => {
            let _ = fs::remove_dir_all(&folder.staging);
            return Err(error);
        }
    };
    if fs::symlink_metadata(out).is_ok() {
        if let Err(error) = fs::rename(out, &folder.retired) {
            let _ = fs::remove_dir_all(&folder.staging);
            return Err(file_error(out, error));
        }
    }
    if let Err(error) = fs::rename(&folder.staging, out) {
        // Put the previous site back rather than leave nothing.
        let restored = fs::rename(&folder.retired, out).is_ok();
        let _ = fs::remove_dir_all(&folder.staging);
        let diagnostic = file_error(out, error);
        return Err(
            if restored || fs::symlink_metadata(&folder.retired).is_err() {
                diagnostic
            } else {
                diagnostic.hint(format!(
                    "the previous site could not be put back: it is in {}",
                    folder.retired.display()
                ))
            },
        );
    }
    // The new site is in place; a previous one that will not go is only clutter.
    let _ = fs::remove_dir_all(&folder.retired);
    if let Some(cache) = cache {
        Manifest {
            out: out_key,
            files: written,
        }
        .write(cache);
    }
    Ok(())
}

/// Minifies and writes the files on every core; returns the manifest's entries.
fn write_all(
    site: &Site,
    folder: &OutputFolder,
    previous: &Manifest,
) -> Result<BTreeMap<String, (String, u64)>, Diagnostic> {
    let dir = folder.staging.as_path();
    // The mark goes in first: from here on the folder is one brief may remove or replace.
    fs::create_dir_all(dir)
        .and_then(|()| fs::write(dir.join(MARKER), MARKER_TEXT))
        .map_err(|e| file_error(&folder.path, e))?;
    let out = folder.path.as_path();
    let real_out = out.canonicalize().ok();
    let files: Vec<(&String, &Vec<u8>)> = site.files.iter().collect();
    // Folders first, on one thread: two threads making folders in one parent wait on each
    // other's lock in the file system, which cost more than the mkdirs themselves.
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|(path, _)| path.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    for folder in folders {
        fs::create_dir_all(dir.join(folder)).map_err(|e| file_error(&out.join(folder), e))?;
    }
    crate::parallel::map(files.len(), |i| {
        let (path, bytes) = files[i];
        write_file(dir, out, real_out.as_deref(), previous, path, bytes)
            .map(|entry| (path.clone(), entry))
    })
    .into_iter()
    .collect()
}

fn write_file(
    dir: &Path,
    out: &Path,
    real_out: Option<&Path>,
    previous: &Manifest,
    path: &str,
    bytes: &[u8],
) -> Result<(String, u64), Diagnostic> {
    let target: PathBuf = dir.join(path);
    // Errors name the file where the author will look for it, not the temporary folder.
    let shown = out.join(path);
    let mut fingerprint = Fingerprint::default();
    fingerprint.add_bytes(bytes);
    let fingerprint = fingerprint.finish();
    // Unchanged since the last build, and the file it wrote is still there as it left it.
    if let Some((before, length)) = previous.files.get(path) {
        let old = out.join(path);
        // Not through links: a link put in the old site (a file, or a folder on the way to
        // it) must not carry what it points at into the new one.
        let inside = real_out.is_some_and(|real_out| {
            old.canonicalize()
                .is_ok_and(|real| real == real_out.join(path))
        });
        let intact =
            inside && fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == *length);
        if *before == fingerprint && intact && fs::hard_link(&old, &target).is_ok() {
            return Ok((fingerprint, *length));
        }
    }
    let contents = if path.ends_with(".html") {
        std::borrow::Cow::Owned(minify(bytes))
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    fs::write(&target, &contents).map_err(|e| file_error(&shown, e))?;
    Ok((fingerprint, contents.len() as u64))
}

/// Clears a temporary folder of an earlier build (checked to be brief's own).
fn remove_if_present(path: &Path, out: &Path) -> Result<(), Diagnostic> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(out, e).hint(format!(
            "a temporary folder of an earlier build, {}, could not be removed; remove it yourself",
            path.display()
        ))),
    }
}

/// Pages larger than this are written as rendered. The minifier holds a page's whole tree,
/// about ten times its size, and takes ~35 ms a megabyte, to save 5–8% of a page this large
/// (measured on a 1,000-section brief's 9 MB home and audit pages: 120 MB of memory and 300 ms
/// of every rebuild, for 0.5 MB each).
const LARGEST_MINIFIED: usize = 1 << 20;

/// Smaller pages that stay valid: closing tags and `<html>`/`<head>` kept, inline CSS minified,
/// scripts left alone.
pub fn minify(html: &[u8]) -> Vec<u8> {
    if html.len() > LARGEST_MINIFIED {
        return html.to_vec();
    }
    // The minifier recurses per element; parse stops deep Markdown and HTML with an error,
    // and this keeps any page that still nests too deep from overflowing the stack.
    if crate::limits::page_too_deep(&String::from_utf8_lossy(html)) {
        return html.to_vec();
    }
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::new()
    };
    minify_html::minify(html, &cfg)
}
