//! A section's pieces as Typst markup: the Markdown's events, citations, cross-references,
//! figures, images, notes (as footnotes, where a printed brief has them) and formulas. Every
//! element is written as a function call with a content block, closed when its end comes, so the
//! markup nests exactly as the Markdown did.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::escape::{label, label_name, markup, push_markup, string, string_keeping_lines};
use super::inline_html::typst_markup;
use super::math::typst_math;
use super::source::{data_figure, Fallbacks, Origin, Part};
use crate::html::safe_url;
use crate::parse::{callout_title, Markup, Piece};
use crate::resolve::ResolvedDocument;

/// Image types Typst draws; others are shown as a link to the file.
const DRAWN: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

pub struct BodyWriter<'r> {
    pub resolved: &'r ResolvedDocument,
    pub labels: BTreeSet<String>,
    pub fallbacks: &'r Fallbacks,
    pub out: String,
    pub files: BTreeMap<String, Vec<u8>>,
    pub origins: Vec<Origin>,
    /// What closes each element opened and not yet closed.
    closers: Vec<String>,
    /// Inside a code block: its text so far.
    code: Option<(String, String)>,
    /// Notes already written, by label: later calls point at the first.
    notes_written: BTreeSet<String>,
    /// Image bytes by their path in the site (an image named twice is held by its first).
    image_bytes: BTreeMap<&'r str, &'r [u8]>,
}

impl<'r> BodyWriter<'r> {
    pub fn new(
        resolved: &'r ResolvedDocument,
        labels: BTreeSet<String>,
        fallbacks: &'r Fallbacks,
    ) -> Self {
        let image_bytes = resolved
            .images
            .iter()
            .filter_map(|i| Some((i.site_path.as_deref()?, i.bytes.as_deref()?)))
            .collect();
        BodyWriter {
            resolved,
            labels,
            fallbacks,
            out: String::new(),
            files: BTreeMap::new(),
            origins: Vec::new(),
            closers: Vec::new(),
            code: None,
            notes_written: BTreeSet::new(),
            image_bytes,
        }
    }

    /// Closes whatever a section left open (a div never closed).
    pub fn close_open(&mut self) {
        while let Some(closer) = self.closers.pop() {
            self.out.push_str(&closer);
        }
    }

    pub fn pieces(&mut self, pieces: &[Piece], section: usize) {
        let definitions = note_definitions(pieces);
        let mut skip_until = None;
        for (at, piece) in pieces.iter().enumerate() {
            if let Some(end) = skip_until {
                if at <= end {
                    continue;
                }
                skip_until = None;
            }
            match piece {
                Piece::Markdown(Event::Start(Tag::FootnoteDefinition(name))) => {
                    skip_until = definitions.get(name.as_ref()).map(|range| range.1);
                }
                Piece::Markdown(Event::FootnoteReference(name)) => {
                    self.note(name, pieces, &definitions, section);
                }
                Piece::Markdown(event) => self.event(event),
                Piece::Citation(index) => self.citation(*index),
                Piece::CrossRef(index) => self.cross_ref(*index),
                Piece::Figure(index) => data_figure(self, *index),
                Piece::Image(index) => self.image(*index, section),
                Piece::Markup(markup) => self.markup(markup),
            }
        }
    }

    fn open(&mut self, opening: &str, closer: &str) {
        self.out.push_str(opening);
        self.closers.push(closer.to_string());
    }

    fn close(&mut self) {
        if let Some(closer) = self.closers.pop() {
            self.out.push_str(&closer);
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        if let Some((_, text)) = self.code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((language, text)) = self.code.take() {
                        let language = if language.is_empty() {
                            String::new()
                        } else {
                            format!(", lang: {}", string(&language))
                        };
                        self.out.push_str(&format!(
                            "\n#raw(block: true{language}, {})\n\n",
                            string_keeping_lines(text.trim_end_matches('\n'))
                        ));
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => self.close(),
            Event::Text(text) => push_markup(text, &mut self.out),
            Event::Code(text) => self.out.push_str(&format!("#raw({})", string(text))),
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                self.out.push_str(&format!("#raw({})", string(tex)));
            }
            Event::SoftBreak => self.out.push('\n'),
            Event::HardBreak => self.out.push_str("#linebreak()\n"),
            Event::Rule => self
                .out
                .push_str("\n#line(length: 100%, stroke: 0.4pt + muted)\n\n"),
            Event::TaskListMarker(done) => self.out.push_str(if *done { "☒ " } else { "☐ " }),
            // Raw HTML has no place in a PDF (Pandoc leaves it out of LaTeX too); notes are
            // written where they are called.
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => self.open("", "\n\n"),
            Tag::Heading { level, id, .. } => {
                // `#` and `##` in a section are its headings; the section's title is level 1.
                let level = (*level as usize).max(2);
                let closer = match id.as_deref().filter(|id| self.labels.contains(*id)) {
                    Some(id) => format!("] {}\n\n", label(id)),
                    None => "]\n\n".to_string(),
                };
                self.open(&format!("\n#heading(level: {level})["), &closer);
            }
            Tag::BlockQuote(_) => self.open("\n#quote(block: true)[", "]\n\n"),
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .trim()
                        .trim_start_matches('{')
                        .trim_start_matches('.')
                        .split([' ', '}', ','])
                        .next()
                        .unwrap_or("")
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#'))
                        .collect(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((language, String::new()));
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => self.open("", ""),
            Tag::List(None) => self.open("\n#list(\n", ")\n\n"),
            Tag::List(Some(start)) => self.open(&format!("\n#enum(start: {start},\n"), ")\n\n"),
            Tag::Item => self.open("[", "],\n"),
            Tag::FootnoteDefinition(_) => self.open("", ""),
            Tag::DefinitionList => self.open("\n", "\n"),
            Tag::DefinitionListTitle => self.open("#block(below: 0.35em)[#strong[", "]]\n"),
            Tag::DefinitionListDefinition => self.open("#pad(left: 1.5em)[", "]\n"),
            Tag::Table(alignments) => {
                let aligns: Vec<&str> = alignments
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::Center => "center",
                        pulldown_cmark::Alignment::Right => "right",
                        _ => "left",
                    })
                    .collect();
                let columns = aligns.len().max(1);
                self.open(
                    &format!(
                        "\n#table(columns: {columns}, align: ({},),\n",
                        aligns.join(", ")
                    ),
                    ")\n\n",
                );
            }
            Tag::TableHead => self.open("table.header(", "),\n"),
            Tag::TableRow => self.open("", "\n"),
            Tag::TableCell => self.open("[", "], "),
            Tag::Emphasis => self.open("#emph[", "]"),
            Tag::Strong => self.open("#strong[", "]"),
            Tag::Strikethrough => self.open("#strike[", "]"),
            Tag::Superscript => self.open("#super[", "]"),
            Tag::Subscript => self.open("#sub[", "]"),
            Tag::Link { dest_url, .. } => {
                let opening = self.link_opening(dest_url);
                self.open(&opening, "]");
            }
            Tag::Image { .. } => self.open("#[", "]"),
        }
    }

    /// A web or mail link goes out; a link inside the brief (`#id`, `../slug/`) goes to that
    /// place in the PDF; anything else keeps only its text.
    fn link_opening(&self, url: &str) -> String {
        let Some(url) = safe_url(url) else {
            return "#[".to_string();
        };
        if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") {
            return format!("#link({})[", string(url));
        }
        let target = match url.rsplit_once('#') {
            Some((_, anchor)) => anchor.to_string(),
            None => url
                .trim_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string(),
        };
        if self.labels.contains(&target) {
            return format!("#link({})[", label(&target));
        }
        match self.resolved.document.meta.base_url.as_deref() {
            Some(base) if !url.starts_with('#') => format!(
                "#link({})[",
                string(&format!(
                    "{}/{}",
                    base.trim_end_matches('/'),
                    url.trim_start_matches("./")
                ))
            ),
            _ => "#[".to_string(),
        }
    }

    fn citation(&mut self, index: usize) {
        let html = self
            .resolved
            .citations
            .citations
            .get(index)
            .map_or("", String::as_str);
        let labels = &self.labels;
        let markup = typst_markup(html, &|anchor| labels.contains(anchor));
        self.out.push_str(&markup);
    }

    fn cross_ref(&mut self, index: usize) {
        let document = &self.resolved.document;
        let reference = &document.cross_refs[index];
        let Some(target) = document.targets.get(&reference.label) else {
            self.out.push_str("??");
            return;
        };
        let text = reference.text(target);
        if self.labels.contains(&target.anchor) {
            self.out.push_str(&format!(
                "#link({})[{}]",
                label(&target.anchor),
                markup(&text)
            ));
        } else {
            self.out.push_str(&markup(&text));
        }
    }

    /// A note where it is called: the first call holds its text, later calls point at it.
    fn note(
        &mut self,
        name: &str,
        pieces: &[Piece],
        definitions: &BTreeMap<&str, (usize, usize)>,
        section: usize,
    ) {
        let slug = &self.resolved.document.sections[section].slug;
        let note_label = format!("fn-{slug}-{}", label_name(name));
        if self.notes_written.contains(&note_label) {
            self.out
                .push_str(&format!("#footnote({})", label(&note_label)));
            return;
        }
        let Some(&(start, end)) = definitions.get(name) else {
            return;
        };
        self.notes_written.insert(note_label.clone());
        self.out.push_str("#footnote[");
        let depth = self.closers.len();
        self.pieces(&pieces[start + 1..end], section);
        while self.closers.len() > depth {
            self.close();
        }
        // A note's last paragraph ends inside the note, not after it.
        while self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push_str(&format!("] {}", label(&note_label)));
    }

    fn markup(&mut self, piece: &Markup) {
        match piece {
            Markup::DivOpen(attributes) => {
                let closer = match attributes.id.as_deref() {
                    Some(id) if self.labels.contains(id) => format!("] {}\n\n", label(id)),
                    _ => "]\n\n".to_string(),
                };
                match callout_title(attributes) {
                    Some(title) => {
                        self.open(&format!("\n#callout([{}])[", markup(title)), &closer);
                    }
                    None => self.open("\n#block[", &closer),
                }
            }
            Markup::SpanOpen(attributes) => {
                if attributes.has_class("smallcaps") {
                    self.open("#smallcaps[", "]");
                } else {
                    self.open("#[", "]");
                }
            }
            Markup::SuperscriptOpen => self.open("#super[", "]"),
            Markup::SubscriptOpen => self.open("#sub[", "]"),
            Markup::DivClose
            | Markup::SpanClose
            | Markup::SuperscriptClose
            | Markup::SubscriptClose => self.close(),
            Markup::Formula(index) => self.formula(*index),
        }
    }

    fn formula(&mut self, index: usize) {
        let Some(formula) = self.resolved.document.formulas.get(index) else {
            return;
        };
        let start = self.out.len();
        let math = if self.fallbacks.contains(&Part::Formula(index)) {
            Err(String::new())
        } else {
            typst_math(&formula.tex)
        };
        let alt = string(&formula.written);
        match (math, formula.display) {
            (Ok(math), false) => self
                .out
                .push_str(&format!("#math.equation(alt: {alt}, $ {math} $.body)")),
            (Ok(math), true) => {
                let (numbering, anchor) = match &formula.number {
                    Some((number, anchor)) => (
                        format!("numbering: _ => \"({number})\", "),
                        if self.labels.contains(anchor) {
                            format!(" {}", label(anchor))
                        } else {
                            String::new()
                        },
                    ),
                    None => (String::new(), String::new()),
                };
                self.out.push_str(&format!(
                    "\n#math.equation(block: true, {numbering}alt: {alt}, $ {math} $.body){anchor}\n"
                ));
            }
            (Err(_), display) => {
                let call = format!("#raw({})", string(&formula.written));
                if display {
                    self.out.push_str(&format!("\n#align(center)[{call}]\n"));
                } else {
                    self.out.push_str(&call);
                }
            }
        }
        self.origins.push(Origin {
            range: start..self.out.len(),
            file: Arc::clone(&formula.file),
            span: formula.span.clone(),
            part: Part::Formula(index),
        });
    }

    fn image(&mut self, index: usize, section: usize) {
        let resolved = self.resolved;
        let image = &resolved.document.images[index];
        let Some(site) = resolved.images.get(index) else {
            return;
        };
        // The caption, written apart, so that it can go in the figure's call.
        let outer = std::mem::take(&mut self.out);
        let depth = self.closers.len();
        self.pieces(&image.caption, section);
        while self.closers.len() > depth {
            self.close();
        }
        let caption = std::mem::replace(&mut self.out, outer);
        let caption = caption.trim().to_string();
        let labels = &self.labels;
        let mut alt = image.alt_text(|citation| resolved.citation_text(citation));
        if alt.trim().is_empty() {
            alt = image.src.rsplit('/').next().unwrap_or("image").to_string();
        }
        let drawn = site.site_path.as_deref().and_then(|path| {
            let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
            let bytes = self.image_bytes.get(path)?;
            DRAWN
                .contains(&extension.as_str())
                .then_some((path, *bytes))
        });
        let start = self.out.len();
        let shown = match drawn {
            Some((path, bytes)) if !self.fallbacks.contains(&Part::Image(index)) => {
                let virtual_path = format!("/images/{path}");
                self.files.insert(virtual_path.clone(), bytes.to_vec());
                let size = size_arguments(image);
                let size = if size.is_empty() && image.figure {
                    ", width: 80%".to_string()
                } else {
                    size
                };
                format!(
                    "image({}, alt: {}{size})",
                    string(&virtual_path),
                    string(&alt)
                )
            }
            _ => {
                let link = match image.source() {
                    crate::parse::ImageSource::Remote(url) => Some(url),
                    _ => resolved.document.meta.base_url.as_deref().and_then(|base| {
                        site.site_path
                            .as_deref()
                            .map(|p| format!("{}/{p}", base.trim_end_matches('/')))
                    }),
                };
                let text = markup(&format!("[{alt}]"));
                match link.filter(|l| safe_url(l).is_some()) {
                    Some(url) => format!("[#link({})[{text}]]", string(&url)),
                    None => format!("[{text}]"),
                }
            }
        };
        let anchor = image
            .anchor
            .as_deref()
            .filter(|a| labels.contains(*a))
            .map(|a| format!(" {}", label(a)))
            .unwrap_or_default();
        if image.figure {
            self.out.push_str(&format!(
                "\n#figure({shown}, kind: image, caption: [{caption}]){anchor}\n\n"
            ));
        } else if shown.starts_with('[') {
            self.out.push_str(&format!("#{shown}"));
        } else {
            self.out.push_str(&format!("#box({shown})"));
        }
        self.origins.push(Origin {
            range: start..self.out.len(),
            file: Arc::clone(&image.file),
            span: image.span.clone(),
            part: Part::Image(index),
        });
    }
}

/// Pandoc's `width=…` and `height=…` as Typst lengths; anything else is left to the image.
fn size_arguments(image: &crate::parse::Image) -> String {
    let mut out = String::new();
    for key in ["width", "height"] {
        let Some(value) = image.attrs.get(key) else {
            continue;
        };
        let value = value.trim();
        let number_end = value
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(value.len());
        let (number, unit) = value.split_at(number_end);
        let Ok(number) = number.parse::<f64>() else {
            continue;
        };
        let length = match unit {
            "%" => format!("{}%", number.min(100.0)),
            "cm" | "mm" | "in" | "pt" | "em" => format!("{number}{unit}"),
            "px" | "" => format!("{}pt", number * 0.75),
            _ => continue,
        };
        out.push_str(&format!(", {key}: {length}"));
    }
    out
}

/// Where each note's definition starts and ends among the pieces, by its name.
fn note_definitions(pieces: &[Piece]) -> BTreeMap<&str, (usize, usize)> {
    let mut definitions = BTreeMap::new();
    let mut open: Option<(&str, usize, usize)> = None;
    for (at, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Markdown(Event::Start(Tag::FootnoteDefinition(name))) => {
                if let Some((_, _, depth)) = open.as_mut() {
                    *depth += 1;
                } else {
                    open = Some((name.as_ref(), at, 0));
                }
            }
            Piece::Markdown(Event::End(TagEnd::FootnoteDefinition)) => match open.as_mut() {
                Some((_, _, depth)) if *depth > 0 => *depth -= 1,
                Some((name, start, _)) => {
                    definitions.entry(*name).or_insert((*start, at));
                    open = None;
                }
                None => {}
            },
            _ => {}
        }
    }
    definitions
}
