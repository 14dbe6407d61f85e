//! Small file helpers every floor may use: how a path is shown, replacing an author's file
//! without losing a save that races the replacement, and the atomic exchange of two paths.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::Path;

/// The longest name brief gives a folder or file it writes: file systems allow 255 bytes,
/// and hosts and archives often less.
pub const MAX_NAME: usize = 200;

/// A path as brief shows it in messages and reports: with `/` between its parts. Only the
/// platform's own separator becomes `/`: on Windows `\\` is one, but elsewhere it is a
/// character a file name may hold, and shown as it is.
pub fn shown(path: &Path) -> Cow<'_, str> {
    let text = path.to_string_lossy();
    match std::path::MAIN_SEPARATOR {
        '/' => text,
        separator => Cow::Owned(text.replace(separator, "/")),
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
/// synced. Where the system can exchange two names atomically (Linux), the exchange itself
/// says what stood at `path` at that instant: if it is not `expected`, the exchange is undone.
/// Elsewhere the file is read again just before a plain rename. Either way a save can only be
/// lost if it lands in the microseconds between that last look and the swap.
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
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| {
            f.write_all(new)?;
            f.set_permissions(metadata.permissions())?;
            f.sync_all()
        });
    let outcome = written.and_then(|()| swap_if_unchanged(&temp, path, expected));
    // After a swap the temporary name holds the old file, or ours when it was undone.
    let _ = std::fs::remove_file(&temp);
    outcome
}

fn swap_if_unchanged(temp: &Path, path: &Path, expected: &[u8]) -> std::io::Result<Replaced> {
    if exchange(temp, path).is_ok() {
        if holds(temp, expected)? {
            return Ok(Replaced::Done);
        }
        exchange(temp, path)?;
        return Ok(Replaced::Changed);
    }
    if !holds(path, expected)? {
        return Ok(Replaced::Changed);
    }
    std::fs::rename(temp, path)?;
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

/// Atomically exchanges two paths, where the system can.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

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
