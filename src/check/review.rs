//! The `review` findings of `brief check`: articles past their review date (warnings, or
//! errors under `--fail-on overdue` or `[dates] overdue = "error"`), articles due within
//! [`DUE_SOON_DAYS`] (notes), and sources checked longer ago than their period (warnings, at
//! the source's line). A `current_as_at` or a source's `checked` after today is refused by the
//! front matter reader, for build and check alike.

use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;

/// How far ahead `check` notes articles that fall due.
pub const DUE_SOON_DAYS: i64 = 30;

/// The review findings for the site's published articles as of its today.
pub fn review(site: &Site, fail_on_overdue: bool) -> Vec<Diagnostic> {
    let today = site.today;
    let overdue_is_error = fail_on_overdue || site.config.dates.overdue_is_error;
    let mut out = Vec::new();
    // Drafts and scheduled articles have no readers yet, so nothing to review.
    for doc in site.reviewed_by_readers() {
        let line = doc.front.lines.of("current_as_at");
        let at = |d: Diagnostic| d.in_file(&doc.file).on_line_opt(line);
        let as_at = doc.as_at();
        let review = crate::review::of(doc, &site.config, today);
        let what = match doc.kind {
            crate::frontmatter::Kind::Article => "the article",
            crate::frontmatter::Kind::Page => "the page",
        };
        let confirm = format!(
            "check the article is still right, then run `brief review --confirm {}`",
            doc.slug
        );
        for due in crate::review::sources_due(doc, &site.config, today) {
            out.push(
                Diagnostic::warning(format!(
                    "source {} ({}) was last checked on {}, {} days ago: longer than its period of {} days",
                    due.number,
                    due.source.title,
                    due.source.checked,
                    (today - due.source.checked).num_days(),
                    due.period
                ))
                .in_file(&doc.file)
                .on_line(due.source.line)
                .with_fix(format!(
                    "check the source still says what the {} relies on, then run `brief review --confirm {} --source {}`",
                    match doc.kind {
                        crate::frontmatter::Kind::Article => "article",
                        crate::frontmatter::Kind::Page => "page",
                    },
                    doc.slug,
                    due.number
                ))
                .with_code(Code::SourceDue),
            );
        }
        if let Some(behind) = site
            .original_of(doc)
            .and_then(|original| crate::site::review::behind(doc, original))
        {
            out.push(
                at(Diagnostic::warning(behind.describe()))
                    .with_fix(format!(
                        "bring the translation up to date with {}, then run `brief review --confirm {}`",
                        behind.original.file.display(),
                        doc.file.display()
                    ))
                    .with_code(Code::TranslationBehind),
            );
        }
        if review.overdue() {
            let message = format!(
                "{what} was due for review on {} ({} days ago): current_as_at ({as_at}) is older than its review period of {} days",
                review.due,
                -review.due_in_days,
                review.period
            );
            let d = match overdue_is_error {
                true => Diagnostic::error(message),
                false => Diagnostic::warning(message),
            };
            out.push(at(d).with_fix(confirm).with_code(Code::Overdue));
        } else if review.due_in_days <= DUE_SOON_DAYS {
            let when = match review.due_in_days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            out.push(
                at(Diagnostic::note(format!(
                    "{what} is due for review on {} ({when})",
                    review.due
                )))
                .with_fix(confirm)
                .with_code(Code::DueSoon),
            );
        }
    }
    out
}
