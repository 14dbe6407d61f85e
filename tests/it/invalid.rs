//! The catalogue of broken and hostile input. Each case is a folder under
//! `sites/invalid/<case>/` whose files are laid over a copy of the `basic` fixture after it
//! has been built once. `brief build` must then exit 1, print exactly the case's
//! `expected.txt` (the site's temporary folder written `[ROOT]`), name a file and say how to
//! fix every error, and leave the previous output as it was.
//!
//! Inputs that cannot live in git (bytes that are not UTF-8, symbolic links, permissions)
//! are made by [`prepare`]. `BLESS=1 cargo test invalid` rewrites the expected files; read
//! the diff before committing it.
//!
//! The last section sends `brief serve` hostile requests: paths that try to leave the
//! output, other methods, malformed HTTP. `.ci/load-test.sh` puts it under load.

use crate::support::{copy_dir, set_mode, sites, snapshot, symlink, Run, Site};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-24";

/// The basic fixture, built once, copied for every case.
fn built_basic() -> Site {
    let site = Site::fixture("basic");
    site.brief(&["build", "--today", TODAY]).success();
    site
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(sites().join("invalid"))
        .expect("tests/it/sites/invalid")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Makes the parts of a case that cannot be files in git. Returns extra arguments for
/// `brief build`, or `None` when the case cannot run here (and says why).
fn prepare(case: &str, site: &Site) -> Option<Vec<String>> {
    let article =
        "---\ntitle: Broken on purpose\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\n";
    match case {
        "not-utf8" => {
            let mut bytes = article.as_bytes().to_vec();
            bytes.extend_from_slice(b"First line.\n\nCaf\xe9 in Latin-1.\n");
            std::fs::write(site.path("content/articles/broken.md"), bytes).unwrap();
        }
        "site-toml-missing" => std::fs::remove_file(site.path("site.toml")).unwrap(),
        "symlink-loop" => symlink("..", site.path("content/articles/loop")).unwrap(),
        "symlink-to-itself" => symlink("self.md", site.path("content/articles/self.md")).unwrap(),
        "symlink-dangling" => {
            symlink("moved-away.md", site.path("content/articles/link.md")).unwrap()
        }
        "unreadable-file" | "output-parent-read-only" if is_root() => {
            println!(
                "note: skipping invalid/{case}: running as root, whom permissions do not stop"
            );
            return None;
        }
        "unreadable-file" => {
            let file = site.path("content/articles/broken.md");
            std::fs::write(&file, article).unwrap();
            set_mode(&file, 0o000);
        }
        "front-matter-nested-too-deep" => {
            // Took 38 s when libyaml scanned it all.
            let front = article.strip_suffix("---\n").unwrap();
            let deep = format!("{front}tags: {}\n---\nText.\n", "[".repeat(100_000));
            std::fs::write(site.path("content/articles/broken.md"), deep).unwrap();
        }
        "control-characters-in-file-name" => {
            // A name that would clear the screen and recolour it if printed as it is.
            let name = "content/articles/\x1b[2J\x1b[31mred\r.md";
            std::fs::write(site.path(name), "---\ntitle: [unclosed\n---\n").unwrap();
        }
        "fifo-site-toml" | "fifo-article" | "fifo-template" | "fifo-asset" => {
            let path = match case {
                "fifo-site-toml" => "site.toml",
                "fifo-article" => "content/articles/pipe.md",
                "fifo-template" => "templates/partials/pipe.html",
                _ => "assets/pipe.css",
            };
            let path = site.path(path);
            let _ = std::fs::remove_file(&path);
            let made = std::process::Command::new("mkfifo").arg(&path).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
        }
        "template-include-chain-too-deep" => {
            // Each partial includes the next, 100 deep: Tera would follow them by recursion.
            for i in 0..100 {
                let next = match i {
                    99 => "the end".to_string(),
                    _ => format!("{{% include \"partials/chain-{}.html\" %}}", i + 1),
                };
                site.write(&format!("templates/partials/chain-{i}.html"), &next);
            }
            site.write(
                "templates/404.html",
                "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/chain-0.html\" %}{% endblock %}\n",
            );
        }
        "output-parent-is-a-file" => {
            std::fs::write(site.path("elsewhere"), "a file, not a folder").unwrap();
            return Some(vec!["--output".into(), "elsewhere/public".into()]);
        }
        "output-parent-read-only" => {
            let parent = site.path("locked");
            std::fs::create_dir(&parent).unwrap();
            set_mode(&parent, 0o555);
            return Some(vec!["--output".into(), "locked/public".into()]);
        }
        "secret-in-shortcode" => {
            let note = format!("<!--\n{}\n-->\n", private_key("RSA"));
            site.write(
                "templates/shortcodes/note.html",
                &(note + &site.read("templates/shortcodes/note.html")),
            );
        }
        "secret-in-large-asset" => {
            let mut data = "date,visits\n".to_string();
            while data.len() < 3 << 20 {
                data.push_str("2026-03-01,1234\n");
            }
            data.push_str("AWS_SECRET_ACCESS_KEY=q8Wm3Xr7Tz2Lp9Vn4Bk6Hs1Jd5Fg0Ca\n");
            site.write("assets/visits.csv", &data);
        }
        "secret-key-as-image" => {
            // A key saved under an image's name, and a real-looking image with one inside.
            site.write("assets/logo.png", &private_key("OPENSSH"));
            let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
            png.extend(std::iter::repeat_n(0u8, 2 << 20));
            png.extend_from_slice(private_key("EC").as_bytes());
            png.extend(std::iter::repeat_n(0xffu8, 1000));
            std::fs::write(site.path("assets/photo.png"), png).unwrap();
        }
        "secret-utf16" => {
            let text = "Notes for the team\r\n\r\napi_key = \"k3y-9f8e7d6c5b4a\"\r\n";
            let utf16 = |big: bool, bom: bool| {
                let mut bytes: Vec<u8> = Vec::new();
                let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
                for unit in units {
                    bytes.extend(if big {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    });
                }
                bytes
            };
            std::fs::write(site.path("assets/le-bom.txt"), utf16(false, true)).unwrap();
            std::fs::write(site.path("assets/le.txt"), utf16(false, false)).unwrap();
            std::fs::write(site.path("assets/be-bom.txt"), utf16(true, true)).unwrap();
        }
        "secret-token-prefixes" => {
            // Put together here so that no token-shaped string sits in the repository.
            let body = "Qw3rTy7UiOp9AsDf2GhJk4LzXc6VbNm8QaWs";
            let tokens = [
                format!("AKIA{}", &body.to_uppercase()[..16]),
                format!("gh{}_{}", "p", &body[..36]),
                format!("github_{}_{}", "pat", &body[..30]),
                format!("gl{}-{}", "pat", &body[..20]),
                format!("xo{}-{}", "xb", &body[..24]),
                format!("sk_{}_{}", "live", &body[..24]),
            ];
            let js: String = tokens
                .iter()
                .enumerate()
                .map(|(i, t)| format!("const t{i} = '{t}';\n"))
                .collect();
            site.write("assets/app.js", &js);
        }
        "symlink-outside-assets" => symlink("/etc/passwd", site.path("assets/passwd")).unwrap(),
        "symlink-outside-templates" => symlink(
            "/proc/self/environ",
            site.path("templates/partials/environ.html"),
        )
        .unwrap(),
        "symlink-outside-content" => symlink("/etc", site.path("content/shared")).unwrap(),
        _ => {}
    }
    Some(Vec::new())
}

/// A private key block of the given kind, made here rather than kept in the repository.
fn private_key(kind: &str) -> String {
    let label = format!("{kind} PRIVATE KEY");
    format!(
        "-----BEGIN {label}-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END {label}-----\n"
    )
}

/// stderr with the temporary folder made stable.
fn normalise(stderr: &str, root: &Path) -> String {
    let mut text = stderr.to_string();
    let canonical = root.canonicalize().unwrap();
    for form in [canonical.as_path(), root] {
        text = text.replace(form.to_str().unwrap(), "[ROOT]");
    }
    // Messages use the system's own separator; the expected texts are written with `/`.
    if std::path::MAIN_SEPARATOR != '/' {
        text = text.replace(std::path::MAIN_SEPARATOR, "/");
    }
    text
}

/// Each error as printed: its `error:` line and the indented lines after it.
fn errors(stderr: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if line.starts_with("error: ") {
            blocks.push(String::new());
            in_error = true;
        } else if !line.starts_with(' ') && !line.starts_with('|') {
            in_error = line.starts_with(char::is_numeric) && in_error;
        }
        if in_error {
            let block = blocks.last_mut().unwrap();
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

/// What is wrong with one case's run, if anything.
fn check_case(case_dir: &Path, base: &Site, bless: bool) -> Result<(), String> {
    let case = case_dir.file_name().unwrap().to_str().unwrap();
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(base.root(), site.root());
    for entry in std::fs::read_dir(case_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "expected.txt" {
            let target = site.path(path.file_name().unwrap().to_str().unwrap());
            if path.is_dir() {
                copy_dir(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let Some(extra) = prepare(case, &site) else {
        return Ok(());
    };
    let before = snapshot(&site.path("public"));
    let mut args = vec!["build", "--today", TODAY];
    args.extend(extra.iter().map(String::as_str));
    let run: Run = site.brief(&args);
    let stderr = normalise(&run.stderr, site.root());
    let mut problems = Vec::new();
    if run.code != 1 {
        problems.push(format!("exit code {} instead of 1", run.code));
    }
    if snapshot(&site.path("public")) != before {
        problems.push("the previous output changed".to_string());
    }
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".brief-new-"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("staging folders left behind: {leftovers:?}"));
    }
    if stderr.contains(".brief-new-") || stderr.contains(".brief-spare") {
        problems.push("a message names brief's staging folder instead of the output".into());
    }
    for block in errors(&stderr) {
        if !block.contains("\n  --> ") {
            problems.push(format!("an error names no file: {block:?}"));
        }
        if !block.contains("\n  fix: ") {
            problems.push(format!("an error does not say how to fix it: {block:?}"));
        }
    }
    let expected_file = case_dir.join("expected.txt");
    if bless {
        std::fs::write(&expected_file, &stderr).unwrap();
    } else {
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if stderr != expected {
            problems.push(format!(
                "stderr differs from expected.txt (BLESS=1 rewrites it)\n--- expected\n{expected}--- actual\n{stderr}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid/{case}:\n  {}", problems.join("\n  ")))
    }
}

#[test]
fn every_bad_input_exits_1_with_its_message_and_keeps_the_output() {
    let base = built_basic();
    let bless = std::env::var_os("BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 30, "the catalogue lost cases: {cases:?}");
    // Cases run in parallel, a few at a time; every failure is reported, not the first.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| {
                let base = &base;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|case| check_case(case, base, bless).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A case that must simply work: exit 0 and no warnings.
fn builds_cleanly(site: &Site) {
    let run = site.brief(&["build", "--today", TODAY]);
    run.success();
    assert_eq!(run.stderr, "", "unexpected warnings");
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_simply_work() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/windows.md",
        "\u{feff}---\r\ntitle: Saved on Windows\r\ndate: 2026-03-01\r\ncurrent_as_at: 2026-03-01\r\ntags: [advice]\r\n---\r\nFirst paragraph\r\non two lines.\r\n\r\n## A heading\r\n\r\n{{ cta(id=\"talk-to-us\") }}\r\n",
    );
    builds_cleanly(&site);
    let page = site.read("public/articles/windows/index.html");
    assert!(page.contains("<h1>Saved on Windows</h1>"), "{page}");
    assert!(page.contains("<h2 id=\"a-heading\">A heading"), "{page}");
    assert!(page.contains("data-cta=\"talk-to-us\""), "{page}");
    assert!(
        page.contains("summary=First paragraph on two lines."),
        "{page}"
    );
    assert!(page.contains("datetime=\"2026-03-01\""));
    assert!(!page.contains('\u{feff}'));
}

/// Every code point of an XML file that XML 1.0 forbids, with a real parse of the whole file.
fn xml_problems(name: &str, xml: &str) -> Vec<String> {
    let mut problems: Vec<String> = xml
        .char_indices()
        .filter(|(_, c)| brief::html::is_forbidden_in_markup(*c))
        .map(|(i, c)| format!("{name}: {c:?} at byte {i}"))
        .collect();
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(text)) => {
                if let Err(e) = text.decode() {
                    problems.push(format!("{name}: {e}"));
                }
            }
            Ok(_) => {}
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                break;
            }
        }
    }
    problems
}

#[test]
fn control_characters_in_an_article_never_reach_the_feed_or_the_sitemap() {
    let site = Site::fixture("basic");
    site.edit(
        "site.toml",
        "description = \"A fixture site\"",
        "description = \"A fixture\\u0007 site\\u000c\"",
    );
    site.write(
        "content/articles/controls.md",
        "---\ntitle: Controls\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\n\
         A NUL \u{0} here, a form feed \u{c} there, an escape \u{1b}[31m, a bell \u{7}, \
         U+FFFE \u{fffe} and U+FFFF \u{ffff}.\n\n{{ cta(id=\"talk-to-us\") }}\n",
    );
    builds_cleanly(&site);
    let feed = site.read("public/feed.xml");
    assert!(feed.contains("A NUL"), "{feed}");
    assert!(feed.contains("a form feed  there"), "{feed}");
    assert!(feed.contains("A fixture site"), "{feed}");
    let mut problems = xml_problems("feed.xml", &feed);
    problems.extend(xml_problems(
        "sitemap.xml",
        &site.read("public/sitemap.xml"),
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // In HTML they are parse errors: they are dropped there too.
    let page = site.read("public/articles/controls/index.html");
    let found: Vec<char> = page
        .chars()
        .filter(|&c| brief::html::is_forbidden_in_markup(c))
        .collect();
    assert!(found.is_empty(), "{found:?} in\n{page}");
    assert!(
        page.contains("a form feed  there, an escape [31m, a bell ,"),
        "{page}"
    );
}

#[test]
fn check_prints_control_characters_in_file_names_escaped() {
    let site = Site::fixture("basic");
    let name = "content/articles/\x1b]0;title\x07\u{202e}dm.md";
    std::fs::write(site.path(name), "---\ntitle: [unclosed\n---\n").unwrap();
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains(['\x1b', '\x07', '\u{202e}']), "{all:?}");
    assert!(
        all.contains("content/articles/\\x1b]0;title\\x07\\u{202e}dm.md"),
        "{all}"
    );
}

#[test]
fn symbolic_links_within_the_site_are_followed() {
    let site = Site::fixture("basic");
    symlink("style.css", site.path("assets/linked.css")).unwrap();
    std::fs::create_dir(site.path("shared")).unwrap();
    site.write("shared/note.txt", "shared between sites");
    symlink("../shared", site.path("assets/shared")).unwrap();
    symlink("note.html", site.path("templates/shortcodes/aside.html")).unwrap();
    builds_cleanly(&site);
    assert_eq!(
        site.read("public/assets/linked.css"),
        site.read("assets/style.css")
    );
    assert_eq!(
        site.read("public/assets/shared/note.txt"),
        "shared between sites"
    );
}

#[test]
fn prose_about_keys_and_examples_marked_not_a_secret_build() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/about-keys.md",
        "---\ntitle: About keys\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\nNever share your password: keep it in a manager.\n\nA key file starts with `-----BEGIN OPENSSH PRIVATE KEY-----` and tokens with `ghp_`.\n\nSet `api_key=` in your settings, or `password: ${DB_PASSWORD}`.\n\n    API_KEY=abc123 # not-a-secret\n",
    );
    builds_cleanly(&site);
}

#[test]
fn a_50_mb_article_builds() {
    let site = Site::fixture("basic");
    let paragraph = "Some text with *emphasis*, `code` and a [link](/contact/) to make the line long enough to count.\n\n";
    let mut text =
        String::from("---\ntitle: Huge\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\n");
    let mut n = 0;
    while text.len() < 50 * 1024 * 1024 {
        if n % 1000 == 0 {
            text.push_str(&format!("## Part {n}\n\n"));
        }
        text.push_str(paragraph);
        n += 1;
    }
    text.push_str("The very end.\n");
    site.write("content/articles/huge.md", &text);
    builds_cleanly(&site);
    let page = site.read("public/articles/huge/index.html");
    assert!(page.contains("<p>The very end.</p>"));
    assert!(page.contains(&format!("id=\"part-{}\"", (n - 1) / 1000 * 1000)));
}

#[test]
fn a_list_nested_100_000_deep_builds_without_overflowing_the_stack() {
    let site = Site::fixture("basic");
    let front = "---\ntitle: Deep\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\n";
    let lists = "- ".repeat(100_000);
    let quotes = "> ".repeat(100_000);
    let emphasis = format!("{}deep{}", "*".repeat(50_000), "*".repeat(50_000));
    site.write(
        "content/articles/deep.md",
        &format!("{front}{lists}bottom\n\n{quotes}quoted\n\n{emphasis}\n"),
    );
    builds_cleanly(&site);
    let page = site.read("public/articles/deep/index.html");
    assert!(page.matches("<ul>").count() >= 100_000);
    assert!(page.contains("bottom"));
    assert!(page.contains("quoted"));
}

// ---------------------------------------------------------------------------------------
// Hostile requests to `brief serve`

/// `brief serve` over a copy of the basic fixture with secrets beside and inside it.
struct Preview {
    child: std::process::Child,
    port: u16,
    output: std::sync::Arc<std::sync::Mutex<String>>,
    _site: Site,
}

const SECRET: &str = "SECRET-MARK-31337";

impl Preview {
    fn start(args: &[&str]) -> Preview {
        let site = Site::fixture("basic");
        site.write("secret.txt", SECRET);
        site.write("assets/.secret", SECRET);
        site.write("assets/_private/key.txt", SECRET);
        site.write("content/.env", SECRET);
        let (child, output) = crate::support::spawn_serve(&site, 0, args);
        let port = crate::support::printed_port(&output, std::time::Duration::from_secs(30));
        let preview = Preview {
            child,
            port,
            output,
            _site: site,
        };
        let started = std::time::Instant::now();
        while preview.status(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            != 200
        {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "brief serve did not start:\n{}",
                preview.output()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        preview
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Sends `request` as it is and reads the whole answer (empty if the connection fails).
    fn raw(&self, request: &[u8]) -> Vec<u8> {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return Vec::new();
        };
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    }

    fn status(&self, request: &[u8]) -> u16 {
        status_of(&self.raw(request))
    }

    fn get(&self, path: &str) -> Vec<u8> {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status_of(answer: &[u8]) -> u16 {
    String::from_utf8_lossy(answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn serve_never_answers_with_a_file_outside_the_output() {
    let preview = Preview::start(&[]);
    let paths = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/.%2e/secret.txt",
        "/%2fetc%2fpasswd",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/site.toml",
        "/secret.txt",
        "/content/articles/old-advice.md",
        "/templates/base.html",
        "/index.html%00.css",
        "/secret.txt%00",
        "/%00",
        "/assets/.secret",
        "/assets/%2esecret",
        "/assets/_private/key.txt",
        "/.env",
        "/content/.env",
        "/%c0%ae%c0%ae/secret.txt",
        "/%",
        "/%zz",
        "http://127.0.0.1/../secret.txt",
    ];
    for path in paths {
        let answer = preview.get(path);
        let status = status_of(&answer);
        assert!(
            [400, 403, 404].contains(&status),
            "{path}: {status}\n{}",
            String::from_utf8_lossy(&answer)
        );
        let text = String::from_utf8_lossy(&answer);
        assert!(!text.contains(SECRET), "{path} leaked a file");
        assert!(!text.contains("base_url"), "{path} leaked site.toml");
    }
    assert_eq!(status_of(&preview.get("/assets/style.css")), 200);
}

#[test]
fn serve_answers_other_methods_with_405() {
    let preview = Preview::start(&[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"] {
        let answer = preview.raw(
            format!(
                "{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        let text = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        assert_eq!(status_of(&answer), 405, "{method}: {text}");
        assert!(text.contains("allow: get, head"), "{method}: {text}");
    }
    let head = preview.raw(b"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(status_of(&head), 200);
    assert!(head.ends_with(b"\r\n\r\n"), "HEAD has no body");
}

#[test]
fn serve_answers_malformed_requests_with_400_and_keeps_running() {
    let preview = Preview::start(&[]);
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let malformed: [&[u8]; 9] = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"\xff\xfe\xfd / HTTP/1.1\r\n\r\n",
        b"GET /a b c HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        long_header.as_bytes(),
    ];
    for request in malformed {
        let status = preview.status(request);
        assert!(
            status == 400 || status == 431,
            "{:?}: {status}",
            String::from_utf8_lossy(&request[..request.len().min(40)])
        );
    }
    // Requests cut off half-way, and connections that say nothing at all.
    for cut in [&b"GET / HT"[..], b"GET / HTTP/1.1\r\nHost:", b""] {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
        let _ = stream.write_all(cut);
        drop(stream);
    }
    let answer = preview.get("/");
    assert_eq!(status_of(&answer), 200, "the server stopped answering");
}

#[test]
fn serve_listens_on_loopback_unless_told_and_warns_on_a_public_address() {
    let preview = Preview::start(&[]);
    let output = preview.output();
    assert!(
        output.contains(&format!("http://127.0.0.1:{}/", preview.port)),
        "{output}"
    );
    assert!(!output.contains("warning"), "{output}");
    // Not reachable on this machine's other addresses.
    let other = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("10.255.255.255:9").map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    if let Some(ip) = other {
        assert!(
            std::net::TcpStream::connect((ip, preview.port)).is_err(),
            "reachable on {ip}"
        );
    }
    drop(preview);

    let public = Preview::start(&["--bind", "0.0.0.0"]);
    let output = public.output();
    assert!(
        output.contains("warning: listening on 0.0.0.0, which other computers can reach"),
        "{output}"
    );
}
