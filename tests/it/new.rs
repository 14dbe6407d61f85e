//! `brief new`: a draft with complete front matter that check and build accept.

use crate::support::{run, Site};

fn today_in_sydney() -> String {
    // The fixture's time zone; the article's dates must be today there.
    let tz: chrono_tz::Tz = "Australia/Sydney".parse().unwrap();
    chrono::Utc::now()
        .with_timezone(&tz)
        .date_naive()
        .to_string()
}

#[test]
fn new_then_build_with_drafts_renders_the_article_with_its_stamp_and_cta() {
    let site = Site::fixture("check-clean");
    let new = site.brief(&[
        "new",
        "Café Crème: a \"proper\" guide #1",
        "--tags",
        "coffee, how-to",
    ]);
    new.success();
    assert!(
        new.stderr.contains("Preview it with `brief serve`"),
        "{}",
        new.stderr
    );
    let path = site.path("content/articles/cafe-creme-a-proper-guide-1.md");
    assert_eq!(new.stdout.trim(), path.display().to_string());
    let text = site.read("content/articles/cafe-creme-a-proper-guide-1.md");
    let today = today_in_sydney();
    assert!(
        text.contains("title: \"Café Crème: a \\\"proper\\\" guide #1\"\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("date: {today}\ncurrent_as_at: {today}\n")),
        "{text}"
    );
    assert!(
        text.contains("tags: [coffee, how-to]\ndraft: true\n"),
        "{text}"
    );

    site.brief(&["build", "--drafts"]).success();
    let html = site.read("public/articles/cafe-creme-a-proper-guide-1/index.html");
    assert!(
        html.contains("<h1>Café Crème: a &quot;proper&quot; guide #1</h1>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "Information current as at <time datetime=\"{today}\">"
        )),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"cta\">"),
        "the default CTA: {html}"
    );
    assert!(html.contains("Get in touch"), "{html}");

    // Without --drafts it stays out.
    site.brief(&["build"]).success();
    assert!(!site
        .path("public/articles/cafe-creme-a-proper-guide-1/index.html")
        .exists());
}

#[test]
fn check_flags_what_is_left_to_do_in_a_new_article() {
    let site = Site::fixture("check-clean");
    site.brief(&["new", "Fresh start"]).success();
    let run = site.brief(&["check", "--format", "json"]);
    assert_eq!(
        run.code, 0,
        "a new draft has warnings, not errors: {}",
        run.stdout
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mine: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "content/articles/fresh-start.md")
        .collect();
    let messages: Vec<&str> = mine
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("no summary")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("TODO")), "{messages:?}");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::fixture("check-clean");
    site.brief(&["new", "Second thoughts"]).failure();
    let run = site.brief(&["new", "First Steps"]);
    run.failure();
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/articles/first-steps.md"),
        "{}",
        run.stderr
    );
    assert!(site
        .read("content/articles/first-steps.md")
        .contains("title: First steps"));

    // Another file that publishes to the same address counts too.
    site.write(
        "content/articles/renamed.md",
        "---\ntitle: Renamed\nslug: taken-address\ndate: 2026-06-01\ncurrent_as_at: 2026-06-01\n---\n\nText.\n",
    );
    let run = site.brief(&["new", "Taken address"]);
    run.failure();
    assert!(
        run.stderr
            .contains("renamed.md already publishes to /articles/taken-address/"),
        "{}",
        run.stderr
    );
    assert!(!site.path("content/articles/taken-address.md").exists());
}

#[test]
fn slugs_dates_and_tags_can_be_chosen() {
    let site = Site::fixture("check-clean");
    let run = site.brief(&[
        "new",
        "Whatever",
        "--slug",
        "chosen-slug",
        "--date",
        "2026-01-02",
        "--tags",
        "a,b",
    ]);
    run.success();
    let text = site.read("content/articles/chosen-slug.md");
    assert!(text.contains("date: 2026-01-02\n"), "{text}");
    assert!(text.contains("tags: [a, b]\n"), "{text}");

    let run = site.brief(&["new", "Whatever", "--slug", "Not A Slug"]);
    run.failure();
    assert!(run.stderr.contains("--slug not-a-slug"), "{}", run.stderr);

    let run = site.brief(&["new", "???"]);
    run.failure();
    assert!(run.stderr.contains("--slug"), "{}", run.stderr);

    site.brief(&["new", "Bad date", "--date", "2026-02-30"]);
    assert_eq!(
        site.brief(&["new", "Bad date", "--date", "2026-02-30"])
            .code,
        2
    );
}

#[test]
fn accents_are_folded_in_slugs() {
    let site = Site::fixture("check-clean");
    site.brief(&["new", "Café Crème"]).success();
    assert!(site.path("content/articles/cafe-creme.md").exists());
    site.brief(&["new", "Don’t panic: Ünïcode"]).success();
    assert!(site.path("content/articles/dont-panic-unicode.md").exists());
}

#[test]
fn a_folder_without_site_toml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap().to_string();
    let run = run(&["new", "Anything", "--root", &root], dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("--root"), "{}", run.stderr);
    assert!(!dir.path().join("content").exists());
}

#[test]
fn new_writes_a_bundle_or_into_another_section() {
    let site = Site::fixture("check-clean");
    let bundle = site.brief(&["new", "Launch results", "--bundle"]);
    bundle.success();
    assert_eq!(
        bundle.stdout.trim(),
        site.path("content/articles/launch-results/index.md")
            .display()
            .to_string()
    );
    site.write(
        "content/articles/launch-results/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let guide = site.brief(&["new", "Passwords", "--section", "guides/security"]);
    guide.success();
    assert!(site.path("content/guides/security/passwords.md").is_file());
    // A slug its folder already publishes is refused; another folder may use it.
    let again = site.brief(&["new", "Launch results"]);
    again.failure();
    assert!(
        again
            .stderr
            .contains("already publishes to /articles/launch-results/"),
        "{}",
        again.stderr
    );
    site.brief(&["new", "Passwords"]).success();
    site.brief(&["build", "--drafts"]).success();
    assert!(site
        .path("public/articles/launch-results/chart.svg")
        .is_file());
    assert!(site
        .path("public/guides/security/passwords/index.html")
        .is_file());
}

#[test]
fn a_section_must_be_a_plain_folder_path_under_content() {
    let site = Site::fixture("check-clean");
    let before = crate::support::snapshot(site.root());
    for (given, why) in [
        ("/tmp/x", "it is a path from the root of the disk; give the folder's path from content/, e.g. guides/security"),
        ("../outside", "give the folder's path from content/ with no `.`, `..` or empty parts"),
        ("guides/../../x", "no `.`, `..` or empty parts"),
        ("guides//x", "no `.`, `..` or empty parts"),
        ("C:\\guides", "it is a path from the root of the disk"),
        (".hidden", "brief skips folders whose names start with `.` or `_`"),
        ("content/guides", "leave out `content/`: --section guides"),
        ("", "name a folder under content/"),
    ] {
        let run = site.brief(&["new", "X", "--section", given]);
        assert_eq!(run.code, 2, "{given}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("invalid value '{given}' for '--section <FOLDER>': ")),
            "{given}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{given}: {}", run.stderr);
    }
    assert_eq!(
        crate::support::snapshot(site.root()),
        before,
        "nothing written"
    );
    assert!(!std::path::Path::new("/tmp/x/x.md").exists());
    // A trailing slash, as a shell completes a folder, is fine.
    site.brief(&["new", "X", "--section", "guides/"]).success();
    assert!(site.path("content/guides/x.md").is_file());
}

#[test]
fn a_slug_made_from_a_long_title_is_cut_at_a_word() {
    let site = Site::fixture("check-clean");
    let title = "A very long title about everything ".repeat(9);
    assert!(title.len() > 300);
    let run = site.brief(&["new", title.trim()]);
    run.success();
    let slug = "a-very-long-title-about-everything-a-very-long-title-about-everything-a-very";
    assert_eq!(
        run.stdout.trim(),
        site.path(&format!("content/articles/{slug}.md"))
            .display()
            .to_string()
    );
    assert!(slug.len() <= 80);
    assert!(site
        .read(&format!("content/articles/{slug}.md"))
        .contains(&format!("title: {}\n", title.trim())));

    // A slug asked for is never cut, but one longer than any name brief writes is refused.
    let long = "x".repeat(300);
    let run = site.brief(&["new", "Long", "--slug", &long]);
    run.failure();
    assert!(
        run.stderr.contains(
            "the slug is 300 characters long; brief makes no file or folder name longer than 200"
        ) && run
            .stderr
            .contains("fix: choose a shorter one, e.g. --slug xxxx"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

#[test]
fn a_name_the_file_system_refuses_as_too_long_is_explained() {
    let site = Site::fixture("check-clean");
    // Each folder name is allowed; together they pass the system's longest path.
    let deep = vec!["f".repeat(190); 25].join("/");
    let run = site.brief(&["new", "Deep", "--section", &deep]);
    run.failure();
    assert!(
        run.stderr
            .contains("error: cannot create the article: its name is too long for this file system")
            && run.stderr.contains(
                "fix: choose a shorter address with --slug, e.g. --slug deep, or a section with a shorter path"
            ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

#[test]
fn folders_made_for_an_article_the_system_refuses_are_taken_away() {
    let site = Site::fixture("check-clean");
    // Folders whose path the system still takes, one byte short of its limit, so that only
    // the article's own path inside them is too long.
    let content = site.path("content");
    let mut left = 4095 - 1 - content.as_os_str().len();
    let mut parts = Vec::new();
    while left > 0 {
        let part = left.saturating_sub(1).clamp(1, 190);
        parts.push("f".repeat(part));
        left = left.saturating_sub(part + 1);
    }
    let run = site.brief(&["new", "Deep", "--section", &parts.join("/")]);
    run.failure();
    assert!(
        run.stderr.contains("too long for this file system"),
        "{}",
        run.stderr
    );
    assert!(
        !content.join(&parts[0]).exists(),
        "the folders brief made are left"
    );
}
