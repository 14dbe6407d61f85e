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
use crate::frontmatter::{find_key_line, Kind};
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
/// External links: how many are fetched at once, and how long each may take.
const EXTERNAL_WORKERS: usize = 4;
const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);

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
        let facts = facts_of(body, self.audit);
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

fn facts_of(body: &Body, audit: bool) -> DocFacts {
    DocFacts {
        links: body.links.clone(),
        headings: body.headings.clone(),
        active: if audit {
            scan_html(&body.html).active
        } else {
            Vec::new()
        },
    }
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
                .map(|body| Cow::Owned(facts_of(&body, audit))),
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
}

impl LinkIndex<'_> {
    /// Checks a link that resolved to `target` on page `page` (its output file).
    fn check(&self, target: &Target, page: &str, to_unpublished: bool) -> Option<Broken> {
        match target {
            Target::Skip | Target::External(_) => None,
            Target::Outside => Some(Broken::Outside),
            Target::Local(id) => {
                let scan = self.collected.pages.get(page)?;
                (!has_id(scan, id)).then(|| Broken::NoId {
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
                (!has_id(scan, id)).then(|| Broken::NoId {
                    file,
                    id: id.clone(),
                    local: false,
                })
            }
        }
    }
}

fn has_id(scan: &PageScan, id: &str) -> bool {
    // Browsers scroll to the top for `#top` when no element has that id.
    id.eq_ignore_ascii_case("top") || scan.ids.iter().any(|i| i == id)
}

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
    };
    let mut page_files: Vec<&str> = collected
        .pages
        .keys()
        .map(String::as_str)
        .filter(|p| !index.aliases.contains(*p))
        .collect();
    page_files.sort_unstable();
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
                let target = resolve(&link.href, &dir, None, &config.base_url);
                if let Some(broken) = index.check(&target, &page, from_published) {
                    found.push(broken_link(site, doc, link, &target, &broken, &page_files));
                }
                targets.insert(target);
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
                        .with_hint(fix_for(
                            site,
                            &page_files,
                            &target,
                            &broken,
                        )),
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
        for (href, target, broken) in broken_links {
            // Raw HTML in the Markdown is the author's; anything else is a template's.
            if let Some(doc) = doc {
                if let Some(offset) = find_in_body(doc, href) {
                    findings.push(
                        Diagnostic::error(format!("link to `{href}` {}", describe(&broken)))
                            .in_file(&doc.file)
                            .on_line(line_of(&doc.text, offset))
                            .with_hint(fix_for(site, &page_files, &target, &broken)),
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
                Diagnostic::error(message).with_hint(fix_for(site, &page_files, &target, &broken))
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

fn fix_for(site: &Site, pages: &[&str], target: &Target, broken: &Broken) -> String {
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
            match suggest(file, pages) {
                Some(best) => format!("did you mean /{best}?"),
                None => {
                    "correct the address: articles are at /articles/<slug>/ and pages at /<slug>/"
                        .to_string()
                }
            }
        }
        Broken::NoId { file, id, .. } => {
            let ids = site_ids(site, file);
            match closest(id, ids.iter().map(String::as_str)) {
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

/// The page most like `file` among `pages`: one in the same folder whose name is
/// close (so that `/articles/nope/` does not suggest an unrelated article).
fn suggest(file: &str, pages: &[&str]) -> Option<String> {
    let split = |f: &str| -> (String, String) {
        let path = f
            .strip_suffix("index.html")
            .unwrap_or(f)
            .trim_end_matches('/');
        match path.rsplit_once('/') {
            Some((parent, name)) => (parent.to_string(), name.to_string()),
            None => (String::new(), path.to_string()),
        }
    };
    let (parent, name) = split(file);
    let siblings: Vec<(String, &str)> = pages
        .iter()
        .filter_map(|p| {
            let (p_parent, p_name) = split(p);
            (p_parent == parent && !p_name.is_empty()).then_some((p_name, *p))
        })
        .collect();
    let best = closest(&name, siblings.iter().map(|(n, _)| n.as_str()))?;
    let page = siblings.iter().find(|(n, _)| n == best)?.1;
    Some(page.trim_end_matches("index.html").to_string())
}

/// Heading ids of the document published at `file`, for suggestions.
fn site_ids(site: &Site, file: &str) -> Vec<String> {
    site.articles
        .iter()
        .chain(&site.pages)
        .find(|d| format!("{}index.html", d.path()) == file)
        .and_then(|doc| site.body(doc).ok())
        .map(|body| body.headings.into_iter().map(|h| h.id).collect())
        .unwrap_or_default()
}

fn broken_link(
    site: &Site,
    doc: &Document,
    link: &Link,
    target: &Target,
    broken: &Broken,
    pages: &[&str],
) -> Diagnostic {
    let what = if link.is_image { "image" } else { "link to" };
    let message = match (broken, link.is_image) {
        (Broken::NoFile, true) => format!("image `{}` is not a file of this site", link.href),
        _ => format!("{what} `{}` {}", link.href, describe(broken)),
    };
    Diagnostic::error(message)
        .in_file(&doc.file)
        .on_line(link.line)
        .with_hint(fix_for(site, pages, target, broken))
}

/// Where `href` appears in a document's body (for raw HTML), as an offset in its text.
fn find_in_body(doc: &Document, href: &str) -> Option<usize> {
    let body = doc.body();
    let at = body
        .find(&format!("\"{href}\""))
        .or_else(|| body.find(&format!("'{href}'")))
        .or_else(|| body.find(&format!("={href}")))
        .map(|i| i + 1)?;
    Some(doc.body_start + at)
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
            let twice: Vec<&String> = scan
                .ids
                .iter()
                .filter(|id| !seen.insert(id.as_str()))
                .collect();
            (!twice.is_empty()).then_some((*page, twice))
        })
        .collect();
    for (page, ids) in repeated {
        for id in ids {
            let doc = by_page.get(page.as_str()).copied();
            let heading = doc.and_then(|d| {
                let facts = collected.facts(site, d, false)?;
                let h = facts.headings.iter().find(|h| &h.id == id)?;
                Some((d, h.line))
            });
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
pub fn scan_html(html: &str) -> PageScan {
    let mut scan = PageScan::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = match rest.find("-->") {
                Some(end) => start + end + 3,
                None => break,
            };
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            i = match rest.find('>') {
                Some(end) => start + end + 1,
                None => break,
            };
            continue;
        }
        let name_end = rest.as_bytes()[1..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
            .map_or(rest.len(), |n| n + 1);
        if name_end == 1 {
            i = start + 1;
            continue;
        }
        let name = &rest[1..name_end];
        let mut j = start + name_end;
        // Attributes.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                j += 1;
                break;
            }
            let attr_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = &html[attr_start..j];
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let v_start = j + 1;
                    let v_end = bytes[v_start..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(bytes.len(), |p| v_start + p);
                    value = Some(&html[v_start..v_end]);
                    j = (v_end + 1).min(bytes.len());
                } else {
                    let v_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(&html[v_start..j]);
                }
            }
            if attr.is_empty() {
                j += 1;
                continue;
            }
            if let Some(value) = value {
                if attr.eq_ignore_ascii_case("id")
                    || (attr.eq_ignore_ascii_case("name") && name.eq_ignore_ascii_case("a"))
                {
                    scan.ids.push(decode_entities(value).into_owned());
                } else if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
                    scan.links.push(decode_entities(value).into_owned());
                }
            }
            if attr.len() > 2
                && attr[..2].eq_ignore_ascii_case("on")
                && attr[2..].bytes().all(|b| b.is_ascii_alphabetic())
            {
                scan.active.push(attr.to_ascii_lowercase());
            }
        }
        i = j.min(html.len());
        for raw in ["script", "style"] {
            if name.eq_ignore_ascii_case(raw) {
                if raw == "script" {
                    scan.active.push("<script>".to_string());
                }
                let close = format!("</{raw}");
                i = find_ignore_case(&html[i..], &close).map_or(html.len(), |p| i + p);
            }
        }
    }
    scan
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
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
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
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
                rest = &rest[end + 1..];
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
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
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
    let key_line = |key: &str| find_key_line(&doc.text, key);
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
        let line =
            find_ignore_case(doc.body(), &needle).map(|at| line_of(&doc.text, doc.body_start + at));
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
    let results = fetch_all(&urls);
    results
        .into_iter()
        .filter_map(|(url, problem)| {
            let problem = problem?;
            let (file, line) = first_seen.get(&url)?.clone();
            Some(
                Diagnostic::warning(format!("external link `{url}` {problem}"))
                    .in_file(file)
                    .on_line_opt(line)
                    .with_hint("check the address in a browser; update or remove the link if the page has gone"),
            )
        })
        .collect()
}

/// Fetches every URL with a small pool of threads: (url, what went wrong).
fn fetch_all(urls: &[String]) -> Vec<(String, Option<String>)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(EXTERNAL_TIMEOUT))
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
                let problem = fetch(&agent, url);
                lock(&results).push((i, url.clone(), problem));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _, _)| *i);
    results.into_iter().map(|(_, u, p)| (u, p)).collect()
}

fn fetch(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = |response: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        response.map(|r| r.status().as_u16())
    };
    // Some servers refuse HEAD; ask again with GET before calling the link dead.
    let mut result = status(agent.head(url).call());
    if matches!(result, Ok(code) if code >= 400) || result.is_err() {
        result = status(agent.get(url).call());
    }
    match result {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("answered HTTP {code}")),
        Err(e) => Some(format!("could not be fetched: {e}")),
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
            let name = file.map_or("(the site)".to_string(), slashed);
            out.push_str(&paint("1", &name));
            out.push('\n');
            current = Some(file);
        }
        let (code, label) = match d.severity {
            Severity::Error => ("1;31", "error"),
            Severity::Warning => ("1;33", "warning"),
        };
        let at = d.line.map_or(String::new(), |l| format!("{l}: "));
        out.push_str(&format!("  {at}{}: {}\n", paint(code, label), d.message));
        if let Some(hint) = &d.hint {
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
    fn entities_and_percent_escapes() {
        assert_eq!(decode_entities("a&amp;b&#39;c&#x2F;&bogus"), "a&b'c/&bogus");
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
        assert_eq!(normalise("a/./b/../c/"), Some("a/c/".into()));
        assert_eq!(normalise("a/.."), Some("".into()));
    }
}
