#!/usr/bin/env python3
"""Time from saving a file to the reload message of `brief serve`.

Starts `brief serve` on SITE, listens to its event stream, then edits one article N times
and one call-to-action in site.toml N times, and prints the median (and spread) of the
time from each write to the reload message that follows it.

    python3 benches/serve_latency.py --brief target/release/brief --site DIR [--edits 20]

benches/serve_latency.sh makes the corpus and the binary and runs this.
"""

import argparse
import http.client
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(port, out):
    """Reads the event stream; puts (arrival time, event name, data) on `out`."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/__brief/events", headers={"Accept": "text/event-stream"})
    response = conn.getresponse()
    name, data = None, []
    while True:
        line = response.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif line == "":
            if name:
                out.put((time.perf_counter(), name, "\n".join(data)))
            name, data = None, []


def wait_for(stream, kinds, timeout=120):
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise SystemExit(f"serve_latency: no {kinds} message within {timeout} s")
        arrived, name, data = stream.get(timeout=left)
        if name in kinds:
            return arrived, name, data


def drain(stream):
    while True:
        try:
            stream.get_nowait()
        except queue.Empty:
            return


def measure(stream, edit, n, settle):
    times = []
    for k in range(n):
        drain(stream)
        start = time.perf_counter()
        edit(k)
        arrived, name, data = wait_for(stream, ("reload", "failed"))
        if name == "failed":
            raise SystemExit(f"serve_latency: the edit broke the build: {data}")
        times.append((arrived - start) * 1000)
        time.sleep(settle)
    return times


def summary(label, times):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    return (f"{label:<28} median {statistics.median(times):8.1f} ms   "
            f"min {times[0]:8.1f}   p90 {p90:8.1f}   max {times[-1]:8.1f}   (n={len(times)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brief", required=True)
    parser.add_argument("--site", required=True)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--settle", type=float, default=0.3,
                        help="seconds to wait after each reload before the next edit")
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(
        [args.brief, "serve", "--root", args.site, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []

    def pump():
        for line in server.stdout:
            log.append(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        started = time.perf_counter()
        while not any("Serving " in line for line in log):
            if server.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit("serve_latency: brief serve did not start:\n" + "".join(log))
            time.sleep(0.05)
        first_build = next((l.strip() for l in log if l.startswith("Built ")), "?")
        stream = queue.Queue()
        threading.Thread(target=events, args=(port, stream), daemon=True).start()
        wait_for(stream, ("hello",))

        articles = sorted(os.listdir(os.path.join(args.site, "content", "articles")))
        article = os.path.join(args.site, "content", "articles", articles[len(articles) // 2])
        with open(article, encoding="utf-8") as f:
            original = f.read()

        def edit_article(k):
            # A different number of words each time, so the article's entry changes and
            # the list pages showing it are rendered again too.
            with open(article, "w", encoding="utf-8") as f:
                f.write(original + "\n\nEdited" + " again" * (k % 5 + 1) + ".\n")

        config = os.path.join(args.site, "site.toml")
        with open(config, encoding="utf-8") as f:
            config_text = f.read()
        button = re.search(r'^button = "(.*)"$', config_text, re.M)
        if not button:
            raise SystemExit("serve_latency: site.toml has no CTA button to edit")

        def edit_cta(k):
            text = config_text.replace(button.group(0), f'button = "{button.group(1)} {k}"', 1)
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)

        article_times = measure(stream, edit_article, args.edits, args.settle)
        cta_times = measure(stream, edit_cta, args.edits, args.settle)
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        with open(config, "w", encoding="utf-8") as f:
            f.write(config_text)

        print(f"site: {args.site} ({len(articles)} articles); first build: {first_build}")
        print(summary("one-article edit → reload", article_times))
        print(summary("CTA edit in site.toml → reload", cta_times))
        rebuilds = [l.strip() for l in log if " changed: " in l]
        if rebuilds:
            print("last rebuild lines from brief serve:")
            for line in (rebuilds[: 1] + rebuilds[args.edits: args.edits + 1]):
                print("  " + line)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
