//! Splits a Markdown file into its YAML front matter (between two `---` lines) and its body,
//! as byte ranges into the file so that YAML errors keep their true line numbers.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the fences (may be empty).
    pub yaml: Range<usize>,
    /// Everything after the closing fence.
    pub body: Range<usize>,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// `Ok(None)` when the file has no front matter (it does not start with `---`).
pub fn split(file: &SourceFile) -> Result<Option<Parts>, Diagnostic> {
    let text = &*file.text;
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if !is_fence(first) {
        return Ok(None);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if is_fence(line) {
            return Ok(Some(Parts {
                yaml: yaml_start..offset,
                body: offset + line.len()..text.len(),
            }));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Code::FrontMatterUnclosed,
        "元数据(front matter)以 --- 开始，但没有以 --- 结束",
        "front matter opened with --- is never closed",
    )
    .at(file, 0..3)
    .with_hint("在元数据的最后一个字段之后另起一行，写上 ---"))
}

/// Reads a Markdown document whose front matter is required: its typed front matter and the
/// range of its body.
pub fn read<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<(T, Range<usize>), Diagnostic> {
    let Some(parts) = split(file)? else {
        return Err(Diagnostic::error(
            Code::FrontMatterMissing,
            "缺少元数据(front matter)：文件应以 --- 开头",
            "missing front matter: the file must start with ---",
        )
        .at(file, 0..0)
        .with_hint("在文件开头加上\n---\ntitle: 标题\ndate: 2025-07-10\n---"));
    };
    let front = crate::content::yaml::parse(file, parts.yaml)?;
    Ok((front, parts.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Result<Option<(String, String)>, Diagnostic> {
        let f = SourceFile::new("x.md", text);
        split(&f).map(|p| p.map(|p| (f.text[p.yaml].to_string(), f.text[p.body].to_string())))
    }

    #[test]
    fn splits_yaml_and_body() {
        let (yaml, body) = parts("---\ntitle: 标题\n---\n正文\n").unwrap().unwrap();
        assert_eq!(yaml, "title: 标题\n");
        assert_eq!(body, "正文\n");
    }

    #[test]
    fn windows_line_endings_and_empty_front_matter() {
        let (yaml, body) = parts("---\r\ntitle: a\r\n---\r\nbody").unwrap().unwrap();
        assert_eq!(yaml, "title: a\r\n");
        assert_eq!(body, "body");
        let (yaml, body) = parts("---\n---\n").unwrap().unwrap();
        assert_eq!((yaml.as_str(), body.as_str()), ("", ""));
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(parts("# 标题\n\n---\n").unwrap(), None);
        assert_eq!(parts("").unwrap(), None);
        assert_eq!(parts("----\ntitle: x\n----\n").unwrap(), None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let err = parts("---\ntitle: 标题\n正文没有结束线\n").unwrap_err();
        assert_eq!(err.code, Code::FrontMatterUnclosed);
        assert_eq!((err.line, err.column), (1, 1));
    }

    #[test]
    fn a_fence_inside_the_body_is_body() {
        let (_, body) = parts("---\na: 1\n---\n上文\n---\n下文\n").unwrap().unwrap();
        assert_eq!(body, "上文\n---\n下文\n");
    }
}
