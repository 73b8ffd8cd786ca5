//! Render: every page of the site, as bytes, from the linked site and the theme.
//!
//! Pages are rendered in parallel; the result is in a fixed order so output is
//! deterministic. Nothing is written to disk here.

pub mod body;
pub mod highlight;
pub mod jsonld;
pub mod theme;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::link::{DocRef, Site};
use crate::load::Stance;
use crate::markdown::Trust;
use theme::Theme;
use view::*;

/// Above this many cited sources the matrix is a list per claim rather than a grid.
const MATRIX_GRID_MAX_COLUMNS: usize = 20;

/// A page of the site and what it is rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// `index.html`.
    Index,
    /// `claims/<id>/index.html`.
    Claim(usize),
    /// `sources/<id>/index.html`.
    Source(usize),
    /// `pages/<id>/index.html`.
    Free(usize),
    /// `claims/index.html`.
    ClaimList,
    /// `sources/index.html`.
    SourceList,
    /// `matrix/index.html`.
    Matrix,
    /// `timeline/index.html`.
    Timeline,
    /// `404.html`.
    NotFound,
    /// `feed.xml`.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
}

impl Page {
    /// Every page of `site`.
    pub fn all(site: &Site) -> Vec<Page> {
        let mut pages = vec![
            Page::Index,
            Page::ClaimList,
            Page::SourceList,
            Page::Matrix,
            Page::Timeline,
            Page::NotFound,
            Page::Feed,
            Page::Sitemap,
        ];
        pages.extend((0..site.claims.len()).map(Page::Claim));
        pages.extend((0..site.sources.len()).map(Page::Source));
        pages.extend((0..site.content.pages.len()).map(Page::Free));
        pages
    }

    /// Pages to render again when document `doc` changes (see [`Site::dependents`]).
    /// Index, lists, matrix, timeline, feed and sitemap show every document.
    pub fn affected_by(site: &Site, doc: DocRef) -> Vec<Page> {
        let mut pages = vec![
            Page::Index,
            Page::ClaimList,
            Page::SourceList,
            Page::Matrix,
            Page::Timeline,
            Page::NotFound,
            Page::Feed,
            Page::Sitemap,
        ];
        for d in site.dependents(doc) {
            match d {
                DocRef::Claim(c) => pages.push(Page::Claim(c)),
                DocRef::Source(s) => pages.push(Page::Source(s)),
                DocRef::Page(p) => pages.push(Page::Free(p)),
                DocRef::Index => {}
            }
        }
        pages.sort();
        pages.dedup();
        pages
    }

    /// The output path, relative to the output root.
    pub fn path(self, site: &Site) -> String {
        let c = &site.content;
        match self {
            Page::Index => "index.html".into(),
            Page::Claim(i) => format!("claims/{}/index.html", c.claims[i].id),
            Page::Source(i) => format!("sources/{}/index.html", c.sources[i].id),
            Page::Free(i) => format!("pages/{}/index.html", c.pages[i].id),
            Page::ClaimList => "claims/index.html".into(),
            Page::SourceList => "sources/index.html".into(),
            Page::Matrix => "matrix/index.html".into(),
            Page::Timeline => "timeline/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
        }
    }

    /// The template this page is rendered with.
    pub fn template(self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Claim(_) => "claim.html",
            Page::Source(_) => "source.html",
            Page::Free(_) => "page.html",
            Page::ClaimList => "claims.html",
            Page::SourceList => "sources.html",
            Page::Matrix => "matrix.html",
            Page::Timeline => "timeline.html",
            Page::NotFound => "404.html",
            Page::Feed => "feed.xml",
            Page::Sitemap => "sitemap.xml",
        }
    }
}

/// A rendered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Options of a render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// HTML to put before `</body>` of every HTML page (the live-reload script of `serve`).
    pub inject: Option<String>,
}

/// Render `pages` of `site` (the caller adds [`syntax_css`] when some page has code).
pub fn render(
    site: &Site,
    theme: &mut Theme,
    pages: &[Page],
    options: &RenderOptions,
) -> Result<Rendered> {
    let cards = Cards::new(site);
    // Values every page shows go in the global context once, not into each page's.
    theme.tera.global_context().insert("site", &site_view(site));
    let theme = &*theme;
    let renderer = Renderer {
        site,
        theme,
        cards: &cards,
        options,
    };
    let results: Vec<std::result::Result<(Output, bool), Diagnostic>> =
        pages.par_iter().map(|&p| renderer.page(p)).collect();
    let mut outputs = Vec::with_capacity(results.len() + 1);
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut with_code = BTreeSet::new();
    for r in results {
        match r {
            Ok((o, code)) => {
                if code {
                    with_code.insert(o.path.clone());
                }
                outputs.push(o);
            }
            // One broken template fails every page using it; say it once.
            Err(d) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { outputs, with_code })
}

/// Pages rendered, and which of them have highlighted code.
#[derive(Debug)]
pub struct Rendered {
    /// The pages, by path.
    pub outputs: Vec<Output>,
    /// Paths of the pages that need `syntax.css`.
    pub with_code: BTreeSet<String>,
}

/// The stylesheet of highlighted code, written when some page has code.
pub fn syntax_css() -> Output {
    Output {
        path: "syntax.css".into(),
        bytes: highlight::stylesheet().into_bytes(),
    }
}

fn site_view(site: &Site) -> SiteView<'_> {
    let s = &site.settings;
    let mut nav: Vec<(Option<i64>, &str, &str)> = site
        .content
        .pages
        .iter()
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
        base_path: &s.base.path,
        base_url: s.base.absolute.as_deref(),
        nav: nav
            .into_iter()
            .map(|(_, title, id)| NavItem {
                title,
                path: format!("pages/{id}/"),
            })
            .collect(),
        verdicts: s
            .scale
            .verdicts
            .iter()
            .map(|v| VerdictView {
                key: &v.key,
                label: &v.label,
                rating: v.rating,
                best: s.scale.best,
            })
            .collect(),
        published: s.published.as_ref().map(DateView::from),
        updated: s.updated.as_ref().map(DateView::from),
        generator: format!("factbrief {}", env!("CARGO_PKG_VERSION")),
    }
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    cards: &'a Cards<'a>,
    options: &'a RenderOptions,
}

/// Above this many passages a source page highlights only the first piece of a linked passage.
const PASSAGE_CSS_MAX: usize = 2000;

/// CSS that highlights every piece of the passage a link points to (`#q-...`),
/// not only the first: one `:has()` rule per passage, no script.
fn passage_css(passages: &[crate::link::Passage]) -> String {
    if passages.is_empty() || passages.len() > PASSAGE_CSS_MAX {
        return String::new();
    }
    let mut names: Vec<&str> = passages.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let selectors: Vec<String> = names
        .iter()
        .map(|n| format!("body:has(#{n}:target) mark[data-q~=\"{n}\"]"))
        .collect();
    format!(
        "{} {{ background: var(--mark-target); }}",
        selectors.join(",\n")
    )
}

/// Resolves internal links relative to one page.
struct Links<'a> {
    site: &'a Site,
    root: &'a str,
}

impl body::LinkResolver for Links<'_> {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        let c = &self.site.content;
        let exists = match kind {
            "source" => c
                .sources
                .binary_search_by(|d| d.id.as_str().cmp(id))
                .is_ok(),
            "claim" => c.claims.binary_search_by(|d| d.id.as_str().cmp(id)).is_ok(),
            _ => c.pages.binary_search_by(|d| d.id.as_str().cmp(id)).is_ok(),
        };
        exists.then(|| format!("{}{kind}s/{id}/", self.root))
    }
}

#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// Path relative to the site root (`claims/x/`).
    path: String,
    /// Canonical URL (absolute when `base_url` is).
    url: String,
    kind: &'static str,
}

impl<'a> Renderer<'a> {
    fn page(&self, page: Page) -> std::result::Result<(Output, bool), Diagnostic> {
        let site = self.site;
        let path = page.path(site);
        let depth = path.matches('/').count();
        let root = match page {
            Page::NotFound | Page::Feed | Page::Sitemap => site.settings.base.path.clone(),
            _ if depth == 0 => "./".to_owned(),
            _ => "../".repeat(depth),
        };
        let links = Links { site, root: &root };
        let dir = path.trim_end_matches("index.html").to_owned();
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        let mut has_code = false;
        let mut md = |text: &str, trust: Trust, passages: &[crate::link::Passage]| {
            let h = body::render(text, trust, &links, passages);
            has_code |= h.has_code;
            h.html
        };
        let c = &site.content;
        let meta = |title: &'a str, description: Option<&'a str>, kind: &'static str| PageMeta {
            title,
            description,
            url: site.settings.base.url(&dir),
            path: dir.clone(),
            kind,
        };
        match page {
            Page::Index => {
                ctx.insert(
                    "page",
                    &meta(
                        &site.settings.title,
                        site.settings.description.as_deref(),
                        "index",
                    ),
                );
                ctx.insert("overview", &md(&c.index.body, Trust::Editor, &[]));
                ctx.insert("claims", &self.cards.all_claims());
                ctx.insert("sources", &self.sources_by_date());
            }
            Page::Claim(i) => {
                let doc = &c.claims[i];
                let linked = &site.claims[i];
                let card = self.cards.claim(i);
                ctx.insert("page", &meta(&doc.meta.claim, None, "claim"));
                ctx.insert("claim", card);
                ctx.insert("body", &md(&doc.body, Trust::Editor, &[]));
                let evidence: Vec<(Stance, EvidenceView)> = linked
                    .evidence
                    .iter()
                    .map(|e| {
                        let meta = &doc.meta.evidence[e.n - 1];
                        let source = self.cards.source(e.source);
                        let anchor = e.passage.as_ref().map(|p| p.name.as_str());
                        let href = match anchor {
                            Some(a) => format!("{root}{}#{a}", source.path),
                            None => format!("{root}{}", source.path),
                        };
                        (
                            e.stance,
                            EvidenceView {
                                n: e.n,
                                source,
                                quote: meta.quote.as_deref(),
                                href,
                                anchor,
                                occurrences: e.passage.as_ref().map_or(0, |p| p.occurrences),
                                note: meta.note.as_deref().map(|n| md(n, Trust::Editor, &[])),
                            },
                        )
                    })
                    .collect();
                ctx.insert("evidence", &group_by_stance(evidence));
                let appears: Vec<&SourceCard> = linked
                    .appears_in
                    .iter()
                    .map(|&s| self.cards.source(s))
                    .collect();
                ctx.insert("appears_in", &appears);
                ctx.insert("jsonld", &jsonld::claim_review(site, i, &dir));
            }
            Page::Source(i) => {
                let doc = &c.sources[i];
                let linked = &site.sources[i];
                ctx.insert("page", &meta(&doc.meta.title, None, "source"));
                ctx.insert("source", self.cards.source(i));
                ctx.insert(
                    "retrieved",
                    &doc.meta.retrieved.as_ref().map(DateView::from),
                );
                ctx.insert(
                    "note",
                    &doc.meta.note.as_deref().map(|n| md(n, Trust::Editor, &[])),
                );
                ctx.insert("body", &md(&doc.body, Trust::Untrusted, &linked.passages));
                ctx.insert("passage_css", &passage_css(&linked.passages));
                // Claims citing this source, grouped by stance, one entry per claim and stance.
                let mut items: Vec<(Stance, Citation)> = Vec::new();
                for &(cl, e) in &linked.citations {
                    let ev = &site.claims[cl].evidence[e];
                    let passage = ev.passage.as_ref().and_then(|p| {
                        c.claims[cl].meta.evidence[ev.n - 1]
                            .quote
                            .as_deref()
                            .map(|q| CitedPassage {
                                n: ev.n,
                                anchor: &p.name,
                                quote: q,
                            })
                    });
                    match items
                        .iter_mut()
                        .find(|(s, it)| *s == ev.stance && it.claim.id == c.claims[cl].id)
                    {
                        Some((_, it)) => it.passages.extend(passage),
                        None => items.push((
                            ev.stance,
                            Citation {
                                claim: self.cards.claim(cl),
                                passages: passage.into_iter().collect(),
                            },
                        )),
                    }
                }
                ctx.insert("cited_by", &group_by_stance(items));
            }
            Page::Free(i) => {
                let doc = &c.pages[i];
                ctx.insert(
                    "page",
                    &meta(&doc.meta.title, doc.meta.description.as_deref(), "page"),
                );
                ctx.insert("body", &md(&doc.body, Trust::Editor, &[]));
            }
            Page::ClaimList => {
                ctx.insert("page", &meta("All claims", None, "claims"));
                let groups: Vec<serde_json::Value> = site
                    .settings
                    .scale
                    .verdicts
                    .iter()
                    .enumerate()
                    .filter_map(|(v, verdict)| {
                        let claims: Vec<&ClaimCard> = site.claims.iter().enumerate().filter(|(_, l)| l.verdict == v).map(|(i, _)| self.cards.claim(i)).collect();
                        (!claims.is_empty()).then(|| serde_json::json!({ "key": verdict.key, "label": verdict.label, "claims": claims }))
                    })
                    .collect();
                ctx.insert("groups", &groups);
            }
            Page::SourceList => {
                ctx.insert("page", &meta("All sources", None, "sources"));
                ctx.insert("sources", &self.sources_by_date());
            }
            Page::Matrix => {
                ctx.insert("page", &meta("Claims against sources", None, "matrix"));
                self.matrix(&mut ctx, &root);
            }
            Page::Timeline => {
                ctx.insert("page", &meta("Timeline", None, "timeline"));
                ctx.insert("days", &self.timeline());
            }
            Page::NotFound => {
                ctx.insert("page", &meta("Page not found", None, "404"));
            }
            Page::Feed => {
                ctx.insert(
                    "page",
                    &meta(
                        &site.settings.title,
                        site.settings.description.as_deref(),
                        "feed",
                    ),
                );
                self.feed(&mut ctx);
            }
            Page::Sitemap => {
                ctx.insert("page", &meta(&site.settings.title, None, "sitemap"));
                ctx.insert("urls", &self.sitemap());
            }
        }
        ctx.insert("has_code", &has_code);
        let mut html = self
            .theme
            .tera
            .render(page.template(), &ctx)
            .map_err(|e| self.theme.diagnose(&e))?;
        if let (Some(inject), true) = (&self.options.inject, path.ends_with(".html")) {
            match html.rfind("</body>") {
                Some(at) => html.insert_str(at, inject),
                None => html.push_str(inject),
            }
        }
        // Front-matter escapes (`\u000b`) can put control characters in values: drop them.
        let html = crate::load::front_matter::strip_controls(html);
        Ok((
            Output {
                path,
                bytes: html.into_bytes(),
            },
            has_code,
        ))
    }

    fn sources_by_date(&self) -> Vec<&SourceCard<'_>> {
        let c = &self.site.content;
        let mut order: Vec<usize> = (0..c.sources.len()).collect();
        order.sort_by(|&a, &b| {
            (c.sources[a].meta.published, &c.sources[a].id)
                .cmp(&(c.sources[b].meta.published, &c.sources[b].id))
        });
        order.into_iter().map(|i| self.cards.source(i)).collect()
    }

    fn matrix(&self, ctx: &mut Context, root: &str) {
        let site = self.site;
        let mut cited: Vec<usize> = site
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.citations.is_empty())
            .map(|(i, _)| i)
            .collect();
        let c = &site.content;
        cited.sort_by(|&a, &b| {
            (c.sources[a].meta.published, &c.sources[a].id)
                .cmp(&(c.sources[b].meta.published, &c.sources[b].id))
        });
        let grid = cited.len() <= MATRIX_GRID_MAX_COLUMNS;
        let rows: Vec<MatrixRow> = site
            .claims
            .iter()
            .enumerate()
            .map(|(ci, claim)| {
                // Stances and first passage per cited source, in the claim's order.
                let mut per_source: BTreeMap<usize, (Vec<&'static str>, Option<&str>)> =
                    BTreeMap::new();
                for e in &claim.evidence {
                    let entry = per_source.entry(e.source).or_default();
                    if !entry.0.contains(&e.stance.key()) {
                        entry.0.push(e.stance.key());
                    }
                    if entry.1.is_none() {
                        entry.1 = e.passage.as_ref().map(|p| p.name.as_str());
                    }
                }
                let cell = |s: usize| {
                    let (stances, anchor) = per_source.get(&s).cloned().unwrap_or_default();
                    let card = self.cards.source(s);
                    MatrixCell {
                        source: card,
                        href: match anchor {
                            Some(a) => format!("{root}{}#{a}", card.path),
                            None => format!("{root}{}", card.path),
                        },
                        stances,
                    }
                };
                let cells = if grid {
                    cited.iter().map(|&s| cell(s)).collect()
                } else {
                    let mut srcs: Vec<usize> = per_source.keys().copied().collect();
                    srcs.sort_by(|&a, &b| {
                        (c.sources[a].meta.published, &c.sources[a].id)
                            .cmp(&(c.sources[b].meta.published, &c.sources[b].id))
                    });
                    srcs.into_iter().map(cell).collect()
                };
                MatrixRow {
                    claim: self.cards.claim(ci),
                    cells,
                }
            })
            .collect();
        let columns: Vec<&SourceCard> = if grid {
            cited.iter().map(|&s| self.cards.source(s)).collect()
        } else {
            Vec::new()
        };
        ctx.insert("layout", if grid { "grid" } else { "list" });
        ctx.insert("columns", &columns);
        ctx.insert("rows", &rows);
    }

    fn timeline(&self) -> Vec<TimelineDay<'_>> {
        let c = &self.site.content;
        let mut entries: Vec<(crate::load::Date, u8, &str, TimelineItem)> = Vec::new();
        for (i, s) in c.sources.iter().enumerate() {
            entries.push((
                s.meta.published,
                0,
                &s.id,
                TimelineItem {
                    kind: "source",
                    source: Some(self.cards.source(i)),
                    claim: None,
                    date_is: "published",
                },
            ));
        }
        let mut undated = Vec::new();
        for (i, cl) in c.claims.iter().enumerate() {
            let (date, date_is) = match (cl.meta.claimed, self.site.claims[i].reviewed) {
                (Some(d), _) => (d, "claimed"),
                (None, Some(d)) => (d, "reviewed"),
                (None, None) => {
                    undated.push(TimelineItem {
                        kind: "claim",
                        source: None,
                        claim: Some(self.cards.claim(i)),
                        date_is: "unknown",
                    });
                    continue;
                }
            };
            entries.push((
                date,
                1,
                &cl.id,
                TimelineItem {
                    kind: "claim",
                    source: None,
                    claim: Some(self.cards.claim(i)),
                    date_is,
                },
            ));
        }
        entries.sort_by(|a, b| (a.0.day(), a.0, a.1, a.2).cmp(&(b.0.day(), b.0, b.1, b.2)));
        let mut days: Vec<TimelineDay> = Vec::new();
        for (date, _, _, item) in entries {
            let day = crate::load::Date::Day(date.day());
            match days.last_mut() {
                Some(TimelineDay {
                    date: Some(d),
                    items,
                }) if d.iso == day.iso() => items.push(item),
                _ => days.push(TimelineDay {
                    date: Some(DateView::from(&day)),
                    items: vec![item],
                }),
            }
        }
        // Claims with no date at all still belong on the timeline, at its end.
        if !undated.is_empty() {
            days.push(TimelineDay {
                date: None,
                items: undated,
            });
        }
        days
    }

    fn feed(&self, ctx: &mut Context) {
        let site = self.site;
        let base = &site.settings.base;
        let slug = crate::load::id::slug(&site.settings.title);
        let id_of = |path: &str| match &base.absolute {
            Some(_) => base.url(path),
            None => format!(
                "urn:factbrief:{slug}:{}",
                path.trim_end_matches('/').replace('/', ":")
            )
            .trim_end_matches(':')
            .to_owned(),
        };
        let mut order: Vec<usize> = (0..site.claims.len()).collect();
        order.sort_by(|&a, &b| {
            (site.claims[b].reviewed, &site.content.claims[a].id)
                .cmp(&(site.claims[a].reviewed, &site.content.claims[b].id))
        });
        let entries: Vec<serde_json::Value> = order
            .iter()
            .map(|&i| {
                let card = self.cards.claim(i);
                let updated = site.claims[i].reviewed.or(site.settings.updated).or(site.settings.published);
                serde_json::json!({
                    "claim": card,
                    "id": id_of(&card.path),
                    "url": base.url(&card.path),
                    "updated": updated.map(|d| d.rfc3339()).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
                })
            })
            .collect();
        let updated = site
            .claims
            .iter()
            .filter_map(|c| c.reviewed)
            .chain(site.settings.updated)
            .chain(site.settings.published)
            .max();
        ctx.insert("feed_id", &id_of(""));
        ctx.insert("feed_url", &base.url("feed.xml"));
        ctx.insert("home_url", &base.url(""));
        ctx.insert(
            "updated",
            &updated
                .map(|d| d.rfc3339())
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        );
        ctx.insert("entries", &entries);
    }

    fn sitemap(&self) -> Vec<serde_json::Value> {
        let site = self.site;
        let base = &site.settings.base;
        let mut urls = Vec::new();
        let site_date = site.settings.updated.or(site.settings.published);
        for p in Page::all(site) {
            let (path, lastmod) = match p {
                Page::NotFound | Page::Feed | Page::Sitemap => continue,
                Page::Claim(i) => (p.path(site), site.claims[i].reviewed),
                Page::Source(i) => (p.path(site), Some(site.content.sources[i].meta.published)),
                _ => (p.path(site), site_date),
            };
            let dir = path.trim_end_matches("index.html");
            urls.push(serde_json::json!({ "loc": base.url(dir), "lastmod": lastmod.map(|d| d.day().format("%Y-%m-%d").to_string()) }));
        }
        urls.sort_by(|a, b| a["loc"].as_str().cmp(&b["loc"].as_str()));
        urls
    }
}
