//! Where brief may publish: the output's path resolved and checked against the site's own
//! folders, an existing output checked to hold only what brief wrote, and removal that never
//! follows a symbolic link.

use super::manifest::{escape_path, read_manifest, slashed, LEGACY_MANIFEST};
use super::Existing;
use crate::core::layout;
use crate::diagnostic::{Diagnostic, Result};
use std::path::{Component, Path, PathBuf};

/// Refuses an existing output that holds anything brief did not write, unless told to
/// replace it.
pub(super) fn check_owned(target: &Path, shown: &Path, existing: Existing) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    let refuse = |why: String, hint: &str| {
        Diagnostic::error(format!("refusing to publish to {}: {why}", shown.display()))
            .in_file(shown)
            .with_fix(hint.to_string())
    };
    if meta.file_type().is_symlink() {
        let to = std::fs::read_link(target).unwrap_or_default();
        return Err(refuse(
            format!("it is a symbolic link (to {}), and brief replaces the output folder as a whole instead of writing through links", to.display()),
            "give the link's target itself with --output, or remove the link",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            "it exists and is not a folder".into(),
            "move that file away, or choose another folder with --output",
        ));
    }
    if existing == Existing::Replace {
        return Ok(());
    }
    let manifest = read_manifest(target);
    let listed = |rel: &str| {
        rel == LEGACY_MANIFEST
            || manifest
                .as_ref()
                .is_some_and(|files| files.contains_key(rel))
    };
    let mut foreign = Vec::new();
    let walk = walkdir::WalkDir::new(target)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| {
            refuse(
                format!("cannot read it: {e}"),
                "check the folder's permissions, or choose another folder with --output",
            )
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = slashed(entry.path().strip_prefix(target).unwrap_or(entry.path()));
        if !listed(&rel) {
            foreign.push(rel);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    let mut named: Vec<String> = foreign.iter().take(3).map(|f| escape_path(f)).collect();
    if foreign.len() > 3 {
        named.push(format!("and {} more", foreign.len() - 3));
    }
    let why = match manifest {
        None => format!(
            "it is not empty and brief did not build it (it holds {})",
            named.join(", ")
        ),
        Some(_) => format!(
            "it holds {} that brief did not write: {}",
            if foreign.len() == 1 {
                "a file".to_string()
            } else {
                format!("{} files", foreign.len())
            },
            named.join(", ")
        ),
    };
    Err(refuse(
        why,
        "move those files out of the folder (files to publish belong in assets/), choose another folder with --output, or build once with --replace-output to replace the folder and everything in it",
    ))
}

pub(super) fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Removes whatever is at `path`: a folder with everything in it, or a file or link
/// (the link itself, never what it points to).
pub(super) fn remove_entry(path: &Path) {
    if is_real_dir(path) {
        remove_tree(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// Deletes a real folder and everything in it, folders in parallel. Symbolic links inside
/// are removed, never followed.
pub(super) fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries
            .par_iter()
            .for_each(|entry| match entry.file_type() {
                Ok(kind) if kind.is_dir() => remove_tree(&entry.path()),
                _ => {
                    let _ = std::fs::remove_file(entry.path());
                }
            });
    }
    let _ = std::fs::remove_dir(dir);
}

/// Staging folders left by a build that was killed.
pub(super) fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.brief-new-");
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            remove_entry(&entry.path());
        }
    }
}

/// Resolves the output folder and refuses places where replacing it would lose work.
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf> {
    let root = resolve(root);
    let target = resolve(output);
    let refuse = |why: String| {
        Diagnostic::error(format!(
            "refusing to publish to {}: {why}",
            output.display()
        ))
        .with_fix("choose another folder with --output, such as public/")
    };
    if target.parent().is_none() {
        return Err(refuse("it is the file system's root".into()));
    }
    if root.starts_with(&target) {
        return Err(refuse("it is the site's root folder or contains it".into()));
    }
    for source in [layout::CONTENT, layout::TEMPLATES, layout::ASSETS] {
        if target.starts_with(root.join(source)) {
            return Err(refuse(format!("it is inside the site's {source}/ folder")));
        }
    }
    Ok(target)
}

/// An absolute path with `.` and `..` resolved and symbolic links followed in its parent
/// folders (not in its last part: the output itself being a link is refused later).
pub(super) fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let Some(last) = clean.file_name().map(|n| n.to_os_string()) else {
        return clean;
    };
    let mut existing = clean.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut rest = vec![last];
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}
