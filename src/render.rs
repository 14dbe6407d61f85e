//! Templates: Tera set up once per build, the values each page type is given, and the
//! calls-to-action rendered once and reused on every page. Pure: values in, HTML out.

use crate::config::{CallToAction, Config};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown::{self, Heading};
use crate::shortcode::Shortcode;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tera::{Context, Tera};

mod limits;

pub const DIR: &str = "templates";

/// The templates every site must have.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "article.html",
    "page.html",
    "index.html",
    "tag.html",
    "tags.html",
    "404.html",
    "partials/cta.html",
];

const CTA_PARTIAL: &str = "partials/cta.html";

/// A call-to-action as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CtaView {
    pub id: String,
    pub title: String,
    /// HTML.
    pub body: String,
    pub button: String,
    pub href: String,
}

pub struct Templates {
    tera: Tera,
    site: serde_json::Value,
    shortcodes: BTreeSet<String>,
    /// Each CTA with `partials/cta.html` rendered for it, once per build.
    ctas: BTreeMap<String, (CtaView, String)>,
    serve: bool,
    /// Template texts by name, to find the line of an error Tera gives none for (and, in
    /// `check`, the template that wrote a broken link).
    sources: BTreeMap<String, String>,
}

/// The `site` object every template gets.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    lang: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    extra: &'a serde_json::Value,
    year: i32,
}

impl Templates {
    /// Reads and parses every template under `ROOT/templates`, then renders each CTA.
    pub fn load(root: &Path, config: &Config, year: i32, serve: bool) -> Result<Templates> {
        let dir = root.join(DIR);
        let mut sources = Vec::new();
        if !dir.is_dir() {
            return Err(Diagnostic::error("the site has no templates folder")
                .in_file(DIR)
                .with_hint(format!("create {DIR}/ with {}", REQUIRED.join(", "))));
        }
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| crate::content::walk_error(root, e))?;
            crate::content::refuse_outside_link(root, &entry)?;
            if entry.file_type().is_dir() || crate::content::is_hidden(entry.path(), &dir) {
                continue;
            }
            if let Some(kind) = crate::content::special_kind(entry.file_type()) {
                let file = crate::content::relative(root, entry.path());
                return Err(crate::content::not_regular(&file, kind));
            }
            let name = entry
                .path()
                .strip_prefix(&dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !name.ends_with(".html") && !name.ends_with(".xml") && !name.ends_with(".txt") {
                continue;
            }
            let text = crate::content::read_text(root, entry.path())?;
            sources.push((name, text));
        }
        for required in REQUIRED {
            if !sources.iter().any(|(name, _)| name == required) {
                return Err(Diagnostic::error(format!("the template {DIR}/{required} is missing"))
                    .in_file(format!("{DIR}/{required}"))
                    .with_hint("create it; templates/README.md in brief's repository describes what each template is given"));
            }
        }
        let shortcodes = sources
            .iter()
            .filter_map(|(name, _)| name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();

        // Parsed here rather than by `add_raw_templates`, so that loops and deep nesting are
        // refused before Tera follows them.
        let mut parsed = std::collections::HashMap::with_capacity(sources.len());
        for (name, text) in &sources {
            limits::check_nesting(name, text)?;
            let template = tera::Template::new(name, None, text).map_err(|e| {
                tera_error(
                    tera::Error::chain(format!("Failed to parse '{name}'"), e),
                    None,
                )
            })?;
            parsed.insert(name.clone(), template);
        }
        let sources: BTreeMap<String, String> = sources.into_iter().collect();
        limits::check(&parsed, &sources)?;
        let mut tera = Tera::default();
        // Tera's own escaper also escapes `/`, which makes every URL in a page unreadable.
        tera.set_escape_fn(escape_for_tera);
        tera.templates = parsed;
        tera.build_inheritance_chains()
            .and_then(|()| tera.check_macro_files())
            .map_err(|e| tera_error(e, None))?;

        let site = serde_json::to_value(SiteView {
            title: &config.title,
            description: &config.description,
            author: &config.author,
            lang: &config.lang,
            base_url: &config.base_url,
            base_path: &config.base_path,
            extra: &config.extra,
            year,
        })
        .map_err(|e| Diagnostic::error(format!("cannot prepare site values: {e}")))?;

        let mut templates = Templates {
            tera,
            site,
            shortcodes,
            ctas: BTreeMap::new(),
            serve,
            sources,
        };
        for (id, cta) in &config.ctas {
            let view = cta_view(id, cta, config).map_err(|d| d.or_in_file(crate::config::FILE))?;
            let mut cx = templates.context("");
            cx.insert("cta", &view);
            let html = templates.render(CTA_PARTIAL, &cx, None)?;
            templates.ctas.insert(id.clone(), (view, html));
        }
        Ok(templates)
    }

    /// A context holding `site`, `serve`, `page_url` and `canonical`.
    pub fn context(&self, path: &str) -> Context {
        let mut cx = Context::new();
        cx.insert("site", &self.site);
        cx.insert("serve", &self.serve);
        let base_path = self.site["base_path"].as_str().unwrap_or("/");
        let base_url = self.site["base_url"].as_str().unwrap_or("/");
        cx.insert("page_url", &format!("{base_path}{path}"));
        cx.insert("canonical", &format!("{base_url}{path}"));
        cx
    }

    /// Renders `template`; errors name the template and, if given, the content file.
    pub fn render(&self, template: &str, cx: &Context, for_file: Option<&Path>) -> Result<String> {
        // Markdown passes control characters through; XML forbids them and HTML calls them
        // parse errors.
        self.tera
            .render(template, cx)
            .map(crate::html::markup_safe)
            .map_err(|e| self.locate_variable(tera_error(e, for_file)))
    }

    /// Tera names an undefined variable but not where it is used: the first line that
    /// mentions it, in the template named in the error and then in any other.
    fn locate_variable(&self, mut d: Diagnostic) -> Diagnostic {
        let Some(variable) = d
            .message
            .split("Variable `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
        else {
            return d;
        };
        let named = d
            .file
            .as_ref()
            .and_then(|f| f.strip_prefix(DIR).ok())
            .map(|f| f.to_string_lossy().replace('\\', "/"));
        let candidates = named.iter().chain(self.sources.keys());
        for name in candidates {
            let Some(text) = self.sources.get(name) else {
                continue;
            };
            if let Some(i) = text.lines().position(|l| mentions(l, variable)) {
                d.file = Some(Path::new(DIR).join(name));
                d.line = Some(i + 1);
                break;
            }
        }
        d
    }

    pub fn cta(&self, id: &str) -> Option<&(CtaView, String)> {
        self.ctas.get(id)
    }

    /// Every template's text by name (`partials/cta.html`), as loaded: what `check` searches
    /// to say which template wrote a link, without reading the folder again.
    pub fn sources(&self) -> &BTreeMap<String, String> {
        &self.sources
    }

    /// Renders a shortcode line: `cta` places a call-to-action, any other name renders
    /// `templates/shortcodes/NAME.html` with the arguments.
    pub fn shortcode(&self, code: &Shortcode, config: &Config) -> Result<String> {
        if code.name == "cta" {
            let id = match code.args.get("id") {
                Some(crate::shortcode::Value::Text(id)) => id.as_str(),
                _ => {
                    return Err(
                        Diagnostic::error("the cta shortcode needs an id").with_hint(format!(
                            "write {{{{ cta(id=\"…\") }}}}; {}",
                            crate::config::known_ctas_hint(&config.ctas)
                        )),
                    )
                }
            };
            if let Some(extra) = code.args.keys().find(|k| *k != "id") {
                return Err(Diagnostic::error(format!(
                    "the cta shortcode takes only `id`, not `{extra}`"
                ))
                .with_hint("the wording of a call-to-action lives in site.toml"));
            }
            return match self.ctas.get(id) {
                Some((_, html)) => Ok(html.clone()),
                None => {
                    let hint = match crate::diagnostic::closest(
                        id,
                        config.ctas.keys().map(String::as_str),
                    ) {
                        Some(best) => format!(
                            "did you mean `{best}`? {}",
                            crate::config::known_ctas_hint(&config.ctas)
                        ),
                        None => crate::config::known_ctas_hint(&config.ctas),
                    };
                    Err(Diagnostic::error(format!("unknown call-to-action `{id}`")).with_hint(hint))
                }
            };
        }
        if !self.shortcodes.contains(&code.name) {
            let mut known: Vec<&str> = self.shortcodes.iter().map(String::as_str).collect();
            known.push("cta");
            known.sort_unstable();
            let hint = match crate::diagnostic::closest(&code.name, known.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? The shortcodes are: {}",
                    known.join(", ")
                ),
                None => format!(
                    "the shortcodes are: {}; add templates/shortcodes/{}.html to make a new one",
                    known.join(", "),
                    code.name
                ),
            };
            return Err(
                Diagnostic::error(format!("unknown shortcode `{}`", code.name)).with_hint(hint),
            );
        }
        let mut cx = self.context("");
        for (key, value) in &code.args {
            cx.insert(key, value);
        }
        self.render(&format!("shortcodes/{}.html", code.name), &cx, None)
    }
}

/// Whether `line` uses `variable` as a whole name (not `variable_x` or `x.variable`).
fn mentions(line: &str, variable: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(variable).any(|(i, _)| {
        !line[..i].ends_with(|c| is_name(c) || c == '.')
            && !line[i + variable.len()..].starts_with(is_name)
    })
}

fn escape_for_tera(text: &str) -> String {
    crate::html::escape(text).into_owned()
}

fn cta_view(id: &str, cta: &CallToAction, config: &Config) -> Result<CtaView> {
    let no_shortcodes = |code: &Shortcode| -> Result<String> {
        Err(Diagnostic::error(format!(
            "shortcode `{}` inside the body of [cta.{id}]: calls-to-action cannot hold shortcodes",
            code.name
        )))
    };
    let body = markdown::render(
        &cta.body,
        &markdown::Context {
            base_path: &config.base_path,
            first_line: 1,
            shortcode: &no_shortcodes,
        },
    )
    .map_err(|mut d| {
        d.line = None;
        d
    })?;
    Ok(CtaView {
        id: id.to_string(),
        title: cta.title.clone(),
        body: body.html,
        button: cta.button.clone(),
        href: config.site_link(&cta.href),
    })
}

/// Turns Tera's nested error into one message naming the template and, for syntax
/// errors, the line.
fn tera_error(error: tera::Error, for_file: Option<&Path>) -> Diagnostic {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(&error);
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    let whole = parts.join(": ");
    let template = parts
        .iter()
        .find_map(|p| quoted_template_name(p))
        .unwrap_or_default();
    let line = whole
        .split("--> ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.trim().parse::<usize>().ok());
    let mut message = parts
        .iter()
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    if let Some(file) = for_file {
        message = format!(
            "{message}{}{})",
            crate::diagnostic::WHILE_RENDERING,
            file.display()
        );
    }
    let mut d = Diagnostic::error(format!("template error: {message}")).on_line_opt(line);
    if !template.is_empty() && !template.starts_with("__tera") {
        d = d.in_file(format!("{DIR}/{template}"));
    } else {
        d = d.in_file(DIR);
    }
    let hint = if whole.contains("not found in context") {
        "check the variable's name against templates/README.md, or guard it with {% if … %}"
    } else if whole.contains("--> ") {
        "fix the template syntax at that line: every {{ has }}, every {% if %} has {% endif %}"
    } else {
        "fix the template named above"
    };
    d.with_hint(hint)
}

fn quoted_template_name(message: &str) -> Option<String> {
    for quote in ['\'', '"', '`'] {
        let mut pieces = message.split(quote);
        pieces.next();
        if let Some(name) = pieces.next() {
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The table of contents: headings of level 2 and 3.
pub fn toc(headings: &[Heading]) -> Vec<&Heading> {
    headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .collect()
}
