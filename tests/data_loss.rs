//! Nothing of the user's is lost: a build replaces only a folder that is a site brief wrote
//! (it carries a marker), never a file or someone's folder; and every path of the site is
//! claimed once, so that no page silently replaces another. Each case checks the exit code,
//! the message, and that nothing outside the output folder changed.

mod common;

use std::fs;

use common::{snapshot, Fixture, Sandbox};

#[test]
fn a_folder_of_the_users_is_refused_and_left_exactly_as_it_was() {
    let sandbox = Sandbox::new();
    let before = sandbox.snapshot_outside();
    let sentinel = sandbox.sentinel();
    let run = sandbox.run(&["build", ".", "--out", sentinel.to_str().unwrap()]);
    run.assert_error(&[
        "refusing to write the site to",
        "it holds files that brief did not write",
        "help: a build replaces the whole folder",
        "was not touched",
    ]);
    assert!(!run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(sandbox.snapshot_outside(), before);
}

#[test]
fn a_file_named_as_the_output_is_refused_and_untouched() {
    let sandbox = Sandbox::new();
    let before = sandbox.snapshot_outside();
    let file = sandbox.sentinel().join("thesis.docx");
    for _ in 0..2 {
        // Twice: a refused build leaves nothing behind that breaks the next one.
        let run = sandbox.run(&["build", ".", "--out", file.to_str().unwrap()]);
        run.assert_error(&["it is a file, not a folder", "help: choose another `--out`"]);
        assert_eq!(sandbox.snapshot_outside(), before);
    }
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_is_not_followed() {
    let sandbox = Sandbox::new();
    std::os::unix::fs::symlink(sandbox.sentinel(), sandbox.brief().join("public")).unwrap();
    let before = sandbox.snapshot_outside();
    sandbox.run(&["build", "."]).assert_error(&[
        "it is a symbolic link",
        "help: a build replaces the folder itself",
    ]);
    assert_eq!(sandbox.snapshot_outside(), before);
}

#[test]
fn a_folder_in_the_way_of_the_temporary_folders_is_left_alone() {
    let sandbox = Sandbox::new();
    sandbox.write(".public.building/notes.txt", "mine");
    let before = sandbox.snapshot_outside();
    sandbox.run(&["build", "."]).assert_error(&[
        ".public.building is in the way",
        "it was not written by brief",
    ]);
    assert_eq!(sandbox.snapshot_outside(), before);
    assert!(!sandbox.brief().join("public").exists());
}

#[test]
fn sites_brief_wrote_and_empty_folders_are_replaced() {
    let sandbox = Sandbox::new();
    let empty = sandbox.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    sandbox
        .run(&["build", ".", "--out", empty.to_str().unwrap()])
        .assert_success();
    assert!(empty.join("index.html").is_file() && empty.join(".brief-site").is_file());
    // Built again over itself: it is brief's own now.
    sandbox
        .run(&["build", ".", "--out", empty.to_str().unwrap()])
        .assert_success();
    // Without the marker a folder is not brief's, whatever the cache says (anyone can write it).
    sandbox.run(&["build", "."]).assert_success();
    fs::remove_file(sandbox.brief().join("public/.brief-site")).unwrap();
    sandbox
        .run(&["build", "."])
        .assert_error(&["it holds files that brief did not write"]);
}

#[test]
fn a_failed_build_says_what_became_of_the_output() {
    let sandbox = Sandbox::new();
    sandbox.write("content/03-bad.md", "no front matter\n");
    let run = sandbox.run(&["build", "."]);
    run.assert_error(&["missing front matter", "there is no site at ./public"]);
    assert!(!run.stderr.contains("left as it was"), "{}", run.stderr);
}

/// Builds the tiny brief, then again after `change`: the second build must fail with every
/// piece in its message, and leave `public/` and everything else as they were.
fn assert_refused(change: impl FnOnce(&Fixture), pieces: &[&str]) {
    let fixture = Fixture::copy("tiny");
    fixture.build().assert_success();
    let before = snapshot(fixture.path());
    let public = snapshot(&fixture.public());
    change(&fixture);
    let run = fixture.build();
    run.assert_error(pieces);
    assert!(run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(snapshot(&fixture.public()), public, "public/ changed");
    let after = snapshot(fixture.path());
    let lost: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(lost.is_empty(), "files lost: {lost:?}");
}

fn set_slug(fixture: &Fixture, slug: &str) {
    fixture.write(
        "content/02-second.md",
        &format!("---\ntitle: \"Second\"\norder: 2\nslug: {slug}\n---\n\nText [@wire2025b].\n"),
    );
}

#[test]
fn a_slug_that_takes_a_generated_page_is_an_error_naming_both() {
    for (slug, pieces) in [
        (
            "audit",
            &["`audit/index.html`", "the Source audit page"][..],
        ),
        (
            "data",
            &["the folder `data/` is kept for the figures' data files"][..],
        ),
        ("404.html", &["`404.html`", "the 404 page"][..]),
        ("index.html", &["`index.html`", "the home page"][..]),
        ("first", &["two sections have the page name `first`"][..]),
    ] {
        assert_refused(
            |f| set_slug(f, slug),
            &[pieces, &["content/02-second.md:4:1", "slug: "]].concat(),
        );
    }
}

#[test]
fn a_slug_that_is_not_one_folder_name_is_an_error_at_its_line() {
    for slug in [
        "../../../x",
        "/abs",
        ".",
        "..",
        "\"a b\"",
        "\".hidden\"",
        "'a\\b'",
    ] {
        assert_refused(
            |f| set_slug(f, slug),
            &[
                "cannot be a page's folder",
                "content/02-second.md:4:1",
                "help: a slug is one folder name",
            ],
        );
    }
}

#[test]
fn a_static_file_that_takes_a_generated_page_is_an_error_naming_both() {
    for (path, pieces) in [
        (
            "static/index.html",
            &["`index.html`", "the home page", "`static/index.html`"][..],
        ),
        (
            "static/audit/index.html",
            &["the Source audit page", "static/audit/index.html"][..],
        ),
        (
            "static/first/index.html",
            &["content/01-first.md", "static/first/index.html"][..],
        ),
        ("static/robots.txt", &["the generated `robots.txt`"][..]),
        (
            "static/First/index.html",
            &["differ only in letter case"][..],
        ),
    ] {
        assert_refused(|f| f.write(path, "<p>mine</p>"), pieces);
    }
}

#[test]
fn two_data_files_with_one_name_are_an_error_at_the_second_figure() {
    assert_refused(
        |f| {
            f.write("more/shares.csv", "country,tonnes\nDelta,1\n");
            f.write(
                "content/02-second.md",
                "---\ntitle: Second\norder: 2\n---\n\n```figure\nid: other\nkind: bar\ndata: more/shares.csv\nlabel: country\nvalue: tonnes\ntitle: \"Other\"\nalt: \"Other\"\n```\n",
            );
        },
        &[
            "two things would be written to `data/shares.csv`",
            "the data file data/shares.csv and the data file more/shares.csv",
            "content/02-second.md:9:1",
        ],
    );
}
