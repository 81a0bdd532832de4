//! The bibliography driver (CSL 1.0.2, "Bibliography"): every entry in the document's order,
//! with its citation number and year-suffix, subsequent-author-substitute, and the two columns
//! of `second-field-align`.

use citationberg::ToFormatting;
use citationberg::{Display, SubsequentAuthorSubstituteRule};

use super::citation::Document;
use super::context::{CiteState, Ctx, Mode, Prepared};
use super::output::{append, is_empty, plain, trim_end, with_affixes, Inline};
use super::render::{apply_formatting, render};
use super::BibEntry;

pub fn format_bibliography(style: &Prepared, document: &Document) -> Vec<BibEntry> {
    let Some(bibliography) = &style.csl.bibliography else {
        return Vec::new();
    };
    let layout = &bibliography.layout;
    let punct = style.punctuation_in_quote();
    let mut entries = Vec::new();
    let mut previous_names: Option<String> = None;
    for reference in &document.order {
        let decided = document.states.get(reference.id.as_str());
        let state = CiteState {
            citation_number: decided.and_then(|s| s.citation_number),
            year_suffix: decided.and_then(|s| s.year_suffix),
            disambiguate: decided.is_some_and(|s| s.disambiguate),
            ..CiteState::default()
        };
        let render_entry = |substitute: Option<String>| {
            let mut ctx = Ctx::new(style, reference, &state, Mode::Bibliography);
            ctx.names_substitute = substitute;
            let pieces: Vec<Vec<Inline>> = layout
                .elements
                .iter()
                .map(|element| render(&ctx, element))
                .collect();
            let names = ctx.first_names.borrow().as_ref().map(|n| plain(n));
            (pieces, names)
        };
        let (mut pieces, names) = render_entry(None);
        if let Some(substitute) = &bibliography.subsequent_author_substitute {
            let same = names.is_some() && names == previous_names;
            let rule = bibliography.subsequent_author_substitute_rule;
            if same
                && matches!(
                    rule,
                    SubsequentAuthorSubstituteRule::CompleteAll
                        | SubsequentAuthorSubstituteRule::CompleteEach
                )
            {
                pieces = render_entry(Some(substitute.clone())).0;
            }
            previous_names = names;
        }
        let content = if bibliography.second_field_align.is_some() {
            // The layout's suffix belongs to the text beside the margin.
            if let Some(suffix) = layout.suffix.as_deref() {
                if let Some(last) = pieces.iter_mut().rev().find(|p| !is_empty(p)) {
                    append(last, vec![Inline::text(suffix)], punct);
                }
            }
            // The text beside the margin ends where its last field does (citeproc-js).
            let mut content = second_field_align(pieces, punct);
            trim_end(&mut content);
            entries.push(BibEntry {
                id: reference.id.clone(),
                content: apply_formatting(content, &layout.to_formatting()),
            });
            continue;
        } else {
            let mut body = Vec::new();
            for piece in pieces {
                append(&mut body, piece, punct);
            }
            body
        };
        if is_empty(&content) {
            continue;
        }
        let content = apply_formatting(content, &layout.to_formatting());
        let content = with_affixes(
            content,
            layout.prefix.as_deref(),
            layout.suffix.as_deref(),
            punct,
        );
        entries.push(BibEntry {
            id: reference.id.clone(),
            content,
        });
    }
    entries
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
