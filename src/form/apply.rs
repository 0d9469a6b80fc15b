//! What a checked form changes: for each target and task whose row differs from the content,
//! the old and the new, and the new text of every content file involved — made by
//! `content::edit`, so that only the entry's lines change. Nothing is written here.

use std::collections::BTreeMap;

use super::check::Form;
use super::TargetEntry;
use crate::content::edit::{self, EntryEdit, Unsupported};
use crate::content::front_matter;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::{Date, Quarter};
use crate::model::task::TaskStatus;
use crate::model::Model;
use crate::source::SourceFile;

/// One line of what an import changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `指标` or `任务`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub old: String,
    pub new: String,
    /// The content file it is written to.
    pub file: String,
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Path under the root (`content/...`) → the file's new text; files that do not exist yet
    /// are among them.
    pub files: BTreeMap<String, String>,
    /// Those of `files` the import makes.
    pub created: std::collections::BTreeSet<String>,
}

/// The plan of `form` on `model`; `date` is when the new figures are published (the `date:` of
/// each changed entry, and of a summary made for tasks).
pub fn plan(form: &Form, model: &Model, date: Date) -> Result<Plan, Vec<Diagnostic>> {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    let quarter = form.quarter;
    let period = quarter.to_string();
    for (id, wanted) in &form.targets {
        let Some(indicator) = model.indicator(id) else {
            continue;
        };
        let current = TargetEntry::current(indicator, quarter);
        if *wanted == current || wanted.is_empty() {
            continue;
        }
        let number = |v: f64| format!("{v}");
        let set = vec![
            ("value", wanted.value.map(number)),
            ("flag", wanted.flag.map(|f| f.code().to_string())),
            ("status", wanted.status.map(|s| s.code().to_string())),
            ("evidence", wanted.evidence.as_deref().map(edit::scalar)),
            ("note", wanted.note.as_deref().map(edit::scalar)),
            ("date", Some(date.to_string())),
        ];
        let path = indicator.source.path.clone();
        let text = plan
            .files
            .get(&path)
            .cloned()
            .unwrap_or_else(|| indicator.source.text.to_string());
        let entry = EntryEdit {
            list: "values",
            key: ("period", &period),
            set,
            ordered: true,
            before: Some("history"),
        };
        match edit::set_entry(&text, 0..text.len(), &entry) {
            Ok(new) => {
                plan.files.insert(path.clone(), new);
                plan.changes.push(Change {
                    kind: "指标",
                    id: id.clone(),
                    name: indicator.name.clone(),
                    old: current.describe(indicator),
                    new: wanted.describe(indicator),
                    file: path,
                });
            }
            Err(e) => errors.push(unsupported(&path, e)),
        }
    }
    for (id, status, note) in &form.tasks {
        let Some(task) = model.tasks.iter().find(|t| &t.task.id == id) else {
            continue;
        };
        let (current_status, current_note) = super::task_current(task, quarter);
        if current_status == Some(*status) && current_note == *note {
            continue;
        }
        let path = summary_for(model, task, quarter);
        let text = match plan.files.get(&path) {
            Some(text) => text.clone(),
            None => match model.summaries.iter().find(|s| s.front.path == path) {
                Some(s) => s.file().text.to_string(),
                None => {
                    plan.created.insert(path.clone());
                    new_summary(model, &task.task.area, quarter, date)
                }
            },
        };
        let Some(region) = front_matter::split(&SourceFile::new(path.clone(), &text))
            .ok()
            .flatten()
            .map(|p| p.yaml)
        else {
            continue;
        };
        let entry = EntryEdit {
            list: "tasks",
            key: ("task", id),
            set: vec![
                ("status", Some(status.code().to_string())),
                ("note", note.as_deref().map(edit::scalar)),
            ],
            ordered: false,
            before: None,
        };
        match edit::set_entry(&text, region, &entry) {
            Ok(new) => {
                plan.files.insert(path.clone(), new);
                let shown = |s: Option<TaskStatus>, n: &Option<String>| match (s, n) {
                    (None, _) => "（本季度未报送）".to_string(),
                    (Some(s), None) => s.label().to_string(),
                    (Some(s), Some(n)) => format!("{}：{n}", s.label()),
                };
                plan.changes.push(Change {
                    kind: "任务",
                    id: id.clone(),
                    name: task.task.text.chars().take(24).collect(),
                    old: shown(current_status, &current_note),
                    new: shown(Some(*status), note),
                    file: path,
                });
            }
            Err(e) => errors.push(unsupported(&path, e)),
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

/// Where a task's status of `quarter` is written: the summary that already reports it that
/// quarter, else the area's newest summary of the quarter, else a summary made for the
/// purpose (`<year>-q<n>-tasks.md` in the area's folder).
fn summary_for(model: &Model, task: &crate::model::task::TrackedTask, quarter: Quarter) -> String {
    let reported = task
        .history
        .iter()
        .find(|p| p.quarter == quarter && p.updated)
        .and_then(|p| p.source.as_ref())
        .map(|s| s.front.path.clone());
    let newest = || {
        model
            .summaries
            .iter()
            .filter(|s| s.area == task.task.area && s.quarter == quarter && !s.draft)
            .max_by_key(|s| s.date)
            .map(|s| s.front.path.clone())
    };
    reported.or_else(newest).unwrap_or_else(|| {
        format!(
            "content/summaries/{}/{}-tasks.md",
            task.task.area,
            quarter.slug()
        )
    })
}

/// A summary made to carry the tasks of an area that has none for the quarter: honest about
/// where its entries came from, with a body the editor can write over.
fn new_summary(model: &Model, area: &str, quarter: Quarter, date: Date) -> String {
    let name = model
        .areas
        .get(area)
        .map_or(area, |a| a.short_name.as_str());
    format!(
        "---\ntitle: {}\ndate: {date}\nquarter: {quarter}\narea: {area}\ndescription: {}\n---\n\n{}\n",
        edit::scalar(&format!("{name}{}重点任务进展", quarter.chinese())),
        edit::scalar(&format!("{}{name}重点任务的进展，由季度报送表导入。", quarter.chinese())),
        "本季度各项重点任务的进展见下表，由季度报送表导入；详细情况待补充。",
    )
}

fn unsupported(path: &str, e: Unsupported) -> Diagnostic {
    Diagnostic::error(
        Code::Form,
        format!("无法自动改写 {path}：{}", e.0),
        "the content file is laid out in a way the import does not rewrite",
    )
    .in_file(path)
    .with_hint("按提示改写这一处后再导入；报送表本身无需改动")
}
