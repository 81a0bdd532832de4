//! Stage 1, load: read the brief's files from disk (content, templates, static files) into a
//! [`Project`]. Nothing here interprets them; every read error names its file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::assets;
use crate::diagnostic::{file_error, Diagnostic, Diagnostics, SourceFile};
use crate::links::LinkCache;
use crate::paths::{cache_folder, BriefFolder};

/// The name of the file that holds the brief's metadata.
pub const INDEX_FILE: &str = "_index.md";

/// Everything read from a brief's folder.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    /// The same folder, as the guard every path from the brief goes through.
    pub folder: BriefFolder,
    /// `content/_index.md`: the brief's metadata.
    pub index: Arc<SourceFile>,
    /// Every other Markdown file under `content/`, in path order.
    pub sections: Vec<Arc<SourceFile>>,
    /// Tera templates by name: the brief's own over the built-in ones.
    pub templates: BTreeMap<String, Arc<SourceFile>>,
    /// Static files by path inside the site: the brief's own over the built-in ones.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// A single Markdown document (`brief build paper.md`): `index` holds the metadata and the
    /// whole text; `sections` is empty.
    pub single: bool,
    /// What the last `check --online` found (`.brief-cache/links.json`), for the Source audit
    /// page. A damaged cache reads as empty: it is disposable, and `check` reports it.
    pub links: LinkCache,
    /// Where formatted citations are kept between builds (`.brief-cache/`); `None` with
    /// `--no-cache`.
    pub cache: Option<PathBuf>,
}

/// Beside the brief: what one build leaves for the next (formatted citations, link checks).
pub const CACHE_FOLDER: &str = ".brief-cache";

impl Project {
    /// Reads a text file named relative to the brief's folder (a references or data file); a
    /// path that leads outside the brief is refused unread.
    pub fn read_source(&self, relative: &str) -> Result<Arc<SourceFile>, Diagnostic> {
        self.folder.read_text(&self.root.join(relative))
    }
}

/// Reads one Markdown document with its metadata in its front matter, as Pandoc would. Reference
/// files, data and templates are looked up beside it.
pub fn load_single(path: &Path) -> Result<Project, Diagnostics> {
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut diagnostics = Diagnostics::default();
    let folder = BriefFolder::new(root)?;
    let index = folder.read_text(path).map_err(Diagnostics::from)?;
    let templates = read_templates(&folder, &mut diagnostics);
    let static_files = read_static(&folder, &mut diagnostics);
    diagnostics.into_result(Project {
        root: root.to_path_buf(),
        folder,
        index,
        sections: Vec::new(),
        templates,
        static_files,
        single: true,
        links: LinkCache::read(root).unwrap_or_default(),
        cache: cache_folder(root),
    })
}

/// Reads the brief in `root`.
pub fn load(root: &Path) -> Result<Project, Diagnostics> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::new(format!("no `content/` folder in {}", root.display()))
            .hint("run `brief build PATH` with the folder that holds content/, data/ and templates/")
            .into());
    }
    let mut diagnostics = Diagnostics::default();
    let folder = BriefFolder::new(root)?;
    let index_path = content.join(INDEX_FILE);
    let index = match folder.read_text(&index_path) {
        Ok(index) => Some(index),
        Err(error) => {
            diagnostics.push(error.hint(
                "content/_index.md holds the brief's metadata: title, author, date, bibliography, csl",
            ));
            None
        }
    };
    let mut sections = Vec::new();
    for entry in visible_files(&content) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(&content).to_path_buf();
                diagnostics.push(file_error(&relative(root, &path), error));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || path == index_path || path.extension().is_none_or(|e| e != "md")
        {
            continue;
        }
        if entry.file_type().is_dir() {
            diagnostics.push(
                Diagnostic::new(format!(
                    "{} is a folder, not a Markdown file",
                    relative(root, path).display()
                ))
                .hint("sections are files; rename the folder so that its name does not end in .md"),
            );
            continue;
        }
        match folder.read_text(path) {
            Ok(file) => sections.push(file),
            Err(error) => diagnostics.push(error),
        }
    }
    let templates = read_templates(&folder, &mut diagnostics);
    let static_files = read_static(&folder, &mut diagnostics);
    match index {
        Some(index) if diagnostics.is_empty() => Ok(Project {
            root: root.to_path_buf(),
            folder,
            index,
            sections,
            templates,
            static_files,
            single: false,
            links: LinkCache::read(root).unwrap_or_default(),
            cache: cache_folder(root),
        }),
        _ => Err(diagnostics),
    }
}

fn read_templates(
    folder: &BriefFolder,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Arc<SourceFile>> {
    let mut templates: BTreeMap<String, Arc<SourceFile>> = assets::TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                SourceFile::new(format!("(built-in) templates/{name}"), *text),
            )
        })
        .collect();
    for (name, path) in files_under(folder, "templates", diagnostics) {
        if !name.ends_with(".html") {
            continue;
        }
        match folder.read_text(&path) {
            Ok(file) => {
                templates.insert(name, file);
            }
            Err(error) => diagnostics.push(error),
        }
    }
    templates
}

fn read_static(folder: &BriefFolder, diagnostics: &mut Diagnostics) -> BTreeMap<String, Vec<u8>> {
    let mut files: BTreeMap<String, Vec<u8>> = assets::STATIC_FILES
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    for (name, path) in files_under(folder, "static", diagnostics) {
        match folder.read_bytes(&path) {
            Ok(bytes) => {
                files.insert(name, bytes);
            }
            Err(problem) => {
                diagnostics.push(file_error(&folder.relative(&path), &problem).hint(problem.hint()))
            }
        }
    }
    files
}

/// Files under the brief's folder `name` as (path relative to it with `/` separators, full
/// path), in name order. Symbolic links are listed too, for the guard to follow or refuse.
fn files_under(
    folder: &BriefFolder,
    name: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let dir = folder.shown.join(name);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in visible_files(&dir) {
        match entry {
            Ok(entry) if !entry.file_type().is_dir() => {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(&dir).to_path_buf();
                diagnostics.push(file_error(&folder.relative(&path), error));
            }
        }
    }
    files
}

/// What is under `dir`, in name order, without hidden files and folders (`.drafts/`, editors'
/// swap files, `.git`): they are not part of the brief.
fn visible_files(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
}

/// A file's bytes as UTF-8 text, byte-order mark dropped; `shown` names it in errors.
pub fn decode_text(shown: &Path, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|error| not_utf8(shown, &error))?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(SourceFile::new(shown.display().to_string(), text))
}

/// Where the first byte that is not UTF-8 sits, shown on its line (read leniently).
fn not_utf8(shown: &Path, error: &std::string::FromUtf8Error) -> Diagnostic {
    let offset = error.utf8_error().valid_up_to();
    let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
    // The lossy text has the same bytes up to `offset`, so the offset holds in it.
    let file = SourceFile::new(shown.display().to_string(), lossy);
    Diagnostic::new(format!("{} is not UTF-8 text", shown.display()))
        .at(
            &file,
            offset..offset + '\u{fffd}'.len_utf8(),
            "this byte is not UTF-8",
        )
        .hint("save the file as UTF-8 (most editors offer it under “Save with encoding”)")
}

/// `path` relative to `root` when it is inside it, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
