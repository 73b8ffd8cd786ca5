//! Diagnostics that never mislead: each case as an editor meets it, through
//! the binary, asserting the message, the line and the help.

mod common;

use std::path::Path;

use common::{replace_in, run, small_site, texts};

/// `check` of `root`: its exit status and what it printed (standard error).
fn check(root: &Path) -> (bool, String) {
    let o = run(root, &["check"]);
    (o.status.success(), texts(&o).1)
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    dir
}

const CLAIM: &str = "content/claims/troops.md";

#[test]
fn every_unknown_field_is_reported_at_its_own_line() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "verdict = \"mostly-true\"\n",
        "verdict = \"mostly-true\"\nverdit = \"x\"\nclaimer = \"y\"\n",
    );
    replace_in(
        dir.path(),
        CLAIM,
        "stance = \"supports\"\n",
        "stance = \"supports\"\nqoute = \"z\"\n",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert_eq!(err.matches("error[unknown-field]").count(), 3, "{err}");
    assert!(
        err.contains("unknown field `verdit`") && err.contains("content/claims/troops.md:4"),
        "{err}"
    );
    assert!(
        err.contains("unknown field `claimer`") && err.contains("content/claims/troops.md:5"),
        "{err}"
    );
    assert!(
        err.contains("unknown field `qoute`") && err.contains("content/claims/troops.md:10"),
        "{err}"
    );
    assert!(err.contains("did you mean `verdict`?"));
    assert!(
        err.contains("did you mean `quote`?"),
        "the evidence entry's own fields: {err}"
    );
}

#[test]
fn a_verdict_suggestion_never_inverts_the_verdict() {
    for (written, want) in [
        ("untrue", Some("false")),
        ("not true", Some("false")),
        ("mostly untrue", Some("mostly-false")),
        ("incorrect", Some("false")),
        ("fake", Some("false")),
        ("Fals", Some("false")),
        ("not false", None),
    ] {
        let dir = site();
        replace_in(
            dir.path(),
            CLAIM,
            "verdict = \"mostly-true\"",
            &format!("verdict = \"{written}\""),
        );
        let (ok, err) = check(dir.path());
        assert!(!ok);
        assert!(
            err.contains(&format!("`{written}` is not a verdict of the rating scale")),
            "{err}"
        );
        match want {
            Some(w) => assert!(
                err.contains(&format!("did you mean `{w}`?")),
                "{written}: {err}"
            ),
            None => assert!(!err.contains("did you mean"), "{written}: {err}"),
        }
        assert!(
            !err.contains("did you mean `true`") && !err.contains("did you mean `mostly-true`"),
            "{written}: {err}"
        );
    }
}

#[test]
fn a_date_written_another_way_says_how_to_write_it() {
    for value in ["30/12/2021", "30.12.2021", "December 30 2021"] {
        let dir = site();
        replace_in(
            dir.path(),
            CLAIM,
            "verdict = \"mostly-true\"\n",
            &format!("verdict = \"mostly-true\"\nclaimed = {value}\n"),
        );
        let (ok, err) = check(dir.path());
        assert!(!ok, "{value}");
        assert!(
            err.contains("content/claims/troops.md:4:11"),
            "{value}: {err}"
        );
        assert!(err.contains("write dates as 2021-12-30"), "{value}: {err}");
        assert!(!err.contains("expected"), "no parser jargon: {err}");
    }
    // Quoted but not a date: the same advice.
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "verdict = \"mostly-true\"\n",
        "verdict = \"mostly-true\"\nclaimed = \"30 December 2021\"\n",
    );
    let (_, err) = check(dir.path());
    assert!(
        err.contains("YYYY-MM-DD") && err.contains("troops.md:4"),
        "{err}"
    );
}

#[test]
fn typographic_quotes_around_a_value_are_named() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "verdict = \"mostly-true\"\n",
        "verdict = \"mostly-true\"\nclaimant = “White House officials”\n",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(err.contains("content/claims/troops.md:4:12"), "{err}");
    assert!(
        err.contains("typographic quotation marks") && err.contains("replace “ ” with \" \""),
        "{err}"
    );
    // In YAML too, where the colon inside makes it fail.
    let dir = site();
    std::fs::write(
        dir.path().join("content/claims/yaml.md"),
        "---\nclaim: “Biden said: no”\nverdict: false\nevidence:\n  - source: report\n    stance: contradicts\n---\n",
    )
    .unwrap();
    let (_, err) = check(dir.path());
    assert!(
        err.contains("content/claims/yaml.md:2") && err.contains("replace “ ”"),
        "{err}"
    );
}

#[test]
fn a_quotation_mark_inside_a_quoted_value_says_how_to_write_it() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "verdict = \"mostly-true\"\n",
        "verdict = \"mostly-true\"\nclaimant = \"the \"senior\" official\"\n",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(err.contains("content/claims/troops.md:4"), "{err}");
    assert!(
        err.contains("quotation mark inside its quotation marks"),
        "{err}"
    );
    assert!(
        err.contains("single quotes") && err.contains("\\\""),
        "{err}"
    );
}

#[test]
fn a_missing_front_matter_line_is_said() {
    let dir = site();
    std::fs::write(
        dir.path().join(CLAIM),
        "claim = \"x\"\nverdict = \"false\"\n+++\nBody.\n",
    )
    .unwrap();
    let (_, err) = check(dir.path());
    assert!(
        err.contains("content/claims/troops.md:1")
            && err.contains("does not start with front matter"),
        "{err}"
    );
    assert!(err.contains("`+++`"), "{err}");
    std::fs::write(
        dir.path().join(CLAIM),
        "+++\nclaim = \"x\"\nverdict = \"false\"\nBody.\n",
    )
    .unwrap();
    let (_, err) = check(dir.path());
    assert!(
        err.contains("never closed") && err.contains("add a line with only `+++`"),
        "{err}"
    );
}

#[test]
fn a_quote_pinned_to_the_wrong_source_names_the_right_one() {
    let dir = site();
    common::write_files(
        dir.path(),
        &[(
            "content/sources/other.md",
            "+++\ntitle = \"Another\"\noutlet = \"Paper\"\npublished = 2021-12-31\n+++\n\nThe talks will resume in Geneva in January, officials said.\n",
        )],
    );
    replace_in(
        dir.path(),
        CLAIM,
        "quote = \"around 100,000 troops near the Ukrainian border\"",
        "quote = \"talks will resume in Geneva\"",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(err.contains("the quote is not in source `report`"), "{err}");
    assert!(err.contains("these words are in source `other`"), "{err}");
    assert!(
        !err.contains("% alike"),
        "no closest passage of the wrong source: {err}"
    );
}

#[test]
fn an_ellipsis_for_words_left_out_gets_the_bracketed_form() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "quote = \"around 100,000 troops near the Ukrainian border\"",
        "quote = \"Russia has assembled … near the Ukrainian border\"",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(err.contains("write `[…]` where they were"), "{err}");
    assert!(
        err.contains("Russia has assembled […] near the Ukrainian border"),
        "{err}"
    );
    assert!(!err.contains("the quote adds"), "{err}");
    // Written so, it is found, and both pieces are marked as one passage.
    replace_in(
        dir.path(),
        CLAIM,
        "Russia has assembled … near",
        "Russia has assembled […] near",
    );
    let out = dir.path().join("public");
    common::build_ok(dir.path(), &out);
    let html = std::fs::read_to_string(out.join("sources/report/index.html")).unwrap();
    assert_eq!(
        common::marked_text(&html, "q-troops-1"),
        "Russia has assemblednear the Ukrainian border"
    );
    assert_eq!(html.matches("id=\"q-troops-1\"").count(), 1, "one anchor");
}

#[test]
fn the_closest_passage_starts_at_a_word_in_the_same_paragraph() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "quote = \"around 100,000 troops near the Ukrainian border\"",
        "quote = \"The call began at 3:30 p.m.\"",
    );
    let (_, err) = check(dir.path());
    assert!(err.contains("the closest passage"), "{err}");
    let at = err.find("is: “").unwrap() + "is: “".len();
    let passage = &err[at..at + err[at..].find('”').unwrap()];
    assert!(passage.starts_with("The call"), "{passage}");
    assert!(
        !passage.contains("border"),
        "not from the paragraph before: {passage}"
    );
}

#[test]
fn a_document_that_failed_to_load_causes_no_warnings_elsewhere() {
    let dir = site();
    replace_in(
        dir.path(),
        "content/sources/report.md",
        "outlet = \"Wire\"",
        "outlet = \"Wire\"\nbogus = 1",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert_eq!(err.matches("warning[").count(), 0, "{err}");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = site();
    replace_in(
        dir.path(),
        CLAIM,
        "verdict = \"mostly-true\"",
        "verdict = \"mostly\\u001b[31m-true\"",
    );
    let o = run(dir.path(), &["check"]);
    let (out, err) = texts(&o);
    assert!(
        !err.contains('\u{1b}') && !out.contains('\u{1b}'),
        "{err:?}"
    );
    assert!(
        err.contains("\\u{1b}") || err.contains("mostly[31m-true") || err.contains('\u{241b}'),
        "{err}"
    );
}
