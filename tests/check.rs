//! `factbrief check`: one end-to-end case per diagnostic (code, message, file,
//! line, exit code), the JSON and human renderings, and `--deny-warnings`.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// A diagnostic as `check --format json` prints it.
#[derive(Debug, serde::Deserialize)]
struct Json {
    severity: String,
    code: String,
    file: String,
    line: Option<u32>,
    message: String,
    help: Option<String>,
}

/// Run `check --format json` on `root`; the diagnostics and the exit code.
fn check_json(root: &Path, extra: &[&str]) -> (Vec<Json>, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let o = run(root, &args);
    let (stdout, _) = texts(&o);
    let diags = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (diags, o.status.code().unwrap())
}

/// A valid small site, changed by `files` (path, text; empty text removes the file).
fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    for (path, text) in files {
        if text.is_empty() {
            let _ = fs::remove_file(root.join(path));
        } else {
            write_files(root, &[(path, text)]);
        }
    }
    dir
}

const CLAIM: &str = "content/claims/troops.md";

fn claim_with(front: &str) -> String {
    format!("+++\n{front}\n+++\n\nAnalysis.\n")
}

const GOOD_EVIDENCE: &str =
    "[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"around 100,000 troops\"";

struct Case {
    code: &'static str,
    files: Vec<(&'static str, String)>,
    file: &'static str,
    line: Option<u32>,
    message: &'static str,
    error: bool,
}

fn case(
    code: &'static str,
    files: Vec<(&'static str, String)>,
    file: &'static str,
    line: Option<u32>,
    message: &'static str,
) -> Case {
    Case {
        code,
        files,
        file,
        line,
        message,
        error: true,
    }
}

fn warn(
    code: &'static str,
    files: Vec<(&'static str, String)>,
    file: &'static str,
    line: Option<u32>,
    message: &'static str,
) -> Case {
    Case {
        error: false,
        ..case(code, files, file, line, message)
    }
}

#[test]
fn every_diagnostic_is_reported_with_its_place() {
    let v = |s: &str| s.to_owned();
    let cases = vec![
        case("no-front-matter", vec![(CLAIM, v("claim = \"x\"\n"))], CLAIM, Some(1), "does not start with front matter"),
        case("no-front-matter", vec![(CLAIM, v("\n\n"))], CLAIM, Some(1), "the file is empty"),
        case("unterminated-front-matter", vec![(CLAIM, v("+++\nclaim = \"x\"\n"))], CLAIM, Some(1), "is never closed"),
        case("unknown-field", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nverdict = \"true\"\ncliamant = \"y\"\n{GOOD_EVIDENCE}")))], CLAIM, Some(4), "unknown field `cliamant`"),
        case("bad-value", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"suports\""))], CLAIM, Some(6), "`suports` is not an allowed value"),
        case("missing-field", vec![(CLAIM, claim_with(&format!("verdict = \"true\"\n{GOOD_EVIDENCE}")))], CLAIM, None, "the required field `claim` is missing"),
        case("wrong-type", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\nevidence = \"x\""))], CLAIM, Some(4), "wrong type"),
        case("front-matter-syntax", vec![(CLAIM, claim_with("claim = \"x\nverdict = \"true\""))], CLAIM, Some(2), "cannot be read"),
        case("duplicate-field", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nclaim = \"y\"\nverdict = \"true\"\n{GOOD_EVIDENCE}")))], CLAIM, Some(3), "duplicate"),
        case("no-evidence", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\nevidence = []"))], CLAIM, Some(4), "the claim has no evidence"),
        case("bad-id", vec![("content/claims/Bad Id.md", claim_with(&format!("claim = \"x\"\nverdict = \"true\"\n{GOOD_EVIDENCE}")))], "content/claims/Bad Id.md", None, "`Bad Id` is not a valid id"),
        case("not-utf8", vec![], "content/sources/latin1.md", Some(5), "not valid UTF-8"),
        case("unknown-verdict", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nverdict = \"ture\"\n{GOOD_EVIDENCE}")))], CLAIM, Some(3), "`ture` is not a verdict"),
        case("unknown-source", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"reports\"\nstance = \"supports\""))], CLAIM, Some(5), "cites `reports`, which is not a source"),
        case("unknown-source", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nverdict = \"true\"\nappears_in = [\"nope\"]\n{GOOD_EVIDENCE}")))], CLAIM, Some(4), "appears_in names `nope`"),
        case("quote-not-found", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"around 10,000 troops\""))], CLAIM, Some(7), "the quote is not in source `report`"),
        case("empty-quote", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"  \""))], CLAIM, Some(7), "the quote is empty"),
        case("broken-link", vec![("content/pages/about.md", v("+++\ntitle = \"About\"\n+++\n\nFirst.\n\nSee [it](source:nope).\n"))], "content/pages/about.md", Some(7), "the link `source:nope` points to no source"),
        case("unknown-field", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nqoute = \"x\""))], CLAIM, Some(7), "unknown field `qoute`"),
        case("bad-base-url", vec![("content/_index.md", v("+++\ntitle = \"T\"\nbase_url = \"example.org\"\n+++\n"))], "content/_index.md", Some(3), "base_url"),
        case("duplicate-verdict", vec![("content/_index.md", v("+++\ntitle = \"T\"\n[[verdicts]]\nkey = \"mostly-true\"\nlabel = \"A\"\n[[verdicts]]\nkey = \"mostly-true\"\nlabel = \"B\"\n+++\n"))], "content/_index.md", Some(3), "defined twice"),
        case("bad-verdict", vec![("content/_index.md", v("+++\ntitle = \"T\"\n[[verdicts]]\nkey = \"mostly-true\"\nlabel = \"A\"\nrating = 0\n+++\n"))], "content/_index.md", Some(3), "rating 0"),
        case("no-index", vec![("content/_index.md", v(""))], "content/_index.md", None, "has no `content/_index.md`"),
        case("output-collision", vec![("static/claims/troops/index.html", v("x"))], "static/claims/troops/index.html", None, "two files would be written"),
        case("template", vec![("templates/page.html", v("{% extends \"base.html\" %}\n{% block content %}{{ page.nope.x }}{% endblock content %}\n"))], "templates/page.html", Some(2), "`nope`"),
        case("broken-output-link", vec![("content/pages/about.md", v("+++\ntitle = \"About\"\n+++\n\nSee [the list](../../nowhere/) and [a passage](source:report#q-none-1).\n"))], "content/pages/about.md", None, "links to `../../nowhere/`"),
        warn("stray-file", vec![("content/about.md", v("+++\ntitle = \"x\"\n+++\n"))], "content/about.md", None, "this is not read"),
        warn("stray-file", vec![("content/sources/Report.MD", v("+++\ntitle = \"x\"\n+++\n"))], "content/sources/Report.MD", None, "only `.md` files are"),
        case("id-collision", vec![("content/claims/a/b.md", claim_with(&format!("claim = \"x\"\nverdict = \"true\"\n{GOOD_EVIDENCE}"))), ("content/claims/a--b.md", claim_with(&format!("claim = \"y\"\nverdict = \"true\"\n{GOOD_EVIDENCE}")))], "content/claims/a/b.md", None, "give their passages the same names"),
        case("bad-verdict", vec![("content/_index.md", v("+++\ntitle = \"T\"\n[[verdicts]]\nkey = \"Mostly True\"\nlabel = \"A\"\n+++\n"))], "content/_index.md", Some(3), "`Mostly True` is not valid"),
        warn("unsafe-url", vec![("content/sources/report.md", v("+++\ntitle = \"A report\"\noutlet = \"Wire\"\npublished = 2021-12-30\nurl = \"ftp://x\"\n+++\n\nRussia has assembled around 100,000 troops near the Ukrainian border.\n"))], "content/sources/report.md", Some(5), "not a web address"),
        warn("verdict-vs-evidence", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"contradicts\"\nquote = \"around 100,000 troops\""))], CLAIM, Some(3), "only contradicting evidence"),
        warn("uncited-source", vec![("content/sources/other.md", v("+++\ntitle = \"O\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\nText.\n"))], "content/sources/other.md", None, "no claim cites this source"),
        warn("no-quoted-evidence", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\""))], CLAIM, Some(4), "no evidence entry quotes"),
        warn("repeated-quote", vec![(CLAIM, claim_with("claim = \"x\"\nverdict = \"true\"\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"100,000 troops\"")), ("content/sources/report.md", v("+++\ntitle = \"R\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\n100,000 troops massed. Later, 100,000 troops left.\n"))], CLAIM, Some(7), "occurs 2 times in source `report`; the first occurrence is linked"),
        warn("duplicate-citation", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nverdict = \"true\"\n{GOOD_EVIDENCE}\n[[evidence]]\nsource = \"report\"\nstance = \"context\"\nquote = \"around  100,000 troops\"")))], CLAIM, Some(11), "evidence 2: the same passage"),
        warn("not-in-appearance", vec![(CLAIM, claim_with(&format!("claim = \"Penguins invaded Antarctica yesterday.\"\nverdict = \"true\"\nappears_in = [\"report\"]\n{GOOD_EVIDENCE}")))], CLAIM, Some(4), "contains few of the claim's words"),
        warn("reviewed-before-published", vec![(CLAIM, claim_with(&format!("claim = \"x\"\nverdict = \"true\"\nreviewed = 2020-01-01\n{GOOD_EVIDENCE}")))], CLAIM, Some(4), "reviewed on 2020-01-01 but cites `report`, published on 2021-12-30"),
        warn("unfilled-field", vec![("content/sources/report.md", v("+++\ntitle = \"A report\"\noutlet = \"FILL IN: the publisher\"\npublished = 2021-12-30\n+++\n\nRussia has assembled around 100,000 troops near the Ukrainian border.\n"))], "content/sources/report.md", Some(3), "`outlet` is still to be filled in"),
    ];
    for c in cases {
        let files: Vec<(&str, &str)> = c.files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let dir = site_with(&files);
        if c.code == "not-utf8" {
            let mut bytes =
                b"+++\ntitle = \"L\"\noutlet = \"W\"\npublished = 2021-12-30\ncaf".to_vec();
            bytes.extend([0xe9, b'\n', b'+', b'+', b'+', b'\n']);
            fs::write(dir.path().join("content/sources/latin1.md"), bytes).unwrap();
        }
        let (diags, code) = check_json(dir.path(), &[]);
        let d = diags
            .iter()
            .find(|d| d.code == c.code)
            .unwrap_or_else(|| panic!("{}: not reported; got {diags:#?}", c.code));
        assert_eq!(d.file, c.file, "{}", c.code);
        if c.line.is_some() {
            assert_eq!(d.line, c.line, "{}: {}", c.code, d.message);
        }
        assert!(d.message.contains(c.message), "{}: {}", c.code, d.message);
        if d.message.contains("`qoute`") {
            assert!(
                d.help.as_deref().unwrap_or("").starts_with(
                    "did you mean `quote`? The known fields are: source, stance, quote, note"
                ),
                "{:?}",
                d.help
            );
        }
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{}: every diagnostic says what to do",
            c.code
        );
        assert_eq!(
            d.severity,
            if c.error { "error" } else { "warning" },
            "{}",
            c.code
        );
        let any_error = diags.iter().any(|d| d.severity == "error");
        assert_eq!(code, if any_error { 1 } else { 0 }, "{}: exit code", c.code);
    }
}

#[test]
fn check_of_the_example_is_clean_and_writes_nothing() {
    let root = repo_root();
    let o = run(&root, &["check", "--deny-warnings"]);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.contains("0 errors and 0 warnings"), "{stdout}");
    assert!(stdout.contains("internal links checked"), "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    run(dir.path(), &["check"]);
    assert!(
        !dir.path().join("public").exists(),
        "check wrote an output folder"
    );
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let dir = site_with(&[(
        "content/sources/other.md",
        "+++\ntitle = \"O\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\nText.\n",
    )]);
    assert_eq!(check_json(dir.path(), &[]).1, 0);
    assert_eq!(check_json(dir.path(), &["--deny-warnings"]).1, 1);
    // build shows the same warnings and succeeds.
    let o = run(dir.path(), &["build"]);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success());
    assert!(
        stderr.contains("warning[uncited-source]: no claim cites this source"),
        "{stderr}"
    );
    assert!(stdout.contains("1 warning"), "{stdout}");
}

#[test]
fn external_links_are_listed_not_fetched() {
    let dir = site_with(&[(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\n\nSee [the wire](https://wire.example/story).\n",
    )]);
    let o = run(dir.path(), &["check"]);
    let (stdout, _) = texts(&o);
    assert!(o.status.success());
    assert!(stdout.contains("External links (listed, not fetched):\n  https://wire.example/story  (from pages/about/index.html)"), "{stdout}");
}

/// A site with one error and one warning of each common kind, for the rendering snapshots.
fn broken_site() -> tempfile::TempDir {
    site_with(&[
        (CLAIM, "+++\nclaim = \"Russia had about 100,000 troops at the border.\"\nverdit = \"mostly-true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"around 100,000 troops near the Ukrainian border\"\n+++\n"),
        ("content/claims/second.md", "+++\nclaim = \"The call began at 3:35 p.m.\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"began at 3:53 p.m.\"\n+++\n"),
        ("content/sources/other.md", "+++\ntitle = \"Other\"\noutlet = \"Wire\"\npublished = 2021-12-30\n+++\nText.\n"),
    ])
}

#[test]
fn human_rendering() {
    let dir = broken_site();
    let o = run(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let (stdout, stderr) = texts(&o);
    assert!(!stderr.contains('\u{1b}'), "no colour when piped");
    insta::assert_snapshot!("check_human", format!("{stderr}---\n{stdout}"));
}

#[test]
fn json_rendering() {
    let dir = broken_site();
    let o = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let (stdout, stderr) = texts(&o);
    // Standard output holds the diagnostics and nothing else; nothing goes to standard error.
    assert!(
        stderr.is_empty(),
        "JSON mode prints only diagnostics: {stderr}"
    );
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    insta::assert_snapshot!("check_json", stdout);
}

#[test]
fn colour_only_on_request_of_a_terminal() {
    // Piped output is plain even without NO_COLOR (run() sets it; here we clear it).
    let dir = broken_site();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_factbrief"))
        .arg("check")
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains('\u{1b}'));
}
