//! What the engine renders into: a small tree of text with formatting, quotes and cite marks,
//! which every writer (the test suite's HTML, brief's pages, plain text) turns into its format.
//! Joining two pieces goes through [`append`], which applies CSL's punctuation rules at the seam
//! (no doubled full stop, punctuation moved into quotes where the locale wants it).

use citationberg::Display;

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Format(Format, Vec<Inline>),
    /// Quotation marks: double at the outside, flipping to single inside double ones.
    Quoted(Vec<Inline>),
    /// Single quotation marks from the item's text (‘…’), flipping to double inside single ones.
    SingleQuoted(Vec<Inline>),
    /// Text that text-case must not change (`<span class="nocase">`).
    NoCase(Vec<Inline>),
    /// `display`: a block, an indent, a left margin or the inline part after it.
    Display(Display, Vec<Inline>),
    /// A link to a URL or DOI; written as a link only by writers that want links.
    Link(String, Vec<Inline>),
    /// One cite of a citation, by its index in the citation's items.
    Cite(usize, Vec<Inline>),
    /// A locale term ("ibid."), which a note style capitalises at the start of a note.
    Term(Vec<Inline>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Italic,
    NormalStyle,
    Bold,
    Light,
    NormalWeight,
    SmallCaps,
    NormalVariant,
    Underline,
    NoUnderline,
    Superscript,
    Subscript,
    Baseline,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Self {
        Inline::Text(text.into())
    }

    fn children(&self) -> Option<&Vec<Inline>> {
        match self {
            Inline::Text(_) => None,
            Inline::Format(_, c)
            | Inline::Quoted(c)
            | Inline::SingleQuoted(c)
            | Inline::NoCase(c)
            | Inline::Display(_, c)
            | Inline::Link(_, c)
            | Inline::Cite(_, c)
            | Inline::Term(c) => Some(c),
        }
    }

    fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Text(_) => None,
            Inline::Format(_, c)
            | Inline::Quoted(c)
            | Inline::SingleQuoted(c)
            | Inline::NoCase(c)
            | Inline::Display(_, c)
            | Inline::Link(_, c)
            | Inline::Cite(_, c)
            | Inline::Term(c) => Some(c),
        }
    }
}

/// Whether the first text that prints comes from a locale term.
pub fn starts_with_term(nodes: &[Inline]) -> bool {
    for node in nodes {
        if is_empty(std::slice::from_ref(node)) {
            continue;
        }
        return match node {
            Inline::Term(_) => true,
            Inline::Text(_) => false,
            other => other.children().is_some_and(|c| starts_with_term(c)),
        };
    }
    false
}

/// The plain text of `nodes`, without formatting or quotation marks.
pub fn plain(nodes: &[Inline]) -> String {
    let mut out = String::new();
    fn walk(nodes: &[Inline], out: &mut String) {
        for node in nodes {
            match node {
                Inline::Text(text) => out.push_str(text),
                other => walk(other.children().map(Vec::as_slice).unwrap_or(&[]), out),
            }
        }
    }
    walk(nodes, &mut out);
    out
}

/// True when nothing in `nodes` prints.
pub fn is_empty(nodes: &[Inline]) -> bool {
    nodes.iter().all(|node| match node {
        Inline::Text(text) => text.is_empty(),
        other => other.children().is_none_or(|c| is_empty(c)),
    })
}

/// The last character that prints, if any.
pub fn last_char(nodes: &[Inline]) -> Option<char> {
    for node in nodes.iter().rev() {
        let found = match node {
            Inline::Text(text) => text.chars().last(),
            other => other.children().and_then(|c| last_char(c)),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

pub fn first_char(nodes: &[Inline]) -> Option<char> {
    for node in nodes {
        let found = match node {
            Inline::Text(text) => text.chars().next(),
            other => other.children().and_then(|c| first_char(c)),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn first_text_mut(nodes: &mut [Inline]) -> Option<&mut String> {
    for node in nodes.iter_mut() {
        if is_empty(std::slice::from_ref(node)) {
            continue;
        }
        return match node {
            Inline::Text(text) => Some(text),
            other => other.children_mut().and_then(|c| first_text_mut(c)),
        };
    }
    None
}

/// Whether the last printing node of `nodes` ends in a closing quotation mark.
fn ends_in_quote(nodes: &mut [Inline]) -> Option<&mut Vec<Inline>> {
    for node in nodes.iter_mut().rev() {
        if is_empty(std::slice::from_ref(node)) {
            continue;
        }
        return match node {
            Inline::Quoted(children) | Inline::SingleQuoted(children) => Some(children),
            Inline::Text(_) => None,
            other => other.children_mut().and_then(|c| ends_in_quote(c)),
        };
    }
    None
}

/// What happens where two punctuation marks meet, as citeproc-js decides it.
enum Merge {
    Keep,
    DropSecond,
    ReplaceFirst,
}

fn merge(first: char, second: char) -> Merge {
    match (first, second) {
        (a, b) if a == b && ".,;:!?".contains(a) => Merge::DropSecond,
        (':' | ';' | '!' | '?', ':') => Merge::DropSecond,
        (':' | ';' | '!' | '?', '.') => Merge::DropSecond,
        (':' | ';', '!' | '?') => Merge::ReplaceFirst,
        _ => Merge::Keep,
    }
}

/// Appends `more` to `out`, merging the punctuation where they meet.
pub fn append(out: &mut Vec<Inline>, mut more: Vec<Inline>, punctuation_in_quote: bool) {
    if is_empty(&more) {
        return;
    }
    if is_empty(out) {
        out.extend(more);
        return;
    }
    let Some(next) = first_char(&more) else {
        out.extend(more);
        return;
    };
    // “Title.” rather than “Title”. where the locale puts punctuation inside quotes.
    if punctuation_in_quote && matches!(next, '.' | ',' | '!' | '?') {
        if let Some(quoted) = ends_in_quote(out) {
            let moved = take_first_char(&mut more);
            append(quoted, vec![Inline::Text(moved.to_string())], true);
            out.extend(more);
            return;
        }
    }
    if let Some(previous) = last_char(out) {
        match merge(previous, next) {
            Merge::DropSecond => {
                take_first_char(&mut more);
            }
            Merge::ReplaceFirst => {
                if let Some(text) = last_text_mut(out) {
                    text.pop();
                }
                // The mark it gave way to may have stood after a closing quote: “colon!”.
                // Only then again: outside the quotes, the title's own colon stays.
                if punctuation_in_quote && ends_in_quote(out).is_some() {
                    return append(out, more, punctuation_in_quote);
                }
            }
            // A space after a space, or after a no-break space a name part ends with.
            Merge::Keep if previous.is_whitespace() && next == ' ' => {
                take_first_char(&mut more);
            }
            Merge::Keep => {}
        }
    }
    out.extend(more);
}

/// Drops the spaces an entry ends with (a layout suffix of " ", an affix after the last field):
/// citeproc-js trims them, and a page would show them as a stray gap before the backlinks.
pub fn trim_end(nodes: &mut [Inline]) {
    while let Some(text) = last_text_mut(nodes) {
        let trimmed = text.trim_end().len();
        if trimmed == text.len() {
            return;
        }
        text.truncate(trimmed);
    }
}

fn last_text_mut(nodes: &mut [Inline]) -> Option<&mut String> {
    for node in nodes.iter_mut().rev() {
        if is_empty(std::slice::from_ref(node)) {
            continue;
        }
        return match node {
            Inline::Text(text) => Some(text),
            other => other.children_mut().and_then(|c| last_text_mut(c)),
        };
    }
    None
}

fn take_first_char(nodes: &mut [Inline]) -> char {
    let Some(text) = first_text_mut(nodes) else {
        return ' ';
    };
    let first = text.chars().next().unwrap_or(' ');
    text.drain(..first.len_utf8());
    first
}

/// Wraps `nodes` in `prefix` and `suffix` (outside any formatting), merging punctuation.
pub fn with_affixes(
    nodes: Vec<Inline>,
    prefix: Option<&str>,
    suffix: Option<&str>,
    punctuation_in_quote: bool,
) -> Vec<Inline> {
    if is_empty(&nodes) {
        return nodes;
    }
    let mut out = Vec::new();
    if let Some(prefix) = prefix.filter(|p| !p.is_empty()) {
        out.push(Inline::text(prefix));
    }
    append(&mut out, nodes, punctuation_in_quote);
    if let Some(suffix) = suffix.filter(|s| !s.is_empty()) {
        append(&mut out, vec![Inline::text(suffix)], punctuation_in_quote);
    }
    out
}

/// Joins pieces with `delimiter`, skipping empty ones.
pub fn join(pieces: Vec<Vec<Inline>>, delimiter: &str, punctuation_in_quote: bool) -> Vec<Inline> {
    let mut out = Vec::new();
    for piece in pieces {
        if is_empty(&piece) {
            continue;
        }
        if !out.is_empty() && !delimiter.is_empty() {
            append(
                &mut out,
                vec![Inline::text(delimiter)],
                punctuation_in_quote,
            );
        }
        append(&mut out, piece, punctuation_in_quote);
    }
    out
}

/// Applies `f` to every text node outside `NoCase`, in order.
pub fn map_text(nodes: &mut [Inline], f: &mut dyn FnMut(&mut String)) {
    for node in nodes {
        match node {
            Inline::Text(text) => f(text),
            Inline::NoCase(_) => {}
            other => {
                if let Some(children) = other.children_mut() {
                    map_text(children, f);
                }
            }
        }
    }
}

/// Applies `f` to every text node, `NoCase` included.
pub fn map_all_text(nodes: &mut [Inline], f: &mut dyn FnMut(&mut String)) {
    for node in nodes {
        match node {
            Inline::Text(text) => f(text),
            other => {
                if let Some(children) = other.children_mut() {
                    map_all_text(children, f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csl::suite_html::{to_suite_html, QuoteMarks};

    fn t(s: &str) -> Inline {
        Inline::text(s)
    }

    #[test]
    fn a_full_stop_after_a_full_stop_is_dropped() {
        let mut out = vec![Inline::Format(Format::Italic, vec![t("Ed.")])];
        append(&mut out, vec![t(". Next")], false);
        assert_eq!(
            to_suite_html(&out, &QuoteMarks::default()),
            "<i>Ed.</i> Next"
        );
    }

    #[test]
    fn punctuation_moves_inside_quotes_when_the_locale_says_so() {
        let mut out = vec![Inline::Quoted(vec![t("Title")])];
        append(&mut out, vec![t(", 2000")], true);
        assert_eq!(
            to_suite_html(&out, &QuoteMarks::default()),
            "\u{201c}Title,\u{201d} 2000"
        );
    }

    #[test]
    fn a_question_mark_replaces_a_colon_and_goes_inside_the_quotes() {
        let joined = |quoted: &str, mark: &str, more: &str, inside: bool| {
            let mut out = vec![Inline::Quoted(vec![t(quoted)]), t(mark)];
            append(&mut out, vec![t(more)], inside);
            to_suite_html(&out, &QuoteMarks::default())
        };
        assert_eq!(
            joined("Title", ":", "? Next", true),
            "\u{201c}Title?\u{201d} Next"
        );
        assert_eq!(
            joined("Title:", ":", "? Next", false),
            "\u{201c}Title:\u{201d}? Next",
            "the colon inside the quotes is the title's"
        );
        assert_eq!(
            joined("Title", ";", "! Next", false),
            "\u{201c}Title\u{201d}! Next",
            "outside the quotes where the locale keeps punctuation out"
        );
    }

    #[test]
    fn italics_inside_italics_flip() {
        let out = vec![Inline::Format(
            Format::Italic,
            vec![t("A "), Inline::Format(Format::Italic, vec![t("B")])],
        )];
        assert_eq!(
            to_suite_html(&out, &QuoteMarks::default()),
            "<i>A <span style=\"font-style:normal;\">B</span></i>"
        );
    }
}
