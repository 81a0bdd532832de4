//! Dates (CSL 1.0.2, "Date"): localized and non-localized formats, date-part forms, seasons,
//! BC/AD years, ranges that print shared parts once, and the year-suffix a disambiguated cite
//! carries after its year.

use citationberg::taxonomy::{OtherTerm, Term};
use citationberg::{
    Affixes, DateAnyForm, DateDayForm, DateMonthForm, DatePart, DatePartName, DateStrongAnyForm,
    Formatting, LongShortForm, TermForm,
};

use super::context::{Ctx, Mode};
use super::output::{is_empty, join, Inline};
use super::reference::{Date, DateParts};
use super::render::{case_for_item, finish, year_suffix_letters};
use super::{rich, text_case};

pub fn render_date(ctx: &Ctx, element: &citationberg::Date) -> Vec<Inline> {
    let Some(variable) = element.variable else {
        return Vec::new();
    };
    let value = ctx
        .reference
        .date(variable)
        .filter(|date| date.literal.is_some() || date.parts.first().is_some_and(|p| p.year != 0));
    let suppressed = ctx.is_suppressed(citationberg::taxonomy::Variable::Date(variable));
    let value = value.filter(|_| !suppressed);
    let Some(date) = value else {
        ctx.note_variable(citationberg::taxonomy::Variable::Date(variable), false);
        return Vec::new();
    };
    if ctx.mode == Mode::Sort {
        ctx.note_variable(citationberg::taxonomy::Variable::Date(variable), true);
        return vec![Inline::text(sort_key_for(ctx, element, date))];
    }
    let mut body = if let Some(literal) = &date.literal {
        rich::parse(literal)
    } else {
        let (parts, delimiter) = layout(ctx, element);
        render_parts(ctx, date, &parts, &delimiter)
    };
    // A date that exists but prints none of the parts asked for ("month" of a year-only
    // date) counts as empty for its group.
    ctx.note_variable(
        citationberg::taxonomy::Variable::Date(variable),
        !is_empty(&body),
    );
    if is_empty(&body) {
        return Vec::new();
    }
    if let Some(case) = element.text_case {
        case_for_item(ctx, &mut body, case);
    }
    finish(
        ctx,
        body,
        &element.formatting,
        &element.affixes,
        element.display,
        false,
    )
}

/// A macro's date as a sort key: only the parts the element prints count.
fn sort_key_for(ctx: &Ctx, element: &citationberg::Date, date: &Date) -> String {
    let (parts, _) = layout(ctx, element);
    let has = |name: DatePartName| parts.iter().any(|p| p.name == name);
    let (month, day) = (has(DatePartName::Month), has(DatePartName::Day));
    let mut limited = date.clone();
    for part in &mut limited.parts {
        if !month {
            part.month = None;
        }
        if !day {
            part.day = None;
        }
    }
    sort_key(&limited)
}

/// A sortable key: zero-padded year, month and day, and the end of a range.
pub fn sort_key(date: &Date) -> String {
    if date.parts.is_empty() {
        return date.literal.clone().unwrap_or_default();
    }
    let part = |p: &DateParts| {
        format!(
            "{:05}{:02}{:02}",
            p.year + 50000,
            p.month.unwrap_or(0),
            p.day.unwrap_or(0)
        )
    };
    date.parts.iter().map(part).collect::<Vec<_>>().join("-")
}

/// A date part as the style (and its locale) wants it.
#[derive(Debug, Clone)]
struct PartFormat {
    name: DatePartName,
    form: DateStrongAnyForm,
    formatting: Formatting,
    affixes: Affixes,
    range_delimiter: Option<String>,
    strip_periods: bool,
    text_case: Option<citationberg::TextCase>,
}

impl PartFormat {
    fn of(part: &DatePart) -> Self {
        Self {
            name: part.name,
            form: part.form(),
            formatting: part.formatting,
            affixes: part.affixes.clone(),
            range_delimiter: part.range_delimiter.clone(),
            strip_periods: part.strip_periods,
            text_case: part.text_case,
        }
    }
}

/// The parts to print and the delimiter between them: the locale's format for a localized
/// date, with the style's `cs:date-part` attributes laid over it.
fn layout(ctx: &Ctx, element: &citationberg::Date) -> (Vec<PartFormat>, String) {
    let Some(form) = element.form else {
        let parts = element.date_part.iter().map(PartFormat::of).collect();
        return (parts, element.delimiter.clone().unwrap_or_default());
    };
    let Some(localized) = ctx.style.locales.date_format(form) else {
        return (Vec::new(), String::new());
    };
    let shown = element.parts.unwrap_or_default();
    let parts = localized
        .date_part
        .iter()
        .filter(|part| match part.name {
            DatePartName::Year => true,
            DatePartName::Month => shown.has_month(),
            DatePartName::Day => shown.has_day(),
        })
        .map(|part| {
            let mut format = PartFormat::of(part);
            if let Some(over) = element.date_part.iter().find(|o| o.name == part.name) {
                let over_format = PartFormat::of(over);
                if has_explicit_form(over) {
                    format.form = over_format.form;
                }
                format.formatting = over.formatting.apply(format.formatting);
                if over.range_delimiter.is_some() {
                    format.range_delimiter = over.range_delimiter.clone();
                }
                if over.text_case.is_some() {
                    format.text_case = over.text_case;
                }
                format.strip_periods |= over.strip_periods;
            }
            format
        })
        .collect();
    (parts, localized.delimiter.clone().unwrap_or_default())
}

/// Whether a style's `cs:date-part` sets `form` (citationberg fills in a default otherwise).
fn has_explicit_form(part: &DatePart) -> bool {
    let default = DateStrongAnyForm::for_name(part.name, None::<DateAnyForm>);
    part.form() != default
}

fn render_parts(ctx: &Ctx, date: &Date, parts: &[PartFormat], delimiter: &str) -> Vec<Inline> {
    let start = date.parts[0];
    let season = date.season;
    if date.parts.get(1).is_some_and(|end| end.year == 0) {
        // An open range: "1987–".
        let pieces = parts
            .iter()
            .map(|part| render_part(ctx, part, &start, season))
            .collect();
        let mut out = join(pieces, delimiter, ctx.punctuation_in_quote());
        let range_delimiter = parts
            .iter()
            .find(|p| p.name == DatePartName::Year)
            .and_then(|p| p.range_delimiter.clone())
            .unwrap_or_else(|| "\u{2013}".to_string());
        if !is_empty(&out) {
            out.push(Inline::text(range_delimiter));
        }
        return out;
    }
    let end = date
        .parts
        .get(1)
        .copied()
        .filter(|end| *end != start && end.year != 0);
    let Some(end) = end else {
        let pieces = parts
            .iter()
            .map(|part| render_part(ctx, part, &start, season))
            .collect();
        return join(pieces, delimiter, ctx.punctuation_in_quote());
    };
    // The largest part that differs decides what is printed twice.
    let differs = |name: DatePartName| match name {
        DatePartName::Year => start.year != end.year,
        DatePartName::Month => start.year != end.year || start.month != end.month,
        DatePartName::Day => start != end,
    };
    let largest = [DatePartName::Year, DatePartName::Month, DatePartName::Day]
        .into_iter()
        .find(|name| differs(*name) && parts.iter().any(|p| p.name == *name));
    let Some(largest) = largest else {
        let pieces = parts
            .iter()
            .map(|part| render_part(ctx, part, &start, season))
            .collect();
        return join(pieces, delimiter, ctx.punctuation_in_quote());
    };
    let range_delimiter = parts
        .iter()
        .find(|p| p.name == largest)
        .and_then(|p| p.range_delimiter.clone())
        .unwrap_or_else(|| "\u{2013}".to_string());
    let varying: Vec<usize> = (0..parts.len())
        .filter(|&i| differs(parts[i].name))
        .collect();
    let (first, last) = (varying[0], varying[varying.len() - 1]);
    let punct = ctx.punctuation_in_quote();
    let render_span = |value: &DateParts, range: std::ops::RangeInclusive<usize>| {
        let pieces = parts[range]
            .iter()
            .map(|part| render_part(ctx, part, value, season))
            .collect();
        join(pieces, delimiter, punct)
    };
    let mut pieces = Vec::new();
    for part in &parts[..first] {
        pieces.push(render_part(ctx, part, &start, season));
    }
    let mut range = render_span(&start, first..=last);
    let end_span = render_span(&end, first..=last);
    // The delimiter inside the range replaces the parts' own delimiter at the seam.
    trim_trailing(&mut range);
    range.push(Inline::text(range_delimiter));
    range.extend(trim_leading(end_span));
    pieces.push(range);
    for part in &parts[last + 1..] {
        pieces.push(render_part(ctx, part, &start, season));
    }
    join(pieces, delimiter, punct)
}

fn trim_trailing(nodes: &mut [Inline]) {
    if let Some(Inline::Text(text)) = nodes.last_mut() {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
    }
}

fn trim_leading(mut nodes: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(text)) = nodes.first_mut() {
        *text = text.trim_start().to_string();
    }
    nodes
}

fn render_part(ctx: &Ctx, part: &PartFormat, value: &DateParts, season: Option<u8>) -> Vec<Inline> {
    let locales = &ctx.style.locales;
    let text = match (part.name, part.form) {
        (DatePartName::Year, DateStrongAnyForm::Year(form)) => {
            if value.year == 0 {
                return Vec::new();
            }
            let mut text = match form {
                LongShortForm::Short => format!("{:02}", value.year.rem_euclid(100)),
                LongShortForm::Long => value.year.abs().to_string(),
            };
            if value.year < 0 {
                text.push_str(locales.other(OtherTerm::Bc, TermForm::Long).unwrap_or("BC"));
            } else if value.year < 1000 && form == LongShortForm::Long {
                text.push_str(locales.other(OtherTerm::Ad, TermForm::Long).unwrap_or("AD"));
            }
            if !ctx.style.explicit_year_suffix && !ctx.year_suffix_done.get() {
                if let Some(suffix) = ctx.cite.year_suffix {
                    ctx.year_suffix_done.set(true);
                    text.push_str(&year_suffix_letters(suffix));
                }
            }
            text
        }
        (DatePartName::Month, DateStrongAnyForm::Month(form)) => {
            let month = value.month.filter(|m| (1..=12).contains(m));
            let season = value
                .month
                .filter(|m| (13..=16).contains(m))
                .map(|m| m - 12)
                .or(season);
            match (month, season) {
                (Some(month), _) => match form {
                    DateMonthForm::Long | DateMonthForm::Short => {
                        let term_form = if form == DateMonthForm::Short {
                            TermForm::Short
                        } else {
                            TermForm::Long
                        };
                        OtherTerm::month(month - 1)
                            .and_then(|term| locales.term(Term::Other(term), term_form, false))
                            .map(str::to_string)
                            .unwrap_or_else(|| month.to_string())
                    }
                    DateMonthForm::Numeric => month.to_string(),
                    DateMonthForm::NumericLeadingZeros => format!("{month:02}"),
                },
                (None, Some(season)) => citationberg::taxonomy::Season::try_from_csl_number(season)
                    .ok()
                    .and_then(|s| {
                        locales.term(Term::Other(OtherTerm::season(s)), TermForm::Long, false)
                    })
                    .map(str::to_string)
                    .unwrap_or_default(),
                (None, None) => return Vec::new(),
            }
        }
        (DatePartName::Day, DateStrongAnyForm::Day(form)) => {
            let Some(day) = value.day.filter(|_| value.month.is_some_and(|m| m <= 12)) else {
                return Vec::new();
            };
            match form {
                DateDayForm::Numeric => day.to_string(),
                DateDayForm::NumericLeadingZeros => format!("{day:02}"),
                DateDayForm::Ordinal if locales.limit_day_ordinals_to_day_1 && day != 1 => {
                    day.to_string()
                }
                DateDayForm::Ordinal => {
                    let gender = OtherTerm::month(value.month.unwrap_or(1).saturating_sub(1))
                        .and_then(|m| locales.gender(Term::Other(m)));
                    locales.ordinal(i32::from(day), gender)
                }
            }
        }
        _ => return Vec::new(),
    };
    if text.is_empty() {
        return Vec::new();
    }
    let mut body = rich::parse(&text);
    if let Some(case) = part.text_case {
        case_for_item(ctx, &mut body, case);
    }
    if part.strip_periods {
        text_case::strip_periods(&mut body);
    }
    finish(ctx, body, &part.formatting, &part.affixes, None, false)
}
