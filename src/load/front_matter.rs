//! Splitting a file into front matter and body, and reading the front matter
//! (TOML between `+++` lines or YAML between `---` lines) into typed fields.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Code;
use crate::diagnostic::{did_you_mean, Diagnostic};

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// A file cut into its front matter and its Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter's language.
    pub format: Format,
    /// The text between the delimiter lines.
    pub front_matter: &'a str,
    /// 1-based line of the file on which the front matter text starts.
    pub front_matter_line: usize,
    /// Everything after the closing delimiter line.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Normalise what editors' tools add to text files: a byte-order mark and CRLF
/// line ends; and drop control characters, which HTML and XML do not allow.
pub fn clean_text(raw: String) -> String {
    let text = raw
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(raw);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    strip_controls(text)
}

/// Whether `c` is a control character other than tab and line feed, or one of
/// the two noncharacters XML 1.0 does not allow (U+FFFE, U+FFFF).
pub fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}'
}

/// `text` without control characters other than tab and line feed, nor U+FFFE and U+FFFF.
pub fn strip_controls(text: String) -> String {
    // Bytes first, in one pass: control characters are below 0x20, 0x7f, or C1
    // (U+0080 to U+009F: 0xc2 then 0x80 to 0x9f). Other chars starting with
    // 0xc2, such as `·` or `£`, which most pages have, are no reason to look again.
    let bytes = text.as_bytes();
    let at = |i: usize| {
        let b = bytes[i];
        (b < 0x20 && b != b'\t' && b != b'\n')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
            // U+FFFE and U+FFFF: 0xef 0xbf 0xbe or 0xbf.
            || (b == 0xef
                && bytes.get(i + 1) == Some(&0xbf)
                && bytes.get(i + 2).is_some_and(|n| *n == 0xbe || *n == 0xbf))
    };
    // Every page of a site passes here, so 64 bytes at a time, with no
    // branch inside (the compiler makes vector code of it), looked at closely
    // only where some byte could start a control character.
    const CHUNK: usize = 64;
    let maybe = bytes.chunks(CHUNK).enumerate().any(|(k, chunk)| {
        let suspect = chunk.iter().fold(0u8, |acc, &b| {
            acc | u8::from(b < 0x20 && b != b'\t' && b != b'\n')
                | u8::from(b == 0x7f)
                | u8::from(b == 0xc2)
                | u8::from(b == 0xef)
        });
        suspect != 0 && (k * CHUNK..k * CHUNK + chunk.len()).any(at)
    });
    if maybe {
        text.chars().filter(|&c| !is_control(c)).collect()
    } else {
        text
    }
}

/// Cut `text` (already cleaned) into front matter and body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_raw = text.split('\n').next().unwrap_or("");
    let first = first_raw.trim_end();
    let (format, delim) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            let msg = if text.trim().is_empty() {
                "the file is empty".to_owned()
            } else {
                "the file does not start with front matter".to_owned()
            };
            return Err(Diagnostic::error(Code::NoFrontMatter, file, msg).at(1, 1).with_help(
                "start the file with a line `+++`, the fields in TOML, and another `+++` line (or the same with `---` and YAML)",
            ));
        }
    };
    let fm_start = first_raw.len() + 1;
    let mut offset = fm_start.min(text.len());
    for (line_no, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if line.trim_end() == delim {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                front_matter: &text[fm_start.min(offset)..offset],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Code::UnterminatedFrontMatter,
        file,
        format!("the front matter opened with `{delim}` on line 1 is never closed"),
    )
    .at(1, 1)
    .with_help(format!(
        "add a line with only `{delim}` after the last field, before the body"
    )))
}

/// Read the front matter into `T`; `fields` are the names `T` accepts and
/// `entry_fields` those of its `[[evidence]]` entries, for suggestions. Every
/// unknown field is reported, each at its line, not only the first.
pub fn parse<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
    fields: &[&str],
    entry_fields: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    parse_one(split, file, fields).map_err(|d| {
        if d.code == Code::UnknownField {
            let all = unknown_fields(split, file, fields, entry_fields);
            if !all.is_empty() {
                return all;
            }
        }
        vec![d]
    })
}

/// The fields of the arrays of tables a document may have, by the array's name.
fn table_fields<'f>(name: &str, entry_fields: &'f [&'f str]) -> Option<&'f [&'f str]> {
    match name {
        "evidence" => Some(entry_fields),
        "corrections" => Some(&["date", "note"]),
        "verdicts" => Some(&["key", "label", "rating"]),
        _ => None,
    }
}

/// Every field of the front matter that `fields` (or, inside an array of
/// tables, that table's fields) does not know, each located at its own line.
fn unknown_fields(
    split: &Split<'_>,
    file: &Path,
    fields: &[&str],
    entry_fields: &[&str],
) -> Vec<Diagnostic> {
    // (field, the fields it should have been one of)
    let mut unknown: Vec<(String, &[&str])> = Vec::new();
    let mut check_table = |keys: Vec<(String, Option<Vec<Vec<String>>>)>| {
        for (k, entries) in keys {
            if !fields.contains(&k.as_str()) {
                unknown.push((k, fields));
                continue;
            }
            if let (Some(known), Some(entries)) = (table_fields(&k, entry_fields), entries) {
                for entry in entries {
                    for k2 in entry {
                        if !known.contains(&k2.as_str()) {
                            unknown.push((k2, known));
                        }
                    }
                }
            }
        }
    };
    match split.format {
        Format::Toml => {
            let Ok(table) = toml::from_str::<toml::Table>(split.front_matter) else {
                return Vec::new();
            };
            check_table(
                table
                    .iter()
                    .map(|(k, v)| {
                        let entries = v.as_array().map(|a| {
                            a.iter()
                                .filter_map(|e| e.as_table())
                                .map(|t| t.keys().cloned().collect())
                                .collect()
                        });
                        (k.clone(), entries)
                    })
                    .collect(),
            );
        }
        Format::Yaml => {
            let Ok(serde_yaml_ng::Value::Mapping(map)) =
                serde_yaml_ng::from_str::<serde_yaml_ng::Value>(split.front_matter)
            else {
                return Vec::new();
            };
            let key = |k: &serde_yaml_ng::Value| k.as_str().map(str::to_owned);
            check_table(
                map.iter()
                    .filter_map(|(k, v)| {
                        let entries = v.as_sequence().map(|a| {
                            a.iter()
                                .filter_map(|e| e.as_mapping())
                                .map(|m| m.keys().filter_map(key).collect())
                                .collect()
                        });
                        Some((key(k)?, entries))
                    })
                    .collect(),
            );
        }
    }
    // Each at the first line not yet taken where it is set (`name =` or `name:`).
    let lines: Vec<&str> = split.front_matter.lines().collect();
    let mut taken = vec![false; lines.len()];
    let mut diags: Vec<(usize, Diagnostic)> = unknown
        .into_iter()
        .map(|(name, known)| {
            let at = lines.iter().enumerate().position(|(i, l)| {
                !taken[i] && {
                    let l = l.trim_start().trim_start_matches("- ");
                    let l = l.trim_start_matches(['"', '\'']);
                    l.strip_prefix(name.as_str()).is_some_and(|rest| {
                        let rest = rest.trim_start_matches(['"', '\'']).trim_start();
                        rest.starts_with('=') || rest.starts_with(':')
                    })
                }
            });
            if let Some(i) = at {
                taken[i] = true;
            }
            let help = match did_you_mean(&name, known.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? The known fields are: {}",
                    known.join(", ")
                ),
                None => format!("remove it; the known fields are: {}", known.join(", ")),
            };
            let line = at.map_or(split.front_matter_line, |i| split.front_matter_line + i);
            let col = at.map_or(1, |i| lines[i].len() - lines[i].trim_start().len() + 1);
            (
                line,
                Diagnostic::error(Code::UnknownField, file, format!("unknown field `{name}`"))
                    .at(line, col)
                    .with_help(help),
            )
        })
        .collect();
    diags.sort_by_key(|(line, _)| *line);
    diags.into_iter().map(|(_, d)| d).collect()
}

/// Read the front matter into `T`: the first problem found.
fn parse_one<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
    fields: &[&str],
) -> Result<T, Diagnostic> {
    let (message, line, column) = match split.format {
        Format::Toml => match toml::from_str::<T>(split.front_matter) {
            Ok(v) => return Ok(v),
            Err(e) => {
                let (line, col) = e
                    .span()
                    .map(|s| line_col(split.front_matter, s.start))
                    .unwrap_or((1, 1));
                (e.message().trim().to_owned(), line, col)
            }
        },
        Format::Yaml => {
            // The YAML parser takes time quadratic in the depth of nested `[`/`{`:
            // no front matter needs more than a few levels.
            if let Some(at) = too_deep(split.front_matter) {
                let (line, col) = line_col(split.front_matter, at);
                return Err(Diagnostic::error(
                    Code::FrontMatterSyntax,
                    file,
                    format!(
                        "the front matter nests lists or tables more than {MAX_DEPTH} levels deep"
                    ),
                )
                .at(split.front_matter_line + line - 1, col)
                .with_help(
                    "front matter needs only a few levels: check the brackets around this line",
                ));
            }
            // An empty YAML document is no table at all; read it as an empty one
            // so the message is about the missing fields.
            let src = if split.front_matter.trim().is_empty() {
                "{}"
            } else {
                split.front_matter
            };
            match serde_yaml_ng::from_str::<T>(src) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let (line, col) = e
                        .location()
                        .map(|l| (l.line().max(1), l.column().max(1)))
                        .unwrap_or((1, 1));
                    let msg = e.to_string();
                    // serde_yaml_ng appends " at line N column M"; the location is reported separately.
                    let msg = match msg.find(" at line ") {
                        Some(i) => msg[..i].to_owned(),
                        None => msg,
                    };
                    (msg, line, col)
                }
            }
        }
    };
    if let Some(v) = with_unfilled_date(split) {
        return Ok(v);
    }
    let file_line = split.front_matter_line + line - 1;
    let line_text = split
        .front_matter
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("");
    let d = match slip(line_text, split.format) {
        // A slip editors make, said in their words, at the value.
        Some((message, help)) => {
            let col = line_text.find(['=', ':']).map_or(column, |i| {
                let after = &line_text[i + 1..];
                i + 2 + (after.len() - after.trim_start().len())
            });
            return Err(Diagnostic::error(Code::FrontMatterSyntax, file, message)
                .at(file_line, col)
                .with_help(help));
        }
        None => explain(&message, file, fields),
    };
    Err(d.at(file_line, column))
}

/// Fields whose values are dates.
const DATE_FIELDS: &[&str] = &[
    "published",
    "updated",
    "claimed",
    "reviewed",
    "retrieved",
    "date",
];

/// The slip an editor made on a line the parser refused, if it is one of the
/// usual ones: a date written another way, word-processor quotes, a quotation
/// mark inside a quoted value. A message and a help.
fn slip(line: &str, format: Format) -> Option<(String, String)> {
    let (key, value) = match format {
        Format::Toml => line.split_once('='),
        Format::Yaml => line.split_once(':'),
    }?;
    let key = key.trim().trim_start_matches(['{', ',', ' ', '-']).trim();
    let value = value.trim().trim_end_matches([',', '}']).trim();
    let first = value.chars().next()?;
    if matches!(
        first,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2018}' | '\u{2019}' | '\u{00AB}'
    ) {
        return Some((
            format!("the value of `{key}` is in typographic quotation marks"),
            "front matter needs straight quotes around a value: replace “ ” with \" \" (typographic quotes inside the value are fine)".to_owned(),
        ));
    }
    if DATE_FIELDS.contains(&key) && first != '"' && first != '\'' {
        // Anything with a digit that does not start as YYYY-MM-DD does.
        let b = value.as_bytes();
        let iso =
            b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-';
        if value.chars().any(|c| c.is_ascii_digit()) && !iso {
            return Some((
                format!("`{value}` is not a date factbrief reads"),
                format!("write dates as 2021-12-30 (year-month-day): `{key} = 2021-12-30`, or with a time, 2021-12-30T15:35:00-05:00"),
            ));
        }
    }
    if first == '"' && format == Format::Toml {
        // Quotation marks inside a value in quotation marks, not escaped.
        let inner = &value[1..];
        let unescaped = inner
            .char_indices()
            .filter(|(i, c)| *c == '"' && !inner[..*i].ends_with('\\'))
            .count();
        if unescaped > 1 {
            return Some((
                format!("the value of `{key}` has a quotation mark inside its quotation marks"),
                format!(
                    "write each inner \" as \\\", or put the value in single quotes: {key} = '{}'",
                    inner.trim_end_matches('"')
                ),
            ));
        }
    }
    None
}

/// The date a draft's unfilled `published` stands for when drafts are built.
pub const UNFILLED_DATE: &str = "0001-01-01";

/// A draft whose `published` still holds the `FILL IN` text `import` writes
/// where a document gives no date, read with [`UNFILLED_DATE`] in its place:
/// the draft is left out of `build` (and `check` names the field) rather than
/// stopping it. Only when that is the front matter's one problem.
fn with_unfilled_date<T: DeserializeOwned>(split: &Split<'_>) -> Option<T> {
    let unfilled =
        |v: Option<&str>| v.is_some_and(|s| s.starts_with(crate::link::editorial::UNFILLED));
    match split.format {
        Format::Toml => {
            let mut table: toml::Table = toml::from_str(split.front_matter).ok()?;
            if table.get("draft").and_then(toml::Value::as_bool) != Some(true)
                || !unfilled(table.get("published").and_then(toml::Value::as_str))
            {
                return None;
            }
            table.insert("published".into(), UNFILLED_DATE.into());
            toml::Value::Table(table).try_into().ok()
        }
        Format::Yaml => {
            let mut map: serde_yaml_ng::Mapping =
                serde_yaml_ng::from_str(split.front_matter).ok()?;
            if map.get("draft").and_then(serde_yaml_ng::Value::as_bool) != Some(true)
                || !unfilled(map.get("published").and_then(serde_yaml_ng::Value::as_str))
            {
                return None;
            }
            map.insert("published".into(), UNFILLED_DATE.into());
            serde_yaml_ng::from_value(serde_yaml_ng::Value::Mapping(map)).ok()
        }
    }
}

/// How deep `[` and `{` may nest in YAML front matter.
const MAX_DEPTH: usize = 64;

/// The byte offset where YAML flow collections nest deeper than [`MAX_DEPTH`],
/// if they do. Quoted strings and comments are skipped; block nesting (by
/// indentation) is bounded by the line length and is not counted.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for (i, c) in yaml.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Turn serde's message into one an editor can act on.
fn explain(message: &str, file: &Path, fields: &[&str]) -> Diagnostic {
    if let Some(name) = backticked_after(message, "unknown field `") {
        // Inside a table such as [[evidence]], serde lists that table's fields.
        let expected = backticked_list(message.split_once("expected").map_or("", |(_, r)| r));
        let known: Vec<&str> = if expected.is_empty() {
            fields.to_vec()
        } else {
            expected.iter().map(String::as_str).collect()
        };
        let help = match did_you_mean(&name, known.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? The known fields are: {}",
                known.join(", ")
            ),
            None => format!("remove it; the known fields are: {}", known.join(", ")),
        };
        return Diagnostic::error(Code::UnknownField, file, format!("unknown field `{name}`"))
            .with_help(help);
    }
    if let Some(name) = backticked_after(message, "unknown variant `") {
        let allowed = backticked_list(message.split_once("expected").map_or("", |(_, r)| r));
        let mut help = format!("use one of: {}", allowed.join(", "));
        if let Some(s) = did_you_mean(&name, allowed.iter().map(String::as_str)) {
            help = format!("did you mean `{s}`? {help}");
        }
        return Diagnostic::error(
            Code::BadValue,
            file,
            format!("`{name}` is not an allowed value here"),
        )
        .with_help(help);
    }
    if let Some(name) = backticked_after(message, "missing field `") {
        return Diagnostic::error(
            Code::MissingField,
            file,
            format!("the required field `{name}` is missing"),
        )
        .with_help(format!("add `{name}` to the front matter"));
    }
    if message.contains("invalid type") {
        return Diagnostic::error(Code::WrongType, file, format!("wrong type of value: {message}"))
            .with_help("check the field against the format: lists are written [\"a\", \"b\"], evidence as [[evidence]] tables");
    }
    if message.contains("duplicate") {
        return Diagnostic::error(Code::DuplicateField, file, message.to_owned())
            .with_help("keep one of them");
    }
    Diagnostic::error(
        Code::FrontMatterSyntax,
        file,
        format!("the front matter cannot be read: {message}"),
    )
    .with_help("check the syntax around this line")
}

fn backticked_after(message: &str, prefix: &str) -> Option<String> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')?;
    Some(message[start..start + end].to_owned())
}

fn backticked_list(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Line starts of a text, for many offset-to-line look-ups in one text.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index the lines of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in chars) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |t| t.chars().count())
            + 1;
        (line, col)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Meta {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }
    const FIELDS: &[&str] = &["title", "tags"];

    fn parse_str(text: &str) -> Result<Meta, Diagnostic> {
        let p = Path::new("content/x.md");
        let s = split(text, p)?;
        parse(&s, p, FIELDS, &[]).map_err(|mut ds| ds.remove(0))
    }

    #[test]
    fn control_characters_are_dropped_and_nothing_else() {
        let kept = "a·b £ c\u{a0}d\te\nf ü 日本".to_owned();
        assert_eq!(strip_controls(kept.clone()), kept);
        assert_eq!(
            strip_controls("a\u{7}b\u{85}c\u{9f}d\u{7f}e\rf·\u{fffe}\u{ffff}g\u{fffd}".to_owned()),
            "abcdef·g\u{fffd}"
        );
        // Anywhere in a long text, across the blocks it is looked at in.
        for at in 0..140 {
            for c in ['\u{1}', '\u{80}', '\u{ffff}', '\r'] {
                let long = format!("{}{c}{}", "x".repeat(at), "y".repeat(140 - at));
                let clean = format!("{}{}", "x".repeat(at), "y".repeat(140 - at));
                assert_eq!(strip_controls(long), clean, "{c:?} at {at}");
            }
            let kept = format!("{}\u{a0}\u{fffd}·{}", "x".repeat(at), "y".repeat(140 - at));
            assert_eq!(strip_controls(kept.clone()), kept, "at {at}");
        }
    }

    #[test]
    fn toml_and_yaml_read_the_same() {
        let t = parse_str("+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nbody").unwrap();
        let y = parse_str("---\ntitle: A\ntags: [x]\n---\nbody").unwrap();
        assert_eq!((t.title, t.tags), (y.title, y.tags));
    }

    #[test]
    fn body_and_its_first_line() {
        let s = split("+++\ntitle = \"A\"\n+++\nHello\n", Path::new("a.md")).unwrap();
        assert_eq!(s.body, "Hello\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(s.front_matter, "title = \"A\"\n");
    }

    #[test]
    fn empty_front_matter_and_body() {
        let s = split("+++\n+++", Path::new("a.md")).unwrap();
        assert_eq!(s.front_matter, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let d = parse_str("+++\ntitle = \"A\"\ntagz = []\n+++\n").unwrap_err();
        assert_eq!(d.message, "unknown field `tagz`");
        assert_eq!(d.line, Some(3));
        assert!(d.help.unwrap().starts_with("did you mean `tags`?"));
        let d = parse_str("---\ntitle: A\ntagz: []\n---\n").unwrap_err();
        assert_eq!(d.message, "unknown field `tagz`");
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn missing_field_wrong_type_and_bad_syntax() {
        let d = parse_str("+++\ntags = []\n+++\n").unwrap_err();
        assert_eq!(d.message, "the required field `title` is missing");
        let d = parse_str("+++\ntitle = \"A\"\ntags = \"x\"\n+++\n").unwrap_err();
        assert!(d.message.starts_with("wrong type"), "{}", d.message);
        assert_eq!(d.line, Some(3));
        let d = parse_str("+++\ntitle = \n+++\n").unwrap_err();
        assert_eq!(d.line, Some(2));
        let d = parse_str("---\n- a\n- b\n---\n").unwrap_err();
        assert!(d.message.starts_with("wrong type"), "{}", d.message);
        let d = parse_str("---\n---\n").unwrap_err();
        assert_eq!(d.message, "the required field `title` is missing");
    }

    #[test]
    fn a_draft_may_leave_its_date_to_fill_in() {
        #[derive(Debug, serde::Deserialize)]
        struct M {
            published: crate::load::Date,
            retrieved: Option<crate::load::Date>,
            #[serde(default)]
            draft: bool,
        }
        let toml =
            "+++\npublished = \"FILL IN: the date\"\nretrieved = 2021-12-30\ndraft = true\n+++\n";
        let yaml = "---\npublished: 'FILL IN: the date'\nretrieved: 2021-12-30\ndraft: true\n---\n";
        for text in [toml, yaml] {
            let split = split(text, Path::new("a.md")).unwrap();
            let m: M = parse(&split, Path::new("a.md"), &["published", "draft"], &[]).unwrap();
            assert_eq!(m.published.iso(), UNFILLED_DATE);
            assert_eq!(m.retrieved.map(|d| d.iso()).as_deref(), Some("2021-12-30"));
            assert!(m.draft);
        }
        // Not a draft: the date must be one.
        let text = "+++\npublished = \"FILL IN: the date\"\n+++\n";
        let split = split(text, Path::new("a.md")).unwrap();
        let e = parse::<M>(&split, Path::new("a.md"), &["published", "draft"], &[]).unwrap_err();
        assert!(e[0].message.contains("is not a date"), "{}", e[0].message);
    }

    #[test]
    fn missing_or_unterminated_front_matter() {
        let d = split("hello", Path::new("a.md")).unwrap_err();
        assert!(d.message.contains("does not start with front matter"));
        let d = split("", Path::new("a.md")).unwrap_err();
        assert_eq!(d.message, "the file is empty");
        let d = split("+++\ntitle = \"a\"\n", Path::new("a.md")).unwrap_err();
        assert!(d.message.contains("never closed"));
    }

    #[test]
    fn trailing_white_space_after_the_opening_line() {
        let s = split("+++ \ntitle = \"A\"\n+++\nbody", Path::new("a.md")).unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\n");
        // Multi-byte white space too, without a panic.
        let s = split("+++\u{a0}\ntitle = \"A\"\n+++\n", Path::new("a.md")).unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\n");
        let d = parse_str("+++ \ntitle = \"A\"\ntagz = []\n+++\n").unwrap_err();
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn bom_and_crlf_are_cleaned() {
        let t = clean_text("\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nx\r\n".to_owned());
        assert_eq!(t, "+++\ntitle = \"A\"\n+++\nx\n");
        let t = clean_text("a\u{0}b\u{7}c\u{b}d\u{7f}e\u{85}f\tg\n".to_owned());
        assert_eq!(t, "abcdef\tg\n");
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        for off in 0..=text.len() {
            if text.is_char_boundary(off) {
                assert_eq!(index.line_col(off), line_col(text, off), "{off}");
            }
        }
    }
}
