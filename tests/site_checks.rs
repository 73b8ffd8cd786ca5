//! Whole-site checks of the example briefing's output: every internal link and
//! anchor resolves (with and without a base URL prefix), no page asks another
//! host for anything, and the HTML is valid (Nu Html Checker, installed by `.ci/run`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn build_example(out: &Path, base_url: Option<&str>) -> BTreeMap<String, String> {
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    if let Some(b) = base_url {
        args.extend(["--base-url", b]);
    }
    let o = common::run(&common::repo_root(), &args);
    assert!(o.status.success(), "{}", common::texts(&o).1);
    common::snapshot_dir(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// Values of `attr="..."` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> impl Iterator<Item = &'a str> + 'a {
    let pat = format!(" {attr}=\"");
    let starts: Vec<usize> = html
        .match_indices(&pat)
        .map(|(i, _)| i + pat.len())
        .collect();
    starts.into_iter().map(move |i| {
        let rest = &html[i..];
        &rest[..rest.find('"').unwrap()]
    })
}

/// Resolve `href` found in page `page` (relative path) against the site root, stripping `prefix`.
fn resolve(page: &str, href: &str, prefix: &str) -> Option<(String, Option<String>)> {
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = if let Some(abs) = path.strip_prefix('/') {
        let rest = abs.strip_prefix(prefix.trim_start_matches('/'))?;
        rest.split('/').collect()
    } else if path.is_empty() {
        return Some((page.to_owned(), frag));
    } else {
        let mut base: Vec<&str> = page.split('/').collect();
        base.pop();
        base.extend(path.split('/'));
        base
    };
    let mut out: Vec<&str> = Vec::new();
    for p in parts.drain(..) {
        match p {
            "." | "" => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    let mut target = out.join("/");
    if path.ends_with('/') || target.is_empty() {
        target = if target.is_empty() {
            "index.html".into()
        } else {
            format!("{target}/index.html")
        };
    }
    Some((target, frag))
}

fn check_links(
    pages: &BTreeMap<String, String>,
    all_files: &BTreeSet<String>,
    prefix: &str,
) -> usize {
    let ids: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .map(|(p, h)| (p.as_str(), attrs(h, "id").collect()))
        .collect();
    let mut checked = 0;
    for (page, html) in pages {
        for href in attrs(html, "href").chain(attrs(html, "src")) {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            let (target, frag) = resolve(page, href, prefix)
                .unwrap_or_else(|| panic!("{page}: {href} leaves the site"));
            assert!(
                all_files.contains(&target),
                "{page}: {href} -> {target} does not exist"
            );
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                assert!(
                    ids[target.as_str()].contains(f.as_str()),
                    "{page}: {href}: no id {f} in {target}"
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    for (base, prefix) in [
        // The example's own base_url.
        (None, "/biden-putin-call/"),
        (Some("/"), "/"),
        (
            Some("https://factcheck.example/briefings/call/"),
            "/briefings/call/",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let pages = build_example(&out, base);
        let all: BTreeSet<String> = common::snapshot_dir(&out).into_keys().collect();
        let checked = check_links(&pages, &all, prefix);
        assert!(checked > 500, "only {checked} links checked");
    }
}

#[test]
fn no_page_asks_another_host_for_anything() {
    let dir = tempfile::tempdir().unwrap();
    let pages = build_example(
        &dir.path().join("public"),
        Some("https://factcheck.example/"),
    );
    for (page, html) in &pages {
        for src in attrs(html, "src") {
            assert!(!src.contains("//"), "{page} loads {src}");
        }
        for tag in html.split("<link ").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            if tag.contains("rel=\"stylesheet\"")
                || tag.contains("rel=\"preload\"")
                || tag.contains("rel=\"icon\"")
            {
                assert!(!tag.contains("//"), "{page}: {tag}");
            }
        }
        assert!(!html.contains("@import"), "{page}");
    }
}

#[test]
fn html_is_valid() {
    let jar = common::repo_root().join(".tools/node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        // .ci/run installs the checker; on a developer machine without it, say how.
        common::skip(
            "html_is_valid",
            &format!("no {} (npm install --prefix .tools vnu-jar)", jar.display()),
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, None);
    // The test briefings in other languages too (Arabic: right to left).
    for lang in ["ar", "ja", "fr"] {
        let root = common::repo_root().join(format!("tests/fixtures/i18n-{lang}"));
        let o = common::run(
            &root,
            &["build", "--output", dir.path().join(lang).to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = Command::new("java")
        .args([
            "-jar",
            jar.to_str().unwrap(),
            "--skip-non-html",
            "--errors-only",
            "--format",
            "text",
            "--stdout",
        ])
        .arg(&out)
        .args(["ar", "ja", "fr"].map(|l| dir.path().join(l)))
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "invalid HTML:\n{report}");
}

#[test]
fn resolve_handles_relative_and_prefixed_links() {
    assert_eq!(
        resolve("claims/a/index.html", "../../sources/b/#q-a-1", "/"),
        Some(("sources/b/index.html".into(), Some("q-a-1".into())))
    );
    assert_eq!(
        resolve("index.html", "./", "/"),
        Some(("index.html".into(), None))
    );
    assert_eq!(
        resolve("404.html", "/fc/claims/", "/fc/"),
        Some(("claims/index.html".into(), None))
    );
    assert_eq!(resolve("404.html", "/other/", "/fc/"), None);
    assert_eq!(resolve("index.html", "../x", "/"), None);
}
