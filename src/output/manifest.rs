//! The manifest every output holds: the files brief wrote there, each with its content hash
//! and the metadata (size, identity, mtime) that shows nobody has touched it since. It is how
//! brief proves a file is its own, and how a rebuild knows which files of the spare it can
//! keep without reading them back.

use crate::platform::{self, Way};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where an earlier brief kept the manifest: inside the output, where every upload published
/// it. It is still read, and removed at the next build.
pub const LEGACY_MANIFEST: &str = ".brief-manifest";

/// The manifest of output folder `dir`, kept beside it so that it is never deployed and two
/// builds of one site publish the same bytes: `.public.brief-manifest` for `public/`.
pub fn manifest_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hidden = match name.starts_with('.') {
        true => name,
        false => format!(".{name}"),
    };
    dir.with_file_name(format!("{hidden}.brief-manifest"))
}

pub(super) const MANIFEST_HEADER: &str = "brief manifest 1";

/// What brief knows of one file it wrote: its content hash and the metadata that shows it
/// has not been touched since.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Record {
    pub(super) hash: u128,
    pub(super) size: u64,
    /// The inode, or where there are none its creation time ([`platform::identity`]).
    pub(super) identity: u64,
    pub(super) modified_ns: u128,
}

pub(super) type Manifest = HashMap<String, Record>;

pub(super) fn record_of(way: Way, hash: u128, meta: &std::fs::Metadata) -> Record {
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Record {
        hash,
        size: meta.len(),
        identity: platform::identity(way, meta),
        modified_ns,
    }
}

pub(super) fn manifest_text(files: &Manifest) -> String {
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    let mut text = format!("{MANIFEST_HEADER}\n");
    for path in paths {
        let r = &files[path];
        text.push_str(&format!(
            "{:032x} {} {} {} {}\n",
            r.hash,
            r.size,
            r.identity,
            r.modified_ns,
            escape_path(path)
        ));
    }
    text
}

/// Reads the manifest of output folder `dir` (beside it, or inside it as an earlier brief
/// wrote it); `None` when there is none or it is not one brief wrote.
pub(super) fn read_manifest(dir: &Path) -> Option<Manifest> {
    let is_file = |f: &Path| std::fs::symlink_metadata(f).is_ok_and(|m| m.is_file());
    let file = [manifest_path(dir), dir.join(LEGACY_MANIFEST)]
        .into_iter()
        .find(|f| is_file(f))?;
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    let mut files = Manifest::new();
    for line in lines {
        let mut parts = line.splitn(5, ' ');
        let mut next = || parts.next();
        let hash = u128::from_str_radix(next()?, 16).ok()?;
        let size = next()?.parse().ok()?;
        let identity = next()?.parse().ok()?;
        let modified_ns = next()?.parse().ok()?;
        let path = unescape_path(next()?)?;
        let record = Record {
            hash,
            size,
            identity,
            modified_ns,
        };
        files.insert(path, record);
    }
    Some(files)
}

/// Manifest paths are one per line, last on it: `%` and control characters are written as
/// `%XX`.
pub(super) const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b'%');

pub(super) fn escape_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, ESCAPED).to_string()
}

pub(super) fn unescape_path(text: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

/// The spare's files that brief can reuse: those its manifest lists whose size, identity
/// and modification time are as brief left them. Everything else in the spare (files nobody
/// listed, links, files touched since) is removed, never followed. `None` if the spare has
/// no manifest brief wrote.
pub(super) fn validated(way: Way, spare: &Path) -> Option<Manifest> {
    let manifest = read_manifest(spare)?;
    let mut kept = Manifest::new();
    let walk = walkdir::WalkDir::new(spare)
        .min_depth(1)
        .follow_links(false);
    let mut stray = Vec::new();
    for entry in walk.into_iter().flatten() {
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = slashed(entry.path().strip_prefix(spare).unwrap_or(entry.path()));
        let untouched = entry.file_type().is_file()
            && manifest.get(&rel).is_some_and(|r| {
                entry
                    .metadata()
                    .is_ok_and(|m| record_of(way, r.hash, &m) == *r)
            });
        if untouched {
            let record = manifest[&rel];
            kept.insert(rel, record);
        } else if rel != LEGACY_MANIFEST {
            stray.push(entry.into_path());
        }
    }
    for path in stray {
        let _ = std::fs::remove_file(path);
    }
    Some(kept)
}

pub(super) use crate::core::paths::slashed;
