//! Incremental citation formatting and parallel rendering change nothing a reader sees: after an
//! edit that adds citations, a build that reuses the last build's formatting writes the same
//! bytes as a build from scratch on one thread; and an edit to one section leaves the pages of
//! sections that do not cite what changed untouched (citation anchors are numbered per section).

mod common;

#[path = "bench/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{copy_tree, snapshot};

/// Builds `brief` into `out`; `threads` sets BRIEF_THREADS, `cache: false` adds `--no-cache`.
fn build(brief: &Path, out: &Path, threads: Option<usize>, cache: bool) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_brief"));
    command.args(["build", "."]).arg("--out").arg(out);
    if !cache {
        command.arg("--no-cache");
    }
    if let Some(threads) = threads {
        command.env("BRIEF_THREADS", threads.to_string());
    }
    let output = command.current_dir(brief).output().expect("run brief");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn append(path: &Path, text: &str) {
    let mut body = std::fs::read_to_string(path).unwrap();
    body.push_str(text);
    std::fs::write(path, body).unwrap();
}

/// The reference keys section file `text` cites (`@ref12`).
fn cited_keys(text: &str) -> Vec<String> {
    text.match_indices("@ref")
        .map(|(at, _)| {
            let digits: String = text[at + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!("ref{digits}")
        })
        .collect()
}

fn section_file(brief: &Path, section: usize) -> std::path::PathBuf {
    brief.join(format!("content/{section:04}-section.md"))
}

type Files = BTreeMap<String, Vec<u8>>;

/// A generated brief in `csl`, built; then edited (`edit` returns the keys it cited), built
/// again with the last build's formatting, and built from scratch on one thread. Returns the
/// three outputs, the keys, and the folder (the brief is in `brief/`).
fn incremental_and_scratch(
    csl: &str,
    seed: u64,
    edit: impl Fn(&Path) -> Vec<String>,
) -> (Files, Files, Files, Vec<String>, tempfile::TempDir) {
    let scratch = tempfile::tempdir().unwrap();
    let shape = corpus::Shape {
        name: "incremental",
        sections: 30,
        references: 120,
        citations_per_section: 5,
        figures: 2,
        seed,
    };
    let brief = corpus::generate(scratch.path(), &shape).brief;
    let index = brief.join("content/_index.md");
    let meta = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        meta.replace("csl: chicago-author-date", &format!("csl: {csl}")),
    )
    .unwrap();
    let out = scratch.path().join("out");
    build(&brief, &out, None, true);
    let before = snapshot(&out);

    let keys = edit(&brief);
    build(&brief, &out, None, true);
    let incremental = snapshot(&out);

    let fresh = scratch.path().join("fresh");
    copy_tree(&brief, &fresh);
    let _ = std::fs::remove_dir_all(fresh.join(".brief-cache"));
    let fresh_out = scratch.path().join("fresh-out");
    build(&fresh, &fresh_out, Some(1), false);
    (before, incremental, snapshot(&fresh_out), keys, scratch)
}

fn assert_same(incremental: &BTreeMap<String, Vec<u8>>, scratch: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        scratch.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in incremental {
        assert!(
            bytes == &scratch[path],
            "{path} differs between the incremental build and the build from scratch"
        );
    }
}

#[test]
fn an_author_date_brief_after_an_edit_builds_as_from_scratch() {
    // New citations of sources already cited elsewhere, one with a locator.
    let edit = |brief: &Path| {
        let keys = cited_keys(&std::fs::read_to_string(section_file(brief, 20)).unwrap());
        let (a, b) = (&keys[0], &keys[keys.len() - 1]);
        append(
            &section_file(brief, 15),
            &format!("\nA new claim [@{a}, p. 12] and another [see @{b}].\n"),
        );
        vec![a.clone(), b.clone()]
    };
    let (before, incremental, scratch, keys, dir) =
        incremental_and_scratch("chicago-author-date", 7, edit);
    assert_same(&incremental, &scratch);
    // Sections that cite neither key keep their pages byte for byte: no anchor moved.
    let brief = dir.path().join("incremental/brief");
    let mut untouched = 0;
    for s in (1..=30).filter(|&s| s != 15) {
        let cited = cited_keys(&std::fs::read_to_string(section_file(&brief, s)).unwrap());
        if keys.iter().any(|key| cited.contains(key)) {
            continue;
        }
        untouched += 1;
        let page = format!("section-{s}/index.html");
        assert!(
            before[&page] == incremental[&page],
            "{page} changed, but its section cites neither {keys:?}"
        );
    }
    assert!(untouched > 10, "only {untouched} sections left alone");
    assert!(before["section-15/index.html"] != incremental["section-15/index.html"]);
}

#[test]
fn a_numeric_brief_after_an_edit_builds_as_from_scratch() {
    // A source's first citation, in the first section: every number after it moves.
    let edit = |brief: &Path| {
        let cited: Vec<String> = (1..=30)
            .flat_map(|s| cited_keys(&std::fs::read_to_string(section_file(brief, s)).unwrap()))
            .collect();
        let new = (0..120)
            .map(|n| format!("ref{n}"))
            .find(|key| !cited.contains(key))
            .expect("an uncited source");
        append(
            &section_file(brief, 1),
            &format!("\nAnd first of all [@{new}; @{}].\n", cited[40]),
        );
        vec![new]
    };
    let (before, incremental, scratch, _, _dir) = incremental_and_scratch("ieee", 11, edit);
    assert_same(&incremental, &scratch);
    assert!(before["index.html"] != incremental["index.html"]);
}

#[test]
fn real_papers_build_the_same_on_one_thread_and_on_all() {
    let Some(corpus) = std::env::var_os("BRIEF_CORPUS") else {
        eprintln!("skipped: BRIEF_CORPUS is not set (.ci/run sets it to ../shared/corpus)");
        return;
    };
    let joss = Path::new(&corpus).join("joss");
    let mut papers = 0;
    for entry in std::fs::read_dir(&joss).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("paper.md").is_file() {
            continue;
        }
        let scratch = tempfile::tempdir().unwrap();
        let copy = scratch.path().join("paper");
        copy_tree(&dir, &copy);
        common::write_stand_in_images(&copy);
        let one = scratch.path().join("one");
        let all = scratch.path().join("all");
        let run = |out: &Path, threads: usize| {
            let output = Command::new(env!("CARGO_BIN_EXE_brief"))
                .args(["build", "paper.md", "--no-cache", "--out"])
                .arg(out)
                .env("BRIEF_THREADS", threads.to_string())
                .current_dir(&copy)
                .output()
                .expect("run brief");
            assert!(
                output.status.success(),
                "{}: {}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        };
        run(&one, 1);
        run(&all, 4);
        assert_same(&snapshot(&all), &snapshot(&one));
        papers += 1;
    }
    assert!(papers >= 8, "found {papers} papers in {}", joss.display());
}
