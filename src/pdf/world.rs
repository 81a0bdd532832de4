//! What Typst sees of the world: one source file (written by [`super::source`]), the figures and
//! images it names, and the fonts embedded in the binary. Nothing is read from the machine: no
//! system font, no file outside the brief, no clock, so the PDF's bytes depend only on the brief.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts, read once per process (`serve` typesets on every change).
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

pub struct BriefWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

/// A path inside the PDF's world (`/main.typ`, `/figures/fig-x.svg`).
pub fn file_id(path: &str) -> Option<FileId> {
    let path = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl BriefWorld {
    pub fn new(source: String, files: &BTreeMap<String, Vec<u8>>) -> Option<BriefWorld> {
        let main = Source::new(file_id("/main.typ")?, source);
        let files = files
            .iter()
            .filter_map(|(path, bytes)| Some((file_id(path)?, Bytes::new(bytes.clone()))))
            .collect();
        Some(BriefWorld { main, files })
    }
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    /// No clock: the brief's own `date` is the document's date.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
