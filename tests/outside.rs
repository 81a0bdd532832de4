//! Every path from the brief stays inside it: a figure's `data:`, `bibliography:`, `csl:` and
//! the files of `content/`, `templates/` and `static/` are refused when they lead outside the
//! brief's folder (by `..`, an absolute path or a symbolic link), are not regular files, or are
//! too large; nothing outside is read, quoted or written. Each case runs beside a sentinel
//! folder whose files must come through unchanged and unquoted.

mod common;

use std::fs;
use std::time::Duration;

use common::{run_brief_within, Sandbox};

const LIMIT: Duration = Duration::from_secs(60);

fn set_data(sandbox: &Sandbox, data: &str) {
    let path = sandbox.brief().join("content/01-first.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        path,
        text.replace("data: data/shares.csv", &format!("data: {data}")),
    )
    .unwrap();
}

fn set_meta(sandbox: &Sandbox, from: &str, to: &str) {
    let path = sandbox.brief().join("content/_index.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The build fails with every piece in its message, quotes nothing of the sentinel's, writes
/// no site and changes nothing outside the brief.
fn assert_refused(sandbox: &Sandbox, pieces: &[&str]) {
    let before = sandbox.snapshot_outside();
    let run = run_brief_within(&["build", "."], &sandbox.brief(), LIMIT);
    run.assert_error(pieces);
    for secret in ["secret,42", "years of work", "root:"] {
        assert!(
            !run.stderr.contains(secret),
            "quoted {secret:?}:\n{}",
            run.stderr
        );
    }
    assert!(
        !sandbox.brief().join("public").exists(),
        "a site was written"
    );
    assert_eq!(sandbox.snapshot_outside(), before);
}

#[test]
fn figure_data_outside_the_brief_is_refused_at_its_line() {
    for data in ["../sentinel/secret.csv", "data/../../sentinel/secret.csv"] {
        let sandbox = Sandbox::new();
        set_data(&sandbox, data);
        assert_refused(
            &sandbox,
            &[
                "it is outside the brief's folder",
                "content/01-first.md:18:1",
                "help: a brief reads only files inside its own folder",
            ],
        );
    }
    let sandbox = Sandbox::new();
    let absolute = sandbox.sentinel().join("secret.csv");
    set_data(&sandbox, absolute.to_str().unwrap());
    assert_refused(
        &sandbox,
        &["outside the brief's folder", "content/01-first.md:18:1"],
    );
    let sandbox = Sandbox::new();
    set_data(&sandbox, "/etc/passwd");
    assert_refused(
        &sandbox,
        &["`/etc/passwd`: it is outside the brief's folder"],
    );
}

#[test]
fn references_and_styles_outside_the_brief_are_refused_at_their_line() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.sentinel().join("refs.yaml"),
        "x:\n  type: web\n  title: T\n",
    )
    .unwrap();
    set_meta(
        &sandbox,
        "bibliography: data/references.yaml",
        "bibliography: ../sentinel/refs.yaml",
    );
    assert_refused(
        &sandbox,
        &[
            "the references file `../sentinel/refs.yaml`",
            "content/_index.md:7:",
        ],
    );

    let sandbox = Sandbox::new();
    fs::write(sandbox.sentinel().join("style.csl"), "<style/>").unwrap();
    set_meta(&sandbox, "csl: apa", "csl: ../sentinel/style.csl");
    assert_refused(
        &sandbox,
        &[
            "the citation style `../sentinel/style.csl`",
            "content/_index.md:8:",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_brief_are_refused_wherever_they_are() {
    use std::os::unix::fs::symlink;
    let cases: [(&str, &str, &str); 5] = [
        (
            "data/link.csv",
            "../../sentinel/secret.csv",
            "through the symbolic link data/link.csv",
        ),
        (
            "content/03-link.md",
            "../../sentinel/thesis.docx",
            "content/03-link.md: it leads outside",
        ),
        (
            "static/photos",
            "../../sentinel/photos",
            "static/photos: it leads outside",
        ),
        (
            "templates/base.html",
            "../../sentinel/thesis.docx",
            "templates/base.html: it leads outside",
        ),
        (
            "data/zero.csv",
            "/dev/zero",
            "through the symbolic link data/zero.csv",
        ),
    ];
    for (link, target, piece) in cases {
        let sandbox = Sandbox::new();
        let at = sandbox.brief().join(link);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(target, &at).unwrap();
        if link.starts_with("data/") {
            set_data(&sandbox, link);
        }
        assert_refused(
            &sandbox,
            &[
                piece,
                "help: a brief reads only files inside its own folder",
            ],
        );
    }
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_the_brief_are_followed() {
    let sandbox = Sandbox::new();
    std::os::unix::fs::symlink("shares.csv", sandbox.brief().join("data/alias.csv")).unwrap();
    set_data(&sandbox, "data/alias.csv");
    sandbox.run(&["build", "."]).assert_success();
    assert!(sandbox.brief().join("public/data/alias.csv").is_file());
}

#[cfg(unix)]
#[test]
fn named_pipes_are_refused_instead_of_hanging() {
    let fifo = |path: &std::path::Path| {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    };
    let sandbox = Sandbox::new();
    fifo(&sandbox.brief().join("content/03-pipe.md"));
    assert_refused(
        &sandbox,
        &["content/03-pipe.md: it is a named pipe, not a regular file"],
    );

    let sandbox = Sandbox::new();
    fifo(&sandbox.brief().join("data/pipe.csv"));
    set_data(&sandbox, "data/pipe.csv");
    assert_refused(
        &sandbox,
        &[
            "`data/pipe.csv`: it is a named pipe",
            "content/01-first.md:18:1",
        ],
    );

    let sandbox = Sandbox::new();
    fifo(&sandbox.brief().join("data/pipe.yaml"));
    set_meta(
        &sandbox,
        "bibliography: data/references.yaml",
        "bibliography: data/pipe.yaml",
    );
    assert_refused(
        &sandbox,
        &[
            "`data/pipe.yaml`: it is a named pipe",
            "content/_index.md:7:",
        ],
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let sandbox = Sandbox::new();
    // Sparse: 65 MiB on paper, nothing on disk.
    let file = fs::File::create(sandbox.brief().join("data/huge.csv")).unwrap();
    file.set_len(65 * 1024 * 1024).unwrap();
    set_data(&sandbox, "data/huge.csv");
    assert_refused(
        &sandbox,
        &["it is 65 MiB; a brief's files may be at most 64 MiB"],
    );
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_links_elsewhere_is_never_written_through() {
    let sandbox = Sandbox::new();
    std::os::unix::fs::symlink("../sentinel", sandbox.brief().join(".brief-cache")).unwrap();
    let before = sandbox.snapshot_outside();
    sandbox.run(&["build", "."]).assert_success();
    sandbox.run(&["build", "."]).assert_success();
    assert_eq!(sandbox.snapshot_outside(), before);

    // A link planted where the cache writes its temporary file is removed, not followed.
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.brief().join(".brief-cache")).unwrap();
    let victim = sandbox.sentinel().join("thesis.docx");
    std::os::unix::fs::symlink(
        &victim,
        sandbox.brief().join(".brief-cache/pages.json.partial"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&victim, sandbox.brief().join(".brief-cache/citations.json"))
        .unwrap();
    sandbox.run(&["build", "."]).assert_success();
    assert_eq!(fs::read_to_string(victim).unwrap(), "years of work");
}

#[test]
fn a_single_document_reads_only_inside_its_own_folder() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.sentinel().join("refs.bib"),
        "@misc{x, title={Secret}}\n",
    )
    .unwrap();
    sandbox.write(
        "paper/paper.md",
        "---\ntitle: Paper\nbibliography: ../../sentinel/refs.bib\n---\n\nText [@x].\n",
    );
    let before = sandbox.snapshot_outside();
    let run = run_brief_within(&["build", "paper/paper.md"], &sandbox.brief(), LIMIT);
    run.assert_error(&[
        "`../../sentinel/refs.bib`: it is outside the brief's folder",
        "paper.md:3:15",
    ]);
    assert_eq!(sandbox.snapshot_outside(), before);
}

#[test]
fn a_planted_citation_cache_with_markup_of_its_own_is_not_used() {
    let fixture = common::Fixture::copy("tiny");
    fixture.build().assert_success();
    let cache = fixture.path().join(".brief-cache/citations.json");
    let original = fs::read_to_string(&cache).unwrap();
    assert!(original.contains("Survey of Things 2024"));
    // A prose edit, so that the build runs (it is not up to date) and its citations are the
    // cache's to give.
    let edit_prose = |n: usize| {
        let section = fixture.path().join("content/02-second.md");
        let text = fs::read_to_string(&section).unwrap();
        fs::write(&section, format!("{text}\nA sentence, edit {n}.\n")).unwrap();
    };
    // Markup the formatter could have written is used as it is: the cache works…
    fs::write(
        &cache,
        original.replace("Survey of Things 2024", "Survey of Cached Things"),
    )
    .unwrap();
    edit_prose(1);
    fixture.build().assert_success();
    let home = fs::read_to_string(fixture.public().join("index.html")).unwrap();
    assert!(
        home.contains("Survey of Cached Things"),
        "the cache was used"
    );
    // …and anything else makes the build format afresh.
    let planted = original.replace(
        "Survey of Things 2024",
        "<script>alert(1)</script><a href=\\\"javascript:alert(2)\\\">x</a>",
    );
    assert_ne!(planted, original);
    fs::write(&cache, planted).unwrap();
    edit_prose(2);
    fixture.build().assert_success();
    let home = fs::read_to_string(fixture.public().join("index.html")).unwrap();
    assert!(!home.contains("alert("), "planted markup reached the page");
    assert!(home.contains("Survey of Things 2024"));
}

#[cfg(unix)]
#[test]
fn hidden_files_of_the_brief_are_never_read() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".git/config",
        "[http]\n  extraheader = AUTHORIZATION: token secret,42\n",
    );
    fs::create_dir_all(sandbox.brief().join("static")).unwrap();
    std::os::unix::fs::symlink("../.git/config", sandbox.brief().join("static/config.txt"))
        .unwrap();
    assert_refused(&sandbox, &["static/config.txt: it is hidden (.git/config)"]);

    let sandbox = Sandbox::new();
    sandbox.write(".env/data.csv", "label,value\nsecret,42\n");
    set_data(&sandbox, ".env/data.csv");
    assert_refused(
        &sandbox,
        &["it is hidden (.env/data.csv)", "content/01-first.md:18:1"],
    );
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_the_old_site_does_not_carry_its_target_into_the_new_one() {
    let sandbox = Sandbox::new();
    sandbox.run(&["build", "."]).assert_success();
    let public = sandbox.brief().join("public");
    let ours = fs::read(public.join("data/shares.csv")).unwrap();
    // A file of the same length elsewhere, and the old site's data folder pointing at it.
    let leak = sandbox.sentinel().join("leak");
    fs::create_dir(&leak).unwrap();
    fs::write(leak.join("shares.csv"), vec![b'S'; ours.len()]).unwrap();
    fs::remove_dir_all(public.join("data")).unwrap();
    std::os::unix::fs::symlink(&leak, public.join("data")).unwrap();
    let before = sandbox.snapshot_outside();
    sandbox.run(&["build", "."]).assert_success();
    assert_eq!(fs::read(public.join("data/shares.csv")).unwrap(), ours);
    assert!(!fs::symlink_metadata(public.join("data"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(sandbox.snapshot_outside(), before);
}
