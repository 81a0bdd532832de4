//! The syntax of a `.bib` file as BibTeX and biber read it: `@type{key, name = value, …}`
//! blocks (or `@type(…)`), values in braces, in quotes, numbers or `@string` abbreviations
//! joined with `#`; `@comment` and `@preamble` skipped, and text outside blocks ignored (a line
//! starting with `%` too). Values keep their LaTeX, braces included, for the LaTeX reader.
//!
//! Abbreviations are expanded as BibTeX does, in file order: one is known from its `@string`
//! on (`jan` … `dec` from the start), which also makes a cycle impossible. An abbreviation not
//! yet defined is read as its own name, with a warning. The bounds of
//! [`crate::cite::bibtex_bounds`] hold here too: braces nest at most
//! [`crate::limits::MAX_BRACE_NESTING`] deep, a value or abbreviation expands to at most
//! [`crate::limits::MAX_EXPANDED_BYTES`], and a file's abbreviations to
//! `bibtex_bounds::MAX_FILE_EXPANSION` in all; past them an entry is skipped with a warning. A
//! broken entry is skipped too, and reading goes on at the next line that starts with `@`.

mod values;

use std::collections::HashMap;
use std::ops::Range;

use crate::cite::read::{line_of, ReadWarning};

/// An entry as written: its type and field names in lower case, its values expanded.
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub kind: String,
    pub key: String,
    pub key_span: Range<usize>,
    pub fields: Vec<RawField>,
}

#[derive(Debug, Clone)]
pub struct RawField {
    pub name: String,
    /// The value's LaTeX, without its outer braces or quotes.
    pub value: String,
    /// Where the value is written.
    pub span: Range<usize>,
}

impl RawEntry {
    pub fn field(&self, name: &str) -> Option<&RawField> {
        self.fields.iter().find(|field| field.name == name)
    }
}

/// Reads the blocks of `text`.
pub fn parse(text: &str) -> (Vec<RawEntry>, Vec<ReadWarning>) {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        strings: MONTHS
            .iter()
            .map(|(name, value)| (name.to_string(), Abbreviation::new(value, None)))
            .collect(),
        expanded: 0,
        warnings: Vec::new(),
        undefined: Vec::new(),
    };
    let mut entries = Vec::new();
    while let Some(found) = text[reader.pos..].find('@') {
        let at = reader.pos + found;
        reader.pos = at + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..at].trim_start().starts_with('%') {
            continue;
        }
        let kind = reader.identifier().to_ascii_lowercase();
        reader.skip_whitespace();
        let close = match reader.peek() {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => continue,
        };
        reader.pos += 1;
        let result = match kind.as_str() {
            "" => continue,
            "comment" | "preamble" => reader.skip_block(close),
            "string" => reader.string_block(close),
            _ => reader
                .entry(kind.clone(), close)
                .map(|entry| entries.push(entry)),
        };
        if let Err(problem) = result {
            let what = match problem.key.as_deref() {
                Some(key) => format!("skipped BibTeX entry `{key}`"),
                None => format!("skipped @{kind}"),
            };
            reader.warnings.push(ReadWarning {
                message: format!("{what}: {}", problem.message),
                span: problem.span,
                hint: problem.hint,
            });
            reader.pos = reader.next_line_block(at + 1);
        }
    }
    reader.report_undefined();
    (entries, reader.warnings)
}

/// BibTeX's month abbreviations.
const MONTHS: [(&str, &str); 12] = [
    ("jan", "January"),
    ("feb", "February"),
    ("mar", "March"),
    ("apr", "April"),
    ("may", "May"),
    ("jun", "June"),
    ("jul", "July"),
    ("aug", "August"),
    ("sep", "September"),
    ("oct", "October"),
    ("nov", "November"),
    ("dec", "December"),
];

struct Abbreviation {
    /// `None` for one that expands past the bound: what uses it is skipped.
    value: Option<String>,
    /// Where its `@string` is, for messages; `None` for the months.
    at: Option<usize>,
}

impl Abbreviation {
    fn new(value: &str, at: Option<usize>) -> Self {
        Self {
            value: Some(value.to_string()),
            at,
        }
    }
}

/// Why a block was skipped.
struct Problem {
    key: Option<String>,
    message: String,
    span: Range<usize>,
    hint: String,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    strings: HashMap<String, Abbreviation>,
    /// Bytes copied out of abbreviations so far.
    expanded: u64,
    warnings: Vec<ReadWarning>,
    /// Abbreviations used before (or without) their `@string`: name, where used.
    undefined: Vec<(String, Range<usize>)>,
}

/// What may be in a name or an identifier, as BibTeX allows.
fn is_identifier(byte: u8) -> bool {
    !byte.is_ascii_whitespace()
        && !byte.is_ascii_control()
        && !matches!(
            byte,
            b'"' | b'#' | b'%' | b'\'' | b'(' | b')' | b',' | b'=' | b'{' | b'}'
        )
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn identifier(&mut self) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(is_identifier) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// The next `@` that starts a line after `from`: where reading goes on after a broken block.
    fn next_line_block(&self, from: usize) -> usize {
        let mut at = from;
        while let Some(found) = self.text[at..].find('@') {
            let candidate = at + found;
            let line_start = self.text[..candidate].rfind('\n').map_or(0, |i| i + 1);
            if self.text[line_start..candidate].trim().is_empty() {
                return candidate;
            }
            at = candidate + 1;
        }
        self.text.len()
    }

    fn problem(
        &self,
        key: Option<&str>,
        span: Range<usize>,
        message: String,
        hint: &str,
    ) -> Problem {
        Problem {
            key: key.map(str::to_string),
            message,
            span,
            hint: hint.to_string(),
        }
    }

    /// Skips a `@comment{…}` or `@preamble{…}`, braces balanced.
    fn skip_block(&mut self, close: u8) -> Result<(), Problem> {
        let start = self.pos - 1;
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            self.pos += 1;
            match byte {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b if b == close && depth == 0 => return Ok(()),
                _ => {}
            }
        }
        Err(self.problem(
            None,
            start..start + 1,
            "its braces are never closed".into(),
            "every `{` needs its `}`",
        ))
    }

    /// `@string{name = value, …}`.
    fn string_block(&mut self, close: u8) -> Result<(), Problem> {
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let name_at = self.pos;
            let name = self.identifier().to_ascii_lowercase();
            if name.is_empty() {
                return Err(self.expected(None, "an abbreviation's name"));
            }
            self.skip_whitespace();
            if self.peek() != Some(b'=') {
                return Err(self.expected(None, "`=` after the abbreviation's name"));
            }
            self.pos += 1;
            match self.value(None, &name) {
                Ok((value, _)) => {
                    let abbreviation = Abbreviation::new(&value, Some(name_at));
                    self.strings.insert(name, abbreviation);
                }
                Err(problem) => {
                    let poisoned = Abbreviation {
                        value: None,
                        at: Some(name_at),
                    };
                    self.strings.insert(name, poisoned);
                    return Err(problem);
                }
            }
        }
    }

    fn expected(&self, key: Option<&str>, what: &str) -> Problem {
        let at = self.pos.min(self.text.len());
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let found = match self.text[at..].chars().next() {
            Some(c) => format!("`{c}`"),
            None => "the end of the file".to_string(),
        };
        self.problem(
            key,
            at..end,
            format!("expected {what}, found {found}"),
            "the other entries were read; citing this one is an error until it is fixed",
        )
    }

    fn entry(&mut self, kind: String, close: u8) -> Result<RawEntry, Problem> {
        self.skip_whitespace();
        let key_start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !b.is_ascii_whitespace() && b != b',' && b != close && b != b'{')
        {
            self.pos += 1;
        }
        let key_span = key_start..self.pos;
        let key = self.text[key_span.clone()].to_string();
        if key.is_empty() {
            return Err(self.expected(None, "the entry's key"));
        }
        self.skip_whitespace();
        if !matches!(self.peek(), Some(b) if b == b',' || b == close) {
            return Err(self.expected(Some(&key), "`,` after the key"));
        }
        let mut entry = RawEntry {
            kind,
            key,
            key_span,
            fields: Vec::new(),
        };
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(entry);
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let key = Some(entry.key.as_str());
            let name_at = self.pos;
            let name = self.identifier().to_ascii_lowercase();
            if name.is_empty() {
                return Err(self.expected(key, "a field name or the entry's end"));
            }
            self.skip_whitespace();
            if self.peek() != Some(b'=') {
                return Err(self.expected(key, &format!("`=` after `{name}`")));
            }
            self.pos += 1;
            let (value, span) = self.value(key, &name)?;
            if let Some(first) = entry.field(&name) {
                let line = line_of(self.text, first.span.start);
                self.warnings.push(ReadWarning {
                    message: format!(
                        "`{}` gives `{name}` twice; the first, on line {line}, is used",
                        entry.key
                    ),
                    span: name_at..name_at + name.len(),
                    hint: "remove one of them".into(),
                });
            } else {
                entry.fields.push(RawField {
                    name,
                    value,
                    span: span.clone(),
                });
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {}
                Some(b) if b == close => {}
                _ => {
                    let key = Some(entry.key.as_str());
                    // A value that takes in the lines of other fields lost its closing brace
                    // there, not where the reader stopped.
                    if swallows_fields(&self.text[span.clone()]) {
                        return Err(self.problem(
                            key,
                            span.start..span.start + 1,
                            "this value is never closed: it runs on into the next fields".into(),
                            "close it with `}` where it ends; the other entries were read",
                        ));
                    }
                    return Err(self.expected(key, "`,` or the entry's end after a value"));
                }
            }
        }
    }
}

/// Whether a value's text holds a line that looks like a field of its own (`  year = 2024`).
fn swallows_fields(value: &str) -> bool {
    value.lines().skip(1).any(|line| {
        let line = line.trim_start();
        let name_len = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(line.len());
        name_len > 0 && line[name_len..].trim_start().starts_with('=')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, Vec<(String, String)>)> {
        let (entries, _) = parse(text);
        entries
            .into_iter()
            .map(|e| {
                let fields = e.fields.into_iter().map(|f| (f.name, f.value)).collect();
                (e.key, fields)
            })
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn blocks_values_and_abbreviations() {
        let text = "% @book{commented, title={No}}\n@comment{an @misc{inner} block}\n\
                    @preamble{\"\\newcommand{\\noop}[1]{}\"}\n@String{jn = \"Journal of \" # {Things}}\n\
                    @ARTICLE{a:1, Title = {A {Nested} \"Title\"}, journal = jn # \" (Online)\", month = jan, year = 2020,}\n\
                    @misc(b, title = \"Quoted {\"} braces\", note = {x} # 12)\n";
        assert_eq!(
            values(text),
            vec![
                (
                    "a:1".to_string(),
                    vec![
                        pair("title", "A {Nested} \"Title\""),
                        pair("journal", "Journal of Things (Online)"),
                        pair("month", "January"),
                        pair("year", "2020"),
                    ]
                ),
                (
                    "b".to_string(),
                    vec![pair("title", "Quoted {\"} braces"), pair("note", "x12")]
                ),
            ]
        );
    }

    #[test]
    fn undefined_abbreviations_are_their_names_with_a_warning() {
        let text = "@article{a, journal = jn, publisher = Science}\n@string{jn = \"J\"}\n";
        let (entries, warnings) = parse(text);
        assert_eq!(entries[0].fields[0].value, "jn");
        assert_eq!(entries[0].fields[1].value, "Science");
        assert!(
            warnings[0]
                .message
                .contains("`jn` is defined only later, on line 2"),
            "{}",
            warnings[0].message
        );
        assert!(
            warnings[1]
                .message
                .contains("undefined abbreviation `Science`"),
            "{}",
            warnings[1].message
        );
    }

    #[test]
    fn a_broken_entry_is_skipped_and_reading_goes_on() {
        let text = "@article{good1, title={One}}\n@article{bad, title={Two, author={Roe}}\n\
                    @book{good2, title={Three}}\n@book{bad2 title={Four}}\n@book{good3, title={Five}}\n";
        let (entries, warnings) = parse(text);
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["good1", "good2", "good3"]);
        assert_eq!(
            warnings[0].message,
            "skipped BibTeX entry `bad`: expected `,` or the entry's end after a value, found `@`"
        );
        assert_eq!(
            warnings[1].message,
            "skipped BibTeX entry `bad2`: expected `,` after the key, found `t`"
        );
        let unclosed = "@misc{a, title = {never closed\n@misc{b, title={B}}\n";
        let (entries, warnings) = parse(unclosed);
        assert_eq!(entries.len(), 1);
        assert!(
            warnings[0].message.ends_with("this value is never closed"),
            "{:?}",
            warnings
        );
    }

    #[test]
    fn expansion_and_nesting_are_bounded() {
        let mut text = String::from("@string{s0 = \"ha\"}\n");
        for i in 1..40 {
            text.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
        }
        text.push_str("@misc{k, title = s39}\n@misc{ok, title = s3}\n");
        let (entries, warnings) = parse(&text);
        assert_eq!(entries.len(), 1, "{warnings:?}");
        assert!(warnings
            .iter()
            .any(|w| w.message.contains("expands to more than 64 KiB")));
        let deep = format!(
            "@misc{{d, title = {}x{}}}\n@misc{{e, title = y}}",
            "{".repeat(100),
            "}".repeat(100)
        );
        let (entries, warnings) = parse(&deep);
        assert!(warnings[0]
            .message
            .contains("braces nested more than 64 deep"));
        assert_eq!(entries.len(), 1);
        let cycle = "@string{a = a}\n@misc{k, title = a}\n";
        assert_eq!(parse(cycle).0[0].fields[0].value, "a");
    }
}
