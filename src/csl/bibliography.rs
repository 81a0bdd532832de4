//! The bibliography driver (CSL 1.0.2, "Bibliography"): every entry in the document's order,
//! with its citation number and year-suffix, subsequent-author-substitute, and the two columns
//! of `second-field-align`.

use citationberg::ToFormatting;
use citationberg::{Display, SubsequentAuthorSubstituteRule};

use super::citation::Document;
use super::context::{CiteState, Ctx, Mode, NamesSubstitute, Prepared, StateKey};
use super::memo::{self, Key, Memo};
use super::output::{append, is_empty, plain, trim_end, with_affixes, Inline};
use super::reference::Reference;
use super::render::{apply_formatting, render};
use super::BibEntry;

/// One entry of the bibliography, decided but not yet printed.
pub struct EntryPlan<'a> {
    pub reference: &'a Reference,
    state: CiteState,
    /// Its names that give way to `subsequent-author-substitute` (they repeat the entry
    /// before's).
    substitute: Option<NamesSubstitute>,
    /// A hash of everything the entry is printed from, for the memo.
    pub key: Key,
    /// The entry's fields, when planning rendered them (to learn its names) and they stand.
    rendered: Option<Vec<Vec<Inline>>>,
}

/// The bibliography in the document's order, with each entry's citation number, year-suffix
/// and substitution decided. Only the names of entries the memo does not know are rendered.
pub fn plan_bibliography<'a>(
    style: &Prepared,
    document: &Document<'a>,
    memo: &mut Memo,
) -> Vec<EntryPlan<'a>> {
    let Some(bibliography) = &style.csl.bibliography else {
        return Vec::new();
    };
    let states: Vec<CiteState> = document
        .order
        .iter()
        .map(|reference| {
            let decided = document.states.get(reference.id.as_str());
            CiteState {
                citation_number: decided.and_then(|s| s.citation_number),
                year_suffix: decided.and_then(|s| s.year_suffix),
                disambiguate: decided.is_some_and(|s| s.disambiguate),
                ..CiteState::default()
            }
        })
        .collect();
    let keys: Vec<Key> = document
        .order
        .iter()
        .zip(&states)
        .map(|(reference, state)| {
            let reference = document.reference_keys.get(reference.id.as_str());
            memo::key_of(("entry", reference, StateKey(state, style)))
        })
        .collect();
    let plan = |index: usize, substitute: Option<NamesSubstitute>, rendered| EntryPlan {
        reference: document.order[index],
        state: states[index].clone(),
        key: memo::key_of((keys[index], &substitute)),
        substitute,
        rendered,
    };
    let Some(text) = bibliography.subsequent_author_substitute.clone() else {
        return (0..keys.len()).map(|i| plan(i, None, None)).collect();
    };
    let rule = bibliography.subsequent_author_substitute_rule;
    let named = memo.entry_names.values_with(&keys, |i| {
        let (pieces, names) = render_pieces(style, document.order[i], &states[i], None);
        (names, pieces)
    });
    let mut previous = EntryNames::default();
    let mut plans = Vec::with_capacity(named.len());
    for (index, (names, rendered)) in named.into_iter().enumerate() {
        let substitute = substitution(rule, &text, &names, &previous);
        let rendered = if substitute.is_some() { None } else { rendered };
        plans.push(plan(index, substitute, rendered));
        previous = names;
    }
    plans
}

/// The names an entry starts with: as printed, and one by one when they are a name list.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct EntryNames {
    whole: Option<String>,
    each: Option<Vec<String>>,
}

/// What of an entry's names repeats the entry before's, by the style's rule (CSL 1.0.2,
/// `subsequent-author-substitute-rule`).
fn substitution(
    rule: SubsequentAuthorSubstituteRule,
    text: &str,
    names: &EntryNames,
    previous: &EntryNames,
) -> Option<NamesSubstitute> {
    let whole_same = names.whole.is_some() && names.whole == previous.whole;
    let each = |count: usize| {
        (count > 0).then(|| NamesSubstitute::Each {
            text: text.to_string(),
            count,
        })
    };
    // Text in place of names (a title, by `cs:substitute`) is one name for the partial rules.
    let leading = match (&names.each, &previous.each) {
        (Some(these), Some(those)) => these.iter().zip(those).take_while(|(a, b)| a == b).count(),
        (None, None) => usize::from(whole_same),
        _ => 0,
    };
    match rule {
        SubsequentAuthorSubstituteRule::CompleteAll => {
            whole_same.then(|| NamesSubstitute::Whole(text.to_string()))
        }
        SubsequentAuthorSubstituteRule::CompleteEach => whole_same
            .then(|| each(names.each.as_ref().map_or(1, Vec::len)))
            .flatten(),
        SubsequentAuthorSubstituteRule::PartialEach => each(leading),
        SubsequentAuthorSubstituteRule::PartialFirst => each(leading.min(1)),
    }
}

/// The entry as printed; `None` when it prints nothing.
pub fn finish_entry(style: &Prepared, plan: &EntryPlan) -> Option<Vec<Inline>> {
    let bibliography = style.csl.bibliography.as_ref()?;
    let layout = &bibliography.layout;
    let punct = style.punctuation_in_quote();
    let mut pieces = match &plan.rendered {
        Some(pieces) => pieces.clone(),
        None => render_pieces(style, plan.reference, &plan.state, plan.substitute.clone()).0,
    };
    if bibliography.second_field_align.is_some() {
        // The layout's suffix belongs to the text beside the margin.
        if let Some(suffix) = layout.suffix.as_deref() {
            if let Some(last) = pieces.iter_mut().rev().find(|p| !is_empty(p)) {
                append(last, vec![Inline::text(suffix)], punct);
            }
        }
        // The text beside the margin ends where its last field does (citeproc-js).
        let mut content = second_field_align(pieces, punct);
        trim_end(&mut content);
        return Some(apply_formatting(content, &layout.to_formatting()));
    }
    let mut body = Vec::new();
    for piece in pieces {
        append(&mut body, piece, punct);
    }
    if is_empty(&body) {
        return None;
    }
    let content = apply_formatting(body, &layout.to_formatting());
    Some(with_affixes(
        content,
        layout.prefix.as_deref(),
        layout.suffix.as_deref(),
        punct,
    ))
}

/// Every entry, printed on every core.
pub fn format_bibliography(
    style: &Prepared,
    document: &Document,
    memo: &mut Memo,
) -> Vec<BibEntry> {
    let plans = plan_bibliography(style, document, memo);
    crate::parallel::map(plans.len(), |i| finish_entry(style, &plans[i]))
        .into_iter()
        .zip(&plans)
        .filter_map(|(content, plan)| {
            Some(BibEntry {
                id: plan.reference.id.clone(),
                content: content?,
            })
        })
        .collect()
}

/// The layout's fields for one entry, and the names it starts with.
fn render_pieces(
    style: &Prepared,
    reference: &Reference,
    state: &CiteState,
    substitute: Option<NamesSubstitute>,
) -> (Vec<Vec<Inline>>, EntryNames) {
    let Some(bibliography) = &style.csl.bibliography else {
        return (Vec::new(), EntryNames::default());
    };
    let mut ctx = Ctx::new(style, reference, state, Mode::Bibliography);
    ctx.names_substitute = substitute;
    let pieces: Vec<Vec<Inline>> = bibliography
        .layout
        .elements
        .iter()
        .map(|element| render(&ctx, element))
        .collect();
    let names = EntryNames {
        whole: ctx.first_names.borrow().as_ref().map(|n| plain(n)),
        each: ctx.first_name_texts.borrow_mut().take(),
    };
    (pieces, names)
}

/// The first printed field in the left margin, the rest beside it.
fn second_field_align(pieces: Vec<Vec<Inline>>, punct: bool) -> Vec<Inline> {
    let mut pieces = pieces.into_iter().filter(|p| !is_empty(p));
    let Some(first) = pieces.next() else {
        return Vec::new();
    };
    let mut rest = Vec::new();
    for piece in pieces {
        append(&mut rest, piece, punct);
    }
    let mut out = vec![Inline::Display(Display::LeftMargin, first)];
    if !is_empty(&rest) {
        out.push(Inline::Display(Display::RightInline, rest));
    }
    out
}
