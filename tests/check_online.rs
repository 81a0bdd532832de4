//! `brief check --online` against a local HTTP server on 127.0.0.1 that answers 200, 301→200,
//! 404, 429 and too slowly, plus a closed port: never the internet. Needs the `online` feature
//! (`cargo test --features online`); `.ci/run` runs it.

#![cfg(feature = "online")]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::{run_brief, select, text_of, Fixture};

/// Paths the server was asked for, with the user agent of each request.
type Log = Arc<Mutex<Vec<(String, String)>>>;

/// A server that answers by path: `/ok` 200, `/moved` 301 to `/ok`, `/busy` 429, `/slow` after
/// three seconds, anything else 404.
fn serve() -> (String, Log) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = format!("http://{}", server.server_addr());
    let log: Log = Arc::default();
    let seen = log.clone();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let agent = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("User-Agent"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            seen.lock()
                .unwrap()
                .push((request.url().to_string(), agent));
            thread::spawn(move || {
                let path = request.url().to_string();
                let respond = |code: u16, headers: &[(&str, &str)]| {
                    let mut response =
                        tiny_http::Response::from_string("page").with_status_code(code);
                    for (name, value) in headers {
                        let header =
                            tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                                .expect("header");
                        response.add_header(header);
                    }
                    let _ = request.respond(response);
                };
                match path.as_str() {
                    "/ok" => respond(200, &[]),
                    "/moved" => respond(301, &[("Location", "/ok")]),
                    "/busy" => respond(429, &[("Retry-After", "3600")]),
                    "/slow" => {
                        thread::sleep(Duration::from_secs(3));
                        respond(200, &[]);
                    }
                    _ => respond(404, &[]),
                }
            });
        }
    });
    (address, log)
}

/// An address where nothing listens.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    address
}

fn brief(server: &str) -> Fixture {
    let fixture = Fixture::copy("online");
    let closed = closed_port();
    for file in ["content/01-links.md", "data/references.yaml"] {
        let path = fixture.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replace("SERVER", server).replace("CLOSED", &closed),
        )
        .unwrap();
    }
    fixture
}

fn check(fixture: &Fixture, extra: &[&str]) -> (common::Run, serde_json::Value) {
    let mut args = vec![
        "check",
        ".",
        "--online",
        "--format",
        "json",
        "--timeout",
        "1s",
        "--retries",
        "0",
    ];
    args.extend_from_slice(extra);
    let run = run_brief(&args, fixture.path());
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JSON report ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, report)
}

/// URL path → the link's report.
fn links(report: &serde_json::Value, server: &str) -> BTreeMap<String, serde_json::Value> {
    report["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|link| {
            let url = link["url"].as_str().unwrap();
            let path = url.rsplit_once(':').map_or(url, |(_, rest)| rest);
            let path = path.trim_start_matches(|c: char| c.is_ascii_digit());
            let _ = server;
            (path.to_string(), link.clone())
        })
        .collect()
}

fn problems<'a>(report: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == kind)
        .collect()
}

#[test]
fn every_answer_is_reported_for_what_it_means() {
    let (server, log) = serve();
    let fixture = brief(&server);
    let (run, report) = check(&fixture, &[]);
    assert_eq!(
        run.status, 1,
        "a dead link fails the check:\n{}",
        run.stderr
    );
    assert_eq!(report["online"], true);
    let links = links(&report, &server);
    let status = |path: &str| links[path]["status"].as_str().unwrap_or("null").to_string();
    assert_eq!(status("/ok"), "ok");
    assert_eq!(status("/moved"), "redirected");
    assert_eq!(links["/moved"]["final_url"], format!("{server}/ok"));
    assert_eq!(status("/gone"), "dead");
    assert_eq!(links["/gone"]["code"], 404);
    assert_eq!(links["/gone"]["detail"], "404 Not Found");
    assert_eq!(status("/busy"), "blocked", "429 is bot blocking, not death");
    assert_eq!(status("/slow"), "timeout");
    assert_eq!(status("/down"), "error", "nothing listens on that port");
    assert_eq!(status("/private/report"), "excluded");
    assert_eq!(status("/text-gone"), "dead");
    assert!(links["/ok"]["checked_at"].as_str().unwrap().ends_with('Z'));

    // Each failure is a problem of its own kind, tied to the source or the line.
    let dead = problems(&report, "dead-link");
    assert_eq!(dead.len(), 2, "{dead:#?}");
    assert!(dead.iter().all(|p| p["severity"] == "error"));
    assert!(dead.iter().any(|p| p["key"] == "gone2025"));
    let text = dead.iter().find(|p| p["key"].is_null()).unwrap();
    assert_eq!(text["file"], "content/01-links.md");
    assert_eq!(text["line"], 10);
    assert_eq!(problems(&report, "blocked-link")[0]["severity"], "note");
    assert_eq!(problems(&report, "link-timeout")[0]["key"], "slow2025");
    assert_eq!(problems(&report, "unreachable-link")[0]["key"], "down2025");
    assert!(problems(&report, "dead-link")
        .iter()
        .all(|p| p["key"] != "moved2025"));

    // The source list carries each source's status.
    let source = |key: &str| {
        report["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(source("gone2025")["status"], "dead");
    assert_eq!(source("moved2025")["final_url"], format!("{server}/ok"));

    // Nothing asked for the excluded URL, and every request said who we are.
    let log = log.lock().unwrap();
    assert!(log.iter().all(|(path, _)| !path.starts_with("/private")));
    assert!(
        log.iter().all(|(_, agent)| agent.starts_with("brief/")),
        "{log:?}"
    );
}

#[test]
fn a_second_run_rechecks_only_failures_and_old_results() {
    let (server, log) = serve();
    let fixture = brief(&server);
    check(&fixture, &[]);
    let cache = fixture.path().join(".brief-cache/links.json");
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cache).expect("the cache was written")).unwrap();
    assert_eq!(written["links"][format!("{server}/ok")]["status"], "ok");
    let asked = |log: &Log, path: &str| {
        log.lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    };
    assert_eq!(asked(&log, "/ok"), 2, "once as a source, once via /moved");

    let (_, report) = check(&fixture, &[]);
    assert_eq!(
        asked(&log, "/ok"),
        2,
        "a fresh success comes from the cache"
    );
    assert_eq!(asked(&log, "/gone"), 2, "a failure is always checked again");
    // Failures: gone, text-gone, busy, slow, down.
    assert_eq!(report["summary"]["links_checked"], 5);

    let (_, report) = check(&fixture, &["--max-age", "0s"]);
    assert_eq!(asked(&log, "/ok"), 4, "--max-age 0s checks everything");
    assert_eq!(report["summary"]["links_checked"], 7);
}

#[test]
fn the_audit_page_shows_what_the_last_check_found() {
    let (server, _) = serve();
    let fixture = brief(&server);
    check(&fixture, &[]);
    fixture.build().assert_success();
    let page = fixture.page("audit/index.html");
    let said = |key: &str| {
        select(&page, &format!("#audit-{key} .audit-link"))
            .iter()
            .map(text_of)
            .collect::<String>()
    };
    assert!(
        said("gone2025").contains("answered 404 Not Found when checked on"),
        "{}",
        said("gone2025")
    );
    assert!(said("works2025").contains("worked when checked on"));
    assert!(said("moved2025").contains(&format!("it now leads to {server}/ok")));
    assert!(said("busy2025").contains("refused our automated check"));
    assert!(said("private2025").contains("excluded by the brief"));
    let dead = select(
        &page,
        "#audit-gone2025 .audit-link[data-status=dead] strong",
    );
    assert_eq!(dead.len(), 1, "a dead link stands out");
}

#[test]
fn the_terminal_report_groups_link_problems_and_counts_them() {
    let (server, _) = serve();
    let fixture = brief(&server);
    let run = run_brief(
        &[
            "check",
            ".",
            "--online",
            "--timeout",
            "1s",
            "--retries",
            "0",
        ],
        fixture.path(),
    );
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("Links that answer with an error (2):"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("content/01-links.md:10:"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("Links whose host refuses automated checks (1):"));
    assert!(
        run.stdout
            .contains("; 8 links: 7 checked now, 0 from the cache, 1 excluded"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.is_empty(),
        "no progress bar off a terminal: {}",
        run.stderr
    );
}
