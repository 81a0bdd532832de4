//! The brief as a PDF, typeset in-process by Typst from the resolved document (the same one the
//! pages come from, never from their HTML): [`source`] writes it as Typst markup, [`world`] gives
//! Typst that source, the figures and images and the embedded fonts, and Typst lays it out and
//! writes a tagged PDF that it checks against PDF/UA-1.
//!
//! A formula or image that Typst cannot take is shown another way (its TeX, a link) with a
//! warning at its place in the brief; anything else Typst refuses is an error located in the
//! brief's files where it can be, and never a line of the generated source.

#![cfg_attr(not(feature = "pdf"), allow(dead_code))]

mod body;
pub mod escape;
mod inline_html;
pub mod math;
pub mod source;
#[cfg(feature = "pdf")]
mod world;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Origin, PdfLink, Site};
use crate::resolve::ResolvedDocument;

/// The typeset brief.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// Its name in the site: the brief's title as a slug (`strategic-leverage.pdf`).
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// What was shown another way than written (a formula as TeX).
    pub warnings: Vec<Diagnostic>,
}

/// Stands for the PDF's size and pages in pages rendered while it is typeset; [`add_to_site`]
/// puts the real words in.
const ABOUT_PLACEHOLDER: &str = "brief-pdf-size-and-pages-7c1e";

impl Pdf {
    /// "204 KB, 10 pages", as the download link says it.
    pub fn about(&self) -> String {
        let bytes = self.bytes.len() as f64;
        let size = if bytes >= 1_000_000.0 {
            format!("{:.1} MB", bytes / 1_000_000.0)
        } else {
            format!("{:.0} KB", (bytes / 1000.0).max(1.0))
        };
        let pages = match self.pages {
            1 => "1 page".to_string(),
            n => format!("{n} pages"),
        };
        format!("{size}, {pages}")
    }
}

/// The link the pages carry to the PDF the build will write, before it is typeset: its size and
/// pages are filled in by [`add_to_site`].
pub fn link_before_typesetting(resolved: &ResolvedDocument) -> Option<PdfLink> {
    wanted(resolved).then(|| PdfLink {
        file: crate::html::percent_encode(&file_name(&resolved.document.meta.title)),
        about: ABOUT_PLACEHOLDER.to_string(),
    })
}

/// Puts the PDF in the site, and its size and pages into the pages' links to it.
pub fn add_to_site(pdf: &Pdf, site: &mut Site) -> Result<(), Diagnostic> {
    let about = pdf.about();
    for (path, bytes) in site.files.iter_mut() {
        if !path.ends_with(".html") {
            continue;
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.contains(ABOUT_PLACEHOLDER) {
                *bytes = text.replace(ABOUT_PLACEHOLDER, &about).into_bytes();
            }
        }
    }
    site.add(
        &pdf.file_name,
        pdf.bytes.clone(),
        Origin::generated("the brief's PDF"),
    )
}

/// The PDF's file name for a brief titled `title`.
pub fn file_name(title: &str) -> String {
    let slug = crate::slug::slugify(title);
    let slug = if slug.is_empty() {
        "brief".into()
    } else {
        slug
    };
    format!("{slug}.pdf")
}

/// Whether this build writes a PDF: the brief has not turned it off (`pdf: false`) and the
/// binary was built with it (the default `pdf` feature).
pub fn wanted(resolved: &ResolvedDocument) -> bool {
    cfg!(feature = "pdf") && resolved.document.meta.pdf
}

/// Typesets the brief, or says why not; `None` when this build writes no PDF.
pub fn typeset(resolved: &ResolvedDocument) -> Result<Option<Pdf>, Diagnostics> {
    if !wanted(resolved) {
        return Ok(None);
    }
    #[cfg(feature = "pdf")]
    {
        compile::typeset(resolved).map(Some)
    }
    #[cfg(not(feature = "pdf"))]
    {
        Ok(None)
    }
}

#[cfg(feature = "pdf")]
mod compile {
    use std::ops::Range;

    use typst::diag::SourceDiagnostic;
    use typst::foundations::Smart;
    use typst::WorldExt;
    use typst_layout::PagedDocument;
    use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

    use super::source::{write_document, Fallbacks, Origin, Part};
    use super::world::BriefWorld;
    use super::{file_name, Pdf};
    use crate::diagnostic::{Diagnostic, Diagnostics};
    use crate::resolve::ResolvedDocument;

    /// How many times a build may show parts another way and try again.
    const ATTEMPTS: usize = 6;

    pub fn typeset(resolved: &ResolvedDocument) -> Result<Pdf, Diagnostics> {
        let mut fallbacks = Fallbacks::new();
        let mut warnings = Vec::new();
        for _ in 0..ATTEMPTS {
            let input = write_document(resolved, &fallbacks);
            let world = BriefWorld::new(input.source, &input.files)
                .ok_or_else(|| Diagnostics::from(internal("the PDF's world could not be made")))?;
            let compiled = typst::compile::<PagedDocument>(&world);
            let errors = match compiled.output {
                Ok(document) => match export(&document, resolved) {
                    Ok(bytes) => {
                        return Ok(Pdf {
                            file_name: file_name(&resolved.document.meta.title),
                            bytes,
                            pages: document.pages().len(),
                            warnings,
                        })
                    }
                    Err(errors) => errors,
                },
                Err(errors) => errors,
            };
            let mut diagnostics = Diagnostics::default();
            let mut retry = false;
            for error in errors.iter() {
                // The error's place, or else the call that led to it (a house-style function).
                let origin = std::iter::once(error.span)
                    .chain(error.trace.iter().map(|t| t.span.into()))
                    .filter_map(|span| world.range(span))
                    .find_map(|range| innermost(&input.origins, &range));
                match origin {
                    Some(origin) if can_fall_back(origin.part, &fallbacks) => {
                        fallbacks.insert(origin.part);
                        warnings.push(shown_otherwise(origin, error));
                        retry = true;
                    }
                    Some(origin) => diagnostics.push(located(origin, error)),
                    None => diagnostics.push(unlocated(error)),
                }
            }
            if !retry || !diagnostics.is_empty() {
                return Err(diagnostics);
            }
        }
        Err(Diagnostics::from(internal(
            "the PDF could not be typeset: too many parts had to be shown another way",
        )))
    }

    fn export(
        document: &PagedDocument,
        resolved: &ResolvedDocument,
    ) -> Result<Vec<u8>, typst::ecow::EcoVec<SourceDiagnostic>> {
        let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|message| {
            typst::ecow::eco_vec![SourceDiagnostic::error(
                typst::syntax::Span::detached(),
                message.message().clone()
            )]
        })?;
        let options = PdfOptions {
            // The document's identity is its title: stable from build to build.
            ident: Smart::Custom(resolved.document.meta.title.clone()),
            creator: Smart::Custom(Some(format!("brief {} (Typst)", env!("CARGO_PKG_VERSION")))),
            timestamp: None,
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(document, &options)
    }

    /// The smallest recorded part that holds the error.
    fn innermost<'o>(origins: &'o [Origin], range: &Range<usize>) -> Option<&'o Origin> {
        origins
            .iter()
            .filter(|o| {
                o.range.start <= range.start && range.start < o.range.end.max(o.range.start + 1)
            })
            .min_by_key(|o| o.range.len())
    }

    fn can_fall_back(part: Part, fallbacks: &Fallbacks) -> bool {
        matches!(part, Part::Formula(_) | Part::Image(_)) && !fallbacks.contains(&part)
    }

    fn shown_otherwise(origin: &Origin, error: &SourceDiagnostic) -> Diagnostic {
        let (what, shown) = match origin.part {
            Part::Formula(_) => ("formula", "its TeX"),
            _ => ("image", "a link to the file"),
        };
        Diagnostic::warning(format!(
            "the PDF cannot typeset this {what} ({}); it shows {shown} there",
            error.message
        ))
        .at(&origin.file, origin.span.clone(), format!("this {what}"))
        .code("pdf")
        .hint(match origin.part {
            Part::Formula(_) => {
                "the web page shows it as math; check the TeX for commands Typst's math cannot draw"
            }
            _ => {
                "check that the file is a whole, readable image (PNG, JPEG, GIF, SVG, WebP or PDF)"
            }
        })
    }

    fn located(origin: &Origin, error: &SourceDiagnostic) -> Diagnostic {
        let span = if origin.span.is_empty() {
            0..origin.file.text.len().min(1)
        } else {
            origin.span.clone()
        };
        Diagnostic::new(format!("the PDF could not be typeset: {}", error.message))
            .at(&origin.file, span, "while typesetting this")
            .hint("this is most likely a bug in brief, not in the brief: please report it; `pdf: false` in the front matter builds the site without the PDF")
    }

    fn unlocated(error: &SourceDiagnostic) -> Diagnostic {
        let mut diagnostic = internal(&format!("the PDF could not be typeset: {}", error.message));
        if let Some(hint) = error.hints.first() {
            let hint = &hint.v;
            diagnostic = diagnostic.hint(format!(
                "Typst says: {hint}; `pdf: false` in the front matter builds the site without the PDF"
            ));
        }
        diagnostic
    }

    fn internal(message: &str) -> Diagnostic {
        Diagnostic::new(message).hint(
            "this is most likely a bug in brief: please report it; `pdf: false` in the front matter builds the site without the PDF",
        )
    }
}
