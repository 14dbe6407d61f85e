//! `brief check --external`: every link to another site fetched once, a few at a time,
//! each within a time limit and the whole check within a budget; failures are warnings,
//! reported where the link is written.

use super::collect::{Collected, PageScan};
use super::lock;
use super::places::{find_in_templates, template_of};
use super::resolve::{dir_of, resolve, Target};
use crate::diagnostic::Diagnostic;
use crate::site::{Document, Site};
use crate::FastMap;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// External links: how many are fetched at once, how long each may take (all its
/// requests together), and how long the whole external check may take.
const EXTERNAL_WORKERS: usize = 4;
const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);
const EXTERNAL_BUDGET: Duration = Duration::from_secs(60);

/// Fetches each external link once (a few at a time, each with a time limit) and warns
/// about those that fail. Only with `brief check --external`.
pub fn external(site: &Site, collected: &Collected) -> Vec<Diagnostic> {
    let mut first_seen: BTreeMap<String, (PathBuf, Option<usize>)> = BTreeMap::new();
    for doc in site.articles.iter().chain(&site.pages) {
        let Some(facts) = collected.facts(site, doc, false) else {
            continue;
        };
        for link in &facts.links {
            if let Target::External(url) = resolve(&link.href, "", None, &site.config.base_url) {
                first_seen
                    .entry(url)
                    .or_insert_with(|| (doc.file.clone(), Some(link.line)));
            }
        }
    }
    // Links from templates (and raw HTML), reported where the template writes them.
    let by_page: FastMap<String, &Document> = site
        .articles
        .iter()
        .chain(&site.pages)
        .map(|d| (d.file_name().to_string(), &**d))
        .collect();
    let sources = site.templates.sources();
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    for (page, scan) in pages {
        for href in &scan.links {
            if let Target::External(url) = resolve(
                href,
                dir_of(page),
                Some(&site.config.base_path),
                &site.config.base_url,
            ) {
                first_seen.entry(url).or_insert_with(|| {
                    let template = template_of(page, by_page.get(page.as_str()).copied());
                    match find_in_templates(sources, template, href, &site.config.base_path) {
                        Some((name, line)) => (site.templates.file_of(&name), line),
                        None => (site.templates.file_of(template), None),
                    }
                });
            }
        }
    }
    let urls: Vec<String> = first_seen.keys().cloned().collect();
    let results = fetch_all(&urls, EXTERNAL_TIMEOUT, EXTERNAL_BUDGET);
    results
        .into_iter()
        .filter_map(|(url, fetched)| {
            let (file, line) = first_seen.get(&url)?.clone();
            let (message, hint) = match fetched {
                Fetched::Fine => return None,
                Fetched::Failed(problem) => (
                    format!("external link `{url}` {problem}"),
                    "check the address in a browser; update or remove the link if the page has gone",
                ),
                Fetched::NotChecked => (
                    format!(
                        "external link `{url}` was not checked: the external check stops after {} s",
                        EXTERNAL_BUDGET.as_secs()
                    ),
                    "run `brief check --external` again later, or check the address in a browser",
                ),
            };
            Some(
                Diagnostic::warning(message)
                    .in_file(file)
                    .on_line_opt(line)
                    .with_fix(hint),
            )
        })
        .collect()
}

/// What fetching one external link found.
#[derive(Debug, PartialEq, Eq)]
enum Fetched {
    Fine,
    /// What went wrong: `answered HTTP 404`.
    Failed(String),
    /// The whole check ran out of time first.
    NotChecked,
}

/// Fetches every URL with a small pool of threads, giving each `per_link` for all its
/// requests and the whole lot `budget`: links not reached in time are not checked.
fn fetch_all(urls: &[String], per_link: Duration, budget: Duration) -> Vec<(String, Fetched)> {
    let deadline = std::time::Instant::now() + budget;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(per_link))
        .http_status_as_error(false)
        .user_agent(concat!("brief-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = Mutex::new(urls.iter().enumerate());
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|s| {
        for _ in 0..EXTERNAL_WORKERS.min(urls.len()) {
            s.spawn(|| loop {
                let next = lock(&queue).next();
                let Some((i, url)) = next else {
                    break;
                };
                let fetched = fetch(&agent, url, per_link, deadline);
                lock(&results).push((i, url.clone(), fetched));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _, _)| *i);
    results.into_iter().map(|(_, u, f)| (u, f)).collect()
}

fn fetch(
    agent: &ureq::Agent,
    url: &str,
    per_link: Duration,
    deadline: std::time::Instant,
) -> Fetched {
    let start = std::time::Instant::now();
    let until = (start + per_link).min(deadline);
    if start >= deadline {
        return Fetched::NotChecked;
    }
    // Each request gets what is left of the link's time, so that HEAD and GET together
    // take no longer than `per_link`.
    let ask = |request: ureq::RequestBuilder<ureq::typestate::WithoutBody>| {
        let left = until.saturating_duration_since(std::time::Instant::now());
        request
            .config()
            .timeout_global(Some(left))
            .build()
            .call()
            .map(|r| r.status().as_u16())
    };
    // Some servers refuse HEAD; ask again with GET before calling the link dead, unless
    // the time is up.
    let mut result = ask(agent.head(url));
    let timed_out =
        |r: &std::result::Result<u16, ureq::Error>| matches!(r, Err(ureq::Error::Timeout(_)));
    if !timed_out(&result) && !matches!(result, Ok(code) if code < 400) {
        result = ask(agent.get(url));
    }
    match result {
        Ok(code) if code < 400 => Fetched::Fine,
        Ok(code) => Fetched::Failed(format!("answered HTTP {code}")),
        Err(ureq::Error::Timeout(_)) if until == deadline && until < start + per_link => {
            Fetched::NotChecked
        }
        Err(ureq::Error::Timeout(_)) => {
            Fetched::Failed(format!("did not answer within {} s", per_link.as_secs()))
        }
        Err(e) => Fetched::Failed(format!("could not be fetched: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_external_check_stops_when_its_time_is_up() {
        // A server that accepts connections and never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let _held = std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().take(EXTERNAL_WORKERS * 2).collect();
            std::thread::sleep(Duration::from_secs(30));
            drop(held);
        });
        let urls: Vec<String> = (0..EXTERNAL_WORKERS * 2)
            .map(|n| format!("{address}/{n}"))
            .collect();
        let results = fetch_all(&urls, Duration::from_secs(20), Duration::from_millis(300));
        assert_eq!(results.len(), urls.len());
        for (url, fetched) in results {
            assert_eq!(fetched, Fetched::NotChecked, "{url}");
        }
        // The per-link limit, when it comes first, is reported as such.
        let results = fetch_all(
            &urls[..1],
            Duration::from_millis(300),
            Duration::from_secs(20),
        );
        assert_eq!(
            results[0].1,
            Fetched::Failed("did not answer within 0 s".into())
        );
    }
}
