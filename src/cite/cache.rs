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
