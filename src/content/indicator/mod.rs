//! Indicators (`content/indicators/<id>.yaml`): the work plan's targets, their value at the end
//! of each quarter, and the status of each quarter as the `status` rules judge it.

use crate::content::unknown;
use crate::model::indicator::{Flag, Indicator, TargetSpec};
use std::ops::Range;

use serde::Deserialize;

use crate::content::field::missing;
use crate::content::yaml::{self, Text};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::area::Areas;
use crate::model::route::id_problem;
use crate::model::status::{Comparator, Kind, Target};
use crate::source::SourceFile;

mod values;

/// Warnings for the top-level keys no field reads (usually a typo); keys of nested data are
/// refused by the parse itself.
pub fn unknown_fields(file: &SourceFile) -> Vec<Diagnostic> {
    unknown::in_document::<RawIndicator>(file)
}

#[derive(Debug, Deserialize)]
struct RawIndicator {
    id: Option<Text>,
    name: Option<Text>,
    #[serde(default)]
    name_en: Option<String>,
    area: Option<Text>,
    #[serde(default)]
    unit: Option<Text>,
    kind: Option<Text>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    target: Option<RawTarget>,
    #[serde(default)]
    lead: Option<Text>,
    #[serde(default)]
    partners: Vec<Text>,
    #[serde(default)]
    values: Vec<RawValue>,
    #[serde(default)]
    history: Vec<RawHistory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    #[serde(default)]
    comparator: Option<Text>,
    #[serde(default)]
    value: Option<Text>,
    #[serde(default)]
    text: Option<Text>,
    #[serde(default)]
    tolerance: Option<Text>,
    #[serde(default)]
    source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    period: Option<Text>,
    #[serde(default)]
    value: Option<Text>,
    #[serde(default)]
    flag: Option<Flag>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    status: Option<Text>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    date: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    period: Text,
    value: Text,
}

impl Indicator {
    /// Reads and checks one indicator file. `year` is the site's reporting year.
    pub fn parse(
        file: &SourceFile,
        areas: &Areas,
        year: i32,
    ) -> Result<Indicator, Vec<Diagnostic>> {
        let raw: RawIndicator = yaml::parse_file(file).map_err(|d| vec![d])?;
        let whole = 0..file.text.len();
        let locate = |key: &str| file.find_key(whole.clone(), key).unwrap_or(0..0);
        let mut errors = Vec::new();
        let text = crate::content::field::text;

        let id = text(&raw.id);
        if id.is_empty() {
            errors.push(missing(file, locate("id"), "id", "指标编号", "id: pm25"));
        } else if let Some(problem) = id_problem(&id) {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("指标编号“{id}”{problem}"),
                    "invalid indicator id",
                )
                .at(file, locate("id")),
            );
        }
        let name = text(&raw.name);
        if name.is_empty() {
            errors.push(missing(
                file,
                locate("name"),
                "name",
                "指标名称",
                "name: 细颗粒物(PM2.5)平均浓度",
            ));
        }
        let area = text(&raw.area);
        if area.is_empty() {
            errors.push(missing(
                file,
                locate("area"),
                "area",
                "所属领域",
                "area: air",
            ));
        } else if !areas.contains(&area) {
            errors.push(areas.unknown(&area, file, locate("area")));
        }
        let kind = kind(file, &raw.kind, &mut errors);
        let unit = text(&raw.unit);

        let target = target(file, &raw.target, kind, &mut errors);

        let quarters = values::quarters(file, &raw.values, year, kind, &unit, &target, &mut errors);

        let (history, quarter_history) = values::history(file, &raw.history, year, &mut errors);

        let Some(kind) = kind else { return Err(errors) };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Indicator {
            id,
            name,
            name_en: raw.name_en,
            area,
            unit,
            kind,
            description: raw.description,
            target,
            lead: raw
                .lead
                .map(|l| l.as_str().to_string())
                .filter(|l| !l.is_empty()),
            partners: raw
                .partners
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            quarters,
            history,
            quarter_history,
            source: file.clone(),
        })
    }
}

/// The kind of target, `None` (with an error) when missing or unknown.
fn kind(file: &SourceFile, raw: &Option<Text>, errors: &mut Vec<Diagnostic>) -> Option<Kind> {
    let locate = |key: &str| file.find_key(0..file.text.len(), key).unwrap_or(0..0);
    match crate::content::field::text(raw).as_str() {
        "level" => Some(Kind::Level),
        "cumulative" => Some(Kind::Cumulative),
        "qualitative" => Some(Kind::Qualitative),
        "" => {
            errors.push(missing(
                file,
                locate("kind"),
                "kind",
                "指标类型",
                "kind: level",
            ));
            None
        }
        other => {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("未知的指标类型“{other}”"),
                    format!("unknown kind `{other}`"),
                )
                .at(file, locate("kind"))
                .with_hint("kind 只能是 level(水平类)、cumulative(累计类) 或 qualitative(定性类)"),
            );
            None
        }
    }
}

/// The target as worded and, for quantitative kinds, as a rule.
fn target(
    file: &SourceFile,
    raw: &Option<RawTarget>,
    kind: Option<Kind>,
    errors: &mut Vec<Diagnostic>,
) -> TargetSpec {
    let text = crate::content::field::text;
    let locate = |key: &str| file.find_key(0..file.text.len(), key).unwrap_or(0..0);
    let target_at = file
        .find_key(0..file.text.len(), "target")
        .map_or(0, |r| r.start);
    let locate_target = |key: &str| {
        file.find_value(target_at, file.block_end(target_at), key)
            .unwrap_or(target_at..target_at)
    };
    let mut target = TargetSpec {
        rule: None,
        text: String::new(),
        source: None,
    };
    match raw {
        None => errors.push(missing(
            file,
            locate("target"),
            "target",
            "目标",
            "target: { comparator: \"<=\", value: 35.6, text: 35.6微克/立方米以下 }",
        )),
        Some(t) => {
            target.text = text(&t.text);
            target.source = t.source.as_ref().map(|s| s.as_str().to_string());
            let value = number(file, &t.value, "value", &locate_target, errors);
            let tolerance =
                number(file, &t.tolerance, "tolerance", &locate_target, errors).unwrap_or(0.0);
            if tolerance < 0.0 {
                errors.push(
                    Diagnostic::error(
                        Code::BadValue,
                        "容差 tolerance 不能为负数",
                        "tolerance must not be negative",
                    )
                    .at(file, locate_target("tolerance")),
                );
            }
            let comparator = match t.comparator.as_ref().map(Text::as_str) {
                None | Some("") => None,
                Some(c) => parse_comparator(c).or_else(|| {
                    errors.push(
                        Diagnostic::error(
                            Code::BadValue,
                            format!("未知的比较方式“{c}”"),
                            format!("unknown comparator `{c}`"),
                        )
                        .at(file, locate_target("comparator"))
                        .with_hint(
                            "comparator 只能是 \"<=\"、\"<\"、\">=\"、\">\"、\"==\" 或表示“左右”的 \"~\"（请加引号）",
                        ),
                    );
                    None
                }),
            };
            if comparator == Some(Comparator::About) {
                if kind.is_some_and(|k| k != Kind::Level) {
                    errors.push(
                        Diagnostic::error(
                            Code::BadValue,
                            "“左右”(~) 只能用于水平类指标",
                            "`~` (about) is for level targets only",
                        )
                        .at(file, locate_target("comparator"))
                        .with_hint("累计类目标请写 \">=\" 等比较方式"),
                    );
                } else if tolerance <= 0.0 {
                    errors.push(
                        Diagnostic::error(
                            Code::MissingField,
                            "“左右”(~) 目标必须写容差 tolerance：与目标值相差多少以内算达标",
                            "an `~` (about) target needs a tolerance",
                        )
                        .at(file, locate_target("comparator"))
                        .with_hint("例如 tolerance: 2（表示目标值上下 2 以内为达标）"),
                    );
                }
            }
            match (kind, comparator, value) {
                (Some(Kind::Qualitative), _, _) | (None, _, _) => {}
                (Some(_), Some(comparator), Some(value)) => {
                    target.rule = Some(Target {
                        comparator,
                        value,
                        tolerance,
                    })
                }
                (Some(_), None, _) if t.comparator.is_none() => errors.push(missing(
                    file,
                    locate_target("comparator"),
                    "target.comparator",
                    "目标的比较方式",
                    "comparator: \"<=\"",
                )),
                (Some(_), _, None) if t.value.is_none() => errors.push(missing(
                    file,
                    locate_target("value"),
                    "target.value",
                    "目标值",
                    "value: 35.6",
                )),
                _ => {}
            }
            if target.text.is_empty() {
                errors.push(missing(
                    file,
                    locate_target("text"),
                    "target.text",
                    "目标的原文表述",
                    "text: 35.6微克/立方米以下",
                ));
            }
        }
    }
    target
}

/// A number field, `None` when absent or (with an error) not a finite number.
fn number(
    file: &SourceFile,
    value: &Option<Text>,
    key: &str,
    locate: &dyn Fn(&str) -> Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let t = value.as_ref()?;
    parse_number(t.as_str()).or_else(|| {
        errors.push(not_a_number(file, locate(key), t.as_str()));
        None
    })
}

/// Values that cannot be true (a percentage over 100, a negative count): typing mistakes that
/// would otherwise be judged as if real. The one rule both a content file and a collection
/// form are held to.
pub(crate) fn impossible_value(value: f64, kind: Kind, unit: &str) -> Option<Diagnostic> {
    if unit.trim() == "%" && !(0.0..=100.0).contains(&value) {
        Some(Diagnostic::error(
            Code::BadValue,
            format!("百分比 {value} 超出 0–100"),
            "a percentage must be between 0 and 100",
        ))
    } else if kind == Kind::Cumulative && value < 0.0 {
        Some(Diagnostic::error(
            Code::BadValue,
            format!("累计数量 {value} 不能为负数"),
            "a cumulative count must not be negative",
        ))
    } else {
        None
    }
}

/// A finite number; YAML's `.nan` and `.inf` and words are refused.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let lowered = text.trim().to_ascii_lowercase();
    if lowered.contains("nan") || lowered.contains("inf") {
        return None;
    }
    lowered.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn not_a_number(file: &SourceFile, span: Range<usize>, text: &str) -> Diagnostic {
    not_a_number_here(text).at(file, span)
}

/// `text` is not a number, with a hint for the usual slip (a decimal comma): wherever it was
/// written.
pub(crate) fn not_a_number_here(text: &str) -> Diagnostic {
    let hint =
        if text.contains(['，', ',']) && parse_number(&text.replace(['，', ','], ".")).is_some() {
            "小数点要用英文句点：写成 35.2，而不是 35,2；千位不要加逗号"
        } else {
            "只写数字本身，例如 value: 35.6；单位写在 unit 中；没有数据的季度整行不写"
        };
    Diagnostic::error(
        Code::BadValue,
        format!("“{text}”不是有效的数字"),
        format!("`{text}` is not a finite number"),
    )
    .with_hint(hint)
}

fn parse_comparator(text: &str) -> Option<Comparator> {
    Some(match text.trim() {
        "<=" | "≤" => Comparator::AtMost,
        "<" => Comparator::Below,
        ">=" | "≥" => Comparator::AtLeast,
        ">" => Comparator::Above,
        "==" | "=" => Comparator::Equal,
        "~" | "≈" => Comparator::About,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::status::Status;

    fn areas() -> Areas {
        Areas::parse(&SourceFile::new(
            "content/areas.yaml",
            "- id: pollution\n  name: 污染\n- id: air\n  name: 蓝天\n  parent: pollution\n",
        ))
        .unwrap()
    }

    fn parse(text: &str) -> Result<Indicator, Vec<Diagnostic>> {
        Indicator::parse(
            &SourceFile::new("content/indicators/x.yaml", text),
            &areas(),
            2024,
        )
    }

    const PM25: &str = "id: pm25\nname: 细颗粒物(PM2.5)平均浓度\narea: air\nunit: 微克/立方米\nkind: level\ntarget:\n  comparator: \"<=\"\n  value: 35.6\n  text: 35.6微克/立方米以下\n  tolerance: 1.0\nvalues:\n  - { period: 2024-Q1, value: 41.2 }\n  - { period: 2024-Q2, value: 36.4, flag: provisional, note: 降水偏少 }\n  - { period: 2024-Q3, value: 34.9 }\nhistory:\n  - { period: 2022, value: 37.0 }\n  - { period: 2023, value: 36.1 }\n";

    #[test]
    fn level_indicator_with_statuses() {
        let i = parse(PM25).unwrap();
        let statuses: Vec<_> = i.quarters.iter().map(|q| q.status).collect();
        assert_eq!(
            statuses,
            [Status::NotMet, Status::AtRisk, Status::Met, Status::NoData]
        );
        assert_eq!(i.quarters[1].flag, Some(Flag::Provisional));
        assert_eq!(i.latest().unwrap().quarter.number, 3);
        assert_eq!(i.history, [(2022, 37.0), (2023, 36.1)]);
        assert_eq!(i.target_short(), "≤ 35.6 微克/立方米");
    }

    #[test]
    fn qualitative_indicator_needs_status_and_evidence() {
        let text = "id: soil\nname: 土壤\narea: air\nkind: qualitative\ntarget:\n  text: 总体保持稳定\nvalues:\n  - { period: 2024-Q1, status: met, evidence: 稳定 }\n  - { period: 2024-Q2, status: met }\n  - { period: 2024-Q3, evidence: 有 }\n";
        let errors = parse(text).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(
            found,
            [(Code::MissingField, 9), (Code::MissingField, 10)],
            "{errors:#?}"
        );
    }

    #[test]
    fn a_qualitative_quarter_may_say_why_it_has_no_judgement() {
        let text = "id: co2\nname: 碳\narea: air\nkind: qualitative\ntarget:\n  text: 完成省下达的年度目标\nvalues:\n  - { period: 2024-Q1, status: on_track, evidence: 下降 }\n  - { period: 2024-Q3, note: 待统计部门核算发布 }\n";
        let i = parse(text).unwrap();
        assert_eq!(i.quarters[2].status, Status::NoData);
        assert_eq!(i.quarters[2].note.as_deref(), Some("待统计部门核算发布"));
        assert!(parse(&text.replace("note: 待统计部门核算发布", "")).is_err());
    }

    #[test]
    fn every_bad_value_is_reported_with_its_line() {
        let text = PM25
            .replace("value: 41.2", "value: .nan")
            .replace("value: 36.4", "value: 很多")
            .replace("2024-Q3", "2023-Q3")
            .replace("kind: level", "kind: level\n");
        let errors = parse(&text).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert!(found.contains(&(Code::BadValue, 13)), "{found:?}");
        assert!(found.contains(&(Code::BadValue, 14)), "{found:?}");
        assert!(found.contains(&(Code::BadQuarter, 15)), "{found:?}");
    }

    #[test]
    fn duplicate_period_percentage_and_negative_count() {
        let text = "id: w\nname: 水\narea: air\nunit: \"%\"\nkind: level\ntarget: { comparator: \">=\", value: 100, text: 100% }\nvalues:\n  - { period: 2024-Q1, value: 101 }\n  - { period: 2024-Q1, value: 99 }\n";
        let found: Vec<_> = parse(text)
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(found, [(Code::BadValue, 8), (Code::Duplicate, 9)]);
        let text = "id: c\nname: 数\narea: air\nunit: 个\nkind: cumulative\ntarget: { comparator: \">=\", value: 28, text: 28个以上 }\nvalues:\n  - { period: 2024-Q1, value: -1 }\n";
        let found: Vec<_> = parse(text)
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(found, [(Code::BadValue, 8)]);
    }

    #[test]
    fn unknown_kind_comparator_and_area() {
        let text = PM25
            .replace("kind: level", "kind: levels")
            .replace("\"<=\"", "\"=<\"")
            .replace("area: air", "area: aire");
        let found: Vec<_> = parse(&text)
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert!(found.contains(&(Code::BadValue, 5)), "{found:?}");
        assert!(found.contains(&(Code::BadValue, 7)), "{found:?}");
        assert!(found.contains(&(Code::UnknownArea, 3)), "{found:?}");
    }

    #[test]
    fn about_targets_need_a_tolerance_and_a_level() {
        let about = "id: r\nname: 率\narea: air\nunit: \"%\"\nkind: level\ntarget: { comparator: \"~\", value: 50, tolerance: 2, text: 提高到50%左右 }\nvalues:\n  - { period: 2024-Q1, value: 45.6 }\n  - { period: 2024-Q3, value: 48.9 }\n";
        let i = parse(about).unwrap();
        let statuses: Vec<_> = i.quarters.iter().map(|q| q.status).collect();
        assert_eq!(
            statuses,
            [Status::NotMet, Status::NoData, Status::Met, Status::NoData]
        );
        assert_eq!(i.target_short(), "≈ 50%（±2%）");
        let found: Vec<_> = parse(&about.replace("tolerance: 2, ", ""))
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(found, [(Code::MissingField, 6)]);
        let found: Vec<_> = parse(&about.replace("kind: level", "kind: cumulative"))
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(found, [(Code::BadValue, 6)]);
    }

    #[test]
    fn history_by_quarter_and_value_dates() {
        let text = PM25
            .replace("value: 34.9 }", "value: 34.9, date: 2024-10-18 }")
            .replace(
                "  - { period: 2023, value: 36.1 }\n",
                "  - { period: 2023, value: 36.1 }\n  - { period: 2023-Q3, value: 35.2 }\n",
            );
        let i = parse(&text).unwrap();
        assert_eq!(i.history, [(2022, 37.0), (2023, 36.1)]);
        let q3 = i.quarters[2].quarter;
        assert_eq!(i.same_period_last_year(q3), Some(35.2));
        assert_eq!(i.same_period_last_year(i.quarters[0].quarter), None);
        assert_eq!(
            i.same_period_last_year(i.quarters[3].quarter),
            Some(36.1),
            "the fourth quarter compares with last year's annual value"
        );
        assert_eq!(
            i.updated().map(|d| d.to_string()),
            Some("2024-10-18".into())
        );
        let found: Vec<_> = parse(&text.replace("2023-Q3", "2024-Q3"))
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(found, [(Code::BadQuarter, 18)]);
        let found: Vec<_> = parse(&text.replace("2024-10-18", "2024-10-32"))
            .unwrap_err()
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(found, [Code::BadDate]);
    }

    #[test]
    fn quarters_after_the_sites_latest_period_are_not_due_not_missing() {
        let pm25 = parse(PM25).unwrap();
        let lagging = parse(
            &PM25
                .replace("id: pm25", "id: late")
                .replace(
                    "  - { period: 2024-Q2, value: 36.4, flag: provisional, note: 降水偏少 }\n",
                    "",
                )
                .replace("  - { period: 2024-Q3, value: 34.9 }\n", ""),
        )
        .unwrap();
        let mut indicators = vec![pm25, lagging];
        crate::model::indicator::settle_not_due(&mut indicators);
        let statuses: Vec<_> = indicators[1].quarters.iter().map(|q| q.status).collect();
        assert_eq!(
            statuses,
            [
                Status::NotMet,
                Status::NoData,
                Status::NoData,
                Status::NotDue
            ],
            "Q2 and Q3 are reported by the site and missing here; Q4 is not due"
        );
        assert_eq!(indicators[0].quarters[3].status, Status::NotDue);
        assert_eq!(
            crate::model::indicator::reporting_period(&indicators).map(|q| q.to_string()),
            Some("2024-Q3".into())
        );
    }

    #[test]
    fn numbers_are_parsed_finite() {
        assert_eq!(parse_number("1e400"), None);
        assert_eq!(parse_number(".inf"), None);
        assert_eq!(parse_number("-.Inf"), None);
        assert_eq!(parse_number("41"), Some(41.0));
    }
}
