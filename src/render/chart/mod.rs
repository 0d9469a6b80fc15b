//! Charts of indicators, drawn at build time as SVG with plotters: a full chart per indicator
//! (values by quarter, the target, earlier years), a sparkline for overview tables, and the one
//! sentence that says in words what the chart shows. Same data, same bytes.

pub mod map;
mod sparkline;

pub use sparkline::sparkline;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::indicator::Indicator;
use crate::model::period::Quarter;
use crate::model::status::Target;
use crate::model::status::{self, Kind};
use crate::text::format_number;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
pub(crate) const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xe3, 0xdf);
const SERIES: RGBColor = RGBColor(0x00, 0x5a, 0x8c);
const HISTORY: RGBColor = RGBColor(0x8a, 0x8a, 0x8a);
const TARGET: RGBColor = RGBColor(0xa3, 0x12, 0x3a);
/// CSS sets the real family (Noto Sans CJK and friends); this is the fallback.
const FONT: &str = "sans-serif";

fn hex(colour: &str) -> RGBColor {
    let channel =
        |i: usize| u8::from_str_radix(colour.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    RGBColor(channel(1), channel(3), channel(5))
}

/// What the chart shows, in one sentence: the latest quarter, its value, the target and the
/// status (`2024年第三季度 34.9 微克/立方米，目标 ≤ 35.6 微克/立方米，达标`).
pub fn summary(indicator: &Indicator) -> String {
    let Some(latest) = indicator.latest() else {
        return format!(
            "{}：暂无数据，目标 {}",
            indicator.name,
            indicator.target_short()
        );
    };
    let value = match latest.value {
        Some(v) => format!(" {}", indicator.format_value(v)),
        None => String::new(),
    };
    let flag = latest
        .flag
        .map(|f| format!("（{}）", f.label()))
        .unwrap_or_default();
    format!(
        "{}{value}{flag}，目标 {}，{}",
        latest.quarter.chinese(),
        indicator.target_short(),
        latest.status.label()
    )
}

/// What a chart says to a screen reader: its title and description, under ids derived from `id`.
pub(crate) struct Label<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// Replaces plotters' opening `<svg>` tag with the one a page needs: a class, a `viewBox` so
/// that CSS can scale it, and either a label (role, title, description) or, for a decorative
/// SVG, `aria-hidden`. Every SVG of the site goes through here.
pub(crate) fn wrap(
    svg: &str,
    class: &str,
    (width, height): (u32, u32),
    label: Option<Label>,
) -> String {
    let body = svg
        .split_once('>')
        .map_or("", |(_, rest)| rest)
        .trim_start();
    let open = format!(
        r#"<svg class="{class}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg""#
    );
    match label {
        Some(Label {
            id,
            title,
            description,
        }) => format!(
            r#"{open} role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{body}"#,
            escape(title),
            escape(description),
        ),
        None => format!(r#"{open} aria-hidden="true" focusable="false">{body}"#),
    }
}

/// Text for SVG markup, escaped as the templates escape it.
fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The quarters of the reporting year with a value, as (index, value).
fn quarter_points(indicator: &Indicator, offset: usize) -> Vec<(f64, f64)> {
    indicator
        .quarters
        .iter()
        .enumerate()
        .filter_map(|(i, q)| q.value.map(|v| ((offset + i) as f64, v)))
        .collect()
}

fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|s| s * magnitude >= value)
        .unwrap_or(10.0);
    step * magnitude
}

/// The value axis: from zero for amounts, from a rounded floor for percentages near the top.
fn value_range(indicator: &Indicator, values: &[f64]) -> (f64, f64) {
    let target = indicator.target.rule.map(|r| r.value);
    let all = values.iter().copied().chain(target);
    let (min, max) = all.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if min > max {
        return (0.0, 1.0);
    }
    if indicator.is_percentage() {
        let low = ((min - 10.0) / 10.0).floor() * 10.0;
        let low = if min - low > 60.0 || low < 0.0 {
            0.0
        } else {
            low
        };
        let high = (max + (max - low) * 0.12)
            .min(100.0 + (100.0 - low) * 0.12)
            .max(low + 10.0);
        (low, high)
    } else {
        (0.0, nice_ceiling(max * 1.12).max(1.0))
    }
}

/// Text of `size` CSS pixels (plotters writes 1/1.24 of the size it is given).
pub(crate) fn label_style(size: u32, colour: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((FONT, f64::from(size) * 1.24).into_font()).color(colour)
}

/// The full chart of an indicator.
pub fn chart(indicator: &Indicator) -> String {
    let id = format!("chart-{}", indicator.id);
    let title = format!(
        "{}（{}）",
        indicator.name,
        indicator.quarters.first().map_or(0, |q| q.quarter.year)
    );
    let mut svg = String::new();
    let drawn = match indicator.kind {
        Kind::Qualitative => draw_qualitative(indicator, &mut svg),
        Kind::Level | Kind::Cumulative => draw_quantitative(indicator, &mut svg),
    };
    if drawn.is_err() {
        // plotters only fails on backend errors, which a String backend does not have; an
        // empty frame still carries the title and summary.
        svg = "<svg></svg>".to_string();
    }
    let description = summary(indicator);
    let label = Label {
        id: &id,
        title: &title,
        description: &description,
    };
    wrap(&svg, "chart", (WIDTH, HEIGHT), Some(label))
}

pub(crate) type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The earlier years drawn before the quarters: the last five, and only for a level (a
/// cumulative count starts again each year, so its history is not comparable).
fn shown_history(indicator: &Indicator) -> &[(i32, f64)] {
    match indicator.kind {
        Kind::Level => &indicator.history[indicator.history.len().saturating_sub(5)..],
        _ => &[],
    }
}

fn draw_quantitative(indicator: &Indicator, svg: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let shown = shown_history(indicator);
    let history: Vec<(f64, f64)> = shown
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (i as f64, *v))
        .collect();
    let history_years: Vec<i32> = shown.iter().map(|(y, _)| *y).collect();
    let offset = history.len();
    let quarters = quarter_points(indicator, offset);
    let mut labels: Vec<String> = history_years.iter().map(|y| format!("{y}年")).collect();
    labels.extend(
        indicator
            .quarters
            .iter()
            .map(|q| format!("Q{}", q.quarter.number)),
    );
    let year = indicator.quarters.first().map(|q| q.quarter.year);
    let slots = labels.len();
    let rule = indicator.target.rule;
    let mut values: Vec<f64> = history.iter().chain(&quarters).map(|(_, v)| *v).collect();
    if indicator.kind == Kind::Cumulative {
        values.push(0.0);
    }
    let (low, high) = value_range(indicator, &values);

    root.draw(&Text::new(
        format!(
            "单位：{}",
            if indicator.unit.is_empty() {
                "—"
            } else {
                &indicator.unit
            }
        ),
        (12, 12),
        label_style(14, &MUTED).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(40)
        .margin_right(TARGET_LABEL_WIDTH)
        .margin_left(8)
        .margin_bottom(4)
        .x_label_area_size(50)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.6f64..(slots as f64 - 0.4), low..high)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format_number(*v))
        .label_style(label_style(15, &INK))
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .draw()?;
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, low));
        root.draw(&Text::new(
            label.clone(),
            (x, y + 8),
            label_style(15, &INK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if let Some(year) = year {
        // The reporting year under its four quarters.
        let (x, y) = chart.backend_coord(&(offset as f64 + 1.5, low));
        root.draw(&Text::new(
            format!("{year}年（截至各季度末）"),
            (x, y + 28),
            label_style(14, &MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let mut legend = vec![(
        if indicator.kind == Kind::Cumulative {
            "累计完成"
        } else {
            "本年"
        },
        &SERIES,
        false,
    )];
    if !history.is_empty() {
        legend.push(("往年全年", &HISTORY, false));
    }
    if indicator.kind == Kind::Cumulative {
        legend.push(("进度要求", &MUTED, true));
    }
    legend.push(("目标", &TARGET, true));
    draw_legend(&root, &legend)?;
    if let Some(rule) = rule {
        draw_target(&root, &mut chart, indicator, rule, offset, slots)?;
    }
    if !history.is_empty() {
        chart.draw_series(LineSeries::new(history.clone(), HISTORY.stroke_width(2)))?;
        chart.draw_series(history.iter().map(|p| Circle::new(*p, 4, HISTORY.filled())))?;
    }
    if indicator.kind == Kind::Cumulative {
        let width = 0.32;
        chart.draw_series(quarters.iter().map(|(x, v)| {
            Rectangle::new(
                [(x - width, low), (x + width, *v)],
                SERIES.mix(0.85).filled(),
            )
        }))?;
    } else {
        chart.draw_series(LineSeries::new(quarters.clone(), SERIES.stroke_width(3)))?;
        chart.draw_series(quarters.iter().map(|p| Circle::new(*p, 5, SERIES.filled())))?;
    }
    draw_value_labels(&root, &chart, indicator, &history, &quarters)?;
    root.present()?;
    Ok(())
}

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The target as a dashed line labelled in the right margin and, for a cumulative target,
/// the pace due by the end of each quarter.
fn draw_target<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &mut Plot<DB>,
    indicator: &Indicator,
    rule: Target,
    offset: usize,
    slots: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if indicator.kind == Kind::Cumulative {
        // The pace: a quarter of the annual total due by the end of each quarter.
        let pace: Vec<(f64, f64)> = (1..=4)
            .map(|q| {
                (
                    (offset + q as usize - 1) as f64,
                    rule.value * status::pace(q),
                )
            })
            .collect();
        chart.draw_series(DashedLineSeries::new(
            pace.clone(),
            4,
            4,
            MUTED.stroke_width(2),
        ))?;
        chart.draw_series(pace.iter().map(|p| Circle::new(*p, 3, MUTED.filled())))?;
    }
    let line = vec![(-0.6, rule.value), (slots as f64 - 0.4, rule.value)];
    chart.draw_series(DashedLineSeries::new(line, 8, 5, TARGET.stroke_width(2)))?;
    // In the right margin, where no value label can collide with it.
    let (x, y) = chart.backend_coord(&(slots as f64 - 0.4, rule.value));
    root.draw(&Text::new(
        format!(
            "目标 {} {}",
            rule.comparator.symbol(),
            format_number(rule.value)
        ),
        (x + 6, y),
        label_style(14, &TARGET).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// Each value printed above its point, a star on a flagged one, and the flags explained
/// under the chart.
fn draw_value_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Plot<DB>,
    indicator: &Indicator,
    history: &[(f64, f64)],
    quarters: &[(f64, f64)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let offset = history.len();
    for (x, v) in history.iter().chain(quarters) {
        let (px, py) = chart.backend_coord(&(*x, *v));
        let colour: &'static RGBColor = if (*x as usize) < offset {
            &HISTORY
        } else {
            &SERIES
        };
        // A flagged value carries a star, explained under the chart.
        let flagged = (*x as usize)
            .checked_sub(offset)
            .and_then(|i| indicator.quarters.get(i))
            .is_some_and(|q| q.flag.is_some());
        let star = if flagged { "*" } else { "" };
        root.draw(&Text::new(
            format!("{}{star}", format_number(*v)),
            (px, py - 9),
            label_style(14, colour).pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    let flags: Vec<String> = indicator
        .quarters
        .iter()
        .filter_map(|q| {
            q.flag
                .map(|f| format!("Q{} {}", q.quarter.number, f.label()))
        })
        .collect();
    if !flags.is_empty() {
        root.draw(&Text::new(
            format!("* {}", flags.join("；")),
            (12, HEIGHT as i32 - 12),
            label_style(13, &MUTED).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Room right of the plot for the target's label.
const TARGET_LABEL_WIDTH: u32 = 92;

/// A one-line legend at the top right: a swatch (solid or dashed) and a word for each series.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(&str, &'static RGBColor, bool)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut x = WIDTH as i32 - 12;
    for (label, colour, dashed) in items.iter().rev() {
        let text_width = label.chars().count() as i32 * 14;
        x -= text_width;
        root.draw(&Text::new(
            label.to_string(),
            (x, 12),
            label_style(14, colour).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x -= 30;
        let style = colour.stroke_width(3);
        if *dashed {
            root.draw(&PathElement::new(vec![(x, 12), (x + 8, 12)], style))?;
            root.draw(&PathElement::new(vec![(x + 13, 12), (x + 21, 12)], style))?;
        } else {
            root.draw(&PathElement::new(vec![(x, 12), (x + 22, 12)], style))?;
        }
        x -= 16;
    }
    Ok(())
}

fn draw_qualitative(indicator: &Indicator, svg: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let columns = indicator.quarters.len().max(1) as i32;
    let gap = 12;
    let box_width = (WIDTH as i32 - 24 - gap * (columns - 1)) / columns;
    root.draw(&Text::new(
        format!("目标：{}", indicator.target.text),
        (12, 14),
        label_style(14, &INK).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    for (i, q) in indicator.quarters.iter().enumerate() {
        let x = 12 + i as i32 * (box_width + gap);
        let (top, bottom) = (70, 230);
        let colour = hex(q.status.colour());
        let fill = if !q.status.is_judged() {
            WHITE.filled()
        } else {
            colour.filled()
        };
        root.draw(&Rectangle::new([(x, top), (x + box_width, bottom)], fill))?;
        root.draw(&Rectangle::new(
            [(x, top), (x + box_width, bottom)],
            colour.stroke_width(2),
        ))?;
        let ink: &'static RGBColor = if !q.status.is_judged() {
            &MUTED
        } else {
            &WHITE
        };
        let centre = x + box_width / 2;
        root.draw(&Text::new(
            quarter_label(q.quarter),
            (centre, top + 30),
            label_style(15, ink).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            q.status.symbol().to_string(),
            (centre, top + 78),
            label_style(30, ink).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            q.status.label().to_string(),
            (centre, top + 126),
            label_style(17, ink).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    root.draw(&Text::new(
        "定性目标：由牵头单位依据证据逐季判定，判定依据见下表。",
        (12, 262),
        label_style(14, &MUTED).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    root.present()?;
    Ok(())
}

fn quarter_label(quarter: Quarter) -> String {
    format!("{}年{}", quarter.year, quarter.chinese_short())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::area::Areas;
    use crate::source::SourceFile;

    fn indicator(text: &str) -> Indicator {
        let areas = Areas::parse(&SourceFile::new("a.yaml", "- id: air\n  name: 蓝天\n")).unwrap();
        Indicator::parse(
            &SourceFile::new("content/indicators/x.yaml", text),
            &areas,
            2024,
        )
        .unwrap()
    }

    const PM25: &str = "id: pm25\nname: 细颗粒物(PM2.5)平均浓度\narea: air\nunit: 微克/立方米\nkind: level\ntarget: { comparator: \"<=\", value: 35.6, text: 35.6微克/立方米以下, tolerance: 1 }\nvalues:\n  - { period: 2024-Q1, value: 41.2 }\n  - { period: 2024-Q2, value: 34.9, flag: provisional }\nhistory:\n  - { period: 2023, value: 36.1 }\n";

    #[test]
    fn summary_says_latest_value_target_and_status() {
        assert_eq!(
            summary(&indicator(PM25)),
            "2024年第二季度 34.9 微克/立方米（初步数据），目标 ≤ 35.6 微克/立方米，达标"
        );
    }

    #[test]
    fn chart_is_accessible_and_deterministic() {
        let i = indicator(PM25);
        let svg = chart(&i);
        assert!(svg.starts_with(r#"<svg class="chart""#), "{}", &svg[..200]);
        assert!(svg.contains(r#"role="img""#));
        assert!(
            svg.contains(r#"<title id="chart-pm25-title">细颗粒物(PM2.5)平均浓度（2024）</title>"#)
        );
        assert!(svg.contains("<desc id=\"chart-pm25-desc\">2024年第二季度 34.9"));
        assert!(svg.contains("目标 ≤ 35.6"));
        assert!(svg.contains("2023年"), "history on the axis");
        assert!(svg.contains("41.2") && svg.contains("36.1"));
        assert!(
            svg.contains("34.9*") && svg.contains("* Q2 初步数据"),
            "a flag shows in the chart"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg, chart(&i), "same data, same bytes");
    }

    #[test]
    fn cumulative_chart_marks_the_pace() {
        let i = indicator("id: b\nname: 黑臭水体\narea: air\nunit: 个\nkind: cumulative\ntarget: { comparator: \">=\", value: 28, text: 28个以上 }\nvalues:\n  - { period: 2024-Q1, value: 5 }\n");
        let svg = chart(&i);
        assert!(svg.contains("进度要求"), "the pace is in the legend");
        assert!(svg.contains("<rect"), "bars");
        assert!(summary(&i).ends_with("未达标"), "{}", summary(&i));
    }

    #[test]
    fn qualitative_chart_shows_each_quarter_in_words() {
        let i = indicator("id: s\nname: 土壤\narea: air\nkind: qualitative\ntarget: { text: 总体保持稳定 }\nvalues:\n  - { period: 2024-Q1, status: met, evidence: 稳定 }\n");
        let svg = chart(&i);
        assert!(svg.contains("达标") && svg.contains("暂无数据") && svg.contains("总体保持稳定"));
        let spark = sparkline(&i);
        assert!(spark.contains(r#"aria-hidden="true""#));
    }

    #[test]
    fn value_axis_ranges() {
        let i = indicator(PM25);
        assert_eq!(value_range(&i, &[41.2, 34.9]), (0.0, 50.0));
        assert_eq!(nice_ceiling(46.1), 50.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }
}
