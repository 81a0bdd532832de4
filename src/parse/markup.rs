//! What the reader of Pandoc's Markdown adds to the Markdown's own events: fenced divs and
//! callouts, `[text]{.class}` spans, `^sup^` and `~sub~`, formulas. Typed, so that each output
//! (the pages' HTML, the PDF) writes them its own way.

use std::ops::Range;
use std::sync::Arc;

use super::attrs::Attrs;
use crate::diagnostic::SourceFile;
use crate::html::escape;

/// A piece of markup beside the Markdown's events.
#[derive(Debug, Clone)]
pub enum Markup {
    /// `::: {.callout-note title="…"}`, `::: {#id .class}`.
    DivOpen(Attrs),
    DivClose,
    /// `[text]{#id .class}`.
    SpanOpen(Attrs),
    SpanClose,
    SuperscriptOpen,
    SuperscriptClose,
    SubscriptOpen,
    SubscriptClose,
    /// An index into [`super::Document::formulas`].
    Formula(usize),
}

/// A formula of the text, as written and as each output shows it.
#[derive(Debug, Clone)]
pub struct Formula {
    /// The TeX the converters read (`\label` taken out, environments made unnumbered).
    pub tex: String,
    /// As the author wrote it, shown as code when it cannot be converted.
    pub written: String,
    pub display: bool,
    /// Its number and anchor, when it is numbered.
    pub number: Option<(usize, String)>,
    /// The page's MathML (or `<code>` with the TeX).
    pub html: String,
    /// Where it is written, for messages about it.
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

/// Quarto's callout classes, with the title each shows by default.
pub const CALLOUTS: &[(&str, &str)] = &[
    ("callout-note", "Note"),
    ("callout-tip", "Tip"),
    ("callout-warning", "Warning"),
    ("callout-important", "Important"),
    ("callout-caution", "Caution"),
];

/// The title a div shows: a callout's, or none.
pub fn callout_title(attributes: &Attrs) -> Option<&str> {
    CALLOUTS
        .iter()
        .find(|(class, _)| attributes.has_class(class))
        .map(|(_, word)| attributes.get("title").unwrap_or(word))
}

impl Markup {
    /// As HTML, and whether it is a block (an HTML block event) rather than inline.
    pub fn html(&self, formulas: &[Formula]) -> (String, bool) {
        match self {
            Markup::DivOpen(attributes) => (div_open(attributes), true),
            Markup::DivClose => ("</div>\n".to_string(), true),
            Markup::SpanOpen(attributes) => (span_open(attributes), false),
            Markup::SpanClose => ("</span>".to_string(), false),
            Markup::SuperscriptOpen => ("<sup>".to_string(), false),
            Markup::SuperscriptClose => ("</sup>".to_string(), false),
            Markup::SubscriptOpen => ("<sub>".to_string(), false),
            Markup::SubscriptClose => ("</sub>".to_string(), false),
            Markup::Formula(index) => (
                formulas
                    .get(*index)
                    .map_or(String::new(), |f| f.html.clone()),
                false,
            ),
        }
    }
}

/// The opening tag of a fenced div: Quarto's callouts are notes with their title.
fn div_open(attributes: &Attrs) -> String {
    let id = attributes
        .id
        .as_deref()
        .map(|id| format!(" id=\"{}\"", escape(id)))
        .unwrap_or_default();
    let classes = attributes.classes.join(" ");
    if let Some(title) = callout_title(attributes) {
        return format!(
            "<div{id} class=\"callout {}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
            escape(&classes),
            escape(title)
        );
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape(&classes))
    };
    format!("<div{id}{class}>\n")
}

/// `[text]{.smallcaps}`: a span with the id and classes written.
fn span_open(attributes: &Attrs) -> String {
    let mut html = String::from("<span");
    if let Some(id) = &attributes.id {
        html.push_str(&format!(" id=\"{}\"", escape(id)));
    }
    if !attributes.classes.is_empty() {
        html.push_str(&format!(
            " class=\"{}\"",
            escape(&attributes.classes.join(" "))
        ));
    }
    html.push('>');
    html
}
