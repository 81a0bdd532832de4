//! Test harness: copy a fixture brief to a temporary folder, run the real `brief` binary on it,
//! and look at what a user would see (exit code, messages, the written HTML).

#![allow(
    dead_code,
    reason = "each test file uses a different part of the harness"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A brief in a temporary folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A copy of `tests/fixtures/NAME`.
    pub fn copy(name: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_tree(&fixtures().join(name), dir.path());
        Fixture { dir }
    }

    /// Copies the files of `tests/fixtures/NAME` over this brief (the files an error case changes).
    pub fn overlay(&self, name: &str) -> &Fixture {
        copy_tree(&fixtures().join(name), self.dir.path());
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.dir.path().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    pub fn remove(&self, relative: &str) {
        let path = self.dir.path().join(relative);
        if path.is_dir() {
            fs::remove_dir_all(path).expect("remove folder");
        } else {
            fs::remove_file(path).expect("remove file");
        }
    }

    /// `brief build` in the brief's folder.
    pub fn build(&self) -> Run {
        run_brief(&["build", "."], self.path())
    }

    pub fn page(&self, relative: &str) -> Html {
        let text = fs::read_to_string(self.public().join(relative)).expect("page was written");
        Html::parse_document(&text)
    }
}

/// What one run of the binary did.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.status, 0, "build failed:\n{}", self.stderr);
        self
    }

    /// Exit code 1 and every `expected` piece in the message.
    pub fn assert_error(&self, expected: &[&str]) -> &Run {
        assert_eq!(
            self.status, 1,
            "expected a failed build; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        for piece in expected {
            assert!(
                self.stderr.contains(piece),
                "the message lacks {piece:?}:\n{}",
                self.stderr
            );
        }
        self
    }
}

/// Builds this repository's brief into `out`, and insists it succeeds.
pub fn build_brief(out: &Path) {
    let root = env!("CARGO_MANIFEST_DIR");
    run_brief(
        &["build", root, "--out", out.to_str().unwrap()],
        Path::new(root),
    )
    .assert_success();
}

pub fn run_brief(args: &[&str], dir: &Path) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run brief");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir`: relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            files.insert(relative, fs::read(entry.path()).expect("read"));
        }
    }
    files
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

pub fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>()
}

/// The text of a page's `<main>` as a reader sees it: MathML's TeX annotation is not shown.
pub fn visible_text(page: &Html) -> String {
    select(page, "main")[0]
        .descendants()
        .filter(|node| {
            !node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "annotation")
            })
        })
        .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// A brief beside a sentinel folder of someone else's files, in one temporary folder, so that a
/// test can prove a run changed nothing outside the brief's output: `snapshot_outside` covers
/// every file and link except those of the output folder and the cache.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    /// The tiny brief in `brief/`, and `sentinel/` holding a few files and a subfolder.
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_tree(&fixtures().join("tiny"), &dir.path().join("brief"));
        let sentinel = dir.path().join("sentinel");
        fs::create_dir_all(sentinel.join("photos")).expect("sentinel folder");
        fs::write(sentinel.join("thesis.docx"), "years of work").expect("sentinel file");
        fs::write(sentinel.join("secret.csv"), "label,value\nsecret,42\n").expect("sentinel");
        fs::write(sentinel.join("photos/cat.jpg"), [0xff, 0xd8, 0xff]).expect("sentinel");
        Sandbox { dir }
    }

    pub fn brief(&self) -> PathBuf {
        self.dir.path().join("brief")
    }

    pub fn sentinel(&self) -> PathBuf {
        self.dir.path().join("sentinel")
    }

    /// The brief's folder (as [`Fixture::path`]).
    pub fn path(&self) -> PathBuf {
        self.brief()
    }

    /// Copies the files of `tests/fixtures/NAME` over the brief.
    pub fn overlay(&self, name: &str) -> &Sandbox {
        copy_tree(&fixtures().join(name), &self.brief());
        self
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.brief().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_brief(args, &self.brief())
    }

    /// Every file, folder and link under the sandbox but the brief's `public/` and
    /// `.brief-cache/`: path → contents (a link's target, a folder's name).
    pub fn snapshot_outside(&self) -> BTreeMap<String, Vec<u8>> {
        let skip = [
            self.brief().join("public"),
            self.brief().join(".brief-cache"),
        ];
        let mut files = BTreeMap::new();
        let walk = walkdir::WalkDir::new(self.dir.path())
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !skip.iter().any(|s| e.path() == s));
        for entry in walk {
            let entry = entry.expect("walk");
            let relative = entry
                .path()
                .strip_prefix(self.dir.path())
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let kind = entry.file_type();
            let contents = if kind.is_symlink() {
                let target = fs::read_link(entry.path()).expect("read link");
                format!("link → {}", target.display()).into_bytes()
            } else if kind.is_file() {
                fs::read(entry.path()).expect("read")
            } else if kind.is_dir() {
                b"(folder)".to_vec()
            } else {
                b"(special file)".to_vec()
            };
            files.insert(relative, contents);
        }
        files
    }
}

/// `brief ARGS` in `dir`, killed if it is not done within `limit`: for inputs that once hung.
/// This bounds a hang; it measures no speed.
pub fn run_brief_within(args: &[&str], dir: &Path, limit: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run brief");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("brief {args:?} was still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        status: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// The corpus ships no image files: a 1×1 PNG for each image a paper names (brief refuses to
/// build with a missing image). Returns their paths, relative to the paper.
pub fn write_stand_in_images(paper: &Path) -> Vec<String> {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 4, 0, 0, 0, 0xb5, 0x1c, 0x0c, 0x02, 0, 0, 0, 0x0b, 0x49, 0x44,
        0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0, 0, 0, 6, 0, 2, 0x30, 0x81, 0xd0, 0x2f, 0, 0,
        0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let text = std::fs::read_to_string(paper.join("paper.md")).unwrap();
    let mut images = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        let lower = target.to_ascii_lowercase();
        if target.contains(char::is_whitespace)
            || ![".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf"]
                .iter()
                .any(|ext| lower.ends_with(ext))
        {
            continue;
        }
        let file = paper.join(target);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        if !file.exists() {
            std::fs::write(&file, PNG).unwrap();
        }
        images.push(target.to_string());
    }
    images
}
