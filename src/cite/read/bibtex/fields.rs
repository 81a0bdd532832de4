//! BibTeX and biblatex entry types and fields onto CSL-JSON's, as Pandoc maps them ("Specifying
//! bibliographic data" in its manual): `@article` is `article-journal`, `journal` the
//! `container-title`, `school` the `publisher`, `number` an article's `issue`, and so on.
//!
//! Where Pandoc loses data or keeps what no style can use, this reader departs from it, and
//! says so here: `issue` is kept when there is no `number`; a DOI loses its `https://doi.org/`
//! or `doi:` prefix (a short DOI `10/abc` stays whole); a `\url{…}` in `url` or `howpublished`
//! is the URL; biblatex's `location` is the `publisher-place` as `address` is; `month = {April}`
//! is April; a `language` other than English (without a `langid`) keeps titles as written;
//! `@misc` and unknown types are `document` (Pandoc writes an empty type); `@conference` is
//! `paper-conference`, `@standard` `standard` and `@performance` `performance` (CSL 1.0.2's
//! types); `booktitle` is read for the parts of books only, as Pandoc does.

use std::collections::HashSet;
use std::ops::Range;

use super::dates::{from_parts, parse_date};
use super::languages::{is_english, language_tag};
use super::latex::{convert, verbatim};
use super::names::parse_names;
use super::syntax::RawEntry;
use super::titles::{main_title, sentence_case};
use super::types::{genre_name, is_part_of_book, is_whole_book, kind, numbers_in_series};
use crate::cite::read::rich::{tidy, to_plain, to_rich_text, Inline};
use crate::cite::read::ReadWarning;
use crate::csl::reference::{
    DateVariable, NameVariable, NumberVariable, PageVariable, Reference, StandardVariable, Value,
    Variable,
};

/// The reference an entry describes, and what its author should hear about it.
pub fn to_reference(entry: &RawEntry) -> (Reference, Vec<ReadWarning>) {
    let subtype = entry
        .field("entrysubtype")
        .map(|f| f.value.trim().to_ascii_lowercase());
    let kind = kind(&entry.kind, subtype.as_deref());
    let mut fields = Fields {
        entry,
        reference: Reference::new(entry.key.clone(), kind),
        warnings: Vec::new(),
        noted: HashSet::new(),
        english: true,
    };
    fields.language();
    fields.titles();
    fields.names();
    fields.numbers();
    fields.publication();
    fields.dates();
    fields.links();
    fields.notes();
    (fields.reference, fields.warnings)
}

struct Fields<'a> {
    entry: &'a RawEntry,
    reference: Reference,
    warnings: Vec<ReadWarning>,
    /// The fields whose notes were told already (some are read twice).
    noted: HashSet<String>,
    /// Whether titles are English, and so put in sentence case.
    english: bool,
}

fn standard(variable: StandardVariable) -> Variable {
    Variable::Standard(variable)
}

fn number(variable: NumberVariable) -> Variable {
    Variable::Number(variable)
}

impl Fields<'_> {
    fn span(&self, name: &str) -> Range<usize> {
        self.entry
            .field(name)
            .map_or(self.entry.key_span.clone(), |f| f.span.clone())
    }

    /// A field's rich text, its notes turned into warnings at the field.
    fn rich(&mut self, name: &str) -> Option<Vec<Inline>> {
        let field = self.entry.field(name)?;
        let converted = convert(&field.value);
        let notes = if self.noted.insert(name.to_string()) {
            converted.notes
        } else {
            Vec::new()
        };
        for note in notes {
            self.warnings.push(ReadWarning {
                message: format!("in `{}`, `{name}`: {}", self.entry.key, note.message),
                span: field.span.clone(),
                hint: note.hint.into(),
            });
        }
        (!converted.inlines.is_empty()).then_some(converted.inlines)
    }

    fn plain(&mut self, name: &str) -> Option<String> {
        self.rich(name).map(|inlines| to_plain(&inlines))
    }

    /// A title field, in sentence case when the entry is English.
    fn title(&mut self, name: &str) -> Option<Vec<Inline>> {
        let mut inlines = self.rich(name)?;
        if self.english {
            sentence_case(&mut inlines);
        }
        Some(inlines)
    }

    /// A title and its `…subtitle` and `…titleaddon` as one: "Title: Subtitle. Addon". The
    /// first of `mains` that is there is the title; whether there was a subtitle.
    fn full_title(
        &mut self,
        mains: &[&str],
        prefix: &str,
        case: bool,
    ) -> Option<(Vec<Inline>, bool)> {
        let get = |fields: &mut Self, name: &str| {
            if case {
                fields.title(name)
            } else {
                fields.rich(name)
            }
        };
        let main = mains.iter().find(|name| self.entry.field(name).is_some())?;
        let mut title = get(self, main)?;
        let subtitle = get(self, &format!("{prefix}subtitle"));
        let has_subtitle = subtitle.is_some();
        if let Some(subtitle) = subtitle {
            title.push(Inline::Text(": ".into()));
            title.extend(subtitle);
        }
        if let Some(addon) = get(self, &format!("{prefix}titleaddon")) {
            title.push(Inline::Text(". ".into()));
            title.extend(addon);
        }
        Some((tidy(title), has_subtitle))
    }

    fn set_rich(&mut self, variable: Variable, inlines: Vec<Inline>) {
        let text = to_rich_text(&inlines);
        if !text.is_empty() {
            self.reference.set_default(variable, Value::Text(text));
        }
    }

    fn set_text(&mut self, variable: Variable, text: String) {
        if !text.is_empty() {
            self.reference.set_default(variable, Value::Text(text));
        }
    }

    fn language(&mut self) {
        let langid = self.plain("langid").or_else(|| self.plain("hyphenation"));
        if let Some(langid) = langid {
            let tag = language_tag(&langid);
            self.english = is_english(&tag);
            self.set_text(standard(StandardVariable::Language), tag);
        } else if let Some(language) = self.plain("language") {
            let first = language.split([',', ';']).next().unwrap_or("").trim();
            let first = first.split(" and ").next().unwrap_or(first);
            self.english = is_english(&language_tag(first));
        }
    }

    fn titles(&mut self) {
        let bibtex = self.entry.kind.as_str();
        let title = self.full_title(&["title"], "", true);
        let main = if is_whole_book(bibtex) {
            self.full_title(&["maintitle"], "main", true)
        } else {
            None
        };
        let short = match self.title("shorttitle") {
            Some(short) => Some(short),
            None => match &title {
                Some((_, true)) => self.title("title"),
                Some((title, false)) => main_title(title),
                None => None,
            },
        };
        if bibtex == "periodical" {
            if let Some(journal) = self.rich("title") {
                self.set_rich(standard(StandardVariable::ContainerTitle), journal);
            }
        }
        match (main, title) {
            // A volume of a multi-volume work: the work's title first.
            (Some((main, _)), title) => {
                self.set_rich(standard(StandardVariable::Title), main);
                if let Some((volume, _)) = title {
                    self.set_rich(standard(StandardVariable::VolumeTitle), volume);
                }
            }
            (None, Some((title, _))) => self.set_rich(standard(StandardVariable::Title), title),
            (None, None) => {}
        }
        if let Some(short) = short {
            self.set_rich(standard(StandardVariable::TitleShort), short);
        }
        if let Some((journal, _)) = self.full_title(&["journaltitle", "journal"], "journal", false)
        {
            self.set_rich(standard(StandardVariable::ContainerTitle), journal);
        }
        if is_part_of_book(bibtex) {
            if let Some((book, _)) = self.full_title(&["booktitle"], "book", true) {
                self.set_rich(standard(StandardVariable::ContainerTitle), book);
            }
        }
        if let Some(short) = self.rich("shortjournal") {
            self.set_rich(standard(StandardVariable::ContainerTitleShort), short);
        }
        for (field, variable) in [
            ("series", StandardVariable::CollectionTitle),
            ("origtitle", StandardVariable::OriginalTitle),
            ("eventtitle", StandardVariable::Event),
        ] {
            if let Some(title) = self.title(field) {
                self.set_rich(standard(variable), title);
            }
        }
    }

    fn names(&mut self) {
        for (field, variable) in [
            ("author", NameVariable::Author),
            ("editor", NameVariable::Editor),
            ("translator", NameVariable::Translator),
            ("bookauthor", NameVariable::ContainerAuthor),
        ] {
            let Some(raw) = self.entry.field(field) else {
                continue;
            };
            let names = parse_names(&raw.value);
            if !names.is_empty() {
                self.reference
                    .set_default(Variable::Name(variable), Value::Names(names));
            }
        }
    }

    fn numbers(&mut self) {
        let bibtex = self.entry.kind.as_str();
        for (field, variable) in [
            ("volume", NumberVariable::Volume),
            ("volumes", NumberVariable::NumberOfVolumes),
            ("pagetotal", NumberVariable::NumberOfPages),
            ("chapter", NumberVariable::ChapterNumber),
            ("edition", NumberVariable::Edition),
            ("version", NumberVariable::Version),
        ] {
            if let Some(text) = self.rich(field) {
                self.set_rich(number(variable), text);
            }
        }
        if let Some(pages) = self.plain("pages") {
            // CSL-JSON writes a page range with a hyphen; styles choose the dash.
            let pages = pages.replace(['–', '—'], "-");
            self.set_text(Variable::Page(PageVariable::Page), pages);
        }
        let number_field = self.plain("number");
        let issue = self.plain("issue");
        if matches!(bibtex, "article" | "periodical") {
            let joined: Vec<String> = number_field.into_iter().chain(issue).collect();
            self.set_text(number(NumberVariable::Issue), joined.join(", "));
            return;
        }
        if let Some(value) = number_field {
            let variable = if numbers_in_series(bibtex) {
                NumberVariable::CollectionNumber
            } else {
                NumberVariable::Number
            };
            self.set_text(number(variable), value);
        }
        if let Some(issue) = issue {
            self.set_text(number(NumberVariable::Issue), issue);
        }
    }

    fn publication(&mut self) {
        let mut publishers = Vec::new();
        for field in [
            "school",
            "institution",
            "organization",
            "howpublished",
            "publisher",
        ] {
            if field == "howpublished" && self.hidden_url().is_some() {
                continue;
            }
            if let Some(text) = self.rich(field) {
                publishers.push(to_rich_text(&text));
            }
        }
        self.set_text(standard(StandardVariable::Publisher), publishers.join("; "));
        for (field, variable) in [
            ("address", StandardVariable::PublisherPlace),
            ("location", StandardVariable::PublisherPlace),
            ("venue", StandardVariable::EventPlace),
        ] {
            if let Some(text) = self.rich(field) {
                self.set_rich(standard(variable), text);
            }
        }
        let genre = self
            .plain("type")
            .map(|kind| genre_name(&kind))
            .or_else(|| match self.entry.kind.as_str() {
                "phdthesis" => Some("PhD thesis".to_string()),
                "mastersthesis" => Some("Master’s thesis".to_string()),
                _ => None,
            });
        if let Some(genre) = genre {
            self.set_text(standard(StandardVariable::Genre), genre);
        }
        for (field, variable) in [
            ("isbn", StandardVariable::ISBN),
            ("issn", StandardVariable::ISSN),
            ("pmid", StandardVariable::PMID),
            ("pmcid", StandardVariable::PMCID),
        ] {
            if let Some(text) = self.plain(field) {
                self.set_text(standard(variable), text);
            }
        }
    }

    fn dates(&mut self) {
        // Dates are ISO 8601 and EDTF, not LaTeX: `2020~` is an approximate year.
        let iso = |fields: &Self, name: &str| fields.entry.field(name).map(|f| verbatim(&f.value));
        let issued = match iso(self, "date") {
            Some(date) => parse_date(&date),
            None => {
                let year = self.plain("year").unwrap_or_default();
                let month = self.plain("month");
                let day = self.plain("day");
                let (date, note) = from_parts(&year, month.as_deref(), day.as_deref());
                if let Some(note) = note {
                    self.warnings.push(ReadWarning {
                        message: format!("in `{}`: {note}", self.entry.key),
                        span: self.span("month"),
                        hint: "write the month as a number, a name or `jan` … `dec`".into(),
                    });
                }
                date
            }
        };
        if let Some(date) = issued {
            self.reference
                .set_default(Variable::Date(DateVariable::Issued), Value::Date(date));
        }
        for (field, variable) in [
            ("urldate", DateVariable::Accessed),
            ("origdate", DateVariable::OriginalDate),
            ("eventdate", DateVariable::EventDate),
        ] {
            if let Some(date) = iso(self, field).and_then(|text| parse_date(&text)) {
                self.reference
                    .set_default(Variable::Date(variable), Value::Date(date));
            }
        }
    }

    /// A `howpublished = {\url{…}}` that is only a link.
    fn hidden_url(&self) -> Option<String> {
        let value = self.entry.field("howpublished")?.value.trim();
        let inner = value.strip_prefix("\\url")?;
        let url = verbatim(inner);
        (!url.is_empty() && inner.trim_end().ends_with('}')).then_some(url)
    }

    fn links(&mut self) {
        let url = self
            .entry
            .field("url")
            .map(|f| verbatim(&f.value))
            .filter(|u| !u.is_empty())
            .or_else(|| self.hidden_url())
            .or_else(|| self.eprint_url());
        if let Some(url) = url {
            self.set_text(standard(StandardVariable::URL), url);
        }
        if let Some(doi) = self.entry.field("doi").map(|f| verbatim(&f.value)) {
            self.set_text(standard(StandardVariable::DOI), bare_doi(&doi).to_string());
        }
    }

    /// The link an `eprint` stands for, when its archive is one Pandoc knows.
    fn eprint_url(&self) -> Option<String> {
        let id = verbatim(&self.entry.field("eprint")?.value);
        let archive = self
            .entry
            .field("eprinttype")
            .or_else(|| self.entry.field("archiveprefix"))?
            .value
            .trim()
            .to_ascii_lowercase();
        let base = match archive.as_str() {
            "arxiv" => "https://arxiv.org/abs/",
            "pubmed" => "https://www.ncbi.nlm.nih.gov/pubmed/",
            "jstor" => "https://www.jstor.org/stable/",
            "googlebooks" => "https://books.google.com?id=",
            _ => return None,
        };
        (!id.is_empty()).then(|| format!("{base}{id}"))
    }

    fn notes(&mut self) {
        for (field, variable) in [
            ("note", StandardVariable::Note),
            ("annotation", StandardVariable::Annote),
            ("annote", StandardVariable::Annote),
            ("abstract", StandardVariable::Abstract),
            ("keywords", StandardVariable::Keyword),
        ] {
            if let Some(text) = self.rich(field) {
                self.set_rich(standard(variable), text);
            }
        }
    }
}

/// A DOI without the resolver or scheme in front of it.
fn bare_doi(doi: &str) -> &str {
    let lower = doi.to_ascii_lowercase();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
    ] {
        if lower.starts_with(prefix) {
            return doi[prefix.len()..].trim_start();
        }
    }
    doi
}
