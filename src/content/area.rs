//! Areas of the work plan (`content/areas.yaml`): its chapters and their sections, in the plan's
//! order. Every summary and indicator belongs to one; they give the site its navigation.

use crate::model::area::{Area, Areas};
use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use crate::content::yaml::{self, Text};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::route::id_problem;
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
    tasks: Vec<Text>,
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
                tasks: item
                    .tasks
                    .into_iter()
                    .map(|t| t.as_str().to_string())
                    .collect(),
                id,
            });
        }
        let mut areas = Areas { list, index };
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
    fn not_a_list_is_a_type_error() {
        let errors = Areas::parse(&SourceFile::new("a.yaml", "id: air\nname: x\n")).unwrap_err();
        assert_eq!(errors[0].code, Code::YamlType);
    }
}
