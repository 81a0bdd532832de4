//! What a request path gets from the in-memory site: its file (with the reload script in HTML
//! pages), `index.html` for folders, a redirect for a folder without its slash, the site's
//! `404.html` for misses, and nothing outside the site (`..` is refused in any encoding).

use std::collections::BTreeMap;

use super::http::Reply;
use super::Shared;
use crate::html::escape;

/// The answer to a GET (or HEAD) of `url`, a path with an optional query.
pub fn respond(url: &str, shared: &Shared) -> Reply {
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
        return Reply::html(200, inject(page.as_bytes()));
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
        return Reply::new(200, content_type(&path), body);
    }
    // A folder without its slash: send the browser to it, so that relative links work.
    let folder = if path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{path}/index.html")
    };
    if !path.ends_with('/') && site.files.contains_key(&folder) {
        let mut reply = Reply::text(301, "");
        reply.headers.push((
            "Location",
            crate::html::percent_encode(&format!("/{path}/")),
        ));
        return reply;
    }
    not_found(&site.files)
}

/// The site's own path for a request: percent-decoded, `index.html` for folders, and `None`
/// for anything that tries to climb out (`..`, however it is encoded).
pub fn site_path(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::html::percent_decode(raw)?;
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

fn not_found(files: &BTreeMap<String, Vec<u8>>) -> Reply {
    match files.get("404.html") {
        Some(page) => Reply::html(404, inject(page)),
        None => Reply::text(404, "not found"),
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
    fn a_redirect_location_cannot_break_its_header_line() {
        assert_eq!(
            crate::html::percent_encode("/a b/\r\nX: 1/"),
            "/a%20b/%0D%0AX:%201/"
        );
        assert_eq!(
            crate::html::percent_encode("/state-of-play/"),
            "/state-of-play/"
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_closing_body_tag() {
        let page = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(page.contains("<p>x</p><script>") && page.ends_with("</script></body></html>"));
    }
}
