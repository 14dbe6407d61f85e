//! The site's folder layout: the names of the folders and files brief reads and writes,
//! written once so that every floor agrees on them.

/// The site's settings, in its root.
pub const CONFIG: &str = "site.toml";
/// The Markdown of articles, pages and sections.
pub const CONTENT: &str = "content";
/// Where `brief new` writes articles, under [`CONTENT`].
pub const ARTICLES: &str = "articles";
/// The site's templates, each replacing the theme's of the same name.
pub const TEMPLATES: &str = "templates";
/// Files published as they are, each replacing the theme's of the same name.
pub const ASSETS: &str = "assets";
/// The file that holds a section's title, introduction and settings.
pub const SECTION_INDEX: &str = "_index.md";
/// The file that makes a folder one document, a page bundle.
pub const BUNDLE_INDEX: &str = "index.md";
/// brief's cache of processed images, in the root.
pub const CACHE: &str = ".brief-cache";
