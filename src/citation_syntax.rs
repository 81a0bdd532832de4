//! Pandoc's citation syntax: `[see @key, pp. 33–35; -@other]` and narrative `@key`.
//!
//! Pure string parsing, no Markdown: the parse stage hands in the text between brackets (or a
//! text run) and gets back the cited items with byte spans relative to that text.

use std::ops::Range;

/// One cited source inside a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// Byte range of `@key` in the parsed text.
    pub key_span: Range<usize>,
    /// Text before the key ("see").
    pub prefix: String,
    /// Text after the key and its locator ("for a summary").
    pub suffix: String,
    pub locator: Option<Locator>,
    /// `-@key`: print the year without the author.
    pub suppress_author: bool,
}

/// A pinpoint such as "pp. 33–35".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    pub kind: LocatorKind,
    pub value: String,
}

/// The CSL locator types that a locator word maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocatorKind {
    Book,
    Chapter,
    Column,
    Figure,
    Folio,
    Issue,
    Line,
    Note,
    Opus,
    Page,
    Paragraph,
    Part,
    Section,
    SubVerbo,
    Verse,
    Volume,
    Table,
}

/// Locator words as Pandoc accepts them (English), longest first so "pp." wins over "p.".
const LOCATOR_WORDS: &[(&str, LocatorKind)] = &[
    ("chapters", LocatorKind::Chapter),
    ("chapter", LocatorKind::Chapter),
    ("chaps.", LocatorKind::Chapter),
    ("chap.", LocatorKind::Chapter),
    ("ch.", LocatorKind::Chapter),
    ("columns", LocatorKind::Column),
    ("column", LocatorKind::Column),
    ("cols.", LocatorKind::Column),
    ("col.", LocatorKind::Column),
    ("figures", LocatorKind::Figure),
    ("figure", LocatorKind::Figure),
    ("figs.", LocatorKind::Figure),
    ("fig.", LocatorKind::Figure),
    ("folios", LocatorKind::Folio),
    ("folio", LocatorKind::Folio),
    ("fols.", LocatorKind::Folio),
    ("fol.", LocatorKind::Folio),
    ("issues", LocatorKind::Issue),
    ("issue", LocatorKind::Issue),
    ("nos.", LocatorKind::Issue),
    ("no.", LocatorKind::Issue),
    ("lines", LocatorKind::Line),
    ("line", LocatorKind::Line),
    ("ll.", LocatorKind::Line),
    ("l.", LocatorKind::Line),
    ("notes", LocatorKind::Note),
    ("note", LocatorKind::Note),
    ("nn.", LocatorKind::Note),
    ("n.", LocatorKind::Note),
    ("opus", LocatorKind::Opus),
    ("opp.", LocatorKind::Opus),
    ("op.", LocatorKind::Opus),
    ("pages", LocatorKind::Page),
    ("page", LocatorKind::Page),
    ("pp.", LocatorKind::Page),
    ("p.", LocatorKind::Page),
    ("paragraphs", LocatorKind::Paragraph),
    ("paragraph", LocatorKind::Paragraph),
    ("paras.", LocatorKind::Paragraph),
    ("para.", LocatorKind::Paragraph),
    ("¶¶", LocatorKind::Paragraph),
    ("¶", LocatorKind::Paragraph),
    ("parts", LocatorKind::Part),
    ("part", LocatorKind::Part),
    ("pts.", LocatorKind::Part),
    ("pt.", LocatorKind::Part),
    ("sections", LocatorKind::Section),
    ("section", LocatorKind::Section),
    ("secs.", LocatorKind::Section),
    ("sec.", LocatorKind::Section),
    ("§§", LocatorKind::Section),
    ("§", LocatorKind::Section),
    ("sub verbis", LocatorKind::SubVerbo),
    ("sub verbo", LocatorKind::SubVerbo),
    ("s.vv.", LocatorKind::SubVerbo),
    ("s.v.", LocatorKind::SubVerbo),
    ("tables", LocatorKind::Table),
    ("table", LocatorKind::Table),
    ("tbls.", LocatorKind::Table),
    ("tbl.", LocatorKind::Table),
    ("verses", LocatorKind::Verse),
    ("verse", LocatorKind::Verse),
    ("vv.", LocatorKind::Verse),
    ("v.", LocatorKind::Verse),
    ("volumes", LocatorKind::Volume),
    ("volume", LocatorKind::Volume),
    ("vols.", LocatorKind::Volume),
    ("vol.", LocatorKind::Volume),
    ("books", LocatorKind::Book),
    ("book", LocatorKind::Book),
    ("bks.", LocatorKind::Book),
    ("bk.", LocatorKind::Book),
];

/// Characters allowed inside a key when followed by a letter, digit or `_` (Pandoc's rule).
const INTERNAL_PUNCTUATION: &str = ":.#$%&-+?<>~/";

/// Length in bytes of the key that starts at the beginning of `text` (after the `@`), or 0.
/// Follows Pandoc: `petrie1899---and` yields `petrie1899`; `{any key}` in braces is allowed.
pub fn key_len(text: &str) -> usize {
    if let Some(rest) = text.strip_prefix('{') {
        // A braced key ends on its line; looking further would make every `@{` cost the rest
        // of the text.
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        return line.find('}').map_or(0, |i| i + 2);
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    // Only as far as the key goes: a text with thousands of `@` must not be read to its end
    // for each of them.
    let mut chars = text.char_indices().peekable();
    match chars.peek() {
        Some(&(_, c)) if is_word(c) => {}
        _ => return 0,
    }
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        if is_word(c) {
            end = at + c.len_utf8();
        } else if !(INTERNAL_PUNCTUATION.contains(c)
            && chars.peek().is_some_and(|&(_, n)| is_word(n)))
        {
            break;
        }
    }
    end
}

/// The key text without braces.
fn key_text(raw: &str) -> &str {
    raw.strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(raw)
}

/// Whether an `@` at byte `at` of `text` may start a citation: not inside a word or an e-mail
/// address, and not escaped.
pub fn at_sign_starts_citation(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || c == '\\' || c == '@' || c == '.' || c == '_'),
    }
}

/// Parses the text between the brackets of `[…]`. `None` when it is not a citation (an item
/// without a key): the brackets then stay as the author wrote them.
pub fn parse_bracketed(inner: &str) -> Option<Vec<CiteItem>> {
    if !inner.contains('@') {
        return None;
    }
    let items = split_items(inner)
        .into_iter()
        .map(|part| parse_item(&inner[part.clone()], part.start))
        .collect::<Option<Vec<_>>>()?;
    (!items.is_empty()).then_some(items)
}

/// Byte ranges of the `;`-separated items, ignoring `;` inside braces.
fn split_items(inner: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                parts.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(start..inner.len());
    parts
}

fn parse_item(item: &str, base: usize) -> Option<CiteItem> {
    let at = item
        .char_indices()
        .filter(|&(i, c)| c == '@' && at_sign_starts_citation_in_item(item, i))
        .map(|(i, _)| i)
        .find(|&i| key_len(&item[i + 1..]) > 0)?;
    let len = key_len(&item[at + 1..]);
    let raw_key = &item[at + 1..at + 1 + len];
    let mut prefix = item[..at].trim_start();
    let suppress_author = prefix.ends_with('-');
    if suppress_author {
        prefix = &prefix[..prefix.len() - 1];
    }
    let (locator, suffix) = parse_suffix(&item[at + 1 + len..]);
    Some(CiteItem {
        key: key_text(raw_key).to_string(),
        key_span: base + at..base + at + 1 + len,
        prefix: prefix.trim().to_string(),
        suffix,
        locator,
        suppress_author,
    })
}

/// In an item, `-@key` is fine (the minus suppresses the author).
fn at_sign_starts_citation_in_item(item: &str, at: usize) -> bool {
    item[..at].ends_with('-') || at_sign_starts_citation(item, at)
}

/// Splits what follows a key into a locator ("pp. 33–35") and the rest of the suffix.
pub fn parse_suffix(after_key: &str) -> (Option<Locator>, String) {
    let trimmed = after_key.trim_start();
    let body = trimmed.strip_prefix(',').unwrap_or(trimmed).trim_start();
    let lower = body.to_lowercase();
    for (word, kind) in LOCATOR_WORDS {
        if !lower.starts_with(word) || !body.is_char_boundary(word.len()) {
            continue;
        }
        let after_word = &body[word.len()..];
        // "page" must be a whole word; "p." already ends in punctuation.
        if !word.ends_with('.') && after_word.chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let value_text = after_word.trim_start();
        let value_len = locator_value_len(value_text);
        if value_len == 0 {
            continue;
        }
        let value = value_text[..value_len].trim_end().to_string();
        // What follows keeps its punctuation: "p. 33, and elsewhere" prints ", and elsewhere".
        let rest = value_text[value_len..].trim().to_string();
        return (Some(Locator { kind: *kind, value }), rest);
    }
    // A suffix without a locator keeps the comma it was written with, as Pandoc prints it:
    // `[@doe, for a summary]` is "(Doe, 2020, for a summary)".
    (None, trimmed.trim_end().to_string())
}

/// How much of `text` is a locator value: numbers, roman numerals, ranges and lists ("33–35, 40").
fn locator_value_len(text: &str) -> usize {
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let continues = match c {
            c if c.is_alphanumeric() => true,
            '-' | '–' | '—' | '.' | ':' => true,
            ',' | ' ' => chars
                .peek()
                .is_some_and(|&(_, n)| n.is_ascii_digit() || n == ' '),
            _ => false,
        };
        if !continues {
            break;
        }
        if c.is_alphanumeric() || matches!(c, '-' | '–' | '—' | '.' | ':') {
            end = i + c.len_utf8();
        }
        // A word after the number ends the locator: "p. 4 for details".
        if c == ' ' && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic()) {
            break;
        }
    }
    end
}

/// Narrative citations (`@key`) in a run of text: `(byte range of @key, key)` for each.
pub fn find_narrative(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        if !at_sign_starts_citation(text, at) {
            continue;
        }
        let len = key_len(&text[at + 1..]);
        if len > 0 {
            found.push((
                at..at + 1 + len,
                key_text(&text[at + 1..at + 1 + len]).to_string(),
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(inner: &str) -> Vec<String> {
        parse_bracketed(inner)
            .unwrap()
            .into_iter()
            .map(|i| i.key)
            .collect()
    }

    #[test]
    fn pandoc_key_end_rule() {
        assert_eq!(key_len("petrie1899---and"), "petrie1899".len());
        assert_eq!(key_len("doe:2022.a-b_c, p. 4"), "doe:2022.a-b_c".len());
        assert_eq!(key_len("key."), 3);
        assert_eq!(key_len("{Weird key!}"), 12);
        assert_eq!(key_len(" no"), 0);
    }

    #[test]
    fn several_items_keep_their_order() {
        assert_eq!(keys("@usgs2024; @csis2025"), ["usgs2024", "csis2025"]);
    }

    #[test]
    fn prefix_locator_suffix_and_suppressed_author() {
        let items = parse_bracketed("see @key, pp. 33–35 for more; -@other").unwrap();
        assert_eq!(items[0].prefix, "see");
        assert_eq!(
            items[0].locator,
            Some(Locator {
                kind: LocatorKind::Page,
                value: "33–35".into()
            })
        );
        assert_eq!(items[0].suffix, "for more");
        // A suffix keeps the comma it was written with, with or without a locator.
        let affixed = parse_bracketed("@key, for a summary; @other, p. 3, and elsewhere").unwrap();
        assert_eq!(affixed[0].suffix, ", for a summary");
        assert_eq!(affixed[1].suffix, ", and elsewhere");
        assert!(items[1].suppress_author);
        assert_eq!(items[1].prefix, "");
        let items = parse_bracketed("Sources: @a; @b, chap. 1").unwrap();
        assert_eq!(items[0].prefix, "Sources:");
        assert_eq!(
            items[1].locator,
            Some(Locator {
                kind: LocatorKind::Chapter,
                value: "1".into()
            })
        );
    }

    #[test]
    fn not_citations() {
        assert_eq!(parse_bracketed("a link"), None);
        assert_eq!(parse_bracketed("mail me@example.org"), None);
        assert_eq!(parse_bracketed("@a; no key here"), None);
        assert!(find_narrative("write to me@example.org or \\@not").is_empty());
    }

    #[test]
    fn narrative_keys_with_spans() {
        let text = "As @doe2022 shows, and @wipo2024.";
        let found = find_narrative(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].0.clone()], "@doe2022");
        assert_eq!(found[1].1, "wipo2024");
    }
}
