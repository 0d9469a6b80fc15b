//! Unknown fields: a top-level key no field reads is usually a typo (`titel:`) that would
//! otherwise be ignored in silence, so every command warns about it, with the nearest known
//! name as the hint. Keys inside data rows (values, history, targets, tasks, facilities,
//! events, winners) are refused by the parse itself (`deny_unknown_fields`): there a typo
//! would change what is published.

use serde::de::DeserializeOwned;

use crate::content::{front_matter, yaml};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::source::SourceFile;

/// Warnings for the top-level keys of `file.text[range]` that `T` does not read.
fn in_range<T: DeserializeOwned>(
    file: &SourceFile,
    range: std::ops::Range<usize>,
) -> Vec<Diagnostic> {
    let known = yaml::field_names::<T>();
    yaml::ignored_keys::<T>(file, range.clone())
        .into_iter()
        .map(|key| {
            let span = file
                .find_key(range.clone(), &key)
                .unwrap_or(range.start..range.start);
            let d = Diagnostic::warning(
                Code::UnknownField,
                format!("未知的字段“{key}”，将被忽略"),
                format!("unknown field `{key}` is ignored"),
            )
            .at(file, span);
            match nearest(&key, known.iter().copied()) {
                Some(near) => d.with_hint(format!("是否想写 {near}？")),
                None => d.with_hint(format!("可用的字段：{}", known.join(", "))),
            }
        })
        .collect()
}

/// Unknown top-level keys of a YAML file read as a `T`.
pub fn in_document<T: DeserializeOwned>(file: &SourceFile) -> Vec<Diagnostic> {
    in_range::<T>(file, 0..file.text.len())
}

/// Unknown keys of a Markdown file's front matter read as a `T`. A file without front matter
/// has its own error, and no fields to check.
pub fn in_front_matter<T: DeserializeOwned>(file: &SourceFile) -> Vec<Diagnostic> {
    match front_matter::split(file) {
        Ok(Some(parts)) => in_range::<T>(file, parts.yaml),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Raw {
        title: Option<String>,
        date: Option<String>,
        #[serde(default)]
        rows: Vec<Row>,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        value: Option<f64>,
    }

    #[test]
    fn a_typo_is_named_with_the_nearest_field() {
        let f = SourceFile::new("a.md", "---\ntitle: x\ntitel: y\n---\n");
        let found = in_front_matter::<Raw>(&f);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert!(found[0].hint.as_deref().unwrap().contains("title"));
    }

    #[test]
    fn the_known_names_come_from_the_struct() {
        assert_eq!(yaml::field_names::<Raw>(), ["title", "date", "rows"]);
        assert_eq!(yaml::field_names::<Row>(), ["value"]);
    }
}
