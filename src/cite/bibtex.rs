//! BibTeX/BibLaTeX files as real reference managers and journals export them, read by brief's
//! own reader ([`super::read::bibtex`], Pandoc's rules) into the engine's model. Before that,
//! the file's blocks are measured ([`super::bibtex_bounds`]): a file whose abbreviations or
//! braces go past the limits is an error at its block, not a site of hundreds of megabytes.
//! One broken entry is a warning at its line; the others are still read.

use std::ops::Range;
use std::sync::Arc;

use super::read::read_bibtex;
use super::references::ParsedEntry;
use crate::diagnostic::{Diagnostic, SourceFile};

/// A `@kind{…}` block of the file.
struct Block {
    kind: String,
    span: Range<usize>,
}

/// Reads every entry it can; each one it cannot is a warning at its place.
pub fn parse(file: &Arc<SourceFile>) -> Result<(Vec<ParsedEntry>, Vec<Diagnostic>), Diagnostic> {
    let spans: Vec<(String, Range<usize>)> = split_blocks(&file.text)
        .into_iter()
        .map(|block| (block.kind, block.span))
        .collect();
    super::bibtex_bounds::check(file, &spans)?;
    let read = read_bibtex(&file.text);
    let entries = read
        .entries
        .into_iter()
        .map(|entry| ParsedEntry {
            reference: entry.reference,
            key_span: entry.key_span,
        })
        .collect();
    let warnings = read
        .warnings
        .into_iter()
        .map(|warning| {
            let code = if warning.message.starts_with("skipped") {
                "unreadable-entry"
            } else {
                "bibtex"
            };
            Diagnostic::warning(warning.message)
                .at(file, warning.span, "here")
                .hint(warning.hint)
                .code(code)
        })
        .collect();
    Ok((entries, warnings))
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
fn split_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
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
            // The reader reports it; the bounds need only the blocks that close.
            at = start + 1;
            continue;
        };
        let span = start..body_start + body.len();
        blocks.push(Block {
            kind,
            span: span.clone(),
        });
        at = span.end;
    }
    blocks
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
    use crate::csl::reference::{variable, NameVariable};

    fn file(text: &str) -> Arc<SourceFile> {
        SourceFile::new("refs.bib", text)
    }

    #[test]
    fn a_broken_entry_does_not_take_the_others_down() {
        let text = "@article{good1, title={One}, author={Doe, Jane}, year={2020}, journal={J}}\n\
                    @article{bad, title={Two, author={Roe, Ann}, year={2021}}\n\
                    @book{good2, title={Three}, author={Poe, Ed}, year={2019}, publisher={P}}\n";
        let (entries, warnings) = parse(&file(text)).unwrap();
        let keys: Vec<&str> = entries.iter().map(|e| e.reference.id.as_str()).collect();
        assert!(keys.contains(&"good1"), "{keys:?}");
        assert!(!warnings.is_empty(), "the broken entry is reported");
        assert!(
            warnings[0].message.contains("BibTeX"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn hidden_urls_and_organisations_are_read() {
        let text = "@misc{b, title={Site}, howpublished={\\url{https://example.org/x}}, year={2020}}\n\
                    @online{c, title={Page}, organization={Big Agency}, year={2022}, url={https://example.org/p}}\n";
        let (entries, _) = parse(&file(text)).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].reference.text(variable("URL").unwrap()),
            Some("https://example.org/x")
        );
        let c = &entries[1].reference;
        let publisher = c.text(variable("publisher").unwrap());
        let author = c.names(NameVariable::Author);
        assert!(publisher == Some("Big Agency") || author.is_some(), "{c:?}");
    }

    #[test]
    fn comments_strings_and_percent_signs_are_handled() {
        let text = "% a comment line with @fake{x,\n@comment{free text}\n@string{jn = \"Journal of Things\"}\n\
                    @article{k, title = \"Fifty \\% off\", author={M{\\\"u}ller, Hans}, journal=jn, year=2020}\n";
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
        let author = &entries[0].reference.names(NameVariable::Author).unwrap()[0];
        assert_eq!(author.family.as_deref(), Some("Müller"));
    }
}
