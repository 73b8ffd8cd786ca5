//! Lists at newsroom scale: pagination, tags, verdicts and outlets.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{build_ok, pages_of, run, texts, write_files};

/// A briefing of `claims` claims and `sources` sources, `per` items a page.
/// Claim `i` cites sources `i % sources` and `(i + 1) % sources`; tags and
/// outlets repeat in cycles (with spellings that slug the same).
fn briefing(root: &Path, claims: usize, sources: usize, per: usize) {
    let mut files: Vec<(String, String)> = vec![(
        "content/_index.md".into(),
        format!(
            "+++\ntitle = \"Desk\"\npublished = 2022-01-05\npaginate_by = {per}\n+++\nOverview.\n"
        ),
    )];
    let outlets = [
        "Le Monde",
        "Коммерсантъ",
        "LE MONDE",
        "Wire Service",
        "El País",
    ];
    for s in 0..sources {
        files.push((
            format!("content/sources/s{s:03}.md"),
            format!(
                "+++\ntitle = \"Report {s}\"\noutlet = \"{}\"\npublished = 2021-{:02}-{:02}\n+++\n\nPassage number {s} says something checkable.\n",
                outlets[s % outlets.len()],
                1 + s % 12,
                1 + s % 28
            ),
        ));
    }
    let verdicts = [
        "true",
        "mostly-true",
        "mixed",
        "mostly-false",
        "false",
        "misleading",
    ];
    let tags = ["Vaccines", "vaccines", "Élections", "Economy"];
    for c in 0..claims {
        let a = c % sources;
        let b = (c + 1) % sources;
        files.push((
            format!("content/claims/c{c:03}.md"),
            format!(
                "+++\nclaim = \"Claim number {c}.\"\nverdict = \"{}\"\nreviewed = 2022-01-{:02}\ntags = [\"{}\", \"Tag {}\"]\n\n[[evidence]]\nsource = \"s{a:03}\"\nstance = \"supports\"\nquote = \"Passage number {a} says\"\n\n[[evidence]]\nsource = \"s{b:03}\"\nstance = \"contradicts\"\n+++\n\nAnalysis.\n",
                verdicts[c % verdicts.len()],
                1 + c % 28,
                tags[c % tags.len()],
                c % 3
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_files(root, &refs);
}

/// The `href`s in `html`.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" href=\"") {
        let after = &rest[i + 7..];
        let end = after.find('"').unwrap();
        out.push(common::unescape(&after[..end]));
        rest = &after[end..];
    }
    out
}

/// `href` on page `page` (a path such as `claims/page/2/index.html`) as a path from the site root.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let href = href.split('#').next().unwrap_or("");
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if href.ends_with('/') || href.is_empty() {
        p.push('/');
    }
    p.trim_start_matches('/').to_owned()
}

/// Follow `rel="next"` from the first page of `list` (`claims/`) and give each
/// page's path and the links of its main content.
fn walk(out: &Path, list: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut path = format!("{list}index.html");
    loop {
        let html = fs::read_to_string(out.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let found: Vec<String> = links(main).iter().map(|h| resolve(&path, h)).collect();
        let next = html.find("<link rel=\"next\" href=\"").map(|i| {
            let after = &html[i + 23..];
            resolve(&path, &after[..after.find('"').unwrap()])
        });
        pages.push((path.clone(), found));
        match next {
            Some(n) => path = format!("{n}index.html"),
            None => break,
        }
    }
    pages
}

/// How often each link to `prefix...` occurs across the pages, leaving out the pages' own navigation.
fn items(pages: &[(String, Vec<String>)], prefix: &str, list: &str) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for (_, links) in pages {
        for l in links {
            if !l.starts_with(prefix) || l == list || l.starts_with(&format!("{list}page/")) {
                continue;
            }
            *seen.entry(l.clone()).or_insert(0) += 1;
        }
    }
    seen
}

fn build(claims: usize, sources: usize, per: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    briefing(&root, claims, sources, per);
    let out = dir.path().join("public");
    build_ok(&root, &out);
    (dir, out)
}

#[test]
fn every_list_links_every_item_exactly_once_across_its_pages() {
    let (_dir, out) = build(23, 37, 5);
    let all_claims: BTreeSet<String> = (0..23).map(|c| format!("claims/c{c:03}/")).collect();
    let all_sources: BTreeSet<String> = (0..37).map(|s| format!("sources/s{s:03}/")).collect();

    let pages = walk(&out, "claims/");
    assert_eq!(pages.len(), 5, "23 claims at 5 a page");
    assert_eq!(pages[1].0, "claims/page/2/index.html");
    let seen = items(&pages, "claims/", "claims/");
    assert_eq!(seen.keys().cloned().collect::<BTreeSet<_>>(), all_claims);
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");

    let pages = walk(&out, "sources/");
    assert_eq!(pages.len(), 8);
    let seen = items(&pages, "sources/", "sources/");
    assert_eq!(seen.keys().cloned().collect::<BTreeSet<_>>(), all_sources);
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");

    // Each verdict's pages hold exactly its claims, and together all claims.
    let mut by_verdict = BTreeSet::new();
    for v in [
        "true",
        "mostly-true",
        "mixed",
        "mostly-false",
        "false",
        "misleading",
        "unproven",
    ] {
        let list = format!("verdicts/{v}/");
        let pages = walk(&out, &list);
        let seen = items(&pages, "claims/", &list);
        assert!(seen.values().all(|n| *n == 1), "{v}: {seen:?}");
        for c in seen.keys() {
            assert!(by_verdict.insert(c.clone()), "{c} under two verdicts");
        }
    }
    assert_eq!(by_verdict, all_claims);

    // "Vaccines" and "vaccines" are one tag; claims 0, 1, 4, 5, ... have it.
    let pages = walk(&out, "tags/vaccines/");
    let seen = items(&pages, "claims/", "tags/vaccines/");
    let want: BTreeSet<String> = (0..23)
        .filter(|c| c % 4 < 2)
        .map(|c| format!("claims/c{c:03}/"))
        .collect();
    assert_eq!(seen.keys().cloned().collect::<BTreeSet<_>>(), want);
    assert!(seen.values().all(|n| *n == 1));
    assert!(
        out.join("tags/elections/index.html").exists(),
        "Élections is transliterated"
    );
    assert!(
        out.join("tags/vaccines/feed.xml").exists(),
        "each tag has its feed"
    );

    // Outlets: "Le Monde" and "LE MONDE" are one outlet; Cyrillic is transliterated.
    let pages = walk(&out, "outlets/le-monde/");
    let seen = items(&pages, "sources/", "outlets/le-monde/");
    let want: BTreeSet<String> = (0..37)
        .filter(|s| s % 5 == 0 || s % 5 == 2)
        .map(|s| format!("sources/s{s:03}/"))
        .collect();
    assert_eq!(seen.keys().cloned().collect::<BTreeSet<_>>(), want);
    assert!(out.join("outlets/kommersant/index.html").exists());
    assert!(out.join("outlets/el-pais/index.html").exists());

    // The timeline has every source and claim once.
    let pages = walk(&out, "timeline/");
    let seen_c = items(&pages, "claims/", "timeline/");
    let seen_s = items(&pages, "sources/", "timeline/");
    assert_eq!(seen_c.keys().cloned().collect::<BTreeSet<_>>(), all_claims);
    assert_eq!(seen_s.keys().cloned().collect::<BTreeSet<_>>(), all_sources);
    assert!(seen_c.values().chain(seen_s.values()).all(|n| *n == 1));

    // The matrix has every claim once, as a row heading.
    let pages = walk(&out, "matrix/");
    assert_eq!(pages.len(), 5);
    let mut rows = BTreeSet::new();
    for (path, _) in &pages {
        let html = fs::read_to_string(out.join(path)).unwrap();
        for part in html.split("<th scope=\"row\"><a href=\"").skip(1) {
            let href = &part[..part.find('"').unwrap()];
            assert!(rows.insert(resolve(path, href)), "{href} twice");
        }
    }
    assert_eq!(rows, all_claims);
}

#[test]
fn pages_link_each_other_accessibly() {
    let (_dir, out) = build(23, 3, 5);
    let p3 = fs::read_to_string(out.join("claims/page/3/index.html")).unwrap();
    assert!(
        p3.contains("<link rel=\"prev\" href=\"../../../claims/page/2/\">"),
        "{p3}"
    );
    assert!(p3.contains("<link rel=\"next\" href=\"../../../claims/page/4/\">"));
    assert!(p3.contains("<nav class=\"pagination\" aria-label=\"Pages\">"));
    assert!(p3.contains("aria-current=\"page\"><span class=\"visually-hidden\">Page </span>3</a>"));
    assert!(p3.contains("<title>All claims (page 3 of 5) · Desk</title>"));
    // Page 2 goes back to the list's own path, not page/1.
    let p2 = fs::read_to_string(out.join("claims/page/2/index.html")).unwrap();
    assert!(p2.contains("<link rel=\"prev\" href=\"../../../claims/\">"));
    assert!(!out.join("claims/page/1").exists());
    assert!(!out.join("claims/page/6").exists());
    let p1 = fs::read_to_string(out.join("claims/index.html")).unwrap();
    assert!(!p1.contains("rel=\"prev\""));
}

#[test]
fn the_front_page_shows_the_latest_checks_and_counts_per_verdict() {
    let (_dir, out) = build(23, 3, 5);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    let cards = index.matches("<li class=\"claim-card\">").count();
    assert_eq!(cards, 5, "paginate_by claims on the front page");
    assert!(index.contains("Latest checks"));
    assert!(index.contains("href=\"./claims/\">All 23 claims</a>"));
    // Counts per verdict, linking to each verdict page: 23 claims over 6 verdicts.
    let count = |key: &str| {
        let at = index.find(&format!("href=\"./verdicts/{key}/\"")).unwrap();
        let at = at + index[at..].find("<span class=\"count\">").unwrap() + 20;
        index[at..at + index[at..].find('<').unwrap()].to_owned()
    };
    assert_eq!(count("true"), "4", "{index}");
    assert_eq!(count("misleading"), "3");
    // Latest check first: claims reviewed 2022-01-23 (c022) come before older ones.
    let first = index.find("claims/c022/").unwrap();
    let other = index.find("claims/c000/").unwrap_or(usize::MAX);
    assert!(first < other);
}

#[test]
fn taxonomy_terms_are_in_the_sitemap_and_pages_link_their_terms() {
    let (_dir, out) = build(4, 2, 50);
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for loc in [
        "tags/",
        "tags/vaccines/",
        "tags/elections/",
        "verdicts/",
        "verdicts/mixed/",
        "outlets/",
        "outlets/le-monde/",
        "outlets/kommersant/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>/{loc}</loc>")),
            "{loc} not in the sitemap"
        );
    }
    let claim = fs::read_to_string(out.join("claims/c002/index.html")).unwrap();
    assert!(
        claim.contains("<a href=\"../../tags/elections/\" rel=\"tag\">Élections</a>"),
        "{claim}"
    );
    assert!(claim.contains("href=\"../../verdicts/mixed/\""));
    let source = fs::read_to_string(out.join("sources/s001/index.html")).unwrap();
    assert!(source.contains("<a href=\"../../outlets/kommersant/\"><bdi>Коммерсантъ</bdi></a>"));
    let tags = fs::read_to_string(out.join("tags/index.html")).unwrap();
    // One use each: the spelling of the latest check wins.
    assert!(
        tags.contains(
            "<a href=\"../tags/vaccines/\"><bdi>vaccines</bdi></a> <span class=\"count\">2<"
        ),
        "{tags}"
    );
    let feed = fs::read_to_string(out.join("tags/vaccines/feed.xml")).unwrap();
    assert!(feed.contains("<title>Desk: vaccines</title>"));
    assert_eq!(feed.matches("<entry>").count(), 2);
}

#[test]
fn a_tag_or_outlet_with_no_usable_slug_is_a_located_error() {
    for (file, from, to, line) in [
        ("content/claims/c001.md", "\"vaccines\"", "\"!!!\"", 5),
        ("content/claims/c001.md", "\"vaccines\"", "\"Page\"", 5),
        ("content/sources/s001.md", "Коммерсантъ", "PAGE", 3),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        briefing(&root, 4, 2, 50);
        common::replace_in(&root, file, from, to);
        let out = dir.path().join("public");
        let o = run(&root, &["build", "--output", out.to_str().unwrap()]);
        let err = texts(&o).1;
        assert!(!o.status.success());
        assert!(err.contains(&format!("{file}:{line}")), "{err}");
        assert!(err.contains("bad-value"), "{err}");
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn a_document_in_the_place_of_a_list_page_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    briefing(&root, 3, 2, 2);
    // Claims list page 2 is claims/page/2/: a claim with that id takes its place.
    let text = fs::read_to_string(root.join("content/claims/c000.md")).unwrap();
    write_files(&root, &[("content/claims/page/2.md", &text)]);
    let o = run(
        &root,
        &[
            "build",
            "--output",
            dir.path().join("out").to_str().unwrap(),
        ],
    );
    let err = texts(&o).1;
    assert!(!o.status.success());
    assert!(err.contains("content/claims/page/2.md"), "{err}");
    assert!(err.contains("claims/page/2/index.html"), "{err}");
    assert!(err.contains("output-collision"), "{err}");
}

#[test]
fn serve_drops_the_pages_of_a_tag_that_went_away_and_of_a_shorter_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    briefing(root, 6, 2, 5);
    let mut p = common::built(root);
    assert!(p.files().contains_key("claims/page/2/index.html"));
    assert!(p.files().contains_key("tags/tag-2/index.html"));
    // Claim 5 had "Tag 2" alone with claim 2; both go: the tag and page 2 of the claims go with them.
    fs::remove_file(root.join("content/claims/c005.md")).unwrap();
    common::replace_in(root, "content/claims/c002.md", "\"Tag 2\"", "\"Tag 1\"");
    let r = p
        .apply(&[
            PathBuf::from("content/claims/c005.md"),
            PathBuf::from("content/claims/c002.md"),
        ])
        .unwrap();
    assert!(!r.full, "{r:?}");
    let files = p.files();
    assert!(!files.contains_key("claims/page/2/index.html"));
    assert!(!files.contains_key("tags/tag-2/index.html"));
    assert!(!files.contains_key("tags/tag-2/feed.xml"));
    assert!(files.contains_key("tags/tag-1/index.html"));
    // The same files as a fresh build.
    let fresh =
        factbrief::build_in_memory(&factbrief::BuildOptions::new(root.to_path_buf())).unwrap();
    let served: BTreeSet<&str> = files.keys().map(|k| &**k).collect();
    let want: BTreeSet<&str> = fresh.files.keys().map(|k| &**k).collect();
    assert_eq!(served, want);
    for (path, bytes) in fresh.files.iter() {
        assert_eq!(files.get(path), Some(bytes), "{path}");
    }
}

#[test]
fn snapshots_of_list_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    briefing(root, 12, 7, 5);
    let p = common::built(root);
    let pages = pages_of(&p);
    for (name, path) in [
        ("list_claims_page_2", "claims/page/2/index.html"),
        ("list_tag", "tags/vaccines/index.html"),
        ("list_verdict", "verdicts/mostly-true/index.html"),
        ("list_outlet", "outlets/le-monde/index.html"),
        ("list_tags_index", "tags/index.html"),
        ("list_timeline_page_2", "timeline/page/2/index.html"),
    ] {
        let html = pages
            .get(path)
            .unwrap_or_else(|| panic!("{path} not rendered"));
        insta::assert_snapshot!(name, html);
    }
}
