//! The brief this repository publishes builds faithfully and reproducibly.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{build_brief, select, snapshot, text_of};
use scraper::Html;

fn home_page(out: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap())
}

#[test]
fn two_builds_are_byte_identical() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build_brief(first.path());
    build_brief(second.path());
    let (a, b) = (snapshot(first.path()), snapshot(second.path()));
    assert!(a.len() > 8, "a whole site was written: {:?}", a.keys());
    assert_eq!(a, b);
}

#[test]
fn every_citation_links_to_an_existing_reference_entry() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let page = home_page(out.path());
    let ids: BTreeSet<&str> = select(&page, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let citations = select(&page, ".citation");
    assert_eq!(
        citations.len(),
        44,
        "42 in the text and 2 figure source lines"
    );
    let links = select(&page, ".citation a");
    assert_eq!(links.len(), 69);
    for link in links {
        let href = link.value().attr("href").unwrap();
        assert!(
            href.starts_with("#ref-") && ids.contains(&href[1..]),
            "{href} leads nowhere"
        );
    }
    // The BibTeX under "Cite this brief" rightly holds `{{`; everything else must not.
    let bibtex = select(&page, "#cite pre")[0].html();
    let html = page.html().replace(&bibtex, "");
    for raw in ["[@", "{{", "{%", "@usgs", "@csis"] {
        assert!(!html.contains(raw), "{raw} left in the page");
    }
}

#[test]
fn citations_read_like_the_authors() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let page = home_page(out.path());
    let texts: Vec<String> = select(&page, ".citation").iter().map(text_of).collect();
    for expected in [
        "(USGS, 2024; CSIS, 2025; Adamas Intelligence, 2025)",
        "(MP Materials, 2025; U.S. DOE, 2022)",
        "(USGS, 2024; CSIS, 2025)",
        "(Sources: USGS, 2024, 2025; CSIS, 2025; U.S. DOE, 2022; Adamas Intelligence, 2025)",
        "(WIPO, 2024; NewSecurityBeat, 2024)",
        "(Reuters, 2025b)",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "no citation reads {expected:?}"
        );
    }
}

#[test]
fn reference_list_shows_every_source_as_notes_md_describes() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let page = home_page(out.path());
    let entries = select(&page, "#references li.reference");
    assert_eq!(
        entries.len(),
        21,
        "17 cited sources (Reuters has three articles) plus Axios and Lynas"
    );
    let text = |key: &str| text_of(&select(&page, &format!("#ref-{key}"))[0]);
    assert!(text("reuters2025jun12").contains("Reuters. (2025a, June 12)"));
    assert!(text("reuters2025jun15").contains("Reuters. (2025b, June 15)"));
    assert!(text("reuters2025jun26").contains("Reuters. (2025c, June 26)"));
    assert!(text("usgs2024").starts_with(
        "U.S. Geological Survey (USGS). (2024). Rare Earths, Mineral Commodity Summary 2024."
    ));
    for unlisted in [
        "aljazeera2025",
        "guardian2025",
        "metalminer2025",
        "investors2025",
        "alinvest2025",
        "newsecuritybeat2024",
    ] {
        let entry = text(unlisted);
        assert!(
            entry.contains("Cited in the text but not in the author’s reference list."),
            "{unlisted}"
        );
        assert!(
            entry.contains("No link to this source was given, nor a title."),
            "{unlisted}"
        );
    }
    assert!(text("usgs2025").contains("Cited in the text but not in the author’s reference list."));
    assert!(
        !text("usgs2025").contains("No link"),
        "USGS 2025 has its URL"
    );
    for uncited in ["axios2025", "lynas2025"] {
        assert!(
            text(uncited).contains("Listed by the author but not cited in the text."),
            "{uncited}"
        );
    }
    for listed in ["csis2025", "reuters2025jun15", "wipo2024"] {
        let entry = text(listed);
        assert!(
            !entry.contains("not in the author") && !entry.contains("No link"),
            "{listed} needs no mark"
        );
    }
    let archive = select(
        &page,
        "#ref-reuters2025jun15 a[href^=\"https://web.archive.org/\"]",
    );
    assert_eq!(
        archive[0].value().attr("href"),
        Some("https://web.archive.org/web/2025/https://www.reuters.com/world/china/us-china-trade-truce-leaves-military-use-rare-earth-issue-unresolved-sources-say-2025-06-15/")
    );
    assert_eq!(
        select(&page, "#ref-reuters2025jun15 .backlinks a").len(),
        5,
        "cited five times"
    );
    let link = select(&page, "#ref-csis2025 a[href^=https]");
    assert_eq!(
        link[0].value().attr("href"),
        Some(
            "https://www.csis.org/analysis/consequences-chinas-new-rare-earths-export-restrictions"
        )
    );
}

#[test]
fn both_figures_are_svg_drawn_from_the_data_files() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let page = home_page(out.path());
    let production = &select(&page, "#fig-mine-production")[0];
    assert!(text_of(production).starts_with("Figure 1"));
    assert_eq!(select(&page, "#fig-mine-production svg[role=img]").len(), 1);
    let rows: Vec<String> = select(&page, "#fig-mine-production details tbody tr")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0], "China270,000");
    let svg = select(&page, "#fig-mine-production svg")[0].html();
    assert!(
        svg.contains("270,000") && svg.contains("Burma (Myanmar)"),
        "bars are labelled from the CSV"
    );
    let processing = &select(&page, "#fig-processing-capacity")[0];
    assert!(text_of(processing).starts_with("Figure 2"));
    let svg = select(&page, "#fig-processing-capacity svg")[0].html();
    assert!(
        svg.contains("China 90%") && svg.contains("Rest of world 10%"),
        "donut labelled from the CSV"
    );
    assert!(out.path().join("data/mine-production-2024.csv").is_file());
    let references: Vec<(String, &str)> = select(&page, "a.figure-ref")
        .iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(
        references,
        [
            ("Figure 1".to_string(), "#fig-mine-production"),
            ("Figure 2".to_string(), "#fig-processing-capacity")
        ],
        "the text's \"Figure 1\" and \"Figure 2\" link to the figures"
    );
}

#[test]
fn each_part_has_its_own_page() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    for slug in [
        "executive-summary",
        "state-of-play",
        "negotiations",
        "economic-analysis",
        "policy-recommendations",
        "conclusion",
    ] {
        let page = Html::parse_document(
            &std::fs::read_to_string(out.path().join(slug).join("index.html")).unwrap(),
        );
        assert_eq!(select(&page, "main h1").len(), 1, "{slug}");
        for link in select(&page, ".citation a") {
            let href = link.value().attr("href").unwrap();
            assert_eq!(
                select(&page, href).len(),
                1,
                "{slug}: {href} is not on the page"
            );
        }
    }
}

#[test]
fn the_title_block_does_not_repeat_the_executive_summarys_opening() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let page = home_page(out.path());
    // The description opens the executive summary word for word: it stays in the page's
    // metadata, and the reader meets it once, in the text.
    assert!(select(&page, ".title-block .summary").is_empty());
    let description = select(&page, "meta[name='description']")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    let opening = text_of(&select(&page, "#executive-summary p")[0]);
    assert!(opening.starts_with(description.split(". ").next().unwrap()));
}

#[test]
fn the_audit_page_opens_with_a_table_and_quotes_sentences_as_rendered() {
    let out = tempfile::tempdir().unwrap();
    build_brief(out.path());
    let audit = Html::parse_document(
        &std::fs::read_to_string(out.path().join("audit/index.html")).unwrap(),
    );
    let sources = select(&audit, "section.audit-source").len();
    let rows = select(&audit, "table.audit-table tbody tr");
    assert_eq!(rows.len(), sources, "one row per source");
    assert!(sources > 10);
    // The page is not squeezed into the contents column: it has no contents column.
    assert_eq!(select(&audit, ".layout.no-nav main").len(), 1);
    let quotes = select(&audit, ".audit-places q");
    assert!(!quotes.is_empty());
    for quote in &quotes {
        let text = text_of(quote);
        assert!(
            !text.contains("[@") && !text.contains("**"),
            "raw Markdown: {text}"
        );
    }
    let marked: Vec<String> = select(&audit, ".audit-places q mark")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        marked.iter().any(|m| m == "(Adamas Intelligence, 2025)"),
        "{marked:?}"
    );
    assert!(select(&audit, ".audit-places q strong")
        .iter()
        .any(|s| text_of(s) == "Magnet Manufacturing:"));
}
