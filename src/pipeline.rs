//! The one pipeline `build`, `check` and `serve` run: load → link → render,
//! into a site held in memory (pages and static files, as bytes).
//!
//! A [`Pipeline`] keeps what it loaded, linked and rendered. Given what changed
//! (or everything), it re-reads the changed files, relinks with what linking
//! remembered ([`link::Memo`]), and renders exactly the pages whose
//! dependencies meet the changed documents. A full build is the same path with
//! everything changed; an incremental rebuild equals a full one, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::BuildOptions;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Error, Findings, Result};
use crate::link::{self, Site};
use crate::load::{Changed, DocId, LoadCache, LoadOptions, Store};
use crate::render::reuse::{self, Reuse};
use crate::render::theme::{StaticSource, Theme};
use crate::render::{self, Fingerprints, Kept, Page, RenderOptions};
use crate::write;

/// A file's bytes, shared between the pipeline and its readers.
pub type Bytes = Arc<Vec<u8>>;

/// The files of a built site, by output path (`/`-separated, relative to the output root).
pub type Files = BTreeMap<Arc<str>, Bytes>;

/// What one run of the pipeline did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    /// The input files that changed (relative to the root); empty for a full build.
    pub changed: Vec<PathBuf>,
    /// Pages rendered.
    pub rendered: usize,
    /// Pages whose files were kept from the last build, not rendered
    /// ([`Pipeline::reusing`]).
    pub reused: usize,
    /// Pages the change might have touched but not rendered again: their
    /// inputs were those of the bytes held, so the bytes are kept (see
    /// [`Pipeline::fingerprints`]).
    pub unchanged: usize,
    /// Output files that went away.
    pub removed: usize,
    /// Only stylesheets changed: a page can swap them without reloading.
    pub css_only: bool,
    /// Every page was rendered.
    pub full: bool,
    /// The output paths rendered or removed (every path when `full`, but for
    /// [`Pipeline::apply_first`], which renders only some of them first).
    pub paths: Vec<String>,
    /// Time taken.
    pub elapsed: Duration,
    /// Time taken by each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// A site kept in memory, between edits or for one build.
pub struct Pipeline {
    options: BuildOptions,
    render_options: RenderOptions,
    store: Store,
    memo: link::Memo,
    /// Keep the memo between runs (for `serve`); a single build lets it go after linking.
    memoize: bool,
    theme: Theme,
    /// The site of the last good run; none before the first, or after a failure.
    site: Option<Site>,
    /// Pages that have highlighted code (and so need `syntax.css`).
    with_code: BTreeSet<String>,
    /// The rendered pages (and `syntax.css`), by output path.
    pages: Files,
    /// The static files, by output path.
    statics: Files,
    /// Their paths, and those of the search index.
    static_paths: BTreeSet<String>,
    files: Arc<Files>,
    warnings: Findings,
    /// Pages listing the whole site, left for [`Pipeline::finish`] by [`Pipeline::apply_fast`]
    /// (or every page not rendered first, by [`Pipeline::apply_first`]).
    pending: Vec<Page>,
    /// Set when every page is pending but those at these output paths (rendered
    /// first): the files of pages that went away are removed by [`Pipeline::finish`].
    fresh: Option<BTreeSet<String>>,
    /// The theme could not be loaded last time: load it again at the next run.
    theme_stale: bool,
    /// What the last build made of each document's page, for a streamed
    /// build to reuse the files of pages whose inputs are the same.
    prior: Option<Reuse>,
    /// What this streamed build made of them (the files' hashes to be filled in).
    reuse_next: Option<Reuse>,
    /// The cache folder to keep what linking finds in each source in
    /// ([`Pipeline::with_link_cache`]).
    link_cache_in: Option<PathBuf>,
    /// Keeping it there, on a thread of its own (waited for when the
    /// pipeline is let go, if no one asked how it went).
    link_cache_kept: crate::background::Writing,
    /// [`render::globals_hash`] of the site of the last good run.
    globals: Option<u128>,
    /// The fingerprint of the inputs of each page in `pages` rendered with a
    /// template: a page to render again whose inputs have the same is not.
    /// Kept in step with `pages`; cleared when the theme is loaded again or
    /// every page is rendered.
    fingerprints: Fingerprints,
}

/// What changed, as far as pages are concerned.
#[derive(Default)]
struct Scope {
    docs: Vec<DocId>,
    templates: Vec<String>,
    statics: bool,
    /// Files of `content/` that are no document changed (their problems did).
    problems: bool,
    /// Everything must be rendered (a folder changed, the first run, after a failure).
    all: bool,
    /// Every page must be rendered, with the content loaded as it is (translations changed).
    every_page: bool,
}

/// Which of the pages to render [`Pipeline::run`] leaves for [`Pipeline::finish`].
enum Defer<'a> {
    /// None.
    Nothing,
    /// The pages listing the whole site, unless every page is rendered.
    Listings,
    /// All but the pages at these output paths and the changed documents' own pages.
    AllBut(&'a BTreeSet<String>),
}

/// The output files a run left out of date until [`Pipeline::finish`] renders
/// the rest ([`Pipeline::unfinished`]): their served bytes (or their absence)
/// may be those of before the change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Unfinished {
    /// Every file is up to date.
    #[default]
    Nothing,
    /// The files at these output paths are not (nor the search index, when the
    /// search page is among them); every other file is.
    Only(BTreeSet<String>),
    /// Only the files at these output paths are up to date (the change touched
    /// every page); any other path may hold a file, or none, out of date.
    AllBut(BTreeSet<String>),
}

impl Unfinished {
    /// Whether the file at output path `path` (or its absence) may be out of date.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Unfinished::Nothing => false,
            Unfinished::Only(paths) => {
                paths.contains(path)
                    || (path.starts_with(SEARCH) && paths.contains(&Page::Search.path()))
            }
            Unfinished::AllBut(fresh) => !fresh.contains(path),
        }
    }
}

impl Pipeline {
    /// Read the site under `options.root` (its content and theme); nothing is
    /// linked or rendered until [`Pipeline::build`].
    pub fn open(options: BuildOptions, render_options: RenderOptions) -> Result<Pipeline> {
        Pipeline::open_with(options, render_options, false, None)
    }

    /// [`Pipeline::open`] for a single run (`build`, `check`): peak memory
    /// is lowered by leaving the sources' bodies on disk until linking and
    /// rendering read them ([`Store::scan_single_run`]), and by letting go
    /// what linking remembers for the next run once linking is done (on a
    /// thread that gives way to the build).
    pub fn open_single_run(
        options: BuildOptions,
        render_options: RenderOptions,
    ) -> Result<Pipeline> {
        Pipeline::open_with(options, render_options, true, None)
    }

    /// [`Pipeline::open_single_run`], taking from `cache` each document
    /// whose file stands as it did when a build read it, and keeping there
    /// what the next build may take ([`crate::load::cache`]).
    pub fn open_single_run_cached(
        options: BuildOptions,
        render_options: RenderOptions,
        cache: &LoadCache,
    ) -> Result<Pipeline> {
        Pipeline::open_with(options, render_options, true, Some(cache))
    }

    fn open_with(
        options: BuildOptions,
        render_options: RenderOptions,
        single_run: bool,
        cache: Option<&LoadCache>,
    ) -> Result<Pipeline> {
        let store = match (single_run, cache) {
            (true, Some(cache)) => Store::scan_single_run_cached(&options.root, cache)?,
            (true, None) => Store::scan_single_run(&options.root)?,
            (false, _) => Store::scan(&options.root)?,
        };
        let theme = Theme::load(&options.root)?;
        Ok(Pipeline {
            options,
            render_options,
            store,
            memo: match single_run {
                true => link::Memo::single_run(),
                false => link::Memo::default(),
            },
            memoize: !single_run,
            theme,
            site: None,
            with_code: BTreeSet::new(),
            pages: Files::new(),
            statics: Files::new(),
            static_paths: BTreeSet::new(),
            files: Arc::new(Files::new()),
            warnings: Findings::default(),
            pending: Vec::new(),
            fresh: None,
            theme_stale: false,
            prior: None,
            reuse_next: None,
            link_cache_in: None,
            link_cache_kept: Default::default(),
            globals: None,
            fingerprints: Fingerprints::default(),
        })
    }

    /// For [`Pipeline::build_into`]: the fingerprints the last build kept
    /// (see [`render::reuse`]). The file of a document's page whose
    /// inputs are the same is kept as it is if the sink can vouch for it
    /// ([`render::Sink::keep`]), and not rendered.
    pub fn reusing(mut self, prior: Option<Reuse>) -> Pipeline {
        self.prior = prior;
        self
    }

    /// For a single run: take from `cache` what an earlier build found in
    /// each source whose text is the same (see [`link::cache`]), and keep
    /// what this one finds in the cache folder `keep_in` (if given) as soon
    /// as linking is done: it depends on the sources' texts alone, so it
    /// holds whether or not the build then succeeds.
    pub fn with_link_cache(
        mut self,
        cache: Option<link::cache::LinkCache>,
        keep_in: Option<PathBuf>,
    ) -> Pipeline {
        if self.memo.is_lean() {
            self.memo
                .use_cache(cache.unwrap_or_default(), keep_in.is_some());
            self.link_cache_in = keep_in;
        }
        self
    }

    /// Why what the last link found could not be kept in the cache folder,
    /// if it could not (see [`Pipeline::with_link_cache`]).
    pub fn link_cache_failed(&mut self) -> Option<std::io::Error> {
        self.link_cache_kept.wait().err()
    }

    /// The fingerprints of the pages of the last [`Pipeline::build_into`]
    /// (see [`reuse`]), with the hash of the file of each page left
    /// as it was (those rendered have 0: the sink knows them).
    pub fn take_reuse(&mut self) -> Option<Reuse> {
        self.reuse_next.take()
    }

    /// Link and render everything.
    pub fn build(&mut self) -> Result<Rebuild> {
        let scope = Scope {
            all: true,
            statics: true,
            ..Scope::default()
        };
        self.run(Vec::new(), scope, Defer::Nothing, None)
    }

    /// Link and render everything, handing each file (page, static file, file
    /// of the search index) to `sink` as soon as it is made instead of keeping
    /// it: memory then grows with the content, not with the output. After it,
    /// [`Pipeline::files`] lists the paths of the files without their bytes.
    /// Before failing, the sink may have been given some of the files.
    pub fn build_into(&mut self, sink: &dyn render::Sink) -> Result<Rebuild> {
        let scope = Scope {
            all: true,
            statics: true,
            ..Scope::default()
        };
        self.run(Vec::new(), scope, Defer::Nothing, Some(sink))
    }

    /// Count the share image of every claim of the site as wanted by this
    /// run (see [`render::want_share_images`]), for when its images are pruned.
    pub fn want_share_images(&self) {
        if let Some(site) = &self.site {
            render::want_share_images(site, &self.theme, &self.render_options.images);
        }
    }

    /// The options it renders with (and the blobs they keep).
    pub fn render_options(&self) -> &RenderOptions {
        &self.render_options
    }

    /// The fingerprints of the inputs of the pages held (see [`Fingerprints`]).
    pub fn fingerprints(&self) -> &Fingerprints {
        &self.fingerprints
    }

    /// The files of the last good run (after [`Pipeline::build_into`], their
    /// paths with no bytes).
    pub fn files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// The linked site of the last good run.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The theme's words in the briefing's language: that of the last good
    /// run, else the `language` of `content/_index.md` as far as it can be read
    /// (for the pages `serve` shows before any build succeeded), else English.
    pub fn translations(&self) -> crate::render::i18n::Translations {
        let language = match &self.site {
            Some(site) => site.settings.language.clone(),
            None => index_language(&self.options.root).unwrap_or_else(|| "en".to_owned()),
        };
        self.theme.translations(&language).0
    }

    /// How many of the files are static files (or files of the search index).
    pub fn statics(&self) -> usize {
        self.static_paths.len()
    }

    /// The output paths of the static files, and of the search index (`pagefind/`):
    /// the files that are no rendered page.
    pub fn static_paths(&self) -> &BTreeSet<String> {
        &self.static_paths
    }

    /// The drafts this build leaves out (none with `--drafts`), each with the
    /// fields it still marks `FILL IN`.
    pub fn drafts_left_out(&self) -> Vec<(PathBuf, Vec<String>)> {
        if self.options.drafts {
            Vec::new()
        } else {
            self.store.drafts()
        }
    }

    /// The warnings of the last good run, sorted by file and line.
    pub fn warnings(&self) -> &[Diagnostic] {
        self.warnings.sorted()
    }

    /// The warnings of the last good run, sorted as [`Pipeline::warnings`],
    /// taken (the pipeline has none after).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings).into_sorted()
    }

    /// The warnings of the last good run, as found (cheap to compare with [`Findings::same_as`]).
    pub fn findings(&self) -> &Findings {
        &self.warnings
    }

    /// Apply changed input files (relative to the root, or absolute under it).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Rebuild> {
        let mut r = self.apply_fast(changed)?;
        if let Some(rest) = self.finish()? {
            r.rendered += rest.rendered;
            r.unchanged += rest.unchanged;
            r.elapsed += rest.elapsed;
        }
        Ok(r)
    }

    /// Like [`Pipeline::apply`], but the pages that list the whole site (index,
    /// lists, matrix, timeline, feed, sitemap) are left for [`Pipeline::finish`],
    /// so the pages an editor is looking at are served first.
    pub fn apply_fast(&mut self, changed: &[PathBuf]) -> Result<Rebuild> {
        self.apply_deferring(changed, Defer::Listings)
    }

    /// Like [`Pipeline::apply_fast`], but only the pages at the output paths
    /// `first` (the pages open in a browser) and the changed documents' own
    /// pages are rendered now, whatever changed: every other page the change
    /// touches (every page, after an edit of a template, `_index.md`, a free
    /// page or a translation) is left for [`Pipeline::finish`]. Until it has
    /// run, [`Pipeline::unfinished`] names the files that are out of date.
    pub fn apply_first(
        &mut self,
        changed: &[PathBuf],
        first: &BTreeSet<String>,
    ) -> Result<Rebuild> {
        self.apply_deferring(changed, Defer::AllBut(first))
    }

    /// The output files out of date until [`Pipeline::finish`] has run.
    pub fn unfinished(&self) -> Unfinished {
        // `syntax.css` is there in the end if a page rendered already needs it.
        if let Some(first) = &self.fresh {
            let mut fresh = first.clone();
            fresh.extend(self.statics.keys().map(|k| k.to_string()));
            if self.with_code.iter().any(|p| first.contains(p)) {
                fresh.insert("syntax.css".to_owned());
            }
            return Unfinished::AllBut(fresh);
        }
        if self.pending.is_empty() {
            return Unfinished::Nothing;
        }
        let mut paths: BTreeSet<String> = self.pending.iter().map(Page::path).collect();
        if !self.with_code.iter().any(|p| !paths.contains(p)) {
            paths.insert("syntax.css".to_owned());
        }
        Unfinished::Only(paths)
    }

    fn apply_deferring(&mut self, changed: &[PathBuf], defer: Defer) -> Result<Rebuild> {
        let root = self.options.root.clone();
        let abs_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let rel: Vec<PathBuf> = changed
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .or_else(|_| p.strip_prefix(&abs_root))
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| p.clone())
            })
            .collect();
        let mut scope = Scope::default();
        for p in &rel {
            let first = p
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match first.as_deref() {
                Some("content") => match self.store.update(p) {
                    Some(Changed::Doc(d)) => scope.docs.push(d),
                    // A stray file or a bad id: no page shows it, but the
                    // problems of the content changed.
                    Some(Changed::Other) => scope.problems = true,
                    None => scope.all = true,
                },
                Some("templates") => scope
                    .templates
                    .push(slash(p.strip_prefix("templates").unwrap_or(p))),
                Some("static") => scope.statics = true,
                // Translations change every page and the words linking puts in
                // the site (the default verdicts' labels): linked again from the
                // documents as loaded (nothing to read again), every page rendered.
                Some("i18n") => {
                    scope.problems = true;
                    scope.every_page = true;
                    self.theme_stale = true;
                }
                _ => {}
            }
        }
        if scope.all {
            match Store::scan(&root) {
                Ok(store) => self.store = store,
                Err(e) => return Err(self.failed(e)),
            }
        }
        if !scope.templates.is_empty() || scope.statics || self.theme_stale {
            match Theme::load(&root) {
                Ok(theme) => {
                    self.theme = theme;
                    self.theme_stale = false;
                    self.fingerprints.clear();
                }
                // Loaded again at the next run, whatever it changes.
                Err(e) => {
                    self.theme_stale = true;
                    return Err(self.failed(e));
                }
            }
        }
        self.run(rel, scope, defer, None)
    }

    /// Render the pages [`Pipeline::apply_fast`] or [`Pipeline::apply_first`]
    /// left (and after the latter, remove the files of the pages that went
    /// away); `None` when there are none. Its [`Rebuild::full`] says every page
    /// was rendered by the two runs.
    pub fn finish(&mut self) -> Result<Option<Rebuild>> {
        if self.pending.is_empty() && self.fresh.is_none() {
            return Ok(None);
        }
        let start = Instant::now();
        let pages = std::mem::take(&mut self.pending);
        let full = self.fresh.take().is_some();
        let Some(site) = self.site.as_ref() else {
            return Ok(None);
        };
        let held = |p: &str| self.pages.contains_key(p);
        let kept = Kept::new(&self.fingerprints, &held);
        let (rendered, indexed) = match render_pages(
            site,
            &mut self.theme,
            &pages,
            &self.render_options,
            kept,
            None,
            None,
        ) {
            Ok(r) => r,
            Err(e) => return Err(self.failed(e)),
        };
        let paths = rendered.outputs.iter().map(|o| o.path.clone()).collect();
        let unchanged = rendered.unchanged.len();
        let mut files = std::mem::take(&mut self.pages);
        let mut removed = 0;
        if full {
            // The files of pages that went away (every page is rendered by now).
            let keep: std::collections::HashSet<String> =
                Page::all(site).iter().map(Page::path).collect();
            let before = files.len();
            files.retain(|p, _| {
                keep.contains(&**p) || p.starts_with(SEARCH) || &**p == "syntax.css"
            });
            removed = before - files.len();
            self.with_code.retain(|p| keep.contains(p));
            self.fingerprints.retain(|p| keep.contains(p));
        }
        if let Err(e) = self.store_rendered(&mut files, rendered, None) {
            return Err(self.failed(e));
        }
        self.pages = files;
        if let Err(e) = check_collisions(&self.pages, &self.theme) {
            return Err(self.failed(e));
        }
        self.publish();
        let elapsed = start.elapsed();
        Ok(Some(Rebuild {
            changed: Vec::new(),
            rendered: pages.len() - unchanged,
            reused: 0,
            unchanged,
            removed,
            css_only: false,
            full,
            paths,
            elapsed,
            stages: std::iter::once(("render", elapsed))
                .chain(indexed.map(|d| ("search index (beside render)", d)))
                .collect(),
        }))
    }

    /// The files to serve or write: the pages and the static files.
    fn publish(&mut self) {
        let mut files = self.pages.clone();
        files.extend(self.statics.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.files = Arc::new(files);
        // The search index is no page: it is counted and checked with the static files.
        let index = (self.pages)
            .range::<str, _>((Bound::Included(SEARCH), Bound::Unbounded))
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(SEARCH));
        self.static_paths = self
            .statics
            .keys()
            .chain(index)
            .map(|p| p.to_string())
            .collect();
    }

    /// Put rendered pages in `files`, keeping `syntax.css` in step with the
    /// pages that need it (handed to `sink`, if any, and kept without its bytes).
    fn store_rendered(
        &mut self,
        files: &mut Files,
        rendered: render::Rendered,
        sink: Option<&dyn render::Sink>,
    ) -> Result<()> {
        // A new search index replaces the old one whole (its files are named by their hashes).
        if rendered.outputs.iter().any(|o| o.path.starts_with(SEARCH)) {
            files.retain(|path, _| !path.starts_with(SEARCH));
        }
        for o in rendered.outputs {
            self.with_code.remove(&o.path);
            self.fingerprints.forget(&o.path);
            files.insert(o.path.into(), Arc::new(o.bytes));
        }
        self.fingerprints.extend(rendered.fingerprints);
        self.with_code.extend(rendered.with_code);
        if self.with_code.is_empty() {
            files.remove("syntax.css");
        } else if !files.contains_key("syntax.css") {
            let mut css = render::syntax_css();
            if let Some(put) = sink {
                put.put(&css.path, &css.bytes)?;
                css.bytes = Vec::new();
            }
            files.insert(css.path.into(), Arc::new(css.bytes));
        }
        Ok(())
    }

    /// The pipeline itself: load what `scope` says changed, link, render what it touches.
    /// With a `sink`, every file made is handed to it and kept without its bytes.
    fn run(
        &mut self,
        changed: Vec<PathBuf>,
        mut scope: Scope,
        defer: Defer,
        sink: Option<&dyn render::Sink>,
    ) -> Result<Rebuild> {
        let start = Instant::now();
        let mut stages = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str| {
            stages.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.starts_with("static") && p.extension().is_some_and(|e| e == "css"));
        if self.site.is_none() {
            scope.all = true;
        }
        let content_changed = scope.all || scope.problems || !scope.docs.is_empty();

        // Pages that showed the changed documents (a citation removed), found
        // before the old site is let go: linking then updates its graph in place.
        let mut touched: BTreeSet<Page> = BTreeSet::new();
        if let (false, Some(old)) = (scope.all, self.site.as_ref()) {
            for d in &scope.docs {
                touched.extend(Page::affected_by(old, d));
            }
        }

        // Load and link, when the content changed.
        let mut new_site = None;
        let mut new_warnings = None;
        if content_changed {
            self.site = None;
            let load_options = LoadOptions {
                drafts: self.options.drafts,
            };
            let linked = self
                .store
                .content(&load_options)
                .and_then(|(content, diags)| {
                    lap("load");
                    let base = self.options.base_url.as_deref();
                    link::link_with(content, base, diags, &mut self.memo)
                });
            if !self.memoize {
                // (Written on a thread that gives way, and let go once
                // written; what linking remembers for a next run, let go
                // likewise: off the build's way, though held meanwhile.)
                if let (Some(found), Some(dir)) = (self.memo.take_cache(), &self.link_cache_in) {
                    // (After the last write of the same file, if any.)
                    let _ = self.link_cache_kept.wait();
                    let dir = dir.clone();
                    self.link_cache_kept =
                        crate::background::Writing::start(move || found.write(&dir));
                }
                crate::background::drop_later(std::mem::replace(
                    &mut self.memo,
                    link::Memo::single_run(),
                ));
            }
            // A document's page may not take the place of a list's page.
            let linked = linked.and_then(|(site, warnings)| {
                let clash = render::collisions(&site);
                if clash.is_empty() {
                    Ok((site, warnings))
                } else {
                    Err(Error::Content(clash))
                }
            });
            match linked {
                Ok((mut site, mut warnings)) => {
                    if let Some(w) = render::localize(&mut site, &self.theme) {
                        warnings.extend(vec![w]);
                    }
                    new_warnings = Some(warnings);
                    new_site = Some(site);
                }
                // The last good files stay as they were; the next run renders every page.
                Err(e) => return Err(self.failed(e)),
            }
            lap("link");
        }
        let Some(site) = new_site.as_ref().or(self.site.as_ref()) else {
            return Err(Error::usage("", "nothing to build"));
        };
        // What every page shows changed (a first correction): every page.
        let globals = render::globals_hash(site, &self.theme);
        let globals_changed = globals.is_none() || self.globals != globals;

        // The pages to render: all, or those whose dependencies meet what changed.
        // A template no page kind renders with (`base.html`, a partial) may be in any page.
        let render_all = scope.all
            || globals_changed
            || scope.every_page
            || self.fresh.is_some()
            || scope
                .docs
                .iter()
                .any(|d| matches!(d, DocId::Index | DocId::Doc(crate::load::Kind::Page, _)))
            || scope
                .templates
                .iter()
                .any(|t| !Page::TEMPLATES.contains(&t.as_str()));
        let mut gone: Vec<Page> = Vec::new();
        let mut pages: Vec<Page> = if render_all {
            Page::all(site)
        } else {
            // Pages that show the changed documents now.
            for d in &scope.docs {
                touched.extend(Page::affected_by(site, d));
            }
            for t in &scope.templates {
                touched.extend(
                    Page::all(site)
                        .into_iter()
                        .filter(|p| p.template() == Some(t.as_str())),
                );
            }
            touched.extend(std::mem::take(&mut self.pending));
            // Pages that went away with what changed (a tag no claim has now, the last page of a shorter list).
            gone = touched
                .iter()
                .filter(|p| !p.exists_in(site))
                .cloned()
                .collect();
            touched.retain(|p| p.exists_in(site));
            touched.into_iter().collect()
        };
        self.pending.clear();
        // A streamed build keeps the files of pages whose inputs did not change.
        let mut reused_pages: Vec<(String, bool)> = Vec::new();
        // The search index takes longest, on a core of its own: it starts
        // now, beside deciding which pages to keep (which only reads), when
        // every page to render is rendered now.
        let index_now = matches!(defer, Defer::Nothing) && pages.contains(&Page::Search);
        let search_cache = &self.render_options.search;
        let made = std::thread::scope(|s| -> Result<_> {
            let index = index_now.then(|| start_index(s, site, search_cache));
            let global = (sink.is_some() && render_all)
                .then(|| {
                    let options = format!(
                        "{:?} {} {}",
                        self.options.base_url,
                        self.options.drafts,
                        self.render_options.inject.is_some()
                    );
                    reuse::global(site, &self.theme, &options)
                })
                .flatten();
            // The last build's pages made with the same global fingerprint.
            let prior = (self.prior.take())
                .filter(|p| sink.is_some() && Some(p.global) == global)
                .unwrap_or_default();
            if let (Some(put), Some(global)) = (sink, global) {
                let inputs = reuse::inputs(site, global);
                let mut next = Reuse {
                    global,
                    pages: Default::default(),
                };
                // (Each keep looks at a file of the output folder: in parallel.)
                let decided: Vec<Option<(String, reuse::Entry, bool)>> = pages
                    .par_iter()
                    .map(|p| {
                        let &input = inputs.get(p)?;
                        let path = p.path();
                        let same = (prior.pages.get(&path)).filter(|e| e.input == input);
                        let reused = same.filter(|e| put.keep(&path, e.output)).copied();
                        let entry = reused.unwrap_or(reuse::Entry {
                            input,
                            output: 0,
                            code: false,
                            // (Made of the same inputs, whether or not the page is kept.)
                            card: same.and_then(|e| e.card),
                        });
                        Some((path, entry, reused.is_some()))
                    })
                    .collect();
                let mut decided = decided.into_iter();
                pages.retain(|_| {
                    let Some((path, entry, reused)) = decided.next().flatten() else {
                        return true;
                    };
                    if reused {
                        reused_pages.push((path.clone(), entry.code));
                    }
                    next.pages.insert(path, entry);
                    !reused
                });
                self.reuse_next = Some(next);
            }
            if render_all {
                self.fingerprints.clear();
            }
            // Every page rendered, but most of them left for `finish`.
            let mut deferred_all = false;
            match defer {
                Defer::Nothing => {}
                Defer::Listings => {
                    if !render_all {
                        let (now, later): (Vec<Page>, Vec<Page>) =
                            pages.into_iter().partition(|p| !p.is_listing());
                        pages = now;
                        self.pending = later;
                    }
                }
                Defer::AllBut(first) => {
                    let own: BTreeSet<Page> = scope.docs.iter().filter_map(Page::of).collect();
                    let (now, later): (Vec<Page>, Vec<Page>) = pages
                        .into_iter()
                        .partition(|p| own.contains(p) || first.contains(&p.path()));
                    pages = now;
                    self.pending = later;
                    deferred_all = render_all;
                }
            }
            // The other pages a build into the folder may keep: those whose
            // template context has the fingerprint it had (see [`reuse`]).
            let prior_files = prior.listings(self.reuse_next.as_ref());
            let held = |p: &str| self.pages.contains_key(p);
            // The pages of documents are kept by their inputs' fingerprint.
            let next = self.reuse_next.as_ref();
            let by_inputs = |p: &str| next.is_some_and(|n| n.pages.contains_key(p));
            // The cards of documents whose inputs are those they were made of.
            let known_cards = |kind: crate::load::Kind, id: &str| {
                next.and_then(|n| n.pages.get(&render::doc_page(kind, id))?.card)
            };
            let kept = match sink {
                Some(_) => Kept::in_folder(&prior_files, &by_inputs, &known_cards),
                None => Kept::new(&self.fingerprints, &held),
            };
            let (rendered, indexed) = render_pages(
                site,
                &mut self.theme,
                &pages,
                &self.render_options,
                kept,
                sink,
                index,
            )?;
            // The cards made now, for the next build.
            if let Some(next) = self.reuse_next.as_mut() {
                for (kind, id, print) in &rendered.cards {
                    if let Some(e) = next.pages.get_mut(&render::doc_page(*kind, id)) {
                        e.card = Some(*print);
                    }
                }
            }
            Ok((rendered, indexed, deferred_all, prior, pages))
        });
        let (rendered, indexed, deferred_all, prior, pages) = match made {
            Ok(r) => r,
            Err(e) => return Err(self.failed(e)),
        };
        lap("render");
        let unchanged = rendered.unchanged.len();
        if let Some(d) = indexed {
            stages.push(("search index (beside render)", d));
        }
        if let Some(next) = self.reuse_next.as_mut().filter(|_| sink.is_some()) {
            for path in &rendered.with_code {
                if let Some(e) = next.pages.get_mut(path) {
                    e.code = true;
                }
            }
            // The other pages by their template context's fingerprint: those
            // rendered, with the fingerprint they were rendered with, and
            // those kept, as the last build left them.
            for (path, print) in &rendered.fingerprints {
                next.pages.entry(path.clone()).or_insert(reuse::Entry {
                    input: *print,
                    output: 0,
                    code: rendered.with_code.contains(path),
                    card: None,
                });
            }
            for path in &rendered.unchanged {
                if let Some(&e) = prior.pages.get(path) {
                    next.pages.insert(path.clone(), e);
                    reused_pages.push((path.clone(), e.code));
                }
            }
        }
        let mut paths: Vec<String> = rendered.outputs.iter().map(|o| o.path.clone()).collect();

        // Rendering every page, but most of them later: the others stay until then.
        self.fresh = deferred_all.then(|| paths.iter().cloned().collect());
        let mut files: Files = if render_all && !deferred_all {
            Files::new()
        } else {
            std::mem::take(&mut self.pages)
        };
        let mut removed = 0;
        let reused = reused_pages.len();
        if render_all && !deferred_all {
            self.with_code.clear();
            for (path, code) in reused_pages {
                if code {
                    self.with_code.insert(path.clone());
                }
                files.insert(path.into(), Arc::new(Vec::new()));
            }
        } else if !render_all {
            // Pages of documents that went away, and listings that did.
            let went: Vec<Page> = scope
                .docs
                .iter()
                .filter(|d| !site.content.contains(d))
                .flat_map(Page::of_doc)
                .chain(gone)
                .collect();
            for p in went {
                let path = p.path();
                self.fingerprints.forget(&path);
                if files.remove(path.as_str()).is_some() {
                    self.with_code.remove(&path);
                    removed += 1;
                    paths.push(path);
                }
            }
        }
        if let Err(e) = self.store_rendered(&mut files, rendered, sink) {
            return Err(self.failed(e));
        }
        self.pages = files;
        if scope.statics || render_all {
            let mut statics = Files::new();
            for (path, src) in &self.theme.statics {
                // Handed to the sink once they are known not to clash with a page.
                let bytes = match sink {
                    Some(_) => Vec::new(),
                    None => match static_bytes(src) {
                        Ok(b) => b,
                        Err(e) => return Err(self.failed(e)),
                    },
                };
                statics.insert(path.as_str().into(), Arc::new(bytes));
            }
            self.static_paths = statics.keys().map(|k| k.to_string()).collect();
            self.statics = statics;
        }
        // A static file may not take the place of a page, old or new (checked
        // by `finish` when the old pages are still there).
        let clash = if deferred_all {
            Ok(())
        } else {
            check_collisions(&self.pages, &self.theme)
        };
        if let Err(e) = clash {
            return Err(self.failed(e));
        }
        if let Some(put) = sink {
            let streamed = self
                .theme
                .statics
                .iter()
                .try_for_each(|(path, src)| put.put(path, &static_bytes(src)?));
            if let Err(e) = streamed {
                return Err(self.failed(e));
            }
        }
        let rendered = pages.len() - unchanged;
        if let Some(s) = new_site {
            self.site = Some(s);
        }
        self.globals = globals;
        if let Some(w) = new_warnings {
            self.warnings = w;
        }
        self.publish();
        Ok(Rebuild {
            changed,
            rendered,
            reused,
            unchanged,
            removed,
            css_only,
            full: render_all,
            paths,
            elapsed: start.elapsed(),
            stages,
        })
    }

    /// Forget the site after a failure, so the next run renders everything.
    fn failed(&mut self, e: Error) -> Error {
        self.site = None;
        self.pending.clear();
        self.fresh = None;
        e
    }
}

/// The folder of the search index in the output.
const SEARCH: &str = render::search::FOLDER;

/// [`render::render`] (but for the pages whose inputs have the fingerprint
/// `kept` has for them), and with the search page the search index (`pagefind/`).
/// The search page is a listing, so the index is made again after any content
/// change (in `serve`, with the listings, after the edited pages are served).
/// Much of indexing runs on one core, so it runs beside the rendering, which
/// gives way to it ([`crate::background::giving_way`]). Shards of the index
/// kept in `options.search` are not made again. `started`: the index, when
/// the caller started it already ([`start_index`]; `pages` then holds the
/// search page). Also the time the index took, when it was made.
fn render_pages<'scope>(
    site: &'scope Site,
    theme: &mut Theme,
    pages: &[Page],
    options: &'scope RenderOptions,
    kept: Kept,
    sink: Option<&dyn render::Sink>,
    started: Option<Indexing<'scope>>,
) -> Result<(render::Rendered, Option<Duration>)> {
    debug_assert!(started.is_none() || pages.contains(&Page::Search));
    let (rendered, index) = std::thread::scope(|s| {
        let index = started.or_else(|| {
            pages
                .contains(&Page::Search)
                .then(|| start_index(s, site, &options.search))
        });
        // While the index is made, the pages give way to it (the index
        // takes longer, mostly on one core; the pages use what it leaves).
        let mut draw = move || render::render_to(site, theme, pages, options, kept, sink);
        let rendered = match index.is_some() {
            true => crate::background::giving_way("factbrief-pages", draw),
            false => draw(),
        };
        (rendered, index.map(|h| h.join()))
    });
    let mut rendered = rendered?;
    match index {
        None => Ok((rendered, None)),
        Some(Ok((files, took))) => {
            let mut files = files?;
            if let Some(put) = sink {
                // (Hundreds of files, each hashed and looked at: side by side.)
                files.par_iter_mut().try_for_each(|f| {
                    put.put(&f.path, &f.bytes)?;
                    f.bytes = Vec::new();
                    Ok::<(), Error>(())
                })?;
            }
            rendered.outputs.extend(files);
            Ok((rendered, Some(took)))
        }
        Some(Err(panic)) => std::panic::resume_unwind(panic),
    }
}

/// The search index being made on a thread of its own, and the time it took.
type Indexing<'scope> =
    std::thread::ScopedJoinHandle<'scope, (Result<Vec<render::Output>>, Duration)>;

/// Start making the search index of `site` (shards kept in `cache` are not
/// made again) on a thread of `scope`.
fn start_index<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    site: &'scope Site,
    cache: &'scope crate::render::blobs::Blobs,
) -> Indexing<'scope> {
    scope.spawn(move || {
        let clock = Instant::now();
        let files = render::search_files(site, cache);
        (files, clock.elapsed())
    })
}

/// The bytes of a static file.
fn static_bytes(src: &StaticSource) -> Result<Vec<u8>> {
    match src {
        StaticSource::Embedded(b) => Ok(b.to_vec()),
        StaticSource::File(f) => std::fs::read(f).map_err(|e| Error::io(f, e)),
    }
}

/// A static file may not take the place of a generated page, nor of factbrief's manifest.
fn check_collisions(pages: &Files, theme: &Theme) -> Result<()> {
    let mut diags = Vec::new();
    for (path, src) in &theme.statics {
        // The same path, or a static file where a generated page needs a folder.
        let folder = format!("{path}/");
        let clash = pages.contains_key(path.as_str())
            || pages
                .range::<str, _>((Bound::Included(folder.as_str()), Bound::Unbounded))
                .next()
                .is_some_and(|(p, _)| p.starts_with(&folder));
        if clash {
            let file = match src {
                StaticSource::File(_) => PathBuf::from(format!("static/{path}")),
                StaticSource::Embedded(_) => {
                    PathBuf::from(format!("static/{path} (built-in theme)"))
                }
            };
            diags.push(
                Diagnostic::error(Code::OutputCollision, file, format!("two files would be written to {path}: this static file and a generated page (or the folder of one)"))
                    .with_help("rename or remove the static file; generated pages take these paths"),
            );
        }
        if path == write::MANIFEST || path == write::MANIFEST_NEXT {
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

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The `language` field of the site's `content/_index.md`, if the file and that
/// field can be read (whatever else is wrong with it).
fn index_language(root: &std::path::Path) -> Option<String> {
    use crate::load::front_matter::{split, Format};
    let file = root.join("content").join("_index.md");
    let text = std::fs::read_to_string(&file).ok()?;
    let split = split(&text, &file).ok()?;
    let language = match split.format {
        Format::Toml => toml::from_str::<toml::Table>(split.front_matter)
            .ok()?
            .get("language")?
            .as_str()?
            .to_owned(),
        Format::Yaml => serde_yaml_ng::from_str::<serde_yaml_ng::Value>(split.front_matter)
            .ok()?
            .get("language")?
            .as_str()?
            .to_owned(),
    };
    Some(language)
}
