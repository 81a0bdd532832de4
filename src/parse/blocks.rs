//! Pandoc's block syntax that CommonMark does not know, found before the Markdown parser runs:
//! `:::` fenced divs, `\newpage`, LaTeX environments (equations become display math, anything
//! else is left out as Pandoc's HTML writer does). Each such line is blanked in a copy of the
//! text (spaces of the same length, so every byte offset still points into the author's file)
//! and comes back as a [`Mark`] at its place. Fenced code is left alone.

use std::ops::Range;

use super::attrs::{self, Attrs};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    DivOpen(Attrs),
    DivClose,
    /// `\newpage`, `\clearpage`, `\pagebreak`: a page break has no meaning on a web page.
    PageBreak(String),
    /// Any other `\begin{…}` block, by environment name.
    RawLatex(String),
}

/// A block found at `span` (byte offsets in the text given to [`hide`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub span: std::ops::Range<usize>,
    pub block: Block,
}

const MATH_ENVIRONMENTS: &[&str] = &[
    "equation",
    "equation*",
    "align",
    "align*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "eqnarray",
    "eqnarray*",
    "displaymath",
];

const PAGE_BREAKS: &[&str] = &[
    "\\newpage",
    "\\clearpage",
    "\\pagebreak",
    "\\cleardoublepage",
];

/// The text the Markdown parser reads, and the equations taken out of it.
pub struct Hidden {
    pub text: String,
    /// Each equation environment's span (now `$$xxxx$$`) and its TeX as written.
    pub formulas: Vec<(Range<usize>, String)>,
}

/// The text with Pandoc's block lines blanked, and what they were, in order.
pub fn hide(text: &str) -> (Hidden, Vec<Mark>) {
    let lines = line_spans(text);
    let mut marks = Vec::new();
    let mut formulas = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut open_divs = 0usize;
    // Inside `$$ … $$` over several lines, `\begin{cases}` is math for the math reader.
    let mut in_display_math = false;
    let mut i = 0;
    while i < lines.len() {
        let (start, end) = lines[i];
        let line = &text[start..end];
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((c, n)) = fence {
            if indent < 4 && closes_fence(trimmed, c, n) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if indent < 4 {
            if let Some(opened) = opens_fence(trimmed) {
                fence = Some(opened);
                i += 1;
                continue;
            }
        }
        let content = trimmed.trim_end();
        if content.matches("$$").count() % 2 == 1 {
            in_display_math = !in_display_math;
            i += 1;
            continue;
        }
        if in_display_math {
            i += 1;
            continue;
        }
        if let Some(block) = div_fence(content, open_divs) {
            match block {
                Block::DivOpen(_) => open_divs += 1,
                _ => open_divs -= 1,
            }
            marks.push(Mark {
                span: start..end,
                block,
            });
        } else if PAGE_BREAKS.contains(&content) {
            marks.push(Mark {
                span: start..end,
                block: Block::PageBreak(content.to_string()),
            });
        } else if let Some(environment) =
            begin_environment(content).filter(|e| !MATH_ENVIRONMENTS.contains(e))
        {
            if let Some(last) = (i..lines.len()).find(|&j| {
                text[lines[j].0..lines[j].1]
                    .trim()
                    .ends_with(&format!("\\end{{{environment}}}"))
            }) {
                marks.push(Mark {
                    span: start..lines[last].1,
                    block: Block::RawLatex(environment.to_string()),
                });
                i = last + 1;
                continue;
            }
        } else if let Some((span, tex)) = math_environment(text, start, end) {
            // Skip the lines the formula takes.
            let last = lines.iter().rposition(|l| l.0 <= span.end).unwrap_or(i);
            formulas.push((span, tex));
            i = last.max(i) + 1;
            continue;
        }
        i += 1;
    }
    let mut hidden = text.as_bytes().to_vec();
    for mark in &marks {
        for byte in &mut hidden[mark.span.clone()] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    }
    // An equation environment becomes `$$xxxx$$` of the same length: the Markdown parser
    // sees display math where the author wrote it (alone or inside a sentence), and its TeX,
    // `\\` rows and all, is taken from `formulas` rather than from the parser's text.
    for (span, _) in &formulas {
        let region = &mut hidden[span.clone()];
        let n = region.len();
        for (k, byte) in region.iter_mut().enumerate() {
            *byte = if k < 2 || k + 2 >= n { b'$' } else { b'x' };
        }
    }
    // Only ASCII replaced whole characters: the text is still UTF-8.
    let hidden = String::from_utf8(hidden).unwrap_or_else(|_| text.to_string());
    (
        Hidden {
            text: hidden,
            formulas,
        },
        marks,
    )
}

/// `\\begin{equation}…\\end{equation}` starting on the line `start..end` (not in inline code):
/// its span in the text and its TeX.
fn math_environment(text: &str, start: usize, end: usize) -> Option<(Range<usize>, String)> {
    let line = &text[start..end];
    for (at, _) in line.match_indices("\\begin{") {
        if line[..at].matches('`').count() % 2 == 1 {
            continue;
        }
        let Some(environment) = begin_environment(&line[at..]) else {
            continue;
        };
        if !MATH_ENVIRONMENTS.contains(&environment) {
            continue;
        }
        let close = format!("\\end{{{environment}}}");
        let from = start + at;
        let found = text[from..].find(&close)?;
        let span = from..from + found + close.len();
        return Some((span.clone(), text[span].to_string()));
    }
    None
}

/// Each line's byte range, without its line break.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            let end = if text[..i].ends_with('\r') { i - 1 } else { i };
            spans.push((start, end));
            start = i + 1;
        }
    }
    if start < text.len() {
        spans.push((start, text.len()));
    }
    spans
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string may not hold a backtick.
    (n >= 3 && !(c == '`' && line[n..].contains('`'))).then_some((c, n))
}

fn closes_fence(line: &str, c: char, n: usize) -> bool {
    let run = line.chars().take_while(|x| *x == c).count();
    run >= n && line[run * c.len_utf8()..].trim().is_empty()
}

/// `::: {.callout-note}` / `::: warning` opens a div; a bare `:::` closes the innermost one.
fn div_fence(line: &str, open_divs: usize) -> Option<Block> {
    let colons = line.chars().take_while(|c| *c == ':').count();
    if colons < 3 {
        return None;
    }
    let rest = line[colons..].trim();
    // Pandoc allows colons after the attributes too: `::: note :::`.
    let rest = rest.trim_end_matches(':').trim_end();
    if rest.is_empty() {
        return (open_divs > 0).then_some(Block::DivClose);
    }
    let attributes = match attrs::leading(rest) {
        Some((attributes, used)) if rest[used..].trim().is_empty() => attributes,
        Some(_) => return None,
        None if !rest.contains(char::is_whitespace) => attrs::parse(rest)?,
        None => return None,
    };
    Some(Block::DivOpen(attributes))
}

/// `\begin{table}` alone at the start of a line (what follows on the line may be options).
fn begin_environment(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("\\begin{")?;
    let close = rest.find('}')?;
    let name = &rest[..close];
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '*')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divs_breaks_and_environments_are_blanked_in_place() {
        let text = "::: {.callout-note}\nTip.\n:::\n\n\\newpage\n\n\\begin{equation}\nx = 1\n\\end{equation}\n\n\\begin{table}\na & b\n\\end{table}\n";
        let (hidden, marks) = hide(text);
        let (hidden, formulas) = (hidden.text, hidden.formulas);
        assert_eq!(hidden.len(), text.len());
        assert_eq!(hidden.lines().collect::<Vec<_>>()[1], "Tip.");
        assert_eq!(formulas[0].1, "\\begin{equation}\nx = 1\n\\end{equation}");
        assert!(hidden.contains("\n$$xxxxxxxxx"), "{hidden}");
        assert!(!hidden.contains(':') && !hidden.contains('\\'));
        let blocks: Vec<&Block> = marks.iter().map(|m| &m.block).collect();
        assert!(matches!(blocks[0], Block::DivOpen(a) if a.has_class("callout-note")));
        assert_eq!(blocks[1], &Block::DivClose);
        assert_eq!(blocks[2], &Block::PageBreak("\\newpage".into()));
        assert_eq!(blocks[3], &Block::RawLatex("table".into()));
    }

    #[test]
    fn an_equation_inside_a_sentence_keeps_its_place_and_its_rows() {
        let text =
            "rearrange $Q$, \\begin{eqnarray}\\label{eq:q}\nQ = a \\\\\nb\n\\end{eqnarray} where\n";
        let (hidden, _) = hide(text);
        assert!(
            hidden.text.starts_with("rearrange $Q$, $$xx"),
            "{}",
            hidden.text
        );
        assert!(hidden.text.ends_with("$$ where\n"));
        assert!(hidden.formulas[0].1.contains("\\\\\nb"));
    }

    #[test]
    fn code_fences_and_stray_colons_are_left_alone() {
        let text = "```\n::: x\n\\newpage\n```\n\n:::\n\nNote: ::: here\n\n$$\n\\begin{cases} x \\end{cases}\n$$\n";
        let (hidden, marks) = hide(text);
        assert_eq!(hidden.text, text);
        assert!(marks.is_empty() && hidden.formulas.is_empty());
    }
}
