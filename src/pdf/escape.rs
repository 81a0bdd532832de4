//! Text from the brief and its data, made inert for Typst. Every ASCII punctuation character in
//! markup is escaped (Typst reads `\` before any of them as that character), so no title, caption
//! or reference can start a heading, a list, a function call, a link or a label.

/// `text` as Typst markup that shows exactly `text`. Line ends become spaces: a paragraph's
/// lines are one paragraph, as in Markdown.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_markup(text, &mut out);
    out
}

pub fn push_markup(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// `text` as a Typst string literal, quotes included; line ends become spaces.
pub fn string(text: &str) -> String {
    string_literal(text, false)
}

/// The same, keeping line ends and tabs (a code block's lines).
pub fn string_keeping_lines(text: &str) -> String {
    string_literal(text, true)
}

fn string_literal(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if keep_lines => out.push_str("\\n"),
            '\t' if keep_lines => out.push_str("\\t"),
            '\r' if keep_lines => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Typst label (`<…>`) for an anchor of ours. Typst takes letters, digits, `-`, `.` and `:` in
/// a label; anything else (and `_`, the escape) is written as `_hex_`, so two anchors never share
/// a label.
pub fn label(anchor: &str) -> String {
    let mut out = String::from("<");
    out.push_str(&label_name(anchor));
    out.push('>');
    out
}

pub fn label_name(anchor: &str) -> String {
    let mut out = String::with_capacity(anchor.len());
    for c in anchor.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':') {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "l-");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            markup("= #set *x* @k <a>"),
            "\\= \\#set \\*x\\* \\@k \\<a\\>"
        );
        assert_eq!(markup("https://x.org"), "https\\:\\/\\/x\\.org");
        assert_eq!(markup("a\nb"), "a b");
        assert_eq!(markup("Über – 5 %"), "Über – 5 \\%");
    }

    #[test]
    fn strings_escape_quotes_and_backslashes() {
        assert_eq!(string("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
    }

    #[test]
    fn labels_are_valid_and_distinct() {
        assert_eq!(label("ref-smith2020"), "<ref-smith2020>");
        assert_ne!(label_name("ref-a_b"), label_name("ref-a-b"));
        assert_ne!(label_name("ref-a b"), label_name("ref-a_20_b"));
        assert_eq!(label_name("ref-a b"), "ref-a_20_b");
        assert!(label_name("1x").starts_with("l-"));
    }
}
