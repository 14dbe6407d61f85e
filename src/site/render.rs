//! Rendering the whole plan into a [`Sink`]: documents first (in parallel), then what
//! lists them from the entries kept, then the image variants the pages asked for, then the
//! assets.

use super::plan::FEED_LENGTH;
use super::views::{self, Entry};
use super::{Body, Document, Job, Output, Sink, Site, Stats};
use crate::diagnostic::{sorted, Diagnostic, Result};
use crate::images;
use crate::search;
use crate::theme::AssetFile;
use rayon::prelude::*;

impl Site {
    /// Renders every output of the plan into `sink`. Stops after the stage in which errors
    /// were found (documents, then what lists them), reporting all of them.
    pub fn render(&self, sink: &dyn Sink) -> std::result::Result<Stats, Vec<Diagnostic>> {
        let plan = self.plan();
        // What an earlier render's templates asked `resize_image` for is not this one's.
        self.templates.images.take_asked();
        let (documents, rest): (Vec<&Output>, Vec<&Output>) = plan
            .outputs
            .iter()
            .partition(|o| matches!(o.job, Job::Article(_) | Job::Page(_)));
        type Kept = Option<(Entry, Option<String>)>;
        type Done = (Kept, Vec<images::Wanted>);
        // Pagefind reads the records on a thread of its own while the site renders.
        let indexer = self.indexes(sink).then(search::Indexer::start);
        let results: Vec<Result<Done>> = documents
            .par_iter()
            .enumerate()
            .map(|(n, output)| {
                let (doc, article) = match output.job {
                    Job::Article(i) => (&self.articles[i], Some(i)),
                    Job::Page(i) => (&self.pages[i], None),
                    _ => unreachable!("partitioned above"),
                };
                let text = self.source(doc)?;
                let body = self.render_body(doc, &text)?;
                sink.document(doc, doc.body(&text), &body);
                let wanted = self.images_wanted(doc, &body);
                if let Some(indexer) = &indexer {
                    indexer.add(n, self.search_record(doc, &body));
                }
                let Some(i) = article else {
                    let html = self.page_html(doc, &body)?;
                    sink.write_page(&output.file, html.into_bytes(), &body)?;
                    return Ok((None, wanted));
                };
                let entry = self.entry(doc, &body);
                let html = self.article_page(i, &entry, &body)?;
                sink.write_page(&output.file, html.into_bytes(), &body)?;
                Ok((
                    Some((entry, (i < FEED_LENGTH).then_some(body.html))),
                    wanted,
                ))
            })
            .collect();
        let mut errors = Vec::new();
        let mut rendered = views::Rendered {
            entries: Vec::with_capacity(self.articles.len()),
            bodies: Vec::new(),
        };
        let mut wanted = Vec::new();
        for result in results {
            match result {
                Ok((kept, images)) => {
                    if let Some((entry, body)) = kept {
                        rendered.entries.push(entry);
                        rendered.bodies.extend(body);
                    }
                    wanted.extend(images);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        let mut errors: Vec<Diagnostic> = rest
            .par_iter()
            .filter_map(|output| {
                self.render_job(&output.job, &rendered)
                    .and_then(|text| sink.write(&output.file, text.into_bytes()))
                    .err()
            })
            .collect();
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        // The variants the pages and templates name: made (or found in the cache) after
        // everything is rendered, in parallel, and published like any other file.
        wanted.extend(self.templates.images.take_asked());
        let variants = images::process::make(&self.root, &wanted, sink.publishes())?;
        errors = variants
            .par_iter()
            .filter_map(|(path, cached)| {
                super::sink::address(path.clone())
                    .and_then(|path| sink.copy(&path, cached))
                    .err()
            })
            .collect();
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        errors.extend(
            self.assets
                .par_iter()
                .filter_map(|(path, source)| match source {
                    // An SVG that would run code on the site's address is refused wherever
                    // it is, shown by a page or not.
                    AssetFile::Site(file) => self
                        .images
                        .refusal(path.as_str())
                        .or_else(|| sink.copy(path, file).err()),
                    AssetFile::Theme(name) => {
                        let bytes = AssetFile::theme_bytes(name).unwrap_or_default();
                        sink.write(path, bytes.into_owned()).err()
                    }
                })
                .collect::<Vec<_>>(),
        );
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        let index = self.search_index(indexer, sink).map_err(|e| vec![e])?;
        Ok(Stats {
            pages: plan.pages(),
            articles: self.articles.len(),
            files: plan.outputs.len() + self.assets.len() + variants.len() + index,
        })
    }

    /// Whether this render makes a search index: not in serve, which makes its own in the
    /// background, nor in `check`, which publishes nothing (its link check needs only the
    /// names a link can lead to, not an index made to be dropped).
    fn indexes(&self, sink: &dyn Sink) -> bool {
        self.config.search && !self.options.serve && sink.publishes()
    }

    /// The search index into `sink`, under [`search::FOLDER`]: made from what the render
    /// gave `indexer`, never read back from the output. Returns how many files it wrote.
    fn search_index(&self, indexer: Option<search::Indexer>, sink: &dyn Sink) -> Result<usize> {
        let files = match indexer {
            Some(indexer) => indexer.finish()?,
            None if self.config.search && !self.options.serve => search::FIXED
                .map(|name| (name.to_string(), Vec::new()))
                .to_vec(),
            None => return Ok(0),
        };
        let written = files.len();
        for (name, bytes) in files {
            let path = super::sink::address(format!("{}/{name}", search::FOLDER))?;
            sink.write(&path, bytes)?;
        }
        Ok(written)
    }

    /// The images `doc`'s page shows that have variants to make (none in serve, which
    /// shows originals).
    fn images_wanted(&self, doc: &Document, body: &Body) -> Vec<images::Wanted> {
        if self.options.serve {
            return Vec::new();
        }
        let shown = body.links.iter().filter(|l| l.is_image);
        images::wanted_by(
            &self.images,
            &doc.file,
            shown.map(|l| (l.href.as_str(), l.line)),
        )
    }
}
