//! The stable names of the kinds of problem factbrief reports.
//!
//! Tools match on these names (the `code` of `--format json`, the `[...]` of
//! the human rendering), so a name never changes once released: add a variant
//! rather than rename one.

use std::fmt;

/// The kind of a [`Diagnostic`](super::Diagnostic); [`Code::as_str`] is its stable name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Code {
    /// `base_url` (in `content/_index.md` or `--base-url`) is neither an absolute
    /// web address nor a path starting with `/`.
    BadBaseUrl,
    /// A file name does not make a valid id (lower-case letters, digits, `-`, `_`).
    BadId,
    /// A front-matter field has a value outside the allowed ones (e.g. a stance).
    BadValue,
    /// The `[[verdicts]]` scale of `content/_index.md` is invalid: a bad key,
    /// an empty list, a rating of 0, or two verdicts with the same rating.
    BadVerdict,
    /// A site's translation table (`i18n/<lang>.toml`) is not valid: TOML, a
    /// value that is not text, a key the theme does not have, an unknown placeholder.
    BadTranslation,
    /// A Markdown link to `claim:`, `source:` or `page:` names no such document.
    BrokenLink,
    /// A link in a rendered page points to no file of the built site.
    BrokenOutputLink,
    /// A build put its site in place but could not clear something it left
    /// beside the output folder: the previous site, or the leftover of a killed
    /// build (a warning naming the folder, to remove by hand).
    Cleanup,
    /// A claim cites the same passage of a source in two evidence entries.
    DuplicateCitation,
    /// A front-matter field is given twice.
    DuplicateField,
    /// Two verdicts of the scale have the same key.
    DuplicateVerdict,
    /// An evidence entry's `quote` is empty or blank.
    EmptyQuote,
    /// The front matter is not valid TOML (or YAML).
    FrontMatterSyntax,
    /// Two claims' ids would give their passages the same anchor names.
    IdCollision,
    /// Reading or writing a file or folder failed (the operating system's error).
    Io,
    /// A required front-matter field is missing.
    MissingField,
    /// The site root has no `content/` folder.
    NoContent,
    /// `content/_index.md` gives no `contact` for readers to report errors to (a warning).
    NoContact,
    /// A claim has no evidence entry.
    NoEvidence,
    /// A document does not start with front matter (`+++` or `---`).
    NoFrontMatter,
    /// The briefing has no `content/_index.md`.
    NoIndex,
    /// No evidence entry of a claim quotes its source (a warning).
    NoQuotedEvidence,
    /// The briefing's language has no translation table, built in or the site's:
    /// the theme's words are English (a warning).
    NoTranslation,
    /// A source named in a claim's `appears_in` contains few of the claim's words (a warning).
    NotInAppearance,
    /// A file is not valid UTF-8 text.
    NotUtf8,
    /// A static file and a generated page would be written to the same path.
    OutputCollision,
    /// A symbolic link in `content/`, `templates/` or `static/` leads outside the site root.
    OutsideSite,
    /// An evidence entry's quote is not found in the source it cites.
    QuoteNotFound,
    /// A quote occurs more than once in its source, so the first occurrence is linked (a warning).
    RepeatedQuote,
    /// `base_url` is not an absolute URL, so the sitemap, feeds, JSON-LD and
    /// share-image addresses are relative (a warning).
    RelativeBaseUrl,
    /// A static file takes a name factbrief reserves for itself.
    ReservedName,
    /// A claim was reviewed before a source it cites was published (a warning).
    ReviewedBeforePublished,
    /// A file in `content/` that is not read (a wrong place or extension; a warning).
    StrayFile,
    /// A symbolic link in `content/` loops back to a folder containing it.
    SymlinkLoop,
    /// A template cannot be read, parsed or rendered.
    Template,
    /// No claim cites or names a source (a warning).
    UncitedSource,
    /// A field still holds the `FILL IN` placeholder of `new` or `import` (a warning).
    UnfilledField,
    /// A front-matter field factbrief does not know (often a typo).
    UnknownField,
    /// Evidence or `appears_in` names a source that does not exist.
    UnknownSource,
    /// A claim's verdict is not a key of the verdict scale.
    UnknownVerdict,
    /// A file or folder of the briefing cannot be read.
    Unreadable,
    /// A source's `url` is not a web address, so it is shown without a link (a warning).
    UnsafeUrl,
    /// The front matter is opened but never closed.
    UnterminatedFrontMatter,
    /// The command cannot work as asked (e.g. an unsafe output folder, a port in use).
    Usage,
    /// A claim's verdict disagrees with the stances of its evidence (a warning).
    VerdictVsEvidence,
    /// A front-matter field has a value of the wrong type.
    WrongType,
}

impl Code {
    /// Every code, in the order of their names.
    pub const ALL: [Code; 46] = [
        Code::BadBaseUrl,
        Code::BadId,
        Code::BadTranslation,
        Code::BadValue,
        Code::BadVerdict,
        Code::BrokenLink,
        Code::BrokenOutputLink,
        Code::Cleanup,
        Code::DuplicateCitation,
        Code::DuplicateField,
        Code::DuplicateVerdict,
        Code::EmptyQuote,
        Code::FrontMatterSyntax,
        Code::IdCollision,
        Code::Io,
        Code::MissingField,
        Code::NoContact,
        Code::NoContent,
        Code::NoEvidence,
        Code::NoFrontMatter,
        Code::NoIndex,
        Code::NoQuotedEvidence,
        Code::NoTranslation,
        Code::NotInAppearance,
        Code::NotUtf8,
        Code::OutputCollision,
        Code::OutsideSite,
        Code::QuoteNotFound,
        Code::RelativeBaseUrl,
        Code::RepeatedQuote,
        Code::ReservedName,
        Code::ReviewedBeforePublished,
        Code::StrayFile,
        Code::SymlinkLoop,
        Code::Template,
        Code::UncitedSource,
        Code::UnfilledField,
        Code::UnknownField,
        Code::UnknownSource,
        Code::UnknownVerdict,
        Code::Unreadable,
        Code::UnsafeUrl,
        Code::UnterminatedFrontMatter,
        Code::Usage,
        Code::VerdictVsEvidence,
        Code::WrongType,
    ];

    /// The stable name, as printed for people and tools (`quote-not-found`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadBaseUrl => "bad-base-url",
            Code::BadId => "bad-id",
            Code::BadTranslation => "bad-translation",
            Code::BadValue => "bad-value",
            Code::BadVerdict => "bad-verdict",
            Code::BrokenLink => "broken-link",
            Code::BrokenOutputLink => "broken-output-link",
            Code::Cleanup => "cleanup",
            Code::DuplicateCitation => "duplicate-citation",
            Code::DuplicateField => "duplicate-field",
            Code::DuplicateVerdict => "duplicate-verdict",
            Code::EmptyQuote => "empty-quote",
            Code::FrontMatterSyntax => "front-matter-syntax",
            Code::IdCollision => "id-collision",
            Code::Io => "io",
            Code::MissingField => "missing-field",
            Code::NoContent => "no-content",
            Code::NoContact => "no-contact",
            Code::NoEvidence => "no-evidence",
            Code::NoFrontMatter => "no-front-matter",
            Code::NoIndex => "no-index",
            Code::NoQuotedEvidence => "no-quoted-evidence",
            Code::NoTranslation => "no-translation",
            Code::NotInAppearance => "not-in-appearance",
            Code::NotUtf8 => "not-utf8",
            Code::OutputCollision => "output-collision",
            Code::QuoteNotFound => "quote-not-found",
            Code::RepeatedQuote => "repeated-quote",
            Code::RelativeBaseUrl => "relative-base-url",
            Code::ReservedName => "reserved-name",
            Code::ReviewedBeforePublished => "reviewed-before-published",
            Code::StrayFile => "stray-file",
            Code::OutsideSite => "outside-site",
            Code::SymlinkLoop => "symlink-loop",
            Code::Template => "template",
            Code::UncitedSource => "uncited-source",
            Code::UnfilledField => "unfilled-field",
            Code::UnknownField => "unknown-field",
            Code::UnknownSource => "unknown-source",
            Code::UnknownVerdict => "unknown-verdict",
            Code::Unreadable => "unreadable",
            Code::UnsafeUrl => "unsafe-url",
            Code::UnterminatedFrontMatter => "unterminated-front-matter",
            Code::Usage => "usage",
            Code::VerdictVsEvidence => "verdict-vs-evidence",
            Code::WrongType => "wrong-type",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_match_the_variants() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}"
            );
            // `quote-not-found` is `QuoteNotFound`: the conversion script relies on it.
            let camel: String = name
                .split('-')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect();
            assert_eq!(format!("{code:?}"), camel);
        }
        let mut sorted = Code::ALL;
        sorted.sort_by_key(|c| c.as_str());
        assert_eq!(sorted, Code::ALL, "ALL is in the order of the names");
    }
}
