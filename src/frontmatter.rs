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
        let shown = first_line_end
            .min(text.len())
            .max(usize::from(!text.is_empty()));
        return Err(Diagnostic::new("missing front matter")
            .at(
                file,
                0..shown.min(text.trim_end().len()),
                "expected `---` on the first line",
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
    // An empty block is an empty mapping, so that "missing field" is what the author reads.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|error| yaml_diagnostic(file, span, what, fields, &error))
}

fn yaml_diagnostic(
    file: &Arc<SourceFile>,
    span: Range<usize>,
    what: &str,
    fields: &[&str],
    error: &serde_yaml::Error,
) -> Diagnostic {
    let full = error.to_string();
    // serde_yaml appends "at line L column C" counted in the block; we point at the file instead.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let message = message.trim_start_matches(": ").to_string();
    let (start, label) = match error.location() {
        Some(location) => (
            span.start + location.index().min(span.len()),
            "here".to_string(),
        ),
        // Errors without a place (a missing field) point at the block's opening fence.
        None => (span.start.saturating_sub(4), format!("in this {what}")),
    };
    let end = line_end(&file.text, start)
        .max(start + 1)
        .min(file.text.len());
    let mut diagnostic =
        Diagnostic::new(format!("invalid {what}: {message}")).at(file, start..end, label);
    if let Some(unknown) = backticked_after(&message, "unknown field ") {
        if let Some(suggestion) = closest(unknown, fields.iter().copied()) {
            diagnostic = diagnostic.hint(format!("did you mean `{suggestion}`?"));
        } else {
            diagnostic = diagnostic.hint(format!("the accepted fields are: {}", fields.join(", ")));
        }
    } else if let Some(missing) = backticked_after(&message, "missing field ") {
        diagnostic = diagnostic.hint(format!("add `{missing}: …` to the front matter"));
    } else if yaml_has_tab_indent(&file.text[span]) {
        diagnostic = diagnostic.hint("YAML does not allow tabs for indentation; use spaces");
    }
    diagnostic
}

fn line_end(text: &str, from: usize) -> usize {
    text[from.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| from + i)
}

/// `name` from a message like "unknown field `name`, expected …".
fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

fn yaml_has_tab_indent(yaml: &str) -> bool {
    yaml.lines().any(|line| line.starts_with('\t'))
}
