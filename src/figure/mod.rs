//! Figures drawn from data: the block's spec, the data file, the SVG chart.

pub mod chart;
pub mod data;
pub mod download;
pub mod draw;
pub mod spec;

pub use spec::{ChartKind, FigureFields, FigureSpec, SortOrder};
