//! The link check: every internal link and `#anchor`, as written in Markdown (reported at
//! the author's line), in site.toml's calls-to-action (reported there) and in the rendered
//! pages (what is left came from a template: one finding per place in it, however many
//! pages show it). With drafts and scheduled articles loaded, links to them from published
//! pages are errors too.

use super::collect::{Collected, PageScan};
use super::fixes::Hints;
use super::ids::duplicate_ids;
use super::places::{cta_key_line, find_in_templates, template_of, BodySearch};
use super::resolve::{dir_of, resolve, Target};
use super::scan::scan_html;
use super::script_links::{script_link, script_scheme, SCRIPT_LINK_FIX};
use crate::config;
use crate::diagnostic::{sorted, Code, Diagnostic};
use crate::markdown::Link;
use crate::site::rules::{publication, Publication};
use crate::site::{alias_file, Document, Options, Site};
use crate::{FastMap, FastSet};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where in the templates a broken link is written: (file, line, href).
type Place = (String, Option<usize>, String);
/// A broken link from a template, and the pages that show it.
type LinkGroup = (Broken, Target, Vec<String>);

/// Why a link fails, if it does.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Broken {
    NoFile,
    NoId {
        file: String,
        id: String,
        /// A `#fragment` alone, on the page itself.
        local: bool,
    },
    Unpublished {
        file: String,
        why: Unpublished,
    },
    Outside,
}

/// Why build leaves a page out that check renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unpublished {
    Draft,
    Scheduled(NaiveDate),
}

impl std::fmt::Display for Unpublished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unpublished::Draft => write!(f, "a draft"),
            Unpublished::Scheduled(date) => write!(f, "an article scheduled for {date}"),
        }
    }
}

struct LinkIndex<'s> {
    collected: &'s Collected,
    /// Alias redirects: their pages have no ids worth checking.
    aliases: FastSet<String>,
    /// Output files of drafts and scheduled articles, with why they are not published.
    unpublished: FastMap<String, Unpublished>,
    /// The ids of pages with many of them, as sets: a page of 20,000 headings and as many
    /// links to them must not cost 20,000 × 20,000 comparisons.
    id_sets: FastMap<&'s str, FastSet<&'s str>>,
}

impl LinkIndex<'_> {
    /// Checks a link that resolved to `target` on page `page` (its output file).
    fn check(&self, target: &Target, page: &str, to_unpublished: bool) -> Option<Broken> {
        match target {
            Target::Skip | Target::External(_) => None,
            Target::Outside => Some(Broken::Outside),
            Target::Local(id) => {
                let scan = self.collected.pages.get(page)?;
                (!self.has_id(page, scan, id)).then(|| Broken::NoId {
                    file: page.to_string(),
                    id: id.clone(),
                    local: true,
                })
            }
            Target::Site { file, fragment } => {
                let file = if self.collected.files.contains(file) {
                    file.clone()
                } else {
                    let index = format!("{file}/index.html");
                    if self.collected.files.contains(&index) {
                        index
                    } else {
                        return Some(Broken::NoFile);
                    }
                };
                if to_unpublished {
                    if let Some(why) = self.unpublished.get(&file) {
                        return Some(Broken::Unpublished { file, why: *why });
                    }
                }
                let id = fragment.as_ref()?;
                if self.aliases.contains(&file) {
                    return None;
                }
                let scan = self.collected.pages.get(&file)?;
                (!self.has_id(&file, scan, id)).then(|| Broken::NoId {
                    file,
                    id: id.clone(),
                    local: false,
                })
            }
        }
    }

    fn has_id(&self, page: &str, scan: &PageScan, id: &str) -> bool {
        // Browsers scroll to the top for `#top` when no element has that id.
        id.eq_ignore_ascii_case("top")
            || match self.id_sets.get(page) {
                Some(ids) => ids.contains(id),
                None => scan.ids.iter().any(|i| i == id),
            }
    }
}

/// Pages with more ids than this get a set of them for look-ups.
const MANY_IDS: usize = 64;

/// Checks every internal link and anchor of a rendered site. With `publication`, the site
/// was loaded with drafts and scheduled articles (as `check` does), and links from
/// published pages to those are errors, since the real build leaves them out.
pub fn links(site: &Site, collected: &Collected, publication: bool) -> Vec<Diagnostic> {
    let config = &site.config;
    let docs = site.documents();
    let page_file = |doc: &Document| format!("{}index.html", doc.path());
    let by_page: FastMap<String, &Document> = docs.iter().map(|d| (page_file(d), *d)).collect();
    let unpublished: FastMap<String, Unpublished> = if publication {
        docs.iter()
            .filter_map(|d| unpublished_why(site, d).map(|why| (page_file(d), why)))
            .collect()
    } else {
        FastMap::default()
    };
    let index = LinkIndex {
        collected,
        aliases: docs
            .iter()
            .flat_map(|d| d.front.aliases.iter().map(|a| alias_file(a)))
            .collect(),
        unpublished,
        id_sets: collected
            .pages
            .par_iter()
            .filter(|(_, scan)| scan.ids.len() > MANY_IDS)
            .map(|(page, scan)| (page.as_str(), scan.ids.iter().map(String::as_str).collect()))
            .collect(),
    };
    let mut page_files: Vec<&str> = collected
        .pages
        .keys()
        .map(String::as_str)
        .filter(|p| !index.aliases.contains(*p))
        .collect();
    page_files.sort_unstable();
    let hints = Hints::new(site, collected, &by_page, &page_files);
    let mut findings = Vec::new();

    // Markdown links, at the line the author wrote them. What each page's Markdown links
    // to is kept, so that the scan of the rendered page below does not report them again.
    let mut explained: FastMap<String, FastSet<Target>> = FastMap::default();
    let per_doc: Vec<(String, FastSet<Target>, Vec<Diagnostic>)> = docs
        .par_iter()
        .filter_map(|doc| {
            let facts = collected.facts(site, doc, false)?;
            let page = page_file(doc);
            let dir = doc.path();
            let from_published = !index.unpublished.contains_key(&page);
            let mut targets = FastSet::default();
            let mut found = Vec::new();
            for link in &facts.links {
                if let Some(what) = script_scheme(&link.href) {
                    found.push(
                        script_link(&link.href, what)
                            .in_file(&doc.file)
                            .on_line(link.line)
                            .on_column(link.column),
                    );
                    continue;
                }
                let target = resolve(&link.href, dir, None, &config.base_url);
                if let Some(broken) = index.check(&target, &page, from_published) {
                    found.push(broken_link(&hints, doc, link, &target, &broken));
                }
                targets.insert(target);
            }
            let mut body = BodySearch::new(site, doc);
            for href in &facts.scripted {
                if let Some(what) = script_scheme(href) {
                    found.push(
                        script_link(href, what)
                            .in_file(&doc.file)
                            .on_line_opt(body.line_of(href)),
                    );
                }
            }
            Some((page, targets, found))
        })
        .collect();
    for (page, targets, found) in per_doc {
        explained.insert(page, targets);
        findings.extend(found);
    }

    // Calls-to-action come from site.toml: check each once, there. So do the theme's
    // links below: both are left out of the template check.
    let mut settings_links: FastSet<String> = FastSet::default();
    // site.toml's text is not kept after loading: read it again only to place a finding.
    let toml_cell = std::cell::OnceCell::new();
    let toml_text = || {
        toml_cell
            .get_or_init(|| {
                std::fs::read_to_string(site.root.join(config::FILE)).unwrap_or_default()
            })
            .as_str()
    };
    let every = |ids: fn(&config::Language) -> Vec<&String>| {
        config
            .languages
            .iter()
            .flat_map(move |l| ids(l).into_iter().map(move |id| (l.code.as_str(), id)))
    };
    for (lang, id) in every(|l| l.ctas.keys().collect()) {
        let Some((view, html)) = site.templates.cta(lang, id) else {
            continue;
        };
        let in_config: Vec<String> = std::iter::once(view.href.clone())
            .chain(scan_html(&view.body).links)
            .collect();
        for (n, href) in in_config.iter().enumerate() {
            if let Some(what) = script_scheme(href) {
                let key = if n == 0 { "href" } else { "body" };
                findings.push(
                    Diagnostic::error(format!(
                        "the call-to-action `{id}` links to `{href}`, which would run code in the reader's browser ({what})"
                    ))
                    .in_file(config::FILE)
                    .on_line_opt(cta_key_line(toml_text(), id, key))
                    .with_fix(SCRIPT_LINK_FIX),
                );
            }
        }
        for href in scan_html(html).links {
            let target = resolve(&href, "", Some(&config.base_path), &config.base_url);
            if matches!(target, Target::Local(_)) {
                continue;
            }
            let from_config = in_config.contains(&href);
            if from_config {
                settings_links.insert(href.clone());
            }
            if let Some(broken) = index.check(&target, "", false) {
                if from_config {
                    let line = toml_text()
                        .lines()
                        .position(|l| l.trim() == format!("[cta.{id}]"))
                        .map(|i| i + 1);
                    findings.push(
                        Diagnostic::error(format!(
                            "the call-to-action `{id}` links to `{href}`, {}",
                            describe(&broken)
                        ))
                        .in_file(config::FILE)
                        .on_line_opt(line)
                        .with_fix(hints.fix_for(&target, &broken)),
                    );
                }
            }
        }
    }

    // Disclaimers come from site.toml too: each link checked once, at its table there.
    for (lang, id) in every(|l| l.disclaimers.keys().collect()) {
        let Some(view) = site.templates.disclaimer(lang, id) else {
            continue;
        };
        let Some(disclaimer) = config.language(lang).disclaimers.get(id) else {
            continue;
        };
        for href in scan_html(&view.html).links {
            settings_links.insert(href.clone());
            let place = |d: Diagnostic| d.in_file(config::FILE).on_line_opt(disclaimer.line);
            if let Some(what) = script_scheme(&href) {
                findings.push(place(Diagnostic::error(format!(
                    "the disclaimer `{id}` links to `{href}`, which would run code in the reader's browser ({what})"
                )))
                .with_fix(SCRIPT_LINK_FIX));
                continue;
            }
            let target = resolve(&href, "", Some(&config.base_path), &config.base_url);
            if matches!(target, Target::Local(_)) {
                continue;
            }
            if let Some(broken) = index.check(&target, "", false) {
                findings.push(
                    place(Diagnostic::error(format!(
                        "the disclaimer `{id}` links to `{href}`, {}",
                        describe(&broken)
                    )))
                    .with_fix(hints.fix_for(&target, &broken)),
                );
            }
        }
    }

    // The theme's links from site.toml (the menu, the contact address, the logo and the
    // favicon): each checked once, at its line there, if the templates print it.
    let mut settings: Vec<(String, String, Option<usize>)> = config
        .menu
        .iter()
        .map(|item| {
            let what = format!("the menu item `{}`", item.label);
            (what, config.site_link(&item.url), item.line)
        })
        .collect();
    let theme = &config.theme;
    if let Some(contact) = &theme.contact {
        let href = config.site_link(&contact.text);
        settings.push(("[theme] contact".into(), href, contact.line));
    }
    let images = [
        ("logo", theme.logo.as_ref().map(|l| &l.src)),
        ("favicon", Some(&theme.favicon)),
    ];
    for (key, place) in images {
        if let Some(place) = place.filter(|p| p.is_site_path) {
            settings.push((
                format!("[theme] {key}"),
                config.url(&place.value),
                place.line,
            ));
        }
    }
    let printed: FastSet<&str> = collected
        .pages
        .values()
        .flat_map(|scan| scan.links.iter())
        .filter(|href| settings.iter().any(|(_, h, _)| h == *href))
        .map(String::as_str)
        .collect();
    for (what, href, line) in &settings {
        if !printed.contains(href.as_str()) {
            continue;
        }
        settings_links.insert(href.clone());
        let target = resolve(href, "", Some(&config.base_path), &config.base_url);
        if let Some(broken) = index.check(&target, "", false) {
            findings.push(
                Diagnostic::error(format!(
                    "{what} links to `{href}`, which {}",
                    describe(&broken)
                ))
                .in_file(config::FILE)
                .on_line_opt(*line)
                .with_fix(hints.fix_for(&target, &broken)),
            );
        }
    }

    // The rendered pages: what is left unexplained came from a template.
    let mut from_templates: BTreeMap<(String, String), (Broken, Target, Vec<String>)> =
        BTreeMap::new();
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    // Resolving every link of every page is most of the work: do it on every core, and
    // keep only the broken links for the (ordered) reporting below.
    type BrokenLinks<'p> = Vec<(&'p String, Target, Broken)>;
    let broken_by_page: Vec<(&String, BrokenLinks)> = pages
        .par_iter()
        .filter(|(page, _)| !index.aliases.contains(*page))
        .map(|(page, scan)| {
            let mut seen = FastSet::default();
            let mut broken_links = Vec::new();
            for href in &scan.links {
                if !seen.insert(href.as_str()) || settings_links.contains(href) {
                    continue;
                }
                let target = resolve(
                    href,
                    dir_of(page),
                    Some(&config.base_path),
                    &config.base_url,
                );
                let Some(broken) = index.check(&target, page, false) else {
                    continue;
                };
                if explained
                    .get(*page)
                    .is_some_and(|targets| targets.contains(&target))
                {
                    continue;
                }
                broken_links.push((href, target, broken));
            }
            (*page, broken_links)
        })
        .collect();
    for (page, broken_links) in broken_by_page {
        let doc = by_page.get(page.as_str()).copied();
        let mut body = doc.map(|d| BodySearch::new(site, d));
        for (href, target, broken) in broken_links {
            // Raw HTML in the Markdown is the author's; anything else is a template's.
            if let Some((doc, body)) = doc.zip(body.as_mut()) {
                if let Some(line) = body.line_of(href) {
                    findings.push(
                        Diagnostic::error(format!("link to `{href}` {}", describe(&broken)))
                            .in_file(&doc.file)
                            .on_line(line)
                            .with_fix(hints.fix_for(&target, &broken))
                            .with_code(Code::BrokenLink),
                    );
                    continue;
                }
            }
            let template = template_of(page, doc);
            let entry = from_templates
                .entry((template.to_string(), href.clone()))
                .or_insert((broken, target, Vec::new()));
            entry.2.push(page.clone());
        }
    }
    // One finding per place in a template, however many pages show it.
    let mut by_place: BTreeMap<Place, LinkGroup> = BTreeMap::new();
    for ((template, href), (broken, target, pages)) in from_templates {
        let (name, line) = find_in_templates(
            site.templates.sources(),
            &template,
            &href,
            &config.base_path,
        )
        .unwrap_or_else(|| (template.to_string(), None));
        let file = site.templates.file_of(&name).to_string_lossy().into_owned();
        by_place
            .entry((file, line, href))
            .or_insert((broken, target, Vec::new()))
            .2
            .extend(pages);
    }
    {
        for ((file, line, href), (broken, target, mut pages)) in by_place {
            pages.sort();
            let example = format!("/{}", pages[0].trim_end_matches("index.html"));
            let on = if pages.len() == 1 {
                format!("on {example}")
            } else {
                format!("on {} pages, such as {example}", pages.len())
            };
            let message = format!("link to `{href}` {} ({on})", describe(&broken));
            let d = if broken == Broken::Outside {
                Diagnostic::warning(message).with_fix(format!(
                    "start links in templates with {{{{ site.base_path }}}} ({}), or write the full address if it is another site",
                    config.base_path
                ))
            } else {
                Diagnostic::error(message).with_fix(hints.fix_for(&target, &broken))
            };
            findings.push(d.in_file(file).on_line_opt(line));
        }
    }
    findings.extend(duplicate_ids(site, collected, &by_page));
    sorted(findings)
}

/// Why readers would not see `doc` yet, if they would not.
fn unpublished_why(site: &Site, doc: &Document) -> Option<Unpublished> {
    match publication(doc, site.today, &Options::default()) {
        Publication::Draft => Some(Unpublished::Draft),
        Publication::Scheduled => Some(Unpublished::Scheduled(doc.date())),
        Publication::Published => None,
    }
}

fn describe(broken: &Broken) -> String {
    match broken {
        Broken::NoFile => "points to no page or file of this site".to_string(),
        Broken::NoId { local: true, .. } => {
            "points to no heading or element on this page".to_string()
        }
        Broken::NoId { file, id, .. } => format!(
            "names `#{id}`, but /{} has no heading or element with that id",
            file.trim_end_matches("index.html")
        ),
        Broken::Unpublished { why, .. } => {
            format!("goes to {why}, which build does not publish yet, so the link would be broken")
        }
        Broken::Outside => "is outside the site's base path, so brief cannot check it".to_string(),
    }
}

fn broken_link(
    hints: &Hints,
    doc: &Document,
    link: &Link,
    target: &Target,
    broken: &Broken,
) -> Diagnostic {
    let what = if link.is_image { "image" } else { "link to" };
    let message = match (broken, link.is_image) {
        (Broken::NoFile, true) => format!("image `{}` is not a file of this site", link.href),
        _ => format!("{what} `{}` {}", link.href, describe(broken)),
    };
    Diagnostic::error(message)
        .in_file(&doc.file)
        .on_line(link.line)
        .on_column(link.column)
        .with_fix(hints.fix_for(target, broken))
}
