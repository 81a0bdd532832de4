//! Name lists as BibTeX writes them: `and` between names (outside braces, in any case),
//! "First von Last", "von Last, First" and "von Last, Jr, First", biblatex's
//! `family=…, given=…` form, and a name wholly in braces (`{Square, Inc.}`) kept whole as an
//! organisation.
//!
//! The parts follow BibTeX: words split at spaces and `~` outside braces; the "von" part runs
//! from the first to the last word that starts in lower case (never the last word). As Pandoc
//! does, the von part is a dropping particle ("Beethoven, Ludwig van"), while lower-case words
//! at the head of a braced family name (`{van Gogh}`) and a prefix such as `d'` or `al-` are a
//! non-dropping one ("van Gogh, Vincent"). `and others` is the name `others` (Pandoc's reading;
//! a style then writes "et al."). Initials run together get their space ("C.G." is "C. G.").

use super::latex::convert;
use crate::cite::read::rich::to_plain;
use crate::csl::reference::Name;

/// The names of a name field.
pub fn parse_names(raw: &str) -> Vec<Name> {
    let tokens = tokens(raw);
    tokens
        .split(|token| matches!(token, Token::And))
        .filter_map(parse_name)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Comma,
    And,
}

/// Words, commas and `and`s, outside braces.
fn tokens(raw: &str) -> Vec<Token<'_>> {
    fn end_word<'a>(
        raw: &'a str,
        tokens: &mut Vec<Token<'a>>,
        start: &mut Option<usize>,
        at: usize,
    ) {
        if let Some(from) = start.take() {
            let word = &raw[from..at];
            tokens.push(if word.eq_ignore_ascii_case("and") {
                Token::And
            } else {
                Token::Word(word)
            });
        }
    }
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                start.get_or_insert(at);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                start.get_or_insert(at);
            }
            '\\' => {
                // `\~{n}` is an accent, not a space; nor is the space TeX takes after a
                // command's name (`Rosi\ifmmode \acute{n}\else \'{n}\fi{}ska`).
                start.get_or_insert(at);
                let mut letters = false;
                if chars.next_if(|(_, c)| !c.is_ascii_alphabetic()).is_none() {
                    while chars.next_if(|(_, c)| c.is_ascii_alphabetic()).is_some() {
                        letters = true;
                    }
                }
                while letters && chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            }
            c if depth == 0 && (c.is_whitespace() || c == '~') => {
                end_word(raw, &mut tokens, &mut start, at);
            }
            ',' if depth == 0 => {
                end_word(raw, &mut tokens, &mut start, at);
                tokens.push(Token::Comma);
            }
            _ => {
                start.get_or_insert(at);
            }
        }
    }
    end_word(raw, &mut tokens, &mut start, raw.len());
    tokens
}

fn parse_name(tokens: &[Token<'_>]) -> Option<Name> {
    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|token| match token {
            Token::Word(word) => Some(*word),
            _ => None,
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    if let [only] = words[..] {
        if tokens.len() == 1 {
            if only == "others" {
                return Some(Name::literal("others"));
            }
            if let Some(inner) = whole_group(only) {
                let literal = text(inner);
                return (!literal.is_empty()).then(|| Name::literal(literal));
            }
        }
    }
    if let Some(name) = biblatex_name(tokens) {
        return Some(name);
    }
    let mut parts: Vec<Vec<&str>> = tokens
        .split(|token| matches!(token, Token::Comma))
        .map(|part| {
            part.iter()
                .filter_map(|token| match token {
                    Token::Word(word) => Some(*word),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // "Doe, John, Jr." means Jr. as the suffix, however BibTeX orders the parts.
    if parts.len() == 3 && is_suffix(&parts[2]) && !is_suffix(&parts[1]) {
        parts.swap(1, 2);
    }
    let (von, last, suffix, first) = match parts.len() {
        1 => {
            let (first, von, last) = split_first_von_last(&parts[0]);
            (von, last, Vec::new(), first)
        }
        n => {
            let (von, last) = split_von_last(&parts[0]);
            let (suffix, first) = if n == 2 {
                (Vec::new(), parts[1].clone())
            } else {
                (parts[1].clone(), parts[2..].join(&[","][..]))
            };
            (von, last, suffix, first)
        }
    };
    let mut name = Name::default();
    let family = join(&last, false);
    let (particle, family) = split_particle(&family);
    if family.is_empty() && von.is_empty() && first.is_empty() {
        return None;
    }
    name.family = (!family.is_empty()).then_some(family);
    name.dropping_particle = non_empty(join(&von, false));
    // "de' Frinkle": a particle written apart from the name keeps its space, apostrophe and
    // all ("d'Wander" is one word, and stays one).
    let apart = match (&particle, &name.dropping_particle) {
        (Some((_, apart)), _) => *apart,
        (None, Some(_)) => true,
        (None, None) => false,
    };
    let particle = particle.map(|(particle, _)| particle);
    let adjacent = particle.as_deref().or(name.dropping_particle.as_deref());
    name.particle_space = apart && adjacent.is_some_and(|p| p.ends_with(['\'', '\u{2019}']));
    name.non_dropping_particle = particle;
    name.given = non_empty(join(&first, true));
    name.suffix = non_empty(join(&suffix, false));
    if name.family.is_none() {
        // "von" alone, or a name of one lower-case word: it is the family name.
        name.family = name.dropping_particle.take();
    }
    Some(name)
}

/// "First von Last": von runs from the first lower-case word to the last one before the last
/// word.
fn split_first_von_last<'a>(words: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>, Vec<&'a str>) {
    let Some((last_word, before)) = words.split_last() else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let Some(von_start) = before.iter().position(|w| starts_lower(w)) else {
        return (before.to_vec(), Vec::new(), vec![*last_word]);
    };
    let von_end = before
        .iter()
        .rposition(|w| starts_lower(w))
        .unwrap_or(von_start);
    (
        words[..von_start].to_vec(),
        words[von_start..=von_end].to_vec(),
        words[von_end + 1..].to_vec(),
    )
}

/// "von Last": when the first word is in lower case, von runs to the last lower-case word
/// (never the last word); "Van de Walle" and "Tosta e Melo" are family names whole, as Pandoc
/// reads them.
fn split_von_last<'a>(words: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let Some((_, before)) = words.split_last() else {
        return (Vec::new(), Vec::new());
    };
    if !before.first().is_some_and(|w| starts_lower(w)) {
        return (Vec::new(), words.to_vec());
    }
    match before.iter().rposition(|w| starts_lower(w)) {
        Some(end) => (words[..=end].to_vec(), words[end + 1..].to_vec()),
        None => (Vec::new(), words.to_vec()),
    }
}

/// Lower-case words at the head of a family name (`{van Gogh}`), or a prefix joined by an
/// apostrophe or hyphen (`d'Alembert`, `al-Khwarizmi`), as a non-dropping particle, and
/// whether a space stood after it.
fn split_particle(family: &str) -> (Option<(String, bool)>, String) {
    let words: Vec<&str> = family.split(' ').collect();
    let lower = words.iter().take_while(|w| starts_lower(w)).count();
    if lower > 0 && lower < words.len() {
        return (
            Some((words[..lower].join(" "), true)),
            words[lower..].join(" "),
        );
    }
    let prefix_len = family
        .find(|c: char| !c.is_lowercase())
        .unwrap_or(family.len());
    let rest = &family[prefix_len..];
    let mut rest_chars = rest.chars();
    if prefix_len > 0 && prefix_len <= 3 {
        if let (Some(joiner @ ('\'' | '’' | '-')), Some(next)) =
            (rest_chars.next(), rest_chars.next())
        {
            if next.is_uppercase() {
                let split = prefix_len + joiner.len_utf8();
                return (
                    Some((family[..split].to_string(), false)),
                    family[split..].to_string(),
                );
            }
        }
    }
    (None, family.to_string())
}

/// A name given as `family=Doe, given=John, prefix=von, useprefix=true` (biblatex).
fn biblatex_name(tokens: &[Token<'_>]) -> Option<Name> {
    let first = match tokens.first()? {
        Token::Word(word) => *word,
        _ => return None,
    };
    let key = first.split('=').next()?.trim().to_ascii_lowercase();
    if !first.contains('=') || !matches!(key.as_str(), "family" | "given" | "prefix" | "suffix") {
        return None;
    }
    let mut name = Name::default();
    let mut prefix = None;
    let mut use_prefix = false;
    for part in tokens.split(|token| matches!(token, Token::Comma)) {
        let words: Vec<&str> = part
            .iter()
            .filter_map(|token| match token {
                Token::Word(word) => Some(*word),
                Token::And => Some("and"),
                Token::Comma => None,
            })
            .collect();
        let joined = words.join(" ");
        let Some((key, value)) = joined.split_once('=') else {
            continue;
        };
        let value = non_empty(text(value.trim()));
        match key.trim().to_ascii_lowercase().as_str() {
            "family" => name.family = value,
            "given" => name.given = value.map(|given| space_initials(&given)),
            "prefix" => prefix = value,
            "suffix" => name.suffix = value,
            "useprefix" => use_prefix = value.as_deref() == Some("true"),
            _ => {}
        }
    }
    if use_prefix {
        name.non_dropping_particle = prefix;
    } else {
        name.dropping_particle = prefix;
    }
    Some(name)
}

fn is_suffix(words: &[&str]) -> bool {
    matches!(
        words,
        [word] if matches!(
            word.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "jr" | "sr" | "ii" | "iii" | "iv" | "v" | "2nd" | "3rd" | "4th"
        )
    )
}

/// Whether a word starts in lower case, judged on its first letter as LaTeX prints it.
fn starts_lower(word: &str) -> bool {
    let printed = if word.contains(['{', '\\']) {
        text(word)
    } else {
        word.to_string()
    };
    printed
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase)
}

/// The words as text, joined by spaces; given names get spaces between run-together initials,
/// except inside braces.
fn join(words: &[&str], given: bool) -> String {
    words
        .iter()
        .map(|word| {
            let printed = text(word);
            if given && !word.contains('{') {
                space_initials(&printed)
            } else {
                printed
            }
        })
        // A stray "." in "Felicetti, R. ." is no name.
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "C.G." → "C. G.", "J.M" → "J. M"; "J.-P." stays.
fn space_initials(given: &str) -> String {
    let mut out = String::with_capacity(given.len() + 4);
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            out.push(' ');
        }
    }
    out
}

/// The inside of a word that is one brace group from its first character to its last.
fn whole_group(word: &str) -> Option<&str> {
    let inner = word.strip_prefix('{')?.strip_suffix('}')?;
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

fn text(raw: &str) -> String {
    to_plain(&convert(raw).inlines)
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str) -> Name {
        Name::person(family, (!given.is_empty()).then(|| given.to_string()))
    }

    fn with(mut name: Name, edit: impl FnOnce(&mut Name)) -> Name {
        edit(&mut name);
        name
    }

    #[test]
    fn the_three_bibtex_forms() {
        assert_eq!(
            parse_names(
                "R.~Kavanagh and C.G. Smith and Lee, Iek-heng and Smith, A.J. and J.-P. Sartre"
            ),
            vec![
                person("Kavanagh", "R."),
                person("Smith", "C. G."),
                person("Lee", "Iek-heng"),
                person("Smith", "A. J."),
                person("Sartre", "J.-P."),
            ]
        );
        assert_eq!(
            parse_names(
                "van der Berg, Jr, Jan and Doe, Jr., John and Doe, John, Jr. and Smith, III, John"
            ),
            vec![
                with(person("Berg", "Jan"), |n| {
                    n.dropping_particle = Some("van der".into());
                    n.suffix = Some("Jr".into());
                }),
                with(person("Doe", "John"), |n| n.suffix = Some("Jr.".into())),
                with(person("Doe", "John"), |n| n.suffix = Some("Jr.".into())),
                with(person("Smith", "John"), |n| n.suffix = Some("III".into())),
            ]
        );
    }

    #[test]
    fn particles_as_pandoc_reads_them() {
        assert_eq!(
            parse_names("Ludwig van Beethoven and Jean de La Fontaine and De Gaulle, Charles"),
            vec![
                with(person("Beethoven", "Ludwig"), |n| n.dropping_particle =
                    Some("van".into())),
                with(person("La Fontaine", "Jean"), |n| n.dropping_particle =
                    Some("de".into())),
                person("De Gaulle", "Charles"),
            ]
        );
        assert_eq!(
            parse_names("{van Gogh}, Vincent and d'Alembert, Jean and al-Khwarizmi, Muhammad"),
            vec![
                with(person("Gogh", "Vincent"), |n| n.non_dropping_particle =
                    Some("van".into())),
                with(person("Alembert", "Jean"), |n| n.non_dropping_particle =
                    Some("d’".into())),
                with(person("Khwarizmi", "Muhammad"), |n| {
                    n.non_dropping_particle = Some("al-".into())
                }),
            ]
        );
    }

    #[test]
    fn braces_accents_organisations_and_others() {
        assert_eq!(
            parse_names(
                r#"{Square, Inc.} and {Barnes and Noble} and K{\"u}hrt, Ekkehard and Maga\~na-Sandoval, F. and {\O}lgaard, Kristian B. and others"#
            ),
            vec![
                Name::literal("Square, Inc."),
                Name::literal("Barnes and Noble"),
                person("Kührt", "Ekkehard"),
                person("Magaña-Sandoval", "F."),
                person("Ølgaard", "Kristian B."),
                Name::literal("others"),
            ]
        );
        assert_eq!(
            parse_names(
                r"Rosi\ifmmode \acute{n}\else \'{n}\fi{}ska, D. and Van de Walle, A. and Tosta e Melo, I."
            ),
            vec![
                person("Rosińska", "D."),
                person("Van de Walle", "A."),
                person("Tosta e Melo", "I."),
            ]
        );
        assert_eq!(
            parse_names(
                "{Brinch Hansen}, Per AND {Tiwari}, Vaibhav and and {U.S.} Geological Survey"
            ),
            vec![
                person("Brinch Hansen", "Per"),
                person("Tiwari", "Vaibhav"),
                person("Survey", "U.S. Geological"),
            ]
        );
    }

    #[test]
    fn biblatex_named_parts() {
        assert_eq!(
            parse_names("family=Doe, given=John, prefix=von, useprefix=true and given=Jane, family=Roe, suffix=Jr."),
            vec![
                with(person("Doe", "John"), |n| n.non_dropping_particle = Some("von".into())),
                with(person("Roe", "Jane"), |n| n.suffix = Some("Jr.".into())),
            ]
        );
    }
}
