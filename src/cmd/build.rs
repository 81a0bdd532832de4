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
    /// Treat warnings (sources without links, uncited or unlisted sources, unreadable entries)
    /// as errors.
    #[arg(long)]
    strict: bool,
    /// Format every citation afresh instead of reusing `.brief-cache/`, and write no cache.
    #[arg(long)]
    no_cache: bool,
    /// Print the milliseconds each stage took (load, parse, resolve, pdf+render, write).
    #[arg(long)]
    timings: bool,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let options = brief::BuildOptions {
        out: args.out.clone(),
        strict: args.strict,
        no_cache: args.no_cache,
    };
    match brief::build(&args.path, &options) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("{}", warning.render_short());
            }
            for warning in &summary.warnings_before {
                eprintln!("{warning}");
            }
            println!("{summary}");
            if args.timings {
                for (stage, ms) in &summary.timings {
                    println!("  {stage:<8} {ms:>8.1} ms");
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render());
            // Said from what is on disk now, so that it holds whatever failed.
            let out = brief::output_path(&args.path, &options);
            eprintln!("{}", brief::output::state_after_failure(&out));
            ExitCode::FAILURE
        }
    }
}
