//! `brief check [PATH] [--format text|json] [--strict] [--online …]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use brief::check::CheckOptions;
use brief::links::OnlineOptions;
use clap::{Args, ValueEnum};

#[derive(Args)]
pub struct CheckArgs {
    /// The brief's folder, or a single Markdown document.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// `text` for people, `json` for CI (documented in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    strict: bool,
    /// Also check every external link over HTTP; results are kept in `.brief-cache/links.json`.
    #[arg(long)]
    online: bool,
    /// With --online: links that worked more recently than this are not checked again
    /// (`30m`, `12h`, `7d`). Failures are always checked again.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "1d", value_name = "AGE")]
    max_age: Duration,
    /// With --online: how long to wait for each answer (`20s`, `1m`).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "20s", value_name = "TIME")]
    timeout: Duration,
    /// With --online: requests in flight at once (per host at most 8).
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    max_concurrency: u16,
    /// With --online: further attempts after a timeout, 429 or 5xx answer.
    #[arg(long, default_value_t = 2, value_name = "N")]
    retries: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// 0: clean at the chosen level; 1: problems; 2: the brief could not be read at all, or the
/// options ask for what this build cannot do.
pub fn run(args: &CheckArgs) -> ExitCode {
    if args.online && !cfg!(feature = "online") {
        eprintln!("error: {}", brief::check::ONLINE_MISSING);
        return ExitCode::from(2);
    }
    let options = CheckOptions {
        online: args.online.then(|| OnlineOptions {
            timeout: args.timeout,
            max_concurrency: usize::from(args.max_concurrency),
            max_age: args.max_age,
            retries: args.retries,
        }),
    };
    let report = brief::check::check(&args.path, &options);
    match args.format {
        Format::Text => print!(
            "{}",
            brief::diagnostic::terminal_safe(&brief::check::render_text(&report))
        ),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: cannot write the report: {error}");
                return ExitCode::from(2);
            }
        },
    }
    let failing = report.summary.errors
        + if args.strict {
            report.summary.warnings
        } else {
            0
        };
    if report.unreadable {
        ExitCode::from(2)
    } else if failing > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
