//! The pages of a site: one enum of page kinds, with the one URL scheme and
//! what each page depends on.

use crate::diagnostic::{Code, Diagnostic};
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
    /// Page `n` (1-based) of a list: `<list>/index.html`, then `<list>/page/<n>/index.html`.
    List(List, usize),
    /// `tags/<slug>/feed.xml`: the Atom feed of one tag.
    TagFeed(String),
    /// `claims/<id>/share.png`: the image a shared link to the claim shows.
    ShareImage(String),
    /// `corrections/index.html`: every correction of the briefing.
    Corrections,
    /// `claimreview.json`: every ClaimReview as a schema.org DataFeed.
    ClaimReviews,
    /// `search/index.html`: the search page (its index, `pagefind/`, is made with it).
    Search,
    /// `404.html`.
    NotFound,
    /// `feed.xml`.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
}

/// A list of the site, paginated by `paginate_by` items.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// `claims/`: every claim, latest first.
    Claims,
    /// `sources/`: every source, latest first.
    Sources,
    /// `matrix/`: claims against the sources they cite, a page of claims at a time.
    Matrix,
    /// `timeline/`: sources and claims by date.
    Timeline,
    /// `tags/`: every tag with its count.
    Tags,
    /// `tags/<slug>/`: the claims of one tag.
    Tag(String),
    /// `verdicts/`: every verdict of the scale with its count.
    Verdicts,
    /// `verdicts/<key>/`: the claims of one verdict.
    Verdict(String),
    /// `outlets/`: every outlet with its count.
    Outlets,
    /// `outlets/<slug>/`: the sources of one outlet.
    Outlet(String),
}

impl List {
    /// The list's folder, relative to the site root (`tags/vaccines/`).
    pub fn dir(&self) -> String {
        match self {
            List::Claims => "claims/".into(),
            List::Sources => "sources/".into(),
            List::Matrix => "matrix/".into(),
            List::Timeline => "timeline/".into(),
            List::Tags => "tags/".into(),
            List::Tag(s) => format!("tags/{s}/"),
            List::Verdicts => "verdicts/".into(),
            List::Verdict(k) => format!("verdicts/{k}/"),
            List::Outlets => "outlets/".into(),
            List::Outlet(s) => format!("outlets/{s}/"),
        }
    }

    /// The folder of page `n` of the list.
    pub fn page_dir(&self, n: usize) -> String {
        if n <= 1 {
            self.dir()
        } else {
            format!("{}page/{n}/", self.dir())
        }
    }

    /// How many items the list has in `site`, or `None` when it is not a list of the site.
    pub fn len(&self, site: &Site) -> Option<usize> {
        let t = &site.taxonomies;
        Some(match self {
            List::Claims | List::Matrix => t.claims.len(),
            List::Sources => t.sources.len(),
            List::Timeline => t.claims.len() + t.sources.len(),
            List::Tags => t.tags.len(),
            List::Tag(s) => t.tags.get(s)?.items.len(),
            List::Verdicts => t.verdicts.len(),
            List::Verdict(k) => t.verdicts.iter().find(|(v, _)| v == k)?.1.len(),
            List::Outlets => t.outlets.len(),
            List::Outlet(s) => t.outlets.get(s)?.items.len(),
        })
    }

    /// How many pages the list has in `site` (at least one, even when empty).
    pub fn pages(&self, site: &Site) -> Option<usize> {
        let per = site.settings.paginate_by;
        Some(self.len(site)?.div_ceil(per).max(1))
    }

    /// Every list of `site`.
    pub fn all(site: &Site) -> Vec<List> {
        let t = &site.taxonomies;
        let mut lists = vec![
            List::Claims,
            List::Sources,
            List::Matrix,
            List::Timeline,
            List::Tags,
            List::Verdicts,
            List::Outlets,
        ];
        lists.extend(t.tags.keys().cloned().map(List::Tag));
        lists.extend(t.verdicts.iter().map(|(k, _)| List::Verdict(k.clone())));
        lists.extend(t.outlets.keys().cloned().map(List::Outlet));
        lists
    }

    /// The template the list's pages are rendered with.
    pub fn template(&self) -> &'static str {
        match self {
            List::Claims => "claims.html",
            List::Sources => "sources.html",
            List::Matrix => "matrix.html",
            List::Timeline => "timeline.html",
            List::Tags | List::Verdicts | List::Outlets => "terms.html",
            List::Tag(_) => "tag.html",
            List::Verdict(_) => "verdict.html",
            List::Outlet(_) => "outlet.html",
        }
    }
}

/// The pages that list the whole site (rendered again on any content change), but for the lists.
const LISTINGS: [Page; 7] = [
    Page::Index,
    Page::Search,
    Page::NotFound,
    Page::Feed,
    Page::Sitemap,
    Page::Corrections,
    Page::ClaimReviews,
];

/// The folder of the page of document `id` of `kind`, relative to the site root (`claims/x/`).
pub fn doc_dir(kind: Kind, id: &str) -> String {
    format!("{}/{id}/", kind.folder())
}

/// The output path of the page of the document of kind `kind` and id `id`
/// (`claims/<id>/index.html`).
pub fn doc_page(kind: Kind, id: &str) -> String {
    format!("{}index.html", doc_dir(kind, id))
}

impl Page {
    /// Every page of `site`.
    pub fn all(site: &Site) -> Vec<Page> {
        let c = &site.content;
        let mut pages = Page::listings(site);
        pages.extend(c.claims.keys().cloned().map(Page::Claim));
        pages.extend(c.claims.keys().cloned().map(Page::ShareImage));
        pages.extend(c.sources.keys().cloned().map(Page::Source));
        pages.extend(c.pages.keys().cloned().map(Page::Free));
        pages
    }

    /// The pages that show every document, or any (index, lists, feeds, sitemap).
    pub fn listings(site: &Site) -> Vec<Page> {
        let mut pages = LISTINGS.to_vec();
        for list in List::all(site) {
            let n = list.pages(site).unwrap_or(1);
            pages.extend((1..=n).map(|i| Page::List(list.clone(), i)));
        }
        pages.extend(site.taxonomies.tags.keys().cloned().map(Page::TagFeed));
        pages
    }

    /// The pages of document `doc` (a claim's page and its share image).
    pub fn of_doc(doc: &DocId) -> Vec<Page> {
        match doc {
            DocId::Doc(Kind::Claim, id) => {
                vec![Page::Claim(id.clone()), Page::ShareImage(id.clone())]
            }
            _ => Page::of(doc).into_iter().collect(),
        }
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
            Page::Claim(id) | Page::ShareImage(id) => Some(DocId::claim(id.clone())),
            Page::Source(id) => Some(DocId::source(id.clone())),
            Page::Free(id) => Some(DocId::page(id.clone())),
            _ => None,
        }
    }

    /// Pages to render again when document `doc` changes (see [`Site::dependents`]).
    /// The listings (index, lists, feeds, sitemap) show every document.
    pub fn affected_by(site: &Site, doc: &DocId) -> Vec<Page> {
        let mut pages = Page::listings(site);
        pages.extend(site.dependents(doc).iter().flat_map(Page::of_doc));
        pages.sort();
        pages.dedup();
        pages
    }

    /// Whether the page lists the whole site (and so may wait while edited pages are served first).
    pub fn is_listing(&self) -> bool {
        !matches!(
            self,
            Page::Claim(_) | Page::ShareImage(_) | Page::Source(_) | Page::Free(_)
        )
    }

    /// The output path, relative to the output root.
    pub fn path(&self) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Claim(id) => doc_page(Kind::Claim, id),
            Page::Source(id) => doc_page(Kind::Source, id),
            Page::Free(id) => doc_page(Kind::Page, id),
            Page::List(list, n) => format!("{}index.html", list.page_dir(*n)),
            Page::TagFeed(slug) => format!("tags/{slug}/feed.xml"),
            Page::ShareImage(id) => format!("{}{}", doc_dir(Kind::Claim, id), super::SHARE_IMAGE),
            Page::Corrections => "corrections/index.html".into(),
            Page::ClaimReviews => "claimreview.json".into(),
            Page::Search => "search/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
        }
    }

    /// The templates pages are rendered with (any other is a part of them).
    pub const TEMPLATES: [&'static str; 17] = [
        "index.html",
        "claim.html",
        "source.html",
        "page.html",
        "claims.html",
        "sources.html",
        "matrix.html",
        "timeline.html",
        "terms.html",
        "tag.html",
        "verdict.html",
        "outlet.html",
        "corrections.html",
        "search.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
    ];

    /// Whether the page is a page of `site` (its document, or its list and page number, is there).
    pub fn exists_in(&self, site: &Site) -> bool {
        match self {
            Page::List(list, n) => list.pages(site).is_some_and(|pages| *n >= 1 && *n <= pages),
            Page::TagFeed(slug) => site.taxonomies.tags.contains_key(slug),
            _ => self.doc().is_none_or(|d| site.content.contains(&d)),
        }
    }

    /// The template this page is rendered with; none for the files made without one.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Page::ShareImage(_) | Page::ClaimReviews => return None,
            Page::Corrections => "corrections.html",
            Page::Index => "index.html",
            Page::Claim(_) => "claim.html",
            Page::Source(_) => "source.html",
            Page::Free(_) => "page.html",
            Page::List(list, _) => list.template(),
            Page::Search => "search.html",
            Page::NotFound => "404.html",
            Page::Feed | Page::TagFeed(_) => "feed.xml",
            Page::Sitemap => "sitemap.xml",
        })
    }
}

/// Documents whose page would be written where a page of a list goes (the
/// claim `page/2` and page 2 of the claims list), as errors naming the file.
///
/// Found from the lists' pages, which are few: a list page at
/// `<kind folder>/<id>/index.html` is where document `id`'s page goes
/// ([`doc_dir`]), if that document exists. (Formatting the path of every
/// document's page instead cost each edit in `serve` a pass over the whole
/// site.) Two documents' pages cannot meet, ids being made of lower-case
/// letters, digits, `-` and `_` per folder (see `load::id`); nor can two lists'.
pub fn collisions(site: &Site) -> Vec<Diagnostic> {
    let c = &site.content;
    let mut found: Vec<(DocId, String, Page)> = Vec::new();
    for list in Page::listings(site) {
        let path = list.path();
        for kind in Kind::ALL {
            let id = (path.strip_prefix(kind.folder()))
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.strip_suffix("/index.html"));
            if let Some(id) = id {
                found.push((DocId::Doc(kind, id.to_owned()), path.clone(), list.clone()));
            }
        }
    }
    // In the documents' order, as the findings of a document are.
    found.sort();
    let mut diags = Vec::new();
    for (doc, path, list) in found {
        let Some(file) = c.file(&doc) else {
            continue;
        };
        let what = match list {
            Page::List(l, n) => format!("page {n} of the list {}", l.dir()),
            other => other.path(),
        };
        diags.push(
            Diagnostic::error(
                Code::OutputCollision,
                file,
                format!("this document's page would be written to {path}, where {what} goes"),
            )
            .with_help("rename the file (or its folder): ids under `page/<n>` are taken by the pages of long lists"),
        );
    }
    diags
}
