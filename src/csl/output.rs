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
            }
            Merge::Keep if previous == ' ' && next == ' ' => {
                take_first_char(&mut more);
            }
            Merge::Keep => {}
        }
    }
    out.extend(more);
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

/// The marks a writer puts around quoted text, outer and inner.
#[derive(Debug, Clone)]
pub struct QuoteMarks {
    pub open: String,
    pub close: String,
    pub open_inner: String,
    pub close_inner: String,
}

impl Default for QuoteMarks {
    fn default() -> Self {
        Self {
            open: "\u{201c}".into(),
            close: "\u{201d}".into(),
            open_inner: "\u{2018}".into(),
            close_inner: "\u{2019}".into(),
        }
    }
}

/// The HTML of the CSL test suite (and of citeproc-js): `<i>`, `<b>`, styled spans, and
/// flip-flopped italics inside italics.
pub fn to_suite_html(nodes: &[Inline], quotes: &QuoteMarks) -> String {
    let mut out = String::new();
    write_html(nodes, quotes, &mut HtmlState::default(), &mut out);
    out
}

#[derive(Default, Clone, Copy)]
struct HtmlState {
    italic: bool,
    bold: bool,
    small_caps: bool,
    /// The marks of the quotation being written: None outside quotes, Some(true) for single.
    quote_single: Option<bool>,
}

fn write_html(nodes: &[Inline], quotes: &QuoteMarks, state: &mut HtmlState, out: &mut String) {
    for node in nodes {
        match node {
            Inline::Text(text) => escape_into(text, out),
            Inline::Format(format, children) => {
                let saved = *state;
                let (open, close) = match format {
                    Format::Italic if state.italic => {
                        state.italic = false;
                        ("<span style=\"font-style:normal;\">", "</span>")
                    }
                    Format::Italic => {
                        state.italic = true;
                        ("<i>", "</i>")
                    }
                    Format::NormalStyle if state.italic => {
                        state.italic = false;
                        ("<span style=\"font-style:normal;\">", "</span>")
                    }
                    Format::NormalStyle => ("", ""),
                    Format::Bold if state.bold => {
                        state.bold = false;
                        ("<span style=\"font-weight:normal;\">", "</span>")
                    }
                    Format::Bold => {
                        state.bold = true;
                        ("<b>", "</b>")
                    }
                    Format::Light => ("<span style=\"font-weight:light;\">", "</span>"),
                    Format::NormalWeight if state.bold => {
                        state.bold = false;
                        ("<span style=\"font-weight:normal;\">", "</span>")
                    }
                    Format::NormalWeight => ("", ""),
                    Format::SmallCaps if state.small_caps => {
                        state.small_caps = false;
                        ("<span style=\"font-variant:normal;\">", "</span>")
                    }
                    Format::SmallCaps => {
                        state.small_caps = true;
                        ("<span style=\"font-variant:small-caps;\">", "</span>")
                    }
                    Format::NormalVariant if state.small_caps => {
                        state.small_caps = false;
                        ("<span style=\"font-variant:normal;\">", "</span>")
                    }
                    Format::NormalVariant => ("", ""),
                    Format::Underline => ("<span style=\"text-decoration:underline;\">", "</span>"),
                    Format::NoUnderline => ("<span style=\"text-decoration:none;\">", "</span>"),
                    Format::Superscript => ("<sup>", "</sup>"),
                    Format::Subscript => ("<sub>", "</sub>"),
                    Format::Baseline => ("<span style=\"baseline\">", "</span>"),
                };
                out.push_str(open);
                write_html(children, quotes, state, out);
                out.push_str(close);
                *state = saved;
            }
            Inline::Quoted(children) | Inline::SingleQuoted(children) => {
                let wants_single = matches!(node, Inline::SingleQuoted(_));
                let single = match state.quote_single {
                    None => wants_single,
                    Some(parent_single) => !parent_single,
                };
                let saved = state.quote_single;
                out.push_str(if single {
                    &quotes.open_inner
                } else {
                    &quotes.open
                });
                state.quote_single = Some(single);
                write_html(children, quotes, state, out);
                state.quote_single = saved;
                out.push_str(if single {
                    &quotes.close_inner
                } else {
                    &quotes.close
                });
            }
            Inline::NoCase(children)
            | Inline::Link(_, children)
            | Inline::Cite(_, children)
            | Inline::Term(children) => write_html(children, quotes, state, out),
            Inline::Display(display, children) => {
                let class = match display {
                    Display::Block => "csl-block",
                    Display::LeftMargin => "csl-left-margin",
                    Display::RightInline => "csl-right-inline",
                    Display::Indent => "csl-indent",
                };
                out.push_str(&format!("<div class=\"{class}\">"));
                write_html(children, quotes, state, out);
                out.push_str("</div>");
            }
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c == '\u{2120}' || c == '\u{2122}' {
            out.push_str(if c == '\u{2120}' {
                "<sup>SM</sup>"
            } else {
                "<sup>TM</sup>"
            });
            continue;
        }
        if let Some(base) = superscript_base(c) {
            out.push_str("<sup>");
            out.push(base);
            out.push_str("</sup>");
            continue;
        }
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            _ => out.push(c),
        }
    }
}

/// The letter a Unicode superscript character stands for ("ᵉ" → "e"), as citeproc-js writes
/// them: in `<sup>`.
fn superscript_base(c: char) -> Option<char> {
    const PAIRS: &[(char, char)] = &[
        ('\u{00aa}', 'a'),
        ('\u{00b2}', '2'),
        ('\u{00b3}', '3'),
        ('\u{00b9}', '1'),
        ('\u{00ba}', 'o'),
        ('\u{02b0}', 'h'),
        ('\u{02b1}', 'ɦ'),
        ('\u{02b2}', 'j'),
        ('\u{02b3}', 'r'),
        ('\u{02b4}', 'ɹ'),
        ('\u{02b5}', 'ɻ'),
        ('\u{02b6}', 'ʁ'),
        ('\u{02b7}', 'w'),
        ('\u{02b8}', 'y'),
        ('\u{02e0}', 'ɣ'),
        ('\u{02e1}', 'l'),
        ('\u{02e2}', 's'),
        ('\u{02e3}', 'x'),
        ('\u{02e4}', 'ʕ'),
        ('\u{1d2c}', 'A'),
        ('\u{1d2d}', 'Æ'),
        ('\u{1d2e}', 'B'),
        ('\u{1d30}', 'D'),
        ('\u{1d31}', 'E'),
        ('\u{1d32}', 'Ǝ'),
        ('\u{1d33}', 'G'),
        ('\u{1d34}', 'H'),
        ('\u{1d35}', 'I'),
        ('\u{1d36}', 'J'),
        ('\u{1d37}', 'K'),
        ('\u{1d38}', 'L'),
        ('\u{1d39}', 'M'),
        ('\u{1d3a}', 'N'),
        ('\u{1d3c}', 'O'),
        ('\u{1d3d}', 'Ȣ'),
        ('\u{1d3e}', 'P'),
        ('\u{1d3f}', 'R'),
        ('\u{1d40}', 'T'),
        ('\u{1d41}', 'U'),
        ('\u{1d42}', 'W'),
        ('\u{1d43}', 'a'),
        ('\u{1d44}', 'ɐ'),
        ('\u{1d45}', 'ɑ'),
        ('\u{1d46}', 'ᴂ'),
        ('\u{1d47}', 'b'),
        ('\u{1d48}', 'd'),
        ('\u{1d49}', 'e'),
        ('\u{1d4a}', 'ə'),
        ('\u{1d4b}', 'ɛ'),
        ('\u{1d4c}', 'ɜ'),
        ('\u{1d4d}', 'g'),
        ('\u{1d4f}', 'k'),
        ('\u{1d50}', 'm'),
        ('\u{1d51}', 'ŋ'),
        ('\u{1d52}', 'o'),
        ('\u{1d53}', 'ɔ'),
        ('\u{1d54}', 'ᴖ'),
        ('\u{1d55}', 'ᴗ'),
        ('\u{1d56}', 'p'),
        ('\u{1d57}', 't'),
        ('\u{1d58}', 'u'),
        ('\u{1d59}', 'ᴝ'),
        ('\u{1d5a}', 'ɯ'),
        ('\u{1d5b}', 'v'),
        ('\u{1d5c}', 'ᴥ'),
        ('\u{1d5d}', 'β'),
        ('\u{1d5e}', 'γ'),
        ('\u{1d5f}', 'δ'),
        ('\u{1d60}', 'φ'),
        ('\u{1d61}', 'χ'),
        ('\u{2070}', '0'),
        ('\u{2071}', 'i'),
        ('\u{2074}', '4'),
        ('\u{2075}', '5'),
        ('\u{2076}', '6'),
        ('\u{2077}', '7'),
        ('\u{2078}', '8'),
        ('\u{2079}', '9'),
        ('\u{207a}', '+'),
        ('\u{207b}', '−'),
        ('\u{207c}', '='),
        ('\u{207d}', '('),
        ('\u{207e}', ')'),
        ('\u{207f}', 'n'),
        ('\u{3192}', '一'),
        ('\u{3193}', '二'),
        ('\u{3194}', '三'),
        ('\u{3195}', '四'),
        ('\u{3196}', '上'),
        ('\u{3197}', '中'),
        ('\u{3198}', '下'),
        ('\u{3199}', '甲'),
        ('\u{319a}', '乙'),
        ('\u{319b}', '丙'),
        ('\u{319c}', '丁'),
        ('\u{319d}', '天'),
        ('\u{319e}', '地'),
        ('\u{319f}', '人'),
        ('\u{02c0}', 'ʔ'),
        ('\u{02c1}', 'ʕ'),
        ('\u{06e5}', 'و'),
        ('\u{06e6}', 'ي'),
    ];
    PAIRS.iter().find(|(s, _)| *s == c).map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

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
