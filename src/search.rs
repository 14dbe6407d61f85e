//! Site search: Pagefind's index of the published articles and pages, made in memory from
//! what the render produced, and its browser files (pagefind.js, the WebAssembly, the index
//! chunks), published under `pagefind/` beside the pages. Which documents are indexed is the
//! site's rule (`site::render`, `serve::search`); this module only turns records into files.
//!
//! Pagefind is async on tokio; brief is not. [`Indexer`] runs it on a thread with a
//! current-thread runtime of its own, so nothing else needs to know.

use crate::diagnostic::{Diagnostic, Result};
use crate::html::escape;
use crate::markdown::end_block;
use pagefind::api::SyntheticFile;
use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, Sender};

/// The output folder the index is published in, and the address its files are served at.
pub const FOLDER: &str = "pagefind";

/// The files of the folder whose names never change; the rest (index chunks, fragments,
/// filters, meta) are named by their content.
pub const FIXED: [&str; 3] = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"];

/// What a reader finds a document by, and what a result shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its site path after the base path, `articles/x/`: the browser puts the base in front.
    pub path: String,
    pub title: String,
    pub summary: String,
    pub body: Words,
    /// "Information current as at 5 July 2026", when the document is stamped.
    pub stamp: Option<String>,
    /// The title of its section (none for a page at the top).
    pub section: Option<String>,
    pub tags: Vec<String>,
    /// Its page's language tag (`en-AU`, `fr`): Pagefind keeps an index a language, and a
    /// page searches the one of its own `<html lang>`.
    pub lang: String,
}

/// A body's words as the index takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    /// Plain text (`markdown::Rendered::text`): given to Pagefind as it is, with nothing
    /// to parse.
    Text(String),
    /// The body as rendered, when it holds markup brief did not make (raw HTML, a
    /// shortcode's output), whose words only Pagefind's HTML reader finds.
    Html(String),
}

/// The page Pagefind reads for `record`: its title (weighted as a heading), summary and
/// body, with the stamp, section and tags as metadata and filters on empty elements, so
/// that none of them is searched twice or shown in an excerpt. Made here rather than taken
/// from the themed page so that a site's own templates need no Pagefind attributes, and the
/// header, menu, table of contents and footer can never be indexed.
pub fn page_html(record: &Record) -> String {
    let mut html = format!(
        "<html lang=\"{}\"><body><h1>{}</h1>",
        // The same index as a plain-text record of its language: a page in `en-AU` searches
        // `en` when there is no `en-au`.
        escape(&stem_language(&record.lang)),
        escape(&record.title)
    );
    let mut tag = |kind: &str, key: &str, value: &str| {
        html.push_str(&format!(
            "<span data-pagefind-{kind}=\"{key}:{}\"></span>",
            escape(value)
        ));
    };
    tag("meta", "title", &record.title);
    if let Some(stamp) = &record.stamp {
        tag("meta", "stamp", stamp);
    }
    if let Some(section) = &record.section {
        tag("meta", "section", section);
        tag("filter", "section", section);
    }
    for name in &record.tags {
        tag("filter", "tag", name);
    }
    if !record.summary.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(&record.summary)));
    }
    match &record.body {
        Words::Html(body) => html.push_str(body),
        Words::Text(text) => html.push_str(&format!("<p>{}</p>", escape(text))),
    }
    html.push_str("</body></html>");
    html
}

/// What a record of a plain-text body gives Pagefind: the text it reads (the title,
/// weighted as a heading is on a page, then the summary and the body), and the same
/// metadata and filters [`page_html`] would carry.
type Custom = (
    String,
    BTreeMap<String, String>,
    BTreeMap<String, Vec<String>>,
);

fn custom(record: Record) -> Custom {
    let Record {
        title,
        summary,
        body,
        stamp,
        section,
        tags,
        ..
    } = record;
    let (Words::Text(text) | Words::Html(text)) = body;
    // Pagefind's own mark for a heading's weight, as its HTML reader writes it for an <h1>.
    let mut digest = format!("___PAGEFIND_AUTO_WEIGHT___7 {title}");
    end_block(&mut digest);
    digest.push_str("___END_PAGEFIND_WEIGHT___ ");
    if !summary.is_empty() {
        digest.push_str(&summary);
        end_block(&mut digest);
    }
    digest.push_str(&text);
    let mut meta = BTreeMap::from([("title".to_string(), title)]);
    let mut filters = BTreeMap::new();
    if let Some(stamp) = stamp {
        meta.insert("stamp".into(), stamp);
    }
    if let Some(section) = section {
        meta.insert("section".into(), section.clone());
        filters.insert("section".into(), vec![section]);
    }
    if !tags.is_empty() {
        filters.insert("tag".into(), tags);
    }
    (digest, meta, filters)
}

/// What in a body is not the article's own words: calls-to-action (the same on many
/// pages) and anything a page may embed.
const LEFT_OUT: [&str; 4] = [".cta", "script", "style", "template"];

/// The index of `records` as the files of [`FOLDER`] (names relative to it), in name order.
pub fn index(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>> {
    let indexer = Indexer::start();
    for (n, record) in records.into_iter().enumerate() {
        indexer.add(n, Some(record));
    }
    indexer.finish()
}

/// An index being made on a thread of its own while the caller goes on (rendering the
/// rest of the site), fed record by record: Pagefind reads one record at a time, so its
/// reading can run beside the render instead of after it.
pub struct Indexer {
    to: Option<Sender<Message>>,
    thread: std::thread::JoinHandle<Result<Vec<SyntheticFile>>>,
}

enum Message {
    /// The `n`th document in the caller's order, and its record if it has one: Pagefind
    /// numbers pages in the order it reads them, so they are read in that order whatever
    /// order they come in, and the index is the same from build to build.
    Record(usize, Option<Box<Record>>),
    /// Every document is in: make the index. Without it (the caller stopped at an
    /// error) the thread stops without making one.
    Done,
}

impl Indexer {
    pub fn start() -> Indexer {
        let (to, from) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            // Pagefind unwraps in places; a panic there is a failed index, not a crash.
            let made = std::panic::catch_unwind(move || run(from));
            made.unwrap_or_else(|_| Err(failed("Pagefind stopped unexpectedly")))
        });
        Indexer {
            to: Some(to),
            thread,
        }
    }

    /// Hands over the `n`th document's record (none for a document the index leaves out);
    /// every `n` from 0 up must come once, in any order, from any thread.
    pub fn add(&self, n: usize, record: Option<Record>) {
        if let Some(to) = &self.to {
            // A send fails only once the thread has stopped at an error, which `finish`
            // reports.
            let _ = to.send(Message::Record(n, record.map(Box::new)));
        }
    }

    /// The index's files (names relative to [`FOLDER`]), in name order.
    pub fn finish(mut self) -> Result<Vec<(String, Vec<u8>)>> {
        if let Some(to) = self.to.take() {
            let _ = to.send(Message::Done);
        }
        let files = self
            .thread
            .join()
            .map_err(|_| failed("Pagefind stopped unexpectedly"))??;
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                published(&name).then_some((name, f.contents))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }
}

/// Pagefind's own work, on a runtime made for it, reading the records as they come in.
/// Each record goes as soon as Pagefind has it: Pagefind keeps what it needs of it.
fn run(from: Receiver<Message>) -> Result<Vec<SyntheticFile>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&format!("no runtime for it: {e}")))?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .exclude_selectors(LEFT_OUT.iter().map(|s| s.to_string()).collect())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| failed(&format!("{e:#}")))?;
        let mut early = BTreeMap::new();
        let mut next = 0;
        loop {
            let Ok(message) = from.recv() else {
                return Ok(Vec::new());
            };
            let Message::Record(n, record) = message else {
                break;
            };
            early.insert(n, record);
            while let Some(record) = early.remove(&next) {
                next += 1;
                let Some(record) = record else { continue };
                let url = format!("/{}", record.path);
                // Pagefind stems words by the tag's first part (`en` of `en-AU`).
                let language = stem_language(&record.lang);
                let added = match &record.body {
                    Words::Text(_) => {
                        let (digest, meta, filters) = custom(*record);
                        index
                            .add_custom_record(
                                url.clone(),
                                digest,
                                language,
                                Some(meta),
                                Some(filters),
                                None,
                            )
                            .await
                    }
                    Words::Html(_) => {
                        let html = page_html(&record);
                        drop(record);
                        index.add_html_file(None, Some(url.clone()), html).await
                    }
                };
                added.map_err(|e| failed(&format!("{url}: {e:#}")))?;
            }
        }
        if !early.is_empty() {
            return Err(failed("a document's record never came"));
        }
        index
            .get_files()
            .await
            .map_err(|e| failed(&format!("{e:#}")))
    })
}

/// The part of a language tag Pagefind names its index and stemmer by.
fn stem_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or("en").to_ascii_lowercase()
}

/// Whether a file Pagefind makes is published: not its ready-made interfaces (the theme
/// has its own, smaller one) nor its playground.
fn published(name: &str) -> bool {
    let own_ui = [
        "pagefind-ui.",
        "pagefind-component-ui.",
        "pagefind-modular-ui.",
    ];
    !(own_ui.iter().any(|p| name.starts_with(p))
        || name == "pagefind-highlight.js"
        || name.starts_with("playground/"))
}

fn failed(why: &str) -> Diagnostic {
    Diagnostic::error(format!("the search index could not be made: {why}"))
        .with_fix("build again; if it fails the same way, set `[search] enabled = false` in site.toml and report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, title: &str, body: Words) -> Record {
        Record {
            path: path.into(),
            title: title.into(),
            summary: "A summary & more".into(),
            body,
            stamp: Some("Information current as at 5 July, 2026".into()),
            section: Some("Tax \"guides\"".into()),
            tags: vec!["gst".into(), "bas".into()],
            lang: "en-AU".into(),
        }
    }

    #[test]
    fn the_page_carries_metadata_on_empty_elements() {
        let html = page_html(&record(
            "articles/x/",
            "A <b> title",
            Words::Html("<p>Body</p>".into()),
        ));
        assert!(html.starts_with("<html lang=\"en\"><body><h1>A &lt;b&gt; title</h1>"));
        assert!(
            html.contains("data-pagefind-meta=\"stamp:Information current as at 5 July, 2026\"")
        );
        assert!(html.contains("data-pagefind-filter=\"section:Tax &quot;guides&quot;\""));
        assert!(html.contains("data-pagefind-filter=\"tag:bas\""));
        assert!(html.ends_with("<p>A summary &amp; more</p><p>Body</p></body></html>"));
    }

    #[test]
    fn the_index_holds_the_words_and_only_the_files_browsers_need() {
        let records = [
            record("articles/x/", "Quarterly GST", Words::Html("<p>Lodge your zebrawords early.</p><aside class=\"cta\"><p>Call ctaonlyword</p></aside>".into())),
            record("about/", "About us", Words::Text("We are accountants & tax agents.".into())),
        ];
        let files = index(records.to_vec()).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for fixed in FIXED {
            assert!(names.contains(&fixed), "{names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("wasm.en")), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("fragment/")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.contains("-ui.")), "{names:?}");
        let fragments = files.iter().filter(|(n, _)| n.starts_with("fragment/"));
        let texts: Vec<String> = fragments.map(|(_, bytes)| gunzipped(bytes)).collect();
        let x = texts
            .iter()
            .find(|t| t.contains("zebrawords"))
            .expect("the body is indexed");
        assert!(x.contains("/articles/x/"), "{x}");
        assert!(x.contains("Information current as at 5 July, 2026"), "{x}");
        assert!(
            !texts.iter().any(|t| t.contains("ctaonlyword")),
            "calls-to-action are not"
        );
        let about = texts
            .iter()
            .find(|t| t.contains("/about/"))
            .expect("a plain-text body is indexed");
        assert!(
            about.contains("\"content\":\"About us. A summary & more. We are accountants & tax agents.\""),
            "the title and summary come first, read as sentences, without Pagefind's marks: {about}"
        );
        assert!(
            about.contains("\"section\":\"Tax \\\"guides\\\"\""),
            "{about}"
        );
        assert!(about.contains("\"tag\":[\"gst\",\"bas\"]"), "{about}");
    }

    #[test]
    fn records_handed_over_in_any_order_make_the_same_index() {
        let records: Vec<Record> = (0..5)
            .map(|n| {
                let words = Words::Text(format!("Body number{n} words."));
                record(&format!("articles/{n}/"), &format!("Title {n}"), words)
            })
            .collect();
        let in_order = index(records.clone()).unwrap();
        // The third document has no record; all come last first.
        let indexer = Indexer::start();
        let mut given: Vec<(usize, Option<Record>)> = records
            .into_iter()
            .enumerate()
            .map(|(n, r)| (if n < 2 { n } else { n + 1 }, Some(r)))
            .collect();
        given.push((2, None));
        given.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        for (n, record) in given {
            indexer.add(n, record);
        }
        assert_eq!(indexer.finish().unwrap(), in_order);
    }

    /// A fragment's JSON: Pagefind gzips its files with a signature in front.
    fn gunzipped(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut text = String::new();
        let mut decoder = flate2::read::GzDecoder::new(bytes);
        if decoder.read_to_string(&mut text).is_err() {
            return String::new();
        }
        text
    }
}
