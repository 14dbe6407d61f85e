//! File watching: notify events, debounced, turned into [`Change`]s.
//!
//! Editors save in many ways (write in place, write a temporary file and rename it over,
//! delete then create), so the watcher watches folders, never single files, treats every
//! create, modify, rename and remove alike as "this path may have changed", and leaves it
//! to the rebuild to look at what is on disk now.
//!
//! notify forgets a folder's watch when the folder is moved or removed, and does not watch
//! it again when it comes back (the root is watched, but not recursively). So when the root
//! reports one of the site's folders changing, the folder is watched afresh, and the site
//! is read again once the new watch is in place, so that nothing saved meanwhile is lost.

use crate::config;
use crate::content;
use crate::render;
use crate::site::ASSETS;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a path must be quiet before its change is handed on. Editors finish a save
/// within a millisecond or two; anything longer only adds to the time to reload.
const QUIET: Duration = Duration::from_millis(15);
const TICK: Duration = Duration::from_millis(5);

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// site.toml: settings and calls-to-action.
    Config,
    /// Anything under templates/, shortcodes included.
    Templates,
    /// A Markdown file under content/ (it may have been added, changed or removed).
    Content(PathBuf),
    /// Something under content/ that is not a Markdown file: a folder renamed or removed.
    ContentTree,
    /// A file under assets/.
    Asset(PathBuf),
    /// One of the site's folders is watched afresh after it was moved, removed or created:
    /// anything in it may differ from what is known, so the site is loaded again.
    Folder(PathBuf),
}

/// Changed paths, sorted and without repeats, with the moment the first was seen.
#[derive(Debug, Default)]
pub struct Changes {
    pub all: BTreeSet<Change>,
    pub first_seen: Option<Instant>,
}

impl Changes {
    pub fn add(&mut self, root: &Path, path: &Path) {
        if let Some(change) = classify(path.strip_prefix(root).unwrap_or(path)) {
            self.all.insert(change);
        }
    }

    pub fn merge(&mut self, other: Changes) {
        self.all.extend(other.all);
        self.first_seen = match (self.first_seen, other.first_seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Whether the whole site must be loaded again.
    pub fn needs_reload(&self) -> bool {
        self.all
            .iter()
            .any(|c| matches!(c, Change::Config | Change::Templates | Change::Folder(_)))
    }

    /// A short description for the terminal: "content/articles/x.md", "site.toml and 3 more".
    pub fn describe(&self) -> String {
        let name = |c: &Change| match c {
            Change::Config => config::FILE.to_string(),
            Change::Templates => format!("{}/", render::DIR),
            Change::Content(p) | Change::Asset(p) => p.display().to_string(),
            Change::ContentTree => format!("{}/", content::DIR),
            Change::Folder(p) => format!("{}/", p.display()),
        };
        let mut all = self.all.iter();
        match (all.next(), self.all.len()) {
            (None, _) => "nothing".into(),
            (Some(c), 1) => name(c),
            (Some(c), n) => format!("{} and {} more", name(c), n - 1),
        }
    }
}

/// What a path (relative to the site root) means, or `None` for paths that do not feed the
/// site: the output folder, editor temporary files, hidden files.
pub fn classify(rel: &Path) -> Option<Change> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (first, name) = (parts.first()?, parts.last()?);
    // Hidden and underscore names are never published; a section's `_index.md` is read.
    let hidden =
        |p: &String| p.starts_with('.') || (p.starts_with('_') && *p != content::SECTION_INDEX);
    if parts.iter().any(hidden) || is_editor_temp(name) {
        return None;
    }
    match first.as_str() {
        config::FILE if parts.len() == 1 => Some(Change::Config),
        render::DIR => Some(Change::Templates),
        ASSETS if parts.len() > 1 => Some(Change::Asset(rel.to_path_buf())),
        // The folder itself appearing or going: list the assets again.
        ASSETS => Some(Change::Asset(PathBuf::from(ASSETS))),
        content::DIR if name.ends_with(".md") => Some(Change::Content(rel.to_path_buf())),
        content::DIR => Some(Change::ContentTree),
        _ => None,
    }
}

/// Files editors write beside the one being saved.
fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.starts_with(".#")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// The folders of a site that are watched recursively.
const FOLDERS: [&str; 3] = [content::DIR, render::DIR, ASSETS];

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Arc<Mutex<Option<Debouncer>>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Dropping the debouncer drops its handler, which ends the thread that re-watches.
        let debouncer = self
            .debouncer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        drop(debouncer);
    }
}

/// Watches the site's folders (and its root, not recursively, for site.toml and for those
/// folders appearing) and sends each debounced batch of changes to `changes`.
pub fn watch(root: &Path, changes: Sender<Changes>) -> notify::Result<Watcher> {
    let handler_root = root.to_path_buf();
    let (folder_changed, folders_changed) = mpsc::channel::<PathBuf>();
    let handler_changes = changes.clone();
    let mut debouncer = new_debouncer(QUIET, Some(TICK), move |result: DebounceEventResult| {
        let changes = &handler_changes;
        let Ok(events) = result else {
            // Errors (a watch lost, the event queue overflowing): rebuild everything.
            let mut batch = Changes::default();
            batch.all.insert(Change::Templates);
            batch.first_seen = Some(Instant::now());
            let _ = changes.send(batch);
            for folder in FOLDERS {
                let _ = folder_changed.send(handler_root.join(folder));
            }
            return;
        };
        let mut batch = Changes::default();
        for event in &events {
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            if event.need_rescan() {
                batch.all.insert(Change::Templates);
            }
            for path in &event.paths {
                batch.add(&handler_root, path);
                if is_site_folder(&handler_root, path) {
                    let _ = folder_changed.send(path.clone());
                }
            }
            batch.first_seen = Some(match batch.first_seen {
                Some(t) => t.min(event.time),
                None => event.time,
            });
        }
        if !batch.is_empty() {
            let _ = changes.send(batch);
        }
    })
    .map_err(|e| notify::Error::generic(&e.to_string()))?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for dir in FOLDERS {
        let dir = root.join(dir);
        if dir.is_dir() {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    let debouncer = Arc::new(Mutex::new(Some(debouncer)));
    let keeper = debouncer.clone();
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("brief-rewatch".into())
        .spawn(move || rewatch(&root, &keeper, &folders_changed, &changes))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(Watcher { debouncer })
}

/// Whether `path` is one of the site's folders itself (not something inside it).
fn is_site_folder(root: &Path, path: &Path) -> bool {
    path.parent() == Some(root)
        && path
            .file_name()
            .is_some_and(|name| FOLDERS.iter().any(|f| name == *f))
}

/// Watches each folder that was moved, removed or created afresh, then has the site read
/// again; ends when the debouncer (and with it the handler sending `folders`) is dropped.
fn rewatch(
    root: &Path,
    debouncer: &Mutex<Option<Debouncer>>,
    folders: &mpsc::Receiver<PathBuf>,
    changes: &Sender<Changes>,
) {
    while let Ok(first) = folders.recv() {
        let mut all = BTreeSet::from([first]);
        while let Ok(more) = folders.try_recv() {
            all.insert(more);
        }
        let mut batch = Changes::default();
        {
            let mut debouncer = debouncer.lock().unwrap_or_else(|e| e.into_inner());
            let Some(debouncer) = debouncer.as_mut() else {
                return;
            };
            for folder in &all {
                // Whatever notify still holds for the old folder goes; it may hold nothing.
                let _ = debouncer.unwatch(folder);
                if folder.is_dir() {
                    if let Err(e) = debouncer.watch(folder, RecursiveMode::Recursive) {
                        eprintln!(
                            "warning: cannot watch {} again ({e}); restart brief serve to see its changes",
                            folder.display()
                        );
                    }
                }
                if let Ok(rel) = folder.strip_prefix(root) {
                    batch.all.insert(Change::Folder(rel.to_path_buf()));
                }
            }
        }
        batch.first_seen = Some(Instant::now());
        if changes.send(batch).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(path: &str) -> Option<Change> {
        classify(Path::new(path))
    }

    #[test]
    fn paths_are_classified_by_what_they_feed() {
        assert_eq!(c("site.toml"), Some(Change::Config));
        assert_eq!(c("templates/base.html"), Some(Change::Templates));
        assert_eq!(c("templates/shortcodes/note.html"), Some(Change::Templates));
        assert_eq!(
            c("content/articles/x.md"),
            Some(Change::Content("content/articles/x.md".into()))
        );
        assert_eq!(
            c("content/about.md"),
            Some(Change::Content("content/about.md".into()))
        );
        assert_eq!(c("content/articles/old"), Some(Change::ContentTree));
        assert_eq!(
            c("content/guides/_index.md"),
            Some(Change::Content("content/guides/_index.md".into()))
        );
        assert_eq!(c("content/_drafts/_index.md"), None);
        assert_eq!(c("content/guides/_notes.md"), None);
        assert_eq!(
            c("assets/style.css"),
            Some(Change::Asset("assets/style.css".into()))
        );
        assert_eq!(c("assets"), Some(Change::Asset("assets".into())));
    }

    #[test]
    fn editor_temp_files_hidden_files_and_the_output_are_ignored() {
        for path in [
            "content/articles/4913",
            "content/articles/x.md~",
            "content/articles/.x.md.swp",
            "content/articles/x.md.swp",
            "content/articles/.#x.md",
            "content/articles/x.md___jb_tmp___",
            "content/articles/x.md___jb_old___",
            "content/articles/_draft.md",
            "content/.hidden/x.md",
            "templates/.base.html.swp",
            "public/index.html",
            "target/debug/brief",
            "site.toml~",
            ".git/index",
            "README.md",
            "other/site.toml",
        ] {
            assert_eq!(c(path), None, "{path}");
        }
    }

    #[test]
    fn a_batch_knows_when_the_site_must_be_loaded_again() {
        let root = Path::new("/site");
        let mut batch = Changes::default();
        batch.add(root, Path::new("/site/content/articles/a.md"));
        batch.add(root, Path::new("/site/content/articles/a.md"));
        assert!(!batch.needs_reload());
        assert_eq!(batch.describe(), "content/articles/a.md");
        batch.add(root, Path::new("/site/site.toml"));
        assert!(batch.needs_reload());
        assert_eq!(batch.describe(), "site.toml and 1 more");
    }
}
