//! Readable, stable anchors and folder names from titles.

use std::collections::BTreeSet;

/// "1.1 Mining and Production Shares" → "mining-and-production-shares" (Pandoc's rule: leading
/// numbers and punctuation dropped, words joined by hyphens, lower case).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if slug.is_empty() && !c.is_alphabetic() {
                continue;
            }
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c == '-'
            || c == '_'
            || c.is_whitespace()
            || c == '.'
            || c == '–'
            || c == '—'
            || c == '/'
        {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// A label as written (`fig:map`, a note's `intro-fn-1`) as part of an element id: anything but
/// letters, digits, `-` and `_` becomes `-`.
pub fn id_from_label(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Why `slug` cannot name a folder of the site, if it cannot: it must be one plain path part,
/// so that no slug reaches outside the output folder or breaks a URL.
pub fn folder_name_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("it is empty")
    } else if slug.contains(['/', '\\']) {
        Some("it holds a slash")
    } else if slug.starts_with('.') {
        Some("it starts with a dot")
    } else if !slug
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Some("it holds characters other than letters, digits, `-`, `_` and `.`")
    } else {
        None
    }
}

/// Hands out ids that are unique within one page: the second "overview" becomes "overview-2".
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: BTreeSet<String>,
}

impl UniqueIds {
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    pub fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_like_slugs() {
        assert_eq!(
            slugify("1.1 Mining and Production Shares"),
            "mining-and-production-shares"
        );
        assert_eq!(
            slugify("Why This Matters: Industry, Defense"),
            "why-this-matters-industry-defense"
        );
        assert_eq!(slugify("U.S.–China, 2024–2026"), "u-s-china-2024-2026");
        assert_eq!(slugify("01-state-of-play"), "state-of-play");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn repeated_ids_get_numbers() {
        let mut ids = UniqueIds::default();
        ids.reserve("references");
        assert_eq!(ids.unique("references"), "references-2");
        assert_eq!(ids.unique("x"), "x");
        assert_eq!(ids.unique("x"), "x-2");
    }
}
