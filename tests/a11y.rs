//! Accessibility: axe-core (WCAG 2 A and AA, and best practices) finds no
//! violation on any page type of the example briefing, in light and dark,
//! at desktop and phone widths, in headless Chromium.
//!
//! axe-core comes from npm (`.ci/run` installs it into `.tools/`).

mod common;

use std::path::PathBuf;

use common::webdriver::{browser_available, serve_dir, Browser, Look};
use serde_json::{json, Value};

/// One page of each kind.
const PAGES: &[&str] = &[
    "",
    "claims/",
    "claims/call-lasted-two-hours/",
    "claims/january-talks-follow-call/",
    "sources/",
    "sources/voa-2021-12-30-urges-reduce-tensions/",
    "sources/presidentialinsider-2021-04-13-putin-calls-meeting/",
    "pages/rating-scale/",
    "matrix/",
    "timeline/",
    "tags/",
    "tags/diplomacy/",
    "verdicts/",
    "verdicts/false/",
    "outlets/",
    "outlets/cbs-news/",
    "corrections/",
    "search/",
    "404.html",
];

fn axe_source() -> Option<String> {
    let path = common::repo_root().join(".tools/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            common::skip(
                "a11y",
                &format!(
                    "no {} (npm install --prefix .tools axe-core@4.14.1)",
                    path.display()
                ),
            );
            None
        }
    }
}

#[test]
fn no_page_type_has_an_accessibility_violation() {
    if !browser_available("a11y") {
        return;
    }
    let Some(axe) = axe_source() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("public");
    // Served at the site root, so the example's base_url is replaced.
    let o = common::run(
        &common::repo_root(),
        &[
            "build",
            "--base-url",
            "/",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let port = serve_dir(&out, "/");
    let mut found = Vec::new();
    for look in LOOKS {
        let browser = Browser::start(look);
        for page in PAGES {
            browser.goto(&format!("http://127.0.0.1:{port}/{page}"));
            // The theme's dark mode is on when the media query says so.
            let dark = browser.run(
                "return matchMedia('(prefers-color-scheme: dark)').matches",
                json!([]),
            );
            assert_eq!(dark, json!(look.dark), "{look:?}");
            found.extend(violations(&browser, &axe, page, look));
        }
    }
    assert!(
        found.is_empty(),
        "{} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The looks every page is checked in: desktop and phone, light and dark.
const LOOKS: [Look; 4] = [
    Look {
        size: (1280, 900),
        dark: false,
    },
    Look {
        size: (1280, 900),
        dark: true,
    },
    Look {
        size: (390, 844),
        dark: false,
    },
    Look {
        size: (390, 844),
        dark: true,
    },
];

/// What axe finds wrong with the page open in `browser`, one line each.
fn violations(browser: &Browser, axe: &str, page: &str, look: Look) -> Vec<String> {
    browser.run(axe, json!([]));
    let result = browser.run_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })
            .then(r => done({ passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) })) }))
            .catch(e => done({ passes: 0, violations: [{ id: 'axe-error', help: String(e), nodes: [] }] }));",
        json!([]),
    );
    // axe ran and checked something (a test that cannot fail is no test).
    assert!(
        result["passes"].as_u64().unwrap_or(0) > 10,
        "{page}: {result}"
    );
    result["violations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| {
            format!(
                "{page} {look:?}: {} ({}): {}",
                v["id"],
                v["help"],
                summary(&v["nodes"])
            )
        })
        .collect()
}

fn summary(nodes: &Value) -> String {
    nodes
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// The Arabic test briefing's pages of each kind.
const ARABIC_PAGES: &[&str] = &[
    "",
    "claims/",
    "claims/thalath-sufun/",
    "sources/",
    "sources/bayan/",
    "matrix/",
    "timeline/",
    "verdicts/",
    "search/",
    "404.html",
];

#[test]
fn an_arabic_briefing_reads_right_to_left_with_no_violation() {
    if !browser_available("a11y") {
        return;
    }
    let Some(axe) = axe_source() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("public");
    let root = common::repo_root().join("tests/fixtures/i18n-ar");
    let o = common::run(&root, &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let port = serve_dir(&out, "/");
    let mut found = Vec::new();
    for look in LOOKS {
        let browser = Browser::start(look);
        for page in ARABIC_PAGES {
            browser.goto(&format!("http://127.0.0.1:{port}/{page}"));
            // The page is right to left, and its heading starts at the right:
            // its text ends flush with the right edge of its box and leaves
            // room on the left.
            let h1 = browser.run(
                "const h = document.querySelector('main h1') || document.querySelector('h1');
                 const r = document.createRange(); r.selectNodeContents(h);
                 const text = r.getBoundingClientRect(), box = h.getBoundingClientRect();
                 return { dir: getComputedStyle(document.documentElement).direction,
                          right: box.right - text.right, left: text.left - box.left,
                          lines: Math.round(text.height / parseFloat(getComputedStyle(h).lineHeight)) };",
                json!([]),
            );
            assert_eq!(h1["dir"], json!("rtl"), "{page} {look:?}: {h1}");
            let gap_right = h1["right"].as_f64().unwrap_or(f64::MAX);
            assert!(
                gap_right.abs() < 2.0,
                "{page} {look:?}: the heading is not flush right: {h1}"
            );
            if h1["lines"].as_f64() == Some(1.0) {
                assert!(
                    h1["left"].as_f64().unwrap_or(0.0) > 2.0,
                    "{page} {look:?}: a one-line heading fills the line from the left: {h1}"
                );
            }
            found.extend(violations(&browser, &axe, page, look));
        }
        // The evidence rule stands on the right of the claim page's stances, and
        // the timeline's on the right of its entries.
        browser.goto(&format!("http://127.0.0.1:{port}/claims/thalath-sufun/"));
        let rule = browser.run(
            "const s = getComputedStyle(document.querySelector('.stance'));
             return [s.borderRightWidth, s.borderLeftWidth];",
            json!([]),
        );
        assert_eq!(rule, json!(["4px", "0px"]), "{look:?}");
        browser.goto(&format!("http://127.0.0.1:{port}/timeline/"));
        let rule = browser.run(
            "const s = getComputedStyle(document.querySelector('.timeline'));
             return [s.borderRightWidth, s.borderLeftWidth];",
            json!([]),
        );
        assert_eq!(rule, json!(["2px", "0px"]), "{look:?}");
    }
    assert!(
        found.is_empty(),
        "{} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
