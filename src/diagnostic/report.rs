//! Showing diagnostics: to people in the style of rustc (the offending line of
//! the file with a caret, coloured on a terminal), or to tools as JSON lines.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Diagnostic, Severity};

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people.
    #[default]
    Human,
    /// One JSON object per line, for CI and editors.
    Json,
}

/// Whether standard error should get colour: a terminal, no `NO_COLOR`, not a dumb terminal.
pub fn stderr_wants_color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// The column of `d`, or, for a diagnostic located to a line only, the column
/// where that line's value starts (`key = value`), or its first non-blank char.
fn column_in(files: &mut Files, d: &Diagnostic, root: &Path) -> Option<u32> {
    if d.column.is_some() {
        return d.column;
    }
    let line = d.line?;
    let (text, _, span) = excerpt(files, &root.join(&d.file), line as usize, None)?;
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    Some(text[line_start..span.start].chars().count() as u32 + 1)
}

/// Render one diagnostic for people. `root` is the site root its file is relative to.
pub fn human(d: &Diagnostic, root: &Path, color: bool) -> String {
    human_in(&mut Files::default(), d, root, color)
}

fn human_in(files: &mut Files, d: &Diagnostic, root: &Path, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.file.display().to_string();
    let excerpt = d.line.and_then(|line| {
        excerpt(
            files,
            &root.join(&d.file),
            line as usize,
            d.column.map(|c| c as usize),
        )
    });
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let first = match &excerpt {
        Some((text, start_line, span)) => title.element(
            Snippet::source(text.as_str())
                .line_start(*start_line)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(span.clone())),
        ),
        None => {
            // No text to show (a built-in template, a folder, a command-line option): say where.
            let location = match (d.line, d.column) {
                (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
                (Some(l), None) => format!("{path}:{l}"),
                _ => path.clone(),
            };
            title.element(Level::NOTE.message(format!("in {location}")))
        }
    };
    let mut groups = vec![first];
    if let Some(help) = &d.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&groups)
}

/// The lines to show for `line` of `file`: (text, its first line number, the span to mark).
/// The lines of the files diagnostics point into, each file read once.
#[derive(Default)]
struct Files {
    cache: HashMap<PathBuf, Option<Vec<String>>>,
}

impl Files {
    fn lines(&mut self, file: &Path) -> Option<&[String]> {
        self.cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let meta = std::fs::metadata(file).ok()?;
                if !meta.is_file() || meta.len() > 64 << 20 {
                    return None;
                }
                let raw = String::from_utf8_lossy(&std::fs::read(file).ok()?).into_owned();
                let text = crate::load::front_matter::clean_text(raw);
                Some(text.lines().map(str::to_owned).collect())
            })
            .as_deref()
    }
}

fn excerpt(
    files: &mut Files,
    file: &Path,
    line: usize,
    column: Option<usize>,
) -> Option<(String, usize, std::ops::Range<usize>)> {
    let lines = files.lines(file)?;
    let target = lines.get(line.checked_sub(1)?)?.as_str();
    // One line of context before, when there is one.
    let (shown, start_line, offset) = match line.checked_sub(2).and_then(|i| lines.get(i)) {
        Some(prev) => (format!("{prev}\n{target}\n"), line - 1, prev.len() + 1),
        None => (format!("{target}\n"), line, 0),
    };
    let span = match column {
        Some(c) if c >= 1 => {
            let start = target
                .char_indices()
                .nth(c - 1)
                .map_or(target.len(), |(i, _)| i);
            let rest = &target[start..];
            let len = rest
                .find(char::is_whitespace)
                .unwrap_or(rest.len())
                .max(1)
                .min(rest.len().max(1));
            offset + start..offset + (start + len).min(target.len().max(start + 1))
        }
        _ => {
            // The whole line, or only the value when it is a `key = value` line.
            let mut start = target.len() - target.trim_start().len();
            let body = &target[start..];
            let key_len = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(0);
            let after_key = body[key_len..].trim_start();
            if key_len > 0 && (after_key.starts_with('=') || after_key.starts_with(": ")) {
                let value = after_key[1..].trim_start();
                if !value.is_empty() {
                    start = target.len() - value.len();
                }
            }
            offset + start..offset + target.trim_end().len().max(start + 1)
        }
    };
    Some((shown, start_line, span))
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    file: String,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
    help: Option<&'a str>,
}

/// One diagnostic as a line of JSON; `root` is the site root its file is relative to.
pub fn json(d: &Diagnostic, root: &Path) -> String {
    json_in(&mut Files::default(), d, root)
}

fn json_in(files: &mut Files, d: &Diagnostic, root: &Path) -> String {
    let j = JsonDiagnostic {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        code: d.code.as_str(),
        file: d.file.display().to_string(),
        line: d.line,
        column: column_in(files, d, root),
        message: &d.message,
        help: d.help.as_deref(),
    };
    serde_json::to_string(&j).unwrap_or_default()
}

/// `2 errors and 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} and {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Print `diags` to standard error in `format`.
pub fn print(diags: &[Diagnostic], root: &Path, format: Format) {
    let color = stderr_wants_color();
    let mut files = Files::default();
    let mut err = std::io::stderr().lock();
    for d in diags {
        let text = match format {
            Format::Human => format!("{}\n", human_in(&mut files, d, root, color)),
            Format::Json => json_in(&mut files, d, root),
        };
        // A closed pipe (`factbrief check | head`) is not worth a panic.
        if std::io::Write::write_all(&mut err, format!("{text}\n").as_bytes()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn human_shows_the_line_and_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/claims")).unwrap();
        std::fs::write(
            dir.path().join("content/claims/a.md"),
            "+++\nclaim = \"x\"\nverdit = \"true\"\n+++\n",
        )
        .unwrap();
        let d = Diagnostic::error(
            Code::UnknownField,
            "content/claims/a.md",
            "unknown field `verdit`",
        )
        .at(3, 1)
        .with_help("did you mean `verdict`?");
        let out = human(&d, dir.path(), false);
        assert!(
            out.contains("error[unknown-field]: unknown field `verdit`"),
            "{out}"
        );
        assert!(out.contains("--> content/claims/a.md:3:1"), "{out}");
        assert!(out.contains("3 | verdit = \"true\""), "{out}");
        assert!(out.contains("^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `verdict`?"), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour codes when plain");
        assert!(human(&d, dir.path(), true).contains('\u{1b}'));
    }

    #[test]
    fn json_is_one_line_with_every_field() {
        let d = Diagnostic::warning(
            Code::UncitedSource,
            "content/sources/x.md",
            "no claim cites this source",
        );
        let j = json(&d, Path::new("/nonexistent"));
        assert_eq!(
            j,
            r#"{"severity":"warning","code":"uncited-source","file":"content/sources/x.md","line":null,"column":null,"message":"no claim cites this source","help":null}"#
        );
    }
}
