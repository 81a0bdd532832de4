//! Notes as endnotes: numbered in the order a page calls them, collected at the end of the page
//! (a section page, or the whole brief on the home page), each with a link back to every place
//! it is called. DPUB-ARIA roles say what they are to assistive technology.

use std::collections::HashMap;

use pulldown_cmark::{html::push_html, CowStr, Event, Tag, TagEnd};

use crate::html::escape;

/// The notes of one page.
#[derive(Default)]
pub struct Notes {
    /// Labels in the order of their first call: the note numbers.
    order: Vec<String>,
    numbers: HashMap<String, usize>,
    /// How many times each note has been called so far.
    calls: HashMap<String, usize>,
    definitions: HashMap<String, Vec<Event<'static>>>,
}

impl Notes {
    /// The events with every note definition taken out and every call numbered; the first call
    /// of a note carries a copy of it for wide screens, where it shows beside the text.
    pub fn take(&mut self, events: Vec<Event<'static>>) -> Vec<Event<'static>> {
        let events = self.take_definitions(events);
        self.number_calls(events, true)
    }

    /// Every note call in `events` numbered (with its sidenote when `sidenotes`).
    fn number_calls(
        &mut self,
        events: Vec<Event<'static>>,
        sidenotes: bool,
    ) -> Vec<Event<'static>> {
        events
            .into_iter()
            .map(|event| match event {
                Event::FootnoteReference(label) => self.call(&label, sidenotes),
                other => other,
            })
            .collect()
    }

    /// The events without the note definitions, which are kept.
    fn take_definitions(&mut self, events: Vec<Event<'static>>) -> Vec<Event<'static>> {
        let mut out = Vec::with_capacity(events.len());
        let mut definition: Option<(String, Vec<Event<'static>>, usize)> = None;
        for event in events {
            if let Some((label, body, depth)) = definition.as_mut() {
                match &event {
                    Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) if *depth == 0 => {
                        let body = std::mem::take(body);
                        self.definitions.entry(label.clone()).or_insert(body);
                        definition = None;
                        continue;
                    }
                    Event::End(TagEnd::FootnoteDefinition) => *depth -= 1,
                    _ => {}
                }
                body.push(event);
                continue;
            }
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    definition = Some((label.to_string(), Vec::new(), 0));
                }
                other => out.push(other),
            }
        }
        out
    }

    fn call(&mut self, label: &str, sidenote: bool) -> Event<'static> {
        let next = self.order.len() + 1;
        let number = *self.numbers.entry(label.to_string()).or_insert_with(|| {
            self.order.push(label.to_string());
            next
        });
        let call = self.calls.entry(label.to_string()).or_insert(0);
        *call += 1;
        let first = *call == 1;
        let id = anchor(label);
        let side = match self.definitions.get(label) {
            Some(body) if sidenote && first => sidenote_html(body, number),
            _ => String::new(),
        };
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"note-ref\"><a href=\"#fn-{id}\" id=\"fnref-{id}-{call}\" role=\"doc-noteref\">{number}</a></sup>{side}"
        )))
    }

    /// The page's endnotes, or nothing when it calls none.
    pub fn html(&mut self) -> String {
        if self.order.is_empty() {
            return String::new();
        }
        let mut items = String::new();
        let mut i = 0;
        // A note may call another note: it is numbered after the ones before it.
        while i < self.order.len() {
            let label = self.order[i].clone();
            i += 1;
            let body = self.definitions.remove(&label).unwrap_or_default();
            let body = self.take_definitions(body);
            let mut body = self.number_calls(body, false);
            let id = anchor(&label);
            let calls = self.calls.get(&label).copied().unwrap_or(0);
            let backlinks: String = (1..=calls)
                .map(|call| {
                    format!(
                        " <a class=\"note-back\" href=\"#fnref-{id}-{call}\" role=\"doc-backlink\" aria-label=\"Back to the text of note {i}{}\">↩</a>",
                        if calls > 1 { format!(", call {call}") } else { String::new() }
                    )
                })
                .collect();
            // The links back go at the end of the note's last paragraph, as Pandoc puts them.
            match body
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            {
                Some(at) if at + 1 == body.len() => {
                    body.insert(at, Event::InlineHtml(backlinks.into()));
                }
                _ => body.push(Event::Html(format!("<p>{backlinks}</p>").into())),
            }
            let mut html = String::new();
            push_html(&mut html, body.into_iter());
            items.push_str(&format!("<li id=\"fn-{id}\">{html}</li>\n"));
        }
        format!(
            "<section class=\"endnotes\" role=\"doc-endnotes\" aria-labelledby=\"notes-title\">\n<h2 id=\"notes-title\">Notes</h2>\n<ol>\n{items}</ol>\n</section>\n"
        )
    }
}

/// A note as a sidenote: its text inline, hidden from assistive technology (which has the
/// endnote) and out of the tab order, without the ids the endnote holds. Only notes of
/// paragraphs become sidenotes; a note with a list or a table stays an endnote alone.
fn sidenote_html(body: &[Event<'static>], number: usize) -> String {
    let mut inline = Vec::with_capacity(body.len());
    for event in body {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => inline.push(Event::Text(" ".into())),
            Event::Start(
                Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::Heading { .. }
                | Tag::HtmlBlock,
            )
            | Event::Html(_)
            | Event::FootnoteReference(_) => return String::new(),
            other => inline.push(other.clone()),
        }
    }
    let mut html = String::new();
    push_html(&mut html, inline.into_iter());
    // Its citations are copies too: the text's count of citations does not change.
    let html = strip_ids(&html)
        .replace("<a ", "<a tabindex=\"-1\" ")
        .replace("class=\"citation\"", "class=\"sidenote-citation\"");
    format!(
        "<span class=\"sidenote\" aria-hidden=\"true\"><span class=\"sidenote-number\">{number}</span> {}</span>",
        html.trim_end()
    )
}

/// The HTML without its `id` attributes (a copy must not repeat them).
fn strip_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 5..];
        match after.find('"') {
            Some(close) => rest = &after[close + 1..],
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A note's label as part of an id (written into attributes).
fn anchor(label: &str) -> String {
    escape(&crate::slug::id_from_label(label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn events(markdown: &str) -> Vec<Event<'static>> {
        Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES)
            .map(Event::into_static)
            .collect()
    }

    #[test]
    fn notes_are_numbered_by_call_and_linked_both_ways() {
        let mut notes = Notes::default();
        let text = notes.take(events(
            "Second[^b] then first[^a] and again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n",
        ));
        let mut html = String::new();
        push_html(&mut html, text.into_iter());
        assert!(html.contains("href=\"#fn-b\" id=\"fnref-b-1\" role=\"doc-noteref\">1<"));
        assert!(html.contains("id=\"fnref-b-2\" role=\"doc-noteref\">1<"));
        assert!(html.contains(">2</a>"));
        assert!(
            !html.contains("footnote-definition"),
            "definitions leave the text: {html}"
        );
        let end = notes.html();
        let b = end.find("Note B").unwrap();
        assert!(b < end.find("Note A").unwrap(), "{end}");
        assert!(end.contains("href=\"#fnref-b-2\""));
        assert!(end.contains("role=\"doc-endnotes\""));
        // The first call of each note carries its sidenote, with no id repeated.
        assert_eq!(html.matches("class=\"sidenote\"").count(), 2);
        assert!(html.contains(
            "aria-hidden=\"true\"><span class=\"sidenote-number\">1</span> Note B.</span>"
        ));
    }
}
