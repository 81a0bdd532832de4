//! Figures and equations numbered in reading order, and every cross-reference checked against
//! them. Data figures and image figures share one sequence, as readers count them.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Parts, Piece, RefForm, Target, TargetKind};
use crate::diagnostic::{closest, Diagnostic, Diagnostics};
use crate::slug::id_from_label;

/// After a section is read: images alone in a paragraph become figures, and every figure gets
/// its number and, when it has a label, a place in the cross-reference table.
pub(super) fn settle_section(
    pieces: &mut Vec<Piece>,
    parts: &mut Parts,
    section: usize,
    diagnostics: &mut Diagnostics,
) {
    let mut unwrap = Vec::new();
    for i in 0..pieces.len() {
        let Piece::Image(n) = pieces[i] else {
            continue;
        };
        let image = &mut parts.images[n];
        image.take_label();
        let alone = i > 0
            && matches!(pieces[i - 1], Piece::Markdown(Event::Start(Tag::Paragraph)))
            && matches!(
                pieces.get(i + 1),
                Some(Piece::Markdown(Event::End(TagEnd::Paragraph)))
            );
        if alone && image.has_caption() {
            image.figure = true;
            unwrap.push(i);
        }
    }
    // The figure replaces its paragraph: `<p><figure>` is not HTML.
    for &i in unwrap.iter().rev() {
        pieces.remove(i + 1);
        pieces.remove(i - 1);
    }
    for piece in pieces.iter() {
        match *piece {
            Piece::Figure(n) => {
                parts.figure_count += 1;
                let spec = &mut parts.figures[n];
                spec.number = parts.figure_count;
                let target = Target {
                    kind: TargetKind::Figure,
                    number: spec.number,
                    anchor: format!("fig-{}", spec.fields.id),
                    section,
                };
                for label in [
                    format!("fig-{}", spec.fields.id),
                    format!("fig:{}", spec.fields.id),
                ] {
                    parts.targets.entry(label).or_insert_with(|| target.clone());
                }
            }
            Piece::Image(n) if parts.images[n].figure => {
                parts.figure_count += 1;
                let number = parts.figure_count;
                let image = &mut parts.images[n];
                image.number = Some(number);
                let anchor = image
                    .attrs
                    .id
                    .as_deref()
                    .map_or_else(|| format!("figure-{number}"), id_from_label);
                image.anchor = Some(anchor.clone());
                if let Some(label) = image.attrs.id.clone() {
                    if parts.targets.contains_key(&label) {
                        diagnostics.push(
                            Diagnostic::new(format!("two figures have the label `{label}`"))
                                .at(&image.file, image.span.clone(), "this figure")
                                .hint("labels name one figure each; rename one of them"),
                        );
                        continue;
                    }
                    parts.targets.insert(
                        label,
                        Target {
                            kind: TargetKind::Figure,
                            number,
                            anchor,
                            section,
                        },
                    );
                }
            }
            _ => {}
        }
    }
}

/// Every cross-reference names a figure or equation. `@fig-ID` naming nothing is an error (as
/// always); LaTeX's `\ref{…}` naming nothing is a warning, and prints "??" as LaTeX does.
pub(super) fn check_cross_refs(parts: &mut Parts, diagnostics: &mut Diagnostics) {
    for reference in &parts.cross_refs {
        if parts.targets.contains_key(&reference.label) {
            continue;
        }
        let written = &reference.file.text[reference.span.clone()];
        if let Some(id) = written.strip_prefix("@fig-") {
            let figures: Vec<&str> = parts
                .figures
                .iter()
                .map(|spec| spec.fields.id.as_str())
                .collect();
            let mut diagnostic = Diagnostic::new(format!("no figure has the id `{id}`")).at(
                &reference.file,
                reference.span.clone(),
                "cross-reference to a missing figure",
            );
            diagnostic = match closest(id, figures.iter().copied()) {
                Some(suggestion) => diagnostic.hint(format!("did you mean `@fig-{suggestion}`?")),
                None if figures.is_empty() => diagnostic.hint("the brief has no figures yet"),
                None => diagnostic.hint(format!(
                    "the figures are: {}",
                    figures
                        .iter()
                        .map(|id| format!("@fig-{id}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            diagnostics.push(diagnostic);
            continue;
        }
        let labels = parts.targets.keys().map(String::as_str);
        let mut warning = Diagnostic::warning(format!(
            "nothing has the label `{}`; the reference prints as ??",
            reference.label
        ))
        .at(
            &reference.file,
            reference.span.clone(),
            "cross-reference to a missing label",
        )
        .code("missing-label");
        warning = match closest(&reference.label, labels) {
            Some(suggestion) => warning.hint(format!("did you mean `{suggestion}`?")),
            None => warning.hint(match reference.form {
                RefForm::Equation => "label the equation with `\\label{…}` inside its math",
                _ => "label the figure: `![Caption](file.png){#fig:name}` or `\\label{fig:name}` in its caption",
            }),
        };
        parts.warnings.push(warning);
    }
}
