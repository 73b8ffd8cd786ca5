//! The search page and its index (`search/`, `pagefind/`), on the example
//! briefing: the index is made in the same run as the site, the same bytes on
//! every build, with a record for every claim and every quoted passage; an
//! edit makes it again; and in a real browser (Debian's chromium through
//! chromedriver, as in `tests/browser.rs`), under a URL prefix, typing finds a
//! passage whose link lands on the marked passage, and a verdict filter narrows
//! the results.
//!
//! `.ci/run` installs chromium and chromium-driver. Elsewhere, without them,
//! the browser test says so and does nothing; under CI it fails instead.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use factbrief::pipeline::Pipeline;
use factbrief::render::RenderOptions;
use factbrief::BuildOptions;
use serde_json::{json, Value};

use common::webdriver::{browser_available, serve_dir_logged, wait_until, Browser, Look};
use common::{build_ok, repo_root, snapshot_dir, write_files};

/// The files under `pagefind/` of a built folder.
fn index_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot_dir(out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("pagefind/"))
        .collect()
}

/// Pagefind's compressed files: gzip of `pagefind_dcd` and the data.
fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip file");
    assert!(out.starts_with(b"pagefind_dcd"), "Pagefind's signature");
    out.split_off(12)
}

/// Every record of a built index (its fragments), by URL.
fn fragments(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        if !path.starts_with("pagefind/fragment/") {
            continue;
        }
        let v: Value = serde_json::from_slice(&inflate(bytes)).expect("JSON");
        // A fragment file holds one record, or (on a large site) a group of them by hash.
        let records: Vec<Value> = if v.get("url").is_some() {
            vec![v]
        } else {
            v.as_object().unwrap().values().cloned().collect()
        };
        for r in records {
            out.insert(r["url"].as_str().unwrap().to_owned(), r);
        }
    }
    out
}

fn entry(files: &BTreeMap<String, Vec<u8>>) -> Value {
    serde_json::from_slice(&files["pagefind/pagefind-entry.json"]).unwrap()
}

#[test]
fn the_index_is_the_same_on_every_build() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build_ok(&repo_root(), &a);
    build_ok(&repo_root(), &b);
    let (ia, ib) = (index_files(&a), index_files(&b));
    assert!(ia.len() > 10, "{:?}", ia.keys());
    assert!(ia == ib, "two builds wrote different search indexes");
    // In memory too, and the same as on disk.
    let files = common::render_example(None).files();
    let memory: BTreeMap<String, Vec<u8>> = files
        .iter()
        .filter(|(p, _)| p.starts_with("pagefind/"))
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
    assert!(
        memory == ia,
        "the in-memory index differs from the built one"
    );
}

#[test]
fn the_index_holds_every_claim_and_every_quoted_passage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo_root(), &out);
    let files = index_files(&out);

    // Only what the search page loads: no ready-made UI, no highlighting script.
    let names: BTreeSet<&str> = files.keys().map(|p| &p["pagefind/".len()..]).collect();
    for n in &names {
        let known = [
            "pagefind.js",
            "pagefind-worker.js",
            "pagefind-entry.json",
            "wasm.en.pagefind",
        ]
        .contains(n)
            || (n.starts_with("pagefind.en_") && n.ends_with(".pf_meta"))
            || n.starts_with("index/")
            || n.starts_with("filter/")
            || n.starts_with("fragment/")
            || *n == "shards.json";
        assert!(known, "unexpected file pagefind/{n}");
    }
    assert!(names.contains("pagefind.js") && names.contains("wasm.en.pagefind"));

    let pipeline = common::render_example(None);
    let site = pipeline.site().unwrap();
    let records = fragments(&files);
    assert_eq!(
        entry(&files)["languages"]["en"]["page_count"],
        json!(records.len())
    );

    // A record per claim, with its verdict.
    let claims: Vec<_> = records
        .values()
        .filter(|r| r["url"].as_str().unwrap().starts_with("claims/"))
        .collect();
    assert_eq!(claims.len(), site.content.claims.len());
    for (id, doc) in site.content.claims.iter() {
        let r = &records[&format!("claims/{id}/")];
        assert_eq!(r["meta"]["title"], json!(doc.meta.claim));
        assert_eq!(r["filters"]["type"], json!(["Claim"]));
        let label = &site.verdict(&site.claims[id]).unwrap().label;
        assert_eq!(r["meta"]["verdict"], json!(label));
        assert_eq!(r["filters"]["verdict"], json!([label]));
        assert!(r["content"].as_str().unwrap().starts_with(&doc.meta.claim));
    }

    // A record per quoted passage: its URL is the passage's anchor on the
    // source page, its text is the marked text there, and it names every claim quoting it.
    let mut quoted = 0;
    let mut shared = 0;
    for (id, doc) in site.content.claims.iter() {
        for (i, ev) in doc.meta.evidence.iter().enumerate() {
            if ev.quote.is_none() {
                continue;
            }
            quoted += 1;
            let name = format!("q-{}-{}", id.replace('/', "--"), i + 1);
            let page =
                fs::read_to_string(out.join(format!("sources/{}/index.html", ev.source))).unwrap();
            let marked = common::marked_text(&page, &name);
            let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            let claim_url = format!("claims/{id}/");
            let record = records
                .values()
                .find(|r| {
                    r["url"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("sources/{}/#q-", ev.source))
                        && r["content"].as_str().unwrap() == words(&marked)
                        && r["filters"]["claim"]
                            .as_array()
                            .unwrap()
                            .contains(&json!(claim_url))
                })
                .unwrap_or_else(|| panic!("no record for {name}: {marked:?}"));
            let anchor = record["url"].as_str().unwrap().split_once('#').unwrap().1;
            assert_eq!(
                page.matches(&format!("id=\"{anchor}\"")).count(),
                1,
                "{anchor}"
            );
            assert_eq!(
                record["meta"]["title"],
                json!(site.content.sources[&ev.source].meta.title)
            );
            assert_eq!(record["filters"]["type"], json!(["Passage"]));
            let stance = match ev.stance.key() {
                "supports" => "Supports",
                "contradicts" => "Contradicts",
                _ => "Context",
            };
            assert!(record["filters"]["stance"]
                .as_array()
                .unwrap()
                .contains(&json!(stance)));
            // The statements in `claims` pair with the URLs of the `claim` filter.
            let urls = record["filters"]["claim"].as_array().unwrap();
            let statements: Vec<&str> = record["meta"]["claims"]
                .as_str()
                .unwrap()
                .split('\n')
                .collect();
            assert_eq!(urls.len(), statements.len());
            let at = urls.iter().position(|u| *u == json!(claim_url)).unwrap();
            assert_eq!(statements[at], doc.meta.claim);
            if urls.len() > 1 {
                shared += 1;
            }
        }
    }
    let passages = records.len() - claims.len();
    assert!(
        passages > 40 && passages <= quoted,
        "{passages} passage records for {quoted} quotes"
    );
    assert!(
        shared > 0,
        "the example has passages quoted by several claims"
    );
}

#[test]
fn the_search_page_works_without_javascript_as_links_to_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo_root(), &out);
    let html = fs::read_to_string(out.join("search/index.html")).unwrap();
    // The search box is hidden until the script has loaded the index.
    assert!(html.contains("<div class=\"search\" id=\"search\" data-root=\"../\" data-words=\""));
    assert!(html.contains("\" hidden>\n<form class=\"search-form\""));
    // Its words, in the briefing's language, for the script.
    assert!(html.contains("&quot;status_query&quot;:&quot;{results} for “{query}”.&quot;"));
    for link in ["../claims/", "../sources/"] {
        assert!(html.contains(&format!("<a href=\"{link}\">")), "{link}");
    }
    assert!(html.contains("<script type=\"module\" src=\"../search.js\"></script>"));
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap()];
        let handler = tag.split_whitespace().skip(1).any(|a| {
            a.split_once('=').is_some_and(|(name, _)| {
                name.starts_with("on") && name.chars().all(|c| c.is_ascii_alphabetic())
            })
        });
        assert!(!handler, "an inline event handler: <{tag}>");
    }
    assert!(out.join("search.js").is_file());
    // Not in the sitemap: it has no content of its own.
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/search/"));
}

#[test]
fn the_language_picks_the_stemmer_and_no_tag_reaches_a_file_name() {
    for (tag, language, module) in [
        ("de-AT", "de", "wasm.de.pagefind"),
        ("ja", "ja", "wasm.unknown.pagefind"),
        ("../../x", "unknown", "wasm.unknown.pagefind"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        common::small_site(&root);
        common::replace_in(
            &root,
            "content/_index.md",
            "title = \"Test briefing\"",
            &format!("title = \"Test briefing\"\nlanguage = \"{tag}\""),
        );
        let out = dir.path().join("out");
        build_ok(&root, &out);
        let files = index_files(&out);
        let e = entry(&files);
        let langs: Vec<&String> = e["languages"].as_object().unwrap().keys().collect();
        assert_eq!(langs, [language], "{tag}");
        assert_eq!(
            e["languages"][language]["page_count"],
            json!(2),
            "a claim and a passage"
        );
        let wasm: Vec<&String> = files
            .keys()
            .filter(|p| p.starts_with("pagefind/wasm."))
            .collect();
        assert_eq!(wasm, [&format!("pagefind/{module}")], "{tag}");
        assert!(files.keys().all(|p| !p.contains("..")));
    }
}

/// A copy of the example briefing (content, templates, static) in `root`.
fn copy_example(root: &Path) {
    for sub in ["content", "templates", "static"] {
        let from = repo_root().join(sub);
        for (rel, bytes) in snapshot_dir(&from) {
            let to = root.join(sub).join(rel);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::write(to, bytes).unwrap();
        }
    }
}

#[test]
fn an_edit_makes_the_index_again_with_the_listings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example(&root);
    let options = BuildOptions::new(&root);
    let mut pipeline = Pipeline::open(options.clone(), RenderOptions::default()).unwrap();
    pipeline.build().unwrap();
    let before: BTreeSet<String> = pipeline
        .files()
        .keys()
        .filter(|p| p.starts_with("pagefind/"))
        .map(|p| p.to_string())
        .collect();

    common::replace_in(
        &root,
        "content/claims/call-lasted-two-hours.md",
        "lasted about two hours",
        "lasted about two and a half hours",
    );
    let edited = vec![root.join("content/claims/call-lasted-two-hours.md")];
    // The edited pages first: the index waits for the listings.
    let fast = pipeline.apply_fast(&edited).unwrap();
    assert!(
        fast.paths.iter().all(|p| !p.starts_with("pagefind/")),
        "{:?}",
        fast.paths
    );
    let rest = pipeline.finish().unwrap().expect("the listings");
    // The search page itself is the same (it is not rendered again, its
    // context unchanged); its index is made again.
    assert!(rest
        .paths
        .contains(&"pagefind/pagefind-entry.json".to_owned()));
    let after: BTreeSet<String> = pipeline
        .files()
        .keys()
        .filter(|p| p.starts_with("pagefind/"))
        .map(|p| p.to_string())
        .collect();
    assert_ne!(before, after, "the index changed with the claim");
    // Every file reported is there, and the old index's files are gone: the
    // same files as a full build of the edited site.
    for p in rest.paths.iter().filter(|p| p.starts_with("pagefind/")) {
        assert!(after.contains(p), "{p}");
    }
    let mut full = Pipeline::open(options, RenderOptions::default()).unwrap();
    full.build().unwrap();
    let (inc, whole) = (pipeline.files(), full.files());
    let index = |f: &factbrief::Files| -> Vec<(String, Vec<u8>)> {
        f.iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect()
    };
    assert!(
        index(&inc) == index(&whole),
        "the rebuilt index differs from a full build's"
    );
    let records = fragments(&index(&inc).into_iter().collect());
    assert!(records["claims/call-lasted-two-hours/"]["meta"]["title"]
        .as_str()
        .unwrap()
        .contains("two and a half hours"));
    // The index files are counted with the static files, not as pages.
    assert!(pipeline.static_paths().contains("pagefind/pagefind.js"));
}

// ---------------------------------------------------------------------------
// In a real browser.

#[test]
fn in_a_browser_typing_finds_a_passage_that_links_to_its_mark() {
    if !browser_available("search") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo_root(), &out);
    search_in_browser(&out, "troops", None);
}

#[test]
fn in_a_browser_a_sharded_index_is_searched_whole() {
    if !browser_available("search") {
        return;
    }
    // More records than one shard holds: one source of numbered sentences,
    // quoted a hundred at a time by claims of three verdicts.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let passages = factbrief::render::search::SHARD_RECORDS + 100;
    let claims = passages.div_ceil(100);
    let mut text = String::new();
    for i in 0..passages {
        text.push_str(&format!(
            "Sentence {i} tells of harbour works number {i}.\n\n"
        ));
    }
    let mut files = vec![
        ("content/_index.md".to_owned(), "+++\ntitle = \"Harbours\"\n+++\n".to_owned()),
        (
            "content/sources/log.md".to_owned(),
            format!("+++\ntitle = \"The log\"\noutlet = \"Port office\"\npublished = 2021-12-30\n+++\n\n{text}"),
        ),
    ];
    for c in 0..claims {
        let verdict = ["true", "false", "mixed"][c % 3];
        let mut claim =
            format!("+++\nclaim = \"Claim {c} on the port.\"\nverdict = \"{verdict}\"\n");
        for i in (c * 100)..((c + 1) * 100).min(passages) {
            claim.push_str(&format!("\n[[evidence]]\nsource = \"log\"\nstance = \"supports\"\nquote = \"Sentence {i} tells of harbour works\"\n"));
        }
        claim.push_str("+++\n");
        files.push((format!("content/claims/c{c}.md"), claim));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_files(&root, &files);
    let out = dir.path().join("public");
    build_ok(&root, &out);
    let shards: Vec<String> =
        serde_json::from_slice(&fs::read(out.join("pagefind/shards.json")).unwrap()).unwrap();
    assert!(!shards.is_empty(), "the index is in shards");
    // Every passage is found: the shards are merged.
    search_in_browser(&out, "harbour", Some(passages as u64));
}

/// In headless Chromium, with `out` served under `/brief/`: typing `query` on
/// search/ finds passages, whose link lands on the marked passage; `?q=` fills
/// the box; a verdict filter narrows the results; nothing is asked for
/// outside the prefix or from another host. `total`: how many results the query has.
fn search_in_browser(out: &Path, query: &str, total: Option<u64>) {
    // Served under a prefix the site was not told about: only relative URLs work.
    let (site_port, asked) = serve_dir_logged(out, "/brief/");
    let base = format!("http://127.0.0.1:{site_port}/brief/");
    let b = Browser::start(Look {
        size: (1024, 768),
        dark: false,
    });
    let run = |script: &str| b.run(script, json!([]));
    let go = |url: &str| b.goto(url);
    let ready =
        || run("var s = document.getElementById('search'); return s ? s.dataset.state || '' : ''");
    let results = || {
        run("return document.querySelectorAll('#search-results > li').length")
            .as_u64()
            .unwrap_or(0)
    };

    // Type a word: results come, among them a quoted passage.
    go(&format!("{base}search/"));
    wait_until("the index", || ready() == json!("ready"));
    assert_eq!(
        run("return document.getElementById('search').hidden"),
        json!(false)
    );
    assert_eq!(
        run("return document.getElementById('search-nojs').hidden"),
        json!(true)
    );
    b.type_into("#search-q", query);
    wait_until("passage results", || {
        run("return document.querySelectorAll('#search-results .search-passage').length").as_u64()
            > Some(0)
    });
    // The status line is written after the results it counts: wait for it too.
    let said = format!("for “{query}”");
    wait_until("the status line", || {
        run("return document.getElementById('search-status').textContent")
            .as_str()
            .is_some_and(|s| s.contains(&said))
    });
    assert_eq!(run("return location.search"), json!(format!("?q={query}")));
    // The passage names the claims quoting it, linked.
    let quoted_by = run("return [...document.querySelectorAll('#search-results .search-passage .search-quoted-by a')].map(a => a.getAttribute('href'))");
    let quoted_by = quoted_by.as_array().unwrap();
    assert!(!quoted_by.is_empty());
    for href in quoted_by {
        assert!(
            href.as_str().unwrap().starts_with("/brief/claims/"),
            "{href}"
        );
    }

    // Follow the first passage: it lands on the marked passage of the source.
    let href = run("return document.querySelector('#search-results .search-passage .search-passage-link').getAttribute('href')");
    let href = href.as_str().unwrap().to_owned();
    assert!(
        href.starts_with("/brief/sources/") && href.contains("/#q-"),
        "{href}"
    );
    b.click("#search-results .search-passage .search-passage-link");
    wait_until("the source page", || {
        run("return location.pathname.indexOf('/brief/sources/') === 0 && document.readyState === 'complete'") == json!(true)
    });
    let landed = run("var h = location.hash; var e = h && document.getElementById(h.slice(1)); return [h, !!e, !!document.querySelector(':target'), e ? (e.matches('mark') || !!(e.nextElementSibling && e.nextElementSibling.matches('mark'))) : false]");
    let hash = format!("#{}", href.split_once('#').unwrap().1);
    assert_eq!(landed[0], json!(hash));
    assert_eq!(
        landed[1],
        json!(true),
        "the passage's element exists: {landed}"
    );
    assert_eq!(landed[2], json!(true), "it is the target: {landed}");
    assert_eq!(
        landed[3],
        json!(true),
        "it is (or is right before) a mark: {landed}"
    );

    // `?q=` fills the box and searches; a verdict filter narrows the results.
    // How many results the status line counts (the list shows them 20 at a time).
    let found = || {
        run("var m = /^(\\d+) results?/.exec(document.getElementById('search-status').textContent); return m ? +m[1] : 0")
            .as_u64()
            .unwrap_or(0)
    };
    go(&format!("{base}search/?q={query}"));
    // The status line is written after the results it counts: wait for both.
    wait_until("the results of ?q=", || {
        ready() == json!("ready") && results() > 0 && found() > 0
    });
    assert_eq!(
        run("return document.getElementById('search-q').value"),
        json!(query)
    );
    let all = found();
    assert!(all > 0);
    if let Some(total) = total {
        assert_eq!(all, total, "every record that has the word");
    }
    // Open the verdict filter and choose the first verdict of the scale that is among the results.
    b.click("#search-filters details[data-filter=verdict] summary");
    let label = run("var b = [...document.querySelectorAll('#search-filters input[data-filter=verdict]')].find(b => /\\((?!0\\))\\d+\\)/.test(b.parentElement.textContent)); b.id = 'chosen-verdict'; return b.value");
    let label = label.as_str().unwrap().to_owned();
    b.click("#chosen-verdict");
    wait_until("the filtered results", || {
        let n = found();
        n > 0 && n < all && results() > 0
    });
    // Every claim left has that verdict.
    let verdicts = run("return [...document.querySelectorAll('#search-results .search-claim .verdict')].map(v => v.textContent.replace('Verdict: ', ''))");
    for v in verdicts.as_array().unwrap() {
        assert_eq!(v, &json!(label));
    }
    let status = run("return document.getElementById('search-status').textContent");
    assert!(
        status.as_str().unwrap().contains("with the filters chosen"),
        "{status}"
    );

    // Nothing was asked for outside the prefix, nor from any other host.
    let outside: Vec<String> = asked
        .lock()
        .unwrap()
        .iter()
        // The browser's own request for an icon aside.
        .filter(|p| !p.starts_with("/brief/") && *p != "/favicon.ico")
        .cloned()
        .collect();
    assert!(outside.is_empty(), "asked outside /brief/: {outside:?}");
    assert!(asked
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.starts_with("/brief/pagefind/") && p.contains("/fragment/")));
    let hosts = run("return performance.getEntriesByType('resource').map(e => new URL(e.name).host).filter(h => h !== location.host)");
    assert_eq!(hosts, json!([]));
}

#[test]
fn the_index_of_a_site_with_no_quotes_still_loads() {
    // A claim citing a source as a whole: one record, and a working index.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_files(
        &root,
        &[
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            ("content/sources/s.md", "+++\ntitle = \"S\"\noutlet = \"O\"\npublished = 2021-12-30\n+++\nText.\n"),
            ("content/claims/c.md", "+++\nclaim = \"A claim.\"\nverdict = \"false\"\n[[evidence]]\nsource = \"s\"\nstance = \"contradicts\"\n+++\n"),
        ],
    );
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let files = index_files(&out);
    assert_eq!(entry(&files)["languages"]["en"]["page_count"], json!(1));
    assert!(fragments(&files).contains_key("claims/c/"));
}

#[test]
fn a_source_in_another_language_is_indexed_as_that_language() {
    // The Arabic briefing cites an English wire story: its passages are a
    // shard of their own, in English, which the page merges as English.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_ok(&repo_root().join("tests/fixtures/i18n-ar"), &out);
    let files = index_files(&out);
    let shards: Vec<String> = serde_json::from_slice(&files["pagefind/shards.json"]).unwrap();
    assert_eq!(shards, ["lang-en-0/"]);
    let en: Value =
        serde_json::from_slice(&files["pagefind/lang-en-0/pagefind-entry.json"]).unwrap();
    assert!(en["languages"].get("en").is_some(), "{en}");
    let ar = entry(&files);
    assert!(ar["languages"].get("ar").is_some(), "{ar}");
    assert!(ar["languages"].get("en").is_none(), "{ar}");
}

#[test]
fn in_a_browser_japanese_text_is_found_by_a_word_inside_it() {
    if !browser_available("search") {
        return;
    }
    // Japanese has no spaces between words: Pagefind's `extended` build
    // segments it, so a word from the middle of a sentence finds the passage.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_ok(&repo_root().join("tests/fixtures/i18n-ja"), &out);
    let (port, _) = serve_dir_logged(&out, "/");
    let b = Browser::start(Look {
        size: (1024, 768),
        dark: false,
    });
    for (word, wanted) in [("港", true), ("発表", true), ("ロンドン", false)] {
        b.goto(&format!("http://127.0.0.1:{port}/search/?q={word}"));
        let mut n = 0;
        wait_until("the index", || {
            let state = b.run(
                "var s = document.getElementById('search'); return [s.dataset.state || '', document.querySelectorAll('#search-results .search-passage').length, document.getElementById('search-status').textContent]",
                json!([]),
            );
            n = state[1].as_u64().unwrap_or(0);
            state[0] == json!("ready") && !state[2].as_str().unwrap_or("").is_empty()
        });
        assert_eq!(n > 0, wanted, "{word}: {n} passages");
    }
}
