//! The theme's settings in site.toml: the menu (`[[menu]]`), and the logo, favicon,
//! footer line, contact address and accent colours (`[theme]`). Accents are checked for
//! WCAG AA contrast against the backgrounds the bundled theme sets them on.

use super::accent::{accent, Accent, DARK, LIGHT};
use crate::diagnostic::{line_of, Diagnostic, Result};
use serde::Deserialize;
use toml::Spanned;

/// One link of the navigation menu, in the order site.toml lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub label: String,
    /// As written: a site path from the root (`/about/`) or an absolute address.
    pub url: String,
    /// The line of `url` in site.toml, for the link check.
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub light: Option<Accent>,
    pub dark: Option<Accent>,
    pub logo: Option<Logo>,
    /// A site path (`assets/favicon.svg`) or an absolute address.
    pub favicon: Place,
    /// One line of Markdown, rendered with the templates (links need the base path).
    pub footer: Option<Placed>,
    /// Where "get in touch" links: a site path from the root or an absolute address.
    pub contact: Option<Placed>,
}

/// A value from site.toml with its line, for errors found after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub text: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub src: Place,
    pub alt: String,
    /// The site's title is shown beside the logo, not replaced by it.
    pub with_title: bool,
}

/// Where an image is: a file of the site (`assets/logo.svg`, no leading `/`) or another
/// site's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub value: String,
    pub is_site_path: bool,
    pub line: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    accent: Option<Spanned<String>>,
    accent_hover: Option<Spanned<String>>,
    accent_tint: Option<Spanned<String>>,
    accent_dark: Option<Spanned<String>>,
    accent_dark_hover: Option<Spanned<String>>,
    accent_dark_tint: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    logo_alt: Option<String>,
    #[serde(default)]
    logo_with_title: bool,
    favicon: Option<Spanned<String>>,
    footer: Option<Spanned<String>>,
    contact: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMenuItem {
    label: Spanned<String>,
    url: Spanned<String>,
}

/// The line of a spanned value in `text`.
pub(super) fn line(text: &str, value: &Spanned<String>) -> Option<usize> {
    let span = value.span();
    (span.end > 0).then(|| line_of(text, span.start))
}

pub(super) fn menu(text: &str, raw: Vec<RawMenuItem>) -> Result<Vec<MenuItem>> {
    raw.into_iter()
        .map(|item| {
            let label_line = line(text, &item.label);
            let url_line = line(text, &item.url);
            let label = item.label.into_inner();
            let url = item.url.into_inner();
            if label.trim().is_empty() {
                return Err(Diagnostic::error("a [[menu]] item has an empty label")
                    .on_line_opt(label_line)
                    .with_fix("write the text the link shows, e.g. label = \"About\""));
            }
            check_link(&url).map_err(|why| {
                Diagnostic::error(format!(
                    "[[menu]] `{label}` has the url `{url}`, which {why}"
                ))
                .on_line_opt(url_line)
                .with_fix(LINK_FIX)
            })?;
            Ok(MenuItem {
                label,
                url,
                line: url_line,
            })
        })
        .collect()
}

const LINK_FIX: &str =
    "write a page of the site from its root, such as \"/about/\", or a full address such as \"https://example.com/\"";

/// A link the theme prints on every page: a site path from the root, or an address of
/// another site. Relative paths would break on every page but the home page.
fn check_link(url: &str) -> std::result::Result<(), &'static str> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains a space or a control character");
    }
    if let Some(path) = url.strip_prefix('/') {
        if path.starts_with('/') {
            return Err("starts with //, which browsers read as another site");
        }
        return Ok(());
    }
    for scheme in ["https://", "http://", "mailto:", "tel:"] {
        if url
            .get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            && url.len() > scheme.len()
        {
            return Ok(());
        }
    }
    Err("is neither a path from the site's root nor a full address")
}

pub(super) fn theme(text: &str, raw: RawTheme, title: &str) -> Result<Theme> {
    let light = accent(text, &LIGHT, raw.accent, raw.accent_hover, raw.accent_tint)?;
    let dark = accent(
        text,
        &DARK,
        raw.accent_dark,
        raw.accent_dark_hover,
        raw.accent_dark_tint,
    )?;
    let logo = match raw.logo {
        Some(src) => {
            let src = image_place(text, "logo", src)?;
            let alt = match raw.logo_alt {
                Some(alt) => alt,
                // The title beside the logo already names the link.
                None if raw.logo_with_title => String::new(),
                None => title.to_string(),
            };
            Some(Logo {
                src,
                alt,
                with_title: raw.logo_with_title,
            })
        }
        None if raw.logo_alt.is_some() || raw.logo_with_title => {
            return Err(Diagnostic::error(
                "[theme] sets logo_alt or logo_with_title, but there is no logo",
            )
            .on_line_opt(
                super::find_key_line(text, "logo_alt")
                    .or_else(|| super::find_key_line(text, "logo_with_title")),
            )
            .with_fix("add logo = \"assets/logo.svg\" (a file under assets/ or a full address)"));
        }
        None => None,
    };
    let favicon = match raw.favicon {
        Some(favicon) => image_place(text, "favicon", favicon)?,
        None => Place {
            value: "assets/favicon.svg".into(),
            is_site_path: true,
            line: None,
        },
    };
    let footer = raw
        .footer
        .map(|footer| {
            let at = line(text, &footer);
            let footer = footer.into_inner();
            if footer.contains('\n') || footer.trim().is_empty() {
                return Err(Diagnostic::error(
                    "[theme] footer must be one line of text (Markdown links and emphasis are fine)",
                )
                .on_line_opt(at)
                .with_fix("write it on one line in quotes, e.g. footer = \"Email [us](mailto:hello@example.com).\""));
            }
            Ok(Placed {
                text: footer,
                line: at,
            })
        })
        .transpose()?;
    let contact = raw
        .contact
        .map(|contact| {
            let at = line(text, &contact);
            let contact = contact.into_inner();
            check_link(&contact).map_err(|why| {
                Diagnostic::error(format!("[theme] contact `{contact}` {why}"))
                    .on_line_opt(at)
                    .with_fix(LINK_FIX)
            })?;
            Ok(Placed {
                text: contact,
                line: at,
            })
        })
        .transpose()?;
    Ok(Theme {
        light,
        dark,
        logo,
        favicon,
        footer,
        contact,
    })
}

/// An image the theme shows: a file under assets/ or a full address.
fn image_place(text: &str, key: &str, value: Spanned<String>) -> Result<Place> {
    let at = line(text, &value);
    let value = value.into_inner();
    let fail = |why: &str| {
        Diagnostic::error(format!("[theme] {key} `{value}` {why}"))
            .on_line_opt(at)
            .with_fix(format!(
                "write a file under assets/, such as {key} = \"assets/{key}.svg\", or a full address starting https://"
            ))
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(fail("contains a space or a control character"));
    }
    if value.starts_with("https://") || value.starts_with("http://") {
        return Ok(Place {
            value,
            is_site_path: false,
            line: at,
        });
    }
    let path = value.strip_prefix('/').unwrap_or(&value);
    let Some(file) = path.strip_prefix("assets/") else {
        return Err(fail("is not under assets/"));
    };
    if file.is_empty()
        || file
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(fail("is not a file under assets/"));
    }
    if path.contains(['?', '#', '"', '\'', '<', '>', '\\']) {
        return Err(fail("holds a character a file path cannot have here"));
    }
    Ok(Place {
        value: path.to_string(),
        is_site_path: true,
        line: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Colour;

    fn c(text: &str) -> Colour {
        Colour::parse(text).unwrap()
    }

    const MINIMAL: &str =
        "title = \"T\"\nbase_url = \"https://example.com/advice/\"\n[dates]\ntimezone = \"UTC\"\n";

    fn parse_with(lines: &str) -> Result<crate::config::Config> {
        crate::config::Config::parse(&MINIMAL.replace("[dates]", &format!("{lines}\n[dates]")))
    }

    #[test]
    fn the_menu_keeps_its_order_and_refuses_links_that_would_break() {
        let c = parse_with("[[menu]]\nlabel = \"B\"\nurl = \"/b/\"\n[[menu]]\nlabel = \"A\"\nurl = \"mailto:a@example.com\"").unwrap();
        let labels: Vec<&str> = c.menu.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["B", "A"]);
        assert_eq!(c.menu[0].line, Some(5));
        for bad in [
            "about/",
            "//evil.example/",
            "javascript:alert(1)",
            "/a b/",
            "",
        ] {
            let e = parse_with(&format!("[[menu]]\nlabel = \"X\"\nurl = {bad:?}")).unwrap_err();
            assert_eq!(e.line, Some(5), "{bad}: {e}");
            assert!(e.message.contains("[[menu]] `X`"), "{bad}: {e}");
        }
        let e = parse_with("[[menu]]\nlabel = \" \"\nurl = \"/\"").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e = parse_with("[[menu]]\nlabel = \"X\"\nhref = \"/\"").unwrap_err();
        assert!(e.fix.unwrap().contains("url"));
    }

    #[test]
    fn images_are_files_under_assets_or_full_addresses() {
        let c = parse_with("[theme]\nlogo = \"/assets/img/logo.svg\"").unwrap();
        let logo = c.theme.logo.unwrap();
        assert_eq!(
            (logo.src.value.as_str(), logo.src.is_site_path),
            ("assets/img/logo.svg", true)
        );
        assert_eq!(logo.alt, "T", "the alt text defaults to the title");
        let c = parse_with(
            "[theme]\nlogo = \"https://cdn.example.com/l.png\"\nlogo_alt = \"Our mark\"",
        )
        .unwrap();
        assert_eq!(c.theme.logo.unwrap().alt, "Our mark");
        assert_eq!(c.theme.favicon.value, "assets/favicon.svg");
        for bad in [
            "logo.svg",
            "assets/../site.toml",
            "assets/",
            "content/x.png",
            "assets/a\"b.svg",
        ] {
            let e = parse_with(&format!("[theme]\nfavicon = {bad:?}")).unwrap_err();
            assert_eq!(e.line, Some(4), "{bad}: {e}");
        }
        let e = parse_with("[theme]\nlogo_alt = \"x\"").unwrap_err();
        assert!(e.message.contains("no logo"), "{e}");
    }

    #[test]
    fn the_footer_is_one_line() {
        let c = parse_with("[theme]\nfooter = \"Made *here*.\"").unwrap();
        assert_eq!(c.theme.footer.unwrap().text, "Made *here*.");
        let e = parse_with("[theme]\nfooter = \"\"\"\nOne\n\nTwo\"\"\"").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn accents_are_checked_at_their_line_in_each_scheme() {
        let config =
            parse_with("[theme]\naccent = \"#0A5291\"\naccent_dark = \"#8fc3ff\"").unwrap();
        let light = config.theme.light.unwrap();
        assert_eq!(light.color, c("#0a5291"));
        assert_eq!(light.hover, c("#0a5291").mix(Colour([0, 0, 0]), 0.75));
        assert!(config.theme.dark.is_some());

        let e = parse_with("[theme]\naccent = \"#0a5291\"\naccent_dark = \"#0a5291\"").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("accent_dark `#0a5291`"), "{e}");
        assert!(
            e.message.contains("dark scheme") && e.message.contains("4.5:1"),
            "{e}"
        );
        assert!(e.fix.as_deref().unwrap().contains("lighter"), "{e}");

        let e = parse_with("[theme]\naccent = \"#7aa7d9\"").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(
            e.message
                .contains("2.16:1 as text on the background of code"),
            "{e}"
        );
        let fix = e.fix.unwrap();
        let suggested = fix.split('"').nth(1).unwrap();
        let passes = parse_with(&format!("[theme]\naccent = \"{suggested}\""));
        assert!(passes.is_ok(), "the suggested {suggested} fails too: {fix}");

        // A hover colour the site chose is blamed for its own contrast.
        let e = parse_with("[theme]\naccent = \"#0a5291\"\naccent_hover = \"#9ab\"").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("accent_hover `#99aabb`"), "{e}");
        // So is a tint too close to the accent.
        let e = parse_with("[theme]\naccent = \"#0a5291\"\naccent_tint = \"#0a5291\"").unwrap_err();
        assert!(e.message.contains("accent_tint"), "{e}");
        assert_eq!(e.line, Some(5), "{e}");

        let e = parse_with("[theme]\naccent = \"blue\"").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("not a colour"), "{e}");
        let e = parse_with("[theme]\naccent_dark_hover = \"#fff\"").unwrap_err();
        assert!(e.message.contains("not accent_dark"), "{e}");
    }
}
