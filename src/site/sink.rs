//! Where rendered files go: the staging folder in `build`, a checker in `check`.

use super::{Body, Document};
use crate::core::paths::Address;
use crate::diagnostic::Result;
use std::path::Path;

/// Where rendered files go.
pub trait Sink: Sync {
    /// A rendered file at `path`.
    fn write(&self, path: &Address, bytes: Vec<u8>) -> Result<()>;
    /// An asset copied from `source`.
    fn copy(&self, path: &Address, source: &Path) -> Result<()>;
    /// A document's Markdown (`text`, its body) rendered, just before its page is
    /// written: lets checks see its links and headings as the author wrote them. Does
    /// nothing by default.
    fn document(&self, _doc: &Document, _text: &str, _body: &Body) {}
    /// A document's page, whose HTML holds `body.html`: lets checks skip reading again
    /// what the Markdown stage already reported. Writes it by default.
    fn write_page(&self, path: &Address, bytes: Vec<u8>, _body: &Body) -> Result<()> {
        self.write(path, bytes)
    }
    /// Whether files given to it are published (`build`), or only looked at (`check`,
    /// which writes nothing: images are then decoded to find errors, not encoded).
    fn publishes(&self) -> bool {
        true
    }
}

impl Sink for crate::output::Staging {
    fn write(&self, path: &Address, bytes: Vec<u8>) -> Result<()> {
        crate::output::Staging::write(self, path, &bytes)
    }
    fn copy(&self, path: &Address, source: &Path) -> Result<()> {
        crate::output::Staging::copy(self, path, source)
    }
}

/// `file` as an address of the output: an error, never a file written elsewhere, when it is
/// not one (the names it is made of are checked when read, so this is a bug).
pub(super) fn address(file: String) -> Result<Address> {
    Address::new(file.as_str()).ok_or_else(|| outside(&file))
}

/// The error for a file that is no address of the output.
pub(super) fn outside(file: &str) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::error(format!("brief tried to write outside the output: {file}"))
        .with_fix("this is a bug in brief; please report it with the site that shows it")
}

/// What a render produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub articles: usize,
    pub files: usize,
}
