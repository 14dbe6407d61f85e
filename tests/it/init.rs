//! `brief init`: a new site from the binary alone, and the theme it is dressed in.

use crate::support::{run, snapshot};
use std::path::Path;

const FLAGS: &[&str] = &[
    "--title",
    "Acme Advisory",
    "--description",
    "Straight answers on keeping small offices safe.",
    "--base-url",
    "https://acme.example/",
    "--lang",
    "en-GB",
    "--author",
    "Acme Advisory",
    "--timezone",
    "Europe/London",
];

/// FLAGS with `flag`'s value replaced.
fn flags_with<'a>(flag: &str, value: &'a str) -> Vec<&'a str> {
    let mut flags = FLAGS.to_vec();
    let at = flags
        .iter()
        .position(|f| *f == flag)
        .expect("a flag of FLAGS");
    flags[at + 1] = value;
    flags
}

/// `brief init DIR FLAGS…` run in DIR's parent.
fn init(dir: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["init", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args, dir.parent().unwrap())
}

fn brief_in(dir: &Path, args: &[&str]) -> crate::support::Run {
    let mut all = args.to_vec();
    all.extend(["--root", dir.to_str().unwrap()]);
    run(&all, dir)
}

/// Every file under `dir` as text, for looking through.
fn all_text(dir: &Path) -> String {
    snapshot(dir)
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[test]
fn init_makes_a_site_that_builds_and_checks_at_once() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("acme");
    let made = init(&dir, FLAGS);
    made.success();
    assert!(made.stdout.contains("brief serve"), "{}", made.stdout);
    assert!(made.stdout.contains("brief new"), "{}", made.stdout);
    for file in [
        "site.toml",
        "content/articles/how-this-site-works.md",
        "content/about.md",
        "content/contact.md",
        ".gitignore",
        ".github/workflows/publish.yml",
        ".github/workflows/review-reminders.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
    // The theme comes from the binary: the site holds none of it.
    assert!(!dir.join("templates").exists() && !dir.join("assets").exists());

    let built = brief_in(&dir, &["build"]);
    built.success();
    let checked = brief_in(&dir, &["check"]);
    checked.success();
    assert!(
        checked.stdout.contains("0 errors, 0 warnings"),
        "{}",
        checked.stdout
    );

    let public = dir.join("public");
    let article =
        std::fs::read_to_string(public.join("articles/how-this-site-works/index.html")).unwrap();
    assert!(article.contains("Acme Advisory"));
    assert!(article.contains("Information current as at"));
    // The inline call-to-action and the closing one, with their wording from site.toml.
    assert!(article.contains("A question about your own case?") && article.contains("Ask us"));
    assert!(article.contains("Talk it through") && article.contains("Get in touch"));
    assert!(public.join("assets/style.css").is_file());
    assert!(public.join("about/index.html").is_file());
    assert!(public.join("contact/index.html").is_file());
    // Nothing of the practice whose repository this is.
    let everything = all_text(&dir);
    assert!(
        !everything.contains("Harbourline"),
        "the new site names this repository's practice"
    );
    // The output is ignored by git, and the workflow publishes on push and daily.
    assert!(std::fs::read_to_string(dir.join(".gitignore"))
        .unwrap()
        .contains("/public/"));
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/publish.yml")).unwrap();
    assert!(workflow.contains("push:") && workflow.contains("schedule:"));
    // It installs the brief that wrote it, from its release, checked, without compiling it;
    // a build from source only while that version has no release, and then from the cache.
    let version = run(&["--version"], &dir).stdout.trim().to_string();
    let pinned = version.trim_start_matches("brief ");
    assert!(
        workflow.contains(&format!("BRIEF_VERSION: \"{pinned}\"")),
        "{workflow}"
    );
    assert!(
        workflow.contains(&format!("key: brief-{pinned}-")),
        "{workflow}"
    );
    assert!(workflow.contains("gh release download") && workflow.contains("SHA256SUMS"));
    assert!(workflow.contains("sha256sum --check --strict"));
    let install = workflow.find("gh release download").unwrap();
    let build = workflow.find("cargo install --locked").unwrap();
    assert!(install < build, "the build from source is the fallback");
    assert!(!workflow.contains("@install-brief@"));
}

#[test]
fn init_writes_a_weekly_workflow_that_files_one_issue_per_reviewer() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("acme");
    init(&dir, FLAGS).success();
    let text = std::fs::read_to_string(dir.join(".github/workflows/review-reminders.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let on = &workflow["on"];
    let cron = on["schedule"][0]["cron"].as_str().expect("a schedule");
    // Weekly: one day of the week, every week.
    let fields: Vec<&str> = cron.split(' ').collect();
    assert!(
        fields.len() == 5
            && fields[2] == "*"
            && fields[3] == "*"
            && fields[4].parse::<u8>().is_ok(),
        "{cron}"
    );
    assert!(on.get("workflow_dispatch").is_some(), "{text}");
    // Only what it needs: read the site, write issues.
    let permissions = workflow["permissions"].as_mapping().unwrap();
    assert_eq!(permissions.len(), 2, "{text}");
    assert_eq!(workflow["permissions"]["contents"], "read");
    assert_eq!(workflow["permissions"]["issues"], "write");
    let steps = workflow["jobs"]["remind"]["steps"].as_sequence().unwrap();
    let runs: String = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    // Installed as the publishing workflow installs brief: the same step, word for word.
    let publish: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.join(".github/workflows/publish.yml")).unwrap(),
    )
    .unwrap();
    let install = |steps: &serde_yaml::Value| {
        steps
            .as_sequence()
            .and_then(|s| s.iter().find(|s| s["name"] == "Install brief"))
            .cloned()
            .expect("an `Install brief` step")
    };
    assert_eq!(
        install(&workflow["jobs"]["remind"]["steps"]),
        install(&publish["jobs"]["build"]["steps"])
    );
    // No third-party action: GitHub's own checkout, and the cache the install steps keep.
    let actions: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert_eq!(actions, ["actions/checkout@v4", "actions/cache@v4"]);
    // Who is due comes from the JSON report; each issue's text from the digest.
    assert!(runs.contains("brief review --format json"), "{text}");
    assert!(
        runs.contains("brief review --format markdown --reviewer \"$id\""),
        "{text}"
    );
    for gh in [
        "gh issue create",
        "gh issue edit",
        "--body-file",
        "gh issue close",
    ] {
        assert!(runs.contains(gh), "no `{gh}` in\n{text}");
    }
}

#[test]
fn init_without_a_terminal_takes_its_title_from_the_folder() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("harbour-street-advice");
    init(&dir, &[]).success();
    let toml = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    assert!(toml.contains("title = \"Harbour Street Advice\""), "{toml}");
    brief_in(&dir, &["build"]).success();
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced_and_never_replaces_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let refused = init(dir, FLAGS);
    refused.failure();
    assert!(
        refused.stderr.contains("not empty") && refused.stderr.contains("--force"),
        "{}",
        refused.stderr
    );
    assert!(!dir.join("site.toml").exists());

    init(dir, &[FLAGS, &["--force"]].concat()).success();
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    let before = snapshot(dir);
    let again = init(dir, &[FLAGS, &["--force"]].concat());
    again.failure();
    assert!(again.stderr.contains("site.toml"), "{}", again.stderr);
    assert_eq!(snapshot(dir), before, "a refused init changed files");

    // Settings the site could not build with are refused before anything is written.
    let empty = tempfile::tempdir().unwrap();
    let bad = init(empty.path(), &["--timezone", "Mars/Olympus"]);
    bad.failure();
    assert!(
        bad.stderr.contains("Mars/Olympus") && bad.stderr.contains("--timezone"),
        "{}",
        bad.stderr
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn a_site_file_replaces_the_theme_file_of_the_same_name() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    init(&dir, FLAGS).success();
    std::fs::create_dir_all(dir.join("templates/partials")).unwrap();
    std::fs::write(
        dir.join("templates/partials/cta.html"),
        "<aside class=\"mine\">{{ cta.title }}: <a href=\"{{ cta.href }}\">{{ cta.button }}</a></aside>\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("assets/style.css"), "body { color: black }\n").unwrap();
    brief_in(&dir, &["build"]).success();
    let public = dir.join("public");
    let article =
        std::fs::read_to_string(public.join("articles/how-this-site-works/index.html")).unwrap();
    assert!(
        article.contains("<aside class=\"mine\">Talk it through"),
        "the site's partial was not used"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("assets/style.css")).unwrap(),
        "body { color: black }\n"
    );
    // What the site does not replace still comes from the theme.
    assert!(public.join("assets/favicon.svg").is_file());

    // An error in the site's partial names it, and the theme template that includes it.
    std::fs::write(
        dir.join("templates/partials/toc.html"),
        "{{ no_such_value }}\n",
    )
    .unwrap();
    let failed = brief_in(&dir, &["build"]);
    failed.failure();
    assert!(
        failed.stderr.contains("templates/partials/toc.html"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("[theme] templates/"),
        "{}",
        failed.stderr
    );
}

#[test]
fn init_theme_copies_the_theme_out_and_the_site_builds_the_same() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    init(&dir, FLAGS).success();
    brief_in(&dir, &["build", "--today", "2026-07-05"]).success();
    let before = snapshot(&dir.join("public"));

    let ejected = init(&dir, &["--theme"]);
    ejected.success();
    for file in [
        "templates/base.html",
        "templates/partials/cta.html",
        "templates/README.md",
        "assets/style.css",
    ] {
        assert!(
            dir.join(file).is_file(),
            "{file} was not copied: {}",
            ejected.stdout
        );
    }
    brief_in(&dir, &["build", "--today", "2026-07-05"]).success();
    assert_eq!(
        snapshot(&dir.join("public")),
        before,
        "the copied theme builds differently"
    );

    // Copying again keeps what the site has: an edited template stays as edited.
    std::fs::write(dir.join("templates/404.html"), "edited").unwrap();
    init(&dir, &["--theme"]).success();
    assert_eq!(
        std::fs::read_to_string(dir.join("templates/404.html")).unwrap(),
        "edited"
    );
}

/// Every `href="…"` and `src="…"` in the HTML files under `public`, with the page it is on.
fn links(public: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (file, bytes) in snapshot(public) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = file.to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&bytes);
        for attribute in ["href=\"", "src=\""] {
            for (at, _) in text.match_indices(attribute) {
                let rest = &text[at + attribute.len()..];
                let value = &rest[..rest.find('"').unwrap_or(0)];
                found.push((page.clone(), value.replace("&amp;", "&")));
            }
        }
    }
    found
}

/// Crawls the built site as a server at `base` (`https://host/sub/`) would serve it from
/// `public`: every link into the site must reach a file.
fn assert_no_broken_link(public: &Path, base: &str) {
    let sub_path = base
        .splitn(4, '/')
        .nth(3)
        .map_or("/".to_string(), |p| format!("/{p}"));
    let mut checked = 0;
    for (page, href) in links(public) {
        let href = href.split('#').next().unwrap_or_default();
        let path = if let Some(rest) = href.strip_prefix(base) {
            rest.to_string()
        } else if href.starts_with("http") || href.starts_with("mailto:") || href.is_empty() {
            continue;
        } else if let Some(rest) = href.strip_prefix(&sub_path) {
            rest.to_string()
        } else {
            panic!("{page} links to {href}, outside the site's path {sub_path}");
        };
        let file = public.join(&path);
        let target = if path.is_empty() || path.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        assert!(
            target.is_file(),
            "{page} links to {href}, which is not a file of the site"
        );
        checked += 1;
    }
    assert!(checked > 20, "only {checked} links were crawled");
}

#[test]
fn a_new_site_under_a_sub_path_has_no_broken_link() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    let base = "https://acme.example/advice/";
    init(&dir, FLAGS).success();
    // Published under a sub-path by the command line alone, as a preview deploy would.
    brief_in(&dir, &["build", "--base-url", base]).success();
    let public = dir.join("public");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("/advice/assets/style.css"), "{home}");
    assert_no_broken_link(&public, base);
}

#[test]
fn menu_logo_and_accent_change_in_site_toml_alone() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    init(&dir, FLAGS).success();
    let toml = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    let toml = toml
        .replace(
            "label = \"About\"\nurl = \"/about/\"",
            "label = \"Who we are\"\nurl = \"/about/\"",
        )
        .replace(
            "accent = \"#3b5670\"",
            "accent = \"#1f4d2b\"\nlogo = \"assets/mark.svg\"",
        );
    std::fs::write(dir.join("site.toml"), toml).unwrap();
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("assets/mark.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n",
    )
    .unwrap();
    brief_in(&dir, &["build"]).success();
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains(">Who we are</a>") && !home.contains(">About</a>"),
        "menu: {home}"
    );
    assert!(home.contains("src=\"/assets/mark.svg\""), "logo: {home}");
    assert!(home.to_lowercase().contains("#1f4d2b"), "accent: {home}");
    assert!(dir.join("public/assets/mark.svg").is_file());
    // No template was written for any of it.
    assert!(!dir.join("templates").exists());
}

/// Every path under `dir`, not following links, with what it is and holds: a failed init
/// must leave this exactly as it was.
#[cfg(unix)]
fn tree(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let what = if e.path_is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(e.path()).unwrap().display()
                )
            } else if e.file_type().is_dir() {
                "folder".to_string()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), what)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_failed_init_leaves_nothing_it_wrote_and_can_be_run_again() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    // A link to a folder that is not there: the theme's assets cannot go in.
    std::os::unix::fs::symlink(parent.path().join("gone"), dir.join("assets")).unwrap();
    let before = tree(parent.path());

    let args = [FLAGS, &["--force", "--theme"]].concat();
    let failed = init(&dir, &args);
    failed.failure();
    assert!(
        failed.stderr.contains("assets") && failed.stderr.contains("symbolic link"),
        "{}",
        failed.stderr
    );
    assert!(
        !failed.stderr.contains("os error"),
        "the error should say what is wrong, not how the system call failed: {}",
        failed.stderr
    );
    assert_eq!(
        tree(parent.path()),
        before,
        "a failed init left files behind"
    );

    std::fs::remove_file(dir.join("assets")).unwrap();
    init(&dir, &args).success();
    assert!(dir.join("site.toml").is_file() && dir.join("assets/style.css").is_file());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    brief_in(&dir, &["build"]).success();
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_symbolic_link() {
    let parent = tempfile::tempdir().unwrap();
    let outside = parent.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let link = |dir: &Path, name: &str| {
        std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join(name)).unwrap();
    };

    // A new site beside a link, with --force.
    for name in [".github", "content/articles", "content"] {
        let dir = parent
            .path()
            .join(format!("site-{}", name.replace('/', "-")));
        link(&dir, name);
        let before = tree(parent.path());
        let refused = init(&dir, &[FLAGS, &["--force"]].concat());
        refused.failure();
        assert!(
            refused.stderr.contains(name) && refused.stderr.contains("symbolic link"),
            "{name}: {}",
            refused.stderr
        );
        assert_eq!(tree(parent.path()), before, "{name}: init wrote files");
    }

    // The theme copied out of a site whose templates folder is a link.
    let dir = parent.path().join("site");
    init(&dir, FLAGS).success();
    link(&dir, "templates");
    let before = tree(parent.path());
    let refused = init(&dir, &["--theme"]);
    refused.failure();
    assert!(
        refused.stderr.contains("templates") && refused.stderr.contains("symbolic link"),
        "{}",
        refused.stderr
    );
    assert_eq!(tree(parent.path()), before, "init --theme wrote files");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);

    // A dangling assets link stops the copy before the first template, not half way.
    std::fs::remove_file(dir.join("templates")).unwrap();
    std::os::unix::fs::symlink(parent.path().join("gone"), dir.join("assets")).unwrap();
    let before = tree(parent.path());
    let refused = init(&dir, &["--theme"]);
    refused.failure();
    assert!(
        refused.stderr.contains("assets") && !refused.stderr.contains("os error"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        tree(parent.path()),
        before,
        "init --theme copied part of the theme"
    );
}

#[test]
fn init_refuses_control_characters_and_any_other_title_builds() {
    let parent = tempfile::tempdir().unwrap();
    for (flag, value) in [
        ("--title", "Acme\u{7} Advisory"),
        ("--title", "Acme\u{1b}[31m"),
        ("--author", "Acme\u{1} Advisory"),
        ("--description", "Straight\u{7f} answers."),
    ] {
        let dir = parent.path().join("control");
        let refused = init(&dir, &flags_with(flag, value));
        refused.failure();
        assert!(
            refused.stderr.contains("control character") && refused.stderr.contains(flag),
            "{flag} {value:?}: {}",
            refused.stderr
        );
        assert!(!dir.exists(), "{flag} {value:?}: init wrote files");
    }

    // Anything else a title may hold comes back as written.
    for (i, title) in [
        "O'Brien \"&\" Co \\ #1",
        "\"\"\" ''' ]] [x]",
        "Bücher \u{2028} \u{feff} 🦀 <b>",
    ]
    .into_iter()
    .enumerate()
    {
        let dir = parent.path().join(format!("site-{i}"));
        init(&dir, &flags_with("--title", title)).success();
        brief_in(&dir, &["build"]).success();
        let read = brief::config::Config::load(&dir).unwrap();
        assert_eq!(read.title, title);
    }
}

#[test]
fn init_refuses_every_base_url_that_build_refuses() {
    let parent = tempfile::tempdir().unwrap();
    let good = parent.path().join("good");
    init(&good, FLAGS).success();
    for url in [
        "https://exa mple.com/",
        " https://example.com/",
        "https://user:pass@example.com/",
        "https://example.com/?q=1",
        "https://example.com/#top",
        "https://example.com/a\"b/",
        "https://example.com//x/",
    ] {
        let built = brief_in(&good, &["build", "--base-url", url]);
        assert_ne!(built.code, 0, "{url:?}: build took it");
        let dir = parent.path().join("bad");
        let refused = init(&dir, &flags_with("--base-url", url));
        refused.failure();
        assert!(
            refused.stderr.contains(url) && refused.stderr.contains("--base-url"),
            "{url:?}: {}",
            refused.stderr
        );
        // The same reason as build's: one rule.
        let why = built
            .stderr
            .lines()
            .next()
            .unwrap()
            .rsplit(": ")
            .next()
            .unwrap();
        assert!(
            refused.stderr.contains(why),
            "{url:?}: {why:?} not in {}",
            refused.stderr
        );
        assert!(!dir.exists(), "{url:?}: init wrote files");
    }
    // Settings the language rule of site.toml refuses are refused by init too.
    let dir = parent.path().join("lang");
    let refused = init(&dir, &flags_with("--lang", "en GB"));
    refused.failure();
    assert!(refused.stderr.contains("--lang"), "{}", refused.stderr);
    assert!(!dir.exists());
}

/// The install step of the workflow init wrote, run against a release served by a stand-in
/// `gh`: the archive is installed when its checksum matches, and nothing when it does not.
#[cfg(target_os = "linux")]
#[test]
fn the_workflow_installs_the_release_only_when_its_checksum_matches() {
    use std::process::Command;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    init(&dir, FLAGS).success();
    let text = std::fs::read_to_string(dir.join(".github/workflows/publish.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let install = steps
        .iter()
        .find(|s| s["name"].as_str() == Some("Install brief"))
        .unwrap();
    let script = install["run"].as_str().unwrap();
    let version = install["env"]["BRIEF_VERSION"].as_str().unwrap();

    // The release: an archive whose `brief` says its version, and the checksums.
    let work = parent.path();
    let name = format!("brief-v{version}-x86_64-unknown-linux-musl");
    let (release, bin) = (work.join("release"), work.join("bin"));
    std::fs::create_dir_all(work.join(&name)).unwrap();
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    let program = work.join(&name).join("brief");
    std::fs::write(&program, format!("#!/bin/sh\necho 'brief {version}'\n")).unwrap();
    crate::support::set_mode(&program, 0o755);
    let sh = |command: &str| {
        let done = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(work)
            .status();
        assert!(done.unwrap().success(), "{command}");
    };
    sh(&format!("tar -czf release/{name}.tar.gz {name}"));
    sh("cd release && sha256sum brief-* > SHA256SUMS");
    // `gh release download TAG --repo R --dir D --pattern P…`, from the folder above.
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        format!(
            "#!/bin/bash\ndir=; while [ $# -gt 0 ]; do case \"$1\" in --dir) dir=$2; shift;; --pattern) cp {}/\"$2\" \"$dir/\" 2>/dev/null; shift;; esac; shift; done\nls \"$dir\" | grep -q .\n",
            release.display()
        ),
    )
    .unwrap();
    crate::support::set_mode(&gh, 0o755);

    let install = |home: &Path| {
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("PATH", path)
            .env("HOME", home)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_PATH", work.join("github-path"))
            .env("BRIEF_VERSION", version)
            .env("BRIEF_REPOSITORY", "someone/brief")
            .output()
            .unwrap()
    };
    let home = work.join("home");
    let done = install(&home);
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(said.contains(&format!("brief {version}")), "{said}");
    assert!(home.join(".cargo/bin/brief").is_file());

    // An archive that is not the one the checksums name is not installed.
    std::fs::write(release.join(format!("{name}.tar.gz")), "not the release").unwrap();
    let elsewhere = work.join("elsewhere");
    let refused = install(&elsewhere);
    assert!(!refused.status.success());
    assert!(!elsewhere.join(".cargo/bin/brief").exists());
}
