//! Areas of the work plan (`content/areas.yaml`): its chapters and their sections, in the plan's
//! order. Every summary and indicator belongs to one; they give the site its navigation.

use crate::model::area::{Area, Areas};
use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use crate::content::yaml::{self, Text};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::period::Quarter;
use crate::model::route::id_problem;
use crate::model::task::Task;
use crate::source::SourceFile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Option<Text>,
    name: Option<Text>,
    #[serde(default)]
    short_name: Option<Text>,
    #[serde(default)]
    parent: Option<Text>,
    #[serde(default)]
    number: Option<Text>,
    #[serde(default)]
    order: Option<i64>,
    #[serde(default)]
    intro: Option<String>,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

/// A task of the plan: `{ id: air-03, text: …, lead: 大气环境科, due: 2024-Q4 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Option<Text>,
    text: Option<Text>,
    #[serde(default)]
    lead: Option<Text>,
    #[serde(default)]
    partners: Vec<Text>,
    #[serde(default)]
    due: Option<Text>,
    #[serde(default)]
    quantity: Option<Text>,
}

impl Areas {
    /// A diagnostic for an area id that does not exist, with the nearest real one as a hint.
    pub fn unknown(&self, id: &str, file: &SourceFile, span: Range<usize>) -> Diagnostic {
        let d = Diagnostic::error(
            Code::UnknownArea,
            format!("未知的领域“{id}”：areas.yaml 中没有这个 id"),
            format!("unknown area `{id}`"),
        )
        .at(file, span);
        match nearest(id, self.ids()) {
            Some(near) => d.with_hint(format!("是否想写 {near}？")),
            None => d.with_hint(format!(
                "可用的领域：{}",
                self.ids().collect::<Vec<_>>().join(", ")
            )),
        }
    }

    pub fn parse(file: &SourceFile) -> Result<Areas, Vec<Diagnostic>> {
        let raw: Vec<RawArea> = yaml::parse_file(file).map_err(|d| vec![d])?;
        let regions = file.list_item_regions(raw.len());
        let mut errors = Vec::new();
        let mut list: Vec<Area> = Vec::new();
        let mut index = HashMap::new();
        let mut spans = Vec::new();
        for (position, (item, region)) in raw.into_iter().zip(regions).enumerate() {
            let locate = |key: &str| {
                file.find_key(region.clone(), key)
                    .unwrap_or(region.start..region.start)
            };
            let id = crate::content::field::text(&item.id);
            let name = crate::content::field::text(&item.name);
            if id.is_empty() {
                errors.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("第 {} 个领域缺少 id", position + 1),
                        "area without id",
                    )
                    .at(file, locate("id"))
                    .with_hint("每个领域都要有 id（英文小写字母、数字和 -），例如 id: air"),
                );
                continue;
            }
            if let Some(problem) = id_problem(&id) {
                errors.push(
                    Diagnostic::error(
                        Code::BadPath,
                        format!("领域 id“{id}”{problem}"),
                        "invalid area id",
                    )
                    .at(file, locate("id")),
                );
                continue;
            }
            if name.is_empty() {
                errors.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("领域 {id} 缺少名称 name"),
                        "area without name",
                    )
                    .at(file, locate("id")),
                );
            }
            if index.contains_key(&id) {
                errors.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!("领域 id“{id}”重复"),
                        format!("duplicate area id `{id}`"),
                    )
                    .at(file, locate("id"))
                    .with_hint("每个 id 只能出现一次"),
                );
                continue;
            }
            index.insert(id.clone(), list.len());
            spans.push(locate("parent"));
            list.push(Area {
                short_name: item
                    .short_name
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_else(|| name.clone()),
                name,
                parent: item
                    .parent
                    .map(|t| t.as_str().to_string())
                    .filter(|p| !p.is_empty()),
                number: item.number.map(|t| t.as_str().to_string()),
                order: item.order.unwrap_or(position as i64),
                intro: item.intro,
                tasks: tasks(file, &id, region.clone(), item.tasks, &mut errors),
                id,
            });
        }
        let mut areas = Areas {
            list,
            index,
            task_index: HashMap::new(),
        };
        duplicate_tasks(file, &areas, &mut errors);
        for (area, span) in areas.list.iter().zip(&spans) {
            let Some(parent) = &area.parent else { continue };
            match areas.get(parent) {
                None => errors.push(areas.unknown(parent, file, span.clone())),
                Some(p) if p.parent.is_some() || p.id == area.id => errors.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("领域 {} 的上级 {parent} 本身不是一级领域(章)", area.id),
                        "an area's parent must be a top-level area",
                    )
                    .at(file, span.clone())
                    .with_hint("领域只有两级：章（没有 parent）和节（parent 是某一章的 id）"),
                ),
                Some(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        areas.sort();
        Ok(areas)
    }

    /// Chapters by order, each followed by its sections by order.
    fn sort(&mut self) {
        let mut chapters: Vec<Area> = self
            .list
            .iter()
            .filter(|a| a.parent.is_none())
            .cloned()
            .collect();
        chapters.sort_by_key(|a| a.order);
        let mut sorted = Vec::with_capacity(self.list.len());
        for chapter in chapters {
            let mut sections: Vec<Area> = self.children(&chapter.id).cloned().collect();
            sections.sort_by_key(|a| a.order);
            sorted.push(chapter);
            sorted.extend(sections);
        }
        self.index = sorted
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        self.list = sorted;
        self.task_index = self
            .list
            .iter()
            .enumerate()
            .flat_map(|(a, area)| (0..area.tasks.len()).map(move |t| (a, t)))
            .map(|(a, t)| (self.list[a].tasks[t].id.clone(), (a, t)))
            .collect();
    }

    /// A diagnostic for a task id the plan does not define, with the nearest real one, or the
    /// id of a task whose text starts with what was written (the way tasks used to be named).
    pub fn unknown_task(&self, id: &str, file: &SourceFile, span: Range<usize>) -> Diagnostic {
        let d = Diagnostic::error(
            Code::UnknownTask,
            format!("未知的任务“{id}”：areas.yaml 中没有这个任务编号"),
            format!("unknown task `{id}`"),
        )
        .at(file, span);
        let by_text = self
            .tasks()
            .find(|t| !id.is_empty() && t.text.starts_with(id));
        if let Some(task) = by_text {
            return d.with_hint(format!(
                "任务用编号指明：task: {}（{}）",
                task.id, task.text
            ));
        }
        match nearest(id, self.tasks().map(|t| t.id.as_str())) {
            Some(near) => d.with_hint(format!("是否想写 {near}？")),
            None => d.with_hint("任务编号见 areas.yaml 中各领域 tasks 下的 id，例如 air-03"),
        }
    }
}

/// Where a task's own text stands in its area's item.
fn task_span(file: &SourceFile, region: &Range<usize>, needle: &str) -> Range<usize> {
    file.text[region.clone()]
        .find(needle)
        .filter(|_| !needle.is_empty())
        .map_or(region.start..region.start, |at| {
            region.start + at..region.start + at + needle.len()
        })
}

fn tasks(
    file: &SourceFile,
    area: &str,
    region: Range<usize>,
    raw: Vec<RawTask>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Task> {
    let tasks_key = file
        .find_key(region.clone(), "tasks")
        .unwrap_or(region.start..region.start);
    let mut tasks = Vec::with_capacity(raw.len());
    for (position, t) in raw.into_iter().enumerate() {
        let id = crate::content::field::text(&t.id);
        let text = crate::content::field::text(&t.text);
        let at = task_span(file, &region, if id.is_empty() { &text } else { &id });
        let at = if at.is_empty() { tasks_key.clone() } else { at };
        if id.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("领域 {area} 的第 {} 项任务缺少编号 id", position + 1),
                    "task without id",
                )
                .at(file, at)
                .with_hint(format!(
                    "每项任务都要有固定的编号，工作进展用它报告进度，例如 - {{ id: {area}-{:02}, text: … }}",
                    position + 1
                )),
            );
            continue;
        }
        if let Some(problem) = id_problem(&id) {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("任务编号“{id}”{problem}"),
                    "invalid task id",
                )
                .at(file, at.clone()),
            );
            continue;
        }
        if text.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("任务 {id} 缺少内容 text"),
                    "task without text",
                )
                .at(file, at.clone())
                .with_hint("text 写工作要点中这项任务的原文"),
            );
        }
        let due = t.due.as_ref().map(Text::as_str).filter(|d| !d.is_empty());
        let due = due.and_then(|d| {
            Quarter::parse(d).or_else(|| {
                let span = file
                    .find_value(at.start, region.end, "due")
                    .unwrap_or(at.clone());
                errors.push(crate::content::field::bad_quarter(file, span, d));
                None
            })
        });
        let non_empty = |t: Option<Text>| {
            t.map(|t| t.as_str().trim().to_string())
                .filter(|t| !t.is_empty())
        };
        tasks.push(Task {
            area: area.to_string(),
            text,
            lead: non_empty(t.lead),
            partners: t
                .partners
                .into_iter()
                .filter_map(|p| non_empty(Some(p)))
                .collect(),
            due,
            quantity: non_empty(t.quantity),
            source: file.clone(),
            span: at,
            id,
        });
    }
    tasks
}

/// A task id names one task in the whole plan: summaries name it without its area.
fn duplicate_tasks(file: &SourceFile, areas: &Areas, errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for area in &areas.list {
        for task in &area.tasks {
            if let Some(first) = seen.insert(&task.id, &area.id) {
                let needle = format!("id: {}", task.id);
                let at = file
                    .text
                    .match_indices(&needle)
                    .nth(1)
                    .map_or(0..0, |(at, _)| at + 4..at + needle.len());
                errors.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!("任务编号“{}”重复：领域 {first} 中已有", task.id),
                        format!("duplicate task id `{}`", task.id),
                    )
                    .at(file, at)
                    .with_hint("任务编号在整个工作要点中只能出现一次"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "- id: pollution\n  name: 污染防治\n  order: 2\n- id: air\n  name: 蓝天\n  parent: pollution\n  order: 2\n- id: water\n  name: 碧水\n  parent: pollution\n  order: 1\n- id: overall\n  name: 总体要求\n  order: 1\n";

    #[test]
    fn chapters_then_sections_in_order() {
        let areas = Areas::parse(&SourceFile::new("content/areas.yaml", AREAS)).unwrap();
        let ids: Vec<_> = areas.ids().collect();
        assert_eq!(ids, ["overall", "pollution", "water", "air"]);
        assert_eq!(areas.children("pollution").count(), 2);
        assert_eq!(areas.get("air").unwrap().short_name, "蓝天");
    }

    #[test]
    fn unknown_parent_duplicate_and_missing_id_are_all_reported() {
        let text = "- id: air\n  name: 蓝天\n  parent: polution\n- id: air\n  name: 重复\n- name: 无id\n- id: pollution\n  name: 污染\n";
        let errors = Areas::parse(&SourceFile::new("content/areas.yaml", text)).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert!(codes.contains(&(Code::Duplicate, 4)), "{codes:?}");
        assert!(codes.contains(&(Code::MissingField, 6)), "{codes:?}");
        let unknown = errors.iter().find(|e| e.code == Code::UnknownArea).unwrap();
        assert_eq!(unknown.line, 3);
        assert_eq!(unknown.hint.as_deref(), Some("是否想写 pollution？"));
    }

    #[test]
    fn ids_must_be_url_safe() {
        let errors = Areas::parse(&SourceFile::new(
            "a.yaml",
            "- id: ../x\n  name: x\n- id: Air Q\n  name: y\n",
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.code == Code::BadPath));
    }

    #[test]
    fn three_levels_are_refused() {
        let text = "- id: a\n  name: A\n- id: b\n  name: B\n  parent: a\n- id: c\n  name: C\n  parent: b\n";
        let errors = Areas::parse(&SourceFile::new("a.yaml", text)).unwrap_err();
        assert_eq!(errors[0].code, Code::BadValue);
        assert_eq!(errors[0].line, 8);
    }

    #[test]
    fn tasks_have_ids_unique_across_the_plan() {
        let text = "- id: air\n  name: 蓝天\n  tasks:\n    - { id: air-01, text: 甲。, lead: 大气环境科, due: 2024-Q4 }\n    - { text: 乙。 }\n    - { id: air-03, text: 丙。, due: 2024-Q5 }\n- id: water\n  name: 碧水\n  tasks:\n    - id: air-01\n      text: 丁。\n";
        let errors = Areas::parse(&SourceFile::new("a.yaml", text)).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(
            found,
            [
                (Code::MissingField, 5),
                (Code::BadQuarter, 6),
                (Code::Duplicate, 10)
            ]
        );
        let good = "- id: air\n  name: 蓝天\n  tasks:\n    - { id: air-01, text: 甲。, lead: 大气环境科, partners: [监测中心], due: 2024-Q4, quantity: 3 个 }\n";
        let areas = Areas::parse(&SourceFile::new("a.yaml", good)).unwrap();
        let task = areas.task("air-01").unwrap();
        assert_eq!(task.area, "air");
        assert_eq!(task.lead.as_deref(), Some("大气环境科"));
        assert_eq!(task.partners, ["监测中心"]);
        assert_eq!(task.due.map(|q| q.to_string()).as_deref(), Some("2024-Q4"));
        assert_eq!(task.quantity.as_deref(), Some("3 个"));
    }

    #[test]
    fn not_a_list_is_a_type_error() {
        let errors = Areas::parse(&SourceFile::new("a.yaml", "id: air\nname: x\n")).unwrap_err();
        assert_eq!(errors[0].code, Code::YamlType);
    }
}
