#!/usr/bin/env bash
# Load test for `brief serve` on loopback: hundreds of concurrent connections fetch pages
# while an article is edited over and over (so the site keeps rebuilding), and a hundred
# more hold sockets open with half a request line (as a slow or hostile client does).
# Fails if any request fails, if serve never closes the stalled sockets, or if the
# server's memory keeps growing. Bounded: about 30 s of load.
#
# Usage: .ci/load-test.sh [path/to/brief]   (default: debug/brief in cargo's target folder,
# built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v python3 >/dev/null || { echo "load test: python3 is needed" >&2; exit 1; }
# Wherever cargo puts it (CARGO_TARGET_DIR, a config file or a wrapper may move the target dir).
brief=${1:-$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug/brief}
[ -x "$brief" ] || cargo build --quiet

site=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$site"
}
trap cleanup EXIT
cp -r content templates assets site.toml "$site/"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$brief" serve --root "$site" --port "$port" >"$site/serve.log" 2>&1 &
server_pid=$!

status=0
timeout 120 python3 - "$port" "$server_pid" "$site" <<'PY' || status=$?
import asyncio, os, random, sys, time

port, pid, site = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
CONNECTIONS = 300      # open at once
STALLED = 100          # sockets that send half a request line and wait
SECONDS = 30           # of load
PATHS = ["/", "/tags/", "/about/", "/contact/", "/feed.xml", "/sitemap.xml",
         "/assets/style.css", "/no-such-page/"]

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

async def get(path):
    """One request on a fresh connection; returns the status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout=30)
    finally:
        writer.close()
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0

async def wait_until_up():
    for _ in range(600):
        try:
            if await get("/") == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    sys.exit("load test: the server never answered")

async def main():
    await wait_until_up()
    articles = os.path.join(site, "content", "articles")
    article = os.path.join(articles, sorted(f for f in os.listdir(articles) if f.endswith(".md"))[0])
    with open(article) as f:
        original = f.read()
    end = time.monotonic() + SECONDS
    counts = {"ok": 0, "failed": 0}
    failures = []
    samples = []

    async def client():
        while time.monotonic() < end:
            path = random.choice(PATHS)
            try:
                status = await get(path)
            except Exception as e:  # a reset or a timeout is a failed request
                status = repr(e)
            expected = 404 if path == "/no-such-page/" else 200
            if status == expected:
                counts["ok"] += 1
            else:
                counts["failed"] += 1
                if len(failures) < 10:
                    failures.append((path, status))

    async def editor():
        # Mostly one article (a partial rebuild), every fourth time site.toml (all of it).
        n = 0
        while time.monotonic() < end:
            n += 1
            if n % 4:
                with open(article, "w") as f:
                    f.write(original + f"\n\nEdit number {n}.\n")
            else:
                with open(os.path.join(site, "site.toml"), "a") as f:
                    f.write(f"# edit number {n}\n")
            await asyncio.sleep(0.25)

    dropped = {"stalled": 0}

    async def stalled():
        # Half a request line, then nothing: serve must close it (after 5 s) and go on.
        while time.monotonic() < end:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.write(b"GET /ab")
            try:
                await asyncio.wait_for(reader.read(), timeout=max(0.1, end - time.monotonic()))
                dropped["stalled"] += 1
            except (asyncio.TimeoutError, OSError):
                pass
            finally:
                writer.close()

    async def sampler():
        while time.monotonic() < end:
            samples.append(rss_kib())
            await asyncio.sleep(0.5)

    await asyncio.gather(editor(), sampler(), *(client() for _ in range(CONNECTIONS)),
                         *(stalled() for _ in range(STALLED)))
    third = max(1, len(samples) // 3)
    early, late = max(samples[:third]), max(samples[-third:])
    print(f"load test: {counts['ok']} requests answered, {counts['failed']} failed; "
          f"{dropped['stalled']} stalled sockets closed by serve; "
          f"memory {early // 1024} MiB early, {late // 1024} MiB late")
    if counts["failed"]:
        sys.exit(f"load test: failed requests, e.g. {failures}")
    if counts["ok"] < 1000:
        sys.exit("load test: too few requests were answered to judge")
    if dropped["stalled"] < STALLED:
        sys.exit("load test: serve kept sockets that never finished their request")
    # Steady state may settle a little higher than the first seconds, not keep climbing.
    if late > early * 1.5 + 32 * 1024:
        sys.exit("load test: the server's memory kept growing")

asyncio.run(main())
PY
if [ "$status" != 0 ]; then
  echo "load test failed; the server said:" >&2
  tail -n 20 "$site/serve.log" >&2
  exit "$status"
fi
