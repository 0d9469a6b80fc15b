//! The search page; the index it queries is built from every family's search documents.

use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;

pub struct Search;

impl Family for Search {
    fn jobs<'a>(&self, _model: &'a Model) -> Vec<Job<'a>> {
        vec![Job::new(Route::search(), "搜索", "search.html", search)]
    }
}

fn search(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let base = cx.base;
    meta.description = "搜索本站的工作进展、指标、设施和六五环境日内容".into();
    meta.section = "search".into();
    meta.breadcrumbs = vec![cx.home()];
    c.insert("search_href", &Route::search().href(base));
    c.insert("script_href", &Route::file("assets/search.js").href(base));
    if crate::render::open_data::has_any(cx.model) {
        c.insert("data_href", &Route::data().href(base));
    }
    Ok(())
}
