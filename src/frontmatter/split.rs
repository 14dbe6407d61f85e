//! Splitting a Markdown file into its front matter (YAML between `---` lines, TOML between
//! `+++` lines) and its body, with the line each starts at.

use crate::diagnostic::{Diagnostic, Result};

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines, as Hugo and Zola write it.
    Toml,
}

impl Format {
    /// What stands between a key and its value: `key: value`, `key = value`.
    pub fn assign(self) -> &'static str {
        match self {
            Format::Yaml => ": ",
            Format::Toml => " = ",
        }
    }

    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter, without its fences.
    pub front: &'a str,
    /// 1-based line in the file of the first line of `front`.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line in the file of the first line of `body`.
    pub body_line: usize,
}

const FENCE_HINT: &str = "start the file with a line `---`, then fields such as `title: …`, then another line `---`, then the text";

/// Splits the front matter from the body: YAML between `---` lines, or TOML between `+++`
/// lines. Accepts a byte order mark and CRLF endings.
pub fn split(text: &str) -> Result<Split<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .on_line(1)
            .with_fix(FENCE_HINT));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let format = match first.trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Err(Diagnostic::error(
            "the file has no front matter: its first line is neither `---` (YAML) nor `+++` (TOML)",
        )
        .on_line(1)
        .with_fix(format!(
            "{FENCE_HINT} (or the same between `+++` lines in TOML, `title = \"…\"`)"
        ))),
    };
    let front_start = first.len();
    let mut offset = front_start;
    let mut line = 1;
    for l in lines {
        line += 1;
        if l.trim_end() == format.fence() {
            return Ok(Split {
                format,
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    let fence = format.fence();
    Err(Diagnostic::error("the front matter is never closed")
        .on_line(1)
        .with_fix(format!(
            "add a line `{fence}` after the last front matter field, before the text"
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_handles_bom_and_crlf() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "title: A\r\n");
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
}
