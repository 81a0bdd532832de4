//! CSL-JSON items into [`Reference`]s: the format the engine's model follows, so the mapping is
//! direct. Names are split the way citeproc-js reads them when `parse-names` is not false
//! (particles out of the family and given names, "Jr." after a comma), and `raw` or string
//! dates are parsed.

use serde_json::Value as Json;

use super::reference::{kind, variable, Date, DateParts, Name, Reference, Value, Variable};

/// One CSL-JSON item; `Err` says why it cannot be read.
pub fn reference(item: &Json) -> Result<Reference, String> {
    let Json::Object(fields) = item else {
        return Err("an item must be an object".into());
    };
    let id = match fields.get("id") {
        Some(Json::String(id)) => id.clone(),
        Some(Json::Number(id)) => id.to_string(),
        _ => return Err("the item has no `id`".into()),
    };
    let kind = fields
        .get("type")
        .and_then(Json::as_str)
        .map(kind)
        .unwrap_or(citationberg::taxonomy::Kind::Document);
    let mut reference = Reference::new(id, kind);
    for (key, value) in fields {
        // Zotero's older names for the short forms.
        let key = match key.as_str() {
            "journalAbbreviation" => "container-title-short",
            "shortTitle" => "title-short",
            other => other,
        };
        let Some(variable) = variable(key) else {
            continue;
        };
        let value = match variable {
            Variable::Name(_) => match value {
                Json::Array(names) => Value::Names(names.iter().filter_map(name).collect()),
                _ => continue,
            },
            Variable::Date(_) => match date(value) {
                Some(date) => Value::Date(date),
                None => continue,
            },
            _ => match value {
                Json::String(text) => Value::Text(text.clone()),
                Json::Number(n) => Value::Text(n.to_string()),
                _ => continue,
            },
        };
        reference.set(variable, value);
    }
    Ok(reference)
}

fn text(value: Option<&Json>) -> Option<String> {
    match value? {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn flag(value: Option<&Json>) -> bool {
    match value {
        Some(Json::Bool(b)) => *b,
        Some(Json::String(s)) => !s.is_empty() && s != "false",
        Some(Json::Number(n)) => n.as_i64().unwrap_or(0) != 0,
        _ => false,
    }
}

pub fn name(value: &Json) -> Option<Name> {
    let Json::Object(fields) = value else {
        return match value {
            Json::String(s) => Some(Name::literal(s.clone())),
            _ => None,
        };
    };
    let mut name = Name {
        family: text(fields.get("family")),
        given: text(fields.get("given")),
        dropping_particle: text(fields.get("dropping-particle")),
        non_dropping_particle: text(fields.get("non-dropping-particle")),
        suffix: text(fields.get("suffix")),
        literal: text(fields.get("literal")),
        comma_suffix: flag(fields.get("comma-suffix")),
        static_ordering: flag(fields.get("static-ordering")),
        particle_space: false,
        alias: None,
    };
    if name.literal.is_none() && name.family.is_none() && name.given.is_none() {
        return None;
    }
    if name.family.is_none() && name.given.is_some() && name.literal.is_none() {
        // A mononym: printed as is.
        name.family = name.given.take();
    }
    let mut parse = fields.get("parse-names").is_none_or(|v| flag(Some(v)));
    // A family name in quotes is taken as written: "\"Van Dyke\"".
    if let Some(family) = &name.family {
        if family.len() > 2 && family.starts_with('"') && family.ends_with('"') {
            name.family = Some(family[1..family.len() - 1].to_string());
            parse = false;
        }
    }
    if parse {
        split_particles(&mut name);
    }
    Some(name)
}

/// "van Gogh" → particle "van", family "Gogh"; "Jean de" → given "Jean", particle "de";
/// "John, Jr." → suffix "Jr.".
fn split_particles(name: &mut Name) {
    if let Some(family) = name.family.clone() {
        if name.non_dropping_particle.is_none() {
            let words: Vec<&str> = family.split(' ').collect();
            let lower = words.iter().take_while(|w| is_particle_word(w)).count();
            if lower > 0 && lower < words.len() {
                let particle = words[..lower].join(" ");
                // "de' Frinkle" keeps the space it was written with; "d'Wander" has none.
                name.particle_space = particle.ends_with(['\'', '\u{2019}']);
                name.non_dropping_particle = Some(particle);
                name.family = Some(words[lower..].join(" "));
            } else if let Some((particle, rest)) = hyphenated_particle(&family) {
                name.non_dropping_particle = Some(particle);
                name.family = Some(rest);
            } else if let Some(at) = family.find(['\'', '\u{2019}']) {
                let (particle, rest) =
                    family.split_at(at + family[at..].chars().next().map_or(1, char::len_utf8));
                if particle.chars().next().is_some_and(char::is_lowercase)
                    && rest.chars().next().is_some_and(char::is_uppercase)
                    && !particle.contains(' ')
                {
                    name.non_dropping_particle = Some(particle.to_string());
                    name.family = Some(rest.to_string());
                }
            }
        }
    }
    if let Some(given) = name.given.clone() {
        if let Some((given_part, suffix)) = given.split_once(",!") {
            if name.suffix.is_none() {
                name.suffix = Some(suffix.trim().to_string());
                name.comma_suffix = true;
                name.given = Some(given_part.trim().to_string());
            }
        }
        let given = name.given.clone().unwrap_or_default();
        let (given, suffix) = match given.split_once(", ") {
            Some((given, suffix)) if name.suffix.is_none() => {
                let suffix = suffix.trim_start_matches('!').trim().to_string();
                (given.to_string(), Some(suffix))
            }
            _ => (given, None),
        };
        if let Some(suffix) = suffix {
            name.suffix = Some(suffix);
        }
        let words: Vec<&str> = given.split(' ').collect();
        let lower = words
            .iter()
            .rev()
            .take_while(|w| is_particle_word(w))
            .count();
        if name.dropping_particle.is_none() && lower > 0 && lower < words.len() {
            name.dropping_particle = Some(words[words.len() - lower..].join(" "));
            name.given = Some(words[..words.len() - lower].join(" "));
        } else {
            name.given = Some(given);
        }
    }
}

/// A word of a particle: "van", "de", and Dutch "'t" ('t Hooft, in 't Veld), lowercase after
/// any apostrophe.
fn is_particle_word(word: &str) -> bool {
    word.trim_start_matches(['\'', '\u{2019}'])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// "al-One" → ("al-", "One").
fn hyphenated_particle(family: &str) -> Option<(String, String)> {
    let at = family.find('-')?;
    let (particle, rest) = (&family[..=at], &family[at + 1..]);
    let lower = particle[..at].chars().all(char::is_lowercase) && at > 0;
    let upper = rest.chars().next().is_some_and(char::is_uppercase);
    (lower && upper && !particle.contains(' ')).then(|| (particle.to_string(), rest.to_string()))
}

fn number(value: &Json) -> Option<i64> {
    match value {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn date(value: &Json) -> Option<Date> {
    let mut date = Date::default();
    let fields = match value {
        Json::Object(fields) => fields,
        Json::String(raw) => return parse_raw(raw),
        Json::Number(n) => {
            date.parts.push(DateParts {
                year: n.as_i64()? as i32,
                ..DateParts::default()
            });
            return Some(date);
        }
        _ => return None,
    };
    if let Some(Json::Array(parts)) = fields.get("date-parts") {
        for part in parts {
            let Json::Array(values) = part else { continue };
            let numbers: Vec<Option<i64>> = values.iter().map(number).collect();
            let year = numbers.first().copied().flatten();
            let Some(year) = year else { continue };
            // An open range ends in a year 0: kept, so that "1987–" prints.
            if year == 0 && date.parts.len() == 1 {
                date.parts.push(DateParts::default());
                continue;
            }
            // Seasons are 13–16, or 21–24 as citeproc-js also reads them.
            let month = numbers
                .get(1)
                .copied()
                .flatten()
                .map(|m| if (21..=24).contains(&m) { m - 8 } else { m })
                .filter(|m| (1..=16).contains(m));
            let day = numbers
                .get(2)
                .copied()
                .flatten()
                .filter(|d| (1..=31).contains(d));
            date.parts.push(DateParts {
                year: year as i32,
                month: month.map(|m| m as u8),
                day: day.filter(|_| month.is_some()).map(|d| d as u8),
            });
        }
    }
    if date.parts.is_empty() {
        if let Some(raw) = fields.get("raw").and_then(Json::as_str) {
            if let Some(parsed) = parse_raw(raw) {
                date = parsed;
            }
        }
    }
    date.season = fields.get("season").and_then(|s| match s {
        Json::Number(n) => n.as_u64().map(|n| n as u8),
        Json::String(s) => s.parse().ok().or(match s.to_lowercase().as_str() {
            "spring" => Some(1),
            "summer" => Some(2),
            "autumn" | "fall" => Some(3),
            "winter" => Some(4),
            _ => None,
        }),
        _ => None,
    });
    date.circa = flag(fields.get("circa"));
    if date.parts.is_empty() {
        date.literal = text(fields.get("literal")).or_else(|| text(fields.get("raw")));
        date.literal.as_ref()?;
    }
    Some(date)
}

/// "2000", "2000-03", "2000-03-15", and ranges of them joined by "/".
pub fn parse_raw(raw: &str) -> Option<Date> {
    let mut date = Date::default();
    for piece in raw.split('/') {
        let numbers: Vec<&str> = piece.trim().split('-').collect();
        let year: i32 = numbers.first()?.trim().parse().ok()?;
        let month = numbers.get(1).and_then(|m| m.trim().parse::<u8>().ok());
        let day = numbers.get(2).and_then(|d| d.trim().parse::<u8>().ok());
        date.parts.push(DateParts { year, month, day });
    }
    if date.parts.is_empty() {
        date.literal = Some(raw.to_string());
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use citationberg::taxonomy::NameVariable;

    fn names_of(family: &str, given: &str) -> Name {
        let item = serde_json::json!({
            "id": "x", "type": "book",
            "author": [{"family": family, "given": given}]
        });
        let reference = reference(&item).expect("a reference");
        let list = reference.names(NameVariable::Author).expect("authors");
        list[0].clone()
    }

    #[test]
    fn particles_are_split_from_family_and_given_names_apostrophes_and_all() {
        let hooft = names_of("'t Hooft", "Gerard");
        assert_eq!(hooft.non_dropping_particle.as_deref(), Some("'t"));
        assert_eq!(hooft.family.as_deref(), Some("Hooft"));
        let veld = names_of("in 't Veld", "Jan");
        assert_eq!(veld.non_dropping_particle.as_deref(), Some("in 't"));
        assert_eq!(veld.family.as_deref(), Some("Veld"));
        let gogh = names_of("Gogh", "Vincent van");
        assert_eq!(gogh.dropping_particle.as_deref(), Some("van"));
        assert_eq!(gogh.given.as_deref(), Some("Vincent"));
        let hooft = names_of("Hooft", "Gerard 't");
        assert_eq!(hooft.dropping_particle.as_deref(), Some("'t"));
        assert_eq!(
            names_of("O'Brien", "Pat").family.as_deref(),
            Some("O'Brien")
        );
    }
}
