//! A build into a folder holding its previous site writes only what changed:
//! unchanged files keep their bytes, inode and mtime; changed files are
//! replaced, files that went away removed; and the result is always the same,
//! byte for byte, as a build into a new folder.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;

/// A file of the output: its inode, its mtime (ns) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    ino: u64,
    mtime: i128,
    bytes: Vec<u8>,
}

/// Every file under `out` (but the manifest), by relative path.
fn seen(out: &Path) -> BTreeMap<String, Seen> {
    snapshot_dir(out)
        .into_iter()
        .filter(|(rel, _)| rel != ".factbrief-manifest")
        .map(|(rel, bytes)| {
            let m = fs::metadata(out.join(&rel)).unwrap();
            let mtime = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
            (
                rel,
                Seen {
                    ino: m.ino(),
                    mtime,
                    bytes,
                },
            )
        })
        .collect()
}

/// The bytes of every file of `out` but the manifest.
fn contents(out: &Path) -> BTreeMap<String, Vec<u8>> {
    seen(out).into_iter().map(|(k, v)| (k, v.bytes)).collect()
}

/// The files of `after` that are not the same file as in `before` (another
/// inode or mtime), or new.
fn touched(before: &BTreeMap<String, Seen>, after: &BTreeMap<String, Seen>) -> Vec<String> {
    after
        .iter()
        .filter(|(rel, now)| {
            before
                .get(*rel)
                .is_none_or(|was| was.ino != now.ino || was.mtime != now.mtime)
        })
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// The files whose bytes differ between `before` and `after`, or that are new.
fn differing(before: &BTreeMap<String, Seen>, after: &BTreeMap<String, Seen>) -> Vec<String> {
    after
        .iter()
        .filter(|(rel, now)| before.get(*rel).is_none_or(|was| was.bytes != now.bytes))
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// The counts the summary gives: (written, unchanged, removed).
fn counts(o: &std::process::Output) -> (usize, usize, usize) {
    let stdout = texts(o).0;
    let inside = stdout
        .split_once(" ms (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside.to_owned())
        .unwrap_or_else(|| panic!("no counts in {stdout}"));
    let n: Vec<usize> = inside
        .split(", ")
        .map(|part| part.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

/// What a build of `root` into a new folder gives (the folder is removed after).
fn fresh(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fresh");
    build_ok(root, &out);
    contents(&out)
}

/// The small site with a few more sources, so an edit leaves most pages alone.
fn site(root: &Path) {
    small_site(root);
    for i in 0..8 {
        write_files(
            root,
            &[(
                &format!("content/sources/s{i}.md"),
                &format!("+++\ntitle = \"Source {i}\"\noutlet = \"Outlet {i}\"\npublished = 2021-12-0{}\n+++\n\nSentence number {i} of the set.\n", 1 + i % 9),
            )],
        );
    }
    write_files(
        root,
        &[(
            "content/claims/second.md",
            "+++\nclaim = \"The second claim.\"\nverdict = \"false\"\n\n[[evidence]]\nsource = \"s1\"\nstance = \"contradicts\"\nquote = \"Sentence number 1\"\n+++\n\nAnalysis of the second.\n",
        )],
    );
}

#[test]
fn a_second_build_with_no_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    let first = build_ok(&root, &out);
    let (written, unchanged, removed) = counts(&first);
    assert_eq!((unchanged, removed), (0, 0), "a new folder: all written");
    let before = seen(&out);
    assert_eq!(written, before.len());
    let manifest = fs::metadata(out.join(".factbrief-manifest")).unwrap();

    let again = build_ok(&root, &out);
    assert_eq!(counts(&again), (0, before.len(), 0));
    let after = seen(&out);
    assert_eq!(after, before, "same bytes, inodes and mtimes");
    // Not even the manifest is written again.
    let manifest_after = fs::metadata(out.join(".factbrief-manifest")).unwrap();
    assert_eq!(manifest_after.ino(), manifest.ino());
    assert_eq!(manifest_after.mtime_nsec(), manifest.mtime_nsec());
}

#[test]
fn an_edit_rewrites_only_the_files_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let before = seen(&out);

    let claim = root.join("content/claims/second.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(
        &claim,
        text.replace("Analysis of the second.", "A longer analysis."),
    )
    .unwrap();
    let o = build_ok(&root, &out);
    let after = seen(&out);
    let changed = differing(&before, &after);
    assert!(
        changed.contains(&"claims/second/index.html".to_owned()),
        "{changed:?}"
    );
    // Exactly the files whose bytes changed are new files; the rest are untouched.
    assert_eq!(touched(&before, &after), changed);
    assert!(after.contains_key("sources/s5/index.html"));
    assert!(!changed.contains(&"sources/s5/index.html".to_owned()));
    let (written, unchanged, removed) = counts(&o);
    assert_eq!(written, changed.len());
    assert_eq!(unchanged, after.len() - changed.len());
    let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
    assert_eq!(removed, gone);
    assert_eq!(contents(&out), fresh(&root));
}

#[test]
fn a_removed_claims_files_and_folder_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    assert!(out.join("claims/second/share.png").is_file());
    let before = seen(&out);
    fs::remove_file(root.join("content/claims/second.md")).unwrap();
    let o = build_ok(&root, &out);
    assert!(
        !out.join("claims/second").exists(),
        "its folder goes with its files"
    );
    let after = seen(&out);
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(gone.contains(&&"claims/second/index.html".to_owned()));
    assert!(gone.contains(&&"claims/second/share.png".to_owned()));
    assert_eq!(counts(&o).2, gone.len());
    assert_eq!(touched(&before, &after), differing(&before, &after));
    assert_eq!(contents(&out), fresh(&root));
}

#[test]
fn a_file_changed_or_removed_by_hand_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let good = contents(&out);
    let before = seen(&out);
    // Another size; the same size with other bytes; gone.
    fs::write(out.join("index.html"), "defaced").unwrap();
    let page = out.join("sources/s3/index.html");
    let mut bytes = fs::read(&page).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    // Later than the build for sure, even on a coarse clock.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&page, &bytes).unwrap();
    fs::remove_file(out.join("sources/s4/index.html")).unwrap();
    let o = build_ok(&root, &out);
    assert_eq!(contents(&out), good);
    assert_eq!(counts(&o), (3, before.len() - 3, 0));
    let after = seen(&out);
    let mut rewritten = touched(&before, &after);
    rewritten.sort();
    assert_eq!(
        rewritten,
        [
            "index.html",
            "sources/s3/index.html",
            "sources/s4/index.html"
        ]
    );
}

#[test]
fn a_manifest_without_stamps_falls_back_to_comparing_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let before = seen(&out);
    let manifest = out.join(".factbrief-manifest");
    let text = fs::read_to_string(&manifest).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(lines.len() > 10);

    // Garbled hash fields, and missing ones: every file is compared, none written.
    let garbled: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if l.starts_with('#') {
                format!("{l}\n")
            } else if i % 2 == 0 {
                format!("zz{}\n", &l[2..])
            } else {
                let path = l.splitn(3, ' ').nth(2).unwrap();
                format!("- - {path}\n")
            }
        })
        .collect();
    fs::write(&manifest, garbled).unwrap();
    let o = build_ok(&root, &out);
    assert_eq!(counts(&o), (0, before.len(), 0));
    assert_eq!(seen(&out), before);
    assert_eq!(
        fs::read_to_string(&manifest).unwrap(),
        text,
        "the stamps are back"
    );

    // A manifest of the first format (paths alone), with a page edited by hand.
    let paths: String = lines
        .iter()
        .map(|l| format!("{}\n", l.splitn(3, ' ').nth(2).unwrap()))
        .collect();
    fs::write(&manifest, format!("# Files written by factbrief\n{paths}")).unwrap();
    fs::write(out.join("claims/index.html"), "edited").unwrap();
    let o = build_ok(&root, &out);
    assert_eq!(counts(&o), (1, before.len() - 1, 0));
    assert_eq!(touched(&before, &seen(&out)), ["claims/index.html"]);
    assert_eq!(contents(&out), fresh(&root));

    // No manifest at all: the folder is not factbrief's any more, and is refused.
    fs::remove_file(&manifest).unwrap();
    let o = run(&root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texts(&o).1.contains("holds files factbrief did not write"),
        "{}",
        texts(&o).1
    );
    assert_eq!(contents(&out), fresh(&root));
}

#[test]
fn clean_rewrites_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let before = seen(&out);
    let o = run(
        &root,
        &["build", "--clean", "--output", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", texts(&o).1);
    assert_eq!(counts(&o), (before.len(), 0, 0));
    let after = seen(&out);
    assert_eq!(touched(&before, &after).len(), after.len(), "every file");
    assert!(after.iter().all(|(rel, s)| s.ino != before[rel].ino));
    assert_eq!(contents(&out), contents_of(&before));
    // --clean is in the help.
    let help = texts(&run(&root, &["build", "--help"])).0;
    assert!(help.contains("--clean"), "{help}");
}

fn contents_of(files: &BTreeMap<String, Seen>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(k, v)| (k.clone(), v.bytes.clone()))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_site_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let before = seen(&out);
    let manifest = fs::read(out.join(".factbrief-manifest")).unwrap();
    let claim = root.join("content/claims/troops.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(&claim, text.replace("around 100,000", "around 10,000")).unwrap();
    let o = run(&root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(seen(&out), before);
    assert_eq!(fs::read(out.join(".factbrief-manifest")).unwrap(), manifest);
    let prefix = ".out.factbrief-";
    let beside: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && !n.ends_with("-lock") && !n.ends_with("-cache"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_file_where_the_new_site_needs_a_folder_is_replaced_whole() {
    // A static file `guide` becomes a folder `guide/` of static files: the
    // new site cannot be put in place file by file.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    write_files(&root, &[("static/guide", "a file")]);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    fs::remove_file(root.join("static/guide")).unwrap();
    write_files(&root, &[("static/guide/index.html", "a folder")]);
    let o = build_ok(&root, &out);
    assert_eq!(
        fs::read_to_string(out.join("guide/index.html")).unwrap(),
        "a folder"
    );
    assert_eq!(contents(&out), fresh(&root));
    assert_eq!(counts(&o).1, 0, "written whole");
    // And back.
    fs::remove_dir_all(root.join("static/guide")).unwrap();
    write_files(&root, &[("static/guide", "a file again")]);
    build_ok(&root, &out);
    assert_eq!(contents(&out), fresh(&root));
}

/// A tiny deterministic random number generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn source(i: usize, extra: &str) -> String {
    format!("+++\ntitle = \"Source {i}{extra}\"\noutlet = \"Outlet {}\"\npublished = 2021-12-{:02}\n+++\n\nUnique sentence number {i} of the set.\n", i % 3, 1 + i % 28)
}

fn claim(i: usize, verdict: &str, sources: &[usize], words: &str) -> String {
    let mut s = format!(
        "+++\nclaim = \"Claim {i}.\"\nverdict = \"{verdict}\"\ntags = [\"t{}\"]\n",
        i % 2
    );
    for (k, src) in sources.iter().enumerate() {
        let stance = ["supports", "contradicts", "context"][k % 3];
        s.push_str(&format!("[[evidence]]\nsource = \"s{src}\"\nstance = \"{stance}\"\nquote = \"Unique sentence number {src}\"\n"));
    }
    s.push_str(&format!("+++\n\nAnalysis of claim {i}: {words}.\n"));
    s
}

/// Builds into one folder across random edits of the briefing, and random
/// damage to the folder between builds (files edited or removed by hand, a
/// garbled or older manifest), always give the same site, byte for byte, as
/// a build into a new folder; and every file whose bytes did not change is
/// left alone.
#[test]
fn builds_into_one_folder_across_edits_equal_fresh_builds() {
    for seed in [3u64, 11] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write_files(
            &root,
            &[(
                "content/_index.md",
                "+++\ntitle = \"Inc\"\npublished = 2022-01-05\n+++\nOverview.\n",
            )],
        );
        let mut sources: Vec<usize> = (0..6).collect();
        let mut claims: Vec<usize> = (0..4).collect();
        for &i in &sources {
            write_files(
                &root,
                &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
            );
        }
        for &i in &claims {
            write_files(
                &root,
                &[(
                    &format!("content/claims/c{i}.md"),
                    &claim(i, "true", &[i, i + 1], "first"),
                )],
            );
        }
        let out = dir.path().join("out");
        build_ok(&root, &out);
        let mut rng = Rng(seed);
        let verdicts = ["true", "mixed", "false", "misleading"];
        let mut next_id = 100;
        for step in 0..24 {
            let what = rng.next(8);
            match what {
                0 => {
                    let c = claims[rng.next(claims.len())];
                    let s = sources[rng.next(sources.len())];
                    let v = verdicts[rng.next(verdicts.len())];
                    write_files(
                        &root,
                        &[(
                            &format!("content/claims/c{c}.md"),
                            &claim(c, v, &[s], &format!("step {step}")),
                        )],
                    );
                }
                1 => {
                    let s = sources[rng.next(sources.len())];
                    write_files(
                        &root,
                        &[(
                            &format!("content/sources/s{s}.md"),
                            &source(s, &format!(" rev {step}")),
                        )],
                    );
                }
                2 => {
                    let s = next_id;
                    next_id += 1;
                    sources.push(s);
                    write_files(
                        &root,
                        &[(&format!("content/sources/s{s}.md"), &source(s, ""))],
                    );
                }
                3 => {
                    // A source no claim cites (claims cite sources[0..2] only after this).
                    if sources.len() > 3 {
                        let s = sources.remove(2 + rng.next(sources.len() - 2));
                        for &c in &claims {
                            write_files(
                                &root,
                                &[(
                                    &format!("content/claims/c{c}.md"),
                                    &claim(c, "mixed", &[sources[0], sources[1]], "moved"),
                                )],
                            );
                        }
                        fs::remove_file(root.join(format!("content/sources/s{s}.md"))).unwrap();
                    }
                }
                4 => {
                    let c = next_id;
                    next_id += 1;
                    claims.push(c);
                    let s = sources[rng.next(sources.len())];
                    write_files(
                        &root,
                        &[(
                            &format!("content/claims/c{c}.md"),
                            &claim(c, "false", &[s], "new"),
                        )],
                    );
                }
                5 => {
                    if claims.len() > 1 {
                        let c = claims.remove(rng.next(claims.len()));
                        fs::remove_file(root.join(format!("content/claims/c{c}.md"))).unwrap();
                    }
                }
                6 => write_files(
                    &root,
                    &[(
                        "templates/claim.html",
                        &format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ claim.claim }}}}</h1><!-- {step} -->{{% endblock content %}}"),
                    )],
                ),
                _ => write_files(
                    &root,
                    &[(&format!("static/extra{}.css", rng.next(3)), &format!("/* {step} */"))],
                ),
            }
            // Now and then, damage done to the folder between builds.
            let before = seen(&out);
            let manifest = out.join(".factbrief-manifest");
            let mut damaged = Vec::new();
            match rng.next(6) {
                0 => {
                    let rel = before.keys().nth(rng.next(before.len())).unwrap().clone();
                    std::thread::sleep(std::time::Duration::from_millis(10));
                    let mut bytes = before[&rel].bytes.clone();
                    if let Some(b) = bytes.first_mut() {
                        *b = b.wrapping_add(1);
                    }
                    fs::write(out.join(&rel), bytes).unwrap();
                    damaged.push(rel);
                }
                1 => {
                    let rel = before.keys().nth(rng.next(before.len())).unwrap().clone();
                    fs::remove_file(out.join(&rel)).unwrap();
                    damaged.push(rel);
                }
                2 => {
                    // Garble every third line of the manifest.
                    let text = fs::read_to_string(&manifest).unwrap();
                    let garbled: String = text
                        .lines()
                        .enumerate()
                        .map(|(i, l)| {
                            if i % 3 == 0 && !l.starts_with('#') {
                                format!("x{}\n", &l[1..])
                            } else {
                                format!("{l}\n")
                            }
                        })
                        .collect();
                    fs::write(&manifest, garbled).unwrap();
                }
                _ => {}
            }
            let before = seen(&out);
            build_ok(&root, &out);
            let after = seen(&out);
            let expected = fresh(&root);
            assert_eq!(
                contents(&out),
                expected,
                "seed {seed} step {step} (edit {what})"
            );
            // A file was rewritten only if its bytes changed (or the hand damage).
            let mut should = differing(&before, &after);
            should.extend(damaged.into_iter().filter(|d| after.contains_key(d)));
            should.sort();
            should.dedup();
            assert_eq!(
                touched(&before, &after),
                should,
                "seed {seed} step {step} (edit {what})"
            );
            // Nothing is left beside the output but the lock and the cache.
            let beside: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n.starts_with(".out.factbrief-new") || n.starts_with(".out.factbrief-old")
                })
                .collect();
            assert!(beside.is_empty(), "seed {seed} step {step}: {beside:?}");
        }
    }
}
