//! The front matter of an article edited one line at a time, for `brief review --confirm`:
//! a date replaced in place (a time and offset with it), a value replaced keeping its key,
//! spacing and comment, a line inserted, a change note appended to `changes:` (YAML) or as a
//! new `[[changes]]` table (TOML). Text in, text out.

use crate::frontmatter::{Format, FrontMatter};
use chrono::NaiveDate;

/// A file's lines, each with its own ending, edited one line at a time.
pub(super) struct Lines<'t> {
    lines: Vec<std::borrow::Cow<'t, str>>,
    /// The ending new lines get: the file's own.
    ending: &'static str,
    pub(super) format: Format,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str, format: Format) -> Lines<'t> {
        let ending = match text.find('\n') {
            Some(i) if text[..i].ends_with('\r') => "\r\n",
            _ => "\n",
        };
        Lines {
            lines: text.split_inclusive('\n').map(Into::into).collect(),
            ending,
            format,
        }
    }

    pub(super) fn text(&self) -> String {
        self.lines.concat()
    }

    /// Line `line` (1-based) as written, without its ending.
    pub(super) fn written(&self, line: usize) -> &str {
        self.parts(line).0
    }

    /// Line `line` (1-based) without its ending, and the ending.
    pub(super) fn parts(&self, line: usize) -> (&str, &str) {
        let l = &self.lines[line - 1];
        let body = l.trim_end_matches(['\n', '\r']);
        (body, &l[body.len()..])
    }

    /// Where the first `YYYY-MM-DD` on `line` starts, and where the value it begins ends: after
    /// a time and offset, when it is a date-time.
    pub(super) fn date_at(&self, line: usize) -> Option<(usize, usize)> {
        let b = self.lines[line - 1].as_bytes();
        let is_date = |w: &[u8]| {
            w.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        };
        let at = (0..b.len().saturating_sub(9)).find(|&i| is_date(&b[i..i + 10]))?;
        let mut end = at + 10;
        let timed = match b.get(end) {
            Some(b'T' | b't') => true,
            Some(b' ') => b.get(end + 1).is_some_and(u8::is_ascii_digit),
            _ => false,
        };
        if timed {
            end += 1;
            while b
                .get(end)
                .is_some_and(|c| c.is_ascii_digit() || b":.+-Zz".contains(c))
            {
                end += 1;
            }
        }
        Some((at, end))
    }

    /// Whether the date on `line` carries a time (and perhaps an offset).
    pub(super) fn has_time(&self, line: usize) -> bool {
        self.date_at(line).is_some_and(|(at, end)| end > at + 10)
    }

    /// Replaces the first `YYYY-MM-DD` on `line`, with any time and offset after it, by
    /// `date`: a review is dated by the day, in the site's zone.
    pub(super) fn replace_date(&mut self, line: usize, date: NaiveDate) -> bool {
        let Some((at, end)) = self.date_at(line) else {
            return false;
        };
        let l = &self.lines[line - 1];
        let new = format!("{}{}{}", &l[..at], date.format("%Y-%m-%d"), &l[end..]);
        self.lines[line - 1] = new.into();
        true
    }

    /// Replaces the value of `key: value  # comment` (`key = value` in TOML) on `line`,
    /// keeping the key, the spacing and the comment.
    pub(super) fn replace_value(&mut self, line: usize, value: &str) {
        let (body, ending) = self.parts(line);
        let sign = self.format.assign().trim();
        let colon = body.find(sign).map_or(body.len(), |i| i + 1);
        let start = colon + (body[colon..].len() - body[colon..].trim_start().len());
        let end = body[start..].find(" #").map_or(body.trim_end().len(), |i| {
            start + body[start..i + start].trim_end().len()
        });
        let new = format!("{}{value}{}{ending}", &body[..start], &body[end..]);
        self.lines[line - 1] = new.into();
    }

    /// Inserts `text` as a new line after `after` (1-based); returns the new line's number.
    pub(super) fn insert(&mut self, after: usize, text: &str) -> usize {
        // A last line with no ending gets one, so that the new line is a line of its own.
        if !self.lines[after - 1].ends_with('\n') {
            let joined = format!("{}{}", self.lines[after - 1], self.ending);
            self.lines[after - 1] = joined.into();
        }
        self.lines
            .insert(after, format!("{text}{}", self.ending).into());
        after + 1
    }

    /// Appends an entry dated `today` with `note` to `changes`, writing the field before the
    /// front matter's closing fence (on line `closing`) if the article has none. Returns the
    /// line of the new entry.
    pub(super) fn add_change(
        &mut self,
        front: &FrontMatter,
        closing: usize,
        today: NaiveDate,
        note: &str,
    ) -> std::result::Result<usize, String> {
        let note = self.format.text(note);
        if self.format == Format::Toml {
            // An array of tables may take a new table anywhere after the top-level keys; at
            // the end it is the newest, as it must be.
            if let Some(key) = front.lines.of("changes") {
                if !self.written(key).trim_start().starts_with("[[") {
                    return Err(format!("line {key}: `changes` is an inline array, so brief cannot add to it without rewriting it"));
                }
            }
            let at = self.insert(closing - 1, "[[changes]]");
            let at = self.insert(at, &format!("date = {today}"));
            self.insert(at, &format!("note = {note}"));
            return Ok(at - 1);
        }
        let Some(key) = front.lines.of("changes") else {
            self.insert(closing - 1, "changes:");
            let at = self.insert(closing, &format!("  - date: {today}"));
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
        let last = front
            .changes
            .last()
            .map(|c| c.line)
            .ok_or("`changes:` has no entries")?;
        let (item, _) = self.parts(last);
        let indent = item[..item.len() - item.trim_start().len()].to_string();
        // The entry ends before the next line at its indentation or less.
        let end = self.block_end(last, indent.len(), closing);
        let at = self.insert(end, &format!("{indent}- date: {today}"));
        self.insert(at, &format!("{indent}  note: {note}"));
        Ok(at)
    }

    /// The last line of the list entry that starts on `start` at indentation `indent`: the
    /// last of the lines after it that are indented deeper (comments included), skipping
    /// blank lines and comments that are not, and stopping at the closing fence.
    pub(super) fn block_end(&self, start: usize, indent: usize, closing: usize) -> usize {
        let mut end = start;
        for line in start + 1..closing {
            let (body, _) = self.parts(line);
            let trimmed = body.trim_start();
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
}

/// How each front matter language writes what confirm adds.
pub(super) trait Syntax {
    /// `text` as a string value.
    fn text(self, text: &str) -> String;
    /// How change notes must be written for confirm to add one.
    fn changes_shape(self) -> &'static str;
}

impl Syntax for Format {
    fn text(self, text: &str) -> String {
        match self {
            Format::Yaml => crate::yaml::scalar(text),
            Format::Toml => toml::Value::String(text.to_string()).to_string(),
        }
    }

    fn changes_shape(self) -> &'static str {
        match self {
            Format::Yaml => "write `changes:` as a block list, one `- date:` a line, or remove it and let --note write it",
            Format::Toml => "write each change as a `[[changes]]` table with `date` and `note`, or remove `changes` and let --note write it",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_replaced_in_place() {
        let mut f = Lines::new(
            "---\r\nreviewed_by:   ana   # last time\r\ncurrent_as_at: \"2026-07-05\"\r\n---\r\n",
            Format::Yaml,
        );
        f.replace_value(2, "ben");
        assert!(f.replace_date(3, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
        assert_eq!(
            f.text(),
            "---\r\nreviewed_by:   ben   # last time\r\ncurrent_as_at: \"2026-12-02\"\r\n---\r\n"
        );
        let mut f = Lines::new("reviewed_by: ana", Format::Yaml);
        f.replace_value(1, "ben");
        assert_eq!(f.text(), "reviewed_by: ben");
        assert!(!Lines::new("current_as_at: soon\n", Format::Yaml).replace_date(1, NaiveDate::MIN));
    }

    #[test]
    fn a_date_time_becomes_the_day() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        for (line, want) in [
            (
                "current_as_at: 2026-01-02T05:00:00+10:00 # x\n",
                "current_as_at: 2026-12-02 # x\n",
            ),
            (
                "current_as_at = \"2026-01-02 05:00:00Z\"\n",
                "current_as_at = \"2026-12-02\"\n",
            ),
            (
                "current_as_at: 2026-01-02 # 2026-01-01\n",
                "current_as_at: 2026-12-02 # 2026-01-01\n",
            ),
        ] {
            let mut f = Lines::new(line, Format::Yaml);
            assert!(f.replace_date(1, day));
            assert_eq!(f.text(), want);
        }
        let mut f = Lines::new("reviewed_by = \"ana\" # first\n", Format::Toml);
        f.replace_value(1, "\"ben\"");
        assert_eq!(f.text(), "reviewed_by = \"ben\" # first\n");
    }
}
