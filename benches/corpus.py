#!/usr/bin/env python3
"""Write a benchmark site: N long advisory articles, an about page and a contact page.

The same seed gives the same articles, byte for byte, in either flavour:

    python3 benches/corpus.py --flavor brief --n 1000 --out /tmp/bench/brief
    python3 benches/corpus.py --flavor hugo  --n 1000 --out /tmp/bench/hugo

The flavours differ only where the tools differ: the inline call-to-action syntax, the
configuration file and the templates. The templates are deliberately plain and do the same
work in both (see benches/README.md), so that a timing compares the tools, not the themes.

Python 3 standard library only.
"""

import argparse
import datetime
import os
import random
import re
import shutil
import sys

# --- Vocabulary -----------------------------------------------------------------------------
# Plain advisory prose, assembled from phrases so that paragraphs read like sentences and give
# the Markdown renderer realistic inline content (emphasis, links, quotes, apostrophes).

TOPICS = [
    "backups", "supplier contracts", "privacy notices", "payroll", "insurance cover",
    "commercial leases", "tax deadlines", "staff onboarding", "password hygiene",
    "incident response", "record keeping", "refund policies", "board minutes",
    "cash flow forecasts", "software licences", "website accessibility", "domain renewals",
    "grant applications", "succession plans", "debt collection", "cloud hosting",
    "customer complaints", "workplace safety", "contractor agreements", "audit trails",
]

SUBJECTS = [
    "the owner", "a small team", "the vendor", "your accountant", "the person on call",
    "every new hire", "the board", "a careful reviewer", "the support desk", "the insurer",
    "a regulator", "the landlord", "a growing business", "the founder", "the contractor",
    "the finance lead", "your lawyer", "a first-time buyer", "the office manager",
    "an outside auditor", "the payroll officer", "a sole trader", "the IT provider",
]

VERBS = [
    "should check", "rarely reads", "needs to confirm", "will ask about", "can often skip",
    "ought to document", "must renew", "tends to forget", "has to approve",
    "may want to revisit", "is expected to sign off", "should write down", "cannot ignore",
    "usually underestimates", "will eventually inherit", "needs a copy of", "should test",
    "has every reason to question", "is accountable for", "quietly depends on",
]

OBJECTS = [
    "the backup schedule", "each supplier contract", "the privacy notice", "the incident log",
    "every shared password", "the insurance schedule", "the lease terms", "the tax position",
    "the refund policy", "the access list", "the renewal dates", "the recovery plan",
    "the data retention rules", "the signing authority", "the price list",
    "the cancellation clause", "the asset register", "the emergency contacts",
    "the list of subscriptions", "the delegation register", "the complaints process",
    "the change log", "the approval thresholds", "the hosting invoice",
]

TAILS = [
    "before the next release", "at least once a year", "whenever staff change",
    "while the numbers are still small", "long before an auditor asks", "in writing",
    "after any outage", "before signing anything", "at the end of each quarter",
    "when the business moves premises", "as soon as a supplier changes hands",
    "before the financial year closes", "", "", "",
]

OPENERS = [
    "In practice,", "Even so,", "That said,", "For most firms,", "Put simply,", "As a rule,",
    "In our experience,", "More often than not,", "On paper,", "Either way,", "", "", "", "",
]

ASIDES = [
    "It's rarely as simple as it looks.",
    "Nobody notices until it's needed.",
    "The cost of doing this early is small; the cost of doing it late isn't.",
    "A \"good enough\" answer today beats a perfect one next year.",
    "Write the decision down, with the date, and who made it.",
    "If you can't find it in five minutes, you don't really have it.",
    "The rules changed in 2024 -- check which version applies to you.",
    "Ask for the answer in writing; phone calls are easily misremembered.",
    "Most problems here are ~~legal~~ administrative, not legal.",
    "That's the part people skip, and it's the part that matters.",
]

HEADINGS = [
    "The case for checking {obj}", "When to review {obj}", "Who owns {obj}", "What {subj} should know",
    "Keeping {obj} current", "Common mistakes with {obj}", "A short checklist",
    "What changes after the first year", "Costs you can see and costs you can't",
    "Questions to ask before you sign", "Where the risk actually sits", "Getting help",
    "What good looks like", "The paperwork, in order", "How to tell it is working",
]

SUBHEADINGS = [
    "A worked example", "The short version", "If you only do one thing", "Exceptions",
    "What to keep on file", "Red flags", "Timing", "Who to call",
]

TITLES = [
    "A plain guide to {topic}", "{Topic} before you sign", "What changes in {topic} this year",
    "{Topic} for small teams", "Getting {topic} right", "The hidden cost of {topic}",
    "Trouble with {topic}", "Five questions about {topic}", "{Topic}, explained",
    "A second look at {topic}", "Handing over {topic}", "{Topic} without the jargon",
]

TAGS = [
    "backups", "privacy", "contracts", "tax", "payroll", "insurance", "leases", "hiring",
    "security", "compliance", "cash-flow", "pricing", "suppliers", "governance", "audits",
    "grants", "superannuation", "records", "incidents", "licensing", "exports", "data",
    "accessibility", "training", "policies", "budgets", "funding", "risk", "disputes",
    "refunds", "marketing", "workplace-safety", "vendors", "cloud", "passwords", "email",
    "domains", "website", "invoicing", "bookkeeping", "debt", "succession", "board", "trusts",
    "property", "travel", "remote-work", "contractors", "customers", "planning",
]
# Real sites have a few big tags and many small ones; weight the vocabulary accordingly so
# that the biggest tag lists run to many pages.
TAG_WEIGHTS = [1.0 / (rank + 1) ** 0.6 for rank in range(len(TAGS))]

CTAS = {
    "send-it-over": {
        "title": "Want a second pair of eyes?",
        "body": "Send us the document and we will tell you, **in plain words**, what needs attention.",
        "button": "Send it over",
        "href": "/contact/",
    },
    "talk-to-us": {
        "title": "Not sure where you stand?",
        "body": "One conversation is usually enough to find out. _No charge_ for the first call.",
        "button": "Talk to us",
        "href": "/contact/",
    },
    "book-a-review": {
        "title": "Due for a review?",
        "body": "We check the lot against the current rules and give you a **dated** summary.",
        "button": "Book a review",
        "href": "/contact/",
    },
}
DEFAULT_CTA = "send-it-over"

CODE_SAMPLES = [
    ("bash", "#!/bin/sh\n# Nightly copy of the shared drive, kept for 30 days\nrsync -a --delete /srv/shared/ /mnt/backup/$(date +%F)/\nfind /mnt/backup -maxdepth 1 -mtime +30 -exec rm -rf {} +"),
    ("toml", "[retention]\ninvoices = \"7 years\"\npayroll = \"7 years\"\nemail = \"2 years\"\n\n[review]\nowner = \"finance@example.com\"\nevery_months = 12"),
    ("yaml", "renewals:\n  - name: example.com\n    due: 2026-03-01\n    owner: office manager\n  - name: insurance (public liability)\n    due: 2026-07-01\n    owner: director"),
    ("json", "{\n  \"policy\": \"refunds\",\n  \"window_days\": 30,\n  \"exceptions\": [\"custom orders\", \"digital goods\"],\n  \"approver\": \"support lead\"\n}"),
    ("sql", "SELECT supplier, MAX(signed_on) AS last_signed\nFROM contracts\nWHERE expires_on < CURRENT_DATE + INTERVAL '90 days'\nGROUP BY supplier\nORDER BY last_signed;"),
    ("text", "Date        Who          What\n2025-02-03  A. Nguyen    Restored payroll file from backup (<15 min)\n2025-02-04  B. Smith     Changed shared password & told the team"),
]

START_DATE = datetime.date(2019, 1, 1)
DATE_SPAN_DAYS = 6 * 365 + 180  # articles dated 2019 to mid 2025: all in the past
TARGET_WORDS = (1150, 1300)


# --- Text ----------------------------------------------------------------------------------

def capitalise(text):
    return text[:1].upper() + text[1:]


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sentence(rng, plain=False):
    opener = rng.choice(OPENERS)
    subj, verb, obj, tail = (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS),
                             rng.choice(TAILS))
    roll = 1.0 if plain else rng.random()
    if roll < 0.15:
        obj = f"**{obj}**"
    elif roll < 0.25:
        verb = f"_{verb}_"
    words = " ".join(w for w in (opener, subj, verb, obj, tail) if w)
    text = capitalise(words) + "."
    if not plain and rng.random() < 0.12:
        text += " " + rng.choice(ASIDES)
    return text


def paragraph(rng, sentences=None):
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(4, 6)))


def words_in(block):
    """Words a reader sees, roughly: tokens with at least one letter or digit."""
    return sum(1 for token in block.split() if re.search(r"[A-Za-z0-9]", token))


def headings(rng, patterns, k):
    """k different headings, so that the ids derived from them are unique in the article."""
    return [capitalise(p.format(obj=rng.choice(OBJECTS), subj=rng.choice(SUBJECTS)))
            for p in rng.sample(patterns, k)]


# --- Articles ------------------------------------------------------------------------------

class Article:
    """Everything about article `index` that other articles may need: its slug and title.

    Each article draws from its own random stream, so article 17 is the same whatever N is,
    apart from which other articles it links to."""

    def __init__(self, seed, index):
        rng = random.Random(f"brief-bench:{seed}:{index}:head")
        topic = rng.choice(TOPICS)
        self.title = rng.choice(TITLES).format(topic=topic, Topic=capitalise(topic))
        self.slug = f"{slugify(self.title)}-{index + 1}"
        self.index = index
        self.date = START_DATE + datetime.timedelta(days=rng.randrange(DATE_SPAN_DAYS))
        self.current_as_at = self.date + datetime.timedelta(days=rng.randrange(0, 420))
        self.tags = sorted(weighted_sample(rng, TAGS, TAG_WEIGHTS, 3))
        # A fifth of the articles have no summary, so list pages fall back to the first paragraph.
        self.summary = sentence(rng, plain=True) if rng.random() < 0.8 else None
        roll = rng.random()
        self.cta = "none" if roll < 0.05 else ("talk-to-us" if roll < 0.35 else None)
        self.inline_cta = rng.choice(sorted(CTAS))


def weighted_sample(rng, items, weights, k):
    chosen = []
    pool = list(zip(items, weights))
    for _ in range(k):
        pick = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(pick)[0])
    return chosen


def quoted(text):
    """A double-quoted string, valid in both YAML and TOML for the ASCII text used here."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(article):
    lines = ["---", f"title: {quoted(article.title)}", f"date: {article.date.isoformat()}",
             f"current_as_at: {article.current_as_at.isoformat()}"]
    if article.summary:
        lines.append(f"summary: {quoted(article.summary)}")
    lines.append("tags: [" + ", ".join(article.tags) + "]")
    if article.cta:
        lines.append(f"cta: {article.cta}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def article_body(article, total, seed, cta_line):
    """The Markdown body. Every article has h2 and h3 headings, paragraphs, a bullet list, a
    numbered list, a table, a fenced code block, 2-3 links to other articles and one inline
    call to action; some also have a footnote, a blockquote or a heading with an explicit id."""
    rng = random.Random(f"brief-bench:{seed}:{article.index}:body")
    target = rng.randint(*TARGET_WORDS)

    sections = [[] for _ in range(rng.randint(5, 7))]
    intro = [paragraph(rng), paragraph(rng, 3)]

    def somewhere(block, first=0):
        sections[rng.randrange(first, len(sections))].append(block)

    bullets = "\n".join(f"- {capitalise(rng.choice(OBJECTS))}, {rng.choice(TAILS) or 'every time'}"
                        for _ in range(rng.randint(4, 6)))
    numbered = "\n".join(f"{n}. {capitalise(rng.choice(SUBJECTS))} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
                         for n in range(1, rng.randint(4, 6)))
    header = "| Item | Owner | Review |\n|:-----|:------|-------:|"
    rows = "\n".join(f"| {capitalise(rng.choice(OBJECTS))} | {capitalise(rng.choice(SUBJECTS))} | "
                     f"{rng.choice(['monthly', 'quarterly', 'yearly', 'on change'])} |"
                     for _ in range(rng.randint(4, 6)))
    lang, code = rng.choice(CODE_SAMPLES)
    for block in (bullets, numbered, header + "\n" + rows, f"```{lang}\n{code}\n```"):
        somewhere(block)
    if rng.random() < 0.3:
        somewhere("> " + paragraph(rng, 2))

    # Subsections: at least one h3, sometimes with an explicit id.
    for n, title in enumerate(headings(rng, SUBHEADINGS, rng.randint(1, 3))):
        if n == 0 and rng.random() < 0.3:
            title += f" {{#note-{article.index + 1}}}"
        somewhere(f"### {title}\n\n{paragraph(rng)}")

    # Links to other articles, placed inside paragraphs.
    others = [j for j in rng.sample(range(total), min(total, 4)) if j != article.index][:rng.randint(2, 3)]
    for j in others:
        other = Article(seed, j)
        follow_up = sentence(rng)
        somewhere(f"{sentence(rng)} We cover this in [{other.title.lower()}](/articles/{other.slug}/); "
                  f"{follow_up[0].lower()}{follow_up[1:]}")

    footnote = None
    if rng.random() < 0.5:
        footnote = "[^1]: Figures current at the date above; the thresholds are indexed each July."
        somewhere(paragraph(rng, 3) + "[^1]")

    # Fill with plain paragraphs up to the target length.
    words = sum(words_in(b) for s in sections for b in s) + sum(words_in(p) for p in intro)
    while words < target:
        block = paragraph(rng)
        words += words_in(block)
        somewhere(block)

    out = list(intro)
    for n, (title, blocks) in enumerate(zip(headings(rng, HEADINGS, len(sections)), sections)):
        rng.shuffle(blocks)
        out.append("## " + title)
        out.extend(blocks)
        if n == 1:
            out.append(cta_line(article.inline_cta))
    if footnote:
        out.append(footnote)
    return "\n\n".join(out) + "\n"


# --- Pages ---------------------------------------------------------------------------------

ABOUT = """We write plain, dated guidance for small organisations: what the rules say, what they
mean in practice, and when the advice was last checked.

## How we date our advice

Every article carries the date its information was last confirmed. When that date is more
than a year old, the article says so, and we review it.

## Who we are

A small practice of advisers who prefer short answers to long invoices.
"""

CONTACT = """The quickest way to reach us is email: [hello@example.com](mailto:hello@example.com).

## What to send

- The document or question, as it stands
- Any deadline you are working to
- Who else needs to be involved

We reply within two working days.
"""


# --- Flavours ------------------------------------------------------------------------------

BRIEF_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="{{ site.lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ site.title }}{% endblock title %}</title>
<meta name="description" content="{% block description %}{{ site.description }}{% endblock description %}">
<link rel="canonical" href="{{ canonical }}">
<link rel="alternate" type="application/atom+xml" href="{{ site.base_path }}feed.xml">
<link rel="stylesheet" href="{{ site.base_path }}assets/style.css">
</head>
<body>
<header><a href="{{ site.base_path }}">{{ site.title }}</a>
<nav><a href="{{ site.base_path }}tags/">Topics</a> <a href="{{ site.base_path }}about/">About</a> <a href="{{ site.base_path }}contact/">Contact</a></nav></header>
<main>
{% block main %}{% endblock main %}
</main>
<footer>&copy; {{ site.year }} {{ site.author }}</footer>
</body>
</html>
""",
    "article.html": """{% extends "base.html" %}
{% block title %}{{ article.title }} | {{ site.title }}{% endblock title %}
{% block description %}{{ article.summary }}{% endblock description %}
{% block main %}
<article>
<h1>{{ article.title }}</h1>
<p class="meta"><time datetime="{{ article.date }}">{{ article.date_display }}</time> &middot; {{ article.reading_time }} min read</p>
<p class="as-at">{{ article.stamp | safe }}</p>
{% if article.stale %}<p class="stale">This advice is due for review.</p>{% endif %}
{{ article.content | safe }}
{{ article.cta_html | safe }}
<ul class="tags">{% for tag in article.tags %}<li><a href="{{ tag.url }}">{{ tag.name }}</a></li>{% endfor %}</ul>
<nav class="neighbours">{% if article.previous %}<a rel="prev" href="{{ article.previous.url }}">{{ article.previous.title }}</a>{% endif %}
{% if article.next %}<a rel="next" href="{{ article.next.url }}">{{ article.next.title }}</a>{% endif %}</nav>
</article>
{% endblock main %}
""",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ site.title }}{% endblock title %}
{% block description %}{{ page.summary }}{% endblock description %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
{{ page.cta_html | safe }}
</article>
{% endblock main %}
""",
    "index.html": """{% extends "base.html" %}
{% block main %}
<h1>{{ site.title }}</h1>
<ul class="articles">
{% for a in articles %}<li>
<h2><a href="{{ a.url }}">{{ a.title }}</a></h2>
<time datetime="{{ a.date }}">{{ a.date_display }}</time>
<p>{{ a.summary }}</p>
<p class="tags">{% for tag in a.tags %}<a href="{{ tag.url }}">{{ tag.name }}</a> {% endfor %}</p>
</li>
{% endfor %}</ul>
<nav class="pagination">{% if paginator.previous_url %}<a rel="prev" href="{{ paginator.previous_url }}">Newer</a>{% endif %}
Page {{ paginator.current }} of {{ paginator.total }}
{% if paginator.next_url %}<a rel="next" href="{{ paginator.next_url }}">Older</a>{% endif %}</nav>
{% endblock main %}
""",
    "tag.html": """{% extends "base.html" %}
{% block title %}{{ tag.name }} | {{ site.title }}{% endblock title %}
{% block main %}
<h1>{{ tag.name }}</h1>
<ul class="articles">
{% for a in articles %}<li>
<h2><a href="{{ a.url }}">{{ a.title }}</a></h2>
<time datetime="{{ a.date }}">{{ a.date_display }}</time>
<p>{{ a.summary }}</p>
<p class="tags">{% for t in a.tags %}<a href="{{ t.url }}">{{ t.name }}</a> {% endfor %}</p>
</li>
{% endfor %}</ul>
<nav class="pagination">{% if paginator.previous_url %}<a rel="prev" href="{{ paginator.previous_url }}">Newer</a>{% endif %}
Page {{ paginator.current }} of {{ paginator.total }}
{% if paginator.next_url %}<a rel="next" href="{{ paginator.next_url }}">Older</a>{% endif %}</nav>
{% endblock main %}
""",
    "tags.html": """{% extends "base.html" %}
{% block title %}Topics | {{ site.title }}{% endblock title %}
{% block main %}
<h1>Topics</h1>
<ul class="tags">
{% for tag in tags %}<li><a href="{{ tag.url }}">{{ tag.name }}</a> ({{ tag.count }})</li>
{% endfor %}</ul>
{% endblock main %}
""",
    "404.html": """{% extends "base.html" %}
{% block title %}Not found | {{ site.title }}{% endblock title %}
{% block main %}
<h1>Not found</h1>
<p>That page does not exist. Try the <a href="{{ site.base_path }}">latest articles</a>.</p>
{% endblock main %}
""",
    "partials/cta.html": """<aside class="cta">
<h2>{{ cta.title }}</h2>
{{ cta.body | safe }}
<p><a class="button" href="{{ cta.href }}">{{ cta.button }}</a></p>
</aside>
""",
}

# The Hugo layouts mirror the brief templates above block for block. Code fences are not
# highlighted (brief does not highlight), and the CTA partial is cached per CTA, as brief
# renders each CTA once per build. The home page paginates the articles section's own page
# list: the common `where site.RegularPages "Section" "articles"` is evaluated again on every
# pager page, which makes Hugo quadratic in N (3.5 times slower at 10,000 articles).
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ block "description" . }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="{{ .MediaType.Type }}" href="{{ .RelPermalink }}">{{ end }}
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "tags/" | relURL }}">Topics</a> <a href="{{ "about/" | relURL }}">About</a> <a href="{{ "contact/" | relURL }}">Contact</a></nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>&copy; {{ now.Year }} {{ site.Params.author }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} | {{ site.Title }}{{ end }}
{{ define "description" }}{{ with .Params.summary }}{{ . }}{{ else }}{{ .Summary | plainify }}{{ end }}{{ end }}
{{ define "main" }}
{{ $asAt := time .Params.current_as_at }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format site.Params.date_format }}</time> &middot; {{ .ReadingTime }} min read</p>
<p class="as-at">Information current as at <time datetime="{{ $asAt.Format "2006-01-02" }}">{{ $asAt.Format site.Params.date_format }}</time></p>
{{ if lt $asAt.Unix (now.AddDate 0 0 (int (mul -1 site.Params.review_after_days))).Unix }}<p class="stale">This advice is due for review.</p>{{ end }}
{{ .Content }}
{{ $id := .Params.cta | default site.Params.default_cta }}
{{ with index site.Params.cta $id }}{{ partialCached "cta.html" . $id }}{{ end }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<nav class="neighbours">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>
{{ end }}
""",
    "_default/page.html": """{{ define "title" }}{{ .Title }} | {{ site.Title }}{{ end }}
{{ define "description" }}{{ .Params.summary }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Params.cta }}{{ with index site.Params.cta . }}{{ partialCached "cta.html" . $.Params.cta }}{{ end }}{{ end }}
</article>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $pager := .Paginate (site.GetPage "/articles").Pages }}
{{ partial "article-list.html" $pager }}
{{ end }}
""",
    "_default/term.html": """{{ define "title" }}{{ .Title }} | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ partial "article-list.html" .Paginator }}
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "title" }}Topics | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Topics</h1>
<ul class="tags">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    # Hugo falls back to list.html for any list page the layouts above do not cover.
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ partial "article-list.html" .Paginator }}
{{ end }}
""",
    "404.html": """{{ define "title" }}Not found | {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Not found</h1>
<p>That page does not exist. Try the <a href="{{ "/" | relURL }}">latest articles</a>.</p>
{{ end }}
""",
    "partials/article-list.html": """<ul class="articles">
{{ range .Pages }}<li>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format site.Params.date_format }}</time>
<p>{{ with .Params.summary }}{{ . }}{{ else }}{{ .Summary | plainify }}{{ end }}</p>
<p class="tags">{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</li>
{{ end }}</ul>
<nav class="pagination">{{ with .Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
Page {{ .PageNumber }} of {{ .TotalPages }}
{{ with .Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}</nav>
""",
    "partials/cta.html": """<aside class="cta">
<h2>{{ .title }}</h2>
{{ .body | markdownify | safeHTML }}
<p><a class="button" href="{{ .href | relURL }}">{{ .button }}</a></p>
</aside>
""",
    "shortcodes/cta.html": """{{ $id := .Get "id" }}{{ with index site.Params.cta $id }}{{ partialCached "cta.html" . $id }}{{ else }}{{ errorf "unknown CTA %q in %s" $id .Position }}{{ end }}""",
}

STYLE_CSS = """body { font: 18px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 0 auto; padding: 1rem; }
.as-at { color: #555; font-size: 0.9rem; }
.stale { background: #fff4d6; padding: 0.5rem; }
.cta { border: 2px solid #246; padding: 1rem; margin: 2rem 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
"""


def cta_tables(prefix):
    out = []
    for key in sorted(CTAS):
        out.append(f"[{prefix}.{key}]")
        out.extend(f"{field} = {quoted(CTAS[key][field])}"
                   for field in ("title", "body", "button", "href"))
        out.append("")
    return "\n".join(out)


def brief_config():
    return f"""title = "Bench"
description = "Benchmark corpus"
base_url = "https://example.com/"
lang = "en"
author = "Bench"
paginate = 10
default_cta = "{DEFAULT_CTA}"

[dates]
format = "%-d %B %Y"
stamp = "Information current as at {{date}}"
review_after_days = 365
timezone = "Australia/Sydney"

# Off, as in the Hugo flavour: the plain templates compare the same work. benches/run.sh
# also times it on, and the bundled theme with it on, as a new site has it.
[markdown]
highlight = false

{cta_tables("cta")}"""


def hugo_config():
    # Hugo 0.111 (Debian 12) syntax: `paginate` and `rssLimit` were renamed in later releases.
    return f"""baseURL = "https://example.com/"
title = "Bench"
languageCode = "en"
timeZone = "Australia/Sydney"
paginate = 10
rssLimit = 20
enableRobotsTXT = true

[taxonomies]
tag = "tags"

[outputs]
home = ["HTML", "RSS"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[markup.goldmark.renderer]
unsafe = true

[markup.highlight]
codeFences = false

[params]
description = "Benchmark corpus"
author = "Bench"
date_format = "2 January 2006"
review_after_days = 365
default_cta = "{DEFAULT_CTA}"

{cta_tables("params.cta")}"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(flavor, n, out, seed):
    if flavor == "brief":
        write(os.path.join(out, "site.toml"), brief_config())
        for name, text in BRIEF_TEMPLATES.items():
            write(os.path.join(out, "templates", name), text)
        write(os.path.join(out, "assets", "style.css"), STYLE_CSS)
        cta_line = lambda cta_id: f'{{{{ cta(id="{cta_id}") }}}}'
        page_extra = []
    else:
        write(os.path.join(out, "hugo.toml"), hugo_config())
        for name, text in HUGO_LAYOUTS.items():
            write(os.path.join(out, "layouts", name), text)
        write(os.path.join(out, "static", "assets", "style.css"), STYLE_CSS)
        cta_line = lambda cta_id: f'{{{{< cta id="{cta_id}" >}}}}'
        page_extra = ["layout: page"]
        # brief has no /articles/ list; keep Hugo's section (for previous/next) but unrendered
        # (`build:`, not `_build:`, which Hugo 0.145 removed).
        write(os.path.join(out, "content", "articles", "_index.md"),
              "---\ntitle: Articles\nbuild:\n  render: never\n---\n")

    for index in range(n):
        article = Article(seed, index)
        text = front_matter(article) + article_body(article, n, seed, cta_line)
        write(os.path.join(out, "content", "articles", article.slug + ".md"), text)

    pages = [("about", "About us", "Who writes this guidance, and how we keep it current.", ABOUT, None),
             ("contact", "Contact", "How to reach us.", CONTACT, "talk-to-us")]
    for slug, title, summary, body, cta in pages:
        lines = ["---", f'title: "{title}"', f'summary: "{summary}"'] + page_extra
        if cta:
            lines.append(f"cta: {cta}")
        write(os.path.join(out, "content", slug + ".md"), "\n".join(lines + ["---", "", body]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flavor", choices=["brief", "hugo"], required=True)
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", required=True, help="site directory to (re)create")
    parser.add_argument("--seed", type=int, default=1, help="changes the text (default 1)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")
    if os.path.exists(args.out):
        # Replace an earlier corpus, but never delete a directory this script did not make.
        ours = any(os.path.exists(os.path.join(args.out, f)) for f in ("site.toml", "hugo.toml"))
        if os.path.isdir(args.out) and (ours or not os.listdir(args.out)):
            shutil.rmtree(args.out)
        else:
            sys.exit(f"corpus.py: {args.out} exists and is not a corpus made by this script")
    generate(args.flavor, args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
