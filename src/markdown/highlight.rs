//! Fenced code coloured at build time: syntect's grammars (loaded once, shared by every
//! render thread) tokenize the code, and each token becomes a `<span class="hl-…">` from a
//! short list of kinds that the theme's CSS colours. No inline styles, no JavaScript.

use crate::html::escape;
use std::sync::LazyLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The grammars bundled with syntect, deserialised on first use only.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Scope prefixes and the class they give, most specific first; the first match on the
/// innermost scope of a token wins. The classes are what the theme's CSS styles.
static KINDS: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
    [
        ("comment", "hl-comment"),
        ("punctuation.definition.comment", "hl-comment"),
        ("string", "hl-string"),
        ("constant.numeric", "hl-number"),
        ("constant.character.escape", "hl-string"),
        ("constant", "hl-constant"),
        ("support.constant", "hl-constant"),
        ("entity.name.tag", "hl-tag"),
        ("entity.other.attribute-name", "hl-attribute"),
        ("entity.name.function", "hl-function"),
        ("support.function", "hl-function"),
        ("variable.function", "hl-function"),
        ("entity.name", "hl-type"),
        ("support.type", "hl-type"),
        ("support.class", "hl-type"),
        ("keyword.operator", "hl-operator"),
        ("keyword", "hl-keyword"),
        ("storage", "hl-keyword"),
        ("variable.parameter", "hl-variable"),
        ("variable.other", "hl-variable"),
    ]
    .into_iter()
    .filter_map(|(s, class)| Scope::new(s).ok().map(|s| (s, class)))
    .collect()
});

/// The every-class list the theme must colour (for the CSS contrast test).
pub const CLASSES: &[&str] = &[
    "hl-comment",
    "hl-string",
    "hl-number",
    "hl-constant",
    "hl-tag",
    "hl-attribute",
    "hl-function",
    "hl-type",
    "hl-operator",
    "hl-keyword",
    "hl-variable",
];

/// What brief does with a fence's language.
pub enum Language {
    /// Highlight with this grammar.
    Known(&'static SyntaxReference),
    /// Known to be plain on purpose (`text`, or a language brief has no grammar for but
    /// that is not a mistake, such as `toml`): no colour and no warning.
    Plain,
    /// Not a language brief knows: plain, and `check` says so.
    Unknown,
}

/// The language of a fence's info string (`rust`, `rust,ignore`, `yaml title="x"`).
pub fn language(info: &str) -> Option<&str> {
    info.split([' ', '\t', ',', '{'])
        .next()
        .filter(|l| !l.is_empty())
}

/// The grammar for a fence language, by name or file extension, with common aliases.
pub fn lookup(lang: &str) -> Language {
    let lower = lang.to_ascii_lowercase();
    let token = match lower.as_str() {
        "text" | "plain" | "plaintext" | "txt" | "none" | "output" => return Language::Plain,
        // No grammar among syntect's defaults, but well-known languages: no warning.
        "toml" | "ini" | "dockerfile" | "docker" | "nginx" | "http" | "csv" => {
            return Language::Plain
        }
        "shell" | "console" | "shellsession" | "zsh" | "env" | "dotenv" => "bash",
        "ts" | "typescript" | "tsx" | "jsx" | "mjs" | "cjs" => "js",
        "yml" => "yaml",
        "golang" => "go",
        "c++" => "cpp",
        "patch" => "diff",
        other => other,
    };
    match SYNTAXES.find_syntax_by_token(token) {
        Some(s) if s.name != "Plain Text" => Language::Known(s),
        Some(_) => Language::Plain,
        None => Language::Unknown,
    }
}

/// `code` as `<pre><code class="language-LANG">` with token spans, or `None` if the
/// grammar fails on it (the caller then renders it plain). Never panics on any input.
pub fn highlight(code: &str, lang: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2 + 64);
    html.push_str("<pre><code class=\"language-");
    html.push_str(&escape(lang));
    html.push_str("\">");
    let mut run = Run::default();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (i, op) in ops {
            // Offsets are byte offsets into the line; guard them all the same.
            let i = i.min(line.len());
            if i > at && line.is_char_boundary(i) && line.is_char_boundary(at) {
                run.add(&mut html, &line[at..i], kind(&stack));
                at = i;
            }
            stack.apply(&op).ok()?;
        }
        if at < line.len() && line.is_char_boundary(at) {
            run.add(&mut html, &line[at..], kind(&stack));
        }
    }
    run.flush(&mut html);
    html.push_str("</code></pre>\n");
    Some(html)
}

/// The class of a token whose scopes are `stack`, innermost first; `None` for plain text.
fn kind(stack: &ScopeStack) -> Option<&'static str> {
    stack.as_slice().iter().rev().find_map(|scope| {
        KINDS
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, class)| *class)
    })
}

/// Adjacent tokens of one kind share a span: fewer bytes, same colours.
#[derive(Default)]
struct Run {
    class: Option<&'static str>,
    text: String,
}

impl Run {
    fn add(&mut self, html: &mut String, text: &str, class: Option<&'static str>) {
        // Whitespace takes whatever colour is current, so it never splits a span.
        if class != self.class && !text.trim().is_empty() {
            self.flush(html);
            self.class = class;
        }
        self.text.push_str(text);
    }

    fn flush(&mut self, html: &mut String) {
        if self.text.is_empty() {
            return;
        }
        let text = escape(&self.text);
        match self.class {
            Some(class) => {
                html.push_str("<span class=\"");
                html.push_str(class);
                html.push_str("\">");
                html.push_str(&text);
                html.push_str("</span>");
            }
            None => html.push_str(&text),
        }
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(lang: &str) -> &'static SyntaxReference {
        match lookup(lang) {
            Language::Known(s) => s,
            _ => panic!("{lang} has no grammar"),
        }
    }

    #[test]
    fn aliases_find_their_grammar() {
        for lang in [
            "sh", "bash", "shell", "console", "js", "ts", "yaml", "yml", "json", "rust", "RUST",
            "python", "py", "html", "css", "sql", "env",
        ] {
            known(lang);
        }
        for lang in ["text", "plain", "toml", "txt"] {
            assert!(matches!(lookup(lang), Language::Plain), "{lang}");
        }
        assert!(matches!(lookup("nosuchlang"), Language::Unknown));
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language("yaml title=\"x\""), Some("yaml"));
        assert_eq!(language(""), None);
    }

    #[test]
    fn tokens_become_classed_spans_and_text_is_escaped_once() {
        let html = highlight(
            "// a & b\nfn main() { let s = \"<b>\"; }\n",
            "rust",
            known("rust"),
        )
        .unwrap();
        assert!(
            html.starts_with("<pre><code class=\"language-rust\">"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-comment\">// a &amp; b"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-keyword\">fn </span>"),
            "{html}"
        );
        assert!(
            html.contains("&quot;&lt;b&gt;&quot;") || html.contains("\"&lt;b&gt;\""),
            "{html}"
        );
        assert!(!html.contains("&amp;lt;"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
