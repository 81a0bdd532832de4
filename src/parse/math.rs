//! TeX math to MathML at build time (MathML Core: every current browser draws it, no script and
//! no font from elsewhere). `\label{…}` is taken out first: it names the equation for `\eqref`.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// Formula and label, from what the author wrote inside `$…$`, `$$…$$` or an environment.
pub struct Formula {
    pub tex: String,
    pub label: Option<String>,
    /// `equation`, `align`…, not starred: LaTeX numbers them, labelled or not.
    pub numbered: bool,
}

/// Environments that LaTeX numbers; their starred forms and `displaymath` are not numbered.
const NUMBERED: &[&str] = &["equation", "align", "gather", "multline", "eqnarray"];

pub fn formula(written: &str) -> Formula {
    let mut tex = written.trim().to_string();
    let mut label = None;
    while let Some(at) = tex.find("\\label{") {
        let Some(close) = tex[at..].find('}') else {
            break;
        };
        label.get_or_insert_with(|| tex[at + "\\label{".len()..at + close].trim().to_string());
        tex.replace_range(at..at + close + 1, "");
    }
    let mut numbered = label.is_some();
    for environment in NUMBERED {
        // `eqnarray` and `multline` are `align` and `gather` to the converter.
        let plain = match *environment {
            "eqnarray" => "align",
            "multline" => "gather",
            other => other,
        };
        for star in ["", "*"] {
            let begin = format!("\\begin{{{environment}{star}}}");
            if tex.starts_with(&begin) {
                numbered |= star.is_empty();
                let end = format!("\\end{{{environment}{star}}}");
                tex = tex.replacen(&begin, &format!("\\begin{{{plain}*}}"), 1);
                tex = tex.replacen(&end, &format!("\\end{{{plain}*}}"), 1);
            }
        }
    }
    // `\nonumber` and `\notag` only matter to LaTeX's numbering.
    for command in ["\\nonumber", "\\notag"] {
        tex = tex.replace(command, "");
    }
    Formula {
        tex: tex.trim().to_string(),
        label,
        numbered,
    }
}

/// The MathML of `tex`, or the converter's complaint.
pub fn mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage)
        .collect::<Result<_, _>>()
        .map_err(|error| first_line(&error.to_string()))?;
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, std::io::Error>),
        config,
    )
    .map_err(|error| error.to_string())?;
    Ok(out)
}

fn first_line(message: &str) -> String {
    let message = message.strip_prefix("parsing error: ").unwrap_or(message);
    message.lines().next().unwrap_or(message).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscripts_fractions_and_environments_become_mathml() {
        let html = mathml("_2", false).unwrap();
        assert!(
            html.starts_with("<math") && html.contains("<msub>"),
            "{html}"
        );
        let html = mathml("\\frac{a}{b}", true).unwrap();
        assert!(
            html.contains("<mfrac>") && html.contains("display=\"block\""),
            "{html}"
        );
        let f = formula("\\begin{equation}\\label{eq:one} x = 1 \\end{equation}");
        assert_eq!(f.label.as_deref(), Some("eq:one"));
        assert!(f.numbered);
        assert!(mathml(&f.tex, true).is_ok(), "{}", f.tex);
        assert!(!formula("\\begin{align*} x &= 1 \\end{align*}").numbered);
    }

    #[test]
    fn what_cannot_be_converted_is_an_error() {
        assert!(mathml("\\frac{a", false).is_err());
    }
}
