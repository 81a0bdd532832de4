//! The data file as readers download it. A cell such as `=HYPERLINK(…)` is a formula to a
//! spreadsheet, which runs it when the file is opened (formula injection); such cells get a
//! leading `'`, which spreadsheets read as "this is text". Numbers (`-5`, `+3.2`) stay as they
//! are, and so does the table shown on the page.

use std::ops::Range;

use super::data::DataTable;

/// The characters a spreadsheet takes as the start of a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// The data file's text with every formula-like cell made inert.
pub fn neutralise_formulas(table: &DataTable) -> String {
    let text = &table.file.text;
    let mut inserts: Vec<usize> = Vec::new();
    // The `#` metadata lines are cells to a spreadsheet too, split at their commas.
    for (start, line) in line_starts(&text[table.meta_span.clone()]) {
        for cell in cells_of_line(line) {
            inserts.extend(formula_at(&line[cell.clone()]).map(|i| start + cell.start + i));
        }
    }
    let cells = table
        .header_cells
        .iter()
        .chain(table.rows.iter().flat_map(|row| row.spans.iter()));
    for span in cells {
        let cell = text.get(span.clone()).unwrap_or("");
        inserts.extend(formula_at(cell).map(|i| span.start + i));
    }
    inserts.sort_unstable();
    inserts.dedup();
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut last = 0;
    for at in inserts {
        out.push_str(&text[last..at]);
        out.push('\'');
        last = at;
    }
    out.push_str(&text[last..]);
    out
}

/// Where to put the `'` in a cell that a spreadsheet would take as a formula: before its first
/// character that is not a space.
fn formula_at(cell: &str) -> Option<usize> {
    let trimmed = cell.trim_start_matches(' ');
    let first = trimmed.chars().next()?;
    let is_number = trimmed.trim().parse::<f64>().is_ok_and(f64::is_finite);
    (FORMULA_STARTS.contains(&first) && !is_number).then(|| cell.len() - trimmed.len())
}

fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

/// A metadata line's cells as a spreadsheet splits them: at commas, except inside a cell that
/// opens with a quote (a quote further into a cell is just a character).
fn cells_of_line(line: &str) -> Vec<Range<usize>> {
    let end = line.trim_end_matches(['\n', '\r']).len();
    let mut cells = Vec::new();
    let mut start = 0;
    while start <= end {
        let content = skip_quote(line, start);
        let quoted = content > start;
        let mut i = content;
        let bytes = line.as_bytes();
        while i < end {
            match bytes[i] {
                b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 2,
                b'"' if quoted => {
                    i = line[i..end].find(',').map_or(end, |c| i + c);
                    break;
                }
                b',' if !quoted => break,
                _ => i += 1,
            }
        }
        let i = i.min(end);
        cells.push(content.min(i)..i);
        start = i + 1;
    }
    cells
}

/// Past an opening quote, where the cell's content starts.
fn skip_quote(line: &str, start: usize) -> usize {
    let spaces = line[start..].len() - line[start..].trim_start_matches(' ').len();
    if line[start + spaces..].starts_with('"') {
        start + spaces + 1
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::figure::data::parse_csv;

    fn download(text: &str) -> String {
        neutralise_formulas(&parse_csv(&SourceFile::new("d.csv", text)).unwrap())
    }

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        let text =
            "# notes: \"a, =1+1\"\nlabel,value\n=HYPERLINK(\"x\"),-5\n\"@SUM(A1)\",+3.5\n-,12\n";
        assert_eq!(
            download(text),
            "# notes: \"a, '=1+1\"\nlabel,value\n'=HYPERLINK(\"x\"),-5\n\"'@SUM(A1)\",+3.5\n'-,12\n"
        );
    }

    #[test]
    fn plain_files_are_unchanged() {
        let text = "# unit: tonnes\ncountry,tonnes\nAlpha,300\n\"Beta, Inc.\",-1.5e3\n";
        assert_eq!(download(text), text);
    }
}
