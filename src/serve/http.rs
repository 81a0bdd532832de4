//! The development server: HTTP/1.1 on 127.0.0.1 only, answering from the in-memory site
//! ([`super::site`]) and with a server-sent event stream that tells pages to reload or to show
//! the build error.
//!
//! Local clients may be hostile: a page on another origin can reach this port through DNS
//! rebinding, and any program can open sockets. So a `Host` that does not name this server is
//! refused ([`super::request`]), only GET and HEAD are answered, no request body is ever read,
//! and every connection has its own thread, deadlines and a size cap: a stalled client holds up
//! only itself.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::request::{self, ReadError};
use super::{site, Event, Shared};
use crate::diagnostic::Diagnostic;

/// Where pages listen for reloads; no brief has a file there.
pub const EVENTS_PATH: &str = "/__brief/events";

/// Connections served at once (event streams included); more are answered 503.
const MAX_CONNECTIONS: usize = 64;
const MAX_REQUESTS_PER_CONNECTION: usize = 100;
/// For the whole request head, not for each read.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Between the requests of a kept-alive connection.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// For each write: a client that stops reading is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// A comment this often keeps proxies and the browser from dropping a quiet event stream.
const PING_INTERVAL: Duration = Duration::from_secs(15);
/// How long, and how much, is read and thrown away before a connection closes (see
/// [`close_gently`]).
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 64 * 1024;

/// A listening socket on 127.0.0.1.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
}

impl Server {
    /// The address served, with the port the system chose if 0 was asked for.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

/// Listens on 127.0.0.1:`port`; a taken port is an error that names the next free one.
pub fn bind(port: u16) -> Result<Server, Diagnostic> {
    let refused = |error: std::io::Error| {
        let diagnostic = Diagnostic::new(format!("cannot serve on 127.0.0.1:{port}: {error}"));
        let free = (error.kind() == std::io::ErrorKind::AddrInUse)
            .then(|| {
                (port.saturating_add(1)..=port.saturating_add(100))
                    .find(|candidate| TcpListener::bind(("127.0.0.1", *candidate)).is_ok())
            })
            .flatten();
        match free {
            Some(free) => diagnostic.hint(format!("port {port} is in use; try `--port {free}`")),
            None => {
                diagnostic.hint("try another port with `--port N`, or `--port 0` for any free one")
            }
        }
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(refused)?;
    let address = listener.local_addr().map_err(refused)?;
    Ok(Server { listener, address })
}

/// Answers connections until the process ends, each on a thread of its own.
pub fn run(server: &Server, shared: &Arc<Shared>) {
    let active = Arc::new(AtomicUsize::new(0));
    let port = server.address.port();
    for stream in server.listener.incoming() {
        let Ok(stream) = stream else {
            // Most likely out of file descriptors: let open connections finish first.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            turn_away(stream);
            continue;
        }
        let slot = Slot(Arc::clone(&active));
        let shared = Arc::clone(shared);
        // If the thread cannot start, the closure is dropped: the stream closes, the slot frees.
        let _ = std::thread::Builder::new()
            .name("brief-http".into())
            .spawn(move || {
                let _slot = slot;
                serve_connection(stream, port, &shared);
            });
    }
}

/// One of the [`MAX_CONNECTIONS`], given back when the connection's thread ends (even by a panic).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers 503 without ever blocking the accepting thread: a client that is not reading loses
/// the answer, and no one else waits.
fn turn_away(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let reply = Reply::text(503, "too many connections; try again\n");
    let _ = write_reply(&mut stream, &reply, false, false);
}

/// Requests on one connection, one after another, until it closes or a limit is reached.
fn serve_connection(mut stream: TcpStream, port: u16, shared: &Shared) {
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    // Head and body go out in two writes; the body must not wait for the head's ACK.
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    for served in 1..=MAX_REQUESTS_PER_CONNECTION {
        let wait = if served == 1 {
            HEAD_TIMEOUT
        } else {
            IDLE_TIMEOUT
        };
        let head = match request::read_head(&mut stream, &mut buffer, wait, HEAD_TIMEOUT) {
            Ok(head) => head,
            Err(ReadError::Gone) => return,
            Err(ReadError::TooLarge) => {
                let reply = Reply::text(431, "the request head is larger than 16 KiB\n");
                refuse(stream, &reply);
                return;
            }
        };
        let request = match request::parse(&head, port) {
            Ok(request) => request,
            Err(refusal) => {
                refuse(stream, &Reply::text(refusal.status, refusal.message));
                return;
            }
        };
        // An announced body is never read, so nothing after it could be told apart from it.
        let keep_alive =
            request.keep_alive && !request.has_body && served < MAX_REQUESTS_PER_CONNECTION;
        let head_only = request.method == "HEAD";
        let reply = if !head_only && request.method != "GET" {
            let mut reply = Reply::text(405, "only GET and HEAD are answered\n");
            reply.headers.push(("Allow", "GET, HEAD".into()));
            reply
        } else if request.target.split('?').next() == Some(EVENTS_PATH) {
            stream_events(stream, head_only, shared);
            return;
        } else {
            site::respond(&request.target, shared)
        };
        if write_reply(&mut stream, &reply, head_only, keep_alive).is_err() {
            return;
        }
        if !keep_alive {
            close_gently(stream);
            return;
        }
    }
}

fn refuse(mut stream: TcpStream, reply: &Reply) {
    if write_reply(&mut stream, reply, false, false).is_ok() {
        close_gently(stream);
    }
}

/// Closing a socket with unread bytes in it sends a reset, which can destroy the answer before
/// the client reads it; so the writing side closes first, and a little of what the client still
/// sends (an unread body, a too-large head) is read and thrown away, for a moment at most.
fn close_gently(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut chunk = [0u8; 4096];
    let mut discarded = 0;
    while discarded < LINGER_BYTES {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() || stream.set_read_timeout(Some(remaining)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => discarded += n,
        }
    }
}

/// An answer with a body of known length.
pub struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    /// Beyond the ones every answer has (`Location`, `Allow`).
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            body,
            headers: Vec::new(),
        }
    }

    pub fn html(status: u16, body: Vec<u8>) -> Reply {
        Reply::new(status, "text/html; charset=utf-8", body)
    }

    pub fn text(status: u16, body: impl Into<String>) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            body.into().into_bytes(),
        )
    }
}

/// Writes `reply`; HEAD gets the same headers, `Content-Length` included, and no body.
fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// A server-sent event stream for one page, open until the page goes away. It has no length,
/// so it ends the connection.
fn stream_events(mut stream: TcpStream, head_only: bool, shared: &Shared) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if head_only {
        if stream.write_all(head.as_bytes()).is_ok() {
            close_gently(stream);
        }
        return;
    }
    let (sender, receiver) = channel();
    // Listen before looking at the current error, so that no failure falls between the two.
    if let Ok(mut clients) = shared.clients.lock() {
        clients.push(sender);
    }
    let current_error = shared.error.read().ok().and_then(|e| e.clone());
    let opening = format!("{head}: connected\n\n");
    if stream
        .write_all(opening.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    if let Some(error) = current_error {
        if write_event(&mut stream, &Event::Failure(error)).is_err() {
            return;
        }
    }
    // Returning drops the receiver, so the next broadcast forgets this page.
    loop {
        let sent = match receiver.recv_timeout(PING_INTERVAL) {
            Ok(event) => write_event(&mut stream, &event),
            Err(RecvTimeoutError::Timeout) => stream
                .write_all(b": ping\n\n")
                .and_then(|()| stream.flush()),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}

fn write_event(writer: &mut impl Write, event: &Event) -> std::io::Result<()> {
    let text = match event {
        Event::Reload => "data: reload\n\n".to_string(),
        Event::Failure(message) => {
            let json =
                serde_json::to_string(message).unwrap_or_else(|_| "\"build failed\"".to_string());
            format!("event: failure\ndata: {json}\n\n")
        }
    };
    writer.write_all(text.as_bytes())?;
    writer.flush()
}
