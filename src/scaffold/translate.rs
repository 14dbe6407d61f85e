//! `brief new --lang fr SLUG`: starts the French translation of an article, beside it
//! (`x.fr.md`, a bundle's `index.fr.md`), with the front matter a translation shares with
//! its original (date, tags, sources, call-to-action, disclaimer, …) and the original's text
//! to translate. What is the translation's own is left out: its slug, aliases, change
//! notes and reviewer; it is a draft confirmed today.

use super::{article_with_slug, section_folder, write_new, NewArticle};
use crate::config::Config;
use crate::content::{ARTICLES, DIR};
use crate::diagnostic::{did_you_mean, printable, Diagnostic, Result};
use crate::frontmatter::{split, Format};
use std::path::{Path, PathBuf};

/// Front matter keys a translation does not take from its original.
const OWN: &[&str] = &[
    "slug",
    "aliases",
    "changes",
    "reviewed_by",
    "current_as_at",
    "draft",
];

pub(super) fn create(
    root: &Path,
    config: &Config,
    new: &NewArticle,
    lang: &str,
) -> Result<PathBuf> {
    let others = config.languages.iter().skip(1).map(|l| l.code.as_str());
    if lang == config.lang {
        return Err(Diagnostic::error(format!(
            "`{lang}` is the site's default language, the language of the originals"
        ))
        .with_fix("give one of the other languages site.toml declares with [languages.<code>]"));
    }
    if !config.languages.iter().any(|l| l.code == lang) {
        let known: Vec<&str> = others.clone().collect();
        let listing = match known.is_empty() {
            true => format!("declare [languages.{lang}] in site.toml first"),
            false => format!(
                "the site's other languages are: {}; or declare [languages.{lang}] in site.toml",
                known.join(", ")
            ),
        };
        return Err(Diagnostic::error(format!(
            "`{}` is not a language of the site",
            printable(lang)
        ))
        .with_fix(did_you_mean(lang, others, listing)));
    }
    let slug = new.title.trim();
    let section = match &new.section {
        Some(given) => section_folder(given).map_err(|why| {
            Diagnostic::error(format!("`{}` cannot be a section", printable(given))).with_fix(why)
        })?,
        None => ARTICLES.to_string(),
    };
    let dir = root.join(DIR).join(&section);
    let Some(original) = article_with_slug(&dir, root, slug) else {
        return Err(Diagnostic::error(format!(
            "there is no article `{}` in {DIR}/{section}/ to translate",
            printable(slug)
        ))
        .with_fix("give the slug of the article to translate (its address, /articles/SLUG/), and --section if it is not in articles/"));
    };
    let text = crate::content::read_text(root, &root.join(&original))?;
    let parts = split(&text).map_err(|d| d.in_file(&original))?;
    let translation = translated_name(&original, lang);
    let today = config.today();
    let language = config.language(lang).name().to_string();
    let body = format!(
        "\nTODO: Translate this text, the title and the summary into {language}, then remove `draft: true` and run `brief check`.\n{}",
        parts.body
    );
    let own = match parts.format {
        Format::Yaml => format!("current_as_at: {today}\ndraft: true\n"),
        Format::Toml => format!("current_as_at = {today}\ndraft = true\n"),
    };
    let fence = match parts.format {
        Format::Yaml => "---",
        Format::Toml => "+++",
    };
    let out = format!(
        "{fence}\n{own}{}{fence}\n{body}",
        shared(parts.front, parts.format)
    );
    let path = root.join(&translation);
    let long = || {
        Diagnostic::error("the translation's file name is longer than the system allows")
            .in_file(&translation)
            .with_fix("give the original a shorter file name")
    };
    write_new(&path, &translation, &out, &long)?;
    Ok(path)
}

/// `content/articles/x.md` → `x.fr.md`; a bundle's `index.md` → `index.fr.md`.
fn translated_name(original: &Path, lang: &str) -> PathBuf {
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    original.with_file_name(format!("{stem}.{lang}.md"))
}

/// The front matter `front` without the blocks of [`OWN`] keys: a block is a key at the
/// start of a line and the lines after it that are indented, blank or a list's entries (or,
/// in TOML, a `[table]` and its lines up to the next).
fn shared(front: &str, format: Format) -> String {
    let mut out = String::new();
    let mut keep = true;
    let mut in_table = false;
    for line in front.split_inclusive('\n') {
        // In TOML a table's keys are its own up to the next table.
        in_table |= format == Format::Toml && line.starts_with('[');
        let starts_block = !line.starts_with([' ', '\t', '-', '#', '\r', '\n'])
            && (!in_table || line.starts_with('['));
        if starts_block {
            let key = match format {
                Format::Toml if line.starts_with('[') => {
                    line.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace())
                }
                Format::Toml => line.split('=').next().unwrap_or("").trim(),
                Format::Yaml => line.split(':').next().unwrap_or("").trim(),
            };
            let key = key.trim_matches(|c| c == '"' || c == '\'');
            keep = !OWN.contains(&key);
        }
        if keep {
            out.push_str(line);
        }
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_the_translations_own_is_left_out() {
        let yaml = "title: Refunds\nslug: refunds\ndate: 2026-01-05\ntags: [money]\nchanges:\n  - date: 2026-11-03\n    note: Rewrote\nsources:\n  - title: Act\n    url: https://x.example/\n    checked: 2026-01-01\ndraft: false\n";
        assert_eq!(
            shared(yaml, Format::Yaml),
            "title: Refunds\ndate: 2026-01-05\ntags: [money]\nsources:\n  - title: Act\n    url: https://x.example/\n    checked: 2026-01-01\n"
        );
        let toml = "title = \"Keys\"\naliases = [\"/old/\"]\n[[sources]]\ntitle = \"A\"\n[[changes]]\ndate = 2026-01-01\nnote = \"x\"\n[extra]\nx = 1\n";
        assert_eq!(
            shared(toml, Format::Toml),
            "title = \"Keys\"\n[[sources]]\ntitle = \"A\"\n[extra]\nx = 1\n"
        );
        assert_eq!(
            translated_name(Path::new("content/articles/x/index.md"), "fr"),
            Path::new("content/articles/x/index.fr.md")
        );
    }
}
