//! The output folder under concurrent and interrupted builds: two builds into
//! one folder never mix, a reader never finds it missing, and the leftovers of
//! a killed build are recovered or cleared by the next one.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;

/// A briefing titled `title` with `sources` sources, each page naming the title.
fn titled_site(root: &Path, title: &str, sources: usize) {
    write_files(
        root,
        &[(
            "content/_index.md",
            &format!("+++\ntitle = \"{title}\"\n+++\n"),
        )],
    );
    let files: Vec<(String, String)> = (0..sources)
        .map(|i| {
            (
                format!("content/sources/s{i:04}.md"),
                format!("+++\ntitle = \"{title} source {i}\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\nText {i} of {title}.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(root, &refs);
}

/// Start `factbrief build --output out` in `root`, its output captured.
fn spawn_build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_factbrief"))
        .args(["build", "--output"])
        .arg(out)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the factbrief binary runs")
}

/// The names factbrief might have made beside the output folder `out`.
/// What a build leaves beside its output folder, but for the cache folder
/// (which every build keeps there: `cache_is_kept_beside_the_output`).
fn names_beside(out: &Path) -> Vec<String> {
    let prefix = format!(".{}.factbrief", out.file_name().unwrap().to_string_lossy());
    let mut names: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && !n.ends_with(".factbrief-cache"))
        .collect();
    names.sort();
    names
}

#[test]
fn two_builds_into_one_output_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    // Different titles, and different files: B has more sources than A.
    titled_site(&a, "Site A", 200);
    titled_site(&b, "Site B", 230);
    let (ref_a, ref_b) = (dir.path().join("ref-a"), dir.path().join("ref-b"));
    build_ok(&a, &ref_a);
    build_ok(&b, &ref_b);
    let (site_a, site_b) = (snapshot_dir(&ref_a), snapshot_dir(&ref_b));
    assert_ne!(site_a.keys().count(), site_b.keys().count());

    let out = dir.path().join("out");
    let mut waits = 0;
    for round in 0..10 {
        let first = spawn_build(&a, &out);
        let second = spawn_build(&b, &out);
        let results: Vec<Output> = [first, second]
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let got = if out.is_dir() {
            snapshot_dir(&out)
        } else {
            BTreeMap::new()
        };
        let which = if got == site_a {
            "A"
        } else if got == site_b {
            "B"
        } else {
            let of = |site: &BTreeMap<String, Vec<u8>>| {
                got.iter().filter(|(k, v)| site.get(*k) == Some(v)).count()
            };
            panic!(
                "round {round}: the output is neither site A nor site B ({} files, {} of A, {} of B); exits {:?}, {:?}\n{}\n{}",
                got.len(),
                of(&site_a),
                of(&site_b),
                results[0].status.code(),
                results[1].status.code(),
                texts(&results[0]).1,
                texts(&results[1]).1,
            );
        };
        for o in &results {
            let stderr = texts(o).1;
            if o.status.success() {
                waits += usize::from(stderr.contains("waiting for another build"));
            } else {
                assert!(
                    stderr.contains("another build into"),
                    "round {round}: a build failed for another reason than the lock:\n{stderr}"
                );
            }
        }
        assert!(
            results.iter().any(|o| o.status.success()),
            "round {round}: neither build succeeded"
        );
        eprintln!(
            "round {round}: site {which}; exits {:?} {:?}",
            results[0].status.code(),
            results[1].status.code()
        );
        // Only the lock file is left beside the output.
        assert_eq!(names_beside(&out), [".out.factbrief-lock"], "round {round}");
    }
    eprintln!("a build said it waited in {waits} of 10 rounds");
}

#[test]
fn a_killed_builds_leftovers_are_recovered_or_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    let site = snapshot_dir(&out);

    // Killed between the two renames of a swap: the output is missing, the
    // previous site is aside, and a staging folder holds part of a new site.
    let old = root.join(".public.factbrief-old-4242-1700000000000000000");
    fs::rename(&out, &old).unwrap();
    let staging = root.join(".public.factbrief-new-4242-1700000000000000000");
    fs::create_dir_all(staging.join("claims")).unwrap();
    fs::write(
        staging.join(".factbrief-manifest"),
        "# Files written by factbrief\nindex.html\nclaims/index.html\n",
    )
    .unwrap();
    fs::write(staging.join("index.html"), "half").unwrap();
    // And an older staging folder, killed before it wrote anything.
    fs::create_dir(root.join(".public.factbrief-new-17-5")).unwrap();

    let o = build_ok(&root, &out);
    let stderr = texts(&o).1;
    assert!(!stderr.contains("cleanup"), "{stderr}");
    assert_eq!(snapshot_dir(&out), site);
    assert_eq!(names_beside(&out), [".public.factbrief-lock"]);

    // Killed after an exchange, before removing the previous site: it is in
    // the staging folder, and the output is whole.
    let previous = root.join(".public.factbrief-new-4243-1700000000000000001");
    fs::create_dir(&previous).unwrap();
    for (rel, bytes) in &site {
        let path = previous.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    build_ok(&root, &out);
    assert_eq!(snapshot_dir(&out), site);
    assert_eq!(names_beside(&out), [".public.factbrief-lock"]);
}

#[test]
fn an_old_site_is_put_back_before_the_output_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    // The previous site aside holds a file factbrief did not write: put back
    // as the output, it is refused like any output holding such a file.
    fs::write(out.join("notes.txt"), "mine").unwrap();
    fs::rename(&out, root.join(".public.factbrief-old-1-2")).unwrap();
    let o = run(&root, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(texts(&o).1.contains("notes.txt"), "{}", texts(&o).1);
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(names_beside(&out), [".public.factbrief-lock"]);
}

#[test]
fn only_factbriefs_own_leftovers_are_removed_and_the_rest_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    // Named like a leftover, but holding a file factbrief did not write.
    let kept = root.join(".public.factbrief-new-9-9");
    write_files(&kept, &[("notes.txt", "mine")]);
    // Not named like a leftover at all.
    write_files(
        &root,
        &[
            (".public.factbrief-newer/a.txt", "a"),
            (".public.factbrief-new-x-1/b.txt", "b"),
            (".public.factbrief-old-1-2", "a file, not a folder"),
        ],
    );
    let o = run(&root, &["build", "--format", "json"]);
    let (stdout, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let cleanup: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|d: &serde_json::Value| d["code"] == "cleanup")
        .collect();
    assert_eq!(cleanup.len(), 1, "{stdout}");
    assert_eq!(cleanup[0]["severity"], "warning");
    let file = cleanup[0]["file"].as_str().unwrap();
    assert!(file.ends_with(".public.factbrief-new-9-9"), "{file}");
    let message = cleanup[0]["message"].as_str().unwrap();
    assert!(message.contains("notes.txt"), "{message}");
    // The summary counts it with the other warnings.
    assert!(stderr.contains("1 warning"), "{stderr}");
    assert_eq!(fs::read_to_string(kept.join("notes.txt")).unwrap(), "mine");
    assert!(root.join(".public.factbrief-newer/a.txt").is_file());
    assert!(root.join(".public.factbrief-new-x-1/b.txt").is_file());
    assert!(root.join(".public.factbrief-old-1-2").is_file());
    // In the human rendering too, with the other warnings.
    let o = run(&root, &["build"]);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("warning[cleanup]"), "{stderr}");
    assert!(stdout.contains(", 1 warning"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn a_previous_site_that_cannot_be_removed_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    // A folder of the previous site without write permission: its files cannot be removed.
    let locked = out.join("claims");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "").is_ok() {
        // As root (or with CAP_DAC_OVERRIDE) permissions stop nothing: the
        // unit test of src/write.rs covers this with a removal that fails.
        // Shown without --nocapture: straight to standard error.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED only_factbriefs_own_leftovers_are_removed_and_the_rest_is_a_warning: permissions are not enforced for this user"
        );
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    fs::remove_file(root.join("content/pages/about.md")).unwrap();
    let o = run(&root, &["build"]);
    let (stdout, stderr) = texts(&o);
    // Put the permission back on whichever folder holds it now, so the temporary folder goes.
    let restore = || {
        for entry in fs::read_dir(&root).unwrap() {
            let claims = entry.unwrap().path().join("claims");
            if claims.is_dir() {
                let _ = fs::set_permissions(&claims, fs::Permissions::from_mode(0o755));
            }
        }
    };
    restore();
    assert!(o.status.success(), "{stderr}");
    assert!(stdout.contains(", 1 warning"), "{stdout}");
    assert!(stderr.contains("warning[cleanup]"), "{stderr}");
    assert!(
        stderr.contains("the previous one could not be removed"),
        "{stderr}"
    );
    assert!(
        !out.join("pages/about/index.html").exists(),
        "the new site is in place"
    );
    // The next build clears it.
    let o = build_ok(&root, &out);
    assert!(!texts(&o).1.contains("cleanup"), "{}", texts(&o).1);
    assert_eq!(names_beside(&out), [".public.factbrief-lock"]);
}

#[test]
fn a_second_build_says_once_that_it_waits() {
    use std::io::BufRead;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    build_ok(&root, &out);
    let before = snapshot_dir(&out);
    // Hold the lock as another build would.
    let mut other =
        fd_lock::RwLock::new(fs::File::open(root.join(".public.factbrief-lock")).unwrap());
    let held = other.write().unwrap();
    fs::remove_file(root.join("content/pages/about.md")).unwrap();
    let mut child = spawn_build(&root, &out);
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("the build says it waits");
    assert!(
        first.starts_with("waiting for another build into"),
        "{first}"
    );
    // It goes on waiting, and the output stays as it was.
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    assert_eq!(snapshot_dir(&out), before);
    drop(held);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = lines.try_iter().collect();
    assert!(status.success(), "{rest:?}");
    assert!(
        !rest.iter().any(|l| l.contains("waiting")),
        "said more than once: {rest:?}"
    );
    assert!(!out.join("pages/about/index.html").exists());
}

/// While builds replace the output again and again, a reader polling a page
/// always finds it: the exchange leaves no instant without a site.
#[cfg(target_os = "linux")]
#[test]
fn a_reader_never_finds_the_output_missing() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    titled_site(&a, "Site A", 20);
    titled_site(&b, "Site B", 25);
    let out = dir.path().join("out");
    build_ok(&a, &out);
    let page = out.join("index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let poller = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let (mut polls, mut missing) = (0u64, 0u64);
            let give_up = Instant::now() + Duration::from_secs(300);
            while !stop.load(Ordering::Relaxed) && Instant::now() < give_up {
                polls += 1;
                if fs::metadata(&page).is_err() {
                    missing += 1;
                }
            }
            (polls, missing)
        })
    };
    for round in 0..20 {
        build_ok(if round % 2 == 0 { &b } else { &a }, &out);
    }
    stop.store(true, Ordering::Relaxed);
    let (polls, missing) = poller.join().unwrap();
    eprintln!("{polls} polls during 20 builds, {missing} without the page");
    assert!(polls > 20);
    assert_eq!(
        missing, 0,
        "the page was missing in {missing} of {polls} polls"
    );
}

#[test]
fn cache_is_kept_beside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = dir.path().join("out");
    build_ok(&root, &out);
    let cache = dir.path().join(".out.factbrief-cache/share-v1");
    let images: Vec<_> = fs::read_dir(&cache).unwrap().collect();
    assert_eq!(images.len(), 1, "one claim, one share image");
    let first = fs::read(out.join("claims/troops/share.png")).unwrap();
    assert!(first.starts_with(b"\x89PNG"));
    // Deleted, it is made again, the same.
    fs::remove_dir_all(dir.path().join(".out.factbrief-cache")).unwrap();
    build_ok(&root, &out);
    assert_eq!(
        fs::read(out.join("claims/troops/share.png")).unwrap(),
        first
    );
    // An edit that changes the image replaces it in the cache.
    let claim = root.join("content/claims/troops.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(&claim, text.replace("mostly-true", "false")).unwrap();
    build_ok(&root, &out);
    assert_ne!(
        fs::read(out.join("claims/troops/share.png")).unwrap(),
        first
    );
    assert_eq!(
        fs::read_dir(&cache).unwrap().count(),
        1,
        "the old image is pruned"
    );
}

#[test]
fn the_search_index_is_kept_beside_the_output_and_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    // A build with no cache folder at all: the reference.
    let clean = dir.path().join("clean");
    build_ok(&root, &clean);
    let reference = snapshot_dir(&clean);
    assert!(reference.keys().any(|p| p.starts_with("pagefind/index/")));
    // `check` reads the cache folder but never writes it.
    let o = run(&root, &["check"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    assert!(!root.join(".public.factbrief-cache").exists());

    let out = dir.path().join("out");
    build_ok(&root, &out);
    let cache = dir.path().join(".out.factbrief-cache/search-v1");
    let kept: Vec<_> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "one shard");
    let shard = fs::read(&kept[0]).unwrap();
    // Read from the cache, every file is the same, the index's included.
    build_ok(&root, &out);
    assert!(snapshot_dir(&out) == reference);
    // A corrupt or truncated file is never served: the shard is made again, and its file replaced.
    for bad in [
        &shard[..shard.len() / 2],
        b"fbblob\n\x01 and then some".as_slice(),
    ] {
        fs::write(&kept[0], bad).unwrap();
        build_ok(&root, &out);
        assert!(snapshot_dir(&out) == reference);
        assert_eq!(fs::read(&kept[0]).unwrap(), shard, "the file is made again");
    }
    // An edit that changes the index replaces the shard; the old one is pruned.
    replace_in(&root, "content/claims/troops.md", "mostly-true", "false");
    build_ok(&root, &out);
    let after: Vec<_> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(after.len(), 1, "the old shard is pruned");
    assert_ne!(after, kept);
    let edited = snapshot_dir(&out);
    let fresh = dir.path().join("fresh");
    build_ok(&root, &fresh);
    assert!(
        snapshot_dir(&fresh) == edited,
        "the same as a build without the cache"
    );
}
