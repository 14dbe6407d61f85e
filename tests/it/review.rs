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
