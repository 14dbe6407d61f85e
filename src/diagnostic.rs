//! Problems found in a site: errors stop a build, warnings are reported and let it go on.
//!
//! Every diagnostic names the file it comes from (relative to the site root) and, where there
//! is one, the line in that file, so that the terminal, `brief check` and the serve overlay
//! all say the same thing.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where it is inside it.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    pub message: String,
    /// One line telling the author how to fix it.
    pub hint: Option<String>,
}

pub type Result<T, E = Diagnostic> = std::result::Result<T, E>;

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the file unless one is already set (an inner error knows better).
    pub fn or_in_file(self, file: impl AsRef<Path>) -> Self {
        if self.file.is_some() {
            self
        } else {
            self.in_file(file)
        }
    }

    pub fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn on_line_opt(mut self, line: Option<usize>) -> Self {
        if line.is_some() {
            self.line = line;
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line` as printed in messages, or an empty string.
    pub fn location(&self) -> String {
        let file = self
            .file
            .as_ref()
            .map(|f| printable(&f.to_string_lossy()).into_owned());
        match (file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f,
            _ => String::new(),
        }
    }

    /// Sort key: file, then line, then message, so output is stable across runs.
    pub fn sort_key(&self) -> (Option<&Path>, usize, &str) {
        (
            self.file.as_deref(),
            self.line.unwrap_or(0),
            self.message.as_str(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", printable(&self.message))?;
        let location = self.location();
        if !location.is_empty() {
            write!(f, "\n  --> {location}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// `text` with the characters that could rewrite a terminal escaped (`\x1b`, `\r`,
/// `\u{202e}`), so that a crafted file name or field shows as what it is. Newlines and tabs
/// stay: Tera's messages span lines.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

impl std::error::Error for Diagnostic {}

/// The styles of everything brief prints about a site, in the terminal and in check's report.
pub mod style {
    use anstyle::{AnsiColor, Style};
    pub const ERROR: Style = AnsiColor::Red.on_default().bold();
    pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
    pub const FILE: Style = Style::new().bold();
    pub const FIX: Style = AnsiColor::Cyan.on_default();
    pub const CLEAN: Style = AnsiColor::Green.on_default().bold();
}

/// Prints diagnostics to stderr, their labels coloured where stderr is a terminal that
/// takes colour (anstream decides, and honours NO_COLOR).
pub fn print(all: &[Diagnostic]) {
    for d in all {
        let text = d.to_string();
        let (style, label) = match d.severity {
            Severity::Error => (style::ERROR, "error"),
            Severity::Warning => (style::WARNING, "warning"),
        };
        let rest = text.strip_prefix(label).unwrap_or(&text);
        anstream::eprintln!("{style}{label}{style:#}{rest}");
    }
}

/// What template errors end with: the content file being rendered.
pub const WHILE_RENDERING: &str = " (while rendering ";

/// Sorts diagnostics into a stable order and drops exact duplicates. A template error
/// that recurs for every page using the template is reported once, with a count.
pub fn sorted(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all.dedup();
    let cause = |d: &Diagnostic| {
        let at = d.message.rfind(WHILE_RENDERING)?;
        Some((
            d.severity,
            d.file.clone(),
            d.line,
            d.message[..at].to_string(),
            d.hint.clone(),
        ))
    };
    let mut merged: Vec<(Diagnostic, usize)> = Vec::with_capacity(all.len());
    for d in all {
        match merged.last_mut() {
            Some((first, more)) if cause(first).is_some() && cause(first) == cause(&d) => {
                *more += 1
            }
            _ => merged.push((d, 0)),
        }
    }
    merged
        .into_iter()
        .map(|(mut d, more)| {
            if more > 0 && d.message.ends_with(')') {
                d.message.pop();
                let s = if more == 1 { "" } else { "s" };
                d.message.push_str(&format!(" and {more} other file{s})"));
            }
            d
        })
        .collect()
}

/// 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The closest candidate to `unknown` by edit distance, if any is close enough to be a
/// plausible typo.
pub fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    let length = unknown.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&unknown_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(length) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" messages: a hint naming the
/// closest known field.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(field, known.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("the known fields are {}", known.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_and_ignores_strangers() {
        let known = ["title", "date", "current_as_at", "summary"];
        assert_eq!(closest("titel", known), Some("title"));
        assert_eq!(closest("current_as_of", known), Some("current_as_at"));
        assert_eq!(closest("colour", known), None);
    }

    #[test]
    fn unknown_field_hint_reads_serde_messages() {
        let msg = "unknown field `titel`, expected one of `title`, `date`";
        assert_eq!(unknown_field_hint(msg).unwrap(), "did you mean `title`?");
        let msg = "unknown field `zzzzzz`, expected `title` or `date`";
        assert_eq!(
            unknown_field_hint(msg).unwrap(),
            "the known fields are title, date"
        );
    }

    #[test]
    fn display_names_file_line_and_fix() {
        let d = Diagnostic::error("bad date")
            .in_file("content/a.md")
            .on_line(3)
            .with_hint("write it as YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "error: bad date\n  --> content/a.md:3\n  help: write it as YYYY-MM-DD"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let d = Diagnostic::error("bad name `\x1b]0;owned\x07`\r")
            .in_file("content/\x1b[2Jx\u{202e}dm.md")
            .on_line(2)
            .with_hint("rename it\u{9b}");
        assert_eq!(
            d.to_string(),
            "error: bad name `\\x1b]0;owned\\x07`\\r\n  --> content/\\x1b[2Jx\\u{202e}dm.md:2\n  help: rename it\\x9b"
        );
        assert!(matches!(
            printable("plain\ttext\nacross lines"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
