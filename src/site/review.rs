//! When an article is due for review. Its review period is, in this order of precedence:
//! its own `review_after_days:`; its section's (the `review_after_days` of the nearest
//! `_index.md` above it that sets one); the shortest of its tags' periods in
//! `[dates.review_tags]`; the site's `[dates] review_after_days`. It is due that many days
//! after `current_as_at`.
//!
//! A source (`sources:`) is due when it was checked longer ago than `[dates]
//! source_review_days`, or, without that, than its article's review period.

use super::Document;
use crate::config::Config;
use crate::frontmatter::Source;
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Where an article's review period comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum PeriodFrom {
    /// Its own `review_after_days:`.
    Article,
    /// The `_index.md` of its section, or of one above it: the section at this site path.
    Section { section: String },
    /// `[dates.review_tags]`, for this tag (by slug).
    Tag { tag: String },
    /// `[dates] review_after_days`.
    Site,
}

/// An article's review: its period, and the day it falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub period: i64,
    pub from: PeriodFrom,
    /// The day after which the article is out of date: `current_as_at` + `period`.
    pub due: NaiveDate,
    /// Days from `today` to `due`: negative once it is overdue.
    pub due_in_days: i64,
}

impl Review {
    /// Whether the article is past its review date.
    pub fn overdue(&self) -> bool {
        self.due_in_days < 0
    }
}

/// The review of `doc` as of `today`.
pub fn of(doc: &Document, config: &Config, today: NaiveDate) -> Review {
    let (period, from) = period(doc, config);
    let due = after(doc.as_at(), period);
    Review {
        period,
        from,
        due,
        due_in_days: (due - today).num_days(),
    }
}

fn period(doc: &Document, config: &Config) -> (i64, PeriodFrom) {
    if let Some(days) = doc.front.review_after_days {
        return (days, PeriodFrom::Article);
    }
    if let Some(days) = doc.section.review_after_days {
        return (
            days,
            PeriodFrom::Section {
                section: doc.section.path.clone(),
            },
        );
    }
    let by_tag = doc
        .front
        .tag_slugs
        .iter()
        .filter_map(|slug| Some((*config.dates.review_tags.get(slug)?, slug)))
        .min();
    match by_tag {
        Some((days, slug)) => (days, PeriodFrom::Tag { tag: slug.clone() }),
        None => (config.dates.review_after_days, PeriodFrom::Site),
    }
}

/// A source of a document that is due to be checked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDue<'d> {
    /// Its place in `sources:`, from 1, as `brief review --confirm --source` takes it.
    pub number: usize,
    pub source: &'d Source,
    pub period: i64,
    /// The day after which it is out of date: `checked` + `period`.
    pub due: NaiveDate,
    /// Days from `today` to `due`: negative once it is due.
    pub due_in_days: i64,
}

/// The sources of `doc` past their period as of `today`, in the order written.
pub fn sources_due<'d>(doc: &'d Document, config: &Config, today: NaiveDate) -> Vec<SourceDue<'d>> {
    let period = config
        .dates
        .source_review_days
        .unwrap_or_else(|| period(doc, config).0);
    doc.front
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            let due = after(source.checked, period);
            SourceDue {
                number: i + 1,
                source,
                period,
                due,
                due_in_days: (due - today).num_days(),
            }
        })
        .filter(|s| s.due_in_days < 0)
        .collect()
}

/// `day` + `days`, or the last day there is.
fn after(day: NaiveDate, days: i64) -> NaiveDate {
    u64::try_from(days)
        .ok()
        .and_then(|p| day.checked_add_days(Days::new(p)))
        .unwrap_or(NaiveDate::MAX)
}

/// A translation behind its original: the original's newest change note dated after the
/// translation's `current_as_at`.
#[derive(Debug, Clone)]
pub struct Behind<'a> {
    /// The original's file.
    pub original: &'a Document,
    pub changed: NaiveDate,
    pub note: &'a str,
    /// The translation's `current_as_at`.
    pub confirmed: NaiveDate,
}

impl Behind<'_> {
    /// What `check` and `review` say of it: "the English original changed on 3 November
    /// 2026: Rewrote the refunds section; this translation was last confirmed on …".
    pub fn describe(&self) -> String {
        let english = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        let original = match crate::theme::words::english_name(&self.original.lang) {
            Some(name) => format!("the {name} original"),
            None => format!("the original (`{}`)", self.original.lang),
        };
        format!(
            "{original} changed on {}: {}; this translation was last confirmed on {}",
            english(self.changed),
            self.note,
            english(self.confirmed)
        )
    }
}

/// Whether `translation` is behind `original` (the one rule, for `check` and `review`).
pub fn behind<'a>(translation: &Document, original: &'a Document) -> Option<Behind<'a>> {
    let confirmed = translation.as_at();
    let newest = original
        .front
        .changes
        .iter()
        .filter(|c| c.date > confirmed)
        .max_by_key(|c| c.date)?;
    Some(Behind {
        original,
        changed: newest.date,
        note: &newest.note,
        confirmed,
    })
}
