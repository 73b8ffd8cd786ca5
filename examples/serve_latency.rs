//! Save-to-served latency of `factbrief serve`: make an edit, then poll the
//! server until it returns the page showing it. Standard library only.
//!
//! cargo run --release --example serve_latency -- [--edits N] [--settle MS] [--bin PATH] [--kind KIND] [--no-view | --on-reload] ROOT
//!
//! ROOT is a site root. KIND is the edit, on the first claim (or source) by file name:
//!
//! - `claim`: the claim's statement is replaced by one holding a marker;
//! - `source`: the source's title is;
//! - `new`: a new claim (a copy of the first, with a marker) is written, and removed after;
//! - `template`: `templates/base.html` (the built-in one, copied there first if
//!   the site has none) gets a paragraph holding a marker, shown on every page;
//! - `i18n`: `i18n/en.toml` (made first if the site has none) names the claims
//!   list, in every page's navigation, with a marker (for an English briefing).
//!
//! The page polled is the edited document's (for `template` and `i18n`, the first claim's;
//! for `new`, the new claim's). Unless `--no-view`, a live-reload connection is
//! open on that page throughout, as a browser showing it has, so the server
//! knows it is viewed. Besides save-to-served, the time `serve` says the whole
//! rebuild took is reported.
//!
//! The page is polled every half millisecond, which takes a core of its own
//! from the server on a small machine. With `--on-reload` it is fetched only
//! when the live-reload connection says something, as a browser showing the
//! page does (needs the page viewed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// The built-in base template, edited for `--kind template`.
const BASE: &str = include_str!("../templates/base.html");

fn main() {
    let mut args = std::env::args().skip(1);
    let mut edits = 30usize;
    let mut settle = 500u64;
    let mut bin = PathBuf::from("target/release/factbrief");
    let mut root = None;
    let mut kind = String::from("claim");
    let mut view = true;
    let mut on_reload = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            "--settle" => settle = args.next().and_then(|v| v.parse().ok()).unwrap_or(settle),
            "--bin" => bin = PathBuf::from(args.next().unwrap_or_default()),
            "--kind" => kind = args.next().unwrap_or(kind),
            "--no-view" => view = false,
            "--on-reload" => on_reload = true,
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: serve_latency [--edits N] [--settle MS] [--bin PATH] [--kind claim|source|new|template|i18n] [--no-view | --on-reload] ROOT");
        std::process::exit(2);
    };
    if on_reload && !view {
        eprintln!("--on-reload needs the page viewed");
        std::process::exit(2);
    }
    if !["claim", "source", "new", "template", "i18n"].contains(&kind.as_str()) {
        eprintln!("--kind is one of claim, source, new, template, i18n");
        std::process::exit(2);
    }
    let folder = if kind == "source" {
        "sources"
    } else {
        "claims"
    };
    let file = first_md(&root.join("content").join(folder));
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read_to_string(&file).unwrap();
    // The template edited, and what to put back when done (None: remove it).
    let template = root.join("templates").join("base.html");
    let template_before = std::fs::read_to_string(&template).ok();
    let base = template_before.clone().unwrap_or_else(|| BASE.to_owned());
    if kind == "template" && template_before.is_none() {
        std::fs::create_dir_all(template.parent().unwrap()).unwrap();
        std::fs::write(&template, &base).unwrap();
    }
    let words = root.join("i18n").join("en.toml");
    let words_before = std::fs::read_to_string(&words).ok();
    if kind == "i18n" && words_before.is_none() {
        std::fs::create_dir_all(words.parent().unwrap()).unwrap();
        std::fs::write(&words, "# serve_latency\n").unwrap();
    }

    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("factbrief runs (build it with cargo build --release)");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut port = 0u16;
    let mut line = String::new();
    while port == 0 {
        line.clear();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            eprintln!("serve stopped");
            std::process::exit(1);
        }
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            port = rest.split('/').next().unwrap().parse().unwrap();
        }
    }
    let first_build = started.elapsed();
    // The whole rebuild's time, as serve says it ("Rebuilt after ... in N ms").
    let (tx, rebuilt) = mpsc::channel::<u64>();
    std::thread::spawn(move || {
        for l in out.lines().map_while(Result::ok) {
            if l.starts_with("Rebuilt after") {
                let ms = l
                    .rsplit(" in ")
                    .next()
                    .and_then(|t| t.trim_end_matches(" ms").parse().ok());
                let _ = tx.send(ms.unwrap_or(0));
            }
        }
    });
    let mut viewer = None;
    let mut times = Vec::with_capacity(edits);
    let mut totals = Vec::with_capacity(edits);
    for i in 0..edits {
        let marker = format!("latency-marker-{i}-{}", std::process::id());
        let new_file = root
            .join("content/claims")
            .join(format!("zz-latency-new-{i}.md"));
        let (path, target, text) = match kind.as_str() {
            "template" => (
                format!("/claims/{id}/"),
                template.clone(),
                base.replacen("</main>", &format!("<p>{marker}</p>\n</main>"), 1),
            ),
            "i18n" => (
                format!("/claims/{id}/"),
                words.clone(),
                format!(
                    "{}nav_claims = \"Claims {marker}\"\n",
                    words_before.clone().unwrap_or_default()
                ),
            ),
            "new" => (
                format!("/claims/zz-latency-new-{i}/"),
                new_file.clone(),
                replace_field(&original, "claim", &marker),
            ),
            "source" => (
                format!("/sources/{id}/"),
                file.clone(),
                replace_field(&original, "title", &marker),
            ),
            _ => (
                format!("/claims/{id}/"),
                file.clone(),
                replace_field(&original, "claim", &marker),
            ),
        };
        if view && (viewer.is_none() || kind == "new") {
            viewer = Some(listen(port, &path));
        }
        // Let the previous rebuild finish (the pages listing the whole site come
        // after the edited one: each edit waits for serve to say it is done, and then this).
        std::thread::sleep(Duration::from_millis(settle));
        while rebuilt.try_recv().is_ok() {}
        if let Some(v) = &viewer {
            while v.try_recv().is_ok() {}
        }
        let t0 = Instant::now();
        std::fs::write(&target, &text).unwrap();
        loop {
            if on_reload {
                // Wait for the server to say something (a reload), then fetch.
                let said = viewer
                    .as_ref()
                    .map(|v| v.recv_timeout(Duration::from_secs(30)));
                if !matches!(said, Some(Ok(()))) {
                    eprintln!("edit {i}: the live-reload connection said nothing");
                    break;
                }
            }
            if get(port, &path).contains(&marker) {
                times.push(t0.elapsed());
                break;
            }
            if t0.elapsed() > Duration::from_secs(30) {
                eprintln!("edit {i} never appeared");
                break;
            }
            if !on_reload {
                std::thread::sleep(Duration::from_micros(500));
            }
        }
        if let Ok(ms) = rebuilt.recv_timeout(Duration::from_secs(30)) {
            totals.push(ms);
        }
        if kind == "new" {
            std::thread::sleep(Duration::from_millis(settle));
            std::fs::remove_file(&new_file).unwrap();
            // The removal's rebuild is over before the next edit.
            let _ = rebuilt.recv_timeout(Duration::from_secs(30));
        }
    }
    std::fs::write(&file, &original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    drop(viewer);
    if kind == "template" {
        match &template_before {
            Some(t) => std::fs::write(&template, t).unwrap(),
            None => std::fs::remove_file(&template).unwrap(),
        }
    }
    if kind == "i18n" {
        match &words_before {
            Some(t) => std::fs::write(&words, t).unwrap(),
            None => std::fs::remove_file(&words).unwrap(),
        }
    }
    times.sort();
    totals.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    let total = |q: f64| {
        totals
            .get(((totals.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{} ({kind} edits, {}): first build and serve {:.0} ms; save-to-served over {} edits: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms; whole rebuild median {} ms, max {} ms",
        root.display(),
        if view { "page viewed" } else { "no page viewed" },
        ms(first_build),
        times.len(),
        ms(pick(0.5)),
        ms(pick(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        total(0.5),
        total(1.0),
    );
}

/// The first `.md` file of `dir`, by name.
fn first_md(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("content/claims or content/sources")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.first().expect("a document").clone()
}

/// The file with `field` (the statement, the title) replaced by one holding `marker`.
fn replace_field(text: &str, field: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    let (toml, yaml) = (format!("{field} = "), format!("{field}: "));
    for line in text.lines() {
        if !done && (line.starts_with(&toml) || line.starts_with(&yaml)) {
            let sep = if line.starts_with(&toml) {
                &toml
            } else {
                &yaml
            };
            out.push_str(&format!("{sep}\"Edited {field} {marker}.\""));
            done = true;
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A live-reload connection, as the page at `path` opens it; open until dropped.
/// Returns once the server has said hello (and so knows the page).
fn listen(port: u16, path: &str) -> Receiver<()> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let page: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    write!(
        s,
        "GET /__factbrief/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    let (hello, said) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(s).lines().map_while(Result::ok);
        for l in lines.by_ref() {
            if l == "event: hello" {
                let _ = hello.send(());
                break;
            }
        }
        // Read on (and keep the connection) until the receiver is dropped.
        for _ in lines {
            if tx.send(()).is_err() {
                return;
            }
        }
    });
    let _ = said.recv_timeout(Duration::from_secs(10));
    rx
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}
