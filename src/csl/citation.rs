//! The citation driver (CSL 1.0.2, "Citation"): the document's cites in order, their
//! positions (first, subsequent, ibid, near-note), citation numbers, disambiguation, sorting
//! within a citation, collapsing, and the layout around each citation.

use std::collections::HashMap;

use citationberg::ToFormatting;

use super::context::{CiteState, Ctx, Mode, Position, Prepared, StateKey};
use super::memo::{self, Key, Memo};
use super::output::{append, is_empty, plain, starts_with_term, with_affixes, Inline};
use super::reference::Reference;
use super::render::{apply_formatting, render_children};
use super::{collapse, disambiguate, rich, sort, text_case, CitationInput, CiteInput};

/// Everything decided about the document before any cite is printed.
pub struct Document<'a> {
    pub citations: &'a [CitationInput],
    pub references: &'a HashMap<&'a str, &'a Reference>,
    /// References in the bibliography's order.
    pub order: Vec<&'a Reference>,
    /// Per reference id: its citation number and disambiguation.
    pub states: HashMap<&'a str, CiteState>,
    /// Per citation, per cite: position, near-note and first note.
    pub positions: Vec<Vec<(Position, bool, Option<u32>)>>,
    /// Per cited reference id: a hash of its variables, for the memo's keys.
    pub reference_keys: HashMap<&'a str, Key>,
}

impl<'a> Document<'a> {
    pub fn new(
        style: &Prepared,
        references: &'a HashMap<&'a str, &'a Reference>,
        citations: &'a [CitationInput],
        uncited: &[String],
        memo: &mut Memo,
    ) -> Self {
        // Cited references in order of first citation, then the uncited ones.
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut cited: Vec<&'a Reference> = Vec::new();
        let ids = citations
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.id.as_str()))
            .chain(uncited.iter().map(String::as_str));
        for id in ids {
            if let Some(reference) = references.get(id) {
                if seen.insert(reference.id.as_str(), ()).is_none() {
                    cited.push(reference);
                }
            }
        }
        // The bibliography's order decides citation numbers, when it sorts.
        let mut states: HashMap<&str, CiteState> = cited
            .iter()
            .enumerate()
            .map(|(index, r)| {
                let state = CiteState {
                    citation_number: Some(index + 1),
                    ..CiteState::default()
                };
                (r.id.as_str(), state)
            })
            .collect();
        let reference_keys: HashMap<&str, Key> = cited
            .iter()
            .map(|r| (r.id.as_str(), memo::key_of(r)))
            .collect();
        let mut order = cited.clone();
        if let Some(sort) = style
            .csl
            .bibliography
            .as_ref()
            .and_then(|b| b.sort.as_ref())
        {
            let keys: Vec<Key> = order
                .iter()
                .map(|r| {
                    let id = r.id.as_str();
                    let state = StateKey(&states[id], style);
                    memo::key_of(("bibliography sort", reference_keys[id], state))
                })
                .collect();
            let values = memo.sort_keys.values(&keys, |i| {
                let reference = order[i];
                sort::keys(style, sort, reference, &states[reference.id.as_str()], true)
            });
            let mut keyed: Vec<(Vec<sort::KeyValue>, &Reference)> =
                values.into_iter().zip(order.iter().copied()).collect();
            keyed.sort_by(|a, b| sort::compare(sort, &a.0, &b.0));
            order = keyed.into_iter().map(|(_, r)| r).collect();
            for (index, reference) in order.iter().enumerate() {
                if let Some(state) = states.get_mut(reference.id.as_str()) {
                    state.citation_number = Some(index + 1);
                }
            }
        }
        let positions = positions(style, citations);
        let mut document = Self {
            citations,
            references,
            order,
            states,
            positions,
            reference_keys,
        };
        disambiguate::run(style, &mut document, memo);
        document
    }
}

/// Positions of every cite, in document order (CSL 1.0.2, "Position").
fn positions(
    style: &Prepared,
    citations: &[CitationInput],
) -> Vec<Vec<(Position, bool, Option<u32>)>> {
    let near_note_distance = style.csl.citation.near_note_distance;
    let mut first_note: HashMap<&str, u32> = HashMap::new();
    let mut last_note: HashMap<&str, u32> = HashMap::new();
    let mut previous_citation: Option<&CitationInput> = None;
    let mut out = Vec::new();
    for (index, citation) in citations.iter().enumerate() {
        let note = citation.note_number.unwrap_or(index as u32 + 1);
        let mut positions = Vec::new();
        for (item_index, item) in citation.items.iter().enumerate() {
            let id = item.id.as_str();
            let previous_cite: Option<&CiteInput> = if item_index > 0 {
                citation.items.get(item_index - 1)
            } else {
                previous_citation
                    .filter(|p| p.items.len() == 1)
                    .and_then(|p| p.items.first())
            };
            let position = if !first_note.contains_key(id) {
                Position::First
            } else {
                match previous_cite {
                    Some(previous) if previous.id == item.id => {
                        match (&previous.locator, &item.locator) {
                            (None, None) => Position::Ibid,
                            (Some(a), Some(b)) if a == b && previous.label == item.label => {
                                Position::Ibid
                            }
                            (_, Some(_)) => Position::IbidWithLocator,
                            (Some(_), None) => Position::Subsequent,
                        }
                    }
                    _ => Position::Subsequent,
                }
            };
            let near = last_note
                .get(id)
                .is_some_and(|&last| note.saturating_sub(last) <= near_note_distance);
            let first = first_note.get(id).copied();
            positions.push((position, near, first));
            first_note.entry(id).or_insert(note);
            last_note.insert(id, note);
        }
        out.push(positions);
        previous_citation = Some(citation);
    }
    out
}

/// One rendered cite, with what collapsing needs to know about it.
pub struct RenderedCite<'a> {
    /// Its place among the citation's items, as written (before any sorting).
    pub index: usize,
    pub input: &'a CiteInput,
    pub reference: &'a Reference,
    pub state: CiteState,
    pub output: Vec<Inline>,
    /// The plain text of its names, for grouping cites by author.
    pub names: Option<String>,
    pub sort_keys: Vec<sort::KeyValue>,
}

/// Renders one cite as the citation layout says, without its affixes.
pub fn render_cite(
    style: &Prepared,
    reference: &Reference,
    state: &CiteState,
    suppress_author: bool,
) -> (Vec<Inline>, Option<Vec<Inline>>) {
    let mut ctx = Ctx::new(style, reference, state, Mode::Citation);
    ctx.suppress_author = suppress_author;
    let out = render_children(&ctx, &style.csl.citation.layout.elements, "");
    let names = ctx.first_names.borrow().clone();
    (out, names)
}

pub fn format_citations(style: &Prepared, document: &Document) -> Vec<Vec<Inline>> {
    crate::parallel::map(document.citations.len(), |index| {
        format_citation(style, document, index)
    })
}

/// A hash of everything citation `index` is printed from: its cites as written, and each
/// cite's reference, state (number, year-suffix, added names) and position.
pub fn citation_key(style: &Prepared, document: &Document, index: usize) -> Key {
    let citation = &document.citations[index];
    let cites: Vec<_> = citation
        .items
        .iter()
        .map(|item| {
            let id = item.id.as_str();
            let state = document.states.get(id).map(|s| StateKey(s, style));
            (document.reference_keys.get(id), state)
        })
        .collect();
    memo::key_of((citation, cites, &document.positions[index]))
}

/// Citation `index` of the document, printed.
pub fn format_citation(style: &Prepared, document: &Document, index: usize) -> Vec<Inline> {
    let citation = &document.citations[index];
    let punct = style.punctuation_in_quote();
    let mut cites: Vec<RenderedCite> = Vec::new();
    // A narrative citation ("Doe (2020)") names the first item's authors in the text, and the
    // rest is that item's citation without them.
    let mut in_text: Option<Vec<Inline>> = None;
    for (item_index, item) in citation.items.iter().enumerate() {
        let Some(reference) = document.references.get(item.id.as_str()) else {
            continue;
        };
        let mut state = document
            .states
            .get(item.id.as_str())
            .cloned()
            .unwrap_or_default();
        let (position, near, first) = document.positions[index][item_index];
        state.position = position;
        state.near_note = near;
        state.first_note = first;
        state.locator = item.locator.clone();
        state.label = item.label;
        let narrative = citation.narrative && item_index == 0;
        let suppress_author = item.suppress_author || narrative;
        let (mut output, names) = render_cite(style, reference, &state, suppress_author);
        if narrative {
            let (_, names) = render_cite(style, reference, &state, false);
            in_text = names.filter(|names| !is_empty(names));
        }
        if item.author_only {
            output = names.clone().unwrap_or_default();
        }
        // A note that starts with a term ("ibid.") starts a sentence.
        let note_style = style.csl.settings.class == citationberg::StyleClass::Note;
        let starts_sentence = match item.prefix.as_deref().map(str::trim_end) {
            None | Some("") => item_index == 0,
            // A one-word prefix ("Cf.") is an abbreviation, not a sentence.
            Some(prefix) => {
                prefix.trim().contains(' ')
                    && prefix
                        .trim_end_matches(['\u{201d}', '\u{2019}', '"', '\''])
                        .ends_with(['.', '!', '?'])
            }
        };
        if note_style && starts_sentence && starts_with_term(&output) {
            text_case::apply(&mut output, citationberg::TextCase::CapitalizeFirst, true);
        }
        let sort_keys = match &style.csl.citation.sort {
            Some(sort) => sort::keys(style, sort, reference, &state, false),
            None => Vec::new(),
        };
        cites.push(RenderedCite {
            index: item_index,
            input: item,
            reference,
            state,
            output,
            names: names.map(|n| plain(&n)),
            sort_keys,
        });
    }
    if let Some(sort) = &style.csl.citation.sort {
        sort_between_affixes(&mut cites, |a, b| {
            sort::compare(sort, &a.sort_keys, &b.sort_keys)
        });
    }
    let layout = &style.csl.citation.layout;
    let delimiter = layout.delimiter.as_deref().unwrap_or("");
    let pieces = collapse::collapse(style, cites, delimiter);
    let mut body = Vec::new();
    for (piece, delimiter_before) in pieces {
        if !is_empty(&body) {
            if let Some(d) = delimiter_before {
                let delimiter = cite_delimiter(&body, &piece, &d);
                append(&mut body, delimiter, punct);
            }
        }
        append(&mut body, piece, punct);
    }
    if !is_empty(&body) {
        body = with_affixes(
            body,
            layout.prefix.as_deref(),
            layout.suffix.as_deref(),
            punct,
        );
        body = apply_formatting(body, &layout.to_formatting());
    }
    match in_text {
        // One cite, one mark: the names and the rest link to the same entry.
        Some(mut names) => {
            if !is_empty(&body) {
                names.push(Inline::text(" "));
                names.extend(body);
            }
            vec![Inline::Cite(0, names)]
        }
        None => body,
    }
}

/// Sorts the cites of a citation, but never across a cite with a prefix or suffix: "see Doe;
/// also Roe" keeps its words where the author put them. Each run of cites without affixes is
/// sorted on its own (as Pandoc's citeproc does).
fn sort_between_affixes(
    cites: &mut [RenderedCite],
    compare: impl Fn(&RenderedCite, &RenderedCite) -> std::cmp::Ordering,
) {
    let has_affix = |cite: &RenderedCite| {
        cite.input.prefix.as_deref().is_some_and(|p| !p.is_empty())
            || cite.input.suffix.as_deref().is_some_and(|s| !s.is_empty())
    };
    let mut start = 0;
    while start < cites.len() {
        let mut end = start + 1;
        if !has_affix(&cites[start]) {
            while end < cites.len() && !has_affix(&cites[end]) {
                end += 1;
            }
        }
        cites[start..end].sort_by(&compare);
        start = end;
    }
}

/// The delimiter between two cites, without its punctuation where a cite's own affix already
/// has some: "2000, and Jones" for a prefix ", and", "one source, Jones" for a suffix ending in a
/// comma.
fn cite_delimiter(before: &[Inline], next: &[Inline], delimiter: &str) -> Vec<Inline> {
    const MARKS: &[char] = &[',', ';', '.', ':'];
    if super::output::first_char(next).is_some_and(|c| MARKS.contains(&c)) {
        return Vec::new();
    }
    let previous = super::output::last_char(before);
    if previous == Some(',') && delimiter.starts_with(MARKS) {
        return vec![Inline::text(delimiter.trim_start_matches(MARKS))];
    }
    vec![Inline::text(delimiter)]
}

/// A cite's output with its own prefix and suffix, marked as cite `index`.
pub fn with_cite_affixes(
    style: &Prepared,
    cite: &RenderedCite,
    output: Vec<Inline>,
) -> Vec<Inline> {
    let punct = style.punctuation_in_quote();
    if is_empty(&output) {
        return output;
    }
    let mut out = Vec::new();
    if let Some(prefix) = cite.input.prefix.as_deref().filter(|p| !p.is_empty()) {
        out.extend(rich::parse(prefix));
    }
    append(&mut out, vec![Inline::Cite(cite.index, output)], punct);
    if let Some(suffix) = cite.input.suffix.as_deref().filter(|s| !s.is_empty()) {
        append(&mut out, rich::parse(suffix), punct);
    }
    out
}
