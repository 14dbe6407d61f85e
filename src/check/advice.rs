//! Advice for authors, which only `check` gives, always as warnings: scheduled and
//! long-forgotten articles, missing summaries and alt text, skipped heading levels,
//! scripts in Markdown, TODOs and template syntax left in the text, and code in a language
//! brief cannot highlight.

use super::collect::Collected;
use super::scan::find_ignore_case;
use crate::diagnostic::{line_of, Code, Diagnostic};
use crate::frontmatter::Kind;
use crate::site::{Document, Site};
use rayon::prelude::*;

/// How long a draft may sit before `check` mentions it.
pub const DRAFT_DAYS: i64 = 90;

/// Warnings about the content itself: scheduled articles, old drafts, missing
/// summaries, images without alt text, skipped heading levels, scripts in Markdown and
/// placeholders left in the text.
pub fn content(site: &Site, collected: &Collected) -> Vec<Diagnostic> {
    let docs = site.documents();
    docs.par_iter()
        .flat_map_iter(|doc| doc_warnings(site, collected, doc))
        .collect()
}

fn doc_warnings(site: &Site, collected: &Collected, doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let key_line = |key: &str| doc.front.lines.of(key);
    let warn = |message: String, line: Option<usize>, fix: String| {
        Diagnostic::warning(message)
            .in_file(&doc.file)
            .on_line_opt(line)
            .with_fix(fix)
    };
    let today = site.today;
    if doc.kind == Kind::Article {
        let date = doc.date();
        if doc.front.summary.is_none() {
            out.push(warn(
                "the article has no summary; lists, the feed and search results will show its first paragraph instead".into(),
                key_line("summary").or_else(|| key_line("title")),
                "add `summary:` with one or two sentences saying what the reader will learn".into(),
            ).with_code(Code::NoSummary));
        }
        if doc.front.draft && (today - date).num_days() > DRAFT_DAYS {
            out.push(warn(
                format!(
                    "this article has been a draft for {} days (dated {date})",
                    (today - date).num_days()
                ),
                key_line("draft"),
                "publish it (remove `draft: true` and set its date), or delete it".into(),
            ));
        }
        if date > today {
            out.push(warn(
                format!(
                    "this article is scheduled: it is dated {date}, so build leaves it out until then"
                ),
                key_line("date"),
                "nothing to do if that is intended; `brief build --future` publishes it now".into(),
            ));
        }
    }
    let Some(facts) = collected.facts(site, doc, true) else {
        return out;
    };
    for link in facts
        .links
        .iter()
        .filter(|l| l.is_image && l.text.is_empty())
    {
        out.push(
            warn(
                format!("the image `{}` has no alt text", link.href),
                Some(link.line),
                format!(
                    "describe what it shows for people who cannot see it: `![what it shows]({})`",
                    link.href
                ),
            )
            .on_column(link.column)
            .with_code(Code::NoAlt),
        );
    }
    for code in &facts.unknown_languages {
        out.push(warn(
            format!(
                "the code block's language `{}` is not one brief can highlight, so it is shown plain",
                code.language
            ),
            Some(code.line),
            "use a language brief knows (rust, python, js, yaml, json, sh, html, css, sql…), or `text` for no colour".into(),
        ).with_code(Code::UnknownLanguage));
    }
    let mut previous = 1;
    for heading in &facts.headings {
        if heading.level == 1 {
            out.push(warn(
                format!(
                    "`{}` is a level-1 heading, like the page's title",
                    heading.title
                ),
                Some(heading.line),
                "start sections at level 2: `## …`".into(),
            ));
        } else if heading.level > previous + 1 {
            out.push(warn(
                format!(
                    "the heading `{}` skips from level {previous} to level {}",
                    heading.title, heading.level
                ),
                Some(heading.line),
                format!(
                    "make it level {} (`{} …`) or add the missing level above it",
                    previous + 1,
                    "#".repeat(usize::from(previous) + 1)
                ),
            ));
        }
        previous = heading.level;
    }
    // Read again for what only the text as written shows: where a script is, and TODOs.
    let text = site.source(doc).unwrap_or_default();
    let body = doc.body(&text);
    let mut active: Vec<&String> = facts.active.iter().collect();
    active.dedup();
    for what in active {
        let needle = if what == "<script>" {
            "<script".to_string()
        } else {
            format!("{what}=")
        };
        let line = find_ignore_case(body.as_bytes(), needle.as_bytes())
            .map(|at| line_of(&text, doc.body_start + at));
        let message = if what == "<script>" {
            "raw HTML in the text has a <script> element".to_string()
        } else {
            format!("raw HTML in the text has an inline event handler (`{what}`)")
        };
        out.push(warn(
            message,
            line,
            "keep scripts in templates/, where they are reviewed with the site's code".into(),
        ));
    }
    // A shortcode on its own line is rendered, one inside text is a build error; anything
    // else that looks like template syntax would be published as it is written.
    for at in crate::markdown::shortcode::leftovers(body) {
        out.push(warn(
            "this text looks like a shortcode or template syntax, and is published as written"
                .into(),
            Some(line_of(&text, doc.body_start + at)),
            "put a shortcode `{{ name(…) }}` on a line of its own (with straight quotes); to show the braces as text, put them in `code`".into(),
        ));
    }
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if !fenced && line.contains("TODO") {
            out.push(
                warn(
                    "the text still has a TODO".into(),
                    Some(doc.body_line + i),
                    "finish or remove it before publishing".into(),
                )
                .with_code(Code::Todo),
            );
        }
    }
    out
}
