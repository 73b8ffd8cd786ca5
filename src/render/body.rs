//! Markdown bodies to HTML: internal links resolved, untrusted text made inert,
//! quoted passages marked, fenced code highlighted.

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::highlight;
use crate::link::Passage;
use crate::markdown::{self, Piece, Trust};

/// Resolves `source:`/`claim:`/`page:` links to URLs from the page being rendered.
pub trait LinkResolver {
    /// The URL of document `id` of `kind` (`source`, `claim`, `page`), if it exists.
    fn resolve(&self, kind: &str, id: &str) -> Option<String>;
}

/// A rendered body.
#[derive(Debug, Default)]
pub struct Html {
    /// The HTML.
    pub html: String,
    /// Whether it has highlighted code (the page then needs `syntax.css`).
    pub has_code: bool,
}

/// Render `text` to HTML; `passages` (sorted by start) are marked as docs/format.md's section on marked passages says.
pub fn render(text: &str, trust: Trust, links: &dyn LinkResolver, passages: &[Passage]) -> Html {
    render_with_notes(text, trust, links, passages, &[])
}

/// As [`render`], and put each of `notes` (offset in the rendered text, HTML;
/// sorted by offset) just after the text at its offset, outside any mark, and
/// after the link it falls in (a link may not hold a link).
pub fn render_with_notes(
    text: &str,
    trust: Trust,
    links: &dyn LinkResolver,
    passages: &[Passage],
    notes: &[(usize, String)],
) -> Html {
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut marker = Marker::new(passages);
    marker.notes = notes;
    let mut has_code = false;
    let mut code: Option<(String, usize, Vec<Event<'_>>)> = None; // (lang, start pos, events)

    let mut link_depth = 0usize;
    for (ev, _) in markdown::events(text, trust) {
        let piece = markdown::piece(&ev);
        // An untrusted image becomes a link; inside a link it is only its alt text.
        match &ev {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                if link_depth == 0 && !marker.queued.is_empty() {
                    // After this link closes.
                    marker.in_link = false;
                    let e = rewrite_links(ev, trust, links);
                    out.push(e);
                    marker.flush(&mut out);
                    continue;
                }
            }
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image)
                if trust == Trust::Untrusted && link_depth > 0 =>
            {
                continue
            }
            _ => {}
        }
        marker.in_link = link_depth > 0;
        let ev = rewrite_links(ev, trust, links);
        // Fenced code: gather it, then highlight if no passage falls inside.
        if let Event::Start(Tag::CodeBlock(kind)) = &ev {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => {
                    info.split([' ', ',']).next().unwrap_or("").to_owned()
                }
                CodeBlockKind::Indented => String::new(),
            };
            marker.skip_break();
            code = Some((lang, marker.pos, vec![ev.clone()]));
            continue;
        }
        if let Some((lang, start, events)) = code.as_mut() {
            if let Event::End(TagEnd::CodeBlock) = ev {
                let plain: String = events
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let marked = marker.any_within(*start, *start + plain.len());
                match (!lang.is_empty() && !marked)
                    .then(|| highlight::highlight(&plain, lang))
                    .flatten()
                {
                    Some(h) => {
                        has_code = true;
                        marker.advance(plain.len());
                        out.push(Event::Html(
                            format!(
                                "<pre class=\"code\" data-lang=\"{}\"><code>{h}</code></pre>\n",
                                escape_attr(lang)
                            )
                            .into(),
                        ));
                    }
                    None => {
                        let taken = std::mem::take(events);
                        out.push(taken[0].clone());
                        for e in taken.into_iter().skip(1) {
                            let p = markdown::piece(&e);
                            marker.emit(e, p, &mut out);
                        }
                        out.push(Event::End(TagEnd::CodeBlock));
                    }
                }
                marker.advance(1); // the block's end is a break
                code = None;
            } else {
                events.push(ev);
            }
            continue;
        }
        marker.emit(ev, piece, &mut out);
    }
    // Notes past the text (none, as notes end passages): at the end rather than lost.
    marker.in_link = false;
    marker.queue_until(usize::MAX);
    marker.flush(&mut out);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Html { html, has_code }
}

/// Resolve internal links; in untrusted text keep only safe URLs and show images as links.
fn rewrite_links<'a>(ev: Event<'a>, trust: Trust, links: &dyn LinkResolver) -> Event<'a> {
    let fix = |dest: CowStr<'a>| -> CowStr<'a> {
        if let Some(l) = markdown::internal_link(&dest) {
            let url = links.resolve(l.kind, l.id).unwrap_or_else(|| "#".into());
            return match l.fragment {
                Some(f) => format!("{url}#{f}").into(),
                None => url.into(),
            };
        }
        if trust == Trust::Untrusted && !is_safe_url(&dest) {
            return "#".into();
        }
        dest
    };
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: fix(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if trust == Trust::Untrusted => Event::Start(Tag::Link {
            link_type,
            dest_url: fix(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) if trust == Trust::Untrusted => Event::End(TagEnd::Link),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: fix(dest_url),
            title,
            id,
        }),
        ev => ev,
    }
}

/// URLs a source may link to: web, mail, and relative ones; never `javascript:` and the like.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(i) => {
            // A colon after a path or query character is not a scheme.
            lower[..i].contains(['/', '?', '#'])
                || matches!(&lower[..i], "http" | "https" | "mailto")
        }
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Walks the rendered text alongside the events and wraps quoted pieces in `<mark>`s.
struct Marker<'p> {
    passages: &'p [Passage],
    /// Offset in the rendered text.
    pos: usize,
    /// Next passage (by start) not yet opened.
    next: usize,
    /// Passages open at `pos`, by index.
    open: BTreeSet<usize>,
    /// Boundaries (starts and ends) in order, for splitting text.
    bounds: Vec<usize>,
    /// Whether the last rendered-text piece was text (not a break).
    last_was_text: bool,
    /// HTML to put after the text at an offset, by offset.
    notes: &'p [(usize, String)],
    /// The first note not yet queued.
    next_note: usize,
    /// Notes reached but not yet emitted (held while inside a link).
    queued: String,
    /// Whether the text being emitted is inside a link.
    in_link: bool,
}

impl<'p> Marker<'p> {
    fn new(passages: &'p [Passage]) -> Self {
        let mut bounds: Vec<usize> = passages
            .iter()
            .flat_map(|p| [p.range.start, p.range.end])
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        Marker {
            passages,
            pos: 0,
            next: 0,
            open: BTreeSet::new(),
            bounds,
            last_was_text: false,
            notes: &[],
            next_note: 0,
            queued: String::new(),
            in_link: false,
        }
    }

    /// Queue the notes whose offset is at most `at`.
    fn queue_until(&mut self, at: usize) {
        while let Some((off, html)) = self.notes.get(self.next_note) {
            if *off > at {
                break;
            }
            self.queued.push_str(html);
            self.next_note += 1;
        }
    }

    /// Emit the queued notes, unless inside a link.
    fn flush<'a>(&mut self, out: &mut Vec<Event<'a>>) {
        if !self.in_link && !self.queued.is_empty() {
            out.push(Event::InlineHtml(std::mem::take(&mut self.queued).into()));
        }
    }

    fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    /// Account for a [`Piece::Break`] whose event is emitted elsewhere.
    fn skip_break(&mut self) {
        self.pos += 1;
        self.last_was_text = false;
    }

    fn any_within(&self, start: usize, end: usize) -> bool {
        self.passages
            .iter()
            .any(|p| p.range.start < end && p.range.end > start)
    }

    /// Update the open set for offset `at`: open passages starting by then, close those ended.
    fn sweep(&mut self, at: usize) -> Vec<usize> {
        let mut starting = Vec::new();
        while self.next < self.passages.len() && self.passages[self.next].range.start <= at {
            self.open.insert(self.next);
            starting.push(self.next);
            self.next += 1;
        }
        let passages = self.passages;
        self.open.retain(|&i| passages[i].range.end > at);
        starting.retain(|i| self.open.contains(i));
        starting
    }

    /// The opening tag of a mark over the open passages; the first passage starting here
    /// carries its id, others starting here get empty anchors just before.
    fn open_tag(&self, starting: &[usize]) -> String {
        let mut tag = String::new();
        // Only a passage's first piece carries its anchor; later pieces of an elided quote do not.
        let starting: Vec<usize> = starting
            .iter()
            .copied()
            .filter(|&i| self.passages[i].first)
            .collect();
        for &extra in starting.iter().skip(1) {
            tag.push_str(&format!(
                "<span id=\"{}\"></span>",
                self.passages[extra].name
            ));
        }
        tag.push_str("<mark");
        if let Some(&first) = starting.first() {
            tag.push_str(&format!(" id=\"{}\"", self.passages[first].name));
        }
        let names: Vec<&str> = self
            .open
            .iter()
            .map(|&i| self.passages[i].name.as_str())
            .collect();
        tag.push_str(&format!(" data-q=\"{}\">", names.join(" ")));
        tag
    }

    /// Emit `ev`, splitting its text where passages begin or end.
    fn emit<'a>(&mut self, ev: Event<'a>, piece: Piece<'a>, out: &mut Vec<Event<'a>>) {
        let text = match piece {
            Piece::Break => {
                // A break inside a passage is part of its text: mark a line end for it,
                // inside the block that ends here, so the marked text reads as the passage.
                let inside = !self.passages.is_empty() && self.last_was_text && {
                    self.sweep(self.pos);
                    !self.open.is_empty()
                };
                self.pos += 1;
                self.last_was_text = false;
                if inside {
                    let tag = self.open_tag(&[]);
                    let mark = [
                        Event::InlineHtml(tag.into()),
                        Event::Text("\n".into()),
                        Event::InlineHtml("</mark>".into()),
                    ];
                    match ev {
                        Event::SoftBreak => out.extend(mark),
                        Event::HardBreak => {
                            out.push(ev);
                            out.extend(mark);
                        }
                        ev => {
                            out.extend(mark);
                            out.push(ev);
                        }
                    }
                } else {
                    out.push(ev);
                }
                return;
            }
            Piece::None => {
                out.push(ev);
                return;
            }
            Piece::Text(t) => t,
        };
        self.last_was_text = true;
        if self.passages.is_empty() {
            self.pos += text.len();
            out.push(ev);
            return;
        }
        let is_code = matches!(ev, Event::Code(_));
        if is_code {
            out.push(Event::InlineHtml("<code>".into()));
        }
        let start = self.pos;
        let end = start + text.len();
        let mut cut = start;
        while cut < end {
            let starting = self.sweep(cut);
            let i = self.bounds.partition_point(|&b| b <= cut);
            let mut stop = self.bounds.get(i).copied().unwrap_or(end).min(end);
            // Never split inside a char.
            while !text.is_char_boundary(stop - start) {
                stop += 1;
            }
            let seg = &text[cut - start..stop - start];
            if self.open.is_empty() {
                out.push(Event::Text(seg.to_owned().into()));
            } else {
                out.push(Event::InlineHtml(self.open_tag(&starting).into()));
                out.push(Event::Text(seg.to_owned().into()));
                out.push(Event::InlineHtml("</mark>".into()));
            }
            if !self.notes.is_empty() {
                self.queue_until(stop);
                if !is_code {
                    self.flush(out);
                }
            }
            cut = stop;
        }
        if is_code {
            out.push(Event::InlineHtml("</code>".into()));
            self.flush(out);
        }
        self.pos = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::quote::{find, Normalized};

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, kind: &str, id: &str) -> Option<String> {
            (id != "missing").then(|| format!("../{kind}s/{id}/"))
        }
    }

    fn passage(md: &str, name: &str, quote: &str) -> Passage {
        let text = markdown::rendered_text(md, Trust::Untrusted);
        let (range, _) = find(&text, &Normalized::new(&text), quote).expect("quote found");
        Passage {
            name: name.into(),
            range,
            first: true,
        }
    }

    fn marked(md: &str, passages: &mut [Passage]) -> String {
        passages.sort_by_key(|p| p.range.start);
        render(md, Trust::Untrusted, &NoLinks, passages).html
    }

    #[test]
    fn marks_a_plain_passage() {
        let md = "One two three four.";
        let mut ps = vec![passage(md, "q-a-1", "two three")];
        assert_eq!(
            marked(md, &mut ps),
            "<p>One <mark id=\"q-a-1\" data-q=\"q-a-1\">two three</mark> four.</p>\n"
        );
    }

    #[test]
    fn passage_across_emphasis_and_link_is_split_and_well_formed() {
        let md = "Alpha *beta gamma* [delta](https://x.org) epsilon.";
        let mut ps = vec![passage(md, "q-a-1", "gamma delta epsilon")];
        assert_eq!(
            marked(md, &mut ps),
            "<p>Alpha <em>beta <mark id=\"q-a-1\" data-q=\"q-a-1\">gamma</mark></em><mark data-q=\"q-a-1\"> </mark>\
<a href=\"https://x.org\"><mark data-q=\"q-a-1\">delta</mark></a><mark data-q=\"q-a-1\"> epsilon</mark>.</p>\n"
        );
    }

    #[test]
    fn overlapping_and_identical_passages() {
        let md = "a b c d e";
        let mut ps = vec![
            passage(md, "q-x-1", "b c d"),
            passage(md, "q-y-1", "c d e"),
            passage(md, "q-z-2", "b c d"),
        ];
        let html = marked(md, &mut ps);
        assert_eq!(
            html,
            "<p>a <span id=\"q-z-2\"></span><mark id=\"q-x-1\" data-q=\"q-x-1 q-z-2\">b </mark>\
<mark id=\"q-y-1\" data-q=\"q-x-1 q-z-2 q-y-1\">c d</mark><mark data-q=\"q-y-1\"> e</mark></p>\n"
        );
    }

    #[test]
    fn passage_across_lines_and_paragraphs() {
        let md = "first line\nsecond line\n\nnext para here";
        let mut ps = vec![passage(md, "q-a-1", "line second line next")];
        let html = marked(md, &mut ps);
        assert_eq!(
            html,
            "<p>first <mark id=\"q-a-1\" data-q=\"q-a-1\">line</mark><mark data-q=\"q-a-1\">\n</mark><mark data-q=\"q-a-1\">second line</mark><mark data-q=\"q-a-1\">\n</mark></p>\n\
<p><mark data-q=\"q-a-1\">next</mark> para here</p>\n"
        );
    }

    #[test]
    fn untrusted_html_and_urls_are_inert() {
        let md = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n<div onclick=\"x\">block</div>\n\n[a](javascript:alert(3)) ![i](https://x.org/i.png)";
        let html = render(md, Trust::Untrusted, &NoLinks, &[]).html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("<a href=\"https://x.org/i.png\">i</a>"),
            "{html}"
        );
    }

    #[test]
    fn an_image_in_a_link_in_a_source_is_its_alt_text() {
        let html = render(
            "[![alt](http://i/x.png)](http://y)",
            Trust::Untrusted,
            &NoLinks,
            &[],
        )
        .html;
        assert_eq!(html, "<p><a href=\"http://y\">alt</a></p>\n");
    }

    #[test]
    fn editor_html_passes_and_internal_links_resolve() {
        let md = "<b>ok</b> [s](source:a#q-x-1) [c](claim:b)";
        let html = render(md, Trust::Editor, &NoLinks, &[]).html;
        assert_eq!(
            html,
            "<p><b>ok</b> <a href=\"../sources/a/#q-x-1\">s</a> <a href=\"../claims/b/\">c</a></p>\n"
        );
    }

    #[test]
    fn code_is_highlighted_unless_quoted() {
        let md = "```rust\nfn main() {}\n```\n";
        let h = render(md, Trust::Editor, &NoLinks, &[]);
        assert!(h.has_code && h.html.contains("hl-"), "{}", h.html);
        let mut ps = vec![passage(md, "q-a-1", "main()")];
        let html = marked(md, &mut ps);
        assert!(
            html.contains("<mark id=\"q-a-1\" data-q=\"q-a-1\">main()</mark>"),
            "{html}"
        );
        let md = "Use `a b` here";
        let mut ps = vec![passage(md, "q-a-1", "a b here")];
        assert_eq!(
            marked(md, &mut ps),
            "<p>Use <code><mark id=\"q-a-1\" data-q=\"q-a-1\">a b</mark></code><mark data-q=\"q-a-1\"> here</mark></p>\n"
        );
    }
}
