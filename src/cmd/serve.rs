//! `brief serve [PATH] [--port N] [--open]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// The brief's folder, or a single Markdown document.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run(args: &ServeArgs) -> ExitCode {
    let options = brief::serve::ServeOptions {
        port: args.port,
        open: args.open,
    };
    match brief::serve::serve(&args.path, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{}", error.render());
            ExitCode::FAILURE
        }
    }
}
