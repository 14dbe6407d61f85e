//! serve's review page at [`PATH`]: the articles by review state and the sources due, as
//! `brief review` lists them, each linked to its page, beside the problems of the current build. It is brief's
//! own page, never part of a build.

use crate::html::escape;
use crate::review::Listed;
use crate::site::Site;
use std::fmt::Write;

/// Where serve answers with the review page; under `/__brief/`, which is never a site page.
pub const PATH: &str = "/__brief/review/";

/// How far ahead the page lists articles that fall due.
const WITHIN_DAYS: i64 = 30;

/// The review page of `site`, with `error` (the current build's problems, as text).
pub fn html(site: &Site, error: Option<&str>) -> String {
    let states = crate::review::states(site, WITHIN_DAYS, None);
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Reviews: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Reviews of {title}</h1>\n<p class=\"lead\">As of {today}, in the site's time zone. \
         <code>brief review</code> lists the same; <code>brief review --confirm SLUG</code> records a review.</p>\n",
        title = escape(&site.config.title),
        today = states.today,
    );
    section(&mut out, "overdue", "Overdue", &states.overdue);
    section(
        &mut out,
        "due-soon",
        &format!("Due within {} days", states.within_days),
        &states.due_soon,
    );
    let _ = writeln!(
        out,
        "<p id=\"later\">{} more article{} due later.</p>",
        states.later,
        if states.later == 1 { " is" } else { "s are" }
    );
    let count: usize = states.sources_due.iter().map(|w| w.sources.len()).sum();
    let _ = writeln!(out, "<h2 id=\"sources-due\">Sources due ({count})</h2>");
    if count == 0 {
        out.push_str("<p>None.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for w in &states.sources_due {
            for s in &w.sources {
                let _ = writeln!(
                    out,
                    "<li><a href=\"{url}\">{title}</a>: source {n}, <a href=\"{source_url}\">{source}</a> \
                     <span class=\"when\">checked {checked}</span><br>\
                     <small>due {due}; <code>brief review --confirm {slug} --source {n}</code></small></li>",
                    url = escape(&w.url),
                    title = escape(&w.title),
                    n = s.number,
                    source_url = escape(&s.url),
                    source = escape(&s.title),
                    checked = s.checked,
                    due = s.due,
                    slug = escape(&w.slug),
                );
            }
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2 id=\"problems\">Problems</h2>\n");
    match error {
        Some(text) => {
            let _ = writeln!(out, "<pre>{}</pre>", escape(text));
        }
        None => out.push_str("<p>The site builds without errors.</p>\n"),
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(out: &mut String, id: &str, heading: &str, listed: &[Listed]) {
    let _ = writeln!(out, "<h2 id=\"{id}\">{heading} ({})</h2>", listed.len());
    if listed.is_empty() {
        out.push_str("<p>None.</p>\n");
        return;
    }
    out.push_str("<ul>\n");
    for l in listed {
        let when = match l.due_in_days {
            n if n < 0 => format!("{} days overdue", -n),
            0 => "due today".to_string(),
            1 => "due tomorrow".to_string(),
            n => format!("due in {n} days"),
        };
        let by = l
            .reviewer
            .as_deref()
            .map_or(String::new(), |r| format!(", reviewed by {}", escape(r)));
        let _ = writeln!(
            out,
            "<li><a href=\"{url}\">{title}</a> <span class=\"when\">{when}</span><br>\
             <small>due {due}; current as at {as_at}{by}; <code>{file}</code></small></li>",
            url = escape(&l.url),
            title = escape(&l.title),
            due = l.due,
            as_at = l.current_as_at,
            file = escape(&crate::diagnostic::shown(&l.file)),
        );
    }
    out.push_str("</ul>\n");
}

const STYLE: &str = "\
:root{color-scheme:light dark;--bg:#fff;--text:#1c1e21;--muted:#50555c;--warn:#8a2f0b}\
@media (prefers-color-scheme:dark){:root{--bg:#17191c;--text:#e8e6e3;--muted:#b4b8bf;--warn:#ffb38a}}\
body{margin:0;background:var(--bg);color:var(--text);font:1rem/1.5 system-ui,sans-serif}\
main{max-width:48rem;margin:0 auto;padding:1.5rem}\
a{color:inherit}small,.lead{color:var(--muted)}#overdue+ul .when{color:var(--warn);font-weight:600}\
li{margin:0 0 .75rem}pre{white-space:pre-wrap;overflow-wrap:anywhere}";
