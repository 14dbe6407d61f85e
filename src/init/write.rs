//! Writing a new site's files, all or nothing: every destination is looked at before the
//! first file is written, none is reached through a symbolic link, and a failure part way
//! removes what was written, leaving every file and folder that was there before as it was.

use crate::diagnostic::{Diagnostic, Result};
use std::borrow::Cow;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// A file to write, relative to the site's folder, and its bytes.
pub(super) type NewFile = (PathBuf, Cow<'static, [u8]>);

/// What is at a file's place in the site.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// Nothing: the file can be written.
    Free,
    /// Something already is (a file, a folder or a link): brief init never replaces it.
    Taken,
}

/// Where `rel` would go under `dir`. Each folder on the way must be a real folder or not be
/// there yet: a symbolic link would take the file to a folder outside the site (or, left
/// dangling, stop the copy half way), and a file cannot hold one.
pub(super) fn place(dir: &Path, rel: &Path) -> Result<Place> {
    if dir.symlink_metadata().is_ok() && dir.metadata().is_err() {
        return Err(Diagnostic::error(
            "this is a symbolic link to nothing: it cannot hold the site",
        )
        .in_file(dir)
        .with_fix("remove the link, or give the folder it should point to"));
    }
    let mut at = dir.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        let meta = match at.symlink_metadata() {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Place::Free),
            Err(e) => {
                return Err(Diagnostic::error(format!("cannot look at this path: {e}"))
                    .in_file(&at)
                    .with_fix("check that the site's folder is one you may read"))
            }
        };
        if parts.peek().is_none() {
            return Ok(Place::Taken);
        }
        if meta.file_type().is_symlink() {
            return Err(Diagnostic::error(
                "this is a symbolic link, and brief init never writes through one: what it writes stays inside the site's folder",
            )
            .in_file(&at)
            .with_fix("replace the link with a real folder, or remove it, then run brief init again"));
        }
        if !meta.is_dir() {
            return Err(Diagnostic::error(format!(
                "this is a file, where brief init needs a folder for {}",
                rel.display()
            ))
            .in_file(&at)
            .with_fix("move the file away, or start the site in a new folder"));
        }
    }
    Ok(Place::Taken)
}

/// Writes every file under `dir` (made if missing); each must be [`Place::Free`]. On a
/// failure, removes every file and folder it made before returning the error.
pub(super) fn write_all(dir: &Path, files: Vec<NewFile>) -> Result<Vec<PathBuf>> {
    let mut made = Made::default();
    for (rel, bytes) in &files {
        let target = dir.join(rel);
        let written = made
            .folders_for(&target)
            .and_then(|()| made.file(&target, bytes));
        if let Err(e) = written {
            let undone = made.undo();
            let fix = match undone {
                Ok(()) => "nothing was kept of this run; check that the folder is writable and the disk is not full, then run brief init again".to_string(),
                Err(left) => format!(
                    "check that the folder is writable and the disk is not full; brief could not remove {} it had already written, so remove it before running brief init again",
                    left.display()
                ),
            };
            return Err(Diagnostic::error(format!("cannot write the file: {e}"))
                .in_file(&target)
                .with_fix(fix));
        }
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// What a run made, in order, so that a failure can take it back.
#[derive(Default)]
struct Made {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Made {
    /// Makes the folders `file` needs, outermost first, recording each one made.
    fn folders_for(&mut self, file: &Path) -> std::io::Result<()> {
        let Some(parent) = file.parent() else {
            return Ok(());
        };
        let missing: Vec<&Path> = parent
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && p.symlink_metadata().is_err())
            .collect();
        for folder in missing.into_iter().rev() {
            std::fs::create_dir(folder)?;
            self.folders.push(folder.to_path_buf());
        }
        Ok(())
    }

    /// Writes a file that must not exist yet (`create_new` also refuses a link put there
    /// since the places were looked at).
    fn file(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        self.files.push(path.to_path_buf());
        file.write_all(bytes)
    }

    /// Removes what was made, newest first; the first thing it could not remove otherwise.
    fn undo(self) -> std::result::Result<(), PathBuf> {
        let mut left = None;
        for file in self.files.iter().rev() {
            if std::fs::remove_file(file).is_err() {
                left.get_or_insert_with(|| file.clone());
            }
        }
        // remove_dir removes only an empty folder: never anything someone else put there.
        for folder in self.folders.iter().rev() {
            if std::fs::remove_dir(folder).is_err() {
                left.get_or_insert_with(|| folder.clone());
            }
        }
        left.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path under `dir` with what it is and holds.
    fn tree(dir: &Path) -> Vec<(PathBuf, String)> {
        let mut all = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(folder) = todo.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let kind = path.symlink_metadata().unwrap().file_type();
                let what = if kind.is_dir() {
                    todo.push(path.clone());
                    "folder".to_string()
                } else if kind.is_symlink() {
                    format!("link to {}", std::fs::read_link(&path).unwrap().display())
                } else {
                    std::fs::read_to_string(&path).unwrap()
                };
                all.push((path.strip_prefix(dir).unwrap().to_path_buf(), what));
            }
        }
        all.sort();
        all
    }

    fn file(path: &str, text: &'static str) -> NewFile {
        (PathBuf::from(path), Cow::Borrowed(text.as_bytes()))
    }

    #[test]
    fn a_failure_part_way_removes_what_was_written_and_only_that() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("new/site");
        std::fs::create_dir_all(parent.path().join("new/site/content")).unwrap();
        std::fs::write(parent.path().join("new/site/content/mine.md"), "mine").unwrap();
        let before = tree(parent.path());
        // A name longer than any file system allows fails after the others were written.
        let too_long = format!("content/{}.md", "x".repeat(300));
        let files = vec![
            file("site.toml", "title = 'x'"),
            file("content/articles/a.md", "a"),
            file(".github/workflows/publish.yml", "on: push"),
            (PathBuf::from(&too_long), Cow::Borrowed(b"".as_slice())),
        ];
        for (rel, _) in &files[..3] {
            assert_eq!(place(&dir, rel).unwrap(), Place::Free);
        }
        let e = write_all(&dir, files).unwrap_err();
        assert!(e.message.starts_with("cannot write the file"), "{e:?}");
        assert!(e.fix.unwrap().contains("nothing was kept"));
        assert_eq!(tree(parent.path()), before);

        // Into a folder that is not there yet: the folder goes too.
        let fresh = parent.path().join("fresh/site");
        let files = vec![
            file("site.toml", "x"),
            (PathBuf::from(&too_long), Cow::Borrowed(b"".as_slice())),
        ];
        write_all(&fresh, files).unwrap_err();
        assert_eq!(tree(parent.path()), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_file_on_the_way_is_refused_and_a_taken_place_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.join("templates")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("assets")).unwrap();
        std::fs::write(dir.join("content"), "a file").unwrap();
        std::fs::write(dir.join("site.toml"), "").unwrap();

        let e = place(dir, Path::new("templates/base.html")).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e:?}");
        assert_eq!(e.file.as_deref(), Some(dir.join("templates").as_path()));
        let e = place(dir, Path::new("assets/style.css")).unwrap_err();
        assert_eq!(e.file.as_deref(), Some(dir.join("assets").as_path()));
        let e = place(dir, Path::new("content/about.md")).unwrap_err();
        assert!(e.message.contains("needs a folder"), "{e:?}");
        assert_eq!(place(dir, Path::new("site.toml")).unwrap(), Place::Taken);
        assert_eq!(place(dir, Path::new("templates")).unwrap(), Place::Taken);
        assert_eq!(place(dir, Path::new("a/b/c.md")).unwrap(), Place::Free);
    }
}
