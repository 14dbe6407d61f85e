//! Problems found in a site: errors stop a build, warnings are reported and let it go on.
//!
//! Every diagnostic names the file it comes from (relative to the site root) and, where there
//! is one, the line in that file, so that the terminal, `brief check` and the serve overlay
//! all say the same thing.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something to know about that needs nothing done yet (an article due for review soon).
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where it is inside it.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `line`, in characters, where the parser or brief knows it. (Four
    /// bytes: a `Result` carries its error by value, and most have none.)
    pub column: Option<NonZeroU32>,
    pub message: String,
    /// One line telling the author how to fix it. (A `Box<str>`: with Windows' larger
    /// `PathBuf` a `String` here made every `Result` carry 128 bytes.)
    pub fix: Option<Box<str>>,
    /// For a template error: the content file whose page was being rendered, and how
    /// many other files failed the same way once `sorted` has merged them. (Boxed: most
    /// diagnostics have none, and a `Result` carries its error by value.)
    pub rendering: Option<Box<Rendering>>,
    /// The text of `line` in `file`, ready to print, when [`attach_sources`] could read it.
    /// (A `Box<str>`, to keep a `Result`'s error small.)
    pub source: Option<Box<str>>,
    /// What kind of finding this is, for findings that can come by the thousand on a large
    /// site (`overdue`, `no-summary`…): check's text report summarises a kind seen many times,
    /// and the JSON report names it (docs/check-json.md).
    pub code: Option<Code>,
}

/// The kinds of finding that a large site can have thousands of, named in check's JSON
/// report (docs/check-json.md) and summarised by its text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// An article past its review date.
    Overdue,
    /// An article due for review within 30 days.
    DueSoon,
    /// A source checked longer ago than its period.
    SourceDue,
    NoSummary,
    NoAlt,
    Todo,
    /// Fenced code in a language brief cannot highlight.
    UnknownLanguage,
    /// A link written in a document that leads nowhere.
    BrokenLink,
    /// A translation whose original changed after the translation was last confirmed.
    TranslationBehind,
}

/// The page a template error happened on, shown after the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendering {
    /// The content file, relative to the site root.
    pub file: PathBuf,
    /// Other content files whose pages failed with the same error.
    pub others: usize,
}

pub type Result<T, E = Diagnostic> = std::result::Result<T, E>;

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            fix: None,
            rendering: None,
            source: None,
            code: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
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

    /// The line and column of byte `offset` in `text`, whose first line is line `first` of
    /// the file.
    pub fn at_offset(mut self, text: &str, offset: usize, first: usize) -> Self {
        let (line, column) = line_and_column(text, offset);
        self.line = Some(line + first - 1);
        self.on_column(column)
    }

    pub fn on_column(self, column: usize) -> Self {
        self.on_column_opt(Some(column))
    }

    pub fn on_column_opt(mut self, column: Option<usize>) -> Self {
        self.column = column
            .and_then(|c| u32::try_from(c).ok())
            .and_then(NonZeroU32::new);
        self
    }

    /// The 1-based column, where one is known.
    pub fn column(&self) -> Option<usize> {
        self.column.map(|c| c.get() as usize)
    }

    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into().into_boxed_str());
        self
    }

    /// Notes the content file whose page was being rendered.
    pub fn while_rendering(mut self, file: impl AsRef<Path>) -> Self {
        self.rendering = Some(Box::new(Rendering {
            file: file.as_ref().to_path_buf(),
            others: 0,
        }));
        self
    }

    /// The message as shown: with the page it happened on, for a template error.
    pub fn full_message(&self) -> Cow<'_, str> {
        let Some(rendering) = &self.rendering else {
            return Cow::Borrowed(&self.message);
        };
        let mut text = format!(
            "{} (while rendering {}",
            self.message,
            rendering.file.display()
        );
        match rendering.others {
            0 => {}
            1 => text.push_str(" and 1 other file"),
            n => text.push_str(&format!(" and {n} other files")),
        }
        text.push(')');
        Cow::Owned(text)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or `file:line`) as printed in messages, or an empty string.
    pub fn location(&self) -> String {
        let file = self
            .file
            .as_ref()
            .map(|f| printable(&shown(f)).into_owned());
        match (file, self.line, self.column()) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
            (Some(f), Some(l), None) => format!("{f}:{l}"),
            (Some(f), None, _) => f,
            _ => String::new(),
        }
    }

    /// Sort key: file, then line, then message, then the page being rendered, so output
    /// is stable across runs and repeats of one template error sit together.
    pub fn sort_key(&self) -> (Option<&Path>, usize, Option<usize>, &str, Option<&Path>) {
        (
            self.file.as_deref(),
            self.line.unwrap_or(0),
            self.column(),
            self.message.as_str(),
            self.rendering.as_ref().map(|r| r.file.as_path()),
        )
    }

    /// Whether `other` is the same template error on another page.
    fn repeats(&self, other: &Diagnostic) -> bool {
        self.rendering.is_some()
            && other.rendering.is_some()
            && self.severity == other.severity
            && self.file == other.file
            && self.line == other.line
            && self.column == other.column
            && self.message == other.message
            && self.fix == other.fix
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(self, false))
    }
}

/// A diagnostic as brief shows it everywhere: the terminal, check's text report and the
/// serve overlay. With `colour`, the labels carry the ANSI styles of [`style`].
///
/// ```text
/// error: the message
///   --> content/articles/x.md:3
///   fix: what to do
/// ```
pub fn render(d: &Diagnostic, colour: bool) -> String {
    let paint = |look: anstyle::Style, text: &str| match colour {
        true => format!("{look}{text}{look:#}"),
        false => text.to_string(),
    };
    let (look, label) = match d.severity {
        Severity::Error => (style::ERROR, "error"),
        Severity::Warning => (style::WARNING, "warning"),
        Severity::Note => (style::NOTE, "note"),
    };
    let mut out = format!("{}: {}", paint(look, label), printable(&d.full_message()));
    let location = d.location();
    if !location.is_empty() {
        out.push_str(&format!("\n  --> {location}"));
    }
    if let (Some(source), Some(line)) = (&d.source, d.line) {
        let number = line.to_string();
        let blank = " ".repeat(number.len());
        out.push_str(&format!("\n {blank} |\n {number} | {source}\n {blank} |"));
    }
    if let Some(fix) = &d.fix {
        out.push_str(&format!(
            "\n  {} {}",
            paint(style::FIX, "fix:"),
            printable(fix)
        ));
    }
    out
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
    pub const NOTE: Style = AnsiColor::Blue.on_default().bold();
    pub const FILE: Style = Style::new().bold();
    pub const FIX: Style = AnsiColor::Cyan.on_default();
    pub const CLEAN: Style = AnsiColor::Green.on_default().bold();
}

/// Prints diagnostics to stderr, their labels coloured where stderr is a terminal that
/// takes colour (anstream decides, and honours NO_COLOR).
pub fn print(all: &[Diagnostic]) {
    for d in all {
        anstream::eprintln!("{}", render(d, true));
    }
}

/// Sorts diagnostics into a stable order and drops exact duplicates. A template error
/// that recurs for every page using the template is reported once, on the first page,
/// with a count of the others.
pub fn sorted(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all.dedup();
    let mut merged: Vec<Diagnostic> = Vec::with_capacity(all.len());
    for d in all {
        match merged.last_mut() {
            Some(first) if first.repeats(&d) => {
                if let Some(rendering) = &mut first.rendering {
                    rendering.others += 1 + d.rendering.map_or(0, |r| r.others);
                }
            }
            _ => merged.push(d),
        }
    }
    merged
}

/// Files larger than this are not read for their lines.
const MAX_SOURCE_FILE: u64 = 4 << 20;
/// Source lines longer than this (in characters) are cut, with an ellipsis.
const MAX_SOURCE_LINE: usize = 160;

/// Fills in `source`, the text of the line each diagnostic points at, reading each named
/// file once. Only the edges call it, just before showing diagnostics: it reads files, and
/// parsing and rendering do no IO. The line is decoration, so a file that is not a regular
/// file inside `root`, is larger than a few MiB or cannot be read shows none, silently; nor
/// does a line `secrets` names (the detector's lines of a file's bytes; `None` for a file
/// refused for its name, whose every line is secret).
pub fn attach_sources(root: &Path, all: &mut [Diagnostic], secrets: &SecretLines) {
    let Ok(root) = root.canonicalize() else {
        return;
    };
    let mut files: std::collections::HashMap<PathBuf, Option<SourceFile>> = Default::default();
    for d in all.iter_mut() {
        let (Some(file), Some(line)) = (&d.file, d.line) else {
            continue;
        };
        let source = files
            .entry(file.clone())
            .or_insert_with(|| SourceFile::read(&root, file, secrets));
        d.source = source.as_ref().and_then(|s| s.line(line, d.column()));
    }
}

/// The lines of a file (its path in the site, its bytes) that hold secrets.
pub type SecretLines = dyn Fn(&Path, &[u8]) -> Vec<Option<usize>>;

/// A file read for its lines, with the lines that hold secrets.
struct SourceFile {
    text: String,
    secret_lines: std::collections::HashSet<usize>,
}

impl SourceFile {
    fn read(root: &Path, file: &Path, secrets: &SecretLines) -> Option<SourceFile> {
        use std::io::Read;
        let path = root.join(file).canonicalize().ok()?;
        if !path.starts_with(root) {
            return None;
        }
        let way = crate::platform::Way::current();
        let mut opened = crate::platform::open_regular(way, &path)?;
        let metadata = opened.metadata().ok()?;
        if metadata.len() > MAX_SOURCE_FILE {
            return None;
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        opened
            .by_ref()
            .take(MAX_SOURCE_FILE + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() as u64 > MAX_SOURCE_FILE {
            return None;
        }
        let mut secret_lines = std::collections::HashSet::new();
        for line in secrets(file, &bytes) {
            // A file refused for its name: every line of it is secret.
            secret_lines.insert(line?);
        }
        Some(SourceFile {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            secret_lines,
        })
    }

    fn line(&self, number: usize, column: Option<usize>) -> Option<Box<str>> {
        if self.secret_lines.contains(&number) {
            return None;
        }
        let raw = self.text.split('\n').nth(number.checked_sub(1)?)?;
        let shown = source_line(raw, column);
        (!shown.is_empty()).then(|| shown.into_boxed_str())
    }
}

/// Characters of a long line shown before the column of its problem.
const BEFORE_COLUMN: usize = 60;

/// A path as brief shows it in messages: with the platform's own separator between its
/// parts (`content\\articles\\x.md` on Windows), as the author's file manager and shell show
/// it, however the path was put together. On Unix a `\\` is a character of a name (which the
/// name rule refuses) and is shown as it is. Machine-read reports use
/// [`crate::core::paths::slashed`] instead.
pub fn shown(path: &Path) -> Cow<'_, str> {
    let text = path.to_string_lossy();
    match std::path::MAIN_SEPARATOR {
        '/' => text,
        separator => Cow::Owned(text.replace('/', &separator.to_string())),
    }
}

/// A line of a file as it is shown under a diagnostic: tabs as spaces, control characters
/// escaped, trailing space dropped. A line longer than [`MAX_SOURCE_LINE`] characters is
/// cut to that many around `column` (1-based, in characters), where the problem is, or
/// from its start when no column is known, with `…` on each side that was cut.
fn source_line(raw: &str, column: Option<usize>) -> String {
    // Only spaces and tabs: a form feed or vertical tab may be what the message is about.
    let raw = raw
        .strip_suffix('\r')
        .unwrap_or(raw)
        .trim_end_matches([' ', '\t']);
    let length = raw.chars().count();
    let start = match column {
        Some(column) if length > MAX_SOURCE_LINE => column
            .saturating_sub(1 + BEFORE_COLUMN)
            .min(length - MAX_SOURCE_LINE),
        _ => 0,
    };
    let end = (start + MAX_SOURCE_LINE).min(length);
    let kept: String = raw
        .chars()
        .skip(start)
        .take(end - start)
        .collect::<String>()
        .replace('\t', "    ");
    let mut shown = String::with_capacity(kept.len() + 6);
    if start > 0 {
        shown.push('…');
    }
    shown.push_str(&printable(&kept));
    if end < length {
        shown.push('…');
    }
    shown
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    (line_of(text, offset), column_of(text, offset))
}

/// 1-based column, in characters, of byte `offset` in its line of `text`.
pub fn column_of(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..end]).map_or(0, |i| i + 1);
    text[start..end].chars().count() + 1
}

/// The character at byte `offset` of `text` when it is a control character other than a
/// tab or a line break: what a parser that stops there is stopped by.
pub fn control_at(text: &str, offset: usize) -> Option<char> {
    let c = text.get(offset..)?.chars().next()?;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')).then_some(c)
}

/// The fix for a control character in a text file: delete it, with how editors show it.
pub fn control_character_fix(c: char) -> String {
    let looks = match c as u32 {
        code @ 0..=0x1f => format!("^{}", char::from(code as u8 + 0x40)),
        0x7f => "^?".to_string(),
        _ => "a box".to_string(),
    };
    format!(
        "delete the invisible character U+{:04X} there (editors show it as {looks}, or not at all); if the text was pasted, retype it",
        c as u32
    )
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

/// The fix for a name that is none of `known`: the nearest of them when one is close, then
/// `listing` (what the known names are).
pub fn did_you_mean<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
    listing: String,
) -> String {
    match closest(name, known) {
        Some(best) => format!("did you mean `{best}`? {listing}"),
        None => listing,
    }
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
            .with_fix("write it as YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "error: bad date\n  --> content/a.md:3\n  fix: write it as YYYY-MM-DD"
        );
    }

    #[test]
    fn render_colours_only_the_labels_when_asked() {
        let d = Diagnostic::warning("no summary")
            .in_file("content/a.md")
            .on_line(2)
            .with_fix("add one");
        let plain = "warning: no summary\n  --> content/a.md:2\n  fix: add one";
        assert_eq!(render(&d, false), plain);
        assert_eq!(d.to_string(), plain);
        let (warn, fix) = (style::WARNING, style::FIX);
        assert_eq!(
            render(&d, true),
            format!("{warn}warning{warn:#}: no summary\n  --> content/a.md:2\n  {fix}fix:{fix:#} add one")
        );
        let bare = Diagnostic::error("the site has no site.toml");
        assert_eq!(render(&bare, false), "error: the site has no site.toml");
        let error = style::ERROR;
        assert_eq!(
            render(&bare, true),
            format!("{error}error{error:#}: the site has no site.toml")
        );
    }

    #[test]
    fn render_shows_the_source_line_in_a_gutter() {
        let mut d = Diagnostic::error("`date` is `2026-13-01`: there is no such date")
            .in_file("content/a.md")
            .on_line(3)
            .with_fix("write the date as YYYY-MM-DD");
        d.source = Some(source_line("date:\t2026-13-01\x1b[2J\r", None).into());
        assert_eq!(
            render(&d, false),
            "error: `date` is `2026-13-01`: there is no such date
  --> content/a.md:3
   |
 3 | date:    2026-13-01\\x1b[2J
   |
  fix: write the date as YYYY-MM-DD"
        );
        let (error, fix) = (style::ERROR, style::FIX);
        assert_eq!(
            render(&d, true),
            format!(
                "{error}error{error:#}: `date` is `2026-13-01`: there is no such date
  --> content/a.md:3
   |
 3 | date:    2026-13-01\\x1b[2J
   |
  {fix}fix:{fix:#} write the date as YYYY-MM-DD"
            )
        );
        // The gutter is as wide as the line number.
        d.line = Some(120);
        assert!(render(&d, false).contains("\n     |\n 120 | date:"));
        // Without a line, a source is not shown.
        d.line = None;
        assert_eq!(
            render(&d, false),
            "error: `date` is `2026-13-01`: there is no such date\n  --> content/a.md\n  fix: write the date as YYYY-MM-DD"
        );
    }

    #[test]
    fn source_lines_are_cut_and_escaped() {
        let long = "é".repeat(500);
        let shown = source_line(&long, None);
        assert_eq!(shown.chars().count(), MAX_SOURCE_LINE + 1);
        assert!(shown.ends_with("é…"));
        assert_eq!(source_line("\u{202e}txt.exe  \r", None), "\\u{202e}txt.exe");
        assert_eq!(source_line("\tindented", None), "    indented");
        assert_eq!(source_line("# note\x0c \r", None), "# note\\x0c");
    }

    #[test]
    fn a_long_line_is_shown_around_the_column_of_its_problem() {
        let line = format!("{} [gone](/nowhere/) {}", "a".repeat(300), "z".repeat(300));
        let shown = source_line(&line, Some(302));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[gone](/nowhere/)"), "{shown}");
        assert_eq!(shown.chars().count(), MAX_SOURCE_LINE + 2);
        // Near either end, only the other side is cut.
        assert!(!source_line(&line, Some(3)).starts_with('…'));
        let end = source_line(&line, Some(600));
        assert!(end.starts_with('…') && end.ends_with('z'), "{end}");
        // A short line is shown whole.
        assert_eq!(source_line("see [x](y)", Some(5)), "see [x](y)");
    }

    #[test]
    fn columns_count_characters_from_the_line_start() {
        let text = "ab\ncé\u{1}d\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 3), (2, 1));
        assert_eq!(line_and_column(text, 6), (2, 3));
        let d = Diagnostic::error("x").in_file("a.md").at_offset(text, 6, 4);
        assert_eq!(d.location(), "a.md:5:3");
    }

    #[test]
    fn attach_sources_reads_lines_of_regular_files_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(
            root.join("content/a.md"),
            "---\ntitle: A\r\ndate: x\napi_key: 0123456789abcdef\n\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("outside.md"), "one\ntwo\n").unwrap();
        std::fs::write(root.join("big.md"), "x\n".repeat(3 << 20)).unwrap();
        #[cfg(unix)]
        rustix::fs::mknodat(
            rustix::fs::CWD,
            root.join("pipe.md"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let at = |file: &str, line: usize| Diagnostic::error("x").in_file(file).on_line(line);
        let mut all = vec![
            at("content/a.md", 2),
            at("content/a.md", 3),
            at("content/a.md", 4),
            at("content/a.md", 5),
            at("content/a.md", 99),
            Diagnostic::error("x").in_file("content/a.md"),
            at("../outside.md", 1),
            at(dir.path().join("outside.md").to_str().unwrap(), 1),
            at("big.md", 1),
            at("pipe.md", 1),
            at("missing.md", 1),
        ];
        attach_sources(&root, &mut all, &crate::secrets::lines);
        let sources: Vec<Option<&str>> = all.iter().map(|d| d.source.as_deref()).collect();
        assert_eq!(
            sources,
            [
                Some("title: A"),
                Some("date: x"),
                None, // a secret
                None, // blank
                None, // past the end
                None, // no line
                None, // outside the root
                None,
                None, // too large
                None, // not a regular file
                None,
            ]
        );
    }

    #[test]
    fn a_diagnostic_stays_small_on_every_system() {
        // A `Result` carries its error by value; clippy's `result_large_err` stops at 128
        // bytes, and Windows' `PathBuf` is 8 bytes larger than Unix's.
        assert!(std::mem::size_of::<Diagnostic>() <= 120);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let d = Diagnostic::error("bad name `\x1b]0;owned\x07`\r")
            .in_file("content/\x1b[2Jx\u{202e}dm.md")
            .on_line(2)
            .with_fix("rename it\u{9b}");
        assert_eq!(
            d.to_string(),
            "error: bad name `\\x1b]0;owned\\x07`\\r\n  --> content/\\x1b[2Jx\\u{202e}dm.md:2\n  fix: rename it\\x9b"
        );
        assert!(matches!(
            printable("plain\ttext\nacross lines"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn one_template_error_on_many_pages_is_reported_once() {
        let on = |page: &str| {
            Diagnostic::error("template error: `{{ x }}`: Field `x` is not defined")
                .in_file("templates/article.html")
                .on_line(4)
                .with_fix("check the name")
                .while_rendering(page)
        };
        let other = Diagnostic::error("template error: another")
            .in_file("templates/article.html")
            .on_line(4)
            .while_rendering("content/articles/a.md");
        let all = sorted(vec![
            on("content/articles/b.md"),
            other.clone(),
            on("content/articles/a.md"),
        ]);
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(
            all[0].full_message(),
            "template error: `{{ x }}`: Field `x` is not defined (while rendering content/articles/a.md and 1 other file)"
        );
        assert_eq!(all[0].rendering.as_ref().map(|r| r.others), Some(1));
        assert_eq!(
            all[1].full_message(),
            "template error: another (while rendering content/articles/a.md)"
        );
        let three = sorted(vec![on("c.md"), on("a.md"), on("b.md")]);
        assert_eq!(three.len(), 1);
        assert!(three[0]
            .full_message()
            .ends_with("(while rendering a.md and 2 other files)"));
        // The same message without a page being rendered is not a repeat.
        let plain = Diagnostic::error("template error: another")
            .in_file("templates/article.html")
            .on_line(4);
        assert_eq!(sorted(vec![plain, other]).len(), 2);
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
