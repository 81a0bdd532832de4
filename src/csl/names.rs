//! Names (CSL 1.0.2, "Names"): name lists with et-al abbreviation, the name-part order of
//! display and sort forms, initials, particles, labels, `cs:substitute`, and the given-name and
//! added-name expansions disambiguation asks for.

use citationberg::taxonomy::{NameVariable, OtherTerm, Term, Variable};
use citationberg::{
    DelimiterBehavior, DemoteNonDroppingParticle, LayoutRenderingElement, Name as NameElement,
    NameAnd, NameForm, NameLabelPosition, NameOptions, Names, TermForm,
};
use citationberg::{ToAffixes, ToFormatting};

use super::context::{Ctx, Mode, NamesSubstitute, Position};
use super::name_parts::render_name;
use super::output::{is_empty, join, plain, with_affixes, Inline};
use super::reference::Name;
use super::render::{apply_formatting, finish, render};
use super::{numbers, rich};

pub fn render_names(ctx: &Ctx, names: &Names) -> Vec<Inline> {
    let out = render_names_inner(ctx, names);
    if !ctx.names_seen.get() && !is_empty(&out) {
        ctx.names_seen.set(true);
        *ctx.first_names.borrow_mut() = Some(out.clone());
        if ctx.suppress_author {
            return Vec::new();
        }
        match &ctx.names_substitute {
            Some(NamesSubstitute::Whole(text)) => return substitute_text(text),
            // Text in place of names (a title, by `cs:substitute`) counts as one name.
            Some(NamesSubstitute::Each { text, count })
                if *count > 0 && ctx.first_name_texts.borrow().is_none() =>
            {
                return substitute_text(text)
            }
            _ => {}
        }
    }
    out
}

fn substitute_text(text: &str) -> Vec<Inline> {
    if text.is_empty() {
        Vec::new()
    } else {
        rich::parse(text)
    }
}

fn render_names_inner(ctx: &Ctx, names: &Names) -> Vec<Inline> {
    let default_name = NameElement::default();
    let name_element = names.name().unwrap_or(&default_name);
    let inherited = ctx.name_options().apply(&names.options());
    let options = name_element.options(&inherited);

    let mut lists: Vec<(NameVariable, &[Name])> = Vec::new();
    for variable in &names.variable {
        if ctx.is_suppressed(Variable::Name(*variable)) {
            continue;
        }
        if let Some(list) = ctx.reference.names(*variable).filter(|l| !l.is_empty()) {
            lists.push((*variable, list));
        }
    }
    // An editor who is also the translator is named once, as "editor & translator".
    let editor_translator = {
        let editor = lists.iter().position(|(v, _)| *v == NameVariable::Editor);
        let translator = lists
            .iter()
            .position(|(v, _)| *v == NameVariable::Translator);
        match (editor, translator) {
            (Some(e), Some(t))
                if lists[e].1 == lists[t].1
                    && ctx
                        .style
                        .locales
                        .term(
                            Term::NameVariable(NameVariable::EditorTranslator),
                            TermForm::Long,
                            false,
                        )
                        .is_some_and(|t| !t.is_empty()) =>
            {
                lists.remove(t);
                true
            }
            _ => false,
        }
    };

    if lists.is_empty() {
        for variable in &names.variable {
            ctx.note_variable(Variable::Name(*variable), false);
        }
        return substitute(ctx, names);
    }
    for (variable, _) in &lists {
        ctx.note_variable(Variable::Name(*variable), true);
    }

    if options.form == NameForm::Count {
        let count: usize = lists
            .iter()
            .map(|(_, list)| shown_count(ctx, &options, list.len()))
            .sum();
        if count == 0 {
            return Vec::new();
        }
        return vec![Inline::text(count.to_string())];
    }

    let pieces: Vec<Vec<Inline>> = lists
        .iter()
        .map(|(variable, list)| {
            let mut rendered = render_list(ctx, names, name_element, &options, list);
            if let Some((label, position)) = names.label() {
                let term = if editor_translator && *variable == NameVariable::Editor {
                    Term::NameVariable(NameVariable::EditorTranslator)
                } else {
                    Term::NameVariable(*variable)
                };
                let plural = match label.plural {
                    citationberg::LabelPluralize::Always => true,
                    citationberg::LabelPluralize::Never => false,
                    citationberg::LabelPluralize::Contextual => list.len() > 1,
                };
                let label = numbers::label_term(ctx, term, label.form, plural, label);
                rendered = match position {
                    NameLabelPosition::BeforeName => {
                        let mut out = label;
                        out.extend(rendered);
                        out
                    }
                    NameLabelPosition::AfterName => {
                        rendered.extend(label);
                        rendered
                    }
                };
            }
            rendered
        })
        .collect();
    let delimiter = inherited.names_delimiter.clone().unwrap_or_default();
    let body = join(pieces, &delimiter, ctx.punctuation_in_quote());
    finish(
        ctx,
        body,
        &names.to_formatting(),
        &names.to_affixes(),
        names.display,
        false,
    )
}

/// `cs:substitute`: the first child that prints stands in for the names; what it printed is
/// suppressed in the rest of the cite.
fn substitute(ctx: &Ctx, names: &Names) -> Vec<Inline> {
    let Some(substitute) = names.substitute() else {
        return Vec::new();
    };
    for child in &substitute.children {
        let before = ctx.printed_variables.borrow().len();
        let (called, printed) = (ctx.called.get(), ctx.printed.get());
        let outer = ctx.in_substitute.replace(true);
        let out = match child {
            LayoutRenderingElement::Names(inner) => {
                let merged = names.from_names_substitute(inner);
                render_names_inner(ctx, &merged)
            }
            other => render(ctx, other),
        };
        ctx.in_substitute.set(outer);
        if !is_empty(&out) {
            let used: Vec<Variable> = ctx.printed_variables.borrow()[before..].to_vec();
            for variable in used {
                ctx.suppress(variable);
            }
            // The substitute counts as the names variable that printed.
            ctx.called.set(called + 1);
            ctx.printed.set(printed + 1);
            return finish(
                ctx,
                out,
                &citationberg::Formatting::default(),
                &Default::default(),
                None,
                false,
            );
        }
        ctx.called.set(called);
        ctx.printed.set(printed);
    }
    Vec::new()
}

/// How many names of a list of `total` print.
fn shown_count(ctx: &Ctx, options: &NameOptions, total: usize) -> usize {
    let (min, first) = et_al_limits(ctx, options);
    let shown = match (min, first) {
        (Some(min), Some(first)) if total >= min as usize => (first as usize).min(total),
        _ => total,
    };
    (shown + ctx.cite.extra_names).min(total)
}

fn et_al_limits(ctx: &Ctx, options: &NameOptions) -> (Option<u32>, Option<u32>) {
    if ctx.mode == Mode::Sort {
        let overrides = ctx.sort_overrides;
        if overrides.names_min.is_some() || overrides.names_use_first.is_some() {
            return (
                overrides.names_min.or(options.et_al_min),
                overrides.names_use_first.or(options.et_al_use_first),
            );
        }
    }
    let subsequent = !ctx.in_bibliography && ctx.cite.position != Position::First;
    if subsequent && options.et_al_subsequent_min.is_some() {
        return (
            options.et_al_subsequent_min,
            options
                .et_al_subsequent_use_first
                .or(options.et_al_use_first),
        );
    }
    if subsequent && options.et_al_subsequent_use_first.is_some() {
        return (options.et_al_min, options.et_al_subsequent_use_first);
    }
    (options.et_al_min, options.et_al_use_first)
}

fn render_list(
    ctx: &Ctx,
    names: &Names,
    element: &NameElement,
    options: &NameOptions,
    list: &[Name],
) -> Vec<Inline> {
    // A final "others" (BibTeX's `and others`) means the list goes on: et al.
    let open_ended = list.len() > 1
        && list
            .last()
            .is_some_and(|n| n.literal.as_deref() == Some("others") && n.family.is_none());
    let list = if open_ended {
        &list[..list.len() - 1]
    } else {
        list
    };
    let shown = shown_count(ctx, options, list.len());
    let truncated = shown < list.len() || open_ended;
    let use_last = if ctx.mode == Mode::Sort {
        ctx.sort_overrides
            .names_use_last
            .unwrap_or(options.et_al_use_last)
    } else {
        options.et_al_use_last
    };
    // "et-al-use-last" needs at least two names left out to be worth it.
    let use_last = use_last && truncated && list.len() >= shown + 2;
    let punct = ctx.punctuation_in_quote();

    let mut rendered: Vec<(Vec<Inline>, bool)> = list[..shown]
        .iter()
        .enumerate()
        .map(|(index, name)| render_name(ctx, element, options, name, index))
        .collect();
    if shown == 0 {
        return Vec::new();
    }
    // The entry's first name list: its names, for the next entry to compare with, and those
    // that repeat the entry before's given way to subsequent-author-substitute (only kept for
    // a style that substitutes).
    let substitutes = ctx
        .style
        .csl
        .bibliography
        .as_ref()
        .is_some_and(|b| b.subsequent_author_substitute.is_some());
    if ctx.mode == Mode::Bibliography
        && substitutes
        && !ctx.names_seen.get()
        && ctx.first_name_texts.borrow().is_none()
    {
        *ctx.first_name_texts.borrow_mut() =
            Some(rendered.iter().map(|(name, _)| plain(name)).collect());
        if let Some(NamesSubstitute::Each { text, count }) = &ctx.names_substitute {
            for (name, _) in rendered.iter_mut().take(*count) {
                *name = substitute_text(text);
            }
        }
    }
    let and_term = match options.and {
        Some(NameAnd::Text) => ctx
            .style
            .locales
            .other(OtherTerm::And, TermForm::Long)
            .map(str::to_string),
        Some(NameAnd::Symbol) => Some("&".to_string()),
        None => None,
    };
    let mut out: Vec<Inline> = Vec::new();
    for (index, (name, _)) in rendered.iter().enumerate() {
        if index > 0 {
            let last = index + 1 == rendered.len() && !truncated;
            let previous_inverted = rendered[index - 1].1;
            let separator = match (&and_term, last) {
                (Some(and), true) if ctx.mode != Mode::Sort => {
                    let comma = match options.delimiter_precedes_last {
                        DelimiterBehavior::Contextual => rendered.len() >= 3,
                        DelimiterBehavior::AfterInvertedName => previous_inverted,
                        DelimiterBehavior::Always => true,
                        DelimiterBehavior::Never => false,
                    };
                    if comma {
                        format!("{}{and} ", options.delimiter)
                    } else {
                        format!(" {and} ")
                    }
                }
                _ => options.delimiter.to_string(),
            };
            out.push(Inline::text(separator));
        }
        out.extend(name.iter().cloned());
    }
    if truncated && ctx.mode == Mode::Sort && use_last {
        let last = render_name(ctx, element, options, &list[list.len() - 1], list.len() - 1);
        out.push(Inline::text(options.delimiter.to_string()));
        out.extend(last.0);
    }
    if truncated && ctx.mode != Mode::Sort {
        if use_last {
            let last = render_name(ctx, element, options, &list[list.len() - 1], list.len() - 1);
            out.push(Inline::text(format!("{}\u{2026} ", options.delimiter)));
            out.extend(last.0);
        } else if let Some(et_al) = et_al_term(ctx, names) {
            let previous_inverted = rendered.last().is_some_and(|r| r.1);
            let comma = match options.delimiter_precedes_et_al {
                DelimiterBehavior::Contextual => shown >= 2,
                DelimiterBehavior::AfterInvertedName => previous_inverted,
                DelimiterBehavior::Always => true,
                DelimiterBehavior::Never => false,
            };
            let separator = if comma {
                options.delimiter.to_string()
            } else {
                " ".to_string()
            };
            out.push(Inline::text(separator));
            out.extend(et_al);
        }
    }
    let formatted = apply_formatting(out, &element.formatting);
    with_affixes(
        formatted,
        element.affixes.prefix.as_deref(),
        element.affixes.suffix.as_deref(),
        punct,
    )
}

fn et_al_term(ctx: &Ctx, names: &Names) -> Option<Vec<Inline>> {
    let (term, formatting) = match names.et_al() {
        Some(et_al) => (Term::from(et_al.term), et_al.formatting),
        None => (Term::Other(OtherTerm::EtAl), Default::default()),
    };
    let text = ctx.style.locales.term(term, TermForm::Long, false)?;
    if text.is_empty() {
        return None;
    }
    Some(apply_formatting(rich::parse(text), &formatting))
}

/// Given names as initials ("John Paul" → "J. P."), as the style's `initialize-with` says.
/// A single letter is an initial, a word written with a full stop ("Ph.", "Ts.") an
/// abbreviation kept whole; other words become initials only with `initialize="true"`.
pub fn initials(given: &str, initialize_with: Option<&str>, initialize: bool, ctx: &Ctx) -> String {
    let Some(with) = initialize_with else {
        return given.to_string();
    };
    let hyphen = ctx.style.csl.settings.initialize_with_hyphen;
    let mut out = String::new();
    let mut after_word = false;
    for word in given.split_whitespace() {
        for (part_index, part) in word.split('-').filter(|p| !p.is_empty()).enumerate() {
            let mut tokens: Vec<(&str, bool)> = Vec::new();
            let mut rest = part;
            while !rest.is_empty() {
                match rest.find('.') {
                    Some(at) => {
                        if at > 0 {
                            tokens.push((&rest[..at], true));
                        }
                        rest = &rest[at + 1..];
                    }
                    None => {
                        tokens.push((rest, false));
                        rest = "";
                    }
                }
            }
            for (token_index, (token, had_period)) in tokens.into_iter().enumerate() {
                let upper = token.chars().next().is_some_and(char::is_uppercase);
                let single = token.chars().count() == 1;
                let joined_by_hyphen = part_index > 0 && token_index == 0;
                if joined_by_hyphen && !upper && initialize {
                    // "G-ping" initialises to "G".
                    continue;
                }
                let as_is = (single && upper) || had_period;
                if !(as_is || initialize && upper) {
                    // A full word, kept: a space before it unless a hyphen joins it.
                    if joined_by_hyphen {
                        out.truncate(out.trim_end().len());
                        out.push('-');
                    } else if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                    out.push_str(token);
                    after_word = true;
                    continue;
                }
                let letters: String = if as_is {
                    token.to_string()
                } else {
                    first_letters(token)
                };
                if joined_by_hyphen {
                    out.truncate(out.trim_end().len());
                    if hyphen {
                        out.push('-');
                    }
                } else if after_word {
                    out.push(' ');
                }
                out.push_str(&letters);
                out.push_str(with);
                after_word = false;
            }
        }
    }
    out.trim_end().to_string()
}

/// Words joined by spaces, except after a particle ending in an apostrophe or hyphen.
fn join_words(words: &[Option<&str>]) -> String {
    let mut out = String::new();
    for word in words.iter().flatten().filter(|w| !w.is_empty()) {
        if !out.is_empty() && !out.ends_with(['\'', '\u{2019}', '-']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A word's initial; "TSerendorjiin" keeps its digraph: "Ts".
fn first_letters(word: &str) -> String {
    let chars: Vec<char> = word.chars().take(3).collect();
    match chars.as_slice() {
        [a, b, c] if a.is_uppercase() && b.is_uppercase() && c.is_lowercase() => {
            format!("{a}{}", b.to_lowercase())
        }
        _ => chars.iter().take(1).collect(),
    }
}

/// The name as a sort key: family name (particles as the style demotes them), then given.
pub fn sort_key(ctx: &Ctx, name: &Name) -> String {
    if let Some(literal) = &name.literal {
        return plain(&rich::parse(literal));
    }
    let demote = ctx.style.csl.settings.demote_non_dropping_particle;
    let family = name.family.clone().unwrap_or_default();
    let family = match demote {
        DemoteNonDroppingParticle::Never => match &name.non_dropping_particle {
            Some(particle) if name.particle_space => format!("{particle} {family}"),
            particle => join_words(&[particle.as_deref(), Some(&family)]),
        },
        _ => family,
    };
    let mut key = vec![family];
    if demote != DemoteNonDroppingParticle::Never {
        if let Some(particle) = &name.non_dropping_particle {
            key.push(particle.clone());
        }
    }
    if let Some(particle) = &name.dropping_particle {
        key.push(particle.clone());
    }
    if let Some(given) = &name.given {
        key.push(given.clone());
    }
    if let Some(suffix) = &name.suffix {
        key.push(suffix.clone());
    }
    plain(&rich::parse(&key.join(" ")))
}

pub(super) fn is_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
    })
}
