#!/usr/bin/env bash
# Build benchmark: generates a synthetic briefing (examples/gen.rs) and builds it
# several times with the release binary, reporting wall time, pages per second,
# peak memory (max RSS) and the time of each stage.
#
#   benches/build.sh                      # 10,000 sources, 2,000 claims, 5 runs
#   SOURCES=1000 CLAIMS=200 RUNS=3 benches/build.sh
#   BENCH_DIR=/tmp/bench benches/build.sh # where to put the site (default: a tmpfs
#                                         # folder under /dev/shm when there is one)
#
# Targets (issue 2): 10,000 sources / 2,000 claims in under 2 s, peak memory under 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=${SOURCES:-10000}
CLAIMS=${CLAIMS:-2000}
RUNS=${RUNS:-5}
if [ -z "${BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=$(mktemp -d /dev/shm/factbrief-bench.XXXXXX); else BENCH_DIR=$(mktemp -d); fi
  trap 'rm -rf "$BENCH_DIR"' EXIT
fi
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet
cargo run --release --quiet --example gen -- --sources "$SOURCES" --claims "$CLAIMS" --force "$BENCH_DIR/site" >/dev/null
echo "factbrief build: $SOURCES sources, $CLAIMS claims, $RUNS runs, site in $BENCH_DIR ($(df -PT "$BENCH_DIR" | awk 'NR==2{print $2}'))"
echo "cores: $(nproc), $(target/release/factbrief --version)"

walls=()
for run in $(seq 1 "$RUNS"); do
  out=$( { /usr/bin/time -f "TIME %e %M" target/release/factbrief build --timings \
            --root "$BENCH_DIR/site" --output "$BENCH_DIR/public"; } 2>&1 )
  pages=$(sed -n 's/^Built \([0-9]*\) pages.*/\1/p' <<<"$out")
  stages=$(sed -n 's/^Stages: //p' <<<"$out")
  read -r wall rss < <(sed -n 's/^TIME //p' <<<"$out")
  walls+=("$wall")
  awk -v r="$run" -v w="$wall" -v p="$pages" -v m="$rss" -v s="$stages" \
    'BEGIN { printf "run %d: %.2f s wall, %d pages, %.0f pages/s, peak %.0f MB  (%s)\n", r, w, p, p / w, m / 1024, s }'
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median wall: %.2f s (min %.2f, max %.2f)\n", a[int((NR + 1) / 2)], a[1], a[NR] }'
