//! The resolved brief as one Typst source: the house style, the title page with the contents,
//! the sections, the reference list. Every text from the brief goes through [`super::escape`];
//! every part written from a place in the brief's files is recorded as an [`Origin`], so that
//! Typst's complaints are reported there.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use super::body::BodyWriter;
use super::escape::{label, label_name, markup, string};
use super::inline_html::typst_markup;
use crate::cite::reference_anchor;
use crate::diagnostic::SourceFile;
use crate::figure::draw::CaptionPart;
use crate::resolve::ResolvedDocument;

const PREAMBLE: &str = include_str!("preamble.typ");

/// What Typst compiles: the source, and the files it names (figures, images).
pub struct TypstInput {
    pub source: String,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where in the brief each part of the source comes from, in the order written.
    pub origins: Vec<Origin>,
}

/// A part of the source and the place in the brief it was written from.
#[derive(Debug, Clone)]
pub struct Origin {
    pub range: Range<usize>,
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub part: Part,
}

/// A part of the brief that the PDF can show another way when Typst cannot take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// Shown as its TeX.
    Formula(usize),
    /// Shown as a link to the file.
    Image(usize),
    Figure(usize),
    Section(usize),
}

/// Parts to show the other way: what an earlier attempt could not typeset.
pub type Fallbacks = BTreeSet<Part>;

pub fn write_document(resolved: &ResolvedDocument, fallbacks: &Fallbacks) -> TypstInput {
    let mut writer = Writer {
        body: BodyWriter::new(resolved, known_labels(resolved), fallbacks),
    };
    writer.preamble();
    writer.title_page();
    for index in 0..resolved.document.sections.len() {
        writer.section(index);
    }
    writer.references();
    let body = writer.body;
    TypstInput {
        source: body.out,
        files: body.files,
        origins: body.origins,
    }
}

/// Every label the source attaches, so that a link is made only to one that exists (Typst
/// refuses a link to a missing label).
fn known_labels(resolved: &ResolvedDocument) -> BTreeSet<String> {
    let document = &resolved.document;
    let mut labels = BTreeSet::new();
    for section in &document.sections {
        labels.insert(section.slug.clone());
        labels.extend(section.headings.iter().map(|h| h.id.clone()));
    }
    labels.extend(document.targets.values().map(|t| t.anchor.clone()));
    labels.extend(resolved.figures.iter().map(|f| f.anchor.clone()));
    labels.extend(document.images.iter().filter_map(|i| i.anchor.clone()));
    labels.extend(
        resolved
            .citations
            .entries
            .iter()
            .map(|e| reference_anchor(&e.key)),
    );
    labels.insert("references".to_string());
    labels
}

struct Writer<'r> {
    body: BodyWriter<'r>,
}

impl Writer<'_> {
    fn push(&mut self, text: &str) {
        self.body.out.push_str(text);
    }

    fn preamble(&mut self) {
        let meta = &self.body.resolved.document.meta;
        self.push(PREAMBLE);
        let (language, region) = meta
            .lang
            .split_once('-')
            .unwrap_or((meta.lang.as_str(), ""));
        let language = language.to_ascii_lowercase();
        let region = region.to_ascii_uppercase();
        // A US brief prints on letter paper; the rest of the world on A4.
        let paper = if region == "US" || region == "CA" {
            "us-letter"
        } else {
            "a4"
        };
        let mut lines = String::new();
        lines.push_str(&format!(
            "#set text(lang: {}{})\n",
            string(&language),
            if region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()) {
                format!(", region: {}", string(&region))
            } else {
                String::new()
            }
        ));
        let authors: Vec<String> = meta.people.iter().map(|p| string(&p.name)).collect();
        let keywords: Vec<String> = meta.keywords.0.iter().map(|k| string(k)).collect();
        lines.push_str(&format!(
            "#set document(title: {}, author: ({}), keywords: ({}){}, date: {})\n",
            string(&plain_title(meta)),
            tuple(&authors),
            tuple(&keywords),
            meta.description
                .as_deref()
                .map(|d| format!(", description: {}", string(d)))
                .unwrap_or_default(),
            typst_date(meta.date_iso.as_deref()),
        ));
        let running = markup(&meta.title);
        lines.push_str(&format!(
            "#set page(paper: {}, margin: (x: 2.4cm, top: 2.6cm, bottom: 2.4cm), numbering: \"1\", \
             header: context {{ if here().page() > 1 {{ set text(size: 8.5pt, fill: muted); [{running}]; h(1fr); counter(page).display() }} }}, \
             footer: none)\n",
            string(paper)
        ));
        self.push(&lines);
    }

    fn title_page(&mut self) {
        let resolved = self.body.resolved;
        let meta = &resolved.document.meta;
        let mut out = String::new();
        out.push_str("#block(below: 1.4em)[\n#set par(justify: false)\n");
        out.push_str(&format!(
            "#text(size: 23pt, weight: \"semibold\", fill: accent)[#title[{}]]\n",
            markup(&meta.title)
        ));
        if let Some(subtitle) = &meta.subtitle {
            out.push_str(&format!(
                "#block(above: 0.9em)[#text(size: 14pt, fill: accent)[{}]]\n",
                markup(subtitle)
            ));
        }
        out.push_str("]\n");
        if !meta.people.is_empty() {
            let many = meta.affiliations.len() > 1;
            let names: Vec<String> = meta
                .people
                .iter()
                .map(|person| {
                    let mut name = markup(&person.name);
                    if many && !person.affiliation_numbers.is_empty() {
                        let numbers: Vec<String> = person
                            .affiliation_numbers
                            .iter()
                            .map(usize::to_string)
                            .collect();
                        name.push_str(&format!("#super[{}]", markup(&numbers.join(","))));
                    }
                    if let Some(orcid) = &person.orcid {
                        name.push_str(&format!(
                            " #link({})[#text(size: 8pt)[ORCID]]",
                            string(&format!("https://orcid.org/{orcid}"))
                        ));
                    }
                    name
                })
                .collect();
            out.push_str(&format!(
                "#block(below: 0.5em)[#text(size: 11.5pt)[{}]]\n",
                names.join(", ")
            ));
            for (i, affiliation) in meta.affiliations.iter().enumerate() {
                let number = if many {
                    format!("#super[{}]", i + 1)
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "#block(above: 0.3em, below: 0.3em)[#text(size: 9.5pt, fill: muted)[{number}{}]]\n",
                    markup(affiliation)
                ));
            }
        }
        if let Some(date) = &meta.date {
            out.push_str(&format!(
                "#block(above: 0.8em)[#text(size: 10pt, fill: muted)[{}]]\n",
                markup(&crate::date::in_words(date, &meta.lang))
            ));
        }
        out.push_str("#line(length: 100%, stroke: 0.6pt + accent)\n");
        if let Some(summary) = meta.summary.as_ref().or(meta.description.as_ref()) {
            out.push_str(&format!(
                "#block(above: 1.2em, below: 1.6em)[#set text(size: 10.5pt)\n{}]\n",
                markup(summary)
            ));
        }
        out.push_str(
            "#outline(title: [Contents], depth: 2, indent: 1.2em)\n#pagebreak(weak: true)\n",
        );
        self.push(&out);
    }

    fn section(&mut self, index: usize) {
        let resolved = self.body.resolved;
        let section = &resolved.document.sections[index];
        let title = match &section.meta.number {
            Some(number) => format!(
                "{}#h(0.7em){}",
                markup(&number.to_string()),
                markup(&section.meta.title)
            ),
            None => markup(&section.meta.title),
        };
        let start = self.body.out.len();
        // Each section starts a page of its own, as a printed brief's chapters do; to Typst each
        // is then a run of pages of its own, and runs are laid out in parallel.
        self.push("\n#set page(numbering: \"1\")\n");
        if !section.meta.title.is_empty() {
            self.push(&format!(
                "\n#heading(level: 1)[{title}] {}\n\n",
                label(&section.slug)
            ));
        }
        self.body.pieces(&section.body, index);
        self.body.close_open();
        self.push("\n\n");
        let end = self.body.out.len();
        self.body.origins.push(Origin {
            range: start..end,
            file: Arc::clone(&section.file),
            span: 0..0,
            part: Part::Section(index),
        });
    }

    fn references(&mut self) {
        let resolved = self.body.resolved;
        let entries = &resolved.citations.entries;
        if entries.is_empty() {
            return;
        }
        let mut out = String::from(
            "\n#set page(numbering: \"1\")\n#heading(level: 1)[References] <references>\n\n",
        );
        for entry in entries {
            let known = &self.body.labels;
            out.push_str(&format!(
                "#entry[{}] {}\n",
                typst_markup(&entry.html, &|anchor| known.contains(anchor)),
                label(&reference_anchor(&entry.key))
            ));
        }
        self.push(&out);
    }
}

/// A data figure: the chart from the same SVG as the web page's, its caption, source line and
/// where its data are.
pub(super) fn data_figure(body: &mut BodyWriter<'_>, index: usize) {
    let resolved = body.resolved;
    let Some(figure) = resolved.figures.get(index) else {
        return;
    };
    let spec = &resolved.document.figures[index];
    let path = format!("/figures/{}.svg", label_name(&figure.anchor));
    body.files
        .insert(path.clone(), figure.svg.clone().into_bytes());
    let known = &body.labels;
    let mut caption = String::new();
    for part in &figure.caption {
        match part {
            CaptionPart::Text(text) => caption.push_str(&markup(text)),
            CaptionPart::Citation(citation) => {
                let html = resolved
                    .citations
                    .citations
                    .get(*citation)
                    .map_or("", String::as_str);
                caption.push_str(&typst_markup(html, &|a| known.contains(a)));
            }
        }
    }
    let mut notes = String::new();
    if let Some(sources) = &figure.sources_html {
        notes.push_str(&typst_markup(sources, &|a| known.contains(a)));
        notes.push_str(" #linebreak() ");
    }
    let meta = &resolved.document.meta;
    match meta.base_url.as_deref() {
        Some(base) => {
            let url = format!("{}/{}", base.trim_end_matches('/'), figure.data_href);
            notes.push_str(&format!("Data: #link({})[{}]", string(&url), markup(&url)));
        }
        None => notes.push_str(&format!(
            "The data are published with the web version of this brief: {}",
            markup(&figure.data_href)
        )),
    }
    let start = body.out.len();
    body.out.push_str(&format!(
        "\n#figure(image({}, alt: {}, width: {:.0}%), caption: [{caption}]) {}\n#figure-notes[{notes}]\n\n",
        string(&path),
        string(&figure.alt),
        chart_width_percent(&figure.svg),
        label(&figure.anchor),
    ));
    body.origins.push(Origin {
        range: start..body.out.len(),
        file: Arc::clone(&spec.file),
        span: spec.span.clone(),
        part: Part::Figure(index),
    });
}

/// How wide a chart is drawn, in percent of the text width: at most 88%, and no taller than
/// about 9 cm (a third of the page), whatever the chart's proportions.
fn chart_width_percent(svg: &str) -> f64 {
    const TEXT_WIDTH_CM: f64 = 16.5;
    const MAX_HEIGHT_CM: f64 = 9.0;
    let view_box = svg
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(numbers, _)| {
            numbers
                .split_whitespace()
                .filter_map(|n| n.parse::<f64>().ok())
                .collect::<Vec<_>>()
        });
    match view_box.as_deref() {
        Some([_, _, width, height]) if *width > 0.0 && *height > 0.0 => {
            let fitting = MAX_HEIGHT_CM * width / height / TEXT_WIDTH_CM * 100.0;
            fitting.clamp(30.0, 88.0)
        }
        _ => 88.0,
    }
}

/// The title as plain text, for the PDF's metadata.
fn plain_title(meta: &crate::meta::BriefMeta) -> String {
    match &meta.subtitle {
        // "Leverage or Trap? Navigating…", "Rare Earths: Navigating…".
        Some(subtitle) if meta.title.ends_with(['?', '!', '.', ':']) => {
            format!("{} {subtitle}", meta.title)
        }
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    }
}

fn tuple(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => format!("{},", items[0]),
        _ => items.join(", "),
    }
}

/// `datetime(…)` for an ISO date, `none` without one: never the clock.
fn typst_date(iso: Option<&str>) -> String {
    let Some(iso) = iso else {
        return "none".to_string();
    };
    let parts: Vec<u32> = iso
        .get(..10.min(iso.len()))
        .unwrap_or("")
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.as_slice() {
        [year, month, day] => format!("datetime(year: {year}, month: {month}, day: {day})"),
        [year, month] => format!("datetime(year: {year}, month: {month}, day: 1)"),
        [year] => format!("datetime(year: {year}, month: 1, day: 1)"),
        _ => "none".to_string(),
    }
}
