//! The validate stage: turns loaded files into a `Model`, or into the full list of everything
//! wrong with them. Files are checked in parallel; all errors are kept, none stops the others.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::cache::{self, LoadCache};
use crate::content::environment_day;
use crate::content::load::{Loaded, SummaryFile};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::model::area::Areas;
use crate::model::config::SiteConfig;
use crate::model::facility::Facility;
use crate::model::indicator::Indicator;
use crate::model::page::Page;
use crate::model::summary::Summary;
use crate::model::Model;
use crate::source::SourceFile;

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
        config.base_url = crate::model::config::normalize_base_url(url);
    }
    Ok(config)
}

pub fn validate(
    mut loaded: Loaded,
    config: SiteConfig,
    options: &Options,
    cache: Option<&LoadCache>,
) -> Result<(Model, Vec<Diagnostic>), Vec<Diagnostic>> {
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
    // With a broken areas.yaml every file would report an unknown area: noise.
    let relevant =
        |d: &Diagnostic| area_file_ok || !matches!(d.code, Code::UnknownArea | Code::UnknownTask);

    let (mut indicators, mut indicator_errors) = indicators(&loaded, &config, &areas, cache);
    crate::model::indicator::settle_not_due(&mut indicators);
    errors.extend(indicator_errors.drain(..).filter(|d| relevant(d)));
    let known_ids = known_indicator_ids(&loaded, &indicators);
    let indicator_exists = |id: &str| known_ids.contains(id);

    // What a summary's parse depends on besides its own text.
    let context = cache.map(|_| {
        let mut ids: Vec<&String> = known_ids.iter().collect();
        ids.sort();
        let areas_text = loaded.areas.as_ref().map(|f| &*f.text);
        cache::digest((areas_text, ids, allow_raw_html))
    });
    let parse = |file: &SummaryFile| {
        Summary::parse(file, &areas, &indicator_exists, allow_raw_html).map(Arc::new)
    };
    // Each file is let go once parsed: a build then never holds every summary's text beside
    // its parsed (packed) body.
    let mut summaries: Vec<Arc<Summary>> = std::mem::take(&mut loaded.summaries)
        .into_par_iter()
        .map(|file| match (cache, context) {
            (Some(cache), Some(context)) => cache.summary(&file.source, context, || parse(&file)),
            _ => parse(&file),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|result| {
            result
                .map_err(|e| errors.extend(e.into_iter().filter(|d| relevant(d))))
                .ok()
        })
        .collect();
    summaries.sort_by(|a, b| (b.date, &a.area, &a.slug).cmp(&(a.date, &b.area, &b.slug)));
    duplicate_summaries(&summaries, &mut errors);
    summaries.retain(|s| options.drafts || !s.draft);

    let mut pages = keep(
        loaded
            .pages
            .iter()
            .map(|file| Page::parse(file, &indicator_exists, allow_raw_html)),
        &mut errors,
    );
    let mut assets = loaded.assets;
    assets.sort_by(|a, b| a.path.cmp(&b.path));
    let file_size = |path: &str| {
        assets
            .binary_search_by(|a| a.path.as_str().cmp(path))
            .ok()
            .map(|i| assets[i].bytes.len())
    };
    let facilities = facilities(
        &loaded.facilities,
        &config.region,
        &|path| file_size(path).is_some(),
        &mut errors,
    );
    let environment_day_intro = loaded.environment_day_intro.as_ref().and_then(|file| {
        environment_day::parse_intro(file, allow_raw_html, &indicator_exists)
            .map_err(|mut e| errors.append(&mut e))
            .ok()
    });
    let mut environment_days = keep(
        loaded
            .environment_days
            .iter()
            .map(|file| environment_day::parse_year(file, &file_size)),
        &mut errors,
    );
    environment_days.sort_by_key(|d| std::cmp::Reverse(d.year));

    duplicate_pages(&pages, &mut errors);
    pages.retain(|p| options.drafts || !p.draft);
    pages.sort_by(|a, b| (a.order, &a.title).cmp(&(b.order, &b.title)));

    if !errors.is_empty() {
        diagnostic::sort(&mut errors);
        return Err(errors);
    }
    let mut model = Model {
        config,
        areas,
        summaries,
        tasks: Vec::new(),
        pages,
        archives: archives(&assets),
        indicators,
        facilities,
        environment_day_intro,
        environment_days,
        assets,
        drafts: options.drafts,
    };
    let warnings = model.track_tasks();
    Ok((model, warnings))
}

/// What parsed, with the errors of what did not added to `errors`: one file's problems never
/// stop the others from being checked.
fn keep<T>(
    results: impl IntoIterator<Item = Result<T, Vec<Diagnostic>>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut kept = Vec::new();
    for result in results {
        match result {
            Ok(t) => kept.push(t),
            Err(mut e) => errors.append(&mut e),
        }
    }
    kept
}

/// Ids of files that failed to parse still count as known, so that their errors are not
/// echoed as "unknown indicator" by every summary that names them.
fn known_indicator_ids(loaded: &Loaded, indicators: &[Indicator]) -> HashSet<String> {
    let mut known_ids: HashSet<String> = indicators.iter().map(|i| i.id.clone()).collect();
    known_ids.extend(loaded.indicators.iter().filter_map(|f| {
        let stem = f.path.rsplit('/').next()?.split('.').next()?;
        Some(stem.to_string())
    }));
    known_ids
}

/// Two summaries of an area with the same slug would be published at the same URL.
fn duplicate_summaries(summaries: &[Arc<Summary>], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str), &Summary> = HashMap::new();
    for s in summaries.iter().map(|s| &**s) {
        if let Some(first) = seen.insert((&s.area, &s.slug), s) {
            // Blame the file that chose the URL with `slug:`, if one did.
            let explicit = |x: &Summary| x.slug_span != (0..3);
            let (blamed, other) = if explicit(first) && !explicit(s) {
                (first, s)
            } else {
                (s, first)
            };
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "网址 /summaries/{}/{}/ 重复：{} 也使用了它",
                        s.area, s.slug, other.front.path
                    ),
                    "two summaries have the same URL",
                )
                .at(&blamed.front, blamed.slug_span.clone())
                .with_hint("改文件名，或在元数据中用 slug: 指定另一个网址"),
            );
        }
    }
}

/// Two pages with the same slug would be published at the same URL.
fn duplicate_pages(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut page_slugs: HashMap<&str, &str> = HashMap::new();
    for p in pages {
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
}

/// Every facilities file's items in one list, in the order they are shown (category, district,
/// id); an id is a URL, so it may be used once across all files.
fn facilities(
    files: &[SourceFile],
    region: &crate::model::config::Region,
    file_exists: &dyn Fn(&str) -> bool,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Facility> {
    let mut facilities: Vec<Facility> = keep(
        files
            .iter()
            .map(|file| crate::content::facility::parse_file(file, region, file_exists)),
        errors,
    )
    .into_iter()
    .flatten()
    .collect();
    let mut seen_facilities: HashMap<&str, &str> = HashMap::new();
    for f in &facilities {
        if let Some(first) = seen_facilities.insert(&f.id, &f.source.path) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("设施编号“{}”重复：{first} 也使用了它", f.id),
                    format!("duplicate facility id `{}`", f.id),
                )
                .at(&f.source, f.id_span.clone()),
            );
        }
    }
    facilities.sort_by_key(|f| {
        (
            f.category,
            region.order(&f.district),
            f.district.clone(),
            f.id.clone(),
        )
    });
    facilities
}

/// Reads every indicator file; sorts them in the work plan's order of areas, then by id.
fn indicators(
    loaded: &Loaded,
    config: &SiteConfig,
    areas: &Areas,
    cache: Option<&LoadCache>,
) -> (Vec<Indicator>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    if loaded.indicators.is_empty() {
        return (Vec::new(), errors);
    }
    let Some(year) = config.year else {
        let d = Diagnostic::error(
            Code::MissingField,
            "有指标数据时 site.yaml 必须写报告年度 year",
            "site.yaml needs `year` when there are indicators",
        );
        let d = match &loaded.site {
            Some(file) => d.at(file, 0..0),
            None => d.in_file("content/site.yaml"),
        };
        return (Vec::new(), vec![d.with_hint("例如 year: 2025")]);
    };
    // What an indicator's parse depends on besides its own text.
    let context = cache::digest((loaded.areas.as_ref().map(|f| &*f.text), year));
    let parsed: Vec<_> = loaded
        .indicators
        .par_iter()
        .map(|file| match cache {
            Some(cache) => cache.indicator(file, context, || Indicator::parse(file, areas, year)),
            None => Indicator::parse(file, areas, year),
        })
        .collect();
    let mut indicators = keep(parsed, &mut errors);
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for i in &indicators {
        if let Some(first) = seen.insert(&i.id, &i.source.path) {
            let span = i
                .source
                .find_key(0..i.source.text.len(), "id")
                .unwrap_or(0..0);
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("指标编号“{}”重复：{first} 也使用了它", i.id),
                    format!("duplicate indicator id `{}`", i.id),
                )
                .at(&i.source, span)
                .with_hint("每个指标的 id 只能出现一次，建议与文件名一致"),
            );
        }
    }
    let area_order: HashMap<&str, usize> = areas
        .iter()
        .enumerate()
        .map(|(n, a)| (a.id.as_str(), n))
        .collect();
    indicators.sort_by(|a, b| {
        (area_order.get(a.area.as_str()), &a.id).cmp(&(area_order.get(b.area.as_str()), &b.id))
    });
    (indicators, errors)
}

/// The snapshots among the files under `archive/`, newest first.
fn archives(assets: &[crate::model::Asset]) -> Vec<crate::model::ArchiveEntry> {
    let mut entries: Vec<crate::model::ArchiveEntry> = Vec::new();
    for asset in assets {
        let Some(rest) = asset.path.strip_prefix("archive/") else {
            continue;
        };
        let Some((period, file)) = rest.split_once('/') else {
            continue;
        };
        if file != "snapshot.json" {
            continue;
        }
        let info: serde_json::Value = serde_json::from_slice(&asset.bytes).unwrap_or_default();
        let has_pdf = assets
            .iter()
            .any(|a| a.path == format!("archive/{period}/report.pdf"));
        let parsed = crate::model::period::Period::parse(period);
        let label = parsed.map_or_else(|| period.to_string(), |p| p.chinese());
        entries.push(crate::model::ArchiveEntry {
            period: period.to_string(),
            label,
            created: info["created"].as_str().map(str::to_string),
            has_pdf,
        });
    }
    // Newest first, each year's annual report before its quarters; other names last.
    entries.sort_by_key(|e| {
        let parsed = crate::model::period::Period::parse(&e.period);
        (
            parsed.is_none(),
            parsed.map(|p| p.newest_first()),
            e.period.clone(),
        )
    });
    entries
}

/// Unknown top-level fields in every file of a loaded site root.
pub fn unknown_fields(loaded: &Loaded, cache: Option<&LoadCache>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    found.extend(
        loaded
            .site
            .iter()
            .flat_map(crate::content::config::unknown_fields),
    );
    for s in &loaded.summaries {
        let find = || crate::content::summary::unknown_fields(&s.source);
        found.extend(match cache {
            Some(cache) => cache.unknown(&s.source, find),
            None => find(),
        });
    }
    found.extend(
        loaded
            .pages
            .iter()
            .flat_map(crate::content::page::unknown_fields),
    );
    found.extend(
        loaded
            .indicators
            .iter()
            .flat_map(crate::content::indicator::unknown_fields),
    );
    found.extend(
        loaded
            .environment_days
            .iter()
            .flat_map(crate::content::environment_day::unknown_fields),
    );
    found.extend(
        loaded
            .environment_day_intro
            .iter()
            .flat_map(crate::content::environment_day::unknown_intro_fields),
    );
    found
}
