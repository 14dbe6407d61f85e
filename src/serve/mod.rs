//! `brief serve`: a live-reloading preview.
//!
//! Three parts, each on its own thread:
//! - [`watch`] turns file-system events into [`watch::Changes`] (debounced by notify);
//! - the rebuild thread applies them to a [`preview::Builder`], which makes the next snapshot
//!   of the site and its plan (reading only what changed), publishes it into [`http::Served`]
//!   under one lock and tells every open page what changed;
//! - [`http`] (axum on a small tokio runtime: the only async code in brief) renders a page
//!   from the current snapshot when it is asked for, streams assets from disk, and injects
//!   the reload script; [`events`] streams the messages.
//!
//! Nothing is written to disk. A failed rebuild keeps the last good pages and shows the
//! error over them; a site whose first build fails is still served, as the error.

mod accept;
mod asset;
pub mod events;
pub mod http;
mod images;
pub mod preview;
mod review_page;
mod search;
pub mod watch;

use crate::diagnostic::Diagnostic;
use crate::site::Options;
use events::Message;
use http::{Served, Shared};
use preview::{Builder, Update};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{broadcast, watch as signal};

/// More changed pages than this and every open page reloads.
const MAX_LISTED_PAGES: usize = 200;

pub struct Args {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    /// The sub-path the site is previewed under (`/` or `/advice/`), from `--base-url`.
    pub base_path: String,
    /// Preview exactly what `build` would publish: no drafts, no future articles.
    pub no_drafts: bool,
    pub open: bool,
}

/// Runs the server until Ctrl-C; returns the exit code.
pub fn run(args: Args) -> i32 {
    let root = match args.root.canonicalize() {
        Ok(root) if root.is_dir() => root,
        _ => {
            crate::diagnostic::print(&[Diagnostic::error(format!(
                "there is no folder {}",
                args.root.display()
            ))
            .with_fix("give the site's folder (the one holding site.toml) with --root")]);
            return 1;
        }
    };
    let address = SocketAddr::new(args.bind, args.port);
    let listener = match std::net::TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            crate::diagnostic::print(&[Diagnostic::error(format!(
                "port {} on {} is already in use",
                args.port, args.bind
            ))
            .with_fix(format!(
                "stop the other server (perhaps another brief serve), or choose another port with --port, e.g. --port {}",
                args.port.wrapping_add(1).max(1024)
            ))]);
            return 1;
        }
        Err(e) => {
            crate::diagnostic::print(&[Diagnostic::error(format!(
                "cannot listen on {address}: {e}"
            ))
            .with_fix("choose another address with --bind or port with --port")]);
            return 1;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let host = match args.bind {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    let url = format!("http://{host}:{port}{}", args.base_path);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, which other computers can reach; the preview shows drafts unless --no-drafts is given",
            args.bind
        );
    }
    let options = Options {
        drafts: !args.no_drafts,
        future: !args.no_drafts,
        today: None,
        serve: true,
        base_url: Some(url.clone()),
    };

    // Watch before the first build, so that nothing saved during it is missed.
    let (change_sender, changes) = mpsc::channel();
    let worker = images::Worker::new(change_sender.clone());
    let watcher = match watch::watch(&root, change_sender) {
        Ok(w) => w,
        Err(e) => {
            crate::diagnostic::print(&[Diagnostic::error(format!(
                "cannot watch {} for changes: {e}",
                root.display()
            ))
            .with_fix(
                "on Linux, raise fs.inotify.max_user_watches (sysctl) if the site is large",
            )]);
            return 1;
        }
    };

    let instance = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let (messages, _) = broadcast::channel(64);
    let (stop, stopping) = signal::channel(false);
    let connections = connection_cap();
    let shared = Arc::new(Shared {
        served: RwLock::new(Served {
            stamp: format!("{instance:x}-0"),
            ..Served::default()
        }),
        messages,
        streams: events::Streams::new(connections / STREAM_SHARE),
        stopping,
        bind: args.bind,
        base_path: args.base_path.clone(),
        url: url.clone(),
        search: search::Index::default(),
    });
    let searcher = search::Worker::new(shared.clone());

    let started = Instant::now();
    let mut builder = Builder::new(&root, options);
    let update = rebuild(&mut builder, "the site", |b| b.reset());
    if let Some(snapshot) = builder.snapshot() {
        show(builder.root(), snapshot.site.warnings.clone());
    }
    let mut publisher = Publisher {
        shared: shared.clone(),
        instance,
        generation: 0,
    };
    let errors = builder.errors();
    let planned = update.changed.len();
    publisher.publish(&builder, update, false, false);
    if let Some(snapshot) = builder.snapshot() {
        worker.start(&snapshot.site);
        searcher.start(&snapshot.site);
    }
    if errors.is_empty() {
        say!(
            "Built the plan of {planned} files in {} ms; pages render when asked for, and are checked in the background",
            started.elapsed().as_millis()
        );
    } else {
        show(builder.root(), errors);
        eprintln!("the site could not be built; serving the error until it is fixed");
    }

    std::thread::Builder::new()
        .name("brief-rebuild".into())
        .spawn(move || rebuild_loop(builder, publisher, changes, (worker, searcher)))
        .expect("cannot start the rebuild thread");

    // Before the address, so that it is the last line: the one people look for.
    if !args.no_drafts {
        say!("Drafts and scheduled articles are shown, with a badge; `brief serve --no-drafts` shows only what `brief build` publishes");
    }
    say!(
        "Articles by review state: http://{host}:{port}{}",
        review_page::PATH
    );
    say!("Serving {} at {url} (Ctrl-C to stop)", display_root(&root));
    if args.open {
        open_browser(&url);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    let result = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = axum::Router::new()
            .fallback(http::handle)
            .with_state(shared);
        accept::serve(listener, app, connections, async move {
            stop_signal().await;
            let _ = stop.send(true);
        })
        .await;
        std::io::Result::Ok(())
    });
    drop(watcher);
    match result {
        Ok(()) => {
            say!("Stopped");
            0
        }
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            1
        }
    }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// How many connections are served at once: 256, or fewer when the process may open few
/// files, so that each can hold its socket and an open asset with room left for the rest
/// (the watcher, the terminal). Beyond it, connections wait in the kernel's queue.
fn connection_cap() -> usize {
    let way = crate::platform::Way::current();
    (crate::platform::descriptor_limit(way).saturating_sub(32) / 2).clamp(8, 256)
}

/// Event streams may hold at most this share of the connections (64 of 256): one is open
/// per page shown, for as long as it is shown, and pages must always find a connection.
const STREAM_SHARE: usize = 4;

/// Runs one rebuild (`what` says of what, for the error). A panic in it, a bug in brief,
/// must not end the rebuild thread, or no later edit would ever show: the pages already
/// served stay, the error is shown over them, and the next change loads the site again.
fn rebuild(builder: &mut Builder, what: &str, step: impl FnOnce(&mut Builder) -> Update) -> Update {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        injected_fault(builder.root());
        step(builder)
    }));
    let payload = match attempt {
        Ok(update) => return update,
        Err(payload) => payload,
    };
    let cause = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    builder.fail(
        Diagnostic::error(format!(
            "brief hit an internal error while rebuilding {what}: {cause}"
        ))
        .with_fix("this is a bug in brief, please report it; the pages shown are the last good ones, and the next change you save loads the whole site again"),
    );
    Update::default()
}

/// Debug builds panic in every rebuild while the file named by `BRIEF_SERVE_PANIC_WHILE`
/// (relative to the site) exists: the tests' way to show that a panic does not stop serve.
fn injected_fault(root: &Path) {
    if cfg!(debug_assertions) {
        if let Some(file) = std::env::var_os("BRIEF_SERVE_PANIC_WHILE") {
            if root.join(file).exists() {
                panic!("a panic injected by BRIEF_SERVE_PANIC_WHILE");
            }
        }
    }
}

fn display_root(root: &Path) -> String {
    let here = std::env::current_dir().ok();
    match here.as_deref().and_then(|h| root.strip_prefix(h).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => ".".into(),
        Some(rel) => rel.display().to_string(),
        None => root.display().to_string(),
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("warning: could not open a browser ({program} failed); open {url} yourself");
    }
}

/// How many outputs one round of background checking renders.
const CHECKED_AT_ONCE: usize = 64;

/// Waits for changes, rebuilds, publishes; between changes renders, a few at a time, the
/// outputs that changed, to find the errors of pages nobody has opened. Ends when the
/// watcher goes.
fn rebuild_loop(
    mut builder: Builder,
    mut publisher: Publisher,
    changes: mpsc::Receiver<watch::Changes>,
    (worker, searcher): (images::Worker, search::Worker),
) {
    loop {
        let mut batch = match changes.try_recv() {
            Ok(batch) => batch,
            Err(mpsc::TryRecvError::Empty) if check_some(&mut builder, &mut publisher) => continue,
            Err(mpsc::TryRecvError::Empty) => match changes.recv() {
                Ok(batch) => batch,
                Err(_) => return,
            },
            Err(mpsc::TryRecvError::Disconnected) => return,
        };
        // Whatever else arrived meanwhile (a git checkout) goes into the same rebuild.
        while let Ok(more) = changes.try_recv() {
            batch.merge(more);
        }
        let started = Instant::now();
        let errors_before = builder.errors();
        let what = batch.describe();
        let update = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            injected_fault(builder.root());
            builder.apply(&batch)
        })) {
            Ok(update) => update,
            Err(_) => {
                // A bug in the rebuild: start again from the files on disk rather than
                // leave the preview stuck; that may fail too.
                eprintln!("error: brief hit an internal error while rebuilding {what}; loading the whole site again");
                rebuild(&mut builder, &what, |b| b.reset())
            }
        };
        let css = batch.all.iter().any(
            |c| matches!(c, watch::Change::Asset(p) if p.extension().is_some_and(|e| e == "css")),
        );
        // A folder watched afresh may hold any change, assets included: every page reloads.
        let other_assets = batch.all.iter().any(|c| match c {
            watch::Change::Asset(p) => p.extension().is_none_or(|e| e != "css"),
            watch::Change::Folder(_) => true,
            _ => false,
        });
        let changed = publisher.publish(&builder, update, css, other_assets);
        if let Some(snapshot) = builder.snapshot() {
            worker.start(&snapshot.site);
            searcher.start(&snapshot.site);
        }
        let errors = builder.errors();
        let ms = started.elapsed().as_millis();
        let waited = batch
            .first_seen
            .map_or(0, |t| t.elapsed().as_millis().saturating_sub(ms));
        let s = if changed == 1 { "" } else { "s" };
        if errors.is_empty() {
            say!("{what} changed: {changed} file{s} changed, in {ms} ms (+{waited} ms settling)");
        } else {
            if errors != errors_before {
                show(builder.root(), errors.clone());
            }
            say!(
                "{what} changed: {changed} file{s} changed in {ms} ms; {} error{}, still serving the last good pages",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
        }
    }
}

/// Renders a few of the outputs not checked since they changed, and shows any new error.
/// Returns whether there was anything to check.
fn check_some(builder: &mut Builder, publisher: &mut Publisher) -> bool {
    use rayon::prelude::*;
    let files = builder.take_unchecked(CHECKED_AT_ONCE);
    let Some(snapshot) = builder.snapshot().cloned().filter(|_| !files.is_empty()) else {
        return false;
    };
    let before = builder.errors();
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        files
            .par_iter()
            .filter_map(|file| {
                let output = snapshot.output(file)?;
                Some((file, output.key, snapshot.render(output)))
            })
            .collect::<Vec<_>>()
    }));
    let Ok(results) = attempt else {
        builder.fail(Diagnostic::error("brief hit an internal error while rendering a page").with_fix("this is a bug in brief, please report it; the next change you save loads the whole site again"));
        publisher.publish(builder, Update::default(), false, false);
        return true;
    };
    for (file, key, result) in &results {
        builder.note_render(file, *key, result);
    }
    let errors = builder.errors();
    if errors != before {
        if !errors.is_empty() {
            show(builder.root(), errors);
        }
        publisher.publish(builder, Update::default(), false, false);
    }
    true
}

/// Prints diagnostics to the terminal, each with the line it points at.
fn show(root: &Path, mut all: Vec<Diagnostic>) {
    crate::diagnostic::attach_sources(root, &mut all, &crate::secrets::lines);
    crate::diagnostic::print(&all);
}

struct Publisher {
    shared: Arc<Shared>,
    instance: u128,
    generation: u64,
}

impl Publisher {
    /// Puts the rebuilt files in place and tells the pages; returns how many files
    /// changed.
    fn publish(
        &mut self,
        builder: &Builder,
        update: Update,
        css: bool,
        other_assets: bool,
    ) -> usize {
        // The overlay shows what the terminal does, source lines too.
        let mut errors = builder.errors();
        crate::diagnostic::attach_sources(builder.root(), &mut errors, &crate::secrets::lines);
        let text = (!errors.is_empty()).then(|| {
            errors
                .iter()
                .map(|d| crate::diagnostic::render(d, false))
                .collect::<Vec<_>>()
                .join("\n\n")
        });
        let mut served = self
            .shared
            .served
            .write()
            .unwrap_or_else(|e| e.into_inner());
        let changed = update.changed;
        if let Some(snapshot) = update.snapshot {
            // Pages rendered from an older site go unless their key is still current.
            served
                .cache
                .retain(|file, (key, _)| snapshot.output(file).is_some_and(|o| o.key == *key));
            served.snapshot = Some(snapshot);
        }
        // Also when nothing could be loaded: an asset that gained a secret meanwhile is
        // named by the load's errors, and must stop being served.
        served.assets = builder.assets();
        let was_failing = served.error.is_some();
        let error_changed = served.error != text;
        served.error = text.clone();

        let fixed = was_failing && text.is_none();
        let reload = !changed.is_empty() || other_assets || fixed;
        if reload || css || (error_changed && text.is_some()) {
            self.generation += 1;
            served.stamp = format!("{:x}-{}", self.instance, self.generation);
        }
        let stamp = served.stamp.clone();
        drop(served);
        let mut out = Vec::new();
        if reload {
            out.push(Message::Reload {
                stamp: stamp.clone(),
                pages: (!other_assets && changed.len() <= MAX_LISTED_PAGES)
                    .then(|| changed.clone()),
                ok: text.is_none(),
            });
        }
        if css {
            out.push(Message::Css {
                stamp: stamp.clone(),
            });
        }
        if let Some(text) = text.filter(|_| error_changed) {
            out.push(Message::Failed { stamp, text });
        }
        for message in out {
            // No page listening is not an error.
            let _ = self.shared.messages.send(message);
        }
        changed.len()
    }
}
