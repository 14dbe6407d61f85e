#!/usr/bin/env bash
# What site search costs at scale: build CPU with search on and off, the index on disk, and
# the bytes a reader's first search fetches.
#
#   benches/search.sh [N]       articles (default 10000)
#
# Environment:
#   RUNS=3          builds each way; the median CPU and wall time are reported
#   BENCH_DIR=DIR   where the corpus and outputs go (default: target/bench in the repository)
#   BRIEF=PATH      time this brief binary instead of building the repository's
#
# The corpus is benches/corpus.py's, in the bundled theme (which shows the search box).
# Needs GNU time at /usr/bin/time for CPU time (Debian: apt-get install time).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10000}
runs=${RUNS:-3}
work=${BENCH_DIR:-$repo/target/bench}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "search.sh: not an article count: $n" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "search.sh: RUNS must be a positive number, not $runs" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "search.sh: GNU time is needed at /usr/bin/time (apt-get install time)" >&2; exit 1; }
say() { echo "search.sh: $*" >&2; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
# Wherever cargo puts it (CARGO_TARGET_DIR, a config file or a wrapper may move it).
target_dir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
if [[ -n ${BRIEF:-} ]]; then
    brief=$BRIEF
else
    say "building brief in release mode"
    (cd "$repo" && cargo build --release --quiet --bin brief)
    brief=$target_dir/release/brief
fi

dir=$work/search-n$n
say "generating $n articles in $dir"
rm -rf "$dir"
python3 "$repo/benches/corpus.py" --flavor brief --n "$n" --out "$dir/on" >&2
# As a new site has it: the bundled theme, highlighting on.
rm -rf "$dir/on/templates"
sed -i 's/^highlight = false$/highlight = true/' "$dir/on/site.toml"
cp -r "$dir/on" "$dir/off"
printf '\n[search]\nenabled = false\n' >>"$dir/off/site.toml"

# build WHICH: RUNS cold builds of $dir/WHICH into $dir/out-WHICH; sets CPU and WALL (medians)
# and RSS (the largest peak, MB).
build() {
    local cpus=() walls=() rss=() i out=$dir/out-$1
    for ((i = 1; i <= runs; i++)); do
        rm -rf "$out" "$dir/.out-$1.brief-"*
        say "  search $1, run $i of $runs"
        /usr/bin/time -f '%U %S %e %M' -o "$dir/time" "$brief" build --root "$dir/$1" --output "$out" >"$dir/log-$1" 2>&1 \
            || { tail -n 20 "$dir/log-$1" >&2; exit 1; }
        cpus+=("$(awk '{ printf "%.2f", $1 + $2 }' "$dir/time")")
        walls+=("$(awk '{ print $3 }' "$dir/time")")
        rss+=("$(awk '{ printf "%.0f", $4 / 1024 }' "$dir/time")")
    done
    RSS=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
    CPU=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    WALL=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}

build off
off_cpu=$CPU off_wall=$WALL off_rss=$RSS
build on
on_cpu=$CPU on_wall=$WALL on_rss=$RSS

echo "# Search at $n articles"
echo
echo "$(nproc) cores; $runs cold builds each way (medians); brief $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '(no commit)'); bundled theme; \`benches/search.sh $n\`."
echo
echo "| | value |"
echo "|---|--:|"
echo "| build CPU, search off | $off_cpu s ($off_wall s wall, peak RSS $off_rss MB) |"
echo "| build CPU, search on | $on_cpu s ($on_wall s wall, peak RSS $on_rss MB) |"
echo "| search's share | $(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN { printf "%+.0f%% CPU", 100 * (a - b) / b }') |"
python3 "$repo/benches/search_bytes.py" "$dir/out-on"
