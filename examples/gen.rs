//! Synthetic briefing generator (standard library only).
//!
//! Writes a complete, valid site root (see docs/format.md) of arbitrary
//! size, for benchmarks and end-to-end tests:
//!
//! ```text
//! cargo run --release --example gen -- --sources 10000 --claims 2000 [--seed 1] [--evidence 5] [--hot-source] [--form factbrief|hugo] [--force] DIR
//! ```
//!
//! Produces `DIR/content/_index.md`, `DIR/content/sources/<id>.md` (about a
//! third at top level, the rest under a `2021/` or `2022/` subfolder),
//! `DIR/content/claims/<id>.md` (every fourth under a year subfolder) and
//! `DIR/content/pages/about.md`. Every tenth source and claim uses YAML front
//! matter, the rest TOML. Every evidence `quote` is a run of 6–20 consecutive
//! words of a paragraph of the cited source, taken from the paragraph's plain
//! (rendered) text, so it matches even where the source has emphasis or a
//! link inside the passage; one quote in five is written with straight
//! quotes, apostrophes and hyphens where the source has curly ones and en
//! dashes.
//!
//! `--hot-source` makes the first source cited by every claim (its first
//! evidence; the others as usual), to see that the build stays linear in
//! the citations of one source.
//!
//! `--form hugo` writes the same documents (same arguments, same words,
//! quotes, dates, tags and links) as a Hugo site, for `benches/peers.sh`:
//! `hugo.toml` and a minimal layout (`examples/hugo/`) with the pages
//! factbrief makes from them (a page per claim, source and free page,
//! paginated lists, tags, verdicts and outlets, each source listing the
//! claims citing it through a `cites` taxonomy). Front matter takes Hugo's
//! names where factbrief's clash with Hugo's (`url` is `source_url`, `kind`
//! is `source_kind`, the outlet is `outlets`, a claim's `title` is its
//! `claim`) and links are `relref` shortcodes. Hugo does not check quotes,
//! mark passages, index the site for search or draw share images.
//!
//! Output is a pure function of the arguments: same arguments, same bytes.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Instant;

// ---------------------------------------------------------------------------
// PRNG: splitmix64

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Mix the seed once so that small seeds (0, 1, 2...) diverge at once.
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1CE_F00D);
        r.next_u64();
        r
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0); the modulo bias is negligible here.
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (self.next_u64() % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `num / den`.
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn pick_ref<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------
// Word lists

#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "that", "for", "on", "with", "as", "by", "at", "from",
    "was", "were", "is", "are", "has", "had", "have", "it", "its", "this", "these", "those",
    "which", "who", "but", "or", "not", "more", "than", "said", "would", "could", "should", "will",
    "after", "before", "over", "under", "about", "into", "between", "while", "when", "where",
    "also", "only", "most", "some", "many", "each", "every", "their", "there", "they", "we", "our",
    "no", "so", "if", "because", "then", "very", "much", "since", "during",
];

#[rustfmt::skip]
const CONTENT_WORDS: &[&str] = &[
    "government", "minister", "ministry", "council", "report", "figures", "data", "survey",
    "budget", "spending", "tax", "taxes", "rate", "rates", "growth", "economy", "inflation",
    "prices", "wages", "workers", "jobs", "unemployment", "housing", "rent", "schools", "teachers",
    "students", "hospital", "hospitals", "patients", "doctors", "nurses", "health", "vaccine",
    "vaccines", "cases", "deaths", "study", "studies", "research", "researchers", "scientists",
    "climate", "emissions", "energy", "electricity", "gas", "oil", "coal", "wind", "solar",
    "water", "river", "farmers", "crops", "food", "exports", "imports", "trade", "tariffs",
    "border", "migrants", "police", "crime", "court", "judge", "law", "bill", "parliament",
    "senate", "election", "voters", "ballots", "campaign", "party", "candidate", "mayor", "city",
    "region", "province", "district", "village", "county", "residents", "citizens", "community",
    "officials", "spokesperson", "agency", "department", "committee", "inquiry", "audit",
    "statement", "interview", "press", "conference", "record", "records", "million", "billion",
    "percent", "thousand", "hundred", "annual", "monthly", "weekly", "quarterly", "increase",
    "decrease", "rise", "fall", "drop", "surge", "decline", "estimate", "estimates", "forecast",
    "target", "targets", "plan", "plans", "policy", "policies", "program", "scheme", "funding",
    "grant", "loan", "debt", "deficit", "surplus", "revenue", "pension", "pensions", "benefits",
    "welfare", "care", "children", "families", "households", "income", "poverty", "average",
    "median", "total", "share", "number", "level", "levels", "period", "year", "years", "month",
    "months", "decade", "recent", "previous", "latest", "official", "public", "private",
    "national", "local", "federal", "regional", "independent", "major", "minor", "significant",
    "sharp", "modest", "steady", "rapid", "slow", "higher", "lower", "larger", "smaller", "new",
    "old", "early", "late", "first", "second", "third", "final", "full", "partial", "clear",
    "unclear", "accurate", "misleading", "false", "true", "correct", "wrong", "claimed", "stated",
    "reported", "published", "confirmed", "denied", "suggested", "argued", "showed", "found",
    "noted", "warned", "promised", "announced", "rejected", "approved", "increased", "reduced",
    "raised", "cut", "spent", "saved", "built", "closed", "opened", "moved", "compared",
    "measured", "counted", "recorded", "revised", "released", "collected", "analysed", "reviewed",
    "checked", "quoted", "cited", "agreed", "disputed", "questioned", "explained", "described",
    "highway", "railway", "airport", "bridge", "port", "network", "internet", "broadband", "phone",
    "coverage", "access", "service", "services", "contract", "company", "companies", "firm",
    "firms", "industry", "sector", "market", "markets", "investors", "bank", "banks", "interest",
    "mortgage", "property", "land", "forest", "wildlife", "pollution", "air", "quality", "safety",
    "risk", "risks", "evidence", "source", "sources", "document", "documents", "figure", "chart",
    "table", "analysis", "comparison", "context", "baseline", "methodology", "sample", "margin",
    "error", "trend", "trends", "question", "answer", "response", "letter", "memo", "briefing",
    "summary", "transcript", "speech", "debate", "hearing", "testimony", "witness", "expert",
    "experts", "professor", "economist", "analyst", "historian", "journalist", "editor",
];

/// Words with a curly apostrophe inside (never at either end).
#[rustfmt::skip]
const APOSTROPHE_WORDS: &[&str] = &[
    "government’s", "minister’s", "country’s", "city’s", "council’s", "agency’s", "don’t",
    "didn’t", "wasn’t", "isn’t", "it’s", "there’s", "that’s", "hasn’t", "won’t", "year’s",
    "mayor’s", "party’s",
];

#[rustfmt::skip]
const OUTLETS: &[&str] = &[
    "The Daily Ledger", "Northern Herald", "Coastal Times", "Metro Courier", "The Evening Post",
    "Valley Gazette", "People’s Tribune", "The Morning Chronicle", "Harbour Observer",
    "Capital Wire", "Ridgeway Record", "Lakeside Journal", "The Weekly Examiner",
    "Central News Agency", "Frontier Dispatch", "Ministry of Finance", "Ministry of Health",
    "National Statistics Office", "Office of the Mayor", "Electoral Commission",
    "Public Broadcasting Service", "Riverside Sentinel", "The Independent Monitor",
    "Provincial Bulletin", "Civic Radio", "Summit Business Review", "Green Policy Institute",
    "Centre for Fiscal Studies", "Union Bulletin", "Parliamentary Record",
];

#[rustfmt::skip]
const KINDS: &[&str] = &[
    "news", "news", "news", "news", "news", "news", "statement", "transcript", "opinion", "report",
    "other",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloe", "Dario", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Nils", "Olga", "Pavel", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Adler", "Brandt", "Costa", "Dube", "Eriksen", "Ferreira", "Garcia", "Haddad", "Ito", "Jensen",
    "Kowalski", "Larsen", "Moreau", "Nakamura", "O’Brien", "Petrov", "Quist", "Rossi", "Silva",
    "Tanaka", "Underwood", "Varga", "Weber", "Yilmaz", "Zeller",
];

#[rustfmt::skip]
const CLAIMANTS: &[&str] = &[
    "Finance Minister Elena Costa", "Opposition leader Pavel Quist", "Mayor Rosa Haddad",
    "Health Minister Jonas Weber", "Senator Kira Tanaka", "Prime Minister Hugo Larsen",
    "A viral social media post", "Campaign spokesperson Sami Ito", "Union leader Maya O’Brien",
    "The Green Policy Institute", "Councillor Ben Ferreira", "Transport Minister Olga Varga",
    "An anonymous campaign leaflet", "Business lobby group Summit Forum",
    "Education Minister Farid Adler", "Governor Tara Moreau", "A television advertisement",
    "Economist Wen Rossi", "Police commissioner Liam Dube", "Radio host Umar Brandt",
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "economy", "health", "climate", "housing", "crime", "education", "energy", "elections",
    "immigration", "transport", "budget", "trade", "environment", "labour", "technology",
];

#[rustfmt::skip]
const VERDICTS: &[&str] = &[
    "true", "mostly-true", "mixed", "mostly-false", "false", "misleading", "unproven",
];

const STANCES: &[&str] = &["supports", "contradicts", "context"];

// ---------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01)

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[derive(Clone, Copy)]
struct Date(i64);

impl Date {
    fn year(self) -> i64 {
        civil_from_days(self.0).0
    }
    fn iso(self) -> String {
        let (y, m, d) = civil_from_days(self.0);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// A date in 2021-01-01 ..= 2022-12-31.
fn random_date(rng: &mut Rng) -> Date {
    Date(days_from_civil(2021, 1, 1) + rng.below(730) as i64)
}

// ---------------------------------------------------------------------------
// Front matter writing

#[derive(Clone, Copy, PartialEq)]
enum Fm {
    Toml,
    Yaml,
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Accumulates `key = value` (TOML) or `key: value` (YAML) lines.
struct FrontMatter {
    kind: Fm,
    out: String,
}

impl FrontMatter {
    fn new(kind: Fm) -> FrontMatter {
        let out = match kind {
            Fm::Toml => "+++\n".to_string(),
            Fm::Yaml => "---\n".to_string(),
        };
        FrontMatter { kind, out }
    }
    fn raw(&mut self, key: &str, toml_value: &str, yaml_value: &str) {
        match self.kind {
            Fm::Toml => {
                let _ = writeln!(self.out, "{key} = {toml_value}");
            }
            Fm::Yaml => {
                let _ = writeln!(self.out, "{key}: {yaml_value}");
            }
        }
    }
    fn string(&mut self, key: &str, v: &str) {
        self.raw(key, &toml_str(v), &yaml_str(v));
    }
    /// TOML: a bare date; YAML: a quoted string.
    fn date(&mut self, key: &str, d: Date) {
        let iso = d.iso();
        self.raw(key, &iso, &yaml_str(&iso));
    }
    fn int(&mut self, key: &str, v: i64) {
        let s = v.to_string();
        self.raw(key, &s, &s);
    }
    fn list(&mut self, key: &str, items: &[String]) {
        match self.kind {
            Fm::Toml => {
                let parts: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
                let _ = writeln!(self.out, "{key} = [{}]", parts.join(", "));
            }
            Fm::Yaml => {
                let _ = writeln!(self.out, "{key}:");
                for s in items {
                    let _ = writeln!(self.out, "  - {}", yaml_str(s));
                }
            }
        }
    }
    /// An array of tables, each a list of (key, string value) pairs. Must be
    /// the last thing written (TOML tables end the top-level keys).
    fn tables(&mut self, key: &str, rows: &[Vec<(&str, String)>]) {
        match self.kind {
            Fm::Toml => {
                for row in rows {
                    let _ = writeln!(self.out, "\n[[{key}]]");
                    for (k, v) in row {
                        let _ = writeln!(self.out, "{k} = {}", toml_str(v));
                    }
                }
            }
            Fm::Yaml => {
                let _ = writeln!(self.out, "{key}:");
                for row in rows {
                    for (i, (k, v)) in row.iter().enumerate() {
                        let lead = if i == 0 { "  - " } else { "    " };
                        let _ = writeln!(self.out, "{lead}{k}: {}", yaml_str(v));
                    }
                }
            }
        }
    }
    fn finish(mut self) -> String {
        self.out.push_str(match self.kind {
            Fm::Toml => "+++\n",
            Fm::Yaml => "---\n",
        });
        self.out
    }
}

// ---------------------------------------------------------------------------
// Text

fn push_capitalised(out: &mut String, w: &str) {
    let mut cs = w.chars();
    if let Some(c) = cs.next() {
        out.extend(c.to_uppercase());
        out.push_str(cs.as_str());
    }
}

/// One word of generated text, kept allocation-free.
#[derive(Clone, Copy)]
enum Word {
    Plain(&'static str),
    Capital(&'static str),
    Int(u32),
    Decimal(u32, u32),
    Dash,
}

impl Word {
    fn push(self, out: &mut String) {
        match self {
            Word::Plain(w) => out.push_str(w),
            Word::Capital(w) => push_capitalised(out, w),
            Word::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Word::Decimal(a, b) => {
                let _ = write!(out, "{a}.{b}");
            }
            Word::Dash => out.push('–'),
        }
    }
    fn capitalised(self) -> Word {
        match self {
            Word::Plain(w) => Word::Capital(w),
            w => w,
        }
    }
    fn starts_with_letter(self) -> bool {
        matches!(self, Word::Plain(_) | Word::Capital(_))
    }
}

fn random_word(rng: &mut Rng) -> Word {
    let r = rng.below(100);
    if r < 38 {
        Word::Plain(rng.pick(FUNCTION_WORDS))
    } else if r < 95 {
        Word::Plain(rng.pick(CONTENT_WORDS))
    } else if r < 99 {
        Word::Plain(rng.pick(APOSTROPHE_WORDS))
    } else if rng.chance(1, 2) {
        Word::Int(rng.range(2, 980) as u32)
    } else {
        Word::Decimal(rng.range(1, 99) as u32, rng.range(1, 9) as u32)
    }
}

/// A sentence of `n` words, capitalised, ending with a full stop.
fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n * 8);
    for k in 0..n {
        let w = random_word(rng);
        if k == 0 {
            w.capitalised().push(&mut s);
        } else {
            s.push(' ');
            w.push(&mut s);
        }
    }
    s.push('.');
    s
}

/// Markup closing a span.
#[derive(Clone, Copy, PartialEq)]
enum Close {
    None,
    Em,
    Strong,
    Link(&'static str),
}

/// One token of a paragraph. Plain text is `“? word punct ”?`; the Markdown
/// puts `open` after the opening quote mark and `close` before the
/// punctuation, so markers always hug a word.
#[derive(Clone, Copy)]
struct Tok {
    word: Word,
    quote_open: bool,
    punct: Option<char>,
    quote_close: bool,
    open: &'static str,
    close: Close,
    used: bool,
}

impl Tok {
    fn new(word: Word) -> Tok {
        Tok {
            word,
            quote_open: false,
            punct: None,
            quote_close: false,
            open: "",
            close: Close::None,
            used: false,
        }
    }
    fn is_dash(&self) -> bool {
        matches!(self.word, Word::Dash)
    }
    fn push_plain(&self, out: &mut String) {
        if self.quote_open {
            out.push('“');
        }
        self.word.push(out);
        if let Some(p) = self.punct {
            out.push(p);
        }
        if self.quote_close {
            out.push('”');
        }
    }
    fn push_markdown(&self, out: &mut String) {
        if self.quote_open {
            out.push('“');
        }
        out.push_str(self.open);
        self.word.push(out);
        match self.close {
            Close::None => {}
            Close::Em => out.push('*'),
            Close::Strong => out.push_str("**"),
            Close::Link(slug) => {
                out.push_str("](https://example.org/");
                out.push_str(slug);
                out.push(')');
            }
        }
        if let Some(p) = self.punct {
            out.push(p);
        }
        if self.quote_close {
            out.push('”');
        }
    }
    /// Whether a Markdown line may start with this token: only a letter or
    /// an opening quote mark, which can never begin a block construct.
    fn may_start_line(&self) -> bool {
        self.quote_open || (self.open.is_empty() && self.word.starts_with_letter())
    }
}

/// Picks a span of `len` tokens whose ends are words (not dashes) and whose
/// tokens are all unused; `None` after a few failed tries.
fn free_span(rng: &mut Rng, toks: &[Tok], len: usize) -> Option<(usize, usize)> {
    if toks.len() < len + 2 {
        return None;
    }
    for _ in 0..8 {
        let a = rng.below(toks.len() - len + 1);
        let b = a + len - 1;
        if toks[a].is_dash() || toks[b].is_dash() {
            continue;
        }
        if toks[a..=b].iter().any(|t| t.used) {
            continue;
        }
        return Some((a, b));
    }
    None
}

/// Appends one paragraph's Markdown (soft-wrapped near 80 columns, no final
/// newline) to `md` and returns its plain, rendered text.
fn paragraph(rng: &mut Rng, toks: &mut Vec<Tok>, md: &mut String) -> String {
    // 40..=90 words, skewed towards the short end (mean about 57).
    let n = rng.range(40, 90).min(rng.range(40, 90));
    toks.clear();
    let mut left = n;
    while left > 0 {
        let mut len = rng.range(6, 16).min(left);
        if left - len < 4 {
            len = left;
        }
        for k in 0..len {
            let w = random_word(rng);
            let mut t = Tok::new(if k == 0 { w.capitalised() } else { w });
            if k + 1 == len {
                t.punct = Some(if rng.chance(1, 25) { '?' } else { '.' });
            } else if k > 1 && k + 2 < len && rng.chance(1, 9) {
                t.punct = Some(',');
            }
            toks.push(t);
        }
        left -= len;
    }

    // An en dash between two words, inside a sentence.
    if rng.chance(1, 3) {
        for _ in 0..8 {
            let j = rng.range(2, toks.len() - 3);
            if toks[j - 1].punct.is_none() && !toks[j - 1].is_dash() && !toks[j].is_dash() {
                toks.insert(j, Tok::new(Word::Dash));
                break;
            }
        }
    }
    // Curly double quotes around a few words (they may cross sentences and
    // other markup: the quote marks are part of the plain text).
    if rng.chance(1, 3) {
        let len = rng.range(2, 8);
        if let Some((a, b)) = free_span(rng, toks, len) {
            toks[a].quote_open = true;
            toks[b].quote_close = true;
        }
    }
    // Emphasis on one word.
    if rng.chance(1, 3) {
        if let Some((a, _)) = free_span(rng, toks, 1) {
            toks[a].open = "*";
            toks[a].close = Close::Em;
            toks[a].used = true;
        }
    }
    // Strong emphasis over one to three words.
    if rng.chance(1, 4) {
        let len = rng.range(1, 3);
        if let Some((a, b)) = free_span(rng, toks, len) {
            toks[a].open = "**";
            toks[b].close = Close::Strong;
            for t in &mut toks[a..=b] {
                t.used = true;
            }
        }
    }
    // A link over one to four words.
    if rng.chance(1, 4) {
        let len = rng.range(1, 4);
        if let Some((a, b)) = free_span(rng, toks, len) {
            toks[a].open = "[";
            toks[b].close = Close::Link(rng.pick(CONTENT_WORDS));
            for t in &mut toks[a..=b] {
                t.used = true;
            }
        }
    }

    let mut plain = String::with_capacity(n * 8);
    let mut line_start = md.len();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            plain.push(' ');
            md.push(' ');
        }
        t.push_plain(&mut plain);
        let start = md.len();
        t.push_markdown(md);
        // Soft-wrap (columns counted in bytes: close enough for wrapping).
        if i > 0 && md.len() - line_start > 80 && t.may_start_line() {
            md.replace_range(start - 1..start, "\n");
            line_start = start;
        }
    }
    plain
}

// ---------------------------------------------------------------------------
// Documents

/// The form the documents are written in: factbrief's, or Hugo's (the same
/// documents, for comparing the two on the same input; see `benches/peers.sh`).
#[derive(Clone, Copy, PartialEq)]
enum Form {
    Factbrief,
    Hugo,
}

impl Form {
    /// A Markdown link target to the document `id` of `kind` (`source`,
    /// `claim` or `page`): factbrief's `kind:id`, or a Hugo `relref`
    /// shortcode, which Hugo resolves (and fails on when missing) as
    /// factbrief does.
    fn link(self, kind: &str, id: &str) -> String {
        match self {
            Form::Factbrief => format!("{kind}:{id}"),
            Form::Hugo => format!("{{{{< relref \"/{kind}s/{id}.md\" >}}}}"),
        }
    }
}

/// A source's term in Hugo's `cites` taxonomy: its id with `/` as `-`
/// (terms are flat).
fn hugo_key(id: &str) -> String {
    id.replace('/', "-")
}

/// The Hugo site around the documents: its configuration and a minimal
/// layout with the pages factbrief makes from the same input (a page per
/// claim, source and free page; paginated lists; tags, verdicts and outlets
/// with their term pages; each source listing the claims citing it).
const HUGO_FILES: &[(&str, &str)] = &[
    ("hugo.toml", include_str!("hugo/hugo.toml")),
    (
        "layouts/_default/baseof.html",
        include_str!("hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("hugo/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/terms.html",
        include_str!("hugo/layouts/_default/terms.html"),
    ),
    (
        "layouts/index.html",
        include_str!("hugo/layouts/index.html"),
    ),
    (
        "layouts/claims/single.html",
        include_str!("hugo/layouts/claims/single.html"),
    ),
    (
        "layouts/sources/single.html",
        include_str!("hugo/layouts/sources/single.html"),
    ),
    (
        "layouts/partials/item.html",
        include_str!("hugo/layouts/partials/item.html"),
    ),
    (
        "content/cites/_index.md",
        include_str!("hugo/content/cites/_index.md"),
    ),
];

struct Source {
    id: String,
    /// Plain (rendered) text of each ordinary paragraph: quotes come from here.
    paras: Vec<String>,
}

fn source_file(
    rng: &mut Rng,
    toks: &mut Vec<Tok>,
    index: usize,
    width: usize,
    form: Form,
) -> (Source, String) {
    let published = random_date(rng);
    let name = format!("s{:0width$}", index + 1);
    let id = if index % 3 == 0 {
        name
    } else {
        format!("{}/{name}", published.year())
    };
    let fm_kind = if (index + 1) % 10 == 0 {
        Fm::Yaml
    } else {
        Fm::Toml
    };

    let title_len = rng.range(4, 10);
    let mut title = sentence(rng, title_len);
    title.pop(); // headlines have no full stop
    let mut fm = FrontMatter::new(fm_kind);
    fm.string("title", &title);
    let outlet = rng.pick(OUTLETS);
    let kind = rng.pick(KINDS);
    match form {
        Form::Factbrief => {
            fm.string("outlet", outlet);
            fm.date("published", published);
            fm.string("kind", kind);
        }
        Form::Hugo => {
            // Hugo reserves `kind` and `url`; the outlet is a taxonomy, and
            // `key` names the source in the `cites` taxonomy of the claims.
            fm.list("outlets", &[outlet.to_string()]);
            fm.date("date", published);
            fm.string("source_kind", kind);
            fm.string("key", &hugo_key(&id));
        }
    }
    if rng.chance(3, 5) {
        let n = rng.range(1, 3);
        let authors: Vec<String> = (0..n)
            .map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)))
            .collect();
        fm.list("authors", &authors);
    }
    if rng.chance(1, 2) {
        let key = match form {
            Form::Factbrief => "url",
            Form::Hugo => "source_url",
        };
        fm.string(
            key,
            &format!("https://example.org/archive/{}", id.replace('/', "-")),
        );
    }

    let mut text = String::with_capacity(8192);
    text.push_str(&fm.finish());
    // Skewed towards shorter documents (mean about 12 paragraphs) so that
    // the average source lands near 5 KB.
    let n_paras = rng.range(8, 20).min(rng.range(8, 20));
    let list_after = if rng.chance(1, 4) {
        Some(rng.below(n_paras))
    } else {
        None
    };
    let mut paras = Vec::with_capacity(n_paras);
    for p in 0..n_paras {
        text.push('\n');
        let plain = paragraph(rng, toks, &mut text);
        text.push('\n');
        paras.push(plain);
        if list_after == Some(p) {
            text.push('\n');
            for _ in 0..rng.range(3, 5) {
                let len = rng.range(3, 9);
                let mut item = sentence(rng, len);
                item.pop();
                let _ = writeln!(text, "- {item}");
            }
        }
    }
    (Source { id, paras }, text)
}

/// A straight-punctuation spelling of `s`, as a sloppy editor would type it.
fn straighten(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '–' | '—' => '-',
            c => c,
        })
        .collect()
}

/// How a claim file is made: the form, the evidence per claim and whether
/// every claim cites the first source.
#[derive(Clone, Copy)]
struct ClaimShape {
    form: Form,
    evidence: usize,
    hot_source: bool,
}

fn claim_file(
    rng: &mut Rng,
    index: usize,
    width: usize,
    shape: ClaimShape,
    sources: &[Source],
    earlier_claims: &[String],
) -> (String, String) {
    let ClaimShape {
        form,
        evidence,
        hot_source,
    } = shape;
    let claimed = random_date(rng);
    let reviewed = Date(claimed.0 + rng.range(1, 45) as i64);
    let name = format!("c{:0width$}", index + 1);
    let id = if (index + 1) % 4 == 0 {
        format!("{}/{name}", claimed.year())
    } else {
        name
    };
    let fm_kind = if (index + 1) % 10 == 0 {
        Fm::Yaml
    } else {
        Fm::Toml
    };

    // Distinct sources where there are enough of them.
    let mut cited: Vec<usize> = Vec::with_capacity(evidence);
    if hot_source {
        cited.push(0);
    }
    while cited.len() < evidence {
        let s = rng.below(sources.len());
        if cited.len() < sources.len() && cited.contains(&s) {
            continue;
        }
        cited.push(s);
    }

    let claim_len = rng.range(8, 16);
    let claim = sentence(rng, claim_len);
    let mut fm = FrontMatter::new(fm_kind);
    let verdict = VERDICTS[index % VERDICTS.len()];
    fm.string("claim", &claim);
    fm.string("verdict", verdict);
    fm.string("claimant", rng.pick(CLAIMANTS));
    fm.date("claimed", claimed);
    fm.date("reviewed", reviewed);
    if form == Form::Hugo {
        fm.string("title", &claim);
        fm.date("date", reviewed);
        fm.list("verdicts", &[verdict.to_string()]);
        let keys: Vec<String> = cited.iter().map(|&s| hugo_key(&sources[s].id)).collect();
        fm.list("cites", &keys);
    }
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let t = rng.pick(TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    fm.list("tags", &tags);
    if rng.chance(1, 3) {
        fm.list("appears_in", &[sources[cited[0]].id.clone()]);
    }

    let mut rows: Vec<Vec<(&str, String)>> = Vec::with_capacity(evidence);
    for (e, &s) in cited.iter().enumerate() {
        let src = &sources[s];
        let para = rng.pick_ref(&src.paras);
        let words: Vec<&str> = para.split(' ').collect();
        let len = rng.range(6, 20.min(words.len()));
        let start = rng.below(words.len() - len + 1);
        let mut quote = words[start..start + len].join(" ");
        if rng.chance(1, 5) {
            quote = straighten(&quote);
        }
        let note_len = rng.range(6, 14);
        let mut note = sentence(rng, note_len);
        if rng.chance(1, 3) {
            // Emphasise the note's second word (Markdown is allowed in notes).
            let mut ws: Vec<String> = note.split(' ').map(str::to_string).collect();
            if ws.len() > 2 {
                ws[1] = format!("*{}*", ws[1]);
            }
            note = ws.join(" ");
        }
        rows.push(vec![
            ("source", src.id.clone()),
            ("stance", STANCES[(index + e) % STANCES.len()].to_string()),
            ("quote", quote),
            ("note", note),
        ]);
    }
    fm.tables("evidence", &rows);

    let mut text = fm.finish();
    // Body: two paragraphs of analysis, the first linking a cited source.
    let see = &sources[cited[rng.below(cited.len())]].id;
    let (a, b) = (rng.range(2, 4), rng.range(2, 4));
    let first: Vec<String> = (0..a)
        .map(|_| {
            let l = rng.range(8, 16);
            sentence(rng, l)
        })
        .collect();
    let second: Vec<String> = (0..b)
        .map(|_| {
            let l = rng.range(8, 16);
            sentence(rng, l)
        })
        .collect();
    let _ = write!(
        text,
        "\n{} The record is clear on this point ([see]({})). {}\n",
        first[..1].join(" "),
        form.link("source", see),
        first[1..].join(" ")
    );
    let _ = write!(text, "\n{}", second.join(" "));
    if !earlier_claims.is_empty() && rng.chance(1, 5) {
        let other = rng.pick_ref(earlier_claims);
        let _ = write!(
            text,
            " Compare a [related claim]({}).",
            form.link("claim", other)
        );
    }
    text.push('\n');
    (id, text)
}

fn index_file(sources: usize, claims: usize, first_claim: Option<&str>, form: Form) -> String {
    let mut fm = FrontMatter::new(Fm::Toml);
    fm.string("title", "Synthetic briefing");
    fm.string(
        "description",
        "A generated briefing for benchmarks and end-to-end tests of factbrief.",
    );
    fm.string("publisher", "Factbrief Synthetic Desk");
    fm.date("published", Date(days_from_civil(2023, 1, 15)));
    let mut text = fm.finish();
    let _ = write!(
        text,
        "\nThis briefing was generated by `examples/gen.rs`. It checks {claims} claims \
         against {sources} source documents; every quoted passage is taken word for word \
         from the source it cites.\n\nRead [about this briefing]({}) for how it was made.",
        form.link("page", "about")
    );
    if let Some(c) = first_claim {
        let _ = write!(
            text,
            " The [first claim]({}) is a good place to start.",
            form.link("claim", c)
        );
    }
    text.push('\n');
    text
}

fn about_file(seed: u64) -> String {
    let mut fm = FrontMatter::new(Fm::Toml);
    fm.string("title", "About this briefing");
    fm.string("description", "How this synthetic briefing was produced.");
    fm.int("weight", 1);
    let mut text = fm.finish();
    let _ = write!(
        text,
        "\nEverything here is *synthetic*: the outlets, the authors and the claims are made up \
         by a deterministic generator (seed {seed}).\n\n\
         The words are drawn from a small vocabulary, so the text reads like English without \
         meaning anything. Quotes are exact passages of their sources – some typed with \
         straight quotes and hyphens, which the matcher accepts.\n"
    );
    text
}

// ---------------------------------------------------------------------------
// Command line and output

struct Args {
    sources: usize,
    claims: usize,
    seed: u64,
    evidence: usize,
    hot_source: bool,
    form: Form,
    force: bool,
    dir: PathBuf,
}

const USAGE: &str = "usage: gen --sources N --claims N [--seed N] [--evidence N] [--hot-source] [--form factbrief|hugo] [--force] DIR";

fn parse_args() -> Result<Args, String> {
    let mut sources = None;
    let mut claims = None;
    let mut seed = 1u64;
    let mut evidence = 5usize;
    let mut hot_source = false;
    let mut form = Form::Factbrief;
    let mut force = false;
    let mut dir = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut text = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        let mut value = |name: &str| -> Result<u64, String> {
            let v = text(name)?;
            v.parse::<u64>()
                .map_err(|_| format!("{name}: `{v}` is not a non-negative integer"))
        };
        match flag.as_str() {
            "--sources" => sources = Some(value("--sources")? as usize),
            "--claims" => claims = Some(value("--claims")? as usize),
            "--seed" => seed = value("--seed")?,
            "--evidence" => evidence = value("--evidence")? as usize,
            "--hot-source" => hot_source = true,
            "--form" => {
                form = match text("--form")?.as_str() {
                    "factbrief" => Form::Factbrief,
                    "hugo" => Form::Hugo,
                    other => return Err(format!("--form: `{other}` is not `factbrief` or `hugo`")),
                }
            }
            "--force" => force = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option `{f}`")),
            _ => {
                if dir.is_some() {
                    return Err(format!("unexpected extra argument `{arg}`"));
                }
                dir = Some(PathBuf::from(arg));
            }
        }
    }
    let sources = sources.ok_or("--sources is required")?;
    let claims = claims.ok_or("--claims is required")?;
    let dir = dir.ok_or("DIR is required")?;
    if evidence == 0 {
        return Err("--evidence must be at least 1 (every claim needs evidence)".into());
    }
    if claims > 0 && sources == 0 {
        return Err("claims need sources to cite: give --sources 1 or more".into());
    }
    Ok(Args {
        sources,
        claims,
        seed,
        evidence,
        hot_source,
        form,
        force,
        dir,
    })
}

/// Writes files on a few background threads while the main thread
/// generates, so that slow file creation overlaps with generation. Which
/// thread writes which file has no effect on the bytes written.
struct Writer {
    tx: Option<mpsc::SyncSender<(PathBuf, String)>>,
    threads: Vec<thread::JoinHandle<()>>,
    error: Arc<Mutex<Option<String>>>,
    files: usize,
    bytes: u64,
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    w.write_all(text.as_bytes())?;
    w.flush()
}

impl Writer {
    fn new() -> Writer {
        let n = thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 4);
        let (tx, rx) = mpsc::sync_channel::<(PathBuf, String)>(512);
        let rx = Arc::new(Mutex::new(rx));
        let error = Arc::new(Mutex::new(None));
        let threads = (0..n)
            .map(|_| {
                let rx = Arc::clone(&rx);
                let error = Arc::clone(&error);
                thread::spawn(move || loop {
                    let job = rx.lock().unwrap().recv();
                    let Ok((path, text)) = job else { return };
                    if let Err(e) = write_file(&path, &text) {
                        let mut slot = error.lock().unwrap();
                        slot.get_or_insert_with(|| format!("{}: {e}", path.display()));
                        return;
                    }
                })
            })
            .collect();
        Writer {
            tx: Some(tx),
            threads,
            error,
            files: 0,
            bytes: 0,
        }
    }

    fn write(&mut self, path: PathBuf, text: String) -> Result<(), String> {
        self.files += 1;
        self.bytes += text.len() as u64;
        let sent = self.tx.as_ref().map(|tx| tx.send((path, text)));
        if !matches!(sent, Some(Ok(()))) {
            // Every writer thread has stopped: report why.
            self.finish()?;
            return Err("file writer threads stopped unexpectedly".into());
        }
        Ok(())
    }

    /// Waits for every pending write; the first error, if any.
    fn finish(&mut self) -> Result<(), String> {
        self.tx = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        match self.error.lock().unwrap().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

fn run(args: &Args) -> Result<(usize, u64), String> {
    let content = args.dir.join("content");
    // Every folder a file can land in (ids only use the years 2021 and 2022).
    for sub in [
        "sources/2021",
        "sources/2022",
        "claims/2021",
        "claims/2022",
        "pages",
    ] {
        let d = content.join(sub);
        fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let mut rng = Rng::new(args.seed);
    let mut out = Writer::new();

    let width = 5.max(args.sources.to_string().len());
    let mut sources = Vec::with_capacity(args.sources);
    let src_dir = content.join("sources");
    let mut toks = Vec::with_capacity(128);
    for i in 0..args.sources {
        let (src, text) = source_file(&mut rng, &mut toks, i, width, args.form);
        out.write(src_dir.join(format!("{}.md", src.id)), text)?;
        sources.push(src);
    }

    let cwidth = 5.max(args.claims.to_string().len());
    let mut claim_ids: Vec<String> = Vec::with_capacity(args.claims);
    let claim_dir = content.join("claims");
    let shape = ClaimShape {
        form: args.form,
        evidence: args.evidence,
        hot_source: args.hot_source,
    };
    for i in 0..args.claims {
        let (id, text) = claim_file(&mut rng, i, cwidth, shape, &sources, &claim_ids);
        out.write(claim_dir.join(format!("{id}.md")), text)?;
        claim_ids.push(id);
    }

    out.write(
        content.join("_index.md"),
        index_file(
            args.sources,
            args.claims,
            claim_ids.first().map(String::as_str),
            args.form,
        ),
    )?;
    if args.form == Form::Hugo {
        for (path, text) in HUGO_FILES {
            let path = args.dir.join(path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            out.write(path, text.to_string())?;
        }
    }
    out.write(
        content.join("pages").join("about.md"),
        about_file(args.seed),
    )?;
    out.finish()?;
    Ok((out.files, out.bytes))
}

fn main() -> ExitCode {
    let started = Instant::now();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let content = args.dir.join("content");
    let occupied = match fs::symlink_metadata(&content) {
        Err(_) => false,
        Ok(m) if m.is_dir() => fs::read_dir(&content)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true),
        Ok(_) => true,
    };
    if occupied {
        if !args.force {
            eprintln!(
                "gen: {} already exists and is not empty; pass --force to replace it",
                content.display()
            );
            return ExitCode::from(2);
        }
        let removed = match fs::symlink_metadata(&content) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&content),
            _ => fs::remove_file(&content),
        };
        if let Err(e) = removed {
            eprintln!("gen: cannot remove {}: {e}", content.display());
            return ExitCode::FAILURE;
        }
    }

    match run(&args) {
        Ok((files, bytes)) => {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "gen: wrote {} files, {} bytes ({:.1} MiB) to {} in {:.2} s",
                files,
                bytes,
                bytes as f64 / (1024.0 * 1024.0),
                content.display(),
                secs
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}
