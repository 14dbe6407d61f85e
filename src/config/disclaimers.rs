//! `[disclaimer.<id>]` in site.toml: the wording a practice's lawyers own, written once and
//! named by id in front matter (`disclaimer: <id>`, or `none`), in a section's `_index.md`,
//! or by `default_disclaimer`.

use crate::diagnostic::{did_you_mean, Diagnostic, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A disclaimer as site.toml writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclaimer {
    /// Markdown, rendered once per build ([`crate::render::Templates::disclaimer`]).
    pub text: String,
    /// Where it applies ("New South Wales"); empty for none.
    pub label: String,
    /// The line of `[disclaimer.<id>]` in site.toml.
    pub line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDisclaimer {
    text: String,
    #[serde(default)]
    label: String,
}

/// Checks each `[disclaimer.<id>]` (an id as CTAs have, some text) and `default_disclaimer`.
pub(super) fn disclaimers(
    text: &str,
    raw: BTreeMap<String, RawDisclaimer>,
    default: Option<&str>,
) -> Result<BTreeMap<String, Disclaimer>> {
    let mut out = BTreeMap::new();
    for (id, d) in raw {
        let table = format!("[disclaimer.{id}]");
        let line = super::find_key_line(text, &table);
        let fail = |message: String, fix: &str| {
            Diagnostic::error(message)
                .on_line_opt(line)
                .with_fix(fix.to_string())
        };
        if !super::is_id(&id) || id == "none" {
            return Err(fail(
                format!("`{id}` cannot be a disclaimer id"),
                "use lower-case letters, digits and hyphens, e.g. [disclaimer.general]; `none` is reserved",
            ));
        }
        if d.text.trim().is_empty() {
            return Err(fail(
                format!("{table} has no text"),
                "write the wording readers see, in Markdown, e.g. text = \"General information only, not advice for your situation.\"",
            ));
        }
        let label = d.label.trim().to_string();
        out.insert(
            id,
            Disclaimer {
                text: d.text,
                label,
                line,
            },
        );
    }
    if let Some(id) = default.filter(|id| !out.contains_key(*id)) {
        return Err(Diagnostic::error(format!(
            "default_disclaimer is `{id}`, but there is no [disclaimer.{id}]"
        ))
        .on_line_opt(super::find_key_line(text, "default_disclaimer"))
        .with_fix(did_you_mean(
            id,
            out.keys().map(String::as_str),
            known_disclaimers_hint(&out),
        )));
    }
    Ok(out)
}

/// "the disclaimers in site.toml are: a, b", for an unknown id.
pub fn known_disclaimers_hint(disclaimers: &BTreeMap<String, Disclaimer>) -> String {
    if disclaimers.is_empty() {
        "site.toml defines no disclaimers; add one as [disclaimer.ID] with a text, or write `disclaimer: none`".into()
    } else {
        let ids: Vec<&str> = disclaimers.keys().map(String::as_str).collect();
        format!(
            "the disclaimers in site.toml are: {}; or write `disclaimer: none`",
            ids.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const MINIMAL: &str =
        "title = \"T\"\nbase_url = \"https://example.com/\"\n[dates]\ntimezone = \"UTC\"\n";

    #[test]
    fn disclaimers_are_checked_at_their_lines() {
        let ok = Config::parse(&format!(
            "default_disclaimer = \"general\"\n{MINIMAL}[disclaimer.general]\ntext = \"Not advice.\"\nlabel = \" NSW \"\n"
        ))
        .unwrap();
        assert_eq!(ok.disclaimers["general"].label, "NSW");
        assert_eq!(ok.disclaimers["general"].line, Some(6));
        assert_eq!(ok.default_disclaimer.as_deref(), Some("general"));

        let e = Config::parse(&format!(
            "default_disclaimer = \"generl\"\n{MINIMAL}[disclaimer.general]\ntext = \"x\"\n"
        ))
        .unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.fix.unwrap().starts_with("did you mean `general`?"));
        let e =
            Config::parse(&format!("{MINIMAL}[disclaimer.general]\ntext = \" \"\n")).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let e = Config::parse(&format!("{MINIMAL}[disclaimer.none]\ntext = \"x\"\n")).unwrap_err();
        assert!(e.message.contains("cannot be a disclaimer id"), "{e}");
    }
}
