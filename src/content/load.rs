//! The load stage: walks a site root's `content/` (and the chosen theme's folder) and reads
//! every file into memory, sorted by path. It decides only what kind each file is; what the
//! files mean is the job of `validate`.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Shared with the preview's tree: a load hands on the summaries it kept without copying
    /// them, or touching their text.
    pub summaries: Vec<Arc<SummaryFile>>,
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
    Tree::read(root, keep_bytes).into_loaded()
}

/// One file of `content/`, sorted into what it is for.
#[derive(Debug, Clone)]
enum Item {
    Site(SourceFile),
    Areas(SourceFile),
    Summary(Arc<SummaryFile>),
    Page(SourceFile),
    Indicator(SourceFile),
    Facility(SourceFile),
    DayIntro(SourceFile),
    Day(SourceFile),
    Asset(Asset),
}

/// A file as read: what it is, or why it cannot be used; and its bytes as they are on disk
/// (path under `content/`, bytes) when they are kept.
#[derive(Debug, Clone)]
struct File {
    item: Result<Item, Diagnostic>,
    bytes: Option<(String, Vec<u8>)>,
}

/// The files of `content/` as last read, by the components of their path under `content/`:
/// in that order a folder's entries come sorted by name, each folder's files where the folder
/// is, which is the walk's order. The preview keeps it between saves and reads again only the
/// files the watcher names ([`Tree::refresh`]).
#[derive(Debug, Default)]
pub struct Tree {
    root: PathBuf,
    files: BTreeMap<Vec<String>, File>,
    /// What the walk could not read or follow, before the files' own problems.
    walk: Vec<Diagnostic>,
    /// The walk met a symlink: a change to its target is not seen at the link's path, so only
    /// a whole walk is sure to see it.
    links: bool,
    keep_bytes: bool,
}

impl Tree {
    /// Walks `root/content` and reads every file (in parallel: reading is most of the load of
    /// a large site).
    pub fn read(root: &Path, keep_bytes: bool) -> Tree {
        let content = root.join(CONTENT_DIR);
        let mut tree = Tree {
            root: root.to_path_buf(),
            keep_bytes,
            ..Tree::default()
        };
        if !content.is_dir() {
            tree.walk.push(
                Diagnostic::error(
                    Code::MissingFile,
                    format!("找不到内容文件夹 {}", content.display()),
                    "the site root has no content/ folder",
                )
                .in_file(CONTENT_DIR)
                .with_hint("用 --root 指定站点根目录（含 content/ 的文件夹）"),
            );
            return tree;
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
                    tree.walk.push(unreadable(&rel, &e));
                    continue;
                }
            };
            let path = entry.path();
            let rel = relative(root, path);
            let file_type = if entry.file_type().is_symlink() {
                tree.links = true;
                match symlink_target_type(path, &rel, &canonical_root) {
                    Ok(file_type) => file_type,
                    Err(d) => {
                        tree.walk.push(d);
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
        let read: Vec<_> = files
            .into_par_iter()
            .map(|(path, rel)| {
                let within = components(path.strip_prefix(&content).unwrap_or(&path));
                let file = read_file(&path, &within, &rel, keep_bytes);
                (within, file)
            })
            .collect();
        tree.files.extend(read);
        tree
    }

    /// Reads again the files at `changed` (paths under the root as the watcher gives them),
    /// and forgets those that are gone. `None` when only a whole walk can tell what changed:
    /// a folder or a symlink among them or in the tree, a path outside `content/`, anything
    /// that cannot be read. `Some(true)` when a file was forgotten.
    pub fn refresh(&mut self, changed: &[PathBuf]) -> Option<bool> {
        if self.links || !self.walk.is_empty() {
            return None;
        }
        let content = self.root.join(CONTENT_DIR);
        let canonical_content = fs::canonicalize(&content).ok()?;
        let mut removed = false;
        for path in changed {
            let under = path.strip_prefix(&content).ok()?;
            if under
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return None;
            }
            let within = components(under);
            if within.is_empty() {
                return None;
            }
            if within.iter().any(|name| is_scratch(name)) {
                continue;
            }
            match fs::symlink_metadata(path) {
                Ok(meta) if meta.is_file() => {
                    // A folder on the way that is a symlink is not walked: only a whole walk
                    // says what then.
                    let parent = fs::canonicalize(path.parent()?).ok()?;
                    if parent != canonical_content.join(under.parent()?) {
                        return None;
                    }
                    let rel = relative(&self.root, path);
                    let bytes = fs::read(path).ok()?;
                    let file = classify(&within, &rel, bytes, self.keep_bytes);
                    self.files.insert(within, file);
                }
                Ok(_) => return None,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A folder that is gone took files with it.
                    let after = (Bound::Excluded(&within), Bound::Unbounded);
                    if self
                        .files
                        .range::<Vec<String>, _>(after)
                        .next()
                        .is_some_and(|(key, _)| key.starts_with(&within))
                    {
                        return None;
                    }
                    removed |= self.files.remove(&within).is_some();
                }
                Err(_) => return None,
            }
        }
        Some(removed)
    }

    /// The site root this tree was read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What the tree holds, as [`load_content`] gives it, leaving the tree as it is.
    pub fn loaded(&self) -> (Loaded, Vec<Diagnostic>) {
        assemble(&self.root, self.walk.clone(), self.files.values().cloned())
    }

    /// What the tree holds, as [`load_content`] gives it.
    pub fn into_loaded(self) -> (Loaded, Vec<Diagnostic>) {
        assemble(&self.root, self.walk, self.files.into_values())
    }

    /// Holds `text` at `rel` (`content/...`, `/`-separated) as if the file said it: what a
    /// command checks before it writes the file (the import of a form).
    pub fn put(&mut self, rel: &str, text: &str) {
        let under = rel.strip_prefix("content/").unwrap_or(rel);
        let within: Vec<String> = under.split('/').map(str::to_string).collect();
        let file = classify(&within, rel, text.as_bytes().to_vec(), self.keep_bytes);
        self.files.insert(within, file);
    }
}

/// The components of a path under `content/`, as text.
fn components(path: &Path) -> Vec<String> {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

fn read_file(path: &Path, within: &[String], rel: &str, keep_bytes: bool) -> File {
    match fs::read(path) {
        Ok(bytes) => classify(within, rel, bytes, keep_bytes),
        Err(e) => File {
            item: Err(unreadable(rel, &e)),
            bytes: None,
        },
    }
}

fn classify(within: &[String], rel: &str, bytes: Vec<u8>, keep_bytes: bool) -> File {
    let kept = keep_bytes.then(|| (within.join("/"), bytes.clone()));
    File {
        item: Item::of(within, rel, bytes),
        bytes: kept,
    }
}

/// The loaded site from the walk's problems and the files in the walk's order, with the
/// snapshots under `archive/` (read each time: they are not watched).
fn assemble(
    root: &Path,
    walk: Vec<Diagnostic>,
    files: impl Iterator<Item = File>,
) -> (Loaded, Vec<Diagnostic>) {
    let mut loaded = Loaded::default();
    let mut diagnostics = walk;
    if !root.join(CONTENT_DIR).is_dir() {
        return (loaded, diagnostics);
    }
    for file in files {
        if let Some(bytes) = file.bytes {
            loaded.files.push(bytes);
        }
        match file.item {
            Ok(item) => loaded.add(item),
            Err(d) => diagnostics.push(d),
        }
    }
    // Snapshots are published as they are, under /archive/.
    let (archive, mut archive_errors) = read_tree(root, &root.join("archive"));
    diagnostics.append(&mut archive_errors);
    loaded
        .assets
        .extend(archive.into_iter().map(|(path, bytes)| Asset {
            path: format!("archive/{path}"),
            bytes: bytes.into(),
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

impl Item {
    /// What a file is for is decided by where it is (`within` is its path under `content/`,
    /// by component); anything else is an asset published as it is.
    fn of(within: &[String], rel: &str, bytes: Vec<u8>) -> Result<Item, Diagnostic> {
        let text = |bytes| text_from_bytes(rel.to_string(), bytes);
        let name = within.last().cloned().unwrap_or_default();
        match within
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["site.yaml"] => text(bytes).map(Item::Site),
            ["areas.yaml"] => text(bytes).map(Item::Areas),
            // Sub-folders of an area (`summaries/air/2023/x.md`) are the area's too: editors
            // may file summaries by year.
            ["summaries", folder, .., file] if is_markdown(file) => text(bytes).map(|source| {
                Item::Summary(Arc::new(SummaryFile {
                    folder: folder.to_string(),
                    stem: stem(&name),
                    source,
                }))
            }),
            ["pages", .., file] if is_markdown(file) => text(bytes).map(Item::Page),
            ["indicators", file] if is_yaml(file) => text(bytes).map(Item::Indicator),
            ["facilities", file] if is_yaml(file) => text(bytes).map(Item::Facility),
            ["environment-day", "index.md"] => text(bytes).map(Item::DayIntro),
            ["environment-day", file] if is_yaml(file) => text(bytes).map(Item::Day),
            // Markdown is content or nothing: copied as it is it would publish its text,
            // drafts included, as a download.
            [.., file] if is_markdown(file) => Err(stray_markdown(rel)),
            _ => Ok(Item::Asset(Asset {
                path: within.join("/"),
                bytes: bytes.into(),
            })),
        }
    }
}

impl Loaded {
    fn add(&mut self, item: Item) {
        match item {
            Item::Site(f) => self.site = Some(f),
            Item::Areas(f) => self.areas = Some(f),
            Item::Summary(s) => self.summaries.push(s),
            Item::Page(f) => self.pages.push(f),
            Item::Indicator(f) => self.indicators.push(f),
            Item::Facility(f) => self.facilities.push(f),
            Item::DayIntro(f) => self.environment_day_intro = Some(f),
            Item::Day(f) => self.environment_days.push(f),
            Item::Asset(a) => self.assets.push(a),
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

    /// A site root with a few files of each kind, in a temporary folder.
    fn small_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("site.yaml", "title: 站点\n"),
            ("areas.yaml", "- id: air\n"),
            ("summaries/air/a.md", "---\ntitle: 甲\n---\n"),
            ("summaries/air/b.md", "---\ntitle: 乙\n---\n"),
            ("summaries/air/2024/c.md", "---\ntitle: 丙\n---\n"),
            ("pages/x.md", "---\ntitle: 页\n---\n"),
            ("images/photo.png", "png"),
            ("stray.md", "no place for this"),
        ] {
            let path = dir.path().join(CONTENT_DIR).join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    /// What a load gives, as text: `Loaded` and its diagnostics, compared whole.
    fn shown(loaded: (Loaded, Vec<Diagnostic>)) -> String {
        format!("{loaded:?}")
    }

    #[test]
    fn a_tree_refreshed_with_the_changed_paths_equals_a_whole_walk() {
        let dir = small_site();
        let root = dir.path();
        let content = root.join(CONTENT_DIR);
        let mut tree = Tree::read(root, true);
        assert_eq!(shown(tree.loaded()), shown(load_content(root, true)));

        // Saved, deleted, added, renamed (both names), an editor's scratch file.
        fs::write(
            content.join("summaries/air/a.md"),
            "---\ntitle: 甲改\n---\n",
        )
        .unwrap();
        fs::remove_file(content.join("summaries/air/b.md")).unwrap();
        fs::write(content.join("summaries/air/d.md"), "---\ntitle: 丁\n---\n").unwrap();
        fs::rename(content.join("pages/x.md"), content.join("pages/y.md")).unwrap();
        fs::write(content.join("summaries/air/.a.md.swp"), "scratch").unwrap();
        let changed: Vec<PathBuf> = [
            "summaries/air/a.md",
            "summaries/air/b.md",
            "summaries/air/d.md",
            "pages/x.md",
            "pages/y.md",
            "summaries/air/.a.md.swp",
        ]
        .iter()
        .map(|p| content.join(p))
        .collect();
        assert_eq!(tree.refresh(&changed), Some(true));
        let whole = shown(load_content(root, true));
        assert_eq!(shown(tree.loaded()), whole);
        assert!(whole.contains("甲改") && whole.contains("丁") && !whole.contains("乙"));
        assert!(whole.contains("pages/y.md") && !whole.contains("pages/x.md"));

        // Only a save: nothing forgotten.
        fs::write(content.join("site.yaml"), "title: 新站点\n").unwrap();
        assert_eq!(tree.refresh(&[content.join("site.yaml")]), Some(false));
        assert_eq!(shown(tree.loaded()), shown(load_content(root, true)));
    }

    #[test]
    fn folders_and_paths_outside_content_need_a_whole_walk() {
        let dir = small_site();
        let root = dir.path();
        let content = root.join(CONTENT_DIR);
        let mut tree = Tree::read(root, false);
        // A new folder, a folder gone, the content folder itself, a theme's file.
        fs::create_dir(content.join("summaries/water")).unwrap();
        assert_eq!(tree.refresh(&[content.join("summaries/water")]), None);
        fs::remove_dir_all(content.join("summaries/air/2024")).unwrap();
        assert_eq!(tree.refresh(&[content.join("summaries/air/2024")]), None);
        assert_eq!(tree.refresh(std::slice::from_ref(&content)), None);
        assert_eq!(tree.refresh(&[root.join("themes/x/base.html")]), None);
        // A tree with a symlink: its target's changes are not seen at its path.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                content.join("summaries/air/a.md"),
                content.join("summaries/air/link.md"),
            )
            .unwrap();
            let mut tree = Tree::read(root, false);
            assert_eq!(tree.refresh(&[content.join("summaries/air/a.md")]), None);
        }
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
