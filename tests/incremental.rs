//! Incremental rebuilds equal full builds, byte for byte, over random edit sequences.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use factbrief::pipeline::Pipeline;
use factbrief::render::RenderOptions;
use factbrief::BuildOptions;

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        clean: false,
    }
}

fn render_options() -> RenderOptions {
    RenderOptions {
        inject: Some(|_| "<script>/* live reload */</script>".into()),
        ..RenderOptions::default()
    }
}

/// What a full build of `root` by a fresh pipeline gives, as path -> bytes.
fn full(root: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut p = Pipeline::open(options(root), render_options()).ok()?;
    p.build().ok()?;
    Some(served(&p))
}

/// The warnings of a full build of `root` by a fresh pipeline.
fn full_warnings(root: &Path) -> Vec<factbrief::Diagnostic> {
    let mut p = Pipeline::open(options(root), render_options()).unwrap();
    p.build().unwrap();
    p.warnings().to_vec()
}

fn served(ws: &Pipeline) -> BTreeMap<String, Vec<u8>> {
    ws.files()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect()
}

fn open(root: &Path) -> (Pipeline, factbrief::Result<factbrief::pipeline::Rebuild>) {
    let mut ws = Pipeline::open(options(root), render_options()).unwrap();
    let first = ws.build();
    (ws, first)
}

fn source(i: usize, extra: &str) -> String {
    // Every third source has a warning of its own (a URL that is not a web address).
    let url = if i % 3 == 0 {
        "url = \"ftp://x.org\"\n"
    } else {
        ""
    };
    format!("+++\ntitle = \"Source {i}{extra}\"\noutlet = \"Outlet {i}\"\npublished = 2021-12-{:02}\n{url}+++\n\nShared words here. Unique sentence number {i} of the set.\n\nMore *text* with `code` and [a link](https://x.org/{i}).\n", 1 + i % 28)
}

fn claim(i: usize, verdict: &str, sources: &[usize]) -> String {
    let mut s = format!(
        "+++\nclaim = \"Claim {i}.\"\nverdict = \"{verdict}\"\nclaimed = 2021-12-{:02}\n",
        1 + i % 28
    );
    for (k, src) in sources.iter().enumerate() {
        let stance = ["supports", "contradicts", "context"][k % 3];
        s.push_str(&format!("[[evidence]]\nsource = \"s{src}\"\nstance = \"{stance}\"\nquote = \"Unique sentence number {src}\"\n"));
    }
    s.push_str(&format!(
        "+++\n\nAnalysis of claim {i}, see [the first source](source:s{}).\n",
        sources[0]
    ));
    s
}

#[test]
fn random_edit_sequences_equal_full_builds() {
    for seed in [1u64, 7, 42] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_files(
            root,
            &[
                (
                    "content/_index.md",
                    "+++\ntitle = \"Inc\"\npublished = 2022-01-05\n+++\nOverview.\n",
                ),
                (
                    "content/pages/about.md",
                    "+++\ntitle = \"About\"\nweight = 1\n+++\nAbout.\n",
                ),
            ],
        );
        let mut sources: Vec<usize> = (0..6).collect();
        let mut claims: Vec<usize> = (0..4).collect();
        for &i in &sources {
            write_files(
                root,
                &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
            );
        }
        for &i in &claims {
            write_files(
                root,
                &[(
                    &format!("content/claims/c{i}.md"),
                    &claim(i, "true", &[i, i + 1]),
                )],
            );
        }
        let (mut ws, first) = open(root);
        first.expect("the first build succeeds");
        assert_eq!(Some(served(&ws)), full(root), "first build");
        // Another pipeline given the same saves, as `serve` gives them: the
        // pages open in a browser first (picked by a generator of its own, so
        // that the saves stay those of the seed), then the rest.
        let (mut viewed_ws, _) = open(root);
        let mut pick = Rng(seed.wrapping_mul(0x9e37_79b9) | 1);
        let mut rng = Rng(seed);
        let verdicts = [
            "true",
            "mostly-true",
            "mixed",
            "false",
            "misleading",
            "unproven",
        ];
        let mut next_id = 100;
        for step in 0..40 {
            let mut changed: Vec<PathBuf> = Vec::new();
            let write = |rel: String, text: &str, changed: &mut Vec<PathBuf>| {
                write_files(root, &[(&rel, text)]);
                changed.push(PathBuf::from(rel));
            };
            // Now and then a save that does not build, fixed by the next one.
            if rng.next(8) == 0 {
                let c = claims[rng.next(claims.len())];
                // A quote its source lacks, or front matter that cannot be read.
                let broken = match rng.next(2) {
                    0 => claim(c, "true", &[sources[0]])
                        .replace("Unique sentence", "Missing sentence"),
                    _ => claim(c, "true", &[sources[0]]).replacen("verdict = ", "verdict = = ", 1),
                };
                write_files(root, &[(&format!("content/claims/c{c}.md"), &broken)]);
                let err = ws.apply(&[PathBuf::from(format!("content/claims/c{c}.md"))]);
                assert!(
                    err.is_err(),
                    "seed {seed} step {step}: a missing quote fails"
                );
                let viewed_err = viewed_ws.apply_first(
                    &[PathBuf::from(format!("content/claims/c{c}.md"))],
                    &BTreeSet::new(),
                );
                assert!(viewed_err.is_err(), "seed {seed} step {step}");
                assert_eq!(full(root), None, "seed {seed} step {step}");
                changed.push(PathBuf::from(format!("content/claims/c{c}.md")));
                write_files(
                    root,
                    &[(
                        &format!("content/claims/c{c}.md"),
                        &claim(c, "true", &[sources[0]]),
                    )],
                );
            }
            match rng.next(10) {
                0 => {
                    let c = claims[rng.next(claims.len())];
                    let s1 = sources[rng.next(sources.len())];
                    let s2 = sources[rng.next(sources.len())];
                    let mut text = claim(c, verdicts[rng.next(verdicts.len())], &[s1, s2]);
                    // Now and then what the lists are made of changes too:
                    // tags, when it was claimed or checked; or it becomes a draft.
                    let extra = match rng.next(7) {
                        0 => "tags = [\"Economy\", \"Health\"]\n".to_owned(),
                        1 => format!("tags = [\"Tag {}\"]\n", rng.next(3)),
                        2 => format!("reviewed = 2022-01-{:02}\n", 1 + rng.next(28)),
                        3 => format!("claimed = 2021-10-{:02}\n", 1 + rng.next(28)),
                        4 => "draft = true\n".to_owned(),
                        _ => String::new(),
                    };
                    if let Some(date) = extra.strip_prefix("claimed = ") {
                        let was = format!("claimed = 2021-12-{:02}\n", 1 + c % 28);
                        text = text.replacen(&was, &format!("claimed = {date}"), 1);
                    } else {
                        text = text.replacen("claimed = ", &format!("{extra}claimed = "), 1);
                    }
                    write(format!("content/claims/c{c}.md"), &text, &mut changed);
                }
                1 => {
                    let s = sources[rng.next(sources.len())];
                    let mut text = source(s, &format!(" (rev {step})"));
                    // Now and then its outlet or its date changes.
                    match rng.next(4) {
                        0 => text = text.replacen(&format!("outlet = \"Outlet {s}\""), "outlet = \"Shared Outlet\"", 1),
                        1 => text = text.replacen("published = 2021-12-", "published = 2021-11-", 1),
                        _ => {}
                    }
                    write(format!("content/sources/s{s}.md"), &text, &mut changed);
                }
                2 => {
                    let s = next_id;
                    next_id += 1;
                    sources.push(s);
                    write(format!("content/sources/s{s}.md"), &source(s, ""), &mut changed);
                }
                3 => {
                    // Remove a source no claim cites any more, after re-pointing claims away from it.
                    if sources.len() > 3 {
                        let s = sources.remove(rng.next(sources.len()));
                        for &c in &claims {
                            write(format!("content/claims/c{c}.md"), &claim(c, "mixed", &[sources[0], sources[1]]), &mut changed);
                        }
                        fs::remove_file(root.join(format!("content/sources/s{s}.md"))).unwrap();
                        changed.push(PathBuf::from(format!("content/sources/s{s}.md")));
                        // Now and then one comes in its place in the same save, so the count stays.
                        if rng.next(2) == 0 {
                            let n = next_id;
                            next_id += 1;
                            sources.push(n);
                            write(format!("content/sources/s{n}.md"), &source(n, ""), &mut changed);
                        }
                    }
                }
                4 => {
                    let c = next_id;
                    next_id += 1;
                    claims.push(c);
                    let s = sources[rng.next(sources.len())];
                    write(format!("content/claims/c{c}.md"), &claim(c, "false", &[s]), &mut changed);
                }
                5 => {
                    if claims.len() > 1 {
                        let c = claims.remove(rng.next(claims.len()));
                        fs::remove_file(root.join(format!("content/claims/c{c}.md"))).unwrap();
                        changed.push(PathBuf::from(format!("content/claims/c{c}.md")));
                        if rng.next(2) == 0 {
                            let n = next_id;
                            next_id += 1;
                            claims.push(n);
                            let s = sources[rng.next(sources.len())];
                            write(format!("content/claims/c{n}.md"), &claim(n, "mixed", &[s]), &mut changed);
                        }
                    }
                }
                6 => write("content/pages/about.md".into(), &format!("+++\ntitle = \"About {step}\"\nweight = 1\n+++\nAbout.\n"), &mut changed),
                7 => write("content/_index.md".into(), &format!("+++\ntitle = \"Inc\"\ndescription = \"Step {step}\"\npublished = 2022-01-05\n+++\nOverview.\n"), &mut changed),
                8 => write("templates/claim.html".into(), &format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ claim.claim }}}}</h1><!-- {step} -->{{% endblock content %}}"), &mut changed),
                _ => write("static/extra.css".into(), &format!("/* {step} */"), &mut changed),
            }
            // As `serve` does it, half of the time: edited pages first, the listings after.
            let applied = if rng.next(2) == 0 {
                ws.apply(&changed)
            } else {
                ws.apply_fast(&changed).and_then(|r| ws.finish().map(|_| r))
            };
            let want = full(root);
            // Some pages open in a browser: any page, a list's, one that may be gone, none.
            let mut viewed = BTreeSet::new();
            for _ in 0..pick.next(3) {
                let c = claims[pick.next(claims.len())];
                let s = sources[pick.next(sources.len())];
                viewed.insert(
                    [
                        format!("claims/c{c}/index.html"),
                        format!("sources/s{s}/index.html"),
                        "index.html".to_owned(),
                        "claims/index.html".to_owned(),
                        "pages/about/index.html".to_owned(),
                        "claims/c1/index.html".to_owned(),
                    ][pick.next(6)]
                    .clone(),
                );
            }
            match viewed_ws.apply_first(&changed, &viewed) {
                Ok(r) => {
                    // Every file not said to be unfinished is already as a full build has it.
                    let now = served(&viewed_ws);
                    let unfinished = viewed_ws.unfinished();
                    let want = want.as_ref().expect("a full build");
                    for path in now.keys().chain(want.keys()) {
                        if !unfinished.contains(path) {
                            assert!(
                                now.get(path) == want.get(path),
                                "seed {seed} step {step}: {path} is out of date, and not said to be ({viewed:?}, {r:?})"
                            );
                        }
                    }
                    for v in &viewed {
                        assert!(
                            !unfinished.contains(v) || !want.contains_key(v),
                            "seed {seed} step {step}: {v}, viewed, is rendered first"
                        );
                    }
                    viewed_ws
                        .finish()
                        .unwrap_or_else(|e| panic!("seed {seed} step {step}: {e}"));
                    assert_eq!(
                        viewed_ws.unfinished(),
                        factbrief::pipeline::Unfinished::Nothing
                    );
                    assert!(
                        served(&viewed_ws) == *want,
                        "seed {seed} step {step}: once finished, as a full build"
                    );
                }
                Err(e) => panic!("seed {seed} step {step}: {e}"),
            }
            match applied {
                Ok(r) => {
                    assert_eq!(Some(served(&ws)), want, "seed {seed} step {step}: {r:?}");
                    assert_eq!(
                        ws.warnings(),
                        full_warnings(root),
                        "seed {seed} step {step}: the same warnings"
                    );
                }
                Err(e) => panic!("seed {seed} step {step}: {e}"),
            }
        }
    }
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    let good = served(&ws);
    let claim = root.join("content/claims/troops.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(&claim, text.replace("around 100,000", "around 10,000")).unwrap();
    let err = ws
        .apply(&[PathBuf::from("content/claims/troops.md")])
        .unwrap_err();
    assert!(err
        .diagnostics()
        .iter()
        .any(|d| d.code == factbrief::diagnostic::Code::QuoteNotFound));
    assert_eq!(served(&ws), good, "the last good site is still served");
    fs::write(&claim, text.replace("mostly-true", "true")).unwrap();
    let r = ws
        .apply(&[PathBuf::from("content/claims/troops.md")])
        .unwrap();
    assert!(r.full, "after a failure every page is rendered again");
    assert_eq!(Some(served(&ws)), full(root));
}

#[test]
fn an_edit_renders_only_what_it_touches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    for i in 0..30 {
        write_files(
            root,
            &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
        );
    }
    let (mut ws, first) = open(root);
    let first = first.unwrap();
    let claim = root.join("content/claims/troops.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(&claim, text.replace("mostly-true", "true")).unwrap();
    let r = apply_then_finish(&mut ws, &[PathBuf::from("content/claims/troops.md")]);
    assert!(!r.full);
    // The claim and its share image, the source it cites, and the pages that
    // list everything (index, lists and their pages, taxonomies, feeds, sitemap, 404)
    // are looked at; those that do not show the verdict are not rendered again.
    let listings = factbrief::render::Page::listings(ws.site().unwrap()).len();
    assert!(listings >= 8 + 7, "{listings}");
    assert_eq!(r.rendered + r.unchanged, 3 + listings, "{r:?}");
    for shows in [
        "claims/troops/index.html",
        "claims/index.html",
        "verdicts/index.html",
        "verdicts/true/index.html",
        "index.html",
        "feed.xml",
        "sources/report/index.html",
    ] {
        assert!(r.paths.iter().any(|p| p == shows), "{shows}: {r:?}");
    }
    for shows_not in ["sources/index.html", "404.html"] {
        assert!(
            !r.paths.iter().any(|p| p == shows_not),
            "{shows_not}: {r:?}"
        );
    }
    assert!(r.unchanged > 0, "{r:?}");
    assert_eq!(Some(served(&ws)), full(root));
    assert!(first.rendered > 40);
    let r = ws.apply(&[PathBuf::from("static/style.css")]).unwrap();
    assert!(r.css_only && r.rendered == 0, "{r:?}");
}

#[test]
fn a_diagnostic_shows_the_text_it_was_found_in_not_a_later_save() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    replace_in(
        root,
        "content/claims/troops.md",
        "around 100,000 troops",
        "around 10,000 troops",
    );
    let mut ws = Pipeline::open(options(root), render_options()).unwrap();
    let err = ws.build().unwrap_err();
    let d = err
        .diagnostics()
        .into_iter()
        .find(|d| d.code == factbrief::diagnostic::Code::QuoteNotFound)
        .expect("the quote is not found");
    // The editor saves again before the report is shown: the excerpt is still
    // the line that was diagnosed.
    replace_in(
        root,
        "content/claims/troops.md",
        "around 10,000",
        "SAVED LATER",
    );
    let shown = factbrief::diagnostic::report::human(&d, false);
    assert!(shown.contains("around 10,000 troops"), "{shown}");
    assert!(!shown.contains("SAVED LATER"), "{shown}");
}

/// Apply `changed` to `ws` and check the result equals a fresh full build
/// (the same files, or an error for both).
fn same_as_full(ws: &mut Pipeline, root: &Path, changed: &[&str], what: &str) {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let fresh =
        Pipeline::open(options(root), render_options()).and_then(|mut p| p.build().map(|_| p));
    match (ws.apply(&changed), fresh) {
        (Ok(_), Ok(fresh)) => {
            let (now, files) = (served(ws), served(&fresh));
            let differ: BTreeSet<&String> = now
                .keys()
                .chain(files.keys())
                .filter(|p| now.get(*p) != files.get(*p))
                .collect();
            assert!(differ.is_empty(), "{what}: not the same files: {differ:?}");
            assert_eq!(ws.warnings(), fresh.warnings(), "{what}: the same warnings");
        }
        // The same problems (a source cited as a draft is not one missing).
        (Err(e), Err(want)) => {
            assert_eq!(e.to_string(), want.to_string(), "{what}: the same errors");
        }
        (Ok(_), Err(_)) => panic!("{what}: the rebuild succeeded, a full build fails"),
        (Err(e), Ok(_)) => panic!("{what}: the rebuild failed, a full build succeeds: {e}"),
    }
}

#[test]
fn edits_that_are_no_document_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    // A file with a bad id fails a full build, and so the rebuild.
    write_files(root, &[("content/claims/New Claim.md", "+++\n+++\n")]);
    same_as_full(&mut ws, root, &["content/claims/New Claim.md"], "bad id");
    fs::remove_file(root.join("content/claims/New Claim.md")).unwrap();
    same_as_full(
        &mut ws,
        root,
        &["content/claims/New Claim.md"],
        "bad id gone",
    );
    // A stray file is a warning, which goes when it goes.
    write_files(root, &[("content/sources/notes.txt", "notes")]);
    same_as_full(&mut ws, root, &["content/sources/notes.txt"], "stray file");
    fs::remove_file(root.join("content/sources/notes.txt")).unwrap();
    same_as_full(
        &mut ws,
        root,
        &["content/sources/notes.txt"],
        "stray file gone",
    );
    // A folder moved away in one event.
    write_files(
        root,
        &[(
            "content/claims/sub/one.md",
            &claim(1, "true", &[0])
                .replace("s0", "report")
                .replace("Unique sentence number 0", "around 100,000 troops"),
        )],
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/sub/one.md"],
        "claim in a folder",
    );
    fs::remove_dir_all(root.join("content/claims/sub")).unwrap();
    same_as_full(&mut ws, root, &["content/claims/sub"], "folder gone");
}

#[test]
fn a_claim_page_follows_the_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    // The claimant is typed an organisation when it is one of the outlets,
    // also the outlet of a source the claim does not cite.
    replace_in(
        root,
        "content/claims/troops.md",
        "verdict = ",
        "claimant = \"Agency\"\nverdict = ",
    );
    let (mut ws, first) = open(root);
    first.unwrap();
    let other = "+++\ntitle = \"O\"\noutlet = \"Agency\"\npublished = 2021-12-30\n+++\nText.\n";
    write_files(root, &[("content/sources/other.md", other)]);
    same_as_full(
        &mut ws,
        root,
        &["content/sources/other.md"],
        "an outlet that is the claimant comes",
    );
    replace_in(
        root,
        "content/sources/other.md",
        "outlet = \"Agency\"",
        "outlet = \"Press\"",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/sources/other.md"],
        "and is renamed",
    );
}

#[test]
fn a_source_date_moved_to_another_offset_moves_it_on_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let source = |published: &str| {
        format!("+++\ntitle = \"O\"\noutlet = \"Agency\"\npublished = {published}\n+++\nText.\n")
    };
    write_files(
        root,
        &[
            ("content/sources/a.md", &source("2021-12-30T22:00:00-05:00")),
            ("content/sources/b.md", &source("2021-12-31T01:00:00Z")),
        ],
    );
    let (mut ws, first) = open(root);
    first.unwrap();
    // The same instant, on another day where it was written: the timeline
    // and the lists order it anew.
    write_files(
        root,
        &[("content/sources/a.md", &source("2021-12-31T03:00:00+00:00"))],
    );
    same_as_full(
        &mut ws,
        root,
        &["content/sources/a.md"],
        "a date at the same instant with another offset",
    );
}

#[test]
fn a_broken_template_in_a_batch_leaves_nothing_stale() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    replace_in(
        root,
        "content/claims/troops.md",
        "Analysis.",
        "Analysis, edited.",
    );
    write_files(root, &[("templates/claim.html", "{% extends \"base.html\" %}{% block content %}{{ claim.claim | nosuchfilter }}{% endblock content %}")]);
    same_as_full(
        &mut ws,
        root,
        &["content/claims/troops.md", "templates/claim.html"],
        "broken template",
    );
    replace_in(
        root,
        "content/pages/about.md",
        "About us.",
        "About us, edited.",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/pages/about.md"],
        "a save while the template is broken",
    );
    fs::remove_file(root.join("templates/claim.html")).unwrap();
    same_as_full(&mut ws, root, &["templates/claim.html"], "template fixed");
}

#[test]
fn a_new_page_where_a_static_file_is_fails_as_a_full_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    write_files(
        root,
        &[("static/claims/second/index.html", "<p>static</p>")],
    );
    let (mut ws, first) = open(root);
    first.unwrap();
    write_files(
        root,
        &[(
            "content/claims/second.md",
            &fs::read_to_string(root.join("content/claims/troops.md")).unwrap(),
        )],
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/second.md"],
        "a claim where a static file is",
    );
    fs::remove_file(root.join("content/claims/second.md")).unwrap();
    same_as_full(
        &mut ws,
        root,
        &["content/claims/second.md"],
        "the claim gone",
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_saved_while_serving_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "+++\ntitle = \"SECRET\"\nbroken = [\n+++\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    std::os::unix::fs::symlink(&secret, root.join("content/sources/leak.md")).unwrap();
    let err = ws
        .apply(&[PathBuf::from("content/sources/leak.md")])
        .unwrap_err();
    let shown: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| factbrief::diagnostic::report::human(d, false))
        .collect();
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.code == factbrief::Code::OutsideSite),
        "{shown:?}"
    );
    assert!(!shown.concat().contains("SECRET"), "{shown:?}");
}

#[test]
fn an_edit_of_the_translations_equals_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    // A verdict's label (which linking puts in the site) and a word of every page.
    write_files(
        root,
        &[(
            "i18n/en.toml",
            "\"verdict_mostly-true\" = \"Largely right\"\nnav_claims = \"Statements\"\n",
        )],
    );
    same_as_full(&mut ws, root, &["i18n/en.toml"], "new translations");
    let claim = served(&ws)["claims/troops/index.html"].clone();
    let claim = String::from_utf8(claim).unwrap();
    assert!(claim.contains("Largely right") && claim.contains("Statements"));
    // As `serve` applies it: the page viewed first, then the rest.
    write_files(root, &[("i18n/en.toml", "nav_claims = \"Checks\"\n")]);
    let viewed = BTreeSet::from(["claims/troops/index.html".to_owned()]);
    let r = ws
        .apply_first(&[PathBuf::from("i18n/en.toml")], &viewed)
        .unwrap();
    assert_eq!(r.paths, vec!["claims/troops/index.html".to_owned()]);
    ws.finish().unwrap();
    assert_eq!(Some(served(&ws)), full(root));
    assert_eq!(ws.warnings(), full_warnings(root));
    // A broken table fails as a full build does, and the fix recovers.
    write_files(root, &[("i18n/en.toml", "no_such_key = \"x\"\n")]);
    same_as_full(&mut ws, root, &["i18n/en.toml"], "an unknown key");
    std::fs::remove_file(root.join("i18n/en.toml")).unwrap();
    same_as_full(&mut ws, root, &["i18n/en.toml"], "the table removed");
}

#[test]
fn a_streamed_build_hands_over_every_file_once_and_keeps_no_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    // A page with highlighted code, so that `syntax.css` is made too.
    write_files(
        &root,
        &[(
            "content/pages/code.md",
            "+++\ntitle = \"Code\"\n+++\n\n```rust\nfn main() {}\n```\n",
        )],
    );
    let expected = full(&root).unwrap();
    assert!(expected.contains_key("syntax.css"));
    let handed = std::sync::Mutex::new(BTreeMap::<String, Vec<u8>>::new());
    let twice = std::sync::Mutex::new(Vec::<String>::new());
    let put = |path: &str, bytes: &[u8]| {
        if handed
            .lock()
            .unwrap()
            .insert(path.to_owned(), bytes.to_vec())
            .is_some()
        {
            twice.lock().unwrap().push(path.to_owned());
        }
        Ok(())
    };
    let mut p = Pipeline::open(options(&root), render_options()).unwrap();
    p.build_into(&put).unwrap();
    assert!(twice.lock().unwrap().is_empty(), "{:?}", twice.lock());
    assert_eq!(handed.into_inner().unwrap(), expected);
    // What the pipeline keeps is the list of files, not their bytes.
    let kept = p.files();
    assert_eq!(
        kept.keys().map(|k| k.to_string()).collect::<Vec<_>>(),
        expected.keys().cloned().collect::<Vec<_>>()
    );
    assert!(kept.values().all(|b| b.is_empty()));
}

#[test]
fn a_streamed_build_fails_with_the_error_of_its_sink() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let put = |path: &str, _: &[u8]| -> factbrief::Result<()> {
        Err(factbrief::Error::io(
            Path::new(path),
            std::io::Error::other("disk full, as a test"),
        ))
    };
    let mut p = Pipeline::open(options(&root), render_options()).unwrap();
    let err = p.build_into(&put).unwrap_err().to_string();
    assert!(err.contains("disk full, as a test"), "{err}");
}

#[test]
fn the_first_correction_shows_its_link_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    // The footer of every page links to corrections/ once a claim has one.
    replace_in(
        root,
        "content/claims/troops.md",
        "\n+++\n\nAnalysis.",
        "\n[[corrections]]\ndate = 2022-01-02\nnote = \"A figure was corrected.\"\n+++\n\nAnalysis.",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/troops.md"],
        "a first correction",
    );
    let about = String::from_utf8(served(&ws)["pages/about/index.html"].clone()).unwrap();
    assert!(about.contains("corrections/\""), "{about}");
}

/// [`Pipeline::apply_fast`] then [`Pipeline::finish`], as one rebuild.
fn apply_then_finish(ws: &mut Pipeline, changed: &[PathBuf]) -> factbrief::pipeline::Rebuild {
    let mut r = ws.apply_fast(changed).unwrap();
    if let Some(rest) = ws.finish().unwrap() {
        r.rendered += rest.rendered;
        r.unchanged += rest.unchanged;
        r.paths.extend(rest.paths);
    }
    r
}

/// The paths a rebuild rendered, but for the files of the search index.
fn rendered_pages(r: &factbrief::pipeline::Rebuild) -> BTreeSet<&str> {
    r.paths
        .iter()
        .map(String::as_str)
        .filter(|p| !p.starts_with(factbrief::render::search::FOLDER))
        .collect()
}

#[test]
fn an_edit_no_list_shows_renders_no_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    for i in 0..30 {
        write_files(
            root,
            &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
        );
    }
    let (mut ws, first) = open(root);
    first.unwrap();
    let listings = factbrief::render::Page::listings(ws.site().unwrap()).len();
    for fast in [false, true] {
        // The analysis is on the claim's page alone.
        let longer = if fast {
            "Analysis, longer still."
        } else {
            "Analysis, longer."
        };
        replace_in(root, "content/claims/troops.md", "Analysis", longer);
        let changed = [PathBuf::from("content/claims/troops.md")];
        // As `serve` does it (the listings after the edited pages), or in one run.
        let r = if fast {
            apply_then_finish(&mut ws, &changed)
        } else {
            ws.apply(&changed).unwrap()
        };
        // The claim's page and share image; the page of the source it cites
        // and every listing (the data feed, which has no analysis, too) are
        // as they were.
        if fast {
            assert_eq!(
                rendered_pages(&r),
                BTreeSet::from(["claims/troops/index.html", "claims/troops/share.png"]),
                "{r:?}"
            );
        }
        assert_eq!(r.rendered, 2, "{r:?}");
        assert_eq!(r.unchanged, 1 + listings, "{r:?}");
        assert!(r.rendered < listings);
        assert_eq!(Some(served(&ws)), full(root));
        replace_in(root, "content/claims/troops.md", longer, "Analysis");
    }
}

/// A site of claims over a few sources, with lists of several pages.
fn listed_site(root: &Path) {
    write_files(
        root,
        &[
            (
                "content/_index.md",
                "+++\ntitle = \"Lists\"\npublished = 2022-01-05\npaginate_by = 2\ncontact = \"desk@example.org\"\n+++\nOverview.\n",
            ),
            (
                "content/pages/about.md",
                "+++\ntitle = \"About\"\n+++\nAbout.\n",
            ),
        ],
    );
    // Three outlets of two sources each.
    for i in 0..6 {
        let text = source(i, "").replace(&format!("Outlet {i}"), &format!("Outlet {}", i % 3));
        write_files(root, &[(&format!("content/sources/s{i}.md"), &text)]);
    }
    for i in 0..7 {
        let text = claim(i, ["true", "false", "mixed"][i % 3], &[i % 6, (i + 1) % 6]).replace(
            "claimed = ",
            &format!(
                "tags = [\"t{}\"]\nclaimant = \"Person {i}\"\nclaimed = ",
                i % 2
            ),
        );
        write_files(root, &[(&format!("content/claims/c{i}.md"), &text)]);
    }
}

#[test]
fn what_the_lists_show_of_an_edit_is_never_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    listed_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    assert_eq!(Some(served(&ws)), full(root));
    assert!(served(&ws).contains_key("claims/page/3/index.html"));
    let c3 = "content/claims/c3.md";
    let s4 = "content/sources/s4.md";
    // Each edit changes what some lists show, and nothing else of the claim or source.
    let edits: Vec<(&str, &str, &str, &str)> = vec![
        ("a verdict", c3, "verdict = \"true\"", "verdict = \"false\""),
        (
            "a claim's words",
            c3,
            "claim = \"Claim 3.\"",
            "claim = \"Claim three.\"",
        ),
        (
            "a claimant",
            c3,
            "claimant = \"Person 3\"",
            "claimant = \"Someone\"",
        ),
        (
            "a claim's date",
            c3,
            "claimed = 2021-12-04",
            "claimed = 2020-01-01",
        ),
        (
            "a date of check",
            c3,
            "claimed = ",
            "reviewed = 2023-03-03\nclaimed = ",
        ),
        ("a tag", c3, "tags = [\"t1\"]", "tags = [\"t0\"]"),
        (
            "a new tag",
            c3,
            "tags = [\"t0\"]",
            "tags = [\"t0\", \"new\"]",
        ),
        (
            "a summary",
            c3,
            "claimed = ",
            "summary = \"In short.\"\nclaimed = ",
        ),
        (
            "a source's title",
            s4,
            "title = \"Source 4\"",
            "title = \"Source four\"",
        ),
        (
            "a source's outlet",
            s4,
            "outlet = \"Outlet 1\"",
            "outlet = \"Outlet four\"",
        ),
        (
            "a source's date",
            s4,
            "published = 2021-12-05",
            "published = 2020-02-02",
        ),
        (
            "a source's kind",
            s4,
            "+++\n\n",
            "kind = \"statement\"\n+++\n\n",
        ),
    ];
    for (what, file, from, to) in edits {
        replace_in(root, file, from, to);
        same_as_full(&mut ws, root, &[file], what);
        // As `serve` does it: the edited pages first, the listings after.
        replace_in(root, file, to, from);
        let changed = [PathBuf::from(file)];
        ws.apply_fast(&changed).unwrap();
        ws.finish().unwrap();
        assert_eq!(Some(served(&ws)), full(root), "{what}, undone");
        replace_in(root, file, from, to);
        same_as_full(&mut ws, root, &[file], what);
    }
}

#[test]
fn after_an_edit_of_the_theme_nothing_stale_remains() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    listed_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    let c3 = "content/claims/c3.md";
    let mut n = 0;
    let mut claim_edit = |ws: &mut Pipeline, what: &str| {
        n += 1;
        let text = fs::read_to_string(root.join(c3)).unwrap();
        let text = text.replace("Analysis of claim 3", &format!("Analysis ({n}) of claim 3"));
        fs::write(root.join(c3), text).unwrap();
        same_as_full(ws, root, &[c3], what);
    };
    claim_edit(&mut ws, "a claim edit keeps the fingerprints");
    // The built-in template `name`, edited where every page using it shows it.
    let edited = |name: &str| {
        let builtin = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(name);
        let text = fs::read_to_string(builtin).unwrap();
        assert!(text.contains("{{"), "{name}");
        text.replacen("{{", "<b>edited</b>{{", 1)
    };
    let theme_edits = [
        // A list's own template, a part of every list, the base of every
        // page, words of every page, a static file.
        ("templates/claims.html", edited("claims.html")),
        (
            "templates/partials/claim-card.html",
            edited("partials/claim-card.html"),
        ),
        ("templates/base.html", edited("base.html")),
        ("i18n/en.toml", "nav_claims = \"Statements\"\n".to_owned()),
        ("static/extra.css", "p { color: red }".to_owned()),
    ];
    for (file, text) in theme_edits {
        write_files(root, &[(file, &text)]);
        if file.starts_with("templates/") {
            let html = String::from_utf8(full(root).unwrap()["claims/index.html"].clone()).unwrap();
            assert!(html.contains("<b>edited</b>"), "{file}");
        }
        same_as_full(&mut ws, root, &[file], file);
        claim_edit(&mut ws, &format!("a claim edit after {file}"));
        fs::remove_file(root.join(file)).unwrap();
        same_as_full(&mut ws, root, &[file], &format!("{file} removed"));
        claim_edit(&mut ws, &format!("a claim edit after {file} removed"));
    }
}

#[test]
fn fingerprints_cover_what_every_page_shares() {
    use factbrief::render::theme::Theme;
    use factbrief::render::{render, Kept, Page};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    listed_site(root);
    let (ws, first) = open(root);
    first.unwrap();
    let prints = ws.fingerprints().clone();
    let site = ws.site().unwrap();
    let pages = Page::listings(site);
    // Every listing has a fingerprint: the data feed (made without a
    // template) has that of what it is written from.
    assert!(pages.contains(&Page::ClaimReviews));
    let all_held = |_: &str| true;
    let kept = Kept::new(&prints, &all_held);
    let unchanged = |theme: &mut Theme, options: &RenderOptions| {
        render(site, theme, &pages, options, kept)
            .unwrap()
            .unchanged
            .len()
    };
    // As it was: every page with a template is unchanged.
    let mut theme = Theme::load(root).unwrap();
    assert_eq!(unchanged(&mut theme, &render_options()), pages.len());
    // Held no more: rendered.
    let none_held = |_: &str| false;
    let r = render(
        site,
        &mut theme,
        &pages,
        &render_options(),
        Kept::new(&prints, &none_held),
    )
    .unwrap();
    assert!(r.unchanged.is_empty());
    // Other HTML injected.
    let other = RenderOptions {
        inject: Some(|_| "<script>/* other */</script>".into()),
        ..RenderOptions::default()
    };
    assert_eq!(unchanged(&mut theme, &other), 0);
    // A template no listing uses (but it could be included), or other words.
    for (file, text) in [
        ("templates/partials/unused.html", "<p>unused</p>"),
        ("i18n/en.toml", "skip_link = \"Skip\"\n"),
    ] {
        write_files(root, &[(file, text)]);
        let mut theme = Theme::load(root).unwrap();
        assert_eq!(unchanged(&mut theme, &render_options()), 0, "{file}");
        fs::remove_file(root.join(file)).unwrap();
    }
    // What every page shows of the site: its pages that show nothing else are rendered.
    let mut theme = Theme::load(root).unwrap();
    assert_eq!(unchanged(&mut theme, &render_options()), pages.len());
    replace_in(
        root,
        "content/pages/about.md",
        "title = \"About\"",
        "title = \"About us\"",
    );
    let (other_ws, r) = open(root);
    r.unwrap();
    let not_found = [Page::NotFound];
    let r = render(
        other_ws.site().unwrap(),
        &mut theme,
        &not_found,
        &render_options(),
        kept,
    )
    .unwrap();
    assert_eq!((r.unchanged.len(), r.outputs.len()), (0, 1));
    let r = render(site, &mut theme, &not_found, &render_options(), kept).unwrap();
    assert_eq!((r.unchanged.len(), r.outputs.len()), (1, 0));
}

/// A site whose sources have warnings of their own, links in their bodies
/// and quotes in and out of one piece.
fn sources_site(root: &Path) {
    small_site(root);
    for i in 0..6 {
        write_files(
            root,
            &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
        );
    }
    write_files(
        root,
        &[(
            "content/claims/c1.md",
            &claim(1, "false", &[1, 2, 3]).replace(
                "quote = \"Unique sentence number 3\"",
                "quote = \"Shared words […] number 3\"",
            ),
        )],
    );
}

/// How `diags` are shown, for people and as JSON.
fn shown(diags: &[factbrief::Diagnostic]) -> Vec<(String, String)> {
    use factbrief::diagnostic::report;
    diags
        .iter()
        .map(|d| (report::human(d, false), report::json(d)))
        .collect()
}

#[test]
fn a_single_run_builds_what_a_kept_pipeline_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    sources_site(&root);
    let expected = full(&root).unwrap();
    let warnings = full_warnings(&root);
    assert!(!warnings.is_empty());
    // Streamed, as `build` streams it, with the sources' bodies left on disk.
    let handed = std::sync::Mutex::new(BTreeMap::<String, Vec<u8>>::new());
    let put = |path: &str, bytes: &[u8]| {
        handed
            .lock()
            .unwrap()
            .insert(path.to_owned(), bytes.to_vec());
        Ok(())
    };
    let mut p = Pipeline::open_single_run(options(&root), render_options()).unwrap();
    p.build_into(&put).unwrap();
    assert_eq!(handed.into_inner().unwrap(), expected);
    // The same warnings, shown the same (with the same excerpts), in every format.
    assert_eq!(shown(p.warnings()), shown(&warnings));

    // An error located in a source's body shows the same excerpt as when the
    // text is held.
    replace_in(
        &root,
        "content/sources/s2.md",
        "[a link](https://x.org/2)",
        "[a link](claim:nowhere)",
    );
    let held = Pipeline::open(options(&root), render_options())
        .unwrap()
        .build()
        .expect_err("a link to no claim fails the build");
    let lean = Pipeline::open_single_run(options(&root), render_options())
        .unwrap()
        .build()
        .expect_err("and a single run too");
    assert!(held.to_string().contains("s2.md"), "{held}");
    assert_eq!(shown(&lean.diagnostics()), shown(&held.diagnostics()));
    assert!(
        held.diagnostics().iter().any(|d| d
            .text
            .as_deref()
            .is_some_and(|t| t.contains("claim:nowhere"))),
        "{held:?}"
    );
}

#[test]
fn a_source_saved_during_a_single_run_fails_it_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    sources_site(&root);
    let changed = |e: &factbrief::Error, file: &str| {
        e.diagnostics().iter().any(|d| {
            d.file == Path::new(file)
                && d.message == "the file changed while the site was being built"
        })
    };
    // Saved after loading, before linking reads it again.
    let mut p = Pipeline::open_single_run(options(&root), render_options()).unwrap();
    replace_in(
        &root,
        "content/sources/s2.md",
        "Shared words",
        "Other words",
    );
    let err = p.build().expect_err("the build fails");
    assert!(changed(&err, "content/sources/s2.md"), "{err:?}");
    // The claim quoting it is not told its quote is missing, nor the source
    // that no claim cites it: the only error is that one (as for a source
    // that could not be read when loaded).
    let errors: Vec<_> = (err.diagnostics().into_iter())
        .filter(|d| d.severity == factbrief::diagnostic::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{err:?}");
    assert!(
        !err.diagnostics()
            .iter()
            .any(|d| d.file == Path::new("content/sources/s2.md")
                && d.code == factbrief::diagnostic::Code::UncitedSource),
        "{err:?}"
    );

    // Saved while the pages are being written, before the source's page is
    // rendered: it is not rendered from another text than the one linked.
    let mut p = Pipeline::open_single_run(options(&root), render_options()).unwrap();
    let saved = std::sync::Once::new();
    let put = |_: &str, _: &[u8]| {
        saved.call_once(|| {
            for i in 0..6 {
                let rel = format!("content/sources/s{i}.md");
                replace_in(&root, &rel, "More *text*", "More *words*");
            }
        });
        Ok(())
    };
    let err = p.build_into(&put).expect_err("the build fails");
    assert!(
        (0..6).any(|i| changed(&err, &format!("content/sources/s{i}.md"))),
        "{err:?}"
    );
}

#[test]
fn a_new_document_is_found_by_the_links_that_named_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    // Links to documents that do not exist yet: the rebuild fails, as a full build does.
    replace_in(
        root,
        "content/claims/troops.md",
        "Analysis.",
        "Analysis, see [later](claim:later).",
    );
    replace_in(
        root,
        "content/pages/about.md",
        "About us.",
        "About [the wire](source:wire).",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/troops.md", "content/pages/about.md"],
        "links to nothing",
    );
    assert!(full(root).is_none());
    // The claim comes: the claim's link finds it; the page's still finds nothing.
    write_files(
        root,
        &[(
            "content/claims/later.md",
            "+++\nclaim = \"The call lasted 50 minutes.\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"ended 50 minutes later\"\n+++\n\nSee [the troops](claim:troops).\n",
        )],
    );
    same_as_full(&mut ws, root, &["content/claims/later.md"], "a claim came");
    assert!(full(root).is_none());
    // The source comes: everything is found.
    write_files(
        root,
        &[(
            "content/sources/wire.md",
            "+++\ntitle = \"Wire copy\"\noutlet = \"Wire\"\npublished = 2021-12-31\n+++\n\nThe leaders spoke for 50 minutes.\n",
        )],
    );
    same_as_full(&mut ws, root, &["content/sources/wire.md"], "a source came");
    assert!(full(root).is_some());
    // Another claim comes, after a good build: linked alone, the same as a full build.
    write_files(
        root,
        &[(
            "content/claims/spoke.md",
            "+++\nclaim = \"They spoke for 50 minutes.\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"wire\"\nstance = \"supports\"\nquote = \"spoke for 50 minutes\"\n+++\n\nSee [later](claim:later) and [the wire](source:wire).\n",
        )],
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/spoke.md"],
        "another claim came",
    );
}

#[test]
fn a_new_document_and_an_edit_in_one_save_are_linked_as_they_are_now() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let (mut ws, first) = open(root);
    first.unwrap();
    replace_in(
        root,
        "content/claims/troops.md",
        "Analysis.",
        "Analysis, see [later](claim:later).",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/troops.md"],
        "a link to nothing",
    );
    // In one save: the claim it named comes, and the linking claim gets
    // another link to nothing; then that link is mended.
    write_files(
        root,
        &[(
            "content/claims/later.md",
            "+++\nclaim = \"The call lasted 50 minutes.\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"ended 50 minutes later\"\n+++\n\nLater.\n",
        )],
    );
    replace_in(
        root,
        "content/claims/troops.md",
        "Analysis,",
        "Analysis ([typo](claim:typo)),",
    );
    same_as_full(
        &mut ws,
        root,
        &["content/claims/later.md", "content/claims/troops.md"],
        "a claim came and another link to nothing",
    );
    assert!(full(root).is_none());
    replace_in(
        root,
        "content/claims/troops.md",
        "claim:typo",
        "claim:later",
    );
    same_as_full(&mut ws, root, &["content/claims/troops.md"], "mended");
    assert!(full(root).is_some());
}

#[test]
fn the_search_records_of_a_source_saved_since_loading_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    sources_site(&root);
    let mut p = Pipeline::open_single_run(options(&root), render_options()).unwrap();
    p.build().unwrap();
    let site = p.site().expect("the site built");
    assert!(factbrief::render::search::records(site).is_ok());
    // Source s3 has a quote that leaves words out: its record needs the text.
    replace_in(
        &root,
        "content/sources/s3.md",
        "More *text*",
        "More *words*",
    );
    let err = factbrief::render::search::records(site).expect_err("the text is gone");
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.file == Path::new("content/sources/s3.md")
                && d.message == "the file changed while the site was being built"),
        "{err:?}"
    );
}

#[test]
fn an_edit_of_what_the_lists_are_made_of_equals_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_files(
        root,
        &[(
            "content/_index.md",
            "+++\ntitle = \"Lists\"\npublished = 2022-01-05\n+++\nOverview.\n",
        )],
    );
    for i in 0..4 {
        write_files(
            root,
            &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
        );
    }
    let claim_file = |i: usize| format!("content/claims/c{i}.md");
    for i in 0..3 {
        write_files(root, &[(&claim_file(i), &claim(i, "true", &[i, i + 1]))]);
    }
    let (mut ws, first) = open(root);
    first.unwrap();
    // Each edit changes one thing the lists, tags, verdicts, outlets and
    // timeline are made of, and nothing else: the taxonomies linking kept
    // must not be those of before. Each is a replacement in the document as
    // first written (none: back to it).
    #[rustfmt::skip]
    let claim_edits = [
        ("tags added", "claimed = ", "tags = [\"Economy\"]\nclaimed = "),
        ("a tag renamed", "claimed = ", "tags = [\"Health\"]\nclaimed = "),
        ("tags gone", "", ""),
        ("claimed earlier", "claimed = 2021-12-02", "claimed = 2021-10-30"),
        ("claimed at an offset", "claimed = 2021-12-02", "claimed = 2021-12-02T23:30:00-05:00"),
        ("claimed at another offset, the same instant", "claimed = 2021-12-02", "claimed = 2021-12-03T05:30:00+01:00"),
        ("checked", "claimed = ", "reviewed = 2022-01-20\nclaimed = "),
        ("checked earlier", "claimed = ", "reviewed = 2021-12-20\nclaimed = "),
        ("another verdict", "verdict = \"true\"", "verdict = \"false\""),
        ("a draft", "claimed = ", "draft = true\nclaimed = "),
        ("no draft", "", ""),
        ("unreadable", "verdict = ", "verdict = = "),
        ("readable", "", ""),
        ("statement only", "Claim 1.", "Claim one."),
    ];
    #[rustfmt::skip]
    let source_edits = [
        ("an outlet", 2, "Outlet 2", "Outlet 3"),
        ("a date", 2, "published = 2021-12-03", "published = 2021-11-03"),
        ("a source draft", 0, "title = ", "draft = true\ntitle = "),
        ("no source draft", 0, "", ""),
        ("a source title", 3, "title = \"Source 3", "title = \"Source 3 again"),
        // The passage a claim quotes moves down the text.
        ("a source's text", 2, "+++\n\nShared words", "+++\n\nA new first paragraph.\n\nShared words"),
    ];
    let c1 = claim(1, "true", &[1, 2]);
    let edits = (claim_edits.iter())
        .map(|(what, from, to)| (*what, claim_file(1), c1.replacen(from, to, 1)))
        .chain(source_edits.iter().map(|(what, i, from, to)| {
            let text = source(*i, "").replacen(from, to, 1);
            (*what, format!("content/sources/s{i}.md"), text)
        }));
    for (what, file, text) in edits {
        write_files(root, &[(&file, &text)]);
        same_as_full(&mut ws, root, &[&file], what);
    }
    // Once a draft, now gone: the claim citing it cites a missing source, not a draft.
    fs::remove_file(root.join("content/sources/s0.md")).unwrap();
    same_as_full(&mut ws, root, &["content/sources/s0.md"], "a source gone");
}
