//! The machine-read outputs: Atom feed, sitemap, robots.txt and alias redirects.

use crate::config::Config;
use crate::html::escape;
use chrono::{NaiveDate, SecondsFormat, TimeZone};
use std::borrow::Cow;
use std::fmt::Write;

/// What a feed says of itself.
pub struct FeedHead<'a> {
    /// Its file in the output, for its `self` link.
    pub file: &'a str,
    pub title: Cow<'a, str>,
    pub subtitle: &'a str,
    /// Its `<id>`: feed readers know the feed by it, so it never changes.
    pub id: String,
    /// The language of its entries (`xml:lang`) and the home page of that language.
    pub lang: &'a str,
    pub home: String,
}

/// One entry of a feed: an article, or one change note of an article.
pub struct FeedEntry<'a> {
    /// Its `<id>`: feed readers know the entry by it, so it never changes.
    pub id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub permalink: &'a str,
    pub published: Option<NaiveDate>,
    pub updated: NaiveDate,
    pub author: &'a str,
    pub summary: &'a str,
    pub tags: Vec<&'a str>,
    /// The newest change note: its date as the site writes dates, and the note.
    pub change: Option<(String, &'a str)>,
    /// Rendered HTML: the article body, or a change note.
    pub content: Cow<'a, str>,
}

/// Midnight at the start of `date` in the site's time zone, as RFC 3339.
pub fn timestamp(config: &Config, date: NaiveDate) -> String {
    let tz = config.dates.timezone;
    let at = |h| {
        date.and_hms_opt(h, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
    };
    // A day whose midnight is skipped by a daylight-saving change starts an hour later.
    at(0)
        .or_else(|| at(1))
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| format!("{date}T00:00:00Z"))
}

/// The Atom feed `head` of `entries`. A feed with no entries says it was updated `today`,
/// the build's date (Atom requires the element).
pub fn atom(
    config: &Config,
    head: &FeedHead<'_>,
    entries: &[FeedEntry<'_>],
    today: NaiveDate,
) -> String {
    let mut xml = String::with_capacity(4096 + entries.len() * 8192);
    let updated = entries.iter().map(|e| e.updated).max();
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\" xml:base=\"{base}\">\n\
         <title>{title}</title>\n",
        lang = escape(head.lang),
        base = escape(&config.base_url),
        title = escape(&head.title),
    );
    if !head.subtitle.is_empty() {
        let _ = writeln!(xml, "<subtitle>{}</subtitle>", escape(head.subtitle));
    }
    let _ = write!(
        xml,
        "<link href=\"{feed}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{base}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{id}</id>\n<updated>{updated}</updated>\n<author><name>{author}</name></author>\n\
         <generator>brief</generator>\n",
        feed = escape(&config.permalink(head.file)),
        base = escape(&head.home),
        id = escape(&head.id),
        updated = timestamp(config, updated.unwrap_or(today)),
        author = escape(author),
    );
    for e in entries {
        let _ = write!(
            xml,
            "<entry>\n<title>{title}</title>\n<link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n\
             <id>{id}</id>\n",
            title = escape(&e.title),
            link = escape(e.permalink),
            id = escape(&e.id),
        );
        if let Some(published) = e.published {
            let _ = writeln!(
                xml,
                "<published>{}</published>",
                timestamp(config, published)
            );
        }
        let _ = write!(
            xml,
            "<updated>{updated}</updated>\n<author><name>{author}</name></author>\n",
            updated = timestamp(config, e.updated),
            author = escape(if e.author.is_empty() {
                author
            } else {
                e.author
            }),
        );
        for tag in &e.tags {
            let _ = writeln!(xml, "<category term=\"{}\"/>", escape(tag));
        }
        if !e.summary.is_empty() {
            let _ = writeln!(xml, "<summary>{}</summary>", escape(e.summary));
        }
        // Feed readers show the content: the latest change leads it.
        let change = e.change.as_ref().map_or(String::new(), |(date, note)| {
            format!(
                "<p><strong>Updated {}:</strong> {}</p>\n",
                escape(date),
                escape(note)
            )
        });
        let _ = write!(
            xml,
            "<content type=\"html\">{}{}</content>\n</entry>\n",
            escape(&change),
            escape(&e.content)
        );
    }
    xml.push_str("</feed>\n");
    crate::html::markup_safe(xml)
}

/// One address of the sitemap: its URL, when it last changed, and the URL of each of its
/// languages (`hreflang`, URL), the default first, when it has translations.
pub type SitemapUrl = (String, Option<NaiveDate>, Vec<(String, String)>);

pub fn sitemap(urls: &[SitemapUrl]) -> String {
    // The xhtml namespace only when a page has translations to list.
    let xhtml = match urls.iter().any(|u| !u.2.is_empty()) {
        true => " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"",
        false => "",
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>\n",
    );
    for (loc, lastmod, alternates) in urls {
        let _ = write!(xml, "<url><loc>{}</loc>", escape(loc));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        let default = alternates.first().map(|(_, url)| ("x-default", url));
        let each = alternates.iter().map(|(l, url)| (l.as_str(), url));
        for (lang, url) in each.chain(default) {
            let _ = write!(
                xml,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(url)
            );
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    crate::html::markup_safe(xml)
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink("sitemap.xml")
    )
}

/// A page at an old address that sends readers and search engines to the new one.
pub fn redirect(config: &Config, target: &str) -> String {
    let target = escape(target);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n",
        lang = escape(&config.lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_local_midnight() {
        let c = Config::parse(
            "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='Australia/Sydney'\n",
        )
        .unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
        assert_eq!(timestamp(&c, d), "2026-07-05T00:00:00+10:00");
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(timestamp(&c, d), "2026-01-05T00:00:00+11:00");
    }
}
