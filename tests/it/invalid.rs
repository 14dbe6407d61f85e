//! The catalogue of broken and hostile input. Each case is a folder under
//! `sites/invalid/<case>/` whose files are laid over a copy of the `basic` fixture after it
//! has been built once. `brief build` must then exit 1, print exactly the case's
//! `expected.txt` (the site's temporary folder written `[ROOT]`), name a file and say how to
//! fix every error, and leave the previous output as it was.
//!
//! Inputs that cannot live in git (bytes that are not UTF-8, symbolic links, permissions)
//! are made by [`prepare`]. `BLESS=1 cargo test invalid` rewrites the expected files; read
//! the diff before committing it.

use crate::support::{copy_dir, sites, snapshot, Run, Site};
use std::os::unix::fs::{symlink, PermissionsExt};
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
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
        "output-parent-is-a-file" => {
            std::fs::write(site.path("elsewhere"), "a file, not a folder").unwrap();
            return Some(vec!["--output".into(), "elsewhere/public".into()]);
        }
        "output-parent-read-only" => {
            let parent = site.path("locked");
            std::fs::create_dir(&parent).unwrap();
            std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
            return Some(vec!["--output".into(), "locked/public".into()]);
        }
        _ => {}
    }
    Some(Vec::new())
}

/// stderr with the temporary folder and process ids made stable.
fn normalise(stderr: &str, root: &Path) -> String {
    let mut text = stderr.to_string();
    let canonical = root.canonicalize().unwrap();
    for form in [canonical.as_path(), root] {
        text = text.replace(form.to_str().unwrap(), "[ROOT]");
    }
    // Staging folders are named after the process.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("brief-new-") {
        out.push_str(&rest[..i + "brief-new-".len()]);
        rest = rest[i + "brief-new-".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str("[PID]");
    }
    out.push_str(rest);
    out
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
        .filter(|n| n.contains(".brief-"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("staging folders left behind: {leftovers:?}"));
    }
    for block in errors(&stderr) {
        if !block.contains("\n  --> ") {
            problems.push(format!("an error names no file: {block:?}"));
        }
        if !block.contains("\n  help: ") {
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
