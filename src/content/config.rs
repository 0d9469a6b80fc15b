//! `content/site.yaml`: the site's settings. Only `title` is required; everything else has a
//! default so that a minimal site root builds.

use crate::content::unknown;
use crate::model::config::{
    normalize_base_url, Column, Contact, Footer, Freshness, Region, SiteConfig, DEFAULT_THEME,
};
use serde::Deserialize;

use crate::content::yaml;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

/// Warnings for the top-level keys no field reads (usually a typo); keys of nested data are
/// refused by the parse itself.
pub fn unknown_fields(file: &SourceFile) -> Vec<Diagnostic> {
    unknown::in_document::<RawConfig>(file)
}

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
    #[serde(default)]
    region: Region,
    #[serde(default)]
    columns: std::collections::BTreeMap<String, Column>,
}

impl SiteConfig {
    pub fn parse(file: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
        let raw: RawConfig = yaml::parse_file(file).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let title = crate::content::field::text(&raw.title);
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
        check_region(file, &raw.region, &mut errors);
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
            region: raw.region,
            columns: raw.columns,
        })
    }
}

/// District slugs become URLs and must be unique; a box must have its minimum first.
fn check_region(file: &SourceFile, region: &Region, errors: &mut Vec<Diagnostic>) {
    let at = |needle: &str| {
        file.text
            .find(needle)
            .filter(|_| !needle.is_empty())
            .map_or(0..0, |i| i..i + needle.len())
    };
    let mut seen = std::collections::HashSet::new();
    for d in &region.districts {
        if let Some(problem) = crate::model::route::id_problem(&d.slug) {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("区县“{}”的 slug“{}”{problem}", d.name, d.slug),
                    "invalid district slug",
                )
                .at(file, at(&d.slug)),
            );
        } else if !seen.insert(d.slug.as_str()) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("区县 slug“{}”重复", d.slug),
                    "duplicate district slug",
                )
                .at(file, {
                    let needle = format!("slug: {}", d.slug);
                    file.text
                        .match_indices(&needle)
                        .nth(1)
                        .map_or(0..0, |(i, _)| i..i + needle.len())
                })
                .with_hint("每个区县的 slug 各不相同，例如用拼音"),
            );
        }
    }
    if let Some(b) = region.bounds {
        if !(b.lat[0] < b.lat[1] && b.lon[0] < b.lon[1]) {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    "region 的 bounds 应先写最小值，再写最大值",
                    "bounds must be [min, max]",
                )
                .at(file, at("bounds"))
                .with_hint("例如 bounds: { lat: [30.5, 31.8], lon: [117.3, 118.9] }"),
            );
        }
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
    fn region_slugs_and_bounds_are_checked() {
        let f = SourceFile::new(
            "content/site.yaml",
            "title: t\nregion:\n  districts:\n    - { name: 甲区, slug: jia }\n    - { name: 乙区, slug: jia }\n    - { name: 丙区, slug: Bing Qu }\n  bounds: { lat: [31.8, 30.5], lon: [117.3, 118.9] }\n",
        );
        let errors = SiteConfig::parse(&f).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(
            found,
            [
                (Code::Duplicate, 5),
                (Code::BadPath, 6),
                (Code::BadValue, 7)
            ]
        );
        let plain = SiteConfig::parse(&SourceFile::new("s.yaml", "title: t\n")).unwrap();
        assert!(plain.region.knows("任何区"), "no districts: any");
        assert_eq!(plain.region.name(), "本市");
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
}
