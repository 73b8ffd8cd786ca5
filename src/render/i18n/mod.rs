//! The theme's words in the briefing's language: built-in tables (the TOML
//! files beside this module), a site's `i18n/<lang>.toml` over them, plural
//! forms by the language's CLDR rule, dates with the language's month names,
//! and the text direction.
//!
//! Templates get two functions: `trans(key=..., n=..., name=value...)` gives
//! the text (escaped like any value), `trans_html(...)` the same with its
//! arguments put in as HTML (the template escapes what it passes).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Locale;

use crate::diagnostic::{Code, Diagnostic, Error, Result};
use crate::load::Date;

/// The built-in tables: language subtag and TOML text.
pub const BUILTIN: [(&str, &str); 14] = [
    ("ar", include_str!("ar.toml")),
    ("de", include_str!("de.toml")),
    ("en", include_str!("en.toml")),
    ("es", include_str!("es.toml")),
    ("fr", include_str!("fr.toml")),
    ("hi", include_str!("hi.toml")),
    ("id", include_str!("id.toml")),
    ("it", include_str!("it.toml")),
    ("ja", include_str!("ja.toml")),
    ("pt", include_str!("pt.toml")),
    ("ru", include_str!("ru.toml")),
    ("tr", include_str!("tr.toml")),
    ("uk", include_str!("uk.toml")),
    ("zh", include_str!("zh.toml")),
];

/// The endings of plural forms, as CLDR names the categories.
pub const PLURAL_ENDINGS: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// The primary language subtag of a BCP 47 tag, lower-cased (`pt-BR` → `pt`).
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Whether `tag` is a language written from right to left.
pub fn is_rtl(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    // A script subtag says it outright (`az-Arab`, `ku-Arab`, `pa-Arab`).
    if lower
        .split(['-', '_'])
        .skip(1)
        .any(|s| matches!(s, "arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm"))
    {
        return true;
    }
    matches!(
        primary(tag).as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" | "syr" | "ku"
    ) && !lower.contains("-latn")
}

/// `rtl` or `ltr`.
pub fn direction(tag: &str) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The built-in table for `tag`, if there is one: the whole tag, else its
/// primary subtag (Chinese in traditional script has none: the table is simplified).
pub fn builtin_for(tag: &str) -> Option<(&'static str, &'static str)> {
    let lower = tag.to_ascii_lowercase();
    let p = primary(tag);
    if p == "zh"
        && ["hant", "tw", "hk", "mo"]
            .iter()
            .any(|s| lower.split(['-', '_']).skip(1).any(|part| part == *s))
    {
        return None;
    }
    BUILTIN.iter().find(|(l, _)| *l == p).copied()
}

/// The CLDR plural category of the integer `n` in language `lang` (cardinal).
pub fn plural_category(lang: &str, n: u64) -> &'static str {
    let (i10, i100) = (n % 10, n % 100);
    match primary(lang).as_str() {
        "ja" | "zh" | "id" | "ko" | "th" | "vi" | "ms" => "other",
        "fr" => match n {
            0 | 1 => "one",
            _ if n % 1_000_000 == 0 => "many",
            _ => "other",
        },
        // European Portuguese has "one" for 1 alone; Brazilian (and plain `pt`) for 0 and 1.
        "pt" if is_european_portuguese(lang) => match n {
            1 => "one",
            _ if n != 0 && n % 1_000_000 == 0 => "many",
            _ => "other",
        },
        "pt" => match n {
            0 | 1 => "one",
            _ if n % 1_000_000 == 0 => "many",
            _ => "other",
        },
        "es" | "it" => match n {
            1 => "one",
            _ if n != 0 && n % 1_000_000 == 0 => "many",
            _ => "other",
        },
        "hi" | "bn" => match n {
            0 | 1 => "one",
            _ => "other",
        },
        "ru" | "uk" | "be" => {
            if i10 == 1 && i100 != 11 {
                "one"
            } else if (2..=4).contains(&i10) && !(12..=14).contains(&i100) {
                "few"
            } else {
                "many"
            }
        }
        "pl" => {
            if n == 1 {
                "one"
            } else if (2..=4).contains(&i10) && !(12..=14).contains(&i100) {
                "few"
            } else {
                "many"
            }
        }
        "ar" => match n {
            0 => "zero",
            1 => "one",
            2 => "two",
            _ if (3..=10).contains(&i100) => "few",
            _ if (11..=99).contains(&i100) => "many",
            _ => "other",
        },
        "he" | "iw" => match n {
            1 => "one",
            2 => "two",
            _ => "other",
        },
        // English, German, Turkish, Dutch and the many languages with "one" for 1 only.
        _ => match n {
            1 => "one",
            _ => "other",
        },
    }
}

/// Whether `tag` is Portuguese as written in Portugal (`pt-PT`).
fn is_european_portuguese(tag: &str) -> bool {
    primary(tag) == "pt"
        && tag
            .split(['-', '_'])
            .skip(1)
            .any(|s| s.eq_ignore_ascii_case("pt"))
}

/// The plural categories a language's integers fall into (what its table must give).
pub fn plural_categories(lang: &str) -> &'static [&'static str] {
    match primary(lang).as_str() {
        "ja" | "zh" | "id" => &["other"],
        "ru" | "uk" => &["one", "few", "many", "other"],
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        "fr" | "pt" | "es" | "it" => &["one", "many", "other"],
        _ => &["one", "other"],
    }
}

/// The `{name}` placeholders of a text, sorted.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name.to_owned());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A key without its plural ending, and the category, when it has one.
pub fn split_plural(key: &str) -> (&str, Option<&str>) {
    for e in PLURAL_ENDINGS {
        if let Some(base) = key.strip_suffix(e) {
            return (base, Some(&e[1..]));
        }
    }
    (key, None)
}

/// Parse a built-in table.
pub fn parse_builtin(text: &str) -> BTreeMap<String, String> {
    match toml::from_str::<BTreeMap<String, String>>(text) {
        Ok(m) => m,
        // The tables are tested (tests in this module): an error here is a bug of the build.
        Err(e) => panic!("a built-in translation table does not parse: {e}"),
    }
}

/// The English table: every key the theme knows.
fn english() -> &'static BTreeMap<String, String> {
    static EN: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    EN.get_or_init(|| parse_builtin(include_str!("en.toml")))
}

/// Whether `key` may stand in a table: an English key, or another plural form of an English family.
fn known_key(key: &str) -> bool {
    let en = english();
    if en.contains_key(key) {
        return true;
    }
    let (base, cat) = split_plural(key);
    cat.is_some() && en.contains_key(&format!("{base}_other"))
}

/// A site's `i18n/<lang>.toml` tables, checked.
#[derive(Debug, Clone, Default)]
pub struct SiteTables {
    /// By file stem lower-cased (`pt-br`), the file and its entries.
    tables: BTreeMap<String, (PathBuf, BTreeMap<String, String>)>,
}

impl SiteTables {
    /// Read and check every `i18n/*.toml` under `root`.
    pub fn load(root: &Path) -> Result<SiteTables> {
        let dir = root.join("i18n");
        let mut out = SiteTables::default();
        if !dir.is_dir() {
            return Ok(out);
        }
        let site = crate::load::inside::SiteRoot::new(root);
        let mut diags = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        entries.sort();
        for path in entries {
            let rel = crate::load::rel(root, &path);
            if site.leads_outside(&path) {
                diags.push(site.outside(&path));
                continue;
            }
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            Code::BadTranslation,
                            &rel,
                            format!("cannot read the translation table: {e}"),
                        )
                        .with_help("translation tables must be UTF-8 TOML files"),
                    );
                    continue;
                }
            };
            match check_table(&text, &rel) {
                Ok(map) => {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_ascii_lowercase())
                        .unwrap_or_default();
                    out.tables.insert(stem, (rel, map));
                }
                Err(mut ds) => diags.append(&mut ds),
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(Error::Content(diags))
        }
    }

    /// The site's table for `tag`: the whole tag's, else the primary subtag's.
    fn for_tag(&self, tag: &str) -> Option<&BTreeMap<String, String>> {
        let lower = tag.to_ascii_lowercase().replace('_', "-");
        self.tables
            .get(&lower)
            .or_else(|| self.tables.get(&primary(tag)))
            .map(|(_, m)| m)
    }
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// Check a site's table: TOML, string values, known keys, known placeholders.
fn check_table(
    text: &str,
    rel: &Path,
) -> std::result::Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let shared: Arc<str> = Arc::from(text);
    let table: toml::Spanned<BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>> =
        match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                return Err(vec![Diagnostic::error(
                    Code::BadTranslation,
                    rel,
                    format!("the translation table is not valid TOML: {}", e.message()),
                )
                .at_line(line)
                .with_text(shared)
                .with_help("write one `key = \"text\"` per line")]);
            }
        };
    let en = english();
    let mut diags = Vec::new();
    let mut out = BTreeMap::new();
    for (k, v) in table.into_inner() {
        let line = line_of(text, k.span().start);
        let key = k.into_inner();
        let toml::Value::String(value) = v.into_inner() else {
            diags.push(
                Diagnostic::error(
                    Code::BadTranslation,
                    rel,
                    format!("`{key}` is not a string"),
                )
                .at_line(line)
                .with_text(shared.clone())
                .with_help("give each key its text in quotes: key = \"text\""),
            );
            continue;
        };
        if !known_key(&key) {
            let best = en
                .keys()
                .map(|k| (strsim::jaro_winkler(k, &key), k))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let help = match best {
                Some((_, k)) => format!("did you mean `{k}`? The keys are those of the built-in English table (src/render/i18n/en.toml)"),
                None => "the keys are those of the built-in English table (src/render/i18n/en.toml)".to_owned(),
            };
            diags.push(
                Diagnostic::error(
                    Code::BadTranslation,
                    rel,
                    format!("the theme has no text `{key}`"),
                )
                .at_line(line)
                .with_text(shared.clone())
                .with_help(help),
            );
            continue;
        }
        let (base, _) = split_plural(&key);
        let english_text = en
            .get(&key)
            .or_else(|| en.get(&format!("{base}_other")))
            .map(String::as_str)
            .unwrap_or("");
        let allowed = placeholders(english_text);
        if let Some(p) = placeholders(&value)
            .into_iter()
            .find(|p| !allowed.contains(p))
        {
            let list = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed
                    .iter()
                    .map(|a| format!("{{{a}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            diags.push(
                Diagnostic::error(
                    Code::BadTranslation,
                    rel,
                    format!("`{key}` has a placeholder `{{{p}}}` the theme does not fill"),
                )
                .at_line(line)
                .with_text(shared.clone())
                .with_help(format!("the placeholders of `{key}` are: {list}")),
            );
            continue;
        }
        out.insert(key, value);
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// The theme's words in one language, ready to use.
#[derive(Debug, Clone)]
pub struct Translations {
    /// The briefing's language tag.
    pub lang: String,
    /// Sorted: the fingerprint writes them in order.
    entries: BTreeMap<String, String>,
    /// The same, to look texts up by: a page asks for dozens, and a search of
    /// a B-tree of some 250 keys compares a key a dozen times or more.
    lookup: HashMap<String, String>,
    locale: Option<Locale>,
}

impl Translations {
    /// The words for `tag`: English, under the built-in table of the language,
    /// under the site's; and whether a table for the language was found.
    pub fn new(tag: &str, site: &SiteTables) -> (Translations, bool) {
        let mut entries = english().clone();
        let builtin = builtin_for(tag);
        if let Some((_, text)) = builtin {
            if primary(tag) != "en" {
                // A language's table replaces the plural forms wholesale.
                entries.retain(|k, _| split_plural(k).1.is_none());
                entries.extend(parse_builtin(text));
            }
        }
        let own = site.for_tag(tag);
        if let Some(own) = own {
            for (k, v) in own {
                entries.insert(k.clone(), v.clone());
            }
        }
        let found = builtin.is_some() || own.is_some();
        let locale = if builtin.is_some() {
            locale_of(tag)
        } else {
            None
        };
        (
            Translations {
                lang: tag.to_owned(),
                lookup: entries.clone().into_iter().collect(),
                entries,
                locale,
            },
            found,
        )
    }

    /// English alone.
    pub fn english() -> Translations {
        Translations::new("en", &SiteTables::default()).0
    }

    /// Every text, by key (placeholders not filled).
    pub fn words(&self) -> &BTreeMap<String, String> {
        &self.entries
    }

    /// The text of `key` (for plural families, give a count with [`Translations::count`]).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lookup.get(key).map(String::as_str)
    }

    /// The text of `key`, or the key itself when the theme has no such text.
    pub fn t(&self, key: &str) -> String {
        self.get(key).unwrap_or(key).to_owned()
    }

    /// The form of plural family `key` for count `n`.
    pub fn plural(&self, key: &str, n: u64) -> Option<&str> {
        let cat = plural_category(&self.lang, n);
        let mut form = String::with_capacity(key.len() + 6);
        form.push_str(key);
        form.push('_');
        form.push_str(cat);
        self.get(&form)
            .or_else(|| {
                form.truncate(key.len() + 1);
                form.push_str("other");
                self.get(&form)
            })
            .or_else(|| self.get(key))
    }

    /// `key` (a plural family when `n` is given) with its placeholders filled
    /// (`n` fills `{n}`); `escape` applies to the table's text, never to the arguments.
    pub fn format(
        &self,
        key: &str,
        n: Option<u64>,
        args: &[(&str, String)],
        escape: bool,
    ) -> std::result::Result<String, String> {
        let text = match n {
            Some(n) => self.plural(key, n),
            None => self.get(key),
        };
        let Some(text) = text else {
            return Err(format!(
                "the theme has no text `{key}` (see src/render/i18n/en.toml for the keys)"
            ));
        };
        let text = match escape {
            true => html_escape::encode_double_quoted_attribute(text),
            false => std::borrow::Cow::Borrowed(text),
        };
        // Most texts have no placeholder (a template asks for hundreds a page).
        if !text.contains('{') {
            return Ok(text.into_owned());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = &*text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name = after.find('}').map(|c| &after[..c]);
            let value = name.and_then(|name| {
                if name == "n" {
                    if let Some(n) = n {
                        return Some(n.to_string());
                    }
                }
                args.iter()
                    .find(|(a, _)| *a == name)
                    .map(|(_, v)| v.clone())
            });
            match (name, value) {
                (Some(name), Some(v)) => {
                    out.push_str(&v);
                    rest = &after[name.len() + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// A date as readers of this language read it.
    pub fn date(&self, d: &Date) -> String {
        let fmt = self.get("date_format").unwrap_or("%-d %B %Y");
        let day = d.day();
        let mut out = String::new();
        let written = match self.locale {
            Some(l) => {
                use std::fmt::Write;
                write!(out, "{}", day.format_localized(fmt, l))
            }
            None => {
                use std::fmt::Write;
                write!(out, "{}", day.format(fmt))
            }
        };
        // A site's format chrono cannot write: the day in ISO form rather than a failed page.
        if written.is_err() {
            return d.day().format("%Y-%m-%d").to_string();
        }
        out
    }

    /// The fingerprint of these words: of the language and every text (see
    /// [`super::fingerprint`]).
    pub fn fingerprint(&self) -> u128 {
        let entries = self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        super::fingerprint::of_texts(std::iter::once(("", self.lang.as_str())).chain(entries))
    }

    /// The direction of the language, `ltr` or `rtl`.
    pub fn direction(&self) -> &'static str {
        direction(&self.lang)
    }

    /// Register `trans` and `trans_html` in `tera`, speaking this language.
    pub fn register(self: &Arc<Self>, tera: &mut tera::Tera) {
        let me = self.clone();
        tera.register_function("trans", move |kwargs: tera::Kwargs, _: &tera::State| {
            me.call(&kwargs, false)
        });
        tera.register_function("trans_html", Html(self.clone()));
    }

    fn call(&self, kwargs: &tera::Kwargs, escape: bool) -> tera::TeraResult<String> {
        let key: &str = kwargs.must_get::<&str>("key")?;
        let mut n = None;
        let mut args = Vec::new();
        for (k, v) in kwargs.iter() {
            let Some(name) = k.as_str() else { continue };
            match name {
                "key" => {}
                "n" => {
                    let Some(i) = v.as_i64() else {
                        return Err(tera::Error::message(format!(
                            "trans: `n` must be a whole number, not {v}"
                        )));
                    };
                    n = Some(i.unsigned_abs());
                }
                _ => args.push((name, value_text(v))),
            }
        }
        self.format(key, n, &args, escape)
            .map_err(tera::Error::message)
    }
}

/// `trans_html`: the table's text escaped, the arguments as given, the whole marked safe.
struct Html(Arc<Translations>);

impl tera::Function<tera::TeraResult<String>> for Html {
    fn call(&self, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
        self.0.call(&kwargs, true)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn value_text(v: &tera::Value) -> String {
    match v.as_str() {
        Some(s) => s.to_owned(),
        None => v.to_string(),
    }
}

/// The locale whose month names a language's dates use.
fn locale_of(tag: &str) -> Option<Locale> {
    Some(match primary(tag).as_str() {
        "ar" => Locale::ar_EG,
        "de" => Locale::de_DE,
        "es" => Locale::es_ES,
        "fr" => Locale::fr_FR,
        "hi" => Locale::hi_IN,
        "id" => Locale::id_ID,
        "it" => Locale::it_IT,
        "ja" => Locale::ja_JP,
        "pt" if is_european_portuguese(tag) => Locale::pt_PT,
        "pt" => Locale::pt_BR,
        "ru" => Locale::ru_RU,
        "tr" => Locale::tr_TR,
        "uk" => Locale::uk_UA,
        "zh" => Locale::zh_CN,
        _ => return None,
    })
}

/// The warning for a language with no table: its pages use English.
pub fn missing_language(tag: &str, index_file: &Path, line: usize) -> Diagnostic {
    let shipped: Vec<&str> = BUILTIN.iter().map(|(l, _)| *l).collect();
    Diagnostic::warning(
        Code::NoTranslation,
        index_file,
        format!("the theme has no words in the language `{tag}`: its pages are in English"),
    )
    .at_line(line)
    .with_help(format!(
        "write i18n/{tag}.toml with the keys of the English table (src/render/i18n/en.toml), or use one of the built-in languages: {}",
        shipped.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_the_english_keys_and_placeholders() {
        let en = parse_builtin(include_str!("en.toml"));
        let families: BTreeMap<&str, Vec<String>> = en
            .iter()
            .map(|(k, v)| (split_plural(k).0, placeholders(v)))
            .collect();
        for (lang, text) in BUILTIN {
            let table = parse_builtin(text);
            let mut seen: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (k, v) in &table {
                let (base, cat) = split_plural(k);
                let Some(expected) = families.get(base) else {
                    panic!("{lang}: `{k}` is no key of the English table");
                };
                // {n} of a plural form may be left out ("one" often says the word alone).
                let mut got = placeholders(v);
                let mut want = expected.clone();
                if cat.is_some() {
                    got.retain(|p| p != "n");
                    want.retain(|p| p != "n");
                }
                assert_eq!(got, want, "{lang}: `{k}` = {v:?}");
                // The arrows may be left out, and so may the hidden "page" after
                // Previous/Next where the language cannot put it there (id, zh...).
                assert!(
                    !v.trim().is_empty()
                        || ["prev_arrow", "next_arrow", "page_hidden"].contains(&k.as_str()),
                    "{lang}: `{k}` is empty"
                );
                seen.entry(base).or_default().push(cat.unwrap_or(""));
            }
            for base in families.keys() {
                let Some(cats) = seen.get(base) else {
                    panic!("{lang}: `{base}` is missing");
                };
                if en.contains_key(&format!("{base}_other")) {
                    let mut cats = cats.clone();
                    cats.sort();
                    let mut want: Vec<&str> = plural_categories(lang).to_vec();
                    want.sort();
                    // The forms CLDR's rule uses for whole numbers, and "many"
                    // only where the language distinguishes it (Romance millions may share "other").
                    let must: Vec<&str> = want
                        .iter()
                        .copied()
                        .filter(|c| !(*c == "many" && ["fr", "pt", "es", "it"].contains(&lang)))
                        .collect();
                    for c in &must {
                        assert!(cats.contains(c), "{lang}: `{base}_{c}` is missing");
                    }
                    for c in &cats {
                        assert!(
                            want.contains(c),
                            "{lang}: `{base}_{c}` is no form of {lang}"
                        );
                    }
                } else {
                    assert_eq!(cats, &vec![""], "{lang}: `{base}` is no plural");
                }
            }
        }
    }

    #[test]
    fn plural_rules() {
        let ru: Vec<&str> = [1, 2, 5, 11, 21, 22, 25, 112]
            .iter()
            .map(|n| plural_category("ru", *n))
            .collect();
        assert_eq!(
            ru,
            ["one", "few", "many", "many", "one", "few", "many", "many"]
        );
        let ar: Vec<&str> = [0, 1, 2, 3, 10, 11, 99, 100, 102]
            .iter()
            .map(|n| plural_category("ar", *n))
            .collect();
        assert_eq!(
            ar,
            ["zero", "one", "two", "few", "few", "many", "many", "other", "other"]
        );
        assert_eq!(plural_category("fr", 0), "one");
        assert_eq!(plural_category("en", 0), "other");
        assert_eq!(plural_category("ja", 1), "other");
    }

    /// CLDR's cardinal rules for whole numbers, in every built-in language.
    #[test]
    fn plural_rules_of_every_builtin_language() {
        let ns = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1_000_000];
        let of =
            |lang: &str| -> Vec<&str> { ns.iter().map(|n| plural_category(lang, *n)).collect() };
        let one_other = |ones: &[u64]| -> Vec<&str> {
            ns.iter()
                .map(|n| if ones.contains(n) { "one" } else { "other" })
                .collect()
        };
        // One for 1 alone: en, de, tr.
        for lang in ["en", "de", "tr"] {
            assert_eq!(of(lang), one_other(&[1]), "{lang}");
        }
        // hi: i = 0 or n = 1.
        assert_eq!(of("hi"), one_other(&[0, 1]), "hi");
        // No plural: id, ja, zh.
        for lang in ["id", "ja", "zh", "zh-CN"] {
            assert_eq!(of(lang), vec!["other"; ns.len()], "{lang}");
        }
        // Romance: "one" (fr, pt: i = 0,1; pt-PT, es, it: 1), "many" for whole millions.
        let romance = |ones: &[u64]| -> Vec<&str> {
            ns.iter()
                .map(|n| match n {
                    1_000_000 => "many",
                    n if ones.contains(n) => "one",
                    _ => "other",
                })
                .collect()
        };
        for lang in ["fr", "pt", "pt-BR"] {
            assert_eq!(of(lang), romance(&[0, 1]), "{lang}");
        }
        for lang in ["es", "it", "pt-PT", "pt_pt"] {
            assert_eq!(of(lang), romance(&[1]), "{lang}");
        }
        // East Slavic: one 1, 21, 101; few 2–4, 22; many the rest (whole numbers are never "other").
        let slavic = vec![
            "many", "one", "few", "few", "few", "many", "many", "many", "one", "few", "many",
            "one", "many", "many",
        ];
        assert_eq!(of("ru"), slavic, "ru");
        assert_eq!(of("uk"), slavic, "uk");
        // Every built-in language's rule stays within the categories its table gives.
        for (lang, _) in BUILTIN {
            let cats = plural_categories(lang);
            assert!(cats.contains(&"other"), "{lang}");
            for n in (0..=1200).chain([1_000_000, 2_000_000, 1_000_001]) {
                let c = plural_category(lang, n);
                assert!(cats.contains(&c), "{lang}: {n} is `{c}`, not in {cats:?}");
            }
        }
    }

    #[test]
    fn the_builtin_languages() {
        let langs: Vec<&str> = BUILTIN.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            langs,
            ["ar", "de", "en", "es", "fr", "hi", "id", "it", "ja", "pt", "ru", "tr", "uk", "zh"]
        );
        for lang in langs {
            assert_eq!(builtin_for(lang).map(|(l, _)| l), Some(lang));
            // English is chrono's own; every other language names its months.
            assert_eq!(locale_of(lang).is_some(), lang != "en", "{lang}");
        }
        assert_eq!(builtin_for("pt-BR").map(|(l, _)| l), Some("pt"));
        assert_eq!(builtin_for("zh-Hans-CN").map(|(l, _)| l), Some("zh"));
        assert_eq!(builtin_for("zh-TW"), None);
        assert_eq!(locale_of("pt-PT"), Some(Locale::pt_PT));
        assert_eq!(locale_of("pt-BR"), Some(Locale::pt_BR));
        assert_eq!(locale_of("pt"), Some(Locale::pt_BR));
    }

    /// Curly quotes and apostrophes in every table, never the typewriter's.
    #[test]
    fn tables_use_typographic_quotes() {
        for (lang, text) in BUILTIN {
            for (k, v) in parse_builtin(text) {
                assert!(
                    !v.contains(['"', '\'']),
                    "{lang}: `{k}` = {v:?} has a straight quote"
                );
            }
        }
    }

    /// Every table's date format is one chrono writes, with the month in the language.
    #[test]
    fn every_table_writes_its_dates() {
        let d = Date::parse("2021-12-30").unwrap();
        let none = SiteTables::default();
        for (lang, _) in BUILTIN {
            let text = Translations::new(lang, &none).0.date(&d);
            assert_ne!(text, "2021-12-30", "{lang}: the format does not write");
            assert!(
                text.contains("2021") && text.contains("30"),
                "{lang}: {text}"
            );
            if lang != "en" {
                assert!(!text.contains("December"), "{lang}: {text}");
            }
        }
    }

    #[test]
    fn dates_read_in_the_language() {
        let d = Date::parse("2021-12-31").unwrap();
        let none = SiteTables::default();
        let of = |l: &str| Translations::new(l, &none).0.date(&d);
        assert_eq!(of("en"), "31 December 2021");
        assert_eq!(of("fr"), "31 décembre 2021");
        assert_eq!(of("ja"), "2021年12月31日");
        assert_eq!(of("ar"), "31 ديسمبر 2021");
        // No table: English.
        assert_eq!(of("nl"), "31 December 2021");
    }

    /// 30 December 2021 and 3 May 2021 as `tag`'s table writes them.
    fn dates_in(tag: &str) -> (String, String) {
        let none = SiteTables::default();
        let tr = Translations::new(tag, &none).0;
        (
            tr.date(&Date::parse("2021-12-30").unwrap()),
            tr.date(&Date::parse("2021-05-03").unwrap()),
        )
    }

    #[test]
    fn spanish_dates() {
        assert_eq!(dates_in("es").0, "30 de diciembre de 2021");
        assert_eq!(dates_in("es-MX").1, "3 de mayo de 2021");
    }

    #[test]
    fn german_dates() {
        assert_eq!(dates_in("de").0, "30. Dezember 2021");
        assert_eq!(dates_in("de-AT").1, "3. Mai 2021");
    }

    #[test]
    fn portuguese_dates() {
        assert_eq!(dates_in("pt").0, "30 de dezembro de 2021");
        assert_eq!(dates_in("pt-BR").1, "3 de maio de 2021");
        assert_eq!(dates_in("pt-PT").0, "30 de dezembro de 2021");
    }

    #[test]
    fn italian_dates() {
        assert_eq!(dates_in("it").0, "30 dicembre 2021");
        assert_eq!(dates_in("it").1, "3 maggio 2021");
    }

    #[test]
    fn russian_dates() {
        // The month in the genitive, as a date needs it (not «декабрь», «май»).
        assert_eq!(dates_in("ru").0, "30 декабря 2021");
        assert_eq!(dates_in("ru").1, "3 мая 2021");
    }

    #[test]
    fn ukrainian_dates() {
        // The month in the genitive (not «грудень», «травень»).
        assert_eq!(dates_in("uk").0, "30 грудня 2021");
        assert_eq!(dates_in("uk").1, "3 травня 2021");
    }

    #[test]
    fn turkish_dates() {
        assert_eq!(dates_in("tr").0, "30 Aralık 2021");
        assert_eq!(dates_in("tr").1, "3 Mayıs 2021");
    }

    #[test]
    fn hindi_dates() {
        assert_eq!(dates_in("hi").0, "30 दिसंबर 2021");
        assert_eq!(dates_in("hi").1, "3 मई 2021");
    }

    #[test]
    fn indonesian_dates() {
        assert_eq!(dates_in("id").0, "30 Desember 2021");
        assert_eq!(dates_in("id").1, "3 Mei 2021");
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(dates_in("zh").0, "2021年12月30日");
        assert_eq!(dates_in("zh-CN").1, "2021年5月3日");
    }

    #[test]
    fn counts_in_the_new_languages() {
        let none = SiteTables::default();
        let count = |lang: &str, key: &str, n: u64| {
            Translations::new(lang, &none)
                .0
                .format(key, Some(n), &[], false)
                .unwrap()
        };
        assert_eq!(count("ru", "claims_count", 1), "1 утверждение");
        assert_eq!(count("ru", "claims_count", 3), "3 утверждения");
        assert_eq!(count("ru", "claims_count", 5), "5 утверждений");
        assert_eq!(count("ru", "claims_count", 21), "21 утверждение");
        assert_eq!(count("uk", "sources_count", 2), "2 джерела");
        assert_eq!(count("uk", "sources_count", 11), "11 джерел");
        assert_eq!(count("de", "sources_count", 1), "1 Quelle");
        assert_eq!(count("es", "claims_count", 0), "0 afirmaciones");
        assert_eq!(count("pt", "claims_count", 0), "0 afirmação");
        assert_eq!(count("pt-PT", "claims_count", 0), "0 afirmações");
        assert_eq!(count("hi", "claims_count", 2), "2 दावे");
        assert_eq!(count("tr", "claims_count", 2), "2 iddia");
        assert_eq!(count("zh", "claims_count", 1), "1条说法");
        // A table without "many" (Spanish millions) falls back to "other".
        assert_eq!(
            count("es", "claims_count", 1_000_000),
            "1000000 afirmaciones"
        );
    }

    #[test]
    fn formats_counts_and_arguments() {
        let none = SiteTables::default();
        let (ar, found) = Translations::new("ar", &none);
        assert!(found);
        assert_eq!(
            ar.format("claims_count", Some(3), &[], false).unwrap(),
            "3 ادعاءات"
        );
        assert_eq!(
            ar.format("claims_count", Some(2), &[], false).unwrap(),
            "ادعاءان"
        );
        let en = Translations::english();
        assert_eq!(
            en.format("claims_count", Some(1), &[], false).unwrap(),
            "1 claim"
        );
        assert_eq!(
            en.format("claim_by", None, &[("claimant", "A & B".into())], true)
                .unwrap(),
            "a claim by A & B"
        );
        assert!(en.format("nope", None, &[], false).is_err());
        assert!(!Translations::new("nl", &none).1);
    }

    #[test]
    fn directions() {
        for rtl in ["ar", "he", "fa", "ur", "ar-EG", "ku-Arab"] {
            assert_eq!(direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "fr", "ja", "ku-Latn", "zh-Hans"] {
            assert_eq!(direction(ltr), "ltr", "{ltr}");
        }
    }

    #[test]
    fn site_tables_are_checked() {
        let ok = check_table(
            "nav_claims = \"Claims!\"\nclaims_count_few = \"{n} x\"\n",
            Path::new("i18n/x.toml"),
        );
        assert!(ok.is_ok());
        let bad = check_table("\nnav_claim = \"x\"\n", Path::new("i18n/x.toml")).unwrap_err();
        assert_eq!(bad[0].line, Some(2));
        assert!(bad[0].help.as_deref().unwrap_or("").contains("nav_claims"));
        let bad = check_table("claim_by = \"{who}\"\n", Path::new("i18n/x.toml")).unwrap_err();
        assert!(bad[0].message.contains("{who}"));
    }
}
