//! Save-to-served latency of `factbrief serve`: edit a claim file, then poll the
//! server until it returns the new page. Standard library only.
//!
//! cargo run --release --example serve_latency -- [--edits N] [--settle MS] [--bin PATH] ROOT
//!
//! ROOT is a site root; its first claim (by file name) is edited and restored.

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
    while let Some(a) = args.next() {
        match a.as_str() {
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            "--settle" => settle = args.next().and_then(|v| v.parse().ok()).unwrap_or(settle),
            "--bin" => bin = PathBuf::from(args.next().unwrap_or_default()),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: serve_latency [--edits N] [--settle MS] [--bin PATH] ROOT");
        std::process::exit(2);
    };
    let claims = root.join("content/claims");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&claims)
        .expect("content/claims")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let file = files.first().expect("a claim").clone();
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
    let path = format!("/claims/{id}/");
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let marker = format!("latency-marker-{i}-{}", std::process::id());
        let edited = replace_claim(&original, &marker);
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
        "{}: first build and serve {:.0} ms; save-to-served over {} edits: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms",
        root.display(),
        ms(first_build),
        times.len(),
        ms(pick(0.5)),
        ms(pick(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

/// The claim file with its statement replaced by one holding `marker`.
fn replace_claim(text: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for line in text.lines() {
        if !done && (line.starts_with("claim = ") || line.starts_with("claim: ")) {
            let sep = if line.starts_with("claim = ") {
                "claim = "
            } else {
                "claim: "
            };
            out.push_str(&format!("{sep}\"Edited claim {marker}.\""));
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
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}
