//! The command line as a whole: `--base-url` and `BRIEF_BASE_URL`, short flags and aliases,
//! finding the site from any folder inside it, and the examples in every `--help`.
//! (serve's share of these is in `serve.rs`.)

use crate::support::{run, Site};

const TODAY: &str = "2026-11-24";
const FLAGSHIP: &str = "public/articles/prototype-versus-production/index.html";
const ELSEWHERE: &str = "https://practice.example.org/guides/";

/// Every published file that names addresses: the flagship, the feed and the sitemap.
fn addresses(site: &Site) -> String {
    ["public/feed.xml", "public/sitemap.xml", FLAGSHIP]
        .iter()
        .map(|f| site.read(f))
        .collect()
}

#[test]
fn base_url_flag_replaces_site_toml_and_keeps_the_sub_path_everywhere() {
    let site = Site::fixture("basic");
    // Without the final slash: it is added, as for site.toml's base_url.
    site.brief(&[
        "build",
        "--today",
        TODAY,
        "--base-url",
        "https://practice.example.org/guides",
    ])
    .success();
    let page = site.read(FLAGSHIP);
    assert!(
        page.contains(r#"<link rel="canonical" href="https://practice.example.org/guides/articles/prototype-versus-production/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/guides/assets/style.css""#),
        "{page}"
    );
    // Markdown links written from the root follow the new sub-path.
    assert!(page.contains(r#"href="/guides/contact/""#), "{page}");
    let feed = site.read("public/feed.xml");
    assert!(feed.contains(&format!("<id>{ELSEWHERE}</id>")), "{feed}");
    assert!(
        feed.contains(&format!(
            "<id>{ELSEWHERE}articles/prototype-versus-production/</id>"
        )),
        "{feed}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{ELSEWHERE}about/</loc>")),
        "{sitemap}"
    );
    let all = addresses(&site);
    assert!(!all.contains("example.com"), "site.toml's base_url leaked");
    assert!(!all.contains("/advice/"), "site.toml's sub-path leaked");
}

#[test]
fn brief_base_url_in_the_environment_is_used_and_the_flag_wins_over_it() {
    let site = Site::fixture("basic");
    site.brief_with_env(
        &["build", "--today", TODAY],
        &[("BRIEF_BASE_URL", ELSEWHERE)],
    )
    .success();
    let page = site.read(FLAGSHIP);
    assert!(
        page.contains(r#"<link rel="canonical" href="https://practice.example.org/guides/articles/prototype-versus-production/">"#),
        "{page}"
    );
    assert!(page.contains(r#"href="/guides/contact/""#), "{page}");

    site.brief_with_env(
        &[
            "build",
            "--today",
            TODAY,
            "--base-url",
            "https://flag.example.net/",
        ],
        &[("BRIEF_BASE_URL", ELSEWHERE)],
    )
    .success();
    let page = site.read(FLAGSHIP);
    assert!(
        page.contains(r#"<link rel="canonical" href="https://flag.example.net/articles/prototype-versus-production/">"#),
        "{page}"
    );
    assert!(page.contains(r#"href="/contact/""#), "{page}");
    assert!(!addresses(&site).contains("practice.example.org"));
}

#[test]
fn a_bad_base_url_says_where_it_came_from_and_publishes_nothing() {
    let site = Site::fixture("basic");
    let from_env = site.brief_with_env(
        &["build", "--today", TODAY],
        &[("BRIEF_BASE_URL", "ftp://example.org/")],
    );
    assert_eq!(from_env.code, 2, "{}", from_env.stderr);
    assert!(
        from_env.stderr.contains(
            "the base URL `ftp://example.org/` given by BRIEF_BASE_URL (set in the environment) is not valid: it must start with https:// or http://"
        ),
        "{}",
        from_env.stderr
    );
    assert!(
        from_env.stderr.contains("fix: set BRIEF_BASE_URL"),
        "{}",
        from_env.stderr
    );

    let from_flag = site.brief(&["check", "--base-url", "https://example.org/a/../b/"]);
    assert_eq!(from_flag.code, 2, "{}", from_flag.stderr);
    assert!(
        from_flag
            .stderr
            .contains("given by --base-url is not valid: its path must not contain . or .."),
        "{}",
        from_flag.stderr
    );
    assert!(from_flag.stderr.contains("fix: give an absolute address"));
    assert!(!site.path("public").exists());
}

#[test]
fn check_resolves_links_against_the_given_base_url() {
    let site = Site::fixture("check-clean");
    site.write(
        "content/articles/third.md",
        "---\ntitle: Third\ndate: 2026-01-01\ncurrent_as_at: 2026-11-01\nsummary: S.\n---\nSee [the missing page](https://practice.example.org/guides/no-such-page/).\n",
    );
    // Under site.toml's base_url the link is to another site, not fetched without --external.
    let plain = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    assert!(!plain.stdout.contains("no-such-page"), "{}", plain.stdout);
    // Under the given one it is a page of this site that does not exist.
    for run in [
        site.brief(&["check", "--today", TODAY, "--base-url", ELSEWHERE]),
        site.brief_with_env(
            &["check", "--today", TODAY],
            &[("BRIEF_BASE_URL", ELSEWHERE)],
        ),
    ] {
        run.failure();
        assert!(run.stdout.contains("no-such-page"), "{}", run.stdout);
        assert!(
            run.stdout.contains("content/articles/third.md:7"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn short_flags_and_output_dir_do_what_the_long_ones_do() {
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let out = site.path("out");
    // -r, -o, -D and -F, run from a folder outside the site.
    run(
        &[
            "build",
            "-r",
            root,
            "-o",
            out.to_str().unwrap(),
            "-D",
            "-F",
            "--today",
            TODAY,
        ],
        elsewhere.path(),
    )
    .success();
    assert!(out.join("articles/unfinished/index.html").is_file(), "-D");
    assert!(out.join("articles/upcoming/index.html").is_file(), "-F");
    assert!(!site.path("public").exists(), "-o was not used");

    site.brief(&["build", "--output-dir", "alias", "--today", TODAY])
        .success();
    let alias = site.path("alias");
    assert!(alias.join("index.html").is_file(), "--output-dir");
    assert!(!alias.join("articles/unfinished/index.html").exists());

    run(&["new", "Short flags", "-r", root], elsewhere.path()).success();
    assert!(site.path("content/articles/short-flags.md").is_file());
}

#[test]
fn output_paths_are_relative_to_where_brief_runs() {
    // -o is a path like any other: relative to the current folder, not to the site.
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    run(
        &["build", "-r", root, "-o", "out", "--today", TODAY],
        elsewhere.path(),
    )
    .success();
    assert!(elsewhere.path().join("out/index.html").is_file());
}

#[test]
fn commands_find_the_site_from_a_folder_inside_it() {
    let site = Site::fixture("basic");
    let articles = site.path("content/articles");
    let built = run(&["build", "--today", TODAY], &articles);
    built.success();
    assert!(site.path(FLAGSHIP).is_file(), "{}", built.stdout);
    assert!(!articles.join("public").exists());

    // The same report as with --root: the site's files, named from the site's folder.
    let below = run(&["check", "--today", TODAY], &articles);
    let given = site.brief(&["check", "--today", TODAY]);
    assert_eq!(below.code, given.code, "{}", below.stdout);
    assert_eq!(below.stdout, given.stdout);
    assert!(
        below.stdout.contains("content/articles/"),
        "{}",
        below.stdout
    );
    let new = run(&["new", "Written from below"], &articles);
    new.success();
    assert!(site
        .path("content/articles/written-from-below.md")
        .is_file());
    assert!(!articles.join("content").exists());
}

#[test]
fn root_is_used_as_given_without_searching_upwards() {
    let site = Site::fixture("basic");
    let empty = tempfile::tempdir().unwrap();
    let run = run(
        &["build", "--root", empty.path().to_str().unwrap()],
        &site.path("content/articles"),
    );
    run.failure();
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "built the site around it");
}

#[test]
fn no_site_toml_here_or_above_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let below = dir.path().join("notes/drafts");
    std::fs::create_dir_all(&below).unwrap();
    for command in [
        &["build"][..],
        &["check"],
        &["serve", "--port", "0"],
        &["new", "Anything"],
    ] {
        let run = run(command, &below);
        assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
        let searched = below.canonicalize().unwrap();
        assert!(
            run.stderr.contains(&format!(
                "there is no site.toml in {} or in any folder above it",
                searched.display()
            )),
            "{command:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("`brief init`"), "{}", run.stderr);
        assert!(run.stderr.contains("--root DIR"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read_dir(&below).unwrap().count(), 0, "wrote files");
}

#[test]
fn every_help_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    for (command, example) in [
        (None, "brief build --base-url https://example.com/"),
        (Some("build"), "brief build -o /srv/www/advice"),
        (Some("new"), "brief new \"Year-end checklist\""),
        (Some("check"), "brief check --external"),
        (Some("serve"), "brief serve --no-drafts"),
    ] {
        for help in ["--help", "-h"] {
            let args: Vec<&str> = command.into_iter().chain([help]).collect();
            let run = run(&args, dir.path());
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert!(run.stdout.contains("Examples:"), "{args:?}: {}", run.stdout);
            assert!(run.stdout.contains(example), "{args:?}: {}", run.stdout);
        }
    }
    // The flags people look for are listed with their short forms.
    let build = run(&["build", "--help"], dir.path());
    for flag in [
        "-r, --root <DIR>",
        "-o, --output <DIR>",
        "[alias: --output-dir]",
        "-D, --drafts",
        "-F, --future",
        "--base-url <URL>",
        "[env: BRIEF_BASE_URL",
    ] {
        assert!(build.stdout.contains(flag), "{flag}: {}", build.stdout);
    }
    let serve = run(&["serve", "--help"], dir.path());
    assert!(
        serve.stdout.contains("-p, --port <PORT>"),
        "{}",
        serve.stdout
    );
    assert!(
        !serve.stdout.contains("[env: BRIEF_BASE_URL"),
        "{}",
        serve.stdout
    );
}
