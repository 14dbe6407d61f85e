//! ARCHITECTURE.md stays a map that fits in a head and matches the code: short, naming only
//! paths that exist, and naming every top-level module of `src/`.

use std::path::Path;

/// The most ARCHITECTURE.md may hold; measurements and history go to docs/decisions/.
const MAX_BYTES: usize = 16 * 1024;

/// What a span in backticks starts with when it names a file or folder of this repository.
const REPOSITORY_PATHS: &[&str] = &["src/", "tests/", "docs/", "templates/", "assets/", ".ci/"];

fn architecture() -> String {
    std::fs::read_to_string(crate::support::repo().join("ARCHITECTURE.md")).unwrap()
}

/// The spans in single backticks, outside fenced code blocks.
fn code_spans(text: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            spans.extend(line.split('`').skip(1).step_by(2));
        }
    }
    spans
}

/// The spans that name a path of the repository.
fn named_paths(text: &str) -> Vec<&str> {
    code_spans(text)
        .into_iter()
        .filter(|s| REPOSITORY_PATHS.iter().any(|p| s.starts_with(p)))
        .collect()
}

/// Each `src/x.rs` and `src/x/` but `main` and `lib`.
fn top_level_modules(src: &Path) -> Vec<String> {
    let mut modules: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            if path.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs").map(str::to_string)
            }
        })
        .filter(|m| m != "main" && m != "lib")
        .collect();
    modules.sort();
    modules.dedup();
    modules
}

#[test]
fn architecture_fits_in_sixteen_kilobytes() {
    let size = architecture().len();
    assert!(
        size <= MAX_BYTES,
        "ARCHITECTURE.md is {size} bytes, over {MAX_BYTES}: move measurements and history to docs/decisions/"
    );
}

#[test]
fn every_path_architecture_names_exists() {
    let text = architecture();
    let repo = crate::support::repo();
    let named = named_paths(&text);
    assert!(named.len() > 5, "{named:?}");
    let missing: Vec<&str> = named
        .into_iter()
        .filter(|p| p.contains(char::is_whitespace) || !repo.join(p).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn architecture_names_every_top_level_module() {
    let text = architecture();
    let spans = code_spans(&text);
    let modules = top_level_modules(&crate::support::repo().join("src"));
    assert!(modules.len() > 15, "{modules:?}");
    let unnamed: Vec<&String> = modules
        .iter()
        .filter(|m| {
            !spans
                .iter()
                .any(|s| *s == m.as_str() || s.starts_with(&format!("{m}::")))
        })
        .collect();
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md's code map does not name these modules of src/: {unnamed:?}"
    );
}

#[test]
fn the_docs_test_reads_spans_and_modules_as_meant() {
    let text =
        "`src/a.rs` and `cli`\n```\n`src/fenced.rs`\n```\n`site::plan`, `/assets/`, `docs/x y`";
    assert_eq!(named_paths(text), ["src/a.rs", "docs/x y"]);
    assert_eq!(
        code_spans(text),
        ["src/a.rs", "cli", "site::plan", "/assets/", "docs/x y"]
    );
    let dir = tempfile::tempdir().unwrap();
    for file in ["main.rs", "lib.rs", "cli.rs", "site.rs"] {
        std::fs::write(dir.path().join(file), "").unwrap();
    }
    std::fs::create_dir(dir.path().join("site")).unwrap();
    std::fs::create_dir(dir.path().join("core")).unwrap();
    assert_eq!(top_level_modules(dir.path()), ["cli", "core", "site"]);
}
