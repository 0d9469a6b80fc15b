//! World Environment Day (六五环境日): the index of the years and one page per year with its
//! events, contest winners and downloads.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext, Rank};
use crate::model::environment_day::EnvironmentDay as Day;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::search::Document;
use crate::render::view::{ImageView, Meta, NavItem};
use crate::text::format_size;

pub struct EnvironmentDay;

fn has_pages(model: &Model) -> bool {
    model.environment_day_intro.is_some() || !model.environment_days.is_empty()
}

impl Family for EnvironmentDay {
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>> {
        if !has_pages(model) {
            return Vec::new();
        }
        let title = model
            .environment_day_intro
            .as_ref()
            .map_or("六五环境日".to_string(), |i| i.title.clone());
        let mut jobs = vec![Job::new(
            Route::environment_day_index(),
            title,
            "environment-day-index.html",
            index,
        )];
        jobs.extend(model.environment_days.iter().map(|d| {
            Job::new(
                Route::environment_day(d.year),
                format!("{}年六五环境日", d.year),
                "environment-day.html",
                move |cx, meta, c| year(cx, d, meta, c),
            )
        }));
        jobs
    }

    fn nav(&self, model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
        if !has_pages(model) {
            return Vec::new();
        }
        vec![(
            4,
            NavItem {
                key: "environment-day".into(),
                title: "六五环境日".into(),
                href: Route::environment_day_index().href(base),
            },
        )]
    }

    fn search_documents<'a>(&self, model: &'a Model, base: &str) -> Vec<(Rank, Document<'a>)> {
        model
            .environment_days
            .iter()
            .map(|d| {
                let mut text = format!(
                    "主题：{}　{}　",
                    d.theme,
                    d.theme_note.as_deref().unwrap_or_default()
                );
                for e in d.main_event.iter().chain(&d.events) {
                    // Every word of an event, labelled: a reader looks for a day, a place or
                    // an organiser, and the passage shown says which.
                    let fields = [
                        ("日期", Some(e.date_text.as_str())),
                        ("时间", e.time.as_deref()),
                        ("活动", Some(e.title.as_str())),
                        ("地点", e.place.as_deref()),
                        ("组织单位", e.organizer.as_deref()),
                        ("简介", e.summary.as_deref()),
                    ];
                    for (label, value) in fields {
                        if let Some(v) = value.filter(|v| !v.is_empty()) {
                            text.push_str(&format!("{label}：{v}　"));
                        }
                    }
                }
                if let Some(c) = &d.contest {
                    text.push_str(&format!("{}　", c.title));
                }
                for w in d.contest.iter().flat_map(|c| &c.winners) {
                    text.push_str(&format!(
                        "{} {} ",
                        w.title,
                        w.author.clone().unwrap_or_default()
                    ));
                }
                for download in &d.downloads {
                    text.push_str(&format!("下载：{}　", download.title));
                }
                let doc = Document {
                    url: Route::environment_day(d.year).href(base),
                    title: format!("{}年六五环境日", d.year),
                    section: "六五环境日".into(),
                    text: text.into(),
                };
                (3, doc)
            })
            .collect()
    }
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    theme: String,
    href: String,
    events: usize,
}

fn index(cx: &Ctx, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let model = cx.model;
    meta.description = format!("历年六五环境日主题与{}活动", model.config.region.name());
    meta.section = "environment-day".into();
    meta.breadcrumbs = vec![cx.home()];
    let years: Vec<YearLink> = model
        .environment_days
        .iter()
        .map(|d| YearLink {
            year: d.year,
            theme: d.theme.clone(),
            href: Route::environment_day(d.year).href(cx.base),
            events: d.events.len(),
        })
        .collect();
    c.insert("years", &years);
    let intro = match &model.environment_day_intro {
        Some(i) => Some(cx.expand(&i.body)?),
        None => None,
    };
    c.insert("intro_html", &intro);
    Ok(())
}

#[derive(Serialize)]
struct WinnerView<'a> {
    award: Option<&'a str>,
    title: &'a str,
    author: Option<&'a str>,
    image: Option<ImageView>,
}

#[derive(Serialize)]
struct DownloadView<'a> {
    title: &'a str,
    href: String,
    format: &'a str,
    size: String,
}

fn year(cx: &Ctx, d: &Day, meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let base = cx.base;
    meta.description = format!("{}年六五环境日主题：{}", d.year, d.theme);
    let mut article =
        crate::render::view::Article::new(&cx.model.config, &Default::default(), d.date);
    article.keywords = vec!["六五环境日".to_string(), d.theme.clone()];
    meta.article = Some(article);
    meta.section = "environment-day".into();
    meta.breadcrumbs = vec![
        cx.home(),
        cx.crumb("六五环境日", Route::environment_day_index()),
    ];
    let winners: Vec<WinnerView> = d
        .contest
        .iter()
        .flat_map(|c| c.winners.iter())
        .map(|w| WinnerView {
            award: w.award.as_deref(),
            title: &w.title,
            author: w.author.as_deref(),
            image: cx.shared.image(Some(&w.image), &w.alt),
        })
        .collect();
    let downloads: Vec<DownloadView> = d
        .downloads
        .iter()
        .map(|f| DownloadView {
            title: &f.title,
            href: Route::file(&f.file).href(base),
            format: &f.format,
            size: format_size(f.bytes as u64),
        })
        .collect();
    c.insert(
        "day",
        &serde_json::json!({
            "year": d.year,
            "theme": d.theme,
            "theme_note": d.theme_note,
            "main_event": d.main_event,
            "events": d.events,
            "contest_title": d.contest.as_ref().map(|c| c.title.clone()),
            "contest_summary": d.contest.as_ref().and_then(|c| c.summary.clone()),
        }),
    );
    c.insert("winners", &winners);
    c.insert("downloads", &downloads);
    c.insert(
        "events_csv_href",
        &Route::data_file(&format!("environment-day-{}-events.csv", d.year)).href(base),
    );
    Ok(())
}
