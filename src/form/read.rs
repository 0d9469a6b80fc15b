//! Reads a filled-in form back as sheets of cells: `.xlsx`, `.xls` and `.ods` with calamine,
//! and a `.csv` laid out like one data sheet. Nothing here knows what the cells mean.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::{HEADER_ROW, TARGETS, TASKS, TASK_COLUMNS};
use crate::diagnostic::{Code, Diagnostic};

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    /// A date, a truth value or a formula error: never what a form's cell takes.
    Other(String),
}

impl Cell {
    /// The cell as text, trimmed (a number as it reads back).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(n) => crate::text::format_number(*n),
            Cell::Text(t) | Cell::Other(t) => t.trim().to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet: its name and its cells by 0-based row and column, from A1.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: u32, col: u16) -> &Cell {
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&Cell::Empty)
    }
}

/// The sheets of the form at `path`; `shown` is how messages name the file.
pub fn read(path: &Path, shown: &str) -> Result<Vec<Sheet>, Diagnostic> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => read_csv(path, shown).map(|sheet| vec![sheet]),
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, shown),
        _ => Err(Diagnostic::error(
            Code::Usage,
            format!("无法识别的报送表格式“{shown}”"),
            "the form must be .xlsx, .xls, .ods or .csv",
        )
        .with_hint("请另存为 .xlsx（Excel、WPS）或 .ods（LibreOffice）后再导入")),
    }
}

fn unreadable(shown: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Usage,
        format!("无法读取报送表 {shown}"),
        format!("cannot read the form: {e}"),
    )
    .in_file(shown)
    .with_hint("确认文件存在、已保存并关闭，且是 ecosite sheet 生成的报送表")
}

fn read_workbook(path: &Path, shown: &str) -> Result<Vec<Sheet>, Diagnostic> {
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(shown, e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| unreadable(shown, e))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(row.iter().map(cell));
            rows.push(cells);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Other(b.to_string()),
        Data::DateTime(d) => Cell::Other(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Other(s.clone()),
        Data::Error(e) => Cell::Other(e.to_string()),
    }
}

/// A CSV is one data sheet; which one its header row says. Its cells are text, as typed.
fn read_csv(path: &Path, shown: &str) -> Result<Sheet, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(shown, e))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            return Err(Diagnostic::error(
                Code::Form,
                "CSV 报送表不是 UTF-8 编码",
                "the CSV form is not UTF-8",
            )
            .in_file(shown)
            .with_hint("在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx"))
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(shown, e))?;
        rows.push(
            record
                .iter()
                .map(|t| {
                    if t.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(t.to_string())
                    }
                })
                .collect(),
        );
    }
    let header = |columns: &[super::Column]| {
        rows.get(HEADER_ROW as usize)
            .and_then(|r| r.first())
            .map(Cell::text)
            == columns.first().map(|c| c.header.to_string())
            && rows
                .get(HEADER_ROW as usize)
                .and_then(|r| r.get(1))
                .map(Cell::text)
                == columns.get(1).map(|c| c.header.to_string())
    };
    // Anything but the tasks' header is read as the targets sheet, whose header check then
    // says what is wrong.
    let name = if header(&TASK_COLUMNS) {
        TASKS
    } else {
        TARGETS
    };
    Ok(Sheet {
        name: name.to_string(),
        rows,
    })
}
