//! `brief` turns a policy brief — Markdown sections with YAML front matter, a references file and
//! figure data — into a fast, accessible, fully sourced website.
//!
//! The pipeline is the module list, each stage with its own output type:
//! 1. [`load`]: the brief's files → [`load::Project`]
//! 2. [`parse`]: front matter and Markdown, citations and figure blocks found → [`parse::Document`]
//! 3. [`resolve`]: citations formatted by a CSL engine, figures drawn → [`resolve::ResolvedDocument`]
//! 4. [`render`]: pages from Tera templates → [`render::Site`]
//! 5. [`write`]: minified, written beside the output and swapped into place

// A panic is a bug the author cannot act on: fallible paths return diagnostics instead.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod assets;
pub mod audit;
pub mod check;
pub mod citation_syntax;
pub mod cite;
pub mod diagnostic;
pub mod figure;
pub mod fingerprint;
pub mod frontmatter;
pub mod html;
pub mod links;
pub mod load;
pub mod meta;
pub mod parallel;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod slug;
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
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Milliseconds spent in each stage, in pipeline order (`brief build --timings`).
    pub timings: Vec<(&'static str, f64)>,
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let warnings = match self.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        };
        write!(
            f,
            "built {} pages, {} citations, {} sources, {} figures{warnings} in {} ms → {}",
            self.pages,
            self.citations,
            self.sources,
            self.figures,
            self.milliseconds,
            self.out.display()
        )
    }
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
    let out = options.out.clone().unwrap_or_else(|| folder.join("public"));
    check_output_folder(folder, &out)?;
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
    let site = render::render(&project, &resolved)?;
    stage("render");
    write::write_site(&site, &out, project.cache.as_deref())?;
    stage("write");
    Ok(BuildSummary {
        pages: site.pages,
        citations: resolved.all_citations.len(),
        sources: resolved.citations.entries.len(),
        figures: resolved.figures.len(),
        milliseconds: started.elapsed().as_millis(),
        out,
        warnings: resolved.warnings,
        timings,
    })
}

/// `path` as the file system will take it: absolute, `..` and symbolic links resolved, even
/// where its end does not exist yet (an output folder before the first build).
fn resolved_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve links in the longest part that exists, then add the rest as written.
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return normal,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// The output replaces a whole folder: never the brief itself or a folder holding its sources.
fn check_output_folder(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let (root_abs, out_abs) = (resolved_path(root), resolved_path(out));
    let protected = ["content", "data", "templates", "static", "src", ".git"];
    let inside_sources = protected
        .iter()
        .any(|dir| out_abs.starts_with(root_abs.join(dir)));
    if out_abs == root_abs || root_abs.starts_with(&out_abs) || inside_sources {
        return Err(Diagnostic::new(format!(
            "refusing to write the site to {}: the build replaces that whole folder",
            out.display()
        ))
        .hint("choose an output folder of its own, such as `public/`"));
    }
    Ok(())
}
