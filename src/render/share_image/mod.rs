//! Share images: a PNG card (1200×630) per claim, showing its verdict and the claim,
//! for link previews (`og:image`).
//!
//! The card is written as SVG, in process: its shapes are rasterised with resvg, its
//! text laid out by usvg and drawn from glyph masks kept per thread (each glyph
//! filled once per size and quarter-pixel offset, see `draw_text`). Text is set only
//! in the fonts embedded below (Noto Sans, Noto Sans Arabic, Noto Sans Devanagari and
//! Noto Sans Hebrew, Regular and Bold, SIL OFL 1.1; see `fonts/README.md`), loaded
//! once from bytes compiled into the binary: no system font is ever read, and the PNG
//! holds no time or other metadata, so a card's bytes depend on nothing but the card
//! (and the build of factbrief).
//!
//! Text is measured here, with the shaper usvg itself uses (harfrust), word by word,
//! and wrapped into lines before it becomes SVG: each line is one `<text>`, each run of
//! one font a `<tspan>` naming that font. A claim that does not fit is shortened at a
//! word with "…"; only a single word wider than a whole line is cut, between two
//! characters as a reader sees them (grapheme clusters). The claim is set at the
//! largest of four sizes (60 to 40 px) at which it fits whole, with its claimant under
//! it if there is room.
//!
//! Right-to-left languages (`ar`, `he`, `fa`, `ur`, …, from [`ShareCard::language`])
//! get a mirrored card: text aligned right, each line an explicit right-to-left
//! embedding so that words and runs of Latin or digits inside are ordered as a reader
//! of the language expects.
//!
//! **Limit:** scripts with no embedded font (Chinese, Japanese, Korean, Thai, Bengali,
//! Tamil, …) are never shown as empty boxes. A piece of text with a letter no embedded
//! font has is left out whole: a claim is then replaced by a larger verdict (the icon
//! and label, with the claimant under it); a claimant or site title in such a script is
//! left out; a verdict label in such a script is replaced by the verdict key. Symbols
//! and emoji with no glyph (arrows, pictographs, private-use characters) are dropped
//! from the text, which is otherwise kept.
//!
//! **Cost:** about 41 million instructions and 34 KB per image (release build, one
//! core, `examples/share_image_bench.rs --count 60` under callgrind, against 76
//! million and 37 KB when resvg filled every glyph's outline; 5–7 ms on a busy
//! two-core machine, against 11–12 ms): deflating is now the largest part, then
//! usvg's text layout, the palette and blending the glyphs. As the bytes are a pure
//! function of the card, a caller may keep images from build to build, keyed by the
//! card's fields.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use super::view::VerdictView;
use harfrust::{FontRef, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer};
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use unicode_segmentation::UnicodeSegmentation;

/// Width of a share image in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a share image in pixels.
pub const HEIGHT: u32 = 630;
/// Left and right margin.
const MARGIN: f32 = 72.0;
/// Width of the claim's text box (the image less its margins).
pub const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;

/// What a share image shows.
#[derive(Debug, Clone, Copy)]
pub struct ShareCard<'a> {
    /// The verdict as readers see it, e.g. "Mostly false" (already translated by the caller).
    pub verdict_label: &'a str,
    /// The verdict's key, e.g. "mostly-false": chooses the colour and the icon.
    pub verdict_key: &'a str,
    /// Position on the ordered scale (1 = worst, `best` = best), if the verdict is on it.
    pub rating: Option<u32>,
    /// The scale's best rating.
    pub best: u32,
    /// The statement checked.
    pub claim: &'a str,
    /// Who made it.
    pub claimant: Option<&'a str>,
    /// The briefing or publisher name, shown small at the bottom.
    pub site_title: &'a str,
    /// BCP 47 tag of the text; `ar`, `he`, `fa`, `ur` (and a few more) are right-to-left.
    pub language: &'a str,
}

/// The PNG bytes of `card`'s share image: 1200×630, RGB, deterministic (no time or
/// other metadata, fonts only from the binary).
pub fn render(card: &ShareCard) -> Vec<u8> {
    let layout = layout(card);
    rasterize(&to_svg(card, &layout))
        // Cannot happen (every text is escaped, every number finite); if it did, a card
        // without any of the card's text is better than no image.
        .or_else(|| rasterize(&to_svg(card, &layout.bare())))
        .unwrap_or_else(blank_png)
}

/// The SVG a share image is rasterised from (for tests and debugging): its shapes,
/// then its text, in one document.
pub fn svg(card: &ShareCard) -> String {
    let layers = to_svg(card, &layout(card));
    document(&(layers.shapes + &layers.text))
}

/// A card as SVG, in two layers drawn one over the other: the shapes (drawn by
/// resvg) and the text (laid out by usvg, drawn from [`GlyphMask`]s). No shape is
/// ever over text, so the order is the one a single document would have.
struct Layers {
    shapes: String,
    text: String,
}

/// An SVG document of the card's size around `body`.
fn document(body: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" xml:space="preserve">
{body}</svg>
"#
    )
}

// ---------------------------------------------------------------------------
// Fonts

struct FaceFile {
    family: &'static str,
    bold: bool,
    data: &'static [u8],
}

/// In order of preference: a character is set in the first face of its weight that has it.
const FACE_FILES: [FaceFile; 8] = [
    FaceFile {
        family: "Noto Sans",
        bold: false,
        data: include_bytes!("fonts/NotoSans-Regular.ttf"),
    },
    FaceFile {
        family: "Noto Sans",
        bold: true,
        data: include_bytes!("fonts/NotoSans-Bold.ttf"),
    },
    FaceFile {
        family: "Noto Sans Arabic",
        bold: false,
        data: include_bytes!("fonts/NotoSansArabic-Regular.ttf"),
    },
    FaceFile {
        family: "Noto Sans Arabic",
        bold: true,
        data: include_bytes!("fonts/NotoSansArabic-Bold.ttf"),
    },
    FaceFile {
        family: "Noto Sans Devanagari",
        bold: false,
        data: include_bytes!("fonts/NotoSansDevanagari-Regular.ttf"),
    },
    FaceFile {
        family: "Noto Sans Devanagari",
        bold: true,
        data: include_bytes!("fonts/NotoSansDevanagari-Bold.ttf"),
    },
    FaceFile {
        family: "Noto Sans Hebrew",
        bold: false,
        data: include_bytes!("fonts/NotoSansHebrew-Regular.ttf"),
    },
    FaceFile {
        family: "Noto Sans Hebrew",
        bold: true,
        data: include_bytes!("fonts/NotoSansHebrew-Bold.ttf"),
    },
];

/// One embedded face, ready to measure with.
struct Face {
    family: &'static str,
    bold: bool,
    data: &'static [u8],
    units_per_em: f32,
    /// Characters it has a glyph for, sorted.
    chars: Vec<u32>,
    shaper: ShaperData,
}

impl Face {
    fn has(&self, c: char) -> bool {
        self.chars.binary_search(&(c as u32)).is_ok()
    }
}

struct Fonts {
    faces: Vec<Face>,
    /// Indices into `faces` of the regular faces, then of the bold ones, by preference.
    regular: Vec<usize>,
    bold: Vec<usize>,
    /// The same faces for usvg, and their ids there (by index of `faces`).
    db: Arc<usvg::fontdb::Database>,
    ids: Vec<usvg::fontdb::ID>,
}

impl Fonts {
    fn chain(&self, bold: bool) -> &[usize] {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        let mut faces = Vec::new();
        let mut ids = Vec::new();
        for file in &FACE_FILES {
            let Ok(font) = FontRef::new(file.data) else {
                continue;
            };
            let mut chars: Vec<u32> = font.charmap().mappings().map(|(c, _)| c).collect();
            chars.sort_unstable();
            chars.dedup();
            let units_per_em = f32::from(
                font.metrics(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                )
                .units_per_em,
            );
            let Some(&id) = db
                .load_font_source(usvg::fontdb::Source::Binary(Arc::new(file.data)))
                .first()
            else {
                continue;
            };
            ids.push(id);
            faces.push(Face {
                family: file.family,
                bold: file.bold,
                data: file.data,
                units_per_em: units_per_em.max(1.0),
                chars,
                shaper: ShaperData::new(&font),
            });
        }
        let chain = |bold: bool| {
            (0..faces.len())
                .filter(|&i| faces[i].bold == bold)
                .collect::<Vec<_>>()
        };
        Fonts {
            regular: chain(false),
            bold: chain(true),
            faces,
            db: Arc::new(db),
            ids,
        }
    })
}

/// A face (its data's address), a direction and a script.
type PlanKey = (usize, harfrust::Direction, Option<harfrust::Script>);

thread_local! {
    /// Shaping plans by face, direction and script: a few per face.
    static PLANS: std::cell::RefCell<std::collections::HashMap<PlanKey, ShapePlan>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Advance of `text` set in `face`, in ems, and how many of its glyphs are missing.
fn shape_em(face: &Face, text: &str) -> (f32, usize) {
    let Ok(font) = FontRef::new(face.data) else {
        return (0.0, text.chars().count());
    };
    let shaper = face.shaper.shaper(&font).build();
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    // The plan harfrust would make for this buffer (no script is `None`, no language,
    // no features), made once per face, script and direction: making it was about a
    // third of the time of measuring a word.
    let script = Some(buffer.script()).filter(|&s| s != harfrust::script::UNKNOWN);
    let key = (face.data.as_ptr() as usize, buffer.direction(), script);
    let out = PLANS.with_borrow_mut(|plans| {
        let plan = plans
            .entry(key)
            .or_insert_with(|| ShapePlan::new(&shaper, key.1, script, None, &[]));
        shaper.shape(buffer, ShapeOptions::new().plan(Some(plan)))
    });
    measured(&out, face)
}

/// Advance of the shaped `out`, in ems of `face`, and how many of its glyphs are missing.
fn measured(out: &harfrust::GlyphBuffer, face: &Face) -> (f32, usize) {
    let advance: i64 = out
        .glyph_positions()
        .iter()
        .map(|p| i64::from(p.x_advance))
        .sum();
    let missing = out.glyph_infos().iter().filter(|g| g.glyph_id == 0).count();
    (advance as f32 / face.units_per_em, missing)
}

// ---------------------------------------------------------------------------
// Text: cleaning, coverage, measuring, wrapping

/// At most this many characters of a text are considered: far more than a card holds
/// (six lines of the narrowest letters and spaces are about 600), so that a huge claim
/// costs no more than a long one.
const MAX_CHARS: usize = 1000;

/// `text` with control characters, bidi controls and other invisible characters
/// dropped and runs of white space made one space; whether it was cut at [`MAX_CHARS`].
fn clean(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            // No-break spaces stay inside their word; the narrow ones as the common one.
            '\u{A0}' | '\u{202F}' | '\u{2007}' => '\u{A0}',
            c if c.is_whitespace() => ' ',
            // Controls; bidi marks, embeddings, overrides and isolates (each line gets
            // its own direction); BOM, word joiner, zero-width space, soft hyphen,
            // Arabic letter mark; non-characters XML forbids.
            c if c.is_control() => continue,
            '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{AD}'
            | '\u{61C}'
            | '\u{FFFE}'
            | '\u{FFFF}' => continue,
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if count >= MAX_CHARS {
            return (out, true);
        }
        if space {
            out.push(' ');
            space = false;
            count += 1;
        }
        out.push(c);
        count += 1;
    }
    (out, false)
}

/// Characters that need no glyph of their own: joiners, variation selectors, tags.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{34F}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Symbols and pictographs that may be dropped from a text when no font has them.
fn is_droppable(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF | 0xE000..=0xF8FF
        | 0xF0000..=0x10FFFF | 0xFFFC | 0xFFFD)
}

/// A piece of text set in one font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The font family, one of the embedded ones.
    pub family: &'static str,
    /// The text.
    pub text: String,
}

/// A word (or piece of one): its grapheme clusters, each with the face it is set in.
#[derive(Debug, Clone)]
struct Word {
    clusters: Vec<(usize, String)>,
    em: f32,
    missing: usize,
}

impl Word {
    fn new(clusters: Vec<(usize, String)>) -> Word {
        let mut word = Word {
            clusters,
            em: 0.0,
            missing: 0,
        };
        word.measure();
        word
    }

    fn measure(&mut self) {
        let faces = &fonts().faces;
        self.em = 0.0;
        self.missing = 0;
        for (face, text) in self.runs() {
            let (em, missing) = shape_em(&faces[face], &text);
            self.em += em;
            self.missing += missing;
        }
    }

    /// Consecutive clusters of one face, joined.
    fn runs(&self) -> Vec<(usize, String)> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for (face, text) in &self.clusters {
            match runs.last_mut() {
                Some((f, t)) if f == face => t.push_str(text),
                _ => runs.push((*face, text.clone())),
            }
        }
        runs
    }

    fn last_face(&self) -> Option<usize> {
        self.clusters.last().map(|(f, _)| *f)
    }
}

/// The face of `chain` (preferring `prefer`) that has every character of `cluster`.
fn cover(faces: &[Face], chain: &[usize], cluster: &str, prefer: Option<usize>) -> Option<usize> {
    let covers = |&i: &usize| cluster.chars().all(|c| is_ignorable(c) || faces[i].has(c));
    prefer
        .filter(covers)
        .or_else(|| chain.iter().copied().find(covers))
}

/// `text` (already cleaned) as words with their faces, or `None` when some letter has
/// no glyph in the embedded fonts. Symbols with no glyph are dropped.
fn words(text: &str, bold: bool) -> Option<Vec<Word>> {
    let fonts = fonts();
    let chain = fonts.chain(bold);
    let mut words = Vec::new();
    for raw in text.split(' ') {
        let mut clusters: Vec<(usize, String)> = Vec::new();
        for g in raw.graphemes(true) {
            let prefer = clusters.last().map(|(f, _)| *f);
            match cover(&fonts.faces, chain, g, prefer) {
                Some(face) => clusters.push((face, g.to_owned())),
                None if g.chars().all(|c| is_ignorable(c) || is_droppable(c)) => {}
                None => return None,
            }
        }
        if !clusters.is_empty() {
            words.push(Word::new(clusters));
        }
    }
    Some(words)
}

/// One line of text as laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The runs, one per font, in logical order.
    pub runs: Vec<Run>,
    /// Its width in pixels.
    pub width: f32,
}

impl Line {
    /// Its text.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// A text wrapped into lines of at most a width.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    /// The lines, none wider than `max_width`.
    pub lines: Vec<Line>,
    /// Font size in pixels.
    pub size: f32,
    /// Whether it is bold.
    pub bold: bool,
    /// The width lines may take.
    pub max_width: f32,
    /// Whether the text was shortened (the last line ends with "…").
    pub truncated: bool,
    /// Glyphs the fonts lacked when shaping (0 unless a font's character map lies).
    pub missing_glyphs: usize,
}

/// A text prepared for wrapping at any size: cleaned, covered, measured in ems.
struct Prepared {
    words: Vec<Word>,
    bold: bool,
    /// Cut at [`MAX_CHARS`].
    cut: bool,
    space_em: f32,
}

impl Prepared {
    /// `None` if the fonts lack a letter of `text`.
    fn new(text: &str, bold: bool) -> Option<Prepared> {
        let (text, cut) = clean(text);
        let words = words(&text, bold)?;
        let fonts = fonts();
        let space_em = fonts
            .chain(bold)
            .iter()
            .map(|&f| shape_em(&fonts.faces[f], " ").0)
            .fold(0.0, f32::max);
        Some(Prepared {
            words,
            bold,
            cut,
            space_em,
        })
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Wraps into at most `max_lines` lines of `max_width` pixels at `size`.
    fn wrap(&self, size: f32, max_width: f32, max_lines: usize) -> TextBlock {
        let max_em = max_width / size;
        let max_lines = max_lines.max(1);
        let mut lines: Vec<Vec<Word>> = Vec::new();
        let mut line: Vec<Word> = Vec::new();
        let mut queue = self.words.iter().cloned();
        let mut pending: Option<Word> = None;
        // Greedy: as many words on a line as fit; stop once a line past the last is begun.
        while lines.len() <= max_lines {
            let Some(word) = pending.take().or_else(|| queue.next()) else {
                break;
            };
            let width = line_em(&line, self.space_em);
            let gap = if line.is_empty() { 0.0 } else { self.space_em };
            if width + gap + word.em <= max_em {
                line.push(word);
            } else if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                pending = Some(word);
            } else {
                // A word wider than a whole line: cut it where the line is full.
                let (head, tail) = split_to_fit(&word, max_em);
                lines.push(vec![head]);
                pending = tail;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        let mut truncated = self.cut || lines.len() > max_lines || pending.is_some();
        if lines.len() > max_lines {
            lines.truncate(max_lines);
        }
        if truncated {
            match lines.last_mut() {
                Some(last) => ellipsize(last, max_em, self.space_em, self.bold),
                None => truncated = false,
            }
        }
        let faces = &fonts().faces;
        let missing_glyphs = lines.iter().flatten().map(|w| w.missing).sum();
        let lines = lines
            .iter()
            .map(|words| Line {
                runs: runs_of(words, faces),
                width: line_em(words, self.space_em) * size,
            })
            .collect();
        TextBlock {
            lines,
            size,
            bold: self.bold,
            max_width,
            truncated,
            missing_glyphs,
        }
    }
}

/// Width in ems of `words` set with single spaces.
fn line_em(words: &[Word], space_em: f32) -> f32 {
    let gaps = words.len().saturating_sub(1) as f32;
    words.iter().map(|w| w.em).sum::<f32>() + gaps * space_em
}

/// The runs of a line: words joined by spaces, consecutive pieces of one face merged.
fn runs_of(words: &[Word], faces: &[Face]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            if let Some(last) = runs.last_mut() {
                last.text.push(' ');
            }
        }
        for (face, text) in word.runs() {
            let family = faces[face].family;
            match runs.last_mut() {
                Some(last) if last.family == family => last.text.push_str(&text),
                _ => runs.push(Run { family, text }),
            }
        }
    }
    runs
}

/// The longest head of `word` (at least one cluster) no wider than `max_em`, and the rest.
fn split_to_fit(word: &Word, max_em: f32) -> (Word, Option<Word>) {
    let n = word.clusters.len();
    // Binary search on the number of clusters that fit.
    let (mut lo, mut hi) = (1, n);
    let mut best = Word::new(word.clusters[..1].to_vec());
    while lo <= hi {
        let mid = (lo + hi) / 2;
        let head = Word::new(word.clusters[..mid].to_vec());
        if head.em <= max_em {
            best = head;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    let k = best.clusters.len();
    let tail = (k < n).then(|| Word::new(word.clusters[k..].to_vec()));
    (best, tail)
}

/// Punctuation that should not stand before a closing "…".
fn is_trailing_punct(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(
            c,
            ',' | ';'
                | ':'
                | '.'
                | '-'
                | '‐'
                | '–'
                | '—'
                | '('
                | '['
                | '{'
                | '«'
                | '‹'
                | '“'
                | '‘'
                | '„'
                | '"'
                | '\''
                | '،'
                | '؛'
                | '/'
                | '\\'
        )
    })
}

/// Ends `line` with "…", dropping words (or, for a lone word, clusters) until it fits.
fn ellipsize(line: &mut Vec<Word>, max_em: f32, space_em: f32, bold: bool) {
    let fonts = fonts();
    let chain = fonts.chain(bold);
    loop {
        // No punctuation right before the ellipsis ("said,…" reads as "said…").
        if let Some(last) = line.last_mut() {
            let before = last.clusters.len();
            while last.clusters.len() > 1
                && last
                    .clusters
                    .last()
                    .is_some_and(|(_, c)| is_trailing_punct(c))
            {
                last.clusters.pop();
            }
            if last.clusters.len() == 1 && is_trailing_punct(&last.clusters[0].1) && line.len() > 1
            {
                line.pop();
                continue;
            }
            if let Some(last) = line.last_mut() {
                if last.clusters.len() != before {
                    last.measure();
                }
            }
        }
        let prefer = line.last().and_then(Word::last_face);
        let Some(face) = cover(&fonts.faces, chain, "…", prefer) else {
            return;
        };
        let mut with = line.clone();
        match with.last_mut() {
            Some(last) => {
                last.clusters.push((face, "…".to_owned()));
                last.measure();
            }
            None => with.push(Word::new(vec![(face, "…".to_owned())])),
        }
        if line_em(&with, space_em) <= max_em || line.is_empty() {
            *line = with;
            return;
        }
        if line.len() > 1 {
            line.pop();
        } else if let Some(last) = line.last_mut() {
            last.clusters.pop();
            if last.clusters.is_empty() {
                line.pop();
            } else {
                last.measure();
            }
        }
    }
}

/// Wraps `text` in the embedded fonts at `size` pixels into at most `max_lines` lines
/// no wider than `max_width`, shortening it at a word with "…" when it does not fit.
/// `None` when the fonts lack one of its letters (or nothing visible is left of it).
pub fn wrap(
    text: &str,
    bold: bool,
    size: f32,
    max_width: f32,
    max_lines: usize,
) -> Option<TextBlock> {
    let prepared = Prepared::new(text, bold)?;
    (!prepared.is_empty()).then(|| prepared.wrap(size, max_width, max_lines))
}

/// One line of `text` no wider than `max_width`, at the first of `sizes` (largest
/// first) where it fits whole, or shortened at the last.
fn one_line(text: &str, bold: bool, sizes: &[f32], max_width: f32) -> Option<TextBlock> {
    let prepared = Prepared::new(text, bold)?;
    if prepared.is_empty() {
        return None;
    }
    let mut block = None;
    for &size in sizes {
        let b = prepared.wrap(size, max_width, 1);
        let fits = !b.truncated;
        block = Some(b);
        if fits {
            break;
        }
    }
    block
}

// ---------------------------------------------------------------------------
// Layout

/// Where everything goes on a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Mirrored for a right-to-left language.
    pub rtl: bool,
    /// The verdict label, one line (the key when the fonts lack the label's script).
    pub label: Option<TextBlock>,
    /// The claim; `None` when the fonts lack its script (or it is empty): the card
    /// then shows a larger verdict instead.
    pub claim: Option<TextBlock>,
    /// "— claimant", one line, when its script is covered and there is room.
    pub claimant: Option<TextBlock>,
    /// The site title, one line.
    pub site_title: Option<TextBlock>,
}

impl Layout {
    /// The layout with no text of the card's at all.
    fn bare(&self) -> Layout {
        Layout {
            rtl: self.rtl,
            label: None,
            claim: None,
            claimant: None,
            site_title: None,
        }
    }
}

// Geometry (pixels). The verdict row on top, the claim below it, a rule and the site
// title at the bottom.
const STRIP: f32 = 14.0;
const ROW_Y: f32 = 106.0;
const ICON_R: f32 = 44.0;
const LABEL_SIZES: [f32; 4] = [64.0, 56.0, 48.0, 40.0];
const CLAIM_TOP: f32 = 196.0;
const CLAIM_BOTTOM: f32 = 532.0;
/// Claim sizes, largest first, with their line heights.
const CLAIM_SIZES: [(f32, f32); 4] = [(60.0, 72.0), (52.0, 64.0), (46.0, 56.0), (40.0, 50.0)];
const CLAIMANT_SIZE: f32 = 30.0;
const CLAIMANT_GAP: f32 = 18.0;
const CLAIMANT_HEIGHT: f32 = 40.0;
const RULE_Y: f32 = 552.0;
const SITE_SIZE: f32 = 26.0;
const SITE_Y: f32 = 598.0;
// The larger verdict of a card without its claim.
const HERO_Y: f32 = 260.0;
const HERO_R: f32 = 66.0;
const HERO_SIZES: [f32; 5] = [88.0, 76.0, 64.0, 52.0, 44.0];
const PIP_W: f32 = 28.0;
const PIP_H: f32 = 16.0;
const PIP_GAP: f32 = 8.0;
const MAX_PIPS: u32 = 10;

/// Whether `language` (BCP 47) is written right to left.
pub fn is_rtl(language: &str) -> bool {
    let mut parts = language.split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    for sub in parts {
        if sub.len() == 4 {
            match sub.to_ascii_lowercase().as_str() {
                "arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm" | "rohg" => return true,
                "latn" | "cyrl" | "deva" => return false,
                _ => {}
            }
        }
    }
    matches!(
        primary.as_str(),
        "ar" | "he"
            | "iw"
            | "fa"
            | "ur"
            | "ps"
            | "sd"
            | "ug"
            | "yi"
            | "ji"
            | "dv"
            | "ckb"
            | "ku"
            | "syr"
            | "arc"
            | "prs"
            | "pnb"
            | "arz"
            | "apc"
            | "ary"
            | "azb"
            | "bal"
            | "mzn"
    )
}

/// The pips of the rating meter (`None` when the verdict is not on the scale).
fn pips(card: &ShareCard) -> Option<(u32, u32)> {
    let rating = card.rating?;
    (card.best > 1 && card.best <= MAX_PIPS && rating >= 1 && rating <= card.best)
        .then_some((rating, card.best))
}

fn meter_width(n: u32) -> f32 {
    n as f32 * PIP_W + n.saturating_sub(1) as f32 * PIP_GAP
}

/// The label's text: the label, or the key when the fonts lack the label's script.
fn label_block(card: &ShareCard, sizes: &[f32], max_width: f32) -> Option<TextBlock> {
    one_line(card.verdict_label, true, sizes, max_width).or_else(|| {
        let key = card.verdict_key.replace(['-', '_'], " ");
        let mut chars = key.trim().chars();
        let key: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        one_line(&key, true, sizes, max_width)
    })
}

/// Lays `card` out.
pub fn layout(card: &ShareCard) -> Layout {
    let rtl = is_rtl(card.language);
    let meter = pips(card).map_or(0.0, |(_, n)| meter_width(n) + 32.0);
    let site_title = one_line(card.site_title, true, &[SITE_SIZE], TEXT_WIDTH);
    let claimant_text = card
        .claimant
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!("— {c}"));
    let claimant = claimant_text
        .as_deref()
        .and_then(|c| one_line(c, false, &[CLAIMANT_SIZE], TEXT_WIDTH));
    let claim = Prepared::new(card.claim, false).filter(|p| !p.is_empty());
    let Some(claim) = claim else {
        // No claim to show: the verdict, larger, in its place.
        let label_width = TEXT_WIDTH - 2.0 * HERO_R - 32.0;
        return Layout {
            rtl,
            label: label_block(card, &HERO_SIZES, label_width),
            claim: None,
            claimant,
            site_title,
        };
    };
    let label_width = TEXT_WIDTH - 2.0 * ICON_R - 28.0 - meter;
    let label = label_block(card, &LABEL_SIZES, label_width);
    let height = CLAIM_BOTTOM - CLAIM_TOP;
    let lines_in =
        |line_height: f32, reserve: f32| ((height - reserve) / line_height).floor() as usize;
    let reserve = CLAIMANT_GAP + CLAIMANT_HEIGHT;
    // The largest size where the whole claim fits with its claimant under it, then
    // without; else the smallest size, shortened, claimant only if there is room.
    let mut chosen = None;
    if claimant.is_some() {
        chosen = CLAIM_SIZES.iter().find_map(|&(size, lh)| {
            let block = claim.wrap(size, TEXT_WIDTH, lines_in(lh, reserve));
            (!block.truncated).then_some((block, lh))
        });
    }
    let with_claimant = chosen.is_some();
    let (block, lh) = chosen
        .or_else(|| {
            CLAIM_SIZES.iter().find_map(|&(size, lh)| {
                let block = claim.wrap(size, TEXT_WIDTH, lines_in(lh, 0.0));
                (!block.truncated).then_some((block, lh))
            })
        })
        .unwrap_or_else(|| {
            let (size, lh) = CLAIM_SIZES[CLAIM_SIZES.len() - 1];
            (claim.wrap(size, TEXT_WIDTH, lines_in(lh, 0.0)), lh)
        });
    let used = block.lines.len() as f32 * lh;
    let claimant = claimant.filter(|_| with_claimant || used + reserve <= height);
    Layout {
        rtl,
        label,
        claim: Some(block),
        claimant,
        site_title,
    }
}

// ---------------------------------------------------------------------------
// Drawing

/// The icon drawn beside a verdict (with its colour, never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Check,
    Cross,
    Half,
    Warning,
    Question,
    Dot,
}

/// Colour (dark enough for text on the light background), icon, and whether the
/// icon is solid (the plain verdicts) or outlined (the "mostly" ones). The icon
/// is the verdict's shape on the site's pages ([`VerdictView::shape_of`]), so a
/// custom verdict looks the same on its page and on its image.
fn style(card: &ShareCard) -> (&'static str, Mark, bool) {
    let mostly = card.verdict_key.starts_with("mostly");
    match VerdictView::shape_of(card.verdict_key, card.rating, card.best) {
        "check" if mostly => ("#3f6212", Mark::Check, false),
        "check" => ("#166534", Mark::Check, true),
        "cross" if mostly => ("#c2410c", Mark::Cross, false),
        "cross" => ("#b91c1c", Mark::Cross, true),
        "half" => ("#92400e", Mark::Half, false),
        "warn" => ("#6b21a8", Mark::Warning, true),
        "question" => ("#334155", Mark::Question, true),
        _ => ("#3f3f46", Mark::Dot, false),
    }
}

const BACKGROUND: &str = "#fafaf9";
const INK: &str = "#18181b";
const MUTED: &str = "#3f3f46";
const FAINT: &str = "#52525b";
const RULE: &str = "#d4d4d8";

/// XML-escaped `text` (already free of characters XML forbids, see [`clean`]).
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// `x` measured from the start edge: from the left, or from the right when `rtl`.
fn from_start(x: f32, rtl: bool) -> f32 {
    if rtl {
        WIDTH as f32 - x
    } else {
        x
    }
}

/// One `<text>` for `line`, starting at `x` (from the start edge), baseline `y`.
#[allow(clippy::too_many_arguments)]
fn text_line(
    out: &mut String,
    line: &Line,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    fill: &str,
    rtl: bool,
) {
    let anchor = if rtl { "end" } else { "start" };
    let weight = if bold { 700 } else { 400 };
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{y:.1}" font-size="{size:.1}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">"#,
        from_start(x, rtl)
    );
    let last = line.runs.len().saturating_sub(1);
    for (i, run) in line.runs.iter().enumerate() {
        let _ = write!(out, r#"<tspan font-family="'{}'">"#, run.family);
        // A right-to-left embedding around the whole line: usvg lays each line out
        // as a left-to-right paragraph otherwise.
        if rtl && i == 0 {
            out.push('\u{202B}');
        }
        escape(&run.text, out);
        if rtl && i == last {
            out.push('\u{202C}');
        }
        out.push_str("</tspan>");
    }
    out.push_str("</text>\n");
}

/// The verdict's icon centred on (`cx`, `cy`).
fn icon(out: &mut String, text: &mut String, card: &ShareCard, cx: f32, cy: f32, r: f32) {
    let (colour, mark, solid) = style(card);
    let sw = r * 0.2; // stroke of a mark
    let ring = r * 0.14; // stroke of an outlined circle
    let (bg, fg) = if solid {
        (colour, "#ffffff")
    } else {
        ("#ffffff", colour)
    };
    if mark != Mark::Warning {
        if solid {
            let _ = write!(
                out,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{bg}"/>"#
            );
        } else {
            let _ = write!(
                out,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{:.1}" fill="{bg}" stroke="{colour}" stroke-width="{ring:.1}"/>"#,
                r - ring / 2.0
            );
        }
    }
    let stroke = format!(
        r#"fill="none" stroke="{fg}" stroke-width="{sw:.1}" stroke-linecap="round" stroke-linejoin="round""#
    );
    match mark {
        Mark::Check => {
            let _ = write!(
                out,
                r#"<polyline points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" {stroke}/>"#,
                cx - 0.44 * r,
                cy + 0.02 * r,
                cx - 0.12 * r,
                cy + 0.34 * r,
                cx + 0.46 * r,
                cy - 0.3 * r
            );
        }
        Mark::Cross => {
            let d = 0.34 * r;
            let _ = write!(
                out,
                r#"<path d="M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}" {stroke}/>"#,
                cx - d,
                cy - d,
                cx + d,
                cy + d,
                cx + d,
                cy - d,
                cx - d,
                cy + d
            );
        }
        Mark::Half => {
            // The left half filled, over the outlined circle.
            let rr = r - ring / 2.0;
            let _ = write!(
                out,
                r#"<path d="M{cx:.1},{:.1}A{rr:.1},{rr:.1} 0 0 0 {cx:.1},{:.1}Z" fill="{colour}"/>"#,
                cy - rr,
                cy + rr
            );
        }
        Mark::Warning => {
            let (top, bottom, half) = (cy - 0.9 * r, cy + 0.86 * r, 0.98 * r);
            let _ = write!(
                out,
                r#"<path d="M{cx:.1},{top:.1}L{:.1},{bottom:.1}L{:.1},{bottom:.1}Z" fill="{colour}" stroke="{colour}" stroke-width="{:.1}" stroke-linejoin="round"/>"#,
                cx + half,
                cx - half,
                r * 0.16
            );
            let _ = write!(
                out,
                r##"<path d="M{cx:.1},{:.1}L{cx:.1},{:.1}" fill="none" stroke="#ffffff" stroke-width="{:.1}" stroke-linecap="round"/><circle cx="{cx:.1}" cy="{:.1}" r="{:.1}" fill="#ffffff"/>"##,
                cy - 0.3 * r,
                cy + 0.26 * r,
                r * 0.18,
                cy + 0.56 * r,
                r * 0.11
            );
        }
        Mark::Question => {
            let _ = writeln!(
                text,
                r#"<text x="{cx:.1}" y="{:.1}" font-family="'Noto Sans'" font-size="{:.1}" font-weight="700" fill="{fg}" text-anchor="middle">?</text>"#,
                cy + 0.52 * r,
                1.45 * r
            );
        }
        Mark::Dot => {
            let _ = write!(
                out,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{:.1}" fill="{colour}"/>"#,
                0.34 * r
            );
        }
    }
    out.push('\n');
}

/// The rating meter: `n` pips, the first `rating` filled, starting at `x0` from the start edge.
fn meter(out: &mut String, card: &ShareCard, rating: u32, n: u32, x0: f32, cy: f32, rtl: bool) {
    let (colour, _, _) = style(card);
    for i in 0..n {
        let x = x0 + i as f32 * (PIP_W + PIP_GAP);
        let left = if rtl { WIDTH as f32 - x - PIP_W } else { x };
        let (fill, stroke) = if i < rating {
            (colour, colour)
        } else {
            ("#ffffff", "#a1a1aa")
        };
        let _ = write!(
            out,
            r#"<rect x="{left:.1}" y="{:.1}" width="{PIP_W:.1}" height="{PIP_H:.1}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#,
            cy - PIP_H / 2.0
        );
    }
    out.push('\n');
}

fn to_svg(card: &ShareCard, layout: &Layout) -> Layers {
    let rtl = layout.rtl;
    let (colour, _, _) = style(card);
    let mut out = String::with_capacity(1024);
    let mut text = String::with_capacity(2048);
    let _ = write!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}" shape-rendering="crispEdges"/>
<rect width="{WIDTH}" height="{STRIP}" fill="{colour}" shape-rendering="crispEdges"/>
"#
    );
    let pips = pips(card);
    match &layout.claim {
        Some(claim) => {
            icon(
                &mut out,
                &mut text,
                card,
                from_start(MARGIN + ICON_R, rtl),
                ROW_Y,
                ICON_R,
            );
            if let Some(label) = &layout.label {
                if let Some(line) = label.lines.first() {
                    let y = ROW_Y + 0.36 * label.size;
                    text_line(
                        &mut text,
                        line,
                        MARGIN + 2.0 * ICON_R + 28.0,
                        y,
                        label.size,
                        true,
                        colour,
                        rtl,
                    );
                }
            }
            if let Some((rating, n)) = pips {
                let x0 = WIDTH as f32 - MARGIN - meter_width(n);
                meter(&mut out, card, rating, n, x0, ROW_Y, rtl);
            }
            let lh = CLAIM_SIZES
                .iter()
                .find(|(s, _)| *s == claim.size)
                .map_or(claim.size * 1.22, |(_, lh)| *lh);
            // The claim (and claimant) a little above the middle of the space left.
            let claimant_height = match &layout.claimant {
                Some(_) => CLAIMANT_GAP + CLAIMANT_HEIGHT,
                None => 0.0,
            };
            let used = claim.lines.len() as f32 * lh + claimant_height;
            let mut y = CLAIM_TOP + ((CLAIM_BOTTOM - CLAIM_TOP - used) * 0.4).max(0.0);
            for line in &claim.lines {
                // Baseline a little below the em box's middle of the line box.
                let baseline = y + (lh - claim.size) / 2.0 + 0.9 * claim.size;
                text_line(
                    &mut text, line, MARGIN, baseline, claim.size, false, INK, rtl,
                );
                y += lh;
            }
            if let Some(claimant) = &layout.claimant {
                if let Some(line) = claimant.lines.first() {
                    let baseline = y + CLAIMANT_GAP + 0.85 * CLAIMANT_HEIGHT;
                    text_line(
                        &mut text,
                        line,
                        MARGIN,
                        baseline,
                        claimant.size,
                        false,
                        MUTED,
                        rtl,
                    );
                }
            }
        }
        None => {
            icon(
                &mut out,
                &mut text,
                card,
                from_start(MARGIN + HERO_R, rtl),
                HERO_Y,
                HERO_R,
            );
            let x = MARGIN + 2.0 * HERO_R + 32.0;
            if let Some(label) = &layout.label {
                if let Some(line) = label.lines.first() {
                    let y = HERO_Y + 0.36 * label.size;
                    text_line(&mut text, line, x, y, label.size, true, colour, rtl);
                }
            }
            let mut y = HERO_Y + HERO_R;
            if let Some((rating, n)) = pips {
                meter(&mut out, card, rating, n, x, y + 30.0, rtl);
                y += 40.0;
            }
            if let Some(claimant) = &layout.claimant {
                if let Some(line) = claimant.lines.first() {
                    text_line(
                        &mut text,
                        line,
                        MARGIN,
                        y + 90.0,
                        claimant.size,
                        false,
                        MUTED,
                        rtl,
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        r#"<rect x="{MARGIN}" y="{RULE_Y}" width="{TEXT_WIDTH}" height="2" fill="{RULE}" shape-rendering="crispEdges"/>"#
    );
    if let Some(site) = &layout.site_title {
        if let Some(line) = site.lines.first() {
            text_line(&mut text, line, MARGIN, SITE_Y, site.size, true, FAINT, rtl);
        }
    }
    Layers { shapes: out, text }
}

// ---------------------------------------------------------------------------
// Pixels

/// usvg's fallback: the next embedded face of the same weight that has `c`.
fn fallback(
    c: char,
    used: &[usvg::fontdb::ID],
    _db: &mut Arc<usvg::fontdb::Database>,
) -> Option<usvg::fontdb::ID> {
    let fonts = fonts();
    let base = fonts.ids.iter().position(|id| Some(id) == used.first())?;
    fonts
        .chain(fonts.faces[base].bold)
        .iter()
        .find(|&&i| !used.contains(&fonts.ids[i]) && fonts.faces[i].has(c))
        .map(|&i| fonts.ids[i])
}

/// PNG of `layers`, or `None` if usvg refuses them.
fn rasterize(layers: &Layers) -> Option<Vec<u8>> {
    encode(draw(layers, true)?.data())
}

/// The pixels of `layers`; the text from glyph masks when `masks`, else filled by
/// resvg like the shapes.
fn draw(layers: &Layers, masks: bool) -> Option<tiny_skia::Pixmap> {
    let options = usvg::Options {
        fontdb: fonts().db.clone(),
        font_family: "Noto Sans".to_owned(),
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(fallback),
        },
        ..usvg::Options::default()
    };
    let shapes = usvg::Tree::from_str(&document(&layers.shapes), &options).ok()?;
    let text = usvg::Tree::from_str(&document(&layers.text), &options).ok()?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)?;
    resvg::render(
        &shapes,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    if !(masks && draw_text(&text, &mut pixmap)) {
        resvg::render(
            &text,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
    }
    Some(pixmap)
}

/// Sub-pixel positions a glyph is drawn at, per pixel and axis (as Skia does for x).
const SUBPIXELS: f32 = 4.0;

/// Which mask a glyph is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: usvg::fontdb::ID,
    glyph: u32,
    /// Bits of the outline's x and y scales (y is negative: outlines point up).
    scale: (u32, u32),
    /// Quarter-pixel offset of the glyph's origin within its pixel.
    offset: (u8, u8),
    even_odd: bool,
}

/// A glyph's anti-aliased coverage, one byte a pixel, placed relative to the pixel
/// its origin falls in.
#[derive(Debug)]
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    alpha: Vec<u8>,
}

/// Masks kept per thread (no lock); a pure function of their key, so which thread
/// drew a mask never changes a byte. Cleared past this many, to bound memory (a
/// briefing in one script and one site title needs a few thousand).
const MAX_MASKS: usize = 8192;

thread_local! {
    static MASKS: std::cell::RefCell<std::collections::HashMap<GlyphKey, Option<GlyphMask>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Draws the text of `tree` glyph by glyph from masks, or returns `false` having
/// drawn nothing if it holds anything the cards never have: a node that is not
/// text, a transform, a stroke, a decoration, a paint that is not a plain colour,
/// a glyph not from an embedded face.
///
/// Filling the outlines of the text (each glyph's curves scanned with 4×4
/// anti-aliasing, on every card) was most of a card's time; a card has a few
/// dozen distinct glyphs, so each is filled once per size and sub-pixel offset
/// and then only blended. Where two glyphs overlap (joined Arabic letters), each
/// is blended in turn, as a browser does, where resvg filled their union.
fn draw_text(tree: &usvg::Tree, pixmap: &mut tiny_skia::Pixmap) -> bool {
    let fonts = fonts();
    let mut texts = Vec::new();
    for node in tree.root().children() {
        match node {
            usvg::Node::Text(text) if text.abs_transform().is_identity() => texts.push(text),
            _ => return false,
        }
    }
    let plain = texts.iter().flat_map(|t| t.layouted()).all(|span| {
        span.stroke.is_none()
            && span.underline.is_none()
            && span.overline.is_none()
            && span.line_through.is_none()
            && span
                .fill
                .as_ref()
                .is_none_or(|f| matches!(f.paint(), usvg::Paint::Color(_)))
            && span.positioned_glyphs.iter().all(|g| {
                let t = g.outline_transform();
                t.kx == 0.0 && t.ky == 0.0 && fonts.ids.contains(&g.font)
            })
    });
    if !plain {
        return false;
    }
    MASKS.with_borrow_mut(|masks| {
        for span in texts.iter().flat_map(|t| t.layouted()) {
            let Some(fill) = span.fill.as_ref().filter(|_| span.visible) else {
                continue;
            };
            let usvg::Paint::Color(colour) = fill.paint() else {
                continue;
            };
            let ink = [colour.red, colour.green, colour.blue];
            let opacity = fill.opacity().get();
            for glyph in &span.positioned_glyphs {
                let t = glyph.outline_transform();
                let (qx, qy) = ((t.tx * SUBPIXELS).round(), (t.ty * SUBPIXELS).round());
                if !(qx.abs() < 1e6 && qy.abs() < 1e6) {
                    continue; // off the card (or not a number)
                }
                let (qx, qy) = (qx as i32, qy as i32);
                let sub = SUBPIXELS as i32;
                let key = GlyphKey {
                    font: glyph.font,
                    glyph: glyph.id.0,
                    scale: (t.sx.to_bits(), t.sy.to_bits()),
                    offset: (qx.rem_euclid(sub) as u8, qy.rem_euclid(sub) as u8),
                    even_odd: fill.rule() == usvg::FillRule::EvenOdd,
                };
                if masks.len() >= MAX_MASKS && !masks.contains_key(&key) {
                    masks.clear();
                }
                let mask = masks
                    .entry(key)
                    .or_insert_with(|| glyph_mask(&key, t.sx, t.sy));
                if let Some(mask) = mask {
                    blend(
                        pixmap,
                        mask,
                        qx.div_euclid(sub),
                        qy.div_euclid(sub),
                        ink,
                        opacity,
                    );
                }
            }
        }
    });
    true
}

/// The mask of `key`'s glyph (`None` for a glyph with no outline, like a space).
fn glyph_mask(key: &GlyphKey, sx: f32, sy: f32) -> Option<GlyphMask> {
    let fonts = fonts();
    let face = &fonts.faces[fonts.ids.iter().position(|&id| id == key.font)?];
    let font = FontRef::new(face.data).ok()?;
    let outline = font.outline_glyphs().get(skrifa::GlyphId::new(key.glyph))?;
    let mut pen = Pen(tiny_skia::PathBuilder::new());
    outline
        .draw(
            skrifa::outline::DrawSettings::unhinted(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            ),
            &mut pen,
        )
        .ok()?;
    let (dx, dy) = (
        f32::from(key.offset.0) / SUBPIXELS,
        f32::from(key.offset.1) / SUBPIXELS,
    );
    let path = pen
        .0
        .finish()?
        .transform(tiny_skia::Transform::from_row(sx, 0.0, 0.0, sy, dx, dy))?;
    let bounds = path.bounds();
    // One pixel of room on every side for the anti-aliased edge.
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 - left + 1).max(1);
    let height = (bounds.bottom().ceil() as i32 - top + 1).max(1);
    let mut mask = tiny_skia::Mask::new(u32::try_from(width).ok()?, u32::try_from(height).ok()?)?;
    let path = path.transform(tiny_skia::Transform::from_translate(
        -left as f32,
        -top as f32,
    ))?;
    let rule = if key.even_odd {
        tiny_skia::FillRule::EvenOdd
    } else {
        tiny_skia::FillRule::Winding
    };
    mask.fill_path(&path, rule, true, tiny_skia::Transform::identity());
    Some(GlyphMask {
        left,
        top,
        width: width as usize,
        alpha: mask.data().to_vec(),
    })
}

/// A glyph outline into a tiny-skia path.
struct Pen(tiny_skia::PathBuilder);

impl skrifa::outline::OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// Blends `ink` through `mask` (its origin at pixel `x`, `y`) onto the pixmap, clipped
/// to it. The card is opaque everywhere, so this is a plain mix of two colours.
fn blend(
    pixmap: &mut tiny_skia::Pixmap,
    mask: &GlyphMask,
    x: i32,
    y: i32,
    ink: [u8; 3],
    opacity: f32,
) {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let opacity = (opacity.clamp(0.0, 1.0) * 256.0) as u32;
    let data = pixmap.data_mut();
    for (row, alphas) in mask.alpha.chunks_exact(mask.width).enumerate() {
        let py = y + mask.top + row as i32;
        if py < 0 || py >= h {
            continue;
        }
        let x0 = x + mask.left;
        // Clip the row to the pixmap.
        let skip = (-x0).max(0) as usize;
        let end = (alphas.len() as i32).min(w - x0).max(0) as usize;
        for (i, &a) in alphas.iter().enumerate().take(end).skip(skip) {
            if a == 0 {
                continue;
            }
            let a = (u32::from(a) * opacity) >> 8;
            let at = ((py * w + x0 + i as i32) * 4) as usize;
            let px = &mut data[at..at + 4];
            if a == 255 {
                // Inside the glyph: what the mix below gives, without it.
                px.copy_from_slice(&[ink[0], ink[1], ink[2], 255]);
                continue;
            }
            for c in 0..3 {
                let (s, d) = (u32::from(ink[c]), u32::from(px[c]));
                px[c] = div255(s * a + d * (255 - a)) as u8;
            }
            px[3] = div255(255 * a + u32::from(px[3]) * (255 - a)) as u8;
        }
    }
}

/// `v / 255`, rounded, for `v` up to 255 × 255.
fn div255(v: u32) -> u32 {
    let v = v + 128;
    (v + (v >> 8)) >> 8
}

/// PNG of premultiplied RGBA pixels on an opaque background, with no chunk but the
/// header, the palette, the data and the end: no time, no text, nothing of the machine.
///
/// A card has few colours (the background, five inks and their anti-aliased edges: about
/// 130), so it is written as an 8-bit palette image, losslessly, a third of the size of
/// RGB; unfiltered rows compress best there. Should a card ever have more than 256
/// colours, it is written as RGB.
///
/// Deflate level 3 (zlib-rs, see Cargo.toml): on the 2,000 cards of the synthetic
/// briefing about 1 ms a card and 24 KB, against 1.2 ms and 22.6 KB at level 4 and
/// 2.6–3.4 ms and 22.2 KB for level 4 of miniz_oxide, which deflated them before.
fn encode(rgba: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    let data = match palette(rgba) {
        Some((palette, indices)) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette);
            encoder.set_filter(png::Filter::NoFilter);
            indices
        }
        None => {
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_filter(png::Filter::Adaptive);
            rgba.chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect()
        }
    };
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&data).ok()?;
    writer.finish().ok()?;
    Some(bytes)
}

/// The palette (RGB triples, in order of first appearance) and each pixel's index in
/// it, or `None` past 256 colours.
fn palette(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    // Pixels are read as words with the alpha masked off (little-endian: red is the
    // low byte). Most are the colour of the one before (the background, inside a
    // glyph): four at a time are compared with the first of them, and the table is
    // looked up only where the colour changes.
    const RGB: u32 = 0x00ff_ffff;
    const FOUR: u128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;
    let mut table = Palette::new();
    let mut indices = vec![0u8; rgba.len() / 4];
    let mut quads = rgba.chunks_exact(16);
    let mut outs = indices.chunks_exact_mut(4);
    for (p, out) in (&mut quads).zip(&mut outs) {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(p);
        let quad = u128::from_le_bytes(bytes) & (u128::from(RGB) * FOUR);
        let first = quad as u32;
        if quad == u128::from(first) * FOUR {
            out.fill(table.index(first)?);
        } else {
            for (k, out) in out.iter_mut().enumerate() {
                *out = table.index((quad >> (32 * k)) as u32)?;
            }
        }
    }
    for (p, out) in quads
        .remainder()
        .chunks_exact(4)
        .zip(outs.into_remainder().iter_mut())
    {
        *out = table.index(u32::from_le_bytes([p[0], p[1], p[2], 0]))?;
    }
    Some((table.colours, indices))
}

/// Colours (as `0x00BBGGRR`) to palette indices: open addressing, at most a
/// quarter full, with the last colour looked up kept aside.
struct Palette {
    keys: [u32; Palette::SLOTS],
    values: [u8; Palette::SLOTS],
    colours: Vec<u8>,
    last: (u32, u8),
}

impl Palette {
    const SLOTS: usize = 1024;
    const EMPTY: u32 = u32::MAX;

    fn new() -> Palette {
        Palette {
            keys: [Palette::EMPTY; Palette::SLOTS],
            values: [0; Palette::SLOTS],
            colours: Vec::with_capacity(256 * 3),
            last: (Palette::EMPTY, 0),
        }
    }

    /// The index of `key`, added if new; `None` past 256 colours.
    #[inline(always)]
    fn index(&mut self, key: u32) -> Option<u8> {
        if key == self.last.0 {
            return Some(self.last.1);
        }
        let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize % Palette::SLOTS;
        let index = loop {
            if self.keys[slot] == key {
                break self.values[slot];
            }
            if self.keys[slot] == Palette::EMPTY {
                let index = u8::try_from(self.colours.len() / 3).ok()?;
                self.keys[slot] = key;
                self.values[slot] = index;
                self.colours.extend_from_slice(&key.to_le_bytes()[..3]);
                break index;
            }
            slot = (slot + 1) % Palette::SLOTS;
        };
        self.last = (key, index);
        Some(index)
    }
}

/// The background alone, for when nothing else could be drawn.
fn blank_png() -> Vec<u8> {
    let pixel = [0xfa, 0xfa, 0xf9, 0xff];
    let rgba: Vec<u8> = pixel
        .iter()
        .copied()
        .cycle()
        .take((WIDTH * HEIGHT * 4) as usize)
        .collect();
    encode(&rgba).unwrap_or_default()
}

#[cfg(test)]
mod tests;
