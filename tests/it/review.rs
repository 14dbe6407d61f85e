//! When articles fall due for review, and `brief review`.

use crate::support::Site;
use serde_json::Value;

/// `brief review --format json` as parsed JSON, with its exit code.
fn review_json(site: &Site, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["review", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.brief(&all);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run.code, json)
}

fn files(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect()
}

/// The basic fixture with periods for two tags, and one article with its own.
fn with_periods() -> Site {
    let site = Site::fixture("basic");
    site.edit(
        "site.toml",
        "timezone = \"Australia/Sydney\"",
        "timezone = \"Australia/Sydney\"\n\n[dates.review_tags]\nproduction = 200\nprototypes = 100\n",
    );
    site.edit(
        "content/articles/old-advice.md",
        "tags: [archive]",
        "tags: [archive]\nreview_after_days: 1200",
    );
    site
}

#[test]
fn the_article_then_its_shortest_tag_then_the_site_set_the_review_period() {
    let site = with_periods();
    let (code, json) = review_json(&site, &["--today", "2026-10-20"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["version"], 1);
    assert_eq!(json["today"], "2026-10-20");
    let overdue = &json["overdue"];
    // Most overdue first.
    assert_eq!(
        files(overdue),
        [
            "content/articles/checklist.md",
            "content/articles/prototype-versus-production.md"
        ],
        "{json:#}"
    );
    // checklist, as at 2026-03-02, tagged production: 200 days.
    assert_eq!(overdue[0]["due"], "2026-09-18");
    assert_eq!(overdue[0]["due_in_days"], -32);
    assert_eq!(overdue[0]["period"], 200);
    assert_eq!(
        (overdue[0]["from"].as_str(), overdue[0]["tag"].as_str()),
        (Some("tag"), Some("production"))
    );
    // prototype-versus-production, as at 2026-07-05, tagged Production and prototypes: the
    // shorter, 100 days.
    assert_eq!(overdue[1]["due"], "2026-10-13");
    assert_eq!(overdue[1]["period"], 100);
    assert_eq!(overdue[1]["tag"], "prototypes");
    // old-advice, as at 2024-01-10, its own 1,200 days: due 2027-04-24, 186 days away.
    assert_eq!(json["due_soon"], Value::Array(vec![]));
    assert_eq!(json["later"], 1);
    let (_, json) = review_json(&site, &["--today", "2026-10-20", "--within", "186"]);
    let soon = &json["due_soon"];
    assert_eq!(files(soon), ["content/articles/old-advice.md"]);
    assert_eq!(soon[0]["due"], "2027-04-24");
    assert_eq!(soon[0]["from"], "article");
    // Without any of these, the site's 365 days.
    let plain = Site::fixture("basic");
    let (_, json) = review_json(&plain, &["--today", "2026-10-20"]);
    assert_eq!(files(&json["overdue"]), ["content/articles/old-advice.md"]);
    assert_eq!(json["overdue"][0]["due"], "2025-01-09");
    assert_eq!(json["overdue"][0]["from"], "site");
}

#[test]
fn a_year_after_a_leap_day_is_365_days_later() {
    let site = Site::fixture("basic");
    site.edit(
        "content/articles/old-advice.md",
        "date: 2024-01-10\ncurrent_as_at: 2024-01-10",
        "date: 2024-01-10\ncurrent_as_at: 2024-02-29",
    );
    let (_, json) = review_json(&site, &["--today", "2025-02-28"]);
    let soon = &json["due_soon"];
    assert_eq!(files(soon), ["content/articles/old-advice.md"], "{json:#}");
    assert_eq!(soon[0]["due"], "2025-02-28");
    assert_eq!(soon[0]["due_in_days"], 0);
    let (_, json) = review_json(&site, &["--today", "2025-03-01"]);
    assert_eq!(json["overdue"][0]["due_in_days"], -1);
}

#[test]
fn review_lists_overdue_first_for_people_and_can_fail_ci() {
    let site = with_periods();
    let run = site.brief(&["review", "--today", "2026-10-20", "--within", "200"]);
    run.success();
    let text = &run.stdout;
    let overdue = text.find("Overdue for review (2):").expect(text);
    let soon = text.find("Due within 200 days (1):").expect(text);
    assert!(overdue < soon, "{text}");
    assert!(
        text.contains("content/articles/checklist.md  due 2026-09-18, 32 days ago"),
        "{text}"
    );
    assert!(
        text.contains("content/articles/old-advice.md  due 2027-04-24, in 186 days"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("2 overdue, 1 due within 200 days, 0 later (as of 2026-10-20)"),
        "{text}"
    );

    let failing = site.brief(&["review", "--today", "2026-10-20", "--fail-on", "overdue"]);
    failing.failure();
    let passing = site.brief(&["review", "--today", "2026-03-03", "--fail-on", "overdue"]);
    passing.success();
    assert!(passing.stdout.contains("0 overdue"), "{}", passing.stdout);
}

#[test]
fn the_stale_notice_and_check_use_the_article_s_own_period() {
    let site = with_periods();
    let run = site.brief(&["check", "--today", "2026-10-20", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let stale: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("was due for review on")
        })
        .collect();
    let files: Vec<&str> = stale.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        [
            "content/articles/checklist.md",
            "content/articles/prototype-versus-production.md"
        ],
        "{report:#}"
    );
    assert!(stale[0]["message"]
        .as_str()
        .unwrap()
        .contains("due for review on 2026-09-18"));
    // A period that is not a number of days is an error at its line.
    site.edit(
        "content/articles/old-advice.md",
        "review_after_days: 1200",
        "review_after_days: 0",
    );
    let run = site.brief(&["build", "--today", "2026-10-20"]);
    run.failure();
    assert!(
        run.stderr.contains("review_after_days")
            && run.stderr.contains("content/articles/old-advice.md:6"),
        "{}",
        run.stderr
    );
}

#[test]
fn confirm_changes_only_the_date_of_current_as_at() {
    let site = Site::fixture("basic");
    let file = "content/articles/old-advice.md";
    let odd = "---\r\n# reviewed by the team\r\ntitle: 'Old advice'   # keep the quotes\r\ndate: 2024-01-10\r\ncurrent_as_at: \"2024-01-10\" # last checked\r\ntags: [archive]\r\n---\r\nThis was confirmed on 2024-01-10.\r\n";
    site.write(file, odd);
    let run = site.brief(&["review", "--today", "2026-10-20", "--confirm", "old-advice"]);
    run.success();
    assert!(
        run.stdout
            .contains("old-advice.md:5: current_as_at 2024-01-10 → 2026-10-20"),
        "{}",
        run.stdout
    );
    assert_eq!(
        site.read(file),
        odd.replace("\"2024-01-10\" #", "\"2026-10-20\" #")
    );
    // Now current: a second confirmation changes nothing; by file name too.
    let again = site.brief(&["review", "--today", "2026-10-20", "--confirm", file]);
    again.success();
    assert!(again.stdout.contains("nothing changed"), "{}", again.stdout);
    let (_, json) = review_json(&site, &["--today", "2026-10-20"]);
    assert!(!files(&json["overdue"]).contains(&file), "{json:#}");
    brief_build_passes(&site);
}

fn brief_build_passes(site: &Site) {
    site.brief(&["build", "--today", "2026-10-20"]).success();
}

#[test]
fn confirm_refuses_drafts_scheduled_and_unknown_articles_and_changes_nothing() {
    let site = Site::fixture("basic");
    let before = crate::support::snapshot(site.root());
    for (target, says) in [
        ("unfinished", "is a draft"),
        ("upcoming", "scheduled"),
        ("old-advise", "did you mean `old-advice`?"),
        ("no-such-thing-at-all", "there is no article"),
    ] {
        let run = site.brief(&["review", "--today", "2026-10-20", "--confirm", target]);
        run.failure();
        assert!(run.stderr.contains(says), "{target}: {}", run.stderr);
    }
    assert_eq!(crate::support::snapshot(site.root()), before);
}

const REVIEWERS: &str = "\n[reviewers.ana]\nname = \"Ana Lim\"\nrole = \"Principal engineer\"\nurl = \"/about/\"\n\n[reviewers.team]\nname = \"The advice team\"\nkind = \"organization\"\n";

/// The basic fixture with two reviewers, and the flagship reviewed by one with two changes.
fn with_reviews() -> Site {
    let site = Site::fixture_with_theme("basic");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace(
            "[cta.send-it-over]",
            &format!("{REVIEWERS}\n[cta.send-it-over]"),
        ),
    );
    site.edit(
        FLAGSHIP_MD,
        "current_as_at: 2026-07-05\n",
        "current_as_at: 2026-10-01\nreviewed_by: ana\nchanges:\n  - date: 2026-08-01\n    note: Added the checklist link.\n  - date: 2026-10-01\n    note: \"Fees <updated> for 2026-27\"\n",
    );
    site
}

const FLAGSHIP_MD: &str = "content/articles/prototype-versus-production.md";
const FLAGSHIP: &str = "public/articles/prototype-versus-production/index.html";

#[test]
fn a_reviewed_article_says_who_and_what_changed_in_its_page_its_json_ld_and_the_feed() {
    let site = with_reviews();
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let page = site.read(FLAGSHIP);
    let data = crate::support::json_ld(&page);
    assert_eq!(data["@type"], "WebPage");
    assert_eq!(data["lastReviewed"], "2026-10-01");
    assert_eq!(
        data["reviewedBy"],
        serde_json::json!({"@type": "Person", "name": "Ana Lim", "jobTitle": "Principal engineer", "url": "https://example.com/advice/about/"})
    );
    let article = &data["mainEntity"];
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["datePublished"], "2026-07-05");
    // The newest change is the last modification, as the page says.
    assert_eq!(article["dateModified"], "2026-10-01");
    assert_eq!(
        article["mainEntityOfPage"],
        "https://example.com/advice/articles/prototype-versus-production/"
    );

    assert!(
        page.contains(
            "Reviewed by\n      <a href=\"/advice/about/\">Ana Lim</a>, Principal engineer"
        ),
        "{page}"
    );
    assert!(page.contains("updated <a href=\"#article-changes\"><time datetime=\"2026-10-01\">1 October 2026</time></a>"), "{page}");
    // The newest change shows; the earlier ones are folded away.
    let changes = page.split("id=\"article-changes\"").nth(1).unwrap();
    let (latest, earlier) = changes.split_once("<details>").unwrap();
    assert!(
        latest.contains("1 October 2026</time>: Fees &lt;updated&gt; for 2026-27"),
        "{changes}"
    );
    assert!(
        earlier.contains("1 August 2026</time>: Added the checklist link."),
        "{changes}"
    );
    assert!(earlier.contains("Earlier changes (1)"), "{changes}");
    // Next review: a year after current_as_at, under the stamp.
    assert!(
        page.contains("Next review due <time datetime=\"2027-10-01\">1 October 2027</time>"),
        "{page}"
    );

    let feed = site.read("public/feed.xml");
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains("prototype-versus-production"))
        .unwrap();
    assert!(entry.contains("&lt;strong&gt;Updated 1 October 2026:&lt;/strong&gt; Fees &amp;lt;updated&amp;gt; for 2026-27"), "{entry}");
    assert!(
        entry.contains("<updated>2026-10-01T00:00:00+10:00</updated>"),
        "{entry}"
    );

    // An organisation reviews too; the switch hides the next review date.
    site.edit(FLAGSHIP_MD, "reviewed_by: ana", "reviewed_by: team");
    site.edit(
        "site.toml",
        "review_after_days = 365",
        "review_after_days = 365\nshow_next_review = false",
    );
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let page = site.read(FLAGSHIP);
    assert_eq!(
        crate::support::json_ld(&page)["reviewedBy"],
        serde_json::json!({"@type": "Organization", "name": "The advice team"})
    );
    assert!(!page.contains("Next review due"), "{page}");
}

#[test]
fn the_stale_notice_names_the_day_the_review_was_due() {
    let site = Site::fixture_with_theme("basic");
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let page = site.read("public/articles/old-advice/index.html");
    assert!(
        page.contains(
            "and was due for review by <time datetime=\"2025-01-09\">9 January 2025</time>"
        ),
        "{page}"
    );
    assert!(
        !page.contains("Next review due"),
        "an overdue article has no next date: {page}"
    );
}

#[test]
fn bad_review_fields_are_errors_at_their_lines() {
    let site = with_reviews();
    for (from, to, line, says) in [
        (
            "reviewed_by: ana",
            "reviewed_by: anna",
            5,
            "unknown reviewer `anna`",
        ),
        (
            "  - date: 2026-08-01",
            "  - date: 2026-10-15",
            9,
            "comes after the change of 2026-10-15",
        ),
        (
            "  - date: 2026-08-01",
            "  - date: 2026-06-01",
            7,
            "earlier than the article's date (2026-07-05)",
        ),
        (
            "  - date: 2026-10-01",
            "  - date: 2026-10-21",
            9,
            "dated after today (2026-10-20)",
        ),
        (
            "  - date: 2026-10-01",
            "  - date: 2026-10-41",
            9,
            "there is no such date",
        ),
        (
            "    note: Added the checklist link.\n",
            "",
            7,
            "has no note",
        ),
        (
            "    note: Added the checklist link.",
            "    not: Added",
            8,
            "unknown field `not`",
        ),
    ] {
        let before = site.read(FLAGSHIP_MD);
        site.edit(FLAGSHIP_MD, from, to);
        let run = site.brief(&["build", "--today", "2026-10-20"]);
        run.failure();
        let at = format!("{FLAGSHIP_MD}:{line}");
        assert!(
            run.stderr.contains(says) && run.stderr.contains(&at),
            "{to}: wanted {says:?} at {at}:\n{}",
            run.stderr
        );
        site.write(FLAGSHIP_MD, &before);
    }
    // The unknown reviewer's fix names the known ones.
    site.edit(FLAGSHIP_MD, "reviewed_by: ana", "reviewed_by: anna");
    let run = site.brief(&["build", "--today", "2026-10-20"]);
    assert!(
        run.stderr
            .contains("did you mean `ana`? the reviewers in site.toml are: ana, team"),
        "{}",
        run.stderr
    );
    // A page has no review date: a review field there is an error, not ignored.
    site.edit(FLAGSHIP_MD, "reviewed_by: anna", "reviewed_by: ana");
    site.edit(
        "content/about.md",
        "title: About",
        "title: About\nreviewed_by: ana",
    );
    let run = site.brief(&["build", "--today", "2026-10-20"]);
    run.failure();
    assert!(
        run.stderr.contains("`reviewed_by` is for articles"),
        "{}",
        run.stderr
    );
}

#[test]
fn confirm_with_a_note_and_a_reviewer_changes_only_those_lines() {
    let site = with_reviews();
    site.edit(
        "site.toml",
        "\n[reviewers.ana]",
        "\n[reviewers.ben]\nname = \"Ben\"\n\n[reviewers.ana]",
    );
    let file = "content/articles/old-advice.md";
    // Comments, quoting, CRLF, and a last change entry with a comment and a blank line after.
    let odd = "---\r\n# reviewed by the team\r\ntitle: 'Old advice'   # keep the quotes\r\ndate: 2024-01-10\r\ncurrent_as_at: \"2024-01-10\" # last checked\r\nreviewed_by: ana  # first review\r\nchanges:\r\n  - date: 2024-02-01   # first\r\n    note: 'Typo fixed'\r\n    # nothing else\r\n\r\ntags: [archive]\r\n---\r\nThis was confirmed on 2024-01-10.\r\n";
    site.write(file, odd);
    let run = site.brief(&[
        "review",
        "--today",
        "2026-10-20",
        "--confirm",
        "old-advice",
        "--by",
        "ben",
        "--note",
        "Checked the \"fees\" table",
    ]);
    run.success();
    assert_eq!(
        run.stdout,
        format!("{file}:5: current_as_at 2024-01-10 → 2026-10-20\n{file}:6: reviewed_by: ben\n{file}:11: change noted: Checked the \"fees\" table\n"),
    );
    let want = odd
        .replace("\"2024-01-10\" #", "\"2026-10-20\" #")
        .replace("reviewed_by: ana  #", "reviewed_by: ben  #")
        .replace("    # nothing else\r\n", "    # nothing else\r\n  - date: 2026-10-20\r\n    note: \"Checked the \\\"fees\\\" table\"\r\n");
    assert_eq!(site.read(file), want);
    brief_build_passes(&site);

    // An article with neither field gets both, below current_as_at and at the end.
    let plain = "content/articles/checklist.md";
    let before = site.read(plain);
    site.brief(&[
        "review",
        "--today",
        "2026-10-20",
        "--confirm",
        "checklist",
        "--by",
        "ana",
        "--note",
        "Rechecked",
    ])
    .success();
    assert_eq!(
        site.read(plain),
        before
            .replace(
                "current_as_at: 2026-03-02\n",
                "current_as_at: 2026-10-20\nreviewed_by: ana\n"
            )
            .replace(
                "author: Someone Else\n",
                "author: Someone Else\nchanges:\n  - date: 2026-10-20\n    note: Rechecked\n"
            )
    );
    brief_build_passes(&site);
}

#[test]
fn confirm_refuses_an_unknown_reviewer_and_an_empty_note_and_changes_nothing() {
    let site = with_reviews();
    let before = crate::support::snapshot(site.root());
    for (args, says) in [
        (&["--by", "anna"][..], "did you mean `ana`?"),
        (
            &["--by", "zed"][..],
            "the reviewers in site.toml are: ana, team",
        ),
        (&["--note", "  "][..], "the note is empty"),
        (&["--note", "two\nlines"][..], "on one line"),
    ] {
        let mut all = vec!["review", "--today", "2026-10-20", "--confirm", "checklist"];
        all.extend_from_slice(args);
        let run = site.brief(&all);
        run.failure();
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    // --note needs --confirm: a usage error.
    assert_eq!(site.brief(&["review", "--note", "x"]).code, 2);
    assert_eq!(crate::support::snapshot(site.root()), before);
}

#[test]
fn review_lists_name_the_reviewer() {
    let site = with_reviews();
    let (_, json) = review_json(&site, &["--today", "2028-01-01"]);
    let flagship = json["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["file"] == FLAGSHIP_MD)
        .unwrap();
    assert_eq!(flagship["reviewed_by"], "ana");
    assert_eq!(flagship["reviewer"], "Ana Lim");
    let text = site
        .brief(&["review", "--today", "2028-01-01"])
        .stdout
        .clone();
    assert!(
        text.contains("(current as at 2026-10-01, reviewed by Ana Lim)"),
        "{text}"
    );
}

#[test]
fn check_reports_overdue_due_soon_and_future_reviews_in_its_review_group() {
    let site = Site::fixture("basic");
    let check = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let run = site.brief(&all);
        (
            run.code,
            serde_json::from_str::<Value>(&run.stdout).unwrap(),
        )
    };
    let of = |report: &Value, file: &str, says: &str| -> Option<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file && f["message"].as_str().unwrap().contains(says))
            .map(|f| f["severity"].as_str().unwrap().to_string())
    };
    // old-advice is overdue (due 2025-01-09); the flagship falls due on 2027-07-05.
    let (code, report) = check(&["--today", "2027-06-20"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        of(
            &report,
            "content/articles/old-advice.md",
            "was due for review on 2025-01-09"
        )
        .as_deref(),
        Some("warning")
    );
    assert_eq!(
        of(
            &report,
            FLAGSHIP_MD,
            "due for review on 2027-07-05 (in 15 days)"
        )
        .as_deref(),
        Some("note"),
        "{report:#}"
    );
    assert!(report["notes"].as_u64().unwrap() >= 1, "{report:#}");
    let text = site
        .brief(&["check", "--today", "2027-06-20"])
        .stdout
        .clone();
    assert!(
        text.contains("note: the article is due for review on 2027-07-05"),
        "{text}"
    );

    // Overdue is an error under --fail-on overdue, or with [dates] overdue = "error".
    let (code, report) = check(&["--today", "2027-06-20", "--fail-on", "overdue"]);
    assert_eq!(code, 1);
    assert_eq!(
        of(
            &report,
            "content/articles/old-advice.md",
            "was due for review"
        )
        .as_deref(),
        Some("error")
    );
    site.edit(
        "site.toml",
        "review_after_days = 365",
        "review_after_days = 365\noverdue = \"error\"",
    );
    assert_eq!(check(&["--today", "2027-06-20"]).0, 1);
    site.edit(
        "site.toml",
        "overdue = \"error\"",
        "overdue = \"eventually\"",
    );
    let run = site.brief(&["check", "--today", "2027-06-20"]);
    assert!(
        run.code == 1
            && run.stdout.contains("[dates] overdue is `eventually`")
            && run.stdout.contains("site.toml:13"),
        "{}",
        run.stdout
    );
    site.edit("site.toml", "overdue = \"eventually\"", "");

    // A published article confirmed after today is an error at current_as_at's line.
    site.edit(
        "content/articles/checklist.md",
        "current_as_at: 2026-03-02",
        "current_as_at: 2027-03-02",
    );
    let (code, report) = check(&["--today", "2026-10-20"]);
    assert_eq!(code, 1);
    assert_eq!(
        of(
            &report,
            "content/articles/checklist.md",
            "is after today (2026-10-20)"
        )
        .as_deref(),
        Some("error"),
        "{report:#}"
    );
    // build refuses to publish the stamp, at the same line, and leaves no output.
    let run = site.brief(&["build", "--today", "2026-10-20"]);
    run.failure();
    assert!(
        run.stderr
            .contains("current_as_at (2027-03-02) is after today (2026-10-20)")
            && run.stderr.contains("content/articles/checklist.md:"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
}

#[test]
fn next_review_dates_follow_the_site_s_calendar_across_a_time_zone_boundary() {
    let site = Site::fixture("basic");
    // 13:30 UTC on 4 July 2027 is already 5 July in Sydney: the flagship (current as at
    // 2026-07-05, a year's period) is due that day there, and a day later in UTC's calendar.
    site.edit(
        "content/articles/prototype-versus-production.md",
        "tags: [Production, prototypes]",
        "tags: [Production, prototypes]\nreview_after_days: 365",
    );
    let (_, json) = review_json(&site, &["--today", "2027-07-05", "--within", "0"]);
    let due: Vec<&Value> = json["due_soon"].as_array().unwrap().iter().collect();
    assert_eq!(due.len(), 1, "{json:#}");
    assert_eq!(due[0]["due"], "2027-07-05");
    assert_eq!(due[0]["due_in_days"], 0);
    // Today in the site's zone is what counts, whatever the machine's zone.
    let run = site.brief_with_env(
        &["review", "--format", "json"],
        &[("TZ", "Pacific/Pago_Pago")],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let sydney_today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Australia::Sydney)
        .date_naive();
    assert_eq!(json["today"], sydney_today.to_string());
}

#[test]
fn a_page_with_current_as_at_is_stamped_and_reviewed_as_articles_are() {
    let site = Site::fixture_with_theme("basic");
    site.edit(
        "content/about.md",
        "title: About",
        "title: About\ncurrent_as_at: 2025-06-01",
    );
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let page = site.read("public/about/index.html");
    assert!(
        page.contains("Information current as at <time datetime=\"2025-06-01\">1 June 2025</time>"),
        "{page}"
    );
    assert!(
        page.contains("was due for review by <time datetime=\"2026-06-01\">1 June 2026</time>"),
        "{page}"
    );
    let (_, json) = review_json(&site, &["--today", "2026-10-20"]);
    assert!(
        files(&json["overdue"]).contains(&"content/about.md"),
        "{json:#}"
    );
    let run = site.brief(&["check", "--today", "2026-10-20"]);
    assert!(
        run.stdout
            .contains("the page was due for review on 2026-06-01"),
        "{}",
        run.stdout
    );
    site.brief(&[
        "review",
        "--today",
        "2026-10-20",
        "--confirm",
        "content/about.md",
    ])
    .success();
    assert!(site
        .read("content/about.md")
        .contains("current_as_at: 2026-10-20"));
    // A page without the field has no stamp.
    assert!(!site
        .read("public/contact/index.html")
        .contains("Information current as at"));
}

const TODAY: &str = "2026-10-20";

fn confirm(site: &Site, extra: &[&str]) -> crate::support::Run {
    let mut all = vec!["review", "--today", TODAY, "--confirm"];
    all.extend_from_slice(extra);
    site.brief(&all)
}

#[test]
fn confirm_never_loses_lines_saved_while_it_edits() {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let site = Site::fixture("basic");
    let file = "content/articles/old-advice.md";
    let path = site.path(file);
    let stop = Arc::new(AtomicBool::new(false));
    // An editor appending a line to the article, in place, again and again.
    let writer = {
        let (stop, path) = (stop.clone(), path.clone());
        std::thread::spawn(move || {
            let mut written = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let line = format!("Saved line {}.\n", written.len());
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap();
                f.write_all(line.as_bytes()).unwrap();
                written.push(line);
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            written
        })
    };
    let mut noted = Vec::new();
    for i in 0..12 {
        let note = format!("Review number {i}");
        let run = confirm(&site, &["old-advice", "--note", &note]);
        match run.code {
            0 => noted.push(note),
            _ => assert!(
                run.stderr.contains("saved by another program"),
                "{}",
                run.stderr
            ),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    let text = site.read(file);
    let lost: Vec<_> = written.iter().filter(|l| !text.contains(*l)).collect();
    assert!(lost.is_empty(), "lost {lost:?}\n{text}");
    for note in &noted {
        assert!(text.contains(note), "{note}\n{text}");
    }
    assert!(!noted.is_empty(), "no confirmation got through:\n{text}");
}

#[test]
fn confirm_refuses_an_edit_that_would_change_another_field_through_an_alias() {
    let site = Site::fixture("basic");
    let file = "content/articles/old-advice.md";
    for (other, text) in [
        ("date", "---\ntitle: Old advice\ncurrent_as_at: &d 2024-01-10\ndate: *d\n---\nBody.\n"),
        ("updated", "---\ntitle: Old advice\ndate: 2024-01-10\ncurrent_as_at: &d 2024-01-10\nupdated: *d\n---\nBody.\n"),
    ] {
        site.write(file, text);
        let run = confirm(&site, &["old-advice"]);
        run.failure();
        assert!(
            run.stderr.contains(&format!("would also change `{other}`"))
                && run.stderr.contains("YAML alias")
                && run.stderr.contains(file),
            "{}",
            run.stderr
        );
        assert_eq!(site.read(file), text);
    }
}

#[test]
fn confirm_edits_toml_front_matter_with_a_note_and_a_reviewer() {
    let site = with_reviews();
    let file = "content/articles/old-advice.md";
    let toml = "+++\ntitle = \"Old advice\"\ndate = 2024-01-10\ncurrent_as_at = 2024-01-10 # checked\ntags = [\"archive\"]\n\n[extra]\nnote = \"kept\"\n+++\nBody.\n";
    site.write(file, toml);
    let run = confirm(
        &site,
        &["old-advice", "--by", "ana", "--note", "Rates \"checked\""],
    );
    run.success();
    assert_eq!(
        site.read(file),
        "+++\ntitle = \"Old advice\"\ndate = 2024-01-10\ncurrent_as_at = 2026-10-20 # checked\nreviewed_by = \"ana\"\ntags = [\"archive\"]\n\n[extra]\nnote = \"kept\"\n[[changes]]\ndate = 2026-10-20\nnote = 'Rates \"checked\"'\n+++\nBody.\n"
    );
    // A second note goes after the first; a new reviewer replaces the value.
    let run = confirm(&site, &["old-advice", "--by", "team", "--note", "Again"]);
    run.success();
    let text = site.read(file);
    assert!(
        text.contains("reviewed_by = \"team\"\n")
            && text.ends_with("[[changes]]\ndate = 2026-10-20\nnote = \"Again\"\n+++\nBody.\n"),
        "{text}"
    );
    site.brief(&["build", "--today", TODAY]).success();
}

#[test]
fn confirm_finds_an_article_by_any_path_edits_through_a_link_and_drops_an_offset() {
    let site = Site::fixture("basic");
    site.edit("site.toml", "Australia/Sydney", "UTC");
    // By its absolute path, with a time and an offset that fall on the day before in UTC.
    let file = "content/articles/old-advice.md";
    site.write(
        file,
        "---\ntitle: Old advice\ndate: 2024-01-09\ncurrent_as_at: 2024-01-10T05:00:00+10:00\n---\nBody.\n",
    );
    let absolute = site.path(file);
    let run = confirm(&site, &[absolute.to_str().unwrap()]);
    run.success();
    assert!(
        site.read(file).contains("current_as_at: 2026-10-20\n"),
        "{}",
        site.read(file)
    );
    // A symbolic link within the site: the file it leads to is edited, and named.
    std::fs::create_dir_all(site.path("shared")).unwrap();
    site.write(
        "shared/real.md",
        "---\ntitle: Linked advice\ndate: 2024-01-10\ncurrent_as_at: 2024-01-10\n---\nBody.\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            "../../shared/real.md",
            site.path("content/articles/linked.md"),
        )
        .unwrap();
        let run = confirm(&site, &["linked"]);
        run.success();
        assert!(
            run.stdout
                .contains("content/articles/linked.md is a symbolic link")
                && run.stdout.contains("shared/real.md:4: current_as_at"),
            "{}",
            run.stdout
        );
        assert!(site
            .read("shared/real.md")
            .contains("current_as_at: 2026-10-20"));
        assert!(site
            .path("content/articles/linked.md")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[cfg(unix)]
#[test]
fn confirm_refuses_a_read_only_article_and_names_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("basic");
    let file = "content/articles/old-advice.md";
    let before = site.read(file);
    std::fs::set_permissions(site.path(file), std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = confirm(&site, &["old-advice"]);
    run.failure();
    assert!(
        run.stderr.contains("read-only (mode 0444)") && run.stderr.contains(file),
        "{}",
        run.stderr
    );
    assert_eq!(site.read(file), before);
}

/// An element of an XML file: its path (`feed/entry/title`), its text with entities
/// resolved, and its attributes.
type Element = (String, String, Vec<(String, String)>);

/// An XML file's elements, in order, as quick-xml reads them; a panic if it is not XML.
fn atom(xml: &str) -> Vec<Element> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let attributes = |e: &quick_xml::events::BytesStart| -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("an attribute");
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .expect("an attribute's value");
                (
                    String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                    value.into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"))
        {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                elements.push((path.join("/"), String::new(), attributes(&e)));
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                elements.push((
                    format!("{}/{name}", path.join("/")),
                    String::new(),
                    attributes(&e),
                ));
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) if !path.is_empty() => {
                let open = path.join("/");
                let text = t.decode().expect("UTF-8 text");
                let last = elements
                    .iter_mut()
                    .rev()
                    .find(|(p, ..)| *p == open)
                    .expect("in an element");
                last.1.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let open = path.join("/");
                let resolved = match r.resolve_char_ref().expect("a character reference") {
                    Some(c) => c.to_string(),
                    None => match r.decode().expect("UTF-8").as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity &{other};"),
                    },
                };
                let last = elements
                    .iter_mut()
                    .rev()
                    .find(|(p, ..)| *p == open)
                    .expect("in an element");
                last.1.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    elements
}

/// The text of each `feed/entry/NAME` of a feed read by [`atom`], in order.
fn entry_texts(feed: &[Element], name: &str) -> Vec<String> {
    let path = format!("feed/entry/{name}");
    feed.iter()
        .filter(|(p, ..)| *p == path)
        .map(|(_, t, _)| t.clone())
        .collect()
}

#[test]
fn the_change_feed_has_an_entry_for_each_note_readers_see_newest_first() {
    let site = with_reviews();
    // Two notes of one day on another article; a draft's notes are never in it, even when
    // the build publishes drafts. (A scheduled article has none: a note is dated between
    // its date and today.)
    site.edit(
        "content/articles/checklist.md",
        "current_as_at: 2026-03-02\n",
        "current_as_at: 2026-03-02\nchanges:\n  - date: 2026-09-01\n    note: Split the list & added backups.\n  - date: 2026-09-01\n    note: Added restores.\n",
    );
    site.edit(
        "content/articles/unfinished.md",
        "draft: true\n",
        "draft: true\nchanges:\n  - date: 2026-09-02\n    note: Drafted in secret.\n",
    );
    site.brief(&["build", "--today", "2026-10-20", "--drafts", "--future"])
        .success();
    let xml = site.read("public/changes.xml");
    assert!(
        !xml.contains("secret") && !xml.contains("announced"),
        "{xml}"
    );
    let feed = atom(&xml);
    let (root, _, attributes) = &feed[0];
    assert_eq!(root, "feed");
    assert!(attributes.contains(&("xmlns".into(), "http://www.w3.org/2005/Atom".into())));
    let one = |path: &str| {
        let found: Vec<&String> = feed
            .iter()
            .filter(|(p, ..)| p == path)
            .map(|(_, t, _)| t)
            .collect();
        assert_eq!(found.len(), 1, "{path} in\n{xml}");
        found[0].clone()
    };
    assert_eq!(one("feed/id"), "https://example.com/advice/changes.xml");
    assert_eq!(one("feed/title"), "Fixture Advice: what changed");
    assert_eq!(one("feed/updated"), "2026-10-01T00:00:00+10:00");
    let flagship = "https://example.com/advice/articles/prototype-versus-production/";
    let checklist = "https://example.com/advice/articles/checklist/";
    assert_eq!(
        entry_texts(&feed, "id"),
        [
            format!("{flagship}#change-2026-10-01"),
            format!("{checklist}#change-2026-09-01-2"),
            format!("{checklist}#change-2026-09-01"),
            format!("{flagship}#change-2026-08-01"),
        ]
    );
    assert_eq!(
        entry_texts(&feed, "title"),
        [
            "Prototype versus production (updated 1 October 2026)",
            "A go-live checklist (updated 1 September 2026)",
            "A go-live checklist (updated 1 September 2026)",
            "Prototype versus production (updated 1 August 2026)",
        ]
    );
    assert_eq!(
        entry_texts(&feed, "updated"),
        [
            "2026-10-01T00:00:00+10:00",
            "2026-09-01T00:00:00+10:00",
            "2026-09-01T00:00:00+10:00",
            "2026-08-01T00:00:00+10:00",
        ]
    );
    // The note, escaped once for HTML and once for XML: a reader shows it as written.
    assert_eq!(
        entry_texts(&feed, "content")[..2],
        [
            "<p>Fees &lt;updated&gt; for 2026-27</p>",
            "<p>Added restores.</p>"
        ]
    );
    let links: Vec<&str> = feed
        .iter()
        .filter(|(p, ..)| p == "feed/entry/link")
        .map(|(_, _, a)| {
            a.iter()
                .find(|(k, _)| k == "href")
                .map(|(_, v)| v.as_str())
                .unwrap()
        })
        .collect();
    assert_eq!(links, [flagship, checklist, checklist, flagship]);

    // Every page of the theme offers it beside the feed of articles.
    let page = site.read(FLAGSHIP);
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="Fixture Advice: what changed" href="/advice/changes.xml">"#), "{page}");

    // A note added to another article leaves every entry's id as it was.
    site.edit(
        "content/articles/old-advice.md",
        "---\n",
        "---\nchanges:\n  - date: 2026-10-02\n    note: Marked as old.\n",
    );
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let again = atom(&site.read("public/changes.xml"));
    let ids = entry_texts(&again, "id");
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(
        ids[0].ends_with("/articles/old-advice/#change-2026-10-02"),
        "{ids:?}"
    );
    assert_eq!(ids[1..], entry_texts(&feed, "id")[..]);
}

#[test]
fn the_change_feed_keeps_the_newest_fifty_notes() {
    let site = with_reviews();
    let notes: String = (1..=60)
        .map(|i| format!("  - date: 2026-09-01\n    note: Change {i}.\n"))
        .collect();
    site.edit(
        "content/articles/checklist.md",
        "current_as_at: 2026-03-02\n",
        &format!("current_as_at: 2026-03-02\nchanges:\n{notes}"),
    );
    site.brief(&["build", "--today", "2026-10-20"]).success();
    let feed = atom(&site.read("public/changes.xml"));
    let contents = entry_texts(&feed, "content");
    assert_eq!(contents.len(), 50);
    // The flagship's note of October, then the checklist's from its last back.
    assert_eq!(contents[1], "<p>Change 60.</p>");
    assert_eq!(contents[49], "<p>Change 12.</p>");
}
