#!/usr/bin/env bash
# Save-to-served latency of `factbrief serve`: a claim file is written, and the
# server is polled until it returns the new page (examples/serve_latency.rs).
# Measured on a copy of the example briefing and on a synthetic briefing.
#
#   benches/serve.sh                        # example + 10,000 sources / 2,000 claims
#   SOURCES=1000 CLAIMS=200 EDITS=20 benches/serve.sh
#
# Target: median under 50 ms on the 10,000-source briefing, for a claim edit and a source edit.
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
target/release/examples/serve_latency --bin "${BIN:-target/release/factbrief}" --edits "$EDITS" --settle 600 "$WORK/synthetic"
target/release/examples/serve_latency --bin "${BIN:-target/release/factbrief}" --edits "$EDITS" --settle 600 --kind source "$WORK/synthetic"
