//! The citation style: a built-in one by name, or a `.csl` file of the brief's (its nesting
//! bounded before it is parsed), or a dependent style's built-in parent.

use citationberg::{IndependentStyle, Style};
use hayagriva::archive::ArchivedStyle;

use super::references::field_span;
use crate::diagnostic::{closest, Diagnostic};
use crate::load::Project;
use crate::parse::Document;

/// The style named by `csl`: a built-in name (`apa`), or a `.csl` file relative to the brief.
pub fn load_style(document: &Document, project: &Project) -> Result<IndependentStyle, Diagnostic> {
    let name = document.meta.csl.as_str();
    let at = field_span(document, "csl", name);
    if name.ends_with(".csl") {
        let file = project.read_source(name).map_err(|error| {
            error.named_at(
                "the citation style",
                name,
                (&document.index, at.clone()),
                "the path is relative to the brief's folder; or name a built-in style such as `apa`",
            )
        })?;
        if let Some(at) = crate::limits::xml_too_deep(&file.text) {
            return Err(Diagnostic::new(format!(
                "invalid CSL style: elements nested more than {} deep",
                crate::limits::MAX_XML_NESTING
            ))
            .at(&file, at..at + 1, "too deep")
            .hint("real styles nest a dozen levels at most; close the elements you opened"));
        }
        let style = Style::from_xml(&file.text).map_err(|error| {
            Diagnostic::new(format!("invalid CSL style: {error}"))
                .at(&file, 0..0, "in this file")
                .hint("a .csl file is CSL 1.0 XML, as distributed by the Zotero style repository")
        })?;
        return match style {
            Style::Independent(style) => Ok(style),
            // A dependent style only renames a parent; use the parent if it is built in.
            Style::Dependent(dependent) => ArchivedStyle::by_id(&dependent.parent_link.href)
                .map(ArchivedStyle::get)
                .and_then(|style| match style {
                    Style::Independent(style) => Some(style),
                    Style::Dependent(_) => None,
                })
                .ok_or_else(|| {
                    Diagnostic::new(format!(
                        "the dependent style `{name}` needs its parent `{}`, which is not built in",
                        dependent.parent_link.href
                    ))
                    .at(&document.index, at.clone(), "named here")
                    .hint("download the parent's .csl file and name it in `csl:` instead")
                }),
        };
    }
    match ArchivedStyle::by_name(name).map(ArchivedStyle::get) {
        Some(Style::Independent(style)) => Ok(style),
        _ => {
            let names: Vec<&str> = ArchivedStyle::all()
                .iter()
                .flat_map(|s| s.names().iter().copied())
                .collect();
            let known = "built-in styles include apa, chicago-author-date, ieee, modern-language-association; or give a path to a .csl file";
            let hint = match closest(name, names.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`? {known}"),
                None => known.to_string(),
            };
            Err(Diagnostic::new(format!("unknown citation style `{name}`"))
                .at(&document.index, at, "not a built-in style")
                .hint(hint))
        }
    }
}
