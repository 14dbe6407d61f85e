//! Site search: the Pagefind index `brief build` publishes under pagefind/ (only what
//! readers can open, only the article's own words), the theme's box, `[search] enabled`,
//! the index's folder in the address registry; and in a real Chromium, the box finding an
//! article in a build (at the root and under a sub-path) and in `brief serve` after an edit.

use crate::serve::{chromium, Chromium, Server, PATIENCE};
use crate::support::Site;
use headless_chrome::Tab;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-24";

/// The fixture site in the bundled theme, with words that appear in one document each.
fn site() -> Site {
    let site = Site::fixture_with_theme("basic");
    site.edit(
        "content/articles/checklist.md",
        "Short body with *emphasis*.",
        "Short body with *emphasis* about quokkaphrase rules.",
    );
    site.edit(
        "content/articles/unfinished.md",
        "Work in progress.",
        "Work on draftonlyword.",
    );
    site.edit(
        "content/articles/upcoming.md",
        "Not yet.",
        "Not yet futureonlyword.",
    );
    site
}

/// Every fragment of the index (one per indexed page) as text: Pagefind gzips them.
fn fragments(public: &Path) -> Vec<String> {
    let folder = public.join("pagefind/fragment");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    entries
        .map(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("a fragment is gzipped text");
            text
        })
        .collect()
}

#[test]
fn the_index_holds_published_documents_and_not_drafts_or_scheduled_ones() {
    let site = site();
    site.brief(&["build", "--today", TODAY, "--drafts", "--future"])
        .success();
    let public = site.path("public");
    for name in ["pagefind.js", "pagefind-entry.json", "pagefind-worker.js"] {
        assert!(public.join("pagefind").join(name).is_file(), "{name}");
    }
    assert!(!public.join("pagefind/pagefind-ui.js").exists());
    let fragments = fragments(&public);
    let checklist = fragments
        .iter()
        .find(|f| f.contains("quokkaphrase"))
        .expect("the article's body is indexed");
    assert!(
        checklist.contains("\"url\":\"/articles/checklist/\""),
        "{checklist}"
    );
    assert!(
        checklist.contains("Information current as at 2 March 2026"),
        "{checklist}"
    );
    assert!(
        checklist.contains("Signs a prototype is now depended on."),
        "the summary"
    );
    assert!(
        fragments.iter().any(|f| f.contains("We advise.")),
        "pages are indexed"
    );
    // Published by --drafts and --future, but not for readers: never in the index.
    assert!(site.path("public/articles/unfinished/index.html").is_file());
    let all = fragments.concat();
    assert!(!all.contains("draftonlyword") && !all.contains("futureonlyword"));
    // Neither the theme's chrome nor the calls-to-action.
    assert!(!all.contains("Skip to main content"));
    assert!(!all.contains("send it over"), "{all}");
    let home = site.read("public/index.html");
    assert!(home.contains("<form class=\"site-search\" role=\"search\""));
    assert!(home.contains("<label for=\"site-search-input\">"));
}

/// A body brief rendered itself is indexed as its plain text (a call-to-action placed in it
/// left out, the title first as a sentence); one with raw HTML by Pagefind's HTML reader,
/// which finds the words in the markup and leaves scripts out.
#[test]
fn bodies_are_indexed_as_text_or_through_their_html() {
    let site = site();
    site.edit(
        "content/articles/checklist.md",
        "about quokkaphrase rules.",
        "about quokkaphrase rules.\n\n{{ cta(id=\"talk-to-us\") }}\n\n- Item &amp; more\n- last",
    );
    site.edit(
        "content/about.md",
        "We advise.",
        "We advise.\n\n<div class=\"note\">Only in rawhtmlword markup.</div>\n\n<script>var scriptonlyword;</script>",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let fragments = fragments(&site.path("public"));
    let checklist = fragments
        .iter()
        .find(|f| f.contains("quokkaphrase"))
        .expect("the article is indexed");
    assert!(
        checklist.contains("\"content\":\"A go-live checklist. Signs a prototype is now depended on. Short body with emphasis about quokkaphrase rules. Item & more. last.\""),
        "{checklist}"
    );
    assert!(!checklist.contains("One conversation"), "{checklist}");
    let about = fragments
        .iter()
        .find(|f| f.contains("\"url\":\"/about/\""))
        .expect("the page is indexed");
    assert!(about.contains("rawhtmlword"), "{about}");
    assert!(!about.contains("scriptonlyword"), "{about}");
}

#[test]
fn search_turned_off_writes_no_index_and_no_box() {
    let site = site();
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}\n[search]\nenabled = false\n"));
    site.brief(&["build", "--today", TODAY]).success();
    assert!(!site.path("public/pagefind").exists());
    assert!(!site.read("public/index.html").contains("site-search"));
    assert!(!site
        .read("public/articles/checklist/index.html")
        .contains("site-search"));
    // The folder is then an address like any other.
    site.write(
        "content/pagefind.md",
        "---\ntitle: Pagefind\n---\nA page.\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
}

#[test]
fn nothing_else_may_publish_inside_the_index_folder() {
    let site = site();
    site.write(
        "content/pagefind.md",
        "---\ntitle: Pagefind\n---\nA page.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("/pagefind/ is inside /pagefind/, where the site's search index is published: content/pagefind.md and the site's search index (/pagefind/)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`[search] enabled = false`"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/pagefind.md")).unwrap();
    site.edit(
        "content/about.md",
        "title: About",
        "title: About\naliases: [\"/pagefind/pagefind.js\"]",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: /pagefind/pagefind.js/ is inside /pagefind/, where the site's search index is published: alias `/pagefind/pagefind.js` of content/about.md and the site's search index (/pagefind/)"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_knows_the_index_files() {
    let site = site();
    site.edit(
        "content/about.md",
        "We advise.",
        "We advise. [The search script](/advice/pagefind/pagefind.js).",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    assert!(!run.stderr.contains("pagefind"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// In a browser

/// A static file server for a built site: `GET /PREFIX/x` reads `root/x` (`x/` reads
/// `x/index.html`), as a host would serve the output folder under a sub-path.
struct Host {
    port: u16,
}

impl Host {
    fn start(root: PathBuf, prefix: &'static str) -> Host {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || answer(stream, &root, prefix));
            }
        });
        Host { port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn answer(mut stream: TcpStream, root: &Path, prefix: &str) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) <= 2 {
            break;
        }
    }
    let path = line.split(' ').nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let file = path.strip_prefix(prefix).map(|rel| {
        let rel = rel.trim_start_matches('/');
        match rel.is_empty() || rel.ends_with('/') {
            true => root.join(rel).join("index.html"),
            false => root.join(rel),
        }
    });
    let (status, body) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, bytes)) => (format!("200 OK\r\nContent-Type: {}", kind(&file)), bytes),
        None => (
            "404 Not Found\r\nContent-Type: text/plain".into(),
            b"not found".to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn kind(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Types `words` into the search box of the page open in `tab`, as a reader would.
fn search_for(tab: &Tab, words: &str) {
    let input = tab.wait_for_element("#site-search-input").unwrap();
    input.click().unwrap();
    tab.evaluate(
        "(() => { const i = document.getElementById('site-search-input'); i.value = ''; })()",
        false,
    )
    .unwrap();
    tab.type_str(words).unwrap();
}

/// The result links and the status line the box shows, once the status line speaks of
/// `words` (a search for them has finished), within [`PATIENCE`].
fn results(tab: &Tab, words: &str, what: &dyn Fn() -> String) -> (Vec<String>, String) {
    let script = r#"JSON.stringify([
        [...document.querySelectorAll('.site-search-results a')].map((a) => a.getAttribute('href')),
        document.querySelector('.site-search-status').textContent])"#;
    let start = Instant::now();
    loop {
        let value = tab.evaluate(script, false).ok().and_then(|r| r.value);
        if let Some(json) = value.as_ref().and_then(|v| v.as_str()) {
            let (links, status): (Vec<String>, String) = serde_json::from_str(json).unwrap();
            if status.contains(&format!("“{words}”")) {
                return (links, status);
            }
        }
        assert!(
            start.elapsed() < PATIENCE,
            "the search box never answered {words:?}: {value:?}\n{}",
            what()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Builds with `base_url` and opens the home page from a host that serves the output under
/// its path: the box finds the article by a word of its body, and nothing by a draft's word.
fn finds_in_a_build(base_url: &str, prefix: &'static str) {
    let Some(chromium) = chromium() else { return };
    let site = site();
    site.edit("site.toml", "https://example.com/advice/", base_url);
    site.brief(&["build", "--today", TODAY]).success();
    let host = Host::start(site.path("public"), prefix);
    let tab = chromium.browser().new_tab().unwrap();
    let requests = requests_seen(&tab);
    tab.navigate_to(&host.url(prefix)).unwrap();
    tab.wait_until_navigated().unwrap();
    assert!(
        !requests().iter().any(|r| r.contains("pagefind")),
        "nothing of the index loads before the reader searches: {:?}",
        requests()
    );
    let nothing = || String::new();
    search_for(&tab, "quokkaphrase");
    let (links, status) = results(&tab, "quokkaphrase", &nothing);
    assert_eq!(links, [format!("{prefix}articles/checklist/")], "{status}");
    let shown = tab
        .evaluate(
            "document.querySelector('.site-search-results li').innerText",
            false,
        )
        .unwrap()
        .value
        .unwrap();
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("A go-live checklist"), "{shown}");
    assert!(
        shown.contains("Information current as at 2 March 2026"),
        "{shown}"
    );
    let marked = tab
        .evaluate(
            "document.querySelector('.site-search-results mark').textContent",
            false,
        )
        .unwrap()
        .value;
    assert_eq!(marked, Some(serde_json::json!("quokkaphrase")));
    search_for(&tab, "draftonlyword");
    let (links, status) = results(&tab, "draftonlyword", &nothing);
    assert!(links.is_empty(), "{links:?}");
    assert_eq!(status, "No results for “draftonlyword”.");
    let origin = host.url("");
    let elsewhere: Vec<String> = requests()
        .into_iter()
        .filter(|r| !r.starts_with(&origin))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests left the site: {elsewhere:?}"
    );
    drop(chromium);
}

/// The addresses the page has fetched so far (the browser's own resource timing).
fn requests_seen(tab: &Tab) -> impl Fn() -> Vec<String> + '_ {
    move || {
        let value = tab
            .evaluate(
                "JSON.stringify(performance.getEntriesByType('resource').map((e) => e.name))",
                false,
            )
            .ok()
            .and_then(|r| r.value);
        value
            .and_then(|v| v.as_str().and_then(|s| serde_json::from_str(s).ok()))
            .unwrap_or_default()
    }
}

#[test]
fn browser_the_box_finds_an_article_by_a_word_of_its_body() {
    finds_in_a_build("https://example.com/", "/");
}

#[test]
fn browser_the_box_works_under_a_sub_path() {
    finds_in_a_build("https://example.com/advice/", "/advice/");
}

#[test]
fn browser_serve_finds_a_word_saved_into_an_article() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start_on(
        Site::fixture_with_theme("serve"),
        &["--base-url", "https://example.com/preview/"],
    );
    server.wait_for_output("made the search index");
    let tab = chromium.browser().new_tab().unwrap();
    tab.navigate_to(&server.url("/preview/")).unwrap();
    tab.wait_until_navigated().unwrap();
    let printed = || server.output();
    search_for(&tab, "wombatword");
    let (links, _) = results(&tab, "wombatword", &printed);
    assert!(links.is_empty(), "{links:?}");
    server
        .site
        .edit("content/articles/backups.md", "a hope", "a wombatword hope");
    // The index is made again in the background; the box finds the word once it is.
    let start = Instant::now();
    loop {
        // A new search each time: the page keeps the index it loaded, so reload it.
        tab.reload(true, None).unwrap();
        tab.wait_until_navigated().unwrap();
        search_for(&tab, "wombatword");
        let (links, _) = results(&tab, "wombatword", &printed);
        if links == ["/preview/articles/backups/"] {
            break;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "serve's index never found the saved word: {links:?}\n{}",
            server.output()
        );
    }
    let _: &Chromium = &chromium;
}
