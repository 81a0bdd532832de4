//! Images as authors write them: `![Caption with [@cite].](figures/x.png){#fig:x width=40%}`.
//! An image alone in its paragraph is a figure with a visible, numbered caption (Pandoc's rule);
//! one inside a sentence stays inline.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event};

use super::attrs::Attrs;
use super::Piece;
use crate::diagnostic::SourceFile;

#[derive(Debug, Clone)]
pub struct Image {
    /// As written: a path relative to the Markdown file, an http(s) address or a data URL.
    pub src: String,
    pub title: String,
    /// The caption (alt text) as Markdown pieces: citations in it are citations.
    pub caption: Vec<Piece>,
    pub attrs: Attrs,
    /// Alone in its paragraph: shown as a `<figure>` with its caption.
    pub figure: bool,
    /// "Figure N", for figures with a caption.
    pub number: Option<usize>,
    /// The figure's id on the page.
    pub anchor: Option<String>,
    pub file: Arc<SourceFile>,
    /// The whole `![…](…)`.
    pub span: Range<usize>,
    pub section: usize,
}

/// Where an image comes from, as the site treats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A file of the brief, relative to its Markdown file.
    Local(String),
    /// An image on another site: never loaded by the page unless the author says so.
    Remote(String),
    /// `data:image/…`, inline.
    Data,
}

impl Image {
    pub fn source(&self) -> ImageSource {
        let src = self.src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("data:") {
            ImageSource::Data
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            ImageSource::Remote(src.to_string())
        } else {
            // A path may carry a query or fragment; the file is what comes before.
            let path = src.split(['?', '#']).next().unwrap_or(src);
            // `my%20figure.png` names the file `my figure.png`.
            let decoded = crate::html::percent_decode(path);
            ImageSource::Local(decoded.unwrap_or_else(|| path.to_string()))
        }
    }

    /// A PDF (or other document) cannot be an `<img>`: it becomes a link.
    pub fn is_document(&self) -> bool {
        let lower = self.src.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or(&lower);
        [".pdf", ".eps", ".ps", ".tif", ".tiff"]
            .iter()
            .any(|ext| path.ends_with(ext))
    }

    /// What a screen reader says: `fig-alt`, else the caption's text.
    pub fn alt_text(&self, citation_text: impl Fn(usize) -> String) -> String {
        if let Some(alt) = self.attrs.get("fig-alt").or(self.attrs.get("alt")) {
            return alt.to_string();
        }
        let mut text = String::new();
        for piece in &self.caption {
            match piece {
                Piece::Markdown(Event::Text(t) | Event::Code(t)) => text.push_str(t),
                Piece::Markdown(Event::SoftBreak | Event::HardBreak) => text.push(' '),
                Piece::Citation(index) => text.push_str(&citation_text(*index)),
                _ => {}
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Takes `\label{fig:x}` out of the caption (JOSS writes it there); it becomes the id.
    pub fn take_label(&mut self) {
        for piece in &mut self.caption {
            let Piece::Markdown(Event::Text(text)) = piece else {
                continue;
            };
            let Some(at) = text.find("\\label{") else {
                continue;
            };
            let Some(close) = text[at..].find('}') else {
                continue;
            };
            let label = text[at + "\\label{".len()..at + close].trim().to_string();
            let kept = format!("{}{}", &text[..at], &text[at + close + 1..]);
            *text = CowStr::from(kept.trim_end().to_string());
            if self.attrs.id.is_none() && !label.is_empty() {
                self.attrs.id = Some(label);
            }
            return;
        }
    }

    pub fn has_caption(&self) -> bool {
        self.caption.iter().any(|piece| match piece {
            Piece::Markdown(Event::Text(t)) => !t.trim().is_empty(),
            Piece::Markdown(_) => false,
            _ => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(src: &str) -> Image {
        Image {
            src: src.into(),
            title: String::new(),
            caption: vec![Piece::Markdown(Event::Text(
                "A map of mines \\label{fig:map}".into(),
            ))],
            attrs: Attrs::default(),
            figure: true,
            number: None,
            anchor: None,
            file: SourceFile::new("paper.md", ""),
            span: 0..0,
            section: 0,
        }
    }

    #[test]
    fn sources_labels_and_alt_text() {
        assert_eq!(
            image("figs/my%20map.png?v=2").source(),
            ImageSource::Local("figs/my map.png".into())
        );
        assert!(matches!(
            image("https://x.org/a.png").source(),
            ImageSource::Remote(_)
        ));
        assert!(image("figure.PDF").is_document());
        let mut map = image("map.png");
        map.take_label();
        assert_eq!(map.attrs.id.as_deref(), Some("fig:map"));
        assert_eq!(map.alt_text(|_| String::new()), "A map of mines");
    }
}
