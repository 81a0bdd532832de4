//! Errors an author can act on: a message, the file, line and column, the offending line and a hint,
//! rendered like rustc does (through codespan-reporting).

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;

mod excerpt;

use codespan_reporting::term::{self, Config};
use excerpt::Excerpt;

/// A file the author wrote, kept whole so that errors can quote it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the author (relative to the brief's folder where possible).
    pub name: String,
    /// The file's text, with any UTF-8 byte-order mark removed.
    pub text: String,
    /// Where lines start, built the first time a place is asked for.
    lines: OnceLock<LineIndex>,
}

/// Line starts, and how many UTF-8 continuation bytes come before every [`CHECKPOINT`]-th
/// byte, so that a line and column cost a search and a short count however long the file and
/// its lines are (10,000 citations on one line once took seconds).
#[derive(Debug)]
struct LineIndex {
    starts: Vec<usize>,
    continuations: Vec<usize>,
}

const CHECKPOINT: usize = 4096;

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let starts = std::iter::once(0)
            .chain(newline_offsets(bytes).map(|i| i + 1))
            .collect();
        let mut continuations = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut count = 0;
        for chunk in bytes.chunks(CHECKPOINT) {
            continuations.push(count);
            count += chunk.iter().filter(|&&b| is_continuation(b)).count();
        }
        continuations.push(count);
        LineIndex {
            starts,
            continuations,
        }
    }

    /// Continuation bytes in `text[..offset]`.
    fn continuations_before(&self, bytes: &[u8], offset: usize) -> usize {
        let checkpoint = offset / CHECKPOINT;
        let from = checkpoint * CHECKPOINT;
        self.continuations[checkpoint]
            + bytes[from..offset]
                .iter()
                .filter(|&&b| is_continuation(b))
                .count()
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

fn newline_offsets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i)
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            lines: OnceLock::new(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let index = self.lines.get_or_init(|| LineIndex::new(&self.text));
        let line = index.starts.partition_point(|&start| start <= offset);
        let line_start = index.starts[line - 1];
        let bytes = self.text.as_bytes();
        let chars = (offset - line_start)
            - (index.continuations_before(bytes, offset)
                - index.continuations_before(bytes, line_start));
        (line, chars + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Errors stop the build; warnings are printed and counted (`--strict` makes them errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found while building, with where it is.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem (`no-link`, `unlisted`…), for `check --format json`.
    pub code: Option<&'static str>,
    pub message: String,
    pub location: Option<(Arc<SourceFile>, Range<usize>)>,
    /// Printed under the offending line, next to the carets.
    pub label: String,
    /// "did you mean `csis2025`?" and the like.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            location: None,
            label: String::new(),
            hint: None,
        }
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// A problem that does not stop the build (unless `--strict`).
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(message)
        }
    }

    /// The same problem, now stopping the build.
    pub fn into_error(self) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..self
        }
    }

    /// Points at `span` (a byte range) in `file`.
    pub fn at(
        mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        let len = file.text.len();
        let start = floor_char_boundary(&file.text, span.start.min(len));
        let end = floor_char_boundary(&file.text, span.end.clamp(start, len));
        self.location = Some((Arc::clone(file), start..end));
        self.label = label.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A file that could not be read, as the place that named it tells it: the file's own
    /// message, located at `place`, with the guard's hint when it refused the path (outside the
    /// brief, not a file, too large), else `hint`.
    pub fn named_at(
        self,
        what: &str,
        written: &str,
        place: (&Arc<SourceFile>, Range<usize>),
        hint: &str,
    ) -> Diagnostic {
        let refused = self.code.is_some_and(|code| code != "unreadable-file");
        let hint = match self.hint {
            Some(own) if refused => own,
            _ => hint.to_string(),
        };
        // The file's own message starts with its name, which this one already gives.
        let message = self
            .message
            .split_once(": ")
            .filter(|(name, _)| written.ends_with(name.trim_start_matches("./")))
            .map_or(self.message.as_str(), |(_, rest)| rest);
        Diagnostic::new(format!("cannot read {what} `{written}`: {message}"))
            .at(place.0, place.1, "named here")
            .hint(hint)
    }

    /// `file:line:col`, or just the file name, or nothing.
    pub fn position(&self) -> Option<String> {
        self.location.as_ref().map(|(file, span)| {
            let (line, col) = file.line_col(span.start);
            format!("{}:{line}:{col}", file.name)
        })
    }

    /// One line, `warning: file:line:col: message`, and the hint indented under it: for the
    /// warnings a successful build prints, which should not bury the summary.
    pub fn render_short(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut line = format!("{kind}: {self}");
        if let Some(hint) = &self.hint {
            line.push_str(&format!("\n  = help: {hint}"));
        }
        terminal_safe(&line)
    }

    /// The rustc-like text: `error: …`, the location, the quoted line with carets, the hint.
    /// Control characters from the files are shown escaped (`\u{1b}`), never sent raw to the
    /// terminal, with the carets still under what they point at; long lines are cut to a
    /// window around the span ([`excerpt`]).
    pub fn render(&self) -> String {
        let mut diagnostic = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(terminal_safe(&self.message));
        if let Some(hint) = &self.hint {
            diagnostic = diagnostic.with_notes(vec![format!("help: {}", terminal_safe(hint))]);
        }
        match &self.location {
            Some((file, span)) => {
                let excerpt = Excerpt::new(file, span.clone());
                let diagnostic =
                    diagnostic.with_labels(vec![Label::primary((), excerpt.span.clone())
                        .with_message(terminal_safe(&self.label))]);
                term::emit_into_string(&Config::default(), &excerpt, &diagnostic)
                    .unwrap_or_else(|_| format!("error: {}\n", self.message))
            }
            None => {
                let simple = SimpleFile::new("", "");
                term::emit_into_string(&Config::default(), &simple, &diagnostic)
                    .unwrap_or_else(|_| format!("error: {}\n", self.message))
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = terminal_safe(&self.message);
        match self.position() {
            Some(position) => write!(f, "{}: {message}", terminal_safe(&position)),
            None => f.write_str(&message),
        }
    }
}

/// Everything that stopped a build. Building goes on after a recoverable problem so that the author
/// sees every unknown key at once, not one per run.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing went wrong, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn render(&self) -> String {
        let mut out: String = self
            .0
            .iter()
            .map(Diagnostic::render)
            .collect::<Vec<_>>()
            .join("\n");
        let count = self
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.0.len() - count;
        let also = match warnings {
            0 => String::new(),
            1 => " and 1 warning".to_string(),
            n => format!(" and {n} warnings"),
        };
        out.push_str(&format!(
            "\nerror: build failed with {count} error{}{also}\n",
            if count == 1 { "" } else { "s" }
        ));
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Whether `c` must not reach a terminal as it is: control characters (which can move the
/// cursor, ring, or rewrite the screen: ESC, BEL, NUL, the C1 range) and the bidirectional
/// overrides that make text read differently from what it is. Line breaks and tabs stay.
fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal must not get raw written as `\u{1b}`; a carriage
/// return is kept where it ends a line (Windows files).
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(is_unsafe_for_terminal) {
        return text.to_string();
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if is_unsafe_for_terminal(c) && !line_end {
            escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// The closest of `candidates` to `wanted`, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A diagnostic about a whole file (it could not be read, or is missing).
pub fn file_error(path: &Path, message: impl fmt::Display) -> Diagnostic {
    // Callers with a better idea replace this hint.
    Diagnostic::new(format!("{}: {message}", path.display()))
        .hint("check that the path exists and that you may read and write it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_across_checkpoints() {
        let long = format!("{}\n{}é€x", "a".repeat(5000), "ü".repeat(3000));
        let file = SourceFile::new("f", long.clone());
        let x = long.find('x').unwrap();
        assert_eq!(file.line_col(x), (2, 3003));
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(5001), (2, 1));
        assert_eq!(file.line_col(long.len()), (2, 3004));
    }

    #[test]
    fn long_lines_are_quoted_as_a_window_with_the_files_own_place() {
        let line = format!("{}TARGET{}", "a".repeat(50_000), "b".repeat(50_000));
        let file = SourceFile::new("f.md", format!("first\n{line}\nlast"));
        let at = file.text.find("TARGET").unwrap();
        let shown = Diagnostic::new("here")
            .at(&file, at..at + 6, "this")
            .render();
        assert!(shown.len() < 1_000, "{shown}");
        assert!(shown.contains("f.md:2:50001"), "{shown}");
        assert!(
            shown.contains("… aaaa") && shown.contains("TARGETbbb") && shown.contains("b …"),
            "{shown}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        let quoted = lines.iter().position(|l| l.contains("TARGET")).unwrap();
        assert!(lines[quoted].starts_with("2 │"), "{shown}");
        let column = |line: &str, needle: &str| line[..line.find(needle).unwrap()].chars().count();
        assert_eq!(
            column(lines[quoted], "TARGET"),
            column(lines[quoted + 1], "^^^^^^")
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal_and_carets_stay_put() {
        let file = SourceFile::new("a.md", "x\u{1b}[31m \u{7}key\u{0} end\r\nnext");
        let at = file.text.find("key").unwrap();
        let shown = Diagnostic::new("unknown key `k\u{1b}]0;owned\u{7}`")
            .at(&file, at..at + 3, "here")
            .hint("hint \u{202e}reversed")
            .render();
        assert!(!shown.chars().any(is_unsafe_for_terminal), "{shown:?}");
        assert!(
            shown.contains("x\\u{1b}[31m \\u{7}key\\u{0} end"),
            "{shown}"
        );
        // The carets sit under `key` in the escaped line.
        let lines: Vec<&str> = shown.lines().collect();
        let quoted = lines.iter().position(|l| l.contains("key\\u{0}")).unwrap();
        let column = lines[quoted].find("key\\u{0}").unwrap();
        assert_eq!(lines[quoted + 1].find("^^^"), Some(column), "{shown}");
        assert_eq!(terminal_safe("line\r\nnext\tcell"), "line\r\nnext\tcell");
    }
}
