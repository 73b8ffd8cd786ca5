#!/usr/bin/env bash
# Build benchmark: generates a synthetic briefing (examples/gen.rs) and builds it
# with the release binary, several runs of each mode, reporting for each run the
# wall time, pages per second, peak memory (max RSS, GNU time %M), user and
# system CPU, the files written (from the build's "(W written, U unchanged,
# R removed)") and the time of each stage, then the medians of each mode.
#
#   benches/build.sh                      # 10,000 sources, 2,000 claims, 5 runs of each mode
#   SOURCES=1000 CLAIMS=200 RUNS=3 benches/build.sh
#   BENCH_DIR=/tmp/bench benches/build.sh # where to put the site (default: a tmpfs
#                                         # folder under /dev/shm when there is one,
#                                         # removed at the end; BENCH_DIR is kept)
#   MODES="fresh noop" benches/build.sh   # only some modes, in the order given
#   CACHE=cold benches/build.sh           # delete the cache folder before every build
#   GEN_ARGS=--hot-source benches/build.sh  # more options for examples/gen.rs
#   BIN=path/to/factbrief benches/build.sh  # another build of factbrief
#
# Modes (each run of an edit mode makes a new edit, then builds into the same folder):
#   fresh     into a new output folder (the previous one deleted first)
#   noop      again into the same folder, nothing changed
#   claim     after editing one claim's statement (`claim = "..."`: its page, the
#             lists showing it, the sources it cites, its share image)
#   source    after adding a paragraph to one source
#   template  after changing one line (the last) of templates/base.html: the site gets
#             a copy of the built-in theme's base.html before the first build
#   index     after adding a sentence to the text of content/_index.md
#
# Caches: the build keeps share images and search shards in the cache folder beside
# the output (.public.factbrief-cache, see `cache_dir` in src/build.rs). CACHE=warm
# (the default) makes one unmeasured build first, so that every measured build finds
# the cache filled (also "fresh": only the output folder is deleted); CACHE=cold
# deletes the cache folder before every build. Each run says which it found.
#
# Targets (issue 2): 10,000 sources / 2,000 claims in under 2 s, peak memory under 500 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=${SOURCES:-10000}
CLAIMS=${CLAIMS:-2000}
RUNS=${RUNS:-5}
MODES=${MODES:-"fresh noop claim source template index"}
CACHE=${CACHE:-warm}
GEN_ARGS=${GEN_ARGS:-}
case "$CACHE" in warm | cold) ;; *) echo "CACHE must be warm or cold, not $CACHE" >&2; exit 2 ;; esac
for mode in $MODES; do
  case "$mode" in fresh | noop | claim | source | template | index) ;; *) echo "unknown mode $mode (fresh noop claim source template index)" >&2; exit 2 ;; esac
done
if [ -z "${BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=$(mktemp -d /dev/shm/factbrief-bench.XXXXXX); else BENCH_DIR=$(mktemp -d); fi
  trap 'rm -rf "$BENCH_DIR"' EXIT
fi
mkdir -p "$BENCH_DIR"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet
BIN=${BIN:-target/release/factbrief}
# shellcheck disable=SC2086 # GEN_ARGS is a list of options
cargo run --release --quiet --example gen -- --sources "$SOURCES" --claims "$CLAIMS" $GEN_ARGS --force "$BENCH_DIR/site" >/dev/null
site="$BENCH_DIR/site"
output="$BENCH_DIR/public"
cache="$BENCH_DIR/.public.factbrief-cache"
log="$BENCH_DIR/build.log"
times="$BENCH_DIR/time.txt"

# The files the edits change: the first claim and the first source (gen names them
# c00001 and s00001, wider for 100,000 or more; both top-level TOML files).
width() { local w=${#1}; if [ "$w" -lt 5 ]; then w=5; fi; echo "$w"; }
claim_file="$site/content/claims/$(printf "c%0$(width "$CLAIMS")d" 1).md"
source_file="$site/content/sources/$(printf "s%0$(width "$SOURCES")d" 1).md"
index_file="$site/content/_index.md"
template_file="$site/templates/base.html"
if [[ " $MODES " == *" template "* ]] && [ ! -e "$template_file" ]; then
  mkdir -p "$site/templates"
  cp templates/base.html "$template_file"
fi
for f in "$claim_file" "$source_file" "$index_file"; do cp "$f" "$f.orig"; done
[ -e "$template_file" ] && cp "$template_file" "$BENCH_DIR/base.html.orig"

echo "factbrief build: $SOURCES sources, $CLAIMS claims${GEN_ARGS:+ ($GEN_ARGS)}, $RUNS runs of each mode, caches $CACHE, site in $BENCH_DIR ($(df -PT "$BENCH_DIR" | awk 'NR==2{print $2}'))"
echo "cores: $(nproc), $("$BIN" --version), load: $(uptime | sed 's/.*load average: //')"

# Makes edit number $2 for mode $1 (each different from the one before).
edit() {
  local mode=$1 r=$2
  case "$mode" in
    claim)
      sed "0,/^claim = \"/s/^claim = \"\(.*\)\.\"\$/claim = \"\1, edit $r.\"/" "$claim_file.orig" >"$claim_file"
      ! cmp -s "$claim_file" "$claim_file.orig" || { echo "could not edit $claim_file" >&2; exit 1; }
      ;;
    source) { cat "$source_file.orig"; printf '\nBench edit %d of this source.\n' "$r"; } >"$source_file" ;;
    template) sed "\$ s/\$/<!-- bench edit $r -->/" "$BENCH_DIR/base.html.orig" >"$template_file" ;;
    index) { cat "$index_file.orig"; printf '\nBench edit %d of the front page.\n' "$r"; } >"$index_file" ;;
  esac
}

# Builds once; sets wall, rss, user, sys, pages, written, unchanged, removed, stages, state.
measure() {
  if [ "$CACHE" = cold ]; then rm -rf "$cache"; fi
  state=cold
  if [ -d "$cache" ] && [ -n "$(ls -A "$cache")" ]; then state=warm; fi
  /usr/bin/time -o "$times" -f "TIME %e %M %U %S" "$BIN" build --timings --root "$site" --output "$output" >"$log" 2>&1 \
    || { tail -n 20 "$log"; exit 1; }
  read -r wall rss user sys < <(sed -n 's/^TIME //p' "$times")
  pages=$(sed -n 's/^Built \([0-9]*\) pages.*/\1/p' "$log")
  read -r written unchanged removed < <(sed -n 's/^Built .*(\([0-9]*\) written, \([0-9]*\) unchanged, \([0-9]*\) removed).*/\1 \2 \3/p' "$log")
  stages=$(sed -n 's/^Stages: //p' "$log")
}

median() { sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; if (NR % 2 == 0) m = (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, a[1], a[NR] }'; }

if [ "$CACHE" = warm ]; then
  measure
  awk -v w="$wall" -v m="$rss" -v u="$user" -v s="$sys" -v c="$state" -v st="$stages" \
    'BEGIN { printf "warm-up build, to fill the cache folder (not in the medians): %.2f s wall, peak %.0f MB, user %.2f s, sys %.2f s, cache %s  (%s)\n", w, m / 1024, u, s, c, st }'
fi

summary=()
for mode in $MODES; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "== $mode (load $load)"
  walls=() rsss=() users=() syss=() writes=() states=()
  for run in $(seq 1 "$RUNS"); do
    case "$mode" in
      fresh) rm -rf "$output" ;;
      noop) ;;
      *) edit "$mode" "$run" ;;
    esac
    measure
    walls+=("$wall") rsss+=("$rss") users+=("$user") syss+=("$sys") writes+=("$written") states+=("$state")
    awk -v r="$run" -v w="$wall" -v p="$pages" -v m="$rss" -v u="$user" -v s="$sys" -v c="$state" \
      -v wr="$written" -v un="$unchanged" -v rm="$removed" -v st="$stages" \
      'BEGIN { printf "run %d: %.2f s wall, %d pages, %.0f pages/s, peak %.0f MB, user %.2f s, sys %.2f s, %d written, %d unchanged, %d removed, cache %s  (%s)\n", r, w, p, p / w, m / 1024, u, s, wr, un, rm, c, st }'
  done
  read -r mw lo hi < <(printf '%s\n' "${walls[@]}" | median)
  echo "median wall: $mw s (min $lo, max $hi)"
  read -r mr _ _ < <(printf '%s\n' "${rsss[@]}" | median)
  read -r mu _ _ < <(printf '%s\n' "${users[@]}" | median)
  read -r ms _ _ < <(printf '%s\n' "${syss[@]}" | median)
  read -r mwr _ _ < <(printf '%s\n' "${writes[@]}" | median)
  cold=$(printf '%s\n' "${states[@]}" | grep -c cold || true)
  if [ "$cold" -eq 0 ]; then caches=warm; elif [ "$cold" -eq "$RUNS" ]; then caches=cold; else caches="$cold/$RUNS cold"; fi
  size=""
  if [ "$mode" = fresh ]; then
    size=$(du -sb "$output" | awk '{ printf "%.0f MB", $1 / 1e6 }')", $(find "$output" -type f | wc -l) files"
  fi
  summary+=("$(awk -v mo="$mode" -v w="$mw" -v lo="$lo" -v hi="$hi" -v m="$mr" -v u="$mu" -v s="$ms" -v wr="$mwr" -v c="$caches" -v l="$load" -v z="$size" \
    'BEGIN { printf "%-9s %6.2f %6.2f-%-6.2f %7.0f %7.2f %6.2f %8d  %-9s %5s  %s", mo, w, lo, hi, m / 1024, u, s, wr, c, l, z }')")
done

echo
echo "medians of $RUNS runs: $SOURCES sources, $CLAIMS claims${GEN_ARGS:+ ($GEN_ARGS)}, $(df -PT "$BENCH_DIR" | awk 'NR==2{print $2}'), load at the end: $(uptime | sed 's/.*load average: //')"
echo "mode        wall s  (min-max)      peak MB  user s  sys s  written  caches    load   output"
printf '%s\n' "${summary[@]}"
