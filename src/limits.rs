//! The bounds on input that keep every build finite: how deep Markdown, HTML, YAML, BibTeX and
//! CSL may nest (the parsers and the minifier recurse, and a stack overflow aborts the process
//! with no message, `serve` included), and how large a chart's numbers may be. Each is far
//! beyond what a real brief needs; each is checked before the code that would recurse, so that
//! going past it is an error at its place. (File sizes are bounded where files are read:
//! [`crate::paths::MAX_FILE_BYTES`].)

use pulldown_cmark::Event;

/// Levels of nesting a page's text may have: block quotes, lists, emphasis and raw HTML
/// elements together.
pub const MAX_NESTING: usize = 100;

/// Levels of `[` and `{` a YAML text may open (serde_yaml's scanner slows quadratically with
/// them: 100,000 took 25 s).
pub const MAX_YAML_NESTING: usize = 64;

/// Levels of elements a CSL style may nest (its XML reader recurses on each).
pub const MAX_XML_NESTING: usize = 64;

/// Levels of braces a BibTeX value may nest.
pub const MAX_BRACE_NESTING: usize = 64;

/// The largest text a BibTeX `@string` or field may expand to: doubling abbreviations
/// (`s2 = s1 # s1`, …) turned a 654-byte file into a 241 MB site.
pub const MAX_EXPANDED_BYTES: u64 = 64 * 1024;

/// The largest magnitude a chart draws: beyond it axes cannot be labelled (and `1.7e308`
/// hung the tick placement).
pub const MAX_CHART_MAGNITUDE: f64 = 1e15;

/// Follows the nesting of a section's Markdown events, raw HTML included.
#[derive(Debug, Default)]
pub struct NestingGauge {
    markdown: usize,
    html: usize,
}

impl NestingGauge {
    /// Takes the next event; `Some(depth)` when it goes deeper than [`MAX_NESTING`].
    pub fn observe(&mut self, event: &Event<'_>) -> Option<usize> {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                let (deepest, net) = html_nesting(html);
                let deepest = self.html as isize + deepest;
                self.html = (self.html as isize + net).max(0) as usize;
                let depth = self.markdown + deepest.max(0) as usize;
                return (depth > MAX_NESTING).then_some(depth);
            }
            _ => return None,
        }
        let depth = self.markdown + self.html;
        (depth > MAX_NESTING).then_some(depth)
    }
}

/// Elements that never hold others, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// How far a piece of raw HTML goes below where it starts, and where it ends up, counting
/// opening and closing tags (comments and void elements aside).
fn html_nesting(html: &str) -> (isize, isize) {
    let (mut depth, mut deepest) = (0isize, 0isize);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..tag_end].ends_with('/');
        if closing {
            depth -= 1;
        } else if !self_closing && !VOID_ELEMENTS.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    (deepest, depth)
}

/// The offset of the first `[` or `{` nested deeper than [`MAX_YAML_NESTING`] in YAML text
/// (quoted strings and comments aside).
pub fn yaml_too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_YAML_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => i = skip_quoted(bytes, i, b'"'),
            b'\'' if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() => {
                i = skip_quoted(bytes, i, b'\'')
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the closing quote of the string opening at `open` (or the end).
fn skip_quoted(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b if b == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The offset of the first element nested deeper than [`MAX_XML_NESTING`] in XML text.
pub fn xml_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, _) in text.match_indices('<') {
        let tag = text[at + 1..].split('>').next().unwrap_or("");
        if tag.starts_with(['?', '!']) {
            continue;
        }
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if !tag.ends_with('/') {
            depth += 1;
            if depth > MAX_XML_NESTING {
                return Some(at);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn deepest_markdown(text: &str) -> Option<usize> {
        let mut gauge = NestingGauge::default();
        Parser::new(text).find_map(|event| gauge.observe(&event))
    }

    #[test]
    fn deep_markdown_and_html_are_caught_and_ordinary_text_is_not() {
        assert_eq!(deepest_markdown("> > > quote\n\n- a\n  - b\n"), None);
        assert!(deepest_markdown(&">".repeat(3000)).is_some());
        let stars = format!("{}a{}", "*".repeat(2000), "*".repeat(2000));
        assert!(deepest_markdown(&stars).is_some());
        let divs = format!("{}x{}", "<div>".repeat(500), "</div>".repeat(500));
        assert!(deepest_markdown(&divs).is_some());
        assert_eq!(
            deepest_markdown("<div><br><img src=x><p>a</p></div>\n\n<!-- <div> -->"),
            None
        );
        assert_eq!(html_nesting("<a><b></b><br/></a>"), (2, 0));
    }

    #[test]
    fn deep_yaml_and_xml_are_caught_and_quotes_and_comments_do_not_count() {
        assert_eq!(
            yaml_too_deep("a: [1, [2, {b: 3}]]\nc: \"[[[[\" # [[[[\n"),
            None
        );
        assert_eq!(yaml_too_deep(&"[".repeat(65)), Some(64));
        assert_eq!(yaml_too_deep(&format!("t: '{}'", "[".repeat(100))), None);
        assert_eq!(
            xml_too_deep("<?xml version=\"1.0\"?><a><b/><c>x</c></a>"),
            None
        );
        let deep = format!("<s>{}", "<g>".repeat(70));
        assert_eq!(xml_too_deep(&deep), Some(3 + 63 * 3));
    }
}
