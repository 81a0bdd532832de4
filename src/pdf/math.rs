//! TeX math as Typst math, for the PDF. The TeX is read by the same parser that makes the web
//! page's MathML (pulldown-latex), so both show the same formula; its events become a small tree
//! that is written as Typst's math syntax. Every symbol is written as a character or an escape,
//! never as a Typst name, so nothing in a formula can call Typst code.

use pulldown_latex::event::{
    Content, DelimiterType, DimensionUnit, EnvironmentFlow, Event, Font, Grouping, ScriptPosition,
    ScriptType, StateChange, Style, Visual,
};
use pulldown_latex::{Parser, Storage};

use super::escape::string;

/// The Typst math for `tex` (what goes between `$ … $`), or the parser's complaint.
pub fn typst_math(tex: &str) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<Event<'_>> = Parser::new(tex, &storage)
        .collect::<Result<_, _>>()
        .map_err(|error| error.to_string().lines().next().unwrap_or("").to_string())?;
    let mut reader = Reader {
        events: &events,
        at: 0,
    };
    let nodes = reader.sequence()?;
    let mut out = String::new();
    write_sequence(&nodes, Context::Top, &mut out);
    Ok(out.trim().to_string())
}

/// A formula as a tree: what Typst's syntax needs (arguments, not a stream).
#[derive(Debug, Clone)]
enum Node {
    /// Already written as Typst math: a character, an escape, a string.
    Atom(String),
    Group(Vec<Node>),
    Script {
        base: Box<Node>,
        sub: Option<Box<Node>>,
        sup: Option<Box<Node>>,
        limits: bool,
    },
    Fraction(Box<Node>, Box<Node>),
    Sqrt(Box<Node>),
    Root {
        index: Box<Node>,
        radicand: Box<Node>,
    },
    /// `\left( … \right)`.
    Fenced(Option<char>, Option<char>, Vec<Node>),
    /// A font or size for the rest of its group: `bold(…)`, `display(…)`.
    Styled(&'static str, Vec<Node>),
    /// Cells of a matrix, array or cases: rows of cells.
    Table {
        kind: TableKind,
        rows: Vec<Vec<Vec<Node>>>,
    },
    /// Lines of an `align` or `gather`: `&` marks stay in the lines.
    Lines(Vec<Vec<Node>>),
    Align,
    NewLine,
    Cancel(Box<Node>),
}

#[derive(Debug, Clone, Copy)]
enum TableKind {
    Matrix,
    Cases,
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Top,
    /// Inside a function's parentheses, where `,` and `;` separate arguments.
    Argument,
}

struct Reader<'e, 'a> {
    events: &'e [Event<'a>],
    at: usize,
}

impl Reader<'_, '_> {
    /// Elements until the end of the current group (or of the formula).
    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        while let Some(event) = self.events.get(self.at) {
            if matches!(event, Event::End) {
                self.at += 1;
                break;
            }
            if let Event::StateChange(change) = event {
                self.at += 1;
                let rest = self.sequence()?;
                match style_function(change) {
                    Some(function) => nodes.push(Node::Styled(function, rest)),
                    None => nodes.extend(rest),
                }
                // The group's end was taken by the inner sequence.
                return Ok(nodes);
            }
            nodes.push(self.element()?);
        }
        Ok(nodes)
    }

    /// One element: a content event, a group, a script with its parts, a visual with its parts.
    fn element(&mut self) -> Result<Node, String> {
        let event = self
            .events
            .get(self.at)
            .ok_or("a part of the formula is missing")?
            .clone();
        self.at += 1;
        Ok(match event {
            Event::Content(content) => Node::Atom(content_atom(&content)),
            Event::Begin(grouping) => self.group(grouping)?,
            Event::End => Node::Group(Vec::new()),
            Event::Visual(Visual::SquareRoot) => Node::Sqrt(Box::new(self.element()?)),
            Event::Visual(Visual::Root) => {
                let radicand = self.element()?;
                let index = self.element()?;
                Node::Root {
                    index: Box::new(index),
                    radicand: Box::new(radicand),
                }
            }
            Event::Visual(Visual::Fraction(_)) => {
                let numerator = self.element()?;
                let denominator = self.element()?;
                Node::Fraction(Box::new(numerator), Box::new(denominator))
            }
            Event::Visual(Visual::Negation) => Node::Cancel(Box::new(self.element()?)),
            Event::Script { ty, position } => {
                let base = Box::new(self.element()?);
                let (sub, sup) = match ty {
                    ScriptType::Subscript => (Some(Box::new(self.element()?)), None),
                    ScriptType::Superscript => (None, Some(Box::new(self.element()?))),
                    ScriptType::SubSuperscript => {
                        let sub = self.element()?;
                        (Some(Box::new(sub)), Some(Box::new(self.element()?)))
                    }
                };
                Node::Script {
                    base,
                    sub,
                    sup,
                    limits: matches!(position, ScriptPosition::AboveBelow),
                }
            }
            Event::Space { width, .. } => match width {
                Some(width) if width.value != 0.0 => {
                    let (value, unit) = match width.unit {
                        DimensionUnit::Mu => (width.value / 18.0, "em"),
                        DimensionUnit::Ex => (width.value / 2.0, "em"),
                        DimensionUnit::Em => (width.value, "em"),
                        DimensionUnit::Pt | DimensionUnit::Bp => (width.value, "pt"),
                        DimensionUnit::Mm => (width.value, "mm"),
                        DimensionUnit::Cm => (width.value, "cm"),
                        DimensionUnit::In => (width.value, "in"),
                        _ => (width.value, "pt"),
                    };
                    Node::Atom(format!("#h({value:.3}{unit})"))
                }
                _ => Node::Group(Vec::new()),
            },
            Event::StateChange(_) => Node::Group(Vec::new()),
            Event::EnvironmentFlow(EnvironmentFlow::Alignment) => Node::Align,
            Event::EnvironmentFlow(EnvironmentFlow::NewLine { .. }) => Node::NewLine,
            Event::EnvironmentFlow(EnvironmentFlow::StartLines { .. }) => Node::Group(Vec::new()),
        })
    }

    fn group(&mut self, grouping: Grouping) -> Result<Node, String> {
        let children = self.sequence()?;
        Ok(match grouping {
            Grouping::Normal => Node::Group(children),
            Grouping::LeftRight(open, close) => Node::Fenced(open, close, children),
            Grouping::Array(_) | Grouping::Matrix { .. } | Grouping::SubArray { .. } => {
                Node::Table {
                    kind: TableKind::Matrix,
                    rows: rows_and_cells(children),
                }
            }
            Grouping::Cases { .. } => Node::Table {
                kind: TableKind::Cases,
                rows: rows_and_cells(children)
                    .into_iter()
                    .map(|cells| vec![join_cells(cells)])
                    .collect(),
            },
            // `align`, `gather`, `split`…: lines, with their `&` kept for Typst's alignment.
            _ => Node::Lines(split_lines(children)),
        })
    }
}

fn split_lines(children: Vec<Node>) -> Vec<Vec<Node>> {
    let mut lines = vec![Vec::new()];
    for node in children {
        match node {
            Node::NewLine => lines.push(Vec::new()),
            other => lines.last_mut().map_or((), |line| line.push(other)),
        }
    }
    if lines.last().is_some_and(Vec::is_empty) && lines.len() > 1 {
        lines.pop();
    }
    lines
}

fn rows_and_cells(children: Vec<Node>) -> Vec<Vec<Vec<Node>>> {
    split_lines(children)
        .into_iter()
        .map(|line| {
            let mut cells = vec![Vec::new()];
            for node in line {
                match node {
                    Node::Align => cells.push(Vec::new()),
                    other => cells.last_mut().map_or((), |cell| cell.push(other)),
                }
            }
            cells
        })
        .collect()
}

/// A row of `cases`: value and condition, aligned at `&` as Typst's `cases` wants.
fn join_cells(cells: Vec<Vec<Node>>) -> Vec<Node> {
    let mut joined = Vec::new();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            joined.push(Node::Align);
        }
        joined.extend(cell);
    }
    joined
}

fn style_function(change: &StateChange) -> Option<&'static str> {
    match change {
        StateChange::Font(Some(font)) => Some(match font {
            Font::Bold | Font::BoldSymbol => "bold",
            Font::BoldItalic => "bold(italic",
            Font::Italic => "italic",
            Font::UpRight => "upright",
            Font::Script | Font::BoldScript => "cal",
            Font::Fraktur | Font::BoldFraktur => "frak",
            Font::Monospace => "mono",
            Font::SansSerif
            | Font::SansSerifItalic
            | Font::SansSerifBoldItalic
            | Font::BoldSansSerif => "sans",
            Font::DoubleStruck | Font::DoubleStruckItalic => "bb",
        }),
        StateChange::Font(None) => Some("upright"),
        StateChange::Style(Style::Display) => Some("display"),
        StateChange::Style(Style::Text) => Some("inline"),
        StateChange::Style(Style::Script) => Some("script"),
        StateChange::Style(Style::ScriptScript) => Some("sscript"),
        StateChange::Color(_) => None,
    }
}

fn content_atom(content: &Content<'_>) -> String {
    match content {
        Content::Text(text) => string(text),
        Content::Number(number) => number.chars().map(math_char).collect(),
        Content::Function(name) => format!("op({})", string(name)),
        Content::Ordinary { content, .. }
        | Content::LargeOp { content, .. }
        | Content::BinaryOp { content, .. } => math_char(*content),
        Content::Relation { content, .. } => {
            let mut buffer = [0u8; 8];
            let bytes = content.encode_utf8_to_buf(&mut buffer);
            String::from_utf8_lossy(bytes)
                .chars()
                .map(math_char)
                .collect()
        }
        Content::Delimiter { content, ty, .. } => {
            let written = math_char(*content);
            // A lone fence such as `|` sizes with its neighbours only inside `lr`.
            match ty {
                DelimiterType::Fence | DelimiterType::Open | DelimiterType::Close => written,
            }
        }
        Content::Punctuation(c) => math_char(*c),
    }
}

/// One character as Typst math: letters stand alone (a space after each, so `ab` is a times b and
/// not a name), digits as they are, every other ASCII character escaped.
fn math_char(c: char) -> String {
    if c.is_ascii_alphabetic() {
        format!("{c} ")
    } else if c.is_ascii_digit() {
        c.to_string()
    } else if c.is_ascii() {
        if c.is_ascii_whitespace() || c.is_ascii_control() {
            " ".to_string()
        } else {
            format!("\\{c}")
        }
    } else {
        // Typst reads any other character as that symbol; a space keeps it apart from letters.
        format!("{c} ")
    }
}

fn write_sequence(nodes: &[Node], context: Context, out: &mut String) {
    for node in nodes {
        write_node(node, context, out);
        out.push(' ');
    }
}

/// An element as one argument of a function: a group's parentheses are the function's.
fn write_argument(node: &Node, out: &mut String) {
    match node {
        Node::Group(children) => write_sequence(children, Context::Argument, out),
        other => write_node(other, Context::Argument, out),
    }
}

fn write_node(node: &Node, context: Context, out: &mut String) {
    match node {
        Node::Atom(text) => out.push_str(text),
        // A group is a unit in TeX; in Typst only a function's argument needs one, and there the
        // function's parentheses are it. An empty one (`{}^2`) is an empty string.
        Node::Group(children) if children.is_empty() => out.push_str("\"\""),
        Node::Group(children) => write_sequence(children, context, out),
        Node::Script {
            base,
            sub,
            sup,
            limits,
        } => {
            out.push_str("attach(");
            if *limits {
                out.push_str("limits(");
                write_argument(base, out);
                out.push(')');
            } else {
                write_argument(base, out);
            }
            if let Some(sub) = sub {
                out.push_str(", b: ");
                write_argument(sub, out);
            }
            if let Some(sup) = sup {
                out.push_str(", t: ");
                write_argument(sup, out);
            }
            out.push(')');
        }
        Node::Fraction(numerator, denominator) => {
            out.push_str("frac(");
            write_argument(numerator, out);
            out.push_str(", ");
            write_argument(denominator, out);
            out.push(')');
        }
        Node::Sqrt(radicand) => {
            out.push_str("sqrt(");
            write_argument(radicand, out);
            out.push(')');
        }
        Node::Root { index, radicand } => {
            out.push_str("root(");
            write_argument(index, out);
            out.push_str(", ");
            write_argument(radicand, out);
            out.push(')');
        }
        Node::Fenced(open, close, children) => {
            out.push_str("lr(");
            if let Some(open) = open {
                out.push_str(&math_char(*open));
                out.push(' ');
            }
            write_sequence(children, Context::Argument, out);
            if let Some(close) = close {
                out.push_str(&math_char(*close));
            }
            out.push(')');
        }
        Node::Styled(function, children) => {
            out.push_str(function);
            out.push('(');
            write_sequence(children, Context::Argument, out);
            out.push(')');
            if function.contains('(') {
                out.push(')');
            }
        }
        Node::Table { kind, rows } => {
            out.push_str(match kind {
                TableKind::Matrix => "mat(delim: #none, ",
                TableKind::Cases => "cases(",
            });
            for (r, row) in rows.iter().enumerate() {
                if r > 0 {
                    out.push_str(match kind {
                        TableKind::Matrix => "; ",
                        TableKind::Cases => ", ",
                    });
                }
                for (c, cell) in row.iter().enumerate() {
                    if c > 0 {
                        out.push_str(", ");
                    }
                    if cell.is_empty() {
                        out.push_str("\"\"");
                    }
                    write_sequence(cell, Context::Argument, out);
                }
            }
            out.push(')');
        }
        Node::Lines(lines) => {
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    out.push_str(" \\\n");
                }
                write_sequence(line, context, out);
            }
        }
        Node::Align => out.push('&'),
        Node::NewLine => out.push_str(" \\\n"),
        Node::Cancel(inner) => {
            out.push_str("cancel(");
            write_argument(inner, out);
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_fractions_and_roots_become_typst_calls() {
        let math = typst_math("x^2_{i} + \\frac{a}{b+c} - \\sqrt{y}").unwrap();
        assert!(math.contains("attach("), "{math}");
        assert!(math.contains("frac("), "{math}");
        assert!(math.contains("sqrt("), "{math}");
        // `+` is an escaped character, never Typst syntax; TeX's `-` is the minus sign.
        assert!(math.contains("\\+") && math.contains('−'), "{math}");
    }

    #[test]
    fn letters_are_kept_apart_and_text_is_a_string() {
        let math = typst_math("ab \\text{if \"x\"}").unwrap();
        assert!(math.starts_with("a  b "), "{math}");
        assert!(math.contains("\"if \\\"x\\\"\""), "{math}");
    }

    #[test]
    fn aligned_lines_keep_their_marks_and_breaks() {
        let math = typst_math("\\begin{align*} x &= 1 \\\\ y &= 2 \\end{align*}").unwrap();
        assert!(math.contains('&') && math.contains("\\\n"), "{math}");
    }

    #[test]
    fn what_cannot_be_read_is_an_error() {
        assert!(typst_math("\\frac{a").is_err());
    }
}
