//! Figure data files: CSV with a header row, optionally preceded by `# ` comment lines holding
//! YAML metadata (`unit`, `sources`, `notes`) so that the file carries its own provenance.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::chart::{ChartData, Series};
use crate::diagnostic::{closest, Diagnostic, SourceFile};
use crate::frontmatter::{offset_of, yaml_diagnostic, YamlPlace};

/// What a data file says about its numbers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataMeta {
    #[serde(default)]
    pub unit: Option<String>,
    /// Citation syntax: `[@usgs2025]`.
    #[serde(default)]
    pub sources: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

const DATA_META_FIELDS: &[&str] = &["unit", "sources", "notes"];

/// A parsed data file.
#[derive(Debug, Clone)]
pub struct DataTable {
    pub file: Arc<SourceFile>,
    pub meta: DataMeta,
    /// Byte range of the metadata lines (for errors in `sources`).
    pub meta_span: Range<usize>,
    pub columns: Vec<String>,
    pub rows: Vec<DataRow>,
    /// Byte range of the header row.
    pub header_span: Range<usize>,
    /// Byte range of each header cell (inside its quotes, if quoted).
    pub header_cells: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct DataRow {
    pub cells: Vec<String>,
    /// Byte range of each cell in the file.
    pub spans: Vec<Range<usize>>,
}

pub fn parse_csv(file: &Arc<SourceFile>) -> Result<DataTable, Diagnostic> {
    let text = &file.text;
    let (meta, meta_span) = parse_meta(file)?;
    let body = &text[meta_span.end..];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let at = error.position().map_or(0, |p| p.byte() as usize) + meta_span.end;
            Diagnostic::new(format!("cannot read CSV: {error}"))
                .at(file, at..line_end(text, at), "here")
                .hint("quote cells that hold commas, quotes or line breaks: \"Beta, Inc.\"")
        })?;
        let start = record.position().map_or(0, |p| p.byte() as usize) + meta_span.end;
        records.push((start, record));
    }
    let mut records = records
        .into_iter()
        .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()));
    let Some((header_start, header)) = records.next() else {
        return Err(Diagnostic::new("the data file has no header row")
            .at(
                file,
                meta_span.end..text.len(),
                "expected a header like `region,value`",
            )
            .hint("start the data with a row naming its columns, then one row per category"));
    };
    let columns: Vec<String> = header.iter().map(|c| c.trim().to_string()).collect();
    let header_span = header_start..line_end(text, header_start);
    let header_cells = cell_spans(text, header_start, header.len());
    let mut rows = Vec::new();
    for (start, record) in records {
        let spans = cell_spans(text, start, record.len());
        if record.len() != columns.len() {
            return Err(Diagnostic::new(format!(
                "this row has {} cells but the header has {} columns",
                record.len(),
                columns.len()
            ))
            .at(file, start..line_end(text, start), "ragged row")
            .hint(format!(
                "the columns are: {}; quote cells that contain commas",
                columns.join(", ")
            )));
        }
        rows.push(DataRow {
            cells: record.iter().map(|c| c.trim().to_string()).collect(),
            spans,
        });
    }
    if rows.is_empty() {
        return Err(Diagnostic::new("the data file has a header but no rows")
            .at(file, header_span.clone(), "header only")
            .hint("add one row per category under the header"));
    }
    Ok(DataTable {
        file: Arc::clone(file),
        meta,
        meta_span,
        columns,
        rows,
        header_span,
        header_cells,
    })
}

/// The leading `#` lines, read as YAML.
fn parse_meta(file: &Arc<SourceFile>) -> Result<(DataMeta, Range<usize>), Diagnostic> {
    let text = &file.text;
    let mut end = 0;
    let mut yaml = String::new();
    let mut line_starts = Vec::new();
    for line in text.split_inclusive('\n') {
        if !line.starts_with('#') {
            break;
        }
        line_starts.push(end);
        let content = line.trim_start_matches('#');
        yaml.push_str(content.strip_prefix(' ').unwrap_or(content));
        end += line.len();
    }
    if yaml.trim().is_empty() {
        return Ok((DataMeta::default(), 0..end));
    }
    // Line L of the YAML is the L-th `#` line, two characters ("# ") further right.
    let locate = |line: usize, column: usize| {
        let start = line_starts.get(line.max(1) - 1).copied().unwrap_or(0);
        offset_of(text, start, 1, column + 2)
    };
    let in_file = |at: usize| {
        let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = yaml[line_start..at].chars().count() + 1;
        locate(yaml[..at].matches('\n').count() + 1, column)
    };
    crate::frontmatter::check_yaml_depth(file, &yaml, "data file metadata", &in_file)?;
    let meta = serde_yaml::from_str(&yaml).map_err(|error| {
        let place = YamlPlace {
            what: "data file metadata",
            fields: DATA_META_FIELDS,
            fallback: 0,
            locate: &locate,
        };
        yaml_diagnostic(file, &error, &place)
    })?;
    Ok((meta, 0..end))
}

impl DataTable {
    /// The index of column `name`, or an error pointing at `at` that lists the real columns.
    pub fn column(
        &self,
        name: &str,
        spec_file: &Arc<SourceFile>,
        at: Range<usize>,
    ) -> Result<usize, Diagnostic> {
        self.columns.iter().position(|c| c == name).ok_or_else(|| {
            let mut diagnostic = Diagnostic::new(format!(
                "no column `{name}` in {}",
                self.file.name
            ))
            .at(spec_file, at, "unknown column");
            let hint = format!("the columns are: {}", self.columns.join(", "));
            diagnostic = match closest(name, self.columns.iter().map(String::as_str)) {
                Some(suggestion) => diagnostic.hint(format!("did you mean `{suggestion}`? {hint}")),
                None => diagnostic.hint(hint),
            };
            diagnostic
        })
    }

    /// Labels from one column and numbers from others; a cell that is not a number is an error
    /// at its own line and column.
    pub fn chart_data(&self, label: usize, values: &[usize]) -> Result<ChartData, Diagnostic> {
        let categories = self
            .rows
            .iter()
            .map(|row| row.cells[label].clone())
            .collect();
        let mut series = Vec::new();
        for &column in values {
            let mut numbers = Vec::with_capacity(self.rows.len());
            for row in &self.rows {
                let cell = &row.cells[column];
                let number = parse_number(cell).ok_or_else(|| {
                    let name = &self.columns[column];
                    if cell.trim().is_empty() {
                        return Diagnostic::new(format!("empty cell in column `{name}`"))
                            .at(&self.file, row.spans[column].clone(), "no number here")
                            .hint("a chart needs a number in every row: fill it in (0 if it is zero), or drop the row");
                    }
                    let hint = if cell.contains(',') && cell.replace(',', "").parse::<f64>().is_ok() {
                        format!("write `{}`: numbers take no thousands separators", cell.replace(',', ""))
                    } else {
                        "write plain numbers such as 270000 or 12.5; no units or thousands separators".to_string()
                    };
                    Diagnostic::new(format!("`{cell}` is not a number (column `{name}`)"))
                        .at(&self.file, row.spans[column].clone(), "expected a number")
                        .hint(hint)
                })?;
                if number.abs() > crate::limits::MAX_CHART_MAGNITUDE {
                    return Err(Diagnostic::new(format!(
                        "`{cell}` is too large to draw (column `{}`): charts take numbers up to a million billion (1e15)",
                        self.columns[column]
                    ))
                    .at(&self.file, row.spans[column].clone(), "too large")
                    .hint("give the numbers in a larger unit (thousands, millions, billions) and say so in `unit`"));
                }
                numbers.push(number);
            }
            series.push(Series {
                name: self.columns[column].clone(),
                values: numbers,
            });
        }
        Ok(ChartData { categories, series })
    }
}

fn parse_number(cell: &str) -> Option<f64> {
    let value: f64 = cell.trim().parse().ok()?;
    value.is_finite().then_some(value)
}

fn line_end(text: &str, from: usize) -> usize {
    let from = from.min(text.len());
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

/// Where each of the record's `count` cells starts and ends in the file: inside the quotes of a
/// quoted cell (which may hold `""`, commas and line breaks). Only ASCII bytes are looked for, so
/// every boundary falls between characters.
fn cell_spans(text: &str, start: usize, count: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let ends_cell = |b: u8| matches!(b, b',' | b'\n' | b'\r');
    let mut spans = Vec::with_capacity(count);
    let mut i = start;
    for _ in 0..count {
        i = i.min(text.len());
        if bytes.get(i) == Some(&b'"') {
            let open = i + 1;
            let mut close = open;
            while let Some(&b) = bytes.get(close) {
                match (b, bytes.get(close + 1)) {
                    (b'"', Some(b'"')) => close += 2,
                    (b'"', _) => break,
                    _ => close += 1,
                }
            }
            let close = close.min(text.len());
            spans.push(open..close);
            i = close + 1;
            while bytes.get(i).is_some_and(|&b| !ends_cell(b)) {
                i += 1;
            }
        } else {
            let from = i;
            while bytes.get(i).is_some_and(|&b| !ends_cell(b)) {
                i += 1;
            }
            spans.push(from..i);
        }
        if bytes.get(i) == Some(&b',') {
            i += 1;
        }
    }
    spans
}
