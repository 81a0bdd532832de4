//! A rebuild leaves the pages whose inputs did not change as they are on disk (not rendered,
//! minified or written again), and still writes exactly what a build from scratch writes: a page
//! edited, removed or added by hand in the output is put right, a removed section's page goes,
//! and a changed template reaches every page it shapes. A build that reads nothing new says the
//! site is up to date; any change to what it reads (a section, the references, a figure's data,
//! a new file) makes it build, and an up-to-date build says the last build's warnings again.

mod common;

#[path = "bench/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_tree, run_brief, snapshot};

/// A generated 12-section brief (no PDF) in a temporary folder, built once into `out/`.
fn built_brief() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let shape = corpus::Shape {
        name: "carry",
        sections: 12,
        references: 40,
        citations_per_section: 3,
        figures: 1,
        seed: 5,
    };
    let brief = corpus::generate(dir.path(), &shape).brief;
    let out = dir.path().join("out");
    build(&brief, &out, true);
    (dir, brief, out)
}

/// Builds, and returns what it printed.
fn build(brief: &Path, out: &Path, cache: bool) -> String {
    let out = out.to_str().unwrap();
    let mut args = vec!["build", ".", "--out", out];
    if !cache {
        args.push("--no-cache");
    }
    let run = run_brief(&args, brief);
    run.assert_success();
    format!("{}{}", run.stdout, run.stderr)
}

/// What a build from scratch (a copy of the brief, no cache, a new output folder) writes.
fn from_scratch(brief: &Path, dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let copy = dir.join("fresh");
    let _ = fs::remove_dir_all(&copy);
    copy_tree(brief, &copy);
    let _ = fs::remove_dir_all(copy.join(".brief-cache"));
    let out = dir.join("fresh-out");
    let _ = fs::remove_dir_all(&out);
    build(&copy, &out, false);
    snapshot(&out)
}

fn assert_as_from_scratch(out: &Path, brief: &Path, dir: &Path) {
    let built = snapshot(out);
    let fresh = from_scratch(brief, dir);
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &built {
        assert!(
            bytes == &fresh[path],
            "{path} differs from a build from scratch"
        );
    }
}

/// The file's identity and modification time: equal when the file was not written again.
fn written_stamp(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

fn append(path: &Path, text: &str) {
    let mut body = fs::read_to_string(path).unwrap();
    body.push_str(text);
    fs::write(path, body).unwrap();
}

#[test]
fn a_rebuild_writes_only_the_pages_that_changed() {
    let (dir, brief, out) = built_brief();
    let untouched = out.join("section-3/index.html");
    let edited = out.join("section-7/index.html");
    let (untouched_before, edited_before) = (written_stamp(&untouched), written_stamp(&edited));
    std::thread::sleep(std::time::Duration::from_millis(20));

    append(
        &brief.join("content/0007-section.md"),
        "\nA sentence added to one section.\n",
    );
    build(&brief, &out, true);
    assert_eq!(written_stamp(&untouched), untouched_before);
    assert_ne!(written_stamp(&edited), edited_before);
    assert!(fs::read_to_string(&edited)
        .unwrap()
        .contains("A sentence added to one section."));
    assert_as_from_scratch(&out, &brief, dir.path());

    // Nothing changed: nothing is written.
    let home = written_stamp(&out.join("index.html"));
    build(&brief, &out, true);
    assert_eq!(written_stamp(&out.join("index.html")), home);
    assert_eq!(written_stamp(&untouched), untouched_before);
}

#[test]
fn an_edit_that_keeps_a_pages_length_and_time_is_still_seen() {
    let (dir, brief, out) = built_brief();
    let page = out.join("section-6/index.html");
    let meta = fs::metadata(&page).unwrap();
    fs::write(&page, "y".repeat(meta.len() as usize)).unwrap();
    // As `touch -r` or `cp -p` would leave it: only the change time tells.
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let said = build(&brief, &out, true);
    assert!(said.starts_with("built "), "{said}");
    assert_as_from_scratch(&out, &brief, dir.path());

    // An edited marker is written again too.
    fs::write(out.join(".brief-site"), "mine now").unwrap();
    assert!(build(&brief, &out, true).starts_with("built "));
    assert!(fs::read_to_string(out.join(".brief-site"))
        .unwrap()
        .contains("written by brief"));
}

#[test]
fn pages_changed_by_hand_in_the_output_are_put_right() {
    let (dir, brief, out) = built_brief();
    // The same length, other bytes: only the file's time tells it apart.
    let page = out.join("section-2/index.html");
    let length = fs::metadata(&page).unwrap().len() as usize;
    fs::write(&page, "x".repeat(length)).unwrap();
    fs::remove_file(out.join("section-3/index.html")).unwrap();
    fs::write(out.join("section-4/notes.txt"), "added by hand").unwrap();
    build(&brief, &out, true);
    assert_as_from_scratch(&out, &brief, dir.path());
    assert!(!out.join("section-4/notes.txt").exists());
}

#[test]
fn a_removed_section_and_a_changed_template_reach_the_output() {
    let (dir, brief, out) = built_brief();
    fs::remove_file(brief.join("content/0012-section.md")).unwrap();
    build(&brief, &out, true);
    assert!(!out.join("section-12").exists());
    assert_as_from_scratch(&out, &brief, dir.path());

    // A brief's own section template, changed: every section page follows it.
    let templates = brief.join("templates");
    fs::create_dir_all(&templates).unwrap();
    let built_in =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/section.html"))
            .unwrap();
    let marked = built_in.replacen(
        "{% block content %}",
        "{% block content %}<p class=\"mark\">Draft</p>",
        1,
    );
    assert_ne!(marked, built_in, "the template has a content block");
    fs::write(templates.join("section.html"), marked).unwrap();
    build(&brief, &out, true);
    for section in 1..=11 {
        let page = fs::read_to_string(out.join(format!("section-{section}/index.html"))).unwrap();
        assert!(page.contains(">Draft</p>"), "section {section}");
    }
    assert_as_from_scratch(&out, &brief, dir.path());
}

/// An edit to the brief, done when called.
type Change<'a> = Box<dyn Fn() + 'a>;

#[test]
fn a_build_that_reads_nothing_new_says_the_site_is_up_to_date() {
    let (dir, brief, out) = built_brief();
    let home = written_stamp(&out.join("index.html"));
    let said = build(&brief, &out, true);
    assert!(said.contains("is up to date: nothing changed"), "{said}");
    assert!(said.contains("(14 pages, "), "{said}");
    assert_eq!(written_stamp(&out.join("index.html")), home);
    // `--no-cache` builds all the same.
    assert!(build(&brief, &out, false).starts_with("built "));
    assert!(build(&brief, &out, true).starts_with("built "));
    assert!(build(&brief, &out, true).contains("is up to date"));

    // Each input read after loading, changed, makes the next build run, and then it is done.
    let bib = brief.join("data/references.bib");
    let references = fs::read_to_string(&bib).unwrap();
    let changes: [(&str, Change); 4] = [
        (
            "a reference",
            Box::new(|| {
                fs::write(
                    &bib,
                    references.replacen("title = {", "title = {Revised ", 1),
                )
                .unwrap()
            }),
        ),
        (
            "a figure's data",
            Box::new(|| append(&brief.join("data/fig1.csv"), "Brazil,123\n")),
        ),
        (
            "a new section",
            Box::new(|| {
                fs::write(
                    brief.join("content/0013-section.md"),
                    "---\ntitle: \"Late\"\norder: 13\n---\n\nA late section.\n",
                )
                .unwrap()
            }),
        ),
        (
            "a template",
            Box::new(|| {
                fs::create_dir_all(brief.join("templates")).unwrap();
                fs::write(brief.join("templates/404.html"), "<p>Not here.</p>").unwrap();
            }),
        ),
    ];
    for (what, change) in &changes {
        change();
        let said = build(&brief, &out, true);
        assert!(said.starts_with("built "), "after {what}: {said}");
        assert_as_from_scratch(&out, &brief, dir.path());
        assert!(
            build(&brief, &out, true).contains("is up to date"),
            "after {what}, twice"
        );
    }

    // A page removed from the output by hand: built again.
    fs::remove_file(out.join("section-5/index.html")).unwrap();
    assert!(build(&brief, &out, true).starts_with("built "));
    assert!(out.join("section-5/index.html").is_file());
}

#[test]
fn a_build_says_its_warnings_every_time() {
    let (_dir, brief, out) = built_brief();
    append(
        &brief.join("data/references.bib"),
        "\n@misc{nolink2026, title = {No link}, author = {Nobody, A.}, year = {2026}}\n",
    );
    append(
        &brief.join("content/0002-section.md"),
        "\nCited here [@nolink2026].\n",
    );
    for run in 0..2 {
        let said = build(&brief, &out, true);
        assert!(said.contains("source `nolink2026` has no link"), "{said}");
        assert!(said.contains("1 warning"), "{said}");
        // The second build changes nothing, and says the same warning again.
        assert_eq!(said.contains("is up to date"), run == 1, "{said}");
    }
}
