//! Stage 3, resolve: reference files read and every citation formatted; figures numbered, their
//! data read and drawn. The result is a [`ResolvedDocument`], everything the templates need.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::citation_syntax;
use crate::cite::references::load_references;
use crate::cite::{resolve_citations, ResolvedCitations};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::figure::chart::{format_number, render_svg, ChartInput};
use crate::figure::data::{parse_csv, DataTable};
use crate::figure::FigureSpec;
use crate::load::Project;
use crate::parse::{Citation, Document};

#[derive(Debug)]
pub struct ResolvedDocument {
    pub document: Document,
    /// The text's citations followed by the figures' source lines; anchors number them in this order.
    pub all_citations: Vec<Citation>,
    pub citations: ResolvedCitations,
    /// In the order of [`Document::figures`].
    pub figures: Vec<ResolvedFigure>,
    /// Data files to publish with the site: (path inside the site, contents).
    pub data_files: BTreeMap<String, String>,
}

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
    /// The data as a table: header and rows, numbers formatted.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Where the data file is published, relative to the site root.
    pub data_href: String,
}

pub fn resolve(project: &Project, document: Document) -> Result<ResolvedDocument, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let references = load_references(project, &document);

    // Figures first: their source lines are citations too, formatted with the text's.
    let mut citations: Vec<Citation> = document.citations.clone();
    let mut drawn = Vec::new();
    let mut data_files = BTreeMap::new();
    let mut seen_ids: BTreeMap<&str, &FigureSpec> = BTreeMap::new();
    for (index, spec) in document.figures.iter().enumerate() {
        if let Some(first) = seen_ids.insert(spec.fields.id.as_str(), spec) {
            let (line, _) = first.file.line_col(first.span.start);
            diagnostics.push(
                Diagnostic::new(format!("two figures have the id `{}`", spec.fields.id))
                    .at(&spec.file, field_span(spec, "id"), "duplicate id")
                    .hint(format!(
                        "the first is at {}:{line}; ids must be unique in the brief",
                        first.file.name
                    )),
            );
        }
        match draw_figure(project, spec, index + 1) {
            Ok((figure, table, sources)) => {
                let sources_index = match sources {
                    Some(citation) => {
                        citations.push(citation);
                        Some(citations.len() - 1)
                    }
                    None => None,
                };
                data_files.insert(figure.data_href.clone(), table.file.text.clone());
                drawn.push((figure, sources_index));
            }
            Err(error) => diagnostics.push(error),
        }
    }
    let references = match references {
        Ok(references) => references,
        Err(errors) => {
            diagnostics.0.extend(errors.0);
            return Err(diagnostics);
        }
    };
    let resolved = resolve_citations(&document, &references, &citations);
    let resolved = match resolved {
        Ok(resolved) if diagnostics.is_empty() => resolved,
        Ok(_) => return Err(diagnostics),
        Err(errors) => {
            diagnostics.0.extend(errors.0);
            return Err(diagnostics);
        }
    };
    let figures = drawn
        .into_iter()
        .map(|(mut figure, sources_index)| {
            figure.sources_html = sources_index.and_then(|i| resolved.citations.get(i).cloned());
            figure.sources_citation = sources_index;
            figure
        })
        .collect();
    Ok(ResolvedDocument {
        document,
        all_citations: citations,
        citations: resolved,
        figures,
        data_files,
    })
}

fn draw_figure(
    project: &Project,
    spec: &FigureSpec,
    number: usize,
) -> Result<(ResolvedFigure, DataTable, Option<Citation>), Diagnostic> {
    let fields = &spec.fields;
    let file = project.read_source(&fields.data).map_err(|error| {
        Diagnostic::new(format!(
            "cannot read the figure's data file `{}`: {}",
            fields.data, error.message
        ))
        .at(&spec.file, field_span(spec, "data"), "named here")
        .hint("the path is relative to the brief's folder, e.g. `data/production.csv`")
    })?;
    let table = parse_csv(&file)?;
    let label = table.column(&fields.label, &spec.file, field_span(spec, "label"))?;
    let value = table.column(&fields.value, &spec.file, field_span(spec, "value"))?;
    let series = table.series(label, value)?;
    let unit = fields.unit.clone().or_else(|| table.meta.unit.clone());
    let anchor = format!("fig-{}", fields.id);
    let svg = render_svg(&ChartInput {
        kind: fields.kind,
        series: &series,
        chart_title: fields.chart_title.as_deref(),
        unit: unit.as_deref(),
        id: &anchor,
        title: &fields.title,
        alt: &fields.alt,
    })
    .map_err(|error| {
        Diagnostic::new(format!("could not draw the figure: {error}")).at(
            &spec.file,
            field_span(spec, "kind"),
            "",
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
                    Ok(number) if i == value => format_number(number),
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
        columns: table.columns.clone(),
        rows,
        data_href: format!("data/{data_name}"),
    };
    Ok((figure, table, sources))
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
fn field_span(spec: &FigureSpec, field: &str) -> Range<usize> {
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
