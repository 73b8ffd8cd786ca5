//! The briefing's settings from `content/_index.md`, checked and completed
//! with defaults: where the site is served, and the rating scale.

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Date, Document, IndexMeta, VerdictDef};

/// Where the site is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The path prefix, starting and ending with `/` (`/` or `/briefing/`).
    pub path: String,
    /// The absolute URL of the site root, ending with `/`, when one is known.
    pub absolute: Option<String>,
}

impl BaseUrl {
    /// Read `https://example.org/briefing`, `/briefing/` or `/`.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let with_slash = |p: &str| {
            if p.ends_with('/') {
                p.to_owned()
            } else {
                format!("{p}/")
            }
        };
        if let Some(rest) = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
        {
            if rest.is_empty() || rest.starts_with('/') {
                return Err(format!("`{s}` has no host"));
            }
            let path = rest.find('/').map_or("/", |i| &rest[i..]);
            return Ok(BaseUrl {
                path: with_slash(path),
                absolute: Some(with_slash(s)),
            });
        }
        if s.starts_with('/') && !s.starts_with("//") {
            return Ok(BaseUrl {
                path: with_slash(s),
                absolute: None,
            });
        }
        Err(format!(
            "`{s}` is neither an absolute http(s) URL nor a path starting with `/`"
        ))
    }

    /// The URL for a site-relative path: absolute when known, else rooted at the prefix.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{rel}", self.absolute.as_deref().unwrap_or(&self.path))
    }
}

/// One verdict of the scale in use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    /// What claims write.
    pub key: String,
    /// What readers see.
    pub label: String,
    /// Position on the 1..N scale, N best; none for verdicts outside the scale.
    pub rating: Option<u32>,
}

/// The rating scale in use.
#[derive(Debug, Clone)]
pub struct Scale {
    /// The verdicts, best first, then those outside the ordered scale.
    pub verdicts: Vec<Verdict>,
    /// The best rating (N).
    pub best: u32,
}

impl Scale {
    /// The format's default (docs/format.md): five ordered verdicts plus `misleading` and `unproven`.
    pub fn default_scale() -> Scale {
        let v = |key: &str, label: &str, rating| Verdict {
            key: key.into(),
            label: label.into(),
            rating,
        };
        Scale {
            verdicts: vec![
                v("true", "True", Some(5)),
                v("mostly-true", "Mostly true", Some(4)),
                v("mixed", "Mixed", Some(3)),
                v("mostly-false", "Mostly false", Some(2)),
                v("false", "False", Some(1)),
                v("misleading", "Misleading", None),
                v("unproven", "Unproven", None),
            ],
            best: 5,
        }
    }

    /// The position of `key` in the scale.
    #[cfg(test)]
    fn position(&self, key: &str) -> Option<usize> {
        self.verdicts.iter().position(|v| v.key == key)
    }

    /// The verdict `key`.
    pub fn get(&self, key: &str) -> Option<&Verdict> {
        self.verdicts.iter().find(|v| v.key == key)
    }
}

/// The briefing's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Briefing title.
    pub title: String,
    /// One-line summary.
    pub description: Option<String>,
    /// Who publishes the checks (ClaimReview author); the title when not given.
    pub publisher: String,
    /// BCP 47 language tag.
    pub language: String,
    /// Where the site is served.
    pub base: BaseUrl,
    /// When the briefing was published.
    pub published: Option<Date>,
    /// When it was last updated.
    pub updated: Option<Date>,
    /// The rating scale.
    pub scale: Scale,
    /// Items per page of a list (at least 1).
    pub paginate_by: usize,
    /// How readers reach the desk.
    pub contact: Option<Contact>,
}

/// How readers reach the desk: an e-mail address or a web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// As shown (`corrections@example.org`).
    pub text: String,
    /// As linked (`mailto:corrections@example.org`).
    pub href: String,
}

impl Contact {
    /// `s` as a contact: an e-mail address (`name@host.tld`) or an http(s) URL.
    pub fn parse(s: &str) -> Option<Contact> {
        let s = s.trim();
        let s = s.strip_prefix("mailto:").unwrap_or(s);
        if super::is_web_url(s) {
            return Some(Contact {
                text: s.to_owned(),
                href: s.to_owned(),
            });
        }
        let (user, host) = s.split_once('@')?;
        let ok = !user.is_empty()
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && s.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"'()[],;:\\".contains(c))
            && !host.contains('@');
        ok.then(|| Contact {
            text: s.to_owned(),
            href: format!("mailto:{s}"),
        })
    }
}

/// Items per page of a list when `paginate_by` is not given.
pub const PAGINATE_BY: usize = 50;

/// Check `_index.md`'s settings; `base_override` is `--base-url`.
pub fn settings(
    index: &Document<IndexMeta>,
    base_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Settings {
    let meta = &index.meta;
    let line_of = |key: &str| index.spans.key_or_start(key);
    let base = match base_override.or(meta.base_url.as_deref()) {
        None => BaseUrl {
            path: "/".into(),
            absolute: None,
        },
        Some(s) => BaseUrl::parse(s).unwrap_or_else(|msg| {
            let d = if base_override.is_some() {
                Diagnostic::error(Code::BadBaseUrl, "--base-url", msg)
            } else {
                Diagnostic::error(Code::BadBaseUrl, &index.file, format!("base_url: {msg}"))
                    .at_line(line_of("base_url"))
            };
            diags.push(d.with_help("write e.g. `https://example.org/briefing/` or `/briefing/`"));
            BaseUrl {
                path: "/".into(),
                absolute: None,
            }
        }),
    };
    let scale = match &meta.verdicts {
        None => Scale::default_scale(),
        Some(defs) => custom_scale(defs, index, line_of("verdicts"), diags),
    };
    let paginate_by = match meta.paginate_by {
        None => PAGINATE_BY,
        Some(0) => {
            diags.push(
                Diagnostic::error(Code::BadValue, &index.file, "paginate_by is 0")
                    .at_line(line_of("paginate_by"))
                    .with_help(format!("give the number of items per page of a list, at least 1 (the default is {PAGINATE_BY})")),
            );
            PAGINATE_BY
        }
        Some(n) => n as usize,
    };
    let contact = match meta.contact.as_deref() {
        None => {
            diags.push(
                Diagnostic::warning(Code::NoContact, &index.file, "the briefing gives readers no way to report an error")
                    .with_help("add `contact = \"corrections@example.org\"` (an e-mail address or a web address); it is shown in the footer and with the corrections"),
            );
            None
        }
        Some(c) => Contact::parse(c).or_else(|| {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    &index.file,
                    format!("contact `{c}` is neither an e-mail address nor an http(s) address"),
                )
                .at_line(line_of("contact"))
                .with_help("write e.g. `corrections@example.org` or `https://example.org/contact`"),
            );
            None
        }),
    };
    // Only the site's own setting: `--base-url` (as `serve` passes) is a deliberate choice.
    if base.absolute.is_none() && base_override.is_none() {
        let d = Diagnostic::warning(
            Code::RelativeBaseUrl,
            &index.file,
            format!("no absolute base_url: the addresses in the sitemap, the feeds and the ClaimReview data (JSON-LD, claimreview.json) will be relative to {}, and pages will carry no canonical URL and no Open Graph URL or share image", base.path),
        );
        let d = match meta.base_url {
            Some(_) => d.at_line(line_of("base_url")),
            None => d.at_line(line_of("contact")),
        };
        diags.push(d.with_help("set `base_url = \"https://example.org/briefing/\"` to where the site will be published (or pass --base-url), so search engines, feed readers and social networks can follow them"));
    }
    Settings {
        title: meta.title.clone(),
        description: meta.description.clone(),
        publisher: meta.publisher.clone().unwrap_or_else(|| meta.title.clone()),
        language: meta.language.clone().unwrap_or_else(|| "en".into()),
        base,
        published: meta.published,
        updated: meta.updated,
        scale,
        paginate_by,
        contact,
    }
}

fn custom_scale(
    defs: &[VerdictDef],
    index: &Document<IndexMeta>,
    line: usize,
    diags: &mut Diagnostics,
) -> Scale {
    let mut verdicts: Vec<Verdict> = Vec::new();
    for d in defs {
        if verdicts.iter().any(|v| v.key == d.key) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateVerdict,
                    &index.file,
                    format!("the verdict key `{}` is defined twice", d.key),
                )
                .at_line(line)
                .with_help("give each [[verdicts]] entry its own key"),
            );
        }
        if !crate::load::id::is_valid_segment(&d.key) {
            diags.push(
                Diagnostic::error(Code::BadVerdict, &index.file, format!("the verdict key `{}` is not valid", d.key))
                    .at_line(line)
                    .with_help("keys use lower-case letters a-z, digits, `-` and `_`, such as `mostly-accurate`"),
            );
        }
        if let Some(r) = d
            .rating
            .filter(|r| verdicts.iter().any(|v| v.rating == Some(*r)))
        {
            diags.push(
                Diagnostic::error(
                    Code::BadVerdict,
                    &index.file,
                    format!("two verdicts have rating {r}"),
                )
                .at_line(line)
                .with_help("give each verdict on the scale its own rating, 1 (worst) to N (best)"),
            );
        }
        verdicts.push(Verdict {
            key: d.key.clone(),
            label: d.label.clone(),
            rating: d.rating,
        });
    }
    if verdicts.is_empty() {
        diags.push(
            Diagnostic::error(Code::BadVerdict, &index.file, "`verdicts` is empty")
                .at_line(line)
                .with_help("define at least one [[verdicts]] entry, or remove `verdicts` to use the default scale"),
        );
    }
    let best = verdicts.iter().filter_map(|v| v.rating).max().unwrap_or(0);
    if verdicts.iter().any(|v| v.rating == Some(0)) {
        diags.push(
            Diagnostic::error(Code::BadVerdict, &index.file, "a verdict has rating 0")
                .at_line(line)
                .with_help("ratings run from 1 (worst) to N (best)"),
        );
    }
    // Ordered verdicts best first, then the unrated ones in file order.
    verdicts.sort_by_key(|v| std::cmp::Reverse(v.rating.unwrap_or(0)));
    Scale { verdicts, best }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let b = BaseUrl::parse("https://example.org/fc").unwrap();
        assert_eq!(b.path, "/fc/");
        assert_eq!(b.absolute.as_deref(), Some("https://example.org/fc/"));
        assert_eq!(b.url("claims/a/"), "https://example.org/fc/claims/a/");
        let b = BaseUrl::parse("https://example.org").unwrap();
        assert_eq!(b.path, "/");
        let b = BaseUrl::parse("/fc").unwrap();
        assert_eq!((b.path.as_str(), b.absolute), ("/fc/", None));
        assert!(BaseUrl::parse("fc/").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert!(BaseUrl::parse("//evil.org").is_err());
    }

    #[test]
    fn default_scale_order() {
        let s = Scale::default_scale();
        assert_eq!(s.position("true"), Some(0));
        assert_eq!(s.position("unproven"), Some(6));
        assert_eq!(s.best, 5);
    }
}
