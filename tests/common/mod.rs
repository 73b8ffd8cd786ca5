//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod webdriver;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Say that a test skipped, where `cargo test` shows it without
/// `--nocapture` (the standard error stream itself, not the captured one),
/// or fail under CI (`CI` set), where every tool the tests need is installed.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {why}: .ci/run installs what the tests need"
    );
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

/// The repository root, which is itself the example site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the factbrief binary with `args` in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factbrief"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the factbrief binary runs")
}

/// Build the site under `root` into `out` through the binary, which must succeed.
pub fn build_ok(root: &Path, out: &Path) -> Output {
    let o = run(root, &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}", texts(&o).1);
    o
}

/// Standard output and error of a run, as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Write `files` (relative path, text) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// A small valid site: one source, one claim quoting it, one page.
pub fn small_site(root: &Path) {
    write_files(
        root,
        &[
            (
                "content/_index.md",
                "+++\ntitle = \"Test briefing\"\npublished = 2022-01-05\nbase_url = \"https://desk.example/\"\ncontact = \"desk@example.org\"\n+++\nOverview with [a claim](claim:troops).\n",
            ),
            (
                "content/sources/report.md",
                "+++\ntitle = \"A report\"\noutlet = \"Wire\"\npublished = 2021-12-30\n+++\n\nRussia has assembled around 100,000 troops near the Ukrainian border.\n\nThe call *began at 3:35 p.m.* and ended 50 minutes later.\n",
            ),
            (
                "content/claims/troops.md",
                "+++\nclaim = \"Russia had about 100,000 troops at the border.\"\nverdict = \"mostly-true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"around 100,000 troops near the Ukrainian border\"\n+++\n\nAnalysis.\n",
            ),
            (
                "content/pages/about.md",
                "+++\ntitle = \"About\"\nweight = 1\n+++\nAbout us.\n",
            ),
        ],
    );
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The text (HTML-unescaped) of every element whose `data-q` lists `name`, in document order.
pub fn marked_text(html: &str, name: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-q=\"") {
        let after = &rest[i + 8..];
        let end = after.find('"').unwrap();
        let names = &after[..end];
        let body_start = after.find('>').unwrap() + 1;
        let body_end = after[body_start..].find('<').unwrap() + body_start;
        if names.split(' ').any(|n| n == name) {
            out.push_str(&unescape(&after[body_start..body_end]));
        }
        rest = &after[body_end..];
    }
    out
}

/// Undo HTML escaping of text.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The example briefing of the repository, built in memory.
pub fn render_example(base_url: Option<&str>) -> factbrief::pipeline::Pipeline {
    let options = factbrief::BuildOptions {
        root: repo_root(),
        output: None,
        base_url: base_url.map(str::to_owned),
        drafts: false,
        clean: false,
    };
    let mut pipeline =
        factbrief::pipeline::Pipeline::open(options, factbrief::render::RenderOptions::default())
            .expect("the example briefing opens");
    pipeline.build().expect("the example briefing builds");
    pipeline
}

/// The site under `root`, built in memory by a pipeline kept for more runs.
pub fn built(root: &Path) -> factbrief::pipeline::Pipeline {
    let options = factbrief::BuildOptions::new(root.to_path_buf());
    let mut p =
        factbrief::pipeline::Pipeline::open(options, Default::default()).expect("the site opens");
    p.build().expect("the site builds");
    p
}

/// The pages of a built site as text, by path (static files and share images left out).
pub fn pages_of(pipeline: &factbrief::pipeline::Pipeline) -> BTreeMap<String, String> {
    pipeline
        .files()
        .iter()
        .filter(|(p, _)| !pipeline.static_paths().contains(&***p) && !p.ends_with(".png"))
        .map(|(p, b)| {
            (
                p.to_string(),
                String::from_utf8(b.to_vec()).expect("UTF-8 output"),
            )
        })
        .collect()
}

/// Replace `from` by `to` in the file `rel` under `root` (which must contain `from`).
pub fn replace_in(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(path, text.replace(from, to)).unwrap();
}

/// A tiny deterministic random number generator (xorshift), for random edit sequences.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n`.
    pub fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
