//! A free page (about, methodology, licence), published at `/<slug>/`.

use super::body::Rendered;
use super::route::Route;
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub order: i64,
    pub draft: bool,
    pub body: Rendered,
    pub source: SourceFile,
    pub slug_span: std::ops::Range<usize>,
}

impl Page {
    pub fn route(&self) -> Route {
        Route::page(&self.slug)
    }
}
