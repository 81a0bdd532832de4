//! What is mended once a section's events are read: a narrative citation's `[p. 4]` taken out
//! of the text as its locator, and the empty "References" heading Pandoc papers end with.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Citation, Heading, Piece};
use crate::citation_syntax;

/// `@key [p. 4]`: Pandoc reads the bracket after a narrative citation as its locator and suffix.
/// The bracket reaches us as plain text (it holds no key), so it is taken out of the text here.
/// The pieces are copied once, so that thousands of such citations cost no more than the text.
pub(super) fn attach_narrative_locators(pieces: &mut Vec<Piece>, citations: &mut [Citation]) {
    let mut out = Vec::with_capacity(pieces.len());
    let mut rest = std::mem::take(pieces).into_iter().peekable();
    while let Some(piece) = rest.next() {
        let Piece::Citation(index) = piece else {
            out.push(piece);
            continue;
        };
        out.push(piece);
        if !citations[index].narrative {
            continue;
        }
        // The text right after the citation, across however many text events it was split into.
        let mut texts = Vec::new();
        while let Some(Piece::Markdown(Event::Text(_))) = rest.peek() {
            if let Some(Piece::Markdown(Event::Text(text))) = rest.next() {
                texts.push(text);
            }
        }
        let tail: String = texts.iter().map(|t| t.as_ref()).collect();
        let locator = tail.strip_prefix(" [").and_then(|inner| {
            let close = inner.find(']')?;
            let written = &inner[..close];
            (!written.contains(['@', '[']) && !written.trim().is_empty())
                .then(|| (citation_syntax::parse_suffix(written), 2 + close + 1))
        });
        match locator {
            Some(((locator, suffix), taken)) => {
                let item = &mut citations[index].items[0];
                item.locator = locator;
                item.suffix = suffix;
                // Drop " [" + locator + "]" from the text that follows.
                if taken < tail.len() {
                    out.push(Piece::Markdown(Event::Text(CowStr::from(
                        tail[taken..].to_string(),
                    ))));
                }
            }
            None => out.extend(texts.into_iter().map(|t| Piece::Markdown(Event::Text(t)))),
        }
    }
    *pieces = out;
}

/// Pandoc papers end with an empty "# References" heading for the list Pandoc appends; the list
/// is generated here too, under its own heading, so an empty one at the very end is dropped.
pub(super) fn drop_trailing_references_heading(
    pieces: &mut Vec<Piece>,
    headings: &mut Vec<Heading>,
) {
    let Some(last) = headings.last() else { return };
    if !matches!(
        last.text.trim().to_lowercase().as_str(),
        "references" | "bibliography" | "works cited"
    ) {
        return;
    }
    let start = pieces
        .iter()
        .rposition(|piece| matches!(piece, Piece::Markdown(Event::Start(Tag::Heading { .. }))));
    let Some(start) = start else { return };
    let end = pieces[start..]
        .iter()
        .position(|piece| matches!(piece, Piece::Markdown(Event::End(TagEnd::Heading(_)))));
    let Some(end) = end.map(|e| start + e) else {
        return;
    };
    let nothing_after = pieces[end + 1..].iter().all(|piece| match piece {
        Piece::Markdown(Event::Html(html) | Event::InlineHtml(html)) => {
            html.trim().is_empty() || html.trim_start().starts_with("<!--")
        }
        Piece::Markdown(Event::SoftBreak | Event::HardBreak) => true,
        _ => false,
    });
    if nothing_after {
        pieces.truncate(start);
        headings.pop();
    }
}
