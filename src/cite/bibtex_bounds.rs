//! What a BibTeX file may expand to, worked out before the BibTeX reader expands it. `@string`
//! abbreviations can repeat each other (`s2 = s1 # s1`, `s3 = s2 # s2`, …): forty lines double a
//! word forty times, and a 654-byte file once became a 241 MB site (and hung at 40 levels); an
//! abbreviation that names itself makes the reader recurse until the stack overflows. Here the
//! abbreviations are read first, in any order as BibTeX allows, and every abbreviation's and
//! field's length is computed from its parts' lengths without building the text. A cycle, a
//! value past [`MAX_EXPANDED_BYTES`], a file whose abbreviations expand past
//! [`MAX_FILE_EXPANSION`] in all, or braces nested past [`MAX_BRACE_NESTING`] is an error at
//! its block. What is learnt also says which abbreviations each entry needs, so that an entry
//! is read with those alone rather than with every `@string` of the file.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::limits::{MAX_BRACE_NESTING, MAX_EXPANDED_BYTES};

/// All the text a file's fields may expand to through abbreviations, together.
pub const MAX_FILE_EXPANSION: u64 = 4 * 1024 * 1024;

/// The month abbreviations BibTeX defines, at their longest.
const MONTH_LENGTH: u64 = 9;

/// A piece of a value: literal text of some length, or an abbreviation's name.
enum Part {
    Text(u64),
    Name(String),
}

/// For each entry block (by index), the `@string` blocks it needs, in file order.
pub type Needed = HashMap<usize, Vec<usize>>;

/// Checks the blocks (`(kind, span)`) of a file.
pub fn check(
    file: &Arc<SourceFile>,
    blocks: &[(String, Range<usize>)],
) -> Result<Needed, Diagnostic> {
    let text = file.text.as_str();
    // name → (block, parts)
    let mut definitions: HashMap<String, (usize, Vec<Part>)> = HashMap::new();
    for (index, (kind, span)) in blocks.iter().enumerate() {
        if let Some(at) = too_deep(&text[span.clone()]) {
            let at = span.start + at;
            return Err(Diagnostic::new(format!(
                "braces nested more than {MAX_BRACE_NESTING} deep in @{kind}"
            ))
            .at(file, at..at + 1, "too deep")
            .hint("no reference needs that many; close the braces you opened"));
        }
        if kind == "string" {
            for (name, parts) in fields(inner(&text[span.clone()])) {
                definitions.insert(name.to_ascii_lowercase(), (index, parts));
            }
        }
    }
    let lengths = abbreviation_lengths(&definitions).map_err(|(name, problem)| {
        let span = blocks[definitions[&name].0].1.clone();
        block_error(file, span, &problem)
    })?;
    let mut needed = Needed::new();
    let mut expanded_in_file = 0u64;
    for (index, (kind, span)) in blocks.iter().enumerate() {
        if matches!(kind.as_str(), "string" | "comment" | "preamble") {
            continue;
        }
        let body = inner(&text[span.clone()]);
        let body = body.split_once(',').map_or("", |(_, rest)| rest);
        let mut names = BTreeSet::new();
        for (field, parts) in fields(body) {
            let mut length = 0u64;
            let mut uses = false;
            for part in &parts {
                length = length.saturating_add(match part {
                    Part::Text(n) => *n,
                    Part::Name(name) => {
                        uses = true;
                        names.insert(name.clone());
                        lengths
                            .get(name)
                            .copied()
                            .unwrap_or(MONTH_LENGTH.max(name.len() as u64))
                    }
                });
            }
            if !uses {
                continue;
            }
            if length > MAX_EXPANDED_BYTES {
                let problem = format!(
                    "the field `{field}` expands to more than {} KiB of text",
                    MAX_EXPANDED_BYTES / 1024
                );
                return Err(block_error(file, span.clone(), &problem));
            }
            expanded_in_file = expanded_in_file.saturating_add(length);
            if expanded_in_file > MAX_FILE_EXPANSION {
                let problem = format!(
                    "the file's abbreviations expand to more than {} MiB of text in all",
                    MAX_FILE_EXPANSION / (1024 * 1024)
                );
                return Err(block_error(file, span.clone(), &problem));
            }
        }
        needed.insert(index, strings_for(&names, &definitions));
    }
    Ok(needed)
}

fn block_error(file: &Arc<SourceFile>, span: Range<usize>, problem: &str) -> Diagnostic {
    let line_end = file.text[span.start..]
        .find('\n')
        .map_or(span.end, |i| span.start + i)
        .min(span.end);
    Diagnostic::new(problem.to_string())
        .at(file, span.start..line_end, "here")
        .hint("it repeats `@string` abbreviations inside each other; write the text out instead")
}

/// The `@string` blocks that `names` need, directly or through each other, in file order.
fn strings_for(
    names: &BTreeSet<String>,
    definitions: &HashMap<String, (usize, Vec<Part>)>,
) -> Vec<usize> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut work: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut blocks = BTreeSet::new();
    while let Some(name) = work.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some((block, parts)) = definitions.get(name) {
            blocks.insert(*block);
            work.extend(parts.iter().filter_map(|part| match part {
                Part::Name(inner) => Some(inner.as_str()),
                Part::Text(_) => None,
            }));
        }
    }
    blocks.into_iter().collect()
}

/// Each abbreviation's expanded length, without recursion (a chain of thousands of
/// abbreviations must not overflow this checker's stack either); `Err((name, problem))` for a
/// cycle or an abbreviation past the limit.
fn abbreviation_lengths(
    definitions: &HashMap<String, (usize, Vec<Part>)>,
) -> Result<HashMap<String, u64>, (String, String)> {
    let mut done: HashMap<String, u64> = HashMap::new();
    let mut order: Vec<&String> = definitions.keys().collect();
    order.sort_by_key(|name| definitions[*name].0);
    for root in order {
        if done.contains_key(root) {
            continue;
        }
        // (name, next part, length so far); `on_path` holds the names being worked out.
        let mut stack: Vec<(&str, usize, u64)> = vec![(root, 0, 0)];
        let mut on_path: BTreeSet<&str> = BTreeSet::from([root.as_str()]);
        while let Some(top) = stack.last_mut() {
            let name = top.0;
            let parts = &definitions[name].1;
            let Some(part) = parts.get(top.1) else {
                let total = top.2;
                if total > MAX_EXPANDED_BYTES {
                    return Err((
                        name.to_string(),
                        format!(
                            "the abbreviation `{name}` expands to more than {} KiB of text",
                            MAX_EXPANDED_BYTES / 1024
                        ),
                    ));
                }
                done.insert(name.to_string(), total);
                on_path.remove(name);
                stack.pop();
                if let Some(parent) = stack.last_mut() {
                    parent.2 = parent.2.saturating_add(total);
                }
                continue;
            };
            top.1 += 1;
            let Part::Name(inner) = part else {
                if let Part::Text(n) = part {
                    top.2 = top.2.saturating_add(*n);
                }
                continue;
            };
            if let Some(known) = done.get(inner) {
                top.2 = top.2.saturating_add(*known);
            } else if let Some((inner, _)) = definitions.get_key_value(inner) {
                if on_path.contains(inner.as_str()) {
                    return Err((
                        name.to_string(),
                        format!("the abbreviation `{inner}` is defined through itself"),
                    ));
                }
                on_path.insert(inner);
                stack.push((inner, 0, 0));
            } else {
                top.2 = top.2.saturating_add(MONTH_LENGTH.max(inner.len() as u64));
            }
        }
    }
    Ok(done)
}

/// A block's text between its outer braces (or parentheses).
fn inner(block: &str) -> &str {
    let Some(open) = block.find(['{', '(']) else {
        return "";
    };
    let end = block.len().saturating_sub(1).max(open + 1);
    &block[open + 1..end]
}

/// Each `name = value` in `text`, the value as its parts.
fn fields(text: &str) -> Vec<(String, Vec<Part>)> {
    let mut fields = Vec::new();
    let mut rest = text;
    while let Some(equals) = rest.find('=') {
        let name = rest[..equals]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_string();
        let (parts, consumed) = value_parts(&rest[equals + 1..]);
        fields.push((name, parts));
        rest = &rest[(equals + 1 + consumed).min(rest.len())..];
    }
    fields
}

/// The parts of the value at the start of `text` (joined by `#`), and the bytes it takes.
fn value_parts(text: &str) -> (Vec<Part>, usize) {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    loop {
        skip_spaces(bytes, &mut i);
        let start = i;
        match bytes.get(i) {
            Some(b'{') => i = closing(bytes, i, b'}'),
            Some(b'"') => i = closing(bytes, i, b'"'),
            Some(_) => {
                while bytes.get(i).is_some_and(|b| {
                    !matches!(b, b'#' | b',' | b'}' | b')') && !b.is_ascii_whitespace()
                }) {
                    i += 1;
                }
            }
            None => return (parts, i),
        }
        let word = &text[start..i];
        if word.is_empty() {
            return (parts, i);
        }
        let is_name =
            !matches!(bytes[start], b'{' | b'"') && !word.bytes().all(|b| b.is_ascii_digit());
        parts.push(if is_name {
            Part::Name(word.to_ascii_lowercase())
        } else {
            Part::Text(word.len() as u64)
        });
        skip_spaces(bytes, &mut i);
        if bytes.get(i) == Some(&b'#') {
            i += 1;
        } else {
            return (parts, i);
        }
    }
}

fn skip_spaces(bytes: &[u8], i: &mut usize) {
    while bytes.get(*i).is_some_and(u8::is_ascii_whitespace) {
        *i += 1;
    }
}

/// Just past the `close` that ends the part opening at `open` (braces balanced inside).
fn closing(bytes: &[u8], open: usize, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'}' if depth > 0 => depth -= 1,
            b'{' => depth += 1,
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

    fn check_text(text: &str) -> Result<Needed, String> {
        let file = SourceFile::new("refs.bib", text);
        check(&file, &blocks(text)).map_err(|d| d.message)
    }

    #[test]
    fn doubling_abbreviations_are_stopped_in_any_order() {
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
        let reversed: String = text.lines().rev().map(|l| format!("{l}\n")).collect();
        assert!(check_text(&reversed)
            .unwrap_err()
            .contains("expands to more than 64 KiB"));
    }

    #[test]
    fn an_abbreviation_defined_through_itself_is_an_error() {
        let error = check_text("@string{a = a}\n@misc{k, title = a}\n").unwrap_err();
        assert!(error.contains("`a` is defined through itself"), "{error}");
        let error = check_text("@string{a = b # \"x\"}\n@string{b = a}\n").unwrap_err();
        assert!(error.contains("defined through itself"), "{error}");
        // A long chain is no cycle, and no deep recursion.
        let mut chain = String::from("@string{c0 = \"x\"}\n");
        for i in 1..20_000 {
            chain.push_str(&format!("@string{{c{i} = c{}}}\n", i - 1));
        }
        assert!(check_text(&chain).is_ok());
    }

    #[test]
    fn entries_need_only_the_abbreviations_they_use() {
        let text = "@string{jn = \"Journal of Things\"}\n@string{pub = \"Press \" # jn}\n@string{other = \"x\"}\n@article{a, title = {A {Nested} Title}, journal = pub # \" (Online)\", month = jan, year = 2020}\n";
        let needed = check_text(text).unwrap();
        assert_eq!(needed[&3], vec![0, 1]);
        let long = format!("@misc{{b, abstract = {{{}}}}}\n", "word ".repeat(20_000));
        assert!(
            check_text(&long).is_ok(),
            "long literal text is no expansion"
        );
    }

    #[test]
    fn many_large_fields_are_bounded_in_all() {
        let mut text = format!("@string{{big = \"{}\"}}\n", "x".repeat(60_000));
        for i in 0..100 {
            text.push_str(&format!("@misc{{k{i}, title = big}}\n"));
        }
        assert!(check_text(&text)
            .unwrap_err()
            .contains("more than 4 MiB of text in all"));
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
