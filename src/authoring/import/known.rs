//! What the briefing already holds, so that no document is imported twice:
//! the `url` of every file in `content/sources/`, and a hash of its text as
//! rendered, white space normalised (so an HTML page and its import, or two
//! copies of one text file, are found whatever the Markdown's spelling).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::load::front_matter::{self, clean_text, Format};
use crate::markdown::{rendered_text, Trust};

/// How a document is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Same {
    /// A source has the same `url`.
    Url,
    /// A source has the same text.
    Text,
}

/// The sources of a briefing, by address and by text.
#[derive(Debug, Default)]
pub struct Known {
    urls: HashMap<String, PathBuf>,
    texts: HashMap<u64, PathBuf>,
}

#[derive(Deserialize)]
struct UrlOnly {
    url: Option<String>,
}

impl Known {
    /// Read every `.md` file under `root/content/sources/` (files that cannot be read are passed over).
    pub fn scan(root: &Path) -> Known {
        let mut known = Known::default();
        let folder = root.join("content/sources");
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for file in files {
            let Ok(raw) = std::fs::read_to_string(&file) else {
                continue;
            };
            let text = clean_text(raw);
            let Ok(split) = front_matter::split(&text, &file) else {
                continue;
            };
            let url = match split.format {
                Format::Toml => toml::from_str::<UrlOnly>(split.front_matter).ok(),
                Format::Yaml => serde_yaml_ng::from_str::<UrlOnly>(split.front_matter).ok(),
            }
            .and_then(|u| u.url);
            known.add(&file, url.as_deref(), split.body);
        }
        known
    }

    /// Record `file`, with its address and its Markdown body.
    pub fn add(&mut self, file: &Path, url: Option<&str>, body: &str) {
        if let Some(key) = url.and_then(url_key) {
            self.urls.entry(key).or_insert_with(|| file.to_path_buf());
        }
        if let Some(key) = text_key(body) {
            self.texts.entry(key).or_insert_with(|| file.to_path_buf());
        }
    }

    /// The file already holding the document at `url`.
    pub fn by_url(&self, url: &str) -> Option<&Path> {
        self.urls.get(&url_key(url)?).map(PathBuf::as_path)
    }

    /// The file already holding the text of the Markdown `body`.
    pub fn by_text(&self, body: &str) -> Option<&Path> {
        self.texts.get(&text_key(body)?).map(PathBuf::as_path)
    }
}

/// An address in a form where the same page compares equal: without the
/// scheme (http and https), the fragment, a default port or a trailing `/`,
/// with the host in lower case.
pub fn url_key(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let mut host = rest[..host_end].to_ascii_lowercase();
    for port in [":80", ":443"] {
        if let Some(h) = host.strip_suffix(port) {
            host = h.to_owned();
        }
    }
    let tail = &rest[host_end..];
    let (path, query) = tail.split_at(tail.find('?').unwrap_or(tail.len()));
    let path = path.trim_end_matches('/');
    Some(format!("{host}{path}{query}"))
}

/// A hash of the text `body` renders to, white space normalised; `None` for no text.
pub fn text_key(body: &str) -> Option<u64> {
    let text = rendered_text(body, Trust::Untrusted);
    let mut words = text.split_whitespace().peekable();
    words.peek()?;
    let mut h = DefaultHasher::new();
    for w in words {
        w.hash(&mut h);
    }
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_page_by_any_spelling() {
        let k = |u| url_key(u).unwrap();
        assert_eq!(
            k("https://News.Example/a/b/"),
            k("http://news.example:80/a/b#top")
        );
        assert_ne!(
            k("https://news.example/a?id=1"),
            k("https://news.example/a?id=2")
        );
        assert_eq!(url_key("ftp://x/y"), None);
    }

    #[test]
    fn the_same_text_by_any_markdown() {
        assert_eq!(
            text_key("One *two*\nthree.\n\n- four"),
            text_key("One two three.\n\nfour\n")
        );
        assert_ne!(text_key("One two."), text_key("One two three."));
        assert_eq!(text_key("  \n"), None);
    }
}
