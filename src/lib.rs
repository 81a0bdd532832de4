//! `brief` turns a policy brief — Markdown sections with YAML front matter, a references file and
//! figure data — into a fast, accessible, fully sourced website.
//!
//! The pipeline is the module list, each stage with its own output type:
//! 1. [`load`]: the brief's files → [`load::Project`]
//! 2. [`parse`]: front matter and Markdown, citations and figure blocks found → [`parse::Document`]
//! 3. [`resolve`]: citations formatted by a CSL engine, figures drawn → [`resolve::ResolvedDocument`]
//! 4. [`pdf`]: the brief typeset by Typst → [`pdf::Pdf`]; [`render`]: pages from Tera templates
//!    → [`render::Site`], the PDF among its files
//! 5. [`write`]: minified, written beside the output and swapped into place

// A panic is a bug the author cannot act on: fallible paths return diagnostics instead.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod assets;
pub mod audit;
pub mod check;
pub mod citation_syntax;
pub mod cite;
pub mod csl;
pub mod date;
pub mod diagnostic;
pub mod figure;
pub mod fingerprint;
pub mod frontmatter;
pub mod html;
pub mod image_files;
pub mod limits;
pub mod links;
pub mod load;
pub mod meta;
pub mod meta_rules;
pub mod output;
pub mod parallel;
pub mod parse;
pub mod paths;
pub mod pdf;
pub mod people;
pub mod previous;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod unchanged;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diagnostic::{Diagnostic, Diagnostics};

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the site (default: `public/` in the brief's folder).
    pub out: Option<PathBuf>,
    /// Treat warnings as errors: the build fails and the previous site stays.
    pub strict: bool,
    /// Format every citation afresh, and leave no `.brief-cache/` behind.
    pub no_cache: bool,
}

/// What one build produced, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub citations: usize,
    pub sources: usize,
    pub figures: usize,
    pub milliseconds: u128,
    pub out: PathBuf,
    /// The PDF's page count, when the build wrote one.
    pub pdf_pages: Option<usize>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Milliseconds spent in each stage, in pipeline order (`brief build --timings`).
    pub timings: Vec<(&'static str, f64)>,
    /// Nothing the build reads changed since the last one, whose site is as it left it: nothing
    /// was written (see [`unchanged`]).
    pub up_to_date: bool,
    /// Then, the last build's warnings as it said them.
    pub warnings_before: Vec<String>,
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let warnings = match self.warnings.len() + self.warnings_before.len() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        };
        let pdf = match self.pdf_pages {
            Some(1) => ", a PDF of 1 page".to_string(),
            Some(n) => format!(", a PDF of {n} pages"),
            None => String::new(),
        };
        if self.up_to_date {
            return write!(
                f,
                "{} is up to date: nothing changed since the last build ({} pages{pdf}, {} citations, {} sources, {} figures{warnings}; checked in {} ms)",
                self.out.display(),
                self.pages,
                self.citations,
                self.sources,
                self.figures,
                self.milliseconds
            );
        }
        write!(
            f,
            "built {} pages{pdf}, {} citations, {} sources, {} figures{warnings} in {} ms → {}",
            self.pages,
            self.citations,
            self.sources,
            self.figures,
            self.milliseconds,
            self.out.display()
        )
    }
}

/// Where a build of `root` writes: `--out`, else `public/` beside the brief or the document.
pub fn output_path(root: &Path, options: &BuildOptions) -> PathBuf {
    options.out.clone().unwrap_or_else(|| {
        let folder = if root.is_file() {
            root.parent().unwrap_or(Path::new("."))
        } else {
            root
        };
        folder.join("public")
    })
}

/// Builds the brief in the folder `root`, or the single Markdown document `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let single = root.is_file();
    let folder = if single {
        root.parent().unwrap_or(Path::new("."))
    } else {
        root
    };
    let out = output_path(root, options);
    let output = output::OutputFolder::claim(folder, &out)?;
    let mut timings = Vec::new();
    let mut lap = Instant::now();
    let mut stage = |name: &'static str| {
        timings.push((name, lap.elapsed().as_secs_f64() * 1000.0));
        lap = Instant::now();
    };
    let mut project = if single {
        load::load_single(root)?
    } else {
        load::load(root)?
    };
    if options.no_cache {
        project.cache = None;
    }
    stage("load");
    let inputs = unchanged::key(&project, &out, options.strict);
    if let Some(counts) = unchanged::up_to_date(&project, &inputs, &out) {
        stage("check");
        return Ok(BuildSummary {
            pages: counts.pages,
            citations: counts.citations,
            sources: counts.sources,
            figures: counts.figures,
            milliseconds: started.elapsed().as_millis(),
            out,
            pdf_pages: counts.pdf_pages,
            warnings: Vec::new(),
            timings,
            up_to_date: true,
            warnings_before: counts.warnings,
        });
    }
    project.folder.start_trace();
    let document = parse::parse(&project)?;
    stage("parse");
    let resolved = resolve::resolve(&project, document)?;
    stage("resolve");
    if options.strict && !resolved.warnings.is_empty() {
        return Err(Diagnostics(
            resolved
                .warnings
                .into_iter()
                .map(Diagnostic::into_error)
                .collect(),
        ));
    }
    // The PDF is typeset while the pages render; they link it, and learn its size after.
    let link = pdf::link_before_typesetting(&resolved);
    let previous = previous::PreviousSite::read(project.cache.as_deref(), &out);
    // Pages that learn the PDF's size after rendering are not known to be unchanged before it.
    let carry = if link.is_none() {
        Some(&previous)
    } else {
        None
    };
    let (pdf, site) = parallel::both(
        || pdf::typeset(&resolved),
        || render::render(&project, &resolved, link.as_ref(), carry),
    );
    let (pdf, mut site) = match (pdf, site) {
        (Ok(pdf), Ok(site)) => (pdf, site),
        (pdf, site) => {
            let mut errors = Diagnostics::default();
            errors.0.extend(pdf.err().into_iter().flat_map(|e| e.0));
            errors.0.extend(site.err().into_iter().flat_map(|e| e.0));
            return Err(errors);
        }
    };
    let mut warnings = resolved.warnings.clone();
    if let Some(pdf) = &pdf {
        warnings.extend(pdf.warnings.iter().cloned());
        pdf::add_to_site(pdf, &mut site)?;
        // The keys describe the pages before the PDF's size went in.
        site.render_keys.clear();
    }
    if options.strict && !warnings.is_empty() {
        return Err(Diagnostics(
            warnings.into_iter().map(Diagnostic::into_error).collect(),
        ));
    }
    stage("pdf+render");
    write::write_site(&site, &output, &previous, project.cache.as_deref())?;
    stage("write");
    let summary = BuildSummary {
        pages: site.pages,
        citations: resolved.all_citations.len(),
        sources: resolved.citations.entries.len(),
        // Data figures and image figures alike: readers count them together.
        figures: resolved.figures.len()
            + resolved.document.images.iter().filter(|i| i.figure).count(),
        milliseconds: started.elapsed().as_millis(),
        out,
        pdf_pages: pdf.as_ref().map(|p| p.pages),
        warnings,
        timings,
        up_to_date: false,
        warnings_before: Vec::new(),
    };
    let counts = unchanged::Counts {
        pages: summary.pages,
        citations: summary.citations,
        sources: summary.sources,
        figures: summary.figures,
        pdf_pages: summary.pdf_pages,
        warnings: summary
            .warnings
            .iter()
            .map(Diagnostic::render_short)
            .collect(),
    };
    unchanged::remember(&project, inputs, counts);
    drop_aside((project, resolved, site, pdf, previous));
    Ok(summary)
}

/// Frees a build's data on a thread of its own: structure by structure, that is tens of
/// milliseconds of a big brief's rebuild, and `brief build` ends without waiting for it.
/// (When no thread can start, the data is freed at once.)
fn drop_aside<T: Send + 'static>(data: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(data));
}
