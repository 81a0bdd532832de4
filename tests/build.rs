//! A tiny brief builds into the pages a reader expects.

mod common;

use std::collections::BTreeSet;

use common::{select, text_of, Fixture};

fn built() -> Fixture {
    let fixture = Fixture::copy("tiny");
    let run = fixture.build();
    run.assert_success();
    assert!(
        run.stdout.starts_with(
            "built 4 pages, a PDF of 4 pages, 10 citations, 5 sources, 1 figures, 1 warning in "
        ),
        "summary line: {}",
        run.stdout
    );
    fixture
}

#[test]
fn writes_home_page_section_pages_styles_and_data() {
    let fixture = built();
    for file in [
        "index.html",
        "first/index.html",
        "second/index.html",
        "style.css",
        "data/shares.csv",
    ] {
        assert!(fixture.public().join(file).is_file(), "{file} missing");
    }
}

#[test]
fn home_page_is_the_whole_brief_with_valid_structure() {
    let fixture = built();
    let page = fixture.page("index.html");
    assert_eq!(select(&page, "html")[0].value().attr("lang"), Some("en-GB"));
    assert_eq!(select(&page, "main").len(), 1);
    assert_eq!(
        text_of(&select(&page, "h1")[0]),
        "A Tiny BriefFixture for the integration tests"
    );
    let h2: Vec<String> = select(&page, "main h2").iter().map(text_of).collect();
    assert_eq!(
        h2,
        [
            "1. First Things",
            "2. Second Thoughts",
            "Notes",
            "References",
            "Cite this brief"
        ]
    );
    // Headings in order: each section's own headings sit one level under its title.
    assert_eq!(select(&page, "main h3").len(), 2);
    assert!(select(&page, "main h4, main h5").is_empty());
    let toc: Vec<String> = select(&page, "nav.toc a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(String::from)
        .collect();
    assert!(
        toc.contains(&"#first".to_string()) && toc.contains(&"#references".to_string()),
        "{toc:?}"
    );
    // The BibTeX under "Cite this brief" rightly holds `{{`; everything else must not.
    let html = page
        .html()
        .replace(&select(&page, "#cite pre")[0].html(), "");
    assert!(
        !html.contains("[@") && !html.contains("{{") && !html.contains("{%"),
        "raw syntax left in the page"
    );
}

#[test]
fn citations_read_like_apa_and_link_to_their_entries() {
    let fixture = built();
    let page = fixture.page("index.html");
    let citations: Vec<String> = select(&page, ".citation").iter().map(text_of).collect();
    assert_eq!(
        citations[0], "(NSA, 2024; Institute for Things, 2025)",
        "author's order and short names"
    );
    assert_eq!(
        citations[1], "(see NSA, 2024, pp. 33–35)",
        "prefix and locator"
    );
    assert!(
        citations.contains(&"Institute for Things (2025)".to_string()),
        "narrative citation: {citations:?}"
    );
    assert!(
        citations.contains(&"(Sources: NSA, 2024; Institute for Things, 2025)".to_string()),
        "figure sources"
    );
    let ids: BTreeSet<String> = select(&page, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .map(String::from)
        .collect();
    let links = select(&page, ".citation a");
    assert_eq!(links.len(), 13, "one link per cited item");
    for link in links {
        let href = link.value().attr("href").expect("href");
        let target = href.strip_prefix('#').expect("in-page link");
        assert!(
            target.starts_with("ref-") && ids.contains(target),
            "{href} has no target"
        );
    }
}

#[test]
fn same_author_same_year_letters_follow_the_reference_list() {
    let fixture = built();
    let page = fixture.page("index.html");
    // wire2025b (June 10) sorts before wire2025a (June 20), so it is "2025a" although cited second.
    let earlier = text_of(&select(&page, "#ref-wire2025b")[0]);
    let later = text_of(&select(&page, "#ref-wire2025a")[0]);
    assert!(earlier.contains("Wire. (2025a, June 10)"), "{earlier}");
    assert!(later.contains("Wire. (2025b, June 20)"), "{later}");
    let citations: Vec<String> = select(&page, ".citation").iter().map(text_of).collect();
    assert!(
        citations.contains(&"(Wire, 2025b, 2025a)".to_string()),
        "{citations:?}"
    );
}

#[test]
fn reference_list_holds_cited_and_nocite_entries_with_links_and_backlinks() {
    let fixture = built();
    let page = fixture.page("index.html");
    let entries = select(&page, "#references li.reference");
    assert_eq!(entries.len(), 5);
    let agency = &select(&page, "#ref-agency2024")[0];
    assert!(
        text_of(agency).starts_with("National Survey Agency (NSA). (2024). "),
        "{}",
        text_of(agency)
    );
    let urls: Vec<&str> = agency
        .select(&scraper::Selector::parse("a[href^=http]").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.org/survey-2024.pdf",
            "https://web.archive.org/web/2024/https://example.org/survey-2024.pdf"
        ],
        "the source and its archived copy"
    );
    let backlinks = select(&page, "#ref-agency2024 .backlinks a");
    assert_eq!(
        backlinks.len(),
        5,
        "cited in text, a list, a figure caption and source, and with a locator"
    );
    let bystander = text_of(&select(&page, "#ref-listedonly2024")[0]);
    assert!(
        bystander.contains("Listed by the author but not cited in the text."),
        "{bystander}"
    );
}

#[test]
fn section_pages_carry_their_own_references_and_navigation() {
    let fixture = built();
    let page = fixture.page("second/index.html");
    assert_eq!(text_of(&select(&page, "main h1")[0]), "2. Second Thoughts");
    let keys: Vec<&str> = select(&page, "li.reference")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    assert_eq!(
        keys,
        [
            "ref-institute2025",
            "ref-agency2024",
            "ref-wire2025b",
            "ref-wire2025a"
        ]
    );
    let prev = select(&page, "a[rel=prev]");
    assert_eq!(prev[0].value().attr("href"), Some("../first/"));
    // A backlink to a citation on another page goes to that page.
    let hrefs: Vec<&str> = select(&page, "#ref-agency2024 .backlinks a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"../first/#cite-1-1"), "{hrefs:?}");
}

#[test]
fn figure_is_accessible_svg_with_caption_sources_table_and_download() {
    let fixture = built();
    let page = fixture.page("first/index.html");
    let caption = text_of(&select(&page, "figure#fig-shares figcaption")[0]);
    assert_eq!(
        caption, "Figure 1 Production by country, 2024 (data from NSA, 2024).",
        "a caption may cite"
    );
    let caption_link = &select(&page, "figure#fig-shares figcaption .citation a")[0];
    assert_eq!(caption_link.value().attr("href"), Some("#ref-agency2024"));
    let svg = &select(&page, "figure#fig-shares svg")[0];
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert!(svg
        .value()
        .attr("viewbox")
        .or(svg.value().attr("viewBox"))
        .is_some());
    assert_eq!(
        text_of(&select(&page, "figure#fig-shares svg desc")[0]),
        "Bar chart: Alpha 300 tonnes, Beta 120, Gamma 45."
    );
    let cells: Vec<String> = select(&page, "figure#fig-shares details td")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(cells, ["300", "120", "45"]);
    let download = &select(&page, "figure#fig-shares a[download]")[0];
    assert_eq!(download.value().attr("href"), Some("../data/shares.csv"));
    let bars = select(&page, "figure#fig-shares svg rect").len();
    assert!(bars >= 3, "one bar per row, got {bars} rects");
    assert!(text_of(&select(&page, ".figure-notes")[0]).contains("Invented numbers for a test."));
}

#[test]
fn footnotes_are_endnotes_with_links_both_ways() {
    let fixture = built();
    for (page, notes_after) in [("index.html", "main"), ("first/index.html", "article")] {
        let page = fixture.page(page);
        let reference = &select(&page, "sup.note-ref a[role='doc-noteref']")[0];
        assert_eq!(reference.value().attr("href"), Some("#fn-first-fn-note"));
        assert_eq!(text_of(reference), "1");
        let notes = select(
            &page,
            &format!("{notes_after} section.endnotes[role='doc-endnotes'] li"),
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].value().attr("id"), Some("fn-first-fn-note"));
        let back = &select(&page, "#fn-first-fn-note a[role='doc-backlink']")[0];
        assert_eq!(back.value().attr("href"), Some("#fnref-first-fn-note-1"));
        assert_eq!(select(&page, "#fnref-first-fn-note-1").len(), 1);
        // The note's text is at the end, not where its definition was written.
        let html = page.html();
        assert!(
            html.find("class=\"endnotes\"").unwrap() > html.find("fnref-first-fn-note-1").unwrap()
        );
    }
}

#[test]
fn builds_a_folder_without_templates_or_static_files() {
    let fixture = built();
    assert!(!fixture.path().join("templates").exists());
    let css = std::fs::read_to_string(fixture.public().join("style.css")).unwrap();
    assert!(
        css.contains("prefers-color-scheme"),
        "the embedded stylesheet is used"
    );
}

#[test]
fn a_brief_template_overrides_the_built_in_one() {
    let fixture = Fixture::copy("tiny");
    fixture.write("templates/section.html", "<!DOCTYPE html><html lang=en><head><title>x</title></head><body><main>custom {{ section.title }}</main></body></html>");
    fixture.build().assert_success();
    let page = fixture.page("first/index.html");
    assert_eq!(text_of(&select(&page, "main")[0]), "custom First Things");
}

#[test]
fn out_flag_writes_elsewhere_and_refuses_the_brief_folder_itself() {
    let fixture = Fixture::copy("tiny");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    common::run_brief(
        &["build", ".", "--out", target.to_str().unwrap()],
        fixture.path(),
    )
    .assert_success();
    assert!(target.join("index.html").is_file());
    common::run_brief(&["build", ".", "--out", "."], fixture.path())
        .assert_error(&["refusing to write the site"]);
    common::run_brief(&["build", ".", "--out", "content/site"], fixture.path())
        .assert_error(&["refusing"]);
    assert!(
        fixture.path().join("content/01-first.md").is_file(),
        "nothing of the brief was touched"
    );
}

#[test]
fn pages_carry_the_metadata_search_engines_and_scholar_read() {
    let fixture = built();
    let page = fixture.page("index.html");
    let attr = |css: &str, name: &str| {
        select(&page, css)[0]
            .value()
            .attr(name)
            .unwrap()
            .to_string()
    };
    assert_eq!(
        attr("link[rel=canonical]", "href"),
        "https://example.org/tiny/"
    );
    assert_eq!(
        attr("meta[property='og:url']", "content"),
        "https://example.org/tiny/"
    );
    assert_eq!(
        attr("meta[name=citation_title]", "content"),
        "A Tiny Brief Fixture for the integration tests"
    );
    assert_eq!(
        attr("meta[name=citation_author]", "content"),
        "Author, Test"
    );
    assert_eq!(
        attr("meta[name=citation_publication_date]", "content"),
        "2026/01/15"
    );
    assert_eq!(
        select(&page, "meta[name=citation_reference]").len(),
        5,
        "one per listed source"
    );
    let json_ld = text_of(&select(&page, "script[type='application/ld+json']")[0]);
    let value: serde_json::Value = serde_json::from_str(&json_ld).unwrap();
    assert_eq!(value["@type"], "Report");
    assert_eq!(value["url"], "https://example.org/tiny/");
    assert_eq!(value["citation"].as_array().unwrap().len(), 5);
    let section = fixture.page("second/index.html");
    let canonical = select(&section, "link[rel=canonical]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(canonical, "https://example.org/tiny/second/");
}

#[test]
fn cite_this_brief_offers_apa_bibtex_and_ris() {
    let fixture = built();
    let page = fixture.page("index.html");
    let apa = text_of(&select(&page, "#cite .reference-text")[0]);
    assert_eq!(apa, "Author, T. (2026). A Tiny Brief: Fixture for the integration tests. https://example.org/tiny/");
    let bibtex = std::fs::read_to_string(fixture.public().join("cite.bib")).unwrap();
    assert!(bibtex.starts_with("@techreport{author2026,"), "{bibtex}");
    assert_eq!(
        text_of(&select(&page, "#cite pre")[0]),
        bibtex,
        "the page shows the same BibTeX"
    );
    let ris = std::fs::read_to_string(fixture.public().join("cite.ris")).unwrap();
    assert!(
        ris.contains("AU  - Author, Test\r\n")
            && ris.contains("UR  - https://example.org/tiny/\r\n")
    );
    let downloads: Vec<&str> = select(&page, "#cite a[download]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(downloads, ["cite.bib", "cite.ris"]);
}

#[test]
fn sitemap_robots_and_a_404_page() {
    let fixture = built();
    let sitemap = std::fs::read_to_string(fixture.public().join("sitemap.xml")).unwrap();
    for url in [
        "https://example.org/tiny/",
        "https://example.org/tiny/first/",
        "https://example.org/tiny/second/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} in {sitemap}"
        );
    }
    let robots = std::fs::read_to_string(fixture.public().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/tiny/sitemap.xml"));
    let missing = fixture.page("404.html");
    assert_eq!(text_of(&select(&missing, "h1")[0]), "Page not found");
    let home = select(&missing, ".site-title a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(
        home, "https://example.org/tiny/",
        "links work from any depth"
    );
}

#[test]
fn formatted_citations_are_reused_until_what_they_depend_on_changes() {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let cold = common::snapshot(&fixture.public());
    let cache = fixture.path().join(".brief-cache/citations.json");
    let cached = std::fs::read_to_string(&cache).expect("the build keeps its formatted citations");

    // A warm build writes exactly what the cold one wrote.
    fixture.build().assert_success();
    assert_eq!(common::snapshot(&fixture.public()), cold);

    // Mark the cached reference list: a prose edit must reuse it…
    std::fs::write(
        &cache,
        cached.replace("Survey of Things 2024", "Survey of Cached Things"),
    )
    .unwrap();
    let second = fixture.path().join("content/02-second.md");
    let prose = std::fs::read_to_string(&second).unwrap() + "\nOne more sentence of prose.\n";
    std::fs::write(&second, prose).unwrap();
    fixture.build().assert_success();
    let home = fixture.page("index.html");
    let references = text_of(&select(&home, "#references")[0]);
    assert!(
        references.contains("Survey of Cached Things"),
        "{references}"
    );

    // …and an edit to a reference must not.
    let refs = fixture.path().join("data/references.yaml");
    let text = std::fs::read_to_string(&refs).unwrap();
    std::fs::write(
        &refs,
        text.replace("Survey of Things 2024", "Survey of Things, revised"),
    )
    .unwrap();
    fixture.build().assert_success();
    let home = fixture.page("index.html");
    let references = text_of(&select(&home, "#references")[0]);
    assert!(
        references.contains("Survey of Things, revised"),
        "{references}"
    );
    assert!(!references.contains("Cached"), "{references}");

    // So does a new citation.
    let prose = std::fs::read_to_string(&second).unwrap() + "\nAnd [@listedonly2024] at last.\n";
    std::fs::write(&second, prose).unwrap();
    fixture.build().assert_success();
    let page = fixture.page("second/index.html");
    assert!(text_of(&select(&page, "main")[0]).contains("(Bystander, 2024)"));
}

#[test]
fn no_cache_formats_afresh_and_leaves_no_cache_behind() {
    let fixture = Fixture::copy("tiny");
    let run = common::run_brief(&["build", ".", "--no-cache"], fixture.path());
    run.assert_success();
    assert!(!fixture.path().join(".brief-cache").exists());
    let cold = common::snapshot(&fixture.public());
    fixture.build().assert_success();
    fixture.build().assert_success();
    assert_eq!(
        common::snapshot(&fixture.public()),
        cold,
        "cached and uncached builds are byte-identical"
    );
}

#[test]
fn unchanged_pages_are_carried_over_and_changed_or_tampered_ones_rewritten() {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let first_page = fixture.public().join("first/index.html");
    let second_page = fixture.public().join("second/index.html");
    let second_before = std::fs::read(&second_page).unwrap();

    // Edit the first section only.
    let first = fixture.path().join("content/01-first.md");
    let text = std::fs::read_to_string(&first).unwrap() + "\nA freshly added closing line.\n";
    std::fs::write(&first, text).unwrap();
    // And spoil the second page by hand: the next build must not carry the damage over.
    std::fs::write(&second_page, "damaged").unwrap();
    fixture.build().assert_success();
    let first_html = std::fs::read_to_string(&first_page).unwrap();
    assert!(first_html.contains("A freshly added closing line."));
    assert_eq!(std::fs::read(&second_page).unwrap(), second_before);

    // The whole site equals a fresh build of the same sources.
    let carried = common::snapshot(&fixture.public());
    let fresh = tempfile::tempdir().unwrap();
    let run = common::run_brief(
        &[
            "build",
            ".",
            "--no-cache",
            "--out",
            fresh.path().join("site").to_str().unwrap(),
        ],
        fixture.path(),
    );
    run.assert_success();
    assert_eq!(carried, common::snapshot(&fresh.path().join("site")));
}

#[test]
fn a_long_briefs_section_pages_list_the_sections_around_them() {
    let fixture = Fixture::copy("tiny");
    for n in 10..90 {
        fixture.write(
            &format!("content/{n}-part-{n}.md"),
            &format!("---\ntitle: Part {n}\norder: {n}\n---\n\nText {n}.\n"),
        );
    }
    fixture.build().assert_success();
    let page = fixture.page("part-50/index.html");
    let entries: Vec<String> = select(&page, "nav.toc > details > ol > li")
        .iter()
        .map(text_of)
        .collect();
    assert!(entries.len() < 30, "{} entries", entries.len());
    assert!(entries.iter().any(|e| e.starts_with("Part 50")));
    assert!(entries.iter().any(|e| e.contains("earlier sections")));
    assert!(entries.iter().any(|e| e.contains("later sections")));
    let more = &select(&page, "li.toc-more a")[0];
    assert_eq!(more.value().attr("href"), Some("../#contents"));
    let home = fixture.page("index.html");
    assert_eq!(select(&home, "nav#contents").len(), 1);
    assert!(
        select(&home, "nav.toc > details > ol > li").len() > 80,
        "the home page lists them all"
    );
}
