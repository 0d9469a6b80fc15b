//! The validate stage: turns loaded files into a `Model`, or into the full list of everything
//! wrong with them. Files are checked in parallel; all errors are kept, none stops the others.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::area::Areas;
use crate::config::SiteConfig;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::load::Loaded;
use crate::model::Model;
use crate::page::Page;
use crate::summary::Summary;
use crate::theme::Theme;

pub struct Options {
    /// Publish drafts.
    pub drafts: bool,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// Reads site.yaml alone: the theme must be known before the rest can be validated.
pub fn config(loaded: &Loaded, options: &Options) -> Result<SiteConfig, Vec<Diagnostic>> {
    let Some(file) = &loaded.site else {
        return Err(Vec::new());
    };
    let mut config = SiteConfig::parse(file)?;
    if let Some(url) = &options.base_url {
        config.base_url = crate::config::normalize_base_url(url);
    }
    Ok(config)
}

pub fn validate(
    loaded: Loaded,
    config: SiteConfig,
    theme: Theme,
    options: &Options,
) -> Result<Model, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let areas = match &loaded.areas {
        Some(file) => Areas::parse(file).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Areas::default()
        }),
        None => Areas::default(),
    };
    let area_file_ok = errors.is_empty() && loaded.areas.is_some();
    let allow_raw_html = config.unsafe_html;

    let summaries: Vec<Result<Summary, Vec<Diagnostic>>> = loaded
        .summaries
        .par_iter()
        .map(|file| Summary::parse(file, &areas, allow_raw_html))
        .collect();
    let mut kept = Vec::with_capacity(summaries.len());
    for result in summaries {
        match result {
            Ok(s) => kept.push(s),
            // With a broken areas.yaml every summary would report an unknown area: noise.
            Err(e) => errors.extend(
                e.into_iter()
                    .filter(|d| area_file_ok || d.code != Code::UnknownArea),
            ),
        }
    }
    let mut summaries = kept;
    summaries.sort_by(|a, b| (b.date, &a.area, &a.slug).cmp(&(a.date, &b.area, &b.slug)));
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for s in &summaries {
        if let Some(first) = seen.insert((&s.area, &s.slug), &s.source.path) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "网址 /summaries/{}/{}/ 重复：{first} 也使用了它",
                        s.area, s.slug
                    ),
                    "two summaries have the same URL",
                )
                .at(&s.source, s.slug_span.clone())
                .with_hint("改文件名，或在元数据中用 slug: 指定另一个网址"),
            );
        }
    }
    summaries.retain(|s| options.drafts || !s.draft);

    let mut pages = Vec::new();
    for file in &loaded.pages {
        match Page::parse(file, allow_raw_html) {
            Ok(p) => pages.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let mut page_slugs: HashMap<&str, &str> = HashMap::new();
    for p in &pages {
        if let Some(first) = page_slugs.insert(&p.slug, &p.source.path) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("网址 /{}/ 重复：{first} 也使用了它", p.slug),
                    "two pages have the same URL",
                )
                .at(&p.source, p.slug_span.clone()),
            );
        }
    }
    pages.retain(|p| options.drafts || !p.draft);
    pages.sort_by(|a, b| (a.order, &a.title).cmp(&(b.order, &b.title)));

    if !errors.is_empty() {
        diagnostic::sort(&mut errors);
        return Err(errors);
    }
    Ok(Model {
        config,
        areas,
        summaries,
        pages,
        assets: loaded.assets,
        theme,
        drafts: options.drafts,
    })
}
