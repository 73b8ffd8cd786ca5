//! Authoring: `factbrief new claim`, `factbrief new source` and `factbrief import`.
//!
//! Each writes a file with the right front matter and a unique id; what only
//! the editor can know is marked with [`UNFILLED`], which `check` reports.

pub mod import;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Error, Result};
pub use crate::link::editorial::UNFILLED;
use crate::load::id;

/// Today's date, for new files.
fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// A TOML string literal for `s`.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A free path `content/<kind>/<id>.md`, adding `-2`, `-3`... to `id` while taken.
fn free_path(root: &Path, kind: &str, id: &str) -> (String, PathBuf) {
    let folder = root.join("content").join(kind);
    let mut candidate = id.to_owned();
    let mut n = 2;
    while folder.join(format!("{candidate}.md")).exists() {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    let path = folder.join(format!("{candidate}.md"));
    (candidate, path)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    // create_new: never overwrite an editor's file, even if it appeared meanwhile.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// An id for a claim from its statement: its first words, as a slug.
pub fn claim_id(statement: &str) -> String {
    let slug = id::slug(statement);
    let mut out = String::new();
    for word in slug.split('-').filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        fallback_id("claim", statement)
    } else {
        out
    }
}

/// `<kind>-<six hex digits>`: a short id, the same for the same text, for
/// text that transliterates to nothing (emoji, punctuation).
pub(crate) fn fallback_id(kind: &str, text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{kind}-{:06x}", hash & 0xff_ffff)
}

/// Write `content/claims/<id>.md` for `statement`, a draft to complete. Returns the file.
pub fn new_claim(root: &Path, statement: &str) -> Result<PathBuf> {
    let statement = statement.trim();
    if statement.is_empty() {
        return Err(Error::usage_with_help(
            "",
            "the claim is empty",
            "factbrief new claim \"The statement to check.\"",
        ));
    }
    let (_, path) = free_path(root, "claims", &claim_id(statement));
    let today = today();
    let text = format!(
        r#"+++
claim = {claim}
verdict = "{UNFILLED}: the verdict, a key of the rating scale (true, mostly-true, mixed, mostly-false, false, misleading, unproven by default)"
claimant = "{UNFILLED}: who made the claim"
claimed = {today} # {UNFILLED}: when the claim was made
reviewed = {today}
tags = []
# A draft is left out of `build`; remove this line when the check is ready.
draft = true

[[evidence]]
source = "{UNFILLED}: a source id"
stance = "supports" # supports, contradicts or context
quote = "{UNFILLED}: the passage, copied from the source"
note = "{UNFILLED}: why this passage matters"
+++

{UNFILLED}: the analysis, citing [the sources](source:id).
"#,
        claim = toml_string(statement)
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Write `content/sources/<slug>.md`, a draft to complete. Returns the file.
pub fn new_source(root: &Path, slug: &str) -> Result<PathBuf> {
    if !id::is_valid(slug) {
        let fixed: Vec<String> = slug.split('/').map(id::slug).collect();
        return Err(Error::usage_with_help(
            "",
            format!("`{slug}` is not a valid id"),
            format!(
                "ids use lower-case letters a-z, digits, `-` and `_`, such as `{}`",
                fixed.join("/")
            ),
        ));
    }
    let path = root.join("content/sources").join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::usage_with_help(
            &path,
            format!("{} already exists", path.display()),
            "choose another id",
        ));
    }
    let today = today();
    let text = format!(
        r#"+++
title = "{UNFILLED}: the headline or document title"
outlet = "{UNFILLED}: the publisher of the document"
published = {today} # {UNFILLED}: the date of publication
kind = "news" # news, statement, transcript, opinion, report or other
# url = "https://..."
# authors = ["..."]
retrieved = {today}
# A draft is left out of `build`; remove this line when the source is complete.
draft = true
+++

{UNFILLED}: the text of the document, copied faithfully.
"#
    );
    write_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_ids_are_short_slugs() {
        assert_eq!(
            claim_id("Putin asked for the call."),
            "putin-asked-for-the-call"
        );
        assert!(claim_id(&"word ".repeat(40)).len() <= 60);
        // Nothing to transliterate: a short stable id, never a bare `claim`.
        assert_eq!(claim_id("¿?"), claim_id("¿?"));
        assert!(claim_id("¿?").starts_with("claim-") && claim_id("¿?").len() == 12);
        assert_ne!(claim_id("¿?"), claim_id("🙂"));
        // Other scripts are transliterated.
        assert_eq!(
            claim_id("Macron a déclaré que c'est faux"),
            "macron-a-declare-que-c-est-faux"
        );
        assert_eq!(claim_id("Путин позвонил Байдену"), "putin-pozvonil-baidenu");
        assert_eq!(claim_id("Η Ελλάδα"), "e-ellada");
        assert!(claim_id("拜登与普京通话").starts_with("bai-deng"));
    }
}
