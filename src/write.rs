//! Stage 5, write: minify the pages and put the site in place atomically. Everything is written
//! into a temporary folder beside the output and swapped in only when all of it succeeded, so a
//! failed build leaves the last good site untouched.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{file_error, Diagnostic};
use crate::render::Site;

/// Writes `site` to `out`, replacing what was there.
pub fn write_site(site: &Site, out: &Path) -> Result<(), Diagnostic> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| {
        file_error(parent, e).hint(
            "the output folder's parent cannot be created: is part of the path a file, or not writable?",
        )
    })?;
    let staging = parent.join(format!(".{name}.building"));
    let retired = parent.join(format!(".{name}.old"));
    remove_if_present(&staging)?;
    remove_if_present(&retired)?;
    let result = write_all(site, &staging);
    if let Err(error) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if out.exists() {
        fs::rename(out, &retired).map_err(|e| file_error(out, e))?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        // Put the previous site back rather than leave nothing.
        let _ = fs::rename(&retired, out);
        return Err(file_error(out, error));
    }
    remove_if_present(&retired)
}

/// Minifies and writes the files on every core.
fn write_all(site: &Site, dir: &Path) -> Result<(), Diagnostic> {
    let files: Vec<(&String, &Vec<u8>)> = site.files.iter().collect();
    crate::parallel::map(files.len(), |i| write_file(dir, files[i].0, files[i].1))
        .into_iter()
        .collect()
}

fn write_file(dir: &Path, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    {
        let target: PathBuf = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| file_error(parent, e))?;
        }
        if path.ends_with(".html") {
            fs::write(&target, minify(bytes))
        } else {
            fs::write(&target, bytes)
        }
        .map_err(|e| file_error(&target, e))?;
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), Diagnostic> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(path, e)),
    }
}

/// Smaller pages that stay valid: closing tags and `<html>`/`<head>` kept, inline CSS minified,
/// scripts left alone.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::new()
    };
    minify_html::minify(html, &cfg)
}
