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

/// Follows the nesting of the Markdown events, raw HTML included. One gauge follows the whole
/// document, since the home page puts every section in one page: elements one section leaves
/// open are still open in the next.
#[derive(Debug, Default)]
pub struct NestingGauge {
    markdown: usize,
    html: HtmlNesting,
}

impl NestingGauge {
    /// Takes the next event; `Some(depth)` when it goes deeper than [`MAX_NESTING`].
    pub fn observe(&mut self, event: &Event<'_>) -> Option<usize> {
        let deepest_html = match event {
            Event::Start(_) => {
                self.markdown += 1;
                self.html.open.len()
            }
            Event::End(_) => {
                self.markdown = self.markdown.saturating_sub(1);
                self.html.open.len()
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html.read(html),
            _ => return None,
        };
        let depth = self.markdown + deepest_html;
        (depth > MAX_NESTING).then_some(depth)
    }

    /// Called between sections: Markdown nesting never crosses them.
    pub fn end_section(&mut self) {
        self.markdown = 0;
    }
}

/// Elements that never hold others, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The raw HTML elements open so far, as an HTML parser (the minifier's) sees them: `<div/>`
/// opens a `div` (only void elements and SVG or MathML close themselves), and a closing tag
/// closes only an element that is open.
#[derive(Debug, Default)]
pub struct HtmlNesting {
    open: Vec<String>,
}

impl HtmlNesting {
    /// Reads more HTML; returns the most elements open at once while reading it. (Every page is
    /// read once before minifying, so this looks at bytes and allocates only per open element.)
    pub fn read(&mut self, html: &str) -> usize {
        let mut deepest = self.open.len();
        let bytes = html.as_bytes();
        let mut at = 0;
        while let Some(found) = html[at..].find('<') {
            at += found + 1;
            let rest = &html[at..];
            if let Some(after) = rest.strip_prefix("!--") {
                at = after.find("-->").map_or(html.len(), |end| at + 3 + end + 3);
                continue;
            }
            let closing = rest.starts_with('/');
            let name_start = at + usize::from(closing);
            let name_len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':'))
                .count();
            if name_len == 0 {
                continue;
            }
            let name = &html[name_start..name_start + name_len];
            let end = at + tag_end(rest);
            let self_closing = html[at..end].trim_end().ends_with('/') && self.in_foreign_content();
            at = end.min(html.len());
            if closing {
                if let Some(open) = self
                    .open
                    .iter()
                    .rposition(|open| open.eq_ignore_ascii_case(name))
                {
                    self.open.truncate(open);
                }
            } else if !self_closing
                && !VOID_ELEMENTS
                    .iter()
                    .any(|void| void.eq_ignore_ascii_case(name))
            {
                self.open.push(name.to_ascii_lowercase());
                deepest = deepest.max(self.open.len());
            }
        }
        deepest
    }

    fn in_foreign_content(&self) -> bool {
        self.open.iter().any(|name| name == "svg" || name == "math")
    }
}

/// Where a tag that starts `text` ends: its `>` outside quoted attribute values.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i,
            _ => {}
        }
    }
    text.len()
}

/// Whether a whole page nests its elements deeper than the minifier can take (a last guard
/// behind [`NestingGauge`]: such a page is written as it is, not minified).
pub fn page_too_deep(html: &str) -> bool {
    HtmlNesting::default().read(html) > 4 * MAX_NESTING
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
    let mut at = 0;
    while let Some(open) = text[at..].find('<').map(|i| at + i) {
        let rest = &text[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            at = comment
                .find("-->")
                .map_or(text.len(), |end| open + 4 + end + 3);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        at = (open + 1 + end).min(text.len());
        if tag.starts_with(['?', '!']) {
            continue;
        }
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if !tag.trim_end().ends_with('/') {
            depth += 1;
            if depth > MAX_XML_NESTING {
                return Some(open);
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
        // What the minifier nests: `<div/>` opens, a stray closing tag closes nothing.
        for trick in ["<div/>", "<div title=\"/>\">", "<div></p>"] {
            assert!(deepest_markdown(&trick.repeat(300)).is_some(), "{trick}");
        }
        let svg = format!("<svg>{}</svg>", "<path d=\"M0 0\"/>".repeat(500));
        assert_eq!(
            deepest_markdown(&svg),
            None,
            "SVG elements close themselves"
        );
        let mut nesting = HtmlNesting::default();
        assert_eq!(nesting.read("<a><b></b><br/></a>"), 2);
        assert!(nesting.open.is_empty());
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
        let tricked = format!("<s>{}", "<g delimiter=\"/>\">".repeat(70));
        assert!(xml_too_deep(&tricked).is_some());
        assert_eq!(xml_too_deep("<a><!-- <b> <c> --><d/></a>"), None);
    }
}
