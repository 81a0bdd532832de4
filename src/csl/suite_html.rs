//! The HTML the CSL test suite (and citeproc-js) writes: `<i>`, `<b>`, styled spans, italics
//! flipped inside italics, quotation marks by nesting, superscript characters as `<sup>`.

use citationberg::Display;

use super::output::{Format, Inline};

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
