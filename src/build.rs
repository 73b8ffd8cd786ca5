//! `factbrief build`: the pipeline (load → link → render) in memory, then
//! write, with a summary of what was done.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic, Result};
use crate::link::cache::LinkCache;
use crate::load::LoadCache;
use crate::pipeline::Pipeline;
use crate::render::reuse::Reuse;
use crate::render::RenderOptions;
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
    /// Rewrite every file of the output folder (a whole new folder swapped
    /// in), instead of only the files that changed.
    pub clean: bool,
}

impl BuildOptions {
    /// Build the site under `root` into `root/public`, with its own base URL, drafts left out.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            clean: false,
        }
    }

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
    /// Pages of the site (HTML, feed, sitemap, generated CSS).
    pub pages: usize,
    /// Of those, the pages rendered.
    pub rendered: usize,
    /// Of those, the pages not rendered: their files were kept from the last
    /// build, their inputs being the same.
    pub reused: usize,
    /// Static files copied.
    pub statics: usize,
    /// Files written into the output folder (new or changed; all with `clean`
    /// or into a new folder).
    pub written: usize,
    /// Files of the output folder left as they were (same bytes, inode and mtime).
    pub unchanged: usize,
    /// Files of the previous site removed, the new one not having them.
    pub removed: usize,
    /// Warnings found on the way: the briefing's, then what could not be
    /// cleared beside the output folder (code `cleanup`).
    pub warnings: Vec<Diagnostic>,
    /// Time taken.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output: PathBuf,
    /// Time taken by each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
    /// The drafts left out, each with the fields it still marks `FILL IN`.
    pub drafts: Vec<(PathBuf, Vec<String>)>,
}

/// The cache folder of a build into `output`: `.<name>.factbrief-cache` beside it.
/// Safe to delete; what is missing is made again.
pub fn cache_dir(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(format!(".{name}.factbrief-cache"))
}

/// What to tell an editor of the drafts left out, if any (for `build` and `check`).
pub fn drafts_note(drafts: &[(PathBuf, Vec<String>)]) -> Option<String> {
    if drafts.is_empty() {
        return None;
    }
    let n = drafts.len();
    let mut s = format!(
        "Left out {n} {} (draft = true; build with --drafts to see {}):\n",
        if n == 1 { "draft" } else { "drafts" },
        if n == 1 { "it" } else { "them" }
    );
    for (file, unfilled) in drafts {
        s.push_str(&format!("  {}", display_path(file)));
        if !unfilled.is_empty() {
            s.push_str(&format!(" (still FILL IN: {})", unfilled.join(", ")));
        }
        s.push('\n');
    }
    Some(s)
}

/// Build the site: run the pipeline in memory and write the result into the
/// output folder, only the files that changed (see `BuildOptions::clean`).
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_then(options, drop)
}

/// [`build`], for a process that ends soon after: the built site is not let
/// go at all, its memory is left to the system (letting go of the whole
/// site, allocation by allocation, takes a tenth of a rebuild's time at
/// 10,000 sources, and on a thread of its own it would take a core from
/// what the process still does, such as printing its warnings). Everything
/// the build writes is written when this returns. A program that builds
/// again should call [`build`].
pub fn build_and_leave(options: &BuildOptions) -> Result<BuildReport> {
    build_then(options, std::mem::forget)
}

/// [`build`], handing the pipeline to `done` at the end.
fn build_then(options: &BuildOptions, done: impl FnOnce(Pipeline)) -> Result<BuildReport> {
    let start = Instant::now();
    let output = options.output_dir();
    // Refuse an unsafe output folder before doing any work.
    write::check_output_location(&options.root, &output)?;
    let clock = Instant::now();
    // Share images drawn and search shards indexed before are read from the
    // cache folder beside the output.
    let cache = cache_dir(&output);
    let render_options = RenderOptions::cached_in(&cache, true);
    // And the pages of documents whose inputs are the same as then are not
    // rendered again, where the output folder still holds their files; nor
    // are the sources whose text is the same as then read and scanned again
    // (those two read while the site's files are), nor the files that stand
    // as they did then read and parsed again (read first).
    let load_cache = match options.clean {
        true => LoadCache::default(),
        false => LoadCache::read(&cache),
    };
    let (kept, pipeline) = std::thread::scope(|s| {
        let kept = s.spawn(|| match options.clean {
            true => (None, None),
            false => (Reuse::read(&cache), LinkCache::read(&cache)),
        });
        let pipeline =
            Pipeline::open_single_run_cached(options.clone(), render_options, &load_cache);
        // (A panic reading them is one of factbrief's bugs: they are not used.)
        (kept.join().unwrap_or_default(), pipeline)
    });
    let (prior, link_cache) = kept;
    // What loading read is kept while the site is built (whether or not it
    // then builds: it depends on the files alone), and waited for before
    // this returns, so that a build never exits halfway through writing it.
    let mut keeping = {
        let dir = cache.clone();
        crate::background::Writing::start(move || load_cache.write(&dir))
    };
    // (Returning early, `keeping` is waited for as it is let go.)
    let mut pipeline = pipeline?
        .reusing(prior)
        .with_link_cache(link_cache, Some(cache.clone()));
    let opened = clock.elapsed();
    // Each file is written (staged) as soon as it is rendered, not held until
    // all are: what is left to write once the pipeline is done is putting
    // the staged files in place.
    let streamed = write::stream_site(&options.root, &output, options.clean, |writer| {
        let run = pipeline.build_into(writer)?;
        Ok((run, Instant::now()))
    });
    let ((mut run, rendered), mut report) = streamed?;
    // Reading the files counts as loading.
    if let Some((_, load)) = run.stages.iter_mut().find(|(name, _)| *name == "load") {
        *load += opened;
    }
    run.stages.push(("write", rendered.elapsed()));
    // What the next build may reuse: each page with the hash of its file as
    // written (kept beside the rest of what is left to do, started first).
    let mut reusing = crate::background::Writing::default();
    if let Some(mut next) = pipeline.take_reuse() {
        let hashes = std::mem::take(&mut report.hashes);
        let dir = cache.clone();
        reusing = crate::background::Writing::start(move || {
            next.pages.retain(|path, e| {
                match hashes.binary_search_by(|(p, _)| p.as_str().cmp(path)) {
                    Ok(at) => {
                        e.output = hashes[at].1;
                        true
                    }
                    Err(_) => false,
                }
            });
            next.write(&dir)
        });
    }
    let mut warnings = pipeline.take_warnings();
    // What could not be cleared beside the output: the site is in place all the same.
    warnings.extend(std::mem::take(&mut report.warnings));
    if let Err(e) = keeping.wait() {
        warnings.push(not_kept(
            cache.join(crate::load::cache::FILE),
            "what this build read of each file",
            e,
            "reads every file again",
        ));
    }
    if let Some(e) = pipeline.link_cache_failed() {
        warnings.push(not_kept(
            cache.join(crate::link::cache::FILE),
            "what this build found in each source",
            e,
            "reads every source again",
        ));
    }
    // What no page asked for is pruned. A page kept from the last build
    // asked for no share image, but its image is still wanted (should the
    // output folder be deleted): every claim's counts. (The search index is
    // made whole every time.)
    pipeline.want_share_images();
    let kept = [
        (&pipeline.render_options().images, "share images", "draws"),
        (&pipeline.render_options().search, "search index", "makes"),
    ];
    for (blobs, what, again) in kept {
        if let Err(e) = blobs.persist(true) {
            warnings.push(not_kept(
                cache_dir(&output),
                &format!("the {what}"),
                e,
                &format!("{again} it again"),
            ));
        }
    }
    if let Err(e) = reusing.wait() {
        warnings.push(not_kept(
            cache.join(crate::render::reuse::FILE),
            "what this build made of each page",
            e,
            "renders every page again",
        ));
    }
    let report = BuildReport {
        pages: report.files - pipeline.statics(),
        rendered: run.rendered,
        reused: run.reused,
        statics: pipeline.statics(),
        written: report.written,
        unchanged: report.unchanged,
        removed: report.removed,
        warnings,
        elapsed: start.elapsed(),
        output,
        stages: run.stages,
        drafts: pipeline.drafts_left_out(),
    };
    done(pipeline);
    Ok(report)
}

/// The warning that `what` could not be kept in the cache folder, at `file`,
/// for the reason `e`, so that the next build `again` (the site is built all
/// the same).
fn not_kept(file: PathBuf, what: &str, e: impl std::fmt::Display, again: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::Cleanup,
        file,
        format!("could not keep {what} for the next build: {e}"),
    )
    .with_help(format!(
        "the next build {again}; check that the folder beside the output is writable"
    ))
}

/// Show `path` relative to the current folder when it is inside it, with any
/// control character in it made visible (a file name may hold an ESC).
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            path.strip_prefix(&cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.display().to_string());
    crate::diagnostic::terminal_safe(&shown).into_owned()
}
