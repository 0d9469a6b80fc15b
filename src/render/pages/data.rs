//! The open data page: the catalogue of downloadable tables with its licence.

use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext, Rank};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::open_data;
use crate::render::view::{Meta, NavItem};

pub struct Data;

impl Family for Data {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if !open_data::has_any(model) {
            return Vec::new();
        }
        vec![Job::new(Route::data(), "开放数据", "data.html", data)]
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        if !open_data::has_any(model) {
            return Vec::new();
        }
        vec![(
            6,
            NavItem {
                key: "data".into(),
                title: "开放数据".into(),
                href: Route::data().href(base),
            },
        )]
    }
}

fn data(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    meta.description = "目标完成情况等数据的下载与说明".into();
    meta.section = "data".into();
    meta.breadcrumbs = vec![cx.home()];
    let catalogue = cx.shared.catalogue();
    c.insert("datasets", &catalogue.datasets(base));
    c.insert("json_ld", &catalogue.json_ld(model));
    c.insert("licence", &open_data::LICENCE);
    c.insert(
        "licence_href",
        &model
            .pages
            .iter()
            .find(|p| p.slug == open_data::LICENCE_PAGE)
            .map(|p| p.route().href(base)),
    );
    c.insert(
        "datapackage_href",
        &Route::data_file("datapackage.json").href(base),
    );
    Ok(())
}
