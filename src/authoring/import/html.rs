//! Saved and fetched web pages: the article's text as Markdown, and the page's metadata.
//!
//! 1. The metadata is read first, from the page as it came ([`super::meta`]).
//! 2. Page furniture that readability can let through (cookie and consent
//!    banners, share bars, related links, newsletter prompts, ads, menus,
//!    forms) is removed by its tag, role, class or id, never when it holds
//!    much of the page's text.
//! 3. [`dom_smoothie`], a port of Mozilla's Readability.js (the reader view of
//!    Firefox), finds the article in what is left.
//! 4. Images, video and embeds are left out (a source is text; captions stay),
//!    links that lead nowhere outside the page become text, and the rest is
//!    written as Markdown by `dom_query`'s serializer, the HTML library
//!    readability already works on. Character references are escaped, and
//!    escapes the Markdown does not need are removed ([`super::escape`]).
//! 5. The Markdown's rendered text is compared with the article's text, and
//!    any difference is said, as is what was left out.

use dom_query::{Document, NodeRef};

use super::escape::{escape_references, minimize_escapes};
use super::meta::{self, Metadata};
use super::text::excerpt;
use crate::markdown::{rendered_text, Trust};

/// What a page gives.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The page's metadata.
    pub meta: Metadata,
    /// The title readability makes of `<title>` and the headings, when the metadata has none.
    pub html_title: Option<String>,
    /// The byline readability found, for when the metadata names no author.
    pub byline: Option<String>,
    /// The article as Markdown.
    pub body: String,
    /// What was left out or could not be kept as it was, for the editor.
    pub notes: Vec<String>,
}

/// What a piece of page furniture is, by the words of its class or id.
const FURNITURE: &[(&str, &[&str])] = &[
    (
        "cookie or consent banner",
        &["cookie", "cookies", "consent", "gdpr", "cmp"],
    ),
    (
        "advertising",
        &[
            "ad",
            "ads",
            "advert",
            "adverts",
            "advertisement",
            "adslot",
            "sponsored",
            "outbrain",
            "taboola",
            "dfp",
        ],
    ),
    (
        "share buttons",
        &["share", "sharing", "sharebar", "social", "socials"],
    ),
    (
        "related links",
        &[
            "related",
            "recommended",
            "recommendations",
            "trending",
            "popular",
            "mostread",
            "morestories",
        ],
    ),
    (
        "newsletter or subscription prompt",
        &[
            "newsletter",
            "subscribe",
            "subscription",
            "signup",
            "paywall",
            "promo",
        ],
    ),
    ("comments", &["comments", "disqus"]),
    (
        "navigation",
        &[
            "nav",
            "navbar",
            "menu",
            "breadcrumb",
            "breadcrumbs",
            "skiplink",
        ],
    ),
];

/// Tags and roles that are furniture whatever their class.
fn furniture_by_tag(node: &NodeRef<'_>) -> Option<&'static str> {
    let name = node.node_name()?.to_ascii_lowercase();
    let role = node
        .attr("role")
        .map(|r| r.to_ascii_lowercase())
        .unwrap_or_default();
    if name == "nav" || role == "navigation" {
        return Some("navigation");
    }
    if name == "dialog"
        || role == "dialog"
        || role == "alertdialog"
        || node.attr("aria-modal").is_some_and(|v| &*v == "true")
    {
        return Some("cookie or consent banner");
    }
    if matches!(
        name.as_str(),
        "form" | "button" | "input" | "select" | "textarea"
    ) {
        return Some("forms and buttons");
    }
    if node.has_attr("hidden") || node.attr("aria-hidden").is_some_and(|v| &*v == "true") {
        return Some("hidden elements");
    }
    if (name == "footer" || role == "contentinfo")
        && !node
            .ancestors_it(None)
            .any(|a| a.node_name().is_some_and(|n| &*n == "article"))
    {
        return Some("the site's footer");
    }
    None
}

/// What `node` is, if it is page furniture.
fn furniture(node: &NodeRef<'_>) -> Option<&'static str> {
    let name = node.node_name()?.to_ascii_lowercase();
    if matches!(name.as_str(), "html" | "body" | "main" | "article") {
        return None;
    }
    if let Some(kind) = furniture_by_tag(node) {
        return Some(kind);
    }
    let words = format!(
        "{} {}",
        node.attr("class").unwrap_or_default(),
        node.attr("id").unwrap_or_default()
    )
    .to_ascii_lowercase();
    let tokens: Vec<&str> = words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    FURNITURE
        .iter()
        .find(|(_, names)| tokens.iter().any(|t| names.contains(t)))
        .map(|(kind, _)| *kind)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Remove the furniture of `doc`; returns what was removed, with the words it held.
fn remove_furniture(doc: &Document) -> Vec<(&'static str, usize)> {
    let page_words = word_count(&doc.select("body").text());
    let mut removed: Vec<(&'static str, usize)> = Vec::new();
    let mut gone = std::collections::HashSet::new();
    for node in doc.select("body *").nodes() {
        if node.ancestors_it(None).any(|a| gone.contains(&a.id)) {
            continue;
        }
        let Some(kind) = furniture(node) else {
            continue;
        };
        let words = word_count(&node.text());
        // Never the article itself, however its wrapper is named.
        if page_words > 0 && words * 5 > page_words * 2 {
            continue;
        }
        gone.insert(node.id);
        removed.push((kind, words));
    }
    for node in doc.select("body *").nodes() {
        if gone.contains(&node.id) {
            node.remove_from_parent();
        }
    }
    removed
}

/// Say what was removed, kind by kind.
fn furniture_note(removed: &[(&'static str, usize)]) -> Option<String> {
    if removed.is_empty() {
        return None;
    }
    let mut kinds: Vec<(&str, usize, usize)> = Vec::new();
    for &(kind, words) in removed {
        match kinds.iter_mut().find(|(k, ..)| *k == kind) {
            Some(k) => {
                k.1 += 1;
                k.2 += words;
            }
            None => kinds.push((kind, 1, words)),
        }
    }
    let parts: Vec<String> = kinds
        .iter()
        .map(|(k, n, w)| match n {
            1 => format!("{k} ({w} words)"),
            n => format!("{k} ×{n} ({w} words)"),
        })
        .collect();
    Some(format!("left out as page furniture: {}", parts.join(", ")))
}

/// Read the article and metadata of the page `html`, fetched from `page_url` if it was.
pub fn extract(html: &str, page_url: Option<&str>) -> Extracted {
    let doc = Document::from(html);
    let meta = meta::read(&doc, page_url);
    let mut notes = meta.notes.clone();
    let base = page_url
        .map(str::to_owned)
        .or_else(|| meta.url.as_ref().map(|u| u.value.clone()));

    doc.select("script, style, noscript, template").remove();
    let page_words = word_count(&doc.select("body").text());
    let removed = remove_furniture(&doc);
    notes.extend(furniture_note(&removed));
    let cleaned = doc.html().to_string();

    let config = dom_smoothie::Config::default();
    let grabbed =
        dom_smoothie::Readability::with_document(doc, base.as_deref(), Some(config.clone()))
            .or_else(|_| {
                dom_smoothie::Readability::with_document(
                    Document::from(cleaned.as_str()),
                    None,
                    Some(config),
                )
            })
            .and_then(|mut r| r.parse());
    let (content, html_title, byline) = match grabbed {
        Ok(article) => (
            article.content.to_string(),
            Some(article.title).filter(|t| !t.trim().is_empty()),
            article.byline,
        ),
        Err(e) => {
            notes.push(format!(
                "could not tell the article from the rest of the page ({e}): the whole page's text was kept; delete what is not the article"
            ));
            let body = Document::from(cleaned.as_str())
                .select("body")
                .inner_html()
                .to_string();
            (body, None, None)
        }
    };

    let content = Document::from(content.as_str());
    let media = content.select("img, picture, video, audio, iframe, svg, object, embed, canvas");
    let media_count = media
        .nodes()
        .iter()
        .filter(|n| {
            !n.ancestors_it(None).any(|a| {
                a.node_name().is_some_and(|t| {
                    matches!(&*t, "picture" | "video" | "audio" | "svg" | "object")
                })
            })
        })
        .count();
    media.remove();
    if media_count > 0 {
        notes.push(format!(
            "left out {media_count} image{} or embed{} (a source is text; captions are kept)",
            plural(media_count),
            plural(media_count)
        ));
    }
    let unlinked = fix_links(&content, base.as_deref());
    if unlinked > 0 {
        notes.push(format!(
            "{unlinked} link{} leading within the page or to an unknown address {} kept as plain text",
            plural(unlinked),
            if unlinked == 1 { "was" } else { "were" }
        ));
    }
    let article_text = content.select("body").text().to_string();
    let md = content.md(None).to_string();
    let md = minimize_escapes(&escape_references(&md));
    let body = md.trim().to_owned();

    if let Some(at) = first_difference(&article_text, &rendered_text(&body, Trust::Untrusted)) {
        notes.push(format!(
            "the Markdown does not render to exactly the page's text near «{at}»: compare the two before quoting from there"
        ));
    }
    let kept = word_count(&article_text);
    if page_words > kept {
        notes.push(format!(
            "kept {kept} of the page's {page_words} words as the article; the rest (the headline and byline, which are in the front matter, and the page's menus, links, header and footer) was left out: compare with the page if in doubt"
        ));
    }
    Extracted {
        meta,
        html_title,
        byline,
        body,
        notes,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Make every link of `doc` absolute, or plain text where it cannot be (a link
/// within the page, or relative with no address to resolve it against, or to
/// something other than the web or mail). Returns how many became text.
fn fix_links(doc: &Document, base: Option<&str>) -> usize {
    let mut unlinked = 0;
    for a in doc.select("a").nodes() {
        let href = a
            .attr("href")
            .map(|h| h.trim().to_owned())
            .unwrap_or_default();
        let lower = href.to_ascii_lowercase();
        if lower.starts_with("mailto:") {
            continue;
        }
        let target = if href.is_empty() || href.starts_with('#') {
            None
        } else {
            meta::absolute(&href, base)
        };
        match target {
            Some(t) => a.set_attr("href", &t),
            None => {
                if !href.is_empty() {
                    unlinked += 1;
                }
                // The link's content in its place (dom_query's `unwrap_node` removes the parent).
                if let Some(first) = a.first_child() {
                    a.insert_siblings_before(&first);
                }
                a.remove_from_parent();
            }
        }
    }
    unlinked
}

/// Where the rendered text `rendered` first differs from the page's text
/// `page`, white space aside: a few words of the page from there.
fn first_difference(page: &str, rendered: &str) -> Option<String> {
    let squash = |s: &str| -> Vec<(char, usize)> {
        s.char_indices()
            .filter(|(_, c)| {
                !c.is_whitespace()
                    && !matches!(
                        c,
                        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
                    )
            })
            .map(|(i, c)| (c, i))
            .collect()
    };
    let a = squash(page);
    let b = squash(rendered);
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x.0 != y.0)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))?;
    let (text, offset) = match a.get(at) {
        Some(&(_, i)) => (page, i),
        None => match b.get(at) {
            Some(&(_, i)) => (rendered, i),
            None => (page, page.len()),
        },
    };
    let start = text[..offset]
        .char_indices()
        .rev()
        .nth(20)
        .map_or(0, |(i, _)| i);
    Some(excerpt(
        &text[start..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        60,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_that_lead_nowhere_become_their_text_in_place() {
        let d = Document::from(
            r#"<p>See <a href="/a">the <em>statement</em></a>, <a href="rel.html">this</a>, <a href="https://x.example/">that</a> and <a href="javascript:x()">not this</a>.</p><p>Next.</p>"#,
        );
        assert_eq!(fix_links(&d, None), 3);
        assert_eq!(
            d.md(None).trim(),
            "See the *statement*, this, [that](https://x.example/) and not this.\n\nNext."
        );
        let d = Document::from(r#"<p><a href="/a">the statement</a></p>"#);
        assert_eq!(fix_links(&d, Some("https://news.example/x/y")), 0);
        assert_eq!(d.md(None).trim(), "[the statement](https://news.example/a)");
    }

    #[test]
    fn differences_are_found_white_space_aside() {
        assert_eq!(first_difference("a b\n c", "a\nb c"), None);
        let d = first_difference("one two three", "one two thr3e").unwrap();
        assert!(d.contains("three"), "{d}");
        assert!(first_difference("one two", "one two three").is_some());
    }
}
