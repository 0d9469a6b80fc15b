//! Writes a quarter's collection form as an `.xlsx` workbook (rust_xlsxwriter): the guide,
//! the targets and, when the plan has tasks, the tasks. Reference columns are locked and grey;
//! the cells to fill are yellow, with drop-downs and number checks where the office program
//! can check as the department types.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{
    target_col, target_reference, task_col, task_current, task_reference, Column, TargetEntry,
    FIRST_ROW, FLAGS, GUIDE, HEADER_ROW, JUDGEMENTS, PERIOD_LABEL, TARGETS, TARGET_COLUMNS, TASKS,
    TASK_COLUMNS,
};
use crate::model::period::Quarter;
use crate::model::status::Kind;
use crate::model::task::TaskStatus;
use crate::model::Model;

const FILL_COLOUR: u32 = 0xFFF2CC;
const REFERENCE_COLOUR: u32 = 0xEDEDED;
const HEADER_COLOUR: u32 = 0xD9E2F3;

/// The form of `quarter` as the bytes of an `.xlsx` file.
pub fn workbook(model: &Model, quarter: Quarter) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    guide(book.add_worksheet(), model, quarter, &formats)?;
    targets(book.add_worksheet(), model, quarter, &formats)?;
    if !model.tasks.is_empty() {
        tasks(book.add_worksheet(), model, quarter, &formats)?;
    }
    book.save_to_buffer()
}

struct Formats {
    title: Format,
    text: Format,
    header: Format,
    reference: Format,
    fill: Format,
    fill_number: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_font_size(11);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            text: Format::new()
                .set_text_wrap()
                .set_font_size(11)
                .set_align(FormatAlign::Top),
            header: cell.clone().set_bold().set_background_color(HEADER_COLOUR),
            reference: cell.clone().set_background_color(REFERENCE_COLOUR),
            fill: cell
                .clone()
                .set_background_color(FILL_COLOUR)
                .set_unlocked(),
            fill_number: cell
                .set_background_color(FILL_COLOUR)
                .set_unlocked()
                .set_num_format("General"),
        }
    }
}

fn guide(
    sheet: &mut Worksheet,
    model: &Model,
    quarter: Quarter,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(GUIDE)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 80)?;
    paper(sheet, false);
    let organization = model.config.organization.as_deref().unwrap_or("");
    sheet.write_string_with_format(
        0,
        0,
        format!("{organization}{}指标与重点任务报送表", quarter.chinese()),
        &f.title,
    )?;
    sheet.write_string_with_format(1, 0, PERIOD_LABEL, &f.text)?;
    sheet.write_string_with_format(1, 1, quarter.to_string(), &f.text)?;
    let steps = [
        format!("在“{TARGETS}”表的黄色单元格填写{}末的数值：只填数字本身（小数点用英文句点，如 35.2），单位见“单位”列；百分比填 0–100 之间的数。", quarter.chinese()),
        "“数据标注”从下拉列表选择：初步数据、估算或修订；正式数据留空。“说明”写需要向读者交代的情况（可不填）。".to_string(),
        "定性指标（单位为“—”的行）在“数值”列从下拉列表选择判定（达标、进度正常、存在风险、未达标），并在“判定依据”写明依据，二者缺一不可。".to_string(),
        format!("如有“{TASKS}”表：在“状态”列从下拉列表选择本季度末的进展（未启动、推进中、已完成、滞后），在“进展说明”写一句进展。"),
        "灰色列是参考信息，已锁定，请勿修改；不要插入、删除或移动行和列，不要改工作表的名字。暂时没有数据的行留空即可。".to_string(),
        "已填的单元格是网站目前发布的数值，核对无误可不改；不要清空已发布的数值，如需撤回请联系网站编辑。".to_string(),
        "填好后保存（.xlsx、.xls、.ods 均可）交回网站编辑，由其用 ecosite import 检查并导入；每个问题都会指出工作表和单元格。".to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string_with_format(row, 0, format!("第{}步", i + 1), &f.text)?;
        sheet.write_string_with_format(row, 1, step, &f.text)?;
        // Wrapped text does not grow its row by itself in every office program.
        sheet.set_row_height(row, 33)?;
    }
    sheet.protect();
    Ok(())
}

/// Row 1 (the period), row 2 (the headers), column widths, frozen panes and protection: what
/// every data sheet shares.
fn frame(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    quarter: Quarter,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.write_string_with_format(0, 0, PERIOD_LABEL, &f.header)?;
    sheet.write_string_with_format(0, 1, quarter.to_string(), &f.reference)?;
    sheet.write_string_with_format(0, 2, quarter.chinese(), &f.text)?;
    for (col, column) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, column.width)?;
        sheet.write_string_with_format(HEADER_ROW, col, column.header, &f.header)?;
    }
    sheet.set_freeze_panes(FIRST_ROW, 2)?;
    sheet.set_repeat_rows(0, HEADER_ROW)?;
    paper(sheet, true);
    sheet.protect();
    Ok(())
}

/// Printed on A4, a page wide: forms are often printed to be filled in by hand first.
fn paper(sheet: &mut Worksheet, landscape: bool) {
    sheet.set_paper_size(9);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
}

fn targets(
    sheet: &mut Worksheet,
    model: &Model,
    quarter: Quarter,
    f: &Formats,
) -> Result<(), XlsxError> {
    frame(sheet, TARGETS, &TARGET_COLUMNS, quarter, f)?;
    let flags: Vec<&str> = FLAGS.iter().map(|flag| flag.label()).collect();
    let judgements: Vec<&str> = JUDGEMENTS.iter().map(|s| s.label()).collect();
    let flag_list = list(&flags, "数据标注", "请从下拉列表选择，正式数据留空")?;
    let judgement_list = list(&judgements, "定性指标的判定", "请从下拉列表选择判定")?;
    for (i, indicator) in model.indicators.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        for (col, text) in target_reference(indicator, quarter).iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, text, &f.reference)?;
        }
        let now = TargetEntry::current(indicator, quarter);
        let qualitative = indicator.kind == Kind::Qualitative;
        match (now.value, now.status) {
            (Some(v), _) => {
                sheet.write_number_with_format(row, target_col::VALUE, v, &f.fill_number)?
            }
            (None, Some(s)) => {
                sheet.write_string_with_format(row, target_col::VALUE, s.label(), &f.fill)?
            }
            (None, None) => sheet.write_blank(row, target_col::VALUE, &f.fill_number)?,
        };
        let text_cell = |sheet: &mut Worksheet, col, text: Option<&str>, format| match text {
            Some(t) => sheet
                .write_string_with_format(row, col, t, format)
                .map(|_| ()),
            None => sheet.write_blank(row, col, format).map(|_| ()),
        };
        text_cell(
            sheet,
            target_col::FLAG,
            now.flag.map(|f| f.label()),
            &f.fill,
        )?;
        text_cell(sheet, target_col::NOTE, now.note.as_deref(), &f.fill)?;
        if qualitative {
            text_cell(
                sheet,
                target_col::EVIDENCE,
                now.evidence.as_deref(),
                &f.fill,
            )?;
            sheet.add_data_validation(
                row,
                target_col::VALUE,
                row,
                target_col::VALUE,
                &judgement_list,
            )?;
        } else {
            sheet.write_blank(row, target_col::EVIDENCE, &f.reference)?;
            sheet.add_data_validation(
                row,
                target_col::VALUE,
                row,
                target_col::VALUE,
                &number_check(
                    indicator.is_percentage(),
                    indicator.kind == Kind::Cumulative,
                )?,
            )?;
        }
        sheet.add_data_validation(row, target_col::FLAG, row, target_col::FLAG, &flag_list)?;
    }
    Ok(())
}

fn tasks(
    sheet: &mut Worksheet,
    model: &Model,
    quarter: Quarter,
    f: &Formats,
) -> Result<(), XlsxError> {
    frame(sheet, TASKS, &TASK_COLUMNS, quarter, f)?;
    let statuses: Vec<&str> = TaskStatus::WRITABLE.iter().map(|s| s.label()).collect();
    let status_list = list(&statuses, "本季度末的进展", "请从下拉列表选择")?;
    for (i, task) in model.tasks.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let area = model
            .areas
            .get(&task.task.area)
            .map_or(task.task.area.as_str(), |a| a.short_name.as_str());
        for (col, text) in task_reference(task, area, quarter).iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, text, &f.reference)?;
        }
        let (status, note) = task_current(task, quarter);
        match status {
            Some(s) => sheet.write_string_with_format(row, task_col::STATUS, s.label(), &f.fill)?,
            None => sheet.write_blank(row, task_col::STATUS, &f.fill)?,
        };
        match note {
            Some(n) => sheet.write_string_with_format(row, task_col::NOTE, n, &f.fill)?,
            None => sheet.write_blank(row, task_col::NOTE, &f.fill)?,
        };
    }
    let last = FIRST_ROW + model.tasks.len().saturating_sub(1) as u32;
    sheet.add_data_validation(
        FIRST_ROW,
        task_col::STATUS,
        last,
        task_col::STATUS,
        &status_list,
    )?;
    Ok(())
}

/// A drop-down of `items` that refuses anything else, with a prompt.
fn list(items: &[&str], title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_title("请从下拉列表选择")?
        .set_error_message(format!("只能填：{}", items.join("、")))
}

/// A number check as the department types: a percentage within 0–100, a count not negative.
fn number_check(percentage: bool, cumulative: bool) -> Result<DataValidation, XlsxError> {
    let rule = if percentage {
        DataValidationRule::Between(0.0, 100.0)
    } else if cumulative {
        DataValidationRule::GreaterThanOrEqualTo(0.0)
    } else {
        DataValidationRule::Between(-1e15, 1e15)
    };
    let message = if percentage {
        "百分比填 0–100 之间的数字"
    } else {
        "只填数字，小数点用英文句点"
    };
    DataValidation::new()
        .allow_decimal_number(rule)
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("不是有效的数字")?
        .set_error_message(message)
}
