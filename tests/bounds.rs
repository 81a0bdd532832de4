//! Inputs that once hung or crashed `brief` finish, with a located error where they are wrong:
//! `build` and `check` alike (the bad catalogue in `tests/fixtures/bad/` covers each bound's
//! message and place; `tests/serve.rs` shows `serve` surviving them). The time limits here
//! bound a hang; they measure no speed (BENCHMARKS.md does).

mod common;

use std::fs;
use std::time::Duration;

use common::{run_brief_within, Fixture};

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn ten_thousand_citations_in_one_paragraph_build_and_are_audited() {
    let fixture = Fixture::copy("tiny");
    let paragraph = ["word [@agency2024] and @institute2025 [p. 4] says"; 5_000].join(" ");
    fixture.write(
        "content/03-many.md",
        &format!("---\ntitle: Many\norder: 3\n---\n\n{paragraph}\n"),
    );
    let run = run_brief_within(&["build", "."], fixture.path(), LIMIT);
    run.assert_success();
    assert!(run.stdout.contains("10010 citations"), "{}", run.stdout);
    // The audit quotes each citation's sentence, cut to a window around it rather than the
    // whole paragraph ten thousand times.
    let audit = fs::read_to_string(fixture.public().join("audit/index.html")).unwrap();
    assert!(
        audit.len() < 40_000_000,
        "audit page of {} bytes",
        audit.len()
    );
    assert!(
        audit.contains("“… ") || audit.contains(">… "),
        "the window is marked as cut"
    );
}

#[test]
fn check_finishes_on_the_inputs_that_hung_or_crashed_build() {
    for case in [
        "chart-value-too-large",
        "markdown-deep-quotes",
        "template-includes-itself",
        "bib-string-bomb",
        "yaml-deep-brackets",
        "csl-deep-elements",
    ] {
        let fixture = Fixture::copy("tiny");
        fixture.overlay(&format!("bad/{case}"));
        let run = run_brief_within(&["check", ".", "--format", "json"], fixture.path(), LIMIT);
        assert_eq!(run.status, 1, "{case}: {}{}", run.stdout, run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let problems = report["problems"].as_array().unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p["severity"] == "error" && p["line"].is_u64() && p["hint"].is_string()),
            "{case}: a located error with a hint: {}",
            run.stdout
        );
    }
}
