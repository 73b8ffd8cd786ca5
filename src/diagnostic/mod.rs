//! Problems found in a briefing, each located in a file and explained.
//!
//! Every stage reports what is wrong as [`Diagnostic`]s rather than stopping at
//! the first one, so an editor sees everything to fix in one run. [`report`]
//! shows them to people (with the offending lines) or to tools (JSON). Each has
//! a [`Code`], the stable name tools match on.

pub mod code;
pub mod findings;
pub mod report;

pub use code::Code;
pub use findings::Findings;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// Worth an editor's attention; the build still succeeds.
    Warning,
}

/// `s` with every control character shown as its visible picture (ESC as
/// `␛`), so that nothing a file or a file name holds drives the terminal.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// A secondary place a diagnostic points at, in the same file (e.g. "first cited here").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What this place has to do with the problem.
    pub message: String,
}

/// One problem, located in a file, with a hint of what to do.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem; [`Code::as_str`] is its stable name (`unknown-field`...), for tools.
    pub code: Code,
    /// The file at fault, relative to the site root where possible
    /// (empty when there is none, e.g. a port already in use).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places of the same file that explain the problem.
    pub labels: Vec<Label>,
    /// The cleaned text of `file` as it was diagnosed (line 1 is its first line),
    /// for excerpts; `None` when there is no text to show. Not compared by
    /// `==`, nor kept in the cache folder.
    #[serde(skip)]
    pub text: Option<Arc<str>>,
}

impl PartialEq for Diagnostic {
    /// Equal when they say the same thing about the same place; the text shown is not compared.
    fn eq(&self, other: &Self) -> bool {
        self.severity == other.severity
            && self.code == other.code
            && self.file == other.file
            && self.line == other.line
            && self.column == other.column
            && self.message == other.message
            && self.help == other.help
            && self.labels == other.labels
    }
}

impl Eq for Diagnostic {}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The text is a whole file: say only how long it is.
        let text = self.text.as_ref().map(|t| format!("<{} bytes>", t.len()));
        f.debug_struct("Diagnostic")
            .field("severity", &self.severity)
            .field("code", &self.code)
            .field("file", &self.file)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("message", &self.message)
            .field("help", &self.help)
            .field("labels", &self.labels)
            .field("text", &text)
            .finish()
    }
}

impl Diagnostic {
    /// An error of kind `code` in `file`, not yet located to a line.
    pub fn error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            text: None,
        }
    }

    /// A warning of kind `code` about `file`.
    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Locate the problem at a 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(saturate(line));
        self
    }

    /// Locate the problem at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(saturate(line));
        self.column = Some(saturate(column));
        self
    }

    /// Add advice on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Point also at 1-based `line` of the same file, saying `message` about it.
    pub fn with_label(mut self, line: usize, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            line: saturate(line),
            column: None,
            message: message.into(),
        });
        self
    }

    /// Give the cleaned text of the file the lines refer to, for excerpts.
    pub fn with_text(mut self, text: Arc<str>) -> Self {
        self.text = Some(text);
        self
    }
}

/// Give every diagnostic located to a line, and without a text yet, the text of
/// its file: `text_of(&d.file)`, asked once per file.
pub fn attach_texts(diags: &mut [Diagnostic], text_of: impl Fn(&Path) -> Option<Arc<str>>) {
    let mut texts: HashMap<PathBuf, Option<Arc<str>>> = HashMap::new();
    for d in diags
        .iter_mut()
        .filter(|d| d.text.is_none() && d.line.is_some())
    {
        d.text = texts
            .entry(d.file.clone())
            .or_insert_with(|| text_of(&d.file))
            .clone();
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.message)?;
        if !self.file.as_os_str().is_empty() {
            write!(f, "\n  --> {}", self.file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
        }
        for label in &self.labels {
            write!(f, "\n  = note: line {}: {}", label.line, label.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The briefing has problems an editor must fix.
    #[error("{}", render_all(.0))]
    Content(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The command was used in a way that cannot work (e.g. an unsafe output
    /// folder): one diagnostic of code [`Code::Usage`].
    #[error("{0}")]
    Usage(Box<Diagnostic>),
}

impl Error {
    /// Wrap an I/O error with the path it concerns.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A usage error about `file` (the path concerned; empty when there is none).
    pub fn usage(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Usage(Box::new(Diagnostic::error(Code::Usage, file, message)))
    }

    /// A usage error about `file`, with advice on what to do instead.
    pub fn usage_with_help(
        file: impl Into<PathBuf>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Error::Usage(Box::new(
            Diagnostic::error(Code::Usage, file, message).with_help(help),
        ))
    }

    /// What went wrong, as diagnostics (one for a usage or I/O error).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Content(d) => d.clone(),
            Error::Usage(d) => vec![(**d).clone()],
            Error::Io { path, source } => vec![io_diagnostic(path, source)],
        }
    }

    /// What went wrong, as diagnostics, without copying them.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Error::Content(d) => d,
            Error::Usage(d) => vec![*d],
            Error::Io { path, source } => vec![io_diagnostic(&path, &source)],
        }
    }
}

fn io_diagnostic(path: &Path, source: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, path, source.to_string())
}

fn render_all(diags: &[Diagnostic]) -> String {
    let shown: Vec<String> = diags.iter().map(Diagnostic::to_string).collect();
    format!(
        "{}\n\n{}; nothing was written",
        shown.join("\n\n"),
        report::summary(diags)
    )
}

/// Result type of the whole crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics while a stage goes on, so all of them can be reported.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Take the diagnostics recorded so far, leaving none.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.items)
    }

    /// The diagnostics recorded so far.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Record one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Record many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Fail with every diagnostic if any is an error; otherwise hand back the warnings.
    pub fn into_result(mut self) -> Result<Vec<Diagnostic>> {
        self.items
            .sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
        if self.has_errors() {
            Err(Error::Content(self.items))
        } else {
            Ok(self.items)
        }
    }
}

/// Closest candidate to `wrong` among `candidates`, if one is close enough to suggest.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field() {
        assert_eq!(
            did_you_mean("verdit", ["claim", "verdict", "tags"]),
            Some("verdict")
        );
        assert_eq!(did_you_mean("zzz", ["claim", "verdict"]), None);
    }

    #[test]
    fn display_names_file_line_and_help() {
        let d = Diagnostic::error(
            Code::UnknownField,
            "content/claims/a.md",
            "unknown field `verdit`",
        )
        .at(3, 1)
        .with_help("did you mean `verdict`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `verdit`\n  --> content/claims/a.md:3:1\n  = help: did you mean `verdict`?"
        );
    }

    #[test]
    fn equality_ignores_the_text() {
        let d = Diagnostic::warning(Code::StrayFile, "content/a.txt", "not read").at_line(2);
        assert_eq!(d.clone().with_text("a\nb\n".into()), d);
        assert_ne!(d.clone().with_label(1, "here"), d);
    }

    #[test]
    fn texts_are_attached_once_per_file_to_located_diagnostics() {
        let mut diags = vec![
            Diagnostic::error(Code::UnknownField, "a.md", "x").at_line(1),
            Diagnostic::error(Code::WrongType, "a.md", "y").at_line(2),
            Diagnostic::warning(Code::UncitedSource, "b.md", "z"),
            Diagnostic::error(Code::Template, "c.html", "w")
                .at_line(1)
                .with_text("kept".into()),
        ];
        let asked = std::cell::RefCell::new(Vec::new());
        attach_texts(&mut diags, |p| {
            asked.borrow_mut().push(p.to_path_buf());
            Some(Arc::from(format!("text of {}", p.display())))
        });
        assert_eq!(asked.into_inner(), [PathBuf::from("a.md")]);
        assert_eq!(diags[0].text.as_deref(), Some("text of a.md"));
        assert_eq!(diags[1].text.as_deref(), Some("text of a.md"));
        assert_eq!(diags[2].text, None);
        assert_eq!(diags[3].text.as_deref(), Some("kept"));
    }

    #[test]
    fn every_error_is_diagnostics() {
        let usage = Error::usage_with_help("public", "refusing", "use another folder");
        let d = usage.diagnostics();
        assert_eq!(
            (d[0].code, d[0].help.as_deref()),
            (Code::Usage, Some("use another folder"))
        );
        let io = Error::io(
            Path::new("public/x"),
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        );
        let d = io.into_diagnostics();
        assert_eq!(
            (d[0].code, d[0].file.as_path(), d[0].message.as_str()),
            (Code::Io, Path::new("public/x"), "denied")
        );
    }
}
