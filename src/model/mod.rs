//! The validated site: what `validate` makes of the loaded files and `render` turns into pages.
//! Everything here is already checked, sorted and ready to show.

pub mod area;
pub mod body;
pub mod config;
pub mod environment_day;
pub mod facility;
pub mod indicator;
pub mod page;
pub mod period;
pub mod route;
pub mod status;
pub mod summary;
pub mod task;

use std::collections::BTreeMap;

use crate::model::area::Areas;
use crate::model::config::SiteConfig;
use crate::model::environment_day::{EnvironmentDay, Intro};
use crate::model::facility::Facility;
use crate::model::indicator::Indicator;
use crate::model::page::Page;
use crate::model::period::Quarter;
use crate::model::summary::Summary;

/// A file of the content tree copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`, with `/` separators.
    pub path: String,
    /// Shared: the preview hands the same bytes to every rebuild.
    pub bytes: bytes::Bytes,
}

/// A snapshot found under `archive/<period>/`, for the 往期报告 page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArchiveEntry {
    pub period: String,
    pub label: String,
    pub created: Option<String>,
    pub has_pdf: bool,
}

#[derive(Debug)]
pub struct Model {
    pub config: SiteConfig,
    pub areas: Areas,
    /// Newest first (by date, then area and slug, so that the order is total).
    /// Shared, so that the preview's cache hands a summary it did not parse again to the next
    /// model without copying its text.
    pub summaries: Vec<std::sync::Arc<Summary>>,
    /// By `order`, then title.
    pub pages: Vec<Page>,
    /// In the work plan's order of areas, then by id.
    pub indicators: Vec<Indicator>,
    /// By category, then district (in the city's order), then id.
    pub facilities: Vec<Facility>,
    pub environment_day_intro: Option<Intro>,
    /// Newest year first.
    pub environment_days: Vec<EnvironmentDay>,
    pub assets: Vec<Asset>,
    /// The plan's tasks in its order, each with its status in every quarter of the ledger
    /// ([`Model::ledger_quarters`]).
    pub tasks: Vec<task::TrackedTask>,
    /// The snapshots under `archive/`, newest first.
    pub archives: Vec<ArchiveEntry>,
    /// Whether draft pages are published (`--drafts`, and always in `serve`).
    pub drafts: bool,
}

impl Model {
    /// The quarters that have summaries or indicator data, newest first: each gets a report.
    pub fn quarters(&self) -> Vec<Quarter> {
        let with_data = self.indicators.iter().flat_map(|i| {
            i.quarters
                .iter()
                .filter(|q| q.status.is_judged())
                .map(|q| q.quarter)
        });
        let mut quarters: Vec<Quarter> = self
            .summaries
            .iter()
            .map(|s| s.quarter)
            .chain(with_data)
            .collect();
        quarters.sort_unstable_by(|a, b| b.cmp(a));
        quarters.dedup();
        quarters
    }

    /// The summaries of the quarters `keep` accepts, grouped by area in the work plan's order
    /// of areas, newest first within an area.
    pub fn summaries_by_area(
        &self,
        keep: impl Fn(Quarter) -> bool,
    ) -> Vec<(&crate::model::area::Area, Vec<&Summary>)> {
        let mut by_area: BTreeMap<&str, Vec<&Summary>> = BTreeMap::new();
        for s in self.summaries.iter().filter(|s| keep(s.quarter)) {
            by_area.entry(&s.area).or_default().push(s);
        }
        self.areas
            .iter()
            .filter_map(|a| by_area.remove(a.id.as_str()).map(|list| (a, list)))
            .collect()
    }

    /// Summaries of an area, and of its sections when it is a chapter, newest first.
    pub fn summaries_of_area<'a>(
        &'a self,
        area_id: &'a str,
    ) -> impl Iterator<Item = &'a Summary> + 'a {
        self.summaries.iter().map(|s| &**s).filter(move |s| {
            s.area == area_id
                || self.areas.get(&s.area).and_then(|a| a.parent.as_deref()) == Some(area_id)
        })
    }
}

impl Model {
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The reporting year's quarters, Q1–Q4, when there are indicators.
    pub fn indicator_quarters(&self) -> Vec<Quarter> {
        self.indicators
            .first()
            .map(|i| i.quarters.iter().map(|q| q.quarter).collect())
            .unwrap_or_default()
    }

    /// The site's latest reporting period: every page, feed and dataset that speaks of "the
    /// latest quarter" means this one.
    pub fn reporting_period(&self) -> Option<Quarter> {
        indicator::reporting_period(&self.indicators)
    }

    /// The quarters the task ledger covers: the plan year's first quarter up to the newest
    /// quarter with a report. `year` is the plan year of site.yaml, when it says.
    /// Before any report, the plan year's first quarter: the ledger then lists every task as not
    /// reported yet rather than not at all.
    pub fn ledger_quarters(&self) -> Vec<Quarter> {
        let first_of_year = self.config.year.map(|year| Quarter { year, number: 1 });
        let Some(last) = self.quarters().first().copied().or(first_of_year) else {
            return Vec::new();
        };
        let year = self.config.year.unwrap_or(last.year).min(last.year);
        task::quarters(Quarter { year, number: 1 }, last)
    }

    /// The quarter whose task statuses count as the current ones: the site's reporting
    /// period, or the ledger's last quarter when there are no figures.
    pub fn task_period(&self) -> Option<Quarter> {
        self.reporting_period()
            .or_else(|| self.tasks.first()?.history.last().map(|p| p.quarter))
    }

    /// Fills `tasks` from the plan and the summaries; the warnings of the ledger.
    pub fn track_tasks(&mut self) -> Vec<crate::diagnostic::Diagnostic> {
        let quarters = self.ledger_quarters();
        let (tasks, warnings) =
            task::ledger(self.areas.tasks().cloned(), &self.summaries, &quarters);
        self.tasks = tasks;
        warnings
    }

    /// When the indicator data last changed, from the dates of its values.
    pub fn indicators_updated(&self) -> Option<period::Date> {
        self.indicators.iter().filter_map(Indicator::updated).max()
    }
}

impl Model {
    pub fn asset(&self, path: &str) -> Option<&Asset> {
        self.assets
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.assets[i])
    }
}

impl Model {
    /// The site as it stood at the end of `quarter`: later indicator values and later summaries
    /// are left out (what an archive of that quarter must show).
    pub fn as_of(&mut self, quarter: Quarter) {
        for indicator in &mut self.indicators {
            for q in indicator
                .quarters
                .iter_mut()
                .filter(|q| q.quarter > quarter)
            {
                *q = crate::model::indicator::QuarterValue {
                    quarter: q.quarter,
                    value: None,
                    flag: None,
                    note: None,
                    evidence: None,
                    status: crate::model::status::Status::NoData,
                    date: None,
                };
            }
        }
        indicator::settle_not_due(&mut self.indicators);
        self.summaries.retain(|s| s.quarter <= quarter);
        for task in &mut self.tasks {
            task.history.retain(|p| p.quarter <= quarter);
        }
    }
}
