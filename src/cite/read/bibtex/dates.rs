//! Dates: biblatex's ISO 8601 / EDTF `date` fields (`2020-05-06`, `2020-05/2020-07`, `2020/`,
//! `2020~`, seasons `2020-21`, `-0044`), and BibTeX's `year`, `month` and `day`. A year BibTeX
//! users write in words ("in press", "Forthcoming") is kept as a literal date rather than lost;
//! "2017--2019" is a range, "2017--" a range still open, "December 2021" a month and a year.

use crate::csl::reference::{Date, DateParts};
use crate::date::MONTHS;

/// A biblatex date field's value (as text).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(edtf(text).unwrap_or_else(|| literal(text)))
}

fn edtf(text: &str) -> Option<Date> {
    let mut pieces = text.split('/');
    let (start, end) = (pieces.next()?, pieces.next());
    if pieces.next().is_some() {
        return None;
    }
    let (start, circa) = edtf_point(start)?;
    let mut date = Date {
        parts: vec![start],
        circa,
        ..Date::default()
    };
    match end.map(str::trim) {
        None => {}
        Some("" | "..") => date.parts.push(DateParts::default()),
        Some(end) => {
            let (end, circa) = edtf_point(end)?;
            date.parts.push(end);
            date.circa |= circa;
        }
    }
    Some(date)
}

/// One EDTF date, and whether it is approximate (`~` or `%`).
fn edtf_point(text: &str) -> Option<(DateParts, bool)> {
    let text = text.trim();
    let text = text.split('T').next()?;
    let qualifier = text.trim_end_matches(['~', '?', '%']);
    let circa = text[qualifier.len()..].contains(['~', '%']);
    let (negative, digits) = match qualifier.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, qualifier),
    };
    let mut fields = digits.split('-');
    let year = fields.next()?;
    if year.is_empty() || year.len() > 5 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut year: i32 = year.parse().ok()?;
    if negative {
        year = -year;
    }
    // EDTF counts a year 0 (1 BC); CSL-JSON's negative years are years BC.
    if year <= 0 {
        year -= 1;
    }
    let number = |field: Option<&str>| -> Option<Option<u8>> {
        match field {
            None => Some(None),
            Some(f) if !f.is_empty() && f.len() <= 2 && f.bytes().all(|b| b.is_ascii_digit()) => {
                f.parse().ok().map(Some)
            }
            Some(_) => None,
        }
    };
    let month = number(fields.next())?;
    let day = number(fields.next())?;
    if fields.next().is_some() {
        return None;
    }
    let month = match month {
        Some(m @ 1..=12) => Some(m),
        // Seasons: EDTF's 21–24 are CSL-JSON's 13–16.
        Some(s @ 21..=24) if day.is_none() => Some(s - 8),
        Some(_) => return None,
        None => None,
    };
    if day.is_some_and(|d| !(1..=31).contains(&d)) || (day.is_some() && month.is_none()) {
        return None;
    }
    Some((DateParts { year, month, day }, circa))
}

fn literal(text: &str) -> Date {
    Date {
        literal: Some(text.to_string()),
        ..Date::default()
    }
}

/// BibTeX's `year`, `month` and `day` (as text), and a note for a month that is no month.
pub fn from_parts(
    year: &str,
    month: Option<&str>,
    day: Option<&str>,
) -> (Option<Date>, Option<String>) {
    let year = year.trim();
    if year.is_empty() {
        return (None, None);
    }
    let Some(mut date) = free_year(year) else {
        return (Some(literal(year)), None);
    };
    let mut note = None;
    if date.parts.len() == 1 && date.parts[0].month.is_none() {
        if let Some(month) = month.map(str::trim).filter(|m| !m.is_empty()) {
            match month_number(month) {
                Some(number) => {
                    date.parts[0].month = Some(number);
                    let day = day.and_then(|d| d.trim().parse::<u8>().ok());
                    date.parts[0].day = day.filter(|d| (1..=31).contains(d));
                }
                None => {
                    note = Some(format!(
                        "`{month}` is not a month, so the date is the year alone"
                    ))
                }
            }
        }
    }
    (Some(date), note)
}

/// A year as people write it in BibTeX: `2020`, `2017--2019`, `2017--`, `1999/2000`,
/// `c. 1900`, `December 2021`.
fn free_year(text: &str) -> Option<Date> {
    for circa in ["circa", "ca.", "c.", "ca", "~"] {
        let starts = text
            .get(..circa.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(circa));
        if starts {
            let mut date = plain_year(text[circa.len()..].trim())?;
            date.circa = true;
            return Some(date);
        }
    }
    plain_year(text)
}

fn plain_year(text: &str) -> Option<Date> {
    let year = |t: &str| -> Option<DateParts> {
        let t = t.trim();
        let digits = !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
        Some(DateParts {
            year: if digits { t.parse().ok()? } else { return None },
            ..DateParts::default()
        })
    };
    if let Some(single) = year(text) {
        return Some(Date {
            parts: vec![single],
            ..Date::default()
        });
    }
    for separator in ["–", "—", "-", "/"] {
        if let Some((start, end)) = text.split_once(separator) {
            let start = year(start)?;
            let end = if end.trim().is_empty() {
                DateParts::default()
            } else {
                year(end)?
            };
            return Some(Date {
                parts: vec![start, end],
                ..Date::default()
            });
        }
    }
    let (month, rest) = text.split_once(' ')?;
    let mut parts = year(rest)?;
    parts.month = Some(month_number(month)?);
    Some(Date {
        parts: vec![parts],
        ..Date::default()
    })
}

/// A month as a number (`3`), an English name or its abbreviation (`March`, `mar`, `Sept.`).
pub fn month_number(text: &str) -> Option<u8> {
    let text = text.trim().trim_end_matches('.');
    if let Ok(number) = text.parse::<u8>() {
        return (1..=12).contains(&number).then_some(number);
    }
    let lower = text.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let at = MONTHS
        .iter()
        .position(|name| name.starts_with(&lower) || (lower == "sept" && *name == "september"))?;
    Some(at as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(year: i32, month: Option<u8>, day: Option<u8>) -> DateParts {
        DateParts { year, month, day }
    }

    #[test]
    fn biblatex_dates() {
        let date = parse_date("2020-05-06/2020-06-07").unwrap();
        assert_eq!(
            date.parts,
            vec![parts(2020, Some(5), Some(6)), parts(2020, Some(6), Some(7))]
        );
        assert_eq!(
            parse_date("2020/").unwrap().parts,
            vec![parts(2020, None, None), parts(0, None, None)]
        );
        assert!(parse_date("2020~").unwrap().circa);
        assert_eq!(
            parse_date("2020-21").unwrap().parts,
            vec![parts(2020, Some(13), None)]
        );
        assert_eq!(
            parse_date("-0044-03-15").unwrap().parts,
            vec![parts(-45, Some(3), Some(15))]
        );
        assert_eq!(
            parse_date("2020-05-06T10:00:00").unwrap().parts,
            vec![parts(2020, Some(5), Some(6))]
        );
        assert_eq!(
            parse_date("Spring 2024").unwrap().literal.as_deref(),
            Some("Spring 2024")
        );
    }

    #[test]
    fn bibtex_years_months_and_days() {
        let (date, note) = from_parts("2020", Some("mar"), None);
        assert_eq!(date.unwrap().parts, vec![parts(2020, Some(3), None)]);
        assert!(note.is_none());
        let (date, _) = from_parts("2020", Some("December"), Some("25"));
        assert_eq!(date.unwrap().parts, vec![parts(2020, Some(12), Some(25))]);
        assert_eq!(
            from_parts("2020", Some("Sept."), None).0.unwrap().parts[0].month,
            Some(9)
        );
        let (date, note) = from_parts("2020", Some("jan~feb"), None);
        assert_eq!(date.unwrap().parts, vec![parts(2020, None, None)]);
        assert!(note.unwrap().contains("not a month"));
        assert_eq!(
            from_parts("2017–2019", None, None).0.unwrap().parts,
            vec![parts(2017, None, None), parts(2019, None, None)]
        );
        assert_eq!(
            from_parts("2017–", None, None).0.unwrap().parts,
            vec![parts(2017, None, None), parts(0, None, None)]
        );
        assert_eq!(
            from_parts("December 2021", None, None).0.unwrap().parts,
            vec![parts(2021, Some(12), None)]
        );
        assert!(from_parts("c. 1900", None, None).0.unwrap().circa);
        assert_eq!(
            from_parts("in press", None, None)
                .0
                .unwrap()
                .literal
                .as_deref(),
            Some("in press")
        );
    }
}
