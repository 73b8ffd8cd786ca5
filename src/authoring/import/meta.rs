//! The metadata a newsroom's page carries: schema.org JSON-LD, Open Graph and
//! `article:*`, Dublin Core, and plain HTML (`<title>`, `<html lang>`, bylines).
//!
//! Each field is taken from the first of these that has it, in this order:
//!
//! 1. **JSON-LD** (`NewsArticle`, `Article`, `ReportageNewsArticle`...): the
//!    newsroom writes it for search engines and fact-check aggregators, typed
//!    and field by field (the headline apart from the site's name, each author
//!    apart, the publisher as an organisation, an ISO date), so it is the least
//!    ambiguous statement of what the page is.
//! 2. **Open Graph and `article:*`**: written for social networks, nearly as
//!    common, but its title is often reworded for sharing and `article:author`
//!    is often a profile URL rather than a name.
//! 3. **Dublin Core** (`DC.title`, `DC.date`...): library metadata, still on
//!    some institutional and older news sites, rarely kept as up to date.
//! 4. **The HTML itself**: `<title>` usually carries the site's name too, and
//!    `<html lang>` is often a template's default; the last resort.
//!
//! The address is the exception: `<link rel="canonical">` comes first, because
//! it is the page's own statement of its one address (the one search engines
//! index), where `og:url` and JSON-LD's `url` are copies that syndicated or AMP
//! versions of a page often leave pointing elsewhere.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

/// The metadata found, each field with where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The headline.
    pub title: Option<Found>,
    /// The publisher.
    pub outlet: Option<Found>,
    /// The date of publication, as the page writes it (not yet checked to be a date).
    pub published: Option<Found>,
    /// Authors' names.
    pub authors: Option<(Vec<String>, &'static str)>,
    /// The page's address (absolute, http or https).
    pub url: Option<Found>,
    /// The language of the text (a BCP 47 tag).
    pub language: Option<Found>,
    /// A `kind` other than `news`, when the JSON-LD type says so.
    pub kind: Option<&'static str>,
    /// What could not be read (a broken JSON-LD block).
    pub notes: Vec<String>,
}

/// A value and where it was found (`JSON-LD headline`, `og:title`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The value, white space collapsed.
    pub value: String,
    /// Where it was found.
    pub from: &'static str,
}

fn found(value: Option<String>, from: &'static str) -> Option<Found> {
    value.map(|value| Found { value, from })
}

/// `s` with runs of white space made one space and character references
/// decoded (JSON-LD and `content` attributes often carry `&amp;`); `None` if empty.
fn clean(s: &str) -> Option<String> {
    let decoded = if s.contains('&') && s.contains(';') {
        html_escape::decode_html_entities(s).into_owned()
    } else {
        s.to_owned()
    };
    let out = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// JSON-LD types taken for the article, the most specific first.
const ARTICLE_TYPES: &[&str] = &[
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "NewsArticle",
    "Report",
    "Article",
    "LiveBlogPosting",
    "BlogPosting",
    "ScholarlyArticle",
    "TechArticle",
    "SocialMediaPosting",
    "WebPage",
];

/// Read the metadata of `doc`; `page_url` is the address it was fetched from, if any,
/// against which a relative canonical link is resolved.
pub fn read(doc: &Document, page_url: Option<&str>) -> Metadata {
    let mut notes = Vec::new();
    let ld = JsonLd::read(doc, &mut notes);
    let metas = metas(doc);
    let meta = |key: &str| {
        metas
            .get(key)
            .and_then(|v| v.first())
            .and_then(|s| clean(s))
    };
    let meta_all = |key: &str| -> Vec<String> {
        metas
            .get(key)
            .map(|v| v.iter().filter_map(|s| clean(s)).collect())
            .unwrap_or_default()
    };
    let article = ld.article();

    let title = found(article.and_then(|a| a.str("headline")), "JSON-LD headline")
        .or_else(|| found(meta("og:title"), "og:title"))
        .or_else(|| {
            found(
                meta("dc.title").or_else(|| meta("dcterms.title")),
                "DC.title",
            )
        });
    // The HTML's own title is left to the readability pass, which strips the site's name from it.

    let outlet = found(
        article.and_then(|a| ld.name_of(a.get("publisher")?).into_iter().next()),
        "JSON-LD publisher",
    )
    .or_else(|| found(meta("og:site_name"), "og:site_name"))
    .or_else(|| {
        found(
            meta("dc.publisher").or_else(|| meta("dcterms.publisher")),
            "DC.publisher",
        )
    });

    let published = found(
        article.and_then(|a| a.str("datePublished")),
        "JSON-LD datePublished",
    )
    .or_else(|| found(meta("article:published_time"), "article:published_time"))
    .or_else(|| {
        found(
            [
                "dc.date.issued",
                "dcterms.issued",
                "dc.date",
                "dcterms.date",
                "dcterms.created",
            ]
            .iter()
            .find_map(|k| meta(k)),
            "DC.date",
        )
    })
    .or_else(|| {
        found(
            [
                "datepublished",
                "date",
                "pubdate",
                "publishdate",
                "publication_date",
            ]
            .iter()
            .find_map(|k| meta(k))
            .or_else(|| {
                doc.select("time[itemprop~=datePublished], time[pubdate]")
                    .attr("datetime")
                    .and_then(|s| clean(&s))
            }),
            "the HTML",
        )
    });

    let authors = article
        .map(|a| a.get("author").map(|v| ld.name_of(v)).unwrap_or_default())
        .filter(|v| !v.is_empty())
        .map(|v| (v, "JSON-LD author"))
        .or_else(|| {
            let names: Vec<String> = meta_all("article:author")
                .into_iter()
                .filter(|a| !looks_like_url(a))
                .collect();
            (!names.is_empty()).then_some((names, "article:author"))
        })
        .or_else(|| {
            let mut names = meta_all("dc.creator");
            names.extend(meta_all("dcterms.creator"));
            (!names.is_empty()).then_some((names, "DC.creator"))
        })
        .or_else(|| {
            let mut names: Vec<String> = meta_all("author")
                .into_iter()
                .filter(|a| !looks_like_url(a))
                .collect();
            if names.is_empty() {
                names = doc
                    .select("a[rel~=author]")
                    .iter()
                    .filter_map(|a| clean(&a.text()))
                    .collect();
            }
            (!names.is_empty()).then_some((names, "the HTML byline"))
        })
        .map(|(names, from)| {
            (
                dedup(names.into_iter().map(|n| strip_by(&n)).collect()),
                from,
            )
        });

    let canonical = doc
        .select("link[rel~=canonical]")
        .attr("href")
        .and_then(|h| absolute(h.trim(), page_url));
    let url = found(canonical, "<link rel=canonical>")
        .or_else(|| {
            found(
                article
                    .and_then(|a| {
                        a.str("url")
                            .or_else(|| ld.id_of(a.get("mainEntityOfPage")?))
                    })
                    .and_then(|u| absolute(&u, page_url)),
                "JSON-LD url",
            )
        })
        .or_else(|| {
            found(
                meta("og:url").and_then(|u| absolute(&u, page_url)),
                "og:url",
            )
        });

    let language = found(
        article
            .and_then(|a| a.str("inLanguage"))
            .and_then(|l| language_tag(&l)),
        "JSON-LD inLanguage",
    )
    .or_else(|| {
        found(
            meta("og:locale").and_then(|l| language_tag(&l)),
            "og:locale",
        )
    })
    .or_else(|| {
        found(
            meta("dc.language")
                .or_else(|| meta("dcterms.language"))
                .and_then(|l| language_tag(&l)),
            "DC.language",
        )
    })
    .or_else(|| {
        found(
            doc.select("html")
                .attr("lang")
                .and_then(|l| language_tag(&l))
                .or_else(|| meta("content-language").and_then(|l| language_tag(&l))),
            "<html lang>",
        )
    });

    let kind = article.and_then(|a| {
        let types = a.types();
        if types.iter().any(|t| t == "OpinionNewsArticle") {
            Some("opinion")
        } else if types.iter().any(|t| t == "Report") {
            Some("report")
        } else {
            None
        }
    });

    Metadata {
        title,
        outlet,
        published,
        authors,
        url,
        language,
        kind,
        notes,
    }
}

/// `names` in order, each once.
fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// A byline without its leading "By".
pub fn strip_by(name: &str) -> String {
    let t = name.trim();
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim().to_owned();
        }
    }
    t.to_owned()
}

fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("www.")
}

/// `lang` as a BCP 47 tag (`en_GB` → `en-GB`), if it is one.
fn language_tag(lang: &str) -> Option<String> {
    let tag = lang.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    let ok = (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    ok.then_some(tag)
}

/// `href` as an absolute http(s) address, resolved against `base` when relative.
pub fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_owned());
    }
    if has_scheme(href) {
        // Another scheme: mailto:, javascript:, data:...
        return None;
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if let Some(net) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{net}"));
    }
    if href.starts_with('/') {
        return Some(format!("{origin}{href}"));
    }
    let path = &rest[host_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    if href.starts_with('#') || href.starts_with('?') {
        let path = if path.is_empty() { "/" } else { path };
        return Some(format!("{origin}{path}{href}"));
    }
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let (href_path, tail) = href.split_at(href.find(['?', '#']).unwrap_or(href.len()));
    let parts: Vec<&str> = href_path.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" if i + 1 < parts.len() => {}
            s => segments.push(s),
        }
    }
    let trailing = matches!(parts.last(), Some(&"." | &".."));
    let mut joined = format!("{origin}/{}", segments.join("/"));
    if trailing && !joined.ends_with('/') {
        joined.push('/');
    }
    Some(format!("{joined}{tail}"))
}

/// Whether `href` starts with a scheme (`mailto:`, `javascript:`).
fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Every `<meta>` value by its lower-cased `name`, `property`, `itemprop` or `http-equiv`.
fn metas(doc: &Document) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for m in doc.select("meta").nodes() {
        let Some(content) = m.attr("content") else {
            continue;
        };
        for attr in ["name", "property", "itemprop", "http-equiv"] {
            if let Some(key) = m.attr(attr) {
                // `property` may hold several space-separated names (RDFa).
                for k in key.split_whitespace() {
                    out.entry(k.to_ascii_lowercase())
                        .or_default()
                        .push(content.to_string());
                }
            }
        }
    }
    out
}

/// The JSON-LD blocks of a page, flattened into their nodes.
struct JsonLd {
    nodes: Vec<Value>,
    by_id: HashMap<String, Value>,
}

/// One JSON-LD object.
#[derive(Clone, Copy)]
struct Node<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Node<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    /// A string field (the first, if it is a list).
    fn str(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => clean(s),
            Value::Array(a) => a.iter().find_map(|v| v.as_str().and_then(clean)),
            Value::Object(o) => o
                .get("@value")
                .or_else(|| o.get("name"))
                .and_then(Value::as_str)
                .and_then(clean),
            _ => None,
        }
    }

    /// Its `@type`s, without a `schema:` or `https://schema.org/` prefix.
    fn types(&self) -> Vec<String> {
        let short = |s: &str| s.rsplit(['/', ':']).next().unwrap_or(s).to_owned();
        match self.0.get("@type") {
            Some(Value::String(s)) => vec![short(s)],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(short).collect(),
            _ => Vec::new(),
        }
    }
}

impl JsonLd {
    fn read(doc: &Document, notes: &mut Vec<String>) -> JsonLd {
        let mut nodes = Vec::new();
        for script in doc.select("script").nodes() {
            let is_ld = script.attr("type").is_some_and(|t| {
                t.trim()
                    .to_ascii_lowercase()
                    .starts_with("application/ld+json")
            });
            if !is_ld {
                continue;
            }
            let text = script.text();
            let text = text
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
                .trim_start_matches("<![CDATA[")
                .trim_end_matches("]]>");
            match serde_json::from_str::<Value>(text) {
                Ok(v) => flatten(v, &mut nodes),
                Err(e) => notes.push(format!(
                    "a JSON-LD block of the page is not valid JSON ({e}); its metadata was not read"
                )),
            }
        }
        let by_id = nodes
            .iter()
            .filter_map(|n| Some((n.get("@id")?.as_str()?.to_owned(), n.clone())))
            .collect();
        JsonLd { nodes, by_id }
    }

    /// The node describing the article: of the most specific article type found.
    fn article(&self) -> Option<Node<'_>> {
        let objects: Vec<Node<'_>> = self
            .nodes
            .iter()
            .filter_map(Value::as_object)
            .map(Node)
            .collect();
        ARTICLE_TYPES.iter().find_map(|wanted| {
            objects
                .iter()
                .find(|n| n.types().iter().any(|t| t == wanted))
                .copied()
        })
    }

    /// `v` itself, or the node it refers to by `@id` alone.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        if let Some(o) = v.as_object() {
            if o.len() == 1 {
                if let Some(target) = o
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| self.by_id.get(id))
                {
                    return target;
                }
            }
        }
        v
    }

    /// The names in a person, organisation, string, or list of them.
    fn name_of(&self, v: &Value) -> Vec<String> {
        match self.resolve(v) {
            Value::String(s) => clean(s).into_iter().collect(),
            Value::Array(a) => a.iter().flat_map(|x| self.name_of(x)).collect(),
            Value::Object(o) => {
                let node = Node(o);
                if let Some(name) = node.str("name") {
                    vec![name]
                } else {
                    let given = node.str("givenName").unwrap_or_default();
                    let family = node.str("familyName").unwrap_or_default();
                    clean(&format!("{given} {family}")).into_iter().collect()
                }
            }
            _ => Vec::new(),
        }
    }

    /// The `@id` (or the string) a field such as `mainEntityOfPage` holds.
    fn id_of(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => clean(s),
            Value::Object(o) => o
                .get("@id")
                .or_else(|| o.get("url"))
                .and_then(Value::as_str)
                .and_then(clean),
            _ => None,
        }
    }
}

/// Every object of a JSON-LD value: top-level lists and `@graph` lists opened.
fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                flatten(graph, out);
            }
            if !o.is_empty() {
                out.push(Value::Object(o));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_addresses() {
        let base = Some("https://news.example/world/2021/story.html?x=1#top");
        assert_eq!(
            absolute("https://a.example/x", base).as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            absolute("/a/b", base).as_deref(),
            Some("https://news.example/a/b")
        );
        assert_eq!(
            absolute("//cdn.example/x", base).as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(
            absolute("other.html", base).as_deref(),
            Some("https://news.example/world/2021/other.html")
        );
        assert_eq!(
            absolute("../x?q=1", base).as_deref(),
            Some("https://news.example/world/x?q=1")
        );
        assert_eq!(
            absolute("#p2", base).as_deref(),
            Some("https://news.example/world/2021/story.html#p2")
        );
        assert_eq!(absolute("mailto:a@b.example", base), None);
        assert_eq!(absolute("javascript:alert(1)", base), None);
        assert_eq!(absolute("/a", None), None);
    }

    #[test]
    fn authors_in_every_shape_and_by_reference() {
        let html = r##"<html><head><script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[
          {"@type":"Person","@id":"#p1","name":"Ann Lee"},
          {"@type":"NewsArticle","headline":"H &amp; K","author":[{"@id":"#p1"},"Bo Chan",{"@type":"Person","givenName":"Cy","familyName":"Dee"}],
           "publisher":{"@type":"Organization","name":"Wire"},"inLanguage":"es_MX","datePublished":"2021-12-30"}]}
        </script></head><body></body></html>"##;
        let m = read(&Document::from(html), None);
        assert_eq!(m.title.unwrap().value, "H & K");
        assert_eq!(m.authors.unwrap().0, ["Ann Lee", "Bo Chan", "Cy Dee"]);
        assert_eq!(m.outlet.unwrap().value, "Wire");
        assert_eq!(m.language.unwrap().value, "es-MX");
        assert_eq!(m.published.unwrap().value, "2021-12-30");
    }
}
