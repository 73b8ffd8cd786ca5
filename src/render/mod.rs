//! Render: every page of the site, as bytes, from the linked site and the theme.
//!
//! Pages are rendered in parallel; the result is in a fixed order so output is
//! deterministic. Nothing is written to disk here.

pub mod blobs;
pub mod body;
pub mod fingerprint;
pub mod highlight;
pub mod i18n;
pub mod jsonld;
mod page;
mod pages;
pub mod reuse;
pub mod search;
pub mod share_cache;
pub mod share_image;
pub mod text_fragment;
pub mod theme;
pub mod view;

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::link::Site;
use crate::load::{DocId, Kind};
use crate::markdown::Trust;
use theme::Theme;
use view::*;

pub use fingerprint::{Fingerprints, Kept};
pub use page::{collisions, doc_dir, doc_page, List, Page};
pub use search::search_files;
pub use view::KnownCards;

/// A rendered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The file name of a claim's share image, in the claim's folder.
pub const SHARE_IMAGE: &str = "share.png";

thread_local! {
    /// The buffer pages are rendered into on this thread (see [`Renderer::page`]).
    static RENDER_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Options of a render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// HTML to put before `</body>` of every HTML page (the live-reload script
    /// of `serve`), made once per render with the theme's words.
    pub inject: Option<Inject>,
    /// Share images made so far (kept across rebuilds, and on disk for `build`).
    pub images: Arc<blobs::Blobs>,
    /// Shards of the search index made so far (kept as `images` are).
    pub search: Arc<blobs::Blobs>,
}

impl RenderOptions {
    /// Share images and search shards read from their folders under
    /// `cache_dir`, and with `write` those made written there (see [`blobs::Blobs`]).
    pub fn cached_in(cache_dir: &std::path::Path, write: bool) -> RenderOptions {
        let blobs = |folder: &str| {
            let dir = cache_dir.join(folder);
            Arc::new(if write {
                blobs::Blobs::on_disk(dir)
            } else {
                blobs::Blobs::read_only(dir)
            })
        };
        RenderOptions {
            images: blobs(share_cache::FOLDER),
            search: blobs(search::CACHE_FOLDER),
            ..RenderOptions::default()
        }
    }
}

/// Makes the HTML [`RenderOptions::inject`] puts in pages, in the briefing's language.
pub type Inject = fn(&i18n::Translations) -> String;

/// Render `pages` of `site` (the caller adds [`syntax_css`] when some page
/// has code), but for those whose inputs have the fingerprint `kept` has for
/// them: their bytes would be those the caller holds ([`Rendered::unchanged`]).
pub fn render(
    site: &Site,
    theme: &mut Theme,
    pages: &[Page],
    options: &RenderOptions,
    kept: Kept,
) -> Result<Rendered> {
    render_to(site, theme, pages, options, kept, None)
}

/// Where files go as they are made, instead of being kept in memory (from any thread).
pub trait Sink: Sync {
    /// Take the file at output path `path`, with its bytes.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;

    /// Keep the file at output path `path` as the last build wrote it, if it
    /// is still there as written, with content hash `hash`: whether it is.
    fn keep(&self, _path: &str, _hash: u128) -> bool {
        false
    }
}

impl<F: Fn(&str, &[u8]) -> Result<()> + Sync> Sink for F {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self(path, bytes)
    }
}

/// Like [`render`], but with a `sink` each page is handed to it as soon as it
/// is rendered, and its [`Output`] keeps the path alone (no bytes), so that
/// a build need not hold every page in memory. The first failure of the sink
/// fails the rendering.
pub fn render_to(
    site: &Site,
    theme: &mut Theme,
    pages: &[Page],
    options: &RenderOptions,
    kept: Kept,
    sink: Option<&dyn Sink>,
) -> Result<Rendered> {
    let tr = Arc::new(theme.translations(&site.settings.language).0);
    tr.register(&mut theme.tera);
    let cards = Cards::new(site, &tr, kept.cards());
    let inject = options.inject.map(|make| make(&tr));
    // Values every page shows go in the global context once, not into each
    // page's; they are in every page's fingerprint.
    let view = site_view(site, &tr);
    let global = fingerprint::global(
        theme.fingerprint(),
        tr.fingerprint(),
        inject.as_deref(),
        &view,
    );
    theme.tera.global_context().insert("site", &view);
    let theme = &*theme;
    let renderer = Renderer {
        site,
        theme,
        cards: &cards,
        options,
        tr: &tr,
        inject: inject.as_deref(),
        global,
        kept,
    };
    /// Why a page is missing: its own problem, or the sink's.
    enum Failure {
        Page(Diagnostic),
        Sink(Error),
    }
    let results: Vec<std::result::Result<Made, Failure>> = pages
        .par_iter()
        .map(|p| {
            let mut made = renderer.page(p).map_err(Failure::Page)?;
            // A page found unchanged whose file is in the output folder: kept
            // if the sink vouches for the file, else rendered after all.
            if let (Some(put), Made::Unchanged(path)) = (sink, &made) {
                if renderer.kept.file(path).is_some_and(|h| !put.keep(path, h)) {
                    let anew = Renderer {
                        kept: Kept::nothing(),
                        ..renderer
                    };
                    made = anew.page(p).map_err(Failure::Page)?;
                }
            }
            if let (Some(put), Made::Rendered(o, _, _)) = (sink, &mut made) {
                put.put(&o.path, &o.bytes).map_err(Failure::Sink)?;
                o.bytes = Vec::new();
            }
            Ok(made)
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len() + 1);
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut with_code = BTreeSet::new();
    let mut fingerprints = Vec::new();
    let mut unchanged = Vec::new();
    for r in results {
        match r {
            Ok(Made::Unchanged(path)) => unchanged.push(path),
            Ok(Made::Rendered(o, code, print)) => {
                if code {
                    with_code.insert(o.path.clone());
                }
                if let Some(print) = print {
                    fingerprints.push((o.path.clone(), print));
                }
                outputs.push(o);
            }
            // One broken template fails every page using it; say it once.
            Err(Failure::Page(d)) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
            Err(Failure::Sink(e)) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        outputs,
        with_code,
        fingerprints,
        unchanged,
        cards: cards.made_prints(),
    })
}

/// Pages rendered, and which of them have highlighted code.
#[derive(Debug)]
pub struct Rendered {
    /// The pages, by path.
    pub outputs: Vec<Output>,
    /// Paths of the pages that need `syntax.css`.
    pub with_code: BTreeSet<String>,
    /// The fingerprint of each page rendered with a template (and of
    /// `claimreview.json`), by path: to keep with its bytes, for the next
    /// render (see [`Kept`]). Not of the pages known by their inputs in a
    /// build into a folder (documents', the matrix's, the outlets':
    /// [`Kept::needs_print`]).
    pub fingerprints: Vec<(String, u128)>,
    /// The paths of the pages not rendered: their inputs have the
    /// fingerprint kept for them, so their bytes would be those held (and
    /// need no `syntax.css` but if they did).
    pub unchanged: Vec<String>,
    /// The fingerprints of the cards not known before that it wrote into a
    /// page's fingerprint, by kind and id of their documents.
    pub cards: Vec<(Kind, String, u128)>,
}

/// What became of a page.
enum Made {
    /// Rendered: its bytes, whether it has highlighted code, and its
    /// fingerprint if it has one (see [`Rendered::fingerprints`]).
    Rendered(Output, bool, Option<u128>),
    /// Not rendered: its fingerprint is the one kept. Its path.
    Unchanged(String),
}

/// The stylesheet of highlighted code, written when some page has code.
pub fn syntax_css() -> Output {
    Output {
        path: "syntax.css".into(),
        bytes: highlight::stylesheet().into_bytes(),
    }
}

/// Put the theme's words for the default rating scale in `site`'s language
/// (a site's own scale is in its own words), and warn when the language has
/// no table. Called once a site is linked, before it is rendered.
pub fn localize(site: &mut Site, theme: &Theme) -> Option<Diagnostic> {
    let (tr, found) = theme.translations(&site.settings.language);
    let scale = &mut site.settings.scale;
    if scale.verdicts == crate::link::Scale::default_scale().verdicts {
        for v in &mut scale.verdicts {
            if let Some(label) = tr.get(&format!("verdict_{}", v.key)) {
                v.label = label.to_owned();
            }
        }
    }
    if found {
        return None;
    }
    let index = &site.content.index;
    Some(
        i18n::missing_language(
            &site.settings.language,
            &index.file,
            index.spans.key_or_start("language"),
        )
        .with_text(index.text.clone()),
    )
}

/// A hash of the values every page shows (`site` of the templates, in the
/// briefing's language): when it changes (a first correction, a free page's
/// title in the navigation), every page must be rendered again.
/// The theme's templates and words are in it too (see [`fingerprint`]);
/// none when the values cannot be written.
pub fn globals_hash(site: &Site, theme: &Theme) -> Option<u128> {
    let tr = theme.translations(&site.settings.language).0;
    let view = site_view(site, &tr);
    fingerprint::global(theme.fingerprint(), tr.fingerprint(), None, &view)
}

fn site_view<'a>(site: &'a Site, tr: &'a i18n::Translations) -> SiteView<'a> {
    let s = &site.settings;
    let mut nav: Vec<(Option<i64>, &str, &str)> = site
        .content
        .pages
        .values()
        .map(|p| (p.meta.weight, p.meta.title.as_str(), p.id.as_str()))
        .collect();
    nav.sort_by(|a, b| {
        (a.0.unwrap_or(i64::MAX), a.1, a.2).cmp(&(b.0.unwrap_or(i64::MAX), b.1, b.2))
    });
    SiteView {
        title: &s.title,
        description: s.description.as_deref(),
        publisher: &s.publisher,
        language: &s.language,
        dir: tr.direction(),
        base_path: &s.base.path,
        base_url: s.base.absolute.as_deref(),
        nav: nav
            .into_iter()
            .map(|(_, title, id)| NavItem {
                title,
                path: doc_dir(Kind::Page, id),
            })
            .collect(),
        verdicts: s
            .scale
            .verdicts
            .iter()
            .map(|v| VerdictView::of(v, s.scale.best))
            .collect(),
        published: s.published.as_ref().map(|d| DateView::new(d, tr)),
        updated: s.updated.as_ref().map(|d| DateView::new(d, tr)),
        generator: format!("factbrief {}", env!("CARGO_PKG_VERSION")),
        contact: s.contact.as_ref().map(|c| ContactView {
            text: &c.text,
            href: &c.href,
        }),
        has_corrections: site
            .content
            .claims
            .values()
            .any(|c| !c.meta.corrections.is_empty()),
        words: tr.words(),
    }
}

/// What the share image of claim `id` shows.
fn share_card<'a>(site: &'a Site, cards: &'a Cards<'a>, id: &str) -> share_image::ShareCard<'a> {
    let c = cards.claim(id);
    let s = &site.settings;
    share_image::ShareCard {
        verdict_label: c.verdict.label,
        verdict_key: c.verdict.key,
        rating: c.verdict.rating,
        best: c.verdict.best,
        claim: c.claim,
        claimant: c.claimant,
        site_title: &s.title,
        language: &s.language,
    }
}

/// Count the share image of every claim of `site` as wanted in `images`,
/// drawing none: after a build that kept pages (whose images it did not ask
/// for), pruning the images' folder keeps theirs.
pub fn want_share_images(site: &Site, theme: &Theme, images: &blobs::Blobs) {
    let tr = theme.translations(&site.settings.language).0;
    let cards = Cards::new(site, &tr, &no_cards);
    // (Each key needs the claim's card: side by side.)
    let ids: Vec<&String> = site.claims.keys().collect();
    let keys: Vec<u64> = ids
        .par_iter()
        .map(|id| share_cache::key(&share_card(site, &cards, id)))
        .collect();
    for key in keys {
        images.want(key);
    }
}

/// What every page module renders with.
#[derive(Clone, Copy)]
struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    cards: &'a Cards<'a>,
    options: &'a RenderOptions,
    /// The theme's words in the briefing's language.
    tr: &'a i18n::Translations,
    /// What to put before `</body>` (see [`RenderOptions::inject`]).
    inject: Option<&'a str>,
    /// The fingerprint of what every page shares (none if it could not be made).
    global: Option<u128>,
    /// The fingerprints of the pages held.
    kept: Kept<'a>,
}

/// Resolves internal links relative to one page.
struct Links<'a> {
    site: &'a Site,
    root: &'a str,
}

impl body::LinkResolver for Links<'_> {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        let kind = Kind::from_key(kind)?;
        self.site
            .content
            .contains(&DocId::Doc(kind, id.to_owned()))
            .then(|| format!("{}{}", self.root, doc_dir(kind, id)))
    }
}

/// What templates see as `page`.
#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// Path relative to the site root (`claims/x/`).
    path: String,
    /// Canonical URL (absolute when `base_url` is).
    url: String,
    kind: &'static str,
    /// The share image's URL (absolute when `base_url` is), for claims.
    image: Option<String>,
}

/// One page being rendered: its context, where it is, and the Markdown it renders.
struct PageCx<'r, 'a> {
    r: &'r Renderer<'a>,
    /// What goes in the template context (only through [`PageCx::insert`]).
    inputs: fingerprint::Inputs,
    /// The site root relative to this page (`../../`), or the base path for pages served anywhere.
    root: String,
    /// The page's folder relative to the site root.
    dir: String,
    has_code: bool,
    /// Why the page cannot be made (a source's body could not be read again).
    failed: Option<Diagnostic>,
}

impl<'a> PageCx<'_, 'a> {
    fn site(&self) -> &'a Site {
        self.r.site
    }

    fn cards(&self) -> &'a Cards<'a> {
        self.r.cards
    }

    /// The theme's words.
    fn tr(&self) -> &'a i18n::Translations {
        self.r.tr
    }

    /// The theme's text `key`.
    fn t(&self, key: &str) -> String {
        self.r.tr.t(key)
    }

    /// A date as readers of the briefing's language read it.
    fn date(&self, d: &crate::load::Date) -> DateView {
        DateView::new(d, self.r.tr)
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.inputs.insert(key, value);
    }

    /// Set `page`: the page's title, description and kind.
    fn meta(&mut self, title: &str, description: Option<&str>, kind: &'static str) {
        let base = &self.r.site.settings.base;
        let meta = PageMeta {
            title,
            description,
            url: base.url(&self.dir),
            path: self.dir.clone(),
            kind,
            image: (kind == "claim").then(|| base.url(&format!("{}{SHARE_IMAGE}", self.dir))),
        };
        self.insert("page", &meta);
    }

    /// The pager of page `n` of `list` of `items` items, also given to the template as `pager`.
    fn paginate(&mut self, list: &List, n: usize, items: usize) -> Pager {
        let per = self.r.site.settings.paginate_by;
        let pager = Pager::new(n, items, per, |i| list.page_dir(i));
        self.insert("pager", &pager);
        pager
    }

    /// Cards of the claims `ids`.
    fn claim_cards(&self, ids: &[String]) -> Vec<&'a ShownClaim<'a>> {
        let cards = self.r.cards;
        ids.iter().map(|id| cards.claim(id)).collect()
    }

    /// Cards of the sources `ids`.
    fn source_cards(&self, ids: &[String]) -> Vec<&'a ShownSource<'a>> {
        let cards = self.r.cards;
        ids.iter().map(|id| cards.source(id)).collect()
    }

    /// Markdown as HTML, with internal links relative to this page.
    fn md(&mut self, text: &str, trust: Trust, passages: &[crate::link::Passage]) -> String {
        let links = Links {
            site: self.r.site,
            root: &self.root,
        };
        let h = body::render(text, trust, &links, passages);
        self.has_code |= h.has_code;
        h.html
    }

    /// As [`PageCx::md`], with `notes` after the text at their offsets (see [`body::render_with_notes`]).
    fn md_with_notes(
        &mut self,
        text: &str,
        trust: Trust,
        passages: &[crate::link::Passage],
        notes: &[(usize, String)],
    ) -> String {
        let links = Links {
            site: self.r.site,
            root: &self.root,
        };
        let h = body::render_with_notes(text, trust, &links, passages, notes);
        self.has_code |= h.has_code;
        h.html
    }
}

impl<'a> Renderer<'a> {
    fn page(&self, page: &Page) -> std::result::Result<Made, Diagnostic> {
        let site = self.site;
        let path = page.path();
        // The feed of every claim's review, known by the fingerprint of what
        // it is written from (as a page by its template context's).
        if let Page::ClaimReviews = page {
            let feed = jsonld::DataFeed::new(site);
            let mut only = fingerprint::Inputs::fingerprint_only(self.global, &path);
            only.insert("feed", &feed);
            let print = only.fingerprint();
            if print.is_some() && print == self.kept.get(&path) {
                return Ok(Made::Unchanged(path));
            }
            let bytes = feed.to_json().into_bytes();
            return Ok(Made::Rendered(Output { path, bytes }, false, print));
        }
        // Files made without a template.
        let made = match page {
            Page::ShareImage(id) if site.claims.contains_key(id) => Some(share_cache::image(
                &self.options.images,
                &share_card(site, self.cards, id),
            )),
            _ => None,
        };
        if let Some(bytes) = made {
            return Ok(Made::Rendered(Output { path, bytes }, false, None));
        }
        let template = page.template().unwrap_or_default();
        let kept = self.kept.get(&path);
        // A list, most often unchanged by an edit: its values are written
        // out first to tell, before anything is converted for Tera.
        if kept.is_some() && page.is_listing() {
            let only = fingerprint::Inputs::fingerprint_only(self.global, template);
            let mut cx = self.fill(page, &path, only);
            if let Some(d) = cx.failed.take() {
                return Err(d);
            }
            if cx.inputs.fingerprint() == kept {
                return Ok(Made::Unchanged(path));
            }
        }
        let global = self.global.filter(|_| self.kept.needs_print(&path));
        let mut cx = self.fill(page, &path, fingerprint::Inputs::context(global, template));
        if let Some(d) = cx.failed.take() {
            return Err(d);
        }
        let print = cx.inputs.fingerprint();
        if print.is_some() && print == kept {
            return Ok(Made::Unchanged(path));
        }
        let has_code = cx.has_code;
        // Rendered into a buffer this thread reuses, then copied once at its
        // size: a page grown by doubling holds up to twice its size, and every
        // page is held until the site is written (the 10,000-source briefing's
        // 147 MB of pages held 274 MB).
        let mut buf = RENDER_BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
        buf.clear();
        let html = self
            .theme
            .tera
            .render_to(template, cx.inputs.ctx(), &mut buf)
            .and_then(|()| {
                let Ok(text) = std::str::from_utf8(&buf) else {
                    return Err(String::from_utf8(buf.clone()).map_or_else(Into::into, |_| {
                        tera::Error::message("the page is not UTF-8")
                    }));
                };
                let inject = self.inject.filter(|_| path.ends_with(".html"));
                let mut html = String::with_capacity(text.len() + inject.map_or(0, str::len));
                match inject {
                    None => html.push_str(text),
                    Some(inject) => {
                        let at = text.rfind("</body>").unwrap_or(text.len());
                        html.push_str(&text[..at]);
                        html.push_str(inject);
                        html.push_str(&text[at..]);
                    }
                }
                Ok(html)
            })
            .map_err(|e| self.theme.diagnose(&e));
        RENDER_BUFFER.with(|b| *b.borrow_mut() = buf);
        let html = html?;
        // Front-matter escapes (`\u000b`) can put control characters in values: drop them.
        let html = crate::load::front_matter::strip_controls(html);
        let bytes = html.into_bytes();
        Ok(Made::Rendered(Output { path, bytes }, has_code, print))
    }

    /// The context of `page`, at output path `path`, filled into `inputs`.
    fn fill<'r>(&'r self, page: &Page, path: &str, inputs: fingerprint::Inputs) -> PageCx<'r, 'a> {
        let site = self.site;
        let depth = path.matches('/').count();
        let root = match page {
            Page::NotFound | Page::Feed | Page::TagFeed(_) | Page::Sitemap | Page::ClaimReviews => {
                site.settings.base.path.clone()
            }
            _ if depth == 0 => "./".to_owned(),
            _ => "../".repeat(depth),
        };
        let mut cx = PageCx {
            r: self,
            inputs,
            dir: path.trim_end_matches("index.html").to_owned(),
            root,
            has_code: false,
            failed: None,
        };
        let root = cx.root.clone();
        cx.insert("root", &root);
        match page {
            Page::Index => pages::index::fill(&mut cx),
            Page::Claim(id) => pages::claim::fill(&mut cx, id),
            Page::Source(id) => pages::source::fill(&mut cx, id),
            Page::Free(id) => pages::free::fill(&mut cx, id),
            Page::List(list, n) => {
                let n = *n;
                match list {
                    List::Claims => pages::claim_list::fill(&mut cx, n),
                    List::Sources => pages::source_list::fill(&mut cx, n),
                    List::Matrix => pages::matrix::fill(&mut cx, n),
                    List::Timeline => pages::timeline::fill(&mut cx, n),
                    List::Tags | List::Verdicts | List::Outlets => {
                        pages::terms::fill(&mut cx, list, n)
                    }
                    List::Tag(slug) => pages::tag::fill(&mut cx, slug, n),
                    List::Verdict(key) => pages::verdict::fill(&mut cx, key, n),
                    List::Outlet(slug) => pages::outlet::fill(&mut cx, slug, n),
                }
            }
            Page::TagFeed(slug) => pages::feed::fill(&mut cx, Some(slug)),
            Page::Search => pages::search::fill(&mut cx),
            Page::NotFound => {
                let title = cx.t("not_found_title");
                cx.meta(&title, None, "404")
            }
            Page::Corrections => pages::corrections::fill(&mut cx),
            Page::ShareImage(_) | Page::ClaimReviews => {}
            Page::Feed => pages::feed::fill(&mut cx, None),
            Page::Sitemap => pages::sitemap::fill(&mut cx),
        }
        let has_code = cx.has_code;
        cx.insert("has_code", &has_code);
        cx
    }
}
