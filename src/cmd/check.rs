//! `brief check`: every problem in the site, as text for people or JSON for tools; writes
//! nothing.

use super::Format;
use crate::site::Options;
use std::path::Path;

pub fn run(
    root: &Path,
    options: Options,
    format: Format,
    asked: crate::check::Asked,
    verbose: bool,
) -> i32 {
    let mut report = crate::check::run(root, options, asked);
    crate::diagnostic::attach_sources(root, &mut report.findings, &crate::secrets::lines);
    match format {
        Format::Json => say!("{}", crate::check::json(&report)),
        Format::Text => {
            // anstream drops the colour where stdout is not a terminal or NO_COLOR is set.
            use std::io::Write as _;
            let _ = write!(
                anstream::stdout(),
                "{}",
                crate::check::text(&report, true, verbose)
            );
        }
    }
    i32::from(report.errors() > 0)
}
