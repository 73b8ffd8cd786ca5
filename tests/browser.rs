//! In a real browser (Debian's chromium, driven through chromedriver's
//! WebDriver HTTP API): a served claim page reloads by itself when its file
//! is edited, and shows a build error over the page until the next good save.
//!
//! `.ci/run` installs chromium and chromium-driver. Elsewhere, without them,
//! the test says so and does nothing; under CI it fails instead.

mod common;

use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::webdriver::{
    browser_available, free_port, serve_site, spawn_group, wait_until, webdriver, CHROMEDRIVER,
    CHROMIUM,
};
use serde_json::json;

#[test]
fn a_served_page_reloads_itself_and_shows_build_errors() {
    if !browser_available("live reload") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::small_site(&root);

    // The server, on a free port.
    let (_server, site_port) = serve_site(&root);

    // The browser.
    let driver_port = free_port();
    let _driver = spawn_group(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    wait_until("chromedriver", || {
        TcpStream::connect(("127.0.0.1", driver_port)).is_ok()
    });
    let profile = dir.path().join("profile");
    let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": CHROMIUM, "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1024,768", format!("--user-data-dir={}", profile.display())
    ]}}}});
    let session = webdriver(driver_port, "POST", "/session", &caps);
    let id = session["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_owned();
    let run = |script: &str| {
        webdriver(
            driver_port,
            "POST",
            &format!("/session/{id}/execute/sync"),
            &json!({"script": script, "args": []}),
        )
    };

    webdriver(
        driver_port,
        "POST",
        &format!("/session/{id}/url"),
        &json!({"url": format!("http://127.0.0.1:{site_port}/claims/troops/")}),
    );
    assert_eq!(
        run("return document.querySelector('h1').textContent"),
        json!("Russia had about 100,000 troops at the border.")
    );
    // Wait for the event stream to be open, then mark this page instance.
    wait_until("the event stream", || {
        run("return window.__factbriefBuild !== undefined") == json!(true)
    });
    run("window.__marker = 1; return 1");

    // Edit the claim: the page reloads by itself and shows the new text.
    let claim = root.join("content/claims/troops.md");
    let good = std::fs::read_to_string(&claim).unwrap();
    std::fs::write(
        &claim,
        good.replace(
            "Russia had about 100,000 troops at the border.",
            "Russia had roughly 100,000 troops there.",
        ),
    )
    .unwrap();
    wait_until("the reload", || {
        run("return [window.__marker === undefined, document.readyState, document.querySelector('h1') && document.querySelector('h1').textContent]")
            == json!([true, "complete", "Russia had roughly 100,000 troops there."])
    });

    // Break a quote: the overlay shows the diagnostic over the last good page.
    run("window.__marker = 2; return 1");
    std::fs::write(&claim, good.replace("around 100,000", "around 10,000")).unwrap();
    wait_until("the overlay", || {
        let text = run(
            "var o = document.getElementById('factbrief-overlay'); return o && o.shadowRoot ? o.shadowRoot.textContent : ''",
        );
        text.as_str().is_some_and(|t| {
            t.contains("quote-not-found") && t.contains("content/claims/troops.md:8")
        })
    });
    assert_eq!(
        run("return window.__marker"),
        json!(2),
        "an error does not reload the page"
    );

    // Fix it: the page reloads and the overlay is gone.
    std::fs::write(&claim, good.replace("mostly-true", "false")).unwrap();
    wait_until("the recovery", || {
        run("return [window.__marker === undefined, !document.getElementById('factbrief-overlay'), document.body.textContent.indexOf('False') >= 0]")
            == json!([true, true, true])
    });
    webdriver(driver_port, "DELETE", &format!("/session/{id}"), &json!({}));
}

/// The lowest contrast ratio (WCAG) between the text and the background of
/// the elements `selector` finds in `root` (a document or shadow root).
const CONTRAST: &str = r#"
function lum(c) {
  const v = c.match(/[\d.]+/g).map(Number).slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function bg(el) {
  for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
    const b = getComputedStyle(e).backgroundColor;
    if (b && b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') return b;
  }
  return 'rgb(255, 255, 255)';
}
function lowest(root, selector) {
  let min = 99;
  for (const el of root.querySelectorAll(selector)) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return 0;
    const a = lum(s.color), b = lum(bg(el));
    min = Math.min(min, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
  }
  return min;
}
"#;

#[test]
fn the_overlay_and_the_waiting_page_are_readable_whatever_the_site_css() {
    use common::webdriver::{Browser, Look};
    if !browser_available("overlay contrast") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::small_site(&root);
    // A site stylesheet that would make any text of the page unreadable.
    common::write_files(
        &root,
        &[(
            "static/style.css",
            "* { color: #fafafa !important; background: #ffffff !important; font-size: 2px !important; }\npre { color: #eeeeee !important; }\ndiv { display: none !important; }\n",
        )],
    );
    // Broken from the start: the waiting page.
    let claim = root.join("content/claims/troops.md");
    let good = std::fs::read_to_string(&claim).unwrap();
    std::fs::write(&claim, good.replace("around 100,000", "around 10,000")).unwrap();
    let (_server, port) = serve_site(&root);
    let url = format!("http://127.0.0.1:{port}/claims/troops/");
    for dark in [false, true] {
        let b = Browser::start(Look {
            size: (1024, 768),
            dark,
        });
        b.goto(&url);
        let waiting = b.run(
            &format!("{CONTRAST} return [document.title, lowest(document, 'h1, pre, p')]"),
            json!([]),
        );
        assert_eq!(waiting[0], json!("factbrief: not built yet"), "{waiting}");
        assert!(
            waiting[1].as_f64().unwrap() >= 4.5,
            "waiting page, dark {dark}: {waiting}"
        );
    }
    // Fixed, then broken again: the overlay over the last good page.
    std::fs::write(&claim, &good).unwrap();
    let b = Browser::start(Look {
        size: (1024, 768),
        dark: false,
    });
    wait_until("the first build", || {
        b.goto(&url);
        b.run("return document.title.indexOf('Russia') >= 0", json!([])) == json!(true)
    });
    std::fs::write(&claim, good.replace("around 100,000", "around 10,000")).unwrap();
    wait_until("the overlay", || {
        b.run("var o = document.getElementById('factbrief-overlay'); return !!(o && o.shadowRoot && o.shadowRoot.textContent.indexOf('quote-not-found') >= 0)", json!([])) == json!(true)
    });
    for dark in [false, true] {
        let b2;
        let b = if dark {
            b2 = Browser::start(Look {
                size: (1024, 768),
                dark: true,
            });
            b2.goto(&url);
            wait_until("the overlay (dark)", || {
                b2.run("var o = document.getElementById('factbrief-overlay'); return !!(o && o.shadowRoot && o.shadowRoot.textContent.length > 0)", json!([])) == json!(true)
            });
            &b2
        } else {
            &b
        };
        let r = b.run(
            &format!("{CONTRAST} var o = document.getElementById('factbrief-overlay'); var rect = o.getBoundingClientRect(); return [lowest(o.shadowRoot, 'h2, pre, p'), rect.width, getComputedStyle(o.shadowRoot.querySelector('pre')).fontSize]"),
            json!([]),
        );
        assert!(r[0].as_f64().unwrap() >= 4.5, "overlay, dark {dark}: {r}");
        assert!(
            r[1].as_f64().unwrap() > 500.0,
            "the overlay covers the page: {r}"
        );
        assert_eq!(
            r[2],
            json!("14px"),
            "the site's font size does not reach it: {r}"
        );
    }
}

#[test]
fn after_a_template_edit_the_page_shown_reloads_first_and_once() {
    use common::webdriver::{Browser, Look};
    if !browser_available("template reload") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::small_site(&root);
    let base = std::fs::read_to_string(common::repo_root().join("templates/base.html")).unwrap();
    common::write_files(&root, &[("templates/base.html", &base)]);
    let (_server, port) = serve_site(&root);
    let b = Browser::start(Look {
        size: (1024, 768),
        dark: false,
    });
    b.goto(&format!("http://127.0.0.1:{port}/claims/troops/"));
    wait_until("the event stream", || {
        b.run("return window.__factbriefBuild !== undefined", json!([])) == json!(true)
    });
    b.run("window.__marker = 1; return 1", json!([]));
    // Every page changes; the page shown is rendered first and reloads.
    std::fs::write(
        root.join("templates/base.html"),
        base.replacen("</main>", "</main>\n<p id=\"edited\">EDITED BASE</p>", 1),
    )
    .unwrap();
    wait_until("the reload", || {
        b.run(
            "return [window.__marker === undefined, document.readyState, !!document.getElementById('edited')]",
            json!([]),
        ) == json!([true, "complete", true])
    });
    b.run("window.__marker = 2; return 1", json!([]));
    // The other pages: once one is served (a request waits until it is
    // rendered), they have all been announced; the page shown is not
    // reloaded a second time.
    let other = format!("http://127.0.0.1:{port}/sources/report/");
    let b2 = Browser::start(Look {
        size: (1024, 768),
        dark: false,
    });
    b2.goto(&other);
    assert_eq!(
        b2.run("return !!document.getElementById('edited')", json!([])),
        json!(true)
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        b.run(
            "return [window.__marker, !!document.getElementById('edited')]",
            json!([])
        ),
        json!([2, true]),
        "the page shown reloads once"
    );
}
