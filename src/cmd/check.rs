//! `brief check [PATH] [--format text|json] [--strict]`

use std::path::PathBuf;
use std::process::ExitCode;

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
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// 0: clean at the chosen level; 1: problems; 2: the brief could not be read at all.
pub fn run(args: &CheckArgs) -> ExitCode {
    let report = brief::check::check(&args.path);
    match args.format {
        Format::Text => print!("{}", brief::check::render_text(&report)),
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
