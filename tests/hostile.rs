//! Hostile and broken input: every case gets a located error or a correct
//! result, and the binary never panics (exit code 101).

mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

use common::*;

/// A diagnostic's (code, file, line).
type Found = (String, String, Option<u64>);

/// Run `check --format json`; the exit code, the diagnostics and the raw output.
fn check(root: &Path) -> (i32, Vec<Found>, String) {
    let o = run(root, &["check", "--format", "json"]);
    let code = o.status.code().expect("exited, not killed");
    assert_ne!(code, 101, "panicked:\n{}", texts(&o).1);
    let stdout = texts(&o).0;
    let diags = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (
                v["code"].as_str().unwrap().to_owned(),
                v["file"].as_str().unwrap().to_owned(),
                v["line"].as_u64(),
            )
        })
        .collect();
    (code, diags, stdout)
}

fn has(diags: &[Found], code: &str, file: &str, line: Option<u64>) -> bool {
    diags
        .iter()
        .any(|(c, f, l)| c == code && f == file && (line.is_none() || *l == line))
}

#[test]
fn byte_order_mark_and_crlf_are_read_and_lines_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let good = "\u{feff}+++\r\ntitle = \"CRLF\"\r\noutlet = \"W\"\r\npublished = 2021-12-30\r\n+++\r\n\r\nLine one\r\nline two.\r\n";
    write_files(dir.path(), &[("content/sources/crlf.md", good)]);
    let claim = "\u{feff}+++\r\nclaim = \"x\"\r\nverdict = \"true\"\r\n[[evidence]]\r\nsource = \"crlf\"\r\nstance = \"supports\"\r\nquote = \"one line two\"\r\n+++\r\n";
    write_files(dir.path(), &[("content/claims/crlf.md", claim)]);
    let (code, diags, json) = check(dir.path());
    assert_eq!(code, 0, "{json}");
    assert!(diags.is_empty(), "{diags:?}");
    write_files(
        dir.path(),
        &[(
            "content/claims/crlf.md",
            &claim.replace("verdict", "verdikt"),
        )],
    );
    let (code, diags, _) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        has(&diags, "unknown-field", "content/claims/crlf.md", Some(3)),
        "{diags:?}"
    );
}

#[test]
fn front_matter_that_is_not_a_table() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    write_files(
        dir.path(),
        &[
            ("content/pages/a.md", "---\njust a string\n---\n"),
            ("content/pages/b.md", "---\n- a\n- b\n---\n"),
            ("content/pages/c.md", "+++\n[1, 2]\n+++\n"),
            ("content/pages/d.md", "+++\ntitle = \"ok\"\n+++\n"),
            ("content/pages/e.md", "+++\ntitle = 3\n+++\n"),
            ("content/pages/f.md", "---\ntitle: \"unclosed\n---\n"),
            (
                "content/pages/g.md",
                "+++\ntitle = \"a\"\nweight = \"heavy\"\n+++\n",
            ),
            ("content/pages/h.md", "\u{0}\u{0}+++\n"),
        ],
    );
    let (code, diags, json) = check(dir.path());
    assert_eq!(code, 1);
    for (page, code) in [
        ("a", "wrong-type"),
        ("b", "wrong-type"),
        ("c", "front-matter-syntax"),
        ("e", "wrong-type"),
        ("f", "front-matter-syntax"),
        ("g", "wrong-type"),
        ("h", "unterminated-front-matter"),
    ] {
        assert!(
            has(&diags, code, &format!("content/pages/{page}.md"), None),
            "{page}: {code}\n{json}"
        );
    }
    assert!(!diags.iter().any(|d| d.1 == "content/pages/d.md"));
}

#[test]
fn bad_ids_of_every_kind_are_each_reported() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let page = "+++\ntitle = \"x\"\n+++\n";
    let names = [
        "Upper.md",
        "with space.md",
        "été.md",
        "-dash.md",
        "a..b.md",
        "_index.md",
        "Report.md",
    ];
    for n in names {
        write_files(dir.path(), &[(&format!("content/pages/{n}"), page)]);
    }
    let (code, diags, _) = check(dir.path());
    assert_eq!(code, 1);
    for n in names {
        assert!(
            has(&diags, "bad-id", &format!("content/pages/{n}"), None),
            "{n}: {diags:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_located() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let sources = dir.path().join("content/sources");
    std::os::unix::fs::symlink("..", sources.join("loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", sources.join("gone.md")).unwrap();
    let (code, diags, json) = check(dir.path());
    assert_eq!(code, 1, "{json}");
    assert!(
        diags
            .iter()
            .any(|(c, f, _)| c == "symlink-loop" && f.starts_with("content/sources/loop")),
        "{json}"
    );
    assert!(
        diags
            .iter()
            .any(|(c, f, _)| c == "unreadable" && f == "content/sources/gone.md"),
        "{json}"
    );
}

#[test]
fn a_20_mb_source_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let para = "Officials said the talks would continue, and *nobody* expected a [breakthrough](https://x.org) before January. ";
    let mut body = String::with_capacity(21 << 20);
    while body.len() < 20 << 20 {
        body.push_str(para);
        body.push_str("\n\n");
    }
    body.push_str("The very last sentence of the transcript.\n");
    write_files(
        dir.path(),
        &[
            ("content/sources/huge.md", &format!("+++\ntitle = \"Huge\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\n{body}")),
            ("content/claims/huge.md", "+++\nclaim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"huge\"\nstance = \"supports\"\nquote = \"The very last sentence of the transcript.\"\n[[evidence]]\nsource = \"huge\"\nstance = \"context\"\nquote = \"nobody expected a breakthrough before February\"\n+++\n"),
        ],
    );
    let started = Instant::now();
    let (code, diags, json) = check(dir.path());
    eprintln!("20 MB source checked in {:?}", started.elapsed());
    assert_eq!(code, 1);
    assert!(
        has(
            &diags,
            "quote-not-found",
            "content/claims/huge.md",
            Some(11)
        ),
        "{json}"
    );
    assert!(
        json.contains("the quote has `February` where the source has `January.`")
            || json.contains("`February`"),
        "{json}"
    );
    // Without the bad quote it builds, and the last sentence is marked.
    write_files(dir.path(), &[("content/claims/huge.md", "+++\nclaim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"huge\"\nstance = \"supports\"\nquote = \"The very last sentence of the transcript.\"\n+++\n")]);
    let o = run(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let html = fs::read_to_string(dir.path().join("public/sources/huge/index.html")).unwrap();
    assert!(html.contains("<mark id=\"q-huge-1\" data-q=\"q-huge-1\">The very last sentence of the transcript.</mark>"));
}

#[test]
fn ten_thousand_evidence_entries() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let mut claim = String::from("+++\nclaim = \"x\"\nverdict = \"true\"\n");
    for i in 0..10_000 {
        let stance = ["supports", "contradicts", "context"][i % 3];
        claim.push_str(&format!("[[evidence]]\nsource = \"report\"\nstance = \"{stance}\"\nquote = \"around 100,000 troops\"\nnote = \"n{i}\"\n"));
    }
    claim.push_str("+++\n");
    write_files(dir.path(), &[("content/claims/many.md", &claim)]);
    let started = Instant::now();
    let o = run(dir.path(), &["build"]);
    eprintln!("10,000 evidence entries built in {:?}", started.elapsed());
    let (_, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    // The same passage cited 10,000 times: a warning each time after the first, located.
    assert_eq!(stderr.matches("warning[duplicate-citation]").count(), 9_999);
    assert!(
        stderr.contains("--> content/claims/many.md:50002:"),
        "the last entry's quote line"
    );
    let html = fs::read_to_string(dir.path().join("public/sources/report/index.html")).unwrap();
    assert!(html.contains("id=\"q-many-10000\""));
}

#[test]
fn pathological_markdown_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let nasty = [
        "[".repeat(20_000),
        "*".repeat(20_000),
        "> ".repeat(5_000) + "deep",
        "- ".repeat(5_000) + "list",
        "`".repeat(10_000),
        "<".repeat(10_000) + "script>",
        "| a |\n|---|\n".to_owned() + &"| x |\n".repeat(5_000),
        "[^1]\n\n[^1]: ".to_owned() + &"[^1] ".repeat(1_000),
        "\u{0}\u{202e}\u{feff} mixed \u{10ffff}".to_owned(),
    ];
    for (i, body) in nasty.iter().enumerate() {
        write_files(dir.path(), &[(&format!("content/sources/n{i}.md"), &format!("+++\ntitle = \"n{i}\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\n{body}\n"))]);
    }
    let (code, _, json) = check(dir.path());
    assert_eq!(code, 0, "{json}");
}

#[test]
fn deeply_nested_yaml_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    // 100,000 `[` took the YAML parser 43 s; the guard answers before parsing.
    let deep = format!(
        "---\ntitle: x\noutlet: y\npublished: 2021-12-30\nauthors: {}\n---\nText.\n",
        "[".repeat(100_000)
    );
    write_files(root, &[("content/sources/deep.md", &deep)]);
    let (code, diags, out) = check(root);
    assert_eq!(code, 1, "{out}");
    assert!(
        has(
            &diags,
            "front-matter-syntax",
            "content/sources/deep.md",
            Some(5)
        ),
        "{out}"
    );
    assert!(out.contains("more than 64 levels"), "{out}");
    // Ordinary nesting is fine.
    let shallow = "---\ntitle: x\noutlet: y\npublished: 2021-12-30\nauthors: [\"a\", \"b [c]\"]  # [[[[\n---\nText.\n";
    write_files(root, &[("content/sources/deep.md", shallow)]);
    let (_, diags, out) = check(root);
    assert!(
        !diags
            .iter()
            .any(|(_, f, _)| f == "content/sources/deep.md" && !out.contains("uncited")),
        "{out}"
    );
}

#[test]
fn characters_xml_forbids_never_reach_the_feed_or_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    // TOML escapes can write any char into a title or a claim.
    replace_in(
        root,
        "content/_index.md",
        "title = \"Test briefing\"",
        "title = \"Test \\uFFFE briefing \\uFFFF\\u0001\"",
    );
    replace_in(
        root,
        "content/claims/troops.md",
        "claim = \"Russia",
        "claim = \"\\uFFFF\\u0085Russia",
    );
    let out = run(root, &["build"]);
    assert!(out.status.success(), "{}", texts(&out).1);
    for file in [
        "feed.xml",
        "sitemap.xml",
        "index.html",
        "claims/troops/index.html",
    ] {
        let text = fs::read_to_string(root.join("public").join(file)).unwrap();
        assert!(
            !text.contains(['\u{fffe}', '\u{ffff}', '\u{1}', '\u{85}']),
            "{file} has a character XML 1.0 does not allow"
        );
    }
    let feed = fs::read_to_string(root.join("public/feed.xml")).unwrap();
    assert!(feed.contains("Test  briefing"), "{feed}");
}

#[test]
fn a_quote_needs_a_letter_or_digit_and_never_splits_a_letter() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    write_files(
        root,
        &[(
            "content/sources/accents.md",
            "+++\ntitle = \"A\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\nLe cafe\u{301} est ouvert. Un \u{202e}test\u{202c} ici.\n",
        )],
    );
    let claim = |quote: &str| {
        format!("+++\nclaim = \"c\"\nverdict = \"true\"\n[[evidence]]\nsource = \"accents\"\nstance = \"supports\"\nquote = \"{quote}\"\n+++\n")
    };
    // A lone combining accent, a lone direction override: no letter, refused.
    for (i, q) in ["\\u0301", "\\u202E", "--", "…"].iter().enumerate() {
        write_files(root, &[(&format!("content/claims/q{i}.md"), &claim(q))]);
    }
    // The letter without its combining accent would split what readers see as one `é`.
    write_files(root, &[("content/claims/split.md", &claim("Le cafe"))]);
    // The whole of it is found.
    write_files(
        root,
        &[(
            "content/claims/whole.md",
            &claim("Le cafe\\u0301 est ouvert"),
        )],
    );
    let (code, diags, out) = check(root);
    assert_eq!(code, 1, "{out}");
    for i in 0..4 {
        let file = format!("content/claims/q{i}.md");
        assert!(
            has(&diags, "empty-quote", &file, Some(7)),
            "{file} accepted:\n{out}"
        );
    }
    assert!(
        has(
            &diags,
            "quote-not-found",
            "content/claims/split.md",
            Some(7)
        ),
        "{out}"
    );
    assert!(
        !diags
            .iter()
            .any(|(c, f, _)| f == "content/claims/whole.md" && c != "verdict-vs-evidence"),
        "{out}"
    );
}
