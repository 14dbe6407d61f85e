//! The review fields of front matter: `reviewed_by:` (a reviewer's id from site.toml) and
//! `changes:` (dated change notes, oldest first), each checked at its line in the file.

use super::fields::entries;
use super::{parse_date, Split};
use crate::config::{known_reviewers_hint, Config};
use crate::diagnostic::{did_you_mean, Diagnostic, Result};
use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// One entry of `changes:`: what changed in the article, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    pub note: String,
    /// The file line of the entry (its `- ` line).
    pub line: usize,
}

/// A `changes:` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChange {
    date: Option<Scalar>,
    note: Option<String>,
}

/// Checks `reviewed_by:` against `[reviewers]`.
pub(super) fn reviewer(
    id: Option<String>,
    line: Option<usize>,
    config: &Config,
) -> Result<Option<String>> {
    let Some(id) = id.map(|i| i.trim().to_string()) else {
        return Ok(None);
    };
    if config.reviewers.contains_key(&id) {
        return Ok(Some(id));
    }
    let fix = did_you_mean(
        &id,
        config.reviewers.keys().map(String::as_str),
        known_reviewers_hint(&config.reviewers),
    );
    Err(Diagnostic::error(format!("unknown reviewer `{id}`"))
        .on_line_opt(line)
        .with_fix(fix))
}

/// Checks `changes:`: every entry dated and noted, oldest first, none before the article's
/// `date` or after `today`, each reported at its entry's line in `split`; `key_line` is the
/// file line of `changes:`.
pub(super) fn changes(
    raw: Vec<RawChange>,
    split: &Split<'_>,
    key_line: Option<usize>,
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<Change>> {
    let lines: Vec<usize> = key_line.map_or_else(Vec::new, |at| {
        entries(split, "changes", at)
            .iter()
            .map(|e| e.line)
            .collect()
    });
    let mut out: Vec<Change> = Vec::with_capacity(raw.len());
    for (i, change) in raw.into_iter().enumerate() {
        let line = lines
            .get(i)
            .copied()
            .or(key_line)
            .unwrap_or(split.front_line);
        let fail = |message: String, fix: &str| {
            Err(Diagnostic::error(message)
                .on_line(line)
                .with_fix(fix.to_string()))
        };
        const SHAPE: &str =
            "write each change as `- date: YYYY-MM-DD` with `note: what changed` under it, oldest first";
        let Some(written) = change.date else {
            return fail(format!("change {} has no date", i + 1), SHAPE);
        };
        let day = match parse_date(&written.0) {
            Ok(day) => day,
            Err(why) => {
                return fail(
                    format!("change {} has date `{}`: {why}", i + 1, written.0),
                    SHAPE,
                )
            }
        };
        let note = change
            .note
            .map(|n| n.trim().to_string())
            .unwrap_or_default();
        if note.is_empty() {
            return fail(
                format!("the change of {day} has no note"),
                "say in a sentence what changed for the reader, e.g. `note: Fees updated for 2026-27`",
            );
        }
        if let Some(date) = date.filter(|&d| day < d) {
            return fail(
                format!("the change of {day} is earlier than the article's date ({date})"),
                "a change note records an edit after publication: correct its date, or the article's",
            );
        }
        if day > today {
            return fail(
                format!("the change of {day} is dated after today ({today})"),
                "date a change note on the day the change was made",
            );
        }
        if let Some(before) = out.last().filter(|c| c.date > day) {
            return fail(
                format!("the change of {day} comes after the change of {}: changes are listed oldest first", before.date),
                "put the changes in date order, the newest last (brief review --confirm --note adds it there)",
            );
        }
        out.push(Change {
            date: day,
            note,
            line,
        });
    }
    Ok(out)
}

/// Accepts any YAML scalar as text, so a date can be checked and explained rather than
/// rejected by its YAML type.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
