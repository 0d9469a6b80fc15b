//! The render stage: a pure function from the `Model` to an `Output` (path → bytes). It reads no
//! file and no clock; pages are rendered in parallel and HTML is minified here, so that a sink
//! only has to store bytes.

mod pages;
pub mod view;

use rayon::prelude::*;
use tera::Tera;

use crate::config::base_path;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;
use crate::output::Output;
use crate::route::Route;
use crate::theme::Theme;

pub use pages::Job;

/// The stylesheet of status colours, generated from `status` so that it never drifts.
pub const STATUS_CSS: &str = "assets/status.css";

/// Builds the template engine of a theme, with the site-wide values as its global context.
fn engine(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(|e| vec![template_error(theme, None, &e)])?;
    Ok(tera)
}

fn template_error(theme: &Theme, template: Option<&str>, error: &tera::Error) -> Diagnostic {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let file = match template {
        Some(t) => format!("themes/{}/templates/{t}", theme.name),
        None => format!("themes/{}/templates", theme.name),
    };
    Diagnostic::error(Code::Template, "主题模板出错", text)
        .in_file(file)
        .with_hint("检查模板的语法与变量名；删除自定义模板即可恢复默认主题")
}

fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    // Keep what validators and old browsers expect: `<html lang>`, closing tags and quotes.
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    minify_html::minify(html, &cfg)
}

/// Renders the whole site.
pub fn render(model: &Model) -> Result<Output, Vec<Diagnostic>> {
    let mut tera = engine(&model.theme)?;
    let base = base_path(&model.config.base_url);
    let globals = pages::globals(model, &base);
    tera.global_context().extend(globals);
    let jobs = pages::jobs(model);
    let shared = pages::Shared::new(model, base.clone());
    let rendered: Vec<Result<(Route, Vec<u8>), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let (template, context) = pages::context(model, job, &shared, &jobs);
            let text = tera
                .render(template, &context)
                .map_err(|e| template_error(&model.theme, Some(template), &e))?;
            let route = job.route();
            let bytes = if template.ends_with(".html") {
                minify(text.as_bytes())
            } else {
                text.into_bytes()
            };
            Ok((route, bytes))
        })
        .collect();

    let mut output = Output::default();
    let mut errors = Vec::new();
    let mut pages = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok(page) => pages.push(page),
            Err(e) => errors.push(e),
        }
    }
    let statics = model.theme.static_files.iter().map(|(p, b)| {
        (
            p.clone(),
            b.clone(),
            format!("themes/{}/static/{p}", model.theme.name),
        )
    });
    let generated = crate::open_data::catalogue(model)
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
        .map(|(p, b)| (p, b, String::new()));
    for path in &shared.unreadable_images {
        errors.push(
            Diagnostic::error(
                Code::BadValue,
                format!("无法读取图片 content/{path}：只支持 JPEG 和 PNG"),
                "image is not a readable JPEG or PNG",
            )
            .in_file(format!("content/{path}"))
            .with_hint("用图片软件另存为 JPEG 或 PNG 格式"),
        );
    }
    let assets = model.assets.iter().map(|a| {
        (
            a.path.clone(),
            a.bytes.clone(),
            format!("content/{}", a.path),
        )
    });
    let files = pages
        .into_iter()
        .map(|(route, bytes)| (route.output_path(), bytes, String::new()))
        .chain(generated)
        .chain(statics)
        .chain(assets);
    for (path, bytes, origin) in files {
        if let Err(path) = output.insert(path, bytes) {
            errors.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("输出文件 {path} 重复：与网站生成的页面同名"),
                    "two files would be written to the same output path",
                )
                .in_file(if origin.is_empty() { path } else { origin })
                .with_hint("给这个文件改名或移到别的文件夹"),
            );
        }
    }
    if errors.is_empty() {
        Ok(output)
    } else {
        errors.dedup_by(|a, b| a.file == b.file && a.message_en == b.message_en);
        Err(errors)
    }
}
