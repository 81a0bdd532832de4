//! LaTeX in a BibTeX value, read into rich text the way LaTeX would print it: accents composed
//! into Unicode letters (`\'\i`, `\"{a}`, `\c{c}`), special letters and symbols (`\ss`,
//! `\textemdash`), TeX's ligatures (`--`, `---`, ``` `` ```, `''`, `~`), text styles (`\emph`,
//! `{\em …}`, `\textbf`, `\textsc`, `\textsuperscript`), simple math (`$\alpha$`, `$_2$`,
//! `\mathbb{R}`), `\url`/`\href`, and `\ifmmode … \else … \fi` read in its text branch.
//!
//! Braces that are not a command's argument protect their text's case: `{NASA}` becomes a
//! [`Inline::NoCase`] run, and so do math and URLs. Math that uses a command this reader does
//! not know is kept as its source (without the `$`). A `%` starts a comment to the end of the
//! line, as in LaTeX; an unknown command keeps its arguments' text. Both are noted, so the
//! author can be told.
//!
//! Nesting is bounded: braces by the syntax reader, and commands that take commands
//! (`\'\'\'…`) by [`MAX_DEPTH`] here, past which text is taken as written.

mod commands;
mod math;
mod symbols;

use crate::cite::read::rich::{tidy, to_plain, Inline, Style};

/// How deep groups and arguments may nest before the rest is read as plain text.
const MAX_DEPTH: usize = 128;

/// A value's text read from LaTeX, and what the author should hear about it.
#[derive(Debug, Default)]
pub struct Converted {
    pub inlines: Vec<Inline>,
    /// What LaTeX made of the text that the author may not expect, and what to do about it.
    pub notes: Vec<Note>,
}

/// Something LaTeX does with a value that its author should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub hint: &'static str,
}

/// Reads the LaTeX of a value (its outer delimiters already removed).
pub fn convert(raw: &str) -> Converted {
    let mut parser = Parser {
        src: raw,
        pos: 0,
        depth: 0,
        notes: Vec::new(),
    };
    let inlines = parser.text(Stop::End);
    Converted {
        inlines: tidy(inlines),
        notes: parser.notes,
    }
}

/// A URL, DOI or other verbatim value: braces and a `\url{…}` (or `\href{…}{…}`'s address)
/// around it removed, `\_`, `\%`, `\#`, `\&`, `\~`, `\$` read as the character (a backslash
/// cannot be part of a link), and white space dropped (a link wrapped across lines).
pub fn verbatim(raw: &str) -> String {
    let mut text = raw.trim();
    for command in ["\\url", "\\href", "\\nolinkurl", "\\doi"] {
        if let Some(rest) = text.strip_prefix(command) {
            let rest = rest.trim_start();
            if rest.starts_with('{') {
                text = rest;
                break;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                // `\href{url}{text}`: the address is the first argument.
                if depth == 0 && text.starts_with('{') && !out.is_empty() {
                    break;
                }
            }
            '\\' if chars
                .peek()
                .is_some_and(|n| matches!(n, '_' | '%' | '#' | '&' | '~' | '$')) =>
            {
                out.extend(chars.next());
            }
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    End,
    Brace,
    Dollar,
    DoubleDollar,
    Paren,
    Bracket,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    notes: Vec<Note>,
}

/// Text being built: the finished runs, the current text, and the declarations (`\em`) that
/// style the rest of the group from a run on.
#[derive(Default)]
struct Runs {
    out: Vec<Inline>,
    text: String,
    declarations: Vec<(usize, Option<Style>)>,
}

impl Runs {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Inline::Text(std::mem::take(&mut self.text)));
        }
    }

    fn push(&mut self, inline: Inline) {
        self.flush();
        self.out.push(inline);
    }

    fn extend(&mut self, inlines: Vec<Inline>) {
        self.flush();
        self.out.extend(inlines);
    }

    /// The runs, with each declaration wrapping what follows it (innermost last, without
    /// recursion however many there are).
    fn finish(mut self) -> Vec<Inline> {
        self.flush();
        let mut out = self.out;
        while let Some((at, style)) = self.declarations.pop() {
            if let Some(style) = style {
                let tail = out.split_off(at.min(out.len()));
                out.push(Inline::Styled(style, tail));
            }
        }
        out
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(ahead)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Text mode up to `stop` (consumed).
    fn text(&mut self, stop: Stop) -> Vec<Inline> {
        if self.depth >= MAX_DEPTH {
            return vec![Inline::Text(self.rest_as_written(stop))];
        }
        self.depth += 1;
        let mut runs = Runs::default();
        while let Some(c) = self.peek() {
            match c {
                '}' => {
                    self.bump();
                    if stop == Stop::Brace {
                        break;
                    }
                }
                '{' => {
                    self.bump();
                    let inner = self.text(Stop::Brace);
                    if !inner.is_empty() {
                        runs.push(Inline::NoCase(inner));
                    }
                }
                '\\' => self.command(&mut runs),
                '$' => {
                    self.bump();
                    let close = if self.peek() == Some('$') {
                        self.bump();
                        Stop::DoubleDollar
                    } else {
                        Stop::Dollar
                    };
                    let math = self.math(close);
                    runs.push(math);
                }
                '%' => self.comment(),
                '~' => {
                    self.bump();
                    runs.text.push('\u{a0}');
                }
                '-' => {
                    let mut n = 0;
                    while self.peek() == Some('-') {
                        self.bump();
                        n += 1;
                    }
                    while n >= 3 {
                        runs.text.push('—');
                        n -= 3;
                    }
                    runs.text.push_str(["", "-", "–"][n]);
                }
                '`' | '\'' => {
                    self.bump();
                    let double = self.peek() == Some(c);
                    if double {
                        self.bump();
                    }
                    runs.text.push(match (c, double) {
                        ('`', true) => '“',
                        ('`', false) => '‘',
                        (_, true) => '”',
                        _ => '’',
                    });
                }
                '!' | '?' if self.peek_at(1) == Some('`') => {
                    self.bump();
                    self.bump();
                    runs.text.push(if c == '!' { '¡' } else { '¿' });
                }
                c => {
                    self.bump();
                    runs.text.push(c);
                }
            }
        }
        self.depth -= 1;
        runs.finish()
    }

    /// The rest of the group (or value) as written, braces and backslashes dropped: what is
    /// left when nesting goes past [`MAX_DEPTH`].
    fn rest_as_written(&mut self, stop: Stop) -> String {
        let mut depth = 0usize;
        let mut out = String::new();
        while let Some(c) = self.bump() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 && stop == Stop::Brace => break,
                '}' => depth = depth.saturating_sub(1),
                '\\' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// `%` to the end of the line, and the next line's indentation, as TeX skips them.
    fn comment(&mut self) {
        self.bump();
        let rest = &self.src[self.pos..];
        let end = rest.find('\n').unwrap_or(rest.len());
        let dropped = rest[..end].trim();
        if !dropped.is_empty() {
            self.notes.push(Note {
                message: format!(
                    "`%` starts a LaTeX comment, so “{}” was left out",
                    shorten(dropped)
                ),
                hint: "write `\\%` for a percent sign",
            });
        }
        self.pos += end;
        if self.peek() == Some('\n') {
            self.bump();
            while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
                self.bump();
            }
        }
    }

    /// A command's name after its backslash: letters, or one other character.
    fn command_name(&mut self) -> Option<String> {
        let rest = &self.src[self.pos..];
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if letters > 0 {
            self.pos += letters;
            let name = rest[..letters].to_string();
            self.skip_whitespace();
            return Some(name);
        }
        self.bump().map(String::from)
    }

    /// A command's argument in text mode: a braced group (its braces do not protect case), or
    /// one character or command.
    fn argument(&mut self) -> Vec<Inline> {
        self.skip_whitespace();
        match self.peek() {
            Some('{') => {
                self.bump();
                self.text(Stop::Brace)
            }
            Some('\\') => {
                if self.depth >= MAX_DEPTH {
                    self.bump();
                    return Vec::new();
                }
                self.depth += 1;
                let mut runs = Runs::default();
                self.command(&mut runs);
                self.depth -= 1;
                runs.finish()
            }
            Some('}') | None => Vec::new(),
            Some(c) => {
                self.bump();
                vec![Inline::Text(c.to_string())]
            }
        }
    }

    /// The letter an accent goes on: `\'e`, `\'{e}`, `\'\i`, `\'{\i}`.
    fn accent_argument(&mut self) -> String {
        to_plain(&self.argument())
    }

    fn optional_argument(&mut self) {
        self.skip_whitespace();
        if self.peek() == Some('[') {
            let rest = &self.src[self.pos..];
            self.pos += rest.find(']').map_or(rest.len(), |end| end + 1);
        }
    }

    /// A braced argument taken as written (a URL, a colour's name).
    fn verbatim_argument(&mut self) -> String {
        self.skip_whitespace();
        if self.peek() != Some('{') {
            return String::new();
        }
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(c) = self.bump() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '\\' => {
                    self.bump();
                }
                _ => {}
            }
        }
        verbatim(&self.src[start..self.pos])
    }

    /// Skips an `\ifmmode` branch: from `\ifmmode` to its `\else` (or `\fi`) when `to_else`,
    /// from `\else` to `\fi` otherwise, never past the end of the current group. Whether it
    /// stopped at an `\else`.
    fn skip_branch(&mut self, to_else: bool) -> bool {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => return false,
                '}' => depth -= 1,
                '\\' if depth == 0 => {
                    let rest = &self.src[self.pos + 1..];
                    let word = rest
                        .find(|c: char| !c.is_ascii_alphabetic())
                        .map_or(rest, |end| &rest[..end]);
                    if word == "fi" || (to_else && word == "else") {
                        self.pos += 1 + word.len();
                        self.skip_whitespace();
                        return word == "else";
                    }
                    self.bump();
                }
                _ => {}
            }
            self.bump();
        }
        false
    }
}

/// Declarations a group may stack (`{\bf\em …}`); more add nothing but depth to the tree.
const MAX_DECLARATIONS: usize = 4;

fn declare(runs: &mut Runs, style: Option<Style>) {
    runs.flush();
    if runs.declarations.len() < MAX_DECLARATIONS {
        runs.declarations.push((runs.out.len(), style));
    }
}

/// At most 40 characters of `text`, for a message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::read::rich::to_rich_text;

    fn rich(raw: &str) -> String {
        to_rich_text(&convert(raw).inlines)
    }

    #[test]
    fn accents_in_every_form() {
        assert_eq!(
            rich(r#"{\'\i} \"{a} {\"a} \c{c} \v{s} \={o} \~{n} \^{e}"#),
            "<span class=\"nocase\">í</span> ä <span class=\"nocase\">ä</span> ç š ō ñ ê"
        );
        assert_eq!(
            rich(r"\.{z} \u{g} \H{o} \r{a} \k{a} \'{\i} \' e \v s"),
            "ż ğ ő å ą í é š"
        );
        assert_eq!(
            rich(r#"\ss \o{} \O \ae \l \i \j \aa, \AA{}ngstr\"om"#),
            "ßø Øæłıȷå, Ångström"
        );
        assert_eq!(
            rich(r"Mar\'\i{}a D\'{\i}az Budi{\v{s}}i{\'c}"),
            "María Díaz Budi<span class=\"nocase\">š</span>i<span class=\"nocase\">ć</span>"
        );
    }

    #[test]
    fn ligatures_and_escapes() {
        assert_eq!(rich(r"a---b -- c - d \textemdash{} e"), "a—b – c - d — e");
        assert_eq!(
            rich(r"\& \% \$ \# \_ a~b a\,b"),
            "& % $ # _ a\u{a0}b a\u{2006}b"
        );
        assert_eq!(
            rich(r"``quoted'' and `single' and don't"),
            "“quoted” and ‘single’ and don’t"
        );
        assert_eq!(
            rich("literal <b>tag</b> & 1 < 2"),
            "literal <\u{2060}b>tag<\u{2060}/b> & 1 < 2"
        );
    }

    #[test]
    fn urls_links_comments_and_unknown_commands() {
        assert_eq!(
            rich(r"see \url{https://x.org/a_b%20c} or \href{https://y.org}{the site}"),
            "see <span class=\"nocase\">https://x.org/a_b%20c</span> or the site"
        );
        let converted = convert("Fifty % off\nnext");
        assert_eq!(to_rich_text(&converted.inlines), "Fifty next");
        assert!(
            converted.notes[0].message.contains("“off” was left out"),
            "{:?}",
            converted.notes
        );
        let converted = convert(r"\foo{bar} baz \noopsort{a}Sorted");
        assert_eq!(to_rich_text(&converted.inlines), "bar baz Sorted");
        assert!(
            converted.notes[0].message.contains(r"`\foo`"),
            "{:?}",
            converted.notes
        );
    }

    #[test]
    fn verbatim_values_lose_their_wrapping() {
        assert_eq!(verbatim(r"\url{https://x.org/a\_b}"), "https://x.org/a_b");
        assert_eq!(verbatim("{https://x.org/a%20b}"), "https://x.org/a%20b");
        assert_eq!(verbatim(r"\href{https://x.org}{text}"), "https://x.org");
        assert_eq!(verbatim(" 10.1000/ABC "), "10.1000/ABC");
    }

    #[test]
    fn hostile_nesting_is_read_without_overflowing() {
        let accents = "\\'".repeat(100_000) + "e";
        let converted = convert(&accents);
        assert!(!to_plain(&converted.inlines).is_empty());
        let declarations = "\\em ".repeat(100_000) + "x";
        assert!(to_rich_text(&convert(&declarations).inlines).contains('x'));
        let subscripts = "$".to_string() + &"x_".repeat(50_000) + "$";
        assert!(!convert(&subscripts).inlines.is_empty());
    }
}
