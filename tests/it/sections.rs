//! Sections (folders under content/, with or without `_index.md`), page bundles, and links
//! between Markdown sources.

use crate::support::Site;

const TODAY: &str = "2026-11-24";

fn build(site: &Site) {
    site.brief(&["build", "--today", TODAY]).success();
}

fn article(title: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ncurrent_as_at: {date}\nsummary: About {title}.\n---\n\n{body}\n")
}

/// The basic fixture in the bundled theme, with a guides section holding a nested one.
fn with_guides() -> Site {
    let site = Site::fixture_with_theme("basic");
    site.write(
        "content/guides/_index.md",
        "---\ntitle: Practical guides\nsort_by: title\npaginate: 2\n---\nStep-by-step help, *kept current*.\n",
    );
    site.write(
        "content/guides/backups.md",
        &article("Backups", "2026-05-01", "Restore one."),
    );
    site.write(
        "content/guides/access.md",
        &article("Access reviews", "2026-06-01", "Who can log in."),
    );
    site.write(
        "content/guides/security/passwords.md",
        &article("Passwords", "2026-04-01", "Use a manager."),
    );
    site
}

#[test]
fn folders_are_sections_whose_addresses_follow_them_to_any_depth() {
    let site = with_guides();
    build(&site);
    let passwords = site.read("public/guides/security/passwords/index.html");
    assert!(passwords.contains("<h1>Passwords</h1>"), "{passwords}");
    assert!(
        passwords.contains("Information current as at"),
        "articles are stamped"
    );

    // The guides list: its title and introduction from _index.md, sorted by title, two a page,
    // nested articles included, the section below it linked.
    let first = site.read("public/guides/index.html");
    assert!(
        first.contains("<title>Practical guides · Fixture Advice</title>"),
        "{first}"
    );
    assert!(first.contains("<h1>Practical guides</h1>"), "{first}");
    assert!(
        first.contains("Step-by-step help, <em>kept current</em>."),
        "{first}"
    );
    assert!(
        first.contains("<a href=\"/advice/guides/security/\">Security</a>"),
        "{first}"
    );
    let position = |page: &str, text: &str| page.find(text).unwrap_or(usize::MAX);
    assert!(
        position(&first, ">Access reviews<") < position(&first, ">Backups<"),
        "{first}"
    );
    assert!(
        !first.contains(">Passwords<"),
        "A to Z: passwords is on page 2"
    );
    let second = site.read("public/guides/page/2/index.html");
    assert!(second.contains(">Passwords<"), "{second}");
    assert!(
        second.contains("<h1>Practical guides, page 2</h1>"),
        "{second}"
    );

    // A section with no _index.md takes its folder's name and has a list too.
    let security = site.read("public/guides/security/index.html");
    assert!(
        security.contains("<h1>Security</h1>") && security.contains(">Passwords<"),
        "{security}"
    );
    // /articles/ exists, and every article is in the home list, the feed and the sitemap.
    assert!(site
        .read("public/articles/index.html")
        .contains("Prototype versus production"));
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("/advice/guides/security/passwords/"),
        "{feed}"
    );
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "guides/",
        "guides/security/",
        "articles/",
        "guides/security/passwords/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.com/advice/{url}</loc>")),
            "{url}: {sitemap}"
        );
    }
    site.brief(&["check", "--today", TODAY]).success();
}

#[test]
fn the_home_introduction_comes_from_content_index() {
    let site = Site::fixture_with_theme("basic");
    build(&site);
    let before = site.read("public/index.html");
    assert!(
        before.contains("<p class=\"lede\">A fixture site</p>"),
        "{before}"
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Plain advice, dated\n---\nWe write about [our work](/about/).\n",
    );
    build(&site);
    let home = site.read("public/index.html");
    assert!(home.contains("<h1>Plain advice, dated</h1>"), "{home}");
    assert!(
        home.contains("We write about <a href=\"/advice/about/\">our work</a>."),
        "{home}"
    );
    assert!(
        !home.contains("A fixture site</p>"),
        "the introduction replaces the description: {home}"
    );
    // Later pages of the list keep their own heading, without the introduction.
    let page2 = site.read("public/page/2/index.html");
    assert!(!page2.contains("We write about"), "{page2}");
    // A home index.md would be a page at /index/: refused, with the fix.
    site.write("content/index.md", "---\ntitle: Home\n---\n");
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("content/index.md")
            && run.stderr.contains("rename it content/_index.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_section_of_pages_lists_its_pages_and_gives_them_its_cta() {
    let site = Site::fixture_with_theme("basic");
    site.write(
        "content/services/_index.md",
        "---\ntitle: Services\nkind: pages\ncta: talk-to-us\n---\nWhat we do.\n",
    );
    site.write(
        "content/services/review.md",
        "---\ntitle: Code review\nsummary: We read it.\n---\n\nA careful read.\n",
    );
    site.write(
        "content/services/audit.md",
        "---\ntitle: An audit\n---\n\nWe look at everything.\n",
    );
    build(&site);
    let review = site.read("public/services/review/index.html");
    assert!(
        !review.contains("Information current as at"),
        "pages are not stamped unless they say so"
    );
    assert!(
        review.contains("Not sure yet?"),
        "the section's CTA closes its pages: {review}"
    );
    let list = site.read("public/services/index.html");
    assert!(
        list.find(">An audit<").unwrap() < list.find(">Code review<").unwrap(),
        "{list}"
    );
    assert!(
        list.contains("<p>We read it.</p>") && list.contains("<p>We look at everything.</p>"),
        "{list}"
    );
    // Pages are not in the feed.
    assert!(!site.read("public/feed.xml").contains("services/review"));
}

#[test]
fn a_section_s_settings_are_checked_at_their_line() {
    let site = Site::fixture_with_theme("basic");
    site.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nkind: posts\n---\n",
    );
    site.write("content/guides/a.md", &article("A", "2026-05-01", "Text."));
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("content/guides/_index.md:3")
            && run.stderr.contains("`kind` is `posts`"),
        "{}",
        run.stderr
    );
    // The review period of a section applies to what it holds, below an article's own.
    site.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nreview_after_days: 30\n---\n",
    );
    let run = site.brief(&["review", "--today", "2026-06-15", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let a = json["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["file"] == "content/guides/a.md")
        .unwrap();
    assert_eq!(
        (
            a["from"].as_str(),
            a["section"].as_str(),
            a["period"].as_i64()
        ),
        (Some("section"), Some("guides/"), Some(30))
    );
}

/// The basic fixture with a bundle: an article folder with an image and a PDF beside it.
fn with_bundle() -> Site {
    let site = Site::fixture_with_theme("basic");
    site.write(
        "content/articles/launch/index.md",
        &article("Launch", "2026-05-01", "![Monthly cost](chart.svg)\n\nThe [full report](files/report.pdf), and [the checklist](../checklist.md#top)."),
    );
    site.write(
        "content/articles/launch/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    site.write(
        "content/articles/launch/files/report.pdf",
        "%PDF-1.4 fixture",
    );
    site
}

#[test]
fn a_bundle_publishes_its_files_beside_its_page_and_links_resolve() {
    let site = with_bundle();
    build(&site);
    let page = site.read("public/articles/launch/index.html");
    assert!(
        page.contains("src=\"/advice/articles/launch/chart.svg\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/advice/articles/launch/files/report.pdf\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/advice/articles/checklist/#top\""),
        "{page}"
    );
    assert_eq!(
        site.read("public/articles/launch/files/report.pdf"),
        "%PDF-1.4 fixture"
    );
    assert!(site.path("public/articles/launch/chart.svg").is_file());
    // The feed carries the same absolute addresses, which work outside the page.
    assert!(site
        .read("public/feed.xml")
        .contains("/advice/articles/launch/chart.svg"));

    // The link check covers the bundle's files: a missing one is an error at its line.
    site.edit(
        "content/articles/launch/index.md",
        "files/report.pdf",
        "files/missing.pdf",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("content/articles/launch/index.md:10"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("/articles/launch/files/missing.pdf"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_draft_bundle_publishes_none_of_its_files_and_stray_markdown_is_reported() {
    let site = with_bundle();
    site.edit(
        "content/articles/launch/index.md",
        "summary:",
        "draft: true\nsummary:",
    );
    site.write(
        "content/articles/launch/notes.md",
        "---\ntitle: Notes\n---\n",
    );
    build(&site);
    assert!(!site.path("public/articles/launch").exists());
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    assert!(
        run.stdout
            .contains("inside the page bundle content/articles/launch/, so it is not published"),
        "{}",
        run.stdout
    );
}

#[test]
fn links_to_markdown_sources_lead_to_their_pages_and_a_missing_one_is_an_error() {
    let site = Site::fixture_with_theme("basic");
    site.edit(
        "content/articles/prototype-versus-production.md",
        "See [the checklist](/articles/checklist/)",
        "See [the checklist](checklist.md), [about us](../about.md) and [the checklist](/articles/checklist/)",
    );
    build(&site);
    let page = site.read("public/articles/prototype-versus-production/index.html");
    assert!(
        page.contains("href=\"/advice/articles/checklist/\""),
        "{page}"
    );
    assert!(page.contains("href=\"/advice/about/\""), "{page}");

    site.edit(
        "content/articles/prototype-versus-production.md",
        "checklist.md",
        "check-list.md",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr
            .contains("content/articles/prototype-versus-production.md:12")
            && run
                .stderr
                .contains("no Markdown file content/articles/check-list.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn pages_sort_by_weight_carry_tags_and_extra_reaches_templates() {
    let site = Site::fixture_with_theme("basic");
    site.write(
        "content/services/_index.md",
        "---\ntitle: Services\nkind: pages\npaginate: 10\n---\n",
    );
    site.write("content/services/zeta.md", "---\ntitle: Zeta\nweight: 1\ntags: [production]\nextra: {price: 120}\n---\n\nFirst by weight.\n");
    site.write(
        "content/services/alpha.md",
        "---\ntitle: Alpha\nweight: 5\n---\n\nSecond.\n",
    );
    site.write(
        "content/services/beta.md",
        "---\ntitle: Beta\n---\n\nNo weight: last.\n",
    );
    site.edit(
        "content/articles/checklist.md",
        "cta: none",
        "cta: none\nextra:\n  image: /assets/check.png\n  points: [a, b]",
    );
    // The site's own templates read extra: on an article, a page and a section.
    site.edit("templates/article.html", "<h1>{{ article.title }}</h1>", "<h1>{{ article.title }}</h1>{% if article.extra %}<p class=\"x\">{{ article.extra.image }} {{ article.extra.points | join(sep=\"+\") }}</p>{% endif %}");
    site.edit("templates/page.html", "<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1>{% if page.extra %}<p class=\"x\">from {{ page.extra.price }}</p>{% endif %}");
    build(&site);
    let list = site.read("public/services/index.html");
    let at = |t: &str| {
        list.find(&format!(">{t}<"))
            .unwrap_or_else(|| panic!("{t} in {list}"))
    };
    assert!(
        at("Zeta") < at("Alpha") && at("Alpha") < at("Beta"),
        "{list}"
    );
    assert!(site
        .read("public/articles/checklist/index.html")
        .contains("<p class=\"x\">/assets/check.png a+b</p>"));
    let zeta = site.read("public/services/zeta/index.html");
    assert!(zeta.contains("<p class=\"x\">from 120</p>"), "{zeta}");
    assert!(
        zeta.contains("<a href=\"/advice/tags/production/\" rel=\"tag\">production</a>"),
        "{zeta}"
    );
    // The tag's page lists the page beside its articles.
    let tag = site.read("public/tags/production/index.html");
    assert!(
        tag.contains("<a href=\"/advice/services/zeta/\">Zeta</a>"),
        "{tag}"
    );
    site.brief(&["check", "--today", TODAY]).success();
}

#[test]
fn a_secret_in_a_bundle_s_files_stops_the_build() {
    let site = with_bundle();
    site.write(
        "content/articles/launch/notes.txt",
        "api_key=sk_live_abcdefghijklmnop1234\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains("content/articles/launch/notes.txt:1"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
}

#[test]
fn a_toml_index_is_read_and_every_bad_field_of_an_index_is_reported_in_one_run() {
    let site = with_guides();
    site.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides in TOML\"\nsort_by = \"title\"\n+++\nRead as *settings*, not text.\n",
    );
    build(&site);
    let list = site.read("public/guides/index.html");
    assert!(list.contains("<h1>Guides in TOML</h1>"), "{list}");
    assert!(!list.contains("+++") && !list.contains("sort_by"), "{list}");
    assert!(list.contains("Read as <em>settings</em>"), "{list}");

    site.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\nkind: posts\nsort_by: newest\npaginate: 0\ncta: tlak\n---\nIntro.\n",
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    for (line, says) in [
        (3, "`kind` is `posts`"),
        (4, "`sort_by` is `newest`"),
        (5, "`paginate` is 0"),
        (6, "unknown call-to-action `tlak`"),
    ] {
        assert!(
            run.stderr.contains(says)
                && run
                    .stderr
                    .contains(&format!("content/guides/_index.md:{line}")),
            "{says}:\n{}",
            run.stderr
        );
    }
}

/// A list page is told by what it lists, never by its template's name: a section whose
/// `_index.md` names `tags.html` lists its own articles with that template (it used to be
/// given the tags of no tag, and published an empty list).
#[test]
fn a_section_list_is_a_section_list_whatever_its_template_is_called() {
    let site = Site::fixture("basic");
    site.write(
        "templates/tags.html",
        "{% extends \"base.html\" %}\n{% block main %}{% if tags is defined %}<ul class=\"tags\">{% for t in tags %}<li>{{ t.name }}</li>{% endfor %}</ul>{% endif %}{% if articles is defined %}<ol class=\"listed\">{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ol>{% endif %}{% endblock %}\n",
    );
    site.write(
        "content/articles/_index.md",
        "---\ntitle: Articles\ntemplate: tags.html\n---\n",
    );
    build(&site);
    let list = site.read("public/articles/index.html");
    assert!(list.contains("<ol class=\"listed\"><li>"), "{list}");
    assert!(list.contains(">Prototype versus production<"), "{list}");
    assert!(!list.contains("class=\"tags\""), "{list}");
    // The tag index itself is still given every tag.
    let index = site.read("public/tags/index.html");
    assert!(index.contains("<ul class=\"tags\"><li>"), "{index}");
}

#[test]
fn a_link_to_a_section_s_index_leads_to_its_list() {
    let site = with_guides();
    site.write(
        "content/guides/backups.md",
        &article(
            "Backups",
            "2026-05-01",
            "See [every guide](_index.md), [the same in Zola's words](@/guides/_index.md) and [security](security/passwords.md).",
        ),
    );
    let run = site.brief(&["check", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    build(&site);
    let page = site.read("public/guides/backups/index.html");
    assert_eq!(
        page.matches("href=\"/advice/guides/\"").count(),
        2,
        "{page}"
    );
}
