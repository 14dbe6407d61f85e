#!/usr/bin/env bash
# Time `brief build` against Hugo and against the Markdown floor on generated corpora.
#
#   benches/run.sh [N ...]      article counts to try (default: 1000 10000)
#
# Environment:
#   RUNS=3            builds per tool and size; the table shows the median wall time
#   SEED=1            corpus seed (benches/corpus.py --seed)
#   BENCH_DIR=DIR     where corpora and outputs go (default: target/bench in the repository)
#   BRIEF=PATH        time this brief binary instead of building the repository's (to compare
#                     an older build with the current one in the same session)
#
# Tables go to stdout and progress to stderr, so `benches/run.sh 1000 > result.md` works.
# See benches/README.md for what the columns mean.
set -euo pipefail

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
seed=${SEED:-1}
work=${BENCH_DIR:-$repo/target/bench}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)

for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: not an article count: $n" >&2; usage; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: RUNS must be a positive number, not $runs" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "run.sh: SEED must be a number, not $seed" >&2; exit 2; }

say() { echo "run.sh: $*" >&2; }

command -v cargo >/dev/null || { say "cargo is not on PATH (https://rustup.rs)"; exit 1; }
command -v python3 >/dev/null || { say "python3 is not on PATH (Debian: apt-get install python3)"; exit 1; }

# GNU time gives the peak memory. Without it the wall time is still measured, by the shell.
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    gnu_time=/usr/bin/time
else
    say "GNU time not found at /usr/bin/time: peak memory will not be reported (Debian: apt-get install time)"
fi

hugo=""
if command -v hugo >/dev/null; then
    hugo=$(command -v hugo)
    hugo_version=$("$hugo" version 2>/dev/null | awk '{print $2}')
else
    say "hugo is not on PATH: reporting brief and the floor alone (Debian: apt-get install hugo)"
fi

target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir = /* ]] || target_dir=$repo/$target_dir
if [[ -n ${BRIEF:-} ]]; then
    brief=$BRIEF
    [[ -x $brief ]] || { say "BRIEF=$brief is not an executable"; exit 2; }
else
    say "building brief in release mode"
    (cd "$repo" && cargo build --release --quiet --bin brief)
    brief=$target_dir/release/brief
fi
# Examples build with the dev-dependencies too; if one of those cannot build here, time the
# rest rather than nothing.
say "building the Markdown floor (examples/markdown_floor.rs) in release mode"
floor=$target_dir/release/examples/markdown_floor
if ! (cd "$repo" && cargo build --release --quiet --example markdown_floor); then
    say "the floor did not build (see above): reporting without it"
    floor=""
fi

mkdir -p "$work/bin"
work=$(cd "$work" && pwd)
# Time copies, so that a rebuild in the repository during a long run cannot swap the binary.
cp "$brief" "$work/bin/brief"
brief=$work/bin/brief
if [[ -n $floor ]]; then
    cp "$floor" "$work/bin/markdown_floor"
    floor=$work/bin/markdown_floor
fi

# measure LOG CMD...: run CMD once; sets WALL (seconds), CPU (seconds) and RSS_KB, or "" when
# GNU time is missing. Exits the script, with the command's output, if the command fails.
measure() {
    local log=$1
    shift
    local timing=$log.time start end status=0
    start=${EPOCHREALTIME:-$(date +%s.%N)}
    if [[ -n $gnu_time ]]; then
        "$gnu_time" -v -o "$timing" "$@" >"$log" 2>&1 || status=$?
    else
        "$@" >"$log" 2>&1 || status=$?
    fi
    end=${EPOCHREALTIME:-$(date +%s.%N)}
    if [[ $status -ne 0 ]]; then
        say "FAILED (exit $status): $*"
        tail -n 40 "$log" >&2
        exit 1
    fi
    WALL=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    CPU="" RSS_KB=""
    if [[ -n $gnu_time ]]; then
        CPU=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$timing")
        RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$timing")
    fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
largest() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# bench NAME OUT CMD...: RUNS builds into OUT, emptied before each; sets the summary values
# R_WALL, R_CPU, R_RSS (MB) and R_PAGES (.html files the last build wrote).
bench() {
    local name=$1 out=$2
    shift 2
    local walls=() cpus=() rss=() i
    for ((i = 1; i <= runs; i++)); do
        # brief keeps the output it replaces as a hidden spare beside it and rebuilds into
        # it; remove that too so that every run is a cold build, like Hugo's.
        rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
        say "  $name, run $i of $runs"
        measure "$work/$name.log" "$@"
        walls+=("$WALL")
        cpus+=("${CPU:-0}")
        rss+=("${RSS_KB:-0}")
    done
    R_WALL=$(median "${walls[@]}")
    R_CPU=$([[ -n $gnu_time ]] && median "${cpus[@]}" || echo "")
    R_RSS=$([[ -n $gnu_time ]] && awk -v k="$(largest "${rss[@]}")" 'BEGIN { printf "%.0f", k / 1024 }' || echo "")
    R_PAGES=0
    [[ ! -d $out ]] || R_PAGES=$(find "$out" -name '*.html' -type f | wc -l)
    if [[ $R_PAGES -eq 0 ]]; then
        say "FAILED: $name exited 0 but wrote no .html files into $out"
        tail -n 40 "$work/$name.log" >&2
        exit 1
    fi
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
}

# rebuild NAME OUT CMD...: one build into OUT, then RUNS rebuilds of the unchanged site over
# it (the spare beside OUT is kept, as it is for a user who rebuilds); sets R_WALL, R_CPU.
rebuild() {
    local name=$1 out=$2
    shift 2
    local walls=() cpus=() i
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
    measure "$work/$name.log" "$@"
    for ((i = 1; i <= runs; i++)); do
        say "  $name, run $i of $runs"
        measure "$work/$name.log" "$@"
        walls+=("$WALL")
        cpus+=("${CPU:-0}")
    done
    R_WALL=$(median "${walls[@]}")
    R_CPU=$([[ -n $gnu_time ]] && median "${cpus[@]}" || echo "")
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
}

ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }' || echo "–"; }
per_second() { awk -v p="$1" -v w="$2" 'BEGIN { if (w > 0) printf "%.0f", p / w; else print "–" }'; }

echo "# brief benchmark"
echo
echo "$(nproc) cores; ${runs} builds per tool and size (median wall time, largest peak RSS); brief $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '(no commit)')${hugo:+, Hugo $hugo_version}; corpus seed $seed; load average at start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)."

for n in "${sizes[@]}"; do
    dir=$work/n$n
    say "N=$n: generating corpora in $dir"
    python3 "$repo/benches/corpus.py" --flavor brief --n "$n" --seed "$seed" --out "$dir/brief"
    [[ -z $hugo ]] || python3 "$repo/benches/corpus.py" --flavor hugo --n "$n" --seed "$seed" --out "$dir/hugo"

    bench brief "$dir/out-brief" "$brief" build --root "$dir/brief" --output "$dir/out-brief"
    b_wall=$R_WALL b_cpu=$R_CPU b_rss=$R_RSS b_pages=$R_PAGES
    rebuild brief-rebuild "$dir/out-brief" "$brief" build --root "$dir/brief" --output "$dir/out-brief"
    r_wall=$R_WALL r_cpu=$R_CPU

    h_wall="" h_cpu="" h_rss="" h_pages=""
    if [[ -n $hugo ]]; then
        bench hugo "$dir/out-hugo" "$hugo" --quiet --source "$dir/hugo" --destination "$dir/out-hugo"
        h_wall=$R_WALL h_cpu=$R_CPU h_rss=$R_RSS h_pages=$R_PAGES
    fi

    f_wall="" f_cpu="" f_rss="" f_pages=""
    if [[ -n $floor ]]; then
        bench floor "$dir/out-floor" "$floor" "$dir/brief" "$dir/out-floor"
        f_wall=$R_WALL f_cpu=$R_CPU f_rss=$R_RSS f_pages=$R_PAGES
    fi

    echo
    echo "## $n articles"
    echo
    echo "| tool | median wall (s) | CPU (s) | peak RSS (MB) | pages | pages/s | time ÷ Hugo | RSS ÷ Hugo | time ÷ floor |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
    row() { # name wall cpu rss pages
        echo "| $1 | $2 | ${3:-–} | ${4:-–} | $5 | $(per_second "$5" "$2") | $(ratio "$2" "$h_wall") | $(ratio "$4" "$h_rss") | $(ratio "$2" "$f_wall") |"
    }
    row brief "$b_wall" "$b_cpu" "$b_rss" "$b_pages"
    row "brief, rebuild of the unchanged site" "$r_wall" "$r_cpu" "" "$b_pages"
    if [[ -n $hugo ]]; then
        row "Hugo $hugo_version" "$h_wall" "$h_cpu" "$h_rss" "$h_pages"
    fi
    if [[ -n $floor ]]; then
        row "floor (Markdown only)" "$f_wall" "$f_cpu" "$f_rss" "$f_pages"
    fi
    echo
    parts=()
    [[ -z $hugo ]] || parts+=("$(ratio "$b_wall" "$h_wall") Hugo's wall time")
    [[ -z $hugo || -z $b_rss ]] || parts+=("$(ratio "$b_rss" "$h_rss") its peak memory")
    [[ -z $floor ]] || parts+=("$(ratio "$b_wall" "$f_wall") the floor's wall time")
    case ${#parts[@]} in
        0) ;;
        1) echo "brief took ${parts[0]}." ;;
        2) echo "brief took ${parts[0]} and ${parts[1]}." ;;
        *) echo "brief took ${parts[0]}, ${parts[1]} and ${parts[2]}." ;;
    esac
    [[ -n $hugo ]] || echo "Hugo is not installed here, so there is no comparison with it."
    [[ -n $floor ]] || echo "The Markdown floor did not build, so there is no comparison with it."
done

echo
echo "## The bundled site"
echo
if [[ -f $repo/site.toml ]]; then
    say "bundled site at $repo"
    bench bundled "$work/out-bundled" "$brief" build --root "$repo" --output "$work/out-bundled"
    echo "\`brief build\` of the repository's own site: median ${R_WALL} s${R_RSS:+, peak RSS ${R_RSS} MB}, ${R_PAGES} pages."
else
    echo "No site.toml at the repository root: nothing to time."
fi
