//! Every `paper.bib` of the corpus (`$BRIEF_CORPUS/joss/*/paper.bib`) read, and, when a Pandoc 3
//! binary is named by `PANDOC3`, compared entry by entry with `pandoc -f bibtex -t csljson`.
//! Braces' `<span class="nocase">` is taken out of this reader's output first: Pandoc's
//! CSL-JSON writer never writes it. The count of identical entries and each differing field
//! are printed (`cargo test --lib cite::read -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

use super::{read_bibtex, to_csl_json};

/// Entries of the corpus that come out as Pandoc's. The other 27 of 169 differ on purpose:
/// accents on a dotless `\i` composed (í where Pandoc writes ı́), math converted, `issue` and
/// `location` kept, braces kept out of DOIs and genres, `@misc` as `document`, a `\url` in
/// `howpublished` read as the URL, `\textendash{}` kept, `2017--` read as an open range (see
/// `bibtex/fields.rs` and `bibtex/latex.rs`).
const AT_LEAST_IDENTICAL: usize = 142;

#[test]
fn the_corpus_reads_as_pandoc_reads_it() {
    let Some(corpus) = std::env::var_os("BRIEF_CORPUS").map(PathBuf::from) else {
        eprintln!("skipped: BRIEF_CORPUS not set");
        return;
    };
    let pandoc = std::env::var_os("PANDOC3").map(PathBuf::from);
    if pandoc.is_none() {
        eprintln!("PANDOC3 not set: the corpus is read but not compared with Pandoc");
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("joss"))
        .expect("the corpus has a joss folder")
        .filter_map(|entry| Some(entry.ok()?.path().join("paper.bib")))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no paper.bib under {}", corpus.display());
    let mut compared = 0;
    let mut identical = 0;
    let mut differences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable paper.bib");
        let file = read_bibtex(&text);
        let skipped: Vec<&str> = file
            .warnings
            .iter()
            .map(|w| w.message.as_str())
            .filter(|m| m.starts_with("skipped"))
            .collect();
        assert!(skipped.is_empty(), "{}: {skipped:?}", path.display());
        let Some(pandoc) = &pandoc else { continue };
        let theirs = pandoc_items(pandoc, path);
        for entry in &file.entries {
            let ours = without_nocase(to_csl_json(&entry.reference));
            let Some(theirs) = theirs.get(&entry.reference.id) else {
                differences
                    .entry("(entry)".into())
                    .or_default()
                    .push(format!("{}: not in Pandoc's output", entry.reference.id));
                continue;
            };
            compared += 1;
            if &ours == theirs {
                identical += 1;
                continue;
            }
            record(&entry.reference.id, &ours, theirs, &mut differences);
        }
    }
    if pandoc.is_none() {
        return;
    }
    println!("{identical} of {compared} corpus entries are identical to Pandoc's CSL-JSON");
    for (field, cases) in &differences {
        println!("{field}: {} entries", cases.len());
        for case in cases {
            println!("    {case}");
        }
    }
    assert!(
        identical >= AT_LEAST_IDENTICAL,
        "{identical} of {compared} identical"
    );
}

fn pandoc_items(pandoc: &Path, bib: &Path) -> BTreeMap<String, Json> {
    let output = Command::new(pandoc)
        .args(["-f", "bibtex", "-t", "csljson"])
        .arg(bib)
        .output()
        .expect("PANDOC3 runs");
    assert!(
        output.status.success(),
        "pandoc failed on {}",
        bib.display()
    );
    let items: Vec<Json> = serde_json::from_slice(&output.stdout).expect("CSL-JSON");
    items
        .into_iter()
        .filter_map(|item| Some((item.get("id")?.as_str()?.to_string(), item)))
        .collect()
}

fn record(id: &str, ours: &Json, theirs: &Json, differences: &mut BTreeMap<String, Vec<String>>) {
    let (Some(ours), Some(theirs)) = (ours.as_object(), theirs.as_object()) else {
        return;
    };
    let mut keys: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (a, b) = (ours.get(key), theirs.get(key));
        if a != b {
            let show = |v: Option<&Json>| v.map_or("—".to_string(), |v| shorten(&v.to_string()));
            differences.entry(key.clone()).or_default().push(format!(
                "{id}: ours {} | Pandoc {}",
                show(a),
                show(b)
            ));
        }
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The value with every `<span class="nocase">…</span>` unwrapped.
fn without_nocase(value: Json) -> Json {
    match value {
        Json::String(text) => Json::String(unwrap_nocase(&text)),
        Json::Array(items) => Json::Array(items.into_iter().map(without_nocase).collect()),
        Json::Object(map) => Json::Object(
            map.into_iter()
                .map(|(key, value)| (key, without_nocase(value)))
                .collect(),
        ),
        other => other,
    }
}

fn unwrap_nocase(text: &str) -> String {
    const OPEN: &str = "<span class=\"nocase\">";
    let mut out = String::with_capacity(text.len());
    // For each open `<span`, whether it is a nocase one (its `</span>` is dropped too).
    let mut spans: Vec<bool> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix(OPEN) {
            spans.push(true);
            rest = after;
        } else if rest.starts_with("<span") {
            spans.push(false);
            out.push('<');
            rest = &rest[1..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            if !spans.pop().unwrap_or(false) {
                out.push_str("</span>");
            }
            rest = after;
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn nocase_spans_are_unwrapped_for_the_comparison() {
    assert_eq!(
        unwrap_nocase("A <span class=\"nocase\">NASA <span style=\"font-variant:small-caps;\">x</span></span> way"),
        "A NASA <span style=\"font-variant:small-caps;\">x</span> way"
    );
}
