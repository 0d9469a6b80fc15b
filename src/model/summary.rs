//! A work summary: a quarter's progress in one area of the work plan.

use serde::{Deserialize, Serialize};

use super::body::Rendered;
use super::period::{Date, Quarter};
use super::route::Route;
use crate::source::SourceFile;

/// How far a task of the work plan has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Planned,
    InProgress,
    Done,
}

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Planned => "未开始",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Done => "已完成",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub task: String,
    pub status: Option<TaskStatus>,
    pub status_label: Option<&'static str>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub area: String,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub quarter: Quarter,
    pub description: Option<String>,
    pub indicators: Vec<String>,
    pub tasks: Vec<Task>,
    pub draft: bool,
    pub body: Rendered,
    pub source: SourceFile,
    /// Where the URL comes from: the `slug:` value, or the top of the file.
    pub slug_span: std::ops::Range<usize>,
}

impl Summary {
    pub fn route(&self) -> Route {
        Route::summary(&self.area, &self.slug)
    }
}
