//! `brief review`: the articles listed by review state, or one article's review recorded
//! (`--confirm`).

use super::{show, Format};
use crate::site::{Options, Site};
use chrono::NaiveDate;
use std::path::Path;

/// Lists the articles overdue and those due within `within` days; with `fail_on_overdue`,
/// exit 1 while any is overdue.
pub fn list(
    root: &Path,
    today: Option<NaiveDate>,
    within: i64,
    format: Format,
    fail_on_overdue: bool,
) -> i32 {
    let options = Options {
        today,
        ..Options::default()
    };
    let site = match Site::load(root, options) {
        Ok(site) => site,
        Err(errors) => {
            show(root, errors);
            eprintln!(
                "the site could not be read; fix the errors above and run brief review again"
            );
            return 1;
        }
    };
    let states = crate::review::states(&site, within);
    match format {
        Format::Json => say!(
            "{}",
            serde_json::to_string_pretty(&states).unwrap_or_default()
        ),
        Format::Text => say_part!("{}", crate::review::text(&states)),
    }
    i32::from(fail_on_overdue && !states.overdue.is_empty())
}

/// Records that the article `target` (its slug or file) was reviewed today, printing each
/// line it changed.
pub fn confirm(
    root: &Path,
    today: Option<NaiveDate>,
    target: &str,
    record: &crate::review::Record<'_>,
) -> i32 {
    // Drafts and scheduled articles are loaded too, so that confirming one says why it
    // cannot be, rather than that there is no such article.
    let options = Options {
        drafts: true,
        future: true,
        today,
        ..Options::default()
    };
    let result = Site::load(root, options)
        .and_then(|site| crate::review::confirm(&site, target, record).map_err(|e| vec![e]));
    match result {
        Ok(Some(c)) => {
            if let Some(link) = &c.via {
                say!(
                    "{} is a symbolic link: edited the file it leads to, {}",
                    link.display(),
                    c.file.display()
                );
            }
            for (line, edit) in &c.edits {
                say!("{}:{line}: {edit}", c.file.display());
            }
            0
        }
        Ok(None) => {
            say!("{target} already says it was reviewed today; nothing changed");
            0
        }
        Err(errors) => {
            show(root, errors);
            1
        }
    }
}
