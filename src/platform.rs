//! Every call that only Unix has, each with the portable path beside it: opening a file
//! without following a link, reading at an offset, naming what is not a regular file,
//! exchanging two paths, the descriptor limit. Elsewhere in `src/` no Unix-only call
//! stands outside a `#[cfg]` (tests/it/portable.rs checks).
//!
//! On Unix brief takes the Unix calls; `BRIEF_PORTABLE_PATHS=1` (read once) makes it take
//! the portable paths instead, which is how the test suite runs them on Linux, so they are
//! not untested code waiting for a Windows machine.

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::OnceLock;

/// Which of the two ways brief does a system-specific thing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Way {
    /// The Unix calls (`O_NOFOLLOW`, `pread`, `RENAME_EXCHANGE`, inodes, `getrlimit`).
    Unix,
    /// What every system has: std's portable calls, checks before and after.
    Portable,
}

impl Way {
    /// The way of this process: [`Way::Unix`] on Unix unless `BRIEF_PORTABLE_PATHS=1`.
    pub fn current() -> Way {
        static WAY: OnceLock<Way> = OnceLock::new();
        *WAY.get_or_init(|| {
            let forced = std::env::var_os("BRIEF_PORTABLE_PATHS").is_some_and(|v| v == "1");
            match cfg!(unix) && !forced {
                true => Way::Unix,
                false => Way::Portable,
            }
        })
    }
}

/// Opens `path` with `options`, refusing a symbolic link in its place (the error says so)
/// rather than opening what it points at.
pub fn open_no_follow(way: Way, options: &mut OpenOptions, path: &Path) -> std::io::Result<File> {
    if way == Way::Unix {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
            return options.open(path);
        }
    }
    // Windows opens a link itself, not its target, with this flag; the link then shows as
    // not a file below.
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    // Elsewhere: a look before and after the open. A link swapped in between the two looks
    // and out again is the one case left, and needs a second program racing brief.
    let is_link = |path: &Path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
    if is_link(path) {
        return Err(link_refused());
    }
    let file = options.open(path)?;
    if is_link(path) || file.metadata()?.file_type().is_symlink() {
        return Err(link_refused());
    }
    Ok(file)
}

fn link_refused() -> std::io::Error {
    std::io::Error::other("it is a symbolic link, which brief does not follow here")
}

/// Fills `buffer` from `file` at `offset`: one system call on Unix, a seek and a read
/// elsewhere (brief holds the file alone, so the moved cursor matters to no one).
pub fn read_at(way: Way, file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    if way == Way::Unix {
        #[cfg(unix)]
        return std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset);
    }
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buffer)
}

/// What a file is when it is not a regular file ("a named pipe"), or `None`. Opening a
/// named pipe waits for a writer and reading a device may never end, so brief reads
/// neither. The portable answer cannot tell them apart: "not a regular file" covers both.
pub fn special_kind(way: Way, file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    if way == Way::Unix {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some("a named pipe (FIFO)");
            }
            if file_type.is_socket() {
                return Some("a socket");
            }
            if file_type.is_char_device() || file_type.is_block_device() {
                return Some("a device");
            }
        }
    }
    Some("not a file")
}

/// Opens a source file for reading only when it is a regular file. On Unix it opens
/// non-blocking, so that a FIFO swapped in after the look cannot hang the open; elsewhere
/// it looks first (Windows keeps its pipes outside the file system).
pub fn open_regular(way: Way, path: &Path) -> Option<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    if way == Way::Unix {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
        }
    } else if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let file = options.open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// Atomically exchanges two paths, where the system can (Linux's `RENAME_EXCHANGE`);
/// `Unsupported` elsewhere, and the caller renames twice.
pub fn exchange(way: Way, a: &Path, b: &Path) -> std::io::Result<()> {
    if way == Way::Unix {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{renameat_with, RenameFlags, CWD};
            return renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)
                .map_err(std::io::Error::from);
        }
    }
    let _ = (a, b);
    Err(std::io::ErrorKind::Unsupported.into())
}

/// What tells a file brief wrote from one put in its place since, beside its size and
/// modification time: its inode on Unix. Elsewhere, its creation time in nanoseconds
/// (Windows and macOS keep one; a file copied into place is created anew even when its
/// modification time was copied with it); 0 where the system keeps neither.
pub fn identity(way: Way, meta: &std::fs::Metadata) -> u64 {
    if way == Way::Unix {
        #[cfg(unix)]
        return std::os::unix::fs::MetadataExt::ino(meta);
    }
    meta.created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// How many files the process may hold open: its soft limit on Unix. Elsewhere 512, a
/// fixed cap: Windows has no such limit for sockets, and the cap keeps serve within what
/// the C runtime allows for files.
pub fn descriptor_limit(way: Way) -> usize {
    if way == Way::Unix {
        #[cfg(unix)]
        {
            let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
            return limit
                .current
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        }
    }
    512
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [Way; 2] = [Way::Unix, Way::Portable];

    #[test]
    fn a_link_is_refused_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, "a").unwrap();
        for way in BOTH {
            let open = |path: &Path| open_no_follow(way, OpenOptions::new().read(true), path);
            assert!(open(&file).is_ok(), "{way:?}");
            #[cfg(unix)]
            {
                let link = dir.path().join("b");
                let _ = std::fs::remove_file(&link);
                std::os::unix::fs::symlink(&file, &link).unwrap();
                assert!(open(&link).is_err(), "{way:?}");
            }
        }
    }

    #[test]
    fn reads_at_an_offset_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, "0123456789").unwrap();
        let file = File::open(&path).unwrap();
        for way in BOTH {
            let mut buffer = [0; 3];
            read_at(way, &file, &mut buffer, 6).unwrap();
            assert_eq!(&buffer, b"678", "{way:?}");
            assert!(read_at(way, &file, &mut buffer, 9).is_err(), "{way:?}");
        }
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, "a").unwrap();
        for way in BOTH {
            assert!(open_regular(way, &file).is_some());
            assert!(open_regular(way, dir.path()).is_none());
            let kind = std::fs::metadata(dir.path()).unwrap().file_type();
            assert_eq!(special_kind(way, kind), Some("a folder"));
        }
        #[cfg(unix)]
        {
            let pipe = dir.path().join("pipe");
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &pipe,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::from_raw_mode(0o600),
                0,
            )
            .unwrap();
            let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
            assert_eq!(special_kind(Way::Unix, kind), Some("a named pipe (FIFO)"));
            assert_eq!(special_kind(Way::Portable, kind), Some("not a file"));
            // Neither way waits for a writer.
            for way in BOTH {
                assert!(open_regular(way, &pipe).is_none(), "{way:?}");
            }
        }
    }

    #[test]
    fn the_portable_exchange_is_left_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        let e = exchange(Way::Portable, &a, &b).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Unsupported);
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        #[cfg(target_os = "linux")]
        {
            exchange(Way::Unix, &a, &b).unwrap();
            assert_eq!(std::fs::read(&a).unwrap(), b"b");
        }
    }

    #[test]
    fn one_file_keeps_its_identity() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, "a").unwrap();
        for way in BOTH {
            let before = identity(way, &std::fs::metadata(&path).unwrap());
            assert_eq!(before, identity(way, &std::fs::metadata(&path).unwrap()));
        }
        assert_eq!(descriptor_limit(Way::Portable), 512);
    }
}
