//! What entries take from others, by biblatex's rules: `crossref` (a chapter takes its book's
//! fields, the book's `title` as its `booktitle`, a paper its proceedings', an article its
//! periodical's as `journaltitle`…) and `xdata` (every field of the `@xdata` entries named).
//! A chapter (`@incollection`) of a `@book` takes its title as the `booktitle` too. A field
//! the entry has itself always wins. Chains are followed [`MAX_CHAIN`] deep; a chain
//! that comes back on itself, or a key not in the file, is a warning. (Pandoc keeps the
//! parent's `title` and `subtitle` as the chapter's own and never hangs a container on it;
//! this follows biblatex.)

use std::collections::{HashMap, HashSet};

use super::syntax::{RawEntry, RawField};
use crate::cite::read::ReadWarning;

/// How many parents a chain of `crossref`s or `xdata`s may have.
pub const MAX_CHAIN: usize = 8;

/// Fields an entry never takes from another (biblatex's list).
const NEVER_INHERITED: &[&str] = &[
    "ids",
    "crossref",
    "xref",
    "xdata",
    "entryset",
    "entrysubtype",
    "execute",
    "label",
    "options",
    "presort",
    "related",
    "relatedoptions",
    "relatedstring",
    "relatedtype",
    "shorthand",
    "shorthandintro",
    "sortkey",
];

/// How many `@xdata` entries one entry may name.
const MAX_XDATA: usize = 16;

/// The entries with what they inherit, `@xdata` entries left out.
pub fn resolve(entries: &[RawEntry], warnings: &mut Vec<ReadWarning>) -> Vec<RawEntry> {
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_lower: HashMap<String, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        by_key.entry(entry.key.as_str()).or_insert(index);
        by_lower.entry(entry.key.to_lowercase()).or_insert(index);
    }
    let mut resolver = Resolver {
        entries,
        by_key,
        by_lower,
        done: vec![None; entries.len()],
        visiting: vec![false; entries.len()],
        warnings,
    };
    let mut resolved = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        if entry.kind == "xdata" {
            continue;
        }
        let fields = resolver.fields(index, 0);
        resolved.push(RawEntry {
            fields,
            ..entry.clone()
        });
    }
    resolved
}

/// Works out each entry's fields once, parents first.
struct Resolver<'a, 'w> {
    entries: &'a [RawEntry],
    by_key: HashMap<&'a str, usize>,
    by_lower: HashMap<String, usize>,
    done: Vec<Option<Vec<RawField>>>,
    visiting: Vec<bool>,
    warnings: &'w mut Vec<ReadWarning>,
}

impl Resolver<'_, '_> {
    fn find(&self, key: &str) -> Option<usize> {
        self.by_key
            .get(key)
            .or_else(|| self.by_lower.get(&key.to_lowercase()))
            .copied()
    }

    /// The fields of `entries[index]` with what it inherits.
    fn fields(&mut self, index: usize, depth: usize) -> Vec<RawField> {
        if let Some(done) = &self.done[index] {
            return done.clone();
        }
        let entry = &self.entries[index];
        self.visiting[index] = true;
        let mut fields = entry.fields.clone();
        let mut names: HashSet<String> = fields.iter().map(|f| f.name.clone()).collect();
        let mut parents: Vec<(RawField, bool)> = Vec::new();
        if let Some(field) = entry.field("xdata") {
            let keys = field
                .value
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty());
            for key in keys.take(MAX_XDATA) {
                let named = RawField {
                    value: key.to_string(),
                    ..field.clone()
                };
                parents.push((named, false));
            }
        }
        if let Some(field) = entry.field("crossref") {
            parents.push((field.clone(), true));
        }
        for (field, crossref) in parents {
            let key = field.value.trim();
            let what = if crossref { "crossref" } else { "xdata" };
            let Some(parent) = self.find(key) else {
                self.warnings.push(ReadWarning {
                    message: format!("the {what} `{key}` of `{}` is not in this file", entry.key),
                    span: field.span.clone(),
                    hint: format!(
                        "`{}` is read without what it would take from `{key}`",
                        entry.key
                    ),
                });
                continue;
            };
            if depth >= MAX_CHAIN || self.visiting[parent] {
                self.warnings.push(ReadWarning {
                    message: format!(
                        "the {what} chain from `{}` comes back to `{key}` or goes more than {MAX_CHAIN} deep",
                        entry.key
                    ),
                    span: field.span.clone(),
                    hint: "an entry cannot inherit from itself; break the circle".into(),
                });
                continue;
            }
            let from = self.fields(parent, depth + 1);
            let renames = if crossref {
                renames(&self.entries[parent].kind, &entry.kind)
            } else {
                &[]
            };
            for source in from {
                if NEVER_INHERITED.contains(&source.name.as_str()) {
                    continue;
                }
                let own = [source.name.as_str()];
                let targets: &[&str] = match renames.iter().find(|(from, _)| *from == source.name) {
                    Some((_, to)) => to,
                    None => &own,
                };
                for target in targets {
                    if names.insert(target.to_string()) {
                        fields.push(RawField {
                            name: target.to_string(),
                            ..source.clone()
                        });
                    }
                }
            }
        }
        self.visiting[index] = false;
        self.done[index] = Some(fields.clone());
        fields
    }
}

/// What a parent's fields become in a child of each type (biblatex's `\DeclareDataInheritance`
/// defaults); an empty list is a field not inherited at all.
fn renames(parent: &str, child: &str) -> &'static [(&'static str, &'static [&'static str])] {
    const AS_BOOK: &[(&str, &[&str])] = &[
        ("title", &["booktitle"]),
        ("subtitle", &["booksubtitle"]),
        ("titleaddon", &["booktitleaddon"]),
        ("shorttitle", &[]),
        ("sorttitle", &[]),
        ("indextitle", &[]),
        ("indexsorttitle", &[]),
    ];
    const AS_BOOK_BY_AUTHOR: &[(&str, &[&str])] = &[
        ("author", &["author", "bookauthor"]),
        ("title", &["booktitle"]),
        ("subtitle", &["booksubtitle"]),
        ("titleaddon", &["booktitleaddon"]),
        ("shorttitle", &[]),
        ("sorttitle", &[]),
        ("indextitle", &[]),
        ("indexsorttitle", &[]),
    ];
    const AS_MAIN: &[(&str, &[&str])] = &[
        ("title", &["maintitle"]),
        ("subtitle", &["mainsubtitle"]),
        ("titleaddon", &["maintitleaddon"]),
        ("shorttitle", &[]),
        ("sorttitle", &[]),
        ("indextitle", &[]),
        ("indexsorttitle", &[]),
    ];
    const AS_JOURNAL: &[(&str, &[&str])] = &[
        ("title", &["journaltitle"]),
        ("subtitle", &["journalsubtitle"]),
        ("titleaddon", &["journaltitleaddon"]),
        ("shorttitle", &["shortjournal"]),
        ("sorttitle", &[]),
        ("indextitle", &[]),
        ("indexsorttitle", &[]),
    ];
    match (parent, child) {
        ("mvbook", "book" | "inbook" | "bookinbook" | "suppbook")
        | (
            "mvcollection" | "mvreference",
            "collection" | "reference" | "incollection" | "inreference" | "suppcollection",
        )
        | ("mvproceedings", "proceedings" | "inproceedings") => AS_MAIN,
        ("book", "inbook" | "bookinbook" | "suppbook") => AS_BOOK_BY_AUTHOR,
        // A chapter of a `@book` (biblatex wants a `@collection`) is in that book all the same.
        (
            "collection" | "reference" | "book",
            "incollection" | "inreference" | "suppcollection",
        )
        | ("proceedings", "inproceedings" | "conference") => AS_BOOK,
        ("periodical", "article" | "suppperiodical") => AS_JOURNAL,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::read::bibtex::syntax::parse;

    fn resolved(text: &str) -> (Vec<RawEntry>, Vec<ReadWarning>) {
        let (entries, mut warnings) = parse(text);
        let resolved = resolve(&entries, &mut warnings);
        (resolved, warnings)
    }

    fn value<'a>(entry: &'a RawEntry, name: &str) -> Option<&'a str> {
        entry.field(name).map(|f| f.value.as_str())
    }

    #[test]
    fn children_take_their_parents_fields_by_biblatex_rules() {
        let text = "@book{parent, title = {The Book}, subtitle = {Sub}, author = {Au, Thor}, publisher = {Pub}, year = 1999}\n\
                    @inbook{child, title = {The Chapter}, crossref = {parent}, pages = {1--2}}\n\
                    @proceedings{procs, title = {Proc}, editor = {Ed, Itor}}\n\
                    @inproceedings{paper, title = {Paper}, crossref = {procs}, year = 2001}\n\
                    @periodical{per, title = {Periodical}, shorttitle = {Per}}\n\
                    @article{art, title = {Art}, crossref = {per}}\n\
                    @xdata{xd, publisher = {XPub}, address = {XPlace}}\n\
                    @book{usesx, title = {Uses}, xdata = {xd}, publisher = {Own}}\n";
        let (entries, warnings) = resolved(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        let child = &entries[1];
        assert_eq!(value(child, "title"), Some("The Chapter"));
        assert_eq!(value(child, "booktitle"), Some("The Book"));
        assert_eq!(value(child, "booksubtitle"), Some("Sub"));
        assert_eq!(value(child, "bookauthor"), Some("Au, Thor"));
        assert_eq!(value(child, "author"), Some("Au, Thor"));
        assert_eq!(value(child, "subtitle"), None);
        assert_eq!(value(child, "year"), Some("1999"));
        assert_eq!(value(&entries[3], "booktitle"), Some("Proc"));
        assert_eq!(value(&entries[3], "year"), Some("2001"));
        assert_eq!(value(&entries[5], "journaltitle"), Some("Periodical"));
        assert_eq!(value(&entries[5], "shortjournal"), Some("Per"));
        let usesx = entries.iter().find(|e| e.key == "usesx").unwrap();
        assert_eq!(value(usesx, "publisher"), Some("Own"));
        assert_eq!(value(usesx, "address"), Some("XPlace"));
        assert_eq!(entries.len(), 7, "the @xdata entry is no reference");
    }

    #[test]
    fn circles_and_missing_parents_are_warnings() {
        let text = "@book{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}, year = 1}\n\
                    @book{c, crossref = {nowhere}}\n";
        let (entries, warnings) = resolved(text);
        assert_eq!(value(&entries[0], "year"), Some("1"));
        assert!(
            warnings.iter().any(|w| w.message.contains("comes back")),
            "{warnings:?}"
        );
        assert!(warnings
            .iter()
            .any(|w| w.message == "the crossref `nowhere` of `c` is not in this file"));
    }
}
