//! The Markdown dialect of factbrief, shared by the link and render stages.
//!
//! Both stages must agree on what "the text as rendered" is, because quotes are
//! found in it by one stage and marked in the HTML by the other. [`rendered_text`]
//! is that single definition.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Whether a document's raw HTML may pass through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Written by the desk's editors: raw HTML passes through, as in Zola or Hugo.
    Editor,
    /// A source document from outside: raw HTML is shown as text, never as markup.
    Untrusted,
}

/// Parser options: tables, footnotes, strikethrough; no typographic rewriting,
/// which would change the text that quotes are matched against.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// The events of `text` with their byte ranges; raw HTML of untrusted text becomes text.
pub fn events(text: &str, trust: Trust) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .map(move |(ev, range)| match (trust, ev) {
            // Footnote labels become ids: keep them apart from passage and theme ids.
            (_, Event::FootnoteReference(label)) => {
                (Event::FootnoteReference(footnote_id(&label)), range)
            }
            (_, Event::Start(Tag::FootnoteDefinition(label))) => (
                Event::Start(Tag::FootnoteDefinition(footnote_id(&label))),
                range,
            ),
            (Trust::Untrusted, Event::Html(h) | Event::InlineHtml(h)) => (Event::Text(h), range),
            (Trust::Untrusted, Event::Start(Tag::HtmlBlock)) => {
                (Event::Start(Tag::Paragraph), range)
            }
            (Trust::Untrusted, Event::End(TagEnd::HtmlBlock)) => {
                (Event::End(TagEnd::Paragraph), range)
            }
            (_, ev) => (ev, range),
        })
}

/// The id of a footnote: `fn-` and the label with anything but letters, digits, `-` and `_` replaced.
fn footnote_id(label: &str) -> CowStr<'static> {
    let safe: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("fn-{safe}").into()
}

/// What one event adds to the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text a reader sees, which passages can cover.
    Text(CowStr<'a>),
    /// A break between blocks or lines: one space's worth of separation, never marked.
    Break,
    /// Nothing.
    None,
}

/// The rendered-text contribution of one event. Offsets in the rendered text
/// advance by the text's length, or by 1 for a [`Piece::Break`].
pub fn piece<'a>(event: &Event<'a>) -> Piece<'a> {
    match event {
        Event::Text(t) | Event::Code(t) => Piece::Text(t.clone()),
        Event::SoftBreak | Event::HardBreak => Piece::Break,
        Event::End(end) if is_block_end(end) => Piece::Break,
        // A block may start right after text (a list nested in a tight list item).
        Event::Start(start) if is_block_start(start) => Piece::Break,
        _ => Piece::None,
    }
}

fn is_block_start(start: &Tag) -> bool {
    matches!(
        start,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

/// The rendered text of a Markdown body: what quotes are matched against.
pub fn rendered_text(text: &str, trust: Trust) -> String {
    scan(text, trust, true).text
}

/// What one pass over a body finds.
#[derive(Debug, Default)]
pub struct Scan {
    /// The rendered text (empty unless asked for).
    pub text: String,
    /// Every link and image destination, with the byte offset in the body where it starts.
    pub links: Vec<(String, usize)>,
}

/// One pass over `text`: its rendered text (if `want_text`) and its link destinations.
pub fn scan(text: &str, trust: Trust, want_text: bool) -> Scan {
    let mut out = Scan {
        text: String::with_capacity(if want_text { text.len() } else { 0 }),
        links: Vec::new(),
    };
    for (ev, range) in events(text, trust) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &ev {
            out.links.push((dest_url.to_string(), range.start));
        }
        if want_text {
            match piece(&ev) {
                Piece::Text(t) => out.text.push_str(&t),
                Piece::Break => out.text.push('\n'),
                Piece::None => {}
            }
        }
    }
    out
}

/// Where a `source:`, `claim:` or `page:` link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink<'a> {
    /// `source`, `claim` or `page`.
    pub kind: &'a str,
    /// The document id.
    pub id: &'a str,
    /// The `#fragment`, without `#`.
    pub fragment: Option<&'a str>,
}

/// Read `source:<id>#frag`-style destinations; other URLs give `None`.
pub fn internal_link(dest: &str) -> Option<InternalLink<'_>> {
    let (kind, rest) = dest.split_once(':')?;
    if !matches!(kind, "source" | "claim" | "page") {
        return None;
    }
    let (id, fragment) = match rest.split_once('#') {
        Some((id, f)) => (id, Some(f)),
        None => (rest, None),
    };
    Some(InternalLink {
        kind,
        id: id.trim_end_matches('/'),
        fragment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_text_drops_markup_and_keeps_text() {
        let t = rendered_text(
            "A *very* [good](https://x.org) `day`.\n\nNext  para",
            Trust::Editor,
        );
        assert_eq!(t, "\nA very good day.\n\nNext  para\n");
    }

    #[test]
    fn untrusted_html_is_text() {
        let t = rendered_text(
            "Hi <b>there</b>\n\n<script>alert(1)</script>\n",
            Trust::Untrusted,
        );
        assert!(t.contains("<b>there</b>"));
        assert!(t.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn blocks_starting_after_text_separate_words() {
        assert_eq!(
            rendered_text("- one\n  - two\n", Trust::Editor)
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["one", "two"]
        );
        assert_eq!(
            rendered_text("- foo\n  > bar\n", Trust::Editor)
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["foo", "bar"]
        );
    }

    #[test]
    fn footnote_labels_are_prefixed_ids() {
        let evs: Vec<Event> = events("x[^q-c-1]\n\n[^q-c-1]: y", Trust::Untrusted)
            .map(|e| e.0)
            .collect();
        assert!(evs.contains(&Event::FootnoteReference("fn-q-c-1".into())));
        assert!(evs.contains(&Event::Start(Tag::FootnoteDefinition("fn-q-c-1".into()))));
    }

    #[test]
    fn no_typographic_rewriting() {
        let t = rendered_text("\"straight\" -- and ...", Trust::Editor);
        assert_eq!(t.trim(), "\"straight\" -- and ...");
    }

    #[test]
    fn internal_links() {
        assert_eq!(
            internal_link("claim:2021/a#q"),
            Some(InternalLink {
                kind: "claim",
                id: "2021/a",
                fragment: Some("q")
            })
        );
        assert_eq!(internal_link("https://x.org"), None);
        assert_eq!(internal_link("mailto:a@b"), None);
    }
}
