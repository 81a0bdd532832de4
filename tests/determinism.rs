//! Two builds of the same brief are byte-identical, whatever the working directory, the time
//! zone and locale, and the order in which the file system lists the files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::snapshot;

/// A folder on tmpfs when there is one: tmpfs lists a folder's files newest first, so copies made
/// in opposite orders are listed in opposite orders. (ext4 lists by a hash of the name.)
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// Copies the brief's sources, creating files in `reversed` or path order.
fn copy_brief(from: &Path, to: &Path, reversed: bool) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(from).unwrap().to_path_buf())
        .filter(|path| {
            let first = path
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            ["content", "data", "templates", "static"].contains(&first.as_ref())
        })
        .collect();
    if reversed {
        files.reverse();
    }
    for path in files {
        let target = to.join(&path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(from.join(&path), target).unwrap();
    }
}

fn build(cwd: &Path, brief: &Path, out: &Path, tz: &str, locale: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg(brief)
        .arg("--out")
        .arg(out)
        .current_dir(cwd)
        .env("TZ", tz)
        .env("LC_ALL", locale)
        .env("LANG", locale)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_deterministic(source: &Path) {
    let (first, second) = (scratch(), scratch());
    copy_brief(source, first.path(), false);
    copy_brief(source, second.path(), true);
    // From inside the brief with relative paths, in UTC.
    build(
        first.path(),
        Path::new("."),
        Path::new("public"),
        "UTC",
        "C.UTF-8",
    );
    // From elsewhere with absolute paths, fourteen hours ahead, in another locale.
    let elsewhere = tempfile::tempdir().unwrap();
    build(
        elsewhere.path(),
        second.path(),
        &second.path().join("public"),
        "Pacific/Kiritimati",
        "de_DE.UTF-8",
    );
    let (a, b) = (
        snapshot(&first.path().join("public")),
        snapshot(&second.path().join("public")),
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between the two builds");
    }
}

#[test]
fn the_tiny_brief_builds_identically_anywhere() {
    assert_deterministic(&common::fixtures().join("tiny"));
}

#[test]
fn the_brief_builds_identically_anywhere() {
    assert_deterministic(Path::new(env!("CARGO_MANIFEST_DIR")));
}
