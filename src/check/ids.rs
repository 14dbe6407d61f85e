//! Ids used twice on one page, reported at the heading or the raw HTML that repeats one,
//! or once per template that does.

use super::collect::{Collected, PageScan};
use super::places::{template_of, BodySearch};
use super::scan::scan_html;
use crate::diagnostic::Diagnostic;
use crate::site::{Document, Site};
use crate::{FastMap, FastSet};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The same id twice on one page: links and the skip link go to the first only.
pub(super) fn duplicate_ids(
    site: &Site,
    collected: &Collected,
    by_page: &FastMap<String, &Document>,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut from_templates: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    // Finding repeats is a pass over every id of every page: do it on every core, in page
    // order so that the report does not depend on hashing.
    let mut pages: Vec<(&String, &PageScan)> = collected.pages.iter().collect();
    pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let repeated: Vec<(&String, Vec<&String>)> = pages
        .par_iter()
        .filter_map(|(page, scan)| {
            let mut seen = FastSet::with_capacity_and_hasher(scan.ids.len(), Default::default());
            let mut reported = FastSet::default();
            let twice: Vec<&String> = scan
                .ids
                .iter()
                .filter(|id| !seen.insert(id.as_str()) && reported.insert(id.as_str()))
                .collect();
            (!twice.is_empty()).then_some((*page, twice))
        })
        .collect();
    for (page, ids) in repeated {
        let doc = by_page.get(page.as_str()).copied();
        // Read once per page: a page may repeat thousands of ids.
        let facts = doc.and_then(|d| collected.facts(site, d, false));
        let mut heading_lines: FastMap<&str, usize> = FastMap::default();
        for h in facts.iter().flat_map(|f| &f.headings) {
            heading_lines.entry(h.id.as_str()).or_insert(h.line);
        }
        // Ids the author wrote in raw HTML, read from the Markdown only if needed.
        let mut raw_ids: Option<FastSet<String>> = None;
        let mut body = doc.map(|d| BodySearch::new(site, d));
        for id in ids {
            let heading = doc.zip(heading_lines.get(id.as_str()).copied());
            if heading.is_none() {
                if let Some((doc, body)) = doc.zip(body.as_mut()) {
                    let raw = raw_ids
                        .get_or_insert_with(|| scan_html(body.body()).ids.into_iter().collect());
                    if raw.contains(id) {
                        findings.push(
                            Diagnostic::warning(format!(
                                "the id `{id}` is used more than once on its page, so links to #{id} may land elsewhere"
                            ))
                            .in_file(&doc.file)
                            .on_line_opt(body.line_of(id))
                            .with_fix("ids must be unique on a page; rename the others"),
                        );
                        continue;
                    }
                }
            }
            match heading {
                Some((doc, line)) => findings.push(
                    Diagnostic::warning(format!(
                        "the heading's id `{id}` is used twice on its page, so links to #{id} may land elsewhere"
                    ))
                    .in_file(&doc.file)
                    .on_line(line)
                    .with_fix(format!("give the heading its own id: `## Title {{#{id}-2}}`")),
                ),
                None => from_templates
                    .entry(id.clone())
                    .or_default()
                    .push(template_of(page, doc)),
            }
        }
    }
    for (id, templates) in from_templates {
        findings.push(
            Diagnostic::warning(format!(
                "the id `{id}` appears twice on {} page{}",
                templates.len(),
                if templates.len() == 1 { "" } else { "s" }
            ))
            .in_file(format!("{}/{}", crate::render::DIR, templates[0]))
            .with_fix("ids must be unique on a page; rename one of them"),
        );
    }
    findings
}
