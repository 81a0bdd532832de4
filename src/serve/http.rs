//! The development server: HTTP on 127.0.0.1 only, files from the in-memory site (so nothing
//! outside it can be reached), `index.html` for folders, the site's `404.html` for misses, and a
//! server-sent event stream that tells pages to reload or to show the build error.

use std::io::Write;
use std::net::TcpListener;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use super::{Event, Shared};
use crate::diagnostic::Diagnostic;
use crate::html::escape;

/// Where pages listen for reloads; no brief has a file there.
pub const EVENTS_PATH: &str = "/__brief/events";

/// Listens on 127.0.0.1:`port`; a taken port is an error that names the next free one.
pub fn bind(port: u16) -> Result<Server, Diagnostic> {
    Server::http(("127.0.0.1", port)).map_err(|error| {
        let mut diagnostic = Diagnostic::new(format!("cannot serve on 127.0.0.1:{port}: {error}"));
        if let Some(free) = (port.saturating_add(1)..=port.saturating_add(100))
            .find(|candidate| TcpListener::bind(("127.0.0.1", *candidate)).is_ok())
        {
            diagnostic = diagnostic.hint(format!("port {port} is in use; try `--port {free}`"));
        }
        diagnostic
    })
}

/// Answers requests until the process ends.
pub fn run(server: &Server, shared: &Arc<Shared>) {
    for request in server.incoming_requests() {
        if request.url().split('?').next() == Some(EVENTS_PATH) {
            let shared = Arc::clone(shared);
            std::thread::spawn(move || stream_events(request, &shared));
        } else {
            let response = respond(request.url(), shared);
            let _ = request.respond(response);
        }
    }
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn respond(url: &str, shared: &Shared) -> Reply {
    let site = shared.site.read().ok().and_then(|site| site.clone());
    let Some(site) = site else {
        // No good build yet: a page that shows the error and reloads once the brief builds.
        let error = shared
            .error
            .read()
            .ok()
            .and_then(|e| e.clone())
            .unwrap_or_default();
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
             <body><main><h1>The brief does not build yet</h1><pre>{}</pre></main></body></html>",
            escape(&error)
        );
        return html_reply(200, inject(page.as_bytes()));
    };
    let Some(path) = site_path(url) else {
        return not_found(&site.files);
    };
    if let Some(bytes) = site.files.get(&path) {
        let body = if path.ends_with(".html") {
            inject(bytes)
        } else {
            bytes.clone()
        };
        return reply(200, content_type(&path), body);
    }
    // A folder without its slash: send the browser to it, so that relative links work.
    let folder = if path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{path}/index.html")
    };
    if !path.ends_with('/') && site.files.contains_key(&folder) {
        let location = format!("/{path}/");
        let header = Header::from_bytes("Location", location.as_bytes()).ok();
        let mut response = reply(301, "text/plain; charset=utf-8", Vec::new());
        if let Some(header) = header {
            response.add_header(header);
        }
        return response;
    }
    not_found(&site.files)
}

/// The site's own path for a request: percent-decoded, `index.html` for folders, and `None`
/// for anything that tries to climb out (`..`, however it is encoded).
pub fn site_path(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(raw)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn not_found(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Reply {
    match files.get("404.html") {
        Some(page) => html_reply(404, inject(page)),
        None => reply(404, "text/plain; charset=utf-8", b"not found".to_vec()),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "bib" | "ris" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn html_reply(status: u16, body: Vec<u8>) -> Reply {
    reply(status, "text/html; charset=utf-8", body)
}

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    let mut response = Response::from_data(body).with_status_code(status);
    if let Ok(header) = Header::from_bytes("Content-Type", content_type.as_bytes()) {
        response.add_header(header);
    }
    if let Ok(header) = Header::from_bytes("Cache-Control", "no-store") {
        response.add_header(header);
    }
    response
}

/// The few lines that make a served page reload after a rebuild, keep its scroll position, and
/// show a failed build's message over the page. Only `serve` adds them; `build` never does.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var k="brief-scroll";try{var s=JSON.parse(sessionStorage.getItem(k)||"null");if(s&&s[0]===location.pathname){sessionStorage.removeItem(k);addEventListener("load",function(){scrollTo(s[1],s[2])})}}catch(e){}
var es=new EventSource("/__brief/events");es.onmessage=function(e){if(e.data==="reload"){try{sessionStorage.setItem(k,JSON.stringify([location.pathname,scrollX,scrollY]))}catch(x){}location.reload()}};
es.addEventListener("failure",function(e){var o=document.getElementById("brief-error");if(!o){o=document.createElement("pre");o.id="brief-error";o.setAttribute("role","alert");o.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#2b0b0b;color:#ffd7d7;font:13px/1.45 ui-monospace,monospace;z-index:2147483647;white-space:pre-wrap;border-top:3px solid #e55";document.body.appendChild(o)}o.textContent=JSON.parse(e.data)})})();</script>"#;

fn inject(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

/// A server-sent event stream for one page, open until the page goes away.
fn stream_events(request: Request, shared: &Shared) {
    let (sender, receiver) = channel();
    let current_error = shared.error.read().ok().and_then(|e| e.clone());
    if let Ok(mut clients) = shared.clients.lock() {
        clients.push(sender);
    }
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    if let Some(error) = current_error {
        if write_event(&mut writer, &Event::Failure(error)).is_err() {
            return;
        }
    }
    loop {
        let sent = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => write_event(&mut writer, &event),
            // A comment keeps proxies and the browser from dropping a quiet stream.
            Err(RecvTimeoutError::Timeout) => writer
                .write_all(b": ping\n\n")
                .and_then(|()| writer.flush()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/state-of-play/").as_deref(),
            Some("state-of-play/index.html")
        );
        assert_eq!(site_path("/style.css?v=1").as_deref(), Some("style.css"));
        assert_eq!(site_path("/a%20b.csv").as_deref(), Some("a b.csv"));
        for hostile in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/..%2f..%2fsecret",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(site_path(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_closing_body_tag() {
        let page = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(page.contains("<p>x</p><script>") && page.ends_with("</script></body></html>"));
    }
}
