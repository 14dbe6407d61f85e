//! serve's image processing: a page never waits for it. Pages show originals (with their
//! sizes) until an image's variants are in the cache; a background thread makes them, then
//! reports an asset change, after which the catalogue marks them ready, their pages' keys
//! change and the open pages reload with `<picture>` and `srcset`.

use super::watch::{Change, Changes};
use crate::site::Site;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Instant;

pub struct Worker {
    running: Arc<AtomicBool>,
    /// Images tried once already (by hash): a damaged one is not decoded after every edit.
    tried: Arc<Mutex<HashSet<u64>>>,
    changes: mpsc::Sender<Changes>,
}

impl Worker {
    pub fn new(changes: mpsc::Sender<Changes>) -> Worker {
        Worker {
            running: Arc::default(),
            tried: Arc::default(),
            changes,
        }
    }

    /// Starts making the variants `site`'s catalogue lacks, unless that is under way.
    pub fn start(&self, site: &Site) {
        let mut tried = self.tried.lock().unwrap_or_else(PoisonError::into_inner);
        let todo: Vec<_> = site
            .images
            .unready()
            .into_iter()
            .filter(|w| !tried.contains(&w.image.hash))
            .collect();
        if todo.is_empty() || self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        tried.extend(todo.iter().map(|w| w.image.hash));
        let (running, changes, root) = (
            self.running.clone(),
            self.changes.clone(),
            site.root.clone(),
        );
        let spawned = std::thread::Builder::new()
            .name("brief-images".into())
            .spawn(move || {
                let started = Instant::now();
                match crate::images::process::make(&root, &todo, true) {
                    Ok(_) => println!(
                        "made the variants of {} image{} in {} ms",
                        todo.len(),
                        if todo.len() == 1 { "" } else { "s" },
                        started.elapsed().as_millis()
                    ),
                    Err(errors) => crate::diagnostic::print(&errors),
                }
                running.store(false, Ordering::SeqCst);
                let mut all = std::collections::BTreeSet::new();
                all.insert(Change::Asset(PathBuf::from(crate::site::ASSETS)));
                let _ = changes.send(Changes {
                    all,
                    first_seen: Some(Instant::now()),
                });
            });
        if spawned.is_err() {
            self.running.store(false, Ordering::SeqCst);
        }
    }
}
