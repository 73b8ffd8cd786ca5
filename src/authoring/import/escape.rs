//! Markdown that renders to exactly the article's text, with as few
//! backslashes as that takes.
//!
//! An editor copies quotes from the source file as often as from the page, so
//! every backslash the Markdown does not need is a quote that will not match.
//! [`escape_markdown`] escapes every character that can mean something;
//! [`minimize_escapes`] then removes each escape whose removal leaves the
//! rendered HTML unchanged, under the rules factbrief renders sources with.

use pulldown_cmark::Event;

use crate::markdown::{self, Trust};

/// Markdown for `text` that renders to exactly `text` (every special character
/// escaped; pass the result through [`minimize_escapes`] to keep only those needed).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // What would start a block other than a paragraph.
    let first = out.chars().next();
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

/// The HTML `md` renders to as a source (raw HTML shown as text), for comparing two spellings.
fn html_of(md: &str) -> String {
    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(
        &mut html,
        markdown::events(md, Trust::Untrusted).map(|(e, _)| e),
    );
    html
}

/// A block with more escapes than this is left as it is: trying each would take too long.
const MAX_TRIES_PER_BLOCK: usize = 400;

/// Byte offsets of the backslashes in `block` that escape an ASCII punctuation character.
fn escapes(block: &str) -> Vec<usize> {
    let bytes = block.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' && bytes[i + 1].is_ascii_punctuation() {
            out.push(i);
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// `md` without the backslash escapes it does not need: each is removed when
/// the block it is in renders to the same HTML without it. Blocks are the
/// stretches between blank lines; the whole document is compared at the end,
/// and `md` is returned unchanged if anything differs (a removal that only
/// mattered across blocks).
pub fn minimize_escapes(md: &str) -> String {
    if !md.contains('\\') {
        return md.to_owned();
    }
    let mut out = String::with_capacity(md.len());
    for (i, block) in md.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&minimize_block(block));
    }
    if html_of(&out) == html_of(md) {
        out
    } else {
        md.to_owned()
    }
}

fn minimize_block(block: &str) -> String {
    let at = escapes(block);
    if at.is_empty() || at.len() > MAX_TRIES_PER_BLOCK {
        return block.to_owned();
    }
    let want = html_of(block);
    let mut current = block.to_owned();
    // From the end, so that the offsets before the one removed stay right.
    for &i in at.iter().rev() {
        let mut candidate = String::with_capacity(current.len());
        candidate.push_str(&current[..i]);
        candidate.push_str(&current[i + 1..]);
        if html_of(&candidate) == want {
            current = candidate;
        }
    }
    current
}

/// `md` with a backslash before every `&` that Markdown would read as the start
/// of a character reference (`&copy;`, `&#169;`), where the text means the
/// characters themselves.
pub fn escape_references(md: &str) -> String {
    if !md.contains('&') {
        return md.to_owned();
    }
    let mut at = Vec::new();
    for (event, range) in markdown::events(md, Trust::Untrusted) {
        if let Event::Text(text) = event {
            let src = &md[range.clone()];
            if src.starts_with('&') && src.ends_with(';') && src.len() > 2 && *text != *src {
                at.push(range.start);
            }
        }
    }
    let mut out = md.to_owned();
    for i in at.into_iter().rev() {
        out.insert(i, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::rendered_text;

    fn minimal(text: &str) -> String {
        minimize_escapes(&escape_markdown(text))
    }

    #[test]
    fn escaped_text_renders_to_itself_with_few_backslashes() {
        for text in [
            "Plain words.",
            "*not emphasis* and _not_ either, **nor** this",
            "[not](a link) and ![not](an image) <b>not html</b> &amp; `not code`",
            "# not a heading",
            "- not a list",
            "+ not a list",
            "1. not a list",
            "2021) not a list",
            "> not a quote",
            "=== not a rule",
            "a | b | c ~~not struck~~ ~one~",
            "back\\slash \\* and trailing \\",
            "“curly” ‘quotes’ – dashes — … and (PresidentialInsider.com)- text",
            "snake_case, 100% sure & AT&T",
        ] {
            for md in [escape_markdown(text), minimal(text)] {
                assert_eq!(
                    rendered_text(&md, Trust::Untrusted).trim_matches('\n'),
                    text,
                    "{md}"
                );
            }
        }
    }

    #[test]
    fn only_needed_escapes_stay() {
        assert_eq!(
            minimal("Thank you, Mr. President! Done."),
            "Thank you, Mr. President! Done."
        );
        assert_eq!(
            minimal("snake_case & AT&T, 100%"),
            "snake_case & AT&T, 100%"
        );
        assert_eq!(minimal("# not a heading"), "\\# not a heading");
        assert!(minimal("*not emphasis*").contains('\\'));
    }

    #[test]
    fn character_references_in_text_are_escaped() {
        let md = escape_references("Write &copy; or &#169; for it, not AT&T.");
        assert_eq!(md, "Write \\&copy; or \\&#169; for it, not AT&T.");
        assert_eq!(
            rendered_text(&md, Trust::Untrusted).trim_matches('\n'),
            "Write &copy; or &#169; for it, not AT&T."
        );
        // Code spans show references as they are.
        assert_eq!(escape_references("`&copy;`"), "`&copy;`");
    }
}
