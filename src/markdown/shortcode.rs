//! Shortcodes: a Markdown line `{{ name(key="value", n=3, flag=true) }}`. A shortcode is a
//! block (a call-to-action is an `<aside>`), so it must be on a line of its own: one written
//! inside other text is an error ([`inline_at`]), and `check` warns about any other text
//! that still looks like template syntax ([`leftovers`]), so that none is published unseen.

use pulldown_cmark::{Event, Parser as Markdown, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Integer(i64),
    Number(f64),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    pub name: String,
    pub args: BTreeMap<String, Value>,
}

/// Whether a trimmed line is meant as a shortcode (and so must parse as one).
pub fn looks_like(line: &str) -> bool {
    line.trim_start().starts_with("{{")
}

/// Where a shortcode, `{{ name(` … `}}`, starts in `text`: a cheap test of the Markdown
/// source before its paragraph is read event by event.
pub fn inline_in(text: &str) -> Option<usize> {
    // Linear: every candidate must open before the last `}}`.
    let close = text.rfind("}}")?;
    let mut from = 0;
    while let Some(found) = text[from..close].find("{{") {
        let at = from + found;
        let rest = text[at + 2..].trim_start();
        let name = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let is_call = rest[name..].trim_start().starts_with('(');
        if name > 0 && is_call && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let paren = text.len() - rest[name..].trim_start().len();
            if paren < close {
                return Some(at);
            }
        }
        from = at + 2;
    }
    None
}

/// Where a shortcode starts among the text of one line of a paragraph, given as the source
/// ranges of its text events (code spans left out): adjacent ranges are read as one text,
/// since smart punctuation splits `id="x"` at its quotes.
pub fn inline_at(markdown: &str, texts: impl IntoIterator<Item = Range<usize>>) -> Option<usize> {
    joined(texts)
        .into_iter()
        .find_map(|run| inline_in(&markdown[run.clone()]).map(|at| run.start + at))
}

fn joined(ranges: impl IntoIterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match runs.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => runs.push(range),
        }
    }
    runs
}

/// Where template syntax starts in `text`: `{{ … }}`, `{% … %}` or `{# … #}`.
fn template_syntax(text: &str) -> Option<usize> {
    [("{{", "}}"), ("{%", "%}"), ("{#", "#}")]
        .iter()
        .filter_map(|(open, close)| {
            let at = text.find(open)?;
            text[at + 2..].contains(close).then_some(at)
        })
        .min()
}

/// The byte offsets in `markdown` of text that looks like shortcode or template syntax and
/// would be published as text: outside code spans and code blocks, and not a paragraph
/// line that starts with `{{` (which is rendered as a shortcode, or is an error).
pub fn leftovers(markdown: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut texts: Vec<Range<usize>> = Vec::new();
    let mut flush = |texts: &mut Vec<Range<usize>>| {
        for run in joined(texts.drain(..)) {
            if let Some(at) = template_syntax(&markdown[run.clone()]) {
                found.push(run.start + at);
            }
        }
    };
    let (mut code, mut paragraph, mut line_start, mut shortcode_line) = (0, false, false, false);
    for (event, range) in Markdown::new_ext(markdown, crate::markdown::options()).into_offset_iter()
    {
        if paragraph && line_start {
            shortcode_line = looks_like(&markdown[range.start..]);
            line_start = false;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code -= 1,
            Event::Start(Tag::Paragraph) => (paragraph, line_start) = (true, true),
            Event::End(TagEnd::Paragraph) => {
                flush(&mut texts);
                (paragraph, shortcode_line) = (false, false);
            }
            Event::SoftBreak | Event::HardBreak => {
                flush(&mut texts);
                line_start = paragraph;
            }
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_)
                if code == 0 && !shortcode_line =>
            {
                texts.push(range)
            }
            _ => flush(&mut texts),
        }
    }
    flush(&mut texts);
    found
}

/// Parses one shortcode line. The error says what is wrong in the author's terms.
pub fn parse(line: &str) -> Result<Shortcode, String> {
    let inner = line
        .trim()
        .strip_prefix("{{")
        .and_then(|s| s.strip_suffix("}}"))
        .ok_or("a shortcode must be written `{{ name(key=\"value\") }}` on a line of its own")?;
    let mut p = Parser {
        s: inner.trim(),
        pos: 0,
    };
    let name = p
        .ident()
        .ok_or("a shortcode must start with its name, e.g. `{{ cta(id=\"talk-to-us\") }}`")?;
    p.skip_ws();
    if !p.eat('(') {
        return Err(format!(
            "`{name}` must be followed by `(`, e.g. `{{{{ {name}() }}}}`"
        ));
    }
    let mut args = BTreeMap::new();
    loop {
        p.skip_ws();
        if p.eat(')') {
            break;
        }
        let key = p
            .ident()
            .ok_or_else(|| format!("expected an argument name or `)` in `{}`", line.trim()))?;
        p.skip_ws();
        if !p.eat('=') {
            return Err(format!("argument `{key}` needs a value: `{key}=\"…\"`"));
        }
        p.skip_ws();
        let value = p.value().map_err(|e| format!("argument `{key}`: {e}"))?;
        if args.insert(key.clone(), value).is_some() {
            return Err(format!("argument `{key}` is given twice"));
        }
        p.skip_ws();
        if p.eat(',') {
            continue;
        }
        if p.eat(')') {
            break;
        }
        return Err(format!(
            "expected `,` or `)` after argument `{key}`: is a bracket or quote missing?"
        ));
    }
    p.skip_ws();
    if !p.rest().is_empty() {
        return Err(format!("unexpected `{}` after the closing `)`", p.rest()));
    }
    Ok(Shortcode { name, args })
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += self.peek().map_or(0, char::len_utf8);
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let ident = rest[..len].to_string();
        self.pos += len;
        Some(ident)
    }
    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(q @ ('“' | '”' | '‘' | '’')) => Err(format!(
                "the text starts with a curly quote {q}: write straight quotes, \"…\""
            )),
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let mut out = String::new();
                let mut chars = self.rest().char_indices();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, e)) => out.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            }),
                            None => break,
                        },
                        c if c == q => {
                            self.pos += i + 1;
                            return Ok(Value::Text(out));
                        }
                        c => out.push(c),
                    }
                }
                Err(format!("the text is never closed with {q}"))
            }
            _ => {
                let rest = self.rest();
                let len = rest.find([',', ')', ' ', '\t']).unwrap_or(rest.len());
                let word = &rest[..len];
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        if let Ok(n) = word.parse::<i64>() {
                            Value::Integer(n)
                        } else if let Ok(n) = word.parse::<f64>().map_err(|_| ()).and_then(|n| {
                            if n.is_finite() {
                                Ok(n)
                            } else {
                                Err(())
                            }
                        }) {
                            Value::Number(n)
                        } else if word.is_empty() {
                            return Err("a value is missing".into());
                        } else {
                            return Err(format!(
                                "`{word}` is not a value: put text in quotes, e.g. \"{word}\""
                            ));
                        }
                    }
                };
                self.pos += len;
                Ok(value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arguments_of_each_kind() {
        let s =
            parse(r#"{{ figure(src="a \"b\".png", width=3, ratio=1.5, wide=true, alt='x, y') }}"#)
                .unwrap();
        assert_eq!(s.name, "figure");
        assert_eq!(s.args["src"], Value::Text("a \"b\".png".into()));
        assert_eq!(s.args["width"], Value::Integer(3));
        assert_eq!(s.args["ratio"], Value::Number(1.5));
        assert_eq!(s.args["wide"], Value::Bool(true));
        assert_eq!(s.args["alt"], Value::Text("x, y".into()));
        assert_eq!(parse("{{cta()}}").unwrap().args.len(), 0);
    }

    #[test]
    fn malformed_shortcodes_explain_themselves() {
        assert!(parse(r#"{{ cta(id="x" }}"#)
            .unwrap_err()
            .contains("bracket"));
        assert!(parse(r#"{{ cta(id="x) }}"#)
            .unwrap_err()
            .contains("never closed"));
        assert!(parse(r#"{{ cta id="x" }}"#).unwrap_err().contains("("));
        assert!(parse(r#"{{ cta(id=x) }}"#).unwrap_err().contains("quotes"));
        assert!(parse(r#"{{ cta(id="a", id="b") }}"#)
            .unwrap_err()
            .contains("twice"));
        assert!(parse(r#"{{ (id="a") }}"#).is_err());
        assert!(parse(r#"{{ cta(id="a") }} extra"#).is_err());
        assert!(parse(r#"{{ cta(id="a"), }}"#).is_err());
    }

    #[test]
    fn shortcodes_inside_text_are_found() {
        assert_eq!(inline_in(r#"Inline {{ cta(id="x") }} here"#), Some(7));
        assert_eq!(inline_in("{{cta()}}"), Some(0));
        assert_eq!(inline_in("{{ page.title }} and {{ 5(x) }}"), None);
        assert_eq!(inline_in("{{ cta( no close"), None);
        let md = r#"a {{ cta(id="x") }} b"#;
        // As smart punctuation splits it: at each quote.
        assert_eq!(
            inline_at(md, [0..12, 12..13, 13..14, 14..15, 15..21]),
            Some(2)
        );
        assert_eq!(inline_at(md, [0..4, 5..21]), None);
    }

    #[test]
    fn leftover_syntax_outside_code_is_found() {
        let md = "Intro.\n\n{{ cta(id=\"a\") }}\n\nSee {{ page.title }} and `{{ code }}`.\n\n```\n{% raw %}{% endraw %}\n```\n\n- {{ cta(id=“x”) }}\n\nText\n{{ cta() }}\nand {% if x %}y{% endif %}.\n\n> {# note #}\n";
        let lines: Vec<usize> = leftovers(md)
            .into_iter()
            .map(|at| crate::diagnostic::line_of(md, at))
            .collect();
        assert_eq!(lines, [5, 11, 15, 17], "{:?}", leftovers(md));
        assert!(leftovers("Plain {text} and }} {{ alone").is_empty());
    }
}
