//! Grouping and collapsing cites (CSL 1.0.2, "Cite Grouping" and "Cite Collapsing"): cites by
//! the same authors brought together, "Doe 2000, 2001", "Doe 2000a, b", "2000a–c" and "[1]–[3]".

use citationberg::Collapse;

use super::citation::{render_cite, with_cite_affixes, RenderedCite};
use super::context::Prepared;
use super::output::{is_empty, Inline};
use super::render::year_suffix_letters;

/// The citation's pieces, each with the delimiter that goes before it.
pub fn collapse(
    style: &Prepared,
    cites: Vec<RenderedCite>,
    delimiter: &str,
) -> Vec<(Vec<Inline>, Option<String>)> {
    let citation = &style.csl.citation;
    // Cites move next to those by the same names only in a sorted citation; unsorted, they
    // keep the order the author wrote them in (the suite's
    // name_CiteGroupDelimiterWithYearSuffixCollapse2), and only neighbours collapse.
    let grouping = (citation.collapse.is_some() || citation.cite_group_delimiter.is_some())
        && citation
            .sort
            .as_ref()
            .is_some_and(|sort| !sort.keys.is_empty());
    let cites = if grouping && citation.collapse != Some(Collapse::CitationNumber) {
        group_by_names(cites)
    } else {
        cites
    };
    match citation.collapse {
        Some(Collapse::CitationNumber) => collapse_numbers(style, cites, delimiter),
        Some(kind) => collapse_years(style, cites, delimiter, kind),
        None if citation.cite_group_delimiter.is_some() => group_only(style, cites, delimiter),
        None => cites
            .iter()
            .map(|cite| {
                let out = with_cite_affixes(style, cite, cite.output.clone());
                (out, Some(delimiter.to_string()))
            })
            .collect(),
    }
}

/// Moves each cite next to the first earlier cite with the same names, keeping order otherwise.
fn group_by_names(cites: Vec<RenderedCite>) -> Vec<RenderedCite> {
    let mut groups: Vec<Vec<RenderedCite>> = Vec::new();
    for cite in cites {
        let found = cite.names.as_ref().and_then(|names| {
            groups
                .iter()
                .position(|g| g[0].names.as_ref() == Some(names))
        });
        match found {
            Some(index) => groups[index].push(cite),
            None => groups.push(vec![cite]),
        }
    }
    groups.into_iter().flatten().collect()
}

fn collapse_numbers(
    style: &Prepared,
    cites: Vec<RenderedCite>,
    delimiter: &str,
) -> Vec<(Vec<Inline>, Option<String>)> {
    let mut out: Vec<(Vec<Inline>, Option<String>)> = Vec::new();
    let after_collapse = style
        .csl
        .citation
        .get_after_collapse_delimiter()
        .to_string();
    let mut index = 0;
    let mut previous_was_range = false;
    while index < cites.len() {
        let number = |i: usize| cites[i].state.citation_number;
        let plain_cite = |i: usize| {
            cites[i].input.locator.is_none()
                && cites[i].input.prefix.is_none()
                && cites[i].input.suffix.is_none()
        };
        let mut end = index;
        while end + 1 < cites.len()
            && plain_cite(end)
            && plain_cite(end + 1)
            && number(end + 1)
                .zip(number(end))
                .is_some_and(|(b, a)| b == a + 1)
        {
            end += 1;
        }
        let delimiter_before = if out.is_empty() {
            None
        } else if previous_was_range {
            Some(after_collapse.clone())
        } else {
            Some(delimiter.to_string())
        };
        if end >= index + 2 {
            let mut piece = with_cite_affixes(style, &cites[index], cites[index].output.clone());
            piece.push(Inline::text("\u{2013}"));
            piece.extend(with_cite_affixes(
                style,
                &cites[end],
                cites[end].output.clone(),
            ));
            out.push((piece, delimiter_before));
            previous_was_range = true;
            index = end + 1;
        } else {
            out.push((
                with_cite_affixes(style, &cites[index], cites[index].output.clone()),
                delimiter_before,
            ));
            previous_was_range = false;
            index += 1;
        }
    }
    out
}

/// `cite-group-delimiter` without `collapse`: cites by the same names together, each in full.
fn group_only(
    style: &Prepared,
    cites: Vec<RenderedCite>,
    delimiter: &str,
) -> Vec<(Vec<Inline>, Option<String>)> {
    let group_delimiter = style
        .csl
        .citation
        .cite_group_delimiter
        .clone()
        .unwrap_or_else(|| ", ".to_string());
    let mut out: Vec<(Vec<Inline>, Option<String>)> = Vec::new();
    let nameless = prints_no_names(&cites);
    for (index, cite) in cites.iter().enumerate() {
        let same_group =
            index > 0 && (cite.names.is_some() || nameless) && cites[index - 1].names == cite.names;
        let before = match (index, same_group) {
            (0, _) => None,
            (_, true) => Some(group_delimiter.clone()),
            (_, false) => Some(delimiter.to_string()),
        };
        out.push((with_cite_affixes(style, cite, cite.output.clone()), before));
    }
    out
}

fn collapse_years(
    style: &Prepared,
    cites: Vec<RenderedCite>,
    delimiter: &str,
    kind: Collapse,
) -> Vec<(Vec<Inline>, Option<String>)> {
    let citation = &style.csl.citation;
    let group_delimiter = citation
        .cite_group_delimiter
        .clone()
        .unwrap_or_else(|| ", ".to_string());
    let after_collapse = citation.get_after_collapse_delimiter().to_string();
    // Without a `year-suffix-delimiter` of its own, a style's `cite-group-delimiter` comes
    // between the letters ("2015a, b"), as citeproc-js and the suite have it; the layout's
    // delimiter only where neither is set.
    let year_suffix_delimiter = citation
        .year_suffix_delimiter
        .clone()
        .or_else(|| citation.cite_group_delimiter.clone())
        .unwrap_or_else(|| citation.get_year_suffix_delimiter().to_string());
    let mut out: Vec<(Vec<Inline>, Option<String>)> = Vec::new();
    let nameless = prints_no_names(&cites);
    let mut index = 0;
    let mut previous_collapsed = false;
    while index < cites.len() {
        let names = cites[index].names.clone();
        let mut end = index;
        while end + 1 < cites.len()
            && cites[end + 1].names == names
            && (names.is_some() || nameless)
        {
            end += 1;
        }
        let delimiter_before = if out.is_empty() {
            None
        } else if previous_collapsed {
            Some(after_collapse.clone())
        } else {
            Some(delimiter.to_string())
        };
        if end == index {
            out.push((
                with_cite_affixes(style, &cites[index], cites[index].output.clone()),
                delimiter_before,
            ));
            previous_collapsed = false;
            index += 1;
            continue;
        }
        // The first cite in full, the others without their names.
        let mut piece = with_cite_affixes(style, &cites[index], cites[index].output.clone());
        let mut member = index + 1;
        let mut previous_suffix_only = false;
        while member <= end {
            let cite = &cites[member];
            let suffix_only = matches!(kind, Collapse::YearSuffix | Collapse::YearSuffixRanged)
                && same_year_with_suffixes(&cites[member - 1], cite)
                && cite.input.locator.is_none();
            if suffix_only {
                // A run of suffixes: "a–c" when ranged and three or more follow each other.
                let mut run_end = member;
                while run_end < end
                    && same_year_with_suffixes(&cites[run_end], &cites[run_end + 1])
                    && cites[run_end + 1].input.locator.is_none()
                    && cites[run_end + 1].state.year_suffix
                        == cites[run_end].state.year_suffix.map(|s| s + 1)
                {
                    run_end += 1;
                }
                let ranged = kind == Collapse::YearSuffixRanged
                    && run_end > member
                    && cites[member].state.year_suffix
                        == cites[member - 1].state.year_suffix.map(|s| s + 1);
                if ranged {
                    // "2000a–c": the range starts at the previous cite's letter.
                    let last = cites[run_end].state.year_suffix.unwrap_or(0);
                    piece.push(Inline::text(format!(
                        "\u{2013}{}",
                        year_suffix_letters(last)
                    )));
                    member = run_end + 1;
                    previous_suffix_only = true;
                    continue;
                }
                let letter = cite
                    .state
                    .year_suffix
                    .map(year_suffix_letters)
                    .unwrap_or_default();
                piece.push(Inline::text(year_suffix_delimiter.clone()));
                piece.push(Inline::text(letter));
                member += 1;
                previous_suffix_only = true;
                continue;
            }
            let (without_names, _) = render_cite(style, cite.reference, &cite.state, true);
            if !is_empty(&without_names) {
                // After a cite with a locator or a run of suffixes, cites are delimited as
                // groups are.
                let previous = &cites[member - 1];
                let strong = previous.input.locator.is_some() || previous_suffix_only;
                let between = if strong {
                    &after_collapse
                } else {
                    &group_delimiter
                };
                piece.push(Inline::text(between.clone()));
                piece.extend(with_cite_affixes(style, cite, without_names));
            }
            previous_suffix_only = false;
            member += 1;
        }
        out.push((piece, delimiter_before));
        previous_collapsed = true;
        index = end + 1;
    }
    out
}

/// A citation none of whose cites prints names (a style of dates alone): its neighbouring
/// cites group as cites by the same names do ("(1965a,b)", as citeproc-js has it). Where some
/// cites print names, one that prints none is a work of its own.
fn prints_no_names(cites: &[RenderedCite]) -> bool {
    cites.iter().all(|cite| cite.names.is_none())
}

fn same_year_with_suffixes(a: &RenderedCite, b: &RenderedCite) -> bool {
    use citationberg::taxonomy::DateVariable;
    let year = |c: &RenderedCite| {
        c.reference
            .date(DateVariable::Issued)
            .and_then(|d| d.parts.first().map(|p| p.year))
    };
    a.state.year_suffix.is_some() && b.state.year_suffix.is_some() && year(a) == year(b)
}
