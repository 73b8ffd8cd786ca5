//! The pages of a site: one enum of page kinds, with the one URL scheme and
//! what each page depends on.

use crate::link::Site;
use crate::load::{DocId, Kind};

/// A page of the site. Document pages are known by their document's id, so a
/// page is the same page before and after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// `index.html`: the overview.
    Index,
    /// `claims/<id>/index.html`.
    Claim(String),
    /// `sources/<id>/index.html`.
    Source(String),
    /// `pages/<id>/index.html`.
    Free(String),
    /// `claims/index.html`.
    ClaimList,
    /// `sources/index.html`.
    SourceList,
    /// `matrix/index.html`.
    Matrix,
    /// `timeline/index.html`.
    Timeline,
    /// `search/index.html`: the search page (its index, `pagefind/`, is made with it).
    Search,
    /// `404.html`.
    NotFound,
    /// `feed.xml`.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
}

/// The pages that show every document of the site, rendered again on any content change.
const LISTINGS: [Page; 9] = [
    Page::Index,
    Page::ClaimList,
    Page::SourceList,
    Page::Matrix,
    Page::Timeline,
    Page::Search,
    Page::NotFound,
    Page::Feed,
    Page::Sitemap,
];

/// The folder of the page of document `id` of `kind`, relative to the site root (`claims/x/`).
pub fn doc_dir(kind: Kind, id: &str) -> String {
    format!("{}/{id}/", kind.folder())
}

impl Page {
    /// Every page of `site`.
    pub fn all(site: &Site) -> Vec<Page> {
        let c = &site.content;
        let mut pages = LISTINGS.to_vec();
        pages.extend(c.claims.keys().cloned().map(Page::Claim));
        pages.extend(c.sources.keys().cloned().map(Page::Source));
        pages.extend(c.pages.keys().cloned().map(Page::Free));
        pages
    }

    /// The page of document `doc`, if it has one of its own.
    pub fn of(doc: &DocId) -> Option<Page> {
        match doc {
            DocId::Index => None,
            DocId::Doc(Kind::Claim, id) => Some(Page::Claim(id.clone())),
            DocId::Doc(Kind::Source, id) => Some(Page::Source(id.clone())),
            DocId::Doc(Kind::Page, id) => Some(Page::Free(id.clone())),
        }
    }

    /// The document this page shows, for a document's own page.
    pub fn doc(&self) -> Option<DocId> {
        match self {
            Page::Index => Some(DocId::Index),
            Page::Claim(id) => Some(DocId::claim(id.clone())),
            Page::Source(id) => Some(DocId::source(id.clone())),
            Page::Free(id) => Some(DocId::page(id.clone())),
            _ => None,
        }
    }

    /// Pages to render again when document `doc` changes (see [`Site::dependents`]).
    /// The listings (index, lists, matrix, timeline, feed, sitemap) show every document.
    pub fn affected_by(site: &Site, doc: &DocId) -> Vec<Page> {
        let mut pages = LISTINGS.to_vec();
        pages.extend(site.dependents(doc).iter().filter_map(Page::of));
        pages.sort();
        pages.dedup();
        pages
    }

    /// Whether the page lists the whole site (and so may wait while edited pages are served first).
    pub fn is_listing(&self) -> bool {
        !matches!(self, Page::Claim(_) | Page::Source(_) | Page::Free(_))
    }

    /// The output path, relative to the output root.
    pub fn path(&self) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Claim(id) => format!("{}index.html", doc_dir(Kind::Claim, id)),
            Page::Source(id) => format!("{}index.html", doc_dir(Kind::Source, id)),
            Page::Free(id) => format!("{}index.html", doc_dir(Kind::Page, id)),
            Page::ClaimList => "claims/index.html".into(),
            Page::SourceList => "sources/index.html".into(),
            Page::Matrix => "matrix/index.html".into(),
            Page::Timeline => "timeline/index.html".into(),
            Page::Search => "search/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
        }
    }

    /// The templates pages are rendered with (any other is a part of them).
    pub const TEMPLATES: [&'static str; 12] = [
        "index.html",
        "claim.html",
        "source.html",
        "page.html",
        "claims.html",
        "sources.html",
        "matrix.html",
        "timeline.html",
        "search.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
    ];

    /// Whether the page is a page of `site` (its document is there).
    pub fn exists_in(&self, site: &Site) -> bool {
        self.doc().is_none_or(|d| site.content.contains(&d))
    }

    /// The template this page is rendered with.
    pub fn template(&self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Claim(_) => "claim.html",
            Page::Source(_) => "source.html",
            Page::Free(_) => "page.html",
            Page::ClaimList => "claims.html",
            Page::SourceList => "sources.html",
            Page::Matrix => "matrix.html",
            Page::Timeline => "timeline.html",
            Page::Search => "search.html",
            Page::NotFound => "404.html",
            Page::Feed => "feed.xml",
            Page::Sitemap => "sitemap.xml",
        }
    }
}
