//! Links that would run code in the reader's browser (`javascript:`, `vbscript:`, a
//! `data:` page), read as browsers read them: errors in Markdown, in raw HTML and in
//! calls-to-action. Templates are the site's code, reviewed with it, and may hold them.

use crate::diagnostic::Diagnostic;

/// What is wrong with a link that would run code, and how to fix it.
pub(super) const SCRIPT_LINK_FIX: &str = "link to a page or file instead; scripts belong in templates/, where they are reviewed with the site's code";

pub(super) fn script_link(href: &str, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "link to `{href}` would run code in the reader's browser ({what})"
    ))
    .with_fix(SCRIPT_LINK_FIX)
}

/// What kind of address `href` is if following it would run code: a `javascript:` or
/// `vbscript:` address, or a `data:` address holding a page. Read as browsers
/// read it: spaces and control characters before it, tabs and newlines inside it and
/// the case of the scheme do not count.
pub fn script_scheme(href: &str) -> Option<&'static str> {
    let bytes = href.as_bytes();
    memchr::memchr(b':', bytes)?;
    let mut head = String::with_capacity(40);
    for &b in bytes.iter().skip_while(|&&b| b <= b' ') {
        if head.len() == 40 {
            break;
        }
        if !matches!(b, b'\t' | b'\n' | b'\r') {
            head.push(char::from(b.to_ascii_lowercase()));
        }
    }
    if head.starts_with("javascript:") {
        return Some("a `javascript:` address");
    }
    if head.starts_with("vbscript:") {
        return Some("a `vbscript:` address");
    }
    let media = head.strip_prefix("data:")?;
    let media = media.split([';', ',']).next().unwrap_or("").trim();
    // Not `image/…`: an image cannot run scripts, and `![](data:image/png…)` is common.
    ["text/html", "application/xhtml+xml"]
        .contains(&media)
        .then_some("a `data:` address holding a page that can run scripts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_schemes_are_read_as_browsers_read_them() {
        for href in [
            "javascript:alert(1)",
            "JavaScript:void(0)",
            " \u{1}java\tscript:x",
            "java\nscript:x",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
            "DATA: text/html,<script>",
            "data:application/xhtml+xml,x",
        ] {
            assert!(script_scheme(href).is_some(), "{href:?}");
        }
        for href in [
            "/javascript:/",
            "https://example.com/?javascript:x",
            "data:image/png;base64,iVBORw0KGgo=",
            "data:image/svg+xml,<svg/>",
            "mailto:a@b.c",
            "#javascript:",
            "javascript",
            "",
        ] {
            assert!(script_scheme(href).is_none(), "{href:?}");
        }
    }
}
