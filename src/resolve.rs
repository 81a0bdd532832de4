//! Stage 3, resolve: reference files read and every citation formatted; figures numbered, their
//! data read and drawn. The result is a [`ResolvedDocument`], everything the templates need.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::cite::references::load_references;
use crate::cite::{resolve_citations, ResolvedCitations};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
pub use crate::figure::draw::ResolvedFigure;
use crate::figure::draw::{draw_figure, field_span, CaptionPart, DrawnFigure};
use crate::figure::FigureSpec;
use crate::image_files::{resolve_images, ResolvedImage};
use crate::links::Exclusions;
use crate::load::Project;
use crate::parse::{Citation, Document};

/// A figure's data, as readers download it.
#[derive(Debug)]
pub struct DataFile {
    /// Inside the site: `data/NAME.csv`.
    pub path: String,
    /// The file's text, with spreadsheet formulas made inert.
    pub text: String,
    /// The file it comes from, as the author names it.
    pub from: String,
    /// The figure's `data:` line.
    pub named_at: (Arc<SourceFile>, Range<usize>),
}

#[derive(Debug)]
pub struct ResolvedDocument {
    pub document: Document,
    /// The text's citations followed by the figures' source lines.
    pub all_citations: Vec<Citation>,
    /// The anchor id of each of `all_citations` in the pages.
    pub citation_anchors: Vec<String>,
    pub citations: ResolvedCitations,
    /// In the order of [`Document::figures`].
    pub figures: Vec<ResolvedFigure>,
    /// Data files to publish with the site, one per figure.
    pub data_files: Vec<DataFile>,
    /// In the order of [`Document::images`].
    pub images: Vec<ResolvedImage>,
    /// Problems that do not stop the build (unless `--strict`).
    pub warnings: Vec<Diagnostic>,
    /// URLs `check --online` leaves alone (the brief's `link-check: exclude`).
    pub link_exclusions: Exclusions,
}

impl ResolvedDocument {
    /// The anchor id of citation `index` in the pages.
    pub fn citation_anchor(&self, index: usize) -> &str {
        self.citation_anchors.get(index).map_or("", String::as_str)
    }

    /// Citation `index` as plain text ("(USGS, 2024)"), for alt text.
    pub fn citation_text(&self, index: usize) -> String {
        let html = self
            .citations
            .citations
            .get(index)
            .map_or("", String::as_str);
        crate::html::strip_tags(html)
    }
}

pub fn resolve(project: &Project, document: Document) -> Result<ResolvedDocument, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let references = load_references(project, &document);

    // Figures first: their source lines are citations too, formatted with the text's.
    let mut citations: Vec<Citation> = document.citations.clone();
    let mut drawn = Vec::new();
    let mut data_files = Vec::new();
    let mut seen_ids: BTreeMap<&str, &FigureSpec> = BTreeMap::new();
    for spec in &document.figures {
        if let Some(first) = seen_ids.insert(spec.fields.id.as_str(), spec) {
            let (line, _) = first.file.line_col(first.span.start);
            diagnostics.push(
                Diagnostic::new(format!("two figures have the id `{}`", spec.fields.id))
                    .at(&spec.file, field_span(spec, "id"), "duplicate id")
                    .hint(format!(
                        "the first is at {}:{line}; ids must be unique in the brief",
                        first.file.name
                    )),
            );
        }
        match draw_figure(project, spec, spec.number) {
            Ok(DrawnFigure {
                mut figure,
                table,
                sources,
                caption_citations,
            }) => {
                // Caption citations come before the source line, as a reader meets them.
                let first = citations.len();
                citations.extend(caption_citations);
                for part in &mut figure.caption {
                    if let CaptionPart::Citation(local) = part {
                        *local += first;
                    }
                }
                let sources_index = match sources {
                    Some(citation) => {
                        citations.push(citation);
                        Some(citations.len() - 1)
                    }
                    None => None,
                };
                data_files.push(DataFile {
                    path: figure.data_href.clone(),
                    text: crate::figure::download::neutralise_formulas(&table),
                    from: table.file.name.clone(),
                    named_at: (Arc::clone(&spec.file), field_span(spec, "data")),
                });
                drawn.push((figure, sources_index));
            }
            Err(error) => diagnostics.push(error),
        }
    }
    let link_exclusions = match Exclusions::from_document(&document) {
        Ok(exclusions) => exclusions,
        Err(errors) => {
            diagnostics.0.extend(errors.0);
            Exclusions::default()
        }
    };
    let mut image_warnings = Vec::new();
    let images = resolve_images(project, &document, &mut diagnostics, &mut image_warnings);
    let references = match references {
        Ok(references) => references,
        Err(errors) => {
            diagnostics.0.extend(errors.0);
            return Err(diagnostics);
        }
    };
    let resolved = resolve_citations(project, &document, &references, &citations);
    let mut warnings = document.warnings.clone();
    warnings.extend(image_warnings);
    warnings.extend(references.warnings);
    let resolved = match resolved {
        Ok(resolved) if diagnostics.is_empty() => resolved,
        Ok(_) => return Err(diagnostics),
        Err(errors) => {
            diagnostics.0.extend(errors.0);
            return Err(diagnostics);
        }
    };
    let figures = drawn
        .into_iter()
        .map(|(mut figure, sources_index)| {
            figure.sources_html = sources_index.and_then(|i| resolved.citations.get(i).cloned());
            figure.sources_citation = sources_index;
            figure
        })
        .collect();
    warnings.extend(resolved.warnings.iter().cloned());
    Ok(ResolvedDocument {
        warnings,
        document,
        citation_anchors: crate::cite::citation_anchors(&citations),
        all_citations: citations,
        citations: resolved,
        figures,
        data_files,
        images,
        link_exclusions,
    })
}
