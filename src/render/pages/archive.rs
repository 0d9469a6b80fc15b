//! The archive page: the reports of past quarters as archived by `snapshot`.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;

pub struct Archive;

impl Family for Archive {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if model.archives.is_empty() {
            return Vec::new();
        }
        vec![Job::new(Route::archive(), "archive.html", archive)]
    }
}

#[derive(Serialize)]
struct ArchiveLink<'a> {
    period: &'a str,
    label: &'a str,
    created: Option<&'a str>,
    report_href: String,
    pdf_href: Option<String>,
    data_href: String,
    manifest_href: String,
}

fn archive(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let base = cx.base;
    meta.title = "往期报告".into();
    meta.description = "各季度存档的工作报告与数据".into();
    meta.section = "reports".into();
    meta.breadcrumbs = vec![cx.home()];
    let file = |period: &str, name: &str| Route::file(&format!("archive/{period}/{name}"));
    let links: Vec<ArchiveLink> = cx
        .model
        .archives
        .iter()
        .map(|a| ArchiveLink {
            period: &a.period,
            label: &a.label,
            created: a.created.as_deref().map(|c| c.get(..10).unwrap_or(c)),
            report_href: file(&a.period, "report.html").href(base),
            pdf_href: a.has_pdf.then(|| file(&a.period, "report.pdf").href(base)),
            data_href: file(&a.period, "data/datapackage.json").href(base),
            manifest_href: file(&a.period, "SHA256SUMS").href(base),
        })
        .collect();
    c.insert("archives", &links);
    Ok(())
}
