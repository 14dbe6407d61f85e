//! `brief review`: the articles listed by review state, or one article's review recorded
//! (`--confirm`).

use super::show;
use crate::site::{Options, Site};
use chrono::NaiveDate;
use std::path::Path;

/// What `brief review` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
    /// A digest by reviewer ([`crate::review::markdown`]).
    Markdown,
}

/// What `brief review` lists, and how.
pub struct Listing<'a> {
    /// Those due within this many days after the overdue ones.
    pub within: i64,
    pub format: ReviewFormat,
    /// `--reviewer`: only what this reviewer confirmed last.
    pub reviewer: Option<&'a str>,
    /// Exit 1 while any is overdue.
    pub fail_on_overdue: bool,
}

/// Lists the articles overdue, those due within `within` days and those whose sources are
/// due.
pub fn list(root: &Path, today: Option<NaiveDate>, listing: &Listing<'_>) -> i32 {
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
    if let Some(id) = listing
        .reviewer
        .filter(|id| !site.config.reviewers.contains_key(*id))
    {
        let fix = crate::diagnostic::did_you_mean(
            id,
            site.config.reviewers.keys().map(String::as_str),
            crate::config::known_reviewers_hint(&site.config.reviewers),
        );
        let d = crate::diagnostic::Diagnostic::error(format!("there is no reviewer `{id}`"))
            .with_fix(fix);
        show(root, vec![d]);
        return 1;
    }
    let states = crate::review::states(&site, listing.within, listing.reviewer);
    match listing.format {
        ReviewFormat::Json => say!(
            "{}",
            serde_json::to_string_pretty(&states).unwrap_or_default()
        ),
        ReviewFormat::Text => say_part!("{}", crate::review::text(&states)),
        ReviewFormat::Markdown => say_part!(
            "{}",
            crate::review::markdown(&states, &site.config, listing.reviewer)
        ),
    }
    i32::from(listing.fail_on_overdue && !states.overdue.is_empty())
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
