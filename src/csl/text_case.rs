//! Text case (CSL 1.0.2, "Text-case"): lowercase, uppercase, capitalize-first, capitalize-all,
//! sentence and title case, applied around `nocase` spans, and `strip-periods`.

use citationberg::TextCase;

use super::output::{map_all_text, map_text, Inline};

/// Words title case leaves lowercase unless first, last or after a colon.
/// The specification's list, plus "about" and the name particles the test suite keeps
/// lowercase (`textcase_SkipNameParticlesInTitleCase`), as Pandoc's citeproc also does.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet", "about",
    "van", "von", "de", "d", "l",
];

/// Applies `case` to `nodes`. Title case applies only to English items (`english`).
pub fn apply(nodes: &mut [Inline], case: TextCase, english: bool) {
    match case {
        TextCase::Lowercase => map_text(nodes, &mut |t| *t = t.to_lowercase()),
        TextCase::Uppercase => map_text(nodes, &mut |t| *t = t.to_uppercase()),
        TextCase::CapitalizeFirst => capitalize_first(nodes),
        TextCase::CapitalizeAll => {
            let mut at_start = true;
            map_text(nodes, &mut |t| *t = capitalize_words(t, &mut at_start));
        }
        TextCase::SentenceCase => sentence(nodes),
        TextCase::TitleCase if english => title(nodes),
        TextCase::TitleCase => {}
    }
}

/// Upper- and lowercase for Turkic languages, where the dotted and dotless i are two letters;
/// false for the cases they do not change.
pub fn apply_turkic(nodes: &mut [Inline], case: TextCase) -> bool {
    match case {
        TextCase::Uppercase => map_text(nodes, &mut |t| {
            *t = t.replace('i', "\u{130}").to_uppercase();
        }),
        TextCase::Lowercase => map_text(nodes, &mut |t| {
            *t = t
                .replace('I', "\u{131}")
                .replace('\u{130}', "i")
                .to_lowercase();
        }),
        _ => return false,
    }
    true
}

fn capitalize_first(nodes: &mut [Inline]) {
    let mut done = false;
    map_text(nodes, &mut |t| {
        if done {
            return;
        }
        if let Some((at, c)) = t.char_indices().find(|(_, c)| c.is_alphanumeric()) {
            done = true;
            if c.is_lowercase() {
                let upper: String = c.to_uppercase().collect();
                t.replace_range(at..at + c.len_utf8(), &upper);
            }
        }
    });
}

fn capitalize_words(text: &str, at_start: &mut bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if *at_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            *at_start = false;
        } else {
            out.push(c);
            if c.is_whitespace() {
                *at_start = true;
            } else if c.is_alphanumeric() {
                *at_start = false;
            }
        }
    }
    out
}

/// Sentence case, as citeproc-js does it: everything lowercased but the protected spans, then
/// the first word capitalised.
fn sentence(nodes: &mut [Inline]) {
    map_text(nodes, &mut |t| *t = t.to_lowercase());
    capitalize_first(nodes);
}

/// Visits every text node in order, saying whether it is protected from case changes (a
/// `nocase` span, or small caps, superscript and subscript from the item's own markup).
fn walk(nodes: &mut [Inline], protected: bool, f: &mut dyn FnMut(&mut String, bool)) {
    use super::output::Format;
    for node in nodes {
        match node {
            Inline::Text(text) => f(text, protected),
            Inline::NoCase(children) => walk(children, true, f),
            Inline::Format(
                Format::SmallCaps | Format::Superscript | Format::Subscript,
                children,
            ) => walk(children, true, f),
            Inline::Format(_, c)
            | Inline::Quoted(c)
            | Inline::SingleQuoted(c)
            | Inline::Display(_, c)
            | Inline::Link(_, c)
            | Inline::Cite(_, c)
            | Inline::Term(c) => walk(c, protected, f),
        }
    }
}

/// Title case: lowercase words are capitalised, except stop words inside the title; words with
/// capitals of their own stay as written.
fn title(nodes: &mut [Inline]) {
    let mut total_words = 0;
    walk(nodes, false, &mut |t, _| total_words += words(t).len());
    let mut index = 0;
    let mut sentence_start = true;
    let mut after_period = false;
    // "{T}wo" is one word across a protected span: its rest is not a word of its own.
    let mut glued = false;
    walk(nodes, false, &mut |t, protected| {
        let continues = glued && t.starts_with(char::is_alphanumeric);
        glued = t.ends_with(char::is_alphanumeric);
        let mut out = String::with_capacity(t.len());
        let mut last = 0;
        for (start, end) in words(t) {
            if continues && start == 0 {
                // "{P}hysics-informed": the word began in the protected span; the parts after
                // its hyphen are words of the compound all the same.
                let word = &t[..end];
                match word.split_once('-') {
                    Some((head, rest)) => {
                        let is_last = index + 1 == total_words;
                        out.push_str(head);
                        out.push('-');
                        out.push_str(&title_word(rest, false, is_last, false));
                    }
                    None => out.push_str(word),
                }
                last = end;
                index += 1;
                sentence_start = false;
                continue;
            }
            let between = &t[last..start];
            out.push_str(between);
            if index > 0 && ends_sentence(between) {
                sentence_start = true;
            }
            let word = &t[start..end];
            let is_last = index + 1 == total_words;
            if protected {
                out.push_str(word);
            } else {
                out.push_str(&title_word(word, sentence_start, is_last, after_period));
            }
            after_period = word.ends_with('.');
            sentence_start = false;
            index += 1;
            last = end;
        }
        let tail = &t[last..];
        if ends_sentence(tail) {
            sentence_start = true;
        }
        out.push_str(tail);
        *t = out;
    });
}

fn ends_sentence(between: &str) -> bool {
    let trimmed = between.trim_end();
    trimmed.ends_with([':', '?', '!']) || (trimmed.ends_with('.') && between.ends_with(' '))
}

fn title_word(word: &str, sentence_start: bool, is_last: bool, after_period: bool) -> String {
    let edge = sentence_start || is_last;
    // Each part of "out-of-fashion" is a word: stop words and single letters inside the
    // compound stay lowercase, parts with capitals of their own stay as written.
    let mut out = String::with_capacity(word.len());
    for (index, part) in word.split('-').enumerate() {
        if index > 0 {
            out.push('-');
        }
        // A quotation mark or apostrophe before the word ("’went low’") is not the word.
        let opening = part.len()
            - part
                .trim_start_matches(['\'', '\u{2019}', '\u{2018}', '`'])
                .len();
        out.push_str(&part[..opening]);
        let part = &part[opening..];
        // All in capitals ("NASA", the "A" of "Royal Society A") is kept as written.
        if part.chars().any(char::is_alphabetic)
            && part.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
        {
            out.push_str(part);
            continue;
        }
        let lower = part.to_lowercase();
        let stop = STOP_WORDS.contains(&lower.as_str());
        let first_upper = part.chars().next().is_some_and(char::is_uppercase);
        if part.chars().skip(1).any(char::is_uppercase) || (first_upper && (!stop || after_period))
        {
            out.push_str(part);
            continue;
        }
        // A single letter ("arXiv e-Prints", "the x factor") stays as written inside a title.
        let keep_lower = if index == 0 {
            let single = part.chars().count() < 2;
            (stop && !edge) || (single && !sentence_start)
        } else {
            stop || part.chars().count() < 2
        };
        if keep_lower {
            out.push_str(&lower);
            continue;
        }
        let mut chars = part.chars();
        match chars.next() {
            Some(first) if is_latin_letter(first) => {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// Title case capitalises Latin letters only ("β-Carotine" keeps its beta).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x0250
}

/// Byte ranges of the words of `text` (runs of letters, digits, apostrophes and hyphens).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '`' | '-' | '.');
        match (in_word, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                words.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

/// `strip-periods`: every full stop removed.
pub fn strip_periods(nodes: &mut [Inline]) {
    map_all_text(nodes, &mut |t| t.retain(|c| c != '.'));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csl::output::plain;

    fn cased(text: &str, case: TextCase) -> String {
        let mut nodes = vec![Inline::text(text)];
        apply(&mut nodes, case, true);
        plain(&nodes)
    }

    #[test]
    fn title_case_keeps_stop_words_and_words_with_capitals() {
        assert_eq!(
            cased(
                "the lord of the rings: a tale of iPhone users",
                TextCase::TitleCase
            ),
            "The Lord of the Rings: A Tale of iPhone Users"
        );
        assert_eq!(cased("UK", TextCase::TitleCase), "UK");
        assert_eq!(
            cased("arXiv e-prints", TextCase::TitleCase),
            "arXiv e-Prints"
        );
        assert_eq!(
            cased(
                "democrats \u{2019}went low\u{2019} on twitter",
                TextCase::TitleCase
            ),
            "Democrats \u{2019}Went Low\u{2019} on Twitter"
        );
        assert_eq!(
            cased("long-term effects", TextCase::TitleCase),
            "Long-Term Effects"
        );
    }

    #[test]
    fn a_compound_that_starts_in_a_protected_span_is_title_cased_after_its_hyphen() {
        let mut nodes = vec![
            Inline::text("Lift & Learn: "),
            Inline::NoCase(vec![Inline::text("P")]),
            Inline::text("hysics-informed machine learning"),
        ];
        apply(&mut nodes, TextCase::TitleCase, true);
        assert_eq!(
            plain(&nodes),
            "Lift & Learn: Physics-Informed Machine Learning"
        );
    }

    #[test]
    fn sentence_case_lowercases_all_but_the_first_word() {
        assert_eq!(
            cased("THE BIG SLEEP", TextCase::SentenceCase),
            "The big sleep"
        );
        assert_eq!(
            cased("the Big Sleep", TextCase::SentenceCase),
            "The big sleep"
        );
    }
}
