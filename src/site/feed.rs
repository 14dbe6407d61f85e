//! What the feed and the sitemap list: the newest articles with their bodies, and every
//! address with its last change.

use super::plan::FEED_LENGTH;
use super::views::{last_modified, Entries};
use super::{rules, Site};
use crate::diagnostic::Result;
use crate::feeds::{self, FeedEntry};
use crate::frontmatter::Kind;
use chrono::NaiveDate;

impl Site {
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
        let modified: Vec<NaiveDate> = self.articles.iter().map(|d| last_modified(d)).collect();
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
                Kind::Article => rules::section_items(&self.articles, section)
                    .iter()
                    .map(|&i| modified[i])
                    .max(),
                Kind::Page => None,
            };
            urls.push((self.config.permalink(&section.path), lastmod));
        }
        urls.push((self.config.permalink("tags/"), newest));
        for (slug, tag) in rules::tags(&self.articles, &self.pages) {
            let lastmod = tag.articles.iter().map(|&i| modified[i]).max();
            urls.push((self.config.permalink(&format!("tags/{slug}/")), lastmod));
        }
        feeds::sitemap(&urls)
    }
}
