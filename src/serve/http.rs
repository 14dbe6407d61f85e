//! The HTTP side of serve: accepts connections, maps request paths to rendered files,
//! injects the live-reload script into HTML, and hands the event stream to [`events`].
//!
//! Responses carry `Cache-Control: no-store` and ignore conditional headers: a browser
//! that is told "304 Not Modified" shows its cached page after a reload, and the error
//! overlay would never appear. Nothing is compressed.
//!
//! Loopback is not a safe place: any web page the user opens can make the browser talk to
//! the preview. So a client gets a few seconds (`accept::HEADER_TIMEOUT`) to send each request's headers (which
//! also closes kept-alive connections left idle) and `accept::WRITE_STALL` to make room for the
//! answer; at most a fixed number of connections are served at once (the rest wait in the
//! kernel's queue); a request must name this server in its `Host` (DNS rebinding); and
//! assets are streamed from disk, never read whole. The event stream is exempt from the
//! header timeout: it is an answer, and its keep-alive comments flow every 15 seconds; event
//! streams take only a share of the connections (`events::Streams`).

use super::asset::asset;
#[cfg(test)]
use super::asset::{span, Span};
use super::events::{self, Message, Streams, EVENTS};
use super::preview::Snapshot;
use crate::core::paths::Address;
use crate::site::Key;
use crate::theme::AssetFile;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch};

const SCRIPT: &str = include_str!("reload.js");

/// How many rendered pages are kept for the next request; past it, the oldest go.
const CACHED_PAGES: usize = 2048;

/// What the server serves right now; replaced after each rebuild under one write lock, so
/// that a request never sees half a rebuild.
#[derive(Default)]
pub struct Served {
    /// The site as last built (`None` until it first builds). Pages are rendered from it
    /// when asked for.
    pub snapshot: Option<Arc<Snapshot>>,
    /// Pages rendered from it, each with the key it was rendered at: one whose key is not
    /// the snapshot's is never served.
    pub cache: HashMap<String, (Key, Bytes)>,
    /// Asset path → file on disk. Requests are looked up here, never joined onto a folder.
    pub assets: HashMap<Address, AssetFile>,
    /// The problems of the current build, as the terminal shows them.
    pub error: Option<String>,
    /// Changes with every rebuild that sends a message; each page carries the stamp it was
    /// served with, so a page that reconnects knows whether it missed something.
    pub stamp: String,
}

impl Served {
    /// A page of the current snapshot, if it was rendered at its current key.
    fn cached(&self, file: &str) -> Option<&Bytes> {
        let key = self.snapshot.as_ref()?.output(file)?.key;
        self.cache
            .get(file)
            .filter(|(k, _)| *k == key)
            .map(|(_, bytes)| bytes)
    }
}

/// Renders `file` from the current snapshot unless it is cached, and keeps it. `None` when
/// the snapshot has no such output.
pub fn rendered(shared: &Shared, file: &str) -> Option<crate::diagnostic::Result<Bytes>> {
    rendered_fresh(shared, file, 2)
}

/// As [`rendered`]; when the render failed because a file it reads was saved since the
/// snapshot was made, waits for the snapshot that has it (up to `retries` times).
fn rendered_fresh(
    shared: &Shared,
    file: &str,
    retries: usize,
) -> Option<crate::diagnostic::Result<Bytes>> {
    let snapshot = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = served.cached(file) {
            return Some(Ok(bytes.clone()));
        }
        served.snapshot.clone()?
    };
    let output = snapshot.output(file)?;
    snapshot.keep(output);
    let result = snapshot.render(output);
    if result.is_err() && retries > 0 && snapshot.moved(output) && next_snapshot(shared, &snapshot)
    {
        return rendered_fresh(shared, file, retries - 1);
    }
    if let Ok(bytes) = &result {
        let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
        // Kept only if no rebuild came meanwhile: otherwise it belongs to an older site.
        if served
            .snapshot
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, &snapshot))
        {
            if served.cache.len() >= CACHED_PAGES {
                served.cache.clear();
            }
            served
                .cache
                .insert(file.to_string(), (output.key, bytes.clone()));
        }
    }
    Some(result)
}

/// Waits (at most a few seconds) until the current snapshot is no longer `old`.
fn next_snapshot(shared: &Shared, old: &Arc<Snapshot>) -> bool {
    let replaced = || {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        served
            .snapshot
            .as_ref()
            .is_some_and(|s| !Arc::ptr_eq(s, old))
    };
    let wait = || {
        let until = Instant::now() + NEXT_SNAPSHOT_WAIT;
        while Instant::now() < until {
            if replaced() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    };
    // Other requests go on meanwhile on the runtime's other threads.
    let flavour = tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor());
    match flavour {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
        _ => wait(),
    }
}

/// How long a request waits for the watcher to bring a file saved while it was rendered.
const NEXT_SNAPSHOT_WAIT: Duration = Duration::from_secs(3);

pub struct Shared {
    pub served: RwLock<Served>,
    pub messages: broadcast::Sender<Message>,
    pub streams: Streams,
    /// Becomes true when the server is stopping, to end the event streams.
    pub stopping: watch::Receiver<bool>,
    /// The address listened on, for the `Host` check.
    pub bind: IpAddr,
    /// The sub-path the site is served under: `/`, or `/advice/` with `--base-url`.
    pub base_path: String,
    /// The address printed at start-up, named when a request is refused.
    pub url: String,
    /// The search index, made in the background (`serve::search`).
    pub search: super::search::Index,
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(String),
    /// `/x` where `x/index.html` exists: to `/x/`.
    Redirect(String),
    NotFound,
    Forbidden,
}

/// Maps a request path to a file of the site: `/x/` → `x/index.html`, `/x` → `x` or a
/// redirect to `/x/`. Paths that try to leave the site (dot segments, backslashes, NUL)
/// are refused rather than resolved.
pub fn resolve(path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let Some(decoded) = percent_decode(path) else {
        return Target::NotFound;
    };
    let Some(rel) = decoded.strip_prefix('/') else {
        return Target::NotFound;
    };
    if rel.contains(['\0', '\\'])
        || rel.split('/').any(|s| s == "." || s == "..")
        || rel.starts_with('/')
        || rel.contains("//")
    {
        return Target::Forbidden;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let file = format!("{rel}index.html");
        return if exists(&file) {
            Target::File(file)
        } else {
            Target::NotFound
        };
    }
    if exists(rel) {
        Target::File(rel.to_string())
    } else if exists(&format!("{rel}/index.html")) {
        Target::Redirect(format!("{path}/"))
    } else {
        Target::NotFound
    }
}

/// Where a request path is against the sub-path the site is served under.
#[derive(Debug, PartialEq, Eq)]
pub enum Within<'a> {
    /// Inside it, with the sub-path taken off: `/advice/x/` → `/x/`.
    Inside(&'a str),
    /// `/`, or the sub-path without its final slash: sent to the sub-path.
    Top,
    /// Anywhere else: not part of the site.
    Outside,
}

/// Takes `base_path` (`/` or `/advice/`) off a request path. A sub-path with characters
/// outside ASCII matches as written and as a browser sends it, percent-encoded.
pub fn within<'a>(path: &'a str, base_path: &str) -> Within<'a> {
    if base_path == "/" {
        return Within::Inside(path);
    }
    let bare = base_path.trim_end_matches('/');
    let encoded =
        percent_encoding::utf8_percent_encode(bare, percent_encoding::CONTROLS).to_string();
    for prefix in [bare, encoded.as_str()] {
        match path.strip_prefix(prefix) {
            Some("") => return Within::Top,
            Some(rest) if rest.starts_with('/') => return Within::Inside(rest),
            _ => {}
        }
    }
    if path == "/" {
        Within::Top
    } else {
        Within::Outside
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

pub use crate::core::files::content_type;

/// `html` with the live-reload script (and, when the build is failing, the error for the
/// overlay) placed before `</body>`.
pub fn inject(html: &[u8], page: &str, stamp: &str, error: Option<&str>) -> Vec<u8> {
    let state = serde_json::json!({"page": page, "stamp": stamp, "error": error, "events": EVENTS});
    let script = format!(
        "<script data-brief-serve>{}</script>",
        SCRIPT.replace("__BRIEF_STATE__", &crate::html::script_safe_json(&state))
    );
    let at = find_last_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body";
    (0..html.len().saturating_sub(END.len() - 1))
        .rev()
        .find(|&i| html[i..i + END.len()].eq_ignore_ascii_case(END))
}

/// Every request.
pub async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Err(host) = check_host(&headers, &uri, shared.bind) {
        return misdirected(&host, &shared.url);
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "brief serve only answers GET and HEAD\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if uri.path() == EVENTS {
        return events::response(shared);
    }
    if uri.path() == super::review_page::PATH {
        return review_page(&shared);
    }
    if let Some(response) = super::search::respond_to(&shared, &uri) {
        return response;
    }
    let (file, source) = match from_memory(&shared, &uri) {
        Ok(response) => return response,
        Err(asset) => asset,
    };
    match asset(&source, &file, method == Method::HEAD, &headers).await {
        Ok(response) => response,
        // Removed since the last rebuild listed it.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => not_found(&shared),
        Err(e) => {
            let mut response = plain(StatusCode::SERVICE_UNAVAILABLE, "");
            *response.body_mut() = Body::from(format!("cannot read {file}: {e}\n"));
            response
        }
    }
}

/// The answer to a request, from the current snapshot; `Err` names an asset to be read
/// from disk (its path in the site and its file), which happens without the lock.
fn from_memory(shared: &Shared, uri: &Uri) -> Result<Response, (String, PathBuf)> {
    let (target, asset) = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        let Some(snapshot) = &served.snapshot else {
            return Ok(never_built(&served));
        };
        let exists = |f: &str| snapshot.output(f).is_some() || served.assets.contains_key(f);
        let target = match within(uri.path(), &shared.base_path) {
            Within::Inside(path) => match resolve(path, exists) {
                Target::Redirect(to) => {
                    Target::Redirect(format!("{}{to}", shared.base_path.trim_end_matches('/')))
                }
                target => target,
            },
            Within::Top => Target::Redirect(shared.base_path.clone()),
            Within::Outside => Target::NotFound,
        };
        let asset = match &target {
            Target::File(file) if snapshot.output(file).is_none() => {
                served.assets.get(file.as_str()).cloned()
            }
            _ => None,
        };
        (target, asset)
    };
    Ok(match target {
        Target::File(file) => match (asset, rendered(shared, &file)) {
            (Some(AssetFile::Site(source)), _) => return Err((file, source)),
            // The theme's assets are in the binary: small, and served whole.
            (Some(AssetFile::Theme(name)), _) => match AssetFile::theme_bytes(&name) {
                Some(bytes) => respond(StatusCode::OK, &file, Bytes::from(bytes.into_owned())),
                None => not_found(shared),
            },
            (None, Some(result)) => page(StatusCode::OK, &file, result, shared),
            (None, None) => not_found(shared),
        },
        Target::Redirect(to) => {
            let mut response = plain(StatusCode::FOUND, "");
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Target::NotFound => not_found(shared),
        Target::Forbidden => plain(StatusCode::FORBIDDEN, "forbidden\n"),
    })
}

/// The review page of the current snapshot; it reloads after every rebuild (page `*`).
fn review_page(shared: &Shared) -> Response {
    let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
    let Some(snapshot) = &served.snapshot else {
        return never_built(&served);
    };
    let page = super::review_page::html(&snapshot.site, served.error.as_deref());
    let html = inject(page.as_bytes(), "*", &served.stamp, served.error.as_deref());
    respond(StatusCode::OK, "index.html", html)
}

/// Every page while the site has never built: the error.
fn never_built(served: &Served) -> Response {
    let text = served.error.as_deref().unwrap_or("the site is being built");
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>brief: the site could not be built</title></head><body><h1>The site could not be built</h1><pre>{}</pre></body></html>",
        crate::html::escape(text)
    );
    let html = inject(page.as_bytes(), "", &served.stamp, served.error.as_deref());
    respond(StatusCode::INTERNAL_SERVER_ERROR, "index.html", html)
}

/// Refuses a request whose `Host` is not this server: the names `localhost` and
/// `*.localhost`, loopback addresses, the address listened on (any address when listening
/// on all of them). A page on another site whose name was made to resolve to 127.0.0.1
/// (DNS rebinding) still sends its own name, so it gets nothing. The port is not checked:
/// it says nothing about who is asking, and a forwarded port (`ssh -L`) differs from ours.
/// `Err` says what the request was for, to be shown.
pub fn check_host(headers: &HeaderMap, uri: &Uri, bind: IpAddr) -> Result<(), String> {
    let host = match (headers.get(header::HOST), uri.authority()) {
        (Some(value), _) => value
            .to_str()
            .map_err(|_| "was for a host that is not readable text".to_string())?,
        (None, Some(authority)) => authority.as_str(),
        (None, None) => return Err("named no host (it has no Host header)".into()),
    };
    if host_is_ours(host, bind) && uri.host().is_none_or(|h| host_is_ours(h, bind)) {
        Ok(())
    } else {
        Err(format!("was for {host}"))
    }
}

fn host_is_ours(host: &str, bind: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.starts_with(':') => ip,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            Some(_) => return false,
            None => host,
        },
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost")
        || name
            .get(name.len().saturating_sub(".localhost".len())..)
            .is_some_and(|end| end.eq_ignore_ascii_case(".localhost"))
    {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

fn misdirected(refusal: &str, url: &str) -> Response {
    let mut response = plain(StatusCode::FORBIDDEN, "");
    *response.body_mut() = Body::from(format!(
        "brief serve answers only requests for {url} (or localhost); this one {refusal}.\nOpen {url} instead: other names are refused so that other web sites cannot read the preview through your browser.\n"
    ));
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A rendered file, or the error that stopped it rendering (shown with the overlay).
fn page(
    status: StatusCode,
    file: &str,
    result: crate::diagnostic::Result<Bytes>,
    shared: &Shared,
) -> Response {
    let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
    let (status, bytes) = match result {
        Ok(bytes) => (status, bytes),
        Err(e) => {
            let text = crate::diagnostic::render(&e, false);
            let html = format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>brief: this page could not be rendered</title></head><body><h1>This page could not be rendered</h1><pre>{}</pre></body></html>",
                crate::html::escape(&text)
            );
            let error = served.error.clone().unwrap_or(text);
            let html = inject(html.as_bytes(), file, &served.stamp, Some(&error));
            return respond(StatusCode::INTERNAL_SERVER_ERROR, "index.html", html);
        }
    };
    if content_type(file).starts_with("text/html") {
        let html = inject(&bytes, file, &served.stamp, served.error.as_deref());
        respond(status, file, html)
    } else {
        respond(status, file, bytes)
    }
}

fn not_found(shared: &Shared) -> Response {
    match rendered(shared, "404.html") {
        Some(result) => page(StatusCode::NOT_FOUND, "404.html", result, shared),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

pub(super) fn respond(status: StatusCode, file: &str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(file)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    respond(status, "x.txt", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str) -> Target {
        let files = [
            "index.html",
            "articles/x/index.html",
            "assets/style.css",
            "feed.xml",
            "a b/index.html",
        ];
        resolve(path, |f| files.contains(&f))
    }

    #[test]
    fn a_sub_path_is_taken_off_request_paths() {
        assert_eq!(within("/x/", "/"), Within::Inside("/x/"));
        assert_eq!(within("/advice/", "/advice/"), Within::Inside("/"));
        assert_eq!(
            within("/advice/articles/x/", "/advice/"),
            Within::Inside("/articles/x/")
        );
        assert_eq!(within("/advice", "/advice/"), Within::Top);
        assert_eq!(within("/", "/advice/"), Within::Top);
        assert_eq!(within("/advicex/", "/advice/"), Within::Outside);
        assert_eq!(within("/articles/x/", "/advice/"), Within::Outside);
        assert_eq!(within("/a/b/c", "/a/b/"), Within::Inside("/c"));
        assert_eq!(within("/caf%C3%A9/x", "/café/"), Within::Inside("/x"));
        assert_eq!(within("/café/x", "/café/"), Within::Inside("/x"));
    }

    #[test]
    fn request_paths_map_to_files() {
        assert_eq!(r("/"), Target::File("index.html".into()));
        assert_eq!(
            r("/articles/x/"),
            Target::File("articles/x/index.html".into())
        );
        assert_eq!(r("/articles/x"), Target::Redirect("/articles/x/".into()));
        assert_eq!(
            r("/articles/x/index.html"),
            Target::File("articles/x/index.html".into())
        );
        assert_eq!(
            r("/assets/style.css"),
            Target::File("assets/style.css".into())
        );
        assert_eq!(r("/a%20b/"), Target::File("a b/index.html".into()));
        assert_eq!(r("/feed.xml"), Target::File("feed.xml".into()));
        assert_eq!(r("/nope/"), Target::NotFound);
        assert_eq!(r("/nope"), Target::NotFound);
        assert_eq!(r("/articles/"), Target::NotFound);
    }

    #[test]
    fn paths_that_try_to_leave_the_site_are_refused() {
        for path in [
            "/../site.toml",
            "/articles/../../etc/passwd",
            "/%2e%2e/site.toml",
            "/assets/%2E%2E/%2E%2E/x",
            "/./index.html",
            "/a%00b",
            "/a%5c..%5cb",
            "/a\\b",
            "//etc/passwd",
        ] {
            assert_eq!(r(path), Target::Forbidden, "{path}");
        }
        assert_eq!(r("/%zz"), Target::NotFound);
        assert_eq!(r("/%ff"), Target::NotFound);
        assert_eq!(r("relative"), Target::NotFound);
    }

    #[test]
    fn byte_ranges_follow_the_standard() {
        let part = |first, last| Span::Part { first, last };
        assert_eq!(span(None, 100), Span::Whole);
        assert_eq!(span(Some("bytes=0-9"), 100), part(0, 9));
        assert_eq!(span(Some("bytes=90-200"), 100), part(90, 99));
        assert_eq!(span(Some("bytes=90-"), 100), part(90, 99));
        assert_eq!(span(Some("bytes=-10"), 100), part(90, 99));
        assert_eq!(span(Some("bytes=-1000"), 100), part(0, 99));
        assert_eq!(span(Some("Bytes = 5-5"), 100), part(5, 5));
        assert_eq!(span(Some("bytes=100-"), 100), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=100-200"), 100), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=-0"), 100), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=0-"), 0), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=-5"), 0), Span::Unsatisfiable);
        // Not one well-formed byte range: ignored.
        for ignored in [
            "bytes=0-1,5-6",
            "bytes=9-2",
            "bytes=a-b",
            "bytes=-",
            "bytes=+1-2",
            "bytes=99999999999999999999999-",
            "items=0-1",
            "bytes",
            "",
        ] {
            assert_eq!(span(Some(ignored), 100), Span::Whole, "{ignored}");
        }
    }

    #[test]
    fn only_requests_for_this_server_are_answered() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let all: IpAddr = "0.0.0.0".parse().unwrap();
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        for host in [
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost",
            "localhost.:1111",
            "preview.localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(host_is_ours(host, loopback), "{host}");
        }
        for host in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1.evil.example:1111",
            "localhost.evil.example",
            "evillocalhost:1111",
            "192.168.1.5:1111",
            "[::1]x",
            "localhost:80x",
            "",
        ] {
            assert!(!host_is_ours(host, loopback), "{host}");
        }
        assert!(host_is_ours("192.168.1.5:1111", lan));
        assert!(host_is_ours("10.0.0.7:1111", all));
        assert!(!host_is_ours("mybox.lan:1111", all));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("assets/logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("assets/file"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>x</body></html>";
        let out = String::from_utf8(inject(html, "index.html", "s1", None)).unwrap();
        assert!(
            out.starts_with("<html><body><p>x<script data-brief-serve>"),
            "{out}"
        );
        assert!(out.ends_with("</script></body></html>"), "{out}");
        let out = String::from_utf8(inject(b"<p>no body", "index.html", "s1", None)).unwrap();
        assert!(out.starts_with("<p>no body<script"), "{out}");
    }

    #[test]
    fn the_error_text_cannot_break_out_of_the_script() {
        let error = "error: bad </script><script>alert(1)</script>\n  --> content/articles/x.md:3";
        let out =
            String::from_utf8(inject(b"<body></body>", "index.html", "s1", Some(error))).unwrap();
        assert_eq!(out.matches("</script>").count(), 1, "{out}");
        assert!(out.contains("content/articles/x.md:3"));
    }
}
