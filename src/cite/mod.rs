//! Citations, resolved: every key checked against the reference files, then formatted by
//! hayagriva's CSL engine in two phases (register every citation, then `finish` once) so that
//! disambiguation (2025a/b/c) is decided for the whole brief at once.

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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use hayagriva::citationberg::taxonomy::Locator as CslLocator;
use hayagriva::citationberg::IndependentStyle;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, Entry,
    LocatorPayload, SpecificLocator,
};

use crate::citation_syntax::{CiteItem, LocatorKind};
use crate::diagnostic::{closest, Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::load::Project;
use crate::meta::CitationOrder;
use crate::parse::{Citation, Document};
use entry_links::{archive_link, entry_links};
use html::{
    tidy_punctuation, write_citation_html, write_html, write_plain, HtmlOptions, ItemDecoration,
};
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

/// The anchor id of citation `index` (0-based) in the pages.
pub fn citation_anchor(index: usize) -> String {
    format!("cite-{}", index + 1)
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
    let locales = locales::locales_for(&style);
    let locales = &locales[..];

    // The reference list holds the cited entries plus `nocite` (Pandoc's rule).
    let mut in_list: BTreeSet<&str> = listed_keys.iter().map(String::as_str).collect();
    for citation in citations {
        in_list.extend(citation.items.iter().map(|item| item.key.as_str()));
    }
    let list_entries: Vec<&Entry> = in_list
        .iter()
        .filter_map(|key| references.library.get(key))
        .collect();

    // hayagriva letters same-author-same-year entries (2025a, b, c) in first-citation order, but
    // APA wants reference-list order. So the entries that may get letters are cited once, hidden,
    // in list order, before the real citations; each group's order comes from a small list of its
    // own. Entries listed through `nocite` join the hidden citation: that is how they reach the
    // list.
    let mut order: Vec<&Entry> = letter_groups(&list_entries)
        .iter()
        .flat_map(|group| list_order(&style, locales, group))
        .collect();
    let cited: BTreeSet<&str> = citations
        .iter()
        .flat_map(|citation| citation.items.iter().map(|item| item.key.as_str()))
        .collect();
    let hidden: BTreeSet<&str> = order.iter().map(|entry| entry.key()).collect();
    order.extend(
        list_entries
            .iter()
            .filter(|entry| !cited.contains(entry.key()) && !hidden.contains(entry.key())),
    );
    // Each distinct citation is formatted once: the same keys, locators and form give the same
    // text wherever they stand, unless the style words a citation by its position (ibid,
    // subsequent). Repeats change nothing else: the engine's ambiguities are between entries.
    let (distinct, slots) = distinct_citations(&style, citations);
    let rendered = format_all(&style, locales, &order, &distinct, references);
    let hidden_citations = usize::from(!order.is_empty());

    let mut cited_at: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, citation) in citations.iter().enumerate() {
        for item in &citation.items {
            let places = cited_at.entry(item.key.as_str()).or_default();
            if places.last() != Some(&index) {
                places.push(index);
            }
        }
    }

    let distinct_rendered: Vec<&hayagriva::RenderedCitation> =
        rendered.citations.iter().skip(hidden_citations).collect();
    let formatted_citations: Vec<String> = citations
        .iter()
        .zip(&slots)
        .filter_map(|(citation, &slot)| {
            let rendered = distinct_rendered.get(slot)?;
            Some(citation_html(
                &rendered.citation,
                citation,
                document.meta.link_citations,
            ))
        })
        .collect();
    let entries: Vec<ReferenceEntry> = rendered
        .bibliography
        .map(|bibliography| bibliography.items)
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            let options = HtmlOptions {
                link_urls: true,
                ..HtmlOptions::default()
            };
            let entry = references.library.get(&item.key);
            ReferenceEntry {
                html: tidy_punctuation(&write_html(&item.content, &options)),
                text: tidy_punctuation(&write_plain(&item.content)),
                links: entry.map(entry_links).unwrap_or_default(),
                archive: entry.and_then(archive_link),
                listed: references
                    .info
                    .get(&item.key)
                    .is_none_or(|info| info.listed),
                cited_at: cited_at.get(item.key.as_str()).cloned().unwrap_or_default(),
                key: item.key,
            }
        })
        .collect();
    let warnings = source_warnings(&entries, references);
    let self_citation = self_cite::cite_brief(&document.meta, &style, locales);
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
            if references.library.get(&item.key).is_some() {
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
            diagnostic = match closest(&item.key, references.library.keys()) {
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
    fingerprint.add(cache::FORMAT);
    fingerprint.add(&format!("{:?}", document.meta));
    fingerprint.add(&document.index.text[document.index_yaml.clone()]);
    if document.meta.csl.ends_with(".csl") {
        fingerprint.add(&project.read_source(&document.meta.csl).ok()?.text);
    }
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
            keys.extend(references.library.keys().map(str::to_string));
        } else if references.library.get(key).is_some() {
            keys.push(key.to_string());
        } else {
            let mut diagnostic = Diagnostic::new(format!("unknown key `{key}` in `nocite`")).at(
                &document.index,
                field_span(document, "nocite", raw),
                "no entry with this key",
            );
            diagnostic = match closest(key, references.library.keys()) {
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

/// The family name of the first author, else of the first editor, lowercased.
fn first_name(entry: &Entry) -> Option<String> {
    entry
        .authors()
        .or_else(|| entry.editors())
        .and_then(|people| people.first())
        .map(|person| person.name.to_lowercase())
}

/// Entries with the same first author and year may be told apart with letters.
fn letter_group(entry: &Entry) -> (Option<String>, Option<i32>) {
    (first_name(entry), entry.date_any().map(|date| date.year))
}

/// The groups of entries a style might tell apart with letters (2025a, 2025b): entries sharing
/// a first author and a year, each group in `entries`' order. Entries without an author share one
/// group per year, since a style may name them by editor or title. Grouping more than needed only
/// costs time; the list-order pass is a full bibliography, so a brief without such groups skips
/// it.
fn letter_groups<'a>(entries: &[&'a Entry]) -> Vec<Vec<&'a Entry>> {
    let mut groups: BTreeMap<_, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        groups.entry(letter_group(entry)).or_default().push(*entry);
    }
    groups
        .into_values()
        .filter(|group| group.len() > 1)
        .collect()
}

/// The entries in the order the style sorts its reference list.
fn list_order<'a>(
    style: &IndependentStyle,
    locales: &[hayagriva::citationberg::Locale],
    entries: &[&'a Entry],
) -> Vec<&'a Entry> {
    let mut driver = BibliographyDriver::new();
    let items = entries
        .iter()
        .map(|entry| CitationItem::with_entry(*entry))
        .collect();
    driver.citation(CitationRequest::from_items(items, style, locales));
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let Some(bibliography) = rendered.bibliography else {
        return entries.to_vec();
    };
    let by_key: BTreeMap<&str, &'a Entry> =
        entries.iter().map(|entry| (entry.key(), *entry)).collect();
    bibliography
        .items
        .iter()
        .filter_map(|item| by_key.get(item.key.as_str()).copied())
        .collect()
}

/// The citations to format, each distinct one once, and for each citation of the text the index
/// of its distinct one. Citations are the same when their keys, locators and forms are; affixes
/// are added afterwards and do not count. A style that words citations by position gets every
/// citation formatted.
fn distinct_citations<'c>(
    style: &IndependentStyle,
    citations: &'c [Citation],
) -> (Vec<&'c Citation>, Vec<usize>) {
    let by_position = format!("{:?}{:?}", style.citation, style.macros).contains("position: Some(");
    if by_position {
        return (citations.iter().collect(), (0..citations.len()).collect());
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut distinct = Vec::new();
    let slots = citations
        .iter()
        .map(|citation| {
            let mut signature = format!("{}", citation.narrative);
            for item in &citation.items {
                signature.push_str(&format!(
                    "\u{1f}{}\u{1f}{:?}\u{1f}{}",
                    item.key, item.locator, item.suppress_author
                ));
            }
            *seen.entry(signature).or_insert_with(|| {
                distinct.push(citation);
                distinct.len() - 1
            })
        })
        .collect();
    (distinct, slots)
}

/// One run of the CSL engine: one invisible citation of the `hidden` entries, then the text's
/// citations, then the reference list.
fn format_all(
    style: &IndependentStyle,
    locales: &[hayagriva::citationberg::Locale],
    hidden: &[&Entry],
    citations: &[&Citation],
    references: &References,
) -> hayagriva::Rendered {
    let mut driver = BibliographyDriver::new();
    if !hidden.is_empty() {
        let items = hidden
            .iter()
            .map(|entry| CitationItem::new(*entry, None, None, true, None))
            .collect();
        driver.citation(CitationRequest::from_items(items, style, locales));
    }
    for citation in citations {
        let items = citation
            .items
            .iter()
            .filter_map(|item| citation_item(item, references, citation.narrative))
            .collect::<Vec<_>>();
        driver.citation(CitationRequest::from_items(items, style, locales));
    }
    driver.finish(BibliographyRequest::new(style, None, locales))
}

/// `None` only for an unknown key, which `check_keys` has already reported.
fn citation_item<'a>(
    item: &'a CiteItem,
    references: &'a References,
    narrative: bool,
) -> Option<CitationItem<'a, Entry>> {
    let entry = references.library.get(&item.key)?;
    let locator = item.locator.as_ref().map(|locator| {
        SpecificLocator(
            csl_locator(locator.kind),
            LocatorPayload::Str(&locator.value),
        )
    });
    let purpose = if narrative {
        Some(CitePurpose::Prose)
    } else if item.suppress_author {
        Some(CitePurpose::Year)
    } else {
        None
    };
    Some(CitationItem::new(entry, locator, None, false, purpose))
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

/// A citation's HTML: each item linked to its entry, prefixes and suffixes in place, short names.
fn citation_html(rendered: &hayagriva::ElemChildren, citation: &Citation, link: bool) -> String {
    let items: Vec<ItemDecoration<'_>> = citation
        .items
        .iter()
        .map(|item| ItemDecoration {
            href: link.then(|| format!("#{}", reference_anchor(&item.key))),
            prefix: &item.prefix,
            suffix: &item.suffix,
            suppress_author: item.suppress_author,
        })
        .collect();
    let body = write_citation_html(
        rendered,
        &HtmlOptions {
            items: &items,
            use_aliases: true,
            link_urls: false,
        },
    );
    // hayagriva drops the parentheses when an item is year-only (`[-@key]`); put them back.
    let needs_parens =
        !citation.narrative && citation.items.iter().any(|item| item.suppress_author);
    if needs_parens {
        format!("({body})")
    } else if citation.narrative {
        space_before_parenthesis(&body)
    } else {
        body
    }
}

/// hayagriva writes a narrative citation with a locator as "NSA(2024, p. 4)"; APA has a space.
fn space_before_parenthesis(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1);
    let mut previous = ' ';
    for c in html.chars() {
        if c == '(' && (previous.is_alphanumeric() || previous == '.') {
            out.push(' ');
        }
        out.push(c);
        previous = c;
    }
    out
}
