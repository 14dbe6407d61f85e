//! `brief review --confirm`: recording a review in an article's own file. Only the lines a
//! review concerns change: the date of `current_as_at`, the value of `reviewed_by` (or a
//! new line for it), and a new entry at the end of `changes:`. Every other byte (comments,
//! order, quoting, line endings) stays as it was.

use crate::diagnostic::{closest, Diagnostic, Result};
use crate::frontmatter;
use crate::site::{Document, Site};
use chrono::NaiveDate;
use std::path::PathBuf;

/// What a review records beyond the date.
#[derive(Debug, Default, Clone)]
pub struct Record<'a> {
    /// A change note for readers (`--note`).
    pub note: Option<&'a str>,
    /// The reviewer's id in site.toml (`--by`).
    pub by: Option<&'a str>,
}

/// What `brief review --confirm` changed: each edit's line in the new file and what it
/// says, top to bottom.
#[derive(Debug, PartialEq, Eq)]
pub struct Confirmed {
    pub file: PathBuf,
    pub edits: Vec<(usize, String)>,
}

/// Records that the article `target` (its file, relative to the site, or its slug) was
/// reviewed on `site.today`. `site` must be loaded with drafts and scheduled articles, so
/// that they are refused by name rather than unknown. Returns `None` when the file already
/// says all of it.
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
        let known = crate::config::known_reviewers_hint(&site.config.reviewers);
        let fix = match closest(by, site.config.reviewers.keys().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`? {known}"),
            None => known,
        };
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
    let Some(as_at_line) = doc.front.lines.of("current_as_at") else {
        return fail(
            "the article has no `current_as_at` line to change".into(),
            "add `current_as_at: YYYY-MM-DD` to its front matter",
        );
    };

    let text = site.source(doc)?;
    let mut file = Lines::new(&text);
    let today = site.today;
    let was = doc.front.current_as_at.unwrap_or_else(|| doc.date());
    if was != today && !file.replace_date(as_at_line, today) {
        return fail(
            format!("line {as_at_line} does not hold current_as_at's date as YYYY-MM-DD"),
            "write it as `current_as_at: YYYY-MM-DD`",
        );
    }
    // Lines are inserted from the bottom of the file up, so that the lines the front matter
    // recorded still point where they did.
    let by = record
        .by
        .filter(|by| doc.front.reviewed_by.as_deref() != Some(*by));
    let set_reviewer = |file: &mut Lines| {
        if let Some(by) = by {
            match doc.front.lines.of("reviewed_by") {
                Some(line) => file.replace_value(line, by),
                None => {
                    file.insert(as_at_line, &format!("reviewed_by: {by}"));
                }
            }
        }
    };
    let changes_at = doc
        .front
        .lines
        .of("changes")
        .or_else(|| file.closing_fence());
    let reviewer_first = changes_at.is_some_and(|at| at < as_at_line);
    if reviewer_first {
        set_reviewer(&mut file);
    }
    if let Some(note) = note {
        if let Err(why) = file.add_change(doc, today, note) {
            return fail(
                why,
                "write `changes:` as a block list, one `- date:` a line, or remove it and let --note write it",
            );
        }
    }
    if !reviewer_first {
        set_reviewer(&mut file);
    }
    let changed = file.text();
    if changed == *text {
        return Ok(None);
    }
    // What is written must read back as the review it records.
    let defaults = frontmatter::Defaults::from_file(&doc.file, doc.kind);
    let reread = frontmatter::split(&changed).ok().and_then(|split| {
        frontmatter::parse(&split, doc.kind, &site.config, today, &defaults).ok()
    });
    let front = match reread {
        Some(front)
            if front.current_as_at == Some(today)
                && record.by.is_none_or(|by| front.reviewed_by.as_deref() == Some(by))
                && note.is_none_or(|n| front.changes.last().map(|c| c.note.as_str()) == Some(n)) =>
        {
            front
        }
        _ => {
            return fail(
                "brief could not record the review without changing more than it should; the file is unchanged".into(),
                "edit the front matter by hand: set current_as_at, reviewed_by and add to changes",
            )
        }
    };
    let mut edits = Vec::new();
    let line_of = |key: &str| front.lines.of(key).unwrap_or(0);
    if was != today {
        edits.push((
            line_of("current_as_at"),
            format!("current_as_at {was} → {today}"),
        ));
    }
    if let Some(by) = by {
        edits.push((line_of("reviewed_by"), format!("reviewed_by: {by}")));
    }
    if let (Some(note), Some(change)) = (note, front.changes.last()) {
        edits.push((change.line, format!("change noted: {note}")));
    }
    edits.sort();
    crate::content::replace_file(&site.root.join(&doc.file), changed.as_bytes())
        .map_err(|e| crate::content::io_error(&doc.file, "cannot write the file", &e))?;
    Ok(Some(Confirmed {
        file: doc.file.clone(),
        edits,
    }))
}

fn find<'s>(site: &'s Site, target: &str) -> Result<&'s Document> {
    let wanted = target.trim_start_matches("./").replace('\\', "/");
    let doc = site
        .reviewed()
        .find(|d| d.slug == wanted || d.file.to_string_lossy().replace('\\', "/") == wanted);
    doc.map(|d| &**d).ok_or_else(|| {
        let slugs = site.articles.iter().map(|d| d.slug.as_str());
        let fix = match closest(&wanted, slugs) {
            Some(best) => format!("did you mean `{best}`? Give an article's slug or its file, e.g. content/articles/{best}.md"),
            None => "give an article's slug or its file, e.g. content/articles/my-article.md; brief review lists them".to_string(),
        };
        Diagnostic::error(format!("there is no article `{target}`")).with_fix(fix)
    })
}

/// A file's lines, each with its own ending, edited one line at a time.
struct Lines<'t> {
    lines: Vec<std::borrow::Cow<'t, str>>,
    /// The ending new lines get: the file's own.
    ending: &'static str,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let ending = match text.find('\n') {
            Some(i) if text[..i].ends_with('\r') => "\r\n",
            _ => "\n",
        };
        Lines {
            lines: text.split_inclusive('\n').map(Into::into).collect(),
            ending,
        }
    }

    fn text(&self) -> String {
        self.lines.concat()
    }

    /// Line `line` (1-based) without its ending, and the ending.
    fn parts(&self, line: usize) -> (&str, &str) {
        let l = &self.lines[line - 1];
        let body = l.trim_end_matches(['\n', '\r']);
        (body, &l[body.len()..])
    }

    /// Replaces the first `YYYY-MM-DD` on `line` with `date`.
    fn replace_date(&mut self, line: usize, date: NaiveDate) -> bool {
        let l = &self.lines[line - 1];
        let b = l.as_bytes();
        let is_date = |w: &[u8]| {
            w.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        };
        let Some(at) = (0..b.len().saturating_sub(9)).find(|&i| is_date(&b[i..i + 10])) else {
            return false;
        };
        let new = format!("{}{}{}", &l[..at], date.format("%Y-%m-%d"), &l[at + 10..]);
        self.lines[line - 1] = new.into();
        true
    }

    /// Replaces the value of `key: value  # comment` on `line`, keeping the key, the
    /// spacing and the comment.
    fn replace_value(&mut self, line: usize, value: &str) {
        let (body, ending) = self.parts(line);
        let colon = body.find(':').map_or(body.len(), |i| i + 1);
        let start = colon + (body[colon..].len() - body[colon..].trim_start().len());
        let end = body[start..].find(" #").map_or(body.trim_end().len(), |i| {
            start + body[start..i + start].trim_end().len()
        });
        let new = format!("{}{value}{}{ending}", &body[..start], &body[end..]);
        self.lines[line - 1] = new.into();
    }

    /// Inserts `text` as a new line after `after` (1-based); returns the new line's number.
    fn insert(&mut self, after: usize, text: &str) -> usize {
        // A last line with no ending gets one, so that the new line is a line of its own.
        if !self.lines[after - 1].ends_with('\n') {
            let joined = format!("{}{}", self.lines[after - 1], self.ending);
            self.lines[after - 1] = joined.into();
        }
        self.lines
            .insert(after, format!("{text}{}", self.ending).into());
        after + 1
    }

    /// Appends `- date: today` / `note: …` to `changes:`, writing the key before the
    /// closing `---` if the article has none. Returns the line of the new entry.
    fn add_change(
        &mut self,
        doc: &Document,
        today: NaiveDate,
        note: &str,
    ) -> std::result::Result<usize, String> {
        let note = crate::scaffold::yaml_text(note);
        let Some(key) = doc.front.lines.of("changes") else {
            let fence = self
                .closing_fence()
                .ok_or("the front matter has no closing `---`")?;
            self.insert(fence - 1, "changes:");
            let at = self.insert(fence, &format!("  - date: {today}"));
            self.insert(at, &format!("    note: {note}"));
            return Ok(at);
        };
        let (body, _) = self.parts(key);
        let value = body.split_once(':').map_or("", |(_, v)| v).trim();
        let value = value.split(" #").next().unwrap_or("").trim();
        if value == "[]" {
            self.replace_value(key, "");
            let (body, ending) = self.parts(key);
            let trimmed = format!("{}{ending}", body.trim_end());
            self.lines[key - 1] = trimmed.into();
            let at = self.insert(key, &format!("  - date: {today}"));
            self.insert(at, &format!("    note: {note}"));
            return Ok(at);
        }
        if !value.is_empty() {
            return Err(format!("line {key}: `changes:` is written on one line, so brief cannot add to it without rewriting it"));
        }
        let last = doc
            .front
            .changes
            .last()
            .map(|c| c.line)
            .ok_or("`changes:` has no entries")?;
        let (item, _) = self.parts(last);
        let indent = item[..item.len() - item.trim_start().len()].to_string();
        // The entry ends before the next line at its indentation or less.
        let end = self.block_end(last, indent.len());
        let at = self.insert(end, &format!("{indent}- date: {today}"));
        self.insert(at, &format!("{indent}  note: {note}"));
        Ok(at)
    }

    /// The last line of the list entry that starts on `start` at indentation `indent`: the
    /// last of the lines after it that are indented deeper (comments included), skipping
    /// blank lines and comments that are not.
    fn block_end(&self, start: usize, indent: usize) -> usize {
        let mut end = start;
        for line in start + 1..=self.lines.len() {
            let (body, _) = self.parts(line);
            let trimmed = body.trim_start();
            if body.trim_end() == "---" {
                break;
            }
            if trimmed.is_empty() {
                continue;
            }
            let deeper = body.len() - trimmed.len() > indent;
            if trimmed.starts_with('#') {
                // A comment indented under the entry belongs to it; others are left alone.
                if deeper {
                    end = line;
                }
                continue;
            }
            if !deeper {
                break;
            }
            end = line;
        }
        end
    }

    /// The line of the `---` that closes the front matter.
    fn closing_fence(&self) -> Option<usize> {
        (2..=self.lines.len()).find(|&l| self.parts(l).0.trim_end() == "---")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_replaced_in_place() {
        let mut f = Lines::new(
            "---\r\nreviewed_by:   ana   # last time\r\ncurrent_as_at: \"2026-07-05\"\r\n---\r\n",
        );
        f.replace_value(2, "ben");
        assert!(f.replace_date(3, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
        assert_eq!(
            f.text(),
            "---\r\nreviewed_by:   ben   # last time\r\ncurrent_as_at: \"2026-12-02\"\r\n---\r\n"
        );
        let mut f = Lines::new("reviewed_by: ana");
        f.replace_value(1, "ben");
        assert_eq!(f.text(), "reviewed_by: ben");
        assert!(!Lines::new("current_as_at: soon\n").replace_date(1, NaiveDate::MIN));
    }
}
