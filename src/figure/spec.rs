//! A figure as the author declares it: a fenced ```` ```figure ```` block of YAML in the Markdown.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::SourceFile;

/// The YAML of a figure block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FigureFields {
    /// Anchor `fig-ID` and the handle for `@fig-ID` cross-references.
    pub id: String,
    pub kind: ChartKind,
    /// The data file, relative to the brief's folder.
    pub data: String,
    /// Column holding the category labels.
    pub label: String,
    /// Column holding the numbers.
    pub value: String,
    /// The caption, shown after "Figure N".
    pub title: String,
    /// A heading drawn inside the chart, if the author gave one.
    #[serde(default)]
    pub chart_title: Option<String>,
    /// What the chart shows, for screen readers.
    pub alt: String,
    /// Overrides the data file's `unit`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Overrides the data file's `sources`: citation syntax, `[@a; @b]`.
    #[serde(default)]
    pub sources: Option<String>,
    /// Overrides the data file's `notes`.
    #[serde(default)]
    pub notes: Option<String>,
}

pub const FIGURE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "data",
    "label",
    "value",
    "title",
    "chart-title",
    "alt",
    "unit",
    "sources",
    "notes",
];

/// The kinds of chart the tool draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Vertical bars.
    Bar,
    /// Horizontal bars, one per category: best for long labels and many categories.
    BarHorizontal,
    /// Shares of a whole.
    Pie,
    /// Shares of a whole, with a hole for the total.
    Donut,
}

/// A figure block and where it was written.
#[derive(Debug, Clone)]
pub struct FigureSpec {
    pub fields: FigureFields,
    pub file: Arc<SourceFile>,
    /// Byte range of the block's YAML in `file`.
    pub span: Range<usize>,
    /// Index of the section it appears in.
    pub section: usize,
}
