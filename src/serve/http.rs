//! The HTTP server of `factbrief serve`: GET and HEAD of the site's files,
//! held in memory, plus the live-reload event stream.
//!
//! It runs on axum over hyper and tokio, on a runtime of its own thread, so
//! that the rest of `serve` (the rebuild loop) stays synchronous. Around
//! hyper's HTTP/1.1 it adds what a server that browsers can reach needs: a
//! bound on connections (more wait in the kernel's queue), a limit on the
//! request line (414) beside hyper's on the head (431), time limits for a
//! slow request head and for a client that stops reading, an accept loop that
//! backs off and goes on when the process runs out of file descriptors, and a
//! `Host` check against DNS rebinding.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::stream::{self, StreamExt};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

use crate::pipeline::{Files, Unfinished};
use crate::render::i18n::Translations;
use crate::site_path::{file_for, percent_decode};

/// Where the browser listens for rebuilds.
pub const EVENTS_PATH: &str = "/__factbrief/events";

/// Events waiting for one browser; one that falls this far behind is dropped
/// (its page reconnects, sees a newer build and reloads).
const CLIENT_QUEUE: usize = 32;

/// An event for the browsers: its name and its JSON data.
type Message = (&'static str, String);

/// The files served, and which of them a rebuild has yet to bring up to date.
type Served = (Arc<Files>, Arc<Unfinished>);

/// A browser listening for rebuilds, and the site path of the page it shows.
struct Client {
    events: mpsc::Sender<Message>,
    page: Option<String>,
}

/// What the server shares with the rebuild loop.
pub struct Shared {
    files: RwLock<Served>,
    /// Told each time `files` changes, for the requests waiting for a page.
    published: watch::Sender<u64>,
    /// The diagnostics of a failed rebuild, while the last good site is served.
    error: RwLock<Option<String>>,
    build: Mutex<u64>,
    clients: Mutex<Vec<Client>>,
    /// The theme's words, for the page shown before any build succeeded.
    words: RwLock<Arc<Translations>>,
}

/// Which open pages a rebuild tells to reload.
#[derive(Debug, Clone, Copy)]
pub enum Reload<'a> {
    /// None: only stylesheets changed, which a page swaps without reloading.
    Stylesheets,
    /// The pages at these output paths.
    Pages(&'a [String]),
    /// Every page but those at these output paths (reloaded by the rebuild's first publication).
    AllBut(&'a [String]),
}

impl Shared {
    /// Serve `files`.
    pub fn new(files: Arc<Files>) -> Arc<Shared> {
        Arc::new(Shared {
            files: RwLock::new((files, Arc::new(Unfinished::Nothing))),
            published: watch::Sender::new(0),
            error: RwLock::new(None),
            build: Mutex::new(1),
            clients: Mutex::new(Vec::new()),
            words: RwLock::new(Arc::new(Translations::english())),
        })
    }

    /// Speak the briefing's language on the pages the server makes itself.
    pub fn set_words(&self, words: Translations) {
        *self.words.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(words);
    }

    /// Serve a new build, and tell the browsers: reload (the pages `reload` says,
    /// or all after an error), or swap the stylesheets. A request for a file
    /// `unfinished` names waits until a later publication (or failure) no
    /// longer names it: it is never answered with a page older than the
    /// reload events sent before it.
    pub fn publish(&self, files: Arc<Files>, reload: Reload<'_>, unfinished: Unfinished) {
        self.set_files(files, unfinished);
        let was_error = self
            .error
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .is_some();
        let build = {
            let mut b = self.build.lock().unwrap_or_else(|p| p.into_inner());
            *b += 1;
            *b
        };
        let data = match reload {
            Reload::Stylesheets => serde_json::json!({ "build": build }),
            _ if was_error => serde_json::json!({ "build": build, "paths": "*" }),
            Reload::Pages(p) => serde_json::json!({ "build": build, "paths": p }),
            Reload::AllBut(p) => serde_json::json!({ "build": build, "paths": "*", "except": p }),
        };
        let event = match reload {
            Reload::Stylesheets => "css",
            _ => "reload",
        };
        self.broadcast((event, data.to_string()));
    }

    /// Keep serving the last good site (as far as it was brought up to date,
    /// with nothing more to wait for) and show `report` over it.
    pub fn fail(&self, report: &str) {
        *self.error.write().unwrap_or_else(|p| p.into_inner()) = Some(report.to_owned());
        let files = self.files();
        self.set_files(files, Unfinished::Nothing);
        self.broadcast(report_event(report));
    }

    /// The site paths of the pages open in browsers connected to the event
    /// stream (each as [`resolve`] makes it: `claims/x/index.html`).
    pub fn viewed(&self) -> std::collections::BTreeSet<String> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients.retain(|c| !c.events.is_closed());
        clients.iter().filter_map(|c| c.page.clone()).collect()
    }

    fn set_files(&self, files: Arc<Files>, unfinished: Unfinished) {
        *self.files.write().unwrap_or_else(|p| p.into_inner()) = (files, Arc::new(unfinished));
        self.published.send_modify(|n| *n += 1);
    }

    fn broadcast(&self, message: Message) {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        // Gone, or not reading: either way it is dropped.
        clients.retain(|c| c.events.try_send(message.clone()).is_ok());
    }

    fn subscribe(&self, page: Option<String>) -> mpsc::Receiver<Message> {
        let (tx, rx) = mpsc::channel(CLIENT_QUEUE);
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Client { events: tx, page });
        rx
    }

    fn files(&self) -> Arc<Files> {
        self.state().0
    }

    fn state(&self) -> Served {
        self.files.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn error(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn build(&self) -> u64 {
        *self.build.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn report_event(report: &str) -> Message {
    ("report", serde_json::json!({ "text": report }).to_string())
}

/// What a client may make the server hold, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait in the kernel's queue until one ends.
    pub max_connections: usize,
    /// The longest request line (method, target, version), in bytes; longer is answered 414.
    pub max_request_line: usize,
    /// The longest request head (request line and headers), in bytes; longer is answered 431.
    pub max_head: usize,
    /// How long a client has to send its request line, and then its headers.
    pub head_timeout: Duration,
    /// How long a response waits for a client that has stopped reading before
    /// the connection is dropped.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            max_request_line: 8 * 1024,
            max_head: 32 * 1024,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// The `Host` names the server answers. A page of another site whose name
/// was made to point at this machine (DNS rebinding) sends its own name, and
/// is refused, so it cannot read the site or its event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    port: u16,
    /// Names given with `--allow-host`, in lower case, each with its port if it was given one.
    extra: Vec<(String, Option<u16>)>,
}

impl Hosts {
    /// The loopback names and the bound address, with `port` or without a port,
    /// and the names in `extra` (each as [`allowed_host`] reads it).
    pub fn new(port: u16, extra: &[String]) -> Hosts {
        let extra = extra
            .iter()
            .filter_map(|n| split_host(n))
            .map(|(name, port)| (name.to_ascii_lowercase(), port))
            .collect();
        Hosts { port, extra }
    }

    /// Whether a request with `Host: host` that came in on the local address
    /// `local` (the address the client connected to) is answered.
    pub fn allows(&self, host: &str, local: Option<SocketAddr>) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let given = self.extra.iter().any(|(n, p)| {
            *n == name
                && match p {
                    Some(p) => port == Some(*p),
                    None => self.port_ok(port),
                }
        });
        if given {
            return true;
        }
        if !self.port_ok(port) {
            return false;
        }
        if matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
            return true;
        }
        // The address the client connected to, as it wrote it: for a server bound
        // to all interfaces, whichever of this machine's addresses it used.
        let ip = name.trim_start_matches('[').trim_end_matches(']');
        match (ip.parse::<IpAddr>(), local) {
            (Ok(ip), Some(local)) => ip.to_canonical() == local.ip().to_canonical(),
            _ => false,
        }
    }

    fn port_ok(&self, port: Option<u16>) -> bool {
        port.is_none_or(|p| p == self.port)
    }
}

/// Read a `--allow-host` value: a host name or IP address (IPv6 in brackets),
/// optionally with `:PORT`. Returns it as given, or why it is not one.
pub fn allowed_host(value: &str) -> Result<String, String> {
    let bad = || {
        format!("`{value}` is not a host name (such as `mybox.local`, `192.168.1.20` or `[fe80::1]`, optionally with `:PORT`)")
    };
    let (name, _) = split_host(value).ok_or_else(bad)?;
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let bracketed = name.starts_with('[')
        && name.ends_with(']')
        && name[1..name.len() - 1]
            .parse::<std::net::Ipv6Addr>()
            .is_ok();
    if name.is_empty() || !(plain || bracketed) {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// A `Host` value's name and port: `name`, `name:port`, `[v6]` or `[v6]:port`.
/// `None` when it is none of these.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        match rest {
            "" => (name, None),
            r => (name, Some(r.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((name, port))
}

/// Serve `listener` on a tokio runtime in a thread of its own, until the process ends.
/// Fails only when the runtime or the listener cannot be set up.
pub fn spawn(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    hosts: Hosts,
    limits: Limits,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    // One thread is plenty for a local server; the cores are the rebuilds'.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let app = router(shared, hosts);
    std::thread::Builder::new()
        .name("factbrief-http".into())
        .spawn(move || runtime.block_on(accept(listener, app, limits)))?;
    Ok(())
}

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    hosts: Arc<Hosts>,
}

/// The local address of the connection a request came on.
#[derive(Debug, Clone, Copy)]
struct Local(SocketAddr);

fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new().fallback(handle).with_state(App {
        shared,
        hosts: Arc::new(hosts),
    })
}

/// Accept connections until the process ends. At the limit of connections it
/// waits for one to end; when accepting fails for want of file descriptors or
/// memory, it says so (now and then), waits a little longer each time, and goes on.
async fn accept(listener: TcpListener, app: Router, limits: Limits) {
    let permits = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let mut http = http1::Builder::new();
    http.keep_alive(false)
        .title_case_headers(true)
        .max_header_size(limits.max_head)
        .max_buf_size(limits.max_head.max(8 * 1024) + 8 * 1024)
        .header_read_timeout(limits.head_timeout)
        .timer(TokioTimer::new());
    let http = Arc::new(http);
    let mut backoff = Duration::ZERO;
    let mut said: Option<Instant> = None;
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                tokio::spawn(connection(
                    stream,
                    permit,
                    http.clone(),
                    app.clone(),
                    limits,
                ));
            }
            // The client gave up before it was accepted: nothing to do.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                if said.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                    eprintln!("factbrief serve: cannot accept a connection ({e}); trying again");
                    said = Some(Instant::now());
                }
                tokio::time::sleep(backoff).await;
            }
        }
    }
}

/// One connection, one request (as HTTP/1.1 allows with `Connection: close`):
/// the request line is checked here, the rest is hyper's.
async fn connection(
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    http: Arc<http1::Builder>,
    app: Router,
    limits: Limits,
) {
    let local = stream.local_addr().ok();
    let mut io = Guarded::new(stream, limits.write_timeout);
    let line = tokio::time::timeout(
        limits.head_timeout,
        io.read_request_line(limits.max_request_line),
    )
    .await;
    match line {
        Ok(Ok(Line::Ended)) => {}
        Ok(Ok(Line::TooLong)) => {
            let body = format!(
                "414 URI Too Long: the request line is longer than {} bytes\n",
                limits.max_request_line
            );
            let _ = io.refuse("414 URI Too Long", &body).await;
            return;
        }
        Ok(Ok(Line::Blank)) => {
            let body = "400 Bad Request: blank lines and no request\n";
            let _ = io.refuse("400 Bad Request", body).await;
            return;
        }
        // Closed, failed or too slow before a request line: nothing to answer.
        _ => return,
    }
    let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
        if let Some(local) = local {
            req.extensions_mut().insert(Local(local));
        }
        let mut app = app.clone();
        async move { tower_service::Service::call(&mut app, req).await }
    });
    let _ = http.serve_connection(TokioIo::new(io), service).await;
}

/// A client connection as hyper sees it: what was read to check the request
/// line is read again first; a write that waits longer than the write timeout
/// fails; and closing drains what the client still sends, so that the close
/// does not reset the connection and lose the response on the way.
struct Guarded {
    stream: TcpStream,
    start: Vec<u8>,
    replayed: usize,
    write_timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
    closing: Option<Closing>,
}

/// What came before the end of the request line.
enum Line {
    /// The request line, whole, within the limit.
    Ended,
    /// The limit, inside the request line.
    TooLong,
    /// The limit, in blank lines only.
    Blank,
}

struct Closing {
    write_shut: bool,
    deadline: Pin<Box<Sleep>>,
    drained: usize,
}

/// How long, and how much, a closing connection is drained.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

impl Guarded {
    fn new(stream: TcpStream, write_timeout: Duration) -> Guarded {
        Guarded {
            stream,
            start: Vec::new(),
            replayed: 0,
            write_timeout,
            stalled: None,
            closing: None,
        }
    }

    /// Read until the end of the request line (after the blank lines hyper skips),
    /// or `max` bytes (blank lines included); an error when the client closes first.
    async fn read_request_line(&mut self, max: usize) -> io::Result<Line> {
        let mut chunk = [0u8; 4096];
        loop {
            let line = self
                .start
                .iter()
                .position(|b| !matches!(b, b'\r' | b'\n'))
                .map(|s| &self.start[s..]);
            match line {
                Some(line) if line.contains(&b'\n') => return Ok(Line::Ended),
                Some(_) if self.start.len() >= max => return Ok(Line::TooLong),
                None if self.start.len() >= max => return Ok(Line::Blank),
                _ => {}
            }
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.start.extend_from_slice(&chunk[..n]);
        }
    }

    /// Answer with `status` and a plain-text `body`, then close.
    async fn refuse(&mut self, status: &str, body: &str) -> io::Result<()> {
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let timeout = self.write_timeout;
        let write = async {
            self.write_all(response.as_bytes()).await?;
            self.shutdown().await
        };
        tokio::time::timeout(timeout, write)
            .await
            .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
    }

    /// A write is waiting: fail once it has waited longer than the write timeout.
    fn stall<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.write_timeout;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.replayed < this.start.len() {
            let n = buf.remaining().min(this.start.len() - this.replayed);
            buf.put_slice(&this.start[this.replayed..this.replayed + n]);
            this.replayed += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_write(cx, data) {
            Poll::Pending => this.stall(cx),
            done => {
                this.stalled = None;
                done
            }
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_write_vectored(cx, bufs) {
            Poll::Pending => this.stall(cx),
            done => {
                this.stalled = None;
                done
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let closing = this.closing.get_or_insert_with(|| Closing {
            write_shut: false,
            deadline: Box::pin(tokio::time::sleep(LINGER)),
            drained: 0,
        });
        if !closing.write_shut {
            ready!(Pin::new(&mut this.stream).poll_shutdown(cx))?;
            closing.write_shut = true;
        }
        let mut scratch = [0u8; 4096];
        loop {
            if closing.drained >= LINGER_BYTES || closing.deadline.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Ok(()));
            }
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.stream).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => closing.drained += buf.filled().len(),
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Every request: the `Host` check, then the method, then the event stream or a file.
async fn handle(State(app): State<App>, req: Request) -> Response {
    if let Some(refusal) = check_host(&app.hosts, &req) {
        return refusal;
    }
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path();
    if path == EVENTS_PATH {
        return events(&app.shared, head, viewed_page(req.uri().query()));
    }
    site_file(&app.shared, path).await
}

/// The page an event stream's browser shows, from its query (`page=` and the
/// page's URL path, percent-encoded), as a site path.
fn viewed_page(query: Option<&str>) -> Option<String> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    resolve(&percent_decode(value)?).ok()
}

/// Whether a request for `rel` must wait for the rebuild under way: the file
/// it would be answered with (the file, a redirect to its folder, or the 404
/// page) may be out of date.
fn must_wait(files: &Files, unfinished: &Unfinished, rel: &str) -> bool {
    if *unfinished == Unfinished::Nothing {
        return false;
    }
    if unfinished.contains(rel) {
        return true;
    }
    if files.contains_key(rel) {
        return false;
    }
    let folder_index = format!("{}/index.html", rel.trim_end_matches('/'));
    unfinished.contains(&folder_index) || unfinished.contains("404.html")
}

/// `None` when the request names an allowed host; otherwise the refusal.
fn check_host(hosts: &Hosts, req: &Request) -> Option<Response> {
    let local = req.extensions().get::<Local>().map(|l| l.0);
    let mut values = req.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (values.next(), values.next()) else {
        return Some(plain(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: a request needs one Host header\n",
        ));
    };
    let host = host.to_str().unwrap_or("");
    // A request in absolute form names its host in the target too.
    let target_ok = req
        .uri()
        .authority()
        .is_none_or(|a| hosts.allows(a.as_str(), local));
    if hosts.allows(host, local) && target_ok {
        return None;
    }
    let shown: String = host.chars().take(100).collect();
    Some(plain(
        StatusCode::FORBIDDEN,
        &format!(
            "403 Forbidden: factbrief serve answers requests for localhost, 127.0.0.1, [::1] or the address it listens on, not for `{shown}`.\nTo serve this name too, run: factbrief serve --allow-host NAME\n"
        ),
    ))
}

/// The response for a site path: the file, a redirect to a folder, the waiting
/// page before the first good build, or the site's 404 page. While a rebuild
/// has yet to render the page (or the file that would answer), the request
/// waits for it.
async fn site_file(shared: &Shared, path: &str) -> Response {
    let rel = match resolve(path) {
        Ok(rel) => rel,
        Err(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            return plain(status, &format!("{status}\n"));
        }
    };
    // Subscribed before looking, so that no publication in between is missed.
    let mut published = shared.published.subscribe();
    let files = loop {
        let (files, unfinished) = shared.state();
        if !must_wait(&files, &unfinished, &rel) || published.changed().await.is_err() {
            break files;
        }
    };
    if let Some(bytes) = files.get(rel.as_str()) {
        return respond(StatusCode::OK, content_type(&rel), file_body(bytes));
    }
    // A folder asked for without its slash: send the browser to it, so relative links work.
    let folder_index = format!("{}/index.html", rel.trim_end_matches('/'));
    if !rel.ends_with("index.html") && files.contains_key(folder_index.as_str()) {
        let location = format!("{}/", path.trim_end_matches('/'));
        let Ok(location) = HeaderValue::from_str(&location) else {
            return plain(StatusCode::BAD_REQUEST, "400 Bad Request\n");
        };
        let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
        r.headers_mut().insert(header::LOCATION, location);
        return r;
    }
    if files.is_empty() {
        // No good build yet: say so, with the report, and reload when there is one.
        let words = shared
            .words
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let page = waiting_page(&shared.error().unwrap_or_default(), &words);
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            Body::from(page),
        );
    }
    match files.get("404.html") {
        Some(page) => respond(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            file_body(page),
        ),
        None => plain(StatusCode::NOT_FOUND, "404 Not Found\n"),
    }
}

/// A site file's bytes as a body, without copying them.
fn file_body(bytes: &crate::pipeline::Bytes) -> Body {
    struct Owner(crate::pipeline::Bytes);
    impl AsRef<[u8]> for Owner {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
    Body::from(bytes::Bytes::from_owner(Owner(bytes.clone())))
}

fn respond(status: StatusCode, content_type: &'static str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &str) -> Response {
    respond(
        status,
        "text/plain; charset=utf-8",
        Body::from(text.to_owned()),
    )
}

/// The Server-Sent Events stream: the current build and state first, then every
/// rebuild. For HEAD, the same headers, and no stream.
fn events(shared: &Shared, head: bool, page: Option<String>) -> Response {
    if head {
        return no_store(Sse::new(stream::empty::<Result<Event, Infallible>>()).into_response());
    }
    let mut rx = shared.subscribe(page);
    let mut first = vec![
        Event::default().retry(Duration::from_millis(500)),
        Event::default()
            .event("hello")
            .data(serde_json::json!({ "build": shared.build() }).to_string()),
    ];
    if let Some(report) = shared.error() {
        let (name, data) = report_event(&report);
        first.push(Event::default().event(name).data(data));
    }
    let rebuilds = stream::poll_fn(move |cx| rx.poll_recv(cx))
        .map(|(name, data)| Event::default().event(name).data(data));
    let events = stream::iter(first).chain(rebuilds).map(Ok::<_, Infallible>);
    let sse = Sse::new(events)
        // A comment now and then finds closed connections.
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("ping"),
        );
    no_store(sse.into_response())
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The site path a request path names, or the status to refuse it with.
/// Anything that could step outside the site (`..`, encoded or not, backslashes, NUL) is refused.
pub fn resolve(path: &str) -> Result<String, u16> {
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(path).ok_or(400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(400),
            s => segments.push(s),
        }
    }
    Ok(file_for(&segments, decoded.ends_with('/')))
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The waiting page's own style (it has none of the site's): readable in light and dark.
const WAITING_STYLE: &str = "body{margin:0;padding:1.5rem;background:#fff;color:#18181b;font:15px/1.5 system-ui,sans-serif;color-scheme:light dark}\
h1{font-size:1.4rem;color:#b91c1c}pre{white-space:pre-wrap;padding:1rem;background:#f4f4f5;color:#18181b;border:1px solid #d4d4d8;border-radius:.3rem;font:14px/1.5 ui-monospace,monospace}\
@media (prefers-color-scheme: dark){body{background:#18181b;color:#f4f4f5}h1{color:#fca5a5}pre{background:#27272a;color:#f4f4f5;border-color:#3f3f46}}";

/// The page served before any build succeeded.
fn waiting_page(report: &str, tr: &Translations) -> String {
    let escape = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>{WAITING_STYLE}</style></head><body><main><h1>{heading}</h1><pre dir=\"ltr\">{report}</pre><p>{hint}</p></main>{script}</body></html>",
        lang = escape(&tr.lang),
        dir = tr.direction(),
        title = escape(&tr.t("serve_waiting_title")),
        heading = escape(&tr.t("serve_waiting")),
        report = escape(report),
        hint = escape(&tr.t("serve_waiting_hint")),
        script = super::live_reload(tr),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/claims/a/"), Ok("claims/a/index.html".into()));
        assert_eq!(resolve("/style.css"), Ok("style.css".into()));
        assert_eq!(
            resolve("/sources/a%20b/"),
            Ok("sources/a b/index.html".into())
        );
        for bad in [
            "/../Cargo.toml",
            "/claims/../../x",
            "/%2e%2e/x",
            "/..%2fx",
            "/%2E%2E%2Fx",
            "/a%00b",
            "/a\\..\\b",
            "x",
            "/%zz",
            "/%c0%ae%c0%ae/",
        ] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts() {
        let hosts = Hosts::new(1111, &["mybox.local".into(), "proxy:8080".into()]);
        let local = Some(SocketAddr::from(([192, 168, 1, 5], 1111)));
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost:",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[::1]",
            "192.168.1.5:1111",
            "mybox.local",
            "mybox.local:1111",
            "proxy:8080",
        ] {
            assert!(hosts.allows(ok, local), "{ok}");
        }
        for bad in [
            "",
            ":1111",
            "evil.example",
            "evil.example:1111",
            "localhost:2222",
            "localhost.:1111",
            "localhost:1111:1111",
            "localhost:x",
            "localhost:99999",
            "127.0.0.2:1111",
            "192.168.1.6:1111",
            "mybox.local:2222",
            "proxy",
            "proxy:1111",
            "[::1]x",
            "::1",
            "user@localhost",
        ] {
            assert!(!hosts.allows(bad, local), "{bad}");
        }
        assert!(!hosts.allows("192.168.1.5:1111", None));
        let v6 = Some(SocketAddr::from(([0xfe80, 0, 0, 0, 0, 0, 0, 1], 1111)));
        assert!(hosts.allows("[fe80::1]:1111", v6));
        assert!(hosts.allows("[FE80:0::1]", v6));
    }

    #[test]
    fn allow_host_values() {
        for ok in ["mybox.local", "192.168.1.20", "[fe80::1]", "dev-box:8080"] {
            assert_eq!(allowed_host(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "a b",
            "http://x",
            "x/y",
            "[zz]",
            "x:y",
            ":80",
            "*.example.org",
        ] {
            assert!(allowed_host(bad).is_err(), "{bad}");
        }
    }

    /// A GET of `/` on loopback: the status, or `None` when the connection failed.
    fn status_of_get(port: u16) -> Option<u16> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        write!(s, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").ok()?;
        let mut raw = String::new();
        s.read_to_string(&mut raw).ok()?;
        raw.split_whitespace().nth(1)?.parse().ok()
    }

    #[test]
    fn beyond_the_connection_limit_a_client_waits_its_turn() {
        let mut files = Files::new();
        files.insert(Arc::from("index.html"), Arc::new(b"<p>hi</p>".to_vec()));
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let limits = Limits {
            max_connections: 4,
            head_timeout: Duration::from_millis(400),
            ..Limits::default()
        };
        spawn(
            listener,
            Shared::new(Arc::new(files)),
            Hosts::new(port, &[]),
            limits,
        )
        .unwrap();
        assert_eq!(status_of_get(port), Some(200));
        // Four connections that say nothing take every place.
        let idle: Vec<_> = (0..4)
            .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        let asked = Instant::now();
        // The fifth is answered once the first idle one has timed out.
        assert_eq!(status_of_get(port), Some(200));
        let waited = asked.elapsed();
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(5),
            "{waited:?}"
        );
        drop(idle);
        assert_eq!(status_of_get(port), Some(200));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
