//! Showing diagnostics: to people in the style of rustc (the offending line of
//! the file with a caret, coloured on a terminal), or to tools as JSON lines.
//!
//! Excerpts come only from [`Diagnostic::text`], the text that was diagnosed:
//! nothing here reads a file, so what is shown is what was checked.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Diagnostic, Label, Severity};

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people, on standard error.
    #[default]
    Human,
    /// One JSON object per line on standard output, for CI and editors.
    Json,
}

/// Whether standard error should get colour: a terminal, no `NO_COLOR`, not a dumb terminal.
pub fn stderr_wants_color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Line numbers of the diagnostics' texts, found once per text (a file with
/// thousands of diagnostics is not scanned once for each).
#[derive(Default)]
struct Lines {
    /// Where each line starts, by the text's address and length.
    starts: HashMap<(usize, usize), Vec<usize>>,
}

impl Lines {
    /// Line `n` (1-based) of `text`, without its line feed.
    fn get<'t>(&mut self, text: &'t str, n: u32) -> Option<&'t str> {
        let starts = self
            .starts
            .entry((text.as_ptr() as usize, text.len()))
            .or_insert_with(|| {
                std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .filter(|&s| s < text.len())
                    .collect()
            });
        let i = (n as usize).checked_sub(1)?;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let line = &text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// The column of a place on `line` of `d`'s text: `column` when known, else the
/// column where that line's value starts (`key = value`), or its first non-blank
/// character. `None` without a text.
fn column_of(
    lines: &mut Lines,
    d: &Diagnostic,
    line: Option<u32>,
    column: Option<u32>,
) -> Option<u32> {
    if column.is_some() {
        return column;
    }
    let target = lines.get(d.text.as_deref()?, line?)?;
    let span = span_in_line(target, None);
    Some(target[..span.start].chars().count() as u32 + 1)
}

/// The bytes of `target` (one line) to mark: from the 1-based `column` to the
/// next blank, or without a column the whole line, or only the value when it is
/// a `key = value` (or `key: value`) line.
fn span_in_line(target: &str, column: Option<usize>) -> Range<usize> {
    match column {
        Some(c) if c >= 1 => {
            let start = target
                .char_indices()
                .nth(c - 1)
                .map_or(target.len(), |(i, _)| i);
            let rest = &target[start..];
            // The word at the column, or its one char (whole: a multi-byte blank
            // such as U+00A0 must not be cut), or one past the end of the line.
            let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let len = if word > 0 {
                word
            } else {
                rest.chars().next().map_or(1, char::len_utf8)
            };
            start..(start + len).min(target.len().max(start + 1))
        }
        _ => {
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
            start..target.trim_end().len().max(start + 1)
        }
    }
}

/// Marks further apart than this many lines are shown as separate excerpts.
const JOIN_WITHIN: u32 = 6;

/// A place to mark in an excerpt: its line, column, and label (none for the primary one).
struct Mark<'a> {
    line: u32,
    column: Option<u32>,
    label: Option<&'a str>,
}

/// Consecutive lines of a diagnostic's text to show, with what to mark in them.
struct Section<'a> {
    /// The lines shown, each ending with a line feed.
    text: String,
    /// The number of the first line shown.
    line_start: usize,
    /// The bytes of `text` to mark, and how: the primary place, or a label.
    marks: Vec<(Range<usize>, Option<&'a str>)>,
}

/// The excerpts of `d`: the one of its line (with the line before, for
/// context) first, then those of its labels further away; and the labels whose
/// line is not in the text. `None` without a text, or when the line is not in it.
fn sections<'a>(
    lines: &mut Lines,
    d: &'a Diagnostic,
) -> Option<(Vec<Section<'a>>, Vec<&'a Label>)> {
    let text = d.text.as_deref()?;
    let line = d.line?;
    lines.get(text, line)?;
    let (placed, unplaced): (Vec<&Label>, Vec<&Label>) = d
        .labels
        .iter()
        .partition(|l| lines.get(text, l.line).is_some());
    let mut marks: Vec<Mark> = placed
        .iter()
        .map(|l| Mark {
            line: l.line,
            column: l.column,
            label: Some(l.message.as_str()),
        })
        .collect();
    marks.push(Mark {
        line,
        column: d.column,
        label: None,
    });
    marks.sort_by_key(|m| m.line);
    // Runs of marks close to each other.
    let mut runs: Vec<Vec<Mark>> = Vec::new();
    for m in marks {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|p| m.line - p.line <= JOIN_WITHIN) => run.push(m),
            _ => runs.push(vec![m]),
        }
    }
    // The run of the primary place first.
    runs.sort_by_key(|run| run.iter().all(|m| m.label.is_some()));
    let mut out = Vec::new();
    for run in runs {
        let primary = run.iter().any(|m| m.label.is_none());
        let last = run.iter().map(|m| m.line).max().unwrap_or(line);
        let mut first = run.iter().map(|m| m.line).min().unwrap_or(line);
        if primary {
            first = first.min(line.saturating_sub(1).max(1));
        }
        let mut shown = String::new();
        let mut starts = Vec::new();
        for n in first..=last {
            let l = lines.get(text, n).unwrap_or("");
            starts.push(shown.len());
            shown.push_str(l);
            shown.push('\n');
        }
        let marks = run
            .iter()
            .map(|m| {
                let i = (m.line - first) as usize;
                let target = lines.get(text, m.line).unwrap_or("");
                let r = span_in_line(target, m.column.map(|c| c as usize));
                (starts[i] + r.start..starts[i] + r.end, m.label)
            })
            .collect();
        out.push(Section {
            text: shown,
            line_start: first as usize,
            marks,
        });
    }
    Some((out, unplaced))
}

/// Render one diagnostic for people, with an excerpt of its text when it has one.
pub fn human(d: &Diagnostic, color: bool) -> String {
    human_in(&mut Lines::default(), d, color)
}

fn human_in(lines: &mut Lines, d: &Diagnostic, color: bool) -> String {
    if let Some(text) = plain_note(d, color) {
        return text;
    }
    annotated(lines, d, color)
}

/// What [`annotated`] writes of `d` when it is said in words alone, without
/// colour and with no excerpt nor label: `None` for any other. A briefing can
/// have thousands of such warnings (a source no claim cites), and the
/// renderer takes many times longer for each; a test checks that the two
/// write the same.
fn plain_note(d: &Diagnostic, color: bool) -> Option<String> {
    // Only lines the renderer writes as they are: it replaces control
    // characters, the zero-width joiner and the bidirectional controls.
    let plain = |s: &str| {
        !s.chars().any(|c| {
            c.is_control()
                || matches!(c, '\u{200d}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
    };
    let path = d.file.display().to_string();
    let location = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        (Some(l), None) => format!("{path}:{l}"),
        _ => path,
    };
    let simple = !color
        && d.text.is_none()
        && d.labels.is_empty()
        && !location.is_empty()
        && plain(&location)
        && plain(&d.message)
        && d.help.as_deref().is_none_or(plain);
    if !simple {
        return None;
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!(
        "{level}[{}]: {}\n |\n = note: in {location}",
        d.code.as_str(),
        d.message
    );
    if let Some(help) = &d.help {
        out.push_str("\nhelp: ");
        out.push_str(help);
    }
    Some(out)
}

/// `d` as the renderer of annotated snippets writes it.
fn annotated(lines: &mut Lines, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.file.display().to_string();
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let mut first = Group::with_title(title);
    let unplaced = match sections(lines, d) {
        Some((sections, unplaced)) => {
            for s in sections {
                let marks = s.marks.into_iter().map(|(span, label)| match label {
                    None => AnnotationKind::Primary.span(span),
                    Some(label) => AnnotationKind::Context.span(span).label(label),
                });
                first = first.element(
                    Snippet::source(s.text)
                        .line_start(s.line_start)
                        .path(path.as_str())
                        .annotations(marks),
                );
            }
            unplaced
        }
        None => {
            // No text to show (a built-in template, a folder, a command-line option): say where.
            let location = match (d.line, d.column) {
                (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
                (Some(l), None) => format!("{path}:{l}"),
                _ => path.clone(),
            };
            if !location.is_empty() {
                first = first.element(Level::NOTE.message(format!("in {location}")));
            }
            d.labels.iter().collect()
        }
    };
    // Labels the excerpt cannot show are said in words.
    for l in unplaced {
        first = first.element(Level::NOTE.message(format!("line {}: {}", l.line, l.message)));
    }
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

#[derive(Serialize)]
struct JsonLabel<'a> {
    line: u32,
    column: Option<u32>,
    message: &'a str,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
}

/// One diagnostic as a line of JSON (without the line feed).
pub fn json(d: &Diagnostic) -> String {
    json_in(&mut Lines::default(), d)
}

fn json_in(lines: &mut Lines, d: &Diagnostic) -> String {
    let j = JsonDiagnostic {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        code: d.code.as_str(),
        file: d.file.display().to_string(),
        line: d.line,
        column: column_of(lines, d, d.line, d.column),
        message: &d.message,
        help: d.help.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                line: l.line,
                column: column_of(lines, d, Some(l.line), l.column),
                message: &l.message,
            })
            .collect(),
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

/// Print `diags` in `format`: for people on standard error, as JSON lines on
/// standard output (where nothing else goes in that format).
pub fn print(diags: &[Diagnostic], format: Format) {
    // (Made before standard error or output is locked: a thread printing waits for the lock.)
    match format {
        Format::Human => {
            let color = stderr_wants_color();
            let texts = rendered(diags, |lines, d| human_in(lines, d, color) + "\n\n");
            write_all(&mut std::io::stderr().lock(), texts);
        }
        Format::Json => {
            let texts = rendered(diags, |lines, d| json_in(lines, d) + "\n");
            let mut out = std::io::stdout().lock();
            write_all(&mut out, texts);
            let _ = out.flush();
        }
    }
}

/// `diags` as `each` writes them, in chunks made side by side (thousands of
/// warnings), each keeping the lines of the texts it quotes, in their order.
fn rendered(
    diags: &[Diagnostic],
    each: impl Fn(&mut Lines, &Diagnostic) -> String + Sync,
) -> Vec<String> {
    use rayon::prelude::*;
    const CHUNK: usize = 256;
    diags
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut lines = Lines::default();
            chunk.iter().map(|d| each(&mut lines, d)).collect()
        })
        .collect()
}

fn write_all(out: &mut impl Write, texts: Vec<String>) {
    for text in texts {
        // A closed pipe (`factbrief check | head`) is not worth a panic.
        if out.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    const CLAIM: &str = "+++\nclaim = \"x\"\nverdit = \"true\"\n+++\n";

    #[test]
    fn a_column_on_a_multi_byte_blank_does_not_cut_it() {
        let text: std::sync::Arc<str> = "title =\u{a0}\"x\"\nnext\u{3000}line\n".into();
        for (line, column) in [(1, 8), (2, 5), (1, 30)] {
            let d = Diagnostic::error(super::super::Code::FrontMatterSyntax, "a.md", "m")
                .at(line, column)
                .with_text(text.clone());
            let shown = human(&d, false);
            assert!(shown.contains("a.md"), "{shown}");
        }
    }

    #[test]
    fn a_warning_in_words_alone_is_written_as_the_renderer_writes_it() {
        let base = |severity, message: &str| Diagnostic {
            severity,
            ..Diagnostic::warning(Code::UncitedSource, "content/sources/s1.md", message)
        };
        let long = "word ".repeat(60);
        let cases = [
            base(Severity::Warning, "source `s1` is not cited by any claim"),
            base(
                Severity::Error,
                "the verdict « faux » is not on the scale: 30 ديسمبر, 三月",
            ),
            base(Severity::Warning, &long).with_help(long.clone()),
            base(Severity::Warning, "m").with_help("cite it, or remove it"),
            base(Severity::Warning, "m").at_line(12),
            base(Severity::Warning, "m").at(3, 14).with_help("h"),
            base(Severity::Warning, "  leading and trailing blanks  ").with_help(" h "),
            base(Severity::Warning, "").with_help(""),
            base(Severity::Warning, "   "),
            base(Severity::Warning, &"漢字 ".repeat(400)).with_help("é\u{301} \u{feff}\u{a0}"),
            Diagnostic::warning(Code::UncitedSource, r"C:\briefing\content\s.md", "m")
                .at(123456, 7890),
            Diagnostic::warning(Code::UncitedSource, "dossier/ü ñ.md", "m"),
        ];
        for d in &cases {
            assert_eq!(
                plain_note(d, false).as_deref(),
                Some(annotated(&mut Lines::default(), d, false).as_str()),
                "{d:?}"
            );
        }
        // Anything else is left to the renderer.
        let others = [
            base(Severity::Warning, "m").with_text("a\nb\n".into()),
            base(Severity::Warning, "two\nlines"),
            base(Severity::Warning, "a\ttab"),
            base(Severity::Warning, "bidi \u{202e}override"),
            base(Severity::Warning, "a C1 control \u{85}"),
            base(Severity::Warning, "m").with_help("joiner \u{200d}"),
            base(Severity::Warning, "m").with_help("two\nlines"),
            base(Severity::Warning, "m").with_label(1, "here"),
            Diagnostic::warning(Code::UncitedSource, "", "no file"),
        ];
        for d in &others {
            assert_eq!(plain_note(d, false), None, "{d:?}");
        }
        assert_eq!(
            plain_note(&cases[0], true),
            None,
            "colour is the renderer's"
        );
    }

    #[test]
    fn human_shows_the_line_and_a_caret() {
        let d = Diagnostic::error(
            Code::UnknownField,
            "content/claims/a.md",
            "unknown field `verdit`",
        )
        .at(3, 1)
        .with_help("did you mean `verdict`?")
        .with_text(CLAIM.into());
        let out = human(&d, false);
        assert!(
            out.contains("error[unknown-field]: unknown field `verdit`"),
            "{out}"
        );
        assert!(out.contains("--> content/claims/a.md:3:1"), "{out}");
        assert!(out.contains("3 | verdit = \"true\""), "{out}");
        assert!(out.contains("^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `verdict`?"), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour codes when plain");
        assert!(human(&d, true).contains('\u{1b}'));
    }

    #[test]
    fn without_text_the_place_is_said_but_not_shown() {
        // A file on disk is never read: only the text given is shown.
        let d = Diagnostic::error(Code::UnknownField, "Cargo.toml", "unknown field `verdit`")
            .at_line(3)
            .with_label(1, "first here");
        let out = human(&d, false);
        assert!(out.contains("note: in Cargo.toml:3"), "{out}");
        assert!(out.contains("note: line 1: first here"), "{out}");
        assert!(!out.contains(" | "), "no excerpt: {out}");
        // No column is made up without the text.
        assert!(
            json(&d).contains(r#""line":3,"column":null"#),
            "{}",
            json(&d)
        );
    }

    #[test]
    fn a_usage_error_without_a_file_says_no_place() {
        let d = Diagnostic::error(Code::Usage, "", "cannot listen on 127.0.0.1:1: denied");
        let out = human(&d, false);
        assert!(out.starts_with("error[usage]: cannot listen"), "{out}");
        assert!(!out.contains("note"), "{out}");
    }

    #[test]
    fn labels_are_secondary_annotations_and_json_fields() {
        let text = "+++\nclaim = \"x\"\n[[evidence]]\nquote = \"troops\"\n[[evidence]]\nnote = \"n\"\nquote = \"troops\"\n+++\n";
        let d = Diagnostic::warning(Code::DuplicateCitation, "c.md", "cited twice")
            .at_line(7)
            .with_label(4, "first cited here")
            .with_text(text.into());
        let out = human(&d, false);
        assert!(out.contains("4 | quote = \"troops\""), "{out}");
        assert!(out.contains("7 | quote = \"troops\""), "{out}");
        assert!(out.contains("first cited here"), "{out}");
        assert!(out.contains("^^^^^^^^"), "the primary caret: {out}");
        assert!(out.contains("--------"), "the secondary underline: {out}");
        assert!(
            json(&d).ends_with(r#""labels":[{"line":4,"column":9,"message":"first cited here"}]}"#),
            "{}",
            json(&d)
        );
    }

    #[test]
    fn json_is_one_line_with_every_field() {
        let d = Diagnostic::warning(
            Code::UncitedSource,
            "content/sources/x.md",
            "no claim cites this source",
        );
        assert_eq!(
            json(&d),
            r#"{"severity":"warning","code":"uncited-source","file":"content/sources/x.md","line":null,"column":null,"message":"no claim cites this source","help":null}"#
        );
    }
}
