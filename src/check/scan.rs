//! A small HTML scanner: the ids, links and scripts of a page, without building a tree,
//! with character references in attribute values decoded.

use super::collect::PageScan;
use std::borrow::Cow;

/// Finds `id`, `href` and `src` attributes (and `<a name>`), skipping comments and the
/// contents of `<script>` and `<style>`.
///
/// It reads bytes and cuts only byte slices, so no input can make it slice inside a
/// character; text becomes `str` again only through `from_utf8_lossy`. Every step moves
/// forward, so it is linear in the page.
pub fn scan_html(html: &str) -> PageScan {
    let mut scan = PageScan::default();
    let bytes = html.as_bytes();
    let len = bytes.len();
    let text = |from: usize, to: usize| String::from_utf8_lossy(&bytes[from.min(to)..to]);
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + found;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are (empty) comments too.
            match memchr::memmem::find(&rest[2..], b"-->") {
                Some(end) => i = start + 2 + end + 3,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"</") || rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            match memchr::memchr(b'>', rest) {
                Some(end) => i = start + end + 1,
                None => break,
            }
            continue;
        }
        // A tag name starts with an ASCII letter; anything else is text (`a < b`, `<3`).
        if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = start
            + 1
            + rest[1..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
                .unwrap_or(rest.len() - 1);
        let name = &bytes[start + 1..name_end];
        let mut j = name_end;
        // Attributes.
        loop {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len || bytes[j] == b'>' {
                j += 1;
                break;
            }
            // A name runs to a space, `/`, `>` or `=`, but may start with `=`.
            let attr_start = j;
            j += 1;
            while j < len
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = &bytes[attr_start..j];
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < len && bytes[j] == b'=' {
                j += 1;
                while j < len && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < len && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let v_start = j + 1;
                    let v_end =
                        memchr::memchr(quote, &bytes[v_start..]).map_or(len, |p| v_start + p);
                    value = Some(text(v_start, v_end));
                    j = v_end + 1;
                } else {
                    let v_start = j;
                    while j < len && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(text(v_start, j));
                }
            }
            if let Some(value) = value {
                if attr.eq_ignore_ascii_case(b"id")
                    || (attr.eq_ignore_ascii_case(b"name") && name.eq_ignore_ascii_case(b"a"))
                {
                    scan.ids.push(decode_entities(&value).into_owned());
                } else if attr.eq_ignore_ascii_case(b"href") || attr.eq_ignore_ascii_case(b"src") {
                    scan.links.push(decode_entities(&value).into_owned());
                }
            }
            if attr.len() > 2
                && attr[..2].eq_ignore_ascii_case(b"on")
                && attr[2..].iter().all(u8::is_ascii_alphabetic)
            {
                scan.active
                    .push(String::from_utf8_lossy(attr).to_ascii_lowercase());
            }
        }
        i = j.min(len);
        for raw in ["script", "style"] {
            if name.eq_ignore_ascii_case(raw.as_bytes()) {
                if raw == "script" {
                    scan.active.push("<script>".to_string());
                }
                let close = format!("</{raw}");
                i = find_ignore_case(&bytes[i..], close.as_bytes()).map_or(len, |p| i + p);
            }
        }
    }
    scan
}

/// Where `needle` (ASCII) first appears in `haystack`, ignoring ASCII case.
pub(super) fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, tail) = needle.split_first()?;
    let mut from = 0;
    while let Some(p) = memchr::memchr2(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &haystack[from..],
    ) {
        let at = from + p;
        let candidate = haystack.get(at + 1..at + needle.len())?;
        if candidate.eq_ignore_ascii_case(tail) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Decodes the character references that appear in attribute values.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Names are short: look for the `;` only nearby, so that a value full of `&`
        // stays linear.
        let near = &rest.as_bytes()[..rest.len().min(12)];
        let decoded = memchr::memchr(b';', near).and_then(|end| {
            let name = rest.get(1..end)?;
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = rest.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::resolve::{normalise, percent_decode, resolve};
    use crate::check::script_links::script_scheme;
    use proptest::prelude::*;

    const BASE: &str = "https://example.com/advice/";

    #[test]
    fn scans_ids_links_and_scripts() {
        let html = r#"<!doctype html><html><head><link rel="stylesheet" href="/a.css">
<script type="application/ld+json">{"url": "<a href='/nope/'>"}</script>
<!-- <a href="/commented/"> --></head>
<body><h2 id="why-it-matters">Why</h2><a name=old href=/x/?a=1&amp;b=2>x</a>
<img src='/i.png' alt="">< not a tag <a href="&#x2F;slash&#x2F;" onclick="go()">y</a></body>"#;
        let scan = scan_html(html);
        assert_eq!(scan.ids, vec!["why-it-matters", "old"]);
        assert_eq!(
            scan.links,
            vec!["/a.css", "/x/?a=1&b=2", "/i.png", "/slash/"]
        );
        assert_eq!(scan.active, vec!["<script>", "onclick"]);
    }

    #[test]
    fn tricky_html_is_scanned_without_cutting_characters() {
        // Each of these once sliced inside a character or read past a tag.
        let scan = scan_html("<div dé=\"1\" id=a>");
        assert_eq!(scan.ids, ["a"]);
        let scan = scan_html("<div =\"x\"é id=b>");
        assert_eq!(scan.ids, ["b"]);
        assert!(scan_html("<p onclické=go()>").active.is_empty());
        assert_eq!(scan_html("<p onClick=go()>").active, ["onclick"]);
        assert_eq!(scan_html("<a href='café/ü'>").links, ["café/ü"]);
        assert_eq!(scan_html("<a href=é>").links, ["é"]);
        assert_eq!(scan_html("<a id=\"é").ids, ["é"]);
        assert_eq!(scan_html("<a href=\"x\"").links, ["x"]);
        assert_eq!(scan_html("<é id=x> <3 id=y> <!--> <a id=z>").ids, ["z"]);
        assert_eq!(scan_html("<!---> <a id=z>").ids, ["z"]);
        assert!(scan_html("<!-- <a id=x>").ids.is_empty());
        assert!(scan_html("<script>é<a id=x></SCRIPT é><a id=y>").ids == ["y"]);
        assert!(scan_html("<style>").ids.is_empty());
        assert_eq!(scan_html("<a").ids.len(), 0);
        assert_eq!(scan_html("<a id").ids.len(), 0);
        assert_eq!(scan_html("<a id=").ids, [""]);
        assert_eq!(scan_html("<a id=\u{a0}é>").ids, ["\u{a0}é"]);
    }

    /// Bytes that look like HTML: tags, quotes, entities and multi-byte characters.
    fn html_ish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<".to_string()),
            Just(">".to_string()),
            Just("</".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<!".to_string()),
            Just("<?".to_string()),
            Just("<a ".to_string()),
            Just("<script>".to_string()),
            Just("</script".to_string()),
            Just("<style ".to_string()),
            Just("id=".to_string()),
            Just(" href=".to_string()),
            Just("src".to_string()),
            Just("name=".to_string()),
            Just("onclick".to_string()),
            Just("=".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("/".to_string()),
            Just(" ".to_string()),
            Just("&".to_string()),
            Just("&amp;".to_string()),
            Just("&#x".to_string()),
            Just("&#1114112;".to_string()),
            Just(";".to_string()),
            Just("%".to_string()),
            Just("%C3".to_string()),
            Just("é".to_string()),
            Just("ü".to_string()),
            Just("\u{a0}".to_string()),
            Just("€".to_string()),
            Just("😀".to_string()),
            "[a-z]{1,3}".prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    fn scan_everything(text: &str) {
        let scan = scan_html(text);
        for link in scan.links.iter().chain(&scan.ids) {
            let _ = resolve(link, "articles/x/", Some("/advice/"), BASE);
            let _ = resolve(link, "articles/x/", None, BASE);
            let _ = script_scheme(link);
        }
        let _ = decode_entities(text);
        let _ = percent_decode(text);
        let _ = find_ignore_case(text.as_bytes(), b"</script");
        let _ = script_scheme(text);
    }

    proptest! {
        #[test]
        fn the_scanner_never_panics_on_html_ish_text(text in html_ish()) {
            scan_everything(&text);
        }

        #[test]
        fn the_scanner_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            scan_everything(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn entities_and_percent_escapes() {
        assert_eq!(decode_entities("a&amp;b&#39;c&#x2F;&bogus"), "a&b'c/&bogus");
        assert_eq!(decode_entities("&é;&#xé;&&amp;"), "&é;&#xé;&&");
        assert_eq!(decode_entities(&"&".repeat(100_000)).len(), 100_000);
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
        assert_eq!(normalise("a/./b/../c/"), Some("a/c/".into()));
        assert_eq!(normalise("a/.."), Some("".into()));
    }
}
