//! Incremental rebuilds, for `serve`: apply the files an editor changed to
//! the loaded content, link again with the cached quote results, and render
//! only the pages the link graph says the change touches. The site is kept in
//! memory; the result equals a full build of the same content, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::{check_collisions, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Error, Result};
use crate::link::{self, DocRef, LinkCache, Site};
use crate::load::{Changed, LoadOptions, Store};
use crate::render::theme::{StaticSource, Theme};
use crate::render::{self, Output, Page, RenderOptions};

/// The files of a built site, by output path.
pub type Files = BTreeMap<Arc<str>, Arc<[u8]>>;

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    /// The input files that changed (relative to the root).
    pub changed: Vec<PathBuf>,
    /// Pages rendered.
    pub rendered: usize,
    /// Output files that went away.
    pub removed: usize,
    /// Only stylesheets changed: a page can swap them without reloading.
    pub css_only: bool,
    /// Every page was rendered.
    pub full: bool,
    /// The output paths rendered or removed (every path when `full`).
    pub paths: Vec<String>,
    /// Time taken.
    pub elapsed: Duration,
}

/// A site kept in memory between edits.
pub struct Workspace {
    options: BuildOptions,
    render_options: RenderOptions,
    store: Store,
    cache: LinkCache,
    theme: Theme,
    /// The site of the last good build; none before the first, or after a failure.
    site: Option<Site>,
    with_code: BTreeSet<String>,
    static_paths: BTreeSet<String>,
    files: Arc<Files>,
    /// Warnings of the last good build.
    pub warnings: Vec<Diagnostic>,
    /// Pages listing the whole site, left for [`Workspace::finish`] by [`Workspace::apply_fast`].
    pending: Vec<Page>,
}

/// What changed, as far as pages are concerned.
#[derive(Default)]
struct Scope {
    docs: Vec<Changed>,
    templates: Vec<String>,
    statics: bool,
    /// Everything must be rendered (a folder changed, the first build, after a failure).
    all: bool,
}

impl Workspace {
    /// Load and build everything. The workspace is returned even when that
    /// build fails, so that the next edit can fix it.
    pub fn open(
        options: BuildOptions,
        render_options: RenderOptions,
    ) -> Result<(Workspace, Result<Rebuild>)> {
        let store = Store::scan(&options.root)?;
        let theme = Theme::load(&options.root)?;
        let mut ws = Workspace {
            options,
            render_options,
            store,
            cache: LinkCache::default(),
            theme,
            site: None,
            with_code: BTreeSet::new(),
            static_paths: BTreeSet::new(),
            files: Arc::new(Files::new()),
            warnings: Vec::new(),
            pending: Vec::new(),
        };
        let scope = Scope {
            all: true,
            statics: true,
            ..Scope::default()
        };
        let first = ws.rebuild(Vec::new(), scope, false);
        Ok((ws, first))
    }

    /// The files of the last good build.
    pub fn files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// Apply changed input files (relative to the root, or absolute under it).
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Rebuild> {
        let mut r = self.apply_fast(changed)?;
        if let Some(rest) = self.finish()? {
            r.rendered += rest.rendered;
            r.elapsed += rest.elapsed;
        }
        Ok(r)
    }

    /// Like [`Workspace::apply`], but the pages that list the whole site (index,
    /// lists, matrix, timeline, feed, sitemap) are left for [`Workspace::finish`],
    /// so the pages an editor is looking at are served first.
    pub fn apply_fast(&mut self, changed: &[PathBuf]) -> Result<Rebuild> {
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
                    Some(c) => scope.docs.push(c),
                    None => scope.all = true,
                },
                Some("templates") => scope
                    .templates
                    .push(slash(p.strip_prefix("templates").unwrap_or(p))),
                Some("static") => scope.statics = true,
                _ => {}
            }
        }
        if scope.all {
            self.store = Store::scan(&root)?;
        }
        if !scope.templates.is_empty() || scope.statics {
            self.theme = Theme::load(&root)?;
        }
        self.rebuild(rel, scope, true)
    }

    /// Render the pages [`Workspace::apply_fast`] left; `None` when there are none.
    pub fn finish(&mut self) -> Result<Option<Rebuild>> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let start = Instant::now();
        let pages = std::mem::take(&mut self.pending);
        let Some(site) = self.site.as_ref() else {
            return Ok(None);
        };
        let rendered = match render::render(site, &mut self.theme, &pages, &self.render_options) {
            Ok(r) => r,
            Err(e) => {
                self.site = None;
                return Err(e);
            }
        };
        let mut files: Files = (*self.files).clone();
        self.store_rendered(&mut files, rendered);
        self.files = Arc::new(files);
        let paths = pages
            .iter()
            .filter_map(|p| self.site.as_ref().map(|s| p.path(s)))
            .collect();
        Ok(Some(Rebuild {
            changed: Vec::new(),
            rendered: pages.len(),
            removed: 0,
            css_only: false,
            full: false,
            paths,
            elapsed: start.elapsed(),
        }))
    }

    /// Put rendered pages in `files`, keeping `syntax.css` in step with the pages that need it.
    fn store_rendered(&mut self, files: &mut Files, rendered: render::Rendered) {
        for o in rendered.outputs {
            self.with_code.remove(&o.path);
            files.insert(o.path.into(), o.bytes.into());
        }
        self.with_code.extend(rendered.with_code);
        if self.with_code.is_empty() {
            files.remove("syntax.css");
        } else if !files.contains_key("syntax.css") {
            let css = render::syntax_css();
            files.insert(css.path.into(), css.bytes.into());
        }
    }

    fn rebuild(&mut self, changed: Vec<PathBuf>, mut scope: Scope, defer: bool) -> Result<Rebuild> {
        let start = Instant::now();
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.starts_with("static") && p.extension().is_some_and(|e| e == "css"));
        if self.site.is_none() {
            scope.all = true;
        }
        let content_changed = scope.all || !scope.docs.is_empty();
        // The content is read once; a relink of edited claims or a full relink uses it.
        let load_options = LoadOptions {
            drafts: self.options.drafts,
        };
        let mut loaded = None;
        if content_changed {
            match self.store.content(&load_options) {
                Ok(c) => loaded = Some(c),
                Err(e) => {
                    self.site = None;
                    return Err(e);
                }
            }
        }
        // Only claims edited: patch the linked site in place (see link::delta).
        let mut patched: Option<BTreeSet<Page>> = None;
        let claims_only = !scope.all
            && !scope.docs.is_empty()
            && scope
                .docs
                .iter()
                .all(|d| matches!(d, Changed::Document("claim", _)));
        let eligible = claims_only
            && loaded.as_ref().is_some_and(|(content, diags)| {
                !diags.has_errors()
                    && self
                        .site
                        .as_ref()
                        .is_some_and(|s| link::delta::only_claims_changed(s, content))
            });
        let delta = if eligible {
            loaded.take().zip(self.site.as_mut())
        } else {
            None
        };
        if let Some(((content, _), site)) = delta {
            let ids: Vec<String> = scope
                .docs
                .iter()
                .filter_map(|d| match d {
                    Changed::Document(_, id) => Some(id.clone()),
                    _ => None,
                })
                .collect();
            let touched_by = |site: &Site, touched: &mut BTreeSet<Page>| {
                for id in &ids {
                    if let Some(r) = doc_ref(site, "claim", id) {
                        touched.extend(Page::affected_by(site, r));
                    }
                }
            };
            let mut touched = BTreeSet::new();
            touched_by(site, &mut touched);
            match link::delta::relink_claims(site, content, &ids, &mut self.cache, &self.warnings) {
                Ok(warnings) => self.warnings = warnings,
                Err(e) => {
                    self.site = None;
                    return Err(e);
                }
            }
            touched_by(site, &mut touched);
            patched = Some(touched);
        }
        let new_site = if let Some((content, diags)) = loaded {
            let base = self.options.base_url.as_deref();
            let linked = link::link_cached(content, base, diags, &mut self.cache);
            match linked {
                Ok((site, warnings)) => {
                    self.warnings = warnings;
                    Some(site)
                }
                // The served files stay as they were; the next rebuild renders every page.
                Err(e) => {
                    self.site = None;
                    return Err(e);
                }
            }
        } else {
            None
        };
        let Some(site) = new_site.as_ref().or(self.site.as_ref()) else {
            return Err(Error::usage("", "nothing to rebuild"));
        };

        let all = Page::all(site);
        let page_templates: BTreeSet<&str> = all.iter().map(|p| p.template()).collect();
        let render_all = scope.all
            || scope
                .docs
                .iter()
                .any(|d| matches!(d, Changed::Index | Changed::Document("page", _)))
            || scope
                .templates
                .iter()
                .any(|t| !page_templates.contains(t.as_str()));
        let pages: Vec<Page> = if render_all {
            all.clone()
        } else {
            // Pages touched in the old site (a citation removed) and in the new one
            // (added), as pages of the new site; a page of the old site is found
            // in the new one by its document's id.
            let mut touched: BTreeSet<Page> = patched.clone().unwrap_or_default();
            for d in scope.docs.iter().filter(|_| patched.is_none()) {
                if let Changed::Document(kind, id) = d {
                    if let Some(old) = self.site.as_ref() {
                        if let Some(r) = doc_ref(old, kind, id) {
                            touched.extend(
                                Page::affected_by(old, r)
                                    .into_iter()
                                    .filter_map(|p| same_page(old, site, p)),
                            );
                        }
                    }
                    if let Some(r) = doc_ref(site, kind, id) {
                        touched.extend(Page::affected_by(site, r));
                    }
                }
            }
            for t in &scope.templates {
                touched.extend(all.iter().copied().filter(|p| p.template() == t));
            }
            touched.into_iter().collect()
        };
        // Pages left from a deferred rebuild are part of this one.
        let mut pages = pages;
        if !render_all {
            let earlier = std::mem::take(&mut self.pending);
            pages.extend(earlier.into_iter().filter(|p| all.contains(p)));
            pages.sort();
            pages.dedup();
        }
        self.pending.clear();
        if defer && !render_all {
            let (now, later): (Vec<Page>, Vec<Page>) = pages
                .into_iter()
                .partition(|p| matches!(p, Page::Claim(_) | Page::Source(_) | Page::Free(_)));
            pages = now;
            self.pending = later;
        }
        let rendered = match render::render(site, &mut self.theme, &pages, &self.render_options) {
            Ok(r) => r,
            Err(e) => {
                self.site = None;
                self.pending.clear();
                return Err(e);
            }
        };
        let mut paths: Vec<String> = rendered.outputs.iter().map(|o| o.path.clone()).collect();

        let mut files: Files = if render_all {
            Files::new()
        } else {
            (*self.files).clone()
        };
        let mut removed = 0;
        if render_all {
            self.with_code.clear();
        } else if content_changed {
            // Pages of documents that are gone (only a removed document can leave pages behind).
            let gone: Vec<Page> = match self.site.as_ref() {
                Some(old) => scope
                    .docs
                    .iter()
                    .filter_map(|d| match d {
                        Changed::Document(kind, id) if doc_ref(site, kind, id).is_none() => {
                            doc_ref(old, kind, id)
                        }
                        _ => None,
                    })
                    .map(|r| match r {
                        DocRef::Claim(i) => Page::Claim(i),
                        DocRef::Source(i) => Page::Source(i),
                        DocRef::Page(i) => Page::Free(i),
                        DocRef::Index => Page::Index,
                    })
                    .collect(),
                None => Vec::new(),
            };
            if let Some(old) = self.site.as_ref() {
                for p in gone.into_iter().map(|p| p.path(old)) {
                    if files.remove(p.as_str()).is_some() {
                        self.with_code.remove(&p);
                        removed += 1;
                        paths.push(p);
                    }
                }
            }
        }
        self.store_rendered(&mut files, rendered);
        if scope.statics || render_all {
            for p in std::mem::take(&mut self.static_paths) {
                files.remove(p.as_str());
            }
            let statics: Vec<(String, StaticSource)> = self
                .theme
                .statics
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let pages_only: Vec<Output> = files
                .keys()
                .map(|k| Output {
                    path: k.to_string(),
                    bytes: Vec::new(),
                })
                .collect();
            if let Err(e) = check_collisions(&self.options.root, &pages_only, &statics) {
                self.site = None;
                return Err(e);
            }
            for (path, src) in statics {
                let bytes: Arc<[u8]> = match src {
                    StaticSource::Embedded(b) => Arc::from(b),
                    StaticSource::File(f) => {
                        Arc::from(std::fs::read(&f).map_err(|e| Error::io(&f, e))?)
                    }
                };
                self.static_paths.insert(path.clone());
                files.insert(path.into(), bytes);
            }
        }
        let count = pages.len();
        if let Some(s) = new_site {
            self.site = Some(s);
        }
        self.files = Arc::new(files);
        Ok(Rebuild {
            changed,
            rendered: count,
            removed,
            css_only,
            full: render_all,
            paths,
            elapsed: start.elapsed(),
        })
    }
}

/// Page `p` of site `old` as a page of site `new` (the same document, or the same list).
fn same_page(old: &Site, new: &Site, p: Page) -> Option<Page> {
    let (o, n) = (&old.content, &new.content);
    match p {
        Page::Claim(i) => n
            .claims
            .binary_search_by(|d| d.id.cmp(&o.claims[i].id))
            .ok()
            .map(Page::Claim),
        Page::Source(i) => n
            .sources
            .binary_search_by(|d| d.id.cmp(&o.sources[i].id))
            .ok()
            .map(Page::Source),
        Page::Free(i) => n
            .pages
            .binary_search_by(|d| d.id.cmp(&o.pages[i].id))
            .ok()
            .map(Page::Free),
        other => Some(other),
    }
}

/// The document `id` of `kind` in `site`.
fn doc_ref(site: &Site, kind: &str, id: &str) -> Option<DocRef> {
    let c = &site.content;
    match kind {
        "source" => c
            .sources
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(DocRef::Source),
        "claim" => c
            .claims
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(DocRef::Claim),
        _ => c
            .pages
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(DocRef::Page),
    }
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
