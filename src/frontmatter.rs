//! Front matter: the block at the top of each Markdown file, YAML between `---` lines or
//! TOML between `+++` lines, checked field by field. Every problem of a file is reported in
//! one run, each at its line in the file.

use crate::config::{known_ctas_hint, known_disclaimers_hint, Config};
use crate::diagnostic::{closest, Diagnostic, Result};
use crate::yaml;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

mod dates;
mod fields;
mod hints;
mod names;
mod review;
mod section;
mod sources;
mod split;
mod values;
pub use crate::core::model::{CtaChoice, DisclaimerChoice, Kind, SortBy, MAX_REVIEW_DAYS};
pub use dates::{date_in_zone, dated_name, parse_date};
use names::{check_alias, check_slug, MAX_NAME};
pub use review::Change;
pub use section::{parse_section, SectionFront, SECTION_FIELDS};
pub use sources::Source;
pub use split::{split, Format, Split};

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
    "sources",
    "disclaimer",
    "weight",
    "extra",
];

/// The fields only articles have, with why a page has none.
const ARTICLE_ONLY: &[(&str, &str)] = &[
    ("date", "a page has no publication date"),
    ("author", "a page has no byline"),
    ("review_after_days", "pages have no review date"),
    ("reviewed_by", "pages have no review date"),
    ("changes", "pages have no review date"),
];

/// Checked front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    /// For an article, `date:` or else the date its file name starts with
    /// ([`Defaults::from_file`]); for a page, none.
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
    /// What the advice rests on, as written (`sources:`).
    pub sources: Vec<Source>,
    /// `disclaimer:`, an id of site.toml's `[disclaimer.<id>]` or `none`.
    pub disclaimer: DisclaimerChoice,
    /// A page's place among the pages of its section (lower first); articles have none.
    pub weight: Option<i64>,
    /// `extra:` as written, any value (`Null` when there is none), for templates.
    pub extra: Value,
    /// The file line of each top-level field that is written, to point diagnostics at it.
    pub lines: KeyLines,
}

/// The line in the file of each front matter field (0 where it is not written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyLines([u32; FIELDS.len()]);

impl KeyLines {
    fn of_fields(fields: &[fields::Field]) -> KeyLines {
        let mut lines = KeyLines::default();
        for field in fields {
            if let (Some(at), Some(line)) =
                (FIELDS.iter().position(|k| *k == field.key), field.line)
            {
                lines.0[at] = u32::try_from(line).unwrap_or(u32::MAX);
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

/// What a document's file says when its front matter does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defaults {
    /// The date of an article whose front matter has no `date:`.
    pub date: Option<NaiveDate>,
}

impl Defaults {
    /// An article named as Jekyll names posts, `2024-03-05-title.md`, is dated by its name.
    /// Only `date` is taken from it: `current_as_at` says that someone checked the
    /// information, which a file name cannot say.
    pub fn from_file(file: &Path, kind: Kind) -> Defaults {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        Defaults {
            date: dated_name(stem)
                .filter(|_| kind == Kind::Article)
                .map(|(date, _)| date),
        }
    }
}

/// The values of the fields, as they are read one by one; problems are collected.
#[derive(Default)]
struct Raw {
    title: Option<String>,
    date: Option<NaiveDate>,
    current_as_at: Option<NaiveDate>,
    updated: Option<NaiveDate>,
    summary: Option<String>,
    tags: Vec<String>,
    draft: bool,
    slug: Option<String>,
    cta: Option<String>,
    author: Option<String>,
    aliases: Vec<String>,
    review_after_days: Option<i64>,
    reviewed_by: Option<String>,
    changes: Option<Value>,
    sources: Option<(Value, Option<usize>)>,
    disclaimer: Option<String>,
    weight: Option<i64>,
    extra: Value,
}

/// Parses and checks the front matter of one file as of `today` (change notes may not be
/// dated after it), with what its file name says in `defaults`. Every problem is returned,
/// in the order of their lines, which are lines in the file.
pub fn parse(
    split: &Split<'_>,
    kind: Kind,
    config: &Config,
    today: NaiveDate,
    defaults: &Defaults,
) -> std::result::Result<FrontMatter, Vec<Diagnostic>> {
    let (mut fields, mut problems) = fields::read(split).map_err(|d| vec![d])?;
    let lines = KeyLines::of_fields(&fields);
    let key_line = |key: &str| lines.of(key);
    let top = split.front_line - 1;
    let zone = config.dates.timezone;
    let mut raw = Raw::default();
    {
        let mut read = values::Reader {
            format: split.format,
            problems: &mut problems,
        };
        for field in &mut fields {
            let key = field.key.as_str();
            if let Some((_, why)) = ARTICLE_ONLY
                .iter()
                .find(|(k, _)| *k == key)
                .filter(|_| kind == Kind::Page)
            {
                read.problems.push(not_for_pages(key, why, field.line));
                continue;
            }
            match key {
                "title" => raw.title = read.text(field),
                "date" => raw.date = read.date(field, zone),
                "current_as_at" => raw.current_as_at = read.date(field, zone),
                "updated" => raw.updated = read.date(field, zone),
                "summary" => raw.summary = read.text(field),
                "tags" => raw.tags = read.texts(field),
                "draft" => raw.draft = read.flag(field).unwrap_or_default(),
                "slug" => raw.slug = read.text(field),
                "cta" => raw.cta = read.text(field),
                "author" => raw.author = read.text(field),
                "aliases" => raw.aliases = read.texts(field),
                "review_after_days" => raw.review_after_days = read.integer(field),
                "reviewed_by" => raw.reviewed_by = read.text(field),
                "changes" => raw.changes = Some(std::mem::take(&mut field.value)),
                "sources" => raw.sources = Some((std::mem::take(&mut field.value), field.line)),
                "disclaimer" => raw.disclaimer = read.text(field),
                "weight" if kind == Kind::Article => read.problems.push(
                    Diagnostic::error(
                        "`weight` orders the pages of a section, and this is an article",
                    )
                    .on_line_opt(field.line)
                    .with_fix(hints::migration("weight").unwrap_or_default()),
                ),
                "weight" => raw.weight = read.integer(field),
                "extra" => raw.extra = std::mem::take(&mut field.value),
                _ => read.problems.push(unknown_field(key, kind, field.line)),
            }
        }
    }
    let failed = read_failed(&problems, &fields);

    let title = raw.title.filter(|t| !t.trim().is_empty());
    if title.is_none() && !failed("title") {
        problems.push(
            Diagnostic::error("the front matter has no title")
                .on_line_opt(key_line("title").or(Some(top)))
                .with_fix(match split.format {
                    Format::Yaml => "add a line such as `title: Prototype versus production`",
                    Format::Toml => "add a line such as `title = \"Prototype versus production\"`",
                }),
        );
    }

    let date = raw.date.or(defaults.date.filter(|_| !failed("date")));
    let current_as_at = raw.current_as_at;
    if kind == Kind::Article {
        for (name, value, what) in [
            ("date", date, "the date it was first published"),
            (
                "current_as_at",
                current_as_at,
                "the date its information was last confirmed",
            ),
        ] {
            if value.is_none() && !failed(name) {
                problems.push(
                    Diagnostic::error(format!("the article has no `{name}`"))
                        .on_line_opt(key_line(name).or(Some(top)))
                        .with_fix(match split.format {
                            Format::Yaml => format!("add `{name}: YYYY-MM-DD`, {what}"),
                            Format::Toml => format!("add `{name} = YYYY-MM-DD`, {what}"),
                        }),
                );
            }
        }
    }
    if let (Some(date), Some(as_at)) = (date, current_as_at) {
        if as_at < date {
            problems.push(Diagnostic::error(format!(
                "current_as_at ({as_at}) is earlier than date ({date})"
            ))
            .on_line_opt(key_line("current_as_at"))
            .with_fix("information cannot be confirmed before it was published: set current_as_at to the day you last checked it, on or after date"));
        }
    }
    // The stamp says someone checked the information on that day: a day that has not come
    // is not true. Only an article not yet published may name the day it will be checked.
    let scheduled = kind == Kind::Article && date.is_some_and(|d| d > today);
    if let Some(as_at) = current_as_at.filter(|&d| d > today && !scheduled) {
        let assign = split.format.assign();
        problems.push(Diagnostic::error(format!(
            "current_as_at ({as_at}) is after today ({today}): the page would say it was confirmed on a day that has not come"
        ))
        .on_line_opt(key_line("current_as_at"))
        .with_fix(format!("set it to the day the information was last checked, e.g. `current_as_at{assign}{today}`")));
    }

    if let Some(slug) = &raw.slug {
        if let Err(why) = check_slug(slug) {
            problems.push(Diagnostic::error(format!("slug `{}` {why}", shortened(slug)))
                .on_line_opt(key_line("slug"))
                .with_fix("use lower-case letters, digits and hyphens, e.g. `slug: prototype-versus-production`"));
        }
    }
    for alias in &raw.aliases {
        if let Err(why) = check_alias(alias) {
            problems.push(
                Diagnostic::error(format!("alias `{}` {why}", shortened(alias)))
                    .on_line_opt(key_line("aliases"))
                    .with_fix("write old addresses as site paths, e.g. `aliases: [/old-address/]`"),
            );
        }
    }
    if let Some(d) = raw
        .review_after_days
        .and_then(|days| review_days_problem(days, key_line("review_after_days"), "the article is"))
    {
        problems.push(d);
    }
    let reviewed_by = review::reviewer(raw.reviewed_by, key_line("reviewed_by"), config)
        .unwrap_or_else(|d| {
            problems.push(d);
            None
        });
    let changes = match raw.changes {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => changes_as_written(split, &value, key_line("changes"), zone)
            .and_then(|written| review::changes(written, split, key_line("changes"), date, today))
            .unwrap_or_else(|d| {
                problems.push(d);
                Vec::new()
            }),
    };
    let sources = raw.sources.map_or_else(Vec::new, |(value, line)| {
        sources::read(split, &value, line, zone, today, &mut problems)
    });
    let disclaimer = match raw.disclaimer.as_deref() {
        None => DisclaimerChoice::Default,
        Some(id) => disclaimer_choice(id, config, key_line("disclaimer")).unwrap_or_else(|d| {
            problems.push(d);
            DisclaimerChoice::Default
        }),
    };
    if raw.tags.len() > MAX_TAGS {
        problems.push(Diagnostic::error(format!(
            "the document has {} tags; brief takes at most {MAX_TAGS}: each tag's page lists it with all its tags, so the output would grow with the square of their number",
            raw.tags.len()
        ))
        .on_line_opt(key_line("tags"))
        .with_fix("keep the few tags a reader would browse by; put other keywords in the text or the summary"));
        raw.tags.truncate(MAX_TAGS);
    }
    let tag_slugs: Vec<String> = raw.tags.iter().map(slug::slugify).collect();
    for (tag, slug) in raw.tags.iter().zip(&tag_slugs) {
        if slug.len() > MAX_NAME {
            problems.push(Diagnostic::error(format!(
                "tag `{}` is longer than 200 bytes as an address, too long for a folder name on most systems",
                shortened(tag)
            ))
            .on_line_opt(key_line("tags"))
            .with_fix("shorten the tag to a few words"));
        } else if slug.is_empty() {
            problems.push(
                Diagnostic::error(format!("tag `{}` has no letters or digits", shortened(tag)))
                    .on_line_opt(key_line("tags"))
                    .with_fix("give each tag a name with letters or digits, or remove it"),
            );
        } else if let Some(why) = crate::core::paths::windows_refuses(slug) {
            problems.push(
                Diagnostic::error(format!(
                    "tag `{}` has the address /tags/{slug}/, and `{slug}` {why}",
                    shortened(tag)
                ))
                .on_line_opt(key_line("tags"))
                .with_fix("name the tag with another word, or add one (e.g. `con-law`)"),
            );
        }
    }

    let cta = match raw.cta.as_deref() {
        None => CtaChoice::Default,
        Some(id) => cta_choice(id, config, key_line("cta")).unwrap_or_else(|d| {
            problems.push(d);
            CtaChoice::Default
        }),
    };

    let (Some(title), true) = (title, problems.is_empty()) else {
        // Stable: problems on one line keep the order they were found in.
        problems.sort_by_key(|d| d.line);
        return Err(problems);
    };
    Ok(FrontMatter {
        title,
        date,
        current_as_at,
        updated: raw.updated,
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
        sources,
        disclaimer,
        weight: raw.weight,
        extra: raw.extra,
        lines,
    })
}

/// The call-to-action `cta:` names (`none`, or an id of site.toml's `[cta.<id>]`), for a
/// document or a section; an unknown id is an error at `line` with the ids there are.
fn cta_choice(id: &str, config: &Config, line: Option<usize>) -> Result<CtaChoice> {
    let id = id.trim();
    if id == "none" {
        return Ok(CtaChoice::None);
    }
    if config.ctas.contains_key(id) {
        return Ok(CtaChoice::Id(id.to_string()));
    }
    let hint = match closest(id, config.ctas.keys().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? {}", known_ctas_hint(&config.ctas)),
        None => format!("{}; or write `cta: none`", known_ctas_hint(&config.ctas)),
    };
    Err(
        Diagnostic::error(format!("unknown call-to-action `{}`", shortened(id)))
            .on_line_opt(line)
            .with_fix(hint),
    )
}

/// The disclaimer `disclaimer:` names (`none`, or an id of site.toml's `[disclaimer.<id>]`),
/// for a document or a section; an unknown id is an error at `line` with the ids there are.
fn disclaimer_choice(id: &str, config: &Config, line: Option<usize>) -> Result<DisclaimerChoice> {
    let id = id.trim();
    if id == "none" {
        return Ok(DisclaimerChoice::None);
    }
    if config.disclaimers.contains_key(id) {
        return Ok(DisclaimerChoice::Id(id.to_string()));
    }
    let fix = crate::diagnostic::did_you_mean(
        id,
        config.disclaimers.keys().map(String::as_str),
        known_disclaimers_hint(&config.disclaimers),
    );
    Err(
        Diagnostic::error(format!("unknown disclaimer `{}`", shortened(id)))
            .on_line_opt(line)
            .with_fix(fix),
    )
}

/// The most tags one document may carry.
pub const MAX_TAGS: usize = 50;

/// The error for a review period of `days` outside 1..=[`MAX_REVIEW_DAYS`]; `whose` says
/// what falls due ("the article is").
fn review_days_problem(days: i64, line: Option<usize>, whose: &str) -> Option<Diagnostic> {
    if (1..=MAX_REVIEW_DAYS).contains(&days) {
        return None;
    }
    Some(Diagnostic::error(format!(
        "`review_after_days` is {days}: it must be a number of days from 1 to {MAX_REVIEW_DAYS}"
    ))
    .on_line_opt(line)
    .with_fix(format!("write how many days after current_as_at {whose} due for review, e.g. `review_after_days: 180`")))
}

/// Whether a field is written with a value that failed its check (so that a missing-field
/// error would only repeat it).
fn read_failed<'f>(
    problems: &[Diagnostic],
    fields: &'f [fields::Field],
) -> impl Fn(&str) -> bool + 'f {
    let lines: Vec<usize> = problems.iter().filter_map(|d| d.line).collect();
    move |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .is_some_and(|f| f.line.is_some_and(|l| lines.contains(&l)))
    }
}

fn not_for_pages(key: &str, why: &str, line: Option<usize>) -> Diagnostic {
    let fix = match key {
        "date" => "remove `date`: to say when the page's information was last checked, write `current_as_at:`; or move the file into content/articles/ to make it a dated article".to_string(),
        "author" => "remove `author`, or keep it under `extra:` (e.g. `extra: {author: …}`) for a template to show; or move the file into content/articles/".to_string(),
        _ => format!(
            "remove `{key}`, or move the file into content/articles/ to make it a dated article"
        ),
    };
    Diagnostic::error(format!(
        "`{key}` is for articles, and this is a page: {why}"
    ))
    .on_line_opt(line)
    .with_fix(fix)
}

/// An unknown field: brief's name for it when another generator uses it, or else the
/// closest known field.
fn unknown_field(key: &str, kind: Kind, line: Option<usize>) -> Diagnostic {
    let known = FIELDS.iter().copied().filter(|f| match kind {
        Kind::Article => *f != "weight",
        Kind::Page => !ARTICLE_ONLY.iter().any(|(k, _)| k == f),
    });
    let message = format!(
        "unknown field `{}`, expected one of {}",
        shortened(key),
        known
            .clone()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // A peer's field needs brief's name for it, not the list of every field.
    if let Some(fix) = hints::migration(key) {
        return Diagnostic::error(format!("front matter: unknown field `{}`", shortened(key)))
            .on_line_opt(line)
            .with_fix(fix);
    }
    let fix = match closest(key, known.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the known fields are {}",
            known.collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::error(format!("front matter: {message}"))
        .on_line_opt(line)
        .with_fix(fix)
}

/// The entries of `changes:`, each with its date (a date and time taken as its calendar
/// date in the site's `zone`). In YAML the entries are read again from the text, so that an
/// entry's mistake is reported at its own line.
fn changes_as_written(
    split: &Split<'_>,
    value: &Value,
    key_line: Option<usize>,
    zone: chrono_tz::Tz,
) -> Result<Vec<review::RawChange>> {
    #[derive(Deserialize)]
    struct Changes {
        #[serde(default)]
        changes: Vec<review::RawChange>,
    }
    let mut dated = value.clone();
    if let Value::Array(entries) = &mut dated {
        for entry in entries {
            if let Some(date) = entry.get_mut("date") {
                if let Some(day) = date.as_str().and_then(|t| date_in_zone(t, zone).ok()) {
                    *date = Value::String(day.to_string());
                }
            }
        }
    }
    let as_json = serde_json::from_value::<Vec<review::RawChange>>(dated);
    if split.format == Format::Yaml {
        let as_written = yaml::from_str::<Changes>(split.front).map_err(|e| {
            Diagnostic::error(format!("front matter: {}", e.message))
                .on_line_opt(e.line.map(|l| l + split.front_line - 1).or(key_line))
                .with_fix(values::type_hint("changes", split.format).unwrap_or_default())
        })?;
        return Ok(as_json.unwrap_or(as_written.changes));
    }
    as_json.map_err(|e| {
        Diagnostic::error(format!("front matter: changes: {e}"))
            .on_line_opt(key_line)
            .with_fix(values::type_hint("changes", split.format).unwrap_or_default())
    })
}

/// Long user text cut for a message: its first 40 characters and an ellipsis.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some(_) => format!("{}…", text.chars().take(40).collect::<String>()),
        None => text.to_string(),
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

    fn config_in(zone: &str) -> Config {
        Config::parse(&format!(
            "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='{zone}'\n[cta.talk]\ntitle='t'\nbody='b'\nbutton='x'\nhref='/'\n"
        ))
        .unwrap()
    }

    /// Every problem of a document of `kind`.
    fn problems(text: &str, kind: Kind) -> Vec<Diagnostic> {
        match split(text) {
            Err(e) => vec![e],
            Ok(s) => parse(&s, kind, &config(), TODAY, &Defaults::default())
                .err()
                .unwrap_or_default(),
        }
    }

    /// The article's front matter, or its first problem.
    fn article(text: &str) -> Result<FrontMatter> {
        parse(
            &split(text)?,
            Kind::Article,
            &config(),
            TODAY,
            &Defaults::default(),
        )
        .map_err(|mut all| all.remove(0))
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

        let e =
            article("---\ntitle: A\ntitle: B\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n---\n")
                .unwrap_err();
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
        let front = parse(
            &split(text).unwrap(),
            Kind::Page,
            &config(),
            TODAY,
            &Defaults::default(),
        )
        .unwrap();
        assert_eq!(front.lines.of("title"), Some(2));
        assert_eq!(front.lines.of("slug"), Some(3));
        assert_eq!(front.lines.of("summary"), Some(4));
        assert_eq!(front.lines.of("cta"), None);
        assert_eq!(front.lines.of("not a field"), None);
    }

    #[test]
    fn toml_reads_as_yaml_does() {
        let yaml = article("---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-06\ntags: [x, y]\ndraft: true\nextra:\n  image: /a.png\n---\nBody\n").unwrap();
        let toml = article("+++\ntitle = \"A\"\ndate = 2026-07-05\ncurrent_as_at = \"2026-07-06\"\ntags = [\"x\", \"y\"]\ndraft = true\n[extra]\nimage = \"/a.png\"\n+++\nBody\n").unwrap();
        assert_eq!(yaml, toml);
        assert_eq!(toml.extra, serde_json::json!({"image": "/a.png"}));
        assert_eq!(toml.lines.of("extra"), Some(7));
        let s = split("+++\ntitle = \"A\"\n+++\n").unwrap();
        assert_eq!(s.format, Format::Toml);

        let e = article("+++\ntitle = \"A\"\ndate = 2026-07-05\ncurrent_as_at = 2026-07-05\ntags = [\"x\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let e = article("+++\ntitle = \"A\"\ndate = 2026-07-05\ncurrent_as_at = 2026-07-05\ndraft = \"yes\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.fix.unwrap().contains("draft = true"));
        assert!(split("+++\ntitle = \"A\"\n---\n")
            .unwrap_err()
            .fix
            .unwrap()
            .contains("`+++`"));
    }

    #[test]
    fn date_times_are_dated_in_the_site_zone() {
        let text = "---\ntitle: A\ndate: 2026-07-04T20:00:00Z\ncurrent_as_at: 2026-07-05 09:30:00\nupdated: \"2026-07-05T09:30:00+11:00\"\n---\n";
        let parse_in = |zone: &str, text: &str| {
            parse(
                &split(text).unwrap(),
                Kind::Article,
                &config_in(zone),
                TODAY,
                &Defaults::default(),
            )
        };
        let sydney = parse_in("Australia/Sydney", text).unwrap();
        assert_eq!(sydney.date, NaiveDate::from_ymd_opt(2026, 7, 5));
        assert_eq!(sydney.current_as_at, NaiveDate::from_ymd_opt(2026, 7, 5));
        assert_eq!(sydney.updated, NaiveDate::from_ymd_opt(2026, 7, 5));
        let utc = parse_in("UTC", text).unwrap();
        assert_eq!(utc.date, NaiveDate::from_ymd_opt(2026, 7, 4));
        assert_eq!(utc.updated, NaiveDate::from_ymd_opt(2026, 7, 4));
        // TOML's own date-times, with and without an offset, and change notes.
        let toml = "+++\ntitle = \"A\"\ndate = 2026-07-04T20:00:00Z\ncurrent_as_at = 2026-07-05T08:00:00\n[[changes]]\ndate = 2026-07-04T21:00:00Z\nnote = \"x\"\n+++\n";
        let toml = parse_in("Australia/Sydney", toml).unwrap();
        assert_eq!(toml.date, NaiveDate::from_ymd_opt(2026, 7, 5));
        assert_eq!(toml.current_as_at, NaiveDate::from_ymd_opt(2026, 7, 5));
        assert_eq!(
            toml.changes[0].date,
            NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_line() {
        let all = problems(
            "---\ntitle: [A]\nlastmod: 2026-01-01\ndate: 2026-02-30\ntags: 5\ntitel: x\ncta: tlak\nslug: a/b\ndraft: yes\n---\n",
            Kind::Article,
        );
        let lines: Vec<Option<usize>> = all.iter().map(|d| d.line).collect();
        assert_eq!(lines, (1..=9).map(Some).collect::<Vec<_>>(), "{all:#?}");
        assert!(all[0].message.contains("no `current_as_at`"), "{}", all[0]);
        assert!(
            all[1].message.contains("`title` must be text"),
            "{}",
            all[1]
        );
        assert!(all[2].fix.as_deref().unwrap().contains("`updated`"));
        assert!(all[3].message.contains("no such date"));
        assert!(all[4].message.contains("`tags` must be a list"));
        assert_eq!(all[5].fix.as_deref(), Some("did you mean `title`?"));
        assert!(all[6].message.contains("tlak"));
        assert!(all[7].message.contains("slug"));
        assert!(all[8].message.contains("`draft` must be true or false"));
    }

    #[test]
    fn fields_of_the_other_kind_are_refused_at_their_line() {
        let page = "---\ntitle: Fees\ncurrent_as_at: 2026-07-05\nupdated: 2026-07-06\ntags: [fees]\nsummary: What we charge\ncta: talk\nweight: 2\nextra:\n  icon: coin\n  list: [1, 2]\n---\n";
        let front = parse(
            &split(page).unwrap(),
            Kind::Page,
            &config(),
            TODAY,
            &Defaults::default(),
        )
        .unwrap();
        assert_eq!(front.current_as_at, NaiveDate::from_ymd_opt(2026, 7, 5));
        assert_eq!(front.tags, ["fees"]);
        assert_eq!(front.cta, CtaChoice::Id("talk".into()));
        assert_eq!(front.weight, Some(2));
        assert_eq!(
            front.extra,
            serde_json::json!({"icon": "coin", "list": [1, 2]})
        );

        let all = problems(
            "---\ntitle: Fees\ndate: 2026-07-05\nauthor: Me\nreviewed_by: x\n---\n",
            Kind::Page,
        );
        assert_eq!(all.len(), 3, "{all:#?}");
        assert_eq!(all[0].line, Some(3));
        assert!(all[0]
            .message
            .starts_with("`date` is for articles, and this is a page"));
        assert!(all[0].fix.as_deref().unwrap().contains("current_as_at"));
        assert_eq!(all[1].line, Some(4));
        assert_eq!(all[2].line, Some(5));

        let all = problems(
            "---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\nweight: 3\n---\n",
            Kind::Article,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].line, Some(5));
        assert!(all[0].fix.as_deref().unwrap().contains("by date"));
    }

    #[test]
    fn peers_fields_are_named_in_brief_terms() {
        for (field, says) in [
            ("lastmod", "`updated`"),
            ("last_modified_at", "`updated`"),
            ("modified", "`updated`"),
            ("description", "`summary`"),
            ("categories", "`tags`"),
            ("publishDate", "`date`"),
            ("pubDate", "`date`"),
            (
                "expiryDate",
                "brief has no expiry: set `draft: true` or delete the file",
            ),
            ("image", "`extra: {image: …}`"),
            ("images", "`extra: {images: …}`"),
            ("cover", "`extra: {cover: …}`"),
            ("layout", "templates/README.md"),
            ("template", "templates/README.md"),
            ("url", "`aliases"),
            ("permalink", "`slug:`"),
            ("toc", "`extra: {toc: …}`"),
            ("math", "`extra: {math: …}`"),
        ] {
            let all = problems(
                &format!(
                    "---\ntitle: A\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n{field}: x\n---\n"
                ),
                Kind::Article,
            );
            assert_eq!(all.len(), 1, "{field}: {all:#?}");
            assert_eq!(all[0].line, Some(5), "{field}");
            assert!(
                all[0].message.contains(&format!("unknown field `{field}`")),
                "{field}"
            );
            let fix = all[0].fix.as_deref().unwrap();
            assert!(fix.contains(says), "{field}: {fix}");
        }
    }

    #[test]
    fn a_jekyll_name_dates_an_article_without_a_date() {
        let file = Path::new("content/articles/2024-03-05-first-post.md");
        let defaults = Defaults::from_file(file, Kind::Article);
        assert_eq!(defaults.date, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(Defaults::from_file(file, Kind::Page), Defaults::default());
        let read = |text: &str| {
            parse(
                &split(text).unwrap(),
                Kind::Article,
                &config(),
                TODAY,
                &defaults,
            )
        };
        let front = read("---\ntitle: A\ncurrent_as_at: 2024-04-01\n---\n").unwrap();
        assert_eq!(front.date, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(front.lines.of("date"), None);
        // A date written wins over the name's.
        let front =
            read("---\ntitle: A\ndate: 2024-03-09\ncurrent_as_at: 2024-04-01\n---\n").unwrap();
        assert_eq!(front.date, NaiveDate::from_ymd_opt(2024, 3, 9));
        // The name says when it was published, not that it was checked.
        let e = read("---\ntitle: A\n---\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("no `current_as_at`"));
        // And it is checked against the stamp as `date:` would be.
        let e = read("---\ntitle: A\ncurrent_as_at: 2024-03-01\n---\n").unwrap_err();
        assert!(
            e[0].message.contains("earlier than date (2024-03-05)"),
            "{e:?}"
        );
    }
}
