//! Whether a build would write what is already there: nothing it reads changed since the last
//! build, and the output folder is exactly as that build left it. Then `brief build` says the
//! site is up to date and stops after loading, as `make` or `cargo` do.
//!
//! What a build reads is the files loaded up front (the metadata, the sections, the templates,
//! the static files, the link checks' results), whose fingerprint is the record's key, and the
//! files read later through the brief's folder (references, a style, figure data, images): each
//! one's path and what reading it gave, including "not there", are traced. The record keeps the
//! build's warnings as it said them, so that they are said again.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fingerprint::Fingerprint;
use crate::load::Project;
use crate::previous::PreviousSite;

const RECORD: &str = "inputs.json";

/// What the last build read and wrote.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    key: String,
    /// The files read after loading, and what each read gave.
    reads: Vec<crate::paths::TracedRead>,
    /// The fingerprint of that build's record of the files it wrote: any later build that
    /// writes the site writes that record anew, and so leaves this one speaking for nothing.
    written: String,
    summary: Counts,
}

/// The counts the summary line gives, and the warnings said before it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Counts {
    pub pages: usize,
    pub citations: usize,
    pub sources: usize,
    pub figures: usize,
    pub pdf_pages: Option<usize>,
    pub warnings: Vec<String>,
}

/// The fingerprint of everything the build loaded up front, and of where and how it writes.
pub fn key(project: &Project, out: &Path, strict: bool) -> String {
    let mut key = Fingerprint::default();
    key.add(&crate::previous::output_key(out));
    key.add(if project.single { "single" } else { "brief" });
    key.add(if strict { "strict" } else { "" });
    for file in std::iter::once(&project.index).chain(&project.sections) {
        key.add(&file.name);
        key.add(&file.text);
    }
    for (name, file) in &project.templates {
        key.add(name);
        key.add(&file.text);
    }
    for (path, bytes) in &project.static_files {
        key.add(path);
        key.add_bytes(bytes);
    }
    key.add(&serde_json::to_string(&project.links).unwrap_or_default());
    key.finish()
}

/// The counts of the last build, when nothing it read changed and its site is as it was left.
pub fn up_to_date(project: &Project, key: &str, out: &Path) -> Option<Counts> {
    let cache = project.cache.as_deref()?;
    let text = crate::paths::read_cache_file(&cache.join(RECORD))?;
    let record: Record = serde_json::from_str(&text).ok()?;
    if record.key != key || written_fingerprint(cache)? != record.written {
        return None;
    }
    let unchanged = record
        .reads
        .iter()
        .all(|(path, outcome)| project.folder.read_outcome(path) == *outcome);
    (unchanged && PreviousSite::read(Some(cache), out).exact).then_some(record.summary)
}

/// Keeps the record of a build that succeeded (best effort: without it the next build runs in
/// full).
pub fn remember(project: &Project, key: String, summary: Counts) {
    let Some(cache) = project.cache.as_deref() else {
        return;
    };
    let Some(written) = written_fingerprint(cache) else {
        return;
    };
    let record = Record {
        key,
        reads: project.folder.take_trace(),
        written,
        summary,
    };
    if let Ok(json) = serde_json::to_string(&record) {
        let _ = crate::paths::replace_file(&cache.join(RECORD), json.as_bytes());
    }
}

fn written_fingerprint(cache: &Path) -> Option<String> {
    let text = crate::paths::read_cache_file(&cache.join(crate::previous::MANIFEST))?;
    let mut fingerprint = Fingerprint::default();
    fingerprint.add(&text);
    Some(fingerprint.finish())
}
