//! The `factbrief` command line: parses arguments and hands over to the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use factbrief::diagnostic::report::{self, Format};
use factbrief::diagnostic::Diagnostic;
use factbrief::display_path;
use factbrief::{BuildOptions, Error};

// Rendering thousands of pages allocates many small strings and values;
// mimalloc does that faster than the system allocator on both cores. It is
// built without asking for transparent huge pages (feature `no_thp`, see
// Cargo.toml): zeroing them whole cost more than they save in a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What every command's exit status means (the same words end `--help`).
const EXIT_STATUS: &str = "\
Exit status:
  0  success (for `check`: no errors, and no warnings with --deny-warnings)
  1  the briefing has errors (or warnings, with `check --deny-warnings`), or the
     command could not do its work: an unsafe output folder, a file that cannot
     be read or written, a port in use (diagnostic codes `usage` and `io`)
  2  the command line is wrong: an unknown command or option, a missing or
     invalid value (reported by the argument parser, before anything is read)";

/// What `--format json` prints, and where (ends the `--help` of build and check).
const JSON_OUTPUT: &str = "\
With --format json, every problem (failures of the command included) is one JSON
object per line on standard output, and nothing else is printed there:
{\"severity\",\"code\",\"file\",\"line\",\"column\",\"message\",\"help\"} and, when a
problem points at other lines too, \"labels\": [{\"line\",\"column\",\"message\"}].
In that format, what is said for people (such as \"Built ... pages\") goes to
standard error.";

/// What `import --help` ends with: what each input gives, and the exit status.
const IMPORT_HELP: &str = "\
Inputs:
  a text file    one paragraph per line; a leading `date YYYY-MM-DD` becomes
                 `published`, the first line the title, `- ` lines a list
  a web page     a saved .html/.htm file, or an http(s):// URL (fetched: at most
                 10 MB, 5 redirects, --timeout seconds; a text/plain answer is read
                 as a text file). The article is found with Readability and written
                 as Markdown without menus, ads, banners, share bars or related
                 links; title, outlet, published, authors, url and language are read
                 from JSON-LD, then Open Graph and article:*, then Dublin Core, then
                 the HTML (the url from <link rel=canonical> first, else the address
                 after redirects)

Each source gets `retrieved` = today. What the input does not give is written
`FILL IN: ...` and the source is written as a draft (`draft = true`): fill it in,
then remove that line. A missing date is never taken to be today. What was left
out of the text is said under the file's name (and as comments in the file).

An input the briefing already holds (a source with the same url, or the same text
once rendered) is not imported again: the message names the file holding it.

Exit status:
  0  every input was imported
  1  an input was not imported: it could not be read or fetched, or it is already
     in the briefing (each is reported; the other inputs are imported all the same)
  2  the command line is wrong: an unknown option, no input, a bad --timeout";

/// A number of seconds (fractions allowed), more than 0 and at most 600.
fn seconds(s: &str) -> Result<Duration, String> {
    let n: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if n > 0.0 && n <= 600.0 {
        Ok(Duration::from_secs_f64(n))
    } else {
        Err(format!("{s} is not between 0 and 600 seconds"))
    }
}

/// factbrief: build fact-check briefings whose every claim is proven against its documents.
#[derive(Parser)]
#[command(name = "factbrief", version, about, long_about = None, after_help = EXIT_STATUS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Site {
    /// The site root, holding content/ (and optionally templates/ and static/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The URL or path prefix the site is served under (overrides base_url of content/_index.md).
    #[arg(long)]
    base_url: Option<String>,
    /// Include documents marked draft = true.
    #[arg(long)]
    drafts: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// For people: the offending line with a caret, coloured on a terminal.
    Human,
    /// One JSON object per diagnostic and line, for CI and editors.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(after_help = format!("{JSON_OUTPUT}\n\n{EXIT_STATUS}"))]
    Build {
        #[command(flatten)]
        site: Site,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Rewrite every file of the output folder, not only the files that changed
        /// (a whole new folder, swapped in when complete).
        #[arg(long)]
        clean: bool,
        /// Also print the time each stage (load, link, render, write) took.
        #[arg(long)]
        timings: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
    },
    /// Check the briefing (quotes, links, ids, verdicts, editorial warnings) without writing anything.
    #[command(after_help = format!("{JSON_OUTPUT}\n\n{EXIT_STATUS}"))]
    Check {
        #[command(flatten)]
        site: Site,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
        /// Exit with 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build in memory, serve on HTTP, and rebuild and reload the browser on every save.
    Serve {
        /// The site root, holding content/ (and optionally templates/ and static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (anything but loopback makes the site visible to the network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port (the next free one is used if it is taken; 0 for any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include documents marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name or address (NAME, or NAME:PORT for that
        /// port only); repeatable. Otherwise only localhost, 127.0.0.1, [::1] and the address
        /// connected to are answered: other names get 403, against DNS rebinding.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = factbrief::serve::http::allowed_host)]
        allow_host: Vec<String>,
    },
    /// Create a minimal briefing that builds, in DIR.
    Init {
        /// The folder to create it in.
        dir: PathBuf,
    },
    /// Start a new claim or source file (a draft, with the fields to fill in marked).
    New {
        /// The site root (before or after what to create).
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Turn articles into source files in content/sources/: text files, saved web pages, URLs.
    #[command(after_help = IMPORT_HELP)]
    Import {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How long to wait for a web page, in seconds, before giving up.
        #[arg(long, value_name = "SECONDS", default_value = "20", value_parser = seconds)]
        timeout: Duration,
        /// Plain-text files, saved web pages (.html, .htm) and http(s):// URLs, in any mix.
        #[arg(required = true, value_name = "FILE_OR_URL")]
        inputs: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A claim, its id made from the statement.
    Claim {
        /// The statement to check, one sentence.
        statement: String,
    },
    /// A source with the given id.
    Source {
        /// Its id (lower-case letters, digits, `-`, `_`; `/` for subfolders).
        id: String,
    },
}

fn format_of(f: OutputFormat) -> Format {
    match f {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            site,
            output,
            clean,
            timings,
            format,
        } => build(site, output, clean, timings, format_of(format)),
        Command::Check {
            site,
            format,
            deny_warnings,
        } => check(site, format_of(format), deny_warnings),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            allow_host,
        } => {
            let options = factbrief::serve::ServeOptions {
                root: root.clone(),
                bind,
                port,
                drafts,
                open,
                allow_hosts: allow_host,
            };
            match factbrief::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e, Format::Human),
            }
        }
        Command::Init { dir } => match factbrief::init::init(&dir) {
            Ok(files) => {
                for f in &files {
                    println!("created {}", display_path(f));
                }
                println!("Next: factbrief build --root {}", display_path(&dir));
                ExitCode::SUCCESS
            }
            Err(e) => fail(e, Format::Human),
        },
        Command::New { root, what } => {
            let made = match what {
                NewWhat::Claim { statement } => factbrief::authoring::new_claim(&root, &statement),
                NewWhat::Source { id } => factbrief::authoring::new_source(&root, &id),
            };
            match made {
                Ok(path) => {
                    println!("created {} (a draft: fill in the fields marked FILL IN, then remove `draft = true`)", display_path(&path));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, Format::Human),
            }
        }
        Command::Import {
            root,
            timeout,
            inputs,
        } => import(&root, &inputs, timeout),
    }
}

/// Import each input, saying what became of it; exit status 1 if any was not imported.
fn import(root: &std::path::Path, inputs: &[PathBuf], timeout: Duration) -> ExitCode {
    use factbrief::authoring::import::{self, ImportOptions, Outcome, Same};
    let outcomes = import::import(root, inputs, &ImportOptions { timeout });
    let (mut imported, mut drafts, mut not) = (0, 0, 0);
    for outcome in outcomes {
        match outcome {
            Outcome::Imported {
                input,
                path,
                unfilled,
                read,
                notes,
            } => {
                imported += 1;
                let mut said = format!("imported {input} as {}\n", display_path(&path));
                if !read.is_empty() {
                    said.push_str(&format!("  read: {}\n", read.join(", ")));
                }
                for note in notes {
                    said.push_str(&format!("  note: {note}\n"));
                }
                if !unfilled.is_empty() {
                    drafts += 1;
                    said.push_str(&format!("  draft: {} to fill in\n", unfilled.join(", ")));
                }
                say(Format::Human, &said);
            }
            Outcome::AlreadyThere { input, file, same } => {
                not += 1;
                let same = match same {
                    Same::Url => "the same address",
                    Same::Text => "the same text",
                };
                let file = display_path(&file);
                print(
                    vec![Diagnostic::error(
                        factbrief::Code::Usage,
                        &input,
                        format!("already imported: {file} has {same}; skipped"),
                    )
                    .with_help(format!(
                        "nothing was written for it; to import it again, delete or rename {file} first"
                    ))],
                    Format::Human,
                );
            }
            Outcome::Failed { error, .. } => {
                not += 1;
                print(error.into_diagnostics(), Format::Human);
            }
        }
    }
    let mut said = String::new();
    if not > 0 {
        said.push_str(&format!(
            "Imported {imported} of {}; {not} not imported (see above).\n",
            imported + not
        ));
    }
    if drafts > 0 {
        said.push_str("Fill in the fields marked FILL IN, then remove `draft = true` (factbrief check --drafts lists them).\n");
    }
    say(Format::Human, &said);
    if not > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn options(site: Site, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: site.root,
        output,
        base_url: site.base_url,
        drafts: site.drafts,
        clean: false,
    }
}

fn build(
    site: Site,
    output: Option<PathBuf>,
    clean: bool,
    timings: bool,
    format: Format,
) -> ExitCode {
    let options = BuildOptions {
        clean,
        ..options(site, output)
    };
    // (The process ends after it: the site is not let go page by page.)
    match factbrief::build_and_leave(&options) {
        Ok(result) => {
            let warnings = match result.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".into(),
                n => format!(", {n} warnings"),
            };
            let mut said = format!(
                "Built {} pages and copied {} static files into {} in {} ms ({} written, {} unchanged, {} removed){warnings}\n",
                result.pages,
                result.statics,
                display_path(&result.output),
                result.elapsed.as_millis(),
                result.written,
                result.unchanged,
                result.removed,
            );
            if timings {
                let parts: Vec<String> = result
                    .stages
                    .iter()
                    .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                    .collect();
                said.push_str(&format!(
                    "Stages: {} ({} pages rendered, {} kept from the last build)\n",
                    parts.join(", "),
                    result.rendered,
                    result.reused
                ));
            }
            if let Some(note) = factbrief::drafts_note(&result.drafts) {
                said.push_str(&note);
            }
            print(result.warnings, format);
            say(format, &said);
            // (Every file is written: the heap need not be swept on the way out.)
            leave_now()
        }
        Err(e) => fail(e, format),
    }
}

fn check(site: Site, format: Format, deny_warnings: bool) -> ExitCode {
    let options = options(site, None);
    let result = match factbrief::check(&options) {
        Ok(r) => r,
        Err(e) => return fail(e, format),
    };
    let failed = result.has_errors() || (deny_warnings && result.has_warnings());
    let summary = report::summary(&result.diagnostics);
    print(result.diagnostics, format);
    // In JSON, the diagnostics are all there is to say.
    if format == Format::Human {
        let mut said = String::new();
        if !result.external.is_empty() {
            said.push_str("External links (listed, not fetched):\n");
            for (url, pages) in &result.external {
                let first = pages.iter().next().map(String::as_str).unwrap_or("");
                let more = if pages.len() > 1 {
                    format!(" and {} more", pages.len() - 1)
                } else {
                    String::new()
                };
                said.push_str(&format!("  {url}  (from {first}{more})\n"));
            }
        }
        let rendered = if result.pages > 0 {
            format!(
                "{} pages rendered in memory, {} internal links checked; ",
                result.pages, result.links_checked
            )
        } else {
            String::new()
        };
        if let Some(note) = factbrief::drafts_note(&result.drafts) {
            said.push_str(&note);
        }
        said.push_str(&format!(
            "Checked {}: {rendered}{summary}\n",
            display_path(&options.root),
        ));
        say(format, &said);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Print what stopped the command, in `format`; exit status 1.
fn fail(e: Error, format: Format) -> ExitCode {
    let content = matches!(e, Error::Content(_));
    let diags = e.into_diagnostics();
    let summary = report::summary(&diags);
    print(diags, format);
    if content && format == Format::Human {
        eprintln!("{summary}; nothing was written");
    }
    ExitCode::FAILURE
}

/// End the process now, successfully, once standard output and standard
/// error are flushed: for a command whose work is all done (a build's files
/// and cache files written, its report printed). It skips the sweep of the
/// heap the allocator makes at exit (mimalloc, linked in statically, frees
/// every page it holds, which the system then takes back all the same):
/// about 12 ms after a build of 10,000 sources. Elsewhere than on Unix, the
/// usual exit.
fn leave_now() -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    {
        unsafe extern "C" {
            fn _exit(status: std::ffi::c_int) -> !;
        }
        // SAFETY: POSIX `_exit` ends the process at once; what had to be
        // written is written (the caller's promise) and flushed above.
        unsafe { _exit(0) }
    }
    #[cfg(not(unix))]
    std::process::exit(0)
}

/// Print `diags` in `format`. Each carries the text it points into, as the
/// pipeline read it: nothing is read again from the disk for an excerpt.
fn print(diags: Vec<Diagnostic>, format: Format) {
    report::print(&diags, format);
}

/// Say `text` (lines for people) on standard output, or on standard error in
/// JSON mode, where standard output holds only diagnostics.
fn say(format: Format, text: &str) {
    // A closed pipe (`factbrief build | head`) is not worth a panic.
    let _ = match format {
        Format::Human => std::io::stdout().lock().write_all(text.as_bytes()),
        Format::Json => std::io::stderr().lock().write_all(text.as_bytes()),
    };
}
