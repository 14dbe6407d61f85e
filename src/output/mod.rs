//! Writing the site, safely. Everything goes into a staging folder beside the output, which
//! is swapped in only when the whole build has succeeded, so a failed build leaves the
//! published output exactly as it was.
//!
//! The rules that make this safe by construction, not by a list of checks:
//! - **brief replaces only what it can prove it wrote.** Every output has a manifest
//!   ([`manifest_path`], beside it, so that no upload publishes it) of the files brief wrote
//!   into it. An existing output with a file the
//!   manifest does not list (or with no manifest at all) is refused unless the user says
//!   `--replace-output`.
//! - **No file is ever written in place.** A changed file is unlinked and created anew
//!   (`create_new`, which also refuses to open through a symbolic link), so a hard-linked
//!   copy of the output (`cp -al`, backup tools) never changes.
//! - **No symbolic link is followed** when deleting or writing: an output, spare or staging
//!   folder that is a link is unlinked or refused, never entered.
//! - **One build at a time per output**: a lock file beside the output; a second build waits.
//! - **The swap is atomic where the system allows** (`renameat2(RENAME_EXCHANGE)` on Linux):
//!   at every moment the output is either the whole old site or the whole new one.
//!
//! The output that a swap replaces is kept as a hidden spare (`.<output>.brief-spare`), and
//! the next build stages into it: files whose bytes match the spare's manifest (and whose
//! size, inode (or creation time) and modification time show nobody touched them) are not
//! written again. On
//! ext4, creating thousands of files right after deleting thousands is slow; this avoids it.

mod manifest;
mod place;

pub use manifest::{manifest_path, LEGACY_MANIFEST};
pub use place::check_output;

use crate::core::paths::Address;
use crate::diagnostic::{Diagnostic, Result};
use crate::platform::{self, Way};
use manifest::{manifest_text, record_of, validated, Manifest, Record};
use place::{check_owned, is_real_dir, remove_entry, remove_leftovers};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How to treat an existing output folder that brief cannot prove it wrote.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Existing {
    /// Refuse it (the default).
    #[default]
    Refuse,
    /// Replace it, with everything in it (`--replace-output`).
    Replace,
}

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    spare: PathBuf,
    /// The output as the user named it, for messages: never the staging folder's name.
    shown: PathBuf,
    /// Files of a reused spare, each checked to be untouched since brief wrote it.
    previous: Manifest,
    written: Mutex<Manifest>,
    /// Files created afresh (not kept from the spare).
    created: AtomicUsize,
    committed: bool,
    /// Unix calls or the portable paths ([`Way::current`]; tests take both).
    way: Way,
    _lock: File,
}

/// What a committed build did to the output's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// Files the output holds.
    pub files: usize,
    /// Of those, files written afresh; the rest were kept as the previous build wrote them.
    pub created: usize,
}

impl Staging {
    /// Checks that `output` is a safe place to publish to, takes the output's lock (waiting
    /// for another build that holds it) and prepares a staging folder beside it.
    pub fn create(root: &Path, output: &Path, existing: Existing) -> Result<Staging> {
        Staging::create_in(Way::current(), root, output, existing)
    }

    fn create_in(way: Way, root: &Path, output: &Path, existing: Existing) -> Result<Staging> {
        let target = check_output(root, output)?;
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::create_dir_all(&parent).map_err(|e| unwritable(&parent, &e))?;
        let lock = take_lock(way, &parent.join(format!(".{name}.brief-lock")), output)?;
        // With the lock held no other build of this output is running, so these are
        // leftovers of a build that was killed.
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.brief-new-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.brief-spare"));
        // Both walk a whole site: one core each.
        let (owned, previous) = rayon::join(
            || check_owned(&target, output, existing),
            || {
                is_real_dir(&spare)
                    .then(|| validated(way, &spare))
                    .flatten()
            },
        );
        owned?;
        let previous = match previous {
            Some(records) if std::fs::rename(&spare, &dir).is_ok() => {
                // The spare's record travels with it, so that a failed build leaves both.
                let _ = std::fs::rename(manifest_path(&spare), manifest_path(&dir));
                records
            }
            _ => {
                remove_entry(&spare);
                remove_entry(&manifest_path(&spare));
                std::fs::create_dir(&dir).map_err(|e| unwritable(&parent, &e))?;
                Manifest::new()
            }
        };
        Ok(Staging {
            dir,
            target,
            spare,
            shown: output.to_path_buf(),
            previous,
            written: Mutex::new(Manifest::new()),
            created: AtomicUsize::new(0),
            committed: false,
            way,
            _lock: lock,
        })
    }

    /// Writes one file at `path` (relative, `/`-separated) into the staging folder, unless
    /// the reused spare already holds exactly these bytes there.
    pub fn write(&self, address: &Address, bytes: &[u8]) -> Result<()> {
        let (path, relative) = (address.as_str(), address.as_path());
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        if let Some(old) = self.previous.get(path) {
            if old.hash == hash && old.size == bytes.len() as u64 {
                return self.note(path, *old);
            }
        }
        let file = self.dir.join(relative);
        let record = self
            .create_file(&file, bytes, hash)
            .map_err(|e| self.unwritable_at(relative, &e))?;
        self.created.fetch_add(1, Ordering::Relaxed);
        self.note(path, record)
    }

    /// Records that `path` holds `record`. The address registry lets each path be claimed
    /// once, so a second write is a bug in brief: it fails the build rather than publish
    /// whichever write came last.
    fn note(&self, path: &str, record: Record) -> Result<()> {
        match lock(&self.written).insert(path.to_string(), record) {
            None => Ok(()),
            Some(_) => Err(
                Diagnostic::error(format!("brief wrote {path} twice in one build")).with_fix(
                    "this is a bug in brief; please report it with the site that shows it",
                ),
            ),
        }
    }

    /// Copies `source` to `path` in the staging folder.
    pub fn copy(&self, path: &Address, source: &Path) -> Result<()> {
        let bytes = std::fs::read(source).map_err(|e| {
            crate::core::files::io_error(source, "cannot copy it to the output", &e)
        })?;
        self.write(path, &bytes)
    }

    /// Creates `file` afresh (never writing into an existing file, never through a link),
    /// clearing whatever of the spare stands in its way.
    fn create_file(&self, file: &Path, bytes: &[u8], hash: u128) -> std::io::Result<Record> {
        let parent = file.parent().unwrap_or(&self.dir);
        if std::fs::create_dir_all(parent).is_err() {
            // A file of the old site stands where a folder now goes.
            for ancestor in parent.ancestors().take_while(|a| *a != self.dir) {
                if std::fs::symlink_metadata(ancestor).is_ok_and(|m| !m.is_dir()) {
                    std::fs::remove_file(ancestor)?;
                }
            }
            std::fs::create_dir_all(parent)?;
        }
        let open = || OpenOptions::new().write(true).create_new(true).open(file);
        let mut handle = match open() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists || file.is_dir() => {
                remove_entry(file);
                open()?
            }
            other => other?,
        };
        handle.write_all(bytes)?;
        let meta = handle.metadata()?;
        Ok(record_of(self.way, hash, &meta))
    }

    /// Swaps the staging folder in as the output; the old output becomes the spare.
    pub fn commit(mut self) -> Result<Committed> {
        let written = std::mem::take(&mut *lock(&self.written));
        let done = Committed {
            files: written.len(),
            created: self.created.load(Ordering::Relaxed),
        };
        for path in self.previous.keys().filter(|p| !written.contains_key(*p)) {
            let file = self.dir.join(path);
            let _ = std::fs::remove_file(&file);
            for folder in file.ancestors().skip(1).take_while(|a| *a != self.dir) {
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
            }
        }
        // An earlier brief kept the record inside the output; it lives beside it now.
        remove_entry(&self.dir.join(LEGACY_MANIFEST));
        let staged = manifest_path(&self.dir);
        let (target, spare) = (manifest_path(&self.target), manifest_path(&self.spare));
        remove_entry(&staged);
        std::fs::write(&staged, manifest_text(&written)).map_err(|e| unwritable(&staged, &e))?;
        // Each manifest follows its folder; between the two steps a crash leaves an output
        // whose record does not match it, which the next build refuses rather than trusts.
        if std::fs::symlink_metadata(&self.target).is_err() {
            std::fs::rename(&self.dir, &self.target).map_err(|e| unwritable(&self.shown, &e))?;
            remove_entry(&target);
            std::fs::rename(&staged, &target).map_err(|e| unwritable(&target, &e))?;
        } else if platform::exchange(self.way, &self.dir, &self.target).is_ok() {
            if platform::exchange(self.way, &staged, &target).is_err() {
                std::fs::rename(&staged, &target).map_err(|e| unwritable(&target, &e))?;
            }
            // The staging names now hold the old output and its record: keep them as the spare.
            remove_entry(&self.spare);
            remove_entry(&spare);
            if std::fs::rename(&self.dir, &self.spare).is_ok() {
                let _ = std::fs::rename(&staged, &spare);
            } else {
                remove_entry(&self.dir);
                remove_entry(&staged);
            }
        } else {
            // No atomic exchange here: the output is missing for the moment between two
            // renames, and is put back if the second fails.
            remove_entry(&self.spare);
            remove_entry(&spare);
            std::fs::rename(&self.target, &self.spare).map_err(|e| unwritable(&self.shown, &e))?;
            let _ = std::fs::rename(&target, &spare);
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                let _ = std::fs::rename(&self.spare, &self.target);
                let _ = std::fs::rename(&spare, &target);
                return Err(unwritable(&self.shown, &e));
            }
            std::fs::rename(&staged, &target).map_err(|e| unwritable(&target, &e))?;
        }
        self.committed = true;
        Ok(done)
    }

    fn unwritable_at(&self, relative: &Path, e: &std::io::Error) -> Diagnostic {
        unwritable(&self.shown.join(relative), e)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Keep what was staged as the spare: the next build checks every file of it
            // against the manifest before reusing any.
            remove_entry(&self.spare);
            remove_entry(&manifest_path(&self.spare));
            if std::fs::rename(&self.dir, &self.spare).is_ok() {
                let _ = std::fs::rename(manifest_path(&self.dir), manifest_path(&self.spare));
            } else {
                remove_entry(&self.dir);
                remove_entry(&manifest_path(&self.dir));
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Opens and locks the output's lock file, waiting while another build holds it. The
/// lock goes when the process ends, however it ends.
fn take_lock(way: Way, path: &Path, shown: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    let failed = |e: &std::io::Error| {
        Diagnostic::error(format!(
            "cannot take the build lock {}: {e}",
            path.display()
        ))
        .in_file(path)
        .with_fix("brief keeps this empty file beside the output so that two builds never publish at once; if it is a symbolic link or not a file, remove it")
    };
    let file = platform::open_no_follow(way, &mut options, path).map_err(|e| failed(&e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "note: another brief build is publishing to {}; waiting for it to finish",
                shown.display()
            );
            file.lock().map_err(|e| failed(&e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(failed(&e)),
    }
    Ok(file)
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
            .with_fix("move that file away, or choose another output folder with --output");
    }
    Diagnostic::error(format!("cannot write {}: {e}", path.display()))
        .in_file(path)
        .with_fix("check that the output folder's parent exists, is writable and the disk is not full, or choose another with --output")
}

#[cfg(test)]
mod tests {
    use super::manifest::{escape_path, read_manifest, slashed, unescape_path};
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::symlink;

    const BOTH: [Way; 2] = [Way::Unix, Way::Portable];

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The inode on Unix (the creation time elsewhere): the same while a file is kept.
    fn inode(path: &Path) -> u64 {
        platform::identity(Way::Unix, &std::fs::metadata(path).unwrap())
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    fn at(path: &str) -> Address {
        Address::new(path).unwrap()
    }

    /// Builds `files` (path, text) as one publish.
    fn publish(way: Way, root: &Path, out: &Path, files: &[(&str, &str)]) -> Committed {
        let staging = Staging::create_in(way, root, out, Existing::Refuse).unwrap();
        for (path, text) in files {
            staging.write(&at(path), text.as_bytes()).unwrap();
        }
        staging.commit().unwrap()
    }

    /// Every file under `dir` with its text, following nothing.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = slashed(e.path().strip_prefix(dir).unwrap());
                let text = match e.file_type().is_symlink() {
                    true => format!("-> {}", std::fs::read_link(e.path()).unwrap().display()),
                    false => read(e.path()),
                };
                (rel, text)
            })
            .collect();
        files.sort();
        files
    }

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
    }

    #[test]
    fn a_folder_brief_did_not_build_is_refused_and_kept() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let docs = root.path().join("docs");
            std::fs::create_dir_all(&docs).unwrap();
            // Looking like a site is not enough: only a manifest proves brief built it.
            std::fs::write(docs.join("index.html"), "someone else's").unwrap();
            std::fs::write(docs.join("notes.txt"), "mine").unwrap();
            let e = Staging::create_in(way, root.path(), &docs, Existing::Refuse)
                .err()
                .unwrap();
            assert!(e.to_string().contains("brief did not build it"), "{e}");
            assert!(e.to_string().contains("index.html, notes.txt"), "{e}");
            assert_eq!(read(&docs.join("notes.txt")), "mine");

            let staging = Staging::create_in(way, root.path(), &docs, Existing::Replace).unwrap();
            staging.write(&at("index.html"), b"ours").unwrap();
            staging.commit().unwrap();
            // The record of what brief wrote sits beside the output, not in what is deployed.
            assert_eq!(names(&docs), ["index.html"]);
            assert!(manifest_path(&docs).is_file());
        }
    }

    #[test]
    fn a_file_added_to_the_output_is_not_lost() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "home")]);
            std::fs::write(out.join("CNAME"), "example.com").unwrap();
            let e = Staging::create_in(way, root.path(), &out, Existing::Refuse)
                .err()
                .unwrap();
            assert!(
                e.to_string()
                    .contains("a file that brief did not write: CNAME"),
                "{e}"
            );
            assert_eq!(read(&out.join("CNAME")), "example.com");
        }
    }

    #[test]
    #[cfg(unix)]
    fn an_output_that_is_a_link_is_refused() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let elsewhere = tempfile::tempdir().unwrap();
            std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
            let out = root.path().join("public");
            symlink(elsewhere.path(), &out).unwrap();
            let e = Staging::create_in(way, root.path(), &out, Existing::Replace)
                .err()
                .unwrap();
            assert!(e.to_string().contains("symbolic link"), "{e}");
            assert_eq!(names(elsewhere.path()), ["keep.txt"]);
        }
    }

    #[test]
    fn a_dropped_staging_folder_leaves_the_output_alone() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "old")]);
            {
                let staging = Staging::create_in(way, root.path(), &out, Existing::Refuse).unwrap();
                staging.write(&at("index.html"), b"new").unwrap();
            }
            assert_eq!(read(&out.join("index.html")), "old");
            // What was staged is kept as the spare, with no record: nothing of it is reused.
            let hidden = [
                ".public.brief-lock",
                ".public.brief-manifest",
                ".public.brief-spare",
                "public",
            ];
            assert_eq!(names(root.path()), hidden);

            publish(way, root.path(), &out, &[("index.html", "new")]);
            assert_eq!(read(&out.join("index.html")), "new");
            // The old output is the spare now, its record beside it.
            let spare = ".public.brief-spare.brief-manifest";
            assert_eq!(
                names(root.path()),
                [&hidden[..3], &[spare, "public"]].concat()
            );
        }
    }

    #[test]
    fn rebuilds_keep_unchanged_files_and_drop_what_is_gone() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            let first = [
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("gone/index.html", "x"),
            ];
            let cold = publish(way, root.path(), &out, &first);
            assert_eq!((cold.files, cold.created), (3, 3));
            let kept = inode(&out.join("a/index.html"));
            // The first output becomes the spare at the second publish, and the third stages
            // into it: unchanged files keep their inode (a hard-linked copy shows that changed
            // ones are never written in place, below).
            publish(way, root.path(), &out, &first);
            let warm = publish(
                way,
                root.path(),
                &out,
                &[("index.html", "new home"), ("a/index.html", "a")],
            );
            assert_eq!(
                (warm.files, warm.created),
                (2, 1),
                "only the changed file is written"
            );
            assert_eq!(inode(&out.join("a/index.html")), kept);
            assert_eq!(read(&out.join("index.html")), "new home");
            assert!(
                !out.join("gone").exists(),
                "a file no longer produced is removed"
            );
        }
    }

    #[test]
    fn a_hard_linked_copy_of_the_output_never_changes() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            let snapshot = root.path().join("snapshot");
            publish(
                way,
                root.path(),
                &out,
                &[("index.html", "one"), ("a/index.html", "a")],
            );
            std::fs::create_dir_all(snapshot.join("a")).unwrap();
            for file in ["index.html", "a/index.html"] {
                std::fs::hard_link(out.join(file), snapshot.join(file)).unwrap();
            }
            for text in ["two", "three", "four"] {
                publish(
                    way,
                    root.path(),
                    &out,
                    &[("index.html", text), ("b/index.html", text)],
                );
            }
            assert_eq!(read(&out.join("index.html")), "four");
            assert_eq!(
                tree(&snapshot),
                [
                    ("a/index.html".to_string(), "a".to_string()),
                    ("index.html".to_string(), "one".to_string())
                ]
            );
        }
    }

    #[test]
    fn a_touched_file_in_the_spare_is_written_again() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "one")]);
            publish(way, root.path(), &out, &[("index.html", "two")]);
            // Edited in place behind brief's back, same size: the manifest must not vouch for it.
            let spare = root.path().join(".public.brief-spare");
            std::fs::write(spare.join("index.html"), "6e6f").unwrap();
            std::fs::write(spare.join("stray.html"), "stray").unwrap();
            publish(way, root.path(), &out, &[("index.html", "one")]);
            assert_eq!(read(&out.join("index.html")), "one");
            assert!(!out.join("stray.html").exists());
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_spare_that_is_a_link_is_removed_not_followed() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let elsewhere = tempfile::tempdir().unwrap();
            std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
            let out = root.path().join("public");
            symlink(elsewhere.path(), root.path().join(".public.brief-spare")).unwrap();
            publish(way, root.path(), &out, &[("index.html", "one")]);
            publish(way, root.path(), &out, &[("index.html", "two")]);
            assert_eq!(names(elsewhere.path()), ["keep.txt"]);
            assert_eq!(read(&out.join("index.html")), "two");
        }
    }

    #[test]
    #[cfg(unix)]
    fn links_inside_the_spare_are_never_followed() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let elsewhere = tempfile::tempdir().unwrap();
            std::fs::write(elsewhere.path().join("index.html"), "theirs").unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "one")]);
            publish(way, root.path(), &out, &[("index.html", "two")]);
            let spare = root.path().join(".public.brief-spare");
            symlink(elsewhere.path(), spare.join("a")).unwrap();
            symlink(elsewhere.path().join("index.html"), spare.join("b.html")).unwrap();
            publish(
                way,
                root.path(),
                &out,
                &[
                    ("index.html", "three"),
                    ("a/index.html", "inside"),
                    ("b.html", "b"),
                ],
            );
            assert_eq!(
                tree(elsewhere.path()),
                [("index.html".to_string(), "theirs".to_string())]
            );
            assert_eq!(read(&out.join("a/index.html")), "inside");
            assert!(!std::fs::symlink_metadata(out.join("b.html"))
                .unwrap()
                .file_type()
                .is_symlink());
        }
    }

    #[test]
    fn a_spare_made_meanwhile_does_not_block_the_swap() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "one")]);
            let staging = Staging::create_in(way, root.path(), &out, Existing::Refuse).unwrap();
            staging.write(&at("index.html"), b"two").unwrap();
            let spare = root.path().join(".public.brief-spare");
            std::fs::create_dir_all(spare.join("x")).unwrap();
            std::fs::write(spare.join("x/index.html"), "stray").unwrap();
            staging.commit().unwrap();
            assert_eq!(read(&out.join("index.html")), "two");
            assert_eq!(read(&spare.join("index.html")), "one");
        }
    }

    #[test]
    fn a_second_build_waits_for_the_first() {
        for way in BOTH {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("public");
            publish(way, root.path(), &out, &[("index.html", "one")]);
            let first = Staging::create_in(way, root.path(), &out, Existing::Refuse).unwrap();
            let (r, o) = (root.path().to_path_buf(), out.clone());
            let second = std::thread::spawn(move || {
                let staging = Staging::create_in(way, &r, &o, Existing::Refuse).unwrap();
                // It may only start once the first has published.
                let seen = read(&o.join("index.html"));
                staging.write(&at("index.html"), b"three").unwrap();
                staging.commit().unwrap();
                seen
            });
            std::thread::sleep(std::time::Duration::from_millis(200));
            assert!(!second.is_finished());
            first.write(&at("index.html"), b"two").unwrap();
            first.commit().unwrap();
            assert_eq!(second.join().unwrap(), "two");
            assert_eq!(read(&out.join("index.html")), "three");
        }
    }

    #[test]
    fn manifest_paths_survive_odd_names() {
        for path in ["a b/index.html", "100%/x", "new\nline", " lead"] {
            assert_eq!(unescape_path(&escape_path(path)).as_deref(), Some(path));
        }
        let mut files = Manifest::new();
        let record = Record {
            hash: 7 << 100,
            size: 3,
            identity: 9,
            modified_ns: 11,
        };
        files.insert("a b/c%d".into(), record);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        // Read beside the output, or inside it where an earlier brief kept it.
        std::fs::write(out.join(LEGACY_MANIFEST), manifest_text(&files)).unwrap();
        assert_eq!(read_manifest(&out), Some(files.clone()));
        std::fs::remove_file(out.join(LEGACY_MANIFEST)).unwrap();
        std::fs::write(manifest_path(&out), manifest_text(&files)).unwrap();
        assert_eq!(
            manifest_path(&out),
            dir.path().join(".public.brief-manifest")
        );
        assert_eq!(read_manifest(&out), Some(files));
    }
}
