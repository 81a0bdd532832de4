//! The source audit: every place each source is cited (with the citing sentence), the sources
//! with what a reviewer should know about them, and same-author-same-year groups. `brief check`
//! reports it; the built site shows it on its "Source audit" page.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cite::citation_anchor;
use crate::resolve::ResolvedDocument;

/// One citation of one source, where a reviewer can find it.
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    pub key: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The section page that shows it, relative to the site root (`state-of-play/`).
    pub page: String,
    /// The citation's anchor on that page (and on the home page).
    pub anchor: String,
    /// The sentence that cites it, as written.
    pub sentence: String,
}

/// Sources whose in-text form is the same author and year, told apart by letters.
#[derive(Debug, Clone, Serialize)]
pub struct AmbiguousGroup {
    /// "Reuters, 2025".
    pub label: String,
    /// (key, the year with its letter: "2025a").
    pub members: Vec<(String, String)>,
}

/// Every citation occurrence, in reading order.
pub fn occurrences(resolved: &ResolvedDocument) -> Vec<Occurrence> {
    let sections = &resolved.document.sections;
    let mut found = Vec::new();
    for (index, citation) in resolved.all_citations.iter().enumerate() {
        let page = sections
            .get(citation.section)
            .map(|s| format!("{}/", s.slug))
            .unwrap_or_default();
        for item in &citation.items {
            let (line, column) = citation.file.line_col(item.key_span.start);
            found.push(Occurrence {
                key: item.key.clone(),
                file: citation.file.name.clone(),
                line,
                column,
                page: page.clone(),
                anchor: citation_anchor(index),
                sentence: sentence_for(resolved, citation),
            });
        }
    }
    found
}

/// The citing sentence, or for a figure's source line or caption, the figure it belongs to.
fn sentence_for(resolved: &ResolvedDocument, citation: &crate::parse::Citation) -> String {
    let figures = resolved.document.figures.iter().zip(&resolved.figures);
    for (spec, figure) in figures {
        let inside = std::sync::Arc::ptr_eq(&spec.file, &citation.file)
            && spec.span.contains(&citation.span.start);
        if inside {
            return format!("Figure {}: {}", figure.number, figure.title);
        }
    }
    sentence_at(&citation.file.text, citation.span.start)
}

/// Groups of listed sources whose formatted entries share author and year ("Reuters. (2025a,").
pub fn ambiguous_groups(resolved: &ResolvedDocument) -> Vec<AmbiguousGroup> {
    let mut groups: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for entry in &resolved.citations.entries {
        let Some(open) = entry.text.find(" (") else {
            continue;
        };
        let after = &entry.text[open + 2..];
        let year: String = after.chars().take_while(char::is_ascii_digit).collect();
        let letter = after[year.len()..]
            .chars()
            .next()
            .filter(char::is_ascii_lowercase);
        if let (4, Some(letter)) = (year.len(), letter) {
            let author = entry.text[..open].trim_end_matches('.').to_string();
            groups
                .entry((author, year.clone()))
                .or_default()
                .push((entry.key.clone(), format!("{year}{letter}")));
        }
    }
    groups
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .map(|((author, year), members)| AmbiguousGroup {
            label: format!("{author}, {year}"),
            members,
        })
        .collect()
}

/// The sentence of a Markdown file around byte `offset`: within its block (a paragraph, a list
/// item, a table row), from the end of the previous sentence to the end of this one, on one
/// line, HTML comments removed.
pub fn sentence_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let (start, end) = block_around(text, offset);
    let paragraph = &text[start..end];
    let at = offset - start;
    let boundaries = sentence_ends(paragraph);
    let from = boundaries
        .iter()
        .rev()
        .find(|&&b| b <= at)
        .copied()
        .unwrap_or(0);
    let to = boundaries
        .iter()
        .find(|&&b| b > at)
        .copied()
        .unwrap_or(paragraph.len());
    let sentence = strip_comments(&paragraph[from..to]);
    let sentence = sentence.trim_start();
    let sentence = ["- ", "* ", "+ "]
        .iter()
        .find_map(|marker| sentence.strip_prefix(marker))
        .unwrap_or(sentence);
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line that starts a block of its own: a list item, a table row, a heading, a fence.
fn starts_block(line: &str) -> bool {
    let line = line.trim_start();
    let numbered = line
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    ["- ", "* ", "+ ", "|", "#", "```"]
        .iter()
        .any(|m| line.starts_with(m))
        || numbered
}

/// Byte range of the block holding `offset`.
fn block_around(text: &str, offset: usize) -> (usize, usize) {
    let mut start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    while start > 0 && !starts_block(&text[start..]) {
        let previous = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        if text[previous..start].trim().is_empty() {
            break;
        }
        start = previous;
    }
    let mut end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    while end < text.len() {
        let next_end = text[end + 1..]
            .find('\n')
            .map_or(text.len(), |i| end + 1 + i);
        let next = &text[end + 1..next_end];
        if next.trim().is_empty() || starts_block(next) {
            break;
        }
        end = next_end;
    }
    (start, end)
}

/// Offsets just after each sentence end: `.`, `?` or `!` after a lower-case letter, digit or
/// bracket, followed by white space and a capital ("U.S. Geological" and "e.g., the" are not ends).
fn sentence_ends(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for i in 1..chars.len() {
        let (at, c) = chars[i];
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let before = chars[i - 1].1;
        let ends_word = before.is_lowercase()
            || before.is_ascii_digit()
            || matches!(before, ')' | ']' | '%' | '’' | '"');
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let after_space = chars[i + 1..]
            .iter()
            .map(|&(_, c)| c)
            .find(|c| !c.is_whitespace() && *c != '*');
        let starts_sentence = |c: char| c.is_uppercase() || matches!(c, '<' | '“' | '"');
        if ends_word
            && next.is_some_and(char::is_whitespace)
            && after_space.is_some_and(starts_sentence)
        {
            ends.push(at + c.len_utf8());
        }
    }
    ends
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_survive_abbreviations_and_comments() {
        let text =
            "First one. According to the U.S. Geological Survey, China supplied 69% [@usgs2024]. \
                    Next, e.g., this [@x]. <!-- note --> Last!\n\nOther paragraph.";
        let at = text.find("[@usgs2024]").unwrap();
        assert_eq!(
            sentence_at(text, at),
            "According to the U.S. Geological Survey, China supplied 69% [@usgs2024]."
        );
        let at = text.find("[@x]").unwrap();
        assert_eq!(sentence_at(text, at), "Next, e.g., this [@x].");
    }

    #[test]
    fn list_items_lose_their_marker() {
        let text = "Intro:\n\n- **April 2025:** China restricts exports [@csis2025].\n- **May:** Next [@x].\n";
        let at = text.find("[@csis").unwrap();
        assert_eq!(
            sentence_at(text, at),
            "**April 2025:** China restricts exports [@csis2025]."
        );
    }
}
