//! Small file helpers every floor may use: reading a text file of the site (only a regular
//! file, only UTF-8), the error for a file that cannot be read, how a path is shown,
//! replacing an author's file without losing a save that races the replacement.

use crate::diagnostic::{line_of, Diagnostic, Result};
use crate::platform;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// `path` relative to `root` where it is inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// What a file is when it is not a regular file ("a named pipe"), or `None`
/// ([`platform::special_kind`] in this process's way).
pub fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    platform::special_kind(platform::Way::current(), file_type)
}

/// The error for a path that brief will not open because it is not a regular file.
pub fn not_regular(file: &Path, kind: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "this is {kind}, not a regular file, so brief does not read it"
    ))
    .in_file(file)
    .with_fix("replace it with an ordinary file, or move it out of the site")
}

/// Reads a text file, explaining a file that is not UTF-8. Refuses anything but a regular
/// file without opening it.
pub fn read_text(root: &Path, path: &Path) -> Result<String> {
    let file = relative(root, path);
    let metadata =
        std::fs::metadata(path).map_err(|e| io_error(&file, "cannot read the file", &e))?;
    if let Some(kind) = special_kind(metadata.file_type()) {
        return Err(not_regular(&file, kind));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, "cannot read the file", &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = line_of(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Diagnostic::error("the file is not UTF-8 text")
            .in_file(&file)
            .on_line(line)
            .with_fix(
                "save it as UTF-8 in your editor (most editors offer this in 'Save with encoding')",
            )
    })
}

pub fn io_error(file: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    let hint = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "check the file's permissions (chmod) and owner",
        std::io::ErrorKind::NotFound => "the file vanished while brief was reading; run again",
        _ => "check that the disk is readable and not full",
    };
    Diagnostic::error(format!("{what}: {e}"))
        .in_file(file)
        .with_fix(hint)
}

/// The longest name brief gives a folder or file it writes: file systems allow 255 bytes,
/// and hosts and archives often less.
pub const MAX_NAME: usize = 200;

/// The media type of a file, by its name: what serve answers with, and the `type` a
/// template gives a favicon. `application/octet-stream` for a name it does not know.
pub fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" if file.ends_with("feed.xml") || file.ends_with("changes.xml") => {
            "application/atom+xml; charset=utf-8"
        }
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// What [`replace_unchanged`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Replaced {
    /// The file held `expected` and now holds the new bytes.
    Done,
    /// The file did not hold `expected` at the moment of the swap (another program saved
    /// it): it holds what that program wrote, and nothing was replaced.
    Changed,
}

/// Replaces the regular file at `path`, which the caller read as `expected`, with `new`,
/// unless another program saved the file since: then the file keeps what was saved and the
/// answer is [`Replaced::Changed`], so that the caller reads it again and retries.
///
/// The new bytes are written whole to a temporary file beside it (with its permissions) and
/// synced. Just before the rename the file is read again; an editor that saves by renaming
/// a new file into place is caught there. An editor that writes into the file itself may do
/// so just after that look, into the file the rename is about to unlink: a hard link to it,
/// made first, keeps it, and if it no longer holds `expected` it is renamed back into place.
/// The one rename into `path` is what a file watcher sees, as for any editor's save.
pub fn replace_unchanged(path: &Path, expected: &[u8], new: &[u8]) -> std::io::Result<Replaced> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a link or something else)",
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.brief-{}", std::process::id()));
    let kept = path.with_file_name(format!(".{name}.brief-was-{}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| {
            f.write_all(new)?;
            f.set_permissions(metadata.permissions())?;
            f.sync_all()
        });
    let outcome = written.and_then(|()| swap_if_unchanged(&temp, &kept, path, expected));
    let _ = std::fs::remove_file(&temp);
    let _ = std::fs::remove_file(&kept);
    outcome
}

fn swap_if_unchanged(
    temp: &Path,
    kept: &Path,
    path: &Path,
    expected: &[u8],
) -> std::io::Result<Replaced> {
    // Where the file system has no hard links the rename goes ahead unguarded.
    let guarded = std::fs::hard_link(path, kept).is_ok();
    if !holds(path, expected)? {
        return Ok(Replaced::Changed);
    }
    std::fs::rename(temp, path)?;
    if guarded && !holds(kept, expected)? {
        // Written into while brief swapped it: the author's bytes go back in place.
        std::fs::rename(kept, path)?;
        return Ok(Replaced::Changed);
    }
    Ok(Replaced::Done)
}

/// Whether the file at `path` holds exactly `expected`.
fn holds(path: &Path, expected: &[u8]) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() != expected.len() as u64 {
        return Ok(false);
    }
    let mut bytes = Vec::with_capacity(expected.len());
    file.read_to_end(&mut bytes)?;
    Ok(bytes == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_feeds_are_atom() {
        for feed in ["feed.xml", "changes.xml"] {
            assert_eq!(content_type(feed), "application/atom+xml; charset=utf-8");
        }
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
    }

    #[test]
    fn replaces_only_what_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old\n").unwrap();
        assert_eq!(
            replace_unchanged(&path, b"old\n", b"new\n").unwrap(),
            Replaced::Done
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        // Saved by someone else since it was read: kept, and said so.
        assert_eq!(
            replace_unchanged(&path, b"old\n", b"newer\n").unwrap(),
            Replaced::Changed
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        // Nothing is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
