//! The location chart of the facilities open to the public: longitude × latitude, each
//! labelled, the category shown by marker shape and colour (plotters, SVG).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::config::Bounds;
use crate::model::facility::{Category, Facility};
use crate::render::chart::{label_style, wrap, DrawResult, Label, GRID, INK, MUTED};

const MAP_WIDTH: u32 = 640;
const MAP_HEIGHT: u32 = 520;

/// Marker colour and shape of each facility category: shape and colour both differ, so the
/// legend works in black and white and for colour-blind readers.
fn category_style(category: Category) -> (RGBColor, &'static str) {
    match category {
        Category::Monitoring => (RGBColor(0x00, 0x5a, 0x8c), "circle"),
        Category::Sewage => (RGBColor(0x00, 0x60, 0x3f), "square"),
        Category::Waste => (RGBColor(0x8a, 0x4b, 0x00), "triangle"),
        Category::HazardousWaste => (RGBColor(0xa3, 0x12, 0x3a), "diamond"),
    }
}

fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    shape: &str,
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let style = colour.filled();
    match shape {
        "square" => root.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], style))?,
        "triangle" => root.draw(&Polygon::new(
            vec![(x, y - 8), (x + 7, y + 6), (x - 7, y + 6)],
            style,
        ))?,
        "diamond" => root.draw(&Polygon::new(
            vec![(x, y - 8), (x + 8, y), (x, y + 8), (x - 8, y)],
            style,
        ))?,
        _ => root.draw(&Circle::new((x, y), 7, style))?,
    }
    Ok(())
}

/// Where the facilities are: longitude × latitude, each labelled with its name, the category
/// by marker shape and colour.
pub fn svg(facilities: &[Facility], bounds: Bounds) -> String {
    let mut svg = String::new();
    let drawn = draw_facility_map(facilities, bounds, &mut svg);
    if drawn.is_err() {
        svg = "<svg></svg>".to_string();
    }
    let names: Vec<String> = facilities
        .iter()
        .map(|f| format!("{}（{}）", f.name, f.district))
        .collect();
    let description = format!("共 {} 处设施：{}", facilities.len(), names.join("、"));
    let label = Label {
        id: "facility-map",
        title: "环保设施位置示意图",
        description: &description,
    };
    wrap(&svg, "chart map", (MAP_WIDTH, MAP_HEIGHT), Some(label))
}

fn draw_facility_map(facilities: &[Facility], bounds: Bounds, svg: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(svg, (MAP_WIDTH, MAP_HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    // The facilities' extent with a margin for labels, within the region's bounding box, at
    // least 0.4° wide so that a cluster is not blown up beyond recognition.
    let span = |values: Vec<f64>, [lo, hi]: [f64; 2]| {
        let (min, max) = values
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        let (min, max) = if min > max { (lo, hi) } else { (min, max) };
        let pad = ((0.4 - (max - min)).max(0.0) / 2.0) + 0.08;
        ((min - pad).max(lo - 0.05), (max + pad).min(hi + 0.05))
    };
    let (lon_lo, lon_hi) = span(facilities.iter().map(|f| f.lon).collect(), bounds.lon);
    let (lat_lo, lat_hi) = span(facilities.iter().map(|f| f.lat).collect(), bounds.lat);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_top(44)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(lon_lo..lon_hi, lat_lo..lat_hi)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.2}°E"))
        .y_label_formatter(&|v| format!("{v:.2}°N"))
        .label_style(label_style(13, &INK))
        .draw()?;
    // Labels are placed greedily: beside the marker on the right, else on the left, else
    // above or below, wherever they do not cover a label already placed.
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let points: Vec<(i32, i32)> = facilities
        .iter()
        .map(|f| chart.backend_coord(&(f.lon, f.lat)))
        .collect();
    for (f, &(x, y)) in facilities.iter().zip(&points) {
        let (colour, shape) = category_style(f.category);
        marker(&root, (x, y), shape, colour)?;
    }
    for (f, &(x, y)) in facilities.iter().zip(&points) {
        let width = f.name.chars().count() as i32 * 13;
        let candidates = [
            (x + 10, y - 8),
            (x - 10 - width, y - 8),
            (x + 10, y - 26),
            (x - 10 - width, y + 10),
            (x + 10, y + 10),
            (x - 10 - width, y - 26),
        ];
        let overlaps = |(left, top): (i32, i32)| {
            left < 4
                || left + width > MAP_WIDTH as i32 - 6
                || placed
                    .iter()
                    .any(|&(l, t, r, b)| left < r && left + width > l && top < b && top + 17 > t)
                || points.iter().any(|&(px, py)| {
                    px > left - 6
                        && px < left + width + 6
                        && py > top - 6
                        && py < top + 23
                        && (px, py) != (x, y)
                })
        };
        let (left, top) = candidates
            .into_iter()
            .find(|c| !overlaps(*c))
            .unwrap_or(candidates[0]);
        placed.push((left, top, left + width, top + 17));
        root.draw(&Text::new(
            f.name.clone(),
            (left, top + 8),
            label_style(13, &INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    // Legend: shape, colour and words of each category.
    let mut x = 14;
    for category in Category::ALL {
        let (colour, shape) = category_style(category);
        marker(&root, (x + 6, 20), shape, colour)?;
        let label = category.label();
        root.draw(&Text::new(
            label.to_string(),
            (x + 18, 20),
            label_style(13, &INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += 18 + label.chars().count() as i32 * 13 + 16;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn map_names_every_facility_and_is_accessible() {
        let text = "- id: a\n  name: 甲厂\n  category: sewage\n  district: 镜湖区\n  location: { lat: 31.35, lon: 118.37 }\n- id: b\n  name: 乙站\n  category: monitoring\n  district: 无为市\n  location: { lat: 31.30, lon: 117.90 }\n";
        let region = crate::content::facility::tests::wuhu();
        let list = crate::content::facility::parse_file(
            &SourceFile::new("content/facilities/x.yaml", text),
            &region,
            &|_| true,
        )
        .unwrap();
        let bounds = region.bounds();
        let svg = svg(&list, bounds);
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"facility-map-title\">"));
        assert!(svg.contains("甲厂") && svg.contains("乙站"));
        assert!(svg.contains("城市污水处理设施"), "legend");
        assert_eq!(svg, super::svg(&list, bounds), "deterministic");
    }
}
