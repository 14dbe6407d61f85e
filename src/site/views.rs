//! What pages are given, shared by every view: a document's body rendered from its
//! Markdown, an article's entry (its page, lists and the feed read it), the dates of what is
//! stamped; and [`Site::render_job`], which sends each job of the plan to its view
//! (`pages` for articles and pages, `listing` for list pages, `feed` for the feed and the
//! sitemap). Each is a pure function of the [`Site`] and the job; the text of a document
//! comes from [`Site::source`].

use super::plan::Job;
use super::{Document, Site};
use crate::diagnostic::Result;
use crate::feeds;
use crate::frontmatter::FrontMatter;
use crate::html::escape;
use crate::markdown::{self, Heading};
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// Words a minute for reading time.
const READING_SPEED: usize = 220;

/// A rendered document body with what its page and the lists need.
#[derive(Debug, Clone)]
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
    pub word_count: usize,
    pub first_paragraph: String,
    /// The words as plain text, for the search index.
    pub text: String,
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
    /// The disclaimer it shows ([`super::rules::disclaimer`]), its text as HTML: for its
    /// page, the feed's content and print alike.
    pub disclaimer: Option<crate::render::DisclaimerView>,
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
    /// The rendered body of article `i` (`i` < [`FEED_LENGTH`](super::plan::FEED_LENGTH)).
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
    /// The bodies of the first [`FEED_LENGTH`](super::plan::FEED_LENGTH) articles.
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

/// The dates of what is stamped (an article, a page with `current_as_at`), named alike on
/// both.
#[derive(Serialize)]
pub(super) struct Stamped {
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

/// When an article was last updated: `updated:` or its newest change note, whichever is
/// later.
fn updated(front: &FrontMatter) -> Option<NaiveDate> {
    front.updated.max(front.changes.last().map(|c| c.date))
}

/// The newest of an article's dates: what feeds and the sitemap call its last change.
pub(super) fn last_modified(doc: &Document) -> NaiveDate {
    let date = doc.date();
    [Some(date), doc.front.current_as_at, updated(&doc.front)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(date)
}

pub(super) fn reading_time(words: usize) -> usize {
    words.div_ceil(READING_SPEED).max(1)
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
            Job::NotFound => self.templates.render(
                "404.html",
                &self.templates.context("404.html", &self.config.lang),
                None,
            ),
            Job::Feed(lang) => self.feed(entries, lang),
            Job::Changes(lang) => Ok(self.changes_feed(lang)),
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
        let r = self.markdown(
            doc.body(text),
            doc.path(),
            &doc.file,
            doc.body_line,
            &doc.lang,
        )?;
        Ok(Body {
            html: r.html,
            headings: r.headings,
            word_count: r.word_count,
            first_paragraph: r.first_paragraph,
            text: r.text,
            links: r.links,
            footnote_ids: r.footnote_ids,
            ctas: r
                .ctas
                .iter()
                .map(|id| crate::render::cta_key(&doc.lang, id))
                .collect(),
            opaque: r.opaque,
            unknown_languages: r.unknown_languages,
        })
    }

    /// Renders Markdown `text` of the page at site path `path`, read from `file` (whose
    /// line `first_line` it starts on): a document's body or a section's introduction.
    pub(super) fn markdown(
        &self,
        text: &str,
        path: &str,
        file: &Path,
        first_line: usize,
        lang: &str,
    ) -> Result<markdown::Rendered> {
        let shortcode = |code: &markdown::shortcode::Shortcode| {
            self.templates.shortcode(code, &self.config, lang)
        };
        let source_dir = file.parent().map(super::slashed).unwrap_or_default();
        let source_page = |file: &str| self.source_page(file);
        let page = markdown::Page {
            path,
            source_dir: &source_dir,
            source_page: &source_page,
        };
        let cx = markdown::Context {
            base_path: &self.config.base_path,
            first_line,
            shortcode: &shortcode,
            page: Some(&page),
            highlight: self.config.markdown.highlight,
            images: Some(&self.images),
            variants: !self.options.serve,
        };
        markdown::render(text, &cx).map_err(|d| d.or_in_file(file))
    }

    /// The list entry of an article.
    pub fn entry(&self, doc: &Document, body: &Body) -> Entry {
        let f = &doc.front;
        let date = doc.date();
        let Stamped {
            current_as_at,
            current_as_at_display,
            stamp,
            stale,
            age_days,
            next_review,
            next_review_display,
            review_due_in_days,
            updated,
            updated_display,
            reviewer: _,
        } = self.stamped(doc);
        let path = doc.path();
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
            current_as_at,
            updated,
            date_display: self.config.display_date(&doc.lang, date),
            current_as_at_display,
            updated_display,
            last_modified: last_modified(doc),
            stamp,
            stale,
            age_days,
            next_review,
            next_review_display,
            review_due_in_days,
            summary: f
                .summary
                .clone()
                .unwrap_or_else(|| body.first_paragraph.clone()),
            tags: self.tag_refs(doc),
            word_count: body.word_count,
            reading_time: reading_time(body.word_count),
            draft: f.draft,
            scheduled: date > self.today,
            extra: f.extra.clone(),
            disclaimer: self.disclaimer(doc).cloned(),
        }
    }

    /// The dates of `doc` as its stamp shows them, as of the site's today
    /// ([`super::review::of`]).
    pub(super) fn stamped(&self, doc: &Document) -> Stamped {
        let as_at = doc.as_at();
        let review = super::review::of(doc, &self.config, self.today);
        let updated = updated(&doc.front);
        Stamped {
            current_as_at: as_at,
            current_as_at_display: self.config.display_date(&doc.lang, as_at),
            stamp: self.stamp(&doc.lang, as_at),
            stale: review.overdue(),
            age_days: (self.today - as_at).num_days(),
            next_review: review.due,
            next_review_display: self.config.display_date(&doc.lang, review.due),
            review_due_in_days: review.due_in_days,
            updated,
            updated_display: updated.map(|d| self.config.display_date(&doc.lang, d)),
            reviewer: None,
        }
    }

    /// `Information current as at <time …>5 July 2026</time>`.
    pub fn stamp(&self, lang: &str, date: NaiveDate) -> String {
        let language = self.config.language(lang);
        format!(
            "{}<time datetime=\"{date}\">{}</time>{}",
            escape(&language.stamp_before),
            escape(&language.display_date(date)),
            escape(&language.stamp_after)
        )
    }

    /// The tags `doc` carries, each with its page's address.
    pub(super) fn tag_refs(&self, doc: &Document) -> Vec<TagRef> {
        let f = &doc.front;
        f.tags
            .iter()
            .zip(&f.tag_slugs)
            .map(|(name, slug)| TagRef {
                url: self.tag_url(&doc.lang, slug),
                name: name.to_string(),
                slug: slug.to_string(),
            })
            .collect()
    }

    /// The address of the page of the tag `slug`.
    pub(super) fn tag_url(&self, lang: &str, slug: &str) -> String {
        let prefix = super::rules::language_prefix(&self.config, lang);
        self.config.url(&format!("{prefix}tags/{slug}/"))
    }
}
