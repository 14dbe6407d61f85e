//! Build-time syntax highlighting: token spans for known languages, plain code when it is
//! switched off or the language is unknown (and `check` says where), escaping done once,
//! and token colours that keep WCAG AA contrast in the default theme's both schemes.

use crate::support::{repo, Site};
use brief::config::{contrast, Colour};
use brief::markdown::HIGHLIGHT_CLASSES;
use serde_json::Value;

const TODAY: &str = "2026-07-10";
const PAGE: &str = "public/articles/code-samples/index.html";

/// An article with code; the fence of `nosuchlang` is on line 23 of the file.
const ARTICLE: &str = r#"---
title: Code samples
date: 2026-06-20
current_as_at: 2026-06-20
summary: Configuration and code, shown as readers expect.
tags: [basics]
---

Settings live in one file.

```yaml
# where the service listens
port: 8080
name: "a & b"
```

```rust
fn main() { println!("<b>&amp;</b>"); }
```

Something brief has no grammar for:

```nosuchlang
if a < b && c > d { "quoted" }
```

```
plain <tag> & no language
```
"#;

fn site() -> Site {
    let site = Site::fixture("check-clean");
    site.write("content/articles/code-samples.md", ARTICLE);
    site
}

/// The `<pre>` block of `page` whose `<code>` opens with `open`.
#[track_caller]
fn block<'p>(page: &'p str, open: &str) -> &'p str {
    let at = page
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in:\n{page}"));
    let end = at + page[at..].find("</pre>").expect("</pre>");
    &page[at..end]
}

#[test]
fn known_languages_get_token_spans() {
    let site = site();
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read(PAGE);
    let yaml = block(&page, "<code class=\"language-yaml\">");
    assert!(
        yaml.contains("<span class=\"hl-comment\"># where the service listens"),
        "{yaml}"
    );
    assert!(
        yaml.contains("<span class=\"hl-tag\">port</span>: <span class=\"hl-number\">8080"),
        "{yaml}"
    );
    assert!(yaml.contains("class=\"hl-string\""), "{yaml}");
    let rust = block(&page, "<code class=\"language-rust\">");
    assert!(rust.contains("<span class=\"hl-keyword\">fn "), "{rust}");
    assert!(
        rust.contains("<span class=\"hl-function\">main</span>"),
        "{rust}"
    );
    assert!(!page.contains("style=\""), "no inline styles");
    // No language: exactly as before.
    assert!(page.contains("<pre><code>plain &lt;tag&gt; &amp; no language\n</code></pre>"));
}

#[test]
fn html_in_code_is_escaped_exactly_once() {
    let site = site();
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read(PAGE);
    let rust = block(&page, "<code class=\"language-rust\">");
    // The author wrote `"<b>&amp;</b>"`: the reader must see those characters.
    assert!(
        rust.contains("&quot;&lt;b&gt;&amp;amp;&lt;/b&gt;&quot;"),
        "{rust}"
    );
    assert!(!rust.contains("<b>"), "{rust}");
    assert!(!rust.contains("&amp;amp;amp;"), "{rust}");
    let yaml = block(&page, "<code class=\"language-yaml\">");
    assert!(yaml.contains("a &amp; b"), "{yaml}");
}

#[test]
fn switched_off_code_is_plain_as_before() {
    let site = site();
    site.write(
        "site.toml",
        &format!(
            "{}\n[markdown]\nhighlight = false\n",
            site.read("site.toml")
        ),
    );
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read(PAGE);
    assert!(!page.contains("class=\"hl-"), "{page}");
    assert!(page.contains(
        "<pre><code class=\"language-yaml\"># where the service listens\nport: 8080\nname: \"a &amp; b\"\n</code></pre>"
    ), "{page}");
    assert!(page.contains(
        "<pre><code class=\"language-rust\">fn main() { println!(\"&lt;b&gt;&amp;amp;&lt;/b&gt;\"); }\n</code></pre>"
    ), "{page}");
    // Nothing to warn about when nothing is highlighted.
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    assert!(!run.stdout.contains("nosuchlang"), "{}", run.stdout);
}

#[test]
fn an_unknown_language_is_plain_and_check_says_where() {
    let site = site();
    site.brief(&["build", "--today", TODAY]).success();
    let page = site.read(PAGE);
    assert!(
        page.contains("<pre><code class=\"language-nosuchlang\">if a &lt; b &amp;&amp; c &gt; d { \"quoted\" }\n</code></pre>"),
        "{page}"
    );
    let run = site.brief(&["check", "--today", TODAY, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("`nosuchlang`"))
        .collect();
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["file"], "content/articles/code-samples.md");
    assert_eq!(found[0]["line"], 23, "{report:#}");
    assert_eq!(found[0]["severity"], "warning", "{report:#}");
    // Known languages and plain code are not reported.
    assert!(!run.stdout.contains("`yaml`") && !run.stdout.contains("`rust`"));
}

/// `css` without its comments.
fn uncommented(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find("*/")
            .map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The custom properties set in the first rule that starts with `selector`.
fn properties(css: &str, selector: &str) -> Vec<(String, String)> {
    let at = css
        .find(selector)
        .unwrap_or_else(|| panic!("no {selector}"));
    let open = at + css[at..].find('{').unwrap();
    let close = open + css[open..].find('}').unwrap();
    css[open + 1..close]
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| k.starts_with("--"))
        .collect()
}

#[test]
fn token_colours_meet_wcag_aa_on_code_in_both_schemes() {
    let css = uncommented(&std::fs::read_to_string(repo().join("assets/style.css")).unwrap());
    let light = properties(&css, ":root");
    let dark_at = css.find("@media (prefers-color-scheme: dark)").unwrap();
    let dark = properties(&css[dark_at..], ":root");
    for (scheme, props) in [("light", &light), ("dark", &dark)] {
        let get = |name: &str| {
            props
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| Colour::parse(v))
                .unwrap_or_else(|| panic!("{scheme}: no colour {name}"))
        };
        let background = get("--surface");
        for class in HIGHLIGHT_CLASSES {
            let rule = format!(".{class} {{ color: var(--{class});");
            assert!(css.contains(&rule), "style.css has no `{rule}`");
            let ratio = contrast(get(&format!("--{class}")), background);
            assert!(
                ratio >= 4.5,
                "{scheme}: .{class} is {ratio:.2}:1 on the code background, below 4.5:1"
            );
        }
    }
}
