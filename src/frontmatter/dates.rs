//! Dates in front matter: `YYYY-MM-DD`, or an RFC 3339 date-time (as Hugo, Zola and Jekyll
//! write them) taken as its calendar date in the site's time zone; and the date at the
//! start of a Jekyll-style file name.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// The years brief reads dates in. Advice published before 1900 or after 2999 is a typo
/// (`0202`, `9999`), and every date worked out from one (a review due up to a hundred years
/// later, the day before or after in another time zone) must still be a four-digit year.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// Parses a `YYYY-MM-DD` date, explaining what is wrong with anything else.
pub fn parse_date(text: &str) -> std::result::Result<NaiveDate, String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return Err("dates must be written YYYY-MM-DD".to_string());
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| "there is no such date".to_string())?;
    if !YEARS.contains(&date.year()) {
        return Err(format!(
            "the year {} is outside {}–{}, the years brief reads: earlier or later is almost surely a typo, and the dates worked out from it (such as the next review, up to a hundred years on) must stay within four-digit years",
            &text[..4],
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(date)
}

/// Parses a date, or a date and time, into the calendar date it falls on in `zone`:
/// `2026-07-05`, `2026-07-04T20:00:00Z` and `2026-07-05T06:00:00+10:00` (converted to
/// `zone`), or `2026-07-05 06:00:00` and `2026-07-05T06:00` (a time without an offset is
/// the site's own, so its date is the date written).
pub fn date_in_zone(text: &str, zone: Tz) -> std::result::Result<NaiveDate, String> {
    let text = text.trim();
    if !is_date_time(text) {
        return parse_date(text);
    }
    // An impossible calendar date is the same mistake whatever time follows it.
    parse_date(&text[..10])?;
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&zone).date_naive());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(at.date());
        }
    }
    Err("a date and time must be written as RFC 3339, e.g. 2026-07-05T09:30:00+10:00, or 2026-07-05 09:30:00 in the site's time zone".to_string())
}

/// Whether `text` is shaped as a date followed by a time (`T` or a space after it).
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 10
        && matches!(b[10], b'T' | b't' | b' ')
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Splits a Jekyll-style file name, `2024-03-05-title`, into its date and the rest
/// (`title`). `None` when the name does not start with a real date and a hyphen, or
/// nothing follows them.
pub fn dated_name(stem: &str) -> Option<(NaiveDate, &str)> {
    let (date, rest) = (stem.get(..10)?, stem.get(10..)?);
    let rest = rest.strip_prefix('-').filter(|r| !r.is_empty())?;
    Some((parse_date(date).ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_times_take_the_calendar_date_in_the_site_zone() {
        let sydney: Tz = "Australia/Sydney".parse().unwrap();
        let utc: Tz = "UTC".parse().unwrap();
        assert_eq!(
            date_in_zone("2026-07-04T20:00:00Z", sydney),
            Ok(day(2026, 7, 5))
        );
        assert_eq!(
            date_in_zone("2026-07-04T20:00:00Z", utc),
            Ok(day(2026, 7, 4))
        );
        assert_eq!(
            date_in_zone("2024-03-05T09:30:00+11:00", utc),
            Ok(day(2024, 3, 4))
        );
        assert_eq!(
            date_in_zone("2024-03-05T09:30:00+11:00", sydney),
            Ok(day(2024, 3, 5))
        );
        // No offset: the site's own time, so the date written.
        assert_eq!(
            date_in_zone("2024-03-05 23:30:00", utc),
            Ok(day(2024, 3, 5))
        );
        assert_eq!(
            date_in_zone("2024-03-05T23:30", sydney),
            Ok(day(2024, 3, 5))
        );
        assert_eq!(
            date_in_zone("2024-03-05T09:30:00.123-07:00", utc),
            Ok(day(2024, 3, 5))
        );
        assert_eq!(date_in_zone("2024-03-05", sydney), Ok(day(2024, 3, 5)));
    }

    #[test]
    fn bad_dates_explain_themselves() {
        let utc: Tz = "UTC".parse().unwrap();
        assert!(date_in_zone("05/07/2026", utc)
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(date_in_zone("2026-02-30T10:00:00Z", utc)
            .unwrap_err()
            .contains("no such date"));
        assert!(date_in_zone("2026-07-05T25:00:00Z", utc)
            .unwrap_err()
            .contains("RFC 3339"));
        assert!(date_in_zone("2026-07-05Tnoon", utc)
            .unwrap_err()
            .contains("RFC 3339"));
    }

    #[test]
    fn years_outside_1900_to_2999_are_refused() {
        let utc: Tz = "UTC".parse().unwrap();
        assert_eq!(parse_date("1900-01-01"), Ok(day(1900, 1, 1)));
        assert_eq!(parse_date("2999-12-31"), Ok(day(2999, 12, 31)));
        for bad in ["9999-12-31", "1899-12-31", "0202-03-04", "3000-01-01"] {
            let why = parse_date(bad).unwrap_err();
            assert!(why.contains("outside 1900–2999"), "{bad}: {why}");
        }
        assert!(date_in_zone("9999-12-31T10:00:00Z", utc)
            .unwrap_err()
            .contains("the year 9999"));
    }

    #[test]
    fn jekyll_names_split_into_date_and_name() {
        assert_eq!(
            dated_name("2024-03-05-first-post"),
            Some((day(2024, 3, 5), "first-post"))
        );
        assert_eq!(dated_name("2024-03-05"), None);
        assert_eq!(dated_name("2024-03-05-"), None);
        assert_eq!(dated_name("2024-02-30-x"), None);
        assert_eq!(dated_name("2024-03-05x"), None);
        assert_eq!(dated_name("first-post"), None);
        assert_eq!(dated_name("é"), None);
    }
}
