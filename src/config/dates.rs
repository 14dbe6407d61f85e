//! `[dates]` of site.toml: how dates are written, the stamp, review periods and the zone,
//! and the check that a date format needs nothing but a date.

use chrono::format::{Item, StrftimeItems};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::yes;

#[derive(Debug, Clone, PartialEq)]
pub struct Dates {
    /// A chrono strftime format, checked to be valid.
    pub format: String,
    /// The stamp text around `{date}`.
    pub stamp_before: String,
    pub stamp_after: String,
    pub review_after_days: i64,
    /// Review periods for articles with a tag, by the tag's slug (`[dates.review_tags]`).
    pub review_tags: BTreeMap<String, i64>,
    /// How many days after it was checked a source is due (`source_review_days`); without
    /// it, a source is due with its article's review period ([`crate::site::review`]).
    pub source_review_days: Option<i64>,
    /// The theme shows "Next review due" under the stamp (`show_next_review`).
    pub show_next_review: bool,
    /// `brief check` reports an overdue article as an error (`overdue = "error"`).
    pub overdue_is_error: bool,
    pub timezone: Tz,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDates {
    pub(super) format: Option<toml::Spanned<String>>,
    pub(super) stamp: Option<String>,
    #[serde(default = "default_review")]
    pub(super) review_after_days: i64,
    #[serde(default)]
    pub(super) review_tags: BTreeMap<String, i64>,
    pub(super) source_review_days: Option<i64>,
    #[serde(default = "yes")]
    pub(super) show_next_review: bool,
    #[serde(default = "default_overdue")]
    pub(super) overdue: String,
    pub(super) timezone: String,
}

fn default_overdue() -> String {
    "warning".into()
}

fn default_review() -> i64 {
    365
}

/// Checks a strftime format for dates: each specifier must be one chrono knows and must
/// need only a date, since formatting a date with a time or zone specifier panics.
pub(super) fn check_date_format(format: &str) -> std::result::Result<(), String> {
    for spec in specifiers(format) {
        let items: Vec<Item> = StrftimeItems::new(spec).collect();
        if items.iter().any(|item| matches!(item, Item::Error)) {
            return Err(format!("`{spec}` is not a strftime specifier"));
        }
        if !items.iter().all(is_date_item) {
            return Err(format!(
                "`{spec}` needs a time of day or a time zone, and brief formats dates only"
            ));
        }
    }
    Ok(())
}

/// The `%` specifiers of a strftime format: `%d`, `%-d`, `%.3f`, `%::z`, a lone `%`.
fn specifiers(format: &str) -> impl Iterator<Item = &str> {
    format
        .match_indices('%')
        .scan(0, move |taken, (i, _)| {
            if i < *taken {
                return Some(None);
            }
            let rest = &format[i + 1..];
            let len = rest
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_digit() || "-_0#.:".contains(c)))
                .map_or(rest.len(), |(j, c)| j + c.len_utf8());
            *taken = i + 1 + len;
            Some(Some(&format[i..*taken]))
        })
        .flatten()
}

fn is_date_item(item: &Item) -> bool {
    use chrono::format::{Fixed, Numeric};
    match item {
        Item::Literal(_) | Item::OwnedLiteral(_) | Item::Space(_) | Item::OwnedSpace(_) => true,
        Item::Numeric(numeric, _) => matches!(
            numeric,
            Numeric::Year
                | Numeric::YearDiv100
                | Numeric::YearMod100
                | Numeric::IsoYear
                | Numeric::IsoYearDiv100
                | Numeric::IsoYearMod100
                | Numeric::Quarter
                | Numeric::Month
                | Numeric::Day
                | Numeric::WeekFromSun
                | Numeric::WeekFromMon
                | Numeric::IsoWeek
                | Numeric::NumDaysFromSun
                | Numeric::WeekdayFromMon
                | Numeric::Ordinal
        ),
        Item::Fixed(fixed) => matches!(
            fixed,
            Fixed::ShortMonthName
                | Fixed::LongMonthName
                | Fixed::ShortWeekdayName
                | Fixed::LongWeekdayName
        ),
        Item::Error => false,
    }
}
