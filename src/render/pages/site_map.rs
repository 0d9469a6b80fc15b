//! The site map for readers (网站地图): every section and its pages, as `sitemap.xml` lists
//! them for machines, each page under the section its path begins with.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;

pub struct SiteMap;

impl Family for SiteMap {
    fn jobs<'a>(&self, _model: &'a Model) -> Vec<Job<'a>> {
        vec![Job::new(
            Route::site_map(),
            "网站地图",
            "site-map.html",
            site_map,
        )]
    }
}

/// A section: its own page, when it has one, and the pages under it.
#[derive(Serialize)]
struct Section<'a> {
    title: &'a str,
    href: Option<&'a str>,
    pages: Vec<Entry<'a>>,
}

/// A page in the list: only what the list shows, since a site of 50,000 summaries makes it
/// the largest page of all.
#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    href: &'a str,
}

fn site_map(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    meta.description = format!("{}的全部栏目和页面", cx.model.config.title);
    meta.section = "sitemap".into();
    meta.breadcrumbs = vec![cx.home()];
    let mut sections: Vec<Section> = Vec::new();
    let mut index: Vec<&str> = Vec::new();
    for entry in cx.sitemap {
        let at = match index.iter().position(|s| *s == entry.section) {
            Some(at) => at,
            None => {
                index.push(&entry.section);
                sections.push(Section {
                    title: "",
                    href: None,
                    pages: Vec::new(),
                });
                index.len() - 1
            }
        };
        let section = &mut sections[at];
        // The section's own page (`targets/`, or the home page) names the section.
        if entry.heads_section && section.href.is_none() {
            section.title = &entry.title;
            section.href = Some(&entry.href);
        } else {
            section.pages.push(Entry {
                title: &entry.title,
                href: &entry.href,
            });
        }
    }
    for s in sections.iter_mut().filter(|s| s.title.is_empty()) {
        s.title = "其他页面";
    }
    c.insert("sections", &sections);
    Ok(())
}
