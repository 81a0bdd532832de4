//! Watching the brief's files: edits arrive debounced, a burst of saves becomes one rebuild.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::{Builder, Change, Shared};
use crate::diagnostic::Diagnostic;

/// Folders and files never part of a brief's sources.
const IGNORED: &[&str] = &["public", "target", ".git", "node_modules"];

pub type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Starts watching `folder`; each batch of edits rebuilds and reaches the open pages.
pub fn start(
    folder: &Path,
    mut builder: Builder,
    shared: Arc<Shared>,
) -> Result<Watcher, Diagnostic> {
    // Events name absolute paths; a relative folder (`brief serve .`) would match none of them.
    let watched = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
    let root = watched.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let change = events
            .iter()
            .filter(|event| !matches!(event.kind, EventKind::Access(_)))
            .flat_map(|event| event.paths.iter())
            .filter(|path| is_source(&root, path))
            .map(|path| Change::of(&root, path))
            .max();
        let Some(change) = change else { return };
        // A bug in one rebuild must not end the server: report it and keep the last good site.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            builder.rebuild(change)
        }))
        .unwrap_or_else(|_| {
            Err("error: internal error while rebuilding (a bug in brief); the last good site is still served\n".to_string())
        });
        match &outcome {
            Ok((_, report)) => println!("{report}"),
            Err(message) => eprint!("{message}"),
        }
        super::flush_stdout();
        shared.publish(outcome.map(|(site, _)| site));
    };
    let cannot = |e: notify_debouncer_full::notify::Error| {
        Diagnostic::new(format!("cannot watch {}: {e}", watched.display()))
            .hint("check that the folder exists and can be read; on Linux, the inotify watch limit may be reached (fs.inotify.max_user_watches)")
    };
    let mut debouncer = new_debouncer(Duration::from_millis(20), None, handler).map_err(cannot)?;
    debouncer
        .watch(&watched, RecursiveMode::Recursive)
        .map_err(cannot)?;
    Ok(debouncer)
}

/// Whether an edit at `path` can change the site: not build output, not hidden or editor files.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    if IGNORED.contains(&first.as_str()) {
        return false;
    }
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hidden = relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    !(hidden || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_exclude_output_and_editor_files() {
        let root = Path::new("/b");
        assert!(is_source(root, Path::new("/b/content/01-a.md")));
        assert!(is_source(root, Path::new("/b/static/style.css")));
        assert!(!is_source(root, Path::new("/b/public/index.html")));
        assert!(!is_source(root, Path::new("/b/content/.01-a.md.swp")));
        assert!(!is_source(root, Path::new("/b/content/01-a.md~")));
        assert!(!is_source(root, Path::new("/elsewhere/x.md")));
        assert_eq!(
            Change::of(root, Path::new("/b/static/style.css")),
            Change::Static
        );
        assert_eq!(
            Change::of(root, Path::new("/b/templates/base.html")),
            Change::Templates
        );
        assert_eq!(
            Change::of(root, Path::new("/b/data/refs.bib")),
            Change::Everything
        );
    }
}
