//! Stage 2, parse: front matter into typed metadata, Markdown into events, and every citation and
//! figure block found with its place in the file. The result is a [`Document`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::Event;

use crate::citation_syntax::CiteItem;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::figure::spec::FigureSpec;
use crate::frontmatter;
use crate::load::Project;
use crate::meta::{BriefMeta, DocumentMeta, SectionMeta, BRIEF_FIELDS, SECTION_FIELDS};
use crate::slug::{folder_name_problem, slugify, UniqueIds};

mod attrs;
mod blocks;
mod body;
mod images;
mod inline;
mod inline_notes;
mod markup;
mod math;
mod pieces;
mod targets;
mod tidy;

pub use attrs::Attrs;
pub use images::{Image, ImageSource};
pub use markup::{callout_title, Formula, Markup};

use body::parse_body;

/// The brief, parsed.
#[derive(Debug)]
pub struct Document {
    pub meta: BriefMeta,
    /// A single Markdown document: its home page is its only page.
    pub single: bool,
    pub index: Arc<SourceFile>,
    /// Byte range of `_index.md`'s front matter YAML (for errors about the metadata).
    pub index_yaml: Range<usize>,
    /// In reading order (by `order`).
    pub sections: Vec<Section>,
    /// Every citation in the text, in reading order; [`Piece::Citation`] indexes into it.
    pub citations: Vec<Citation>,
    /// Every figure block, in reading order; [`Piece::Figure`] indexes into it.
    pub figures: Vec<FigureSpec>,
    /// Every image, in reading order; [`Piece::Image`] indexes into it.
    pub images: Vec<Image>,
    /// Every cross-reference (`@fig-ID`, `\\autoref{fig:x}`, `\\eqref{eq:y}`);
    /// [`Piece::CrossRef`] indexes into it.
    pub cross_refs: Vec<CrossRef>,
    /// Every formula, in reading order; [`Markup::Formula`] indexes into it.
    pub formulas: Vec<Formula>,
    /// What cross-references can point to, by label (`fig-ID`, `fig:x`, `eq:y`).
    pub targets: BTreeMap<String, Target>,
    /// Problems that do not stop the build, such as a `javascript:` link shown as text.
    pub warnings: Vec<Diagnostic>,
}

/// A cross-reference in the text: becomes a link "Figure N", "(2)"…
#[derive(Debug, Clone)]
pub struct CrossRef {
    /// The label it names: `fig-ID` for `@fig-ID`, `fig:x` for `\\autoref{fig:x}`.
    pub label: String,
    pub form: RefForm,
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub section: usize,
}

impl CrossRef {
    /// What it prints for `target`: "Figure 3", "3" or "(2)".
    pub fn text(&self, target: &Target) -> String {
        match self.form {
            RefForm::Named => format!("{} {}", target.kind.word(), target.number),
            RefForm::Number => target.number.to_string(),
            RefForm::Equation => format!("({})", target.number),
        }
    }
}

/// How a cross-reference is written, and so how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefForm {
    /// `@fig-ID`, `@eq-ID` (Quarto) and `\\autoref{…}`: "Figure 3", "Equation 2".
    Named,
    /// `\\ref{…}`: "3".
    Number,
    /// `\\eqref{…}`: "(2)".
    Equation,
}

/// Something numbered that cross-references point to.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: TargetKind,
    pub number: usize,
    /// The element's id on the page.
    pub anchor: String,
    pub section: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Figure,
    Equation,
}

impl TargetKind {
    pub fn word(self) -> &'static str {
        match self {
            TargetKind::Figure => "Figure",
            TargetKind::Equation => "Equation",
        }
    }
}

#[derive(Debug)]
pub struct Section {
    pub meta: SectionMeta,
    /// Folder name of the section's page, and the anchor of its heading on the home page.
    pub slug: String,
    /// Where the slug was decided: its `slug:` line, else the front matter.
    pub slug_span: Range<usize>,
    pub file: Arc<SourceFile>,
    pub body: Vec<Piece>,
    /// The section's own headings, for the table of contents.
    pub headings: Vec<Heading>,
}

/// A piece of a section's body: Markdown, or a place where a resolved citation or figure goes.
#[derive(Debug, Clone)]
pub enum Piece {
    Markdown(Event<'static>),
    Citation(usize),
    Figure(usize),
    CrossRef(usize),
    Image(usize),
    Markup(Markup),
}

#[derive(Debug, Clone)]
pub struct Heading {
    /// As written in the Markdown (`##` is 2).
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A citation as written: `[see @a, p. 4; @b]` or narrative `@a`.
#[derive(Debug, Clone)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// `@key` in running text rather than in brackets.
    pub narrative: bool,
    pub file: Arc<SourceFile>,
    /// Byte range in `file` (spans of the items' keys are in `file` too).
    pub span: Range<usize>,
    /// Index of the section it appears in.
    pub section: usize,
}

/// Ids the templates use; headings never take them.
const RESERVED_IDS: &[&str] = &["top", "contents", "main", "references", "title-block"];

pub fn parse(project: &Project) -> Result<Document, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let index = Arc::clone(&project.index);
    let parsed_index = if project.single {
        parse_single(&index)
    } else {
        parse_index(&index)
    };
    let (mut meta, index_yaml) = match parsed_index {
        Ok((mut meta, yaml)) => {
            meta.people_from_names();
            (meta, yaml)
        }
        Err(error) => {
            diagnostics.push(error);
            return Err(diagnostics);
        }
    };
    if let Err(errors) =
        crate::meta_rules::check(&mut meta, &index, index_yaml.clone(), project.single)
    {
        diagnostics.0.extend(errors.0);
    }

    let mut metas = Vec::new();
    if project.single {
        // The document is its own only section, without a title of its own.
        let split = frontmatter::split(&index).map_err(Diagnostics::from)?;
        let meta = SectionMeta {
            title: String::new(),
            order: 0,
            number: None,
            slug: Some("document".into()),
        };
        metas.push((Arc::clone(&index), meta, split));
    }
    for file in &project.sections {
        match frontmatter::split(file).and_then(|split| {
            let meta: SectionMeta = frontmatter::parse_yaml(
                file,
                split.yaml.clone(),
                "section front matter",
                SECTION_FIELDS,
            )?;
            Ok((meta, split))
        }) {
            Ok((meta, split)) => metas.push((Arc::clone(file), meta, split)),
            Err(error) => diagnostics.push(error),
        }
    }
    // Sorting is stable and the files come in path order, so equal `order`s cannot reorder
    // between runs; they are still reported, since the author surely meant something else.
    metas.sort_by_key(|(_, meta, _)| meta.order);
    check_unique_orders(&metas, &mut diagnostics);

    let mut ids = UniqueIds::default();
    RESERVED_IDS.iter().for_each(|id| ids.reserve(id));
    let mut slugs: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    let mut document_parts = Parts::default();
    let mut sections = Vec::new();
    for (index_in_brief, (file, meta, split)) in metas.into_iter().enumerate() {
        let slug = meta
            .slug
            .clone()
            .unwrap_or_else(|| slugify(&file_stem(&file.name)));
        // Point at `slug:` when the author wrote one, else at the whole front matter.
        let slug_span = meta
            .slug
            .as_ref()
            .and_then(|_| frontmatter::field_line(&file.text, split.yaml.clone(), "slug"))
            .unwrap_or_else(|| split.yaml.clone());
        if let Some(problem) = folder_name_problem(&slug) {
            diagnostics.push(
                Diagnostic::new(format!("`slug: {slug}` cannot be a page's folder: {problem}"))
                    .at(&file, slug_span.clone(), "not a folder name")
                    .hint("a slug is one folder name: letters, digits, `-`, `_` and `.` (not first), such as `state-of-play`"),
            );
        }
        if let Some(other) = slugs.get(&slug) {
            diagnostics.push(
                Diagnostic::new(format!("two sections have the page name `{slug}`"))
                    .at(&file, slug_span.clone(), "this section")
                    .hint(format!(
                        "{} has it too; give one of them `slug: …` in its front matter",
                        other.name
                    )),
            );
        }
        slugs.insert(slug.clone(), Arc::clone(&file));
        ids.reserve(&slug);
        let (body, headings) = parse_body(
            &file,
            split.body.clone(),
            &slug,
            index_in_brief,
            &mut ids,
            &mut document_parts,
            &mut diagnostics,
        );
        sections.push(Section {
            meta,
            slug,
            slug_span,
            file,
            body,
            headings,
        });
    }
    targets::check_cross_refs(&mut document_parts, &mut diagnostics);
    diagnostics.into_result(Document {
        meta,
        single: project.single,
        index,
        index_yaml,
        sections,
        citations: document_parts.citations,
        figures: document_parts.figures,
        images: document_parts.images,
        cross_refs: document_parts.cross_refs,
        formulas: document_parts.formulas,
        targets: document_parts.targets,
        warnings: document_parts.warnings,
    })
}

fn parse_index(index: &Arc<SourceFile>) -> Result<(BriefMeta, Range<usize>), Diagnostic> {
    let split = frontmatter::split(index)?;
    let meta = frontmatter::parse_yaml(index, split.yaml.clone(), "brief metadata", BRIEF_FIELDS)?;
    Ok((meta, split.yaml))
}

fn parse_single(index: &Arc<SourceFile>) -> Result<(BriefMeta, Range<usize>), Diagnostic> {
    let split = frontmatter::split(index)?;
    let meta: DocumentMeta =
        frontmatter::parse_yaml(index, split.yaml.clone(), "document metadata", &[])?;
    Ok((meta.into_brief_meta(), split.yaml))
}

fn check_unique_orders(
    metas: &[(Arc<SourceFile>, SectionMeta, frontmatter::Split)],
    diagnostics: &mut Diagnostics,
) {
    for pair in metas.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        if first.1.order == second.1.order {
            let (file, split) = (&second.0, &second.2);
            let at = file.text[split.yaml.clone()]
                .find("order")
                .map_or(split.yaml.start, |i| split.yaml.start + i);
            let end = file.text[at..]
                .find('\n')
                .map_or(file.text.len(), |i| at + i);
            diagnostics.push(
                Diagnostic::new(format!("two sections have `order: {}`", second.1.order))
                    .at(file, at..end, "same order as another section")
                    .hint(format!(
                        "{} has it too; sections are sorted by `order`, so give each its own",
                        first.0.name
                    )),
            );
        }
    }
}

/// "content/01-state-of-play.md" → "01-state-of-play".
fn file_stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.strip_suffix(".md").unwrap_or(base).to_string()
}

/// Citations and figures of the whole brief, numbered in reading order.
#[derive(Default)]
struct Parts {
    citations: Vec<Citation>,
    figures: Vec<FigureSpec>,
    images: Vec<Image>,
    cross_refs: Vec<CrossRef>,
    formulas: Vec<Formula>,
    targets: BTreeMap<String, Target>,
    /// Figures (data and images) and equations so far, for their numbers.
    figure_count: usize,
    equation_count: usize,
    warnings: Vec<Diagnostic>,
    /// Across sections: the home page holds them all.
    nesting: crate::limits::NestingGauge,
}
