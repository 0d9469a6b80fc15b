//! The home page: the chapters of the work plan, the latest summaries and the headline status
//! of the targets.

use super::parts::{cards, quarter_links, quarter_rows, status_counts};
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext, Rank};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::{
    task_counts, AreaLink, AreaView, FacilityView, Meta, NavItem, QuarterLink,
};
use serde::Serialize;

/// How many of the newest summaries the home page shows.
const LATEST: usize = 10;

pub struct Home;

impl Family for Home {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        // The home page shows the newest summaries and the latest figures.
        let updated = model
            .summaries
            .iter()
            .map(|s| s.date)
            .chain(model.indicators_updated())
            .max()
            .map(|d| d.to_string());
        vec![Job::new(Route::home(), &model.config.title, "index.html", home).updated(updated)]
    }

    fn nav(&self, _model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        vec![(
            0,
            NavItem {
                key: "home".into(),
                title: "首页".into(),
                href: Route::home().href(base),
            },
        )]
    }
}

fn home(cx: &Ctx, _meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base, shared) = (cx.model, cx.base, cx.shared);
    let chapters: Vec<_> = model
        .areas
        .top_level()
        .map(|a| AreaView {
            link: AreaLink::new(a, shared.count(&a.id), base),
            intro: None,
            tasks: Vec::new(),
            parent: None,
            children: model
                .areas
                .children(&a.id)
                .map(|c| AreaLink::new(c, shared.count(&c.id), base))
                .collect(),
        })
        .collect();
    c.insert("chapters", &chapters);
    c.insert(
        "latest",
        &cards(
            model,
            model.summaries.iter().map(|s| &**s).take(LATEST),
            base,
        ),
    );
    if let Some(q) = model.reporting_period() {
        let rows = quarter_rows(model, q, base);
        let compared: Vec<_> = rows.iter().filter(|r| r.has_yoy()).collect();
        c.insert("headline_quarter", &QuarterLink::new(q, 0, base));
        c.insert("headline_counts", &status_counts(model, q));
        c.insert("headline_total", &rows.len());
        c.insert("headline_compared", &compared);
        c.insert("headline_rows", &rows);
        c.insert("targets_href", &Route::targets().href(base));
    }
    if let Some(period) = model.task_period().filter(|_| !model.tasks.is_empty()) {
        c.insert("task_total", &model.tasks.len());
        c.insert("task_counts", &task_counts(&model.tasks, period, base));
        c.insert("tasks_href", &Route::tasks().href(base));
    }
    c.insert("visits", &visits(cx));
    // Last year's annual report, once a year rollover has carried its archive over.
    let last_year = model.config.year.and_then(|year| {
        let period = (year - 1).to_string();
        let archived = model.archives.iter().find(|a| a.period == period)?;
        Some(cx.crumb(
            format!("{}报告", archived.label),
            Route::file(&format!("archive/{period}/report.html")),
        ))
    });
    c.insert("last_year", &last_year);
    c.insert("quarters", &quarter_links(model, base));
    c.insert(
        "pages",
        &model
            .pages
            .iter()
            .map(|p| cx.crumb(&p.title, p.route()))
            .collect::<Vec<_>>(),
    );
    Ok(())
}

/// How many facilities the home page names (one keeps the answer in the first phone screen);
/// the rest are one link away.
const VISITS: usize = 1;

/// Where a citizen can visit: a few facilities with their open days and how to book.
#[derive(Serialize)]
struct Visits<'a> {
    count: usize,
    facilities: Vec<FacilityView<'a>>,
    href: String,
}

fn visits<'a>(cx: &Ctx<'a>) -> Option<Visits<'a>> {
    let facilities = &cx.model.facilities;
    (!facilities.is_empty()).then(|| Visits {
        count: facilities.len(),
        facilities: facilities
            .iter()
            .filter(|f| f.open_time.is_some())
            .take(VISITS)
            .map(|f| cx.shared.facility(f))
            .collect(),
        href: Route::facilities().href(cx.base),
    })
}
