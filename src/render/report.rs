//! The archived report (`report.html` of a snapshot), of a quarter or of a whole year: one
//! self-contained, print-ready document with the status of every target and every task at the
//! period's end, every indicator with its chart and table, the period's work summaries and the
//! facilities. CSS and SVG inline, images as data URIs, no
//! script and no request to anywhere. Pure, like the rest of `render`.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use serde::Serialize;
use tera::{Context, Tera, TeraResult};

use super::components;
use super::engine::{engine, minify, template_error};
use super::view::{self, Badge, DataTable, QuarterCell};
use crate::content::shortcode::Shortcode;
use crate::diagnostic::Diagnostic;
use crate::model::body::Body;
use crate::model::period::{Period, Quarter};
use crate::model::status::Status;
use crate::model::Model;
use crate::render::chart;
use crate::render::theme::Theme;
use crate::render::thumbnail;
use crate::text::BeijingTime;

/// Prefixes the ids of an HTML fragment and the in-page links to them.
fn prefix_anchors(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}-"))
        .replace("href=\"#", &format!("href=\"#{prefix}-"))
}

#[derive(Serialize)]
struct StatusRow<'a> {
    name: &'a str,
    target: String,
    value: Option<String>,
    basis: Option<String>,
    badge: Badge,
    flag: Option<&'static str>,
    note: Option<String>,
}

#[derive(Serialize)]
struct StatusCount {
    badge: Badge,
    count: usize,
}

#[derive(Serialize)]
struct IndicatorPart<'a> {
    id: &'a str,
    name: &'a str,
    target: String,
    target_text: &'a str,
    chart_svg: String,
    summary: String,
    table: DataTable<'a>,
    rule: String,
}

#[derive(Serialize)]
struct SummaryPart<'a> {
    title: &'a str,
    date_text: String,
    body_html: String,
}

#[derive(Serialize)]
struct Group<'a> {
    id: &'a str,
    name: &'a str,
    summaries: Vec<SummaryPart<'a>>,
}

#[derive(Serialize)]
struct FacilityPart<'a> {
    name: &'a str,
    category: &'static str,
    district: &'a str,
    address: &'a str,
    open_time: Option<&'a str>,
    phone: Option<&'a str>,
    image: Option<String>,
    width: u32,
    height: u32,
    alt: &'a str,
}

/// Whether a period has anything to report: summaries or indicator data.
pub fn has_data(model: &Model, period: Period) -> bool {
    model.summaries.iter().any(|s| period.contains(s.quarter))
        || model.indicators.iter().any(|i| {
            i.quarters
                .iter()
                .any(|q| period.contains(q.quarter) && q.status.is_judged())
        })
}

/// The quarter whose statuses a period's report shows: the quarter itself, or the year's last
/// quarter with figures (a year archived before its end shows where it stood).
pub fn final_quarter(model: &Model, period: Period) -> Quarter {
    match period {
        Period::Quarter(q) => q,
        Period::Year(_) => model
            .reporting_period()
            .filter(|&q| period.contains(q))
            .unwrap_or(period.last_quarter()),
    }
}

/// A task's status at the report's quarter.
#[derive(Serialize)]
struct TaskPart<'a> {
    id: &'a str,
    text: &'a str,
    area: &'a str,
    lead: Option<&'a str>,
    badge: Badge,
    updated: bool,
    note: Option<&'a str>,
}

fn task_parts(model: &Model, quarter: Quarter) -> Vec<TaskPart<'_>> {
    model
        .tasks
        .iter()
        .filter_map(|t| {
            let p = t.at(quarter)?;
            Some(TaskPart {
                id: &t.task.id,
                text: &t.task.text,
                area: model
                    .areas
                    .get(&t.task.area)
                    .map_or(t.task.area.as_str(), |a| a.short_name.as_str()),
                lead: t.task.lead.as_deref(),
                badge: Badge::task(&t.task.id, p),
                updated: p.updated,
                note: p.note.as_deref(),
            })
        })
        .collect()
}

/// Renders `report.html` for a period. `created` is the archive's creation time (RFC 3339);
/// `pages` the page each anchor of the table of contents was printed on, when known.
pub fn render(
    model: &Model,
    theme: &Theme,
    period: Period,
    created: &str,
    pages: &std::collections::BTreeMap<String, u32>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let quarter = final_quarter(model, period);
    const TEMPLATE: &str = "report-print.html";
    let tera = engine(theme)?;
    let fail = |e: tera::Error| vec![template_error(theme, Some(TEMPLATE), &e)];
    let mut c = Context::new();
    let organization_or_title = model
        .config
        .organization
        .clone()
        .unwrap_or_else(|| model.config.title.clone());
    c.insert(
        "site",
        &serde_json::json!({
            "title": model.config.title,
            "language": model.config.language,
            "sample_data": model.config.sample_data,
            "organization_or_title": organization_or_title,
        }),
    );
    c.insert(
        "period",
        &serde_json::json!({
            "label": period.chinese(),
            "code": period.to_string(),
            "annual": matches!(period, Period::Year(_)),
            "as_of": quarter.chinese(),
            "data_until": quarter.last_day().chinese(),
        }),
    );
    // Readers see Beijing time; a time that cannot be read is shown as it is written.
    let beijing = BeijingTime::parse(created);
    c.insert(
        "published",
        &beijing
            .as_ref()
            .map_or_else(|| created.to_string(), |t| t.date.chinese()),
    );
    let created = beijing.map_or_else(|| created.to_string(), |t| t.chinese());
    c.insert("created", &created);
    c.insert("pages", pages);
    c.insert("status_css", &view::status_css());
    c.insert("status_rows", &status_rows(model, quarter));
    c.insert("status_counts", &status_counts(model, quarter));
    c.insert("indicators", &indicator_parts(model));
    c.insert("tasks", &task_parts(model, quarter));
    c.insert("task_counts", &view::task_counts(&model.tasks, quarter, ""));
    c.insert(
        "groups",
        &summary_groups(model, &tera, period, quarter).map_err(fail)?,
    );
    c.insert("facilities", &facility_parts(model));
    let html = tera.render(TEMPLATE, &c).map_err(fail)?;
    Ok(minify(html.as_bytes()))
}

fn status_rows(model: &Model, quarter: Quarter) -> Vec<StatusRow<'_>> {
    model
        .indicators
        .iter()
        .filter_map(|i| {
            let q = i.quarter(quarter)?;
            let cell = QuarterCell::new(i, q);
            Some(StatusRow {
                name: &i.name,
                target: i.target_short(),
                value: cell.value,
                basis: cell.basis,
                badge: cell.badge,
                flag: cell.flag,
                note: [
                    cell.yoy.map(|y| format!("{}，{}", y.text, y.previous)),
                    cell.note,
                    cell.evidence,
                ]
                .into_iter()
                .flatten()
                .reduce(|a, b| format!("{a}；{b}")),
            })
        })
        .collect()
}

fn status_counts(model: &Model, quarter: Quarter) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|s| StatusCount {
            badge: (*s).into(),
            count: model
                .indicators
                .iter()
                .filter(|i| i.quarter(quarter).map_or(Status::NoData, |q| q.status) == *s)
                .count(),
        })
        .collect()
}

fn indicator_parts(model: &Model) -> Vec<IndicatorPart<'_>> {
    model
        .indicators
        .iter()
        .map(|i| IndicatorPart {
            id: &i.id,
            name: &i.name,
            target: i.target_short(),
            target_text: &i.target.text,
            chart_svg: chart::chart(i),
            summary: chart::summary(i),
            table: DataTable::new(i),
            rule: i.rule_text(),
        })
        .collect()
}

/// The period's summaries by area, oldest first within an area. In the report a chart appears
/// once, in the part of the indicators, so a summary that embeds one points there; a status
/// badge shows the report's quarter.
fn summary_groups<'a>(
    model: &'a Model,
    tera: &Tera,
    period: Period,
    quarter: Quarter,
) -> TeraResult<Vec<Group<'a>>> {
    let expand = |body: &Body| {
        components::expand(body, |code| {
            let Some(i) = model.indicator(code.id()) else {
                return Ok(String::new());
            };
            let mut c = Context::new();
            match code {
                Shortcode::Chart(_) => {
                    c.insert("name", &i.name);
                    components::render(tera, "chart_reference", &c)
                }
                Shortcode::Status(_) => {
                    let badge = i
                        .quarter(quarter)
                        .map_or(Badge::from(Status::NoData), |q| Badge::of(i, q));
                    c.insert("status", &badge);
                    components::render(tera, "status_badge", &c)
                }
                Shortcode::Rule(_) => {
                    c.insert("rule", &i.rule_text());
                    components::render(tera, "target_rule", &c)
                }
            }
        })
    };
    // Every summary's anchors get their own prefix: in one document two summaries may both
    // have a "主要进展" heading or a footnote 1.
    let mut n = 0;
    let mut groups = Vec::new();
    for (area, list) in model.summaries_by_area(|q| period.contains(q)) {
        let mut summaries = Vec::with_capacity(list.len());
        // In the order they were written: a year reads from its first quarter on.
        for s in list.into_iter().rev() {
            n += 1;
            summaries.push(SummaryPart {
                title: &s.title,
                date_text: s.date.chinese(),
                body_html: prefix_anchors(&expand(&s.body)?, &format!("s{n}")),
            });
        }
        groups.push(Group {
            id: &area.id,
            name: &area.name,
            summaries,
        });
    }
    Ok(groups)
}

fn facility_parts(model: &Model) -> Vec<FacilityPart<'_>> {
    model
        .facilities
        .iter()
        .map(|f| {
            let thumb = f
                .image
                .as_deref()
                .and_then(|p| model.asset(p).and_then(|a| thumbnail::make(p, &a.bytes)));
            FacilityPart {
                name: &f.name,
                category: f.category.label(),
                district: &f.district,
                address: &f.address,
                open_time: f.open_time.as_deref(),
                phone: f.booking.phone.as_deref(),
                width: thumb.as_ref().map_or(0, |t| t.width),
                height: thumb.as_ref().map_or(0, |t| t.height),
                image: thumb.map(|t| {
                    format!(
                        "data:image/jpeg;base64,{}",
                        BASE64_STANDARD.encode(&t.bytes)
                    )
                }),
                alt: f.image_alt.as_deref().unwrap_or(""),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn anchors_are_prefixed() {
        let html = r##"<h2 id="主要进展">x</h2><sup class="footnote-reference"><a href="#1">1</a></sup><div class="footnote-definition" id="1">"##;
        let out = super::prefix_anchors(html, "s2");
        assert!(
            out.contains(r#"id="s2-主要进展""#)
                && out.contains(r##"href="#s2-1""##)
                && out.contains(r#"id="s2-1""#)
        );
    }
}
