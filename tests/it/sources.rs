//! Sources (`sources:`), disclaimers written once, and the review digest.

use crate::support::Site;
use serde_json::Value;

const SITE: &str = r#"title = "Small Practice"
base_url = "https://example.com/advice/"
default_disclaimer = "general"

[dates]
review_after_days = 365
timezone = "UTC"

[reviewers.ana]
name = "Ana Lim"

[reviewers.ben]
name = "Ben Ng"

[disclaimer.general]
text = "General information, *not advice* for your situation."

[disclaimer.nsw]
label = "New South Wales"
text = "Applies in New South Wales only."
"#;

const TODAY: &str = "2026-12-07";

/// A YAML article with two sources, the second written with a comment after its date.
const FEES: &str = "---
title: Fees
date: 2026-01-05
current_as_at: 2026-11-01
reviewed_by: ana
summary: What we charge.
sources:
  - title: Fair Trading Act 1987 (NSW)
    url: https://legislation.example/fta
    checked: 2026-09-30
  - title: A regulator's guidance
    url: https://regulator.example/guide
    checked: 2025-10-01   # before the 2026 review
---
Body.
";

/// A TOML article with one source.
const KEYS: &str = "+++
title = \"Keys\"
date = 2025-01-05
current_as_at = 2026-06-01
summary = \"Who holds them.\"
[[sources]]
title = \"Password guidance\"
url = \"https://ncsc.example/passwords\"
checked = 2025-06-01
+++
Body.
";

/// A small site of two articles (one YAML, one TOML), as of [`TODAY`].
fn small() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = Site { dir };
    site.write("site.toml", SITE);
    site.write("content/articles/fees.md", FEES);
    site.write("content/articles/keys.md", KEYS);
    site
}

/// `brief check --format json`'s findings, with its exit code.
fn findings(site: &Site) -> (i32, Vec<Value>) {
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (
        run.code,
        json["findings"].as_array().cloned().unwrap_or_default(),
    )
}

/// Each finding of `file` as (line, message), in order.
fn at(found: &[Value], file: &str) -> Vec<(u64, String)> {
    found
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn fix_of<'v>(found: &'v [Value], message_part: &str) -> &'v str {
    found
        .iter()
        .find(|f| f["message"].as_str().unwrap_or("").contains(message_part))
        .and_then(|f| f["fix"].as_str())
        .unwrap_or_else(|| panic!("no finding with {message_part:?}: {found:#?}"))
}

#[test]
fn sources_are_listed_under_the_article_and_cited_in_its_structured_data() {
    let site = small();
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/fees/index.html");
    assert!(
        page.contains("<h2 id=\"sources-title\">Sources</h2>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"https://legislation.example/fta\">Fair Trading Act 1987 (NSW)</a>, checked <time datetime=\"2026-09-30\">30 September 2026</time>"),
        "{page}"
    );
    let ld = crate::support::json_ld(&page);
    let cited = &ld["mainEntity"]["citation"];
    assert_eq!(cited[0]["@type"], "WebPage");
    assert_eq!(cited[0]["name"], "Fair Trading Act 1987 (NSW)");
    assert_eq!(cited[0]["url"], "https://legislation.example/fta");
    assert_eq!(cited[0]["lastReviewed"], "2026-09-30");
    assert_eq!(cited[1]["lastReviewed"], "2025-10-01");
    // TOML reads as YAML does.
    let page = site.read("public/articles/keys/index.html");
    assert!(
        page.contains(
            "Password guidance</a>, checked <time datetime=\"2025-06-01\">1 June 2025</time>"
        ),
        "{page}"
    );
    // A page without sources has no heading for them.
    site.write(
        "content/articles/plain.md",
        "---\ntitle: Plain\ndate: 2026-02-01\ncurrent_as_at: 2026-11-01\n---\nBody.\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/plain/index.html");
    assert!(!page.contains("Sources"), "{page}");
    assert!(crate::support::json_ld(&page)["mainEntity"]["citation"].is_null());
}

#[test]
fn every_source_mistake_is_an_error_at_its_line_in_yaml() {
    let site = small();
    site.write(
        "content/articles/bad.md",
        "---
title: Bad
date: 2026-01-05
current_as_at: 2026-11-01
sources:
  - title: No address
    checked: 2026-09-30
  - url: https://a.example/
    checked: 2026-09-30
  - title: Tomorrow
    url: https://b.example/
    checked: 2026-12-08
  - title: Typo
    url: https://c.example/
    chekced: 2026-09-30
  - title: Bad date
    url: https://d.example/
    checked: 2026-02-30
  - title: Not an address
    url: www.e.example
    checked: 2026-09-30
---
Body.
",
    );
    let (code, found) = findings(&site);
    assert_eq!(code, 1);
    let bad = at(&found, "content/articles/bad.md");
    let lines: Vec<u64> = bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [6, 8, 12, 13, 15, 18, 20], "{bad:#?}");
    assert_eq!(bad[0].1, "source 1 has no url");
    assert_eq!(bad[1].1, "source 2 has no title");
    assert!(
        bad[2]
            .1
            .starts_with("source 3 was checked on 2026-12-08, after today (2026-12-07)"),
        "{}",
        bad[2].1
    );
    // A key misspelt is reported at its line, and the date it did not give at the entry's.
    assert_eq!(bad[3].1, "source 4 has no `checked` date");
    assert_eq!(bad[4].1, "source 4 has an unknown key `chekced`");
    assert!(fix_of(&found, "unknown key `chekced`").starts_with("did you mean `checked`?"));
    assert!(
        bad[5].1.starts_with("source 5's checked is `2026-02-30`"),
        "{}",
        bad[5].1
    );
    assert_eq!(
        bad[6].1,
        "source 6's url `www.e.example` is not an address starting http:// or https://"
    );
}

#[test]
fn every_source_mistake_is_an_error_at_its_line_in_toml() {
    let site = small();
    site.write(
        "content/articles/bad.md",
        "+++
title = \"Bad\"
date = 2026-01-05
current_as_at = 2026-11-01

[[sources]]
url = \"https://a.example/\"
checked = 2026-09-30

[[sources]]
title = \"Later\"
url = \"https://b.example/\"
checked = 2027-01-01
note = \"x\"
+++
Body.
",
    );
    let (code, found) = findings(&site);
    assert_eq!(code, 1);
    let bad = at(&found, "content/articles/bad.md");
    assert_eq!(
        bad,
        [
            (6, "source 1 has no title".to_string()),
            (13, "source 2 was checked on 2027-01-01, after today (2026-12-07): the page would say it was confirmed on a day that has not come".to_string()),
            (14, "source 2 has an unknown key `note`".to_string()),
        ]
    );
    assert!(fix_of(&found, "source 1 has no title").contains("title = \"Privacy Act 1988\""));
}

#[test]
fn a_source_checked_longer_ago_than_its_period_is_a_warning_at_its_line() {
    let site = small();
    let (code, found) = findings(&site);
    assert_eq!(code, 0, "{found:#?}");
    // fees: its second source, checked 2025-10-01, is past the article's 365 days.
    let fees = at(&found, "content/articles/fees.md");
    assert_eq!(
        fees,
        [(
            11,
            "source 2 (A regulator's guidance) was last checked on 2025-10-01, 432 days ago: longer than its period of 365 days".to_string()
        )]
    );
    let finding = found
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap_or("")
                .starts_with("source 2 (A regulator")
        })
        .unwrap();
    assert_eq!(
        (finding["severity"].as_str(), finding["code"].as_str()),
        (Some("warning"), Some("source-due"))
    );
    assert_eq!(
        fix_of(&found, "source 2 (A regulator"),
        "check the source still says what the article relies on, then run `brief review --confirm fees --source 2`"
    );
    // keys: checked 2025-06-01, 554 days ago.
    assert_eq!(at(&found, "content/articles/keys.md")[0].0, 6);
    // [dates] source_review_days overrides the article's period.
    site.edit(
        "site.toml",
        "review_after_days = 365",
        "review_after_days = 365\nsource_review_days = 60",
    );
    let (_, found) = findings(&site);
    let fees = at(&found, "content/articles/fees.md");
    assert_eq!(
        fees.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [8, 11],
        "{fees:#?}"
    );
    assert!(
        fees[0]
            .1
            .ends_with("68 days ago: longer than its period of 60 days"),
        "{}",
        fees[0].1
    );
    // And is checked as the other periods are.
    site.edit(
        "site.toml",
        "source_review_days = 60",
        "source_review_days = 0",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    assert!(
        run.stdout.contains(
            "[dates] source_review_days is 0: it must be a number of days from 1 to 36500"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--> site.toml:7"), "{}", run.stdout);
}

#[test]
fn a_disclaimer_is_inherited_from_the_section_and_none_turns_it_off() {
    let site = small();
    site.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\ndisclaimer: nsw\n---\nOur guides.\n",
    );
    site.write(
        "content/guides/leases.md",
        "---\ntitle: Leases\ndate: 2026-02-01\ncurrent_as_at: 2026-11-01\n---\nBody.\n",
    );
    site.write(
        "content/guides/tips.md",
        "---\ntitle: Tips\ndate: 2026-02-01\ncurrent_as_at: 2026-11-01\ndisclaimer: none\n---\nBody.\n",
    );
    site.write("content/about.md", "---\ntitle: About\n---\nWho we are.\n");
    site.write(
        "content/terms.md",
        "---\ntitle: Terms\ncurrent_as_at: 2026-11-01\n---\nTerms.\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let general = "<p>General information, <em>not advice</em> for your situation.</p>";
    let nsw = "<p>Applies in New South Wales only.</p>";
    let fees = site.read("public/articles/fees/index.html");
    assert!(fees.contains(general), "{fees}");
    let leases = site.read("public/guides/leases/index.html");
    assert!(
        leases.contains(nsw) && !leases.contains(general),
        "{leases}"
    );
    assert!(
        leases.contains("aria-label=\"Disclaimer (New South Wales)\""),
        "{leases}"
    );
    let tips = site.read("public/guides/tips/index.html");
    assert!(!tips.contains("class=\"disclaimer\""), "{tips}");
    // A stamped page is advice and takes the default; a page without a stamp does not.
    assert!(site.read("public/terms/index.html").contains(general));
    assert!(!site
        .read("public/about/index.html")
        .contains("class=\"disclaimer\""));
}

#[test]
fn an_unknown_disclaimer_is_an_error_at_its_line_with_the_known_ones() {
    let site = small();
    site.edit(
        "content/articles/fees.md",
        "reviewed_by: ana\n",
        "reviewed_by: ana\ndisclaimer: nws\n",
    );
    let (code, found) = findings(&site);
    assert_eq!(code, 1);
    assert_eq!(
        at(&found, "content/articles/fees.md"),
        [(6, "unknown disclaimer `nws`".to_string())]
    );
    assert_eq!(
        fix_of(&found, "unknown disclaimer `nws`"),
        "did you mean `nsw`? the disclaimers in site.toml are: general, nsw; or write `disclaimer: none`"
    );
    // A section's, in TOML (sections are read before the documents they hold).
    site.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\ndisclaimer = \"generl\"\n+++\n",
    );
    let (_, found) = findings(&site);
    assert_eq!(
        at(&found, "content/guides/_index.md"),
        [(3, "unknown disclaimer `generl`".to_string())]
    );
    // site.toml's default, at its own line.
    let site = small();
    site.edit(
        "site.toml",
        "default_disclaimer = \"general\"",
        "default_disclaimer = \"genral\"",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    assert!(
        run.stdout
            .contains("default_disclaimer is `genral`, but there is no [disclaimer.genral]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--> site.toml:3"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("did you mean `general`? the disclaimers in site.toml are: general, nsw"),
        "{}",
        run.stdout
    );
}

#[test]
fn confirming_a_source_changes_only_its_checked_line() {
    let site = small();
    let before = site.read("content/articles/fees.md");
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "fees",
        "--source",
        "2",
    ]);
    run.success();
    assert_eq!(
        run.stdout.trim(),
        "content/articles/fees.md:13: source 2 checked 2025-10-01 → 2026-12-07"
    );
    let after = site.read("content/articles/fees.md");
    assert_eq!(
        after,
        before.replace("checked: 2025-10-01   #", "checked: 2026-12-07   #")
    );
    // The stale warning is gone; the article's own stamp is untouched.
    let (_, found) = findings(&site);
    assert!(
        at(&found, "content/articles/fees.md").is_empty(),
        "{found:#?}"
    );

    // TOML.
    let before = site.read("content/articles/keys.md");
    site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "keys",
        "--source",
        "1",
    ])
    .success();
    assert_eq!(
        site.read("content/articles/keys.md"),
        before.replace("checked = 2025-06-01", "checked = 2026-12-07")
    );

    // A number past the list is refused, and nothing changes.
    let before = site.read("content/articles/fees.md");
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "fees",
        "--source",
        "3",
    ]);
    run.failure();
    assert!(
        run.stderr
            .contains("there is no source 3: the article has 2"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("give a number from 1 to 2"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/articles/fees.md"), before);
    // So is 0, by the command line.
    let run = site.brief(&["review", "--confirm", "fees", "--source", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);

    // A source written on one line cannot have its date changed alone.
    site.write(
        "content/articles/inline.md",
        "---\ntitle: Inline\ndate: 2026-01-05\ncurrent_as_at: 2026-11-01\nsources:\n  - {title: A 2026-01-01 report, url: https://a.example/, checked: 2026-01-02}\n---\nBody.\n",
    );
    let before = site.read("content/articles/inline.md");
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "inline",
        "--source",
        "1",
    ]);
    run.failure();
    assert!(
        run.stderr.contains("line 6: source 1 is written on one line with its other keys, so brief cannot change its date alone"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/articles/inline.md"), before);

    // Nor can a date that another source takes through a YAML alias, or that takes another's.
    site.write(
        "content/articles/aliased.md",
        "---\ntitle: Aliased\ndate: 2026-01-05\ncurrent_as_at: 2026-11-01\nsources:\n  - title: X\n    url: https://x.example/\n    checked: &c 2026-01-02\n  - title: Y\n    url: https://y.example/\n    checked: *c\n---\nBody.\n",
    );
    let before = site.read("content/articles/aliased.md");
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "aliased",
        "--source",
        "1",
    ]);
    run.failure();
    assert!(
        run.stderr.contains("recording the check of source 1 would also change source 2 (line 11), which takes its date from line 8 through a YAML alias; the file is unchanged"),
        "{}",
        run.stderr
    );
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "aliased",
        "--source",
        "2",
    ]);
    run.failure();
    assert!(
        run.stderr.contains("line 11: source 2 takes its date from another line through a YAML alias, so brief cannot change it alone"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/articles/aliased.md"), before);
}

#[test]
fn the_digest_groups_what_is_due_by_reviewer() {
    let site = small();
    // ben's article: overdue, and due soon is nobody's.
    site.write(
        "content/articles/old.md",
        "---\ntitle: Old [advice]\ndate: 2024-01-05\ncurrent_as_at: 2025-06-01\nreviewed_by: ben\n---\nBody.\n",
    );
    site.write(
        "content/articles/soon.md",
        "---\ntitle: Soon\ndate: 2025-01-05\ncurrent_as_at: 2025-12-20\n---\nBody.\n",
    );
    let run = site.brief(&["review", "--today", TODAY, "--format", "markdown"]);
    run.success();
    assert_eq!(
        run.stdout,
        "Review digest as of 2026-12-07: articles overdue, due within 30 days, and sources due to be checked again.

## Ana Lim (`ana`)

### Overdue

Nothing.

### Due soon

Nothing.

### Sources due

- `content/articles/fees.md` [Fees](https://example.com/advice/articles/fees/): source 2 [A regulator's guidance](https://regulator.example/guide), checked 2025-10-01, due 2026-10-01 (`brief review --confirm fees --source 2`)

## Ben Ng (`ben`)

### Overdue

- `content/articles/old.md` [Old \\[advice\\]](https://example.com/advice/articles/old/): due 2026-06-01, 189 days ago

### Due soon

Nothing.

### Sources due

Nothing.

## Unassigned

### Overdue

Nothing.

### Due soon

- `content/articles/soon.md` [Soon](https://example.com/advice/articles/soon/): due 2026-12-20, in 13 days

### Sources due

- `content/articles/keys.md` [Keys](https://example.com/advice/articles/keys/): source 1 [Password guidance](https://ncsc.example/passwords), checked 2025-06-01, due 2026-06-01 (`brief review --confirm keys --source 1`)
"
    );
    // --reviewer narrows it to one reviewer's group.
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--format",
        "markdown",
        "--reviewer",
        "ben",
    ]);
    run.success();
    assert!(run.stdout.contains("## Ben Ng (`ben`)"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("Ana Lim") && !run.stdout.contains("Unassigned"),
        "{}",
        run.stdout
    );
    // Nothing due: one line.
    site.brief(&[
        "review",
        "--today",
        TODAY,
        "--confirm",
        "fees",
        "--source",
        "2",
    ])
    .success();
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--format",
        "markdown",
        "--reviewer",
        "ana",
    ]);
    assert_eq!(
        run.stdout,
        "Nothing is due for review for Ana Lim (`ana`) as of 2026-12-07, nor within 30 days.\n"
    );
    // An unknown reviewer is an error with the ids there are.
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--format",
        "markdown",
        "--reviewer",
        "bem",
    ]);
    run.failure();
    assert!(
        run.stderr.contains("there is no reviewer `bem`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("did you mean `ben`? the reviewers in site.toml are: ana, ben"),
        "{}",
        run.stderr
    );
}

#[test]
fn review_json_lists_the_sources_due() {
    let site = small();
    let run = site.brief(&["review", "--today", TODAY, "--format", "json"]);
    run.success();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let due = json["sources_due"].as_array().unwrap();
    let files: Vec<&str> = due.iter().map(|w| w["file"].as_str().unwrap()).collect();
    // Longest due first.
    assert_eq!(
        files,
        ["content/articles/keys.md", "content/articles/fees.md"]
    );
    let fees = &due[1];
    assert_eq!(fees["slug"], "fees");
    assert_eq!(fees["reviewed_by"], "ana");
    assert_eq!(fees["url"], "/advice/articles/fees/");
    let source = &fees["sources"][0];
    assert_eq!(source["number"], 2);
    assert_eq!(source["title"], "A regulator's guidance");
    assert_eq!(source["checked"], "2025-10-01");
    assert_eq!(source["due"], "2026-10-01");
    assert_eq!(source["due_in_days"], -67);
    assert_eq!(source["period"], 365);
    // --reviewer narrows the JSON too.
    let run = site.brief(&[
        "review",
        "--today",
        TODAY,
        "--format",
        "json",
        "--reviewer",
        "ana",
    ]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["sources_due"].as_array().unwrap().len(), 1);
    // The text list names the command that records a check.
    let run = site.brief(&["review", "--today", TODAY]);
    assert!(
        run.stdout.contains("    source 2: A regulator's guidance, checked 2025-10-01, due 2026-10-01 (brief review --confirm fees --source 2)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_link_in_a_disclaimer_is_reported_at_its_table_in_site_toml() {
    let site = small();
    site.edit(
        "site.toml",
        "text = \"Applies in New South Wales only.\"",
        "text = \"Applies in New South Wales only: [ask us](/contcat/), or [run](javascript:alert(1)).\"",
    );
    let (code, found) = findings(&site);
    assert_eq!(code, 1);
    let in_toml = at(&found, "site.toml");
    assert_eq!(
        in_toml,
        [
            (18, "the disclaimer `nsw` links to `/advice/contcat/`, points to no page or file of this site".to_string()),
            (18, "the disclaimer `nsw` links to `javascript:alert(1)`, which would run code in the reader's browser (a `javascript:` address)".to_string()),
        ],
        "{found:#?}"
    );
    // Not blamed on the template that prints it.
    assert!(
        found
            .iter()
            .all(|f| !f["file"].as_str().unwrap_or("").contains("templates/")),
        "{found:#?}"
    );
}

/// The disclaimer travels with the advice into both feeds: after each article's body in
/// feed.xml and after each change note in changes.xml, and not where the page shows none.
#[test]
fn feeds_carry_the_disclaimer_each_page_shows() {
    let site = small();
    site.write(
        "content/articles/tips.md",
        "---\ntitle: Tips\ndate: 2026-02-01\ncurrent_as_at: 2026-11-01\ndisclaimer: none\n\
         changes:\n  - date: 2026-11-01\n    note: Shorter tips.\n---\nBody.\n",
    );
    site.edit(
        "content/articles/fees.md",
        "reviewed_by: ana\n",
        "reviewed_by: ana\nchanges:\n  - date: 2026-11-01\n    note: New fees.\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    // Escaped once, as the content of an Atom entry of type html.
    let general = "&lt;p&gt;General information, &lt;em&gt;not advice&lt;/em&gt; for your situation.&lt;/p&gt;";
    let entry = |feed: &str, title: &str| -> String {
        let at = feed.find(&format!("<title>{title}")).expect(title);
        let end = feed[at..].find("</entry>").expect("entry end") + at;
        feed[at..end].to_string()
    };
    for file in ["public/feed.xml", "public/changes.xml"] {
        let feed = site.read(file);
        let fees = entry(&feed, "Fees");
        assert!(fees.contains(general), "{file}: {fees}");
        let tips = entry(&feed, "Tips");
        assert!(!tips.contains("disclaimer"), "{file}: {tips}");
    }
}
