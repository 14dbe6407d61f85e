//! What the feeds and the sitemap list: the newest articles with their bodies; the newest
//! change notes of what readers see; and every address with its last change.

use super::plan::{CHANGES_FILE, CHANGES_LENGTH, FEED_FILE, FEED_LENGTH};
use super::views::{last_modified, Entries};
use super::{rules, Site};
use crate::diagnostic::Result;
use crate::feeds::{self, FeedEntry, FeedHead};
use crate::frontmatter::Kind;
use crate::html::escape;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::sync::Arc;

/// One change note as the change feed shows it: all it is made from, so that its hash is
/// the feed's key in the plan.
#[derive(Hash)]
pub(super) struct ChangeNote<'a> {
    /// The title of the article (or stamped page) it changed.
    title: &'a str,
    /// That document's site path.
    path: &'a str,
    author: &'a str,
    date: NaiveDate,
    /// Its place among the document's notes of that day, from 1.
    nth: usize,
    note: &'a str,
    /// The document's disclaimer, as HTML.
    disclaimer: Option<&'a str>,
}

impl ChangeNote<'_> {
    /// The entry's id: the document's address and `#change-` with the note's date, and
    /// `-2`, `-3`… for a second and third note of one day. Notes are kept oldest first, so a
    /// new one never renumbers an earlier one, and nothing of another document is in it.
    fn id(&self, permalink: &str) -> String {
        match self.nth {
            1 => format!("{permalink}#change-{}", self.date),
            n => format!("{permalink}#change-{}-{n}", self.date),
        }
    }

    /// The entry's content, as HTML: the note, then the document's disclaimer.
    fn content(&self) -> String {
        with_disclaimer(&format!("<p>{}</p>", escape(self.note)), self.disclaimer)
    }
}

/// A feed entry's content: `html`, then the disclaimer its page shows, so that advice read in
/// a feed reader carries the same caveat as on the site.
fn with_disclaimer(html: &str, disclaimer: Option<&str>) -> String {
    match disclaimer {
        Some(d) => format!("{html}\n<aside class=\"disclaimer\">{d}</aside>"),
        None => html.to_string(),
    }
}

impl Site {
    /// The Atom feed of the newest [`FEED_LENGTH`] articles in the language `lang`.
    pub fn feed(&self, entries: &dyn Entries, lang: &str) -> Result<String> {
        let items = self.feed_items(lang);
        let shown = items
            .iter()
            .map(|&i| Ok((entries.entry(i)?, entries.feed_body(i)?)))
            .collect::<Result<Vec<_>>>()?;
        let feed: Vec<FeedEntry> = shown
            .iter()
            .zip(items.iter().map(|&i| &self.articles[i]))
            .map(|((e, body), doc)| FeedEntry {
                id: Cow::Borrowed(&e.permalink),
                title: Cow::Borrowed(&e.title),
                permalink: &e.permalink,
                published: Some(e.date),
                updated: e.last_modified,
                author: &e.author,
                summary: &e.summary,
                tags: e.tags.iter().map(|t| t.name.as_str()).collect(),
                change: doc
                    .front
                    .changes
                    .last()
                    .map(|c| (self.config.display_date(&doc.lang, c.date), c.note.as_str())),
                content: match &e.disclaimer {
                    Some(d) => Cow::Owned(with_disclaimer(body, Some(&d.html))),
                    None => Cow::Borrowed(body),
                },
            })
            .collect();
        let language = self.config.language(lang);
        let prefix = rules::language_prefix(&self.config, lang);
        let head = FeedHead {
            file: &format!("{prefix}{FEED_FILE}"),
            title: Cow::Borrowed(&language.title),
            subtitle: &language.description,
            // The default language's feed keeps the id it had before there were others.
            id: self.config.permalink(&prefix),
            lang,
            home: self.config.permalink(&prefix),
        };
        Ok(feeds::atom(&self.config, &head, &feed, self.today))
    }

    /// What the feed of `lang` shows: its newest [`FEED_LENGTH`] articles, as indexes into
    /// the articles.
    pub fn feed_items(&self, lang: &str) -> Vec<usize> {
        (0..self.articles.len())
            .filter(|&i| self.articles[i].lang == lang)
            .take(FEED_LENGTH)
            .collect()
    }

    /// The newest [`CHANGES_LENGTH`] change notes of the articles and stamped pages readers
    /// see (never a draft or a scheduled article, whatever the options), newest first; of
    /// one day, in the order of the articles, an article's later note first.
    pub(super) fn change_notes(&self, lang: &str) -> Vec<ChangeNote<'_>> {
        let mut notes: Vec<ChangeNote> = Vec::new();
        // Each language has its own: a note is written in its document's language.
        let ours = |d: &&Arc<super::Document>| d.lang == lang;
        for doc in self.reviewed_by_readers().filter(ours) {
            let author = doc.front.author.as_deref().unwrap_or("");
            // Notes are oldest first, so those of one day are together.
            let mut previous: Option<(NaiveDate, usize)> = None;
            let mut own: Vec<ChangeNote> = doc
                .front
                .changes
                .iter()
                .map(|c| {
                    let nth = match previous {
                        Some((day, n)) if day == c.date => n + 1,
                        _ => 1,
                    };
                    previous = Some((c.date, nth));
                    ChangeNote {
                        title: &doc.front.title,
                        path: doc.path(),
                        author,
                        date: c.date,
                        nth,
                        note: &c.note,
                        disclaimer: self.disclaimer(doc).map(|d| d.html.as_str()),
                    }
                })
                .collect();
            own.reverse();
            notes.extend(own);
        }
        // Stable: of one day, the order above stays.
        notes.sort_by_key(|n| std::cmp::Reverse(n.date));
        notes.truncate(CHANGES_LENGTH);
        notes
    }

    /// The Atom feed of what changed: an entry for each of `change_notes`, titled
    /// with the document's title and the note's date (the note itself is the content, never
    /// cut short: a shortened note can say something other than the advice does).
    pub fn changes_feed(&self, lang: &str) -> String {
        let language = self.config.language(lang);
        let notes = self.change_notes(lang);
        let links: Vec<String> = notes
            .iter()
            .map(|n| self.config.permalink(n.path))
            .collect();
        let entries: Vec<FeedEntry> = notes
            .iter()
            .zip(&links)
            .map(|(n, link)| FeedEntry {
                id: Cow::Owned(n.id(link)),
                title: Cow::Owned(
                    language
                        .word("changes_entry_title")
                        .replace("{date}", &language.display_date(n.date))
                        .replace("{title}", n.title),
                ),
                permalink: link,
                published: None,
                updated: n.date,
                author: n.author,
                summary: "",
                tags: Vec::new(),
                change: None,
                content: Cow::Owned(n.content()),
            })
            .collect();
        let prefix = rules::language_prefix(&self.config, lang);
        let file = format!("{prefix}{CHANGES_FILE}");
        let head = FeedHead {
            file: &file,
            title: Cow::Owned(
                language
                    .word("changes_feed_title")
                    .replace("{site}", &language.title),
            ),
            subtitle: language.word("changes_feed_subtitle"),
            id: self.config.permalink(&file),
            lang,
            home: self.config.permalink(&prefix),
        };
        feeds::atom(&self.config, &head, &entries, self.today)
    }

    /// The sitemap: every article (with its last change and its translations), page, and
    /// list, of each language.
    pub fn sitemap(&self) -> String {
        let mut urls: Vec<feeds::SitemapUrl> = Vec::new();
        let alternates = |doc: &super::Document| -> Vec<(String, String)> {
            let versions = self.versions(doc);
            match versions.len() {
                0 | 1 => Vec::new(),
                _ => versions
                    .iter()
                    .map(|v| (v.lang.clone(), self.config.permalink(v.path())))
                    .collect(),
            }
        };
        for language in self.languages_published() {
            let prefix = rules::language_prefix(&self.config, &language.code);
            let ours = |docs: &[Arc<super::Document>]| -> Vec<Arc<super::Document>> {
                docs.iter()
                    .filter(|d| d.lang == language.code)
                    .cloned()
                    .collect()
            };
            let (articles, pages) = (ours(&self.articles), ours(&self.pages));
            let modified: Vec<NaiveDate> = articles.iter().map(|d| last_modified(d)).collect();
            let newest = modified.iter().copied().max();
            urls.push((self.config.permalink(&prefix), newest, Vec::new()));
            urls.extend(
                articles
                    .iter()
                    .zip(&modified)
                    .map(|(d, m)| (self.config.permalink(d.path()), Some(*m), alternates(d))),
            );
            urls.extend(
                pages
                    .iter()
                    .map(|p| (self.config.permalink(p.path()), None, alternates(p))),
            );
            for section in self.sections.iter().skip(1) {
                let docs = match section.kind {
                    Kind::Article => &articles,
                    Kind::Page => &pages,
                };
                if !self.has_list(section, &language.code) {
                    continue;
                }
                let items = rules::section_items(docs, section);
                let lastmod = match section.kind {
                    Kind::Article => items.iter().map(|&i| modified[i]).max(),
                    Kind::Page => None,
                };
                let path = format!("{prefix}{}", section.path);
                urls.push((self.config.permalink(&path), lastmod, Vec::new()));
            }
            let tags = format!("{prefix}tags/");
            urls.push((self.config.permalink(&tags), newest, Vec::new()));
            for (slug, tag) in rules::tags(&articles, &pages) {
                let lastmod = tag.articles.iter().map(|&i| modified[i]).max();
                let path = format!("{prefix}tags/{slug}/");
                urls.push((self.config.permalink(&path), lastmod, Vec::new()));
            }
        }
        feeds::sitemap(&urls)
    }
}
