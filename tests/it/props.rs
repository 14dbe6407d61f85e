//! Property tests: for any input, the front-matter splitter, the shortcode scanner, the
//! Markdown renderer and the whole render of one article return a result or an error and
//! never panic; and text that comes from front matter or site.toml reaches the page
//! escaped, or `\u003c`-escaped inside the JSON-LD script.

use brief::config::Config;
use brief::core::paths::Address;
use brief::diagnostic::Diagnostic;
use brief::frontmatter::{self, Defaults, Kind};
use brief::markdown;
use brief::markdown::shortcode;
use brief::site::{Options, Sink, Site};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

fn config() -> Config {
    Config::parse(
        "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='UTC'\n[cta.talk]\ntitle='t'\nbody='b'\nbutton='x'\nhref='/'\n",
    )
    .unwrap()
}

/// Text made mostly of the characters that matter to each parser.
fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("---".to_string()),
        Just("+++".to_string()),
        Just("title = ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("title: ".to_string()),
        Just("date: 2026-07-05".to_string()),
        Just("\t".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("```".to_string()),
        Just("[a](/b/)".to_string()),
        Just("<b>".to_string()),
        "[(),=\"'\\\\ a-z0-9:#*_<>&|`~!\\[\\]{}]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn split_never_panics_and_its_parts_come_from_the_text(text in tricky_text(24)) {
        if let Ok(split) = frontmatter::split(&text) {
            prop_assert!(text.ends_with(split.body));
            prop_assert!(text.contains(split.front));
            prop_assert!(split.body_line > split.front_line);
            let kinds = [Kind::Article, Kind::Page];
            for kind in kinds {
                if let Err(all) = frontmatter::parse(&split, kind, &config(), chrono::NaiveDate::MAX, &Defaults::default()) {
                    let lines = text.lines().count().max(1);
                    prop_assert!(!all.is_empty());
                    for e in all {
                        prop_assert!(e.line.is_some_and(|l| l >= 1 && l <= lines), "{e} in {lines} lines");
                    }
                }
            }
        }
    }

    #[test]
    fn shortcode_parse_never_panics(line in tricky_text(16)) {
        let _ = shortcode::parse(&line);
        let _ = shortcode::looks_like(&line);
    }

    #[test]
    fn shortcodes_round_trip(
        name in "[a-z_][a-z0-9_-]{0,10}",
        text in any::<String>(),
        n in any::<i64>(),
        flag in any::<bool>(),
    ) {
        let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
        let line = format!("{{{{ {name}(text=\"{quoted}\", n={n}, flag={flag}) }}}}");
        let code = shortcode::parse(&line).unwrap();
        prop_assert_eq!(code.name, name);
        prop_assert_eq!(&code.args["text"], &shortcode::Value::Text(text));
        prop_assert_eq!(&code.args["n"], &shortcode::Value::Integer(n));
        prop_assert_eq!(&code.args["flag"], &shortcode::Value::Bool(flag));
    }

    #[test]
    fn markdown_render_never_panics(text in tricky_text(40), first_line in 1usize..50) {
        let shortcode = |code: &shortcode::Shortcode| -> brief::diagnostic::Result<String> {
            if code.name == "cta" {
                Ok("<aside>CTA</aside>".into())
            } else {
                Err(Diagnostic::error("unknown shortcode"))
            }
        };
        let cx = markdown::Context { base_path: "/advice/", first_line, shortcode: &shortcode, page: None, highlight: true, images: None, variants: true };
        match markdown::render(&text, &cx) {
            Ok(r) => {
                for link in &r.links {
                    prop_assert!(link.line >= first_line);
                }
            }
            Err(e) => {
                let last = first_line + text.lines().count();
                prop_assert!(e.line.is_some_and(|l| l >= first_line && l <= last), "{e}");
            }
        }
    }
}

/// Code of every sort the grammars meet: quotes, comments, markup, escapes, odd Unicode.
fn code_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("`".to_string()),
        Just("/*".to_string()),
        Just("*/".to_string()),
        Just("//".to_string()),
        Just("#".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("&".to_string()),
        Just("\\".to_string()),
        Just("${".to_string()),
        Just("r#\"".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("- ".to_string()),
        Just(": ".to_string()),
        Just("fn ".to_string()),
        Just("<<EOF".to_string()),
        Just("\u{feff}é😀".to_string()),
        "[a-z0-9 ]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

/// Tags taken out and the five escapes undone: the text a reader sees.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Highlighting never panics, shows the same text as plain rendering, and leaves every
    /// fact the rest of brief reads (words, summary, headings, links) as it was.
    #[test]
    fn highlighting_changes_colours_only(
        code in code_text(),
        lang in prop_oneof![
            Just("rust"), Just("yaml"), Just("sh"), Just("js"), Just("html"), Just("python"),
            Just("json"), Just("sql"), Just("css"), Just("nosuchlang"), Just("text"),
        ],
    ) {
        let fence = "~".repeat(12);
        let text = format!("Intro [a](/x/) words.\n\n## Head\n\n{fence}{lang}\n{code}\n{fence}\n\nAfter.\n");
        let shortcode = |_: &shortcode::Shortcode| -> brief::diagnostic::Result<String> {
            Err(Diagnostic::error("no shortcodes"))
        };
        let render = |highlight| {
            let cx = markdown::Context { base_path: "/", first_line: 1, shortcode: &shortcode, page: None, highlight, images: None, variants: true };
            markdown::render(&text, &cx)
        };
        let (on, off) = (render(true), render(false));
        let (Ok(on), Ok(off)) = (on, off) else {
            return Err(TestCaseError::fail("a code block made the render fail"));
        };
        prop_assert_eq!(on.word_count, off.word_count);
        prop_assert_eq!(&on.first_paragraph, &off.first_paragraph);
        prop_assert_eq!(&on.headings, &off.headings);
        prop_assert_eq!(&on.links, &off.links);
        prop_assert_eq!(on.opaque, off.opaque);
        prop_assert_eq!(visible_text(&on.html), visible_text(&off.html));
        prop_assert_eq!(on.unknown_languages.len(), usize::from(lang == "nosuchlang"));
    }
}

/// Where a test render's files go: memory.
#[derive(Default)]
struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Memory {
    fn write(&self, path: &Address, bytes: Vec<u8>) -> brief::diagnostic::Result<()> {
        self.0.lock().unwrap().insert(path.to_string(), bytes);
        Ok(())
    }
    fn copy(&self, path: &Address, _source: &Path) -> brief::diagnostic::Result<()> {
        self.0.lock().unwrap().insert(path.to_string(), Vec::new());
        Ok(())
    }
}

/// Text for a front matter or site.toml value: printable, with markup characters, and
/// between markers no template contains, so that finding it is never a chance match.
fn field() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 <>&\"'/\\\\=;:.,!?()é–“”{}%#]{0,24}".prop_map(|s| format!("Mk·{s}·kM"))
}

/// The page with its JSON-LD script cut out, and the script's text.
fn cut_json_ld(page: &str) -> (String, String) {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("the article page has JSON-LD") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    (
        format!("{}{}", &page[..start], &page[end..]),
        page[start..end].to_string(),
    )
}

fn escaped(text: &str) -> String {
    brief::html::escape(text).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_and_config_text_is_escaped_on_the_article_page(
        title in field(),
        summary in field(),
        tags in prop::collection::vec(field(), 0..4),
        author in field(),
        site_title in field(),
        description in field(),
        cta_title in field(),
        menu_label in field(),
        logo_alt in field(),
        body in "[a-zA-Z0-9 .,*_#\n\\[\\]()/-]{0,200}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::support::copy_dir(&crate::support::repo().join("templates"), &root.join("templates"));
        let json = |s: &str| serde_json::to_string(s).unwrap();
        std::fs::write(
            root.join("site.toml"),
            format!(
                "title = {}\ndescription = {}\nauthor = {}\nbase_url = \"https://example.com/advice/\"\ndefault_cta = \"talk\"\n\
                 [[menu]]\nlabel = {}\nurl = \"/\"\n\
                 [theme]\nlogo = \"assets/logo.svg\"\nlogo_alt = {}\n\
                 [dates]\ntimezone = \"Australia/Sydney\"\n\
                 [cta.talk]\ntitle = {}\nbody = \"Talk to us.\"\nbutton = \"Talk\"\nhref = \"/contact/\"\n",
                json(&site_title), json(&description), json(&author), json(&menu_label), json(&logo_alt), json(&cta_title)
            ),
        ).unwrap();
        let tag_list: Vec<String> = tags.iter().map(|t| json(t)).collect();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        std::fs::write(
            root.join("content/articles/a.md"),
            format!(
                "---\ntitle: {}\nsummary: {}\nauthor: {}\ntags: [{}]\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n---\n{body}\n",
                json(&title), json(&summary), json(&author), tag_list.join(", ")
            ),
        ).unwrap();

        let options = Options {
            today: NaiveDate::from_ymd_opt(2026, 11, 24),
            ..Options::default()
        };
        let site = Site::load(root, options);
        let site = match site {
            Ok(site) => site,
            Err(errors) => {
                // Errors are fine when they name a file; panics are not.
                prop_assert!(errors.iter().all(|e| e.file.is_some()), "{errors:?}");
                return Ok(());
            }
        };
        let sink = Memory::default();
        if let Err(errors) = site.render(&sink) {
            prop_assert!(errors.iter().all(|e| e.file.is_some()), "{errors:?}");
            return Ok(());
        }
        let files = sink.0.into_inner().unwrap();
        let page = String::from_utf8(files["articles/a/index.html"].clone()).unwrap();
        let (html, json_ld) = cut_json_ld(&page);

        prop_assert!(html.contains(&format!("<h1>{}</h1>", escaped(&title))), "{html}");
        prop_assert!(html.contains(&format!(">{}</a></li>", escaped(&menu_label))), "{html}");
        prop_assert!(html.contains(&format!("alt=\"{}\"", escaped(&logo_alt))), "{html}");
        for value in [&title, &summary, &author, &site_title, &description, &cta_title, &menu_label, &logo_alt]
            .into_iter()
            .chain(&tags)
        {
            // The escaped form of a value with any of these has none of them, so the
            // value as written can only be on the page if it went out unescaped.
            if value.contains(['<', '>', '"', '\'']) {
                prop_assert!(!html.contains(value.as_str()), "{value:?} unescaped in\n{html}");
            }
        }
        prop_assert!(!json_ld.contains(['<', '>', '&']), "{json_ld}");
        let data: serde_json::Value = serde_json::from_str(&json_ld).unwrap();
        prop_assert_eq!(data["name"].as_str(), Some(title.as_str()));
        prop_assert_eq!(data["mainEntity"]["headline"].as_str(), Some(title.as_str()));
        prop_assert_eq!(data["mainEntity"]["description"].as_str(), Some(summary.as_str()));
    }
}

/// Bytes made mostly of what the secret detector looks for, in any encoding.
fn secretish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"-----BEGIN RSA PRIVATE KEY-----".to_vec()),
        Just(b"-----BEGIN ".to_vec()),
        Just(b"openssh-key-v1\0".to_vec()),
        Just(b"api_key".to_vec()),
        Just(b"GITHUB_TOKEN".to_vec()),
        Just(b"password".to_vec()),
        Just(b"ghp_".to_vec()),
        Just(b"AKIA".to_vec()),
        Just(b"xoxb-".to_vec()),
        Just(b"not-a-secret".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\xfe\xff".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"\xd8\x3d".to_vec()),
        Just(vec![0]),
        "[=:\"' \n\r\\\\a-zA-Z0-9_-]{0,24}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..16),
    ];
    prop::collection::vec(pieces, 0..32).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_secret_detector_never_panics_and_reads_in_any_chunks(
        bytes in prop_oneof![secretish_bytes(), prop::collection::vec(any::<u8>(), 0..512)],
        chunk in 1usize..64,
    ) {
        let whole = brief::secrets::find(&bytes);
        let streamed = brief::secrets::find_in(&bytes[..], chunk).unwrap();
        prop_assert_eq!(&whole, &streamed);
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        for found in &whole {
            // Lines are counted in the decoded text, which has no more newlines than bytes 10.
            prop_assert!(found.line >= 1 && found.line <= lines, "{found:?} in {lines} lines");
        }
    }
}

/// Bytes as a file's text would reach a parser: valid UTF-8 kept, the rest replaced.
fn bytes_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..max)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// site.toml-like text: keys, tables, strings and the values that need checking.
fn toml_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("title = \"T\"\n".to_string()),
        Just("base_url = \"https://e.com/\"\n".to_string()),
        Just("[dates]\ntimezone = \"UTC\"\n".to_string()),
        Just("format = \"".to_string()),
        Just("\"\n".to_string()),
        Just("%".to_string()),
        Just("[cta.a]\ntitle='t'\nbody='b'\nbutton='x'\nhref='/'\n".to_string()),
        Just("default_cta = \"a\"\n".to_string()),
        Just("[extra]\n".to_string()),
        Just("[[menu]]\nlabel = 'a'\nurl = '".to_string()),
        Just("[theme]\n".to_string()),
        Just("accent = \"#".to_string()),
        Just("accent_dark_tint = \"#".to_string()),
        Just("logo = \"assets/".to_string()),
        Just("footer = \"".to_string()),
        "[a-zA-Z%:.+#_\\-0-9 ]{0,6}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..16).prop_map(|v| v.concat())
}

/// Template-like text: Tera's tags (Tera 1's macros too), names of the other templates,
/// components, brackets, escaped quotes.
fn template_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{% extends \"base.html\" %}".to_string()),
        Just("{% extends \"x.html\" %}".to_string()),
        Just("{% include \"x.html\" %}".to_string()),
        Just("{% import \"x.html\" as m %}".to_string()),
        Just("{% macro a(n) %}".to_string()),
        Just("{% endmacro a %}".to_string()),
        Just("{{ m::a(n=1) }}".to_string()),
        Just("{{ self::a(n=1) }}".to_string()),
        Just("{% component Card(n) %}".to_string()),
        Just("{% endcomponent Card %}".to_string()),
        Just("{{ <Card n=1 /> }}".to_string()),
        Just("{% <Card n={1}> %}".to_string()),
        Just("{% </Card> %}".to_string()),
        Just("{{ a[0] | truncate(length=\"x\") }}".to_string()),
        Just("{{ \"\\\" }}\" }}".to_string()),
        Just("{% block main %}".to_string()),
        Just("{% endblock %}".to_string()),
        Just("{% if x %}".to_string()),
        Just("{% endif %}".to_string()),
        Just("{% for i in [1, 2] %}".to_string()),
        Just("{% endfor %}".to_string()),
        Just("{{ site.title }}".to_string()),
        Just("{% raw %}".to_string()),
        Just("{% endraw %}".to_string()),
        "[{}%#()\\[\\]\"' a-z|~+]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_and_yaml_never_panic_on_any_bytes(text in bytes_text(400)) {
        for candidate in [text.clone(), format!("---\n{text}\n---\nbody\n"), format!("+++\n{text}\n+++\nbody\n")] {
            if let Ok(split) = frontmatter::split(&candidate) {
                for kind in [Kind::Article, Kind::Page] {
                    let lines = candidate.lines().count().max(1);
                    match frontmatter::parse(&split, kind, &config(), chrono::NaiveDate::MAX, &Defaults::default()) {
                        Err(all) => for e in all {
                            prop_assert!(e.line.is_some_and(|l| l >= 1 && l <= lines), "{e}");
                        },
                        // Every field's line is a line of the front matter.
                        Ok(front) => for key in ["title", "slug", "tags", "cta"] {
                            prop_assert!(front.lines.of(key).is_none_or(|l| l >= 1 && l < split.body_line), "{key}");
                        },
                    }
                }
            }
        }
    }

    #[test]
    fn site_toml_never_panics_and_its_date_format_always_formats(
        text in prop_oneof![toml_text(), bytes_text(300)],
    ) {
        if let Ok(config) = Config::parse(&text) {
            for date in [NaiveDate::MIN, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(), NaiveDate::MAX] {
                let _ = config.display_date(&config.lang, date);
            }
        }
    }

    #[test]
    fn any_date_format_is_refused_or_formats(format in "[%a-zA-Z0-9:.+#_\\- ]{0,8}") {
        let text = format!(
            "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='UTC'\nformat = {}\n",
            serde_json::to_string(&format).unwrap()
        );
        match Config::parse(&text) {
            Ok(config) => {
                let _ = config.display_date(&config.lang, NaiveDate::from_ymd_opt(2026, 7, 5).unwrap());
            }
            Err(e) => prop_assert_eq!(e.line, Some(5), "{}", e),
        }
    }

    #[test]
    fn shortcode_parse_never_panics_on_any_bytes(line in bytes_text(200)) {
        let _ = shortcode::parse(&line);
        let _ = shortcode::looks_like(&line);
    }
}

/// A copy of the basic fixture with `file` replaced by `bytes`, loaded and rendered in
/// memory: every outcome is a render or errors that each name a file.
fn build_with(file: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&crate::support::sites().join("basic"), dir.path());
    let path = dir.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let options = Options {
        today: NaiveDate::from_ymd_opt(2026, 11, 24),
        ..Options::default()
    };
    let errors = match Site::load(dir.path(), options) {
        Ok(site) => match site.render(&Memory::default()) {
            Ok(_) => return Ok(()),
            Err(errors) => errors,
        },
        Err(errors) => errors,
    };
    prop_assert!(!errors.is_empty());
    prop_assert!(errors.iter().all(|e| e.file.is_some()), "{errors:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_build_never_panics_whatever_an_article_holds(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..600),
            tricky_text(40).prop_map(|t| format!("---\ntitle: T\ndate: 2026-03-01\ncurrent_as_at: 2026-03-01\n---\n{t}").into_bytes()),
        ],
    ) {
        build_with("content/articles/any.md", &bytes)?;
    }

    #[test]
    fn a_build_never_panics_whatever_site_toml_holds(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400),
            toml_text().prop_map(String::into_bytes),
        ],
    ) {
        build_with("site.toml", &bytes)?;
    }

    #[test]
    fn a_build_never_panics_or_overflows_whatever_a_template_holds(
        text in template_text(),
        which in prop_oneof![
            Just("templates/base.html"),
            Just("templates/404.html"),
            Just("templates/x.html"),
            Just("templates/shortcodes/note.html"),
            Just("templates/partials/cta.html"),
        ],
    ) {
        build_with(which, text.as_bytes())?;
    }
}

/// A Memory sink that also notes any path written twice.
#[derive(Default)]
struct Counted {
    files: Mutex<BTreeMap<String, usize>>,
}

impl Sink for Counted {
    fn write(&self, path: &Address, _bytes: Vec<u8>) -> brief::diagnostic::Result<()> {
        *self
            .files
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_default() += 1;
        Ok(())
    }
    fn copy(&self, path: &Address, _source: &Path) -> brief::diagnostic::Result<()> {
        self.write(path, Vec::new())
    }
}

/// A folder or file name of the kind that collides with brief's own addresses, with other
/// folders by case or Unicode form, or that cannot be part of a URL.
fn tree_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("guides".to_string()),
        Just("Guides".to_string()),
        Just("tags".to_string()),
        Just("page".to_string()),
        Just("feed.xml".to_string()),
        Just("changes.xml".to_string()),
        Just("sitemap.xml".to_string()),
        Just("404.html".to_string()),
        Just("articles".to_string()),
        Just("assets".to_string()),
        Just("index.html".to_string()),
        Just("a b".to_string()),
        Just("100%".to_string()),
        Just("faq#1".to_string()),
        Just("caf\u{e9}".to_string()),
        Just("cafe\u{301}".to_string()),
        "[a-z]{1,3}",
    ]
}

/// What one generated entry of `content/` is.
#[derive(Debug, Clone)]
enum Entry {
    Article,
    Index,
    /// A page bundle holding a file of this name.
    Bundle(String),
}

fn tree() -> impl Strategy<Value = Vec<(Vec<String>, Entry)>> {
    let entry = prop_oneof![
        Just(Entry::Article),
        Just(Entry::Index),
        tree_name().prop_map(Entry::Bundle),
    ];
    prop::collection::vec((prop::collection::vec(tree_name(), 1..4), entry), 1..7)
}

/// A URL path that needs no escaping: what brief's own addresses must be.
fn plain_address(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_tree_of_sections_and_bundles_publishes_each_address_once_or_says_why(entries in tree()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("site.toml"),
            "title = \"T\"\nbase_url = \"https://example.com/\"\n[dates]\ntimezone = \"UTC\"\n",
        ).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let article = |title: &str| format!("---\ntitle: {title}\ndate: 2026-07-05\ncurrent_as_at: 2026-07-05\n---\nText.\n");
        for (n, (folders, entry)) in entries.iter().enumerate() {
            let folder = folders.iter().fold(root.join("content"), |p, f| p.join(f));
            // A name already taken by a file of another entry is left as it is.
            if std::fs::create_dir_all(&folder).is_err() {
                continue;
            }
            let written = match entry {
                Entry::Article => std::fs::write(folder.join(format!("a{n}.md")), article("A")),
                Entry::Index => std::fs::write(folder.join("_index.md"), "---\ntitle: S\n---\nIntro.\n"),
                Entry::Bundle(file) => std::fs::write(folder.join("index.md"), article("B"))
                    .and_then(|()| std::fs::write(folder.join(file), "data")),
            };
            let _ = written;
        }
        let options = |serve: bool| Options {
            today: NaiveDate::from_ymd_opt(2026, 11, 24),
            serve,
            ..Options::default()
        };
        let built = Site::load(root, options(false));
        let served = Site::load(root, options(true));
        let site = match (built, served) {
            (Ok(site), Ok(served)) => {
                // serve offers exactly the addresses build publishes.
                let addresses = |s: &Site| {
                    let mut all: Vec<String> = s.plan().outputs.into_iter().map(|o| o.file.to_string()).collect();
                    all.extend(s.assets.iter().map(|(path, _)| path.to_string()));
                    all.sort();
                    all
                };
                prop_assert_eq!(addresses(&site), addresses(&served));
                site
            }
            (Err(a), Err(b)) => {
                let messages = |all: &[Diagnostic]| all.iter().map(|e| e.to_string()).collect::<Vec<_>>();
                prop_assert_eq!(messages(&a), messages(&b));
                prop_assert!(a.iter().all(|e| e.file.is_some()), "{a:?}");
                return Ok(());
            }
            (a, b) => {
                prop_assert!(false, "build and serve disagree: {:?} / {:?}", a.err(), b.err());
                unreachable!()
            }
        };
        let sink = Counted::default();
        if let Err(errors) = site.render(&sink) {
            prop_assert!(errors.iter().all(|e| e.file.is_some()), "{errors:?}");
            return Ok(());
        }
        let files = sink.files.into_inner().unwrap();
        for (path, times) in &files {
            prop_assert_eq!(*times, 1, "{} written {} times", path, times);
        }
        // Every address brief makes itself (pages, lists, feeds) is a plain URL path; a
        // bundle's or an asset's file keeps its own name.
        for output in site.plan().outputs {
            prop_assert!(plain_address(output.file.as_str()), "{}", output.file);
            prop_assert!(files.contains_key(output.file.as_str()), "{} not written", output.file);
        }
        // No name is a folder of another.
        for path in files.keys() {
            for (at, _) in path.match_indices('/') {
                prop_assert!(!files.contains_key(&path[..at]), "{} is a file and a folder", &path[..at]);
            }
        }
    }
}
