//! Sorting (CSL 1.0.2, "Sorting"): sort keys from variables and macros, computed once per
//! entry, compared with empty values last whatever the direction.

use std::cmp::Ordering;

use citationberg::taxonomy::Variable;
use citationberg::{Sort, SortDirection, SortKey};

use super::context::{CiteState, Ctx, Mode, Prepared, SortNameOverrides};
use super::names::sort_key as name_key;
use super::output::plain;
use super::reference::{Reference, Value};
use super::render::render_children;
use super::{dates, rich};

/// One key's value for one entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum KeyValue {
    Missing,
    Number(i64),
    Text(String),
}

/// The sort keys of `reference` under `sort`, computed once.
pub fn keys(
    style: &Prepared,
    sort: &Sort,
    reference: &Reference,
    cite: &CiteState,
    in_bibliography: bool,
) -> Vec<KeyValue> {
    sort.keys
        .iter()
        .map(|key| match key {
            SortKey::Variable { variable, .. } => {
                variable_key(style, reference, cite, *variable, in_bibliography)
            }
            SortKey::MacroName {
                name,
                names_min,
                names_use_first,
                names_use_last,
                ..
            } => {
                let Some(found) = style.macro_named(name) else {
                    return KeyValue::Missing;
                };
                let mut ctx = Ctx::new(style, reference, cite, Mode::Sort);
                ctx.in_bibliography = in_bibliography;
                ctx.sort_overrides = SortNameOverrides {
                    names_min: *names_min,
                    names_use_first: *names_use_first,
                    names_use_last: *names_use_last,
                };
                let text = plain(&render_children(&ctx, &found.children, ""));
                text_key(&text)
            }
        })
        .collect()
}

fn variable_key(
    style: &Prepared,
    reference: &Reference,
    cite: &CiteState,
    variable: Variable,
    in_bibliography: bool,
) -> KeyValue {
    use citationberg::taxonomy::NumberVariable;
    if variable == Variable::Number(NumberVariable::CitationNumber) {
        return cite
            .citation_number
            .map(|n| KeyValue::Number(n as i64))
            .unwrap_or(KeyValue::Missing);
    }
    if variable == Variable::Standard(citationberg::taxonomy::StandardVariable::CitationLabel)
        && reference.get(variable).is_none()
    {
        return text_key(&super::render::trigraph(reference));
    }
    match reference.get(variable) {
        None => KeyValue::Missing,
        Some(Value::Date(date)) => KeyValue::Text(dates::sort_key(date)),
        Some(Value::Names(names)) => {
            let mut ctx = Ctx::new(style, reference, cite, Mode::Sort);
            ctx.in_bibliography = in_bibliography;
            let keys: Vec<String> = names.iter().map(|name| name_key(&ctx, name)).collect();
            text_key(&keys.join("  "))
        }
        Some(Value::Text(text)) => {
            let number = matches!(variable, Variable::Number(_) | Variable::Page(_));
            if number {
                let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(n) = digits.parse::<i64>() {
                    return KeyValue::Number(n);
                }
            }
            text_key(&plain(&rich::parse(text)))
        }
    }
}

fn text_key(text: &str) -> KeyValue {
    let quote_or_bracket = |c: &char| {
        matches!(
            c,
            '[' | ']' | '"' | '\u{201c}' | '\u{201d}' | '\u{2018}' | ','
        )
    };
    let apostrophe = |c: char| c == '\'' || c == '\u{2019}';
    // An apostrophe that starts the key is not sorted on ("'t Hooft" sorts as "t Hooft"); one
    // inside sorts before the letters, so "d'Wander" comes before "de' Frinkle".
    let folded: String = text
        .chars()
        .filter(|c| !quote_or_bracket(c))
        .skip_while(|&c| apostrophe(c) || c.is_whitespace())
        .map(|c| if apostrophe(c) { '\'' } else { c })
        .flat_map(fold)
        .collect();
    let folded = folded.trim().to_string();
    if folded.is_empty() {
        KeyValue::Missing
    } else {
        KeyValue::Text(folded)
    }
}

/// Lowercase, with the common Latin diacritics removed, so that "Élan" sorts with "elan".
fn fold(c: char) -> Vec<char> {
    let base = match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => 'a',
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' => 'c',
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ę' | 'ę' | 'Ě' | 'ě' => 'e',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ī' | 'ī' | 'İ' | 'ı' => 'i',
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ň' | 'ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ő' | 'ő' => 'o',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' => 'u',
        'Ý' | 'ý' | 'ÿ' => 'y',
        'Š' | 'š' | 'Ś' | 'ś' | 'Ş' | 'ş' => 's',
        'Ž' | 'ž' | 'Ź' | 'ź' | 'Ż' | 'ż' => 'z',
        'Ł' | 'ł' => 'l',
        'Ř' | 'ř' => 'r',
        'Ť' | 'ť' => 't',
        'Ď' | 'ď' => 'd',
        'ß' => return vec!['s', 's'],
        'Æ' | 'æ' => return vec!['a', 'e'],
        other => return other.to_lowercase().collect(),
    };
    vec![base]
}

/// Compares two entries' keys under `sort`: missing values last in either direction.
pub fn compare(sort: &Sort, a: &[KeyValue], b: &[KeyValue]) -> Ordering {
    for (index, key) in sort.keys.iter().enumerate() {
        let (x, y) = (&a[index], &b[index]);
        let ordering = match (x, y) {
            (KeyValue::Missing, KeyValue::Missing) => Ordering::Equal,
            (KeyValue::Missing, _) => return Ordering::Greater,
            (_, KeyValue::Missing) => return Ordering::Less,
            (KeyValue::Number(x), KeyValue::Number(y)) => x.cmp(y),
            (KeyValue::Text(x), KeyValue::Text(y)) => x.cmp(y),
            (KeyValue::Number(_), KeyValue::Text(_)) => Ordering::Less,
            (KeyValue::Text(_), KeyValue::Number(_)) => Ordering::Greater,
        };
        let ordering = match key.sort_direction() {
            SortDirection::Ascending => ordering,
            SortDirection::Descending => ordering.reverse(),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        match text_key(text) {
            KeyValue::Text(key) => key,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn apostrophes_sort_before_letters_and_a_leading_one_not_at_all() {
        assert!(
            key("O'Brien") < key("Oakes"),
            "as a Unicode collation has it"
        );
        assert!(key("d\u{2019}Wander") < key("de\u{2019} Frinkle"));
        assert_eq!(key("\u{2019}t Hooft"), key("t Hooft"));
        assert_eq!(key("\u{201c}Quoted\u{201d} Title"), key("Quoted Title"));
    }
}
