//! `brief check`: every finding, with its file and line, on copies of `sites/check-clean`;
//! and the link and secret checks that `brief build` shares.

use crate::support::{repo, run, Site};
use serde_json::Value;

/// The fixture's articles are dated May and June 2026.
const TODAY: &str = "2026-07-10";

fn clean() -> Site {
    Site::fixture("check-clean")
}

/// Runs `brief check --format json` and returns the exit code and the report.
fn check(site: &Site) -> (i32, Value) {
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run.code, report)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

/// The one finding in `file` whose message contains `text`, failing with the whole
/// report otherwise.
#[track_caller]
fn finding<'r>(report: &'r Value, file: &str, text: &str) -> &'r Value {
    let matching: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["file"] == file && f["message"].as_str().unwrap().contains(text))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one finding in {file} containing {text:?}:\n{report:#}"
    );
    matching[0]
}

#[track_caller]
fn assert_finding(report: &Value, severity: &str, file: &str, line: Option<u64>, text: &str) {
    let f = finding(report, file, text);
    assert_eq!(f["severity"], severity, "{f:#}");
    assert_eq!(f["line"].as_u64(), line, "{f:#}");
    assert!(
        f["fix"].as_str().is_some_and(|fix| !fix.is_empty()),
        "every finding says how to fix it: {f:#}"
    );
}

const ARTICLE: &str = "content/articles/first-steps.md";

#[test]
fn the_fixture_checks_clean() {
    let site = clean();
    let (code, report) = check(&site);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["version"], 1);
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "{report:#}");
    assert_eq!(report["pages"], 8, "{report:#}");
}

#[test]
fn the_bundled_site_checks_clean() {
    let run = run(&["check", "--root", repo().to_str().unwrap()], &repo());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
}

#[test]
fn check_writes_nothing() {
    let site = clean();
    let before = crate::support::snapshot(site.root());
    check(&site);
    assert!(!site.path("public").exists());
    assert_eq!(crate::support::snapshot(site.root()), before);
}

#[test]
fn broken_markdown_links_and_anchors_are_errors_at_their_line() {
    let site = clean();
    site.write(
        "content/articles/links.md",
        "---\ntitle: Links\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\
         \n\
         A [missing page](/articles/nope/).\n\
         A [missing heading](/articles/second-thoughts/#whta-changed).\n\
         A [missing local heading](#nowhere) and a [good one](#real).\n\
         ![A missing image](/assets/missing.png)\n\
         A [Markdown file](second-thoughts.md).\n\
         \n\
         ## Real\n",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    let file = "content/articles/links.md";
    assert_finding(
        &report,
        "error",
        file,
        Some(8),
        "`/articles/nope/` points to no page",
    );
    let f = finding(&report, file, "#whta-changed");
    assert_eq!(f["line"], 9);
    assert_eq!(f["fix"], "did you mean `#what-changed`?");
    assert_finding(&report, "error", file, Some(10), "`#nowhere`");
    assert_finding(&report, "error", file, Some(11), "/assets/missing.png");
    let f = finding(&report, file, "second-thoughts.md");
    assert_eq!(f["line"], 12);
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("/articles/second-thoughts/"));
    assert_eq!(report["errors"], 5, "{report:#}");
}

#[test]
fn raw_html_links_in_markdown_are_checked_too() {
    let site = clean();
    site.edit(
        ARTICLE,
        "### Before you start",
        "<a href=\"/gone/\">gone</a>\n\n### Before you start",
    );
    let (_, report) = check(&site);
    assert_finding(&report, "error", ARTICLE, Some(19), "`/gone/`");
}

#[test]
fn links_to_drafts_and_scheduled_articles_are_errors() {
    let site = clean();
    site.write(
        "content/articles/unfinished.md",
        "---\ntitle: Unfinished\ndate: 2026-07-01\ncurrent_as_at: 2026-07-01\nsummary: s\ndraft: true\n---\n\nText.\n",
    );
    site.write(
        "content/articles/coming.md",
        "---\ntitle: Coming\ndate: 2026-08-01\ncurrent_as_at: 2026-08-01\nsummary: s\n---\n\nSee [the draft](/articles/unfinished/).\n",
    );
    site.edit(
        ARTICLE,
        "Nothing else.",
        "Nothing else. See [a draft](/articles/unfinished/) and [a scheduled one](/articles/coming/).",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(&report, "error", ARTICLE, Some(21), "goes to a draft");
    assert_finding(
        &report,
        "error",
        ARTICLE,
        Some(21),
        "scheduled for 2026-08-01",
    );
    // A scheduled article may link to a draft: neither is published.
    assert!(
        !findings(&report)
            .iter()
            .any(|f| f["file"] == "content/articles/coming.md" && f["severity"] == "error"),
        "{report:#}"
    );
    assert_finding(
        &report,
        "warning",
        "content/articles/coming.md",
        Some(3),
        "scheduled",
    );
}

#[test]
fn broken_links_in_templates_are_reported_once_against_the_template() {
    let site = clean();
    site.edit(
        "templates/base.html",
        "{{ site.base_path }}tags/\"",
        "{{ site.base_path }}tagz/\"",
    );
    site.edit("templates/base.html", "href=\"#main\"", "href=\"#content\"");
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    let f = finding(&report, "templates/base.html", "`/tagz/`");
    assert_eq!(f["line"], 12);
    assert_eq!(f["fix"], "did you mean /tags/?");
    assert!(
        f["message"].as_str().unwrap().contains("on 8 pages"),
        "{f:#}"
    );
    assert_finding(
        &report,
        "error",
        "templates/base.html",
        Some(9),
        "`#content`",
    );
    assert_eq!(report["errors"], 2, "{report:#}");
}

#[test]
fn a_broken_call_to_action_link_is_reported_in_site_toml() {
    let site = clean();
    site.edit("site.toml", "href = \"/contact/\"", "href = \"/contakt/\"");
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(&report, "error", "site.toml", Some(12), "`/contakt/`");
    assert_eq!(report["errors"], 1, "{report:#}");
}

#[test]
fn duplicate_slugs_and_alias_collisions_are_errors() {
    let site = clean();
    site.write(
        "content/articles/again.md",
        "---\ntitle: Again\nslug: first-steps\ndate: 2026-04-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\nText.\n",
    );
    site.edit(
        "content/articles/second-thoughts.md",
        "tags: [basics, change]",
        "tags: [basics, change]\naliases: [/contact/]",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(
        &report,
        "error",
        "content/articles/again.md",
        Some(3),
        "two files publish to /articles/first-steps/",
    );
    assert_finding(
        &report,
        "error",
        "content/articles/second-thoughts.md",
        Some(7),
        "alias `/contact/`",
    );
}

#[test]
fn an_article_without_a_call_to_action_is_an_error_when_required() {
    let site = clean();
    site.edit(ARTICLE, "tags: [basics]", "tags: [basics]\ncta: none");
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(&report, "error", ARTICLE, Some(7), "no call-to-action");
}

#[test]
fn whatever_fails_build_fails_check() {
    let site = clean();
    site.edit(ARTICLE, "date: 2026-05-01", "date: 2026-02-30");
    site.write("content/articles/bad.md", "no front matter\n");
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(&report, "error", ARTICLE, Some(3), "no such date");
    assert_finding(
        &report,
        "error",
        "content/articles/bad.md",
        Some(1),
        "no front matter",
    );
}

#[test]
fn secrets_are_errors_and_build_refuses_them() {
    let site = clean();
    site.write("content/.env", "STRIPE_KEY=sk_live_123\n");
    site.write("assets/deploy.pem", "not really\n");
    site.write("assets/id_rsa", "x\n");
    site.write(
        "assets/notes.txt",
        "hello\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n",
    );
    site.write(
        "assets/config.js",
        "const a = 1;\nconst api_key = \"abc123\";\n",
    );
    site.edit(
        ARTICLE,
        "Nothing else.",
        "Nothing else.\n\n    DB_PASSWORD=hunter2",
    );
    // A made-up example can say so.
    site.edit(
        "content/articles/second-thoughts.md",
        "Less than you might think.",
        "Less than you might think: `password=example` <!-- not-a-secret -->",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_finding(&report, "error", "content/.env", None, ".env");
    assert_finding(&report, "error", "assets/deploy.pem", None, "private keys");
    assert_finding(&report, "error", "assets/id_rsa", None, "SSH private key");
    assert_finding(
        &report,
        "error",
        "assets/notes.txt",
        Some(2),
        "OPENSSH PRIVATE KEY",
    );
    assert_finding(&report, "error", "assets/config.js", Some(2), "api_key=");
    assert_finding(&report, "error", ARTICLE, Some(23), "DB_PASSWORD=");
    assert_eq!(report["errors"], 6, "{report:#}");

    let build = site.brief(&["build", "--today", TODAY]);
    build.failure();
    assert!(build.stderr.contains("content/.env"), "{}", build.stderr);
    assert!(!site.path("public").exists(), "nothing is published");
}

#[test]
fn check_finds_secrets_in_templates_site_toml_and_large_assets() {
    let site = clean();
    site.edit(
        "site.toml",
        "[dates]",
        "[extra]\nmaps_api_key = \"k3y-9f8e7d6c5b4a\"\n\n[dates]",
    );
    site.write(
        "templates/partials/analytics.html",
        "<script>const tracker = { \"auth_token\": \"9f8e7d6c5b4a3210\" };</script>\n",
    );
    let mut big = "x".repeat(2 << 20);
    big.push_str("\nclient_secret: Qw3rTy7UiOp9AsDf2GhJ\n");
    site.write("assets/big.txt", &big);
    let (code, report) = check(&site);
    assert_eq!(code, 1, "{report:#}");
    assert_finding(&report, "error", "site.toml", Some(9), "maps_api_key=");
    assert_finding(
        &report,
        "error",
        "templates/partials/analytics.html",
        Some(1),
        "auth_token:",
    );
    assert_finding(
        &report,
        "error",
        "assets/big.txt",
        Some(2),
        "client_secret:",
    );
    let text = serde_json::to_string(&report).unwrap();
    for secret in [
        "k3y-9f8e7d6c5b4a",
        "9f8e7d6c5b4a3210",
        "Qw3rTy7UiOp9AsDf2GhJ",
    ] {
        assert!(
            !text.contains(secret),
            "the report shows the secret {secret}"
        );
    }
}

#[test]
fn build_fails_on_broken_links_and_leaves_the_output_alone() {
    let site = clean();
    site.brief(&["build", "--today", TODAY]).success();
    let before = crate::support::snapshot(&site.path("public"));
    site.edit(
        ARTICLE,
        "Nothing else.",
        "See [nothing](/articles/nothing/).",
    );
    let build = site.brief(&["build", "--today", TODAY]);
    build.failure();
    assert!(
        build
            .stderr
            .contains("link to `/articles/nothing/` points to no page")
            && build.stderr.contains("first-steps.md:21"),
        "{}",
        build.stderr
    );
    assert_eq!(crate::support::snapshot(&site.path("public")), before);
}

#[test]
fn review_dates_summaries_drafts_and_scheduling_are_warnings() {
    let site = clean();
    site.edit(ARTICLE, "date: 2026-05-01", "date: 2025-05-01");
    site.edit(
        ARTICLE,
        "current_as_at: 2026-06-01",
        "current_as_at: 2025-06-01",
    );
    site.edit(ARTICLE, "summary: Where to begin.\n", "");
    site.write(
        "content/articles/old-draft.md",
        "---\ntitle: Old draft\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\nsummary: s\ndraft: true\n---\n\nText.\n",
    );
    site.write(
        "content/articles/later.md",
        "---\ntitle: Later\ndate: 2026-09-01\ncurrent_as_at: 2026-09-01\nsummary: s\n---\n\nText.\n",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 0, "warnings alone pass: {report:#}");
    let f = finding(&report, ARTICLE, "days past the review limit");
    assert_eq!(f["line"], 4);
    assert_eq!(
        f["message"],
        "current_as_at (2025-06-01) is 404 days old, 39 days past the review limit of 365 days"
    );
    assert_finding(&report, "warning", ARTICLE, Some(2), "no summary");
    assert_finding(
        &report,
        "warning",
        "content/articles/old-draft.md",
        Some(6),
        "a draft for 131 days",
    );
    assert_finding(
        &report,
        "warning",
        "content/articles/later.md",
        Some(3),
        "scheduled: it is dated 2026-09-01",
    );
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 4, "{report:#}");
}

#[test]
fn alt_text_heading_levels_scripts_and_todos_are_warnings() {
    let site = clean();
    site.edit(
        ARTICLE,
        "### Before you start",
        "![](/assets/diagram.svg)\n\n#### Too deep\n\n<button onclick=\"go()\">Go</button>\n\n<script>alert(1)</script>\n\nTODO: say more\n\n```\nTODO: in code is fine\n```\n\n### Before you start",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 0, "{report:#}");
    assert_finding(&report, "warning", ARTICLE, Some(19), "no alt text");
    assert_finding(
        &report,
        "warning",
        ARTICLE,
        Some(21),
        "skips from level 2 to level 4",
    );
    assert_finding(
        &report,
        "warning",
        ARTICLE,
        Some(23),
        "inline event handler (`onclick`)",
    );
    assert_finding(&report, "warning", ARTICLE, Some(25), "<script>");
    assert_finding(&report, "warning", ARTICLE, Some(27), "TODO");
    assert_eq!(report["warnings"], 5, "{report:#}");
}

#[test]
fn the_text_report_groups_by_file_and_counts() {
    let site = clean();
    site.edit(ARTICLE, "summary: Where to begin.\n", "");
    site.edit(
        ARTICLE,
        "Nothing else.",
        "See [nothing](/articles/nothing/).",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let expected = "\
content/articles/first-steps.md
  2: warning: the article has no summary; lists, the feed and search results will show its first paragraph instead
     fix: add `summary:` with one or two sentences saying what the reader will learn
  20: error: link to `/articles/nothing/` points to no page or file of this site
      fix: correct the address: articles are at /articles/<slug>/ and pages at /<slug>/

1 error, 1 warning in 15 files (8 pages checked)
";
    assert_eq!(run.stdout, expected);
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when NO_COLOR is set"
    );
}

#[test]
fn json_findings_are_in_a_stable_order() {
    let site = clean();
    site.write("content/.env", "A=1\n");
    site.edit(ARTICLE, "summary: Where to begin.\n", "");
    site.edit(
        ARTICLE,
        "Nothing else.",
        "See [nothing](/articles/nothing/).",
    );
    let (_, first) = check(&site);
    let (_, second) = check(&site);
    assert_eq!(first, second);
    let order: Vec<(String, u64)> = findings(&first)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

/// A tiny HTTP server on loopback: `/ok` answers 200, anything else 404.
fn serve_status_pages() -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        // Two links, each asked at most twice (HEAD, then GET when HEAD fails).
        for stream in listener.incoming().take(3) {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let _ = BufReader::new(&stream).read_line(&mut request);
            let status = if request.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (address, handle)
}

#[test]
fn external_links_are_fetched_only_when_asked() {
    let site = clean();
    let (address, server) = serve_status_pages();
    site.edit(
        ARTICLE,
        "Nothing else.",
        &format!("See [fine]({address}/ok) and [gone]({address}/gone)."),
    );
    let (code, report) = check(&site);
    assert_eq!(code, 0);
    assert_eq!(report["warnings"], 0, "not fetched by default: {report:#}");

    let run = site.brief(&["check", "--today", TODAY, "--format", "json", "--external"]);
    assert_eq!(
        run.code, 0,
        "dead external links are warnings: {}",
        run.stdout
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_finding(
        &report,
        "warning",
        ARTICLE,
        Some(21),
        "/gone` answered HTTP 404",
    );
    assert_eq!(report["warnings"], 1, "{report:#}");
    server.join().unwrap();
}
