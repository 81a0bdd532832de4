//! `brief check`: the reviewer's audit, for people and for CI, and the site's "Source audit" page.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{run_brief, select, text_of, Fixture};

fn check_brief(args: &[&str]) -> common::Run {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut all = vec!["check", root];
    all.extend_from_slice(args);
    run_brief(&all, Path::new(root))
}

fn json(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).expect("check --format json prints one JSON document")
}

/// The keys of the problems of one kind.
fn keys(report: &serde_json::Value, kind: &str) -> BTreeSet<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| p["key"].as_str().unwrap().to_string())
        .collect()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

#[test]
fn the_brief_reports_exactly_what_its_notes_say() {
    let run = check_brief(&["--format", "json"]);
    assert_eq!(
        run.status, 0,
        "warnings do not fail without --strict: {}",
        run.stderr
    );
    let report = json(&run);
    let unlisted = [
        "usgs2025",
        "aljazeera2025",
        "guardian2025",
        "metalminer2025",
        "investors2025",
        "alinvest2025",
        "newsecuritybeat2024",
    ];
    assert_eq!(keys(&report, "unlisted"), set(&unlisted));
    assert_eq!(keys(&report, "uncited"), set(&["axios2025", "lynas2025"]));
    assert_eq!(
        keys(&report, "no-link"),
        set(&unlisted[1..]),
        "every unlisted source but USGS 2025 lacks a link"
    );
    let ambiguous = report["ambiguous"].as_array().unwrap();
    assert_eq!(ambiguous.len(), 1);
    assert_eq!(ambiguous[0]["label"], "Reuters, 2025");
    assert_eq!(
        ambiguous[0]["members"],
        serde_json::json!([
            ["reuters2025jun12", "2025a"],
            ["reuters2025jun15", "2025b"],
            ["reuters2025jun26", "2025c"]
        ])
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({"citations": 69, "sources": 21, "links": 15, "links_checked": 0, "errors": 0, "warnings": 15, "notes": 1, "pdf_pages": 10}),
        "15 links: one per source that has one; the PDF's 10 pages"
    );
    let kinds: BTreeSet<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["ambiguous", "no-link", "uncited", "unlisted"]
            .into_iter()
            .collect(),
        "nothing spurious"
    );
}

#[test]
fn every_citation_occurrence_has_its_place_page_anchor_and_sentence() {
    let report = json(&check_brief(&["--format", "json"]));
    let citations = report["citations"].as_array().unwrap();
    assert_eq!(citations.len(), 69);
    let guardian: Vec<&serde_json::Value> = citations
        .iter()
        .filter(|c| c["key"] == "guardian2025")
        .collect();
    assert_eq!(guardian.len(), 1);
    assert_eq!(guardian[0]["file"], "content/03-economic-analysis.md");
    assert_eq!(guardian[0]["page"], "economic-analysis/");
    assert!(guardian[0]["anchor"].as_str().unwrap().starts_with("cite-"));
    assert_eq!(
        guardian[0]["sentence"],
        "China's export restrictions create direct risks for American security [@guardian2025]."
    );
    let sources = report["sources"].as_array().unwrap();
    let usgs = sources.iter().find(|s| s["key"] == "usgs2024").unwrap();
    assert_eq!(usgs["cited"], 7);
    assert_eq!(
        usgs["urls"][0],
        "https://pubs.usgs.gov/periodicals/mcs2024/mcs2024-rare-earths.pdf"
    );
}

#[test]
fn the_terminal_report_groups_problems_and_quotes_the_citing_sentences() {
    let run = check_brief(&[]);
    assert_eq!(run.status, 0);
    for heading in [
        "Sources without a link (6):",
        "Listed but never cited (2):",
        "Cited but not in the author's reference list (7):",
        "Same author and year, told apart by letters (1):",
    ] {
        assert!(run.stdout.contains(heading), "{heading}\n{}", run.stdout);
    }
    assert!(run
        .stdout
        .contains("warning: data/references.yaml:152:1: source `guardian2025` has no link"));
    assert!(run.stdout.contains(
        "cited at content/03-economic-analysis.md:27:165: “China's export restrictions create direct risks for American security [@guardian2025].”"
    ));
    assert!(run.stdout.trim_end().ends_with(
        "check: 69 citations of 21 sources; 0 errors, 15 warnings, 1 note; the PDF has 10 pages"
    ));
    assert_eq!(
        check_brief(&["--strict"]).status,
        1,
        "--strict fails on warnings"
    );
}

#[test]
fn check_writes_nothing_and_reports_build_errors_with_their_place() {
    let fixture = Fixture::copy("tiny");
    fixture.overlay("errors/unknown-key");
    let run = run_brief(&["check", ".", "--format", "json"], fixture.path());
    assert_eq!(run.status, 1);
    let report = json(&run);
    let problem = &report["problems"][0];
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["key"], "institue2025");
    assert_eq!(
        (problem["file"].as_str(), problem["line"].as_u64()),
        (Some("content/02-second.md"), Some(9))
    );
    assert!(!fixture.public().exists(), "check never writes the site");
}

#[test]
fn broken_internal_links_and_anchors_are_found_in_the_pages_the_build_would_write() {
    let fixture = Fixture::copy("tiny");
    fixture.write(
        "templates/section.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><main>\
         <a href=\"#nowhere\">a</a> <a href=\"../missing/\">b</a> <a href=\"../#references\">c</a></main></body></html>",
    );
    let report = json(&run_brief(
        &["check", ".", "--format", "json"],
        fixture.path(),
    ));
    let messages: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "broken-link" || p["kind"] == "broken-anchor")
        .map(|p| {
            format!(
                "{}: {}",
                p["file"].as_str().unwrap(),
                p["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        messages.contains(
            &"first/index.html: link `#nowhere`: first/index.html has no element with id `nowhere`"
                .to_string()
        ),
        "{messages:?}"
    );
    assert!(
        messages.contains(
            &"first/index.html: link `../missing/` leads to no file (missing/index.html)"
                .to_string()
        ),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("#references")),
        "a good anchor passes: {messages:?}"
    );
}

#[test]
fn an_unreadable_brief_is_a_configuration_error() {
    let empty = tempfile::tempdir().unwrap();
    let run = run_brief(&["check", "."], empty.path());
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("no `content/` folder"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_site_has_a_source_audit_page_linked_from_the_references() {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    run_brief(
        &["build", root, "--out", out.path().to_str().unwrap()],
        Path::new(root),
    )
    .assert_success();
    let home = scraper::Html::parse_document(
        &std::fs::read_to_string(out.path().join("index.html")).unwrap(),
    );
    assert_eq!(select(&home, "#references a[href='audit/']").len(), 1);
    let audit = scraper::Html::parse_document(
        &std::fs::read_to_string(out.path().join("audit/index.html")).unwrap(),
    );
    assert_eq!(select(&audit, "section.audit-source").len(), 21);
    let places = select(&audit, "#audit-reuters2025jun15 .audit-places li");
    assert_eq!(places.len(), 5);
    let first = places[0]
        .select(&scraper::Selector::parse("a").unwrap())
        .next()
        .unwrap();
    assert!(first
        .value()
        .attr("href")
        .unwrap()
        .starts_with("../executive-summary/#cite-"));
    let facts = text_of(&select(&audit, "#audit-guardian2025 .audit-facts")[0]);
    assert!(
        facts.contains("not in the author’s reference list")
            && facts.contains("No link to the source was given.")
    );
    let reuters = text_of(&select(&audit, "#audit-reuters2025jun12 .audit-facts")[0]);
    assert!(
        reuters.contains("Reuters, 2025 (2025a, 2025b, 2025c)"),
        "{reuters}"
    );
}

#[test]
fn offline_every_external_link_is_listed_with_where_it_comes_from_and_no_status() {
    let fixture = Fixture::copy("tiny");
    fixture.write(
        "content/02-second.md",
        "---\ntitle: Two\norder: 2\n---\n\nSee [the agency](https://example.org/agency-home) [@wire2025b].\n",
    );
    let run = run_brief(&["check", ".", "--format", "json"], fixture.path());
    let report = json(&run);
    assert_eq!(report["online"], false);
    let links = report["links"].as_array().unwrap();
    let text_link = links
        .iter()
        .find(|l| l["url"] == "https://example.org/agency-home")
        .expect("the text's link is listed");
    assert_eq!(text_link["places"][0]["file"], "content/02-second.md");
    assert_eq!(text_link["places"][0]["line"], 6);
    assert!(text_link["status"].is_null(), "never checked");
    let source_link = links
        .iter()
        .find(|l| l["url"] == "https://example.org/why")
        .unwrap();
    assert_eq!(source_link["sources"][0], "institute2025");
    assert!(
        links.iter().all(|l| !l["url"]
            .as_str()
            .unwrap()
            .starts_with("https://web.archive.org")),
        "archive.org fallbacks are ours, not the author's"
    );
    assert_eq!(report["summary"]["links"], links.len());
}

#[cfg(not(feature = "online"))]
#[test]
fn online_without_the_feature_says_how_to_get_it() {
    let fixture = Fixture::copy("tiny");
    let run = run_brief(&["check", ".", "--online"], fixture.path());
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--features online"), "{}", run.stderr);
}

#[test]
fn a_clean_check_leaves_the_brief_folder_exactly_as_it_was() {
    let fixture = Fixture::copy("tiny");
    let before = common::snapshot(fixture.path());
    let run = run_brief(&["check", "."], fixture.path());
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        common::snapshot(fixture.path()),
        before,
        "no file added or changed"
    );
}
