//! The render stage: a pure function from the `Model` to an `Output` (path → bytes). It reads no
//! file and no clock; pages are rendered in parallel and HTML is minified here, so that a sink
//! only has to store bytes.

pub mod chart;
mod components;
mod engine;
pub mod open_data;
pub mod output;
mod pages;
pub mod report;
pub mod search;
pub mod theme;
pub mod thumbnail;
pub mod view;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::body::Packed;
use crate::model::config::base_path;
use crate::model::route::Route;
use crate::model::Model;
use crate::render::theme::Theme;
use crate::render::thumbnail::Thumbnail;
use bytes::Bytes;
use engine::{engine, minify, template_error};
use output::{Collect, Output, Sink, Unique, Written};
use rayon::prelude::*;

use view::STATUS_CSS;

/// What one build leaves for the next, so that `serve` re-renders only what changed: each
/// page's fingerprint (template and values) and bytes, and the thumbnails by image. A page whose
/// fingerprint is unchanged would render to the same bytes, so the result always equals a
/// full build. A page made of its own content ([`pages::Job::made_of`]) is reused without
/// even building its values while that content and the rest of the site are unchanged.
#[derive(Default)]
pub struct RenderCache {
    /// Fingerprint of the templates and the global values: when it changes, nothing is reused.
    engine: u64,
    /// Digest of the site's content besides its summaries, as the load stage gave it.
    rest: u64,
    pages: HashMap<String, CachedPage>,
    pub(crate) thumbnails: HashMap<String, (u64, Thumbnail)>,
    /// The engine with the theme's templates compiled, by a digest of the templates: compiling
    /// them again was a seventh of a save's rebuild on the default site.
    compiled: Option<(u64, tera::Tera)>,
    /// How many pages the last build rendered (the rest came from the cache).
    pub rendered: usize,
}

struct CachedPage {
    fingerprint: u64,
    /// The page's own content, when it has one.
    made_of: Option<MadeOf>,
    bytes: Bytes,
}

/// A page's own content, and a digest of what else it is made of (template, date).
struct MadeOf {
    digest: u64,
    /// The content itself, shared with the model: an unchanged file is the same text, so that
    /// comparing it costs nothing where hashing it cost a pass over every summary.
    front: Arc<str>,
    body: Packed,
}

impl MadeOf {
    fn same_as(&self, other: Option<&MadeOf>) -> bool {
        other.is_some_and(|other| {
            self.digest == other.digest
                && (Arc::ptr_eq(&self.front, &other.front) || self.front == other.front)
                && self.body.same(&other.body)
        })
    }
}

/// One page of a build: rendered now (`fresh`) or taken from the cache.
struct RenderedPage {
    route: Route,
    page: CachedPage,
    fresh: bool,
}

/// Whether a render makes the search index too, or leaves it to [`search_index`]: the preview
/// makes it after the edited page has reloaded, since it costs as much as all the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Included,
    Later,
}

/// Renders the whole site into memory.
pub fn render(model: &Model, theme: &Theme) -> Result<Output, Vec<Diagnostic>> {
    let sink = Collect::default();
    render_to(model, theme, None, Search::Included, &sink)?;
    Ok(sink.into_output())
}

/// Renders the site into memory but for its search index, reusing from `cache` every page
/// whose inputs did not change.
/// `rest` is the digest of the site's content besides its summaries.
pub fn render_cached(
    model: &Model,
    theme: &Theme,
    cache: &mut RenderCache,
    rest: u64,
) -> Result<Output, Vec<Diagnostic>> {
    let sink = Collect::default();
    if cache.rest != rest {
        cache.rest = rest;
        for page in cache.pages.values_mut() {
            page.made_of = None;
        }
    }
    render_to(model, theme, Some(cache), Search::Later, &sink)?;
    Ok(sink.into_output())
}

/// The files of the search index, as [`render`] makes them, each handed to `emit`.
pub fn search_index(model: &Model, emit: impl FnMut(String, Vec<u8>)) {
    let base = base_path(&model.config.base_url);
    search::index_files(&pages::search_documents(model, &base), emit);
}

/// Renders the site, handing each file to `sink` as soon as it is made: a page's bytes are
/// dropped once the sink has them, unless `cache` keeps them for the next build. On error the
/// sink may have received part of the site; it must not publish it.
pub fn render_to(
    model: &Model,
    theme: &Theme,
    mut cache: Option<&mut RenderCache>,
    search: Search,
    sink: &dyn Sink,
) -> Result<Written, Vec<Diagnostic>> {
    let templates = digest(&theme.templates);
    let compiled = cache
        .as_deref_mut()
        .and_then(|c| c.compiled.take())
        .filter(|(key, _)| *key == templates);
    let mut tera = match compiled {
        Some((_, tera)) => tera,
        None => engine(theme)?,
    };
    let base = base_path(&model.config.base_url);
    let globals = pages::globals(model, &base);
    let engine_key = digest((templates, globals.fingerprint()));
    if let Some(cache) = cache.as_deref_mut() {
        if cache.engine != engine_key {
            cache.pages.clear();
            cache.engine = engine_key;
        }
    }
    // A reused engine holds the globals of the build before.
    *tera.global_context() = tera::Context::new();
    tera.global_context().extend(globals.context);
    let jobs = pages::jobs(model);
    let sitemap = pages::sitemap(model, &jobs);
    let no_thumbnails = HashMap::new();
    let mut shared = pages::Shared::new(
        model,
        base.clone(),
        cache.as_deref().map_or(&no_thumbnails, |c| &c.thumbnails),
    );
    let columns = pages::column_names(model, &base);
    let cx = pages::Ctx {
        model,
        shared: &shared,
        base: &base,
        tera: &tera,
        sitemap: &sitemap,
        fingerprint: cache.is_some(),
        columns: &columns,
    };
    let unique = Unique::new(sink);
    let mut errors = Vec::new();
    let duplicate = |path: String, origin: &str| {
        Diagnostic::error(
            Code::Duplicate,
            format!("输出文件 {path} 重复：与网站生成的页面同名"),
            "two files would be written to the same output path",
        )
        .in_file(if origin.is_empty() {
            path
        } else {
            origin.to_string()
        })
        .with_hint("给这个文件改名或移到别的文件夹")
    };
    let previous = cache.as_deref();
    let keep = previous.is_some();
    let rendered: Vec<Result<Option<RenderedPage>, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let page = render_page(job, &cx, theme, previous)?;
            let path = page.route.output_path();
            let (bytes, kept) = if keep {
                (page.page.bytes.clone(), Some(page))
            } else {
                (page.page.bytes, None)
            };
            unique.put(path, bytes).map_err(|p| duplicate(p, ""))?;
            Ok(kept)
        })
        .collect();
    match cache {
        Some(cache) => {
            cache.keep(rendered, &mut errors);
            cache.thumbnails = shared.thumbnail_cache();
            cache.compiled = Some((templates, tera));
        }
        None => errors.extend(rendered.into_iter().filter_map(Result::err)),
    }
    errors.extend(shared.unreadable_images.iter().map(|path| {
        Diagnostic::error(
            Code::BadValue,
            format!("无法读取图片 content/{path}：只支持 JPEG 和 PNG"),
            "image is not a readable JPEG or PNG",
        )
        .in_file(format!("content/{path}"))
        .with_hint("用图片软件另存为 JPEG 或 PNG 格式")
    }));
    let mut put = |path: String, bytes: Bytes, origin: &str| {
        if let Err(path) = unique.put(path, bytes) {
            errors.push(duplicate(path, origin));
        }
    };
    for (path, bytes) in generated_files(&mut shared) {
        put(path, bytes.into(), "");
    }
    if search == Search::Included {
        search_index(model, |path, bytes| put(path, bytes.into(), ""));
    }
    let statics = theme.static_files.iter().map(|(p, b)| {
        (
            p.clone(),
            Bytes::from(b.clone()),
            format!("themes/{}/static/{p}", theme.name),
        )
    });
    let assets = model.assets.iter().map(|a| {
        (
            a.path.clone(),
            a.bytes.clone(),
            format!("content/{}", a.path),
        )
    });
    for (path, bytes, origin) in statics.chain(assets) {
        put(path, bytes, &origin);
    }
    if errors.is_empty() {
        Ok(unique.written())
    } else {
        errors.dedup_by(|a, b| a.file == b.file && a.message_en == b.message_en);
        Err(errors)
    }
}

/// A digest of what a page is made of.
fn digest(parts: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// One page, from the cache when its content (for a page made of its own) or its fingerprint
/// is unchanged. A page the cache has is fingerprinted first without converting its values for
/// the engine, which only a page to render again needs.
fn render_page(
    job: &pages::Job,
    cx: &pages::Ctx,
    theme: &Theme,
    cache: Option<&RenderCache>,
) -> Result<RenderedPage, Diagnostic> {
    let (template, route) = (job.template, job.route.clone());
    let cached = cache.and_then(|c| c.pages.get(route.as_str()));
    let made_of = cache.and(job.made_of).map(|(front, body)| MadeOf {
        digest: digest((template, &job.updated)),
        front: front.clone(),
        body: body.clone(),
    });
    let reuse = |cached: &CachedPage, fingerprint: u64, made_of: Option<MadeOf>| RenderedPage {
        route: route.clone(),
        page: CachedPage {
            fingerprint,
            made_of,
            bytes: cached.bytes.clone(),
        },
        fresh: false,
    };
    if let Some(cached) = cached {
        if made_of
            .as_ref()
            .is_some_and(|m| m.same_as(cached.made_of.as_ref()))
        {
            return Ok(reuse(cached, cached.fingerprint, made_of));
        }
        let values =
            pages::fingerprint(job, cx).map_err(|e| template_error(theme, Some(template), &e))?;
        let fingerprint = digest((template, values));
        if cached.fingerprint == fingerprint {
            return Ok(reuse(cached, fingerprint, made_of));
        }
    }
    let context = pages::context(job, cx).map_err(|e| template_error(theme, Some(template), &e))?;
    let fingerprint = digest((template, context.fingerprint()));
    let text = cx
        .tera
        .render(template, &context.context)
        .map_err(|e| template_error(theme, Some(template), &e))?;
    let bytes = if template.ends_with(".html") {
        minify(text.as_bytes())
    } else {
        text.into_bytes()
    };
    Ok(RenderedPage {
        route,
        page: CachedPage {
            fingerprint,
            made_of,
            bytes: bytes.into(),
        },
        fresh: true,
    })
}

impl RenderCache {
    /// Keeps this build's pages for the next one; adds the errors to `errors`.
    fn keep(
        &mut self,
        rendered: Vec<Result<Option<RenderedPage>, Diagnostic>>,
        errors: &mut Vec<Diagnostic>,
    ) {
        self.rendered = 0;
        self.pages = HashMap::with_capacity(rendered.len());
        for result in rendered {
            match result {
                Ok(Some(page)) => {
                    self.rendered += usize::from(page.fresh);
                    self.pages
                        .insert(page.route.as_str().to_string(), page.page);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
    }
}

/// The files made from the model besides the pages and the search index: open data, the status
/// stylesheet and the thumbnails.
fn generated_files(shared: &mut pages::Shared) -> Vec<(String, Vec<u8>)> {
    shared
        .take_catalogue()
        .into_files()
        .into_iter()
        .chain(std::iter::once((
            STATUS_CSS.to_string(),
            view::status_css().into_bytes(),
        )))
        .chain(
            shared
                .thumbnails
                .values()
                .map(|t| (t.path.clone(), t.bytes.clone())),
        )
        .collect()
}
