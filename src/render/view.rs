//! What templates see: small serialisable views of the model, each field ready to print.
//! Links are computed here from `Route`, so templates never build a URL themselves.

use serde::Serialize;

use crate::area::Area;
use crate::config::{Contact, Footer, SiteConfig};
use crate::page::Page;
use crate::period::Quarter;
use crate::route::Route;
use crate::summary::{Summary, Task};

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
    pub organization: Option<&'a str>,
    /// The organisation above the title in the header, unless the title already names it.
    pub header_organization: Option<&'a str>,
    pub footer: &'a Footer,
    pub contact: &'a Contact,
    pub feed_href: String,
    pub stylesheet_href: String,
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
            organization: config.organization.as_deref(),
            header_organization: config
                .organization
                .as_deref()
                .filter(|o| !config.title.contains(o)),
            footer: &config.footer,
            contact: &config.contact,
            feed_href: Route::feed().href(base_path),
            stylesheet_href: Route::file("assets/style.css").href(base_path),
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
}

/// The length of an excerpt in characters: about two lines on a phone.
const EXCERPT_CHARS: usize = 90;

pub fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
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
                .unwrap_or_else(|| excerpt(&s.body.text)),
            draft: s.draft,
        }
    }
}

#[derive(Serialize)]
pub struct SummaryView<'a> {
    #[serde(flatten)]
    pub card: SummaryCard<'a>,
    pub body_html: &'a str,
    pub tasks: &'a [Task],
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
    pub tasks: &'a [String],
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
    pub body_html: &'a str,
}

impl<'a> PageView<'a> {
    pub fn new(page: &'a Page) -> Self {
        PageView {
            title: &page.title,
            body_html: &page.body.html,
        }
    }
}
