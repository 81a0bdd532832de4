//! A figure as the author declares it: a fenced ```` ```figure ```` block of YAML in the Markdown.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::SourceFile;
use crate::meta::OneOrMany;

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
    /// Column(s) holding the numbers: one, or a list for grouped, stacked and line charts, or
    /// `[low, high]` for a range bar.
    pub value: OneOrMany,
    /// `ascending` or `descending` by the (first) value; by default the data's own order.
    #[serde(default)]
    pub sort: Option<SortOrder>,
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
    /// Vertical bars; several value columns make grouped bars.
    #[serde(alias = "grouped-bar")]
    Bar,
    /// Horizontal bars, one row per category: best for long labels and many categories; several
    /// value columns make grouped bars.
    #[serde(alias = "grouped-bar-horizontal")]
    BarHorizontal,
    /// Vertical bars with the value columns stacked.
    StackedBar,
    /// Horizontal bars with the value columns stacked.
    StackedBarHorizontal,
    /// One line per value column over ordered categories (years).
    Line,
    /// Shares of a whole.
    Pie,
    /// Shares of a whole, with a hole in the middle.
    Donut,
    /// Horizontal bars from a low to a high estimate: `value: [low, high]`.
    RangeBar,
}

/// Every kind's name, for error messages.
pub const CHART_KINDS: &[&str] = &[
    "bar",
    "bar-horizontal",
    "grouped-bar",
    "stacked-bar",
    "stacked-bar-horizontal",
    "line",
    "pie",
    "donut",
    "range-bar",
];

impl ChartKind {
    /// Charts that tell their series apart by colour need a legend when there are several.
    pub fn shows_legend(self) -> bool {
        !matches!(
            self,
            ChartKind::Pie | ChartKind::Donut | ChartKind::RangeBar
        )
    }

    /// How many value columns the kind takes: (at least, at most).
    pub fn value_columns(self) -> (usize, usize) {
        match self {
            ChartKind::Pie | ChartKind::Donut => (1, 1),
            ChartKind::RangeBar => (2, 2),
            _ => (1, usize::MAX),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    Ascending,
    Descending,
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
    /// "Figure N": data figures and images are numbered together, in reading order.
    pub number: usize,
}
