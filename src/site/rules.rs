//! The rules of publication, each written once for the plan, the views, the checks and
//! `brief review`: what is published (drafts, scheduled articles), the order of articles and
//! of a section's list, an article's neighbours, the tags, and which calls-to-action a
//! document shows. Pure functions of the loaded data: nothing here reads a file.

use super::{Document, Options};
use crate::config::Config;
use crate::frontmatter::{CtaChoice, DisclaimerChoice, Kind};
use crate::section::{Section, SortBy};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Whether a document is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    Published,
    Draft,
    /// An article dated after today.
    Scheduled,
}

/// Whether `doc` is published as of `today` under `options` (`--drafts`, `--future`).
/// Readers see what is published under the default options, whatever a command renders.
pub fn publication(doc: &Document, today: NaiveDate, options: &Options) -> Publication {
    if doc.front.draft && !options.drafts {
        Publication::Draft
    } else if doc.kind == Kind::Article && doc.date() > today && !options.future {
        Publication::Scheduled
    } else {
        Publication::Published
    }
}

/// Whether readers see `doc` as of `today`: neither a draft nor scheduled.
pub fn read_by_readers(doc: &Document, today: NaiveDate) -> bool {
    publication(doc, today, &Options::default()) == Publication::Published
}

/// The order of articles everywhere: newest first, then by slug.
pub fn article_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    b.date().cmp(&a.date()).then_with(|| a.slug.cmp(&b.slug))
}

/// The articles an article's page links to, of `articles` in [`article_order`]:
/// (the previous, older one; the next, newer one).
pub fn neighbours(articles: &[Arc<Document>], i: usize) -> [Option<&Document>; 2] {
    // Each language's articles are a list of their own.
    let lang = articles.get(i).map(|d| d.lang.as_str());
    let ours = |d: &&Arc<Document>| Some(d.lang.as_str()) == lang;
    let older = articles.iter().skip(i + 1).find(ours);
    let newer = articles[..i.min(articles.len())].iter().rev().find(ours);
    [older.map(|d| &**d), newer.map(|d| &**d)]
}

/// Where a language's pages and lists are published: `fr/`, or nothing for the default
/// language.
pub fn language_prefix(config: &Config, lang: &str) -> String {
    match lang == config.lang {
        true => String::new(),
        false => format!("{lang}/"),
    }
}

/// The id of the call-to-action that closes `doc`: its own `cta:`, else its section's, else
/// (for an article) the site's `default_cta`.
pub fn closing_cta<'a>(doc: &'a Document, config: &'a Config) -> Option<&'a str> {
    let choice = match &doc.front.cta {
        CtaChoice::Default => &doc.section.cta,
        chosen => chosen,
    };
    match choice {
        CtaChoice::None => None,
        CtaChoice::Id(id) => Some(id),
        CtaChoice::Default if doc.kind == Kind::Article => config.default_cta.as_deref(),
        CtaChoice::Default => None,
    }
}

/// The id of the disclaimer a document shows: its own `disclaimer:`, else its section's
/// (set in the nearest `_index.md` above it), else `default_disclaimer` for an article or a
/// stamped page (advice); a page without a stamp shows one only when it names it.
pub fn disclaimer<'a>(doc: &'a Document, config: &'a Config) -> Option<&'a str> {
    let choice = match &doc.front.disclaimer {
        DisclaimerChoice::Default => &doc.section.disclaimer,
        chosen => chosen,
    };
    match choice {
        DisclaimerChoice::None => None,
        DisclaimerChoice::Id(id) => Some(id),
        DisclaimerChoice::Default
            if doc.kind == Kind::Article || doc.front.current_as_at.is_some() =>
        {
            config.default_disclaimer.as_deref()
        }
        DisclaimerChoice::Default => None,
    }
}

/// The ids of the calls-to-action a document may show: the one that closes it and any a
/// `{{ cta(…) }}` shortcode places. Errs on the side of more: a call it cannot read counts
/// as every one.
pub fn ctas_shown<'c>(doc: &Document, config: &'c Config) -> BTreeSet<&'c str> {
    closing_cta(doc, config)
        .into_iter()
        .chain(doc.cta_ids.iter().map(String::as_str))
        .filter_map(|id| config.ctas.get_key_value(id))
        .map(|(k, _)| k.as_str())
        .collect()
}

/// The ids, of those in `known`, that the `{{ cta(…) }}` calls in `body` may place. Errs
/// on the side of more: a call it cannot read counts as every one. Found once, when the
/// file is read (the ids of the calls-to-action changing reads every file again).
pub fn shortcode_ctas<'k>(
    body: &str,
    known: impl Iterator<Item = &'k String> + Clone,
) -> Vec<String> {
    let mut ids = BTreeSet::new();
    for at in memchr::memmem::find_iter(body.as_bytes(), "cta(") {
        let args = &body[at + 4..];
        let args = &args[..args.find(')').unwrap_or(args.len())];
        for id in known.clone() {
            if !args.contains(['"', '\''])
                || args.contains(&format!("\"{id}\""))
                || args.contains(&format!("'{id}'"))
            {
                ids.insert(id);
            }
        }
    }
    ids.into_iter().cloned().collect()
}

/// A tag as the lists see it: its name (as first written), and the documents that carry it.
pub struct Tag {
    pub name: String,
    /// Indexes into the articles, newest first.
    pub articles: Vec<usize>,
    /// Indexes into the pages of the pages that carry it.
    pub pages: Vec<usize>,
}

impl Tag {
    /// How many documents carry it.
    pub fn count(&self) -> usize {
        self.articles.len() + self.pages.len()
    }
}

/// Tags by slug, each with its articles and pages. A document that writes two names of one
/// slug counts once.
pub fn tags(articles: &[Arc<Document>], pages: &[Arc<Document>]) -> BTreeMap<String, Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (is_page, docs) in [(false, articles), (true, pages)] {
        for (i, doc) in docs.iter().enumerate() {
            for (name, slug) in doc.front.tags.iter().zip(&doc.front.tag_slugs) {
                let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                    name: name.clone(),
                    articles: Vec::new(),
                    pages: Vec::new(),
                });
                let list = if is_page {
                    &mut tag.pages
                } else {
                    &mut tag.articles
                };
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    tags
}

/// What `section`'s list shows: the documents of its kind (`docs`, the articles or the
/// pages) in it and in the sections below it, as indexes into `docs`, in its order.
pub fn section_items(docs: &[Arc<Document>], section: &Section) -> Vec<usize> {
    let mut items: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].section.path.starts_with(&section.path))
        .collect();
    let title = |i: usize| &docs[i].front.title;
    match section.sort_by {
        // Articles are kept newest first; pages in the order they were found.
        SortBy::Date => {
            if section.kind == Kind::Page {
                items.sort_by(|&a, &b| title(a).cmp(title(b)));
            }
        }
        SortBy::Title => items.sort_by(|&a, &b| {
            title(a)
                .to_lowercase()
                .cmp(&title(b).to_lowercase())
                .then(docs[a].slug.cmp(&docs[b].slug))
        }),
        SortBy::Weight => items.sort_by(|&a, &b| {
            let weight = |i: usize| docs[i].weight().unwrap_or(i64::MAX);
            weight(a)
                .cmp(&weight(b))
                .then_with(|| title(a).cmp(title(b)))
        }),
    }
    items
}
