//! Collecting facts while the site renders: the [`Collector`] sink notes every page's ids
//! and links (and each document's, as the author wrote them), so that no check reads a
//! page back.

use super::lock;
use super::scan::scan_html;
use super::script_links::script_scheme;
use crate::core::paths::Address;
use crate::diagnostic::Result;
use crate::markdown::{Heading, Link, UnknownLanguage};
use crate::site::{Body, Document, Sink, Site};
use crate::{FastMap, FastSet};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A [`Sink`] that notes the ids and links of every page it is given (and passes it on to
/// the real sink, if there is one).
pub struct Collector<'a> {
    inner: Option<&'a dyn Sink>,
    /// Also gather what only `check` reports (raw scripts in Markdown).
    audit: bool,
    files: Mutex<Vec<String>>,
    pages: Mutex<Vec<(String, PageScan)>>,
    docs: Mutex<Vec<(PathBuf, DocFacts)>>,
    /// What each call-to-action's HTML holds, read once; set by [`Collector::skimming`].
    ctas: FastMap<String, PageScan>,
    /// Skip reading article bodies that hold only what brief made (see `write_page`).
    skim: bool,
}

/// What a page holds that links can point at, and the links it makes.
#[derive(Debug, Default, Clone)]
pub struct PageScan {
    pub ids: Vec<String>,
    /// `href` and `src` values, with entities decoded.
    pub links: Vec<String>,
    /// `<script>` elements and `on…=` attributes, described (`<script>`, `onclick`).
    pub active: Vec<String>,
}

/// What a document's Markdown says, as the author wrote it.
#[derive(Debug, Default, Clone)]
pub struct DocFacts {
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    /// Scripts and event handlers in raw HTML (only gathered for `check`).
    pub active: Vec<String>,
    /// Links in the author's raw HTML that would run code (`javascript:`…); Markdown links
    /// are in `links`.
    pub scripted: Vec<String>,
    /// Fenced code in languages brief cannot highlight.
    pub unknown_languages: Vec<UnknownLanguage>,
}

/// Everything a [`Collector`] saw.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every file written or copied, relative to the output.
    pub files: FastSet<String>,
    /// HTML pages by file (`articles/x/index.html`).
    pub pages: FastMap<String, PageScan>,
    /// Documents by source file.
    pub docs: FastMap<PathBuf, DocFacts>,
}

impl<'a> Collector<'a> {
    /// Collects, and passes every file on to `inner` (none: writes nothing).
    pub fn new(inner: Option<&'a dyn Sink>) -> Collector<'a> {
        Collector {
            inner,
            audit: false,
            files: Mutex::default(),
            pages: Mutex::default(),
            docs: Mutex::default(),
            ctas: FastMap::default(),
            skim: false,
        }
    }

    /// Reads only the template-made parts of article pages whose bodies hold nothing but
    /// what brief made from Markdown: their ids and links are known already, and a build
    /// spends a third of its link check reading them again. `check` reads everything.
    pub fn skimming(mut self, site: &Site) -> Self {
        self.skim = true;
        self.ctas = site
            .config
            .languages
            .iter()
            .flat_map(|l| l.ctas.keys().map(|id| (&l.code, id)))
            .filter_map(|(lang, id)| {
                let html = &site.templates.cta(lang, id)?.1;
                Some((crate::render::cta_key(lang, id), scan_html(html)))
            })
            .collect();
        self
    }

    /// Collects what only `check` reports as well.
    pub fn auditing(mut self) -> Self {
        self.audit = true;
        self
    }

    pub fn finish(self) -> Collected {
        Collected {
            files: self
                .files
                .into_inner()
                .unwrap_or_default()
                .into_iter()
                .collect(),
            pages: self
                .pages
                .into_inner()
                .unwrap_or_default()
                .into_iter()
                .collect(),
            docs: self
                .docs
                .into_inner()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        }
    }
}

impl Sink for Collector<'_> {
    fn write(&self, path: &Address, bytes: Vec<u8>) -> Result<()> {
        if path.as_str().ends_with(".html") {
            let scan = match std::str::from_utf8(&bytes) {
                Ok(html) => scan_html(html),
                Err(_) => scan_html(&String::from_utf8_lossy(&bytes)),
            };
            lock(&self.pages).push((path.to_string(), scan));
        }
        lock(&self.files).push(path.to_string());
        match self.inner {
            Some(inner) => inner.write(path, bytes),
            None => Ok(()),
        }
    }

    fn copy(&self, path: &Address, source: &Path) -> Result<()> {
        lock(&self.files).push(path.to_string());
        match self.inner {
            Some(inner) => inner.copy(path, source),
            None => Ok(()),
        }
    }

    fn write_page(&self, path: &Address, bytes: Vec<u8>, body: &Body) -> Result<()> {
        let skimmed = match std::str::from_utf8(&bytes) {
            Ok(html) if self.skim && !self.audit && !body.opaque && !body.html.is_empty() => {
                find_copy(html, &body.html).map(|start| {
                    let mut scan = scan_html(&html[..start]);
                    let after = scan_html(&html[start + body.html.len()..]);
                    scan.ids.extend(after.ids);
                    scan.links.extend(after.links);
                    scan.active.extend(after.active);
                    scan.ids.extend(body.headings.iter().map(|h| h.id.clone()));
                    scan.ids.extend(body.footnote_ids.iter().cloned());
                    for cta in body.ctas.iter().filter_map(|id| self.ctas.get(id)) {
                        scan.ids.extend(cta.ids.iter().cloned());
                        scan.links.extend(cta.links.iter().cloned());
                    }
                    scan
                })
            }
            _ => None,
        };
        let Some(scan) = skimmed else {
            return self.write(path, bytes);
        };
        lock(&self.pages).push((path.to_string(), scan));
        lock(&self.files).push(path.to_string());
        match self.inner {
            Some(inner) => inner.write(path, bytes),
            None => Ok(()),
        }
    }

    fn publishes(&self) -> bool {
        self.inner.is_some_and(|inner| inner.publishes())
    }

    fn document(&self, doc: &Document, text: &str, body: &Body) {
        let facts = facts_of(text, body, self.audit);
        lock(&self.docs).push((doc.file.clone(), facts));
        if let Some(inner) = self.inner {
            inner.document(doc, text, body);
        }
    }
}

/// Where `part` appears whole in `page`: found by its first bytes, then compared in full
/// (a searcher built for a whole article body costs more than reading the page).
fn find_copy(page: &str, part: &str) -> Option<usize> {
    let probe = &part.as_bytes()[..part.len().min(64)];
    let finder = memchr::memmem::Finder::new(probe);
    let mut from = 0;
    while let Some(found) = finder.find(&page.as_bytes()[from..]) {
        let at = from + found;
        if page.as_bytes()[at..].starts_with(part.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The facts of a document whose body is `text` and renders as `body`.
fn facts_of(text: &str, body: &Body, audit: bool) -> DocFacts {
    let mut facts = DocFacts {
        links: body.links.clone(),
        headings: body.headings.clone(),
        unknown_languages: body.unknown_languages.clone(),
        ..DocFacts::default()
    };
    // Only the author's raw HTML (or a shortcode's) can hold what Markdown links do not.
    if body.opaque || audit {
        let scan = scan_html(&body.html);
        let written: FastSet<&str> = body.links.iter().map(|l| l.href.as_str()).collect();
        let scripted: Vec<String> = scan
            .links
            .into_iter()
            .filter(|href| script_scheme(href).is_some() && !written.contains(href.as_str()))
            .collect();
        if !scripted.is_empty() {
            // The author's raw HTML is in the Markdown as written; what is not came from a
            // call-to-action or shortcode template (checked where it is written).
            let raw: FastSet<String> = scan_html(text).links.into_iter().collect();
            facts.scripted = scripted.into_iter().filter(|h| raw.contains(h)).collect();
        }
        if audit {
            facts.active = scan.active;
        }
    }
    facts
}

impl Collected {
    /// The facts of `doc`: as collected, or worked out now for documents the render did
    /// not report (pages, which are few).
    pub(super) fn facts<'c>(
        &'c self,
        site: &Site,
        doc: &Document,
        audit: bool,
    ) -> Option<Cow<'c, DocFacts>> {
        match self.docs.get(&doc.file) {
            Some(facts) => Some(Cow::Borrowed(facts)),
            None => {
                let text = site.source(doc).ok()?;
                let body = site.render_body(doc, &text).ok()?;
                Some(Cow::Owned(facts_of(doc.body(&text), &body, audit)))
            }
        }
    }
}
