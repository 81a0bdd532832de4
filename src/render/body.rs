//! A section's pieces as HTML: Markdown events with citations, cross-references, figures and
//! images put in, and notes gathered for the page's end.

use pulldown_cmark::{html::push_html, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::images::{image_html, ImageParts};
use super::notes::Notes;
use crate::html::escape;
use crate::parse::{Piece, Section};
use crate::resolve::ResolvedDocument;

/// The section's body as HTML. `shift` moves headings down (`##` is `<h3>` under the home page's
/// `<h2>` section titles, `<h2>` under a section page's `<h1>`); `root` leads to the site root.
pub(super) fn section_html(
    section: &Section,
    resolved: &ResolvedDocument,
    figures: &[String],
    root: &str,
    shift: u8,
    notes: &mut Notes,
) -> String {
    let events = pieces_events(&section.body, resolved, figures, root, shift);
    let mut html = String::new();
    push_html(&mut html, notes.take(events).into_iter());
    html
}

/// A section's (or a caption's) pieces as Markdown events, resolved parts as HTML.
fn pieces_events(
    pieces: &[Piece],
    resolved: &ResolvedDocument,
    figures: &[String],
    root: &str,
    shift: u8,
) -> Vec<Event<'static>> {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Markdown(Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            })) => Event::Start(Tag::Heading {
                level: shift_level(*level, shift),
                id: id.clone(),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            Piece::Markdown(Event::End(TagEnd::Heading(level))) => {
                Event::End(TagEnd::Heading(shift_level(*level, shift)))
            }
            Piece::Markdown(event) => event.clone(),
            Piece::Citation(index) => {
                Event::InlineHtml(CowStr::from(citation_span(*index, resolved)))
            }
            Piece::CrossRef(index) => {
                Event::InlineHtml(CowStr::from(cross_ref_html(*index, resolved, root)))
            }
            Piece::Figure(index) => Event::Html(CowStr::from(figures[*index].clone())),
            Piece::Markup(markup) => {
                let (html, block) = markup.html(&resolved.document.formulas);
                if block {
                    Event::Html(CowStr::from(html))
                } else {
                    Event::InlineHtml(CowStr::from(html))
                }
            }
            Piece::Image(index) => {
                let html = image_piece_html(*index, resolved, figures, root);
                if resolved.document.images[*index].figure {
                    Event::Html(CowStr::from(html))
                } else {
                    Event::InlineHtml(CowStr::from(html))
                }
            }
        })
        .collect()
}

fn image_piece_html(
    index: usize,
    resolved: &ResolvedDocument,
    figures: &[String],
    root: &str,
) -> String {
    let image = &resolved.document.images[index];
    let mut caption_html = String::new();
    if image.figure {
        let events = pieces_events(&image.caption, resolved, figures, root, 0);
        push_html(&mut caption_html, events.into_iter());
    }
    let alt = image.alt_text(|citation| resolved.citation_text(citation));
    let fallback = crate::image_files::ResolvedImage::default();
    let resolved_image = resolved.images.get(index).unwrap_or(&fallback);
    image_html(
        image,
        resolved_image,
        ImageParts {
            caption_html,
            alt,
            root,
        },
    )
}

fn shift_level(level: HeadingLevel, shift: u8) -> HeadingLevel {
    // Never above `<h2>`: the page's `<h1>` is its title.
    let level = (level as usize + usize::from(shift)).clamp(2, 6);
    HeadingLevel::try_from(level).unwrap_or(HeadingLevel::H6)
}

pub(super) fn citation_span(index: usize, resolved: &ResolvedDocument) -> String {
    let html = resolved
        .citations
        .citations
        .get(index)
        .map_or("", String::as_str);
    format!(
        "<span class=\"citation\" id=\"{}\">{html}</span>",
        resolved.citation_anchor(index)
    )
}

/// A cross-reference as a link ("Figure 3", "(2)"), to this page or to the section page that
/// shows its target; "??" when nothing has its label (a warning says so).
fn cross_ref_html(index: usize, resolved: &ResolvedDocument, root: &str) -> String {
    let document = &resolved.document;
    let reference = &document.cross_refs[index];
    let Some(target) = document.targets.get(&reference.label) else {
        return "??".to_string();
    };
    // On the home page (root "") everything is on the page; on a section page only its own.
    let href = if root.is_empty() || target.section == reference.section {
        format!("#{}", target.anchor)
    } else {
        format!(
            "{root}{}/#{}",
            document.sections[target.section].slug, target.anchor
        )
    };
    let text = reference.text(target);
    let class = match target.kind {
        crate::parse::TargetKind::Figure => "figure-ref",
        crate::parse::TargetKind::Equation => "equation-ref",
    };
    format!("<a class=\"{class}\" href=\"{}\">{text}</a>", escape(&href))
}
