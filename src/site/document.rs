//! One document of the site as it is held between renders: its front matter, where it is
//! published, and a fingerprint of its text (the text itself is read again when needed).

use super::plan::Key;
use crate::core::paths::Address;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{FrontMatter, Kind};
use crate::section::Section;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One Markdown file, read and with its front matter checked. Its text is not kept: it is
/// read again when its body is rendered ([`super::Site::source`]), so that a site in memory costs
/// what its front matter does, not what its Markdown does.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: PathBuf,
    pub kind: Kind,
    pub front: FrontMatter,
    pub slug: String,
    /// Its language's tag: the default language's, or the one its file name gives
    /// (`x.fr.md`, [`crate::content::Source::lang`]).
    pub lang: String,
    /// For a translation, the file of its original (`content/articles/x.md`).
    pub original: Option<PathBuf>,
    /// A hash of the file's text as it was read.
    pub fingerprint: Key,
    /// The secrets found in its text when it was read ([`crate::secrets::in_text`]).
    pub secrets: Vec<Diagnostic>,
    /// Its text, kept by `serve` once a browser has shown its page ([`Document::keep`]), so
    /// that the page still renders as it was after its file is saved broken.
    pub(super) kept: OnceLock<Arc<str>>,
    /// The calls-to-action the body's `cta(…)` shortcodes may place ([`super::rules::shortcode_ctas`]).
    pub cta_ids: Vec<String>,
    /// The output file of its page, made from its kind and slug when it is read.
    pub(super) output: Address,
    /// Its output file as case-insensitive, normalising file systems store it
    /// (lower case, NFC), to find addresses that differ only so.
    pub folded: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Line in the file where the body starts.
    pub body_line: usize,
    /// The section that holds it, with the settings it inherits from there.
    pub section: Arc<Section>,
    /// For a page bundle: its other files, relative to the site root, published beside it.
    pub resources: Option<Vec<PathBuf>>,
}

impl Document {
    /// The body in `text`, the document's text as [`super::Site::source`] gives it.
    pub fn body<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.body_start..).unwrap_or_default()
    }

    /// The site path after `base_path`: `articles/x/` or `about/`.
    pub fn path(&self) -> &str {
        let file = self.output.as_str();
        file.strip_suffix("index.html").unwrap_or(file)
    }

    /// The output file of its page: `articles/x/index.html`.
    pub fn file_name(&self) -> &Address {
        &self.output
    }

    /// Keeps `text`, which must be this document's text as read, for [`super::Site::source`] to
    /// fall back on.
    pub fn keep(&self, text: &str) {
        if text_key(text) == self.fingerprint {
            let _ = self.kept.set(Arc::from(text));
        }
    }

    /// Whether it has kept its text.
    pub fn kept(&self) -> bool {
        self.kept.get().is_some()
    }

    /// Its place in a section of pages sorted by weight (`weight:`), smallest first.
    pub fn weight(&self) -> Option<i64> {
        self.front.weight
    }

    /// Its file and the secrets found in its text when it was read, for [`crate::secrets::scan`].
    pub fn scanned(&self) -> (&Path, &[Diagnostic]) {
        (&self.file, &self.secrets)
    }

    /// The day its information was last confirmed: `current_as_at`, or else its date (a
    /// page without `current_as_at` has no stamp and sorts as oldest).
    pub fn as_at(&self) -> NaiveDate {
        self.front.current_as_at.unwrap_or_else(|| self.date())
    }

    /// The article's date (pages have none: they sort as oldest).
    pub fn date(&self) -> NaiveDate {
        self.front.date.unwrap_or(NaiveDate::MIN)
    }
}

/// The fingerprint of a document's text, to tell whether its file still holds what was read.
pub(super) fn text_key(text: &str) -> Key {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}
