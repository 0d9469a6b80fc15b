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

/// The ids every Chinese government site shows in its footer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 网站标识码
    #[serde(default)]
    pub site_code: Option<String>,
    /// ICP备案号
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安备案号
    #[serde(default)]
    pub police: Option<String>,
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
