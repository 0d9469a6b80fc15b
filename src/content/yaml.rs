//! The one place YAML is parsed. Everything else asks this module for typed values and gets
//! diagnostics located in the original file, so the YAML library could be swapped here alone.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;

use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::source::SourceFile;

/// Parses `file.text[range]` as a `T`. An empty document is read as an empty mapping, so that a
/// blank file gets "missing field" errors rather than a parser message.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, range: Range<usize>) -> Result<T, Diagnostic> {
    let value = value(file, range.clone())?;
    T::deserialize(value).map_err(|_| {
        // A `Value` has no positions. Only a document already known to be wrong is read again,
        // straight from the text, for serde_yaml to say where.
        let located = serde_yaml::from_str::<T>(&file.text[range.clone()]).err();
        match located {
            Some(e) => to_diagnostic(file, range.start, &e),
            None => unlocated(file, range.start),
        }
    })
}

/// The whole document as a tree: syntax first, so that a syntax error further down is reported
/// rather than a type error it causes above it, and alias bombs and runaway nesting meet
/// serde_yaml's limits before anything is typed.
fn value(file: &SourceFile, range: Range<usize>) -> Result<serde_yaml::Value, Diagnostic> {
    let text = &file.text[range.clone()];
    let is_blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if is_blank {
        return Ok(serde_yaml::Value::Mapping(serde_yaml::Mapping::new()));
    }
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(file, range.start, &e))
}

/// The top-level keys of the document that `T` does not read (serde_ignored, as Cargo uses for
/// its manifests). Nested structs of the content files refuse unknown keys themselves
/// (`deny_unknown_fields`): a typo there would change a published figure. Nothing when the
/// document does not parse (that error is reported by `parse`).
pub fn ignored_keys<T: DeserializeOwned>(file: &SourceFile, range: Range<usize>) -> Vec<String> {
    let Ok(value) = value(file, range) else {
        return Vec::new();
    };
    let mut ignored = Vec::new();
    let _ = serde_ignored::deserialize(value, |path| {
        if let serde_ignored::Path::Map { parent, key } = path {
            if matches!(parent, serde_ignored::Path::Root) {
                ignored.push(key.clone());
            }
        }
    })
    .map(|_: T| ());
    ignored
}

/// The field names of the struct `T`, as serde knows them: the known names for a hint, with
/// no list to keep by hand.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("only the names were wanted"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

/// Should the text and the tree ever disagree, the error is still an error, at the document.
fn unlocated(file: &SourceFile, base: usize) -> Diagnostic {
    Diagnostic::error(
        Code::YamlType,
        "字段的类型不对",
        "a field has the wrong type",
    )
    .at(file, base..base)
    .with_hint("检查这一行的值：文字、数字、列表(- 开头)和键值对(键: 值)不能混用")
}

/// Parses a whole file.
pub fn parse_file<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    parse(file, 0..file.text.len())
}

fn to_diagnostic(file: &SourceFile, base: usize, error: &serde_yaml::Error) -> Diagnostic {
    let english = error.to_string();
    // serde_yaml appends " at line L column C"; the location is shown separately.
    let english = english
        .split(" at line ")
        .next()
        .unwrap_or(&english)
        .to_string();
    let (code, message, hint) = explain(&english);
    let diagnostic = Diagnostic::error(code, message, english.clone());
    // serde_yaml points at the mapping; the editor needs the second, offending line.
    if code == Code::Duplicate {
        if let Some(key) = english.split(['`', '"']).nth(1) {
            let region = &file.text[base..];
            let mut offset = base;
            let mut seen = 0;
            for line in region.split_inclusive('\n') {
                let trimmed = line.trim_start_matches([' ', '-']);
                if trimmed
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
                {
                    seen += 1;
                    if seen == 2 {
                        let start = offset + (line.len() - trimmed.len());
                        let span = start..start + key.len();
                        let d = diagnostic.at(file, span);
                        return match hint {
                            Some(h) => d.with_hint(h),
                            None => d,
                        };
                    }
                }
                offset += line.len();
            }
        }
    }
    let diagnostic = match error.location() {
        Some(at) => {
            let start = base + at.index();
            let span = file.span_at(file.line_col(start).line, file.line_col(start).column);
            diagnostic.at(file, span)
        }
        None => diagnostic.at(file, base..base),
    };
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// Turns serde_yaml's English into a Chinese message and a hint an editor can act on.
fn explain(english: &str) -> (Code, String, Option<String>) {
    let field = |prefix: &str| {
        english
            .split(prefix)
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or("")
            .to_string()
    };
    if english.contains("missing field") {
        let name = field("missing field `");
        return (
            Code::MissingField,
            format!("缺少必填字段 {name}"),
            Some(format!("请添加一行 `{name}: …`")),
        );
    }
    if english.contains("unknown field") {
        let name = field("unknown field `");
        let known: Vec<&str> = english
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let hint = if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) {
            "数字里的逗号把一个值拆成了两个：小数请写成 35.2（英文句点），千位不要加逗号"
                .to_string()
        } else {
            match nearest(&name, known.iter().copied()) {
                Some(near) => format!("是否想写 {near}？"),
                None => format!("可用的字段：{}", known.join(", ")),
            }
        };
        return (
            Code::UnknownDataField,
            format!("未知的字段“{name}”：这一项数据会因此发布错误，所以不能忽略"),
            Some(hint),
        );
    }
    if english.contains("unknown variant") {
        return (
            Code::BadValue,
            "取值不在允许的范围内".to_string(),
            english
                .split("expected ")
                .nth(1)
                .map(|allowed| format!("允许的取值: {allowed}")),
        );
    }
    if english.contains("invalid type")
        || english.contains("invalid value")
        || english.contains("invalid length")
    {
        return (
            Code::YamlType,
            "字段的类型不对".to_string(),
            Some("检查这一行的值：文字、数字、列表(- 开头)和键值对(键: 值)不能混用".to_string()),
        );
    }
    if english.contains("duplicate") {
        return (
            Code::Duplicate,
            "同一个字段出现了两次".to_string(),
            Some("删除重复的那一行".to_string()),
        );
    }
    if english.contains("recursion limit") || english.contains("repetition limit") {
        return (
            Code::YamlSyntax,
            "YAML 嵌套或引用(别名)过多，无法读取".to_string(),
            Some("请减少嵌套层数，不要用 & 和 * 重复引用".to_string()),
        );
    }
    let hint = if english.contains("tab") {
        "YAML 不能用制表符(Tab)缩进，请改用空格"
    } else if english.contains("mapping values are not allowed") {
        "值里含有冒号时请用引号把整个值括起来，例如 title: \"标题：副标题\""
    } else {
        "检查这一行及上一行的缩进、冒号和引号是否成对"
    };
    (
        Code::YamlSyntax,
        "YAML 语法错误".to_string(),
        Some(hint.to_string()),
    )
}

/// A scalar written by an editor, read as text whatever YAML made of it: `title: 2024` is the
/// text "2024", `date: 2024-07-10` the text "2024-07-10".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, number or date")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(if v { "true" } else { "false" }.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        self.0.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Doc {
        title: Text,
        #[serde(default)]
        count: Option<u32>,
    }

    #[test]
    fn parses_and_reads_scalars_as_text() {
        let f = SourceFile::new("a.yaml", "title: 2024\ncount: 3\n");
        let doc: Doc = parse_file(&f).unwrap();
        assert_eq!(doc.title.as_str(), "2024");
        assert_eq!(doc.count, Some(3));
    }

    #[test]
    fn syntax_error_is_located_in_the_file() {
        let f = SourceFile::new("a.md", "---\ntitle: ok\ncount: 1\n  bad: indent\n---\n");
        let range = 4..f.text.len() - 4;
        let err = parse::<Doc>(&f, range).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax, "{err:?}");
        assert_eq!(err.file, "a.md");
        assert!(
            err.line >= 3,
            "line {} should be in the YAML, past the fence",
            err.line
        );
    }

    #[test]
    fn type_error_names_the_line() {
        let f = SourceFile::new("a.yaml", "title: x\ncount: 很多\n");
        let err = parse_file::<Doc>(&f).unwrap_err();
        assert_eq!(err.code, Code::YamlType);
        assert_eq!(err.line, 2);
    }

    #[test]
    fn tab_indentation_gets_a_hint() {
        let f = SourceFile::new("a.yaml", "title: x\n\tcount: 1\n");
        let err = parse_file::<Doc>(&f).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax);
        assert_eq!(err.line, 2);
        assert!(err.hint.unwrap().contains("Tab"));
    }

    #[test]
    fn blank_document_means_missing_fields() {
        let f = SourceFile::new("a.yaml", "# 只有注释\n\n");
        let err = parse_file::<Doc>(&f).unwrap_err();
        assert_eq!(err.code, Code::MissingField);
        assert!(err.message.contains("title"));
    }

    #[test]
    fn alias_bomb_is_refused_not_expanded() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        text.push_str("title: x\n");
        let f = SourceFile::new("bomb.yaml", &text);
        assert!(parse_file::<serde_yaml::Value>(&f).is_err());
    }
}
