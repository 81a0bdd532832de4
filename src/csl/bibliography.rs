//! The bibliography driver (CSL 1.0.2, "Bibliography"): every entry in the document's order,
//! with its citation number and year-suffix, subsequent-author-substitute, and the two columns
//! of `second-field-align`.

use citationberg::ToFormatting;
use citationberg::{Display, SubsequentAuthorSubstituteRule};

use super::citation::Document;
use super::context::{CiteState, Ctx, Mode, Prepared, StateKey};
use super::memo::{self, Key, Memo};
use super::output::{append, is_empty, plain, trim_end, with_affixes, Inline};
use super::reference::Reference;
use super::render::{apply_formatting, render};
use super::BibEntry;

/// One entry of the bibliography, decided but not yet printed.
pub struct EntryPlan<'a> {
    pub reference: &'a Reference,
    state: CiteState,
    /// Its names give way to `subsequent-author-substitute` (the same as the entry before).
    substitute: bool,
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
    let substitutes = bibliography.subsequent_author_substitute.is_some()
        && matches!(
            bibliography.subsequent_author_substitute_rule,
            SubsequentAuthorSubstituteRule::CompleteAll
                | SubsequentAuthorSubstituteRule::CompleteEach
        );
    let plan = |index: usize, substitute: bool, rendered| EntryPlan {
        reference: document.order[index],
        state: states[index].clone(),
        substitute,
        key: memo::key_of((keys[index], substitute)),
        rendered,
    };
    if !substitutes {
        return (0..keys.len()).map(|i| plan(i, false, None)).collect();
    }
    let named = memo.entry_names.values_with(&keys, |i| {
        let (pieces, names) = render_pieces(style, document.order[i], &states[i], None);
        (names, pieces)
    });
    let mut previous_names: Option<String> = None;
    let mut plans = Vec::with_capacity(named.len());
    for (index, (names, rendered)) in named.into_iter().enumerate() {
        let same = names.is_some() && names == previous_names;
        plans.push(plan(index, same, if same { None } else { rendered }));
        previous_names = names;
    }
    plans
}

/// The entry as printed; `None` when it prints nothing.
pub fn finish_entry(style: &Prepared, plan: &EntryPlan) -> Option<Vec<Inline>> {
    let bibliography = style.csl.bibliography.as_ref()?;
    let layout = &bibliography.layout;
    let punct = style.punctuation_in_quote();
    let mut pieces = match &plan.rendered {
        Some(pieces) => pieces.clone(),
        None => {
            let substitute = bibliography
                .subsequent_author_substitute
                .clone()
                .filter(|_| plan.substitute);
            render_pieces(style, plan.reference, &plan.state, substitute).0
        }
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
    substitute: Option<String>,
) -> (Vec<Vec<Inline>>, Option<String>) {
    let Some(bibliography) = &style.csl.bibliography else {
        return (Vec::new(), None);
    };
    let mut ctx = Ctx::new(style, reference, state, Mode::Bibliography);
    ctx.names_substitute = substitute;
    let pieces: Vec<Vec<Inline>> = bibliography
        .layout
        .elements
        .iter()
        .map(|element| render(&ctx, element))
        .collect();
    let names = ctx.first_names.borrow().as_ref().map(|n| plain(n));
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
