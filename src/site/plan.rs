//! The render plan: every file a site publishes, the job that renders it, and a key that
//! changes whenever anything that job reads changes.
//!
//! `build` renders every output of the plan; `serve` keeps the plan, makes a new one after
//! each change (cheap: nothing is rendered) and renders again only the outputs whose key
//! differs. Where things are published is decided here; what is published, and in which
//! order, by [`super::rules`]; what each page is made from, by [`super::views`].

use super::{rules, Document, Site};
use crate::core::paths::Address;
use crate::frontmatter::Kind;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// A fingerprint of everything an output is made from. Equal keys, equal bytes.
pub type Key = u64;

/// How many articles the feed carries.
pub const FEED_LENGTH: usize = 20;
/// The feed of articles.
pub const FEED_FILE: &str = "feed.xml";
/// The feed of change notes ([`Site::changes_feed`]).
pub const CHANGES_FILE: &str = "changes.xml";
/// How many change notes it carries: a note is a line, so more than the feed's articles.
pub const CHANGES_LENGTH: usize = 50;

/// Top-level names brief writes itself: a page may not take one, nor an alias (list
/// sections, `articles/`, `tags/`, `page/`, are checked against the files they hold).
pub const OWN_NAMES: [&str; 7] = [
    "assets",
    "404.html",
    FEED_FILE,
    CHANGES_FILE,
    "sitemap.xml",
    "robots.txt",
    "index.html",
];
/// Top-level folders of list pages and articles.
pub const SECTIONS: [&str; 3] = ["articles", "tags", "page"];

/// What renders one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Article `i` of [`Site::articles`].
    Article(usize),
    /// Page `i` of [`Site::pages`].
    Page(usize),
    List(ListPage),
    NotFound,
    /// The feed of the articles in a language.
    Feed(String),
    /// The feed of change notes in a language.
    Changes(String),
    Sitemap,
    Robots,
    /// An alias: a page that sends the reader on to this permalink.
    Redirect(String),
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct Output {
    /// `articles/x/index.html`.
    pub file: Address,
    pub job: Job,
    pub key: Key,
}

/// Every file the site publishes except its assets (copied as they are), in a fixed order:
/// articles, pages, list pages, then the 404 page, feeds, sitemap, robots.txt and redirects.
#[derive(Debug, Default)]
pub struct Plan {
    pub outputs: Vec<Output>,
    /// Files that are no [`Address`] (a bug: the names they are made of are checked when
    /// read), reported by [`Site::check_documents`].
    pub refused: Vec<String>,
}

impl Plan {
    fn push(&mut self, file: String, job: Job, key: Key) {
        match Address::new(file.as_str()) {
            Some(file) => self.outputs.push(Output { file, job, key }),
            None => self.refused.push(file),
        }
    }

    /// How many HTML pages the plan holds (everything but the feeds, sitemap and
    /// robots.txt).
    pub fn pages(&self) -> usize {
        self.outputs
            .iter()
            .filter(|o| {
                !matches!(
                    o.job,
                    Job::Feed(_) | Job::Changes(_) | Job::Sitemap | Job::Robots
                )
            })
            .count()
    }
}

/// What a list page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// The home page's list of every article (its section is home, 0).
    Home,
    /// The list of a section: an index into [`Site::sections`], never 0.
    Section(usize),
    /// `tags/`: every tag.
    TagIndex,
    /// `tags/x/`: what carries one tag.
    Tag,
}

/// A list page waiting to be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub kind: ListKind,
    /// The list's first page, after `base_path`: `""`, `tags/`, `tags/x/`.
    pub base: String,
    pub template: String,
    /// What it shows: indexes into [`Site::articles`] (or [`Site::pages`] when `of_pages`),
    /// in order.
    pub items: Vec<usize>,
    pub of_pages: bool,
    /// (this page, number of pages), counting from 1.
    pub number: (usize, usize),
    /// (name, slug, count): the tag of a tag page, or every tag for the tag index.
    pub tags: Vec<(String, String, usize)>,
    /// The language whose documents it lists (each language has its own lists).
    pub lang: String,
}

impl ListPage {
    /// The site path of page `n` of this list: `""`, `page/2/`, `tags/x/page/2/`.
    pub fn path_of(&self, n: usize) -> String {
        match n {
            1 => self.base.clone(),
            n => format!("{}page/{n}/", self.base),
        }
    }

    /// The output file: `index.html`, `page/2/index.html`, `tags/x/index.html`.
    pub fn file(&self) -> String {
        format!("{}index.html", self.path_of(self.number.0))
    }

    /// The section it lists, as an index into [`Site::sections`] (home is 0); `None` for
    /// tags.
    pub fn section(&self) -> Option<usize> {
        match self.kind {
            ListKind::Home => Some(0),
            ListKind::Section(n) => Some(n),
            ListKind::TagIndex | ListKind::Tag => None,
        }
    }

    /// The pages, of `pages`, that a tag's first page lists beside its articles.
    pub fn tagged_pages<'p>(
        &self,
        pages: &'p [Arc<Document>],
    ) -> impl Iterator<Item = (usize, &'p Arc<Document>)> {
        let tag = match (self.kind, self.tags.first()) {
            (ListKind::Tag, Some((_, slug, _))) if self.number.0 == 1 => Some(slug.clone()),
            _ => None,
        };
        let lang = self.lang.clone();
        pages.iter().enumerate().filter(move |(_, p)| {
            p.lang == lang && tag.as_ref().is_some_and(|t| p.front.tag_slugs.contains(t))
        })
    }
}

/// How one list is paginated.
struct List<'a> {
    kind: ListKind,
    base: &'a str,
    template: &'a str,
    per_page: usize,
    of_pages: bool,
    lang: &'a str,
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

fn key_of(parts: impl Hash) -> Key {
    let mut h = Xxh3::new();
    parts.hash(&mut h);
    h.finish()
}

impl Site {
    /// Every list page of each language: the paginated home list of every article, the tag
    /// index and each tag's pages, and each section's list.
    pub fn list_pages(&self) -> Vec<ListPage> {
        let mut lists = Vec::new();
        for language in self.languages_published() {
            self.language_lists(&mut lists, &language.code);
        }
        lists
    }

    /// Whether `section` has a list in the language `lang`: always in the default language,
    /// in another when it holds a published document of its kind in that language.
    pub fn has_list(&self, section: &crate::section::Section, lang: &str) -> bool {
        lang == self.config.lang
            || self
                .of_kind(section.kind)
                .iter()
                .any(|d| d.lang == lang && d.section.path.starts_with(&section.path))
    }

    /// The languages that have lists and a feed: the default language, and each other one
    /// with a published document.
    pub fn languages_published(&self) -> impl Iterator<Item = &crate::config::Language> {
        self.config
            .languages
            .iter()
            .enumerate()
            .filter_map(|(n, language)| {
                let any = || self.published().any(|d| d.lang == language.code);
                (n == 0 || any()).then_some(language)
            })
    }

    /// The lists of one language, under its prefix (`fr/`; none for the default language),
    /// a section's when [`Site::has_list`].
    fn language_lists(&self, lists: &mut Vec<ListPage>, lang: &str) {
        let prefix = rules::language_prefix(&self.config, lang);
        let ours = |docs: &[Arc<Document>], items: Vec<usize>| -> Vec<usize> {
            items
                .into_iter()
                .filter(|&i| docs[i].lang == lang)
                .collect()
        };
        let all = ours(&self.articles, (0..self.articles.len()).collect());
        let home = List {
            kind: ListKind::Home,
            base: &prefix,
            template: self
                .sections
                .first()
                .and_then(|s| s.template.as_deref())
                .unwrap_or("index.html"),
            per_page: self.per_page(0),
            of_pages: false,
            lang,
        };
        self.paginate(lists, &home, &all, None);
        let mut tags = rules::tags(&self.articles, &self.pages);
        for tag in tags.values_mut() {
            tag.articles = ours(&self.articles, std::mem::take(&mut tag.articles));
            tag.pages = ours(&self.pages, std::mem::take(&mut tag.pages));
        }
        tags.retain(|_, t| t.count() > 0);
        lists.push(ListPage {
            kind: ListKind::TagIndex,
            base: format!("{prefix}tags/"),
            template: "tags.html".into(),
            items: Vec::new(),
            of_pages: false,
            number: (1, 1),
            tags: tags
                .iter()
                .map(|(slug, t)| (t.name.clone(), slug.clone(), t.count()))
                .collect(),
            lang: lang.to_string(),
        });
        for (slug, tag) in &tags {
            let view = (tag.name.clone(), slug.clone(), tag.count());
            let base = format!("{prefix}tags/{slug}/");
            let list = List {
                kind: ListKind::Tag,
                base: &base,
                template: "tag.html",
                per_page: self.config.paginate,
                of_pages: false,
                lang,
            };
            self.paginate(lists, &list, &tag.articles, Some(view));
        }
        for (n, section) in self.sections.iter().enumerate().skip(1) {
            let of_pages = section.kind == Kind::Page;
            let docs = self.of_kind(section.kind);
            if !self.has_list(section, lang) {
                continue;
            }
            let items = ours(docs, rules::section_items(docs, section));
            let base = format!("{prefix}{}", section.path);
            let list = List {
                kind: ListKind::Section(n),
                base: &base,
                template: section
                    .template
                    .as_deref()
                    .unwrap_or(self.templates.section_default()),
                per_page: self.per_page(n),
                of_pages,
                lang,
            };
            self.paginate(lists, &list, &items, None);
        }
    }

    fn per_page(&self, section: usize) -> usize {
        self.sections
            .get(section)
            .and_then(|s| s.paginate)
            .unwrap_or(self.config.paginate)
            .max(1)
    }

    fn paginate(
        &self,
        lists: &mut Vec<ListPage>,
        list: &List<'_>,
        items: &[usize],
        tag: Option<(String, String, usize)>,
    ) {
        let per_page = list.per_page;
        let total = items.len().div_ceil(per_page).max(1);
        for n in 1..=total {
            lists.push(ListPage {
                kind: list.kind,
                base: list.base.to_string(),
                template: list.template.to_string(),
                items: items
                    .iter()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .copied()
                    .collect(),
                of_pages: list.of_pages,
                number: (n, total),
                tags: tag.iter().cloned().collect(),
                lang: list.lang.to_string(),
            });
        }
    }

    /// The plan of every output, with keys. Renders nothing. A document's key covers what
    /// its own page and its entry in lists are made from, beside the site's fingerprint:
    /// its text, its file, and the calls-to-action it shows.
    pub fn plan(&self) -> Plan {
        let global = self.fingerprint;
        // A CTA's key covers its wording in every language.
        let ctas: BTreeMap<&str, Key> = self
            .config
            .ctas
            .keys()
            .map(|id| {
                let all: Vec<_> = self
                    .config
                    .languages
                    .iter()
                    .map(|l| self.templates.cta(&l.code, id))
                    .collect();
                (id.as_str(), key_of(format!("{all:?}")))
            })
            .collect();
        // Pages show their own bundle's images and those under assets/.
        let shared_images = self.images.key_under("assets/");
        let doc_key = |doc: &Document| {
            let mut h = Xxh3::new();
            (doc.fingerprint, &doc.file, doc.section.key).hash(&mut h);
            (shared_images, self.images.key_under(doc.path())).hash(&mut h);
            for id in rules::ctas_shown(doc, &self.config) {
                (id, ctas.get(id)).hash(&mut h);
            }
            // Its page links each of its translations.
            for version in self.versions(doc) {
                (&version.lang, version.path()).hash(&mut h);
            }
            h.finish()
        };
        let doc_keys: Vec<Key> = self.articles.iter().map(|d| doc_key(d)).collect();
        let page_keys: Vec<Key> = self.pages.iter().map(|d| doc_key(d)).collect();
        let mut plan = Plan {
            outputs: Vec::with_capacity(self.articles.len() * 2 + 8),
            refused: Vec::new(),
        };
        for (i, doc) in self.articles.iter().enumerate() {
            // What its page shows of the articles before and after it.
            let around = rules::neighbours(&self.articles, i)
                .map(|d| d.map(|d| (d.front.title.as_str(), d.path())));
            plan.push(
                doc.file_name().to_string(),
                Job::Article(i),
                key_of((global, doc_keys[i], around)),
            );
        }
        for (i, doc) in self.pages.iter().enumerate() {
            plan.push(
                doc.file_name().to_string(),
                Job::Page(i),
                key_of((global, page_keys[i])),
            );
        }
        // A section's list shows the titles of the sections below it.
        let sections: Vec<(&str, &str)> = self
            .sections
            .iter()
            .map(|s| (s.path.as_str(), s.title.as_str()))
            .collect();
        for list in self.list_pages() {
            let keys = if list.of_pages { &page_keys } else { &doc_keys };
            let items: Vec<Key> = list.items.iter().map(|&i| keys[i]).collect();
            let section = list.section().map(|n| (self.sections[n].key, &sections));
            let tagged: Vec<Key> = list
                .tagged_pages(&self.pages)
                .map(|(i, _)| page_keys[i])
                .collect();
            let key = key_of((
                global,
                list.kind,
                &list.base,
                &list.template,
                list.number,
                &list.tags,
                items,
                section,
                tagged,
            ));
            plan.push(list.file(), Job::List(list), key);
        }

        let listed: Vec<(&str, Key)> = self
            .articles
            .iter()
            .map(|d| d.path())
            .chain(self.pages.iter().map(|d| d.path()))
            .zip(doc_keys.iter().copied().chain(std::iter::repeat(0)))
            .chain(self.sections.iter().map(|s| (s.path.as_str(), s.key)))
            .collect();
        for (file, job, key) in [
            ("404.html", Job::NotFound, key_of(global)),
            ("sitemap.xml", Job::Sitemap, key_of((global, listed))),
            ("robots.txt", Job::Robots, key_of(global)),
        ] {
            plan.push(file.into(), job, key);
            if file == "404.html" {
                for language in self.languages_published() {
                    let lang = &language.code;
                    let feed: Vec<Key> =
                        self.feed_items(lang).iter().map(|&i| doc_keys[i]).collect();
                    let prefix = rules::language_prefix(&self.config, lang);
                    let file = format!("{prefix}{FEED_FILE}");
                    plan.push(file, Job::Feed(lang.clone()), key_of((global, feed)));
                    let notes = key_of((global, self.change_notes(lang)));
                    let file = format!("{prefix}{CHANGES_FILE}");
                    plan.push(file, Job::Changes(lang.clone()), notes);
                }
            }
        }
        for doc in self.published() {
            if doc.front.aliases.is_empty() {
                continue;
            }
            let target = self.config.permalink(doc.path());
            for alias in &doc.front.aliases {
                let job = Job::Redirect(target.clone());
                plan.push(alias_file(alias), job, key_of((global, &target)));
            }
        }
        plan
    }
}

/// The fingerprint of everything every page may read: the templates, the settings (the
/// wording of calls-to-action aside: documents that show one fold it into their own key),
/// today, and the options.
pub fn fingerprint(site: &Site) -> Key {
    // A CTA's wording is in the key of each document that shows it, in every language.
    let wordless = |ctas: &BTreeMap<String, crate::config::CallToAction>| {
        ctas.keys()
            .map(|k| (k.clone(), Default::default()))
            .collect()
    };
    let mut settings = crate::config::Config {
        ctas: wordless(&site.config.ctas),
        ..site.config.clone()
    };
    for language in &mut settings.languages {
        language.ctas = wordless(&language.ctas);
    }
    let o = &site.options;
    key_of((
        site.templates.sources(),
        // Every part of the settings is plain data with a deterministic Debug form.
        format!("{settings:?}"),
        site.today,
        (o.drafts, o.future, o.serve, &o.base_url),
    ))
}
