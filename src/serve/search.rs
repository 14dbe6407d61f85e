//! serve's search index: made on a background thread after start-up and after each
//! rebuild, never on the path that renders or reloads a page, and served from memory at
//! `pagefind/` under the base path. Until the first one is made, its files are not found
//! (the theme's box says search is not ready); later ones replace it whole.

use super::http::{respond, Shared};
use crate::search::{self, FOLDER};
use crate::site::Site;
use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Instant;

/// The files of the newest index, by name under [`FOLDER`].
pub type Files = Arc<BTreeMap<String, Bytes>>;

/// Where the newest index is kept for the server: whether the site has search (when it has
/// not, `pagefind/` is an address like any other), and the files once made.
#[derive(Default)]
pub struct Index(RwLock<(bool, Option<Files>)>);

impl Index {
    fn set(&self, files: Files) {
        self.0.write().unwrap_or_else(PoisonError::into_inner).1 = Some(files);
    }

    fn enable(&self, on: bool) {
        let mut state = self.0.write().unwrap_or_else(PoisonError::into_inner);
        state.0 = on;
        if !on {
            state.1 = None;
        }
    }

    /// `Some` when the site has search: the file `name`, if the index has it.
    fn get(&self, name: &str) -> Option<Option<Bytes>> {
        let state = self.0.read().unwrap_or_else(PoisonError::into_inner);
        state
            .0
            .then(|| state.1.as_ref().and_then(|f| f.get(name).cloned()))
    }
}

/// The thread that makes the index: one at a time; a site given while one is being made
/// is indexed as soon as it is done, so the newest edit is always found in the end.
#[derive(Clone)]
pub struct Worker {
    running: Arc<AtomicBool>,
    /// The site to index next, when one came while the thread was busy.
    next: Arc<Mutex<Option<Site>>>,
    shared: Arc<Shared>,
}

impl Worker {
    pub fn new(shared: Arc<Shared>) -> Worker {
        Worker {
            running: Arc::default(),
            next: Arc::default(),
            shared,
        }
    }

    /// Indexes `site` in the background (after the one under way, if any).
    pub fn start(&self, site: &Site) {
        self.shared.search.enable(site.config.search);
        if !site.config.search {
            return;
        }
        *self.next.lock().unwrap_or_else(PoisonError::into_inner) = Some(site.clone());
        if self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let worker = self.clone();
        let spawned = std::thread::Builder::new()
            .name("brief-search".into())
            .spawn(move || worker.work());
        if spawned.is_err() {
            self.running.store(false, Ordering::SeqCst);
        }
    }

    fn work(&self) {
        loop {
            let site = self
                .next
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let Some(site) = site else {
                self.running.store(false, Ordering::SeqCst);
                // A site given between the take and the store would otherwise wait.
                let waiting = self
                    .next
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .is_some();
                if waiting && !self.running.swap(true, Ordering::SeqCst) {
                    continue;
                }
                return;
            };
            let started = Instant::now();
            // Pagefind is third-party code: a panic in it ends this index, not the thread.
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index(&site)));
            match made {
                Ok(Ok((files, pages))) => {
                    self.shared.search.set(Arc::new(files));
                    say!(
                        "made the search index of {pages} page{} in {} ms",
                        if pages == 1 { "" } else { "s" },
                        started.elapsed().as_millis()
                    );
                }
                Ok(Err(errors)) => crate::diagnostic::print(&errors),
                Err(_) => eprintln!("error: brief hit an internal error while making the search index; the next change you save tries again"),
            }
        }
    }
}

/// The index of what readers of `site` can open, and how many pages it holds. A document
/// whose Markdown does not render is left out (the preview shows its error).
fn index(
    site: &Site,
) -> Result<(BTreeMap<String, Bytes>, usize), Vec<crate::diagnostic::Diagnostic>> {
    use rayon::prelude::*;
    let documents = site.documents();
    let records: Vec<search::Record> = documents
        .par_iter()
        .filter_map(|doc| {
            let body = site.body(doc).ok()?;
            site.search_record(doc, &body)
        })
        .collect();
    let pages = records.len();
    let files = search::index(records).map_err(|e| vec![e])?;
    let files = files
        .into_iter()
        .map(|(n, b)| (n, Bytes::from(b)))
        .collect();
    Ok((files, pages))
}

/// The answer to a request for a file of the index (`path` is the request's path), or none
/// when the path is not inside the index's folder.
pub fn respond_to(shared: &Shared, uri: &Uri) -> Option<Response> {
    let path = uri.path().strip_prefix(shared.base_path.as_str())?;
    let name = path.strip_prefix(FOLDER)?.strip_prefix('/')?;
    Some(match shared.search.get(name)? {
        Some(bytes) => respond(StatusCode::OK, name, bytes),
        None => respond(
            StatusCode::NOT_FOUND,
            "x.txt",
            "the search index is not made yet, or this file is not part of it\n",
        ),
    })
}
