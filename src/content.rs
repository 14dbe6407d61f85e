//! Finding and reading the site's Markdown: the file-system edge of loading.

use crate::core::model::Kind;
use crate::core::paths::{slashed, windows_name_for, windows_refuses};
use crate::diagnostic::{Diagnostic, Result};
use std::path::{Path, PathBuf};

pub use crate::core::files::{io_error, not_regular, read_text, relative, special_kind};
pub use crate::core::layout::{ARTICLES, BUNDLE_INDEX, CONTENT as DIR, SECTION_INDEX};

/// A Markdown file to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Relative to the site root: `content/articles/x.md`.
    pub file: PathBuf,
    /// What its section holds ([`crate::section`]); set once the sections are read.
    pub kind: Kind,
    /// The site path of the section that holds it: `""`, `articles/`, `guides/security/`.
    pub section: String,
    /// For a page bundle (`…/launch/index.md`): the other files of its folder, relative to
    /// the site root, published beside its page. `None` for a lone file.
    pub resources: Option<Vec<PathBuf>>,
    /// The language its file name gives (`x.fr.md`: a translation of `x.md`), for a
    /// language site.toml declares; `None` for the default language.
    pub lang: Option<String>,
}

/// What [`discover`] finds under `content/`.
#[derive(Debug, Default)]
pub struct Found {
    pub sources: Vec<Source>,
    /// Every section's site path (home `""` first, parents before children) and its
    /// `_index.md`, if any.
    pub sections: Vec<(String, Option<PathBuf>)>,
    /// Translations of sections' `_index.md` (`_index.fr.md`): (site path, language, file).
    pub section_translations: Vec<(String, String, PathBuf)>,
    pub warnings: Vec<Diagnostic>,
    /// Folders whose names cannot be part of an address.
    pub errors: Vec<Diagnostic>,
}

/// Lists the Markdown files under `ROOT/content` in a stable order, with the sections that
/// hold them, the files of page bundles, and warnings for files that will not be published.
/// Every document's kind is [`Kind::Article`] until the sections say otherwise.
///
/// `languages` are the tags site.toml declares, the default first: a file named for another
/// (`x.fr.md`, a bundle's `index.fr.md`) is a translation of the file without it.
pub fn discover(root: &Path, languages: &[&str]) -> Result<Found> {
    let dir = root.join(DIR);
    if !dir.is_dir() {
        return Err(Diagnostic::error("the site has no content folder")
            .in_file(DIR)
            .with_fix(
                "create content/articles/ for articles and content/ for pages such as about.md",
            ));
    }
    // Every file, as its path inside content/.
    let files: Vec<PathBuf> = walk(root, &dir, Hidden::SectionIndexOnly)?
        .into_iter()
        .map(|path| path.strip_prefix(&dir).unwrap_or(&path).to_path_buf())
        .collect();
    let mut found = Found::default();
    let in_content = |inside: &Path| Path::new(DIR).join(inside);
    // Folders with an index.md (not content/ itself) are bundles.
    let bundles: Vec<&Path> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == BUNDLE_INDEX))
        .filter_map(|f| f.parent())
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    let bundle_of = |file: &Path| bundles.iter().copied().find(|b| file.starts_with(b));
    let mut sections: std::collections::BTreeMap<String, Option<PathBuf>> = Default::default();
    sections.insert(String::new(), None);
    let mut add_section = |folder: &Path, index: Option<PathBuf>| {
        // The folder and every folder above it are sections.
        let mut at = Some(folder);
        while let Some(f) = at.filter(|f| !f.as_os_str().is_empty()) {
            sections.entry(site_path(f)).or_default();
            at = f.parent();
        }
        if let Some(index) = index {
            sections.insert(site_path(folder), Some(index));
        }
    };
    let mut resources: std::collections::BTreeMap<&Path, Vec<PathBuf>> = Default::default();
    for inside in &files {
        let file = in_content(inside);
        let folder = inside.parent().unwrap_or(Path::new(""));
        let is_markdown = inside.extension().is_some_and(|e| e == "md");
        let lang = match translation(inside, &files, languages) {
            Ok(lang) => lang,
            Err(d) => {
                found.errors.push(d.in_file(&file));
                continue;
            }
        };
        let is_bundle_index = |name: &std::ffi::OsStr| {
            name == BUNDLE_INDEX
                || (lang.is_some()
                    && inside.with_extension("").with_extension("md").file_name()
                        == Some(std::ffi::OsStr::new(BUNDLE_INDEX)))
        };
        if inside == Path::new(BUNDLE_INDEX) {
            return Err(Diagnostic::error(
                "content/index.md would be a page at /index/, not the home page",
            )
            .in_file(file)
            .with_fix(
                "rename it content/_index.md: its text becomes the home page's introduction",
            ));
        }
        if let Some(bundle) = bundle_of(inside) {
            if inside.file_name().is_some_and(is_bundle_index) && folder == bundle {
                add_section(bundle.parent().unwrap_or(Path::new("")), None);
                found.sources.push(Source {
                    file,
                    kind: Kind::Article,
                    section: site_path(bundle.parent().unwrap_or(Path::new(""))),
                    resources: Some(Vec::new()),
                    lang,
                });
            } else if is_markdown {
                found.warnings.push(
                    Diagnostic::warning(format!(
                        "this Markdown file is inside the page bundle {}/, so it is not published",
                        Path::new(DIR).join(bundle).display()
                    ))
                    .in_file(file)
                    .with_fix("a bundle is one document, its index.md; move this file out of the folder to publish it"),
                );
            } else {
                resources.entry(bundle).or_default().push(file);
            }
            continue;
        }
        if let Some(lang) = lang.as_ref().filter(|_| is_translated_index(inside)) {
            found
                .section_translations
                .push((site_path(folder), lang.clone(), file));
        } else if inside.file_name().is_some_and(|n| n == SECTION_INDEX) {
            add_section(folder, Some(file));
        } else if is_markdown {
            add_section(folder, None);
            found.sources.push(Source {
                file,
                kind: Kind::Article,
                section: site_path(folder),
                resources: None,
                lang,
            });
        } else {
            found.warnings.push(
                Diagnostic::warning("this file is not Markdown and is not published")
                    .in_file(file)
                    .with_fix("put it in a page bundle (a folder with index.md) to publish it beside that page, or in assets/"),
            );
        }
    }
    for source in &mut found.sources {
        if let Some(list) = source.resources.as_mut() {
            let bundle = source.file.parent().and_then(|b| b.strip_prefix(DIR).ok());
            // A bundle's translations publish its files beside them too.
            if let Some(files) = bundle.and_then(|b| resources.get(b)) {
                list.clone_from(files);
            }
        }
    }
    found.sections = sections.into_iter().collect();
    let unaddressable = found
        .sections
        .iter()
        .filter_map(|(path, _)| unaddressable(path));
    found.errors.extend(unaddressable.collect::<Vec<_>>());
    Ok(found)
}

/// The language a Markdown file's name gives it (`x.fr.md`), when it is a translation:
/// `languages` (the default first) must declare it and the original (`x.md`) must exist in
/// `files`. A name that only looks like one (`x.zz.md`, `x.pt-BR.md`) is an error too, so
/// that a translation is never published as an article of its own.
fn translation(inside: &Path, files: &[PathBuf], languages: &[&str]) -> Result<Option<String>> {
    let Some(name) = inside.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    let Some((base, code)) = name.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) else {
        return Ok(None);
    };
    if base.is_empty() {
        return Ok(None);
    }
    let declared = languages.iter().position(|l| *l == code);
    match declared {
        Some(0) => Err(Diagnostic::error(format!(
            "this file's name says it is in `{code}`, the default language"
        ))
        .with_fix(format!(
            "name it {base}.md: the default language's text is the original"
        ))),
        Some(_) => {
            let original = inside.with_file_name(format!("{base}.md"));
            if files.contains(&original) {
                Ok(Some(code.to_string()))
            } else {
                Err(Diagnostic::error(format!(
                    "this is a translation into `{code}` of {}, which does not exist",
                    Path::new(DIR).join(&original).display()
                ))
                .with_fix(format!(
                    "name it after the file it translates ({base} is not one), or add the original beside it"
                )))
            }
        }
        None if looks_like_language(code) => Err(Diagnostic::error(format!(
            "this file's name says it is in `{code}`, a language site.toml does not declare"
        ))
        .with_fix(format!(
            "declare [languages.{code}] in site.toml or rename the file{}",
            crate::diagnostic::closest(code, languages.iter().copied().skip(1))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default()
        ))),
        None => Ok(None),
    }
}

/// Two lower-case letters (`fr`), or a language and a region (`pt-BR`, `es-419`): what a
/// file name's last part before `.md` cannot be without being read as a language.
fn looks_like_language(code: &str) -> bool {
    let (language, region) = code.split_once('-').unwrap_or((code, ""));
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    match region {
        "" => language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()),
        _ => {
            letters(language, 2..=3)
                && (letters(region, 2..=2)
                    || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit())))
        }
    }
}

/// The error for a section whose folder's own name cannot be part of an address: a space,
/// `%`, `#`, `?` and their like would publish invalid URLs into links, the sitemap and the
/// feed. Letters, digits, `-`, `_` and `.` are what every host and file system keep as they are.
fn unaddressable(path: &str) -> Option<Diagnostic> {
    let name = path.trim_end_matches('/').rsplit('/').next()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let bad = name.chars().find(|&c| !plain(c))?;
    let what = match bad {
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    };
    let better = slug::slugify(name);
    let fix = match better.is_empty() {
        true => "rename the folder with letters, digits and hyphens".to_string(),
        false => format!("rename the folder `{better}`"),
    };
    Some(
        Diagnostic::error(format!(
            "the folder's name becomes part of its address, and it holds {what}: the address would not be a valid URL"
        ))
        .in_file(Path::new(DIR).join(path.trim_end_matches('/')))
        .with_fix(fix),
    )
}

/// `guides/security` (a folder inside content/) → `guides/security/`; `""` → `""`.
fn site_path(folder: &Path) -> String {
    let text = slashed(folder);
    match text.is_empty() {
        true => text,
        false => format!("{text}/"),
    }
}

/// Which names starting with `.` or `_` [`walk`] lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    None,
    /// `_index.md`, the one such name brief reads under content/.
    SectionIndexOnly,
}

/// The regular files under `dir` (a folder of the site at `root`), in name order: the one
/// walk every loader makes. Symbolic links are followed while they stay inside the site;
/// names starting with `.` or `_` are never published, so not listed (but `hidden` allows).
/// A link that leaves the site, a folder that cannot be read, or an entry that is not a
/// regular file (a FIFO, a device) is an error naming it: brief never skips one silently.
/// So is a name Windows cannot hold.
pub fn walk(root: &Path, dir: &Path, hidden: Hidden) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !is_hidden(e.path(), dir)
                || (hidden == Hidden::SectionIndexOnly && is_section_index(e))
        });
    for entry in entries {
        let entry = entry.map_err(|e| walk_error(root, e))?;
        refuse_outside_link(root, &entry)?;
        if entry.depth() > 0 {
            refuse_windows_name(root, &entry)?;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if let Some(kind) = special_kind(entry.file_type()) {
            return Err(not_regular(&relative(root, entry.path()), kind));
        }
        files.push(entry.into_path());
    }
    Ok(files)
}

/// A file or folder whose name Windows cannot hold ([`windows_refuses`]): refused on every
/// system, since the site may be checked out and built on Windows.
fn refuse_windows_name(root: &Path, entry: &walkdir::DirEntry) -> Result<()> {
    let name = entry.file_name().to_string_lossy();
    let Some(why) = windows_refuses(&name) else {
        return Ok(());
    };
    let what = match entry.file_type().is_dir() {
        true => "folder",
        false => "file",
    };
    Err(Diagnostic::error(format!(
        "the {what} name `{name}` {why}, so the site could not be checked out or built on Windows"
    ))
    .in_file(relative(root, entry.path()))
    .with_fix(format!(
        "rename the {what} `{}` (and change links to it)",
        windows_name_for(&name)
    )))
}

/// `_index.md` is the one name starting with `_` that brief reads.
fn is_section_index(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_file()
        && (entry.file_name() == SECTION_INDEX || is_translated_index(Path::new(entry.file_name())))
}

/// `_index.fr.md`: a name a translation of a section's `_index.md` may have.
fn is_translated_index(name: &Path) -> bool {
    name.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("_index."))
        .and_then(|n| n.strip_suffix(".md"))
        .is_some_and(|code| !code.is_empty() && !code.contains('.'))
}

/// Names starting with `.` or `_` (below `base`) are never published.
pub fn is_hidden(path: &Path, base: &Path) -> bool {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.starts_with('_')
        })
}

/// A symbolic link under the site whose target is outside the site's folder: following it
/// would publish a file the author never put in the site (`/etc/passwd`, a home folder).
pub fn outside_link(root: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    let is_link = entry.path_is_symlink()
        && entry
            .path()
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    // A link that cannot be resolved is a walk error, reported as such.
    let target = entry.path().canonicalize().ok()?;
    if target.starts_with(root.canonicalize().ok()?) {
        return None;
    }
    let written = std::fs::read_link(entry.path()).unwrap_or(target);
    Some(
        Diagnostic::error(format!(
            "symbolic link to {} leads outside the site's folder",
            written.display()
        ))
        .in_file(relative(root, entry.path()))
        .with_fix("copy what should be published into the site and remove the link; brief follows links only within the site's folder"),
    )
}

/// [`outside_link`] as an error, for the loaders.
pub fn refuse_outside_link(root: &Path, entry: &walkdir::DirEntry) -> Result<()> {
    match outside_link(root, entry) {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

pub fn walk_error(root: &Path, e: walkdir::Error) -> Diagnostic {
    let file = e.path().map(|p| relative(root, p)).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(format!(
            "symbolic link loop: it points back to {}",
            relative(root, ancestor).display()
        ))
        .in_file(file)
        .with_fix("remove the link, or point it at a folder that does not hold it");
    }
    let path = e.path().unwrap_or(Path::new(""));
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if is_link && path.metadata().is_err() {
        let target = std::fs::read_link(path).unwrap_or_default();
        return Diagnostic::error(format!(
            "symbolic link to {} cannot be followed: it points to a missing file or back to itself",
            target.display()
        ))
        .in_file(file)
        .with_fix("remove the link or point it at a real file");
    }
    match e.io_error() {
        Some(io) => io_error(&file, "cannot read", io),
        None => Diagnostic::error(format!("cannot read: {e}")).in_file(file),
    }
}
