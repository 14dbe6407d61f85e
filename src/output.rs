//! Writing the site: everything goes into a staging folder beside the output, which is
//! swapped in only when the whole build has succeeded. A failed build leaves the previous
//! output exactly as it was.

use crate::content::relative;
use crate::diagnostic::{Diagnostic, Result};
use std::path::{Component, Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `output` is a safe place to publish to and makes an empty staging folder
    /// beside it.
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
        std::fs::create_dir(&dir).map_err(|e| unwritable(&parent, &e))?;
        Ok(Staging {
            dir,
            target,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at `path` (relative, `/`-separated) in the staging folder.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| unwritable(parent, &e))?;
        }
        std::fs::write(&file, bytes).map_err(|e| unwritable(&file, &e))
    }

    /// Copies `source` to `path` in the staging folder.
    pub fn copy(&self, path: &str, source: &Path) -> Result<()> {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| unwritable(parent, &e))?;
        }
        std::fs::copy(source, &file).map(|_| ()).map_err(|e| {
            Diagnostic::error(format!(
                "cannot copy {} to the output: {e}",
                source.display()
            ))
        })
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(mut self) -> Result<PathBuf> {
        let parent = self.target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = parent.join(format!(".{name}.brief-old-{}", std::process::id()));
        let had_output = self.target.exists();
        if had_output {
            std::fs::rename(&self.target, &old).map_err(|e| unwritable(&self.target, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_output {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(unwritable(&self.target, &e));
        }
        self.committed = true;
        if had_output {
            // The new site is in place; failing to delete the old one loses nothing.
            remove_tree(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
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
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);

        let staging = Staging::create(root.path(), &out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
