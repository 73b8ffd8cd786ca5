//! Quote matching: a stretch copied from a source's rendered text is found
//! whenever it starts and ends on word boundaries and has a letter or digit,
//! and whatever `find` returns is a range of the text that reads as the quote.
//!
//! Input: start (u16, little-endian), length (u16), then the source's Markdown.
//! With the top bit of start set, the quote runs from word to word (see
//! `common::stretch`); otherwise from char to char.
#![no_main]

mod common;

use factbrief::link::quote::{find, Normalized};
use factbrief::load::front_matter::clean_text;
use factbrief::markdown::{rendered_text, Trust};
use libfuzzer_sys::fuzz_target;
use unicode_segmentation::GraphemeCursor;

fn grapheme_boundary(s: &str, at: usize) -> bool {
    GraphemeCursor::new(at, s.len(), true)
        .is_boundary(s, 0)
        .unwrap_or(true)
}

fuzz_target!(|data: &[u8]| {
    let mut input = common::Input::new(data);
    let (Some(start), Some(len)) = (input.u16(), input.u16()) else {
        return;
    };
    let Ok(md) = std::str::from_utf8(input.rest) else {
        return;
    };
    // The load stage cleans every file before anything reads it.
    let md = clean_text(md.to_owned());
    let text = rendered_text(&md, Trust::Untrusted);
    let hay = Normalized::new(&text);
    let range = common::stretch(&text, start, len);
    let quote = &text[range.clone()];
    let needle = Normalized::new(quote).text;

    let found = find(&text, &hay, quote);
    if let Some((r, count)) = &found {
        assert!(*count >= 1, "a count of {count}");
        assert!(
            r.start < r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end),
            "range {r:?} of a {}-byte text",
            text.len()
        );
        assert_eq!(
            Normalized::new(&text[r.clone()]).text,
            needle,
            "{quote:?} found as {:?}",
            &text[r.clone()]
        );
    }

    // Where the quote sits in the matching form of the text: the matching form
    // is made in one pass, so that of the text up to the quote's end is a
    // prefix of the whole one and ends with the quote's.
    let upto = Normalized::new(&text[..range.end]).text;
    assert!(
        hay.text.starts_with(&upto) && upto.ends_with(&needle),
        "matching forms: {upto:?} / {needle:?} / {:?}",
        hay.text
    );
    let r = upto.len() - needle.len()..upto.len();
    let h = hay.text.as_str();
    // Whole words: white space or the text's end on each side, a letter or
    // digit inside, and not inside a grapheme (a mark combining with the space).
    let whole = !needle.is_empty()
        && quote.chars().any(char::is_alphanumeric)
        && (r.start == 0 || h[..r.start].ends_with(' '))
        && (r.end == h.len() || h[r.end..].starts_with(' '))
        && grapheme_boundary(h, r.start)
        && grapheme_boundary(h, r.end);
    if whole {
        assert!(
            found.is_some(),
            "{quote:?} (matching form {needle:?}) not found in {text:?}"
        );
    }
});
