//! A [`Reference`] written as CSL-JSON (`pandoc -t csljson` writes the same shape), to compare
//! a reader's output with Pandoc's and to look at it by eye.

use serde_json::{json, Map, Value as Json};

use crate::csl::reference::{Date, DateParts, Name, Reference, Value};

/// One CSL-JSON item.
pub fn to_csl_json(reference: &Reference) -> Json {
    let mut item = Map::new();
    item.insert("id".into(), Json::String(reference.id.clone()));
    item.insert(
        "type".into(),
        serde_json::to_value(reference.kind).unwrap_or(Json::Null),
    );
    for (variable, value) in &reference.fields {
        let Ok(Json::String(name)) = serde_json::to_value(variable) else {
            continue;
        };
        let value = match value {
            Value::Text(text) => Json::String(text.clone()),
            Value::Names(names) => Json::Array(names.iter().map(name_json).collect()),
            Value::Date(date) => date_json(date),
        };
        item.insert(name, value);
    }
    Json::Object(item)
}

fn name_json(name: &Name) -> Json {
    let mut object = Map::new();
    for (key, part) in [
        ("family", &name.family),
        ("given", &name.given),
        ("dropping-particle", &name.dropping_particle),
        ("non-dropping-particle", &name.non_dropping_particle),
        ("suffix", &name.suffix),
        ("literal", &name.literal),
        ("alias", &name.alias),
    ] {
        if let Some(part) = part {
            object.insert(key.into(), Json::String(part.clone()));
        }
    }
    if name.comma_suffix {
        object.insert("comma-suffix".into(), Json::Bool(true));
    }
    if name.static_ordering {
        object.insert("static-ordering".into(), Json::Bool(true));
    }
    Json::Object(object)
}

fn date_json(date: &Date) -> Json {
    let mut object = Map::new();
    if let Some(literal) = &date.literal {
        object.insert("literal".into(), Json::String(literal.clone()));
    }
    if !date.parts.is_empty() || date.literal.is_none() {
        let parts: Vec<Json> = date.parts.iter().map(parts_json).collect();
        object.insert("date-parts".into(), Json::Array(parts));
    }
    if let Some(season) = date.season {
        object.insert("season".into(), json!(season));
    }
    if date.circa {
        object.insert("circa".into(), Json::Bool(true));
    }
    Json::Object(object)
}

fn parts_json(parts: &DateParts) -> Json {
    let mut array = vec![json!(parts.year)];
    if let Some(month) = parts.month {
        array.push(json!(month));
        if let Some(day) = parts.day {
            array.push(json!(day));
        }
    }
    Json::Array(array)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::csl::reference::{DateVariable, Kind, NameVariable, StandardVariable, Variable};

    #[test]
    fn a_reference_as_csl_json() {
        let mut reference = Reference::new("k", Kind::PaperConference);
        reference.set(
            Variable::Standard(StandardVariable::DOI),
            Value::Text("10/abc".into()),
        );
        let mut van = Name::person("Gogh", Some("Vincent".into()));
        van.non_dropping_particle = Some("van".into());
        reference.set(
            Variable::Name(NameVariable::Author),
            Value::Names(vec![van, Name::literal("others")]),
        );
        let range = Date {
            parts: vec![
                DateParts {
                    year: 2020,
                    month: Some(5),
                    day: Some(6),
                },
                DateParts::default(),
            ],
            circa: true,
            ..Date::default()
        };
        reference.set(Variable::Date(DateVariable::Issued), Value::Date(range));
        let literal = Date {
            literal: Some("in press".into()),
            ..Date::default()
        };
        reference.set(Variable::Date(DateVariable::Accessed), Value::Date(literal));
        assert_eq!(
            to_csl_json(&reference),
            json!({"id": "k", "type": "paper-conference", "DOI": "10/abc",
                   "author": [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
                              {"literal": "others"}],
                   "issued": {"date-parts": [[2020, 5, 6], [0]], "circa": true},
                   "accessed": {"literal": "in press"}})
        );
    }
}
