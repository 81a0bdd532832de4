//! One section's Markdown into [`Piece`]s: CommonMark with Pandoc's additions (citations, notes,
//! images with attributes, math, spans, divs, raw blocks), collecting the section's citations,
//! figures, images, cross-references and headings.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use super::attrs::{self, Attrs};
use super::blocks;
use super::images::Image;
use super::inline::{heading_text, push_text, shift_item};
use super::inline_notes;
use super::pieces::SectionParse;
use super::tidy::{attach_narrative_locators, drop_trailing_references_heading};
use super::Markup;
use super::{targets, Citation, Heading, Parts, Piece};
use crate::citation_syntax::{self, CiteItem};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::figure::spec::{FigureFields, FigureSpec, FIGURE_FIELDS};
use crate::frontmatter;
use crate::html::safe_url;
use crate::slug::{slugify, UniqueIds};

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_DEFINITION_LIST
}

/// What a pair of brackets with no link target turned out to be (the broken-link hook decides).
enum Bracket {
    /// `[see @a, p. 4]`, with its span in the section's text.
    Citation(Range<usize>, Vec<CiteItem>),
    /// `[text]{.smallcaps}`.
    Span(Attrs),
}

/// Link targets the hook gives; an author cannot write a NUL in a URL (the parser replaces it).
const BRACKET: &str = "\u{0}bracket:";

/// What an open link is, so that its end is handled alike.
enum OpenLink {
    Plain,
    Unsafe,
    Span,
}

/// An image being read: its caption's pieces start at `at`.
struct OpenImage {
    at: usize,
    src: String,
    title: String,
    span: Range<usize>,
}

/// Turns one section's Markdown into pieces, collecting its citations, figures and headings.
pub(super) fn parse_body(
    file: &Arc<SourceFile>,
    body_range: Range<usize>,
    slug: &str,
    section_index: usize,
    ids: &mut UniqueIds,
    parts: &mut Parts,
    diagnostics: &mut Diagnostics,
) -> (Vec<Piece>, Vec<Heading>) {
    let base = body_range.start;
    let (hidden, marks) = blocks::hide(&file.text[body_range]);
    let body = hidden.text.as_str();
    let brackets: RefCell<Vec<Bracket>> = RefCell::new(Vec::new());
    let callback = |link: BrokenLink<'_>| {
        let raw = &body[link.span.clone()];
        let inner = raw.strip_prefix('[')?.strip_suffix(']')?;
        // `^[an inline note]` stays text here: the note may hold citations, which are links,
        // and a link cannot hold a link. `inline_notes` takes it out of the text afterwards.
        if body[..link.span.start].ends_with('^') {
            return None;
        }
        let bracket = if let Some(items) = citation_syntax::parse_bracketed(inner) {
            Bracket::Citation(link.span.clone(), items)
        } else {
            Bracket::Span(attrs::leading(&body[link.span.end..])?.0)
        };
        let mut found = brackets.borrow_mut();
        found.push(bracket);
        Some((
            CowStr::from(format!("{BRACKET}{}", found.len() - 1)),
            CowStr::from(""),
        ))
    };
    let parser = Parser::new_with_broken_link_callback(body, markdown_options(), Some(callback));

    let mut section = SectionParse {
        file,
        base,
        slug,
        section_index,
        pieces: Vec::new(),
        notes: Vec::new(),
        divs: 0,
    };
    let mut marks = marks.into_iter().peekable();
    let mut headings = Vec::new();
    let mut links: Vec<OpenLink> = Vec::new();
    let mut in_citation_link = false;
    let mut in_unsafe_image = false;
    let mut image: Option<OpenImage> = None;
    let mut strip_attributes = false;
    let mut raw_block: Option<Option<String>> = None;
    let mut heading: Option<(usize, HeadingLevel, String)> = None;
    let mut figure: Option<Range<usize>> = None;
    parts.nesting.end_section();
    let mut too_deep = false;
    for (event, range) in merged_text(parser.into_offset_iter()) {
        let span = base + range.start..base + range.end;
        if !matches!(event, Event::End(_)) {
            while let Some(mark) = marks.next_if(|m| m.span.start <= range.start) {
                section.block(mark, parts, diagnostics);
            }
        }
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
        if let Some(raw) = raw_block.as_mut() {
            match event {
                Event::Text(text) => {
                    if let Some(kept) = raw.as_mut() {
                        kept.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(html) = raw_block.take().flatten() {
                        section
                            .pieces
                            .push(Piece::Markdown(Event::Html(html.into())));
                    }
                }
                _ => {}
            }
            continue;
        }
        // `[text]{.class}` and `![caption](img.png){ width=40% }`: the braces were read already.
        let event = match event {
            Event::Text(text) if strip_attributes => {
                strip_attributes = false;
                let braced = text.trim_start_matches(' ');
                match braced.find('}').filter(|_| braced.starts_with('{')) {
                    Some(close) if close + 1 == braced.len() => continue,
                    Some(close) => Event::Text(CowStr::from(braced[close + 1..].to_string())),
                    None => Event::Text(text),
                }
            }
            other => {
                strip_attributes = false;
                other
            }
        };
        match event {
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with(BRACKET) => {
                let n: usize = dest_url[BRACKET.len()..].parse().unwrap_or(usize::MAX);
                match brackets.borrow().get(n) {
                    Some(Bracket::Citation(link_span, items)) => {
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
                        section
                            .pieces
                            .push(Piece::Citation(parts.citations.len() - 1));
                        in_citation_link = true;
                    }
                    Some(Bracket::Span(attributes)) => {
                        section
                            .pieces
                            .push(Piece::Markup(Markup::SpanOpen(attributes.clone())));
                        links.push(OpenLink::Span);
                    }
                    None => links.push(OpenLink::Plain),
                }
            }
            Event::End(TagEnd::Link) => match links.pop() {
                Some(OpenLink::Unsafe) => {}
                Some(OpenLink::Span) => {
                    section.pieces.push(Piece::Markup(Markup::SpanClose));
                    strip_attributes = true;
                }
                _ => section
                    .pieces
                    .push(Piece::Markdown(Event::End(TagEnd::Link))),
            },
            // Only http(s), mailto and relative links are made; others keep their text.
            Event::Start(Tag::Link { ref dest_url, .. }) if safe_url(dest_url).is_none() => {
                parts.warnings.push(
                    Diagnostic::warning(format!(
                        "the link to `{dest_url}` is shown as plain text: only http(s), mailto and relative links are made"
                    ))
                    .at(file, span, "this link")
                    .code("unsafe-url")
                    .hint("link to a web page with its full address (`https://…`), or to a page of the brief"),
                );
                links.push(OpenLink::Unsafe);
            }
            Event::Start(Tag::Link { .. }) => {
                links.push(OpenLink::Plain);
                section.pieces.push(Piece::Markdown(event.into_static()));
            }
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
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if image.is_none() => {
                image = Some(OpenImage {
                    at: section.pieces.len(),
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    span,
                });
            }
            Event::End(TagEnd::Image) if image.is_some() => {
                if let Some(open) = image.take() {
                    let caption = section.pieces.split_off(open.at);
                    let attributes = attrs::leading(&body[range.end..]);
                    strip_attributes = attributes.is_some();
                    parts.images.push(Image {
                        src: open.src,
                        title: open.title,
                        caption,
                        attrs: attributes.map(|(a, _)| a).unwrap_or_default(),
                        figure: false,
                        number: None,
                        anchor: None,
                        file: Arc::clone(file),
                        span: open.span,
                        section: section_index,
                    });
                    section.pieces.push(Piece::Image(parts.images.len() - 1));
                }
            }
            // An image inside an image's caption is only its text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::InlineMath(tex) => {
                let piece = section.formula(&tex, false, None, span, parts);
                section.pieces.push(piece);
            }
            Event::DisplayMath(tex) => {
                // An equation environment, hidden from the parser as `$$xxxx$$`.
                let tex = hidden
                    .formulas
                    .iter()
                    .find(|(at, _)| at.start == range.start)
                    .map_or(tex, |(_, written)| CowStr::from(written.as_str()));
                // Quarto labels a display formula after it: `$$ … $$ {#eq-energy}`.
                let after = body[range.end..].trim_start_matches(' ');
                let label = attrs::leading(after).and_then(|(a, _)| a.id);
                strip_attributes = label.is_some();
                let piece = section.formula(&tex, true, label, span, parts);
                section.pieces.push(piece);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang)))
                if lang.trim() == "figure" =>
            {
                figure = Some(span.end..span.end);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.trim_start().starts_with('{') =>
            {
                let inner = info.trim().trim_start_matches('{').trim_end_matches('}');
                if let Some(format) = inner.trim().strip_prefix('=') {
                    if format.trim() == "html" {
                        raw_block = Some(Some(String::new()));
                    } else {
                        parts.warnings.push(
                            Diagnostic::warning(format!(
                                "this raw `{}` block is left out: only raw HTML has a place in a web page",
                                format.trim()
                            ))
                            .at(file, span.start..span.start + info.len() + 3, "raw block")
                            .code("raw-block"),
                        );
                        raw_block = Some(None);
                    }
                    continue;
                }
                let language = attrs::parse(inner)
                    .and_then(|a| a.classes.into_iter().next())
                    .unwrap_or_default();
                section
                    .pieces
                    .push(Piece::Markdown(Event::Start(Tag::CodeBlock(
                        CodeBlockKind::Fenced(language.into()),
                    ))));
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
                            number: 0,
                        };
                        parts.figures.push(spec);
                        section.pieces.push(Piece::Figure(parts.figures.len() - 1));
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
                heading = Some((
                    section.pieces.len(),
                    level,
                    id.as_deref().unwrap_or("").to_string(),
                ));
                section.pieces.push(Piece::Markdown(
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
                let pieces = &mut section.pieces;
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
            Event::Text(text) => {
                push_text(file, text, span, section_index, &mut section.pieces, parts)
            }
            Event::FootnoteReference(label) => {
                section
                    .pieces
                    .push(Piece::Markdown(Event::FootnoteReference(CowStr::from(
                        format!("{slug}-fn-{label}"),
                    ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let label = CowStr::from(format!("{slug}-fn-{label}"));
                section
                    .pieces
                    .push(Piece::Markdown(Event::Start(Tag::FootnoteDefinition(
                        label,
                    ))));
            }
            other => section.pieces.push(Piece::Markdown(other.into_static())),
        }
    }
    for mark in marks {
        section.block(mark, parts, diagnostics);
    }
    section.close_divs();
    section.pieces =
        inline_notes::take_inline_notes(std::mem::take(&mut section.pieces), &mut section);
    let mut pieces = section.finish();
    drop_trailing_references_heading(&mut pieces, &mut headings);
    attach_narrative_locators(&mut pieces, &mut parts.citations);
    targets::settle_section(&mut pieces, parts, section_index, diagnostics);
    (pieces, headings)
}

/// The parser's events with consecutive texts joined: it splits text at every character that
/// might have opened something (`~`, `[`, `^`), and `H~2~O` or `^[a note]` are read whole.
fn merged_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let (event, range) = events.next()?;
        let Event::Text(first) = event else {
            return Some((event, range));
        };
        let mut text: Option<String> = None;
        let mut end = range.end;
        while let Some((Event::Text(next), next_range)) =
            events.next_if(|(e, r)| matches!(e, Event::Text(_)) && r.start >= end)
        {
            text.get_or_insert_with(|| first.to_string())
                .push_str(&next);
            end = next_range.end;
        }
        let text = text.map_or(first, CowStr::from);
        Some((Event::Text(text), range.start..end))
    })
}
