//! Typed paths: a published address and a file of the site are different types, so that
//! nothing compares one with the other (serve once withheld a secret by comparing its
//! source with an address, which only matched under `assets/`). And the one rule for a name
//! Windows cannot hold, which every file, folder, slug and alias of a site must keep on
//! every system: a site built on Linux is edited on Windows.

use std::borrow::Borrow;
use std::fmt;
use std::path::{Path, PathBuf};

/// A file of the output, relative to it and `/`-separated: `articles/x/index.html`. Made
/// only by [`Address::new`], so it never climbs out of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(String);

impl Address {
    /// `file` as an address; `None` for an empty one, one starting with `/`, holding a
    /// backslash, an empty, `.` or `..` part, a part Windows cannot hold as a name
    /// ([`windows_refuses`]), or anything the system would read as a root or a drive.
    pub fn new(file: impl Into<String>) -> Option<Address> {
        let file = file.into();
        let fits = !file.starts_with('/')
            && !file.contains('\\')
            && file.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && windows_refuses(part).is_none()
            })
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

/// Why Windows cannot hold `name` as a file or folder name, or `None`: a device name (`CON`,
/// `aux.md`, `com1.txt`: the part before the first dot, in any case), a character it does not
/// allow (`< > : " / \\ | ? *` and control characters), or a trailing dot or space, which it
/// drops. Refused on every system, since a site is often built on one and edited on another.
pub fn windows_refuses(name: &str) -> Option<&'static str> {
    const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let stem = stem.to_lowercase();
    let numbered = ["com", "lpt"].iter().any(|p| {
        stem.strip_prefix(p).is_some_and(|n| {
            matches!(
                n,
                "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    });
    if DEVICES.contains(&stem.as_str()) || numbered {
        return Some("is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9, with any extension)");
    }
    if name
        .chars()
        .any(|c| c.is_control() || "<>:\"/\\|?*".contains(c))
    {
        return Some("holds a character Windows does not allow in a name (< > : \" / \\ | ? * or a control character)");
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("ends with a dot or a space, which Windows drops from a name");
    }
    None
}

/// A name Windows can hold, close to `name`, to suggest: `aux.md` → `aux-1.md`, `a:b` → `a-b`.
pub fn windows_name_for(name: &str) -> String {
    let mut fixed: String = name
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match "<>:\"/\\|?*".contains(c) {
            true => '-',
            false => c,
        })
        .collect();
    while fixed.ends_with('.') || fixed.ends_with(' ') {
        fixed.pop();
    }
    if windows_refuses(&fixed).is_some() {
        let (stem, rest) = fixed.split_at(fixed.find('.').unwrap_or(fixed.len()));
        fixed = format!("{}-1{rest}", stem.trim_end());
    }
    match fixed.is_empty() {
        true => "a-name".to_string(),
        false => fixed,
    }
}

/// `path` (relative) as `/`-separated text, from its parts: the system's own separator
/// never reaches an address, and no `\\` inside a name is taken for one.
pub fn slashed(path: &Path) -> String {
    let mut text = String::new();
    for part in path.components() {
        if !text.is_empty() && !text.ends_with('/') {
            text.push('/');
        }
        match part {
            std::path::Component::RootDir => text.push('/'),
            other => text.push_str(&other.as_os_str().to_string_lossy()),
        }
    }
    text
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
            "con/index.html",
            "a/AUX.html",
            "a:b",
            "a./index.html",
        ] {
            assert!(Address::new(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn names_windows_cannot_hold_are_refused_with_a_better_one() {
        for bad in [
            "CON",
            "con.md",
            "Aux.tar.gz",
            "nul",
            "com1",
            "LPT9.txt",
            "prn ",
            "a:b",
            "a<b",
            "a|b",
            "a?",
            "a*",
            "a\"b",
            "a\\b",
            "a\u{1}b",
            "ends.",
            "ends ",
            "COM¹",
        ] {
            let why = windows_refuses(bad);
            assert!(why.is_some(), "{bad}");
            let better = windows_name_for(bad);
            assert_eq!(windows_refuses(&better), None, "{bad} → {better}");
        }
        for good in [
            "console.md",
            "auxiliary",
            "com10",
            "lpt",
            "a.b.md",
            "naïve",
            ".hidden",
            "com0",
        ] {
            assert_eq!(windows_refuses(good), None, "{good}");
        }
        assert_eq!(windows_name_for("aux.md"), "aux-1.md");
        assert_eq!(windows_name_for("a:b"), "a-b");
        assert_eq!(windows_name_for("draft. "), "draft");
        assert_eq!(slashed(Path::new("a/b/c.md")), "a/b/c.md");
        assert_eq!(slashed(Path::new("/tmp/x.md")), "/tmp/x.md");
        assert_eq!(slashed(Path::new("./a//b")), "./a/b");
    }

    #[test]
    fn a_site_file_is_relative_to_the_root() {
        let root = Path::new("/site");
        let file = SiteFile::new(root, Path::new("/site/assets/logo.png"));
        assert_eq!(file.as_path(), Path::new("assets/logo.png"));
        assert_eq!(file, SiteFile::new(root, Path::new("assets/logo.png")));
    }
}
