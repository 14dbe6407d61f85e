//! Markdown to HTML: headings with stable ids and anchors, links that work under the base
//! path, shortcodes, and the facts templates want (table of contents, word count, summary).
//! Pure: text in, HTML out.

use crate::diagnostic::{line_of, Diagnostic, Result};
use crate::html::escape;
use crate::images::Catalogue;
pub mod shortcode;
use images::{is_lone_titled_image, PendingImage};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use shortcode::Shortcode;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

mod highlight;
mod images;
mod links;
mod text;
pub use highlight::CLASSES as HIGHLIGHT_CLASSES;
pub use text::{anchor_id, end_block, plain_text};
use text::{count_words, gather, heading_number};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// Line in the file, for checks; templates do not see it.
    #[serde(skip)]
    pub line: usize,
}

/// A fenced code block whose language brief has no grammar for, for checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    pub language: String,
    /// Line in the file of the opening fence.
    pub line: usize,
}

/// A link or image as the author wrote it, for checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    /// Line in the file.
    pub line: usize,
    /// Column of its `[` (or `<`) in that line, in characters.
    pub column: usize,
    pub is_image: bool,
    /// For images: the alt text.
    pub text: String,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    pub word_count: usize,
    /// The first paragraph as plain text, for summaries.
    pub first_paragraph: String,
    /// The words as plain text, blocks ended like sentences, for the search index: every
    /// heading, paragraph, list, table, footnote, code block and image description, but
    /// not what shortcodes or raw HTML put in (`opaque` says whether there is any).
    pub text: String,
    pub links: Vec<Link>,
    /// Ids brief gave footnotes (`fn-x`, `fnref-x`); heading ids are in `headings`.
    pub footnote_ids: Vec<String>,
    /// Calls-to-action placed with `{{ cta(id="…") }}`, in order.
    pub ctas: Vec<String>,
    /// The HTML holds markup brief did not make itself (the author's raw HTML, or a
    /// shortcode template's output), so only reading the HTML finds all its ids and links.
    pub opaque: bool,
    /// Fenced code in a language brief cannot highlight (only when highlighting is on).
    pub unknown_languages: Vec<UnknownLanguage>,
}

/// What rendering needs from the site.
pub struct Context<'a> {
    /// Prefix for root-relative links (`/` or `/advice/`).
    pub base_path: &'a str,
    /// Line in the file of the first line of the Markdown, for messages.
    pub first_line: usize,
    /// Renders a shortcode to HTML.
    pub shortcode: &'a (dyn Fn(&Shortcode) -> Result<String> + Sync),
    /// Where the Markdown is published, for relative links; `None` leaves them as written
    /// (text that is shown on many pages: calls-to-action, the footer line).
    pub page: Option<&'a Page<'a>>,
    /// Colour fenced code that names its language (`[markdown] highlight`).
    pub highlight: bool,
    /// The site's images, for their sizes and variants; `None` leaves images as written.
    pub images: Option<&'a Catalogue>,
    /// Name the responsive variants of images that have them; when false, only those the
    /// catalogue says are ready (serve shows originals until the variants are made).
    pub variants: bool,
}

/// The page a document's Markdown becomes, and how to find the pages of other sources.
pub struct Page<'a> {
    /// Its site path after `base_path`: `articles/launch/`.
    pub path: &'a str,
    /// The folder of its source file, relative to the site root: `content/articles`.
    pub source_dir: &'a str,
    /// The site path of the page made from a Markdown file of the site, by its path from
    /// the site root (`content/articles/x.md` → `articles/x/`).
    pub source_page: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str, cx: &Context<'_>) -> Result<Rendered> {
    let mut r = Renderer {
        md: markdown,
        cx,
        out: Vec::with_capacity(markdown.len() / 8),
        rendered: Rendered::default(),
        ids: HashSet::new(),
        next_suffix: HashMap::new(),
        line_cursor: std::cell::Cell::new((0, 0)),
        in_code_block: false,
        first_paragraph_done: false,
        footnotes: HashMap::new(),
        in_word: false,
        error: None,
        image: None,
        images_shown: 0,
        figure: false,
    };
    let mut events = Parser::new_ext(markdown, options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let line = r.line(range.start);
                let mut inner = Vec::new();
                for (e, range) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push((e, range));
                }
                r.heading(event, inner, line);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if cx.highlight && highlight::language(info).is_some() =>
            {
                let mut inner = Vec::new();
                for (e, range) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::CodeBlock)) {
                        inner.push((e, range));
                        break;
                    }
                    inner.push((e, range));
                }
                r.code_block((event, range), inner);
            }
            Event::Start(Tag::Paragraph) if is_lone_titled_image(&markdown[range.clone()]) => {
                r.figure = true;
                for (e, range) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::Paragraph)) {
                        break;
                    }
                    r.push(e, range);
                }
                r.figure = false;
                end_block(&mut r.rendered.text);
            }
            Event::Start(Tag::Paragraph)
                if markdown[range.clone()].lines().any(shortcode::looks_like)
                    || shortcode::inline_in(&markdown[range.clone()]).is_some() =>
            {
                let mut inner = Vec::new();
                for (e, range) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::Paragraph)) {
                        break;
                    }
                    inner.push((e, range));
                }
                r.paragraph_with_shortcodes(inner)?;
            }
            Event::Start(Tag::Paragraph) if !r.first_paragraph_done => {
                r.out.push(event);
                for (e, range) in events.by_ref() {
                    let end = matches!(e, Event::End(TagEnd::Paragraph));
                    r.collect_first_paragraph(&e);
                    r.push(e, range);
                    if end {
                        break;
                    }
                }
                r.first_paragraph_done = !r.rendered.first_paragraph.trim().is_empty();
            }
            event => r.push(event, range),
        }
    }
    if let Some(e) = r.error {
        return Err(e);
    }
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
    r.rendered.html = html;
    r.rendered.text.truncate(r.rendered.text.trim_end().len());
    r.rendered.first_paragraph = r.rendered.first_paragraph.trim().to_string();
    Ok(r.rendered)
}

struct Renderer<'m, 'c> {
    md: &'m str,
    cx: &'c Context<'c>,
    out: Vec<Event<'m>>,
    rendered: Rendered,
    ids: HashSet<String>,
    /// Per generated id, the suffix to try next when it repeats: suffixes only ever grow,
    /// so many headings with one title cost one look-up each, not one per earlier heading.
    next_suffix: HashMap<String, usize>,
    /// (byte offset, newlines before it) of the last line looked up.
    line_cursor: std::cell::Cell<(usize, usize)>,
    /// Per footnote label: its number (the order labels are first met) and how many times
    /// it has been cited so far.
    footnotes: HashMap<String, (usize, usize)>,
    /// Whether the last text ended inside a word: smart quotes split "don't" into three
    /// text events, which are still one word.
    in_word: bool,
    in_code_block: bool,
    first_paragraph_done: bool,
    /// The first problem found in an event (a link to a missing source).
    error: Option<Diagnostic>,
    /// The image being read: its alt text comes as events before its end.
    image: Option<PendingImage<'m>>,
    /// Images written so far: all but the first load lazily.
    images_shown: usize,
    /// The image being read is alone in its paragraph and becomes a `<figure>`.
    figure: bool,
}

impl<'m> Renderer<'m, '_> {
    /// The file line of byte `offset`. Offsets arrive almost always in increasing order,
    /// so counting goes on from the last answer instead of from the start each time.
    fn line(&self, offset: usize) -> usize {
        let (from, mut line) = self.line_cursor.get();
        let offset = offset.min(self.md.len());
        if offset < from {
            return line_of(self.md, offset) + self.cx.first_line - 1;
        }
        line += self.md.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_cursor.set((offset, line));
        line + self.cx.first_line
    }

    /// A fenced block with a language: coloured if brief has its grammar, else passed on
    /// as it is (and noted, if the language is not one brief knows). `inner` ends with the
    /// block's end event.
    fn code_block(
        &mut self,
        (start, range): (Event<'m>, Range<usize>),
        inner: Vec<(Event<'m>, Range<usize>)>,
    ) {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &start else {
            return;
        };
        let lang = highlight::language(info).unwrap_or_default();
        let html = match highlight::lookup(lang) {
            highlight::Language::Known(syntax) => {
                let mut code = String::new();
                for (e, _) in &inner {
                    if let Event::Text(t) = e {
                        code.push_str(t);
                    }
                }
                self.rendered.text.push_str(&code);
                end_block(&mut self.rendered.text);
                highlight::highlight(&code, lang, syntax)
            }
            highlight::Language::Plain => None,
            highlight::Language::Unknown => {
                self.rendered.unknown_languages.push(UnknownLanguage {
                    language: lang.to_string(),
                    line: self.line(range.start),
                });
                None
            }
        };
        match html {
            Some(html) => self.out.push(Event::Html(html.into())),
            None => {
                self.push(start, range);
                for (e, range) in inner {
                    self.push(e, range);
                }
            }
        }
    }

    /// Counts words, rewrites and records links, then passes the event on.
    fn push(&mut self, event: Event<'m>, range: Range<usize>) {
        if !matches!(event, Event::Text(_) | Event::Code(_)) {
            self.in_word = false;
        }
        if let Event::Text(t) | Event::Code(t) = &event {
            if !self.in_code_block {
                self.rendered.word_count += count_words(t, &mut self.in_word);
            }
        }
        gather(&mut self.rendered.text, &event);
        let event = self.transform(event, range);
        self.emit(event);
    }

    /// Brief's footnote markup, links under the base path and what a link check needs to
    /// know, for an event anywhere (in headings too).
    fn transform(&mut self, event: Event<'m>, range: Range<usize>) -> Event<'m> {
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            self.rendered.opaque = true;
        }
        match event {
            // Footnote ids get a prefix so that they cannot clash with heading ids.
            Event::FootnoteReference(label) => {
                let (n, citation) = self.cite_footnote(&label);
                // Each citation needs its own id; `fnref2-x` cannot be the first citation
                // of another label (those all start `fnref-`).
                let reference = match citation {
                    1 => format!("fnref-{label}"),
                    k => format!("fnref{k}-{label}"),
                };
                let id = escape(&label);
                let html = format!(
                    "<sup class=\"footnote-reference\" id=\"{}\"><a href=\"#fn-{id}\">{n}</a></sup>",
                    escape(&reference)
                );
                self.rendered.footnote_ids.push(reference);
                Event::Html(html.into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.footnote_number(&label);
                self.rendered.footnote_ids.push(format!("fn-{label}"));
                let id = escape(&label);
                Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"fn-{id}\"><sup class=\"footnote-definition-label\">{n}</sup>")
                        .into(),
                )
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let dest_url = self.link(dest_url, &range, false);
                links::start_tag(link_type, &dest_url, &title)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link(dest_url, &range, true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        }
    }

    /// The number of footnote `label`, numbering it if it is new.
    fn footnote_number(&mut self, label: &str) -> usize {
        self.footnote(label).0
    }

    /// A citation of footnote `label`: (its number, which citation of it this is).
    fn cite_footnote(&mut self, label: &str) -> (usize, usize) {
        let entry = self.footnote(label);
        entry.1 += 1;
        *entry
    }

    fn footnote(&mut self, label: &str) -> &mut (usize, usize) {
        let next = self.footnotes.len() + 1;
        self.footnotes.entry(label.to_string()).or_insert((next, 0))
    }

    fn collect_first_paragraph(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.rendered.first_paragraph.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.rendered.first_paragraph.push(' '),
            _ => {}
        }
    }

    fn heading(&mut self, start: Event<'m>, inner: Vec<(Event<'m>, Range<usize>)>, line: usize) {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = start
        else {
            return;
        };
        let mut title = String::new();
        for (e, _) in &inner {
            gather(&mut self.rendered.text, e);
            if let Event::Text(t) | Event::Code(t) = e {
                title.push_str(t);
                self.rendered.word_count += count_words(t, &mut false);
            }
        }
        end_block(&mut self.rendered.text);
        let id = match id {
            Some(id) => id.to_string(),
            None => self.unique_id(&title),
        };
        self.ids.insert(id.clone());
        let n = heading_number(level);
        let mut open = format!("<h{n} id=\"{}\"", escape(&id));
        if !classes.is_empty() {
            let classes: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            open.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
        }
        for (name, value) in &attrs {
            open.push_str(&format!(
                " {}=\"{}\"",
                escape(name),
                escape(value.as_deref().unwrap_or(""))
            ));
        }
        open.push('>');
        self.out.push(Event::Html(open.into()));
        for (e, range) in inner {
            let e = self.transform(e, range);
            self.emit(e);
        }
        self.out.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{0}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n",
                escape(&id)
            )
            .into(),
        ));
        self.rendered.headings.push(Heading {
            level: n,
            id,
            title: title.trim().to_string(),
            line,
        });
    }

    /// The heading's id from its title, or the first of `id-1`, `id-2`, … not yet taken.
    fn unique_id(&mut self, title: &str) -> String {
        let base = anchor_id(title);
        if !self.ids.contains(&base) {
            return base;
        }
        // Ids are never given back, so the first free suffix only ever grows: start from
        // where the last heading with this title stopped.
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
        let id = loop {
            let candidate = format!("{base}-{n}");
            if !self.ids.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        self.next_suffix.insert(base, n + 1);
        id
    }

    /// A paragraph in which some line starts with `{{`: each such line (at the top level
    /// of the paragraph) is a shortcode, and the text around it stays paragraphs.
    fn paragraph_with_shortcodes(&mut self, inner: Vec<(Event<'m>, Range<usize>)>) -> Result<()> {
        // Split into lines at soft or hard breaks outside inline elements.
        let mut lines: Vec<Vec<(Event<'m>, Range<usize>)>> = Vec::new();
        let mut line = Vec::new();
        let mut depth = 0usize;
        for (e, range) in inner {
            let breaks_line = matches!(e, Event::SoftBreak | Event::HardBreak) && depth == 0;
            match &e {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            line.push((e, range));
            if breaks_line {
                lines.push(std::mem::take(&mut line));
            }
        }
        lines.push(line);

        let mut open = false;
        for line in lines {
            let (Some(first), Some(last)) = (line.first(), line.last()) else {
                continue;
            };
            let source = self.md[first.1.start..last.1.end].trim();
            if shortcode::looks_like(source) {
                if open {
                    self.out.push(Event::End(TagEnd::Paragraph));
                    end_block(&mut self.rendered.text);
                    open = false;
                }
                let at = self.line(first.1.start);
                let code = shortcode::parse(source).map_err(|why| {
                    Diagnostic::error(format!("malformed shortcode: {why}"))
                        .on_line(at)
                        .with_fix("write it as {{ name(key=\"value\") }} on a line of its own; to show braces as text, put them in `code`")
                })?;
                let html = (self.cx.shortcode)(&code).map_err(|d| d.on_line(at))?;
                match (code.name.as_str(), code.args.get("id")) {
                    ("cta", Some(shortcode::Value::Text(id))) => {
                        self.rendered.ctas.push(id.clone())
                    }
                    _ => self.rendered.opaque = true,
                }
                self.out
                    .push(Event::Html(format!("{}\n", html.trim_end()).into()));
            } else {
                let texts = line.iter().filter(|(e, _)| matches!(e, Event::Text(_)));
                if let Some(at) = shortcode::inline_at(self.md, texts.map(|(_, r)| r.clone())) {
                    return Err(Diagnostic::error(
                        "a shortcode must be on a line of its own, not inside other text",
                    )
                    .on_line(self.line(at))
                    .with_fix("put the {{ … }} on a line by itself, with the text before and after it on their own lines; to show braces as text, put them in `code`"));
                }
                if !open {
                    self.out.push(Event::Start(Tag::Paragraph));
                    open = true;
                }
                for (e, range) in line {
                    if !self.first_paragraph_done {
                        self.collect_first_paragraph(&e);
                    }
                    self.push(e, range);
                }
            }
        }
        if open {
            self.out.push(Event::End(TagEnd::Paragraph));
            end_block(&mut self.rendered.text);
            self.first_paragraph_done = !self.rendered.first_paragraph.trim().is_empty();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn no_shortcodes(code: &Shortcode) -> Result<String> {
        if code.name == "cta" {
            Ok("<aside>CTA</aside>".into())
        } else {
            Err(Diagnostic::error(format!(
                "unknown shortcode `{}`",
                code.name
            )))
        }
    }

    pub(super) fn md(text: &str) -> Result<Rendered> {
        render(
            text,
            &Context {
                base_path: "/advice/",
                first_line: 5,
                shortcode: &no_shortcodes,
                page: None,
                highlight: true,
                images: None,
                variants: true,
            },
        )
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r =
            md("## Why it matters\n\n## Why it matters\n\n### Costs & risks {#costs}\n").unwrap();
        assert!(r.html.contains(
            "<h2 id=\"why-it-matters\">Why it matters <a class=\"anchor\" href=\"#why-it-matters\""
        ));
        assert!(r.html.contains("id=\"why-it-matters-1\""));
        assert!(r.html.contains("<h3 id=\"costs\">"));
        assert_eq!(r.headings[2].title, "Costs & risks");
    }

    #[test]
    fn repeated_titles_take_the_first_free_suffix() {
        // The scheme as it has always been: the first free `-N`, counting explicit ids and
        // titles that look numbered already.
        let r =
            md("## X\n\n## X {#x-2}\n\n## X\n\n## X\n\n## X 1\n\n## X\n\n## Y\n\n## Y\n").unwrap();
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["x", "x-2", "x-1", "x-3", "x-1-1", "x-4", "y", "y-1"]);
        let many = md(&"## Same\n\n".repeat(3000)).unwrap();
        assert_eq!(many.headings[0].id, "same");
        assert_eq!(many.headings[2999].id, "same-2999");
    }

    #[test]
    fn a_footnote_cited_twice_has_two_reference_ids() {
        let r = md("One.[^a] Two.[^b] Three.[^a]\n\n[^a]: A.\n[^b]: B.\n").unwrap();
        assert_eq!(
            r.footnote_ids,
            ["fnref-a", "fnref-b", "fnref2-a", "fn-a", "fn-b"]
        );
        assert!(
            r.html.contains(
                "<sup class=\"footnote-reference\" id=\"fnref-a\"><a href=\"#fn-a\">1</a></sup>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<sup class=\"footnote-reference\" id=\"fnref2-a\"><a href=\"#fn-a\">1</a></sup>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"fnref-b\"><a href=\"#fn-b\">2</a>"));
    }

    #[test]
    fn links_and_footnotes_in_headings_are_handled_like_any_other() {
        let r = md("Text.\n\n## See [contact](/contact/)[^n]\n\n[^n]: Note.\n").unwrap();
        assert!(
            r.html.contains("<a href=\"/advice/contact/\">contact</a>"),
            "{}",
            r.html
        );
        assert_eq!(r.links[0].href, "/contact/");
        assert_eq!(r.links[0].line, 7);
        assert!(
            r.html.contains("id=\"fnref-n\"><a href=\"#fn-n\">1</a>"),
            "{}",
            r.html
        );
        assert_eq!(r.headings[0].title, "See contact");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let r = md("[a](/contact/) [b](https://x.org/) [c](#top) ![d](/assets/x.png)").unwrap();
        assert!(r.html.contains("href=\"/advice/contact/\""));
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(r.html.contains("href=\"#top\""));
        assert!(r.html.contains("src=\"/advice/assets/x.png\""));
        assert_eq!(r.links[0].href, "/contact/");
        assert_eq!(r.links[0].line, 5);
        assert_eq!(r.links[3].text, "d");
    }

    #[test]
    fn shortcodes_replace_their_line_but_not_code() {
        let text = "Intro.\n\n{{ cta(id=\"a\") }}\n\nText before\n{{ cta() }}\nand after.\n\n```\n{{ cta() }}\n```\n\n`{{ cta() }}`\n";
        let r = md(text).unwrap();
        assert_eq!(
            r.html.matches("<aside>CTA</aside>").count(),
            2,
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>Text before\n</p>"), "{}", r.html);
        assert!(r.html.contains("<p>and after.</p>"), "{}", r.html);
        assert!(r.html.contains("<pre><code>{{ cta() }}"));
        assert!(r.html.contains("<code>{{ cta() }}</code>"));
        assert_eq!(r.first_paragraph, "Intro.");
    }

    #[test]
    fn shortcode_errors_carry_the_file_line() {
        let e = md("Para.\n\n{{ nope() }}\n").unwrap_err();
        assert_eq!(e.line, Some(7));
        let e = md("Para.\n\n{{ cta(id=\"x\" }}\n").unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("malformed"));
    }

    #[test]
    fn a_shortcode_inside_text_is_an_error_at_its_line() {
        let e = md("Para.\n\nInline {{ cta(id=\"x\") }} here.\n").unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.message.contains("line of its own"), "{e}");
        let e = md("Para.\n\nFirst line\nthen *a* {{ cta() }}\n").unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        // In code, or not a call, it is text.
        let r = md("Write `{{ cta(id=\"x\") }}` and {{ page.title }}.\n").unwrap();
        assert!(
            r.html.contains("<code>{{ cta(id=\"x\") }}</code>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn the_plain_text_has_every_block_ended_and_no_shortcode_output() {
        let r = md("# Lodge *early*\n\nIntro &amp; more\nsecond line.\n\n- one\n- two?\n\n{{ cta(id=\"a\") }}\n\n| A | B |\n|---|---|\n| c | d |\n\n```rust\nlet x = 1;\n```\n\n![Alt words](/a.png \"T\")\n\nNote.[^n]\n\n[^n]: Footnote words\n").unwrap();
        assert_eq!(
            r.text,
            "Lodge early. Intro & more second line. one. two? A. B. c. d. let x = 1; Alt words. Note. Footnote words."
        );
    }

    #[test]
    fn counts_words_outside_code_blocks() {
        let r = md("One two three.\n\n```\nnot counted here\n```\n").unwrap();
        assert_eq!(r.word_count, 3);
        assert_eq!(r.first_paragraph, "One two three.");
    }

    #[test]
    fn footnote_ids_cannot_clash_with_headings() {
        let r = md("## Origin\n\nText.[^origin]\n\n[^origin]: Where it came from.\n").unwrap();
        assert!(r.html.contains("<h2 id=\"origin\">"));
        assert!(r.html.contains("<sup class=\"footnote-reference\" id=\"fnref-origin\"><a href=\"#fn-origin\">1</a></sup>"), "{}", r.html);
        assert!(r.html.contains("<div class=\"footnote-definition\" id=\"fn-origin\"><sup class=\"footnote-definition-label\">1</sup>"));
    }

    #[test]
    fn words_split_by_smart_quotes_count_once() {
        let r = md("Don't count \"this\" twice.\n\nNext  paragraph.\n").unwrap();
        assert_eq!(r.word_count, 6);
    }

    #[test]
    fn records_what_a_link_check_needs_without_reading_the_html() {
        let plain = md("## A\n\nText.[^n]\n\n[^n]: Note.\n\n{{ cta(id=\"x\") }}\n").unwrap();
        assert!(!plain.opaque);
        assert_eq!(plain.footnote_ids, ["fnref-n", "fn-n"]);
        assert_eq!(plain.ctas, ["x"]);
        assert!(md("Text <a href=\"/x/\">raw</a>.\n").unwrap().opaque);
        assert!(md("<div id=\"box\"></div>\n").unwrap().opaque);
    }

    #[test]
    fn anchor_ids() {
        assert_eq!(
            anchor_id("  Prototype vs. Production!  "),
            "prototype-vs-production"
        );
        assert_eq!(anchor_id("Ünïcode – dash"), "ünïcode-dash");
        assert_eq!(anchor_id("???"), "section");
    }
}
