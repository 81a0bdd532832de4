//! The source audit: every place each source is cited (with the citing sentence), the sources
//! with what a reviewer should know about them, and same-author-same-year groups. `brief check`
//! reports it; the built site shows it on its "Source audit" page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::SourceFile;
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
    /// Where that sentence is in `file` (bytes), for showing it rendered.
    #[serde(skip)]
    pub sentence_span: std::ops::Range<usize>,
    /// The citation's index among all citations.
    #[serde(skip)]
    pub citation: usize,
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
    let citations = &resolved.all_citations;
    // Each file's blocks and sentences are found once, so that a paragraph with thousands of
    // citations costs its length once, not once per citation; the files on every core.
    let mut files: Vec<(&Arc<SourceFile>, Vec<usize>)> = Vec::new();
    let mut file_of: HashMap<usize, usize> = HashMap::new();
    for (index, citation) in citations.iter().enumerate() {
        let file = *file_of
            .entry(Arc::as_ptr(&citation.file) as usize)
            .or_insert_with(|| {
                files.push((&citation.file, Vec::new()));
                files.len() - 1
            });
        files[file].1.push(index);
    }
    let per_file = crate::parallel::map(files.len(), |f| {
        let (file, cited) = &files[f];
        let mut sentences = SentenceIndex::new(&file.text);
        cited
            .iter()
            .map(|&index| {
                let citation = &citations[index];
                // A single document has no section pages: its citations are on the home page.
                let page = sections
                    .get(citation.section)
                    .filter(|_| !resolved.document.single)
                    .map(|s| format!("{}/", s.slug))
                    .unwrap_or_default();
                let (sentence, sentence_span) = match figure_of(resolved, citation) {
                    Some(figure) => (figure, 0..0),
                    None => sentences.sentence_with_span(&file.text, citation.span.start),
                };
                let found: Vec<Occurrence> = citation
                    .items
                    .iter()
                    .map(|item| {
                        let (line, column) = file.line_col(item.key_span.start);
                        Occurrence {
                            key: item.key.clone(),
                            file: file.name.clone(),
                            line,
                            column,
                            page: page.clone(),
                            anchor: resolved.citation_anchor(index).to_string(),
                            sentence: sentence.clone(),
                            sentence_span: sentence_span.clone(),
                            citation: index,
                        }
                    })
                    .collect();
                (index, found)
            })
            .collect::<Vec<_>>()
    });
    // Back in reading order.
    let mut in_order: Vec<Vec<Occurrence>> = vec![Vec::new(); citations.len()];
    for (index, found) in per_file.into_iter().flatten() {
        in_order[index] = found;
    }
    in_order.into_iter().flatten().collect()
}

/// For a figure's source line or caption, the figure it belongs to.
fn figure_of(resolved: &ResolvedDocument, citation: &crate::parse::Citation) -> Option<String> {
    let figures = resolved.document.figures.iter().zip(&resolved.figures);
    for (spec, figure) in figures {
        let inside =
            Arc::ptr_eq(&spec.file, &citation.file) && spec.span.contains(&citation.span.start);
        if inside {
            return Some(format!("Figure {}: {}", figure.number, figure.title));
        }
    }
    None
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
    SentenceIndex::new(text).sentence_at(text, offset)
}

/// A file's blocks, and the sentence ends of each block once asked for.
struct SentenceIndex {
    /// Byte ranges, in order, covering the file: a block starts at the first line, at a line
    /// that starts a block of its own, and at and after a blank line.
    blocks: Vec<(usize, usize)>,
    ends: HashMap<usize, Vec<usize>>,
}

impl SentenceIndex {
    fn new(text: &str) -> SentenceIndex {
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        let mut offset = 0;
        let mut previous_blank = true;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let blank = content.trim().is_empty();
            let end = offset + content.len();
            match blocks.last_mut() {
                Some(last) if !(previous_blank || blank || starts_block(content)) => last.1 = end,
                _ => blocks.push((offset, end)),
            }
            previous_blank = blank;
            offset += line.len();
        }
        SentenceIndex {
            blocks,
            ends: HashMap::new(),
        }
    }

    fn sentence_at(&mut self, text: &str, offset: usize) -> String {
        self.sentence_with_span(text, offset).0
    }

    /// The sentence, and its byte range in `text` (not cut to the window, comments inside).
    fn sentence_with_span(
        &mut self,
        text: &str,
        offset: usize,
    ) -> (String, std::ops::Range<usize>) {
        let offset = offset.min(text.len());
        let block = self
            .blocks
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        let (start, end) = self.blocks.get(block).copied().unwrap_or((0, text.len()));
        let paragraph = &text[start..end.max(start)];
        let at = offset.saturating_sub(start).min(paragraph.len());
        let boundaries = self
            .ends
            .entry(block)
            .or_insert_with(|| sentence_ends(paragraph));
        let from = boundaries[..boundaries.partition_point(|&b| b <= at)]
            .last()
            .copied()
            .unwrap_or(0);
        let to = boundaries
            .get(boundaries.partition_point(|&b| b <= at))
            .copied()
            .unwrap_or(paragraph.len());
        let (from, to, cut_before, cut_after) = window(paragraph, from, at, to);
        let span = start + from..start + to;
        let sentence = strip_comments(&paragraph[from..to]);
        let sentence = sentence.trim_start();
        let sentence = ["- ", "* ", "+ "]
            .iter()
            .find_map(|marker| sentence.strip_prefix(marker))
            .unwrap_or(sentence);
        let words = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
        let sentence = format!(
            "{}{words}{}",
            if cut_before { "… " } else { "" },
            if cut_after { " …" } else { "" }
        );
        (sentence, span)
    }
}

/// The longest "sentence" shown, in bytes on each side of the citation: a paragraph with no
/// sentence ends would otherwise be quoted whole for each of its citations.
const SENTENCE_REACH: usize = 600;

/// `from..to` narrowed to [`SENTENCE_REACH`] on each side of `at`, at word boundaries, and
/// whether each side was cut.
fn window(text: &str, from: usize, at: usize, to: usize) -> (usize, usize, bool, bool) {
    let mut start = from;
    let mut cut_before = false;
    if at.saturating_sub(from) > SENTENCE_REACH {
        let mut floor = at - SENTENCE_REACH;
        while !text.is_char_boundary(floor) {
            floor += 1;
        }
        start = text[floor..at].find(' ').map_or(floor, |i| floor + i + 1);
        cut_before = true;
    }
    let mut end = to;
    let mut cut_after = false;
    if to.saturating_sub(at) > SENTENCE_REACH {
        let mut ceiling = at + SENTENCE_REACH;
        while !text.is_char_boundary(ceiling) {
            ceiling -= 1;
        }
        end = text[at..ceiling].rfind(' ').map_or(ceiling, |i| at + i);
        cut_after = true;
    }
    (start, end.max(start), cut_before, cut_after)
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
        // "vs. Interdependence", "et al. Their", "cf. Smith": abbreviations, not ends.
        let letters = chars[..i]
            .iter()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .count();
        let word: String = chars[i - letters..i].iter().map(|&(_, c)| c).collect();
        if matches!(
            word.as_str(),
            "vs" | "al" | "cf" | "Mr" | "Dr" | "Ms" | "No" | "pp" | "Vol"
        ) {
            continue;
        }
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

pub(crate) fn strip_comments(text: &str) -> String {
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
