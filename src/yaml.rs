//! Every call to serde_yaml lives here, so that moving to a maintained fork
//! (serde_yaml_ng, serde-saphyr) is a change to this one file; and the one way brief writes
//! a YAML value ([`scalar`]).

use serde::de::DeserializeOwned;

/// A YAML problem, with the line and column inside the YAML text where the parser knows it.
#[derive(Debug)]
pub struct YamlError {
    /// 1-based line within the YAML text given to [`from_str`].
    pub line: Option<usize>,
    /// 1-based column in `line`, in characters.
    pub column: Option<usize>,
    pub message: String,
    /// The character YAML does not allow that the text holds, when that is the problem.
    pub control: Option<char>,
}

/// Whether YAML allows `c` in a document (its printable set: tab, line breaks and
/// everything from space up except DEL, the C1 controls but NEL, and U+FFFE and U+FFFF).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// The first character YAML refuses, and its byte offset. The parser refuses it too but
/// says only where as a byte count in its message (serde_yaml's `Location` for it is the
/// start of the text), so brief looks first, as it counts brackets, to name the character
/// at its line and column.
fn control_character(yaml: &str) -> Option<(usize, char)> {
    let plain = |b: &u8| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r');
    if yaml.as_bytes().iter().all(plain) {
        return None;
    }
    yaml.char_indices().find(|&(_, c)| !printable(c))
}

/// How many `[` and `{` a YAML text may hold. libyaml rechecks every open flow collection
/// at each token, so its time grows with the nesting times the length: 100,000 nested `[`
/// took 38 s. A count of the brackets bounds the nesting whatever quotes and comments hide,
/// and no front matter needs this many (serde_yaml refuses nesting past 128 anyway).
pub const MAX_BRACKETS: usize = 256;

/// Deserializes YAML text. An empty document deserializes as an empty mapping.
pub fn from_str<T: DeserializeOwned>(yaml: &str) -> Result<T, YamlError> {
    if let Some(offset) = memchr::memchr2_iter(b'[', b'{', yaml.as_bytes()).nth(MAX_BRACKETS) {
        let (line, column) = crate::diagnostic::line_and_column(yaml, offset);
        return Err(YamlError {
            line: Some(line),
            column: Some(column),
            message: format!(
                "more than {MAX_BRACKETS} `[` and `{{`: lists and mappings nested this deep cannot be parsed quickly"
            ),
            control: None,
        });
    }
    if let Some((offset, c)) = control_character(yaml) {
        let (line, column) = crate::diagnostic::line_and_column(yaml, offset);
        return Err(YamlError {
            line: Some(line),
            column: Some(column),
            message: format!(
                "the control character U+{:04X} is not allowed in YAML",
                c as u32
            ),
            control: Some(c),
        });
    }
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(text).map_err(|e| {
        let mut error = convert(e);
        // serde reports a repeated field at the start of the mapping; point at the repeat.
        if let Some((key, line)) = duplicate_key(text, &error.message) {
            error.message = format!("`{key}` is set twice");
            error.line = Some(line);
            error.column = Some(1);
        }
        error
    })
}

/// For "duplicate field `x`" errors: the key and the second line that sets it.
fn duplicate_key(text: &str, message: &str) -> Option<(String, usize)> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with(&prefix))
        .nth(1)
        .map(|(i, _)| i + 1)?;
    Some((key.to_string(), line))
}

fn convert(e: serde_yaml::Error) -> YamlError {
    {
        let line = e.location().map(|l| l.line());
        let column = e.location().map(|l| l.column());
        let mut message = e.to_string();
        if message.starts_with("recursion limit exceeded") {
            message = "lists or mappings are nested more than 128 deep".to_string();
        }
        message = shorten_quoted(&message);
        // serde_yaml appends " at line L column C"; the caller reports the line in the
        // file instead, which is more useful than the line in the block.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        YamlError {
            line,
            column,
            message,
            control: None,
        }
    }
}

/// serde quotes the offending value whole (`invalid type: string "…"`); a message about a
/// five-megabyte value should not be five megabytes.
fn shorten_quoted(message: &str) -> String {
    const KEEP: usize = 60;
    let (Some(open), Some(close)) = (message.find('"'), message.rfind('"')) else {
        return message.to_string();
    };
    let inner = &message[open + 1..close.max(open + 1)];
    if inner.chars().count() <= KEEP + 20 {
        return message.to_string();
    }
    let cut: String = inner.chars().take(KEEP).collect();
    format!("{}\"{cut}…\"{}", &message[..open], &message[close + 1..])
}

/// `text` as a YAML scalar: plain where that reads back as the same text, else quoted.
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || (c.is_ascii_digit() && !looks_like_value(text)))
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " -.?!()&/+%".contains(c))
        && !looks_like_value(text);
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words and numbers YAML would read as something other than text.
fn looks_like_value(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(&lower.as_str())
        || text.parse::<f64>().is_ok()
        || text
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.+_".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn lines_are_one_based_within_the_block() {
        let e = from_str::<BTreeMap<String, String>>("a: 1\nb: [\n").unwrap_err();
        assert!(e.line.is_some());
        #[derive(serde::Deserialize, Debug)]
        struct Fields {
            #[allow(dead_code)]
            a: u8,
        }
        let e = from_str::<Fields>("a: 1\nb: 2\na: 2\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{}", e.message);
        assert_eq!(e.message, "`a` is set twice");
    }

    #[test]
    fn deep_nesting_is_refused_quickly_at_its_line() {
        let deep = format!("a: 1\nb: {}", "[".repeat(100_000));
        let e = from_str::<BTreeMap<String, String>>(&deep).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("more than 256"), "{}", e.message);
        let e = from_str::<serde_yaml::Value>(&format!("a: {}", "[".repeat(200))).unwrap_err();
        assert!(
            e.message.contains("nested more than 128 deep"),
            "{}",
            e.message
        );
        let fine = "tags: [a, b]\naliases: [/x/]\nsummary: \"[1] {2}\"\n";
        from_str::<BTreeMap<String, serde_yaml::Value>>(fine).unwrap();
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        #[derive(serde::Deserialize, Debug)]
        struct Fields {
            #[allow(dead_code)]
            tags: Vec<String>,
        }
        let long = "x".repeat(100_000);
        let e = from_str::<Fields>(&format!("tags: \"{long}\"\n")).unwrap_err();
        assert!(e.message.len() < 200, "{}", e.message);
        assert!(
            e.message.ends_with("…\", expected a sequence"),
            "{}",
            e.message
        );
    }

    #[test]
    fn empty_is_an_empty_mapping() {
        let m: BTreeMap<String, String> = from_str("  \n").unwrap();
        assert!(m.is_empty());
    }
}
