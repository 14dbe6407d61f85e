//! The front matter of a section's `_index.md`, read by the same field reader as articles
//! and pages: YAML or TOML, every problem of the file in one run, each at its line.

use super::fields::{self, Field};
use super::values::Reader;
use super::{
    cta_choice, disclaimer_choice, review_days_problem, shortened, CtaChoice, DisclaimerChoice,
    Kind, SortBy, Split,
};
use crate::config::Config;
use crate::diagnostic::{closest, Diagnostic};
use serde_json::Value;

/// The fields a section's `_index.md` takes.
pub const SECTION_FIELDS: &[&str] = &[
    "title",
    "kind",
    "template",
    "sort_by",
    "paginate",
    "cta",
    "disclaimer",
    "review_after_days",
    "extra",
];

/// What a section's front matter says, each setting checked; inheritance is the caller's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionFront {
    pub title: Option<String>,
    pub kind: Option<Kind>,
    pub template: Option<String>,
    pub sort_by: Option<SortBy>,
    pub paginate: Option<usize>,
    pub cta: Option<CtaChoice>,
    pub disclaimer: Option<DisclaimerChoice>,
    pub review_after_days: Option<i64>,
    pub extra: Value,
}

/// Reads the front matter of the `_index.md` of a section; `home` for `content/_index.md`,
/// whose `kind` is fixed.
pub fn parse_section(
    split: &Split<'_>,
    home: bool,
    config: &Config,
) -> Result<SectionFront, Vec<Diagnostic>> {
    let (mut fields, mut problems) = fields::read(split).map_err(|d| vec![d])?;
    let assign = split.format.assign();
    let mut out = SectionFront::default();
    let mut read = Reader {
        format: split.format,
        problems: &mut problems,
    };
    for field in &mut fields {
        let line = field.line;
        let problem = |message: String, fix: String| {
            Diagnostic::error(message).on_line_opt(line).with_fix(fix)
        };
        match field.key.as_str() {
            "title" => out.title = read.text(field).filter(|t| !t.trim().is_empty()),
            "kind" => out.kind = kind(&mut read, field, home, assign),
            "template" => {
                out.template = read.text(field).filter(|t| {
                    let plain = t.ends_with(".html")
                        && !t.starts_with(['/', '.'])
                        && !t.contains("..")
                        && !t.contains('\\');
                    if !plain {
                        read.problems.push(
                            Diagnostic::error(format!("`template` is `{}`", shortened(t)))
                                .on_line_opt(line)
                                .with_fix(format!(
                                    "name a template under templates/, e.g. `template{assign}\"guides.html\"`"
                                )),
                        );
                    }
                    plain
                })
            }
            "sort_by" => {
                out.sort_by = match read.text(field).as_deref().map(str::trim) {
                    None => None,
                    Some("date") => Some(SortBy::Date),
                    Some("title") => Some(SortBy::Title),
                    Some("weight") => Some(SortBy::Weight),
                    Some(other) => {
                        read.problems.push(Diagnostic::error(format!("`sort_by` is `{}`", shortened(other)))
                            .on_line_opt(line)
                            .with_fix("write `sort_by` as `date` (newest first), `title` (A to Z) or `weight` (pages, smallest first)"));
                        None
                    }
                }
            }
            "paginate" => {
                out.paginate = match read.integer(field) {
                    None => None,
                    Some(n) if (1..=10_000).contains(&n) => usize::try_from(n).ok(),
                    Some(n) => {
                        read.problems.push(problem(
                            format!("`paginate` is {n}"),
                            format!("write how many items each list page shows, from 1 to 10000, e.g. `paginate{assign}10`"),
                        ));
                        None
                    }
                }
            }
            "cta" => {
                out.cta = read.text(field).and_then(|id| {
                    cta_choice(&id, config, line)
                        .map_err(|d| read.problems.push(d))
                        .ok()
                })
            }
            "disclaimer" => {
                out.disclaimer = read.text(field).and_then(|id| {
                    disclaimer_choice(&id, config, line)
                        .map_err(|d| read.problems.push(d))
                        .ok()
                })
            }
            "review_after_days" => {
                out.review_after_days = read.integer(field).filter(|&days| {
                    match review_days_problem(days, line, "its articles are") {
                        Some(d) => {
                            read.problems.push(d);
                            false
                        }
                        None => true,
                    }
                })
            }
            "extra" => out.extra = std::mem::take(&mut field.value),
            key => {
                let fix = match closest(key, SECTION_FIELDS.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "a section's _index.md takes {}",
                        SECTION_FIELDS.join(", ")
                    ),
                };
                read.problems.push(problem(
                    format!("front matter: unknown field `{}` for a section", shortened(key)),
                    fix,
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.sort_by_key(|d| d.line);
        Err(problems)
    }
}

fn kind(read: &mut Reader<'_>, field: &Field, home: bool, assign: &str) -> Option<Kind> {
    let text = read.text(field)?;
    let problem = |message: String, fix: String| {
        Diagnostic::error(message)
            .on_line_opt(field.line)
            .with_fix(fix)
    };
    if home {
        read.problems.push(problem(
            "the home section's `kind` cannot be set: files directly in content/ are pages, and its list holds every article".into(),
            "remove `kind`; set it in the _index.md of a folder under content/".into(),
        ));
        return None;
    }
    match text.trim() {
        "articles" => Some(Kind::Article),
        "pages" => Some(Kind::Page),
        other => {
            read.problems.push(problem(
                format!("`kind` is `{}`", shortened(other)),
                format!("write `kind{assign}\"articles\"` (dated, stamped, in the feed; the default) or `kind{assign}\"pages\"`"),
            ));
            None
        }
    }
}
