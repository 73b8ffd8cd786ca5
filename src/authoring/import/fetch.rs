//! Fetching a web page for `import`, and decoding a page's bytes to text.
//!
//! One GET with [`ureq`] (blocking, rustls for https), bounded in time
//! ([`super::ImportOptions::timeout`]), in size ([`MAX_BYTES`]) and in
//! redirects ([`MAX_REDIRECTS`]). Every way it can fail is one message that
//! names the address and says what to do, the last resort being to save the
//! page from a browser and import the file.

use std::time::Duration;

use ureq::ResponseExt;

use crate::diagnostic::{Error, Result};

/// The largest page taken, in bytes.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// How many redirects are followed.
pub const MAX_REDIRECTS: u32 = 5;

/// What the server sent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A web page.
    Html,
    /// Plain text.
    Text,
}

/// A page as fetched.
#[derive(Debug)]
pub struct Fetched {
    /// The address answered from, after redirects.
    pub final_url: String,
    /// HTML or text.
    pub kind: Kind,
    /// The decoded text.
    pub text: String,
    /// Said about the decoding, if anything is worth saying.
    pub notes: Vec<String>,
}

const SAVE_IT: &str = "or open it in a browser, save the page (as HTML) and import the saved file";

fn fail(url: &str, message: String, help: impl Into<String>) -> Error {
    Error::usage_with_help(url, message, help)
}

/// Fetch `url` (http or https), waiting at most `timeout` in all.
pub fn fetch(url: &str, timeout: Duration) -> Result<Fetched> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!(
            "factbrief/",
            env!("CARGO_PKG_VERSION"),
            " (fact-check import)"
        ))
        .accept("text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")
        .build()
        .into();
    let secs = timeout.as_secs_f64();
    let mut response = agent.get(url).call().map_err(|e| explain(url, &e, secs))?;
    let final_url = response.get_uri().to_string();
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("");
        let help = match status.as_u16() {
            401 | 403 => {
                format!("the site refuses the request (a paywall or a bot filter?): {SAVE_IT}")
            }
            404 | 410 => {
                "check the address: the page is not (or no longer) there; an archived copy may be"
                    .to_owned()
            }
            429 | 500..=599 => format!("the site is busy or failing: try again later, {SAVE_IT}"),
            300..=399 => format!("the redirect could not be followed: {SAVE_IT}"),
            _ => format!("check the address, {SAVE_IT}"),
        };
        return Err(fail(
            url,
            format!("{url} answered {} {reason}", status.as_u16()),
            help,
        ));
    }
    let body = response.body_mut();
    let mime = body.mime_type().map(str::to_ascii_lowercase);
    let charset = body.charset().map(str::to_owned);
    if let Some(len) = body.content_length().filter(|&n| n > MAX_BYTES) {
        return Err(too_large(url, Some(len)));
    }
    let kind = match mime.as_deref() {
        Some("text/html" | "application/xhtml+xml") => Some(Kind::Html),
        Some("text/plain") => Some(Kind::Text),
        None => None,
        Some(other) => {
            return Err(fail(
                url,
                format!("{url} is `{other}`, not a web page (HTML) or text"),
                "import the article's web page, not a file it links to; for a PDF or a document, copy its text into a .txt file and import that",
            ))
        }
    };
    let bytes = body
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => too_large(url, None),
            e => explain(url, &e, secs),
        })?;
    let kind = kind.unwrap_or_else(|| {
        if looks_like_html(&bytes) {
            Kind::Html
        } else {
            Kind::Text
        }
    });
    let (text, note) = decode(&bytes, charset.as_deref(), kind == Kind::Html).map_err(|why| {
        fail(
            url,
            format!("{url} is not readable text: {why}"),
            SAVE_IT.trim_start_matches("or ").to_owned(),
        )
    })?;
    Ok(Fetched {
        final_url,
        kind,
        text,
        notes: note.into_iter().collect(),
    })
}

fn too_large(url: &str, said: Option<u64>) -> Error {
    let size = match said {
        Some(n) => format!(" ({} MB)", n.div_ceil(1024 * 1024)),
        None => String::new(),
    };
    fail(
        url,
        format!(
            "{url} is larger than {} MB{size}, more than an article",
            MAX_BYTES / (1024 * 1024)
        ),
        format!("check that the address is the article's page, {SAVE_IT}"),
    )
}

/// One message, naming `url`, for what stopped the request.
fn explain(url: &str, e: &ureq::Error, secs: f64) -> Error {
    let host = host_of(url);
    let (message, help): (String, String) = match e {
        // The standard library's resolver says so in words, with no kind of its own.
        ureq::Error::Io(io) if io.to_string().contains("lookup address") => (
            format!("cannot find the host `{host}` of {url} (DNS: {io})"),
            "check the address, and that this machine is online".into(),
        ),
        ureq::Error::HostNotFound => (
            format!("cannot find the host `{host}` of {url} (DNS)"),
            "check the address, and that this machine is online".into(),
        ),
        ureq::Error::Timeout(_) => (
            format!("{url} did not answer within {secs} s"),
            format!("try again later or with a longer --timeout, {SAVE_IT}"),
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => (
            format!("{url} did not answer within {secs} s"),
            format!("try again later or with a longer --timeout, {SAVE_IT}"),
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => (
            format!("cannot connect to `{host}` for {url}: the connection was refused"),
            "check the address (and port); the site may be down: try again later".into(),
        ),
        ureq::Error::ConnectionFailed => (
            format!("cannot connect to `{host}` for {url}"),
            "check the address, and that this machine is online".into(),
        ),
        // rustls reports a failed handshake or a refused certificate as invalid data.
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::InvalidData
                && url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) =>
        {
            (
                format!("the secure connection (TLS) to `{host}` for {url} failed: {io}"),
                format!("the site's certificate may be invalid or expired, or it may not speak https: {SAVE_IT}"),
            )
        }
        ureq::Error::Io(io) => (
            format!("the connection to `{host}` for {url} failed: {io}"),
            format!("try again later, {SAVE_IT}"),
        ),
        ureq::Error::Tls(why) => (
            format!("the secure connection (TLS) to `{host}` for {url} failed: {why}"),
            format!("the site's certificate may be invalid or expired: {SAVE_IT}"),
        ),
        ureq::Error::Rustls(why) => (
            format!("the secure connection (TLS) to `{host}` for {url} failed: {why}"),
            format!("the site's certificate may be invalid or expired: {SAVE_IT}"),
        ),
        ureq::Error::TooManyRedirects => (
            format!("{url} redirects more than {MAX_REDIRECTS} times"),
            format!(
                "open it in a browser to find where it leads, then import that address, {SAVE_IT}"
            ),
        ),
        ureq::Error::BadUri(why) => (
            format!("{url} is not a valid address: {why}"),
            "write the whole address, starting with https:// or http://".into(),
        ),
        ureq::Error::Protocol(why) => (
            format!("{url} did not answer in valid HTTP: {why}"),
            SAVE_IT.trim_start_matches("or ").to_owned(),
        ),
        ureq::Error::LargeResponseHeader(..) => (
            format!("{url} sent headers too large to read"),
            SAVE_IT.trim_start_matches("or ").to_owned(),
        ),
        other => (
            format!("fetching {url} failed: {other}"),
            format!("try again later, {SAVE_IT}"),
        ),
    };
    fail(url, message, help)
}

/// The host (and port) of `url`, for messages.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

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

    #[test]
    fn failures_that_need_the_network_are_explained_too() {
        let said = |e: ureq::Error| {
            let d = explain("https://news.example/a", &e, 20.0).into_diagnostics();
            format!(
                "{} / {}",
                d[0].message,
                d[0].help.clone().unwrap_or_default()
            )
        };
        let dns = said(ureq::Error::HostNotFound);
        assert!(
            dns.contains("cannot find the host `news.example` of https://news.example/a (DNS)"),
            "{dns}"
        );
        assert!(
            dns.contains("check the address, and that this machine is online"),
            "{dns}"
        );
        let dns = said(ureq::Error::Io(std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        )));
        assert!(dns.contains("cannot find the host `news.example` of https://news.example/a (DNS: failed to lookup"), "{dns}");
        let tls = said(ureq::Error::Tls("certificate expired"));
        assert!(tls.contains("the secure connection (TLS) to `news.example` for https://news.example/a failed: certificate expired"), "{tls}");
        assert!(
            tls.contains("save the page (as HTML) and import the saved file"),
            "{tls}"
        );
        let timeout = said(ureq::Error::Timeout(ureq::Timeout::Connect));
        assert!(timeout.contains("did not answer within 20 s"), "{timeout}");
    }

    #[test]
    fn hosts_for_messages() {
        assert_eq!(
            host_of("https://user@news.example:8443/a?b#c"),
            "news.example:8443"
        );
        assert_eq!(host_of("http://127.0.0.1:9/"), "127.0.0.1:9");
    }
}
