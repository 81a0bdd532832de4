//! The `brief` command line: parse arguments, call the library, report.

// A panic is a bug the author cannot act on: fallible paths return diagnostics instead.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A static-site generator for policy briefs.
#[derive(Parser)]
#[command(name = "brief", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build(cmd::build::BuildArgs),
    /// Audit every citation, source and link without writing anything.
    Check(cmd::check::CheckArgs),
    /// Serve the site on 127.0.0.1, rebuilding and reloading on every save.
    Serve(cmd::serve::ServeArgs),
    /// Create a new brief to start from.
    New(cmd::new::NewArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::New(args) => cmd::new::run(&args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
