//! Rich text as the readers build it: a small tree of text, styles and case-protected runs,
//! written out as CSL-JSON rich text (the markup [`crate::csl::reference`] knows) or as plain
//! text for names, numbers and identifiers.
//!
//! Literal text is never markup. In CSL-JSON everything but the listed tags is literal, so a
//! literal `<` is left alone unless it would start one of those tags (`<i>`, `</b>`,
//! `<span …>`…): then a WORD JOINER (U+2060, invisible, no break) is put after it, and the text
//! reads as the characters it is.

/// A run of rich text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Styled(Style, Vec<Inline>),
    /// Case kept as written whatever a style's text-case says: a braced `{NASA}`, math, a URL.
    NoCase(Vec<Inline>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Italic,
    Bold,
    SmallCaps,
    Superscript,
    Subscript,
}

impl Style {
    fn tags(self) -> (&'static str, &'static str) {
        match self {
            Style::Italic => ("<i>", "</i>"),
            Style::Bold => ("<b>", "</b>"),
            Style::SmallCaps => ("<span style=\"font-variant:small-caps;\">", "</span>"),
            Style::Superscript => ("<sup>", "</sup>"),
            Style::Subscript => ("<sub>", "</sub>"),
        }
    }
}

/// The invisible character that keeps a literal `<` from reading as a tag.
pub const TAG_GUARD: char = '\u{2060}';

/// What follows `<` (or `</`) in the tags CSL-JSON rich text knows.
const TAG_NAMES: &[&str] = &["i>", "b>", "sc>", "sup>", "sub>", "span"];

/// CSL-JSON rich text.
pub fn to_rich_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    write_rich(inlines, &mut out);
    out
}

fn write_rich(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => push_literal(text, out),
            Inline::Styled(style, children) => {
                let (open, close) = style.tags();
                out.push_str(open);
                write_rich(children, out);
                out.push_str(close);
            }
            Inline::NoCase(children) => {
                out.push_str("<span class=\"nocase\">");
                write_rich(children, out);
                out.push_str("</span>");
            }
        }
    }
}

fn push_literal(text: &str, out: &mut String) {
    for (at, c) in text.char_indices() {
        out.push(c);
        if c == '<' && would_be_tag(&text[at + 1..]) {
            out.push(TAG_GUARD);
        }
    }
}

fn would_be_tag(after: &str) -> bool {
    let after = after.strip_prefix('/').unwrap_or(after);
    TAG_NAMES.iter().any(|name| {
        after
            .get(..name.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(name))
    })
}

/// The text without its markup.
pub fn to_plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    write_plain(inlines, &mut out);
    out
}

fn write_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push_str(text),
            Inline::Styled(_, children) | Inline::NoCase(children) => write_plain(children, out),
        }
    }
}

/// Tidies a tree: whitespace runs become one space (none at either end), adjacent texts are
/// joined, empty runs dropped, a case-protected run inside another is unwrapped, and protected
/// runs separated only by spaces (`{Optimal} {Simulation}`) become one.
pub fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut space_before = true;
    let mut tidied = collapse_spaces(inlines, &mut space_before);
    trim_end(&mut tidied);
    merge(tidied, false)
}

fn collapse_spaces(inlines: Vec<Inline>, space_before: &mut bool) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                let mut tidied = String::with_capacity(text.len());
                for c in text.chars() {
                    if c.is_whitespace() && c != '\u{a0}' && !is_fixed_space(c) {
                        if !*space_before {
                            tidied.push(' ');
                            *space_before = true;
                        }
                    } else {
                        tidied.push(c);
                        *space_before = false;
                    }
                }
                out.push(Inline::Text(tidied));
            }
            Inline::Styled(style, children) => {
                out.push(Inline::Styled(
                    style,
                    collapse_spaces(children, space_before),
                ));
            }
            Inline::NoCase(children) => {
                out.push(Inline::NoCase(collapse_spaces(children, space_before)));
            }
        }
    }
    out
}

/// Spaces LaTeX writes on purpose (`\,`, `\quad`): kept as they are.
fn is_fixed_space(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{200a}' | '\u{202f}')
}

fn trim_end(inlines: &mut Vec<Inline>) {
    while let Some(last) = inlines.last_mut() {
        match last {
            Inline::Text(text) => {
                let kept = text.trim_end_matches(' ').len();
                text.truncate(kept);
                if !text.is_empty() {
                    return;
                }
            }
            Inline::Styled(_, children) | Inline::NoCase(children) => {
                trim_end(children);
                if !children.is_empty() {
                    return;
                }
            }
        }
        inlines.pop();
    }
}

fn merge(inlines: Vec<Inline>, protected: bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let inline = match inline {
            Inline::Text(text) if text.is_empty() => continue,
            Inline::Styled(style, children) => {
                let children = merge(children, protected);
                if children.is_empty() {
                    continue;
                }
                Inline::Styled(style, children)
            }
            Inline::NoCase(children) => {
                let children = merge(children, true);
                if children.is_empty() {
                    continue;
                }
                if protected {
                    for child in children {
                        push_merged(&mut out, child);
                    }
                    continue;
                }
                Inline::NoCase(children)
            }
            text => text,
        };
        push_merged(&mut out, inline);
    }
    out
}

fn push_merged(out: &mut Vec<Inline>, inline: Inline) {
    let len = out.len();
    let after_protected_space = len >= 2
        && matches!(&out[len - 1], Inline::Text(t) if t == " ")
        && matches!(out[len - 2], Inline::NoCase(_));
    match (out.last_mut(), inline) {
        (Some(Inline::Text(last)), Inline::Text(text)) => last.push_str(&text),
        (Some(Inline::NoCase(last)), Inline::NoCase(children)) => {
            for child in children {
                push_merged(last, child);
            }
        }
        (_, Inline::NoCase(children)) if after_protected_space => {
            let space = out.pop();
            if let (Some(Inline::NoCase(last)), Some(space)) = (out.last_mut(), space) {
                push_merged(last, space);
                for child in children {
                    push_merged(last, child);
                }
            }
        }
        (_, inline) => out.push(inline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn markup_is_written_as_csl_json_tags() {
        let inlines = vec![
            text("The "),
            Inline::NoCase(vec![text("NASA")]),
            text(" way of "),
            Inline::Styled(Style::Italic, vec![text("E. coli")]),
            text(" and H"),
            Inline::Styled(Style::Subscript, vec![text("2")]),
            text("O in "),
            Inline::Styled(Style::SmallCaps, vec![text("Lapack")]),
        ];
        assert_eq!(
            to_rich_text(&inlines),
            "The <span class=\"nocase\">NASA</span> way of <i>E. coli</i> and H<sub>2</sub>O in \
             <span style=\"font-variant:small-caps;\">Lapack</span>"
        );
        assert_eq!(
            to_plain(&inlines),
            "The NASA way of E. coli and H2O in Lapack"
        );
    }

    #[test]
    fn a_literal_tag_is_guarded_and_other_angle_brackets_are_left() {
        let rich = to_rich_text(&[text("a <b>bold</b> claim: 1 < 2 & 3 > 2, <SPAN>")]);
        assert_eq!(
            rich,
            "a <\u{2060}b>bold<\u{2060}/b> claim: 1 < 2 & 3 > 2, <\u{2060}SPAN>"
        );
    }

    #[test]
    fn tidy_collapses_spaces_and_merges_protected_runs() {
        let inlines = vec![
            text("  A "),
            Inline::NoCase(vec![text("Optimal")]),
            text(" "),
            Inline::NoCase(vec![text(" Simulation"), Inline::NoCase(vec![text("X")])]),
            text(" of\n  it "),
            Inline::Styled(Style::Bold, vec![]),
            text(" "),
        ];
        assert_eq!(
            tidy(inlines),
            vec![
                text("A "),
                Inline::NoCase(vec![text("Optimal SimulationX")]),
                text(" of it"),
            ]
        );
    }
}
