//! The mistakes authors make every day: each gets a message with file:line:col, the offending
//! line, a hint, exit code 1, and the last good site left exactly as it was.
//!
//! Each case is a folder under `tests/fixtures/errors/` holding the files it changes in the
//! tiny brief.

mod common;

use common::{snapshot, Fixture};

/// Builds the tiny brief, breaks it with the files of `errors/CASE`, builds again, and checks
/// the message pieces and that `public/` did not change.
fn assert_case(case: &str, expected: &[&str]) {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let before = snapshot(&fixture.public());
    fixture.overlay(&format!("errors/{case}"));
    let run = fixture.build();
    run.assert_error(expected);
    assert!(
        run.stderr
            .contains("the previous site in ./public was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&fixture.public()),
        before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(fixture.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn unknown_citation_key_suggests_the_closest_key() {
    assert_case(
        "unknown-key",
        &[
            "error: unknown citation key `institue2025`",
            "content/02-second.md:9:65",
            "[@wire2025b; @institue2025]",
            "help: did you mean `institute2025`?",
        ],
    );
}

#[test]
fn yaml_syntax_error_points_at_the_unclosed_quote_in_the_file() {
    assert_case(
        "yaml-syntax",
        &[
            "invalid section front matter: a quoted value is not closed",
            "content/01-first.md:2:8",
            "title: \"First Things",
            "help: add the closing quote",
        ],
    );
}

#[test]
fn unknown_front_matter_field_suggests_the_right_one() {
    assert_case(
        "unknown-field",
        &[
            "unknown field `titel`",
            "content/01-first.md:2:1",
            "titel: \"First Things\"",
            "did you mean `title`?",
        ],
    );
}

#[test]
fn missing_front_matter_field_is_named() {
    assert_case(
        "missing-field",
        &[
            "missing field `order`",
            "content/01-first.md:2:1",
            "add `order: …`",
        ],
    );
}

#[test]
fn missing_front_matter_is_reported() {
    assert_case(
        "missing-front-matter",
        &[
            "missing front matter",
            "content/02-second.md:2:1",
            "## Background",
        ],
    );
}

#[test]
fn missing_references_file_points_at_the_metadata() {
    assert_case(
        "missing-references",
        &[
            "cannot read the references file `data/refs.yaml`",
            "content/_index.md:7:15",
            "bibliography: data/refs.yaml",
            "relative to the brief's folder",
        ],
    );
}

#[test]
fn unknown_citation_style_suggests_a_built_in_one() {
    assert_case(
        "unknown-style",
        &[
            "unknown citation style `apa7th`",
            "content/_index.md:8:6",
            "did you mean `apa`?",
        ],
    );
}

#[test]
fn missing_figure_data_file_points_at_the_figure() {
    assert_case(
        "missing-data",
        &[
            "cannot read the figure's data file `data/nope.csv`",
            "content/01-first.md:18:1",
            "data: data/nope.csv",
        ],
    );
}

#[test]
fn non_numeric_cell_is_reported_at_its_line_and_column() {
    assert_case(
        "bad-data",
        &[
            "`12O` is not a number (column `tonnes`)",
            "data/shares.csv:5:6",
            "Beta,12O",
            "no units or thousands",
        ],
    );
}

#[test]
fn unknown_data_column_lists_the_real_ones() {
    assert_case(
        "unknown-column",
        &[
            "no column `tons` in data/shares.csv",
            "content/01-first.md:20:1",
            "did you mean `tonnes`?",
            "country, tonnes",
        ],
    );
}

#[test]
fn template_syntax_error_points_at_the_template_line() {
    assert_case(
        "template-syntax",
        &[
            "template error: expected a value that can be negated",
            "templates/section.html:4:7",
            "{% if %}",
        ],
    );
}

#[test]
fn template_variable_error_points_at_the_variable() {
    assert_case(
        "template-variable",
        &[
            "Variable `section.subtitle_that_does_not_exist` not found",
            "templates/section.html:3:8",
            "{{ section.subtitle_that_does_not_exist }}",
        ],
    );
}

#[test]
fn a_folder_without_content_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    common::run_brief(&["build", "."], empty.path())
        .assert_error(&["no `content/` folder", "help:"]);
}

#[test]
fn every_unknown_key_is_reported_in_one_run() {
    let fixture = Fixture::copy("tiny");
    fixture.write(
        "content/02-second.md",
        "---\ntitle: Two\norder: 2\n---\n\nOne [@nope1] and two [@nope2].\n",
    );
    let run = fixture.build();
    run.assert_error(&["`nope1`", "`nope2`", "build failed with 2 errors"]);
}

#[test]
fn a_bad_link_exclusion_pattern_points_at_the_pattern() {
    assert_case(
        "bad-link-pattern",
        &[
            "is not a regular expression",
            "content/_index.md:14:14",
            "unclosed group",
            "help: patterns are regular expressions",
        ],
    );
}
