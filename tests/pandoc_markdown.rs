//! A paper written in Pandoc's Markdown (tests/fixtures/pandoc-paper/paper.md) becomes the page
//! a reader expects: figures from images, endnotes, MathML, spans, divs and callouts, raw blocks.

mod common;

use common::{run_brief, select, text_of, visible_text, Fixture};
use scraper::Html;

fn built() -> (Fixture, common::Run, Html) {
    let fixture = Fixture::copy("pandoc-paper");
    let run = run_brief(&["build", "paper.md"], fixture.path());
    run.assert_success();
    let page = fixture.page("index.html");
    (fixture, run, page)
}

fn attr(page: &Html, css: &str, name: &str) -> String {
    let found = select(page, css);
    assert!(!found.is_empty(), "nothing matches {css}");
    found[0].value().attr(name).unwrap_or_default().to_string()
}

#[test]
fn an_image_alone_is_a_numbered_figure_with_its_caption_and_file() {
    let (fixture, _, page) = built();
    let figure = &select(&page, "figure.image-figure#fig-map")[0];
    assert!(figure
        .value()
        .has_class("wide", scraper::CaseSensitivity::CaseSensitive));
    let caption = text_of(&select(&page, "#fig-map figcaption")[0]);
    assert_eq!(
        caption,
        "Figure 1 Where the mines are, after U.S. Geological Survey (2024) and (Smith, 2020)."
    );
    // Citations in the caption are citations: linked, and counted in the reference list.
    assert_eq!(select(&page, "#fig-map figcaption .citation a").len(), 2);
    assert_eq!(
        attr(&page, "#fig-map img", "alt"),
        "Where the mines are, after U.S. Geological Survey (2024) and (Smith, 2020)."
    );
    assert_eq!(attr(&page, "#fig-map img", "style"), "width:39%");
    assert_eq!(attr(&page, "#fig-map img", "src"), "figures/mine%20map.png");
    assert!(fixture.public().join("figures/mine map.png").is_file());
    // `\autoref{fig:map}` and `@fig-flow` are links with the figures' numbers.
    let refs: Vec<String> = select(&page, "a.figure-ref").iter().map(text_of).collect();
    assert_eq!(refs, ["Figure 1", "Figure 2"]);
    assert_eq!(attr(&page, "a.figure-ref", "href"), "#fig-map");
    // An image inside a sentence stays there.
    assert_eq!(attr(&page, "p img", "alt"), "tiny icon");
}

#[test]
fn a_pdf_figure_is_a_link_and_a_remote_image_is_never_loaded() {
    let (_, run, page) = built();
    assert_eq!(
        attr(&page, "#fig-flow a.image-link", "href"),
        "figures/flow.pdf"
    );
    assert!(select(&page, "#fig-flow img").is_empty());
    assert!(select(&page, "img[src^='http']").is_empty());
    assert_eq!(
        attr(&page, "figure a.image-link[href^='https']", "href"),
        "https://example.org/chart.png"
    );
    assert!(run.stderr.contains("paper.md:33:1"), "{}", run.stderr);
    assert!(run.stderr.contains("is linked, not shown"));
}

#[test]
fn notes_are_endnotes_numbered_by_call_with_citations_inside() {
    let (_, _, page) = built();
    let calls: Vec<String> = select(&page, "a[role='doc-noteref']")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(calls, ["1", "2", "1"], "the repeated call keeps its number");
    let notes = select(&page, "section.endnotes[role='doc-endnotes'] > ol > li");
    assert_eq!(notes.len(), 2);
    assert!(text_of(&notes[0]).starts_with("Concentration is measured by the HHI"));
    assert!(text_of(&notes[1]).starts_with("An inline note citing (Smith, 2020)."));
    assert_eq!(select(&page, ".endnotes .citation a").len(), 2);
    // Two links back for the note called twice, each to a call that exists.
    let back = select(&page, ".endnotes li:first-child a[role='doc-backlink']");
    assert_eq!(back.len(), 2);
    for link in back {
        let id = link.value().attr("href").unwrap().trim_start_matches('#');
        assert_eq!(select(&page, &format!("[id='{id}']")).len(), 1);
    }
    assert!(!page.html().contains("^["), "no inline note left as text");
}

#[test]
fn math_is_mathml_with_numbered_equations_and_references() {
    let (_, run, page) = built();
    // `Cu$_2$SiSe$_3$`: subscripts, not emphasis or lost dollars.
    let inline = select(&page, "math[display='inline']");
    assert!(inline.len() >= 3);
    assert!(inline[0].html().contains("<msub>"));
    let equations = select(&page, ".equation");
    assert_eq!(equations.len(), 2);
    assert_eq!(equations[0].value().attr("id"), Some("eq-hhi"));
    assert_eq!(
        text_of(&select(&page, "#eq-hhi .equation-number")[0]),
        "(1)"
    );
    assert_eq!(select(&page, "#eq-hhi math[display='block']").len(), 1);
    let refs: Vec<String> = select(&page, "a.equation-ref")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(refs, ["(1)", "Equation 2"]);
    // TeX that cannot be converted is shown as code, with a warning at its place.
    assert_eq!(text_of(&select(&page, "code.math")[0]), "\\notacommand{x}");
    assert!(run.stderr.contains("paper.md:54:21"), "{}", run.stderr);
    let text = visible_text(&page);
    assert!(
        !text.contains("{#eq-share}") && !text.contains("\\begin{"),
        "{text}"
    );
}

#[test]
fn pandoc_syntax_is_markup_not_text() {
    let (_, run, page) = built();
    assert_eq!(text_of(&select(&page, "main sup:not(.note-ref)")[0]), "14");
    assert_eq!(text_of(&select(&page, "sub")[0]), "2");
    assert_eq!(text_of(&select(&page, "span.smallcaps")[0]), "Policy Brief");
    assert_eq!(attr(&page, "span#marked", "class"), "highlight");
    let callout = &select(&page, "div.callout.callout-tip[role='note']")[0];
    assert_eq!(
        text_of(&select(&page, ".callout .callout-title")[0]),
        "Key takeaways"
    );
    assert!(text_of(callout).contains("China refines"));
    assert_eq!(
        text_of(&select(&page, "div#context.aside-box")[0]),
        "A plain div."
    );
    assert_eq!(text_of(&select(&page, "dl dt")[0]), "Term");
    assert_eq!(text_of(&select(&page, "dl dd")[0]), "Its definition.");
    assert_eq!(attr(&page, "pre code", "class"), "language-python");
    assert_eq!(text_of(&select(&page, "p.raw-html")[0]), "Raw HTML kept");
    let text = visible_text(&page);
    for raw in [
        ":::",
        "\\newpage",
        "\\noindent",
        "\\vspace",
        "\\begin{table}",
        "{.",
        "~2~",
        "^14^",
    ] {
        assert!(!text.contains(raw), "`{raw}` printed as text");
    }
    // Raw LaTeX is left out with a warning at its place, as Pandoc leaves it out.
    assert!(run.stderr.contains("paper.md:86:1"), "{}", run.stderr);
    assert!(run.stderr.contains("LaTeX `table` block is left out"));
    assert!(run.stderr.contains("paper.md:82:1"));
}

#[test]
fn a_missing_image_stops_the_build_at_its_place_and_keeps_the_old_site() {
    let fixture = Fixture::copy("pandoc-paper");
    run_brief(&["build", "paper.md"], fixture.path()).assert_success();
    let before = std::fs::read(fixture.public().join("index.html")).unwrap();
    fixture.remove("figures/icon.png");
    run_brief(&["build", "paper.md"], fixture.path()).assert_error(&[
        "the image `figures/icon.png` is not in the brief",
        "paper.md:28:57",
        "relative to the Markdown file",
    ]);
    assert_eq!(
        std::fs::read(fixture.public().join("index.html")).unwrap(),
        before
    );
    let check = run_brief(&["check", "paper.md"], fixture.path());
    assert_ne!(check.status, 0);
    let said = format!("{}{}", check.stdout, check.stderr);
    assert!(
        said.contains("the image `figures/icon.png` is not in the brief"),
        "{said}"
    );
}

#[test]
fn images_stay_inside_the_brief_and_hold_no_script() {
    let fixture = Fixture::copy("pandoc-paper");
    let text = std::fs::read_to_string(fixture.path().join("paper.md")).unwrap();
    fixture.write(
        "paper.md",
        &text.replace("(figures/icon.png)", "(../../etc/passwd.png)"),
    );
    run_brief(&["build", "paper.md"], fixture.path())
        .assert_error(&["outside the brief's folder", "paper.md:28:57"]);
    fixture.write(
        "paper.md",
        &text.replace("(figures/icon.png)", "(figures/bad.svg)"),
    );
    fixture.write("figures/bad.svg", "<svg onload=\"alert(1)\"></svg>");
    run_brief(&["build", "paper.md"], fixture.path())
        .assert_error(&["holds script", "paper.md:28:57"]);
}

#[test]
fn the_audit_page_of_a_single_document_links_to_places_that_exist() {
    let (fixture, _, home) = built();
    let audit = fixture.page("audit/index.html");
    let mut checked = 0;
    for link in select(&audit, "a[href^='../']") {
        let href = link.value().attr("href").unwrap();
        let Some(id) = href.strip_prefix("../#") else {
            continue;
        };
        assert_eq!(select(&home, &format!("[id='{id}']")).len(), 1, "{href}");
        checked += 1;
    }
    assert!(checked >= 4, "every citation is listed: {checked}");
    let check = run_brief(&["check", "paper.md"], fixture.path());
    assert!(!check.stdout.contains("../document/"), "{}", check.stdout);
}

#[test]
fn joss_authors_show_affiliations_orcids_and_notes_and_feed_the_metadata() {
    let (_, _, page) = built();
    let authors: Vec<String> = select(&page, ".byline .author")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(authors.len(), 2);
    assert!(
        authors[0].starts_with("Jane Doe1,2 iD (corresponding: jane@example.org)"),
        "{authors:?}"
    );
    assert!(authors[1].starts_with("Will T. Barnes2*"), "{authors:?}");
    assert_eq!(
        attr(&page, ".byline a.orcid", "href"),
        "https://orcid.org/0000-0002-1825-0097"
    );
    let affiliations: Vec<String> = select(&page, "ol.affiliations li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        affiliations,
        [
            "Institute for Things",
            "Department of Stuff, Some University"
        ]
    );
    assert_eq!(
        text_of(&select(&page, ".author-note")[0]),
        "* Will T. Barnes: Now at the Agency."
    );
    let meta = |name: &str| -> Vec<String> {
        select(&page, &format!("meta[name='{name}']"))
            .iter()
            .map(|m| m.value().attr("content").unwrap().to_string())
            .collect()
    };
    assert_eq!(meta("citation_author"), ["Doe, Jane", "Barnes, Will T."]);
    assert_eq!(
        meta("citation_author_institution"),
        [
            "Institute for Things",
            "Department of Stuff, Some University",
            "Department of Stuff, Some University"
        ]
    );
    assert_eq!(
        meta("citation_author_orcid"),
        ["https://orcid.org/0000-0002-1825-0097"]
    );
    assert_eq!(meta("keywords"), ["rare earths, supply chains"]);
    let json = text_of(&select(&page, "script[type='application/ld+json']")[0]);
    assert!(
        json.contains(
            "\"affiliation\":[{\"@type\":\"Organization\",\"name\":\"Institute for Things\"}"
        ),
        "{json}"
    );
    // The note is no part of the name anywhere: not in "Cite this brief" either.
    assert!(!page.html().contains("Barnes^["));
    assert_eq!(
        text_of(&select(&page, ".summary")[0]),
        "What this paper shows, in one paragraph."
    );
}

#[test]
fn divs_nested_past_the_limit_are_a_located_error() {
    let fixture = Fixture::copy("pandoc-paper");
    let text = std::fs::read_to_string(fixture.path().join("paper.md")).unwrap();
    let deep = format!(
        "{}\nx\n{}\n",
        "::: {.d}\n".repeat(2_000),
        ":::\n".repeat(2_000)
    );
    fixture.write("paper.md", &format!("{text}\n{deep}"));
    let run = run_brief(&["build", "paper.md"], fixture.path());
    run.assert_error(&["divs are nested more than 50 deep", "paper.md:"]);
    assert_eq!(
        run.stderr.matches("error: the `:::` divs").count(),
        1,
        "said once"
    );
}
