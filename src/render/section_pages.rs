//! The section pages: one per section, with the references it cites and a table of contents
//! that stays short on long briefs.

use tera::{Context, Tera};

use super::body::section_html;
use super::notes::Notes;
use super::page::Pages;
use super::site::RenderedPage;
use super::templates::TOC_ENTRY;
use super::{
    discovery, entries_by_section, entry_context, figures_html, section_context, BriefContext,
    EntryContext, SectionContext,
};
use crate::cite::ReferenceEntry;
use crate::diagnostic::Diagnostics;
use crate::load::Project;
use crate::resolve::ResolvedDocument;

/// What every section page needs, computed once; [`SectionPages::render`] makes one page.
pub(super) struct SectionPages<'a> {
    pages: &'a Pages<'a>,
    resolved: &'a ResolvedDocument,
    brief: &'a BriefContext<'a>,
    section_figures: Vec<String>,
    toc: Vec<SectionContext>,
    cited_on: Vec<Vec<&'a ReferenceEntry>>,
    toc_html: Option<TocEntries>,
    /// The built-in templates use `sections` on a section page only when the entries could not
    /// be rendered ahead; a brief's own templates may use it anywhere, so they always get it.
    /// (Turning the list into template values for every page costs more than the rest of it.)
    pages_need_sections: bool,
}

impl<'a> SectionPages<'a> {
    pub(super) fn new(
        pages: &'a Pages<'a>,
        resolved: &'a ResolvedDocument,
        brief: &'a BriefContext<'a>,
    ) -> Result<Self, Diagnostics> {
        let (tera, project) = (pages.tera, pages.project);
        let document = &resolved.document;
        let toc: Vec<SectionContext> = document
            .sections
            .iter()
            .map(|s| section_context(s, None))
            .collect();
        let toc_html = toc_entries(tera, &toc);
        Ok(Self {
            section_figures: figures_html(tera, project, resolved, "../")?,
            cited_on: entries_by_section(resolved),
            pages_need_sections: toc_html.is_none() || !built_in_templates(project),
            toc_html,
            toc,
            pages,
            resolved,
            brief,
        })
    }

    pub(super) fn count(&self) -> usize {
        self.resolved.document.sections.len()
    }

    /// Where the page of section `index` is written.
    pub(super) fn path(&self, index: usize) -> String {
        format!("{}/index.html", self.resolved.document.sections[index].slug)
    }

    pub(super) fn render(&self, index: usize) -> Result<RenderedPage, Diagnostics> {
        let resolved = self.resolved;
        let document = &resolved.document;
        let meta = &document.meta;
        let toc = &self.toc;
        let section = &document.sections[index];
        let mut notes = Notes::default();
        let html = section_html(
            section,
            resolved,
            &self.section_figures,
            "../",
            0,
            &mut notes,
        );
        let current = section_context(section, Some(html));
        let entries: Vec<EntryContext<'_>> = self.cited_on[index]
            .iter()
            .map(|&entry| entry_context(entry, resolved, Some(index)))
            .collect();
        let toc_page = self.toc_html.as_ref().map(|toc| toc.for_page(index));
        let toc_page = toc_page.unwrap_or_default();
        let notes_html = notes.html();
        let (previous, next) = (index.checked_sub(1).map(|i| &toc[i]), toc.get(index + 1));
        let path = format!("{}/", section.slug);
        let authors = &resolved.citations.self_citation.authors;
        let head = discovery::head(meta, &path, authors, &resolved.citations.entries, false);
        let mut context = self.pages.context("section.html");
        context.insert("brief", self.brief);
        context.insert("root", "../");
        if self.pages_need_sections {
            context.insert("sections", toc);
        }
        context.insert("toc_entries", &toc_page);
        context.insert("section", &current);
        context.insert("notes_html", &notes_html);
        context.insert("previous", &previous);
        context.insert("next", &next);
        context.insert("references", &entries);
        context.insert("head", &head);
        self.pages.render(context, &self.path(index))
    }
}

/// Whether the templates a section page uses are the built-in ones.
fn built_in_templates(project: &Project) -> bool {
    ["base.html", "section.html", "macros.html"]
        .iter()
        .all(|name| {
            let built_in = crate::assets::TEMPLATES
                .iter()
                .find(|(built_in, _)| built_in == name)
                .map(|(_, text)| *text);
            project.templates.get(*name).map(|file| file.text.as_str()) == built_in
        })
}

/// Each section's table-of-contents entry, rendered twice: as the current page and as any other.
struct TocEntries {
    others: Vec<String>,
    currents: Vec<String>,
}

impl TocEntries {
    /// The `entries` the `toc` macro takes on the page of section `page`, put together from the
    /// rendered entries, so that a brief of N sections does not render N×N of them. A long
    /// brief's section page lists the sections around it, and links to the home page for the
    /// rest: 1,000 sections would otherwise put 1,000 entries on each of 1,000 pages.
    fn for_page(&self, page: usize) -> String {
        let count = self.others.len();
        let (from, to) = if count > TOC_FULL_UP_TO {
            let from = page.saturating_sub(TOC_AROUND);
            (from, (page + TOC_AROUND + 1).min(count))
        } else {
            (0, count)
        };
        let mut html = String::new();
        if from > 0 {
            html.push_str(&toc_more(from, "earlier"));
        }
        for index in from..to {
            html.push_str(if index == page {
                &self.currents[index]
            } else {
                &self.others[index]
            });
        }
        if to < count {
            html.push_str(&toc_more(count - to, "later"));
        }
        html
    }
}

/// Up to this many sections, every section page lists them all.
const TOC_FULL_UP_TO: usize = 60;
/// Past it, a section page lists this many sections on each side of its own.
const TOC_AROUND: usize = 10;

/// "12 earlier sections", linking to the home page's full contents.
fn toc_more(n: usize, which: &str) -> String {
    let noun = if n == 1 { "section" } else { "sections" };
    format!("<li class=\"toc-more\"><a href=\"../#contents\">{n} {which} {noun}</a></li>\n")
}

/// `None` when the brief's own macros.html has no `toc_entry`: the macro then loops over
/// `sections` itself.
fn toc_entries(tera: &Tera, toc: &[SectionContext]) -> Option<TocEntries> {
    let entry = |section: &SectionContext, current: &str| {
        let mut context = Context::new();
        context.insert("s", section);
        context.insert("root", "../");
        context.insert("current", current);
        tera.render(TOC_ENTRY, &context).ok()
    };
    Some(TocEntries {
        others: toc.iter().map(|s| entry(s, "")).collect::<Option<_>>()?,
        currents: toc
            .iter()
            .map(|s| entry(s, &s.slug))
            .collect::<Option<_>>()?,
    })
}
