//! A work summary: a quarter's progress in one area of the work plan.

use super::body::Body;
use super::period::{Date, Quarter};
use super::route::Route;
use super::task::TaskReport;
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Summary {
    pub area: String,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub quarter: Quarter,
    pub description: Option<String>,
    pub provenance: super::page::Provenance,
    pub indicators: Vec<String>,
    /// What it says of the plan's tasks, in its order.
    pub tasks: Vec<TaskReport>,
    pub draft: bool,
    pub body: Body,
    /// Its file up to the end of the front matter, where every problem found after loading
    /// is (the body is in `body`, packed; [`Summary::file`] is the whole file).
    pub front: SourceFile,
    /// Where the URL comes from: the `slug:` value, or the top of the file.
    pub slug_span: std::ops::Range<usize>,
}

impl Summary {
    /// The file as it was read.
    pub fn file(&self) -> SourceFile {
        let text = format!("{}{}", self.front.text, self.body.markdown());
        SourceFile::new(self.front.path.clone(), &text)
    }

    pub fn route(&self) -> Route {
        Route::summary(&self.area, &self.slug)
    }
}
