//! Running text: narrative citations (`@key`), cross-references (`@fig-ID`, `\autoref{fig:x}`,
//! `\eqref{eq:y}`) and Pandoc's superscript (`^14^C`), each split out of a text event.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event};

use super::{Citation, CrossRef, Markup, Parts, Piece, RefForm};
use crate::citation_syntax::{self, CiteItem};
use crate::diagnostic::SourceFile;

pub(super) fn shift_item(mut item: CiteItem, offset: usize) -> CiteItem {
    item.key_span = item.key_span.start + offset..item.key_span.end + offset;
    item
}

/// The plain text of a heading's inline events.
pub(super) fn heading_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Markdown(Event::Text(t) | Event::Code(t)) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// What was found in a text event.
enum Found {
    Citation(String),
    /// Label and form.
    CrossRef(String, RefForm),
}

/// LaTeX's reference commands as JOSS papers write them.
const LATEX_REFS: &[(&str, RefForm)] = &[
    ("\\autoref{", RefForm::Named),
    ("\\cref{", RefForm::Named),
    ("\\Cref{", RefForm::Named),
    ("\\eqref{", RefForm::Equation),
    ("\\ref{", RefForm::Number),
];

fn latex_refs(text: &str) -> Vec<(Range<usize>, Found)> {
    let mut found = Vec::new();
    for (command, form) in LATEX_REFS {
        for (at, _) in text.match_indices(command) {
            let open = at + command.len();
            let Some(close) = text[open..].find('}') else {
                continue;
            };
            let label = text[open..open + close].trim();
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                found.push((
                    at..open + close + 1,
                    Found::CrossRef(label.to_string(), *form),
                ));
            }
        }
    }
    found
}

/// Splits a text event around narrative citations and cross-references.
pub(super) fn push_text(
    file: &Arc<SourceFile>,
    text: CowStr<'_>,
    span: Range<usize>,
    section: usize,
    pieces: &mut Vec<Piece>,
    parts: &mut Parts,
) {
    let mut found: Vec<(Range<usize>, Found)> = citation_syntax::find_narrative(&text)
        .into_iter()
        .map(
            |(range, key)| match key.strip_prefix("fig-").or(key.strip_prefix("eq-")) {
                Some(_) => (range, Found::CrossRef(key, RefForm::Named)),
                None => (range, Found::Citation(key)),
            },
        )
        .collect();
    found.extend(latex_refs(&text));
    found.sort_by_key(|(range, _)| range.start);
    if found.is_empty() {
        push_plain(&text, pieces);
        return;
    }
    let source = &file.text[span.clone()];
    let mut last = 0;
    let mut search_from = 0;
    for (range, what) in found {
        if range.start < last {
            continue;
        }
        let written = &text[range.clone()];
        // Smart punctuation may change the text around the key, never the key: find it in the source.
        let at = source[search_from..]
            .find(written)
            .map_or(span.start, |i| span.start + search_from + i);
        search_from = (at - span.start + written.len()).min(source.len());
        // `\@key` is an escaped at sign; pulldown-cmark has already dropped the backslash.
        if matches!(what, Found::Citation(_)) && file.text[..at].ends_with('\\') {
            continue;
        }
        push_plain(&text[last..range.start], pieces);
        let span = at..at + written.len();
        last = range.end;
        match what {
            Found::CrossRef(label, form) => {
                parts.cross_refs.push(CrossRef {
                    label,
                    form,
                    file: Arc::clone(file),
                    span,
                    section,
                });
                pieces.push(Piece::CrossRef(parts.cross_refs.len() - 1));
            }
            Found::Citation(key) => {
                let item = CiteItem {
                    key,
                    key_span: span.clone(),
                    prefix: String::new(),
                    suffix: String::new(),
                    locator: None,
                    suppress_author: false,
                };
                parts.citations.push(Citation {
                    items: vec![item],
                    narrative: true,
                    file: Arc::clone(file),
                    span,
                    section,
                });
                pieces.push(Piece::Citation(parts.citations.len() - 1));
            }
        }
    }
    push_plain(&text[last..], pieces);
}

/// LaTeX's layout commands, which mean nothing on a web page: dropped, as Pandoc drops raw TeX
/// from HTML. (Other commands stay as written, so that a backslash in prose is never lost.)
const LAYOUT_COMMANDS: &[&str] = &[
    "\\noindent",
    "\\newpage",
    "\\clearpage",
    "\\pagebreak",
    "\\linebreak",
    "\\smallskip",
    "\\medskip",
    "\\bigskip",
    "\\vfill",
    "\\hfill",
    "\\centering",
    "\\FloatBarrier",
    "\\vspace",
    "\\hspace",
    "\\vspace*",
    "\\hspace*",
];

/// The text without LaTeX layout commands (and their `{…}` argument).
fn without_layout_commands(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\\') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let name_len = 1 + after[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '*')
            .map(char::len_utf8)
            .sum::<usize>();
        let name = &after[..name_len];
        if !LAYOUT_COMMANDS.contains(&name) {
            out.push('\\');
            rest = &after[1..];
            continue;
        }
        let mut tail = &after[name_len..];
        if tail.starts_with('{') {
            if let Some(close) = tail.find('}') {
                tail = &tail[close + 1..];
            }
        }
        rest = tail
            .strip_prefix(' ')
            .filter(|_| out.is_empty() || out.ends_with(' '))
            .unwrap_or(tail);
    }
    out.push_str(rest);
    out.into()
}

/// Text, with Pandoc's `^superscript^` and `~subscript~` (no spaces inside: "~5% to ~10%" is
/// text) made `<sup>` and `<sub>`.
fn push_plain(text: &str, pieces: &mut Vec<Piece>) {
    let text = without_layout_commands(text);
    let mut rest = text.as_ref();
    while let Some(open) = rest.find(['^', '~']) {
        let mark = rest[open..].chars().next().unwrap_or('^');
        let after = &rest[open + 1..];
        let inner = after.find(mark).map(|close| &after[..close]);
        let Some(inner) = inner.filter(|inner| {
            !inner.is_empty()
                && !inner.contains(char::is_whitespace)
                && !inner.starts_with('[')
                && !inner.contains(['^', '~'])
        }) else {
            push_text_piece(&rest[..open + 1], pieces);
            rest = after;
            continue;
        };
        let (opening, closing) = if mark == '^' {
            (Markup::SuperscriptOpen, Markup::SuperscriptClose)
        } else {
            (Markup::SubscriptOpen, Markup::SubscriptClose)
        };
        push_text_piece(&rest[..open], pieces);
        pieces.push(Piece::Markup(opening));
        push_text_piece(inner, pieces);
        pieces.push(Piece::Markup(closing));
        rest = &after[inner.len() + 1..];
    }
    push_text_piece(rest, pieces);
}

fn push_text_piece(text: &str, pieces: &mut Vec<Piece>) {
    if text.is_empty() {
        return;
    }
    pieces.push(Piece::Markdown(Event::Text(CowStr::from(text.to_string()))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_commands_are_dropped_and_other_backslashes_kept() {
        assert_eq!(
            without_layout_commands("\\noindent Text \\vspace{1em} more"),
            "Text more"
        );
        assert_eq!(
            without_layout_commands("C:\\Users and \\alpha"),
            "C:\\Users and \\alpha"
        );
    }
}
