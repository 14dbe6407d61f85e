//! What `brief check` prints: the text report for people and the JSON one for editors
//! and CI.

use super::Report;
use crate::diagnostic::shown;
use crate::diagnostic::{Code, Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The version of `brief check --format json`; raised only when a field changes meaning
/// or goes away (new fields may appear at any time).
pub const JSON_VERSION: u32 = 1;

/// A kind of finding seen more often than this is summarised in the text report (unless
/// `--verbose`): one entry with its count and the first few places, not one per file.
pub const SUMMARISE_OVER: usize = 10;

/// How many places a summary names.
const EXAMPLES: usize = 3;

/// How a kind of finding is summarised: the sentence for `n` of them, and what to do.
fn summary_of(code: Code, n: &str, first: &Diagnostic) -> (String, String) {
    let docs = if first.message.starts_with("the page") {
        "pages"
    } else {
        "articles"
    };
    let (what, fix) = match code {
        Code::Overdue => (
            format!("{n} {docs} are past their review date"),
            "`brief review` lists them by due date; confirm each with `brief review --confirm SLUG` once it is checked",
        ),
        Code::DueSoon => (
            format!("{n} {docs} fall due for review within {} days", super::DUE_SOON_DAYS),
            "`brief review` lists them by due date",
        ),
        Code::SourceDue => (
            format!("{n} sources were last checked longer ago than their period"),
            "`brief review` lists them; record each check with `brief review --confirm SLUG --source N`",
        ),
        Code::NoSummary => (
            format!("{n} articles have no summary"),
            "add `summary:` to each, one or two sentences saying what the reader will learn",
        ),
        Code::NoAlt => (
            format!("{n} images have no alt text"),
            "describe what each shows: `![what it shows](image.png)`",
        ),
        Code::Todo => (
            format!("{n} TODOs are left in the text"),
            "finish or remove each before publishing",
        ),
        Code::UnknownLanguage => (
            format!("{n} code blocks name a language brief cannot highlight"),
            "use a language brief knows, or `text` for no colour",
        ),
        Code::BrokenLink => (
            format!("{n} links lead to pages or headings that do not exist"),
            "fix each link (every one has a suggestion)",
        ),
        Code::TranslationBehind => (
            format!("{n} translations are behind a change to their original"),
            "`brief review` lists them; bring each up to date, then confirm it",
        ),
    };
    (
        what,
        format!("{fix} (`brief check --verbose` lists every one)"),
    )
}

/// The report for people: findings grouped by file, then a count. A kind of finding seen
/// more than `SUMMARISE_OVER` times is one summary at the top unless `verbose`; when the
/// report is long, the count comes first as well as last.
pub fn text(report: &Report, colour: bool, verbose: bool) -> String {
    use crate::diagnostic::style;
    let paint = |style: anstyle::Style, text: &str| match colour {
        true => format!("{style}{text}{style:#}"),
        false => text.to_string(),
    };
    let mut by_code: BTreeMap<Code, Vec<&Diagnostic>> = BTreeMap::new();
    if !verbose {
        for d in &report.findings {
            if let Some(code) = d.code {
                by_code.entry(code).or_default().push(d);
            }
        }
        by_code.retain(|_, found| found.len() > SUMMARISE_OVER);
    }
    let mut out = String::new();
    for (code, found) in &by_code {
        let first = found[0];
        let (what, fix) = summary_of(*code, &thousands(found.len()), first);
        let mut summary = Diagnostic::warning(what).with_fix(fix);
        // The most severe among them (errors sort first).
        summary.severity = found
            .iter()
            .map(|d| d.severity)
            .min()
            .unwrap_or(first.severity);
        for line in crate::diagnostic::render(&summary, colour).lines() {
            out.push_str(line);
            out.push('\n');
        }
        let places: Vec<String> = found
            .iter()
            .take(EXAMPLES)
            .map(|d| match d.location() {
                place if place.is_empty() => "(the site)".to_string(),
                place => place,
            })
            .collect();
        let more = found.len() - places.len();
        out.push_str(&format!("  first: {}", places.join(", ")));
        if more > 0 {
            out.push_str(&format!(" and {} more", thousands(more)));
        }
        out.push_str("\n\n");
    }
    let summarised = |d: &Diagnostic| d.code.is_some_and(|c| by_code.contains_key(&c));
    let mut current: Option<Option<&Path>> = None;
    for d in report.findings.iter().filter(|d| !summarised(d)) {
        let file = d.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            let name = file.map_or("(the site)".to_string(), |f| {
                crate::diagnostic::printable(&shown(f)).into_owned()
            });
            out.push_str(&paint(style::FILE, &name));
            out.push('\n');
            current = Some(file);
        }
        for line in crate::diagnostic::render(d, colour).lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if current.is_some() {
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let plural =
        |n: usize, word: &str| format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" });
    let notes = match report.notes() {
        0 => String::new(),
        n => format!(", {}", plural(n, "note")),
    };
    let summary = format!(
        "{}, {}{notes} in {} ({} checked)",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(report.files, "file"),
        plural(report.pages, "page"),
    );
    let look = if errors > 0 {
        style::ERROR
    } else if warnings > 0 {
        style::WARNING
    } else {
        style::CLEAN
    };
    let summary = paint(look, &summary);
    if out.lines().count() > LONG {
        out.insert_str(0, &format!("{summary}\n\n"));
    }
    out.push_str(&summary);
    out.push('\n');
    out
}

/// Past this many lines the count is printed first too, where a terminal's scrollback
/// still has it.
const LONG: usize = 40;

/// `9595` as `9,595`, for counts people read.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    notes: usize,
    files: usize,
    pages: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: std::borrow::Cow<'a, str>,
    fix: Option<&'a str>,
    code: Option<Code>,
    source: Option<&'a str>,
}

/// The report for editors and CI; its shape is documented in docs/check-json.md.
pub fn json(report: &Report) -> String {
    let value = JsonReport {
        version: JSON_VERSION,
        errors: report.errors(),
        warnings: report.warnings(),
        notes: report.notes(),
        files: report.files,
        pages: report.pages,
        findings: report
            .findings
            .iter()
            .map(|d| JsonFinding {
                severity: d.severity,
                file: d.file.as_deref().map(crate::core::paths::slashed),
                line: d.line,
                column: d.column(),
                message: d.full_message(),
                fix: d.fix.as_deref(),
                code: d.code,
                source: d.source.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(8951), "8,951");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    fn report(findings: Vec<Diagnostic>) -> Report {
        Report {
            findings,
            files: 3,
            pages: 2,
        }
    }

    fn overdue(i: usize) -> Diagnostic {
        Diagnostic::warning("the article was due for review")
            .in_file(format!("content/a{i:02}.md"))
            .on_line(2)
            .with_fix("confirm it")
            .with_code(Code::Overdue)
    }

    #[test]
    fn ten_of_a_kind_are_listed_and_eleven_summarised() {
        let ten = text(&report((0..10).map(overdue).collect()), false, false);
        assert_eq!(ten.matches("was due for review").count(), 10, "{ten}");
        let eleven = text(&report((0..11).map(overdue).collect()), false, false);
        assert_eq!(eleven.matches("was due for review").count(), 0, "{eleven}");
        assert!(eleven
            .trim_end()
            .ends_with("0 errors, 11 warnings in 3 files (2 pages checked)"));
        assert!(eleven.contains("warning: 11 articles are past their review date\n"));
        assert!(eleven
            .contains("first: content/a00.md:2, content/a01.md:2, content/a02.md:2 and 8 more\n"));
    }
}
