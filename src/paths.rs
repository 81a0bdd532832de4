//! Every path from the brief stays inside it. A figure's `data:`, `bibliography:`, `csl:` and
//! every file found in `content/`, `templates/` and `static/` is resolved here, once, after `..`
//! and symbolic links, and refused when it leads outside the brief's folder (in single-document
//! mode, the document's folder), when it is not a regular file (a named pipe would block the
//! build forever, a device would never end), or when it is larger than [`MAX_FILE_BYTES`].
//! Nothing outside the brief is ever opened, so no error can quote it.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{file_error, Diagnostic, SourceFile};

/// The largest file a brief may hold: far beyond any real section, reference list or data
/// file, small enough that a mistake cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The folder whose files make up a brief.
#[derive(Debug, Clone)]
pub struct BriefFolder {
    /// As the user named it: paths in messages are shown relative to it.
    pub shown: PathBuf,
    /// Absolute, with links resolved: what "inside" is measured against.
    real: PathBuf,
    /// Once started, every file read and what came of it (see [`BriefFolder::start_trace`]).
    trace: Arc<Mutex<Option<Vec<TracedRead>>>>,
}

/// One file a build read: the path it asked for, and a fingerprint of the bytes it got or the
/// reason it got none.
pub type TracedRead = (PathBuf, String);

/// Why a path from the brief is not read.
#[derive(Debug)]
pub enum PathProblem {
    /// It resolves outside the brief's folder (`via` names the link that leads there).
    Outside {
        via: Option<PathBuf>,
    },
    /// A folder, a named pipe, a device or a socket.
    NotRegular(&'static str),
    /// It is, or is in, a hidden file or folder of the brief (`.git/config`, `.env`).
    Hidden(PathBuf),
    TooLarge(u64),
    /// It cannot be reached: missing, unreadable, a broken or looping link.
    Io(std::io::Error),
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathProblem::Outside { via: Some(link) } => write!(
                f,
                "it leads outside the brief's folder (through the symbolic link {})",
                link.display()
            ),
            PathProblem::Outside { via: None } => f.write_str("it is outside the brief's folder"),
            PathProblem::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            PathProblem::Hidden(path) => write!(
                f,
                "it is hidden ({}), and a brief reads no hidden files or folders",
                path.display()
            ),
            PathProblem::TooLarge(bytes) => write!(
                f,
                "it is {} MiB; a brief's files may be at most {} MiB",
                bytes / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            PathProblem::Io(error) => error.fmt(f),
        }
    }
}

impl PathProblem {
    /// A stable name, for `check --format json` (and for callers that keep this hint).
    pub fn code(&self) -> &'static str {
        match self {
            PathProblem::Outside { .. } => "outside-brief",
            PathProblem::NotRegular(_) => "not-a-file",
            PathProblem::Hidden(_) => "hidden-file",
            PathProblem::TooLarge(_) => "too-large",
            PathProblem::Io(_) => "unreadable-file",
        }
    }

    /// What the author can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PathProblem::Outside { .. } => {
                "a brief reads only files inside its own folder: copy the file into it"
            }
            PathProblem::NotRegular(_) => "name a plain file",
            PathProblem::Hidden(_) => {
                "hidden files and folders hold tools' data and secrets (`.git`, `.env`); move the file out of them"
            }
            PathProblem::TooLarge(_) => "split the file, or keep only what the brief needs",
            PathProblem::Io(_) => "the path is relative to the brief's folder",
        }
    }
}

impl BriefFolder {
    pub fn new(root: &Path) -> Result<BriefFolder, Diagnostic> {
        let real = root
            .canonicalize()
            .map_err(|error| file_error(root, error))?;
        Ok(BriefFolder {
            shown: root.to_path_buf(),
            real,
            trace: Arc::default(),
        })
    }

    /// From now on, remembers every file read and what came of it, for [`take_trace`]: what a
    /// build read beyond the files it loads up front (references, data, images, a style).
    ///
    /// [`take_trace`]: BriefFolder::take_trace
    pub fn start_trace(&self) {
        if let Ok(mut trace) = self.trace.lock() {
            *trace = Some(Vec::new());
        }
    }

    pub fn take_trace(&self) -> Vec<TracedRead> {
        self.trace
            .lock()
            .ok()
            .and_then(|mut trace| trace.take())
            .unwrap_or_default()
    }

    /// What reading `path` gives now, as a trace records it.
    pub fn read_outcome(&self, path: &Path) -> String {
        outcome(&self.read_bytes_untraced(path))
    }

    /// `path` relative to the brief's folder when it is inside it, for messages.
    pub fn relative(&self, path: &Path) -> PathBuf {
        crate::load::relative(&self.shown, path)
    }

    /// The file a path written in the brief names, relative to its folder, once it is known to
    /// be a regular file inside the brief and small enough to read.
    pub fn resolve(&self, written: &str) -> Result<PathBuf, PathProblem> {
        self.check(&self.shown.join(written))
    }

    /// The same for a path found on disk (a file in `content/`).
    pub fn check(&self, path: &Path) -> Result<PathBuf, PathProblem> {
        let real = path.canonicalize().map_err(PathProblem::Io)?;
        let Ok(inside) = real.strip_prefix(&self.real) else {
            return Err(PathProblem::Outside {
                via: first_link(path, &self.shown),
            });
        };
        // `.git/config` can hold a deploy token; no brief needs a hidden file.
        if inside
            .components()
            .any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Err(PathProblem::Hidden(inside.to_path_buf()));
        }
        let meta = fs::metadata(&real).map_err(PathProblem::Io)?;
        if !meta.is_file() {
            return Err(PathProblem::NotRegular(kind_of(&meta)));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(PathProblem::TooLarge(meta.len()));
        }
        Ok(real)
    }

    /// The bytes of a file inside the brief, at most [`MAX_FILE_BYTES`] of them however the file
    /// grows while it is read.
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, PathProblem> {
        let read = self.read_bytes_untraced(path);
        if let Ok(mut trace) = self.trace.lock() {
            if let Some(trace) = trace.as_mut() {
                trace.push((path.to_path_buf(), outcome(&read)));
            }
        }
        read
    }

    fn read_bytes_untraced(&self, path: &Path) -> Result<Vec<u8>, PathProblem> {
        let real = self.check(path)?;
        let mut bytes = Vec::new();
        fs::File::open(&real)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(PathProblem::Io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(PathProblem::TooLarge(bytes.len() as u64));
        }
        Ok(bytes)
    }

    /// A UTF-8 text file inside the brief, byte-order mark dropped; the error names the file as
    /// the author knows it.
    pub fn read_text(&self, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
        let shown = self.relative(path);
        let bytes = self.read_bytes(path).map_err(|problem| {
            let diagnostic = file_error(&shown, &problem);
            match (&problem, fs::read_link(path)) {
                (PathProblem::Io(_), Ok(target)) => diagnostic.hint(format!(
                    "it is a symbolic link to {}, which cannot be read",
                    target.display()
                )),
                (PathProblem::NotRegular("a folder"), _) => Diagnostic::new(format!(
                    "{} is a folder, not a Markdown file",
                    shown.display()
                ))
                .hint("sections are files; rename the folder so that its name does not end in .md"),
                _ => diagnostic.hint(problem.hint()).code(problem.code()),
            }
        })?;
        crate::load::decode_text(&shown, bytes)
    }
}

/// A read as a trace records it: the fingerprint of the bytes, or why there were none.
fn outcome(read: &Result<Vec<u8>, PathProblem>) -> String {
    match read {
        Ok(bytes) => {
            let mut fingerprint = crate::fingerprint::Fingerprint::default();
            fingerprint.add_bytes(bytes);
            fingerprint.finish()
        }
        Err(problem) => format!("not read: {problem}"),
    }
}

/// The first symbolic link on the way from `root` to `path`, for saying how a path got out.
fn first_link(path: &Path, root: &Path) -> Option<PathBuf> {
    let inside = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    for part in inside.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(crate::load::relative(root, &at));
        }
    }
    None
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The brief's cache folder, when it is a folder of its own: a symbolic link there (a brief
/// from someone else could carry one) would make the build write wherever it points.
pub fn cache_folder(root: &Path) -> Option<PathBuf> {
    let folder = root.join(crate::load::CACHE_FOLDER);
    match fs::symlink_metadata(&folder) {
        Err(_) => Some(folder),
        Ok(meta) if meta.is_dir() => Some(folder),
        Ok(_) => None,
    }
}

/// A file of the cache, when it is a plain file (not a link, a pipe or a device that could hang
/// or flood the build); `None` for anything else, which the cache treats as missing.
pub fn read_cache_file(path: &Path) -> Option<String> {
    // Caches grow with the brief; this only keeps a planted file from exhausting memory.
    const MAX_CACHE_BYTES: u64 = 1024 * 1024 * 1024;
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    let mut text = String::new();
    fs::File::open(path)
        .ok()?
        .take(MAX_CACHE_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// Writes `bytes` to `path` through a fresh file beside it renamed into place, so that an
/// interrupted run never leaves half a file and no link planted at either name is followed.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if fs::symlink_metadata(&partial).is_ok() {
        fs::remove_file(&partial)?;
    }
    // `create_new` refuses to open through a link, or a file that appeared since.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)?;
    file.write_all(bytes)?;
    drop(file);
    fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_brief_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let brief = dir.path().join("brief");
        fs::create_dir_all(brief.join("data")).unwrap();
        fs::write(dir.path().join("outside.csv"), "secret").unwrap();
        fs::write(brief.join("data/in.csv"), "a,b\n").unwrap();
        let folder = BriefFolder::new(&brief).unwrap();
        assert!(folder.resolve("data/in.csv").is_ok());
        assert!(folder.resolve("data/../data/in.csv").is_ok());
        for outside in ["../outside.csv", "data/../../outside.csv"] {
            assert!(matches!(
                folder.resolve(outside),
                Err(PathProblem::Outside { via: None })
            ));
        }
        let absolute = dir.path().join("outside.csv");
        assert!(folder.resolve(absolute.to_str().unwrap()).is_err());
        assert!(matches!(
            folder.resolve("data"),
            Err(PathProblem::NotRegular("a folder"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_brief_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let brief = dir.path().join("brief");
        fs::create_dir_all(&brief).unwrap();
        fs::write(dir.path().join("outside.csv"), "secret").unwrap();
        std::os::unix::fs::symlink("../outside.csv", brief.join("link.csv")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", brief.join("zero.csv")).unwrap();
        let folder = BriefFolder::new(&brief).unwrap();
        match folder.resolve("link.csv") {
            Err(PathProblem::Outside { via: Some(link) }) => {
                assert_eq!(link, Path::new("link.csv"))
            }
            other => panic!("{other:?}"),
        }
        assert!(folder.resolve("zero.csv").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn replacing_a_file_never_follows_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join("cache.json.partial")).unwrap();
        replace_file(&dir.path().join("cache.json"), b"{}").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(
            fs::read_to_string(dir.path().join("cache.json")).unwrap(),
            "{}"
        );
    }
}
