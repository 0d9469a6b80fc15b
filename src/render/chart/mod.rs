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

/// Drawn for a phone: scaled to a 360 px screen its labels stay about 11 px and more; on a wide
/// screen CSS lets it grow to 640 px.
const WIDTH: u32 = 400;
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

/// A dashed line's pattern. plotters draws a dashed line as one element a dash (sixteen for a
/// sparkline's target line), which made the overview tables three times their size and most of
/// the time spent minifying them; [`dashed`] draws the line whole at an opacity that names its
/// pattern, and [`wrap`] turns that opacity into an SVG dash array.
#[derive(Clone, Copy)]
pub(crate) enum Dash {
    Target,
    Pace,
    Sparkline,
}

impl Dash {
    const ALL: [Dash; 3] = [Dash::Target, Dash::Pace, Dash::Sparkline];

    /// Opacities no other element is drawn at.
    fn alpha(self) -> f64 {
        match self {
            Dash::Target => 0.999,
            Dash::Pace => 0.998,
            Dash::Sparkline => 0.997,
        }
    }

    fn pattern(self) -> &'static str {
        match self {
            Dash::Target => "8 5",
            Dash::Pace => "4 4",
            Dash::Sparkline => "4 3",
        }
    }
}

/// A dashed line through `points`, as one element.
pub(crate) fn dashed<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    width: u32,
    dash: Dash,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let style = colour.mix(dash.alpha()).stroke_width(width);
    chart.draw_series(LineSeries::new(points, style))?;
    Ok(())
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
    let mut body = svg
        .split_once('>')
        .map_or("", |(_, rest)| rest)
        .trim_start()
        .to_string();
    for dash in Dash::ALL {
        let marked = format!(r#"opacity="{}""#, dash.alpha());
        if body.contains(&marked) {
            let styled = format!(r#"opacity="1" stroke-dasharray="{}""#, dash.pattern());
            body = body.replace(&marked, &styled);
        }
    }
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
    // Years as digits and quarters as 一季度…四季度: nine labels must fit under a phone-wide plot;
    // the group labels below say which are whole years.
    let mut labels: Vec<String> = history_years.iter().map(|y| y.to_string()).collect();
    labels.extend(
        indicator
            .quarters
            .iter()
            .map(|q| axis_quarter(q.quarter).to_string()),
    );
    let year = indicator.quarters.first().map(|q| q.quarter.year);
    let axis = Axis {
        offset,
        slots: labels.len(),
    };
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
        label_style(13, &MUTED).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(56)
        .margin_right(10)
        .margin_left(4)
        // Room at the bottom for the line that explains flagged values.
        .margin_bottom(18)
        .x_label_area_size(46)
        .y_label_area_size(40)
        .build_cartesian_2d(axis.range(), low..high)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format_number(*v))
        .label_style(label_style(13, &INK))
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .draw()?;
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(axis.x(i as f64), low));
        root.draw(&Text::new(
            label.clone(),
            (x, y + 6),
            label_style(AXIS_FONT, &INK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if offset > 0 {
        let (x, y) = chart.backend_coord(&(axis.x((offset as f64 - 1.0) / 2.0), low));
        root.draw(&Text::new(
            "往年（全年）",
            (x, y + 24),
            label_style(AXIS_FONT, &MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if let Some(year) = year {
        // The reporting year under its four quarters.
        let (x, y) = chart.backend_coord(&(axis.x(offset as f64) + 1.5, low));
        root.draw(&Text::new(
            format!("{year}年（截至各季度末）"),
            (x, y + 24),
            label_style(AXIS_FONT, &MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let mut legend = vec![(
        if indicator.kind == Kind::Cumulative {
            "累计完成".to_string()
        } else {
            "本年".to_string()
        },
        &SERIES,
        false,
    )];
    if !history.is_empty() {
        legend.push(("往年全年".to_string(), &HISTORY, false));
    }
    if indicator.kind == Kind::Cumulative {
        legend.push(("进度要求".to_string(), &MUTED, true));
    }
    // The target's value is named in the legend, not on its line, where values would cover it.
    let target_label = rule.map_or_else(
        || "目标".to_string(),
        |r| format!("目标 {} {}", r.comparator.symbol(), format_number(r.value)),
    );
    legend.push((target_label, &TARGET, true));
    draw_legend(&root, &legend)?;
    if let Some(rule) = rule {
        draw_target(&mut chart, indicator, rule, &axis)?;
    }
    let placed = |points: &[(f64, f64)]| -> Vec<(f64, f64)> {
        points.iter().map(|(i, v)| (axis.x(*i), *v)).collect()
    };
    if !history.is_empty() {
        let history = placed(&history);
        chart.draw_series(LineSeries::new(history.clone(), HISTORY.stroke_width(2)))?;
        chart.draw_series(history.iter().map(|p| Circle::new(*p, 4, HISTORY.filled())))?;
    }
    if indicator.kind == Kind::Cumulative {
        let width = 0.32;
        chart.draw_series(placed(&quarters).iter().map(|(x, v)| {
            Rectangle::new(
                [(x - width, low), (x + width, *v)],
                SERIES.mix(0.85).filled(),
            )
        }))?;
    } else {
        let quarters = placed(&quarters);
        chart.draw_series(LineSeries::new(quarters.clone(), SERIES.stroke_width(3)))?;
        chart.draw_series(quarters.iter().map(|p| Circle::new(*p, 5, SERIES.filled())))?;
    }
    let target_y = rule.map(|r| chart.backend_coord(&(0.0, r.value)).1);
    draw_value_labels(
        &root,
        &chart,
        indicator,
        &axis,
        (&history, &quarters),
        target_y,
    )?;
    root.present()?;
    Ok(())
}

/// A point by its slot and value.
type Point = (f64, f64);

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Where the slots sit along the x axis: the earlier years closer together than the quarters,
/// so that nine labels fit under a plot drawn for a phone.
struct Axis {
    /// How many earlier years come first.
    offset: usize,
    slots: usize,
}

const YEAR_SPACING: f64 = 0.75;

impl Axis {
    /// The x of slot `i` (fractions give points between slots).
    fn x(&self, i: f64) -> f64 {
        let years = self.offset as f64;
        if i < years {
            i * YEAR_SPACING
        } else if years > 0.0 {
            (years - 1.0) * YEAR_SPACING + 1.0 + (i - years)
        } else {
            i
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        -0.5..self.x(self.slots as f64 - 1.0) + 0.5
    }
}

/// The target as a dashed line and, for a cumulative target, the pace due by the end of each
/// quarter.
fn draw_target<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    indicator: &Indicator,
    rule: Target,
    axis: &Axis,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if indicator.kind == Kind::Cumulative {
        // The pace: a quarter of the annual total due by the end of each quarter.
        let pace: Vec<(f64, f64)> = (1..=4)
            .map(|q| {
                (
                    axis.x((axis.offset + q as usize - 1) as f64),
                    rule.value * status::pace(q),
                )
            })
            .collect();
        dashed(chart, pace.clone(), MUTED, 2, Dash::Pace)?;
        chart.draw_series(pace.iter().map(|p| Circle::new(*p, 3, MUTED.filled())))?;
    }
    let range = axis.range();
    let line = vec![(range.start, rule.value), (range.end, rule.value)];
    dashed(chart, line, TARGET, 2, Dash::Target)?;
    Ok(())
}

/// Each value printed above its point (below it where above would cover the target line), a
/// star on a flagged one, and the flags explained under the chart.
fn draw_value_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Plot<DB>,
    indicator: &Indicator,
    axis: &Axis,
    (history, quarters): (&[Point], &[Point]),
    target_y: Option<i32>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let offset = history.len();
    for (x, v) in history.iter().chain(quarters) {
        let (px, py) = chart.backend_coord(&(axis.x(*x), *v));
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
        let bar = indicator.kind == Kind::Cumulative && (*x as usize) >= offset;
        let (y, anchor, colour) = match label_position(py, target_y) {
            // Below the top of a bar, the label sits on the bar: white on blue.
            LabelAt::Below if bar => (py + 5, VPos::Top, &WHITE),
            LabelAt::Below => (py + 9, VPos::Top, colour),
            LabelAt::Above => (py - 9, VPos::Bottom, colour),
        };
        root.draw(&Text::new(
            format!("{}{star}", format_number(*v)),
            (px, y),
            label_style(VALUE_FONT, colour).pos(Pos::new(HPos::Center, anchor)),
        ))?;
    }
    let flags: Vec<String> = indicator
        .quarters
        .iter()
        .filter_map(|q| {
            q.flag
                .map(|f| format!("{}：{}", axis_quarter(q.quarter), f.label()))
        })
        .collect();
    if !flags.is_empty() {
        root.draw(&Text::new(
            format!("* {}", flags.join("；")),
            (8, HEIGHT as i32 - 10),
            label_style(AXIS_FONT, &MUTED).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Sizes of the axis labels and of the values, in the chart's own units.
const AXIS_FONT: u32 = 12;
const VALUE_FONT: u32 = 14;
const LEGEND_FONT: u32 = 13;

/// The quarter on an axis: `一季度`.
fn axis_quarter(quarter: Quarter) -> &'static str {
    let name = quarter.chinese_short();
    name.strip_prefix('第').unwrap_or(name)
}

#[derive(Debug, PartialEq)]
enum LabelAt {
    Above,
    Below,
}

/// Where a value's label goes: above its point unless the target line would cross it there.
fn label_position(point_y: i32, target_y: Option<i32>) -> LabelAt {
    let height = VALUE_FONT as i32;
    let (top, bottom) = (point_y - 9 - height - 2, point_y - 9 + 2);
    match target_y {
        Some(t) if (top..=bottom).contains(&t) => LabelAt::Below,
        _ => LabelAt::Above,
    }
}

/// About how wide a label is drawn: a Chinese character a full em, anything else about half.
fn text_width(text: &str, size: u32) -> i32 {
    let ems: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.58 } else { 1.0 })
        .sum();
    (ems * f64::from(size)).ceil() as i32
}

/// A legend on its own line under the unit, from the left: a swatch (solid or dashed) and a
/// word for each series.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, &'static RGBColor, bool)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (mut x, y) = (12, 34);
    for (label, colour, dashed) in items {
        let style = colour.stroke_width(3);
        if *dashed {
            root.draw(&PathElement::new(vec![(x, y), (x + 8, y)], style))?;
            root.draw(&PathElement::new(vec![(x + 13, y), (x + 21, y)], style))?;
        } else {
            root.draw(&PathElement::new(vec![(x, y), (x + 22, y)], style))?;
        }
        x += 27;
        root.draw(&Text::new(
            label.clone(),
            (x, y),
            label_style(LEGEND_FONT, colour).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += text_width(label, LEGEND_FONT) + 14;
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
            axis_quarter(q.quarter),
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
            label_style(15, ink).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    root.draw(&Text::new(
        "定性目标：由牵头单位依据证据逐季判定，依据见下表。",
        (12, 262),
        label_style(13, &MUTED).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    root.present()?;
    Ok(())
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
        assert!(
            svg.contains("\n2023\n") && svg.contains("往年（全年）"),
            "history on the axis"
        );
        assert!(svg.contains("41.2") && svg.contains("36.1"));
        assert!(
            svg.contains("34.9*") && svg.contains("* 二季度：初步数据"),
            "a flag shows in the chart"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg, chart(&i), "same data, same bytes");
    }

    /// A dashed line is one element with a dash array, not one element a dash: a thousand
    /// sparklines made the overview tables megabytes of dashes.
    #[test]
    fn a_dashed_line_is_one_element() {
        let i = indicator(PM25);
        let spark = sparkline::sparkline(&i);
        assert_eq!(
            spark.matches(r#"stroke-dasharray="4 3""#).count(),
            1,
            "{spark}"
        );
        assert_eq!(
            spark.matches("<polyline").count(),
            2,
            "the target and the values"
        );
        let svg = chart(&i);
        assert_eq!(svg.matches(r#"stroke-dasharray="8 5""#).count(), 1);
        for dash in Dash::ALL {
            let alpha = format!(r#"opacity="{}""#, dash.alpha());
            assert!(!spark.contains(&alpha) && !svg.contains(&alpha));
        }
    }

    #[test]
    fn axes_and_legend_are_in_chinese_and_name_the_target() {
        let svg = chart(&indicator(PM25));
        for quarter in ["一季度", "二季度", "三季度", "四季度"] {
            assert!(
                svg.contains(&format!("\n{quarter}\n")),
                "{quarter} on the axis"
            );
        }
        assert!(!svg.contains("\nQ"), "no Q1–Q4 on the axis");
        // The target's value is in the legend, drawn once, and nothing is drawn right of the plot.
        assert_eq!(svg.matches("\n目标 ≤ 35.6\n").count(), 1);
        assert!(svg.contains(r#"viewBox="0 0 400 300""#));
    }

    #[test]
    fn a_value_label_never_sits_on_the_target_line() {
        // The label's box above a point at y = 100 spans y = 75…91.
        assert_eq!(label_position(100, None), LabelAt::Above);
        assert_eq!(label_position(100, Some(40)), LabelAt::Above);
        assert_eq!(label_position(100, Some(85)), LabelAt::Below);
        assert_eq!(label_position(100, Some(100)), LabelAt::Above);
        assert_eq!(label_position(100, Some(120)), LabelAt::Above);
        // 32 lies under the target (35.6) by about a label's height: its label goes below the
        // point; 41.2, well above the target, keeps its label above.
        let text = PM25.replace(
            "- { period: 2024-Q2, value: 34.9, flag: provisional }",
            "- { period: 2024-Q2, value: 32 }",
        );
        let svg = chart(&indicator(&text));
        let anchor_of = |value: &str| {
            let at = svg.find(&format!("\n{value}\n")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            tag.split("dy=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(anchor_of("32"), "0.76em", "below the point");
        assert_eq!(anchor_of("41.2"), "-0.5ex", "above the point");
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
