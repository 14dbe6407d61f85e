//! What `brief check` prints: the text report for people and the JSON one for editors
//! and CI.

use super::Report;
use crate::diagnostic::Severity;
use serde::Serialize;
use std::path::Path;

/// The version of `brief check --format json`; raised only when a field changes meaning
/// or goes away (new fields may appear at any time).
pub const JSON_VERSION: u32 = 1;

/// The report for people: findings grouped by file, then a count.
pub fn text(report: &Report, colour: bool) -> String {
    use crate::diagnostic::style;
    let paint = |style: anstyle::Style, text: &str| match colour {
        true => format!("{style}{text}{style:#}"),
        false => text.to_string(),
    };
    let mut out = String::new();
    let mut current: Option<Option<&Path>> = None;
    for d in &report.findings {
        let file = d.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            let name = file.map_or("(the site)".to_string(), |f| {
                crate::diagnostic::printable(&slashed(f)).into_owned()
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
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
    out.push_str(&paint(look, &summary));
    out.push('\n');
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
    message: std::borrow::Cow<'a, str>,
    fix: Option<&'a str>,
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
                file: d.file.as_deref().map(slashed),
                line: d.line,
                message: d.full_message(),
                fix: d.fix.as_deref(),
                source: d.source.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
