//! The crate's floors: each top-level module of `src/` (a room: `src/x.rs` with `src/x/`)
//! sits on one floor, and imports only rooms on its own floor or below, never in a circle.
//! ARCHITECTURE.md describes the same floors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The floors, top first.
const FLOORS: &[(&str, &[&str])] = &[
    ("the command line", &["cli", "cmd", "init", "scaffold"]),
    ("checks, preview and review", &["check", "serve", "review"]),
    ("the site", &["site"]),
    ("rendering", &["render", "markdown", "feeds", "search"]),
    (
        "loading",
        &[
            "config",
            "content",
            "frontmatter",
            "section",
            "secrets",
            "images",
            "theme",
        ],
    ),
    ("output", &["output"]),
    (
        "the core",
        &["core", "diagnostic", "html", "platform", "yaml"],
    ),
];

/// The rooms each room imports (`crate::room`, `crate::{room, …}`), its tests left out.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut rooms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let room = first.to_string_lossy().trim_end_matches(".rs").to_string();
        if room == "main" || room == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or(&text);
        let found = rooms.entry(room.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or("");
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(|item| item.trim().split(['{', ':', ' ']).next().unwrap_or(""))
                        .collect(),
                    None => vec![rest
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")],
                };
                found.extend(
                    names
                        .into_iter()
                        .filter(|n| !n.is_empty() && *n != room && *n != "self")
                        .map(str::to_string),
                );
            }
        }
    }
    let known: BTreeSet<String> = rooms.keys().cloned().collect();
    for used in rooms.values_mut() {
        used.retain(|r| known.contains(r));
    }
    rooms
}

fn floor_of(room: &str) -> Option<usize> {
    FLOORS.iter().position(|(_, rooms)| rooms.contains(&room))
}

#[test]
fn every_room_imports_only_its_own_floor_or_those_below_and_never_in_a_circle() {
    let rooms = imports(&crate::support::repo().join("src"));
    assert!(rooms.len() > 15, "{rooms:?}");
    let mut wrong = Vec::new();
    for (room, used) in &rooms {
        let Some(floor) = floor_of(room) else {
            wrong.push(format!(
                "`{room}` is on no floor: add it to FLOORS (and ARCHITECTURE.md)"
            ));
            continue;
        };
        for other in used {
            if floor_of(other).is_some_and(|f| f < floor) {
                wrong.push(format!(
                    "`{room}` ({}) imports `{other}` ({}), a floor above it",
                    FLOORS[floor].0,
                    FLOORS[floor_of(other).unwrap()].0
                ));
            }
        }
    }
    // A circle: a room that reaches itself through its imports.
    for start in rooms.keys() {
        let mut seen = BTreeSet::new();
        let mut next: Vec<&String> = rooms[start].iter().collect();
        while let Some(room) = next.pop() {
            if room == start {
                wrong.push(format!(
                    "`{start}` imports itself through a circle of rooms"
                ));
                break;
            }
            if seen.insert(room) {
                next.extend(rooms.get(room).into_iter().flatten());
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_floor_test_sees_an_import_that_goes_up() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::write(src.join("lib.rs"), "mod core;\nmod site;\n").unwrap();
    std::fs::write(src.join("site.rs"), "use crate::core::layout;\n").unwrap();
    std::fs::create_dir(src.join("core")).unwrap();
    std::fs::write(
        src.join("core/model.rs"),
        "use crate::{diagnostic, site::Site};\n// crate::cli in a comment\n#[cfg(test)]\nmod tests { use crate::check; }\n",
    )
    .unwrap();
    let rooms = imports(src);
    assert_eq!(rooms["site"], BTreeSet::from(["core".to_string()]));
    assert_eq!(rooms["core"], BTreeSet::from(["site".to_string()]));
}
