//! The values of an indicator file: the reporting year's quarters, each judged by the `status`
//! rules, and the earlier years' history.

use super::{not_a_number, number, parse_number, RawHistory, RawValue};
use crate::content::field::missing;
use crate::content::yaml::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::indicator::{QuarterValue, TargetSpec};
use crate::model::period::{Date, Quarter};
use crate::model::status::{self, Kind, Status};
use crate::source::SourceFile;
use std::ops::Range;

/// Q1–Q4 of `year`, each judged by the rules (no data where the file has none).
pub(super) fn quarters(
    file: &SourceFile,
    values: &[RawValue],
    year: i32,
    kind: Option<Kind>,
    unit: &str,
    target: &TargetSpec,
    errors: &mut Vec<Diagnostic>,
) -> Vec<QuarterValue> {
    let entry_region = entry_regions(file, "values");
    let mut quarters = no_data(year);
    let mut seen = [false; 4];
    for (i, v) in values.iter().enumerate() {
        let (start, end) = entry_region(i);
        let locate_entry = |key: &str| file.find_value(start, end, key).unwrap_or(start..start);
        let Some(quarter) = entry_quarter(file, v, year, start, &locate_entry, errors) else {
            continue;
        };
        let slot = (quarter.number - 1) as usize;
        if std::mem::replace(&mut seen[slot], true) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("季度 {quarter} 出现了两次"),
                    format!("period {quarter} appears twice"),
                )
                .at(file, locate_entry("period"))
                .with_hint("每个季度只写一行；更正数值时改原来那一行，并可加 flag: revised"),
            );
            continue;
        }
        let q = &mut quarters[slot];
        q.flag = v.flag;
        q.note = v.note.clone().filter(|n| !n.trim().is_empty());
        q.evidence = v.evidence.clone().filter(|e| !e.trim().is_empty());
        q.date = v.date.as_ref().and_then(|d| {
            let date = Date::parse(d.as_str());
            if date.is_none() {
                errors.push(crate::content::field::bad_date(
                    file,
                    locate_entry("date"),
                    d.as_str(),
                ));
            }
            date
        });
        match kind {
            // A row with only a note says why a quarter has no judgement yet (no data).
            Some(Kind::Qualitative)
                if v.status.is_none() && q.evidence.is_none() && q.note.is_some() => {}
            Some(Kind::Qualitative) => {
                q.status = judge_qualitative(file, v, q.evidence.as_deref(), &locate_entry, errors);
            }
            Some(kind) => {
                let value = number(file, &v.value, "value", &locate_entry, errors);
                if let Some(value) = value {
                    check_range(file, value, kind, unit, &locate_entry, errors);
                }
                q.value = value;
                q.status = match (kind, target.rule) {
                    (Kind::Level, Some(rule)) => status::level(&rule, value),
                    (Kind::Cumulative, Some(rule)) => {
                        status::cumulative(&rule, quarter.number, value)
                    }
                    _ => Status::NoData,
                };
            }
            None => {}
        }
    }
    quarters
}

/// The four quarters before any entry is read: a quarter the file does not mention is shown as
/// having no data, not left out.
fn no_data(year: i32) -> Vec<QuarterValue> {
    (1..=4)
        .map(|number| QuarterValue {
            quarter: Quarter { year, number },
            value: None,
            flag: None,
            note: None,
            evidence: None,
            status: Status::NoData,
            date: None,
        })
        .collect()
}

/// The span of the i-th entry of a list (entries start at their `period:`), so that a problem
/// is reported on the entry's own lines; `values` and `history` are located the same way.
fn entry_regions<'a>(
    file: &'a SourceFile,
    list_key: &str,
) -> impl Fn(usize) -> (usize, usize) + 'a {
    let list_at = file
        .find_key(0..file.text.len(), list_key)
        .map_or(0, |r| r.start);
    let entries = file.key_offsets(list_at, "period");
    move |i| {
        let start = entries.get(i).copied().unwrap_or(list_at);
        let end = entries.get(i + 1).copied().unwrap_or(file.text.len());
        (start, end)
    }
}

/// The quarter an entry is for: it must be written, exist, and fall in the reporting year
/// (earlier years belong in `history`).
fn entry_quarter(
    file: &SourceFile,
    v: &RawValue,
    year: i32,
    start: usize,
    locate_entry: &dyn Fn(&str) -> Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Quarter> {
    let Some(period_text) = v.period.as_ref().map(|p| p.as_str().to_string()) else {
        errors.push(missing(
            file,
            start..start,
            "period",
            "季度",
            "period: 2025-Q1",
        ));
        return None;
    };
    let Some(quarter) = Quarter::parse(&period_text) else {
        errors.push(crate::content::field::bad_quarter(
            file,
            locate_entry("period"),
            &period_text,
        ));
        return None;
    };
    if quarter.year != year {
        errors.push(
            Diagnostic::error(
                Code::BadQuarter,
                format!("季度 {quarter} 不在本站的报告年度 {year} 内"),
                format!("period {quarter} is outside the site's year {year}"),
            )
            .at(file, locate_entry("period"))
            .with_hint("往年的年度值请写在 history 下，例如 - { period: 2023, value: 36.1 }"),
        );
        return None;
    }
    Some(quarter)
}

/// A qualitative quarter has no number: its status is the editor's judgement, which needs
/// written evidence to be published.
fn judge_qualitative(
    file: &SourceFile,
    v: &RawValue,
    evidence: Option<&str>,
    locate_entry: &dyn Fn(&str) -> Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Status {
    let judged = match v.status.as_ref().map(Text::as_str) {
        None | Some("") => {
            errors.push(missing(
                file,
                locate_entry("period"),
                "status",
                "定性指标的判定",
                "status: on_track",
            ));
            None
        }
        Some(s) => match parse_judgement(s) {
            Some(status) => Some(status),
            None => {
                errors.push(
                    Diagnostic::error(Code::BadValue, format!("未知的判定“{s}”"), format!("unknown status `{s}`"))
                        .at(file, locate_entry("status"))
                        .with_hint("status 只能是 met(达标)、on_track(进度正常)、at_risk(存在风险) 或 not_met(未达标)"),
                );
                None
            }
        },
    };
    if evidence.is_none() {
        errors.push(missing(
            file,
            locate_entry("period"),
            "evidence",
            "定性指标的判定依据",
            "evidence: 全市土壤环境质量总体稳定",
        ));
    }
    status::qualitative(judged, evidence)
}

fn check_range(
    file: &SourceFile,
    value: f64,
    kind: Kind,
    unit: &str,
    locate_entry: &dyn Fn(&str) -> Range<usize>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(problem) = super::impossible_value(value, kind, unit) {
        errors.push(problem.at(file, locate_entry("value")));
    }
}

/// Earlier annual values and earlier quarters' year-to-date values, each oldest first.
pub(super) type History = (Vec<(i32, f64)>, Vec<(Quarter, f64)>);

/// Reads `history`: a year (`2023`) is an annual value, a quarter (`2023-Q3`) a year-to-date one.
pub(super) fn history(
    file: &SourceFile,
    raw: &[RawHistory],
    year: i32,
    errors: &mut Vec<Diagnostic>,
) -> History {
    let entry_region = entry_regions(file, "history");
    let mut annual = Vec::new();
    let mut by_quarter = Vec::new();
    for (i, h) in raw.iter().enumerate() {
        let (start, end) = entry_region(i);
        let locate_entry = |key: &str| file.find_value(start, end, key).unwrap_or(start..start);
        let text = h.period.as_str();
        let earlier = |y: i32| (1900..year).contains(&y);
        let period = match Quarter::parse(text) {
            Some(q) => earlier(q.year).then_some(Err(q)),
            None => text.parse::<i32>().ok().filter(|y| earlier(*y)).map(Ok),
        };
        let Some(period) = period else {
            errors.push(
                Diagnostic::error(
                    Code::BadQuarter,
                    format!("历史时期“{text}”无效"),
                    "history period must be an earlier year or quarter",
                )
                .at(file, locate_entry("period"))
                .with_hint(format!(
                    "history 中的 period 写早于 {year} 的年份或季度，例如 period: {} 或 period: {}-Q3",
                    year - 1,
                    year - 1
                )),
            );
            continue;
        };
        match (parse_number(h.value.as_str()), period) {
            (Some(value), Ok(y)) => annual.push((y, value)),
            (Some(value), Err(q)) => by_quarter.push((q, value)),
            (None, _) => errors.push(not_a_number(file, locate_entry("value"), h.value.as_str())),
        }
    }
    annual.sort_by_key(|(y, _)| *y);
    by_quarter.sort_by_key(|(q, _)| *q);
    (annual, by_quarter)
}

/// An editor's judgement of a qualitative target (no_data is what a missing quarter means).
fn parse_judgement(text: &str) -> Option<Status> {
    Some(match text.trim() {
        "met" => Status::Met,
        "on_track" => Status::OnTrack,
        "at_risk" => Status::AtRisk,
        "not_met" => Status::NotMet,
        _ => return None,
    })
}
