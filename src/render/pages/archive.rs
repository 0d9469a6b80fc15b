//! The archive page: the reports of past quarters as archived by `snapshot`.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;
use crate::text::BeijingTime;

pub struct Archive;

impl Family for Archive {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if model.archives.is_empty() {
            return Vec::new();
        }
        vec![Job::new(
            Route::archive(),
            "往期报告",
            "archive.html",
            archive,
        )]
    }
}

#[derive(Serialize)]
struct ArchiveLink<'a> {
    period: &'a str,
    label: &'a str,
    /// The day of the archive in Beijing time: `2024-07-01` for machines, `2024年7月1日` to read.
    created: Option<String>,
    created_text: Option<String>,
    report_href: String,
    pdf_href: Option<String>,
    data_href: String,
    manifest_href: String,
}

fn archive(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let base = cx.base;
    meta.description = "各季度存档的工作报告与数据".into();
    meta.section = "reports".into();
    meta.breadcrumbs = vec![cx.home()];
    let file = |period: &str, name: &str| Route::file(&format!("archive/{period}/{name}"));
    let links: Vec<ArchiveLink> = cx
        .model
        .archives
        .iter()
        .map(|a| {
            let day = a
                .created
                .as_deref()
                .and_then(BeijingTime::parse)
                .map(|t| t.date);
            ArchiveLink {
                period: &a.period,
                label: &a.label,
                created: day.map(|d| d.to_string()),
                created_text: day.map(|d| d.chinese()),
                report_href: file(&a.period, "report.html").href(base),
                pdf_href: a.has_pdf.then(|| file(&a.period, "report.pdf").href(base)),
                data_href: file(&a.period, "data/datapackage.json").href(base),
                manifest_href: file(&a.period, "SHA256SUMS").href(base),
            }
        })
        .collect();
    c.insert("archives", &links);
    Ok(())
}
