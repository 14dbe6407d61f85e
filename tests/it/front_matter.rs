//! What `brief build` reads from front matter and file names: TOML as well as YAML,
//! date-times taken in the site's time zone (the `basic` fixture's is Australia/Sydney),
//! the fields of pages, Jekyll file names, and every problem of a file in one run. The
//! messages of broken front matter are snapshotted in `invalid/` (`peer-field-names`,
//! `hugo-toml-post`, `date-on-a-page`, `shortcode-inside-text`).

use crate::support::Site;

const TODAY: &str = "2026-11-24";

const YAML: &str = "---\ntitle: \"Same either way\"\ndate: 2026-03-01\ncurrent_as_at: 2026-03-02\nupdated: 2026-04-01\nsummary: \"Written in TOML or YAML.\"\ntags: [production, checks]\ncta: talk-to-us\nauthor: Someone Else\naliases: [/old/same/]\nextra:\n  image: /assets/x.png\n---\nThe body, with *emphasis*.\n";

const TOML: &str = "+++\ntitle = \"Same either way\"\ndate = 2026-03-01\ncurrent_as_at = 2026-03-02\nupdated = \"2026-04-01\"\nsummary = \"Written in TOML or YAML.\"\ntags = [\"production\", \"checks\"]\ncta = \"talk-to-us\"\nauthor = \"Someone Else\"\naliases = [\"/old/same/\"]\n\n[extra]\nimage = \"/assets/x.png\"\n+++\nThe body, with *emphasis*.\n";

/// The article's `datePublished` and `dateModified` in its JSON-LD.
fn dates(html: &str) -> (String, String) {
    let data = crate::support::json_ld(html);
    let article = match data["@type"].as_str() {
        Some("WebPage") => &data["mainEntity"],
        _ => &data,
    };
    let text = |key: &str| article[key].as_str().unwrap_or_default().to_string();
    (text("datePublished"), text("dateModified"))
}

fn build(site: &Site) {
    site.brief(&["build", "--today", TODAY]).success();
}

#[test]
fn toml_front_matter_builds_the_same_site_as_yaml() {
    let site = Site::fixture("basic");
    site.write("content/articles/same.md", YAML);
    build(&site);
    let from_yaml = crate::support::snapshot(&site.path("public"));
    let page = site.read("public/articles/same/index.html");
    assert!(page.contains("Same either way"), "{page}");
    assert!(page.contains(r#"data-cta="talk-to-us""#), "{page}");
    assert_eq!(dates(&page), ("2026-03-01".into(), "2026-04-01".into()));

    site.write("content/articles/same.md", TOML);
    build(&site);
    let from_toml = crate::support::snapshot(&site.path("public"));
    assert!(
        from_yaml == from_toml,
        "every output file is the same whichever language the front matter is in"
    );
}

#[test]
fn date_times_take_their_date_in_the_site_time_zone() {
    let site = Site::fixture("basic");
    // 20:00 UTC on 4 July is 06:00 on 5 July in Sydney; a time without an offset is
    // Sydney's own, so its date is the date written.
    site.write(
        "content/articles/late.md",
        "---\ntitle: Late\ndate: 2026-07-04T20:00:00Z\ncurrent_as_at: 2026-07-05 23:30:00\nupdated: \"2026-07-06T08:00:00+10:00\"\n---\nText.\n",
    );
    site.write(
        "content/articles/late-toml.md",
        "+++\ntitle = \"Late in TOML\"\ndate = 2026-07-04T20:00:00Z\ncurrent_as_at = 2026-07-05T23:30:00\n+++\nText.\n",
    );
    build(&site);
    for page in ["late", "late-toml"] {
        let html = site.read(&format!("public/articles/{page}/index.html"));
        assert_eq!(dates(&html).0, "2026-07-05", "{page}");
        assert!(
            html.contains(
                r#"Information current as at <time datetime="2026-07-05">5 July 2026</time>"#
            ),
            "{page}"
        );
    }
    let html = site.read("public/articles/late/index.html");
    assert_eq!(dates(&html).1, "2026-07-06");

    // The same instant, in a site whose zone is UTC, is still 4 July.
    site.edit(
        "site.toml",
        "timezone = \"Australia/Sydney\"",
        "timezone = \"UTC\"",
    );
    build(&site);
    let html = site.read("public/articles/late/index.html");
    assert_eq!(dates(&html).0, "2026-07-04");
}

#[test]
fn a_jekyll_file_name_gives_the_date_and_leaves_the_address() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/2026-03-05-from-jekyll.md",
        "---\ntitle: From Jekyll\ncurrent_as_at: 2026-03-06\n---\nText.\n",
    );
    site.write(
        "content/articles/2026-03-05-dated-anyway.md",
        "---\ntitle: Dated anyway\ndate: 2026-03-09\ncurrent_as_at: 2026-03-09\n---\nText.\n",
    );
    build(&site);
    let html = site.read("public/articles/from-jekyll/index.html");
    assert_eq!(dates(&html).0, "2026-03-05");
    // A date written wins over the name's; the address never carries the name's date.
    let html = site.read("public/articles/dated-anyway/index.html");
    assert_eq!(dates(&html).0, "2026-03-09");
    for gone in ["2026-03-05-from-jekyll", "2026-03-05-dated-anyway"] {
        assert!(!site.path(&format!("public/articles/{gone}")).exists());
    }
    // The name says when it was published, not that anyone checked it since.
    site.write(
        "content/articles/2026-03-05-from-jekyll.md",
        "---\ntitle: From Jekyll\n---\nText.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("the article has no `current_as_at`")
            && run
                .stderr
                .contains("--> content/articles/2026-03-05-from-jekyll.md:1"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no `date`"), "{}", run.stderr);
}

#[test]
fn a_stamped_page_takes_the_fields_of_an_open_front_matter() {
    let site = Site::fixture("basic");
    site.write(
        "content/fees.md",
        "---\ntitle: Fees\ncurrent_as_at: 2026-07-05\nupdated: 2026-07-06T10:00:00+10:00\ntags: [fees]\nsummary: What we charge\ncta: talk-to-us\nweight: 2\nextra:\n  icon: coin\n  rows: [1, 2]\n---\nWhat we charge.\n",
    );
    build(&site);
    assert!(site
        .read("public/fees/index.html")
        .contains("What we charge."));

    site.write(
        "content/fees.md",
        "+++\ntitle = \"Fees\"\ncurrent_as_at = 2026-07-05\nweight = 2\n\n[extra]\nicon = \"coin\"\n+++\nWhat we charge.\n",
    );
    build(&site);
}

#[test]
fn thousands_of_tags_are_refused_at_their_line_and_fifty_build() {
    let site = Site::fixture("basic");
    let tags = |n: usize| {
        (0..n)
            .map(|i| format!("tag{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let article = |n: usize| {
        format!(
            "---\ntitle: Tagged\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\ntags: [{}]\n---\nBody.\n",
            tags(n)
        )
    };
    site.write("content/articles/tagged.md", &article(3000));
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("has 3000 tags; brief takes at most 50")
            && run.stderr.contains("content/articles/tagged.md:5"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
    site.write("content/articles/tagged.md", &article(50));
    build(&site);
    assert!(site.path("public/tags/tag49/index.html").is_file());
}

#[test]
fn dates_with_implausible_years_are_refused_at_their_line() {
    let site = Site::fixture("basic");
    // A review due a year after 9999-12-31 would be dated +10000-12-30.
    site.write(
        "content/articles/far.md",
        "---\ntitle: Far\ndate: 2026-03-01\ncurrent_as_at: 9999-12-31\n---\nText.\n",
    );
    site.write(
        "content/articles/early.md",
        "+++\ntitle = \"Early\"\ndate = 0202-03-01\ncurrent_as_at = 2026-03-01\n+++\nText.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    for (place, year) in [
        ("content/articles/far.md:4", "9999"),
        ("content/articles/early.md:3", "0202"),
    ] {
        let at = run
            .stderr
            .find(place)
            .unwrap_or_else(|| panic!("{place}: {}", run.stderr));
        let message = &run.stderr[..at];
        assert!(
            message.ends_with(&format!(
                "the year {year} is outside 1900–2999, the years brief reads: earlier or later is almost surely a typo, and the dates worked out from it (such as the next review, up to a hundred years on) must stay within four-digit years\n  --> "
            )),
            "{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("+10000"), "{}", run.stderr);
    // The command line's dates are read the same way.
    let run = site.brief(&["check", "--today", "9999-12-31"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("the year 9999 is outside 1900–2999"),
        "{}",
        run.stderr
    );
}

#[test]
fn yaml_errors_are_reported_at_the_parser_line_and_column() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/broken.md",
        "---\ntitle: Broken\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\nsummary: \"Pasted\"\ntags: [a,\n  b\nauthor: x\n---\nText.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    // libyaml stops at `author:`, line 8 of the file, column 7 (the `:`).
    assert!(
        run.stderr.contains("--> content/articles/broken.md:8:7\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_toml_change_note_is_reported_at_its_own_table() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/noted.md",
        "+++\ntitle = \"Noted\"\ndate = 2026-03-01\ncurrent_as_at = 2026-03-02\n\n[[changes]]\ndate = 2026-03-05\nnote = \"First\"\n\n[[changes]]\ndate = 2026-03-06\n+++\nBody.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: the change of 2026-03-06 has no note\n  --> content/articles/noted.md:10"
        ),
        "{}",
        run.stderr
    );
}
