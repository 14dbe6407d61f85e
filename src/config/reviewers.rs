//! `[reviewers.<id>]` in site.toml: the people and organisations who confirm articles,
//! defined once and named by id in front matter (`reviewed_by: <id>`).

use crate::diagnostic::{Diagnostic, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Someone who reviews articles, as readers and search engines see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewer {
    pub id: String,
    pub name: String,
    /// Their role or credential ("Principal engineer", "CPA"); empty for none.
    pub role: String,
    /// A page about them, as written (a site path from the root or an absolute address).
    pub url: Option<String>,
    /// An organisation (a team, the practice) rather than a person.
    pub organization: bool,
    /// The line of `[reviewers.<id>]` in site.toml.
    #[serde(skip)]
    pub line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReviewer {
    name: String,
    #[serde(default)]
    role: String,
    url: Option<String>,
    #[serde(default = "person")]
    kind: String,
}

fn person() -> String {
    "person".into()
}

/// Checks each `[reviewers.<id>]`: an id as CTAs have, a name, a kind.
pub(super) fn reviewers(
    text: &str,
    raw: BTreeMap<String, RawReviewer>,
) -> Result<BTreeMap<String, Reviewer>> {
    let mut out = BTreeMap::new();
    for (id, r) in raw {
        let table = format!("[reviewers.{id}]");
        let line = super::find_key_line(text, &table);
        let fail = |message: String, fix: &str| {
            Diagnostic::error(message)
                .on_line_opt(line)
                .with_fix(fix.to_string())
        };
        if !super::is_id(&id) {
            return Err(fail(
                format!("`{id}` cannot be a reviewer id"),
                "use lower-case letters, digits and hyphens, e.g. [reviewers.jane-citizen]",
            ));
        }
        if r.name.trim().is_empty() {
            return Err(fail(
                format!("{table} has no name"),
                "write the name readers see, e.g. name = \"Jane Citizen\"",
            ));
        }
        let organization = match r.kind.as_str() {
            "person" => false,
            "organization" | "organisation" => true,
            other => {
                return Err(fail(
                    format!("{table} kind is `{other}`"),
                    "write kind = \"person\" (the default) or kind = \"organization\"",
                ))
            }
        };
        if let Some(url) = r.url.as_deref() {
            let site_path = url.starts_with('/') && !url.starts_with("//");
            if !(site_path || url.starts_with("https://") || url.starts_with("http://")) {
                return Err(fail(
                    format!("{table} url `{url}` is neither a site path nor an address"),
                    "write a path on this site such as \"/about/\" or an address starting https://",
                ));
            }
        }
        out.insert(
            id.clone(),
            Reviewer {
                id,
                name: r.name.trim().to_string(),
                role: r.role.trim().to_string(),
                url: r.url.filter(|u| !u.is_empty()),
                organization,
                line,
            },
        );
    }
    Ok(out)
}

/// "the reviewers in site.toml are: a, b", for an unknown id.
pub fn known_reviewers_hint(reviewers: &BTreeMap<String, Reviewer>) -> String {
    if reviewers.is_empty() {
        "site.toml defines no reviewers; add one as [reviewers.ID] with a name".into()
    } else {
        let ids: Vec<&str> = reviewers.keys().map(String::as_str).collect();
        format!("the reviewers in site.toml are: {}", ids.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const MINIMAL: &str =
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[dates]\ntimezone = \"UTC\"\n";

    #[test]
    fn reviewers_are_checked_at_their_table() {
        let ok = Config::parse(&format!(
            "{MINIMAL}[reviewers.ana]\nname = \" Ana Lim \"\nrole = \"Principal\"\nurl = \"/about/\"\n[reviewers.team]\nname = \"The team\"\nkind = \"organization\"\n"
        ))
        .unwrap();
        let ana = &ok.reviewers["ana"];
        assert_eq!((ana.name.as_str(), ana.organization), ("Ana Lim", false));
        assert_eq!(ana.line, Some(5));
        assert!(ok.reviewers["team"].organization);

        for (table, wants, line) in [
            ("[reviewers.ana]\nname = \"\"\n", "has no name", 5),
            (
                "[reviewers.Ana]\nname = \"A\"\n",
                "cannot be a reviewer id",
                5,
            ),
            (
                "[reviewers.ana]\nname = \"A\"\nkind = \"robot\"\n",
                "kind",
                5,
            ),
            (
                "[reviewers.ana]\nname = \"A\"\nurl = \"about\"\n",
                "site path",
                5,
            ),
        ] {
            let e = Config::parse(&format!("{MINIMAL}{table}")).unwrap_err();
            assert!(e.message.contains(wants), "{e}");
            assert_eq!(e.line, Some(line), "{e}");
        }
        let e = Config::parse(&format!("{MINIMAL}[reviewers.ana]\nnmae = \"A\"\n")).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
    }
}
