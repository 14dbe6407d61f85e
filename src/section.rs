//! Sections: every folder under `content/` that holds documents. A section's optional
//! `_index.md` gives its title, its introduction (Markdown) and its settings: what it holds
//! (articles or pages), its list page's template, order and length, and the call-to-action,
//! disclaimer and review period of what it holds. A nested section takes its parent's `kind`,
//! `cta`, `disclaimer` and `review_after_days` unless it sets its own.
//!
//! The folder `content/` itself is the home section: its files are pages (as they always
//! were), its `_index.md` is the home page's introduction, and its list is every article.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
pub use crate::frontmatter::SortBy;
use crate::frontmatter::{self, CtaChoice, DisclaimerChoice, Kind};
use std::path::PathBuf;

/// One section, its settings resolved (inherited ones included).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its site path after `base_path`: `""` (home), `articles/`, `guides/security/`.
    pub path: String,
    /// Its `_index.md`, relative to the site root, when it has one.
    pub file: Option<PathBuf>,
    pub title: String,
    /// What its own documents are (its files; nested sections may differ).
    pub kind: Kind,
    /// The list page's template when `template:` names one (`index.html` for home);
    /// `None` for the default ([`crate::render::Templates::section_default`]).
    pub template: Option<String>,
    pub sort_by: SortBy,
    pub paginate: Option<usize>,
    /// The closing call-to-action of what it holds, when set here or above.
    pub cta: CtaChoice,
    /// The disclaimer of what it holds, when set here or above.
    pub disclaimer: DisclaimerChoice,
    pub review_after_days: Option<i64>,
    pub extra: serde_json::Value,
    /// The introduction, Markdown (empty for none), and its first line in the file.
    pub intro: String,
    pub intro_line: usize,
    /// Its title and introduction in other languages (`_index.fr.md`), by language tag.
    pub translations: std::collections::BTreeMap<String, Translated>,
    /// A fingerprint of all of the above: what the pages it holds and its list are made of.
    pub key: u64,
}

/// A section's `_index.<code>.md`: what its list says in that language. Its other settings
/// are its original's.
#[derive(Debug, Clone, PartialEq)]
pub struct Translated {
    pub file: PathBuf,
    pub title: String,
    pub intro: String,
    pub intro_line: usize,
}

impl Index {
    /// What a translation of a section's `_index.md` gives: its title (else `title`, the
    /// original's) and its introduction.
    pub fn translated(self, file: PathBuf, title: &str) -> Translated {
        Translated {
            file,
            title: self.title.unwrap_or_else(|| title.to_string()),
            intro: self.intro,
            intro_line: self.intro_line,
        }
    }
}

impl Section {
    /// Makes `key` again, after `translations` are added.
    pub fn rekey(&mut self) {
        self.key = 0;
        self.key = xxhash_rust::xxh3::xxh3_64(format!("{self:?}").as_bytes());
    }
}

/// What a folder's `_index.md` says, before inheritance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    title: Option<String>,
    kind: Option<Kind>,
    template: Option<String>,
    sort_by: Option<SortBy>,
    paginate: Option<usize>,
    cta: Option<CtaChoice>,
    disclaimer: Option<DisclaimerChoice>,
    review_after_days: Option<i64>,
    extra: serde_json::Value,
    intro: String,
    intro_line: usize,
}

/// Parses the text of the `_index.md` of the section at `path` (`""` for home), with the
/// front matter reader every document uses. Its front matter is optional: a file that does
/// not start with `---` (YAML) or `+++` (TOML) is all introduction.
pub fn parse_index(
    text: &str,
    path: &str,
    config: &Config,
) -> std::result::Result<Index, Vec<Diagnostic>> {
    let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fenced = stripped
        .lines()
        .next()
        .is_some_and(|l| matches!(l.trim_end(), "---" | "+++"));
    if !fenced {
        return Ok(Index {
            intro: stripped.to_string(),
            intro_line: 1,
            ..Index::default()
        });
    }
    let split = frontmatter::split(text).map_err(|d| vec![d])?;
    let front = frontmatter::parse_section(&split, path.is_empty(), config)?;
    Ok(Index {
        title: front.title,
        kind: front.kind,
        template: front.template,
        sort_by: front.sort_by,
        paginate: front.paginate,
        cta: front.cta,
        disclaimer: front.disclaimer,
        review_after_days: front.review_after_days,
        extra: front.extra,
        intro: split.body.to_string(),
        intro_line: split.body_line,
    })
}

/// The sections at `paths` (each a site path, home `""` among them, parents before
/// children), with what their `_index.md` files say (`indexes[i]` for `paths[i]`).
pub fn resolve(paths: &[(String, Option<PathBuf>)], indexes: &[Index]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(paths.len());
    for ((path, file), index) in paths.iter().zip(indexes) {
        let parent = parent_of(path).and_then(|p| out.iter().find(|s| s.path == p));
        let home = path.is_empty();
        let kind = index.kind.unwrap_or(match parent {
            Some(p) if !p.path.is_empty() => p.kind,
            _ if home => Kind::Page,
            _ => Kind::Article,
        });
        let sort_by = index.sort_by.unwrap_or(match kind {
            Kind::Article => SortBy::Date,
            Kind::Page => SortBy::Weight,
        });
        out.push(Section {
            path: path.clone(),
            file: file.clone(),
            title: index.title.clone().unwrap_or_else(|| title_of(path)),
            kind,
            template: index
                .template
                .clone()
                .or_else(|| home.then(|| "index.html".to_string())),
            sort_by,
            paginate: index.paginate,
            cta: index
                .cta
                .clone()
                .or_else(|| parent.map(|p| p.cta.clone()))
                .unwrap_or(CtaChoice::Default),
            disclaimer: index
                .disclaimer
                .clone()
                .or_else(|| parent.map(|p| p.disclaimer.clone()))
                .unwrap_or(DisclaimerChoice::Default),
            review_after_days: index
                .review_after_days
                .or_else(|| parent.and_then(|p| p.review_after_days)),
            extra: index.extra.clone(),
            intro: index.intro.clone(),
            intro_line: index.intro_line,
            translations: Default::default(),
            key: 0,
        });
        let made = out.last_mut().expect("just pushed");
        made.key = xxhash_rust::xxh3::xxh3_64(format!("{made:?}").as_bytes());
    }
    out
}

/// `guides/security/` → `guides/`; `guides/` → `""`; `""` → none.
pub fn parent_of(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let inner = path.trim_end_matches('/');
    Some(match inner.rfind('/') {
        Some(i) => format!("{}/", &inner[..i]),
        None => String::new(),
    })
}

/// A title from a folder's name when its `_index.md` gives none: `case-studies/` → "Case studies".
fn title_of(path: &str) -> String {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title='T'\nbase_url='https://e.com/'\n[dates]\ntimezone='UTC'\n[cta.talk]\ntitle='t'\nbody='b'\nbutton='x'\nhref='/'\n",
        )
        .unwrap()
    }

    #[test]
    fn settings_are_inherited_by_nested_sections() {
        let c = config();
        let guides = parse_index(
            "---\ntitle: Guides\nkind: pages\ncta: talk\nreview_after_days: 90\n---\nAll our guides.\n",
            "guides/",
            &c,
        )
        .unwrap();
        let paths = vec![
            (String::new(), None),
            ("articles/".to_string(), None),
            (
                "guides/".to_string(),
                Some(PathBuf::from("content/guides/_index.md")),
            ),
            ("guides/case-studies/".to_string(), None),
        ];
        let indexes = vec![Index::default(), Index::default(), guides, Index::default()];
        let s = resolve(&paths, &indexes);
        assert_eq!(
            (s[0].kind, s[0].template.as_deref()),
            (Kind::Page, Some("index.html"))
        );
        assert_eq!(
            (s[1].kind, s[1].sort_by, s[1].title.as_str()),
            (Kind::Article, SortBy::Date, "Articles")
        );
        assert_eq!(
            (s[2].kind, s[2].sort_by, s[2].title.as_str()),
            (Kind::Page, SortBy::Weight, "Guides")
        );
        assert_eq!(s[2].intro, "All our guides.\n");
        assert_eq!(s[2].intro_line, 7);
        let nested = &s[3];
        assert_eq!(nested.title, "Case studies");
        assert_eq!(nested.kind, Kind::Page);
        assert_eq!(nested.cta, CtaChoice::Id("talk".into()));
        assert_eq!(nested.review_after_days, Some(90));
        assert_eq!(nested.template, None);
    }

    #[test]
    fn bad_settings_are_errors_at_their_lines() {
        let c = config();
        for (text, line, says) in [
            ("---\ntitle: G\nkind: posts\n---\n", 3, "`kind` is `posts`"),
            ("---\nsort_by: newest\n---\n", 2, "`sort_by` is `newest`"),
            ("---\npaginate: 0\n---\n", 2, "`paginate` is 0"),
            ("---\ncta: tlak\n---\n", 2, "unknown call-to-action `tlak`"),
            ("---\ntemplate: ../x.html\n---\n", 2, "`template`"),
            ("---\ntitel: G\n---\n", 2, "unknown field `titel`"),
        ] {
            let e = parse_index(text, "guides/", &c).unwrap_err().remove(0);
            assert!(e.message.contains(says), "{text}: {e}");
            assert_eq!(e.line, Some(line), "{text}: {e}");
        }
        let e = parse_index("---\nkind: pages\n---\n", "", &c).unwrap_err();
        assert!(e[0].message.contains("home section"), "{}", e[0]);
        // Every problem of the file in one run, each at its line; YAML or TOML alike.
        for text in [
            "---\nkind: posts\nsort_by: newest\npaginate: 0\ncta: tlak\ntitel: G\n---\nIntro\n",
            "+++\nkind = \"posts\"\nsort_by = \"newest\"\npaginate = 0\ncta = \"tlak\"\ntitel = \"G\"\n+++\nIntro\n",
        ] {
            let all = parse_index(text, "guides/", &c).unwrap_err();
            let lines: Vec<_> = all.iter().map(|e| e.line).collect();
            assert_eq!(lines, [2, 3, 4, 5, 6].map(Some), "{all:?}");
        }
        let toml = parse_index(
            "+++\ntitle = \"Guides\"\nkind = \"pages\"\n+++\nIntro\n",
            "guides/",
            &c,
        )
        .unwrap();
        assert_eq!(toml.title.as_deref(), Some("Guides"));
        assert_eq!((toml.intro.as_str(), toml.intro_line), ("Intro\n", 5));
        // No front matter: all introduction.
        let plain = parse_index("Welcome.\n", "", &c).unwrap();
        assert_eq!((plain.intro.as_str(), plain.intro_line), ("Welcome.\n", 1));
    }

    #[test]
    fn parents_and_titles_come_from_paths() {
        assert_eq!(parent_of("guides/security/").as_deref(), Some("guides/"));
        assert_eq!(parent_of("guides/").as_deref(), Some(""));
        assert_eq!(parent_of(""), None);
        assert_eq!(title_of("guides/case-studies/"), "Case studies");
    }
}
