//! When an article is due for review. Its review period is, in this order of precedence:
//! its own `review_after_days:`; its section's (the `review_after_days` of the nearest
//! `_index.md` above it that sets one); the shortest of its tags' periods in
//! `[dates.review_tags]`; the site's `[dates] review_after_days`. It is due that many days
//! after `current_as_at`.

use super::Document;
use crate::config::Config;
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
    let as_at = doc.as_at();
    let due = u64::try_from(period)
        .ok()
        .and_then(|p| as_at.checked_add_days(Days::new(p)))
        .unwrap_or(NaiveDate::MAX);
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
