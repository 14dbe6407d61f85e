//! What a slug and an alias may be: names brief publishes as folders and files, so nothing
//! that climbs out of the output, holds a scheme, is too long for a file system, or is a
//! name Windows cannot hold ([`windows_refuses`]).

pub(super) use crate::core::files::MAX_NAME;
use crate::core::paths::windows_refuses;

pub(super) fn check_slug(slug: &str) -> std::result::Result<(), &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        return Err("must not contain `/`, `\\` or `..`");
    }
    if slug.contains(':') {
        return Err("must not contain `:`");
    }
    if slug.starts_with('.') || slug.starts_with('_') {
        return Err("must not start with `.` or `_`");
    }
    if slug.len() > MAX_NAME {
        return Err("is longer than 200 bytes, too long for a folder name on most systems");
    }
    if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#%\"'<>".contains(c))
    {
        return Err("must not contain spaces or the characters ? # % \" ' < >");
    }
    windows_refuses(slug).map_or(Ok(()), Err)
}

pub(super) fn check_alias(alias: &str) -> std::result::Result<(), &'static str> {
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Err("must be a path on this site starting with `/`");
    }
    if alias.contains(':') {
        return Err("must not contain a scheme or `:`");
    }
    // An empty part would be no address of the output (`/a//b/`).
    if alias.contains("//") {
        return Err("must not contain `//`");
    }
    if alias
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.starts_with('.'))
    {
        return Err("must not contain `.` or `..` segments");
    }
    if alias
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\\?#%\"'<>".contains(c))
    {
        return Err("must not contain spaces, `\\` or the characters ? # % \" ' < >");
    }
    if alias == "/" {
        return Err("cannot be the home page");
    }
    if alias.split('/').any(|seg| seg.len() > MAX_NAME) {
        return Err("has a part longer than 200 bytes, too long for a file name on most systems");
    }
    alias
        .split('/')
        .find_map(windows_refuses)
        .map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_must_stay_on_the_site() {
        assert!(check_alias("/old/").is_ok());
        assert!(check_alias("/old.html").is_ok());
        for bad in [
            "old",
            "//evil.com/",
            "/a/../b",
            "https://x",
            "/a\\b",
            "/",
            "/a//b/",
            "/con/",
            "/old/aux.html",
            "/a./",
        ] {
            assert!(check_alias(bad).is_err(), "{bad}");
        }
    }
}
