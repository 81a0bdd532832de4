//! Splits a Markdown file into its YAML front matter and body, and parses the YAML into a typed
//! struct with errors that point at the file's own line and column (not the block's).

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostic::{closest, Diagnostic, SourceFile};

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone)]
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: Range<usize>,
    /// Byte range of the Markdown after the closing fence.
    pub body: Range<usize>,
}

/// Finds the `---` fenced YAML block that must open every content file.
pub fn split(file: &Arc<SourceFile>) -> Result<Split, Diagnostic> {
    let text = &file.text;
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        // Point at the first line with text: a caret on an empty line is hard to see.
        let start = text.len() - text.trim_start().len();
        let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        return Err(Diagnostic::new("missing front matter")
            .at(
                file,
                start..end,
                "expected a `---` line before this, on the file's first line",
            )
            .hint("start the file with a YAML block:\n---\ntitle: \"…\"\norder: 1\n---"));
    }
    let yaml_start = first_line_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new("unterminated front matter")
        .at(file, 0..3, "this `---` is never closed")
        .hint("end the YAML block with a line that holds only `---`"))
}

/// Parses YAML found at `span` of `file` into `T`, reporting errors at their place in the file.
/// `fields` lists the keys `T` accepts, for "did you mean" hints.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    span: Range<usize>,
    what: &str,
    fields: &[&str],
) -> Result<T, Diagnostic> {
    let yaml = &file.text[span.clone()];
    check_yaml_depth(file, yaml, what, &|at| span.start + at)?;
    // An empty block is an empty mapping, so that "missing field" is what the author reads.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|error| {
        let locate = |line: usize, column: usize| offset_of(&file.text, span.start, line, column);
        yaml_diagnostic(
            file,
            &error,
            &YamlPlace {
                what,
                fields,
                fallback: span.start,
                locate: &locate,
            },
        )
    })
}

/// The line of `field:` in the front matter at `yaml` of `text`: at the start of a line, so that
/// `field:` inside another value is not taken for it.
pub fn field_line(text: &str, yaml: Range<usize>, field: &str) -> Option<Range<usize>> {
    let mut offset = yaml.start;
    for line in text[yaml].split_inclusive('\n') {
        if line.starts_with(field) && line[field.len()..].starts_with(':') {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Refuses YAML nested past [`crate::limits::MAX_YAML_NESTING`] before serde_yaml reads it
/// (its scanner slows quadratically with open brackets). `in_file` maps an offset of `yaml` to
/// one of `file`.
pub fn check_yaml_depth(
    file: &Arc<SourceFile>,
    yaml: &str,
    what: &str,
    in_file: &dyn Fn(usize) -> usize,
) -> Result<(), Diagnostic> {
    match crate::limits::yaml_too_deep(yaml).map(in_file) {
        Some(at) => Err(Diagnostic::new(format!(
            "invalid {what}: brackets nested more than {} deep",
            crate::limits::MAX_YAML_NESTING
        ))
        .at(file, at..at + 1, "too deep")
        .hint("no value of a brief needs that many `[` or `{`; close the ones you opened")),
        None => Ok(()),
    }
}

/// Where a YAML text sits in its file, and what it is, for error messages.
pub struct YamlPlace<'a> {
    /// "section front matter", "figure", "references file"…
    pub what: &'a str,
    /// The accepted keys, for "did you mean" hints.
    pub fields: &'a [&'a str],
    /// Where to point when the error has no position (a missing field).
    pub fallback: usize,
    /// Byte offset in the file of a 1-based line and column of the YAML text.
    pub locate: &'a dyn Fn(usize, usize) -> usize,
}

/// Byte offset of 1-based `line`:`column` of a text that starts at `start` in `text`.
pub fn offset_of(text: &str, start: usize, line: usize, column: usize) -> usize {
    let mut offset = start;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[offset..line_end(text, offset)];
    offset
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// A serde_yaml error as a diagnostic at its place in the file, with a hint where one helps.
pub fn yaml_diagnostic(
    file: &Arc<SourceFile>,
    error: &serde_yaml::Error,
    place: &YamlPlace<'_>,
) -> Diagnostic {
    let full = error.to_string();
    // serde_yaml writes "PROBLEM at line L column C, while CONTEXT at line L column C", counted
    // in the YAML text; we point into the file instead.
    let (problem, context) = match full.split_once(", while ") {
        Some((problem, context)) => (strip_position(problem), Some(context)),
        None => (strip_position(&full), None),
    };
    let context_position = context.and_then(parse_position);
    let what = place.what;
    let (start, label, message) = match (context, context_position) {
        // An unclosed quote is found only at the end of the text; point where the quote opens.
        (Some(context), Some((line, column)))
            if context.starts_with("scanning a quoted scalar") =>
        {
            (
                (place.locate)(line, column),
                "this quote is never closed".to_string(),
                format!("invalid {what}: a quoted value is not closed"),
            )
        }
        _ => match error.location() {
            Some(location) => (
                (place.locate)(location.line(), location.column()),
                "here".to_string(),
                format!("invalid {what}: {problem}"),
            ),
            None => (
                place.fallback,
                format!("in this {what}"),
                format!("invalid {what}: {problem}"),
            ),
        },
    };
    let end = line_end(&file.text, start).max(start);
    let mut label = label;
    let mut hint = None;
    if let Some(unknown) = backticked_after(&problem, "unknown field ") {
        hint = Some(match closest(unknown, place.fields.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("the accepted fields are: {}", place.fields.join(", ")),
        });
    } else if let Some(missing) = backticked_after(&problem, "missing field ") {
        label = format!("`{missing}` is missing from this {what}");
        hint = Some(format!("add `{missing}: …`"));
    } else if problem.contains("tab character") || file.text[start..end].contains('\t') {
        hint = Some("YAML does not allow tabs for indentation; use spaces".to_string());
    } else if message.contains("quoted value") {
        hint = Some("add the closing quote at the end of the value".to_string());
    } else if let Some(field) = backticked_after(&problem, "duplicate field ") {
        hint = Some(format!("`{field}` is given twice; keep one of them"));
    } else if let Some(expected) = problem.split(", expected ").nth(1) {
        let field = problem
            .split_once(": ")
            .map(|(field, _)| field)
            .filter(|field| !field.contains(' '));
        let wanted = expected_in_words(expected);
        hint = Some(match field {
            Some(field) => format!("`{field}` takes {wanted}"),
            None => format!("this takes {wanted}"),
        });
    } else if problem.contains("control character") || file.text[start..end].contains('\0') {
        hint = Some(
            "remove the control character (an invisible byte such as NUL) from the line"
                .to_string(),
        );
    } else if problem.contains("recursion limit") {
        hint = Some("the YAML is nested too deeply; flatten it".to_string());
    }
    // Every error says what to do, even when serde_yaml's message is all there is.
    let hint = hint.unwrap_or_else(|| {
        format!("check the {what}'s YAML syntax: `key: value` lines, lists as `- item` or `[a, b]`")
    });
    Diagnostic::new(message)
        .at(file, start..end, label)
        .hint(hint)
}

/// serde's "expected …" in words an author reads.
fn expected_in_words(expected: &str) -> String {
    let expected = expected.trim();
    match expected {
        "i64" | "u64" | "i32" | "u32" | "usize" | "u16" | "u8" => {
            "a whole number, such as `1` (within the range of a 64-bit integer)".to_string()
        }
        "f64" | "f32" => "a number, such as `12.5`".to_string(),
        "a string" => {
            "text; put it in quotes if it holds `:` or starts with `[`, `{` or `@`".to_string()
        }
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list: `[a, b]`, or one `- item` per line".to_string(),
        other if other.starts_with("one of ") => other.replace("one of ", "one of: "),
        other => other.to_string(),
    }
}

/// "found x at line 4 column 1" → "found x".
fn strip_position(text: &str) -> String {
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

/// The "line L column C" in a message.
fn parse_position(text: &str) -> Option<(usize, usize)> {
    let rest = &text[text.find(" at line ")? + " at line ".len()..];
    let mut numbers = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
}

fn line_end(text: &str, from: usize) -> usize {
    let from = from.min(text.len());
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

/// `name` from a message like "unknown field `name`, expected …".
fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}
