//! When each article is due for review, and `brief review`: the list of articles by review
//! state, overdue first.
//!
//! An article's review period is, in this order of precedence: its own
//! `review_after_days:`; the shortest of its tags' periods in `[dates.review_tags]`; the
//! site's `[dates] review_after_days`. It is due that many days after `current_as_at`.

use crate::config::Config;
use crate::site::{Document, Site};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::path::PathBuf;

/// Where an article's review period comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "tag")]
pub enum PeriodFrom {
    /// Its own `review_after_days:`.
    Article,
    /// `[dates.review_tags]`, for this tag (by slug).
    Tag(String),
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
    let as_at = doc.front.current_as_at.unwrap_or_else(|| doc.date());
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
    let by_tag = doc
        .front
        .tag_slugs
        .iter()
        .filter_map(|slug| Some((*config.dates.review_tags.get(slug)?, slug)))
        .min();
    match by_tag {
        Some((days, slug)) => (days, PeriodFrom::Tag(slug.clone())),
        None => (config.dates.review_after_days, PeriodFrom::Site),
    }
}

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
}

/// The published articles by review state as of the site's today: overdue (most overdue
/// first), due within `within` days (soonest first), and how many are due later.
#[derive(Debug, Serialize)]
pub struct States {
    pub version: u32,
    pub today: NaiveDate,
    pub within_days: i64,
    pub overdue: Vec<Listed>,
    pub due_soon: Vec<Listed>,
    pub later: usize,
}

/// The version of `brief review --format json`; raised only when a field changes meaning or
/// goes away.
pub const JSON_VERSION: u32 = 1;

pub fn states(site: &Site, within: i64) -> States {
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut later = 0;
    for doc in &site.articles {
        let review = of(doc, &site.config, site.today);
        let listed = Listed {
            file: doc.file.clone(),
            title: doc.front.title.clone(),
            url: site.config.url(doc.path()),
            current_as_at: doc.front.current_as_at.unwrap_or_else(|| doc.date()),
            due: review.due,
            due_in_days: review.due_in_days,
            period: review.period,
            from: review.from.clone(),
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
    States {
        version: JSON_VERSION,
        today: site.today,
        within_days: within,
        overdue,
        due_soon,
        later,
    }
}

/// The list for people.
pub fn text(states: &States) -> String {
    let mut out = String::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let line = |l: &Listed, when: String| {
        format!(
            "  {}  {when}\n    {} (current as at {})\n",
            crate::diagnostic::printable(&l.file.to_string_lossy().replace('\\', "/")),
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

/// What `brief review --confirm` changed.
#[derive(Debug, PartialEq, Eq)]
pub struct Confirmed {
    pub file: PathBuf,
    pub line: usize,
    pub was: NaiveDate,
    pub now: NaiveDate,
}

/// Records that the article `target` (its file, relative to the site, or its slug) was
/// reviewed on `site.today`: its `current_as_at` becomes that day. Only the date on that
/// line changes; every other byte of the file stays as it was. `site` must be loaded with
/// drafts and scheduled articles, so that they are refused by name rather than unknown.
pub fn confirm(site: &Site, target: &str) -> crate::diagnostic::Result<Option<Confirmed>> {
    use crate::diagnostic::Diagnostic;
    let wanted = target.trim_start_matches("./").replace('\\', "/");
    let doc = site
        .articles
        .iter()
        .find(|d| d.slug == wanted || d.file.to_string_lossy().replace('\\', "/") == wanted);
    let Some(doc) = doc else {
        let slugs = site.articles.iter().map(|d| d.slug.as_str());
        let fix = match crate::diagnostic::closest(&wanted, slugs) {
            Some(best) => format!("did you mean `{best}`? Give an article's slug or its file, e.g. content/articles/{best}.md"),
            None => "give an article's slug or its file, e.g. content/articles/my-article.md; brief review lists them".to_string(),
        };
        return Err(Diagnostic::error(format!("there is no article `{target}`")).with_fix(fix));
    };
    let fail = |message: String, fix: &str| {
        Err(Diagnostic::error(message)
            .in_file(&doc.file)
            .with_fix(fix.to_string()))
    };
    if doc.front.draft {
        return fail(
            "the article is a draft: a review confirms what readers see".into(),
            "publish it first (remove `draft: true`); its current_as_at is set when you do",
        );
    }
    if doc.date() > site.today {
        return fail(
            format!(
                "the article is scheduled for {}: it cannot be reviewed before it is published",
                doc.date()
            ),
            "set its current_as_at when it is published",
        );
    }
    let Some(line) = doc.front.lines.of("current_as_at") else {
        return fail(
            "the article has no `current_as_at` line to change".into(),
            "add `current_as_at: YYYY-MM-DD` to its front matter",
        );
    };
    let text = site.source(doc)?;
    let was = doc.front.current_as_at.unwrap_or_else(|| doc.date());
    if was == site.today {
        return Ok(None);
    }
    let Some(changed) = with_date_on_line(&text, line, site.today) else {
        return fail(
            format!("line {line} does not hold current_as_at's date as YYYY-MM-DD"),
            "write it as `current_as_at: YYYY-MM-DD`",
        );
    };
    crate::content::replace_file(&site.root.join(&doc.file), changed.as_bytes())
        .map_err(|e| crate::content::io_error(&doc.file, "cannot write the file", &e))?;
    Ok(Some(Confirmed {
        file: doc.file.clone(),
        line,
        was,
        now: site.today,
    }))
}

/// `text` with the first `YYYY-MM-DD` on (1-based) `line` replaced by `date`.
fn with_date_on_line(text: &str, line: usize, date: NaiveDate) -> Option<String> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let bytes = &text.as_bytes()[start..end];
    let is_date = |w: &[u8]| {
        w.len() == 10
            && w.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
    };
    let at = (0..bytes.len().saturating_sub(9)).find(|&i| is_date(&bytes[i..i + 10]))?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start + at]);
    out.push_str(&date.format("%Y-%m-%d").to_string());
    out.push_str(&text[start + at + 10..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_date_on_the_line_changes() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let text = "---\r\ntitle: A # 2020-01-01\r\ncurrent_as_at: \"2026-07-05\"  # checked\r\n---\r\nBody 2026-07-05\r\n";
        assert_eq!(
            with_date_on_line(text, 3, day).unwrap(),
            "---\r\ntitle: A # 2020-01-01\r\ncurrent_as_at: \"2026-12-02\"  # checked\r\n---\r\nBody 2026-07-05\r\n"
        );
        assert_eq!(with_date_on_line("a\ncurrent_as_at: soon\n", 2, day), None);
        assert_eq!(
            with_date_on_line("current_as_at: 2026-07-05", 1, day).unwrap(),
            "current_as_at: 2026-12-02"
        );
    }
}
