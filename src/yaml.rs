//! Every call to serde_yaml lives here, so that moving to a maintained fork
//! (serde_yaml_ng, serde-saphyr) is a change to this one file.

use serde::de::DeserializeOwned;

/// A YAML problem, with the line inside the YAML text where the parser knows it.
#[derive(Debug)]
pub struct YamlError {
    /// 1-based line within the YAML text given to [`from_str`].
    pub line: Option<usize>,
    pub message: String,
}

/// Deserializes YAML text. An empty document deserializes as an empty mapping.
pub fn from_str<T: DeserializeOwned>(yaml: &str) -> Result<T, YamlError> {
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    // Typed deserialization into a map keeps the last of two equal keys without a word;
    // a first pass into serde_yaml's own Value refuses them.
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
        let mut error = convert(e);
        // Its location is the start of the mapping, not the repeated key.
        if let Some(line) = duplicate_key_line(text, &error.message) {
            error.line = Some(line);
        }
        error
    })?;
    serde_yaml::from_str(text).map_err(convert)
}

/// serde_yaml names a duplicate key but not where it is: the second line that sets it.
fn duplicate_key_line(text: &str, message: &str) -> Option<usize> {
    let key = message
        .split("duplicate entry with key ")
        .nth(1)?
        .trim_matches('"');
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(&prefix))
        .nth(1)
        .map(|(i, _)| i + 1)
}

fn convert(e: serde_yaml::Error) -> YamlError {
    {
        let line = e.location().map(|l| l.line());
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; the caller reports the line in the
        // file instead, which is more useful than the line in the block.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        YamlError { line, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn lines_are_one_based_within_the_block() {
        let e = from_str::<BTreeMap<String, String>>("a: 1\nb: [\n").unwrap_err();
        assert!(e.line.is_some());
        let e = from_str::<BTreeMap<String, String>>("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{}", e.message);
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn empty_is_an_empty_mapping() {
        let m: BTreeMap<String, String> = from_str("  \n").unwrap();
        assert!(m.is_empty());
    }
}
