//! `new claim` and `new source`, end to end through the binary (`import` is in `tests/import.rs`).

mod common;

use std::fs;

use common::*;

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
