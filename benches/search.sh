#!/usr/bin/env bash
# Search benchmark: generates a synthetic briefing (examples/gen.rs), builds it
# with the release binary, reports the size of its search index (pagefind/),
# then serves the output under a URL prefix and measures, in headless Chromium
# driven through chromedriver, the time from typing a word on search/ to the
# first result on screen (the page's 100 ms debounce included), for several
# words, each on a freshly loaded page.
#
#   benches/search.sh                         # 10,000 sources, 2,000 claims
#   SOURCES=1000 CLAIMS=200 benches/search.sh
#   BENCH_DIR=/tmp/bench benches/search.sh    # where to put the site (default: a
#                                             # tmpfs folder under /dev/shm when there is one)
#
# Needs chromium, chromium-driver (as tests/browser.rs) and python3.
# Targets (issue 9): pagefind/ under 10 MB, first result under 300 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=${SOURCES:-10000}
CLAIMS=${CLAIMS:-2000}
WORDS=${WORDS:-"hospital budget emissions pension tariffs broadband inflation wildlife mortgage testimony"}
if [ -z "${BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=$(mktemp -d /dev/shm/factbrief-search.XXXXXX); else BENCH_DIR=$(mktemp -d); fi
  trap 'rm -rf "$BENCH_DIR"' EXIT
fi
for tool in /usr/bin/chromium /usr/bin/chromedriver python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install chromium chromium-driver python3" >&2; exit 2; }
done

cargo build --release --quiet
cargo run --release --quiet --example gen -- --sources "$SOURCES" --claims "$CLAIMS" --force "$BENCH_DIR/site" >/dev/null
echo "factbrief search: $SOURCES sources, $CLAIMS claims, site in $BENCH_DIR ($(df -PT "$BENCH_DIR" | awk 'NR==2{print $2}'))"
echo "cores: $(nproc), $(target/release/factbrief --version)"
mkdir -p "$BENCH_DIR/www"
# (The synthetic briefing has thousands of editorial warnings: kept in build.log.)
target/release/factbrief build --timings --root "$BENCH_DIR/site" --output "$BENCH_DIR/www/brief" 2>"$BENCH_DIR/build.log" \
  || { tail -n 20 "$BENCH_DIR/build.log"; exit 1; }
index="$BENCH_DIR/www/brief/pagefind"
records=$(find "$index" -name pagefind-entry.json -exec python3 -c 'import json,sys; print(sum(l["page_count"] for f in sys.argv[1:] for l in json.load(open(f))["languages"].values()))' {} +)
shards=$(find "$index" -name pagefind-entry.json | wc -l)
echo "index: $(du -sh "$index" | cut -f1) on disk ($(du -sb "$index" | cut -f1) bytes in $(find "$index" -type f | wc -l) files), $records records in $shards shards"

python3 - "$BENCH_DIR/www" $WORDS <<'PY'
import base64, json, os, signal, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request
from functools import partial
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler

www, words = sys.argv[1], sys.argv[2:]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=www))
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}/brief/"

port = free_port()
driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
def call(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body or {}).encode(), headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=120))["value"]
for _ in range(200):
    try: socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError: time.sleep(0.05)
profile = tempfile.mkdtemp()
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--window-size=1024,768", f"--user-data-dir={profile}"]}}}})["sessionId"]
run = lambda script: call("POST", f"/session/{session}/execute/sync", {"script": script, "args": []})
run_async = lambda script, *args: call("POST", f"/session/{session}/execute/async", {"script": script, "args": list(args)})
call("POST", f"/session/{session}/timeouts", {"script": 60000})

# In the page: put the word in the box as one input event, and time until the first result is in the list.
TYPE = """
const [word, done] = arguments;
const input = document.getElementById('search-q'), list = document.getElementById('search-results');
const t0 = performance.now();
const seen = () => { if (list.querySelector('li')) { obs.disconnect(); done(performance.now() - t0); return true; } };
const obs = new MutationObserver(seen);
obs.observe(list, {childList: true});
input.value = word;
input.dispatchEvent(new Event('input', {bubbles: true}));
setTimeout(() => { obs.disconnect(); done(-1); }, 30000);
"""
loads, firsts = [], []
try:
    for word in words:
        t0 = time.monotonic()
        call("POST", f"/session/{session}/url", {"url": base + "search/"})
        while run("return document.getElementById('search').dataset.state || ''") != "ready":
            time.sleep(0.01)
        loads.append((time.monotonic() - t0) * 1000)
        ms = run_async(TYPE, word)
        n = run("return document.querySelectorAll('#search-results > li').length")
        status = run("return document.getElementById('search-status').textContent")
        print(f"  {word}: first result after {ms:.0f} ms ({n} shown; {status})")
        if ms >= 0: firsts.append(ms)
finally:
    try: call("DELETE", f"/session/{session}")
    finally: os.killpg(driver.pid, signal.SIGKILL); server.shutdown()
print(f"page load to index ready: median {statistics.median(loads):.0f} ms (max {max(loads):.0f})")
print(f"typing to first result: median {statistics.median(firsts):.0f} ms (min {min(firsts):.0f}, max {max(firsts):.0f}) over {len(firsts)} words")
PY
