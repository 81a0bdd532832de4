//! What rendering one cite or entry needs to know: the prepared style, the reference, the
//! cite's position and disambiguation state, and the bookkeeping CSL's rules need while a layout
//! is walked (which variables were substituted, whether a group's variables printed).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use citationberg::taxonomy::{Locator, Variable};
use citationberg::{CslMacro, IndependentStyle, InheritableNameOptions, Locale};

use super::locale::Locales;
use super::reference::Reference;

/// A style ready to render: macros indexed, locales chained, name options inherited.
#[derive(Debug)]
pub struct Prepared {
    pub csl: IndependentStyle,
    macros: HashMap<String, usize>,
    pub locales: Locales,
    pub citation_names: InheritableNameOptions,
    pub bibliography_names: InheritableNameOptions,
    /// Whether the style prints `year-suffix` itself; if not, the suffix follows the first year.
    pub explicit_year_suffix: bool,
    /// Whether the citation layout tests `position` (ibid, subsequent…).
    pub uses_position: bool,
    /// Whether the citation layout tests `disambiguate="true"`.
    pub uses_disambiguate_condition: bool,
    /// Whether anything prints, tests, sorts or collapses by `citation-number`. When nothing
    /// does, a cite's number is left out of the memo's keys: a new entry early in the list
    /// moves every number after it, and changes nothing else.
    pub uses_citation_number: bool,
}

impl Prepared {
    pub fn new(csl: IndependentStyle, locale_files: &[Locale], lang: Option<&str>) -> Self {
        let macros = csl
            .macros
            .iter()
            .enumerate()
            .map(|(index, m)| (m.name.clone(), index))
            .collect();
        let locales = Locales::new(&csl, locale_files, lang);
        let citation_names = csl.settings.options.apply(&csl.citation.name_options);
        let bibliography_names = match &csl.bibliography {
            Some(bibliography) => csl.settings.options.apply(&bibliography.name_options),
            None => csl.settings.options.clone(),
        };
        let debug = format!("{:?}{:?}", csl.macros, csl.citation.layout);
        let explicit_year_suffix =
            format!("{debug}{:?}", csl.bibliography).contains("var: Standard(YearSuffix)");
        // citationberg has no visitor; its Debug output names every attribute a layout uses.
        let uses_position = debug.contains("position: Some(");
        let uses_disambiguate_condition = debug.contains("disambiguate: Some(true)");
        let uses_citation_number =
            format!("{:?}{:?}{:?}", csl.macros, csl.citation, csl.bibliography)
                .contains("CitationNumber");
        Self {
            csl,
            macros,
            locales,
            citation_names,
            bibliography_names,
            explicit_year_suffix,
            uses_position,
            uses_disambiguate_condition,
            uses_citation_number,
        }
    }

    pub fn macro_named(&self, name: &str) -> Option<&CslMacro> {
        self.macros.get(name).map(|&index| &self.csl.macros[index])
    }

    pub fn punctuation_in_quote(&self) -> bool {
        self.locales.punctuation_in_quote
    }
}

/// Where a cite stands relative to earlier cites of the same reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Position {
    #[default]
    First,
    Subsequent,
    Ibid,
    IbidWithLocator,
}

/// One cite (or one bibliography entry) to render, with everything decided about it.
#[derive(Debug, Clone, Default)]
pub struct CiteState {
    pub locator: Option<String>,
    pub label: Option<Locator>,
    pub position: Position,
    pub near_note: bool,
    pub citation_number: Option<usize>,
    pub first_note: Option<u32>,
    /// 1 for "a", 2 for "b"…
    pub year_suffix: Option<usize>,
    /// `disambiguate="true"` tests pass.
    pub disambiguate: bool,
    /// Names shown beyond et-al-use-first (disambiguate-add-names).
    pub extra_names: usize,
    /// Per name (by position in a names list): 0 as styled, 1 with initials, 2 in full.
    pub given_levels: Vec<u8>,
}

/// A cite's state as the memo's keys see it: without its citation number when the style never
/// uses one.
pub struct StateKey<'a>(pub &'a CiteState, pub &'a Prepared);

impl std::hash::Hash for StateKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, hasher: &mut H) {
        let CiteState {
            locator,
            label,
            position,
            near_note,
            citation_number,
            first_note,
            year_suffix,
            disambiguate,
            extra_names,
            given_levels,
        } = self.0;
        locator.hash(hasher);
        label.hash(hasher);
        position.hash(hasher);
        near_note.hash(hasher);
        citation_number
            .filter(|_| self.1.uses_citation_number)
            .hash(hasher);
        first_note.hash(hasher);
        year_suffix.hash(hasher);
        disambiguate.hash(hasher);
        extra_names.hash(hasher);
        given_levels.hash(hasher);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Citation,
    Bibliography,
    /// Rendering a macro as a sort key: names inverted, dates and numbers sortable.
    Sort,
}

/// Options a sort key may set on the names it renders.
#[derive(Debug, Clone, Copy, Default)]
pub struct SortNameOverrides {
    pub names_min: Option<u32>,
    pub names_use_first: Option<u32>,
    pub names_use_last: Option<bool>,
}

pub struct Ctx<'a> {
    pub style: &'a Prepared,
    pub reference: &'a Reference,
    pub cite: &'a CiteState,
    pub mode: Mode,
    /// For the bibliography's sort keys: names are sorted under bibliography options.
    pub in_bibliography: bool,
    pub sort_overrides: SortNameOverrides,
    /// Variables a `cs:substitute` already printed: they print nowhere else in this cite.
    suppressed: RefCell<Vec<Variable>>,
    /// Variables called, and those that printed something, for group suppression.
    pub called: Cell<u32>,
    pub printed: Cell<u32>,
    pub year_suffix_done: Cell<bool>,
    /// Set while rendering a cite whose author is suppressed (`-@key`).
    pub suppress_author: bool,
    /// Every variable that printed, in order (for `cs:substitute`).
    pub printed_variables: RefCell<Vec<Variable>>,
    /// The first names element's output (for subsequent-author-substitute and author-only).
    pub first_names: RefCell<Option<Vec<super::output::Inline>>>,
    /// Whether a names element has rendered yet in this cite.
    pub names_seen: Cell<bool>,
    /// subsequent-author-substitute: what the first names element prints instead.
    pub names_substitute: Option<NamesSubstitute>,
    /// Each name the first name list printed, as plain text (which names repeat).
    pub first_name_texts: RefCell<Option<Vec<String>>>,
    /// Inside a `cs:substitute`: a variable that prints is suppressed at once.
    pub in_substitute: Cell<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        style: &'a Prepared,
        reference: &'a Reference,
        cite: &'a CiteState,
        mode: Mode,
    ) -> Self {
        Self {
            style,
            reference,
            cite,
            mode,
            in_bibliography: mode == Mode::Bibliography,
            sort_overrides: SortNameOverrides::default(),
            suppressed: RefCell::new(Vec::new()),
            called: Cell::new(0),
            printed: Cell::new(0),
            year_suffix_done: Cell::new(false),
            suppress_author: false,
            printed_variables: RefCell::new(Vec::new()),
            first_names: RefCell::new(None),
            names_seen: Cell::new(false),
            names_substitute: None,
            first_name_texts: RefCell::new(None),
            in_substitute: Cell::new(false),
        }
    }

    pub fn is_suppressed(&self, variable: Variable) -> bool {
        self.suppressed.borrow().contains(&variable)
    }

    pub fn suppress(&self, variable: Variable) {
        self.suppressed.borrow_mut().push(variable);
    }

    /// Records that a variable was called, and whether it printed.
    pub fn note_variable(&self, variable: Variable, printed: bool) {
        self.called.set(self.called.get() + 1);
        if printed {
            self.printed.set(self.printed.get() + 1);
            self.printed_variables.borrow_mut().push(variable);
            if self.in_substitute.get() {
                self.suppress(variable);
            }
        }
    }

    pub fn name_options(&self) -> &InheritableNameOptions {
        if self.in_bibliography {
            &self.style.bibliography_names
        } else {
            &self.style.citation_names
        }
    }

    pub fn punctuation_in_quote(&self) -> bool {
        self.style.punctuation_in_quote()
    }
}

/// What subsequent-author-substitute puts in place of an entry's first names (CSL 1.0.2,
/// `subsequent-author-substitute-rule`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NamesSubstitute {
    /// The whole name list, its "and" and "et al." with it (`complete-all`).
    Whole(String),
    /// Each of the list's first `count` names, one by one (`complete-each`, `partial-each`,
    /// `partial-first`); delimiters, "and" and "et al." stay.
    Each { text: String, count: usize },
}
