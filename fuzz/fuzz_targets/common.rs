//! Helpers shared by the fuzz targets: reading the fuzz input, choosing a
//! stretch of a rendered text, and the checks on the HTML factbrief writes.
#![allow(dead_code)]

use std::ops::Range;

/// Reads little-endian numbers off the front of the fuzz input.
pub struct Input<'a> {
    pub rest: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    pub fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    pub fn u16(&mut self) -> Option<u16> {
        let lo = self.u8()?;
        let hi = self.u8()?;
        Some(u16::from_le_bytes([lo, hi]))
    }
}

/// A stretch of `text` chosen by two numbers, always on char boundaries. When
/// the top bit of `start` is set it runs from the start of one whitespace-
/// separated word to the end of another (as a quote copied from the text would);
/// otherwise from any char to any later one.
pub fn stretch(text: &str, start: u16, len: u16) -> Range<usize> {
    if start & 0x8000 != 0 {
        let words = word_spans(text);
        if words.is_empty() {
            return 0..0;
        }
        let a = usize::from(start & 0x7fff) % words.len();
        let b = a + usize::from(len) % (words.len() - a);
        return words[a].start..words[b].end;
    }
    let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bounds.push(text.len());
    let n = bounds.len();
    let a = usize::from(start) % n;
    let b = a + usize::from(len) % (n - a);
    bounds[a]..bounds[b]
}

/// The byte ranges of the whitespace-separated words of `text`.
pub fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Undo HTML escaping of text (as tests/common/mod.rs does).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// One tag of an HTML text: its name (lowercase, `/` first for a closing tag),
/// its attributes (names lowercase, values as written) and where it is.
#[derive(Debug)]
pub struct Tag<'a> {
    pub name: String,
    pub attrs: Vec<(String, &'a str)>,
    pub at: usize,
    /// Byte offset just after its `>`.
    pub end: usize,
}

/// The tags of `html` in order. Text never holds a raw `<` (it is escaped), so
/// each `<` opens a tag, a comment or a doctype. Attribute values are read
/// quoted or not, as a browser would, so an `on...=` inside a value is no attribute.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        let mut j = at + 1;
        if html[j..].starts_with("!--") {
            i = html[j..].find("-->").map_or(html.len(), |e| j + e + 3);
            continue;
        }
        let name_start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
            if b[j] == b'/' && j > name_start + 1 {
                break;
            }
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let an = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = html[an..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = "";
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let vs = j + 1;
                    let ve = html[vs..]
                        .bytes()
                        .position(|c| c == q)
                        .map_or(html.len(), |p| vs + p);
                    value = &html[vs..ve];
                    j = (ve + 1).min(b.len());
                } else {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = &html[vs..j];
                }
            }
            attrs.push((attr, value));
        }
        let end = (j + 1).min(b.len());
        out.push(Tag {
            name,
            attrs,
            at,
            end,
        });
        i = end.max(at + 1);
    }
    out
}

/// `value` with the character references a browser decodes in an attribute:
/// numeric ones, and the named ones that matter in a URL's scheme.
pub fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let c = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = name.strip_prefix('#') {
            dec.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                let semi = usize::from(rest[end..].starts_with(';'));
                rest = &rest[end + semi..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a URL (an attribute value as written) would run script when followed.
pub fn is_script_url(value: &str) -> bool {
    // Browsers drop ASCII tab and line breaks anywhere in a URL and white space
    // or control characters at its start; entities are decoded first.
    let decoded = decode_entities(value);
    let squeezed: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = squeezed
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// The value of attribute `name`.
fn attr<'a>(attrs: &[(String, &'a str)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
}

/// Whether a script element is the search page's (`<script type="module"
/// src="../search.js">`): a relative path to the theme's file, nothing else.
fn is_theme_script(attrs: &[(String, &str)]) -> bool {
    attrs.len() == 2
        && attr(attrs, "type") == Some("module")
        && attr(attrs, "src").is_some_and(|src| {
            src.trim_start_matches("../") == "search.js" || src == "./search.js"
        })
}

/// Whether a form is the theme's search box: a GET to the search page.
fn is_theme_form(attrs: &[(String, &str)]) -> bool {
    attr(attrs, "method") == Some("get")
        && attr(attrs, "action")
            .is_some_and(|a| !a.contains(':') && (a == "./" || a.ends_with("search/")))
}

/// Panic unless `html` has nothing live from the Markdown: no script element
/// other than JSON-LD (if `json_ld` allows it), no `on...` event handler
/// attribute, no script URL in a link, image, form or frame.
pub fn assert_inert(html: &str, json_ld: bool, what: &str) {
    for tag in tags(html) {
        match tag.name.as_str() {
            // The theme's own: the search page's script, from the site's root.
            "script" if is_theme_script(&tag.attrs) => {}
            "script" => {
                let ld = tag.attrs.len() == 1
                    && tag.attrs[0] == ("type".to_owned(), "application/ld+json");
                assert!(
                    json_ld && ld,
                    "{what}: a script element at byte {}: {:?}",
                    tag.at,
                    &html[tag.at..tag.end]
                );
                // The JSON-LD must not close its element early nor open another.
                let body_end = html[tag.end..]
                    .to_ascii_lowercase()
                    .find("</script")
                    .map_or(html.len(), |e| tag.end + e);
                assert!(
                    !html[tag.end..body_end].contains('<'),
                    "{what}: a `<` inside JSON-LD at byte {}",
                    tag.end
                );
            }
            // The theme's own: the search box (in the header, and on the search page).
            "form" if is_theme_form(&tag.attrs) => {}
            "iframe" | "object" | "embed" | "frame" | "frameset" | "base" | "form" => {
                panic!("{what}: a <{}> element at byte {}", tag.name, tag.at)
            }
            _ => {}
        }
        for (name, value) in &tag.attrs {
            assert!(
                !name.starts_with("on"),
                "{what}: an event handler attribute `{name}` at byte {}: {:?}",
                tag.at,
                &html[tag.at..tag.end]
            );
            if matches!(
                name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc"
            ) {
                assert!(
                    !is_script_url(value),
                    "{what}: a script URL in `{name}` at byte {}: {:?}",
                    tag.at,
                    &html[tag.at..tag.end]
                );
            }
        }
    }
}

/// Panic unless every `<mark` is closed by a `</mark>` before any other tag opens
/// (factbrief's marks hold text only) and every `</mark>` closes one.
pub fn assert_marks_closed(html: &str, what: &str) {
    let mut open: Option<usize> = None;
    for tag in tags(html) {
        match (tag.name.as_str(), open) {
            ("mark", None) => open = Some(tag.at),
            ("/mark", Some(_)) => open = None,
            ("/mark", None) => panic!("{what}: a </mark> at byte {} closes nothing", tag.at),
            (_, Some(at)) => panic!(
                "{what}: the <mark> at byte {at} is not closed before <{}> at byte {}",
                tag.name, tag.at
            ),
            _ => {}
        }
    }
    assert!(
        open.is_none(),
        "{what}: a <mark> at byte {open:?} never closed"
    );
}

/// Panic unless tags close in the order they open (void elements aside), as
/// tests/properties.rs checks rendered bodies.
pub fn assert_nested(html: &str, what: &str) {
    let mut stack: Vec<(String, usize)> = Vec::new();
    for tag in tags(html) {
        if tag.name.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.name.strip_prefix('/') {
            let top = stack.pop();
            assert_eq!(
                top.as_ref().map(|t| t.0.as_str()),
                Some(closing),
                "{what}: </{closing}> at byte {} closes {top:?}",
                tag.at
            );
        } else if !matches!(
            tag.name.as_str(),
            "br" | "hr" | "img" | "input" | "meta" | "link" | "col" | "source" | "wbr"
        ) {
            stack.push((tag.name, tag.at));
        }
    }
    assert!(stack.is_empty(), "{what}: never closed: {stack:?}");
}

/// The text (HTML-unescaped) of every `<mark>` whose `data-q` lists `name`, in
/// document order: tests/common/mod.rs `marked_text`, reading only real tags.
pub fn marked_text(html: &str, name: &str) -> String {
    let mut out = String::new();
    for tag in tags(html) {
        if tag.name != "mark" {
            continue;
        }
        let listed = tag
            .attrs
            .iter()
            .any(|(a, v)| a == "data-q" && v.split(' ').any(|n| n == name));
        if listed {
            let body_end = html[tag.end..]
                .find('<')
                .map_or(html.len(), |e| tag.end + e);
            out.push_str(&unescape(&html[tag.end..body_end]));
        }
    }
    out
}

/// How many elements carry `id="name"`.
pub fn ids(html: &str, name: &str) -> usize {
    tags(html)
        .iter()
        .filter(|t| t.attrs.iter().any(|(a, v)| a == "id" && *v == name))
        .count()
}
