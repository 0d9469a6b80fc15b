//! The free pages written by editors (about, methodology, licence, …) and the not-found page.

use tera::TeraResult;

use super::{Ctx, Family, Job, Listing, PageContext, Rank};
use crate::model::page::Page;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::open_data;
use crate::render::search::Document;
use crate::render::view::{self, Meta, NavItem, PageView};

pub struct FreePages;

impl Family for FreePages {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        let mut jobs: Vec<Job> = model
            .pages
            .iter()
            .map(|p| {
                Job::new(p.route(), &p.title, "page.html", move |cx, meta, c| {
                    page(cx, p, meta, c)
                })
                .listing(Listing::Second)
            })
            .collect();
        jobs.push(
            Job::new(Route::not_found(), "页面未找到", "404.html", not_found)
                .listing(Listing::Unlisted),
        );
        jobs
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        model
            .pages
            .iter()
            .map(|p| {
                let item = NavItem {
                    key: format!("page:{}", p.slug),
                    title: p.title.clone(),
                    href: p.route().href(base),
                };
                (7, item)
            })
            .collect()
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        model
            .pages
            .iter()
            .map(|p| {
                let doc = Document {
                    url: p.route().href(base),
                    title: p.title.clone(),
                    section: "关于".into(),
                    text: (&p.body).into(),
                };
                (5, doc)
            })
            .collect()
    }
}

fn page(cx: &Ctx, p: &Page, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    meta.description = p
        .description
        .clone()
        .unwrap_or_else(|| p.body.excerpt.clone());
    meta.section = format!("page:{}", p.slug);
    meta.draft = p.draft;
    meta.article = Some(view::Article::new(&cx.model.config, &p.provenance, p.date));
    meta.breadcrumbs = vec![cx.home()];
    if p.slug == open_data::LICENCE_PAGE {
        c.insert("licence", &open_data::LICENCE);
    }
    c.insert(
        "page",
        &PageView {
            title: &p.title,
            body_html: cx.expand(&p.body)?,
        },
    );
    Ok(())
}

fn not_found(_cx: &Ctx, meta: &mut Meta, _c: &mut PageContext) -> TeraResult<()> {
    meta.section = "not-found".into();
    Ok(())
}
