//! Real published papers (the JOSS corpus in ../shared, never copied into this repository) build
//! into sites with every citation resolved and as many reference entries as Pandoc renders.
//!
//! `.ci/run` sets BRIEF_CORPUS to the corpus folder; without it this test says it was skipped.

mod common;

use std::path::{Path, PathBuf};

use common::{run_brief, select};
use scraper::Html;

/// One paper: its folder, and how many entries Pandoc renders for it (from SOURCES.tsv).
struct Paper {
    dir: PathBuf,
    pandoc_entries: usize,
}

fn papers(corpus: &Path) -> Vec<Paper> {
    let sources = std::fs::read_to_string(corpus.join("joss/SOURCES.tsv")).expect("SOURCES.tsv");
    let mut lines = sources.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (dir, rendered) = (column("dir"), column("pandoc_rendered_entries"));
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Paper {
                dir: corpus.join("joss").join(cells[dir]),
                pandoc_entries: cells[rendered].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn joss_papers_build_like_pandoc_renders_them() {
    let Some(corpus) = std::env::var_os("BRIEF_CORPUS").map(PathBuf::from) else {
        eprintln!("skipped: BRIEF_CORPUS is not set (.ci/run sets it to ../shared/corpus)");
        return;
    };
    let papers = papers(&corpus);
    assert_eq!(papers.len(), 8);
    for paper in papers {
        let name = paper
            .dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = tempfile::tempdir().unwrap();
        let markdown = paper.dir.join("paper.md");
        let run = run_brief(
            &[
                "build",
                markdown.to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
                "--no-cache",
            ],
            &paper.dir,
        );
        run.assert_success();
        // Only real warnings: entries the paper's .bib gives no URL or DOI.
        for line in run.stderr.lines().filter(|l| l.starts_with("warning:")) {
            assert!(
                line.ends_with("has no link"),
                "{name}: unexpected warning {line}"
            );
        }
        let page =
            Html::parse_document(&std::fs::read_to_string(out.path().join("index.html")).unwrap());
        let entries = select(&page, "#references li.reference").len();
        assert_eq!(entries, paper.pandoc_entries, "{name}: reference entries");
        let citations = select(&page, ".citation");
        assert!(!citations.is_empty(), "{name}: citations");
        for link in select(&page, ".citation a") {
            let href = link.value().attr("href").unwrap();
            let id = href.strip_prefix('#').unwrap();
            assert_eq!(
                select(&page, &format!("[id='{id}']")).len(),
                1,
                "{name}: {href} leads nowhere"
            );
        }
        let html = page.html();
        assert!(
            !html.contains("[@"),
            "{name}: a citation was left unresolved"
        );
    }
}
