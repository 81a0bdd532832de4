//! An image as HTML: a `<figure>` with its numbered caption when it stands alone, an `<img>` in
//! the sentence otherwise; a PDF as a link to the file; a remote image as a link to it, never
//! loaded unless the author asked (`{remote=load}`).

use crate::html::{escape, percent_encode};
use crate::image_files::ResolvedImage;
use crate::parse::{Image, ImageSource};

/// What the page needs besides the image itself.
pub struct ImageParts<'a> {
    pub caption_html: String,
    pub alt: String,
    /// Leads from the page to the site's root: `""` or `"../"`.
    pub root: &'a str,
}

pub fn image_html(image: &Image, resolved: &ResolvedImage, parts: ImageParts<'_>) -> String {
    let href = match (image.source(), &resolved.site_path) {
        (ImageSource::Local(_), Some(path)) => format!("{}{}", parts.root, percent_encode(path)),
        _ => image.src.trim().to_string(),
    };
    let remote = matches!(image.source(), ImageSource::Remote(_));
    let linked_only = image.is_document() || (remote && image.attrs.get("remote") != Some("load"));
    let body = if linked_only {
        let what = if image.is_document() {
            "the figure (PDF)"
        } else {
            "the image, on another site"
        };
        let text = if parts.alt.is_empty() {
            what.to_string()
        } else {
            format!("{} ({what})", escape(&parts.alt))
        };
        format!(
            "<a class=\"image-link\" href=\"{}\">{text}</a>",
            escape(&href)
        )
    } else {
        let mut img = format!(
            "<img src=\"{}\" alt=\"{}\"",
            escape(&href),
            escape(&parts.alt)
        );
        if !image.title.is_empty() {
            img.push_str(&format!(" title=\"{}\"", escape(&image.title)));
        }
        let style = size_style(image);
        if !style.is_empty() {
            img.push_str(&format!(" style=\"{style}\""));
        }
        let classes = image.attrs.classes.join(" ");
        if !classes.is_empty() && !image.figure {
            img.push_str(&format!(" class=\"{}\"", escape(&classes)));
        }
        img.push_str(" loading=\"lazy\" decoding=\"async\">");
        img
    };
    if !image.figure {
        return body;
    }
    let id = image
        .anchor
        .as_deref()
        .map(|a| format!(" id=\"{}\"", escape(a)))
        .unwrap_or_default();
    let classes = std::iter::once("image-figure")
        .chain(image.attrs.classes.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let number = image
        .number
        .map(|n| format!("<span class=\"figure-label\">Figure {n}</span> "))
        .unwrap_or_default();
    format!(
        "<figure class=\"{}\"{id}>\n{body}\n<figcaption>{number}{}</figcaption>\n</figure>\n",
        escape(&classes),
        parts.caption_html
    )
}

/// Pandoc's `width=39%` / `height=4cm`, as CSS; anything but a plain length is ignored.
fn size_style(image: &Image) -> String {
    let mut style = String::new();
    for property in ["width", "height"] {
        let Some(value) = image.attrs.get(property) else {
            continue;
        };
        let value = value.trim();
        let digits = value
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(value.len());
        let (number, unit) = value.split_at(digits);
        let unit = match unit {
            "" => "px",
            "%" | "px" | "em" | "rem" | "cm" | "mm" | "in" | "pt" => unit,
            _ => continue,
        };
        if number.is_empty() || number.parse::<f64>().is_err() {
            continue;
        }
        if !style.is_empty() {
            style.push(';');
        }
        style.push_str(&format!("{property}:{number}{unit}"));
    }
    style
}
