#!/usr/bin/env bash
# One source cited by N claims: the build must stay linear in the citations
# (it was quadratic: 20,000 claims took 9 s, 100,000 took 98 s).
#
#   benches/one_source.sh                 # N = 10,000, 20,000, 40,000, 100,000
#   COUNTS="1000 2000" benches/one_source.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTS=${COUNTS:-"10000 20000 40000 100000"}
if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=$(mktemp -d /dev/shm/factbrief-one.XXXXXX); else WORK=$(mktemp -d); fi
trap 'rm -rf "$WORK"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
echo "cores: $(nproc), $(target/release/factbrief --version), sites in $WORK"

for n in $COUNTS; do
  site="$WORK/site-$n"
  mkdir -p "$site/content/sources" "$site/content/claims"
  printf '+++\ntitle = "One source"\n+++\n' > "$site/content/_index.md"
  {
    printf '+++\ntitle = "S"\noutlet = "O"\npublished = 2021-12-30\n+++\n\n'
    for i in $(seq 0 1999); do printf 'word%d sentence%d. ' "$i" "$i"; done
    printf '\n'
  } > "$site/content/sources/s.md"
  for i in $(seq 0 $((n - 1))); do
    j=$((i % 2000))
    printf '+++\nclaim = "Claim %d."\nverdict = "true"\n[[evidence]]\nsource = "s"\nstance = "supports"\nquote = "word%d sentence%d"\n+++\n' \
      "$i" "$j" "$j" > "$site/content/claims/c$i.md"
  done
  out=$( { /usr/bin/time -f "TIME %e %M" target/release/factbrief build --timings --root "$site" --output "$WORK/public-$n"; } 2>&1 )
  read -r wall rss < <(sed -n 's/^TIME //p' <<<"$out")
  awk -v n="$n" -v w="$wall" -v m="$rss" -v s="$(sed -n 's/^Stages: //p' <<<"$out")" \
    'BEGIN { printf "%7d claims: %6.2f s wall, %5.1f us per citation, peak %5.0f MB  (%s)\n", n, w, w * 1e6 / n, m / 1024, s }'
  rm -rf "$site" "$WORK/public-$n"
done
