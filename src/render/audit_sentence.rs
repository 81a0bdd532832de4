//! A citing sentence as the reader sees it, for the Source audit page: its Markdown rendered,
//! each citation in it shown as formatted, and the citation the line is about marked.

use std::collections::HashMap;
use std::sync::Arc;

use pulldown_cmark::{html::push_html, BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::audit::Occurrence;
use crate::diagnostic::SourceFile;
use crate::html::{escape, strip_tags};
use crate::resolve::ResolvedDocument;

/// Every citation's start in its file, by file (its address, as an identity), in order: found
/// once for the whole page.
pub struct CitationPlaces(HashMap<usize, Vec<(usize, usize)>>);

fn file_identity(file: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(file) as usize
}

impl CitationPlaces {
    pub fn new(resolved: &ResolvedDocument) -> CitationPlaces {
        let mut by_file: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (index, citation) in resolved.all_citations.iter().enumerate() {
            by_file
                .entry(file_identity(&citation.file))
                .or_default()
                .push((citation.span.start, index));
        }
        for places in by_file.values_mut() {
            places.sort_unstable();
        }
        CitationPlaces(by_file)
    }

    /// The citations that start inside `span` of `file`, in reading order.
    fn within(&self, file: &Arc<SourceFile>, span: &std::ops::Range<usize>) -> Vec<usize> {
        let Some(places) = self.0.get(&file_identity(file)) else {
            return Vec::new();
        };
        let from = places.partition_point(|&(at, _)| at < span.start);
        let to = places.partition_point(|&(at, _)| at < span.end);
        places[from..to].iter().map(|&(_, index)| index).collect()
    }
}

pub fn sentence_html(
    resolved: &ResolvedDocument,
    places: &CitationPlaces,
    occurrence: &Occurrence,
) -> String {
    let citation = &resolved.all_citations[occurrence.citation];
    let span = &occurrence.sentence_span;
    if span.is_empty() || span.end > citation.file.text.len() {
        // A figure's caption or source line: its description says which figure.
        return escape(&occurrence.sentence);
    }
    let text = &citation.file.text;
    let mut written = crate::audit::strip_comments(&text[span.clone()]);
    // A window that starts inside `**bold**` opens it again, so that no `**` shows as text.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..span.start].matches("**").count() % 2 == 1 {
        written.insert_str(0, "**");
    }
    let mut cited = places.within(&citation.file, span).into_iter();
    let shown = |index: usize| -> String {
        let text = resolved
            .citations
            .citations
            .get(index)
            .map(|html| strip_tags(html))
            .unwrap_or_default();
        if index == occurrence.citation {
            format!("<mark>{}</mark>", escape(&text))
        } else {
            escape(&text)
        }
    };
    let callback = |link: BrokenLink<'_>| {
        let inner = written[link.span.clone()]
            .strip_prefix('[')?
            .strip_suffix(']')?
            .to_string();
        crate::citation_syntax::parse_bracketed(&inner)?;
        Some((CowStr::from("cite:"), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(
        &written,
        Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_STRIKETHROUGH,
        Some(callback),
    );
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut in_citation = false;
    for event in parser {
        if in_citation {
            in_citation = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "cite:" => {
                let html = cited.next().map(&shown).unwrap_or_default();
                events.push(Event::InlineHtml(html.into()));
                in_citation = true;
            }
            Event::Text(text) => {
                let mut last = 0;
                for (range, _) in crate::citation_syntax::find_narrative(&text) {
                    if text[..range.start].ends_with('\\') {
                        continue;
                    }
                    events.push(Event::Text(text[last..range.start].to_string().into()));
                    let html = cited
                        .next()
                        .map(&shown)
                        .unwrap_or_else(|| escape(&text[range.clone()]));
                    events.push(Event::InlineHtml(html.into()));
                    last = range.end;
                }
                events.push(Event::Text(text[last..].to_string().into()));
            }
            // Inline markup stays; links become their text (the page has its own links), and
            // raw HTML is shown as text.
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
            | Event::Code(_) => events.push(event.into_static()),
            Event::Html(html) | Event::InlineHtml(html) => {
                events.push(Event::Text(html.into_string().into()))
            }
            Event::SoftBreak | Event::HardBreak => events.push(Event::Text(" ".into())),
            _ => {}
        }
    }
    let mut html = String::new();
    push_html(&mut html, events.into_iter());
    let html = html.split_whitespace().collect::<Vec<_>>().join(" ");
    // A sentence cut to a window around its citation says so, as the plain one does.
    let before = if occurrence.sentence.starts_with("… ") {
        "… "
    } else {
        ""
    };
    let after = if occurrence.sentence.ends_with(" …") {
        " …"
    } else {
        ""
    };
    format!("{before}{html}{after}")
}
