//! `factbrief serve` end to end: a real server on a free loopback port, real
//! edits of the files, and what the server returns and announces.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// A running `factbrief serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path, extra: &[&str]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbrief"));
    cmd.args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(root);
    start(cmd)
}

/// Start `cmd`, a `factbrief serve`, and wait for the port it says it serves on.
fn start(mut cmd: Command) -> Server {
    let child = cmd
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (etx, erx) = mpsc::channel();
    // From here on, dropping the server (also when a test panics) stops the process.
    let mut server = Server {
        child,
        port: 0,
        stderr: erx,
    };
    let stdout = BufReader::new(server.child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let stderr = BufReader::new(server.child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = etx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve prints its address");
        // "Serving . at http://127.0.0.1:PORT/ ..." or "... http://localhost:PORT/ on this machine ..."
        if let Some(rest) = line
            .strip_prefix("Serving ")
            .and_then(|l| l.split("http://").nth(1))
        {
            let authority = rest.split('/').next().unwrap();
            server.port = authority.rsplit_once(':').unwrap().1.parse().unwrap();
            return server;
        }
    }
}

/// Send `data` as it is and read the answer to the end: status, head and body.
fn exchange(port: u16, data: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer and close before it has read all of an oversized request.
    let _ = s.write_all(data);
    let mut raw = Vec::new();
    // What was read before a reset is kept in `raw`.
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, body)
}

/// GET (or HEAD) `path` with `Host: host`: status, headers and body.
fn request_for(port: u16, host: &str, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let data = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    exchange(port, data.as_bytes())
}

/// GET (or HEAD) `path`: status, headers and body.
fn request(port: u16, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    request_for(port, &format!("127.0.0.1:{port}"), method, path)
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, "GET", path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Wait until `check` holds of `path`'s page, or fail after a few seconds.
fn wait_for(port: u16, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = get(port, path);
        if check(status, &body) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {path} is {status}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The events the server sends, as (event, data) pairs, on a channel.
fn events(port: u16) -> Receiver<(String, String)> {
    events_request(port, "/__factbrief/events")
}

/// The events the server sends to a browser showing `page` (a URL path, such
/// as `/claims/troops/`), as the live-reload script asks for them.
fn events_on(port: u16, page: &str) -> Receiver<(String, String)> {
    let encoded = page.replace('%', "%25").replace('/', "%2F");
    events_request(port, &format!("/__factbrief/events?page={encoded}"))
}

fn events_request(port: u16, target: &str) -> Receiver<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_owned();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), d.to_owned())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (e, d) = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if e == name {
            return d;
        }
    }
}

#[test]
fn edits_additions_and_deletions_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let server = serve(root, &[]);
    let port = server.port;
    let (status, page) = get(port, "/claims/troops/");
    assert_eq!(status, 200);
    assert!(page.contains("Mostly true"));
    assert!(
        page.contains("/__factbrief/events"),
        "served pages carry the live-reload script"
    );
    let ev = events(port);
    assert!(next_event(&ev, "hello").contains("\"build\""));

    // Edit a claim.
    let claim = root.join("content/claims/troops.md");
    let text = std::fs::read_to_string(&claim).unwrap();
    std::fs::write(&claim, text.replace("mostly-true", "true")).unwrap();
    next_event(&ev, "reload");
    wait_for(port, "/claims/troops/", "the edit", |s, b| {
        s == 200 && b.contains("<strong>True</strong>")
    });
    // The source it cites lists it with the new verdict too.
    wait_for(port, "/sources/report/", "the source page", |_, b| {
        b.contains(">True</span>")
    });

    // Add a claim, then delete it.
    write_files(root, &[("content/claims/added.md", "+++\nclaim = \"Added claim.\"\nverdict = \"false\"\n[[evidence]]\nsource = \"report\"\nstance = \"contradicts\"\nquote = \"ended 50 minutes later\"\n+++\n")]);
    wait_for(port, "/claims/added/", "the new claim", |s, b| {
        s == 200 && b.contains("Added claim.")
    });
    wait_for(port, "/", "the index lists it", |_, b| {
        b.contains("claims/added/")
    });
    std::fs::remove_file(root.join("content/claims/added.md")).unwrap();
    wait_for(port, "/claims/added/", "the deleted claim", |s, _| s == 404);
    wait_for(port, "/", "the index no longer lists it", |_, b| {
        !b.contains("claims/added/")
    });
    // A deleted source's page disappears and the claims citing it report the error.
    std::fs::remove_file(root.join("content/sources/report.md")).unwrap();
    let report = next_event(&ev, "report");
    assert!(
        report.contains("cites `report`, which is not a source"),
        "{report}"
    );
    let (status, _) = get(port, "/sources/report/");
    assert_eq!(status, 200, "the last good site is still served");
    drop(server);
}

#[test]
fn an_error_shows_an_overlay_and_the_next_good_save_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    let server = serve(root, &[]);
    let port = server.port;
    let ev = events(port);
    next_event(&ev, "hello");
    let claim = root.join("content/claims/troops.md");
    let good = std::fs::read_to_string(&claim).unwrap();
    std::fs::write(&claim, good.replace("around 100,000", "around 10,000")).unwrap();
    let report = next_event(&ev, "report");
    assert!(report.contains("error[quote-not-found]"), "{report}");
    assert!(report.contains("content/claims/troops.md:8"), "{report}");
    // The last good page is still served, and a new visitor gets the report at once.
    let (status, page) = get(port, "/claims/troops/");
    assert_eq!(status, 200);
    assert!(page.contains("Mostly true"));
    let late = events(port);
    next_event(&late, "hello");
    assert!(next_event(&late, "report").contains("quote-not-found"));
    // The terminal says the same.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut said = String::new();
    while !said.contains("still serving the last good build") && Instant::now() < deadline {
        if let Ok(l) = server.stderr.recv_timeout(Duration::from_millis(200)) {
            said.push_str(&l);
            said.push('\n');
        }
    }
    assert!(
        said.contains("error[quote-not-found]")
            && said.contains("still serving the last good build"),
        "{said}"
    );
    // Fixed: the browsers reload and the new page is served.
    std::fs::write(&claim, good.replace("mostly-true", "false")).unwrap();
    next_event(&ev, "reload");
    wait_for(port, "/claims/troops/", "the fix", |_, b| {
        b.contains("<strong>False</strong>")
    });
}

#[test]
fn only_site_files_are_served_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    write_files(
        root,
        &[
            ("static/data.json", "{}"),
            ("static/img/logo.svg", "<svg/>"),
        ],
    );
    let server = serve(root, &[]);
    let port = server.port;
    for (path, status) in [
        ("/../Cargo.toml", 400),
        ("/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/..%2f..%2fetc%2fpasswd", 400),
        ("/claims/..%2F..%2Fcontent/_index.md", 400),
        ("/content/_index.md", 404),
        ("/claims", 301),
        ("/claims/", 200),
        ("/nope/", 404),
    ] {
        assert_eq!(request(port, "GET", path).0, status, "{path}");
    }
    let (_, head, body) = request(port, "GET", "/nope/");
    assert!(head.contains("text/html"));
    assert!(
        String::from_utf8_lossy(&body).contains("Page not found"),
        "the site's 404 page"
    );
    let (_, head, _) = request(port, "GET", "/claims");
    assert!(head.contains("Location: /claims/"), "{head}");
    for (path, ctype) in [
        ("/", "text/html"),
        ("/style.css", "text/css"),
        ("/feed.xml", "application/atom+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/data.json", "application/json"),
        ("/img/logo.svg", "image/svg+xml"),
    ] {
        let (status, head, _) = request(port, "GET", path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("Content-Type: {ctype}")),
            "{path}: {head}"
        );
    }
    let (status, head, body) = request(port, "HEAD", "/");
    assert_eq!(status, 200);
    assert!(body.is_empty() && head.contains("Content-Length: "));
    assert_eq!(request(port, "POST", "/").0, 405);
    assert_eq!(request(port, "GET", "/img/").0, 404, "no folder listings");
}

#[test]
fn requests_during_rebuilds_get_whole_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    for i in 0..200 {
        write_files(root, &[(&format!("content/sources/s{i}.md"), &format!("+++\ntitle = \"S{i}\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\nText {i}.\n"))]);
    }
    let server = serve(root, &[]);
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Requests answered so far, by both readers.
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            let answered = answered.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (status, head, body) = request(port, "GET", "/");
                    assert_eq!(status, 200);
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .unwrap()
                        .trim()
                        .parse()
                        .unwrap();
                    assert_eq!(body.len(), len);
                    let text = String::from_utf8(body).unwrap();
                    assert!(text.ends_with("</html>\n"), "a whole page");
                    assert_eq!(text.matches("<html").count(), 1);
                    n += 1;
                    answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                n
            })
        })
        .collect();
    for round in 0..10 {
        write_files(
            root,
            &[(
                "content/_index.md",
                &format!(
                    "+++\ntitle = \"Round {round}\"\npublished = 2022-01-05\n+++\nOverview.\n"
                ),
            )],
        );
        std::thread::sleep(Duration::from_millis(80));
        // Pages are requested while each edit is rebuilt (however slow the
        // machine: a count of requests in a fixed time was a timed test).
        let before = answered.load(std::sync::atomic::Ordering::Relaxed);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while answered.load(std::sync::atomic::Ordering::Relaxed) < before + 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "round {round}: no page served for 20 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    wait_for(port, "/", "the last round", |_, b| b.contains("Round 9"));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(served >= 20, "{served} requests");
}

#[test]
fn a_port_in_use_moves_to_the_next_free_one() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    // Find two free consecutive ports, then hold the first.
    let (held, port) = loop {
        let l = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let p = l.local_addr().unwrap().port();
        if p < 65000 && TcpListener::bind(("127.0.0.1", p + 1)).is_ok() {
            break (l, p);
        }
    };
    let child = Command::new(env!("CARGO_BIN_EXE_factbrief"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (_, unused) = mpsc::channel();
    let mut server = Server {
        child,
        port,
        stderr: unused,
    };
    let mut err = BufReader::new(server.child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    // Another process may take the next port between our check and the
    // server's bind (CI runs tests side by side), so the server may move
    // further on: what matters is that it says where, and serves there.
    let prefix = format!("Port {port} is in use; serving on port ");
    let moved: u16 = line
        .trim()
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(" instead."))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    assert!(
        moved > port && moved < port + 20,
        "moved from {port} to {moved}"
    );
    server.port = moved;
    wait_for(moved, "/", "the moved server", |status, body| {
        status == 200 && body.contains("<html")
    });
    drop(server);
    drop(held);
}

#[test]
fn only_requests_for_this_machine_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let server = serve(dir.path(), &["--allow-host", "mybox.local"]);
    let port = server.port;
    for (host, status) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        ("localhost".to_owned(), 200),
        (format!("[::1]:{port}"), 200),
        (format!("mybox.local:{port}"), 200),
        ("MyBox.local".to_owned(), 200),
        // A page of another site whose name was made to point here (DNS rebinding).
        (format!("evil.example:{port}"), 403),
        ("evil.example".to_owned(), 403),
        (format!("localhost.evil.example:{port}"), 403),
        ("localhost:1".to_owned(), 403),
        (format!("127.0.0.1:{port}@evil.example"), 403),
    ] {
        assert_eq!(request_for(port, &host, "GET", "/").0, status, "{host}");
    }
    let (_, head, body) = request_for(port, "evil.example", "GET", "/");
    assert!(head.contains("Content-Type: text/plain"), "{head}");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("--allow-host"), "{text}");
    // The event stream too: a foreign page cannot follow the rebuilds.
    let (status, _, _) = request_for(port, "evil.example", "GET", "/__factbrief/events");
    assert_eq!(status, 403);
    // No Host at all.
    let (status, _, _) = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400);
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let server = serve(dir.path(), &[]);
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let long_path = format!("/{}", "a".repeat(10_000));
    let cases: Vec<(String, Vec<u8>, u16)> = vec![
        (
            "a 10 kB request line".into(),
            format!("GET {long_path} HTTP/1.1\r\n{host}\r\n").into_bytes(),
            414,
        ),
        (
            "a 100 kB request line, never ended".into(),
            format!("GET /{}", "a".repeat(100_000)).into_bytes(),
            414,
        ),
        (
            "a 40 kB header".into(),
            format!(
                "GET / HTTP/1.1\r\n{host}X-Big: {}\r\n\r\n",
                "b".repeat(40_000)
            )
            .into_bytes(),
            431,
        ),
        (
            "many headers".into(),
            format!(
                "GET / HTTP/1.1\r\n{host}{}\r\n",
                (0..200)
                    .map(|i| format!("X-{i}: 1\r\n"))
                    .collect::<String>()
            )
            .into_bytes(),
            431,
        ),
        ("not HTTP".into(), b"HELLO\r\n\r\n".to_vec(), 400),
        (
            "blank lines without end".into(),
            b"\r\n".repeat(10_000),
            400,
        ),
        (
            "an unknown version".into(),
            format!("GET / HTTP/7.0\r\n{host}\r\n").into_bytes(),
            400,
        ),
        (
            "a control character in the target".into(),
            format!("GET /a\x01b HTTP/1.1\r\n{host}\r\n").into_bytes(),
            400,
        ),
        (
            "a header without a colon".into(),
            format!("GET / HTTP/1.1\r\n{host}Broken\r\n\r\n").into_bytes(),
            400,
        ),
    ];
    for (what, data, status) in cases {
        let started = Instant::now();
        assert_eq!(exchange(port, &data).0, status, "{what}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what}: answered at once"
        );
    }
    // The server is still there.
    assert_eq!(get(port, "/").0, 200);
}

#[test]
fn head_answers_headers_without_a_body() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let server = serve(dir.path(), &[]);
    let port = server.port;
    let (_, _, page) = request(port, "GET", "/claims/troops/");
    let (status, head, body) = request(port, "HEAD", "/claims/troops/");
    assert_eq!(status, 200);
    assert!(body.is_empty(), "no body");
    assert!(head.contains("Content-Type: text/html"), "{head}");
    assert!(
        head.contains(&format!("Content-Length: {}", page.len())),
        "the length of the page: {head}"
    );
    let (status, _, body) = request(port, "HEAD", "/nope/");
    assert_eq!((status, body.len()), (404, 0));
    // HEAD on the event stream: its headers, at once, and no stream.
    let started = Instant::now();
    let (status, head, body) = request(port, "HEAD", "/__factbrief/events");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/event-stream"), "{head}");
    assert!(body.is_empty(), "{}", String::from_utf8_lossy(&body));
    assert!(started.elapsed() < Duration::from_secs(2));
    let (status, head, _) = request(port, "DELETE", "/__factbrief/events");
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, HEAD"), "{head}");
}

#[test]
fn a_flood_of_idle_connections_does_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let server = serve(dir.path(), &[]);
    let port = server.port;
    let started = Instant::now();
    // 300 connections to loopback that never finish a request: half say nothing,
    // half stop in the middle of the headers.
    let mut idle = Vec::new();
    for i in 0..300 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        if i % 2 == 1 {
            s.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-").as_bytes())
                .unwrap();
        }
        idle.push(s);
    }
    let asked = Instant::now();
    let (status, page) = get(port, "/claims/troops/");
    assert_eq!(status, 200);
    assert!(page.contains("Mostly true"));
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "served while the flood waits: {:?}",
        asked.elapsed()
    );
    drop(idle);
    assert_eq!(get(port, "/").0, 200);
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "ulimit -n 64 && exec \"$0\" serve --port 0"])
        .arg(env!("CARGO_BIN_EXE_factbrief"))
        .current_dir(dir.path());
    let server = start(cmd);
    let port = server.port;
    // More connections than the server has file descriptors for (the kernel queues them).
    let clients: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut said = String::new();
    while !said.contains("cannot accept a connection") {
        let left = deadline.saturating_duration_since(Instant::now());
        match server.stderr.recv_timeout(left) {
            Ok(line) => said.push_str(&line),
            Err(_) => panic!("no word of the failed accept: {said}"),
        }
    }
    drop(clients);
    // Once the connections are gone, the accept loop goes on.
    let (status, page) = get(port, "/claims/troops/");
    assert_eq!(status, 200);
    assert!(page.contains("Mostly true"));
}

#[test]
fn a_non_loopback_bind_warns_and_says_where_it_listens() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let server = serve(dir.path(), &["--bind", "0.0.0.0"]);
    let port = server.port;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut said = String::new();
    while !said.contains("visible to the network") && Instant::now() < deadline {
        if let Ok(l) = server.stderr.recv_timeout(Duration::from_millis(200)) {
            said.push_str(&l);
        }
    }
    assert!(
        said.contains("visible to the network")
            && said.contains(&format!("all interfaces, port {port}")),
        "{said}"
    );
    assert_eq!(get(port, "/").0, 200);
}

#[test]
fn templates_and_static_folders_made_after_start_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_site(root);
    assert!(!root.join("templates").exists() && !root.join("static").exists());
    let server = serve(root, &[]);
    let port = server.port;
    assert_eq!(get(port, "/claims/troops/").0, 200);
    // A base.html override in a templates/ folder that did not exist.
    std::fs::create_dir(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/base.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><title>{% block title %}{{ page.title }}{% endblock title %}</title>{% block head %}{% endblock head %}</head><body><p>OVERRIDDEN BASE</p><main>{% block content %}{% endblock content %}</main></body></html>\n",
    )
    .unwrap();
    wait_for(port, "/claims/troops/", "the new base.html", |s, b| {
        s == 200 && b.contains("OVERRIDDEN BASE")
    });
    // Then edited again, once the folder is watched.
    std::fs::write(
        root.join("templates/base.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><title>{% block title %}{% endblock title %}</title>{% block head %}{% endblock head %}</head><body><p>EDITED BASE</p>{% block content %}{% endblock content %}</body></html>\n",
    )
    .unwrap();
    wait_for(port, "/claims/troops/", "the edited base.html", |_, b| {
        b.contains("EDITED BASE")
    });
    // A static/ folder too.
    std::fs::create_dir(root.join("static")).unwrap();
    std::fs::write(root.join("static/notice.txt"), "hello\n").unwrap();
    wait_for(port, "/notice.txt", "the new static file", |s, b| {
        s == 200 && b == "hello\n"
    });
}

#[test]
fn the_pages_the_server_makes_speak_the_briefings_language() {
    // A French briefing whose only claim cites a source that is not there:
    // no build succeeds, so every page is the waiting page, in French.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        (
            "content/_index.md",
            "+++\ntitle = \"Vérifications\"\nlanguage = \"fr\"\n+++\n",
        ),
        (
            "content/claims/c.md",
            "+++\nclaim = \"Une affirmation.\"\nverdict = \"false\"\n[[evidence]]\nsource = \"absente\"\nstance = \"contradicts\"\n+++\n",
        ),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let server = serve(root, &[]);
    let (status, page) = get(server.port, "/");
    assert_eq!(status, 503);
    assert!(page.contains("<html lang=\"fr\" dir=\"ltr\">"), "{page}");
    assert!(
        page.contains("<h1>Le site n’a pas encore été construit</h1>"),
        "{page}"
    );
    assert!(page.contains("content/claims/c.md"), "{page}");
    // The overlay's words, in the script the page carries, are French as well.
    assert!(page.contains("la dernière sauvegarde"), "{page}");
    assert!(!page.contains("did not build"), "{page}");
}

/// The next event of any name (after `hello`): its name and data.
fn next_any(rx: &Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(Duration::from_secs(20)).expect("an event")
}

/// The built-in `base.html`, which a site's `templates/base.html` replaces.
fn base_template() -> String {
    std::fs::read_to_string(repo_root().join("templates/base.html")).unwrap()
}

/// `base.html` with `extra` after the `<main>` element of every page.
fn base_with(extra: &str) -> String {
    let base = base_template();
    assert!(base.contains("</main>"));
    base.replacen("</main>", &format!("</main>\n{extra}"), 1)
}

/// The number `n` of the last `MARK-n` in a page, 0 when it has none.
fn mark_of(page: &str) -> usize {
    page.rsplit("MARK-")
        .next()
        .filter(|_| page.contains("MARK-"))
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(0)
}

/// The small site, with `n` more sources each quoted by a claim of its own
/// (in five tags and seven outlets), and the built-in `base.html` in
/// `templates/`, so that the folder is watched from the start.
fn bigger_site(root: &Path, n: usize) {
    small_site(root);
    for i in 0..n {
        write_files(
            root,
            &[
                (
                    &format!("content/sources/s{i}.md"),
                    &format!("+++\ntitle = \"Source {i}\"\noutlet = \"Outlet {}\"\npublished = 2021-12-{:02}\n+++\n\nThe text of source {i} says something new.\n", i % 7, i % 28 + 1),
                ),
                (
                    &format!("content/claims/c{i}.md"),
                    &format!("+++\nclaim = \"Claim number {i}.\"\nverdict = \"false\"\ntags = [\"t{}\"]\n\n[[evidence]]\nsource = \"s{i}\"\nstance = \"contradicts\"\nquote = \"source {i} says something\"\n+++\n\nAnalysis {i}.\n", i % 5),
                ),
            ],
        );
    }
    write_files(root, &[("templates/base.html", &base_template())]);
}

/// A served file as `build` writes it: without the live-reload script `serve` adds.
fn without_live_reload(body: &[u8]) -> Vec<u8> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let Some(start) = find(body, b"<script>\n(function () {\n  var WORDS") else {
        return body.to_vec();
    };
    let end = start
        + find(&body[start..], b"</script>\n").expect("the script ends")
        + "</script>\n".len();
    [&body[..start], &body[end..]].concat()
}

/// Every file a fresh `build` of the site writes is served with the same bytes
/// (pages but for the live-reload script); `gone`, paths the build does not
/// write, are not found.
fn assert_served_as_built(root: &Path, port: u16, gone: &[&str]) {
    // The output inside the temporary folder, so that the cache folder made
    // beside it goes with it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(
        root,
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &format!("http://127.0.0.1:{port}/"),
        ],
    );
    assert!(o.status.success(), "build failed:\n{}", texts(&o).1);
    let built = snapshot_dir(&out);
    assert!(built.len() > 10, "{} files", built.len());
    for (path, bytes) in &built {
        if path == ".factbrief-manifest" {
            continue;
        }
        let (status, _, body) = request(port, "GET", &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        assert!(
            without_live_reload(&body) == *bytes,
            "{path} is served otherwise than built:\n{}",
            String::from_utf8_lossy(&body)
        );
    }
    for path in gone {
        assert!(!built.contains_key(*path), "{path} is built");
        assert_eq!(request(port, "GET", &format!("/{path}")).0, 404, "{path}");
    }
}

#[test]
fn the_viewed_page_is_rendered_and_served_before_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    bigger_site(root, 3);
    let server = serve(root, &[]);
    let port = server.port;
    let ev = events_on(port, "/claims/troops/");
    next_event(&ev, "hello");
    // A base.html that claim pages render and every other page fails on: the
    // page viewed shows it all the same, so it was rendered and served before
    // the rest were rendered (rendering everything first would serve nothing).
    std::fs::write(
        root.join("templates/base.html"),
        base_with("<p>ONLY-CLAIMS</p>{% if page.kind != \"claim\" %}{{ throw(message=\"claim pages only\") }}{% endif %}"),
    )
    .unwrap();
    let (name, data) = next_any(&ev);
    assert_eq!(name, "reload", "{data}");
    let data: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["paths"], json!(["claims/troops/index.html"]), "{data}");
    let (status, page) = get(port, "/claims/troops/");
    assert_eq!(status, 200);
    assert!(page.contains("<p>ONLY-CLAIMS</p>"), "{page}");
    let report = next_event(&ev, "report");
    assert!(report.contains("base.html"), "{report}");
    // Nothing is left waiting after the failure: the last good page, with the report.
    let (status, page) = get(port, "/sources/report/");
    assert_eq!(status, 200);
    assert!(!page.contains("ONLY-CLAIMS"), "{page}");

    // Fixed: every page, and nothing else, is as a fresh build makes it.
    std::fs::write(root.join("templates/base.html"), base_with("<p>MARK-1</p>")).unwrap();
    let (name, data) = next_any(&ev);
    assert_eq!(name, "reload", "{data}");
    let (name, data) = next_any(&ev);
    assert_eq!(name, "reload", "{data}");
    assert_served_as_built(root, port, &[]);
}

#[test]
fn during_a_template_edit_no_page_is_served_older_than_its_reload_event() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    bigger_site(root, 60);
    let server = serve(root, &[]);
    let port = server.port;
    let viewed = "claims/c0/index.html";
    let ev = events_on(port, "/claims/c0/");
    next_event(&ev, "hello");

    // Readers asking for pages all the time. Once the first reload event of
    // edit `k` has been received, no page may be served older than edit `k`
    // (each edit writes its number in every page).
    let announced = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = [
        vec!["/sources/s1/", "/claims/c7/", "/", "/tags/t2/"],
        vec!["/outlets/", "/claims/", "/nope/", "/timeline/"],
    ]
    .into_iter()
    .map(|pages| {
        let (announced, stop) = (announced.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                for page in &pages {
                    let k = announced.load(Ordering::SeqCst);
                    let (_, body) = get(port, page);
                    let m = mark_of(&body);
                    assert!(
                        m >= k,
                        "{page} served as of edit {m} after the reload event of edit {k}"
                    );
                    n += 1;
                }
            }
            n
        })
    })
    .collect();

    for k in 1..=3 {
        std::fs::write(
            root.join("templates/base.html"),
            base_with(&format!("<p>MARK-{k}</p>")),
        )
        .unwrap();
        // The page viewed comes first, alone.
        let first: Value = serde_json::from_str(&next_event(&ev, "reload")).unwrap();
        assert_eq!(first["paths"], json!([viewed]), "{first}");
        announced.store(k, Ordering::SeqCst);
        assert_eq!(mark_of(&get(port, "/claims/c0/").1), k);
        // A page not rendered yet is waited for, not served as it was.
        assert_eq!(mark_of(&get(port, "/sources/s3/").1), k);
        assert_eq!(mark_of(&get(port, "/nope/").1), k, "the 404 page");
        // Then every other page.
        let rest: Value = serde_json::from_str(&next_event(&ev, "reload")).unwrap();
        assert_eq!(rest["paths"], json!("*"), "{rest}");
        assert_eq!(rest["except"], json!([viewed]), "{rest}");
    }
    stop.store(true, Ordering::SeqCst);
    let served: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(served > 20, "{served} requests");
    assert_served_as_built(root, port, &[]);

    // An edit of _index.md renders every page too, and here makes pages
    // (a list of two claims a page) that the next edit removes.
    let index = std::fs::read_to_string(root.join("content/_index.md")).unwrap();
    let paged = index.replacen("+++\n", "+++\npaginate_by = 2\n", 1);
    std::fs::write(root.join("content/_index.md"), &paged).unwrap();
    let first: Value = serde_json::from_str(&next_event(&ev, "reload")).unwrap();
    assert_eq!(first["paths"], json!([viewed]), "{first}");
    next_event(&ev, "reload");
    assert_eq!(get(port, "/claims/page/20/").0, 200);
    assert_served_as_built(root, port, &[]);
    std::fs::write(root.join("content/_index.md"), &index).unwrap();
    next_event(&ev, "reload");
    next_event(&ev, "reload");
    assert_served_as_built(
        root,
        port,
        &["claims/page/5/index.html", "claims/page/20/index.html"],
    );
}
