//! Reading the fields of content files, with the diagnostics every kind of file shares: a
//! required field that is missing, a date that does not exist, a quarter that is not one.

use std::ops::Range;

use crate::content::yaml::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::Date;
use crate::source::SourceFile;

/// A field's text, trimmed; empty when absent.
pub fn text(value: &Option<Text>) -> String {
    value
        .as_ref()
        .map(|t| t.as_str().to_string())
        .unwrap_or_default()
}

/// A required field that is missing or empty, with an example of how to write it.
pub fn missing(
    file: &SourceFile,
    span: Range<usize>,
    field: &str,
    name: &str,
    example: &str,
) -> Diagnostic {
    Diagnostic::error(
        Code::MissingField,
        format!("缺少{name} {field}"),
        format!("missing {field}"),
    )
    .at(file, span)
    .with_hint(format!("在元数据中添加一行，例如 {example}"))
}

pub fn bad_date(file: &SourceFile, span: Range<usize>, text: &str) -> Diagnostic {
    Diagnostic::error(
        Code::BadDate,
        format!("日期“{text}”无效：应为真实存在的日期，格式 年-月-日"),
        format!("invalid date `{text}`, expected YYYY-MM-DD"),
    )
    .at(file, span)
    .with_hint("例如 date: 2025-07-10（月和日都写两位数）")
}

pub fn bad_quarter(file: &SourceFile, span: Range<usize>, text: &str) -> Diagnostic {
    Diagnostic::error(
        Code::BadQuarter,
        format!("季度“{text}”无效：应为 年-Q季度，季度为 1 到 4"),
        format!("invalid quarter `{text}`, expected YYYY-Qn with n from 1 to 4"),
    )
    .at(file, span)
    .with_hint("例如 quarter: 2025-Q2；不写则按日期所在季度")
}

/// The provenance fields of an article's front matter; a `time` that is not `HH:MM` is an
/// error in `errors`.
pub fn provenance(
    file: &SourceFile,
    locate: &dyn Fn(&str) -> Range<usize>,
    raw: RawProvenance,
    errors: &mut Vec<Diagnostic>,
) -> crate::model::page::Provenance {
    let non_empty = |t: Option<String>| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let time = non_empty(raw.time.map(|t| t.0));
    if let Some(time) = &time {
        let valid = time.split_once(':').is_some_and(|(h, m)| {
            h.len() == 2
                && m.len() == 2
                && h.parse::<u32>().is_ok_and(|h| h < 24)
                && m.parse::<u32>().is_ok_and(|m| m < 60)
        });
        if !valid {
            errors.push(
                Diagnostic::error(
                    Code::BadDate,
                    format!("时间“{time}”无效：应为 时:分（北京时间）"),
                    format!("invalid time `{time}`, expected HH:MM"),
                )
                .at(file, locate("time"))
                .with_hint("例如 time: \"10:30\"（时和分都写两位数）"),
            );
        }
    }
    crate::model::page::Provenance {
        source: non_empty(raw.source),
        author: non_empty(raw.author),
        keywords: raw
            .keywords
            .into_iter()
            .filter_map(|k| non_empty(Some(k.0)))
            .collect(),
        time,
    }
}

/// The provenance keys of an article's front matter, as written.
#[derive(Debug, Default)]
pub struct RawProvenance {
    pub source: Option<String>,
    pub author: Option<String>,
    pub keywords: Vec<Text>,
    pub time: Option<Text>,
}

/// An optional date field: the date, nothing when absent or empty, or a diagnostic in
/// `errors` when it is not a real date.
pub fn optional_date(
    file: &SourceFile,
    span: Range<usize>,
    value: &Option<Text>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let text = value.as_ref().map(Text::as_str).filter(|d| !d.is_empty())?;
    Date::parse(text).or_else(|| {
        errors.push(bad_date(file, span, text));
        None
    })
}

/// A required date field (`date: 2024-07-10`): the date, or a diagnostic in `errors`.
pub fn required_date(
    file: &SourceFile,
    span: Range<usize>,
    value: &Option<Text>,
    name: &str,
    example: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Date> {
    match value.as_ref().map(Text::as_str) {
        None | Some("") => {
            errors.push(missing(file, span, "date", name, example));
            None
        }
        Some(text) => Date::parse(text).or_else(|| {
            errors.push(bad_date(file, span, text));
            None
        }),
    }
}
