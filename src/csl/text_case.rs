//! Text case (CSL 1.0.2, "Text-case"): lowercase, uppercase, capitalize-first, capitalize-all,
//! sentence and title case, applied around `nocase` spans, and `strip-periods`.

use citationberg::TextCase;

use super::output::{map_all_text, map_text, Inline};

/// Words title case leaves lowercase unless first, last or after a colon.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
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

fn is_all_uppercase(nodes: &mut [Inline]) -> bool {
    let mut letters = false;
    let mut upper = true;
    map_text(nodes, &mut |t| {
        for c in t.chars().filter(|c| c.is_alphabetic()) {
            letters = true;
            if c.is_lowercase() {
                upper = false;
            }
        }
    });
    letters && upper
}

/// Sentence case: an all-uppercase string is lowercased; then the first word is capitalised.
fn sentence(nodes: &mut [Inline]) {
    if is_all_uppercase(nodes) {
        map_text(nodes, &mut |t| *t = t.to_lowercase());
    }
    capitalize_first(nodes);
}

/// Title case: lowercase words are capitalised, except stop words inside the title; an
/// all-uppercase string is lowercased first. Words with capitals of their own stay as written.
fn title(nodes: &mut [Inline]) {
    let all_upper = is_all_uppercase(nodes);
    // The words of the whole title, so that "first" and "last" see across formatting.
    let mut total_words = 0;
    map_text(nodes, &mut |t| total_words += words(t).len());
    let mut index = 0;
    let mut after_colon = true;
    map_text(nodes, &mut |t| {
        let mut out = String::with_capacity(t.len());
        let mut last = 0;
        for (start, end) in words(t) {
            let between = &t[last..start];
            out.push_str(between);
            if index > 0 && between.contains([':', '?', '!']) {
                after_colon = true;
            }
            let word = &t[start..end];
            let word = if all_upper {
                word.to_lowercase()
            } else {
                word.to_string()
            };
            let is_last = index + 1 == total_words;
            out.push_str(&title_word(&word, after_colon || is_last));
            after_colon = false;
            index += 1;
            last = end;
        }
        let tail = &t[last..];
        if tail.contains([':', '?', '!']) {
            after_colon = true;
        }
        out.push_str(tail);
        *t = out;
    });
}

fn title_word(word: &str, edge: bool) -> String {
    let lower = word.to_lowercase();
    if !edge && STOP_WORDS.contains(&lower.as_str()) {
        return if word.chars().skip(1).any(char::is_uppercase) {
            word.to_string()
        } else {
            lower
        };
    }
    if word.chars().any(char::is_uppercase) {
        return word.to_string();
    }
    // "long-term" → "Long-Term".
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            start = false;
        } else {
            out.push(c);
            if c == '-' || c == '/' {
                start = true;
            }
        }
    }
    out
}

/// Byte ranges of the words of `text` (runs of letters, digits, apostrophes and hyphens).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '-' | '.');
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
        assert_eq!(cased("THE BIG SLEEP", TextCase::TitleCase), "The Big Sleep");
        assert_eq!(
            cased("long-term effects", TextCase::TitleCase),
            "Long-Term Effects"
        );
    }

    #[test]
    fn sentence_case_lowercases_only_uppercase_strings() {
        assert_eq!(
            cased("THE BIG SLEEP", TextCase::SentenceCase),
            "The big sleep"
        );
        assert_eq!(
            cased("the Big Sleep", TextCase::SentenceCase),
            "The Big Sleep"
        );
    }
}
