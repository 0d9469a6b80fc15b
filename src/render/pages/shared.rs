//! What several pages need, computed once per build: the charts of every indicator, the
//! thumbnails of the photos, the facility map, the number of summaries of each area and the
//! open data catalogue.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::model::facility::Facility;
use crate::model::indicator::Indicator;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::chart;
use crate::render::open_data::{self, Catalogue};
use crate::render::thumbnail::{self, Thumbnail};
use crate::render::view::{self, IndicatorRow};

pub struct Shared<'a> {
    pub base: String,
    charts: HashMap<&'a str, Charts>,
    counts: HashMap<&'a str, usize>,
    /// Thumbnails of the photos pages show, by the original's path under `content/`.
    pub thumbnails: HashMap<&'a str, Thumbnail>,
    /// Images that could not be read, by path.
    pub unreadable_images: Vec<&'a str>,
    thumbnail_hashes: HashMap<&'a str, u64>,
    pub facility_map: String,
    region: &'a crate::model::config::Region,
    /// The site's latest reporting period ([`Model::reporting_period`]), found once: every row
    /// and page of a target shows it, and finding it reads every target.
    pub reporting_period: Option<crate::model::period::Quarter>,
    /// The open data files: the data page shows their sizes, and the build writes them. Made
    /// on first use: it was a quarter of a save's rebuild when both made it.
    catalogue: OnceLock<Catalogue>,
    model: &'a Model,
}

struct Charts {
    chart: String,
    sparkline: String,
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn count_by_area(model: &Model) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in &model.summaries {
        *counts.entry(s.area.as_str()).or_default() += 1;
        if let Some(parent) = model.areas.get(&s.area).and_then(|a| a.parent.as_deref()) {
            *counts.entry(parent).or_default() += 1;
        }
    }
    counts
}

impl<'a> Shared<'a> {
    /// `previous` holds the thumbnails of the last build by image path, with a hash of the
    /// image's bytes: unchanged images are not decoded again.
    pub fn new(
        model: &'a Model,
        base: String,
        previous: &HashMap<String, (u64, Thumbnail)>,
    ) -> Self {
        let charts = model
            .indicators
            .par_iter()
            .map(|i| {
                (
                    i.id.as_str(),
                    Charts {
                        chart: chart::chart(i),
                        sparkline: chart::sparkline(i),
                    },
                )
            })
            .collect();
        let images: Vec<&str> = model
            .facilities
            .iter()
            .filter_map(|f| f.image.as_deref())
            .chain(model.environment_days.iter().flat_map(|d| {
                d.contest
                    .iter()
                    .flat_map(|c| c.winners.iter().map(|w| w.image.as_str()))
            }))
            .collect();
        let made: Vec<(&str, Option<Thumbnail>)> = images
            .par_iter()
            .map(|path| {
                let thumb = model.asset(path).and_then(|a| {
                    let hash = bytes_hash(&a.bytes);
                    match previous.get(*path) {
                        Some((h, t)) if *h == hash => Some(t.clone()),
                        _ => thumbnail::make(path, &a.bytes),
                    }
                });
                (*path, thumb)
            })
            .collect();
        let thumbnail_hashes = images
            .iter()
            .filter_map(|p| model.asset(p).map(|a| (*p, bytes_hash(&a.bytes))))
            .collect();
        let unreadable_images = made
            .iter()
            .filter(|(_, t)| t.is_none())
            .map(|(p, _)| *p)
            .collect();
        let thumbnails = made
            .into_iter()
            .filter_map(|(p, t)| Some((p, t?)))
            .collect();
        let facility_map = if model.facilities.is_empty() {
            String::new()
        } else {
            chart::map::svg(&model.facilities, model.config.region.bounds())
        };
        Shared {
            base,
            charts,
            counts: count_by_area(model),
            thumbnails,
            unreadable_images,
            thumbnail_hashes,
            facility_map,
            region: &model.config.region,
            reporting_period: model.reporting_period(),
            catalogue: OnceLock::new(),
            model,
        }
    }

    pub fn catalogue(&self) -> &Catalogue {
        self.catalogue
            .get_or_init(|| open_data::catalogue(self.model))
    }

    /// The open data files, made now unless a page made them already.
    pub fn take_catalogue(&mut self) -> Catalogue {
        self.catalogue
            .take()
            .unwrap_or_else(|| open_data::catalogue(self.model))
    }

    /// The thumbnails of this build, for the next one.
    pub fn thumbnail_cache(&self) -> HashMap<String, (u64, Thumbnail)> {
        self.thumbnails
            .iter()
            .map(|(path, t)| {
                (
                    path.to_string(),
                    (
                        self.thumbnail_hashes.get(path).copied().unwrap_or(0),
                        t.clone(),
                    ),
                )
            })
            .collect()
    }

    pub fn image(&self, path: Option<&str>, alt: &str) -> Option<view::ImageView> {
        let path = path?;
        let thumb = self.thumbnails.get(path)?;
        Some(view::ImageView {
            src: Route::file(path).href(&self.base),
            thumb_src: Route::file(&thumb.path).href(&self.base),
            width: thumb.width,
            height: thumb.height,
            alt: alt.to_string(),
        })
    }

    pub fn facility<'f>(&self, f: &'f Facility) -> view::FacilityView<'f> {
        view::FacilityView::new(
            f,
            self.image(f.image.as_deref(), f.image_alt.as_deref().unwrap_or("")),
            &self.region.slug(&f.district),
            &self.base,
        )
    }

    pub fn chart(&self, id: &str) -> &str {
        self.charts.get(id).map_or("", |c| c.chart.as_str())
    }

    pub fn sparkline(&self, id: &str) -> &str {
        self.charts.get(id).map_or("", |c| c.sparkline.as_str())
    }

    pub fn count(&self, area_id: &str) -> usize {
        self.counts.get(area_id).copied().unwrap_or(0)
    }

    pub fn rows<'r>(
        &'r self,
        model: &'r Model,
        list: impl Iterator<Item = &'r Indicator>,
    ) -> Vec<IndicatorRow<'r>> {
        list.map(|i| {
            IndicatorRow::new(
                i,
                model.areas.get(&i.area),
                self.sparkline(&i.id),
                self.reporting_period,
                &self.base,
            )
        })
        .collect()
    }
}
