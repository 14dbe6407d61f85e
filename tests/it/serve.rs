//! `brief serve`: HTTP behaviour over a plain socket, and live reload in a real headless
//! Chromium (Debian's `chromium`, installed by .ci/run).

use crate::support::{printed_port, spawn_serve as spawn, Site};
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a change may take to show. Generous: CI machines are busy; the tests poll and
/// finish as soon as the page changes.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// `brief serve` on a copy of the `serve` fixture, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
    pub(crate) site: Site,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_on(Site::fixture_with_theme("serve"), args)
    }

    pub(crate) fn start_on(site: Site, args: &[&str]) -> Server {
        let (child, output) = spawn(&site, 0, args);
        let port = printed_port(&output, PATIENCE);
        let server = Server {
            child,
            port,
            output,
            site,
        };
        server.wait_for_output("Serving ");
        server
    }

    /// Stops brief serve as Ctrl-C does.
    fn interrupt(&mut self) {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "Ctrl-C should stop brief serve cleanly: {status}"
        );
        assert!(self.output().contains("Stopped"), "{}", self.output());
    }

    /// Starts brief serve again on the same port.
    fn start_again(&mut self) {
        let (child, output) = spawn(&self.site, self.port, &[]);
        self.child = child;
        self.output = output;
        self.wait_for_output("Serving ");
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(crate) fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    pub(crate) fn wait_for_output(&self, text: &str) {
        let start = Instant::now();
        while !self.output().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "brief serve never printed {text:?}; it printed:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A plain HTTP/1.1 request; the whole response as text.
    fn request(&self, method: &str, path: &str, headers: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Response {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    /// Status line and headers, lower-cased.
    head: String,
    body: String,
}

#[test]
fn pages_are_served_from_memory_with_the_reload_script() {
    let server = Server::start(&[]);
    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(home.head.contains("cache-control: no-store"));
    assert!(!home.head.contains("etag") && !home.head.contains("last-modified"));
    assert!(home.body.contains("<script data-brief-serve>"));
    assert!(home.body.trim_end().ends_with("</html>"));
    assert!(
        !server.site.root().join("public").exists(),
        "serve wrote to disk"
    );

    // base_url is the local address, so every link works locally.
    let feed = server.get("/feed.xml");
    assert!(feed.head.contains("application/atom+xml"));
    assert!(feed.body.contains(&server.url("/articles/backups/")));
    assert!(!feed.body.contains("example.com"));
    assert!(!feed.body.contains("data-brief-serve"));

    // Drafts and scheduled articles are previewed, with their badges.
    assert!(server
        .get("/articles/work-in-progress/")
        .body
        .contains("badge-draft"));
    assert!(server
        .get("/articles/from-the-future/")
        .body
        .contains("badge-scheduled"));

    let redirect = server.get("/articles/backups");
    assert_eq!(redirect.status, 302);
    assert!(redirect.head.contains("location: /articles/backups/"));

    let css = server.get("/assets/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("content-type: text/css"));
    assert!(!css.body.contains("data-brief-serve"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("data-brief-serve"));
    assert!(
        missing.body.contains("Page not found"),
        "not the site's 404.html"
    );

    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/assets/..%2f..%2fsite.toml",
    ] {
        let r = server.get(path);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.body.contains("base_url"), "{path} leaked site.toml");
    }

    let post = server.request("POST", "/", "Content-Length: 0\r\n");
    assert_eq!(post.status, 405);
    assert!(post.head.contains("allow: get, head"));

    // Conditional requests still get the page: a 304 would hide the error overlay.
    let conditional = server.request(
        "GET",
        "/",
        "If-None-Match: \"x\"\r\nIf-Modified-Since: Wed, 01 Jan 2099 00:00:00 GMT\r\n",
    );
    assert_eq!(conditional.status, 200);
}

#[test]
fn no_drafts_previews_what_build_publishes() {
    let server = Server::start(&["--no-drafts"]);
    assert_eq!(server.get("/articles/work-in-progress/").status, 404);
    assert_eq!(server.get("/articles/from-the-future/").status, 404);
    assert_eq!(server.get("/articles/backups/").status, 200);
    // The note about drafts is printed before the address, so it would be there by now.
    assert!(
        !server
            .output()
            .contains("Drafts and scheduled articles are shown"),
        "{}",
        server.output()
    );
}

#[test]
fn the_start_up_lines_say_drafts_are_shown_and_how_to_hide_them() {
    let server = Server::start(&[]);
    let output = server.output();
    let note = output
        .lines()
        .position(|l| l.starts_with("Drafts and scheduled articles are shown"))
        .unwrap_or_else(|| panic!("no note about drafts:\n{output}"));
    let serving = output
        .lines()
        .position(|l| l.starts_with("Serving "))
        .unwrap();
    assert!(note < serving, "{output}");
    assert!(
        output.contains("`brief serve --no-drafts` shows only what `brief build` publishes"),
        "{output}"
    );
}

#[test]
fn base_url_gives_serve_its_sub_path_but_not_its_host() {
    let server = Server::start(&["--base-url", "https://example.org/advice"]);
    assert!(
        server
            .output()
            .contains(&format!("at {} (Ctrl-C to stop)", server.url("/advice/"))),
        "{}",
        server.output()
    );
    let home = server.get("/advice/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert!(home.body.contains("<script data-brief-serve>"));
    // Every link in the site goes under the sub-path.
    assert!(
        home.body.contains("href=\"/advice/articles/"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("href=\"/articles/"), "{}", home.body);
    let article = server.get("/advice/articles/backups/");
    assert_eq!(article.status, 200);
    let canonical = format!(
        "<link rel=\"canonical\" href=\"{}\">",
        server.url("/advice/articles/backups/")
    );
    assert!(article.body.contains(&canonical), "{}", article.body);
    assert_eq!(server.get("/advice/assets/style.css").status, 200);

    // The feed's addresses are this computer's, under the sub-path.
    let feed = server.get("/advice/feed.xml");
    assert!(
        feed.body.contains(&server.url("/advice/articles/backups/")),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("example.org"), "{}", feed.body);

    for (path, to) in [
        ("/", "/advice/"),
        ("/advice", "/advice/"),
        ("/advice/articles/backups", "/advice/articles/backups/"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 302, "{path}");
        assert!(
            r.head.contains(&format!("location: {to}\r\n")),
            "{path}: {}",
            r.head
        );
    }
    // Outside the sub-path is not the site: the site's own 404 page.
    let outside = server.get("/articles/backups/");
    assert_eq!(outside.status, 404);
    assert!(outside.body.contains("Page not found"), "{}", outside.body);
    assert_eq!(server.get("/advice/../site.toml").status, 403);
}

#[test]
fn serve_ignores_brief_base_url_from_the_environment() {
    let server = start_limited(
        Site::fixture_with_theme("serve"),
        &[("BRIEF_BASE_URL", "https://example.org/elsewhere/")],
        None,
    );
    assert!(
        server
            .output()
            .contains(&format!("at {} (Ctrl-C", server.url("/"))),
        "{}",
        server.output()
    );
    assert_eq!(server.get("/").status, 200);
    let feed = server.get("/feed.xml");
    assert!(
        feed.body.contains(&server.url("/articles/backups/")),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("elsewhere"), "{}", feed.body);
}

#[test]
fn serve_takes_short_flags_for_root_and_port() {
    let site = Site::fixture_with_theme("serve");
    let elsewhere = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "-r"])
        .arg(site.root())
        .args(["-p", "0"])
        .current_dir(elsewhere.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cannot run brief serve");
    let output = crate::support::gather_output(&mut child);
    let port = printed_port(&output, PATIENCE);
    let server = Server {
        child,
        port,
        output,
        site,
    };
    server.wait_for_output("Serving ");
    assert_ne!(port, 1111, "-p 0 was not used");
    assert_eq!(server.get("/articles/backups/").status, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::fixture_with_theme("serve");
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn the_event_stream_says_which_pages_changed() {
    let server = Server::start(&[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__brief/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut seen = String::new();
    let mut read_until = |text: &str, seen: &mut String| {
        let start = Instant::now();
        while !seen.contains(text) {
            assert!(start.elapsed() < PATIENCE, "no {text:?} in:\n{seen}");
            let mut line = String::new();
            reader.read_line(&mut line).expect("the event stream ended");
            seen.push_str(&line);
        }
    };
    read_until("event: hello", &mut seen);
    assert!(seen.contains("text/event-stream"), "{seen}");
    server
        .site
        .edit("content/articles/backups.md", "a hope", "a wish");
    read_until("event: reload", &mut seen);
    read_until("articles/backups/index.html", &mut seen);
    server.wait_for_output("content/articles/backups.md changed");
    // A stylesheet is swapped in place rather than reloading the page.
    let css = server.site.read("assets/style.css");
    server.site.write(
        "assets/style.css",
        &format!("{css}\nbody {{ outline: 0 }}\n"),
    );
    read_until("event: css", &mut seen);
    assert!(server.get("/assets/style.css").body.contains("outline: 0"));
}

/// Waits until `path` is served with (or, with `present` false, without) `text`.
fn wait_for_page(server: &Server, path: &str, text: &str, present: bool) {
    let start = Instant::now();
    loop {
        let page = server.get(path);
        if page.body.contains(text) == present && (page.status == 200 || !present) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{path} never {} {text:?}; brief serve printed:\n{}",
            if present { "showed" } else { "stopped showing" },
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_way_editors_save_is_picked_up() {
    let server = Server::start(&[]);
    let site = &server.site;
    let article = "content/articles/backups.md";
    let page = "/articles/backups/";

    // vim: probe file 4913, the original renamed to a backup, a new file written.
    site.write("content/articles/4913", "");
    std::fs::remove_file(site.path("content/articles/4913")).unwrap();
    std::fs::rename(
        site.path(article),
        site.path("content/articles/backups.md~"),
    )
    .unwrap();
    let text = site
        .read("content/articles/backups.md~")
        .replace("a hope", "a vim hope");
    site.write(article, &text);
    std::fs::remove_file(site.path("content/articles/backups.md~")).unwrap();
    wait_for_page(&server, page, "a vim hope", true);

    // VS Code and JetBrains: a temporary file renamed over the original.
    site.write(
        "content/articles/backups.md___jb_tmp___",
        &text.replace("a vim hope", "a renamed hope"),
    );
    std::fs::rename(
        site.path("content/articles/backups.md___jb_tmp___"),
        site.path(article),
    )
    .unwrap();
    wait_for_page(&server, page, "a renamed hope", true);

    // Delete, then create.
    std::fs::remove_file(site.path(article)).unwrap();
    site.write(article, &text.replace("a vim hope", "a recreated hope"));
    wait_for_page(&server, page, "a recreated hope", true);

    // A burst, as from a git checkout: many new articles at once, then a folder removed.
    for n in 0..40 {
        site.write(
            &format!("content/articles/burst/burst-{n}.md"),
            &format!("---\ntitle: Burst {n}\ndate: 2026-04-01\ncurrent_as_at: 2026-04-01\ntags: [burst]\n---\n\nNumber {n}.\n"),
        );
    }
    wait_for_page(&server, "/tags/burst/page/4/", "Burst", true);
    // A folder under articles/ is a section: its articles are published under it.
    wait_for_page(&server, "/articles/burst/burst-39/", "Number 39.", true);
    wait_for_page(&server, "/articles/burst/page/20/", "Burst", true);
    std::fs::remove_dir_all(site.path("content/articles/burst")).unwrap();
    wait_for_page(&server, "/tags/", "burst", false);
    assert_eq!(server.get("/articles/burst/burst-39/").status, 404);
    assert_eq!(server.get("/articles/backups/").status, 200);
}

#[test]
fn a_site_that_cannot_build_is_served_as_its_error_until_fixed() {
    let site = Site::fixture_with_theme("serve");
    site.edit("site.toml", "paginate = 2", "paginate = \"two\"");
    let server = Server::start_on(site, &[]);
    let page = server.get("/articles/backups/");
    assert_eq!(page.status, 500);
    assert!(page.body.contains("site.toml:6"), "{}", page.body);
    // The overlay shows the line, as the terminal does.
    assert!(page.body.contains("\n 6 | paginate = "), "{}", page.body);
    assert!(page.body.contains("fix: "), "{}", page.body);
    assert!(page.body.contains("data-brief-serve"));

    server
        .site
        .edit("site.toml", "paginate = \"two\"", "paginate = 2");
    let start = Instant::now();
    while server.get("/articles/backups/").status != 200 {
        assert!(start.elapsed() < PATIENCE, "{}", server.output());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until brief serve's answer for `path` has status `status`, returning it.
fn wait_for_status(server: &Server, path: &str, status: u16) -> Response {
    let start = Instant::now();
    loop {
        let r = server.get(path);
        if r.status == status {
            return r;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{path} stayed {}; brief serve printed:\n{}",
            r.status,
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_secret_is_never_served_and_shows_in_the_overlay() {
    let site = Site::fixture_with_theme("serve");
    let key_body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    let key = format!("-----BEGIN {} PRIVATE KEY-----\n{key_body}\n", "OPENSSH");
    site.write("assets/id_rsa", &key);
    site.write("assets/avatar.png", &key);
    let server = Server::start_on(site, &[]);

    for path in ["/assets/id_rsa", "/assets/avatar.png"] {
        let r = server.get(path);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.body.contains(key_body), "{path} was served");
    }
    // The rest of the site is served, with the errors in the overlay.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("assets/id_rsa"), "{}", home.body);
    assert!(home.body.contains("assets/avatar.png"), "{}", home.body);
    assert_eq!(server.get("/assets/style.css").status, 200);

    // An asset that gains a secret while serving stops being served.
    let value = "Zx81Yw72Vu63Ts54";
    server.site.write("assets/map.js", "const region = 'au';\n");
    wait_for_status(&server, "/assets/map.js", 200);
    server
        .site
        .write("assets/map.js", &format!("const api_key = '{value}';\n"));
    let r = wait_for_status(&server, "/assets/map.js", 404);
    assert!(!r.body.contains(value));
    wait_for_page(&server, "/", "assets/map.js", true);

    // An article that gains one keeps showing its last good page, with the error over it,
    // where a browser has shown it; one that no browser has shown says why it cannot be.
    assert!(server.get("/articles/backups/").body.contains("a hope"));
    let unseen = "content/articles/first-steps.md";
    let text = server.site.read(unseen);
    server
        .site
        .write(unseen, &format!("{text}\n\nDB_PASSWORD={value}\n"));
    server.site.edit(
        "content/articles/backups.md",
        "a hope",
        &format!("a hope\n\nDB_PASSWORD={value}"),
    );
    wait_for_page(
        &server,
        "/articles/backups/",
        "content/articles/backups.md",
        true,
    );
    let page = server.get("/articles/backups/");
    assert!(!page.body.contains(value), "the secret was published");
    assert!(page.body.contains("a hope"));
    let page = server.get("/articles/first-steps/");
    assert!(!page.body.contains(value), "the secret was published");
    assert!(page.body.contains(unseen), "{}", page.body);

    // Fixed: served again.
    server.site.write("assets/map.js", "const region = 'nz';\n");
    wait_for_status(&server, "/assets/map.js", 200);
}

#[test]
fn a_bundle_s_file_holding_a_secret_is_withheld_as_build_refuses_it() {
    let site = Site::fixture_with_theme("serve");
    site.write(
        "content/articles/guide/index.md",
        "---\ntitle: Guide\ndate: 2026-05-01\ncurrent_as_at: 2026-05-01\n---\n\nThe guide.\n",
    );
    // Put together here so that no secret-shaped string sits in the repository.
    let aws = format!("AKIA{}", "QW3RTY7UIOP9ASDF");
    let key_body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    let key = format!(
        "-----BEGIN {0} KEY-----\n{key_body}\n-----END {0} KEY-----\n",
        "PRIVATE"
    );
    let secret = [
        (
            "content/articles/guide/notes.txt",
            format!("access = {aws}\n"),
        ),
        ("content/articles/guide/data/keys.env", key.clone()),
        ("content/articles/guide/data/deep/signing.txt", key.clone()),
    ];
    for (file, text) in &secret {
        site.write(file, text);
    }
    site.write("content/articles/guide/clean.txt", "nothing to hide");
    site.write("content/articles/guide/data/table.csv", "a,b\n1,2\n");

    // build refuses each of them, naming it.
    let build = site.brief(&["build"]);
    build.failure();
    for (file, _) in &secret {
        assert!(
            build.stderr.contains(&format!("--> {file}")),
            "{}",
            build.stderr
        );
    }

    let server = Server::start_on(site, &[]);
    let address = |file: &str| format!("/{}", file.strip_prefix("content/").unwrap());
    for (file, _) in &secret {
        let r = server.get(&address(file));
        assert_eq!(r.status, 404, "{file} was served");
        assert!(
            !r.body.contains(&aws) && !r.body.contains(key_body),
            "{file} was served"
        );
    }
    for clean in [
        "/articles/guide/clean.txt",
        "/articles/guide/data/table.csv",
    ] {
        assert_eq!(server.get(clean).status, 200, "{clean}");
    }
    let home = server.get("/");
    for (file, _) in &secret {
        assert!(home.body.contains(file), "{file} is not in the overlay");
    }

    // A clean file that gains a secret while serving stops being served.
    server
        .site
        .write("content/articles/guide/clean.txt", &format!("k = {aws}\n"));
    let r = wait_for_status(&server, "/articles/guide/clean.txt", 404);
    assert!(!r.body.contains(&aws));

    // So does one that gains it while the site cannot be loaded at all (another
    // article's front matter broken), a bundle's file or an asset alike.
    server.site.write("assets/map.js", "const region = 'au';\n");
    wait_for_status(&server, "/assets/map.js", 200);
    server.site.edit(
        "content/articles/backups.md",
        "current_as_at: 2026-03-01\n",
        "",
    );
    wait_for_page(&server, "/", "content/articles/backups.md", true);
    server.site.write(
        "content/articles/guide/data/table.csv",
        &format!("{aws},2\n"),
    );
    server
        .site
        .write("assets/map.js", &format!("const access = '{aws}';\n"));
    for path in ["/articles/guide/data/table.csv", "/assets/map.js"] {
        let r = wait_for_status(&server, path, 404);
        assert!(!r.body.contains(&aws), "{path} was served");
    }
}

// ---------------------------------------------------------------------------------------
// Hostile clients and a changing file system

/// The server's peak resident memory in KiB (`VmHWM`): what reading a whole file would
/// raise, however briefly.
#[cfg(unix)]
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status")
}

/// Waits until the server closes `stream`, reading and discarding whatever it sends first.
#[track_caller]
fn assert_closed_by_server(stream: &mut TcpStream, deadline: Instant, what: &str) {
    let mut buffer = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "the server never closed {what}");
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => return,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("the server never closed {what}: {e}"),
        }
    }
}

impl Server {
    /// Sends `request` as it is and reads the whole response (the server closes).
    fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        Response {
            status: head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }
}

/// `brief serve` started with `env` set and at most `descriptors` open files.
fn start_limited(site: Site, env: &[(&str, &str)], descriptors: Option<u32>) -> Server {
    let mut command = Command::new("sh");
    let limit = descriptors.map_or(String::new(), |n| format!("ulimit -n {n} && "));
    command
        .arg("-c")
        .arg(format!("{limit}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_brief"))
        .arg("serve")
        .arg("--root")
        .arg(site.root())
        .args(["--port", "0"])
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("cannot run brief serve");
    let output = crate::support::gather_output(&mut child);
    let port = printed_port(&output, PATIENCE);
    let server = Server {
        child,
        port,
        output,
        site,
    };
    server.wait_for_output("Serving ");
    server
}

#[test]
fn idle_and_half_sent_connections_are_closed_and_pages_still_load() {
    let server = Server::start(&[]);
    let connect = || TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut idle: Vec<TcpStream> = (0..300).map(|_| connect()).collect();
    let mut half = connect();
    half.write_all(b"GET /articles/bac").unwrap();
    let mut headers_unfinished = connect();
    headers_unfinished
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n")
        .unwrap();
    // A keep-alive request that is answered, then nothing more is sent.
    let mut kept = connect();
    kept.write_all(b"GET /feed.xml HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();

    // Pages are still served (perhaps after the oldest idle connections are dropped).
    let page = server.get("/articles/backups/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page.body.contains("a hope"));

    let deadline = Instant::now() + Duration::from_secs(60);
    assert_closed_by_server(&mut half, deadline, "half a request line");
    assert_closed_by_server(&mut headers_unfinished, deadline, "unfinished headers");
    assert_closed_by_server(&mut kept, deadline, "an idle keep-alive connection");
    for (n, stream) in idle.iter_mut().enumerate() {
        assert_closed_by_server(stream, deadline, &format!("idle connection {n}"));
    }
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn connections_beyond_the_descriptor_limit_wait_instead_of_breaking_the_server() {
    // 128 descriptors: without a cap, 130 idle connections leave none for the next one.
    let server = start_limited(Site::fixture_with_theme("serve"), &[], Some(128));
    let idle: Vec<TcpStream> = (0..130)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .unwrap();
    stream
        .write_all(
            b"GET /articles/backups/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut raw = String::new();
    let read = stream.read_to_string(&mut raw);
    assert!(
        read.is_ok() && raw.starts_with("HTTP/1.1 200"),
        "no page while idle connections were open ({read:?}): {raw:.200}\n{}",
        server.output()
    );
    drop(idle);
    assert!(!server.output().contains("error"), "{}", server.output());
}

/// Opens the event stream the reload script listens to; nothing is read yet.
fn open_event_stream(server: &Server) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .write_all(
            b"GET /__brief/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    stream
}

#[test]
fn event_streams_never_take_the_connections_pages_need() {
    let server = Server::start(&[]);
    // More than serve takes connections at once (256): tabs left open, or a page on another
    // site opening streams to the preview.
    let mut streams: Vec<TcpStream> = (0..300).map(|_| open_event_stream(&server)).collect();

    let mut page = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    // A guard against a hang, not a measure of speed.
    page.set_read_timeout(Some(Duration::from_secs(90)))
        .unwrap();
    page.write_all(
        b"GET /articles/backups/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut raw = String::new();
    let read = page.read_to_string(&mut raw);
    assert!(
        read.is_ok() && raw.starts_with("HTTP/1.1 200") && raw.contains("a hope"),
        "no page while event streams were open ({read:?}): {raw:.200}\n{}",
        server.output()
    );

    // The oldest stream was ended (its browser reconnects, and its hello's stamp tells it
    // whether it missed a change); a new one is answered.
    let deadline = Instant::now() + PATIENCE;
    assert_closed_by_server(&mut streams[0], deadline, "the oldest event stream");
    let mut newest = BufReader::new(open_event_stream(&server));
    newest.get_mut().set_read_timeout(Some(PATIENCE)).unwrap();
    let mut seen = String::new();
    while !seen.contains("event: hello") {
        let mut line = String::new();
        let n = newest
            .read_line(&mut line)
            .expect("no hello on a new stream");
        assert!(n > 0, "the server closed the new event stream:\n{seen}");
        seen.push_str(&line);
    }
    drop(streams);
}

#[test]
fn the_event_stream_outlives_the_idle_timeout() {
    let server = Server::start(&[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__brief/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut seen = String::new();
    while !seen.contains("event: hello") {
        let mut line = String::new();
        reader.read_line(&mut line).expect("the event stream ended");
        seen.push_str(&line);
    }
    // Longer than any connection may sit idle before its request.
    std::thread::sleep(Duration::from_secs(8));
    server
        .site
        .edit("content/articles/backups.md", "a hope", "a later hope");
    let start = Instant::now();
    while !seen.contains("event: reload") {
        assert!(start.elapsed() < PATIENCE, "no reload in:\n{seen}");
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("the event stream ended");
        assert!(n > 0, "the server closed the event stream:\n{seen}");
        seen.push_str(&line);
    }
}

#[cfg(unix)]
#[test]
fn large_assets_are_streamed_with_head_and_ranges() {
    use std::os::unix::fs::FileExt;
    const SIZE: u64 = 200 << 20;
    let site = Site::fixture_with_theme("serve");
    let big = std::fs::File::create(site.path("assets/big.bin")).unwrap();
    big.set_len(SIZE).unwrap();
    big.write_at(b"MIDDLE", 150 << 20).unwrap();
    big.write_at(b"TAIL", SIZE - 4).unwrap();
    drop(big);
    let server = Server::start_on(site, &[]);
    let peak_before = peak_memory_kib(server.child.id());

    let head = server.request("HEAD", "/assets/big.bin", "");
    assert_eq!(head.status, 200, "{}", head.head);
    assert!(
        head.head.contains(&format!("content-length: {SIZE}")),
        "{}",
        head.head
    );
    assert!(head.head.contains("accept-ranges: bytes"), "{}", head.head);
    assert!(head.body.is_empty());

    let middle = 150u64 << 20;
    let part = server.request(
        "GET",
        "/assets/big.bin",
        &format!("Range: bytes={middle}-{}\r\n", middle + 5),
    );
    assert_eq!(part.status, 206, "{}", part.head);
    assert!(
        part.head.contains(&format!(
            "content-range: bytes {middle}-{}/{SIZE}",
            middle + 5
        )),
        "{}",
        part.head
    );
    assert!(part.head.contains("content-length: 6"), "{}", part.head);
    assert_eq!(part.body, "MIDDLE");

    let suffix = server.request("GET", "/assets/big.bin", "Range: bytes=-4\r\n");
    assert_eq!(suffix.status, 206, "{}", suffix.head);
    assert!(suffix.head.contains(&format!(
        "content-range: bytes {}-{}/{SIZE}",
        SIZE - 4,
        SIZE - 1
    )));
    assert_eq!(suffix.body, "TAIL");

    let open_ended = server.request(
        "GET",
        "/assets/big.bin",
        &format!("Range: bytes={}-\r\n", SIZE - 4),
    );
    assert_eq!(open_ended.status, 206, "{}", open_ended.head);
    assert_eq!(open_ended.body, "TAIL");

    let beyond = server.request(
        "GET",
        "/assets/big.bin",
        &format!("Range: bytes={SIZE}-\r\n"),
    );
    assert_eq!(beyond.status, 416, "{}", beyond.head);
    assert!(
        beyond
            .head
            .contains(&format!("content-range: bytes */{SIZE}")),
        "{}",
        beyond.head
    );

    // A small file answers ranges too; several ranges get the whole file.
    let css = server.site.read("assets/style.css");
    let first = server.request("GET", "/assets/style.css", "Range: bytes=0-9\r\n");
    assert_eq!(first.status, 206);
    assert_eq!(first.body, css[..10]);
    let several = server.request("GET", "/assets/style.css", "Range: bytes=0-1,5-6\r\n");
    assert_eq!(several.status, 200);
    assert_eq!(several.body, css);

    // The whole file, read by the client as it arrives.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
        .write_all(b"GET /assets/big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut total = 0u64;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = stream.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    assert!(total > SIZE, "only {total} bytes of the whole file arrived");

    let grew = peak_memory_kib(server.child.id()).saturating_sub(peak_before);
    assert!(
        grew < (SIZE >> 10) / 4,
        "serving a {} MiB file raised the server's peak memory by {} MiB",
        SIZE >> 20,
        grew >> 10
    );
}

#[test]
fn a_client_that_stops_reading_is_dropped() {
    const SIZE: u64 = 200 << 20;
    let site = Site::fixture_with_theme("serve");
    let big = std::fs::File::create(site.path("assets/big.bin")).unwrap();
    big.set_len(SIZE).unwrap();
    drop(big);
    let server = Server::start_on(site, &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .write_all(b"GET /assets/big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    // Longer than serve lets an answer sit unread (30 s).
    std::thread::sleep(Duration::from_secs(40));
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut total = 0u64;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server neither sent nor closed: {e}"),
        }
    }
    assert!(
        total < SIZE,
        "the server waited for a client that stopped reading ({total} bytes arrived)"
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn requests_for_another_host_are_refused() {
    let server = Server::start(&[]);
    let port = server.port;
    let ask = |host: &str, path: &str| {
        server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(ask(&host, "/").status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in [
            "/",
            "/articles/backups/",
            "/assets/style.css",
            "/__brief/events",
        ] {
            let r = ask(&host, path);
            assert_eq!(r.status, 403, "{host} {path}: {}", r.head);
            assert!(
                r.body.contains(&format!("http://127.0.0.1:{port}/")),
                "{}",
                r.body
            );
            assert!(!r.body.contains("a hope"), "{host} {path}");
        }
    }
    let old = server.raw("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 403, "{}", old.head);
}

#[test]
fn content_moved_away_and_back_or_recreated_is_watched_again() {
    let server = Server::start(&[]);
    let site = &server.site;
    let page = "/articles/backups/";
    let article = "content/articles/backups.md";
    // While content/ is gone the last good pages stay, under the error: those a browser
    // has shown, such as this one.
    let gone = "the site has no content folder";
    assert_eq!(server.get(page).status, 200);

    std::fs::rename(site.path("content"), site.path("content.away")).unwrap();
    wait_for_page(&server, page, gone, true);
    std::fs::rename(site.path("content.away"), site.path("content")).unwrap();
    wait_for_page(&server, page, gone, false);
    site.edit(article, "a hope", "a returned hope");
    wait_for_page(&server, page, "a returned hope", true);
    // Once one edit shows, the folder is watched again: a second one comes through it.
    site.edit(article, "a returned hope", "a twice returned hope");
    wait_for_page(&server, page, "a twice returned hope", true);

    let saved = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&site.path("content"), saved.path());
    std::fs::remove_dir_all(site.path("content")).unwrap();
    // Files are removed one by one, so the article's page may already be gone: its 404
    // shows the error as well.
    let start = Instant::now();
    while !server.get(page).body.contains(gone) {
        assert!(start.elapsed() < PATIENCE, "{}", server.output());
        std::thread::sleep(Duration::from_millis(50));
    }
    crate::support::copy_dir(saved.path(), &site.path("content"));
    site.edit(article, "a twice returned hope", "a recreated hope");
    wait_for_page(&server, page, "a recreated hope", true);
    site.edit(article, "a recreated hope", "a twice recreated hope");
    wait_for_page(&server, page, "a twice recreated hope", true);

    // The other folders recover the same way: a new asset is listed, then another.
    std::fs::rename(site.path("assets"), site.path("assets.away")).unwrap();
    std::fs::rename(site.path("assets.away"), site.path("assets")).unwrap();
    site.write("assets/one.txt", "one");
    wait_for_page(&server, "/assets/one.txt", "one", true);
    site.write("assets/two.txt", "two");
    wait_for_page(&server, "/assets/two.txt", "two", true);
}

#[test]
fn renaming_a_disclaimer_in_site_toml_checks_the_articles_that_name_it_again() {
    let site = Site::fixture_with_theme("serve");
    site.edit(
        "site.toml",
        "[cta.send-it-over]",
        "[disclaimer.general]\ntext = \"Not advice for your situation.\"\n\n[cta.send-it-over]",
    );
    site.edit(
        "content/articles/backups.md",
        "tags: [security]",
        "tags: [security]\ndisclaimer: general",
    );
    let server = Server::start_on(site, &[]);
    wait_for_page(
        &server,
        "/articles/backups/",
        "Not advice for your situation.",
        true,
    );
    server
        .site
        .edit("site.toml", "[disclaimer.general]", "[disclaimer.generic]");
    // The article names an id site.toml no longer has: an error at its line, not a page
    // quietly without its disclaimer.
    wait_for_page(
        &server,
        "/articles/backups/",
        "unknown disclaimer `general`",
        true,
    );
}

#[test]
fn a_date_format_that_breaks_rendering_does_not_stop_later_edits() {
    let server = Server::start(&[]);
    let site = &server.site;
    site.edit(
        "site.toml",
        "format = \"%-d %B %Y\"",
        "format = \"%-d %B %Y %H:%M\"",
    );
    // The site cannot render: the overlay says so over the last good page.
    wait_for_page(&server, "/articles/backups/", "\"error\":\"", true);
    site.edit(
        "site.toml",
        "format = \"%-d %B %Y %H:%M\"",
        "format = \"%-d %B %Y\"",
    );
    wait_for_page(&server, "/articles/backups/", "\"error\":null", true);
    site.edit("content/articles/backups.md", "a hope", "a repaired hope");
    wait_for_page(&server, "/articles/backups/", "a repaired hope", true);
}

#[test]
fn a_panic_while_rebuilding_is_reported_and_later_edits_still_show() {
    // Debug builds of brief panic in every rebuild while this file exists.
    let trigger = "content/articles/boom.md";
    let server = start_limited(
        Site::fixture_with_theme("serve"),
        &[("BRIEF_SERVE_PANIC_WHILE", trigger)],
        None,
    );
    let site = &server.site;
    site.write(
        trigger,
        "---\ntitle: Boom\ndate: 2026-04-01\ncurrent_as_at: 2026-04-01\n---\n\nBoom.\n",
    );
    wait_for_page(
        &server,
        "/articles/backups/",
        "internal error while rebuilding content/articles/boom.md",
        true,
    );
    assert!(server.get("/articles/backups/").body.contains("a hope"));
    std::fs::remove_file(site.path(trigger)).unwrap();
    wait_for_page(&server, "/articles/backups/", "\"error\":null", true);
    site.edit("content/articles/backups.md", "a hope", "a surviving hope");
    wait_for_page(&server, "/articles/backups/", "a surviving hope", true);
}

// ---------------------------------------------------------------------------------------
// In a browser

pub(crate) struct Chromium {
    /// `None` only while it is dropped.
    browser: Option<Browser>,
    profile: tempfile::TempDir,
}

impl Chromium {
    pub(crate) fn browser(&self) -> &Browser {
        self.browser.as_ref().expect("the browser is open")
    }
}

impl Drop for Chromium {
    /// headless_chrome kills and waits for the browser process alone; its zygote, renderers
    /// and network service go a moment later and may still write into the profile, which
    /// would then be left in the temporary folder. The profile goes once they are gone, with
    /// the folder of the socket that keeps to one browser a profile, which a killed browser
    /// leaves behind too.
    fn drop(&mut self) {
        drop(self.browser.take());
        let flag = format!("--user-data-dir={}", self.profile.path().display());
        let start = Instant::now();
        while running_with(&flag) && start.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Some(folder) = std::fs::read_link(self.profile.path().join("SingletonSocket"))
            .ok()
            .and_then(|socket| socket.parent().map(Path::to_path_buf))
            .filter(|f| {
                f.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("org.chromium."))
            })
        {
            std::fs::remove_dir_all(folder).ok();
        }
    }
}

/// Whether a live process was started with `arg`. Chromium's helpers rewrite their command
/// line into one string of words; a zombie's reads empty.
fn running_with(arg: &str) -> bool {
    let arg = arg.as_bytes();
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return false;
    };
    processes.flatten().any(|p| {
        std::fs::read(p.path().join("cmdline")).is_ok_and(|line| {
            (0..line.len()).any(|at| {
                line[at..].starts_with(arg)
                    && matches!(line.get(at + arg.len()), None | Some(0 | b' '))
            })
        })
    })
}

/// Chromium, started headless; `None` (the test is skipped, and says why) where it is not
/// installed, unless `BRIEF_REQUIRE_BROWSER=1` (as `.ci/run` sets) makes that a failure.
pub(crate) fn chromium() -> Option<Chromium> {
    let path = std::env::var_os("BRIEF_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !path.exists() {
        let why = format!(
            "the browser tests need Chromium at {} (apt-get install chromium, or set BRIEF_CHROMIUM)",
            path.display()
        );
        assert!(
            std::env::var_os("BRIEF_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "{why}; BRIEF_REQUIRE_BROWSER=1 makes this a failure"
        );
        eprintln!("note: skipping a browser test: {why}");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .enable_gpu(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .idle_browser_timeout(Duration::from_secs(300))
        .args(vec![
            OsStr::new("--disable-background-networking"),
            OsStr::new("--disable-component-update"),
            OsStr::new("--disable-sync"),
            OsStr::new("--no-first-run"),
            OsStr::new("--disable-dev-shm-usage"),
        ])
        .build()
        .unwrap();
    Some(Chromium {
        browser: Some(Browser::new(options).expect("cannot start Chromium")),
        profile,
    })
}

/// Opens `path` in a new tab and waits until the live-reload stream is connected.
fn open(chromium: &Chromium, server: &Server, path: &str) -> std::sync::Arc<Tab> {
    let tab = chromium.browser().new_tab().unwrap();
    tab.navigate_to(&server.url(path)).unwrap();
    tab.wait_until_navigated().unwrap();
    // Mark the page: a reload loses the mark, so the tests can tell the page reloaded by
    // itself rather than being opened again.
    tab.evaluate("window.briefOpened = true", false).unwrap();
    tab
}

/// Waits until `expression` is true in the page, re-trying across reloads.
fn wait_until(tab: &Tab, expression: &str, server: &Server) {
    let start = Instant::now();
    loop {
        let value = tab
            .evaluate(expression, false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool());
        if value == Some(true) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the page never showed `{expression}`; brief serve printed:\n{}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn text_shows(text: &str) -> String {
    format!(
        "document.body !== null && document.body.innerText.includes({})",
        serde_json::to_string(text).unwrap()
    )
}

const OVERLAY: &str = "document.getElementById('brief-error-overlay')";

/// Makes the page match `prefers-color-scheme: SCHEME`, as a reader's setting would.
fn emulate_colour_scheme(tab: &Tab, scheme: &str) {
    use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
    tab.call_method(SetEmulatedMedia {
        media: None,
        features: Some(vec![MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .unwrap();
    let matches = tab
        .evaluate(
            &format!("matchMedia('(prefers-color-scheme: {scheme})').matches"),
            false,
        )
        .unwrap()
        .value;
    assert_eq!(matches, Some(serde_json::Value::Bool(true)), "{scheme}");
}

/// A piece of the overlay's text with the colour it is drawn in and the opaque colour
/// behind it, as the browser computed them.
#[derive(Debug)]
struct Drawn {
    text: String,
    color: [f64; 4],
    background: [f64; 4],
}

/// Every text node the overlay shows (in its shadow root, and the error text it shows
/// through a slot), with `getComputedStyle`'s colour and the background it is seen on: the
/// backgrounds walking out through the rendered tree, composited until one is opaque.
fn overlay_colours(tab: &Tab) -> Vec<Drawn> {
    let script = format!(
        r#"(() => {{
  const overlay = {OVERLAY};
  const parent = (el) => el.assignedSlot || el.parentElement || (el.getRootNode().host ?? null);
  const rgba = (css) => {{
    const v = css.match(/[\d.]+/g).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  }};
  // The backgrounds from `el` outwards, laid over each other until one is opaque (the
  // canvas, white, if none is).
  const behind = (el) => {{
    const layers = [];
    for (let at = el; at; at = parent(at)) {{
      const bg = rgba(getComputedStyle(at).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 1) break;
    }}
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {{
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }}
    return `rgb(${{out.map((c) => c.toFixed(3)).join(', ')}})`;
  }};
  const nodes = [];
  const walk = (root) => {{
    const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) if (n.data.trim()) nodes.push(n);
  }};
  walk(overlay);
  if (overlay.shadowRoot) walk(overlay.shadowRoot);
  return JSON.stringify(nodes
    .filter((n) => n.parentElement.tagName !== 'STYLE')
    .map((n) => {{
      const el = n.assignedSlot || n.parentElement;
      return {{ text: n.data, color: getComputedStyle(el).color, background: behind(el) }};
    }}));
}})()"#
    );
    let json = tab.evaluate(&script, false).unwrap().value.unwrap();
    let texts: Vec<serde_json::Value> = serde_json::from_str(json.as_str().unwrap()).unwrap();
    assert!(!texts.is_empty(), "the overlay shows no text");
    texts
        .iter()
        .map(|t| Drawn {
            text: t["text"].as_str().unwrap().to_string(),
            color: css_colour(t["color"].as_str().unwrap()),
            background: css_colour(t["background"].as_str().unwrap()),
        })
        .collect()
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as getComputedStyle writes it.
fn css_colour(text: &str) -> [f64; 4] {
    let inner = text
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not an rgb() colour: {text}"));
    let parts: Vec<f64> = inner
        .split(',')
        .map(|p| p.trim().parse().unwrap_or_else(|_| panic!("{text}")))
        .collect();
    [
        parts[0],
        parts[1],
        parts[2],
        parts.get(3).copied().unwrap_or(1.0),
    ]
}

/// WCAG 2's contrast ratio of `fg` over an opaque `bg` (a translucent `fg` blended in).
fn contrast(fg: [f64; 4], bg: [f64; 4]) -> f64 {
    assert_eq!(bg[3], 1.0, "the background {bg:?} is not opaque");
    let blend = |i: usize| fg[i] * fg[3] + bg[i] * (1.0 - fg[3]);
    let luminance = |c: [f64; 3]| {
        let lin = |v: f64| {
            let v = v / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let a = luminance([blend(0), blend(1), blend(2)]);
    let b = luminance([bg[0], bg[1], bg[2]]);
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[test]
fn browser_an_article_edit_appears_in_the_open_page() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(&[]);
    let tab = open(&chromium, &server, "/articles/backups/");
    wait_until(&tab, &text_shows("is a hope, not a backup"), &server);
    server
        .site
        .edit("content/articles/backups.md", "a hope", "a wish");
    wait_until(&tab, &text_shows("is a wish, not a backup"), &server);
}

#[test]
fn browser_a_new_article_appears_on_the_open_index() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(&[]);
    let tab = open(&chromium, &server, "/");
    wait_until(&tab, &text_shows("From the future"), &server);
    server.site.write(
        "content/articles/brand-new.md",
        "---\ntitle: A brand new article\ndate: 2026-11-01\ncurrent_as_at: 2026-11-01\n---\n\nFresh.\n",
    );
    wait_until(&tab, &text_shows("A brand new article"), &server);
    wait_until(&tab, "window.briefOpened !== true", &server);
}

#[test]
fn browser_broken_front_matter_shows_the_overlay_until_fixed() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(&[]);
    let tab = open(&chromium, &server, "/articles/backups/");
    wait_until(&tab, &format!("{OVERLAY} === null"), &server);
    let article = "content/articles/backups.md";
    server
        .site
        .edit(article, "date: 2026-03-01", "date: 2026-13-01");
    wait_until(
        &tab,
        &format!(
            "{OVERLAY} !== null && {OVERLAY}.innerText.includes('content/articles/backups.md:3') && {OVERLAY}.innerText.includes('no such date')"
        ),
        &server,
    );
    // The last good page is still there, under the overlay.
    wait_until(&tab, &text_shows("is a hope, not a backup"), &server);
    // Every line of the overlay can be read in both colour schemes, whatever the site's
    // CSS does to the elements it is made of (the theme gives `pre` a light background).
    for scheme in ["light", "dark"] {
        emulate_colour_scheme(&tab, scheme);
        let texts = overlay_colours(&tab);
        assert!(
            texts.iter().any(|t| t.text.contains("no such date")),
            "{scheme}: the error text is not among {texts:?}"
        );
        for t in &texts {
            let ratio = contrast(t.color, t.background);
            assert!(
                ratio >= 4.5,
                "{scheme}: {:?} is {:?} on {:?}, a contrast of {ratio:.2}:1, under WCAG AA's 4.5:1",
                t.text,
                t.color,
                t.background
            );
        }
    }
    emulate_colour_scheme(&tab, "light");
    // A page opened while the build is failing shows the overlay at once.
    let other = open(&chromium, &server, "/");
    wait_until(&other, &format!("{OVERLAY} !== null"), &server);

    server
        .site
        .edit(article, "date: 2026-13-01", "date: 2026-03-01");
    wait_until(&tab, &format!("{OVERLAY} === null"), &server);
    wait_until(&other, &format!("{OVERLAY} === null"), &server);
}

#[test]
fn browser_a_cta_edit_in_site_toml_changes_the_open_article() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(&[]);
    let tab = open(&chromium, &server, "/articles/backups/");
    wait_until(&tab, &text_shows("Need it to be real?"), &server);
    server
        .site
        .edit("site.toml", "Need it to be real?", "Ready to make it real?");
    wait_until(&tab, &text_shows("Ready to make it real?"), &server);
}

#[test]
fn browser_the_page_reconnects_after_the_server_restarts() {
    let Some(chromium) = chromium() else { return };
    let mut server = Server::start(&[]);
    let tab = open(&chromium, &server, "/articles/backups/");
    wait_until(&tab, &text_shows("is a hope, not a backup"), &server);
    server.interrupt();
    // Changed while no server is watching: the page learns of it when it reconnects.
    server
        .site
        .edit("content/articles/backups.md", "a hope", "a restarted hope");
    server.start_again();
    wait_until(&tab, &text_shows("is a restarted hope"), &server);
}

/// The serve fixture with one article long past its review date.
fn with_an_overdue_article() -> Site {
    let site = Site::fixture_with_theme("serve");
    site.edit(
        "content/articles/backups.md",
        "date: 2026-03-01\ncurrent_as_at: 2026-03-01",
        "date: 2020-03-01\ncurrent_as_at: 2020-03-01",
    );
    site
}

#[test]
fn the_review_page_lists_articles_by_state_and_is_never_built() {
    let site = with_an_overdue_article();
    site.edit(
        "content/articles/backups.md",
        "current_as_at: 2020-03-01",
        "current_as_at: 2020-03-01\nsources:\n  - title: Backup guidance\n    url: https://guidance.example/backups\n    checked: 2020-03-01",
    );
    let server = Server::start_on(site, &[]);
    assert!(
        server
            .output()
            .contains("Articles by review state: http://127.0.0.1:"),
        "{}",
        server.output()
    );
    let page = server.get("/__brief/review/");
    assert_eq!(page.status, 200);
    assert!(
        page.head.contains("cache-control: no-store"),
        "{}",
        page.head
    );
    let overdue = page.body.split("<h2 id=\"overdue\">").nth(1).unwrap();
    let overdue = overdue.split("<h2").next().unwrap();
    assert!(overdue.starts_with("Overdue (1)"), "{}", page.body);
    assert!(
        overdue.contains("<a href=\"/articles/backups/\">Backups that work</a>"),
        "{overdue}"
    );
    assert!(overdue.contains("due 2021-03-01"), "{overdue}");
    let sources = page.body.split("<h2 id=\"sources-due\">").nth(1).unwrap();
    assert!(sources.starts_with("Sources due (1)"), "{}", page.body);
    assert!(
        sources
            .contains("source 1, <a href=\"https://guidance.example/backups\">Backup guidance</a>"),
        "{sources}"
    );
    assert!(
        sources.contains("<code>brief review --confirm backups --source 1</code>"),
        "{sources}"
    );
    // Drafts and scheduled articles are not due for anything.
    assert!(
        !page.body.contains("From the future") && !page.body.contains("Work in progress"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("The site builds without errors."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("data-brief-serve"),
        "the page reloads itself"
    );

    // A build publishes nothing under /__brief/.
    server.site.brief(&["build"]).success();
    assert!(!server.site.path("public/__brief").exists());
}

#[test]
fn browser_the_review_page_links_to_an_overdue_article_and_follows_a_review() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start_on(with_an_overdue_article(), &[]);
    let tab = open(&chromium, &server, "/__brief/review/");
    wait_until(&tab, &text_shows("Overdue (1)"), &server);
    tab.wait_for_element("#overdue + ul a")
        .unwrap()
        .click()
        .unwrap();
    wait_until(&tab, "location.pathname === '/articles/backups/'", &server);
    wait_until(
        &tab,
        &text_shows("This information may be out of date."),
        &server,
    );
    wait_until(
        &tab,
        &text_shows("was due for review by 1 March 2021"),
        &server,
    );

    // Recording the review reloads the open review page, which no longer lists it.
    let review = open(&chromium, &server, "/__brief/review/");
    wait_until(&review, &text_shows("Overdue (1)"), &server);
    server
        .site
        .brief(&["review", "--confirm", "backups"])
        .success();
    wait_until(&review, &text_shows("Overdue (0)"), &server);
    wait_until(&review, "window.briefOpened !== true", &server);
}

#[test]
fn a_bundle_s_files_and_a_section_s_index_are_served_and_followed() {
    let site = Site::fixture_with_theme("serve");
    site.write(
        "content/articles/launch/index.md",
        "---\ntitle: Launch\ndate: 2026-05-01\ncurrent_as_at: 2026-05-01\n---\n\n![Plan](plan.txt)\n",
    );
    site.write("content/articles/launch/plan.txt", "first plan");
    let server = Server::start_on(site, &[]);
    wait_for_page(&server, "/articles/launch/plan.txt", "first plan", true);
    let page = server.get("/articles/launch/");
    assert!(
        page.body.contains("src=\"/articles/launch/plan.txt\""),
        "{}",
        page.body
    );
    // A bundle's file edited, and one added, are served without a restart.
    server
        .site
        .write("content/articles/launch/plan.txt", "second plan");
    wait_for_page(&server, "/articles/launch/plan.txt", "second plan", true);
    server
        .site
        .write("content/articles/launch/notes.txt", "new notes");
    wait_for_page(&server, "/articles/launch/notes.txt", "new notes", true);
    // A section's _index.md, written and edited, changes its list.
    server.site.write(
        "content/articles/_index.md",
        "---\ntitle: Everything we wrote\n---\n",
    );
    wait_for_page(&server, "/articles/", "Everything we wrote", true);
    server.site.edit(
        "content/articles/_index.md",
        "Everything we wrote",
        "All of it",
    );
    wait_for_page(&server, "/articles/", "All of it", true);
}

#[test]
fn serve_keeps_serving_when_its_standard_output_is_closed() {
    // `brief serve | head -n 1`: the reader has gone before brief prints its status lines.
    let site = Site::fixture_with_theme("serve");
    let port = TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("serve")
        .arg("--root")
        .arg(site.root())
        .args(["--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cannot run brief serve");
    let output = Arc::new(Mutex::new(String::new()));
    let stderr = child.stderr.take().unwrap();
    let gathered = Arc::clone(&output);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            gathered.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    let server = Server {
        child,
        port,
        output,
        site,
    };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < PATIENCE,
            "serve never listened: {}",
            server.output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.get("/articles/backups/").status, 200);
    // A rebuild prints a status line too; the server carries on after it.
    server
        .site
        .edit("content/articles/backups.md", "title:", "title: Edited,");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.get("/articles/backups/").status, 200);
    assert!(
        !server.output.lock().unwrap().contains("panicked"),
        "{}",
        server.output.lock().unwrap()
    );
}

#[test]
fn a_page_shows_the_original_image_until_its_variants_are_made_then_them() {
    use image::ImageEncoder;
    let site = Site::fixture_with_theme("serve");
    site.write(
        "content/articles/chart/index.md",
        "---\ntitle: Chart\ndate: 2026-05-01\ncurrent_as_at: 2026-05-01\n---\n\n![A wide chart](wide.png)\n",
    );
    let pixels = image::RgbImage::from_fn(1600, 800, |x, y| {
        image::Rgb([(x / 8) as u8, (y / 4) as u8, 90])
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(pixels.as_raw(), 1600, 800, image::ExtendedColorType::Rgb8)
        .unwrap();
    std::fs::write(site.path("content/articles/chart/wide.png"), &png).unwrap();
    let server = Server::start_on(site, &[]);
    // Whether or not the variants are made yet, the page is served at once, with a size.
    let first = server.get("/articles/chart/");
    assert_eq!(first.status, 200);
    assert!(
        first.body.contains(r#"width="1600" height="800""#) || first.body.contains("<picture>"),
        "{}",
        first.body
    );
    // Made in the background: the page then names them, and they are served.
    wait_for_page(
        &server,
        "/articles/chart/",
        "<picture><source type=\"image/webp\"",
        true,
    );
    let page = server.get("/articles/chart/");
    let at = page.body.find("srcset=\"").unwrap() + 8;
    let first_variant = page.body[at..].split(' ').next().unwrap().to_string();
    assert!(first_variant.ends_with("-480.webp"), "{first_variant}");
    // HEAD: the helper reads bodies as text.
    let variant = server.request("HEAD", &first_variant, "");
    assert_eq!(variant.status, 200, "{}", variant.head);
    assert!(
        variant.head.contains("content-type: image/webp"),
        "{}",
        variant.head
    );
    assert!(
        server.output().contains("made the variants of 1 image"),
        "{}",
        server.output()
    );
}

/// The text of a PDF, as poppler's `pdftotext` reads it, with runs of white space made one
/// space; `None` (the test is skipped) where it is not installed, unless
/// `BRIEF_REQUIRE_BROWSER=1` makes that a failure.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let read = match Command::new("pdftotext").arg(file.path()).arg("-").output() {
        Ok(read) => read,
        Err(e) => {
            let why =
                format!("reading a PDF back needs pdftotext (apt-get install poppler-utils): {e}");
            assert!(
                std::env::var_os("BRIEF_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
                "{why}; BRIEF_REQUIRE_BROWSER=1 makes this a failure"
            );
            eprintln!("note: skipping a browser test: {why}");
            return None;
        }
    };
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let text = String::from_utf8(read.stdout).unwrap();
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn browser_an_article_prints_as_a_document_without_the_site_around_it() {
    let Some(chromium) = chromium() else { return };
    let site = Site::fixture_with_theme("serve");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!(
            "default_disclaimer = \"general\"\n{}\n[disclaimer.general]\n\
             text = \"General information only, not advice for your situation.\"\n",
            config.replace(
                "[cta.send-it-over]",
                "[[menu]]\nlabel = \"Menuitem Zebra\"\nurl = \"/about/\"\n\n\
                 [reviewers.ana]\nname = \"Ana Lim\"\nrole = \"Principal engineer\"\n\n[cta.send-it-over]",
            )
        ),
    );
    // Confirmed yesterday (in UTC; it is today or later in Sydney), so that it is not stale
    // whenever the test runs.
    let confirmed = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    site.write(
        "content/articles/on-paper.md",
        &format!(
            "---\ntitle: Advice on paper\ndate: 2026-01-05\ncurrent_as_at: {confirmed}\nreviewed_by: ana\n\
             changes:\n  - date: 2026-02-01\n    note: The older note.\n  - date: 2026-03-01\n    note: The newer note.\n\
             sources:\n  - title: Fair Trading Act 1987\n    url: https://legislation.example/fta\n    checked: {confirmed}\n---\n\
             The body says to read the [fair trading guide](https://regulator.example/guide) and \
             [our checklist](/articles/backups/).\n\n## First heading\n\nOne.\n\n## Second heading\n\n\
             Two.\n\n## Third heading\n\nThree.\n"
        ),
    );
    let server = Server::start_on(site, &[]);
    let tab = open(&chromium, &server, "/articles/on-paper/");
    // What the screen shows and paper must not.
    for shown in [
        "Menuitem Zebra",
        "On this page",
        "Send it over",
        "Follow what changed",
    ] {
        wait_until(&tab, &text_shows(shown), &server);
    }
    // A reader in the dark scheme still prints black on white.
    {
        use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
        tab.call_method(SetEmulatedMedia {
            media: Some("print".into()),
            features: Some(vec![MediaFeature {
                name: "prefers-color-scheme".into(),
                value: "dark".into(),
            }]),
        })
        .unwrap();
    }
    let colour = tab
        .evaluate(
            "getComputedStyle(document.querySelector('h1')).color",
            false,
        )
        .unwrap()
        .value;
    assert_eq!(colour, Some(serde_json::json!("rgb(0, 0, 0)")));

    let pdf = tab.print_to_pdf(None).unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    let day = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let next_review = confirmed + chrono::Days::new(365);
    for wanted in [
        "Advice on paper".to_string(),
        format!("Information current as at {}", day(confirmed)),
        format!("Next review due {}", day(next_review)),
        "Reviewed by Ana Lim, Principal engineer".to_string(),
        "The body says to read the fair trading guide (https://regulator.example/guide) and our checklist.".to_string(),
        "Third heading Three.".to_string(),
        // Every change note, the earlier ones too, folded away on screen.
        "1 March 2026: The newer note.".to_string(),
        "1 February 2026: The older note.".to_string(),
        // The sources with the day each was checked, and the disclaimer.
        "Sources".to_string(),
        "Fair Trading Act 1987".to_string(),
        format!("checked {}", day(confirmed)),
        "General information only, not advice for your situation.".to_string(),
        format!("Read the current version at {}", server.url("/articles/on-paper/")),
    ] {
        assert!(text.contains(&wanted), "no {wanted:?} in the printed text:\n{text}");
    }
    for unwanted in [
        "Skip to main content",
        "Serve Fixture",
        "Menuitem Zebra",
        "On this page",
        "Send it over",
        "Need it to be real?",
        "Subscribe to the Atom feed",
        "Follow what changed",
        "Older article",
    ] {
        assert!(
            !text.contains(unwanted),
            "{unwanted:?} is in the printed text:\n{text}"
        );
    }
}
