//! `factbrief import`: articles into source files in `content/sources/`.
//!
//! An input is a plain-text file ([`text`]), a saved web page (`.html`,
//! `.htm`, or any file that starts like HTML; [`html`]), or an `http(s)://`
//! address, fetched ([`fetch`]) and read as a page or as text by its type.
//! Each is handled on its own: one that cannot be read or fetched, or that the
//! briefing already holds ([`known`]), is reported and the others go on.
//!
//! What a document does not say is written `FILL IN: ...`, and a source with
//! anything to fill in is written as a draft (`draft = true`), so it is never
//! published by accident; a missing date is never replaced by today's. What is
//! left out of the text, or could not be kept as it was, is said in the notes
//! of the [`Outcome`] (and as comments in the file).

pub mod escape;
pub mod fetch;
pub mod html;
pub mod known;
pub mod meta;
pub mod text;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use escape::escape_markdown;
pub use known::Same;
pub use text::{parse, Article, Block};

use super::{free_path, toml_string, write_new, UNFILLED};
use crate::diagnostic::{Error, Result};
use crate::load::{id, Date};

/// How `import` goes about its work.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The longest a web page may take to arrive, redirects included.
    pub timeout: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            timeout: Duration::from_secs(20),
        }
    }
}

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// Written to `path`.
    Imported {
        /// The input as given.
        input: String,
        /// The source file written.
        path: PathBuf,
        /// The fields left `FILL IN` (the file is then a draft).
        unfilled: Vec<&'static str>,
        /// Where each field was read from, for HTML (`title (JSON-LD headline)`...).
        read: Vec<String>,
        /// What was left out or changed, for the editor.
        notes: Vec<String>,
    },
    /// Not imported: the briefing already holds it.
    AlreadyThere {
        /// The input as given.
        input: String,
        /// The source file that holds it.
        file: PathBuf,
        /// The same address, or the same text.
        same: Same,
    },
    /// Not imported: it could not be read or fetched.
    Failed {
        /// The input as given.
        input: String,
        /// Why.
        error: Error,
    },
}

/// A source about to be written.
#[derive(Debug, Clone, Default)]
struct Draft {
    title: Option<String>,
    outlet: Option<String>,
    /// The date, in a form `published` takes.
    published: Option<String>,
    /// What the document gives for a date when it is not one factbrief reads.
    unread_date: Option<String>,
    url: Option<String>,
    authors: Vec<String>,
    language: Option<String>,
    kind: Option<&'static str>,
    body: String,
    /// Where each field was read from.
    read: Vec<String>,
    notes: Vec<String>,
    /// What the document is: "page" or "text".
    what: &'static str,
}

/// Import each input into `root/content/sources/`. Never fails as a whole:
/// each input has its [`Outcome`], in order.
pub fn import(root: &Path, inputs: &[PathBuf], options: &ImportOptions) -> Vec<Outcome> {
    let mut known = known::Known::scan(root);
    inputs
        .iter()
        .map(|input| {
            let shown = input.display().to_string();
            match import_one(root, input, options, &mut known) {
                Ok(outcome) => outcome,
                Err(error) => Outcome::Failed {
                    input: shown,
                    error,
                },
            }
        })
        .collect()
}

/// An `http://` or `https://` address (`Ok`), another `scheme://` (`Err`), or a path (`None`).
fn as_url(input: &Path) -> Option<std::result::Result<&str, &str>> {
    let s = input.to_str()?;
    let (scheme, _) = s.split_once("://")?;
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return None;
    }
    Some(
        if matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            Ok(s)
        } else {
            Err(scheme)
        },
    )
}

fn import_one(
    root: &Path,
    input: &Path,
    options: &ImportOptions,
    known: &mut known::Known,
) -> Result<Outcome> {
    let shown = input.display().to_string();
    let (mut draft, wanted_id) = match as_url(input) {
        Some(Err(scheme)) => {
            return Err(Error::usage_with_help(
                &shown,
                format!("`{scheme}://` addresses are not fetched: only http:// and https:// are"),
                "for a file on this machine, give its path instead",
            ))
        }
        Some(Ok(url)) => {
            if let Some(file) = known.by_url(url) {
                return Ok(Outcome::AlreadyThere {
                    input: shown,
                    file: file.to_path_buf(),
                    same: Same::Url,
                });
            }
            let fetched = fetch::fetch(url, options.timeout)?;
            let mut draft = match fetched.kind {
                fetch::Kind::Html => from_html(&fetched.text, Some(&fetched.final_url)),
                fetch::Kind::Text => from_text(&fetched.text),
            };
            draft.url.get_or_insert_with(|| fetched.final_url.clone());
            draft.notes.extend(fetched.notes);
            let id = id_from_url(draft.url.as_deref().unwrap_or(url), draft.title.as_deref());
            (draft, id)
        }
        None => {
            let bytes = std::fs::read(input).map_err(|e| {
                Error::usage_with_help(
                    input,
                    format!("cannot read {}: {e}", input.display()),
                    "check the path; for a web page, give its http:// or https:// address",
                )
            })?;
            let ext = input
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let is_html =
                matches!(ext.as_str(), "html" | "htm" | "xhtml") || fetch::looks_like_html(&bytes);
            let (text, note) = fetch::decode(&bytes, None, is_html).map_err(|why| {
                Error::usage_with_help(
                    input,
                    format!("{} is not readable text: {why}", input.display()),
                    "save it as UTF-8 (or, for a web page, with a <meta charset> naming its encoding)",
                )
            })?;
            let mut draft = if is_html {
                let mut d = from_html(&text, None);
                if !matches!(ext.as_str(), "html" | "htm" | "xhtml") {
                    d.notes
                        .insert(0, "read as a web page: it starts like HTML".to_owned());
                }
                d
            } else {
                from_text(&text)
            };
            draft.notes.extend(note);
            let stem = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = if id::is_valid_segment(&stem) {
                stem
            } else {
                id::slug(&stem)
            };
            (draft, id)
        }
    };
    if let Some(file) = draft.url.as_deref().and_then(|u| known.by_url(u)) {
        return Ok(Outcome::AlreadyThere {
            input: shown,
            file: file.to_path_buf(),
            same: Same::Url,
        });
    }
    if let Some(file) = known.by_text(&draft.body) {
        return Ok(Outcome::AlreadyThere {
            input: shown,
            file: file.to_path_buf(),
            same: Same::Text,
        });
    }
    if draft.body.trim().is_empty() {
        draft.notes.push(format!(
            "no text was found in the {} besides its headline: paste the article in below the front matter",
            draft.what
        ));
    }
    let wanted = if wanted_id.is_empty() {
        super::fallback_id("source", &draft.body)
    } else {
        wanted_id
    };
    let (_, path) = free_path(root, "sources", &wanted);
    let (file_text, unfilled) = source_file(&draft, &shown, &super::today());
    write_new(&path, &file_text)?;
    known.add(&path, draft.url.as_deref(), &draft.body);
    Ok(Outcome::Imported {
        input: shown,
        path,
        unfilled,
        read: draft.read,
        notes: draft.notes,
    })
}

/// A draft from a plain-text article.
fn from_text(text: &str) -> Draft {
    let article = text::parse(text);
    Draft {
        title: article.title.clone(),
        published: article.published.clone(),
        body: text::body_markdown(&article),
        notes: article.notes,
        what: "text",
        ..Draft::default()
    }
}

/// A draft from a web page, fetched from `page_url` if it was.
fn from_html(html_text: &str, page_url: Option<&str>) -> Draft {
    let ex = html::extract(html_text, page_url);
    let m = ex.meta;
    let mut read = Vec::new();
    let mut note_read = |field: &str, from: &str| read.push(format!("{field} ({from})"));
    let title = match (&m.title, &ex.html_title) {
        (Some(t), _) => {
            note_read("title", t.from);
            Some(t.value.clone())
        }
        (None, Some(t)) => {
            note_read("title", "the HTML <title> or heading");
            Some(t.clone())
        }
        (None, None) => None,
    };
    let outlet = m.outlet.as_ref().map(|o| {
        note_read("outlet", o.from);
        o.value.clone()
    });
    let (published, unread_date) = match &m.published {
        Some(p) => match normalize_date(&p.value) {
            Some(d) => {
                note_read("published", p.from);
                (Some(d), None)
            }
            None => (None, Some(p.value.clone())),
        },
        None => (None, None),
    };
    let authors = match (&m.authors, &ex.byline) {
        (Some((names, from)), _) => {
            note_read("authors", from);
            names.clone()
        }
        (None, Some(byline)) => {
            let name = meta::strip_by(byline);
            if name.is_empty() {
                Vec::new()
            } else {
                note_read("authors", "the byline");
                vec![name]
            }
        }
        (None, None) => Vec::new(),
    };
    let url = match (&m.url, page_url) {
        (Some(u), _) => {
            note_read("url", u.from);
            Some(u.value.clone())
        }
        (None, Some(p)) => {
            note_read("url", "the address fetched, after redirects");
            Some(p.to_owned())
        }
        (None, None) => None,
    };
    let language = m.language.as_ref().map(|l| {
        note_read("language", l.from);
        l.value.clone()
    });
    Draft {
        title,
        outlet,
        published,
        unread_date,
        url,
        authors,
        language,
        kind: m.kind,
        body: ex.body,
        read,
        notes: ex.notes,
        what: "page",
    }
}

/// `raw` as a date `published` takes (a day, or an RFC 3339 date-time), if it is one.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if let Ok(d) = Date::parse(s) {
        return Some(d.iso());
    }
    // `+0000` for `+00:00`, and no seconds.
    let b = s.as_bytes();
    if b.len() > 5
        && matches!(b[b.len() - 5], b'+' | b'-')
        && b[b.len() - 4..].iter().all(u8::is_ascii_digit)
        && s.contains('T')
    {
        let fixed = format!("{}:{}", &s[..s.len() - 2], &s[s.len() - 2..]);
        if let Ok(d) = Date::parse(&fixed) {
            return Some(d.iso());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(d) = chrono::DateTime::parse_from_str(s, fmt) {
            return Some(d.to_rfc3339());
        }
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y%m%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    // A day followed by a time in a form not read: the day is enough.
    if s.len() > 10 && matches!(b[10], b'T' | b' ') {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d") {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// An id for a page at `url`: the last words of its path, else its title.
fn id_from_url(url: &str, title: Option<&str>) -> String {
    let path = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let segment = path
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty())
        .last()
        .map(|s| {
            s.rsplit_once('.')
                .map_or(s, |(stem, ext)| if ext.len() <= 5 { stem } else { s })
        })
        .unwrap_or("");
    // Words that name no article.
    const GENERIC: &[&str] = &[
        "index", "default", "home", "amp", "print", "article", "story", "page", "news", "content",
        "claim",
    ];
    if !id::slug(segment).is_empty() {
        let from_path = super::claim_id(segment);
        if !GENERIC.contains(&from_path.as_str())
            && from_path.chars().any(|c| c.is_ascii_alphabetic())
        {
            return from_path;
        }
    }
    match title.filter(|t| !id::slug(t).is_empty()) {
        Some(t) => super::claim_id(t),
        None => super::fallback_id("source", title.unwrap_or(url)),
    }
}

/// A one-line comment for the front matter (never holding the `FILL IN` marker, which `check` would take for a field).
fn comment(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("# {}\n", one_line.replace(UNFILLED, "FILL-IN"))
}

/// The text of the source file for `draft`, imported from `from` on `today`,
/// and the fields left to fill in.
fn source_file(draft: &Draft, from: &str, today: &str) -> (String, Vec<&'static str>) {
    let mut unfilled = Vec::new();
    let what = draft.what;
    let mut out = String::from("+++\n");
    match &draft.title {
        Some(t) => out.push_str(&format!("title = {}\n", toml_string(t))),
        None => {
            unfilled.push("title");
            out.push_str(&format!(
                "title = \"{UNFILLED}: the headline (the {what} gives none)\"\n"
            ));
        }
    }
    match &draft.outlet {
        Some(o) => out.push_str(&format!("outlet = {}\n", toml_string(o))),
        None => {
            unfilled.push("outlet");
            out.push_str(&format!(
                "outlet = \"{UNFILLED}: the publisher of the document (the {what} does not name it)\"\n"
            ));
        }
    }
    match (&draft.published, &draft.unread_date) {
        (Some(d), _) => out.push_str(&format!("published = {}\n", toml_date(d))),
        (None, said) => {
            unfilled.push("published");
            let why = match said {
                Some(s) => format!(
                    "the {what} says “{}”, which is not a date factbrief reads",
                    text::excerpt(s, 40)
                ),
                None => format!("the {what} gives none"),
            };
            out.push_str(&format!(
                "published = {}\n",
                toml_string(&format!(
                    "{UNFILLED}: the date of publication, YYYY-MM-DD ({why})"
                ))
            ));
        }
    }
    if let Some(kind) = draft.kind {
        out.push_str(&format!("kind = \"{kind}\"\n"));
    }
    if let Some(url) = &draft.url {
        out.push_str(&format!("url = {}\n", toml_string(url)));
    }
    if !draft.authors.is_empty() {
        let list: Vec<String> = draft.authors.iter().map(|a| toml_string(a)).collect();
        out.push_str(&format!("authors = [{}]\n", list.join(", ")));
    }
    if let Some(lang) = &draft.language {
        out.push_str(&format!("language = {}\n", toml_string(lang)));
    }
    out.push_str(&format!("retrieved = {today}\n"));
    out.push_str(&comment(&format!(
        "Imported by `factbrief import` from {from}."
    )));
    if !draft.read.is_empty() {
        out.push_str(&comment(&format!("Read: {}.", draft.read.join(", "))));
    }
    for note in &draft.notes {
        out.push_str(&comment(&format!("Note: {note}.")));
    }
    if !unfilled.is_empty() {
        out.push_str(&comment(
            "A draft, left out of `build`: fill in the fields marked above, then remove this line and the next.",
        ));
        out.push_str("draft = true\n");
    }
    out.push_str("+++\n\n");
    out.push_str(draft.body.trim_end());
    out.push('\n');
    (out, unfilled)
}

/// `date` (a day or an RFC 3339 date-time) as a TOML value: a bare date or date-time where TOML takes it.
fn toml_date(date: &str) -> String {
    if toml::from_str::<toml::Table>(&format!("d = {date}")).is_ok() {
        date.to_owned()
    } else {
        toml_string(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_pages_write_them() {
        let n = |s| normalize_date(s);
        assert_eq!(n("2021-12-30").as_deref(), Some("2021-12-30"));
        assert_eq!(
            n("2021-12-30T18:42:00-05:00").as_deref(),
            Some("2021-12-30T18:42:00-05:00")
        );
        assert_eq!(
            n("2021-12-30T18:42:00+0000").as_deref(),
            Some("2021-12-30T18:42:00+00:00")
        );
        assert_eq!(
            n("2021-12-30T18:42+01:00").as_deref(),
            Some("2021-12-30T18:42:00+01:00")
        );
        assert_eq!(
            n("Thu, 30 Dec 2021 18:42:00 GMT").as_deref(),
            Some("2021-12-30T18:42:00+00:00")
        );
        assert_eq!(n("20211230").as_deref(), Some("2021-12-30"));
        assert_eq!(n("2021-12-30T6pm").as_deref(), Some("2021-12-30"));
        assert_eq!(n("30 December 2021"), None);
        assert_eq!(n("2021-12"), None);
    }

    #[test]
    fn ids_from_addresses() {
        assert_eq!(
            id_from_url("https://n.example/world/2021/12/30/biden-putin-call", None),
            "biden-putin-call"
        );
        assert_eq!(
            id_from_url("https://n.example/report.html?id=1", None),
            "report"
        );
        assert_eq!(
            id_from_url("https://n.example/a/123456", Some("Putin calls Biden")),
            "putin-calls-biden"
        );
        // Nothing to name it by: a short stable id, never a bare `source`.
        let bare = id_from_url("https://n.example/", None);
        assert!(bare.starts_with("source-") && bare.len() == 13, "{bare}");
        assert_eq!(bare, id_from_url("https://n.example/", None));
        let punct = id_from_url("https://n.example/a/index.html", Some("¿?"));
        assert!(punct.starts_with("source-"), "{punct}");
        assert_eq!(
            id_from_url("https://n.example/a/index.html", Some("Путин позвонил")),
            "putin-pozvonil"
        );
        assert_eq!(id_from_url("https://n.example/og", None), "og");
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert_eq!(
            as_url(Path::new("https://x.example/a")),
            Some(Ok("https://x.example/a"))
        );
        assert_eq!(
            as_url(Path::new("HTTP://x.example/a")),
            Some(Ok("HTTP://x.example/a"))
        );
        assert_eq!(as_url(Path::new("ftp://x.example/a")), Some(Err("ftp")));
        assert_eq!(as_url(Path::new("notes/a.txt")), None);
        assert_eq!(as_url(Path::new("C:/a.txt")), None);
    }
}
