//! The quarterly collection form (报送表): the spreadsheet the bureau sends its departments each
//! quarter and reads back. This module is the one definition of the form — its sheets, their
//! columns, which columns are for reference and which are filled in, and what each cell says
//! for a target or a task — so that `write` (the form out) and `check` (the form back in)
//! cannot disagree.

pub mod apply;
pub mod check;
pub mod read;
pub mod write;

use crate::model::indicator::{Flag, Indicator};
use crate::model::period::Quarter;
use crate::model::status::{Kind, Status};
use crate::model::task::{TaskStatus, TrackedTask};
use crate::text::format_number;

/// The first sheet: how to fill the form in.
pub const GUIDE: &str = "填写说明";
pub const TARGETS: &str = "指标";
pub const TASKS: &str = "任务";

/// Row 1 of a data sheet: `报告期` in A1, the quarter in B1. Row 2 has the headers; rows
/// follow from row 3 (0-based: 0, 1, 2).
pub const PERIOD_LABEL: &str = "报告期";
pub const HEADER_ROW: u32 = 1;
pub const FIRST_ROW: u32 = 2;

/// Shown in a reference cell that has nothing to show.
pub const NOTHING: &str = "—";

/// One column of a data sheet.
pub struct Column {
    pub header: &'static str,
    /// Width in characters.
    pub width: f64,
    /// Filled in by the department; otherwise for reference, locked.
    pub fill: bool,
}

const fn reference(header: &'static str, width: f64) -> Column {
    Column {
        header,
        width,
        fill: false,
    }
}

const fn fill(header: &'static str, width: f64) -> Column {
    Column {
        header,
        width,
        fill: true,
    }
}

/// The columns of the targets sheet, in order; [`target_col`] names their positions.
pub const TARGET_COLUMNS: [Column; 11] = [
    reference("编号", 22.0),
    reference("指标", 34.0),
    reference("单位", 12.0),
    reference("年度目标", 24.0),
    reference("牵头单位", 16.0),
    reference("上季度", 12.0),
    reference("上年同期", 12.0),
    fill("数值", 12.0),
    fill("数据标注", 12.0),
    fill("说明", 30.0),
    fill("判定依据", 36.0),
];

/// Positions of [`TARGET_COLUMNS`].
pub mod target_col {
    pub const ID: u16 = 0;
    pub const REFERENCE: std::ops::Range<u16> = 0..7;
    pub const VALUE: u16 = 7;
    pub const FLAG: u16 = 8;
    pub const NOTE: u16 = 9;
    pub const EVIDENCE: u16 = 10;
}

/// The columns of the tasks sheet, in order; [`task_col`] names their positions.
pub const TASK_COLUMNS: [Column; 7] = [
    reference("编号", 14.0),
    reference("任务", 60.0),
    reference("领域", 14.0),
    reference("牵头单位", 16.0),
    reference("上季度状态", 14.0),
    fill("状态", 12.0),
    fill("进展说明", 40.0),
];

/// Positions of [`TASK_COLUMNS`].
pub mod task_col {
    pub const ID: u16 = 0;
    pub const REFERENCE: std::ops::Range<u16> = 0..5;
    pub const STATUS: u16 = 5;
    pub const NOTE: u16 = 6;
}

/// The flags a value may carry, as the form's drop-down offers them.
pub const FLAGS: [Flag; 3] = [Flag::Provisional, Flag::Estimated, Flag::Revised];

/// The judgements of a qualitative target, as the form's drop-down offers them.
pub const JUDGEMENTS: [Status; 4] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet];

/// What a target's row says for its quarter, in the cells that are filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetEntry {
    pub value: Option<f64>,
    pub flag: Option<Flag>,
    pub note: Option<String>,
    /// Qualitative targets: the judgement and what it rests on.
    pub status: Option<Status>,
    pub evidence: Option<String>,
}

impl TargetEntry {
    /// The target's quarter as the content files have it now.
    pub fn current(indicator: &Indicator, quarter: Quarter) -> TargetEntry {
        let q = indicator.quarter(quarter);
        let judged = q.filter(|q| indicator.kind == Kind::Qualitative && q.status.is_judged());
        TargetEntry {
            value: q.and_then(|q| q.value),
            flag: q.and_then(|q| q.flag),
            note: q.and_then(|q| q.note.clone()),
            status: judged.map(|q| q.status),
            evidence: q.and_then(|q| q.evidence.clone()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_none() && self.status.is_none() && self.evidence.is_none()
    }

    /// As the import lists it: `33.8 微克/立方米（初步数据）`, `达标`, `（无）`.
    pub fn describe(&self, indicator: &Indicator) -> String {
        let main = match (self.value, self.status) {
            (Some(v), _) => indicator.format_value(v),
            (None, Some(s)) => s.label().to_string(),
            (None, None) => "（无）".to_string(),
        };
        match self.flag {
            Some(flag) => format!("{main}（{}）", flag.label()),
            None => main,
        }
    }
}

/// The reference cells of a target's row for `quarter`, in [`TARGET_COLUMNS`] order.
pub fn target_reference(indicator: &Indicator, quarter: Quarter) -> [String; 7] {
    let shown = |value: Option<f64>| value.map_or_else(|| NOTHING.to_string(), format_number);
    let previous = previous_quarter(quarter);
    let previous = if indicator.kind == Kind::Qualitative {
        indicator
            .quarter(previous)
            .filter(|q| q.status.is_judged())
            .map_or_else(|| NOTHING.to_string(), |q| q.status.label().to_string())
    } else if previous.year == quarter.year {
        shown(indicator.quarter(previous).and_then(|q| q.value))
    } else {
        shown(indicator.same_period_last_year(Quarter {
            year: quarter.year,
            number: 4,
        }))
    };
    [
        indicator.id.clone(),
        indicator.name.clone(),
        if indicator.unit.is_empty() {
            NOTHING.to_string()
        } else {
            indicator.unit.clone()
        },
        indicator.target_short(),
        indicator
            .lead
            .clone()
            .unwrap_or_else(|| NOTHING.to_string()),
        previous,
        shown(indicator.same_period_last_year(quarter)),
    ]
}

/// The reference cells of a task's row for `quarter`, in [`TASK_COLUMNS`] order.
pub fn task_reference(task: &TrackedTask, area: &str, quarter: Quarter) -> [String; 5] {
    [
        task.task.id.clone(),
        task.task.text.clone(),
        area.to_string(),
        task.task
            .lead
            .clone()
            .unwrap_or_else(|| NOTHING.to_string()),
        task.status_at(previous_quarter(quarter))
            .label()
            .to_string(),
    ]
}

/// What a task's row says for its quarter: what that quarter's summaries reported, if any.
pub fn task_current(task: &TrackedTask, quarter: Quarter) -> (Option<TaskStatus>, Option<String>) {
    match task
        .history
        .iter()
        .find(|p| p.quarter == quarter && p.updated)
    {
        Some(p) => (Some(p.status), p.note.clone()),
        None => (None, None),
    }
}

pub fn previous_quarter(quarter: Quarter) -> Quarter {
    if quarter.number == 1 {
        Quarter {
            year: quarter.year - 1,
            number: 4,
        }
    } else {
        Quarter {
            year: quarter.year,
            number: quarter.number - 1,
        }
    }
}
