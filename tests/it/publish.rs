//! The output step under hostile folders, links and races: nothing outside the output
//! changes, nothing brief did not write is replaced, and `public/` is complete at every
//! moment, whatever runs beside it.

use crate::support::{snapshot, symlink, Site};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const TODAY: &str = "2026-11-24";

fn built() -> Site {
    let site = Site::fixture("basic");
    site.brief(&["build", "--today", TODAY]).success();
    site
}

/// A folder of files that are not brief's, and their contents, to show they survive.
fn personal(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::create_dir_all(dir.join("letters")).unwrap();
    std::fs::write(dir.join("index.html"), "my own home page").unwrap();
    std::fs::write(dir.join("letters/2026.txt"), "dear bank").unwrap();
    snapshot(dir)
}

/// Every file name under `dir`, links included (`snapshot` reads only regular files).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_spare_that_is_a_link_leaves_its_target_alone() {
    let site = built();
    let elsewhere = tempfile::tempdir().unwrap();
    let before = personal(elsewhere.path());
    let spare = site.path(".public.brief-spare");
    if spare.exists() {
        std::fs::remove_dir_all(&spare).unwrap();
    }
    symlink(elsewhere.path(), &spare).unwrap();
    site.edit("content/articles/checklist.md", "title:", "title: Edited");
    site.brief(&["build", "--today", TODAY]).success();
    site.brief(&["build", "--today", TODAY]).success();
    assert_eq!(snapshot(elsewhere.path()), before);
    assert!(site
        .read("public/articles/checklist/index.html")
        .contains("Edited"));
}

#[test]
fn a_hard_linked_backup_of_the_output_never_changes() {
    let site = built();
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("snapshot");
    let status = Command::new("cp")
        .arg("-al")
        .arg(site.path("public"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    let before = snapshot(&copy);
    for word in ["First", "Second", "Third"] {
        site.edit(
            "content/articles/checklist.md",
            "title: ",
            &format!("title: {word} "),
        );
        site.edit(
            "site.toml",
            "is the next step",
            &format!("is the next step {word}"),
        );
        site.brief(&["build", "--today", TODAY]).success();
    }
    assert!(site
        .read("public/contact/index.html")
        .contains("the next step Third"));
    assert_eq!(
        snapshot(&copy),
        before,
        "the hard-linked copy was written through"
    );
}

#[test]
fn a_folder_brief_did_not_build_is_refused_whatever_it_holds() {
    let site = built();
    let mine = site.path("mine");
    let before = personal(&mine);
    let run = site.brief(&[
        "build",
        "--today",
        TODAY,
        "--output",
        mine.to_str().unwrap(),
    ]);
    run.failure();
    assert!(
        run.stderr.contains("brief did not build it"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--replace-output"), "{}", run.stderr);
    assert_eq!(snapshot(&mine), before);

    // Another site's templates, and this site's own templates reached through a link.
    let other = Site::fixture("basic");
    let theirs = other.path("templates");
    let before = snapshot(&theirs);
    site.brief(&[
        "build",
        "--today",
        TODAY,
        "--output",
        theirs.to_str().unwrap(),
    ])
    .failure();
    assert_eq!(snapshot(&theirs), before);
    let before = snapshot(&site.path("templates"));
    symlink(site.path("templates"), site.path("linked")).unwrap();
    let run = site.brief(&["build", "--today", TODAY, "--output", "linked"]);
    run.failure();
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(snapshot(&site.path("templates")), before);

    // Said explicitly, the folder is replaced.
    site.brief(&[
        "build",
        "--today",
        TODAY,
        "--output",
        mine.to_str().unwrap(),
        "--replace-output",
    ])
    .success();
    assert!(!mine.join("letters").exists());
    assert!(mine.join("articles/checklist/index.html").exists());
}

#[test]
fn a_file_put_into_the_output_stops_the_build_and_survives() {
    let site = built();
    site.write("public/CNAME", "advice.example");
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr
            .contains("a file that brief did not write: CNAME"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("public/CNAME"), "advice.example");
}

#[test]
fn the_manifest_beside_the_output_lists_every_file_brief_wrote() {
    let site = built();
    // Beside the output, so that no upload of public/ publishes it.
    assert!(!site.path("public/.brief-manifest").exists());
    let manifest = site.read(".public.brief-manifest");
    let mut listed: Vec<String> = manifest
        .lines()
        .skip(1)
        .map(|l| l.splitn(5, ' ').nth(4).unwrap().to_string())
        .collect();
    listed.sort();
    let mut files = names(&site.path("public"));
    files.retain(|f| site.path("public").join(f).is_file());
    assert_eq!(listed, files);
}

#[test]
fn two_builds_of_one_site_publish_the_same_bytes_and_an_old_inner_manifest_is_taken_over() {
    let site = built();
    let first = crate::support::snapshot(&site.path("public"));
    // An output as an earlier brief left it: its record inside, where uploads found it.
    std::fs::rename(
        site.path(".public.brief-manifest"),
        site.path("public/.brief-manifest"),
    )
    .unwrap();
    site.brief(&["build", "--today", TODAY, "--output", "other"])
        .success();
    site.brief(&["build", "--today", TODAY]).success();
    assert!(!site.path("public/.brief-manifest").exists());
    assert_eq!(crate::support::snapshot(&site.path("public")), first);
    assert_eq!(crate::support::snapshot(&site.path("other")), first);
}

/// The names under public/ that make the site.
fn site_files(site: &Site) -> Vec<String> {
    names(&site.path("public"))
}

/// A site big enough that a build takes a while, so that two of them overlap.
fn larger() -> Site {
    let site = Site::fixture("basic");
    for i in 0..400 {
        let body = "A paragraph of advice that goes on for a while. ".repeat(40);
        site.write(
            &format!("content/articles/note-{i:03}.md"),
            &format!("---\ntitle: Note {i}\ndate: 2026-01-01\ncurrent_as_at: 2026-01-01\ntags: [t{}]\n---\n\n## Part\n\n{body}\n", i % 20),
        );
    }
    site
}

fn spawn_build(site: &Site) -> Child {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.root())
        .env_remove("BRIEF_BASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Watches `public/` until `done` says stop, and returns every moment it was not the
/// complete site (`expected` files).
fn watch_output(site: &Site, expected: &[String], mut done: impl FnMut() -> bool) -> Vec<String> {
    let mut incomplete = Vec::new();
    let mut looks = 0;
    while !done() || looks < 3 {
        looks += 1;
        let now = site_files(site);
        if now != expected {
            incomplete.push(format!("{} files instead of {}", now.len(), expected.len()));
        }
    }
    incomplete
}

#[test]
fn two_builds_at_once_keep_the_output_complete() {
    let site = larger();
    site.brief(&["build", "--today", TODAY]).success();
    let expected = site_files(&site);
    let mut a = spawn_build(&site);
    let mut b = spawn_build(&site);
    let (mut a_done, mut b_done) = (None, None);
    let incomplete = watch_output(&site, &expected, || {
        if a_done.is_none() {
            a_done = a.try_wait().unwrap();
        }
        if b_done.is_none() {
            b_done = b.try_wait().unwrap();
        }
        a_done.is_some() && b_done.is_some()
    });
    assert!(
        incomplete.is_empty(),
        "public/ was incomplete: {incomplete:?}"
    );
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".brief-new-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_build_killed_beside_another_leaves_the_output_complete() {
    let site = larger();
    site.brief(&["build", "--today", TODAY]).success();
    let expected = site_files(&site);
    site.edit("site.toml", "One conversation", "Another conversation");
    // Two builds at once, one killed at some point of its run: the other still publishes
    // a complete site, and the killed one leaves nothing half-done in public/.
    for delay_ms in [5, 40, 120, 300] {
        let mut victim = spawn_build(&site);
        let mut other = spawn_build(&site);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = victim.kill();
        let _ = victim.wait();
        assert!(other.wait().unwrap().success());
        assert_eq!(site_files(&site), expected, "after a kill at {delay_ms} ms");
    }
    site.brief(&["build", "--today", TODAY]).success();
    assert!(site
        .read("public/contact/index.html")
        .contains("Another conversation"));
}
