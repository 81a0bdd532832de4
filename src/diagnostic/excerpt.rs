//! The part of a file a diagnostic quotes: the lines of its span, each cut to a window of
//! [`MAX_QUOTED_CHARS`] around the span (a 2 MB line, or 100,000 `[`, would otherwise be
//! printed whole), with control characters escaped so that nothing from the file acts on the
//! terminal. Line numbers and the column in the header are the file's own.

use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location};

use super::{terminal_safe, SourceFile};

/// The widest piece of a line quoted, in characters.
const MAX_QUOTED_CHARS: usize = 120;
/// How much of the line before the span a cut line keeps, in characters.
const LEAD_CHARS: usize = 40;
/// The most lines quoted for one span.
const MAX_QUOTED_LINES: usize = 12;

/// A file as codespan-reporting sees it: only the quoted lines.
pub struct Excerpt {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// The file's line number of the excerpt's first line.
    first_line: usize,
    /// The span, in the excerpt.
    pub span: Range<usize>,
    /// Where the span starts in the file: what the header shows.
    location: (usize, usize),
}

impl Excerpt {
    pub fn new(file: &SourceFile, span: Range<usize>) -> Excerpt {
        let text = &file.text;
        let (first_line, _) = file.line_col(span.start);
        let mut line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let mut excerpt = String::new();
        let mut line_starts = Vec::new();
        let (mut start, mut end) = (0, 0);
        for index in 0..MAX_QUOTED_LINES {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let content_end = if text[line_start..line_end].ends_with('\r') {
                line_end - 1
            } else {
                line_end
            };
            let anchor = if index == 0 { span.start } else { line_start };
            let (from, to) = window(text, line_start, content_end, anchor);
            line_starts.push(excerpt.len());
            // Where an offset of the file falls in the excerpt's copy of this line.
            let lead = if from > line_start { "… " } else { "" };
            let place = |offset: usize, excerpt: &str| {
                let inside = offset.clamp(from, to);
                excerpt.len() + lead.len() + terminal_safe(&text[from..inside]).len()
            };
            if index == 0 {
                start = place(span.start, &excerpt);
            }
            end = place(span.end, &excerpt);
            excerpt.push_str(lead);
            excerpt.push_str(&terminal_safe(&text[from..to]));
            if to < content_end {
                excerpt.push_str(" …");
            }
            excerpt.push('\n');
            if span.end <= line_end || line_end >= text.len() {
                break;
            }
            line_start = line_end + 1;
        }
        Excerpt {
            name: terminal_safe(&file.name),
            text: excerpt,
            line_starts,
            first_line,
            span: start..end.max(start),
            location: file.line_col(span.start),
        }
    }
}

/// The byte range of the line `line_start..line_end` to quote: all of it when it is short,
/// else [`MAX_QUOTED_CHARS`] characters starting a little before `anchor`.
fn window(text: &str, line_start: usize, line_end: usize, anchor: usize) -> (usize, usize) {
    let line = &text[line_start..line_end];
    if line.chars().count() <= MAX_QUOTED_CHARS {
        return (line_start, line_end);
    }
    let anchor = anchor.clamp(line_start, line_end);
    let lead = text[line_start..anchor]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS - 1)
        .map_or(line_start, |(i, _)| line_start + i);
    let to = text[lead..line_end]
        .char_indices()
        .nth(MAX_QUOTED_CHARS)
        .map_or(line_end, |(i, _)| lead + i);
    (lead, to)
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .line_starts
            .partition_point(|&start| start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.first_line + line_index)
    }

    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, Error> {
        if byte_index == self.span.start {
            let (line_number, column_number) = self.location;
            return Ok(Location {
                line_number,
                column_number,
            });
        }
        let line_index = self.line_index((), byte_index)?;
        Ok(Location {
            line_number: self.line_number((), line_index)?,
            column_number: self.column_number((), line_index, byte_index)?,
        })
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.line_starts.len().saturating_sub(1),
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}
