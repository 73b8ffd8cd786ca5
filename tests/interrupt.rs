//! A build killed at any moment never leaves a half-written site where the
//! output should be: the folder holds the previous site or the new one, whole.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;

/// A site large enough that writing it takes a while.
fn big_site(root: &Path, version: &str) {
    write_files(
        root,
        &[(
            "content/_index.md",
            &format!("+++\ntitle = \"Big {version}\"\n+++\n"),
        )],
    );
    let mut files = Vec::new();
    for i in 0..800 {
        files.push((
            format!("content/sources/s{i:04}.md"),
            format!("+++\ntitle = \"Source {i} {version}\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\nText {i} of version {version}.\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(root, &refs);
}

/// The path a manifest line lists: the last of three fields (`hash size
/// path`), or the whole line in the first format.
fn listed_path(line: &str) -> &str {
    line.splitn(3, ' ').nth(2).unwrap_or(line)
}

/// The output is one whole site: every listed file there, nothing else, all of one version.
fn whole_site(out: &Path) -> Option<String> {
    let manifest = fs::read_to_string(out.join(".factbrief-manifest")).ok()?;
    let listed: BTreeSet<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(listed_path)
        .collect();
    let present: BTreeSet<String> = snapshot_dir(out)
        .into_keys()
        .filter(|k| k != ".factbrief-manifest")
        .collect();
    assert_eq!(listed.len(), present.len(), "manifest and files differ");
    assert!(present.iter().all(|p| listed.contains(p.as_str())));
    let index = fs::read_to_string(out.join("index.html")).ok()?;
    let version = if index.contains("Big v1") { "v1" } else { "v2" };
    let stray = fs::read_to_string(out.join("sources/s0799/index.html")).ok()?;
    assert!(
        stray.contains(&format!("version {version}")),
        "a page of the other version"
    );
    Some(version.to_owned())
}

#[test]
fn killing_a_build_leaves_the_old_site_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    big_site(root, "v1");
    assert!(run(root, &["build"]).status.success());
    big_site(root, "v2");
    let out = root.join("public");
    let mut seen = BTreeSet::new();
    for delay_ms in [0u64, 10, 30, 60, 100, 200, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factbrief"))
            .arg("build")
            .current_dir(root)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Right after the kill, and after the next build's recovery of an interrupted swap.
        if out.exists() {
            seen.insert(whole_site(&out).expect("a whole site"));
        }
        let o = run(root, &["build"]);
        assert!(o.status.success(), "{}", texts(&o).1);
        assert_eq!(whole_site(&out).as_deref(), Some("v2"));
        // Start the next round from the old site again.
        big_site(root, "v1");
        assert!(run(root, &["build"]).status.success());
        big_site(root, "v2");
    }
    eprintln!("versions seen right after a kill: {seen:?}");
}
