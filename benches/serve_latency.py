#!/usr/bin/env python3
"""Time from saving a file to `brief serve` serving the open page fresh.

Starts `brief serve` on SITE and times how long it takes to come up (launch until a GET of
`/` answers 200) and how much memory it holds. Then it listens to the event stream and, for
each of four kinds of edit, writes the file EDITS times and records two times from the
write:

- until the `reload` message arrives on `/__brief/events`;
- until a GET of the page the browser shows, the edited article's `/articles/<slug>/`,
  answers 200 with the edit in it. Like the reload script, it asks only once the reload
  message is in, and asks again every 10 ms while the answer is stale.

The kinds of edit:

1. one article: a varying number of words appended to it;
2. the article template: an HTML comment `<!-- bench K -->` before its last endblock;
3. the wording of a call-to-action button in site.toml (one the article shows);
4. the site title in site.toml (every page shows it).

It prints the median, min, 90th percentile and max of each, the start-up time, the
resident memory after start-up and at the end, and the Markdown on disk.

    python3 benches/serve_latency.py --brief target/release/brief --site DIR [--edits 20]

benches/serve_latency.sh makes the corpus and the binary and runs this. Every file edited
is written back as it was at the end, however the run ends.
"""

import argparse
import fcntl
import html
import http.client
import os
import queue
import signal
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


class Failure(Exception):
    """One kind of edit could not be measured; the message says why."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def now():
    return time.perf_counter()


# --- HTTP -----------------------------------------------------------------------------------

def get(port, path, timeout):
    """(status, body text) of a GET, or (None, why) when there is no answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        return None, f"{type(e).__name__}: {e}"
    finally:
        conn.close()


def events(port, out):
    """Reads the event stream; puts (arrival time, event name, data) on `out`, and
    (time, None, why) when the stream ends."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/__brief/events", headers={"Accept": "text/event-stream"})
        response = conn.getresponse()
        if response.status != 200:
            out.put((now(), None, f"the event stream answered {response.status}"))
            return
        name, data = None, []
        while True:
            line = response.fp.readline()
            if not line:
                out.put((now(), None, "the server closed the event stream"))
                return
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "":
                if name:
                    out.put((now(), name, "\n".join(data)))
                name, data = None, []
    except (OSError, http.client.HTTPException) as e:
        out.put((now(), None, f"the event stream failed: {type(e).__name__}: {e}"))


def wait_for(stream, kinds, timeout):
    """The first message of one of `kinds`; raises Failure on a timeout or a closed stream."""
    deadline = now() + timeout
    while True:
        left = deadline - now()
        if left <= 0:
            raise Failure(f"no {'/'.join(kinds)} message within {timeout:g} s")
        try:
            arrived, name, data = stream.get(timeout=left)
        except queue.Empty:
            continue
        if name is None:
            raise Failure(data)
        if name in kinds:
            return arrived, name, data


def drain(stream):
    """Drops the messages already in; raises Failure if the stream has ended."""
    while True:
        try:
            _, name, data = stream.get_nowait()
        except queue.Empty:
            return
        if name is None:
            raise Failure(data)


# --- The server -----------------------------------------------------------------------------

def memory(pid):
    """VmRSS and VmHWM of `pid` in bytes (None where /proc does not say)."""
    found = {"VmRSS": None, "VmHWM": None}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in found:
                    found[key] = int(value.split()[0]) * 1024  # reported in kB
    except OSError:
        pass
    return found["VmRSS"], found["VmHWM"]


def markdown_bytes(site):
    total = files = 0
    for folder, _, names in os.walk(os.path.join(site, "content")):
        for name in names:
            if name.endswith(".md"):
                total += os.path.getsize(os.path.join(folder, name))
                files += 1
    return total, files


# --- The site -------------------------------------------------------------------------------

def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def front_matter_slug(text):
    match = re.match(r"---\r?\n(.*?)\r?\n---", text, re.S)
    if match:
        slug = re.search(r"^slug:\s*[\"']?([^\"'\r\n]+?)[\"']?\s*$", match.group(1), re.M)
        if slug:
            return slug.group(1)
    return None


def cta_buttons(config_text):
    """[(CTA id, the whole `button = "..."` line, its text)] in the order of site.toml."""
    out, table = [], None
    for line in config_text.splitlines():
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            table = header.group(1).strip()
            continue
        button = re.match(r'^button = "(.*)"$', line)
        if button and table and table.startswith("cta."):
            out.append((table[4:].strip('"'), line, button.group(1)))
    return out


def shows_cta(text, cta_id):
    """Whether an article's Markdown places CTA `cta_id`, inline or in its front matter."""
    if re.search(r"^cta:\s*none\s*$", text, re.M):
        return False
    return (re.search(r'cta\(\s*id\s*=\s*"' + re.escape(cta_id) + '"', text) is not None
            or re.search(r"^cta:\s*" + re.escape(cta_id) + r"\s*$", text, re.M) is not None)


def choose_article(folder, names, cta_id):
    """The article nearest the middle of the folder that shows CTA `cta_id`, so that the
    CTA edit can be seen on its page; the middle one if none does (within 200 of it)."""
    middle = len(names) // 2
    for step in range(min(len(names), 401)):
        i = middle + (step + 1) // 2 * (1 if step % 2 else -1)
        if 0 <= i < len(names) and cta_id and shows_cta(read(os.path.join(folder, names[i])), cta_id):
            return names[i], True
    return names[middle], False


def template_for_articles(site):
    folder = os.path.join(site, "templates")
    preferred = os.path.join(folder, "article.html")
    if os.path.isfile(preferred):
        return preferred
    for here, _, names in os.walk(folder):
        for name in sorted(names):
            if "article" in name and name.endswith(".html"):
                return os.path.join(here, name)
    return None


def with_comment(template_text, comment):
    """The template with `comment` placed where it renders into the page: before the last
    `{% endblock %}` (the end of the page's main block), or at the end when it has none."""
    ends = list(re.finditer(r"\{%-?\s*endblock\b[^%]*-?%\}", template_text))
    if not ends:
        return template_text + comment + "\n"
    at = ends[-1].start()
    return template_text[:at] + comment + "\n" + template_text[at:]


def contains_value(body, text):
    """Whether the page shows `text` (HTML-escaped as templates do), not followed by
    another digit: "Bench 1" must not match the page of "Bench 12"."""
    variants = {text, html.escape(text, quote=False), html.escape(text)}
    return any(re.search(re.escape(v) + r"(?!\d)", body) for v in variants)


# --- Measuring ------------------------------------------------------------------------------

class Kind:
    """One kind of edit: `change(k)` gives the file's text for edit k, `fresh(k, body)`
    says whether the page body shows edit k (None: cannot tell, any 200 will do)."""

    def __init__(self, label, path, original, change, fresh):
        self.label, self.path, self.original = label, path, original
        self.change, self.fresh = change, fresh
        self.reload_ms, self.fresh_ms = [], []
        self.stale = 0  # answers after the reload message that did not show the edit yet
        self.failure = None
        self.log_at = 0  # where the server's log stood when this kind began


def fetch_fresh(port, page, kind, k, deadline):
    """Asks for the page until it answers 200 with edit k in it; returns the time then."""
    last = "no answer"
    while True:
        left = deadline - now()
        if left <= 0:
            raise Failure(f"{page} was not served fresh within the timeout (last answer: {last})")
        status, body = get(port, page, timeout=left)
        if status == 200 and (kind.fresh is None or kind.fresh(k, body)):
            return now()
        if status == 200:
            kind.stale += 1
            last = "200 without the edit"
        else:
            last = body[:200] if status is None else f"status {status}"
        time.sleep(0.01)


def measure(port, stream, kind, page, n, settle, timeout):
    try:
        for k in range(n):
            drain(stream)
            start = now()
            write(kind.path, kind.change(k))
            arrived, name, data = wait_for(stream, ("reload", "failed"), timeout)
            if name == "failed":
                raise Failure(f"edit {k} broke the build: {data}")
            kind.reload_ms.append((arrived - start) * 1000)
            served = fetch_fresh(port, page, kind, k, start + timeout)
            kind.fresh_ms.append((served - start) * 1000)
            time.sleep(settle)
    except Failure as e:
        kind.failure = f"edit {len(kind.reload_ms)} of {n}: {e}"
        print(f"serve_latency: {kind.label}: {kind.failure}", file=sys.stderr)
    finally:
        restore(stream, kind.path, kind.original, settle, timeout)


def restore(stream, path, original, settle, timeout):
    """Writes the file back and waits for the rebuild, so it is not taken for the next edit's."""
    if read(path) == original:
        return
    try:
        drain(stream)
    except Failure:
        write(path, original)
        return
    write(path, original)
    try:
        wait_for(stream, ("reload", "failed"), timeout)
    except Failure as e:
        print(f"serve_latency: after writing {path} back: {e}", file=sys.stderr)
    time.sleep(settle)


def summary(label, times):
    if not times:
        return f"{label:<44} no measurement"
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    return (f"{label:<44} median {statistics.median(times):8.1f} ms   "
            f"min {times[0]:8.1f}   p90 {p90:8.1f}   max {times[-1]:8.1f}   (n={len(times)})")


def mib(size):
    return "?" if size is None else f"{size / 2**20:.1f} MiB"


def ratio(size, markdown):
    return "?" if size is None or not markdown else f"{size / markdown:.2f}"


# --- Main -----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brief", required=True, help="the brief binary")
    parser.add_argument("--site", required=True, help="the site to serve (it is edited, then restored)")
    parser.add_argument("--edits", type=int, default=int(os.environ.get("EDITS", 20)),
                        help="edits of each kind (default: $EDITS, else 20)")
    parser.add_argument("--settle", type=float, default=0.3,
                        help="seconds to wait after each fresh page before the next edit")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds to wait for a reload message or a fresh page (default 120)")
    parser.add_argument("--startup-timeout", type=float, default=600,
                        help="seconds to wait for the first page (default 600)")
    args = parser.parse_args()
    if args.edits < 1:
        parser.error("--edits must be at least 1")

    site = args.site
    folder = os.path.join(site, "content", "articles")
    config = os.path.join(site, "site.toml")
    if not os.path.isfile(args.brief) or not os.access(args.brief, os.X_OK):
        sys.exit(f"serve_latency: {args.brief} is not an executable file")
    if not os.path.isdir(folder) or not os.path.isfile(config):
        sys.exit(f"serve_latency: {site} has no content/articles/ or site.toml")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".md"))
    if not names:
        sys.exit(f"serve_latency: {folder} has no articles")
    template = template_for_articles(site)
    if template is None:
        sys.exit(f"serve_latency: {site}/templates has no article template")

    # Two runs on one site would take each other's edits for their own, and write back
    # each other's edited files: hold a lock on site.toml (advisory; the file is unchanged).
    lock = open(config, "rb")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(f"serve_latency: another run is measuring {site}; wait for it to end")

    # Read everything that will be edited before the server starts, so that nothing is
    # restored from a half-written state.
    config_text = read(config)
    template_text = read(template)
    buttons = cta_buttons(config_text)
    if not buttons:
        sys.exit("serve_latency: site.toml has no [cta.*] button to edit")
    cta_id, button_line, button_text = buttons[0]
    first_table = re.search(r"^\s*\[", config_text, re.M)
    top = config_text[: first_table.start() if first_table else len(config_text)]
    title = re.search(r'^title = "(.*)"$', top, re.M)
    if not title:
        sys.exit("serve_latency: site.toml has no top-level title = \"...\" to edit")
    name, cta_on_page = choose_article(folder, names, cta_id)
    article = os.path.join(folder, name)
    article_text = read(article)
    slug = front_matter_slug(article_text) or name[:-3]
    page = f"/articles/{slug}/"
    markdown, markdown_files = markdown_bytes(site)

    def article_edit(k):
        # A different number of words each time, so that the article's entry changes and
        # the list pages showing it are rendered again too.
        return article_text + "\n\nEdited" + " again" * (k % 5 + 1) + ".\n"

    def article_fresh(k, body):
        return ("Edited" + " again" * (k % 5 + 1) + ".") in body

    def template_edit(k):
        return with_comment(template_text, f"<!-- bench {k} -->")

    def template_fresh(k, body):
        return f"<!-- bench {k} -->" in body

    def cta_edit(k):
        return config_text.replace(button_line, f'button = "{button_text} {k}"', 1)

    def cta_fresh(k, body):
        return contains_value(body, f"{button_text} {k}")

    def title_edit(k):
        line = title.group(0)
        return config_text.replace(line, f'title = "{title.group(1)} {k}"', 1)

    def title_fresh(k, body):
        return contains_value(body, f"{title.group(1)} {k}")

    rel = lambda p: os.path.relpath(p, site)
    kinds = [
        Kind("article edit", article, article_text, article_edit, article_fresh),
        Kind("template edit", template, template_text, template_edit,
             template_fresh),
        Kind("CTA button edit", config, config_text, cta_edit,
             cta_fresh if cta_on_page else None),
        Kind("site title edit", config, config_text, title_edit, title_fresh),
    ]
    originals = {article: article_text, template: template_text, config: config_text}

    # Killed or hung up on: still write the files back and stop the server (the `finally`).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, _: sys.exit(128 + number))

    port = free_port()
    log = []
    launched = now()
    server = subprocess.Popen(
        [args.brief, "serve", "--root", site, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def pump():
        for line in server.stdout:
            log.append(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        # Start-up: launch until the home page answers 200, asking every 10 ms.
        deadline = launched + args.startup_timeout
        last = "no answer"
        while True:
            if server.poll() is not None:
                sys.exit(f"serve_latency: brief serve exited ({server.returncode}) before serving:\n"
                         + "".join(log))
            if now() > deadline:
                sys.exit(f"serve_latency: / did not answer 200 within {args.startup_timeout:g} s "
                         f"(last: {last}):\n" + "".join(log))
            status, body = get(port, "/", timeout=max(0.1, deadline - now()))
            if status == 200:
                break
            last = body[:200] if status is None else f"status {status}"
            time.sleep(0.01)
        startup_ms = (now() - launched) * 1000
        rss_start, hwm_start = memory(server.pid)
        first_build = next((l.strip() for l in log if l.startswith("Built ")), "?")

        status, body = get(port, page, timeout=args.timeout)
        if status != 200:
            sys.exit(f"serve_latency: {page} (the page of {rel(article)}) answered "
                     f"{status or body} before any edit")

        stream = queue.Queue()
        threading.Thread(target=events, args=(port, stream), daemon=True).start()
        try:
            wait_for(stream, ("hello",), args.timeout)
        except Failure as e:
            sys.exit(f"serve_latency: the event stream: {e}")

        for kind in kinds:
            kind.log_at = len(log)
            measure(port, stream, kind, page, args.edits, args.settle, args.timeout)

        rss_end, hwm_end = memory(server.pid)
        print(f"site: {site} ({len(names)} articles); first build: {first_build}")
        print(f"page: {page} ({rel(article)}); template: {rel(template)}; "
              f"CTA: {cta_id} (\"{button_text}\")"
              + ("" if cta_on_page else ", not on the page: its freshness is not checked"))
        for kind in kinds:
            print(summary(f"{kind.label} → reload", kind.reload_ms))
            print(summary(f"{kind.label} → page fresh", kind.fresh_ms))
            if kind.stale:
                print(f"  {kind.stale} answer{'s' if kind.stale != 1 else ''} after the reload "
                      f"message still showed the page before the edit")
            if kind.failure:
                print(f"  FAILED at {kind.failure}")
        print(f"start-up (launch → GET / 200)                {startup_ms:8.1f} ms")
        print(f"RSS after start-up                           {mib(rss_start)} "
              f"(peak so far {mib(hwm_start)})")
        print(f"RSS at the end                               {mib(rss_end)}")
        print(f"peak RSS (VmHWM)                             {mib(hwm_end)}")
        print(f"Markdown on disk                             {markdown / 1e6:.1f} MB "
              f"({mib(markdown)}, {markdown_files} files)")
        print(f"RSS after start-up ÷ Markdown                {ratio(rss_start, markdown)}")
        print(f"peak RSS ÷ Markdown                          {ratio(hwm_end, markdown)}")
        firsts = [next((l.strip() for l in log[kind.log_at:] if " changed: " in l), None)
                  for kind in kinds]
        if any(firsts):
            print("brief serve's line for the first edit of each kind:")
            for line in firsts:
                print("  " + (line or "?"))
        if any(kind.failure for kind in kinds):
            sys.exit(1)
    finally:
        for path, text in originals.items():
            try:
                if read(path) != text:
                    write(path, text)
            except OSError as e:
                print(f"serve_latency: could not write {path} back: {e}", file=sys.stderr)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
