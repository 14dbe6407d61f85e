//! Where a link goes: an address as written in Markdown or in a rendered page, resolved
//! against the page it is on and the site's base path, its `.` and `..` segments and
//! `%XX` escapes taken out, to a file of the output (and maybe an id in it).

use std::borrow::Cow;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Target {
    /// Not something brief can or should check (`mailto:`, `data:`, an empty `#`).
    Skip,
    /// To another site.
    External(String),
    /// An id on the same page.
    Local(String),
    /// A file of this site (relative to the output) and maybe an id in it.
    Site {
        file: String,
        fragment: Option<String>,
    },
    /// Root-relative but outside the base path, or above the site's root.
    Outside,
}

/// Resolves `href` found on the page `dir` (a folder of the output: `articles/x/`).
/// `base_path` is `Some` for links in rendered HTML (which carry the base path) and
/// `None` for links as written in Markdown (root-relative to the site).
pub(super) fn resolve(href: &str, dir: &str, base_path: Option<&str>, base_url: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Skip;
    }
    if let Some(fragment) = href.strip_prefix('#') {
        let fragment = percent_decode(fragment);
        return if fragment.is_empty() {
            Target::Skip
        } else {
            Target::Local(fragment.into_owned())
        };
    }
    let (path, from_root) = if let Some(rest) = href.strip_prefix(base_url) {
        (rest, true)
    } else if href.starts_with("//") {
        return Target::External(format!("https:{href}"));
    } else if has_scheme(href) {
        let lower = href.to_ascii_lowercase();
        return if lower.starts_with("http://") || lower.starts_with("https://") {
            Target::External(href.to_string())
        } else {
            Target::Skip
        };
    } else if let Some(rest) = href.strip_prefix('/') {
        match base_path {
            None => (rest, true),
            Some(base) => match href.strip_prefix(base) {
                Some(rest) => (rest, true),
                None if href.split(['?', '#']).next() == Some(base.trim_end_matches('/')) => {
                    ("", true)
                }
                None => return Target::Outside,
            },
        }
    } else {
        (href, false)
    };
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (
            p,
            Some(percent_decode(f).into_owned()).filter(|f| !f.is_empty()),
        ),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let joined = if from_root {
        path.to_string()
    } else {
        format!("{dir}{path}")
    };
    let Some(mut file) = normalise(&percent_decode(&joined)) else {
        return Target::Outside;
    };
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    Target::Site { file, fragment }
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Removes `.` and `..` segments; `None` when the path climbs above the root.
pub(super) fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    parts.push("");
                }
            }
            ".." => {
                parts.pop()?;
                if i == last {
                    parts.push("");
                }
            }
            "" if i != last => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folder of an output file: `articles/x/index.html` → `articles/x/`.
pub(super) fn dir_of(file: &str) -> &str {
    match file.rfind('/') {
        Some(i) => &file[..=i],
        None => "",
    }
}

/// `%XX` escapes decoded; what is not UTF-8 afterwards is replaced, not refused.
pub(super) fn percent_decode(text: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.com/advice/";

    fn site(file: &str) -> Target {
        Target::Site {
            file: file.to_string(),
            fragment: None,
        }
    }

    #[test]
    fn resolves_links_in_markdown_and_html() {
        let md = |href| resolve(href, "articles/x/", None, BASE);
        let html = |href| resolve(href, "articles/x/", Some("/advice/"), BASE);
        assert_eq!(md("/contact/"), site("contact/index.html"));
        assert_eq!(html("/advice/contact/"), site("contact/index.html"));
        assert_eq!(html("/advice/"), site("index.html"));
        assert_eq!(html("/advice"), site("index.html"));
        assert_eq!(html("/other/"), Target::Outside);
        assert_eq!(md("../y/"), site("articles/y/index.html"));
        assert_eq!(md("../../../etc/"), Target::Outside);
        assert_eq!(md("img.png?v=2"), site("articles/x/img.png"));
        assert_eq!(
            md("https://example.com/advice/tags/a/#top"),
            Target::Site {
                file: "tags/a/index.html".into(),
                fragment: Some("top".into())
            }
        );
        assert_eq!(md("#caf%C3%A9"), Target::Local("café".into()));
        assert_eq!(md("#"), Target::Skip);
        assert_eq!(md("mailto:a@b.c"), Target::Skip);
        assert_eq!(
            md("https://rust-lang.org"),
            Target::External("https://rust-lang.org".into())
        );
        assert_eq!(
            md("//cdn.example/x.js"),
            Target::External("https://cdn.example/x.js".into())
        );
    }
}
