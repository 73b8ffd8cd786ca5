//! `factbrief build`: load → link → render → write, with a summary of what was done.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::link::{self, Site};
use crate::load::{self, LoadOptions};
use crate::render::{self, theme::Theme, Output, Page, RenderOptions};
use crate::write;

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holding `content/`).
    pub root: PathBuf,
    /// The output folder; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `_index.md`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
}

impl BuildOptions {
    /// The output folder this build writes.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages rendered (HTML, feed, sitemap, generated CSS).
    pub pages: usize,
    /// Static files copied.
    pub statics: usize,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Time taken.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output: PathBuf,
    /// Time taken by each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// A site rendered in memory, ready to write.
pub struct RenderedSite {
    /// The linked site.
    pub site: Site,
    /// The theme it was rendered with.
    pub theme: Theme,
    /// Rendered pages.
    pub files: Vec<Output>,
    /// Static files, by output path.
    pub statics: Vec<(String, render::theme::StaticSource)>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Time taken by each stage.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Load, link and render the site under `options.root`, writing nothing.
pub fn render_site(options: &BuildOptions, render_options: &RenderOptions) -> Result<RenderedSite> {
    let root = &options.root;
    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        stages.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let (content, diags) = load::load(root, &load_options)?;
    lap("load");
    let (site, warnings) = link::link(content, options.base_url.as_deref(), diags)?;
    lap("link");
    let mut theme = Theme::load(root)?;
    let rendered = render::render(&site, &mut theme, &Page::all(&site), render_options)?;
    let mut files = rendered.outputs;
    if !rendered.with_code.is_empty() {
        files.push(render::syntax_css());
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    lap("render");
    let statics: Vec<(String, render::theme::StaticSource)> = theme
        .statics
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    check_collisions(root, &files, &statics)?;
    Ok(RenderedSite {
        site,
        theme,
        files,
        statics,
        warnings,
        stages,
    })
}

/// A static file may not take the place of a generated page.
pub(crate) fn check_collisions(
    root: &Path,
    files: &[Output],
    statics: &[(String, render::theme::StaticSource)],
) -> Result<()> {
    let mut diags = Vec::new();
    for (path, src) in statics {
        // The same path, or a static file where a generated page needs a folder.
        let as_folder = format!("{path}/");
        let clash = files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok()
            || files[files.partition_point(|f| f.path.as_str() < as_folder.as_str())..]
                .first()
                .is_some_and(|f| f.path.starts_with(&as_folder));
        if clash {
            let file = match src {
                render::theme::StaticSource::File(p) => crate::load::rel(root, p),
                render::theme::StaticSource::Embedded(_) => {
                    PathBuf::from(format!("static/{path} (built-in theme)"))
                }
            };
            diags.push(
                Diagnostic::error(Code::OutputCollision, file, format!("two files would be written to {path}: this static file and a generated page (or the folder of one)"))
                    .with_help("rename or remove the static file; generated pages take these paths"),
            );
        }
        if path == write::MANIFEST {
            diags.push(
                Diagnostic::error(
                    Code::ReservedName,
                    format!("static/{path}"),
                    "this name is reserved for factbrief's list of written files",
                )
                .with_help("rename the file"),
            );
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(diags))
    }
}

/// Build the site: render it and swap it into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let output = options.output_dir();
    // Refuse an unsafe output folder before doing any work.
    write::check_output_location(&options.root, &output)?;
    let mut rendered = render_site(options, &RenderOptions::default())?;
    let clock = Instant::now();
    let report = write::write_site(&options.root, &output, &rendered.files, &rendered.statics)?;
    rendered.stages.push(("write", clock.elapsed()));
    Ok(BuildReport {
        pages: report.pages,
        statics: report.statics,
        warnings: rendered.warnings,
        elapsed: start.elapsed(),
        output,
        stages: rendered.stages,
    })
}

/// Show `path` relative to the current folder when it is inside it.
pub fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            path.strip_prefix(&cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.display().to_string())
}
