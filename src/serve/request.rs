//! The head of one HTTP/1.x request: read from the socket within a deadline and a size cap, then
//! checked (request line, header syntax, and a `Host` that names this server) before the site is
//! looked at. Bodies are never read; the head only says whether one was announced.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Request line and headers together, the blank line that ends them included.
pub const MAX_HEAD: usize = 16 * 1024;

/// Why no head was read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection, failed, or missed the deadline: there is no one to answer.
    Gone,
    /// The head passed [`MAX_HEAD`] (answered with 431).
    TooLarge,
}

/// A request this server will look at.
#[derive(Debug)]
pub struct RequestHead {
    pub method: String,
    /// The path and query (`/first/?x=1`), also when the client sent an absolute URL.
    pub target: String,
    /// Whether the client lets the connection stay open after the answer.
    pub keep_alive: bool,
    /// A body was announced. It is never read, so the connection must close after the answer.
    pub has_body: bool,
}

/// A head refused before the site is looked at: the status and a short plain-text reason.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

/// Reads one head from `stream`. It must start within `first_byte` and be complete within
/// `whole`, both counted from now: the deadline is for the whole head, so a client that sends a
/// byte now and then cannot hold the connection. Bytes after the head (the start of a pipelined
/// request) stay in `buffer` for the next call.
pub fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    first_byte: Duration,
    whole: Duration,
) -> Result<Vec<u8>, ReadError> {
    let started = Instant::now();
    let mut chunk = [0u8; 4096];
    loop {
        // RFC 9112 §2.2: blank lines before a request line are to be ignored.
        let blank = buffer
            .iter()
            .take_while(|byte| matches!(byte, b'\r' | b'\n'))
            .count();
        buffer.drain(..blank);
        if let Some(end) = head_end(buffer) {
            if end > MAX_HEAD {
                return Err(ReadError::TooLarge);
            }
            let rest = buffer.split_off(end);
            return Ok(std::mem::replace(buffer, rest));
        }
        if buffer.len() >= MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        let limit = if buffer.is_empty() { first_byte } else { whole };
        let remaining = limit.saturating_sub(started.elapsed());
        if remaining.is_zero() || stream.set_read_timeout(Some(remaining)).is_err() {
            return Err(ReadError::Gone);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(ReadError::Gone),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            // The loop checks the deadline again.
            Err(error)
                if matches!(
                    error.kind(),
                    ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut
                ) => {}
            Err(_) => return Err(ReadError::Gone),
        }
    }
}

/// Where the head ends: just after the first empty line (CRLF or a bare LF).
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().find_map(|(at, &byte)| {
        if byte != b'\n' {
            return None;
        }
        match bytes.get(at + 1..) {
            Some([b'\n', ..]) => Some(at + 2),
            Some([b'\r', b'\n', ..]) => Some(at + 3),
            _ => None,
        }
    })
}

/// Checks a head read by [`read_head`] for a server listening on 127.0.0.1:`port`.
pub fn parse(head: &[u8], port: u16) -> Result<RequestHead, Refusal> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(bad("malformed method"));
    }
    if target.is_empty() || !target.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(bad("malformed request target"));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        other if other.starts_with("HTTP/") => {
            return Err(Refusal {
                status: 505,
                message: "only HTTP/1.0 and HTTP/1.1 are served\n".into(),
            })
        }
        _ => return Err(bad("malformed HTTP version")),
    };
    let (authority, target) = split_target(target)?;

    let mut host = None;
    let (mut close, mut keep) = (false, false);
    let mut length: Option<u64> = None;
    let mut transfer_encoding = false;
    for line in lines.take_while(|line| !line.is_empty()) {
        if line.starts_with([' ', '\t']) {
            return Err(bad("folded header lines are not accepted"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("malformed header line"));
        };
        // A space before the colon is refused too (RFC 9112 §5.1): proxies disagree on it.
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(bad("malformed header name"));
        }
        let value = value.trim_matches([' ', '\t']);
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(bad("control character in a header value"));
        }
        if name.eq_ignore_ascii_case("host") {
            if host.replace(value).is_some() {
                return Err(bad("more than one Host header"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value.split(',').map(str::trim) {
                close |= option.eq_ignore_ascii_case("close");
                keep |= option.eq_ignore_ascii_case("keep-alive");
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            let parsed = value
                .bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| value.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| bad("malformed Content-Length"))?;
            if length
                .replace(parsed)
                .is_some_and(|earlier| earlier != parsed)
            {
                return Err(bad("conflicting Content-Length headers"));
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            transfer_encoding = true;
        }
    }

    if host.is_none() && authority.is_none() && http11 {
        return Err(bad("an HTTP/1.1 request needs a Host header"));
    }
    // A page on another origin can reach this port through DNS rebinding; its requests carry
    // that origin's name, so only the names of this server are answered.
    if let Some(foreign) = [host, authority]
        .into_iter()
        .flatten()
        .find(|name| !names_this_server(name, port))
    {
        let shown: String = foreign.chars().take(100).collect();
        return Err(Refusal {
            status: 421,
            message: format!(
                "this server answers only to 127.0.0.1:{port} and localhost:{port}, not {shown:?}\n"
            ),
        });
    }
    Ok(RequestHead {
        method: method.to_string(),
        target,
        keep_alive: if http11 { !close } else { keep && !close },
        has_body: transfer_encoding || length.is_some_and(|length| length > 0),
    })
}

/// The authority of an absolute URL (`http://localhost:8000/x`), and the path and query.
fn split_target(target: &str) -> Result<(Option<&str>, String), Refusal> {
    if target.starts_with('/') || target == "*" {
        return Ok((None, target.to_string()));
    }
    let scheme = target
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"));
    let Some(rest) = scheme.and_then(|_| target.get(7..)) else {
        return Err(bad("malformed request target"));
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Ok((Some(authority), path))
}

/// `127.0.0.1` or `localhost` (in any case), with no port or with the one this server listens on.
pub fn names_this_server(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, given)) => (name, Some(given)),
        None => (host, None),
    };
    let loopback = name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost");
    let same_port = given.is_none_or(|given| {
        (1..=5).contains(&given.len())
            && given.bytes().all(|byte| byte.is_ascii_digit())
            && given.parse() == Ok(port)
    });
    loopback && same_port
}

/// RFC 9110 §5.6.2 `tchar`: what a method or a header name may contain.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn bad(reason: &str) -> Refusal {
    Refusal {
        status: 400,
        message: format!("bad request: {reason}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    const PORT: u16 = 8123;

    fn parsed(head: &str) -> Result<RequestHead, u16> {
        parse(head.as_bytes(), PORT).map_err(|refusal| refusal.status)
    }

    #[test]
    fn only_the_loopback_names_with_this_port_are_this_server() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:8123",
            "localhost",
            "LocalHost:8123",
            "localhost:08123",
        ] {
            assert!(names_this_server(host, PORT), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8123",
            "127.0.0.1.evil.example",
            "127.0.0.1.evil.example:8123",
            "localhost.evil.example",
            "localhost:1234",
            "127.0.0.1:80",
            "localhost:",
            "localhost:8123:8123",
            "localhost:+8123",
            "localhost:000008123",
            "localhost.",
            "127.1",
            "[::1]:8123",
            "0.0.0.0:8123",
            "",
        ] {
            assert!(!names_this_server(host, PORT), "{host}");
        }
    }

    #[test]
    fn a_foreign_host_is_misdirected_and_a_missing_one_is_bad_on_http_1_1() {
        assert!(parsed("GET / HTTP/1.1\r\nHost: localhost:8123\r\n\r\n").is_ok());
        assert!(parsed("GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").is_ok());
        assert_eq!(
            parsed("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n").err(),
            Some(421)
        );
        assert_eq!(
            parsed("GET / HTTP/1.1\r\nHost: localhost:1234\r\n\r\n").err(),
            Some(421)
        );
        assert_eq!(parsed("GET / HTTP/1.1\r\n\r\n").err(), Some(400));
        assert!(parsed("GET / HTTP/1.0\r\n\r\n").is_ok());
        assert_eq!(
            parsed("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n").err(),
            Some(400)
        );
        // An absolute URL names a host too.
        assert_eq!(
            parsed("GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n").err(),
            Some(421)
        );
        let absolute = parsed("GET http://localhost:8123?x HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(absolute.target, "/?x");
    }

    #[test]
    fn malformed_heads_are_bad_requests() {
        for head in [
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET relative HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /\u{e9} HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: local\rhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / FTP/1.1\r\nHost: localhost\r\n\r\n",
        ] {
            assert_eq!(parsed(head).err(), Some(400), "{head:?}");
        }
        assert_eq!(
            parsed("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n").err(),
            Some(505)
        );
    }

    #[test]
    fn keep_alive_and_announced_bodies_are_read_from_the_headers() {
        let request = parsed("GET /a?b HTTP/1.1\nHost: localhost\n\n").unwrap();
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("GET", "/a?b")
        );
        assert!(request.keep_alive && !request.has_body);
        let close = parsed("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Close\r\n\r\n");
        assert!(!close.unwrap().keep_alive);
        assert!(!parsed("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        let keep = parsed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap();
        assert!(keep.keep_alive);
        let post = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n";
        assert!(parsed(post).unwrap().has_body);
        let chunked = "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(parsed(chunked).unwrap().has_body);
        let empty = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n";
        assert!(!parsed(empty).unwrap().has_body);
    }

    /// A connected pair of sockets on 127.0.0.1.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn heads_are_read_one_at_a_time_and_capped() {
        let (mut client, mut server) = pair();
        client
            .write_all(b"\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n")
            .unwrap();
        let second = Duration::from_secs(1);
        let mut buffer = Vec::new();
        let head = read_head(&mut server, &mut buffer, second, second).unwrap();
        assert_eq!(head, b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(buffer, b"GET /b HTTP/1.1\r\n");
        client.write_all(b"\r\n").unwrap();
        let head = read_head(&mut server, &mut buffer, second, second).unwrap();
        assert_eq!(head, b"GET /b HTTP/1.1\r\n\r\n");

        let (mut client, mut server) = pair();
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        let writer = std::thread::spawn(move || client.write_all(big.as_bytes()));
        let mut buffer = Vec::new();
        let read = read_head(&mut server, &mut buffer, second, second);
        assert_eq!(read, Err(ReadError::TooLarge));
        drop(server);
        let _ = writer.join();
    }

    #[test]
    fn a_head_sent_byte_by_byte_is_dropped_at_its_deadline() {
        let (mut client, mut server) = pair();
        let writer = std::thread::spawn(move || {
            for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" {
                if client.write_all(&[*byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let started = Instant::now();
        let mut buffer = Vec::new();
        let whole = Duration::from_millis(300);
        let read = read_head(&mut server, &mut buffer, whole, whole);
        assert_eq!(read, Err(ReadError::Gone));
        assert!(started.elapsed() < Duration::from_millis(600));
        drop(server);
        let _ = writer.join();
    }
}
