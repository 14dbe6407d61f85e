#!/usr/bin/env bash
# How fast `brief serve` starts and answers edits, and the memory it holds, on a generated
# corpus.
#
#   benches/serve_latency.sh [N]     article count (default 10000)
#
# Environment:
#   EDITS=20          edits of each kind: one article, the article template, a CTA button
#                     in site.toml, the site title in site.toml
#   SEED=1            corpus seed (benches/corpus.py --seed)
#   BENCH_DIR=DIR     where the corpus goes (default: target/bench in the repository)
#   BRIEF=PATH        time this brief binary instead of building target/release/brief
#
# Prints, for each kind of edit, the median, min, p90 and max time from the write to the
# reload message and to the edited article's page being served with the edit in it; then
# the start-up time (launch to the first 200 for /), the resident memory after start-up and
# at its peak, and both as a multiple of the Markdown on disk. Not a test: nothing fails on
# a slow machine, only when an edit is never served.
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

if [[ -n ${BRIEF:-} ]]; then
  brief=$BRIEF
else
  echo "serve_latency.sh: building brief (release)" >&2
  (cd "$repo" && cargo build --release --quiet)
  brief=$repo/target/release/brief
fi

python3 "$repo/benches/serve_latency.py" --brief "$brief" --site "$site" --edits "$edits"
