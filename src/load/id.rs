//! Document ids: the path below `sources/`, `claims/` or `pages/` without `.md`.

use std::path::Path;

/// Why a path is not a valid id, with a suggested replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId {
    /// The offending segment.
    pub segment: String,
    /// A valid id the file could be renamed to, when one can be made.
    pub suggestion: Option<String>,
}

/// Whether one path segment matches `[a-z0-9][a-z0-9_-]*`.
pub fn is_valid_segment(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// Whether a whole id (segments joined by `/`) is valid.
pub fn is_valid(id: &str) -> bool {
    !id.is_empty() && id.split('/').all(is_valid_segment)
}

/// The id of `file` (a `.md` file) below `folder`.
pub fn from_path(folder: &Path, file: &Path) -> Result<String, BadId> {
    let rel = file.strip_prefix(folder).unwrap_or(file).with_extension("");
    let mut segments = Vec::new();
    for part in rel.components() {
        let seg = part.as_os_str().to_string_lossy().into_owned();
        segments.push(seg);
    }
    if let Some(bad) = segments.iter().find(|s| !is_valid_segment(s)) {
        let fixed: Vec<String> = segments.iter().map(|s| slug(s)).collect();
        let suggestion = fixed
            .iter()
            .all(|s| is_valid_segment(s))
            .then(|| fixed.join("/"));
        return Err(BadId {
            segment: bad.clone(),
            suggestion,
        });
    }
    Ok(segments.join("/"))
}

/// The name under which a passage is marked: `q-<id>-<n>`, `/` turned into `--`.
pub fn passage_name(claim_id: &str, n: usize) -> String {
    format!("{}-{n}", passage_prefix(claim_id))
}

/// What the names of a claim's passages start with: `q-<id>`, `/` turned into `--`.
pub fn passage_prefix(claim_id: &str) -> String {
    format!("q-{}", claim_id.replace('/', "--"))
}

/// `s` as an id segment: transliterated to lower-case ASCII letters and
/// digits joined by `-` (see [`crate::slug`]).
pub fn slug(s: &str) -> String {
    crate::slug::slug(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_path() {
        let folder = Path::new("content/claims");
        assert_eq!(
            from_path(folder, Path::new("content/claims/2021/putin-asked.md")).unwrap(),
            "2021/putin-asked"
        );
        assert_eq!(
            from_path(folder, Path::new("content/claims/a_b-1.md")).unwrap(),
            "a_b-1"
        );
    }

    #[test]
    fn bad_ids_are_refused_with_a_suggestion() {
        let folder = Path::new("c");
        for (path, seg, sugg) in [
            ("c/Putin Asked.md", "Putin Asked", Some("putin-asked")),
            ("c/-x.md", "-x", Some("x")),
            ("c/x/..y.md", "..y", Some("x/y")),
            ("c/été.md", "été", Some("ete")),
            ("c/_index.md", "_index", Some("_index")),
        ] {
            let err = from_path(folder, Path::new(path)).unwrap_err();
            assert_eq!(err.segment, seg, "{path}");
            if seg != "_index" {
                assert_eq!(err.suggestion.as_deref(), sugg, "{path}");
            }
        }
        assert!(!is_valid("a//b"));
        assert!(!is_valid(""));
        assert!(is_valid("2021/a-b_c"));
    }

    #[test]
    fn passage_names_flatten_folders() {
        assert_eq!(passage_name("2021/putin-asked", 3), "q-2021--putin-asked-3");
    }
}
