//! Small helpers for writing HTML and XML text safely.

use std::borrow::Cow;

/// Escapes text for HTML or XML content and attribute values.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 forbids `c` anywhere in a document: C0 controls other than tab,
/// newline and carriage return, and U+FFFE and U+FFFF. In HTML each is a parse error.
pub fn is_forbidden_in_markup(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// `xml` (or HTML) without the characters XML 1.0 forbids, which no escape can carry: a form
/// feed in an article must not make its feed unreadable.
pub fn markup_safe(xml: String) -> String {
    // Every page passes here: look at bytes, the forbidden ones are rare.
    let bytes = xml.as_bytes();
    let has_control = bytes
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
    let has_nonchar = memchr::memmem::find(bytes, "\u{fffe}".as_bytes()).is_some()
        || memchr::memmem::find(bytes, "\u{ffff}".as_bytes()).is_some();
    if !has_control && !has_nonchar {
        return xml;
    }
    xml.chars()
        .filter(|&c| !is_forbidden_in_markup(c))
        .collect()
}

/// JSON that is safe to place inside a `<script>` element.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("a < b & \"c\" 'd'"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39;"
        );
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        let json = serde_json::json!({"t": "</script><b>"});
        assert!(!script_safe_json(&json).contains("</script>"));
    }

    #[test]
    fn markup_safe_drops_only_what_xml_forbids() {
        let text = "a\0b\x0cc\x1fd\te\nf\rg\u{fffe}h\u{ffff}i\u{fffd}\u{85}\u{10ffff}".to_string();
        assert_eq!(markup_safe(text), "abcd\te\nf\rghi\u{fffd}\u{85}\u{10ffff}");
    }
}
