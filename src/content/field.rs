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
