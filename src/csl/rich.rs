//! CSL-JSON rich text: the few HTML-like tags reference managers write into titles (`<i>`,
//! `<b>`, `<sc>`, `<sup>`, `<sub>`, `<span class="nocase">`, small caps), and straight quotes,
//! read into the engine's output tree. Anything else is literal text.

use super::output::{Format, Inline};

/// Reads `text` into output nodes.
pub fn parse(text: &str) -> Vec<Inline> {
    if !text.contains(['<', '"', '\'', '\u{201c}', '\u{2018}']) {
        return vec![Inline::text(text)];
    }
    let mut stack: Vec<(Opened, Vec<Inline>)> = vec![(Opened::Root, Vec::new())];
    let mut rest = text;
    let mut buffer = String::new();
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some((tag, len)) = tag_at(rest) {
                let matches_top = stack.last().is_some_and(|(open, _)| open.closes(&tag));
                let handled = match &tag {
                    Tag::Open(opened) => {
                        flush(&mut buffer, &mut stack);
                        stack.push((opened.clone(), Vec::new()));
                        true
                    }
                    Tag::Close(_) if matches_top => {
                        flush(&mut buffer, &mut stack);
                        close_top(&mut stack);
                        true
                    }
                    Tag::Close(_) => false,
                };
                if handled {
                    rest = &rest[len..];
                    continue;
                }
            }
        }
        if matches!(c, '"' | '\u{201c}' | '\u{201d}') {
            // A double quote opens before a word and closes after one; an orphan stays.
            let before = buffer.chars().last().or_else(|| last_char_of(&stack));
            let after = rest[c.len_utf8()..].chars().next();
            let top_is_quote = stack.last().is_some_and(|(open, _)| *open == Opened::Quote);
            let closes =
                top_is_quote && c != '\u{201c}' && before.is_some_and(|b| !b.is_whitespace());
            let opens = !closes
                && c != '\u{201d}'
                && after.is_some_and(|a| !a.is_whitespace())
                && rest[c.len_utf8()..].contains(['"', '\u{201d}']);
            if closes {
                flush(&mut buffer, &mut stack);
                close_top(&mut stack);
            } else if opens {
                flush(&mut buffer, &mut stack);
                stack.push((Opened::Quote, Vec::new()));
            } else {
                buffer.push(c);
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '\u{2018}' && rest[c.len_utf8()..].contains('\u{2019}') {
            flush(&mut buffer, &mut stack);
            stack.push((Opened::CurlySingle, Vec::new()));
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '\u{2019}'
            && stack
                .last()
                .is_some_and(|(open, _)| *open == Opened::CurlySingle)
        {
            let after = rest[c.len_utf8()..].chars().next();
            if after.is_none_or(|a| !a.is_alphanumeric()) {
                flush(&mut buffer, &mut stack);
                close_top(&mut stack);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        }
        if c == '\'' {
            // A single quote opens at the start of a word and closes at its end; anything else
            // is an apostrophe, printed typographic as citeproc-js does.
            let before = buffer.chars().last().or_else(|| last_char_of(&stack));
            let after = rest[1..].chars().next();
            let opens = before.is_none_or(|b| b.is_whitespace() || "([{\u{201c}".contains(b))
                && after.is_some_and(|a| a.is_alphanumeric());
            let in_single = stack
                .last()
                .is_some_and(|(open, _)| *open == Opened::SingleQuote);
            let closes = in_single
                && before.is_some_and(|b| !b.is_whitespace())
                && after.is_none_or(|a| !a.is_alphanumeric());
            if opens {
                flush(&mut buffer, &mut stack);
                stack.push((Opened::SingleQuote, Vec::new()));
            } else if closes {
                flush(&mut buffer, &mut stack);
                close_top(&mut stack);
            } else {
                buffer.push('\u{2019}');
            }
            rest = &rest[1..];
            continue;
        }
        buffer.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut buffer, &mut stack);
    // Unclosed tags: their content stays, their opening is literal for quotes.
    while stack.len() > 1 {
        let (opened, children) = stack.pop().unwrap_or((Opened::Root, Vec::new()));
        let Some((_, parent)) = stack.last_mut() else {
            break;
        };
        if matches!(
            opened,
            Opened::Quote | Opened::SingleQuote | Opened::CurlySingle
        ) {
            let mark = match opened {
                Opened::Quote => "\"",
                Opened::CurlySingle => "\u{2018}",
                _ => "\u{2019}",
            };
            parent.push(Inline::text(mark));
            parent.extend(children);
        } else {
            parent.push(wrap(opened, children));
        }
    }
    stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq)]
enum Opened {
    Root,
    Quote,
    /// A straight single quote: printed like double quotes at the outside.
    SingleQuote,
    /// ‘…’: single quotes as the text has them.
    CurlySingle,
    Format(Format, &'static str),
    NoCase,
    NoDecor,
}

impl Opened {
    fn closes(&self, tag: &Tag) -> bool {
        let Tag::Close(name) = tag else { return false };
        match self {
            Opened::Format(_, element) => element == name,
            Opened::NoCase | Opened::NoDecor => *name == "span",
            _ => false,
        }
    }
}

enum Tag {
    Open(Opened),
    Close(&'static str),
}

fn tag_at(text: &str) -> Option<(Tag, usize)> {
    const TAGS: &[(&str, Format, &str)] = &[
        ("<i>", Format::Italic, "i"),
        ("<b>", Format::Bold, "b"),
        ("<sc>", Format::SmallCaps, "sc"),
        ("<sup>", Format::Superscript, "sup"),
        ("<sub>", Format::Subscript, "sub"),
        (
            "<span style=\"font-variant:small-caps;\">",
            Format::SmallCaps,
            "span",
        ),
        (
            "<span style=\"font-variant: small-caps;\">",
            Format::SmallCaps,
            "span",
        ),
    ];
    for (open, format, name) in TAGS {
        if text.starts_with(open) {
            return Some((Tag::Open(Opened::Format(*format, name)), open.len()));
        }
    }
    if text.starts_with("<span class=\"nocase\">") {
        return Some((Tag::Open(Opened::NoCase), "<span class=\"nocase\">".len()));
    }
    if text.starts_with("<span class=\"nodecor\">") {
        return Some((Tag::Open(Opened::NoDecor), "<span class=\"nodecor\">".len()));
    }
    for name in ["i", "b", "sc", "sup", "sub", "span"] {
        let close = format!("</{name}>");
        if text.starts_with(&close) {
            return Some((Tag::Close(name), close.len()));
        }
    }
    None
}

fn last_char_of(stack: &[(Opened, Vec<Inline>)]) -> Option<char> {
    stack
        .last()
        .and_then(|(_, nodes)| super::output::last_char(nodes))
}

fn flush(buffer: &mut String, stack: &mut [(Opened, Vec<Inline>)]) {
    if buffer.is_empty() {
        return;
    }
    if let Some((_, nodes)) = stack.last_mut() {
        nodes.push(Inline::Text(std::mem::take(buffer)));
    }
}

fn close_top(stack: &mut Vec<(Opened, Vec<Inline>)>) {
    if stack.len() < 2 {
        return;
    }
    let (opened, children) = stack.pop().unwrap_or((Opened::Root, Vec::new()));
    if let Some((_, parent)) = stack.last_mut() {
        parent.push(wrap(opened, children));
    }
}

fn wrap(opened: Opened, children: Vec<Inline>) -> Inline {
    match opened {
        Opened::Format(format, _) => Inline::Format(format, children),
        Opened::Quote | Opened::SingleQuote => Inline::Quoted(children),
        Opened::CurlySingle => Inline::SingleQuoted(children),
        Opened::NoCase => Inline::NoCase(children),
        Opened::NoDecor | Opened::Root => Inline::Format(Format::NormalStyle, children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csl::suite_html::{to_suite_html, QuoteMarks};

    fn html(text: &str) -> String {
        to_suite_html(&parse(text), &QuoteMarks::default())
    }

    #[test]
    fn tags_become_formatting_and_the_rest_stays_literal() {
        assert_eq!(html("A <i>B</i> & C"), "A <i>B</i> &#38; C");
        assert_eq!(html("x < y"), "x &#60; y");
        assert_eq!(html("H<sub>2</sub>O"), "H<sub>2</sub>O");
        assert_eq!(html("<span class=\"nocase\">iPhone</span>"), "iPhone");
        assert_eq!(html("a </i> b"), "a &#60;/i&#62; b");
    }

    #[test]
    fn straight_quotes_become_quotation_marks() {
        assert_eq!(html("The \"Best\" Thing"), "The \u{201c}Best\u{201d} Thing");
        assert_eq!(html("Don't"), "Don\u{2019}t");
    }
}
