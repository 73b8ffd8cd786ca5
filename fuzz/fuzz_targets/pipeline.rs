//! The whole build: a site of one source and one claim (and a fixed index) from
//! the fuzz input builds or fails with diagnostics, never a panic; a site that
//! builds has no script but its JSON-LD, no event handler or script URL (the
//! claim's own page excepted when the claim file has HTML: it is trusted), and
//! closes every mark.
//!
//! Input: the source file's bytes, a 0 byte, the claim file's bytes (a fixed
//! claim citing the source when there is no 0 byte). They are written to
//! content/sources/s.md and content/claims/c.md in a temporary folder.
#![no_main]

mod common;

use factbrief::{build_in_memory, BuildOptions};
use libfuzzer_sys::fuzz_target;

const INDEX: &str = "+++\ntitle = \"Fuzz desk\"\npublished = 2022-01-05\n+++\nSee [the claim](claim:c) and [the source](source:s).\n";
const CLAIM: &str = "+++\nclaim = \"A claim.\"\nverdict = \"false\"\n\n[[evidence]]\nsource = \"s\"\nstance = \"contradicts\"\n+++\n";

fuzz_target!(|data: &[u8]| {
    let (source, claim) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, CLAIM.as_bytes()),
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let content = dir.path().join("content");
    for sub in ["sources", "claims"] {
        std::fs::create_dir_all(content.join(sub)).expect("content folders");
    }
    std::fs::write(content.join("_index.md"), INDEX).expect("write _index.md");
    std::fs::write(content.join("sources/s.md"), source).expect("write s.md");
    std::fs::write(content.join("claims/c.md"), claim).expect("write c.md");

    let Ok(site) = build_in_memory(&BuildOptions::new(dir.path())) else {
        return;
    };
    for (path, bytes) in site.files.iter() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(&bytes[..]).expect("UTF-8 pages");
        // A claim is the desk's own, and may hold HTML as in Zola or Hugo: its
        // page is inert only when the claim file has none. What comes from the
        // source must be inert everywhere.
        if !(path.starts_with("claims/c/") && claim.contains(&b'<')) {
            common::assert_inert(html, true, path);
        }
        common::assert_marks_closed(html, path);
    }
});
