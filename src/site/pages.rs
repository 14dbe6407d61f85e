//! What the page of an article and of a page are given: the document's entry and body, the
//! call-to-action that closes it, an article's neighbours, reviewer, change notes and
//! structured data, a stamped page's dates.

use super::views::{reading_time, Body, Entry, Stamped, TagRef};
use super::{rules, Document, Site};
use crate::diagnostic::Result;
use crate::frontmatter::Source;
use crate::html::script_safe_json;
use crate::markdown::Heading;
use crate::render::{toc, CtaView, DisclaimerView};
use chrono::NaiveDate;
use serde::Serialize;

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
    /// `sources:`, in the order written.
    sources: Vec<SourceView<'a>>,
}

/// A source as the page lists it.
#[derive(Serialize)]
struct SourceView<'a> {
    title: &'a str,
    url: &'a str,
    checked: NaiveDate,
    checked_display: String,
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
    sources: Vec<SourceView<'a>>,
    /// The disclaimer it shows, its text as HTML.
    disclaimer: Option<&'a DisclaimerView>,
    /// Set when its front matter has `current_as_at`: it is stamped as articles are.
    #[serde(flatten)]
    dates: Option<Stamped>,
}

/// One language's version of a page, for the language switcher and `hreflang` links.
#[derive(Serialize)]
pub struct TranslationView<'a> {
    pub lang: &'a str,
    /// The language's name in itself ("Français").
    pub name: &'a str,
    pub url: String,
    pub permalink: String,
    /// The page being rendered.
    pub current: bool,
}

impl Site {
    /// Every published version of `doc`, itself included: its original and the original's
    /// translations, in the order site.toml declares their languages (the default first).
    pub fn versions(&self, doc: &Document) -> Vec<&Document> {
        let original = doc.original.as_deref().unwrap_or(&doc.file);
        let mut all: Vec<&Document> = self
            .published()
            .filter(|d| d.original.as_deref().unwrap_or(&d.file) == original)
            .map(|d| &**d)
            .collect();
        let order = |d: &&Document| self.config.languages.iter().position(|l| l.code == d.lang);
        all.sort_by_key(order);
        all
    }

    /// The original `doc` translates, if it is a translation and the original is published.
    pub fn original_of(&self, doc: &Document) -> Option<&Document> {
        let original = doc.original.as_deref()?;
        self.published().find(|d| d.file == original).map(|d| &**d)
    }

    /// [`Site::versions`] as templates see them (`translations`): empty when there is only
    /// `doc`.
    pub fn translations(&self, doc: &Document) -> Vec<TranslationView<'_>> {
        let versions = self.versions(doc);
        if versions.len() < 2 {
            return Vec::new();
        }
        versions
            .into_iter()
            .map(|d| TranslationView {
                lang: &self.config.language(&d.lang).code,
                name: self.config.language(&d.lang).name(),
                url: self.config.url(d.path()),
                permalink: self.config.permalink(d.path()),
                current: d.file == doc.file,
            })
            .collect()
    }

    /// The call-to-action that ends a document ([`rules::closing_cta`]), as templates show it.
    pub fn closing_cta(&self, doc: &Document) -> Option<&(CtaView, String)> {
        rules::closing_cta(doc, &self.config).and_then(|id| self.templates.cta(&doc.lang, id))
    }

    /// The disclaimer `doc` shows ([`rules::disclaimer`]), rendered once per build: what its
    /// page and its entry ([`super::views::Entry::disclaimer`], which the feed reads) give.
    pub fn disclaimer(&self, doc: &Document) -> Option<&DisclaimerView> {
        rules::disclaimer(doc, &self.config).and_then(|id| self.templates.disclaimer(&doc.lang, id))
    }

    fn source_views<'d>(&self, doc: &'d Document) -> Vec<SourceView<'d>> {
        doc.front
            .sources
            .iter()
            .map(|s| SourceView {
                title: &s.title,
                url: &s.url,
                checked: s.checked,
                checked_display: self.config.display_date(&doc.lang, s.checked),
            })
            .collect()
    }

    /// Renders article `i` (its index in `self.articles`).
    pub fn article_page(&self, i: usize, entry: &Entry, body: &Body) -> Result<String> {
        let doc = &self.articles[i];
        let [previous, next] = rules::neighbours(&self.articles, i).map(|d| {
            d.map(|d| Neighbour {
                title: &d.front.title,
                url: self.config.url(d.path()),
            })
        });
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
            previous,
            next,
            json_ld: self.json_ld(entry, reviewer, &doc.front.sources),
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
                    date_display: self.config.display_date(&doc.lang, c.date),
                    note: &c.note,
                })
                .collect(),
            sources: self.source_views(doc),
        };
        let mut cx = self.templates.context(doc.path(), &doc.lang);
        cx.insert("article", &view);
        cx.insert("translations", &self.translations(doc));
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
            tags: self.tag_refs(doc),
            extra: &doc.front.extra,
            sources: self.source_views(doc),
            disclaimer: self.disclaimer(doc),
            dates: doc.front.current_as_at.map(|_| self.stamped(doc)),
        };
        let mut cx = self.templates.context(path, &doc.lang);
        cx.insert("page", &view);
        cx.insert("translations", &self.translations(doc));
        self.templates.render("page.html", &cx, Some(&doc.file))
    }

    /// The structured data of an article page: a `WebPage` (when it was last reviewed, and
    /// by whom) whose main entity is the `Article`, citing its sources. Its dates are those
    /// the page shows.
    fn json_ld(
        &self,
        e: &Entry,
        reviewer: Option<&crate::config::Reviewer>,
        sources: &[Source],
    ) -> String {
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
        let mut article = article;
        if !sources.is_empty() {
            // Each source is a web page (a CreativeWork), and `lastReviewed` is schema.org's
            // word for the day its content was last checked for accuracy.
            article["citation"] = sources
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "@type": "WebPage",
                        "name": s.title,
                        "url": s.url,
                        "lastReviewed": s.checked.to_string(),
                    })
                })
                .collect();
        }
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
}
