//! Front matter: the YAML block at the top of each Markdown file, checked field by field.

use crate::config::{known_ctas_hint, Config};
use crate::diagnostic::{closest, unknown_field_hint, Diagnostic, Result};
use crate::yaml;
use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

mod review;
pub use review::Change;

/// A Markdown file split into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line in the file of the first line of `yaml`.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line in the file of the first line of `body`.
    pub body_line: usize,
}

const FENCE_HINT: &str = "start the file with a line `---`, then fields such as `title: …`, then another line `---`, then the text";

/// Splits `---` front matter from the body. Accepts a byte order mark and CRLF endings.
pub fn split(text: &str) -> Result<Split<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .on_line(1)
            .with_fix(FENCE_HINT));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(
            Diagnostic::error("the file has no front matter: its first line is not `---`")
                .on_line(1)
                .with_fix(FENCE_HINT),
        );
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line = 1;
    for l in lines {
        line += 1;
        if l.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error("the front matter is never closed")
        .on_line(1)
        .with_fix("add a line `---` after the last front matter field, before the text"))
}

/// Front matter as written, before its values are checked.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    date: Option<Scalar>,
    current_as_at: Option<Scalar>,
    updated: Option<Scalar>,
    summary: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    cta: Option<String>,
    author: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    review_after_days: Option<i64>,
    reviewed_by: Option<String>,
    #[serde(default)]
    changes: Vec<review::RawChange>,
}

const FIELDS: &[&str] = &[
    "title",
    "date",
    "current_as_at",
    "updated",
    "summary",
    "tags",
    "draft",
    "slug",
    "cta",
    "author",
    "aliases",
    "review_after_days",
    "reviewed_by",
    "changes",
];

/// Which call-to-action ends a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CtaChoice {
    /// Not set: articles take `default_cta`, pages none.
    Default,
    None,
    Id(String),
}

/// Checked front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<NaiveDate>,
    pub current_as_at: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// The address form of each tag in `tags`, in the same order.
    pub tag_slugs: Vec<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub cta: CtaChoice,
    pub author: Option<String>,
    pub aliases: Vec<String>,
    /// Days after `current_as_at` when an article is due for review, overriding the
    /// periods of its tags and the site's.
    pub review_after_days: Option<i64>,
    /// The id of the reviewer in site.toml's `[reviewers]` who confirmed it last.
    pub reviewed_by: Option<String>,
    /// Change notes, oldest first.
    pub changes: Vec<Change>,
    /// The file line of each top-level field that is written, to point diagnostics at it.
    pub lines: KeyLines,
}

/// The line in the file of each front matter field (0 where it is not written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyLines([u32; FIELDS.len()]);

impl KeyLines {
    /// Finds each top-level `key:` in the YAML block, whose first line is line
    /// `first_line` of the file. A key written twice keeps its first line.
    fn find(yaml: &str, first_line: usize) -> KeyLines {
        let mut lines = KeyLines::default();
        for (i, line) in yaml.lines().enumerate() {
            let at = FIELDS.iter().position(|key| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
            if let Some(at) = at.filter(|&at| lines.0[at] == 0) {
                lines.0[at] = u32::try_from(i + first_line).unwrap_or(u32::MAX);
            }
        }
        lines
    }

    /// The file line where `key` (a front matter field) is written.
    pub fn of(&self, key: &str) -> Option<usize> {
        let at = FIELDS.iter().position(|k| *k == key)?;
        Some(self.0[at] as usize).filter(|&l| l > 0)
    }
}

/// Whether the file is an article (dates required) or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Page,
}

/// Parses and checks the front matter of one file as of `today` (change notes may not be
/// dated after it). Lines in errors are lines in the file.
pub fn parse(
    split: &Split<'_>,
    kind: Kind,
    config: &Config,
    today: NaiveDate,
) -> Result<FrontMatter> {
    let in_file = |line: Option<usize>| line.map(|l| l + split.yaml_line - 1);
    let lines = KeyLines::find(split.yaml, split.yaml_line);
    let key_line = |key: &str| lines.of(key);

    let raw: Raw = yaml::from_str(split.yaml).map_err(|e| {
        let mut d =
            Diagnostic::error(format!("front matter: {}", e.message)).on_line_opt(in_file(e.line));
        // A tab in the indentation is the usual cause of YAML's stranger messages.
        let tab_line = e
            .line
            .filter(|&l| {
                split.yaml.lines().nth(l - 1).is_some_and(|text| {
                    text.chars()
                        .take_while(|c| c.is_whitespace())
                        .any(|c| c == '\t')
                })
            })
            .or_else(|| e.message.contains("tab").then_some(e.line).flatten());
        if let Some(hint) = unknown_field_hint(&e.message) {
            d = d.with_fix(hint);
        } else if let Some(found) = e
            .message
            .strip_prefix("invalid type: ")
            .filter(|m| m.ends_with("expected struct Raw"))
        {
            let found = if found.starts_with("sequence") {
                "list"
            } else {
                "single value"
            };
            d.message = format!(
                "front matter: it must be fields written `name: value`, but it is a {found}"
            );
            d = d.with_fix("write one field a line, e.g. `title: Prototype versus production`");
        } else if e.message.contains("nested") {
            d = d.with_fix("front matter needs no deep nesting: write lists flat, e.g. `tags: [first, second]`");
        } else if e.message.ends_with("is set twice") {
            d = d.with_fix("keep one of the two lines and delete the other");
        } else if let Some(hint) = type_hint(&e.message) {
            // "tags: invalid type: integer `5`, expected a sequence" in the author's words.
            if let Some((field, rest)) = e.message.split_once(": invalid type: ") {
                if let Some((found, expected)) = rest.split_once(", expected ") {
                    let expected = match expected {
                        "a sequence" => "a list",
                        "a boolean" => "true or false",
                        "a string" => "text",
                        other => other,
                    };
                    d.message = format!("front matter: `{field}` must be {expected}, not {found}");
                }
            }
            d = d.with_fix(hint);
        } else if let Some(line) = tab_line {
            d.message = "front matter: this line is indented with a tab".to_string();
            d = d
                .on_line(line + split.yaml_line - 1)
                .with_fix("YAML allows only spaces for indentation: replace the tab with spaces");
        } else {
            d = d.with_fix("check the YAML syntax on that line: `name: value`, lists as `[a, b]`");
        }
        // Some messages come without a line; the front matter's first line is close enough.
        if d.line.is_none() {
            d = d.on_line(split.yaml_line.saturating_sub(1).max(1));
        }
        d
    })?;

    let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        Diagnostic::error("the front matter has no title")
            .on_line_opt(key_line("title").or(Some(split.yaml_line - 1)))
            .with_fix("add a line such as `title: Prototype versus production`")
    })?;

    let date_field = |name: &str, value: Option<Scalar>| -> Result<Option<NaiveDate>> {
        value
            .map(|v| {
                parse_date(&v.0).map_err(|why| {
                    Diagnostic::error(format!("`{name}` is `{}`: {why}", v.0))
                        .on_line_opt(key_line(name))
                        .with_fix(format!(
                            "write the date as YYYY-MM-DD, e.g. `{name}: 2026-07-05`"
                        ))
                })
            })
            .transpose()
    };
    let date = date_field("date", raw.date)?;
    let current_as_at = date_field("current_as_at", raw.current_as_at)?;
    let updated = date_field("updated", raw.updated)?;
    if kind == Kind::Article {
        for (name, value, what) in [
            ("date", date, "the date it was first published"),
            (
                "current_as_at",
                current_as_at,
                "the date its information was last confirmed",
            ),
        ] {
            if value.is_none() {
                return Err(Diagnostic::error(format!("the article has no `{name}`"))
                    .on_line_opt(key_line(name).or(Some(split.yaml_line - 1)))
                    .with_fix(format!("add `{name}: YYYY-MM-DD`, {what}")));
            }
        }
    }

    if let (Some(date), Some(as_at)) = (date, current_as_at) {
        if as_at < date {
            return Err(Diagnostic::error(format!(
                "current_as_at ({as_at}) is earlier than date ({date})"
            ))
            .on_line_opt(key_line("current_as_at"))
            .with_fix("information cannot be confirmed before it was published: set current_as_at to the day you last checked it, on or after date"));
        }
    }

    if let Some(slug) = &raw.slug {
        if let Err(why) = check_slug(slug) {
            return Err(Diagnostic::error(format!("slug `{}` {why}", shortened(slug)))
                .on_line_opt(key_line("slug"))
                .with_fix("use lower-case letters, digits and hyphens, e.g. `slug: prototype-versus-production`"));
        }
    }
    for alias in &raw.aliases {
        if let Err(why) = check_alias(alias) {
            return Err(Diagnostic::error(format!("alias `{alias}` {why}"))
                .on_line_opt(key_line("aliases"))
                .with_fix("write old addresses as site paths, e.g. `aliases: [/old-address/]`"));
        }
    }
    if let Some(days) = raw.review_after_days.filter(|d| !(1..=36_500).contains(d)) {
        return Err(Diagnostic::error(format!(
            "`review_after_days` is {days}: it must be a number of days from 1 to 36500"
        ))
        .on_line_opt(key_line("review_after_days"))
        .with_fix("write how many days after current_as_at the article is due for review, e.g. `review_after_days: 180`"));
    }
    if kind == Kind::Page {
        let written = [
            ("review_after_days", raw.review_after_days.is_some()),
            ("reviewed_by", raw.reviewed_by.is_some()),
            ("changes", !raw.changes.is_empty()),
        ];
        if let Some((field, _)) = written.iter().find(|(_, set)| *set) {
            return Err(Diagnostic::error(format!(
                "`{field}` is for articles, and this is a page: pages have no review date"
            ))
            .on_line_opt(key_line(field))
            .with_fix(format!(
                "remove `{field}`, or move the file into content/articles/ to make it a dated article"
            )));
        }
    }
    let reviewed_by = review::reviewer(raw.reviewed_by, key_line("reviewed_by"), config)?;
    let changes = review::changes(
        raw.changes,
        split.yaml,
        split.yaml_line,
        key_line("changes"),
        date,
        today,
    )?;
    let tag_slugs: Vec<String> = raw.tags.iter().map(slug::slugify).collect();
    if let Some(i) = tag_slugs.iter().position(|s| s.len() > MAX_NAME) {
        return Err(Diagnostic::error(format!(
            "tag `{}` is longer than 200 bytes as an address, too long for a folder name on most systems",
            shortened(&raw.tags[i])
        ))
        .on_line_opt(key_line("tags"))
        .with_fix("shorten the tag to a few words"));
    }
    if let Some(i) = tag_slugs.iter().position(String::is_empty) {
        return Err(
            Diagnostic::error(format!("tag `{}` has no letters or digits", raw.tags[i]))
                .on_line_opt(key_line("tags"))
                .with_fix("give each tag a name with letters or digits, or remove it"),
        );
    }

    let cta = match raw.cta.as_deref().map(str::trim) {
        None => CtaChoice::Default,
        Some("none") => CtaChoice::None,
        Some(id) if config.ctas.contains_key(id) => CtaChoice::Id(id.to_string()),
        Some(id) => {
            let hint = match closest(id, config.ctas.keys().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? {}", known_ctas_hint(&config.ctas)),
                None => format!("{}; or write `cta: none`", known_ctas_hint(&config.ctas)),
            };
            return Err(Diagnostic::error(format!("unknown call-to-action `{id}`"))
                .on_line_opt(key_line("cta"))
                .with_fix(hint));
        }
    };

    Ok(FrontMatter {
        title,
        date,
        current_as_at,
        updated,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        tags: raw.tags,
        tag_slugs,
        draft: raw.draft,
        slug: raw.slug,
        cta,
        author: raw.author.filter(|a| !a.trim().is_empty()),
        aliases: raw.aliases,
        review_after_days: raw.review_after_days,
        reviewed_by,
        changes,
        lines,
    })
}

fn type_hint(message: &str) -> Option<String> {
    let field = FIELDS
        .iter()
        .find(|f| message.starts_with(&format!("{f}:")))?;
    Some(match *field {
        "tags" | "aliases" => format!("write {field} as a list, e.g. `{field}: [first, second]`"),
        "draft" => "write `draft: true` or `draft: false` (without quotes)".to_string(),
        "changes" => {
            "write changes as a list, each `- date: YYYY-MM-DD` with `note: …` under it".to_string()
        }
        _ => format!("write {field} as plain text"),
    })
}

/// Parses a `YYYY-MM-DD` date, explaining what is wrong with anything else.
pub fn parse_date(text: &str) -> std::result::Result<NaiveDate, String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return Err("dates must be written YYYY-MM-DD".to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "there is no such date".to_string())
}

fn check_slug(slug: &str) -> std::result::Result<(), &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        return Err("must not contain `/`, `\\` or `..`");
    }
    if slug.contains(':') {
        return Err("must not contain `:`");
    }
    if slug.starts_with('.') || slug.starts_with('_') {
        return Err("must not start with `.` or `_`");
    }
    if slug.len() > MAX_NAME {
        return Err("is longer than 200 bytes, too long for a folder name on most systems");
    }
    if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#%\"'<>".contains(c))
    {
        return Err("must not contain spaces or the characters ? # % \" ' < >");
    }
    Ok(())
}

fn check_alias(alias: &str) -> std::result::Result<(), &'static str> {
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Err("must be a path on this site starting with `/`");
    }
    if alias.contains(':') {
        return Err("must not contain a scheme or `:`");
    }
    if alias
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.starts_with('.'))
    {
        return Err("must not contain `.` or `..` segments");
    }
    if alias
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\\?#%\"'<>".contains(c))
    {
        return Err("must not contain spaces, `\\` or the characters ? # % \" ' < >");
    }
    if alias == "/" {
        return Err("cannot be the home page");
    }
    if alias.split('/').any(|seg| seg.len() > MAX_NAME) {
        return Err("has a part longer than 200 bytes, too long for a file name on most systems");
    }
    Ok(())
}

/// Long user text cut for a message: its first 40 characters and an ellipsis.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some(_) => format!("{}…", text.chars().take(40).collect::<String>()),
        None => text.to_string(),
    }
}

/// The longest name brief gives a folder or file it publishes: file systems allow 255
/// bytes, and hosts and archives often less.
const MAX_NAME: usize = 200;

/// Accepts any YAML scalar as text, so a date can be checked and explained rather than
/// rejected by its YAML type.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

    fn config() -> Config {
        Config::parse(
            "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='UTC'\n[cta.talk]\ntitle='t'\nbody='b'\nbutton='x'\nhref='/'\n",
        )
        .unwrap()
    }

    fn article(text: &str) -> Result<FrontMatter> {
        parse(&split(text)?, Kind::Article, &config(), TODAY)
    }

    #[test]
    fn split_handles_bom_and_crlf() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_errors() {
        assert!(split("").unwrap_err().message.contains("empty"));
        assert!(split("# Title\n")
            .unwrap_err()
            .message
            .contains("no front matter"));
        assert!(split("---\ntitle: x\n")
            .unwrap_err()
            .message
            .contains("never closed"));
    }

    #[test]
    fn fields_are_checked_with_file_lines() {
        let ok =
            article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\ncta: none\n---\n")
                .unwrap();
        assert_eq!(ok.cta, CtaChoice::None);

        let e = article("---\ntitle: A\ndate: 2026-02-30\ncurrent_as_at: 2026-07-05\n---\n")
            .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("no such date"), "{e}");

        let e = article("---\ntitle: A\ndate: 05/07/2026\ncurrent_as_at: 2026-07-05\n---\n")
            .unwrap_err();
        assert!(e.fix.unwrap().contains("YYYY-MM-DD"));

        let e =
            article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\ntitel: B\n---\n")
                .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert_eq!(e.fix.as_deref(), Some("did you mean `title`?"));

        let e =
            article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\ncta: tlak\n---\n")
                .unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(e.fix.unwrap().contains("talk"));

        let e = article("---\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n---\n").unwrap_err();
        assert!(e.message.contains("no title"));

        let e = article("---\ntitle: A\ndate: 2026-07-05\n---\n").unwrap_err();
        assert!(e.message.contains("current_as_at"));

        let e =
            article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\ntags: 5\n---\n")
                .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.fix.unwrap().contains("list"));

        let e = article(
            "---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\ndraft: \"yes\"\n---\n",
        )
        .unwrap_err();
        assert!(e.fix.unwrap().contains("true"));

        let e = article(
            "---\ntitle: A\nslug: ../etc\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n---\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));

        let e = article("---\n- a\n- b\n---\n").unwrap_err();
        assert!(
            e.message.contains("name: value") && e.message.ends_with("a list"),
            "{e}"
        );

        let e = article("---\ntitle: A\ntags:\n\t- x\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("tab"), "{e}");

        let e = article("---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert_eq!(e.message, "front matter: `title` is set twice");
        assert_eq!(e.line, Some(3));

        let e = article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-04\n---\n")
            .unwrap_err();
        assert!(e.message.contains("earlier than date"), "{e}");
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn key_lines_in_a_file_are_never_in_the_body() {
        let text = "\u{feff}---\ntitle: A\nslug: a\nsummary : s\n---\nslug: b\ncta: x\n";
        let front = parse(&split(text).unwrap(), Kind::Page, &config(), TODAY).unwrap();
        assert_eq!(front.lines.of("title"), Some(2));
        assert_eq!(front.lines.of("slug"), Some(3));
        assert_eq!(front.lines.of("summary"), Some(4));
        assert_eq!(front.lines.of("cta"), None);
        assert_eq!(front.lines.of("not a field"), None);
    }

    #[test]
    fn aliases_must_stay_on_the_site() {
        assert!(check_alias("/old/").is_ok());
        assert!(check_alias("/old.html").is_ok());
        for bad in ["old", "//evil.com/", "/a/../b", "https://x", "/a\\b", "/"] {
            assert!(check_alias(bad).is_err(), "{bad}");
        }
    }
}
