#!/usr/bin/env bash
# A check-only build of brief and its tests for Windows, from Linux: `cargo clippy --target
# x86_64-pc-windows-gnu --all-targets -- -D warnings`. The C libraries (Oniguruma, libwebp,
# mimalloc) need a MinGW compiler to build for Windows; a check links nothing, so a stand-in
# compiler that writes empty objects lets the Rust code be type-checked and linted without one.
# Not part of .ci/run: CI has a real Windows job. Needs `rustup target add x86_64-pc-windows-gnu`.
set -euo pipefail
cd "$(dirname "$0")/.."

stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
cat >"$stub/cc" <<'CC'
#!/bin/sh
# Writes the object it is asked for, empty (`-o FILE`, or `-FoFILE` when taken for MSVC).
out= prev=
for a in "$@"; do
  [ "$prev" = "-o" ] && out=$a
  case "$a" in -o?*) out=${a#-o} ;; -Fo*) out=${a#-Fo} ;; esac
  prev=$a
done
[ -n "$out" ] && : >"$out"
exit 0
CC
chmod +x "$stub/cc"
export CC_x86_64_pc_windows_gnu="$stub/cc" CXX_x86_64_pc_windows_gnu="$stub/cc" AR_x86_64_pc_windows_gnu=ar
cargo clippy --target x86_64-pc-windows-gnu --all-targets -- -D warnings
