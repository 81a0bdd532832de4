//! What a section's reader adds to its pieces besides the Markdown's own events: fenced divs and
//! callouts, formulas (numbered when LaTeX would number them), inline notes, raw LaTeX left out.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::{Block, Mark};
use super::{math, Formula, Markup, Parts, Piece, Target, TargetKind};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};

/// Divs inside divs, at most: well within what the minifier's recursion takes.
const MAX_DIVS: usize = crate::limits::MAX_NESTING / 2;
use crate::html::escape;

/// One section being read: its pieces, and what is added at its end.
pub(super) struct SectionParse<'a> {
    pub file: &'a Arc<SourceFile>,
    pub base: usize,
    pub slug: &'a str,
    pub section_index: usize,
    pub pieces: Vec<Piece>,
    /// Inline notes' content, to follow the text as footnote definitions.
    pub notes: Vec<(String, Vec<Piece>)>,
    /// How many `:::` divs are open.
    pub divs: usize,
}

impl SectionParse<'_> {
    pub(super) fn block(&mut self, mark: Mark, parts: &mut Parts, diagnostics: &mut Diagnostics) {
        let span = self.base + mark.span.start..self.base + mark.span.end;
        match mark.block {
            // Divs count towards the nesting the page's minifier can take, as quotes and lists do.
            Block::DivOpen(_) if self.divs == MAX_DIVS => {
                diagnostics.push(
                    Diagnostic::new(format!(
                        "the `:::` divs are nested more than {MAX_DIVS} deep here"
                    ))
                    .at(self.file, span, "too deep")
                    .hint("close the divs (`:::`) before opening new ones"),
                );
                self.divs += 1;
            }
            Block::DivOpen(_) if self.divs > MAX_DIVS => self.divs += 1,
            Block::DivClose if self.divs > MAX_DIVS => self.divs -= 1,
            Block::DivOpen(attributes) => {
                self.divs += 1;
                self.pieces.push(Piece::Markup(Markup::DivOpen(attributes)));
            }
            Block::DivClose => {
                if self.divs > 0 {
                    self.divs -= 1;
                    self.pieces.push(Piece::Markup(Markup::DivClose));
                }
            }
            // A page break means nothing on a web page.
            Block::PageBreak(_) => {}
            Block::RawLatex(environment) => {
                let first_line = self.file.text[span.clone()]
                    .find('\n')
                    .map_or(span.end, |i| span.start + i);
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "this LaTeX `{environment}` block is left out of the web page, as Pandoc leaves it out"
                    ))
                    .at(self.file, span.start..first_line, "raw LaTeX")
                    .code("raw-latex")
                    .hint("write it in Markdown (a pipe table, an image) so that every reader sees it"),
                );
            }
        }
    }

    pub(super) fn close_divs(&mut self) {
        for _ in 0..std::mem::take(&mut self.divs).min(MAX_DIVS) {
            self.pieces.push(Piece::Markup(Markup::DivClose));
        }
    }

    /// A formula, numbered when LaTeX would number it; its page form is MathML, or, when it
    /// cannot be converted, its TeX in `<code>` with a warning.
    pub(super) fn formula(
        &mut self,
        written: &str,
        display: bool,
        label: Option<String>,
        span: Range<usize>,
        parts: &mut Parts,
    ) -> Piece {
        let (html, number) = self.formula_html(written, display, label, span.clone(), parts);
        parts.formulas.push(Formula {
            file: Arc::clone(self.file),
            span,
            tex: math::formula(written).tex,
            written: written.trim().to_string(),
            display,
            number,
            html,
        });
        Piece::Markup(Markup::Formula(parts.formulas.len() - 1))
    }

    fn formula_html(
        &mut self,
        written: &str,
        display: bool,
        label: Option<String>,
        span: Range<usize>,
        parts: &mut Parts,
    ) -> (String, Option<(usize, String)>) {
        let formula = math::formula(written);
        let label = label.or(formula.label.clone());
        let mathml = match math::mathml(&formula.tex, display) {
            Ok(mathml) => mathml,
            Err(problem) => {
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "this formula cannot be shown as math ({problem}); it is shown as TeX"
                    ))
                    .at(self.file, span, "this formula")
                    .code("math")
                    .hint("check the braces and commands; brief converts TeX math to MathML"),
                );
                let class = if display { "math display" } else { "math" };
                let code = format!("<code class=\"{class}\">{}</code>", escape(written.trim()));
                return (code, None);
            }
        };
        if !display || !(formula.numbered || label.is_some()) {
            return (mathml, None);
        }
        parts.equation_count += 1;
        let number = parts.equation_count;
        // A label used twice names the first; the second equation keeps only its number.
        let label = label.filter(|label| {
            let taken = parts.targets.contains_key(label);
            if taken {
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "the label `{label}` is used already; references to it lead to the first"
                    ))
                    .at(self.file, span.clone(), "this formula")
                    .code("duplicate-label")
                    .hint("give each equation a label of its own"),
                );
            }
            !taken
        });
        let anchor = label
            .as_deref()
            .map_or_else(|| format!("eq-{number}"), crate::slug::id_from_label);
        if let Some(label) = &label {
            parts.targets.insert(
                label.clone(),
                Target {
                    kind: TargetKind::Equation,
                    number,
                    anchor: anchor.clone(),
                    section: self.section_index,
                },
            );
        }
        let html = format!(
            "<span class=\"equation\" id=\"{}\">{mathml}<span class=\"equation-number\">({number})</span></span>",
            escape(&anchor)
        );
        (html, Some((number, anchor)))
    }

    /// `^[…]`: a note whose text is written where it is called.
    /// Returns the note's call, to put where it was written.
    pub(super) fn inline_note(&mut self, content: Vec<Piece>) -> Piece {
        let label = format!("{}-fn-inline-{}", self.slug, self.notes.len() + 1);
        self.notes.push((label.clone(), content));
        Piece::Markdown(Event::FootnoteReference(label.into()))
    }

    /// The pieces, with the inline notes' definitions after the text.
    pub(super) fn finish(mut self) -> Vec<Piece> {
        for (label, content) in std::mem::take(&mut self.notes) {
            self.pieces
                .push(Piece::Markdown(Event::Start(Tag::FootnoteDefinition(
                    label.into(),
                ))));
            self.pieces
                .push(Piece::Markdown(Event::Start(Tag::Paragraph)));
            self.pieces.extend(content);
            self.pieces
                .push(Piece::Markdown(Event::End(TagEnd::Paragraph)));
            self.pieces
                .push(Piece::Markdown(Event::End(TagEnd::FootnoteDefinition)));
        }
        self.pieces
    }
}
