//! Watching the brief's files: edits arrive in bursts (an editor's save is several events), and
//! a burst becomes one rebuild. The burst is gathered here rather than by notify-debouncer-full:
//! it drops a file created and removed within its window, and an author who adds a
//! template, sees its error and deletes it would be left looking at the error.

use std::path::Path;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{
    recommended_watcher, Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _,
};

use super::{Builder, Change, Shared};
use crate::diagnostic::Diagnostic;

/// Folders and files never part of a brief's sources.
const IGNORED: &[&str] = &["public", "target", ".git", "node_modules"];

/// How long a burst of events may go quiet before it is one edit.
const QUIET: Duration = Duration::from_millis(20);

/// The watch, and the thread that rebuilds; both end when it is dropped.
pub struct Watcher {
    _watcher: RecommendedWatcher,
    _rebuilds: JoinHandle<()>,
}

/// Starts watching `folder`; each burst of edits rebuilds and reaches the open pages.
pub fn start(folder: &Path, builder: Builder, shared: Arc<Shared>) -> Result<Watcher, Diagnostic> {
    // Events name absolute paths; a relative folder (`brief serve .`) would match none of them.
    let watched = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
    let cannot = |e: notify::Error| {
        Diagnostic::new(format!("cannot watch {}: {e}", watched.display()))
            .hint("check that the folder exists and can be read; on Linux, the inotify watch limit may be reached (fs.inotify.max_user_watches)")
    };
    let (events, incoming) = channel::<notify::Result<Event>>();
    let mut watcher = recommended_watcher(events).map_err(cannot)?;
    watcher
        .watch(&watched, RecursiveMode::Recursive)
        .map_err(cannot)?;
    let root = watched.clone();
    let rebuilds = std::thread::spawn(move || {
        let mut builder = builder;
        // Ends when the watcher is dropped and the channel closes.
        while let Ok(first) = incoming.recv() {
            let mut burst = vec![first];
            loop {
                match incoming.recv_timeout(QUIET) {
                    Ok(event) => burst.push(event),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            let change = burst
                .iter()
                .filter_map(|event| event.as_ref().ok())
                .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                .flat_map(|event| event.paths.iter())
                .filter(|path| is_source(&root, path))
                .map(|path| Change::of(&root, path))
                .max();
            if let Some(change) = change {
                rebuild(&mut builder, &shared, change);
            }
        }
    });
    Ok(Watcher {
        _watcher: watcher,
        _rebuilds: rebuilds,
    })
}

/// One rebuild, reported, and published to the open pages.
fn rebuild(builder: &mut Builder, shared: &Shared, change: Change) {
    // A bug in one rebuild must not end the server: report it and keep the last good site.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.rebuild(change)))
        .unwrap_or_else(|_| {
            Err("error: internal error while rebuilding (a bug in brief); the last good site is still served\n".to_string())
        });
    match &outcome {
        Ok((_, report)) => println!("{report}"),
        Err(message) => eprint!("{message}"),
    }
    super::flush_stdout();
    shared.publish(outcome.map(|(site, _)| site));
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
