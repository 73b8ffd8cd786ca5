//! Search-index benchmark: builds ROOT in memory once, then makes its search
//! index (the records, and every shard with Pagefind, nothing kept) a few
//! times and prints the wall and CPU time of each part.
//!
//! ```text
//! cargo run --release --example search_bench -- [--runs 3] [--cache DIR] ROOT
//! ```
//!
//! `--cache DIR` reads the share images and search shards a build kept in DIR
//! (`.<output>.factbrief-cache`, never written), so that building the site
//! first does not draw every share image again; the index measured is still
//! made from nothing.
//!
//! CPU time is the process's (user and system, from `/proc/self/stat`, Linux
//! only; shown as 0 elsewhere), so that the figure means something on a busy
//! machine, where wall time does not.

use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use factbrief::pipeline::Pipeline;
use factbrief::render::blobs::Blobs;
use factbrief::render::search;
use factbrief::render::RenderOptions;
use factbrief::BuildOptions;

/// CPU seconds (user + system) the process has used so far.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut runs, mut root, mut cache) = (3usize, None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--cache" => cache = args.next().map(PathBuf::from),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: search_bench [--runs N] [--cache DIR] ROOT");
        std::process::exit(2);
    };
    let options = BuildOptions {
        root,
        output: None,
        base_url: None,
        drafts: false,
        clean: false,
    };
    let render = match &cache {
        Some(dir) => RenderOptions::cached_in(dir, false),
        None => RenderOptions::default(),
    };
    let mut p = Pipeline::open(options, render).expect("the site opens");
    p.build().expect("the site builds");
    let site = p.site().expect("a built site");
    let language = search::index_language(&site.settings.language);
    for run in 0..runs {
        let (t, c) = (Instant::now(), cpu_seconds());
        let records = search::records(site).expect("the records");
        let (records_wall, records_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
        let (t, c) = (Instant::now(), cpu_seconds());
        let files = search::index(&records, &language, &Blobs::in_memory()).expect("indexed");
        let (index_wall, index_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        let text: usize = records
            .iter()
            .map(|r| r.content.len() + r.meta.values().map(String::len).sum::<usize>())
            .sum();
        println!(
            "run {run}: {} records ({:.1} MB of text): records {:.2} s wall {:.2} s CPU; \
             index {:.2} s wall {:.2} s CPU, {} files, {:.1} MB",
            records.len(),
            text as f64 / 1e6,
            records_wall,
            records_cpu,
            index_wall,
            index_cpu,
            files.len(),
            bytes as f64 / 1e6,
        );
    }
}
