//! Links to a passage in the original article: URL Text Fragments
//! (`https://example.org/a#:~:text=start,end`, WICG Text Fragments spec), so a
//! reader can check a quote where it was published.

/// Words shown whole in the fragment before it is cut into a start and an end.
const WHOLE_WORDS: usize = 8;
/// Words taken from each end of a longer passage.
const END_WORDS: usize = 4;

/// `url` with a text directive for `passage` (the source's words, as rendered).
/// A passage that crosses a paragraph is matched from its first paragraph's
/// start to its last paragraph's end. `None` when the passage has no words.
pub fn link(url: &str, passage: &str) -> Option<String> {
    let directive = directive(passage)?;
    // A fragment the URL already has is replaced: a URL has one fragment.
    let base = url.split('#').next().unwrap_or(url);
    Some(format!("{base}#:~:text={directive}"))
}

/// The value of `text=` for `passage`: `start` or `start,end`, percent-encoded.
pub fn directive(passage: &str) -> Option<String> {
    // Paragraph breaks: a text directive's start and end each lie within one block.
    let blocks: Vec<&str> = passage
        .split('\n')
        .filter(|b| b.split_whitespace().next().is_some())
        .collect();
    let first: Vec<&str> = blocks.first()?.split_whitespace().collect();
    let last: Vec<&str> = blocks.last()?.split_whitespace().collect();
    if blocks.len() == 1 && first.len() <= WHOLE_WORDS {
        return Some(encode(&first.join(" ")));
    }
    let start = &first[..first.len().min(END_WORDS)];
    let end = &last[last.len().saturating_sub(END_WORDS)..];
    Some(format!(
        "{},{}",
        encode(&start.join(" ")),
        encode(&end.join(" "))
    ))
}

/// Percent-encode a directive value: everything but ASCII letters, digits and
/// `_.!~*'()`; in particular `-`, `,` and `&`, which the syntax reserves.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encode("a-b, c & d"), "a%2Db%2C%20c%20%26%20d");
        assert_eq!(
            encode("“Yes” — he said"),
            "%E2%80%9CYes%E2%80%9D%20%E2%80%94%20he%20said"
        );
        assert_eq!(encode("Путин"), "%D0%9F%D1%83%D1%82%D0%B8%D0%BD");
        assert_eq!(encode("it's (so)"), "it's%20(so)");
    }

    #[test]
    fn a_short_passage_is_whole_a_long_one_a_start_and_an_end() {
        assert_eq!(
            directive("the call began at 3:35").unwrap(),
            "the%20call%20began%20at%203%3A35"
        );
        assert_eq!(
            directive("one two three four five six seven eight nine ten").unwrap(),
            "one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
        // Across paragraphs: the start in the first, the end in the last.
        assert_eq!(
            directive("first para here\nsecond para ends now").unwrap(),
            "first%20para%20here,second%20para%20ends%20now"
        );
        assert_eq!(directive(" \n "), None);
    }

    #[test]
    fn the_url_keeps_its_query_and_loses_its_fragment() {
        assert_eq!(
            link("https://ex.org/a?x=1#top", "Hello, world").unwrap(),
            "https://ex.org/a?x=1#:~:text=Hello%2C%20world"
        );
    }
}
