//! A free page (about, methodology, licence), published at `/<slug>/`.

use super::body::Body;
use super::route::Route;
use crate::source::SourceFile;

/// Who published an article, when in the day, and what it is about (front matter `source`,
/// `author`, `keywords`, `time`), for the 来源 and 发布时间 every government article shows.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub source: Option<String>,
    pub author: Option<String>,
    pub keywords: Vec<String>,
    /// `10:30`, Beijing time.
    pub time: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// When it was published, when the page says.
    pub date: Option<super::period::Date>,
    pub provenance: Provenance,
    pub order: i64,
    pub draft: bool,
    pub body: Body,
    pub source: SourceFile,
    pub slug_span: std::ops::Range<usize>,
}

impl Page {
    pub fn route(&self) -> Route {
        Route::page(&self.slug)
    }
}
