//! What each page is given: an article's entry and page, a page, list pages, the feed and
//! the sitemap, each a pure function of the [`Site`] and the job in the plan.

use super::plan::{Job, ListPage, FEED_LENGTH};
use super::{Document, Site};
use crate::diagnostic::Result;
use crate::feeds::{self, FeedEntry};
use crate::frontmatter::{CtaChoice, FrontMatter, Kind};
use crate::html::{escape, script_safe_json};
use crate::markdown::{self, Heading};
use crate::render::{toc, CtaView};
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;

/// Words a minute for reading time.
const READING_SPEED: usize = 220;

/// A rendered document body with what its page and the lists need.
#[derive(Debug, Clone)]
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
    pub word_count: usize,
    pub first_paragraph: String,
    pub links: Vec<markdown::Link>,
    /// See [`markdown::Rendered`].
    pub footnote_ids: Vec<String>,
    pub ctas: Vec<String>,
    pub opaque: bool,
    pub unknown_languages: Vec<markdown::UnknownLanguage>,
}

/// An article as lists, feeds and its own page see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub title: String,
    pub slug: String,
    pub author: String,
    pub url: String,
    pub permalink: String,
    pub date: NaiveDate,
    pub current_as_at: NaiveDate,
    pub updated: Option<NaiveDate>,
    pub date_display: String,
    pub current_as_at_display: String,
    pub updated_display: Option<String>,
    pub last_modified: NaiveDate,
    pub stamp: String,
    pub stale: bool,
    pub age_days: i64,
    /// The day the article falls due for review ([`crate::review`]).
    pub next_review: NaiveDate,
    pub next_review_display: String,
    /// Days until then; negative once overdue.
    pub review_due_in_days: i64,
    pub summary: String,
    pub tags: Vec<TagRef>,
    pub word_count: usize,
    pub reading_time: usize,
    pub draft: bool,
    pub scheduled: bool,
    /// `extra:` of its front matter, as written (null when absent).
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// What list pages and the feed read of the articles they show: worked out once for all
/// of them in `build`, on demand in `serve`.
pub trait Entries: Sync {
    /// The entry of article `i`.
    fn entry(&self, i: usize) -> Result<Cow<'_, Entry>>;
    /// The rendered body of article `i` (`i` < [`FEED_LENGTH`]).
    fn feed_body(&self, i: usize) -> Result<Cow<'_, str>>;
}

/// Entries rendered from the Markdown when asked for.
pub struct OnDemand<'s>(pub &'s Site);

impl Entries for OnDemand<'_> {
    fn entry(&self, i: usize) -> Result<Cow<'_, Entry>> {
        let doc = &self.0.articles[i];
        let body = self.0.body(doc)?;
        Ok(Cow::Owned(self.0.entry(doc, &body)))
    }
    fn feed_body(&self, i: usize) -> Result<Cow<'_, str>> {
        Ok(Cow::Owned(self.0.body(&self.0.articles[i])?.html))
    }
}

/// Entries kept from rendering every article page.
pub struct Rendered {
    pub entries: Vec<Entry>,
    /// The bodies of the first [`FEED_LENGTH`] articles.
    pub bodies: Vec<String>,
}

impl Entries for Rendered {
    fn entry(&self, i: usize) -> Result<Cow<'_, Entry>> {
        Ok(Cow::Borrowed(&self.entries[i]))
    }
    fn feed_body(&self, i: usize) -> Result<Cow<'_, str>> {
        Ok(Cow::Borrowed(&self.bodies[i]))
    }
}

#[derive(Debug, Clone, Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Neighbour<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    content: &'a str,
    toc: Vec<&'a Heading>,
    cta: Option<&'a CtaView>,
    cta_html: &'a str,
    previous: Option<Neighbour<'a>>,
    next: Option<Neighbour<'a>>,
    json_ld: String,
    /// Who confirmed it last (`reviewed_by:`), as site.toml defines them.
    reviewer: Option<ReviewerView<'a>>,
    /// Change notes, newest first.
    changes: Vec<ChangeView<'a>>,
}

#[derive(Serialize)]
struct ReviewerView<'a> {
    name: &'a str,
    role: &'a str,
    /// With the base path when it is a site path.
    url: Option<String>,
    organization: bool,
}

#[derive(Serialize)]
struct ChangeView<'a> {
    date: NaiveDate,
    date_display: String,
    note: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    summary: &'a str,
    content: &'a str,
    toc: Vec<&'a Heading>,
    word_count: usize,
    reading_time: usize,
    cta: Option<&'a CtaView>,
    cta_html: &'a str,
    draft: bool,
    tags: Vec<TagRef>,
    extra: &'a serde_json::Value,
    /// Set when its front matter has `current_as_at`: it is stamped as articles are.
    #[serde(flatten)]
    dates: Option<PageDates>,
}

/// The dates of a stamped page, named as an article's are.
#[derive(Serialize)]
struct PageDates {
    current_as_at: NaiveDate,
    current_as_at_display: String,
    stamp: String,
    stale: bool,
    age_days: i64,
    next_review: NaiveDate,
    next_review_display: String,
    review_due_in_days: i64,
    updated: Option<NaiveDate>,
    updated_display: Option<String>,
    /// Pages name no reviewer.
    reviewer: Option<()>,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
}

/// When an article was last updated: `updated:` or its newest change note, whichever is
/// later.
fn updated(front: &FrontMatter) -> Option<NaiveDate> {
    front.updated.max(front.changes.last().map(|c| c.date))
}

/// The newest of an article's dates: what feeds and the sitemap call its last change.
fn last_modified(front: &FrontMatter, date: NaiveDate) -> NaiveDate {
    [Some(date), front.current_as_at, updated(front)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(date)
}

impl Site {
    /// Renders one output of the plan.
    pub fn render_job(&self, job: &Job, entries: &dyn Entries) -> Result<String> {
        match job {
            Job::Article(i) => {
                let doc = &self.articles[*i];
                let body = self.body(doc)?;
                self.article_page(*i, &self.entry(doc, &body), &body)
            }
            Job::Page(i) => {
                let doc = &self.pages[*i];
                self.page_html(doc, &self.body(doc)?)
            }
            Job::List(list) => self.render_list(list, entries),
            Job::NotFound => {
                self.templates
                    .render("404.html", &self.templates.context("404.html"), None)
            }
            Job::Feed => self.feed(entries),
            Job::Sitemap => Ok(self.sitemap()),
            Job::Robots => Ok(feeds::robots(&self.config)),
            Job::Redirect(target) => Ok(feeds::redirect(&self.config, target)),
        }
    }

    /// Reads one document's Markdown again and renders it, with its shortcodes and CTAs.
    pub fn body(&self, doc: &Document) -> Result<Body> {
        self.render_body(doc, &self.source(doc)?)
    }

    /// Renders one document's Markdown from `text`, its file's text.
    pub fn render_body(&self, doc: &Document, text: &str) -> Result<Body> {
        let shortcode = |code: &crate::markdown::shortcode::Shortcode| {
            self.templates.shortcode(code, &self.config)
        };
        let source_dir = doc
            .file
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let source_page = |file: &str| self.source_page(file);
        let page = markdown::Page {
            path: doc.path(),
            source_dir: &source_dir,
            source_page: &source_page,
        };
        let cx = markdown::Context {
            base_path: &self.config.base_path,
            first_line: doc.body_line,
            shortcode: &shortcode,
            page: Some(&page),
            highlight: self.config.markdown.highlight,
            images: Some(&self.images),
            variants: !self.options.serve,
        };
        let r = markdown::render(doc.body(text), &cx).map_err(|d| d.or_in_file(&doc.file))?;
        Ok(Body {
            html: r.html,
            headings: r.headings,
            word_count: r.word_count,
            first_paragraph: r.first_paragraph,
            links: r.links,
            footnote_ids: r.footnote_ids,
            ctas: r.ctas,
            opaque: r.opaque,
            unknown_languages: r.unknown_languages,
        })
    }

    /// The list entry of an article.
    pub fn entry(&self, doc: &Document, body: &Body) -> Entry {
        let f = &doc.front;
        let date = doc.date();
        let as_at = doc.as_at();
        let age_days = (self.today - as_at).num_days();
        let review = super::review::of(doc, &self.config, self.today);
        let path = doc.path();
        let updated = updated(f);
        Entry {
            title: f.title.clone(),
            slug: doc.slug.clone(),
            author: f
                .author
                .clone()
                .unwrap_or_else(|| self.config.author.clone()),
            url: self.config.url(path),
            permalink: self.config.permalink(path),
            date,
            current_as_at: as_at,
            updated,
            date_display: self.config.display_date(date),
            current_as_at_display: self.config.display_date(as_at),
            updated_display: updated.map(|d| self.config.display_date(d)),
            last_modified: last_modified(f, date),
            stamp: self.stamp(as_at),
            stale: review.overdue(),
            age_days,
            next_review: review.due,
            next_review_display: self.config.display_date(review.due),
            review_due_in_days: review.due_in_days,
            summary: f
                .summary
                .clone()
                .unwrap_or_else(|| body.first_paragraph.clone()),
            tags: f
                .tags
                .iter()
                .zip(&f.tag_slugs)
                .map(|(name, slug)| self.tag_ref(name, slug))
                .collect(),
            word_count: body.word_count,
            reading_time: reading_time(body.word_count),
            draft: f.draft,
            scheduled: date > self.today,
            extra: f.extra.clone(),
        }
    }

    /// `Information current as at <time …>5 July 2026</time>`.
    pub fn stamp(&self, date: NaiveDate) -> String {
        let d = &self.config.dates;
        format!(
            "{}<time datetime=\"{date}\">{}</time>{}",
            escape(&d.stamp_before),
            escape(&self.config.display_date(date)),
            escape(&d.stamp_after)
        )
    }

    fn tag_ref(&self, name: &str, slug: &str) -> TagRef {
        TagRef {
            url: self.config.url(&format!("tags/{slug}/")),
            name: name.to_string(),
            slug: slug.to_string(),
        }
    }

    /// The call-to-action that ends a document, if any.
    pub fn closing_cta(&self, doc: &Document) -> Option<&(CtaView, String)> {
        let choice = match &doc.front.cta {
            CtaChoice::Default => &doc.section.cta,
            chosen => chosen,
        };
        match choice {
            CtaChoice::None => None,
            CtaChoice::Id(id) => self.templates.cta(id),
            CtaChoice::Default if doc.kind == Kind::Article => self
                .config
                .default_cta
                .as_deref()
                .and_then(|id| self.templates.cta(id)),
            CtaChoice::Default => None,
        }
    }

    /// Renders article `i` (its index in `self.articles`).
    pub fn article_page(&self, i: usize, entry: &Entry, body: &Body) -> Result<String> {
        let doc = &self.articles[i];
        let neighbour = |j: Option<usize>| {
            j.and_then(|j| self.articles.get(j)).map(|d| Neighbour {
                title: &d.front.title,
                url: self.config.url(d.path()),
            })
        };
        let cta = self.closing_cta(doc);
        let reviewer = doc
            .front
            .reviewed_by
            .as_ref()
            .and_then(|id| self.config.reviewers.get(id));
        let view = ArticleView {
            entry,
            content: &body.html,
            toc: toc(&body.headings),
            cta: cta.map(|(view, _)| view),
            cta_html: cta.map_or("", |(_, html)| html.as_str()),
            previous: neighbour(Some(i + 1)),
            next: neighbour(i.checked_sub(1)),
            json_ld: self.json_ld(entry, reviewer),
            reviewer: reviewer.map(|r| ReviewerView {
                name: &r.name,
                role: &r.role,
                url: r.url.as_deref().map(|u| self.config.site_link(u)),
                organization: r.organization,
            }),
            changes: doc
                .front
                .changes
                .iter()
                .rev()
                .map(|c| ChangeView {
                    date: c.date,
                    date_display: self.config.display_date(c.date),
                    note: &c.note,
                })
                .collect(),
        };
        let mut cx = self.templates.context(doc.path());
        cx.insert("article", &view);
        self.templates.render("article.html", &cx, Some(&doc.file))
    }

    /// Renders a page (a document directly in content/).
    pub fn page_html(&self, doc: &Document, body: &Body) -> Result<String> {
        let cta = self.closing_cta(doc);
        let path = doc.path();
        let view = PageView {
            title: &doc.front.title,
            slug: &doc.slug,
            url: self.config.url(path),
            permalink: self.config.permalink(path),
            summary: doc
                .front
                .summary
                .as_deref()
                .unwrap_or(&body.first_paragraph),
            content: &body.html,
            toc: toc(&body.headings),
            word_count: body.word_count,
            reading_time: reading_time(body.word_count),
            cta: cta.map(|(view, _)| view),
            cta_html: cta.map_or("", |(_, html)| html.as_str()),
            draft: doc.front.draft,
            tags: doc
                .front
                .tags
                .iter()
                .zip(&doc.front.tag_slugs)
                .map(|(name, slug)| self.tag_ref(name, slug))
                .collect(),
            extra: &doc.front.extra,
            dates: doc.front.current_as_at.map(|as_at| {
                let review = super::review::of(doc, &self.config, self.today);
                let updated = updated(&doc.front);
                PageDates {
                    current_as_at: as_at,
                    current_as_at_display: self.config.display_date(as_at),
                    stamp: self.stamp(as_at),
                    stale: review.overdue(),
                    age_days: (self.today - as_at).num_days(),
                    next_review: review.due,
                    next_review_display: self.config.display_date(review.due),
                    review_due_in_days: review.due_in_days,
                    updated,
                    updated_display: updated.map(|d| self.config.display_date(d)),
                    reviewer: None,
                }
            }),
        };
        let mut cx = self.templates.context(path);
        cx.insert("page", &view);
        self.templates.render("page.html", &cx, Some(&doc.file))
    }

    /// The structured data of an article page: a `WebPage` (when it was last reviewed, and
    /// by whom) whose main entity is the `Article`. Its dates are those the page shows.
    fn json_ld(&self, e: &Entry, reviewer: Option<&crate::config::Reviewer>) -> String {
        let organisation = || serde_json::json!({"@type": "Organization", "name": self.config.title, "url": self.config.base_url});
        let article = serde_json::json!({
            "@type": "Article",
            "headline": e.title,
            "description": e.summary,
            "datePublished": e.date.to_string(),
            "dateModified": e.last_modified.to_string(),
            // The practice itself is an organisation (also when site.toml names no author);
            // anyone else who writes is a person.
            "author": if e.author.is_empty() || e.author == self.config.title {
                serde_json::json!({"@type": "Organization", "name": self.config.title})
            } else {
                serde_json::json!({"@type": "Person", "name": e.author})
            },
            "publisher": organisation(),
            "mainEntityOfPage": e.permalink,
            "keywords": e.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        });
        let mut page = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "@id": e.permalink,
            "url": e.permalink,
            "name": e.title,
            "lastReviewed": e.current_as_at.to_string(),
            "mainEntity": article,
        });
        if let Some(r) = reviewer {
            let mut who = serde_json::json!({
                "@type": if r.organization { "Organization" } else { "Person" },
                "name": r.name,
            });
            if !r.role.is_empty() {
                let key = if r.organization {
                    "description"
                } else {
                    "jobTitle"
                };
                who[key] = r.role.clone().into();
            }
            if let Some(url) = &r.url {
                who["url"] = match url.starts_with('/') {
                    true => self.config.permalink(url),
                    false => url.clone(),
                }
                .into();
            }
            page["reviewedBy"] = who;
        }
        script_safe_json(&page)
    }

    /// Renders one list page.
    pub fn render_list(&self, page: &ListPage, entries: &dyn Entries) -> Result<String> {
        let views: Vec<TagView> = page
            .tags
            .iter()
            .map(|(name, slug, count)| TagView {
                name,
                slug,
                url: self.config.url(&format!("tags/{slug}/")),
                count: *count,
            })
            .collect();
        let mut cx = self.templates.context(&page.path_of(page.number.0));
        if let Some(n) = page.section {
            cx.insert("section", &self.section_view(n)?);
        }
        if page.template == "tags.html" {
            cx.insert("tags", &views);
        } else {
            let (n, total) = page.number;
            if page.of_pages {
                let items = page
                    .items
                    .iter()
                    .map(|&i| self.page_item(&self.pages[i]))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("pages", &items);
                cx.insert("articles", &Vec::<Entry>::new());
            } else {
                let chunk = page
                    .items
                    .iter()
                    .map(|&i| entries.entry(i))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("articles", &chunk);
                cx.insert("pages", &Vec::<Entry>::new());
            }
            cx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    previous_url: (n > 1).then(|| self.config.url(&page.path_of(n - 1))),
                    next_url: (n < total).then(|| self.config.url(&page.path_of(n + 1))),
                },
            );
            if let Some(tag) = views.first() {
                cx.insert("tag", tag);
                // Pages with the tag, on its first page.
                let pages = self
                    .pages
                    .iter()
                    .filter(|p| n == 1 && p.front.tag_slugs.iter().any(|s| s == tag.slug))
                    .map(|p| self.page_item(p))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("pages", &pages);
            }
        }
        let file = page.section.and_then(|n| self.sections[n].file.as_deref());
        self.templates.render(&page.template, &cx, file)
    }

    /// The Atom feed of the newest [`FEED_LENGTH`] articles.
    pub fn feed(&self, entries: &dyn Entries) -> Result<String> {
        let n = self.articles.len().min(FEED_LENGTH);
        let shown = (0..n)
            .map(|i| Ok((entries.entry(i)?, entries.feed_body(i)?)))
            .collect::<Result<Vec<_>>>()?;
        let feed: Vec<FeedEntry> = shown
            .iter()
            .zip(&self.articles)
            .map(|((e, body), doc)| FeedEntry {
                title: &e.title,
                permalink: &e.permalink,
                published: e.date,
                updated: e.last_modified,
                author: &e.author,
                summary: &e.summary,
                tags: e.tags.iter().map(|t| t.name.as_str()).collect(),
                change: doc
                    .front
                    .changes
                    .last()
                    .map(|c| (self.config.display_date(c.date), c.note.as_str())),
                content: body,
            })
            .collect();
        Ok(feeds::atom(&self.config, &feed, self.today))
    }

    /// The sitemap: every article (with its last change), page, and list.
    pub fn sitemap(&self) -> String {
        let modified: Vec<NaiveDate> = self
            .articles
            .iter()
            .map(|d| last_modified(&d.front, d.date()))
            .collect();
        let newest = modified.iter().copied().max();
        let mut urls = vec![(self.config.base_url.clone(), newest)];
        urls.extend(
            self.articles
                .iter()
                .zip(&modified)
                .map(|(d, m)| (self.config.permalink(d.path()), Some(*m))),
        );
        urls.extend(
            self.pages
                .iter()
                .map(|p| (self.config.permalink(p.path()), None)),
        );
        for section in self.sections.iter().skip(1) {
            let lastmod = match section.kind {
                crate::frontmatter::Kind::Article => self
                    .section_items(section, false)
                    .iter()
                    .map(|&i| modified[i])
                    .max(),
                crate::frontmatter::Kind::Page => None,
            };
            urls.push((self.config.permalink(&section.path), lastmod));
        }
        urls.push((self.config.permalink("tags/"), newest));
        for (slug, tag) in self.tags() {
            let lastmod = tag.articles.iter().map(|&i| modified[i]).max();
            urls.push((self.config.permalink(&format!("tags/{slug}/")), lastmod));
        }
        feeds::sitemap(&urls)
    }
}

fn reading_time(words: usize) -> usize {
    words.div_ceil(READING_SPEED).max(1)
}
