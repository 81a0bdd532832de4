//! Stage 2, parse: front matter into typed metadata, Markdown into events, and every citation and
//! figure block found with its place in the file. The result is a [`Document`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use crate::citation_syntax::{self, CiteItem};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::figure::spec::{FigureFields, FigureSpec, FIGURE_FIELDS};
use crate::frontmatter;
use crate::html::safe_url;
use crate::load::Project;
use crate::meta::{BriefMeta, DocumentMeta, SectionMeta, BRIEF_FIELDS, SECTION_FIELDS};
use crate::slug::{folder_name_problem, slugify, UniqueIds};

mod tidy;

use tidy::{attach_narrative_locators, drop_trailing_references_heading};

/// The brief, parsed.
#[derive(Debug)]
pub struct Document {
    pub meta: BriefMeta,
    pub index: Arc<SourceFile>,
    /// Byte range of `_index.md`'s front matter YAML (for errors about the metadata).
    pub index_yaml: Range<usize>,
    /// In reading order (by `order`).
    pub sections: Vec<Section>,
    /// Every citation in the text, in reading order; [`Piece::Citation`] indexes into it.
    pub citations: Vec<Citation>,
    /// Every figure block, in reading order; [`Piece::Figure`] indexes into it.
    pub figures: Vec<FigureSpec>,
    /// Every `@fig-ID` cross-reference; [`Piece::FigureRef`] indexes into it.
    pub figure_refs: Vec<FigureRef>,
    /// Problems that do not stop the build, such as a `javascript:` link shown as text.
    pub warnings: Vec<Diagnostic>,
}

/// `@fig-ID` in the text: becomes a link "Figure N" (Quarto's convention).
#[derive(Debug, Clone)]
pub struct FigureRef {
    /// The figure's id, without `fig-`.
    pub id: String,
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub section: usize,
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
    FigureRef(usize),
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
        Ok(parsed) => parsed,
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
    diagnostics.into_result(Document {
        meta,
        index,
        index_yaml,
        sections,
        citations: document_parts.citations,
        figures: document_parts.figures,
        figure_refs: document_parts.figure_refs,
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
    figure_refs: Vec<FigureRef>,
    warnings: Vec<Diagnostic>,
    /// Across sections: the home page holds them all.
    nesting: crate::limits::NestingGauge,
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Turns one section's Markdown into pieces, collecting its citations, figures and headings.
fn parse_body(
    file: &Arc<SourceFile>,
    body_range: Range<usize>,
    slug: &str,
    section_index: usize,
    ids: &mut UniqueIds,
    parts: &mut Parts,
    diagnostics: &mut Diagnostics,
) -> (Vec<Piece>, Vec<Heading>) {
    let base = body_range.start;
    let body = &file.text[body_range];
    // Bracketed citations reach us as "broken links"; each becomes a link to `cite:N`.
    let bracketed: RefCell<Vec<(Range<usize>, Vec<CiteItem>)>> = RefCell::new(Vec::new());
    let callback = |link: BrokenLink<'_>| {
        let raw = &body[link.span.clone()];
        let inner = raw.strip_prefix('[')?.strip_suffix(']')?;
        let items = citation_syntax::parse_bracketed(inner)?;
        let mut found = bracketed.borrow_mut();
        found.push((link.span.clone(), items));
        Some((
            CowStr::from(format!("cite:{}", found.len() - 1)),
            CowStr::from(""),
        ))
    };
    let parser = Parser::new_with_broken_link_callback(body, markdown_options(), Some(callback));

    let mut pieces = Vec::new();
    let mut headings = Vec::new();
    let mut in_citation_link = false;
    let mut in_unsafe_link = false;
    let mut in_unsafe_image = false;
    let mut heading: Option<(usize, HeadingLevel, String)> = None;
    let mut figure: Option<Range<usize>> = None;
    parts.nesting.end_section();
    let mut too_deep = false;
    for (event, range) in parser.into_offset_iter() {
        let span = base + range.start..base + range.end;
        // The page's HTML is minified by a parser that recurses on each element: past the
        // limit it would overflow the stack and abort.
        if let Some(depth) = parts.nesting.observe(&event) {
            if !too_deep {
                diagnostics.push(
                    Diagnostic::new(format!(
                        "the text is nested {depth} levels deep here; brief allows {}",
                        crate::limits::MAX_NESTING
                    ))
                    .at(file, span.start..span.start + 1, "too deep")
                    .hint("quotes, lists, emphasis and HTML elements inside each other count as levels; flatten the structure"),
                );
                too_deep = true;
            }
        }
        if in_citation_link {
            in_citation_link = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        match event {
            // Only http(s), mailto and relative links are made; others keep their text.
            Event::Start(Tag::Link { ref dest_url, .. })
                if !dest_url.starts_with("cite:") && safe_url(dest_url).is_none() =>
            {
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "the link to `{dest_url}` is shown as plain text: only http(s), mailto and relative links are made"
                    ))
                    .at(file, span, "this link")
                    .code("unsafe-url")
                    .hint("link to a web page with its full address (`https://…`), or to a page of the brief"),
                );
                in_unsafe_link = true;
            }
            Event::End(TagEnd::Link) if in_unsafe_link => in_unsafe_link = false,
            // Images may also be inline data, but never script; a refused one leaves its alt text.
            Event::Start(Tag::Image { ref dest_url, .. })
                if safe_url(dest_url).is_none()
                    && !dest_url
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("data:image/") =>
            {
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "the image `{dest_url}` is left out: images come from http(s), relative paths or data:image URLs"
                    ))
                    .at(file, span, "this image")
                    .code("unsafe-url")
                    .hint("give the image's path in the brief, or its https address"),
                );
                in_unsafe_image = true;
            }
            Event::End(TagEnd::Image) if in_unsafe_image => in_unsafe_image = false,
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with("cite:") => {
                let n: usize = dest_url["cite:".len()..].parse().unwrap_or(usize::MAX);
                if let Some((link_span, items)) = bracketed.borrow().get(n) {
                    let offset = base + link_span.start + 1;
                    let items = items
                        .iter()
                        .cloned()
                        .map(|item| shift_item(item, offset))
                        .collect();
                    let span = base + link_span.start..base + link_span.end;
                    parts.citations.push(Citation {
                        items,
                        narrative: false,
                        file: Arc::clone(file),
                        span,
                        section: section_index,
                    });
                    pieces.push(Piece::Citation(parts.citations.len() - 1));
                }
                in_citation_link = true;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang)))
                if lang.trim() == "figure" =>
            {
                figure = Some(span.end..span.end);
            }
            Event::Text(_) if figure.is_some() => {
                if let Some(yaml) = figure.as_mut() {
                    if yaml.start == yaml.end {
                        yaml.start = span.start;
                    }
                    yaml.end = span.end;
                }
            }
            Event::End(TagEnd::CodeBlock) if figure.is_some() => {
                let yaml = figure.take().unwrap_or_default();
                match frontmatter::parse_yaml::<FigureFields>(
                    file,
                    yaml.clone(),
                    "figure",
                    FIGURE_FIELDS,
                ) {
                    Ok(fields) => {
                        let spec = FigureSpec {
                            fields,
                            file: Arc::clone(file),
                            span: yaml,
                            section: section_index,
                        };
                        parts.figures.push(spec);
                        pieces.push(Piece::Figure(parts.figures.len() - 1));
                    }
                    Err(error) => diagnostics.push(error),
                }
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((pieces.len(), level, id.as_deref().unwrap_or("").to_string()));
                pieces.push(Piece::Markdown(
                    Event::Start(Tag::Heading {
                        level,
                        id: None,
                        classes,
                        attrs,
                    })
                    .into_static(),
                ));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _, given_id)) = heading.take() {
                    let text = heading_text(&pieces[start + 1..]);
                    let id = if given_id.is_empty() {
                        ids.unique(&slugify(&text))
                    } else {
                        ids.unique(&given_id)
                    };
                    if let Piece::Markdown(Event::Start(Tag::Heading { id: slot, .. })) =
                        &mut pieces[start]
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    headings.push(Heading {
                        level: level as u8,
                        id,
                        text,
                    });
                }
                pieces.push(Piece::Markdown(Event::End(TagEnd::Heading(level))));
            }
            Event::Text(text) => push_text_with_narrative_citations(
                file,
                text,
                span,
                section_index,
                &mut pieces,
                parts,
            ),
            Event::FootnoteReference(label) => {
                pieces.push(Piece::Markdown(Event::FootnoteReference(CowStr::from(
                    format!("{slug}-fn-{label}"),
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let label = CowStr::from(format!("{slug}-fn-{label}"));
                pieces.push(Piece::Markdown(Event::Start(Tag::FootnoteDefinition(
                    label,
                ))));
            }
            other => pieces.push(Piece::Markdown(other.into_static())),
        }
    }
    drop_trailing_references_heading(&mut pieces, &mut headings);
    attach_narrative_locators(&mut pieces, &mut parts.citations);
    (pieces, headings)
}

fn shift_item(mut item: CiteItem, offset: usize) -> CiteItem {
    item.key_span = item.key_span.start + offset..item.key_span.end + offset;
    item
}

/// The plain text of a heading's inline events.
fn heading_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Markdown(Event::Text(t) | Event::Code(t)) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// Splits a text event around narrative `@key` citations.
fn push_text_with_narrative_citations(
    file: &Arc<SourceFile>,
    text: CowStr<'_>,
    span: Range<usize>,
    section: usize,
    pieces: &mut Vec<Piece>,
    parts: &mut Parts,
) {
    let found = citation_syntax::find_narrative(&text);
    if found.is_empty() {
        pieces.push(Piece::Markdown(Event::Text(text.into_static())));
        return;
    }
    let source = &file.text[span.clone()];
    let mut last = 0;
    let mut search_from = 0;
    for (range, key) in found {
        let written = &text[range.clone()];
        // Smart punctuation may change the text around the key, never the key: find it in the source.
        let at = source[search_from..]
            .find(written)
            .map_or(span.start, |i| span.start + search_from + i);
        search_from = (at - span.start + written.len()).min(source.len());
        // `\@key` is an escaped at sign; pulldown-cmark has already dropped the backslash.
        if file.text[..at].ends_with('\\') {
            continue;
        }
        if range.start > last {
            pieces.push(Piece::Markdown(Event::Text(CowStr::from(
                text[last..range.start].to_string(),
            ))));
        }
        let span = at..at + written.len();
        if let Some(id) = key.strip_prefix("fig-") {
            let id = id.to_string();
            parts.figure_refs.push(FigureRef {
                id,
                file: Arc::clone(file),
                span,
                section,
            });
            pieces.push(Piece::FigureRef(parts.figure_refs.len() - 1));
            last = range.end;
            continue;
        }
        let item = CiteItem {
            key,
            key_span: at..at + written.len(),
            prefix: String::new(),
            suffix: String::new(),
            locator: None,
            suppress_author: false,
        };
        parts.citations.push(Citation {
            items: vec![item],
            narrative: true,
            file: Arc::clone(file),
            span: at..at + written.len(),
            section,
        });
        pieces.push(Piece::Citation(parts.citations.len() - 1));
        last = range.end;
    }
    if last < text.len() {
        pieces.push(Piece::Markdown(Event::Text(CowStr::from(
            text[last..].to_string(),
        ))));
    }
}
