//! brief on every desktop: no Unix-only call outside a `#[cfg]` (so the crate and its tests
//! compile for Windows), the portable paths run here too (`BRIEF_PORTABLE_PATHS=1`), and a
//! name Windows cannot hold is an error at its source on every system.

use crate::support::{repo, Site};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-24";

// ---------------------------------------------------------------------------------------
// The check: each Unix-only name stands in code that Windows does not compile, each
// Windows-only one in code that Unix does not.

/// What only one family of systems has. A trait named without its path (`MetadataExt`)
/// belongs to the family its statement names (`std::os::windows::…` or else Unix).
const UNIX_ONLY: &[&str] = &[
    "std::os::unix",
    "os::unix::",
    "std::os::linux",
    "std::os::fd",
    "tokio::signal::unix",
    "rustix::",
    "libc::",
    "nix::",
    "MetadataExt",
    "OpenOptionsExt",
    "FileExt",
    "FileTypeExt",
    "PermissionsExt",
    "DirBuilderExt",
    "AsRawFd",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Unix,
    Windows,
}

/// A `cfg` predicate's value on `family`: `Some(false)` when that family never compiles
/// the code, `None` when it depends on something else (a feature, `test`, a Unix flavour).
fn holds(predicate: &str, family: Family) -> Option<bool> {
    let tokens = cfg_tokens(predicate);
    let mut at = 0;
    let value = cfg_value(&tokens, &mut at, family);
    match at == tokens.len() {
        true => value,
        false => None,
    }
}

fn cfg_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | ')' | ',' | '=' => tokens.push(c.to_string()),
            '"' => {
                let mut s = String::from('"');
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                    s.push(d);
                }
                tokens.push(s);
            }
            c if c.is_whitespace() => {}
            c => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(word);
            }
        }
    }
    tokens
}

fn cfg_value(tokens: &[String], at: &mut usize, family: Family) -> Option<bool> {
    let word = tokens.get(*at)?.clone();
    *at += 1;
    if tokens.get(*at).is_some_and(|t| t == "(") {
        *at += 1;
        let mut values = Vec::new();
        while tokens.get(*at).is_some_and(|t| t != ")") {
            values.push(cfg_value(tokens, at, family));
            if tokens.get(*at).is_some_and(|t| t == ",") {
                *at += 1;
            }
        }
        *at += 1;
        return match word.as_str() {
            "not" => values.first().copied().flatten().map(|v| !v),
            "all" if values.contains(&Some(false)) => Some(false),
            "all" if values.iter().all(|v| *v == Some(true)) => Some(true),
            "any" if values.contains(&Some(true)) => Some(true),
            "any" if values.iter().all(|v| *v == Some(false)) => Some(false),
            _ => None,
        };
    }
    if tokens.get(*at).is_some_and(|t| t == "=") {
        let value = tokens.get(*at + 1)?.trim_start_matches('"').to_string();
        *at += 2;
        return match (word.as_str(), family) {
            ("target_os", Family::Windows) => Some(value == "windows"),
            ("target_os", Family::Unix) => (value == "windows").then_some(false),
            ("target_family", Family::Windows) => Some(value == "windows"),
            ("target_family", Family::Unix) => Some(value == "unix"),
            _ => None,
        };
    }
    match word.as_str() {
        "unix" => Some(family == Family::Unix),
        "windows" => Some(family == Family::Windows),
        _ => None,
    }
}

/// `text` with its comments and the insides of its string and character literals blanked,
/// lines kept: what is left is code.
fn code_of(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        if b[i] == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if b[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if b[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            let hashes = b[i + 1..].iter().take_while(|c| **c == '#').count();
            if b.get(i + 1 + hashes) != Some(&'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            out.push('"');
            i += 2 + hashes;
            while i < b.len() {
                let closes = b[i] == '"' && (1..=hashes).all(|k| b.get(i + k) == Some(&'#'));
                if closes {
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(b[i]));
                i += 1;
            }
            out.push('"');
        } else if b[i] == '"' {
            out.push('"');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if b[i] == '\'' {
            // A character literal ('x', '\n', '\u{1}'), or a lifetime ('a), left as code.
            let end = match next {
                Some('\\') => b
                    .get(i + 3..)
                    .and_then(|t| t.iter().position(|c| *c == '\''))
                    .map(|p| i + 3 + p),
                Some(_) if b.get(i + 2) == Some(&'\'') => Some(i + 2),
                _ => None,
            };
            match end {
                Some(end) => {
                    out.push_str(&" ".repeat(end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// One Unix-only (or Windows-only) name found where the other family compiles it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Ungated {
    line: usize,
    name: String,
}

/// Scans one file's code; `gated` for a file its parent declares under a `#[cfg]` that
/// leaves out `family`. Also returns the modules declared (`mod x;`) with the families
/// that leave them out.
fn scan(text: &str) -> (Vec<Ungated>, Vec<(String, Vec<Family>)>) {
    let code = code_of(text);
    let c: Vec<char> = code.chars().collect();
    // For each open bracket: the families its code is left out on.
    let mut stack: Vec<Vec<Family>> = vec![Vec::new()];
    // An attribute's exclusions waiting for their item: (exclusions, bracket depth).
    let mut pending: Option<(Vec<Family>, usize)> = None;
    // An item's block opened at this depth ends its attribute when it closes.
    let mut pending_block: Option<usize> = None;
    let mut whole_file: Vec<Family> = Vec::new();
    let mut found = Vec::new();
    let mut modules = Vec::new();
    let mut statement_start = 0;
    let mut i = 0;
    let excluded = |stack: &Vec<Vec<Family>>, pending: &Option<(Vec<Family>, usize)>| {
        let mut all: Vec<Family> = stack.iter().flatten().copied().collect();
        if let Some((p, _)) = pending {
            all.extend(p);
        }
        all
    };
    while i < c.len() {
        let rest: String = c[i..c.len().min(i + 40)].iter().collect();
        if rest.starts_with("#[cfg(") || rest.starts_with("#![cfg(") {
            let open = i + rest.find('(').unwrap_or(0);
            let mut depth = 0;
            let mut end = open;
            for (k, ch) in c[open..].iter().enumerate() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = open + k;
                    break;
                }
            }
            let predicate: String = c[open + 1..end].iter().collect();
            let out: Vec<Family> = [Family::Unix, Family::Windows]
                .into_iter()
                .filter(|f| holds(&predicate, *f) == Some(false))
                .collect();
            if rest.starts_with("#!") && stack.len() == 1 {
                whole_file.extend(out);
            } else if !out.is_empty() {
                let mut all = pending.take().map(|p| p.0).unwrap_or_default();
                all.extend(out);
                pending = Some((all, stack.len()));
                pending_block = None;
            }
            // Past the attribute's closing `]`, which opened no bracket here.
            i = end + 1 + usize::from(c.get(end + 1) == Some(&']'));
            statement_start = i;
            continue;
        }
        match c[i] {
            '{' | '(' | '[' => {
                let mut out = excluded(&stack, &pending);
                out.dedup();
                if pending.as_ref().is_some_and(|p| p.1 == stack.len()) && c[i] == '{' {
                    pending_block.get_or_insert(stack.len());
                }
                stack.push(out);
                // `use a::{b, c}` is one statement; a block starts a new one.
                if c[i] == '{' && !(i >= 2 && c[i - 2..i] == [':', ':']) {
                    statement_start = i + 1;
                }
            }
            '}' | ')' | ']' => {
                if stack.len() > 1 {
                    stack.pop();
                }
                if c[i] == '}' && pending_block == Some(stack.len()) {
                    pending = None;
                    pending_block = None;
                }
                if pending.as_ref().is_some_and(|p| p.1 > stack.len()) {
                    pending = None;
                    pending_block = None;
                }
                if c[i] == '}' {
                    statement_start = i + 1;
                }
            }
            ';' | ',' => {
                if pending.as_ref().is_some_and(|p| p.1 == stack.len()) {
                    pending = None;
                    pending_block = None;
                }
                if c[i] == ';' {
                    statement_start = i + 1;
                }
            }
            _ => {}
        }
        let line = || c[..i].iter().filter(|ch| **ch == '\n').count() + 1;
        let at_word = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if at_word && rest.starts_with("mod ") {
            let name: String = c[i + 4..]
                .iter()
                .take_while(|ch| ch.is_alphanumeric() || **ch == '_')
                .collect();
            let after = c[i + 4 + name.len()..]
                .iter()
                .find(|ch| !ch.is_whitespace());
            if after == Some(&';') {
                let mut out = excluded(&stack, &pending);
                out.extend(&whole_file);
                modules.push((name, out));
            }
        }
        if at_word {
            if let Some(name) = UNIX_ONLY.iter().find(|n| rest.starts_with(**n)) {
                let statement: String = c[statement_start..i].iter().collect();
                let family = match statement.contains("windows") {
                    true => Family::Windows,
                    false => Family::Unix,
                };
                let needed = match family {
                    Family::Unix => Family::Windows,
                    Family::Windows => Family::Unix,
                };
                let mut out = excluded(&stack, &pending);
                out.extend(&whole_file);
                let seen = found.last().is_some_and(|u: &Ungated| u.line == line());
                if !out.contains(&needed) && !seen {
                    found.push(Ungated {
                        line: line(),
                        name: name.to_string(),
                    });
                }
                i += name.len();
                continue;
            }
        }
        i += 1;
    }
    (found, modules)
}

/// Every `.rs` file under `dir` with the names it holds outside a fitting `#[cfg]`,
/// following module declarations so that a file declared under a `#[cfg]` counts as gated.
fn ungated_in(dir: &Path) -> Vec<(PathBuf, Ungated)> {
    let mut gated_modules: BTreeSet<PathBuf> = BTreeSet::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut results = Vec::new();
    for file in &files {
        let (found, modules) = scan(&std::fs::read_to_string(file).unwrap());
        let folder = match file
            .file_stem()
            .is_some_and(|s| s == "mod" || s == "main" || s == "lib")
        {
            true => file.parent().unwrap().to_path_buf(),
            false => file.with_extension(""),
        };
        for (name, out) in modules {
            if out.contains(&Family::Windows) {
                gated_modules.insert(folder.join(&name));
            }
        }
        results.push((file.clone(), found));
    }
    let mut all = Vec::new();
    for (file, found) in results {
        let gated = gated_modules
            .iter()
            .any(|m| file.starts_with(m) || file.with_extension("") == *m);
        if !gated {
            all.extend(found.into_iter().map(|u| (file.clone(), u)));
        }
    }
    all
}

#[test]
fn no_unix_only_call_stands_outside_a_cfg() {
    let root = repo();
    let mut ungated = ungated_in(&root.join("src"));
    ungated.extend(ungated_in(&root.join("tests")));
    let listed: Vec<String> = ungated
        .iter()
        .map(|(file, u)| {
            let file = file.strip_prefix(&root).unwrap_or(file);
            format!("{}:{}: {}", file.display(), u.line, u.name)
        })
        .collect();
    assert!(
        listed.is_empty(),
        "Unix-only calls outside a #[cfg(unix)] (put each behind one, with a portable path beside it in src/platform.rs):\n{}",
        listed.join("\n")
    );
}

#[test]
fn unix_only_crates_are_target_dependencies() {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
        for name in ["rustix", "libc", "nix"] {
            assert!(
                manifest.get(table).and_then(|t| t.get(name)).is_none(),
                "{name} is in [{table}]; make it [target.'cfg(unix)'.{table}]"
            );
        }
    }
}

#[test]
fn the_check_sees_through_comments_strings_and_attributes() {
    let names = |text: &str| -> Vec<usize> { scan(text).0.into_iter().map(|u| u.line).collect() };
    // Outside any cfg, in a function, in a `use`: found.
    assert_eq!(
        names("fn f() {\n    std::os::unix::fs::symlink(a, b);\n}\n"),
        [2]
    );
    assert_eq!(names("use std::os::unix::fs::MetadataExt;\n"), [1]);
    assert_eq!(names("fn f() { if cfg!(unix) { rustix::fs::x(); } }"), [1]);
    // Under a cfg that leaves Windows out: not found, however it is written.
    assert!(names("#[cfg(unix)]\nfn f() {\n    rustix::x();\n}\n").is_empty());
    assert!(names("#[cfg(all(test, unix))]\nmod tests {\n    use libc::x;\n}\n").is_empty());
    assert!(names("#[cfg(target_os = \"linux\")]\nuse rustix::fs;\n").is_empty());
    assert!(names(
        "fn f() {\n    #[cfg(unix)]\n    let i = std::os::unix::fs::MetadataExt::ino(m);\n}\n"
    )
    .is_empty());
    assert!(names("#![cfg(unix)]\nuse std::os::unix::fs::symlink;\n").is_empty());
    // A cfg that does not leave Windows out gates nothing, and ends with its item.
    assert_eq!(
        names("#[cfg(not(windows))]\nuse libc::a;\n#[cfg(test)]\nuse libc::b;\n"),
        [4]
    );
    assert_eq!(names("#[cfg(not(unix))]\nuse libc::a;\n"), [2]);
    assert_eq!(
        names("#[cfg(unix)]\nfn f() {}\nfn g() { libc::x(); }\n"),
        [3]
    );
    assert_eq!(names("#[cfg(unix)]\nuse a;\nuse libc::b;\n"), [3]);
    // Comments, doc comments, strings, raw strings and characters are not code.
    assert!(names("// std::os::unix\n/// rustix::fs\n/* libc::x /* nested */ */\nfn f() { let s = \"std::os::unix\"; let r = r#\"libc::\"#; let c = '\"'; }\n").is_empty());
    // The Windows family's names want the opposite gate.
    assert_eq!(names("use std::os::windows::fs::OpenOptionsExt;\n"), [1]);
    assert!(names("#[cfg(windows)]\nuse std::os::windows::fs::OpenOptionsExt;\n").is_empty());
    assert_eq!(
        names("#[cfg(windows)]\nuse std::os::unix::fs::OpenOptionsExt;\n"),
        [2]
    );
    assert!(
        names("#[cfg(windows)]\nuse std::os::windows::fs::{MetadataExt, OpenOptionsExt};\n")
            .is_empty()
    );
    // A module declared under a cfg.
    assert_eq!(
        scan("#[cfg(unix)]\nmod only_unix;\nmod everywhere;\n").1,
        [
            ("only_unix".to_string(), vec![Family::Windows]),
            ("everywhere".to_string(), vec![])
        ]
    );
}

// ---------------------------------------------------------------------------------------
// The portable paths, run here.

fn portable(site: &Site, args: &[&str]) -> crate::support::Run {
    site.brief_with_env(args, &[("BRIEF_PORTABLE_PATHS", "1")])
}

#[test]
fn the_portable_paths_build_and_rebuild_a_site() {
    let site = Site::fixture("basic");
    let build = ["build", "--today", TODAY];
    portable(&site, &build).success();
    portable(&site, &build).success();
    site.edit("content/articles/checklist.md", "title:", "title: Edited");
    // Two renames instead of an exchange; the spare's files known by size, creation and
    // modification time instead of inode.
    let third = portable(&site, &build);
    third.success();
    assert!(site
        .read("public/articles/checklist/index.html")
        .contains("Edited"));
    // A file touched in the spare is not vouched for.
    let spare = site.path(".public.brief-spare/index.html");
    std::fs::write(&spare, "touched").unwrap();
    portable(&site, &build).success();
    portable(&site, &build).success();
    assert!(site.read("public/index.html").contains("<html"));
    // The manifest knows each file by its creation time, not its inode.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let manifest = site.read(".public.brief-manifest");
        let line = manifest
            .lines()
            .find(|l| l.ends_with(" index.html"))
            .unwrap();
        let identity: u64 = line.split(' ').nth(2).unwrap().parse().unwrap();
        let meta = std::fs::metadata(site.path("public/index.html")).unwrap();
        assert_ne!(identity, meta.ino(), "{line}");
    }
    // Built the Unix way after the portable one: the same site.
    let before = crate::support::snapshot(&site.path("public"));
    site.brief(&build).success();
    assert_eq!(crate::support::snapshot(&site.path("public")), before);
}

#[test]
fn the_portable_paths_keep_the_image_cache() {
    let site = crate::images::site();
    let build = ["build", "--today", TODAY];
    portable(&site, &build).success();
    let cached = site.path(".brief-cache/images");
    let first: Vec<_> = crate::support::snapshot(&cached);
    assert!(!first.is_empty());
    portable(&site, &build).success();
    assert_eq!(crate::support::snapshot(&cached), first);
}

#[cfg(unix)]
#[test]
fn the_portable_paths_refuse_a_named_pipe_without_waiting() {
    let site = Site::fixture("basic");
    let pipe = site.path("content/articles/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let run = portable(&site, &["build", "--today", TODAY]);
    run.failure();
    assert!(
        run.stderr
            .contains("this is not a file, not a regular file")
            && run.stderr.contains("content/articles/pipe.md"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn the_portable_lock_refuses_a_link() {
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("lock");
    std::os::unix::fs::symlink(&target, site.path(".public.brief-lock")).unwrap();
    let run = portable(&site, &["build", "--today", TODAY]);
    assert_ne!(run.code, 0);
    // The portable look, not O_NOFOLLOW's "too many levels of symbolic links".
    assert!(
        run.stderr
            .contains("it is a symbolic link, which brief does not follow here"),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "the lock was made through the link");
}

// ---------------------------------------------------------------------------------------
// Names Windows cannot hold, refused at their source on every system.

fn refused(site: &Site) -> String {
    let run = site.brief(&["build", "--today", TODAY]);
    run.failure();
    run.stderr.clone()
}

#[test]
fn a_content_file_windows_cannot_hold_is_an_error_naming_it() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/aux.md",
        "---\ntitle: Aux\ndate: 2026-01-01\n---\nx\n",
    );
    let e = refused(&site);
    assert!(
        e.contains("the file name `aux.md` is a name Windows keeps for a device")
            && e.contains("content/articles/aux.md")
            && e.contains("rename the file `aux-1.md`"),
        "{e}"
    );
}

#[test]
fn a_content_folder_windows_cannot_hold_is_an_error_naming_it() {
    let site = Site::fixture("basic");
    site.write("content/Con/page.md", "---\ntitle: Page\n---\nx\n");
    let e = refused(&site);
    assert!(
        e.contains("the folder name `Con` is a name Windows keeps for a device")
            && e.contains("rename the folder `Con-1`"),
        "{e}"
    );
    let site = Site::fixture("basic");
    site.write("content/drafts./page.md", "---\ntitle: Page\n---\nx\n");
    let e = refused(&site);
    assert!(
        e.contains("the folder name `drafts.` ends with a dot or a space")
            && e.contains("rename the folder `drafts`"),
        "{e}"
    );
}

#[test]
fn an_asset_windows_cannot_hold_is_an_error_naming_it() {
    let site = Site::fixture("basic");
    site.write(
        "assets/logo:dark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let e = refused(&site);
    assert!(
        e.contains("the file name `logo:dark.svg` holds a character Windows does not allow")
            && e.contains("assets/logo:dark.svg")
            && e.contains("rename the file `logo-dark.svg`"),
        "{e}"
    );
}

#[test]
fn a_slug_or_alias_windows_cannot_hold_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/fine.md",
        "---\ntitle: Fine\ndate: 2026-01-01\nslug: nul\naliases: [/old/com1.html]\n---\nx\n",
    );
    let e = refused(&site);
    assert!(
        e.contains("slug `nul` is a name Windows keeps for a device")
            && e.contains("content/articles/fine.md:4"),
        "{e}"
    );
    assert!(
        e.contains("alias `/old/com1.html` is a name Windows keeps for a device")
            && e.contains("content/articles/fine.md:5"),
        "{e}"
    );
}

#[test]
fn a_tag_or_a_dated_name_windows_cannot_hold_is_an_error_at_its_source() {
    let site = Site::fixture("basic");
    site.edit(
        "content/articles/checklist.md",
        "tags: [production]",
        "tags: [production, Con]",
    );
    let e = refused(&site);
    assert!(
        e.contains("tag `Con` has the address /tags/con/, and `con` is a name Windows keeps")
            && e.contains("content/articles/checklist.md:7")
            && !e.contains("bug in brief"),
        "{e}"
    );
    let site = Site::fixture("basic");
    site.write(
        "content/articles/2026-01-05-aux.md",
        "---\ntitle: Aux\ncurrent_as_at: 2026-01-05\n---\nx\n",
    );
    let e = refused(&site);
    assert!(
        e.contains("this file's name makes the address `aux`, which is a name Windows keeps")
            && e.contains("content/articles/2026-01-05-aux.md")
            && e.contains("set `slug: aux-1`"),
        "{e}"
    );
}
