//! English titles turned to sentence case, as Pandoc stores them in CSL-JSON: styles that want
//! title case recase them, and styles such as APA print them as they are.
//!
//! A word written with a capital and the rest in lower case ("Study") is lowered; any other
//! word ("NASA", "eBay", "McDonald", "3D", "H₂O") is kept, and so is text in braces, math,
//! small capitals and super- or subscripts. The first word, and a word after `.`, `?`, `!` or
//! `:` and a space, keep their capital (and gain one if they are all lower case), except that
//! the title's last word is never capitalised that way ("Alpha: beta"), which is Pandoc's
//! reading. Hyphens and other punctuation separate words; an apostrophe inside a word does
//! not, so "O'Brien" is kept where Pandoc lowers it to "o'brien", and neither is an
//! initialism's full stop: "U.S." stays, where Pandoc writes "u.s.".
//!
//! Also here: the short title a title has before its first colon ("GWTC-3: Compact binary
//! coalescences…" is "GWTC-3"), as Pandoc derives it.

use crate::cite::read::rich::{tidy, Inline, Style};

/// Whether a one-letter word is part of an initialism written with full stops ("U.S.",
/// "U.K."): a capital followed by `.` and a letter, or following a letter and `.`.
fn in_initialism(chars: &[(usize, char, bool)], word: &std::ops::Range<usize>) -> bool {
    let at = |i: usize| chars.get(i).map(|(_, c, _)| *c);
    if word.len() != 1 || at(word.end) != Some('.') {
        return false;
    }
    let letter_after = at(word.end + 1).is_some_and(char::is_alphabetic);
    let letter_before = word.start >= 2
        && at(word.start - 1) == Some('.')
        && at(word.start - 2).is_some_and(char::is_alphabetic);
    letter_after || letter_before
}

/// Turns `inlines` to sentence case in place.
pub fn sentence_case(inlines: &mut [Inline]) {
    let mut segments = Vec::new();
    collect(inlines, false, &mut segments);
    let chars: Vec<(usize, char, bool)> = segments
        .iter()
        .enumerate()
        .flat_map(|(index, (text, protected))| text.chars().map(move |c| (index, c, *protected)))
        .collect();
    let words = words(&chars);
    let mut changes: Vec<(usize, char)> = Vec::new();
    for (number, word) in words.iter().enumerate() {
        let (first, first_protected) = (chars[word.start].1, chars[word.start].2);
        if first_protected {
            continue;
        }
        let starts_sentence = number == 0
            || (number + 1 < words.len()
                && after_sentence_end(&chars[words[number - 1].end..word.start]));
        let letters: Vec<char> = chars[word.clone()].iter().map(|(_, c, _)| *c).collect();
        if starts_sentence {
            // All in lower-case letters: "ggplot2" and "3d" stay as they are.
            if letters
                .iter()
                .all(|c| c.is_lowercase() || is_mark(*c) || is_apostrophe(*c))
            {
                changes.push((word.start, upper(first)));
            }
        } else if first.is_uppercase()
            && !in_initialism(&chars, word)
            && letters[1..]
                .iter()
                .all(|c| c.is_lowercase() || is_mark(*c) || is_apostrophe(*c))
        {
            changes.push((word.start, lower(first)));
        }
    }
    if changes.is_empty() {
        return;
    }
    let mut rebuilt: Vec<String> = segments.iter().map(|_| String::new()).collect();
    let mut next_change = changes.iter().peekable();
    for (at, (segment, c, _)) in chars.iter().enumerate() {
        let replaced = match next_change.peek() {
            Some((change_at, new)) if *change_at == at => {
                next_change.next();
                *new
            }
            _ => *c,
        };
        rebuilt[*segment].push(replaced);
    }
    for ((text, _), new) in segments.iter_mut().zip(rebuilt) {
        **text = new;
    }
}

/// The text runs in order, each with whether its case is protected. Small capitals, super- and
/// subscripts are, as in Pandoc.
fn collect<'a>(inlines: &'a mut [Inline], protected: bool, out: &mut Vec<(&'a mut String, bool)>) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push((text, protected)),
            Inline::Styled(style, children) => {
                let kept = matches!(
                    style,
                    Style::SmallCaps | Style::Superscript | Style::Subscript
                );
                collect(children, protected || kept, out);
            }
            Inline::NoCase(children) => collect(children, true, out),
        }
    }
}

/// Each word as a range of `chars`: letters, digits and marks, with apostrophes between them.
fn words(chars: &[(usize, char, bool)]) -> Vec<std::ops::Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, (_, c, _)) in chars.iter().enumerate() {
        let inside = c.is_alphanumeric()
            || (start.is_some() && is_mark(*c))
            || (start.is_some()
                && is_apostrophe(*c)
                && chars
                    .get(at + 1)
                    .is_some_and(|(_, n, _)| n.is_alphanumeric()));
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                words.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push(from..chars.len());
    }
    words
}

/// Whether the text between two words ends a sentence or a title's main part: `.`, `?`, `!` or
/// `:`, then a space.
fn after_sentence_end(between: &[(usize, char, bool)]) -> bool {
    let Some(end) = between
        .iter()
        .rposition(|(_, c, _)| matches!(c, '.' | '?' | '!' | ':'))
    else {
        return false;
    };
    between[end + 1..].iter().any(|(_, c, _)| c.is_whitespace())
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// One character's upper case (a letter whose upper case is several characters stays).
fn upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The title before its first colon (outside braces and markup), if there is one.
pub fn main_title(inlines: &[Inline]) -> Option<Vec<Inline>> {
    let mut before = Vec::new();
    for inline in inlines {
        if let Inline::Text(text) = inline {
            if let Some(at) = text.find(':') {
                before.push(Inline::Text(text[..at].to_string()));
                let before = tidy(before);
                return (!before.is_empty()).then_some(before);
            }
        }
        before.push(inline.clone());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::read::bibtex::latex::convert;
    use crate::cite::read::rich::{to_plain, to_rich_text};

    fn sentence(raw: &str) -> String {
        let mut inlines = convert(raw).inlines;
        sentence_case(&mut inlines);
        to_rich_text(&inlines)
    }

    #[test]
    fn capitalised_words_are_lowered_and_others_kept() {
        assert_eq!(
            sentence(r"A {Bayesian} Study of {NASA} Data and McDonald Python3 X-Ray U.S. COVID-19 3D ABCs Fourier's Way"),
            "A <span class=\"nocase\">Bayesian</span> study of <span class=\"nocase\">NASA</span> data and McDonald Python3 x-ray U.S. COVID-19 3D ABCs fourier’s way"
        );
        assert_eq!(sentence("eBay Rules the World"), "eBay rules the world");
        assert_eq!(sentence("alpha Beta"), "Alpha beta");
        assert_eq!(sentence("ALL CAPS TITLE"), "ALL CAPS TITLE");
        assert_eq!(
            sentence(r"The H\textsubscript{2}O Molecule"),
            "The H<sub>2</sub>O molecule"
        );
        assert_eq!(sentence(r"The Effect of {T}emperature on {\it Drosophila} Growth"), "The effect of <span class=\"nocase\">T</span>emperature on <span class=\"nocase\"><i>Drosophila</i></span> growth");
        assert_eq!(sentence("Now O'Brien Here"), "Now O’Brien here");
    }

    #[test]
    fn sentences_and_subtitles_start_with_a_capital_except_at_the_end() {
        assert_eq!(sentence("Alpha: beta gamma"), "Alpha: Beta gamma");
        assert_eq!(sentence("Alpha: Beta"), "Alpha: beta");
        assert_eq!(sentence("Alpha: beta."), "Alpha: beta.");
        assert_eq!(sentence("Alpha: beta-gamma"), "Alpha: Beta-gamma");
        assert_eq!(sentence("A: b c: d"), "A: B c: d");
        assert_eq!(
            sentence("Hello World. A New Beginning"),
            "Hello world. A new beginning"
        );
        assert_eq!(sentence("Alpha:Beta Gamma"), "Alpha:beta gamma");
        assert_eq!(
            sentence("Part 1: The Beginning — And The End"),
            "Part 1: The beginning — and the end"
        );
        assert_eq!(
            sentence(r"Alpha: \emph{beta} gamma"),
            "Alpha: <i>Beta</i> gamma"
        );
        assert_eq!(
            sentence("``The Title Here'' And More"),
            "“The title here” and more"
        );
    }

    #[test]
    fn the_main_title_is_before_the_first_colon() {
        let title = convert(r"GWTC-3: Compact Binary {Coalescences: Observed}").inlines;
        assert_eq!(to_plain(&main_title(&title).unwrap()), "GWTC-3");
        assert!(main_title(&convert("{Alpha: Beta}").inlines).is_none());
        assert!(main_title(&convert("No colon here").inlines).is_none());
    }
}
