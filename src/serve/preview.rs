//! The site as serve holds it between edits.
//!
//! A [`Snapshot`] is a loaded [`Site`] and its [`Plan`]: what every output is made from,
//! with a key per output. Pages are rendered from the snapshot when they are asked for
//! (see `http`), so nothing waits for the whole site. A change makes a new snapshot from a
//! copy of the last one (documents are shared, only changed files are read again) and
//! reports the outputs whose keys differ: those pages reload, and the cache of rendered
//! pages drops them, so no page is ever served from an older snapshot than the one current
//! when it was asked for. The [`Builder`] also checks, in the background, that every
//! changed output renders, so that an error anywhere shows over every page.
//!
//! A file that fails to read keeps its last good document (and page) until it is fixed,
//! with its error shown over every page.

use super::watch::{Change, Changes};
use crate::content::{self, Source};
use crate::core::paths::{Address, SiteFile};
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::secrets;
use crate::site::views::OnDemand;
use crate::site::{Document, Job, Key, Options, Output, Plan, Site};
use crate::theme::AssetFile;
use axum::body::Bytes;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A site and its plan, never changed once made: the http side renders from it.
pub struct Snapshot {
    pub site: Site,
    pub plan: Plan,
    /// (hash of an output's file, its index in `plan.outputs`), sorted: found by a binary
    /// search, and made without copying a file name.
    index: Vec<(u64, u32)>,
}

fn file_hash(file: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(file.as_bytes())
}

impl Snapshot {
    pub fn new(site: Site) -> Snapshot {
        let plan = site.plan();
        Snapshot::planned(site, plan)
    }

    /// The snapshot of `site`, whose plan is `plan`.
    fn planned(site: Site, plan: Plan) -> Snapshot {
        let mut index: Vec<(u64, u32)> = plan
            .outputs
            .iter()
            .enumerate()
            .map(|(i, o)| (file_hash(o.file.as_str()), i as u32))
            .collect();
        index.sort_unstable();
        Snapshot { site, plan, index }
    }

    pub fn output(&self, file: &str) -> Option<&Output> {
        self.position(file).map(|i| &self.plan.outputs[i])
    }

    /// Where `file` is in the plan.
    fn position(&self, file: &str) -> Option<usize> {
        let hash = file_hash(file);
        let first = self.index.partition_point(|&(h, _)| h < hash);
        self.index[first..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, i)| i as usize)
            .find(|&i| self.plan.outputs[i].file.as_str() == file)
    }

    /// Where `file` is in the plan; `at` is where it probably is (the plan's order changes
    /// little between edits, so this rarely searches).
    fn position_near(&self, file: &str, at: usize) -> Option<usize> {
        match self.plan.outputs.get(at) {
            Some(o) if o.file.as_str() == file => Some(at),
            _ => self.position(file),
        }
    }

    /// Renders one output, as `build` would write it.
    pub fn render(&self, output: &Output) -> Result<Bytes> {
        self.site
            .render_job(&output.job, &OnDemand(&self.site))
            .map(Bytes::from)
    }

    /// The documents whose text rendering `output` reads.
    fn read_by(&self, output: &Output) -> Vec<&Document> {
        let site = &self.site;
        match &output.job {
            Job::Article(i) => site.articles.get(*i).into_iter().collect(),
            Job::Page(i) => site.pages.get(*i).into_iter().collect(),
            Job::List(list) => list
                .items
                .iter()
                .filter_map(|&i| site.articles.get(i))
                .collect(),
            Job::Feed(lang) => site
                .feed_items(lang)
                .into_iter()
                .filter_map(|i| site.articles.get(i))
                .collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .map(|d| &**d)
        .collect()
    }

    /// Keeps the text of the documents `output` shows, as they were read: a browser shows
    /// them, so they stay on show if their files are next saved broken.
    pub fn keep(&self, output: &Output) {
        for doc in self.read_by(output).into_iter().filter(|d| !d.kept()) {
            if let Ok(text) = self.site.source(doc) {
                doc.keep(&text);
            }
        }
    }

    /// Whether a document that `output` reads has changed on disk since this snapshot was
    /// made, and was not kept (a newer snapshot is then on its way from the watcher).
    pub fn moved(&self, output: &Output) -> bool {
        self.read_by(output).into_iter().any(|d| self.site.moved(d))
    }
}

/// What a rebuild did.
#[derive(Default)]
pub struct Update {
    /// The new snapshot (`None`: nothing could be loaded, or nothing changed).
    pub snapshot: Option<Arc<Snapshot>>,
    /// Outputs whose key changed, that came, or that went.
    pub changed: Vec<String>,
}

/// The preview across rebuilds, including while the site cannot be loaded at all.
pub struct Builder {
    root: PathBuf,
    options: Options,
    current: Option<Arc<Snapshot>>,
    /// Why the last full load failed; while set, every change loads the site again.
    load_errors: Vec<Diagnostic>,
    /// Why site.toml or the templates could not be read again; the last good ones stay,
    /// and every change tries them again.
    settings_error: Option<Diagnostic>,
    /// Files that failed to read or hold a secret, with why; their last good document (or
    /// none, for a secret) stays.
    file_errors: BTreeMap<PathBuf, Diagnostic>,
    /// Problems across documents: clashing addresses, missing CTAs.
    check_errors: Vec<Diagnostic>,
    /// Outputs that failed to render, with the key they failed at.
    render_errors: BTreeMap<String, (Key, Diagnostic)>,
    /// By position in the current plan: whether the output has not been rendered since its
    /// key last changed.
    unchecked: Vec<bool>,
    /// Where [`Builder::take_unchecked`] looks next.
    next_unchecked: usize,
}

impl Builder {
    /// A builder that has loaded nothing yet.
    pub fn new(root: &Path, options: Options) -> Builder {
        Builder {
            root: root.to_path_buf(),
            options,
            current: None,
            load_errors: Vec::new(),
            settings_error: None,
            file_errors: BTreeMap::new(),
            check_errors: Vec::new(),
            render_errors: BTreeMap::new(),
            unchecked: Vec::new(),
            next_unchecked: 0,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn snapshot(&self) -> Option<&Arc<Snapshot>> {
        self.current.as_ref()
    }

    /// Records a rebuild that could not finish: `error` is shown until a change loads the
    /// whole site again, which the next change does.
    pub fn fail(&mut self, error: Diagnostic) {
        self.load_errors = vec![error];
    }

    /// The problems of the current build, empty when it is good.
    pub fn errors(&self) -> Vec<Diagnostic> {
        if !self.load_errors.is_empty() {
            return self.load_errors.clone();
        }
        let mut all: Vec<Diagnostic> = self.file_errors.values().cloned().collect();
        all.extend(self.settings_error.iter().cloned());
        all.extend(self.check_errors.iter().cloned());
        all.extend(self.render_errors.values().map(|(_, e)| e.clone()));
        sorted(all)
    }

    /// Asset files: path in the site → the site's file on disk or the theme's. One whose
    /// file an error names (a secret found in it) is not among them. The file is what
    /// decides, never the address: a bundle's `content/articles/guide/notes.txt` is served
    /// as `articles/guide/notes.txt`. The files withheld before a failed load stay withheld
    /// while it fails.
    pub fn assets(&self) -> HashMap<Address, AssetFile> {
        let Some(snapshot) = &self.current else {
            return HashMap::new();
        };
        let root = &snapshot.site.root;
        let refused: BTreeSet<SiteFile> = self
            .errors()
            .into_iter()
            .filter_map(|e| e.file)
            .chain(self.file_errors.keys().cloned())
            .map(|file| SiteFile::new(root, &file))
            .collect();
        snapshot
            .site
            .assets
            .iter()
            .filter(|(_, file)| source_file(root, file).is_none_or(|f| !refused.contains(&f)))
            .cloned()
            .collect()
    }

    /// Forgets the errors of the last load and loads the whole site again.
    pub fn reset(&mut self) -> Update {
        self.load_errors.clear();
        self.settings_error = None;
        self.file_errors.clear();
        let (mut site, plan) = match Site::load_planned(&self.root, self.options.clone()) {
            Ok(loaded) => loaded,
            Err(mut errors) => {
                // Reported even when the site cannot load: the files they name stay unserved.
                errors.extend(secrets::scan(&self.root, []));
                self.load_errors = sorted(errors);
                return Update::default();
            }
        };
        match withhold_secrets(&mut site) {
            // The plan that the load checked stands while no document was taken out.
            Ok(withheld) if withheld.is_empty() => {
                self.check_errors.clear();
                self.publish_snapshot(Snapshot::planned(site, plan))
            }
            Ok(withheld) => {
                self.file_errors = withheld;
                self.publish(site)
            }
            Err(errors) => {
                self.load_errors = errors;
                Update::default()
            }
        }
    }

    /// Applies a batch of changes to a copy of the current site.
    pub fn apply(&mut self, changes: &Changes) -> Update {
        // A folder, a section's _index.md, a bundle or its files: what holds what may have
        // changed, so the site is loaded again.
        let structure = changes.all.iter().any(|c| match c {
            Change::Folder(_) | Change::ContentTree => true,
            Change::Content(file) => self
                .current
                .as_ref()
                .is_none_or(|s| source_of(&s.site, file).is_none()),
            _ => false,
        });
        let Some(current) = self
            .current
            .clone()
            .filter(|_| self.load_errors.is_empty() && !structure)
        else {
            return self.reset();
        };
        let mut site = current.site.clone();
        let settings = self.settings_error.is_some()
            || changes
                .all
                .iter()
                .any(|c| matches!(c, Change::Config | Change::Templates));
        if settings {
            if let Some(e) = self.settings_secret() {
                self.settings_error = Some(e);
                return Update::default();
            }
            match site.reload_settings() {
                Ok(true) => self.settings_error = None,
                // The ids of the calls-to-action changed: front matter is checked against
                // them, so every document is read again.
                Ok(false) => return self.reset(),
                Err(e) => {
                    self.settings_error = Some(e);
                    return Update::default();
                }
            }
        }
        let files: BTreeSet<PathBuf> = changes
            .all
            .iter()
            .filter_map(|c| match c {
                Change::Content(file) => Some(file.clone()),
                _ => None,
            })
            .collect();
        for file in files {
            self.apply_file(&mut site, file);
        }
        if changes.all.iter().any(|c| matches!(c, Change::Asset(_))) {
            self.reload_assets(&mut site, changes);
        }
        self.publish(site)
    }

    /// Makes the snapshot of `site` current and says which outputs changed.
    fn publish(&mut self, site: Site) -> Update {
        let snapshot = Snapshot::new(site);
        self.check_errors = snapshot.site.check_documents(&snapshot.plan);
        self.publish_snapshot(snapshot)
    }

    /// Makes `snapshot`, whose documents are checked, current and says which outputs changed.
    fn publish_snapshot(&mut self, snapshot: Snapshot) -> Update {
        let snapshot = Arc::new(snapshot);
        let old = self.current.as_deref();
        let mut changed = Vec::new();
        let mut unchecked = vec![false; snapshot.plan.outputs.len()];
        for (i, output) in snapshot.plan.outputs.iter().enumerate() {
            let before = old.and_then(|s| Some((s, s.position_near(output.file.as_str(), i)?)));
            match before {
                Some((s, j)) if s.plan.outputs[j].key == output.key => {
                    unchecked[i] = self.unchecked.get(j).copied().unwrap_or(false);
                }
                _ => {
                    changed.push(output.file.to_string());
                    unchecked[i] = true;
                }
            }
        }
        if let Some(old) = old {
            changed.extend(
                old.plan
                    .outputs
                    .iter()
                    .enumerate()
                    .filter(|(i, o)| snapshot.position_near(o.file.as_str(), *i).is_none())
                    .map(|(_, o)| o.file.to_string()),
            );
        }
        changed.sort();
        self.render_errors
            .retain(|file, (key, _)| snapshot.output(file).map(|o| o.key) == Some(*key));
        self.unchecked = unchecked;
        self.next_unchecked = 0;
        self.current = Some(snapshot.clone());
        Update {
            snapshot: Some(snapshot),
            changed,
        }
    }

    /// Up to `n` outputs not yet rendered since they changed, taken off the list.
    pub fn take_unchecked(&mut self, n: usize) -> Vec<String> {
        let Some(snapshot) = &self.current else {
            return Vec::new();
        };
        let mut taken = Vec::with_capacity(n);
        while taken.len() < n && self.next_unchecked < self.unchecked.len() {
            let i = self.next_unchecked;
            if std::mem::take(&mut self.unchecked[i]) {
                taken.push(snapshot.plan.outputs[i].file.to_string());
            }
            self.next_unchecked += 1;
        }
        taken
    }

    /// Notes how rendering `file` at `key` went; returns whether the errors changed.
    pub fn note_render(&mut self, file: &str, key: Key, result: &Result<Bytes>) -> bool {
        let at = self
            .current
            .as_ref()
            .and_then(|s| s.position(file).filter(|&i| s.plan.outputs[i].key == key));
        // Rendered at a key no longer current: what it found says nothing of the page now.
        let Some(at) = at else {
            return false;
        };
        self.unchecked[at] = false;
        match result {
            Ok(_) => self.render_errors.remove(file).is_some(),
            Err(e) => {
                let before = self
                    .render_errors
                    .insert(file.to_string(), (key, e.clone()));
                before.is_none_or(|(_, old)| old != *e)
            }
        }
    }

    /// A secret in site.toml or a template could end up on any page: nothing made with it
    /// is served.
    fn settings_secret(&self) -> Option<Diagnostic> {
        let toml = self.root.join(crate::config::FILE);
        secrets::in_file(&self.root, &toml)
            .into_iter()
            .chain(secrets::scan_folder(&self.root, crate::render::DIR))
            .next()
    }

    /// Reads one changed Markdown file and puts it in place, or takes it away. One that
    /// fails to read, holds a secret, or fails to render leaves the last good one in place.
    fn apply_file(&mut self, site: &mut Site, file: PathBuf) {
        self.file_errors.remove(&file);
        let Some(source) = source_of(site, &file) else {
            return;
        };
        if !site.root.join(&file).is_file() {
            site.put(&file, None);
            return;
        }
        let read = site
            .read(&source)
            .and_then(|doc| match doc.secrets.first() {
                // Its last good page stays, without the secret; the error shows over it.
                Some(e) => Err(e.clone()),
                None => Ok(doc),
            })
            .and_then(|doc| site.body(&doc).map(|_| doc));
        match read {
            Ok(doc) => site.put(&file, Some(doc)),
            Err(e) => {
                self.file_errors.insert(file, e);
            }
        }
    }

    /// Lists the assets again, looking for secrets in those that changed (all of them when
    /// the folder did); an asset holding one is not served.
    fn reload_assets(&mut self, site: &mut Site, changes: &Changes) {
        let folder = Path::new(crate::site::ASSETS);
        self.file_errors.remove(folder);
        if let Err(e) = site.reload_assets() {
            self.file_errors.insert(folder.to_path_buf(), e);
        }
        let root = &site.root;
        let changed: Vec<&Path> = changes
            .all
            .iter()
            .filter_map(|c| match c {
                Change::Asset(path) => Some(path.as_path()),
                _ => None,
            })
            .collect();
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
                let source = SiteFile::new(root, file);
                if site
                    .assets
                    .iter()
                    .any(|(_, f)| source_file(root, f).as_ref() == Some(&source))
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
    }
}

/// Finds the site's secrets before anything is rendered. One in site.toml or a template
/// could be on any page, so the load fails; any other takes its document out of the site,
/// and comes back as the error to show for its file (which withholds an asset read from
/// it: [`Builder::assets`]).
fn withhold_secrets(
    site: &mut Site,
) -> std::result::Result<BTreeMap<PathBuf, Diagnostic>, Vec<Diagnostic>> {
    let docs = site.documents();
    let found = secrets::scan(&site.root, docs.iter().map(|d| d.scanned()));
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
    Ok(withheld)
}

/// The site's file an asset is read from, relative to the root; `None` for the theme's,
/// which are part of brief.
fn source_file(root: &Path, file: &AssetFile) -> Option<SiteFile> {
    match file {
        AssetFile::Site(path) => Some(SiteFile::new(root, path)),
        AssetFile::Theme(_) => None,
    }
}

/// The source a changed Markdown file is, when the site's sections already hold it: a
/// lone file in a known section. `None` for a section's `_index.md`, a bundle's `index.md`,
/// a file in a new folder, which change what holds what, or a name with a language in it
/// (`x.fr.md`), which only the content walk reads ([`content::discover`]).
fn source_of(site: &Site, file: &Path) -> Option<Source> {
    let name = file.file_name()?;
    if name == content::SECTION_INDEX || name == content::BUNDLE_INDEX {
        return None;
    }
    if file.file_stem()?.to_string_lossy().contains('.') {
        return None;
    }
    let folder = file.parent()?.strip_prefix(content::DIR).ok()?;
    let path = match folder.as_os_str().is_empty() {
        true => String::new(),
        false => format!("{}/", folder.to_string_lossy().replace('\\', "/")),
    };
    let section = site.section(&path)?;
    Some(Source {
        file: file.to_path_buf(),
        kind: section.kind,
        section: path,
        resources: None,
        lang: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Sink;
    use proptest::prelude::*;
    use std::sync::Mutex;

    /// Collects what `Site::render` writes, as `brief build` would publish it.
    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Memory {
        fn write(&self, path: &Address, bytes: Vec<u8>) -> Result<()> {
            self.0.lock().unwrap().insert(path.to_string(), bytes);
            Ok(())
        }
        fn copy(&self, _: &Address, _: &Path) -> Result<()> {
            Ok(())
        }
    }

    /// As `brief serve` runs (drafts and future articles shown), or as `--no-drafts`.
    fn options(drafts: bool) -> Options {
        Options {
            drafts,
            future: drafts,
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

    /// Every file a full build of the site on disk makes.
    fn built(root: &Path, options: Options) -> BTreeMap<String, Vec<u8>> {
        let site = Site::load(root, options).unwrap();
        let memory = Memory::default();
        site.render(&memory).unwrap();
        memory.0.into_inner().unwrap()
    }

    /// Every file of the current snapshot, rendered as serve renders them on request.
    fn served(builder: &Builder) -> BTreeMap<String, (Key, Vec<u8>)> {
        let snapshot = builder.snapshot().expect("the site loaded");
        snapshot
            .plan
            .outputs
            .iter()
            .map(|o| {
                (
                    o.file.to_string(),
                    (o.key, snapshot.render(o).unwrap().to_vec()),
                )
            })
            .collect()
    }

    /// The edits serve must follow, each as a change to the files on disk.
    const EDITS: &[(&str, &str, &str, &str)] = &[
        // (name, file, text replaced ("" to write the whole file), replacement)
        ("edit text", "content/articles/backups.md", "a hope", "a wish"),
        ("retitle", "content/articles/backups.md", "Backups that work", "Backups, tested"),
        ("retag", "content/articles/backups.md", "tags: [security]", "tags: [security, basics, new-tag]"),
        ("move back in time", "content/articles/backups.md", "date: 2026-03-01", "date: 2025-12-01"),
        ("confirm again", "content/articles/first-steps.md", "current_as_at:", "updated: 2026-06-30\ncurrent_as_at:"),
        ("new article with an alias", "content/articles/new-one.md", "", "---\ntitle: A new one\ndate: 2026-04-01\ncurrent_as_at: 2026-04-01\ntags: [fresh]\naliases: [/old/new-one/]\n---\n\nBrand new.\n"),
        ("new slug", "content/articles/new-one.md", "title: A new one", "title: A new one\nslug: renamed"),
        ("delete", "content/articles/first-steps.md", "", ""),
        ("page", "content/about.md", "plain advice", "plainer advice"),
        ("undraft", "content/articles/work-in-progress.md", "draft: true\n", ""),
        ("closing cta", "content/articles/backups.md", "tags:", "cta: talk-to-us\ntags:"),
        ("cta shortcode", "content/about.md", "plain", "\n\n{{ cta(id=\"talk-to-us\") }}\n\nplain"),
        ("cta wording", "site.toml", "Not sure yet?", "Still not sure?"),
        ("settings", "site.toml", "paginate = 2", "paginate = 3"),
        ("template", "templates/article.html", "</article>", "<p>edited</p></article>"),
        ("partial", "templates/partials/cta.html", "</", "<span>partial</span></"),
        ("asset", "assets/extra.txt", "", "a new asset"),
        ("section intro", "content/articles/_index.md", "", "---\ntitle: All articles\n---\nEverything we have written.\n"),
        ("section edit", "content/articles/_index.md", "Everything", "All"),
        ("home intro", "content/_index.md", "", "Welcome to *the* fixture.\n"),
        ("nested section", "content/guides/security/passwords.md", "", "---\ntitle: Passwords\ndate: 2026-02-01\ncurrent_as_at: 2026-02-01\n---\n\nUse a manager.\n"),
        ("nested edit", "content/guides/security/passwords.md", "a manager", "a password manager"),
        ("section of pages", "content/services/_index.md", "What we do", "What we offer"),
        ("page in a section", "content/services/review.md", "", "---\ntitle: Code review\n---\n\nWe read it.\n"),
        ("bundle", "content/articles/launch/index.md", "", "---\ntitle: Launch\ndate: 2026-05-01\ncurrent_as_at: 2026-05-01\n---\n\nWe launched.\n"),
        ("bundle file", "content/articles/launch/chart.svg", "", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("bundle edit", "content/articles/launch/index.md", "We launched.", "We launched it."),
        ("translation", "content/articles/backups.fr.md", "", "---\ntitle: Sauvegardes\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\ntags: [securite]\n---\n\nUn espoir.\n"),
        ("translation edit", "content/articles/backups.fr.md", "Un espoir", "Une certitude"),
        ("translation slug", "content/articles/backups.fr.md", "title: Sauvegardes", "title: Sauvegardes\nslug: sauvegardes"),
    ];

    /// Makes edit `n` to the site at `root`; returns the change serve's watcher reports.
    fn edit(root: &Path, n: usize) -> Changes {
        let (_, file, from, to) = EDITS[n];
        let path = root.join(file);
        let text = std::fs::read_to_string(&path);
        match (from, to) {
            ("", "") => {
                let _ = std::fs::remove_file(&path);
            }
            ("", whole) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, whole).unwrap()
            }
            // An edit of a file an earlier edit removed (or never made), or made already,
            // does nothing.
            (from, to) => {
                if let Some(text) = text.ok().filter(|t| !t.contains(to)) {
                    std::fs::write(&path, text.replacen(from, to, 1)).unwrap()
                }
            }
        }
        let mut changes = Changes::default();
        changes.add(root, &path);
        changes
    }

    /// What serve holds equals what a full build makes, and an output whose key did not
    /// change is byte for byte what it was: the cache never serves a stale page.
    fn follow(root: &Path, drafts: bool, edits: &[usize]) {
        let mut builder = Builder::new(root, options(drafts));
        let update = builder.reset();
        assert!(builder.errors().is_empty(), "{:?}", builder.errors());
        let mut last = served(&builder);
        assert_eq!(update.changed, last.keys().cloned().collect::<Vec<_>>());
        for &n in edits {
            let name = EDITS[n].0;
            let update = builder.apply(&edit(root, n));
            assert!(
                builder.errors().is_empty(),
                "{name}: {:?}",
                builder.errors()
            );
            let now = served(&builder);
            let expected = built(root, options(drafts));
            let files: Vec<&String> = now.keys().collect();
            assert_eq!(
                files,
                expected.keys().collect::<Vec<_>>(),
                "{name}: the files"
            );
            for (file, (key, bytes)) in &now {
                assert!(
                    expected[file] == *bytes,
                    "{name}: {file} differs from a full build"
                );
                match last.get(file) {
                    Some((old_key, old)) if old_key == key => {
                        assert!(old == bytes, "{name}: {file} changed but its key did not")
                    }
                    _ => assert!(update.changed.contains(file), "{name}: {file} not reported"),
                }
            }
            let mut assets: Vec<Address> = builder.assets().into_keys().collect();
            assets.sort();
            let on_disk: Vec<Address> = Site::load(root, options(drafts))
                .unwrap()
                .assets
                .into_iter()
                .map(|(path, _)| path)
                .collect();
            assert_eq!(assets, on_disk, "{name}: the assets");
            last = now;
        }
    }

    #[test]
    fn serve_follows_every_kind_of_edit_as_a_build_would() {
        for drafts in [true, false] {
            let site = fixture();
            follow(site.path(), drafts, &(0..EDITS.len()).collect::<Vec<_>>());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        #[test]
        fn serve_follows_any_sequence_of_edits(
            edits in proptest::collection::vec(0..EDITS.len(), 1..8),
            drafts in any::<bool>(),
        ) {
            let site = fixture();
            follow(site.path(), drafts, &edits);
        }
    }

    #[test]
    fn an_article_edit_changes_only_what_shows_it() {
        let site = fixture();
        let root = site.path();
        let mut builder = Builder::new(root, options(true));
        builder.reset();
        let update = builder.apply(&edit(root, 0));
        // Its page, the list pages and feed that show it, and the sitemap.
        assert_eq!(
            update.changed,
            [
                "articles/backups/index.html",
                "articles/page/2/index.html",
                "feed.xml",
                "page/2/index.html",
                "sitemap.xml",
                "tags/security/index.html"
            ]
        );
        let update = builder.apply(&edit(
            root,
            EDITS.iter().position(|e| e.0 == "cta wording").unwrap(),
        ));
        // keys-and-secrets closes with talk-to-us; no other document shows it.
        assert!(update
            .changed
            .contains(&"articles/keys-and-secrets/index.html".to_string()));
        assert!(!update
            .changed
            .contains(&"articles/backups/index.html".to_string()));
    }

    #[test]
    fn a_file_saved_during_a_build_fails_it_naming_the_file() {
        let site = fixture();
        let root = site.path();
        let loaded = Site::load(root, options(false)).unwrap();
        let article = "content/articles/backups.md";
        let text = std::fs::read_to_string(root.join(article)).unwrap();
        std::fs::write(root.join(article), text.replace("a hope", "a wish")).unwrap();
        let errors = loaded.render(&Memory::default()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file.as_deref(), Some(Path::new(article)));
        assert!(errors[0].message.contains("changed"), "{}", errors[0]);
        // Written back as it was, the build goes through.
        std::fs::write(root.join(article), text).unwrap();
        assert!(loaded.render(&Memory::default()).is_ok());
    }

    #[test]
    fn a_broken_article_keeps_its_last_good_page_until_fixed() {
        let site = fixture();
        let root = site.path();
        let mut builder = Builder::new(root, options(true));
        builder.reset();
        let article = "content/articles/backups.md";
        let page = "articles/backups/index.html";
        // A browser shows the page; another article's page is not open.
        let snapshot = builder.snapshot().unwrap();
        snapshot.keep(snapshot.output(page).unwrap());
        let good = std::fs::read_to_string(root.join(article)).unwrap();
        let other = "content/articles/first-steps.md";
        let other_good = std::fs::read_to_string(root.join(other)).unwrap();
        for (file, text) in [(article, &good), (other, &other_good)] {
            let broken = text.replacen("title: ", "title: [broken ", 1);
            std::fs::write(root.join(file), broken).unwrap();
        }
        let mut changes = Changes::default();
        changes.add(root, &root.join(article));
        changes.add(root, &root.join(other));
        builder.apply(&changes);
        let errors = builder.errors();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].file.as_deref(), Some(Path::new(article)));
        assert!(errors[0].line.is_some());
        let snapshot = builder.snapshot().unwrap();
        let shown = snapshot.render(snapshot.output(page).unwrap()).unwrap();
        assert!(String::from_utf8_lossy(&shown).contains("Backups that work"));
        // The page nobody had open cannot be rendered as it was: it says why.
        let other_page = snapshot.output("articles/first-steps/index.html").unwrap();
        let e = snapshot.render(other_page).unwrap_err();
        assert_eq!(e.file.as_deref(), Some(Path::new(other)));
        assert!(snapshot.moved(other_page));
        assert!(!snapshot.moved(snapshot.output(page).unwrap()));
        std::fs::write(root.join(other), &other_good).unwrap();

        std::fs::write(root.join(article), good.replace("a hope", "a wish")).unwrap();
        builder.apply(&changes);
        assert!(builder.errors().is_empty());
        let page = &served(&builder)[page].1;
        assert!(String::from_utf8_lossy(page).contains("a wish"));
    }

    #[test]
    fn a_template_error_found_in_the_background_is_reported_until_fixed() {
        let site = fixture();
        let root = site.path();
        let mut builder = Builder::new(root, options(true));
        builder.reset();
        let template = root.join("templates/tag.html");
        let good = std::fs::read_to_string(&template).unwrap();
        std::fs::write(&template, good.replace("</", "{{ no_such_value }}</")).unwrap();
        let mut changes = Changes::default();
        changes.add(root, &template);
        builder.apply(&changes);
        let snapshot = builder.snapshot().unwrap().clone();
        loop {
            let files = builder.take_unchecked(4);
            if files.is_empty() {
                break;
            }
            for file in files {
                let output = snapshot.output(&file).unwrap();
                builder.note_render(&file, output.key, &snapshot.render(output));
            }
        }
        let errors = builder.errors();
        assert_eq!(
            errors.len(),
            1,
            "one error however many pages show it: {errors:?}"
        );
        assert!(errors[0].message.contains("no_such_value"), "{errors:?}");

        std::fs::write(&template, good).unwrap();
        builder.apply(&changes);
        assert!(builder.errors().is_empty(), "{:?}", builder.errors());
    }
}
