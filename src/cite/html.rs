//! Writes hayagriva's formatted output as HTML that we control: every text escaped (hayagriva's
//! own HTML writer does not escape), only safe URLs linked, and hooks to link each cited item to
//! its reference entry and to print organisations by their short name in the text.

use hayagriva::citationberg::taxonomy::NameVariable;
use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign};
use hayagriva::types::Person;
use hayagriva::{ElemChild, ElemChildren, ElemMeta, Formatting};

use crate::html::{escape, is_web_url, safe_url};

/// How one cited item of a citation is linked and decorated.
pub struct ItemDecoration<'a> {
    /// The entry's anchor; none when the brief turns `link-citations` off.
    pub href: Option<String>,
    pub prefix: &'a str,
    pub suffix: &'a str,
    /// `[-@key]`: the author asked for the year alone, so a bare year is not a collapsed one.
    pub suppress_author: bool,
}

/// Options for one piece of output.
#[derive(Default)]
pub struct HtmlOptions<'a> {
    /// In citations: the cited items in request order, to wrap each in a link.
    pub items: &'a [ItemDecoration<'a>],
    /// Print a person's `alias` (the short name the author cites an organisation by) instead of
    /// the name: "USGS" in the text, "U.S. Geological Survey (USGS)" in the list.
    pub use_aliases: bool,
    /// Turn URLs in the output into links (the reference list does; citations never contain any).
    pub link_urls: bool,
}

pub fn write_html(children: &ElemChildren, options: &HtmlOptions<'_>) -> String {
    let mut out = String::new();
    let mut names = Vec::new();
    write_children(&mut out, children, options, &mut names);
    out
}

/// A citation: like [`write_html`], and when the style collapses a second year of the same author
/// ("USGS, 2024, 2025") the delimiter before it is CSL's default cite-group delimiter ", ".
/// hayagriva uses the layout delimiter there ("USGS, 2024; 2025") when the style sets none, as
/// APA's does not.
pub fn write_citation_html(children: &ElemChildren, options: &HtmlOptions<'_>) -> String {
    let mut out = String::new();
    let mut names = Vec::new();
    for (i, child) in children.0.iter().enumerate() {
        let next_is_collapsed_year = matches!(
            children.0.get(i + 1),
            Some(ElemChild::Elem(next)) if matches!(next.meta, Some(ElemMeta::Entry(index))
                if !options.items.get(index).is_some_and(|item| item.suppress_author || !item.prefix.is_empty()))
                && is_year_only(&next.children)
        );
        match child {
            ElemChild::Text(text) if next_is_collapsed_year && text.text.trim() == ";" => {
                out.push_str(", ")
            }
            _ => write_child(&mut out, child, options, &mut names),
        }
    }
    out
}

/// Whether a collapsed item shows only its year ("2025", "2025b"): its text starts with a digit,
/// which a name does not.
fn is_year_only(children: &ElemChildren) -> bool {
    write_plain(children)
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit())
}

fn write_children(
    out: &mut String,
    children: &ElemChildren,
    options: &HtmlOptions<'_>,
    names: &mut Vec<(Vec<Person>, NameVariable)>,
) {
    for child in &children.0 {
        write_child(out, child, options, names);
    }
}

fn write_child(
    out: &mut String,
    child: &ElemChild,
    options: &HtmlOptions<'_>,
    names: &mut Vec<(Vec<Person>, NameVariable)>,
) {
    match child {
        ElemChild::Text(text) => write_formatted(out, &text.text, text.formatting),
        ElemChild::Markup(markup) => out.push_str(&escape(markup)),
        ElemChild::Link { text, url } => {
            match safe_url(url).filter(|url| options.link_urls && is_web_url(url)) {
                Some(url) => {
                    out.push_str(&format!("<a href=\"{}\">", escape(url)));
                    write_formatted(out, &text.text, text.formatting);
                    out.push_str("</a>");
                }
                None => write_formatted(out, &text.text, text.formatting),
            }
        }
        ElemChild::Transparent { .. } => {}
        ElemChild::Elem(elem) => match &elem.meta {
            Some(ElemMeta::Entry(index)) => match options.items.get(*index) {
                Some(item) => {
                    if !item.prefix.is_empty() {
                        out.push_str(&escape(item.prefix));
                        out.push(' ');
                    }
                    match &item.href {
                        Some(href) => {
                            out.push_str(&format!("<a href=\"{}\">", escape(href)));
                            write_children(out, &elem.children, options, names);
                            out.push_str("</a>");
                        }
                        None => write_children(out, &elem.children, options, names),
                    }
                    if !item.suffix.is_empty() {
                        out.push(' ');
                        out.push_str(&escape(item.suffix));
                    }
                }
                None => write_children(out, &elem.children, options, names),
            },
            Some(ElemMeta::Names(list)) => {
                names.extend(list.iter().cloned());
                write_children(out, &elem.children, options, names);
                names.truncate(names.len() - list.len());
            }
            Some(ElemMeta::Name(variable, index)) if options.use_aliases => {
                match alias_of(names, *variable, *index) {
                    Some(alias) => out.push_str(&escape(alias)),
                    None => write_children(out, &elem.children, options, names),
                }
            }
            _ => write_children(out, &elem.children, options, names),
        },
    }
}

fn alias_of(
    names: &[(Vec<Person>, NameVariable)],
    variable: NameVariable,
    index: usize,
) -> Option<&str> {
    names
        .iter()
        .rev()
        .find(|(_, v)| *v == variable)
        .and_then(|(persons, _)| persons.get(index))
        .and_then(|person| person.alias.as_deref())
}

fn write_formatted(out: &mut String, text: &str, formatting: Formatting) {
    let mut close = Vec::new();
    let mut open = |tag: &'static str, end: &'static str| {
        out.push_str(tag);
        close.push(end);
    };
    if formatting.font_style == FontStyle::Italic {
        open("<i>", "</i>");
    }
    match formatting.font_weight {
        FontWeight::Bold => open("<b>", "</b>"),
        FontWeight::Light | FontWeight::Normal => {}
    }
    if formatting.font_variant == FontVariant::SmallCaps {
        open("<span class=\"sc\">", "</span>");
    }
    if formatting.text_decoration == TextDecoration::Underline {
        open("<u>", "</u>");
    }
    match formatting.vertical_align {
        VerticalAlign::Sup => open("<sup>", "</sup>"),
        VerticalAlign::Sub => open("<sub>", "</sub>"),
        VerticalAlign::None | VerticalAlign::Baseline => {}
    }
    out.push_str(&escape(text));
    for end in close.into_iter().rev() {
        out.push_str(end);
    }
}

/// The plain text of formatted output (for tooltips and the like).
pub fn write_plain(children: &ElemChildren) -> String {
    let mut out = String::new();
    for child in &children.0 {
        // `{:#}` is hayagriva's plain-text form; its plain `{}` adds terminal colour codes.
        out.push_str(&format!("{child:#}"));
    }
    out
}

/// Mends two slips of hayagriva's output that CSL processors are meant to avoid: a date with only
/// a year leaves "(2025,)", and a title ending in "?" or "!" gets the style's period after it
/// ("elements?."). Closing tags between the two marks are kept.
pub fn tidy_punctuation(html: &str) -> String {
    let html = html.replace(",)", ")");
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find(['?', '!']) {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let mut tags = 0;
        while rest[tags..].starts_with("</") {
            match rest[tags..].find('>') {
                Some(end) => tags += end + 1,
                None => break,
            }
        }
        if rest[tags..].starts_with('.') {
            out.push_str(&rest[..tags]);
            rest = &rest[tags + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::tidy_punctuation;

    #[test]
    fn mends_year_only_dates_and_doubled_punctuation() {
        assert_eq!(
            tidy_punctuation("Econofact. (2025,). <i>Can we?</i>. x"),
            "Econofact. (2025). <i>Can we?</i> x"
        );
        assert_eq!(
            tidy_punctuation("Wow!. Fine. Why? Yes."),
            "Wow! Fine. Why? Yes."
        );
    }
}
