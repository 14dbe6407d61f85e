//! `brief init`: a new site in an empty folder, complete enough that `brief build` and
//! `brief check` pass on it at once: a commented `site.toml`, a sample article that shows the
//! stamp and an inline call-to-action, about and contact pages, a `.gitignore` for the
//! output, a GitHub Pages workflow that builds on push and once a day, and a weekly one that
//! files review reminders as issues. With `--theme`,
//! the theme's templates and assets are copied out too, for editing.

use crate::config;
use crate::diagnostic::{Diagnostic, Result};
use crate::theme;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use write::{place, write_all, NewFile, Place};

mod install;
mod write;

/// What the new site's `site.toml` says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub lang: String,
    pub author: String,
    pub timezone: String,
}

impl Settings {
    /// What a site in `dir` starts with when nobody says otherwise: its title from the
    /// folder's name, this computer's time zone.
    pub fn defaults(dir: &Path) -> Settings {
        let absolute = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let title = title_from(&name).unwrap_or_else(|| "My practice".to_string());
        let timezone = iana_time_zone::get_timezone()
            .ok()
            .filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok())
            .unwrap_or_else(|| "UTC".to_string());
        Settings {
            author: title.clone(),
            title,
            description: String::new(),
            base_url: "https://example.com/".to_string(),
            lang: "en".to_string(),
            timezone,
        }
    }

    /// Asks for each setting on `input`, offering the current value (kept on an empty
    /// answer). `output` gets the questions.
    pub fn ask(&mut self, input: &mut dyn BufRead, output: &mut dyn Write) -> Result<()> {
        let questions: [(&str, &mut String); 6] = [
            ("Site title", &mut self.title),
            ("One-sentence description", &mut self.description),
            ("Address it will live at", &mut self.base_url),
            ("Language (BCP 47, e.g. en-AU)", &mut self.lang),
            ("Author of the articles", &mut self.author),
            (
                "Time zone (IANA, e.g. Australia/Sydney)",
                &mut self.timezone,
            ),
        ];
        for (question, value) in questions {
            let offered = if value.is_empty() {
                String::new()
            } else {
                format!(" [{value}]")
            };
            write!(output, "{question}{offered}: ")
                .and_then(|_| output.flush())
                .ok();
            let mut answer = String::new();
            input
                .read_line(&mut answer)
                .map_err(|e| Diagnostic::error(format!("cannot read the answer: {e}")))?;
            let answer = answer.trim();
            if !answer.is_empty() {
                *value = answer.to_string();
            }
        }
        Ok(())
    }
}

/// "harbour-line_advice" → "Harbour Line Advice".
fn title_from(folder: &str) -> Option<String> {
    let words: Vec<String> = folder
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The files a new site is made of, in the order they are written; an error if the
/// settings would give a `site.toml` that brief cannot read back.
fn site_files(s: &Settings, today: NaiveDate) -> Result<Vec<(&'static str, String)>> {
    check_settings(s)?;
    let quoted = |v: &str| toml::Value::String(v.to_string()).to_string();
    let today = today.to_string();
    let toml = include_str!("init/site.toml")
        .replace("@TITLE_COMMENT@", &s.title)
        .replace("@TITLE@", &quoted(&s.title))
        .replace("@DESCRIPTION@", &quoted(&s.description))
        .replace("@BASE_URL@", &quoted(&s.base_url))
        .replace("@LANG@", &quoted(&s.lang))
        .replace("@AUTHOR@", &quoted(&s.author))
        .replace("@TIMEZONE@", &quoted(&s.timezone));
    // What init writes, build must read: config's own rules (the language tag among them)
    // have the last word, before anything is written.
    if let Err(e) = config::Config::parse(&toml) {
        let flag = FLAGS
            .iter()
            .find(|(name, _)| e.message.starts_with(name))
            .map_or("the flags", |(_, flag)| flag);
        return Err(Diagnostic::error(format!(
            "these settings would make a {} brief cannot read: {}",
            config::FILE,
            e.message
        ))
        .with_fix(format!(
            "{}; give it again with {flag}",
            e.fix.unwrap_or_default()
        )));
    }
    Ok(vec![
        (config::FILE, toml),
        (
            "content/articles/how-this-site-works.md",
            include_str!("init/welcome.md").replace("@TODAY@", &today),
        ),
        (
            "content/about.md",
            include_str!("init/about.md").to_string(),
        ),
        (
            "content/contact.md",
            include_str!("init/contact.md").to_string(),
        ),
        (".gitignore", include_str!("init/gitignore").to_string()),
        (
            ".github/workflows/publish.yml",
            install::with_install_steps(include_str!("init/publish.yml")),
        ),
        (
            ".github/workflows/review-reminders.yml",
            install::with_install_steps(include_str!("init/review-reminders.yml")),
        ),
    ])
}

/// Whether `dir` holds anything but a `.git` folder.
fn has_files(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .filter_map(|e| e.ok())
            .any(|e| e.file_name() != ".git")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Diagnostic::error(format!("cannot read the folder: {e}"))
            .in_file(dir)
            .with_fix("check that it is a folder you may read")),
    }
}

/// Writes a new site into `dir` (made if missing), with the theme's files too if `theme`,
/// and returns the files written, relative to it. Refuses a folder that holds files unless
/// `force`; never replaces a file nor writes through a link; writes all or nothing.
pub fn create(
    dir: &Path,
    settings: &Settings,
    today: NaiveDate,
    force: bool,
    theme: bool,
) -> Result<Vec<PathBuf>> {
    let files = site_files(settings, today)?;
    if !force && has_files(dir)? {
        return Err(Diagnostic::error("the folder is not empty")
            .in_file(dir)
            .with_fix("start the site in a new or empty folder (brief init my-site), or give --force to add its files beside what is there"));
    }
    let mut files: Vec<NewFile> = files
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), Cow::Owned(text.into_bytes())))
        .collect();
    for (path, _) in &files {
        if place(dir, path)? == Place::Taken {
            return Err(Diagnostic::error(
                "this file is already there, and brief init never replaces a file",
            )
            .in_file(dir.join(path))
            .with_fix("move it away first, or start the site in a new folder"));
        }
    }
    if theme {
        files.extend(theme_files_missing(dir)?);
    }
    write_all(dir, files)
}

/// Copies the theme's templates and assets into `dir`'s `templates/` and `assets/`, for
/// editing. Never replaces a file: one that exists is a file the site already overrides.
pub fn eject_theme(dir: &Path) -> Result<Vec<PathBuf>> {
    write_all(dir, theme_files_missing(dir)?)
}

/// The theme's files the site does not have yet; an error if any would be written
/// through a link or into a file.
fn theme_files_missing(dir: &Path) -> Result<Vec<NewFile>> {
    let mut missing = Vec::new();
    for (path, bytes) in theme::files() {
        if place(dir, &path)? == Place::Free {
            missing.push((path, bytes));
        }
    }
    Ok(missing)
}

/// The command-line flag that gives each setting, for the fix of an error.
const FLAGS: [(&str, &str); 6] = [
    ("title", "--title"),
    ("description", "--description"),
    ("base_url", "--base-url"),
    ("lang", "--lang"),
    ("author", "--author"),
    ("timezone", "--timezone"),
];

/// Refuses settings the site could not build with, before anything is written.
fn check_settings(s: &Settings) -> Result<()> {
    let bad =
        |what: &str, fix: &str| Err(Diagnostic::error(what.to_string()).with_fix(fix.to_string()));
    let values = [
        &s.title,
        &s.description,
        &s.base_url,
        &s.lang,
        &s.author,
        &s.timezone,
    ];
    for ((name, flag), value) in FLAGS.iter().zip(values) {
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            return bad(
                &format!(
                    "the {name} holds a control character (U+{:04X}), which no page can show",
                    c as u32
                ),
                &format!("give it again with {flag} \"…\", on one line and without the character"),
            );
        }
    }
    if s.title.trim().is_empty() {
        return bad(
            "the site needs a title",
            "give one with --title \"Your practice\"",
        );
    }
    if s.timezone.parse::<chrono_tz::Tz>().is_err() {
        return bad(
            &format!("`{}` is not a time zone brief knows", s.timezone),
            "give an IANA name with --timezone, e.g. Australia/Sydney, Europe/London or UTC",
        );
    }
    if let Err(why) = config::parse_base_url(&s.base_url) {
        return bad(
            &format!("`{}` cannot be the site's address: {why}", s.base_url),
            "give the address the site will live at with --base-url, e.g. https://example.com/ or https://example.com/advice/",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(
            title_from("harbour-line_advice").as_deref(),
            Some("Harbour Line Advice")
        );
        assert_eq!(title_from("...").as_deref(), None);
    }

    #[test]
    fn answers_replace_defaults_and_blank_answers_keep_them() {
        let mut s = Settings::defaults(Path::new("/nowhere/acme-advisory"));
        assert_eq!(s.title, "Acme Advisory");
        assert_eq!(Settings::defaults(Path::new("/")).title, "My practice");
        let mut input = "Acme Advice\n\n\nen-GB\n\nEurope/London\n".as_bytes();
        let mut asked = Vec::new();
        s.ask(&mut input, &mut asked).unwrap();
        assert_eq!(s.title, "Acme Advice");
        assert_eq!(s.base_url, "https://example.com/");
        assert_eq!(s.lang, "en-GB");
        assert_eq!(s.timezone, "Europe/London");
        assert!(String::from_utf8(asked)
            .unwrap()
            .contains("Site title [Acme Advisory]: "));
    }

    proptest::proptest! {
        /// Any title, description and author either is refused by name, before the
        /// site.toml is made, or reads back from it unchanged.
        #[test]
        fn what_init_writes_reads_back(
            title in proptest::prelude::any::<String>(),
            description in "[\\PC\t\n\"'#\\\\]{0,12}",
            author in proptest::prelude::any::<String>(),
        ) {
            let s = Settings {
                title,
                description,
                base_url: "https://example.com/".to_string(),
                lang: "en".to_string(),
                author,
                timezone: "UTC".to_string(),
            };
            match site_files(&s, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()) {
                Ok(files) => {
                    let read = config::Config::parse(&files[0].1).unwrap();
                    proptest::prop_assert_eq!(
                        (read.title, read.description, read.author),
                        (s.title, s.description, s.author)
                    );
                }
                Err(e) => proptest::prop_assert!(
                    e.message.starts_with("the title")
                        || e.message.starts_with("the description")
                        || e.message.starts_with("the author")
                        || e.message == "the site needs a title",
                    "{}",
                    e.message
                ),
            }
        }
    }

    #[test]
    fn settings_with_quotes_make_valid_toml() {
        let mut s = Settings::defaults(Path::new("."));
        s.title = "O'Brien \"&\" Co\\".to_string();
        s.timezone = "UTC".to_string();
        let files = site_files(&s, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()).unwrap();
        let parsed = config::Config::parse(&files[0].1).unwrap();
        assert_eq!(parsed.title, s.title);
    }
}
