//! Authors as Pandoc and JOSS write them: `author: Jane Doe`, a list of names, or records with
//! `name`, `orcid`, `affiliation` (indexes into `affiliations:`, or the name itself),
//! `corresponding`, `equal-contrib` and `email`. A note in a name (`Will T. Barnes^[…]`) is a
//! note about the author, never part of the name.

use serde::Deserialize;

/// One author, ready for the title block and the page's metadata.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Person {
    pub name: String,
    /// `0000-0002-1825-0097`, checked for its shape; linked as `https://orcid.org/…`.
    pub orcid: Option<String>,
    pub affiliations: Vec<String>,
    /// The numbers of `affiliations` in the brief's list of all affiliations (1-based).
    pub affiliation_numbers: Vec<usize>,
    pub corresponding: bool,
    pub equal_contrib: bool,
    pub email: Option<String>,
    /// A note written inside the name.
    pub note: Option<String>,
}

/// `author:` / `authors:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Authors {
    One(String),
    Many(Vec<AuthorRecord>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AuthorRecord {
    Name(String),
    Record(Box<AuthorFields>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct AuthorFields {
    pub name: String,
    #[serde(default)]
    pub orcid: Option<String>,
    /// `1`, `"1, 2"`, `[1, 2]`, or the affiliation's own name.
    #[serde(default)]
    pub affiliation: Option<serde_yaml::Value>,
    #[serde(default)]
    pub corresponding: Option<bool>,
    #[serde(default)]
    pub equal_contrib: Option<bool>,
    #[serde(default)]
    pub email: Option<String>,
}

/// JOSS's `affiliations:` list.
#[derive(Debug, Clone, Deserialize)]
pub struct Affiliation {
    pub name: String,
    #[serde(default)]
    pub index: Option<serde_yaml::Value>,
}

/// The authors with their affiliations looked up, and the list of every affiliation in order
/// of first mention (what the title block numbers).
pub fn people(
    authors: Option<Authors>,
    affiliations: &[Affiliation],
) -> (Vec<Person>, Vec<String>) {
    let records = match authors {
        None => Vec::new(),
        Some(Authors::One(name)) => vec![AuthorRecord::Name(name)],
        Some(Authors::Many(list)) => list,
    };
    let mut all: Vec<String> = Vec::new();
    let people = records
        .into_iter()
        .map(|record| {
            let fields = match record {
                AuthorRecord::Name(name) => AuthorFields {
                    name,
                    orcid: None,
                    affiliation: None,
                    corresponding: None,
                    equal_contrib: None,
                    email: None,
                },
                AuthorRecord::Record(fields) => *fields,
            };
            let (name, note) = split_note(&fields.name);
            let names: Vec<String> = fields
                .affiliation
                .as_ref()
                .map(|value| affiliation_names(value, affiliations))
                .unwrap_or_default();
            let numbers = names
                .iter()
                .map(|name| match all.iter().position(|a| a == name) {
                    Some(at) => at + 1,
                    None => {
                        all.push(name.clone());
                        all.len()
                    }
                })
                .collect();
            Person {
                name,
                orcid: fields.orcid.as_deref().and_then(orcid),
                affiliations: names,
                affiliation_numbers: numbers,
                corresponding: fields.corresponding.unwrap_or(false),
                equal_contrib: fields.equal_contrib.unwrap_or(false),
                email: fields
                    .email
                    .filter(|e| e.contains('@') && !e.contains(char::is_whitespace)),
                note,
            }
        })
        .collect();
    (people, all)
}

/// "Will T. Barnes^[Now at NASA.]" → ("Will T. Barnes", "Now at NASA.").
pub fn split_note(written: &str) -> (String, Option<String>) {
    let Some(open) = written.find("^[") else {
        return (written.trim().to_string(), None);
    };
    let rest = &written[open + 2..];
    let mut depth = 1;
    let close = rest.char_indices().find_map(|(i, c)| {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        None
    });
    let Some(close) = close else {
        return (written.trim().to_string(), None);
    };
    let name = format!("{}{}", &written[..open], &rest[close + 1..]);
    let note = rest[..close].trim().to_string();
    (name.trim().to_string(), (!note.is_empty()).then_some(note))
}

fn affiliation_names(value: &serde_yaml::Value, affiliations: &[Affiliation]) -> Vec<String> {
    let keys: Vec<String> = match value {
        serde_yaml::Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other)
            .map(|text| {
                // "1, 2" lists indexes; a name with a comma ("BP Institute, Cambridge") is one.
                let parts: Vec<String> = text.split(',').map(|p| p.trim().to_string()).collect();
                if parts.iter().all(|p| lookup(p, affiliations).is_some()) {
                    parts
                } else {
                    vec![text]
                }
            })
            .unwrap_or_default(),
    };
    keys.iter()
        .map(|key| lookup(key, affiliations).unwrap_or_else(|| key.clone()))
        .filter(|name| !name.is_empty())
        .collect()
}

fn lookup(key: &str, affiliations: &[Affiliation]) -> Option<String> {
    affiliations
        .iter()
        .find(|a| a.index.as_ref().and_then(scalar).as_deref() == Some(key))
        .map(|a| a.name.trim().to_string())
}

fn scalar(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(text) => Some(text.trim().to_string()),
        serde_yaml::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// An ORCID iD in its canonical shape (a URL form is accepted and shortened).
fn orcid(written: &str) -> Option<String> {
    let id = written
        .trim()
        .trim_start_matches("https://orcid.org/")
        .trim_start_matches("http://orcid.org/");
    let groups: Vec<&str> = id.split('-').collect();
    let shaped = groups.len() == 4
        && groups.iter().enumerate().all(|(i, g)| {
            g.len() == 4
                && g.chars()
                    .enumerate()
                    .all(|(j, c)| c.is_ascii_digit() || (i == 3 && j == 3 && c == 'X'))
        });
    shaped.then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml<T: serde::de::DeserializeOwned>(text: &str) -> T {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn joss_authors_get_their_affiliations_and_orcids() {
        let authors: Authors = yaml(
            "- name: Jane Doe\n  orcid: 0000-0002-1825-009X\n  affiliation: \"1, 2\"\n  corresponding: true\n- name: Will T. Barnes^[Now at [NASA](https://nasa.gov).]\n  affiliation: 2\n- Solo Name\n",
        );
        let affiliations: Vec<Affiliation> =
            yaml("- name: Uni A\n  index: 1\n- name: Lab B\n  index: 2\n");
        let (people, all) = people(Some(authors), &affiliations);
        assert_eq!(all, ["Uni A", "Lab B"]);
        assert_eq!(people[0].orcid.as_deref(), Some("0000-0002-1825-009X"));
        assert_eq!(people[0].affiliation_numbers, [1, 2]);
        assert!(people[0].corresponding);
        assert_eq!(people[1].name, "Will T. Barnes");
        assert_eq!(
            people[1].note.as_deref(),
            Some("Now at [NASA](https://nasa.gov).")
        );
        assert_eq!(people[1].affiliation_numbers, [2]);
        assert_eq!(people[2].name, "Solo Name");
        assert_eq!(
            orcid("https://orcid.org/0000-0001-5759-4944").as_deref(),
            Some("0000-0001-5759-4944")
        );
        assert_eq!(orcid("12345"), None);
    }
}
