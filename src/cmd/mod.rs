//! One file a command, each the body of one `brief` command.
//!
//! The floor's promise: a command takes arguments the command line has already checked (the
//! site's folder found, a base URL valid, options decided) and returns its exit code: 0, or
//! 1 when the site has a problem, which it has shown by then. A command never exits the
//! process and never makes a usage error (exit 2): those belong to [`crate::cli`].
//!
//! Standard output is written through `say!`, which a closed pipe (`brief review | head`)
//! never turns into a panic or another exit code; diagnostics are shown through `show`,
//! which adds the line of the file each one points at.

use std::path::Path;

pub mod build;
pub mod check;
pub mod clean;
pub mod init;
pub mod new;
pub mod review;
pub mod serve;

/// How `check` and `review` print their report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Prints diagnostics to stderr, each with the line it points at.
fn show(root: &Path, mut all: Vec<crate::diagnostic::Diagnostic>) {
    crate::diagnostic::attach_sources(root, &mut all, &crate::secrets::lines);
    crate::diagnostic::print(&all);
}
