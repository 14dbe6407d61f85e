//! `sources:`: what an article's advice rests on (legislation, a regulator's guidance), each
//! with the day someone last confirmed it still says so. Every entry is checked at its own
//! line in the file, YAML (a block list) or TOML (`[[sources]]` tables); an entry written on
//! one line (a flow mapping, an inline table) is checked at that line.

use super::fields::{describe, entries, Entry};
use super::{date_in_zone, shortened, Format, Split};
use crate::diagnostic::{closest, Diagnostic};
use chrono::NaiveDate;
use serde_json::Value;

/// One source, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    /// An absolute `http://` or `https://` address.
    pub url: String,
    /// The day someone last confirmed the source still says what the article relies on.
    pub checked: NaiveDate,
    /// The file line of the entry (its `- ` line, or its `[[sources]]` header).
    pub line: usize,
    /// The file line of its `checked` key (the entry's line when it shares it).
    pub checked_line: usize,
}

/// The keys a source takes.
const KEYS: &[&str] = &["title", "url", "checked"];

/// Reads `sources:` (its value as written, at file line `key_line`) as of `today`, noting
/// each problem in `problems` at its line.
pub(super) fn read(
    split: &Split<'_>,
    value: &Value,
    key_line: Option<usize>,
    zone: chrono_tz::Tz,
    today: NaiveDate,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let at = key_line.unwrap_or(split.front_line);
    let assign = split.format.assign();
    let items = match value {
        Value::Null => return Vec::new(),
        Value::Array(items) => items,
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "front matter: `sources` must be a list, not {}",
                    describe(other)
                ))
                .on_line(at)
                .with_fix(shape(split.format)),
            );
            return Vec::new();
        }
    };
    let written = entries(split, "sources", at);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let place = match written.get(i).filter(|_| written.len() == items.len()) {
            Some(w) => w.clone(),
            None => Entry {
                line: at,
                keys: Vec::new(),
            },
        };
        let Value::Object(fields) = item else {
            problems.push(
                Diagnostic::error(format!(
                    "source {n} must be a title, a url and a checked date, not {}",
                    describe(item)
                ))
                .on_line(place.line)
                .with_fix(shape(split.format)),
            );
            continue;
        };
        let before = problems.len();
        let mut problem = |key: &str, message: String, fix: String| {
            let line = if key.is_empty() {
                place.line
            } else {
                place.key(key)
            };
            problems.push(Diagnostic::error(message).on_line(line).with_fix(fix));
        };
        for key in fields.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            let fix = match closest(key, KEYS.iter().copied()) {
                Some(best) => {
                    format!("did you mean `{best}`? A source takes title, url and checked")
                }
                None => "a source takes title, url and checked; remove the key".to_string(),
            };
            problem(
                key,
                format!("source {n} has an unknown key `{}`", shortened(key)),
                fix,
            );
        }
        let text = |key: &str| match fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(describe(other)),
        };
        let title = match text("title") {
            Ok(Some(title)) => Some(title),
            Ok(None) => {
                problem(
                    "",
                    format!("source {n} has no title"),
                    format!(
                        "give it the name readers see, e.g. `title{assign}\"Privacy Act 1988\"`"
                    ),
                );
                None
            }
            Err(found) => {
                problem(
                    "title",
                    format!("source {n}'s title must be text, not {found}"),
                    format!("write it as plain text, e.g. `title{assign}\"Privacy Act 1988\"`"),
                );
                None
            }
        };
        let url = match text("url") {
            Ok(Some(url)) if is_address(&url) => Some(url),
            Ok(Some(url)) => {
                problem(
                    "url",
                    format!(
                        "source {n}'s url `{}` is not an address starting http:// or https://",
                        shortened(&url)
                    ),
                    "link to the source where readers can read it, e.g. `https://www.legislation.gov.uk/ukpga/2018/12`".into(),
                );
                None
            }
            Ok(None) => {
                problem(
                    "",
                    format!("source {n} has no url"),
                    format!("add the address where readers can read it, e.g. `url{assign}\"https://www.legislation.gov.uk/ukpga/2018/12\"`"),
                );
                None
            }
            Err(found) => {
                problem(
                    "url",
                    format!("source {n}'s url must be text, not {found}"),
                    format!("write it as an address, e.g. `url{assign}\"https://…\"`"),
                );
                None
            }
        };
        let checked_fix = format!(
            "write the day someone last confirmed the source still says this, e.g. `checked{assign}{today}`"
        );
        let checked = match text("checked").map(|t| t.map(|t| (date_in_zone(&t, zone), t))) {
            Ok(Some((Ok(day), _))) if day > today => {
                problem(
                    "checked",
                    format!("source {n} was checked on {day}, after today ({today}): the page would say it was confirmed on a day that has not come"),
                    checked_fix,
                );
                None
            }
            Ok(Some((Ok(day), _))) => Some(day),
            Ok(Some((Err(why), written))) => {
                problem(
                    "checked",
                    format!("source {n}'s checked is `{}`: {why}", shortened(&written)),
                    checked_fix,
                );
                None
            }
            Ok(None) => {
                problem("", format!("source {n} has no `checked` date"), checked_fix);
                None
            }
            Err(found) => {
                problem(
                    "checked",
                    format!("source {n}'s checked must be a date, not {found}"),
                    checked_fix,
                );
                None
            }
        };
        if let (Some(title), Some(url), Some(checked), true) =
            (title, url, checked, problems.len() == before)
        {
            out.push(Source {
                title,
                url,
                checked,
                line: place.line,
                checked_line: place.key("checked"),
            });
        }
    }
    out
}

/// How sources are written, for a value of the wrong shape.
fn shape(format: Format) -> String {
    match format {
        Format::Yaml => "write each source as `- title: …` with `url: https://…` and `checked: YYYY-MM-DD` under it".into(),
        Format::Toml => "write each source as a `[[sources]]` table with `title = \"…\"`, `url = \"https://…\"` and `checked = YYYY-MM-DD`".into(),
    }
}

/// An absolute web address: `http://` or `https://`, a host, no spaces.
fn is_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_absolute() {
        assert!(is_address(
            "https://www.ncsc.gov.uk/collection/cyber-essentials"
        ));
        assert!(is_address("http://a.example"));
        assert!(!is_address("www.ncsc.gov.uk"));
        assert!(!is_address("https:///path"));
        assert!(!is_address("/about/"));
        assert!(!is_address("https://a.example/with space"));
    }
}
