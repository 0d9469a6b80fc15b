//! Target status: the published rules that turn a quarter's value into 达标 / 进度正常 /
//! 存在风险 / 未达标 / 暂无数据 / 未到报告期. This module is the only place the rules live;
//! pages, charts, open data and the methodology page all ask it.

use serde::{Deserialize, Serialize};

/// How a value is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "==")]
    Equal,
    /// "About N" (左右): within the target's tolerance either side is met.
    #[serde(rename = "~")]
    About,
}

/// Values are decimal figures as published; differences below this are rounding noise.
const EPSILON: f64 = 1e-9;

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtMost => "≤",
            Comparator::Below => "<",
            Comparator::AtLeast => "≥",
            Comparator::Above => ">",
            Comparator::Equal => "=",
            Comparator::About => "≈",
        }
    }

    /// As written in YAML and in the open data.
    pub fn code(self) -> &'static str {
        match self {
            Comparator::AtMost => "<=",
            Comparator::Below => "<",
            Comparator::AtLeast => ">=",
            Comparator::Above => ">",
            Comparator::Equal => "==",
            Comparator::About => "~",
        }
    }

    pub fn is_satisfied(self, value: f64, target: f64) -> bool {
        match self {
            Comparator::AtMost => value <= target + EPSILON,
            Comparator::Below => value < target - EPSILON,
            Comparator::AtLeast => value >= target - EPSILON,
            Comparator::Above => value > target + EPSILON,
            // `About` needs the tolerance, which only the target knows: see `level`.
            Comparator::Equal | Comparator::About => (value - target).abs() <= EPSILON,
        }
    }

    /// How far a value that does not satisfy the target is from it (0 for `<`/`>` at the target).
    pub fn shortfall(self, value: f64, target: f64) -> f64 {
        match self {
            Comparator::AtMost | Comparator::Below => (value - target).max(0.0),
            Comparator::AtLeast | Comparator::Above => (target - value).max(0.0),
            Comparator::Equal | Comparator::About => (value - target).abs(),
        }
    }
}

/// The kinds of target in the work plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A level to stay under or over (PM2.5, ratios), judged on the year-to-date value.
    Level,
    /// A count toward an annual total (28 water bodies), judged against the quarterly pace.
    Cumulative,
    /// Worded targets ("总体保持稳定"), judged by the editor with evidence.
    Qualitative,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Level => "level",
            Kind::Cumulative => "cumulative",
            Kind::Qualitative => "qualitative",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Level => "水平类",
            Kind::Cumulative => "累计类",
            Kind::Qualitative => "定性类",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    OnTrack,
    AtRisk,
    NotMet,
    NoData,
    /// A quarter after the site's latest reporting period: nothing is missing yet.
    NotDue,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Met,
        Status::OnTrack,
        Status::AtRisk,
        Status::NotMet,
        Status::NoData,
        Status::NotDue,
    ];

    /// Whether the quarter was judged against its target (it has a figure or a judgement).
    pub fn is_judged(self) -> bool {
        !matches!(self, Status::NoData | Status::NotDue)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::NotMet => "not_met",
            Status::NoData => "no_data",
            Status::NotDue => "not_due",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::OnTrack => "进度正常",
            Status::AtRisk => "存在风险",
            Status::NotMet => "未达标",
            Status::NoData => "暂无数据",
            Status::NotDue => "未到报告期",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::NotMet => "not met",
            Status::NoData => "no data",
            Status::NotDue => "not due",
        }
    }

    /// A symbol shown with the label, so that colour is never the only signal.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Met => "✓",
            Status::OnTrack => "→",
            Status::AtRisk => "!",
            Status::NotMet => "✗",
            Status::NoData => "–",
            Status::NotDue => "…",
        }
    }

    /// Colours from the Okabe–Ito palette (distinguishable with the common colour-vision
    /// deficiencies), dark enough for white text at 4.5:1.
    pub fn colour(self) -> &'static str {
        match self {
            Status::Met => "#00603f",
            Status::OnTrack => "#005a8c",
            Status::AtRisk => "#8a4b00",
            Status::NotMet => "#a3123a",
            Status::NoData => "#595959",
            Status::NotDue => "#6b6b6b",
        }
    }
}

/// The share of an annual cumulative target due by the end of each quarter.
pub fn pace(quarter: u32) -> f64 {
    f64::from(quarter.clamp(1, 4)) / 4.0
}

/// A quantitative target: the one rule type of indicators, statuses, charts and open data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    pub comparator: Comparator,
    pub value: f64,
    /// Within this of the target (or of the pace) is "at risk" rather than "not met".
    pub tolerance: f64,
}

/// The status of a level target for a year-to-date value.
pub fn level(target: &Target, value: Option<f64>) -> Status {
    let Some(value) = value else {
        return Status::NoData;
    };
    if target.comparator == Comparator::About {
        return if (value - target.value).abs() <= target.tolerance + EPSILON {
            Status::Met
        } else {
            Status::NotMet
        };
    }
    if target.comparator.is_satisfied(value, target.value) {
        Status::Met
    } else if target.tolerance > 0.0
        && target.comparator.shortfall(value, target.value) <= target.tolerance + EPSILON
    {
        Status::AtRisk
    } else {
        Status::NotMet
    }
}

/// The status of a cumulative target at the end of `quarter` (1–4) for the count so far.
pub fn cumulative(target: &Target, quarter: u32, value: Option<f64>) -> Status {
    let Some(value) = value else {
        return Status::NoData;
    };
    if target.comparator.is_satisfied(value, target.value) {
        return Status::Met;
    }
    if quarter >= 4 {
        return Status::NotMet;
    }
    let due = target.value * pace(quarter);
    if value >= due - EPSILON {
        Status::OnTrack
    } else if target.tolerance > 0.0 && due - value <= target.tolerance + EPSILON {
        Status::AtRisk
    } else {
        Status::NotMet
    }
}

/// The status of a qualitative target: the editor's judgement, which counts only with evidence.
pub fn qualitative(judged: Option<Status>, evidence: Option<&str>) -> Status {
    match (judged, evidence.map(str::trim)) {
        (Some(status), Some(e)) if !e.is_empty() => status,
        _ => Status::NoData,
    }
}

fn number(value: f64) -> String {
    crate::text::format_number(value)
}

/// The rule a target is judged by, in words, for indicator pages and the methodology page.
/// `rule` is `None` for qualitative targets; `unit` is written after numbers.
pub fn rule_text(kind: Kind, rule: Option<Target>, unit: &str) -> String {
    let Some(Target {
        comparator,
        value,
        tolerance,
    }) = rule
    else {
        return "定性类目标：由牵头单位每季度依据工作进展判定为达标、进度正常、存在风险或未达标，判定须附依据；没有判定的季度为暂无数据，未到的季度为未到报告期。".to_string();
    };
    if comparator == Comparator::About {
        return format!(
            "“左右”类目标：以年内累计值判定。与目标值 {}{unit} 相差不超过 {}{unit}（即 {}{unit} 至 {}{unit}）为达标，超出为未达标；没有数据的季度为暂无数据，未到的季度为未到报告期。",
            number(value),
            number(tolerance),
            number(value - tolerance),
            number(value + tolerance)
        );
    }
    let target = format!("{} {}{unit}", comparator.symbol(), number(value));
    match kind {
        Kind::Level | Kind::Qualitative => {
            let risk = if tolerance > 0.0 {
                format!(
                    "未满足但差距不超过 {}{unit} 为存在风险，其余为未达标",
                    number(tolerance)
                )
            } else {
                "未满足即为未达标".to_string()
            };
            format!("水平类目标：以年内累计值判定。满足“{target}”为达标；{risk}；没有数据的季度为暂无数据，未到的季度为未到报告期。")
        }
        Kind::Cumulative => {
            let due: Vec<String> = (1..=3)
                .map(|q| format!("{}{unit}", number(value * pace(q))))
                .collect();
            let risk = if tolerance > 0.0 {
                format!(
                    "落后进度不超过 {}{unit} 为存在风险，更多为未达标",
                    number(tolerance)
                )
            } else {
                "落后于进度即为未达标".to_string()
            };
            format!(
                "累计类目标：以年内累计完成量判定。达到“{target}”即为达标；未达到时与进度要求比较（一季度 25%、二季度 50%、三季度 75%，即 {}），不低于进度为进度正常，{risk}；第四季度仍未达到目标为未达标；没有数据的季度为暂无数据，未到的季度为未到报告期。",
                due.join("、")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Comparator::*;
    use Status::*;

    fn t(comparator: Comparator, value: f64, tolerance: f64) -> Target {
        Target {
            comparator,
            value,
            tolerance,
        }
    }

    #[test]
    fn equal_to_the_target_under_each_comparator() {
        assert_eq!(level(&t(AtMost, 35.6, 0.0), Some(35.6)), Met);
        assert_eq!(level(&t(AtLeast, 85.2, 0.0), Some(85.2)), Met);
        assert_eq!(level(&t(Equal, 100.0, 0.0), Some(100.0)), Met);
        assert_eq!(
            level(&t(Below, 35.6, 0.0), Some(35.6)),
            NotMet,
            "strictly below"
        );
        assert_eq!(
            level(&t(Above, 85.2, 0.0), Some(85.2)),
            NotMet,
            "strictly above"
        );
        assert_eq!(
            level(&t(Above, 85.2, 1.0), Some(85.2)),
            AtRisk,
            "missed by nothing, within tolerance"
        );
    }

    #[test]
    fn decimal_noise_does_not_flip_a_status() {
        assert_eq!(level(&t(AtMost, 0.3, 0.0), Some(0.1 + 0.2)), Met);
        assert_eq!(level(&t(Equal, 0.3, 0.0), Some(0.1 + 0.2)), Met);
    }

    #[test]
    fn exactly_at_tolerance_is_at_risk_and_beyond_is_not_met() {
        let pm25 = t(AtMost, 35.6, 1.0);
        assert_eq!(level(&pm25, Some(36.6)), AtRisk);
        assert_eq!(level(&pm25, Some(36.61)), NotMet);
        let days = t(Above, 85.2, 2.0);
        assert_eq!(level(&days, Some(83.2)), AtRisk);
        assert_eq!(level(&days, Some(83.1)), NotMet);
        assert_eq!(level(&t(Equal, 100.0, 5.0), Some(95.0)), AtRisk);
        assert_eq!(level(&t(Equal, 0.0, 0.0), Some(1.0)), NotMet);
    }

    #[test]
    fn without_tolerance_any_miss_is_not_met() {
        assert_eq!(level(&t(AtMost, 35.6, 0.0), Some(35.7)), NotMet);
    }

    #[test]
    fn exactly_at_pace_is_on_track() {
        let bodies = t(AtLeast, 28.0, 2.0);
        assert_eq!(cumulative(&bodies, 1, Some(7.0)), OnTrack);
        assert_eq!(cumulative(&bodies, 2, Some(14.0)), OnTrack);
        assert_eq!(cumulative(&bodies, 3, Some(21.0)), OnTrack);
        assert_eq!(
            cumulative(&bodies, 2, Some(12.0)),
            AtRisk,
            "2 behind pace, tolerance 2"
        );
        assert_eq!(cumulative(&bodies, 2, Some(11.0)), NotMet);
        assert_eq!(cumulative(&bodies, 2, Some(28.0)), Met, "reached early");
        let villages = t(AtLeast, 75.0, 0.0);
        assert_eq!(cumulative(&villages, 1, Some(18.75)), OnTrack);
        assert_eq!(cumulative(&villages, 1, Some(18.0)), NotMet);
    }

    #[test]
    fn q4_one_short_is_not_met() {
        let bodies = t(AtLeast, 28.0, 5.0);
        assert_eq!(cumulative(&bodies, 4, Some(27.0)), NotMet);
        assert_eq!(cumulative(&bodies, 4, Some(28.0)), Met);
        assert_eq!(cumulative(&bodies, 4, Some(30.0)), Met);
    }

    #[test]
    fn missing_quarter_is_no_data() {
        assert_eq!(level(&t(AtMost, 35.6, 1.0), None), NoData);
        assert_eq!(cumulative(&t(AtLeast, 28.0, 1.0), 2, None), NoData);
    }

    #[test]
    fn qualitative_needs_status_and_evidence() {
        assert_eq!(qualitative(Some(Met), Some("土壤环境质量总体稳定")), Met);
        assert_eq!(qualitative(Some(AtRisk), Some("…")), AtRisk);
        assert_eq!(qualitative(Some(Met), None), NoData);
        assert_eq!(qualitative(Some(Met), Some("  ")), NoData);
        assert_eq!(qualitative(None, Some("有证据")), NoData);
    }

    #[test]
    fn about_a_target_is_met_within_the_tolerance_either_side() {
        let rural = t(About, 50.0, 2.0);
        assert_eq!(level(&rural, Some(48.0)), Met);
        assert_eq!(level(&rural, Some(51.9)), Met);
        assert_eq!(level(&rural, Some(47.9)), NotMet);
        assert_eq!(level(&rural, Some(52.1)), NotMet);
        assert_eq!(level(&rural, None), NoData);
        let words = rule_text(Kind::Level, Some(rural), "%");
        assert!(
            words.contains("相差不超过 2%（即 48% 至 52%）为达标"),
            "{words}"
        );
    }

    #[test]
    fn not_due_is_not_a_judgement() {
        assert!(!NotDue.is_judged() && !NoData.is_judged());
        assert!(Met.is_judged() && NotMet.is_judged());
        assert_eq!((NotDue.code(), NotDue.label()), ("not_due", "未到报告期"));
    }

    #[test]
    fn rules_in_words() {
        let level = rule_text(Kind::Level, Some(t(AtMost, 35.6, 1.0)), " 微克/立方米");
        assert!(level.contains("满足“≤ 35.6 微克/立方米”为达标"), "{level}");
        assert!(level.contains("差距不超过 1 微克/立方米"), "{level}");
        let cumulative = rule_text(Kind::Cumulative, Some(t(AtLeast, 28.0, 2.0)), " 个");
        assert!(cumulative.contains("即 7 个、14 个、21 个"), "{cumulative}");
        assert!(rule_text(Kind::Qualitative, None, "").starts_with("定性类"));
    }

    #[test]
    fn every_status_has_a_distinct_label_symbol_and_colour() {
        let mut seen = std::collections::HashSet::new();
        for s in Status::ALL {
            assert!(
                seen.insert(s.label())
                    && seen.insert(s.symbol())
                    && seen.insert(s.colour())
                    && seen.insert(s.code())
            );
        }
    }
}
