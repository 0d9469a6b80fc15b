//! Source files as read from the site root: their text, their path relative to the root, and the
//! mapping from byte offsets to line and column that every diagnostic needs.

use std::ops::Range;
use std::sync::Arc;

/// One text file of the content tree, kept whole so that errors can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (`content/site.yaml`).
    pub path: String,
    /// The file's text without a leading UTF-8 byte-order mark.
    pub text: Arc<str>,
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        SourceFile {
            path: path.into(),
            text: Arc::from(text),
        }
    }

    /// The file up to a byte offset (its front matter, say): positions in it are the same.
    pub fn front(&self, end: usize) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            text: Arc::from(self.text.get(..end).unwrap_or(&self.text)),
        }
    }

    /// Line and column of a byte offset (clamped to the text, and to a character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        LineCol { line, column }
    }

    /// Byte offset of the start of a 1-based line (the end of the text past the last line).
    pub fn line_offset(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        self.text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(self.text.len(), |(i, _)| i + 1)
    }

    /// Byte range of a 1-based line and column, one character long (or empty at the end of a line).
    pub fn span_at(&self, line: usize, column: usize) -> Range<usize> {
        let start = self.line_offset(line);
        let line_text = self.text[start..].split('\n').next().unwrap_or("");
        let within: usize = line_text
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        let at = start + within;
        let len = self.text[at..]
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(0, char::len_utf8);
        at..at + len
    }

    /// The byte range of the first `key:` at the start of a line (ignoring indentation), whose
    /// value follows; the key itself when the value is empty. Used to point at a field whose
    /// *meaning* is wrong, which serde cannot locate for us.
    pub fn find_key(&self, within: Range<usize>, key: &str) -> Option<Range<usize>> {
        let region = self.text.get(within.clone())?;
        let mut offset = within.start;
        for line in region.split_inclusive('\n') {
            let trimmed = line.trim_start_matches([' ', '-']);
            let indent = line.len() - trimmed.len();
            if let Some(rest) = trimmed.strip_prefix(key) {
                if let Some(after_colon) = rest.strip_prefix(':') {
                    let value = after_colon.trim();
                    let key_start = offset + indent;
                    if value.is_empty() {
                        return Some(key_start..key_start + key.len());
                    }
                    let value_start = key_start
                        + key.len()
                        + 1
                        + (after_colon.len() - after_colon.trim_start().len());
                    return Some(value_start..value_start + value.len());
                }
            }
            offset += line.len();
        }
        None
    }
}

impl SourceFile {
    /// The value of the first `key:` at or after `from` and before `to`, wherever it stands on
    /// its line (also inside a flow mapping such as `{ period: 2024-Q1, value: 41.2 }`).
    pub fn find_value(&self, from: usize, to: usize, key: &str) -> Option<Range<usize>> {
        let region = self.text.get(from..to.min(self.text.len()))?;
        let needle = format!("{key}:");
        let mut search = 0;
        while let Some(found) = region[search..].find(&needle) {
            let at = search + found;
            let before = region[..at].chars().next_back();
            search = at + needle.len();
            if before.is_some_and(|c| !(c.is_whitespace() || c == '{' || c == ',' || c == '-')) {
                continue;
            }
            let rest = &region[search..];
            let value_len = rest.find([',', '}', '\n', '#']).unwrap_or(rest.len());
            let raw = &rest[..value_len];
            let lead = raw.len() - raw.trim_start().len();
            let start = from + search + lead;
            let value = raw.trim();
            return Some(if value.is_empty() {
                from + at..from + at + key.len()
            } else {
                start..start + value.len()
            });
        }
        None
    }

    /// Where the YAML block of the key on the line holding `at` ends: after the lines indented
    /// deeper than that key (blank and comment lines included), so that a search for a nested
    /// key stays inside its parent.
    pub fn block_end(&self, at: usize) -> usize {
        let line_start = self.text[..at.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
        let mut lines = self.text[line_start..].split_inclusive('\n');
        let Some(first) = lines.next() else {
            return self.text.len();
        };
        let own = indent(first);
        let mut end = line_start + first.len();
        for line in lines {
            let body = line.trim();
            if !body.is_empty() && !body.starts_with('#') && indent(line) <= own {
                break;
            }
            end += line.len();
        }
        end
    }

    /// The byte ranges of the top-level list items (`- ` at column 0) of a YAML list file, so that
    /// an error about item n points into item n. Falls back to the whole file for other layouts.
    pub fn list_item_regions(&self, count: usize) -> Vec<Range<usize>> {
        let mut starts = Vec::new();
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            if line.starts_with("- ") || line.trim_end() == "-" {
                starts.push(offset);
            }
            offset += line.len();
        }
        if starts.len() != count {
            return vec![0..self.text.len(); count];
        }
        let ends = starts
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(self.text.len()));
        starts
            .iter()
            .copied()
            .zip(ends)
            .map(|(s, e)| s..e)
            .collect()
    }

    /// Start offsets of each occurrence of `key:` from `from` on, in order: with `period`, the
    /// entries of a list of periods.
    pub fn key_offsets(&self, from: usize, key: &str) -> Vec<usize> {
        let needle = format!("{key}:");
        self.text
            .get(from..)
            .map(|region| {
                region
                    .match_indices(&needle)
                    .map(|(i, _)| from + i)
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.yaml", "title: 标题\narea: 空气\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let at = f.text.find("空气").unwrap();
        assert_eq!(f.line_col(at), LineCol { line: 2, column: 7 });
    }

    #[test]
    fn bom_is_dropped() {
        let f = SourceFile::new("a.yaml", "\u{feff}title: x");
        assert!(f.text.starts_with("title"));
    }

    #[test]
    fn span_at_points_to_the_character() {
        let f = SourceFile::new("a.yaml", "a: 1\nbé: 2\n");
        let r = f.span_at(2, 2);
        assert_eq!(&f.text[r], "é");
        assert_eq!(f.span_at(9, 9), f.text.len()..f.text.len());
    }

    #[test]
    fn find_value_inside_flow_mappings() {
        let f = SourceFile::new("a.yaml", "values:\n  - { period: 2024-Q1, value: .nan }\n  - { period: 2024-Q2, value: 3, note: x }\n");
        let starts = f.key_offsets(0, "period");
        assert_eq!(starts.len(), 2);
        let r = f.find_value(starts[0], starts[1], "value").unwrap();
        assert_eq!(&f.text[r], ".nan");
        let r = f.find_value(starts[1], f.text.len(), "note").unwrap();
        assert_eq!(&f.text[r], "x");
        assert!(f.find_value(starts[0], starts[1], "note").is_none());
    }

    #[test]
    fn find_key_locates_value() {
        let f = SourceFile::new("a.md", "---\ntitle: 标题\n  area: aire\n---\n");
        let r = f.find_key(0..f.text.len(), "area").unwrap();
        assert_eq!(&f.text[r], "aire");
        assert!(f.find_key(0..f.text.len(), "date").is_none());
        let r = f.find_key(0..10, "title");
        assert!(r.is_none() || r.unwrap().end <= 10);
    }
}
