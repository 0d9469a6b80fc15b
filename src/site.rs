//! The `Site`: loads a site root once (content → model, plus the theme) and keeps every warning
//! of every stage beside the model. Every command works on a `Site`; none reaches into the
//! stages itself.

use std::path::{Path, PathBuf};

use crate::content::load;
use crate::content::validate::{self, Options};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::model::Model;
use crate::output::{disk, lock, Output};
use crate::render::{self, theme::Theme, RenderCache};

pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// A loaded, validated site root.
pub struct Site {
    pub root: PathBuf,
    pub model: Model,
    pub theme: Theme,
    /// Warnings of every stage, in file order; the command shows them once.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// Loads and validates a site root: the site with its warnings, or every diagnostic found
    /// on the way (errors and warnings together, sorted).
    pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        let validate_options = Options {
            drafts: options.drafts,
            base_url: options.base_url.clone(),
        };
        let (loaded, mut found) = load::load_content(&options.root);
        let config = match validate::config(&loaded, &validate_options) {
            Ok(config) => Some(config),
            Err(mut e) => {
                found.append(&mut e);
                None
            }
        };
        let theme_name = config
            .as_ref()
            .map_or(crate::model::config::DEFAULT_THEME, |c| c.theme.as_str());
        let theme = Theme::load(&options.root, theme_name).map_err(|mut e| {
            found.append(&mut e);
        });
        let model = match config {
            Some(config) => validate::validate(loaded, config, &validate_options),
            None => Err(Vec::new()),
        };
        match (model, theme) {
            (Ok(model), Ok(theme)) if !found.iter().any(Diagnostic::is_error) => {
                diagnostic::sort(&mut found);
                Ok(Site {
                    root: options.root.clone(),
                    model,
                    theme,
                    warnings: found,
                })
            }
            (model, _) => {
                if let Err(mut e) = model {
                    found.append(&mut e);
                }
                diagnostic::sort(&mut found);
                Err(found)
            }
        }
    }

    /// The whole site in memory.
    pub fn render(&self) -> Result<Output, Vec<Diagnostic>> {
        render::render(&self.model, &self.theme)
    }

    /// The whole site in memory, re-rendering only the pages whose inputs changed since the
    /// build that filled `cache` (the preview server's rebuilds).
    pub fn render_cached(&self, cache: &mut RenderCache) -> Result<Output, Vec<Diagnostic>> {
        render::render_cached(&self.model, &self.theme, cache)
    }
}

/// Builds the site into `out`. Nothing is written unless the whole build succeeded, and only
/// into a folder ecosite may replace; one build of a root at a time. Returns the output and the
/// warnings of every stage.
pub fn build(
    options: &BuildOptions,
    out: &Path,
) -> Result<(Output, Vec<Diagnostic>), Vec<Diagnostic>> {
    let work = options.root.join(disk::WORK_DIR);
    disk::check_target(&options.root, out).map_err(|e| vec![e])?;
    let _lock = lock::acquire(&work, "build").map_err(|e| vec![e])?;
    let site = Site::load(options)?;
    let output = site.render()?;
    disk::write_to_disk(&output, out, &work).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入输出文件夹 {}", out.display()),
            format!("cannot write the output: {e}"),
        )
        .with_hint("原有的输出没有被改动；请按上面的系统错误检查该文件夹（权限、磁盘空间或只读的文件系统）")]
    })?;
    Ok((output, site.warnings))
}
