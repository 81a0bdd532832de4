//! Stage 5, write: minify the pages and put the site in place, so that a failed build leaves
//! the last good site untouched. A file that did not change since the last build (same content
//! before minifying, or a page carried over: see [`crate::previous`]) is not written again.
//! When the folder is exactly as the last build left it, only the changed files are written:
//! each into a temporary folder first, then all moved into place. Otherwise the whole site is
//! put together in a temporary folder beside the output (unchanged files hard-linked) and
//! swapped in. Which folder may be replaced at all is [`crate::output`]'s to decide.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::fingerprint::Fingerprint;

use crate::diagnostic::{file_error, Diagnostic};
use crate::output::{OutputFolder, MARKER, MARKER_TEXT};
use crate::previous::{stamp, write_manifest, Manifest, PreviousSite, WrittenFile};
use crate::render::Site;

/// Writes `site` to the output folder, replacing what was there; `previous` is what the last
/// build left, and `cache` where the record of what was written is kept for the next build
/// (none: write everything).
pub fn write_site(
    site: &Site,
    folder: &OutputFolder,
    previous: &PreviousSite,
    cache: Option<&Path>,
) -> Result<(), Diagnostic> {
    let parent = folder.staging.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| {
        file_error(parent, e).hint(
            "the output folder's parent cannot be created: is part of the path a file, or not writable?",
        )
    })?;
    // Both were checked to be brief's own (or empty) when the folder was claimed.
    remove_if_present(&folder.staging, &folder.path)?;
    remove_if_present(&folder.retired, &folder.path)?;
    let plan = Plan::new(site, previous);
    let written = if previous.exact && cache.is_some() {
        update_in_place(&plan, folder, previous)?
    } else {
        replace_whole(&plan, folder, previous)?
    };
    if let Some(cache) = cache {
        let manifest = Manifest {
            out: previous.out_key.clone(),
            files: written,
        };
        write_manifest(cache, &manifest);
    }
    Ok(())
}

/// Each file of the new site, and whether the one on disk can stay.
struct Plan<'a> {
    files: Vec<Planned<'a>>,
}

struct Planned<'a> {
    path: &'a str,
    /// None for a page carried over: the file on disk is it.
    bytes: Option<&'a [u8]>,
    fingerprint: String,
    render_key: Option<&'a String>,
    /// The file on disk already holds it.
    unchanged: bool,
}

impl<'a> Plan<'a> {
    fn new(site: &'a Site, previous: &PreviousSite) -> Plan<'a> {
        let entries: Vec<(&'a String, &'a Vec<u8>)> = site.files.iter().collect();
        let fingerprints = crate::parallel::map(entries.len(), |i| {
            let mut fingerprint = Fingerprint::default();
            fingerprint.add_bytes(entries[i].1);
            fingerprint.finish()
        });
        let mut files: Vec<Planned<'a>> = entries
            .into_iter()
            .zip(fingerprints)
            .map(|((path, bytes), fingerprint)| Planned {
                unchanged: previous.has_file(path, &fingerprint),
                path,
                bytes: Some(bytes),
                fingerprint,
                render_key: site.render_keys.get(path),
            })
            .collect();
        for (path, key) in &site.carried {
            let fingerprint = previous
                .intact
                .get(path)
                .map(|file| file.fingerprint.clone())
                .unwrap_or_default();
            files.push(Planned {
                path,
                bytes: None,
                fingerprint,
                render_key: Some(key),
                unchanged: true,
            });
        }
        Plan { files }
    }
}

/// The record of a file kept as the last build wrote it.
fn kept(file: &Planned<'_>, previous: &PreviousSite) -> WrittenFile {
    let mut record = previous.intact[file.path].clone();
    record.render_key = file.render_key.cloned();
    record
}

/// Writes only the changed files: each first into the temporary folder, then, when all are
/// written, moved into place, the file it replaces moved aside first so that a failure puts the
/// old site back whole. Then removes the files the new site no longer has.
fn update_in_place(
    plan: &Plan<'_>,
    folder: &OutputFolder,
    previous: &PreviousSite,
) -> Result<BTreeMap<String, WrittenFile>, Diagnostic> {
    let out = folder.path.as_path();
    let staging = folder.staging.as_path();
    let changed: Vec<&Planned<'_>> = plan.files.iter().filter(|f| !f.unchanged).collect();
    let real_out = out.canonicalize().map_err(|e| file_error(out, e))?;
    fs::create_dir_all(staging)
        .and_then(|()| fs::write(staging.join(MARKER), MARKER_TEXT))
        .map_err(|e| file_error(out, e))?;
    let written = crate::parallel::map(changed.len(), |i| {
        let file = changed[i];
        let target = staging.join(i.to_string());
        let bytes = file.bytes.unwrap_or_default();
        write_new(&target, &out.join(file.path), file, bytes)
    });
    let mut written: Vec<WrittenFile> = match written.into_iter().collect() {
        Ok(written) => written,
        Err(error) => {
            let _ = fs::remove_dir_all(staging);
            return Err(error);
        }
    };
    // Everything is written: each file takes its place, the old one moved aside.
    let mut placed: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for (i, file) in changed.iter().enumerate() {
        let target = out.join(file.path);
        let aside = staging.join(format!("replaced-{i}"));
        match place(
            &staging.join(i.to_string()),
            &target,
            &aside,
            &real_out,
            file.path,
        ) {
            Ok(aside) => placed.push((target, aside)),
            Err(error) => {
                for (target, aside) in placed.into_iter().rev() {
                    let _ = fs::remove_file(&target);
                    if let Some(aside) = aside {
                        let _ = fs::rename(&aside, &target);
                    }
                }
                let _ = fs::remove_dir_all(staging);
                return Err(error);
            }
        }
    }
    // A move changes a file's change time: the record holds it as it is now.
    for (record, (target, _)) in written.iter_mut().zip(&placed) {
        if let Ok(meta) = fs::symlink_metadata(target) {
            record.set_stamp(stamp(&meta));
        }
    }
    let _ = fs::remove_dir_all(staging);
    // The pages the new site no longer has. One that will not go is only clutter; the next
    // build, finding a file it did not record, rebuilds the folder whole.
    let new_paths: std::collections::BTreeSet<&str> = plan.files.iter().map(|f| f.path).collect();
    for stale in previous.intact.keys() {
        let path = out.join(stale);
        let ours = fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file())
            && inside(&path, &real_out, stale);
        if !new_paths.contains(stale.as_str()) && ours && fs::remove_file(&path).is_ok() {
            remove_empty_folders(out, stale);
        }
    }
    let mut records = BTreeMap::new();
    let mut written = written.into_iter();
    for file in &plan.files {
        let record = if file.unchanged {
            kept(file, previous)
        } else {
            written.next().unwrap_or_else(|| kept(file, previous))
        };
        records.insert(file.path.to_string(), record);
    }
    Ok(records)
}

/// Moves the new file `new` to `target`, the file there first to `aside`; returns where the
/// old file went. Only into the output's own folders: not through a link put there since the
/// folder was read.
fn place(
    new: &Path,
    target: &Path,
    aside: &Path,
    real_out: &Path,
    path: &str,
) -> Result<Option<PathBuf>, Diagnostic> {
    let folder_of = |path: &str| path.rsplit_once('/').map(|(folder, _)| folder.to_string());
    if let (Some(parent), Some(relative)) = (target.parent(), folder_of(path)) {
        fs::create_dir_all(parent).map_err(|e| file_error(parent, e))?;
        if !inside(parent, real_out, &relative) {
            return Err(changed_during_build(target));
        }
    }
    let aside = match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_file() => {
            fs::rename(target, aside).map_err(|e| file_error(target, e))?;
            Some(aside.to_path_buf())
        }
        Ok(_) => return Err(changed_during_build(target)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(file_error(target, e)),
    };
    if let Err(error) = fs::rename(new, target) {
        if let Some(aside) = &aside {
            let _ = fs::rename(aside, target);
        }
        return Err(file_error(target, error));
    }
    Ok(aside)
}

/// Whether `path` is where `relative` is inside the output folder, with no link on the way.
fn inside(path: &Path, real_out: &Path, relative: &str) -> bool {
    path.canonicalize()
        .is_ok_and(|real| real == real_out.join(relative))
}

fn changed_during_build(path: &Path) -> Diagnostic {
    file_error(
        path,
        std::io::Error::other("the output folder changed on disk during the build"),
    )
    .hint("build again; brief writes only into folders it made, never through a link")
}

/// Removes the folders on the way to `path` (a file just removed) that are now empty.
fn remove_empty_folders(out: &Path, path: &str) {
    let mut folder = path;
    while let Some((parent, _)) = folder.rsplit_once('/') {
        if fs::remove_dir(out.join(parent)).is_err() {
            break;
        }
        folder = parent;
    }
}

/// Puts the whole site together in the temporary folder and swaps it in.
fn replace_whole(
    plan: &Plan<'_>,
    folder: &OutputFolder,
    previous: &PreviousSite,
) -> Result<BTreeMap<String, WrittenFile>, Diagnostic> {
    let out = folder.path.as_path();
    let mut written = match write_all(plan, folder, previous) {
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
    // Removing the old site's names for hard-linked files changed their change time: the
    // record holds each file as it is now.
    for (path, record) in &mut written {
        if let Ok(meta) = fs::symlink_metadata(out.join(path)) {
            record.set_stamp(stamp(&meta));
        }
    }
    Ok(written)
}

/// Minifies and writes the files on every core (hard-linking the unchanged ones from the
/// previous site); returns the record's entries.
fn write_all(
    plan: &Plan<'_>,
    folder: &OutputFolder,
    previous: &PreviousSite,
) -> Result<BTreeMap<String, WrittenFile>, Diagnostic> {
    let dir = folder.staging.as_path();
    // The mark goes in first: from here on the folder is one brief may remove or replace.
    fs::create_dir_all(dir)
        .and_then(|()| fs::write(dir.join(MARKER), MARKER_TEXT))
        .map_err(|e| file_error(&folder.path, e))?;
    let out = folder.path.as_path();
    let real_out = out.canonicalize().ok();
    // Folders first, on one thread: two threads making folders in one parent wait on each
    // other's lock in the file system, which cost more than the mkdirs themselves.
    let folders: std::collections::BTreeSet<&str> = plan
        .files
        .iter()
        .filter_map(|file| file.path.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    for folder in folders {
        fs::create_dir_all(dir.join(folder)).map_err(|e| file_error(&out.join(folder), e))?;
    }
    crate::parallel::map(plan.files.len(), |i| {
        let file = &plan.files[i];
        let target = dir.join(file.path);
        // Errors name the file where the author will look for it, not the temporary folder.
        let shown = out.join(file.path);
        // Unchanged since the last build, and the file it wrote is still there as it left it:
        // linked (or, where the file system has no hard links, copied), never through a link.
        let old_is_ours = file.unchanged
            && fs::symlink_metadata(&shown).is_ok_and(|meta| meta.is_file())
            && real_out
                .as_deref()
                .is_some_and(|real_out| inside(&shown, real_out, file.path));
        if old_is_ours {
            let kept_there = fs::hard_link(&shown, &target)
                .or_else(|_| fs::copy(&shown, &target).map(|_| ()))
                .is_ok();
            if kept_there {
                return Ok((file.path.to_string(), kept(file, previous)));
            }
        }
        let Some(bytes) = file.bytes else {
            return Err(changed_during_build(&shown));
        };
        write_new(&target, &shown, file, bytes).map(|record| (file.path.to_string(), record))
    })
    .into_iter()
    .collect()
}

/// Writes one file (minified, for a page) at `target`, shown in messages as `shown`.
fn write_new(
    target: &Path,
    shown: &Path,
    file: &Planned<'_>,
    bytes: &[u8],
) -> Result<WrittenFile, Diagnostic> {
    let contents = if file.path.ends_with(".html") {
        std::borrow::Cow::Owned(minify(bytes))
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    fs::write(target, &contents).map_err(|e| file_error(shown, e))?;
    let meta = fs::symlink_metadata(target).map_err(|e| file_error(shown, e))?;
    Ok(WrittenFile::new(
        file.fingerprint.clone(),
        file.render_key.cloned(),
        stamp(&meta),
    ))
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
