//! The work plan's tasks and their ledger (重点任务落实台账): what each task is, and how far it
//! had come in each quarter of the plan year. A task's status in a quarter comes from that
//! quarter's work summaries, so the text that explains progress and the status that counts it
//! are written together; a quarter no summary speaks of carries the previous status over and
//! says it was not updated.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::summary::Summary;
use crate::source::SourceFile;

/// How far a task had come. The first four are what a summary may say; `Unreported` is what
/// the ledger shows for a task no summary has spoken of yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[serde(alias = "planned")]
    NotStarted,
    InProgress,
    Done,
    Behind,
    #[serde(skip_deserializing)]
    Unreported,
}

impl TaskStatus {
    /// In the order a ledger counts them.
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Done,
        TaskStatus::InProgress,
        TaskStatus::Behind,
        TaskStatus::NotStarted,
        TaskStatus::Unreported,
    ];

    /// The values a summary may write, for an error's hint.
    pub const WRITABLE: [TaskStatus; 4] = [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Behind,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Behind => "behind",
            TaskStatus::Unreported => "unreported",
        }
    }

    /// The URL segment of the list of tasks with this status.
    pub fn slug(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not-started",
            TaskStatus::InProgress => "in-progress",
            TaskStatus::Done => "done",
            TaskStatus::Behind => "behind",
            TaskStatus::Unreported => "unreported",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "未启动",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Done => "已完成",
            TaskStatus::Behind => "滞后",
            TaskStatus::Unreported => "暂无进展报告",
        }
    }

    /// Shown with the label, so that colour is never the only signal.
    pub fn symbol(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "○",
            TaskStatus::InProgress => "→",
            TaskStatus::Done => "✓",
            TaskStatus::Behind => "!",
            TaskStatus::Unreported => "–",
        }
    }

    /// The same palette as the targets' statuses (dark enough for white text at 4.5:1).
    pub fn colour(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "#4d4d4d",
            TaskStatus::InProgress => "#005a8c",
            TaskStatus::Done => "#00603f",
            TaskStatus::Behind => "#a3123a",
            TaskStatus::Unreported => "#595959",
        }
    }

    /// Whether the badge is drawn filled (a status somebody reported) or outlined.
    pub fn is_reported(self) -> bool {
        self != TaskStatus::Unreported
    }
}

/// One task of the work plan, as `areas.yaml` defines it.
#[derive(Debug, Clone)]
pub struct Task {
    /// Stable: `air-03`. Summaries name the task by it.
    pub id: String,
    pub area: String,
    /// In the plan's own words.
    pub text: String,
    /// The unit that leads it (牵头单位).
    pub lead: Option<String>,
    /// The units that take part (配合单位).
    pub partners: Vec<String>,
    /// The quarter it is due by, when the plan says.
    pub due: Option<Quarter>,
    /// What finishing it means in numbers (完成 75 个行政村).
    pub quantity: Option<String>,
    /// Where it is defined, for `check` to point at.
    pub source: SourceFile,
    pub span: Range<usize>,
}

/// What a summary says of one task.
#[derive(Debug, Clone)]
pub struct TaskReport {
    pub task: String,
    pub status: TaskStatus,
    pub note: Option<String>,
    /// Where the entry stands in the summary's file.
    pub span: Range<usize>,
}

/// A task's status in one quarter.
#[derive(Debug, Clone)]
pub struct Progress {
    pub quarter: Quarter,
    pub status: TaskStatus,
    /// Whether a summary of this quarter reported it (otherwise carried over).
    pub updated: bool,
    pub note: Option<String>,
    /// The summary that reported it.
    pub source: Option<Arc<Summary>>,
}

/// A task with its status in every quarter of the ledger, oldest first.
#[derive(Debug, Clone)]
pub struct TrackedTask {
    pub task: Task,
    pub history: Vec<Progress>,
}

impl TrackedTask {
    pub fn route(&self) -> Route {
        Route::task(&self.task.id)
    }

    /// Its status in `quarter`: the last one before it when the ledger ends earlier.
    pub fn at(&self, quarter: Quarter) -> Option<&Progress> {
        self.history.iter().rev().find(|p| p.quarter <= quarter)
    }

    /// The status of `quarter`, `Unreported` before the ledger's first quarter.
    pub fn status_at(&self, quarter: Quarter) -> TaskStatus {
        self.at(quarter)
            .map_or(TaskStatus::Unreported, |p| p.status)
    }

    /// How many quarters up to `quarter` in a row no summary reported it.
    pub fn quarters_without_update(&self, quarter: Quarter) -> usize {
        self.history
            .iter()
            .rev()
            .skip_while(|p| p.quarter > quarter)
            .take_while(|p| !p.updated)
            .count()
    }
}

/// The URL segment of the list of tasks a unit leads.
pub fn lead_slug(lead: &str) -> String {
    crate::model::route::slugify(lead)
}

/// The quarters of a ledger: the plan year's first quarter up to `last`.
pub fn quarters(first: Quarter, last: Quarter) -> Vec<Quarter> {
    let mut list = Vec::new();
    let mut q = first;
    while q <= last {
        list.push(q);
        q = q.next();
    }
    list
}

/// Every task with its status in each of `quarters` (oldest first), from the reports of
/// `summaries` (newest first, as the model keeps them); and a warning wherever a task reported
/// done is later reported not done.
pub fn ledger(
    tasks: impl IntoIterator<Item = Task>,
    summaries: &[Arc<Summary>],
    quarters: &[Quarter],
) -> (Vec<TrackedTask>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let tracked = tasks
        .into_iter()
        .map(|task| {
            // Oldest first: by quarter, then by date (the newest of a quarter counts).
            let mut reports: Vec<(&Arc<Summary>, &TaskReport)> = summaries
                .iter()
                .rev()
                .flat_map(|s| s.tasks.iter().map(move |r| (s, r)))
                .filter(|(_, r)| r.task == task.id)
                .collect();
            reports.sort_by_key(|(s, _)| (s.quarter, s.date));
            let mut done_in: Option<&Summary> = None;
            for (s, r) in &reports {
                match (done_in, r.status) {
                    (None, TaskStatus::Done) => done_in = Some(s),
                    (Some(earlier), status) if status != TaskStatus::Done => {
                        warnings.push(reopened(&task, earlier, s, r));
                    }
                    _ => {}
                }
            }
            let mut history: Vec<Progress> = Vec::with_capacity(quarters.len());
            for &q in quarters {
                let own = reports.iter().rev().find(|(s, _)| s.quarter == q);
                let progress = match own {
                    Some((s, r)) => Progress {
                        quarter: q,
                        status: r.status,
                        updated: true,
                        note: r.note.clone(),
                        source: Some(Arc::clone(s)),
                    },
                    None => Progress {
                        quarter: q,
                        status: history.last().map_or(TaskStatus::Unreported, |p| p.status),
                        updated: false,
                        note: None,
                        source: None,
                    },
                };
                history.push(progress);
            }
            TrackedTask { task, history }
        })
        .collect();
    (tracked, warnings)
}

fn reopened(task: &Task, earlier: &Summary, s: &Summary, r: &TaskReport) -> Diagnostic {
    Diagnostic::warning(
        Code::TaskReopened,
        format!(
            "任务 {} 已在{}的《{}》中标为已完成，这里又标为{}",
            task.id,
            earlier.quarter.chinese(),
            earlier.title,
            r.status.label()
        ),
        format!("task `{}` was reported done before", task.id),
    )
    .at(&s.front, r.span.clone())
    .with_hint("如果任务确实重新开始，请在 note 中说明原因；否则请把状态改为 done")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::body::Body;
    use crate::model::period::Date;

    fn q(n: u32) -> Quarter {
        Quarter {
            year: 2024,
            number: n,
        }
    }

    fn task(id: &str) -> Task {
        Task {
            id: id.into(),
            area: "air".into(),
            text: "任务".into(),
            lead: None,
            partners: Vec::new(),
            due: None,
            quantity: None,
            source: SourceFile::new("content/areas.yaml", ""),
            span: 0..0,
        }
    }

    fn summary(quarter: u32, day: u32, reports: &[(&str, TaskStatus)]) -> Arc<Summary> {
        Arc::new(Summary {
            area: "air".into(),
            slug: format!("q{quarter}-{day}"),
            title: format!("第{quarter}季度"),
            date: Date {
                year: 2024,
                month: quarter * 3,
                day,
            },
            quarter: q(quarter),
            description: None,
            provenance: Default::default(),
            indicators: Vec::new(),
            tasks: reports
                .iter()
                .map(|(id, status)| TaskReport {
                    task: (*id).into(),
                    status: *status,
                    note: None,
                    span: 0..1,
                })
                .collect(),
            draft: false,
            body: Body::default(),
            front: SourceFile::new("content/summaries/air/x.md", "---\n"),
            slug_span: 0..3,
        })
    }

    #[test]
    fn a_quarter_without_a_report_carries_the_status_over_as_not_updated() {
        use TaskStatus::*;
        let summaries = vec![
            summary(3, 1, &[("air-01", Done)]),
            summary(1, 2, &[("air-01", InProgress)]),
        ];
        let (tracked, warnings) = ledger(
            [task("air-01"), task("air-02")],
            &summaries,
            &quarters(q(1), q(4)),
        );
        assert!(warnings.is_empty());
        let statuses: Vec<_> = tracked[0]
            .history
            .iter()
            .map(|p| (p.status, p.updated))
            .collect();
        assert_eq!(
            statuses,
            [
                (InProgress, true),
                (InProgress, false),
                (Done, true),
                (Done, false)
            ]
        );
        assert_eq!(tracked[1].status_at(q(4)), Unreported);
        assert_eq!(tracked[1].quarters_without_update(q(4)), 4);
        assert_eq!(tracked[0].quarters_without_update(q(2)), 1);
    }

    #[test]
    fn the_newest_summary_of_a_quarter_counts() {
        use TaskStatus::*;
        let summaries = vec![
            summary(2, 20, &[("air-01", Done)]),
            summary(2, 10, &[("air-01", InProgress)]),
        ];
        let (tracked, _) = ledger([task("air-01")], &summaries, &[q(2)]);
        assert_eq!(tracked[0].history[0].status, Done);
    }

    #[test]
    fn done_then_not_done_is_a_warning() {
        use TaskStatus::*;
        let summaries = vec![
            summary(2, 1, &[("air-01", InProgress)]),
            summary(1, 1, &[("air-01", Done)]),
        ];
        let (_, warnings) = ledger([task("air-01")], &summaries, &quarters(q(1), q(2)));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, Code::TaskReopened);
        assert!(!warnings[0].is_error());
        assert!(
            warnings[0].message.contains("推进中"),
            "{}",
            warnings[0].message
        );
    }
}
