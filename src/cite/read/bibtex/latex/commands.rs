//! The text-mode commands: accents, letters and symbols, styles (`\emph`, `{\em …}`), links,
//! `\ifmmode`, and what to do with a command this reader does not know.

use super::symbols::{accent, compose, control_symbol, text_symbol};
use super::{declare, Note, Parser, Runs, Stop};
use crate::cite::read::rich::{to_plain, Inline, Style};

impl Parser<'_> {
    /// A command, its backslash next.
    pub(super) fn command(&mut self, runs: &mut Runs) {
        self.bump();
        let Some(name) = self.command_name() else {
            runs.text.push('\\');
            return;
        };
        if let Some(mark) = accent(&name) {
            let letter = self.accent_argument();
            let mut chars = letter.chars();
            let base = chars.next();
            runs.text.push_str(&compose(base, mark));
            runs.text.extend(chars);
            return;
        }
        if let Some(symbol) = text_symbol(&name) {
            runs.text.push_str(symbol);
            return;
        }
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if !c.is_ascii_alphabetic() {
                match c {
                    '(' => runs.push(self.math(Stop::Paren)),
                    '[' => runs.push(self.math(Stop::Bracket)),
                    c => runs.text.push_str(control_symbol(c).unwrap_or("")),
                }
                return;
            }
        }
        let styled = |style| Some(Some(style));
        let styling: Option<Option<Style>> = match name.as_str() {
            "emph" | "textit" | "textsl" | "mkbibemph" => styled(Style::Italic),
            "textbf" | "mkbibbold" => styled(Style::Bold),
            "textsc" => styled(Style::SmallCaps),
            "textsuperscript" | "mkbibsuperscript" => styled(Style::Superscript),
            "textsubscript" => styled(Style::Subscript),
            "textrm" | "textnormal" | "texttt" | "textsf" | "textup" | "textmd" | "mbox"
            | "hbox" | "text" | "footnote" => Some(None),
            _ => None,
        };
        if let Some(style) = styling {
            let argument = self.argument();
            match style {
                Some(style) => runs.push(Inline::Styled(style, argument)),
                None => runs.extend(argument),
            }
            return;
        }
        match name.as_str() {
            "em" | "it" | "itshape" | "sl" | "slshape" => declare(runs, Some(Style::Italic)),
            "bf" | "bfseries" => declare(runs, Some(Style::Bold)),
            "sc" | "scshape" => declare(runs, Some(Style::SmallCaps)),
            "rm" | "normalfont" | "upshape" | "tt" | "ttfamily" | "sf" | "sffamily"
            | "mdseries" | "rmfamily" => declare(runs, None),
            "url" | "nolinkurl" | "doi" => {
                let url = self.verbatim_argument();
                runs.push(Inline::NoCase(vec![Inline::Text(url)]));
            }
            "href" => {
                self.verbatim_argument();
                let text = self.argument();
                runs.extend(text);
            }
            "mkbibquote" | "enquote" => {
                let quoted = self.argument();
                runs.text.push('“');
                runs.extend(quoted);
                runs.text.push('”');
            }
            "MakeUppercase" | "uppercase" | "MakeLowercase" | "lowercase" => {
                let upper = name.contains("pper");
                let text = to_plain(&self.argument());
                runs.text.push_str(&if upper {
                    text.to_uppercase()
                } else {
                    text.to_lowercase()
                });
            }
            "ensuremath" => {
                let math = self.math_argument();
                runs.push(math);
            }
            // The text branch follows `\else`; its `\fi` is read as nothing.
            "ifmmode" => {
                self.skip_branch(true);
            }
            "else" => {
                self.skip_branch(false);
            }
            "textcolor" | "colorbox" => {
                self.verbatim_argument();
                let text = self.argument();
                runs.extend(text);
            }
            "color" => {
                self.verbatim_argument();
            }
            "noopsort" | "nocite" | "index" | "label" | "hyphenation" => {
                self.verbatim_argument();
            }
            "cite" | "citep" | "citet" | "citealp" | "citeauthor" | "citeyear" | "parencite"
            | "textcite" | "autocite" | "footcite" => {
                self.optional_argument();
                let keys = self.verbatim_argument();
                self.notes.push(Note {
                    message: format!(
                        "`\\{name}{{{keys}}}` cites from inside a reference: left out"
                    ),
                    hint: "write what it should print instead, or leave it out",
                });
            }
            _ => {
                self.notes.push(Note {
                    message: format!(
                    "`\\{name}` is a LaTeX command this reader does not know: its text was kept"
                ),
                    hint: "brief reads no `\\newcommand`s: write the text it should print",
                });
                while self.peek() == Some('{') {
                    let argument = self.argument();
                    runs.extend(argument);
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
    fn ifmmode_takes_the_text_branch() {
        assert_eq!(rich(r"H\ifmmode \ddot{a}\else ä\fi uselmann"), "Häuselmann");
        assert_eq!(
            rich(r"Rosi\ifmmode \acute{n}\else \'{n}\fi{}ska"),
            "Rosińska"
        );
        assert_eq!(
            rich(r"$\ifmmode \dot{z}\else x\fi$"),
            "<span class=\"nocase\">ż</span>"
        );
    }

    #[test]
    fn styles_commands_and_declarations() {
        assert_eq!(
            rich(
                r"\emph{a} \textit{b} {\em c} {\it d} \textbf{e} \textsc{f} \texttt{g} \textrm{h} \textnormal{i}"
            ),
            "<i>a</i> <i>b</i> <span class=\"nocase\"><i>c</i> <i>d</i></span> <b>e</b> \
             <span style=\"font-variant:small-caps;\">f</span> g h i"
        );
        assert_eq!(
            rich(r"H\textsubscript{2}O 5\textsuperscript{th}"),
            "H<sub>2</sub>O 5<sup>th</sup>"
        );
        assert_eq!(
            rich(r"{\bf x \em y}"),
            "<span class=\"nocase\"><b>x <i>y</i></b></span>"
        );
    }
}
