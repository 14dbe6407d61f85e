//! Checks across documents, made when the site loads: two files that would publish to
//! one address (exactly, or by case or Unicode form), aliases that take another file's
//! address, and articles with no call-to-action where one is required.

use super::plan::{alias_file, Job, ListPage, Plan, OWN_NAMES, SECTIONS};
use super::{Document, Site};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::Kind;
use crate::FastMap;
use std::borrow::Cow;
use std::path::Path;

impl Site {
    /// Two documents, or a document and an alias, that would write the same file, or files
    /// whose names differ only by case or Unicode normalisation (one file on case-insensitive
    /// file systems and hosts).
    pub(super) fn check_outputs<'a>(&'a self, plan: &Plan) -> Vec<Diagnostic> {
        use FoldedBy::{Case, Normalisation};
        let mut errors = Vec::new();
        let mut taken: FastMap<Cow<'a, str>, &'a Path> =
            FastMap::with_capacity_and_hasher(plan.outputs.len(), Default::default());
        let mut folded = FoldedNames::with_capacity(plan.outputs.len());
        // Top-level names brief writes itself; a page may not take any, an alias may not
        // take those that are not list sections (aliases of list pages are checked exactly).
        let own = OWN_NAMES;
        let reserved: Vec<&str> = SECTIONS.into_iter().chain(own).collect();
        for doc in self.articles.iter().chain(&self.pages) {
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
                let other_doc = self
                    .articles
                    .iter()
                    .chain(&self.pages)
                    .find(|d| d.file == other)
                    .map(|d| &**d);
                match other_doc {
                    Some(o) if slug_line(doc).is_none() && slug_line(o).is_some() => {
                        (o, doc.file.as_path())
                    }
                    _ => (doc, other),
                }
            };
            if let Some(clash) = folded.clash(file.into(), doc.folded.as_str().into(), &doc.file) {
                let (blamed, named) = blame(clash.source);
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
            if let Some(other) = taken.insert(file.into(), &doc.file) {
                let (blamed, named) = blame(other);
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
        let generated = list_files(plan);
        for doc in self.articles.iter().chain(&self.pages) {
            for alias in &doc.front.aliases {
                let file = alias_file(alias);
                let first = file.split('/').next().unwrap_or("");
                let clash = taken
                    .get(file.as_str())
                    .map(|p| p.display().to_string())
                    .or_else(|| generated.get(file.as_str()).map(|l| describe(l)))
                    .or_else(|| {
                        own.contains(&first)
                            .then(|| "brief's own output".to_string())
                    });
                let line = doc.front.lines.of("aliases");
                match clash {
                    Some(other) => errors.push(
                        Diagnostic::error(format!(
                            "alias `{alias}` is already the address of {other}"
                        ))
                        .in_file(&doc.file)
                        .on_line_opt(line)
                        .with_fix("remove the alias or change it to an address no page uses"),
                    ),
                    None => {
                        let key = fold(&file).into();
                        if let Some(clash) = folded.clash(file.clone().into(), key, &doc.file) {
                            errors.push(
                                Diagnostic::error(format!(
                                    "alias `{alias}` differs from the address /{} of {} only by {}: case-insensitive and normalising file systems and hosts store them as one file",
                                    clash.address,
                                    clash.source.display(),
                                    match clash.by {
                                        Case => "case",
                                        Normalisation => "how its accents are encoded",
                                    }
                                ))
                                .in_file(&doc.file)
                                .on_line_opt(line)
                                .with_fix("write the alias in the same case and form as the address, or remove it"),
                            );
                        }
                        taken.insert(file.into(), &doc.file);
                    }
                }
            }
        }
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

/// The list pages brief generates, past the article list's first page (which is its own
/// `index.html`), by output file.
fn list_files(plan: &Plan) -> FastMap<&str, &ListPage> {
    plan.outputs
        .iter()
        .filter_map(|output| match &output.job {
            Job::List(list) if list.section != Some(0) || list.number.0 > 1 => {
                Some((output.file.as_str(), list))
            }
            _ => None,
        })
        .collect()
}

/// What a list page is, in an error's words.
fn describe(list: &ListPage) -> String {
    let (n, _) = list.number;
    if list.section.is_some_and(|s| s > 0) {
        let path = list.base.trim_end_matches('/');
        return match n {
            1 => format!("the list of section `{path}`"),
            n => format!("page {n} of the list of section `{path}`"),
        };
    }
    match list.template.as_str() {
        "tags.html" => "the tag index".to_string(),
        "tag.html" => {
            let name = list.tags.first().map_or("", |t| t.0.as_str());
            match n {
                1 => format!("the page of tag `{name}`"),
                n => format!("page {n} of tag `{name}`"),
            }
        }
        _ => format!("page {n} of the article list"),
    }
}

/// An output file name as case-insensitive file systems fold it: lower case, NFC.
pub(super) fn fold(file: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    file.to_lowercase().nfc().collect()
}

/// Output file names folded as case-insensitive file systems fold them (lower case, NFC),
/// each with the first file name that claimed it and its source.
struct FoldedNames<'a> {
    names: FastMap<Cow<'a, str>, (Cow<'a, str>, &'a Path)>,
}

/// An earlier output file whose name folds to the same as a later one.
struct Clash<'a> {
    address: String,
    source: &'a Path,
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

    /// Notes `file` (claimed by `source`; `folded` is [`fold`] of it) and returns the
    /// earlier file that folds to the same name but is not the same name, if there is one.
    fn clash(
        &mut self,
        file: Cow<'a, str>,
        folded: Cow<'a, str>,
        source: &'a Path,
    ) -> Option<Clash<'a>> {
        use unicode_normalization::UnicodeNormalization;
        match self.names.get(&folded) {
            Some((earlier, owner)) if *earlier != file => Some(Clash {
                address: earlier
                    .strip_suffix("index.html")
                    .unwrap_or(earlier)
                    .to_string(),
                source: owner,
                by: match earlier.nfc().eq(file.nfc()) {
                    true => FoldedBy::Normalisation,
                    false => FoldedBy::Case,
                },
            }),
            Some(_) => None,
            None => {
                self.names.insert(folded, (file, source));
                None
            }
        }
    }
}
