//! The theme: Tera templates and static files, built in (embedded in the
//! binary) and overridden file by file by the site's own `templates/` and `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Error, Result};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Built into the binary.
    Embedded(&'static [u8]),
    /// The site's `static/` folder.
    File(PathBuf),
}

/// The theme a site renders with.
pub struct Theme {
    /// Every template, built-in ones replaced by the site's of the same name.
    pub tera: Tera,
    /// Static files by output path (`/`-separated, relative to the output root).
    pub statics: BTreeMap<String, StaticSource>,
    /// Templates the site overrides or adds (names), to name the right file in errors.
    site_templates: Vec<String>,
    /// The text of every template, by name, for excerpts in diagnostics.
    texts: BTreeMap<String, Arc<str>>,
    /// The site's translation tables (`i18n/<lang>.toml`), checked.
    pub site_tables: super::i18n::SiteTables,
    /// The fingerprint of the templates (see [`super::fingerprint`]).
    fingerprint: u128,
}

impl Theme {
    /// The built-in theme with the overrides found under `root`.
    pub fn load(root: &Path) -> Result<Theme> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        for file in embedded_files(&TEMPLATES) {
            if let Some(text) = file.contents_utf8() {
                sources.insert(slash_path(file.path()), text.to_owned());
            }
        }
        let mut site_templates = Vec::new();
        let tdir = root.join("templates");
        for (name, path) in site_files(root, &tdir, false)? {
            if !matches!(
                Path::new(&name).extension().and_then(|e| e.to_str()),
                Some("html" | "xml" | "txt" | "json")
            ) {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::Content(vec![Diagnostic::error(
                    Code::Template,
                    crate::load::rel(root, &path),
                    format!("cannot read the template: {e}"),
                )
                .with_help("templates must be UTF-8 text files")])
            })?;
            // The repo root is itself a site whose templates are the built-in ones.
            if sources.get(&name) != Some(&text) {
                site_templates.push(name.clone());
            }
            sources.insert(name, text);
        }
        let texts = sources
            .iter()
            .map(|(n, t)| (n.clone(), Arc::from(t.as_str())))
            .collect();
        let site_tables = super::i18n::SiteTables::load(root)?;
        let fingerprint =
            super::fingerprint::of_texts(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        let mut theme = Theme {
            tera: Tera::new(),
            statics: BTreeMap::new(),
            site_templates,
            texts,
            site_tables,
            fingerprint,
        };
        // Templates are checked for the functions they call as they are added;
        // each render registers these again in the briefing's language.
        Arc::new(super::i18n::Translations::english()).register(&mut theme.tera);
        if let Err(e) = theme
            .tera
            .add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(Error::Content(vec![theme.diagnose(&e)]));
        }

        for file in embedded_files(&STATIC) {
            theme.statics.insert(
                slash_path(file.path()),
                StaticSource::Embedded(file.contents()),
            );
        }
        for (name, path) in site_files(root, &root.join("static"), true)? {
            theme.statics.insert(name, StaticSource::File(path));
        }
        Ok(theme)
    }

    /// The fingerprint of the templates: of every one's name and text (the
    /// pages rendered depend on nothing else of the theme but its words).
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The theme's words in language `tag`, and whether a table (built in or
    /// the site's) speaks it; without one they are English.
    pub fn translations(&self, tag: &str) -> (super::i18n::Translations, bool) {
        super::i18n::Translations::new(tag, &self.site_tables)
    }

    /// A located diagnostic for a template error: the template file and line.
    pub fn diagnose(&self, err: &tera::Error) -> Diagnostic {
        let help = "fix the template at this line; Tera's syntax is described at https://keats.github.io/tera/";
        if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = err.kind() {
            return self.in_text(
                Diagnostic::error(
                    Code::Template,
                    self.template_file(r.filename()),
                    r.message().to_owned(),
                )
                .at(r.span().start_line, r.span().start_col + 1)
                .with_help(help),
                r.filename(),
            );
        }
        let mut message = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        // Checks made when templates are added (unknown filters, tests, includes)
        // come as report text: `error: <what>` then ` --> <template>:<line>:<col>`.
        if let Some((what, name, line, col)) = parse_report(&message) {
            return self.in_text(
                Diagnostic::error(Code::Template, self.template_file(name), what.to_owned())
                    .at(line, col)
                    .with_help(help),
                name,
            );
        }
        Diagnostic::error(Code::Template, "templates/", message)
            .with_help("check the templates named in the message")
    }

    /// `d`, showing its excerpt from template `name`.
    fn in_text(&self, d: Diagnostic, name: &str) -> Diagnostic {
        match self.texts.get(name) {
            Some(t) => d.with_text(t.clone()),
            None => d,
        }
    }

    /// How to name template `name` in a message: the site's file, or the built-in one.
    fn template_file(&self, name: &str) -> String {
        if self.site_templates.iter().any(|t| t == name) {
            format!("templates/{name}")
        } else {
            format!("templates/{name} (built-in theme)")
        }
    }
}

/// The first `error: <what>` and ` --> <name>:<line>:<col>` of a Tera report.
fn parse_report(report: &str) -> Option<(&str, &str, usize, usize)> {
    let what = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))?;
    let what = what.trim_start_matches("error: ");
    let place = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((what, parts.next()?, line, col))
}

/// JSON with `<`, `>` and `&` escaped, so no string in it can close the script element.
pub fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        out.extend(d.files());
        stack.extend(d.dirs());
    }
    out.sort_by_key(|f| f.path());
    out
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files under `dir` (if it exists) by `/`-separated relative name; dot-files
/// (`.nojekyll`, `.htaccess`) are kept when `dotfiles`.
fn site_files(root: &Path, dir: &Path, dotfiles: bool) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let site = crate::load::inside::SiteRoot::new(root);
    let mut outside = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::usage(&path, format!("cannot read {}: {e}", path.display()))
        })?;
        if let Some(d) = site.check_entry(&entry) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            outside.push(d);
            continue;
        }
        let hidden = !dotfiles && entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.push((slash_path(rel), entry.into_path()));
        }
    }
    if !outside.is_empty() {
        return Err(Error::Content(outside));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_report_text() {
        let r = "error: Unknown filter `x`\n --> page.html:3:17\n  |\n3 | {{ a | x }}";
        assert_eq!(
            parse_report(r),
            Some(("Unknown filter `x`", "page.html", 3, 17))
        );
        assert_eq!(parse_report("no report"), None);
    }
}
