//! The orchestrator: [`Site::load`] reads and checks everything; [`Site::plan`] lists every
//! output with the job that renders it; [`Site::render`] renders the whole plan into a
//! [`Sink`] (the output folder for `build`, nothing for `check`). `serve` renders the same
//! plan's outputs one at a time, as they change and as they are asked for.

mod addresses;
mod listing;
pub mod plan;
pub mod review;
mod sink;
pub mod views;

pub use plan::{alias_file, article_order, Job, Key, ListPage, Output, Plan, Publication};
pub use sink::{Sink, Stats};
pub use views::{Body, Entry, TagRef};

use crate::config::Config;
use crate::content::{self, Source};
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::frontmatter::{self, FrontMatter, Kind};
use crate::images::{self, Catalogue};
use crate::render::Templates;
use crate::secrets;
use crate::section::{self, Section};
use crate::theme::{self, AssetFile};
use chrono::{Datelike, NaiveDate};
use plan::FEED_LENGTH;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// One Markdown file, read and with its front matter checked. Its text is not kept: it is
/// read again when its body is rendered ([`Site::source`]), so that a site in memory costs
/// what its front matter does, not what its Markdown does.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: PathBuf,
    pub kind: Kind,
    pub front: FrontMatter,
    pub slug: String,
    /// A hash of the file's text as it was read.
    pub fingerprint: Key,
    /// The secrets found in its text when it was read ([`secrets::in_text`]).
    pub secrets: Vec<Diagnostic>,
    /// Its text, kept by `serve` once a browser has shown its page ([`Document::keep`]), so
    /// that the page still renders as it was after its file is saved broken.
    kept: OnceLock<Arc<str>>,
    /// The calls-to-action the body's `cta(…)` shortcodes may place ([`plan::shortcode_ctas`]).
    pub cta_ids: Vec<String>,
    /// The output file of its page, made from its kind and slug when it is read.
    output: String,
    /// Its output file as case-insensitive, normalising file systems store it
    /// (lower case, NFC), to find addresses that differ only so.
    pub folded: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Line in the file where the body starts.
    pub body_line: usize,
    /// The section that holds it, with the settings it inherits from there.
    pub section: Arc<Section>,
    /// For a page bundle: its other files, relative to the site root, published beside it.
    pub resources: Option<Vec<PathBuf>>,
}

impl Document {
    /// The body in `text`, the document's text as [`Site::source`] gives it.
    pub fn body<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.body_start..).unwrap_or_default()
    }

    /// The site path after `base_path`: `articles/x/` or `about/`.
    pub fn path(&self) -> &str {
        self.output
            .strip_suffix("index.html")
            .unwrap_or(&self.output)
    }

    /// The output file of its page: `articles/x/index.html`.
    pub fn file_name(&self) -> &str {
        &self.output
    }

    /// Keeps `text`, which must be this document's text as read, for [`Site::source`] to
    /// fall back on.
    pub fn keep(&self, text: &str) {
        if fingerprint(text) == self.fingerprint {
            let _ = self.kept.set(Arc::from(text));
        }
    }

    /// Whether it has kept its text.
    pub fn kept(&self) -> bool {
        self.kept.get().is_some()
    }

    /// Its place in a section of pages sorted by weight (`weight:`), smallest first.
    pub fn weight(&self) -> Option<i64> {
        self.front.weight
    }

    /// Its file and the secrets found in its text when it was read, for [`crate::secrets::scan`].
    pub fn scanned(&self) -> (&Path, &[Diagnostic]) {
        (&self.file, &self.secrets)
    }

    /// The day its information was last confirmed: `current_as_at`, or else its date (a
    /// page without `current_as_at` has no stamp and sorts as oldest).
    pub fn as_at(&self) -> NaiveDate {
        self.front.current_as_at.unwrap_or_else(|| self.date())
    }

    /// The article's date (pages have none: they sort as oldest).
    pub fn date(&self) -> NaiveDate {
        self.front.date.unwrap_or(NaiveDate::MIN)
    }
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
    /// Published articles, newest first ([`article_order`]).
    pub articles: Vec<Arc<Document>>,
    /// Published pages, in the order their files were found.
    pub pages: Vec<Arc<Document>>,
    /// Every section, home (`""`) first, parents before children ([`crate::section`]).
    pub sections: Vec<Arc<Section>>,
    /// The site path of every document read, drafts and scheduled ones too, by its file
    /// (`content/articles/x.md` → `articles/x/`): where links to `.md` sources lead.
    pub source_pages: Arc<BTreeMap<String, String>>,
    /// Asset files: (path in the output, the site's file or the theme's).
    pub assets: Vec<(String, AssetFile)>,
    /// The images among the site's assets, read when the assets are listed.
    pub images: Catalogue,
    pub warnings: Vec<Diagnostic>,
    /// Articles left out: (drafts, scheduled).
    pub skipped: (usize, usize),
    /// See [`plan::fingerprint`]; kept up to date by [`Site::reload_settings`].
    pub fingerprint: Key,
}

impl Site {
    /// Reads site.toml, the templates and every Markdown file, and checks them all,
    /// reporting every problem found rather than the first.
    pub fn load(root: &Path, options: Options) -> std::result::Result<Site, Vec<Diagnostic>> {
        Site::load_planned(root, options).map(|(site, _)| site)
    }

    /// As [`Site::load`], with the plan it checked.
    pub fn load_planned(
        root: &Path,
        options: Options,
    ) -> std::result::Result<(Site, Plan), Vec<Diagnostic>> {
        let (config, templates, today) = Site::settings(root, &options).map_err(|d| vec![d])?;
        let found = content::discover(root).map_err(|d| vec![d])?;
        if !found.errors.is_empty() {
            return Err(sorted(found.errors));
        }
        let sections = read_sections(root, &found.sections, &config)?;
        let mut sources = found.sources;
        for source in &mut sources {
            source.kind = section_at(&sections, &source.section).kind;
        }
        let parsed: Vec<Result<Document, Vec<Diagnostic>>> = sources
            .par_iter()
            .map(|s| read_document(root, s, &config, today, section_at(&sections, &s.section)))
            .collect();
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            templates: Arc::new(templates),
            options,
            today,
            articles: Vec::new(),
            pages: Vec::new(),
            sections,
            source_pages: Arc::default(),
            assets: Vec::new(),
            images: Catalogue::default(),
            warnings: Vec::new(),
            skipped: (0, 0),
            fingerprint: 0,
        };
        site.fingerprint = plan::fingerprint(&site);

        let mut errors = Vec::new();
        site.source_pages = Arc::new(
            parsed
                .iter()
                .flatten()
                .map(|d| (slashed(&d.file), d.path().to_string()))
                .collect(),
        );
        for doc in parsed {
            match doc.map(|d| (site.publication(&d), d)) {
                Err(e) => errors.extend(e),
                Ok((Publication::Draft, _)) => site.skipped.0 += 1,
                Ok((Publication::Scheduled, _)) => site.skipped.1 += 1,
                Ok((_, doc)) if doc.kind == Kind::Article => site.articles.push(Arc::new(doc)),
                Ok((_, doc)) => site.pages.push(Arc::new(doc)),
            }
        }
        site.articles.sort_by(|a, b| article_order(a, b));
        if let Err(e) = site.reload_assets() {
            errors.push(e);
        }
        let plan = site.plan();
        errors.extend(site.check_documents(&plan));
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        site.warnings = sorted(found.warnings);
        Ok((site, plan))
    }

    /// site.toml, the templates made with it, and today.
    fn settings(root: &Path, options: &Options) -> Result<(Config, Templates, NaiveDate)> {
        let mut config = Config::load(root)?;
        if let Some(url) = &options.base_url {
            config.set_base_url(url)?;
        }
        let today = options.today.unwrap_or_else(|| config.today());
        let templates = Templates::new(
            theme::templates(root)?,
            &config,
            today.year(),
            options.serve,
        )?;
        Ok((config, templates, today))
    }

    /// Reads site.toml and the templates again, keeping the documents. `Ok(false)` when the
    /// documents must be read again too: the ids of the calls-to-action changed, which their
    /// front matter is checked against.
    pub fn reload_settings(&mut self) -> Result<bool> {
        let (config, templates, today) = Site::settings(&self.root, &self.options)?;
        let same_ids = config.ctas.keys().eq(self.config.ctas.keys()) && today == self.today;
        self.config = config;
        templates.images.set_catalogue(self.images.clone());
        self.templates = Arc::new(templates);
        self.today = today;
        self.fingerprint = plan::fingerprint(self);
        Ok(same_ids)
    }

    /// Renders every output of the plan into `sink`. Stops after the stage in which errors
    /// were found (documents, then what lists them), reporting all of them.
    pub fn render(&self, sink: &dyn Sink) -> std::result::Result<Stats, Vec<Diagnostic>> {
        let plan = self.plan();
        // What an earlier render's templates asked `resize_image` for is not this one's.
        self.templates.images.take_asked();
        let (documents, rest): (Vec<&Output>, Vec<&Output>) = plan
            .outputs
            .iter()
            .partition(|o| matches!(o.job, Job::Article(_) | Job::Page(_)));
        type Kept = Option<(Entry, Option<String>)>;
        let results: Vec<Result<(Kept, Vec<images::Wanted>)>> = documents
            .par_iter()
            .map(|output| {
                let (doc, article) = match output.job {
                    Job::Article(i) => (&self.articles[i], Some(i)),
                    Job::Page(i) => (&self.pages[i], None),
                    _ => unreachable!("partitioned above"),
                };
                let text = self.source(doc)?;
                let body = self.render_body(doc, &text)?;
                sink.document(doc, doc.body(&text), &body);
                let wanted = self.images_wanted(doc, &body);
                let Some(i) = article else {
                    let html = self.page_html(doc, &body)?;
                    sink.write_page(&output.file, html.into_bytes(), &body)?;
                    return Ok((None, wanted));
                };
                let entry = self.entry(doc, &body);
                let html = self.article_page(i, &entry, &body)?;
                sink.write_page(&output.file, html.into_bytes(), &body)?;
                Ok((
                    Some((entry, (i < FEED_LENGTH).then_some(body.html))),
                    wanted,
                ))
            })
            .collect();
        let mut errors = Vec::new();
        let mut rendered = views::Rendered {
            entries: Vec::with_capacity(self.articles.len()),
            bodies: Vec::new(),
        };
        let mut wanted = Vec::new();
        for result in results {
            match result {
                Ok((kept, images)) => {
                    if let Some((entry, body)) = kept {
                        rendered.entries.push(entry);
                        rendered.bodies.extend(body);
                    }
                    wanted.extend(images);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        let mut errors: Vec<Diagnostic> = rest
            .par_iter()
            .filter_map(|output| {
                self.render_job(&output.job, &rendered)
                    .and_then(|text| sink.write(&output.file, text.into_bytes()))
                    .err()
            })
            .collect();
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        // The variants the pages and templates name: made (or found in the cache) after
        // everything is rendered, in parallel, and published like any other file.
        wanted.extend(self.templates.images.take_asked());
        let variants = images::process::make(&self.root, &wanted, sink.publishes())?;
        errors = variants
            .par_iter()
            .filter_map(|(path, cached)| sink.copy(path, cached).err())
            .collect();
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        errors.extend(
            self.assets
                .par_iter()
                .filter_map(|(path, source)| match source {
                    // An SVG that would run code on the site's address is refused wherever
                    // it is, shown by a page or not.
                    AssetFile::Site(file) => self
                        .images
                        .refusal(path)
                        .or_else(|| sink.copy(path, file).err()),
                    AssetFile::Theme(name) => {
                        let bytes = AssetFile::theme_bytes(name).unwrap_or_default();
                        sink.write(path, bytes.into_owned()).err()
                    }
                })
                .collect::<Vec<_>>(),
        );
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        Ok(Stats {
            pages: plan.pages(),
            articles: self.articles.len(),
            files: plan.outputs.len() + self.assets.len() + variants.len(),
        })
    }

    /// The images `doc`'s page shows that have variants to make (none in serve, which
    /// shows originals).
    fn images_wanted(&self, doc: &Document, body: &Body) -> Vec<images::Wanted> {
        if self.options.serve {
            return Vec::new();
        }
        let shown = body.links.iter().filter(|l| l.is_image);
        images::wanted_by(
            &self.images,
            &doc.file,
            shown.map(|l| (l.href.as_str(), l.line)),
        )
    }

    /// Every published document: the articles, newest first, then the pages.
    pub fn documents(&self) -> Vec<&Document> {
        self.articles
            .iter()
            .chain(&self.pages)
            .map(|d| &**d)
            .collect()
    }

    /// What is reviewed: every article, and every page that carries `current_as_at`.
    pub fn reviewed(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.articles.iter().chain(
            self.pages
                .iter()
                .filter(|p| p.front.current_as_at.is_some()),
        )
    }

    /// Reads and checks one Markdown file, as [`Site::load`] does; the error is the
    /// file's first problem.
    pub fn read(&self, source: &Source) -> Result<Document> {
        let section = section_at(&self.sections, &source.section);
        read_document(&self.root, source, &self.config, self.today, section)
            .map_err(|mut all| all.remove(0))
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

    /// The text of `doc`: read again from its file, or the text it kept when the file no
    /// longer holds what was read. An error when neither is there: the page would not
    /// match the plan.
    pub fn source(&self, doc: &Document) -> Result<String> {
        let read = content::read_text(&self.root, &self.root.join(&doc.file));
        match (read, doc.kept.get()) {
            (Ok(text), _) if fingerprint(&text) == doc.fingerprint => Ok(text),
            (_, Some(kept)) => Ok(kept.to_string()),
            (Err(e), None) => Err(e),
            (Ok(_), None) => Err(Diagnostic::error(
                "the file changed while brief was building the site",
            )
            .in_file(&doc.file)
            .with_fix("run brief again once it is saved")),
        }
    }

    /// Whether [`Site::source`] would fail for `doc` because its file changed.
    pub fn moved(&self, doc: &Document) -> bool {
        doc.kept.get().is_none()
            && content::read_text(&self.root, &self.root.join(&doc.file))
                .map_or(true, |text| fingerprint(&text) != doc.fingerprint)
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
        let Some(doc) = doc.filter(|d| self.publication(d) == Publication::Published) else {
            return;
        };
        let (list, at) = match doc.kind {
            Kind::Article => {
                let at = self
                    .articles
                    .partition_point(|d| article_order(d, &doc).is_lt());
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

    /// The checks across documents that [`Site::load`] makes: clashing addresses and
    /// missing calls-to-action.
    pub fn check_documents(&self, plan: &Plan) -> Vec<Diagnostic> {
        let mut errors = self.check_outputs(plan);
        errors.extend(self.check_ctas());
        sorted(errors)
    }

    /// Lists the asset files again: the site's, the theme's it does not replace, and the
    /// files of published page bundles (`articles/launch/chart.png`).
    pub fn reload_assets(&mut self) -> Result<()> {
        let mut assets = list_assets(&self.root)?;
        for doc in self.articles.iter().chain(&self.pages) {
            let Some(files) = &doc.resources else {
                continue;
            };
            let folder = doc.file.parent().unwrap_or(Path::new(""));
            for file in files {
                let inside = file.strip_prefix(folder).unwrap_or(file);
                let path = format!(
                    "{}{}",
                    doc.path(),
                    inside.to_string_lossy().replace('\\', "/")
                );
                assets.push((path, AssetFile::Site(self.root.join(file))));
            }
        }
        self.images = Catalogue::load(&self.root, &assets);
        if self.options.serve {
            // Variants made earlier (by a build, or serve's own processing) are served
            // from the cache.
            for (path, file) in self.images.mark_ready(&self.root) {
                assets.push((path, AssetFile::Site(file)));
            }
        }
        assets.sort_by(|a, b| a.0.cmp(&b.0));
        self.templates.images.set_catalogue(self.images.clone());
        self.assets = assets;
        Ok(())
    }
}

/// A path relative to the site as `/`-separated text.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn fingerprint(text: &str) -> Key {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Reads every section's `_index.md` and resolves what each inherits.
fn read_sections(
    root: &Path,
    found: &[(String, Option<PathBuf>)],
    config: &Config,
) -> std::result::Result<Vec<Arc<Section>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let indexes: Vec<section::Index> = found
        .iter()
        .map(|(path, file)| {
            let Some(file) = file else {
                return section::Index::default();
            };
            content::read_text(root, &root.join(file))
                .map_err(|e| vec![e])
                .and_then(|text| section::parse_index(&text, path, config))
                .unwrap_or_else(|all| {
                    errors.extend(all.into_iter().map(|e| e.or_in_file(file)));
                    section::Index::default()
                })
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(section::resolve(found, &indexes)
        .into_iter()
        .map(Arc::new)
        .collect())
}

/// The section at `path` of `sections`, which discovery made sure holds it (home else).
fn section_at(sections: &[Arc<Section>], path: &str) -> Arc<Section> {
    sections
        .binary_search_by(|s| s.path.as_str().cmp(path))
        .ok()
        .map_or_else(|| sections[0].clone(), |i| sections[i].clone())
}

fn read_document(
    root: &Path,
    source: &Source,
    config: &Config,
    today: NaiveDate,
    section: Arc<Section>,
) -> Result<Document, Vec<Diagnostic>> {
    let text = content::read_text(root, &root.join(&source.file)).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(&source.file)])?;
    let defaults = frontmatter::Defaults::from_file(&source.file, source.kind);
    let front =
        frontmatter::parse(&split, source.kind, config, today, &defaults).map_err(|all| {
            all.into_iter()
                .map(|d| d.in_file(&source.file))
                .collect::<Vec<_>>()
        })?;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    let slug = match &front.slug {
        Some(slug) => slug.clone(),
        None => {
            let stem = source
                .resources
                .as_ref()
                .and_then(|_| source.file.parent())
                .and_then(|folder| folder.file_name())
                .or_else(|| source.file.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = frontmatter::dated_name(&stem).filter(|_| source.kind == Kind::Article);
            let slug = slug::slugify(name.map_or(stem.as_str(), |(_, name)| name));
            if slug.is_empty() {
                return Err(vec![Diagnostic::error(
                    "cannot make an address from this file's name",
                )
                .in_file(&source.file)
                .with_fix(
                    "rename the file with letters or digits, or set `slug:` in its front matter",
                )]);
            }
            slug
        }
    };
    let cta_ids = plan::shortcode_ctas(&text[body_start..], config.ctas.keys());
    let mut doc = Document {
        fingerprint: fingerprint(&text),
        secrets: secrets::in_text(&source.file, text.as_bytes()),
        cta_ids,
        output: format!("{}{slug}/index.html", source.section),
        folded: String::new(),
        kept: OnceLock::new(),
        file: source.file.clone(),
        kind: source.kind,
        front,
        slug,
        body_start,
        body_line,
        section,
        resources: source.resources.clone(),
    };
    doc.folded = addresses::fold(doc.file_name());
    Ok(doc)
}

/// The site's assets and the theme's that they do not replace, by path in the output.
fn list_assets(root: &Path) -> Result<Vec<(String, AssetFile)>> {
    let mut assets = site_assets(root)?;
    assets.extend(theme::theme_assets(&assets));
    assets.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(assets)
}

fn site_assets(root: &Path) -> Result<Vec<(String, AssetFile)>> {
    let dir = root.join(ASSETS);
    let mut assets = Vec::new();
    if !dir.is_dir() {
        return Ok(assets);
    }
    let walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !content::is_hidden(e.path(), &dir));
    for entry in walk {
        let entry = entry.map_err(|e| content::walk_error(root, e))?;
        content::refuse_outside_link(root, &entry)?;
        if let Some(kind) =
            content::special_kind(entry.file_type()).filter(|_| !entry.file_type().is_dir())
        {
            return Err(content::not_regular(
                &content::relative(root, entry.path()),
                kind,
            ));
        }
        if entry.file_type().is_file() {
            let rel = content::relative(root, entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            assets.push((rel, AssetFile::Site(entry.path().to_path_buf())));
        }
    }
    Ok(assets)
}
