//! Pandoc's inline notes, `text.^[The note, which may cite [@key].]`: found in the text once the
//! section is read (the brackets reach us as text, the citations inside as citations), and
//! turned into a note call with the note's content kept for the page's endnotes.

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::pieces::SectionParse;
use super::Piece;

/// The pieces with every `^[…]` replaced by a note call; the notes go to `section`.
pub(super) fn take_inline_notes(pieces: Vec<Piece>, section: &mut SectionParse<'_>) -> Vec<Piece> {
    let maybe_note = pieces.iter().any(
        |p| matches!(p, Piece::Markdown(Event::Text(t)) if t.contains("^[") || t.ends_with('^')),
    );
    if !maybe_note {
        return pieces;
    }
    let mut rest: std::collections::VecDeque<Piece> = joined_texts(pieces).into();
    let mut out = Vec::with_capacity(rest.len());
    while let Some(piece) = rest.pop_front() {
        let Piece::Markdown(Event::Text(text)) = &piece else {
            out.push(piece);
            continue;
        };
        let Some(open) = text.find("^[") else {
            out.push(piece);
            continue;
        };
        let Some((content, after)) = note_content(&text[open + 2..], &rest) else {
            // No closing bracket in the paragraph: the text is only text.
            out.push(piece);
            continue;
        };
        if open > 0 {
            out.push(text_piece(&text[..open]));
        }
        rest.drain(..content.taken);
        out.push(section.inline_note(content.pieces));
        // What follows the note may hold another note.
        if !after.is_empty() {
            rest.push_front(text_piece(&after));
        }
    }
    out
}

struct NoteContent {
    pieces: Vec<Piece>,
    /// How many of the following pieces the note takes (the last one only in part).
    taken: usize,
}

/// The note's pieces up to its closing bracket (brackets inside pair up), and the text after it.
fn note_content(
    first: &str,
    following: &std::collections::VecDeque<Piece>,
) -> Option<(NoteContent, String)> {
    let mut depth = 1usize;
    let close_in = |text: &str, depth: &mut usize| -> Option<usize> {
        for (i, c) in text.char_indices() {
            match c {
                '[' => *depth += 1,
                ']' => {
                    *depth -= 1;
                    if *depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    };
    if let Some(close) = close_in(first, &mut depth) {
        let pieces = non_empty(&first[..close]).into_iter().collect();
        return Some((
            NoteContent { pieces, taken: 0 },
            first[close + 1..].to_string(),
        ));
    }
    let mut pieces: Vec<Piece> = non_empty(first).into_iter().collect();
    for (k, piece) in following.iter().enumerate() {
        match piece {
            Piece::Markdown(Event::Text(text)) => {
                if let Some(close) = close_in(text, &mut depth) {
                    pieces.extend(non_empty(&text[..close]));
                    let content = NoteContent {
                        pieces,
                        taken: k + 1,
                    };
                    return Some((content, text[close + 1..].to_string()));
                }
                pieces.push(piece.clone());
            }
            // A note lives inside its paragraph (or list item, or table cell).
            piece if is_block_edge(piece) => return None,
            other => pieces.push(other.clone()),
        }
    }
    None
}

fn is_block_edge(piece: &Piece) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        piece,
        Piece::Markdown(
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. })
                | Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_)
                )
        )
    )
}

/// Adjacent text pieces as one (the text reader splits them around `^`).
fn joined_texts(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let (Piece::Markdown(Event::Text(next)), Some(Piece::Markdown(Event::Text(last)))) =
            (&piece, out.last_mut())
        {
            *last = CowStr::from(format!("{last}{next}"));
            continue;
        }
        out.push(piece);
    }
    out
}

fn non_empty(text: &str) -> Option<Piece> {
    (!text.is_empty()).then(|| text_piece(text))
}

fn text_piece(text: &str) -> Piece {
    Piece::Markdown(Event::Text(CowStr::from(text.to_string())))
}
