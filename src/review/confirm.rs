//! `brief review --confirm`: recording a review in an article's own file. Only the lines a
//! review concerns change: the date of `current_as_at`, the value of `reviewed_by` (or a
//! new line for it), and a new entry at the end of `changes:`. Every other byte (comments,
//! order, quoting, line endings) stays as it was, YAML or TOML, and the result is parsed again:
//! if any other field would read differently, nothing is written. A save by another program
//! while brief edits is never lost ([`files::replace_unchanged`]): brief reads the file again
//! and applies its edit to what was saved.

use super::edit::{Lines, Syntax};
use crate::core::files::{self, Replaced};
use crate::diagnostic::{closest, Diagnostic, Result};
use crate::frontmatter::{self, FrontMatter};
use crate::site::{Document, Site};
use std::path::{Path, PathBuf};

/// What a review records beyond the date.
#[derive(Debug, Default, Clone)]
pub struct Record<'a> {
    /// A change note for readers (`--note`).
    pub note: Option<&'a str>,
    /// The reviewer's id in site.toml (`--by`).
    pub by: Option<&'a str>,
    /// `--source N`: only source N (from 1) was checked, not the article.
    pub source: Option<usize>,
}

/// What `brief review --confirm` changed: each edit's line in the new file and what it
/// says, top to bottom.
#[derive(Debug, PartialEq, Eq)]
pub struct Confirmed {
    /// The file edited, relative to the site: the article's own, or the file its symbolic
    /// link leads to.
    pub file: PathBuf,
    /// The article's file when it is a symbolic link to `file`.
    pub via: Option<PathBuf>,
    pub edits: Edits,
}

/// Each edit's line in the new file and what it says.
type Edits = Vec<(usize, String)>;

/// How many times a file saved by another program during the edit is read again before
/// brief gives up.
const ATTEMPTS: usize = 8;

/// Records that the article `target` (its slug, or its file: relative to the site, to the
/// current folder, or absolute) was reviewed on `site.today`. `site` must be loaded with
/// drafts and scheduled articles, so that they are refused by name rather than unknown.
/// Returns `None` when the file already says all of it.
pub fn confirm(site: &Site, target: &str, record: &Record<'_>) -> Result<Option<Confirmed>> {
    let doc = find(site, target)?;
    let fail = |message: String, fix: &str| {
        Err(Diagnostic::error(message)
            .in_file(&doc.file)
            .with_fix(fix.to_string()))
    };
    if doc.front.draft {
        return fail(
            "the article is a draft: a review confirms what readers see".into(),
            "publish it first (remove `draft: true`); its current_as_at is set when you do",
        );
    }
    if doc.date() > site.today {
        return fail(
            format!(
                "the article is scheduled for {}: it cannot be reviewed before it is published",
                doc.date()
            ),
            "set its current_as_at when it is published",
        );
    }
    if let Some(by) = record
        .by
        .filter(|id| !site.config.reviewers.contains_key(*id))
    {
        let fix = crate::diagnostic::did_you_mean(
            by,
            site.config.reviewers.keys().map(String::as_str),
            crate::config::known_reviewers_hint(&site.config.reviewers),
        );
        return Err(Diagnostic::error(format!("there is no reviewer `{by}`")).with_fix(fix));
    }
    let note = match record.note.map(str::trim) {
        Some("") => {
            return Err(Diagnostic::error("the note is empty").with_fix(
                "say in a sentence what changed, e.g. --note \"Fees updated for 2026-27\"",
            ))
        }
        Some(n) if n.chars().any(char::is_control) => {
            return Err(
                Diagnostic::error("the note has a line break or a control character")
                    .with_fix("write the note on one line"),
            )
        }
        other => other,
    };
    let record = Record {
        note,
        by: record.by,
        source: record.source,
    };
    let (path, file) = editable(site, doc)?;
    let via = (file != doc.file).then(|| doc.file.clone());
    for _ in 0..ATTEMPTS {
        let text = crate::content::read_text(&site.root, &path)?;
        let Some((changed, edits)) = edited(site, doc, &file, &text, &record)? else {
            return Ok(None);
        };
        match files::replace_unchanged(&path, text.as_bytes(), changed.as_bytes()) {
            Ok(Replaced::Done) => return Ok(Some(Confirmed { file, via, edits })),
            Ok(Replaced::Changed) => continue,
            Err(e) => return Err(crate::content::io_error(&file, "cannot write the file", &e)),
        }
    }
    Err(Diagnostic::error(format!(
        "the file was saved by another program {ATTEMPTS} times while brief was editing it; it holds what was saved, unchanged by brief"
    ))
    .in_file(&file)
    .with_fix("save and close the article in your editor, then run brief review --confirm again"))
}

/// The file to write, as a path and relative to the site: the article's own, or the file its
/// symbolic link leads to (within the site, as the loader checked). A file that cannot be
/// written is refused here, before anything is edited.
fn editable(site: &Site, doc: &Document) -> Result<(PathBuf, PathBuf)> {
    let own = site.root.join(&doc.file);
    let cannot =
        |e: std::io::Error| crate::content::io_error(&doc.file, "cannot read the file", &e);
    let is_link = std::fs::symlink_metadata(&own)
        .map_err(cannot)?
        .file_type()
        .is_symlink();
    let (path, file) = if is_link {
        let target = own.canonicalize().map_err(cannot)?;
        let root = site.root.canonicalize().map_err(cannot)?;
        let Ok(inside) = target.strip_prefix(&root).map(Path::to_path_buf) else {
            return Err(Diagnostic::error(format!(
                "the article is a symbolic link to {}, outside the site's folder",
                target.display()
            ))
            .in_file(&doc.file)
            .with_fix("replace the link with the article itself"));
        };
        (target, inside)
    } else {
        (own, doc.file.clone())
    };
    let metadata = std::fs::metadata(&path).map_err(cannot)?;
    if metadata.permissions().readonly() {
        return Err(Diagnostic::error(format!(
            "the file is read-only{}: brief does not change a file someone has locked",
            mode(&metadata)
        ))
        .in_file(&file)
        .with_fix(format!(
            "make it writable ({}) if it should be reviewed, then run again",
            if cfg!(unix) {
                "chmod u+w"
            } else {
                "clear its read-only attribute"
            }
        )));
    }
    Ok((path, file))
}

#[cfg(unix)]
fn mode(metadata: &std::fs::Metadata) -> String {
    use std::os::unix::fs::PermissionsExt;
    format!(" (mode {:04o})", metadata.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode(_: &std::fs::Metadata) -> String {
    String::new()
}

/// `text` with the review recorded, and what changed; `None` when it already says it all.
/// Pure: the front matter is read from `text` itself, which may be newer than the site's.
fn edited(
    site: &Site,
    doc: &Document,
    file: &Path,
    text: &str,
    record: &Record<'_>,
) -> Result<Option<(String, Edits)>> {
    let fail = |message: String, fix: &str| {
        Err(Diagnostic::error(message)
            .in_file(file)
            .with_fix(fix.to_string()))
    };
    let today = site.today;
    let defaults = frontmatter::Defaults::from_file(&doc.file, doc.kind);
    let read = |text: &str| {
        let split = frontmatter::split(text).map_err(|d| vec![d])?;
        let front = frontmatter::parse(&split, doc.kind, &site.config, today, &defaults)?;
        Ok::<_, Vec<Diagnostic>>((split.format, split.body_line, front))
    };
    let (format, body_line, front) = read(text).map_err(|mut all| all.remove(0).in_file(file))?;
    if let Some(n) = record.source {
        let read_back = |text: &str| read(text).ok().map(|(_, _, front)| front);
        return source_checked(site, file, text, format, &front, n, &read_back);
    }
    let Some(as_at_line) = front.lines.of("current_as_at") else {
        return fail(
            "the article has no `current_as_at` line to change".into(),
            &format!(
                "add `current_as_at{}YYYY-MM-DD` to its front matter",
                format.assign()
            ),
        );
    };
    let mut lines = Lines::new(text, format);
    let was = front.current_as_at.unwrap_or_else(|| doc.date());
    if (was != today || lines.has_time(as_at_line)) && !lines.replace_date(as_at_line, today) {
        return fail(
            format!("line {as_at_line} does not hold current_as_at's date as YYYY-MM-DD"),
            &format!("write it as `current_as_at{}YYYY-MM-DD`", format.assign()),
        );
    }
    // Lines are inserted from the bottom of the file up, so that the lines the front matter
    // recorded still point where they did.
    let by = record
        .by
        .filter(|by| front.reviewed_by.as_deref() != Some(*by));
    let set_reviewer = |lines: &mut Lines| {
        if let Some(by) = by {
            let value = lines.format.text(by);
            match front.lines.of("reviewed_by") {
                Some(line) => lines.replace_value(line, &value),
                None => {
                    let assign = lines.format.assign();
                    lines.insert(as_at_line, &format!("reviewed_by{assign}{value}"));
                }
            }
        }
    };
    let closing = body_line - 1;
    let changes_at = front.lines.of("changes").unwrap_or(closing);
    let reviewer_first = changes_at < as_at_line;
    if reviewer_first {
        set_reviewer(&mut lines);
    }
    if let Some(note) = record.note {
        if let Err(why) = lines.add_change(&front, closing, today, note) {
            return fail(why, lines.format.changes_shape());
        }
    }
    if !reviewer_first {
        set_reviewer(&mut lines);
    }
    let changed = lines.text();
    if changed == text {
        return Ok(None);
    }
    // What is written must read back as the review it records, and as nothing else.
    let after = match read(&changed) {
        Ok((_, _, after)) => after,
        Err(_) => {
            return fail(
                "brief could not record the review without breaking the front matter; the file is unchanged".into(),
                "edit the front matter by hand: set current_as_at, reviewed_by and add to changes",
            )
        }
    };
    let mut expected = front.clone();
    expected.current_as_at = Some(today);
    if let Some(by) = record.by {
        expected.reviewed_by = Some(by.to_string());
    }
    if let Some(note) = record.note {
        expected.changes.push(frontmatter::Change {
            date: today,
            note: note.to_string(),
            line: 0,
        });
    }
    if let Some(field) = other_change(expected, &after) {
        let line = front.lines.of(field).or_else(|| after.lines.of(field));
        let aliased = line.is_some_and(|l| lines.written(l).contains('*'));
        let why = if aliased {
            format!(
                " (line {} takes its value from current_as_at's through a YAML alias)",
                line.unwrap_or(0)
            )
        } else {
            String::new()
        };
        return fail(
            format!("recording the review would also change `{field}`{why}; the file is unchanged"),
            &format!("write `{field}`'s own value out in full, or edit the front matter by hand"),
        );
    }
    let mut edits = Vec::new();
    let line_of = |key: &str| after.lines.of(key).unwrap_or(0);
    if was != today || after.current_as_at != front.current_as_at {
        edits.push((
            line_of("current_as_at"),
            format!("current_as_at {was} → {today}"),
        ));
    }
    if let Some(by) = by {
        edits.push((line_of("reviewed_by"), format!("reviewed_by: {by}")));
    }
    if let (Some(note), Some(change)) = (record.note, after.changes.last()) {
        edits.push((change.line, format!("change noted: {note}")));
    }
    edits.sort();
    Ok(Some((changed, edits)))
}

/// The first field that reads differently in `after` than in `expected`, the front matter
/// as it was with the edit recorded; the recorded fields themselves included, should they not
/// read as meant. Lines are not compared.
fn other_change(mut expected: FrontMatter, after: &FrontMatter) -> Option<&'static str> {
    let mut after = after.clone();
    for changes in [&mut expected.changes, &mut after.changes] {
        changes.iter_mut().for_each(|c| c.line = 0);
    }
    for sources in [&mut expected.sources, &mut after.sources] {
        sources.iter_mut().for_each(|s| {
            s.line = 0;
            s.checked_line = 0;
        });
    }
    expected.lines = after.lines.clone();
    let FrontMatter {
        title,
        date,
        current_as_at,
        updated,
        summary,
        tags,
        tag_slugs,
        draft,
        slug,
        cta,
        author,
        aliases,
        review_after_days,
        reviewed_by,
        changes,
        sources,
        disclaimer,
        weight,
        extra,
        lines: _,
    } = &after;
    let same = [
        ("title", *title == expected.title),
        ("date", *date == expected.date),
        ("current_as_at", *current_as_at == expected.current_as_at),
        ("updated", *updated == expected.updated),
        ("summary", *summary == expected.summary),
        (
            "tags",
            *tags == expected.tags && *tag_slugs == expected.tag_slugs,
        ),
        ("draft", *draft == expected.draft),
        ("slug", *slug == expected.slug),
        ("cta", *cta == expected.cta),
        ("author", *author == expected.author),
        ("aliases", *aliases == expected.aliases),
        (
            "review_after_days",
            *review_after_days == expected.review_after_days,
        ),
        ("reviewed_by", *reviewed_by == expected.reviewed_by),
        ("changes", *changes == expected.changes),
        ("sources", *sources == expected.sources),
        ("disclaimer", *disclaimer == expected.disclaimer),
        ("weight", *weight == expected.weight),
        ("extra", *extra == expected.extra),
    ];
    same.iter().find(|(_, same)| !same).map(|(field, _)| *field)
}

/// `text` with source `n` (from 1) of `front` recorded as checked on the site's today:
/// its `checked` line alone changes. A source written on one line with its other keys is
/// refused, as its date cannot be told apart from theirs.
fn source_checked(
    site: &Site,
    file: &Path,
    text: &str,
    format: frontmatter::Format,
    front: &FrontMatter,
    n: usize,
    read_back: &dyn Fn(&str) -> Option<FrontMatter>,
) -> Result<Option<(String, Edits)>> {
    let fail =
        |message: String, fix: String| Err(Diagnostic::error(message).in_file(file).with_fix(fix));
    let today = site.today;
    let count = front.sources.len();
    let Some(source) = n.checked_sub(1).and_then(|i| front.sources.get(i)) else {
        return match count {
            0 => fail(
                "the article has no sources".into(),
                format!(
                    "add them under `sources{}` first; brief review lists each with its number",
                    format.assign().trim_end()
                ),
            ),
            _ => fail(
                format!("there is no source {n}: the article has {count}"),
                format!("give a number from 1 to {count}, as brief review lists them"),
            ),
        };
    };
    let line = source.checked_line;
    let mut lines = Lines::new(text, format);
    let written = lines.written(line).trim_start();
    let key = written.strip_prefix('-').map_or(written, str::trim_start);
    let alone = key
        .strip_prefix("checked")
        .is_some_and(|rest| rest.trim_start().starts_with([':', '=']));
    if !alone {
        return fail(
            format!("line {line}: source {n} is written on one line with its other keys, so brief cannot change its date alone"),
            match format {
                frontmatter::Format::Yaml => "write the source as a block, `- title: …` with `url:` and `checked:` each on a line of its own, or edit its date by hand".into(),
                frontmatter::Format::Toml => "write the source as a `[[sources]]` table, each key on a line of its own, or edit its date by hand".into(),
            },
        );
    }
    let was = source.checked;
    if was == today && !lines.has_time(line) {
        return Ok(None);
    }
    let aliased = format == frontmatter::Format::Yaml && lines.written(line).contains('*');
    if aliased || !lines.replace_date(line, today) {
        let why = match aliased {
            true => "takes its date from another line through a YAML alias",
            false => "does not hold its date as YYYY-MM-DD",
        };
        return fail(
            format!("line {line}: source {n} {why}, so brief cannot change it alone; the file is unchanged"),
            format!("write it as `checked{}YYYY-MM-DD`, then run again", format.assign()),
        );
    }
    let changed = lines.text();
    let Some(after) = read_back(&changed) else {
        return fail(
            "brief could not record the check without breaking the front matter; the file is unchanged".into(),
            format!("edit source {n}'s `checked` date by hand"),
        );
    };
    let mut expected = front.clone();
    expected.sources[n - 1].checked = today;
    let other_source = expected
        .sources
        .iter()
        .zip(&after.sources)
        .position(|(want, got)| want.checked != got.checked)
        .and_then(|i| front.sources.get(i).map(|s| (i + 1, s.checked_line)));
    if let Some(field) = other_change(expected, &after) {
        let what = match other_source {
            Some((other, at)) => format!("source {other} (line {at}), which takes its date from line {line} through a YAML alias"),
            None => format!("`{field}`"),
        };
        return fail(
            format!(
                "recording the check of source {n} would also change {what}; the file is unchanged"
            ),
            "write each source's `checked` date out in full, then run again; or edit it by hand"
                .to_string(),
        );
    }
    Ok(Some((
        changed,
        vec![(line, format!("source {n} checked {was} → {today}"))],
    )))
}

fn find<'s>(site: &'s Site, target: &str) -> Result<&'s Document> {
    let wanted = as_site_file(&site.root, target)
        .unwrap_or_else(|| target.trim_start_matches("./").replace('\\', "/"));
    let file_of = |d: &Document| d.file.to_string_lossy().replace('\\', "/");
    if let Some(doc) = site.reviewed().find(|d| file_of(d) == wanted) {
        return Ok(doc);
    }
    // A translation that keeps its original's slug shares it: the file tells them apart.
    let named: Vec<&Document> = site
        .reviewed()
        .filter(|d| d.slug == wanted)
        .map(|d| &**d)
        .collect();
    if named.len() > 1 {
        let files: Vec<String> = named.iter().map(|d| file_of(d)).collect();
        return Err(Diagnostic::error(format!(
            "`{target}` is the slug of {} documents (its translations share it)",
            named.len()
        ))
        .with_fix(format!("give the file instead: {}", files.join(", "))));
    }
    named.first().copied().ok_or_else(|| {
        let slugs = site.articles.iter().map(|d| d.slug.as_str());
        let fix = match closest(&wanted, slugs) {
            Some(best) => format!("did you mean `{best}`? Give an article's slug or its file, e.g. content/articles/{best}.md"),
            None => "give an article's slug or its file, e.g. content/articles/my-article.md; brief review lists them".to_string(),
        };
        Diagnostic::error(format!("there is no article `{target}`")).with_fix(fix)
    })
}

/// `target` as a file of the site (`content/articles/x.md`) when it names an existing file
/// by an absolute path or a path from the current folder that lies inside the site.
fn as_site_file(root: &Path, target: &str) -> Option<String> {
    let given = Path::new(target);
    if !given.is_absolute() && !given.exists() {
        return None;
    }
    // The folder is resolved, not the file: a symbolic link is named as itself.
    let folder = given
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let full = folder.canonicalize().ok()?.join(given.file_name()?);
    let inside = full.strip_prefix(root.canonicalize().ok()?).ok()?;
    Some(inside.to_string_lossy().replace('\\', "/"))
}
