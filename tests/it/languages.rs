//! More than one language (issue 31): translations beside their originals, the theme's
//! words and dates in each page's language, a language's own lists and feed, and a warning
//! when a translation lags its original.

use crate::support::Site;

const SITE: &str = r#"title = "Small Practice"
base_url = "https://example.com/advice/"
default_language = "en"

[dates]
review_after_days = 365
timezone = "UTC"

[languages.fr]
title = "Petit Cabinet"
"#;

const TODAY: &str = "2026-12-07";

const REFUNDS: &str = "---
title: Refunds
date: 2026-01-05
current_as_at: 2026-11-03
tags: [money]
changes:
  - date: 2026-11-03
    note: Rewrote the refunds section
---
When we refund.
";

const REMBOURSEMENTS: &str = "---
title: Remboursements
date: 2026-01-05
current_as_at: 2026-10-01
slug: remboursements
tags: [argent]
---
Quand nous remboursons.
";

/// A site in English and French: one article with its French translation.
fn bilingual() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = Site { dir };
    site.write("site.toml", SITE);
    site.write("content/articles/refunds.md", REFUNDS);
    site.write("content/articles/refunds.fr.md", REMBOURSEMENTS);
    site
}

#[test]
fn a_translation_is_published_under_its_language_with_its_words_dates_and_links() {
    let site = bilingual();
    site.brief(&["build", "--today", TODAY]).success();
    let fr = site.read("public/fr/articles/remboursements/index.html");
    assert!(fr.contains("<html lang=\"fr\">"), "{fr}");
    assert!(
        fr.contains("Informations à jour au <time datetime=\"2026-10-01\">1 octobre 2026</time>"),
        "{fr}"
    );
    assert!(fr.contains("Publié le <time"), "{fr}");
    assert!(fr.contains("Aller au contenu principal"), "{fr}");
    assert!(
        fr.contains("<title>Remboursements · Petit Cabinet</title>"),
        "{fr}"
    );
    let alternates = [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/advice/articles/refunds/\">",
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.com/advice/fr/articles/remboursements/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.com/advice/articles/refunds/\">",
    ];
    let en = site.read("public/articles/refunds/index.html");
    for link in alternates {
        assert!(fr.contains(link), "{link}\n{fr}");
        assert!(en.contains(link), "{link}\n{en}");
    }
    // The switcher, each language named in itself.
    assert!(
        en.contains("<a href=\"/advice/fr/articles/remboursements/\" hreflang=\"fr\" lang=\"fr\">Français</a>"),
        "{en}"
    );
    assert!(
        fr.contains("<span lang=\"fr\" aria-current=\"page\">Français</span>"),
        "{fr}"
    );
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("3 November 2026"), "{en}");

    // Its own home, tags and feed; the English ones do not list it.
    let home = site.read("public/fr/index.html");
    assert!(
        home.contains("Remboursements") && !home.contains("Refunds"),
        "{home}"
    );
    assert!(site.path("public/fr/tags/argent/index.html").exists());
    assert!(!site.path("public/tags/argent/index.html").exists());
    let feed = site.read("public/fr/feed.xml");
    assert!(
        feed.contains("xml:lang=\"fr\"") && feed.contains("<title>Remboursements</title>"),
        "{feed}"
    );
    assert!(!feed.contains("<title>Refunds</title>"), "{feed}");
    let changes = site.read("public/fr/changes.xml");
    assert!(
        changes.contains("<title>Petit Cabinet : modifications</title>"),
        "{changes}"
    );
    let english = site.read("public/feed.xml");
    assert!(!english.contains("Remboursements"), "{english}");
    assert!(!site.read("public/index.html").contains("Remboursements"));

    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.com/advice/fr/articles/remboursements/\"/>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.com/advice/fr/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_translation_whose_original_changed_since_it_was_confirmed_is_a_warning() {
    let site = bilingual();
    let run = site.brief(&["check", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("the English original changed on 3 November 2026: Rewrote the refunds section; this translation was last confirmed on 1 October 2026"),
        "{all}"
    );
    assert!(all.contains("content/articles/refunds.fr.md:4"), "{all}");
    assert!(all.contains("content/articles/refunds.md"), "{all}");

    // brief review lists it, as text and as JSON.
    let run = site.brief(&["review", "--today", TODAY]);
    assert!(
        run.stdout
            .contains("Translations behind their original (1):"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("content/articles/refunds.fr.md"),
        "{}",
        run.stdout
    );
    let run = site.brief(&["review", "--today", TODAY, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let behind = &json["translations_behind"][0];
    assert_eq!(behind["file"], "content/articles/refunds.fr.md");
    assert_eq!(behind["original"], "content/articles/refunds.md");
    assert_eq!(behind["lang"], "fr");
    assert_eq!(behind["changed"], "2026-11-03");
    assert_eq!(behind["note"], "Rewrote the refunds section");
}

#[test]
fn a_translation_without_its_original_or_in_an_undeclared_language_is_an_error_at_its_file() {
    let site = bilingual();
    site.write("content/articles/fees.fr.md", REMBOURSEMENTS);
    site.write("content/articles/keys.de.md", REMBOURSEMENTS);
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("content/articles/fees.fr.md"), "{all}");
    assert!(
        all.contains(
            "this is a translation into `fr` of content/articles/fees.md, which does not exist"
        ),
        "{all}"
    );
    assert!(all.contains("content/articles/keys.de.md"), "{all}");
    assert!(
        all.contains("this file's name says it is in `de`, a language site.toml does not declare"),
        "{all}"
    );
    assert!(
        all.contains("declare [languages.de] in site.toml or rename the file"),
        "{all}"
    );
}

#[test]
fn an_unknown_word_in_site_toml_is_an_error_at_its_line() {
    let site = bilingual();
    site.write(
        "site.toml",
        &format!("{SITE}[languages.fr.words]\nskip_to_contnet = \"Aller\"\n"),
    );
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("site.toml:12"), "{all}");
    assert!(
        all.contains(
            "[languages.fr.words] has `skip_to_contnet`, which is not one of the theme's words"
        ),
        "{all}"
    );
    assert!(all.contains("did you mean `skip_to_content`?"), "{all}");
}

#[test]
fn a_translated_address_that_clashes_is_reported_like_any_other() {
    let site = bilingual();
    site.write(
        "content/fr/articles/remboursements.md",
        "---\ntitle: X\n---\nx\n",
    );
    let run = site.brief(&["check", "--today", TODAY]);
    run.failure();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("two sources publish to /fr/articles/: the `fr` list of section `articles` and the list of section `fr/articles`"),
        "{all}"
    );
}

#[test]
fn brief_new_lang_starts_a_translation_beside_its_original() {
    let site = bilingual();
    std::fs::remove_file(site.path("content/articles/refunds.fr.md")).unwrap();
    let run = site.brief(&["new", "--lang", "fr", "refunds"]);
    run.success();
    let text = site.read("content/articles/refunds.fr.md");
    assert!(text.starts_with("---\ncurrent_as_at: "), "{text}");
    assert!(
        text.contains("draft: true\ntitle: Refunds\ndate: 2026-01-05\ntags: [money]\n---\n"),
        "{text}"
    );
    assert!(!text.contains("changes:"), "{text}");
    assert!(text.contains("into Français"), "{text}");
    assert!(text.ends_with("When we refund.\n"), "{text}");
    // Never over a file; a language the site does not declare is named with those it does.
    site.brief(&["new", "--lang", "fr", "refunds"]).failure();
    let run = site.brief(&["new", "--lang", "fe", "refunds"]);
    run.failure();
    assert!(
        run.stderr.contains("`fe` is not a language of the site"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `fr`?"), "{}", run.stderr);
}

#[test]
fn a_sections_index_is_translated_by_its_own_file() {
    let site = bilingual();
    site.write(
        "content/articles/_index.md",
        "---\ntitle: Advice\n---\nAll our advice.\n",
    );
    site.write(
        "content/articles/_index.fr.md",
        "---\ntitle: Conseils\n---\nTous nos conseils.\n",
    );
    site.brief(&["build", "--today", TODAY]).success();
    let fr = site.read("public/fr/articles/index.html");
    assert!(
        fr.contains("<h1>Conseils</h1>") && fr.contains("Tous nos conseils."),
        "{fr}"
    );
    let en = site.read("public/articles/index.html");
    assert!(
        en.contains("<h1>Advice</h1>") && !en.contains("Conseils"),
        "{en}"
    );

    // One without its original is an error at its file.
    site.write("content/guides/_index.fr.md", "---\ntitle: Guides\n---\n");
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr.contains(
            "this is a translation into `fr` of content/guides/_index.md, which does not exist"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translation_is_confirmed_by_its_file_when_it_shares_its_originals_slug() {
    let site = bilingual();
    site.edit(
        "content/articles/refunds.fr.md",
        "slug: remboursements\n",
        "",
    );
    site.brief(&["build", "--today", TODAY]).success();
    assert!(site.path("public/fr/articles/refunds/index.html").exists());
    let run = site.brief(&["review", "--confirm", "refunds", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr
            .contains("`refunds` is the slug of 2 documents (its translations share it)"),
        "{}",
        run.stderr
    );
    site.brief(&[
        "review",
        "--confirm",
        "content/articles/refunds.fr.md",
        "--today",
        TODAY,
    ])
    .success();
    assert!(site
        .read("content/articles/refunds.fr.md")
        .contains("current_as_at: 2026-12-07"));
    let run = site.brief(&["check", "--today", TODAY]);
    assert!(!run.stdout.contains("original changed"), "{}", run.stdout);
}

/// Search keeps an index a language, and a page's box speaks its language: the French
/// translation is in the `fr` index only, found from French pages, and their box is French.
#[test]
fn each_language_is_searched_in_its_own_index_with_its_own_words() {
    let site = bilingual();
    site.brief(&["build", "--today", TODAY]).success();
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("public/pagefind/pagefind-entry.json")).unwrap();
    let languages = entry["languages"].as_object().unwrap();
    let pages = |code: &str| languages[code]["page_count"].as_u64();
    assert_eq!(pages("fr"), Some(1), "{entry}");
    assert_eq!(pages("en"), Some(1), "{entry}");
    assert_eq!(languages.len(), 2, "{entry}");
    let fr = site.read("public/fr/articles/remboursements/index.html");
    assert!(fr.contains(">Rechercher sur ce site</label>"), "{fr}");
    assert!(
        fr.contains("data-none=\"Aucun résultat pour « {query} ».\""),
        "{fr}"
    );
    let en = site.read("public/articles/refunds/index.html");
    assert!(en.contains(">Search this site</label>"), "{en}");
}
