//! `default_language` and `[languages.<code>]`: each language the site publishes in, resolved
//! once here so that nothing later falls back. What the site writes (title, description,
//! menu, call-to-action wording, disclaimers) falls back to the default language's; the
//! theme's wording (stamp, date format, words) to brief's table for that language
//! ([`crate::theme::words`]), English for a language brief has no table for.

use super::theme::{self, MenuItem, RawMenuItem};
use super::{check_date_format, find_key_line, CallToAction, Disclaimer, FILE};
use crate::diagnostic::{did_you_mean, line_of, Diagnostic, Result};
use chrono::{Locale, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One language of the site, every setting resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// The BCP 47 tag, as site.toml writes it: `<html lang>`, the file suffix (`x.fr.md`)
    /// and, for all but the default language, the first folder of its addresses (`/fr/`).
    pub code: String,
    pub title: String,
    pub description: String,
    pub menu: Vec<MenuItem>,
    pub ctas: BTreeMap<String, CallToAction>,
    pub disclaimers: BTreeMap<String, Disclaimer>,
    pub date_format: String,
    pub stamp_before: String,
    pub stamp_after: String,
    locale: Locale,
    /// Every word of the theme ([`crate::theme::words`]), site.toml's overrides applied.
    pub words: BTreeMap<String, String>,
}

impl Language {
    /// A date in this language's format and month names ("5 juillet 2026"); the one place
    /// brief writes a date for readers.
    pub fn display_date(&self, date: NaiveDate) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        match write!(
            out,
            "{}",
            date.format_localized(&self.date_format, self.locale)
        ) {
            Ok(()) => out,
            // The format is checked when site.toml is read; this is only a guard.
            Err(_) => date.to_string(),
        }
    }

    /// The theme's word `key` (every table has every key: a unit test of
    /// [`crate::theme::words`] checks), with `{name}` placeholders as written.
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, |w| w)
    }

    /// The language's name in itself ("Français"), for the language switcher.
    pub fn name(&self) -> &str {
        self.words.get("language_name").map_or(&self.code, |n| n)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    menu: Option<Vec<RawMenuItem>>,
    #[serde(default)]
    cta: BTreeMap<String, RawCtaWording>,
    #[serde(default)]
    disclaimer: BTreeMap<String, RawDisclaimerWording>,
    stamp: Option<String>,
    date_format: Option<Spanned<String>>,
    #[serde(default)]
    words: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCtaWording {
    title: Option<String>,
    body: Option<String>,
    button: Option<String>,
    href: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDisclaimerWording {
    text: Option<String>,
    label: Option<String>,
}

/// What the top of site.toml says, the default language's settings.
pub(super) struct Default<'a> {
    pub code: String,
    pub title: &'a str,
    pub description: &'a str,
    pub menu: &'a [MenuItem],
    pub ctas: &'a BTreeMap<String, CallToAction>,
    pub disclaimers: &'a BTreeMap<String, Disclaimer>,
    /// `[dates] format` and `stamp`, when given.
    pub date_format: Option<String>,
    pub stamp: Option<String>,
}

/// A language tag brief accepts: a primary tag of 2 to 8 letters, then subtags of 1 to 8
/// letters and digits, joined by `-` (BCP 47's shape, without its registry).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Every language, the default first, then the others in the order of their codes.
pub(super) fn languages(
    text: &str,
    default: Default,
    mut raw: BTreeMap<String, RawLanguage>,
) -> Result<Vec<Language>> {
    let own = raw.remove(&default.code).unwrap_or_default();
    let table_line = |code: &str| find_key_line(text, &format!("[languages.{code}"));
    if own.title.is_some()
        || own.description.is_some()
        || own.menu.is_some()
        || !own.cta.is_empty()
        || !own.disclaimer.is_empty()
        || own.stamp.is_some()
        || own.date_format.is_some()
    {
        return Err(Diagnostic::error(format!(
            "[languages.{code}] is the default language's table, and only its words can be set there",
            code = default.code
        ))
        .on_line_opt(table_line(&default.code))
        .with_fix(format!(
            "set the title, description, menu, calls-to-action, disclaimers and [dates] at the top of {FILE}; keep [languages.{}.words] for the theme's words",
            default.code
        )));
    }
    let first = language(
        text,
        &default.code,
        Language {
            code: default.code.clone(),
            title: default.title.to_string(),
            description: default.description.to_string(),
            menu: default.menu.to_vec(),
            ctas: default.ctas.clone(),
            disclaimers: default.disclaimers.clone(),
            date_format: String::new(),
            stamp_before: String::new(),
            stamp_after: String::new(),
            locale: Locale::POSIX,
            words: BTreeMap::new(),
        },
        RawLanguage {
            stamp: default.stamp,
            date_format: default.date_format.map(|f| Spanned::new(0..0, f)),
            words: own.words,
            ..RawLanguage::default()
        },
    )?;
    let mut out = vec![first.clone()];
    for (code, raw) in raw {
        if !is_language_tag(&code) {
            return Err(Diagnostic::error(format!(
                "[languages.{code}]: `{code}` is not a language tag"
            ))
            .on_line_opt(table_line(&code))
            .with_fix("name the table with a BCP 47 tag such as [languages.fr] or [languages.pt-BR]: it is the pages' <html lang> and the start of their addresses (/fr/)"));
        }
        if let Some(taken) = out.iter().find(|l| l.code.eq_ignore_ascii_case(&code)) {
            return Err(Diagnostic::error(format!(
                "[languages.{code}] is the language `{}` again, written another way",
                taken.code
            ))
            .on_line_opt(table_line(&code))
            .with_fix("keep one table for each language"));
        }
        let base = Language {
            code: code.clone(),
            ..first.clone()
        };
        out.push(language(text, &code, base, raw)?);
    }
    Ok(out)
}

/// One language: `base` (the default language's settings) with `raw` laid over it.
fn language(text: &str, code: &str, base: Language, raw: RawLanguage) -> Result<Language> {
    let table = crate::theme::words::table(code).map_err(Diagnostic::error)?;
    let at = |key: &str| {
        find_key_line(text, &format!("[languages.{code}]"))
            .and_then(|start| {
                text.lines()
                    .enumerate()
                    .skip(start)
                    .take_while(|(_, l)| !l.trim_start().starts_with('['))
                    .find(|(_, l)| {
                        l.trim_start()
                            .strip_prefix(key)
                            .is_some_and(|r| r.trim_start().starts_with('='))
                    })
                    .map(|(i, _)| i + 1)
            })
            .or_else(|| find_key_line(text, key))
    };
    let mut lang = base;

    if let Some(title) = raw.title {
        if title.trim().is_empty() {
            return Err(Diagnostic::error(format!("[languages.{code}] title is empty"))
                .on_line_opt(at("title"))
                .with_fix("write the site's name in this language, or remove the line to use the default language's"));
        }
        lang.title = title;
    }
    if let Some(description) = raw.description {
        lang.description = description;
    }
    if let Some(menu) = raw.menu {
        lang.menu = theme::menu(text, menu)?;
    }
    for (id, wording) in raw.cta {
        let table = format!("[languages.{code}.cta.{id}]");
        let Some(cta) = lang.ctas.get_mut(&id) else {
            return Err(Diagnostic::error(format!(
                "{table} translates a call-to-action, but there is no [cta.{id}]"
            ))
            .on_line_opt(find_key_line(text, &table))
            .with_fix(super::known_ctas_hint(&lang.ctas)));
        };
        for (field, value) in [
            (&mut cta.title, wording.title),
            (&mut cta.body, wording.body),
            (&mut cta.button, wording.button),
            (&mut cta.href, wording.href),
        ] {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                *field = value;
            }
        }
    }
    for (id, wording) in raw.disclaimer {
        let table = format!("[languages.{code}.disclaimer.{id}]");
        let Some(disclaimer) = lang.disclaimers.get_mut(&id) else {
            return Err(Diagnostic::error(format!(
                "{table} translates a disclaimer, but there is no [disclaimer.{id}]"
            ))
            .on_line_opt(find_key_line(text, &table))
            .with_fix(super::known_disclaimers_hint(&lang.disclaimers)));
        };
        if let Some(t) = wording.text.filter(|t| !t.trim().is_empty()) {
            disclaimer.text = t;
            disclaimer.line = find_key_line(text, &table);
        }
        if let Some(label) = wording.label {
            disclaimer.label = label.trim().to_string();
        }
    }

    let (format, format_line) = match raw.date_format {
        Some(f) => {
            let span = f.span();
            let line = (span.end > 0).then(|| line_of(text, span.start));
            (f.into_inner(), line.or_else(|| at("format")))
        }
        None => (table.format, None),
    };
    if let Err(why) = check_date_format(&format) {
        return Err(Diagnostic::error(format!("the date format `{format}` cannot be used: {why}"))
            .on_line_opt(format_line)
            .with_fix("use date specifiers only: %-d (5), %d (05), %A (Monday), %a (Mon), %B (July), %b (Jul), %m (07), %Y (2026); e.g. \"%-d %B %Y\""));
    }
    lang.date_format = format;
    let given_stamp = raw.stamp.is_some();
    let stamp = raw.stamp.unwrap_or(table.stamp);
    let Some((before, after)) = stamp.split_once("{date}") else {
        return Err(
            Diagnostic::error(format!("the stamp `{stamp}` has no {{date}} in it"))
                .on_line_opt(given_stamp.then(|| at("stamp")).flatten())
                .with_fix("write where the date goes, e.g. \"Information current as at {date}\""),
        );
    };
    lang.stamp_before = before.to_string();
    lang.stamp_after = after.to_string();
    lang.locale = table.locale;

    lang.words = table.words;
    for (key, word) in raw.words {
        let line = (word.span().end > 0).then(|| line_of(text, word.span().start));
        let Some(slot) = lang.words.get_mut(&key) else {
            let keys = crate::theme::words::keys();
            return Err(Diagnostic::error(format!(
                "[languages.{code}.words] has `{key}`, which is not one of the theme's words"
            ))
            .on_line_opt(line)
            .with_fix(did_you_mean(
                &key,
                keys.iter().copied(),
                "templates/README.md lists the theme's words".to_string(),
            )));
        };
        *slot = word.into_inner();
    }
    Ok(lang)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use chrono::NaiveDate;

    const MINIMAL: &str =
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[dates]\ntimezone = \"UTC\"\n";

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
    }

    #[test]
    fn each_language_falls_back_to_the_default_for_what_the_site_writes() {
        let c = Config::parse(&format!(
            "default_language = \"en-GB\"\n{MINIMAL}[languages.fr]\ntitle = \"Conseil\"\n[languages.cy]\n[languages.en-GB.words]\ndraft = \"Unfinished\"\n"
        ))
        .unwrap();
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en-GB", "cy", "fr"]);
        let fr = c.language("fr");
        assert_eq!(fr.title, "Conseil");
        assert_eq!(fr.words["draft"], "Brouillon");
        assert_eq!(fr.display_date(day()), "3 novembre 2026");
        assert_eq!(fr.stamp_before, "Informations à jour au ");
        let cy = c.language("cy");
        assert_eq!(cy.title, "T");
        assert_eq!(cy.display_date(day()), "3 Tachwedd 2026");
        assert_eq!(c.language("en-GB").words["draft"], "Unfinished");
        assert_eq!(
            c.display_date("de", day()),
            "3 November 2026",
            "the default's"
        );
    }

    #[test]
    fn language_settings_are_checked_at_their_lines() {
        let e = Config::parse(&format!(
            "lang = \"en\"\ndefault_language = \"en\"\n{MINIMAL}"
        ))
        .unwrap_err();
        assert!(e.message.contains("both"), "{e}");
        assert_eq!(e.line, Some(1), "{e}");
        let e =
            Config::parse(&format!("{MINIMAL}[languages.fr.words]\ndarft = \"x\"\n")).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert_eq!(
            e.fix.as_deref().unwrap().split('?').next(),
            Some("did you mean `draft`")
        );
        let e = Config::parse(&format!("{MINIMAL}[languages.f_r]\n")).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let e = Config::parse(&format!("{MINIMAL}[languages.en]\ntitle = \"x\"\n")).unwrap_err();
        assert!(e.message.contains("default language"), "{e}");
        let e =
            Config::parse(&format!("{MINIMAL}[languages.fr]\nstamp = \"À jour\"\n")).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        let e =
            Config::parse(&format!("{MINIMAL}[languages.fr]\ndate_format = \"%H\"\n")).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        let e =
            Config::parse(&format!("{MINIMAL}[languages.fr.cta.x]\ntitle = \"t\"\n")).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
    }
}
