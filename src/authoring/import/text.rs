//! Plain-text articles: one paragraph per line (blank lines are ignored),
//! bullet lines kept as a list. A leading `date YYYY-MM-DD` becomes
//! `published`; the headline becomes `title`. A line repeating the headline
//! word for word is left out, and a longer standfirst starting with it becomes
//! the title; a line that is only close to the headline is kept in the body.
//! Each of these is said in [`Article::notes`], so no line goes unmentioned.

use super::escape::{escape_markdown, minimize_escapes};
use crate::load::{front_matter::clean_text, Date};

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
    /// What was done with lines that are not in the body as they were, for the editor.
    pub notes: Vec<String>,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph's text.
    Paragraph(String),
    /// Consecutive bullet lines, without their bullets.
    List(Vec<String>),
}

/// `s` cut to about `n` characters, for quoting a line in a note.
pub(super) fn excerpt(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(n).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Read a plain-text article.
pub fn parse(text: &str) -> Article {
    let text = clean_text(text.to_owned());
    // Each non-empty line with its 1-based line number, for the notes.
    let mut lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut published = None;
    let mut title = None;
    let mut notes = Vec::new();
    if let Some(&(n, first)) = lines.first() {
        if let Some(after) = first.strip_prefix("date ") {
            let (date, rest) =
                after.split_at(after.find(char::is_whitespace).unwrap_or(after.len()));
            if Date::parse(date).is_ok() {
                published = Some(date.to_owned());
                let rest = rest.trim();
                if rest.is_empty() {
                    lines.remove(0);
                } else {
                    lines[0] = (n, rest);
                }
            }
        }
    }
    if let Some(&(first_no, first)) = lines.first() {
        if first.chars().count() <= HEADLINE_MAX && bullet(first).is_none() {
            let mut headline = first.to_owned();
            lines.remove(0);
            if let Some(&(next_no, next)) = lines.first() {
                if next == headline {
                    notes.push(format!(
                        "line {next_no} repeats the headline word for word and was left out"
                    ));
                    lines.remove(0);
                } else if next.len() > headline.len()
                    && next.starts_with(&headline)
                    && next.chars().count() <= HEADLINE_MAX
                {
                    notes.push(format!(
                        "the headline on line {first_no} is the start of line {next_no}, which was taken as the title instead"
                    ));
                    headline = next.to_owned();
                    lines.remove(0);
                } else if is_close(&headline, next) {
                    notes.push(format!(
                        "line {next_no} («{}») is close to the headline but not the same: it was kept as the first paragraph",
                        excerpt(next, 60)
                    ));
                }
            }
            title = Some(headline);
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (_, line) in lines {
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
        notes,
    }
}

/// Whether `next` says nearly what the headline says (a reworded repeat).
fn is_close(headline: &str, next: &str) -> bool {
    strsim::normalized_levenshtein(headline, next) >= 0.8
}

fn bullet(line: &str) -> Option<&str> {
    ["- ", "• ", "* ", "– "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
}

/// The body of `article` as Markdown that renders to exactly its words.
pub fn body_markdown(article: &Article) -> String {
    let mut out = String::new();
    for block in &article.blocks {
        if !out.is_empty() {
            out.push('\n');
        }
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
    minimize_escapes(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{rendered_text, Trust};

    #[test]
    fn reads_date_headline_repeat_and_bullets() {
        let a = parse(" date 2021-12-30 The headline here.\n\nThe headline here.\n\nFirst para.\n- one\n- two\nLast para.\n");
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
        assert_eq!(
            a.notes,
            ["line 3 repeats the headline word for word and was left out"]
        );
        // A longer standfirst repeating the headline is kept as the title.
        let a = parse("Short headline\nShort headline with more words\nBody.");
        assert_eq!(a.title.as_deref(), Some("Short headline with more words"));
        assert_eq!(a.blocks, vec![Block::Paragraph("Body.".into())]);
        assert_eq!(a.notes.len(), 1);
        // No headline: the first line is a long paragraph.
        let long = "word ".repeat(60);
        let a = parse(&format!("date 2022-01-01\n\n{long}\n"));
        assert_eq!(a.title, None);
        assert_eq!(a.blocks.len(), 1);
        assert!(a.notes.is_empty());
    }

    #[test]
    fn a_reworded_headline_stays_in_the_body() {
        let a = parse(
            "The spy plane flew to gather intel\n\nThe spy plane flew to gain intel\n\nBody.",
        );
        assert_eq!(
            a.title.as_deref(),
            Some("The spy plane flew to gather intel")
        );
        assert_eq!(
            a.blocks,
            vec![
                Block::Paragraph("The spy plane flew to gain intel".into()),
                Block::Paragraph("Body.".into()),
            ]
        );
        assert!(
            a.notes[0].contains("kept as the first paragraph"),
            "{:?}",
            a.notes
        );
    }

    #[test]
    fn the_body_renders_to_the_lines_with_no_needless_backslash() {
        let a = parse("Title\n\nThank you, Mr. President!\n- *starred* item\n1. not a list\n");
        let md = body_markdown(&a);
        assert!(md.contains("Thank you, Mr. President!\n"), "{md}");
        assert_eq!(
            rendered_text(&md, Trust::Untrusted)
                .lines()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>(),
            [
                "Thank you, Mr. President!",
                "*starred* item",
                "1. not a list"
            ]
        );
    }
}
