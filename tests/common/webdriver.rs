//! Headless Chromium through chromedriver's WebDriver HTTP API, and a small
//! static file server for built sites, for the tests of what a reader does.
//!
//! `.ci/run` installs chromium and chromium-driver. Without them a test says
//! plainly that it skipped; under `CI=true` it fails instead.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser is here; if not, fail under CI and say so elsewhere.
pub fn browser_available(test: &str) -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    super::skip(
        test,
        &format!("no {CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)"),
    );
    false
}

/// A child process group, killed whole when dropped (chromedriver starts chromium).
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.0.id())])
                .status();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `cmd` in a process group of its own.
pub fn spawn_group(cmd: &mut Command) -> Proc {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    Proc(cmd.spawn().expect("the program starts"))
}

/// Start `factbrief serve` on `root` and wait until it says it serves; its port.
/// The process group is killed when the returned [`Proc`] is dropped.
pub fn serve_site(root: &Path) -> (Proc, u16) {
    let port = free_port();
    let mut server = spawn_group(
        Command::new(env!("CARGO_BIN_EXE_factbrief"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let mut out = BufReader::new(server.0.stdout.take().expect("piped"));
    let mut line = String::new();
    while !line.contains("Serving") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve stopped");
    }
    std::thread::spawn(move || for _ in out.lines() {});
    (server, port)
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Wait until `check` holds, or fail after 20 s.
pub fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One WebDriver call: method, path and JSON body; the `value` of the answer.
pub fn webdriver(port: u16, method: &str, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Read the head, then exactly Content-Length bytes (the driver may keep the connection open).
    let mut reader = BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut json = vec![0; length];
    reader.read_exact(&mut json).unwrap();
    let v: Value = serde_json::from_slice(&json)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&json)));
    v["value"].clone()
}

/// A headless Chromium session; closed (and the browser killed) when dropped.
pub struct Browser {
    /// chromedriver's port.
    pub port: u16,
    /// The WebDriver session.
    pub session: String,
    _driver: Proc,
    _profile: tempfile::TempDir,
}

/// How the browser shows pages.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// Window width and height in CSS pixels.
    pub size: (u32, u32),
    /// `prefers-color-scheme: dark`.
    pub dark: bool,
}

impl Browser {
    /// A browser with the window size and colour scheme of `look`.
    pub fn start(look: Look) -> Browser {
        let port = free_port();
        let driver = spawn_group(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until("chromedriver", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        let profile = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            format!("--window-size={},{}", look.size.0, look.size.1),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        // Blink's setting for the media query (0: dark, 1: light).
        args.push(format!(
            "--blink-settings=preferredColorScheme={}",
            if look.dark { 0 } else { 1 }
        ));
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}});
        let session = webdriver(port, "POST", "/session", &caps);
        let id = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"))
            .to_owned();
        Browser {
            port,
            session: id,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Go to `url` and wait for the page to load.
    pub fn goto(&self, url: &str) {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            &json!({ "url": url }),
        );
    }

    /// Run `script` (a function body; `arguments` are `args`) and give what it returns.
    pub fn run(&self, script: &str, args: Value) -> Value {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            &json!({ "script": script, "args": args }),
        )
    }

    /// The WebDriver id of the first element matching `css`.
    pub fn element(&self, css: &str) -> String {
        let v = webdriver(
            self.port,
            "POST",
            &format!("/session/{}/element", self.session),
            &json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    /// Click the element matching `css`, as a reader would.
    pub fn click(&self, css: &str) {
        let el = self.element(css);
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/element/{el}/click", self.session),
            &json!({}),
        );
    }

    /// Type `text` into the element matching `css`, key by key.
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.element(css);
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/element/{el}/value", self.session),
            &json!({ "text": text }),
        );
    }

    /// Run asynchronous `script`, which calls `arguments[arguments.length - 1]` with its result.
    pub fn run_async(&self, script: &str, args: Value) -> Value {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/async", self.session),
            &json!({ "script": script, "args": args }),
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        webdriver(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            &json!({}),
        );
    }
}

/// Serve the folder `dir` at `http://127.0.0.1:<port><prefix>` (prefix `/` or
/// `/x/`), as a static host would: `index.html` for folders, `404.html` for
/// what is not there. The server lives as long as the test process.
pub fn serve_dir(dir: &Path, prefix: &str) -> u16 {
    serve_dir_logged(dir, prefix).0
}

/// [`serve_dir`], with the log of every path asked for (before decoding).
pub fn serve_dir_logged(dir: &Path, prefix: &str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir: PathBuf = dir.to_path_buf();
    let prefix = prefix.to_owned();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let prefix = prefix.clone();
            let log = log.clone();
            std::thread::spawn(move || answer(stream, &dir, &prefix, &log));
        }
    });
    (port, asked)
}

fn answer(stream: TcpStream, dir: &Path, prefix: &str, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if let Ok(mut log) = log.lock() {
        log.push(path.to_owned());
    }
    let decoded = percent_decode(path);
    let file = decoded
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|s| s == ".."))
        .map(|rest| {
            let f = dir.join(rest);
            if f.is_dir() {
                f.join("index.html")
            } else {
                f
            }
        });
    let (status, body, file) = match file
        .as_ref()
        .and_then(|f| std::fs::read(f).ok().map(|b| (b, f)))
    {
        Some((b, f)) => ("200 OK", b, f.clone()),
        None => (
            "404 Not Found",
            std::fs::read(dir.join("404.html")).unwrap_or_default(),
            dir.join("404.html"),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("xml") => "application/xml",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(&body);
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
