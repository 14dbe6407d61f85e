//! The orchestrator: [`Site::load`] reads and checks everything, [`Site::render`] turns it
//! into pages handed to a [`Sink`] (the output folder for `build`, memory for `serve`,
//! nothing for `check`).

use crate::config::Config;
use crate::content::{self, Source};
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::feeds::{self, FeedEntry};
use crate::frontmatter::{self, CtaChoice, FrontMatter, Kind};
use crate::html::{escape, script_safe_json};
use crate::markdown::{self, Heading};
use crate::render::{toc, CtaView, Templates};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub const ASSETS: &str = "assets";
/// How many articles the feed carries.
pub const FEED_LENGTH: usize = 20;
/// Words a minute for reading time.
const READING_SPEED: usize = 220;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish drafts.
    pub drafts: bool,
    /// Publish articles dated after today.
    pub future: bool,
    /// Pretend today is this date (in the site's time zone).
    pub today: Option<NaiveDate>,
    /// Rendering for `brief serve`: templates get `serve = true`.
    pub serve: bool,
    /// Replaces `base_url` from site.toml (serve uses the local address).
    pub base_url: Option<String>,
}

/// One Markdown file, read and with its front matter checked.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: PathBuf,
    pub kind: Kind,
    pub front: FrontMatter,
    pub slug: String,
    pub text: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Line in the file where the body starts.
    pub body_line: usize,
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The site path after `base_path`: `articles/x/` or `about/`.
    pub fn path(&self) -> String {
        match self.kind {
            Kind::Article => format!("articles/{}/", self.slug),
            Kind::Page => format!("{}/", self.slug),
        }
    }

    /// The article's date (pages have none: they sort as oldest).
    pub fn date(&self) -> NaiveDate {
        self.front.date.unwrap_or(NaiveDate::MIN)
    }
}

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub templates: Templates,
    pub options: Options,
    pub today: NaiveDate,
    /// Published articles, newest first.
    pub articles: Vec<Document>,
    pub pages: Vec<Document>,
    /// Asset files: (path in the output, file on disk).
    pub assets: Vec<(String, PathBuf)>,
    pub warnings: Vec<Diagnostic>,
    /// Articles left out: (drafts, scheduled).
    pub skipped: (usize, usize),
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// A rendered file at `path` (relative to the output, `/`-separated).
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()>;
    /// An asset copied from `source`.
    fn copy(&self, path: &str, source: &Path) -> Result<()>;
    /// An article's rendered Markdown, just before its page is written: lets checks see
    /// its links and headings as the author wrote them. Does nothing by default.
    fn document(&self, _doc: &Document, _body: &Body) {}
    /// A document's page, whose HTML holds `body.html`: lets checks skip reading again
    /// what the Markdown stage already reported. Writes it by default.
    fn write_page(&self, path: &str, bytes: Vec<u8>, _body: &Body) -> Result<()> {
        self.write(path, bytes)
    }
}

impl Sink for crate::output::Staging {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        crate::output::Staging::write(self, path, &bytes)
    }
    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        crate::output::Staging::copy(self, path, source)
    }
}

/// What a render produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub articles: usize,
    pub files: usize,
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
    pub summary: String,
    pub tags: Vec<TagRef>,
    pub word_count: usize,
    pub reading_time: usize,
    pub draft: bool,
    pub scheduled: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
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
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
}

/// A rendered article body with what its page and the lists need.
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
}

impl Site {
    /// Reads site.toml, the templates and every Markdown file, and checks them all,
    /// reporting every problem found rather than the first.
    pub fn load(root: &Path, options: Options) -> std::result::Result<Site, Vec<Diagnostic>> {
        let mut config = Config::load(root).map_err(|d| vec![d])?;
        if let Some(url) = &options.base_url {
            config.set_base_url(url).map_err(|d| vec![d])?;
        }
        let today = options.today.unwrap_or_else(|| config.today());
        let templates =
            Templates::load(root, &config, today.year(), options.serve).map_err(|d| vec![d])?;
        let (sources, warnings) = content::discover(root).map_err(|d| vec![d])?;
        let parsed: Vec<Result<Document>> = sources
            .par_iter()
            .map(|s| read_document(root, s, &config))
            .collect();

        let mut errors = Vec::new();
        let mut articles = Vec::new();
        let mut pages = Vec::new();
        let mut skipped = (0, 0);
        for doc in parsed {
            match doc {
                Err(e) => errors.push(e),
                Ok(doc) if doc.front.draft && !options.drafts => skipped.0 += 1,
                Ok(doc) if doc.kind == Kind::Article && doc.date() > today && !options.future => {
                    skipped.1 += 1
                }
                Ok(doc) if doc.kind == Kind::Article => articles.push(doc),
                Ok(doc) => pages.push(doc),
            }
        }
        articles.sort_by(article_order);

        let assets = match list_assets(root) {
            Ok(assets) => assets,
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
        let site = Site {
            root: root.to_path_buf(),
            config,
            templates,
            options,
            today,
            articles,
            pages,
            assets,
            warnings: Vec::new(),
            skipped,
        };
        errors.extend(site.check_outputs());
        errors.extend(site.check_ctas());
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        Ok(Site {
            warnings: sorted(warnings),
            ..site
        })
    }

    /// Renders every output file into `sink`. Stops after the stage in which errors were
    /// found, reporting all of them.
    pub fn render(&self, sink: &dyn Sink) -> std::result::Result<Stats, Vec<Diagnostic>> {
        let results: Vec<Result<(Entry, Option<String>)>> = self
            .articles
            .par_iter()
            .enumerate()
            .map(|(i, doc)| {
                let body = self.body(doc)?;
                sink.document(doc, &body);
                let entry = self.entry(doc, &body);
                let html = self.article_page(i, doc, &entry, &body)?;
                sink.write_page(
                    &format!("{}index.html", doc.path()),
                    html.into_bytes(),
                    &body,
                )?;
                Ok((entry, (i < FEED_LENGTH).then_some(body.html)))
            })
            .collect();
        let mut errors = Vec::new();
        let mut entries = Vec::with_capacity(results.len());
        let mut feed_bodies = Vec::new();
        for result in results {
            match result {
                Ok((entry, body)) => {
                    if let Some(body) = body {
                        feed_bodies.push(body);
                    }
                    entries.push(entry);
                }
                Err(e) => errors.push(e),
            }
        }
        errors.extend(
            self.pages
                .par_iter()
                .filter_map(|doc| self.page(doc, sink).err())
                .collect::<Vec<_>>(),
        );
        if !errors.is_empty() {
            return Err(sorted(errors));
        }

        let lists = self.list_plan(&entries);
        let list_errors: Vec<Diagnostic> = lists
            .par_iter()
            .filter_map(|page| {
                self.render_list(page, &entries)
                    .and_then(|html| sink.write(&page.file(), html.into_bytes()))
                    .err()
            })
            .collect();
        if !list_errors.is_empty() {
            return Err(sorted(list_errors));
        }

        let mut singles = vec![
            (
                "404.html".to_string(),
                self.templates
                    .render("404.html", &self.templates.context("404.html"), None)
                    .map_err(|e| vec![e])?,
            ),
            ("feed.xml".to_string(), self.feed(&entries, &feed_bodies)),
            ("sitemap.xml".to_string(), self.sitemap(&entries)),
            ("robots.txt".to_string(), feeds::robots(&self.config)),
        ];
        let mut redirects = 0;
        for doc in self.articles.iter().chain(&self.pages) {
            let target = self.config.permalink(&doc.path());
            for alias in &doc.front.aliases {
                singles.push((alias_file(alias), feeds::redirect(&self.config, &target)));
                redirects += 1;
            }
        }
        let mut errors: Vec<Diagnostic> = singles
            .into_iter()
            .filter_map(|(path, text)| sink.write(&path, text.into_bytes()).err())
            .collect();
        errors.extend(
            self.assets
                .par_iter()
                .filter_map(|(path, source)| sink.copy(path, source).err())
                .collect::<Vec<_>>(),
        );
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        let pages = self.articles.len() + self.pages.len() + lists.len() + 1 + redirects;
        Ok(Stats {
            pages,
            articles: self.articles.len(),
            files: pages + 3 + self.assets.len(),
        })
    }

    /// Renders one document's Markdown, with its shortcodes and CTAs.
    pub fn body(&self, doc: &Document) -> Result<Body> {
        let shortcode =
            |code: &crate::shortcode::Shortcode| self.templates.shortcode(code, &self.config);
        let cx = markdown::Context {
            base_path: &self.config.base_path,
            first_line: doc.body_line,
            shortcode: &shortcode,
        };
        let r = markdown::render(doc.body(), &cx).map_err(|d| d.or_in_file(&doc.file))?;
        Ok(Body {
            html: r.html,
            headings: r.headings,
            word_count: r.word_count,
            first_paragraph: r.first_paragraph,
            links: r.links,
            footnote_ids: r.footnote_ids,
            ctas: r.ctas,
            opaque: r.opaque,
        })
    }

    /// The list entry of an article.
    pub fn entry(&self, doc: &Document, body: &Body) -> Entry {
        let f = &doc.front;
        let date = doc.date();
        let as_at = f.current_as_at.unwrap_or(date);
        let age_days = (self.today - as_at).num_days();
        let last_modified = [Some(date), Some(as_at), f.updated]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(date);
        let path = doc.path();
        Entry {
            title: f.title.clone(),
            slug: doc.slug.clone(),
            author: f
                .author
                .clone()
                .unwrap_or_else(|| self.config.author.clone()),
            url: self.config.url(&path),
            permalink: self.config.permalink(&path),
            date,
            current_as_at: as_at,
            updated: f.updated,
            date_display: self.config.display_date(date),
            current_as_at_display: self.config.display_date(as_at),
            updated_display: f.updated.map(|d| self.config.display_date(d)),
            last_modified,
            stamp: self.stamp(as_at),
            stale: age_days > self.config.dates.review_after_days,
            age_days,
            summary: f
                .summary
                .clone()
                .unwrap_or_else(|| body.first_paragraph.clone()),
            tags: f.tags.iter().map(|t| self.tag_ref(t)).collect(),
            word_count: body.word_count,
            reading_time: body.word_count.div_ceil(READING_SPEED).max(1),
            draft: f.draft,
            scheduled: date > self.today,
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

    fn tag_ref(&self, name: &str) -> TagRef {
        let slug = slug::slugify(name);
        TagRef {
            url: self.config.url(&format!("tags/{slug}/")),
            name: name.to_string(),
            slug,
        }
    }

    /// The call-to-action that ends a document, if any.
    pub fn closing_cta(&self, doc: &Document) -> Option<&(CtaView, String)> {
        match &doc.front.cta {
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
    pub fn article_page(
        &self,
        i: usize,
        doc: &Document,
        entry: &Entry,
        body: &Body,
    ) -> Result<String> {
        let neighbour = |j: Option<usize>| {
            j.and_then(|j| self.articles.get(j)).map(|d| Neighbour {
                title: &d.front.title,
                url: self.config.url(&d.path()),
            })
        };
        let cta = self.closing_cta(doc);
        let view = ArticleView {
            entry,
            content: &body.html,
            toc: toc(&body.headings),
            cta: cta.map(|(view, _)| view),
            cta_html: cta.map_or("", |(_, html)| html.as_str()),
            previous: neighbour(Some(i + 1)),
            next: neighbour(i.checked_sub(1)),
            json_ld: self.json_ld(entry),
        };
        let mut cx = self.templates.context(&doc.path());
        cx.insert("article", &view);
        self.templates.render("article.html", &cx, Some(&doc.file))
    }

    fn page(&self, doc: &Document, sink: &dyn Sink) -> Result<()> {
        let html = self.page_html(doc)?;
        sink.write(&format!("{}index.html", doc.path()), html.into_bytes())
    }

    /// Renders a page (a document directly in content/).
    pub fn page_html(&self, doc: &Document) -> Result<String> {
        let body = self.body(doc)?;
        let cta = self.closing_cta(doc);
        let path = doc.path();
        let view = PageView {
            title: &doc.front.title,
            slug: &doc.slug,
            url: self.config.url(&path),
            permalink: self.config.permalink(&path),
            summary: doc
                .front
                .summary
                .as_deref()
                .unwrap_or(&body.first_paragraph),
            content: &body.html,
            toc: toc(&body.headings),
            word_count: body.word_count,
            reading_time: body.word_count.div_ceil(READING_SPEED).max(1),
            cta: cta.map(|(view, _)| view),
            cta_html: cta.map_or("", |(_, html)| html.as_str()),
            draft: doc.front.draft,
        };
        let mut cx = self.templates.context(&path);
        cx.insert("page", &view);
        self.templates.render("page.html", &cx, Some(&doc.file))
    }

    fn json_ld(&self, e: &Entry) -> String {
        let modified = e
            .updated
            .map_or(e.current_as_at, |u| u.max(e.current_as_at));
        let value = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": e.title,
            "description": e.summary,
            "datePublished": e.date.to_string(),
            "dateModified": modified.to_string(),
            // The practice itself is an organisation; anyone else who writes is a person.
            "author": {"@type": if e.author == self.config.title { "Organization" } else { "Person" }, "name": e.author},
            "publisher": {"@type": "Organization", "name": self.config.title, "url": self.config.base_url},
            "mainEntityOfPage": e.permalink,
            "keywords": e.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        });
        script_safe_json(&value)
    }

    /// Tags in name order, with the indexes (into `entries`) of their articles.
    fn tags<'e>(&self, entries: &'e [Entry]) -> BTreeMap<&'e str, (&'e str, Vec<usize>)> {
        let mut tags: BTreeMap<&str, (&str, Vec<usize>)> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            for tag in &entry.tags {
                let slot = tags
                    .entry(tag.slug.as_str())
                    .or_insert((tag.name.as_str(), Vec::new()));
                if slot.1.last() != Some(&i) {
                    slot.1.push(i);
                }
            }
        }
        tags
    }

    /// Every list page, planned but not rendered: the paginated index, the tag index and
    /// each tag's pages. Cheap, so that serve can compare plans to find the pages to redo.
    pub fn list_plan(&self, entries: &[Entry]) -> Vec<ListPage> {
        let mut plan = Vec::new();
        let all: Vec<usize> = (0..entries.len()).collect();
        self.paginate(&mut plan, "", "index.html", &all, None);
        let tags = self.tags(entries);
        let views: Vec<(String, String, usize)> = tags
            .iter()
            .map(|(slug, (name, items))| (name.to_string(), slug.to_string(), items.len()))
            .collect();
        plan.push(ListPage {
            base: "tags/".into(),
            template: "tags.html",
            items: Vec::new(),
            number: (1, 1),
            tags: views.clone(),
        });
        for view in views {
            let items = &tags[view.1.as_str()].1;
            let base = format!("tags/{}/", view.1);
            self.paginate(&mut plan, &base, "tag.html", items, Some(view));
        }
        plan
    }

    fn paginate(
        &self,
        plan: &mut Vec<ListPage>,
        base: &str,
        template: &'static str,
        items: &[usize],
        tag: Option<(String, String, usize)>,
    ) {
        let per_page = self.config.paginate;
        let total = items.len().div_ceil(per_page).max(1);
        for n in 1..=total {
            plan.push(ListPage {
                base: base.to_string(),
                template,
                items: items
                    .iter()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .copied()
                    .collect(),
                number: (n, total),
                tags: tag.iter().cloned().collect(),
            });
        }
    }

    /// Renders one planned list page.
    pub fn render_list(&self, page: &ListPage, entries: &[Entry]) -> Result<String> {
        let page_path = |n: usize| {
            if n == 1 {
                page.base.clone()
            } else {
                format!("{}page/{n}/", page.base)
            }
        };
        let path = page_path(page.number.0);
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
        let mut cx = self.templates.context(&path);
        if page.template == "tags.html" {
            cx.insert("tags", &views);
        } else {
            let chunk: Vec<&Entry> = page.items.iter().map(|&i| &entries[i]).collect();
            let (n, total) = page.number;
            cx.insert("articles", &chunk);
            cx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    previous_url: (n > 1).then(|| self.config.url(&page_path(n - 1))),
                    next_url: (n < total).then(|| self.config.url(&page_path(n + 1))),
                },
            );
            if let Some(tag) = views.first() {
                cx.insert("tag", tag);
            }
        }
        self.templates.render(page.template, &cx, None)
    }

    /// The Atom feed of the first `bodies.len()` entries (at most [`FEED_LENGTH`]).
    pub fn feed(&self, entries: &[Entry], bodies: &[String]) -> String {
        let feed: Vec<FeedEntry> = entries
            .iter()
            .zip(bodies)
            .map(|(e, body)| FeedEntry {
                title: &e.title,
                permalink: &e.permalink,
                published: e.date,
                updated: e.last_modified,
                author: &e.author,
                summary: &e.summary,
                tags: e.tags.iter().map(|t| t.name.as_str()).collect(),
                content: body,
            })
            .collect();
        feeds::atom(&self.config, &feed, self.today)
    }

    pub fn sitemap(&self, entries: &[Entry]) -> String {
        let newest = entries.iter().map(|e| e.last_modified).max();
        let mut urls = vec![(self.config.base_url.clone(), newest)];
        urls.extend(
            entries
                .iter()
                .map(|e| (e.permalink.clone(), Some(e.last_modified))),
        );
        urls.extend(
            self.pages
                .iter()
                .map(|p| (self.config.permalink(&p.path()), None)),
        );
        urls.push((self.config.permalink("tags/"), newest));
        for (slug, (_, items)) in self.tags(entries) {
            let lastmod = items.iter().map(|&i| entries[i].last_modified).max();
            urls.push((self.config.permalink(&format!("tags/{slug}/")), lastmod));
        }
        feeds::sitemap(&urls)
    }

    /// Two documents, or a document and an alias, that would write the same file, or files
    /// whose names differ only by case or Unicode normalisation (one file on case-insensitive
    /// file systems and hosts).
    fn check_outputs<'a>(&'a self) -> Vec<Diagnostic> {
        use FoldedBy::{Case, Normalisation};
        let mut errors = Vec::new();
        let mut taken: HashMap<String, &'a Path> = HashMap::new();
        let mut folded = FoldedNames::default();
        // Top-level names brief writes itself; a page may not take any, an alias may not
        // take those that are not list sections (aliases of list pages are checked exactly).
        let own = [
            "assets",
            "404.html",
            "feed.xml",
            "sitemap.xml",
            "robots.txt",
            "index.html",
        ];
        let reserved: Vec<&str> = ["articles", "tags", "page"]
            .into_iter()
            .chain(own)
            .collect();
        for doc in self.articles.iter().chain(&self.pages) {
            let file = format!("{}index.html", doc.path());
            if doc.kind == Kind::Page && reserved.contains(&doc.slug.as_str()) {
                errors.push(
                    Diagnostic::error(format!(
                        "the page's address /{}/ is one brief uses itself",
                        doc.slug
                    ))
                    .in_file(&doc.file)
                    .with_hint("rename the file or set another `slug:`"),
                );
            }
            let slug_line = |d: &Document| frontmatter::key_line_in_file(&d.text, "slug");
            // Blame the file whose `slug:` made a clash when only one of the two sets it.
            let blame = |other: &'a Path| -> (&'a Document, &'a Path) {
                let other_doc = self
                    .articles
                    .iter()
                    .chain(&self.pages)
                    .find(|d| d.file == other);
                match other_doc {
                    Some(o) if slug_line(doc).is_none() && slug_line(o).is_some() => {
                        (o, doc.file.as_path())
                    }
                    _ => (doc, other),
                }
            };
            if let Some(clash) = folded.clash(&file, &doc.file) {
                let (blamed, named) = blame(clash.source);
                let (why, hint) = match clash.by {
                    Case => ("case", "give one of them a different `slug:` (lower-case slugs never clash this way)"),
                    Normalisation => ("how their accents are encoded (Unicode NFC and NFD)", "retype the `slug:` so that both use the same letters, or give one a different slug"),
                };
                let mut addresses = [doc.path(), clash.address];
                if !std::ptr::eq(blamed, doc) {
                    addresses.swap(0, 1);
                }
                errors.push(
                    Diagnostic::error(format!(
                        "the addresses /{} and /{} differ only by {why}: case-insensitive and normalising file systems and hosts store them as one file; the other is {}",
                        addresses[0],
                        addresses[1],
                        named.display()
                    ))
                    .in_file(&blamed.file)
                    .on_line_opt(slug_line(blamed))
                    .with_hint(hint),
                );
            }
            if let Some(other) = taken.insert(file, &doc.file) {
                let (blamed, named) = blame(other);
                errors.push(
                    Diagnostic::error(format!(
                        "two files publish to /{}: this one and {}",
                        doc.path(),
                        named.display()
                    ))
                    .in_file(&blamed.file)
                    .on_line_opt(slug_line(blamed))
                    .with_hint("give one of them a different `slug:`"),
                );
            }
        }
        let generated = self.list_files();
        for doc in self.articles.iter().chain(&self.pages) {
            for alias in &doc.front.aliases {
                let file = alias_file(alias);
                let first = file.split('/').next().unwrap_or("");
                let clash = taken
                    .get(&file)
                    .map(|p| p.display().to_string())
                    .or_else(|| generated.get(&file).cloned())
                    .or_else(|| {
                        own.contains(&first)
                            .then(|| "brief's own output".to_string())
                    });
                let line = frontmatter::key_line_in_file(&doc.text, "aliases");
                match clash {
                    Some(other) => errors.push(
                        Diagnostic::error(format!(
                            "alias `{alias}` is already the address of {other}"
                        ))
                        .in_file(&doc.file)
                        .on_line_opt(line)
                        .with_hint("remove the alias or change it to an address no page uses"),
                    ),
                    None => {
                        if let Some(clash) = folded.clash(&file, &doc.file) {
                            errors.push(
                                Diagnostic::error(format!(
                                    "alias `{alias}` differs from the address /{} of {} only by {}: case-insensitive and normalising file systems and hosts store them as one file",
                                    clash.address,
                                    clash.source.display(),
                                    match clash.by {
                                        Case => "case",
                                        Normalisation => "how its accents are encoded",
                                    }
                                ))
                                .in_file(&doc.file)
                                .on_line_opt(line)
                                .with_hint("write the alias in the same case and form as the address, or remove it"),
                            );
                        }
                        taken.insert(file, &doc.file);
                    }
                }
            }
        }
        errors
    }

    /// The list pages brief generates (the index's pages, the tag index, each tag's pages),
    /// each with what it is, known before anything renders.
    fn list_files(&self) -> HashMap<String, String> {
        let per_page = self.config.paginate.max(1);
        let mut files = HashMap::new();
        let mut paginated = |base: &str, count: usize, what: &str| {
            for n in 2..=count.div_ceil(per_page).max(1) {
                files.insert(
                    format!("{base}page/{n}/index.html"),
                    format!("page {n} of {what}"),
                );
            }
        };
        paginated("", self.articles.len(), "the article list");
        let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for doc in &self.articles {
            let mut slugs: Vec<(String, &String)> = doc
                .front
                .tags
                .iter()
                .map(|t| (slug::slugify(t), t))
                .collect();
            slugs.sort();
            slugs.dedup_by(|a, b| a.0 == b.0);
            for (slug, name) in slugs {
                tags.entry(slug).or_insert((name.clone(), 0)).1 += 1;
            }
        }
        for (slug, (name, count)) in &tags {
            paginated(&format!("tags/{slug}/"), *count, &format!("tag `{name}`"));
        }
        for (slug, (name, _)) in tags {
            files.insert(
                format!("tags/{slug}/index.html"),
                format!("the page of tag `{name}`"),
            );
        }
        files.insert("tags/index.html".into(), "the tag index".into());
        files
    }

    /// Articles that end with no call-to-action when the site requires one.
    fn check_ctas(&self) -> Vec<Diagnostic> {
        if !self.config.require_cta {
            return Vec::new();
        }
        self.articles
            .iter()
            .filter(|doc| self.closing_cta(doc).is_none())
            .map(|doc| {
                Diagnostic::error(
                    "this article has no call-to-action, and site.toml sets require_cta = true",
                )
                .in_file(&doc.file)
                .on_line_opt(frontmatter::key_line_in_file(&doc.text, "cta"))
                .with_hint(format!(
                    "set `cta:` to one of the ids in site.toml ({})",
                    self.config
                        .ctas
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
            .collect()
    }
}

/// Pieces for rebuilding part of a site: `brief serve` re-reads one file and re-renders
/// what depends on it instead of loading the whole site again.
impl Site {
    /// Reads and checks one Markdown file, as [`Site::load`] does.
    pub fn read(&self, source: &Source) -> Result<Document> {
        read_document(&self.root, source, &self.config)
    }

    /// Whether `doc` is published under this site's options (drafts and future dates).
    pub fn publishes(&self, doc: &Document) -> bool {
        (!doc.front.draft || self.options.drafts)
            && (doc.kind == Kind::Page || doc.date() <= self.today || self.options.future)
    }

    /// The checks across documents that [`Site::load`] makes: clashing addresses and
    /// missing calls-to-action.
    pub fn check_documents(&self) -> Vec<Diagnostic> {
        let mut errors = self.check_outputs();
        errors.extend(self.check_ctas());
        sorted(errors)
    }

    /// Lists the asset files again.
    pub fn reload_assets(&mut self) -> Result<()> {
        self.assets = list_assets(&self.root)?;
        Ok(())
    }
}

/// The order of articles everywhere: newest first, then by slug.
pub fn article_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    b.date().cmp(&a.date()).then_with(|| a.slug.cmp(&b.slug))
}

/// A list page waiting to be rendered (see [`Site::list_plan`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// The list's first page, after `base_path`: `""`, `tags/`, `tags/x/`.
    pub base: String,
    pub template: &'static str,
    /// What it shows: indexes into the entries, in order.
    pub items: Vec<usize>,
    /// (this page, number of pages), counting from 1.
    pub number: (usize, usize),
    /// (name, slug, count): the tag of a tag page, or every tag for the tag index.
    pub tags: Vec<(String, String, usize)>,
}

impl ListPage {
    /// The output file: `index.html`, `page/2/index.html`, `tags/x/index.html`.
    pub fn file(&self) -> String {
        match self.number.0 {
            1 => format!("{}index.html", self.base),
            n => format!("{}page/{n}/index.html", self.base),
        }
    }
}

/// Output file names folded as case-insensitive file systems fold them (lower case, NFC),
/// each with the first file name that claimed it and its source.
#[derive(Default)]
struct FoldedNames<'a> {
    names: HashMap<String, (String, &'a Path)>,
}

/// An earlier output file whose name folds to the same as a later one.
struct Clash<'a> {
    address: String,
    source: &'a Path,
    by: FoldedBy,
}

#[derive(Clone, Copy)]
enum FoldedBy {
    Case,
    Normalisation,
}

impl<'a> FoldedNames<'a> {
    /// Notes `file` (claimed by `source`) and returns the earlier file that folds to the
    /// same name but is not the same name, if there is one.
    fn clash(&mut self, file: &str, source: &'a Path) -> Option<Clash<'a>> {
        use unicode_normalization::UnicodeNormalization;
        let key: String = file.to_lowercase().nfc().collect();
        match self.names.get(&key) {
            Some((earlier, owner)) if earlier != file => Some(Clash {
                address: earlier
                    .strip_suffix("index.html")
                    .unwrap_or(earlier)
                    .to_string(),
                source: owner,
                by: match earlier.nfc().eq(file.nfc()) {
                    true => FoldedBy::Normalisation,
                    false => FoldedBy::Case,
                },
            }),
            Some(_) => None,
            None => {
                self.names.insert(key, (file.to_string(), source));
                None
            }
        }
    }
}

/// The output file of an alias.
pub fn alias_file(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    if path.ends_with('/') {
        format!("{path}index.html")
    } else if path.ends_with(".html") || path.ends_with(".htm") {
        path.to_string()
    } else {
        format!("{path}/index.html")
    }
}

fn read_document(root: &Path, source: &Source, config: &Config) -> Result<Document> {
    let text = content::read_text(root, &root.join(&source.file))?;
    let split = frontmatter::split(&text).map_err(|d| d.in_file(&source.file))?;
    let front =
        frontmatter::parse(&split, source.kind, config).map_err(|d| d.in_file(&source.file))?;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    let slug = match &front.slug {
        Some(slug) => slug.clone(),
        None => {
            let stem = source
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = slug::slugify(&stem);
            if slug.is_empty() {
                return Err(Diagnostic::error("cannot make an address from this file's name")
                    .in_file(&source.file)
                    .with_hint("rename the file with letters or digits, or set `slug:` in its front matter"));
            }
            slug
        }
    };
    Ok(Document {
        file: source.file.clone(),
        kind: source.kind,
        front,
        slug,
        text,
        body_start,
        body_line,
    })
}

fn list_assets(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let dir = root.join(ASSETS);
    let mut assets = Vec::new();
    if !dir.is_dir() {
        return Ok(assets);
    }
    let walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !content::is_hidden(e.path(), &dir));
    for entry in walk {
        let entry = entry.map_err(|e| content::walk_error(root, e))?;
        content::refuse_outside_link(root, &entry)?;
        if let Some(kind) =
            content::special_kind(entry.file_type()).filter(|_| !entry.file_type().is_dir())
        {
            return Err(content::not_regular(
                &content::relative(root, entry.path()),
                kind,
            ));
        }
        if entry.file_type().is_file() {
            let rel = content::relative(root, entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            assets.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(assets)
}
