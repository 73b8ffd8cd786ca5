//! Passage marking: a source body with a few quoted passages renders without a
//! panic, each passage is marked as exactly its text under its name, marks hold
//! text only and close, tags nest, and nothing live comes from the source.
//!
//! Input: a byte giving the number of quotes (1 to 4), each a start and a length
//! (u16, little-endian; see `common::stretch`) in the body's rendered text, then
//! the body's Markdown. A quote becomes a passage as the link stage makes one:
//! where `find` finds it, if it has a letter or digit.
#![no_main]

mod common;

use factbrief::link::quote::{find, Normalized};
use factbrief::link::Passage;
use factbrief::load::front_matter::clean_text;
use factbrief::markdown::{rendered_text, Trust};
use factbrief::render::body::{render, LinkResolver};
use libfuzzer_sys::fuzz_target;

struct Links;
impl LinkResolver for Links {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        (id != "missing").then(|| format!("../../{kind}s/{id}/"))
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = common::Input::new(data);
    let Some(n) = input.u8() else { return };
    let mut quotes = Vec::new();
    for _ in 0..=(n % 4) {
        let (Some(start), Some(len)) = (input.u16(), input.u16()) else {
            return;
        };
        quotes.push((start, len));
    }
    let Ok(md) = std::str::from_utf8(input.rest) else {
        return;
    };
    let md = clean_text(md.to_owned());
    let text = rendered_text(&md, Trust::Untrusted);
    let hay = Normalized::new(&text);
    let mut passages = Vec::new();
    for (i, (start, len)) in quotes.into_iter().enumerate() {
        let quote = &text[common::stretch(&text, start, len)];
        if !quote.chars().any(char::is_alphanumeric) {
            continue;
        }
        if let Some((range, _)) = find(&text, &hay, quote) {
            passages.push(Passage {
                name: format!("q-c{i}-{}", i + 1),
                range,
                first: true,
            });
        }
    }
    passages.sort_by_key(|p| p.range.start);
    let html = render(&md, Trust::Untrusted, &Links, &passages).html;

    common::assert_inert(&html, false, "body");
    common::assert_marks_closed(&html, "body");
    common::assert_nested(&html, "body");
    for p in &passages {
        assert_eq!(
            common::ids(&html, &p.name),
            1,
            "{}: one element with its id\n{html}",
            p.name
        );
        let marked = common::marked_text(&html, &p.name);
        assert_eq!(
            Normalized::new(&marked).text,
            Normalized::new(&text[p.range.clone()]).text,
            "{}: the marked text is the passage's\n{html}",
            p.name
        );
    }
    if passages.is_empty() {
        assert!(!html.contains("<mark"), "a mark without passages\n{html}");
    }
});
