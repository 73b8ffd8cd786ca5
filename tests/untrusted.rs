//! Nothing from outside the site, and nothing live from a source: every field
//! of a source file is untrusted, and files outside the site root are never read.

mod common;

use common::*;
use factbrief::{build_in_memory, BuildOptions};

#[test]
fn a_source_note_is_rendered_as_untrusted_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    replace_in(
        root,
        "content/sources/report.md",
        "published = 2021-12-30\n",
        "published = 2021-12-30\nnote = \"<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) [the claim](claim:troops) ![pic](https://x.org/p.png)\"\n",
    );
    let site = build_in_memory(&BuildOptions::new(root)).expect("the site builds");
    let page = site.page("sources/report/index.html").unwrap();
    assert!(!page.contains("<script>alert"), "a raw script element");
    assert!(!page.contains("<img src=x"), "a raw element with a handler");
    assert!(
        !page.contains("href=\"javascript:"),
        "a javascript: link\n{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the HTML shown as text"
    );
    assert!(
        page.contains("href=\"../../claims/troops/\""),
        "internal links still work"
    );
    assert!(
        !page.contains("<img src=\"https://x.org/p.png\""),
        "no image loaded from elsewhere"
    );
}

/// Build `root` through the binary: (exit code, stdout, stderr).
fn build(root: &std::path::Path) -> (i32, String, String) {
    let out = run(root, &["build", "--format", "json"]);
    let (o, e) = texts(&out);
    (out.status.code().unwrap_or(-1), o, e)
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_located_errors_and_never_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(
        &secret,
        "+++\ntitle = \"SECRET-TITLE\"\noutlet = \"x\"\npublished = 2021-12-30\nbroken = [\n+++\nSECRET-BODY\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("passwd.txt"), "root:SECRET-LINE:0:0").unwrap();
    std::fs::create_dir(outside.path().join("folder")).unwrap();
    std::fs::write(
        outside.path().join("folder/leak.md"),
        "+++\nSECRET-IN-FOLDER\n",
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    symlink(&secret, root.join("content/sources/leak.md")).unwrap();
    symlink(
        outside.path().join("folder"),
        root.join("content/claims/linked"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(
        outside.path().join("passwd.txt"),
        root.join("static/passwd.txt"),
    )
    .unwrap();
    // A link that stays inside the site is fine.
    symlink(
        root.join("content/pages/about.md"),
        root.join("content/pages/about-too.md"),
    )
    .unwrap();

    let (code, stdout, stderr) = build(root);
    assert_eq!(code, 1, "{stdout}{stderr}");
    for leaked in [
        "SECRET-TITLE",
        "SECRET-BODY",
        "SECRET-LINE",
        "SECRET-IN-FOLDER",
    ] {
        assert!(
            !stdout.contains(leaked) && !stderr.contains(leaked),
            "{leaked} leaked:\n{stdout}{stderr}"
        );
    }
    // The static folder is refused as a whole; the content links each have their error.
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    let outside_files: Vec<&str> = lines
        .iter()
        .filter(|d| d["code"] == "outside-site")
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert!(!outside_files.is_empty(), "{stdout}");
    for d in &lines {
        assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{d}");
    }
    // Without the static link, the content links are reported, each at its file.
    std::fs::remove_file(root.join("static/passwd.txt")).unwrap();
    let (code, stdout, _) = build(root);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("\"file\":\"content/sources/leak.md\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"file\":\"content/claims/linked\""),
        "{stdout}"
    );
    assert!(!stdout.contains("SECRET"), "{stdout}");
    // And once they are gone, the site builds, the inside link included.
    std::fs::remove_file(root.join("content/sources/leak.md")).unwrap();
    std::fs::remove_file(root.join("content/claims/linked")).unwrap();
    let (code, stdout, stderr) = build(root);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(root.join("public/pages/about-too/index.html").is_file());
    assert!(!root.join("public/passwd.txt").exists());
}
