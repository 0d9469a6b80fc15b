//! Environmental facilities open to the public: the list (all, by category, by district) with
//! the map, and one page per facility.

use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext, Rank};
use crate::model::facility::{Category, Facility};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::search::Document;
use crate::render::view::{FacilityGroup, FilterLink, Meta, NavItem};

pub struct Facilities;

/// Which facilities a list page shows.
#[derive(Clone, Copy, PartialEq)]
enum Filter<'a> {
    All,
    Category(Category),
    District(&'a str),
}

/// The districts the lists offer: the region's, in its order, and any other a facility names.
fn districts(model: &Model) -> Vec<&str> {
    let present = model.facilities.iter().map(|f| f.district.as_str());
    model.config.region.districts(present)
}

impl Filter<'_> {
    fn title(self) -> String {
        match self {
            Filter::Category(c) => format!("向公众开放的{}", c.label()),
            Filter::District(d) => format!("{d}向公众开放的环保设施"),
            Filter::All => ALL.into(),
        }
    }

    fn keeps(self, f: &Facility) -> bool {
        match self {
            Filter::All => true,
            Filter::Category(c) => f.category == c,
            Filter::District(d) => f.district == d,
        }
    }
}

/// The title of the list of all facilities.
const ALL: &str = "环保设施向公众开放";

fn list_job<'a>(route: Route, filter: Filter<'a>) -> Job<'a> {
    Job::new(
        route,
        filter.title(),
        "facilities.html",
        move |cx, meta, c| list(cx, filter, meta, c),
    )
}

impl Family for Facilities {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if model.facilities.is_empty() {
            return Vec::new();
        }
        let present = |filter: &Filter| model.facilities.iter().any(|f| filter.keeps(f));
        let mut jobs = vec![list_job(Route::facilities(), Filter::All)];
        jobs.extend(
            Category::ALL
                .into_iter()
                .filter(|c| present(&Filter::Category(*c)))
                .map(|c| list_job(Route::facility_category(c.code()), Filter::Category(c))),
        );
        let region = &model.config.region;
        jobs.extend(
            districts(model)
                .into_iter()
                .filter(|d| present(&Filter::District(d)))
                .map(|d| {
                    list_job(
                        Route::facility_district(&region.slug(d)),
                        Filter::District(d),
                    )
                }),
        );
        jobs.extend(model.facilities.iter().map(|f| {
            Job::new(
                Route::facility(&f.id),
                &f.name,
                "facility.html",
                move |cx, meta, c| page(cx, f, meta, c),
            )
        }));
        jobs
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        if model.facilities.is_empty() {
            return Vec::new();
        }
        vec![(
            5,
            NavItem {
                key: "facilities".into(),
                title: "设施开放".into(),
                href: Route::facilities().href(base),
            },
        )]
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        model
            .facilities
            .iter()
            .map(|f| {
                // Labelled, so that the passage a result shows says why it matched.
                let booking = [&f.booking.phone, &f.booking.url, &f.booking.note]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("；");
                let fields = [
                    ("类别", f.category.label()),
                    ("所在区县", &f.district),
                    ("地址", &f.address),
                    ("开放时间", f.open_time.as_deref().unwrap_or_default()),
                    ("预约方式", &booking),
                    ("接待规模", f.capacity.as_deref().unwrap_or_default()),
                    ("参观内容", &f.highlights.join("；")),
                    ("简介", f.description.as_deref().unwrap_or_default()),
                ];
                let text = fields
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(label, v)| format!("{label}：{v}"))
                    .collect::<Vec<_>>()
                    .join("　");
                let doc = Document {
                    url: Route::facility(&f.id).href(base),
                    title: f.name.clone(),
                    section: "环保设施向公众开放".into(),
                    text: text.into(),
                };
                (2, doc)
            })
            .collect()
    }
}

fn list(cx: &Ctx, filter: Filter, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base, shared) = (cx.model, cx.base, cx.shared);
    meta.section = "facilities".into();
    meta.breadcrumbs = vec![cx.home()];
    let selected: Vec<&Facility> = model
        .facilities
        .iter()
        .filter(|f| filter.keeps(f))
        .collect();
    let filtered = filter != Filter::All;
    if filtered {
        meta.breadcrumbs.push(cx.crumb(ALL, Route::facilities()));
    }
    meta.description = format!(
        "{}向公众开放的环境监测、污水处理、垃圾处理、危险废物和电子废物处理设施及预约方式",
        model.config.region.name()
    );
    let groups: Vec<FacilityGroup> = Category::ALL
        .into_iter()
        .filter_map(|c| {
            let list: Vec<_> = selected
                .iter()
                .filter(|f| f.category == c)
                .map(|f| shared.facility(f))
                .collect();
            (!list.is_empty()).then(|| FacilityGroup {
                id: format!("category-{}", c.code()),
                title: c.label().to_string(),
                href: Route::facility_category(c.code()).href(base),
                count: list.len(),
                facilities: list,
            })
        })
        .collect();
    let categories: Vec<FilterLink> = Category::ALL
        .into_iter()
        .map(|c| FilterLink {
            title: c.label().to_string(),
            href: Route::facility_category(c.code()).href(base),
            count: model.facilities.iter().filter(|f| f.category == c).count(),
            current: filter == Filter::Category(c),
        })
        .collect();
    let districts: Vec<FilterLink> = districts(model)
        .into_iter()
        .map(|d| FilterLink {
            title: d.to_string(),
            href: Route::facility_district(&model.config.region.slug(d)).href(base),
            count: model.facilities.iter().filter(|f| f.district == d).count(),
            current: filter == Filter::District(d),
        })
        .collect();
    c.insert("groups", &groups);
    c.insert("categories", &categories);
    c.insert("districts", &districts);
    c.insert("total", &selected.len());
    c.insert("all_href", &Route::facilities().href(base));
    c.insert("filtered", &filtered);
    let map = if filtered {
        ""
    } else {
        shared.facility_map.as_str()
    };
    c.insert("map_svg", map);
    c.insert("data_href", &Route::data().href(base));
    Ok(())
}

fn page(cx: &Ctx, f: &Facility, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    meta.description = f
        .description
        .clone()
        .unwrap_or_else(|| format!("{}，{}，{}", f.name, f.category.label(), f.district));
    meta.section = "facilities".into();
    meta.breadcrumbs = vec![
        cx.home(),
        cx.crumb("环保设施向公众开放", Route::facilities()),
        cx.crumb(
            f.category.label(),
            Route::facility_category(f.category.code()),
        ),
    ];
    c.insert("facility", &cx.shared.facility(f));
    Ok(())
}
