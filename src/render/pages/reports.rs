//! The quarterly reports: their index and one page per quarter with its summaries by area and
//! the status of every target.

use serde::Serialize;

use super::parts::{cards, quarter_links, quarter_rows, status_counts};
use tera::TeraResult;

use super::{Ctx, Family, Job, Listing, PageContext, Rank};
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::{
    task_counts, AreaLink, Meta, NavItem, QuarterLink, SummaryCard, TaskRow,
};

pub struct Reports;

impl Family for Reports {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        let mut jobs = vec![Job::new(
            Route::reports(),
            "季度报告",
            "reports.html",
            index,
        )];
        jobs.extend(model.quarters().into_iter().map(|q| {
            // The report shows the quarter's summaries and the quarter's figures.
            let figures = model
                .indicators
                .iter()
                .filter_map(move |i| i.quarter(q).and_then(|v| v.date));
            let updated = model
                .summaries
                .iter()
                .filter(|s| s.quarter == q)
                .map(|s| s.date)
                .chain(figures)
                .max()
                .map(|d| d.to_string());
            let title = format!("{}工作进展报告", q.chinese());
            Job::new(
                Route::report(q),
                title,
                "report.html",
                move |cx, meta, c| report(cx, q, meta, c),
            )
            .listing(Listing::Second)
            .updated(updated)
        }));
        jobs
    }

    fn nav(&self, _model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        vec![(
            3,
            NavItem {
                key: "reports".into(),
                title: "季度报告".into(),
                href: Route::reports().href(base),
            },
        )]
    }
}

fn index(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    meta.section = "reports".into();
    meta.breadcrumbs = vec![cx.home()];
    c.insert("quarters", &quarter_links(cx.model, cx.base));
    c.insert(
        "archive_href",
        &(!cx.model.archives.is_empty()).then(|| Route::archive().href(cx.base)),
    );
    Ok(())
}

#[derive(Serialize)]
struct Group<'a> {
    area: AreaLink<'a>,
    summaries: Vec<SummaryCard<'a>>,
}

fn report(cx: &Ctx, q: Quarter, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    meta.description = format!("{}各领域工作进展", q.chinese());
    meta.section = "reports".into();
    meta.breadcrumbs = vec![cx.home(), cx.crumb("季度报告", Route::reports())];
    let groups: Vec<Group> = model
        .summaries_by_area(|quarter| quarter == q)
        .into_iter()
        .map(|(area, list)| Group {
            area: AreaLink::new(area, list.len(), base),
            summaries: cards(model, list.into_iter(), base),
        })
        .collect();
    c.insert(
        "quarter",
        &QuarterLink::new(q, groups.iter().map(|g| g.summaries.len()).sum(), base),
    );
    c.insert("groups", &groups);
    if groups.is_empty() {
        // An empty report points to the newest earlier quarter that has summaries.
        let previous = model
            .quarters()
            .into_iter()
            .filter(|p| *p < q)
            .map(|p| {
                QuarterLink::new(
                    p,
                    model.summaries.iter().filter(|s| s.quarter == p).count(),
                    base,
                )
            })
            .find(|l| l.count > 0);
        c.insert("previous", &previous);
    }
    let tasks: Vec<TaskRow> = model
        .tasks
        .iter()
        .filter_map(|t| TaskRow::at(model, t, q, base))
        .collect();
    if !tasks.is_empty() {
        c.insert("task_counts", &task_counts(&model.tasks, q, base));
        c.insert("task_rows", &tasks);
    }
    let rows = quarter_rows(model, q, base);
    if !rows.is_empty() {
        c.insert("status_counts", &status_counts(model, q));
        c.insert("status_rows", &rows);
    }
    Ok(())
}
