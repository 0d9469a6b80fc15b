//! Unknown fields: a key no kind of file knows is usually a typo (`titel:`) that would otherwise
//! be ignored in silence, so every command warns about it, with the nearest known name as hint.

use std::ops::Range;

use crate::content::load::Loaded;
use crate::content::{area, config, environment_day, facility, front_matter, indicator};
use crate::content::{page, summary, yaml};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::source::SourceFile;

/// Warnings for the unknown top-level fields of one document (of each item, for list files).
fn in_document(file: &SourceFile, range: Range<usize>, known: &[&str]) -> Vec<Diagnostic> {
    yaml::keys(file, range.clone())
        .into_iter()
        .filter(|key| !known.contains(&key.as_str()))
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

/// Unknown fields in every file of a loaded site root.
pub fn fields(loaded: &Loaded) -> Vec<Diagnostic> {
    let whole = |f: &SourceFile, known: &[&str]| in_document(f, 0..f.text.len(), known);
    // Markdown files without front matter have their own error; they have no fields to check.
    let front = |f: &SourceFile, known: &[&str]| match front_matter::split(f) {
        Ok(Some(parts)) => in_document(f, parts.yaml, known),
        _ => Vec::new(),
    };
    let mut found = Vec::new();
    if let Some(f) = &loaded.site {
        found.extend(whole(f, config::FIELDS));
    }
    if let Some(f) = &loaded.areas {
        found.extend(whole(f, area::FIELDS));
    }
    for s in &loaded.summaries {
        found.extend(front(&s.source, summary::FIELDS));
    }
    for f in &loaded.pages {
        found.extend(front(f, page::FIELDS));
    }
    for f in &loaded.indicators {
        found.extend(whole(f, indicator::FIELDS));
    }
    for f in &loaded.facilities {
        found.extend(whole(f, facility::FIELDS));
    }
    for f in &loaded.environment_days {
        found.extend(whole(f, environment_day::FIELDS));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_named_with_the_nearest_field() {
        let f = SourceFile::new("a.md", "---\ntitle: x\ntitel: y\n---\n");
        let found = in_document(&f, 4..f.text.len() - 4, &["title", "date"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert!(found[0].hint.as_deref().unwrap().contains("title"));
    }

    #[test]
    fn every_item_of_a_list_is_checked() {
        let f = SourceFile::new("a.yaml", "- id: a\n- id: b\n  nmae: x\n");
        let found = in_document(&f, 0..f.text.len(), &["id", "name"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
    }
}
