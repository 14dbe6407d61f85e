//! What list pages are given: the home list, a section's list, the tag index and a tag's
//! pages, with the `section` value (its title, its introduction rendered from `_index.md`,
//! the sections below it), the entries of the articles or pages shown, and the paginator.

use super::plan::{ListKind, ListPage};
use super::views::{Entries, Entry};
use super::{Document, Site};
use crate::diagnostic::Result;
use crate::frontmatter::Kind;
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

#[derive(Debug, Clone, Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
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
    /// Renders one list page.
    pub fn render_list(&self, page: &ListPage, entries: &dyn Entries) -> Result<String> {
        let views: Vec<TagView> = page
            .tags
            .iter()
            .map(|(name, slug, count)| TagView {
                name,
                slug,
                url: self.tag_url(&page.lang, slug),
                count: *count,
            })
            .collect();
        let mut cx = self
            .templates
            .context(&page.path_of(page.number.0), &page.lang);
        if let Some(n) = page.section() {
            cx.insert("section", &self.section_view(n, &page.lang)?);
        }
        if page.kind == ListKind::TagIndex {
            cx.insert("tags", &views);
        } else {
            let (n, total) = page.number;
            if page.of_pages {
                let items = page
                    .items
                    .iter()
                    .map(|&i| self.page_item(&self.pages[i]))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("pages", &items);
                cx.insert("articles", &Vec::<Entry>::new());
            } else {
                let chunk = page
                    .items
                    .iter()
                    .map(|&i| entries.entry(i))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("articles", &chunk);
                cx.insert("pages", &Vec::<Entry>::new());
            }
            cx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    previous_url: (n > 1).then(|| self.config.url(&page.path_of(n - 1))),
                    next_url: (n < total).then(|| self.config.url(&page.path_of(n + 1))),
                },
            );
            if let Some(tag) = views.first() {
                cx.insert("tag", tag);
                // Pages with the tag, on its first page.
                let pages = page
                    .tagged_pages(&self.pages)
                    .map(|(_, p)| self.page_item(p))
                    .collect::<Result<Vec<_>>>()?;
                cx.insert("pages", &pages);
            }
        }
        let file = page
            .section()
            .and_then(|n| self.sections[n].file.as_deref());
        self.templates.render(&page.template, &cx, file)
    }

    /// The `section` value for section `n` of [`Site::sections`], in the language `lang`:
    /// its `_index.<lang>.md`'s title and introduction when it has one, else its own.
    pub fn section_view(&self, n: usize, lang: &str) -> Result<SectionView<'_>> {
        let section = &self.sections[n];
        let prefix = super::rules::language_prefix(&self.config, lang);
        let translated = section.translations.get(lang);
        let (title, intro, intro_line) = match translated {
            Some(t) => (&t.title, &t.intro, t.intro_line),
            None => (&section.title, &section.intro, section.intro_line),
        };
        let path = format!("{prefix}{}", section.path);
        let content = if intro.trim().is_empty() {
            String::new()
        } else {
            let file = match translated {
                Some(t) => t.file.clone(),
                None => section.file.clone().unwrap_or_default(),
            };
            self.markdown(intro, &path, &file, intro_line, lang)?.html
        };
        let subsections = self
            .sections
            .iter()
            .filter(|s| crate::section::parent_of(&s.path).as_deref() == Some(&section.path))
            .filter(|s| self.has_list(s, lang))
            .map(|s| SubsectionView {
                title: s.translations.get(lang).map_or(&s.title, |t| &t.title),
                url: self.config.url(&format!("{prefix}{}", s.path)),
            })
            .collect();
        Ok(SectionView {
            title,
            path: &section.path,
            url: self.config.url(&path),
            permalink: self.config.permalink(&path),
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
