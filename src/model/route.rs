//! The URL scheme of the public site, defined once. A `Route` is a path relative to the site
//! root; it knows the file it is written to, the link that reaches it under the site's base
//! path, and its absolute URL. Slugs from content pass through `check_slug` so that nothing an
//! editor writes can name a file outside the output folder.

use std::fmt;

use crate::model::period::Quarter;
use crate::text::percent_encode_path;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route(String);

/// First path segments the generator owns; a free page may not take them.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "summaries",
    "reports",
    "targets",
    "tasks",
    "data",
    "facilities",
    "environment-day",
    "archive",
    "search",
    "sitemap",
    "contact",
    "assets",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
];

impl Route {
    pub fn home() -> Route {
        Route(String::new())
    }
    pub fn summaries() -> Route {
        Route("summaries/".into())
    }
    pub fn area(area_id: &str) -> Route {
        Route(format!("summaries/{area_id}/"))
    }
    pub fn summary(area_id: &str, slug: &str) -> Route {
        Route(format!("summaries/{area_id}/{slug}/"))
    }
    pub fn reports() -> Route {
        Route("reports/".into())
    }
    pub fn report(quarter: Quarter) -> Route {
        Route(format!("reports/{}/", quarter.slug()))
    }
    pub fn targets() -> Route {
        Route("targets/".into())
    }
    pub fn targets_by_lead() -> Route {
        Route("targets/by-lead/".into())
    }
    pub fn indicator(id: &str) -> Route {
        Route(format!("targets/{id}/"))
    }
    /// The ledger of the plan's tasks.
    pub fn tasks() -> Route {
        Route("tasks/".into())
    }
    pub fn task(id: &str) -> Route {
        Route(format!("tasks/{id}/"))
    }
    /// The tasks with one status (`done`, `in-progress`, …).
    pub fn tasks_by_status(slug: &str) -> Route {
        Route(format!("tasks/status/{slug}/"))
    }
    pub fn tasks_of_area(area_id: &str) -> Route {
        Route(format!("tasks/area/{area_id}/"))
    }
    /// The tasks one unit leads; `slug` comes from the unit's name.
    pub fn tasks_by_lead(slug: &str) -> Route {
        Route(format!("tasks/lead/{slug}/"))
    }
    pub fn environment_day_index() -> Route {
        Route("environment-day/".into())
    }
    pub fn environment_day(year: i32) -> Route {
        Route(format!("environment-day/{year}/"))
    }
    pub fn facilities() -> Route {
        Route("facilities/".into())
    }
    pub fn facility(id: &str) -> Route {
        Route(format!("facilities/{id}/"))
    }
    pub fn facility_category(code: &str) -> Route {
        Route(format!("facilities/category/{code}/"))
    }
    pub fn facility_district(slug: &str) -> Route {
        Route(format!("facilities/district/{slug}/"))
    }
    pub fn search() -> Route {
        Route("search/".into())
    }
    pub fn archive() -> Route {
        Route("archive/".into())
    }
    pub fn data() -> Route {
        Route("data/".into())
    }
    /// A file of the open data: `data/indicators.csv`.
    pub fn data_file(name: &str) -> Route {
        Route(format!("data/{name}"))
    }
    pub fn page(slug: &str) -> Route {
        Route(format!("{slug}/"))
    }
    pub fn not_found() -> Route {
        Route("404.html".into())
    }
    pub fn feed() -> Route {
        Route("feed.xml".into())
    }
    pub fn sitemap() -> Route {
        Route("sitemap.xml".into())
    }
    /// 联系我们: the bureau's address, phone and hours, from site.yaml.
    pub fn contact() -> Route {
        Route("contact/".into())
    }
    /// The site map for readers (网站地图).
    pub fn site_map() -> Route {
        Route("sitemap/".into())
    }
    pub fn robots() -> Route {
        Route("robots.txt".into())
    }
    /// A file copied from the content tree or the theme, at its relative path.
    pub fn file(relative_path: &str) -> Route {
        Route(relative_path.trim_start_matches('/').to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file this route is written to, relative to the output folder.
    pub fn output_path(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }

    /// The link to this route from any page, under the site's base path (`/ecosite/`).
    pub fn href(&self, base_path: &str) -> String {
        format!("{base_path}{}", self.0)
    }

    /// The absolute URL, percent-encoded, for sitemaps and feeds.
    pub fn absolute(&self, base_url: &str) -> String {
        format!("{base_url}{}", percent_encode_path(&self.0))
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0)
    }
}

/// Why a slug cannot be used, in Chinese, or `None` when it is fine. A slug is one URL segment:
/// no separators, no `..`, no leading dot, nothing that needs quoting in a URL or a file name.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("不能为空");
    }
    if slug.contains('/') || slug.contains('\\') {
        return Some("不能包含 / 或 \\");
    }
    if slug.starts_with('.') {
        return Some("不能以 . 开头（也不能是 ..）");
    }
    if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#%\"<>|*:'`&".contains(c))
    {
        return Some("不能包含空格或 ? # % \" < > | * : ' ` & 等字符");
    }
    if slug.chars().count() > 100 {
        return Some("不能超过 100 个字符");
    }
    None
}

/// Why an id (of an area, indicator or facility) cannot be used, or `None`: ids are URL
/// segments and file names, so they are kept to lower-case ASCII letters, digits and `-`.
pub fn id_problem(id: &str) -> Option<&'static str> {
    slug_problem(id).or_else(|| {
        (!id.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .then_some("只能包含英文小写字母、数字和 -")
    })
}

/// A URL-safe slug from a file name: trimmed, spaces and unsafe characters become `-`, ASCII
/// letters are lower-cased, Chinese characters are kept (they are valid in modern URLs).
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.trim().chars() {
        let safe = !(c.is_whitespace() || c.is_control() || "/\\?#%\"<>|*:'`&.".contains(c));
        if safe {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "page".to_string()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_map_to_files_and_links() {
        let q = Quarter {
            year: 2024,
            number: 2,
        };
        assert_eq!(Route::home().output_path(), "index.html");
        assert_eq!(Route::report(q).output_path(), "reports/2024-q2/index.html");
        assert_eq!(
            Route::summary("air", "x").href("/ecosite/"),
            "/ecosite/summaries/air/x/"
        );
        assert_eq!(Route::sitemap().output_path(), "sitemap.xml");
        assert_eq!(Route::page("about").to_string(), "/about/");
    }

    #[test]
    fn absolute_urls_are_percent_encoded() {
        let r = Route::summary("air", "蓝天");
        assert_eq!(
            r.absolute("https://example.org/"),
            "https://example.org/summaries/air/%E8%93%9D%E5%A4%A9/"
        );
    }

    #[test]
    fn slugs_that_escape_are_refused() {
        for bad in [
            "../../x", "..", ".hidden", "a/b", "a\\b", "", "a b", "x?y", "C:",
        ] {
            assert!(slug_problem(bad).is_some(), "{bad}");
        }
        for good in ["2024-q1-blue-sky", "蓝天保卫战", "p00001"] {
            assert_eq!(slug_problem(good), None, "{good}");
        }
    }

    #[test]
    fn slugify_file_names() {
        assert_eq!(slugify("2024 Q1 Report"), "2024-q1-report");
        assert_eq!(slugify("蓝天 保卫战"), "蓝天-保卫战");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("  "), "page");
        for name in ["a b", "../x", "x.y", "中 文?"] {
            assert_eq!(slug_problem(&slugify(name)), None, "{name}");
        }
    }
}
