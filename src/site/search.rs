//! What the search index holds of a document: its [`Record`], for those readers can open
//! (never drafts, scheduled articles, aliases, lists or the 404 page).

use super::{Body, Document, Site};
use crate::frontmatter::Kind;
use crate::search::{Record, Words};

impl Site {
    /// `doc`'s record for the search index, or none when the site has search turned off or
    /// readers cannot open it (a draft or a scheduled article shown by `--drafts`, `--future`
    /// or serve).
    pub fn search_record(&self, doc: &Document, body: &Body) -> Option<Record> {
        if !self.config.search || !super::rules::read_by_readers(doc, self.today) {
            return None;
        }
        let f = &doc.front;
        let stamped = doc.kind == Kind::Article || f.current_as_at.is_some();
        // In the document's own language, as its page says it.
        let language = self.config.language(&doc.lang);
        let stamp = stamped.then(|| {
            let date = language.display_date(doc.as_at());
            format!("{}{date}{}", language.stamp_before, language.stamp_after)
        });
        let section = Some(doc.section.title.clone()).filter(|_| !doc.section.path.is_empty());
        Some(Record {
            path: doc.path().to_string(),
            title: f.title.clone(),
            summary: f.summary.clone().unwrap_or_default(),
            body: match body.opaque {
                true => Words::Html(body.html.clone()),
                false => Words::Text(body.text.clone()),
            },
            stamp,
            section,
            tags: f.tags.clone(),
            lang: doc.lang.clone(),
        })
    }
}
