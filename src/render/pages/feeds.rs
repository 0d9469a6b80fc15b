//! The files for machines: the Atom feed of the summaries, the sitemap and robots.txt.

use serde::Serialize;
use tera::TeraResult;

use super::{Ctx, Family, Job, Listing, PageContext};
use crate::content::shortcode;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;

/// How many of the newest summaries the feed carries.
const FEED_ENTRIES: usize = 30;

pub struct Feeds;

impl Family for Feeds {
    fn jobs<'a>(&self, _model: &'a Model) -> Vec<Job<'a>> {
        vec![
            Job::new(Route::feed(), "工作进展订阅", "feed.xml", feed).listing(Listing::Unlisted),
            Job::new(
                Route::sitemap(),
                "sitemap.xml",
                "sitemap.xml",
                |cx, _, c| {
                    c.insert("entries", cx.sitemap);
                    Ok(())
                },
            )
            .listing(Listing::Unlisted),
            Job::new(Route::robots(), "robots.txt", "robots.txt", |cx, _, c| {
                let url = Route::sitemap().absolute(&cx.model.config.base_url);
                c.insert("sitemap_url", &url);
                Ok(())
            })
            .listing(Listing::Unlisted),
        ]
    }
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: String,
    content_html: String,
    category: &'a str,
}

fn feed(cx: &Ctx, _meta: &mut Meta, c: &mut PageContext) -> TeraResult<()> {
    let model = cx.model;
    let entries: Vec<FeedEntry> = model
        .summaries
        .iter()
        .take(FEED_ENTRIES)
        .map(|s| FeedEntry {
            title: &s.title,
            url: s.route().absolute(&model.config.base_url),
            updated: s.date.rfc3339(),
            summary: s.body.excerpt.clone(),
            // A feed reader shows no charts: the shortcodes go, the text stays.
            content_html: shortcode::strip(&shortcode::html(&s.body)),
            category: model
                .areas
                .get(&s.area)
                .map_or(s.area.as_str(), |a| a.short_name.as_str()),
        })
        .collect();
    // Atom wants a date even for a feed with no entries: the newest figure, else the start of
    // the site's year, else the start of the epoch (a site with neither has nothing to date).
    let updated = model
        .summaries
        .iter()
        .map(|s| s.date)
        .max()
        .or_else(|| model.indicators_updated())
        .or_else(|| {
            model.config.year.map(|year| crate::model::period::Date {
                year,
                month: 1,
                day: 1,
            })
        })
        .map_or_else(|| "1970-01-01T00:00:00+08:00".to_string(), |d| d.rfc3339());
    c.insert("entries", &entries);
    c.insert("updated", &updated);
    c.insert("feed_url", &Route::feed().absolute(&model.config.base_url));
    Ok(())
}
