//! A build killed at any moment never leaves a half-written file where the
//! output should be: every file of the folder is whole, the previous version
//! or the new one, and listed by its manifest; the next build finishes the
//! work, to exactly the new site.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// Every file of the output is listed by its manifest and is whole: the file
/// of the same path in `v1` or in `v2`. Which versions were seen, if the
/// output is there.
fn every_file_whole(
    out: &Path,
    v1: &BTreeMap<String, Vec<u8>>,
    v2: &BTreeMap<String, Vec<u8>>,
) -> Option<BTreeSet<&'static str>> {
    let manifest = fs::read_to_string(out.join(".factbrief-manifest")).ok()?;
    let listed: BTreeSet<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(listed_path)
        .collect();
    let mut versions = BTreeSet::new();
    for (rel, bytes) in snapshot_dir(out) {
        if rel == ".factbrief-manifest" {
            continue;
        }
        assert!(listed.contains(rel.as_str()), "{rel} is not listed");
        if v2.get(&rel) == Some(&bytes) {
            versions.insert("v2");
        } else if v1.get(&rel) == Some(&bytes) {
            versions.insert("v1");
        } else {
            panic!("{rel} is neither the old file nor the new one");
        }
    }
    Some(versions)
}

#[test]
fn killing_a_build_leaves_every_file_old_or_new_and_the_next_build_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The two versions, built into folders of their own for reference.
    big_site(root, "v1");
    assert!(run(root, &["build", "--output", "ref-v1"]).status.success());
    big_site(root, "v2");
    assert!(run(root, &["build", "--output", "ref-v2"]).status.success());
    let site = |folder: &str| {
        let mut files = snapshot_dir(&root.join(folder));
        files.remove(".factbrief-manifest");
        files
    };
    let (v1, v2) = (site("ref-v1"), site("ref-v2"));
    big_site(root, "v1");
    let start = Instant::now();
    assert!(run(root, &["build"]).status.success());
    // Kills spread over a build's time, most near its end, where it writes.
    let took = start.elapsed().as_millis() as u64;
    big_site(root, "v2");
    let out = root.join("public");
    let mut seen = BTreeSet::new();
    for percent in [0u64, 20, 50, 70, 80, 85, 90, 95, 100, 110] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factbrief"))
            .arg("build")
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(took * percent / 100));
        let _ = child.kill();
        let _ = child.wait();
        // Right after the kill: every file whole, the old one or the new one.
        if out.exists() {
            let versions = every_file_whole(&out, &v1, &v2).expect("a manifest");
            seen.insert(versions.into_iter().collect::<Vec<_>>().join("+"));
        }
        // The next build finishes the work.
        let o = run(root, &["build"]);
        assert!(o.status.success(), "{}", texts(&o).1);
        assert_eq!(site("public"), v2, "after a kill at {percent}% of a build");
        // Start the next round from the old site again.
        big_site(root, "v1");
        assert!(run(root, &["build"]).status.success());
        big_site(root, "v2");
    }
    eprintln!("versions seen right after a kill: {seen:?}");
}
