//! Links in Markdown: recorded for the link check, relative ones resolved against the page,
//! links to `.md` sources (and Zola's `@/` paths) turned into their pages' addresses,
//! root-relative ones given the base path, and every address published as written.

use super::images::image_alt;
use super::{Link, Page, Renderer};
use crate::diagnostic::{column_of, Diagnostic};
use crate::html::escape;
use pulldown_cmark::{CowStr, Event, LinkType};
use std::ops::Range;

impl<'m> Renderer<'m, '_> {
    pub(super) fn link(
        &mut self,
        dest: CowStr<'m>,
        range: &Range<usize>,
        is_image: bool,
    ) -> CowStr<'m> {
        let text = if is_image {
            image_alt(&self.md[range.clone()])
        } else {
            String::new()
        };
        let line = self.line(range.start);
        let column = column_of(self.md, range.start);
        let dest = match self.cx.page {
            Some(page) if is_relative(&dest) => match resolve_relative(page, &dest) {
                Ok(site_path) => CowStr::from(site_path),
                Err(why) => {
                    let fix = match dest.starts_with(ZOLA_CONTENT) {
                        true => "correct the path after `@/` (the file's path under content/), or link to the page's address, e.g. /articles/checklist/",
                        false => "link to a Markdown file of this site by its path from this file, e.g. [the checklist](../articles/checklist.md), or to its address, e.g. /articles/checklist/",
                    };
                    self.error.get_or_insert(
                        Diagnostic::error(why)
                            .on_line(line)
                            .on_column(column)
                            .with_fix(fix),
                    );
                    dest
                }
            },
            _ => dest,
        };
        self.rendered.links.push(Link {
            href: dest.to_string(),
            line,
            column,
            is_image,
            text,
        });
        if dest.starts_with('/') && !dest.starts_with("//") && self.cx.base_path != "/" {
            CowStr::from(format!("{}{}", self.cx.base_path, &dest[1..]))
        } else {
            dest
        }
    }
}

/// A link's start tag, its address as written (a `[::1]` host, `{}` and letters beyond
/// ASCII stay as they are, as browsers read them), escaped only for the HTML attribute;
/// spaces and control characters, which no address may hold, percent-encoded.
/// pulldown-cmark's own writer percent-encodes `[` and `]`, which breaks IPv6 hosts.
pub(super) fn start_tag<'m>(kind: LinkType, dest: &str, title: &str) -> Event<'m> {
    let scheme = match kind {
        LinkType::Email => "mailto:",
        _ => "",
    };
    let mut tag = format!("<a href=\"{scheme}{}\"", escape(&address_text(dest)));
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    tag.push('>');
    Event::InlineHtml(tag.into())
}

/// `dest` with the characters no address may hold (spaces, control characters)
/// percent-encoded, and nothing else changed.
pub(super) fn address_text(dest: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_whitespace() || c.is_control();
    if !dest.contains(needs) {
        return dest.into();
    }
    let mut out = String::with_capacity(dest.len() + 8);
    for c in dest.chars() {
        if needs(c) {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// How Zola writes a link to a Markdown file by its path under content/:
/// `@/blog/post.md` is `content/blog/post.md`.
const ZOLA_CONTENT: &str = "@/";

/// A link that leads somewhere relative to its page: not an address with a scheme
/// (`https:`, `mailto:`), not from the root, not only a `#fragment` or `?query`.
fn is_relative(href: &str) -> bool {
    let before_slash = href.split('/').next().unwrap_or("");
    !(href.is_empty() || href.starts_with(['/', '#', '?']) || before_slash.contains(':'))
}

/// A relative link as a path from the site's root (`/articles/launch/chart.png`): a link
/// to a Markdown source (`../other.md#part`) becomes its page's address, anything else is
/// taken from the page's own address, as a browser would.
fn resolve_relative(page: &Page<'_>, href: &str) -> std::result::Result<String, String> {
    let (path, rest) = match href.find(['#', '?']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if let Some(under_content) = decoded.strip_prefix(ZOLA_CONTENT) {
        let file = join(crate::content::DIR, under_content)
            .filter(|f| f.starts_with(&format!("{}/", crate::content::DIR)))
            .ok_or_else(|| format!("link to `{href}` leads outside content/"))?;
        return match (page.source_page)(&file) {
            Some(target) => Ok(format!("/{target}{rest}")),
            None => Err(format!(
                "link to `{href}`: `@/` is Zola's way of writing content/, and there is no Markdown file {file} in this site"
            )),
        };
    }
    if decoded.ends_with(".md") {
        let file = join(page.source_dir, &decoded)
            .ok_or_else(|| format!("link to `{href}` leads outside the site"))?;
        return match (page.source_page)(&file) {
            Some(target) => Ok(format!("/{target}{rest}")),
            None => Err(format!(
                "link to `{href}`: there is no Markdown file {file} in this site"
            )),
        };
    }
    let joined = join(page.path.trim_end_matches('/'), path)
        .ok_or_else(|| format!("link to `{href}` leads above the site's root"))?;
    let slash = if path.ends_with('/') && !joined.is_empty() {
        "/"
    } else {
        ""
    };
    Ok(format!("/{joined}{slash}{rest}"))
}

/// `folder` (`/`-separated, no slash at either end) joined with the relative `path`, with
/// `.` and `..` taken out; `None` when it climbs above the root.
fn join(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::no_shortcodes;
    use super::super::{render, Context};
    use super::*;

    #[test]
    fn relative_links_are_taken_from_the_page_and_md_links_lead_to_their_pages() {
        let pages = |file: &str| match file {
            "content/articles/checklist.md" => Some("articles/checklist/".to_string()),
            "content/about.md" => Some("about/".to_string()),
            _ => None,
        };
        let page = Page {
            path: "articles/launch/",
            source_dir: "content/articles/launch",
            source_page: &pages,
        };
        let shortcode = no_shortcodes;
        let cx = Context {
            base_path: "/advice/",
            first_line: 1,
            shortcode: &shortcode,
            page: Some(&page),
            highlight: true,
            images: None,
            variants: true,
        };
        let r = render(
            "![Chart](chart.png) [up](../) [list](../checklist.md#steps) [us](../../about.md) [mail](mailto:a@b.c) [top](#top) [x](https://x.org/a.md)\n",
            &cx,
        )
        .unwrap();
        for want in [
            r#"src="/advice/articles/launch/chart.png""#,
            r#"href="/advice/articles/""#,
            r#"href="/advice/articles/checklist/#steps""#,
            r#"href="/advice/about/""#,
            r#"href="mailto:a@b.c""#,
            r##"href="#top""##,
            r#"href="https://x.org/a.md""#,
        ] {
            assert!(r.html.contains(want), "{want} in {}", r.html);
        }
        assert_eq!(r.links[2].href, "/articles/checklist/#steps");
        let e = render("Text.\n\nSee [gone](missing.md).\n", &cx).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.message
                .contains("no Markdown file content/articles/launch/missing.md"),
            "{e}"
        );
        let e = render("[out](../../../../x.md)\n", &cx).unwrap_err();
        assert!(e.message.contains("outside the site"), "{e}");
        // Zola's `@/` is content/.
        let r = render("[list](@/articles/checklist.md#steps)\n", &cx).unwrap();
        assert!(
            r.html
                .contains(r#"href="/advice/articles/checklist/#steps""#),
            "{}",
            r.html
        );
        let e = render("Text.\n\nA [gone](@/inside-rust/x/index.md).\n", &cx).unwrap_err();
        assert_eq!((e.line, e.column()), (Some(3), Some(3)));
        assert!(
            e.message.contains("`@/` is Zola's way of writing content/")
                && e.message
                    .contains("no Markdown file content/inside-rust/x/index.md"),
            "{e}"
        );
        let e = render("[up](@/../site.toml)\n", &cx).unwrap_err();
        assert!(e.message.contains("outside content/"), "{e}");
    }

    #[test]
    fn addresses_are_published_as_written_and_escaped_for_html_only() {
        let text = "[v6](http://[::1]:8080/) [q](https://x.org/?a=1&b={2}|é \"Said\") <a@b.org> [s](<my file.pdf>) ![v6 image](http://[::1]/i.png)\n";
        let r = super::super::tests::md(text).unwrap();
        for want in [
            r#"<a href="http://[::1]:8080/">v6</a>"#,
            r#"<a href="https://x.org/?a=1&amp;b={2}|é" title="Said">q</a>"#,
            r#"<a href="mailto:a@b.org">a@b.org</a>"#,
            r#"<a href="my%20file.pdf">s</a>"#,
            r#"src="http://[::1]/i.png""#,
        ] {
            assert!(r.html.contains(want), "{want} in {}", r.html);
        }
        assert_eq!(r.links[0].href, "http://[::1]:8080/");
    }
}
