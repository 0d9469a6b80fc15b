//! The `Site`: runs the stages in order (load → validate → render) for a site root and hands
//! the result to a sink. Commands call this; they never reach into the stages themselves.

use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Code, Diagnostic};
use crate::load;
use crate::model::Model;
use crate::output::Output;
use crate::render;
use crate::sink;
use crate::theme::Theme;
use crate::validate::{self, Options};

pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// Loads and validates a site root into its model, or every diagnostic found on the way.
pub fn model(options: &BuildOptions) -> Result<Model, Vec<Diagnostic>> {
    let validate_options = Options {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
    };
    let (loaded, mut errors) = load::load_content(&options.root);
    let config = match validate::config(&loaded, &validate_options) {
        Ok(config) => Some(config),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let theme_name = config
        .as_ref()
        .map_or(crate::config::DEFAULT_THEME, |c| c.theme.as_str());
    let theme = Theme::load(&options.root, theme_name).map_err(|mut e| {
        errors.append(&mut e);
    });
    let model = match (config, theme) {
        (Some(config), Ok(theme)) => validate::validate(loaded, config, theme, &validate_options),
        _ => Err(Vec::new()),
    };
    match model {
        Ok(model) if !errors.iter().any(Diagnostic::is_error) => Ok(model),
        Ok(_) => Err(errors),
        Err(mut e) => {
            errors.append(&mut e);
            diagnostic::sort(&mut errors);
            Err(errors)
        }
    }
}

/// The whole site in memory.
pub fn render(options: &BuildOptions) -> Result<Output, Vec<Diagnostic>> {
    render::render(&model(options)?)
}

/// The whole site in memory, re-rendering only the pages whose inputs changed since the build
/// that filled `cache` (the preview server's rebuilds).
pub fn render_cached(
    options: &BuildOptions,
    cache: &mut render::RenderCache,
) -> Result<Output, Vec<Diagnostic>> {
    render::render_cached(&model(options)?, cache)
}

/// Refuses output folders that would swallow the site root or its content: the build replaces
/// the whole folder.
fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, out) = (absolute(root), absolute(out));
    if root.starts_with(&out)
        || out.starts_with(root.join(load::CONTENT_DIR))
        || out.starts_with(root.join("themes"))
    {
        return Err(Diagnostic::error(
            Code::Output,
            format!(
                "输出文件夹 {} 不能包含站点根目录，也不能在 content/ 或 themes/ 里",
                out.display()
            ),
            "the output folder would overwrite the site's own files",
        )
        .with_hint("用 --out 指定一个单独的文件夹，例如 public"));
    }
    Ok(())
}

/// Builds the site into `out`. Nothing is written unless the whole build succeeded.
pub fn build(options: &BuildOptions, out: &Path) -> Result<Output, Vec<Diagnostic>> {
    check_out_dir(&options.root, out).map_err(|e| vec![e])?;
    let output = render(options)?;
    sink::write_to_disk(&output, out).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入输出文件夹 {}", out.display()),
            format!("cannot write the output: {e}"),
        )
        .with_hint("检查磁盘空间和文件夹权限；原有的输出没有被改动")]
    })?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_contain_the_root_or_sit_in_content() {
        let root = Path::new("/srv/site");
        assert!(check_out_dir(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_out_dir(root, Path::new("/srv/public")).is_ok());
        assert!(check_out_dir(root, Path::new("/srv/site")).is_err());
        assert!(check_out_dir(root, Path::new("/srv")).is_err());
        assert!(check_out_dir(root, Path::new("/srv/site/content/x")).is_err());
    }
}
