//! `brief new DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct NewArgs {
    /// The folder to create the brief in (it must not exist, or be empty).
    dir: PathBuf,
}

pub fn run(args: &NewArgs) -> ExitCode {
    match brief::scaffold::create(&args.dir) {
        Ok(files) => {
            println!(
                "created a brief in {} ({} files)",
                args.dir.display(),
                files.len()
            );
            println!("next:");
            println!(
                "  brief serve {}     # preview it, rebuilt on every save",
                args.dir.display()
            );
            println!(
                "  brief build {}     # write the site to {}/public",
                args.dir.display(),
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{}", error.render());
            ExitCode::FAILURE
        }
    }
}
