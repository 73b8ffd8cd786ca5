//! Finding a quote in a source's rendered text, as docs/format.md says of quotes:
//! differences of white space, quotation marks and apostrophes, dashes and
//! `...` against `…` are ignored.

use std::collections::HashMap;
use std::ops::Range;

/// Text in its matching form, with the way back to the original offsets.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The matching form.
    pub text: String,
    /// For each byte of `text`, the byte offset of the original char it came from.
    origin: Vec<u32>,
}

/// The matching form of one char, if it has one of its own.
fn fold(c: char) -> Option<char> {
    match c {
        '"' | '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{201C}'
        | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2032}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{2039}' | '\u{203A}' => Some('"'),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => Some('-'),
        _ => None,
    }
}

/// Invisible chars that copy-and-paste adds or drops (soft hyphen, zero-width space and joiners).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

impl Normalized {
    /// Fold `s` into its matching form.
    pub fn new(s: &str) -> Normalized {
        let mut text = String::with_capacity(s.len());
        let mut origin = Vec::with_capacity(s.len());
        let mut pending_space: Option<usize> = None;
        let bytes = s.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let at = i;
            // Most text is ASCII: a byte at a time, with no char decoded nor
            // looked up (ASCII white space as `char::is_whitespace` has it:
            // U+0009 to U+000D and the space; the only ASCII fold is `'` to `"`).
            let (c, space) = if b.is_ascii() {
                i += 1;
                let c = if b == b'\'' { '"' } else { char::from(b) };
                (c, matches!(b, b'\t'..=b'\r' | b' '))
            } else {
                let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
                    break;
                };
                i += c.len_utf8();
                if is_invisible(c) {
                    continue;
                }
                (fold(c).unwrap_or(c), c.is_whitespace())
            };
            if space {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(at);
                }
                continue;
            }
            if let Some(sp) = pending_space.take() {
                text.push(' ');
                origin.push(sp as u32);
            }
            let at = at as u32;
            if c == '\u{2026}' {
                text.push_str("...");
                origin.extend([at, at, at]);
            } else {
                text.push(c);
                origin.extend(std::iter::repeat_n(at, c.len_utf8()));
            }
        }
        Normalized { text, origin }
    }

    /// The original byte range of the matching-form range `r` (which must be non-empty).
    pub fn original_range(&self, original: &str, r: Range<usize>) -> Range<usize> {
        let start = self.origin[r.start] as usize;
        let last = self.origin[r.end - 1] as usize;
        let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }

    /// Every place the matching-form `needle` occurs as whole words, as matching-form ranges.
    pub fn find_all<'a>(&'a self, needle: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        self.find_all_from(needle, 0)
    }

    /// As [`Normalized::find_all`], for matches starting at `from` or later.
    pub fn find_all_from<'a>(
        &'a self,
        needle: &'a str,
        mut from: usize,
    ) -> impl Iterator<Item = Range<usize>> + 'a {
        // Matches may overlap: `00 U 00` inside `0000 U 00 U 00` is refused where
        // it starts inside `0000`, and found where it starts at the next `00`,
        // which a search for non-overlapping matches would skip.
        std::iter::from_fn(move || {
            while let Some(i) = self.text.get(from..).and_then(|t| t.find(needle)) {
                let start = from + i;
                from = start + self.text[start..].chars().next().map_or(1, char::len_utf8);
                let r = start..start + needle.len();
                if self.on_boundaries(&r) {
                    return Some(r);
                }
            }
            None
        })
    }

    /// Whether a match neither starts nor ends inside a word (`100` in `1,100`)
    /// or inside one original char (one `.` of the three a `…` became).
    fn on_boundaries(&self, r: &Range<usize>) -> bool {
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let before = self.text[..r.start].chars().next_back();
        let first = self.text[r.start..].chars().next();
        let last = self.text[..r.end].chars().next_back();
        let after = self.text[r.end..].chars().next();
        let splits = |a: usize, b: usize| {
            self.origin.get(a).is_some()
                && self.origin.get(b).is_some()
                && self.origin[a] == self.origin[b]
        };
        // Digits grouped with `,` or `.` are one number: `100` is not in `1,100` or `3.100`.
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let sep = |c: Option<char>| matches!(c, Some(',' | '.'));
        let before2 = before.and_then(|b| self.text[..r.start - b.len_utf8()].chars().next_back());
        let after2 = after.and_then(|a| self.text[r.end + a.len_utf8()..].chars().next());
        let in_number = (digit(first) && sep(before) && digit(before2))
            || (digit(last) && sep(after) && digit(after2));
        let inside_word = (word(before) && word(first)) || (word(last) && word(after));
        let inside_char = (r.start > 0 && splits(r.start - 1, r.start))
            || (r.end < self.origin.len() && splits(r.end - 1, r.end));
        // Nor inside what a reader sees as one character: a letter and its
        // combining accent, an emoji sequence.
        let inside_grapheme = !self.grapheme_boundary(r.start) || !self.grapheme_boundary(r.end);
        !(in_number || inside_word || inside_char || inside_grapheme)
    }

    /// Whether byte `at` of the matching form is a boundary between graphemes.
    fn grapheme_boundary(&self, at: usize) -> bool {
        let mut cursor = unicode_segmentation::GraphemeCursor::new(at, self.text.len(), true);
        cursor.is_boundary(&self.text, 0).unwrap_or(true)
    }
}

/// The passage of `original` that `quote` matches first, as a byte range of `original`,
/// and how many times it occurs in all.
pub fn find(original: &str, hay: &Normalized, quote: &str) -> Option<(Range<usize>, usize)> {
    let needle = Normalized::new(quote).text;
    if needle.is_empty() {
        return None;
    }
    let mut all = hay.find_all(&needle);
    let first = all.next()?;
    let count = 1 + all.count();
    Some((hay.original_range(original, first), count))
}

/// The most characters of rendered text an elision (`[…]`) may leave out.
pub const MAX_ELIDED: usize = 500;

/// The pieces of a quote that leaves words out with `[…]` or `[...]` (one
/// piece when it leaves nothing out), trimmed; `None` when a piece is empty
/// (an elision at either end, or two in a row).
pub fn pieces(quote: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = quote;
    loop {
        let at = [
            rest.find("[…]").map(|i| (i, "[…]".len())),
            rest.find("[...]").map(|i| (i, 5)),
        ]
        .into_iter()
        .flatten()
        .min();
        match at {
            Some((i, len)) => {
                out.push(rest[..i].trim());
                rest = &rest[i + len..];
            }
            None => {
                out.push(rest.trim());
                break;
            }
        }
    }
    out.iter().all(|p| !p.is_empty()).then_some(out)
}

/// `quote` with each bare `…` or `...` written `[…]` (as a quote that leaves
/// words out must be); `None` when it has none.
pub fn bracket_ellipses(quote: &str) -> Option<String> {
    let marked = quote.replace("[…]", "\u{0}").replace("[...]", "\u{0}");
    if !marked.contains('…') && !marked.contains("...") {
        return None;
    }
    Some(marked.replace("...", "…").replace(['…', '\u{0}'], "[…]"))
}

/// The passage of `original` that `quote` matches first, as the byte ranges
/// of its pieces (see [`pieces`]): each piece after the one before, at most
/// [`MAX_ELIDED`] characters after it. With the number of places it matches.
pub fn find_pieces(
    original: &str,
    hay: &Normalized,
    quote: &str,
) -> Option<(Vec<Range<usize>>, usize)> {
    let parts = pieces(quote)?;
    if parts.len() == 1 {
        return find(original, hay, quote).map(|(r, n)| (vec![r], n));
    }
    let needles: Vec<String> = parts.iter().map(|p| Normalized::new(p).text).collect();
    if needles.iter().any(String::is_empty) {
        return None;
    }
    // The rest of the chain after a match of piece `i` ending at `end`, greedily:
    // the first match of each next piece that is near enough.
    let chain = |first: Range<usize>| -> Option<Vec<Range<usize>>> {
        let mut found = vec![first];
        for needle in &needles[1..] {
            let prev_end = found.last().map_or(0, |r| r.end);
            let next = hay.find_all_from(needle, prev_end).next()?;
            let gap = hay.original_range(original, prev_end - 1..prev_end).end;
            let next_start = hay.original_range(original, next.clone()).start;
            if original
                .get(gap..next_start)
                .map_or(usize::MAX, |g| g.chars().count())
                > MAX_ELIDED
            {
                return None;
            }
            found.push(next);
        }
        Some(found)
    };
    let mut first: Option<Vec<Range<usize>>> = None;
    let mut count = 0;
    for m in hay.find_all(&needles[0]) {
        if let Some(c) = chain(m) {
            count += 1;
            if first.is_none() {
                first = Some(c);
            }
        }
    }
    let ranges = first?
        .into_iter()
        .map(|r| hay.original_range(original, r))
        .collect();
    Some((ranges, count))
}

/// The passage of a source closest to a quote that does not occur in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Closest {
    /// The passage as the source has it.
    pub passage: String,
    /// How alike they are, 0 (nothing alike) to 1 (the same).
    #[serde(with = "super::cache::exact_f64")]
    pub similarity: f64,
    /// What stops the match, when the difference is a few words.
    pub difference: Option<String>,
}

/// Find the passage of `original` most like `quote`.
pub fn closest(original: &str, hay: &Normalized, quote: &str) -> Option<Closest> {
    let q = Normalized::new(quote).text;
    let qwords: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
    if qwords.is_empty() {
        return None;
    }
    // Words of the source with their matching-form byte ranges.
    let mut hwords: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for w in hay.text.split(' ') {
        if !w.is_empty() {
            hwords.push((pos, w));
        }
        pos += w.len() + 1;
    }
    if hwords.is_empty() {
        return None;
    }
    let k = qwords.len().min(hwords.len());
    // Slide a window of k words; score by how many of the quote's words it shares,
    // comparing words without the punctuation around them.
    let mut want: HashMap<&str, i32> = HashMap::new();
    for w in &qwords {
        *want.entry(core(w)).or_default() += 1;
    }
    let mut have: HashMap<&str, i32> = HashMap::new();
    let mut shared = 0i32;
    fn add<'w>(
        want: &HashMap<&'w str, i32>,
        w: &'w str,
        have: &mut HashMap<&'w str, i32>,
        shared: &mut i32,
        delta: i32,
    ) {
        if let Some(&limit) = want.get(w) {
            let h = have.entry(w).or_default();
            let before = (*h).min(limit);
            *h += delta;
            *shared += (*h).min(limit) - before;
        }
    }
    let mut scores = Vec::with_capacity(hwords.len());
    for i in 0..hwords.len() {
        add(&want, core(hwords[i].1), &mut have, &mut shared, 1);
        if i >= k {
            add(&want, core(hwords[i - k].1), &mut have, &mut shared, -1);
        }
        if i + 1 >= k {
            scores.push((shared, i + 1 - k));
        }
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // The passage spans whole words, less the punctuation at its ends that the quote lacks.
    let (q_first, q_last) = (qwords[0], qwords[qwords.len() - 1]);
    let lead = |w: &str| w.find(core(w)).unwrap_or(0);
    let trail = |w: &str| w.len() - lead(w) - core(w).len();
    let span = |start: usize, end: usize| {
        let (first, last) = (hwords[start], hwords[end - 1]);
        // Keep as much punctuation at each end as the quote has there.
        let mut s = first.0 + lead(first.1).saturating_sub(lead(q_first));
        let mut e = last.0 + last.1.len() - trail(last.1).saturating_sub(trail(q_last));
        while !hay.text.is_char_boundary(s) {
            s -= 1;
        }
        while e < hay.text.len() && !hay.text.is_char_boundary(e) {
            e += 1;
        }
        s..e.max(s + 1).min(hay.text.len())
    };
    let mut best: Option<(f64, usize, usize)> = None;
    for &(_, start) in scores.iter().take(8) {
        for len in [k.saturating_sub(1).max(1), k, k + 1] {
            let end = (start + len).min(hwords.len());
            let sim = strsim::normalized_levenshtein(&hay.text[span(start, end)], &q);
            if best.is_none_or(|b| sim > b.0) {
                best = Some((sim, start, end));
            }
        }
    }
    let (_, start, end) = best?;
    let range = hay.original_range(original, span(start, end));
    let mut passage = &original[range];
    // A window may run into the paragraph before or after: keep the paragraph
    // most like the quote (unless the quote itself spans paragraphs).
    if passage.contains('\n') && !quote.contains('\n') {
        passage = passage
            .split('\n')
            .filter(|p| p.chars().any(char::is_alphanumeric))
            .map(|p| {
                (
                    strsim::normalized_levenshtein(&Normalized::new(p).text, &q),
                    p,
                )
            })
            .fold(None, |best: Option<(f64, &str)>, (sim, p)| match best {
                Some((b, _)) if b >= sim => best,
                _ => Some((sim, p)),
            })
            .map_or(passage, |(_, p)| p);
    }
    let similarity = strsim::normalized_levenshtein(&Normalized::new(passage).text, &q).max(0.0);
    let qwords: Vec<&str> = qwords.iter().map(|w| core(w)).collect();
    let pwords: Vec<&str> = passage.split_whitespace().map(core).collect();
    Some(Closest {
        passage: passage.split_whitespace().collect::<Vec<_>>().join(" "),
        similarity,
        difference: word_difference(&qwords, &pwords),
    })
}

/// A word without the punctuation around it (the word itself if it is all punctuation).
fn core(w: &str) -> &str {
    let c = w.trim_matches(|c: char| !c.is_alphanumeric());
    if c.is_empty() {
        w
    } else {
        c
    }
}

/// Describe in words how `quote` differs from `passage`, if it is by at most three words.
fn word_difference(quote: &[&str], passage: &[&str]) -> Option<String> {
    if quote.len() > 300 || passage.len() > 300 {
        return None;
    }
    // Longest common subsequence of words, then walk it to list the edits.
    let (n, m) = (quote.len(), passage.len());
    let mut lcs = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if quote[i] == passage[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut edits: Vec<String> = Vec::new();
    let mut extra: Vec<&str> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    let flush = |extra: &mut Vec<&str>, missing: &mut Vec<&str>, edits: &mut Vec<String>| {
        match (extra.is_empty(), missing.is_empty()) {
            (false, false) => edits.push(format!(
                "the quote has `{}` where the source has `{}`",
                extra.join(" "),
                missing.join(" ")
            )),
            (false, true) => edits.push(format!("the quote adds `{}`", extra.join(" "))),
            (true, false) => edits.push(format!("the quote leaves out `{}`", missing.join(" "))),
            (true, true) => {}
        }
        extra.clear();
        missing.clear();
    };
    let mut changed_words = 0;
    while i < n || j < m {
        if i < n && j < m && quote[i] == passage[j] {
            flush(&mut extra, &mut missing, &mut edits);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            missing.push(passage[j]);
            changed_words += 1;
            j += 1;
        } else {
            extra.push(quote[i]);
            changed_words += 1;
            i += 1;
        }
    }
    flush(&mut extra, &mut missing, &mut edits);
    (!edits.is_empty() && changed_words <= 6 && edits.len() <= 3).then(|| edits.join("; "))
}

#[cfg(test)]
mod tests {

    /// The matching form char by char, as it was before the ASCII fast path.
    fn reference(s: &str) -> (String, Vec<u32>) {
        let (mut text, mut origin, mut pending) = (String::new(), Vec::new(), None);
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                if !text.is_empty() && pending.is_none() {
                    pending = Some(i);
                }
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            if let Some(sp) = pending.take() {
                text.push(' ');
                origin.push(sp as u32);
            }
            let at = i as u32;
            if c == '\u{2026}' {
                text.push_str("...");
                origin.extend([at, at, at]);
            } else {
                let f = fold(c).unwrap_or(c);
                text.push(f);
                origin.extend(std::iter::repeat_n(at, f.len_utf8()));
            }
        }
        (text, origin)
    }

    #[test]
    fn the_ascii_fast_path_folds_as_char_by_char() {
        // Every ASCII byte (control characters included, some white space
        // and some not), and chars that fold, vanish, are white space or are
        // several bytes long, in random strings.
        let alphabet: Vec<char> = (0u8..0x80)
            .map(char::from)
            .chain("\u{85}\u{a0}\u{2019}\u{201c}\u{2014}\u{2026}\u{ad}\u{200b}\u{feff}\u{3000}\u{2028}éж中😀".chars())
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let len = (seed % 40) as usize;
            let s: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let n = Normalized::new(&s);
            assert_eq!((n.text, n.origin), reference(&s), "{s:?}");
        }
    }

    use super::*;

    fn found(source: &str, quote: &str) -> Option<String> {
        let hay = Normalized::new(source);
        find(source, &hay, quote).map(|(r, _)| source[r].to_owned())
    }

    #[test]
    fn a_match_overlapping_a_refused_one_is_found() {
        // Found by fuzzing: the first `00 U 00` starts inside `0000`.
        let text = "0000\nU\n\n00\t\t\tU\n\n00\tend";
        let hay = Normalized::new(text);
        let (range, n) = find(text, &hay, "00 U 00").expect("the quote is there");
        assert_eq!(&text[range], "00\t\t\tU\n\n00");
        assert_eq!(n, 1);
    }

    #[test]
    fn white_space_runs_and_line_breaks() {
        assert_eq!(
            found("one  two\nthree", "one two three").as_deref(),
            Some("one  two\nthree")
        );
        assert_eq!(
            found("one two", "  one\n\ttwo  ").as_deref(),
            Some("one two")
        );
        assert_eq!(found("a\u{a0}b", "a b").as_deref(), Some("a\u{a0}b"));
    }

    #[test]
    fn quotation_marks_and_apostrophes() {
        assert_eq!(
            found("Biden’s “deep concerns”", "Biden's \"deep concerns\"").as_deref(),
            Some("Biden’s “deep concerns”")
        );
        assert_eq!(found("it's", "it’s").as_deref(), Some("it's"));
        assert_eq!(found("‘a’", "\"a\"").as_deref(), Some("‘a’"));
    }

    #[test]
    fn dashes() {
        assert_eq!(
            found("build–up — now", "build-up - now").as_deref(),
            Some("build–up — now")
        );
        assert_eq!(found("a-b", "a—b").as_deref(), Some("a-b"));
    }

    #[test]
    fn elided_quotes_match_their_pieces_in_order_and_near() {
        let src = "Biden said the talks would resume in January. He added that Russia must stop. Much later, the call ended.";
        let hay = Normalized::new(src);
        let (pieces, n) = find_pieces(src, &hay, "Biden said […] Russia must stop").unwrap();
        assert_eq!(n, 1);
        let texts: Vec<&str> = pieces.iter().map(|r| &src[r.clone()]).collect();
        assert_eq!(texts, ["Biden said", "Russia must stop"]);
        assert!(find_pieces(src, &hay, "Biden said [...] the call ended").is_some());
        // Out of order, or a piece that is not there: no match.
        assert!(find_pieces(src, &hay, "Russia must stop […] Biden said").is_none());
        assert!(find_pieces(src, &hay, "Biden said […] Putin agreed").is_none());
        // Too far apart: more than 500 characters left out.
        let far = format!("Alpha one. {} Omega two.", "filler words here ".repeat(40));
        let hay = Normalized::new(&far);
        assert!(find_pieces(&far, &hay, "Alpha one. […] Omega two.").is_none());
        let near = format!("Alpha one. {} Omega two.", "filler words here ".repeat(20));
        let hay = Normalized::new(&near);
        assert!(find_pieces(&near, &hay, "Alpha one. […] Omega two.").is_some());
    }

    #[test]
    fn pieces_and_bare_ellipses() {
        assert_eq!(pieces("a […] b [...] c").unwrap(), ["a", "b", "c"]);
        assert_eq!(pieces("no elision").unwrap(), ["no elision"]);
        assert!(pieces("[…] starts with it").is_none());
        assert!(pieces("two […] […] in a row").is_none());
        assert_eq!(
            bracket_ellipses("a … b ... c […] d").unwrap(),
            "a […] b […] c […] d"
        );
        assert_eq!(bracket_ellipses("nothing left out"), None);
    }

    #[test]
    fn ellipsis_both_ways() {
        assert_eq!(
            found("respond…,” said", "respond...,\" said").as_deref(),
            Some("respond…,” said")
        );
        assert_eq!(
            found("would respond…", "would respond...").as_deref(),
            Some("would respond…")
        );
        assert_eq!(
            found("wait... what", "wait… what").as_deref(),
            Some("wait... what")
        );
    }

    #[test]
    fn matches_are_whole_words() {
        assert_eq!(
            found("Officials said 1,100 troops left.", "100 troops left"),
            None
        );
        assert_eq!(
            found("Officials said 1,100 troops left.", "1,100 troops left").as_deref(),
            Some("1,100 troops left")
        );
        assert_eq!(found("he would wait… and see", "he would wait."), None);
        assert_eq!(
            found("he would wait… and see", "would wait…").as_deref(),
            Some("would wait…")
        );
        assert_eq!(found("in the towns, then", "the town"), None);
        // A quote may begin or end with punctuation next to a word.
        assert_eq!(found("“Yes,” he said", "Yes,\"").as_deref(), Some("Yes,”"));
        // The first whole-word occurrence is the one found, even after a partial one.
        let s = "1,100 troops; later 100 troops";
        let hay = Normalized::new(s);
        let (r, n) = find(s, &hay, "100 troops").unwrap();
        assert_eq!((&s[r], n), ("100 troops", 1));
    }

    #[test]
    fn case_and_words_still_matter() {
        assert_eq!(found("The call began", "the call began"), None);
        assert_eq!(found("100,000 troops", "10,000 troops"), None);
        assert_eq!(found("abc", ""), None);
        assert_eq!(found("abc", "   "), None);
    }

    #[test]
    fn first_of_several_occurrences_and_the_count() {
        let s = "x said it. y said it.";
        let hay = Normalized::new(s);
        let (r, n) = find(s, &hay, "said it").unwrap();
        assert_eq!((r.start, n), (2, 2));
    }

    #[test]
    fn closest_passage_and_what_differs() {
        let s = "Russia has assembled around 100,000 troops near the Ukrainian border. Other news follows here.";
        let hay = Normalized::new(s);
        let c = closest(
            s,
            &hay,
            "Russia has assembled around 10,000 troops near the Ukrainian border.",
        )
        .unwrap();
        assert_eq!(
            c.passage,
            "Russia has assembled around 100,000 troops near the Ukrainian border."
        );
        assert!(c.similarity > 0.9, "{}", c.similarity);
        assert_eq!(
            c.difference.as_deref(),
            Some("the quote has `10,000` where the source has `100,000`")
        );
        let c = closest(
            s,
            &hay,
            "Russia has assembled 100,000 troops near the Ukrainian border.",
        )
        .unwrap();
        assert_eq!(
            c.difference.as_deref(),
            Some("the quote leaves out `around`")
        );
        let s2 = "The minister said the bridge “will open in the spring of next year”. More.";
        let hay2 = Normalized::new(s2);
        let c = closest(s2, &hay2, "will open in the autumn of next year").unwrap();
        assert_eq!(c.passage, "will open in the spring of next year");
        assert_eq!(
            c.difference.as_deref(),
            Some("the quote has `autumn` where the source has `spring`")
        );
        let c = closest(s2, &hay2, "“will open in the autumn of next year”").unwrap();
        assert_eq!(c.passage, "“will open in the spring of next year”");
        // Punctuation of several bytes at the passage's ends.
        let s3 = "¿¿qué tal?? dijo";
        let c = closest(s3, &Normalized::new(s3), "¿que tal?").unwrap();
        assert_eq!(c.passage, "¿qué tal?");
        let c = closest(s, &hay, "Completely unrelated words entirely").unwrap();
        assert!(c.similarity < 0.5);
        assert_eq!(c.difference, None);
    }
}
