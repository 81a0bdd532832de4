//! Citations: Pandoc's syntax, the reference formats reference managers export (messy BibTeX,
//! CSL-JSON, YAML), hostile data kept inert, and the warnings a reviewer needs.

mod common;

use common::{run_brief, select, text_of, Fixture};
use scraper::Html;

fn built() -> (Fixture, common::Run) {
    let fixture = Fixture::copy("citations");
    let run = fixture.build();
    run.assert_success();
    (fixture, run)
}

fn citations(page: &Html) -> Vec<String> {
    select(page, ".citation").iter().map(text_of).collect()
}

fn entry(page: &Html, key: &str) -> String {
    text_of(&select(page, &format!("[id='ref-{key}']"))[0])
}

#[test]
fn pandoc_syntax_locators_affixes_narrative_and_suppressed_author() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    let all = citations(&page);
    assert_eq!(
        all[0],
        "(see Doe & Martin, 2020, pp. 33–35; also Zed, 2021, Chapter 1)"
    );
    assert_eq!(
        all[2], "Doe & Martin (2020, p. 4)",
        "narrative with a locator in brackets"
    );
    assert_eq!(all[3], "(2021)", "[-@key] prints the year alone");
    assert_eq!(
        all[4], "Petrie (1899)",
        "@petrie1899---and cites petrie1899"
    );
    let html = page.html();
    assert!(
        html.contains("Petrie (1899)</a></span>—and still used"),
        "the em dash stays text"
    );
}

#[test]
fn emails_and_escaped_at_signs_are_not_citations() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    let paragraph = select(&page, "p")
        .into_iter()
        .map(|p| text_of(&p))
        .find(|t| t.starts_with("Write to"))
        .unwrap();
    assert_eq!(paragraph, "Write to editor@example.org about @notakey.");
}

#[test]
fn citations_in_lists_tables_and_footnotes_resolve() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    assert_eq!(text_of(&select(&page, "li .citation")[0]), "(Müller, 2018)");
    assert_eq!(text_of(&select(&page, "td .citation")[0]), "(Coder, 2022)");
    assert_eq!(
        text_of(&select(&page, ".endnotes li .citation")[0]),
        "(Big Agency, 2023)"
    );
}

#[test]
fn messy_bibtex_is_read_as_bibtex_and_pandoc_read_it() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    let doe = entry(&page, "doe:2020.a-b_c");
    assert!(
        doe.starts_with(
            "Doe, J., & Martin, É. (2020). The NASA view of 50. Journal of Things, 3, 33–50."
        ),
        "{doe}"
    );
    assert!(
        // No `langid`: Pandoc takes the title for English and sentence-cases it.
        entry(&page, "muller2018").starts_with("Müller, H. (2018). Über dinge."),
        "LaTeX accents"
    );
    let petrie = select(&page, "#ref-petrie1899 .reference-text a");
    assert_eq!(
        petrie[0].value().attr("href"),
        Some("https://example.org/petrie"),
        "\\url in howpublished"
    );
    assert!(
        entry(&page, "agency2023").starts_with("Big Agency. (2023). Facts page."),
        "organization as author"
    );
    assert!(
        entry(&page, "science2020").contains("Science"),
        "undefined macro read as its name"
    );
    assert!(
        entry(&page, "freeyear").starts_with("Poe, E. (2021)."),
        "free-text year"
    );
    let archive = select(&page, "#ref-agency2023 .reference-links a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(
        archive, "https://web.archive.org/web/2024/https://example.org/facts",
        "archived at the access year"
    );
}

#[test]
fn csl_json_entries_format_like_the_others_with_doi_links() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    assert!(entry(&page, "zotero2021")
        .starts_with("Zed, Z. (2021). From Zotero. Journal of Exports, 7(2), 1–9."));
    let links: Vec<&str> = select(&page, "#ref-zotero2021 .reference-text a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["https://doi.org/10.5555/zotero.2021"]);
}

#[test]
fn csl_yaml_as_pandoc_writes_it_is_read_too() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    assert!(
        entry(&page, "pandoc2022").starts_with("Pan, D. (2022). A Book in CSL-YAML. Press."),
        "{}",
        entry(&page, "pandoc2022")
    );
}

#[test]
fn hostile_reference_data_is_escaped_and_never_a_link() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    let hostile = entry(&page, "hostile2019");
    assert!(
        hostile.contains("Tags <b>bold</b> & AT&T <script>alert(1)</script>"),
        "shown as text: {hostile}"
    );
    assert!(hostile.starts_with("O\u{2019}Hara & <Sons>."), "{hostile}");
    assert!(
        select(&page, "#ref-hostile2019 b, #ref-hostile2019 script").is_empty(),
        "no markup from data"
    );
    for link in select(&page, "a[href]") {
        let href = link.value().attr("href").unwrap().to_ascii_lowercase();
        assert!(
            !href.starts_with("javascript:") && !href.starts_with("data:"),
            "{href}"
        );
    }
    assert!(
        hostile.contains("No link to this source was given."),
        "javascript: is not a link"
    );
}

#[test]
fn warnings_name_the_place_and_are_counted() {
    let (_, run) = built();
    assert!(run.stdout.contains("6 warnings"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "warning: data/refs.bib:65:11: skipped BibTeX entry `broken`: this value is never closed"
        ),
        "{}",
        run.stderr
    );
    // As LaTeX (and Pandoc) read it, `%` starts a comment; the author is told what was lost.
    assert!(
        run.stderr
            .contains("`%` starts a LaTeX comment, so “of things” was left out"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("undefined abbreviation `Science`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: data/refs.yaml:1:1: source `hostile2019` has no link"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("source `listedonly` is listed but never cited"),
        "{}",
        run.stderr
    );
}

#[test]
fn strict_turns_warnings_into_errors_and_keeps_the_old_site() {
    let fixture = Fixture::copy("citations");
    fixture.build().assert_success();
    let before = common::snapshot(&fixture.public());
    let run = common::run_brief(&["build", ".", "--strict"], fixture.path());
    run.assert_error(&[
        "error: source `hostile2019` has no link",
        "build failed with 6 errors",
    ]);
    assert_eq!(common::snapshot(&fixture.public()), before);
}

#[test]
fn citing_a_skipped_entry_says_why_it_is_missing() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("content/01-syntax.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("[@freeyear]", "[@freeyear; @broken]")).unwrap();
    fixture.build().assert_error(&[
        "unknown citation key `broken`",
        "the entry could not be read",
        "data/refs.bib:65:11",
    ]);
}

#[test]
fn duplicate_keys_across_files_name_both_places() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("data/refs.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("muller2018:\n  type: book\n  title: Again\n  author: Someone\n  date: 2018\n");
    std::fs::write(&path, text).unwrap();
    fixture.build().assert_error(&[
        "the key `muller2018` is defined twice",
        "data/refs.yaml:7:1",
        "the first is at data/refs.bib:17:7",
    ]);
}

#[test]
fn link_citations_false_leaves_citations_as_text() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("content/_index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("csl: apa\n", "csl: apa\nlink-citations: false\n"),
    )
    .unwrap();
    fixture.build().assert_success();
    let page = fixture.page("index.html");
    assert!(!citations(&page).is_empty());
    assert!(select(&page, ".citation a").is_empty());
}

#[test]
fn other_built_in_styles_format_the_same_sources() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("content/_index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("csl: apa\n", "csl: ieee\n")).unwrap();
    // Doubled braces, as reference managers export them, protect a number too.
    let bib = fixture.path().join("data/refs.bib");
    let text = std::fs::read_to_string(&bib).unwrap();
    std::fs::write(&bib, text.replace("volume = {3}", "volume = {{3}}")).unwrap();
    fixture.build().assert_success();
    let page = fixture.page("index.html");
    let first = &citations(&page)[0];
    assert!(
        first.contains("[1, pp. 33–35]"),
        "IEEE numbers its citations: {first}"
    );
    let doe = entry(&page, "doe:2020.a-b_c");
    assert!(doe.contains(", vol. 3, pp. 33–50,"), "{doe}");
    let audit = std::fs::read_to_string(fixture.public().join("audit/index.html")).unwrap();
    assert!(!audit.contains("nocase"), "no markup printed as text");
}

#[test]
fn previews_come_from_a_small_progressive_script() {
    let (fixture, _) = built();
    let page = fixture.page("index.html");
    let script = select(&page, "script[src]")[0]
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    assert_eq!(script, "brief.js");
    let js = std::fs::read_to_string(fixture.public().join("brief.js")).unwrap();
    assert!(js.len() < 4000, "small: {} bytes", js.len());
    assert!(
        js.contains("focusin") && js.contains("mouseover"),
        "hover and keyboard focus"
    );
    assert!(
        select(&page, ".citation a[href^='#ref-']").len() >= 10,
        "without the script, plain links"
    );
}

#[test]
fn a_suffix_keeps_the_comma_it_was_written_with() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("content/01-syntax.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "[@muller2018]",
        "[@muller2018, for a summary; @software2022, p. 3, and elsewhere]",
    );
    std::fs::write(&path, edited).unwrap();
    fixture.build().assert_success();
    let page = fixture.page("index.html");
    assert_eq!(
        text_of(&select(&page, "li .citation")[0]),
        "(Müller, 2018, for a summary; Coder, 2022, p. 3, and elsewhere)"
    );
}

#[test]
fn the_briefs_language_chooses_the_citation_locale() {
    let fixture = Fixture::copy("citations");
    let path = fixture.path().join("content/_index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("csl: apa\n", "csl: apa\nlang: de-DE\n")).unwrap();
    fixture.build().assert_success();
    let page = fixture.page("index.html");
    let first = &citations(&page)[0];
    assert!(first.contains("S. 33–35"), "German page label: {first}");
}

/// A style's `subsequent-author-substitute-rule`, through `brief build` on a paper of its own:
/// which names of an entry give way to the dash when they repeat the entry before's. A title
/// printed in place of names (and not again) counts as one name.
#[test]
fn subsequent_author_substitute_follows_each_rule() {
    let references = r#"[
      {"id": "a", "type": "book", "title": "First", "issued": {"date-parts": [[2001]]},
       "author": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rich"}]},
      {"id": "b", "type": "book", "title": "Second", "issued": {"date-parts": [[2002]]},
       "author": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rich"}]},
      {"id": "c", "type": "book", "title": "Third", "issued": {"date-parts": [[2003]]},
       "author": [{"family": "Doe", "given": "Jane"}, {"family": "Poe", "given": "Pat"}]},
      {"id": "d", "type": "book", "title": "Fourth", "issued": {"date-parts": [[2004]]}},
      {"id": "e", "type": "book", "title": "Fourth", "issued": {"date-parts": [[2005]]}}
    ]"#;
    let entries = |rule: &str| {
        let work = tempfile::tempdir().unwrap();
        let style = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>test</id><title>test</title><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography subsequent-author-substitute="---" subsequent-author-substitute-rule="{rule}">
    <sort><key variable="issued"/></sort>
    <layout suffix=".">
      <group delimiter=". ">
        <names variable="author">
          <name and="text" initialize-with=". "/>
          <substitute><text variable="title"/></substitute>
        </names>
        <text variable="title"/>
      </group>
    </layout>
  </bibliography>
</style>"#
        );
        std::fs::write(work.path().join("style.csl"), style).unwrap();
        std::fs::write(work.path().join("refs.json"), references).unwrap();
        std::fs::write(
            work.path().join("paper.md"),
            "---\ntitle: Rules\nbibliography: refs.json\ncsl: style.csl\nnocite: \"@*\"\n---\n\nText.\n",
        )
        .unwrap();
        let out = work.path().join("out");
        run_brief(
            &["build", "paper.md", "--out", out.to_str().unwrap()],
            work.path(),
        )
        .assert_success();
        let page = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
        select(&page, "li.reference .reference-text")
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        entries("complete-all"),
        [
            "J. Doe and R. Roe. First.",
            "---. Second.",
            "J. Doe and P. Poe. Third.",
            "Fourth.",
            "---.",
        ]
    );
    assert_eq!(
        entries("complete-each"),
        [
            "J. Doe and R. Roe. First.",
            "--- and ---. Second.",
            "J. Doe and P. Poe. Third.",
            "Fourth.",
            "---.",
        ]
    );
    assert_eq!(
        entries("partial-each"),
        [
            "J. Doe and R. Roe. First.",
            "--- and ---. Second.",
            "--- and P. Poe. Third.",
            "Fourth.",
            "---.",
        ]
    );
    assert_eq!(
        entries("partial-first"),
        [
            "J. Doe and R. Roe. First.",
            "--- and R. Roe. Second.",
            "--- and P. Poe. Third.",
            "Fourth.",
            "---.",
        ]
    );
}
