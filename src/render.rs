//! Templates: Tera set up once per build, the values each page type is given, and the
//! calls-to-action rendered once and reused on every page. Pure: values in, HTML out.

use crate::config::{CallToAction, Config};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown::shortcode::Shortcode;
use crate::markdown::{self, Heading};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tera::{Context, ErrorKind, Tera};

mod limits;
mod site_value;

use site_value::SiteView;

pub use crate::core::layout::TEMPLATES as DIR;

pub use crate::theme::REQUIRED;

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

/// A disclaimer as templates see it: its Markdown rendered once per build.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DisclaimerView {
    pub id: String,
    /// Where it applies ("New South Wales"); empty for none.
    pub label: String,
    /// HTML.
    pub html: String,
}

pub struct Templates {
    tera: Tera,
    /// The `site` and `words` values of each language, made once: cloning them into each
    /// page's context is cheap.
    languages: BTreeMap<String, (tera::Value, tera::Value)>,
    default_language: String,
    base_path: String,
    base_url: String,
    shortcodes: BTreeSet<String>,
    /// Each CTA with `partials/cta.html` rendered for it in each language, once per build,
    /// by [`cta_key`].
    ctas: BTreeMap<String, (CtaView, String)>,
    /// Each disclaimer of site.toml, its text rendered once per build in each language, by
    /// [`cta_key`].
    disclaimers: BTreeMap<String, DisclaimerView>,
    serve: bool,
    /// Template texts by name, to find the line of an error Tera gives none for (and, in
    /// `check`, the template that wrote a broken link).
    sources: BTreeMap<String, String>,
    /// The names of the templates that are the theme's (the site has none of its own).
    theme: BTreeSet<String>,
    /// What `resize_image` reads and what templates asked it for.
    pub images: std::sync::Arc<crate::images::template::ThemeImages>,
}

impl Templates {
    /// Parses `templates` (the site's own and the theme's, [`crate::theme::templates`]),
    /// then renders each CTA.
    pub fn new(
        templates: Vec<crate::theme::Template>,
        config: &Config,
        year: i32,
        serve: bool,
    ) -> Result<Templates> {
        let theme: BTreeSet<String> = templates
            .iter()
            .filter(|t| t.origin == crate::theme::Origin::Theme)
            .map(|t| t.name.clone())
            .collect();
        let sources: Vec<(String, String)> =
            templates.into_iter().map(|t| (t.name, t.text)).collect();
        let shortcodes = sources
            .iter()
            .filter_map(|(name, _)| name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();

        let sources: BTreeMap<String, String> = sources.into_iter().collect();
        // Loops and long chains are refused before Tera follows them.
        limits::check(&sources)?;
        let mut tera = Tera::new();
        // Tera's own escaper also escapes `/`, which makes every URL in a page unreadable.
        tera.set_escape_fn(escape_for_tera);
        tera.register_filter("slugify", tera_contrib::slug::slug);
        tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
        tera.register_filter(
            "urlencode_strict",
            tera_contrib::urlencode::urlencode_strict,
        );
        let images = std::sync::Arc::new(crate::images::template::ThemeImages::new(
            &config.base_path,
            serve,
        ));
        let function = images.clone();
        tera.register_function(
            "resize_image",
            move |kwargs: tera::Kwargs, state: &tera::State| function.call(kwargs, state),
        );
        tera.add_raw_templates(sources.iter())
            .map_err(|e| tera_error(&e, &sources, &theme, "", None))?;

        let mut languages = BTreeMap::new();
        for language in &config.languages {
            let value = |v: Result<tera::Value, _>| {
                v.map_err(|e| Diagnostic::error(format!("cannot prepare site values: {e}")))
            };
            let site = value(tera::Value::try_from_serializable(&SiteView::new(
                config, language, year,
            )?))?;
            let words = value(tera::Value::try_from_serializable(&language.words))?;
            languages.insert(language.code.clone(), (site, words));
        }

        let mut templates = Templates {
            tera,
            languages,
            default_language: config.lang.clone(),
            base_path: config.base_path.clone(),
            base_url: config.base_url.clone(),
            shortcodes,
            ctas: BTreeMap::new(),
            disclaimers: BTreeMap::new(),
            serve,
            sources,
            theme,
            images,
        };
        for language in &config.languages {
            let lang = &language.code;
            for (id, cta) in &language.ctas {
                let view =
                    cta_view(id, cta, config).map_err(|d| d.or_in_file(crate::config::FILE))?;
                let mut cx = templates.context("", lang);
                cx.insert("cta", &view);
                let html = templates.render(CTA_PARTIAL, &cx, None)?;
                templates.ctas.insert(cta_key(lang, id), (view, html));
            }
            for (id, disclaimer) in &language.disclaimers {
                let what = format!("the text of [disclaimer.{id}]");
                let html = plain_markdown(&disclaimer.text, &what, config).map_err(|d| {
                    d.or_in_file(crate::config::FILE)
                        .on_line_opt(disclaimer.line)
                })?;
                let view = DisclaimerView {
                    id: id.clone(),
                    label: disclaimer.label.clone(),
                    html,
                };
                templates.disclaimers.insert(cta_key(lang, id), view);
            }
        }
        Ok(templates)
    }

    /// A context holding `site` and `words` in the language `lang`, `lang`, `serve`,
    /// `page_url` and `canonical`.
    pub fn context(&self, path: &str, lang: &str) -> Context {
        let mut cx = Context::new();
        let (lang, (site, words)) = self
            .languages
            .get_key_value(lang)
            .or_else(|| self.languages.get_key_value(&self.default_language))
            .or_else(|| self.languages.iter().next())
            .map_or(
                (lang, (tera::Value::none(), tera::Value::none())),
                |(k, v)| (k.as_str(), v.clone()),
            );
        cx.insert_value("site", site);
        cx.insert_value("words", words);
        cx.insert("lang", lang);
        cx.insert("serve", &self.serve);
        cx.insert("page_url", &format!("{}{path}", self.base_path));
        cx.insert("canonical", &format!("{}{path}", self.base_url));
        cx
    }

    /// Renders `template`; errors name the template and, if given, the content file.
    pub fn render(&self, template: &str, cx: &Context, for_file: Option<&Path>) -> Result<String> {
        // Markdown passes control characters through; XML forbids them and HTML calls them
        // parse errors.
        self.tera
            .render(template, cx)
            .map(crate::html::markup_safe)
            .map_err(|e| tera_error(&e, &self.sources, &self.theme, template, for_file))
    }

    /// The call-to-action `id` in the language `lang`, and its HTML.
    pub fn cta(&self, lang: &str, id: &str) -> Option<&(CtaView, String)> {
        self.ctas.get(&cta_key(lang, id))
    }

    /// The disclaimer `id` of site.toml in the language `lang`, rendered.
    pub fn disclaimer(&self, lang: &str, id: &str) -> Option<&DisclaimerView> {
        self.disclaimers.get(&cta_key(lang, id))
    }

    /// Every template's text by name (`partials/cta.html`), as loaded: what `check` searches
    /// to say which template wrote a link, without reading the folder again.
    pub fn sources(&self) -> &BTreeMap<String, String> {
        &self.sources
    }

    /// The template a section's list uses when its `_index.md` names none: `section.html`,
    /// unless there is none (a site with its own `index.html` and no `section.html`, made
    /// before sections had lists: [`crate::theme::templates`] leaves the theme's out), then
    /// `index.html`, which already fits the site's `base.html`.
    pub fn section_default(&self) -> &'static str {
        if !self.sources.contains_key("section.html") {
            "index.html"
        } else {
            "section.html"
        }
    }

    /// Whether there is a template `name`, the site's or the theme's.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The template `name` as a file, for diagnostics ([`crate::theme::template_file`]).
    pub fn file_of(&self, name: &str) -> PathBuf {
        crate::theme::template_file(name, self.theme.contains(name))
    }

    /// Renders a shortcode line: `cta` places a call-to-action, any other name renders
    /// `templates/shortcodes/NAME.html` with the arguments.
    pub fn shortcode(&self, code: &Shortcode, config: &Config, lang: &str) -> Result<String> {
        if code.name == "cta" {
            let id = match code.args.get("id") {
                Some(crate::markdown::shortcode::Value::Text(id)) => id.as_str(),
                _ => {
                    return Err(Diagnostic::error("the cta shortcode needs an id").with_fix(
                        format!(
                            "write {{{{ cta(id=\"…\") }}}}; {}",
                            crate::config::known_ctas_hint(&config.ctas)
                        ),
                    ))
                }
            };
            if let Some(extra) = code.args.keys().find(|k| *k != "id") {
                return Err(Diagnostic::error(format!(
                    "the cta shortcode takes only `id`, not `{extra}`"
                ))
                .with_fix("the wording of a call-to-action lives in site.toml"));
            }
            return match self.cta(lang, id) {
                Some((_, html)) => Ok(html.clone()),
                None => {
                    let hint = crate::diagnostic::did_you_mean(
                        id,
                        config.ctas.keys().map(String::as_str),
                        crate::config::known_ctas_hint(&config.ctas),
                    );
                    Err(Diagnostic::error(format!("unknown call-to-action `{id}`")).with_fix(hint))
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
                Diagnostic::error(format!("unknown shortcode `{}`", code.name)).with_fix(hint),
            );
        }
        let mut cx = self.context("", lang);
        for (key, value) in &code.args {
            cx.insert(key.clone(), value);
        }
        self.render(&format!("shortcodes/{}.html", code.name), &cx, None)
    }
}

/// How a call-to-action or disclaimer of a language is held: `fr:consult`. Also what a
/// body's [`crate::site::Body::ctas`] names, so that the link check finds the right wording.
pub fn cta_key(lang: &str, id: &str) -> String {
    format!("{lang}:{id}")
}

fn escape_for_tera(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(crate::html::escape(text).as_bytes())
}

fn cta_view(id: &str, cta: &CallToAction, config: &Config) -> Result<CtaView> {
    let body = plain_markdown(&cta.body, &format!("the body of [cta.{id}]"), config)?;
    Ok(CtaView {
        id: id.to_string(),
        title: cta.title.clone(),
        body,
        button: cta.button.clone(),
        href: config.site_link(&cta.href),
    })
}

/// Markdown written in site.toml (`what` names where) as HTML: no shortcodes, no images
/// looked up, links written from the root under the base path.
fn plain_markdown(text: &str, what: &str, config: &Config) -> Result<String> {
    let no_shortcodes = |code: &Shortcode| -> Result<String> {
        Err(Diagnostic::error(format!(
            "shortcode `{}` inside {what}: text from site.toml cannot hold shortcodes",
            code.name
        )))
    };
    let body = markdown::render(
        text,
        &markdown::Context {
            base_path: &config.base_path,
            first_line: 1,
            shortcode: &no_shortcodes,
            page: None,
            highlight: config.markdown.highlight,
            images: None,
            variants: false,
        },
    )
    .map_err(|mut d| {
        d.line = None;
        d
    })?;
    Ok(body.html)
}

/// One diagnostic for a Tera error. Tera's report names the template, line and column and
/// quotes the source; brief keeps the template and line for the location, Tera's message
/// for the text, the templates that included the failing one, and adds a hint by kind.
/// `template` is the one being rendered, named when Tera's error names none.
fn tera_error(
    error: &tera::Error,
    sources: &BTreeMap<String, String>,
    theme: &BTreeSet<String>,
    template: &str,
    for_file: Option<&Path>,
) -> Diagnostic {
    let report = error.to_string();
    let (mut message, at) = match error.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            // Tera names the field (`headline`) or the value (`article`) but not the
            // expression it sits in: the tag it points into says both.
            let tag = sources
                .get(r.filename())
                .and_then(|text| enclosing_tag(text, r.span().range.start));
            let message = match tag {
                Some(tag) => format!("`{tag}`: {}", r.message()),
                None => r.message().to_string(),
            };
            (
                message,
                Some((r.filename().to_string(), r.span().start_line)),
            )
        }
        // Loading collects every template's unknown filters, functions and includes into
        // one message of reports: the first names the place, the count says the rest.
        ErrorKind::Msg(_) if report.starts_with("error: ") => {
            let first = report.split("\n\n").next().unwrap_or_default();
            let mut message = first
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("error: "))
                .unwrap_or_default()
                .to_string();
            let more = report.matches("\n\nerror: ").count();
            if more > 0 {
                message.push_str(&format!(
                    " (and {more} more problem{} in the templates)",
                    if more == 1 { "" } else { "s" }
                ));
            }
            (
                message,
                first
                    .lines()
                    .find_map(|l| place_of(l.trim_start().strip_prefix("--> ")?)),
            )
        }
        _ => (report.clone(), None),
    };
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        message.push_str(&format!(": {e}"));
        source = e.source();
    }
    // "note: called from article.html:48:3", innermost first.
    let includers: Vec<String> = report
        .lines()
        .filter_map(|l| l.strip_prefix("note: called from "))
        .filter_map(|l| {
            let (name, line) = place_of(l)?;
            Some(format!(
                "{}:{line}",
                crate::theme::template_file(&name, theme.contains(&name)).display()
            ))
        })
        .collect();
    if !includers.is_empty() {
        message.push_str(&format!("; included from {}", includers.join(", from ")));
    }
    let message = message.trim().trim_end_matches('.');
    let message = format!("template error: {message}");
    let (name, line) = at.map_or((template.to_string(), None), |(n, l)| (n, Some(l)));
    let file = if name.is_empty() {
        PathBuf::from(DIR)
    } else {
        crate::theme::template_file(&name, theme.contains(&name))
    };
    let hint = match error.kind() {
        ErrorKind::SyntaxError(_) if message.contains("too deep") => {
            "split the template into partials or components: Tera refuses nesting past 40 levels"
        }
        ErrorKind::SyntaxError(_) if message.contains("`{% end") && message.contains("Unknown tag") => {
            "a tag above this one is not closed (every {% if %} needs {% endif %}, every {% for %} {% endfor %}), or this end tag has no opening one"
        }
        ErrorKind::SyntaxError(_) => {
            "fix the template syntax at that line: every {{ has }}, every {% if %} has {% endif %}"
        }
        _ if message.contains("not defined in any parent template") => {
            "the template it extends has no block of that name: add the block to the parent, or use one of the parent's blocks (a site's own templates/base.html replaces the theme's, so the theme's other templates extend it)"
        }
        _ if message.contains("not defined") || message.contains("not found in context") => {
            "check the variable's name against templates/README.md, which lists what each template is given, or guard it with {% if name is defined %}"
        }
        _ if message.contains("Unknown filter") || message.contains("Unknown function") || message.contains("Unknown test") => {
            "templates/README.md lists the filters brief's templates have (Tera 2's, slugify and urlencode) and the ones Tera 1 had under other names"
        }
        _ if message.contains("Unknown template") || message.contains("not found") => {
            "check the name: templates are named by their path under templates/, such as partials/toc.html"
        }
        _ if message.contains("argument") || message.contains("expected") => {
            "check the filter's or function's arguments at that line: their names and types"
        }
        _ => "fix the template named above",
    };
    let d = Diagnostic::error(message)
        .in_file(file)
        .on_line_opt(line)
        .with_fix(hint);
    match for_file {
        Some(page) => d.while_rendering(page),
        None => d,
    }
}

/// The `{{ … }}` or `{% … %}` tag around `offset`, when it is short and on one line.
fn enclosing_tag(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let start = before.rfind("{{").max(before.rfind("{%"))?;
    let closed = before.rfind("}}").max(before.rfind("%}"));
    if closed.is_some_and(|c| c > start) {
        return None;
    }
    let rest = text.get(offset..)?;
    let close = [rest.find("}}"), rest.find("%}")]
        .into_iter()
        .flatten()
        .min();
    // An unclosed tag is quoted up to the next one.
    let next = [rest.find("{{"), rest.find("{%")]
        .into_iter()
        .flatten()
        .min();
    let end = match (close, next) {
        (Some(c), Some(n)) if n < c => offset + n,
        (Some(c), _) => offset + c + 2,
        (None, n) => offset + n.unwrap_or(rest.len()),
    };
    let tag = text[start..end].trim_end();
    (tag.len() <= 100 && !tag.contains('\n')).then_some(tag)
}

/// `NAME:LINE:COL`, as Tera's report writes a place, as the template name and line.
fn place_of(text: &str) -> Option<(String, usize)> {
    let mut parts = text.rsplitn(3, ':');
    let _column = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line))
}
/// The table of contents: headings of level 2 and 3.
pub fn toc(headings: &[Heading]) -> Vec<&Heading> {
    headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .collect()
}
