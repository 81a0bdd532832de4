//! Stage 4, render: the resolved brief into HTML pages through Tera templates. The result is a
//! [`Site`]: every output file's path and bytes, nothing written yet.

use serde::Serialize;
use tera::{Context, Tera};

mod audit_page;
mod audit_sentence;
mod body;
mod discovery;
mod images;
mod notes;
mod page;
mod section_pages;
mod site;
mod templates;

use body::{citation_span, section_html};
use notes::Notes;

use page::Pages;
use section_pages::SectionPages;
use templates::{load_templates, render_template};

pub use site::{is_site_path, Origin, RenderedPage, Site};

use crate::cite::{reference_anchor, ReferenceEntry};
use crate::diagnostic::Diagnostics;
use crate::figure::draw::CaptionPart;
use crate::html::escape;
use crate::load::Project;
use crate::parse::{Heading, Piece, Section};
use crate::previous::PreviousSite;
use crate::resolve::ResolvedDocument;

/// What every page's template sees about the brief.
#[derive(Serialize)]
struct BriefContext<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    authors: &'a [String],
    /// The same authors with affiliations (numbered into `affiliations`), ORCID and notes.
    people: &'a [crate::people::Person],
    affiliations: &'a [String],
    /// ISO (`2025-10-20`), for `datetime` attributes; none for a date in free text.
    date: Option<&'a str>,
    /// For reading: "October 20, 2025" in English briefs.
    date_display: Option<String>,
    lang: &'a str,
    description: Option<&'a str>,
    /// The paragraph under the title: `abstract`, or `description` when the text does not
    /// already open with it.
    lede: Option<&'a str>,
    /// The PDF, for "Download PDF (212 KB)".
    pdf: Option<PdfLink>,
}

/// What the pages say of the PDF: "Download PDF (204 KB, 10 pages)".
#[derive(Debug, Clone, Serialize)]
pub struct PdfLink {
    /// Its file name, percent-encoded for the link.
    pub file: String,
    /// Its size and pages, in words.
    pub about: String,
}

#[derive(Serialize)]
struct SectionContext {
    slug: String,
    title: String,
    number: Option<String>,
    /// Only on the page that shows the section's text.
    html: Option<String>,
    headings: Vec<HeadingContext>,
}

#[derive(Serialize)]
struct HeadingContext {
    /// Level below the section's title: 1 for `##`.
    depth: u8,
    id: String,
    text: String,
}

/// A reference entry as templates see it: the entry's fields but its `cited_at`, which are
/// indexes into all of the brief's citations (one citation added anywhere would change every
/// page's context after it); `backlinks` say the same for the page.
#[derive(Serialize)]
struct EntryContext<'a> {
    key: &'a str,
    html: &'a str,
    text: &'a str,
    links: &'a [String],
    archive: Option<&'a str>,
    listed: bool,
    anchor: String,
    /// Where it is cited, as links valid on this page.
    backlinks: Vec<Backlink>,
}

#[derive(Serialize)]
struct Backlink {
    href: String,
    label: usize,
}

/// The pages of the brief; with `pdf`, each links the brief's PDF. A page the `previous` build
/// wrote from the same templates and values is carried over rather than rendered.
pub fn render(
    project: &Project,
    resolved: &ResolvedDocument,
    pdf: Option<&PdfLink>,
    previous: Option<&PreviousSite>,
) -> Result<Site, Diagnostics> {
    let tera = load_templates(project)?;
    let pages = Pages::new(&tera, project, previous);
    let document = &resolved.document;
    let meta = &document.meta;
    let brief = BriefContext {
        title: &meta.title,
        subtitle: meta.subtitle.as_deref(),
        authors: &meta.author.0,
        people: &meta.people,
        affiliations: &meta.affiliations,
        date: meta.date_iso.as_deref(),
        // A date in words is shown as written; an ISO one in words of the brief's language.
        date_display: meta.date.as_deref().map(|written| {
            match meta
                .date_iso
                .as_deref()
                .filter(|iso| written.starts_with(*iso))
            {
                Some(iso) => crate::date::in_words(iso, &meta.lang),
                None => written.to_string(),
            }
        }),
        lang: &meta.lang,
        description: meta.description.as_deref(),
        lede: meta.summary.as_deref().or_else(|| {
            meta.description
                .as_deref()
                .filter(|d| !text_opens_with(document, d))
        }),
        pdf: pdf.cloned(),
    };

    // The home page (the whole brief) and the audit page are the two biggest: they go first,
    // one to each core, and the section pages fill in around them.
    let section_pages = if project.single {
        None
    } else {
        Some(SectionPages::new(&pages, resolved, &brief)?)
    };
    let page_count = 2 + section_pages.as_ref().map_or(0, |p| p.count());
    let mut rendered = crate::parallel::map(page_count, |index| match index {
        0 => render_home(&pages, resolved, &brief),
        1 => audit_page::render_audit(&pages, resolved, &brief),
        _ => match &section_pages {
            Some(sections) => sections.render(index - 2),
            None => Ok(RenderedPage::default()),
        },
    })
    .into_iter();
    let mut next = || {
        rendered
            .next()
            .unwrap_or_else(|| Ok(RenderedPage::default()))
    };
    let (home, audit) = (next()?, next()?);
    let sections: Vec<RenderedPage> = rendered.collect::<Result<_, _>>()?;
    let citation = &resolved.citations.self_citation;
    let all_entries = &resolved.citations.entries;
    let mut paths = vec![String::new()];
    if !project.single {
        // (A single document is its home page; a page per section would repeat it.)
        paths.extend(document.sections.iter().map(|s| format!("{}/", s.slug)));
    }

    // The 404 page is served at any depth, so its links start at the site's root.
    let root = discovery::page_url(meta, "").unwrap_or_else(|| "/".to_string());
    let toc: Vec<SectionContext> = document
        .sections
        .iter()
        .map(|s| section_context(s, None))
        .collect();
    let mut context = Context::new();
    context.insert("brief", &brief);
    context.insert("root", &root);
    context.insert("sections", &toc);
    context.insert(
        "head",
        &discovery::head(meta, "404.html", &citation.authors, all_entries, false),
    );
    let not_found = render_template(&tera, project, "404.html", &context)?;

    // Every file claims its place; generated pages first, so that a clash names the author's file.
    let mut site = Site::default();
    let mut diagnostics = Diagnostics::default();
    for (folder, what, group) in KEPT_FOLDERS {
        site.keep_folder(folder, Origin::generated(*what).in_group(group));
    }
    let mut add = |site: &mut Site, path: &str, content: Content, origin: Origin| {
        let added = match content {
            Content::File(bytes) => site.add(path, bytes, origin),
            Content::Page(page) => site.add_page(path, page, origin),
        };
        if let Err(error) = added {
            diagnostics.push(error);
        }
    };
    add(
        &mut site,
        HOME_PAGE,
        Content::Page(home),
        Origin::generated("the home page"),
    );
    let audit_origin = Origin::generated("the Source audit page").in_group("audit");
    add(
        &mut site,
        audit_page::AUDIT_PAGE,
        Content::Page(audit),
        audit_origin,
    );
    add(
        &mut site,
        "404.html",
        Content::File(not_found.into_bytes()),
        Origin::generated("the 404 page"),
    );
    site.pages += 2; // the 404 page is not one of the brief's pages

    let cite_files = [
        ("cite.bib", citation.bibtex.clone()),
        ("cite.ris", citation.ris.clone()),
        ("robots.txt", discovery::robots(meta)),
    ];
    for (path, text) in cite_files {
        add(
            &mut site,
            path,
            Content::File(text.into_bytes()),
            Origin::generated(format!("the generated `{path}`")),
        );
    }
    if let Some(sitemap) = discovery::sitemap(meta, &paths) {
        add(
            &mut site,
            "sitemap.xml",
            Content::File(sitemap.into_bytes()),
            Origin::generated("the generated `sitemap.xml`"),
        );
    }
    if let Some(section_pages) = &section_pages {
        for (index, (section, page)) in document.sections.iter().zip(sections).enumerate() {
            let origin = Origin::generated(format!("the page of section {}", section.file.name))
                .at(&section.file, section.slug_span.clone());
            add(
                &mut site,
                &section_pages.path(index),
                Content::Page(page),
                origin,
            );
            site.pages += 1;
        }
    }
    for file in &resolved.data_files {
        let (named_in, span) = &file.named_at;
        let origin = Origin::generated(format!("the data file {}", file.from))
            .in_group("data")
            .at(named_in, span.clone());
        add(
            &mut site,
            &file.path,
            Content::File(file.text.clone().into_bytes()),
            origin,
        );
    }
    for (image, resolved_image) in document.images.iter().zip(&resolved.images) {
        // Each file once, from the first image that names it.
        if let (Some(path), Some(bytes)) = (&resolved_image.site_path, &resolved_image.bytes) {
            let origin = Origin::generated(format!("the image `{path}`"))
                .at(&image.file, image.span.clone());
            add(&mut site, path, Content::File(bytes.clone()), origin);
        }
    }
    for (path, bytes) in &project.static_files {
        let origin = Origin::generated(format!("the static file `static/{path}`"));
        add(&mut site, path, Content::File(bytes.clone()), origin);
    }
    diagnostics.into_result(site)
}

/// What goes into the site at a path.
enum Content {
    File(Vec<u8>),
    Page(RenderedPage),
}

/// Whether the brief's first paragraph begins with the description's first sentence: then the
/// description under the title would make the reader read it twice.
fn text_opens_with(document: &crate::parse::Document, description: &str) -> bool {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let Some(section) = document.sections.first() else {
        return false;
    };
    let mut opening = String::new();
    let mut inside = false;
    for piece in &section.body {
        match piece {
            Piece::Markdown(Event::Start(Tag::Paragraph)) => inside = true,
            Piece::Markdown(Event::End(TagEnd::Paragraph)) if inside => break,
            Piece::Markdown(Event::Text(text)) if inside => opening.push_str(text),
            Piece::Markdown(Event::SoftBreak) if inside => opening.push(' '),
            _ => {}
        }
    }
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first_sentence = description
        .split_inclusive(". ")
        .next()
        .unwrap_or(description);
    let first_sentence = words(first_sentence);
    !first_sentence.is_empty() && words(&opening).starts_with(first_sentence.trim_end())
}

/// Folders the site keeps for what it generates: (folder, what, group).
const KEPT_FOLDERS: &[(&str, &str, &str)] = &[
    ("audit", "the Source audit page", "audit"),
    ("data", "the figures' data files", "data"),
    ("__brief", "`brief serve`'s reload channel", "serve"),
    (
        crate::output::MARKER,
        "the mark of a site brief wrote",
        "marker",
    ),
];

/// Where the home page is written.
const HOME_PAGE: &str = "index.html";

/// The home page: the whole brief.
fn render_home(
    pages: &Pages<'_>,
    resolved: &ResolvedDocument,
    brief: &BriefContext<'_>,
) -> Result<RenderedPage, Diagnostics> {
    let (tera, project) = (pages.tera, pages.project);
    let document = &resolved.document;
    let meta = &document.meta;
    let home_figures = figures_html(tera, project, resolved, "")?;

    // The home page: the whole brief, its notes numbered through and gathered at its end.
    let mut notes = Notes::default();
    let sections: Vec<SectionContext> = document
        .sections
        .iter()
        .map(|section| {
            let html = section_html(section, resolved, &home_figures, "", 1, &mut notes);
            section_context(section, Some(html))
        })
        .collect();
    let entries: Vec<EntryContext<'_>> = resolved
        .citations
        .entries
        .iter()
        .map(|entry| entry_context(entry, resolved, None))
        .collect();
    let notes_html = notes.html();
    let citation = &resolved.citations.self_citation;
    let all_entries = &resolved.citations.entries;
    let head = discovery::head(meta, "", &citation.authors, all_entries, true);
    let mut context = pages.context("index.html");
    context.insert("brief", brief);
    context.insert("root", "");
    context.insert("single", &project.single);
    context.insert("sections", &sections);
    context.insert("notes_html", &notes_html);
    context.insert("references", &entries);
    context.insert("cite_this", citation);
    context.insert("head", &head);
    pages.render(context, HOME_PAGE)
}

fn section_context(section: &Section, html: Option<String>) -> SectionContext {
    let top = section.headings.iter().map(|h| h.level).min().unwrap_or(2);
    SectionContext {
        slug: section.slug.clone(),
        title: section.meta.title.clone(),
        number: section.meta.number.as_ref().map(ToString::to_string),
        html,
        headings: section
            .headings
            .iter()
            .map(|heading| heading_context(heading, top))
            .collect(),
    }
}

/// `depth` 1 is the section's own top heading level (`##` in a brief, `#` in a single paper).
fn heading_context(heading: &Heading, top: u8) -> HeadingContext {
    HeadingContext {
        depth: heading.level.saturating_sub(top) + 1,
        id: heading.id.clone(),
        text: heading.text.clone(),
    }
}

/// Each figure's HTML through the `figure.html` template, for pages at `root`.
fn figures_html(
    tera: &Tera,
    project: &Project,
    resolved: &ResolvedDocument,
    root: &str,
) -> Result<Vec<String>, Diagnostics> {
    resolved
        .figures
        .iter()
        .map(|figure| {
            let mut context = Context::new();
            context.insert("figure", figure);
            context.insert("root", root);
            let sources = figure
                .sources_citation
                .map(|index| citation_span(index, resolved));
            context.insert("sources_html", &sources);
            let caption: String = figure
                .caption
                .iter()
                .map(|part| match part {
                    CaptionPart::Text(text) => escape(text),
                    CaptionPart::Citation(index) => citation_span(*index, resolved),
                })
                .collect();
            context.insert("caption_html", &caption);
            render_template(tera, project, "figure.html", &context)
        })
        .collect()
}

/// For each section, the reference entries it cites, in reference-list order: computed once
/// for all pages rather than by searching every entry for every page.
fn entries_by_section(resolved: &ResolvedDocument) -> Vec<Vec<&ReferenceEntry>> {
    let mut by_section = vec![Vec::new(); resolved.document.sections.len()];
    for entry in &resolved.citations.entries {
        let mut sections: Vec<usize> = entry
            .cited_at
            .iter()
            .map(|&index| resolved.all_citations[index].section)
            .collect();
        sections.dedup();
        sections.sort_unstable();
        sections.dedup();
        for section in sections {
            if let Some(list) = by_section.get_mut(section) {
                list.push(entry);
            }
        }
    }
    by_section
}

/// An entry with backlinks that work on the page being written (`on_section`: a section page).
fn entry_context<'a>(
    entry: &'a ReferenceEntry,
    resolved: &ResolvedDocument,
    on_section: Option<usize>,
) -> EntryContext<'a> {
    let backlinks = entry
        .cited_at
        .iter()
        .enumerate()
        .map(|(n, &index)| {
            let anchor = resolved.citation_anchor(index);
            let section = resolved.all_citations[index].section;
            let href = match on_section {
                None => format!("#{anchor}"),
                Some(current) if current == section => format!("#{anchor}"),
                Some(_) => format!("../{}/#{anchor}", resolved.document.sections[section].slug),
            };
            Backlink { href, label: n + 1 }
        })
        .collect();
    EntryContext {
        key: &entry.key,
        html: &entry.html,
        text: &entry.text,
        links: &entry.links,
        archive: entry.archive.as_deref(),
        listed: entry.listed,
        anchor: reference_anchor(&entry.key),
        backlinks,
    }
}
