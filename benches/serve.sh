#!/usr/bin/env bash
# Save-to-served latency of `factbrief serve`: an edit is made, and the server
# is polled until it returns the page showing it (examples/serve_latency.rs),
# with a live-reload connection open on that page, as a browser showing it has.
# Measured on a copy of the example briefing and on a synthetic briefing, for
# four kinds of edit: a claim edited, a source edited, a new claim, and
# templates/base.html edited (which changes every page).
#
#   benches/serve.sh                        # example + 10,000 sources / 2,000 claims
#   SOURCES=1000 CLAIMS=200 EDITS=20 benches/serve.sh
#
# Target: median under 50 ms on the 10,000-source briefing, for every kind of edit.
# BIN=path/to/factbrief measures another build of factbrief (e.g. an older one, for a before/after).
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=${SOURCES:-10000}
CLAIMS=${CLAIMS:-2000}
EDITS=${EDITS:-30}
if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=$(mktemp -d /dev/shm/factbrief-serve.XXXXXX); else WORK=$(mktemp -d); fi
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
cargo build --release --quiet --example serve_latency --example gen
echo "cores: $(nproc), $(target/release/factbrief --version), sites in $WORK ($(df -PT "$WORK" | awk 'NR==2{print $2}'))"

mkdir -p "$WORK/example"
cp -r content "$WORK/example/"
target/release/examples/serve_latency --bin "${BIN:-target/release/factbrief}" --edits "$EDITS" --settle 100 "$WORK/example"

target/release/examples/gen --sources "$SOURCES" --claims "$CLAIMS" "$WORK/synthetic" >/dev/null
# The settle time lets the whole rebuild end before the next edit (a template edit renders every page).
for kind in claim source new; do
  target/release/examples/serve_latency --bin "${BIN:-target/release/factbrief}" --edits "$EDITS" --settle 600 --kind $kind "$WORK/synthetic"
done
target/release/examples/serve_latency --bin "${BIN:-target/release/factbrief}" --edits "$EDITS" --settle 1200 --kind template "$WORK/synthetic"
