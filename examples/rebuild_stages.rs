//! Time the stages of an incremental rebuild in process, without the server:
//! edit the first claim (or source) of ROOT N times, or add a new claim (a copy
//! of the first, under a new id) N times, and print each rebuild's stages.
//!
//! cargo run --release --example rebuild_stages -- [--kind claim|source|new] [--edits N] [--compare-listings] ROOT
//!
//! With `--compare-listings`, each edit also renders the listings alone
//! (without the search index) twice before they are finished: keeping the
//! pages whose fingerprint is unchanged, and rendering every one.

use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use factbrief::pipeline::Pipeline;
use factbrief::render::theme::Theme;
use factbrief::render::{Kept, Page, RenderOptions};
use factbrief::BuildOptions;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut kind, mut edits, mut root) = (String::from("claim"), 10usize, None);
    // Leave the listings unrendered (to profile the path to the edited page alone).
    let mut listings = true;
    let mut compare = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--kind" => kind = args.next().unwrap_or(kind),
            "--no-listings" => listings = false,
            "--compare-listings" => compare = true,
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!(
            "usage: rebuild_stages [--kind claim|source|new] [--edits N] [--no-listings] ROOT"
        );
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
    let mut added = Vec::new();
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
        // A new claim is the first one under a new id; an edit changes the file.
        let saved = match kind.as_str() {
            "new" => {
                let new = file.with_file_name(format!("zz-new-{i}.md"));
                std::fs::write(&new, &original).expect("written");
                added.push(new.clone());
                new
            }
            _ => {
                std::fs::write(&file, edited).expect("written");
                file.clone()
            }
        };
        let t = Instant::now();
        let r = p
            .apply_fast(std::slice::from_ref(&saved))
            .expect("rebuilds");
        let fast = t.elapsed();
        let compared = compare.then(|| compare_listings(&p, &root, i % 2 == 0));
        let cpu = cpu_ms();
        let rest = if listings {
            p.finish().expect("finishes")
        } else {
            None
        };
        let cpu = cpu_ms().zip(cpu).map(|(b, a)| b - a);
        let stages: Vec<String> = r
            .stages
            .iter()
            .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "edit {i}: edited pages in {:.1} ms ({}; {} pages), listings {:.1} ms (CPU {}){}{}",
            fast.as_secs_f64() * 1000.0,
            stages.join(", "),
            r.rendered,
            rest.as_ref()
                .map_or(0.0, |r| r.elapsed.as_secs_f64() * 1000.0),
            cpu.map_or("?".to_owned(), |c| format!("{c} ms")),
            rest.map_or(String::new(), |r| {
                let s: Vec<String> = r
                    .stages
                    .iter()
                    .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
                    .collect();
                format!(
                    " ({}; {} pages, {} unchanged)",
                    s.join(", "),
                    r.rendered,
                    r.unchanged
                )
            }),
            compared.unwrap_or_default()
        );
    }
    std::fs::write(&file, original).expect("restored");
    for new in added {
        std::fs::remove_file(new).expect("removed");
    }
}

/// The listings of `p`'s site rendered alone (no search index), keeping the
/// pages whose fingerprint `p` keeps, then rendering every one (the other way
/// round unless `kept_first`): how long each took, in wall and CPU time.
fn compare_listings(p: &Pipeline, root: &std::path::Path, kept_first: bool) -> String {
    let site = p.site().expect("a site");
    let pages = Page::listings(site);
    let mut theme = Theme::load(root).expect("the theme");
    let held = |_: &str| true;
    let mut run = |keep: bool| {
        let kept = if keep {
            Kept::new(p.fingerprints(), &held)
        } else {
            Kept::nothing()
        };
        let (t, cpu) = (Instant::now(), cpu_ms());
        let r = factbrief::render::render(site, &mut theme, &pages, p.render_options(), kept)
            .expect("renders");
        let cpu = cpu_ms().zip(cpu).map_or(-1, |(b, a)| b - a);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        format!("{ms:.1} ms (CPU {cpu} ms, {} rendered)", r.outputs.len())
    };
    let (kept, every) = if kept_first {
        let k = run(true);
        (k, run(false))
    } else {
        let e = run(false);
        (run(true), e)
    };
    format!("; listings alone: keeping unchanged {kept}, rendering every one {every}")
}

/// The CPU time of this process so far (user and system, every thread), in ms.
fn cpu_ms() -> Option<i64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name, in parentheses: fields 3 on; utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: i64 = f.get(11)?.parse::<i64>().ok()? + f.get(12)?.parse::<i64>().ok()?;
    // Clock ticks are 1/100 s on Linux.
    Some(ticks * 10)
}
