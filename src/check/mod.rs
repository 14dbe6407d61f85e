//! The checks behind `brief check`, and the ones `brief build` shares with it.
//!
//! - [`links`]: every internal link and `#anchor`, in Markdown (reported at the line the
//!   author wrote it) and in the rendered pages (reported against the template that made
//!   it). Facts are gathered while the site renders, by wrapping the [`Sink`] in a
//!   [`Collector`], so the check reads no file back and costs one scan of each page.
//! - secrets: [`crate::secrets`] refuses keys and tokens before anything renders.
//! - [`content`]: advice for authors (stale dates, missing summaries, alt text, …), which
//!   only `check` reports.
//! - [`external`]: dead links to other sites, fetched only when asked.
//!
//! [`run`] is `brief check`; [`render_checked`] is the render that `build` uses.

use crate::config;
use crate::content as discover;
use crate::diagnostic::{closest, line_of, sorted, Diagnostic, Result, Severity};
use crate::frontmatter::Kind;
use crate::markdown::{Heading, Link};
use crate::site::{alias_file, Body, Document, Options, Sink, Site, Stats, ASSETS};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long a draft may sit before `check` mentions it.
pub const DRAFT_DAYS: i64 = 90;
/// The version of `brief check --format json`; raised only when a field changes meaning
/// or goes away (new fields may appear at any time).
pub const JSON_VERSION: u32 = 1;
/// External links: how many are fetched at once, how long each may take (all its
/// requests together), and how long the whole external check may take.
const EXTERNAL_WORKERS: usize = 4;
const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);
const EXTERNAL_BUDGET: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// Collecting facts while the site renders

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
    ctas: HashMap<String, PageScan>,
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
}

/// Everything a [`Collector`] saw.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every file written or copied, relative to the output.
    pub files: HashSet<String>,
    /// HTML pages by file (`articles/x/index.html`).
    pub pages: HashMap<String, PageScan>,
    /// Documents by source file.
    pub docs: HashMap<PathBuf, DocFacts>,
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
            ctas: HashMap::new(),
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
            .ctas
            .keys()
            .filter_map(|id| Some((id.clone(), scan_html(&site.templates.cta(id)?.1))))
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
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        if path.ends_with(".html") {
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

    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        lock(&self.files).push(path.to_string());
        match self.inner {
            Some(inner) => inner.copy(path, source),
            None => Ok(()),
        }
    }

    fn write_page(&self, path: &str, bytes: Vec<u8>, body: &Body) -> Result<()> {
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

    fn document(&self, doc: &Document, body: &Body) {
        let facts = facts_of(doc, body, self.audit);
        lock(&self.docs).push((doc.file.clone(), facts));
        if let Some(inner) = self.inner {
            inner.document(doc, body);
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn facts_of(doc: &Document, body: &Body, audit: bool) -> DocFacts {
    let mut facts = DocFacts {
        links: body.links.clone(),
        headings: body.headings.clone(),
        ..DocFacts::default()
    };
    // Only the author's raw HTML (or a shortcode's) can hold what Markdown links do not.
    if body.opaque || audit {
        let scan = scan_html(&body.html);
        let written: HashSet<&str> = body.links.iter().map(|l| l.href.as_str()).collect();
        let scripted: Vec<String> = scan
            .links
            .into_iter()
            .filter(|href| script_scheme(href).is_some() && !written.contains(href.as_str()))
            .collect();
        if !scripted.is_empty() {
            // The author's raw HTML is in the Markdown as written; what is not came from a
            // call-to-action or shortcode template (checked where it is written).
            let raw: HashSet<String> = scan_html(doc.body()).links.into_iter().collect();
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
    fn facts<'c>(&'c self, site: &Site, doc: &Document, audit: bool) -> Option<Cow<'c, DocFacts>> {
        match self.docs.get(&doc.file) {
            Some(facts) => Some(Cow::Borrowed(facts)),
            None => site
                .body(doc)
                .ok()
                .map(|body| Cow::Owned(facts_of(doc, &body, audit))),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The render build uses

/// Renders the site into `sink` with the link and secret checks: any error fails the
/// render (so the caller publishes nothing); warnings come back beside the stats.
pub fn render_checked(
    site: &Site,
    sink: &dyn Sink,
) -> std::result::Result<(Stats, Vec<Diagnostic>), Vec<Diagnostic>> {
    let docs: Vec<&Document> = site.articles.iter().chain(&site.pages).collect();
    let secrets = crate::secrets::scan(&site.root, &docs);
    if !secrets.is_empty() {
        return Err(secrets);
    }
    let collector = Collector::new(Some(sink)).skimming(site);
    let stats = site.render(&collector)?;
    let collected = collector.finish();
    let findings = links(site, &collected, false);
    // Hundreds of thousands of small strings: freeing them is not worth waiting for.
    std::thread::spawn(move || drop(collected));
    if findings.iter().any(Diagnostic::is_error) {
        return Err(findings);
    }
    Ok((stats, findings))
}

// ---------------------------------------------------------------------------------------
// brief check

/// What `brief check` found.
#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Diagnostic>,
    /// Source files looked at: site.toml, templates, content and assets.
    pub files: usize,
    /// Pages rendered (0 when the site could not be rendered).
    pub pages: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Loads and renders the site with drafts and scheduled articles, writing nothing, and
/// reports every finding.
pub fn run(root: &Path, today: Option<NaiveDate>, external_links: bool) -> Report {
    let options = Options {
        drafts: true,
        future: true,
        today,
        ..Options::default()
    };
    let files = count_files(root);
    let site = match Site::load(root, options) {
        Ok(site) => site,
        Err(mut errors) => {
            errors.extend(crate::secrets::scan(root, &[]));
            return Report {
                findings: sorted(errors),
                files,
                pages: 0,
            };
        }
    };
    let docs: Vec<&Document> = site.articles.iter().chain(&site.pages).collect();
    let mut findings = site.warnings.clone();
    findings.extend(crate::secrets::scan(root, &docs));
    let collector = Collector::new(None).auditing();
    let rendered = site.render(&collector);
    let collected = collector.finish();
    let pages = collected.pages.len();
    match rendered {
        Ok(_) => {
            findings.extend(links(&site, &collected, true));
            if external_links {
                findings.extend(external(&site, &collected));
            }
        }
        Err(errors) => findings.extend(errors),
    }
    findings.extend(content(&site, &collected));
    Report {
        findings: sorted(findings),
        files,
        pages,
    }
}

fn count_files(root: &Path) -> usize {
    let in_dir = |dir: &str| {
        walkdir::WalkDir::new(root.join(dir))
            .follow_links(true)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .count()
    };
    usize::from(root.join(config::FILE).is_file())
        + in_dir(discover::DIR)
        + in_dir(crate::render::DIR)
        + in_dir(ASSETS)
}

// ---------------------------------------------------------------------------------------
// Links

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    /// Not something brief can or should check (`mailto:`, `data:`, an empty `#`).
    Skip,
    /// To another site.
    External(String),
    /// An id on the same page.
    Local(String),
    /// A file of this site (relative to the output) and maybe an id in it.
    Site {
        file: String,
        fragment: Option<String>,
    },
    /// Root-relative but outside the base path, or above the site's root.
    Outside,
}

/// Resolves `href` found on the page `dir` (a folder of the output: `articles/x/`).
/// `base_path` is `Some` for links in rendered HTML (which carry the base path) and
/// `None` for links as written in Markdown (root-relative to the site).
fn resolve(href: &str, dir: &str, base_path: Option<&str>, base_url: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Skip;
    }
    if let Some(fragment) = href.strip_prefix('#') {
        let fragment = percent_decode(fragment);
        return if fragment.is_empty() {
            Target::Skip
        } else {
            Target::Local(fragment.into_owned())
        };
    }
    let (path, from_root) = if let Some(rest) = href.strip_prefix(base_url) {
        (rest, true)
    } else if href.starts_with("//") {
        return Target::External(format!("https:{href}"));
    } else if has_scheme(href) {
        let lower = href.to_ascii_lowercase();
        return if lower.starts_with("http://") || lower.starts_with("https://") {
            Target::External(href.to_string())
        } else {
            Target::Skip
        };
    } else if let Some(rest) = href.strip_prefix('/') {
        match base_path {
            None => (rest, true),
            Some(base) => match href.strip_prefix(base) {
                Some(rest) => (rest, true),
                None if href.split(['?', '#']).next() == Some(base.trim_end_matches('/')) => {
                    ("", true)
                }
                None => return Target::Outside,
            },
        }
    } else {
        (href, false)
    };
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (
            p,
            Some(percent_decode(f).into_owned()).filter(|f| !f.is_empty()),
        ),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let joined = if from_root {
        path.to_string()
    } else {
        format!("{dir}{path}")
    };
    let Some(mut file) = normalise(&percent_decode(&joined)) else {
        return Target::Outside;
    };
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    Target::Site { file, fragment }
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Removes `.` and `..` segments; `None` when the path climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    parts.push("");
                }
            }
            ".." => {
                parts.pop()?;
                if i == last {
                    parts.push("");
                }
            }
            "" if i != last => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folder of an output file: `articles/x/index.html` → `articles/x/`.
fn dir_of(file: &str) -> &str {
    match file.rfind('/') {
        Some(i) => &file[..=i],
        None => "",
    }
}

/// Where in the templates a broken link is written: (file, line, href).
type Place = (String, Option<usize>, String);
/// A broken link from a template, and the pages that show it.
type LinkGroup = (Broken, Target, Vec<String>);

/// Why a link fails, if it does.
#[derive(Debug, PartialEq, Eq)]
enum Broken {
    NoFile,
    NoId {
        file: String,
        id: String,
        /// A `#fragment` alone, on the page itself.
        local: bool,
    },
    Unpublished {
        file: String,
        why: String,
    },
    Outside,
}

struct LinkIndex<'s> {
    collected: &'s Collected,
    /// Alias redirects: their pages have no ids worth checking.
    aliases: HashSet<String>,
    /// Output files of drafts and scheduled articles, with why they are not published.
    unpublished: HashMap<String, String>,
    /// The ids of pages with many of them, as sets: a page of 20,000 headings and as many
    /// links to them must not cost 20,000 × 20,000 comparisons.
    id_sets: HashMap<&'s str, HashSet<&'s str>>,
}

impl LinkIndex<'_> {
    /// Checks a link that resolved to `target` on page `page` (its output file).
    fn check(&self, target: &Target, page: &str, to_unpublished: bool) -> Option<Broken> {
        match target {
            Target::Skip | Target::External(_) => None,
            Target::Outside => Some(Broken::Outside),
            Target::Local(id) => {
                let scan = self.collected.pages.get(page)?;
                (!self.has_id(page, scan, id)).then(|| Broken::NoId {
                    file: page.to_string(),
                    id: id.clone(),
                    local: true,
                })
            }
            Target::Site { file, fragment } => {
                let file = if self.collected.files.contains(file) {
                    file.clone()
                } else {
                    let index = format!("{file}/index.html");
                    if self.collected.files.contains(&index) {
                        index
                    } else {
                        return Some(Broken::NoFile);
                    }
                };
                if to_unpublished {
                    if let Some(why) = self.unpublished.get(&file) {
                        return Some(Broken::Unpublished {
                            file,
                            why: why.clone(),
                        });
                    }
                }
                let id = fragment.as_ref()?;
                if self.aliases.contains(&file) {
                    return None;
                }
                let scan = self.collected.pages.get(&file)?;
                (!self.has_id(&file, scan, id)).then(|| Broken::NoId {
                    file,
                    id: id.clone(),
                    local: false,
                })
            }
        }
    }

    fn has_id(&self, page: &str, scan: &PageScan, id: &str) -> bool {
        // Browsers scroll to the top for `#top` when no element has that id.
        id.eq_ignore_ascii_case("top")
            || match self.id_sets.get(page) {
                Some(ids) => ids.contains(id),
                None => scan.ids.iter().any(|i| i == id),
            }
    }
}

/// Pages with more ids than this get a set of them for look-ups.
const MANY_IDS: usize = 64;

/// Checks every internal link and anchor of a rendered site. With `publication`, the site
/// was loaded with drafts and scheduled articles (as `check` does), and links from
/// published pages to those are errors, since the real build leaves them out.
pub fn links(site: &Site, collected: &Collected, publication: bool) -> Vec<Diagnostic> {
    let config = &site.config;
    let docs: Vec<&Document> = site.articles.iter().chain(&site.pages).collect();
    let page_file = |doc: &Document| format!("{}index.html", doc.path());
    let by_page: HashMap<String, &Document> = docs.iter().map(|d| (page_file(d), *d)).collect();
    let unpublished: HashMap<String, String> = if publication {
        docs.iter()
            .filter_map(|d| unpublished_why(site, d).map(|why| (page_file(d), why)))
            .collect()
    } else {
        HashMap::new()
    };
    let index = LinkIndex {
        collected,
        aliases: docs
            .iter()
            .flat_map(|d| d.front.aliases.iter().map(|a| alias_file(a)))
            .collect(),
        unpublished,
        id_sets: collected
            .pages
            .par_iter()
            .filter(|(_, scan)| scan.ids.len() > MANY_IDS)
            .map(|(page, scan)| (page.as_str(), scan.ids.iter().map(String::as_str).collect()))
            .collect(),
    };
    let mut page_files: Vec<&str> = collected
        .pages
        .keys()
        .map(String::as_str)
        .filter(|p| !index.aliases.contains(*p))
        .collect();
    page_files.sort_unstable();
    let hints = Hints::new(site, collected, &by_page, &page_files);
    let mut findings = Vec::new();

    // Markdown links, at the line the author wrote them. What each page's Markdown links
    // to is kept, so that the scan of the rendered page below does not report them again.
    let mut explained: HashMap<String, HashSet<Target>> = HashMap::new();
    let per_doc: Vec<(String, HashSet<Target>, Vec<Diagnostic>)> = docs
        .par_iter()
        .filter_map(|doc| {
            let facts = collected.facts(site, doc, false)?;
            let page = page_file(doc);
            let dir = doc.path();
            let from_published = !index.unpublished.contains_key(&page);
            let mut targets = HashSet::new();
            let mut found = Vec::new();
            for link in &facts.links {
                if let Some(what) = script_scheme(&link.href) {
                    found.push(
                        script_link(&link.href, what)
                            .in_file(&doc.file)
                            .on_line(link.line),
                    );
                    continue;
                }
                let target = resolve(&link.href, &dir, None, &config.base_url);
                if let Some(broken) = index.check(&target, &page, from_published) {
                    found.push(broken_link(&hints, doc, link, &target, &broken));
                }
                targets.insert(target);
            }
            let mut body = BodySearch::new(doc);
            for href in &facts.scripted {
                if let Some(what) = script_scheme(href) {
                    found.push(
                        script_link(href, what)
                            .in_file(&doc.file)
                            .on_line_opt(body.line_of(href)),
                    );
                }
            }
            Some((page, targets, found))
        })
        .collect();
    for (page, targets, found) in per_doc {
        explained.insert(page, targets);
        findings.extend(found);
    }

    // Calls-to-action come from site.toml: check each once, there.
    let mut cta_links: HashSet<String> = HashSet::new();
    let toml_text = std::fs::read_to_string(site.root.join(config::FILE)).unwrap_or_default();
    for id in config.ctas.keys() {
        let Some((view, html)) = site.templates.cta(id) else {
            continue;
        };
        let in_config: Vec<String> = std::iter::once(view.href.clone())
            .chain(scan_html(&view.body).links)
            .collect();
        for (n, href) in in_config.iter().enumerate() {
            if let Some(what) = script_scheme(href) {
                let key = if n == 0 { "href" } else { "body" };
                findings.push(
                    Diagnostic::error(format!(
                        "the call-to-action `{id}` links to `{href}`, which would run code in the reader's browser ({what})"
                    ))
                    .in_file(config::FILE)
                    .on_line_opt(cta_key_line(&toml_text, id, key))
                    .with_hint(SCRIPT_LINK_FIX),
                );
            }
        }
        for href in scan_html(html).links {
            let target = resolve(&href, "", Some(&config.base_path), &config.base_url);
            if matches!(target, Target::Local(_)) {
                continue;
            }
            let from_config = in_config.contains(&href);
            if from_config {
                cta_links.insert(href.clone());
            }
            if let Some(broken) = index.check(&target, "", false) {
                if from_config {
                    let line = toml_text
                        .lines()
                        .position(|l| l.trim() == format!("[cta.{id}]"))
                        .map(|i| i + 1);
                    findings.push(
                        Diagnostic::error(format!(
                            "the call-to-action `{id}` links to `{href}`, {}",
                            describe(&broken)
                        ))
                        .in_file(config::FILE)
                        .on_line_opt(line)
                        .with_hint(hints.fix_for(&target, &broken)),
                    );
                }
            }
        }
    }

    // The rendered pages: what is left unexplained came from a template.
    let mut from_templates: BTreeMap<(String, String), (Broken, Target, Vec<String>)> =
        BTreeMap::new();
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    // Resolving every link of every page is most of the work: do it on every core, and
    // keep only the broken links for the (ordered) reporting below.
    type BrokenLinks<'p> = Vec<(&'p String, Target, Broken)>;
    let broken_by_page: Vec<(&String, BrokenLinks)> = pages
        .par_iter()
        .filter(|(page, _)| !index.aliases.contains(*page))
        .map(|(page, scan)| {
            let mut seen = HashSet::new();
            let mut broken_links = Vec::new();
            for href in &scan.links {
                if !seen.insert(href.as_str()) || cta_links.contains(href) {
                    continue;
                }
                let target = resolve(
                    href,
                    dir_of(page),
                    Some(&config.base_path),
                    &config.base_url,
                );
                let Some(broken) = index.check(&target, page, false) else {
                    continue;
                };
                if explained
                    .get(*page)
                    .is_some_and(|targets| targets.contains(&target))
                {
                    continue;
                }
                broken_links.push((href, target, broken));
            }
            (*page, broken_links)
        })
        .collect();
    for (page, broken_links) in broken_by_page {
        let doc = by_page.get(page.as_str()).copied();
        let mut body = doc.map(BodySearch::new);
        for (href, target, broken) in broken_links {
            // Raw HTML in the Markdown is the author's; anything else is a template's.
            if let Some((doc, body)) = doc.zip(body.as_mut()) {
                if let Some(line) = body.line_of(href) {
                    findings.push(
                        Diagnostic::error(format!("link to `{href}` {}", describe(&broken)))
                            .in_file(&doc.file)
                            .on_line(line)
                            .with_hint(hints.fix_for(&target, &broken)),
                    );
                    continue;
                }
            }
            let template = template_of(page, doc);
            let entry = from_templates
                .entry((template.to_string(), href.clone()))
                .or_insert((broken, target, Vec::new()));
            entry.2.push(page.clone());
        }
    }
    // One finding per place in a template, however many pages show it.
    let sources = if from_templates.is_empty() {
        Vec::new()
    } else {
        template_sources(&site.root)
    };
    let mut by_place: BTreeMap<Place, LinkGroup> = BTreeMap::new();
    for ((template, href), (broken, target, pages)) in from_templates {
        let (file, line) = find_in_templates(&sources, &template, &href, &config.base_path)
            .unwrap_or_else(|| (format!("{}/{template}", crate::render::DIR), None));
        by_place
            .entry((file, line, href))
            .or_insert((broken, target, Vec::new()))
            .2
            .extend(pages);
    }
    {
        for ((file, line, href), (broken, target, mut pages)) in by_place {
            pages.sort();
            let example = format!("/{}", pages[0].trim_end_matches("index.html"));
            let on = if pages.len() == 1 {
                format!("on {example}")
            } else {
                format!("on {} pages, such as {example}", pages.len())
            };
            let message = format!("link to `{href}` {} ({on})", describe(&broken));
            let d = if broken == Broken::Outside {
                Diagnostic::warning(message).with_hint(format!(
                    "start links in templates with {{{{ site.base_path }}}} ({}), or write the full address if it is another site",
                    config.base_path
                ))
            } else {
                Diagnostic::error(message).with_hint(hints.fix_for(&target, &broken))
            };
            findings.push(d.in_file(file).on_line_opt(line));
        }
    }
    findings.extend(duplicate_ids(site, collected, &by_page));
    sorted(findings)
}

fn unpublished_why(site: &Site, doc: &Document) -> Option<String> {
    if doc.front.draft {
        Some("a draft".to_string())
    } else if doc.kind == Kind::Article && doc.date() > site.today {
        Some(format!("an article scheduled for {}", doc.date()))
    } else {
        None
    }
}

fn describe(broken: &Broken) -> String {
    match broken {
        Broken::NoFile => "points to no page or file of this site".to_string(),
        Broken::NoId { local: true, .. } => {
            "points to no heading or element on this page".to_string()
        }
        Broken::NoId { file, id, .. } => format!(
            "names `#{id}`, but /{} has no heading or element with that id",
            file.trim_end_matches("index.html")
        ),
        Broken::Unpublished { why, .. } => {
            format!("goes to {why}, which build does not publish yet, so the link would be broken")
        }
        Broken::Outside => "is outside the site's base path, so brief cannot check it".to_string(),
    }
}

/// Suggestions for broken links, from what the render collected. What they are made of is
/// worked out once per page (or once for the site) however many links need it: 20,000
/// broken links on one page must not each re-render it or compare it with every page.
struct Hints<'h> {
    site: &'h Site,
    collected: &'h Collected,
    by_page: &'h HashMap<String, &'h Document>,
    pages: &'h [&'h str],
    /// Heading ids by page file.
    ids: Mutex<HashMap<String, std::sync::Arc<Vec<String>>>>,
    /// Page names by folder: `articles` → [(`x`, `articles/x/`)].
    siblings: std::sync::OnceLock<HashMap<String, Vec<(String, &'h str)>>>,
}

/// At most this many candidates are compared with an unknown name, so that a suggestion
/// costs the same on a page of 20,000 headings as on one of 20.
const SUGGESTION_CANDIDATES: usize = 500;

impl<'h> Hints<'h> {
    fn new(
        site: &'h Site,
        collected: &'h Collected,
        by_page: &'h HashMap<String, &'h Document>,
        pages: &'h [&'h str],
    ) -> Self {
        Hints {
            site,
            collected,
            by_page,
            pages,
            ids: Mutex::default(),
            siblings: std::sync::OnceLock::new(),
        }
    }

    fn fix_for(&self, target: &Target, broken: &Broken) -> String {
        match broken {
            Broken::NoFile => {
                let Target::Site { file, .. } = target else {
                    return "fix the address".to_string();
                };
                if let Some(stem) = file.strip_suffix(".md") {
                    let slug = slug::slugify(stem.rsplit('/').next().unwrap_or(stem));
                    return format!(
                        "link to the article's address, /articles/{slug}/, not to its Markdown file"
                    );
                }
                if file.starts_with("assets/") {
                    return format!("add the file {file} to the site or correct the path");
                }
                match self.suggest(file) {
                    Some(best) => format!("did you mean /{best}?"),
                    None => {
                        "correct the address: articles are at /articles/<slug>/ and pages at /<slug>/"
                            .to_string()
                    }
                }
            }
            Broken::NoId { file, id, .. } => {
                let ids = self.heading_ids(file);
                match closest(id, candidates(id, ids.iter().map(String::as_str))) {
                    Some(best) => format!("did you mean `#{best}`?"),
                    None if ids.is_empty() => "remove the `#…` part of the link".to_string(),
                    None => format!(
                        "link to one of the page's headings, such as {}",
                        ids.iter()
                            .take(4)
                            .map(|i| format!("#{i}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            }
            Broken::Unpublished { why, .. } if why == "a draft" => {
                "publish that article (remove `draft: true`) first, or take the link out until it is"
                    .to_string()
            }
            Broken::Unpublished { .. } => {
                "take the link out until that article is published, or give it an earlier date"
                    .to_string()
            }
            Broken::Outside => "use a path on this site".to_string(),
        }
    }

    /// The page most like `file`: one in the same folder whose name is close (so that
    /// `/articles/nope/` does not suggest an unrelated article).
    fn suggest(&self, file: &str) -> Option<String> {
        let siblings = self.siblings.get_or_init(|| {
            let mut by_folder: HashMap<String, Vec<(String, &str)>> = HashMap::new();
            for page in self.pages {
                let (parent, name) = folder_and_name(page);
                if !name.is_empty() {
                    by_folder.entry(parent).or_default().push((name, page));
                }
            }
            by_folder
        });
        let (parent, name) = folder_and_name(file);
        let siblings = siblings.get(&parent)?;
        let best = closest(
            &name,
            candidates(&name, siblings.iter().map(|(n, _)| n.as_str())),
        )?;
        let page = siblings.iter().find(|(n, _)| n == best)?.1;
        Some(page.trim_end_matches("index.html").to_string())
    }

    /// Heading ids of the document published at `file`.
    fn heading_ids(&self, file: &str) -> std::sync::Arc<Vec<String>> {
        if let Some(ids) = lock(&self.ids).get(file) {
            return ids.clone();
        }
        let ids: Vec<String> = self
            .by_page
            .get(file)
            .and_then(|doc| self.collected.facts(self.site, doc, false))
            .map(|facts| facts.headings.iter().map(|h| h.id.clone()).collect())
            .unwrap_or_default();
        let ids = std::sync::Arc::new(ids);
        lock(&self.ids).insert(file.to_string(), ids.clone());
        ids
    }
}

/// The candidates worth comparing with `unknown`: those whose length alone does not rule
/// them out as a typo of it, and no more than [`SUGGESTION_CANDIDATES`].
fn candidates<'c>(
    unknown: &str,
    all: impl Iterator<Item = &'c str>,
) -> impl Iterator<Item = &'c str> {
    let length = unknown.chars().count();
    let bytes = unknown.len();
    all.filter(move |c| {
        // An edit distance is at least the difference in length, and `closest` accepts at
        // most a third of the longer name (or 2).
        let allowed = (bytes.max(c.len()) / 3).max(2);
        length.abs_diff(c.chars().count()) <= allowed
    })
    .take(SUGGESTION_CANDIDATES)
}

/// `articles/x/index.html` → (`articles`, `x`).
fn folder_and_name(file: &str) -> (String, String) {
    let path = file
        .strip_suffix("index.html")
        .unwrap_or(file)
        .trim_end_matches('/');
    match path.rsplit_once('/') {
        Some((parent, name)) => (parent.to_string(), name.to_string()),
        None => (String::new(), path.to_string()),
    }
}

fn broken_link(
    hints: &Hints,
    doc: &Document,
    link: &Link,
    target: &Target,
    broken: &Broken,
) -> Diagnostic {
    let what = if link.is_image { "image" } else { "link to" };
    let message = match (broken, link.is_image) {
        (Broken::NoFile, true) => format!("image `{}` is not a file of this site", link.href),
        _ => format!("{what} `{}` {}", link.href, describe(broken)),
    };
    Diagnostic::error(message)
        .in_file(&doc.file)
        .on_line(link.line)
        .with_hint(hints.fix_for(target, broken))
}

/// Finds where raw HTML links are written in a document's body. Links are looked for
/// from where the last one was found (they come in the order of the page), and lines are
/// counted once, so that reporting thousands of them stays linear.
struct BodySearch<'d> {
    doc: &'d Document,
    from: usize,
    /// Offsets of the newlines of the document's text, made on first use.
    newlines: Option<Vec<usize>>,
}

impl<'d> BodySearch<'d> {
    fn new(doc: &'d Document) -> Self {
        BodySearch {
            doc,
            from: 0,
            newlines: None,
        }
    }

    /// The file line where `href` is written as an attribute value in the body.
    fn line_of(&mut self, href: &str) -> Option<usize> {
        let body = self.doc.body().as_bytes();
        let needles = [
            format!("\"{href}\""),
            format!("'{href}'"),
            format!("={href}"),
        ];
        let find = |from: usize| {
            needles
                .iter()
                .find_map(|n| memchr::memmem::find(&body[from..], n.as_bytes()))
                .map(|at| from + at)
        };
        let at = find(self.from.min(body.len())).or_else(|| find(0))?;
        self.from = at + 1;
        let offset = self.doc.body_start + at + 1;
        let newlines = self
            .newlines
            .get_or_insert_with(|| memchr::memchr_iter(b'\n', self.doc.text.as_bytes()).collect());
        Some(newlines.partition_point(|&n| n < offset) + 1)
    }
}

/// What is wrong with a link that would run code, and how to fix it.
const SCRIPT_LINK_FIX: &str = "link to a page or file instead; scripts belong in templates/, where they are reviewed with the site's code";

fn script_link(href: &str, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "link to `{href}` would run code in the reader's browser ({what})"
    ))
    .with_hint(SCRIPT_LINK_FIX)
}

/// What kind of address `href` is if following it would run code: a `javascript:` or
/// `vbscript:` address, or a `data:` address holding a page. Read as browsers
/// read it: spaces and control characters before it, tabs and newlines inside it and
/// the case of the scheme do not count.
pub fn script_scheme(href: &str) -> Option<&'static str> {
    let bytes = href.as_bytes();
    memchr::memchr(b':', bytes)?;
    let mut head = String::with_capacity(40);
    for &b in bytes.iter().skip_while(|&&b| b <= b' ') {
        if head.len() == 40 {
            break;
        }
        if !matches!(b, b'\t' | b'\n' | b'\r') {
            head.push(char::from(b.to_ascii_lowercase()));
        }
    }
    if head.starts_with("javascript:") {
        return Some("a `javascript:` address");
    }
    if head.starts_with("vbscript:") {
        return Some("a `vbscript:` address");
    }
    let media = head.strip_prefix("data:")?;
    let media = media.split([';', ',']).next().unwrap_or("").trim();
    // Not `image/…`: an image cannot run scripts, and `![](data:image/png…)` is common.
    ["text/html", "application/xhtml+xml"]
        .contains(&media)
        .then_some("a `data:` address holding a page that can run scripts")
}

/// The line of `key` in the `[cta.ID]` table of site.toml, or of the table's header.
fn cta_key_line(toml: &str, id: &str, key: &str) -> Option<usize> {
    let header = format!("[cta.{id}]");
    let mut lines = toml.lines().enumerate();
    let (start, _) = lines.by_ref().find(|(_, l)| l.trim() == header)?;
    for (i, line) in lines {
        let line = line.trim_start();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(i + 1);
            }
        }
    }
    Some(start + 1)
}

/// The template that renders the page at `file`.
fn template_of(file: &str, doc: Option<&Document>) -> &'static str {
    match doc.map(|d| d.kind) {
        Some(Kind::Article) => "article.html",
        Some(Kind::Page) => "page.html",
        None if file == "404.html" => "404.html",
        None if file == "tags/index.html" => "tags.html",
        None if file.starts_with("tags/") => "tag.html",
        None => "index.html",
    }
}

/// Every template's name and text.
fn template_sources(root: &Path) -> Vec<(String, String)> {
    let dir = root.join(crate::render::DIR);
    let mut sources: Vec<(String, String)> = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    sources.sort();
    sources
}

/// The template (and line) that most likely wrote `href`: the page's own template if the
/// link's text is in it, else the first other template that has it.
fn find_in_templates(
    sources: &[(String, String)],
    page_template: &str,
    href: &str,
    base_path: &str,
) -> Option<(String, Option<usize>)> {
    let mut needles = vec![href.to_string()];
    if let Some(rest) = href.strip_prefix(base_path) {
        if rest.len() >= 2 {
            needles.push(format!("}}{rest}"));
            needles.push(format!("\"{rest}"));
            needles.push(rest.to_string());
        }
    }
    // The page's own template, then what pages usually extend and include, then the rest.
    let rank = |name: &str| {
        if name == page_template {
            0
        } else if name == "base.html" {
            1
        } else if name.starts_with("partials/") {
            2
        } else {
            3
        }
    };
    let mut ordered: Vec<&(String, String)> = sources.iter().collect();
    ordered.sort_by_key(|(name, _)| rank(name));
    for needle in &needles {
        for (name, text) in &ordered {
            if let Some(at) = text.find(needle.as_str()) {
                return Some((
                    format!("{}/{name}", crate::render::DIR),
                    Some(line_of(text, at)),
                ));
            }
        }
    }
    None
}

/// The same id twice on one page: links and the skip link go to the first only.
fn duplicate_ids(
    site: &Site,
    collected: &Collected,
    by_page: &HashMap<String, &Document>,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut from_templates: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    // Finding repeats is a pass over every id of every page: do it on every core, in page
    // order so that the report does not depend on hashing.
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let repeated: Vec<(&String, Vec<&String>)> = pages
        .par_iter()
        .filter_map(|(page, scan)| {
            let mut seen = HashSet::with_capacity(scan.ids.len());
            let mut reported = HashSet::new();
            let twice: Vec<&String> = scan
                .ids
                .iter()
                .filter(|id| !seen.insert(id.as_str()) && reported.insert(id.as_str()))
                .collect();
            (!twice.is_empty()).then_some((*page, twice))
        })
        .collect();
    for (page, ids) in repeated {
        let doc = by_page.get(page.as_str()).copied();
        // Read once per page: a page may repeat thousands of ids.
        let facts = doc.and_then(|d| collected.facts(site, d, false));
        let mut heading_lines: HashMap<&str, usize> = HashMap::new();
        for h in facts.iter().flat_map(|f| &f.headings) {
            heading_lines.entry(h.id.as_str()).or_insert(h.line);
        }
        // Ids the author wrote in raw HTML, read from the Markdown only if needed.
        let mut raw_ids: Option<HashSet<String>> = None;
        let mut body = doc.map(BodySearch::new);
        for id in ids {
            let heading = doc.zip(heading_lines.get(id.as_str()).copied());
            if heading.is_none() {
                if let Some((doc, body)) = doc.zip(body.as_mut()) {
                    let raw = raw_ids
                        .get_or_insert_with(|| scan_html(doc.body()).ids.into_iter().collect());
                    if raw.contains(id) {
                        findings.push(
                            Diagnostic::warning(format!(
                                "the id `{id}` is used more than once on its page, so links to #{id} may land elsewhere"
                            ))
                            .in_file(&doc.file)
                            .on_line_opt(body.line_of(id))
                            .with_hint("ids must be unique on a page; rename the others"),
                        );
                        continue;
                    }
                }
            }
            match heading {
                Some((doc, line)) => findings.push(
                    Diagnostic::warning(format!(
                        "the heading's id `{id}` is used twice on its page, so links to #{id} may land elsewhere"
                    ))
                    .in_file(&doc.file)
                    .on_line(line)
                    .with_hint(format!("give the heading its own id: `## Title {{#{id}-2}}`")),
                ),
                None => from_templates
                    .entry(id.clone())
                    .or_default()
                    .push(template_of(page, doc)),
            }
        }
    }
    for (id, templates) in from_templates {
        findings.push(
            Diagnostic::warning(format!(
                "the id `{id}` appears twice on {} page{}",
                templates.len(),
                if templates.len() == 1 { "" } else { "s" }
            ))
            .in_file(format!("{}/{}", crate::render::DIR, templates[0]))
            .with_hint("ids must be unique on a page; rename one of them"),
        );
    }
    findings
}

// ---------------------------------------------------------------------------------------
// A small HTML scanner: ids, links and scripts, without building a tree

/// Finds `id`, `href` and `src` attributes (and `<a name>`), skipping comments and the
/// contents of `<script>` and `<style>`.
///
/// It reads bytes and cuts only byte slices, so no input can make it slice inside a
/// character; text becomes `str` again only through `from_utf8_lossy`. Every step moves
/// forward, so it is linear in the page.
pub fn scan_html(html: &str) -> PageScan {
    let mut scan = PageScan::default();
    let bytes = html.as_bytes();
    let len = bytes.len();
    let text = |from: usize, to: usize| String::from_utf8_lossy(&bytes[from.min(to)..to]);
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + found;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are (empty) comments too.
            match memchr::memmem::find(&rest[2..], b"-->") {
                Some(end) => i = start + 2 + end + 3,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"</") || rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            match memchr::memchr(b'>', rest) {
                Some(end) => i = start + end + 1,
                None => break,
            }
            continue;
        }
        // A tag name starts with an ASCII letter; anything else is text (`a < b`, `<3`).
        if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = start
            + 1
            + rest[1..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
                .unwrap_or(rest.len() - 1);
        let name = &bytes[start + 1..name_end];
        let mut j = name_end;
        // Attributes.
        loop {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len || bytes[j] == b'>' {
                j += 1;
                break;
            }
            // A name runs to a space, `/`, `>` or `=`, but may start with `=`.
            let attr_start = j;
            j += 1;
            while j < len
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = &bytes[attr_start..j];
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < len && bytes[j] == b'=' {
                j += 1;
                while j < len && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < len && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let v_start = j + 1;
                    let v_end =
                        memchr::memchr(quote, &bytes[v_start..]).map_or(len, |p| v_start + p);
                    value = Some(text(v_start, v_end));
                    j = v_end + 1;
                } else {
                    let v_start = j;
                    while j < len && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(text(v_start, j));
                }
            }
            if let Some(value) = value {
                if attr.eq_ignore_ascii_case(b"id")
                    || (attr.eq_ignore_ascii_case(b"name") && name.eq_ignore_ascii_case(b"a"))
                {
                    scan.ids.push(decode_entities(&value).into_owned());
                } else if attr.eq_ignore_ascii_case(b"href") || attr.eq_ignore_ascii_case(b"src") {
                    scan.links.push(decode_entities(&value).into_owned());
                }
            }
            if attr.len() > 2
                && attr[..2].eq_ignore_ascii_case(b"on")
                && attr[2..].iter().all(u8::is_ascii_alphabetic)
            {
                scan.active
                    .push(String::from_utf8_lossy(attr).to_ascii_lowercase());
            }
        }
        i = j.min(len);
        for raw in ["script", "style"] {
            if name.eq_ignore_ascii_case(raw.as_bytes()) {
                if raw == "script" {
                    scan.active.push("<script>".to_string());
                }
                let close = format!("</{raw}");
                i = find_ignore_case(&bytes[i..], close.as_bytes()).map_or(len, |p| i + p);
            }
        }
    }
    scan
}

/// Where `needle` (ASCII) first appears in `haystack`, ignoring ASCII case.
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, tail) = needle.split_first()?;
    let mut from = 0;
    while let Some(p) = memchr::memchr2(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &haystack[from..],
    ) {
        let at = from + p;
        let candidate = haystack.get(at + 1..at + needle.len())?;
        if candidate.eq_ignore_ascii_case(tail) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Decodes the character references that appear in attribute values.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Names are short: look for the `;` only nearby, so that a value full of `&`
        // stays linear.
        let near = &rest.as_bytes()[..rest.len().min(12)];
        let decoded = memchr::memchr(b';', near).and_then(|end| {
            let name = rest.get(1..end)?;
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = rest.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn percent_decode(text: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy()
}

// ---------------------------------------------------------------------------------------
// Advice for authors

/// Warnings about the content itself: stale and scheduled articles, old drafts, missing
/// summaries, images without alt text, skipped heading levels, scripts in Markdown and
/// placeholders left in the text.
pub fn content(site: &Site, collected: &Collected) -> Vec<Diagnostic> {
    let docs: Vec<&Document> = site.articles.iter().chain(&site.pages).collect();
    docs.par_iter()
        .flat_map_iter(|doc| doc_warnings(site, collected, doc))
        .collect()
}

fn doc_warnings(site: &Site, collected: &Collected, doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let key_line = |key: &str| crate::frontmatter::key_line_in_file(&doc.text, key);
    let warn = |message: String, line: Option<usize>, fix: String| {
        Diagnostic::warning(message)
            .in_file(&doc.file)
            .on_line_opt(line)
            .with_hint(fix)
    };
    let today = site.today;
    if doc.kind == Kind::Article {
        let date = doc.date();
        let as_at = doc.front.current_as_at.unwrap_or(date);
        let age = (today - as_at).num_days();
        let limit = site.config.dates.review_after_days;
        if age > limit {
            out.push(warn(
                format!(
                    "current_as_at ({as_at}) is {age} days old, {} days past the review limit of {limit} days",
                    age - limit
                ),
                key_line("current_as_at"),
                format!("check the article is still right, then set `current_as_at: {today}`"),
            ));
        }
        if doc.front.summary.is_none() {
            out.push(warn(
                "the article has no summary; lists, the feed and search results will show its first paragraph instead".into(),
                key_line("summary").or_else(|| key_line("title")),
                "add `summary:` with one or two sentences saying what the reader will learn".into(),
            ));
        }
        if doc.front.draft && (today - date).num_days() > DRAFT_DAYS {
            out.push(warn(
                format!(
                    "this article has been a draft for {} days (dated {date})",
                    (today - date).num_days()
                ),
                key_line("draft"),
                "publish it (remove `draft: true` and set its date), or delete it".into(),
            ));
        }
        if date > today {
            out.push(warn(
                format!(
                    "this article is scheduled: it is dated {date}, so build leaves it out until then"
                ),
                key_line("date"),
                "nothing to do if that is intended; `brief build --future` publishes it now".into(),
            ));
        }
    }
    let Some(facts) = collected.facts(site, doc, true) else {
        return out;
    };
    for link in facts
        .links
        .iter()
        .filter(|l| l.is_image && l.text.is_empty())
    {
        out.push(warn(
            format!("the image `{}` has no alt text", link.href),
            Some(link.line),
            format!(
                "describe what it shows for people who cannot see it: `![what it shows]({})`",
                link.href
            ),
        ));
    }
    let mut previous = 1;
    for heading in &facts.headings {
        if heading.level == 1 {
            out.push(warn(
                format!(
                    "`{}` is a level-1 heading, like the page's title",
                    heading.title
                ),
                Some(heading.line),
                "start sections at level 2: `## …`".into(),
            ));
        } else if heading.level > previous + 1 {
            out.push(warn(
                format!(
                    "the heading `{}` skips from level {previous} to level {}",
                    heading.title, heading.level
                ),
                Some(heading.line),
                format!(
                    "make it level {} (`{} …`) or add the missing level above it",
                    previous + 1,
                    "#".repeat(usize::from(previous) + 1)
                ),
            ));
        }
        previous = heading.level;
    }
    let mut active: Vec<&String> = facts.active.iter().collect();
    active.dedup();
    for what in active {
        let needle = if what == "<script>" {
            "<script".to_string()
        } else {
            format!("{what}=")
        };
        let line = find_ignore_case(doc.body().as_bytes(), needle.as_bytes())
            .map(|at| line_of(&doc.text, doc.body_start + at));
        let message = if what == "<script>" {
            "raw HTML in the text has a <script> element".to_string()
        } else {
            format!("raw HTML in the text has an inline event handler (`{what}`)")
        };
        out.push(warn(
            message,
            line,
            "keep scripts in templates/, where they are reviewed with the site's code".into(),
        ));
    }
    let mut fenced = false;
    for (i, line) in doc.body().lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if !fenced && line.contains("TODO") {
            out.push(warn(
                "the text still has a TODO".into(),
                Some(doc.body_line + i),
                "finish or remove it before publishing".into(),
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// External links

/// Fetches each external link once (a few at a time, each with a time limit) and warns
/// about those that fail. Only with `brief check --external`.
pub fn external(site: &Site, collected: &Collected) -> Vec<Diagnostic> {
    let mut first_seen: BTreeMap<String, (PathBuf, Option<usize>)> = BTreeMap::new();
    for doc in site.articles.iter().chain(&site.pages) {
        let Some(facts) = collected.facts(site, doc, false) else {
            continue;
        };
        for link in &facts.links {
            if let Target::External(url) = resolve(&link.href, "", None, &site.config.base_url) {
                first_seen
                    .entry(url)
                    .or_insert_with(|| (doc.file.clone(), Some(link.line)));
            }
        }
    }
    // Links from templates (and raw HTML), reported where the template writes them.
    let by_page: HashMap<String, &Document> = site
        .articles
        .iter()
        .chain(&site.pages)
        .map(|d| (format!("{}index.html", d.path()), d))
        .collect();
    let sources = template_sources(&site.root);
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    for (page, scan) in pages {
        for href in &scan.links {
            if let Target::External(url) = resolve(
                href,
                dir_of(page),
                Some(&site.config.base_path),
                &site.config.base_url,
            ) {
                first_seen.entry(url).or_insert_with(|| {
                    let template = template_of(page, by_page.get(page.as_str()).copied());
                    match find_in_templates(&sources, template, href, &site.config.base_path) {
                        Some((file, line)) => (PathBuf::from(file), line),
                        None => (PathBuf::from(crate::render::DIR).join(template), None),
                    }
                });
            }
        }
    }
    let urls: Vec<String> = first_seen.keys().cloned().collect();
    let results = fetch_all(&urls, EXTERNAL_TIMEOUT, EXTERNAL_BUDGET);
    results
        .into_iter()
        .filter_map(|(url, fetched)| {
            let (file, line) = first_seen.get(&url)?.clone();
            let (message, hint) = match fetched {
                Fetched::Fine => return None,
                Fetched::Failed(problem) => (
                    format!("external link `{url}` {problem}"),
                    "check the address in a browser; update or remove the link if the page has gone",
                ),
                Fetched::NotChecked => (
                    format!(
                        "external link `{url}` was not checked: the external check stops after {} s",
                        EXTERNAL_BUDGET.as_secs()
                    ),
                    "run `brief check --external` again later, or check the address in a browser",
                ),
            };
            Some(
                Diagnostic::warning(message)
                    .in_file(file)
                    .on_line_opt(line)
                    .with_hint(hint),
            )
        })
        .collect()
}

/// What fetching one external link found.
#[derive(Debug, PartialEq, Eq)]
enum Fetched {
    Fine,
    /// What went wrong: `answered HTTP 404`.
    Failed(String),
    /// The whole check ran out of time first.
    NotChecked,
}

/// Fetches every URL with a small pool of threads, giving each `per_link` for all its
/// requests and the whole lot `budget`: links not reached in time are not checked.
fn fetch_all(urls: &[String], per_link: Duration, budget: Duration) -> Vec<(String, Fetched)> {
    let deadline = std::time::Instant::now() + budget;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(per_link))
        .http_status_as_error(false)
        .user_agent(concat!("brief-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = Mutex::new(urls.iter().enumerate());
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|s| {
        for _ in 0..EXTERNAL_WORKERS.min(urls.len()) {
            s.spawn(|| loop {
                let next = lock(&queue).next();
                let Some((i, url)) = next else {
                    break;
                };
                let fetched = fetch(&agent, url, per_link, deadline);
                lock(&results).push((i, url.clone(), fetched));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _, _)| *i);
    results.into_iter().map(|(_, u, f)| (u, f)).collect()
}

fn fetch(
    agent: &ureq::Agent,
    url: &str,
    per_link: Duration,
    deadline: std::time::Instant,
) -> Fetched {
    let start = std::time::Instant::now();
    let until = (start + per_link).min(deadline);
    if start >= deadline {
        return Fetched::NotChecked;
    }
    // Each request gets what is left of the link's time, so that HEAD and GET together
    // take no longer than `per_link`.
    let ask = |request: ureq::RequestBuilder<ureq::typestate::WithoutBody>| {
        let left = until.saturating_duration_since(std::time::Instant::now());
        request
            .config()
            .timeout_global(Some(left))
            .build()
            .call()
            .map(|r| r.status().as_u16())
    };
    // Some servers refuse HEAD; ask again with GET before calling the link dead, unless
    // the time is up.
    let mut result = ask(agent.head(url));
    let timed_out =
        |r: &std::result::Result<u16, ureq::Error>| matches!(r, Err(ureq::Error::Timeout(_)));
    if !timed_out(&result) && !matches!(result, Ok(code) if code < 400) {
        result = ask(agent.get(url));
    }
    match result {
        Ok(code) if code < 400 => Fetched::Fine,
        Ok(code) => Fetched::Failed(format!("answered HTTP {code}")),
        Err(ureq::Error::Timeout(_)) if until == deadline && until < start + per_link => {
            Fetched::NotChecked
        }
        Err(ureq::Error::Timeout(_)) => {
            Fetched::Failed(format!("did not answer within {} s", per_link.as_secs()))
        }
        Err(e) => Fetched::Failed(format!("could not be fetched: {e}")),
    }
}

// ---------------------------------------------------------------------------------------
// Reports

/// The report for people: findings grouped by file, then a count.
pub fn text(report: &Report, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let mut current: Option<Option<&Path>> = None;
    for d in &report.findings {
        let file = d.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            let name = file.map_or("(the site)".to_string(), |f| {
                crate::diagnostic::printable(&slashed(f)).into_owned()
            });
            out.push_str(&paint("1", &name));
            out.push('\n');
            current = Some(file);
        }
        let (code, label) = match d.severity {
            Severity::Error => ("1;31", "error"),
            Severity::Warning => ("1;33", "warning"),
        };
        let at = d.line.map_or(String::new(), |l| format!("{l}: "));
        let message = crate::diagnostic::printable(&d.message);
        out.push_str(&format!("  {at}{}: {message}\n", paint(code, label)));
        if let Some(hint) = d.hint.as_deref().map(crate::diagnostic::printable) {
            out.push_str(&format!(
                "  {}{} {hint}\n",
                " ".repeat(at.len()),
                paint("36", "fix:")
            ));
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = format!(
        "{}, {} in {} ({} checked)",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(report.files, "file"),
        plural(report.pages, "page"),
    );
    let code = if errors > 0 {
        "1;31"
    } else if warnings > 0 {
        "1;33"
    } else {
        "1;32"
    };
    out.push_str(&paint(code, &summary));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    files: usize,
    pages: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    file: Option<String>,
    line: Option<usize>,
    message: &'a str,
    fix: Option<&'a str>,
}

/// The report for editors and CI; its shape is documented in docs/check-json.md.
pub fn json(report: &Report) -> String {
    let value = JsonReport {
        version: JSON_VERSION,
        errors: report.errors(),
        warnings: report.warnings(),
        files: report.files,
        pages: report.pages,
        findings: report
            .findings
            .iter()
            .map(|d| JsonFinding {
                severity: d.severity,
                file: d.file.as_deref().map(slashed),
                line: d.line,
                message: &d.message,
                fix: d.hint.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "https://example.com/advice/";

    fn site(file: &str) -> Target {
        Target::Site {
            file: file.to_string(),
            fragment: None,
        }
    }

    #[test]
    fn resolves_links_in_markdown_and_html() {
        let md = |href| resolve(href, "articles/x/", None, BASE);
        let html = |href| resolve(href, "articles/x/", Some("/advice/"), BASE);
        assert_eq!(md("/contact/"), site("contact/index.html"));
        assert_eq!(html("/advice/contact/"), site("contact/index.html"));
        assert_eq!(html("/advice/"), site("index.html"));
        assert_eq!(html("/advice"), site("index.html"));
        assert_eq!(html("/other/"), Target::Outside);
        assert_eq!(md("../y/"), site("articles/y/index.html"));
        assert_eq!(md("../../../etc/"), Target::Outside);
        assert_eq!(md("img.png?v=2"), site("articles/x/img.png"));
        assert_eq!(
            md("https://example.com/advice/tags/a/#top"),
            Target::Site {
                file: "tags/a/index.html".into(),
                fragment: Some("top".into())
            }
        );
        assert_eq!(md("#caf%C3%A9"), Target::Local("café".into()));
        assert_eq!(md("#"), Target::Skip);
        assert_eq!(md("mailto:a@b.c"), Target::Skip);
        assert_eq!(
            md("https://rust-lang.org"),
            Target::External("https://rust-lang.org".into())
        );
        assert_eq!(
            md("//cdn.example/x.js"),
            Target::External("https://cdn.example/x.js".into())
        );
    }

    #[test]
    fn scans_ids_links_and_scripts() {
        let html = r#"<!doctype html><html><head><link rel="stylesheet" href="/a.css">
<script type="application/ld+json">{"url": "<a href='/nope/'>"}</script>
<!-- <a href="/commented/"> --></head>
<body><h2 id="why-it-matters">Why</h2><a name=old href=/x/?a=1&amp;b=2>x</a>
<img src='/i.png' alt="">< not a tag <a href="&#x2F;slash&#x2F;" onclick="go()">y</a></body>"#;
        let scan = scan_html(html);
        assert_eq!(scan.ids, vec!["why-it-matters", "old"]);
        assert_eq!(
            scan.links,
            vec!["/a.css", "/x/?a=1&b=2", "/i.png", "/slash/"]
        );
        assert_eq!(scan.active, vec!["<script>", "onclick"]);
    }

    #[test]
    fn tricky_html_is_scanned_without_cutting_characters() {
        // Each of these once sliced inside a character or read past a tag.
        let scan = scan_html("<div dé=\"1\" id=a>");
        assert_eq!(scan.ids, ["a"]);
        let scan = scan_html("<div =\"x\"é id=b>");
        assert_eq!(scan.ids, ["b"]);
        assert!(scan_html("<p onclické=go()>").active.is_empty());
        assert_eq!(scan_html("<p onClick=go()>").active, ["onclick"]);
        assert_eq!(scan_html("<a href='café/ü'>").links, ["café/ü"]);
        assert_eq!(scan_html("<a href=é>").links, ["é"]);
        assert_eq!(scan_html("<a id=\"é").ids, ["é"]);
        assert_eq!(scan_html("<a href=\"x\"").links, ["x"]);
        assert_eq!(scan_html("<é id=x> <3 id=y> <!--> <a id=z>").ids, ["z"]);
        assert_eq!(scan_html("<!---> <a id=z>").ids, ["z"]);
        assert!(scan_html("<!-- <a id=x>").ids.is_empty());
        assert!(scan_html("<script>é<a id=x></SCRIPT é><a id=y>").ids == ["y"]);
        assert!(scan_html("<style>").ids.is_empty());
        assert_eq!(scan_html("<a").ids.len(), 0);
        assert_eq!(scan_html("<a id").ids.len(), 0);
        assert_eq!(scan_html("<a id=").ids, [""]);
        assert_eq!(scan_html("<a id=\u{a0}é>").ids, ["\u{a0}é"]);
    }

    /// Bytes that look like HTML: tags, quotes, entities and multi-byte characters.
    fn html_ish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<".to_string()),
            Just(">".to_string()),
            Just("</".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<!".to_string()),
            Just("<?".to_string()),
            Just("<a ".to_string()),
            Just("<script>".to_string()),
            Just("</script".to_string()),
            Just("<style ".to_string()),
            Just("id=".to_string()),
            Just(" href=".to_string()),
            Just("src".to_string()),
            Just("name=".to_string()),
            Just("onclick".to_string()),
            Just("=".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("/".to_string()),
            Just(" ".to_string()),
            Just("&".to_string()),
            Just("&amp;".to_string()),
            Just("&#x".to_string()),
            Just("&#1114112;".to_string()),
            Just(";".to_string()),
            Just("%".to_string()),
            Just("%C3".to_string()),
            Just("é".to_string()),
            Just("ü".to_string()),
            Just("\u{a0}".to_string()),
            Just("€".to_string()),
            Just("😀".to_string()),
            "[a-z]{1,3}".prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    fn scan_everything(text: &str) {
        let scan = scan_html(text);
        for link in scan.links.iter().chain(&scan.ids) {
            let _ = resolve(link, "articles/x/", Some("/advice/"), BASE);
            let _ = resolve(link, "articles/x/", None, BASE);
            let _ = script_scheme(link);
        }
        let _ = decode_entities(text);
        let _ = percent_decode(text);
        let _ = find_ignore_case(text.as_bytes(), b"</script");
        let _ = script_scheme(text);
    }

    proptest! {
        #[test]
        fn the_scanner_never_panics_on_html_ish_text(text in html_ish()) {
            scan_everything(&text);
        }

        #[test]
        fn the_scanner_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            scan_everything(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn script_schemes_are_read_as_browsers_read_them() {
        for href in [
            "javascript:alert(1)",
            "JavaScript:void(0)",
            " \u{1}java\tscript:x",
            "java\nscript:x",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
            "DATA: text/html,<script>",
            "data:application/xhtml+xml,x",
        ] {
            assert!(script_scheme(href).is_some(), "{href:?}");
        }
        for href in [
            "/javascript:/",
            "https://example.com/?javascript:x",
            "data:image/png;base64,iVBORw0KGgo=",
            "data:image/svg+xml,<svg/>",
            "mailto:a@b.c",
            "#javascript:",
            "javascript",
            "",
        ] {
            assert!(script_scheme(href).is_none(), "{href:?}");
        }
    }

    #[test]
    fn finds_the_line_of_a_call_to_action_key() {
        let toml = "title='t'\n[cta.a]\nhref = '/'\n\n[cta.b]\ntitle='x'\nhref='y'\nbody = 'z'\n[extra]\nhref='no'\n";
        assert_eq!(cta_key_line(toml, "a", "href"), Some(3));
        assert_eq!(cta_key_line(toml, "b", "href"), Some(7));
        assert_eq!(cta_key_line(toml, "b", "body"), Some(8));
        assert_eq!(
            cta_key_line(toml, "a", "body"),
            Some(2),
            "the table, failing the key"
        );
        assert_eq!(cta_key_line(toml, "c", "href"), None);
    }

    #[test]
    fn suggestion_candidates_skip_names_of_a_hopeless_length() {
        let names = ["what-changed", "a", "what-changed-in-the-whole-of-2026"];
        let kept: Vec<&str> = candidates("whta-changed", names.into_iter()).collect();
        assert_eq!(kept, ["what-changed"]);
        let many: Vec<String> = (0..2 * SUGGESTION_CANDIDATES)
            .map(|n| format!("x{n}"))
            .collect();
        assert_eq!(
            candidates("x1", many.iter().map(String::as_str)).count(),
            SUGGESTION_CANDIDATES
        );
    }

    #[test]
    fn the_external_check_stops_when_its_time_is_up() {
        // A server that accepts connections and never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let _held = std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().take(EXTERNAL_WORKERS * 2).collect();
            std::thread::sleep(Duration::from_secs(30));
            drop(held);
        });
        let urls: Vec<String> = (0..EXTERNAL_WORKERS * 2)
            .map(|n| format!("{address}/{n}"))
            .collect();
        let results = fetch_all(&urls, Duration::from_secs(20), Duration::from_millis(300));
        assert_eq!(results.len(), urls.len());
        for (url, fetched) in results {
            assert_eq!(fetched, Fetched::NotChecked, "{url}");
        }
        // The per-link limit, when it comes first, is reported as such.
        let results = fetch_all(
            &urls[..1],
            Duration::from_millis(300),
            Duration::from_secs(20),
        );
        assert_eq!(
            results[0].1,
            Fetched::Failed("did not answer within 0 s".into())
        );
    }

    #[test]
    fn entities_and_percent_escapes() {
        assert_eq!(decode_entities("a&amp;b&#39;c&#x2F;&bogus"), "a&b'c/&bogus");
        assert_eq!(decode_entities("&é;&#xé;&&amp;"), "&é;&#xé;&&");
        assert_eq!(decode_entities(&"&".repeat(100_000)).len(), 100_000);
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
        assert_eq!(normalise("a/./b/../c/"), Some("a/c/".into()));
        assert_eq!(normalise("a/.."), Some("".into()));
    }
}
