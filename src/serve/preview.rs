//! The site held in memory between rebuilds, and the incremental rebuild itself.
//!
//! [`Preview`] keeps every article's parsed [`Document`], its list [`Entry`] (with a
//! version number that changes whenever the entry does) and what its page showed of its
//! neighbours, plus a key for every list page. A change to one article re-reads that file
//! and re-renders its page, the neighbours whose links changed, and the list pages whose
//! entries changed, found by comparing keys; the other articles are not touched. Config and
//! template changes load and render everything again (still only in memory).
//!
//! A file that fails to read or render leaves its last good output in place and its error
//! recorded until it is fixed, so the preview keeps serving the last good pages.

use super::watch::{Change, Changes};
use crate::config::Config;
use crate::content::{self, Source};
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::feeds;
use crate::frontmatter::Kind;
use crate::render::Templates;
use crate::secrets;
use crate::site::{
    alias_file, article_order, Body, Document, Entry, ListPage, Options, Site, FEED_LENGTH,
};
use axum::body::Bytes;
use chrono::Datelike;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Rendered files by their path in the output (`articles/x/index.html`).
pub type Files = HashMap<String, Bytes>;

/// What a rebuild did to the files.
#[derive(Debug)]
pub enum Update {
    /// Everything was rendered again: the new set of files.
    All(Files),
    /// Files written (`Some`) or removed (`None`).
    Some(Vec<(String, Option<Bytes>)>),
}

impl Default for Update {
    fn default() -> Self {
        Update::Some(Vec::new())
    }
}

impl Update {
    fn write(&mut self, path: String, text: String) {
        match self {
            Update::All(files) => {
                files.insert(path, Bytes::from(text));
            }
            Update::Some(list) => list.push((path, Some(Bytes::from(text)))),
        }
    }

    fn remove(&mut self, path: String) {
        match self {
            Update::All(files) => {
                files.remove(&path);
            }
            Update::Some(list) => list.push((path, None)),
        }
    }

    /// How many files were written.
    pub fn written(&self) -> usize {
        match self {
            Update::All(files) => files.len(),
            Update::Some(list) => list.iter().filter(|(_, b)| b.is_some()).count(),
        }
    }
}

/// What the page of an article knows of the others: (title, slug) of the older and the
/// newer article.
type Neighbours = [Option<(String, String)>; 2];

struct Meta {
    version: u64,
    neighbours: Neighbours,
}

/// What a list page showed when it was last rendered.
#[derive(PartialEq)]
struct ListKey {
    template: &'static str,
    versions: Vec<u64>,
    number: (usize, usize),
    tags: Vec<(String, String, usize)>,
}

pub struct Preview {
    site: Site,
    /// Parallel to `site.articles`.
    entries: Vec<Entry>,
    meta: Vec<Meta>,
    next_version: u64,
    lists: HashMap<String, ListKey>,
    /// Versions of the articles in the feed, and their bodies.
    feed: Vec<u64>,
    bodies: HashMap<u64, String>,
    /// Alias file → the permalink it redirects to.
    aliases: BTreeMap<String, String>,
    /// Files that failed to read or render, with why; their last good output stays.
    file_errors: BTreeMap<PathBuf, Diagnostic>,
    /// Problems across files: clashing addresses, missing CTAs.
    check_errors: Vec<Diagnostic>,
    /// List pages that failed to render, by file.
    list_errors: BTreeMap<String, Diagnostic>,
    /// The list pages as last planned, and for each article the indexes (into `plan`) of
    /// the pages that show it.
    plan: Vec<ListPage>,
    pages_of: Vec<Vec<usize>>,
}

/// What a batch of content changes touched.
#[derive(Default)]
struct Touched {
    /// The rendered bodies of the articles that changed.
    bodies: HashMap<PathBuf, Body>,
    /// Articles came, went or moved, or something lists, addresses or checks depend on
    /// changed (tags, aliases, CTA, a page): everything that depends on the set of
    /// articles is looked at again. Otherwise only the changed articles' own pages, their
    /// neighbours and the list pages showing them are.
    everything: bool,
    /// An article's last-modified date changed (the sitemap shows it).
    sitemap: bool,
}

fn article_file(doc: &Document) -> String {
    format!("{}index.html", doc.path())
}

impl Preview {
    /// Loads and renders the whole site.
    pub fn load(
        root: &Path,
        options: Options,
    ) -> std::result::Result<(Preview, Files), Vec<Diagnostic>> {
        let mut site = Site::load(root, options).map_err(|mut errors| {
            // Reported even when the site cannot load: the files they name stay unserved.
            errors.extend(secrets::scan(root, &[]));
            sorted(errors)
        })?;
        let withheld = withhold_secrets(&mut site)?;
        type Rendered = (Entry, String, Option<String>);
        let rendered: Vec<Result<Rendered>> = site
            .articles
            .par_iter()
            .enumerate()
            .map(|(i, doc)| {
                let body = site.body(doc)?;
                let entry = site.entry(doc, &body);
                let html = site.article_page(i, doc, &entry, &body)?;
                Ok((entry, html, (i < FEED_LENGTH).then_some(body.html)))
            })
            .collect();
        let pages: Vec<Result<(String, String)>> = site
            .pages
            .par_iter()
            .map(|doc| Ok((article_file(doc), site.page_html(doc)?)))
            .collect();

        let mut errors = Vec::new();
        let mut files = Files::with_capacity(site.articles.len() * 2);
        let mut entries = Vec::with_capacity(site.articles.len());
        let mut meta = Vec::with_capacity(site.articles.len());
        let mut bodies = HashMap::new();
        for (i, result) in rendered.into_iter().enumerate() {
            match result {
                Ok((entry, html, body)) => {
                    let version = i as u64 + 1;
                    files.insert(article_file(&site.articles[i]), Bytes::from(html));
                    if let Some(body) = body {
                        bodies.insert(version, body);
                    }
                    entries.push(entry);
                    meta.push(Meta {
                        version,
                        neighbours: neighbours(&site.articles, i),
                    });
                }
                Err(e) => errors.push(e),
            }
        }
        for result in pages {
            match result {
                Ok((file, html)) => {
                    files.insert(file, Bytes::from(html));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        let not_found = site
            .templates
            .render("404.html", &site.templates.context("404.html"), None)
            .map_err(|e| vec![e])?;
        files.insert("404.html".into(), Bytes::from(not_found));
        files.insert(
            "robots.txt".into(),
            Bytes::from(feeds::robots(&site.config)),
        );

        let mut preview = Preview {
            next_version: entries.len() as u64 + 1,
            site,
            entries,
            meta,
            lists: HashMap::new(),
            feed: Vec::new(),
            bodies,
            aliases: BTreeMap::new(),
            file_errors: BTreeMap::new(),
            check_errors: Vec::new(),
            list_errors: BTreeMap::new(),
            plan: Vec::new(),
            pages_of: Vec::new(),
        };
        let mut update = Update::All(files);
        let touched = Touched {
            everything: true,
            ..Touched::default()
        };
        preview.after_content_change(&mut update, &touched);
        let errors = preview.errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        // Secrets stop only their own files, and show over every page.
        preview.file_errors.extend(withheld);
        let Update::All(files) = update else {
            unreachable!("the update was made as a whole set of files")
        };
        Ok((preview, files))
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every problem the preview has now.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.file_errors.values().cloned().collect();
        all.extend(self.check_errors.iter().cloned());
        all.extend(self.list_errors.values().cloned());
        sorted(all)
    }

    /// Applies changed content files and assets (not config or templates: those need
    /// [`Preview::load`]).
    pub fn update(&mut self, changes: &Changes) -> Update {
        let mut update = Update::default();
        let mut files: BTreeSet<PathBuf> = changes
            .all
            .iter()
            .filter_map(|c| match c {
                Change::Content(file) => Some(file.clone()),
                _ => None,
            })
            .collect();
        if changes.all.contains(&Change::ContentTree) {
            files.extend(self.moved_content());
        }
        if !files.is_empty() {
            let mut touched = Touched::default();
            for file in files {
                self.apply_file(file, &mut update, &mut touched);
            }
            self.after_content_change(&mut update, &touched);
        }
        if changes.all.iter().any(|c| matches!(c, Change::Asset(_))) {
            self.file_errors.remove(Path::new(crate::site::ASSETS));
            if let Err(e) = self.site.reload_assets() {
                self.file_errors
                    .insert(PathBuf::from(crate::site::ASSETS), e);
            }
            self.withhold_secret_assets(changes);
        }
        update
    }

    /// Looks for secrets in the assets that changed (all of them when the folder did) and
    /// takes every asset holding one out of the served list.
    fn withhold_secret_assets(&mut self, changes: &Changes) {
        let root = &self.site.root;
        let changed: Vec<&Path> = changes
            .all
            .iter()
            .filter_map(|c| match c {
                Change::Asset(path) => Some(path.as_path()),
                _ => None,
            })
            .collect();
        let folder = Path::new(crate::site::ASSETS);
        let found = if changed
            .iter()
            .any(|p| *p == folder || root.join(p).is_dir())
        {
            self.file_errors
                .retain(|file, _| file == folder || !file.starts_with(folder));
            secrets::scan_folder(root, crate::site::ASSETS)
        } else {
            let mut found = Vec::new();
            for file in changed {
                self.file_errors.remove(file);
                if self
                    .site
                    .assets
                    .iter()
                    .any(|(path, _)| Path::new(path) == file)
                {
                    found.extend(secrets::in_file(root, &root.join(file)));
                }
            }
            found
        };
        for e in found {
            if let Some(file) = e.file.clone() {
                self.file_errors.entry(file).or_insert(e);
            }
        }
        let errors = &self.file_errors;
        self.site
            .assets
            .retain(|(path, _)| !errors.contains_key(Path::new(path)));
    }

    /// site.toml changed. When only the wording of calls-to-action changed (the same ids,
    /// every other setting as it was), renders again just the documents that show a changed
    /// one. `None` when anything else changed: the whole site must be loaded again.
    pub fn update_ctas(&mut self) -> Option<Update> {
        let toml = self.site.root.join(crate::config::FILE);
        if !secrets::in_file(&self.site.root, &toml).is_empty() {
            // Loading everything again reports it and serves nothing made with it.
            return None;
        }
        let mut config = Config::load(&self.site.root).ok()?;
        if let Some(url) = &self.site.options.base_url {
            config.set_base_url(url).ok()?;
        }
        let without_ctas = |c: &Config| Config {
            ctas: BTreeMap::new(),
            ..c.clone()
        };
        if without_ctas(&config) != without_ctas(&self.site.config)
            || !config.ctas.keys().eq(self.site.config.ctas.keys())
        {
            return None;
        }
        let templates = Templates::load(
            &self.site.root,
            &config,
            self.site.today.year(),
            self.site.options.serve,
        )
        .ok()?;
        let changed: BTreeSet<&String> = config
            .ctas
            .keys()
            .filter(|id| templates.cta(id) != self.site.templates.cta(id))
            .collect();
        let changed: BTreeSet<String> = changed.into_iter().cloned().collect();
        self.site.config = config;
        self.site.templates = templates;

        let site = &self.site;
        let shows_changed = |doc: &Document| {
            site.closing_cta(doc)
                .is_some_and(|(view, _)| changed.contains(&view.id))
                || places_cta(doc.body(), &changed)
        };
        let mut update = Update::default();
        let mut touched = Touched::default();
        if changed.is_empty() {
            return Some(update);
        }
        let bodies: Vec<(usize, Result<Body>)> = site
            .articles
            .par_iter()
            .enumerate()
            .filter(|(_, doc)| shows_changed(doc))
            .map(|(i, doc)| (i, site.body(doc)))
            .collect();
        let pages: Vec<(String, Result<String>)> = site
            .pages
            .par_iter()
            .filter(|doc| shows_changed(doc))
            .map(|doc| (article_file(doc), site.page_html(doc)))
            .collect();
        for (i, body) in bodies {
            let file = self.site.articles[i].file.clone();
            match body {
                Ok(body) => {
                    let entry = self.site.entry(&self.site.articles[i], &body);
                    if entry != self.entries[i] {
                        self.entries[i] = entry;
                        self.meta[i].version = self.new_version();
                    }
                    touched.bodies.insert(file, body);
                }
                Err(e) => {
                    self.file_errors.insert(file, e);
                }
            }
        }
        for (file, html) in pages {
            match html {
                Ok(html) => update.write(file, html),
                Err(e) => {
                    let doc = self.site.pages.iter().find(|d| article_file(d) == file);
                    if let Some(doc) = doc {
                        self.file_errors.insert(doc.file.clone(), e);
                    }
                }
            }
        }
        self.after_content_change(&mut update, &touched);
        Some(update)
    }

    /// After a folder under content/ was renamed or removed: the Markdown files that
    /// appeared or vanished.
    fn moved_content(&self) -> Vec<PathBuf> {
        let Ok((sources, _)) = content::discover(&self.site.root) else {
            return Vec::new();
        };
        let now: BTreeSet<PathBuf> = sources.into_iter().map(|s| s.file).collect();
        let known: BTreeSet<PathBuf> = self
            .site
            .articles
            .iter()
            .chain(&self.site.pages)
            .map(|d| d.file.clone())
            .chain(self.file_errors.keys().cloned())
            .collect();
        now.symmetric_difference(&known).cloned().collect()
    }

    /// Reads one changed Markdown file and puts it in place (or takes it away). Article
    /// pages are rendered later, once every article is in its place.
    fn apply_file(&mut self, file: PathBuf, update: &mut Update, touched: &mut Touched) {
        self.file_errors.remove(&file);
        let inside = file.strip_prefix(content::DIR).unwrap_or(&file);
        let kind = if inside.starts_with(content::ARTICLES) {
            Kind::Article
        } else if inside.components().count() == 1 {
            Kind::Page
        } else {
            return;
        };
        let doc = if self.site.root.join(&file).is_file() {
            let source = Source {
                file: file.clone(),
                kind,
            };
            match self.site.read(&source) {
                Ok(doc) => {
                    // Its last good page stays, without the secret; the error shows over it.
                    if let Some(e) = secrets::in_text(&file, doc.text.as_bytes())
                        .into_iter()
                        .next()
                    {
                        self.file_errors.insert(file, e);
                        return;
                    }
                    Some(doc).filter(|d| self.site.publishes(d))
                }
                Err(e) => {
                    self.file_errors.insert(file, e);
                    return;
                }
            }
        } else {
            None
        };
        match kind {
            Kind::Article => self.apply_article(file, doc, update, touched),
            Kind::Page => {
                touched.everything = true;
                self.apply_page(file, doc, update)
            }
        }
    }

    fn apply_article(
        &mut self,
        file: PathBuf,
        doc: Option<Document>,
        update: &mut Update,
        touched: &mut Touched,
    ) {
        let old = self.site.articles.iter().position(|d| d.file == file);
        let Some(doc) = doc else {
            if let Some(i) = old {
                self.remove_article(i, update);
                touched.everything = true;
            }
            return;
        };
        let body = match self.site.body(&doc) {
            Ok(body) => body,
            Err(e) => {
                self.file_errors.insert(file, e);
                return;
            }
        };
        let entry = self.site.entry(&doc, &body);
        match old {
            Some(i)
                if self.site.articles[i].slug == doc.slug
                    && self.site.articles[i].date() == doc.date() =>
            {
                let before = &self.site.articles[i].front;
                if before.tags != doc.front.tags
                    || before.aliases != doc.front.aliases
                    || before.cta != doc.front.cta
                {
                    touched.everything = true;
                }
                if self.entries[i].last_modified != entry.last_modified {
                    touched.sitemap = true;
                }
                self.site.articles[i] = doc;
                if self.entries[i] != entry {
                    self.entries[i] = entry;
                    self.meta[i].version = self.new_version();
                }
            }
            _ => {
                touched.everything = true;
                if let Some(i) = old {
                    self.remove_article(i, update);
                }
                // Where it goes in date order; its neighbours notice when their links differ.
                let at = self
                    .site
                    .articles
                    .partition_point(|d| article_order(d, &doc).is_lt());
                let version = self.new_version();
                self.site.articles.insert(at, doc);
                self.entries.insert(at, entry);
                self.meta.insert(
                    at,
                    Meta {
                        version,
                        neighbours: [None, None],
                    },
                );
            }
        }
        touched.bodies.insert(file, body);
    }

    fn remove_article(&mut self, i: usize, update: &mut Update) {
        let doc = self.site.articles.remove(i);
        self.entries.remove(i);
        self.meta.remove(i);
        update.remove(article_file(&doc));
    }

    fn apply_page(&mut self, file: PathBuf, doc: Option<Document>, update: &mut Update) {
        let old = self.site.pages.iter().position(|d| d.file == file);
        let html = match &doc {
            Some(doc) => match self.site.page_html(doc) {
                Ok(html) => Some(html),
                Err(e) => {
                    self.file_errors.insert(file, e);
                    return;
                }
            },
            None => None,
        };
        if let Some(i) = old {
            let gone = self.site.pages.remove(i);
            update.remove(article_file(&gone));
        }
        if let (Some(doc), Some(html)) = (doc, html) {
            update.write(article_file(&doc), html);
            // In the order discovery found them, as a full load has them.
            let at = self.site.pages.partition_point(|p| p.file < doc.file);
            self.site.pages.insert(at, doc);
        }
    }

    fn new_version(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }

    /// Renders what depends on the set of articles: article pages whose own content or
    /// neighbours changed, list pages whose entries changed, the feed, the sitemap and the
    /// alias redirects; then checks the documents against each other. When only some
    /// articles' content changed, looks only at them, their neighbours and their lists.
    fn after_content_change(&mut self, update: &mut Update, touched: &Touched) {
        let bodies = &touched.bodies;
        if touched.everything {
            let all: Vec<usize> = (0..self.site.articles.len()).collect();
            self.render_articles(update, bodies, &all);
            self.render_lists(update);
            update.write("sitemap.xml".into(), self.site.sitemap(&self.entries));
            self.render_aliases(update);
            self.check_errors = self.site.check_documents();
        } else {
            let changed: Vec<usize> = (0..self.site.articles.len())
                .filter(|&i| bodies.contains_key(&self.site.articles[i].file))
                .collect();
            let near: BTreeSet<usize> = changed
                .iter()
                .flat_map(|&i| [i.saturating_sub(1), i, i + 1])
                .filter(|&i| i < self.site.articles.len())
                .collect();
            self.render_articles(update, bodies, &near.into_iter().collect::<Vec<_>>());
            let pages: BTreeSet<usize> = changed
                .iter()
                .flat_map(|&i| self.pages_of[i].iter().copied())
                .collect();
            self.render_planned_lists(update, pages);
            if touched.sitemap {
                update.write("sitemap.xml".into(), self.site.sitemap(&self.entries));
            }
        }
        self.render_feed(update, bodies);
    }

    /// Renders those of `candidates` (indexes of articles) whose content changed or whose
    /// neighbours are not the ones their page shows.
    fn render_articles(
        &mut self,
        update: &mut Update,
        bodies: &HashMap<PathBuf, Body>,
        candidates: &[usize],
    ) {
        let articles = &self.site.articles;
        let todo: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                bodies.contains_key(&articles[i].file)
                    || !same_neighbours(&self.meta[i].neighbours, articles, i)
            })
            .collect();
        let site = &self.site;
        let entries = &self.entries;
        let rendered: Vec<(usize, Result<String>)> = todo
            .par_iter()
            .map(|&i| {
                let doc = &site.articles[i];
                let html = match bodies.get(&doc.file) {
                    Some(body) => site.article_page(i, doc, &entries[i], body),
                    None => site
                        .body(doc)
                        .and_then(|body| site.article_page(i, doc, &entries[i], &body)),
                };
                (i, html)
            })
            .collect();
        for (i, html) in rendered {
            let doc = &self.site.articles[i];
            match html {
                Ok(html) => {
                    update.write(article_file(doc), html);
                    self.meta[i].neighbours = neighbours(&self.site.articles, i);
                }
                Err(e) => {
                    self.file_errors.insert(doc.file.clone(), e);
                }
            }
        }
    }

    fn list_key(&self, page: &ListPage) -> ListKey {
        ListKey {
            template: page.template,
            versions: page.items.iter().map(|&i| self.meta[i].version).collect(),
            number: page.number,
            tags: page.tags.clone(),
        }
    }

    /// Plans every list page again and renders those whose entries changed.
    fn render_lists(&mut self, update: &mut Update) {
        let plan = self.site.list_plan(&self.entries);
        let mut keys = HashMap::with_capacity(plan.len());
        let mut todo = Vec::new();
        let mut pages_of = vec![Vec::new(); self.entries.len()];
        for (n, page) in plan.iter().enumerate() {
            for &i in &page.items {
                pages_of[i].push(n);
            }
            let key = self.list_key(page);
            let file = page.file();
            if self.lists.get(&file) != Some(&key) {
                todo.push(n);
            }
            keys.insert(file, key);
        }
        for file in self.lists.keys() {
            if !keys.contains_key(file) {
                update.remove(file.clone());
            }
        }
        self.lists = keys;
        self.list_errors.clear();
        self.plan = plan;
        self.pages_of = pages_of;
        self.render_list_pages(update, todo);
    }

    /// Renders those of the planned list `pages` whose entries changed, when the plan
    /// itself has not (the same articles in the same places).
    fn render_planned_lists(&mut self, update: &mut Update, pages: BTreeSet<usize>) {
        let mut todo = Vec::new();
        for n in pages {
            let key = self.list_key(&self.plan[n]);
            let file = self.plan[n].file();
            if self.lists.get(&file) != Some(&key) {
                self.lists.insert(file, key);
                todo.push(n);
            }
        }
        self.render_list_pages(update, todo);
    }

    fn render_list_pages(&mut self, update: &mut Update, todo: Vec<usize>) {
        let site = &self.site;
        let entries = &self.entries;
        let plan = &self.plan;
        let rendered: Vec<(String, Result<String>)> = todo
            .into_par_iter()
            .map(|n| (plan[n].file(), site.render_list(&plan[n], entries)))
            .collect();
        for (file, html) in rendered {
            match html {
                Ok(html) => {
                    self.list_errors.remove(&file);
                    update.write(file, html);
                }
                Err(e) => {
                    // Render it again next time.
                    self.lists.remove(&file);
                    self.list_errors.insert(file, e);
                }
            }
        }
    }

    fn render_feed(&mut self, update: &mut Update, bodies: &HashMap<PathBuf, Body>) {
        let n = self.entries.len().min(FEED_LENGTH);
        let versions: Vec<u64> = self.meta[..n].iter().map(|m| m.version).collect();
        let bodies_changed = self.site.articles[..n]
            .iter()
            .any(|d| bodies.contains_key(&d.file));
        if versions == self.feed && !bodies_changed {
            return;
        }
        let mut feed_bodies = Vec::with_capacity(n);
        let mut kept = HashMap::with_capacity(n);
        for (i, &version) in versions.iter().enumerate() {
            let doc = &self.site.articles[i];
            let html = match (bodies.get(&doc.file), self.bodies.remove(&version)) {
                (Some(body), _) => body.html.clone(),
                (None, Some(html)) => html,
                (None, None) => match self.site.body(doc) {
                    Ok(body) => body.html,
                    Err(e) => {
                        self.file_errors.insert(doc.file.clone(), e);
                        String::new()
                    }
                },
            };
            feed_bodies.push(html.clone());
            kept.insert(version, html);
        }
        update.write(
            "feed.xml".into(),
            self.site.feed(&self.entries[..n], &feed_bodies),
        );
        self.bodies = kept;
        self.feed = versions;
    }

    fn render_aliases(&mut self, update: &mut Update) {
        let mut aliases = BTreeMap::new();
        for doc in self.site.articles.iter().chain(&self.site.pages) {
            for alias in &doc.front.aliases {
                aliases.insert(alias_file(alias), self.site.config.permalink(&doc.path()));
            }
        }
        for (file, target) in &aliases {
            if self.aliases.get(file) != Some(target) {
                update.write(file.clone(), feeds::redirect(&self.site.config, target));
            }
        }
        for file in self.aliases.keys() {
            if !aliases.contains_key(file) {
                update.remove(file.clone());
            }
        }
        self.aliases = aliases;
    }
}

/// Whether `text` places one of the `ids` with a `{{ cta(id="…") }}` shortcode. Errs on
/// the side of yes: a call it cannot read counts.
fn places_cta(text: &str, ids: &BTreeSet<String>) -> bool {
    text.match_indices("cta(").any(|(at, call)| {
        let args = &text[at + call.len()..];
        let args = &args[..args.find(')').unwrap_or(args.len())];
        !args.contains(['"', '\''])
            || ids
                .iter()
                .any(|id| args.contains(&format!("\"{id}\"")) || args.contains(&format!("'{id}'")))
    })
}

fn neighbours(articles: &[Document], i: usize) -> Neighbours {
    let at = |j: Option<usize>| {
        j.and_then(|j| articles.get(j))
            .map(|d| (d.front.title.clone(), d.slug.clone()))
    };
    [at(Some(i + 1)), at(i.checked_sub(1))]
}

fn same_neighbours(known: &Neighbours, articles: &[Document], i: usize) -> bool {
    let same = |known: &Option<(String, String)>, j: Option<usize>| match (
        known,
        j.and_then(|j| articles.get(j)),
    ) {
        (None, None) => true,
        (Some((title, slug)), Some(d)) => *title == d.front.title && *slug == d.slug,
        _ => false,
    };
    same(&known[0], Some(i + 1)) && same(&known[1], i.checked_sub(1))
}

/// Finds the site's secrets before anything is rendered. One in site.toml or a template
/// could be on any page, so the load fails; any other takes its document or asset out of
/// the site, and comes back as the error to show for its file.
fn withhold_secrets(
    site: &mut Site,
) -> std::result::Result<BTreeMap<PathBuf, Diagnostic>, Vec<Diagnostic>> {
    let docs: Vec<&Document> = site.articles.iter().chain(&site.pages).collect();
    let found = secrets::scan(&site.root, &docs);
    let everywhere = |file: &Path| {
        file == Path::new(crate::config::FILE) || file.starts_with(crate::render::DIR)
    };
    if found
        .iter()
        .any(|e| e.file.as_deref().is_some_and(everywhere))
    {
        return Err(found);
    }
    let mut withheld = BTreeMap::new();
    for e in found {
        if let Some(file) = e.file.clone() {
            withheld.entry(file).or_insert(e);
        }
    }
    site.articles.retain(|d| !withheld.contains_key(&d.file));
    site.pages.retain(|d| !withheld.contains_key(&d.file));
    site.assets
        .retain(|(path, _)| !withheld.contains_key(Path::new(path)));
    Ok(withheld)
}

/// The preview across rebuilds, including while the site cannot be loaded at all.
pub struct Builder {
    root: PathBuf,
    options: Options,
    preview: Option<Preview>,
    /// Why the last full load failed; while set, every change loads the site again.
    load_errors: Vec<Diagnostic>,
}

impl Builder {
    pub fn start(root: &Path, options: Options) -> (Builder, Update) {
        let mut builder = Builder::new(root, options);
        let update = builder.reload();
        (builder, update)
    }

    /// A builder that has loaded nothing yet.
    pub fn new(root: &Path, options: Options) -> Builder {
        Builder {
            root: root.to_path_buf(),
            options,
            preview: None,
            load_errors: Vec::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Records a rebuild that could not finish: `error` is shown until a change loads the
    /// whole site again, which the next change does.
    pub fn fail(&mut self, error: Diagnostic) {
        self.preview = None;
        self.load_errors = vec![error];
    }

    pub fn apply(&mut self, changes: &Changes) -> Update {
        let only_config = changes.all.iter().all(|c| *c == Change::Config);
        match &mut self.preview {
            Some(preview) if self.load_errors.is_empty() && !changes.needs_reload() => {
                preview.update(changes)
            }
            Some(preview) if self.load_errors.is_empty() && only_config => {
                match preview.update_ctas() {
                    Some(update) => update,
                    None => self.reload(),
                }
            }
            _ => self.reload(),
        }
    }

    /// Forgets everything held in memory and loads the site again.
    pub fn reset(&mut self) -> Update {
        self.preview = None;
        self.reload()
    }

    fn reload(&mut self) -> Update {
        match Preview::load(&self.root, self.options.clone()) {
            Ok((preview, files)) => {
                self.preview = Some(preview);
                self.load_errors.clear();
                Update::All(files)
            }
            Err(errors) => {
                self.load_errors = errors;
                Update::default()
            }
        }
    }

    pub fn preview(&self) -> Option<&Preview> {
        self.preview.as_ref()
    }

    /// The problems of the current build, empty when it is good.
    pub fn errors(&self) -> Vec<Diagnostic> {
        match &self.preview {
            _ if !self.load_errors.is_empty() => self.load_errors.clone(),
            Some(preview) => preview.errors(),
            None => Vec::new(),
        }
    }

    /// Asset files: path in the site → file on disk. An asset named by an error (a secret
    /// found since the last good load listed it) is not among them.
    pub fn assets(&self) -> HashMap<String, PathBuf> {
        let refused: BTreeSet<PathBuf> = self.errors().into_iter().filter_map(|e| e.file).collect();
        self.preview
            .iter()
            .flat_map(|p| p.site.assets.iter().cloned())
            .filter(|(path, _)| !refused.contains(Path::new(path)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Sink;
    use std::sync::Mutex;

    /// Collects what `Site::render` writes, as `brief build` would publish it.
    #[derive(Default)]
    struct Memory(Mutex<HashMap<String, Vec<u8>>>);

    impl Sink for Memory {
        fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
            self.0.lock().unwrap().insert(path.to_string(), bytes);
            Ok(())
        }
        fn copy(&self, _: &str, _: &Path) -> Result<()> {
            Ok(())
        }
    }

    fn options() -> Options {
        Options {
            drafts: true,
            future: true,
            today: chrono::NaiveDate::from_ymd_opt(2026, 7, 1),
            serve: true,
            base_url: Some("http://127.0.0.1:1111/".into()),
        }
    }

    /// The serve fixture site in the repository's own theme.
    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (from, to) in [
            (repo.join("tests/it/sites/serve"), dir.path().to_path_buf()),
            (repo.join("templates"), dir.path().join("templates")),
            (repo.join("assets"), dir.path().join("assets")),
        ] {
            for entry in walkdir::WalkDir::new(&from) {
                let entry = entry.unwrap();
                let target = to.join(entry.path().strip_prefix(&from).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&target).unwrap();
                } else {
                    std::fs::copy(entry.path(), &target).unwrap();
                }
            }
        }
        dir
    }

    /// Every file `Site::render` makes, as text.
    fn built(root: &Path) -> BTreeMap<String, String> {
        let site = Site::load(root, options()).unwrap();
        let memory = Memory::default();
        site.render(&memory).unwrap();
        let files = memory.0.into_inner().unwrap();
        files
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
            .collect()
    }

    fn as_text(files: &Files) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(k, v)| (k.clone(), String::from_utf8(v.to_vec()).unwrap()))
            .collect()
    }

    fn apply(files: &mut Files, update: Update) {
        match update {
            Update::All(all) => *files = all,
            Update::Some(list) => {
                for (path, bytes) in list {
                    match bytes {
                        Some(b) => files.insert(path, b),
                        None => files.remove(&path),
                    };
                }
            }
        }
    }

    fn assert_same(root: &Path, files: &Files, step: &str) {
        let expected = built(root);
        let actual = as_text(files);
        let missing: Vec<_> = expected
            .keys()
            .filter(|k| !actual.contains_key(*k))
            .collect();
        let extra: Vec<_> = actual
            .keys()
            .filter(|k| !expected.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{step}: missing {missing:?}, extra {extra:?}"
        );
        for (path, text) in &expected {
            assert!(
                actual[path] == *text,
                "{step}: {path} differs from a full build"
            );
        }
    }

    #[test]
    fn the_preview_renders_what_build_renders() {
        let site = fixture();
        let (_, files) = Preview::load(site.path(), options()).unwrap();
        assert_same(site.path(), &files, "first load");
        assert!(as_text(&files)["articles/work-in-progress/index.html"].contains("badge-draft"));
        assert!(as_text(&files)["articles/from-the-future/index.html"].contains("badge-scheduled"));
    }

    /// After each edit, the incremental rebuild must leave exactly the files a full
    /// build of the edited site makes.
    #[test]
    fn incremental_rebuilds_match_a_full_build() {
        let site = fixture();
        let root = site.path();
        let (mut preview, mut files) = Preview::load(root, options()).unwrap();
        let article = "content/articles/backups.md";
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
        let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
        let steps: Vec<Step> = vec![
            (
                "edit text",
                Box::new(|| write(article, &read(article).replace("a hope", "a wish"))),
            ),
            (
                "retitle",
                Box::new(|| {
                    write(
                        article,
                        &read(article).replace("Backups that work", "Backups, tested"),
                    )
                }),
            ),
            (
                "retag",
                Box::new(|| {
                    write(
                        article,
                        &read(article)
                            .replace("tags: [security]", "tags: [security, basics, new-tag]"),
                    )
                }),
            ),
            (
                "move back in time",
                Box::new(|| write(article, &read(article).replace("2026-03-01", "2025-12-01"))),
            ),
            (
                "confirm again",
                Box::new(|| {
                    write(
                        article,
                        &read(article)
                            .replace("current_as_at: 2025-12-01", "current_as_at: 2026-04-02"),
                    )
                }),
            ),
            (
                "new article",
                Box::new(|| {
                    write("content/articles/new-one.md", "---\ntitle: A new one\ndate: 2026-04-01\ncurrent_as_at: 2026-04-01\ntags: [fresh]\naliases: [/old/new-one/]\n---\n\nBrand new.\n")
                }),
            ),
            (
                "new slug",
                Box::new(|| {
                    write(
                        "content/articles/new-one.md",
                        &read("content/articles/new-one.md")
                            .replace("title: A new one", "title: A new one\nslug: renamed"),
                    )
                }),
            ),
            (
                "delete",
                Box::new(|| {
                    std::fs::remove_file(root.join("content/articles/first-steps.md")).unwrap()
                }),
            ),
            (
                "page",
                Box::new(|| {
                    write(
                        "content/about.md",
                        &read("content/about.md").replace("plain advice", "plainer advice"),
                    )
                }),
            ),
            (
                "undraft",
                Box::new(|| {
                    write(
                        "content/articles/work-in-progress.md",
                        &read("content/articles/work-in-progress.md").replace("draft: true\n", ""),
                    )
                }),
            ),
        ];
        for (name, step) in steps {
            step();
            let mut changes = Changes::default();
            for file in [
                "content/articles/backups.md",
                "content/articles/new-one.md",
                "content/articles/first-steps.md",
                "content/about.md",
                "content/articles/work-in-progress.md",
            ] {
                changes.add(root, &root.join(file));
            }
            let update = preview.update(&changes);
            assert!(
                preview.errors().is_empty(),
                "{name}: {:?}",
                preview.errors()
            );
            apply(&mut files, update);
            assert_same(root, &files, name);
        }
    }

    #[test]
    fn a_broken_article_keeps_its_last_good_page_until_fixed() {
        let site = fixture();
        let root = site.path();
        let (mut preview, mut files) = Preview::load(root, options()).unwrap();
        let article = "content/articles/backups.md";
        let good = std::fs::read_to_string(root.join(article)).unwrap();
        std::fs::write(
            root.join(article),
            good.replace("title: Backups that work", "title: [broken"),
        )
        .unwrap();
        let mut changes = Changes::default();
        changes.add(root, &root.join(article));
        apply(&mut files, preview.update(&changes));
        let errors = preview.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file.as_deref(), Some(Path::new(article)));
        assert!(errors[0].line.is_some());
        assert!(as_text(&files)["articles/backups/index.html"].contains("Backups that work"));

        std::fs::write(root.join(article), good.replace("a hope", "a wish")).unwrap();
        apply(&mut files, preview.update(&changes));
        assert!(preview.errors().is_empty());
        assert!(as_text(&files)["articles/backups/index.html"].contains("a wish"));
        assert_same(root, &files, "fixed");
    }

    #[test]
    fn editing_one_article_renders_only_what_shows_it() {
        let site = fixture();
        let root = site.path();
        let (mut preview, _) = Preview::load(root, options()).unwrap();
        let article = "content/articles/backups.md";
        let text = std::fs::read_to_string(root.join(article)).unwrap();
        // Same number of words, not in the summary: the entry (and so every list showing
        // it) stays as it was. The feed carries the whole text, so it changes.
        std::fs::write(
            root.join(article),
            text.replace("Restore one today", "Restore one tomorrow"),
        )
        .unwrap();
        let mut changes = Changes::default();
        changes.add(root, &root.join(article));
        let Update::Some(list) = preview.update(&changes) else {
            panic!("an article edit must not rebuild everything")
        };
        let mut written: Vec<&str> = list.iter().map(|(p, _)| p.as_str()).collect();
        written.sort();
        assert_eq!(written, ["articles/backups/index.html", "feed.xml"]);
    }

    #[test]
    fn a_cta_edit_renders_only_the_documents_that_show_it() {
        let site = fixture();
        let root = site.path();
        let (mut builder, update) = Builder::start(root, options());
        let Update::All(mut files) = update else {
            panic!("the first build renders everything")
        };
        let config = root.join("site.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, text.replace("Not sure yet?", "Still not sure?")).unwrap();
        let mut changes = Changes::default();
        changes.add(root, &config);
        let update = builder.apply(&changes);
        let Update::Some(list) = &update else {
            panic!("a CTA edit must not rebuild everything")
        };
        let mut written: Vec<&str> = list.iter().map(|(p, _)| p.as_str()).collect();
        written.sort();
        // keys-and-secrets closes with talk-to-us; no other document shows it.
        assert_eq!(
            written,
            ["articles/keys-and-secrets/index.html", "feed.xml"]
        );
        apply(&mut files, update);
        assert!(builder.errors().is_empty());
        assert_same(root, &files, "cta wording");

        // Anything else in site.toml loads the whole site again.
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, text.replace("paginate = 2", "paginate = 3")).unwrap();
        let update = builder.apply(&changes);
        assert!(matches!(update, Update::All(_)));
        apply(&mut files, update);
        assert_same(root, &files, "paginate");
    }

    #[test]
    fn shortcodes_placing_a_cta_are_found() {
        let ids: BTreeSet<String> = ["talk-to-us".to_string()].into();
        assert!(places_cta("a\n{{ cta(id=\"talk-to-us\") }}\n", &ids));
        assert!(places_cta("{{ cta( id = 'talk-to-us' ) }}", &ids));
        assert!(!places_cta("{{ cta(id=\"send-it-over\") }}", &ids));
        assert!(!places_cta("no shortcodes", &ids));
        assert!(places_cta("{{ cta(id=x) }}", &ids));
    }
}
