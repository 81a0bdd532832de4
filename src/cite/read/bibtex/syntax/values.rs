//! Values: parts in braces, in quotes, numbers and abbreviations, joined with `#`, expanded
//! within the bounds; and the warnings for abbreviations used before their `@string`.

use std::ops::Range;

use super::{is_identifier, Problem, Reader};
use crate::cite::bibtex_bounds::MAX_FILE_EXPANSION;
use crate::cite::read::{line_of, ReadWarning};
use crate::limits::{MAX_BRACE_NESTING, MAX_EXPANDED_BYTES};

impl Reader<'_> {
    /// A value: its parts joined by `#`, expanded; and where it is written.
    pub(super) fn value(
        &mut self,
        key: Option<&str>,
        field: &str,
    ) -> Result<(String, Range<usize>), Problem> {
        self.skip_whitespace();
        let start = self.pos;
        let mut value = String::new();
        loop {
            self.skip_whitespace();
            let part_start = self.pos;
            match self.peek() {
                Some(b'{') => {
                    let inner = self.delimited(key, b'}')?;
                    value.push_str(inner);
                }
                Some(b'"') => {
                    let inner = self.delimited(key, b'"')?;
                    value.push_str(inner);
                }
                Some(b) if is_identifier(b) => {
                    let word = self.identifier().to_string();
                    if word.bytes().all(|b| b.is_ascii_digit()) {
                        value.push_str(&word);
                    } else if let Some(abbreviation) = self.strings.get(&word.to_ascii_lowercase())
                    {
                        let Some(expansion) = &abbreviation.value else {
                            return Err(self.too_long(
                                key,
                                part_start,
                                format!(
                                    "`{word}` expands to more than {} KiB of text",
                                    MAX_EXPANDED_BYTES / 1024
                                ),
                            ));
                        };
                        let length = expansion.len();
                        self.expanded = self.expanded.saturating_add(length as u64);
                        if self.expanded > MAX_FILE_EXPANSION {
                            return Err(self.too_long(
                                key,
                                part_start,
                                format!(
                                    "the file's abbreviations expand to more than {} MiB of text in all",
                                    MAX_FILE_EXPANSION / (1024 * 1024)
                                ),
                            ));
                        }
                        if (value.len() + length) as u64 > MAX_EXPANDED_BYTES {
                            return Err(self.too_long(
                                key,
                                part_start,
                                format!(
                                    "`{field}` expands to more than {} KiB of text",
                                    MAX_EXPANDED_BYTES / 1024
                                ),
                            ));
                        }
                        value.push_str(expansion);
                    } else {
                        self.undefined.push((word.clone(), part_start..self.pos));
                        value.push_str(&word);
                    }
                }
                _ => return Err(self.expected(key, &format!("a value for `{field}`"))),
            }
            let end = self.pos;
            self.skip_whitespace();
            if self.peek() == Some(b'#') {
                self.pos += 1;
                continue;
            }
            self.pos = end;
            return Ok((value, start..end));
        }
    }

    pub(super) fn too_long(&self, key: Option<&str>, at: usize, message: String) -> Problem {
        self.problem(
            key,
            at..self.pos,
            message,
            "it repeats `@string` abbreviations inside each other; write the text out instead",
        )
    }

    /// The inside of a `{…}` or `"…"` part, braces balanced (a `"` inside braces is text).
    pub(super) fn delimited(&mut self, key: Option<&str>, close: u8) -> Result<&str, Problem> {
        let open_at = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            match byte {
                b'{' => {
                    depth += 1;
                    if depth + usize::from(close == b'}') > MAX_BRACE_NESTING {
                        return Err(self.problem(
                            key,
                            self.pos..self.pos + 1,
                            format!("braces nested more than {MAX_BRACE_NESTING} deep"),
                            "no reference needs that many; close the braces you opened",
                        ));
                    }
                }
                b'}' if depth == 0 && close == b'}' => {
                    self.pos += 1;
                    return Ok(&self.text[start..self.pos - 1]);
                }
                b'}' if depth == 0 => {
                    return Err(self.problem(
                        key,
                        self.pos..self.pos + 1,
                        "a `}` closes a brace that was never opened".into(),
                        "remove it, or add the `{` it belongs to",
                    ));
                }
                b'}' => depth -= 1,
                b'"' if depth == 0 && close == b'"' => {
                    self.pos += 1;
                    return Ok(&self.text[start..self.pos - 1]);
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(self.problem(
            key,
            open_at..open_at + 1,
            "this value is never closed".into(),
            "every `{` needs its `}` (and a `\"` its `\"`); the entries after it were still read",
        ))
    }

    /// Warnings for abbreviations used before or without their `@string`.
    pub(super) fn report_undefined(&mut self) {
        for (name, span) in std::mem::take(&mut self.undefined) {
            let later = self
                .strings
                .get(&name.to_ascii_lowercase())
                .and_then(|abbreviation| abbreviation.at)
                .filter(|at| *at > span.start);
            let (message, hint) = match later {
                Some(at) => (
                    format!(
                        "the abbreviation `{name}` is defined only later, on line {}: read as the text “{name}”",
                        line_of(self.text, at)
                    ),
                    "BibTeX reads `@string`s in order: move it above the entries that use it"
                        .to_string(),
                ),
                None => (
                    format!("undefined abbreviation `{name}`: read as the text “{name}”"),
                    format!(
                        "define it with `@string{{{name} = {{…}}}}` above this entry, or write `{{{name}}}` for the text itself"
                    ),
                ),
            };
            self.warnings.push(ReadWarning {
                message,
                span,
                hint,
            });
        }
    }
}
