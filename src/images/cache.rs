//! The site's image cache, `.brief-cache/images/`: each variant brief has made, named by
//! the source's hash and the parameters that made it, so an unchanged image is decoded
//! once, ever. Nothing is read or written through a link: the cache is opened only when
//! `.brief-cache` and its `images` are real folders of the site (or absent), so no file
//! from outside the site can reach the output. Files are written whole (a temporary file
//! renamed into place), and an entry is used only when it is what its name promises: a
//! regular file (not a link, not a folder) whose header has the variant's format and size
//! and whose end is there ([`probe::variant_fits`]); anything else is made again.
//! `brief clean` removes the cache and nothing else.

use super::{probe, Image, Variant};
use crate::diagnostic::{Diagnostic, Result};
use crate::platform::{self, Way};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache folder in the site's root (git ignores it: `brief init` writes the rule).
pub use crate::core::layout::CACHE as DIR;
const IMAGES: &str = "images";
/// What makes the variants, in every cache name: change it when the encoders' settings or
/// the resize filter change, so old files are not taken for new ones.
const PARAMS: &str = "v1-q80";
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is brief's cache of processed images; `brief clean` removes it.\n";

pub struct Cache {
    /// `ROOT/.brief-cache/images`
    dir: PathBuf,
    /// Unix calls or the portable paths ([`Way::current`]).
    way: Way,
}

/// How much of a cached file's start is read to check it: enough for the headers brief's
/// encoders write (PNG's IHDR, JPEG's frame header after its tables, WebP's frame header).
const HEAD: u64 = 4096;
/// How much of its end: PNG's IEND chunk is 12 bytes.
const TAIL: u64 = 16;

impl Cache {
    /// The cache of the site at `root`. Refused when `.brief-cache` or
    /// `.brief-cache/images` is a link or not a folder: brief neither reads nor writes
    /// through it.
    pub fn open(root: &Path) -> Result<Cache> {
        let top = root.join(DIR);
        let dir = top.join(IMAGES);
        for folder in [&top, &dir] {
            match std::fs::symlink_metadata(folder) {
                Ok(m) if m.is_dir() => {}
                Ok(m) => return Err(not_a_folder(folder, m.is_symlink())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => {
                    return Err(
                        Diagnostic::error(format!("cannot read brief's image cache: {e}"))
                            .in_file(relative_name(folder))
                            .with_fix("make the site's folder readable and writable"),
                    )
                }
            }
        }
        Ok(Cache {
            dir,
            way: Way::current(),
        })
    }

    /// Where the variant `v` of `image` is kept.
    pub fn path(&self, image: &Image, v: &Variant) -> PathBuf {
        self.dir.join(name(image, v))
    }

    /// Whether the variant is in the cache, whole: a regular file, opened without following
    /// a link, whose first and last bytes say it is this variant ([`probe::variant_fits`]).
    /// Costs an open and two small reads, however large the file.
    pub fn has(&self, image: &Image, v: &Variant) -> bool {
        self.fits(&self.path(image, v), v).unwrap_or(false)
    }

    fn fits(&self, path: &Path, v: &Variant) -> std::io::Result<bool> {
        let file =
            platform::open_no_follow(self.way, std::fs::OpenOptions::new().read(true), path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Ok(false);
        }
        let len = meta.len();
        let mut head = vec![0; usize::try_from(len.min(HEAD)).unwrap_or(0)];
        platform::read_at(self.way, &file, &mut head, 0)?;
        let mut tail = vec![0; usize::try_from(len.min(TAIL)).unwrap_or(0)];
        platform::read_at(self.way, &file, &mut tail, len - len.min(TAIL))?;
        Ok(probe::variant_fits(
            &head,
            &tail,
            len,
            v.format,
            (v.width, v.height),
        ))
    }

    /// Keeps `bytes` as the variant `v` of `image`.
    pub fn store(&self, image: &Image, v: &Variant, bytes: &[u8]) -> Result<()> {
        self.make_folders()?;
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let temporary = self.dir.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut f| f.write_all(bytes))
            // A rename replaces a link of that name, never what it points at.
            .and_then(|_| std::fs::rename(&temporary, self.path(image, v)));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Diagnostic::error(format!("cannot write to brief's image cache: {e}"))
                .in_file(Path::new(DIR).join(IMAGES))
                .with_fix("make the site's folder writable, or run `brief clean` and build again")
        })
    }

    /// `.brief-cache/images/`, each a real folder (a link in its place is refused).
    fn make_folders(&self) -> Result<()> {
        let top = self.dir.parent().unwrap_or(&self.dir);
        for folder in [top, &self.dir] {
            match std::fs::symlink_metadata(folder) {
                Ok(m) if m.is_dir() => continue,
                Ok(m) => return Err(not_a_folder(folder, m.is_symlink())),
                Err(_) => {}
            }
            std::fs::create_dir(folder)
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => Ok(()),
                    _ => Err(e),
                })
                .map_err(|e| {
                    Diagnostic::error(format!("cannot make brief's image cache: {e}"))
                        .in_file(DIR)
                        .with_fix("make the site's folder writable")
                })?;
            if folder == top {
                let _ = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(top.join(TAG))
                    .and_then(|mut f| f.write_all(TAG_TEXT.as_bytes()));
            }
        }
        Ok(())
    }
}

/// `.brief-cache` or `.brief-cache/images`, relative to the site.
fn relative_name(path: &Path) -> PathBuf {
    if path.ends_with(IMAGES) {
        Path::new(DIR).join(IMAGES)
    } else {
        PathBuf::from(DIR)
    }
}

fn not_a_folder(path: &Path, link: bool) -> Diagnostic {
    let name = relative_name(path);
    let (what, fix) = if link {
        (
            "a symbolic link",
            format!(
                "remove the link (`rm {}`: what it points to stays as it is) and run brief again; brief makes its cache folder itself, inside the site",
                name.display()
            ),
        )
    } else {
        (
            "a file, not a folder",
            format!(
                "move or remove {} yourself (brief does not remove what it did not make) and run brief again; brief makes its cache folder itself",
                name.display()
            ),
        )
    };
    Diagnostic::error(format!(
        "brief's image cache {} is {what}: brief reads and writes its cache only in a real folder of the site, so that nothing from outside the site reaches the output",
        name.display()
    ))
    .in_file(name)
    .with_fix(fix)
}

/// The cache name of a variant: the source's full hash, the size, the parameters.
fn name(image: &Image, v: &Variant) -> String {
    format!(
        "{:016x}-{}x{}-{PARAMS}.{}",
        image.hash,
        v.width,
        v.height,
        v.format.extension()
    )
}

/// Whether `name` is one brief gives a cached file (or a temporary one on its way there).
fn is_own(name: &str) -> bool {
    if let Some(rest) = name.strip_prefix(".tmp-") {
        return rest.chars().all(|c| c.is_ascii_digit() || c == '-');
    }
    let Some((hash, rest)) = name.split_once('-') else {
        return false;
    };
    hash.len() == 16
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && rest.split_once('-').is_some_and(|(size, tail)| {
            size.split_once('x').is_some_and(|(w, h)| {
                !w.is_empty()
                    && !h.is_empty()
                    && w.chars().chain(h.chars()).all(|c| c.is_ascii_digit())
            }) && tail.starts_with('v')
        })
}

/// What `brief clean` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub removed: usize,
    /// Files in the cache folder brief did not make, left where they are.
    pub left: Vec<PathBuf>,
}

/// Removes brief's cache from the site at `root`: the files brief made in
/// `.brief-cache/images/`, then each folder if it is empty. Follows no link, removes no
/// file it did not make (those are listed in `left`).
pub fn clean(root: &Path) -> Result<Cleaned> {
    let top = root.join(DIR);
    let mut cleaned = Cleaned::default();
    match std::fs::symlink_metadata(&top) {
        Err(_) => return Ok(cleaned),
        Ok(m) if !m.is_dir() => return Err(not_a_folder(&top, m.is_symlink())),
        Ok(_) => {}
    }
    let images = top.join(IMAGES);
    let error = |file: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot remove brief's cache: {e}"))
            .in_file(crate::content::relative(root, file))
            .with_fix("make the folder writable, then run `brief clean` again")
    };
    match std::fs::symlink_metadata(&images) {
        Ok(m) if m.is_dir() => {
            let entries = std::fs::read_dir(&images).map_err(|e| error(&images, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| error(&images, e))?;
                let path = entry.path();
                let own = entry.file_type().is_ok_and(|t| t.is_file())
                    && entry.file_name().to_str().is_some_and(is_own);
                if own {
                    std::fs::remove_file(&path).map_err(|e| error(&path, e))?;
                    cleaned.removed += 1;
                } else {
                    cleaned.left.push(crate::content::relative(root, &path));
                }
            }
            if cleaned.left.is_empty() {
                std::fs::remove_dir(&images).map_err(|e| error(&images, e))?;
            }
        }
        Ok(_) => cleaned.left.push(crate::content::relative(root, &images)),
        Err(_) => {}
    }
    let tag = top.join(TAG);
    if std::fs::symlink_metadata(&tag).is_ok_and(|m| m.is_file())
        && std::fs::read(&tag).is_ok_and(|b| b == TAG_TEXT.as_bytes())
    {
        std::fs::remove_file(&tag).map_err(|e| error(&tag, e))?;
    }
    let rest = std::fs::read_dir(&top).map_err(|e| error(&top, e))?;
    let mut rest_left = Vec::new();
    for entry in rest.flatten() {
        let path = crate::content::relative(root, &entry.path());
        if !cleaned.left.iter().any(|l| l.starts_with(&path)) {
            rest_left.push(path);
        }
    }
    cleaned.left.extend(rest_left);
    if cleaned.left.is_empty() {
        std::fs::remove_dir(&top).map_err(|e| error(&top, e))?;
    }
    cleaned.left.sort();
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_names_are_recognised() {
        assert!(is_own("00ff00ff00ff00ff-800x600-v1-q80.webp"));
        assert!(is_own(".tmp-123-4"));
        assert!(!is_own("notes.txt"));
        assert!(!is_own("00ff00ff00ff00ff-800x600.webp"));
        assert!(!is_own(".tmp-abc"));
    }
}
