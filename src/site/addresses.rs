//! The registry of published addresses: every producer of an output file (pages, list
//! pages, the feed and brief's other files, alias redirects, assets, the files of page
//! bundles, the theme's assets) claims its address here, once per load, so that two claims of
//! one file, a file that another claim needs as a folder, or names that differ only by case
//! or Unicode form (one file on case-insensitive hosts) are one error naming both claimants,
//! in build, check and serve alike. Also: articles with no call-to-action where one is required.

use super::plan::{alias_file, Job, ListKind, ListPage, Output, Plan, OWN_NAMES, SECTIONS};
use super::{Document, Site};
use crate::content::DIR as CONTENT;
use crate::core::paths::{Address, SiteFile};
use crate::diagnostic::{sorted, Diagnostic};
use crate::frontmatter::Kind;
use crate::section::Section;
use crate::theme::AssetFile;
use crate::FastMap;
use std::borrow::Cow;
use std::path::Path;

/// Who claims an address.
#[derive(Clone)]
enum Claim<'a> {
    /// An article's or a page's own page.
    Page(&'a Document),
    /// An alias of a document, as written.
    Alias(&'a Document, &'a str),
    /// A list page, and the section it lists (none for the home list and tag pages).
    List(&'a ListPage, Option<&'a Section>),
    /// The 404 page, the feeds, the sitemap, robots.txt.
    Own(&'a Output),
    /// A file of the site published as it is (an asset, a page bundle's file, an image
    /// variant), relative to the site.
    File(SiteFile),
    /// An asset of the theme, by its name under `assets/`.
    Theme(&'a str),
    /// The search index's folder ([`crate::search::FOLDER`]), whose file names are known only
    /// once it is made.
    Search,
}

impl Claim<'_> {
    /// What claims it, in an error's words.
    fn describe(&self) -> String {
        match self {
            Claim::Page(doc) => doc.file.display().to_string(),
            Claim::Alias(doc, alias) => format!("alias `{alias}` of {}", doc.file.display()),
            Claim::List(list, _) => describe(list),
            Claim::Own(output) => match output.job {
                Job::NotFound => "brief's 404 page".into(),
                Job::Feed(_) => "the site's feed".into(),
                Job::Changes(_) => "the site's feed of changes".into(),
                Job::Sitemap => "the sitemap".into(),
                _ => format!("brief's {}", output.file),
            },
            Claim::File(file) => file.to_string(),
            Claim::Theme(name) => format!("the theme's assets/{name}"),
            Claim::Search => format!("the site's search index (/{}/)", crate::search::FOLDER),
        }
    }

    /// The file an error about it is reported in, and the line there: a section's list is
    /// reported at its `_index.md`, or at its folder when it has none.
    fn source(&self) -> Option<(Cow<'_, Path>, Option<usize>)> {
        match self {
            Claim::Page(doc) => Some((doc.file.as_path().into(), doc.front.lines.of("slug"))),
            Claim::Alias(doc, _) => {
                Some((doc.file.as_path().into(), doc.front.lines.of("aliases")))
            }
            Claim::File(file) => Some((file.as_path().into(), None)),
            Claim::List(_, Some(section)) => Some(match &section.file {
                Some(index) => (index.as_path().into(), None),
                None => (
                    Path::new(CONTENT)
                        .join(section.path.trim_end_matches('/'))
                        .into(),
                    None,
                ),
            }),
            Claim::List(_, None) | Claim::Own(_) | Claim::Theme(_) | Claim::Search => None,
        }
    }
}

/// Every address claimed so far, and the same folded as case-insensitive hosts fold them.
struct Registry<'a> {
    taken: FastMap<Cow<'a, Address>, Claim<'a>>,
    folded: FoldedNames<'a>,
    errors: Vec<Diagnostic>,
}

impl<'a> Registry<'a> {
    /// Claims output file `file` for `claim`; a second claim of it, or of a name that folds
    /// to the same, is an error naming both. Returns whether the claim was taken.
    fn claim(&mut self, file: Cow<'a, Address>, folded: Cow<'a, str>, claim: Claim<'a>) -> bool {
        if let Some(earlier) = self.taken.get(&file) {
            let error = clash(
                &format!("two sources publish to /{}", address(file.as_str())),
                earlier,
                &claim,
                "give one of them another address (`slug:`, a file name, an alias)",
            );
            self.errors.push(error);
            return false;
        }
        if let Some(clash) = self.folded.clash(file.clone(), folded, claim.clone()) {
            let why = match clash.by {
                FoldedBy::Case => "case",
                FoldedBy::Normalisation => "how its accents are encoded",
            };
            let subject = match claim {
                Claim::Alias(_, alias) => format!("alias `{alias}`"),
                _ => format!("the address /{}", address(file.as_str())),
            };
            let mut d = Diagnostic::error(format!(
                "{subject} differs from the address /{} of {} only by {why}: case-insensitive and normalising file systems and hosts store them as one file",
                clash.address,
                clash.claim.describe()
            ));
            if let Some((at, line)) = claim.source() {
                d = d.in_file(&at).on_line_opt(line);
            }
            self.errors.push(d.with_fix(match claim {
                Claim::Alias(..) => {
                    "write the alias in the same case and form as the address, or remove it"
                }
                _ => "give one of them a different name (lower-case names never clash this way)",
            }));
        }
        self.taken.insert(file, claim);
        true
    }

    /// Claims the search index's fixed files, and refuses every other claim inside its
    /// folder: the rest of its names come from its content, so the whole folder is its own.
    fn check_search_folder(&mut self) {
        let folder = format!("{}/", crate::search::FOLDER);
        let mut inside: Vec<(&Cow<'a, Address>, &Claim<'a>)> = self
            .taken
            .iter()
            .filter(|(file, _)| fold(file.as_str()).starts_with(&folder))
            .collect();
        inside.sort_by(|a, b| a.0.cmp(b.0));
        let found: Vec<Diagnostic> = inside
            .into_iter()
            .map(|(file, claim)| {
                clash(
                    &format!(
                        "/{} is inside /{folder}, where the site's search index is published",
                        address(file.as_str())
                    ),
                    &Claim::Search,
                    claim,
                    "give it another address (`slug:`, its section's folder, the alias, the file's name), or set `[search] enabled = false` in site.toml",
                )
            })
            .collect();
        // One error for each claim inside is enough: the index's own claims would add a
        // second for the same mistake.
        if !found.is_empty() {
            self.errors.extend(found);
            return;
        }
        for name in crate::search::FIXED {
            if let Some(file) = Address::new(format!("{folder}{name}")) {
                let key = fold(file.as_str()).into();
                self.claim(Cow::Owned(file), key, Claim::Search);
            }
        }
    }

    /// Files that another claim needs as a folder (`feed.xml` and `feed.xml/index.html`).
    fn check_folders(&mut self) {
        let mut found = Vec::new();
        let mut files: Vec<&Cow<'a, Address>> = self.taken.keys().collect();
        files.sort();
        let mut reported = std::collections::BTreeSet::new();
        for file in files {
            let claim = &self.taken[file];
            let file = file.as_str();
            for (at, _) in file.match_indices('/') {
                // One error for each file that stands where a folder must go.
                if reported.contains(&file[..at]) {
                    continue;
                }
                // A folder of an address is one too.
                let Some(folder) = Address::new(&file[..at]) else {
                    continue;
                };
                if let Some(as_file) = self.taken.get(&folder) {
                    reported.insert(&file[..at]);
                    found.push(self::clash(
                        &format!(
                            "`{}` would be both a file and a folder of the output",
                            &file[..at]
                        ),
                        as_file,
                        claim,
                        "rename the folder or the file, or change the `slug:` that makes the address",
                    ));
                }
            }
        }
        self.errors.extend(found);
    }
}

/// The error for two claims, naming both: reported at the later one's source when it has
/// one (the file just added is the likelier mistake), else at the earlier's.
fn clash(what: &str, earlier: &Claim<'_>, later: &Claim<'_>, fix: &str) -> Diagnostic {
    let mut d = Diagnostic::error(format!(
        "{what}: {} and {}",
        later.describe(),
        earlier.describe()
    ));
    if let Some((file, line)) = later.source().or_else(|| earlier.source()) {
        d = d.in_file(&file).on_line_opt(line);
    }
    d.with_fix(fix.to_string())
}

/// An output file as an address: `articles/x/` for `articles/x/index.html`.
fn address(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

impl Site {
    /// The checks across documents that [`Site::load`] makes: clashing addresses and
    /// missing calls-to-action.
    pub fn check_documents(&self, plan: &Plan) -> Vec<Diagnostic> {
        let mut errors = self.check_outputs(plan);
        errors.extend(self.check_ctas());
        sorted(errors)
    }

    /// Claims every address the plan and the assets publish ([`Registry`]), and checks the
    /// names brief keeps for itself.
    pub(super) fn check_outputs<'a>(&'a self, plan: &'a Plan) -> Vec<Diagnostic> {
        use FoldedBy::{Case, Normalisation};
        let mut errors: Vec<Diagnostic> = plan
            .refused
            .iter()
            .map(|file| super::sink::outside(file))
            .collect();
        // The documents claim first, their clashes told in their own words (which `slug:` to
        // change); everything else then claims through `Registry::claim`.
        let mut registry = Registry {
            taken: FastMap::with_capacity_and_hasher(plan.outputs.len(), Default::default()),
            folded: FoldedNames::with_capacity(plan.outputs.len()),
            errors: Vec::new(),
        };
        // Top-level names brief writes itself; a page may not take any, an alias may not
        // take those that are not list sections (aliases of list pages are checked exactly).
        let own = OWN_NAMES;
        let reserved: Vec<&str> = SECTIONS.into_iter().chain(own).collect();
        for doc in self.published() {
            let doc: &'a Document = doc;
            let file = doc.file_name();
            if doc.kind == Kind::Page && reserved.contains(&doc.slug.as_str()) {
                errors.push(
                    Diagnostic::error(format!(
                        "the page's address /{}/ is one brief uses itself",
                        doc.slug
                    ))
                    .in_file(&doc.file)
                    .with_fix("rename the file or set another `slug:`"),
                );
            }
            let slug_line = |d: &Document| d.front.lines.of("slug");
            // Blame the file whose `slug:` made a clash when only one of the two sets it.
            let blame = |other: &'a Path| -> (&'a Document, &'a Path) {
                let other_doc = self.published().find(|d| d.file == other).map(|d| &**d);
                match other_doc {
                    Some(o) if slug_line(doc).is_none() && slug_line(o).is_some() => {
                        (o, doc.file.as_path())
                    }
                    _ => (doc, other),
                }
            };
            if let Some(clash) = registry.folded.clash(
                Cow::Borrowed(file),
                doc.folded.as_str().into(),
                Claim::Page(doc),
            ) {
                let Claim::Page(earlier) = clash.claim else {
                    continue;
                };
                let (blamed, named) = blame(&earlier.file);
                let (why, hint) = match clash.by {
                    Case => ("case", "give one of them a different `slug:` (lower-case slugs never clash this way)"),
                    Normalisation => ("how their accents are encoded (Unicode NFC and NFD)", "retype the `slug:` so that both use the same letters, or give one a different slug"),
                };
                let mut addresses = [doc.path(), &clash.address];
                if !std::ptr::eq(blamed, doc) {
                    addresses.swap(0, 1);
                }
                errors.push(
                    Diagnostic::error(format!(
                        "the addresses /{} and /{} differ only by {why}: case-insensitive and normalising file systems and hosts store them as one file; the other is {}",
                        addresses[0],
                        addresses[1],
                        named.display()
                    ))
                    .in_file(&blamed.file)
                    .on_line_opt(slug_line(blamed))
                    .with_fix(hint),
                );
            }
            if let Some(Claim::Page(other)) =
                registry.taken.insert(Cow::Borrowed(file), Claim::Page(doc))
            {
                let (blamed, named) = blame(&other.file);
                errors.push(
                    Diagnostic::error(format!(
                        "two files publish to /{}: this one and {}",
                        doc.path(),
                        named.display()
                    ))
                    .in_file(&blamed.file)
                    .on_line_opt(slug_line(blamed))
                    .with_fix("give one of them a different `slug:`"),
                );
            }
        }
        for output in &plan.outputs {
            let claim = match &output.job {
                Job::List(list) => Claim::List(
                    list,
                    match list.kind {
                        ListKind::Section(n) => self.sections.get(n).map(|s| &**s),
                        _ => None,
                    },
                ),
                Job::NotFound | Job::Feed(_) | Job::Changes(_) | Job::Sitemap | Job::Robots => {
                    Claim::Own(output)
                }
                Job::Article(_) | Job::Page(_) | Job::Redirect(_) => continue,
            };
            let file = &output.file;
            registry.claim(Cow::Borrowed(file), fold(file.as_str()).into(), claim);
        }
        for doc in self.published() {
            for alias in &doc.front.aliases {
                // One that is no address is in the plan's refused files, reported above.
                let Some(file) = Address::new(alias_file(alias)) else {
                    continue;
                };
                let first = file.as_str().split('/').next().unwrap_or("");
                let line = doc.front.lines.of("aliases");
                let taken_by = registry.taken.get(&file).map(Claim::describe).or_else(|| {
                    own.contains(&first)
                        .then(|| "brief's own output".to_string())
                });
                if let Some(other) = taken_by {
                    registry.errors.push(
                        Diagnostic::error(format!(
                            "alias `{alias}` is already the address of {other}"
                        ))
                        .in_file(&doc.file)
                        .on_line_opt(line)
                        .with_fix("remove the alias or change it to an address no page uses"),
                    );
                    continue;
                }
                let key = fold(file.as_str()).into();
                registry.claim(Cow::Owned(file), key, Claim::Alias(doc, alias));
            }
        }
        for (file, source) in &self.assets {
            let claim = match source {
                AssetFile::Site(path) => Claim::File(SiteFile::new(&self.root, path)),
                AssetFile::Theme(name) => Claim::Theme(name),
            };
            registry.claim(Cow::Borrowed(file), fold(file.as_str()).into(), claim);
        }
        if self.config.search {
            registry.check_search_folder();
        }
        registry.check_folders();
        errors.extend(registry.errors);
        errors
    }

    pub(super) fn check_ctas(&self) -> Vec<Diagnostic> {
        if !self.config.require_cta {
            return Vec::new();
        }
        self.articles
            .iter()
            .filter(|doc| self.closing_cta(doc).is_none())
            .map(|doc| {
                Diagnostic::error(
                    "this article has no call-to-action, and site.toml sets require_cta = true",
                )
                .in_file(&doc.file)
                .on_line_opt(doc.front.lines.of("cta"))
                .with_fix(format!(
                    "set `cta:` to one of the ids in site.toml ({})",
                    self.config
                        .ctas
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
            .collect()
    }
}

/// What a list page is, in an error's words.
fn describe(list: &ListPage) -> String {
    let (n, _) = list.number;
    // Another language's lists are under its prefix (`fr/`); the default's under none.
    let prefix = format!("{}/", list.lang);
    let (language, base) = match list.base.strip_prefix(&prefix) {
        Some(base) => (format!("the `{}` ", list.lang), base),
        None => ("the ".to_string(), list.base.as_str()),
    };
    match list.kind {
        ListKind::Section(_) => {
            let path = base.trim_end_matches('/');
            match n {
                1 => format!("{language}list of section `{path}`"),
                n => format!("page {n} of {language}list of section `{path}`"),
            }
        }
        ListKind::TagIndex => "the tag index".to_string(),
        ListKind::Tag => {
            let name = list.tags.first().map_or("", |t| t.0.as_str());
            match n {
                1 => format!("the page of tag `{name}`"),
                n => format!("page {n} of tag `{name}`"),
            }
        }
        ListKind::Home => format!("page {n} of the article list"),
    }
}

/// An output file name as case-insensitive file systems fold it: lower case, NFC.
pub(super) fn fold(file: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    file.to_lowercase().nfc().collect()
}

/// Output file names folded as case-insensitive file systems fold them (lower case, NFC),
/// each with the first file name that claimed it and its claimant.
struct FoldedNames<'a> {
    names: FastMap<Cow<'a, str>, (Cow<'a, Address>, Claim<'a>)>,
}

/// An earlier output file whose name folds to the same as a later one.
struct Clash<'a> {
    address: String,
    claim: Claim<'a>,
    by: FoldedBy,
}

#[derive(Clone, Copy)]
enum FoldedBy {
    Case,
    Normalisation,
}

impl<'a> FoldedNames<'a> {
    fn with_capacity(n: usize) -> Self {
        FoldedNames {
            names: FastMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// Notes `file` (claimed by `claim`; `folded` is [`fold`] of it) and returns the
    /// earlier file that folds to the same name but is not the same name, if there is one.
    fn clash(
        &mut self,
        file: Cow<'a, Address>,
        folded: Cow<'a, str>,
        claim: Claim<'a>,
    ) -> Option<Clash<'a>> {
        use unicode_normalization::UnicodeNormalization;
        match self.names.get(&folded) {
            Some((earlier, owner)) if *earlier != file => Some(Clash {
                address: address(earlier.as_str()).to_string(),
                claim: owner.clone(),
                by: match earlier.as_str().nfc().eq(file.as_str().nfc()) {
                    true => FoldedBy::Normalisation,
                    false => FoldedBy::Case,
                },
            }),
            Some(_) => None,
            None => {
                self.names.insert(folded, (file, claim));
                None
            }
        }
    }
}
