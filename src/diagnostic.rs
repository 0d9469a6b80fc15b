//! Diagnostics: every problem found in a site root, with its stable code, where it is, a message
//! in Chinese with an English gloss, and a hint. Stages collect them all instead of stopping at
//! the first, and one renderer prints them the same way for every command.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

use crate::source::SourceFile;

/// Stable diagnostic codes. The number is part of the interface: editors and scripts quote it,
/// so a code is never reused for another meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A file or folder could not be read.
    Unreadable,
    /// A text file is not valid UTF-8.
    NotUtf8,
    /// A required file (site.yaml, areas.yaml) is missing.
    MissingFile,
    /// YAML that does not parse.
    YamlSyntax,
    /// YAML that parses but has the wrong shape or type.
    YamlType,
    /// Front matter opened with `---` but never closed.
    FrontMatterUnclosed,
    /// A Markdown file without front matter where one is required.
    FrontMatterMissing,
    /// A required field is missing or empty.
    MissingField,
    /// A date that is not a real `YYYY-MM-DD` calendar date.
    BadDate,
    /// A quarter that is not `YYYY-Qn` with n in 1..=4.
    BadQuarter,
    /// An area id that areas.yaml does not define.
    UnknownArea,
    /// An indicator id that content/indicators/ does not define.
    UnknownIndicator,
    /// A task id the work plan (areas.yaml) does not define.
    UnknownTask,
    /// A task reported done and later reported not done (a warning).
    TaskReopened,
    /// A task past its due quarter and not done, or not reported for two quarters (a warning
    /// of `check`).
    TaskLate,
    /// A target with no value of the site's year yet, or still worded for an earlier year (a
    /// warning of `check`: what a year rolled over leaves for the editor).
    TargetUnreported,
    /// Two items with the same id or the same output URL.
    Duplicate,
    /// A slug or path that would leave its folder or is not usable in a URL.
    BadPath,
    /// A value outside what the field allows (an unknown status, an unknown theme).
    BadValue,
    /// A template of the theme failed to load or render.
    Template,
    /// The output could not be written, or the folder given may not be replaced.
    Output,
    /// Another run holds the site's lock.
    Busy,
    /// A command-line value that is not usable (a malformed period, a missing folder).
    Usage,
    /// A collection form (报送表) that cannot be imported: a cell that is not what its column
    /// takes, a row for an unknown id, a form of another period or with its columns moved.
    Form,
    /// A field no kind of file knows (a warning).
    UnknownField,
    /// A key a data row does not have (an error: the row would be published without it).
    UnknownDataField,
    /// A link or image that leads nowhere.
    BrokenLink,
    /// A content file that no page uses (a warning).
    Unused,
    /// A rule every government website must follow (国办发〔2017〕47号; a warning).
    GovernmentRule,
    /// The site differs from what was last published (a warning of `check`, only once
    /// something was published).
    UnpublishedChanges,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "E0101",
            Code::NotUtf8 => "E0102",
            Code::MissingFile => "E0103",
            Code::YamlSyntax => "E0201",
            Code::YamlType => "E0202",
            Code::FrontMatterUnclosed => "E0301",
            Code::FrontMatterMissing => "E0302",
            Code::MissingField => "E0401",
            Code::BadDate => "E0402",
            Code::BadQuarter => "E0403",
            Code::UnknownArea => "E0404",
            Code::Duplicate => "E0405",
            Code::UnknownIndicator => "E0408",
            Code::UnknownTask => "E0409",
            Code::TaskReopened => "W0410",
            Code::TaskLate => "W0802",
            Code::TargetUnreported => "W0803",
            Code::BadPath => "E0406",
            Code::BadValue => "E0407",
            Code::Template => "E0501",
            Code::Output => "E0601",
            Code::Busy => "E0602",
            Code::Usage => "E0603",
            Code::Form => "E0901",
            Code::UnknownField => "W0203",
            Code::UnknownDataField => "E0204",
            Code::BrokenLink => "E0701",
            Code::Unused => "W0702",
            Code::GovernmentRule => "W0801",
            Code::UnpublishedChanges => "W0804",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Path relative to the site root (`content/summaries/air/x.md`), empty when not about a file.
    pub file: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub message_en: String,
    pub hint: Option<String>,
    /// The cell of a spreadsheet (`指标!D7`) when the problem is in one; `file` names the
    /// workbook, and `line` and `column` are the cell's row and column (1-based).
    pub cell: Option<String>,
    source: Option<Arc<str>>,
    span: Range<usize>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, message_en: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: String::new(),
            line: 0,
            column: 0,
            message: message.into(),
            message_en: message_en.into(),
            hint: None,
            cell: None,
            source: None,
            span: 0..0,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>, message_en: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, message_en)
        }
    }

    /// About a whole file, without a position.
    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        self.file = path.into();
        self
    }

    /// About a byte range of a source file.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        let start = span.start.min(file.text.len());
        let end = span.end.clamp(start, file.text.len());
        let at = file.line_col(start);
        self.file = file.path.clone();
        self.line = at.line;
        self.column = at.column;
        self.source = Some(file.text.clone());
        self.span = start..end;
        self
    }

    /// About a 1-based line and column of a source file.
    pub fn at_line_col(self, file: &SourceFile, line: usize, column: usize) -> Self {
        let span = file.span_at(line, column);
        self.at(file, span)
    }

    /// About a cell of a spreadsheet: `row` and `column` 0-based, as spreadsheet readers count.
    pub fn in_cell(
        mut self,
        workbook: impl Into<String>,
        sheet: &str,
        row: u32,
        column: u32,
    ) -> Self {
        self.file = workbook.into();
        self.line = row as usize + 1;
        self.column = column as usize + 1;
        self.cell = Some(format!("{sheet}!{}", cell_name(row, column)));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether the problem lies in how ecosite was run or in its surroundings (exit 2), not in
    /// the content (exit 1).
    pub fn is_environment(&self) -> bool {
        matches!(self.code, Code::Output | Code::Busy | Code::Usage)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One JSON object: `code`, `severity`, `file`, `line`, `column`, `message`, `message_en`,
    /// `hint` (for `check --format json`).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "message_en": self.message_en,
            "hint": self.hint,
            "cell": self.cell,
        })
        .to_string()
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        if let Some(cell) = &self.cell {
            return format!("{}:{cell}", self.file);
        }
        match (self.file.is_empty(), self.line) {
            (true, _) => String::new(),
            (false, 0) => self.file.clone(),
            (false, line) => format!("{}:{}:{}", self.file, line, self.column),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `content/x.md:3:7: 错误[E0404] 未知的领域 (unknown area)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let location = self.location();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        write!(
            f,
            "{kind}[{}] {} ({})",
            self.code, self.message, self.message_en
        )
    }
}

/// A cell's name as spreadsheets write it: column letters, then the 1-based row (`D7`).
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Sorts diagnostics by file and position so that output is stable and easy to follow.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// Renders diagnostics for a person: the message, the location, the source line with the span
/// underlined, and the hint. `color` is for terminals only.
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    let mut buffer = if color {
        term::termcolor::Buffer::ansi()
    } else {
        term::termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut notes = vec![format!("English: {}", d.message_en)];
        if let Some(hint) = &d.hint {
            notes.push(format!("提示: {hint}"));
        }
        let head = cs::Diagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_notes(notes);
        let file = SimpleFile::new(d.file.clone(), d.source.as_deref().unwrap_or(""));
        let head = if d.source.is_some() {
            head.with_labels(vec![cs::Label::primary((), d.span.clone())])
        } else if !d.file.is_empty() {
            head.with_notes(vec![format!("位置: {}", d.location())])
        } else {
            head
        };
        if term::emit(&mut buffer, &config, &file, &head).is_err() {
            // The span did not fit the text: fall back to the one-line form rather than lose it.
            let _ = std::io::Write::write_fmt(&mut buffer, format_args!("{d}\n"));
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_and_hint() {
        let file = SourceFile::new("content/areas.yaml", "- id: air\n  parent: polution\n");
        let at = file.text.find("polution").unwrap();
        let d = Diagnostic::error(
            Code::UnknownArea,
            "未知的领域 polution",
            "unknown area polution",
        )
        .at(&file, at..at + 8)
        .with_hint("是否想写 pollution？");
        assert_eq!(d.location(), "content/areas.yaml:2:11");
        let text = render(&[d], false);
        assert!(text.contains("E0404"), "{text}");
        assert!(text.contains("content/areas.yaml:2:11"), "{text}");
        assert!(text.contains("parent: polution"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
        assert!(text.contains("pollution？"), "{text}");
        assert!(text.contains("unknown area polution"), "{text}");
    }

    #[test]
    fn one_line_form_names_file_line_and_code() {
        let d = Diagnostic::error(Code::BadDate, "日期无效", "bad date").in_file("content/x.md");
        assert_eq!(
            d.to_string(),
            "content/x.md: 错误[E0402] 日期无效 (bad date)"
        );
    }

    #[test]
    fn a_cell_is_named_as_spreadsheets_name_it() {
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
        let d = Diagnostic::error(Code::Form, "不是数字", "not a number").in_cell(
            "报送表.xlsx",
            "指标",
            6,
            7,
        );
        assert_eq!(d.location(), "报送表.xlsx:指标!H7");
        assert!(render(&[d], false).contains("报送表.xlsx:指标!H7"));
    }

    #[test]
    fn sort_orders_by_file_then_line() {
        let f = SourceFile::new("b.yaml", "a\nb\nc\n");
        let mut v = vec![
            Diagnostic::error(Code::BadDate, "x", "x").at_line_col(&f, 3, 1),
            Diagnostic::error(Code::BadDate, "x", "x").in_file("a.yaml"),
            Diagnostic::error(Code::BadDate, "x", "x").at_line_col(&f, 1, 1),
        ];
        sort(&mut v);
        let order: Vec<_> = v.iter().map(Diagnostic::location).collect();
        assert_eq!(order, ["a.yaml", "b.yaml:1:1", "b.yaml:3:1"]);
    }
}

/// The candidate closest to a misspelt name, if one is close enough to be a likely typo: a few
/// letters off (`vaule` → `value`), or the known name with something added or cut
/// (`alt_text` → `alt`).
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1) + 1;
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|c| (strsim::levenshtein(name, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c);
    let shorter = |a: &str, b: &str| a.len() >= 3 && b.starts_with(a);
    close.or_else(|| {
        candidates
            .into_iter()
            .filter(|c| shorter(c, name) || shorter(name, c))
            .max_by_key(|c| c.len())
    })
}

#[cfg(test)]
mod nearest_tests {
    use super::nearest;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let ids = ["air", "water", "soil", "pollution"];
        assert_eq!(nearest("polution", ids), Some("pollution"));
        assert_eq!(nearest("watr", ids), Some("water"));
        assert_eq!(nearest("biodiversity", ids), None);
    }
}
