//! `factbrief serve`: build in memory, serve over HTTP, watch the inputs,
//! rebuild only what an edit touches, and tell the browser to reload (or show
//! what is wrong, over the last good page).

pub mod http;
pub mod watch;

use std::net::TcpListener;
use std::path::PathBuf;

use crate::build::BuildOptions;
use crate::diagnostic::report;
use crate::diagnostic::{Error, Result};
use crate::pipeline::{Pipeline, Rebuild, Unfinished};
use crate::render::i18n::Translations;
use crate::render::RenderOptions;
use http::Reload;

/// The script served pages get (never `build` output): it listens for rebuilds,
/// saying which page it shows (rendered first after an edit), reloads the page
/// or swaps its stylesheets, shows build errors over the page, and reconnects
/// when the server restarts.
const LIVE_RELOAD: &str = r#"<script>
(function () {
  var WORDS = /*WORDS*/null;
  var build = null;
  // The overlay lives in a shadow root, styled on its own: the site's CSS
  // (a `pre` rule, `* { color: ... }`) cannot reach it, in light or dark mode.
  var STYLE = ":host{all:initial}"
    + ".o{position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;box-sizing:border-box;"
    + "background:#ffffff;color:#18181b;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color-scheme:light}"
    + "h2{margin:0 0 1rem;font:600 1.2rem system-ui,sans-serif;color:#b91c1c}"
    + "pre{white-space:pre-wrap;margin:0 0 1rem;padding:1rem;background:#f4f4f5;color:#18181b;border:1px solid #d4d4d8;border-radius:.3rem;font:inherit}"
    + "p{margin:0;font:15px/1.5 system-ui,sans-serif;color:#18181b}"
    + "@media (prefers-color-scheme: dark){.o{background:#18181b;color:#f4f4f5;color-scheme:dark}"
    + "h2{color:#fca5a5}pre{background:#27272a;color:#f4f4f5;border-color:#3f3f46}p{color:#f4f4f5}}";
  function overlay(text) {
    var host = document.getElementById("factbrief-overlay");
    if (text === null) { if (host) { host.remove(); } return; }
    if (!host) {
      host = document.createElement("div");
      host.id = "factbrief-overlay";
      // Inline and important: no rule of the site's can hide or move it.
      host.setAttribute("style", "all:initial !important;display:block !important;position:fixed !important;inset:0 !important;z-index:2147483647 !important");
      var root = host.attachShadow({ mode: "open" });
      var style = document.createElement("style");
      style.textContent = STYLE;
      var o = document.createElement("div");
      o.className = "o";
      o.setAttribute("role", "alert");
      root.append(style, o);
      document.body.appendChild(host);
    }
    var box = host.shadowRoot.querySelector(".o");
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = WORDS.failed;
    var pre = document.createElement("pre");
    pre.textContent = text;
    var p = document.createElement("p");
    p.textContent = WORDS.failed_hint;
    box.append(h, pre, p);
  }
  function connect() {
    var es = new EventSource("/__factbrief/events?page=" + encodeURIComponent(location.pathname));
    es.addEventListener("hello", function (e) {
      var b = JSON.parse(e.data).build;
      if (build !== null && b !== build) { location.reload(); }
      build = b;
      window.__factbriefBuild = b;
    });
    es.addEventListener("reload", function (e) {
      var d = JSON.parse(e.data);
      var here = decodeURIComponent(location.pathname).replace(/^\//, "");
      if (here === "" || here.slice(-1) === "/") { here += "index.html"; }
      var mine = d.paths === "*" ? (d.except || []).indexOf(here) < 0 : d.paths.indexOf(here) >= 0;
      if (mine) { location.reload(); } else { build = d.build; window.__factbriefBuild = build; }
    });
    es.addEventListener("css", function (e) {
      build = JSON.parse(e.data).build;
      overlay(null);
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var u = new URL(l.href); u.searchParams.set("v", Date.now()); l.href = u.href;
      });
    });
    es.addEventListener("report", function (e) { overlay(JSON.parse(e.data).text); });
    es.onerror = function () { es.close(); setTimeout(connect, 500); };
  }
  connect();
})();
</script>
"#;

/// The live-reload script, with the overlay's words in the briefing's language.
pub fn live_reload(tr: &Translations) -> String {
    let words = serde_json::json!({
        "failed": tr.t("serve_failed"),
        "failed_hint": tr.t("serve_failed_hint"),
    });
    // JSON in a script element: no `</script>` or `<!--` may close or confuse it.
    let words = words.to_string().replace('<', "\\u003c");
    LIVE_RELOAD.replacen("/*WORDS*/null", &words, 1)
}

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: String,
    /// The port; 0 for any free one. When it is taken, the next free one is used.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in a browser.
    pub open: bool,
    /// More `Host` names to answer besides the loopback names and the address
    /// connected to (`--allow-host`), each checked by [`http::allowed_host`].
    pub allow_hosts: Vec<String>,
}

/// Bind `bind:port`, or the next free port after it (said on standard error).
pub fn bind(bind: &str, port: u16) -> Result<TcpListener> {
    let first = TcpListener::bind((bind, port));
    let err = match first {
        Ok(l) => return Ok(l),
        Err(e) => e,
    };
    if err.kind() == std::io::ErrorKind::AddrInUse && port != 0 {
        for next in port.saturating_add(1)..port.saturating_add(20) {
            if let Ok(l) = TcpListener::bind((bind, next)) {
                eprintln!("Port {port} is in use; serving on port {next} instead.");
                return Ok(l);
            }
        }
    }
    Err(Error::usage_with_help(
        "",
        format!("cannot listen on {bind}:{port}: {err}"),
        "choose another port with --port, or stop what is using it",
    ))
}

/// Serve until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<()> {
    // Before any thread is started (mimalloc's options are plain values).
    allocator::keep_freed_memory();
    let listener = bind(&options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::usage("", format!("cannot listen: {e}")))?;
    let port = addr.port();
    let everywhere = addr.ip().is_unspecified();
    let url = if everywhere {
        format!("http://localhost:{port}/")
    } else {
        format!("http://{addr}/")
    };
    if everywhere {
        eprintln!(
            "warning: --bind {} makes the site visible to the network: factbrief listens on all interfaces, port {port}",
            options.bind
        );
    } else if !addr.ip().is_loopback() {
        eprintln!(
            "warning: --bind {} makes the site visible to the network, at {url}",
            options.bind
        );
    }
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        // Bound to all interfaces, the site is read under whatever address each
        // reader uses, so absolute links would point the others to the wrong one.
        base_url: Some(if everywhere {
            "/".to_owned()
        } else {
            url.clone()
        }),
        drafts: options.drafts,
        clean: false,
    };
    let render_options = RenderOptions {
        inject: Some(live_reload),
        ..RenderOptions::default()
    };
    let mut pipeline = Pipeline::open(build_options, render_options)?;
    let first = pipeline.build();
    let shared = http::Shared::new(pipeline.files());
    shared.set_words(pipeline.translations());
    let root = options.root.clone();
    match first {
        Ok(r) => {
            report::print(pipeline.warnings(), report::Format::Human);
            println!("Built {} pages in {} ms", r.rendered, r.elapsed.as_millis());
        }
        Err(e) => shared.fail(&failure(&e)),
    }
    // Watch before saying the site is served, so that no save after that line is missed.
    let (mut watching, batches) = watch::watch(&root)?;
    let hosts = http::Hosts::new(port, &options.allow_hosts);
    http::spawn(listener, shared.clone(), hosts, http::Limits::default())
        .map_err(|e| Error::usage("", format!("cannot start the server: {e}")))?;
    let shown = crate::build::display_path(&root);
    if everywhere {
        println!("Serving {shown} on all interfaces, port {port}: {url} on this machine (press Ctrl+C to stop)");
    } else {
        println!("Serving {shown} at {url} (press Ctrl+C to stop)");
    }
    if options.open {
        open_browser(&url);
    }
    let mut shown = pipeline.findings().clone();
    // The pages an edit touches that no browser is showing: behind the server's threads.
    let rest_pool = crate::background::pool("factbrief-rest");
    for batch in batches {
        // A templates/ or static/ made since: watched from now on (and read now).
        watching.adopt(&batch);
        // The pages open in a browser and the edited documents' pages first,
        // then the rest; requests for the rest wait until they are rendered.
        let viewed = shared.viewed();
        let result = pipeline.apply_first(&batch, &viewed).and_then(|mut r| {
            let reload = if r.css_only {
                Reload::Stylesheets
            } else {
                Reload::Pages(&r.paths)
            };
            shared.publish(pipeline.files(), reload, pipeline.unfinished());
            // The rest is rendered by threads that give way to the server's:
            // the browser's request for the page just rendered is not kept
            // waiting behind pages no one is looking at.
            let rest = match &rest_pool {
                Some(pool) => pool.install(|| pipeline.finish()),
                None => pipeline.finish(),
            };
            if let Some(rest) = rest? {
                let reload = if rest.full {
                    Reload::AllBut(&r.paths)
                } else {
                    Reload::Pages(&rest.paths)
                };
                shared.publish(pipeline.files(), reload, Unfinished::Nothing);
                r.rendered += rest.rendered;
                r.removed += rest.removed;
                r.elapsed += rest.elapsed;
            }
            Ok(r)
        });
        match result {
            Ok(r) => {
                // Warnings are printed when they change, not after every save.
                if !pipeline.findings().same_as(&shown) && pipeline.warnings() != shown.sorted() {
                    report::print(pipeline.warnings(), report::Format::Human);
                }
                shown = pipeline.findings().clone();
                println!("{}", summary(&r));
            }
            Err(e) => {
                let text = failure(&e);
                shared.fail(&text);
            }
        }
        if pipeline.files().is_empty() {
            // Still no good build: the waiting page follows the language as it is now.
            shared.set_words(pipeline.translations());
        }
    }
    Ok(())
}

/// How `serve` has the allocator treat the memory a rebuild frees.
mod allocator {
    use std::ffi::{c_int, c_long};

    // Linked in wherever this module is (a test binary of the library too),
    // even when the program's global allocator is another.
    extern crate mimalloc as _;

    /// mimalloc's `mi_option_purge_delay` (in `mimalloc.h` of the v3 that
    /// libmimalloc-sys builds; its bindings leave it out). A test checks it.
    pub(super) const PURGE_DELAY: c_int = 15;

    unsafe extern "C" {
        pub(super) fn mi_option_set(option: c_int, value: c_long);
        #[cfg(test)]
        pub(super) fn mi_option_get(option: c_int) -> c_long;
    }

    /// Keep the memory a rebuild freed instead of giving it back to the
    /// system. mimalloc gives it back a second after it is freed, in
    /// whichever thread allocates then: that was the next edit's, which then
    /// stalled 30–50 ms (loading the templates, at 10,000 sources). `serve`
    /// holds the site in memory anyway; its size now stays at its peak. A
    /// purge delay set in the environment (`MIMALLOC_PURGE_DELAY`) is left as
    /// it is. (Nothing changes when another allocator is the global one:
    /// mimalloc is linked in all the same.)
    pub(super) fn keep_freed_memory() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: sets one of mimalloc's options, read at each purge; -1 is
        // a valid value ("never").
        unsafe { mi_option_set(PURGE_DELAY, -1) }
    }
}

/// Print the problems of a failed rebuild and return them as plain text for the
/// overlay. Their excerpts come from the texts the pipeline read, so they show
/// the save that was diagnosed, not a newer one.
fn failure(e: &Error) -> String {
    let diags = e.diagnostics();
    report::print(&diags, report::Format::Human);
    eprintln!(
        "{}; still serving the last good build",
        report::summary(&diags)
    );
    diags
        .iter()
        .map(|d| report::human(d, false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The line printed after each rebuild: what changed, what was rendered, how long it took.
pub fn summary(r: &Rebuild) -> String {
    let changed: Vec<String> = r.changed.iter().map(|p| p.display().to_string()).collect();
    let what = match changed.len() {
        0 => "nothing".to_owned(),
        1..=3 => changed.join(", "),
        n => format!("{}, and {} more", changed[..2].join(", "), n - 2),
    };
    let rendered = if r.css_only {
        "stylesheet swapped".to_owned()
    } else if r.full {
        format!("all {} pages rendered", r.rendered)
    } else {
        format!(
            "{} page{} rendered",
            r.rendered,
            if r.rendered == 1 { "" } else { "s" }
        )
    };
    let removed = if r.removed > 0 {
        format!(", {} removed", r.removed)
    } else {
        String::new()
    };
    format!(
        "Rebuilt after {what} changed: {rendered}{removed} in {} ms",
        r.elapsed.as_millis()
    )
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("could not open a browser ({program}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    /// The option set is mimalloc's purge delay: its default, 1,000 ms, is
    /// read there (unless the environment sets it).
    #[test]
    fn the_option_set_is_the_purge_delay() {
        use super::allocator::{mi_option_get, mi_option_set, PURGE_DELAY};
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set, and serve leaves it as it is");
            return;
        }
        // SAFETY: reads and sets one of mimalloc's options (the default put back).
        unsafe {
            assert_eq!(mi_option_get(PURGE_DELAY), 1000);
            super::allocator::keep_freed_memory();
            assert_eq!(mi_option_get(PURGE_DELAY), -1);
            mi_option_set(PURGE_DELAY, 1000);
        }
    }
}
