//! A figure, resolved: its data file read and checked against the block, the chart drawn, its
//! source line turned into a citation, its numbers laid out as a table.

use std::ops::Range;
use std::sync::Arc;

use super::chart::{format_number, render_svg, ChartInput};
use super::data::{parse_csv, DataTable};
use super::spec::{SortOrder, CHART_KINDS};
use super::FigureSpec;
use crate::citation_syntax;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::load::Project;
use crate::parse::Citation;

/// Everything the templates show for a figure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResolvedFigure {
    /// "Figure N", in reading order across the brief.
    pub number: usize,
    /// The anchor: `fig-ID`.
    pub anchor: String,
    pub title: String,
    pub alt: String,
    pub unit: Option<String>,
    pub notes: Option<String>,
    /// The chart, inline SVG.
    pub svg: String,
    /// The formatted source citation, HTML.
    pub sources_html: Option<String>,
    /// Index of the source citation among all citations (its anchor), if any.
    #[serde(skip)]
    pub sources_citation: Option<usize>,
    /// The caption (`title`) in pieces: text, and citations written in it (`[@key]`).
    #[serde(skip)]
    pub caption: Vec<CaptionPart>,
    /// The data as a table: header and rows, numbers formatted, in the file's order.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Where the data file is published, relative to the site root.
    pub data_href: String,
}

/// A piece of a figure's caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptionPart {
    Text(String),
    /// While drawing: an index into [`DrawnFigure::caption_citations`]; once resolved, an index
    /// among all the brief's citations.
    Citation(usize),
}

/// A figure as drawn, before its citations are formatted with the text's.
pub struct DrawnFigure {
    pub figure: ResolvedFigure,
    pub table: DataTable,
    pub sources: Option<Citation>,
    pub caption_citations: Vec<Citation>,
}

/// Splits a caption around its bracketed citations, located in the figure block.
fn caption_parts(spec: &FigureSpec) -> (Vec<CaptionPart>, Vec<Citation>) {
    let title = &spec.fields.title;
    let line = field_span(spec, "title");
    let in_file = spec.file.text[line.clone()]
        .find(title.as_str())
        .map(|i| line.start + i);
    let mut parts = Vec::new();
    let mut citations = Vec::new();
    let mut last = 0;
    let mut from = 0;
    // Each `]` closes the last `[` before it, so the caption is read once however many
    // brackets it holds.
    while let Some(close) = title[from..].find(']').map(|i| from + i) {
        let Some(open) = title[from..close].rfind('[').map(|i| from + i) else {
            from = close + 1;
            continue;
        };
        from = close + 1;
        let Some(items) = citation_syntax::parse_bracketed(&title[open + 1..close]) else {
            continue;
        };
        // Spans point into the file when the caption is written there verbatim (no YAML escapes).
        let base = in_file.map_or(line.start, |start| start + open + 1);
        let items = items
            .into_iter()
            .map(|mut item| {
                item.key_span = match in_file {
                    Some(_) => item.key_span.start + base..item.key_span.end + base,
                    None => line.clone(),
                };
                item
            })
            .collect();
        if open > last {
            parts.push(CaptionPart::Text(title[last..open].to_string()));
        }
        parts.push(CaptionPart::Citation(citations.len()));
        citations.push(Citation {
            items,
            narrative: false,
            file: Arc::clone(&spec.file),
            span: in_file.map_or(line.clone(), |start| start + open..start + close + 1),
            section: spec.section,
        });
        last = close + 1;
        from = last;
    }
    if last < title.len() {
        parts.push(CaptionPart::Text(title[last..].to_string()));
    }
    (parts, citations)
}

/// Reads the figure's data and draws it. Returns the figure, its data table and its sources as a
/// citation (to be formatted with the text's).
pub fn draw_figure(
    project: &Project,
    spec: &FigureSpec,
    number: usize,
) -> Result<DrawnFigure, Diagnostic> {
    let fields = &spec.fields;
    let file = project.read_source(&fields.data).map_err(|error| {
        error.named_at(
            "the figure's data file",
            &fields.data,
            (&spec.file, field_span(spec, "data")),
            "the path is relative to the brief's folder, e.g. `data/production.csv`",
        )
    })?;
    let table = parse_csv(&file)?;
    let label = table.column(&fields.label, &spec.file, field_span(spec, "label"))?;
    let (fewest, most) = fields.kind.value_columns();
    let wanted = &fields.value.0;
    if wanted.len() < fewest || wanted.len() > most {
        let expected = match (fewest, most) {
            (1, 1) => "one column".to_string(),
            (2, 2) => "two columns, `[low, high]`".to_string(),
            _ => format!("at least {fewest} column"),
        };
        return Err(
            Diagnostic::new(format!("this kind of chart takes {expected} in `value`"))
                .at(
                    &spec.file,
                    field_span(spec, "value"),
                    format!("{} given", wanted.len()),
                )
                .hint(format!("the kinds are: {}", CHART_KINDS.join(", "))),
        );
    }
    let mut values = Vec::new();
    for name in wanted {
        values.push(table.column(name, &spec.file, field_span(spec, "value"))?);
    }
    let mut data = table.chart_data(label, &values)?;
    check_shares_and_ranges(spec, &table, &values, &data)?;
    if let Some(order) = fields.sort {
        sort_chart_data(&mut data, order);
    }
    let unit = fields.unit.clone().or_else(|| table.meta.unit.clone());
    let anchor = format!("fig-{}", fields.id);
    let (caption, caption_citations) = caption_parts(spec);
    // The SVG's own title is plain text: the caption without its citations.
    let plain_title = caption
        .iter()
        .filter_map(|part| match part {
            CaptionPart::Text(text) => Some(text.as_str()),
            CaptionPart::Citation(_) => None,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",");
    let svg = render_svg(&ChartInput {
        kind: fields.kind,
        data: &data,
        chart_title: fields.chart_title.as_deref(),
        unit: unit.as_deref(),
        id: &anchor,
        title: &plain_title,
        alt: &fields.alt,
    })
    .map_err(|error| {
        Diagnostic::new(format!("could not draw the figure: {error}"))
            .at(&spec.file, field_span(spec, "kind"), "")
            .hint(
                "check the figure's values and columns; if they look right, this is a bug in brief",
            )
    })?;
    let sources = match (&fields.sources, &table.meta.sources) {
        (Some(written), _) => Some(sources_citation(
            &spec.file,
            field_span(spec, "sources"),
            written,
            spec.section,
        )?),
        (None, Some(written)) => Some(sources_citation(
            &table.file,
            table.meta_span.clone(),
            written,
            spec.section,
        )?),
        (None, None) => None,
    };
    let rows = table
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .enumerate()
                .map(|(i, cell)| match cell.parse::<f64>() {
                    Ok(number) if values.contains(&i) => format_number(number),
                    _ => cell.clone(),
                })
                .collect()
        })
        .collect();
    let data_name = fields.data.rsplit('/').next().unwrap_or(&fields.data);
    let figure = ResolvedFigure {
        number,
        anchor,
        title: fields.title.clone(),
        alt: fields.alt.clone(),
        unit,
        notes: fields.notes.clone().or_else(|| table.meta.notes.clone()),
        svg,
        sources_html: None,
        sources_citation: None,
        caption,
        columns: table.columns.clone(),
        rows,
        data_href: format!("data/{data_name}"),
    };
    Ok(DrawnFigure {
        figure,
        table,
        sources,
        caption_citations,
    })
}

/// What a kind of chart needs of its numbers: a pie's shares are not negative and add up to
/// something; a range bar's low end is not above its high end. Each is an error at its row.
fn check_shares_and_ranges(
    spec: &FigureSpec,
    table: &DataTable,
    values: &[usize],
    data: &super::chart::ChartData,
) -> Result<(), Diagnostic> {
    use super::spec::ChartKind;
    match spec.fields.kind {
        ChartKind::Pie | ChartKind::Donut => {
            let column = values[0];
            let name = &table.columns[column];
            for (row, value) in table.rows.iter().zip(&data.series[0].values) {
                if *value < 0.0 {
                    return Err(Diagnostic::new(format!(
                        "a share cannot be negative: `{}` in column `{name}`",
                        row.cells[column]
                    ))
                    .at(&table.file, row.spans[column].clone(), "negative share")
                    .hint("a pie shows parts of a whole; for gains and losses use `kind: bar`"));
                }
            }
            if data.series[0].values.iter().all(|v| *v == 0.0) {
                return Err(Diagnostic::new(format!(
                    "every value in column `{name}` is zero: a pie needs a whole to share"
                ))
                .at(&spec.file, field_span(spec, "value"), "all zero")
                .hint("fill in the numbers, or name the column that holds them in `value`"));
            }
        }
        ChartKind::RangeBar => {
            let (low, high) = (values[0], values[1]);
            let pairs = data.series[0].values.iter().zip(&data.series[1].values);
            for (row, (from, to)) in table.rows.iter().zip(pairs) {
                if from > to {
                    let span = row.spans[low].start.min(row.spans[high].start)
                        ..row.spans[low].end.max(row.spans[high].end);
                    return Err(Diagnostic::new(format!(
                        "the low end `{}` is above the high end `{}`",
                        row.cells[low], row.cells[high]
                    ))
                    .at(&table.file, span, "low above high")
                    .hint(format!(
                        "swap the two numbers, or the columns in `value: [{}, {}]`",
                        table.columns[high], table.columns[low]
                    )));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Orders categories by the first series (stable, so ties keep the data's order).
fn sort_chart_data(data: &mut super::chart::ChartData, order: SortOrder) {
    let Some(first) = data.series.first() else {
        return;
    };
    let mut indexes: Vec<usize> = (0..data.categories.len()).collect();
    indexes.sort_by(|&a, &b| {
        let ordering = first.values[a].total_cmp(&first.values[b]);
        match order {
            SortOrder::Ascending => ordering,
            SortOrder::Descending => ordering.reverse(),
        }
    });
    data.categories = indexes
        .iter()
        .map(|&i| data.categories[i].clone())
        .collect();
    for series in &mut data.series {
        series.values = indexes.iter().map(|&i| series.values[i]).collect();
    }
}

/// A figure's `sources` (citation syntax, `[@a; @b]`) as a citation located in `file`.
fn sources_citation(
    file: &Arc<SourceFile>,
    near: Range<usize>,
    written: &str,
    section: usize,
) -> Result<Citation, Diagnostic> {
    let inner = written
        .trim()
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(written.trim());
    // Locate the text in the file so that an unknown key is reported where it is written.
    let region = &file.text[near.start.min(file.text.len())..];
    let base = region.find(inner).map_or(near.start, |i| near.start + i);
    let items = citation_syntax::parse_bracketed(inner).ok_or_else(|| {
        Diagnostic::new("a figure's `sources` must be citations, like \"[@usgs2024; @csis2025]\"")
            .at(file, near.clone(), "no citation key here")
            .hint("write `sources: \"[@key]\"` with the keys of the references file")
    })?;
    let items = items
        .into_iter()
        .map(|mut item| {
            item.key_span = item.key_span.start + base..item.key_span.end + base;
            item
        })
        .collect();
    Ok(Citation {
        items,
        narrative: false,
        file: Arc::clone(file),
        span: base..base + inner.len(),
        section,
    })
}

/// The span of `field: …` inside a figure block, for errors about that field.
pub fn field_span(spec: &FigureSpec, field: &str) -> Range<usize> {
    let block = &spec.file.text[spec.span.clone()];
    let mut offset = spec.span.start;
    for line in block.split_inclusive('\n') {
        if line.trim_start().starts_with(&format!("{field}:")) {
            return offset..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    spec.span.start..spec.span.start
}
