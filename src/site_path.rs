//! URL paths of the site and the output files they name, shared by the
//! output link check and the server so both read a link the same way.

/// Percent-decode `s`; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file for path `segments` of a URL: a folder (a URL ending in `/`,
/// or the root) is its `index.html`.
pub fn file_for(segments: &[&str], folder: bool) -> String {
    let joined = segments.join("/");
    if joined.is_empty() {
        "index.html".into()
    } else if folder {
        format!("{joined}/index.html")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_folders() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%c0%ae"), None);
        assert_eq!(file_for(&[], false), "index.html");
        assert_eq!(file_for(&["claims", "a"], true), "claims/a/index.html");
        assert_eq!(file_for(&["style.css"], false), "style.css");
    }
}
