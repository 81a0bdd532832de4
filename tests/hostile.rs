//! Bad input gets a clear error at its place and loses nothing; good input in unusual shapes
//! builds. Each case is a folder under `tests/fixtures/bad/` or `tests/fixtures/good/` holding
//! the files it changes in the tiny brief and an `expect.txt`: one line per piece the message
//! (bad) or the home page (good) must contain. Cases a folder cannot hold (symbolic links, an
//! output path that cannot be written) are written out below.

mod common;

use std::fs;

use common::{run_brief, snapshot, Fixture};

fn cases(kind: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(common::fixtures().join(kind))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn expected(kind: &str, case: &str) -> Vec<String> {
    let path = common::fixtures().join(kind).join(case).join("expect.txt");
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// Builds the tiny brief, applies `change`, builds again; returns what went wrong, if anything:
/// the second build must fail with exit 1, every piece in its message, and `public/` as it was.
fn failure_of(case: &str, change: impl FnOnce(&Fixture), pieces: &[String]) -> Option<String> {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let before = snapshot(&fixture.public());
    change(&fixture);
    let run = fixture.build();
    let mut problems = Vec::new();
    if run.status != 1 {
        problems.push(format!("exit code {} instead of 1", run.status));
    }
    for piece in pieces {
        if !run.stderr.contains(piece.as_str()) {
            problems.push(format!("message lacks {piece:?}"));
        }
    }
    if snapshot(&fixture.public()) != before {
        problems.push("public/ changed".to_string());
    }
    (!problems.is_empty()).then(|| format!("{case}: {}\n{}", problems.join("; "), run.stderr))
}

#[test]
fn every_bad_input_in_the_catalogue_is_an_error_at_its_place_and_loses_nothing() {
    let cases = cases("bad");
    assert!(cases.len() >= 14, "the catalogue lost cases: {cases:?}");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            failure_of(
                case,
                |fixture| {
                    fixture.overlay(&format!("bad/{case}"));
                },
                &expected("bad", case),
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn good_input_in_unusual_shapes_builds_and_keeps_its_content() {
    let mut failures = Vec::new();
    for case in cases("good") {
        let fixture = Fixture::copy("tiny");
        fixture.overlay(&format!("good/{case}"));
        let run = fixture.build();
        if run.status != 0 {
            failures.push(format!("{case}: exit {}\n{}", run.status, run.stderr));
            continue;
        }
        let home = fs::read_to_string(fixture.public().join("index.html")).unwrap();
        let text = scraper::Html::parse_document(&home)
            .root_element()
            .text()
            .collect::<String>();
        for piece in expected("good", &case) {
            if !text.contains(&piece) {
                failures.push(format!("{case}: the home page lacks {piece:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(unix)]
#[test]
fn broken_and_looping_symbolic_links_are_errors_that_name_the_link() {
    use std::os::unix::fs::symlink;
    let failures: Vec<String> = [
        failure_of(
            "broken symlink",
            |f| {
                symlink(
                    "/nonexistent/section.md",
                    f.path().join("content/03-link.md"),
                )
                .unwrap()
            },
            &[
                "content/03-link.md".to_string(),
                "it is a symbolic link to /nonexistent/section.md".to_string(),
            ],
        ),
        failure_of(
            "symlink loop",
            |f| symlink("03-loop.md", f.path().join("content/03-loop.md")).unwrap(),
            &[
                "content/03-loop.md".to_string(),
                "symbolic link".to_string(),
            ],
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[cfg(unix)]
#[test]
fn a_folder_that_links_back_to_its_parent_is_not_followed() {
    let fixture = Fixture::copy("tiny");
    std::os::unix::fs::symlink("..", fixture.path().join("content/loop")).unwrap();
    fixture.build().assert_success();
}

#[test]
fn a_huge_line_builds() {
    let fixture = Fixture::copy("tiny");
    let line = "word ".repeat(400_000);
    fixture.write(
        "content/02-second.md",
        &format!("---\ntitle: Huge\norder: 2\n---\n\n{line}[@wire2025a] and the end.\n"),
    );
    fixture.build().assert_success();
    let home = fs::read_to_string(fixture.public().join("index.html")).unwrap();
    assert!(home.contains("and the end."));
}

#[test]
fn an_output_folder_that_cannot_be_written_is_an_error_and_the_site_stays() {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let before = snapshot(&fixture.public());
    fs::write(fixture.path().join("afile"), "a file, not a folder").unwrap();
    let run = run_brief(&["build", ".", "--out", "afile/public"], fixture.path());
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("afile"), "{}", run.stderr);
    assert!(run.stderr.contains("cannot be created"), "{}", run.stderr);
    assert_eq!(snapshot(&fixture.public()), before);
}

#[test]
fn output_inside_the_sources_or_at_the_root_is_refused_and_nothing_is_written() {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let before = snapshot(fixture.path());
    for out in [".", "content/site", "data/site", "templates", ".."] {
        let run = run_brief(&["build", ".", "--out", out], fixture.path());
        assert_eq!(run.status, 1, "--out {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write the site"),
            "--out {out}: {}",
            run.stderr
        );
    }
    assert_eq!(
        snapshot(fixture.path()),
        before,
        "nothing was written or removed"
    );
}
