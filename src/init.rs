//! `brief init`: a new site in an empty folder, complete enough that `brief build` and
//! `brief check` pass on it at once: a commented `site.toml`, a sample article that shows the
//! stamp and an inline call-to-action, about and contact pages, a `.gitignore` for the
//! output, and a GitHub Pages workflow that builds on push and once a day. With `--theme`,
//! the theme's templates and assets are copied out too, for editing.

use crate::config;
use crate::diagnostic::{Diagnostic, Result};
use crate::theme;
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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

/// The files a new site is made of, in the order they are written.
fn site_files(s: &Settings, today: NaiveDate) -> Vec<(&'static str, String)> {
    let quoted = |v: &str| toml::Value::String(v.to_string()).to_string();
    let today = today.to_string();
    let toml = include_str!("init/site.toml")
        .replace("@TITLE_COMMENT@", &s.title.replace(['\n', '\r'], " "))
        .replace("@TITLE@", &quoted(&s.title))
        .replace("@DESCRIPTION@", &quoted(&s.description))
        .replace("@BASE_URL@", &quoted(&s.base_url))
        .replace("@LANG@", &quoted(&s.lang))
        .replace("@AUTHOR@", &quoted(&s.author))
        .replace("@TIMEZONE@", &quoted(&s.timezone));
    vec![
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
            include_str!("init/publish.yml").to_string(),
        ),
    ]
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

/// Writes a new site into `dir` (made if missing) and returns the files written, relative
/// to it. Refuses a folder that holds files unless `force`; never replaces a file.
pub fn create(
    dir: &Path,
    settings: &Settings,
    today: NaiveDate,
    force: bool,
) -> Result<Vec<PathBuf>> {
    check_settings(settings)?;
    if !force && has_files(dir)? {
        return Err(Diagnostic::error("the folder is not empty")
            .in_file(dir)
            .with_fix("start the site in a new or empty folder (brief init my-site), or give --force to add its files beside what is there"));
    }
    let files = site_files(settings, today);
    write_all(
        dir,
        files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())),
    )
}

/// Copies the theme's templates and assets into `dir`'s `templates/` and `assets/`, for
/// editing. Never replaces a file: one that exists is a file the site already overrides.
pub fn eject_theme(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = theme::files();
    let missing: Vec<(PathBuf, &[u8])> = files
        .iter()
        .filter(|(path, _)| !dir.join(path).exists())
        .map(|(path, bytes)| (path.clone(), bytes.as_ref()))
        .collect();
    write_all(dir, missing.into_iter())
}

/// Writes every file, none of which may exist yet; checks them all before writing any.
fn write_all<'a>(
    dir: &Path,
    files: impl Iterator<Item = (PathBuf, &'a [u8])>,
) -> Result<Vec<PathBuf>> {
    let files: Vec<(PathBuf, &[u8])> = files.collect();
    if let Some((taken, _)) = files
        .iter()
        .find(|(p, _)| dir.join(p).symlink_metadata().is_ok())
    {
        return Err(Diagnostic::error(
            "this file is already there, and brief init never replaces a file",
        )
        .in_file(dir.join(taken))
        .with_fix("move it away first, or start the site in a new folder"));
    }
    for (path, bytes) in &files {
        let target = dir.join(path);
        let fail = |e: std::io::Error| {
            Diagnostic::error(format!("cannot write the file: {e}"))
                .in_file(&target)
                .with_fix("check that the folder is writable and the disk is not full")
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(fail)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Refuses settings the site could not build with, before anything is written.
fn check_settings(s: &Settings) -> Result<()> {
    let bad =
        |what: &str, fix: &str| Err(Diagnostic::error(what.to_string()).with_fix(fix.to_string()));
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
    let url = s.base_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 10 {
        return bad(
            &format!("`{url}` is not a web address"),
            "give the address the site will live at with --base-url, e.g. https://example.com/",
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

    #[test]
    fn settings_with_quotes_make_valid_toml() {
        let mut s = Settings::defaults(Path::new("."));
        s.title = "O'Brien \"&\" Co\\".to_string();
        s.timezone = "UTC".to_string();
        let files = site_files(&s, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap());
        let parsed = config::Config::parse(&files[0].1).unwrap();
        assert_eq!(parsed.title, s.title);
    }
}
