//! `brief check --online`: each URL checked over HTTP by lychee-lib, which does the retries,
//! redirects, timeouts and per-host limits; we decide what to check (the cache) and what each
//! answer means for a reviewer.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lychee_lib::ratelimit::RateLimitConfig;
use lychee_lib::{ClientBuilder, Response, Status};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{LinkCache, LinkResult, LinkStatus, OnlineOptions};

/// Says who is asking, so that a site's owner can tell a link check from a scraper.
const USER_AGENT: &str = concat!(
    "brief/",
    env!("CARGO_PKG_VERSION"),
    " (link check of a policy brief; lychee-lib)"
);

/// Checks each of `urls` whose cached result is missing or stale, and records the results in
/// `cache`. Returns how many URLs were checked.
pub fn check_links(
    urls: &[String],
    cache: &mut LinkCache,
    options: &OnlineOptions,
) -> Result<usize, String> {
    let now = SystemTime::now();
    let now_unix = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let due: Vec<String> = urls
        .iter()
        .filter(|url| {
            cache
                .get(url)
                .is_none_or(|result| result.is_stale(now_unix, options.max_age.as_secs()))
        })
        .cloned()
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let client = ClientBuilder::builder()
        .timeout(options.timeout)
        .max_retries(options.retries)
        .retry_wait_time(Duration::from_millis(500))
        .user_agent(USER_AGENT)
        .rate_limit_config(RateLimitConfig::from_options(
            Some(options.max_concurrency.clamp(1, 8)),
            None,
        ))
        .build()
        .client()
        .map_err(|error| format!("cannot start the link checker: {error}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the link checker: {error}"))?;
    let progress = progress_bar(due.len());
    let results = runtime.block_on(async {
        let permits = Arc::new(Semaphore::new(options.max_concurrency.max(1)));
        let mut tasks = JoinSet::new();
        for url in due {
            let client = client.clone();
            let permits = permits.clone();
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let response = client.check(url.as_str()).await;
                (url, response)
            });
        }
        let mut results = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((url, response)) = joined {
                progress.inc(1);
                results.push((url, response));
            }
        }
        results
    });
    progress.finish_and_clear();
    let checked_at = humantime::format_rfc3339_seconds(now).to_string();
    let count = results.len();
    for (url, response) in results {
        let (status, code, final_url, detail) = match response {
            Ok(response) => interpret(&response),
            Err(error) => (LinkStatus::Error, None, None, error.to_string()),
        };
        cache.links.insert(
            url,
            LinkResult {
                status,
                code,
                final_url,
                detail,
                checked_at: checked_at.clone(),
                checked_unix: now_unix,
            },
        );
    }
    Ok(count)
}

/// A bar on a terminal; nothing in CI or when the output is piped.
fn progress_bar(len: usize) -> ProgressBar {
    let on_terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !on_terminal {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("checking links {bar:30} {pos}/{len}") {
        bar.set_style(style);
    }
    bar
}

/// What a reviewer should make of lychee's answer.
fn interpret(response: &Response) -> (LinkStatus, Option<u16>, Option<String>, String) {
    let status = response.status();
    let http_code = status.code();
    let code = http_code.map(|code| code.as_u16());
    let final_url = response.redirects().and_then(|redirects| {
        // `Redirects` keeps its chain private; its serialised form lists every hop.
        let chain = serde_json::to_value(redirects).ok()?;
        let hops = chain.get("redirects")?.as_array()?;
        Some(hops.last()?.get("url")?.as_str()?.to_string())
    });
    // "404 Not Found"
    let reason = http_code.map(|code| {
        let phrase = code.canonical_reason().unwrap_or_default();
        format!("{} {phrase}", code.as_u16()).trim().to_string()
    });
    let (kind, detail) = match (status, code) {
        (Status::Ok(_), _) if final_url.is_some() => (LinkStatus::Redirected, reason),
        (Status::Ok(_), _) => (LinkStatus::Ok, reason),
        (Status::Timeout(_), _) => (
            LinkStatus::Timeout,
            Some("no answer within the timeout".to_string()),
        ),
        (Status::Excluded, _) => (LinkStatus::Excluded, None),
        (_, Some(401 | 403 | 429)) => (LinkStatus::Blocked, reason),
        (_, Some(_)) => (LinkStatus::Dead, reason),
        (_, None) => (LinkStatus::Error, Some(error_detail(status))),
    };
    let detail = detail.unwrap_or_default();
    (kind, code, final_url, detail)
}

/// The innermost cause, which is the part a person can act on ("Connection refused").
fn error_detail(status: &Status) -> String {
    let text = status.to_string();
    let details = status.details();
    let detail = if details.is_empty() || details == text {
        text
    } else {
        details
    };
    detail.lines().next().unwrap_or_default().trim().to_string()
}
