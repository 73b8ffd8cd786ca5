//! `factbrief import FILE...`: plain-text articles into source files.
//!
//! One paragraph per line (blank lines are ignored), bullet lines kept as a
//! list. A leading `date YYYY-MM-DD` becomes `published`; the headline becomes
//! `title`, and a repeat of it (the same words, or a longer standfirst that
//! starts with them) is not kept twice. The text is escaped so that, as
//! Markdown, it renders to exactly the words of the file.

use std::path::{Path, PathBuf};

use super::{free_path, toml_string, write_new, UNFILLED};
use crate::diagnostic::{Error, Result};
use crate::load::{front_matter::clean_text, id, Date};

/// Longest line taken for a headline; longer first lines are body text.
const HEADLINE_MAX: usize = 200;

/// A plain-text article, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The date of a leading `date YYYY-MM-DD` line.
    pub published: Option<String>,
    /// The headline, if the text starts with one.
    pub title: Option<String>,
    /// Body blocks in order.
    pub blocks: Vec<Block>,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph's text.
    Paragraph(String),
    /// Consecutive bullet lines, without their bullets.
    List(Vec<String>),
}

/// Read a plain-text article.
pub fn parse(text: &str) -> Article {
    let text = clean_text(text.to_owned());
    let mut lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut published = None;
    let mut title = None;
    if let Some(first) = lines.first().copied() {
        let mut rest_of_first = Some(first);
        if let Some(after) = first.strip_prefix("date ") {
            let (date, rest) =
                after.split_at(after.find(char::is_whitespace).unwrap_or(after.len()));
            if Date::parse(date).is_ok() {
                published = Some(date.to_owned());
                let rest = rest.trim();
                rest_of_first = (!rest.is_empty()).then_some(rest);
            }
        }
        lines.remove(0);
        if let Some(r) = rest_of_first {
            lines.insert(0, r);
        }
    }
    if let Some(first) = lines.first().copied() {
        if first.chars().count() <= HEADLINE_MAX && bullet(first).is_none() {
            let mut headline = first.to_owned();
            lines.remove(0);
            if let Some(next) = lines.first().copied() {
                if is_repeat(&headline, next) {
                    if next.len() > headline.len() && next.starts_with(&headline) {
                        headline = next.to_owned();
                    }
                    lines.remove(0);
                }
            }
            title = Some(headline);
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    for line in lines {
        match (bullet(line), blocks.last_mut()) {
            (Some(item), Some(Block::List(items))) => items.push(item.to_owned()),
            (Some(item), _) => blocks.push(Block::List(vec![item.to_owned()])),
            (None, _) => blocks.push(Block::Paragraph(line.to_owned())),
        }
    }
    Article {
        published,
        title,
        blocks,
    }
}

/// Whether `next` repeats the headline: the same words give or take a few, or a longer version.
fn is_repeat(headline: &str, next: &str) -> bool {
    next.starts_with(headline) || strsim::normalized_levenshtein(headline, next) >= 0.8
}

fn bullet(line: &str) -> Option<&str> {
    ["- ", "• ", "* ", "– "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
}

/// Markdown for `text` that renders to exactly `text`.
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

/// The source file for `article` (the Markdown of a `content/sources/` file).
pub fn source_file(article: &Article) -> String {
    let title = match &article.title {
        Some(t) => toml_string(t),
        None => format!("\"{UNFILLED}: the headline (the text has none)\""),
    };
    let published = match &article.published {
        Some(d) => d.clone(),
        None => format!(
            "{} # {UNFILLED}: the date of publication (the text has none; this is the import date)",
            super::today()
        ),
    };
    let mut out = format!(
        "+++\ntitle = {title}\noutlet = \"{UNFILLED}: the publisher of the document\"\npublished = {published}\nretrieved = {}\n+++\n",
        super::today()
    );
    for block in &article.blocks {
        out.push('\n');
        match block {
            Block::Paragraph(p) => {
                out.push_str(&escape_markdown(p));
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&escape_markdown(item));
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Import each file into `content/sources/`, named by the file's name. Returns the files written.
pub fn import(root: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::usage_with_help(
                file,
                format!("{} is not UTF-8 text", file.display()),
                "convert it to UTF-8 first",
            )
        })?;
        let article = parse(&text);
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = if id::is_valid_segment(&stem) {
            stem
        } else {
            id::slug(&stem)
        };
        let wanted = if wanted.is_empty() {
            "source".to_owned()
        } else {
            wanted
        };
        let (_, path) = free_path(root, "sources", &wanted);
        write_new(&path, &source_file(&article))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{rendered_text, Trust};

    #[test]
    fn escaped_text_renders_to_itself() {
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
            "a | b | c ~~not struck~~",
            "back\\slash \\* and trailing \\",
            "“curly” ‘quotes’ – dashes — … and (PresidentialInsider.com)- text",
        ] {
            let md = escape_markdown(text);
            assert_eq!(
                rendered_text(&md, Trust::Untrusted).trim_matches('\n'),
                text,
                "{md}"
            );
        }
    }

    #[test]
    fn reads_date_headline_repeat_and_bullets() {
        let a = parse(" date 2021-12-30 The headline here.\n\nThe headline here!\n\nFirst para.\n- one\n- two\nLast para.\n");
        assert_eq!(a.published.as_deref(), Some("2021-12-30"));
        assert_eq!(a.title.as_deref(), Some("The headline here."));
        assert_eq!(
            a.blocks,
            vec![
                Block::Paragraph("First para.".into()),
                Block::List(vec!["one".into(), "two".into()]),
                Block::Paragraph("Last para.".into()),
            ]
        );
        // A longer standfirst repeating the headline is kept as the title.
        let a = parse("Short headline\nShort headline with more words\nBody.");
        assert_eq!(a.title.as_deref(), Some("Short headline with more words"));
        assert_eq!(a.blocks, vec![Block::Paragraph("Body.".into())]);
        // No headline: the first line is a long paragraph.
        let long = "word ".repeat(60);
        let a = parse(&format!("date 2022-01-01\n\n{long}\n"));
        assert_eq!(a.title, None);
        assert_eq!(a.blocks.len(), 1);
    }
}
