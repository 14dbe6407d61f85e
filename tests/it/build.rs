//! `brief build`: the content model, the stamp, CTAs in one place, every output, and every
//! error with its file and line.

use crate::support::{json_ld, snapshot, Site};

const TODAY: &str = "2026-11-24";
const FLAGSHIP: &str = "public/articles/prototype-versus-production/index.html";

fn built() -> Site {
    let site = Site::fixture("basic");
    site.brief(&["build", "--today", TODAY]).success();
    site
}

/// A new article file with the given front matter lines and body.
fn article(site: &Site, name: &str, front: &str, body: &str) {
    site.write(
        &format!("content/articles/{name}.md"),
        &format!("---\n{front}\n---\n{body}\n"),
    );
}

const OK_FRONT: &str = "title: T\ndate: 2026-01-01\ncurrent_as_at: 2026-01-01";

#[test]
fn articles_show_the_stamp_and_both_ctas_from_site_toml() {
    let site = built();
    let page = site.read(FLAGSHIP);
    assert!(page.contains(
        r#"<p class="as-at">Information current as at <time datetime="2026-07-05">5 July 2026</time></p>"#
    ));
    assert!(page.contains(r#"<aside class="cta" data-cta="talk-to-us"><h2>Not sure yet?</h2>"#));
    assert!(page.contains(r#"<aside class="cta" data-cta="send-it-over"><h2>Need it to be real?</h2><p>If you have made something, <strong>send it over</strong>.</p>"#));
    // The inline CTA sits where its line was, the closing one after the body.
    let inline = page.find("data-cta=\"talk-to-us\"").unwrap();
    let closing = page.find("data-cta=\"send-it-over\"").unwrap();
    assert!(page.find("id=\"why-it-matters\"").unwrap() < inline && inline < closing);
    assert!(page.contains(r#"<a class="button" href="/advice/contact/">Send it over</a>"#));
}

#[test]
fn one_cta_edit_changes_every_page_that_uses_it_and_nothing_else() {
    let site = built();
    let before = snapshot(&site.path("public"));
    site.edit(
        "site.toml",
        "One conversation is the next step.",
        "A single call settles it.",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let after = snapshot(&site.path("public"));
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.display().to_string())
        .collect();
    // The flagship uses talk-to-us inline, contact ends with it, and the feed carries the
    // flagship's body.
    assert_eq!(
        changed,
        [
            "articles/prototype-versus-production/index.html",
            "contact/index.html",
            "feed.xml"
        ]
    );
    assert!(site.read(FLAGSHIP).contains("A single call settles it."));
    assert!(site
        .read("public/contact/index.html")
        .contains("A single call settles it."));
}

#[test]
fn drafts_future_and_hidden_files_stay_out_unless_asked() {
    let site = built();
    assert!(!site.path("public/articles/unfinished").exists());
    assert!(!site.path("public/articles/upcoming").exists());
    assert!(!site.path("public/articles/_notes").exists());
    assert!(!site.path("public/assets/_drafts").exists());
    assert!(site.path("public/assets/style.css").exists());

    site.brief(&["build", "--today", TODAY, "--drafts", "--future"])
        .success();
    assert!(site
        .read("public/articles/unfinished/index.html")
        .contains("<p class=\"badge\">Draft</p>"));
    assert!(site
        .read("public/articles/upcoming/index.html")
        .contains("<p class=\"badge\">Scheduled</p>"));
}

#[test]
fn today_is_the_site_time_zone_date() {
    // 2026-07-05 13:00 UTC is already 6 July in Sydney; an article dated 6 July is not
    // "in the future" there. Only the calendar date matters, so --today expresses it.
    let site = Site::fixture("basic");
    article(
        &site,
        "sydney",
        "title: S\ndate: 2026-11-25\ncurrent_as_at: 2026-11-25",
        "x",
    );
    site.brief(&["build", "--today", "2026-11-24"]).success();
    assert!(!site.path("public/articles/sydney").exists());
    site.brief(&["build", "--today", "2026-11-25"]).success();
    assert!(site.path("public/articles/sydney/index.html").exists());
}

#[test]
fn index_is_newest_first_and_paginated() {
    let site = built();
    let first = site.read("public/index.html");
    let a = first.find("Prototype versus production").unwrap();
    let b = first.find("A go-live checklist").unwrap();
    assert!(a < b);
    assert!(first.contains("Page 1 of 2"));
    assert!(first.contains(r#"<a rel="next" href="/advice/page/2/">"#));
    let second = site.read("public/page/2/index.html");
    assert!(second.contains("Old advice") && second.contains("Page 2 of 2"));
    assert!(second.contains(r#"<a rel="prev" href="/advice/">"#));
}

#[test]
fn tags_merge_by_slug_and_list_their_articles() {
    let site = built();
    let tags = site.read("public/tags/index.html");
    assert!(
        tags.contains(r#"<a href="/advice/tags/production/">Production</a> 2"#),
        "{tags}"
    );
    let production = site.read("public/tags/production/index.html");
    assert!(production.contains("Tag: Production (2)"));
    assert!(
        production.contains("A go-live checklist")
            && production.contains("Prototype versus production")
    );
    assert!(site
        .read("public/tags/archive/index.html")
        .contains("Old advice"));
}

#[test]
fn feed_sitemap_robots_and_aliases() {
    let site = built();
    let feed = site.read("public/feed.xml");
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry>").count(), 3);
    // The checklist was updated after it was confirmed: its entry's <updated> is that date.
    assert!(feed.contains("<id>https://example.com/advice/articles/checklist/</id>\n<published>2026-03-01T00:00:00+11:00</published>\n<updated>2026-04-01T00:00:00+11:00</updated>"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://example.com/advice/articles/checklist/</loc><lastmod>2026-04-01</lastmod></url>"));
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.com/advice/sitemap.xml\n"
    );
    let redirect = site.read("public/old/prototypes/index.html");
    assert!(redirect.contains(r#"<meta http-equiv="refresh" content="0; url=https://example.com/advice/articles/prototype-versus-production/">"#));
    assert!(site.read("public/404.html").contains("Not found"));
}

#[test]
fn feed_keeps_the_newest_twenty() {
    let site = Site::fixture("basic");
    for i in 1..=25 {
        article(
            &site,
            &format!("n{i:02}"),
            &format!("title: N{i}\ndate: 2025-01-{i:02}\ncurrent_as_at: 2025-01-{i:02}"),
            "x",
        );
    }
    site.brief(&["build", "--today", TODAY]).success();
    let feed = site.read("public/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 20);
    assert!(feed.contains("<title>N25</title>") && !feed.contains("<title>N5</title>"));
}

#[test]
fn links_work_under_the_base_path() {
    let site = built();
    let page = site.read(FLAGSHIP);
    assert!(page.contains(r#"<a href="/advice/articles/checklist/">the checklist</a>"#));
    assert!(page.contains(r#"<link rel="stylesheet" href="/advice/assets/style.css">"#));
    assert!(page.contains(r#"<link rel="canonical" href="https://example.com/advice/articles/prototype-versus-production/">"#));
    assert!(page.contains(r#"<a href="/advice/tags/production/">Production</a>"#));
}

#[test]
fn headings_toc_word_count_summary_and_staleness() {
    let site = built();
    let page = site.read(FLAGSHIP);
    assert!(page.contains(
        r##"<h2 id="why-it-matters">Why it matters <a class="anchor" href="#why-it-matters""##
    ));
    assert!(page.contains(r##"<li class="l3"><a href="#the-empty-form">The empty form</a></li>"##));
    assert!(page.contains("minutes=1"));
    assert!(page.contains("summary=A prototype tests an idea; production is what people rely on."));
    assert!(!page.contains("class=\"stale\""));
    // Shortcodes in code are left alone; general shortcodes render their template, escaped.
    assert!(page.contains("<pre><code>{{ cta(id=\"not-a-real-one\") }}"));
    assert!(page.contains(r#"<div class="note" data-level="2">Check the &lt;edge&gt; cases</div>"#));
    let old = site.read("public/articles/old-advice/index.html");
    assert!(old.contains("May be out of date: last confirmed 1049 days ago."));
    let checklist = site.read("public/articles/checklist/index.html");
    assert!(checklist.contains("summary=Signs a prototype is now depended on."));
    assert!(checklist.contains("author=Someone Else"));
    assert!(!checklist.contains("class=\"cta\""), "cta: none");
}

#[test]
fn builds_are_byte_identical() {
    let site = built();
    let first = snapshot(&site.path("public"));
    site.brief(&["build", "--today", TODAY]).success();
    assert_eq!(first, snapshot(&site.path("public")));
}

#[test]
fn summary_line_counts_pages_and_articles() {
    let site = Site::fixture("basic");
    let run = site.brief(&["build", "--today", TODAY]);
    run.success();
    assert!(
        run.stdout.starts_with("Built 15 pages (3 articles) in "),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("unchanged"), "{}", run.stdout);
}

#[test]
fn a_rebuild_says_how_many_files_it_wrote_and_writes_only_those() {
    let site = Site::fixture("basic");
    // The second build keeps the first output as its spare; from the third on, a build
    // stages into the spare and keeps the files whose bytes are the same.
    site.brief(&["build", "--today", TODAY]).success();
    site.brief(&["build", "--today", TODAY]).success();
    let total = snapshot(&site.path("public")).len();
    let same = site.brief(&["build", "--today", TODAY]);
    same.success();
    assert!(
        same.stdout
            .contains(&format!("; 0 files written, {total} unchanged")),
        "{}",
        same.stdout
    );
    // One article's text changes: its page and the lists and feed that quote it change,
    // the other articles' pages do not.
    let article = "content/articles/checklist.md";
    let text = site.read(article);
    site.write(article, &format!("{text}\nOne more sentence.\n"));
    let edited = site.brief(&["build", "--today", TODAY]);
    edited.success();
    let line = edited.stdout.lines().next().unwrap();
    let written: usize = line
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"));
    assert!(written >= 1 && written < total / 2, "{line}");
}

/// Builds once, breaks the site with `break_it`, and checks that the build fails with
/// every expected fragment in its message and the previous output untouched.
fn fails_cleanly(break_it: impl FnOnce(&Site), expected: &[&str]) {
    let site = built();
    let before = snapshot(&site.path("public"));
    break_it(&site);
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    for fragment in expected {
        assert!(
            run.stderr.contains(fragment),
            "missing {fragment:?} in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("was left as it was"), "{}", run.stderr);
    assert_eq!(
        before,
        snapshot(&site.path("public")),
        "the previous output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".brief-new-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn missing_title_fails() {
    fails_cleanly(
        |s| article(s, "bad", "date: 2026-01-01\ncurrent_as_at: 2026-01-01", "x"),
        &[
            "error: the front matter has no title",
            "--> content/articles/bad.md:1",
            "fix: add a line such as `title:",
        ],
    );
}

#[test]
fn missing_current_as_at_fails() {
    fails_cleanly(
        |s| article(s, "bad", "title: T\ndate: 2026-01-01", "x"),
        &[
            "the article has no `current_as_at`",
            "content/articles/bad.md",
        ],
    );
}

#[test]
fn impossible_and_misformatted_dates_fail_with_their_line() {
    fails_cleanly(
        |s| {
            article(
                s,
                "bad",
                "title: T\ndate: 2026-02-30\ncurrent_as_at: 2026-01-01",
                "x",
            )
        },
        &[
            "`date` is `2026-02-30`: there is no such date",
            "--> content/articles/bad.md:3",
        ],
    );
    fails_cleanly(
        |s| {
            article(
                s,
                "bad",
                "title: T\ndate: 2026-01-01\ncurrent_as_at: 5 July 2026",
                "x",
            )
        },
        &[
            "`current_as_at` is `5 July 2026`",
            "--> content/articles/bad.md:4",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn unknown_field_fails_and_suggests_the_closest() {
    fails_cleanly(
        |s| article(s, "bad", &format!("{OK_FRONT}\nsumary: x"), "x"),
        &[
            "unknown field `sumary`",
            "--> content/articles/bad.md:5",
            "fix: did you mean `summary`?",
        ],
    );
}

#[test]
fn unknown_cta_fails_with_line_and_known_ids() {
    fails_cleanly(
        |s| article(s, "bad", &format!("{OK_FRONT}\ncta: send-it-ovr"), "x"),
        &[
            "unknown call-to-action `send-it-ovr`",
            "--> content/articles/bad.md:5",
            "send-it-over, talk-to-us",
        ],
    );
    fails_cleanly(
        |s| article(s, "bad", OK_FRONT, "Para.\n\n{{ cta(id=\"nope\") }}"),
        &[
            "unknown call-to-action `nope`",
            "--> content/articles/bad.md:8",
            "send-it-over, talk-to-us",
        ],
    );
}

#[test]
fn unknown_and_malformed_shortcodes_fail() {
    fails_cleanly(
        |s| article(s, "bad", OK_FRONT, "{{ figure(src=\"x\") }}"),
        &[
            "unknown shortcode `figure`",
            "--> content/articles/bad.md:6",
            "cta, note",
        ],
    );
    fails_cleanly(
        |s| article(s, "bad", OK_FRONT, "\n{{ cta(id=\"talk-to-us\" }}"),
        &["malformed shortcode", "--> content/articles/bad.md:7"],
    );
}

#[test]
fn broken_yaml_names_the_line_in_the_file() {
    fails_cleanly(
        |s| {
            article(
                s,
                "bad",
                "title: T\ndate: 2026-01-01\ntags: [a, b\ncurrent_as_at: 2026-01-01",
                "x",
            )
        },
        &["front matter:", "--> content/articles/bad.md:"],
    );
    fails_cleanly(
        |s| article(s, "bad", &format!("{OK_FRONT}\ntitle: Again"), "x"),
        &["`title` is set twice", "--> content/articles/bad.md:5"],
    );
    fails_cleanly(
        |s| article(s, "bad", &format!("{OK_FRONT}\ntags: 5"), "x"),
        &["--> content/articles/bad.md:5", "write tags as a list"],
    );
    fails_cleanly(
        |s| s.write("content/articles/bad.md", "---\ntitle: T\n"),
        &[
            "the front matter is never closed",
            "content/articles/bad.md:1",
        ],
    );
}

#[test]
fn template_errors_name_the_template() {
    fails_cleanly(
        |s| {
            s.edit(
                "templates/article.html",
                "{{ article.title }}</h1>",
                "{{ article.title </h1>",
            )
        },
        &["template error", "--> templates/article.html:3"],
    );
    fails_cleanly(
        |s| {
            s.edit(
                "templates/article.html",
                "{{ article.title }}</h1>",
                "{{ article.nonsense }}</h1>",
            )
        },
        &[
            "template error",
            "article.nonsense",
            "templates/article.html",
            "content/articles/",
        ],
    );
    // Without its own, the site uses the theme's, which extends the site's base.html: this
    // one has none of the blocks the theme's templates fill, and the error says so.
    fails_cleanly(
        |s| std::fs::remove_file(s.path("templates/tag.html")).unwrap(),
        &[
            "--> [theme] templates/tag.html:3",
            "not defined in any parent template",
            "add the block to the parent",
        ],
    );
}

#[test]
fn every_broken_article_is_reported_at_once() {
    fails_cleanly(
        |s| {
            article(
                s,
                "bad1",
                "title: T\ndate: nope\ncurrent_as_at: 2026-01-01",
                "x",
            );
            article(
                s,
                "bad2",
                "date: 2026-01-01\ncurrent_as_at: 2026-01-01",
                "x",
            );
        },
        &[
            "content/articles/bad1.md:3",
            "content/articles/bad2.md:1",
            "build failed with 2 errors",
        ],
    );
}

#[test]
fn config_errors_name_site_toml() {
    fails_cleanly(
        |s| s.edit("site.toml", "Australia/Sydney", "Australia/Atlantis"),
        &["timezone `Australia/Atlantis`", "--> site.toml:13"],
    );
    fails_cleanly(
        |s| s.edit("site.toml", "paginate = 2", "pagnate = 2"),
        &[
            "unknown field `pagnate`",
            "did you mean `paginate`?",
            "site.toml:6",
        ],
    );
    fails_cleanly(
        |s| s.edit("site.toml", "https://example.com/advice/", "example.com"),
        &["base_url `example.com` is not valid"],
    );
    fails_cleanly(
        |s| std::fs::remove_file(s.path("site.toml")).unwrap(),
        &["cannot read site.toml"],
    );
}

#[test]
fn duplicate_slugs_and_alias_clashes_fail() {
    fails_cleanly(
        |s| article(s, "copy", &format!("{OK_FRONT}\nslug: checklist"), "x"),
        &[
            "two files publish to /articles/checklist/",
            "content/articles/copy.md",
        ],
    );
    fails_cleanly(
        |s| article(s, "alias", &format!("{OK_FRONT}\naliases: [/about/]"), "x"),
        &["alias `/about/` is already the address of content/about.md"],
    );
    fails_cleanly(
        |s| {
            article(
                s,
                "alias",
                &format!("{OK_FRONT}\naliases: [\"/../../etc/\"]"),
                "x",
            )
        },
        &["alias `/../../etc/` must not contain"],
    );
}

#[test]
fn the_change_feed_keeps_its_address() {
    fails_cleanly(
        |s| {
            article(
                s,
                "alias",
                &format!("{OK_FRONT}\naliases: [/changes.xml]"),
                "x",
            )
        },
        &["alias `/changes.xml` is already the address of brief's own output"],
    );
    fails_cleanly(
        |s| s.write("content/changes.xml/fees.md", &format!("---\n{OK_FRONT}\n---\nx\n")),
        &["`changes.xml` would be both a file and a folder of the output: content/changes.xml/fees.md and the site's feed of changes"],
    );
}

#[test]
fn refuses_outputs_that_would_lose_work() {
    let site = Site::fixture("basic");
    for output in [".", "content", "..", "templates/out"] {
        let run = site.brief(&["build", "--output", output]);
        run.failure();
        assert!(
            run.stderr.contains("refusing to publish"),
            "{output}: {}",
            run.stderr
        );
    }
    site.write("notes/mine.txt", "keep me");
    site.brief(&["build", "--output", "notes"]).failure();
    assert_eq!(site.read("notes/mine.txt"), "keep me");
}

#[test]
fn usage_errors_exit_2_and_version_works() {
    let site = Site::fixture("basic");
    assert_eq!(site.brief(&["build", "--nonsense"]).code, 2);
    assert_eq!(site.brief(&["build", "--today", "05/07/2026"]).code, 2);
    let version = crate::support::run(&["--version"], site.root());
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("brief "));
}

#[test]
fn the_bundled_site_builds_with_the_flagship_stamp_and_both_ctas() {
    let site = Site::bundled();
    site.brief(&["build"]).success();
    let page = site.read(FLAGSHIP);
    assert!(page.contains(
        r#"Information current as at <time datetime="2026-11-24">24 November 2026</time>"#
    ));
    // The flagship shows its review: who confirmed it, and what changed since publication.
    assert!(page.contains("Reviewed by\n      <a href=\"/about/\">Harbourline engineering</a>"));
    assert!(page.contains(r#"<h2 id="article-changes-title">What changed</h2>"#));
    let config = site.read("site.toml");
    for id in ["send-it-over", "talk-to-us"] {
        let table = config.split(&format!("[cta.{id}]")).nth(1).unwrap();
        let title = table
            .lines()
            .find_map(|l| l.strip_prefix("title = "))
            .unwrap()
            .trim_matches('"');
        assert!(
            page.contains(title),
            "the {id} CTA title {title:?} is not on the flagship page"
        );
    }
}

#[test]
fn json_ld_names_the_practice_as_an_organisation_and_writers_as_people() {
    let site = Site::fixture("basic");
    site.edit(
        "site.toml",
        "author = \"Fixture Author\"",
        "author = \"Fixture Advice\"",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let author = |page: &str| json_ld(&site.read(page))["mainEntity"]["author"].clone();
    assert_eq!(
        author(FLAGSHIP),
        serde_json::json!({"@type": "Organization", "name": "Fixture Advice"})
    );
    assert_eq!(
        author("public/articles/checklist/index.html"),
        serde_json::json!({"@type": "Person", "name": "Someone Else"})
    );
}

#[test]
fn build_checks_links_into_and_out_of_article_bodies() {
    // Ids from headings and footnotes of a body that build does not read again, and the
    // inline CTA's link, all resolve.
    let site = Site::fixture("basic");
    article(
        &site,
        "notes",
        OK_FRONT,
        "See [why](/articles/prototype-versus-production/#why-it-matters), \
         [the note](#fn-n) and [back](#fnref-n).[^n]\n\n[^n]: A note.\n\n\
         {{ cta(id=\"talk-to-us\") }}",
    );
    site.brief(&["build", "--today", TODAY]).success();

    // A missing heading id is still found.
    article(
        &site,
        "notes",
        OK_FRONT,
        "See [gone](/articles/prototype-versus-production/#nowhere).",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(run.stderr.contains("#nowhere"), "{}", run.stderr);

    // So is a broken link in the author's own HTML, at its line.
    article(
        &site,
        "notes",
        OK_FRONT,
        "Intro.\n\n<p><a href=\"/advice/nowhere/\">raw</a></p>",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("`/advice/nowhere/` points to no page"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/articles/notes.md:8"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_with_no_articles_has_a_valid_feed_date() {
    let site = Site::fixture("basic");
    std::fs::remove_dir_all(site.path("content/articles")).unwrap();
    site.brief(&["build", "--today", TODAY]).success();
    let feed = site.read("public/feed.xml");
    let updated = feed
        .split("<updated>")
        .nth(1)
        .and_then(|rest| rest.split("</updated>").next())
        .unwrap();
    assert!(updated.starts_with(TODAY), "{updated}");
    assert!(!feed.contains("<entry>"));
}

/// The `themed` fixture in the bundled theme, built.
fn built_themed() -> Site {
    let site = Site::fixture_with_theme("themed");
    site.brief(&["build", "--today", TODAY]).success();
    site
}

#[test]
fn the_menu_from_site_toml_is_the_navigation_in_its_order_with_the_base_path() {
    let site = built_themed();
    let nav = |page: &str| {
        let html = site.read(page);
        let start = html.find("<nav class=\"site-nav\"").expect("a site nav");
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    let home = nav("public/index.html");
    let items: Vec<&str> = home
        .lines()
        .filter(|l| l.contains("<li>"))
        .map(str::trim)
        .collect();
    assert_eq!(
        items,
        [
            r#"<li><a href="/advice/" aria-current="page">Home</a></li>"#,
            r#"<li><a href="/advice/about/">About us</a></li>"#,
            r#"<li><a href="https://example.org/">Elsewhere</a></li>"#,
        ]
    );
    let about = nav("public/about/index.html");
    assert!(
        about.contains(r#"<a href="/advice/about/" aria-current="page">About us</a>"#),
        "{about}"
    );
    assert!(about.contains(r#"<a href="/advice/">Home</a>"#), "{about}");
}

#[test]
fn the_logo_favicon_footer_and_contact_from_site_toml_appear_on_every_page() {
    let site = built_themed();
    for page in [
        "index.html",
        "about/index.html",
        "articles/hello/index.html",
        "404.html",
    ] {
        let html = site.read(&format!("public/{page}"));
        assert!(
            html.contains(r#"<a class="site-title" href="/advice/"><img class="site-logo" src="/advice/assets/logo.svg" alt="Themed Practice"></a>"#),
            "{page}"
        );
        assert!(
            html.contains(
                r#"<link rel="icon" type="image/svg+xml" href="/advice/assets/mark.svg">"#
            ),
            "{page}"
        );
        assert!(
            html.contains(r#"<p>© 2026 Themed Practice. Made with <em>care</em>; <a href="/advice/about/">write to us</a>.</p>"#),
            "{page}"
        );
    }
    assert!(site
        .read("public/404.html")
        .contains(r#"or <a href="/advice/about/">get in touch</a> if"#));
    // The title beside the logo, which then needs no alt text of its own.
    site.edit(
        "site.toml",
        "logo = \"assets/logo.svg\"",
        "logo = \"assets/logo.svg\"\nlogo_with_title = true",
    );
    site.brief(&["build", "--today", TODAY]).success();
    assert!(site.read("public/index.html").contains(
        r#"<img class="site-logo" src="/advice/assets/logo.svg" alt=""><span class="site-title-text">Themed Practice</span></a>"#
    ));
}

#[test]
fn accent_colours_from_site_toml_set_the_themes_custom_properties_per_scheme() {
    let site = built_themed();
    let html = site.read("public/articles/hello/index.html");
    let stylesheet = html.find("assets/style.css").unwrap();
    let light = html
        .find("<style>@media (prefers-color-scheme: light) { :root { --accent: #1f5fd6; --accent-hover: #")
        .expect("the light accent");
    let dark = html
        .find("<style>@media (prefers-color-scheme: dark) { :root { --accent: #ffb36b; --accent-hover: #")
        .expect("the dark accent");
    // After the stylesheet, so that they win over its defaults.
    assert!(stylesheet < light && light < dark);
    // The theme draws links, buttons and calls-to-action in the accent.
    let css = site.read("public/assets/style.css");
    for property in [
        "--link: var(--accent);",
        "--button-bg: var(--accent);",
        "--cta-bg: var(--accent-tint);",
    ] {
        assert!(css.contains(property), "{property}");
    }
    // The hover colour and tint site.toml gives are used as written.
    site.edit(
        "site.toml",
        "accent = \"#1f5fd6\"",
        "accent = \"#1f5fd6\"\naccent_hover = \"#123\"\naccent_tint = \"#FFFFFF\"",
    );
    site.brief(&["build", "--today", TODAY]).success();
    assert!(site
        .read("public/index.html")
        .contains("--accent: #1f5fd6; --accent-hover: #112233; --accent-tint: #ffffff; }"));
}

#[test]
fn a_site_with_no_author_description_menu_or_theme_leaves_nothing_empty() {
    let site = Site::fixture_with_theme("themed");
    site.write(
        "site.toml",
        "title = \"Plain Site\"\nbase_url = \"https://example.com/\"\n\n[dates]\ntimezone = \"Europe/London\"\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let pages = [
        "index.html",
        "about/index.html",
        "articles/hello/index.html",
        "tags/index.html",
        "404.html",
    ];
    for page in pages {
        let html = site.read(&format!("public/{page}"));
        assert!(!html.contains("© 2026 ."), "{page}");
        assert!(html.contains("<p>© 2026 Plain Site.</p>"), "{page}");
        for empty in [
            "content=\"\"",
            "<p></p>",
            "<p class=\"lede\"></p>",
            "href=\"\"",
            "alt=\"\"",
            "<ul>\n        </ul>",
        ] {
            assert!(!html.contains(empty), "{page} has {empty:?}");
        }
        for absent in ["name=\"author\"", "<nav class=\"site-nav\"", "<style>"] {
            assert!(!html.contains(absent), "{page} has {absent:?}");
        }
        // Articles and pages describe themselves with their summary; the rest have no
        // description to give.
        let described = page.starts_with("about/") || page.starts_with("articles/");
        for tag in ["name=\"description\"", "property=\"og:description\""] {
            assert_eq!(html.contains(tag), described, "{page}: {tag}");
        }
        // The theme's own, neutral favicon.
        assert!(
            html.contains(r#"<link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">"#),
            "{page}"
        );
    }
    assert!(site.read("public/404.html").contains(
        r#"<a href="/">go to the list of articles</a> or <a href="/tags/">browse by tag</a>.</p>"#
    ));
    // The practice is the author of what it publishes.
    assert_eq!(
        json_ld(&site.read("public/articles/hello/index.html"))["mainEntity"]["author"],
        serde_json::json!({"@type": "Organization", "name": "Plain Site"})
    );
}

#[test]
fn the_bundled_site_keeps_its_menu_colours_and_footer() {
    let site = Site::bundled();
    site.brief(&["build"]).success();
    let html = site.read("public/index.html");
    for label in ["Articles", "Tags", "About", "Contact"] {
        assert!(html.contains(&format!(">{label}</a></li>")), "{label}");
    }
    assert!(html.contains("--accent: #0a5291; --accent-hover: #063a68; --accent-tint: #e7f0f8;"));
    assert!(html.contains("--accent: #8fc3ff; --accent-hover: #c2ddff; --accent-tint: #16273a;"));
    assert!(html.contains(r#"Email <a href="mailto:hello@example.com">hello@example.com</a>.</p>"#));
}

#[test]
fn a_broken_link_in_the_menu_or_theme_is_reported_at_its_line_in_site_toml() {
    let site = Site::fixture_with_theme("themed");
    site.edit("site.toml", "url = \"/about/\"", "url = \"/abuot/\"");
    site.edit(
        "site.toml",
        "logo = \"assets/logo.svg\"",
        "logo = \"assets/missing.svg\"",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("error: the menu item `About us` links to `/advice/abuot/`, which points to no page or file of this site\n  --> site.toml:13\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean"), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: [theme] logo links to `/advice/assets/missing.svg`, which points to no page or file of this site\n  --> site.toml:22\n"),
        "{}",
        run.stderr
    );
    // Reported there once, not again for the template that prints them.
    assert!(
        !run.stderr.contains("templates/base.html"),
        "{}",
        run.stderr
    );
}

#[test]
fn link_addresses_are_published_as_written() {
    let site = Site::fixture("basic");
    article(
        &site,
        "addresses",
        OK_FRONT,
        "The [local server](http://[::1]:8080/status), a [search](https://example.org/?q={a}|b&lang=fr) and the [café](https://fr.example.org/café).",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read("public/articles/addresses/index.html");
    for written in [
        r#"<a href="http://[::1]:8080/status">local server</a>"#,
        r#"<a href="https://example.org/?q={a}|b&amp;lang=fr">search</a>"#,
        r#"<a href="https://fr.example.org/café">café</a>"#,
    ] {
        assert!(page.contains(written), "{written} in {page}");
    }
}
