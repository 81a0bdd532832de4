//! Rendering elements (CSL 1.0.2, "Rendering Elements" and "Formatting"): `cs:text`,
//! `cs:group` with its suppression rule, `cs:choose`, macros, and the formatting, affixes,
//! quotes, text case and display every element shares. Names, dates, numbers and labels have
//! their own files.

use citationberg::taxonomy::{NumberVariable, StandardVariable, Variable};
use citationberg::{
    Affixes, Display, FontStyle, FontVariant, FontWeight, Formatting, Group,
    LayoutRenderingElement, LongShortForm, Text, TextCase, TextDecoration, TextTarget,
    VerticalAlign,
};

use super::context::Ctx;
use super::output::{is_empty, join, with_affixes, Format, Inline};
use super::reference::Value;
use super::{conditions, dates, names, numbers, rich, text_case};

/// Renders a list of elements, each element's output in turn, joined by `delimiter`.
pub fn render_children(
    ctx: &Ctx,
    elements: &[LayoutRenderingElement],
    delimiter: &str,
) -> Vec<Inline> {
    let mut pieces = Vec::new();
    collect_pieces(ctx, elements, &mut pieces);
    join(pieces, delimiter, ctx.punctuation_in_quote())
}

/// Each element's output; a `cs:choose` contributes its branch's elements one by one, so the
/// enclosing group's delimiter falls between them, as citeproc-js does.
fn collect_pieces(ctx: &Ctx, elements: &[LayoutRenderingElement], pieces: &mut Vec<Vec<Inline>>) {
    for element in elements {
        match element {
            LayoutRenderingElement::Choose(choose) => {
                if let Some(children) = conditions::branch(ctx, choose) {
                    collect_pieces(ctx, children, pieces);
                }
            }
            other => pieces.push(render(ctx, other)),
        }
    }
}

pub fn render(ctx: &Ctx, element: &LayoutRenderingElement) -> Vec<Inline> {
    match element {
        LayoutRenderingElement::Text(text) => render_text(ctx, text),
        LayoutRenderingElement::Group(group) => render_group(ctx, group),
        LayoutRenderingElement::Choose(choose) => match conditions::branch(ctx, choose) {
            Some(children) => render_children(ctx, children, ""),
            None => Vec::new(),
        },
        LayoutRenderingElement::Number(number) => numbers::render_number(ctx, number),
        LayoutRenderingElement::Label(label) => numbers::render_label(ctx, label),
        LayoutRenderingElement::Date(date) => dates::render_date(ctx, date),
        LayoutRenderingElement::Names(element) => names::render_names(ctx, element),
    }
}

/// A group prints only if it calls no variable, or at least one of its variables printed.
fn render_group(ctx: &Ctx, group: &Group) -> Vec<Inline> {
    let (called, printed) = (ctx.called.get(), ctx.printed.get());
    let body = render_children(
        ctx,
        &group.children,
        group.delimiter.as_deref().unwrap_or(""),
    );
    let called_here = ctx.called.get() - called;
    let printed_here = ctx.printed.get() - printed;
    // The group counts, for an enclosing group, as one variable that printed or not; a group
    // that prints anything counts as printed, as a macro does.
    let suppressed = called_here > 0 && printed_here == 0;
    let prints = !suppressed && !is_empty(&body);
    ctx.called
        .set(called + u32::from(called_here > 0 || prints));
    ctx.printed.set(printed + u32::from(prints));
    if suppressed {
        return Vec::new();
    }
    if is_empty(&body) {
        return body;
    }
    let formatting = Formatting {
        font_style: group.font_style,
        font_variant: group.font_variant,
        font_weight: group.font_weight,
        text_decoration: group.text_decoration,
        vertical_align: group.vertical_align,
    };
    let affixes = Affixes {
        prefix: group.prefix.clone(),
        suffix: group.suffix.clone(),
    };
    finish(ctx, body, &formatting, &affixes, group.display, false)
}

fn render_text(ctx: &Ctx, text: &Text) -> Vec<Inline> {
    let mut body = match &text.target {
        TextTarget::Variable { var, form } => {
            let body = variable_text(ctx, *var, *form);
            // year-suffix is the processor's, not the item's: a group does not vanish for
            // lack of it (APA's "(n.d.-a)").
            if *var != Variable::Standard(StandardVariable::YearSuffix) || !is_empty(&body) {
                ctx.note_variable(*var, !is_empty(&body));
            }
            body
        }
        TextTarget::Macro { name } => match ctx.style.macro_named(name) {
            Some(found) => render_macro(ctx, &found.children),
            None => Vec::new(),
        },
        TextTarget::Term { term, form, plural } => ctx
            .style
            .locales
            .term(*term, *form, *plural)
            .filter(|t| !t.is_empty())
            .map(|t| vec![Inline::Term(rich::parse(t))])
            .unwrap_or_default(),
        TextTarget::Value { val } => rich::parse(val),
    };
    if is_empty(&body) {
        return Vec::new();
    }
    if let Some(case) = text.text_case {
        case_for_item(ctx, &mut body, case);
    }
    if text.strip_periods {
        text_case::strip_periods(&mut body);
    }
    finish(
        ctx,
        body,
        &text.formatting,
        &text.affixes,
        text.display,
        text.quotes,
    )
}

/// A macro behaves as a group of its own (suppressed when it calls variables and none prints),
/// and counts, for the group around it, as one variable that printed when it prints anything.
fn render_macro(ctx: &Ctx, children: &[LayoutRenderingElement]) -> Vec<Inline> {
    let (called, printed) = (ctx.called.get(), ctx.printed.get());
    let body = render_children(ctx, children, "");
    let called_here = ctx.called.get() - called;
    let printed_here = ctx.printed.get() - printed;
    let suppressed = called_here > 0 && printed_here == 0;
    let body = if suppressed { Vec::new() } else { body };
    let prints = !is_empty(&body);
    ctx.called
        .set(called + u32::from(called_here > 0 || prints));
    ctx.printed.set(printed + u32::from(prints));
    body
}

/// Applies a text case, title case only where the item is in English.
pub fn case_for_item(ctx: &Ctx, body: &mut [Inline], case: TextCase) {
    let language = ctx
        .reference
        .text(Variable::Standard(StandardVariable::Language));
    // Turkish and Azerbaijani pair i with İ and ı with I.
    if language.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l == "tr" || l == "az" || l.starts_with("tr-") || l.starts_with("az-")
    }) && text_case::apply_turkic(body, case)
    {
        return;
    }
    let english = match language {
        Some(language) => {
            let language = language.to_ascii_lowercase();
            language.is_empty() || language.starts_with("en")
        }
        None => ctx.style.locales.is_english(),
    };
    text_case::apply(body, case, english);
}

/// The printed value of a text variable.
fn variable_text(ctx: &Ctx, variable: Variable, form: LongShortForm) -> Vec<Inline> {
    if ctx.is_suppressed(variable) {
        return Vec::new();
    }
    match variable {
        Variable::Number(NumberVariable::Locator) => {
            return match ctx.cite.locator.as_deref() {
                Some(locator) => numbers::locator_text(ctx, locator),
                None => Vec::new(),
            };
        }
        Variable::Number(
            NumberVariable::CitationNumber
            | NumberVariable::FirstReferenceNoteNumber
            | NumberVariable::PageFirst,
        ) => {
            return numbers::number_value(ctx, variable)
                .map(|value| rich::parse(&value))
                .unwrap_or_default();
        }
        Variable::Standard(StandardVariable::YearSuffix) => {
            ctx.year_suffix_done.set(true);
            return ctx
                .cite
                .year_suffix
                .map(|n| vec![Inline::text(year_suffix_letters(n))])
                .unwrap_or_default();
        }
        Variable::Standard(StandardVariable::CitationLabel) => {
            let mut label = ctx
                .reference
                .text(variable)
                .map(str::to_string)
                .unwrap_or_else(|| trigraph(ctx.reference));
            if !ctx.style.explicit_year_suffix && !ctx.year_suffix_done.get() {
                if let Some(suffix) = ctx.cite.year_suffix {
                    ctx.year_suffix_done.set(true);
                    label.push_str(&year_suffix_letters(suffix));
                }
            }
            return rich::parse(&label);
        }
        Variable::Page(_) => {
            return match ctx.reference.text(variable) {
                Some(page) => numbers::page_text(ctx, page),
                None => Vec::new(),
            };
        }
        _ => {}
    }
    let short = |long: StandardVariable| -> Option<StandardVariable> {
        match long {
            StandardVariable::Title => Some(StandardVariable::TitleShort),
            StandardVariable::ContainerTitle => Some(StandardVariable::ContainerTitleShort),
            _ => None,
        }
    };
    let value = match (variable, form) {
        (Variable::Standard(long), LongShortForm::Short) => short(long)
            .and_then(|s| ctx.reference.text(Variable::Standard(s)))
            .or_else(|| ctx.reference.text(variable)),
        _ => ctx.reference.text(variable),
    };
    match value {
        // A numeric range in a number variable gets its dash, as `cs:number` gives it.
        // Number variables are plain text (a reader's case protection aside).
        Some(text) if matches!(variable, Variable::Number(_)) => {
            let text = numbers::without_case_protection(text);
            if numbers::is_numeric(&text) {
                vec![Inline::text(text.replace('-', "\u{2013}"))]
            } else {
                vec![Inline::text(text)]
            }
        }
        Some(text) if !text.is_empty() => {
            let mut nodes = rich::parse(text);
            if matches!(
                variable,
                Variable::Standard(StandardVariable::URL | StandardVariable::DOI)
            ) {
                nodes = vec![Inline::Link(link_target(variable, text), nodes)];
            }
            nodes
        }
        _ => match ctx.reference.get(variable) {
            // A number variable read as a date or names prints nothing as text.
            Some(Value::Text(_)) | None => Vec::new(),
            Some(_) => Vec::new(),
        },
    }
}

fn link_target(variable: Variable, text: &str) -> String {
    match variable {
        Variable::Standard(StandardVariable::DOI) if !text.starts_with("http") => {
            format!("https://doi.org/{text}")
        }
        _ => text.to_string(),
    }
}

/// citeproc-js's default citation label, "Aaaa00:AaAa00:AAAA00": four letters of one author's
/// family name, two of each of two or three, one of each of the first four; then the year's
/// last two digits.
pub(super) fn trigraph(reference: &super::reference::Reference) -> String {
    use citationberg::taxonomy::{DateVariable, NameVariable};
    let names = [
        NameVariable::Author,
        NameVariable::Editor,
        NameVariable::Translator,
    ]
    .into_iter()
    .find_map(|v| reference.names(v))
    .unwrap_or(&[]);
    let families: Vec<String> = names
        .iter()
        .filter_map(|n| n.family.clone().or_else(|| n.literal.clone()))
        .map(|f| f.chars().filter(|c| c.is_alphanumeric()).collect())
        .collect();
    let take = match families.len() {
        0 => 0,
        1 => 4,
        2 | 3 => 2,
        _ => 1,
    };
    let mut label: String = families
        .iter()
        .take(4)
        .map(|f| f.chars().take(take).collect::<String>())
        .collect();
    if label.is_empty() {
        label = reference
            .text(Variable::Standard(StandardVariable::Title))
            .map(|t| t.chars().filter(|c| c.is_alphanumeric()).take(4).collect())
            .unwrap_or_default();
    }
    if let Some(year) = reference
        .date(DateVariable::Issued)
        .and_then(|d| d.parts.first())
        .map(|p| p.year)
        .filter(|&y| y != 0)
    {
        label.push_str(&format!("{:02}", year.rem_euclid(100)));
    }
    label
}

/// 1 → "a", 26 → "z", 27 → "aa".
pub fn year_suffix_letters(mut n: usize) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Formatting, quotes, affixes and display, in the order CSL applies them: quotes inside the
/// formatting, affixes outside both, display around everything.
pub fn finish(
    ctx: &Ctx,
    body: Vec<Inline>,
    formatting: &Formatting,
    affixes: &Affixes,
    display: Option<Display>,
    quotes: bool,
) -> Vec<Inline> {
    if is_empty(&body) {
        return Vec::new();
    }
    let mut body = body;
    if quotes {
        body = vec![Inline::Quoted(body)];
    }
    body = apply_formatting(body, formatting);
    body = with_affixes(
        body,
        affixes.prefix.as_deref(),
        affixes.suffix.as_deref(),
        ctx.punctuation_in_quote(),
    );
    match display {
        Some(display) => vec![Inline::Display(display, body)],
        None => body,
    }
}

pub fn apply_formatting(mut body: Vec<Inline>, formatting: &Formatting) -> Vec<Inline> {
    let wrap = |format: Format, body: Vec<Inline>| vec![Inline::Format(format, body)];
    if let Some(style) = formatting.font_style {
        body = wrap(
            match style {
                FontStyle::Italic => Format::Italic,
                FontStyle::Normal => Format::NormalStyle,
            },
            body,
        );
    }
    if let Some(variant) = formatting.font_variant {
        body = wrap(
            match variant {
                FontVariant::SmallCaps => Format::SmallCaps,
                FontVariant::Normal => Format::NormalVariant,
            },
            body,
        );
    }
    if let Some(weight) = formatting.font_weight {
        body = wrap(
            match weight {
                FontWeight::Bold => Format::Bold,
                FontWeight::Light => Format::Light,
                FontWeight::Normal => Format::NormalWeight,
            },
            body,
        );
    }
    if let Some(decoration) = formatting.text_decoration {
        body = wrap(
            match decoration {
                TextDecoration::Underline => Format::Underline,
                TextDecoration::None => Format::NoUnderline,
            },
            body,
        );
    }
    match formatting.vertical_align {
        Some(VerticalAlign::Sup) => body = wrap(Format::Superscript, body),
        Some(VerticalAlign::Sub) => body = wrap(Format::Subscript, body),
        Some(VerticalAlign::Baseline) => body = wrap(Format::Baseline, body),
        _ => {}
    }
    body
}
