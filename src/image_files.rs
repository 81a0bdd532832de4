//! Resolve, for images: every local image is found inside the brief (through the same guard as
//! every other path), read, and given its place in the site — the path it has beside the
//! Markdown, so that links written for Pandoc keep working. A missing image is an error at the
//! place it is named; a remote one is not fetched, and is linked rather than loaded.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::parse::{Document, Image, ImageSource};

/// What the site does with one image of [`Document::images`].
#[derive(Debug, Clone, Default)]
pub struct ResolvedImage {
    /// The file's path inside the site, for a local image.
    pub site_path: Option<String>,
    /// The file, held by the first image that names it (a figure used twice is read once).
    pub bytes: Option<Vec<u8>>,
}

/// File types a page can show or link.
const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "pdf", "eps", "tif", "tiff",
];

pub fn resolve_images(
    project: &Project,
    document: &Document,
    diagnostics: &mut Diagnostics,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<ResolvedImage> {
    let mut read: std::collections::HashSet<String> = std::collections::HashSet::new();
    document
        .images
        .iter()
        .map(|image| match image.source() {
            ImageSource::Data => ResolvedImage::default(),
            ImageSource::Remote(url) => {
                if image.attrs.get("remote") != Some("load") {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "the image at {url} is linked, not shown: a brief's pages make no requests to other sites"
                        ))
                        .at(&image.file, image.span.clone(), "remote image")
                        .code("remote-image")
                        .hint("save the image into the brief's folder and give its path, or add `{remote=load}` to show it from there"),
                    );
                }
                ResolvedImage::default()
            }
            ImageSource::Local(path) => match local(project, image, &path, &mut read) {
                Ok(resolved) => resolved,
                Err(error) => {
                    diagnostics.push(error);
                    ResolvedImage::default()
                }
            },
        })
        .collect()
}

fn local(
    project: &Project,
    image: &Image,
    written: &str,
    read: &mut std::collections::HashSet<String>,
) -> Result<ResolvedImage, Diagnostic> {
    let here = |message: String, label: &str| {
        Diagnostic::new(message).at(&image.file, image.span.clone(), label.to_string())
    };
    let folder = Path::new(&image.file.name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let Some(relative) = normalised(&folder.join(written)) else {
        return Err(here(
            format!("the image `{written}` is outside the brief's folder"),
            "this image",
        )
        .code("outside-brief")
        .hint("a brief reads only files inside its own folder: copy the image into it"));
    };
    let site_path = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let extension = relative
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Err(here(
            format!("`{written}` is not an image a web page can show"),
            "this image",
        )
        .hint("images are PNG, JPEG, GIF, SVG, WebP or AVIF files (a PDF is linked)"));
    }
    if read.contains(&site_path) {
        return Ok(ResolvedImage {
            site_path: Some(site_path),
            bytes: None,
        });
    }
    let bytes = project
        .folder
        .read_bytes(&project.root.join(&relative))
        .map_err(|problem| {
            let message = match &problem {
                crate::paths::PathProblem::Io(error)
                    if error.kind() == std::io::ErrorKind::NotFound =>
                {
                    format!("the image `{site_path}` is not in the brief")
                }
                other => format!("the image `{site_path}` cannot be used: {other}"),
            };
            here(message, "named here")
                .code(problem.code())
                .hint("the path is relative to the Markdown file; put the image there or correct the path")
        })?;
    if extension == "svg" && svg_is_active(&bytes) {
        return Err(here(
            format!("the SVG image `{site_path}` holds script, which a brief does not publish"),
            "this image",
        )
        .code("active-image")
        .hint("export the image again without scripts or event handlers, or as PNG"));
    }
    read.insert(site_path.clone());
    Ok(ResolvedImage {
        site_path: Some(site_path),
        bytes: Some(bytes),
    })
}

/// The path with `.` and `..` worked out, if it stays inside the brief's folder.
fn normalised(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Script or event handlers in an SVG would run for a reader who opens the file itself.
fn svg_is_active(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    text.contains("<script")
        || text.contains("javascript:")
        || text.contains("<foreignobject")
        || text.match_indices("on").any(|(at, _)| {
            let after_space = text[..at].ends_with(|c: char| c.is_whitespace());
            let rest = &text[at + 2..];
            let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
            after_space && name_len > 0 && rest[name_len..].trim_start().starts_with('=')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_and_scripts_are_found() {
        assert_eq!(
            normalised(Path::new("content/../figures/./a.png")),
            Some(PathBuf::from("figures/a.png"))
        );
        assert_eq!(normalised(Path::new("content/../../etc/passwd")), None);
        assert!(svg_is_active(b"<svg onload = \"alert(1)\">"));
        assert!(svg_is_active(b"<svg><script>x</script></svg>"));
        assert!(!svg_is_active(b"<svg><text>only words</text></svg>"));
    }
}
