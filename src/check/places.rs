//! Where a finding is written, so that it names the line to edit: a raw HTML link in a
//! document's body, a link in the templates, a key of a call-to-action in site.toml.

use crate::diagnostic::line_of;
use crate::frontmatter::Kind;
use crate::site::{Document, Site};
use std::collections::BTreeMap;

/// Finds where raw HTML links are written in a document's body. Links are looked for
/// from where the last one was found (they come in the order of the page), and lines are
/// counted once, so that reporting thousands of them stays linear. The document's text is
/// read on first use.
pub(super) struct BodySearch<'d> {
    site: &'d Site,
    doc: &'d Document,
    /// The document's text (empty if it can no longer be read as it was).
    text: Option<String>,
    from: usize,
    /// Offsets of the newlines of the document's text, made on first use.
    newlines: Option<Vec<usize>>,
}

impl<'d> BodySearch<'d> {
    pub(super) fn new(site: &'d Site, doc: &'d Document) -> Self {
        BodySearch {
            site,
            doc,
            text: None,
            from: 0,
            newlines: None,
        }
    }

    /// The document's body as written.
    pub(super) fn body(&mut self) -> &str {
        let (site, doc) = (self.site, self.doc);
        let text = self
            .text
            .get_or_insert_with(|| site.source(doc).unwrap_or_default());
        doc.body(text)
    }

    /// The file line where `href` is written as an attribute value in the body.
    pub(super) fn line_of(&mut self, href: &str) -> Option<usize> {
        let needles = [
            format!("\"{href}\""),
            format!("'{href}'"),
            format!("={href}"),
        ];
        let from = self.from;
        let body = self.body().as_bytes();
        let find = |from: usize| {
            needles
                .iter()
                .find_map(|n| memchr::memmem::find(&body[from..], n.as_bytes()))
                .map(|at| from + at)
        };
        let at = find(from.min(body.len())).or_else(|| find(0))?;
        self.from = at + 1;
        let offset = self.doc.body_start + at + 1;
        let text = self.text.as_deref().unwrap_or_default();
        let newlines = self
            .newlines
            .get_or_insert_with(|| memchr::memchr_iter(b'\n', text.as_bytes()).collect());
        Some(newlines.partition_point(|&n| n < offset) + 1)
    }
}

/// The line of `key` in the `[cta.ID]` table of site.toml, or of the table's header.
pub(super) fn cta_key_line(toml: &str, id: &str, key: &str) -> Option<usize> {
    let header = format!("[cta.{id}]");
    let mut lines = toml.lines().enumerate();
    let (start, _) = lines.by_ref().find(|(_, l)| l.trim() == header)?;
    for (i, line) in lines {
        let line = line.trim_start();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(i + 1);
            }
        }
    }
    Some(start + 1)
}

/// The template that renders the page at `file`.
pub(super) fn template_of(file: &str, doc: Option<&Document>) -> &'static str {
    match doc.map(|d| d.kind) {
        Some(Kind::Article) => "article.html",
        Some(Kind::Page) => "page.html",
        None if file == "404.html" => "404.html",
        None if file == "tags/index.html" => "tags.html",
        None if file.starts_with("tags/") => "tag.html",
        None => "index.html",
    }
}

/// The template's name (and line) that most likely wrote `href`: the page's own template
/// if the link's text is in it, else the first other template that has it. `sources` are the
/// templates' texts by name, as loaded for the render.
pub(super) fn find_in_templates(
    sources: &BTreeMap<String, String>,
    page_template: &str,
    href: &str,
    base_path: &str,
) -> Option<(String, Option<usize>)> {
    let mut needles = vec![href.to_string()];
    if let Some(rest) = href.strip_prefix(base_path) {
        if rest.len() >= 2 {
            needles.push(format!("}}{rest}"));
            needles.push(format!("\"{rest}"));
            needles.push(rest.to_string());
        }
    }
    // The page's own template, then what pages usually extend and include, then the rest.
    let rank = |name: &str| {
        if name == page_template {
            0
        } else if name == "base.html" {
            1
        } else if name.starts_with("partials/") {
            2
        } else {
            3
        }
    };
    let mut ordered: Vec<(&String, &String)> = sources.iter().collect();
    ordered.sort_by_key(|(name, _)| rank(name));
    for needle in &needles {
        for (name, text) in &ordered {
            if let Some(at) = text.find(needle.as_str()) {
                return Some((name.to_string(), Some(line_of(text, at))));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_a_call_to_action_key() {
        let toml = "title='t'\n[cta.a]\nhref = '/'\n\n[cta.b]\ntitle='x'\nhref='y'\nbody = 'z'\n[extra]\nhref='no'\n";
        assert_eq!(cta_key_line(toml, "a", "href"), Some(3));
        assert_eq!(cta_key_line(toml, "b", "href"), Some(7));
        assert_eq!(cta_key_line(toml, "b", "body"), Some(8));
        assert_eq!(
            cta_key_line(toml, "a", "body"),
            Some(2),
            "the table, failing the key"
        );
        assert_eq!(cta_key_line(toml, "c", "href"), None);
    }
}
