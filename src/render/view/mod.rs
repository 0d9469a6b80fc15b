//! What templates see: small serialisable views of the model, each field ready to print.
//! Links are computed here from `Route`, so templates never build a URL themselves.

use serde::Serialize;

use crate::model::area::Area;
use crate::model::config::{Contact, Footer, SiteConfig};
use crate::model::facility::{Booking, Facility};
use crate::model::indicator::{Change, Direction, Flag, Indicator, QuarterValue};
use crate::model::period::Quarter;
use crate::model::route::Route;
use crate::model::status::{Kind, Status};
use crate::model::summary::Summary;
use crate::model::task::{Progress, TaskStatus};
use crate::render::chart;
use crate::text::{format_number, percent_encode_segment};

mod task;
pub use task::{reported_in, task_counts, TaskCount, TaskRow, TaskSource};

/// The stylesheet of status colours, generated from `status` so that it never drifts.
pub const STATUS_CSS: &str = "assets/status.css";

/// Site-wide values, set once as the templates' global context.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub description: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub sample_data: bool,
    /// The work plan the site reports on: 《…》 without the marks.
    pub plan_title: String,
    pub organization: Option<&'a str>,
    /// The organisation above the title in the header, unless the title already names it.
    pub header_organization: Option<&'a str>,
    pub footer: &'a Footer,
    pub contact: &'a Contact,
    pub home_href: String,
    pub search_href: String,
    pub feed_href: String,
    pub site_map_href: String,
    pub contact_href: String,
    /// The host of the site's address, for the SiteDomain metadata.
    pub domain: String,
    pub emblem_src: Option<String>,
    pub police_badge_src: Option<String>,
    pub stylesheet_href: String,
    pub status_stylesheet_href: String,
    pub a11y_script_href: String,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a SiteConfig, base_path: &'a str) -> Self {
        SiteView {
            title: &config.title,
            title_en: config.title_en.as_deref(),
            description: config.description.as_deref(),
            base_url: &config.base_url,
            base_path,
            language: &config.language,
            sample_data: config.sample_data,
            plan_title: config.plan_title(),
            organization: config.organization.as_deref(),
            header_organization: config
                .organization
                .as_deref()
                .filter(|o| !config.title.contains(o)),
            footer: &config.footer,
            contact: &config.contact,
            home_href: Route::home().href(base_path),
            search_href: Route::search().href(base_path),
            feed_href: Route::feed().href(base_path),
            site_map_href: Route::site_map().href(base_path),
            contact_href: Route::contact().href(base_path),
            domain: config
                .base_url
                .split_once("://")
                .map_or("", |(_, rest)| rest)
                .split('/')
                .next()
                .unwrap_or("")
                .to_string(),
            emblem_src: config
                .footer
                .emblem
                .as_deref()
                .map(|p| Route::file(p).href(base_path)),
            police_badge_src: config
                .footer
                .police_badge
                .as_deref()
                .map(|p| Route::file(p).href(base_path)),
            stylesheet_href: Route::file("assets/style.css").href(base_path),
            status_stylesheet_href: Route::file(STATUS_CSS).href(base_path),
            a11y_script_href: Route::file("assets/a11y.js").href(base_path),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// A navigation entry; `key` marks the section a page belongs to.
#[derive(Serialize)]
pub struct NavItem {
    pub key: String,
    pub title: String,
    pub href: String,
}

/// Facts about the page being rendered, used by the base layout.
#[derive(Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub href: String,
    pub canonical: String,
    /// The navigation key this page is under.
    pub section: String,
    pub breadcrumbs: Vec<Link>,
    pub draft: bool,
    /// When the content last changed (from the content, never the clock).
    pub updated: Option<String>,
    /// The column (栏目) the page is in, for the metadata every government page carries.
    pub column: ColumnMeta,
    /// An article's provenance: set by the pages that publish one (a summary, a free page, an
    /// Environment Day year).
    pub article: Option<Article>,
}

/// A column's metadata: its name from the navigation, the rest from site.yaml `columns`.
#[derive(Serialize, Default)]
pub struct ColumnMeta {
    pub name: String,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub kind: Option<String>,
}

/// Who published an article and when (来源, 发布时间), and what it is about.
#[derive(Serialize, Default)]
pub struct Article {
    /// `2024-07-10 10:30`, or the date alone when the content gives no time.
    pub published: Option<String>,
    /// `2024年7月10日 10:30`
    pub published_text: Option<String>,
    /// For `<time datetime>`: `2024-07-10T10:30+08:00`, or the date alone.
    pub published_datetime: Option<String>,
    /// The publishing unit: the page's `source`, else the site's organisation.
    pub source: String,
    pub author: Option<String>,
    pub keywords: Vec<String>,
    /// An image of the article, as an absolute URL.
    pub image: Option<String>,
}

impl Article {
    /// An article with `provenance`, published on `date` when the content says.
    pub fn new(
        config: &SiteConfig,
        provenance: &crate::model::page::Provenance,
        date: Option<crate::model::period::Date>,
    ) -> Self {
        let source = provenance
            .source
            .as_deref()
            .or(config.organization.as_deref())
            .unwrap_or(&config.title)
            .to_string();
        let time = provenance.time.as_deref();
        let join = |day: String| match time {
            Some(t) => format!("{day} {t}"),
            None => day,
        };
        Article {
            published: date.map(|d| join(d.to_string())),
            published_text: date.map(|d| join(d.chinese())),
            published_datetime: date.map(|d| match time {
                Some(t) => format!("{d}T{t}+08:00"),
                None => d.to_string(),
            }),
            source,
            author: provenance.author.clone(),
            keywords: provenance.keywords.clone(),
            image: None,
        }
    }
}

#[derive(Serialize)]
pub struct SummaryCard<'a> {
    pub title: &'a str,
    pub href: String,
    pub date: String,
    pub date_text: String,
    pub quarter: String,
    pub quarter_label: String,
    pub area_name: &'a str,
    pub area_href: String,
    pub excerpt: String,
    pub draft: bool,
}

impl<'a> SummaryCard<'a> {
    pub fn new(s: &'a Summary, area: Option<&'a Area>, base_path: &str) -> Self {
        SummaryCard {
            title: &s.title,
            href: s.route().href(base_path),
            date: s.date.to_string(),
            date_text: s.date.chinese(),
            quarter: s.quarter.to_string(),
            quarter_label: s.quarter.chinese(),
            area_name: area.map_or(s.area.as_str(), |a| a.short_name.as_str()),
            area_href: Route::area(&s.area).href(base_path),
            excerpt: s
                .description
                .clone()
                .unwrap_or_else(|| s.body.excerpt.clone()),
            draft: s.draft,
        }
    }
}

#[derive(Serialize)]
pub struct SummaryView<'a> {
    #[serde(flatten)]
    pub card: SummaryCard<'a>,
    pub body_html: String,
    pub tasks: Vec<TaskRow<'a>>,
    pub report_href: String,
}

#[derive(Serialize)]
pub struct AreaLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub number: Option<&'a str>,
    pub href: String,
    pub count: usize,
}

impl<'a> AreaLink<'a> {
    pub fn new(area: &'a Area, count: usize, base_path: &str) -> Self {
        AreaLink {
            id: &area.id,
            name: &area.name,
            short_name: &area.short_name,
            number: area.number.as_deref(),
            href: Route::area(&area.id).href(base_path),
            count,
        }
    }
}

#[derive(Serialize)]
pub struct AreaView<'a> {
    #[serde(flatten)]
    pub link: AreaLink<'a>,
    pub intro: Option<&'a str>,
    pub tasks: Vec<TaskRow<'a>>,
    pub parent: Option<AreaLink<'a>>,
    pub children: Vec<AreaLink<'a>>,
}

#[derive(Serialize)]
pub struct QuarterLink {
    pub quarter: String,
    pub label: String,
    pub href: String,
    pub count: usize,
}

impl QuarterLink {
    pub fn new(quarter: Quarter, count: usize, base_path: &str) -> Self {
        QuarterLink {
            quarter: quarter.to_string(),
            label: quarter.chinese(),
            href: Route::report(quarter).href(base_path),
            count,
        }
    }
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub body_html: String,
}

/// A status as its badge shows it: colour (by code), symbol and words, so that colour is never
/// the only signal. The theme's `status_badge` component draws it, with the target and period
/// it belongs to as data attributes so that a test can check every page against the data.
#[derive(Serialize, Clone)]
pub struct Badge {
    pub code: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
    /// The target whose status this is; none on a legend or a count.
    pub indicator: Option<String>,
    /// The task whose status this is; none on a target's badge, a legend or a count.
    pub task: Option<String>,
    /// `2024-Q3`; none on a legend or a count.
    pub period: Option<String>,
}

impl From<Status> for Badge {
    fn from(status: Status) -> Self {
        Badge {
            code: status.code(),
            symbol: status.symbol(),
            label: status.label(),
            indicator: None,
            task: None,
            period: None,
        }
    }
}

impl From<TaskStatus> for Badge {
    fn from(status: TaskStatus) -> Self {
        Badge {
            code: status.code(),
            symbol: status.symbol(),
            label: status.label(),
            indicator: None,
            task: None,
            period: None,
        }
    }
}

impl Badge {
    /// The status of one target in one quarter.
    pub fn of(indicator: &Indicator, q: &QuarterValue) -> Self {
        Badge {
            indicator: Some(indicator.id.clone()),
            period: Some(q.quarter.to_string()),
            ..q.status.into()
        }
    }

    /// The status of one task in one quarter.
    pub fn task(id: &str, p: &Progress) -> Self {
        Badge {
            task: Some(id.to_string()),
            period: Some(p.quarter.to_string()),
            ..p.status.into()
        }
    }
}

/// The stylesheet of the status colours, generated from the one definition in `status`.
pub fn status_css() -> String {
    let mut css = String::new();
    for s in Status::ALL {
        let (background, ink) = if !s.is_judged() {
            ("#ffffff", s.colour())
        } else {
            (s.colour(), "#ffffff")
        };
        css.push_str(&format!(
            ".status-{}{{background:{background};color:{ink};border-color:{}}}\n",
            s.code(),
            s.colour()
        ));
    }
    for s in TaskStatus::ALL {
        let (background, ink) = if s.is_reported() {
            (s.colour(), "#ffffff")
        } else {
            ("#ffffff", s.colour())
        };
        css.push_str(&format!(
            ".status-{}{{background:{background};color:{ink};border-color:{}}}\n",
            s.code(),
            s.colour()
        ));
    }
    css
}

/// One quarter of an indicator, ready to print.
#[derive(Serialize)]
pub struct QuarterCell {
    pub quarter: String,
    pub label: String,
    pub value: Option<String>,
    /// What a year-to-date value covers (`1—9月累计`), so that it is never read as the
    /// quarter's own figure; none for qualitative targets.
    pub basis: Option<String>,
    pub status: &'static str,
    pub badge: Badge,
    pub flag: Option<&'static str>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub yoy: Option<YearOnYear>,
}

/// The change from the same period of the previous year (同比), in words.
#[derive(Serialize)]
pub struct YearOnYear {
    /// `better`, `worse`, `same` or `changed`.
    pub direction: &'static str,
    /// `同比下降 1.4 微克/立方米（改善）`
    pub text: String,
    /// `上年同期 35.2 微克/立方米`
    pub previous: String,
}

impl YearOnYear {
    fn new(indicator: &Indicator, change: Change) -> Self {
        let amount = if indicator.is_percentage() {
            format!("{} 个百分点", format_number(change.delta.abs()))
        } else {
            indicator.format_value(change.delta.abs())
        };
        let text = match change.direction {
            Direction::Same => "与上年同期持平".to_string(),
            direction => {
                let way = if change.delta > 0.0 {
                    "上升"
                } else {
                    "下降"
                };
                match direction {
                    Direction::Changed => format!("同比{way} {amount}"),
                    _ => format!("同比{way} {amount}（{}）", direction.label()),
                }
            }
        };
        YearOnYear {
            direction: change.direction.code(),
            text,
            previous: format!("上年同期 {}", indicator.format_value(change.previous)),
        }
    }
}

impl QuarterCell {
    pub fn new(indicator: &Indicator, q: &QuarterValue) -> Self {
        QuarterCell {
            quarter: q.quarter.to_string(),
            label: q.quarter.chinese(),
            value: q.value.map(|v| indicator.format_value(v)),
            basis: (indicator.kind != Kind::Qualitative)
                .then(|| format!("{}累计", q.quarter.to_date())),
            status: q.status.code(),
            badge: Badge::of(indicator, q),
            flag: q.flag.map(Flag::label),
            note: q.note.clone(),
            evidence: q.evidence.clone(),
            yoy: indicator
                .change_from_last_year(q)
                .map(|c| YearOnYear::new(indicator, c)),
        }
    }
}

/// An indicator as listed in overview tables.
#[derive(Serialize)]
pub struct IndicatorRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub href: String,
    pub area_name: &'a str,
    pub area_href: String,
    pub kind: &'static str,
    pub unit: &'a str,
    pub target: String,
    pub target_text: &'a str,
    pub lead: Option<&'a str>,
    pub quarters: Vec<QuarterCell>,
    /// At the site's latest reporting period, the one every page speaks of.
    pub current: Option<QuarterCell>,
    /// The target's own latest judged quarter, when that is earlier than the site's period.
    pub last_judged: Option<QuarterCell>,
    pub sparkline: &'a str,
}

impl<'a> IndicatorRow<'a> {
    pub fn new(
        indicator: &'a Indicator,
        area: Option<&'a Area>,
        sparkline: &'a str,
        period: Option<Quarter>,
        base: &str,
    ) -> Self {
        let current = period.and_then(|p| indicator.quarter(p));
        IndicatorRow {
            id: &indicator.id,
            name: &indicator.name,
            href: Route::indicator(&indicator.id).href(base),
            area_name: area.map_or(indicator.area.as_str(), |a| a.short_name.as_str()),
            area_href: Route::area(&indicator.area).href(base),
            kind: indicator.kind.label(),
            unit: &indicator.unit,
            target: indicator.target_short(),
            target_text: &indicator.target.text,
            lead: indicator.lead.as_deref(),
            quarters: indicator
                .quarters
                .iter()
                .map(|q| QuarterCell::new(indicator, q))
                .collect(),
            current: current.map(|q| QuarterCell::new(indicator, q)),
            last_judged: indicator
                .latest()
                .filter(|l| current.is_some_and(|c| l.quarter < c.quarter))
                .map(|q| QuarterCell::new(indicator, q)),
            sparkline,
        }
    }
}

/// The chart of an indicator with the sentence that says what it shows and, where asked, its
/// data table folded beside it. The theme's `chart_figure` component draws it.
#[derive(Serialize)]
pub struct Figure<'a> {
    pub svg: &'a str,
    pub summary: String,
    pub href: String,
    pub table: Option<DataTable<'a>>,
}

impl<'a> Figure<'a> {
    pub fn new(indicator: &'a Indicator, svg: &'a str, base: &str, with_table: bool) -> Self {
        Figure {
            svg,
            summary: chart::summary(indicator),
            href: Route::indicator(&indicator.id).href(base),
            table: with_table.then(|| DataTable::new(indicator)),
        }
    }
}

/// The data table of an indicator: each quarter's value, status, flag and notes, then the
/// values of past years. The theme's `data_table` component draws it.
#[derive(Serialize)]
pub struct DataTable<'a> {
    pub name: &'a str,
    pub value_heading: &'static str,
    pub rows: Vec<DataRow>,
    pub history: Vec<HistoryRow>,
}

#[derive(Serialize)]
pub struct DataRow {
    pub label: String,
    pub value: Option<String>,
    pub badge: Badge,
    pub flag: Option<&'static str>,
    /// The note and the evidence, where given.
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct HistoryRow {
    /// `2023年（全年）` or `2023年1—9月`
    pub label: String,
    pub value: String,
}

impl<'a> DataTable<'a> {
    pub fn new(indicator: &'a Indicator) -> Self {
        let rows = indicator
            .quarters
            .iter()
            .map(|q| {
                let cell = QuarterCell::new(indicator, q);
                let yoy = cell.yoy.map(|y| format!("{}，{}", y.text, y.previous));
                DataRow {
                    label: cell.label,
                    value: cell.value,
                    badge: cell.badge,
                    flag: cell.flag,
                    notes: [yoy, cell.note, cell.evidence]
                        .into_iter()
                        .flatten()
                        .collect(),
                }
            })
            .collect();
        let annual = indicator.history.iter().map(|(year, value)| {
            (
                Quarter {
                    year: *year,
                    number: 4,
                },
                format!("{year}年（全年）"),
                *value,
            )
        });
        let quarterly = indicator
            .quarter_history
            .iter()
            .filter(|(q, _)| q.number < 4 || !indicator.history.iter().any(|(y, _)| *y == q.year))
            .map(|(q, value)| (*q, format!("{}年{}", q.year, q.to_date()), *value));
        let mut history: Vec<_> = annual.chain(quarterly).collect();
        history.sort_by_key(|(q, _, _)| std::cmp::Reverse(*q));
        let history = history
            .into_iter()
            .map(|(_, label, value)| HistoryRow {
                label,
                value: indicator.format_value(value),
            })
            .collect();
        DataTable {
            name: &indicator.name,
            value_heading: if indicator.kind == Kind::Qualitative {
                "数值"
            } else {
                "数值（年内累计）"
            },
            rows,
            history,
        }
    }
}

/// An image as a page shows it: the thumbnail with its size, linking to the original.
#[derive(Serialize, Clone)]
pub struct ImageView {
    pub src: String,
    pub thumb_src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

#[derive(Serialize)]
pub struct MapLink {
    pub title: &'static str,
    pub href: String,
}

/// Links that open a point in the common map services; all take WGS84 coordinates.
pub fn map_links(name: &str, lat: f64, lon: f64) -> Vec<MapLink> {
    let name = percent_encode_segment(name);
    vec![
        MapLink {
            title: "高德地图",
            href: format!("https://uri.amap.com/marker?position={lon},{lat}&name={name}&coordinate=wgs84&callnative=0"),
        },
        MapLink {
            title: "百度地图",
            href: format!("https://api.map.baidu.com/marker?location={lat},{lon}&title={name}&content={name}&coord_type=wgs84&output=html&src=ecosite"),
        },
        MapLink {
            title: "OpenStreetMap",
            href: format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"),
        },
    ]
}

#[derive(Serialize)]
pub struct FacilityView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub href: String,
    pub category: &'static str,
    pub category_label: &'static str,
    pub category_href: String,
    pub district: &'a str,
    pub district_href: String,
    pub address: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub open_time: Option<&'a str>,
    pub booking: &'a Booking,
    pub capacity: Option<&'a str>,
    pub highlights: &'a [String],
    pub description: Option<&'a str>,
    pub image: Option<ImageView>,
    pub map_links: Vec<MapLink>,
}

impl<'a> FacilityView<'a> {
    pub fn new(f: &'a Facility, image: Option<ImageView>, district_slug: &str, base: &str) -> Self {
        FacilityView {
            id: &f.id,
            name: &f.name,
            href: Route::facility(&f.id).href(base),
            category: f.category.code(),
            category_label: f.category.label(),
            category_href: Route::facility_category(f.category.code()).href(base),
            district: &f.district,
            district_href: Route::facility_district(district_slug).href(base),
            address: &f.address,
            lat: f.lat,
            lon: f.lon,
            open_time: f.open_time.as_deref(),
            booking: &f.booking,
            capacity: f.capacity.as_deref(),
            highlights: &f.highlights,
            description: f.description.as_deref(),
            image,
            map_links: map_links(&f.name, f.lat, f.lon),
        }
    }
}

/// A group of facilities with its count, as the list pages show them.
#[derive(Serialize)]
pub struct FacilityGroup<'a> {
    pub id: String,
    pub title: String,
    pub href: String,
    pub count: usize,
    pub facilities: Vec<FacilityView<'a>>,
}

/// A filter link: a category or a district and how many facilities it has.
#[derive(Serialize)]
pub struct FilterLink {
    pub title: String,
    pub href: String,
    pub count: usize,
    pub current: bool,
}
