//! The `Site`: loads a site root once (content → model, plus the theme) and keeps every warning
//! of every stage beside the model. Every command works on a `Site`; none reaches into the
//! stages itself.

use std::path::{Path, PathBuf};

use crate::content::cache::LoadCache;
use crate::content::load;
use crate::content::validate::{self, Options};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::model::Model;
use crate::output::{disk, lock, Output, Written};
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
    /// Every file of `content/` as read (path relative to `content/`, bytes).
    pub content: Vec<(String, Vec<u8>)>,
    /// A digest of the content besides the summaries: what every summary page is made of
    /// besides its own file, so that the preview can reuse those pages while it holds.
    rest: u64,
}

impl Site {
    /// Loads and validates a site root: the site with its warnings, or every diagnostic found
    /// on the way (errors and warnings together, sorted).
    pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        Site::load_from(options, load::load_content(&options.root, false), None)
    }

    /// Like [`Site::load`], parsing again only the files that changed since the load that
    /// filled `cache` (the preview server's rebuilds). `changed` lists the paths the watcher
    /// saw change since that load: only those are read again; `None` reads every file.
    pub fn load_cached(
        options: &BuildOptions,
        cache: &mut LoadCache,
        changed: Option<&[PathBuf]>,
    ) -> Result<Site, Vec<Diagnostic>> {
        let content = cache.content(&options.root, changed);
        Site::load_from(options, content, Some(cache))
    }

    /// Like [`Site::load`], keeping the bytes of every content file for
    /// [`Site::content_digest`] (what a snapshot is made from).
    pub fn load_for_archive(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        Site::load_from(options, load::load_content(&options.root, true), None)
    }

    /// The site as it would be with the files of `edits` (`content/...` → text) written:
    /// how a command that writes content checks what it would write before it writes it.
    pub fn load_edited(
        options: &BuildOptions,
        edits: &[(String, String)],
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut tree = load::Tree::read(&options.root, false);
        for (rel, text) in edits {
            tree.put(rel, text);
        }
        Site::load_from(options, tree.into_loaded(), None)
    }

    fn load_from(
        options: &BuildOptions,
        (mut loaded, mut found): (load::Loaded, Vec<Diagnostic>),
        cache: Option<&LoadCache>,
    ) -> Result<Site, Vec<Diagnostic>> {
        let validate_options = Options {
            drafts: options.drafts,
            base_url: options.base_url.clone(),
        };
        found.extend(validate::unknown_fields(&loaded, cache));
        let content = std::mem::take(&mut loaded.files);
        let rest = digest_besides_summaries(&loaded);
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
            Some(config) => validate::validate(loaded, config, &validate_options, cache),
            None => Err(Vec::new()),
        };
        let model = model.map(|(model, mut warnings)| {
            found.append(&mut warnings);
            model
        });
        match (model, theme) {
            (Ok(model), Ok(theme)) if !found.iter().any(Diagnostic::is_error) => {
                diagnostic::sort(&mut found);
                Ok(Site {
                    root: options.root.clone(),
                    model,
                    theme,
                    warnings: found,
                    content,
                    rest,
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

    /// One digest over the content the site was loaded from, for a snapshot to name it.
    pub fn content_digest(&self) -> String {
        crate::output::manifest::digest(&self.content)
    }

    /// The whole site in memory.
    pub fn render(&self) -> Result<Output, Vec<Diagnostic>> {
        render::render(&self.model, &self.theme)
    }

    /// The site in memory but for its search index ([`Site::search_index`]), re-rendering only
    /// the pages whose inputs changed since the build that filled `cache` (the preview server's
    /// rebuilds).
    pub fn render_cached(&self, cache: &mut RenderCache) -> Result<Output, Vec<Diagnostic>> {
        render::render_cached(&self.model, &self.theme, cache, self.rest)
    }

    /// The files of the search index, each handed to `emit`.
    pub fn search_index(&self, emit: impl FnMut(String, Vec<u8>)) {
        render::search_index(&self.model, emit)
    }
}

/// A digest of every file of `content/` but the summaries.
fn digest_besides_summaries(loaded: &load::Loaded) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    let texts = [&loaded.site, &loaded.areas, &loaded.environment_day_intro]
        .into_iter()
        .flatten()
        .chain(&loaded.pages)
        .chain(&loaded.indicators)
        .chain(&loaded.facilities)
        .chain(&loaded.environment_days);
    for file in texts {
        (&file.path, &*file.text).hash(&mut hasher);
    }
    for asset in &loaded.assets {
        (&asset.path, &asset.bytes).hash(&mut hasher);
    }
    hasher.finish()
}

/// Builds the site into `out`, streaming each file to disk as it is rendered. Nothing is
/// published unless the whole build succeeded, and only into a folder ecosite may replace; one
/// build of a root at a time. Returns what was written and the warnings of every stage.
pub fn build(
    options: &BuildOptions,
    out: &Path,
) -> Result<(Written, Vec<Diagnostic>), Vec<Diagnostic>> {
    let work = options.root.join(disk::WORK_DIR);
    disk::check_target(&options.root, out).map_err(|e| vec![e])?;
    let _lock = lock::acquire(&work, "build").map_err(|e| vec![e])?;
    let site = Site::load(options)?;
    let cannot_write = |e: std::io::Error| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入输出文件夹 {}", out.display()),
            format!("cannot write the output: {e}"),
        )
        .with_hint("原有的输出没有被改动；请按上面的系统错误检查该文件夹（权限、磁盘空间或只读的文件系统）")]
    };
    let staging = disk::Staging::open(out, &work).map_err(cannot_write)?;
    let written = render::render_to(
        &site.model,
        &site.theme,
        None,
        render::Search::Included,
        &staging,
    )?;
    staging.publish().map_err(cannot_write)?;
    Ok((written, site.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_contain_the_root_or_sit_in_its_own_folders() {
        let root = Path::new("/srv/site");
        assert!(disk::check_target(root, Path::new("/srv/site/public")).is_ok());
        assert!(disk::check_target(root, Path::new("/srv/public")).is_ok());
        for refused in [
            "/srv/site",
            "/srv",
            "/",
            "/srv/site/content/x",
            "/srv/site/archive",
        ] {
            assert!(
                disk::check_target(root, Path::new(refused)).is_err(),
                "{refused}"
            );
        }
        for refused in ["/srv/site/themes", "/srv/site/.ecosite/previous"] {
            assert!(
                disk::check_target(root, Path::new(refused)).is_err(),
                "{refused}"
            );
        }
    }

    /// A copy of the repository's default content in a temporary site root.
    fn default_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(load::CONTENT_DIR);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir
                .path()
                .join(load::CONTENT_DIR)
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn options(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            drafts: false,
            base_url: None,
        }
    }

    #[test]
    fn load_keeps_the_warnings_of_every_stage() {
        let dir = default_site();
        let root = dir.path();
        let page = root.join("content/pages/about.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replacen("---\n", "---\ntitel: 错字\n", 1)).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("content/pages"), root.join("content/linked"))
            .unwrap();
        let site = Site::load(&options(root)).unwrap_or_else(|d| panic!("{d:?}"));
        let codes: Vec<Code> = site.warnings.iter().map(|d| d.code).collect();
        assert_eq!(
            codes.iter().filter(|c| **c == Code::UnknownField).count(),
            1,
            "{codes:?}"
        );
        #[cfg(unix)]
        assert!(
            codes.contains(&Code::BadPath),
            "the symlinked folder: {codes:?}"
        );
    }

    #[test]
    fn load_keeps_the_content_bytes_for_the_digest() {
        let dir = default_site();
        assert!(Site::load(&options(dir.path())).unwrap().content.is_empty());
        let site = Site::load_for_archive(&options(dir.path())).unwrap();
        let (content, errors) = load::read_tree(dir.path(), &dir.path().join(load::CONTENT_DIR));
        assert!(errors.is_empty());
        assert_eq!(
            site.content_digest(),
            crate::output::manifest::digest(&content)
        );
    }

    #[test]
    fn a_cached_load_parses_again_only_what_changed_and_equals_a_full_load() {
        let dir = default_site();
        let root = dir.path();
        let mut cache = LoadCache::default();
        let first = Site::load_cached(&options(root), &mut cache, None).unwrap();
        let all = cache.take_parsed();
        let files = first.model.summaries.len() + first.model.indicators.len();
        // (a draft is parsed too, and left out of the model)
        assert!(all >= files && all > first.model.summaries.len(), "{all}");

        let summary = root.join("content/summaries/water/2024-q1-clear-water.md");
        let original = std::fs::read_to_string(&summary).unwrap();
        std::fs::write(&summary, original.replacen("title: ", "title: 改后", 1)).unwrap();
        let second = Site::load_cached(&options(root), &mut cache, None).unwrap();
        assert_eq!(cache.take_parsed(), 1, "only the saved file");
        let full = Site::load(&options(root)).unwrap();
        assert_eq!(second.render().unwrap(), full.render().unwrap());

        // An indicator's figure changed: only its file is parsed again, and the site shows it.
        let indicator = root.join("content/indicators/cod-reduction.yaml");
        let yaml = std::fs::read_to_string(&indicator).unwrap();
        let name = serde_yaml::from_str::<serde_yaml::Value>(&yaml).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string();
        std::fs::write(
            &indicator,
            yaml.replacen(&name, &format!("{name}（改）"), 1),
        )
        .unwrap();
        let third = Site::load_cached(&options(root), &mut cache, None).unwrap();
        assert_eq!(cache.take_parsed(), 1, "only the saved indicator");
        assert!(third
            .model
            .indicators
            .iter()
            .any(|i| i.name.ends_with("（改）")));
        let full = Site::load(&options(root)).unwrap();
        assert_eq!(third.render().unwrap(), full.render().unwrap());

        // The areas a summary is checked against changed: every summary is parsed again.
        let areas = root.join("content/areas.yaml");
        let text = std::fs::read_to_string(&areas).unwrap();
        std::fs::write(&areas, format!("{text}\n")).unwrap();
        Site::load_cached(&options(root), &mut cache, None).unwrap();
        assert_eq!(cache.take_parsed(), all);

        // A summary with an error stays an error until it is fixed.
        std::fs::write(&summary, "---\ntitle: 没有日期\n---\n正文\n").unwrap();
        assert!(Site::load_cached(&options(root), &mut cache, None).is_err());
        assert!(Site::load_cached(&options(root), &mut cache, None).is_err());
        std::fs::write(&summary, original).unwrap();
        assert!(Site::load_cached(&options(root), &mut cache, None).is_ok());
    }
}
