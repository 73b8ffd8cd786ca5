//! Front matter: any file, split and read as a source and as a claim, never
//! panics, and every diagnostic points at a line the file has.
#![no_main]

use std::path::Path;

use factbrief::diagnostic::Diagnostic;
use factbrief::load::front_matter::{clean_text, parse, split};
use factbrief::load::{ClaimMeta, EvidenceMeta, SourceMeta};
use libfuzzer_sys::fuzz_target;

fn check(d: &Diagnostic, text: &str, what: &str) {
    // A line is reported 1-based; the line after the last one is where a
    // missing closing delimiter or field would go.
    let lines = text.split('\n').count();
    if let Some(line) = d.line {
        assert!(
            line >= 1 && line as usize <= lines + 1,
            "{what}: line {line} of a {lines}-line text: {}",
            d.message
        );
    }
    if let Some(column) = d.column {
        assert!(column >= 1, "{what}: column {column}: {}", d.message);
    }
    assert!(!d.message.is_empty(), "{what}: an empty message");
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = clean_text(raw.to_owned());
    let file = Path::new("content/claims/x.md");
    match split(&text, file) {
        Err(d) => {
            assert!(d.line.is_some(), "split: no line: {}", d.message);
            check(&d, &text, "split");
        }
        Ok(s) => {
            assert!(
                s.front_matter_line >= 1 && s.body_line >= s.front_matter_line,
                "split: lines {} and {}",
                s.front_matter_line,
                s.body_line
            );
            if let Err(ds) = parse::<SourceMeta>(&s, file, SourceMeta::FIELDS, &[]) {
                assert!(!ds.is_empty(), "source: an error with no diagnostic");
                for d in &ds {
                    assert!(d.line.is_some(), "source: no line: {}", d.message);
                    assert!(d.help.is_some(), "source: no help: {}", d.message);
                    check(d, &text, "source");
                }
            }
            if let Err(ds) = parse::<ClaimMeta>(&s, file, ClaimMeta::FIELDS, EvidenceMeta::FIELDS) {
                assert!(!ds.is_empty(), "claim: an error with no diagnostic");
                for d in &ds {
                    assert!(d.line.is_some(), "claim: no line: {}", d.message);
                    assert!(d.help.is_some(), "claim: no help: {}", d.message);
                    check(d, &text, "claim");
                }
            }
        }
    }
});
