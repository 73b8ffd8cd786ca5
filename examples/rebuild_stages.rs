//! Time the stages of an incremental rebuild in process, without the server:
//! edit the first claim (or source) of ROOT N times and print each rebuild's stages.
//!
//! cargo run --release --example rebuild_stages -- [--kind claim|source] [--edits N] ROOT

use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use factbrief::pipeline::Pipeline;
use factbrief::render::RenderOptions;
use factbrief::BuildOptions;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut kind, mut edits, mut root) = (String::from("claim"), 10usize, None);
    // Leave the listings unrendered (to profile the path to the edited page alone).
    let mut listings = true;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--kind" => kind = args.next().unwrap_or(kind),
            "--no-listings" => listings = false,
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: rebuild_stages [--kind claim|source] [--edits N] [--no-listings] ROOT");
        std::process::exit(2);
    };
    let options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
        drafts: false,
        clean: false,
    };
    let mut p = Pipeline::open(options, RenderOptions::default()).expect("the site opens");
    let t = Instant::now();
    p.build().expect("the site builds");
    println!("full build: {} ms", t.elapsed().as_millis());
    let (folder, field) = if kind == "source" {
        ("sources", "title")
    } else {
        ("claims", "claim")
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content").join(folder))
        .expect("the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let file = files[0].clone();
    let original = std::fs::read_to_string(&file).expect("the file");
    for i in 0..edits {
        let edited: String = original
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{field} = ")) {
                    format!("{field} = \"Edited {i}\"\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(&file, edited).expect("written");
        let t = Instant::now();
        let r = p.apply_fast(std::slice::from_ref(&file)).expect("rebuilds");
        let fast = t.elapsed();
        let rest = if listings {
            p.finish().expect("finishes")
        } else {
            None
        };
        let stages: Vec<String> = r
            .stages
            .iter()
            .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "edit {i}: edited pages in {:.1} ms ({}; {} pages), listings {:.1} ms{}",
            fast.as_secs_f64() * 1000.0,
            stages.join(", "),
            r.rendered,
            rest.as_ref()
                .map_or(0.0, |r| r.elapsed.as_secs_f64() * 1000.0),
            rest.map_or(String::new(), |r| {
                let s: Vec<String> = r
                    .stages
                    .iter()
                    .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
                    .collect();
                format!(" ({}; {} pages)", s.join(", "), r.rendered)
            })
        );
    }
    std::fs::write(&file, original).expect("restored");
}
