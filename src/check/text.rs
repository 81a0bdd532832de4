//! The reviewer's report for the terminal: problems grouped by kind, each with its place and
//! the sentences that cite its source.

use std::collections::BTreeMap;

use super::{Problem, Report};
use crate::links::LinkStatus;

/// The terminal report: problems grouped by kind, each with its place and citing sentences.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let mut kinds: BTreeMap<(u8, &str), Vec<&Problem>> = BTreeMap::new();
    for problem in &report.problems {
        let rank = match problem.severity {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        kinds
            .entry((rank, problem.kind.as_str()))
            .or_default()
            .push(problem);
    }
    for ((_, kind), problems) in &kinds {
        out.push_str(&format!("{} ({}):\n", heading(kind), problems.len()));
        for problem in problems {
            let place = match (&problem.file, problem.line, problem.column) {
                (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}: "),
                (Some(file), _, _) => format!("{file}: "),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  {}: {place}{}\n",
                problem.severity, problem.message
            ));
            if let Some(key) = &problem.key {
                for occurrence in report.citations.iter().filter(|o| &o.key == key).take(3) {
                    out.push_str(&format!(
                        "      cited at {}:{}:{}: “{}”\n",
                        occurrence.file, occurrence.line, occurrence.column, occurrence.sentence
                    ));
                }
            }
        }
        out.push('\n');
    }
    let s = &report.summary;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let online = if report.online {
        let excluded = report
            .links
            .iter()
            .filter(|link| link.status == Some(LinkStatus::Excluded))
            .count();
        format!(
            "; {}: {} checked now, {} from the cache, {excluded} excluded",
            plural(s.links, "link"),
            s.links_checked,
            s.links - s.links_checked - excluded
        )
    } else {
        String::new()
    };
    let pdf = s
        .pdf_pages
        .map(|pages| format!("; the PDF has {}", plural(pages, "page")))
        .unwrap_or_default();
    out.push_str(&format!(
        "check: {} of {}; {}, {}, {}{online}{pdf}\n",
        plural(s.citations, "citation"),
        plural(s.sources, "source"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note")
    ));
    out
}

fn heading(kind: &str) -> &str {
    match kind {
        "no-link" => "Sources without a link",
        "dead-link" => "Links that answer with an error",
        "link-timeout" => "Links that did not answer in time",
        "unreachable-link" => "Links that could not be reached",
        "blocked-link" => "Links whose host refuses automated checks",
        "link-check" => "The online check could not run",
        "link-cache" => "The link cache could not be read",
        "uncited" => "Listed but never cited",
        "unlisted" => "Cited but not in the author's reference list",
        "ambiguous" => "Same author and year, told apart by letters",
        "broken-link" => "Internal links that lead nowhere",
        "broken-anchor" => "Internal anchors that do not exist",
        "unsafe-url" => "URLs that are not http(s)",
        "unreadable-entry" => "Reference entries that could not be read",
        "build-error" => "Errors that stop the build",
        "pdf" => "Parts the PDF shows another way",
        other => other,
    }
}
