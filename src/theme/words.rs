//! The theme's words in each language brief ships (`words/<code>.toml`, in the binary): every
//! string the bundled templates print, with the date format, the stamp and chrono's locale for
//! month names. One loader; [`crate::config`] resolves a site's languages from it once.
//!
//! Adding a string is one line in each table: a unit test fails until every table has it.

use chrono::Locale;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The tables brief ships, by language code; English first, the fallback for any other.
const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("words/en.toml")),
    ("cy", include_str!("words/cy.toml")),
    ("de", include_str!("words/de.toml")),
    ("es", include_str!("words/es.toml")),
    ("fr", include_str!("words/fr.toml")),
];

/// One language's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub english_name: String,
    pub locale: Locale,
    /// A chrono strftime format for dates ("%-d %B %Y").
    pub format: String,
    /// The stamp, with `{date}` where the date goes.
    pub stamp: String,
    pub words: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    /// The language's name in English, for brief's own messages ("the French original").
    english_name: String,
    dates: RawDates,
    words: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDates {
    locale: String,
    format: String,
    stamp: String,
}

type Tables = BTreeMap<&'static str, Table>;

/// Every shipped table, read once. An error here is brief's own (the unit tests read them all).
fn tables() -> Result<&'static Tables, String> {
    static TABLES: OnceLock<Result<Tables, String>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            SHIPPED
                .iter()
                .map(|&(code, text)| {
                    let raw: RawTable = toml::from_str(text)
                        .map_err(|e| format!("brief's words for `{code}` cannot be read: {e}"))?;
                    let locale = Locale::try_from(raw.dates.locale.as_str())
                        .map_err(|_| format!("brief's words for `{code}` name no locale"))?;
                    let table = Table {
                        english_name: raw.english_name,
                        locale,
                        format: raw.dates.format,
                        stamp: raw.dates.stamp,
                        words: raw.words,
                    };
                    Ok((code, table))
                })
                .collect()
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The table for a language tag (BCP 47): its own language's (`fr` for `fr-CA`), else
/// English; month names from the tag's own region when chrono has it (`fr_CA`).
pub fn table(tag: &str) -> Result<Table, String> {
    let tables = tables()?;
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let english = tables.get("en").ok_or("brief has no English words")?;
    let mut table = tables.get(primary.as_str()).unwrap_or(english).clone();
    let regional = tag.split('-').nth(1).filter(|r| r.len() == 2);
    let own_locale = match regional {
        Some(region) => Locale::try_from(format!("{primary}_{}", region.to_uppercase()).as_str()),
        None => Locale::try_from(format!("{primary}_{}", primary.to_uppercase()).as_str()),
    };
    if let Ok(locale) = own_locale {
        table.locale = locale;
    } else if !tables.contains_key(primary.as_str()) {
        // No words and no locale of its own: English words with English month names.
        table.locale = english.locale;
    }
    Ok(table)
}

/// The keys every table has (English's), for "did you mean" in site.toml.
pub fn keys() -> Vec<&'static str> {
    tables()
        .ok()
        .and_then(|t| t.get("en"))
        .map(|t| t.words.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The English name of the language of tag `tag` ("French" for `fr-CA`), if brief has words
/// for it.
pub fn english_name(tag: &str) -> Option<&'static str> {
    let primary = tag.split('-').next()?.to_ascii_lowercase();
    let table = tables().ok()?.get(primary.as_str())?;
    Some(table.english_name.as_str())
}

/// The codes brief has words for.
pub fn shipped() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_every_word_and_no_other() {
        let tables = tables().unwrap();
        let english: Vec<&String> = tables["en"].words.keys().collect();
        for (code, table) in tables {
            let keys: Vec<&String> = table.words.keys().collect();
            assert_eq!(keys, english, "words/{code}.toml");
            for (key, word) in &table.words {
                assert!(!word.trim().is_empty(), "{code}.{key} is empty");
                // A placeholder of English's must be in every translation of it.
                let theirs = &tables["en"].words[key];
                for part in theirs.split('{').skip(1) {
                    let name = part.split('}').next().unwrap();
                    assert!(
                        word.contains(&format!("{{{name}}}")),
                        "{code}.{key}: {{{name}}}"
                    );
                }
            }
            assert!(table.stamp.contains("{date}"), "{code}: stamp");
        }
    }

    #[test]
    fn every_word_the_templates_use_is_in_the_tables() {
        let keys = keys();
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut used = 0;
        for entry in walkdir::WalkDir::new(folder) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (at, _) in text.match_indices("words.") {
                let key: String = text[at + 6..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    keys.contains(&key.as_str()),
                    "{:?}: words.{key}",
                    entry.path()
                );
                used += 1;
            }
        }
        assert!(used > 40, "the templates print {used} words");
    }

    #[test]
    fn tags_find_their_language_and_region() {
        assert_eq!(table("fr").unwrap().words["draft"], "Brouillon");
        assert_eq!(table("fr-CA").unwrap().locale, Locale::fr_CA);
        assert_eq!(table("en-AU").unwrap().locale, Locale::en_AU);
        assert_eq!(table("cy").unwrap().locale, Locale::cy_GB);
        let japanese = table("ja").unwrap();
        assert_eq!(japanese.words["draft"], "Draft");
        assert_eq!(japanese.locale, Locale::en_GB);
        assert_eq!(table("ja-JP").unwrap().locale, Locale::ja_JP);
        assert_eq!(table("x-klingon").unwrap().locale, Locale::en_GB);
    }
}
