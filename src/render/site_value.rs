//! The `site` value every template gets: site.toml's settings as templates see them, with
//! links given the base path and the footer line rendered from Markdown.

use crate::config::{Accent, Config, Language, Place, Placed};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown;
use crate::markdown::shortcode::Shortcode;
use serde::Serialize;

/// The `site` object every template gets.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    lang: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    /// The home page of the page's language, with the base path: `/`, `/fr/`.
    home: String,
    extra: &'a serde_json::Value,
    year: i32,
    menu: Vec<MenuView<'a>>,
    logo: Option<LogoView<'a>>,
    favicon: FaviconView,
    /// HTML: the `[theme] footer` line.
    footer: Option<String>,
    contact: Option<String>,
    accent: AccentsView,
    /// `[dates] show_next_review`: the theme shows when each article is next due for review.
    show_next_review: bool,
    /// `[search] enabled`: the site publishes a search index; the theme shows its box.
    search: bool,
}

#[derive(Serialize)]
struct MenuView<'a> {
    label: &'a str,
    url: String,
}

#[derive(Serialize)]
struct LogoView<'a> {
    url: String,
    alt: &'a str,
    with_title: bool,
}

#[derive(Serialize)]
struct FaviconView {
    url: String,
    /// The media type for `<link rel="icon" type>`, when the file's extension says it.
    r#type: Option<&'static str>,
}

#[derive(Serialize)]
struct AccentsView {
    light: Option<AccentView>,
    dark: Option<AccentView>,
}

/// An accent's colours, as `#rrggbb`.
#[derive(Serialize)]
struct AccentView {
    color: String,
    hover: String,
    tint: String,
}

impl<'a> SiteView<'a> {
    pub(super) fn new(
        config: &'a Config,
        language: &'a Language,
        year: i32,
    ) -> Result<SiteView<'a>> {
        let theme = &config.theme;
        let place = |p: &Place| {
            if p.is_site_path {
                config.url(&p.value)
            } else {
                p.value.clone()
            }
        };
        let accent = |a: &Option<Accent>| {
            a.map(|a| AccentView {
                color: a.color.to_string(),
                hover: a.hover.to_string(),
                tint: a.tint.to_string(),
            })
        };
        let favicon_type = Some(crate::core::files::content_type(&theme.favicon.value))
            .filter(|t| t.starts_with("image/"));
        Ok(SiteView {
            title: &language.title,
            description: &language.description,
            author: &config.author,
            lang: &language.code,
            base_url: &config.base_url,
            base_path: &config.base_path,
            home: match language.code == config.lang {
                true => config.base_path.clone(),
                false => config.url(&format!("{}/", language.code)),
            },
            extra: &config.extra,
            year,
            menu: language
                .menu
                .iter()
                .map(|item| MenuView {
                    label: &item.label,
                    url: config.site_link(&item.url),
                })
                .collect(),
            logo: theme.logo.as_ref().map(|logo| LogoView {
                url: place(&logo.src),
                alt: &logo.alt,
                with_title: logo.with_title,
            }),
            favicon: FaviconView {
                url: place(&theme.favicon),
                r#type: favicon_type,
            },
            footer: theme
                .footer
                .as_ref()
                .map(|footer| footer_html(footer, config))
                .transpose()?,
            contact: theme.contact.as_ref().map(|c| config.site_link(&c.text)),
            accent: AccentsView {
                light: accent(&theme.light),
                dark: accent(&theme.dark),
            },
            show_next_review: config.dates.show_next_review,
            search: config.search,
        })
    }
}

/// The footer line's Markdown as inline HTML: one paragraph, its `<p>` taken off.
fn footer_html(footer: &Placed, config: &Config) -> Result<String> {
    let fail = |why: String| {
        Diagnostic::error(format!("[theme] footer {why}"))
            .in_file(crate::config::FILE)
            .on_line_opt(footer.line)
            .with_fix("write one line of text: links, emphasis and code are fine, headings, lists and quotes are not")
    };
    let no_shortcodes = |code: &Shortcode| -> Result<String> {
        Err(Diagnostic::error(format!(
            "holds the shortcode `{}`, and the footer cannot",
            code.name
        )))
    };
    let rendered = markdown::render(
        &footer.text,
        &markdown::Context {
            base_path: &config.base_path,
            first_line: 1,
            shortcode: &no_shortcodes,
            page: None,
            highlight: false,
            images: None,
            variants: false,
        },
    )
    .map_err(|d| fail(d.message))?;
    let html = rendered.html.trim_end();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"))
        .map(str::to_string)
        .ok_or_else(|| {
            let tag = html
                .strip_prefix('<')
                .and_then(|h| h.split(['>', ' ']).next())
                .unwrap_or("block");
            fail(format!(
                "must be one line of text, but Markdown reads it as a `<{tag}>`"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(footer: &str) -> Config {
        Config::parse(&format!(
            "title = \"T\"\nbase_url = \"https://example.com/advice/\"\n[theme]\nfooter = {footer:?}\n[dates]\ntimezone = \"UTC\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn the_footer_is_inline_html_with_the_base_path() {
        let c = config("Made *here*; [ask](/contact/) or `mail`.");
        let footer = c.theme.footer.as_ref().unwrap();
        assert_eq!(
            footer_html(footer, &c).unwrap(),
            "Made <em>here</em>; <a href=\"/advice/contact/\">ask</a> or <code>mail</code>."
        );
    }

    #[test]
    fn a_footer_that_is_not_a_line_of_text_is_an_error_at_its_line() {
        for (footer, tag) in [
            ("# Big", "h1"),
            ("- one", "ul"),
            ("> quoted", "blockquote"),
            ("<div>x</div>", "div"),
        ] {
            let c = config(footer);
            let e = footer_html(c.theme.footer.as_ref().unwrap(), &c).unwrap_err();
            assert_eq!(e.line, Some(4), "{footer}: {e}");
            assert!(e.message.contains(&format!("`<{tag}>`")), "{footer}: {e}");
            assert_eq!(e.file.as_deref(), Some(std::path::Path::new("site.toml")));
        }
        let c = config("{{ cta(id=\"x\") }}");
        assert!(footer_html(c.theme.footer.as_ref().unwrap(), &c).is_err());
    }
}
