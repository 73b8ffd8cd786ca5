//! Checking the rendered site: every internal link and anchor resolves; external
//! links are collected (never fetched).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::link::BaseUrl;
use crate::pipeline::Files;
use crate::site_path::{file_for, percent_decode};

/// A link of the rendered site that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page holding the link (output path).
    pub page: String,
    /// The link as written.
    pub href: String,
    /// Why it does not resolve.
    pub reason: String,
}

/// What the link check found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Internal links checked.
    pub checked: usize,
    /// Those that do not resolve.
    pub broken: Vec<Broken>,
    /// External URLs, each with the pages that link to it.
    pub external: BTreeMap<String, BTreeSet<String>>,
}

/// Check the links of every rendered HTML page in `files`; `statics` are the
/// paths of its static files (targets of links, not checked themselves).
pub fn check(files: &Files, statics: &BTreeSet<String>, base: &BaseUrl) -> LinkReport {
    let exists: HashSet<&str> = files.keys().map(|p| &**p).collect();
    let pages: Vec<(&str, &str)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && !statics.contains(&***p))
        .filter_map(|(p, bytes)| std::str::from_utf8(bytes).ok().map(|h| (&**p, h)))
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = pages
        .iter()
        .map(|&(p, h)| (p, attribute_values(h, "id").collect()))
        .collect();

    let mut report = LinkReport::default();
    for &(page, html) in &pages {
        for href in attribute_values(html, "href").chain(attribute_values(html, "src")) {
            let href_text = unescape_attr(href);
            match classify(&href_text, base) {
                Target::External => {
                    report
                        .external
                        .entry(href_text.clone())
                        .or_default()
                        .insert(page.to_owned());
                    continue;
                }
                Target::Ignore => continue,
                Target::Internal(path) => {
                    report.checked += 1;
                    let broken = |reason: String| Broken {
                        page: page.to_owned(),
                        href: href_text.clone(),
                        reason,
                    };
                    let (target, fragment) = match resolve(page, &path, base) {
                        Some(t) => t,
                        None => {
                            report
                                .broken
                                .push(broken("it points outside the site".into()));
                            continue;
                        }
                    };
                    if !exists.contains(target.as_str()) {
                        report
                            .broken
                            .push(broken(format!("there is no {target} in the site")));
                        continue;
                    }
                    if let Some(f) = fragment.filter(|f| !f.is_empty() && *f != "top") {
                        let found = ids
                            .get(target.as_str())
                            .is_some_and(|set| set.contains(f.as_str()));
                        if !found && target.ends_with(".html") {
                            report
                                .broken
                                .push(broken(format!("{target} has no element with id `{f}`")));
                        }
                    }
                }
            }
        }
    }
    report
}

enum Target {
    /// A path within the site (still to resolve).
    Internal(String),
    External,
    /// `mailto:`, `tel:`, `data:` and the like.
    Ignore,
}

fn classify(href: &str, base: &BaseUrl) -> Target {
    let lower = href.to_ascii_lowercase();
    if let Some(abs) = &base.absolute {
        if let Some(rest) = href.strip_prefix(abs.as_str()) {
            return Target::Internal(format!("{}{rest}", base.path));
        }
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return Target::External;
    }
    match lower.find(':') {
        Some(i) if !lower[..i].contains(['/', '?', '#']) => Target::Ignore,
        _ => Target::Internal(href.to_owned()),
    }
}

/// Resolve `href` (relative, or rooted at the base path) from `page` to an output path and fragment.
fn resolve(page: &str, href: &str, base: &BaseUrl) -> Option<(String, Option<String>)> {
    let href = href.split('?').next().unwrap_or(href);
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((page.to_owned(), fragment));
    }
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = if path.starts_with('/') {
        path.strip_prefix(base.path.as_str())?.split('/').collect()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop();
        p.extend(path.split('/'));
        p
    };
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    let target = file_for(&segments, path.ends_with('/'));
    Some((percent_decode(&target).unwrap_or(target), fragment))
}

/// Values of `name="..."` attributes in the real tags of `html` (not in escaped text).
fn attribute_values<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.split('<')
        .skip(1)
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|t| t.split('>').next())
        .flat_map(move |tag| {
            let mut found = Vec::new();
            let mut rest = tag;
            while let Some(i) = rest.find(name) {
                let before_ok = rest[..i].ends_with([' ', '\n', '\t']);
                let after = &rest[i + name.len()..];
                if before_ok {
                    if let Some(v) = after.strip_prefix("=\"") {
                        if let Some(end) = v.find('"') {
                            found.push(&v[..end]);
                            rest = &v[end..];
                            continue;
                        }
                    }
                }
                rest = after;
            }
            found
        })
}

fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> (std::sync::Arc<str>, crate::pipeline::Bytes) {
        (path.into(), std::sync::Arc::new(html.as_bytes().to_vec()))
    }

    #[test]
    fn finds_broken_links_and_anchors_and_lists_external_ones() {
        let base = BaseUrl::parse("https://x.org/fc/").unwrap();
        let files: Files = [
            page("style.css", ""),
            page("index.html", "<a href=\"claims/a/#q-a-1\">ok</a> <a href=\"claims/a/#nope\">bad anchor</a> <a href=\"claims/b/\">bad page</a> <a href=\"https://elsewhere.org/x\">ext</a> <a href=\"https://x.org/fc/claims/a/\">own</a> <a href=\"mailto:a@b\">m</a> <link href=\"style.css\">"),
            page("claims/a/index.html", "<p id=\"q-a-1\">x</p><a href=\"../../\">home</a><a href=\"/fc/claims/a/\">self</a><a href=\"../../../up\">out</a> &lt;a href=\"nowhere\"&gt;"),
            page("404.html", "<a href=\"/fc/\">home</a>"),
        ]
        .into_iter()
        .collect();
        let r = check(&files, &BTreeSet::from(["style.css".to_owned()]), &base);
        let mut broken: Vec<(&str, &str)> = r
            .broken
            .iter()
            .map(|b| (b.page.as_str(), b.href.as_str()))
            .collect();
        broken.sort();
        assert_eq!(
            broken,
            vec![
                ("claims/a/index.html", "../../../up"),
                ("index.html", "claims/a/#nope"),
                ("index.html", "claims/b/")
            ]
        );
        assert_eq!(
            r.external.keys().collect::<Vec<_>>(),
            vec!["https://elsewhere.org/x"]
        );
        assert_eq!(r.checked, 9);
    }
}
