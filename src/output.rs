//! Writing the site: everything goes into a staging folder beside the output, which is
//! swapped in only when the whole build has succeeded. A failed build leaves the previous
//! output exactly as it was.
//!
//! The output that a swap replaces is kept beside it as a hidden spare
//! (`.<output>.brief-spare`), and the next build stages into that spare: files that did not
//! change are not written again, changed ones are overwritten in place, and files no longer
//! produced are deleted before the swap. A rebuild therefore writes only what changed and
//! creates no new files for the rest, which matters on file systems that are slow to create
//! many files right after deleting many (ext4 is).

use crate::content::relative;
use crate::diagnostic::{Diagnostic, Result};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    spare: PathBuf,
    /// Staging into a previous output: only changed files are written, and the rest of
    /// what is there must be deleted before the swap.
    reused: bool,
    written: Mutex<HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Checks that `output` is a safe place to publish to and prepares a staging folder
    /// beside it: the spare from the last build if there is a usable one, else a new one.
    pub fn create(root: &Path, output: &Path) -> Result<Staging> {
        let target = check_output(root, output)?;
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::create_dir_all(&parent).map_err(|e| unwritable(&parent, &e))?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.brief-spare"));
        let reused = is_plain_tree(&spare) && std::fs::rename(&spare, &dir).is_ok();
        if !reused {
            if spare.exists() {
                remove_tree(&spare);
            }
            std::fs::create_dir(&dir).map_err(|e| unwritable(&parent, &e))?;
        }
        Ok(Staging {
            dir,
            target,
            spare,
            reused,
            written: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at `path` (relative, `/`-separated) in the staging folder, unless
    /// it already holds exactly these bytes.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let file = self.dir.join(path);
        if self.reused {
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_string());
            if let Ok(meta) = std::fs::symlink_metadata(&file) {
                if meta.is_file() && meta.len() == bytes.len() as u64 {
                    if std::fs::read(&file).is_ok_and(|old| old == bytes) {
                        return Ok(());
                    }
                } else if !meta.is_file() {
                    // A folder where a file now goes: clear it.
                    remove_tree(&file);
                }
            }
        }
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| unwritable(parent, &e))?;
        }
        std::fs::write(&file, bytes).map_err(|e| unwritable(&file, &e))
    }

    /// Copies `source` to `path` in the staging folder.
    pub fn copy(&self, path: &str, source: &Path) -> Result<()> {
        let bytes = std::fs::read(source)
            .map_err(|e| crate::content::io_error(source, "cannot copy it to the output", &e))?;
        self.write(path, &bytes)
    }

    /// Swaps the staging folder in as the output; the old output becomes the spare.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.reused {
            let written =
                std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
            remove_unwritten(&self.dir, &self.dir, &written);
        }
        let had_output = self.target.exists();
        if had_output {
            // A spare can only be here if another build made one meanwhile; the old output
            // takes its place.
            if self.spare.exists() {
                remove_tree(&self.spare);
            }
            std::fs::rename(&self.target, &self.spare).map_err(|e| unwritable(&self.target, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_output {
                let _ = std::fs::rename(&self.spare, &self.target);
            }
            return Err(unwritable(&self.target, &e));
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Keep what was staged as the spare: the next build compares every file anyway.
            if std::fs::rename(&self.dir, &self.spare).is_err() {
                remove_tree(&self.dir);
            }
        }
    }
}

/// Whether `dir` is a folder holding only folders and regular files: a spare with a
/// symbolic link in it could send writes outside the output, so it is not reused.
fn is_plain_tree(dir: &Path) -> bool {
    dir.is_dir()
        && walkdir::WalkDir::new(dir)
            .into_iter()
            .all(|e| e.is_ok_and(|e| e.file_type().is_dir() || e.file_type().is_file()))
}

/// Deletes every file under `dir` that this build did not write, and folders left empty.
fn remove_unwritten(base: &Path, dir: &Path, written: &HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                remove_unwritten(base, &path, written);
                let _ = std::fs::remove_dir(&path);
            }
            _ => {
                let rel = path
                    .strip_prefix(base)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if !written.contains(&rel) {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }
}

fn unwritable(path: &Path, e: &std::io::Error) -> Diagnostic {
    // "File exists" or "Not a directory" mean a file stands where a folder must go.
    let in_place = e.kind() == std::io::ErrorKind::AlreadyExists && path.is_file();
    if let Some(file) = path
        .ancestors()
        .skip(usize::from(!in_place))
        .find(|a| a.is_file())
    {
        let message = if file == path {
            format!(
                "cannot make the folder {}: a file is in its place",
                path.display()
            )
        } else {
            format!(
                "cannot write {}: {} is a file, not a folder",
                path.display(),
                file.display()
            )
        };
        return Diagnostic::error(message)
            .in_file(file)
            .with_hint("move that file away, or choose another output folder with --output");
    }
    Diagnostic::error(format!("cannot write {}: {e}", path.display()))
        .in_file(path)
        .with_hint("check that the output folder's parent exists, is writable and the disk is not full, or choose another with --output")
}

/// Deletes a folder and everything in it, folders in parallel. Symbolic links are removed,
/// never followed.
fn remove_tree(dir: &Path) {
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
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let ours = [format!(".{name}.brief-new-"), format!(".{name}.brief-old-")];
        if ours.iter().any(|p| file.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
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
        .with_hint("choose another folder with --output, such as public/")
    };
    if target.parent().is_none() {
        return Err(refuse("it is the file system's root".into()));
    }
    if root.starts_with(&target) {
        return Err(refuse("it is the site's root folder or contains it".into()));
    }
    for source in [crate::content::DIR, crate::render::DIR, crate::site::ASSETS] {
        if target.starts_with(root.join(source)) {
            return Err(refuse(format!("it is inside the site's {source}/ folder")));
        }
    }
    if target.exists() {
        if !target.is_dir() {
            return Err(refuse("it exists and is not a folder".into()));
        }
        let mut entries = std::fs::read_dir(&target)
            .map_err(|e| unwritable(&target, &e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned());
        let looks_built = |names: &mut dyn Iterator<Item = String>| {
            let names: Vec<String> = names.collect();
            names.is_empty() || names.iter().any(|n| n == "index.html" || n == "404.html")
        };
        if !looks_built(&mut entries) {
            return Err(refuse(format!(
                "it is not empty and does not look like a site brief built ({} would be replaced)",
                relative(&root, &target).display()
            )));
        }
    }
    Ok(target)
}

/// An absolute path with `.` and `..` resolved and symbolic links followed as far as the
/// path exists.
fn resolve(path: &Path) -> PathBuf {
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
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_outputs() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir_all(r.join("content/articles")).unwrap();
        assert!(check_output(r, r).is_err());
        assert!(check_output(r, &r.join("..")).is_err());
        assert!(check_output(r, &r.join("content")).is_err());
        assert!(check_output(r, &r.join("content/articles/out")).is_err());
        assert!(check_output(r, &r.join("public")).is_ok());
        std::fs::create_dir_all(r.join("docs")).unwrap();
        std::fs::write(r.join("docs/notes.txt"), "mine").unwrap();
        assert!(check_output(r, &r.join("docs")).is_err());
    }

    #[test]
    fn a_dropped_staging_folder_leaves_the_output_alone() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::create(root.path(), &out).unwrap();
            staging.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(names(root.path()), [".public.brief-spare", "public"]);

        let staging = Staging::create(root.path(), &out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(names(root.path()), [".public.brief-spare", "public"]);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).unwrap().ino()
    }

    /// Builds `files` (path, text) as one publish.
    fn publish(root: &Path, out: &Path, files: &[(&str, &str)]) {
        let staging = Staging::create(root, out).unwrap();
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
    }

    #[test]
    fn rebuilds_rewrite_only_what_changed_and_drop_what_is_gone() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let first = [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone/index.html", "x"),
        ];
        publish(root.path(), &out, &first);
        let kept = inode(&out.join("a/index.html"));
        let changed = inode(&out.join("index.html"));
        // The first output becomes the spare at the second publish, and the third stages
        // into it: unchanged files keep their inode, changed ones are rewritten in place.
        publish(root.path(), &out, &first);
        publish(
            root.path(),
            &out,
            &[("index.html", "new home"), ("a/index.html", "a")],
        );
        assert_eq!(inode(&out.join("a/index.html")), kept);
        assert_eq!(inode(&out.join("index.html")), changed);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new home"
        );
        assert!(
            !out.join("gone").exists(),
            "a file no longer produced is removed"
        );
    }

    #[test]
    fn a_spare_made_meanwhile_does_not_block_the_swap() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        publish(root.path(), &out, &[("index.html", "one")]);
        let staging = Staging::create(root.path(), &out).unwrap();
        staging.write("index.html", b"two").unwrap();
        // Another build finished in between and left its own spare.
        let spare = root.path().join(".public.brief-spare");
        std::fs::create_dir_all(spare.join("x")).unwrap();
        std::fs::write(spare.join("x/index.html"), "theirs").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(spare.join("index.html")).unwrap(),
            "one"
        );
    }

    #[test]
    fn a_spare_with_a_symbolic_link_is_not_reused() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        publish(root.path(), &out, &[("index.html", "one")]);
        publish(root.path(), &out, &[("index.html", "two")]);
        let spare = root.path().join(".public.brief-spare");
        std::os::unix::fs::symlink(elsewhere.path(), spare.join("a")).unwrap();
        publish(
            root.path(),
            &out,
            &[("index.html", "three"), ("a/index.html", "inside")],
        );
        assert!(
            !elsewhere.path().join("index.html").exists(),
            "wrote through a link"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "inside"
        );
    }
}
