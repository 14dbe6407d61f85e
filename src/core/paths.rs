//! Typed paths: a published address and a file of the site are different types, so that
//! nothing compares one with the other (serve once withheld a secret by comparing its
//! source with an address, which only matched under `assets/`).

use std::borrow::Borrow;
use std::fmt;
use std::path::{Path, PathBuf};

/// A file of the output, relative to it and `/`-separated: `articles/x/index.html`. Made
/// only by [`Address::new`], so it never climbs out of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(String);

impl Address {
    /// `file` as an address; `None` for an empty one, one starting with `/`, holding a
    /// backslash, an empty, `.` or `..` part, or anything the system would read as a root
    /// or a drive.
    pub fn new(file: impl Into<String>) -> Option<Address> {
        let file = file.into();
        let fits = !file.starts_with('/')
            && !file.contains('\\')
            && file
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && Path::new(&file)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        fits.then_some(Address(file))
    }

    /// The address as a relative path, to join onto the output folder.
    pub fn as_path(&self) -> &Path {
        Path::new(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Borrow<str> for Address {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A file of the site, relative to its root: `content/articles/x.md`, `assets/logo.png`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteFile(PathBuf);

impl SiteFile {
    /// `file` of the site at `root`, relative to the root (as it is when it is not under it).
    pub fn new(root: &Path, file: &Path) -> SiteFile {
        SiteFile(file.strip_prefix(root).unwrap_or(file).to_path_buf())
    }

    pub fn as_path(&self) -> &Path {
        &self.0
    }
}

impl fmt::Display for SiteFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.display().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_stays_inside_the_output() {
        assert_eq!(
            Address::new("articles/x/index.html").unwrap().as_str(),
            "articles/x/index.html"
        );
        assert!(Address::new("404.html").is_some());
        for bad in [
            "",
            "/x",
            "a/../b",
            "..",
            "a//b",
            "a/",
            "a\\b",
            "./a",
            "a/../../x",
        ] {
            assert!(Address::new(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_site_file_is_relative_to_the_root() {
        let root = Path::new("/site");
        let file = SiteFile::new(root, Path::new("/site/assets/logo.png"));
        assert_eq!(file.as_path(), Path::new("assets/logo.png"));
        assert_eq!(file, SiteFile::new(root, Path::new("assets/logo.png")));
    }
}
