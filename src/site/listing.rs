//! What list pages show of sections and pages: the `section` value (its title, its
//! introduction rendered from `_index.md`, the sections below it) and the entries of a
//! section of pages.

use super::{Document, Site};
use crate::diagnostic::Result;
use crate::frontmatter::Kind;
use crate::markdown;
use serde::Serialize;

/// The `section` value of `index.html` (home) and a section's list template.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    /// Its site path after `base_path` (`""` for home, `guides/`).
    pub path: &'a str,
    pub url: String,
    pub permalink: String,
    /// `articles` or `pages`.
    pub kind: &'static str,
    /// The introduction from `_index.md`, as HTML (empty for none).
    pub content: String,
    /// The sections directly below it.
    pub subsections: Vec<SubsectionView<'a>>,
    pub extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub struct SubsectionView<'a> {
    pub title: &'a str,
    pub url: String,
}

/// A page in a section's list.
#[derive(Serialize)]
pub struct PageItem<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub summary: String,
    pub draft: bool,
    pub weight: Option<i64>,
    pub extra: &'a serde_json::Value,
}

impl Site {
    /// The `section` value for section `n` of [`Site::sections`].
    pub fn section_view(&self, n: usize) -> Result<SectionView<'_>> {
        let section = &self.sections[n];
        let content = if section.intro.trim().is_empty() {
            String::new()
        } else {
            let shortcode = |code: &crate::markdown::shortcode::Shortcode| {
                self.templates.shortcode(code, &self.config)
            };
            let file = section.file.clone().unwrap_or_default();
            let source_dir = file
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let source_page = |file: &str| self.source_page(file);
            let page = markdown::Page {
                path: &section.path,
                source_dir: &source_dir,
                source_page: &source_page,
            };
            let cx = markdown::Context {
                base_path: &self.config.base_path,
                first_line: section.intro_line,
                shortcode: &shortcode,
                page: Some(&page),
                highlight: self.config.markdown.highlight,
                images: Some(&self.images),
                variants: !self.options.serve,
            };
            markdown::render(&section.intro, &cx)
                .map_err(|d| d.or_in_file(&file))?
                .html
        };
        let subsections = self
            .sections
            .iter()
            .filter(|s| crate::section::parent_of(&s.path).as_deref() == Some(&section.path))
            .map(|s| SubsectionView {
                title: &s.title,
                url: self.config.url(&s.path),
            })
            .collect();
        Ok(SectionView {
            title: &section.title,
            path: &section.path,
            url: self.config.url(&section.path),
            permalink: self.config.permalink(&section.path),
            kind: match section.kind {
                Kind::Article => "articles",
                Kind::Page => "pages",
            },
            content,
            subsections,
            extra: &section.extra,
        })
    }

    /// The entry of a page in a section's list; its summary is its first paragraph unless
    /// its front matter gives one.
    pub fn page_item<'s>(&'s self, doc: &'s Document) -> Result<PageItem<'s>> {
        let summary = match &doc.front.summary {
            Some(summary) => summary.clone(),
            None => self.body(doc)?.first_paragraph,
        };
        Ok(PageItem {
            title: &doc.front.title,
            slug: &doc.slug,
            url: self.config.url(doc.path()),
            summary,
            draft: doc.front.draft,
            weight: doc.front.weight,
            extra: &doc.front.extra,
        })
    }
}
