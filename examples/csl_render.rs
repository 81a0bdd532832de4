//! Formats citations and a bibliography with brief's own CSL engine, straight from a `.bib`
//! file and a `.csl` style, for `tests/compare/citeproc.py --engine` while the engine is not
//! yet what `brief build` uses.
//!
//! `csl_render refs.bib style.csl < citations.json` where the JSON is a list of citations, each
//! a list of keys; prints `{"citations": [html…], "entries": {key: html}}`.

use std::io::Read;

use brief::cite::read::read_bibtex;
use brief::csl::suite_html::to_suite_html;
use brief::csl::{CitationInput, CiteInput, Engine};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bib, csl] = args.as_slice() else {
        eprintln!("usage: csl_render FILE.bib STYLE.csl < citations.json");
        return std::process::ExitCode::from(2);
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let (bib, csl) = match (read(bib), read(csl)) {
        (Ok(bib), Ok(csl)) => (bib, csl),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("{error}");
            return std::process::ExitCode::from(2);
        }
    };
    let style = match citationberg::Style::from_xml(&csl) {
        Ok(citationberg::Style::Independent(style)) => style,
        _ => {
            eprintln!("the style is not an independent CSL style");
            return std::process::ExitCode::from(2);
        }
    };
    let mut input = String::new();
    let _ = std::io::stdin().read_to_string(&mut input);
    let keys: Vec<Vec<String>> = serde_json::from_str(&input).unwrap_or_default();
    let references: Vec<_> = read_bibtex(&bib)
        .entries
        .into_iter()
        .map(|entry| entry.reference)
        .collect();
    let citations: Vec<CitationInput> = keys
        .into_iter()
        .map(|keys| CitationInput {
            items: keys
                .into_iter()
                .map(|id| CiteInput {
                    id,
                    ..CiteInput::default()
                })
                .collect(),
            note_number: None,
            narrative: false,
        })
        .collect();
    let engine = Engine::new(style, &hayagriva::archive::locales(), None);
    let quotes = engine.quote_marks();
    let processed = engine.process(&references, &citations, &[]);
    let out = serde_json::json!({
        "citations": processed.citations.iter().map(|c| to_suite_html(c, &quotes)).collect::<Vec<_>>(),
        "entries": processed
            .bibliography
            .iter()
            .map(|e| (e.id.clone(), serde_json::Value::String(to_suite_html(&e.content, &quotes))))
            .collect::<serde_json::Map<_, _>>(),
    });
    println!("{out}");
    std::process::ExitCode::SUCCESS
}
