//! Reading a front matter block, YAML or TOML, into its fields in the order written, each
//! with its line in the file. Values are checked afterwards, field by field, so that every
//! problem of a file is found in one run (serde's own checks stop at the first).

use super::{shortened, Format, Split};
use crate::diagnostic::{control_at, control_character_fix, Diagnostic};
use crate::yaml;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// One top-level field as written.
#[derive(Debug)]
pub(super) struct Field {
    pub key: String,
    pub value: Value,
    /// Its line in the file, where brief could find it.
    pub line: Option<usize>,
}

/// What the block must be, as serde's messages say it.
const EXPECTING: &str = "fields written `name: value`";

/// Reads the block into its fields. A field written twice is reported (at its second line)
/// and its first value kept. A block that cannot be read at all is one error.
pub(super) fn read(split: &Split<'_>) -> Result<(Vec<Field>, Vec<Diagnostic>), Diagnostic> {
    let entries: Vec<(String, Value)> = match split.format {
        Format::Yaml => {
            yaml::from_str::<Entries<Value>>(split.front)
                .map_err(|e| yaml_problem(split, e))?
                .0
        }
        Format::Toml => toml::from_str::<Entries<toml::Value>>(split.front)
            .map_err(|e| toml_problem(split, &e))?
            .0
            .into_iter()
            .map(|(key, value)| (key, json_of(value)))
            .collect(),
    };
    // By key: its lines in the block, and how many times it has been read so far.
    let mut written: HashMap<String, (Vec<usize>, usize)> = HashMap::new();
    for (key, line) in key_lines(split.format, split.front) {
        written.entry(key).or_default().0.push(line);
    }
    let mut fields: Vec<Field> = Vec::with_capacity(entries.len());
    let mut twice = Vec::new();
    for (key, value) in entries {
        let (lines, seen) = written.entry(key.clone()).or_default();
        let line = lines
            .get(*seen)
            .or(lines.last())
            .map(|l| l + split.front_line - 1);
        *seen += 1;
        if *seen > 1 {
            twice.push(
                Diagnostic::error(format!("front matter: `{key}` is set twice"))
                    .on_line_opt(line)
                    .with_fix("keep one of the two lines and delete the other"),
            );
            continue;
        }
        fields.push(Field { key, value, line });
    }
    Ok((fields, twice))
}

/// The top-level keys of the block and their lines in it (1-based), in order: for YAML the
/// `key:` lines that are not indented, for TOML the `key =` lines before the first table
/// and each table's header (`[extra]`, `[[changes]]`, `[extra.image]` for `extra`).
fn key_lines(format: Format, text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_table = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with(char::is_whitespace) || line.starts_with('#') {
            continue;
        }
        let key = match format {
            Format::Yaml => {
                if line.starts_with('-') {
                    continue;
                }
                line.split_once(':').map(|(key, _)| key)
            }
            Format::Toml => {
                if let Some(header) = line.strip_prefix('[') {
                    in_table = true;
                    let header = header.trim_start_matches('[').trim_start();
                    header.split(['.', ']']).next()
                } else if in_table {
                    None
                } else {
                    line.split_once('=')
                        .map(|(key, _)| key.split('.').next().unwrap_or(key))
                }
            }
        };
        let Some(key) = key.map(str::trim) else {
            continue;
        };
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(key);
        if !key.is_empty() {
            out.push((key.to_string(), i + 1));
        }
    }
    out
}

/// Where an entry of a list of mappings is written: its line (its `- ` line, or its
/// `[[name]]` header) and each of its keys' lines, all file lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Entry {
    pub line: usize,
    pub keys: Vec<(String, usize)>,
}

impl Entry {
    /// The line of `key`, or the entry's own when it shares it or is not found.
    pub fn key(&self, key: &str) -> usize {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.line, |(_, l)| *l)
    }
}

/// Where each entry of the list of mappings `name` (at file line `key_line`) is written, in
/// order: in YAML the lines that start with `-` at the list's indentation up to the next
/// top-level key, in TOML each `[[name]]` header. Empty when brief cannot tell (a list written
/// on the key's own line), so that the caller reports every entry at `key_line`.
pub(super) fn entries(split: &Split<'_>, name: &str, key_line: usize) -> Vec<Entry> {
    let first = split.front_line;
    let lines: Vec<&str> = split.front.lines().collect();
    let mut out: Vec<Entry> = Vec::new();
    match split.format {
        Format::Yaml => {
            let mut indent = None;
            let mut inner = usize::MAX;
            for (i, text) in lines
                .iter()
                .enumerate()
                .skip((key_line + 1).saturating_sub(first))
            {
                let trimmed = text.trim_start();
                let depth = text.len() - trimmed.len();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                if depth == 0 && !trimmed.starts_with('-') {
                    break;
                }
                let file_line = i + first;
                if let Some(rest) = trimmed.strip_prefix('-') {
                    if *indent.get_or_insert(depth) == depth {
                        let after = rest.trim_start();
                        inner = depth + 1 + (rest.len() - after.len());
                        let mut entry = Entry {
                            line: file_line,
                            keys: Vec::new(),
                        };
                        if let Some(key) = yaml_key(after) {
                            entry.keys.push((key, file_line));
                        }
                        out.push(entry);
                        continue;
                    }
                }
                if let (Some(entry), true) = (out.last_mut(), depth == inner) {
                    if let Some(key) = yaml_key(trimmed) {
                        entry.keys.push((key, file_line));
                    }
                }
            }
        }
        Format::Toml => {
            let mut current = false;
            for (i, text) in lines.iter().enumerate() {
                let trimmed = text.trim();
                let file_line = i + first;
                if let Some(header) = trimmed.strip_prefix('[') {
                    let header_name = header
                        .trim_start_matches('[')
                        .split(']')
                        .next()
                        .unwrap_or("");
                    current = header.starts_with('[') && header_name.trim() == name;
                    if current {
                        out.push(Entry {
                            line: file_line,
                            keys: Vec::new(),
                        });
                    }
                    continue;
                }
                if let (true, Some(entry)) = (current, out.last_mut()) {
                    if let Some((key, _)) = trimmed.split_once('=') {
                        let key = key.trim().trim_matches('"').to_string();
                        entry.keys.push((key, file_line));
                    }
                }
            }
        }
    }
    out
}

/// The key of a YAML `key: value` line.
fn yaml_key(text: &str) -> Option<String> {
    let (key, _) = text.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then(|| key.to_string())
}

/// A mapping read entry by entry, keeping the order and any repeated key.
struct Entries<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Visit<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTING)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    out.push((key, map.next_value::<V>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Visit(PhantomData))
    }
}

/// A TOML value as brief stores it: dates and times become their text, as YAML gives them.
fn json_of(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(n) => Value::from(n),
        toml::Value::Float(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(at) => Value::String(at.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json_of).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, json_of(value)))
                .collect(),
        ),
    }
}

/// How serde names a value in its messages: ``integer `5` ``, `string "yes"`.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {:?}", shortened(s)),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

fn toml_problem(split: &Split<'_>, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim_end_matches('\n').replace('\n', "; ");
    let d = Diagnostic::error(format!("front matter: {message}"))
        .on_line(split.front_line.saturating_sub(1).max(1))
        .with_fix("check the TOML syntax on that line: `name = \"text\"`, dates as `date = 2026-07-05`, lists as `tags = [\"a\", \"b\"]`");
    let Some(span) = e.span() else {
        return d;
    };
    // An error at the end of the text (a list never closed) is on its last line.
    if span.start >= split.front.trim_end().len() {
        let last = split.front.lines().count().max(1);
        return d.on_line(last + split.front_line - 1);
    }
    let d = d.at_offset(split.front, span.start, split.front_line);
    match control_at(split.front, span.start) {
        Some(c) => Diagnostic {
            message: format!(
                "front matter: the control character U+{:04X} is not allowed anywhere in TOML, comments included",
                c as u32
            ),
            ..d
        }
        .with_fix(control_character_fix(c)),
        None => d,
    }
}

fn yaml_problem(split: &Split<'_>, e: yaml::YamlError) -> Diagnostic {
    // An error at the end of the text (a list never closed) is on its last line.
    let last = split.front.lines().count().max(1);
    let in_file = |line: Option<usize>| line.map(|l| l.min(last) + split.front_line - 1);
    let mut d =
        Diagnostic::error(format!("front matter: {}", e.message)).on_line_opt(in_file(e.line));
    if e.line.is_some_and(|l| l <= last) {
        d = d.on_column_opt(e.column);
    }
    if let Some(c) = e.control {
        return d.with_fix(control_character_fix(c));
    }
    // A tab in the indentation is the usual cause of YAML's stranger messages.
    let tab_line = e
        .line
        .filter(|&l| {
            split.front.lines().nth(l - 1).is_some_and(|text| {
                text.chars()
                    .take_while(|c| c.is_whitespace())
                    .any(|c| c == '\t')
            })
        })
        .or_else(|| e.message.contains("tab").then_some(e.line).flatten());
    if let Some(found) = e
        .message
        .strip_prefix("invalid type: ")
        .filter(|m| m.ends_with(EXPECTING))
    {
        let found = if found.starts_with("sequence") {
            "list"
        } else {
            "single value"
        };
        d.message =
            format!("front matter: it must be fields written `name: value`, but it is a {found}");
        d = d.with_fix("write one field a line, e.g. `title: Prototype versus production`");
    } else if e.message.contains("nested") {
        d = d.with_fix(
            "front matter needs no deep nesting: write lists flat, e.g. `tags: [first, second]`",
        );
    } else if e.message.ends_with("is set twice") {
        d = d.with_fix("keep one of the two lines and delete the other");
    } else if let Some(line) = tab_line {
        d.message = "front matter: this line is indented with a tab".to_string();
        d.column = None;
        d = d
            .on_line(line + split.front_line - 1)
            .with_fix("YAML allows only spaces for indentation: replace the tab with spaces");
    } else {
        d = d.with_fix("check the YAML syntax on that line: `name: value`, lists as `[a, b]`");
    }
    // Some messages come without a line; the front matter's first line is close enough.
    if d.line.is_none() {
        d = d.on_line(split.front_line.saturating_sub(1).max(1));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_at_their_lines_in_both_formats() {
        let yaml = "title: A\n  nested: x\n# note\n\"slug\": b\n- item\nsummary : s\n";
        let found = key_lines(Format::Yaml, yaml);
        assert_eq!(
            found,
            [
                ("title".into(), 1),
                ("slug".into(), 4),
                ("summary".into(), 6)
            ]
        );
        let toml = "title = \"A\"\nextra.image = \"x\"\n[extra]\nsummary = \"not top\"\n[[changes]]\ndate = 2026-01-01\n";
        let found = key_lines(Format::Toml, toml);
        assert_eq!(
            found,
            [
                ("title".into(), 1),
                ("extra".into(), 2),
                ("extra".into(), 3),
                ("changes".into(), 5)
            ]
        );
    }

    #[test]
    fn entries_and_keys_are_found_at_their_lines() {
        let yaml = "---\ntitle: A\nsources:\n  # law first\n  - title: Act\n    url: https://a.example/\n\n    checked: 2026-01-01\n  - {title: B, url: https://b.example/, checked: 2026-01-02}\ntags: [a]\n---\n";
        let s = super::super::split(yaml).unwrap();
        let found = entries(&s, "sources", 3);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 5);
        assert_eq!(found[0].key("url"), 6);
        assert_eq!(found[0].key("checked"), 8);
        assert_eq!(found[1].line, 9);
        assert_eq!(found[1].key("checked"), 9);
        // A list flush with its key, and one written on the key's line.
        let flush = "---\nchanges:\n- date: 2026-01-01\n  note: x\n- date: 2026-02-01\n  note: y\ndraft: false\n- stray\n---\n";
        let s = super::super::split(flush).unwrap();
        let lines: Vec<usize> = entries(&s, "changes", 2).iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5]);
        assert_eq!(entries(&s, "changes", 2)[1].key("note"), 6);
        let s = super::super::split("---\nchanges: []\ntitle: A\n---\n").unwrap();
        assert!(entries(&s, "changes", 2).is_empty());

        let toml = "+++\ntitle = \"A\"\n[[sources]]\ntitle = \"Act\"\nchecked = 2026-01-01\n[extra]\nx = 1\n[[ sources ]]\nurl = \"u\"\n+++\n";
        let s = super::super::split(toml).unwrap();
        let found = entries(&s, "sources", 3);
        assert_eq!(
            found,
            [
                Entry {
                    line: 3,
                    keys: vec![("title".into(), 4), ("checked".into(), 5)]
                },
                Entry {
                    line: 8,
                    keys: vec![("url".into(), 9)]
                }
            ]
        );
    }

    #[test]
    fn toml_dates_become_text() {
        let entries: Entries<toml::Value> =
            toml::from_str("a = 2026-07-04T20:00:00Z\nb = 2026-07-05\nc = [1, 2.5]\n").unwrap();
        let values: Vec<Value> = entries.0.into_iter().map(|(_, v)| json_of(v)).collect();
        assert_eq!(values[0], Value::from("2026-07-04T20:00:00Z"));
        assert_eq!(values[1], Value::from("2026-07-05"));
        assert_eq!(values[2], serde_json::json!([1, 2.5]));
    }
}
