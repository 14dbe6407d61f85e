//! The `fix:` line of a broken link: what to write instead, with a "did you mean" when a
//! page or heading of the site has a name close to the one in the link.

use super::collect::Collected;
use super::links::{Broken, Unpublished};
use super::lock;
use super::resolve::Target;
use crate::diagnostic::closest;
use crate::site::{Document, Site};
use crate::FastMap;
use std::sync::Mutex;

/// Suggestions for broken links, from what the render collected. What they are made of is
/// worked out once per page (or once for the site) however many links need it: 20,000
/// broken links on one page must not each re-render it or compare it with every page.
pub(super) struct Hints<'h> {
    site: &'h Site,
    collected: &'h Collected,
    by_page: &'h FastMap<String, &'h Document>,
    pages: &'h [&'h str],
    /// Heading ids by page file.
    ids: Mutex<FastMap<String, std::sync::Arc<Vec<String>>>>,
    /// Page names by folder: `articles` → [(`x`, `articles/x/`)].
    siblings: std::sync::OnceLock<FastMap<String, Vec<(String, &'h str)>>>,
}

/// At most this many candidates are compared with an unknown name, so that a suggestion
/// costs the same on a page of 20,000 headings as on one of 20.
const SUGGESTION_CANDIDATES: usize = 500;

impl<'h> Hints<'h> {
    pub(super) fn new(
        site: &'h Site,
        collected: &'h Collected,
        by_page: &'h FastMap<String, &'h Document>,
        pages: &'h [&'h str],
    ) -> Self {
        Hints {
            site,
            collected,
            by_page,
            pages,
            ids: Mutex::default(),
            siblings: std::sync::OnceLock::new(),
        }
    }

    pub(super) fn fix_for(&self, target: &Target, broken: &Broken) -> String {
        match broken {
            Broken::NoFile => {
                let Target::Site { file, .. } = target else {
                    return "fix the address".to_string();
                };
                if let Some(stem) = file.strip_suffix(".md") {
                    let slug = slug::slugify(stem.rsplit('/').next().unwrap_or(stem));
                    return format!(
                        "link to the article's address, /articles/{slug}/, not to its Markdown file"
                    );
                }
                if file.starts_with("assets/") {
                    return format!("add the file {file} to the site or correct the path");
                }
                match self.suggest(file) {
                    Some(best) => format!("did you mean /{best}?"),
                    None => {
                        "correct the address: a document is at its folder under content/ and its slug (content/articles/x.md at /articles/x/); or link to its file, e.g. (../articles/x.md)"
                            .to_string()
                    }
                }
            }
            Broken::NoId { file, id, .. } => {
                let ids = self.heading_ids(file);
                match closest(id, candidates(id, ids.iter().map(String::as_str))) {
                    Some(best) => format!("did you mean `#{best}`?"),
                    None if ids.is_empty() => "remove the `#…` part of the link".to_string(),
                    None => format!(
                        "link to one of the page's headings, such as {}",
                        ids.iter()
                            .take(4)
                            .map(|i| format!("#{i}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            }
            Broken::Unpublished {
                why: Unpublished::Draft,
                ..
            } => {
                "publish that article (remove `draft: true`) first, or take the link out until it is"
                    .to_string()
            }
            Broken::Unpublished {
                why: Unpublished::Scheduled(_),
                ..
            } => {
                "take the link out until that article is published, or give it an earlier date"
                    .to_string()
            }
            Broken::Outside => "use a path on this site".to_string(),
        }
    }

    /// The page most like `file`: one in the same folder whose name is close (so that
    /// `/articles/nope/` does not suggest an unrelated article).
    fn suggest(&self, file: &str) -> Option<String> {
        let siblings = self.siblings.get_or_init(|| {
            let mut by_folder: FastMap<String, Vec<(String, &str)>> = FastMap::default();
            for page in self.pages {
                let (parent, name) = folder_and_name(page);
                if !name.is_empty() {
                    by_folder.entry(parent).or_default().push((name, page));
                }
            }
            by_folder
        });
        let (parent, name) = folder_and_name(file);
        let siblings = siblings.get(&parent)?;
        let best = closest(
            &name,
            candidates(&name, siblings.iter().map(|(n, _)| n.as_str())),
        )?;
        let page = siblings.iter().find(|(n, _)| n == best)?.1;
        Some(page.trim_end_matches("index.html").to_string())
    }

    /// Heading ids of the document published at `file`.
    fn heading_ids(&self, file: &str) -> std::sync::Arc<Vec<String>> {
        if let Some(ids) = lock(&self.ids).get(file) {
            return ids.clone();
        }
        let ids: Vec<String> = self
            .by_page
            .get(file)
            .and_then(|doc| self.collected.facts(self.site, doc, false))
            .map(|facts| facts.headings.iter().map(|h| h.id.clone()).collect())
            .unwrap_or_default();
        let ids = std::sync::Arc::new(ids);
        lock(&self.ids).insert(file.to_string(), ids.clone());
        ids
    }
}

/// The candidates worth comparing with `unknown`: those whose length alone does not rule
/// them out as a typo of it, and no more than [`SUGGESTION_CANDIDATES`].
fn candidates<'c>(
    unknown: &str,
    all: impl Iterator<Item = &'c str>,
) -> impl Iterator<Item = &'c str> {
    let length = unknown.chars().count();
    let bytes = unknown.len();
    all.filter(move |c| {
        // An edit distance is at least the difference in length, and `closest` accepts at
        // most a third of the longer name (or 2).
        let allowed = (bytes.max(c.len()) / 3).max(2);
        length.abs_diff(c.chars().count()) <= allowed
    })
    .take(SUGGESTION_CANDIDATES)
}

/// `articles/x/index.html` → (`articles`, `x`).
fn folder_and_name(file: &str) -> (String, String) {
    let path = file
        .strip_suffix("index.html")
        .unwrap_or(file)
        .trim_end_matches('/');
    match path.rsplit_once('/') {
        Some((parent, name)) => (parent.to_string(), name.to_string()),
        None => (String::new(), path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_candidates_skip_names_of_a_hopeless_length() {
        let names = ["what-changed", "a", "what-changed-in-the-whole-of-2026"];
        let kept: Vec<&str> = candidates("whta-changed", names.into_iter()).collect();
        assert_eq!(kept, ["what-changed"]);
        let many: Vec<String> = (0..2 * SUGGESTION_CANDIDATES)
            .map(|n| format!("x{n}"))
            .collect();
        assert_eq!(
            candidates("x1", many.iter().map(String::as_str)).count(),
            SUGGESTION_CANDIDATES
        );
    }
}
