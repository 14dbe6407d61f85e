#!/usr/bin/env bash
# The wheel that carries brief (pyproject.toml, maturin's `bindings = "bin"`): builds it,
# installs it into a fresh virtual environment with nothing else, and runs `brief init` then
# `brief build` with the `brief` the wheel put on the environment's PATH.
#
# Usage: .ci/wheel.sh [PROFILE]   (default: dev, which reuses the build `cargo test` made, so
# CI compiles nothing again; release wheels come from .github/workflows/release.yml)
# Needs python3 with venv; maturin is installed into a throwaway environment.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-dev}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wherever cargo puts its builds (CARGO_TARGET_DIR, a config file or a wrapper may move it),
# so that maturin finds the build cargo test made.
CARGO_TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2"
"$work/tools/bin/maturin" build --quiet --strip --profile "$profile" --out "$work/dist"
wheel=$(ls "$work"/dist/brief_ssg-*.whl)
echo "wheel: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KB"

python3 -m venv "$work/env"
"$work/env/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
brief="$work/env/bin/brief"
[ -x "$brief" ] || { echo "wheel: the wheel put no brief in the environment's bin/" >&2; exit 1; }
"$brief" --version
# No terminal, so init asks nothing: it takes the flags and its defaults.
"$brief" init "$work/site" --title "Wheel test" --timezone UTC </dev/null >/dev/null
"$brief" build --root "$work/site" </dev/null >/dev/null
[ -s "$work/site/public/index.html" ] || { echo "wheel: brief build made no public/index.html" >&2; exit 1; }
echo "wheel: init and build ran with the installed brief"
