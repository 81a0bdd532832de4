//! `.brief-cache/links.json`: what the last online checks found, per URL, with the time of each
//! check. `check --online` reads and updates it; `build` reads it for the Source audit page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const CACHE_VERSION: u32 = 1;

/// What an online check of one URL found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    /// Answered 2xx.
    Ok,
    /// Answered 2xx after following redirects; the final URL is recorded.
    Redirected,
    /// Not checked: the URL matches one of the brief's `link-check: exclude` patterns.
    Excluded,
    /// Answered 401, 403 or 429: the host refuses automated checks, which says nothing about
    /// whether a reader's browser would get the page.
    Blocked,
    /// No answer within the timeout.
    Timeout,
    /// No HTTP answer at all: refused connection, unknown host, TLS failure.
    Error,
    /// Answered an error status (404, 410, 500…).
    Dead,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Ok => "ok",
            LinkStatus::Redirected => "redirected",
            LinkStatus::Excluded => "excluded",
            LinkStatus::Blocked => "blocked",
            LinkStatus::Timeout => "timeout",
            LinkStatus::Error => "error",
            LinkStatus::Dead => "dead",
        }
    }

    /// Results that a later run checks again whatever their age.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            LinkStatus::Blocked | LinkStatus::Timeout | LinkStatus::Error | LinkStatus::Dead
        )
    }
}

/// One URL's last check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkResult {
    pub status: LinkStatus,
    /// The HTTP status of the last answer, when there was one.
    pub code: Option<u16>,
    /// Where redirects led, when they were followed.
    pub final_url: Option<String>,
    /// For people: "404 Not Found", "connection refused"…
    pub detail: String,
    /// RFC 3339, UTC.
    pub checked_at: String,
    /// The same moment as seconds since the Unix epoch, for `--max-age`.
    pub checked_unix: u64,
}

impl LinkResult {
    /// Whether a run at `now` (Unix seconds) must check the URL again.
    pub fn is_stale(&self, now: u64, max_age_secs: u64) -> bool {
        self.status.is_failure() || now.saturating_sub(self.checked_unix) > max_age_secs
    }

    /// The day of the check (`2026-11-27`), as the audit page shows it.
    pub fn checked_on(&self) -> &str {
        self.checked_at.get(..10).unwrap_or(&self.checked_at)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCache {
    pub version: u32,
    /// By URL, sorted so that the file is stable under version control and diff.
    pub links: BTreeMap<String, LinkResult>,
}

impl LinkCache {
    /// Where the cache of the brief in `root` lives.
    pub fn path(root: &Path) -> PathBuf {
        root.join(crate::load::CACHE_FOLDER).join("links.json")
    }

    /// The same, when the cache folder is a folder of the brief's own (not a link elsewhere).
    fn guarded_path(root: &Path) -> Result<PathBuf, String> {
        crate::paths::cache_folder(root)
            .map(|folder| folder.join("links.json"))
            .ok_or_else(|| {
                format!(
                    "{} is not a folder (a symbolic link?): brief keeps its cache only in a folder of its own",
                    root.join(crate::load::CACHE_FOLDER).display()
                )
            })
    }

    /// The cache in `root`; empty when there is none. An unreadable cache is an error, for
    /// `check` to report; `build` treats it as empty.
    pub fn read(root: &Path) -> Result<LinkCache, String> {
        let path = Self::guarded_path(root)?;
        let text = match std::fs::symlink_metadata(&path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LinkCache::default())
            }
            _ => crate::paths::read_cache_file(&path)
                .ok_or_else(|| format!("cannot read {}: it is not a plain file", path.display()))?,
        };
        let cache: LinkCache = serde_json::from_str(&text)
            .map_err(|error| format!("{} is not a link cache: {error}", path.display()))?;
        if cache.version != CACHE_VERSION {
            return Ok(LinkCache::default());
        }
        Ok(cache)
    }

    /// Writes the cache beside itself and renames it into place, so that an interrupted run
    /// never leaves half a file.
    pub fn write(&self, root: &Path) -> Result<(), String> {
        let path = Self::guarded_path(root)?;
        let folder = path.parent().unwrap_or(root);
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
        let cache = LinkCache {
            version: CACHE_VERSION,
            links: self.links.clone(),
        };
        let mut json = serde_json::to_string_pretty(&cache)
            .map_err(|error| format!("cannot write the link cache: {error}"))?;
        json.push('\n');
        crate::paths::replace_file(&path, json.as_bytes())
            .map_err(|error| format!("cannot write {}: {error}", path.display()))
    }

    pub fn get(&self, url: &str) -> Option<&LinkResult> {
        self.links.get(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(status: LinkStatus, checked_unix: u64) -> LinkResult {
        LinkResult {
            status,
            code: None,
            final_url: None,
            detail: String::new(),
            checked_at: "2026-11-27T10:00:00Z".to_string(),
            checked_unix,
        }
    }

    #[test]
    fn successes_are_kept_until_max_age_and_failures_never() {
        let day = 86_400;
        assert!(!result(LinkStatus::Ok, 1_000).is_stale(1_000 + day, day));
        assert!(result(LinkStatus::Ok, 1_000).is_stale(1_001 + day, day));
        assert!(!result(LinkStatus::Redirected, 1_000).is_stale(1_000, day));
        for failure in [
            LinkStatus::Dead,
            LinkStatus::Blocked,
            LinkStatus::Timeout,
            LinkStatus::Error,
        ] {
            assert!(result(failure, 1_000).is_stale(1_000, day), "{failure:?}");
        }
    }

    #[test]
    fn the_cache_survives_a_round_trip_and_a_missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(LinkCache::read(dir.path()).unwrap(), LinkCache::default());
        let mut cache = LinkCache::default();
        cache.links.insert(
            "https://example.org/".to_string(),
            result(LinkStatus::Ok, 5),
        );
        cache.write(dir.path()).unwrap();
        let read = LinkCache::read(dir.path()).unwrap();
        assert_eq!(read.links, cache.links);
        assert_eq!(
            read.get("https://example.org/").unwrap().checked_on(),
            "2026-11-27"
        );
    }

    #[test]
    fn a_damaged_cache_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".brief-cache")).unwrap();
        std::fs::write(LinkCache::path(dir.path()), "{ not json").unwrap();
        let error = LinkCache::read(dir.path()).unwrap_err();
        assert!(error.contains("is not a link cache"), "{error}");
    }
}
