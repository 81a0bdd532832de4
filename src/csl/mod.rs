//! brief's CSL 1.0.2 processor: styles and locales parsed by `citationberg`, references in the
//! CSL-JSON shape of [`reference`], and one file per part of the specification:
//!
//! - rendering elements and formatting: [`render`], choose: [`conditions`]
//! - names: [`names`]; dates: [`dates`]; numbers, labels and page ranges: [`numbers`]
//! - text case: [`text_case`]; localisation: [`locale`]
//! - sorting: [`sort`]; disambiguation: [`disambiguate`]; grouping and collapsing: [`collapse`]
//! - the citation and bibliography drivers: [`citation`], [`bibliography`]
//!
//! [`Engine::process`] formats a whole document at once: positions, disambiguation and
//! citation numbers depend on every citation. [`Engine::prepare`] and the calls after it do the
//! same in steps, keeping work between runs in a [`Memo`] so that an edit re-formats only what
//! it changes.

pub mod bibliography;
pub mod citation;
mod collapse;
mod conditions;
pub mod context;
mod dates;
mod disambiguate;
pub mod json;
pub mod locale;
pub mod memo;
mod name_parts;
mod names;
mod numbers;
pub mod output;
pub mod reference;
mod render;
pub mod rich;
mod sort;
pub mod suite_html;
mod text_case;

use std::collections::HashMap;

use citationberg::taxonomy::Locator;
use citationberg::{IndependentStyle, Locale};

pub use bibliography::EntryPlan;
pub use citation::Document;
use context::Prepared;
pub use memo::{Key, Memo};
use output::Inline;
use reference::Reference;

/// A style prepared for formatting, in one language.
#[derive(Debug)]
pub struct Engine {
    style: Prepared,
}

/// One citation of the document: one or more cites, in one place (a note, for note styles).
#[derive(Debug, Clone, Default, Hash)]
pub struct CitationInput {
    pub items: Vec<CiteInput>,
    /// The note the citation sits in, for note styles (`near-note`, `first-reference-note-number`).
    pub note_number: Option<u32>,
    /// Written in the text's flow ("Doe (2020) shows"): the first item's names, then the rest
    /// of the citation without them, as Pandoc's citeproc prints `@doe`.
    pub narrative: bool,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct CiteInput {
    pub id: String,
    pub locator: Option<String>,
    pub label: Option<Locator>,
    /// Rich text printed before and after the cite.
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub suppress_author: bool,
    pub author_only: bool,
}

/// The formatted document: each citation, and the bibliography in its order.
#[derive(Debug, Clone, Default)]
pub struct Processed {
    pub citations: Vec<Vec<Inline>>,
    pub bibliography: Vec<BibEntry>,
}

#[derive(Debug, Clone)]
pub struct BibEntry {
    pub id: String,
    pub content: Vec<Inline>,
}

impl Engine {
    /// Prepares `style` in `lang` (else the style's default locale, else en-US); `locales` are
    /// the locale files to draw terms from.
    pub fn new(style: IndependentStyle, locales: &[Locale], lang: Option<&str>) -> Self {
        Self {
            style: Prepared::new(style, locales, lang),
        }
    }

    pub fn style(&self) -> &IndependentStyle {
        &self.style.csl
    }

    /// The quotation marks of the style's locale.
    pub fn quote_marks(&self) -> suite_html::QuoteMarks {
        use citationberg::taxonomy::OtherTerm;
        use citationberg::TermForm;
        let term = |t: OtherTerm, fallback: &str| {
            self.style
                .locales
                .other(t, TermForm::Long)
                .unwrap_or(fallback)
                .to_string()
        };
        suite_html::QuoteMarks {
            open: term(OtherTerm::OpenQuote, "\u{201c}"),
            close: term(OtherTerm::CloseQuote, "\u{201d}"),
            open_inner: term(OtherTerm::OpenInnerQuote, "\u{2018}"),
            close_inner: term(OtherTerm::CloseInnerQuote, "\u{2019}"),
        }
    }

    /// Formats `citations` and the bibliography of every cited reference plus `uncited`.
    pub fn process(
        &self,
        references: &[Reference],
        citations: &[CitationInput],
        uncited: &[String],
    ) -> Processed {
        let by_id: HashMap<&str, &Reference> =
            references.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut memo = Memo::default();
        let document = self.prepare(&by_id, citations, uncited, &mut memo);
        let formatted = citation::format_citations(&self.style, &document);
        let bibliography = bibliography::format_bibliography(&self.style, &document, &mut memo);
        Processed {
            citations: formatted,
            bibliography,
        }
    }

    /// Decides the document (positions, citation numbers, the bibliography's order,
    /// disambiguation) before anything is printed, with what `memo` kept from the last run.
    pub fn prepare<'a>(
        &self,
        references: &'a HashMap<&'a str, &'a Reference>,
        citations: &'a [CitationInput],
        uncited: &[String],
        memo: &mut Memo,
    ) -> Document<'a> {
        citation::Document::new(&self.style, references, citations, uncited, memo)
    }

    /// A hash of everything citation `index` is printed from, for the memo.
    pub fn citation_key(&self, document: &Document, index: usize) -> Key {
        citation::citation_key(&self.style, document, index)
    }

    /// Citation `index` of `document`, printed.
    pub fn format_citation(&self, document: &Document, index: usize) -> Vec<Inline> {
        citation::format_citation(&self.style, document, index)
    }

    /// The bibliography's entries in order, decided but not printed.
    pub fn plan_bibliography<'a>(
        &self,
        document: &Document<'a>,
        memo: &mut Memo,
    ) -> Vec<EntryPlan<'a>> {
        bibliography::plan_bibliography(&self.style, document, memo)
    }

    /// One planned entry, printed; `None` when it prints nothing.
    pub fn finish_entry(&self, plan: &EntryPlan) -> Option<Vec<Inline>> {
        bibliography::finish_entry(&self.style, plan)
    }
}
