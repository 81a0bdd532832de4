//! `brief build` beside `pandoc --citeproc` and Hugo on generated corpora of three sizes, in the
//! same run, alternating, with medians and peak memory. Pandoc and Hugo are measured when they
//! are installed (`apt-get install pandoc hugo`); their rows are left out otherwise.
//!
//! ```sh
//! cargo bench --bench compare                 # every size
//! cargo bench --bench compare -- brief 200    # some sizes; `--runs N` for each
//! cargo bench --bench compare -- pdf          # the brief, cold, with and without its PDF
//! ```

#[path = "corpus.rs"]
mod corpus;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use corpus::Shape;

const SHAPES: &[(Shape, usize)] = &[
    (
        Shape {
            name: "brief",
            sections: 10,
            references: 30,
            citations_per_section: 3,
            figures: 2,
            seed: 1,
        },
        9,
    ),
    (
        Shape {
            name: "200",
            sections: 200,
            references: 1000,
            citations_per_section: 5,
            figures: 10,
            seed: 2,
        },
        3,
    ),
    (
        Shape {
            name: "1000",
            sections: 1000,
            references: 5000,
            citations_per_section: 10,
            figures: 20,
            seed: 3,
        },
        3,
    ),
];

/// Seconds and peak resident memory (MiB) of one process.
#[derive(Clone, Copy)]
struct Sample {
    seconds: f64,
    peak_mib: f64,
}

/// Runs the command to the end and reads its own peak memory from `wait4`.
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reports its peak memory"
)]
fn measure(command: &mut Command) -> Sample {
    // Messages go to a file: a full pipe would stall the child while we wait for it.
    let log = std::env::temp_dir().join(format!("brief-bench-{}.log", std::process::id()));
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start the command");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 only writes into the two locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4 failed");
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let stderr = std::fs::read_to_string(&log).unwrap_or_default();
        panic!("{command:?} failed:\n{stderr}");
    }
    Sample {
        seconds,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn median(samples: &[Sample]) -> Sample {
    let mut seconds: Vec<f64> = samples.iter().map(|s| s.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let peak = samples.iter().map(|s| s.peak_mib).fold(0.0, f64::max);
    Sample {
        seconds: seconds[seconds.len() / 2],
        peak_mib: peak,
    }
}

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg(if tool == "hugo" {
            "version"
        } else {
            "--version"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn touch_section(brief: &Path, run: usize) {
    let path = brief.join("content/0001-section.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("\nAn edit, number {run}, to one paragraph.\n"));
    std::fs::write(path, text).unwrap();
}

/// Adds one citation, of a source another section cites, to a section in the middle: the edit
/// an author makes most, which formats only what it changes.
fn add_citation(brief: &Path, sections: usize, run: usize) {
    let middle = brief.join(format!("content/{:04}-section.md", sections / 2 + 1));
    let other = std::fs::read_to_string(brief.join("content/0001-section.md")).unwrap();
    let at = other.find("@ref").expect("section 1 cites a source");
    let key: String = other[at + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let mut text = std::fs::read_to_string(&middle).unwrap();
    text.push_str(&format!(
        "\nA new claim, number {run} [@{key}, p. {}].\n",
        run + 1
    ));
    std::fs::write(middle, text).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runs_override = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok());
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| SHAPES.iter().any(|(s, _)| s.name == a.as_str()))
        .map(String::as_str)
        .collect();
    let brief = env!("CARGO_BIN_EXE_brief");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpora");
    if args.iter().any(|a| a == "pdf") {
        pdf_cost(brief, &root, runs_override.unwrap_or(15));
        if wanted.is_empty() {
            return;
        }
    }
    let (pandoc, hugo) = (installed("pandoc"), installed("hugo"));
    if !pandoc || !hugo {
        println!("pandoc installed: {pandoc}, hugo installed: {hugo}; missing tools are left out");
    }
    println!("| corpus | tool | median | peak memory | pandoc ÷ tool |");
    println!("|---|---|---|---|---|");
    for (shape, default_runs) in SHAPES {
        if !wanted.is_empty() && !wanted.contains(&shape.name) {
            continue;
        }
        let runs = runs_override.unwrap_or(*default_runs);
        let corpus = corpus::generate(&root, shape);
        let out = corpus.brief.join("../out");
        let cache = corpus.brief.join(".brief-cache");
        let build = || {
            let mut command = Command::new(brief);
            command
                .args(["build", "."])
                .arg("--out")
                .arg(&out)
                .current_dir(&corpus.brief);
            command
        };
        let mut rows: Vec<(&str, Vec<Sample>)> = vec![
            ("brief, cold", Vec::new()),
            ("brief, warm (no change)", Vec::new()),
            ("brief, one section edited", Vec::new()),
            ("brief, one citation added", Vec::new()),
            ("pandoc --citeproc", Vec::new()),
            ("hugo (no citations)", Vec::new()),
        ];
        for run in 0..runs {
            let _ = std::fs::remove_dir_all(&cache);
            rows[0].1.push(measure(&mut build()));
            rows[1].1.push(measure(&mut build()));
            touch_section(&corpus.brief, run);
            rows[2].1.push(measure(&mut build()));
            add_citation(&corpus.brief, shape.sections, run);
            rows[3].1.push(measure(&mut build()));
            if pandoc {
                rows[4].1.push(measure(
                    Command::new("pandoc")
                        .args([
                            "paper.md",
                            "--citeproc",
                            "--standalone",
                            "-o",
                            "../pandoc.html",
                        ])
                        .current_dir(&corpus.pandoc),
                ));
            }
            if hugo {
                rows[5].1.push(measure(
                    Command::new("hugo")
                        .args(["--quiet", "-d", "../hugo-out"])
                        .current_dir(&corpus.hugo),
                ));
            }
        }
        let pandoc_median = (!rows[4].1.is_empty()).then(|| median(&rows[4].1).seconds);
        let label = format!(
            "{} ({} sections, {} refs, {}/section, {runs} runs)",
            shape.name, shape.sections, shape.references, shape.citations_per_section
        );
        for (tool, samples) in &rows {
            if samples.is_empty() {
                continue;
            }
            let m = median(samples);
            let ratio = pandoc_median.map_or("".to_string(), |p| format!("{:.1}×", p / m.seconds));
            println!(
                "| {label} | {tool} | {:.3} s | {:.0} MiB | {ratio} |",
                m.seconds, m.peak_mib
            );
        }
    }
}

/// The repository's brief built cold (no citation cache) with its PDF and without it
/// (`pdf: false`), alternating, in one run: what the PDF adds to a build.
fn pdf_cost(brief: &str, root: &Path, runs: usize) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    let with = root.join("pdf-on");
    let without = root.join("pdf-off");
    for (copy, pdf) in [(&with, true), (&without, false)] {
        let _ = std::fs::remove_dir_all(copy);
        for folder in ["content", "data"] {
            copy_folder(&source.join(folder), &copy.join(folder));
        }
        if !pdf {
            let index = copy.join("content/_index.md");
            let text = std::fs::read_to_string(&index).unwrap();
            std::fs::write(&index, text.replacen("---\n", "---\npdf: false\n", 1)).unwrap();
        }
    }
    let build = |folder: &Path| {
        let mut command = Command::new(brief);
        command
            .args(["build", ".", "--no-cache", "--out"])
            .arg(folder.join("out"))
            .current_dir(folder);
        command
    };
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        on.push(measure(&mut build(&with)));
        off.push(measure(&mut build(&without)));
    }
    let (on, off) = (median(&on), median(&off));
    let bytes = std::fs::read_dir(with.join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum::<u64>();
    println!("| the brief, cold, {runs} runs | median | peak memory |");
    println!("|---|---|---|");
    println!(
        "| with its PDF | {:.3} s | {:.0} MiB |",
        on.seconds, on.peak_mib
    );
    println!(
        "| without (`pdf: false`) | {:.3} s | {:.0} MiB |",
        off.seconds, off.peak_mib
    );
    println!(
        "| the PDF adds | {:.0} ms | {:.0} MiB |",
        (on.seconds - off.seconds) * 1000.0,
        on.peak_mib - off.peak_mib
    );
    println!("\nThe PDF: {:.0} KB.", bytes as f64 / 1000.0);
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
