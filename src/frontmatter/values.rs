//! The values of front matter fields: text, lists of text, true or false, whole numbers
//! and dates, each of the wrong type reported at its line with how to write it.

use super::fields::{describe, Field};
use super::{date_in_zone, shortened, Format, FIELDS};
use crate::diagnostic::Diagnostic;
use chrono::NaiveDate;
use serde_json::Value;

/// Reads the values of fields, noting each one of the wrong type.
pub(super) struct Reader<'p> {
    pub format: Format,
    pub problems: &'p mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn wrong(&mut self, field: &Field, expected: &str, value: &Value) {
        let mut d = Diagnostic::error(format!(
            "front matter: `{}` must be {expected}, not {}",
            field.key,
            describe(value)
        ))
        .on_line_opt(field.line);
        if let Some(hint) = type_hint(&field.key, self.format) {
            d = d.with_fix(hint);
        }
        self.problems.push(d);
    }

    /// Text, or a number or true/false taken as its text (as YAML reads `title: 2026`).
    pub fn text(&mut self, field: &Field) -> Option<String> {
        match &field.value {
            Value::Null => None,
            value => scalar_text(value).or_else(|| {
                self.wrong(field, "text", value);
                None
            }),
        }
    }

    pub fn texts(&mut self, field: &Field) -> Vec<String> {
        match &field.value {
            Value::Null => Vec::new(),
            Value::Array(items) => {
                match items.iter().map(scalar_text).collect::<Option<Vec<_>>>() {
                    Some(texts) => texts,
                    None => {
                        let bad = items.iter().find(|v| scalar_text(v).is_none());
                        self.wrong(field, "a list of text", bad.unwrap_or(&field.value));
                        Vec::new()
                    }
                }
            }
            value => {
                self.wrong(field, "a list", value);
                Vec::new()
            }
        }
    }

    pub fn flag(&mut self, field: &Field) -> Option<bool> {
        match &field.value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            value => {
                self.wrong(field, "true or false", value);
                None
            }
        }
    }

    pub fn integer(&mut self, field: &Field) -> Option<i64> {
        match &field.value {
            Value::Null => None,
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            value => {
                self.wrong(field, "a whole number", value);
                None
            }
        }
    }

    pub fn date(&mut self, field: &Field, zone: chrono_tz::Tz) -> Option<NaiveDate> {
        let name = &field.key;
        let text = match &field.value {
            Value::Null => return None,
            value => match scalar_text(value) {
                Some(text) => text,
                None => {
                    self.wrong(field, "a date", value);
                    return None;
                }
            },
        };
        date_in_zone(&text, zone)
            .map_err(|why| {
                let example = match self.format {
                    Format::Yaml => format!("`{name}: 2026-07-05`"),
                    Format::Toml => format!("`{name} = 2026-07-05`"),
                };
                self.problems.push(
                    Diagnostic::error(format!("`{name}` is `{}`: {why}", shortened(&text)))
                        .on_line_opt(field.line)
                        .with_fix(format!("write the date as YYYY-MM-DD, e.g. {example}")),
                );
            })
            .ok()
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn type_hint(field: &str, format: Format) -> Option<String> {
    let field = FIELDS.iter().find(|f| **f == field)?;
    Some(match (*field, format) {
        ("tags" | "aliases", Format::Yaml) => {
            format!("write {field} as a list, e.g. `{field}: [first, second]`")
        }
        ("tags" | "aliases", Format::Toml) => {
            format!("write {field} as a list, e.g. `{field} = [\"first\", \"second\"]`")
        }
        ("draft", Format::Yaml) => "write `draft: true` or `draft: false` (without quotes)".to_string(),
        ("draft", Format::Toml) => "write `draft = true` or `draft = false` (without quotes)".to_string(),
        ("changes", Format::Yaml) => {
            "write changes as a list, each `- date: YYYY-MM-DD` with `note: …` under it".to_string()
        }
        ("changes", Format::Toml) => {
            "write each change as a table: `[[changes]]`, then `date = 2026-07-05` and `note = \"…\"`".to_string()
        }
        ("sources", Format::Yaml) => {
            "write sources as a list, each `- title: …` with `url: https://…` and `checked: YYYY-MM-DD` under it".to_string()
        }
        ("sources", Format::Toml) => {
            "write each source as a table: `[[sources]]`, then `title = \"…\"`, `url = \"https://…\"` and `checked = 2026-07-05`".to_string()
        }
        ("disclaimer", _) => {
            "write the id of a [disclaimer.<id>] table of site.toml, or `none`".to_string()
        }
        ("review_after_days" | "weight", _) => format!("write {field} as a number without quotes"),
        ("date" | "current_as_at" | "updated", _) => {
            format!("write {field} as YYYY-MM-DD, e.g. 2026-07-05")
        }
        ("extra", _) => return None,
        _ => format!("write {field} as plain text"),
    })
}
