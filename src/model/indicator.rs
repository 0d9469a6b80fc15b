//! An indicator: one target of the work plan, its value at the end of each quarter, and the
//! status of each quarter as the rules judge it.

use serde::{Deserialize, Serialize};

use super::period::{Date, Quarter};
use super::status::{Comparator, Kind, Status, Target};
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
    /// When the value (or judgement) was published or last revised, as the file says.
    #[serde(skip)]
    pub date: Option<Date>,
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
    /// Earlier year-to-date values by quarter (`2023-Q3`), oldest first: the base of 同比.
    pub quarter_history: Vec<(Quarter, f64)>,
    pub source: SourceFile,
}

impl Indicator {
    pub fn is_percentage(&self) -> bool {
        self.unit.trim() == "%"
    }

    pub fn quarter(&self, quarter: Quarter) -> Option<&QuarterValue> {
        self.quarters.iter().find(|q| q.quarter == quarter)
    }

    /// The target's latest reporting period: its last judged quarter, if any.
    pub fn latest(&self) -> Option<&QuarterValue> {
        self.quarters.iter().rev().find(|q| q.status.is_judged())
    }

    /// When the indicator's figures last changed: the newest date of its values.
    pub fn updated(&self) -> Option<Date> {
        self.quarters.iter().filter_map(|q| q.date).max()
    }

    /// The value of the same period of the previous year, where known: a quarter of the
    /// history, or for the fourth quarter the previous year's annual value (the year-to-date
    /// value at its end). Qualitative targets have none.
    pub fn same_period_last_year(&self, quarter: Quarter) -> Option<f64> {
        if self.kind == Kind::Qualitative {
            return None;
        }
        let previous = Quarter {
            year: quarter.year - 1,
            number: quarter.number,
        };
        self.quarter_history
            .iter()
            .find(|(q, _)| *q == previous)
            .map(|(_, v)| *v)
            .or_else(|| {
                (quarter.number == 4)
                    .then(|| self.history.iter().find(|(y, _)| *y == previous.year))
                    .flatten()
                    .map(|(_, v)| *v)
            })
    }

    /// The change from the same period of the previous year (同比), where both are known.
    pub fn change_from_last_year(&self, q: &QuarterValue) -> Option<Change> {
        let value = q.value?;
        let previous = self.same_period_last_year(q.quarter)?;
        let delta = value - previous;
        // Published figures carry one or two decimals: a smaller difference is no change.
        let direction = if delta.abs() < 0.005 {
            Direction::Same
        } else {
            match (self.higher_is_better(), delta > 0.0) {
                (Some(higher), up) if higher == up => Direction::Better,
                (Some(_), _) => Direction::Worse,
                (None, _) => Direction::Changed,
            }
        };
        Some(Change {
            previous,
            delta,
            direction,
        })
    }

    /// Whether a higher value is the better one (for 同比 wording), when the target says.
    pub fn higher_is_better(&self) -> Option<bool> {
        match self.target.rule?.comparator {
            Comparator::AtLeast | Comparator::Above | Comparator::About => Some(true),
            Comparator::AtMost | Comparator::Below => Some(false),
            Comparator::Equal => None,
        }
    }

    /// `≤ 35.6 微克/立方米`, or the plan's wording for qualitative targets.
    pub fn target_short(&self) -> String {
        match &self.target.rule {
            Some(rule) if rule.comparator == Comparator::About => format!(
                "≈ {}{}（±{}{}）",
                format_number(rule.value),
                self.unit_suffix(),
                format_number(rule.tolerance),
                self.unit_suffix()
            ),
            Some(rule) => format!(
                "{} {}{}",
                rule.comparator.symbol(),
                format_number(rule.value),
                self.unit_suffix()
            ),
            None => self.target.text.clone(),
        }
    }

    /// The rule the target is judged by, in words (indicator pages, reports, methodology).
    pub fn rule_text(&self) -> String {
        super::status::rule_text(self.kind, self.target.rule, &self.unit_suffix())
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

/// A value against the same period of the previous year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub previous: f64,
    pub delta: f64,
    pub direction: Direction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    Same,
    /// Changed, where the target does not say which way is better.
    Changed,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Better => "better",
            Direction::Worse => "worse",
            Direction::Same => "same",
            Direction::Changed => "changed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Better => "改善",
            Direction::Worse => "变差",
            Direction::Same => "持平",
            Direction::Changed => "有变化",
        }
    }
}

/// Quarters after the site's latest reporting period are not due yet, not missing: their
/// "no data" becomes "not due". The reporting period is the newest quarter any target was
/// judged in; called once the indicators are final (after validation, and after `as_of`).
pub fn settle_not_due(indicators: &mut [Indicator]) {
    let Some(period) = reporting_period(indicators) else {
        return;
    };
    for q in indicators
        .iter_mut()
        .flat_map(|i| i.quarters.iter_mut())
        .filter(|q| q.quarter > period && q.status == Status::NoData)
    {
        q.status = Status::NotDue;
    }
}

/// The site's latest reporting period: the newest quarter any target was judged in.
pub fn reporting_period(indicators: &[Indicator]) -> Option<Quarter> {
    indicators
        .iter()
        .filter_map(|i| i.latest().map(|q| q.quarter))
        .max()
}
