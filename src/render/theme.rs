//! Themes: the tera templates and static files that give the site its look. The default theme
//! is compiled into the binary, so a site root without `themes/` builds; a site's own
//! `themes/<name>/` overrides it template by template and file by file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::load;
use crate::diagnostic::{Code, Diagnostic};

/// The default theme as shipped in `themes/default/` (templates and static files), compiled in
/// whole: a file added to the folder is in the binary without a list to keep.
static DEFAULT_THEME: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file under `dir` of the embedded theme, by its path relative to `dir`.
fn embedded_files(dir: &str) -> impl Iterator<Item = (String, &'static [u8])> {
    let prefix = format!("{dir}/");
    DEFAULT_THEME
        .get_dir(dir)
        .into_iter()
        .flat_map(|d| all_files(d))
        .map(move |f| {
            let path = f.path().to_string_lossy().replace('\\', "/");
            (
                path.strip_prefix(&prefix).unwrap_or(&path).to_string(),
                f.contents(),
            )
        })
}

fn all_files(dir: &'static include_dir::Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Template name (`base.html`) → its text.
    pub templates: BTreeMap<String, String>,
    /// Path under the site root (`assets/style.css`) → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme as compiled into the binary.
    pub fn embedded() -> Theme {
        Theme {
            name: crate::model::config::DEFAULT_THEME.to_string(),
            templates: embedded_files("templates")
                .map(|(n, b)| (n, String::from_utf8_lossy(b).into_owned()))
                .collect(),
            static_files: embedded_files("static")
                .map(|(n, b)| (n, b.to_vec()))
                .collect(),
        }
    }

    /// The embedded default theme with the site's `themes/<name>/` laid over it.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::embedded();
        theme.name = name.to_string();
        let dir = load::theme_dir(root, name);
        if !dir.is_dir() {
            if name == crate::model::config::DEFAULT_THEME {
                return Ok(theme);
            }
            return Err(vec![Diagnostic::error(
                Code::BadValue,
                format!("找不到主题 {name}：没有 themes/{name}/ 文件夹"),
                format!("theme `{name}` not found"),
            )
            .in_file("content/site.yaml")
            .with_hint(
                "删除 site.yaml 中的 theme 一行以使用默认主题，或创建该文件夹",
            )]);
        }
        let mut errors = Vec::new();
        let (templates, mut e) = load::read_tree(root, &dir.join("templates"));
        errors.append(&mut e);
        for (path, bytes) in templates {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    theme.templates.insert(path, text);
                }
                Err(_) => errors.push(
                    Diagnostic::error(
                        Code::NotUtf8,
                        "模板文件不是 UTF-8 编码",
                        "template is not UTF-8",
                    )
                    .in_file(format!("themes/{name}/templates/{path}")),
                ),
            }
        }
        let (files, mut e) = load::read_tree(root, &dir.join("static"));
        errors.append(&mut e);
        theme.static_files.extend(files);
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_every_page_template() {
        let t = Theme::embedded();
        for name in [
            "base.html",
            "index.html",
            "summary.html",
            "404.html",
            "feed.xml",
            "sitemap.xml",
            "components/indicator.html",
        ] {
            assert!(t.templates.contains_key(name), "{name}");
        }
        for file in ["assets/style.css", "assets/search.js", "assets/a11y.js"] {
            assert!(t.static_files.contains_key(file), "{file}");
        }
    }

    #[test]
    fn site_theme_overrides_one_template() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("themes/mine/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("404.html"), "我的404").unwrap();
        let t = Theme::load(root.path(), "mine").unwrap();
        assert_eq!(t.templates["404.html"], "我的404");
        assert_eq!(
            t.templates["base.html"],
            Theme::embedded().templates["base.html"]
        );
    }

    #[test]
    fn a_missing_named_theme_is_an_error_but_default_is_not() {
        let root = tempfile::tempdir().unwrap();
        assert!(Theme::load(root.path(), "default").is_ok());
        assert_eq!(
            Theme::load(root.path(), "nope").unwrap_err()[0].code,
            Code::BadValue
        );
    }
}
