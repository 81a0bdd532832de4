//! What a reader downloads stays inert: a figure's CSV keeps its numbers, but a cell that a
//! spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`) gets a leading `'`;
//! the table on the page shows the cell as written. And links that only look relative
//! (`//evil.example/`) are not made.

mod common;

use common::{select, text_of, Fixture};

#[test]
fn formula_cells_are_neutralised_in_the_downloaded_csv_only() {
    let fixture = Fixture::copy("tiny");
    fixture.write(
        "data/shares.csv",
        "# unit: \"tonnes\"\ncountry,tonnes,note\n\"=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",300,@SUM(A1)\nBeta,-120,+cmd|' /C calc'!A0\nGamma,45,-\n",
    );
    fixture.build().assert_success();
    let csv = std::fs::read_to_string(fixture.public().join("data/shares.csv")).unwrap();
    assert_eq!(
        csv,
        "# unit: \"tonnes\"\ncountry,tonnes,note\n\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",300,'@SUM(A1)\nBeta,-120,'+cmd|' /C calc'!A0\nGamma,45,'-\n"
    );
    let page = fixture.page("index.html");
    let cells: Vec<String> = select(&page, "figure table td, figure table th")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "=HYPERLINK(\"https://evil.example\",\"x\")"),
        "the page shows the cell as written: {cells:?}"
    );
    assert!(
        cells.iter().any(|c| c == "−120"),
        "numbers stay numbers: {cells:?}"
    );
}

#[test]
fn links_to_another_host_that_look_relative_are_text_with_a_warning() {
    let fixture = Fixture::copy("tiny");
    fixture.write(
        "content/03-third.md",
        "---\ntitle: Third\norder: 3\n---\n\nSee [the source](//evil.example/x) and [home](/tiny/).\n",
    );
    let run = fixture.build();
    run.assert_success();
    assert!(
        run.stderr.contains("content/03-third.md:6:5"),
        "{}",
        run.stderr
    );
    let page = fixture.page("third/index.html");
    let hrefs: Vec<&str> = select(&page, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        !hrefs.iter().any(|h| h.contains("evil.example")),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/tiny/"), "{hrefs:?}");
    assert!(text_of(&select(&page, "main")[0]).contains("See the source and home."));
}
