#!/usr/bin/env bash
# Peer comparison: the same synthetic briefing (examples/gen.rs) built by factbrief
# and by Hugo (gen --form hugo: the same documents with a minimal Hugo layout making
# the same kinds of pages, see the top of examples/gen.rs), back to back and
# interleaved (factbrief first in odd runs, Hugo first in even ones), each into a
# new output folder (so with no cache: factbrief's cache folder is named after the
# output folder, and Hugo gets a new --cacheDir; "factbrief-warm" is a new output
# folder whose cache folder a first, unmeasured build filled, to show the share
# images' part), reporting wall time, peak memory
# (GNU time %M), user and system CPU, files and bytes written, then the medians and
# the ratio of Hugo's to factbrief's.
#
#   benches/peers.sh                          # 10,000 sources, 2,000 claims, 5 runs each
#   SOURCES=1000 CLAIMS=200 RUNS=3 benches/peers.sh
#   BENCH_DIR=/tmp/peers benches/peers.sh     # where to put the sites (default: a tmpfs
#                                             # folder under /dev/shm when there is one,
#                                             # removed at the end; BENCH_DIR is kept)
#   HUGO=path/to/hugo BIN=path/to/factbrief benches/peers.sh
#
# Needs Hugo: the figures of issue 13 are of Debian's package (0.111), `apt-get
# install hugo`; this script installs nothing. Zola is not compared: it is not
# packaged for this Debian release, and the benchmarks download nothing.
#
# What is compared: Markdown to HTML, templates, lists with pagination, taxonomies
# and links between pages. factbrief does more from the same input: it checks every
# quote against its source and marks the passages, makes the search index and draws
# a share image per claim (none cached here), and writes the matrix, timeline,
# corrections and ClaimReview pages, which the Hugo layout does not make.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=${SOURCES:-10000}
CLAIMS=${CLAIMS:-2000}
RUNS=${RUNS:-5}
HUGO=${HUGO:-hugo}
command -v "$HUGO" >/dev/null || {
  echo "needs Hugo (issue 13 compares with Debian's 0.111): apt-get install hugo, or HUGO=path/to/hugo" >&2
  exit 2
}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if [ -z "${BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=$(mktemp -d /dev/shm/factbrief-peers.XXXXXX); else BENCH_DIR=$(mktemp -d); fi
  trap 'rm -rf "$BENCH_DIR"' EXIT
fi
mkdir -p "$BENCH_DIR"

cargo build --release --quiet
cargo build --release --quiet --example gen
BIN=${BIN:-target/release/factbrief}
target/release/examples/gen --sources "$SOURCES" --claims "$CLAIMS" --force "$BENCH_DIR/factbrief" >/dev/null
target/release/examples/gen --sources "$SOURCES" --claims "$CLAIMS" --form hugo --force "$BENCH_DIR/hugo" >/dev/null

echo "peers: $SOURCES sources, $CLAIMS claims, $RUNS runs each, sites in $BENCH_DIR ($(df -PT "$BENCH_DIR" | awk 'NR==2{print $2}'))"
echo "cores: $(nproc), $("$BIN" --version), $("$HUGO" version | cut -d' ' -f1-2), load: $(uptime | sed 's/.*load average: //')"
echo "Zola: not installable here (not packaged for this Debian release), not compared"

declare -A walls rsss users syss files bytes
# Builds with $1 (factbrief, factbrief-warm or hugo) into a new folder for run $2;
# appends to the arrays. factbrief-warm builds into a new folder of the name whose
# cache folder the first build filled (share images and search shards kept).
one() {
  local tool=$1 run=$2 out="$BENCH_DIR/out-$1-$2" log="$BENCH_DIR/$1.log"
  if [ "$tool" = factbrief-warm ]; then out="$BENCH_DIR/out-warm"; fi
  if [ "$tool" != hugo ]; then
    /usr/bin/time -o "$BENCH_DIR/time.txt" -f "%e %M %U %S" "$BIN" build --root "$BENCH_DIR/factbrief" --output "$out" >"$log" 2>&1 \
      || { tail -n 20 "$log"; exit 1; }
  else
    /usr/bin/time -o "$BENCH_DIR/time.txt" -f "%e %M %U %S" "$HUGO" --source "$BENCH_DIR/hugo" --destination "$out" \
      --cacheDir "$BENCH_DIR/hugo-cache-$run" >"$log" 2>&1 || { tail -n 20 "$log"; exit 1; }
  fi
  local wall rss user sys n b
  read -r wall rss user sys <"$BENCH_DIR/time.txt"
  n=$(find "$out" -type f | wc -l)
  b=$(du -sb "$out" | cut -f1)
  walls[$tool]+="$wall " rsss[$tool]+="$rss " users[$tool]+="$user " syss[$tool]+="$sys " files[$tool]+="$n " bytes[$tool]+="$b "
  awk -v t="$tool" -v r="$run" -v w="$wall" -v m="$rss" -v u="$user" -v s="$sys" -v n="$n" -v b="$b" \
    'BEGIN { printf "run %d %-14s %6.2f s wall, peak %5.0f MB, user %6.2f s, sys %5.2f s, %6d files, %5.0f MB\n", r, t, w, m / 1024, u, s, n, b / 1e6 }'
  rm -rf "$out" "$BENCH_DIR/.out-$tool-$run.factbrief-cache" "$BENCH_DIR/.out-$tool-$run.factbrief-lock" "$BENCH_DIR/hugo-cache-$run"
  return 0
}

# Fills the cache of factbrief-warm (not measured).
"$BIN" build --root "$BENCH_DIR/factbrief" --output "$BENCH_DIR/out-warm" >/dev/null 2>&1
rm -rf "$BENCH_DIR/out-warm"
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) -eq 1 ]; then order="factbrief hugo factbrief-warm"; else order="hugo factbrief-warm factbrief"; fi
  for tool in $order; do one "$tool" "$run"; done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; if (NR % 2 == 0) m = (a[NR / 2] + a[NR / 2 + 1]) / 2; print m }'; }
echo
echo "medians of $RUNS runs, load at the end: $(uptime | sed 's/.*load average: //')"
echo "tool            wall s  peak MB  user s  sys s   files  output MB"
for tool in factbrief factbrief-warm hugo; do
  awk -v t="$tool" -v w="$(median <<<"${walls[$tool]}")" -v m="$(median <<<"${rsss[$tool]}")" -v u="$(median <<<"${users[$tool]}")" \
    -v s="$(median <<<"${syss[$tool]}")" -v n="$(median <<<"${files[$tool]}")" -v b="$(median <<<"${bytes[$tool]}")" \
    'BEGIN { printf "%-14s %7.2f %8.0f %7.2f %6.2f %7d %9.0f\n", t, w, m / 1024, u, s, n, b / 1e6 }'
done
awk -v f="$(median <<<"${walls[factbrief]}")" -v h="$(median <<<"${walls[hugo]}")" \
  'BEGIN { printf "wall time, Hugo / factbrief: %.2f (factbrief %s)\n", h / f, (h >= f ? "faster" : "slower") }'
awk -v f="$(median <<<"${walls[factbrief-warm]}")" -v h="$(median <<<"${walls[hugo]}")" \
  'BEGIN { printf "wall time, Hugo / factbrief with its cache warm: %.2f\n", h / f }'
