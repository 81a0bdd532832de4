//! Escaping and URL checks for everything that comes from data (titles, URLs, notes).

/// Escapes text for HTML content and double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `Some(url)` when it may become a link: http(s), mailto or relative. Control characters and
/// whitespace inside the scheme (`java\tscript:`) are how filters get fooled, so any URL holding
/// them is refused; so is `//host/…` (and browsers' `/\host`, `\\host`), which leaves the site
/// for another host while looking relative.
pub fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let start: String = url.chars().take(2).collect();
    if matches!(start.as_str(), "//" | "/\\" | "\\/" | "\\\\") {
        return None;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(end) if end < path_start => {
            let scheme = url[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(url)
        }
        _ => Some(url),
    }
}

/// Whether `html` is markup the citation writer could have made: text with escaped entities,
/// and only `<a href>` (a safe URL), `<span class>`, `<i>`, `<b>`, `<u>`, `<sup>`, `<sub>`,
/// without other attributes. Formatted citations kept in `.brief-cache/` are checked with it
/// before they reach a page: the cache is a file anyone could have put in the brief.
pub fn is_inert_markup(html: &str) -> bool {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if rest[..open].contains('>') {
            return false;
        }
        rest = &rest[open + 1..];
        let Some(close) = rest.find('>') else {
            return false;
        };
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        let allowed = match name {
            "/a" | "/span" | "/i" | "/b" | "/u" | "/sup" | "/sub" | "i" | "b" | "u" | "sup"
            | "sub" => attributes.is_empty(),
            "a" => attributes
                .strip_prefix("href=\"")
                .and_then(|value| value.strip_suffix('"'))
                .is_some_and(|value| {
                    !value.contains(['"', '<', '>']) && safe_url(&unescape(value)).is_some()
                }),
            "span" => attributes
                .strip_prefix("class=\"")
                .and_then(|value| value.strip_suffix('"'))
                .is_some_and(|value| {
                    value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
                }),
            _ => false,
        };
        if !allowed {
            return false;
        }
    }
    !rest.contains('>')
}

/// Whether the URL leaves the site (http or https).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The values of `name="…"` attributes in generated HTML (always double-quoted before minifying).
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    values
}

/// Undoes the entity escaping templates apply to attribute values (Tera writes `/` as `&#x2F;`).
fn unescape(value: &str) -> String {
    value
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of an HTML fragment brief wrote (a formatted citation): tags dropped, the five
/// entities `escape` writes read back. For `alt` text, which holds no markup.
pub fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `%20` and the like read back; `None` for a `%` not followed by two hex digits, or bytes
/// that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
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

/// A path as a URL path: nothing but URL path characters (spaces and line breaks encoded), so
/// that it fits an HTTP header or an attribute.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b>AT&T</b> "x" 'y'"#),
            "&lt;b&gt;AT&amp;T&lt;/b&gt; &quot;x&quot; &#39;y&#39;"
        );
    }

    #[test]
    fn only_the_citation_writers_own_markup_is_inert() {
        assert!(is_inert_markup(
            "Doe, J. (2020). <i>Title &amp; more</i>. <a href=\"https://doi.org/10.1/x\">https://doi.org/10.1/x</a> <span class=\"sc\">X</span>"
        ));
        for planted in [
            "<script>alert(1)</script>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"https://x\" onclick=\"alert(1)\">x</a>",
            "<img src=x onerror=alert(1)>",
            "<span style=\"background:url(https://evil)\">x</span>",
            "a > b",
        ] {
            assert!(!is_inert_markup(planted), "{planted}");
        }
    }

    #[test]
    fn only_web_mail_and_relative_urls_pass() {
        assert_eq!(
            safe_url("https://example.org/a?b#c"),
            Some("https://example.org/a?b#c")
        );
        assert_eq!(safe_url("mailto:a@b.org"), Some("mailto:a@b.org"));
        assert_eq!(
            safe_url("../references/#ref-x"),
            Some("../references/#ref-x")
        );
        assert_eq!(safe_url("#ref-x"), Some("#ref-x"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JavaScript:alert(1)"), None);
        assert_eq!(safe_url("java\tscript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url(" "), None);
        for other_host in ["//evil.example/", "/\\evil.example/", "\\\\evil.example"] {
            assert_eq!(safe_url(other_host), None, "{other_host}");
        }
        assert_eq!(safe_url("/brief/page/"), Some("/brief/page/"));
    }
}
