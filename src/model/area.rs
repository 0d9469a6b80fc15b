//! The work plan's areas: chapters and their sections, in the plan's order.

use std::collections::HashMap;

use crate::model::task::Task;

#[derive(Debug, Clone)]
pub struct Area {
    pub id: String,
    pub name: String,
    /// For navigation; the name when not given.
    pub short_name: String,
    pub parent: Option<String>,
    /// The chapter numeral (一 … 八), when the plan numbers it.
    pub number: Option<String>,
    pub order: i64,
    pub intro: Option<String>,
    /// The plan's tasks for this area, in its order.
    pub tasks: Vec<Task>,
}

/// All areas, chapters each followed by their sections, sorted by `order`.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    pub(crate) list: Vec<Area>,
    pub(crate) index: HashMap<String, usize>,
    /// Task id → (area, task) positions in `list`.
    pub(crate) task_index: HashMap<String, (usize, usize)>,
}

impl Areas {
    pub fn iter(&self) -> impl Iterator<Item = &Area> {
        self.list.iter()
    }
    pub fn get(&self, id: &str) -> Option<&Area> {
        self.index.get(id).map(|&i| &self.list[i])
    }
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Area> + 'a {
        self.list
            .iter()
            .filter(move |a| a.parent.as_deref() == Some(id))
    }
    pub fn top_level(&self) -> impl Iterator<Item = &Area> {
        self.list.iter().filter(|a| a.parent.is_none())
    }
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|a| a.id.as_str())
    }
    /// Every task of the plan, in the plan's order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.list.iter().flat_map(|a| &a.tasks)
    }
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.task_index
            .get(id)
            .map(|&(a, t)| &self.list[a].tasks[t])
    }
}
