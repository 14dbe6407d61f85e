//! The checks every command that works on a site shares, made before anything loads: which
//! site, and at which address.

use super::{Root, BASE_URL_VAR};
use crate::diagnostic::Diagnostic;
use std::path::PathBuf;

/// The site's folder: `--root` as given; else the current folder or the nearest one above
/// it that holds site.toml, as cargo finds Cargo.toml, so that commands work from
/// `content/articles/` too.
pub(super) fn site_root(given: Root) -> Result<PathBuf, Diagnostic> {
    if let Some(root) = given.root {
        return Ok(root);
    }
    let here = std::env::current_dir().map_err(|e| {
        Diagnostic::error(format!("cannot tell which folder brief is running in: {e}"))
            .with_fix("give the site's folder (the one holding site.toml) with --root DIR")
    })?;
    match here
        .ancestors()
        .find(|dir| dir.join(crate::config::FILE).is_file())
    {
        // Found where brief runs: paths print as they always have, relative to it.
        Some(dir) if dir == here => Ok(PathBuf::from(".")),
        Some(dir) => Ok(dir.to_path_buf()),
        None => Err(Diagnostic::error(format!(
            "there is no {} in {} or in any folder above it, so brief does not know which site to work on",
            crate::config::FILE,
            here.display()
        ))
        .with_fix("run brief inside a site's folder, give the site's folder with --root DIR, or start a new site here with `brief init`")),
    }
}

/// A base URL from `--base-url` or the environment, checked as site.toml's `base_url` is:
/// the address (ending in `/`) and its path.
pub(super) fn checked_base_url(
    url: Option<String>,
    from_env: bool,
) -> Result<Option<(String, String)>, Diagnostic> {
    let Some(url) = url else {
        return Ok(None);
    };
    crate::config::parse_base_url(&url).map(Some).map_err(|why| {
        let (source, fix) = match from_env {
            true => (
                format!("{BASE_URL_VAR} (set in the environment)"),
                format!("set {BASE_URL_VAR} to an absolute address such as https://example.com/ or https://example.com/advice/, or unset it to use site.toml's base_url"),
            ),
            false => (
                "--base-url".to_string(),
                "give an absolute address such as https://example.com/ or https://example.com/advice/".to_string(),
            ),
        };
        Diagnostic::error(format!(
            "the base URL `{url}` given by {source} is not valid: {why}"
        ))
        .with_fix(fix)
    })
}
