//! Which pages the site has and what each one's template is given. Pages come in families,
//! one module each; a family owns its jobs (route, template, date, sitemap listing, values),
//! its navigation entry and its search documents. Adding a page kind means touching its
//! family, its template and the route scheme; this module only lists the families.

mod archive;
mod contact;
mod context;
mod data;
mod environment_day;
mod facilities;
mod feeds;
mod free;
mod home;
mod parts;
mod reports;
mod search;
mod shared;
mod site_map;
mod summaries;
mod targets;
mod tasks;

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera, TeraResult};

use crate::content::shortcode::Shortcode;
use crate::model::body::{Body, Packed};
use crate::model::route::Route;
use crate::model::status::Status;
use crate::model::Model;
use crate::render::components;
use crate::render::search::Document;
use crate::render::view::{Badge, ColumnMeta, Figure, Link, Meta, NavItem, SiteView};

pub use context::PageContext;
pub use shared::Shared;

/// One family of pages.
trait Family: Sync {
    /// Its pages, in the order the sitemap lists them within their `Listing`.
    fn jobs<'a>(&self, model: &'a Model) -> Vec<Job<'a>>;

    /// Its entries in the navigation bar, with their rank there.
    fn nav(&self, _model: &Model, _base: &str) -> Vec<(Rank, NavItem)> {
        Vec::new()
    }

    /// Its documents in the search index, with their rank there.
    fn search_documents<'a>(&self, _model: &'a Model, _base: &str) -> Vec<(Rank, Document<'a>)> {
        Vec::new()
    }
}

/// Every family, in the order their pages are listed.
const FAMILIES: [&dyn Family; 14] = [
    &home::Home,
    &summaries::Summaries,
    &reports::Reports,
    &targets::Targets,
    &tasks::Tasks,
    &data::Data,
    &archive::Archive,
    &search::Search,
    &environment_day::EnvironmentDay,
    &facilities::Facilities,
    &free::FreePages,
    &feeds::Feeds,
    &site_map::SiteMap,
    &contact::Contact,
];

/// Orders navigation entries and search documents across families: a stable sort by rank
/// keeps the order the published site has always had. Navigation: home 0, targets and tasks 1,
/// summaries 2, reports 3, environment day 4, facilities 5, open data 6, free pages 7 (in the
/// footer). Search:
/// summaries 0, indicators 1, facilities 2, environment days 3, areas and tasks 4, free pages 5.
type Rank = u8;

/// Where a page appears in the sitemap: section pages first, then the content of the areas,
/// reports and free pages; the technical files are not listed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Listing {
    First,
    Second,
    Unlisted,
}

/// Builds a page's values; the base layout's `Meta` comes prefilled with the site's defaults.
type Build<'a> =
    Box<dyn Fn(&Ctx<'_>, &mut Meta, &mut PageContext) -> TeraResult<()> + Send + Sync + 'a>;

/// One output page: where it goes, its template and how to fill it.
pub struct Job<'a> {
    pub route: Route,
    /// The page's title: its heading, its `<title>`, its line in the site map.
    pub title: String,
    pub template: &'static str,
    pub listing: Listing,
    /// The date the page's content last changed, when the content says.
    pub updated: Option<String>,
    /// The page's own content (a summary's front matter and body), when its values are made
    /// from that and from the site without its summaries only: while neither changed, the
    /// preview reuses the page without building its values, which costs as much as rendering it.
    /// Shared, not copied: while the preview's load keeps an unchanged file, it is the same
    /// text, and comparing it costs nothing.
    pub made_of: Option<(&'a Arc<str>, &'a Packed)>,
    build: Build<'a>,
}

impl<'a> Job<'a> {
    fn new(
        route: Route,
        title: impl Into<String>,
        template: &'static str,
        build: impl Fn(&Ctx<'_>, &mut Meta, &mut PageContext) -> TeraResult<()> + Send + Sync + 'a,
    ) -> Self {
        Job {
            route,
            title: title.into(),
            template,
            listing: Listing::First,
            updated: None,
            made_of: None,
            build: Box::new(build),
        }
    }

    fn listing(mut self, listing: Listing) -> Self {
        self.listing = listing;
        self
    }

    fn updated(mut self, updated: Option<String>) -> Self {
        self.updated = updated;
        self
    }

    fn made_of(mut self, front: &'a Arc<str>, body: &'a Packed) -> Self {
        self.made_of = Some((front, body));
        self
    }
}

/// What a page's builder may read besides its own captured content.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub shared: &'a Shared<'a>,
    pub base: &'a str,
    /// The theme's engine, for the components that draw shortcodes.
    pub tera: &'a Tera,
    /// The sitemap's entries, computed from every job (only the sitemap uses them).
    pub sitemap: &'a [SitemapEntry],
    /// Whether pages' values get a fingerprint (for the preview's cache).
    pub fingerprint: bool,
    /// The navigation's titles by key: the names of the columns.
    pub columns: &'a std::collections::HashMap<String, String>,
}

impl Ctx<'_> {
    fn crumb(&self, title: impl Into<String>, route: Route) -> Link {
        Link {
            title: title.into(),
            href: route.href(self.base),
        }
    }

    fn home(&self) -> Link {
        self.crumb("首页", Route::home())
    }

    /// A Markdown body's HTML with its shortcodes drawn by the theme: a chart in its figure
    /// with the data table, a status badge linking to its indicator.
    fn expand(&self, body: &Body) -> TeraResult<String> {
        components::expand(body, |code| {
            let Some(indicator) = self.model.indicator(code.id()) else {
                return Ok(String::new());
            };
            let mut c = Context::new();
            match code {
                Shortcode::Chart(_) => {
                    let svg = self.shared.chart(&indicator.id);
                    c.insert("figure", &Figure::new(indicator, svg, self.base, true));
                    components::render(self.tera, "chart_figure", &c)
                }
                Shortcode::Status(_) => {
                    // The status at the site's latest reporting period, as every page shows it.
                    let current = self
                        .model
                        .reporting_period()
                        .and_then(|p| indicator.quarter(p));
                    let (badge, href) = match current {
                        Some(q) => (
                            Badge::of(indicator, q),
                            Some(Route::indicator(&indicator.id).href(self.base)),
                        ),
                        None => (Badge::from(Status::NoData), None),
                    };
                    c.insert("status", &badge);
                    c.insert("href", &href);
                    components::render(self.tera, "status_link", &c)
                }
                Shortcode::Rule(_) => {
                    c.insert("rule", &indicator.rule_text());
                    components::render(self.tera, "target_rule", &c)
                }
            }
        })
    }
}

/// A page as `sitemap.xml` lists it (what the template is given: its address and date), and
/// what the readers' site map needs of it besides. On 50,000 pages every field handed to the
/// template is 50,000 more values at once.
#[derive(Serialize)]
pub struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
    /// For the readers' site map: the page's title and its link.
    #[serde(skip)]
    title: String,
    #[serde(skip)]
    href: String,
    /// The first segment of its path: the section it belongs to (empty for the home page).
    #[serde(skip)]
    section: String,
    /// Whether it is its section's own page (`targets/`, the home page).
    #[serde(skip)]
    heads_section: bool,
}

/// Every page of the site.
pub fn jobs(model: &Model) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job> = FAMILIES.iter().flat_map(|f| f.jobs(model)).collect();
    jobs.sort_by_key(|j| j.listing);
    jobs
}

/// The sitemap's entries: every listed page with its date.
pub fn sitemap(model: &Model, jobs: &[Job]) -> Vec<SitemapEntry> {
    let base = crate::model::config::base_path(&model.config.base_url);
    jobs.iter()
        .filter(|j| j.listing != Listing::Unlisted)
        .map(|j| SitemapEntry {
            loc: j.route.absolute(&model.config.base_url),
            lastmod: j.updated.clone(),
            title: j.title.clone(),
            href: j.route.href(&base),
            section: j.route.as_str().split('/').next().unwrap_or("").to_string(),
            heads_section: !j.route.as_str().trim_end_matches('/').contains('/'),
        })
        .collect()
}

/// Entries of this rank (the free pages: about, methodology, licence) are linked from the
/// footer rather than the main menu, which then fits one line of a desktop screen.
const FOOTER_RANK: Rank = 7;

/// The navigation, in its order, with each entry's rank: each family's entries, named as
/// site.yaml's `columns` say when they do (the program's names are defaults for any bureau).
fn nav(model: &Model, base: &str) -> Vec<(Rank, NavItem)> {
    let mut nav: Vec<(Rank, NavItem)> = FAMILIES.iter().flat_map(|f| f.nav(model, base)).collect();
    nav.sort_by_key(|(rank, _)| *rank);
    for (_, item) in &mut nav {
        let name = model
            .config
            .columns
            .get(&item.key)
            .and_then(|c| c.name.clone());
        if let Some(name) = name {
            item.title = name;
        }
    }
    nav
}

/// The navigation's titles by key: each column's name.
pub fn column_names(model: &Model, base: &str) -> std::collections::HashMap<String, String> {
    nav(model, base)
        .into_iter()
        .map(|(_, item)| (item.key, item.title))
        .collect()
}

/// Values every template sees: the site, its menu and the pages its footer links.
pub fn globals(model: &Model, base: &str) -> PageContext {
    let mut context = PageContext::new();
    context.insert("site", &SiteView::new(&model.config, base));
    let (footer, main): (Vec<_>, Vec<_>) = nav(model, base)
        .into_iter()
        .partition(|(rank, _)| *rank == FOOTER_RANK);
    let items = |list: Vec<(Rank, NavItem)>| list.into_iter().map(|(_, i)| i).collect::<Vec<_>>();
    context.insert("nav", &items(main));
    context.insert("footer_nav", &items(footer));
    context
}

/// Every page worth finding, as the search index sees it.
pub fn search_documents<'a>(model: &'a Model, base: &str) -> Vec<Document<'a>> {
    let mut docs: Vec<(Rank, Document)> = FAMILIES
        .iter()
        .flat_map(|f| f.search_documents(model, base))
        .collect();
    docs.sort_by_key(|(rank, _)| *rank);
    docs.into_iter().map(|(_, d)| d).collect()
}

/// A job's values, `meta` included.
pub fn context(job: &Job, cx: &Ctx) -> TeraResult<PageContext> {
    values(job, cx, PageContext::with_fingerprint(cx.fingerprint))
}

/// The fingerprint of a page's values, without converting them for the engine.
pub fn fingerprint(job: &Job, cx: &Ctx) -> TeraResult<u64> {
    values(job, cx, PageContext::fingerprint_only()).map(|c| c.fingerprint())
}

fn values(job: &Job, cx: &Ctx, mut c: PageContext) -> TeraResult<PageContext> {
    let config = &cx.model.config;
    let mut meta = Meta {
        title: job.title.clone(),
        description: config.description.clone().unwrap_or_default(),
        href: job.route.href(cx.base),
        canonical: job.route.absolute(&config.base_url),
        section: "home".into(),
        breadcrumbs: Vec::new(),
        draft: false,
        updated: job.updated.clone(),
        column: Default::default(),
        article: None,
    };
    (job.build)(cx, &mut meta, &mut c)?;
    // The column is the navigation entry the page is under (the page itself, off the menu).
    let column = config.columns.get(&meta.section);
    meta.column = ColumnMeta {
        name: cx
            .columns
            .get(&meta.section)
            .cloned()
            .unwrap_or_else(|| meta.title.clone()),
        description: column.and_then(|c| c.description.clone()),
        keywords: column.map(|c| c.keywords.clone()).unwrap_or_default(),
        kind: column.and_then(|c| c.kind.clone()),
    };
    c.insert("meta", &meta);
    Ok(c)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{jobs, search_documents, Listing};
    use crate::site::{BuildOptions, Site};

    fn default_site() -> Site {
        Site::load(&BuildOptions {
            root: env!("CARGO_MANIFEST_DIR").into(),
            drafts: true,
            base_url: None,
        })
        .unwrap()
    }

    #[test]
    fn every_page_has_its_own_route_and_a_template() {
        let site = default_site();
        let jobs = jobs(&site.model);
        let mut routes = HashSet::new();
        for job in &jobs {
            assert!(routes.insert(job.route.clone()), "{}", job.route);
            assert!(
                site.theme.templates.contains_key(job.template),
                "{}",
                job.template
            );
        }
        assert!(jobs.is_sorted_by_key(|j| j.listing), "listed pages first");
        assert_eq!(
            jobs.iter()
                .filter(|j| j.listing == Listing::Unlisted)
                .count(),
            4,
            "404, feed, sitemap, robots.txt"
        );
    }

    #[test]
    fn every_search_document_links_to_a_page() {
        let site = default_site();
        let base = "/";
        let hrefs: HashSet<String> = jobs(&site.model)
            .iter()
            .map(|j| j.route.href(base))
            .collect();
        for doc in search_documents(&site.model, base) {
            assert!(hrefs.contains(&doc.url), "{}", doc.url);
        }
    }
}
