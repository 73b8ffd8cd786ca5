//! The `factbrief` command line: parses arguments and hands over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use factbrief::build::display_path;
use factbrief::{BuildOptions, Error};

// Rendering thousands of pages allocates many small strings and values;
// mimalloc does that faster than the system allocator on both cores.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// factbrief: build fact-check briefings whose every claim is proven against its documents.
#[derive(Parser)]
#[command(name = "factbrief", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// The site root, holding content/ (and optionally templates/ and static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The URL or path prefix the site is served under (overrides base_url of content/_index.md).
        #[arg(long)]
        base_url: Option<String>,
        /// Include documents marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Also print the time each stage (load, link, render, write) took.
        #[arg(long)]
        timings: bool,
    },
    /// Create a minimal briefing that builds, in DIR.
    Init {
        /// The folder to create it in.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match factbrief::build(&options) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprintln!("{w}\n");
                    }
                    let warnings = match report.warnings.len() {
                        0 => String::new(),
                        1 => ", 1 warning".into(),
                        n => format!(", {n} warnings"),
                    };
                    println!(
                        "Built {} pages and copied {} static files into {} in {} ms{warnings}",
                        report.pages,
                        report.statics,
                        display_path(&report.output),
                        report.elapsed.as_millis()
                    );
                    if timings {
                        let parts: Vec<String> = report
                            .stages
                            .iter()
                            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                            .collect();
                        println!("Stages: {}", parts.join(", "));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Init { dir } => match factbrief::init::init(&dir) {
            Ok(files) => {
                for f in &files {
                    println!("created {}", f.display());
                }
                println!("Next: factbrief build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
    }
}

fn fail(e: &Error) -> ExitCode {
    match e {
        Error::Content(_) => eprintln!("{e}"),
        _ => eprintln!("error: {e}"),
    }
    ExitCode::FAILURE
}
