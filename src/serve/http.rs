//! A small HTTP/1.1 server for the site in memory: GET and HEAD of the site's
//! files only, plus the live-reload event stream.
//!
//! It is written on std's TcpListener rather than with an HTTP crate because
//! the event stream must be flushed event by event, which tiny_http's chunked
//! writer does not do, and an async stack is a lot of build for loopback use.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::pipeline::Files;
use crate::site_path::{file_for, percent_decode};

/// Where the browser listens for rebuilds.
pub const EVENTS_PATH: &str = "/__factbrief/events";

/// What the server shares with the rebuild loop.
pub struct Shared {
    files: RwLock<Arc<Files>>,
    /// The diagnostics of a failed rebuild, while the last good site is served.
    error: RwLock<Option<String>>,
    build: Mutex<u64>,
    clients: Mutex<Vec<Sender<String>>>,
}

impl Shared {
    /// Serve `files`.
    pub fn new(files: Arc<Files>) -> Arc<Shared> {
        Arc::new(Shared {
            files: RwLock::new(files),
            error: RwLock::new(None),
            build: Mutex::new(1),
            clients: Mutex::new(Vec::new()),
        })
    }

    /// Serve a new build, and tell the browsers: reload (the pages in `paths`, or
    /// all after an error or when `paths` is `None`), or swap the stylesheets.
    pub fn publish(&self, files: Arc<Files>, css_only: bool, paths: Option<&[String]>) {
        *self.files.write().unwrap_or_else(|p| p.into_inner()) = files;
        let was_error = self
            .error
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .is_some();
        let build = {
            let mut b = self.build.lock().unwrap_or_else(|p| p.into_inner());
            *b += 1;
            *b
        };
        let data = match (css_only, paths) {
            (true, _) => serde_json::json!({ "build": build }),
            (false, Some(p)) if !was_error => serde_json::json!({ "build": build, "paths": p }),
            _ => serde_json::json!({ "build": build, "paths": "*" }),
        };
        let event = if css_only { "css" } else { "reload" };
        self.broadcast(&format!("event: {event}\ndata: {data}\n\n"));
    }

    /// Keep serving the last good site and show `report` over it.
    pub fn fail(&self, report: &str) {
        *self.error.write().unwrap_or_else(|p| p.into_inner()) = Some(report.to_owned());
        self.broadcast(&report_event(report));
    }

    fn broadcast(&self, message: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients.retain(|c| c.send(message.to_owned()).is_ok());
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(tx);
        rx
    }
}

fn report_event(report: &str) -> String {
    let data = serde_json::json!({ "text": report }).to_string();
    format!("event: report\ndata: {data}\n\n")
}

/// Accept connections until the process ends, each on its own thread.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming().flatten() {
        let shared = shared.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Headers are read and ignored: nothing here depends on them.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            method == "HEAD",
            &[("Allow", "GET, HEAD")],
        );
    }
    let head = method == "HEAD";
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        return events(out, shared);
    }
    match resolve(path) {
        Err(status) => {
            let body = format!("{status} {}\n", reason(status));
            respond(
                &mut out,
                status,
                "text/plain; charset=utf-8",
                body.as_bytes(),
                head,
                &[],
            )
        }
        Ok(rel) => {
            let files = shared
                .files
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(bytes) = files.get(rel.as_str()) {
                return respond(&mut out, 200, content_type(&rel), bytes, head, &[]);
            }
            // A folder asked for without its slash: send the browser to it, so relative links work.
            let folder_index = format!("{}/index.html", rel.trim_end_matches('/'));
            if !rel.ends_with("index.html") && files.contains_key(folder_index.as_str()) {
                let location = format!("{}/", path.trim_end_matches('/'));
                return respond(
                    &mut out,
                    301,
                    "text/plain; charset=utf-8",
                    b"moved\n",
                    head,
                    &[("Location", &location)],
                );
            }
            if files.is_empty() {
                // No good build yet: say so, with the report, and reload when there is one.
                let error = shared
                    .error
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone()
                    .unwrap_or_default();
                let page = waiting_page(&error);
                return respond(
                    &mut out,
                    503,
                    "text/html; charset=utf-8",
                    page.as_bytes(),
                    head,
                    &[],
                );
            }
            match files.get("404.html") {
                Some(page) => respond(&mut out, 404, "text/html; charset=utf-8", page, head, &[]),
                None => respond(
                    &mut out,
                    404,
                    "text/plain; charset=utf-8",
                    b"404 Not Found\n",
                    head,
                    &[],
                ),
            }
        }
    }
}

/// The site path a request path names, or the status to refuse it with.
/// Anything that could step outside the site (`..`, encoded or not, backslashes, NUL) is refused.
pub fn resolve(path: &str) -> Result<String, u16> {
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(path).ok_or(400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(400),
            s => segments.push(s),
        }
    }
    Ok(file_for(&segments, decoded.ends_with('/')))
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(
    out: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head: bool,
    extra: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    for (k, v) in extra {
        header.push_str(&format!("{k}: {v}\r\n"));
    }
    header.push_str("\r\n");
    out.write_all(header.as_bytes())?;
    if !head {
        out.write_all(body)?;
    }
    out.flush()
}

/// The Server-Sent Events stream: the current build and state first, then every rebuild.
fn events(mut out: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let rx = shared.subscribe();
    out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n")?;
    let build = *shared.build.lock().unwrap_or_else(|p| p.into_inner());
    out.write_all(format!("event: hello\ndata: {{\"build\":{build}}}\n\n").as_bytes())?;
    if let Some(report) = shared
        .error
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        out.write_all(report_event(&report).as_bytes())?;
    }
    out.flush()?;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => out.write_all(message.as_bytes())?,
            // A comment now and then finds closed connections.
            Err(RecvTimeoutError::Timeout) => out.write_all(b": ping\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        out.flush()?;
    }
}

/// The page served before any build succeeded.
fn waiting_page(report: &str) -> String {
    let escaped = report
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>factbrief: not built yet</title></head><body><main><h1>The site has not built yet</h1><pre>{escaped}</pre><p>Fix the problem and save; this page reloads by itself.</p></main>{}</body></html>",
        super::LIVE_RELOAD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/claims/a/"), Ok("claims/a/index.html".into()));
        assert_eq!(resolve("/style.css"), Ok("style.css".into()));
        assert_eq!(
            resolve("/sources/a%20b/"),
            Ok("sources/a b/index.html".into())
        );
        for bad in [
            "/../Cargo.toml",
            "/claims/../../x",
            "/%2e%2e/x",
            "/..%2fx",
            "/%2E%2E%2Fx",
            "/a%00b",
            "/a\\..\\b",
            "x",
            "/%zz",
            "/%c0%ae%c0%ae/",
        ] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
