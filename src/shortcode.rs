//! Shortcodes: a Markdown line `{{ name(key="value", n=3, flag=true) }}`.

use serde::Serialize;
use std::collections::BTreeMap;

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
}
