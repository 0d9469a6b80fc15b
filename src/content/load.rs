//! The load stage: walks a site root's `content/` (and the chosen theme's folder) and reads
//! every file into memory, sorted by path. It decides only what kind each file is; what the
//! files mean is the job of `validate`.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Asset;
use crate::source::SourceFile;

/// A Markdown work summary found at `content/summaries/<area>/<file>.md`.
#[derive(Debug, Clone)]
pub struct SummaryFile {
    /// The folder name: the area unless the front matter says otherwise.
    pub folder: String,
    /// The file name without `.md`.
    pub stem: String,
    pub source: SourceFile,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Option<SourceFile>,
    pub areas: Option<SourceFile>,
    pub summaries: Vec<SummaryFile>,
    pub pages: Vec<SourceFile>,
    pub indicators: Vec<SourceFile>,
    pub facilities: Vec<SourceFile>,
    /// `environment-day/index.md`
    pub environment_day_intro: Option<SourceFile>,
    /// `environment-day/<year>.yaml`
    pub environment_days: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// Every file read from `content/` as it is on disk (path relative to `content/`): what a
    /// snapshot's content digest is made of, so that it need not read the tree again.
    pub files: Vec<(String, Vec<u8>)>,
}

pub const CONTENT_DIR: &str = "content";

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files an editor's tools leave behind (hidden files, backups, swap files, vim's `4913` write
/// test, Windows thumbnails): never published, and saving them is not an edit.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn is_markdown(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".md") || name.ends_with(".markdown")
}

fn unreadable(rel: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Unreadable,
        "无法读取",
        format!("cannot read: {error}"),
    )
    .in_file(rel)
    .with_hint("检查文件是否存在、是否有读取权限")
}

/// A text file from its bytes, refusing anything that is not UTF-8 with the position of the
/// first bad byte.
pub fn text_from_bytes(rel: String, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(rel, &text)),
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = prefix.matches('\n').count() + 1;
            let is_utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
            let hint = if is_utf16 {
                "文件是 UTF-16 编码；请在编辑器中“另存为”UTF-8 编码"
            } else {
                "文件可能是 GBK/GB2312 编码；请在编辑器中“另存为”UTF-8 编码"
            };
            Err(Diagnostic::error(
                Code::NotUtf8,
                format!("文件不是 UTF-8 编码（第 {line} 行起无法识别）"),
                format!("file is not valid UTF-8 (from line {line}, byte {valid_up_to})"),
            )
            .in_file(rel)
            .with_hint(hint))
        }
    }
}

/// Walks `root/content`. Returns what could be read and a diagnostic for everything that could not.
/// With `keep_bytes`, every file's bytes are also kept as read (for an archive's content
/// digest); a build does without that second copy.
pub fn load_content(root: &Path, keep_bytes: bool) -> (Loaded, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut loaded = Loaded::default();
    let mut diagnostics = Vec::new();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingFile,
                format!("找不到内容文件夹 {}", content.display()),
                "the site root has no content/ folder",
            )
            .in_file(CONTENT_DIR)
            .with_hint("用 --root 指定站点根目录（含 content/ 的文件夹）"),
        );
        return (loaded, diagnostics);
    }
    let canonical_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_scratch(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.to_string());
                diagnostics.push(unreadable(&rel, &e));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(root, path);
        let file_type = if entry.file_type().is_symlink() {
            match symlink_target_type(path, &rel, &canonical_root) {
                Ok(file_type) => file_type,
                Err(d) => {
                    diagnostics.push(d);
                    continue;
                }
            }
        } else {
            entry.file_type()
        };
        if file_type.is_file() {
            files.push((entry.into_path(), rel));
        }
    }
    // Reading is most of the load of a large site: the files are read in parallel, and added
    // in the walk's order.
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(path, rel)| {
            let bytes = fs::read(&path);
            (path, rel, bytes)
        })
        .collect();
    for (path, rel, bytes) in read {
        let within: Vec<String> = path
            .strip_prefix(&content)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                diagnostics.push(unreadable(&rel, &e));
                continue;
            }
        };
        if keep_bytes {
            loaded.files.push((within.join("/"), bytes.clone()));
        }
        if let Err(d) = loaded.add(&within, &rel, bytes) {
            diagnostics.push(d);
        }
    }
    // Snapshots are published as they are, under /archive/.
    let (archive, mut archive_errors) = read_tree(root, &root.join("archive"));
    diagnostics.append(&mut archive_errors);
    loaded
        .assets
        .extend(archive.into_iter().map(|(path, bytes)| Asset {
            path: format!("archive/{path}"),
            bytes,
        }));
    loaded.report_missing(&mut diagnostics);
    (loaded, diagnostics)
}

/// What a symlink under `content/` points to, followed only when it stays inside the site
/// root (a link elsewhere would publish files from outside it); `Err` says why a link is
/// skipped.
fn symlink_target_type(
    path: &Path,
    rel: &str,
    canonical_root: &Path,
) -> Result<fs::FileType, Diagnostic> {
    match fs::canonicalize(path) {
        Ok(target) if target.starts_with(canonical_root) => {
            let file_type = fs::metadata(&target)
                .map_err(|e| unreadable(rel, &e))?
                .file_type();
            if file_type.is_dir() {
                return Err(Diagnostic::warning(
                    Code::BadPath,
                    "不跟随指向文件夹的符号链接",
                    "symlinked folders are not followed",
                )
                .in_file(rel));
            }
            Ok(file_type)
        }
        Ok(target) => Err(Diagnostic::error(
            Code::BadPath,
            format!("符号链接指向站点根目录之外：{}", target.display()),
            "symlink points outside the site root",
        )
        .in_file(rel)
        .with_hint("把文件复制到 content/ 里，而不是链接到别处")),
        Err(e) => Err(unreadable(rel, &e)),
    }
}

impl Loaded {
    /// Files the content needs: what kind a file is is decided by where it is (`within` is its
    /// path under `content/`, by component); anything else is an asset published as it is.
    fn add(&mut self, within: &[String], rel: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let text = |bytes| text_from_bytes(rel.to_string(), bytes);
        let name = within.last().cloned().unwrap_or_default();
        match within
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["site.yaml"] => text(bytes).map(|f| self.site = Some(f)),
            ["areas.yaml"] => text(bytes).map(|f| self.areas = Some(f)),
            // Sub-folders of an area (`summaries/air/2023/x.md`) are the area's too: editors
            // may file summaries by year.
            ["summaries", folder, .., file] if is_markdown(file) => text(bytes).map(|source| {
                self.summaries.push(SummaryFile {
                    folder: folder.to_string(),
                    stem: stem(&name),
                    source,
                })
            }),
            ["pages", .., file] if is_markdown(file) => text(bytes).map(|f| self.pages.push(f)),
            ["indicators", file] if is_yaml(file) => text(bytes).map(|f| self.indicators.push(f)),
            ["facilities", file] if is_yaml(file) => text(bytes).map(|f| self.facilities.push(f)),
            ["environment-day", "index.md"] => {
                text(bytes).map(|f| self.environment_day_intro = Some(f))
            }
            ["environment-day", file] if is_yaml(file) => {
                text(bytes).map(|f| self.environment_days.push(f))
            }
            // Markdown is content or nothing: copied as it is it would publish its text,
            // drafts included, as a download.
            [.., file] if is_markdown(file) => Err(stray_markdown(rel)),
            _ => {
                self.assets.push(Asset {
                    path: within.join("/"),
                    bytes,
                });
                Ok(())
            }
        }
    }

    /// site.yaml and areas.yaml are required; their absence is reported unless the file is
    /// there but could not be read (that has its own diagnostic already).
    fn report_missing(&self, diagnostics: &mut Vec<Diagnostic>) {
        for (file, present) in [
            ("site.yaml", self.site.is_some()),
            ("areas.yaml", self.areas.is_some()),
        ] {
            if !present && diagnostics.iter().all(|d| !d.file.ends_with(file)) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::MissingFile,
                        format!("缺少 content/{file}"),
                        format!("content/{file} is missing"),
                    )
                    .in_file(format!("{CONTENT_DIR}/{file}")),
                );
            }
        }
    }
}

fn stray_markdown(rel: &str) -> Diagnostic {
    Diagnostic::error(
        Code::BadPath,
        "这个 Markdown 文件不属于任何栏目，不会被发布",
        "a Markdown file outside summaries/ and pages/ is not published",
    )
    .in_file(rel)
    .with_hint(
        "工作进展放在 content/summaries/<领域>/ 下（可再分子文件夹），其他页面放在 content/pages/ 下；\
         不需要的文件请移出 content/",
    )
}

fn stem(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .to_string()
}

/// The theme folder a site root may have: `themes/<name>/`.
pub fn theme_dir(root: &Path, name: &str) -> PathBuf {
    root.join("themes").join(name)
}

/// Reads every file under a folder as (relative path, bytes); an absent folder is empty.
pub fn read_tree(root: &Path, dir: &Path) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        return (files, diagnostics);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_scratch(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => match fs::read(e.path()) {
                Ok(bytes) => files.push((relative(dir, e.path()), bytes)),
                Err(err) => diagnostics.push(unreadable(&relative(root, e.path()), &err)),
            },
            Ok(_) => {}
            Err(err) => diagnostics.push(unreadable(
                &err.path().map(|p| relative(root, p)).unwrap_or_default(),
                &err,
            )),
        }
    }
    (files, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_not_utf8() {
        // "标题" in GBK
        let err =
            text_from_bytes("a.md".into(), b"title: \xb1\xea\xcc\xe2\n".to_vec()).unwrap_err();
        assert_eq!(err.code, Code::NotUtf8);
        assert!(err.hint.unwrap().contains("GBK"));
    }

    #[test]
    fn utf16_is_named() {
        let err = text_from_bytes("a.md".into(), vec![0xff, 0xfe, b't', 0]).unwrap_err();
        assert!(err.hint.unwrap().contains("UTF-16"));
    }

    #[test]
    fn stems_and_ignored_names() {
        assert_eq!(stem("2024-q1.md"), "2024-q1");
        assert_eq!(stem("a.b.md"), "a.b");
        for scratch in [
            ".DS_Store",
            "x.md~",
            ".x.md.swp",
            ".x.md.swx",
            "4913",
            "Thumbs.db",
        ] {
            assert!(is_scratch(scratch), "{scratch}");
        }
        assert!(!is_scratch("x.md"));
    }
}
