//! The template engine of a theme, its error reports and the HTML minifier: what both the site
//! and the print report render with.

use tera::Tera;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::theme::Theme;

/// Builds the template engine of a theme.
pub fn engine(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
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

pub fn template_error(theme: &Theme, template: Option<&str>, error: &tera::Error) -> Diagnostic {
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

pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    // Keep what validators and old browsers expect: `<html lang>`, closing tags and quotes.
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    minify_html::minify(html, &cfg)
}
