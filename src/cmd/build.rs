//! `brief build [PATH] [--out DIR]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct BuildArgs {
    /// The brief's folder (holding content/, data/, templates/, static/).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Where to write the site [default: PATH/public].
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    match brief::build(&args.path, args.out.as_deref()) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render());
            ExitCode::FAILURE
        }
    }
}
