//! Math in a title (`$\alpha$`, `$_2$`, `\(\mathbb{R}^3\)`, `\ensuremath{…}`) as text: Greek
//! letters and operators as their characters, `_` and `^` as sub- and superscripts. Math with
//! a command not known here is kept as its source, and all of it keeps its case.

use super::symbols::{compose, double_struck, math_accent, math_symbol};
use super::{Parser, Runs, Stop, MAX_DEPTH};
use crate::cite::read::rich::{to_plain, Inline, Style};

impl Parser<'_> {
    /// `\ensuremath{…}`: its argument read as math.
    pub(super) fn math_argument(&mut self) -> Inline {
        self.skip_whitespace();
        if self.peek() == Some('{') {
            self.bump();
            self.math(Stop::Brace)
        } else {
            Inline::Text(String::new())
        }
    }

    /// Math up to its closing delimiter: converted when every command in it is known, else
    /// its source as written; case-protected either way.
    pub(super) fn math(&mut self, close: Stop) -> Inline {
        let start = self.pos;
        let mut known = true;
        let converted = self.math_runs(close, &mut known);
        if known {
            return Inline::NoCase(converted);
        }
        let closing = match close {
            Stop::Dollar => "$",
            Stop::Brace => "}",
            Stop::DoubleDollar => "$$",
            Stop::Paren => "\\)",
            Stop::Bracket => "\\]",
            Stop::End => "",
        };
        let read = &self.src[start..self.pos];
        let source = read.strip_suffix(closing).unwrap_or(read).trim();
        Inline::NoCase(vec![Inline::Text(source.to_string())])
    }

    pub(super) fn math_runs(&mut self, stop: Stop, known: &mut bool) -> Vec<Inline> {
        if self.depth >= MAX_DEPTH {
            *known = false;
            self.rest_as_written(Stop::Brace);
            return Vec::new();
        }
        self.depth += 1;
        let mut runs = Runs::default();
        while let Some(c) = self.peek() {
            match c {
                '$' if stop == Stop::Dollar => {
                    self.bump();
                    break;
                }
                '$' if stop == Stop::DoubleDollar => {
                    self.bump();
                    if self.peek() == Some('$') {
                        self.bump();
                    }
                    break;
                }
                '}' => {
                    self.bump();
                    if stop == Stop::Brace {
                        break;
                    }
                }
                '{' => {
                    self.bump();
                    let inner = self.math_runs(Stop::Brace, known);
                    runs.extend(inner);
                }
                '\\' => {
                    let closes = match self.peek_at(1) {
                        Some(')') => stop == Stop::Paren,
                        Some(']') => stop == Stop::Bracket,
                        _ => false,
                    };
                    if closes {
                        self.pos += 2;
                        break;
                    }
                    self.math_command(&mut runs, known);
                }
                '_' | '^' => {
                    self.bump();
                    let argument = self.math_single(known);
                    let style = if c == '_' {
                        Style::Subscript
                    } else {
                        Style::Superscript
                    };
                    runs.push(Inline::Styled(style, argument));
                }
                '%' => self.comment(),
                '~' => {
                    self.bump();
                    runs.text.push(' ');
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

    /// One argument in math: a group, a command or a character.
    pub(super) fn math_single(&mut self, known: &mut bool) -> Vec<Inline> {
        self.skip_whitespace();
        match self.peek() {
            Some('{') => {
                self.bump();
                self.math_runs(Stop::Brace, known)
            }
            Some('\\') => {
                let mut runs = Runs::default();
                self.math_command(&mut runs, known);
                runs.finish()
            }
            Some(c) if c != '}' && c != '$' => {
                self.bump();
                vec![Inline::Text(c.to_string())]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn math_command(&mut self, runs: &mut Runs, known: &mut bool) {
        self.bump();
        let Some(name) = self.command_name() else {
            return;
        };
        if let Some(symbol) = math_symbol(&name) {
            runs.text.push_str(symbol);
            return;
        }
        if let Some(mark) = math_accent(&name) {
            let letter = to_plain(&self.math_single(known));
            let mut chars = letter.chars();
            runs.text.push_str(&compose(chars.next(), mark));
            runs.text.extend(chars);
            return;
        }
        match name.as_str() {
            "mathbb" | "mathbbm" | "Bbb" | "mathds" => {
                let letters = to_plain(&self.math_single(known));
                runs.text
                    .extend(letters.chars().map(|c| double_struck(c).unwrap_or(c)));
            }
            "mathrm" | "mathit" | "mathbf" | "mathsf" | "mathtt" | "mathnormal" | "mathup"
            | "operatorname" | "boldsymbol" | "bm" => {
                let argument = self.math_single(known);
                runs.extend(argument);
            }
            "text" | "textrm" | "textit" | "textbf" | "mbox" | "hbox" | "textnormal" => {
                let argument = self.argument();
                runs.extend(argument);
            }
            "ifmmode" | "fi" => {}
            "else" => {
                self.skip_branch(false);
            }
            _ => {
                *known = false;
                while self.peek() == Some('{') {
                    self.math_single(known);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::convert;
    use crate::cite::read::rich::to_rich_text;

    fn rich(raw: &str) -> String {
        to_rich_text(&convert(raw).inlines)
    }

    #[test]
    fn math_becomes_text_or_stays_as_written() {
        assert_eq!(rich(r"H$_2$O x$^{2}$"), "H<span class=\"nocase\"><sub>2</sub></span>O x<span class=\"nocase\"><sup>2</sup></span>");
        assert_eq!(rich(r"$\alpha$ and $\mathbb{R}$ and $x$"), "<span class=\"nocase\">α</span> and <span class=\"nocase\">ℝ</span> and <span class=\"nocase\">x</span>");
        assert_eq!(rich(r"in \(\mathbb{{R}}^3\) of $M_\odot$"), "in <span class=\"nocase\">ℝ<sup>3</sup></span> of <span class=\"nocase\">M<sub>⊙</sub></span>");
        assert_eq!(
            rich(r"$\frac{a}{b}$ \ensuremath{\beta}"),
            "<span class=\"nocase\">\\frac{a}{b} β</span>"
        );
    }
}
