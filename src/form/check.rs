//! Checks a filled-in form against the site, cell by cell, with the rules the content files
//! are held to: its period, its layout, every row's id, the reference columns as they were
//! written, and every filled cell (a number, a percentage within 0–100, a known flag, a
//! judgement with its evidence, a task status). Every problem names its sheet and cell.

use super::read::{Cell, Sheet};
use super::{
    target_col, target_reference, task_col, task_reference, Column, TargetEntry, FIRST_ROW, FLAGS,
    HEADER_ROW, JUDGEMENTS, PERIOD_LABEL, TARGETS, TARGET_COLUMNS, TASKS, TASK_COLUMNS,
};
use crate::content::indicator::{impossible_value, not_a_number_here, parse_number};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::indicator::Indicator;
use crate::model::period::Quarter;
use crate::model::status::Kind;
use crate::model::task::TaskStatus;
use crate::model::Model;

/// A form read and checked: what each row asks for.
#[derive(Debug)]
pub struct Form {
    pub quarter: Quarter,
    /// Target id and the entry its row gives, in the sheet's order.
    pub targets: Vec<(String, TargetEntry)>,
    /// Task id, status and note, for the rows that give a status.
    pub tasks: Vec<(String, TaskStatus, Option<String>)>,
}

/// Checks `sheets` (read from the file shown as `file`) against `model`. `expected` is the
/// quarter the editor said the form is for, if they did.
pub fn check(
    sheets: &[Sheet],
    file: &str,
    model: &Model,
    expected: Option<Quarter>,
) -> Result<Form, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = |sheet: &Sheet, row: u32, col: u16, d: Diagnostic| {
        d.in_cell(file, &sheet.name, row, u32::from(col))
    };
    let targets_sheet = sheets.iter().find(|s| s.name == TARGETS);
    let tasks_sheet = sheets.iter().find(|s| s.name == TASKS);
    if targets_sheet.is_none() && tasks_sheet.is_none() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(vec![Diagnostic::error(
            Code::Form,
            format!(
                "报送表里没有“{TARGETS}”或“{TASKS}”工作表（只有：{}）",
                names.join("、")
            ),
            "the form has neither a targets nor a tasks sheet",
        )
        .in_file(file)
        .with_hint("请用 ecosite sheet 生成的报送表填写，不要改工作表的名字")]);
    }
    let year = model.config.year;
    let mut quarter = None;
    for sheet in [targets_sheet, tasks_sheet].into_iter().flatten() {
        let label = sheet.cell(0, 0).text();
        let text = sheet.cell(0, 1).text();
        let found = (label == PERIOD_LABEL)
            .then(|| Quarter::parse(&text))
            .flatten();
        let Some(found) = found else {
            errors.push(
                at(
                    sheet,
                    0,
                    1,
                    Diagnostic::error(
                        Code::Form,
                        format!("找不到报告期：B1 应为季度，如 2025-Q3，这里是“{text}”"),
                        "cell B1 must give the form's quarter",
                    ),
                )
                .with_hint("请用 ecosite sheet --period 生成的报送表填写，不要改第 1 行"),
            );
            continue;
        };
        if let Some(q) = expected.filter(|q| *q != found) {
            errors.push(
                at(
                    sheet,
                    0,
                    1,
                    Diagnostic::error(
                        Code::Form,
                        format!("这是 {found} 的报送表，不是要导入的 {q}"),
                        format!("the form is for {found}, not {q}"),
                    ),
                )
                .with_hint(format!(
                    "确认文件是否选错；要导入 {found} 的数据请把 --period 改为 {found}"
                )),
            );
        } else if year.is_some_and(|y| y != found.year) {
            let y = year.unwrap_or_default();
            errors.push(at(sheet, 0, 1, Diagnostic::error(
                Code::Form,
                format!("这是 {found} 的报送表，本站的报告年度是 {y} 年"),
                format!("the form is for {found}, the site reports on {y}"),
            ))
            .with_hint(format!("往年的数据请由网站编辑写入 history；本年度请用 ecosite sheet --period {y}-Q1 至 {y}-Q4 生成报送表")));
        } else if quarter.is_some_and(|q| q != found) {
            errors.push(at(
                sheet,
                0,
                1,
                Diagnostic::error(
                    Code::Form,
                    format!(
                        "两个工作表的报告期不同（{} 与 {found}）",
                        quarter.unwrap_or(found)
                    ),
                    "the sheets give different quarters",
                ),
            ));
        }
        quarter.get_or_insert(found);
        headers(
            sheet,
            file,
            if sheet.name == TARGETS {
                &TARGET_COLUMNS
            } else {
                &TASK_COLUMNS
            },
            &mut errors,
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(quarter) = quarter else {
        return Err(errors);
    };
    let mut form = Form {
        quarter,
        targets: Vec::new(),
        tasks: Vec::new(),
    };
    if let Some(sheet) = targets_sheet {
        form.targets = target_rows(sheet, file, model, quarter, &mut errors);
    }
    if let Some(sheet) = tasks_sheet {
        form.tasks = task_rows(sheet, file, model, quarter, &mut errors);
    }
    if errors.is_empty() {
        Ok(form)
    } else {
        Err(errors)
    }
}

/// Row 2 must name the columns as the form wrote them: a column moved, inserted or deleted
/// would put every figure under the wrong heading.
fn headers(sheet: &Sheet, file: &str, columns: &[Column], errors: &mut Vec<Diagnostic>) {
    for (col, column) in columns.iter().enumerate() {
        let found = sheet.cell(HEADER_ROW, col as u16).text();
        if found != column.header {
            errors.push(
                Diagnostic::error(
                    Code::Form,
                    format!("第 2 行这一列的标题应为“{}”，这里是“{found}”", column.header),
                    "the columns of the form were moved or renamed",
                )
                .in_cell(file, &sheet.name, HEADER_ROW, col as u32)
                .with_hint("报送表的列被插入、删除或移动过：请在 ecosite sheet 生成的原表上填写，不要改动列"),
            );
            return;
        }
    }
}

/// The data rows of a sheet: from row 3 to the last row with anything in it.
fn data_rows(sheet: &Sheet) -> impl Iterator<Item = u32> + '_ {
    (FIRST_ROW..sheet.rows.len() as u32)
        .filter(|&row| sheet.rows[row as usize].iter().any(|c| !c.is_empty()))
}

/// The row's id, if it names one of `known`; otherwise an error at its cell.
fn row_id<'a>(
    sheet: &Sheet,
    file: &str,
    row: u32,
    known: &[&'a str],
    what: &str,
    seen: &mut Vec<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let id = sheet.cell(row, 0).text();
    let here = |d: Diagnostic| d.in_cell(file, &sheet.name, row, 0);
    if id.is_empty() {
        errors.push(
            here(Diagnostic::error(
                Code::Form,
                format!("这一行没有{what}编号"),
                "a row without an id",
            ))
            .with_hint("请不要插入行；多余的内容请删除"),
        );
        return None;
    }
    let Some(found) = known.iter().find(|k| **k == id) else {
        let hint = match nearest(&id, known.iter().copied()) {
            Some(n) => format!("是否应为 {n}？编号是灰色的参考列，请不要修改"),
            None => format!("本站没有这个{what}；请不要添加行，新的{what}需先由网站编辑加入网站"),
        };
        errors.push(
            here(Diagnostic::error(
                Code::Form,
                format!("未知的{what}编号“{id}”"),
                format!("unknown id `{id}`"),
            ))
            .with_hint(hint),
        );
        return None;
    };
    if seen.contains(&id) {
        errors.push(
            here(Diagnostic::error(
                Code::Form,
                format!("{what}“{id}”出现了两次"),
                "a row appears twice",
            ))
            .with_hint("每个编号只保留一行"),
        );
        return None;
    }
    seen.push(id);
    Some(found)
}

/// The reference cells must read as the form wrote them: a change there is either a value
/// typed into the wrong column or a form older than the content.
fn references(
    sheet: &Sheet,
    file: &str,
    row: u32,
    expected: &[String],
    columns: &[Column],
    errors: &mut Vec<Diagnostic>,
) -> bool {
    for (col, want) in expected.iter().enumerate().skip(1) {
        let found = sheet.cell(row, col as u16).text();
        if found != *want {
            errors.push(
                Diagnostic::error(
                    Code::Form,
                    format!(
                        "参考列“{}”被改动：应为“{want}”，这里是“{found}”",
                        columns[col].header
                    ),
                    "a locked reference column was changed",
                )
                .in_cell(file, &sheet.name, row, col as u32)
                .with_hint("灰色列不用填写，数值请填在黄色的列；如果网站内容在报送表生成后有更新，请用 ecosite sheet 重新生成报送表"),
            );
            return false;
        }
    }
    true
}

fn text(cell: &Cell) -> Option<String> {
    let t = cell.text();
    (!t.is_empty()).then_some(t)
}

fn target_rows(
    sheet: &Sheet,
    file: &str,
    model: &Model,
    quarter: Quarter,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, TargetEntry)> {
    let known: Vec<&str> = model.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut seen = Vec::new();
    let mut rows = Vec::new();
    for row in data_rows(sheet) {
        let Some(id) = row_id(sheet, file, row, &known, "指标", &mut seen, errors) else {
            continue;
        };
        let Some(indicator) = model.indicator(id) else {
            continue;
        };
        if !references(
            sheet,
            file,
            row,
            &target_reference(indicator, quarter),
            &TARGET_COLUMNS,
            errors,
        ) {
            continue;
        }
        if let Some(entry) = target_entry(sheet, file, row, indicator, quarter, errors) {
            rows.push((id.to_string(), entry));
        }
    }
    rows
}

fn target_entry(
    sheet: &Sheet,
    file: &str,
    row: u32,
    indicator: &Indicator,
    quarter: Quarter,
    errors: &mut Vec<Diagnostic>,
) -> Option<TargetEntry> {
    let before = errors.len();
    let here = |col: u16, d: Diagnostic| d.in_cell(file, &sheet.name, row, u32::from(col));
    let cell = |col| sheet.cell(row, col);
    let flag = text(cell(target_col::FLAG)).and_then(|t| {
        let found = FLAGS
            .iter()
            .find(|f| f.label() == t || f.code() == t)
            .copied();
        if found.is_none() {
            let labels: Vec<&str> = FLAGS.iter().map(|f| f.label()).collect();
            errors.push(
                here(
                    target_col::FLAG,
                    Diagnostic::error(
                        Code::Form,
                        format!("未知的数据标注“{t}”"),
                        format!("unknown flag `{t}`"),
                    ),
                )
                .with_hint(format!(
                    "从下拉列表选择 {}，正式数据留空",
                    labels.join("、")
                )),
            );
        }
        found
    });
    let note = text(cell(target_col::NOTE));
    let evidence = text(cell(target_col::EVIDENCE));
    let value_cell = cell(target_col::VALUE);
    let mut entry = TargetEntry {
        value: None,
        flag,
        note,
        status: None,
        evidence: None,
    };
    if indicator.kind == Kind::Qualitative {
        entry.evidence = evidence;
        if let Some(t) = text(value_cell) {
            entry.status = JUDGEMENTS
                .iter()
                .find(|s| s.label() == t || s.code() == t)
                .copied();
            if entry.status.is_none() {
                let labels: Vec<&str> = JUDGEMENTS.iter().map(|s| s.label()).collect();
                errors.push(
                    here(
                        target_col::VALUE,
                        Diagnostic::error(
                            Code::Form,
                            format!("定性指标的判定“{t}”无效"),
                            format!("unknown judgement `{t}`"),
                        ),
                    )
                    .with_hint(format!("定性指标从下拉列表选择 {}", labels.join("、"))),
                );
            }
        }
        if entry.status.is_some() && entry.evidence.is_none() {
            errors.push(
                here(
                    target_col::EVIDENCE,
                    Diagnostic::error(
                        Code::Form,
                        "定性指标有判定，但没有写判定依据",
                        "a judgement needs its evidence",
                    ),
                )
                .with_hint("在“判定依据”写明依据，例如 全市土壤环境质量总体稳定"),
            );
        }
        if entry.status.is_none() && entry.evidence.is_some() && text(value_cell).is_none() {
            errors.push(
                here(
                    target_col::VALUE,
                    Diagnostic::error(
                        Code::Form,
                        "写了判定依据，但没有选择判定",
                        "evidence without a judgement",
                    ),
                )
                .with_hint("在“数值”列从下拉列表选择判定"),
            );
        }
    } else {
        if evidence.is_some() {
            errors.push(
                here(
                    target_col::EVIDENCE,
                    Diagnostic::error(
                        Code::Form,
                        "“判定依据”只用于定性指标",
                        "evidence is for qualitative targets only",
                    ),
                )
                .with_hint("需要说明的情况写在“说明”列"),
            );
        }
        entry.value = match value_cell {
            Cell::Empty => None,
            Cell::Number(n) => Some(*n),
            Cell::Text(t) if t.trim().is_empty() => None,
            Cell::Text(t) => match parse_number(t) {
                Some(n) => Some(n),
                None => {
                    errors.push(
                        here(target_col::VALUE, not_a_number_here(t.trim())).with_hint(
                            "只填数字本身，例如 35.2；小数点用英文句点，不加单位和千位逗号",
                        ),
                    );
                    None
                }
            },
            Cell::Other(t) => {
                errors.push(here(target_col::VALUE, not_a_number_here(t)).with_hint(
                    "单元格被识别成了日期或其他类型：请把单元格格式设为“常规”，只填数字",
                ));
                None
            }
        };
        if let Some(problem) = entry
            .value
            .and_then(|v| impossible_value(v, indicator.kind, &indicator.unit))
        {
            errors.push(
                here(target_col::VALUE, problem).with_hint(if indicator.is_percentage() {
                    "百分比只填 0–100 之间的数字，不带 % 号，例如 85.2"
                } else {
                    "累计数量不能为负数：填年初至本季度末的累计数"
                }),
            );
        }
    }
    if value_cell.is_empty()
        && (entry.flag.is_some() || entry.note.is_some())
        && indicator.kind != Kind::Qualitative
    {
        errors.push(
            here(
                target_col::VALUE,
                Diagnostic::error(
                    Code::Form,
                    "填写了数据标注或说明，但没有填数值",
                    "a flag or note without a value",
                ),
            )
            .with_hint("填上数值；暂无数据的指标整行留空"),
        );
    }
    let current = TargetEntry::current(indicator, quarter);
    if entry.is_empty() && !current.is_empty() && errors.len() == before {
        errors.push(
            here(
                target_col::VALUE,
                Diagnostic::error(
                    Code::Form,
                    format!("已发布的 {} 被清空", current.describe(indicator)),
                    "a published figure was cleared",
                ),
            )
            .with_hint("导入不会删除已发布的数值：请填回原值；确需撤回请联系网站编辑修改内容文件"),
        );
    }
    (errors.len() == before).then_some(entry)
}

fn task_rows(
    sheet: &Sheet,
    file: &str,
    model: &Model,
    quarter: Quarter,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, TaskStatus, Option<String>)> {
    let known: Vec<&str> = model.tasks.iter().map(|t| t.task.id.as_str()).collect();
    let mut seen = Vec::new();
    let mut rows = Vec::new();
    for row in data_rows(sheet) {
        let Some(id) = row_id(sheet, file, row, &known, "任务", &mut seen, errors) else {
            continue;
        };
        let Some(task) = model.tasks.iter().find(|t| t.task.id == id) else {
            continue;
        };
        let area = model
            .areas
            .get(&task.task.area)
            .map_or(task.task.area.as_str(), |a| a.short_name.as_str());
        if !references(
            sheet,
            file,
            row,
            &task_reference(task, area, quarter),
            &TASK_COLUMNS,
            errors,
        ) {
            continue;
        }
        let here = |col: u16, d: Diagnostic| d.in_cell(file, &sheet.name, row, u32::from(col));
        let note = text(sheet.cell(row, task_col::NOTE));
        let current = super::task_current(task, quarter);
        match text(sheet.cell(row, task_col::STATUS)) {
            Some(t) => match TaskStatus::WRITABLE
                .iter()
                .find(|s| s.label() == t || s.code() == t)
            {
                Some(status) => rows.push((id.to_string(), *status, note)),
                None => {
                    let labels: Vec<&str> =
                        TaskStatus::WRITABLE.iter().map(|s| s.label()).collect();
                    errors.push(
                        here(
                            task_col::STATUS,
                            Diagnostic::error(
                                Code::Form,
                                format!("未知的任务状态“{t}”"),
                                format!("unknown task status `{t}`"),
                            ),
                        )
                        .with_hint(format!("从下拉列表选择 {}", labels.join("、"))),
                    );
                }
            },
            None if note.is_some() => errors.push(
                here(
                    task_col::STATUS,
                    Diagnostic::error(
                        Code::Form,
                        "写了进展说明，但没有选择状态",
                        "a note without a status",
                    ),
                )
                .with_hint("在“状态”列从下拉列表选择本季度末的进展"),
            ),
            None if current.0.is_some() => errors.push(
                here(
                    task_col::STATUS,
                    Diagnostic::error(
                        Code::Form,
                        "已报送的任务状态被清空",
                        "a reported task status was cleared",
                    ),
                )
                .with_hint("导入不会删除已报送的状态：请选回原状态；确需撤回请联系网站编辑"),
            ),
            None => {}
        }
    }
    rows
}
