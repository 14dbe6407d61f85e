//! Where rendered files go: the staging folder in `build`, a checker in `check`.

use super::{Body, Document};
use crate::diagnostic::Result;
use std::path::Path;

/// Where rendered files go.
pub trait Sink: Sync {
    /// A rendered file at `path` (relative to the output, `/`-separated).
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()>;
    /// An asset copied from `source`.
    fn copy(&self, path: &str, source: &Path) -> Result<()>;
    /// A document's Markdown (`text`, its body) rendered, just before its page is
    /// written: lets checks see its links and headings as the author wrote them. Does
    /// nothing by default.
    fn document(&self, _doc: &Document, _text: &str, _body: &Body) {}
    /// A document's page, whose HTML holds `body.html`: lets checks skip reading again
    /// what the Markdown stage already reported. Writes it by default.
    fn write_page(&self, path: &str, bytes: Vec<u8>, _body: &Body) -> Result<()> {
        self.write(path, bytes)
    }
    /// Whether files given to it are published (`build`), or only looked at (`check`,
    /// which writes nothing: images are then decoded to find errors, not encoded).
    fn publishes(&self) -> bool {
        true
    }
}

impl Sink for crate::output::Staging {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        crate::output::Staging::write(self, path, &bytes)
    }
    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        crate::output::Staging::copy(self, path, source)
    }
}

/// What a render produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub articles: usize,
    pub files: usize,
}
