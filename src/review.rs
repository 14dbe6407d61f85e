//! `brief review`: the list of articles by review state, overdue first, and their sources
//! due, as text, JSON or a Markdown digest by reviewer (`digest`); and `--confirm`
//! ([`confirm`]). When an article or a source is due is the site's rule
//! ([`crate::site::review`]).

use crate::site::Site;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::PathBuf;

mod confirm;
mod digest;
mod edit;
pub use crate::site::review::{of, sources_due, PeriodFrom, Review, SourceDue};
pub use confirm::{confirm, Confirmed, Record};
pub use digest::markdown;

/// One article in `brief review`'s list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub file: PathBuf,
    pub title: String,
    pub url: String,
    pub current_as_at: NaiveDate,
    pub due: NaiveDate,
    pub due_in_days: i64,
    pub period: i64,
    #[serde(flatten)]
    pub from: PeriodFrom,
    /// `reviewed_by:`, the reviewer's id, and their name from site.toml.
    pub reviewed_by: Option<String>,
    pub reviewer: Option<String>,
}

/// An article whose sources are due to be checked again, with those sources.
#[derive(Debug, Clone, Serialize)]
pub struct WithSources {
    pub file: PathBuf,
    pub title: String,
    pub url: String,
    /// Its slug, as `--confirm` takes it.
    pub slug: String,
    pub reviewed_by: Option<String>,
    pub reviewer: Option<String>,
    pub sources: Vec<SourceListed>,
}

/// A translation whose original changed after it was last confirmed.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationBehind {
    pub file: PathBuf,
    pub title: String,
    pub lang: String,
    /// Its slug, as `--confirm` takes it.
    pub slug: String,
    pub current_as_at: NaiveDate,
    pub original: PathBuf,
    /// The original's newest change note after `current_as_at`.
    pub changed: NaiveDate,
    pub note: String,
    /// What `brief check` says of it.
    pub message: String,
}

/// One source due, numbered as `--confirm SLUG --source N` takes it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceListed {
    pub number: usize,
    pub title: String,
    pub url: String,
    pub checked: NaiveDate,
    pub due: NaiveDate,
    pub due_in_days: i64,
    pub period: i64,
}

/// The published articles and stamped pages by review state as of the site's today: overdue (most overdue
/// first), due within `within` days (soonest first), how many are due later, and those whose
/// sources are due (the longest due first).
#[derive(Debug, Serialize)]
pub struct States {
    pub version: u32,
    pub today: NaiveDate,
    pub within_days: i64,
    pub overdue: Vec<Listed>,
    pub due_soon: Vec<Listed>,
    pub later: usize,
    pub sources_due: Vec<WithSources>,
    /// Translations behind their original ([`crate::site::review::behind`]).
    pub translations_behind: Vec<TranslationBehind>,
}

/// The version of `brief review --format json`; raised only when a field changes meaning or
/// goes away.
pub const JSON_VERSION: u32 = 1;

/// The review states of what readers see; with `reviewer`, only of what that reviewer (an
/// id of `[reviewers]`, checked by the caller) confirmed last.
pub fn states(site: &Site, within: i64, reviewer: Option<&str>) -> States {
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut later = 0;
    let mut sources = Vec::new();
    let mut behind = Vec::new();
    let docs = site
        .reviewed_by_readers()
        .filter(|d| reviewer.is_none() || d.front.reviewed_by.as_deref() == reviewer);
    for doc in docs {
        let reviewer = doc
            .front
            .reviewed_by
            .as_ref()
            .and_then(|id| site.config.reviewers.get(id))
            .map(|r| r.name.clone());
        if let Some(b) = site
            .original_of(doc)
            .and_then(|original| crate::site::review::behind(doc, original))
        {
            behind.push(TranslationBehind {
                file: doc.file.clone(),
                title: doc.front.title.clone(),
                lang: doc.lang.clone(),
                slug: doc.slug.clone(),
                current_as_at: b.confirmed,
                original: b.original.file.clone(),
                changed: b.changed,
                note: b.note.to_string(),
                message: b.describe(),
            });
        }
        let due = sources_due(doc, &site.config, site.today);
        if !due.is_empty() {
            sources.push(WithSources {
                file: doc.file.clone(),
                title: doc.front.title.clone(),
                url: site.config.url(doc.path()),
                slug: doc.slug.clone(),
                reviewed_by: doc.front.reviewed_by.clone(),
                reviewer: reviewer.clone(),
                sources: due
                    .iter()
                    .map(|s| SourceListed {
                        number: s.number,
                        title: s.source.title.clone(),
                        url: s.source.url.clone(),
                        checked: s.source.checked,
                        due: s.due,
                        due_in_days: s.due_in_days,
                        period: s.period,
                    })
                    .collect(),
            });
        }
        let review = of(doc, &site.config, site.today);
        let listed = Listed {
            file: doc.file.clone(),
            title: doc.front.title.clone(),
            url: site.config.url(doc.path()),
            current_as_at: doc.as_at(),
            due: review.due,
            due_in_days: review.due_in_days,
            period: review.period,
            from: review.from.clone(),
            reviewed_by: doc.front.reviewed_by.clone(),
            reviewer,
        };
        if review.overdue() {
            overdue.push(listed);
        } else if review.due_in_days <= within {
            due_soon.push(listed);
        } else {
            later += 1;
        }
    }
    let order = |a: &Listed, b: &Listed| a.due.cmp(&b.due).then_with(|| a.file.cmp(&b.file));
    overdue.sort_by(order);
    due_soon.sort_by(order);
    let first_due = |w: &WithSources| w.sources.iter().map(|s| s.due).min();
    sources.sort_by(|a, b| {
        first_due(a)
            .cmp(&first_due(b))
            .then_with(|| a.file.cmp(&b.file))
    });
    States {
        version: JSON_VERSION,
        today: site.today,
        within_days: within,
        overdue,
        due_soon,
        later,
        sources_due: sources,
        translations_behind: behind,
    }
}

/// The list for people.
pub fn text(states: &States) -> String {
    let mut out = String::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let line = |l: &Listed, when: String| {
        let by = l.reviewer.as_deref().map_or(String::new(), |name| {
            format!(", reviewed by {}", crate::diagnostic::printable(name))
        });
        format!(
            "  {}  {when}\n    {} (current as at {}{by})\n",
            crate::diagnostic::printable(&crate::diagnostic::shown(&l.file)),
            crate::diagnostic::printable(&l.title),
            l.current_as_at
        )
    };
    if !states.overdue.is_empty() {
        out.push_str(&format!("Overdue for review ({}):\n", states.overdue.len()));
        for l in &states.overdue {
            let days = -l.due_in_days;
            out.push_str(&line(
                l,
                format!(
                    "due {}, {} ago",
                    l.due,
                    plural(days as usize, "day", "days")
                ),
            ));
        }
        out.push('\n');
    }
    if !states.due_soon.is_empty() {
        out.push_str(&format!(
            "Due within {} days ({}):\n",
            states.within_days,
            states.due_soon.len()
        ));
        for l in &states.due_soon {
            let when = match l.due_in_days {
                0 => format!("due {}, today", l.due),
                n => format!("due {}, in {}", l.due, plural(n as usize, "day", "days")),
            };
            out.push_str(&line(l, when));
        }
        out.push('\n');
    }
    if !states.sources_due.is_empty() {
        let count: usize = states.sources_due.iter().map(|w| w.sources.len()).sum();
        out.push_str(&format!("Sources due to be checked again ({count}):\n"));
        for w in &states.sources_due {
            out.push_str(&format!(
                "  {}\n    {}\n",
                crate::diagnostic::printable(&crate::diagnostic::shown(&w.file)),
                crate::diagnostic::printable(&w.title),
            ));
            for s in &w.sources {
                out.push_str(&format!(
                    "    source {}: {}, checked {}, due {} (brief review --confirm {} --source {})\n",
                    s.number,
                    crate::diagnostic::printable(&s.title),
                    s.checked,
                    s.due,
                    w.slug,
                    s.number
                ));
            }
        }
        out.push('\n');
    }
    if !states.translations_behind.is_empty() {
        out.push_str(&format!(
            "Translations behind their original ({}):\n",
            states.translations_behind.len()
        ));
        for t in &states.translations_behind {
            out.push_str(&format!(
                "  {}\n    {}\n",
                crate::diagnostic::printable(&crate::diagnostic::shown(&t.file)),
                crate::diagnostic::printable(&t.message),
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{} overdue, {} due within {} days, {} later (as of {})\n",
        states.overdue.len(),
        states.due_soon.len(),
        states.within_days,
        states.later,
        states.today
    ));
    out
}
