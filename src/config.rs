//! `site.toml`: the site's settings, its date rules and its calls-to-action.

use crate::diagnostic::{
    closest, control_at, control_character_fix, line_of, unknown_field_hint, Diagnostic, Result,
};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

mod accent;
mod base_url;
mod dates;
mod disclaimers;
mod languages;
mod reviewers;
mod theme;

pub use accent::{contrast, Accent, Colour};
pub(crate) use base_url::parse_base_url;
pub use dates::Dates;
use dates::{check_date_format, RawDates};
pub use disclaimers::{known_disclaimers_hint, Disclaimer};
pub use languages::{is_language_tag, Language};
pub use reviewers::{known_reviewers_hint, Reviewer};
pub use theme::{Logo, MenuItem, Place, Placed, Theme};

pub use crate::core::layout::CONFIG as FILE;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub author: String,
    /// The default language's tag (`default_language`, or `lang`, its old name).
    pub lang: String,
    /// Every language, the default first ([`Language`]): what templates see of each.
    pub languages: Vec<Language>,
    /// Absolute, ends in `/`.
    pub base_url: String,
    /// The path part of `base_url`: starts and ends in `/`.
    pub base_path: String,
    pub paginate: usize,
    pub default_cta: Option<String>,
    pub require_cta: bool,
    pub dates: Dates,
    pub ctas: BTreeMap<String, CallToAction>,
    /// `[reviewers.<id>]`, by id.
    pub reviewers: BTreeMap<String, Reviewer>,
    /// `[disclaimer.<id>]`, by id.
    pub disclaimers: BTreeMap<String, Disclaimer>,
    /// The disclaimer of articles and stamped pages that name none (`default_disclaimer`).
    pub default_disclaimer: Option<String>,
    /// The navigation menu, in order; empty for none.
    pub menu: Vec<MenuItem>,
    pub theme: Theme,
    pub markdown: Markdown,
    /// `[search]`: the site's search index and the theme's search box.
    pub search: bool,
    pub extra: serde_json::Value,
}

/// `[markdown]`: how article text becomes HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// Colour fenced code that names its language, at build time.
    pub highlight: bool,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown { highlight: true }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    lang: Option<String>,
    default_language: Option<String>,
    #[serde(default)]
    languages: BTreeMap<String, languages::RawLanguage>,
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
    reviewers: BTreeMap<String, reviewers::RawReviewer>,
    default_disclaimer: Option<String>,
    #[serde(default)]
    disclaimer: BTreeMap<String, disclaimers::RawDisclaimer>,
    #[serde(default)]
    menu: Vec<theme::RawMenuItem>,
    #[serde(default)]
    theme: theme::RawTheme,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    extra: toml::Table,
}

pub(super) fn yes() -> bool {
    true
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default = "yes")]
    highlight: bool,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        RawMarkdown { highlight: true }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default = "yes")]
    enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCta {
    title: String,
    body: String,
    button: String,
    href: String,
}

fn default_paginate() -> i64 {
    10
}
impl Config {
    /// Reads and checks `ROOT/site.toml`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE);
        if let Some(kind) = path
            .metadata()
            .ok()
            .and_then(|m| crate::content::special_kind(m.file_type()))
        {
            return Err(crate::content::not_regular(Path::new(FILE), kind));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let d = Diagnostic::error(format!("cannot read {FILE}: {e}")).in_file(FILE);
            if e.kind() == std::io::ErrorKind::NotFound {
                d.with_fix(format!(
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
            let mut d = Diagnostic::error(format!("{FILE} is not valid: {message}"));
            if let Some(span) = e.span() {
                d = d.at_offset(text, span.start, 1);
            }
            let control = e.span().and_then(|span| control_at(text, span.start));
            if let Some(c) = control {
                d.message = format!(
                    "{FILE} is not valid: the control character U+{:04X} is not allowed anywhere in TOML, comments included",
                    c as u32
                );
                d = d.with_fix(control_character_fix(c));
            } else if message.is_empty() {
                // toml gives some errors no words; the place is still known.
                d.message = format!("{FILE} is not valid: TOML cannot be read from this point");
                d = d.with_fix(
                    "check the TOML syntax at that column: `name = \"text\"`, tables as `[name]`",
                );
            } else if let Some(hint) = unknown_field_hint(&message) {
                d = d.with_fix(hint);
            } else if message.contains("missing field") {
                d = d.with_fix("add the field; README.md lists every setting of site.toml");
            } else if message.contains("invalid type") {
                d = d.with_fix(
                    "write text in quotes, numbers and true/false without: `paginate = 10`",
                );
            } else {
                d = d.with_fix(
                    "check the TOML syntax on that line: `name = \"text\"`, tables as `[name]`",
                );
            }
            d
        })?;
        let key_line = |key: &str| find_key_line(text, key);
        let fail = |key: &str, message: String, hint: &str| {
            Diagnostic::error(message)
                .on_line_opt(key_line(key))
                .with_fix(hint.to_string())
        };

        let (base_url, base_path) = parse_base_url(&raw.base_url).map_err(|why| {
            fail(
                "base_url",
                format!("base_url `{}` is not valid: {why}", raw.base_url),
                "write an absolute address such as \"https://example.com/\" or \"https://example.com/advice/\"",
            )
        })?;

        if raw.title.trim().is_empty() {
            return Err(fail(
                "title",
                "title is empty".into(),
                "write the site's name, e.g. title = \"Acme Advisory\": it heads every page",
            ));
        }

        let (lang_key, lang) = match (raw.lang, raw.default_language) {
            (Some(_), Some(_)) => {
                return Err(fail(
                    "lang",
                    "site.toml sets both `lang` and `default_language`".into(),
                    "keep default_language (lang is its old name) and remove lang",
                ))
            }
            (Some(lang), None) => ("lang", lang),
            (None, Some(lang)) => ("default_language", lang),
            (None, None) => ("lang", "en".to_string()),
        };
        if !is_language_tag(&lang) {
            return Err(fail(
                lang_key,
                format!("{lang_key} `{lang}` is not a language tag"),
                "write a language tag such as \"en\" or \"en-AU\": it is the pages' <html lang>",
            ));
        }

        if raw.paginate < 1 {
            return Err(fail(
                "paginate",
                format!("paginate is {}, but it must be at least 1", raw.paginate),
                "set paginate to how many articles each list page shows, e.g. 10",
            ));
        }

        let format_span = raw.dates.format.as_ref().map_or(0..0, |f| f.span());
        let given_format = raw.dates.format.map(toml::Spanned::into_inner);
        let table = crate::theme::words::table(&lang).map_err(Diagnostic::error)?;
        let format = given_format.clone().unwrap_or(table.format);
        if let Err(why) = check_date_format(&format) {
            let line = (format_span.end > 0).then(|| line_of(text, format_span.start));
            return Err(Diagnostic::error(format!(
                "[dates] format `{format}` cannot be used: {why}"
            ))
            .on_line_opt(line.or_else(|| key_line("format")))
            .with_fix(
                "use date specifiers only: %-d (5), %d (05), %A (Monday), %a (Mon), %B (July), %b (Jul), %m (07), %Y (2026); e.g. \"%-d %B %Y\"",
            ));
        }
        let stamp = raw.dates.stamp.clone().unwrap_or(table.stamp);
        let Some((stamp_before, stamp_after)) = stamp.split_once("{date}") else {
            return Err(fail(
                "stamp",
                format!("[dates] stamp `{stamp}` has no {{date}} in it"),
                "write where the date goes, e.g. \"Information current as at {date}\"",
            ));
        };
        let days = raw.dates.review_after_days;
        if !(1..=crate::core::model::MAX_REVIEW_DAYS).contains(&days) {
            return Err(fail(
                "review_after_days",
                format!(
                    "[dates] review_after_days is {days}: it must be a number of days from 1 to {}",
                    crate::core::model::MAX_REVIEW_DAYS
                ),
                "set it to the number of days after which an article needs review, e.g. 365",
            ));
        }
        if let Some(days) = raw
            .dates
            .source_review_days
            .filter(|d| !(1..=crate::core::model::MAX_REVIEW_DAYS).contains(d))
        {
            return Err(fail(
                "source_review_days",
                format!(
                    "[dates] source_review_days is {days}: it must be a number of days from 1 to {}",
                    crate::core::model::MAX_REVIEW_DAYS
                ),
                "set it to the number of days after which a source needs checking again, e.g. 180; or remove it, and sources fall due with their article",
            ));
        }
        let mut review_tags = BTreeMap::new();
        for (tag, &days) in &raw.dates.review_tags {
            let slug = slug::slugify(tag);
            if slug.is_empty() || !(1..=crate::core::model::MAX_REVIEW_DAYS).contains(&days) {
                return Err(fail(
                    tag,
                    format!("[dates.review_tags] `{tag} = {days}`: a tag needs a name and a period from 1 to 36500 days"),
                    "write one line a tag, e.g. `security = 180` (articles tagged security are due for review 180 days after current_as_at)",
                ));
            }
            review_tags.insert(slug, days);
        }
        let overdue_is_error = match raw.dates.overdue.as_str() {
            "warning" => false,
            "error" => true,
            other => {
                return Err(fail(
                    "overdue",
                    format!("[dates] overdue is `{other}`"),
                    "write overdue = \"warning\" (the default) or overdue = \"error\", which makes brief check fail on an article past its review date",
                ))
            }
        };
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
            // The theme prints each of these in an element of its own.
            let fields = [
                ("title", &cta.title),
                ("body", &cta.body),
                ("button", &cta.button),
                ("href", &cta.href),
            ];
            if let Some((key, _)) = fields.iter().find(|(_, v)| v.trim().is_empty()) {
                return Err(fail(
                    &format!("[cta.{id}]"),
                    format!("[cta.{id}] {key} is empty"),
                    "write what the call-to-action says there, or remove the table",
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

        let reviewers = reviewers::reviewers(text, raw.reviewers)?;
        let disclaimers =
            disclaimers::disclaimers(text, raw.disclaimer, raw.default_disclaimer.as_deref())?;
        let menu = theme::menu(text, raw.menu)?;
        let theme = theme::theme(text, raw.theme, &raw.title)?;

        let languages = languages::languages(
            text,
            languages::Default {
                code: lang.clone(),
                title: &raw.title,
                description: &raw.description,
                menu: &menu,
                ctas: &ctas,
                disclaimers: &disclaimers,
                date_format: given_format,
                stamp: raw.dates.stamp,
            },
            raw.languages,
        )?;

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
            lang,
            languages,
            base_url,
            base_path,
            paginate: raw.paginate as usize,
            default_cta: raw.default_cta,
            require_cta: raw.require_cta,
            dates: Dates {
                format,
                stamp_before: stamp_before.to_string(),
                stamp_after: stamp_after.to_string(),
                review_after_days: raw.dates.review_after_days,
                review_tags,
                source_review_days: raw.dates.source_review_days,
                show_next_review: raw.dates.show_next_review,
                overdue_is_error,
                timezone,
            },
            ctas,
            reviewers,
            disclaimers,
            default_disclaimer: raw.default_disclaimer,
            menu,
            theme,
            markdown: Markdown {
                highlight: raw.markdown.highlight,
            },
            search: raw.search.enabled,
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

    /// The language `code` of the site, or the default language when it has none such.
    pub fn language(&self, code: &str) -> &Language {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .unwrap_or(&self.languages[0])
    }

    /// A date written the site's way in a language ("5 July 2026", "5 juillet 2026").
    pub fn display_date(&self, lang: &str, date: NaiveDate) -> String {
        self.language(lang).display_date(date)
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
            c.display_date(&c.lang, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()),
            "5 July 2026"
        );
        assert_eq!(c.site_link("/contact/"), "/advice/contact/");
        assert_eq!(c.site_link("https://x.org/"), "https://x.org/");
        assert_eq!(c.site_link("#top"), "#top");
        assert!(c.markdown.highlight);
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        assert!(Config::parse(MINIMAL).unwrap().search);
        let off = Config::parse(&format!("{MINIMAL}[search]\nenabled = false\n")).unwrap();
        assert!(!off.search);
        let bad = Config::parse(&format!("{MINIMAL}[search]\nenable = false\n")).unwrap_err();
        assert!(bad.message.contains("enable"), "{bad}");
    }

    #[test]
    fn the_highlight_switch_is_checked_with_its_line() {
        let off = Config::parse(&format!("{MINIMAL}[markdown]\nhighlight = false\n")).unwrap();
        assert!(!off.markdown.highlight);
        let bad = Config::parse(&format!("{MINIMAL}[markdown]\nhighlight = \"no\"\n")).unwrap_err();
        assert_eq!(bad.line, Some(7), "{bad}");
        let unknown =
            Config::parse(&format!("{MINIMAL}[markdown]\nhighlights = true\n")).unwrap_err();
        assert_eq!(unknown.line, Some(7), "{unknown}");
        assert!(unknown.message.contains("highlights"), "{unknown}");
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
        assert_eq!(e.fix.as_deref(), Some("did you mean `href`?"), "{e}");
        assert_eq!(e.line, Some(11));
    }

    #[test]
    fn values_the_theme_prints_in_elements_of_their_own_cannot_be_empty() {
        let e = Config::parse(&MINIMAL.replace("title = \"T\"", "title = \" \"")).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("title is empty"), "{e}");
        let e = Config::parse(&format!("lang = \"\"\n{MINIMAL}")).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = Config::parse(&format!("lang = \"en AU\"\n{MINIMAL}")).unwrap_err();
        assert!(e.message.contains("`en AU`"), "{e}");
        assert!(Config::parse(&format!("lang = \"zh-Hant-TW\"\n{MINIMAL}")).is_ok());
        let e = Config::parse(&format!(
            "{MINIMAL}\n[cta.a]\ntitle = 't'\nbody = 'b'\nbutton = ''\nhref = '/'\n"
        ))
        .unwrap_err();
        assert_eq!(e.message, "[cta.a] button is empty");
        assert_eq!(e.line, Some(7), "{e}");
    }

    #[test]
    fn base_urls() {
        assert_eq!(parse_base_url("http://localhost:1111").unwrap().1, "/");
        assert!(parse_base_url("ftp://x/").is_err());
        assert!(parse_base_url("https:///").is_err());
        assert!(parse_base_url("https://x.com/a/../b").is_err());
        assert_eq!(
            parse_base_url("https://[::1]:8080/a").unwrap().0,
            "https://[::1]:8080/a/"
        );
        assert_eq!(parse_base_url("https://b\u{fc}cher.de").unwrap().1, "/");
        for (bad, why) in [
            ("https://example.com//double/", "empty segment"),
            ("https://example.com/a//b/", "empty segment"),
            ("https://user:pass@example.com/", "user name"),
            ("https://@example.com/", "user name"),
            ("https://example.com:/", "port"),
            ("https://example.com:99999/", "port"),
            ("https://example.com:80x/", "port"),
            ("https://exa_mple.com/", "host"),
            ("https://.example.com/", "host"),
            ("https://example..com/", "host"),
            ("https://-x.com/", "host"),
            ("https://[zz]/", "host"),
            ("https://[::1/", "host"),
            ("https:///advice/", "host"),
            ("https://example.com/a\"b/", "path"),
            ("https://example.com/?q=1", "query"),
            ("https://example.com/#top", "fragment"),
            ("mailto:x@example.com", "https://"),
            ("javascript:alert(1)", "https://"),
            ("//example.com/", "https://"),
        ] {
            let e = parse_base_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn invalid_date_format_is_an_error_not_a_panic() {
        let e = Config::parse(&MINIMAL.replace("[dates]", "[dates]\nformat = \"%Q\"")).unwrap_err();
        assert!(e.message.contains("%Q"));
    }

    #[test]
    fn date_formats_with_a_time_or_zone_are_refused_at_their_line() {
        let with = |format: &str| {
            Config::parse(&MINIMAL.replace(
                "[dates]",
                &format!("[extra]\nformat = 1\n[dates]\nformat = {format:?}"),
            ))
        };
        for (format, spec) in [
            ("%H:%M", "%H"),
            ("%-d %B %Y %s", "%s"),
            ("%d %z", "%z"),
            ("%Z", "%Z"),
            ("%+", "%+"),
            ("%.3f", "%.3f"),
            ("%::z", "%::z"),
            ("%c", "%c"),
            ("%p", "%p"),
            ("%d %", "%"),
        ] {
            let e = with(format).unwrap_err();
            assert!(e.message.contains(&format!("`{spec}`")), "{format}: {e}");
            assert_eq!(e.line, Some(7), "{format}: {e}");
            assert!(e.fix.unwrap().contains("%-d %B %Y"));
        }
        for format in [
            "%-d %B %Y",
            "%A %e %b %y",
            "%F",
            "%D",
            "%x",
            "%j %U %W %G-W%V-%u %q",
            "100%% %C",
        ] {
            let c = with(format).unwrap_or_else(|e| panic!("{format}: {e}"));
            let _ = c.display_date(&c.lang, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap());
        }
    }
}
