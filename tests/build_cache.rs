//! Builds into a folder holding the previous site reuse the files of pages
//! whose inputs did not change (the fingerprints kept in the cache folder),
//! and equal a clean build, byte for byte, over random edit sequences.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use factbrief::BuildOptions;

/// Build `root` into `out`, the cache folder beside it kept between builds.
fn build(root: &Path, out: &Path, clean: bool) -> factbrief::Result<factbrief::BuildReport> {
    factbrief::build(&BuildOptions {
        output: Some(out.to_path_buf()),
        clean,
        ..BuildOptions::new(root)
    })
}

/// Every file of a clean build of `root` into a new folder with no cache,
/// and what it said; or why it failed.
fn clean_build(root: &Path, scratch: &Path) -> Result<(Files, Vec<Said>), String> {
    let _ = fs::remove_dir_all(scratch);
    fs::create_dir_all(scratch).unwrap();
    let out = scratch.join("fresh");
    let report = build(root, &out, true).map_err(|e| e.to_string())?;
    Ok((snapshot_dir(&out), said(&report.warnings)))
}

type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// A diagnostic as shown, with the text its excerpt would be taken from.
type Said = (String, Option<String>);

fn said(diags: &[factbrief::Diagnostic]) -> Vec<Said> {
    (diags.iter())
        .map(|d| (d.to_string(), d.text.as_deref().map(str::to_owned)))
        .collect()
}

fn source(i: usize, extra: &str) -> String {
    format!("+++\ntitle = \"Source {i}{extra}\"\noutlet = \"Outlet {}\"\npublished = 2021-12-{:02}\n+++\n\nShared words here. Unique sentence number {i} of the set.\n\nMore *text* with `code` and [a link](https://x.org/{i}).\n", i % 3, 1 + i % 28)
}

fn claim(
    i: usize,
    verdict: &str,
    sources: &[usize],
    corrected: bool,
    link: Option<usize>,
) -> String {
    claim_quoting(i, verdict, sources, corrected, link, 0)
}

/// A claim whose quotes are, by `quoting`: each source's own sentence (0),
/// words all sources share (1), its own sentence with words left out (2),
/// words its first source lacks (3: an error), or its own sentence with the
/// claim naming its first source in `appears_in` (4).
fn claim_quoting(
    i: usize,
    verdict: &str,
    sources: &[usize],
    corrected: bool,
    link: Option<usize>,
    quoting: usize,
) -> String {
    let mut s = format!(
        "+++\nclaim = \"Claim {i}.\"\nverdict = \"{verdict}\"\nclaimed = 2021-12-{:02}\ntags = [\"tag {}\"]\n",
        1 + i % 28,
        i % 2
    );
    if quoting == 4 {
        s.push_str(&format!("appears_in = [\"s{}\"]\n", sources[0]));
    }
    for (k, src) in sources.iter().enumerate() {
        let stance = ["supports", "contradicts", "context"][k % 3];
        let quote = match quoting {
            1 => "Shared words here".to_owned(),
            2 => format!("Unique […] number {src}"),
            3 if k == 0 => format!("Unique sentence number {src} of another set"),
            _ => format!("Unique sentence number {src}"),
        };
        s.push_str(&format!(
            "[[evidence]]\nsource = \"s{src}\"\nstance = \"{stance}\"\nquote = \"{quote}\"\n"
        ));
    }
    if corrected {
        s.push_str("[[corrections]]\ndate = 2022-01-02\nnote = \"A figure was corrected.\"\n");
    }
    s.push_str(&format!(
        "+++\n\nAnalysis of claim {i}, see [the first source](source:s{}).\n",
        sources[0]
    ));
    if let Some(other) = link {
        s.push_str(&format!("\nCompare [another check](claim:c{other}).\n"));
    }
    s.push_str("\n```rust\nfn main() {}\n```\n");
    s
}

#[test]
fn random_edit_sequences_built_with_the_cache_equal_clean_builds() {
    let (mut reused_total, mut failed) = (0, 0);
    for seed in [3u64, 11] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = dir.path().join("out").join("public");
        let scratch = dir.path().join("scratch");
        write_files(
            &root,
            &[
                // (Two to a page: the lists have several pages, each kept or made on its own.)
                ("content/_index.md", "+++\ntitle = \"Inc\"\npublished = 2022-01-05\ncontact = \"desk@example.org\"\npaginate_by = 2\n+++\nOverview.\n"),
                ("content/pages/about.md", "+++\ntitle = \"About\"\nweight = 1\n+++\nAbout.\n"),
            ],
        );
        let mut sources: Vec<usize> = (0..6).collect();
        let mut claims: Vec<usize> = (0..5).collect();
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
                    &claim(i, "true", &[i, i + 1], false, None),
                )],
            );
        }
        build(&root, &out, false).expect("the first build");
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
        let cache = dir.path().join("out").join(".public.factbrief-cache");
        for step in 0..36 {
            let what = rng.next(14);
            match what {
                0 | 1 => {
                    let c = claims[rng.next(claims.len())];
                    let s1 = sources[rng.next(sources.len())];
                    let s2 = sources[rng.next(sources.len())];
                    let link = (rng.next(3) == 0).then(|| claims[rng.next(claims.len())]);
                    let verdict = verdicts[rng.next(verdicts.len())];
                    // Rarely a quote its source lacks (the build fails until it is edited again).
                    let quoting = [0, 0, 1, 2, 4, 4, 0, 3][rng.next(8)];
                    write_files(&root, &[(&format!("content/claims/c{c}.md"), &claim_quoting(c, verdict, &[s1, s2], rng.next(4) == 0, link, quoting))]);
                }
                // A source's title, or words of its body (after or before the quotes).
                2 => {
                    let s = sources[rng.next(sources.len())];
                    let text = match rng.next(3) {
                        0 => source(s, &format!(" (rev {step})")),
                        1 => source(s, "").replace("of the set.", &format!("of the set, rev {step}.")),
                        _ => source(s, "").replace("Shared words", &format!("Revision {step}. Shared words")),
                    };
                    write_files(&root, &[(&format!("content/sources/s{s}.md"), &text)]);
                }
                3 => {
                    let s = next_id;
                    next_id += 1;
                    sources.push(s);
                    write_files(&root, &[(&format!("content/sources/s{s}.md"), &source(s, ""))]);
                }
                // A source no claim cites any more goes.
                4 if sources.len() > 3 => {
                    let s = sources.remove(rng.next(sources.len()));
                    for &c in &claims {
                        write_files(&root, &[(&format!("content/claims/c{c}.md"), &claim(c, "mixed", &[sources[0], sources[1]], false, None))]);
                    }
                    fs::remove_file(root.join(format!("content/sources/s{s}.md"))).unwrap();
                }
                5 => {
                    let c = next_id;
                    next_id += 1;
                    claims.push(c);
                    let s = sources[rng.next(sources.len())];
                    write_files(&root, &[(&format!("content/claims/c{c}.md"), &claim(c, "false", &[s], false, None))]);
                }
                6 if claims.len() > 2 => {
                    let c = claims.remove(rng.next(claims.len()));
                    fs::remove_file(root.join(format!("content/claims/c{c}.md"))).unwrap();
                    // No claim links to it any more.
                    for &o in &claims {
                        write_files(&root, &[(&format!("content/claims/c{o}.md"), &claim(o, "true", &[sources[0]], false, None))]);
                    }
                }
                7 => write_files(&root, &[("content/pages/about.md", &format!("+++\ntitle = \"About {step}\"\nweight = 1\n+++\nAbout.\n"))]),
                8 => write_files(&root, &[("content/_index.md", &format!("+++\ntitle = \"Inc\"\ndescription = \"Step {step}\"\npublished = 2022-01-05\ncontact = \"desk@example.org\"\npaginate_by = {}\n+++\nOverview.\n", 2 + step % 2))]),
                9 => write_files(&root, &[("templates/claim.html", &format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ claim.claim }}}}</h1><!-- {step} -->{{% endblock content %}}"))]),
                10 => write_files(&root, &[("static/extra.css", &format!("/* {step} */"))]),
                11 => write_files(&root, &[("i18n/en.toml", &format!("nav_claims = \"Checks {step}\"\n"))]),
                // A cache file damaged, or of an older version: ignored.
                12 => {
                    let file = cache.join(["pages-v2", "link-v2", "load-v2"][rng.next(3)]);
                    if let Ok(bytes) = fs::read(&file) {
                        // (Cut as bytes: the cut may fall inside a character.)
                        let damaged = if rng.next(2) == 0 {
                            // (Bytes replaced: the bodies of load-v2 and link-v2 are not text.)
                            older_version(&bytes)
                        } else {
                            bytes[..bytes.len() / 2].to_vec()
                        };
                        fs::write(&file, damaged).unwrap();
                    }
                }
                // Nothing changed.
                _ => {}
            }
            // Every other step, the files settled (taken from load-v2 as
            // they stand), with edits of the same size told by their change time.
            if step % 2 == 1 {
                age(&root);
            }
            let want = clean_build(&root, &scratch);
            let got = build(&root, &out, false);
            match (&got, &want) {
                (Ok(report), Ok((want, warnings))) => {
                    assert!(
                        snapshot_dir(&out) == *want,
                        "seed {seed} step {step} (edit {what}): not as a clean build"
                    );
                    assert_eq!(
                        said(&report.warnings),
                        *warnings,
                        "seed {seed} step {step} (edit {what}): warnings not those of a clean build"
                    );
                    reused_total += report.reused;
                    if what == 13 {
                        assert_eq!(
                            report.written, 0,
                            "seed {seed} step {step}: nothing to write"
                        );
                        assert!(report.reused > 0, "seed {seed} step {step}: {report:?}");
                    }
                }
                // A quote its source lacks: the same errors.
                (Err(e), Err(want)) => {
                    assert_eq!(
                        e.to_string(),
                        *want,
                        "seed {seed} step {step} (edit {what})"
                    );
                    failed += 1;
                }
                (got, want) => panic!(
                    "seed {seed} step {step}: {:?} against a clean build's {:?}",
                    got.as_ref().map(|_| "success"),
                    want.as_ref().map(|_| "success")
                ),
            }
        }
    }
    assert!(reused_total > 0);
    // Some steps failed, and not all.
    assert!(failed > 0 && failed < 72, "{failed} of 72 builds failed");
}

/// A page of the matrix is kept by what its claims' and their sources'
/// pages are made of: a source's card counts every claim citing it, so a
/// claim on another page that stops citing the source changes this page too.
#[test]
fn a_matrix_page_follows_the_cards_of_the_sources_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out").join("public");
    let scratch = dir.path().join("scratch");
    write_files(
        &root,
        &[
            ("content/_index.md", "+++\ntitle = \"Inc\"\npaginate_by = 1\n+++\n"),
            ("content/sources/s0.md", &source(0, "")),
            ("content/sources/s1.md", &source(1, "")),
            ("content/claims/c0.md", &claim(0, "true", &[0, 1], false, None)),
            ("content/claims/c1.md", &claim(1, "false", &[1], false, None)),
            // (A theme of the site's own may show any field of a card.)
            ("templates/matrix.html", "{% for r in rows %}{{ r.claim.id }}:{% for cell in r.cells %} {{ cell.source.id }} cited by {{ cell.source.cited_by }};{% endfor %}{% endfor %}\n"),
        ],
    );
    build(&root, &out, false).expect("the first build");
    let page_of_c0 = |files: &Files| -> String {
        (files.iter())
            .filter(|(path, _)| path.starts_with("matrix/"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .find(|text| text.starts_with("c0:"))
            .expect("a page of the matrix shows c0")
    };
    assert!(page_of_c0(&snapshot_dir(&out)).contains("s1 cited by 2;"));
    // c1 (on the other page) cites s0 instead of s1.
    write_files(
        &root,
        &[(
            "content/claims/c1.md",
            &claim(1, "false", &[0], false, None),
        )],
    );
    build(&root, &out, false).expect("the build after the edit");
    let (want, _) = clean_build(&root, &scratch).expect("a clean build");
    let got = snapshot_dir(&out);
    assert!(
        page_of_c0(&got).contains("s1 cited by 1;"),
        "{}",
        page_of_c0(&got)
    );
    assert!(got == want, "not as a clean build");
}

/// A page of an outlet is kept by what its sources' and their claims'
/// pages are made of, and by the outlet's name, which the spelling most of
/// its sources use decides: a source on another page spelling it otherwise
/// renames the outlet on every page.
#[test]
fn an_outlet_page_follows_the_outlets_name_on_its_other_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out").join("public");
    let scratch = dir.path().join("scratch");
    let src = |outlet: &str, day: usize| {
        format!("+++\ntitle = \"Report {day}\"\noutlet = \"{outlet}\"\npublished = 2021-12-{day:02}\n+++\n\nUnique sentence number {day}.\n")
    };
    write_files(
        &root,
        &[
            (
                "content/_index.md",
                "+++\ntitle = \"Inc\"\npaginate_by = 1\n+++\n",
            ),
            ("content/sources/s1.md", &src("Daily Paper", 1)),
            ("content/sources/s2.md", &src("daily paper", 2)),
            ("content/sources/s3.md", &src("daily paper", 3)),
            ("content/claims/c1.md", &claim(1, "true", &[1], false, None)),
        ],
    );
    build(&root, &out, false).expect("the first build");
    let named = |files: &Files, name: &str| {
        (files.iter())
            .filter(|(path, _)| path.starts_with("outlets/daily-paper/"))
            .filter(|(path, _)| path.ends_with(".html"))
            .all(|(_, bytes)| String::from_utf8_lossy(bytes).contains(name))
    };
    assert!(named(&snapshot_dir(&out), ">daily paper<"));
    // s2 now spells it as s1 does: the outlet's name on s3's page changes too.
    write_files(&root, &[("content/sources/s2.md", &src("Daily Paper", 2))]);
    build(&root, &out, false).expect("the build after the edit");
    let (want, _) = clean_build(&root, &scratch).expect("a clean build");
    let got = snapshot_dir(&out);
    assert!(
        named(&got, ">Daily Paper<"),
        "every page of the outlet renamed"
    );
    assert!(got == want, "not as a clean build");
}

/// What linking found in a source is taken from the cache folder only for
/// its text as it is, with the quotes and words asked of it now; each step
/// equals a clean build, files and warnings (with their excerpts' text).
#[test]
fn what_linking_found_in_a_source_is_reused_only_for_the_same_text_and_questions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out").join("public");
    let scratch = dir.path().join("scratch");
    let claim = |statement: &str, quote: &str| {
        format!("+++\nclaim = \"{statement}\"\nverdict = \"true\"\nappears_in = [\"wire\"]\n\n[[evidence]]\nsource = \"wire\"\nstance = \"supports\"\nquote = \"{quote}\"\n+++\n\nAnalysis.\n")
    };
    // The source's url is no web address: a warning of its own, with an excerpt.
    let source = |first: &str| {
        format!("+++\ntitle = \"Call\"\noutlet = \"Wire\"\npublished = 2021-12-30\nurl = \"ftp://wire.example/call\"\n+++\n\n{first}The call lasted fifty minutes in all. See [the other](source:other).\n")
    };
    write_files(
        &root,
        &[
            ("content/_index.md", "+++\ntitle = \"Desk\"\npublished = 2022-01-05\ncontact = \"desk@example.org\"\n+++\n"),
            ("content/sources/wire.md", &source("")),
            ("content/sources/other.md", "+++\ntitle = \"Other\"\noutlet = \"Paper\"\npublished = 2021-12-30\n+++\n\nTalks in January.\n"),
            ("content/claims/call.md", &claim("Officials spoke of entirely other matters.", "lasted fifty minutes")),
        ],
    );
    // Each step writes a file, or removes it (`None`).
    let steps: [(&str, &str, Option<String>); 7] = [
        ("nothing changed", "", None),
        // Other words asked of the source (appears_in): it contains these.
        ("the claim's words", "content/claims/call.md", Some(claim("The call lasted fifty minutes.", "lasted fifty minutes"))),
        ("another quote", "content/claims/call.md", Some(claim("The call lasted fifty minutes.", "fifty minutes in all"))),
        // The quote moves down the source's text.
        ("words before the quote", "content/sources/wire.md", Some(source("It began at noon. "))),
        // The source's link (found in it by an earlier build) now leads nowhere.
        ("the source linked to goes", "content/sources/other.md", None),
        ("it comes back", "content/sources/other.md", Some("+++\ntitle = \"Other\"\noutlet = \"Paper\"\npublished = 2021-12-30\n+++\n\nTalks.\n".into())),
        ("a quote the source lacks", "content/claims/call.md", Some(claim("The call lasted fifty minutes.", "lasted two hours"))),
    ];
    build(&root, &out, false).expect("the first build");
    for (what, file, text) in steps {
        match text {
            Some(text) => write_files(&root, &[(file, &text)]),
            None if !file.is_empty() => fs::remove_file(root.join(file)).unwrap(),
            None => {}
        }
        // `check` reads the cache folder too (never writing it): it says
        // what a check with none says.
        let checked = |output: &Path| {
            let options = BuildOptions {
                output: Some(output.to_path_buf()),
                ..BuildOptions::new(&root)
            };
            said(&factbrief::check(&options).expect("a check").diagnostics)
        };
        assert_eq!(
            checked(&out),
            checked(&scratch.join("none")),
            "{what}: check"
        );
        let want = clean_build(&root, &scratch);
        match (build(&root, &out, false), want) {
            (Ok(report), Ok((files, warnings))) => {
                assert!(snapshot_dir(&out) == files, "{what}: not as a clean build");
                assert_eq!(said(&report.warnings), warnings, "{what}");
                assert!(
                    warnings
                        .iter()
                        .any(|(w, text)| w.contains("not a web address") && text.is_some()),
                    "{what}: {warnings:?}"
                );
            }
            (Err(e), Err(want)) => {
                assert_eq!(e.to_string(), want, "{what}");
                let why = ["the quote is not in source `wire`", "`source:other`"];
                assert!(why.iter().any(|w| want.contains(w)), "{what}: {want}");
            }
            (got, want) => panic!(
                "{what}: {:?} against a clean build's {want:?}",
                got.map(|_| "success")
            ),
        }
    }
}

/// `bytes` of a cache file, its first line saying the version before
/// ("version 2" made "version 1"), the rest as it was.
fn older_version(bytes: &[u8]) -> Vec<u8> {
    let end = bytes
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len());
    let first = String::from_utf8_lossy(&bytes[..end]).replace("version 2", "version 1");
    assert_ne!(first.as_bytes(), &bytes[..end], "no version in {first:?}");
    [first.as_bytes(), &bytes[end..]].concat()
}

/// Set the modification time of every file of `content/` an hour back, as
/// files copied or checked out with their times kept are: a build reads
/// them settled (see `load-v2`).
fn age(root: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(then).unwrap();
        }
    }
}

/// The four parts of the cache file `load-v2` or `link-v2`:
/// its header, the stamp of the program that wrote it, the checksum of the
/// body, and the body.
fn kept_parts(bytes: &[u8]) -> [&[u8]; 4] {
    let mut parts = bytes.splitn(4, |b| *b == b'\n');
    std::array::from_fn(|_| parts.next().expect("a cache file of four parts"))
}

/// Replace the first `n` times `from` is in the body of the cache file
/// `file` (in bincode) by `to`, of the same length (so every length before
/// it still holds), under a checksum that agrees; how often `from` was
/// there, and what the file is now.
fn rewrite_kept(file: &Path, from: &str, to: &str, n: usize) -> (usize, Vec<u8>) {
    assert_eq!(from.len(), to.len(), "{from:?} and {to:?}");
    let bytes = fs::read(file).unwrap();
    let [header, stamp, _, body] = kept_parts(&bytes);
    let mut body = body.to_vec();
    let at: Vec<usize> = (0..body.len().saturating_sub(from.len() - 1))
        .filter(|&i| body[i..].starts_with(from.as_bytes()))
        .collect();
    for &i in at.iter().take(n) {
        body[i..i + to.len()].copy_from_slice(to.as_bytes());
    }
    let mut changed = [header, b"\n", stamp, b"\n"].concat();
    changed.extend(format!("{}\n", crc32fast::hash(&body)).into_bytes());
    changed.extend(body);
    fs::write(file, &changed).unwrap();
    (at.len(), changed)
}

/// A build takes a document from `load-v2` instead of reading its file when
/// the file stands as it did (size, times, inode) and had settled; when it
/// stands otherwise with the same text, the parse kept is still taken; any
/// other text is read, even of the same size under the same modification
/// time. Shown by changing a statement kept there, under a checksum that
/// agrees. `--clean` takes nothing from it.
#[test]
fn load_v2_is_taken_for_files_that_stand_as_they_did() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = dir.path().join("public");
    let file = dir.path().join(".public.factbrief-cache").join("load-v2");
    let page = out.join("claims/troops/index.html");
    let statement = "Russia had about 100,000 troops at the border.";
    // (Of the same length, as `rewrite_kept` needs.)
    let marked = "Russia had about 100,000 troops (kept) border.";
    let shows = |text: &str| fs::read_to_string(&page).unwrap().contains(text);
    // (Its page is kept when the claim's text is the same: made again here.)
    let build = |clean: bool| {
        let _ = fs::remove_file(&page);
        build(&root, &out, clean).expect("a build")
    };
    age(&root);
    build(false);
    // (The first is the statement of the claim's fields, before its text.)
    let (found, kept) = rewrite_kept(&file, statement, marked, 1);
    assert_eq!(found, 2, "the claim's fields and text are kept");
    build(false);
    assert!(shows("(kept)"), "the statement was not taken from load-v2");
    assert!(
        fs::read(&file).unwrap() == kept,
        "load-v2 written again with nothing changed"
    );
    // Touched: read, and its parse still taken for the same text.
    age(&root);
    build(false);
    assert!(shows("(kept)"), "the parse of the same text was not taken");
    // Another text of the same size, under the same modification time: read.
    let claim = root.join("content/claims/troops.md");
    let modified = fs::metadata(&claim).unwrap().modified().unwrap();
    replace_in(
        &root,
        "content/claims/troops.md",
        "about 100,000",
        "about 900,000",
    );
    fs::File::options()
        .write(true)
        .open(&claim)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    build(false);
    assert!(
        shows("about 900,000") && !shows("(kept)"),
        "an edit of the same size was not read"
    );
    // A clean build takes nothing from it.
    replace_in(
        &root,
        "content/claims/troops.md",
        "about 900,000",
        "about 100,000",
    );
    age(&root);
    build(false);
    rewrite_kept(&file, statement, marked, 1);
    build(true);
    assert!(
        shows(statement) && !shows("(kept)"),
        "--clean took from load-v2"
    );
}

/// A build takes what an earlier one found in a source from `link-v2`
/// (shown here by changing a warning kept there, with a checksum that
/// agrees): so does `check`, which leaves the file as it was; `--clean` does not.
#[test]
fn link_v2_is_what_the_next_build_and_check_take_and_clean_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    replace_in(
        &root,
        "content/sources/report.md",
        "outlet = ",
        "url = \"ftp://wire.example/call\"\noutlet = ",
    );
    let out = dir.path().join("public");
    let file = dir.path().join(".public.factbrief-cache").join("link-v2");
    let warned = |diags: &[factbrief::Diagnostic], marked: bool| {
        let w = (diags.iter())
            .find(|d| d.message.contains("a web address"))
            .unwrap_or_else(|| panic!("no warning of the url: {}", said(diags).len()));
        assert_eq!(w.message.contains("(kept)"), marked, "{w}");
    };
    warned(&build(&root, &out, false).expect("a build").warnings, false);
    // The warning as kept, changed, under a checksum that agrees.
    let (found, changed) = rewrite_kept(&file, "is not a web", "(kept) a web", usize::MAX);
    assert!(found > 0, "the warning is kept in link-v2");
    let options = BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(&root)
    };
    warned(
        &factbrief::check(&options).expect("a check").diagnostics,
        true,
    );
    assert!(fs::read(&file).unwrap() == changed, "check wrote link-v2");
    warned(&build(&root, &out, false).expect("a build").warnings, true);
    warned(
        &build(&root, &out, true).expect("a clean build").warnings,
        false,
    );
}

/// What linking found is kept in `link-v2` once linking is done, on a thread
/// of its own: a build that then fails (in a template) still leaves it whole,
/// under a checksum that agrees, with nothing half written beside it (that
/// the next build takes from it: see the test above).
#[test]
fn link_v2_is_kept_whole_when_the_build_then_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = dir.path().join("public");
    let cache = dir.path().join(".public.factbrief-cache");
    let file = cache.join("link-v2");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/claim.html"),
        "{{ claim.nothing_here.deeper }}",
    )
    .unwrap();
    let failed = build(&root, &out, false).expect_err("a template that fails");
    assert!(
        !out.exists(),
        "a failed build wrote {}: {failed}",
        out.display()
    );
    let bytes = fs::read(&file).expect("link-v2 is kept");
    let [header, _stamp, sum, body] = kept_parts(&bytes);
    assert!(header.starts_with(b"factbrief link cache"), "{header:?}");
    let sum: u32 = std::str::from_utf8(sum).unwrap().parse().unwrap();
    assert_eq!(sum, crc32fast::hash(body), "link-v2 is not whole");
    // The files of the cache folder, and nothing else (no file written halfway).
    for entry in fs::read_dir(&cache).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            ["link-v2", "load-v2", "share-v1", "search-v1"].contains(&name.as_str()),
            "{name} left in the cache folder"
        );
    }
}

#[test]
fn a_claim_edit_renders_only_its_pages_and_the_lists_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    // A second claim and source, which the edit below does not touch.
    write_files(
        &root,
        &[
            ("content/sources/other.md", "+++\ntitle = \"Another report\"\noutlet = \"Paper\"\npublished = 2021-12-29\n+++\n\nThe talks were set for January.\n"),
            ("content/claims/talks.md", "+++\nclaim = \"Talks were planned.\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"other\"\nstance = \"supports\"\nquote = \"The talks were set for January.\"\n+++\n\nAnalysis.\n"),
        ],
    );
    let out = root.join("public");
    build_ok(&root, &out);
    let timings = |o: &std::process::Output| {
        let (stdout, _) = texts(o);
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Stages:"))
            .unwrap_or_default()
            .to_owned();
        let counts: Vec<usize> = line
            .split(['(', ' ', ','])
            .filter_map(|w| w.parse().ok())
            .collect();
        (line, counts)
    };
    let o = run(&root, &["build", "--timings"]);
    assert!(o.status.success());
    let (line, counts) = timings(&o);
    let [.., rendered, kept] = counts[..] else {
        panic!("{line}")
    };
    // Nothing changed: nothing is made again (the data feed, made without a
    // template, is known by what it is written from).
    assert_eq!(rendered, 0, "{line}");
    assert!(kept > 10, "{line}");
    let before = snapshot_dir(&out);
    // One claim's statement: its pages change, the other claims' do not.
    replace_in(
        &root,
        "content/claims/troops.md",
        "claim = \"",
        "claim = \"Edited: ",
    );
    let o = run(&root, &["build", "--timings"]);
    assert!(o.status.success());
    let (line, counts) = timings(&o);
    let [.., rendered_after, kept_after] = counts[..] else {
        panic!("{line}")
    };
    assert!(kept_after > 0 && kept_after < kept, "{line}");
    assert_eq!(rendered_after + kept_after, rendered + kept, "{line}");
    let after = snapshot_dir(&out);
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.iter().any(|k| k.starts_with("claims/troops/")),
        "{changed:?}"
    );
    // The data feed shows the statement: made again.
    assert!(
        changed.iter().any(|k| *k == "claimreview.json"),
        "{changed:?}"
    );
    // The untouched claim's page and source's page were kept, not rendered.
    assert!(
        !changed
            .iter()
            .any(|k| k.starts_with("claims/talks/") || k.starts_with("sources/other/")),
        "{changed:?}"
    );
    // Every page whose file did not change was kept, lists included: what
    // was rendered is exactly what changed (the search index and the
    // manifest are not pages).
    let changed_pages = changed
        .iter()
        .filter(|k| !k.starts_with("pagefind/") && !k.starts_with(".factbrief"))
        .count();
    assert_eq!(rendered_after, changed_pages, "{line} {changed:?}");
    assert!(changed_pages >= 5, "{changed:?}");
    // As a clean build.
    let fresh = dir.path().join("fresh");
    let o = run(
        &root,
        &["build", "--clean", "--output", fresh.to_str().unwrap()],
    );
    assert!(o.status.success());
    assert!(snapshot_dir(&fresh) == after);

    // Each claim's and source's card is kept with its page's fingerprint,
    // and taken from there while that is the same: a list is told unchanged
    // by its cards' fingerprints, not by cards made again. A card kept
    // wrong (here by hand) makes the lists showing it rendered again, as
    // they would be, and nothing else.
    let pages = root.join(".public.factbrief-cache").join("pages-v2");
    let text = fs::read_to_string(&pages).unwrap();
    let card_of = |page: &str| -> String {
        let line = (text.lines())
            .find(|l| l.ends_with(&format!(" {page}")))
            .unwrap_or_else(|| panic!("no {page} in pages-v2"));
        line.split(' ').nth(3).unwrap().to_owned()
    };
    for page in [
        "claims/troops/index.html",
        "claims/talks/index.html",
        "sources/other/index.html",
    ] {
        assert_eq!(card_of(page).len(), 32, "{page}: a card's fingerprint");
    }
    let other = card_of("sources/other/index.html");
    let wrong = format!("{:032x}", u128::from_str_radix(&other, 16).unwrap() ^ 1);
    fs::write(&pages, text.replacen(&other, &wrong, 1)).unwrap();
    let o = run(&root, &["build", "--timings"]);
    assert!(o.status.success());
    let (line, counts) = timings(&o);
    let [.., rendered_wrong, _] = counts[..] else {
        panic!("{line}")
    };
    assert!(rendered_wrong > 0, "the lists showing the card: {line}");
    assert!(snapshot_dir(&out) == after, "the same files all the same");
    // And the lists are kept with what they were rendered from: the next
    // build renders nothing.
    let o = run(&root, &["build", "--timings"]);
    let (line, counts) = timings(&o);
    let [.., rendered_again, _] = counts[..] else {
        panic!("{line}")
    };
    assert_eq!(rendered_again, 0, "{line}");
}

#[test]
fn share_images_of_kept_pages_stay_in_the_cache_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = root.join("public");
    let images = root.join(".public.factbrief-cache/share-v1");
    let count = || fs::read_dir(&images).map_or(0, |d| d.count());
    let first = build(&root, &out, false).unwrap();
    assert_eq!(first.reused, 0);
    let drawn = count();
    assert!(drawn > 0, "no share image kept in {}", images.display());
    // A build keeping every page asks for no image: it must not prune them.
    let second = build(&root, &out, false).unwrap();
    assert!(second.reused > 0 && second.rendered < first.rendered);
    assert_eq!(count(), drawn);
    // So a build into a new folder finds them, and equals the first.
    let before = snapshot_dir(&out);
    fs::remove_dir_all(&out).unwrap();
    let stamps = || -> Vec<_> {
        fs::read_dir(&images)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
            .collect()
    };
    let before_images = stamps();
    build(&root, &out, false).unwrap();
    assert_eq!(before_images, stamps(), "the images were drawn again");
    assert!(snapshot_dir(&out) == before);
}

/// What cannot be kept in the cache folder is a warning naming the file and
/// what to do; the site is built all the same, and the next build too.
#[test]
fn what_cannot_be_kept_in_the_cache_folder_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = dir.path().join("public");
    let cache = dir.path().join(".public.factbrief-cache");
    // A folder (not empty) where each file would be renamed to.
    for name in ["link-v2", "pages-v2", "load-v2"] {
        fs::create_dir_all(cache.join(name).join("in the way")).unwrap();
    }
    for round in ["first", "second"] {
        let report = build(&root, &out, false).expect("a build");
        let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
        for (name, what) in [
            (
                "link-v2",
                "could not keep what this build found in each source for the next build",
            ),
            (
                "pages-v2",
                "could not keep what this build made of each page for the next build",
            ),
            (
                "load-v2",
                "could not keep what this build read of each file for the next build",
            ),
        ] {
            let w = (report.warnings.iter())
                .find(|w| w.message.starts_with(what))
                .unwrap_or_else(|| panic!("{round}: no warning for {name}: {said:?}"));
            assert_eq!(w.code, factbrief::diagnostic::Code::Cleanup);
            assert!(w.file.ends_with(name), "{round}: {w}");
            assert!(
                w.help.as_deref().is_some_and(|h| h.contains("writable")),
                "{round}: {w}"
            );
        }
        assert!(out.join("claims/troops/index.html").is_file(), "{round}");
    }
}

/// A build's search index keeps the shards whose records are made of what
/// they were made of, without making those records: each thing a record
/// shows (a source's outlet, title and kind; a quoting claim's verdict, tags
/// and statement; a passage's words) changed in turn makes its shard again,
/// and every step's index equals a clean build's.
#[test]
fn search_shards_are_made_again_for_whatever_their_records_show() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out").join("public");
    let scratch = dir.path().join("scratch");
    let shards = dir
        .path()
        .join("out")
        .join(".public.factbrief-cache")
        .join("search-v1");
    write_files(
        &root,
        &[(
            "content/_index.md",
            "+++\ntitle = \"Inc\"\npublished = 2022-01-05\n+++\nOverview.\n",
        )],
    );
    for i in 0..4 {
        write_files(
            &root,
            &[(&format!("content/sources/s{i}.md"), &source(i, ""))],
        );
    }
    // Claim 1 also cites source 3 as a whole (no passage of it is indexed).
    let c1 = |verdict: &str| {
        claim(1, verdict, &[1, 2], false, None).replacen(
            "+++\n\nAnalysis",
            "[[evidence]]\nsource = \"s3\"\nstance = \"context\"\n+++\n\nAnalysis",
            1,
        )
    };
    write_files(
        &root,
        &[
            (
                "content/claims/c0.md",
                &claim(0, "true", &[0, 1], false, None),
            ),
            ("content/claims/c1.md", &c1("false")),
        ],
    );
    build(&root, &out, false).expect("the first build");
    let index = |files: &Files| -> Files {
        (files.iter())
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    let kept = || -> Vec<(String, std::time::SystemTime)> {
        let mut files: Vec<_> = fs::read_dir(&shards)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let steps: Vec<(&str, &str, String)> = vec![
        ("nothing", "", String::new()),
        (
            "the outlet of a source cited as a whole",
            "content/sources/s3.md",
            source(3, "").replace("Outlet 0", "Another Outlet"),
        ),
        (
            "a quoted source's outlet",
            "content/sources/s1.md",
            source(1, "").replace("Outlet 1", "Another Outlet"),
        ),
        (
            "a quoted source's title",
            "content/sources/s2.md",
            source(2, " (revised)"),
        ),
        (
            "words added to a source around the passages quoted from it in one piece",
            "content/sources/s2.md",
            source(2, " (revised)").replace("More *text*", "Added words. More *text*"),
        ),
        (
            "a quoted source's kind",
            "content/sources/s0.md",
            source(0, "").replace("+++\ntitle", "+++\nkind = \"statement\"\ntitle"),
        ),
        (
            "a quoting claim's verdict",
            "content/claims/c1.md",
            c1("misleading"),
        ),
        (
            "a quoting claim's tags",
            "content/claims/c1.md",
            c1("misleading").replace("tag 1", "tag z"),
        ),
        (
            "a quoting claim's statement",
            "content/claims/c0.md",
            claim(0, "true", &[0, 1], false, None).replace("Claim 0.", "Claim zero."),
        ),
        (
            "the words of a passage",
            "content/claims/c0.md",
            claim_quoting(0, "true", &[0, 1], false, None, 2).replace("Claim 0.", "Claim zero."),
        ),
        (
            "a source's words around its passages",
            "content/sources/s0.md",
            source(0, "")
                .replace("+++\ntitle", "+++\nkind = \"statement\"\ntitle")
                .replace("Shared words", "New words. Shared words"),
        ),
        (
            "a verdict's label",
            "i18n/en.toml",
            "verdict_misleading = \"Misleading, said otherwise\"\n".to_owned(),
        ),
    ];
    for (what, path, text) in steps {
        let before = kept();
        if !path.is_empty() {
            write_files(&root, &[(path, &text)]);
        }
        let (want, _) = clean_build(&root, &scratch).expect(what);
        build(&root, &out, false).expect(what);
        assert!(
            index(&snapshot_dir(&out)) == index(&want),
            "after {what}: not the index of a clean build"
        );
        // (Claim 1 quotes source 2 in one piece: its passage's words are
        // those linking found, not the source's text.)
        if path.is_empty() || what.starts_with("words added") {
            assert_eq!(kept(), before, "after {what}: no shard is made again");
        }
    }
}

/// The cache files of the version before (`load-v1`, `link-v1`, in JSON;
/// `pages-v1`, without cards) are removed by a build that writes those of
/// this version.
#[test]
fn the_cache_files_of_the_version_before_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    small_site(&root);
    let out = dir.path().join("public");
    let cache = dir.path().join(".public.factbrief-cache");
    fs::create_dir_all(&cache).unwrap();
    for old in ["load-v1", "link-v1", "pages-v1"] {
        fs::write(cache.join(old), "factbrief cache, version 1\n").unwrap();
    }
    build(&root, &out, false).expect("a build");
    for old in ["load-v1", "link-v1", "pages-v1"] {
        assert!(!cache.join(old).exists(), "{old} left in the cache folder");
    }
    for new in ["load-v2", "link-v2", "pages-v2"] {
        assert!(cache.join(new).exists(), "no {new}");
    }
}
