//! The small charts of the overview tables.

use plotters::prelude::*;

use crate::model::indicator::Indicator;
use crate::model::status::Kind;
use crate::render::chart::{
    dashed, hex, quarter_points, value_range, wrap, Dash, DrawResult, SERIES, TARGET,
};

const SPARK_WIDTH: u32 = 120;
const SPARK_HEIGHT: u32 = 32;

/// A small chart for overview tables: the quarters as a line (or status squares for
/// qualitative targets) and the target as a dashed line. Decorative: the table beside it
/// carries the figures, so it is hidden from screen readers.
pub fn sparkline(indicator: &Indicator) -> String {
    let mut svg = String::new();
    if draw_sparkline(indicator, &mut svg).is_err() {
        svg = "<svg></svg>".to_string();
    }
    wrap(&svg, "sparkline", (SPARK_WIDTH, SPARK_HEIGHT), None)
}

fn draw_sparkline(indicator: &Indicator, svg: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(svg, (SPARK_WIDTH, SPARK_HEIGHT)).into_drawing_area();
    if indicator.kind == Kind::Qualitative {
        for (i, q) in indicator.quarters.iter().enumerate() {
            let x = 4 + i as i32 * 29;
            let colour = hex(q.status.colour());
            let style = if !q.status.is_judged() {
                colour.stroke_width(1)
            } else {
                colour.filled()
            };
            root.draw(&Rectangle::new([(x, 6), (x + 24, 26)], style))?;
        }
        root.present()?;
        return Ok(());
    }
    let points = quarter_points(indicator, 0);
    let values: Vec<f64> = points.iter().map(|(_, v)| *v).collect();
    let (low, high) = value_range(indicator, &values);
    let mut chart = ChartBuilder::on(&root)
        .margin(5)
        .build_cartesian_2d(-0.2f64..3.2, low..high)?;
    if let Some(rule) = indicator.target.rule {
        dashed(
            &mut chart,
            vec![(-0.2, rule.value), (3.2, rule.value)],
            TARGET,
            1,
            Dash::Sparkline,
        )?;
    }
    chart.draw_series(LineSeries::new(points.clone(), SERIES.stroke_width(2)))?;
    chart.draw_series(indicator.quarters.iter().enumerate().filter_map(|(i, q)| {
        q.value
            .map(|v| Circle::new((i as f64, v), 3, hex(q.status.colour()).filled()))
    }))?;
    root.present()?;
    Ok(())
}
