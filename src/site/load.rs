//! The loading edge: the only part of the site that reads files. [`Site::load`] finds and
//! reads site.toml, the templates, every section and document and the assets;
//! [`Site::reload_settings`] and [`Site::reload_assets`] read some of them again for serve;
//! [`Site::read`] reads one document; [`Site::source`] reads a document's text again when
//! its body is rendered.

use super::document::text_key;
use super::rules::{self, Publication};
use super::{addresses, slashed, Document, Options, Plan, Site, ASSETS};
use crate::config::Config;
use crate::content::{self, Source};
use crate::core::paths::Address;
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::frontmatter::{self, Kind};
use crate::images::Catalogue;
use crate::render::Templates;
use crate::secrets;
use crate::section::{self, Section};
use crate::theme::{self, AssetFile};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
        let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let found = content::discover(root, &languages).map_err(|d| vec![d])?;
        if !found.errors.is_empty() {
            return Err(sorted(found.errors));
        }
        let sections = read_sections(root, &found.sections, &found.section_translations, &config)?;
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
        site.fingerprint = super::plan::fingerprint(&site);

        let mut errors = Vec::new();
        // A link to a Markdown source leads to its page: a document's, or a section's list
        // for its `_index.md`.
        let sections = site.sections.iter().filter_map(|s| {
            let index = s.file.as_ref()?;
            Some((slashed(index), s.path.clone()))
        });
        site.source_pages = Arc::new(
            parsed
                .iter()
                .flatten()
                .map(|d| (slashed(&d.file), d.path().to_string()))
                .chain(sections)
                .collect(),
        );
        for doc in parsed {
            match doc.map(|d| (rules::publication(&d, site.today, &site.options), d)) {
                Err(e) => errors.extend(e),
                Ok((Publication::Draft, _)) => site.skipped.0 += 1,
                Ok((Publication::Scheduled, _)) => site.skipped.1 += 1,
                Ok((_, doc)) if doc.kind == Kind::Article => site.articles.push(Arc::new(doc)),
                Ok((_, doc)) => site.pages.push(Arc::new(doc)),
            }
        }
        site.articles.sort_by(|a, b| rules::article_order(a, b));
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
    /// documents must be read again too: the ids of the calls-to-action or of the disclaimers
    /// changed, which their front matter is checked against.
    pub fn reload_settings(&mut self) -> Result<bool> {
        let (config, templates, today) = Site::settings(&self.root, &self.options)?;
        let same_ids = config.ctas.keys().eq(self.config.ctas.keys())
            && config.disclaimers.keys().eq(self.config.disclaimers.keys())
            && today == self.today;
        self.config = config;
        templates.images.set_catalogue(self.images.clone());
        self.templates = Arc::new(templates);
        self.today = today;
        self.fingerprint = super::plan::fingerprint(self);
        Ok(same_ids)
    }

    /// Lists the asset files again: the site's, the theme's it does not replace, and the
    /// files of published page bundles (`articles/launch/chart.png`).
    pub fn reload_assets(&mut self) -> Result<()> {
        let mut assets = list_assets(&self.root)?;
        for doc in self.published() {
            let Some(files) = &doc.resources else {
                continue;
            };
            let folder = doc.file.parent().unwrap_or(Path::new(""));
            for file in files {
                let inside = file.strip_prefix(folder).unwrap_or(file);
                let path = format!("{}{}", doc.path(), slashed(inside));
                assets.push((
                    published(path, file)?,
                    AssetFile::Site(self.root.join(file)),
                ));
            }
        }
        self.images = Catalogue::load(&self.root, &assets);
        if self.options.serve {
            // Variants made earlier (by a build, or serve's own processing) are served
            // from the cache.
            for (path, file) in self.images.mark_ready(&self.root) {
                assets.push((super::sink::address(path)?, AssetFile::Site(file)));
            }
        }
        assets.sort_by(|a, b| a.0.cmp(&b.0));
        self.templates.images.set_catalogue(self.images.clone());
        self.assets = assets;
        Ok(())
    }

    /// Reads and checks one Markdown file, as [`Site::load`] does; the error is the
    /// file's first problem.
    pub fn read(&self, source: &Source) -> Result<Document> {
        let section = section_at(&self.sections, &source.section);
        read_document(&self.root, source, &self.config, self.today, section)
            .map_err(|mut all| all.remove(0))
    }

    /// The text of `doc`: read again from its file, or the text it kept when the file no
    /// longer holds what was read. An error when neither is there: the page would not
    /// match the plan.
    pub fn source(&self, doc: &Document) -> Result<String> {
        let read = content::read_text(&self.root, &self.root.join(&doc.file));
        match (read, doc.kept.get()) {
            (Ok(text), _) if text_key(&text) == doc.fingerprint => Ok(text),
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
                .map_or(true, |text| text_key(&text) != doc.fingerprint)
    }
}

/// Reads every section's `_index.md` and resolves what each inherits.
fn read_sections(
    root: &Path,
    found: &[(String, Option<PathBuf>)],
    translations: &[(String, String, PathBuf)],
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
    let mut sections = section::resolve(found, &indexes);
    for (path, lang, file) in translations {
        let Some(section) = sections.iter_mut().find(|s| &s.path == path) else {
            continue;
        };
        match content::read_text(root, &root.join(file))
            .map_err(|e| vec![e])
            .and_then(|text| section::parse_index(&text, path, config))
        {
            Ok(index) => {
                let translated = index.translated(file.clone(), &section.title);
                section.translations.insert(lang.clone(), translated);
                section.rekey();
            }
            Err(all) => errors.extend(all.into_iter().map(|e| e.or_in_file(file))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(sections.into_iter().map(Arc::new).collect())
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
            // A translation's address is its original's, under its language: `x.fr.md`.
            let stem = match &source.lang {
                Some(lang) => stem
                    .strip_suffix(&format!(".{lang}"))
                    .unwrap_or(&stem)
                    .to_string(),
                None => stem,
            };
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
            if let Some(why) = crate::core::paths::windows_refuses(&slug) {
                return Err(vec![Diagnostic::error(format!(
                    "this file's name makes the address `{slug}`, which {why}"
                ))
                .in_file(&source.file)
                .with_fix(format!(
                    "rename the file, or set `slug: {}` in its front matter",
                    crate::core::paths::windows_name_for(&slug)
                ))]);
            }
            slug
        }
    };
    let cta_ids = rules::shortcode_ctas(&text[body_start..], config.ctas.keys());
    let prefix = source
        .lang
        .as_ref()
        .map(|l| format!("{l}/"))
        .unwrap_or_default();
    let output = super::sink::address(format!("{prefix}{}{slug}/index.html", source.section))
        .map_err(|e| vec![e.in_file(&source.file)])?;
    let mut doc = Document {
        fingerprint: text_key(&text),
        secrets: secrets::in_text(&source.file, text.as_bytes()),
        cta_ids,
        output,
        folded: String::new(),
        kept: OnceLock::new(),
        file: source.file.clone(),
        kind: source.kind,
        front,
        slug,
        lang: source.lang.clone().unwrap_or_else(|| config.lang.clone()),
        original: source.lang.as_ref().and_then(|lang| {
            let name = source.file.file_name()?.to_str()?;
            let original = name.replace(&format!(".{lang}.md"), ".md");
            Some(source.file.with_file_name(original))
        }),
        body_start,
        body_line,
        section,
        resources: source.resources.clone(),
    };
    doc.folded = addresses::fold(doc.file_name().as_str());
    Ok(doc)
}

/// The site's assets and the theme's that they do not replace, by path in the output.
fn list_assets(root: &Path) -> Result<Vec<(Address, AssetFile)>> {
    let mut assets = site_assets(root)?;
    assets.extend(theme::theme_assets(&assets));
    assets.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(assets)
}

fn site_assets(root: &Path) -> Result<Vec<(Address, AssetFile)>> {
    let dir = root.join(ASSETS);
    let mut assets = Vec::new();
    if !dir.is_dir() {
        return Ok(assets);
    }
    for path in content::walk(root, &dir, content::Hidden::None)? {
        let rel = content::relative(root, &path);
        assets.push((published(slashed(&rel), &rel)?, AssetFile::Site(path)));
    }
    Ok(assets)
}

/// `path`, where site file `file` is published, as an address: the walk lists no `..`,
/// but a backslash in a name (read as `/`) can leave an empty part.
fn published(path: String, file: &Path) -> Result<Address> {
    match Address::new(path.as_str()) {
        Some(address) => Ok(address),
        None => Err(Diagnostic::error(format!(
            "this file cannot be published at /{path}: a backslash in its name reads as `/`, which leaves an empty part"
        ))
        .in_file(file)
        .with_fix("rename the file without `\\`")),
    }
}
