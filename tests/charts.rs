//! Every chart kind renders from its data as accessible SVG, figures are numbered across the brief,
//! and `@fig-ID` becomes a link "Figure N" on whichever page the figure is.

mod common;

use common::{select, snapshot, text_of, Fixture};
use scraper::Html;

fn built() -> Fixture {
    let fixture = Fixture::copy("charts");
    fixture.build().assert_success();
    fixture
}

/// The SVG of figure `id` on the home page.
fn svg_of(page: &Html, id: &str) -> String {
    select(page, &format!("#fig-{id} svg"))[0].html()
}

/// How many shapes of the Okabe–Ito colour `hex` the SVG has (bars, swatches, slices).
fn count_fill(svg: &str, hex: &str) -> usize {
    svg.matches(&format!("fill=\"{hex}\"")).count() + svg.matches(&format!("fill={hex}")).count()
}

const BLUE: &str = "#0072B2";
const ORANGE: &str = "#E69F00";

#[test]
fn each_kind_draws_one_shape_per_value() {
    let fixture = built();
    let page = fixture.page("index.html");
    // (figure, blue shapes, orange shapes): a legend swatch counts once per series.
    let expected = [
        ("vertical", 4, 0),
        ("horizontal", 4, 0),
        ("grouped", 5, 5),
        ("grouped-horizontal", 5, 5),
        ("stacked", 6, 6),
        ("stacked-horizontal", 5, 5),
        ("negative", 3, 0),
        ("range", 3, 0),
    ];
    for (id, blue, orange) in expected {
        let svg = svg_of(&page, id);
        assert_eq!(count_fill(&svg, BLUE), blue, "{id}: blue shapes");
        assert_eq!(count_fill(&svg, ORANGE), orange, "{id}: orange shapes");
    }
    let line = svg_of(&page, "line");
    let strokes = |hex: &str| {
        line.matches(&format!("stroke={hex}")).count()
            + line.matches(&format!("stroke=\"{hex}\"")).count()
    };
    assert_eq!(
        (strokes(BLUE), strokes(ORANGE)),
        (1, 1),
        "one line per series"
    );
    assert_eq!(line.matches("<circle").count(), 10, "a point per value");
    for id in ["pie", "donut"] {
        let svg = svg_of(&page, id);
        assert!(
            svg.contains("China 90%") && svg.contains("Rest of world 10%"),
            "{id}: slices labelled"
        );
    }
}

#[test]
fn values_are_labelled_and_sorted_as_asked() {
    let fixture = built();
    let page = fixture.page("index.html");
    let texts = |id: &str| -> Vec<String> {
        select(&page, &format!("#fig-{id} svg text"))
            .iter()
            .map(text_of)
            .collect()
    };
    // Rows from the top of the chart down: by each label's y coordinate.
    let mut rows: Vec<(i64, String)> = select(&page, "#fig-horizontal svg text")
        .iter()
        .filter(|t| ["Asia", "Americas", "Oceania", "Africa"].contains(&text_of(t).as_str()))
        .map(|t| (t.value().attr("y").unwrap().parse().unwrap(), text_of(t)))
        .collect();
    rows.sort();
    let order: Vec<&str> = rows.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        order,
        ["Oceania", "Africa", "Americas", "Asia"],
        "sort: ascending, ties in the data's order"
    );
    assert!(
        texts("vertical").contains(&"270".to_string()),
        "value labels on bars"
    );
    assert!(
        texts("negative").contains(&"−12.5".to_string()),
        "negative values with a real minus"
    );
    assert!(
        texts("range").contains(&"80–95".to_string()),
        "ranges labelled low–high"
    );
    assert!(
        texts("grouped").contains(&"2023".to_string()),
        "legend names the series"
    );
}

#[test]
fn every_chart_is_accessible_and_scales_with_the_page() {
    let fixture = built();
    let page = fixture.page("index.html");
    let figures = select(&page, "figure.chart-figure");
    assert_eq!(figures.len(), 11);
    for (n, figure) in figures.iter().enumerate() {
        let label = format!("Figure {}", n + 1);
        assert!(
            text_of(figure).starts_with(&label),
            "numbered in reading order: {label}"
        );
        let svg = figure
            .select(&scraper::Selector::parse("svg").unwrap())
            .next()
            .unwrap();
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(svg.value().attr("width").is_none(), "no fixed width");
        assert!(svg.value().attr("viewbox").is_some() || svg.value().attr("viewBox").is_some());
        let html = svg.html();
        assert!(
            html.contains("<title") && html.contains("<desc"),
            "title and desc for screen readers"
        );
        assert!(
            html.contains("currentColor"),
            "text follows the page's colour (dark mode)"
        );
        assert!(!html.contains("#010203"), "no placeholder colour left");
    }
    let rows = select(&page, "#fig-grouped details tbody tr");
    assert_eq!(rows.len(), 4);
    assert_eq!(text_of(&rows[0]), "Asia240270");
}

#[test]
fn figure_references_link_to_the_figure_on_its_page() {
    let fixture = built();
    let home = fixture.page("index.html");
    let links: Vec<(String, String)> = select(&home, "a.figure-ref")
        .iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links[0],
        ("Figure 1".to_string(), "#fig-vertical".to_string())
    );
    assert_eq!(
        links[1],
        ("Figure 3".to_string(), "#fig-grouped".to_string())
    );
    let other = fixture.page("other/index.html");
    let hrefs: Vec<&str> = select(&other, "a.figure-ref")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["#fig-line", "../bars/#fig-vertical"]);
}

#[test]
fn chart_svg_is_byte_identical_across_builds() {
    let fixture = built();
    let first = snapshot(&fixture.public());
    fixture.build().assert_success();
    assert_eq!(snapshot(&fixture.public()), first);
}

#[test]
fn data_is_downloadable_next_to_each_figure() {
    let fixture = built();
    let page = fixture.page("other/index.html");
    let href = select(&page, "#fig-range a[download]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(href, "../data/estimates.csv");
    let csv = std::fs::read_to_string(fixture.public().join("data/estimates.csv")).unwrap();
    assert!(
        csv.contains("\"Separation, refining\",80,95"),
        "the file as the author wrote it"
    );
}

/// Replaces `from` with `to` in a file of the charts brief, builds, and checks the message.
fn assert_broken(file: &str, from: &str, to: &str, expected: &[&str]) {
    let fixture = Fixture::copy("charts");
    let path = fixture.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    fixture.build().assert_error(expected);
}

#[test]
fn unknown_kind_lists_the_kinds() {
    assert_broken(
        "content/01-bars.md",
        "kind: bar\n",
        "kind: histogram\n",
        &[
            "unknown variant `histogram`",
            "content/01-bars.md:",
            "`range-bar`",
        ],
    );
}

#[test]
fn range_bar_needs_two_columns() {
    assert_broken(
        "content/02-other.md",
        "value: [low, high]",
        "value: low",
        &[
            "takes two columns, `[low, high]` in `value`",
            "content/02-other.md:43:1",
            "1 given",
        ],
    );
}

#[test]
fn unknown_figure_reference_suggests_the_closest() {
    assert_broken(
        "content/02-other.md",
        "See @fig-line,",
        "See @fig-lines,",
        &[
            "no figure has the id `lines`",
            "content/02-other.md:6:5",
            "did you mean `@fig-line`?",
        ],
    );
}

#[test]
fn duplicate_figure_id_names_both_places() {
    assert_broken(
        "content/02-other.md",
        "id: pie\n",
        "id: line\n",
        &[
            "two figures have the id `line`",
            "content/02-other.md:19:1",
            "the first is at content/02-other.md:9",
        ],
    );
}

#[test]
fn ragged_row_and_empty_data_are_reported() {
    assert_broken(
        "data/shares.csv",
        "China,90\n",
        "China,90,extra\n",
        &[
            "this row has 3 cells but the header has 2 columns",
            "data/shares.csv:2:1",
        ],
    );
    assert_broken(
        "data/shares.csv",
        "China,90\nRest of world,10\n",
        "",
        &[
            "the data file has a header but no rows",
            "data/shares.csv:1:1",
        ],
    );
}
