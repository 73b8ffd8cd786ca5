//! Property tests (proptest) of front matter reading, quote matching and
//! passage marking: no input panics, and every quote copied from a source,
//! however its white space, quotation marks, dashes and ellipses are written,
//! is found and marked as exactly that passage.
//!
//! `PROPTEST_CASES=100000 cargo test --release --test properties` runs longer.

mod common;

use std::path::Path;

use factbrief::link::quote::{find, Normalized};
use factbrief::link::Passage;
use factbrief::load::front_matter::{clean_text, parse, split};
use factbrief::load::{ClaimMeta, EvidenceMeta, SourceMeta};
use factbrief::markdown::{rendered_text, Trust};
use factbrief::render::body::{render, LinkResolver};
use proptest::prelude::*;

struct NoLinks;
impl LinkResolver for NoLinks {
    fn resolve(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

/// Words and the characters matching treats as equivalent.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z]{1,8}",
        "[0-9]{1,3}(,[0-9]{3})?",
        Just("it’s".to_owned()),
        Just("“quoted”".to_owned()),
        Just("‘single’".to_owned()),
        Just("don't".to_owned()),
        Just("\"straight\"".to_owned()),
        Just("build–up".to_owned()),
        Just("—".to_owned()),
        Just("wait…".to_owned()),
        Just("so...".to_owned()),
        Just("Ünïcödé".to_owned()),
    ]
}

/// A run of white space as a source might have it.
fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" ".to_owned()),
        Just("  ".to_owned()),
        Just("\n".to_owned()),
        Just("\u{a0}".to_owned()),
        Just(" \n ".to_owned())
    ]
}

/// Rewrite `s` the way an editor copying it might: other quote marks, dashes, white space, ellipses.
fn respell(s: &str, seed: u64) -> String {
    let mut out = String::new();
    let mut k = seed;
    for c in s.chars() {
        k = k
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = (k >> 33) % 2 == 0;
        let r = match c {
            '’' | '‘' | '\'' if pick => "'".to_owned(),
            '’' | '‘' | '\'' => "’".to_owned(),
            '“' | '”' | '"' if pick => "\"".to_owned(),
            '“' | '”' | '"' => "”".to_owned(),
            '–' | '—' | '-' if pick => "-".to_owned(),
            '–' | '—' | '-' => "—".to_owned(),
            '…' => "...".to_owned(),
            c if c.is_whitespace() && pick => " ".to_owned(),
            c if c.is_whitespace() => "\n  ".to_owned(),
            c => c.to_string(),
        };
        out.push_str(&r);
    }
    out
}

fn markup(words: &[String], style: &[u8]) -> String {
    let mut md = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            md.push(' ');
        }
        match style.get(i).copied().unwrap_or(0) % 6 {
            1 => md.push_str(&format!("*{w}*")),
            2 => md.push_str(&format!("[{w}](https://example.org/{i})")),
            3 => md.push_str(&format!("**{w}**")),
            4 if i > 0 => md.push_str(&format!("\n\n{w}")),
            _ => md.push_str(w),
        }
    }
    md
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics(body in "\\PC{0,200}", yaml in any::<bool>(), junk in proptest::collection::vec(any::<u8>(), 0..40)) {
        let delim = if yaml { "---" } else { "+++" };
        let mut bytes = format!("{delim}\n{body}\n{delim}\nbody").into_bytes();
        bytes.extend(junk);
        let text = clean_text(String::from_utf8_lossy(&bytes).into_owned());
        let file = Path::new("content/claims/x.md");
        if let Ok(s) = split(&text, file) {
            let _ = parse::<ClaimMeta>(&s, file, ClaimMeta::FIELDS, EvidenceMeta::FIELDS);
            if let Err(ds) = parse::<SourceMeta>(&s, file, SourceMeta::FIELDS, &[]) {
                prop_assert!(!ds.is_empty());
                for d in &ds {
                    prop_assert!(d.line.is_some());
                    prop_assert!(d.help.is_some());
                }
            }
        }
    }

    #[test]
    fn a_copied_quote_is_found_as_that_passage(
        words in proptest::collection::vec(word(), 2..40),
        gaps in proptest::collection::vec(gap(), 40),
        start in any::<prop::sample::Index>(),
        len in 1usize..8,
        seed in any::<u64>(),
    ) {
        let mut source = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 { source.push_str(&gaps[i % gaps.len()]); }
            source.push_str(w);
        }
        let a = start.index(words.len());
        let b = (a + len).min(words.len());
        let quote = respell(&words[a..b].join(" "), seed);
        let hay = Normalized::new(&source);
        let found = find(&source, &hay, &quote);
        prop_assert!(found.is_some(), "{quote:?} not found in {source:?}");
        let (range, _) = found.unwrap();
        prop_assert_eq!(Normalized::new(&source[range]).text, Normalized::new(&quote).text);
    }

    #[test]
    fn a_passage_across_markup_is_marked_as_exactly_its_text(
        words in proptest::collection::vec("[a-z]{1,6}", 3..30),
        style in proptest::collection::vec(any::<u8>(), 30),
        start in any::<prop::sample::Index>(),
        len in 1usize..10,
        second in any::<prop::sample::Index>(),
    ) {
        let md = markup(&words, &style);
        let text = rendered_text(&md, Trust::Untrusted);
        let hay = Normalized::new(&text);
        let a = start.index(words.len());
        let b = (a + len).min(words.len());
        let q1 = words[a..b].join(" ");
        let c = second.index(words.len());
        let q2 = words[c..(c + 2).min(words.len())].join(" ");
        let mut passages = Vec::new();
        for (name, q) in [("q-a-1", &q1), ("q-b-1", &q2)] {
            if let Some((range, _)) = find(&text, &hay, q) {
                passages.push(Passage {
                    name: name.into(),
                    range,
                    first: true,
                });
            }
        }
        prop_assert!(!passages.is_empty(), "{q1:?} not in {text:?}");
        passages.sort_by_key(|p| p.range.start);
        let html = render(&md, Trust::Untrusted, &NoLinks, &passages).html;
        // Well formed: tags close in the order they open.
        let mut stack: Vec<&str> = Vec::new();
        for tag in html.split('<').skip(1) {
            let name: &str = tag.split(['>', ' ']).next().unwrap_or("");
            if let Some(closing) = name.strip_prefix('/') {
                prop_assert_eq!(stack.pop(), Some(closing), "{}", html);
            } else if !matches!(name, "br" | "hr" | "img") && !tag.starts_with('!') {
                stack.push(name);
            }
        }
        prop_assert!(stack.is_empty(), "{html}");
        for p in &passages {
            prop_assert_eq!(html.matches(&format!("id=\"{}\"", p.name)).count(), 1);
            let marked = common::marked_text(&html, &p.name);
            prop_assert_eq!(Normalized::new(&marked).text, Normalized::new(&text[p.range.clone()]).text, "{}", html);
        }
    }
}
