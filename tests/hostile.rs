//! Bad input gets a clear error at its place and loses nothing; good input in unusual shapes
//! builds. Each case is a folder under `tests/fixtures/bad/` or `tests/fixtures/good/` holding
//! the files it changes in the tiny brief and an `expect.txt`: one line per piece the message
//! (bad) or the home page (good) must contain. Cases a folder cannot hold (symbolic links, an
//! output path that cannot be written) are written out below.

mod common;

use std::fs;

use common::{run_brief, snapshot, Fixture, Sandbox};

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

/// Builds the tiny brief beside a sentinel folder, applies `change`, builds again; returns what
/// went wrong, if anything: the second build must fail with exit 1, every piece in its message,
/// `public/` as it was, and nothing else in or beside the brief changed.
fn failure_of(case: &str, change: impl FnOnce(&Sandbox), pieces: &[String]) -> Option<String> {
    let fixture = Sandbox::new();
    fixture.run(&["build", "."]).assert_success();
    let before = snapshot(&fixture.brief().join("public"));
    change(&fixture);
    let outside = fixture.snapshot_outside();
    let run = fixture.run(&["build", "."]);
    let mut problems = Vec::new();
    if run.status != 1 {
        problems.push(format!("exit code {} instead of 1", run.status));
    }
    for piece in pieces {
        if !run.stderr.contains(piece.as_str()) {
            problems.push(format!("message lacks {piece:?}"));
        }
    }
    if snapshot(&fixture.brief().join("public")) != before {
        problems.push("public/ changed".to_string());
    }
    if fixture.snapshot_outside() != outside {
        problems.push("something outside public/ changed".to_string());
    }
    // Nothing from the files reaches the terminal raw.
    if run
        .stderr
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        problems.push("a raw control character in the message".to_string());
    }
    // Every error tells the author what to do about it.
    let errors = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: ") && !line.starts_with("error: build failed"))
        .count();
    let helps = run.stderr.matches("= help: ").count();
    if helps < errors {
        problems.push(format!("{errors} errors but {helps} help lines"));
    }
    (!problems.is_empty()).then(|| format!("{case}: {}\n{}", problems.join("; "), run.stderr))
}

#[test]
fn every_bad_input_in_the_catalogue_is_an_error_at_its_place_and_loses_nothing() {
    let cases = cases("bad");
    assert!(cases.len() >= 40, "the catalogue lost cases: {cases:?}");
    // Three cases at a time: each runs the binary twice, and most of that is waiting.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let overlay = |fixture: &Sandbox| {
                    fixture.overlay(&format!("bad/{case}"));
                };
                if let Some(failure) = failure_of(case, overlay, &expected("bad", case)) {
                    failures.lock().unwrap().push(failure);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
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

/// Every page of the brief in `tests/fixtures/hostile-data`, whose titles, authors, notes,
/// captions, labels and URLs are markup, quotes, ampersands and script URLs.
fn hostile_site() -> (Fixture, Vec<(String, scraper::Html)>) {
    let fixture = Fixture::copy("tiny");
    for file in ["content/01-first.md", "content/02-second.md"] {
        fixture.remove(file);
    }
    fixture.overlay("hostile-data");
    fixture.build().assert_success();
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(fixture.public()).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.path().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            let html = fs::read_to_string(entry.path()).unwrap();
            pages.push((name, scraper::Html::parse_document(&html)));
        }
    }
    assert!(pages.len() >= 5, "home, two sections, audit, 404");
    (fixture, pages)
}

const TITLE: &str = "Brief </title><script>alert('t2')</script></script><script>alert('title')</script> & \"Quotes\"";

#[test]
fn hostile_data_is_inert_in_html_attributes_json_ld_and_svg() {
    let (_fixture, pages) = hostile_site();
    let all = scraper::Selector::parse("*").unwrap();
    for (name, page) in &pages {
        for element in page.select(&all) {
            let tag = element.value().name();
            if tag == "script" {
                let json_ld = element.value().attr("type") == Some("application/ld+json");
                let ours = element
                    .value()
                    .attr("src")
                    .is_some_and(|s| s.ends_with("brief.js"));
                assert!(
                    json_ld || ours,
                    "{name}: a script element came from data: {}",
                    element.html()
                );
            }
            for (attribute, value) in element.value().attrs() {
                assert!(
                    !attribute.starts_with("on"),
                    "{name}: {attribute}= on <{tag}>"
                );
                if matches!(
                    attribute,
                    "href" | "src" | "action" | "formaction" | "xlink:href"
                ) {
                    let squeezed: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(
                            !squeezed.starts_with(scheme),
                            "{name}: {attribute}={value:?}"
                        );
                    }
                }
            }
        }
        // The page title is the brief's title, as text.
        let title = scraper::Selector::parse("title").unwrap();
        let shown: String = page.select(&title).flat_map(|t| t.text()).collect();
        assert!(shown.contains(TITLE), "{name}: <title> is {shown:?}");
    }

    let home = &pages
        .iter()
        .find(|(name, _)| name.ends_with("public/index.html"))
        .unwrap()
        .1;
    let ld = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let json: String = home.select(&ld).next().unwrap().text().collect();
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON-LD stays JSON");
    assert!(
        json["headline"]
            .as_str()
            .unwrap()
            .starts_with("Brief </title>"),
        "{json}"
    );

    let text: String = home.root_element().text().collect();
    for literal in [
        // Straight quotes in reference data become the locale's, as in every CSL processor.
        "<script>alert(\u{201c}ref title\u{201d})</script> & \u{201c}Quoted",
        "Evil <b>& Co</b> \u{201c}Ltd",
        "Notes <script>alert('notes')</script> & more",
        "O'Neil <b>Bold</b> & Co",
    ] {
        assert!(
            text.contains(literal),
            "the home page should show {literal:?} as text"
        );
    }
    // The chart: labels and title are SVG text, not markup.
    let svg = scraper::Selector::parse("figure svg").unwrap();
    let chart = home.select(&svg).next().expect("the figure is drawn");
    let chart_text: String = chart.text().collect();
    assert!(
        chart_text.contains("<script>alert('label')</script>"),
        "{chart_text}"
    );
    assert!(chart_text.contains("\"Quote\" & Co"), "{chart_text}");
}

#[test]
fn script_and_data_urls_in_the_text_and_references_never_become_links() {
    let (fixture, pages) = hostile_site();
    let home = &pages
        .iter()
        .find(|(name, _)| name.ends_with("public/index.html"))
        .unwrap()
        .1;
    let text: String = home.root_element().text().collect();
    assert!(
        text.contains("A script link and a data link"),
        "the links' words stay"
    );
    let run = fixture.build();
    for place in ["content/01-first.md:8:3", "content/01-first.md:8:47"] {
        assert!(
            run.stderr.contains(place),
            "a warning at {place}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("source `javascript2025` has no link"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("source `agency2024` has no link"),
        "{}",
        run.stderr
    );
}
