//! What a BibTeX file may expand to, worked out before the BibTeX reader expands it. `@string`
//! abbreviations can repeat each other (`s2 = s1 # s1`, `s3 = s2 # s2`, …): forty lines double a
//! word forty times, and a 654-byte file once became a 241 MB site (and hung at 40 levels).
//! Here every abbreviation's and every field's length is computed from the lengths of its parts,
//! without building the text, and braces are counted; past the limits
//! ([`MAX_EXPANDED_BYTES`], [`MAX_BRACE_NESTING`]) the file is an error at the block.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::limits::{MAX_BRACE_NESTING, MAX_EXPANDED_BYTES};

/// The month abbreviations BibTeX defines, at their longest.
const MONTH_LENGTH: u64 = 9;

/// Checks the blocks (`(kind, span)`) of a file, in order, as BibTeX reads them.
pub fn check(file: &Arc<SourceFile>, blocks: &[(String, Range<usize>)]) -> Result<(), Diagnostic> {
    let mut strings: HashMap<String, u64> = HashMap::new();
    for (kind, span) in blocks {
        let body = &file.text[span.clone()];
        if let Some(at) = too_deep(body) {
            let at = span.start + at;
            return Err(Diagnostic::new(format!(
                "braces nested more than {MAX_BRACE_NESTING} deep in @{kind}"
            ))
            .at(file, at..at + 1, "too deep")
            .hint("no reference needs that many; close the braces you opened"));
        }
        if kind == "comment" || kind == "preamble" {
            continue;
        }
        // After the kind and its opening brace: `name = value` (a @string) or `key, …` (an entry).
        let Some(open) = body.find(['{', '(']) else {
            continue;
        };
        let inner = &body[open + 1..body.len().saturating_sub(1).max(open + 1)];
        let fields = if kind == "string" {
            inner
        } else {
            inner.split_once(',').map_or("", |(_, rest)| rest)
        };
        for (name, length, uses_strings) in field_lengths(fields, &strings) {
            if length > MAX_EXPANDED_BYTES && uses_strings {
                let what = if kind == "string" {
                    format!("the abbreviation `{name}`")
                } else {
                    format!("the field `{name}`")
                };
                return Err(Diagnostic::new(format!(
                    "{what} expands to more than {} KiB of text",
                    MAX_EXPANDED_BYTES / 1024
                ))
                .at(file, span.start..span.start + body.find('\n').unwrap_or(body.len()), "here")
                .hint("it repeats `@string` abbreviations inside each other; write the text out instead"));
            }
            if kind == "string" {
                strings.insert(name.to_ascii_lowercase(), length);
            }
        }
    }
    Ok(())
}

/// `(name, expanded length, whether it uses abbreviations)` of each `name = value` in `text`.
fn field_lengths(text: &str, strings: &HashMap<String, u64>) -> Vec<(String, u64, bool)> {
    let mut fields = Vec::new();
    let mut rest = text;
    while let Some(equals) = rest.find('=') {
        let name = rest[..equals]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_string();
        let (length, uses_strings, consumed) = value_length(&rest[equals + 1..], strings);
        fields.push((name, length, uses_strings));
        rest = &rest[(equals + 1 + consumed).min(rest.len())..];
    }
    fields
}

/// The expanded length of the value at the start of `text` (parts joined by `#`), whether it
/// names abbreviations, and how many bytes it takes.
fn value_length(text: &str, strings: &HashMap<String, u64>) -> (u64, bool, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut total = 0u64;
    let mut uses = false;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let start = i;
        match bytes.get(i) {
            Some(b'{') => i = closing(bytes, i, b'{', b'}'),
            Some(b'"') => i = closing(bytes, i, b'"', b'"'),
            Some(_) => {
                while bytes.get(i).is_some_and(|b| {
                    !matches!(b, b'#' | b',' | b'}' | b')') && !b.is_ascii_whitespace()
                }) {
                    i += 1;
                }
                let word = &text[start..i];
                if !word.is_empty() && !word.bytes().all(|b| b.is_ascii_digit()) {
                    uses = true;
                    let known = strings.get(&word.to_ascii_lowercase()).copied();
                    total =
                        total.saturating_add(known.unwrap_or(MONTH_LENGTH.max(word.len() as u64)));
                    i = i.max(start + 1);
                    skip_to_join(bytes, &mut i);
                    if bytes.get(i) == Some(&b'#') {
                        i += 1;
                        continue;
                    }
                    return (total, uses, i);
                }
            }
            None => return (total, uses, i),
        }
        total = total.saturating_add((i - start) as u64);
        skip_to_join(bytes, &mut i);
        if bytes.get(i) == Some(&b'#') {
            i += 1;
            continue;
        }
        return (total, uses, i);
    }
}

fn skip_to_join(bytes: &[u8], i: &mut usize) {
    while bytes.get(*i).is_some_and(u8::is_ascii_whitespace) {
        *i += 1;
    }
}

/// Just past the `close` that ends the part opening at `open` (braces balanced inside).
fn closing(bytes: &[u8], open: usize, opener: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if opener == b'{' || close == b'"' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b if b == close && depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The offset of the first brace nested deeper than [`MAX_BRACE_NESTING`].
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'{' => {
                depth += 1;
                if depth > MAX_BRACE_NESTING {
                    return Some(at);
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(String, Range<usize>)> {
        let mut found = Vec::new();
        for (at, _) in text.match_indices('@') {
            let kind: String = text[at + 1..]
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect::<String>()
                .to_ascii_lowercase();
            let end = text[at..].find("}\n").map_or(text.len(), |i| at + i + 1);
            found.push((kind, at..end));
        }
        found
    }

    fn check_text(text: &str) -> Result<(), String> {
        let file = SourceFile::new("refs.bib", text);
        check(&file, &blocks(text)).map_err(|d| d.message)
    }

    #[test]
    fn doubling_abbreviations_are_stopped_before_they_expand() {
        let mut text = String::from("@string{s0 = \"ha\"}\n");
        for i in 1..40 {
            text.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
        }
        text.push_str("@misc{k, title = s39}\n");
        let error = check_text(&text).unwrap_err();
        assert!(
            error.contains("the abbreviation `s15` expands to more than 64 KiB"),
            "{error}"
        );
    }

    #[test]
    fn ordinary_files_pass() {
        let text = "@string{jn = \"Journal of Things\"}\n@article{a, title = {A {Nested} Title}, journal = jn # \" (Online)\", month = jan, year = 2020}\n";
        assert_eq!(check_text(text), Ok(()));
        let long = format!("@misc{{b, abstract = {{{}}}}}\n", "word ".repeat(20_000));
        assert_eq!(
            check_text(&long),
            Ok(()),
            "long literal text is no expansion"
        );
    }

    #[test]
    fn deep_braces_are_an_error() {
        let text = format!(
            "@misc{{d, title = {}x{}}}\n",
            "{".repeat(100),
            "}".repeat(100)
        );
        assert!(check_text(&text)
            .unwrap_err()
            .contains("braces nested more than 64 deep"));
    }
}
