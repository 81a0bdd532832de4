//! BibTeX/BibLaTeX files as real reference managers and journals export them. hayagriva parses a
//! whole file or nothing; here each entry is parsed on its own (with the file's `@string`
//! abbreviations), so one broken entry is reported at its line and the others still work. Common
//! slips are mended the way BibTeX and Pandoc tolerate them: an undefined abbreviation is taken as
//! text, a free-text year keeps its four digits, and a URL hidden in `howpublished = {\url{…}}` or
//! an organisation that hayagriva drops is put back.

use std::ops::Range;
use std::sync::Arc;

use hayagriva::io::BibLaTeXError;
use hayagriva::types::{Person, QualifiedUrl};
use hayagriva::Entry;

use crate::diagnostic::{Diagnostic, SourceFile};

/// An entry read from the file, with where its key is written.
pub struct ParsedEntry {
    pub entry: Entry,
    pub key_span: Range<usize>,
}

/// A `@kind{…}` block of the file.
struct Block {
    kind: String,
    key: String,
    key_span: Range<usize>,
    span: Range<usize>,
}

/// Reads every entry it can; each one it cannot is a warning at its place. A file whose
/// abbreviations or braces go past the limits is an error ([`super::bibtex_bounds`]).
pub fn parse(file: &Arc<SourceFile>) -> Result<(Vec<ParsedEntry>, Vec<Diagnostic>), Diagnostic> {
    let text = &file.text;
    let (blocks, mut warnings) = split_blocks(file);
    let spans: Vec<(String, Range<usize>)> = blocks
        .iter()
        .map(|block| (block.kind.clone(), block.span.clone()))
        .collect();
    let needed = super::bibtex_bounds::check(file, &spans)?;
    let mut entries = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if matches!(block.kind.as_str(), "string" | "comment" | "preamble") {
            continue;
        }
        // Only the abbreviations this entry uses: with all of them, every entry of a file with
        // hundreds of `@string`s would be read with all of them again.
        let strings: String = needed
            .get(&index)
            .into_iter()
            .flatten()
            .map(|&string| &text[blocks[string].span.clone()])
            .collect::<Vec<_>>()
            .join("\n");
        match parse_block(file, block, &strings) {
            Ok(entry) => entries.push(ParsedEntry {
                entry,
                key_span: block.key_span.clone(),
            }),
            Err(warning) => warnings.push(warning),
        }
    }
    Ok((entries, warnings))
}

fn parse_block(file: &Arc<SourceFile>, block: &Block, strings: &str) -> Result<Entry, Diagnostic> {
    let mut source = text_of_block(file, block);
    let mut extra_strings = String::new();
    // Each retry mends one kind of slip; a handful is plenty for one entry.
    for _ in 0..8 {
        let prefix = format!("{strings}\n{extra_strings}\n");
        let combined = format!("{prefix}{source}");
        match hayagriva::io::from_biblatex_str(&combined) {
            Ok(library) => {
                let mut entry = library.iter().next().cloned().ok_or_else(|| {
                    entry_warning(
                        file,
                        block,
                        block.span.start..block.span.start,
                        "no entry could be read",
                    )
                })?;
                mend(&mut entry, &source);
                return Ok(entry);
            }
            Err(errors) => {
                let Some(error) = errors.first() else { break };
                let message = error.to_string();
                if let BibLaTeXError::Parse(parse) = error {
                    if let biblatex::ParseErrorKind::UnknownAbbreviation(name) = &parse.kind {
                        // BibTeX prints an undefined macro as nothing and warns; its name is the
                        // better guess (`journal = Science`).
                        extra_strings.push_str(&format!("@string{{{name} = {{{name}}}}}\n"));
                        continue;
                    }
                }
                if let Some(mended) = mend_year(&source) {
                    if mended != source {
                        source = mended;
                        continue;
                    }
                }
                let span = match error {
                    BibLaTeXError::Parse(e) => e.span.clone(),
                    BibLaTeXError::Type(e) => e.span.clone(),
                };
                let offset = prefix.len();
                let start =
                    block.span.start + span.start.saturating_sub(offset).min(block.span.len());
                let end = block.span.start + span.end.saturating_sub(offset).min(block.span.len());
                return Err(entry_warning(file, block, start..end.max(start), &message));
            }
        }
    }
    Err(entry_warning(
        file,
        block,
        block.key_span.clone(),
        "could not be read",
    ))
}

fn text_of_block(file: &SourceFile, block: &Block) -> String {
    file.text[block.span.clone()].to_string()
}

fn entry_warning(
    file: &Arc<SourceFile>,
    block: &Block,
    span: Range<usize>,
    message: &str,
) -> Diagnostic {
    Diagnostic::warning(format!("skipped BibTeX entry `{}`: {message}", block.key))
        .at(file, span, "here")
        .hint("the other entries were read; citing this one is an error until it is fixed")
        .code("unreadable-entry")
}

/// `year = {December 2021}` → `year = {2021}`, as BibTeX styles effectively print it.
fn mend_year(source: &str) -> Option<String> {
    let value = raw_field(source, "year")?;
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 || value.trim() == digits {
        return None;
    }
    let year = &value[value.find(|c: char| c.is_ascii_digit())?..];
    let year: String = year.chars().take_while(char::is_ascii_digit).collect();
    if year.len() != 4 {
        return None;
    }
    Some(source.replacen(&value, &year, 1))
}

/// Puts back what hayagriva drops on import.
fn mend(entry: &mut Entry, source: &str) {
    if entry.url().is_none() {
        let hidden = ["howpublished", "note"].iter().find_map(|field| {
            let value = raw_field(source, field)?;
            let start = value.find("\\url{")? + "\\url{".len();
            let end = value[start..].find('}')? + start;
            Some(value[start..end].trim().to_string())
        });
        // hayagriva's own deserialiser checks the URL.
        if let Some(url) =
            hidden.and_then(|u| serde_json::from_value::<QualifiedUrl>(u.into()).ok())
        {
            entry.set_url(url);
        }
    }
    if entry.authors().is_none_or(<[Person]>::is_empty)
        && entry.editors().is_none_or(<[Person]>::is_empty)
    {
        if let Some(organization) =
            raw_field(source, "organization").or_else(|| raw_field(source, "institution"))
        {
            let name = strip_braces(&organization);
            if !name.is_empty() {
                let person = Person {
                    name,
                    given_name: None,
                    prefix: None,
                    suffix: None,
                    alias: None,
                    comma_suffix: false,
                };
                entry.set_authors(vec![person]);
            }
        }
    }
}

fn strip_braces(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '{' && *c != '}')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The raw value of `name = {…}` or `name = "…"` in an entry's text (braces kept inside).
pub fn raw_field(source: &str, name: &str) -> Option<String> {
    let lower = source.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        let rest = source[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return match rest.chars().next()? {
            '{' => balanced(rest, '{', '}').map(|v| v[1..v.len() - 1].to_string()),
            '"' => rest[1..]
                .find('"')
                .map(|end| rest[1..=end].trim_end_matches('"').to_string()),
            _ => Some(rest.split([',', '}', '\n']).next()?.trim().to_string()),
        };
    }
    None
}

/// The prefix of `text` from its opening `open` to the matching `close`.
fn balanced(text: &str, open: char, close: char) -> Option<&str> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(&text[..=i]);
            }
        }
    }
    None
}

/// Finds every `@kind{…}` block, braces balanced; text outside blocks is a comment to BibTeX.
fn split_blocks(file: &Arc<SourceFile>) -> (Vec<Block>, Vec<Diagnostic>) {
    let text = &file.text;
    let mut blocks = Vec::new();
    let mut warnings = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('@') {
        let start = at + found;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..start].trim_start().starts_with('%') {
            // A `%` comment line, as biber reads them.
            at = start + 1;
            continue;
        }
        let after = &text[start + 1..];
        let kind_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let kind = after[..kind_len].to_ascii_lowercase();
        let rest = &after[kind_len..];
        let open_at = rest.len() - rest.trim_start().len();
        let (open, close) = match rest[open_at..].chars().next() {
            Some('{') => ('{', '}'),
            Some('(') => ('(', ')'),
            _ => {
                at = start + 1;
                continue;
            }
        };
        let body_start = start + 1 + kind_len + open_at;
        let Some(body) = balanced_entry(&text[body_start..], open, close) else {
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let key = text[(body_start + 1).min(line_end)..line_end]
                .split(',')
                .next()
                .unwrap_or("")
                .trim();
            warnings.push(
                Diagnostic::warning(format!(
                    "skipped BibTeX entry `{key}` (@{kind}): its braces are not balanced"
                ))
                .at(file, start..line_end, "this block is never closed")
                .hint(
                    "every `{` needs its `}`; the entries after it were still read where possible",
                ),
            );
            at = start + 1;
            continue;
        };
        let span = start..body_start + body.len();
        let inner = &body[1..];
        let key_text = inner.split([',', '\n']).next().unwrap_or("").trim();
        let key_offset = body_start + 1 + inner.find(key_text).unwrap_or(0);
        blocks.push(Block {
            kind,
            key: key_text.to_string(),
            key_span: key_offset..key_offset + key_text.len(),
            span: span.clone(),
        });
        at = span.end;
    }
    (blocks, warnings)
}

/// Like [`balanced`], but a `(`…`)` entry only counts parentheses outside braces.
fn balanced_entry(text: &str, open: char, close: char) -> Option<&str> {
    if open == '{' {
        return balanced(text, '{', '}');
    }
    let mut braces = 0usize;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '{' => braces += 1,
            '}' => braces = braces.saturating_sub(1),
            c if c == close && braces == 0 => return Some(&text[..=i]),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Arc<SourceFile> {
        SourceFile::new("refs.bib", text)
    }

    #[test]
    fn a_broken_entry_does_not_take_the_others_down() {
        let text = "@article{good1, title={One}, author={Doe, Jane}, year={2020}, journal={J}}\n\
                    @article{bad, title={Two, author={Roe, Ann}, year={2021}}\n\
                    @book{good2, title={Three}, author={Poe, Ed}, year={2019}, publisher={P}}\n";
        let (entries, warnings) = parse(&file(text)).unwrap();
        let keys: Vec<&str> = entries.iter().map(|e| e.entry.key()).collect();
        assert!(keys.contains(&"good1"), "{keys:?}");
        assert!(!warnings.is_empty(), "the broken entry is reported");
        assert!(
            warnings[0].message.contains("BibTeX"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn mends_undefined_abbreviations_free_text_years_and_hidden_urls() {
        let text = "@article{a, title={T}, author={Doe, J.}, journal = Science, year={December 2021}}\n\
                    @misc{b, title={Site}, howpublished={\\url{https://example.org/x}}, year={2020}}\n\
                    @online{c, title={Page}, organization={Big Agency}, year={2022}, url={https://example.org/p}}\n";
        let (entries, warnings) = parse(&file(text)).unwrap();
        assert!(
            warnings.is_empty(),
            "{:?}",
            warnings
                .iter()
                .map(|w| w.message.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(entries.len(), 3);
        let b = &entries[1].entry;
        assert_eq!(
            b.url().map(|u| u.value.as_str()),
            Some("https://example.org/x")
        );
        let c = &entries[2].entry;
        assert_eq!(c.authors().map(|a| a[0].name.as_str()), Some("Big Agency"));
    }

    #[test]
    fn comments_strings_and_percent_signs_are_handled() {
        let text = "% a comment line with @fake{x,\n@comment{free text}\n@string{jn = \"Journal of Things\"}\n\
                    @article{k, title = \"Fifty % off\", author={M{\\\"u}ller, Hans}, journal=jn, year=2020}\n";
        let (entries, warnings) = parse(&file(text)).unwrap();
        assert!(
            warnings.is_empty(),
            "{:?}",
            warnings
                .iter()
                .map(|w| w.message.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].entry.authors().unwrap()[0].name, "Müller");
    }
}
