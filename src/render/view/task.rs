//! How a task of the plan is shown: one row of a ledger (its status in one quarter, with the
//! summary that reported it) and the counts of a list of tasks by status.

use serde::Serialize;

use super::{Badge, Link};
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::summary::Summary;
use crate::model::task::{lead_slug, Progress, Task, TaskStatus, TrackedTask};
use crate::model::Model;

/// The summary a status comes from.
#[derive(Serialize)]
pub struct TaskSource {
    pub title: String,
    pub href: String,
    pub quarter_label: String,
}

/// A task with its status in one quarter.
#[derive(Serialize)]
pub struct TaskRow<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub href: String,
    pub area_name: &'a str,
    pub area_href: String,
    pub lead: Option<&'a str>,
    pub lead_href: Option<String>,
    pub partners: &'a [String],
    /// `2024年第四季度`, when the plan gives a due quarter.
    pub due: Option<String>,
    pub quantity: Option<&'a str>,
    pub quarter: String,
    pub quarter_label: String,
    pub badge: Badge,
    /// Whether a summary of the quarter reported it, rather than the status carried over.
    pub updated: bool,
    pub note: Option<&'a str>,
    pub source: Option<TaskSource>,
    /// The summaries that reported it, oldest first, where a page lists them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reported_in: Vec<Link>,
}

impl<'a> TaskRow<'a> {
    /// The task as it stood at `quarter` (its latest status before it, when the ledger ends
    /// earlier); `None` before the ledger begins.
    pub fn at(model: &'a Model, t: &'a TrackedTask, quarter: Quarter, base: &str) -> Option<Self> {
        let p = t.at(quarter)?;
        Some(TaskRow::new(model, &t.task, p, p.source.as_deref(), base))
    }

    /// The task with the status `p` (from `source`, when a summary reported it).
    pub fn new(
        model: &'a Model,
        task: &'a Task,
        p: &'a Progress,
        source: Option<&Summary>,
        base: &str,
    ) -> Self {
        let area = model.areas.get(&task.area);
        TaskRow {
            id: &task.id,
            text: &task.text,
            href: Route::task(&task.id).href(base),
            area_name: area.map_or(task.area.as_str(), |a| a.short_name.as_str()),
            area_href: Route::area(&task.area).href(base),
            lead: task.lead.as_deref(),
            lead_href: task
                .lead
                .as_deref()
                .map(|l| Route::tasks_by_lead(&lead_slug(l)).href(base)),
            partners: &task.partners,
            due: task.due.map(Quarter::chinese),
            quantity: task.quantity.as_deref(),
            quarter: p.quarter.to_string(),
            quarter_label: p.quarter.chinese(),
            badge: Badge::task(&task.id, p),
            updated: p.updated,
            note: p.note.as_deref(),
            source: source.map(|s| TaskSource {
                title: s.title.clone(),
                href: s.route().href(base),
                quarter_label: s.quarter.chinese(),
            }),
            reported_in: Vec::new(),
        }
    }
}

/// How many of a list of tasks have one status.
#[derive(Serialize)]
pub struct TaskCount {
    pub badge: Badge,
    pub count: usize,
    /// The list of all tasks with this status.
    pub href: String,
}

/// The counts of `tasks` by status at `quarter`, in the ledger's order (statuses no task has
/// included, with 0).
pub fn task_counts<'a>(
    tasks: impl IntoIterator<Item = &'a TrackedTask>,
    quarter: Quarter,
    base: &str,
) -> Vec<TaskCount> {
    let mut counts = TaskStatus::ALL.map(|s| TaskCount {
        badge: s.into(),
        count: 0,
        href: Route::tasks_by_status(s.slug()).href(base),
    });
    for t in tasks {
        let status = t.status_at(quarter);
        if let Some(i) = TaskStatus::ALL.iter().position(|&s| s == status) {
            counts[i].count += 1;
        }
    }
    counts.into()
}

/// Links to the summaries that reported a task, oldest first.
pub fn reported_in(t: &TrackedTask, base: &str) -> Vec<Link> {
    t.history
        .iter()
        .filter_map(|p| p.source.as_ref())
        .map(|s| Link {
            title: s.title.clone(),
            href: s.route().href(base),
        })
        .collect()
}
