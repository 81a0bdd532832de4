//! The official CSL processor test suite, run against brief's engine. The fixtures live in
//! `../shared/csl-test-suite` (third-party data, never copied here); the folder comes from
//! `BRIEF_CSL_SUITE` (`.ci/run` sets it) and the test says plainly when it is skipped.
//!
//! Prints "N of 845 pass", and fails if a fixture listed in `tests/csl-suite-passing.txt`
//! fails: the list only grows. `CSL_SUITE_RECORD=1` rewrites the list with today's passes;
//! `CSL_SUITE_SHOW=name` prints the expected and actual output of the fixtures whose name
//! contains `name`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use brief::csl::reference::Reference;
use brief::csl::suite_html::to_suite_html;
use brief::csl::{json, CitationInput, CiteInput, Engine};
use citationberg::{Locale, Style};
use serde_json::Value as Json;

const PASS_LIST: &str = "tests/csl-suite-passing.txt";

fn suite_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("BRIEF_CSL_SUITE")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("../shared/csl-test-suite")))?;
    let humans = folder.join("processor-tests/humans");
    humans.is_dir().then_some(humans)
}

fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(hayagriva::archive::locales)
}

/// A fixture's sections by name ("mode", "result", "csl", "input", "citation-items"…).
fn sections(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in text.trim_start_matches('\u{feff}').lines() {
        if line.starts_with(">>=") {
            let name: String = line
                .chars()
                .filter(|c| c.is_ascii_alphabetic() || *c == '-')
                .collect::<String>()
                .to_lowercase();
            current = Some((name, Vec::new()));
        } else if line.starts_with("<<=") {
            if let Some((name, lines)) = current.take() {
                out.insert(name, lines.join("\n"));
            }
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    out
}

fn cite_item(value: &Json) -> Option<CiteInput> {
    let id = match value.get("id")? {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        _ => return None,
    };
    let text = |key: &str| match value.get(key) {
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let flag = |key: &str| {
        value
            .get(key)
            .is_some_and(|v| v.as_bool().unwrap_or(false) || v.as_i64().unwrap_or(0) != 0)
    };
    Some(CiteInput {
        id,
        locator: text("locator").filter(|l| !l.is_empty()),
        label: text("label").and_then(|l| l.parse().ok()),
        prefix: text("prefix"),
        suffix: text("suffix"),
        suppress_author: flag("suppress-author"),
        author_only: flag("author-only"),
    })
}

fn citations(sections: &HashMap<String, String>, references: &[Reference]) -> Vec<CitationInput> {
    if let Some(text) = sections.get("citations") {
        let parsed: Json = serde_json::from_str(text).unwrap_or(Json::Null);
        let mut list: Vec<(Option<String>, CitationInput)> = Vec::new();
        for entry in parsed.as_array().into_iter().flatten() {
            let citation = entry.get(0).unwrap_or(entry);
            let id = citation
                .get("citationID")
                .and_then(Json::as_str)
                .map(str::to_string);
            let items = citation
                .get("citationItems")
                .and_then(Json::as_array)
                .map(|items| items.iter().filter_map(cite_item).collect())
                .unwrap_or_default();
            let note_number = citation
                .get("properties")
                .and_then(|p| p.get("noteIndex"))
                .and_then(Json::as_u64)
                .map(|n| n as u32)
                .filter(|&n| n > 0);
            list.push((
                id,
                CitationInput {
                    items,
                    note_number,
                    narrative: false,
                },
            ));
        }
        // Each entry is [citation, citations before it, citations after it], as citeproc-js
        // takes them: the last entry says the document's final order and note numbers. A
        // later citation with the same id replaces an earlier one.
        let mut by_id: HashMap<String, CitationInput> = HashMap::new();
        for (id, citation) in &list {
            if let Some(id) = id {
                by_id.insert(id.clone(), citation.clone());
            }
        }
        let last = parsed.as_array().and_then(|entries| entries.last());
        let order: Option<Vec<(String, Option<u32>)>> = last.and_then(|entry| {
            let pairs = |index: usize| -> Vec<(String, Option<u32>)> {
                entry
                    .get(index)
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|pair| {
                        let id = pair.get(0)?.as_str()?.to_string();
                        let note = pair.get(1).and_then(Json::as_u64).map(|n| n as u32);
                        Some((id, note))
                    })
                    .collect()
            };
            let (this_id, this) = list.last()?;
            let mut order = pairs(1);
            order.push((this_id.clone()?, this.note_number));
            order.extend(pairs(2));
            Some(order)
        });
        let mut kept = Vec::new();
        match order {
            Some(order) if order.iter().all(|(id, _)| by_id.contains_key(id)) => {
                for (id, note) in order {
                    let mut citation = by_id[&id].clone();
                    if note.is_some_and(|n| n > 0) {
                        citation.note_number = note;
                    }
                    kept.push(citation);
                }
            }
            _ => {
                for (index, (id, citation)) in list.iter().enumerate() {
                    let replaced =
                        id.is_some() && list[index + 1..].iter().any(|(later, _)| later == id);
                    if !replaced {
                        kept.push(citation.clone());
                    }
                }
            }
        }
        return kept;
    }
    if let Some(text) = sections.get("citation-items") {
        let parsed: Json = serde_json::from_str(text).unwrap_or(Json::Null);
        return parsed
            .as_array()
            .into_iter()
            .flatten()
            .map(|items| CitationInput {
                items: items
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(cite_item)
                    .collect(),
                note_number: None,
                narrative: false,
            })
            .collect();
    }
    let mut seen = BTreeSet::new();
    let ids: Vec<&Reference> = references
        .iter()
        .filter(|r| seen.insert(r.id.clone()))
        .collect();
    let item = |r: &Reference| CiteInput {
        id: r.id.clone(),
        ..CiteInput::default()
    };
    if sections.get("mode").map(|m| m.trim()) == Some("citation") {
        vec![CitationInput {
            items: ids.iter().map(|r| item(r)).collect(),
            note_number: None,
            narrative: false,
        }]
    } else {
        ids.iter()
            .map(|r| CitationInput {
                items: vec![item(r)],
                note_number: None,
                narrative: false,
            })
            .collect()
    }
}

/// What brief prints for a fixture, in the suite's format.
fn run_fixture(text: &str) -> Result<(String, String), String> {
    let sections = sections(text);
    let mode = sections
        .get("mode")
        .map(|m| m.trim().to_string())
        .unwrap_or_default();
    let style = match Style::from_xml(sections.get("csl").ok_or("no CSL")?) {
        Ok(Style::Independent(style)) => style,
        Ok(Style::Dependent(_)) => return Err("a dependent style".into()),
        Err(error) => return Err(format!("style: {error}")),
    };
    let input: Json = serde_json::from_str(sections.get("input").ok_or("no INPUT")?)
        .map_err(|e| format!("input: {e}"))?;
    // citeproc-js gives an item without an id one of its own.
    let references: Vec<Reference> = input
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, item)| {
            let mut item = item.clone();
            if let Some(fields) = item.as_object_mut() {
                fields
                    .entry("id")
                    .or_insert_with(|| Json::String(format!("item-{}", index + 1)));
            }
            json::reference(&item).ok()
        })
        .collect();
    let citations = citations(&sections, &references);
    let engine = Engine::new(style, locales(), None);
    let quotes = engine.quote_marks();
    let processed = engine.process(&references, &citations, &[]);
    let actual = if mode == "citation" {
        processed
            .citations
            .iter()
            .map(|c| {
                let html = to_suite_html(c, &quotes);
                if html.is_empty() {
                    "[CSL STYLE ERROR: reference with no printed form.]".to_string()
                } else {
                    html
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        let mut lines = vec!["<div class=\"csl-bib-body\">".to_string()];
        for entry in &processed.bibliography {
            let html = to_suite_html(&entry.content, &quotes);
            lines.push(if html.starts_with("<div") {
                format!("  <div class=\"csl-entry\">\n    {html}\n  </div>")
            } else if html.ends_with("</div>") {
                format!("  <div class=\"csl-entry\">{html}\n  </div>")
            } else {
                format!("  <div class=\"csl-entry\">{html}</div>")
            });
        }
        lines.push("</div>".to_string());
        lines.join("\n")
    };
    let mut expected = sections.get("result").cloned().unwrap_or_default();
    if mode == "citation" && sections.contains_key("citations") {
        expected = expected
            .lines()
            .map(|line| {
                line.trim_start_matches(|c: char| {
                    c == '>' || c == '.' || c == '[' || c == ']' || c.is_ascii_digit()
                })
                .trim_start_matches(' ')
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    Ok((expected, actual))
}

fn pass_list() -> BTreeSet<String> {
    std::fs::read_to_string(PASS_LIST)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_csl_test_suite() {
    let Some(folder) = suite_folder() else {
        println!("skipped: the CSL test suite is not there (set BRIEF_CSL_SUITE to ../shared/csl-test-suite)");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("the suite folder reads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let show = std::env::var("CSL_SUITE_SHOW").ok();
    let mut passed = BTreeSet::new();
    let mut by_category: HashMap<String, (usize, usize)> = HashMap::new();
    for path in &names {
        let name = fixture_name(path);
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let outcome = std::panic::catch_unwind(|| run_fixture(&text));
        let ok = matches!(&outcome, Ok(Ok((expected, actual))) if expected == actual);
        let category = name.split('_').next().unwrap_or("").to_string();
        let counts = by_category.entry(category).or_default();
        counts.1 += 1;
        if ok {
            counts.0 += 1;
            passed.insert(name.clone());
        }
        if let Some(pattern) = &show {
            if name.contains(pattern.as_str()) {
                match &outcome {
                    Ok(Ok((expected, actual))) => println!(
                        "== {name}: {}\n-- expected\n{expected}\n-- actual\n{actual}\n",
                        if ok { "pass" } else { "FAIL" }
                    ),
                    Ok(Err(error)) => println!("== {name}: error: {error}"),
                    Err(_) => println!("== {name}: panicked"),
                }
            }
        }
    }
    let mut categories: Vec<_> = by_category.into_iter().collect();
    categories.sort();
    for (category, (pass, total)) in &categories {
        println!("{category:<16} {pass:>4} of {total:<4}");
    }
    println!("{} of {} pass", passed.len(), names.len());
    if std::env::var_os("CSL_SUITE_RECORD").is_some() {
        let mut text = String::from(
            "# Fixtures of the CSL test suite that brief's engine passes; the list only grows.\n\
             # Rewritten by `CSL_SUITE_RECORD=1 cargo test --test csl_suite`.\n",
        );
        for name in &passed {
            text.push_str(name);
            text.push('\n');
        }
        std::fs::write(PASS_LIST, text).expect("the pass list writes");
    }
    let regressed: Vec<String> = pass_list()
        .into_iter()
        .filter(|name| !passed.contains(name))
        .collect();
    assert!(
        regressed.is_empty(),
        "fixtures that passed before now fail: {regressed:?}"
    );
}

fn fixture_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
