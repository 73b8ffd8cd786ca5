//! factbrief: a static site generator for fact-check briefings, every claim
//! proven against its documents.
//!
//! The library builds a briefing (a folder holding `content/`, and optionally
//! `templates/` and `static/`) the way the `factbrief` command does:
//!
//! - [`build_in_memory`]: every page and static file as bytes, nothing written;
//! - [`build()`]: the same, swapped into an output folder all or nothing;
//! - [`check()`]: build in memory and check every internal link and anchor;
//! - [`Diagnostic`]: each problem found, with its [`Code`], file, line and help.
//!
//! A newsroom that pins its HTML in its own snapshot tests builds its
//! briefing in memory and compares pages:
//!
//! ```
//! use factbrief::{build_in_memory, BuildOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let root = dir.path();
//! # let write = |rel: &str, text: &str| -> std::io::Result<()> {
//! #     std::fs::create_dir_all(root.join(rel).parent().unwrap())?;
//! #     std::fs::write(root.join(rel), text)
//! # };
//! # write("content/_index.md", "+++\ntitle = \"Desk\"\nbase_url = \"https://desk.example/\"\ncontact = \"desk@example.org\"\n+++\n")?;
//! # write("content/sources/wire.md", "+++\ntitle = \"Call\"\noutlet = \"Wire\"\npublished = 2021-12-30\n+++\nThe call lasted 50 minutes.\n")?;
//! # write("content/claims/two-hours.md", "+++\nclaim = \"The call lasted two hours.\"\nverdict = \"false\"\n[[evidence]]\nsource = \"wire\"\nstance = \"contradicts\"\nquote = \"lasted 50 minutes\"\n+++\n")?;
//! // `root` holds content/_index.md, content/sources/wire.md and content/claims/two-hours.md.
//! let site = build_in_memory(&BuildOptions::new(root))?;
//! let claim = site.page("claims/two-hours/index.html").expect("the claim's page");
//! assert!(claim.contains("The call lasted two hours."));
//! // The source page marks the quoted passage (see docs/format.md).
//! let source = site.page("sources/wire/index.html").expect("the source's page");
//! assert!(source.contains(r#"data-q="q-two-hours-1""#));
//! assert!(site.warnings.is_empty());
//! # Ok(())
//! # }
//! ```
//!
//! Inside, data flows one way: `load` (files → typed documents, with the spans
//! of their fields) → `link` (the claim/source graph, quotes resolved to
//! passages; memoized, so a rebuild redoes only what an edit invalidated) →
//! `render` (one module per page kind) → `write` (atomic output). The one
//! driver, `pipeline`, runs them for `build`, `check` and `serve`. Those
//! modules are public only for the command line and the project's own tests,
//! and hidden from this documentation: they are not a stable interface.

mod background;
mod build;
mod cache_file;
mod check;
pub mod diagnostic;
mod hash;
mod site_path;
#[doc(hidden)]
pub mod slug;
mod write;

#[doc(hidden)]
pub mod authoring;
#[doc(hidden)]
pub mod init;
#[doc(hidden)]
pub mod link;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod markdown;
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod serve;

pub use build::{build, build_and_leave, drafts_note, BuildOptions, BuildReport};
pub use check::{check, CheckReport};
pub use diagnostic::{Code, Diagnostic, Error, Result, Severity};
pub use pipeline::{Bytes, Files};

#[doc(hidden)]
pub use build::display_path;

/// A site built in memory by [`build_in_memory`].
#[derive(Debug, Clone)]
pub struct InMemory {
    /// Every file of the site (pages, feed, sitemap and static files), by path
    /// relative to the output root, `/`-separated (`claims/x/index.html`).
    pub files: Files,
    /// The warnings found (a site with errors is not built: see [`Error`]).
    pub warnings: Vec<Diagnostic>,
}

impl InMemory {
    /// The text of the file at `path` (`index.html`, `claims/x/index.html`), if
    /// the site has it and it is UTF-8.
    pub fn page(&self, path: &str) -> Option<&str> {
        self.files
            .get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// Build the site under `options.root` in memory: load, link and render, as
/// `factbrief build` does, without writing anything. `options.output` is not
/// used. Fails with every problem found when the briefing has errors.
pub fn build_in_memory(options: &BuildOptions) -> Result<InMemory> {
    let mut pipeline =
        pipeline::Pipeline::open_single_run(options.clone(), render::RenderOptions::default())?;
    pipeline.build()?;
    Ok(InMemory {
        files: (*pipeline.files()).clone(),
        warnings: pipeline.warnings().to_vec(),
    })
}
