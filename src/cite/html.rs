//! Writes the CSL engine's output ([`Inline`]) as the HTML of brief's pages: every text escaped,
//! only safe web URLs linked, each cited item of a citation linked to its reference entry, and
//! nothing but the small vocabulary [`crate::html::is_inert_markup`] accepts (`<i>`, `<b>`,
//! `<sup>`, `<sub>`, `<u>`, class-only `<span>`s, `<a href>`).

use citationberg::Display;

use crate::csl::output::{Format, Inline};
use crate::csl::suite_html::QuoteMarks;
use crate::html::{escape, is_web_url, safe_url};

/// How one cited item of a citation is linked.
pub struct ItemDecoration {
    /// The entry's anchor; none when the brief turns `link-citations` off.
    pub href: Option<String>,
}

/// Options for one piece of output.
pub struct HtmlOptions<'a> {
    /// In citations: the cited items in the citation's order, to wrap each in a link.
    pub items: &'a [ItemDecoration],
    /// Turn URLs in the output into links (the reference list does; citations never do).
    pub link_urls: bool,
    pub quotes: &'a QuoteMarks,
}

pub fn write_html(nodes: &[Inline], options: &HtmlOptions<'_>) -> String {
    let mut out = String::new();
    write_nodes(nodes, options, &mut State::default(), &mut out);
    out
}

/// The plain text of formatted output (for tooltips, previews and `check`).
pub fn write_plain(nodes: &[Inline], quotes: &QuoteMarks) -> String {
    let mut out = String::new();
    plain_into(nodes, quotes, None, &mut out);
    out
}

#[derive(Default, Clone, Copy)]
struct State {
    italic: bool,
    bold: bool,
    small_caps: bool,
    /// The marks of the quotation being written: None outside quotes, Some(true) for single.
    quote_single: Option<bool>,
    in_link: bool,
}

fn write_nodes(nodes: &[Inline], options: &HtmlOptions<'_>, state: &mut State, out: &mut String) {
    for node in nodes {
        write_node(node, options, state, out);
    }
}

fn write_node(node: &Inline, options: &HtmlOptions<'_>, state: &mut State, out: &mut String) {
    match node {
        Inline::Text(text) => out.push_str(&escape(&unguarded(text))),
        Inline::Format(format, children) => {
            let saved = *state;
            let (open, close) = format_tags(*format, state);
            out.push_str(open);
            write_nodes(children, options, state, out);
            out.push_str(close);
            *state = saved;
        }
        Inline::Quoted(children) | Inline::SingleQuoted(children) => {
            let single = quote_is_single(node, state.quote_single);
            let (open, close) = marks(options.quotes, single);
            let saved = state.quote_single;
            out.push_str(&escape(open));
            state.quote_single = Some(single);
            write_nodes(children, options, state, out);
            state.quote_single = saved;
            out.push_str(&escape(close));
        }
        Inline::NoCase(children) | Inline::Term(children) => {
            write_nodes(children, options, state, out)
        }
        Inline::Display(display, children) => {
            let class = match display {
                Display::Block => "csl-block",
                Display::LeftMargin => "csl-left-margin",
                Display::RightInline => "csl-right-inline",
                Display::Indent => "csl-indent",
            };
            out.push_str(&format!("<span class=\"{class}\">"));
            write_nodes(children, options, state, out);
            out.push_str("</span>");
            // "[1] A. Author": the label and the entry are apart in text too (copied, read
            // aloud, or without the style sheet).
            if *display == Display::LeftMargin {
                out.push(' ');
            }
        }
        Inline::Link(url, children) => {
            let url = unguarded(url);
            let target = safe_url(url.trim())
                .filter(|url| options.link_urls && !state.in_link && is_web_url(url));
            match target {
                Some(url) => {
                    out.push_str(&format!("<a href=\"{}\">", escape(url)));
                    state.in_link = true;
                    write_nodes(children, options, state, out);
                    state.in_link = false;
                    out.push_str("</a>");
                }
                None => write_nodes(children, options, state, out),
            }
        }
        Inline::Cite(index, children) => {
            let href = options
                .items
                .get(*index)
                .and_then(|item| item.href.as_deref())
                .filter(|_| !state.in_link);
            match href {
                Some(href) => {
                    out.push_str(&format!("<a href=\"{}\">", escape(href)));
                    state.in_link = true;
                    write_nodes(children, options, state, out);
                    state.in_link = false;
                    out.push_str("</a>");
                }
                None => write_nodes(children, options, state, out),
            }
        }
    }
}

/// The tags of a formatting, flipping italics inside italics (and the like) to normal.
fn format_tags(format: Format, state: &mut State) -> (&'static str, &'static str) {
    const NORMAL_STYLE: (&str, &str) = ("<span class=\"csl-normal-style\">", "</span>");
    const NORMAL_WEIGHT: (&str, &str) = ("<span class=\"csl-normal-weight\">", "</span>");
    const NORMAL_VARIANT: (&str, &str) = ("<span class=\"csl-normal-variant\">", "</span>");
    match format {
        Format::Italic | Format::NormalStyle if state.italic => {
            state.italic = false;
            NORMAL_STYLE
        }
        Format::Italic => {
            state.italic = true;
            ("<i>", "</i>")
        }
        Format::Bold | Format::NormalWeight if state.bold => {
            state.bold = false;
            NORMAL_WEIGHT
        }
        Format::Bold => {
            state.bold = true;
            ("<b>", "</b>")
        }
        Format::SmallCaps | Format::NormalVariant if state.small_caps => {
            state.small_caps = false;
            NORMAL_VARIANT
        }
        Format::SmallCaps => {
            state.small_caps = true;
            ("<span class=\"sc\">", "</span>")
        }
        Format::Underline => ("<u>", "</u>"),
        Format::Superscript => ("<sup>", "</sup>"),
        Format::Subscript => ("<sub>", "</sub>"),
        Format::NormalStyle
        | Format::NormalWeight
        | Format::NormalVariant
        | Format::Light
        | Format::NoUnderline
        | Format::Baseline => ("", ""),
    }
}

/// Quotation marks alternate: double outside, single inside, double inside those.
fn quote_is_single(node: &Inline, parent: Option<bool>) -> bool {
    match parent {
        None => matches!(node, Inline::SingleQuoted(_)),
        Some(parent_single) => !parent_single,
    }
}

fn marks(quotes: &QuoteMarks, single: bool) -> (&str, &str) {
    if single {
        (&quotes.open_inner, &quotes.close_inner)
    } else {
        (&quotes.open, &quotes.close)
    }
}

fn plain_into(nodes: &[Inline], quotes: &QuoteMarks, quote: Option<bool>, out: &mut String) {
    for node in nodes {
        match node {
            Inline::Text(text) => out.push_str(&unguarded(text)),
            Inline::Quoted(children) | Inline::SingleQuoted(children) => {
                let single = quote_is_single(node, quote);
                let (open, close) = marks(quotes, single);
                out.push_str(open);
                plain_into(children, quotes, Some(single), out);
                out.push_str(close);
            }
            Inline::Display(Display::Block, children) if !out.is_empty() => {
                out.push(' ');
                plain_into(children, quotes, quote, out);
            }
            Inline::Display(Display::LeftMargin, children) => {
                plain_into(children, quotes, quote, out);
                out.push(' ');
            }
            Inline::Format(_, children)
            | Inline::NoCase(children)
            | Inline::Display(_, children)
            | Inline::Link(_, children)
            | Inline::Cite(_, children)
            | Inline::Term(children) => plain_into(children, quotes, quote, out),
        }
    }
}

/// The reader's guard after a `<` that would read as a tag (see
/// [`crate::cite::read::rich::TAG_GUARD`]) has done its job once the text is parsed.
fn unguarded(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::cite::read::rich::TAG_GUARD;
    if text.contains(TAG_GUARD) {
        std::borrow::Cow::Owned(text.replace(&format!("<{TAG_GUARD}"), "<"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(nodes: &[Inline], link_urls: bool) -> String {
        let quotes = QuoteMarks::default();
        write_html(
            nodes,
            &HtmlOptions {
                items: &[ItemDecoration {
                    href: Some("#ref-a".into()),
                }],
                link_urls,
                quotes: &quotes,
            },
        )
    }

    #[test]
    fn text_is_escaped_and_only_web_urls_are_links() {
        let nodes = vec![
            Inline::text("O'Hara & <Sons> "),
            Inline::Link(
                "javascript:alert(1)".into(),
                vec![Inline::text("javascript:alert(1)")],
            ),
            Inline::text(" "),
            Inline::Link(
                "https://x.org/a".into(),
                vec![Inline::text("https://x.org/a")],
            ),
        ];
        let out = html(&nodes, true);
        assert!(
            out.starts_with(
                "O&#39;Hara &amp; &lt;Sons&gt; javascript:alert(1) <a href=\"https://x.org/a\">"
            ),
            "{out}"
        );
        assert!(crate::html::is_inert_markup(&out), "{out}");
    }

    #[test]
    fn cites_link_to_their_entries_and_quotes_nest() {
        let nodes = vec![Inline::Cite(
            0,
            vec![Inline::Quoted(vec![
                Inline::text("A "),
                Inline::Quoted(vec![Inline::text("B")]),
            ])],
        )];
        assert_eq!(
            html(&nodes, false),
            "<a href=\"#ref-a\">\u{201c}A \u{2018}B\u{2019}\u{201d}</a>"
        );
        let italic = vec![Inline::Format(
            Format::Italic,
            vec![Inline::Format(Format::Italic, vec![Inline::text("x")])],
        )];
        assert_eq!(
            html(&italic, false),
            "<i><span class=\"csl-normal-style\">x</span></i>"
        );
    }
}
