//! `new claim`, `new source` and `import`, end to end through the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use factbrief::markdown::{rendered_text, Trust};

/// The five raw seed articles `import` is tested on, kept with the tests.
fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn body_of(file: &Path) -> String {
    let text = fs::read_to_string(file).unwrap();
    let mut parts = text.splitn(3, "+++\n");
    parts.next();
    parts.next();
    parts.next().unwrap().to_owned()
}

#[test]
fn new_claim_writes_a_draft_that_keeps_the_site_building() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let o = run(
        dir.path(),
        &["new", "claim", "Putin asked for the call on 30 December."],
    );
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stdout.contains("content/claims/putin-asked-for-the-call-on-30-december.md"),
        "{stdout}"
    );
    let file = dir
        .path()
        .join("content/claims/putin-asked-for-the-call-on-30-december.md");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("claim = \"Putin asked for the call on 30 December.\""));
    assert!(text.contains("draft = true"));
    // A draft: build succeeds without it; check --drafts lists what to fill in.
    assert!(run(dir.path(), &["build"]).status.success());
    let o = run(dir.path(), &["check", "--drafts"]);
    let (_, stderr) = texts(&o);
    assert!(!o.status.success());
    assert!(
        stderr.contains("warning[unfilled-field]: `claimant` is still to be filled in"),
        "{stderr}"
    );
    assert!(stderr.contains("error[unknown-source]"), "{stderr}");
    // The same statement again gets its own id.
    let o = run(
        dir.path(),
        &["new", "claim", "Putin asked for the call on 30 December."],
    );
    assert!(texts(&o)
        .0
        .contains("putin-asked-for-the-call-on-30-december-2.md"));
    // Quotes and backslashes in the statement stay valid TOML.
    let o = run(dir.path(), &["new", "claim", "He said \"no\" \\ twice"]);
    assert!(o.status.success());
    assert!(
        run(dir.path(), &["check", "--drafts", "--format", "json"])
            .status
            .code()
            == Some(1)
    );
    let t = fs::read_to_string(dir.path().join("content/claims/he-said-no-twice.md")).unwrap();
    let front: toml::Value = toml::from_str(t.split("+++").nth(1).unwrap()).unwrap();
    assert_eq!(front["claim"].as_str(), Some("He said \"no\" \\ twice"));
}

#[test]
fn new_source_refuses_bad_and_taken_ids() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let o = run(dir.path(), &["new", "source", "2021/wire-story"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let text = fs::read_to_string(dir.path().join("content/sources/2021/wire-story.md")).unwrap();
    assert!(text.contains("outlet = \"FILL IN"));
    let o = run(dir.path(), &["new", "source", "2021/wire-story"]);
    assert!(!o.status.success());
    assert!(texts(&o).1.contains("already exists"));
    let o = run(dir.path(), &["new", "source", "Wire Story"]);
    assert!(!o.status.success());
    assert!(
        texts(&o).1.contains("such as `wire-story`"),
        "{}",
        texts(&o).1
    );
    assert!(run(dir.path(), &["build"]).status.success());
}

#[test]
fn importing_the_seeds_reproduces_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(run(root, &["init", "."]).status.success());
    let files = seeds();
    assert_eq!(files.len(), 5);
    let mut args = vec!["import".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(root, &args);
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{stderr}");
    assert_eq!(stdout.matches("imported ").count(), 5, "{stdout}");

    for seed in &files {
        let stem = seed.file_stem().unwrap().to_string_lossy().into_owned();
        let source = root.join(format!("content/sources/{stem}.md"));
        let imported = fs::read_to_string(&source).unwrap();
        let front: toml::Value = toml::from_str(imported.split("+++").nth(1).unwrap()).unwrap();
        let title = front["title"].as_str().unwrap().to_owned();
        assert!(front["outlet"].as_str().unwrap().starts_with("FILL IN"));

        // The seed's lines, without the date marker and the headline(s) that became the title.
        let text = fs::read_to_string(seed).unwrap();
        let mut lines: Vec<String> = text
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        if let Some(rest) = lines[0].strip_prefix("date ") {
            let published = &rest[..10];
            assert_eq!(front["published"].to_string(), published, "{stem}");
            let rest = rest[10..].trim().to_owned();
            if rest.is_empty() {
                lines.remove(0);
            } else {
                lines[0] = rest;
            }
        }
        if !title.starts_with("FILL IN") {
            // The headline, and its repeat when there is one.
            while !lines.is_empty()
                && (title.starts_with(lines[0].as_str())
                    || strsim::normalized_levenshtein(&title, &lines[0]) >= 0.8)
            {
                lines.remove(0);
            }
        }
        let expected: Vec<String> = lines
            .iter()
            .map(|l| l.strip_prefix("- ").unwrap_or(l).to_owned())
            .collect();
        let rendered = rendered_text(&body_of(&source), Trust::Untrusted);
        let got: Vec<&str> = rendered.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            got, expected,
            "{stem}: the rendered text is the seed's text"
        );
    }

    // Titles and dates as the seeds give them.
    let front = |stem: &str| -> toml::Value {
        let t = fs::read_to_string(root.join(format!("content/sources/{stem}.md"))).unwrap();
        toml::from_str(t.split("+++").nth(1).unwrap()).unwrap()
    };
    let titles: Vec<String> = files
        .iter()
        .map(|f| {
            front(&f.file_stem().unwrap().to_string_lossy())["title"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        titles[0].starts_with("After the US Air Force’s ‘flies a spy plane"),
        "{}",
        titles[0]
    );
    assert!(
        titles[1].starts_with("FILL IN"),
        "seed 001 has no headline: {}",
        titles[1]
    );
    assert!(
        titles[2].ends_with("to discuss troop build up in Ukraine and diplomatic tensions"),
        "{}",
        titles[2]
    );
    assert_eq!(titles[3], "Vladimir Putin Calls Meeting With Biden");
    assert_eq!(
        titles[4],
        "Biden urges Putin to reduce tensions with Ukraine in new phone call"
    );

    // The site builds; check lists what is left to fill in.
    assert!(run(root, &["build"]).status.success());
    let o = run(root, &["check", "--format", "json"]);
    let (stdout, _) = texts(&o);
    assert_eq!(
        stdout.matches("\"code\":\"unfilled-field\"").count(),
        5 /* outlets */ + 1 /* 001 title */ + 3, /* undated */
        "{stdout}"
    );
}
