//! Which pages the site has and what each one's template is given. One `Job` per output page;
//! `jobs` lists them all (also for the sitemap), `context` builds a page's values.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use tera::Context;

use super::view::{self, IndicatorRow};
use super::view::{
    AreaLink, AreaView, Link, Meta, NavItem, PageView, QuarterLink, SiteView, SummaryCard,
    SummaryView,
};
use crate::content::shortcode::{self, Shortcode};
use crate::model::area::Area;
use crate::model::environment_day::EnvironmentDay;
use crate::model::facility::{self, Category, Facility};
use crate::model::indicator::Indicator;
use crate::model::page::Page;
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::status::{self, Status};
use crate::model::summary::Summary;
use crate::model::Model;
use crate::render::chart;
use crate::render::open_data;
use crate::render::thumbnail::{self, Thumbnail};

/// How many of the newest summaries the home page and the feed show.
const LATEST: usize = 10;
const FEED_ENTRIES: usize = 30;

#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    Home,
    Summaries,
    Area(&'a Area),
    Summary(&'a Summary),
    Reports,
    Report(Quarter),
    Targets,
    TargetsByLead,
    Indicator(&'a Indicator),
    Data,
    Search,
    Archive,
    EnvironmentDayIndex,
    EnvironmentDay(&'a EnvironmentDay),
    Facilities,
    FacilityCategory(Category),
    FacilityDistrict(&'static str),
    Facility(&'a Facility),
    Page(&'a Page),
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

impl Job<'_> {
    pub fn route(&self) -> Route {
        match self {
            Job::Home => Route::home(),
            Job::Summaries => Route::summaries(),
            Job::Area(a) => Route::area(&a.id),
            Job::Summary(s) => s.route(),
            Job::Reports => Route::reports(),
            Job::Report(q) => Route::report(*q),
            Job::Targets => Route::targets(),
            Job::TargetsByLead => Route::targets_by_lead(),
            Job::Indicator(i) => Route::indicator(&i.id),
            Job::Data => Route::data(),
            Job::Archive => Route::archive(),
            Job::Search => Route::search(),
            Job::EnvironmentDayIndex => Route::environment_day_index(),
            Job::EnvironmentDay(d) => Route::environment_day(d.year),
            Job::Facilities => Route::facilities(),
            Job::FacilityCategory(c) => Route::facility_category(c.code()),
            Job::FacilityDistrict(d) => Route::facility_district(facility::district_slug(d)),
            Job::Facility(f) => Route::facility(&f.id),
            Job::Page(p) => p.route(),
            Job::NotFound => Route::not_found(),
            Job::Feed => Route::feed(),
            Job::Sitemap => Route::sitemap(),
            Job::Robots => Route::robots(),
        }
    }

    /// Pages a reader can land on, listed in the sitemap.
    fn is_listed(&self) -> bool {
        !matches!(self, Job::NotFound | Job::Feed | Job::Sitemap | Job::Robots)
    }

    /// The date the page's content last changed, when the content says.
    fn updated(&self, model: &Model) -> Option<String> {
        match self {
            Job::Summary(s) => Some(s.date.to_string()),
            // Indicator data changes by quarter: the last day of its latest quarter with data.
            Job::Indicator(i) => i.latest().map(|q| q.quarter.last_day().to_string()),
            Job::Targets | Job::TargetsByLead => model
                .latest_indicator_quarter()
                .map(|q| q.last_day().to_string()),
            Job::Home => model
                .summaries
                .iter()
                .map(|s| s.date)
                .max()
                .map(|d| d.to_string()),
            Job::Area(a) => model
                .summaries_of_area(&a.id)
                .map(|s| s.date)
                .max()
                .map(|d| d.to_string()),
            Job::Report(q) => model
                .summaries
                .iter()
                .filter(|s| s.quarter == *q)
                .map(|s| s.date)
                .max()
                .map(|d| d.to_string()),
            _ => None,
        }
    }
}

pub fn jobs(model: &Model) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Home, Job::Summaries, Job::Reports];
    if !model.indicators.is_empty() {
        jobs.extend([Job::Targets, Job::TargetsByLead]);
        jobs.extend(model.indicators.iter().map(Job::Indicator));
    }
    if has_open_data(model) {
        jobs.push(Job::Data);
    }
    if !model.archives.is_empty() {
        jobs.push(Job::Archive);
    }
    jobs.push(Job::Search);
    if model.environment_day_intro.is_some() || !model.environment_days.is_empty() {
        jobs.push(Job::EnvironmentDayIndex);
        jobs.extend(model.environment_days.iter().map(Job::EnvironmentDay));
    }
    if !model.facilities.is_empty() {
        jobs.push(Job::Facilities);
        jobs.extend(
            Category::ALL
                .into_iter()
                .filter(|c| model.facilities.iter().any(|f| f.category == *c))
                .map(Job::FacilityCategory),
        );
        jobs.extend(
            facility::DISTRICTS
                .into_iter()
                .filter(|d| model.facilities.iter().any(|f| f.district == *d))
                .map(Job::FacilityDistrict),
        );
        jobs.extend(model.facilities.iter().map(Job::Facility));
    }
    jobs.extend(model.areas.iter().map(Job::Area));
    jobs.extend(model.summaries.iter().map(Job::Summary));
    jobs.extend(model.quarters().into_iter().map(Job::Report));
    jobs.extend(model.pages.iter().map(Job::Page));
    jobs.extend([Job::NotFound, Job::Feed, Job::Sitemap, Job::Robots]);
    jobs
}

/// Whether the site has any table to publish as open data.
fn has_open_data(model: &Model) -> bool {
    !model.indicators.is_empty()
        || !model.facilities.is_empty()
        || !model.environment_days.is_empty()
}

/// Values every template sees: the site, its navigation, the areas.
pub fn globals(model: &Model, base: &str) -> PageContext {
    let mut context = PageContext::new();
    context.insert("site", &SiteView::new(&model.config, base));
    let mut nav = vec![
        NavItem {
            key: "home".into(),
            title: "首页".into(),
            href: Route::home().href(base),
        },
        NavItem {
            key: "summaries".into(),
            title: "工作进展".into(),
            href: Route::summaries().href(base),
        },
        NavItem {
            key: "reports".into(),
            title: "季度报告".into(),
            href: Route::reports().href(base),
        },
    ];
    if model.environment_day_intro.is_some() || !model.environment_days.is_empty() {
        nav.push(NavItem {
            key: "environment-day".into(),
            title: "六五环境日".into(),
            href: Route::environment_day_index().href(base),
        });
    }
    if !model.facilities.is_empty() {
        nav.push(NavItem {
            key: "facilities".into(),
            title: "设施开放".into(),
            href: Route::facilities().href(base),
        });
    }
    if !model.indicators.is_empty() {
        let targets = NavItem {
            key: "targets".into(),
            title: "目标完成情况".into(),
            href: Route::targets().href(base),
        };
        nav.insert(1, targets);
    }
    if has_open_data(model) {
        nav.push(NavItem {
            key: "data".into(),
            title: "开放数据".into(),
            href: Route::data().href(base),
        });
    }
    nav.extend(model.pages.iter().map(|p| NavItem {
        key: format!("page:{}", p.slug),
        title: p.title.clone(),
        href: p.route().href(base),
    }));
    context.insert("nav", &nav);
    context
}

fn crumb(title: impl Into<String>, route: Route, base: &str) -> Link {
    Link {
        title: title.into(),
        href: route.href(base),
    }
}

fn count_by_area(model: &Model) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in &model.summaries {
        *counts.entry(s.area.as_str()).or_default() += 1;
        if let Some(parent) = model.areas.get(&s.area).and_then(|a| a.parent.as_deref()) {
            *counts.entry(parent).or_default() += 1;
        }
    }
    counts
}

fn cards<'a>(
    model: &'a Model,
    list: impl Iterator<Item = &'a Summary>,
    base: &str,
) -> Vec<SummaryCard<'a>> {
    list.map(|s| SummaryCard::new(s, model.areas.get(&s.area), base))
        .collect()
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: String,
    content_html: &'a str,
    category: &'a str,
}

/// A page's template values, with a fingerprint of everything inserted: two pages with the
/// same template and fingerprint render to the same bytes, which lets `serve` skip them.
pub struct PageContext {
    pub context: Context,
    hasher: DefaultHasher,
}

/// Feeds serialised JSON into a hasher without building the string.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hashes a value by its JSON form (what templates see of it).
pub fn hash_value<T: Serialize + ?Sized>(hasher: &mut DefaultHasher, value: &T) {
    // Serialising our own views into a hasher cannot fail.
    let _ = serde_json::to_writer(HashWriter(hasher), value);
}

impl PageContext {
    fn new() -> Self {
        PageContext {
            context: Context::new(),
            hasher: DefaultHasher::new(),
        }
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        key.hash(&mut self.hasher);
        hash_value(&mut self.hasher, value);
        self.context.insert(key, value);
    }

    pub fn fingerprint(&self) -> u64 {
        self.hasher.finish()
    }
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// What several pages need, computed once per build: the charts of every indicator and the
/// number of summaries of each area.
pub struct Shared<'a> {
    pub base: String,
    pub charts: HashMap<&'a str, Charts>,
    pub counts: HashMap<&'a str, usize>,
    /// Thumbnails of the photos pages show, by the original's path under `content/`.
    pub thumbnails: HashMap<&'a str, Thumbnail>,
    /// Images that could not be read, by path.
    pub unreadable_images: Vec<&'a str>,
    thumbnail_hashes: HashMap<&'a str, u64>,
    pub facility_map: String,
}

pub struct Charts {
    pub chart: String,
    pub sparkline: String,
}

impl<'a> Shared<'a> {
    /// `previous` holds the thumbnails of the last build by image path, with a hash of the
    /// image's bytes: unchanged images are not decoded again.
    pub fn new(
        model: &'a Model,
        base: String,
        previous: &HashMap<String, (u64, Thumbnail)>,
    ) -> Self {
        use rayon::prelude::*;
        let charts = model
            .indicators
            .par_iter()
            .map(|i| {
                (
                    i.id.as_str(),
                    Charts {
                        chart: chart::chart(i),
                        sparkline: chart::sparkline(i),
                    },
                )
            })
            .collect();
        let images: Vec<&str> = model
            .facilities
            .iter()
            .filter_map(|f| f.image.as_deref())
            .chain(model.environment_days.iter().flat_map(|d| {
                d.contest
                    .iter()
                    .flat_map(|c| c.winners.iter().map(|w| w.image.as_str()))
            }))
            .collect();
        let made: Vec<(&str, Option<Thumbnail>)> = images
            .par_iter()
            .map(|path| {
                let thumb = model.asset(path).and_then(|a| {
                    let hash = bytes_hash(&a.bytes);
                    match previous.get(*path) {
                        Some((h, t)) if *h == hash => Some(t.clone()),
                        _ => thumbnail::make(path, &a.bytes),
                    }
                });
                (*path, thumb)
            })
            .collect();
        let thumbnail_hashes = images
            .iter()
            .filter_map(|p| model.asset(p).map(|a| (*p, bytes_hash(&a.bytes))))
            .collect();
        let unreadable_images = made
            .iter()
            .filter(|(_, t)| t.is_none())
            .map(|(p, _)| *p)
            .collect();
        let thumbnails = made
            .into_iter()
            .filter_map(|(p, t)| Some((p, t?)))
            .collect();
        let facility_map = if model.facilities.is_empty() {
            String::new()
        } else {
            crate::render::chart::map::svg(&model.facilities)
        };
        Shared {
            base,
            charts,
            counts: count_by_area(model),
            thumbnails,
            unreadable_images,
            thumbnail_hashes,
            facility_map,
        }
    }

    /// The thumbnails of this build, for the next one.
    pub fn thumbnail_cache(&self) -> HashMap<String, (u64, Thumbnail)> {
        self.thumbnails
            .iter()
            .map(|(path, t)| {
                (
                    path.to_string(),
                    (
                        self.thumbnail_hashes.get(path).copied().unwrap_or(0),
                        t.clone(),
                    ),
                )
            })
            .collect()
    }

    fn image(&self, path: Option<&str>, alt: &str) -> Option<view::ImageView> {
        let path = path?;
        let thumb = self.thumbnails.get(path)?;
        Some(view::ImageView {
            src: Route::file(path).href(&self.base),
            thumb_src: Route::file(&thumb.path).href(&self.base),
            width: thumb.width,
            height: thumb.height,
            alt: alt.to_string(),
        })
    }

    fn facility(&self, f: &'a Facility) -> view::FacilityView<'a> {
        view::FacilityView::new(
            f,
            self.image(f.image.as_deref(), f.image_alt.as_deref().unwrap_or("")),
            &self.base,
        )
    }

    fn sparkline(&self, id: &str) -> &str {
        self.charts.get(id).map_or("", |c| c.sparkline.as_str())
    }

    fn rows(
        &'a self,
        model: &'a Model,
        list: impl Iterator<Item = &'a Indicator>,
    ) -> Vec<IndicatorRow<'a>>
    where
        Self: 'a,
    {
        list.map(|i| {
            IndicatorRow::new(
                i,
                model.areas.get(&i.area),
                self.sparkline(&i.id),
                &self.base,
            )
        })
        .collect()
    }

    /// Markdown HTML with its shortcodes replaced by charts and badges.
    fn expand(&self, model: &Model, html: &str) -> String {
        shortcode::expand(html, |code| {
            let Some(indicator) = model.indicator(code.id()) else {
                return String::new();
            };
            match code {
                Shortcode::Chart(_) => {
                    let svg = self
                        .charts
                        .get(indicator.id.as_str())
                        .map_or("", |c| c.chart.as_str());
                    view::figure(indicator, svg, &self.base, true)
                }
                Shortcode::Status(_) => match indicator.latest() {
                    Some(q) => format!(
                        "<a class=\"status-link\" href=\"{}\">{}</a>",
                        Route::indicator(&indicator.id).href(&self.base),
                        view::badge(q.status)
                    ),
                    None => view::badge(Status::NoData),
                },
            }
        })
    }
}

#[derive(Serialize)]
struct StatusCount {
    code: &'static str,
    label: &'static str,
    badge: String,
    count: usize,
}

fn status_counts(model: &Model, quarter: Quarter) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|&s| StatusCount {
            code: s.code(),
            label: s.label(),
            badge: view::badge(s),
            count: model
                .indicators
                .iter()
                .filter(|i| i.quarter(quarter).map_or(Status::NoData, |q| q.status) == s)
                .count(),
        })
        .collect()
}

/// One quarter's status of every indicator, for the home page and the quarterly reports.
#[derive(Serialize)]
struct QuarterStatusRow<'a> {
    name: &'a str,
    href: String,
    area_name: &'a str,
    target: String,
    cell: view::QuarterCell,
}

fn quarter_rows<'a>(model: &'a Model, quarter: Quarter, base: &str) -> Vec<QuarterStatusRow<'a>> {
    model
        .indicators
        .iter()
        .filter_map(|i| {
            let q = i.quarter(quarter)?;
            Some(QuarterStatusRow {
                name: &i.name,
                href: Route::indicator(&i.id).href(base),
                area_name: model
                    .areas
                    .get(&i.area)
                    .map_or(i.area.as_str(), |a| a.short_name.as_str()),
                target: i.target_short(),
                cell: view::QuarterCell::new(i, q),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct IndicatorGroup<'a> {
    id: String,
    title: String,
    href: Option<String>,
    rows: Vec<IndicatorRow<'a>>,
}

/// The template of a job and its values.
pub fn context<'a>(
    model: &'a Model,
    job: &Job<'a>,
    shared: &'a Shared<'a>,
    all: &[Job<'a>],
) -> (&'static str, PageContext) {
    let base = shared.base.as_str();
    let mut c = PageContext::new();
    let route = job.route();
    let home = || crumb("首页", Route::home(), base);
    let mut meta = Meta {
        title: model.config.title.clone(),
        description: model.config.description.clone().unwrap_or_default(),
        href: route.href(base),
        canonical: route.absolute(&model.config.base_url),
        section: "home".into(),
        breadcrumbs: Vec::new(),
        draft: false,
        updated: job.updated(model),
    };
    let template = match job {
        Job::Home => {
            let counts = &shared.counts;
            let chapters: Vec<_> = model
                .areas
                .top_level()
                .map(|a| {
                    let children: Vec<_> = model
                        .areas
                        .children(&a.id)
                        .map(|c| {
                            AreaLink::new(c, counts.get(c.id.as_str()).copied().unwrap_or(0), base)
                        })
                        .collect();
                    (
                        AreaLink::new(a, counts.get(a.id.as_str()).copied().unwrap_or(0), base),
                        children,
                    )
                })
                .map(|(link, children)| AreaView {
                    link,
                    intro: None,
                    tasks: &[],
                    parent: None,
                    children,
                })
                .collect();
            c.insert("chapters", &chapters);
            c.insert(
                "latest",
                &cards(model, model.summaries.iter().take(LATEST), base),
            );
            if let Some(q) = model.latest_indicator_quarter() {
                c.insert("headline_quarter", &QuarterLink::new(q, 0, base));
                c.insert("headline_counts", &status_counts(model, q));
                c.insert("headline_rows", &quarter_rows(model, q, base));
                c.insert("targets_href", &Route::targets().href(base));
            }
            c.insert("quarters", &quarter_links(model, base));
            c.insert(
                "pages",
                &model
                    .pages
                    .iter()
                    .map(|p| crumb(&p.title, p.route(), base))
                    .collect::<Vec<_>>(),
            );
            "index.html"
        }
        Job::Summaries => {
            meta.title = "工作进展".into();
            meta.section = "summaries".into();
            meta.breadcrumbs = vec![home()];
            let counts = &shared.counts;
            let chapters: Vec<_> = model
                .areas
                .top_level()
                .map(|a| AreaView {
                    link: AreaLink::new(a, counts.get(a.id.as_str()).copied().unwrap_or(0), base),
                    intro: a.intro.as_deref(),
                    tasks: &[],
                    parent: None,
                    children: model
                        .areas
                        .children(&a.id)
                        .map(|ch| {
                            AreaLink::new(
                                ch,
                                counts.get(ch.id.as_str()).copied().unwrap_or(0),
                                base,
                            )
                        })
                        .collect(),
                })
                .collect();
            c.insert("chapters", &chapters);
            "summaries.html"
        }
        Job::Area(area) => {
            meta.title = area.name.clone();
            meta.description = format!("{}：工作要点与工作进展", area.name);
            meta.section = "summaries".into();
            meta.breadcrumbs = vec![home(), crumb("工作进展", Route::summaries(), base)];
            let parent = area.parent.as_deref().and_then(|p| model.areas.get(p));
            if let Some(p) = parent {
                meta.breadcrumbs
                    .push(crumb(&p.short_name, Route::area(&p.id), base));
            }
            let list = cards(model, model.summaries_of_area(&area.id), base);
            let counts = &shared.counts;
            c.insert(
                "area",
                &AreaView {
                    link: AreaLink::new(area, list.len(), base),
                    intro: area.intro.as_deref(),
                    tasks: &area.tasks,
                    parent: parent.map(|p| AreaLink::new(p, 0, base)),
                    children: model
                        .areas
                        .children(&area.id)
                        .map(|ch| {
                            AreaLink::new(
                                ch,
                                counts.get(ch.id.as_str()).copied().unwrap_or(0),
                                base,
                            )
                        })
                        .collect(),
                },
            );
            c.insert("summaries", &list);
            "area.html"
        }
        Job::Summary(s) => {
            let area = model.areas.get(&s.area);
            meta.title = s.title.clone();
            meta.description = super::view::excerpt(&s.body.text);
            meta.section = "summaries".into();
            meta.draft = s.draft;
            meta.breadcrumbs = vec![home(), crumb("工作进展", Route::summaries(), base)];
            if let Some(parent) = area
                .and_then(|a| a.parent.as_deref())
                .and_then(|p| model.areas.get(p))
            {
                meta.breadcrumbs
                    .push(crumb(&parent.short_name, Route::area(&parent.id), base));
            }
            if let Some(a) = area {
                meta.breadcrumbs
                    .push(crumb(&a.short_name, Route::area(&a.id), base));
            }
            c.insert(
                "summary",
                &SummaryView {
                    card: SummaryCard::new(s, area, base),
                    body_html: shared.expand(model, &s.body.html),
                    tasks: &s.tasks,
                    report_href: Route::report(s.quarter).href(base),
                },
            );
            "summary.html"
        }
        Job::Reports => {
            meta.title = "季度报告".into();
            meta.section = "reports".into();
            meta.breadcrumbs = vec![home()];
            c.insert("quarters", &quarter_links(model, base));
            c.insert(
                "archive_href",
                &(!model.archives.is_empty()).then(|| Route::archive().href(base)),
            );
            "reports.html"
        }
        Job::Report(q) => {
            meta.title = format!("{}工作进展报告", q.chinese());
            meta.description = format!("{}各领域工作进展", q.chinese());
            meta.section = "reports".into();
            meta.breadcrumbs = vec![home(), crumb("季度报告", Route::reports(), base)];
            #[derive(Serialize)]
            struct Group<'a> {
                area: AreaLink<'a>,
                summaries: Vec<SummaryCard<'a>>,
            }
            let groups: Vec<Group> = model
                .summaries_by_area(*q)
                .into_iter()
                .map(|(area, list)| Group {
                    area: AreaLink::new(area, list.len(), base),
                    summaries: cards(model, list.into_iter(), base),
                })
                .collect();
            c.insert(
                "quarter",
                &QuarterLink::new(*q, groups.iter().map(|g| g.summaries.len()).sum(), base),
            );
            c.insert("groups", &groups);
            let rows = quarter_rows(model, *q, base);
            if !rows.is_empty() {
                c.insert("status_counts", &status_counts(model, *q));
                c.insert("status_rows", &rows);
            }
            "report.html"
        }
        Job::Targets | Job::TargetsByLead => {
            meta.title = if matches!(job, Job::Targets) {
                "目标完成情况".into()
            } else {
                "目标完成情况（按牵头单位）".into()
            };
            meta.description = "2024年全市生态环境工作要点各项目标的季度完成情况".into();
            meta.section = "targets".into();
            meta.breadcrumbs = vec![home()];
            if matches!(job, Job::TargetsByLead) {
                meta.breadcrumbs
                    .push(crumb("目标完成情况", Route::targets(), base));
            }
            let groups: Vec<IndicatorGroup> = if matches!(job, Job::Targets) {
                model
                    .areas
                    .iter()
                    .filter_map(|a| {
                        let rows =
                            shared.rows(model, model.indicators.iter().filter(|i| i.area == a.id));
                        (!rows.is_empty()).then(|| IndicatorGroup {
                            id: format!("area-{}", a.id),
                            title: a.name.clone(),
                            href: Some(Route::area(&a.id).href(base)),
                            rows,
                        })
                    })
                    .collect()
            } else {
                let mut leads: Vec<&str> = model
                    .indicators
                    .iter()
                    .map(|i| i.lead.as_deref().unwrap_or(""))
                    .collect();
                leads.sort_unstable();
                leads.dedup();
                leads
                    .into_iter()
                    .enumerate()
                    .map(|(n, lead)| IndicatorGroup {
                        id: format!("lead-{}", n + 1),
                        title: if lead.is_empty() {
                            "未注明牵头单位".into()
                        } else {
                            lead.to_string()
                        },
                        href: None,
                        rows: shared.rows(
                            model,
                            model
                                .indicators
                                .iter()
                                .filter(|i| i.lead.as_deref().unwrap_or("") == lead),
                        ),
                    })
                    .collect()
            };
            let quarters: Vec<String> = model
                .indicator_quarters()
                .iter()
                .map(|q| q.chinese_short().to_string())
                .collect();
            c.insert("groups", &groups);
            c.insert("quarters", &quarters);
            c.insert("by_lead", &matches!(job, Job::TargetsByLead));
            c.insert("by_area_href", &Route::targets().href(base));
            c.insert("by_lead_href", &Route::targets_by_lead().href(base));
            c.insert(
                "methodology_href",
                &model
                    .pages
                    .iter()
                    .find(|p| p.slug == "methodology")
                    .map(|p| p.route().href(base)),
            );
            "targets.html"
        }
        Job::Indicator(i) => {
            let area = model.areas.get(&i.area);
            meta.title = i.name.clone();
            meta.description = chart::summary(i);
            meta.section = "targets".into();
            meta.breadcrumbs = vec![home(), crumb("目标完成情况", Route::targets(), base)];
            let svg = shared
                .charts
                .get(i.id.as_str())
                .map_or("", |c| c.chart.as_str());
            #[derive(Serialize)]
            struct IndicatorPage<'a> {
                #[serde(flatten)]
                row: IndicatorRow<'a>,
                name_en: Option<&'a str>,
                description: Option<&'a str>,
                figure_html: String,
                table_html: String,
                rule: String,
                source: Option<&'a str>,
                partners: &'a [String],
                csv_href: String,
                all_csv_href: String,
                all_json_href: String,
                summaries: Vec<SummaryCard<'a>>,
            }
            c.insert(
                "indicator",
                &IndicatorPage {
                    row: IndicatorRow::new(i, area, shared.sparkline(&i.id), base),
                    name_en: i.name_en.as_deref(),
                    description: i.description.as_deref(),
                    figure_html: view::figure(i, svg, base, false),
                    table_html: view::data_table(i),
                    rule: status::rule_text(i.kind, i.target.rule, &i.unit_suffix()),
                    source: i.target.source.as_deref(),
                    partners: &i.partners,
                    csv_href: Route::data_file(&format!("targets/{}.csv", i.id)).href(base),
                    all_csv_href: Route::data_file("indicators.csv").href(base),
                    all_json_href: Route::data_file("indicators.json").href(base),
                    summaries: cards(
                        model,
                        model
                            .summaries
                            .iter()
                            .filter(|s| s.indicators.contains(&i.id)),
                        base,
                    ),
                },
            );
            "indicator.html"
        }
        Job::Data => {
            meta.title = "开放数据".into();
            meta.description = "目标完成情况等数据的下载与说明".into();
            meta.section = "data".into();
            meta.breadcrumbs = vec![home()];
            let catalogue = crate::render::open_data::catalogue(model);
            c.insert("datasets", &catalogue.datasets(base));
            c.insert("json_ld", &catalogue.json_ld(&model.config.base_url));
            c.insert(
                "licence_href",
                &model
                    .pages
                    .iter()
                    .find(|p| p.slug == "licence")
                    .map(|p| p.route().href(base)),
            );
            c.insert(
                "datapackage_href",
                &Route::data_file("datapackage.json").href(base),
            );
            "data.html"
        }
        Job::Search => {
            meta.title = "搜索".into();
            meta.description = "搜索本站的工作进展、指标、设施和六五环境日内容".into();
            meta.section = "search".into();
            meta.breadcrumbs = vec![home()];
            c.insert("search_href", &Route::search().href(base));
            c.insert("script_href", &Route::file("assets/search.js").href(base));
            c.insert("data_href", &Route::data().href(base));
            "search.html"
        }
        Job::Archive => {
            meta.title = "往期报告".into();
            meta.description = "各季度存档的工作报告与数据".into();
            meta.section = "reports".into();
            meta.breadcrumbs = vec![home()];
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
            let links: Vec<ArchiveLink> = model
                .archives
                .iter()
                .map(|a| ArchiveLink {
                    period: &a.period,
                    label: &a.label,
                    created: a.created.as_deref().map(|c| c.get(..10).unwrap_or(c)),
                    report_href: Route::file(&format!("archive/{}/report.html", a.period))
                        .href(base),
                    pdf_href: a.has_pdf.then(|| {
                        Route::file(&format!("archive/{}/report.pdf", a.period)).href(base)
                    }),
                    data_href: Route::file(&format!("archive/{}/data/datapackage.json", a.period))
                        .href(base),
                    manifest_href: Route::file(&format!("archive/{}/SHA256SUMS", a.period))
                        .href(base),
                })
                .collect();
            c.insert("archives", &links);
            "archive.html"
        }
        Job::EnvironmentDayIndex => {
            meta.title = model
                .environment_day_intro
                .as_ref()
                .map_or("六五环境日".to_string(), |i| i.title.clone());
            meta.description = "历年六五环境日主题与芜湖市活动".into();
            meta.section = "environment-day".into();
            meta.breadcrumbs = vec![home()];
            #[derive(Serialize)]
            struct YearLink {
                year: i32,
                theme: String,
                href: String,
                events: usize,
            }
            let years: Vec<YearLink> = model
                .environment_days
                .iter()
                .map(|d| YearLink {
                    year: d.year,
                    theme: d.theme.clone(),
                    href: Route::environment_day(d.year).href(base),
                    events: d.events.len(),
                })
                .collect();
            c.insert("years", &years);
            c.insert(
                "intro_html",
                &model
                    .environment_day_intro
                    .as_ref()
                    .map(|i| shared.expand(model, &i.body.html)),
            );
            "environment-day-index.html"
        }
        Job::EnvironmentDay(d) => {
            meta.title = format!("{}年六五环境日", d.year);
            meta.description = format!("{}年六五环境日主题：{}", d.year, d.theme);
            meta.section = "environment-day".into();
            meta.breadcrumbs = vec![
                home(),
                crumb("六五环境日", Route::environment_day_index(), base),
            ];
            #[derive(Serialize)]
            struct WinnerView<'a> {
                award: Option<&'a str>,
                title: &'a str,
                author: Option<&'a str>,
                image: Option<view::ImageView>,
            }
            #[derive(Serialize)]
            struct DownloadView<'a> {
                title: &'a str,
                href: String,
                format: &'a str,
                size: String,
            }
            let winners: Vec<WinnerView> = d
                .contest
                .iter()
                .flat_map(|c| c.winners.iter())
                .map(|w| WinnerView {
                    award: w.award.as_deref(),
                    title: &w.title,
                    author: w.author.as_deref(),
                    image: shared.image(Some(&w.image), &w.alt),
                })
                .collect();
            let downloads: Vec<DownloadView> = d
                .downloads
                .iter()
                .map(|f| DownloadView {
                    title: &f.title,
                    href: Route::file(&f.file).href(base),
                    format: &f.format,
                    size: open_data::human_size(f.bytes),
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
            "environment-day.html"
        }
        Job::Facilities | Job::FacilityCategory(_) | Job::FacilityDistrict(_) => {
            meta.section = "facilities".into();
            meta.breadcrumbs = vec![home()];
            let selected: Vec<&Facility> = model
                .facilities
                .iter()
                .filter(|f| match job {
                    Job::FacilityCategory(c) => f.category == *c,
                    Job::FacilityDistrict(d) => f.district == *d,
                    _ => true,
                })
                .collect();
            meta.title = match job {
                Job::FacilityCategory(c) => format!("向公众开放的{}", c.label()),
                Job::FacilityDistrict(d) => format!("{d}向公众开放的环保设施"),
                _ => "环保设施向公众开放".into(),
            };
            if !matches!(job, Job::Facilities) {
                meta.breadcrumbs
                    .push(crumb("环保设施向公众开放", Route::facilities(), base));
            }
            meta.description = "芜湖市向公众开放的环境监测、污水处理、垃圾处理、危险废物和电子废物处理设施及预约方式".into();
            let groups: Vec<view::FacilityGroup> = Category::ALL
                .into_iter()
                .filter_map(|c| {
                    let list: Vec<_> = selected
                        .iter()
                        .filter(|f| f.category == c)
                        .map(|f| shared.facility(f))
                        .collect();
                    (!list.is_empty()).then(|| view::FacilityGroup {
                        id: format!("category-{}", c.code()),
                        title: c.label().to_string(),
                        href: Route::facility_category(c.code()).href(base),
                        count: list.len(),
                        facilities: list,
                    })
                })
                .collect();
            let categories: Vec<view::FilterLink> = Category::ALL
                .into_iter()
                .map(|c| view::FilterLink {
                    title: c.label().to_string(),
                    href: Route::facility_category(c.code()).href(base),
                    count: model.facilities.iter().filter(|f| f.category == c).count(),
                    current: matches!(job, Job::FacilityCategory(x) if *x == c),
                })
                .collect();
            let districts: Vec<view::FilterLink> = facility::DISTRICTS
                .into_iter()
                .map(|d| view::FilterLink {
                    title: d.to_string(),
                    href: Route::facility_district(facility::district_slug(d)).href(base),
                    count: model.facilities.iter().filter(|f| f.district == d).count(),
                    current: matches!(job, Job::FacilityDistrict(x) if *x == d),
                })
                .collect();
            c.insert("groups", &groups);
            c.insert("categories", &categories);
            c.insert("districts", &districts);
            c.insert("total", &selected.len());
            c.insert("all_href", &Route::facilities().href(base));
            c.insert("filtered", &!matches!(job, Job::Facilities));
            c.insert(
                "map_svg",
                &if matches!(job, Job::Facilities) {
                    shared.facility_map.as_str()
                } else {
                    ""
                },
            );
            c.insert("data_href", &Route::data().href(base));
            "facilities.html"
        }
        Job::Facility(f) => {
            meta.title = f.name.clone();
            meta.description = f
                .description
                .clone()
                .unwrap_or_else(|| format!("{}，{}，{}", f.name, f.category.label(), f.district));
            meta.section = "facilities".into();
            meta.breadcrumbs = vec![
                home(),
                crumb("环保设施向公众开放", Route::facilities(), base),
                crumb(
                    f.category.label(),
                    Route::facility_category(f.category.code()),
                    base,
                ),
            ];
            c.insert("facility", &shared.facility(f));
            "facility.html"
        }
        Job::Page(p) => {
            meta.title = p.title.clone();
            meta.description = p
                .description
                .clone()
                .unwrap_or_else(|| super::view::excerpt(&p.body.text));
            meta.section = format!("page:{}", p.slug);
            meta.draft = p.draft;
            meta.breadcrumbs = vec![home()];
            c.insert(
                "page",
                &PageView {
                    title: &p.title,
                    body_html: shared.expand(model, &p.body.html),
                },
            );
            "page.html"
        }
        Job::NotFound => {
            meta.title = "页面未找到".into();
            meta.section = "none".into();
            "404.html"
        }
        Job::Feed => {
            let entries: Vec<FeedEntry> = model
                .summaries
                .iter()
                .take(FEED_ENTRIES)
                .map(|s| FeedEntry {
                    title: &s.title,
                    url: s.route().absolute(&model.config.base_url),
                    updated: s.date.rfc3339(),
                    summary: super::view::excerpt(&s.body.text),
                    content_html: &s.body.html,
                    category: model
                        .areas
                        .get(&s.area)
                        .map_or(s.area.as_str(), |a| a.short_name.as_str()),
                })
                .collect();
            let updated = model.summaries.iter().map(|s| s.date).max().map_or_else(
                || format!("{}-01-01T00:00:00+08:00", model.config.year.unwrap_or(2024)),
                |d| d.rfc3339(),
            );
            c.insert("entries", &entries);
            c.insert("updated", &updated);
            c.insert("feed_url", &Route::feed().absolute(&model.config.base_url));
            "feed.xml"
        }
        Job::Sitemap => {
            let entries: Vec<SitemapEntry> = all
                .iter()
                .filter(|j| j.is_listed())
                .map(|j| SitemapEntry {
                    loc: j.route().absolute(&model.config.base_url),
                    lastmod: j.updated(model),
                })
                .collect();
            c.insert("entries", &entries);
            "sitemap.xml"
        }
        Job::Robots => {
            c.insert(
                "sitemap_url",
                &Route::sitemap().absolute(&model.config.base_url),
            );
            "robots.txt"
        }
    };
    c.insert("meta", &meta);
    (template, c)
}

fn quarter_links(model: &Model, base: &str) -> Vec<QuarterLink> {
    model
        .quarters()
        .into_iter()
        .map(|q| {
            QuarterLink::new(
                q,
                model.summaries.iter().filter(|s| s.quarter == q).count(),
                base,
            )
        })
        .collect()
}

/// Every page worth finding, as the search index sees it.
pub fn search_documents(model: &Model, base: &str) -> Vec<crate::render::search::Document> {
    use crate::render::search::Document;
    let mut docs = Vec::new();
    for s in &model.summaries {
        let area = model
            .areas
            .get(&s.area)
            .map_or(s.area.as_str(), |a| a.short_name.as_str());
        docs.push(Document {
            url: s.route().href(base),
            title: s.title.clone(),
            section: format!("工作进展 · {area}"),
            text: s.body.text.clone(),
        });
    }
    for i in &model.indicators {
        let text = format!(
            "{} {} {} {}",
            i.name,
            i.description.clone().unwrap_or_default(),
            i.target.text,
            chart::summary(i)
        );
        docs.push(Document {
            url: Route::indicator(&i.id).href(base),
            title: i.name.clone(),
            section: "目标完成情况".into(),
            text,
        });
    }
    for f in &model.facilities {
        let text = format!(
            "{} {} {} {} {}",
            f.category.label(),
            f.district,
            f.address,
            f.description.clone().unwrap_or_default(),
            f.highlights.join(" ")
        );
        docs.push(Document {
            url: Route::facility(&f.id).href(base),
            title: f.name.clone(),
            section: "环保设施向公众开放".into(),
            text,
        });
    }
    for d in &model.environment_days {
        let mut text = format!("主题：{} ", d.theme);
        for e in d.main_event.iter().chain(&d.events) {
            text.push_str(&format!(
                "{} {} {} ",
                e.title,
                e.place.clone().unwrap_or_default(),
                e.summary.clone().unwrap_or_default()
            ));
        }
        for w in d.contest.iter().flat_map(|c| &c.winners) {
            text.push_str(&format!(
                "{} {} ",
                w.title,
                w.author.clone().unwrap_or_default()
            ));
        }
        docs.push(Document {
            url: Route::environment_day(d.year).href(base),
            title: format!("{}年六五环境日", d.year),
            section: "六五环境日".into(),
            text,
        });
    }
    for a in model.areas.iter() {
        let text = format!(
            "{} {}",
            a.intro.clone().unwrap_or_default(),
            a.tasks.join(" ")
        );
        docs.push(Document {
            url: Route::area(&a.id).href(base),
            title: a.name.clone(),
            section: "工作要点".into(),
            text,
        });
    }
    for p in &model.pages {
        docs.push(Document {
            url: p.route().href(base),
            title: p.title.clone(),
            section: "关于".into(),
            text: p.body.text.clone(),
        });
    }
    docs
}
