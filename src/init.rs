//! `factbrief init DIR`: a minimal briefing that builds.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Error, Result};

const FILES: &[(&str, &str)] = &[
    (
        "content/_index.md",
        r#"+++
title = "My briefing"
description = "What the coverage of one event gets right and wrong."
publisher = "My fact-check desk"
published = 2026-01-01
+++

This briefing checks claims made in the coverage of one event against the
documents themselves. Start with [the example claim](claim:example-claim), or
read [how we rate claims](page:about).
"#,
    ),
    (
        "content/sources/example-source.md",
        r#"+++
title = "An example news report"
outlet = "Example News"
published = 2026-01-01
kind = "news"
+++

Replace this text with the full text of a source document, copied faithfully.
The minister said the new bridge “will open in the spring of next year”.
"#,
    ),
    (
        "content/claims/example-claim.md",
        r#"+++
claim = "The new bridge will open next spring."
verdict = "unproven"
claimant = "The minister"
claimed = 2026-01-01
appears_in = ["example-source"]

[[evidence]]
source = "example-source"
stance = "supports"
quote = "will open in the spring of next year"
note = "The minister's own words, as reported."
+++

Explain here how the evidence bears on the claim, and why the verdict.
"#,
    ),
    (
        "content/pages/about.md",
        r#"+++
title = "About this briefing"
weight = 1
+++

Say here who checks the claims, how verdicts are given, and how readers can
ask for a correction.
"#,
    ),
];

/// Write a minimal briefing into `dir` (created if needed; must hold no `content/` yet).
/// Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join("content").exists() {
        return Err(Error::usage_with_help(
            dir.join("content"),
            format!(
                "{} already has a content/ folder; refusing to overwrite it",
                dir.display()
            ),
            "choose an empty folder",
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
