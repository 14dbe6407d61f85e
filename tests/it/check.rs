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
    // Eight pages and the list of the articles section.
    assert_eq!(report["pages"], 9, "{report:#}");
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
    // A link to a Markdown source leads to its page, as on GitHub: no finding.
    assert!(
        !report.to_string().contains("second-thoughts.md"),
        "{report:#}"
    );
    assert_eq!(report["errors"], 4, "{report:#}");
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
        f["message"].as_str().unwrap().contains("on 9 pages"),
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
fn the_line_a_diagnostic_points_at_is_shown_under_it() {
    let site = clean();
    site.edit(ARTICLE, "date: 2026-05-01", "date: 2026-13-01");
    let shown = "\
error: `date` is `2026-13-01`: there is no such date
  --> content/articles/first-steps.md:3
   |
 3 | date: 2026-13-01
   |
  fix: write the date as YYYY-MM-DD, e.g. `date: 2026-07-05`
";
    let build = site.brief(&["build", "--today", TODAY]);
    build.failure();
    assert!(build.stderr.starts_with(shown), "{}", build.stderr);

    let text = site.brief(&["check", "--today", TODAY]);
    text.failure();
    let indented: String = shown.lines().map(|l| format!("  {l}\n")).collect();
    assert!(
        text.stdout
            .starts_with(&format!("content/articles/first-steps.md\n{indented}")),
        "{}",
        text.stdout
    );

    let (_, report) = check(&site);
    let f = finding(&report, ARTICLE, "no such date");
    assert_eq!(f["source"], "date: 2026-13-01", "{f:#}");
    let without_line = findings(&report).iter().find(|f| f["line"].is_null());
    if let Some(f) = without_line {
        assert!(f["source"].is_null(), "{f:#}");
    }
}

#[test]
fn a_line_holding_a_secret_is_never_shown() {
    let site = clean();
    site.edit(
        ARTICLE,
        "summary: Where to begin.",
        "summary: [db_password=hunter2hunter2]",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1, "{report:#}");
    // The same line is both a secret and a type error: neither shows it.
    let on_line: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["file"] == ARTICLE && f["line"] == 5)
        .collect();
    assert!(on_line.len() >= 2, "{report:#}");
    for f in on_line {
        assert!(f["source"].is_null(), "{f:#}");
    }
    let build = site.brief(&["build", "--today", TODAY]);
    build.failure();
    let text = site.brief(&["check", "--today", TODAY]);
    for out in [&build.stderr, &text.stdout] {
        assert!(out.contains("first-steps.md:5"), "{out}");
        assert!(!out.contains("hunter2"), "a secret is shown:\n{out}");
    }
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
    let f = finding(&report, ARTICLE, "was due for review");
    assert_eq!(f["line"], 4);
    assert_eq!(
        f["message"],
        "the article was due for review on 2026-06-01 (39 days ago): current_as_at (2025-06-01) is older than its review period of 365 days"
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
fn template_syntax_left_in_the_text_is_a_warning_at_its_line() {
    let site = clean();
    site.edit(
        ARTICLE,
        "### Before you start",
        "Write {{ page.title }} here, or {% if x %}this{% endif %}.\n\n- {{ cta(id=\u{201c}talk-to-us\u{201d}) }}\n\n`{{ in code }}` is fine.\n\n```\n{{ in a block }} too\n```\n\n### Before you start",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 0, "{report:#}");
    let found: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("template syntax"))
        .inspect(|f| assert_eq!(f["severity"], "warning"))
        .inspect(|f| assert!(f["fix"].as_str().unwrap().contains("`code`")))
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(found, [19, 21], "{report:#}");
    assert_eq!(report["warnings"], 2, "{report:#}");
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
  warning: the article has no summary; lists, the feed and search results will show its first paragraph instead
    --> content/articles/first-steps.md:2
     |
   2 | title: First steps
     |
    fix: add `summary:` with one or two sentences saying what the reader will learn
  error: link to `/articles/nothing/` points to no page or file of this site
    --> content/articles/first-steps.md:20:5
      |
   20 | See [nothing](/articles/nothing/).
      |
    fix: correct the address: a document is at its folder under content/ and its slug (content/articles/x.md at /articles/x/); or link to its file, e.g. (../articles/x.md)

1 error, 1 warning in 15 files (9 pages checked)
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
#[cfg(feature = "external-links")]
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

#[cfg(feature = "external-links")]
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

// ---------------------------------------------------------------------------------------
// Hostile input: no panic, no more than linear time, no script links (issue 10)

/// An article of `body` in the check fixture, at `content/articles/hostile.md`.
const HOSTILE: &str = "content/articles/hostile.md";

fn with_hostile_article(body: &str) -> Site {
    let site = clean();
    site.write(
        HOSTILE,
        &format!(
            "---\ntitle: Hostile\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\n{body}"
        ),
    );
    site
}

#[test]
fn raw_html_with_multibyte_characters_neither_panics_build_nor_check() {
    // HTML blocks reach the page as written, however broken; each of these once made the
    // link check's scanner cut a character in two.
    let blocks = [
        "<div dé=\"1\">an attribute name with an accent</div>",
        "<div =\"x\"é>a nameless attribute, then an accent</div>",
        "<div onclické=\"go()\">a handler-like name</div>",
        "<div id=\"café\" title='ü'>fine ids</div>",
        "<div\u{a0}id=x>a no-break space</div>",
        "<div é>",
        "<div a=\"é",
    ];
    let site = with_hostile_article(&blocks.join("\n\n"));
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let run = site.brief(&["build", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let page = site.read("public/articles/hostile/index.html");
    assert!(page.contains("id=\"café\""), "{page}");
}

#[test]
fn twenty_thousand_identical_headings_get_numbered_ids() {
    let site = with_hostile_article(&"## Same\n\nText.\n\n".repeat(20_000));
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/hostile/index.html");
    assert!(page.contains("<h2 id=\"same\">"), "the first keeps its id");
    for n in [1, 2, 9_999, 19_999] {
        assert!(page.contains(&format!("<h2 id=\"same-{n}\">")), "same-{n}");
    }
    assert!(!page.contains("id=\"same-20000\""));
    assert_eq!(page.matches("<h2 id=\"same").count(), 20_000);
}

#[test]
fn twenty_thousand_links_to_missing_anchors_are_each_reported() {
    let mut body = String::from("## Real heading\n\n");
    for n in 0..20_000 {
        body.push_str(&format!("See [part {n}](#missing-{n}).\n"));
    }
    // Raw HTML links, found in the page rather than the Markdown.
    for n in 0..2_000 {
        body.push_str(&format!("\n<div><a href=\"#raw-{n}\">raw {n}</a></div>\n"));
    }
    let site = with_hostile_article(&body);
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 22_000);
    // The first Markdown link is on line 10 of the file, the last raw one near the end.
    let first = finding(&report, HOSTILE, "`#missing-0`");
    assert_eq!(first["line"], 10);
    let raw = finding(&report, HOSTILE, "`#raw-1999`");
    assert_eq!(raw["line"].as_u64(), Some(10 + 20_000 + 2 * 1999 + 1));
}

#[test]
fn pathological_markdown_builds_in_linear_time() {
    let footnotes: String = (0..20_000)
        .map(|n| format!("Claim {n}.[^n{n}]\n\n[^n{n}]: Source {n}.\n\n"))
        .collect();
    let shortcodes = "{{ cta(id=\"talk\") }}\n\n".repeat(20_000);
    let long_line = format!("{}\n\n", "word <b>&amp; é ".repeat(300_000));
    let nested_quotes = format!("{}deep\n\n", "> ".repeat(5_000));
    let nested_lists: String = (0..2_000)
        .map(|n| format!("{}- item\n", "  ".repeat(n)))
        .collect();
    let site = with_hostile_article(&format!(
        "{footnotes}{shortcodes}{long_line}{nested_quotes}{nested_lists}"
    ));
    let run = site.brief(&["build", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warnings either");
    let page = site.read("public/articles/hostile/index.html");
    assert_eq!(
        page.matches("class=\"footnote-definition\"").count(),
        20_000
    );
    assert!(page.contains("id=\"fn-n19999\""));
    assert!(page.contains("<a href=\"#fn-n19999\">20000</a>"));
    assert_eq!(page.matches("<aside class=\"cta\">").count(), 20_000 + 1);
    assert!(page.contains("deep"));
}

#[test]
fn a_footnote_cited_twice_gives_each_citation_its_own_id() {
    let site = with_hostile_article(
        "A claim.[^src] The same source again.[^src] And [back to the first](#fnref-src), \
         [the second](#fnref2-src).\n\n[^src]: The source.\n",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "no id is used twice: {report:#}");
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/hostile/index.html");
    assert_eq!(page.matches("id=\"fnref-src\"").count(), 1, "{page}");
    assert_eq!(page.matches("id=\"fnref2-src\"").count(), 1, "{page}");
    assert_eq!(
        page.matches("<a href=\"#fn-src\">1</a>").count(),
        2,
        "{page}"
    );
}

#[test]
fn script_links_in_markdown_and_calls_to_action_are_errors() {
    let site = with_hostile_article(
        "A [plain one](javascript:alert(1)).\n\
         A [disguised one](JaVaScRiPt&#58;alert(1)).\n\
         A [VBScript one](vbscript:msgbox).\n\
         A [page in a data address](data:text/html;base64,PHNjcmlwdD4=).\n\
         An image in a data address is fine: ![dot](data:image/png;base64,iVBORw0KGgo=)\n\
         \n\
         <div><a href=\"javascript:void(0)\">raw</a></div>\n\n\
         <div><a href=\"jav&#x61;script:encoded()\">encoded</a></div>\n\n\
         ```\n<a href=\"javascript:shown_as_code()\">\n```\n\n\
         ## A [heading link](javascript:heading())\n",
    );
    site.edit(
        "site.toml",
        "href = \"/contact/\"",
        "href = \" javascript:alert('hi')\"",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1, "{report:#}");
    for (line, text) in [
        (8, "`javascript:alert(1)`"),
        (9, "`JaVaScRiPt:alert(1)`"),
        (10, "`vbscript:msgbox`"),
        (11, "`data:text/html;base64,PHNjcmlwdD4=`"),
        (14, "`javascript:void(0)`"),
        (22, "`javascript:heading()`"),
    ] {
        assert_finding(&report, "error", HOSTILE, Some(line), text);
    }
    // Written with an entity, it is found all the same (without its line).
    assert_finding(&report, "error", HOSTILE, None, "`javascript:encoded()`");
    assert_finding(
        &report,
        "error",
        "site.toml",
        Some(16),
        "call-to-action `talk` links to ` javascript:alert('hi')`",
    );
    assert_eq!(report["errors"], 8, "{report:#}");
    let run = site.brief(&["build", "--today", TODAY]);
    assert_eq!(run.code, 1, "build refuses them too: {}", run.stderr);
}

/// A server on loopback that accepts connections and never answers.
#[cfg(feature = "external-links")]
fn silent_server() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        // HEAD, and GET if brief asked again: hold both open until brief gives up.
        for stream in listener.incoming().take(2) {
            held.push(stream);
        }
    });
    (address, handle)
}

#[cfg(feature = "external-links")]
#[test]
fn an_external_link_that_never_answers_times_out_once() {
    let site = clean();
    let (address, _server) = silent_server();
    site.edit(
        ARTICLE,
        "Nothing else.",
        &format!("See [silent]({address}/hang)."),
    );
    let run = site.brief(&["check", "--today", TODAY, "--format", "json", "--external"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_finding(
        &report,
        "warning",
        ARTICLE,
        Some(21),
        "/hang` did not answer within 10 s",
    );
    assert_eq!(report["warnings"], 1, "{report:#}");
}

#[test]
fn an_id_repeated_in_raw_html_is_reported_once_against_the_article() {
    let site = with_hostile_article(&"<div id=\"box\">Boxed.</div>\n\n".repeat(20_000));
    let (code, report) = check(&site);
    assert_eq!(code, 0, "{report:#}");
    assert_finding(
        &report,
        "warning",
        HOSTILE,
        Some(8),
        "the id `box` is used more than once",
    );
    assert_eq!(report["warnings"], 1, "{report:#}");
}

#[cfg(not(feature = "external-links"))]
#[test]
fn check_external_without_the_feature_says_so() {
    let site = clean();
    let run = site.brief(&["check", "--external"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("this brief was built without the external-links feature"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("docs/install.md"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

/// Twelve overdue articles (more than check lists one by one) and one without a summary.
fn many_overdue() -> Site {
    let site = clean();
    for i in 0..12 {
        site.write(
            &format!("content/articles/old-{i:02}.md"),
            &format!("---\ntitle: Old {i}\ndate: 2024-01-01\ncurrent_as_at: 2024-01-01\nsummary: Old advice.\n---\n\nText.\n"),
        );
    }
    site.write(
        "content/articles/no-summary.md",
        "---\ntitle: No summary\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\n---\n\nText.\n",
    );
    site
}

#[test]
fn a_kind_of_finding_seen_many_times_is_summarised_and_verbose_lists_each() {
    let site = many_overdue();
    let run = site.brief(&["check", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("warning: 12 articles are past their review date"),
        "{out}"
    );
    assert!(out.contains("brief review"), "{out}");
    assert!(
        out.contains(
            "first: content/articles/old-00.md:4, content/articles/old-01.md:4, content/articles/old-02.md:4 and 9 more"
        ),
        "{out}"
    );
    // Summarised, so not listed one by one; the lone finding of another kind still is.
    assert!(!out.contains("content/articles/old-05.md\n"), "{out}");
    assert_eq!(out.matches("was due for review").count(), 0, "{out}");
    assert!(out.contains("content/articles/no-summary.md\n"), "{out}");
    assert!(out.contains("the article has no summary"), "{out}");
    assert!(out.trim_end().ends_with("checked)"), "{out}");

    let verbose = site.brief(&["check", "--today", TODAY, "--verbose"]);
    assert_eq!(verbose.code, 0);
    assert_eq!(verbose.stdout.matches("was due for review").count(), 12);
    assert!(!verbose.stdout.contains("are past their review date"));
    // Long output: the count is printed first as well as last.
    let first = verbose.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("0 errors, 13 warnings"),
        "{}",
        verbose.stdout
    );
    assert!(verbose.stdout.trim_end().ends_with("checked)"));

    // JSON always has every finding, each with its code.
    let (_, report) = check(&site);
    let overdue = findings(&report)
        .iter()
        .filter(|f| f["code"] == "overdue")
        .count();
    assert_eq!(overdue, 12, "{report:#}");
}

#[test]
fn summarised_overdue_findings_are_errors_under_fail_on_overdue() {
    let site = many_overdue();
    let run = site.brief(&["check", "--today", TODAY, "--fail-on", "overdue"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("error: 12 articles are past their review date"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("12 errors"), "{}", run.stdout);
}

#[test]
fn a_backslash_in_a_file_name_is_shown_as_it_is() {
    // On Linux `\` is a character of a file name, not a separator; Windows takes it for one,
    // so the name is refused, shown as it is.
    let site = clean();
    site.write(
        "content/articles/back\\slash.md",
        "---\ntitle: Back\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\n---\nText.\n",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("--> content/articles/back\\slash.md")
            && all.contains(
                "the file name `back\\slash.md` holds a character Windows does not allow"
            )
            && all.contains("rename the file `back-slash.md`"),
        "{all}"
    );
}

#[test]
fn zola_links_from_content_lead_to_their_pages() {
    let site = clean();
    site.write(
        "content/articles/zola.md",
        "---\ntitle: Zola\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\
         Read [the second](@/articles/second-thoughts.md#what-changed).\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/zola/index.html");
    assert!(
        page.contains(r#"href="/articles/second-thoughts/#what-changed""#),
        "{page}"
    );

    site.write(
        "content/articles/zola.md",
        "---\ntitle: Zola\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\
         Read it [here](@/inside-rust/x/index.md).\n",
    );
    let (code, report) = check(&site);
    assert_eq!(code, 1);
    let f = finding(
        &report,
        "content/articles/zola.md",
        "@/inside-rust/x/index.md",
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(9)),
        "{f:#}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("`@/` is Zola's way of writing content/")
            && message.contains("no Markdown file content/inside-rust/x/index.md"),
        "{message}"
    );
}

#[test]
fn a_long_line_is_shown_around_the_broken_link_with_its_column() {
    let site = clean();
    let before = "Words before the link. ".repeat(20);
    site.write(
        "content/articles/long.md",
        &format!(
            "---\ntitle: Long\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\nsummary: s\n---\n\
             {before}A [gone](/articles/gone/) link, {}\n",
            "and words after it. ".repeat(20)
        ),
    );
    let (_, report) = check(&site);
    let f = finding(&report, "content/articles/long.md", "`/articles/gone/`");
    let column = before.chars().count() as u64 + 3;
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(column)),
        "{f:#}"
    );
    let source = f["source"].as_str().unwrap();
    assert!(
        source.starts_with('…')
            && source.ends_with('…')
            && source.contains("[gone](/articles/gone/)"),
        "{source}"
    );
    let text = site.brief(&["check", "--today", TODAY]);
    assert!(
        text.stdout
            .contains(&format!("--> content/articles/long.md:7:{column}")),
        "{}",
        text.stdout
    );
}

#[test]
fn the_site_s_review_period_is_between_a_day_and_a_hundred_years() {
    for days in ["0", "-1", "100000000000"] {
        let site = crate::support::Site::fixture("basic");
        site.edit(
            "site.toml",
            "review_after_days = 365",
            &format!("review_after_days = {days}"),
        );
        let run = site.brief(&["check", "--today", "2026-11-24"]);
        assert_eq!(run.code, 1, "{days}: {}{}", run.stdout, run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains(&format!(
                "review_after_days is {days}: it must be a number of days from 1 to 36500"
            )) && said.contains("site.toml:"),
            "{said}"
        );
    }
}
