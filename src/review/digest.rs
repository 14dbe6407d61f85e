//! `brief review --format markdown`: the review states as a digest by reviewer, for a
//! scheduled workflow to post as an issue per reviewer. Each reviewer of site.toml with
//! something due gets a section (by id), the articles with no reviewer come last as
//! "Unassigned"; in each, "Overdue", "Due soon" and "Sources due", each line with the file,
//! the page's full address and the date. The order is the states' own, so the same site on
//! the same day gives the same text.

use super::{Listed, States, WithSources};
use crate::config::Config;
use std::fmt::Write;
use std::path::Path;

/// The digest of `states` (narrowed to `reviewer` when given, which must be an id of
/// `config.reviewers`).
pub fn markdown(states: &States, config: &Config, reviewer: Option<&str>) -> String {
    let mut groups: Vec<(Option<&str>, String)> = config
        .reviewers
        .values()
        .filter(|r| reviewer.is_none_or(|id| id == r.id))
        .map(|r| {
            (
                Some(r.id.as_str()),
                format!("{} (`{}`)", text(&r.name), r.id),
            )
        })
        .collect();
    if reviewer.is_none() {
        groups.push((None, "Unassigned".into()));
    }
    let origin = config
        .base_url
        .strip_suffix(config.base_path.as_str())
        .unwrap_or(&config.base_url);
    let address = |url: &str| format!("{origin}{url}");
    let mut out = String::new();
    for (id, heading) in groups {
        let mine = |by: &Option<String>| by.as_deref() == id;
        let overdue: Vec<&Listed> = states
            .overdue
            .iter()
            .filter(|l| mine(&l.reviewed_by))
            .collect();
        let soon: Vec<&Listed> = states
            .due_soon
            .iter()
            .filter(|l| mine(&l.reviewed_by))
            .collect();
        let sources: Vec<&WithSources> = states
            .sources_due
            .iter()
            .filter(|w| mine(&w.reviewed_by))
            .collect();
        if overdue.is_empty() && soon.is_empty() && sources.is_empty() {
            continue;
        }
        let _ = write!(out, "## {heading}\n\n### Overdue\n\n");
        for l in &overdue {
            let _ = writeln!(
                out,
                "- {} {}: due {}, {} days ago",
                file(&l.file),
                link(&l.title, &address(&l.url)),
                l.due,
                -l.due_in_days
            );
        }
        nothing(&mut out, overdue.is_empty());
        let _ = write!(out, "\n### Due soon\n\n");
        for l in &soon {
            let when = match l.due_in_days {
                0 => "today".to_string(),
                1 => "in 1 day".to_string(),
                n => format!("in {n} days"),
            };
            let _ = writeln!(
                out,
                "- {} {}: due {}, {when}",
                file(&l.file),
                link(&l.title, &address(&l.url)),
                l.due
            );
        }
        nothing(&mut out, soon.is_empty());
        let _ = write!(out, "\n### Sources due\n\n");
        for w in &sources {
            for s in &w.sources {
                let _ = writeln!(
                    out,
                    "- {} {}: source {} {}, checked {}, due {} (`brief review --confirm {} --source {}`)",
                    file(&w.file),
                    link(&w.title, &address(&w.url)),
                    s.number,
                    link(&s.title, &s.url),
                    s.checked,
                    s.due,
                    w.slug,
                    s.number
                );
            }
        }
        nothing(&mut out, sources.is_empty());
        out.push('\n');
    }
    if out.is_empty() {
        let whose = reviewer
            .and_then(|id| config.reviewers.get(id))
            .map_or(String::new(), |r| {
                format!(" for {} (`{}`)", text(&r.name), r.id)
            });
        return format!(
            "Nothing is due for review{whose} as of {}, nor within {} days.\n",
            states.today, states.within_days
        );
    }
    format!(
        "Review digest as of {}: articles overdue, due within {} days, and sources due to be checked again.\n\n{}",
        states.today,
        states.within_days,
        out.trim_end_matches('\n')
    ) + "\n"
}

fn nothing(out: &mut String, empty: bool) {
    if empty {
        out.push_str("Nothing.\n");
    }
}

/// A file as inline code (`/`-separated on every system).
fn file(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/").replace('`', "'");
    format!("`{}`", crate::diagnostic::printable(&shown))
}

/// `[title](address)`, the title's Markdown escaped and the address kept whole.
fn link(title: &str, address: &str) -> String {
    let address = address
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29");
    format!("[{}]({address})", text(title))
}

/// User text with the characters Markdown would read as markup escaped.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in crate::diagnostic::printable(raw).chars() {
        if c == '\n' || c == '\r' {
            out.push(' ');
            continue;
        }
        if "\\`*_[]<>#|!~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
