//! Prints what brief's BibTeX reader makes of a `.bib` file as CSL-JSON, to set beside
//! `pandoc -f bibtex -t csljson FILE`; its warnings go to standard error.
//!
//! `cargo run --example bibtex_csljson -- refs.bib`

use brief::cite::read::{line_of, read_bibtex, to_csl_json};

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bibtex_csljson FILE.bib");
        return std::process::ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", path.to_string_lossy());
            return std::process::ExitCode::from(2);
        }
    };
    let file = read_bibtex(&text);
    for warning in &file.warnings {
        eprintln!(
            "{}:{}: {} ({})",
            path.to_string_lossy(),
            line_of(&text, warning.span.start),
            warning.message,
            warning.hint
        );
    }
    let items: Vec<_> = file
        .entries
        .iter()
        .map(|entry| to_csl_json(&entry.reference))
        .collect();
    match serde_json::to_string_pretty(&items) {
        Ok(json) => println!("{json}"),
        Err(error) => eprintln!("{error}"),
    }
    std::process::ExitCode::SUCCESS
}
