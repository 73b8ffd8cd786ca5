//! Save-to-served latency of `factbrief serve`: edit a claim (or source) file,
//! then poll the server until it returns the new page. Standard library only.
//!
//! cargo run --release --example serve_latency -- [--edits N] [--settle MS] [--bin PATH] [--kind claim|source] ROOT
//!
//! ROOT is a site root; its first claim (or source, by file name) is edited and restored:
//! a claim's statement, or a source's title, is replaced by one holding a marker.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut edits = 30usize;
    let mut settle = 500u64;
    let mut bin = PathBuf::from("target/release/factbrief");
    let mut root = None;
    let mut kind = String::from("claim");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            "--settle" => settle = args.next().and_then(|v| v.parse().ok()).unwrap_or(settle),
            "--bin" => bin = PathBuf::from(args.next().unwrap_or_default()),
            "--kind" => kind = args.next().unwrap_or(kind),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!(
            "usage: serve_latency [--edits N] [--settle MS] [--bin PATH] [--kind claim|source] ROOT"
        );
        std::process::exit(2);
    };
    let (folder, field) = match kind.as_str() {
        "source" => ("sources", "title"),
        _ => ("claims", "claim"),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content").join(folder))
        .expect("content/claims or content/sources")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let file = files.first().expect("a document").clone();
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read_to_string(&file).unwrap();

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
    std::thread::spawn(move || for _ in out.lines() {});
    let path = format!("/{folder}/{id}/");
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let marker = format!("latency-marker-{i}-{}", std::process::id());
        let edited = replace_field(&original, field, &marker);
        // Let the previous rebuild finish (the pages listing the whole site come after the edited one).
        std::thread::sleep(Duration::from_millis(settle));
        let t0 = Instant::now();
        std::fs::write(&file, &edited).unwrap();
        loop {
            if get(port, &path).contains(&marker) {
                times.push(t0.elapsed());
                break;
            }
            if t0.elapsed() > Duration::from_secs(30) {
                eprintln!("edit {i} never appeared");
                break;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    }
    std::fs::write(&file, &original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{} ({kind} edits): first build and serve {:.0} ms; save-to-served over {} edits: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms",
        root.display(),
        ms(first_build),
        times.len(),
        ms(pick(0.5)),
        ms(pick(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
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
