//! What an SVG file must be to be published. Shown by `<img>`, an SVG runs nothing; but
//! opened at its own address (a link to it, "open image in new tab") it is an XML document
//! on the site's origin, and a script in it runs as if the site had written it, with the
//! site's cookies and storage. So brief reads every SVG with an XML tokenizer (quick-xml),
//! as the browser's XML parser reads it, not by searching its text, and refuses one that:
//!
//! - is not well-formed XML, or not UTF-8: cut short, damaged (the browser shows an error
//!   where the picture should be), or in an encoding whose bytes could mean other markup
//!   to the browser than to brief;
//! - holds an element that runs code or shows a page (`<script>`, `<foreignObject>`,
//!   `<iframe>`, `<embed>`, `<object>`… in any namespace or letter case), an event
//!   attribute (`on…=`), a `javascript:` address in any attribute (after entities and
//!   character references are expanded and the tabs and line breaks a browser skips are
//!   removed: `<set to="jav&#x09;ascript:…">` too), or an `<?xml-stylesheet?>` (XSLT turns
//!   the file into any page);
//! - declares in its DOCTYPE anything but plain-text entities (Illustrator declares its
//!   namespaces so): default attributes (`<!ATTLIST svg onload …>`), parameter or external
//!   entities, or entities holding markup, which brief would otherwise have to expand the
//!   way each browser does.

use super::probe::{Refusal, MAX_SIDE};
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::collections::HashMap;

/// Elements that run code, load a page or embed one, compared by local name ignoring case.
/// (`handler` and `listener` are SVG Tiny's and XML Events' script elements.)
const ACTIVE_ELEMENTS: [&str; 10] = [
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "frameset",
    "embed",
    "object",
    "applet",
    "handler",
    "listener",
];

/// Encodings whose bytes mean the same markup as UTF-8's: UTF-8 itself, and the
/// single-byte ones browsers read as windows-1252. (The file must be UTF-8 in any case.)
const ENCODINGS: [&str; 7] = [
    "utf-8",
    "utf8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin1",
    "windows-1252",
];

/// Reads a whole SVG file: its size as [`Header`](super::probe::Header) gives it (from the
/// root's `width` and `height`, in pixels or unitless, else its `viewBox`; (0, 0) when it
/// states neither), or why it cannot be published.
pub fn size(bytes: &[u8]) -> Result<(u32, u32), Refusal> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| damaged("it is not UTF-8 text", line_at(bytes, e.valid_up_to())))?;
    if let Some(at) = text.find(crate::html::is_forbidden_in_markup) {
        return Err(damaged(
            "it holds a control character that XML does not allow",
            line_at(bytes, at),
        ));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().enable_all_checks(true);
    let mut entities = HashMap::new();
    let mut depth = 0usize;
    let mut size = None;
    let mut lines = Lines {
        bytes,
        at: 0,
        line: 1,
    };
    loop {
        let line = lines.of(offset(reader.buffer_position()));
        let event = reader.read_event().map_err(|e| {
            damaged(
                &format!("it is not well-formed XML ({e})"),
                line_at(bytes, offset(reader.error_position())),
            )
        })?;
        let (element, opens) = match event {
            Event::Start(element) => (element, true),
            Event::Empty(element) => (element, false),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Decl(decl) => {
                let name = match decl.encoding() {
                    Some(Ok(name)) => String::from_utf8_lossy(&name).into_owned(),
                    _ => continue,
                };
                if !ENCODINGS.contains(&name.to_ascii_lowercase().as_str()) {
                    return Err(damaged(
                        &format!("it declares the encoding {name}, which brief does not read (save it as UTF-8)"),
                        line,
                    ));
                }
                continue;
            }
            Event::DocType(doctype) => {
                entities = declared_entities(&String::from_utf8_lossy(&doctype))
                    .map_err(|what| Refusal::Active { what, line })?;
                continue;
            }
            Event::PI(pi) if pi.target().eq_ignore_ascii_case(b"xml-stylesheet") => {
                return Err(Refusal::Active {
                    what: "an <?xml-stylesheet?> instruction (a stylesheet can turn it into a page with scripts)".into(),
                    line,
                });
            }
            Event::GeneralRef(_) | Event::Text(_) | Event::CData(_)
                if depth == 0 && !is_blank(&event) =>
            {
                return Err(damaged("it has text outside its root element", line));
            }
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let known = match reference.resolve_char_ref() {
                    Ok(found) => found.is_some() || resolve(&name, &entities).is_some(),
                    Err(_) => false,
                };
                if !known {
                    return Err(damaged(
                        &format!(
                            "it uses &{name}; which is not a character or an entity it declares"
                        ),
                        line,
                    ));
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        checked(&element, &entities, line)?;
        if depth == 0 {
            let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
            if size.is_some() {
                return Err(damaged(
                    &format!("a second root element <{name}> follows the first"),
                    line,
                ));
            }
            if !local(&name).eq_ignore_ascii_case("svg") {
                return Err(damaged(
                    &format!("its root element is <{name}>, not <svg>"),
                    line,
                ));
            }
            size = Some(root_size(&element, &entities));
        }
        if opens {
            depth += 1;
        }
    }
    match size {
        None => Err(Refusal::Broken("it has no <svg> element".into())),
        Some(_) if depth > 0 => Err(Refusal::Broken(
            "the SVG file is cut short: it ends before its root element closes".into(),
        )),
        Some(size) => Ok(size),
    }
}

/// Refuses an element that runs code or shows a page, an event attribute, a script
/// address in any attribute, an animation of an event attribute, and names a browser
/// would not read as brief does.
fn checked(
    element: &BytesStart<'_>,
    entities: &HashMap<String, String>,
    line: usize,
) -> Result<(), Refusal> {
    let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
    if !is_name(&name) {
        return Err(damaged(&format!("<{name}> is not an element name"), line));
    }
    if ACTIVE_ELEMENTS
        .iter()
        .any(|active| local(&name).eq_ignore_ascii_case(active))
    {
        return Err(Refusal::Active {
            what: format!("a <{name}> element"),
            line,
        });
    }
    for attribute in element.attributes() {
        let attribute =
            attribute.map_err(|e| damaged(&format!("it is not well-formed XML ({e})"), line))?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        if !is_name(&key) {
            return Err(damaged(
                &format!("<{name}> has an attribute named {key:?}"),
                line,
            ));
        }
        if starts_with_on(local(&key)) {
            return Err(Refusal::Active {
                what: format!("an event attribute {key}=\"…\" on <{name}>"),
                line,
            });
        }
        let value = attribute
            .normalized_value_with(XmlVersion::Implicit1_0, 1, |e| resolve(e, entities))
            .map_err(|e| damaged(&format!("the value of {key} cannot be read ({e})"), line))?;
        if runs_script(&value) {
            return Err(Refusal::Active {
                what: format!("a script address in {key}=\"…\" on <{name}>"),
                line,
            });
        }
        if local(&key) == "attributeName" && starts_with_on(local(value.trim())) {
            return Err(Refusal::Active {
                what: format!("an animation of the event attribute {}", value.trim()),
                line,
            });
        }
    }
    Ok(())
}

/// The root's size from its `width` and `height`, else its `viewBox`.
fn root_size(root: &BytesStart<'_>, entities: &HashMap<String, String>) -> (u32, u32) {
    let value = |name: &str| {
        root.attributes().flatten().find_map(|a| {
            (a.key.as_ref() == name.as_bytes())
                .then(|| {
                    a.normalized_value_with(XmlVersion::Implicit1_0, 1, |e| resolve(e, entities))
                        .ok()
                })
                .flatten()
        })
    };
    let length = |name: &str| {
        let value = value(name)?;
        let number = value.trim();
        let number = number.strip_suffix("px").unwrap_or(number).trim();
        number
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0 && *n < f64::from(MAX_SIDE))
    };
    let size = match (length("width"), length("height")) {
        (Some(w), Some(h)) => Some((w, h)),
        _ => value("viewBox").and_then(|v| {
            let n: Vec<f64> = v
                .split(|c: char| c == ',' || c.is_ascii_whitespace())
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            (n.len() == 4
                && n[2] > 0.0
                && n[3] > 0.0
                && n[2] < f64::from(MAX_SIDE)
                && n[3] < f64::from(MAX_SIDE))
            .then(|| (n[2], n[3]))
        }),
    };
    size.map_or((0, 0), |(w, h)| {
        (w.round().max(1.0) as u32, h.round().max(1.0) as u32)
    })
}

/// The plain-text entities of a DOCTYPE's internal subset (`<!ENTITY ns_svg
/// "http://www.w3.org/2000/svg">`), or what in it brief refuses.
fn declared_entities(doctype: &str) -> Result<HashMap<String, String>, String> {
    let mut entities = HashMap::new();
    let Some(open) = subset_start(doctype) else {
        return Ok(entities);
    };
    let close = doctype
        .rfind(']')
        .filter(|&c| c > open)
        .unwrap_or(doctype.len());
    let mut rest = &doctype[open + 1..close];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(entities);
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after
                .find("-->")
                .ok_or("an unclosed comment in its DOCTYPE")?;
            rest = &after[end + 3..];
            continue;
        }
        let Some(after) = rest.strip_prefix("<!ENTITY") else {
            let kind: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(12)
                .collect();
            return Err(format!(
                "a DOCTYPE declaration {kind} …, which brief does not allow (an <!ATTLIST can give elements attributes, onload among them)"
            ));
        };
        let after = after.trim_start();
        if after.starts_with('%') {
            return Err("a DOCTYPE parameter entity (<!ENTITY % …)".into());
        }
        let name_end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>'))
            .unwrap_or(after.len());
        let (name, after) = after.split_at(name_end);
        let after = after.trim_start();
        let external = || format!("a DOCTYPE entity {name} that is not plain text");
        let quote = after
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))
            .ok_or_else(external)?;
        let end = after[1..].find(quote).ok_or_else(external)?;
        let value = &after[1..1 + end];
        if value.contains(['<', '&', '%']) {
            return Err(format!(
                "a DOCTYPE entity {name} with markup or references in it"
            ));
        }
        rest = after[end + 2..]
            .trim_start()
            .strip_prefix('>')
            .ok_or_else(external)?;
        entities.insert(name.to_string(), value.to_string());
    }
}

/// Where a DOCTYPE's internal subset opens: its first `[` outside quotes.
fn subset_start(doctype: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in doctype.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '[') => return Some(i),
            _ => {}
        }
    }
    None
}

fn resolve<'e>(name: &str, entities: &'e HashMap<String, String>) -> Option<&'e str> {
    quick_xml::escape::resolve_predefined_entity(name)
        .or_else(|| entities.get(name).map(String::as_str))
}

/// Whether a value holds a `javascript:` (or `vbscript:`) address anywhere: as a browser
/// reads it, skipping the tabs, line breaks and controls it skips, in any letter case.
fn runs_script(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squeezed.contains("javascript:") || squeezed.contains("vbscript:")
}

fn starts_with_on(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
}

/// A name without its namespace prefix (after the last `:`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Whether `name` is made of the characters XML allows in names (letters, digits, `-`,
/// `_`, `.`, `:` and any non-ASCII character); anything else a browser refuses, and
/// quick-xml might split differently.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') || !c.is_ascii()
        })
}

fn is_blank(event: &Event<'_>) -> bool {
    match event {
        Event::Text(text) => text.iter().all(u8::is_ascii_whitespace),
        _ => false,
    }
}

fn damaged(why: &str, line: usize) -> Refusal {
    Refusal::Broken(format!("{why}, line {line}"))
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// The lines of the offsets of a file's events, which come in order: each newline is
/// counted once, however large the file.
struct Lines<'b> {
    bytes: &'b [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn of(&mut self, at: usize) -> usize {
        let at = at.min(self.bytes.len());
        if at < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..at]).count();
        self.at = at;
        self.line
    }
}

/// The 1-based line of byte `at`.
fn line_at(bytes: &[u8], at: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">"#;

    fn svg(inner: &str) -> Result<(u32, u32), Refusal> {
        size(format!("{OPEN}\n{inner}\n</svg>").as_bytes())
    }

    #[track_caller]
    fn active(inner: &str) -> String {
        match svg(inner) {
            Err(Refusal::Active { what, line }) => {
                assert_eq!(line, 2, "{what}");
                what
            }
            other => panic!("{inner}: {other:?}"),
        }
    }

    #[track_caller]
    fn broken(bytes: &str) -> String {
        match size(bytes.as_bytes()) {
            Err(Refusal::Broken(why)) => why,
            other => panic!("{bytes}: {other:?}"),
        }
    }

    #[test]
    fn drawings_are_read_with_their_size() {
        assert_eq!(
            svg(
                r##"<rect width="10" height="10" fill="#eee"/><a href="https://example.com/"><text>on &amp; off</text></a>"##
            ),
            Ok((10, 10))
        );
        assert_eq!(
            size(
                br#"<?xml version="1.0" encoding="UTF-8"?><svg width="640" height="360px"></svg>"#
            ),
            Ok((640, 360))
        );
        assert_eq!(size(b"\xEF\xBB\xBF<svg width='100%'/>\n"), Ok((0, 0)));
        assert_eq!(
            size(b"<svg:svg xmlns:svg='http://www.w3.org/2000/svg' viewBox='0,0,8,4'/>"),
            Ok((8, 4))
        );
        // Illustrator declares its namespaces as entities.
        let illustrator = r#"<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
  <!-- a comment -->
  <!ENTITY ns_flows 'http://ns.adobe.com/Flows/1.0/'>
]>
<svg xmlns="&ns_svg;" xmlns:x="&ns_flows;" width="20" height="30"><desc>&ns_svg;</desc></svg>"#;
        assert_eq!(size(illustrator.as_bytes()), Ok((20, 30)));
    }

    #[test]
    fn scripts_handlers_and_pages_are_refused_however_they_are_written() {
        assert!(active("<script>alert(1)</script>").contains("<script>"));
        assert!(active("<ScRiPt>alert(1)</ScRiPt>").contains("<ScRiPt>"));
        assert!(
            active(r#"<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>"#)
                .contains("h:script")
        );
        assert!(active("<foreignObject><div/></foreignObject>").contains("foreignObject"));
        for element in ["iframe", "embed", "object", "handler"] {
            assert!(active(&format!("<{element}/>")).contains(element));
        }
        assert!(active(r#"<rect onload="alert(1)"/>"#).contains("onload"));
        assert!(active(r#"<rect OnClick="alert(1)"/>"#).contains("OnClick"));
        assert!(
            active(r#"<rect x:onmouseover="alert(1)" xmlns:x="urn:x"/>"#).contains("x:onmouseover")
        );
        assert!(active(r#"<a href="javascript:alert(1)"><text>x</text></a>"#).contains("href"));
        assert!(active(r#"<a xlink:href=" JaVaScRiPt:alert(1)"/>"#).contains("xlink:href"));
        assert!(active(r#"<a href="&#x6A;ava&#x09;script&#58;alert(1)"/>"#).contains("href"));
        assert!(active("<a href=\"java\nscript:alert(1)\"/>").contains("href"));
        assert!(active(r#"<set attributeName="href" to="javascript:alert(1)"/>"#).contains("to="));
        assert!(active(
            r##"<animate attributeName="xlink:href" values="#a;javascript:alert(1)"/>"##
        )
        .contains("values="));
        assert!(active(r#"<set attributeName="onclick" to="alert(1)"/>"#).contains("onclick"));
        assert!(
            active(r#"<?xml-stylesheet type="text/xsl" href="x.xsl"?>"#).contains("xml-stylesheet")
        );
        // In comments and text, markup is not markup.
        assert!(svg("<!-- <script>alert(1)</script> --><text>&lt;script&gt; javascript: onload=</text><![CDATA[<script>]]>").is_ok());
    }

    #[test]
    fn doctypes_declare_plain_text_or_nothing() {
        let with = |subset: &str, body: &str| {
            size(format!("<!DOCTYPE svg [{subset}]>\n<svg>{body}</svg>").as_bytes())
        };
        let js = with(
            r#"<!ENTITY js "javascript:alert(1)">"#,
            r#"<a href="&js;"/>"#,
        );
        assert!(matches!(js, Err(Refusal::Active { .. })), "{js:?}");
        let split = with(
            r#"<!ENTITY a "java"><!ENTITY b "script:x">"#,
            r#"<a href="&a;&b;"/>"#,
        );
        assert!(matches!(split, Err(Refusal::Active { .. })), "{split:?}");
        for subset in [
            r#"<!ENTITY x "<script>alert(1)</script>">"#,
            r#"<!ENTITY x "&#60;script>">"#,
            r#"<!ATTLIST svg onload CDATA "alert(1)">"#,
            r#"<!ENTITY % p "x">"#,
            r#"<!ENTITY x SYSTEM "file:///etc/passwd">"#,
        ] {
            let refused = with(subset, "&x;");
            assert!(
                matches!(refused, Err(Refusal::Active { .. })),
                "{subset}: {refused:?}"
            );
        }
        assert!(broken("<svg>&undeclared;</svg>").contains("&undeclared;"));
        assert!(broken("<svg><a href='&nbsp;'/></svg>").contains("cannot be read"));
    }

    #[test]
    fn files_that_are_not_whole_well_formed_utf8_svg_are_broken() {
        assert!(broken(&format!("{OPEN}<rect/>")).contains("cut short"));
        assert!(broken(&format!("{OPEN}<g><rect/></svg>")).contains("well-formed"));
        assert!(broken("<svg><rect x='1' x='2'/></svg>").contains("well-formed"));
        assert!(broken("<svg><rect x=1/></svg>").contains("well-formed"));
        assert!(broken("<svg/><svg/>").contains("second root"));
        assert!(broken("<html><body/></html>").contains("<html>, not <svg>"));
        let control = broken("<svg>\n<rect\x0conload='x'/></svg>");
        assert!(
            control.contains("control character that XML does not allow, line 2"),
            "{control}"
        );
        assert!(broken("<?xml version='1.0' encoding='UTF-16'?><svg/>").contains("UTF-16"));
        assert!(
            broken("<?xml version='1.0' encoding='iso-2022-jp'?><svg/>").contains("iso-2022-jp")
        );
        assert!(
            matches!(size(b"<svg>\xFF</svg>"), Err(Refusal::Broken(why)) if why.contains("UTF-8"))
        );
        assert!(broken("<svg/>trailing").contains("outside its root"));
        assert!(broken("<!-- nothing -->").contains("no <svg>"));
    }
}
