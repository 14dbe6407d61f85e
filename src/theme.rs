//! The default theme, compiled into the binary: the templates and assets a site has
//! without writing any. A file of the same name in the site's own `templates/` or `assets/`
//! replaces the theme's, file by file. This repository's `templates/` and `assets/` are the
//! theme's source: one copy.
//!
//! This module is an edge: it reads the site's own template files and lists its assets.

use crate::content;
use crate::core::layout::{ASSETS, TEMPLATES};
use crate::core::paths::Address;
use crate::diagnostic::Result;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

pub mod words;

#[derive(rust_embed::Embed)]
#[folder = "templates/"]
struct ThemeTemplates;

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct ThemeAssets;

/// The templates every site renders with: the theme has each, and a site may replace any.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "article.html",
    "page.html",
    "index.html",
    "tag.html",
    "tags.html",
    "404.html",
    "partials/cta.html",
];

/// How diagnostics name a file of the theme: `[theme] templates/base.html`.
pub const LABEL: &str = "[theme]";

/// Where a template or asset comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The site's own file (`templates/x.html`, `assets/x.css`), relative to the root.
    Site(PathBuf),
    /// The theme's file of that name.
    Theme,
}

/// One template: its name as templates refer to it (`partials/cta.html`), its text and
/// where it comes from.
pub struct Template {
    pub name: String,
    pub text: String,
    pub origin: Origin,
}

/// What a template name is as a file, for diagnostics: `templates/base.html`, or
/// `[theme] templates/base.html` when the theme's is the one used.
pub fn template_file(name: &str, from_theme: bool) -> PathBuf {
    let file = format!("{}/{name}", TEMPLATES);
    match from_theme {
        true => PathBuf::from(format!("{LABEL} {file}")),
        false => PathBuf::from(file),
    }
}

/// Whether `name` is a file templates are made of (documentation beside them is not).
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")
}

/// Every template of the site: its own under `ROOT/templates`, then the theme's that it
/// does not replace, in name order.
pub fn templates(root: &Path) -> Result<Vec<Template>> {
    let mut all = site_templates(root)?;
    // A site with its own index.html and no section.html lists sections with its index.html
    // (`Templates::section_default`): the theme's section.html, made for the theme's
    // base.html, is left out rather than parsed against the site's.
    let own_lists = all.iter().any(|t| t.name == "index.html");
    for name in ThemeTemplates::iter() {
        if !is_template(&name)
            || all.iter().any(|t| t.name == *name)
            || (own_lists && name == "section.html")
        {
            continue;
        }
        let file = ThemeTemplates::get(&name)
            .map(|f| f.data)
            .unwrap_or_default();
        all.push(Template {
            text: String::from_utf8_lossy(&file).into_owned(),
            name: name.into_owned(),
            origin: Origin::Theme,
        });
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// The templates under `ROOT/templates`, if the folder exists.
fn site_templates(root: &Path) -> Result<Vec<Template>> {
    let dir = root.join(TEMPLATES);
    let mut found = Vec::new();
    for path in content::walk(root, &dir, content::Hidden::None)? {
        let file = content::relative(root, &path);
        let name = path
            .strip_prefix(&dir)
            .map(crate::core::paths::slashed)
            .unwrap_or_default();
        if !is_template(&name) {
            continue;
        }
        found.push(Template {
            text: content::read_text(root, &path)?,
            name,
            origin: Origin::Site(file),
        });
    }
    Ok(found)
}

/// Where an asset's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetFile {
    /// A file of the site, on disk.
    Site(PathBuf),
    /// The theme's asset of this name (under `assets/`).
    Theme(String),
}

impl AssetFile {
    /// The bytes of a theme asset (a site file is read where it is copied or served).
    pub fn theme_bytes(name: &str) -> Option<Cow<'static, [u8]>> {
        ThemeAssets::get(name).map(|f| f.data)
    }
}

/// The theme's assets that the site's own (`site`: paths in the output, `assets/x.css`)
/// do not replace, as (path in the output, file).
pub fn theme_assets(site: &[(Address, AssetFile)]) -> Vec<(Address, AssetFile)> {
    // The theme's names are brief's own, every one an address (a test makes sure).
    ThemeAssets::iter()
        .filter_map(|name| Some((Address::new(format!("{ASSETS}/{name}"))?, name.into_owned())))
        .filter(|(path, _)| !site.iter().any(|(p, _)| p == path))
        .map(|(path, name)| (path, AssetFile::Theme(name)))
        .collect()
}

/// Every file of the theme as it would sit in a site: `templates/…` (with the README that
/// documents them) and `assets/…`.
pub fn files() -> Vec<(PathBuf, Cow<'static, [u8]>)> {
    let templates = ThemeTemplates::iter().filter_map(|name| {
        let data = ThemeTemplates::get(&name)?.data;
        Some((Path::new(TEMPLATES).join(&*name), data))
    });
    let assets = ThemeAssets::iter().filter_map(|name| {
        let data = ThemeAssets::get(&name)?.data;
        Some((Path::new(ASSETS).join(&*name), data))
    });
    templates.chain(assets).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_holds_every_required_template_and_no_documentation() {
        let names: Vec<String> = ThemeTemplates::iter()
            .map(|n| n.into_owned())
            .filter(|n| is_template(n))
            .collect();
        for required in REQUIRED {
            assert!(names.iter().any(|n| n == required), "{required}");
        }
        assert!(!names.iter().any(|n| n.ends_with(".md")));
    }

    #[test]
    fn every_asset_of_the_theme_is_published() {
        assert_eq!(theme_assets(&[]).len(), ThemeAssets::iter().count());
    }

    #[test]
    fn a_site_template_replaces_the_themes_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(dir.path().join("templates/partials/cta.html"), "mine").unwrap();
        std::fs::write(dir.path().join("templates/notes.md"), "not a template").unwrap();
        let all = templates(dir.path()).unwrap();
        let cta = all.iter().find(|t| t.name == "partials/cta.html").unwrap();
        assert_eq!(cta.text, "mine");
        assert_eq!(
            cta.origin,
            Origin::Site(PathBuf::from("templates/partials/cta.html"))
        );
        let base = all.iter().find(|t| t.name == "base.html").unwrap();
        assert_eq!(base.origin, Origin::Theme);
        assert!(base.text.contains("<html"));
        assert!(!all.iter().any(|t| t.name == "notes.md"));
        assert_eq!(
            template_file("base.html", true),
            PathBuf::from("[theme] templates/base.html")
        );
    }

    #[test]
    fn a_site_asset_replaces_the_themes_of_the_same_name() {
        let site = vec![(
            Address::new("assets/style.css").unwrap(),
            AssetFile::Site("assets/style.css".into()),
        )];
        let theme = theme_assets(&site);
        assert!(!theme.iter().any(|(p, _)| p.as_str() == "assets/style.css"));
        assert!(theme.iter().all(|(_, f)| matches!(f, AssetFile::Theme(_))));
        let all = theme_assets(&[]);
        assert!(all.iter().any(|(p, _)| p.as_str() == "assets/style.css"));
        assert!(AssetFile::theme_bytes("style.css").is_some_and(|b| !b.is_empty()));
    }
}
