//! The site: the loaded data ([`Site`], [`Document`]), plain and doing no IO, and the stages
//! around it.
//!
//! - [`load`](Site::load) (`load.rs`) is the loading edge, the only part that reads files:
//!   site.toml, the templates, the sections and documents, the assets; and a document's text
//!   again when its body is rendered ([`Site::source`]).
//! - `rules` says what is published, in which order, and which call-to-action closes a
//!   document, for the plan, the views, the checks and `brief review` alike.
//! - [`Site::plan`] (`plan.rs`) lists every output with the job that renders it and a key.
//! - `views`, `pages`, `listing` and `feed` say what each job renders.
//! - [`Site::render`] (`render.rs`) renders the whole plan into a [`Sink`] (the output
//!   folder for `build`, nothing for `check`); `serve` renders the same plan's outputs one
//!   at a time, as they change and as they are asked for.
//! - `addresses` checks what the documents claim together: one address each, CTAs.

mod addresses;
mod document;
mod feed;
mod listing;
mod load;
mod pages;
pub mod plan;
mod render;
pub mod review;
pub mod rules;
mod search;
mod sink;
pub mod views;

pub use document::Document;
pub use plan::{alias_file, Job, Key, ListKind, ListPage, Output, Plan};
pub use sink::{Sink, Stats};
pub use views::{Body, Entry, TagRef};

use crate::config::Config;
use crate::core::paths::Address;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::Kind;
use crate::images::Catalogue;
use crate::render::Templates;
use crate::section::Section;
use crate::theme::AssetFile;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::core::layout::ASSETS;

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

/// A loaded site. Cheap to clone (documents and templates are shared), so that `serve`
/// can change a copy while the last one is still being served.
#[derive(Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub templates: Arc<Templates>,
    pub options: Options,
    pub today: NaiveDate,
    /// Published articles, newest first ([`rules::article_order`]).
    pub articles: Vec<Arc<Document>>,
    /// Published pages, in the order their files were found.
    pub pages: Vec<Arc<Document>>,
    /// Every section, home (`""`) first, parents before children ([`crate::section`]).
    pub sections: Vec<Arc<Section>>,
    /// The site path of every document read, drafts and scheduled ones too, by its file
    /// (`content/articles/x.md` → `articles/x/`): where links to `.md` sources lead.
    pub source_pages: Arc<BTreeMap<String, String>>,
    /// Asset files: (path in the output, the site's file or the theme's).
    pub assets: Vec<(Address, AssetFile)>,
    /// The images among the site's assets, read when the assets are listed.
    pub images: Catalogue,
    pub warnings: Vec<Diagnostic>,
    /// Articles left out: (drafts, scheduled).
    pub skipped: (usize, usize),
    /// See [`plan::fingerprint`]; kept up to date by [`Site::reload_settings`].
    pub fingerprint: Key,
}

impl Site {
    /// Every published document: the articles, newest first, then the pages.
    pub fn documents(&self) -> Vec<&Document> {
        self.published().map(|d| &**d).collect()
    }

    /// [`Site::documents`], as they are held.
    pub(crate) fn published(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.articles.iter().chain(&self.pages)
    }

    /// What is reviewed: every article, and every page that carries `current_as_at`.
    pub fn reviewed(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.articles.iter().chain(
            self.pages
                .iter()
                .filter(|p| p.front.current_as_at.is_some()),
        )
    }

    /// What readers see that is reviewed: [`Site::reviewed`] without drafts and scheduled
    /// articles, which the sites of `check` and `serve` hold too ([`rules::read_by_readers`]).
    pub fn reviewed_by_readers(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.reviewed()
            .filter(|d| rules::read_by_readers(d, self.today))
    }

    /// The published documents of `kind`: the articles or the pages.
    pub fn of_kind(&self, kind: Kind) -> &[Arc<Document>] {
        match kind {
            Kind::Article => &self.articles,
            Kind::Page => &self.pages,
        }
    }

    /// The site path of the page of a Markdown file (`content/articles/x.md`), for links.
    pub fn source_page(&self, file: &str) -> Option<String> {
        self.source_pages.get(file).cloned()
    }

    /// The section at site path `path`, if the site has one.
    pub fn section(&self, path: &str) -> Option<&Arc<Section>> {
        self.sections
            .binary_search_by(|s| s.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.sections[i])
    }

    /// Puts a document in its place among the published ones, replacing the one read from
    /// the same file; or only takes that one away when `doc` is not published.
    pub fn put(&mut self, file: &Path, doc: Option<Document>) {
        self.articles.retain(|d| d.file != file);
        self.pages.retain(|d| d.file != file);
        let pages = Arc::make_mut(&mut self.source_pages);
        pages.remove(&slashed(file));
        if let Some(doc) = &doc {
            pages.insert(slashed(file), doc.path().to_string());
        }
        let published = |d: &Document| {
            rules::publication(d, self.today, &self.options) == rules::Publication::Published
        };
        let Some(doc) = doc.filter(published) else {
            return;
        };
        let (list, at) = match doc.kind {
            Kind::Article => {
                let at = self
                    .articles
                    .partition_point(|d| rules::article_order(d, &doc).is_lt());
                (&mut self.articles, at)
            }
            // In the order discovery finds them.
            Kind::Page => {
                let at = self.pages.partition_point(|p| p.file < doc.file);
                (&mut self.pages, at)
            }
        };
        list.insert(at, Arc::new(doc));
    }
}

/// A path relative to the site as `/`-separated text.
use crate::core::paths::slashed;
