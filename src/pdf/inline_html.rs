//! Formatted citations and reference entries as Typst markup. The CSL engine's output reaches the
//! resolved document as the small inert vocabulary of [`crate::html::is_inert_markup`] (`<i>`,
//! `<b>`, `<u>`, `<sup>`, `<sub>`, class-only `<span>`s, `<a href>`); each element maps to one
//! Typst function and every text between them is escaped. A link to a reference entry becomes a
//! link to that entry's label in the PDF.

use super::escape::{label, push_markup, string};
use crate::html::{is_inert_markup, safe_url, strip_tags};

/// The markup for `html`; anything outside the vocabulary is written as its plain text. `known`
/// says which anchors the PDF has: a link to another is only its text.
pub fn typst_markup(html: &str, known: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    if !is_inert_markup(html) {
        push_markup(&strip_tags(html), &mut out);
        return out;
    }
    let mut open = 0usize;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_markup(&unescape(&rest[..start]), &mut out);
        let Some(end) = rest[start..].find('>').map(|e| start + e) else {
            break;
        };
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('/') {
            if open > 0 {
                open -= 1;
                out.push(']');
            }
            continue;
        }
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        let call = match name {
            "i" => "#emph[".to_string(),
            "b" => "#strong[".to_string(),
            "u" => "#underline[".to_string(),
            "sup" => "#super[".to_string(),
            "sub" => "#sub[".to_string(),
            "span" if attributes.contains("small-caps") || attributes.contains("smallcaps") => {
                "#smallcaps[".to_string()
            }
            "a" => link_call(&unescape(attribute(attributes)), known),
            _ => "#[".to_string(),
        };
        out.push_str(&call);
        open += 1;
    }
    push_markup(&unescape(rest), &mut out);
    for _ in 0..open {
        out.push(']');
    }
    out
}

/// `href="…"`'s value.
fn attribute(attributes: &str) -> &str {
    attributes
        .split_once('"')
        .and_then(|(_, value)| value.rsplit_once('"'))
        .map_or("", |(value, _)| value)
}

/// A link to an entry (`#ref-key`, also from a section page: `../#ref-key`) stays inside the
/// PDF; a web or mail address is a link out; a page of the site has no place in a PDF.
fn link_call(href: &str, known: &dyn Fn(&str) -> bool) -> String {
    if let Some((_, anchor)) = href.split_once('#') {
        if known(anchor) {
            return format!("#link({})[", label(anchor));
        }
    }
    match safe_url(href) {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            format!("#link({})[", string(url))
        }
        Some(url) if url.starts_with("mailto:") => format!("#link({})[", string(url)),
        _ => "#[".to_string(),
    }
}

/// The text of escaped HTML.
pub fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').map(|end| &rest[1..end]);
        let decoded = entity.and_then(|entity| match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        });
        match (decoded, entity) {
            (Some(c), Some(entity)) => {
                out.push(c);
                rest = &rest[entity.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_and_links_become_typst_calls() {
        assert_eq!(
            typst_markup("<a href=\"#ref-usgs2024\">USGS</a>, 2024", &|a| a
                == "ref-usgs2024"),
            "#link(<ref-usgs2024>)[USGS]\\, 2024"
        );
        assert_eq!(
            typst_markup(
                "<i>Nature</i> <a href=\"https://doi.org/10.1/x\">https://doi.org/10.1/x</a>",
                &|_| false
            ),
            "#emph[Nature] #link(\"https://doi.org/10.1/x\")[https\\:\\/\\/doi\\.org\\/10\\.1\\/x]"
        );
    }

    #[test]
    fn entities_are_read_and_text_is_escaped() {
        assert_eq!(
            typst_markup("R&amp;D &lt;#set&gt;", &|_| false),
            "R\\&D \\<\\#set\\>"
        );
    }

    #[test]
    fn markup_outside_the_vocabulary_is_only_text() {
        assert_eq!(typst_markup("<script>x</script> y", &|_| true), "x y");
    }
}
