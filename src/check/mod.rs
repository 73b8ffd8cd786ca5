//! `factbrief check`: load, link and render in memory, check the rendered
//! site's links, and report every problem. Writes nothing.

pub mod output_links;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::build::BuildOptions;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Error, Result, Severity};
use crate::link::cache::LinkCache;
use crate::pipeline::Pipeline;
use crate::render::{Page, RenderOptions};

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered.
    pub pages: usize,
    /// Internal links checked.
    pub links_checked: usize,
    /// External URLs with the pages linking to them (listed, never fetched).
    pub external: BTreeMap<String, BTreeSet<String>>,
    /// The drafts left out, each with the fields it still marks `FILL IN`.
    pub drafts: Vec<(PathBuf, Vec<String>)>,
}

impl CheckReport {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether any diagnostic is a warning.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning)
    }
}

/// Check the site described by `options` (its output folder is not touched).
/// Content problems are returned in the report; only problems that stop the
/// check itself (an unreadable folder) are errors of this function.
pub fn check(options: &BuildOptions) -> Result<CheckReport> {
    // Share images, search shards and what linking found in each source
    // that a build made are read from its cache folder, and nothing is
    // written there.
    let cache = crate::build::cache_dir(&options.output_dir());
    let render_options = RenderOptions::cached_in(&cache, false);
    let mut pipeline = Pipeline::open_single_run(options.clone(), render_options)?
        .with_link_cache(LinkCache::read(&cache), None);
    match pipeline.build() {
        Ok(_) => {}
        Err(Error::Content(diagnostics)) => {
            return Ok(CheckReport {
                diagnostics,
                ..CheckReport::default()
            });
        }
        Err(e) => return Err(e),
    }
    let (Some(site), files) = (pipeline.site(), pipeline.files()) else {
        return Ok(CheckReport::default());
    };
    let statics = pipeline.static_paths();
    let links = output_links::check(&files, statics, &site.settings.base);
    let mut diagnostics = pipeline.warnings().to_vec();
    // Name the document a broken link came from, where there is one.
    let source_of: BTreeMap<String, PathBuf> = Page::all(site)
        .into_iter()
        .filter_map(|p| {
            let file = site.content.file(&p.doc()?)?.to_path_buf();
            Some((p.path(), file))
        })
        .collect();
    for b in &links.broken {
        let file = source_of
            .get(&b.page)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("(output) {}", b.page)));
        diagnostics.push(
            Diagnostic::error(
                Code::BrokenOutputLink,
                file,
                format!(
                    "the page {} links to `{}`, but {}",
                    b.page, b.href, b.reason
                ),
            )
            .with_help("fix the link in the document or the template that writes it"),
        );
    }
    diagnostics.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    Ok(CheckReport {
        diagnostics,
        pages: files.len() - statics.len(),
        links_checked: links.checked,
        external: links.external,
        drafts: pipeline.drafts_left_out(),
    })
}
