//! Edit-to-reload on the brief: the time from writing a changed section file to the reload event
//! reaching an open page, median over 20 edits, beside a cold `brief build` of the same brief
//! measured in the same run (`--no-cache`: formatting every citation, as a first build does). Run with `cargo bench --bench serve_reload`; it prints figures.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 20;
const COLD_BUILDS: usize = 5;

fn copy_brief(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["content", "data", "templates", "static"] {
        for entry in std::fs::read_dir(root.join(folder))
            .unwrap()
            .map(Result::unwrap)
        {
            std::fs::create_dir_all(to.join(folder)).unwrap();
            std::fs::copy(entry.path(), to.join(folder).join(entry.file_name())).unwrap();
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let brief = env!("CARGO_BIN_EXE_brief");
    let dir = std::env::temp_dir().join(format!("brief-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_brief(&dir);

    // Baseline: what an author waits for without serve, a whole `brief build` process.
    let mut cold = Vec::new();
    for _ in 0..COLD_BUILDS {
        let started = Instant::now();
        let status = Command::new(brief)
            .args(["build", ".", "--out", "out", "--no-cache"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(status.status.success());
        cold.push(started.elapsed().as_secs_f64() * 1000.0);
    }

    let mut child = Command::new(brief)
        .args(["serve", ".", "--port", "0"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__brief/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buffer = [0u8; 8192];
    let mut seen = String::new();
    while !seen.contains(": connected") {
        let n = stream.read(&mut buffer).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }

    let section = dir.join("content/03-economic-analysis.md");
    let original = std::fs::read_to_string(&section).unwrap();
    // Prose edits first, then edits that add a citation (a new locator each time, so that each
    // is a citation the brief has not formatted before).
    let mut reload_after = |text: String| {
        std::thread::sleep(Duration::from_millis(300));
        seen.clear();
        let started = Instant::now();
        std::fs::write(&section, text).unwrap();
        while !seen.contains("data: reload") {
            let n = stream
                .read(&mut buffer)
                .expect("a reload event within 10 s");
            seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
        started.elapsed().as_secs_f64() * 1000.0
    };
    let reloads: Vec<f64> = (0..EDITS)
        .map(|edit| reload_after(format!("{original}\nEdit number {edit}.\n")))
        .collect();
    let citation_reloads: Vec<f64> = (0..EDITS)
        .map(|edit| {
            reload_after(format!(
                "{original}\nA new claim [@usgs2025, p. {}].\n",
                edit + 1
            ))
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    println!("brief: edit-to-reload on the brief, {EDITS} edits of one section of each kind");
    for (what, values) in [
        ("prose edit", reloads),
        ("citation added", citation_reloads),
    ] {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        println!(
            "  serve, {what:<14} to reload event: median {:6.1} ms  (min {min:.1}, max {max:.1})",
            median(values)
        );
    }
    println!(
        "  baseline, cold `brief build`: median {:6.1} ms  ({COLD_BUILDS} runs, whole process)",
        median(cold)
    );
}
