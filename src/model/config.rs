//! The site's settings as validated from `content/site.yaml`.

use serde::{Deserialize, Serialize};

/// How old the newest item of a section may get before `check` warns (days; the government
/// website rules expect news to be updated within weeks, notices within months).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    /// Work summaries (工作进展).
    #[serde(default)]
    pub summaries: Option<u32>,
}

/// What every Chinese government site shows in its footer (国办发〔2017〕47号): its ids, the
/// filings they link to, the emblem of a Party and government site and the error-report entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 网站标识码
    #[serde(default)]
    pub site_code: Option<String>,
    /// ICP备案号
    #[serde(default)]
    pub icp: Option<String>,
    /// The MIIT filing query the ICP number links to.
    #[serde(default)]
    pub icp_url: Option<String>,
    /// 公安备案号
    #[serde(default)]
    pub police: Option<String>,
    /// The police filing query the number links to.
    #[serde(default)]
    pub police_url: Option<String>,
    /// The police filing badge, a path under `content/`.
    #[serde(default)]
    pub police_badge: Option<String>,
    /// 党政机关网站标识: the emblem image (under `content/`) and its verification page.
    #[serde(default)]
    pub emblem: Option<String>,
    #[serde(default)]
    pub emblem_url: Option<String>,
    /// 我为政府网站找错: the State Council's error-report entry for this site.
    #[serde(default)]
    pub error_report_url: Option<String>,
}

/// The metadata of one column (栏目) of the site, as the 指引 asks every page to carry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column's name in the navigation, instead of the program's default.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// ColumnType: 信息公开, 政务动态, 数据发布, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// 办公时间
    #[serde(default)]
    pub hours: Option<String>,
}

/// One county-level district of the region: its name and the segment of its URL.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub name: String,
    pub slug: String,
}

/// A bounding box in WGS84 degrees: `[min, max]` of each.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub lat: [f64; 2],
    pub lon: [f64; 2],
}

/// China's extent: with no bounds of its own, a site still catches a swapped latitude and
/// longitude.
const CHINA: Bounds = Bounds {
    lat: [18.0, 54.0],
    lon: [73.0, 136.0],
};

/// The city or county the bureau serves (site.yaml `region:`): its name, its districts in the
/// official order and the box its facilities lie in. Everything the generator knows of a place
/// comes from here; without it, any district is accepted and listed by name.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub districts: Vec<District>,
    #[serde(default)]
    pub bounds: Option<Bounds>,
}

impl Region {
    /// The region's name in a sentence: `芜湖市`, or `本市` when site.yaml does not say.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("本市")
    }

    /// Whether `district` may be written: any, when the region lists none.
    pub fn knows(&self, district: &str) -> bool {
        self.districts.is_empty() || self.districts.iter().any(|d| d.name == district)
    }

    /// The position of a district in the official order (unlisted ones after, by name).
    pub fn order(&self, district: &str) -> usize {
        self.districts
            .iter()
            .position(|d| d.name == district)
            .unwrap_or(self.districts.len())
    }

    /// The URL segment of a district.
    pub fn slug(&self, district: &str) -> String {
        self.districts
            .iter()
            .find(|d| d.name == district)
            .map_or_else(
                || crate::model::route::slugify(district),
                |d| d.slug.clone(),
            )
    }

    pub fn bounds(&self) -> Bounds {
        self.bounds.unwrap_or(CHINA)
    }

    /// The districts to list: the region's own, in their order, then any other that `present`
    /// names, by name.
    pub fn districts<'a>(&'a self, present: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let mut list: Vec<&str> = self.districts.iter().map(|d| d.name.as_str()).collect();
        let mut others: Vec<&str> = present.filter(|p| !list.contains(p)).collect();
        others.sort_unstable();
        others.dedup();
        list.extend(others);
        list
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub title_en: Option<String>,
    pub description: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    pub year: Option<i32>,
    pub language: String,
    pub sample_data: bool,
    pub theme: String,
    pub unsafe_html: bool,
    pub organization: Option<String>,
    pub footer: Footer,
    pub contact: Contact,
    pub freshness: Freshness,
    pub region: Region,
    /// The columns' metadata by their navigation key (`targets`, `summaries`, `page:about`).
    pub columns: std::collections::BTreeMap<String, Column>,
}

pub const DEFAULT_THEME: &str = "default";

impl SiteConfig {
    /// The title of the work plan the site reports on, without 《》.
    pub fn plan_title(&self) -> String {
        match self.year {
            Some(year) => format!("{year}年全市生态环境工作要点"),
            None => "全市生态环境工作要点".into(),
        }
    }
}

/// Makes a base URL end with exactly one `/`.
pub fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() {
        return "/".to_string();
    }
    format!("{}/", url.trim_end_matches('/'))
}

/// The path part of a base URL (`https://host/ecosite/` → `/ecosite/`), which every link in the
/// site starts with so that it can be published under a sub-folder.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    if after_scheme.starts_with('/') {
        normalize_base_url(after_scheme)
    } else {
        format!("/{}", normalize_base_url(after_scheme))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://sthjj.wuhu.gov.cn/ecosite/"), "/ecosite/");
        assert_eq!(base_path("/sub/"), "/sub/");
        assert_eq!(base_path("/"), "/");
    }
}
