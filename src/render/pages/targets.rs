//! The targets of the work plan: their overview by area and by lead unit, and one page per
//! indicator with its chart, data table and the summaries that mention it.

use serde::Serialize;

use super::parts::cards;
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext, Rank};
use crate::model::indicator::Indicator;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::chart;
use crate::render::search::Document;
use crate::render::view::{DataTable, Figure, IndicatorRow, Meta, NavItem, SummaryCard};

pub struct Targets;

impl Family for Targets {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if model.indicators.is_empty() {
            return Vec::new();
        }
        let updated = model.indicators_updated().map(|d| d.to_string());
        let mut jobs = vec![
            Job::new(
                Route::targets(),
                "目标完成情况",
                "targets.html",
                |cx, meta, c| overview(cx, false, meta, c),
            )
            .updated(updated.clone()),
            Job::new(
                Route::targets_by_lead(),
                "目标完成情况（按牵头单位）",
                "targets.html",
                |cx, meta, c| overview(cx, true, meta, c),
            )
            .updated(updated),
        ];
        jobs.extend(model.indicators.iter().map(|i| {
            Job::new(
                Route::indicator(&i.id),
                &i.name,
                "indicator.html",
                move |cx, meta, c| indicator(cx, i, meta, c),
            )
            .updated(i.updated().map(|d| d.to_string()))
        }));
        jobs
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        if model.indicators.is_empty() {
            return Vec::new();
        }
        vec![(
            1,
            NavItem {
                key: "targets".into(),
                title: "目标完成情况".into(),
                href: Route::targets().href(base),
            },
        )]
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        model
            .indicators
            .iter()
            .map(|i| {
                // Labelled, so that the passage a result shows says why it matched.
                let area = model.areas.get(&i.area).map_or("", |a| a.name.as_str());
                let fields = [
                    ("", chart::summary(i)),
                    ("目标", i.target.text.clone()),
                    ("计量单位", i.unit.clone()),
                    ("所属领域", area.to_string()),
                    ("牵头单位", i.lead.clone().unwrap_or_default()),
                    ("配合单位", i.partners.join("、")),
                    ("目标来源", i.target.source.clone().unwrap_or_default()),
                    ("说明", i.description.clone().unwrap_or_default()),
                    ("英文名称", i.name_en.clone().unwrap_or_default()),
                ];
                let text = fields
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(label, v)| match *label {
                        "" => v.clone(),
                        _ => format!("{label}：{v}"),
                    })
                    .collect::<Vec<_>>()
                    .join("　");
                let doc = Document {
                    url: Route::indicator(&i.id).href(base),
                    title: i.name.clone(),
                    section: "目标完成情况".into(),
                    text: text.into(),
                };
                (1, doc)
            })
            .collect()
    }
}

#[derive(Serialize)]
struct IndicatorGroup<'a> {
    id: String,
    title: String,
    href: Option<String>,
    rows: Vec<IndicatorRow<'a>>,
}

fn overview(cx: &Ctx, by_lead: bool, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    meta.description = format!("{}各项目标的季度完成情况", model.config.plan_title());
    meta.section = "targets".into();
    meta.breadcrumbs = vec![cx.home()];
    if by_lead {
        meta.breadcrumbs
            .push(cx.crumb("目标完成情况", Route::targets()));
    }
    let groups = if by_lead {
        groups_by_lead(cx)
    } else {
        groups_by_area(cx)
    };
    // Each column says which months its figures cover: a first-quarter value is read against
    // the annual target, so it must never pass for the quarter's own figure.
    let quarters: Vec<String> = model
        .indicator_quarters()
        .iter()
        .map(|q| format!("{}（{}）", q.chinese_short(), q.to_date()))
        .collect();
    c.insert("groups", &groups);
    c.insert("quarters", &quarters);
    c.insert("by_lead", &by_lead);
    c.insert("by_area_href", &Route::targets().href(base));
    c.insert("by_lead_href", &Route::targets_by_lead().href(base));
    c.insert(
        "methodology_href",
        &model
            .pages
            .iter()
            .find(|p| p.slug == "methodology")
            .map(|p| p.route().href(base)),
    );
    Ok(())
}

fn groups_by_area<'a>(cx: &'a Ctx) -> Vec<IndicatorGroup<'a>> {
    let model = cx.model;
    model
        .areas
        .iter()
        .filter_map(|a| {
            let rows = cx
                .shared
                .rows(model, model.indicators.iter().filter(|i| i.area == a.id));
            (!rows.is_empty()).then(|| IndicatorGroup {
                id: format!("area-{}", a.id),
                title: a.name.clone(),
                href: Some(Route::area(&a.id).href(cx.base)),
                rows,
            })
        })
        .collect()
}

fn groups_by_lead<'a>(cx: &'a Ctx) -> Vec<IndicatorGroup<'a>> {
    let model = cx.model;
    let mut leads: Vec<&str> = model
        .indicators
        .iter()
        .map(|i| i.lead.as_deref().unwrap_or(""))
        .collect();
    leads.sort_unstable();
    leads.dedup();
    leads
        .into_iter()
        .enumerate()
        .map(|(n, lead)| IndicatorGroup {
            id: format!("lead-{}", n + 1),
            title: if lead.is_empty() {
                "未注明牵头单位".into()
            } else {
                lead.to_string()
            },
            href: None,
            rows: cx.shared.rows(
                model,
                model
                    .indicators
                    .iter()
                    .filter(|i| i.lead.as_deref().unwrap_or("") == lead),
            ),
        })
        .collect()
}

#[derive(Serialize)]
struct IndicatorPage<'a> {
    #[serde(flatten)]
    row: IndicatorRow<'a>,
    name_en: Option<&'a str>,
    description: Option<&'a str>,
    figure: Figure<'a>,
    table: DataTable<'a>,
    rule: String,
    source: Option<&'a str>,
    partners: &'a [String],
    csv_href: String,
    all_csv_href: String,
    all_json_href: String,
    summaries: Vec<SummaryCard<'a>>,
}

fn indicator(cx: &Ctx, i: &Indicator, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base, shared) = (cx.model, cx.base, cx.shared);
    let area = model.areas.get(&i.area);
    meta.description = chart::summary(i);
    meta.section = "targets".into();
    meta.breadcrumbs = vec![cx.home(), cx.crumb("目标完成情况", Route::targets())];
    c.insert(
        "indicator",
        &IndicatorPage {
            row: IndicatorRow::new(
                i,
                area,
                shared.sparkline(&i.id),
                shared.reporting_period,
                base,
            ),
            name_en: i.name_en.as_deref(),
            description: i.description.as_deref(),
            figure: Figure::new(i, shared.chart(&i.id), base, false),
            table: DataTable::new(i),
            rule: i.rule_text(),
            source: i.target.source.as_deref(),
            partners: &i.partners,
            csv_href: Route::data_file(&format!("targets/{}.csv", i.id)).href(base),
            all_csv_href: Route::data_file("indicators.csv").href(base),
            all_json_href: Route::data_file("indicators.json").href(base),
            summaries: cards(
                model,
                model
                    .summaries
                    .iter()
                    .map(|s| &**s)
                    .filter(|s| s.indicators.contains(&i.id)),
                base,
            ),
        },
    );
    Ok(())
}
