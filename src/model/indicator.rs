//! An indicator: one target of the work plan, its value at the end of each quarter, and the
//! status of each quarter as the rules judge it.

use serde::{Deserialize, Serialize};

use super::period::Quarter;
use super::status::{Kind, Status, Target};
use crate::source::SourceFile;
use crate::text::format_number;

/// How sure a published value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Provisional,
    Estimated,
    Revised,
}

impl Flag {
    pub fn code(self) -> &'static str {
        match self {
            Flag::Provisional => "provisional",
            Flag::Estimated => "estimated",
            Flag::Revised => "revised",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Flag::Provisional => "初步数据",
            Flag::Estimated => "估算",
            Flag::Revised => "修订",
        }
    }
}

/// The target as the work plan words it, and as the rules read it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSpec {
    /// `None` for qualitative targets.
    pub rule: Option<Target>,
    pub text: String,
    pub source: Option<String>,
}

/// One quarter of an indicator, judged.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterValue {
    pub quarter: Quarter,
    pub value: Option<f64>,
    pub flag: Option<Flag>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub status: Status,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub area: String,
    /// Empty for qualitative indicators.
    pub unit: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub target: TargetSpec,
    pub lead: Option<String>,
    pub partners: Vec<String>,
    /// Q1–Q4 of the site's year, each present (no data where the file has none).
    pub quarters: Vec<QuarterValue>,
    /// Earlier annual values, oldest first.
    pub history: Vec<(i32, f64)>,
    pub source: SourceFile,
}

impl Indicator {
    pub fn is_percentage(&self) -> bool {
        self.unit.trim() == "%"
    }

    pub fn quarter(&self, quarter: Quarter) -> Option<&QuarterValue> {
        self.quarters.iter().find(|q| q.quarter == quarter)
    }

    /// The last quarter with data, if any.
    pub fn latest(&self) -> Option<&QuarterValue> {
        self.quarters
            .iter()
            .rev()
            .find(|q| q.status != Status::NoData)
    }

    /// `≤ 35.6 微克/立方米`, or the plan's wording for qualitative targets.
    pub fn target_short(&self) -> String {
        match &self.target.rule {
            Some(rule) => format!(
                "{} {}{}",
                rule.comparator.symbol(),
                format_number(rule.value),
                self.unit_suffix()
            ),
            None => self.target.text.clone(),
        }
    }

    /// The unit as written after a number: `%` sticks to it, other units follow a space.
    pub fn unit_suffix(&self) -> String {
        match self.unit.as_str() {
            "" => String::new(),
            "%" => "%".to_string(),
            unit => format!(" {unit}"),
        }
    }

    /// A value with its unit, as shown to readers.
    pub fn format_value(&self, value: f64) -> String {
        format!("{}{}", format_number(value), self.unit_suffix())
    }
}
