//! Views more than one family shows: summary cards, quarter links and a quarter's status table.

use serde::Serialize;

use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::status::Status;
use crate::model::summary::Summary;
use crate::model::Model;
use crate::render::view::{self, Badge, QuarterLink, SummaryCard};

pub fn cards<'a>(
    model: &'a Model,
    list: impl Iterator<Item = &'a Summary>,
    base: &str,
) -> Vec<SummaryCard<'a>> {
    list.map(|s| SummaryCard::new(s, model.areas.get(&s.area), base))
        .collect()
}

pub fn quarter_links(model: &Model, base: &str) -> Vec<QuarterLink> {
    model
        .quarters()
        .into_iter()
        .map(|q| {
            QuarterLink::new(
                q,
                model.summaries.iter().filter(|s| s.quarter == q).count(),
                base,
            )
        })
        .collect()
}

#[derive(Serialize)]
pub struct StatusCount {
    code: &'static str,
    label: &'static str,
    badge: Badge,
    count: usize,
}

pub fn status_counts(model: &Model, quarter: Quarter) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|&s| StatusCount {
            code: s.code(),
            label: s.label(),
            badge: s.into(),
            count: model
                .indicators
                .iter()
                .filter(|i| i.quarter(quarter).map_or(Status::NoData, |q| q.status) == s)
                .count(),
        })
        .collect()
}

/// One quarter's status of every indicator, for the home page and the quarterly reports.
#[derive(Serialize)]
pub struct QuarterStatusRow<'a> {
    name: &'a str,
    href: String,
    area_name: &'a str,
    target: String,
    cell: view::QuarterCell,
}

impl QuarterStatusRow<'_> {
    pub fn has_yoy(&self) -> bool {
        self.cell.yoy.is_some()
    }
}

pub fn quarter_rows<'a>(
    model: &'a Model,
    quarter: Quarter,
    base: &str,
) -> Vec<QuarterStatusRow<'a>> {
    model
        .indicators
        .iter()
        .filter_map(|i| {
            let q = i.quarter(quarter)?;
            Some(QuarterStatusRow {
                name: &i.name,
                href: Route::indicator(&i.id).href(base),
                area_name: model
                    .areas
                    .get(&i.area)
                    .map_or(i.area.as_str(), |a| a.short_name.as_str()),
                target: i.target_short(),
                cell: view::QuarterCell::new(i, q),
            })
        })
        .collect()
}
