//! Decoding a page's bytes to text, for `import`.

/// Whether `bytes` start like an HTML document.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    t.starts_with("<!doctype html") || t.starts_with("<html") || t.contains("<html")
}

/// Decode a page: its byte-order mark first, then the `charset` the server
/// declared, then (for HTML) a `<meta charset>` in its first 1024 bytes, and
/// UTF-8 when none says. Fails, saying why, on bytes that are not valid in that
/// encoding. Returns the text and a note when an encoding other than UTF-8 was used.
pub fn decode(
    bytes: &[u8],
    declared: Option<&str>,
    html: bool,
) -> std::result::Result<(String, Option<String>), String> {
    let (encoding, how) = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        (enc, "its byte-order mark")
    } else if let Some(enc) =
        declared.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
    {
        (enc, "the server's Content-Type")
    } else if let Some(enc) = html
        .then(|| meta_charset(bytes))
        .flatten()
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
    {
        (enc, "its <meta charset>")
    } else {
        (encoding_rs::UTF_8, "")
    };
    // A page that declares UTF-16 in a <meta> is read as UTF-8, as browsers do.
    let encoding = if how == "its <meta charset>"
        && (encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        encoding_rs::UTF_8
    } else {
        encoding
    };
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    if had_errors {
        let at = if encoding == encoding_rs::UTF_8 {
            let start = if bytes.starts_with(b"\xef\xbb\xbf") {
                3
            } else {
                0
            };
            std::str::from_utf8(&bytes[start..])
                .err()
                .map(|e| format!(" (at byte {})", e.valid_up_to() + start))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let said = if how.is_empty() {
            "it declares no encoding".to_owned()
        } else {
            format!("{} says {}", how, encoding.name())
        };
        return Err(format!("it is not valid {}{at}; {said}", encoding.name()));
    }
    let note = (encoding != encoding_rs::UTF_8)
        .then(|| format!("read as {} (from {how})", encoding.name()));
    Ok((text.into_owned(), note))
}

/// The encoding a `<meta charset=...>` or `<meta http-equiv="Content-Type" content="...; charset=...">`
/// near the start of the page declares.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset") {
            let value = tag[j + 7..].trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                    })
                    .unwrap_or(value.len());
                if end > 0 {
                    return Some(value[..end].to_owned());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_bom_header_meta_or_utf8() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xe9</p>";
        let (text, note) = decode(latin1, None, true).unwrap();
        assert!(text.contains("café"));
        assert!(note.unwrap().contains("windows-1252"));
        let (text, _) = decode(b"caf\xe9", Some("ISO-8859-1"), false).unwrap();
        assert_eq!(text, "café");
        let (text, note) = decode("\u{feff}café".as_bytes(), Some("iso-8859-1"), false).unwrap();
        assert_eq!((text.as_str(), note), ("café", None));
        let err = decode(b"caf\xe9", None, true).unwrap_err();
        assert!(err.contains("not valid UTF-8 (at byte 3)"), "{err}");
        let meta =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(meta_charset(meta).as_deref(), Some("windows-1251"));
    }
}
