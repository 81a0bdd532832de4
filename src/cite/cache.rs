//! Formatted citations kept between builds. Formatting is most of a build's time, and most
//! edits change prose, not citations. So the formatted citations, reference list and "Cite this
//! brief" are kept, keyed by a fingerprint of everything that goes into them: the style, the
//! reference files, the metadata and every citation (keys, locators, affixes, forms; not where
//! it sits in the text). In memory for `serve`, and in `.brief-cache/citations.json` for the next
//! `build`. A stale or damaged cache is never used: its fingerprint does not match.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::self_cite::SelfCitation;
use super::ReferenceEntry;
use crate::csl::memo::Table;

/// Bumped when what is cached, or how it is made, changes; the first field of the fingerprint.
pub const FORMAT: &str = "brief-citations-2";
const FILE: &str = "citations.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cached {
    pub fingerprint: String,
    pub citations: Vec<String>,
    pub entries: Vec<ReferenceEntry>,
    pub self_citation: SelfCitation,
}

static MEMORY: Mutex<Option<Arc<Cached>>> = Mutex::new(None);

impl Cached {
    /// Whether everything in it is what the formatter writes: markup of its own vocabulary and
    /// http(s) links. A cache from elsewhere (a brief's repository can carry one) that holds
    /// anything else is not used, and everything is formatted afresh.
    fn is_inert(&self) -> bool {
        use crate::html::{is_inert_markup, is_web_url};
        self.citations.iter().all(|html| is_inert_markup(html))
            && is_inert_markup(&self.self_citation.html)
            && self.entries.iter().all(|entry| {
                is_inert_markup(&entry.html)
                    && entry.links.iter().all(|url| is_web_url(url))
                    && entry.archive.as_deref().is_none_or(is_web_url)
            })
    }
}

/// The cached formatting for `fingerprint`, from memory or from `folder`.
pub fn lookup(folder: Option<&Path>, fingerprint: &str) -> Option<Arc<Cached>> {
    if let Some(hit) = MEMORY
        .lock()
        .ok()
        .and_then(|memory| memory.clone())
        .filter(|cached| cached.fingerprint == fingerprint)
    {
        return Some(hit);
    }
    let text = crate::paths::read_cache_file(&folder?.join(FILE))?;
    // The fingerprint is the file's first field: a stale cache is told without parsing it all.
    if !text.starts_with(&format!("{{\"fingerprint\":\"{fingerprint}\"")) {
        return None;
    }
    let cached: Cached = serde_json::from_str(&text).ok()?;
    if cached.fingerprint != fingerprint || !cached.is_inert() {
        return None;
    }
    let cached = Arc::new(cached);
    if let Ok(mut memory) = MEMORY.lock() {
        *memory = Some(cached.clone());
    }
    Some(cached)
}

/// Keeps `cached` in memory and, when there is a folder, on disk. A cache that cannot be
/// written is no error: the next build formats again.
pub fn store(folder: Option<&Path>, cached: Cached) {
    let cached = Arc::new(cached);
    if let Some(folder) = folder {
        if let Ok(json) = serde_json::to_string(&*cached) {
            let _ = std::fs::create_dir_all(folder)
                .and_then(|()| crate::paths::replace_file(&folder.join(FILE), json.as_bytes()));
        }
    }
    if let Ok(mut memory) = MEMORY.lock() {
        *memory = Some(cached);
    }
}

/// Formatting kept piece by piece, for the build after an edit to citations: the engine's
/// decisions and each citation's and entry's HTML, keyed by what each depends on (see
/// [`crate::csl::memo`]). Valid only under the style it was made with.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FormatMemo {
    /// A fingerprint of the style, the locale and the metadata the pieces were formatted under.
    pub style: String,
    pub engine: crate::csl::Memo,
    /// Each citation's HTML.
    pub citations: Table<String>,
    /// Each entry's HTML and plain text; `None` for an entry that prints nothing.
    pub entries: Table<Option<(String, String)>>,
}

const MEMO_FILE: &str = "citation-pieces.json";
static MEMO: Mutex<Option<FormatMemo>> = Mutex::new(None);

impl FormatMemo {
    /// Makes what the last run used the values this run may find.
    fn start_run(&mut self) {
        self.engine.start_run();
        self.citations.start_run();
        self.entries.start_run();
    }

    /// The same rule as for the whole cache: only the formatter's own markup.
    fn is_inert(&self) -> bool {
        use crate::html::is_inert_markup;
        self.citations.all(|html| is_inert_markup(html))
            && self
                .entries
                .all(|entry| entry.as_ref().is_none_or(|(html, _)| is_inert_markup(html)))
    }
}

/// The pieces kept for `style`, from memory or from `folder`, ready for a run; an empty memo
/// when there are none.
pub fn take_memo(folder: Option<&Path>, style: &str) -> FormatMemo {
    let in_memory = MEMO
        .lock()
        .ok()
        .and_then(|mut memory| memory.take())
        .filter(|memo| memo.style == style);
    let mut memo = in_memory
        .or_else(|| {
            let text = crate::paths::read_cache_file(&folder?.join(MEMO_FILE))?;
            let memo: FormatMemo = serde_json::from_str(&text).ok()?;
            (memo.style == style && memo.is_inert()).then_some(memo)
        })
        .unwrap_or_else(|| FormatMemo {
            style: style.to_string(),
            ..FormatMemo::default()
        });
    memo.start_run();
    memo
}

/// Keeps `memo` in memory and, when there is a folder, on disk (best effort, as [`store`]).
pub fn keep_memo(folder: Option<&Path>, memo: FormatMemo) {
    if let Some(folder) = folder {
        if let Ok(json) = serde_json::to_string(&memo) {
            let _ = std::fs::create_dir_all(folder).and_then(|()| {
                crate::paths::replace_file(&folder.join(MEMO_FILE), json.as_bytes())
            });
        }
    }
    if let Ok(mut memory) = MEMO.lock() {
        *memory = Some(memo);
    }
}
