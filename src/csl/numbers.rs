//! Numbers and labels (CSL 1.0.2, "Number", "Label", "Page Ranges"): numeric detection,
//! ordinal and roman forms, plural detection for labels, and page ranges in the style's format.

use citationberg::taxonomy::{
    Locator, NumberOrPageVariable, NumberVariable, OtherTerm, Term, Variable,
};
use citationberg::{Label, LabelPluralize, Number, NumberForm, TermForm};

use super::context::{Ctx, Mode};
use super::output::Inline;
use super::render::{case_for_item, finish};
use super::{rich, text_case};

/// Whether `value` counts as numeric: numbers (optionally with letters attached, "2nd", "12a")
/// joined by hyphens, dashes, commas or ampersands.
pub fn is_numeric(value: &str) -> bool {
    let tokens = split_numbers(value);
    !tokens.is_empty()
        && tokens.iter().all(|token| match token {
            Token::Number(text) => {
                text.chars().any(|c| c.is_ascii_digit())
                    && text.chars().all(|c| c.is_alphanumeric())
                    && !text.starts_with(|c: char| {
                        c.is_alphabetic() && !text.ends_with(|c: char| c.is_ascii_digit())
                    })
            }
            Token::Separator(separator) => !separator.trim().is_empty() || separator.is_empty(),
        })
        && !has_bare_space(value)
}

/// "2 3" is not numeric: numbers must be joined by a separator.
fn has_bare_space(value: &str) -> bool {
    split_numbers(value)
        .iter()
        .any(|token| matches!(token, Token::Separator(s) if s.trim().is_empty() && !s.is_empty()))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(String),
    Separator(String),
}

/// Splits "12-15, 17 & 19" into numbers and what joins them.
fn split_numbers(value: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut separator = String::new();
    for c in value.trim().chars() {
        if matches!(c, '-' | '\u{2013}' | ',' | '&' | ' ') {
            if !current.is_empty() {
                tokens.push(Token::Number(std::mem::take(&mut current)));
            }
            separator.push(c);
        } else {
            if !separator.is_empty() {
                tokens.push(Token::Separator(std::mem::take(&mut separator)));
            }
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(Token::Number(current));
    }
    if !separator.is_empty() {
        tokens.push(Token::Separator(separator));
    }
    tokens
}

/// Whether a number variable's value names more than one (a range or a list).
fn is_plural(value: &str) -> bool {
    if value.contains("\\-") {
        return false;
    }
    let roman = |n: &str| !n.is_empty() && n.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
    let numbers = split_numbers(value)
        .iter()
        .filter(
            |t| matches!(t, Token::Number(n) if n.chars().any(|c| c.is_ascii_digit()) || roman(n)),
        )
        .count();
    numbers > 1 || value.contains(" and ")
}

pub fn render_number(ctx: &Ctx, number: &Number) -> Vec<Inline> {
    let variable = Variable::from(number.variable);
    let value = number_value(ctx, variable);
    ctx.note_variable(variable, value.is_some());
    let Some(value) = value else {
        return Vec::new();
    };
    let mut body = if is_numeric(&value) {
        let gender = ctx.style.locales.gender(Term::from(number.variable));
        vec![Inline::text(format_numbers(
            ctx,
            &value,
            number.form,
            gender,
        ))]
    } else {
        // A number variable is not rich text: "1<sup>er</sup>" prints as written.
        vec![Inline::text(value)]
    };
    if let Some(case) = number.text_case {
        case_for_item(ctx, &mut body, case);
    }
    finish(
        ctx,
        body,
        &number.formatting,
        &number.affixes,
        number.display,
        false,
    )
}

/// A number variable's value for this cite: the processor's own (locator, citation number,
/// first note) or the item's, `page-first` derived from `page` when the item lacks it. The one
/// place conditions, `cs:text`, `cs:number` and `cs:label` read these from.
pub fn number_value(ctx: &Ctx, variable: Variable) -> Option<String> {
    if ctx.is_suppressed(variable) {
        return None;
    }
    let value = match variable {
        Variable::Number(NumberVariable::Locator) => ctx.cite.locator.clone(),
        Variable::Number(NumberVariable::CitationNumber) => {
            ctx.cite.citation_number.map(|n| n.to_string())
        }
        Variable::Number(NumberVariable::FirstReferenceNoteNumber) => {
            ctx.cite.first_note.map(|n| n.to_string())
        }
        Variable::Number(NumberVariable::PageFirst) => ctx
            .reference
            .text(variable)
            .map(str::to_string)
            .or_else(|| {
                ctx.reference
                    .text(Variable::Page(citationberg::taxonomy::PageVariable::Page))
                    .and_then(first_page)
            }),
        _ => ctx.reference.text(variable).map(without_case_protection),
    };
    value.filter(|v| !v.is_empty())
}

/// A number variable's text without a reader's case protection (BibTeX's `volume = {{41}}`):
/// numbers are not recased, and the markup would otherwise print as text.
pub fn without_case_protection(text: &str) -> String {
    text.replace("<span class=\"nocase\">", "")
        .replace("</span>", "")
}

/// Each number of a numeric value in `form`, the separators kept (a hyphen becomes a dash).
fn format_numbers(
    ctx: &Ctx,
    value: &str,
    form: NumberForm,
    gender: Option<citationberg::GrammarGender>,
) -> String {
    let mut out = String::new();
    for token in split_numbers(value) {
        match token {
            Token::Number(text) => match text.parse::<i32>() {
                Ok(n) if ctx.mode == Mode::Sort => out.push_str(&format!("{n:08}")),
                Ok(n) => out.push_str(&match form {
                    NumberForm::Numeric => n.to_string(),
                    NumberForm::Ordinal => ctx.style.locales.ordinal(n, gender),
                    NumberForm::LongOrdinal => ctx.style.locales.long_ordinal(n, gender),
                    NumberForm::Roman => roman(n),
                }),
                Err(_) => out.push_str(&text),
            },
            Token::Separator(separator) => {
                let trimmed = separator.trim();
                out.push_str(match trimmed {
                    "-" | "\u{2013}" => "\u{2013}",
                    "," => ", ",
                    "&" => " & ",
                    _ => &separator,
                });
            }
        }
    }
    out
}

fn roman(n: i32) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: &[(i32, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= *value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// A locator as printed: ranges get their dash, like `page`, in the style's format only for
/// pages.
pub fn locator_text(ctx: &Ctx, locator: &str) -> Vec<Inline> {
    let label = ctx.cite.label.unwrap_or(Locator::Page);
    let format = if label == Locator::Page {
        ctx.style.csl.settings.page_range_format
    } else {
        None
    };
    rich::parse(&ranges(ctx, locator.trim(), format))
}

/// A page or page range, in the style's `page-range-format`.
pub fn page_text(ctx: &Ctx, page: &str) -> Vec<Inline> {
    rich::parse(&ranges(ctx, page, ctx.style.csl.settings.page_range_format))
}

/// The first page of a page range ("page-first").
pub fn first_page(page: &str) -> Option<String> {
    let first = page
        .split([',', '&', '-', '\u{2013}'])
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty())?;
    Some(first.to_string())
}

/// Each range of a list ("12-15, 17 & 20-3") with the locale's range delimiter, reformatted
/// where both ends are numbers with the same prefix; roman ranges get the dash only; anything
/// else, and a hyphen escaped as `\-`, stays as written.
fn ranges(ctx: &Ctx, text: &str, format: Option<citationberg::PageRangeFormat>) -> String {
    let delimiter = ctx
        .style
        .locales
        .other(OtherTerm::PageRangeDelimiter, TermForm::Long)
        .unwrap_or("\u{2013}")
        .to_string();
    let mut out = String::new();
    let mut segment = String::new();
    let flush = |segment: &mut String, out: &mut String| {
        out.push_str(&range(segment, format, &delimiter));
        segment.clear();
    };
    // "213 & 235": the ampersand is the locale's (`and`, symbol form).
    let ampersand = ctx
        .style
        .locales
        .other(OtherTerm::And, TermForm::Symbol)
        .unwrap_or("&")
        .to_string();
    for c in text.chars() {
        if c == ',' {
            flush(&mut segment, &mut out);
            out.push(c);
        } else if c == '&' {
            flush(&mut segment, &mut out);
            out.push_str(&ampersand);
        } else {
            segment.push(c);
        }
    }
    flush(&mut segment, &mut out);
    out
}

fn range(segment: &str, format: Option<citationberg::PageRangeFormat>, delimiter: &str) -> String {
    if segment.contains("\\-") {
        return segment.replace("\\-", "-");
    }
    let lead = &segment[..segment.len() - segment.trim_start().len()];
    let trail = &segment[segment.trim_end().len()..];
    let trimmed = segment.trim();
    let split = trimmed
        .split_once("--")
        .or_else(|| trimmed.split_once('\u{2013}'))
        .or_else(|| trimmed.split_once('-'));
    let Some((start, end)) = split else {
        return segment.to_string();
    };
    let (start, end) = (start.trim(), end.trim());
    let prefix = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let numeric = |s: &str| s.ends_with(|c: char| c.is_ascii_digit());
    let roman = |s: &str| !s.is_empty() && s.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
    let body = if numeric(start) && numeric(end) && prefix(start) == prefix(end) {
        match format {
            Some(format) => {
                let mut formatted = String::new();
                let _ = format.format(&mut formatted, start, end, Some(delimiter));
                formatted
            }
            None => format!("{start}{delimiter}{end}"),
        }
    } else if (numeric(start) && numeric(end) && prefix(end).is_empty() && format.is_none())
        || (roman(start) && roman(end))
    {
        format!("{start}{delimiter}{end}")
    } else {
        // Not a range of like numbers: kept, with the spaces around its hyphen dropped.
        format!("{start}-{end}")
    };
    format!("{lead}{body}{trail}")
}

/// Whether a locator begins with an abbreviated word ("vol.", "fol.") before its number.
fn starts_with_own_label(locator: &str) -> bool {
    let first = locator.split_whitespace().next().unwrap_or("");
    let word = first.strip_suffix('.').unwrap_or("");
    !word.is_empty() && word.chars().all(char::is_alphabetic)
}

pub fn render_label(ctx: &Ctx, label: &Label) -> Vec<Inline> {
    let variable = Variable::from(label.variable);
    let Some(value) = number_value(ctx, variable) else {
        return Vec::new();
    };
    let term = match label.variable {
        NumberOrPageVariable::Number(NumberVariable::Locator) => {
            // "vol. 1, fol. 186": a locator that starts with a label of its own gets no other.
            if starts_with_own_label(&value) {
                return Vec::new();
            }
            match ctx.cite.label.unwrap_or(Locator::Page) {
                Locator::Custom => return Vec::new(),
                locator => Term::Locator(locator),
            }
        }
        NumberOrPageVariable::Number(NumberVariable::NumberOfPages) => Term::PageVariable,
        other => Term::from(other),
    };
    let plural = match label.label.plural {
        LabelPluralize::Always => true,
        LabelPluralize::Never => false,
        LabelPluralize::Contextual if variable.is_number_of_variable() => {
            value.trim().parse::<i64>().is_ok_and(|n| n > 1)
        }
        LabelPluralize::Contextual => is_plural(&value),
    };
    label_term(ctx, term, label.label.form, plural, &label.label)
}

/// A label's term with the label's formatting, or nothing if the locale lacks it.
pub fn label_term(
    ctx: &Ctx,
    term: Term,
    form: TermForm,
    plural: bool,
    label: &citationberg::VariablelessLabel,
) -> Vec<Inline> {
    let Some(text) = ctx.style.locales.term(term, form, plural) else {
        return Vec::new();
    };
    if text.is_empty() {
        return Vec::new();
    }
    let mut body = rich::parse(text);
    if let Some(case) = label.text_case {
        case_for_item(ctx, &mut body, case);
    }
    if label.strip_periods {
        text_case::strip_periods(&mut body);
    }
    finish(ctx, body, &label.formatting, &label.affixes, None, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_values_are_numbers_joined_by_separators() {
        assert!(is_numeric("12"));
        assert!(is_numeric("12-15"));
        assert!(is_numeric("2nd"));
        assert!(is_numeric("12a"));
        assert!(is_numeric("3, 5 & 7"));
        assert!(!is_numeric("Second"));
        assert!(!is_numeric("12 13"));
        assert!(!is_numeric(""));
        assert!(is_plural("12-15"));
        assert!(!is_plural("12"));
        assert_eq!(roman(14), "xiv");
    }
}
