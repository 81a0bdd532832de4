//! `brief serve` and `brief new`: the author's loop, through the real binary and real sockets on
//! 127.0.0.1.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::Fixture;

/// A running `brief serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    lines: Receiver<String>,
}

impl Server {
    fn start(dir: &std::path::Path, port: u16) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["serve", ".", "--port", &port.to_string()])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start brief serve");
        let (sender, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(line) = lines.recv_timeout(Duration::from_millis(100)) {
                if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                    let port = rest.split('/').next().unwrap().parse().unwrap();
                    // Read the server's messages as a terminal would: a full pipe would block
                    // the rebuild that writes to it.
                    let mut stderr = child.stderr.take().unwrap();
                    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
                    return Ok(Server { child, port, lines });
                }
            }
            if let Ok(Some(_)) = child.try_wait() {
                let mut stderr = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return Err(stderr);
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        Err("the server did not start".into())
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_string(), body.to_string())
    }

    /// Opens the reload event stream, as a served page does.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__brief/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.wait_for(": connected");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Everything received until `needle` arrives (at most 10 s).
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut buffer = [0u8; 4096];
        while !self.seen.contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in the event stream; got {:?}",
                self.seen
            );
            if let Ok(n) = self.stream.read(&mut buffer) {
                self.seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        }
        let at = self.seen.find(needle).unwrap() + needle.len();
        let received = self.seen[..at].to_string();
        self.seen = self.seen[at..].to_string();
        received
    }
}

/// Sends `request` as it is and reads the answer until the server closes (5 s at most).
fn exchange(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    // On a timeout or reset, what arrived so far is kept and the assertions say what is missing.
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {response:?}"))
}

/// Reads one answer of a kept-alive connection: the head, then `Content-Length` bytes.
fn read_response(stream: &mut TcpStream) -> (u16, String, String) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "closed mid-head");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: "))
        .expect("Content-Length")
        .parse()
        .unwrap();
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    (
        status_of(&head),
        head,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// A GET from another client, which must be answered within 2 s.
fn assert_answered_promptly(port: u16) {
    let started = Instant::now();
    let response = exchange(
        port,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&response), 200, "{response}");
    assert!(response.contains("A Tiny Brief"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered after {:?}",
        started.elapsed()
    );
}

fn edit(fixture: &Fixture, file: &str, from: &str, to: &str) {
    let path = fixture.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_the_site_with_a_reload_script_only_in_serve_mode() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("A Tiny Brief") && body.contains("/__brief/events"));
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, head, _) = server.get("/first");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /first/"), "{head}");
    assert_eq!(server.get("/first/").0, 200);
    assert!(!fixture.public().exists(), "serve writes nothing to disk");
    fixture.build().assert_success();
    let built = std::fs::read_to_string(fixture.public().join("index.html")).unwrap();
    assert!(
        !built.contains("__brief"),
        "build output never has the reload script"
    );
}

#[test]
fn misses_get_the_404_page_and_nothing_outside_the_site_is_served() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let (status, _, body) = server.get("/no-such-page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    for hostile in [
        "/../content/01-first.md",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/first/..%2f..%2fcontent%2f01-first.md",
        "/..%5c..%5cCargo.toml",
        "/content/01-first.md",
    ] {
        let (status, _, body) = server.get(hostile);
        assert_eq!(status, 404, "{hostile}");
        assert!(!body.contains("order: 1"), "{hostile} leaked a source file");
    }
}

#[test]
fn an_edit_reloads_open_pages_with_the_new_text() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let mut events = server.events();
    edit(
        &fixture,
        "content/01-first.md",
        "Supply is concentrated",
        "Supply is very concentrated",
    );
    events.wait_for("data: reload");
    assert!(server.get("/").2.contains("Supply is very concentrated"));
    // A stylesheet edit re-renders from the last resolved brief: no citation formatting.
    std::fs::create_dir_all(fixture.path().join("static")).unwrap();
    std::fs::write(
        fixture.path().join("static/style.css"),
        "body { color: rebeccapurple }",
    )
    .unwrap();
    events.wait_for("data: reload");
    assert!(server.get("/style.css").2.contains("rebeccapurple"));
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut log = Vec::new();
    while Instant::now() < deadline
        && !log
            .iter()
            .any(|l: &String| l.starts_with("rebuilt static files"))
    {
        if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(100)) {
            log.push(line);
        }
    }
    assert!(
        log.iter().any(|l| l.starts_with("rebuilt static files")),
        "{log:?}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let mut events = server.events();
    edit(
        &fixture,
        "content/01-first.md",
        "title: \"First Things\"",
        "title: \"First Things",
    );
    let received = events.wait_for("\n\n");
    let received = if received.contains("failure") {
        received
    } else {
        events.wait_for("\n\n")
    };
    assert!(received.contains("event: failure"), "{received}");
    assert!(
        received.contains("content/01-first.md:2:8"),
        "the terminal's message: {received}"
    );
    assert!(
        server.get("/").2.contains("First Things"),
        "the last good site is still served"
    );
    // A page opened now learns of the error at once.
    let mut late = server.events();
    late.wait_for("event: failure");
    edit(
        &fixture,
        "content/01-first.md",
        "title: \"First Things",
        "title: \"First Things\"",
    );
    events.wait_for("data: reload");
}

#[test]
fn a_foreign_host_gets_421_and_no_page() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let port = server.port;
    let other = if port == 1234 { 1235 } else { 1234 };
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{other}"),
    ] {
        let response = exchange(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_of(&response), 421, "{host}: {response}");
        assert!(
            response.contains("Content-Type: text/plain; charset=utf-8"),
            "{response}"
        );
        assert!(response.contains("X-Content-Type-Options: nosniff"));
        assert!(
            !response.contains("A Tiny Brief") && !response.contains("<html"),
            "{host} was shown the site: {response}"
        );
    }
    // Through an absolute URL too.
    let response = exchange(
        port,
        &format!("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(status_of(&response), 421, "{response}");
}

#[test]
fn the_loopback_names_with_the_listening_port_are_served() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
    ] {
        let response = exchange(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_of(&response), 200, "{host}: {response}");
        assert!(response.contains("A Tiny Brief"), "{host}");
        assert!(response.contains("X-Content-Type-Options: nosniff"));
        assert!(response.contains("Cache-Control: no-store"));
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let response = exchange(
            server.port,
            &format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_of(&response), 405, "{method}: {response}");
        assert!(response.contains("\r\nAllow: GET, HEAD\r\n"), "{response}");
        assert!(!response.contains("A Tiny Brief"), "{method}");
    }
}

#[test]
fn head_gets_the_headers_of_get_and_no_body() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let (_, _, page) = server.get("/first/");
    let response = exchange(
        server.port,
        "HEAD /first/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&response), 200, "{response}");
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(
        head.contains(&format!("\r\nContent-Length: {}\r\n", page.len())),
        "{head}"
    );
    assert_eq!(body, "", "HEAD has no body");
}

#[test]
fn a_stalled_request_body_does_not_hold_up_other_clients() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000\r\n\r\n")
        .unwrap();
    // The 2000 bytes never come, and the connection stays open.
    assert_answered_promptly(server.port);
    stalled
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut response = Vec::new();
    let _ = stalled.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert_eq!(status_of(&response), 405, "{response}");
    assert!(
        response.contains("Connection: close"),
        "closed without waiting for the body: {response}"
    );
}

#[test]
fn a_silent_connection_does_not_block_others() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let _silent = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut half = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: 127.").unwrap();
    assert_answered_promptly(server.port);
}

#[test]
fn a_request_head_over_16_kib_gets_431() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let big = "a".repeat(17 * 1024);
    let response = exchange(
        server.port,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n"),
    );
    assert_eq!(status_of(&response), 431, "{response}");
    assert_answered_promptly(server.port);
}

#[test]
fn malformed_requests_and_a_missing_host_get_400() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    for request in [
        "GET / HTTP/1.1\r\n\r\n",
        "GET /\r\nHost: 127.0.0.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
        "\u{1}\r\n\r\n",
    ] {
        let response = exchange(server.port, request);
        assert_eq!(status_of(&response), 400, "{request:?}: {response}");
        assert!(!response.contains("A Tiny Brief"));
    }
    let response = exchange(server.port, "GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(status_of(&response), 505, "{response}");
}

#[test]
fn keep_alive_answers_two_gets_on_one_connection() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let (status, head, body) = read_response(&mut stream);
    assert_eq!(status, 200);
    assert!(head.contains("Connection: keep-alive"), "{head}");
    assert!(body.contains("A Tiny Brief"));
    stream
        .write_all(b"GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (status, head, _) = read_response(&mut stream);
    assert_eq!(status, 200);
    assert!(
        head.contains("text/css") && head.contains("Connection: close"),
        "{head}"
    );
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.is_empty(), "the server closes after Connection: close");
}

#[test]
fn beyond_64_connections_the_server_answers_503() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let held: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let mut one_more = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    one_more
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut response = Vec::new();
    let _ = one_more.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert_eq!(status_of(&response), 503, "{response}");
    // Closed connections give their places back.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let response = exchange(
            server.port,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        );
        if status_of(&response) == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "{response}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn binds_only_the_loopback_address() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    // /proc/net/tcp lists listening sockets (state 0A) as HEXADDR:HEXPORT; 0100007F is 127.0.0.1.
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let port = format!(":{:04X}", server.port);
    let listening: Vec<&str> = table
        .lines()
        .filter(|line| line.split_whitespace().nth(3) == Some("0A"))
        .filter_map(|line| line.split_whitespace().nth(1))
        .filter(|local| local.ends_with(&port))
        .collect();
    assert_eq!(listening, [format!("0100007F{port}")]);
}

#[test]
fn a_taken_port_is_a_clear_error_naming_a_free_one() {
    let fixture = Fixture::copy("tiny");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let stderr = Server::start(fixture.path(), port)
        .err()
        .expect("the port is taken");
    assert!(
        stderr.contains(&format!("cannot serve on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("is in use; try `--port "), "{stderr}");
}

#[test]
fn new_creates_a_brief_that_builds_without_warnings_and_refuses_a_full_folder() {
    let parent = tempfile::tempdir().unwrap();
    let run = common::run_brief(&["new", "my-brief"], parent.path());
    run.assert_success();
    assert!(
        run.stdout.contains("brief serve my-brief"),
        "{}",
        run.stdout
    );
    let dir = parent.path().join("my-brief");
    assert!(
        !dir.join("templates").exists(),
        "the built-in templates serve"
    );
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignored.contains("public/") && ignored.contains(".brief-cache/"));
    let build = common::run_brief(&["build", "my-brief"], parent.path());
    build.assert_success();
    assert!(
        build
            .stdout
            .contains("built 4 pages, a PDF of 4 pages, 5 citations, 2 sources, 1 figures in"),
        "{}",
        build.stdout
    );
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let page = std::fs::read_to_string(dir.join("public/analysis/index.html")).unwrap();
    assert!(
        page.contains("href=../introduction/#fig-example>Figure 1</a>"),
        "cross-reference across pages"
    );
    let again = common::run_brief(&["new", "my-brief"], parent.path());
    again.assert_error(&["my-brief is not empty"]);
}

#[test]
fn serve_survives_every_bad_edit_and_recovers() {
    let fixture = Fixture::copy("tiny");
    let server = Server::start(fixture.path(), 0).unwrap();
    let mut events = server.events();
    let deep_quote = format!(
        "---\ntitle: Deep\norder: 3\n---\n\n{} deep\n",
        ">".repeat(3000)
    );
    let huge = "# unit: \"tonnes\"\ncountry,tonnes\nAlpha,300\nBeta,1.7e308\n";
    let index = fs::read_to_string(fixture.path().join("content/_index.md")).unwrap();
    let bad_edits: [(&str, String, &str); 4] = [
        ("content/03-deep.md", deep_quote, "nested 101 levels deep"),
        ("data/shares.csv", huge.to_string(), "is too large to draw"),
        (
            "templates/index.html",
            "{% include \"index.html\" %}".to_string(),
            "calls itself",
        ),
        (
            "content/_index.md",
            index.replace(
                "title: \"A Tiny Brief\"",
                &format!("title: {}", "[".repeat(100_000)),
            ),
            "nested more than 64 deep",
        ),
    ];
    for (file, text, message) in bad_edits {
        let before = fs::read(fixture.path().join(file)).ok();
        fixture.write(file, &text);
        events.wait_for(message);
        // Still serving the last good site, promptly.
        assert!(server.get("/").2.contains("First Things"));
        match before {
            Some(bytes) => fs::write(fixture.path().join(file), bytes).unwrap(),
            None => fixture.remove(file),
        }
        events.wait_for("data: reload");
    }
}
