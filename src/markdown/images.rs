//! Images in Markdown: an image's start and alt text held until its end, then written whole
//! with its size from the catalogue, its variants as `srcset`, lazy loading after the
//! page's first, and a `<figure>` when it stands alone in its paragraph with a title.

use super::{options, Renderer};
use crate::html::escape;
use crate::images::{self, Entry};
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

/// An image whose start has been seen and whose end has not.
pub(super) struct PendingImage<'m> {
    src: CowStr<'m>,
    title: CowStr<'m>,
    /// Its link as recorded for checks (root-relative for a local file).
    href: String,
    line: usize,
    alt: String,
    /// Images nested in the alt text (their own markup is dropped, as HTML's alt is text).
    depth: usize,
}

impl<'m> Renderer<'m, '_> {
    /// Passes an event on to the HTML, except an image's: its start and alt text are held
    /// until its end, when brief writes the whole element ([`Renderer::image_html`]).
    pub(super) fn emit(&mut self, event: Event<'m>) {
        if let Some(pending) = &mut self.image {
            match event {
                Event::Start(Tag::Image { .. }) => pending.depth += 1,
                Event::End(TagEnd::Image) if pending.depth > 0 => pending.depth -= 1,
                Event::End(TagEnd::Image) => {
                    if let Some(image) = self.image.take() {
                        let html = self.image_html(image);
                        self.out.push(html);
                    }
                }
                Event::Text(t) | Event::Code(t) => pending.alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => pending.alt.push(' '),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                // `transform` has just recorded its link.
                let (href, line) = self
                    .rendered
                    .links
                    .last()
                    .map(|l| (l.href.clone(), l.line))
                    .unwrap_or_default();
                self.image = Some(PendingImage {
                    src: dest_url,
                    title,
                    href,
                    line,
                    alt: String::new(),
                    depth: 0,
                });
            }
            other => self.out.push(other),
        }
    }

    /// An image's element: `width` and `height` from its file, its variants as `srcset`
    /// (in a `<picture>` with a WebP source when its own format is not WebP), lazy
    /// loading for every image after the page's first, and a `<figure>` with its title as
    /// the caption when it stands alone in its paragraph.
    fn image_html(&mut self, image: PendingImage<'m>) -> Event<'m> {
        let lazy = self.images_shown > 0;
        self.images_shown += 1;
        let path = images::site_path(&image.href).unwrap_or_default();
        let entry = self.cx.images.and_then(|catalogue| catalogue.get(&path));
        let ready = self.cx.images.is_some_and(|c| c.is_ready(&path));
        let mut src = escape(&super::links::address_text(&image.src)).into_owned();
        let mut attributes = String::new();
        let mut source = None;
        match entry {
            Some(Entry::Image(found)) => {
                let variants = if self.cx.variants || ready {
                    found.variants()
                } else {
                    Vec::new()
                };
                let own = found.header.format;
                let (mut width, mut height) = found.shown();
                if let Some(widest) = variants.iter().rfind(|v| v.format == own) {
                    let path = &image.src[..image.src.find(['?', '#']).unwrap_or(image.src.len())];
                    let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
                    let list = |format: images::Format| {
                        let all: Vec<String> = variants
                            .iter()
                            .filter(|v| v.format == format)
                            .map(|v| format!("{folder}{} {}w", found.variant_name(v), v.width))
                            .collect();
                        escape(&all.join(", ")).into_owned()
                    };
                    src = escape(&format!("{folder}{}", found.variant_name(widest))).into_owned();
                    (width, height) = (widest.width, widest.height);
                    attributes = format!(" srcset=\"{}\" sizes=\"{}\"", list(own), images::SIZES);
                    if own != images::Format::Webp {
                        source = Some(format!(
                            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                            list(images::Format::Webp),
                            images::SIZES
                        ));
                    }
                }
                if width > 0 && height > 0 {
                    attributes.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
                }
            }
            Some(refused) => {
                if let Some(error) = refused.error() {
                    self.error.get_or_insert(error.on_line(image.line));
                }
            }
            None => {}
        }
        let figure = self.figure && image.depth == 0 && !image.title.is_empty();
        let mut img = format!(
            "<img src=\"{src}\"{attributes} alt=\"{}\"",
            escape(&image.alt)
        );
        if !image.title.is_empty() && !figure {
            img.push_str(&format!(" title=\"{}\"", escape(&image.title)));
        }
        if lazy {
            img.push_str(" loading=\"lazy\" decoding=\"async\"");
        }
        img.push('>');
        if let Some(source) = source {
            img = format!("<picture>{source}{img}</picture>");
        }
        if figure {
            Event::Html(
                format!(
                    "<figure>{img}<figcaption>{}</figcaption></figure>\n",
                    escape(&image.title)
                )
                .into(),
            )
        } else {
            Event::InlineHtml(img.into())
        }
    }
}

/// Whether a paragraph's source is one image with a title and nothing else
/// (`![alt](chart.png "Monthly cost")`): it becomes a figure, which a `<p>` cannot hold.
pub(super) fn is_lone_titled_image(source: &str) -> bool {
    let source = source.trim();
    if !source.starts_with("![") || !source.ends_with(')') {
        return false;
    }
    let events: Vec<Event<'_>> = Parser::new_ext(source, options()).collect();
    let n = events.len();
    if n < 4
        || !matches!(events[0], Event::Start(Tag::Paragraph))
        || !matches!(&events[1], Event::Start(Tag::Image { title, .. }) if !title.trim().is_empty())
        || !matches!(events[n - 1], Event::End(TagEnd::Paragraph))
    {
        return false;
    }
    // The first image must close only at the paragraph's end.
    let mut depth = 0usize;
    for (i, e) in events[1..n - 1].iter().enumerate() {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 && i + 2 != n - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The alt text of `![alt](src)` from its source.
pub(super) fn image_alt(source: &str) -> String {
    source
        .strip_prefix("![")
        .and_then(|s| s.split_once(']'))
        .map(|(alt, _)| alt.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::tests::md;

    #[test]
    fn a_titled_image_alone_is_a_figure_and_one_in_a_sentence_is_not() {
        let r = md("![Chart](/a.png \"Monthly cost\")\n\nSee ![icon](/b.png \"Tip\") here.\n\n![Two](/c.png \"T\") ![images](/d.png)\n\n![Untitled](/e.png)\n").unwrap();
        assert!(
            r.html.contains("<figure><img src=\"/advice/a.png\" alt=\"Chart\"><figcaption>Monthly cost</figcaption></figure>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p><figure>"), "{}", r.html);
        assert!(
            r.html.contains("<p>See <img src=\"/advice/b.png\" alt=\"icon\" title=\"Tip\" loading=\"lazy\" decoding=\"async\"> here.</p>"),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("<figure>").count(), 1, "{}", r.html);
        assert!(
            r.html
                .contains("<p><img src=\"/advice/e.png\" alt=\"Untitled\" loading=\"lazy\""),
            "{}",
            r.html
        );
        assert_eq!(r.links.iter().filter(|l| l.is_image).count(), 5);
    }

    #[test]
    fn alt_text_is_plain_and_escaped() {
        let r = md("![A *bold* claim & 5 < 6 `code`](/x.png)\n").unwrap();
        assert!(
            r.html.contains("alt=\"A bold claim &amp; 5 &lt; 6 code\""),
            "{}",
            r.html
        );
    }
}
