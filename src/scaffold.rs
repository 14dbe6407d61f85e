//! `brief new`: starts an article with complete front matter and a body to fill in.
//!
//! The new article is a draft, dated today in the site's time zone, with an empty summary
//! and `TODO` prompts that `brief check` reports until they are dealt with.

use crate::config::Config;
use crate::content::{ARTICLES, DIR};
use crate::core::files::MAX_NAME;
use crate::diagnostic::{printable, Diagnostic, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the author asked for.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    /// The publication date; today when not given.
    pub date: Option<NaiveDate>,
    /// The section's folder under content/ (`guides/security`); `articles` when not given.
    pub section: Option<String>,
    /// Write a page bundle, `<slug>/index.md`, for files to sit beside it.
    pub bundle: bool,
    /// Start a translation into this language of the article `title` names by its slug
    /// (`translate::create`).
    pub lang: Option<String>,
}

mod translate;

/// Writes `content/articles/<slug>.md` (or `<slug>/index.md`, in another section's folder)
/// under `root` and returns its path. Never overwrites a file, and refuses a slug that
/// another document of that folder already publishes to.
pub fn create(root: &Path, new: &NewArticle) -> Result<PathBuf> {
    let config = Config::load(root)?;
    if let Some(lang) = &new.lang {
        return translate::create(root, &config, new, lang);
    }
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Diagnostic::error("the title is empty")
            .with_fix("give the article a title: brief new \"Prototype versus production\""));
    }
    let slug = match &new.slug {
        Some(slug) => {
            let clean = slug_of(slug);
            if clean != *slug {
                let fix = match clean.is_empty() {
                    true => "use lower-case letters, digits and hyphens".to_string(),
                    false => format!(
                        "use lower-case letters, digits and hyphens, e.g. --slug {}",
                        shortened_slug(&clean, LONGEST_TITLE_SLUG)
                    ),
                };
                return Err(Diagnostic::error(format!("`{slug}` cannot be a slug")).with_fix(fix));
            }
            if slug.len() > MAX_NAME {
                return Err(Diagnostic::error(format!(
                    "the slug is {} characters long; brief makes no file or folder name longer than {MAX_NAME}",
                    slug.len()
                ))
                .with_fix(format!(
                    "choose a shorter one, e.g. --slug {}",
                    shortened_slug(slug, LONGEST_TITLE_SLUG)
                )));
            }
            clean
        }
        None => shortened_slug(&slug_of(title), LONGEST_TITLE_SLUG),
    };
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make an address from the title `{title}`"))
                .with_fix("choose one with --slug, e.g. --slug my-article"),
        );
    }
    let tags: Vec<String> = new
        .tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(bad) = tags.iter().find(|t| slug::slugify(t).is_empty()) {
        return Err(
            Diagnostic::error(format!("the tag `{bad}` has no letters or digits")).with_fix(
                "give each tag a name with letters or digits, e.g. --tags production,security",
            ),
        );
    }

    let section = match &new.section {
        Some(given) => section_folder(given).map_err(|why| {
            Diagnostic::error(format!("`{}` cannot be a section", printable(given))).with_fix(why)
        })?,
        None => ARTICLES.to_string(),
    };
    let section = section.as_str();
    let dir = root.join(DIR).join(section);
    let name = match new.bundle {
        true => format!("{slug}/index.md"),
        false => format!("{slug}.md"),
    };
    let rel = PathBuf::from(DIR).join(section).join(&name);
    if let Some(other) = article_with_slug(&dir, root, &slug) {
        if other != rel {
            return Err(Diagnostic::error(format!(
                "{} already publishes to /{section}/{slug}/",
                other.display()
            ))
            .in_file(&other)
            .with_fix("choose another title or pass --slug"));
        }
    }
    let today = config.today();
    let date = new.date.unwrap_or(today);
    // Information cannot be confirmed before it is published.
    let as_at = date.max(today);
    let text = article_text(title, date, as_at, &tags);

    let path = dir.join(&name);
    let long = || too_long(&rel, &slug, new.section.is_some());
    write_new(&path, &rel, &text, &long)?;
    Ok(path)
}

/// Writes `text` to a new file at `path` (`rel` from the site's root), making its folders;
/// never over a file, and taking away what it made when it fails. `long` is the error for a
/// name the system finds too long.
fn write_new(path: &Path, rel: &Path, text: &str, long: &dyn Fn() -> Diagnostic) -> Result<()> {
    let folder = path.parent().unwrap_or(path).to_path_buf();
    // The folders this run makes, deepest first, so that a failure takes them away again.
    let made: Vec<PathBuf> = folder
        .ancestors()
        .take_while(|a| !a.exists())
        .map(Path::to_path_buf)
        .collect();
    let undo = |file: bool| {
        if file {
            let _ = std::fs::remove_file(path);
        }
        for folder in &made {
            let _ = std::fs::remove_dir(folder);
        }
    };
    std::fs::create_dir_all(&folder).map_err(|e| {
        undo(false);
        match e.kind() {
            std::io::ErrorKind::InvalidFilename => long(),
            _ => crate::content::io_error(rel, "cannot create the folder", &e),
        }
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            undo(false);
            match e.kind() {
                std::io::ErrorKind::AlreadyExists => Diagnostic::error(
                    "the article already exists; brief new never overwrites a file",
                )
                .in_file(rel)
                .with_fix("open that file to edit it, or choose another title or --slug"),
                std::io::ErrorKind::InvalidFilename => long(),
                _ => crate::content::io_error(rel, "cannot create the article", &e),
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        undo(true);
        crate::content::io_error(rel, "cannot write the article", &e)
    })?;
    Ok(())
}

/// A `--section` as the folder under content/ it names: a plain relative path of folder
/// names (`guides/security`, a trailing `/` allowed), or why it is not one. Refused: a path
/// from the root, `.` and `..`, hidden and `_` folders, `\\` and `:` (Windows paths and
/// drives), control characters, and `content/` at the start, which would make
/// content/content/.
pub fn section_folder(given: &str) -> std::result::Result<String, String> {
    const EXAMPLE: &str = "e.g. guides/security";
    let path = given.strip_suffix('/').unwrap_or(given);
    if path.is_empty() {
        return Err(format!("name a folder under content/, {EXAMPLE}"));
    }
    if path.starts_with('/') || path.contains(['\\', ':']) {
        return Err(format!(
            "it is a path from the root of the disk; give the folder's path from content/, {EXAMPLE}"
        ));
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(format!(
            "give the folder's path from content/ with no `.`, `..` or empty parts, {EXAMPLE}"
        ));
    }
    if parts.iter().any(|p| p.starts_with(['.', '_'])) {
        return Err("brief skips folders whose names start with `.` or `_`".to_string());
    }
    if path.contains(char::is_control) {
        return Err("it holds a control character".to_string());
    }
    if parts.iter().any(|p| p.len() > MAX_NAME) {
        return Err(format!(
            "a folder name is longer than {MAX_NAME} bytes, more than brief writes"
        ));
    }
    if parts[0] == DIR {
        return Err(match parts.len() {
            1 => format!("content/ holds the sections: name a folder in it, {EXAMPLE}"),
            _ => format!("leave out `content/`: --section {}", parts[1..].join("/")),
        });
    }
    Ok(path.to_string())
}

/// The longest slug brief makes from a title: an address people can read and share, and
/// far below the longest file name a file system takes.
const LONGEST_TITLE_SLUG: usize = 80;

/// `slug` cut to at most `longest` characters at the end of a word (a hyphen), or within a
/// word only when the first word alone is longer.
fn shortened_slug(slug: &str, longest: usize) -> String {
    if slug.len() <= longest {
        return slug.to_string();
    }
    // Slugs are ASCII, so every byte is a character boundary.
    let head = &slug[..=longest];
    match head.rfind('-') {
        Some(end) if end > 0 => head[..end].to_string(),
        _ => slug[..longest].to_string(),
    }
}

/// The error for an article whose name the file system refuses as too long (some allow far
/// fewer than 255 bytes: encrypted home folders 143).
fn too_long(rel: &Path, slug: &str, section_given: bool) -> Diagnostic {
    let or_section = match section_given {
        true => ", or a section with a shorter path",
        false => "",
    };
    Diagnostic::error("cannot create the article: its name is too long for this file system")
        .in_file(rel)
        .with_fix(format!(
            "choose a shorter address with --slug, e.g. --slug {}{or_section}",
            shortened_slug(slug, 40)
        ))
}

/// A slug the way a person would write it: lower-case ASCII words joined by hyphens,
/// accents folded ("Café Crème" → "cafe-creme") and apostrophes dropped ("Don't" → "dont").
pub fn slug_of(title: &str) -> String {
    let without_apostrophes: String = title
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘' | 'ʼ'))
        .collect();
    slug::slugify(without_apostrophes)
}

/// The text of a new article.
pub fn article_text(title: &str, date: NaiveDate, as_at: NaiveDate, tags: &[String]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| crate::yaml::scalar(t)).collect();
    format!(
        "---
title: {title}
date: {date}
current_as_at: {as_at}
summary: \"\"  # one or two sentences for lists, the feed and search results
tags: [{tags}]
draft: true
---

TODO: Open with who this is for and the one thing they should take away.

## TODO: the first section

TODO: Write the article. Then fill in the summary, set `current_as_at` to the day you last
checked the facts, remove `draft: true`, and run `brief check`.
",
        title = crate::yaml::scalar(title),
        tags = tags.join(", "),
    )
}

/// The article already publishing to `slug`, by file name or front matter `slug:`.
fn article_with_slug(dir: &Path, root: &Path, slug: &str) -> Option<PathBuf> {
    // The folder's own documents: its Markdown files, and its bundles' index.md.
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::content::is_hidden(e.path(), dir))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.depth() == 1 || e.file_name() == crate::content::BUNDLE_INDEX)
        .find(|e| {
            let named = match e.depth() {
                1 => e.path(),
                _ => e.path().parent().unwrap_or(e.path()),
            };
            let stem = named.file_stem().unwrap_or_default().to_string_lossy();
            match front_matter_slug(e.path()) {
                Some(own) => own == slug,
                None => slug::slugify(&stem) == slug,
            }
        })
        .map(|e| crate::content::relative(root, e.path()))
}

/// The `slug:` line of a file's front matter, read without parsing the whole file.
fn front_matter_slug(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("slug:"))
        .map(|v| {
            let v = v.split(" #").next().unwrap_or(v).trim();
            v.trim_matches(|c| c == '"' || c == '\'').to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::{parse, split, Defaults, Kind};

    fn config() -> Config {
        Config::parse("title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='UTC'\n").unwrap()
    }

    #[test]
    fn slugs_fold_accents_and_apostrophes() {
        assert_eq!(slug_of("Café Crème"), "cafe-creme");
        assert_eq!(slug_of("Don't panic: it’s fine!"), "dont-panic-its-fine");
        assert_eq!(
            slug_of("  Prototype   versus -- production "),
            "prototype-versus-production"
        );
        assert_eq!(slug_of("???"), "");
    }

    #[test]
    fn every_title_reads_back_as_written() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
        for title in [
            "Plain title",
            "Café: the \"real\" story",
            "#1 mistake",
            "What's next? A guide # with hash",
            "- dash first",
            "yes",
            "2026-07-05",
            "3.14",
            "[not a list]",
            "{not: a map}",
            "& anchor * alias ! tag | pipe > fold % directive @ at ` tick",
            "back\\slash and 'single' quotes",
            "Ünïcode – dash",
        ] {
            let text = article_text(title, day, day, &["a: b".into(), "c#".into()]);
            let fm = parse(
                &split(&text).unwrap(),
                Kind::Article,
                &config(),
                day,
                &Defaults::default(),
            )
            .unwrap_or_else(|e| panic!("{title}: {e:?}\n{text}"));
            assert_eq!(fm.title, title, "{text}");
            assert_eq!(fm.tags, vec!["a: b", "c#"]);
            assert!(fm.draft);
            assert_eq!(fm.summary, None, "the summary is left for the author");
        }
    }
}
