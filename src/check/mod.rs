//! The checks behind `brief check`, and the ones `brief build` shares with it.
//!
//! What the stage promises: every problem is collected before any is reported, and each
//! finding names its file (relative to the site's root) and the line where the author or
//! the template wrote the thing; rendered pages are checked as they render, never read
//! back from disk; `build` runs the same link and secret checks, so a broken link fails
//! a build as it fails `check`. Advice for authors and external links are `check`'s
//! alone, and only ever warnings.
//!
//! - [`links()`]: every internal link and `#anchor`, in Markdown (reported at the line the
//!   author wrote it) and in the rendered pages (reported against the template that made
//!   it). Facts are gathered while the site renders, by wrapping the [`Sink`] in a
//!   [`Collector`], so the check reads no file back and costs one scan of each page.
//! - secrets: [`crate::secrets`] refuses keys and tokens before anything renders.
//! - [`content`]: advice for authors (missing summaries, alt text, …), which only `check`
//!   reports.
//! - [`review()`]: articles overdue for review or due soon.
//! - [`external()`]: dead links to other sites, fetched only when asked.
//!
//! [`run`] is `brief check`; [`render_checked`] is the render that `build` uses. The rooms:
//!
//! | file | owns |
//! |---|---|
//! | `collect` | the [`Collector`] sink and what it gathers from each page and document |
//! | `scan` | the HTML scanner: ids, links and scripts in a page, entities decoded |
//! | `resolve` | where a link goes: resolving and normalising addresses against the site |
//! | `links` | the link check: broken links and anchors, unpublished targets, CTA links |
//! | `fixes` | the `fix:` line of a broken link, with "did you mean" |
//! | `places` | where a link is written: the body line, the template, the site.toml key |
//! | `script_links` | links that would run code (`javascript:`, `data:` pages) |
//! | `ids` | the same id twice on one page |
//! | `advice` | warnings for authors that only `check` gives |
//! | `review` | the review findings: overdue, due soon |
//! | `external` | `check --external`: fetching links to other sites |
//! | `report` | the text and JSON reports |

mod advice;
mod collect;
#[cfg(feature = "external-links")]
mod external;
mod fixes;
mod ids;
mod links;
mod places;
mod report;
mod resolve;
mod review;
mod scan;
mod script_links;

pub use advice::{content, DRAFT_DAYS};
pub use collect::{Collected, Collector, DocFacts, PageScan};
#[cfg(feature = "external-links")]
pub use external::external;
pub use links::links;
pub use report::{json, text, JSON_VERSION};
pub use review::{review, DUE_SOON_DAYS};
pub use scan::scan_html;
pub use script_links::script_scheme;

use crate::diagnostic::{sorted, Diagnostic, Severity};
use crate::site::{Options, Sink, Site, Stats};
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

/// The lock of a mutex that a panicking thread may have left poisoned: what it guards
/// (lists being filled) is still whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Renders the site into `sink` with the link and secret checks: any error fails the
/// render (so the caller publishes nothing); warnings come back beside the stats.
pub fn render_checked(
    site: &Site,
    sink: &dyn Sink,
) -> std::result::Result<(Stats, Vec<Diagnostic>), Vec<Diagnostic>> {
    let docs = site.documents();
    let secrets = crate::secrets::scan(&site.root, docs.iter().map(|d| d.scanned()));
    if !secrets.is_empty() {
        return Err(secrets);
    }
    let collector = Collector::new(Some(sink)).skimming(site);
    let stats = site.render(&collector)?;
    let collected = collector.finish();
    let findings = links(site, &collected, false);
    // Hundreds of thousands of small strings: freeing them is not worth waiting for.
    std::thread::spawn(move || drop(collected));
    if findings.iter().any(Diagnostic::is_error) {
        return Err(findings);
    }
    Ok((stats, findings))
}

/// What `brief check` found.
#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Diagnostic>,
    /// Source files looked at: site.toml, templates, content and assets.
    pub files: usize,
    /// Pages rendered (0 when the site could not be rendered).
    pub pages: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn notes(&self) -> usize {
        self.count(Severity::Note)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Why `check --external` cannot run in a brief built without its HTTP client.
pub const WITHOUT_EXTERNAL: &str =
    "this brief was built without the external-links feature, so it cannot fetch links to other sites";

/// Without the `external-links` feature there is no HTTP client: one error says so, rather
/// than a check that silently finds nothing.
#[cfg(not(feature = "external-links"))]
pub fn external(_site: &Site, _collected: &Collected) -> Vec<Diagnostic> {
    vec![Diagnostic::error(WITHOUT_EXTERNAL).with_fix(
        "leave out --external, or install brief with its default features (docs/install.md)",
    )]
}

/// What `brief check` is asked to do beyond the site's own settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked {
    /// `--external`: fetch links to other sites.
    pub external_links: bool,
    /// `--fail-on overdue`: an article past its review date is an error.
    pub fail_on_overdue: bool,
}

/// Loads and renders the site with drafts and scheduled articles, writing nothing, and
/// reports every finding. `options` gives the date and the base URL; drafts and scheduled
/// articles are always included.
pub fn run(root: &Path, options: Options, asked: Asked) -> Report {
    // Drafts and scheduled articles are checked too: they will be published one day.
    let options = Options {
        drafts: true,
        future: true,
        ..options
    };
    let files = count_files(root);
    let site = match Site::load(root, options) {
        Ok(site) => site,
        Err(mut errors) => {
            errors.extend(crate::secrets::scan(root, []));
            return Report {
                findings: sorted(errors),
                files,
                pages: 0,
            };
        }
    };
    let docs = site.documents();
    let mut findings = site.warnings.clone();
    findings.extend(crate::secrets::scan(root, docs.iter().map(|d| d.scanned())));
    let collector = Collector::new(None).auditing();
    let rendered = site.render(&collector);
    let collected = collector.finish();
    let pages = collected.pages.len();
    match rendered {
        Ok(_) => {
            findings.extend(links(&site, &collected, true));
            if asked.external_links {
                findings.extend(external(&site, &collected));
            }
        }
        Err(errors) => findings.extend(errors),
    }
    findings.extend(content(&site, &collected));
    findings.extend(review(&site, asked.fail_on_overdue));
    Report {
        findings: sorted(findings),
        files,
        pages,
    }
}

fn count_files(root: &Path) -> usize {
    crate::secrets::site_files(root).len()
}
