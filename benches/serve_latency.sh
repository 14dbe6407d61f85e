#!/usr/bin/env bash
# Time from saving a file to the reload message of `brief serve`, on a generated corpus.
#
#   benches/serve_latency.sh [N]     article count (default 10000)
#
# Environment:
#   EDITS=20          edits of one article, then of one CTA in site.toml
#   SEED=1            corpus seed (benches/corpus.py --seed)
#   BENCH_DIR=DIR     where the corpus goes (default: target/bench in the repository)
#
# Prints the median, min, p90 and max of each kind of edit. Not a test: nothing fails on
# a slow machine.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10000}
edits=${EDITS:-20}
seed=${SEED:-1}
work=${BENCH_DIR:-$repo/target/bench}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "serve_latency.sh: not an article count: $n" >&2; exit 2; }

# The project's corpus generator; the shared one it was made from if it is not there.
gen=$repo/benches/corpus.py
[[ -f $gen ]] || gen=$repo/../shared/bench/gen_corpus.py
site=$work/serve-$n
mkdir -p "$work"
echo "serve_latency.sh: generating $n articles into $site" >&2
python3 "$gen" --flavor brief --n "$n" --out "$site" --seed "$seed" >/dev/null

echo "serve_latency.sh: building brief (release)" >&2
(cd "$repo" && cargo build --release --quiet)

python3 "$repo/benches/serve_latency.py" --brief "$repo/target/release/brief" --site "$site" --edits "$edits"
