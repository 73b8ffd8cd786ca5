//! End-to-end tests through the `factbrief` binary: build, init and every error path.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// Build `root` into `out`, expecting success; returns stdout.
/// Build a valid site, break it with `edit`, and check the build fails with
/// all of `expected` in its message while the previous output stays byte-identical.
fn fails_and_keeps_output(edit: impl FnOnce(&Path), expected: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    let before = snapshot_dir(&out);
    assert!(before.contains_key("claims/troops/index.html"));

    edit(&root);
    let o = run(&root, &["build"]);
    let (_, stderr) = texts(&o);
    assert!(!o.status.success(), "build should fail");
    assert_eq!(o.status.code(), Some(1));
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert_eq!(snapshot_dir(&out), before, "the previous output changed");
    // Nothing is left beside it either, but the lock file and the cache
    // folder (of the good build before), which stay on purpose.
    let leftovers: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains("factbrief")
                && n != ".public.factbrief-lock"
                && n != ".public.factbrief-cache"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    stderr
}

#[test]
fn builds_the_example_briefing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let stdout = texts(&build_ok(&repo_root(), &out)).0;
    assert!(stdout.starts_with("Built "), "{stdout}");
    assert!(stdout.contains(" ms"), "{stdout}");
    for p in [
        "index.html",
        "claims/index.html",
        "sources/index.html",
        "matrix/index.html",
        "timeline/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "style.css",
        "claims/call-lasted-two-hours/index.html",
        "sources/voa-2021-12-30-urges-reduce-tensions/index.html",
        "pages/method/index.html",
    ] {
        assert!(out.join(p).is_file(), "{p} missing");
    }
    let claims = fs::read_dir(repo_root().join("content/claims"))
        .unwrap()
        .count();
    assert!(claims >= 12);
    assert_eq!(
        fs::read_dir(out.join("claims")).unwrap().count(),
        claims + 1
    );
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_ok(&repo_root(), &a);
    build_ok(&repo_root(), &b);
    let (sa, sb) = (snapshot_dir(&a), snapshot_dir(&b));
    assert!(sa.len() > 30);
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between two builds");
    }
}

#[test]
fn rebuild_replaces_its_own_output_and_drops_stale_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    fs::remove_file(root.join("content/pages/about.md")).unwrap();
    build_ok(&root, &out);
    assert!(!out.join("pages/about/index.html").exists());
    assert!(out.join("claims/troops/index.html").exists());
}

#[test]
fn init_creates_a_briefing_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["init", "brief"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let root = dir.path().join("brief");
    let o = run(&root, &["build"]);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(stdout.contains("Built "));
    let src = fs::read_to_string(root.join("public/sources/example-source/index.html")).unwrap();
    assert!(src.contains("id=\"q-example-claim-1\""));
    // A second init refuses to overwrite.
    let o = run(dir.path(), &["init", "brief"]);
    assert!(!o.status.success());
    assert!(texts(&o).1.contains("already has a content/ folder"));
}

#[test]
fn help_lists_the_commands() {
    let o = run(&repo_root(), &["--help"]);
    let (stdout, _) = texts(&o);
    assert!(
        stdout.contains("build") && stdout.contains("init"),
        "{stdout}"
    );
    let o = run(&repo_root(), &["build", "--help"]);
    let (stdout, _) = texts(&o);
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(stdout.contains(flag), "{flag} missing from:\n{stdout}");
    }
}

#[test]
fn unknown_field_names_file_line_and_suggestion() {
    let stderr = fails_and_keeps_output(
        |root| replace_in(root, "content/claims/troops.md", "verdict = ", "verdit = "),
        &[
            "unknown field `verdit`",
            "content/claims/troops.md:3",
            "did you mean `verdict`?",
        ],
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn unknown_source_is_located() {
    fails_and_keeps_output(
        |root| {
            replace_in(
                root,
                "content/claims/troops.md",
                "source = \"report\"",
                "source = \"reprot\"",
            )
        },
        &[
            "evidence 1 cites `reprot`, which is not a source",
            "content/claims/troops.md:6",
            "did you mean `report`?",
        ],
    );
}

#[test]
fn quote_not_found_shows_the_closest_passage() {
    fails_and_keeps_output(
        |root| {
            replace_in(
                root,
                "content/claims/troops.md",
                "around 100,000 troops",
                "around 10,000 troops",
            )
        },
        &[
            "evidence 1: the quote is not in source `report`",
            "content/claims/troops.md:8",
            "“around 100,000 troops near the Ukrainian border”",
            "the quote has `10,000` where the source has `100,000`",
        ],
    );
}

#[test]
fn bad_id_names_the_file() {
    fails_and_keeps_output(
        |root| {
            fs::copy(
                root.join("content/claims/troops.md"),
                root.join("content/claims/Troops Copy.md"),
            )
            .unwrap();
        },
        &[
            "`Troops Copy` is not a valid id",
            "content/claims/Troops Copy.md",
            "troops-copy.md",
        ],
    );
}

#[test]
fn duplicate_output_path_is_an_error() {
    fails_and_keeps_output(
        |root| write_files(root, &[("static/claims/troops/index.html", "<p>mine</p>")]),
        &[
            "two files would be written to claims/troops/index.html",
            "static/claims/troops/index.html",
        ],
    );
}

#[test]
fn broken_internal_link_is_located() {
    fails_and_keeps_output(
        |root| {
            write_files(
                root,
                &[(
                    "content/pages/about.md",
                    "+++\ntitle = \"About\"\n+++\n\nSee [this](claim:trops).\n",
                )],
            );
        },
        &[
            "the link `claim:trops` points to no claim",
            "content/pages/about.md:5",
            "did you mean `claim:troops`?",
        ],
    );
}

#[test]
fn unknown_verdict_is_located() {
    fails_and_keeps_output(
        |root| {
            replace_in(
                root,
                "content/claims/troops.md",
                "\"mostly-true\"",
                "\"mostly true\"",
            )
        },
        &[
            "`mostly true` is not a verdict",
            "content/claims/troops.md:3",
            "did you mean `mostly-true`?",
        ],
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let stderr = fails_and_keeps_output(
        |root| {
            write_files(
                root,
                &[
                    ("content/claims/a.md", "+++\nclaim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"nope\"\nstance = \"supports\"\n+++\n"),
                    ("content/claims/b.md", "+++\nclaim = \"x\"\nverdikt = \"true\"\n+++\n"),
                ],
            );
        },
        &[
            "content/claims/a.md:5",
            "content/claims/b.md:3",
            "2 errors and 1 warning; nothing was written",
        ],
    );
    assert!(stderr.matches("error[").count() >= 2);
}

#[test]
fn yaml_front_matter_errors_are_located_too() {
    fails_and_keeps_output(
        |root| {
            write_files(
                root,
                &[(
                    "content/sources/yaml.md",
                    "---\ntitle: Y\noutlet: O\npublished: 2021-12-30\nauthor: [A]\n---\nText.\n",
                )],
            );
        },
        &[
            "unknown field `author`",
            "content/sources/yaml.md:5",
            "did you mean `authors`?",
        ],
    );
}

#[test]
fn unsafe_output_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let content_before = snapshot_dir(&root.join("content"));
    for (out, msg) in [
        (".", "it is the site root"),
        ("content/out", "it is inside content/"),
        ("..", "it contains the site root"),
    ] {
        let o = run(&root, &["build", "--output", out]);
        let (_, stderr) = texts(&o);
        assert!(!o.status.success(), "{out} accepted");
        assert!(stderr.contains(msg), "{out}: {stderr}");
    }
    // A folder holding files factbrief did not write.
    write_files(&root, &[("mine/notes.txt", "keep me")]);
    let o = run(&root, &["build", "--output", "mine"]);
    let (_, stderr) = texts(&o);
    assert!(!o.status.success());
    assert!(
        stderr.contains("holds files factbrief did not write (notes.txt)"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(root.join("mine/notes.txt")).unwrap(),
        "keep me"
    );
    // The same after a good build: a file added by hand is never deleted.
    // (Its folder is walked while the site is made: the site made is
    // thrown away, and nothing is left beside the folder.)
    build_ok(&root, &root.join("public"));
    write_files(&root, &[("public/extra.html", "mine")]);
    let public_before = snapshot_dir(&root.join("public"));
    // (An edit, so that the refused build has made and staged pages.)
    replace_in(
        &root,
        "content/claims/troops.md",
        "Analysis.",
        "Analysis, revised.",
    );
    let beside = || -> Vec<String> {
        fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("factbrief-new") || n.contains("factbrief-old"))
            .collect()
    };
    let o = run(&root, &["build"]);
    assert!(!o.status.success());
    assert!(texts(&o).1.contains("extra.html"));
    assert!(beside().is_empty(), "{:?}", beside());
    assert_eq!(
        fs::read_to_string(root.join("public/extra.html")).unwrap(),
        "mine"
    );
    // Also when the site has an error of its own: the folder is what is refused.
    write_files(
        &root,
        &[("content/claims/broken.md", "+++\ntitle = \n+++\n")],
    );
    let o = run(&root, &["build"]);
    assert!(!o.status.success());
    assert!(
        texts(&o)
            .1
            .contains("holds files factbrief did not write (extra.html)"),
        "{}",
        texts(&o).1
    );
    fs::remove_file(root.join("content/claims/broken.md")).unwrap();
    replace_in(
        &root,
        "content/claims/troops.md",
        "Analysis, revised.",
        "Analysis.",
    );
    assert_eq!(snapshot_dir(&root.join("public")), public_before);
    assert!(beside().is_empty(), "{:?}", beside());
    assert_eq!(snapshot_dir(&root.join("content")), content_before);
}

#[test]
fn an_interrupted_swap_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    // As if killed between moving the old site aside and moving the new one in.
    fs::rename(&out, root.join(".public.factbrief-old")).unwrap();
    fs::create_dir(root.join(".public.factbrief-new")).unwrap();
    build_ok(&root, &out);
    assert!(out.join("index.html").is_file());
    assert!(!root.join(".public.factbrief-old").exists());
    assert!(!root.join(".public.factbrief-new").exists());
}

#[test]
fn html_in_sources_renders_inert() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(
        &root,
        &[(
            "content/sources/hostile.md",
            "+++\ntitle = \"<script>alert('t')</script>\"\noutlet = \"<img src=x onerror=alert(1)>\"\npublished = 2021-12-30\nurl = \"javascript:alert(2)\"\n+++\n\nText <script>alert(3)</script> and <img src=x onerror=alert(4)>.\n\n<script>\nalert(5)\n</script>\n\n[click](javascript:alert(6)) <a href=\"javascript:alert(7)\">x</a>\n",
        )],
    );
    write_files(
        &root,
        &[(
            "content/claims/hostile.md",
            "+++\nclaim = \"<script>alert(9)</script>\"\nverdict = \"false\"\nclaimant = \"</script><script>alert(10)</script>\"\nappears_in = [\"hostile\"]\n[[evidence]]\nsource = \"hostile\"\nstance = \"context\"\nquote = \"Text <script>alert(3)</script> and\"\n+++\n",
        )],
    );
    let out = root.join("public");
    build_ok(&root, &out);
    for page in [
        "claims/hostile/index.html",
        "claims/index.html",
        "matrix/index.html",
        "sources/hostile/index.html",
        "sources/index.html",
        "index.html",
        "timeline/index.html",
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("<script>\nalert"), "{page}");
        assert!(!html.contains("<img"), "{page}");
        assert!(
            !tags(&html).any(|t| t.contains("javascript:")),
            "{page}: a tag carries javascript:"
        );
        assert!(html.contains("&lt;script&gt;alert("), "{page}");
    }
    let html = fs::read_to_string(out.join("sources/hostile/index.html")).unwrap();
    assert!(html.contains("onerror=alert(4)&gt;"), "{html}");
    // The quoted passage with the escaped markup is marked like any other.
    assert!(html.contains("<mark id=\"q-hostile-1\""), "{html}");
    assert_eq!(
        marked_text(&html, "q-hostile-1"),
        "Text <script>alert(3)</script> and"
    );
    // JSON-LD cannot be closed early by a claimant's `</script>`.
    let claim = fs::read_to_string(out.join("claims/hostile/index.html")).unwrap();
    assert_eq!(claim.matches("</script>").count(), 1, "{claim}");
    assert!(
        claim.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(10)"),
        "{claim}"
    );
    assert!(!claim.contains("\"url\": \"javascript:"), "{claim}");
}

/// The real tags of `html` (escaped text such as `&lt;a ...&gt;` is not a tag).
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|t| t.split('>').next().unwrap_or(t))
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(
        &root,
        &[(
            "content/pages/wip.md",
            "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
        )],
    );
    build_ok(&root, &root.join("public"));
    assert!(!root.join("public/pages/wip/index.html").exists());
    let o = run(&root, &["build", "--drafts"]);
    assert!(o.status.success());
    assert!(root.join("public/pages/wip/index.html").exists());
}

#[test]
fn a_claim_citing_a_draft_source_says_so() {
    fails_and_keeps_output(
        |root| {
            replace_in(
                root,
                "content/sources/report.md",
                "published = 2021-12-30",
                "published = 2021-12-30\ndraft = true",
            )
        },
        &[
            "cites `report`, which is not a source",
            "is a draft: build with --drafts",
        ],
    );
}

#[test]
fn base_url_prefix_is_used_where_links_must_be_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let o = run(&root, &["build", "--base-url", "https://example.org/fc/"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let out = root.join("public");
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains("href=\"/fc/style.css\""), "{not_found}");
    assert!(not_found.contains("href=\"/fc/claims/\""));
    let claim = fs::read_to_string(out.join("claims/troops/index.html")).unwrap();
    assert!(
        claim.contains("<link rel=\"canonical\" href=\"https://example.org/fc/claims/troops/\">"),
        "{claim}"
    );
    assert!(claim.contains("href=\"../../sources/report/#q-troops-1\""));
    assert!(claim.contains("\"url\": \"https://example.org/fc/claims/troops/\""));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/fc/claims/troops/</loc>"),
        "{sitemap}"
    );
    let o = run(&root, &["build", "--base-url", "fc"]);
    assert!(!o.status.success());
    assert!(texts(&o).1.contains("--base-url"));
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(
        &root,
        &[(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ page.title }}</p>{% endblock content %}",
        )],
    );
    build_ok(&root, &root.join("public"));
    let html = fs::read_to_string(root.join("public/pages/about/index.html")).unwrap();
    assert!(html.contains("<p class=\"mine\">About</p>"), "{html}");
    // Other pages keep the built-in templates, and the built-in base.
    let claim = fs::read_to_string(root.join("public/claims/troops/index.html")).unwrap();
    assert!(claim.contains("<h2 id=\"evidence\">Evidence</h2>"));
    assert!(html.contains("<a class=\"skip-link\""));
}

#[test]
fn a_template_error_names_the_template_and_line() {
    fails_and_keeps_output(
        |root| {
            write_files(root, &[("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | no_such_filter }}\n{% endblock content %}\n")])
        },
        &["templates/page.html", ":3:"],
    );
    fails_and_keeps_output(
        |root| {
            write_files(root, &[("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope.deeper }}\n{% endblock content %}\n")])
        },
        &["templates/page.html:3"],
    );
}

#[test]
fn the_matrix_is_sparse_for_many_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let mut files = Vec::new();
    for i in 0..25 {
        files.push((format!("content/sources/s{i:02}.md"), format!("+++\ntitle = \"S{i}\"\noutlet = \"Outlet {i}\"\npublished = 2021-12-01\n+++\n\nWord{i} here.\n")));
        files.push((format!("content/claims/c{i:02}.md"), format!("+++\nclaim = \"C{i}\"\nverdict = \"true\"\n[[evidence]]\nsource = \"s{i:02}\"\nstance = \"supports\"\nquote = \"Word{i}\"\n+++\n")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(&root, &refs);
    build_ok(&root, &root.join("public"));
    let html = fs::read_to_string(root.join("public/matrix/index.html")).unwrap();
    assert!(
        html.contains("matrix-list"),
        "26 cited sources give the list layout"
    );
    // Each row lists only what its claim cites: one link per claim here.
    let row = html
        .split("<tr>")
        .find(|r| r.contains("claims/c07/"))
        .unwrap();
    assert_eq!(row.matches("sources/").count(), 1, "{row}");
    assert!(
        row.contains("<bdi>Outlet 7</bdi>, 1 December 2021</a>: supports"),
        "{row}"
    );
}

#[test]
fn a_source_footnote_cannot_take_a_passage_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(
        &root,
        &[(
            "content/sources/report.md",
            "+++\ntitle = \"A report\"\noutlet = \"Wire\"\npublished = 2021-12-30\n+++\n\n[^q-troops-1]: fake passage\n\nSee[^q-troops-1] and [^main]. Russia has assembled around 100,000 troops near the Ukrainian border.\n\n[^main]: x\n",
        )],
    );
    build_ok(&root, &root.join("public"));
    let html = fs::read_to_string(root.join("public/sources/report/index.html")).unwrap();
    assert_eq!(html.matches("id=\"q-troops-1\"").count(), 1, "{html}");
    assert_eq!(html.matches("id=\"main\"").count(), 1, "{html}");
    assert!(html.contains("id=\"fn-q-troops-1\""), "{html}");
}

#[test]
fn output_paths_are_resolved_before_the_safety_checks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let o = run(
        &root,
        &["build", "--output", "nonexist/../content/sources/out"],
    );
    assert!(!o.status.success());
    assert!(texts(&o).1.contains("inside content/"), "{}", texts(&o).1);
    assert!(!root.join("content/sources/out").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let real = dir.path().join("real");
    build_ok(&root, &real);
    std::os::unix::fs::symlink(&real, root.join("public")).unwrap();
    fs::remove_file(root.join("content/pages/about.md")).unwrap();
    build_ok(&root, &root.join("public"));
    assert!(
        fs::symlink_metadata(root.join("public"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept"
    );
    assert!(real.join("index.html").is_file());
    assert!(
        !real.join("pages/about/index.html").exists(),
        "the target has the new site"
    );
}

#[test]
fn static_dotfiles_are_copied_and_folder_collisions_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(
        &root,
        &[
            ("static/.nojekyll", ""),
            ("static/.well-known/security.txt", "x"),
        ],
    );
    build_ok(&root, &root.join("public"));
    assert!(root.join("public/.nojekyll").is_file());
    assert!(root.join("public/.well-known/security.txt").is_file());
    write_files(
        &root,
        &[("static/claims/troops", "a file where a folder must be")],
    );
    let o = run(&root, &["build"]);
    assert!(!o.status.success());
    assert!(
        texts(&o)
            .1
            .contains("two files would be written to claims/troops"),
        "{}",
        texts(&o).1
    );
}

#[test]
fn control_characters_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(&root, &[("content/claims/ctl.md", "+++\nclaim = \"C\\u000bx\\u0007\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\n+++\n\nBell \u{7} here.\n")]);
    build_ok(&root, &root.join("public"));
    for f in ["feed.xml", "claims/ctl/index.html", "index.html"] {
        let text = fs::read_to_string(root.join("public").join(f)).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{f}"
        );
    }
    assert!(fs::read_to_string(root.join("public/feed.xml"))
        .unwrap()
        .contains("Cx"));
}

#[test]
fn undated_claims_are_on_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    write_files(&root, &[("content/_index.md", "+++\ntitle = \"T\"\n+++\n")]);
    build_ok(&root, &root.join("public"));
    let html = fs::read_to_string(root.join("public/timeline/index.html")).unwrap();
    assert!(html.contains("Date not known"), "{html}");
    assert!(html.contains("claims/troops/"), "{html}");
}

/// Every line of `stdout` as JSON; fails on any line that is not.
fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

#[test]
fn with_format_json_stdout_holds_json_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);

    // A usage error found by factbrief (the site root as output): JSON too, exit 1.
    let o = run(root, &["build", "--format", "json", "--output", "."]);
    let (stdout, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    let diags = json_lines(&stdout);
    assert!(
        !diags.is_empty(),
        "no diagnostic on stdout; stderr: {stderr}"
    );
    for d in &diags {
        assert_eq!(d["code"], "usage", "{d}");
        assert_eq!(d["severity"], "error", "{d}");
        assert_eq!(d["file"], ".", "{d}");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains("it is the site root"),
            "{d}"
        );
        assert_eq!(
            d["help"], "use a folder of its own, such as --output public",
            "the help is a field of its own: {d}"
        );
    }
    assert!(stderr.is_empty(), "{stderr}");

    // An I/O failure: the output folder cannot be made (its parent is a file).
    write_files(root, &[("a-file", "x")]);
    let o = run(
        root,
        &["build", "--format", "json", "--output", "a-file/out"],
    );
    let (stdout, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    let diags = json_lines(&stdout);
    assert_eq!(diags.len(), 1, "{stdout}");
    assert_eq!(diags[0]["code"], "io", "{stdout}");
    assert_eq!(diags[0]["file"], "a-file", "{stdout}");

    // A successful build says what it did on standard error, not standard output.
    let o = run(root, &["build", "--format", "json"]);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.starts_with("Built "), "{stderr}");

    // A broken site: every diagnostic on stdout, each a JSON line.
    write_files(
        root,
        &[(
            "content/claims/troops.md",
            "+++\nclaim = \"x\"\nverdit = \"true\"\n+++\n",
        )],
    );
    let o = run(root, &["check", "--format", "json"]);
    let (stdout, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let codes: Vec<_> = json_lines(&stdout)
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(codes.contains(&"unknown-field".to_owned()), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    // And the same failures for people go to standard error.
    let o = run(root, &["build"]);
    let (stdout, stderr) = texts(&o);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("error[unknown-field]"), "{stderr}");
}

#[test]
fn usage_errors_are_diagnostics_with_their_help_apart() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let o = run(dir.path(), &["build", "--output", "."]);
    let (_, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.starts_with("error[usage]: refusing to write into .: it is the site root"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: use a folder of its own, such as --output public"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("= help"),
        "help is not baked into the message: {stderr}"
    );
}

#[test]
fn help_documents_the_exit_status() {
    for args in [&["--help"][..], &["build", "--help"], &["check", "--help"]] {
        let o = run(&repo_root(), args);
        let (stdout, _) = texts(&o);
        assert!(o.status.success());
        assert!(stdout.contains("Exit status:"), "{args:?}:\n{stdout}");
        for status in [
            "  0  success",
            "  1  the briefing has errors",
            "  2  the command line is wrong",
        ] {
            assert!(
                stdout.contains(status),
                "{args:?}: {status:?} missing from:\n{stdout}"
            );
        }
    }
    let o = run(&repo_root(), &["check", "--help"]);
    assert!(texts(&o)
        .0
        .contains("one JSON\nobject per line on standard output"));
    // What the help says of 2: the argument parser's errors.
    let o = run(&repo_root(), &["build", "--no-such-option"]);
    assert_eq!(o.status.code(), Some(2));
}
