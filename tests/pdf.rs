//! The brief's PDF, read as a reader's PDF viewer and a reviewer's tools read it: its text in
//! order (pdftotext, from Debian's poppler-utils), its outline, its links, its tags and metadata,
//! and where its words sit on the page.

#![cfg(feature = "pdf")]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{build_brief, run_brief, select, text_of, Fixture};
use scraper::Html;

const PDF_NAME: &str = "strategic-leverage-or-supply-trap.pdf";

fn page(out: &Path, relative: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(relative)).unwrap())
}

/// Runs a poppler tool, or says plainly that the test is skipped without it.
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(output) => {
            assert!(
                output.status.success(),
                "{tool} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Err(_) => {
            eprintln!(
                "skipped: {tool} is not installed (Debian's poppler-utils; .ci/run installs it)"
            );
            None
        }
    }
}

/// Letters and digits only, lower-cased: line breaks, hyphenation and the PDF's spacing of
/// punctuation do not count, the words and their order do.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The PDF's text, each page's running header (the short title, then the page number) left out.
fn pdf_text(pdf: &Path) -> Option<String> {
    let text = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"])?;
    Some(
        text.split('\u{c}')
            .enumerate()
            .map(|(i, page)| {
                if i == 0 {
                    return page.to_string();
                }
                page.lines()
                    .skip(1)
                    .skip_while(|line| line.trim().chars().all(|c| c.is_ascii_digit()))
                    .map(|line| format!("{line}\n"))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Asserts that every text of `expected` is in `haystack`, in that order.
fn assert_in_order(haystack: &str, expected: &[String], what: &str) {
    let mut from = 0;
    for text in expected {
        let needle = letters(text);
        if needle.is_empty() {
            continue;
        }
        match haystack[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => panic!(
                "{what}: not found after position {from} (or out of order): {text:?}; the text there: {}",
                &haystack[from..(from + 200).min(haystack.len())]
            ),
        }
    }
}

#[test]
fn the_build_writes_the_pdf_and_every_page_links_to_it_with_its_size() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let pdf = std::fs::read(out.path().join(PDF_NAME)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() < 400_000,
        "the brief's PDF is {} bytes",
        pdf.len()
    );
    let kilobytes = format!("{} KB", (pdf.len() as f64 / 1000.0).round());
    for (relative, href) in [
        ("index.html", PDF_NAME.to_string()),
        ("state-of-play/index.html", format!("../{PDF_NAME}")),
        ("audit/index.html", format!("../{PDF_NAME}")),
    ] {
        let html = page(out.path(), relative);
        let links = select(&html, ".pdf-download a");
        assert_eq!(links.len(), 1, "{relative} has one PDF link");
        assert_eq!(links[0].value().attr("href"), Some(href.as_str()));
        assert_eq!(text_of(&links[0]), "Download PDF");
        let size = text_of(&select(&html, ".pdf-download .pdf-size")[0]);
        assert!(
            size.contains(&kilobytes),
            "{relative}: {size} says {kilobytes}"
        );
        assert!(size.contains("pages"), "{size}");
    }
}

#[test]
fn the_pdf_holds_the_text_the_references_and_the_captions_in_reading_order() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let Some(text) = pdf_text(&out.path().join(PDF_NAME)) else {
        return;
    };
    let text = letters(&text);
    let home = page(out.path(), "index.html");
    // Every paragraph and list item of the text, as the web page has it.
    let paragraphs: Vec<String> = select(&home, ".brief-section > p, .brief-section li")
        .iter()
        .map(text_of)
        .collect();
    assert!(paragraphs.len() > 40, "{} paragraphs", paragraphs.len());
    let start = text
        .find(&letters("The standoff between the United States"))
        .unwrap();
    assert_in_order(&text[start..], &paragraphs, "the text");
    let captions: Vec<String> = select(&home, "figure figcaption")
        .iter()
        .map(|c| {
            text_of(c)
                .replacen("Figure 1", "Figure 1:", 1)
                .replacen("Figure 2", "Figure 2:", 1)
        })
        .collect();
    assert_eq!(captions.len(), 2);
    assert_in_order(&text, &captions, "the figure captions");
    let references = text.rfind("references").unwrap();
    let entries: Vec<String> = select(&home, ".references .reference-text")
        .iter()
        .map(text_of)
        .collect();
    assert!(entries.len() > 20);
    assert_in_order(&text[references..], &entries, "the reference list");
}

#[test]
fn the_outline_lists_every_section_and_the_metadata_names_the_brief() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let pdf = out.path().join(PDF_NAME);
    let Some(xml) = poppler(
        "pdftohtml",
        &["-i", "-xml", "-stdout", pdf.to_str().unwrap()],
    ) else {
        return;
    };
    let outline = &xml[xml.find("<outline>").expect("the PDF has an outline")..];
    let items: Vec<String> = outline
        .split("<item")
        .skip(1)
        .filter_map(|item| item.split_once('>').map(|(_, rest)| rest))
        .map(|rest| rest.split('<').next().unwrap_or("").to_string())
        .collect();
    let sections = [
        "Executive Summary",
        "1 The State of Play",
        "2 Negotiations and Confrontations",
        "3 Economic and Industrial Policy Analysis",
        "4 Policy Recommendations",
        "5 Conclusion",
        "References",
    ];
    let flattened = letters(&items.join(" "));
    let expected: Vec<String> = sections.iter().map(|s| s.to_string()).collect();
    assert_in_order(&flattened, &expected, "the outline");
    assert!(items.iter().any(|i| i.contains("1.1 Mining")), "{items:?}");

    let Some(info) = poppler("pdfinfo", &[pdf.to_str().unwrap()]) else {
        return;
    };
    for line in [
        "Title:           Strategic Leverage or Supply Trap? Navigating the U.S.–China Rare Earth Elements Challenge",
        "Author:          Ned Gandevani, PhD, MBA",
        "Tagged:          yes",
    ] {
        assert!(info.contains(line), "pdfinfo lacks {line:?}:\n{info}");
    }
    assert!(info.contains("Subject:         The standoff"), "{info}");
    let Some(meta) = poppler("pdfinfo", &["-meta", pdf.to_str().unwrap()]) else {
        return;
    };
    assert!(
        meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "PDF/UA-1 is declared: {meta}"
    );
    assert!(meta.contains("en-US"), "the language is declared");
}

/// A link annotation's rectangle, page and where it goes.
struct Link {
    page: usize,
    rect: [f32; 4],
    /// An internal link: the page and height it leads to.
    to: Option<(usize, f32)>,
    uri: Option<String>,
}

fn links(pdf_bytes: &[u8]) -> Vec<Link> {
    use hayro_syntax::object::{Array, Dict, Name, Rect};
    let pdf = hayro_syntax::Pdf::new(pdf_bytes.to_vec()).expect("a readable PDF");
    let pages = pdf.pages();
    let ids: Vec<_> = pages.iter().map(|p| p.raw().obj_id()).collect();
    let mut links = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        let Some(annotations) = page.raw().get::<Array<'_>>("Annots") else {
            continue;
        };
        for annotation in annotations.iter::<Dict<'_>>() {
            if annotation
                .get::<Name<'_>>("Subtype")
                .is_none_or(|n| n.as_ref() != b"Link")
            {
                continue;
            }
            let rect = annotation
                .get::<Rect>("Rect")
                .expect("a link has a rectangle");
            let action = annotation.get::<Dict<'_>>("A");
            let destination = action
                .as_ref()
                .and_then(|a| a.get::<Array<'_>>("D"))
                .or_else(|| annotation.get::<Array<'_>>("Dest"));
            // `[page /XYZ left top zoom]`: the page and the height it opens at.
            let to = destination.and_then(|d| {
                let mut parts = d.flex_iter();
                let target = parts.next::<Dict<'_>>()?.obj_id();
                let _kind = parts.next::<Name<'_>>()?;
                let _left = parts.next::<f32>();
                let top = parts.next::<f32>()?;
                let page = ids.iter().position(|id| *id == target)?;
                Some((page, top))
            });
            let uri = action.and_then(|a| {
                a.get::<hayro_syntax::object::String<'_>>("URI")
                    .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
            });
            links.push(Link {
                page: number,
                rect: [
                    rect.x0 as f32,
                    rect.y0 as f32,
                    rect.x1 as f32,
                    rect.y1 as f32,
                ],
                to,
                uri,
            });
        }
    }
    links
}

#[test]
fn every_citation_is_a_link_to_its_reference_entry() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let bytes = std::fs::read(out.path().join(PDF_NAME)).unwrap();
    let links = links(&bytes);
    let home = page(out.path(), "index.html");
    let citation_links = select(&home, ".citation a").len();
    let cited: BTreeSet<String> = select(&home, ".citation a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    // Links to entries lead to the reference list's pages, each to the top of an entry.
    let first_reference_page = links
        .iter()
        .filter_map(|l| l.to.map(|(page, _)| page))
        .max()
        .unwrap();
    let to_entries: Vec<&Link> = links
        .iter()
        .filter(|l| {
            l.to.is_some_and(|(page, _)| page + 3 >= first_reference_page)
        })
        .filter(|l| {
            l.to.is_some_and(|(page, _)| page > l.page || l.page < first_reference_page - 1)
        })
        .collect();
    assert!(
        to_entries.len() >= citation_links,
        "{} links into the reference list, {citation_links} citation links on the web page",
        to_entries.len()
    );
    let destinations: BTreeSet<(usize, i64)> = to_entries
        .iter()
        .filter_map(|l| l.to.map(|(page, y)| (page, y.round() as i64)))
        .collect();
    assert_eq!(
        destinations.len(),
        cited.len(),
        "one destination per cited source"
    );
    // Every DOI and URL of the reference list is a live link.
    let uris: BTreeSet<&str> = links.iter().filter_map(|l| l.uri.as_deref()).collect();
    for link in select(&home, ".references .reference-text a") {
        let href = link.value().attr("href").unwrap();
        assert!(uris.contains(href), "the PDF links {href}");
    }
    assert!(links.iter().all(|l| l.rect[2] > l.rect[0]));
}

/// A page's width and height, and the box of each of its words.
type PageWords = (f32, f32, Vec<[f32; 4]>);

/// Words of each page with their boxes, from `pdftotext -bbox`.
fn word_boxes(pdf: &Path) -> Option<Vec<PageWords>> {
    let html = poppler("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"])?;
    let number = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let width = number(page, "width");
        let height = number(page, "height");
        let words = page
            .split("<word ")
            .skip(1)
            .map(|w| {
                [
                    number(w, "xMin"),
                    number(w, "yMin"),
                    number(w, "xMax"),
                    number(w, "yMax"),
                ]
            })
            .collect();
        pages.push((width, height, words));
    }
    Some(pages)
}

#[test]
fn no_text_runs_off_the_page_or_into_the_margins() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let Some(pages) = word_boxes(&out.path().join(PDF_NAME)) else {
        return;
    };
    assert!(pages.len() >= 8, "{} pages", pages.len());
    // The margins are 2.4 cm (68 pt) at the sides; nothing may cross into the outer 60 pt.
    for (number, (width, height, words)) in pages.iter().enumerate() {
        assert!(!words.is_empty(), "page {} has text", number + 1);
        for [x0, y0, x1, y1] in words {
            assert!(
                *x0 >= 60.0 && *x1 <= width - 60.0 && *y0 >= 20.0 && *y1 <= height - 20.0,
                "page {}: a word at ({x0}, {y0})–({x1}, {y1}) leaves the text area",
                number + 1
            );
        }
    }
    let rendered = out.path().join("page");
    if poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            out.path().join(PDF_NAME).to_str().unwrap(),
            rendered.to_str().unwrap(),
        ],
    )
    .is_some()
    {
        let png: PathBuf = std::fs::read_dir(out.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "png"))
            .expect("pdftoppm rendered the first page");
        assert!(std::fs::metadata(png).unwrap().len() > 1000);
    }
}

#[test]
fn text_from_the_brief_cannot_become_typst_markup() {
    let fixture = Fixture::copy("tiny");
    let hostile = "#set page(width: 1cm) ] [ $x$ <ref-x> @agency2024 * _ = \\ // /* ``` \"";
    fixture.write(
        "content/03-third.md",
        &format!(
            "---\ntitle: \"Third {}\"\norder: 3\n---\n\nPlain words {} end.\n",
            hostile.replace('\\', "\\\\").replace('"', "\\\""),
            hostile
                .replace('*', "\\*")
                .replace('_', "\\_")
                .replace('`', "\\`")
                .replace('$', "\\$")
                .replace('<', "&lt;")
                .replace('@', "\\@")
        ),
    );
    let run = fixture.build();
    run.assert_success();
    let pdf = std::fs::read_dir(fixture.public())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF");
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    assert!(text.contains("#set page(width: 1cm)"), "{text}");
    assert!(
        letters(&text).contains(&letters(&format!("Plain words {hostile} end"))),
        "{text}"
    );
}

#[test]
fn pdf_false_builds_no_pdf_and_links_none() {
    let fixture = Fixture::copy("tiny");
    let index = std::fs::read_to_string(fixture.path().join("content/_index.md")).unwrap();
    fixture.write(
        "content/_index.md",
        &index.replacen("---\n", "---\npdf: false\n", 1),
    );
    fixture.build().assert_success();
    let pdfs = std::fs::read_dir(fixture.public())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(pdfs, 0);
    assert!(select(&fixture.page("index.html"), ".pdf-download").is_empty());
}

#[test]
fn a_paper_gets_its_pdf_and_an_image_typst_cannot_read_is_a_located_warning() {
    let fixture = Fixture::copy("pandoc-paper");
    let run = run_brief(&["build", "paper.md"], fixture.path());
    run.assert_success();
    // figures/flow.pdf is a stand-in, not a PDF Typst can draw: the PDF links it instead.
    assert!(
        run.stderr.contains("paper.md:")
            && run.stderr.contains("the PDF cannot typeset this image"),
        "{}",
        run.stderr
    );
    let pdf = fixture
        .public()
        .join("pandoc-markdown-as-authors-write-it.pdf");
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    for expected in [
        "Pandoc Markdown, as authors write it",
        "Jane Doe",
        "Institute for Things",
        "Figure 1: Where the mines are",
        "References",
    ] {
        assert!(
            letters(&text).contains(&letters(expected)),
            "{expected:?} in {text}"
        );
    }
    // Notes are footnotes; math is math, not its TeX.
    assert!(
        text.contains("Concentration is measured by the HHI"),
        "{text}"
    );
    assert!(!text.contains("\\frac"), "{text}");
    assert!(!text.contains("\\sum"), "{text}");
}
