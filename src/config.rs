//! `content/site.yaml`: the site's settings. Only `title` is required; everything else has a
//! default so that a minimal site root builds.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::yaml;

/// The top-level fields this kind of file knows (others are warned about by `check`).
pub const FIELDS: &[&str] = &[
    "title",
    "title_en",
    "description",
    "base_url",
    "year",
    "language",
    "sample_data",
    "theme",
    "unsafe_html",
    "organization",
    "footer",
    "contact",
];

#[derive(Debug, Clone, Deserialize)]
struct RawConfig {
    title: Option<yaml::Text>,
    #[serde(default)]
    title_en: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    sample_data: bool,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    unsafe_html: bool,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    footer: Footer,
    #[serde(default)]
    contact: Contact,
    #[serde(default)]
    freshness: Freshness,
}

/// How old the newest item of a section may get before `check` warns (days; the government
/// website rules expect news to be updated within weeks, notices within months).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Freshness {
    /// Work summaries (工作进展).
    #[serde(default)]
    pub summaries: Option<u32>,
}

/// The ids every Chinese government site shows in its footer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

impl SiteConfig {
    pub fn parse(file: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
        let raw: RawConfig = yaml::parse_file(file).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let title = crate::field::text(&raw.title);
        if title.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    "缺少网站标题 title",
                    "missing site title",
                )
                .at(
                    file,
                    file.find_key(0..file.text.len(), "title").unwrap_or(0..0),
                )
                .with_hint("在 site.yaml 中添加一行 title: 网站名称"),
            );
        }
        let theme = raw.theme.unwrap_or_else(|| DEFAULT_THEME.to_string());
        if theme.is_empty()
            || !theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("主题名称“{theme}”无效"),
                    "invalid theme name",
                )
                .at(
                    file,
                    file.find_key(0..file.text.len(), "theme").unwrap_or(0..0),
                )
                .with_hint("主题名称只能包含英文字母、数字、- 和 _，对应 themes/ 下的文件夹名"),
            );
        }
        let base_url = raw.base_url.as_deref().unwrap_or("/");
        if base_url
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    "base_url 含有空格或引号",
                    "base_url contains spaces or quotes",
                )
                .at(
                    file,
                    file.find_key(0..file.text.len(), "base_url")
                        .unwrap_or(0..0),
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteConfig {
            title,
            title_en: raw.title_en,
            description: raw.description,
            base_url: normalize_base_url(base_url),
            year: raw.year,
            language: raw.language.unwrap_or_else(|| "zh-CN".to_string()),
            sample_data: raw.sample_data,
            theme,
            unsafe_html: raw.unsafe_html,
            organization: raw.organization,
            footer: raw.footer,
            contact: raw.contact,
            freshness: raw.freshness,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let f = SourceFile::new(
            "content/site.yaml",
            "title: 基准测试站点\nbase_url: https://example.org\n",
        );
        let c = SiteConfig::parse(&f).unwrap();
        assert_eq!(c.title, "基准测试站点");
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "default");
        assert!(!c.sample_data && !c.unsafe_html);
    }

    #[test]
    fn missing_title_and_bad_theme_are_both_reported() {
        let f = SourceFile::new("content/site.yaml", "year: 2024\ntheme: ../x\n");
        let errors = SiteConfig::parse(&f).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, Code::MissingField);
        assert_eq!(errors[1].code, Code::BadPath);
        assert_eq!(errors[1].line, 2);
    }

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://sthjj.wuhu.gov.cn/ecosite/"), "/ecosite/");
        assert_eq!(base_path("/sub/"), "/sub/");
        assert_eq!(base_path("/"), "/");
    }
}
