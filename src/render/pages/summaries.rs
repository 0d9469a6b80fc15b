//! The work summaries: their index by chapter, one page per area and one per summary.

use super::parts::cards;
use tera::TeraResult;

use super::{Ctx, Family, Job, Listing, PageContext, Rank};
use crate::model::area::Area;
use crate::model::route::Route;
use crate::model::summary::Summary;
use crate::model::task::{Progress, Task};
use crate::model::Model;
use crate::render::search::Document;
use crate::render::view::{
    self, AreaLink, AreaView, Meta, NavItem, SummaryCard, SummaryView, TaskRow,
};

pub struct Summaries;

impl Family for Summaries {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        let mut jobs = vec![Job::new(
            Route::summaries(),
            "工作进展",
            "summaries.html",
            index,
        )];
        jobs.extend(model.areas.iter().map(|a| {
            let updated = model
                .summaries_of_area(&a.id)
                .map(|s| s.date)
                .max()
                .map(|d| d.to_string());
            Job::new(
                Route::area(&a.id),
                &a.name,
                "area.html",
                move |cx, meta, c| area(cx, a, meta, c),
            )
            .listing(Listing::Second)
            .updated(updated)
        }));
        jobs.extend(model.summaries.iter().map(|s| {
            Job::new(s.route(), &s.title, "summary.html", move |cx, meta, c| {
                summary(cx, s, meta, c)
            })
            .listing(Listing::Second)
            .updated(Some(s.date.to_string()))
            .made_of(&s.front.text, &s.body.markdown)
        }));
        jobs
    }

    fn nav(&self, _model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        vec![(
            2,
            NavItem {
                key: "summaries".into(),
                title: "工作进展".into(),
                href: Route::summaries().href(base),
            },
        )]
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        let summaries = model.summaries.iter().map(|s| {
            let area = model
                .areas
                .get(&s.area)
                .map_or(s.area.as_str(), |a| a.short_name.as_str());
            let doc = Document {
                url: s.route().href(base),
                title: s.title.clone(),
                section: format!("工作进展 · {area}"),
                text: (&s.body).into(),
            };
            (0, doc)
        });
        let areas = model.areas.iter().map(|a| {
            let tasks = a.tasks.iter().map(|t| t.text.as_str());
            let text = std::iter::once(a.intro.as_deref().unwrap_or_default())
                .chain(tasks)
                .collect::<Vec<_>>()
                .join(" ");
            let doc = Document {
                url: Route::area(&a.id).href(base),
                title: a.name.clone(),
                section: "工作要点".into(),
                text: text.into(),
            };
            (4, doc)
        });
        summaries.chain(areas).collect()
    }
}

fn index(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base, shared) = (cx.model, cx.base, cx.shared);
    meta.section = "summaries".into();
    meta.breadcrumbs = vec![cx.home()];
    let chapters: Vec<_> = model
        .areas
        .top_level()
        .map(|a| AreaView {
            link: AreaLink::new(a, shared.count(&a.id), base),
            intro: a.intro.as_deref(),
            tasks: Vec::new(),
            parent: None,
            children: model
                .areas
                .children(&a.id)
                .map(|ch| AreaLink::new(ch, shared.count(&ch.id), base))
                .collect(),
        })
        .collect();
    c.insert("chapters", &chapters);
    Ok(())
}

fn area(cx: &Ctx, area: &Area, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base, shared) = (cx.model, cx.base, cx.shared);
    meta.description = format!("{}：工作要点与工作进展", area.name);
    meta.section = "summaries".into();
    meta.breadcrumbs = vec![cx.home(), cx.crumb("工作进展", Route::summaries())];
    let parent = area.parent.as_deref().and_then(|p| model.areas.get(p));
    if let Some(p) = parent {
        meta.breadcrumbs
            .push(cx.crumb(&p.short_name, Route::area(&p.id)));
    }
    let list = cards(model, model.summaries_of_area(&area.id), base);
    let tasks: Vec<TaskRow> = match model.task_period() {
        Some(period) => model
            .tasks
            .iter()
            .filter(|t| t.task.area == area.id)
            .filter_map(|t| {
                let mut row = TaskRow::at(model, t, period, base)?;
                row.reported_in = view::reported_in(t, base);
                Some(row)
            })
            .collect(),
        None => Vec::new(),
    };
    c.insert(
        "area",
        &AreaView {
            link: AreaLink::new(area, list.len(), base),
            intro: area.intro.as_deref(),
            tasks,
            parent: parent.map(|p| AreaLink::new(p, 0, base)),
            children: model
                .areas
                .children(&area.id)
                .map(|ch| AreaLink::new(ch, shared.count(&ch.id), base))
                .collect(),
        },
    );
    c.insert("summaries", &list);
    c.insert(
        "tasks_period",
        &model.task_period().map(|q| q.chinese()).unwrap_or_default(),
    );
    c.insert("tasks_href", &Route::tasks().href(base));
    Ok(())
}

fn summary(cx: &Ctx, s: &Summary, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let (model, base) = (cx.model, cx.base);
    let area = model.areas.get(&s.area);
    meta.description = s
        .description
        .clone()
        .unwrap_or_else(|| s.body.excerpt.clone());
    meta.section = "summaries".into();
    meta.draft = s.draft;
    let mut article = view::Article::new(&model.config, &s.provenance, Some(s.date));
    if article.keywords.is_empty() {
        // What the summary is about: its area, and the targets it reports.
        article.keywords = area
            .map(|a| a.short_name.clone())
            .into_iter()
            .chain(
                s.indicators
                    .iter()
                    .filter_map(|i| Some(model.indicator(i)?.name.clone())),
            )
            .collect();
    }
    meta.article = Some(article);
    meta.breadcrumbs = vec![cx.home(), cx.crumb("工作进展", Route::summaries())];
    if let Some(parent) = area
        .and_then(|a| a.parent.as_deref())
        .and_then(|p| model.areas.get(p))
    {
        meta.breadcrumbs
            .push(cx.crumb(&parent.short_name, Route::area(&parent.id)));
    }
    if let Some(a) = area {
        meta.breadcrumbs
            .push(cx.crumb(&a.short_name, Route::area(&a.id)));
    }
    // What this summary says of each task, from its own file alone: its page is reused while
    // that file and the rest of the site stay the same.
    let said: Vec<(&Task, Progress)> = s
        .tasks
        .iter()
        .filter_map(|r| {
            let task = model.areas.task(&r.task)?;
            let progress = Progress {
                quarter: s.quarter,
                status: r.status,
                updated: true,
                note: r.note.clone(),
                source: None,
            };
            Some((task, progress))
        })
        .collect();
    c.insert(
        "summary",
        &SummaryView {
            card: SummaryCard::new(s, area, base),
            body_html: cx.expand(&s.body)?,
            tasks: said
                .iter()
                .map(|(task, p)| TaskRow::new(model, task, p, None, base))
                .collect(),
            report_href: Route::report(s.quarter).href(base),
        },
    );
    Ok(())
}
