//! Real published papers (the JOSS corpus in ../shared, never copied into this repository) build
//! into sites with every citation resolved and as many reference entries as Pandoc renders.
//!
//! `.ci/run` sets BRIEF_CORPUS to the corpus folder; without it this test says it was skipped.

mod common;

use std::path::{Path, PathBuf};

use common::{run_brief, select, text_of, visible_text};
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
        let work = tempfile::tempdir().unwrap();
        common::copy_tree(&paper.dir, work.path());
        let images = common::write_stand_in_images(work.path());
        let out = tempfile::tempdir().unwrap();
        let markdown = work.path().join("paper.md");
        let run = run_brief(
            &[
                "build",
                markdown.to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
                "--no-cache",
            ],
            work.path(),
        );
        run.assert_success();
        // Only real warnings: entries the paper's .bib gives no URL or DOI, and bumbl's raw
        // LaTeX table (left out, as Pandoc leaves it out), with the reference to it.
        for line in run.stderr.lines().filter(|l| l.starts_with("warning:")) {
            assert!(
                line.ends_with("has no link")
                    || (name == "18-bumbl"
                        && (line.contains("LaTeX `table` block") || line.contains("`tab:output`"))),
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
        // Nothing of Pandoc's syntax or of TeX is left as text (MathML keeps its TeX only in
        // its annotation, which is not text a reader sees).
        let text = visible_text(&page);
        for raw in [
            "$",
            "\\autoref",
            "\\begin{",
            "\\label{",
            "{ width=",
            "^[",
            ":::",
        ] {
            assert!(!text.contains(raw), "{name}: `{raw}` printed as text");
        }
        // Every image is a figure with a caption, and its file is in the site.
        let figures = select(&page, "figure.image-figure");
        assert_eq!(figures.len(), images.len(), "{name}: one figure per image");
        for figure in &figures {
            assert!(!text_of(&select_in(figure, "figcaption")[0]).is_empty());
        }
        for image in &images {
            assert!(
                out.path().join(image).is_file(),
                "{name}: {image} not copied"
            );
        }
    }
}

fn select_in<'a>(element: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).unwrap();
    element.select(&selector).collect()
}
