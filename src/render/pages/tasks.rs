//! The ledger of the work plan's tasks (重点任务落实台账): every task with its current status,
//! grouped by area, with lists filtered by status, by area and by lead unit (plain pages, so
//! that filtering needs no JavaScript), and one page per task with its status in every quarter.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, Listing, PageContext, Rank};
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::task::{lead_slug, TaskStatus, TrackedTask};
use crate::model::Model;
use crate::render::search::Document;
use crate::render::view::{self, FilterLink, Meta, NavItem, TaskCount, TaskRow};

pub struct Tasks;

/// Which tasks a list page shows.
#[derive(Clone, Copy, PartialEq)]
enum Filter<'a> {
    All,
    Status(TaskStatus),
    Area(&'a str),
    Lead(&'a str),
}

/// The title of the ledger of all tasks.
const LEDGER: &str = "重点任务落实台账";

impl Filter<'_> {
    fn title(self, model: &Model) -> String {
        match self {
            Filter::All => LEDGER.into(),
            Filter::Status(s) => format!("{}的重点任务", s.label()),
            Filter::Area(a) => format!(
                "{}的重点任务",
                model.areas.get(a).map_or(a, |a| a.short_name.as_str())
            ),
            Filter::Lead(l) => format!("{l}牵头的重点任务"),
        }
    }

    fn keeps(self, t: &TrackedTask, period: Quarter) -> bool {
        match self {
            Filter::All => true,
            Filter::Status(s) => t.status_at(period) == s,
            Filter::Area(a) => t.task.area == a,
            Filter::Lead(l) => t.task.lead.as_deref() == Some(l),
        }
    }
}

/// The units that lead tasks, in the order the plan first names them.
fn leads(model: &Model) -> Vec<&str> {
    let mut leads: Vec<&str> = Vec::new();
    for lead in model.tasks.iter().filter_map(|t| t.task.lead.as_deref()) {
        if !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    leads
}

/// The date a list of tasks last changed: the newest summary that reported one of them.
fn updated<'a>(tasks: impl Iterator<Item = &'a TrackedTask>) -> Option<String> {
    tasks
        .flat_map(|t| t.history.iter().filter_map(|p| p.source.as_ref()))
        .map(|s| s.date)
        .max()
        .map(|d| d.to_string())
}

impl Family for Tasks {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        let Some(period) = model.task_period() else {
            return Vec::new();
        };
        let list = |route: Route, filter: Filter<'a>| {
            let kept = model.tasks.iter().filter(move |t| filter.keeps(t, period));
            Job::new(
                route,
                filter.title(model),
                "tasks.html",
                move |cx, meta, c| list(cx, period, filter, meta, c),
            )
            .updated(updated(kept))
        };
        let present = |filter: Filter| model.tasks.iter().any(|t| filter.keeps(t, period));
        let mut jobs = vec![list(Route::tasks(), Filter::All)];
        jobs.extend(
            TaskStatus::ALL
                .into_iter()
                .filter(|&s| present(Filter::Status(s)))
                .map(|s| list(Route::tasks_by_status(s.slug()), Filter::Status(s))),
        );
        jobs.extend(
            model
                .areas
                .iter()
                .filter(|a| !a.tasks.is_empty())
                .map(|a| list(Route::tasks_of_area(&a.id), Filter::Area(&a.id))),
        );
        jobs.extend(
            leads(model)
                .into_iter()
                .map(|l| list(Route::tasks_by_lead(&lead_slug(l)), Filter::Lead(l))),
        );
        jobs.extend(model.tasks.iter().map(|t| {
            Job::new(t.route(), title(t), "task.html", move |cx, meta, c| {
                page(cx, t, period, meta, c)
            })
            .listing(Listing::Second)
            .updated(updated(std::iter::once(t)))
        }));
        jobs
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        if model.tasks.is_empty() {
            return Vec::new();
        }
        vec![(
            1,
            NavItem {
                key: "tasks".into(),
                title: "重点任务".into(),
                href: Route::tasks().href(base),
            },
        )]
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        model
            .tasks
            .iter()
            .map(|t| {
                let task = &t.task;
                let notes: Vec<&str> = t.history.iter().filter_map(|p| p.note.as_deref()).collect();
                let fields = [
                    ("任务编号", task.id.as_str()),
                    ("牵头单位", task.lead.as_deref().unwrap_or_default()),
                    ("配合单位", &task.partners.join("、")),
                    ("任务量", task.quantity.as_deref().unwrap_or_default()),
                    ("进展", &notes.join("；")),
                ];
                let labelled = fields
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(label, v)| format!("{label}：{v}"));
                let text = std::iter::once(task.text.clone())
                    .chain(labelled)
                    .collect::<Vec<_>>()
                    .join("　");
                let doc = Document {
                    url: t.route().href(base),
                    title: title(t),
                    section: "重点任务".into(),
                    text: text.into(),
                };
                (4, doc)
            })
            .collect()
    }
}

/// A task's short title: its id and the start of its text.
fn title(t: &TrackedTask) -> String {
    format!("{} {}", t.task.id, crate::text::excerpt(&t.task.text, 16))
}

/// One area's tasks on a list page.
#[derive(Serialize)]
struct Group<'a> {
    id: String,
    title: &'a str,
    href: String,
    counts: Vec<TaskCount>,
    rows: Vec<TaskRow<'a>>,
}

/// One line of the table of counts by area.
#[derive(Serialize)]
struct AreaCounts<'a> {
    title: &'a str,
    href: String,
    total: usize,
    counts: Vec<TaskCount>,
}

fn list(
    cx: &Ctx,
    period: Quarter,
    filter: Filter,
    meta: &mut Meta,
    c: &mut PageContext,
) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    meta.section = "tasks".into();
    meta.breadcrumbs = vec![cx.home()];
    meta.description = format!(
        "《{}》各项重点任务截至{}的落实情况",
        model.config.plan_title(),
        period.chinese()
    );
    if filter != Filter::All {
        meta.breadcrumbs.push(cx.crumb(LEDGER, Route::tasks()));
    }
    let selected: Vec<&TrackedTask> = model
        .tasks
        .iter()
        .filter(|t| filter.keeps(t, period))
        .collect();
    let groups: Vec<Group> = model
        .areas
        .iter()
        .filter_map(|a| {
            let rows: Vec<&TrackedTask> = selected
                .iter()
                .copied()
                .filter(|t| t.task.area == a.id)
                .collect();
            (!rows.is_empty()).then(|| Group {
                id: format!("area-{}", a.id),
                title: &a.name,
                href: Route::tasks_of_area(&a.id).href(base),
                counts: view::task_counts(rows.iter().copied(), period, base),
                rows: rows
                    .into_iter()
                    .filter_map(|t| TaskRow::at(model, t, period, base))
                    .collect(),
            })
        })
        .collect();
    let count = |f: Filter| model.tasks.iter().filter(|t| f.keeps(t, period)).count();
    let statuses: Vec<FilterLink> = TaskStatus::ALL
        .into_iter()
        .map(|s| FilterLink {
            title: s.label().to_string(),
            href: Route::tasks_by_status(s.slug()).href(base),
            count: count(Filter::Status(s)),
            current: filter == Filter::Status(s),
        })
        .collect();
    let areas: Vec<FilterLink> = model
        .areas
        .iter()
        .filter(|a| !a.tasks.is_empty())
        .map(|a| FilterLink {
            title: a.short_name.clone(),
            href: Route::tasks_of_area(&a.id).href(base),
            count: a.tasks.len(),
            current: filter == Filter::Area(&a.id),
        })
        .collect();
    let leads: Vec<FilterLink> = leads(model)
        .into_iter()
        .map(|l| FilterLink {
            title: l.to_string(),
            href: Route::tasks_by_lead(&lead_slug(l)).href(base),
            count: count(Filter::Lead(l)),
            current: filter == Filter::Lead(l),
        })
        .collect();
    if filter == Filter::All {
        let by_area: Vec<AreaCounts> = model
            .areas
            .iter()
            .filter(|a| !a.tasks.is_empty())
            .map(|a| {
                let of_area = || model.tasks.iter().filter(|t| t.task.area == a.id);
                AreaCounts {
                    title: &a.short_name,
                    href: Route::tasks_of_area(&a.id).href(base),
                    total: of_area().count(),
                    counts: view::task_counts(of_area(), period, base),
                }
            })
            .collect();
        c.insert("by_area", &by_area);
    }
    c.insert("filtered", &(filter != Filter::All));
    c.insert("current_area", &matches!(filter, Filter::Area(_)));
    c.insert("current_lead", &matches!(filter, Filter::Lead(_)));
    c.insert("all_href", &Route::tasks().href(base));
    c.insert("period_label", &period.chinese());
    c.insert("total", &selected.len());
    c.insert("plan_total", &model.tasks.len());
    c.insert(
        "counts",
        &view::task_counts(selected.iter().copied(), period, base),
    );
    c.insert("statuses", &statuses);
    c.insert("areas", &areas);
    c.insert("leads", &leads);
    c.insert("groups", &groups);
    if crate::render::open_data::has_any(cx.model) {
        c.insert("data_href", &Route::data().href(base));
    }
    Ok(())
}

fn page(
    cx: &Ctx,
    t: &TrackedTask,
    period: Quarter,
    meta: &mut Meta,
    c: &mut PageContext,
) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    meta.description = t.task.text.clone();
    meta.section = "tasks".into();
    meta.breadcrumbs = vec![cx.home(), cx.crumb(LEDGER, Route::tasks())];
    if let Some(area) = model.areas.get(&t.task.area) {
        meta.breadcrumbs
            .push(cx.crumb(&area.short_name, Route::tasks_of_area(&area.id)));
    }
    // Newest quarter first, as the ledger is read.
    let history: Vec<TaskRow> = t
        .history
        .iter()
        .rev()
        .filter_map(|p| TaskRow::at(model, t, p.quarter, base))
        .collect();
    c.insert("task", &TaskRow::at(model, t, period, base));
    c.insert("history", &history);
    c.insert("period_label", &period.chinese());
    Ok(())
}
