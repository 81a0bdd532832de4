//! Citations, resolved: every key checked against the reference files, then the whole brief
//! formatted by brief's own CSL engine ([`crate::csl`]) in one pass, so that positions,
//! disambiguation (2025a/b/c) and citation numbers are decided for the whole brief at once.

pub mod bibtex;
mod bibtex_bounds;
pub mod cache;
pub mod csl_json;
mod entry_links;
pub mod html;
pub mod locales;
pub mod read;
pub mod references;
pub mod self_cite;
mod style;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use citationberg::taxonomy::Locator as CslLocator;

use crate::citation_syntax::{CiteItem, LocatorKind};
use crate::csl::{CitationInput, CiteInput, Engine};
use crate::diagnostic::{closest, Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::load::Project;
use crate::meta::CitationOrder;
use crate::parse::{Citation, Document};
use entry_links::{archive_link, entry_links};
use html::{write_html, write_plain, HtmlOptions, ItemDecoration};
use references::{field_span, References};

/// The formatted citations and reference list of the whole brief.
#[derive(Debug)]
pub struct ResolvedCitations {
    /// HTML for each citation, in the order of [`Document::citations`] followed by figure sources.
    pub citations: Vec<String>,
    /// The reference list, in the style's order.
    pub entries: Vec<ReferenceEntry>,
    /// What a reviewer should know: sources without a link, listed but never cited, cited but
    /// not in the author's own list.
    pub warnings: Vec<Diagnostic>,
    /// The brief's own reference, for "Cite this brief".
    pub self_citation: self_cite::SelfCitation,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ReferenceEntry {
    pub key: String,
    /// The formatted reference, escaped, with its URL linked.
    pub html: String,
    /// The same as plain text.
    pub text: String,
    /// Links to the source (URL, DOI): http(s) only.
    pub links: Vec<String>,
    /// The Wayback Machine's copy of the URL nearest to the access date or publication year.
    pub archive: Option<String>,
    /// False when the author's own reference list omits this source.
    pub listed: bool,
    /// Indexes of the citations that cite it, in reading order.
    pub cited_at: Vec<usize>,
}

/// The anchor id of each citation in the pages: `cite-S-N` for the Nth citation of section S
/// (1-based; a figure's captions and source line count after its section's text). Numbered per
/// section, so that an edit to one section changes no other section's anchors: links into the
/// brief stay valid, and the pages of the sections not edited stay as they were.
pub fn citation_anchors(citations: &[Citation]) -> Vec<String> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    citations
        .iter()
        .map(|citation| {
            let count = counts.entry(citation.section).or_default();
            *count += 1;
            format!("cite-{}-{count}", citation.section + 1)
        })
        .collect()
}

/// The anchor id of a reference entry.
pub fn reference_anchor(key: &str) -> String {
    format!("ref-{key}")
}

/// Formats `citations` (the text's, then the figures') and the reference list.
pub fn resolve_citations(
    project: &Project,
    document: &Document,
    references: &References,
    citations: &[Citation],
) -> Result<ResolvedCitations, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    check_keys(citations, references, &mut diagnostics);
    let listed_keys = nocite_keys(document, references, &mut diagnostics);
    let fingerprint = fingerprint(project, document, references, citations);
    let cache_folder = project.cache.as_deref();
    if let (true, Some(fingerprint)) = (diagnostics.is_empty(), &fingerprint) {
        if let Some(hit) = cache::lookup(cache_folder, fingerprint) {
            let cached = Arc::unwrap_or_clone(hit);
            return Ok(ResolvedCitations {
                warnings: source_warnings(&cached.entries, references),
                citations: cached.citations,
                entries: cached.entries,
                self_citation: cached.self_citation,
            });
        }
    }
    let style = style::load_style(document, project);
    let mut style = match style {
        Ok(style) if diagnostics.is_empty() => style,
        Ok(_) => return Err(diagnostics),
        Err(error) => {
            diagnostics.push(error);
            return Err(diagnostics);
        }
    };
    if document.meta.citation_order == CitationOrder::AsWritten {
        style.citation.sort = None;
    }
    // The brief's `lang` chooses the locale, as in Pandoc, unless the style names its own.
    let lang = style
        .default_locale
        .is_none()
        .then_some(document.meta.lang.as_str());
    let locales = locales::locales_for(&style, lang);
    let engine = Engine::new(style, &locales, lang);
    let quotes = engine.quote_marks();

    // The reference list holds the cited entries plus `nocite` (Pandoc's rule).
    let inputs: Vec<CitationInput> = citations.iter().map(citation_input).collect();
    let by_id: HashMap<&str, &crate::csl::reference::Reference> = references
        .entries
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    // What the last build formatted under the same style is kept piece by piece: an edit
    // formats only the citations and entries it changes.
    let style_key = style_fingerprint(project, document);
    let mut memo = cache::take_memo(cache_folder, style_key.as_deref().unwrap_or(""));
    let decided = engine.prepare(&by_id, &inputs, &listed_keys, &mut memo.engine);

    let mut cited_at: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, citation) in citations.iter().enumerate() {
        for item in &citation.items {
            let places = cited_at.entry(item.key.as_str()).or_default();
            if places.last() != Some(&index) {
                places.push(index);
            }
        }
    }
    let citation_keys: Vec<crate::csl::Key> = (0..inputs.len())
        .map(|index| engine.citation_key(&decided, index))
        .collect();
    let formatted_citations: Vec<String> = memo.citations.values(&citation_keys, |index| {
        let citation = &citations[index];
        let output = engine.format_citation(&decided, index);
        let items: Vec<ItemDecoration> = citation
            .items
            .iter()
            .map(|item| ItemDecoration {
                href: document
                    .meta
                    .link_citations
                    .then(|| format!("#{}", reference_anchor(&item.key))),
            })
            .collect();
        let options = HtmlOptions {
            items: &items,
            link_urls: false,
            quotes: &quotes,
        };
        write_html(&output, &options)
    });
    let list_options = HtmlOptions {
        items: &[],
        link_urls: true,
        quotes: &quotes,
    };
    let plans = engine.plan_bibliography(&decided, &mut memo.engine);
    let entry_keys: Vec<crate::csl::Key> = plans.iter().map(|plan| plan.key).collect();
    let printed = memo.entries.values(&entry_keys, |index| {
        let content = engine.finish_entry(&plans[index])?;
        Some((
            write_html(&content, &list_options),
            write_plain(&content, &quotes),
        ))
    });
    let entries: Vec<ReferenceEntry> = plans
        .iter()
        .zip(printed)
        .filter_map(|(plan, printed)| {
            let (html, text) = printed?;
            let id = plan.reference.id.as_str();
            let entry = references.get(id);
            Some(ReferenceEntry {
                html,
                text,
                links: entry.map(entry_links).unwrap_or_default(),
                archive: entry.and_then(archive_link),
                listed: references.info.get(id).is_none_or(|info| info.listed),
                cited_at: cited_at.get(id).cloned().unwrap_or_default(),
                key: id.to_string(),
            })
        })
        .collect();
    if style_key.is_some() {
        cache::keep_memo(cache_folder, memo);
    }
    let warnings = source_warnings(&entries, references);
    let self_citation = self_cite::cite_brief(&document.meta, &engine);
    if let Some(fingerprint) = fingerprint {
        cache::store(
            cache_folder,
            cache::Cached {
                fingerprint,
                citations: formatted_citations.clone(),
                entries: entries.clone(),
                self_citation: self_citation.clone(),
            },
        );
    }
    Ok(ResolvedCitations {
        citations: formatted_citations,
        entries,
        warnings,
        self_citation,
    })
}

/// One warning per listed entry that a reviewer would flag, at the entry's key.
fn source_warnings(entries: &[ReferenceEntry], references: &References) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for entry in entries {
        let Some(info) = references.info.get(&entry.key) else {
            continue;
        };
        let at = |message: String, label: &str| {
            Diagnostic::warning(message).at(&info.file, info.span.clone(), label)
        };
        if entry.links.is_empty() {
            warnings.push(
                at(
                    format!("source `{}` has no link", entry.key),
                    "no url or doi",
                )
                .hint("add `url:` (or a DOI) so that readers and reviewers can check the source")
                .code("no-link"),
            );
        }
        if entry.cited_at.is_empty() {
            warnings.push(
                at(
                    format!("source `{}` is listed but never cited", entry.key),
                    "listed through `nocite`",
                )
                .hint("cite it where the text relies on it, or drop it from `nocite`")
                .code("uncited"),
            );
        }
        if !entry.listed {
            warnings.push(
                at(
                    format!(
                        "source `{}` is cited but not in the author's reference list",
                        entry.key
                    ),
                    "`listed: false`",
                )
                .hint("the site marks it as such next to the entry")
                .code("unlisted"),
            );
        }
    }
    warnings
}

/// Every unknown key, at its place in the text, with the closest known key as a hint.
fn check_keys(citations: &[Citation], references: &References, diagnostics: &mut Diagnostics) {
    for citation in citations {
        for item in &citation.items {
            if references.get(&item.key).is_some() {
                continue;
            }
            let mut diagnostic = Diagnostic::new(format!("unknown citation key `{}`", item.key))
                .at(
                    &citation.file,
                    item.key_span.clone(),
                    "no entry with this key in the references",
                );
            let skipped = references
                .warnings
                .iter()
                .find(|w| w.message.contains(&format!("`{}`", item.key)));
            diagnostic = match closest(&item.key, references.keys()) {
                _ if skipped.is_some() => {
                    let skipped = skipped.map(|w| w.to_string()).unwrap_or_default();
                    diagnostic.hint(format!("the entry could not be read: {skipped}"))
                }
                Some(suggestion) => diagnostic.hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic.hint("add an entry with this key to the references file"),
            };
            diagnostics.push(diagnostic);
        }
    }
}

/// What the formatted citations depend on, for the cache; `None` when a style file cannot be
/// read (the build then reports it).
fn fingerprint(
    project: &Project,
    document: &Document,
    references: &References,
    citations: &[Citation],
) -> Option<String> {
    let mut fingerprint = Fingerprint::default();
    fingerprint.add(&style_fingerprint(project, document)?);
    let files: BTreeMap<&str, &str> = references
        .info
        .values()
        .map(|info| (info.file.name.as_str(), info.file.text.as_str()))
        .collect();
    for (name, text) in files {
        fingerprint.add(name);
        fingerprint.add(text);
    }
    for citation in citations {
        fingerprint.add(if citation.narrative {
            "narrative"
        } else {
            "citation"
        });
        for item in &citation.items {
            fingerprint.add(&item.key);
            fingerprint.add(&item.prefix);
            fingerprint.add(&item.suffix);
            fingerprint.add(&format!("{:?}{}", item.locator, item.suppress_author));
        }
    }
    Some(fingerprint.finish())
}

/// What formatting depends on besides the references and citations: brief's version, the
/// style, the locale and the metadata.
fn style_fingerprint(project: &Project, document: &Document) -> Option<String> {
    let mut fingerprint = Fingerprint::default();
    fingerprint.add(cache::FORMAT);
    fingerprint.add(&format!("{:?}", document.meta));
    fingerprint.add(&document.index.text[document.index_yaml.clone()]);
    if document.meta.csl.ends_with(".csl") {
        fingerprint.add(&project.read_source(&document.meta.csl).ok()?.text);
    }
    Some(fingerprint.finish())
}

/// The keys `nocite` adds to the reference list (`@*` adds every entry).
fn nocite_keys(
    document: &Document,
    references: &References,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let mut keys = Vec::new();
    for raw in &document.meta.nocite.0 {
        let key = raw.trim().trim_start_matches('@');
        if key == "*" {
            keys.extend(references.keys().map(str::to_string));
        } else if references.get(key).is_some() {
            keys.push(key.to_string());
        } else {
            let mut diagnostic = Diagnostic::new(format!("unknown key `{key}` in `nocite`")).at(
                &document.index,
                field_span(document, "nocite", raw),
                "no entry with this key",
            );
            diagnostic = match closest(key, references.keys()) {
                Some(suggestion) => diagnostic.hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic.hint(
                    "`nocite` takes keys of the references file's entries, or `@*` for all of them",
                ),
            };
            diagnostics.push(diagnostic);
        }
    }
    keys
}

/// A citation of the text as the engine takes it: `[see @doe, p. 3]`, `[-@doe]`, `@doe`.
fn citation_input(citation: &Citation) -> CitationInput {
    CitationInput {
        items: citation.items.iter().map(cite_input).collect(),
        note_number: None,
        narrative: citation.narrative,
    }
}

fn cite_input(item: &CiteItem) -> CiteInput {
    let affix = |text: &str| (!text.is_empty()).then(|| text.to_string());
    CiteInput {
        id: item.key.clone(),
        locator: item.locator.as_ref().map(|locator| locator.value.clone()),
        label: item
            .locator
            .as_ref()
            .map(|locator| csl_locator(locator.kind)),
        prefix: affix(&item.prefix).map(|prefix| format!("{prefix} ")),
        // ", for a summary" follows the cite directly; "for more" after a space.
        suffix: affix(&item.suffix).map(|suffix| {
            if suffix.starts_with([',', ';', ':', '.']) {
                suffix.to_string()
            } else {
                format!(" {suffix}")
            }
        }),
        suppress_author: item.suppress_author,
        author_only: false,
    }
}

fn csl_locator(kind: LocatorKind) -> CslLocator {
    match kind {
        LocatorKind::Book => CslLocator::Book,
        LocatorKind::Chapter => CslLocator::Chapter,
        LocatorKind::Column => CslLocator::Column,
        LocatorKind::Figure => CslLocator::Figure,
        LocatorKind::Folio => CslLocator::Folio,
        LocatorKind::Issue => CslLocator::Issue,
        LocatorKind::Line => CslLocator::Line,
        LocatorKind::Note => CslLocator::Note,
        LocatorKind::Opus => CslLocator::Opus,
        LocatorKind::Page => CslLocator::Page,
        LocatorKind::Paragraph => CslLocator::Paragraph,
        LocatorKind::Part => CslLocator::Part,
        LocatorKind::Section => CslLocator::Section,
        LocatorKind::SubVerbo => CslLocator::SubVerbo,
        LocatorKind::Verse => CslLocator::Verse,
        LocatorKind::Volume => CslLocator::Volume,
        LocatorKind::Table => CslLocator::Table,
    }
}
