//! `site.toml`: the site's settings, its date rules and its calls-to-action.

use crate::diagnostic::{closest, line_of, unknown_field_hint, Diagnostic, Result};
use chrono::format::{Item, StrftimeItems};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE: &str = "site.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub author: String,
    pub lang: String,
    /// Absolute, ends in `/`.
    pub base_url: String,
    /// The path part of `base_url`: starts and ends in `/`.
    pub base_path: String,
    pub paginate: usize,
    pub default_cta: Option<String>,
    pub require_cta: bool,
    pub dates: Dates,
    pub ctas: BTreeMap<String, CallToAction>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dates {
    /// A chrono strftime format, checked to be valid.
    pub format: String,
    /// The stamp text around `{date}`.
    pub stamp_before: String,
    pub stamp_after: String,
    pub review_after_days: i64,
    pub timezone: Tz,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallToAction {
    pub title: String,
    /// Markdown.
    pub body: String,
    pub button: String,
    pub href: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_lang")]
    lang: String,
    #[serde(default)]
    author: String,
    #[serde(default = "default_paginate")]
    paginate: i64,
    default_cta: Option<String>,
    #[serde(default)]
    require_cta: bool,
    dates: RawDates,
    #[serde(default)]
    cta: BTreeMap<String, RawCta>,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDates {
    #[serde(default = "default_format")]
    format: String,
    #[serde(default = "default_stamp")]
    stamp: String,
    #[serde(default = "default_review")]
    review_after_days: i64,
    timezone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCta {
    title: String,
    body: String,
    button: String,
    href: String,
}

fn default_lang() -> String {
    "en".into()
}
fn default_paginate() -> i64 {
    10
}
fn default_format() -> String {
    "%-d %B %Y".into()
}
fn default_stamp() -> String {
    "Information current as at {date}".into()
}
fn default_review() -> i64 {
    365
}

impl Config {
    /// Reads and checks `ROOT/site.toml`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let d = Diagnostic::error(format!("cannot read {FILE}: {e}")).in_file(FILE);
            if e.kind() == std::io::ErrorKind::NotFound {
                d.with_hint(format!(
                    "run brief in the site's folder or pass --root; {} has no {FILE}",
                    root.display()
                ))
            } else {
                d
            }
        })?;
        Config::parse(&text).map_err(|d| d.or_in_file(FILE))
    }

    /// Parses the text of a site.toml.
    pub fn parse(text: &str) -> Result<Config> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            // toml spreads some messages over lines; the location is printed separately.
            let message = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
                .replace("expected i64", "expected a whole number");
            let mut d = Diagnostic::error(format!("{FILE} is not valid: {message}"))
                .on_line_opt(e.span().map(|s| line_of(text, s.start)));
            if let Some(hint) = unknown_field_hint(&message) {
                d = d.with_hint(hint);
            } else if message.contains("missing field") {
                d = d.with_hint("add the field; README.md lists every setting of site.toml");
            } else if message.contains("invalid type") {
                d = d.with_hint(
                    "write text in quotes, numbers and true/false without: `paginate = 10`",
                );
            } else {
                d = d.with_hint(
                    "check the TOML syntax on that line: `name = \"text\"`, tables as `[name]`",
                );
            }
            d
        })?;
        let key_line = |key: &str| find_key_line(text, key);
        let fail = |key: &str, message: String, hint: &str| {
            Diagnostic::error(message)
                .on_line_opt(key_line(key))
                .with_hint(hint.to_string())
        };

        let (base_url, base_path) = parse_base_url(&raw.base_url).map_err(|why| {
            fail(
                "base_url",
                format!("base_url `{}` is not valid: {why}", raw.base_url),
                "write an absolute address such as \"https://example.com/\" or \"https://example.com/advice/\"",
            )
        })?;

        if raw.paginate < 1 {
            return Err(fail(
                "paginate",
                format!("paginate is {}, but it must be at least 1", raw.paginate),
                "set paginate to how many articles each list page shows, e.g. 10",
            ));
        }

        if StrftimeItems::new(&raw.dates.format).any(|item| matches!(item, Item::Error)) {
            return Err(fail(
                "format",
                format!(
                    "[dates] format `{}` is not a valid date format",
                    raw.dates.format
                ),
                "use chrono strftime codes, e.g. \"%-d %B %Y\" for 5 July 2026",
            ));
        }
        let Some((stamp_before, stamp_after)) = raw.dates.stamp.split_once("{date}") else {
            return Err(fail(
                "stamp",
                format!("[dates] stamp `{}` has no {{date}} in it", raw.dates.stamp),
                "write where the date goes, e.g. \"Information current as at {date}\"",
            ));
        };
        if raw.dates.review_after_days < 0 {
            return Err(fail(
                "review_after_days",
                "[dates] review_after_days must not be negative".into(),
                "set it to the number of days after which an article needs review, e.g. 365",
            ));
        }
        let timezone: Tz = raw.dates.timezone.parse().map_err(|_| {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let hint = match closest(&raw.dates.timezone, names) {
                Some(best) => format!("did you mean \"{best}\"? Time zones are IANA names"),
                None => {
                    "use an IANA time zone name such as \"Australia/Sydney\" or \"Europe/London\""
                        .to_string()
                }
            };
            fail(
                "timezone",
                format!(
                    "[dates] timezone `{}` is not a known time zone",
                    raw.dates.timezone
                ),
                &hint,
            )
        })?;

        let mut ctas = BTreeMap::new();
        for (id, cta) in raw.cta {
            if !is_id(&id) || id == "none" {
                return Err(fail(
                    &format!("[cta.{id}]"),
                    format!("`{id}` cannot be a call-to-action id"),
                    "use lower-case letters, digits and hyphens, e.g. [cta.send-it-over]; `none` is reserved",
                ));
            }
            ctas.insert(
                id,
                CallToAction {
                    title: cta.title,
                    body: cta.body,
                    button: cta.button,
                    href: cta.href,
                },
            );
        }
        if let Some(id) = &raw.default_cta {
            if !ctas.contains_key(id) {
                return Err(fail(
                    "default_cta",
                    format!("default_cta is `{id}`, but there is no [cta.{id}]"),
                    &known_ctas_hint(&ctas),
                ));
            }
        }
        if raw.require_cta && raw.default_cta.is_none() && ctas.is_empty() {
            return Err(fail(
                "require_cta",
                "require_cta is true, but no call-to-action is defined".into(),
                "add a [cta.ID] table and set default_cta = \"ID\"",
            ));
        }

        let extra = serde_json::to_value(&raw.extra).map_err(|e| {
            fail(
                "[extra]",
                format!("[extra] cannot be used: {e}"),
                "keep [extra] to plain values",
            )
        })?;

        Ok(Config {
            title: raw.title,
            description: raw.description,
            author: raw.author,
            lang: raw.lang,
            base_url,
            base_path,
            paginate: raw.paginate as usize,
            default_cta: raw.default_cta,
            require_cta: raw.require_cta,
            dates: Dates {
                format: raw.dates.format,
                stamp_before: stamp_before.to_string(),
                stamp_after: stamp_after.to_string(),
                review_after_days: raw.dates.review_after_days,
                timezone,
            },
            ctas,
            extra,
        })
    }

    /// Replaces the base URL (serve publishes under its local address).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let (base_url, base_path) = parse_base_url(url)
            .map_err(|why| Diagnostic::error(format!("base URL `{url}` is not valid: {why}")))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// Today's date in the site's time zone.
    pub fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&self.dates.timezone).date_naive()
    }

    /// A date written the site's way ("5 July 2026").
    pub fn display_date(&self, date: NaiveDate) -> String {
        date.format(&self.dates.format).to_string()
    }

    /// Absolute URL for a site path that starts after `base_path` (`articles/x/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Root-relative URL with the base path for a site path (`articles/x/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// Rewrites a link an author wrote root-relative (`/contact/`) so that it works under
    /// the base path; leaves every other link alone.
    pub fn site_link(&self, href: &str) -> String {
        if href.starts_with('/') && !href.starts_with("//") && self.base_path != "/" {
            self.url(href)
        } else {
            href.to_string()
        }
    }
}

pub fn known_ctas_hint(ctas: &BTreeMap<String, CallToAction>) -> String {
    if ctas.is_empty() {
        "site.toml defines no calls-to-action; add one as [cta.ID]".into()
    } else {
        let ids: Vec<&str> = ctas.keys().map(String::as_str).collect();
        format!("the calls-to-action in site.toml are: {}", ids.join(", "))
    }
}

/// Ids of CTAs and shortcodes: lower-case ASCII letters, digits, `-` and `_`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Splits a base URL into its normalised form (ending in `/`) and its path.
fn parse_base_url(url: &str) -> std::result::Result<(String, String), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with https:// or http://")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains a space");
    }
    if url.contains('?') || url.contains('#') {
        return Err("it must not have a query or a fragment");
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host_name = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
            h
        } else {
            host
        }
    });
    if host_name.is_empty()
        || !host_name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err("it has no valid host name");
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("its path must not contain . or ..");
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let scheme_end = url.len() - rest.len();
    Ok((format!("{}{}{}", &url[..scheme_end], host, path), path))
}

/// The line of `key = …` or `[table]` in TOML text, for messages about values that parse
/// but are wrong.
fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            if key.starts_with('[') {
                line.starts_with(key)
            } else {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            }
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
title = "T"
base_url = "https://example.com/advice"
[dates]
timezone = "Australia/Sydney"
"#;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://example.com/advice/");
        assert_eq!(c.base_path, "/advice/");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.dates.stamp_before, "Information current as at ");
        assert_eq!(
            c.display_date(NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()),
            "5 July 2026"
        );
        assert_eq!(c.site_link("/contact/"), "/advice/contact/");
        assert_eq!(c.site_link("https://x.org/"), "https://x.org/");
        assert_eq!(c.site_link("#top"), "#top");
    }

    #[test]
    fn bad_values_name_their_line() {
        let e = Config::parse(&MINIMAL.replace("Australia/Sydney", "Mars/Olympus")).unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("Mars/Olympus"), "{e}");

        let e = Config::parse(&MINIMAL.replace("https://example.com/advice", "example.com"))
            .unwrap_err();
        assert_eq!(e.line, Some(3));

        let e = Config::parse(&format!(
            "{MINIMAL}\n[cta.a]\ntitle='t'\nbody='b'\nbutton='x'\nhreff='/'\n"
        ))
        .unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `href`?"), "{e}");
        assert_eq!(e.line, Some(11));
    }

    #[test]
    fn base_urls() {
        assert_eq!(parse_base_url("http://localhost:1111").unwrap().1, "/");
        assert!(parse_base_url("ftp://x/").is_err());
        assert!(parse_base_url("https:///").is_err());
        assert!(parse_base_url("https://x.com/a/../b").is_err());
    }

    #[test]
    fn invalid_date_format_is_an_error_not_a_panic() {
        let e = Config::parse(&MINIMAL.replace("[dates]", "[dates]\nformat = \"%Q\"")).unwrap_err();
        assert!(e.message.contains("%Q"));
    }
}
