//! The disk sink: where rendered files go on disk, and which folders they may replace.
//!
//! Only a folder ecosite made (it holds [`MARKER`]) or an empty one is ever replaced; anything
//! else is refused before a byte is written. The new site is written into a staging tree inside
//! the site root's working folder ([`WORK_DIR`]) and exchanged with the output folder in one
//! atomic step (`renameat2` with `RENAME_EXCHANGE` on Linux), so there is no instant without an
//! output folder and a crash leaves the old site or the new one. The old tree stays in the
//! working folder and is rewritten in place by the next build: creating and deleting thousands
//! of files costs far more than overwriting them.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::output::Sink;

/// The file ecosite leaves at the top of every output folder it writes.
pub const MARKER: &str = ".ecosite-output";

const MARKER_TEXT: &str = "此文件夹由 ecosite 生成，每次生成时整体替换，请勿在此存放其他文件。\n\
This folder is written by ecosite and replaced whole by every build: keep nothing else in it.\n";

/// The site root's working folder: the build lock and the previous output tree.
pub const WORK_DIR: &str = ".ecosite";

/// A hidden sibling of the target (`public` → `.public.<tag>`). Builds before the working folder
/// existed kept their previous tree in `.public.previous`: a target with one is an ecosite output.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}"))
}

fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Resolve links through the part of the path that exists, so that a link cannot disguise
    // the site root or its content.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
    let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

fn refuse(target: &Path, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(
        Code::Output,
        message,
        format!("refused output folder {}", target.display()),
    )
    .with_hint(hint.to_string())
}

/// Whether `target` may become the output folder of the site at `root`: refused are the site
/// root, any folder that contains it, its content, themes, archive and working folders, a
/// file in the way, and a folder of other files. Nothing is touched either way.
pub fn check_target(root: &Path, target: &Path) -> Result<(), Diagnostic> {
    let (root, out) = (absolute(root), absolute(target));
    let hint = "用 --out 指定一个新的或空的文件夹，例如站点根目录下的 public";
    if root.starts_with(&out) {
        return Err(refuse(
            target,
            format!(
                "输出文件夹 {} 是站点根目录或包含站点根目录，生成时会被整体替换",
                target.display()
            ),
            hint,
        ));
    }
    for own in ["content", "themes", "archive", WORK_DIR] {
        if out.starts_with(root.join(own)) {
            return Err(refuse(
                target,
                format!(
                    "输出文件夹 {} 在站点自己的 {own}/ 里，生成时会覆盖编辑的文件",
                    target.display()
                ),
                hint,
            ));
        }
    }
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(refuse(
            target,
            format!(
                "{} 已经存在，但不是文件夹：ecosite 不会移动或删除它",
                target.display()
            ),
            "移走或改名这个文件，或用 --out 指定另一个文件夹",
        ));
    }
    let is_ours = target.join(MARKER).is_file() || sibling(target, "previous").is_dir();
    let is_empty = fs::read_dir(target).is_ok_and(|mut d| d.next().is_none());
    if is_ours || is_empty {
        return Ok(());
    }
    Err(refuse(
        target,
        format!(
            "文件夹 {} 里已有不是 ecosite 生成的文件：生成时会整体替换输出文件夹，所以不会使用它",
            target.display()
        ),
        "用 --out 指定一个新的或空的文件夹；如果这确实是以前生成的网站，请先手动清空它",
    ))
}

/// The disk sink: a staging tree that receives the files of one build as they are rendered and
/// becomes the output folder in one atomic step when [`Staging::publish`] is called. Files are
/// written over the tree of the build before last, and only where they differ; what the new
/// build did not write is removed before the exchange. Dropped without `publish` (a failed
/// build), it leaves the output folder untouched and the tree for the next build to recycle.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Whether `dir` is the working folder's recycled tree (kept) or a temporary sibling of
    /// the target (a working folder on another file system than the target).
    keep: bool,
    written: Mutex<HashSet<String>>,
    error: Mutex<Option<io::Error>>,
}

impl Staging {
    /// Prepares the staging tree for `target`. `work` is the site root's working folder; where
    /// it is on another file system than the target, the staging tree is a temporary sibling of
    /// the target, removed afterwards.
    pub fn open(target: &Path, work: &Path) -> io::Result<Staging> {
        let parent = match target.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => p.to_path_buf(),
            None => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        fs::create_dir_all(work)?;
        let recycled = work.join("previous");
        let (dir, keep) = if same_file_system(work, &parent) {
            let staging = work.join("staging");
            if !staging.exists() && recycled.exists() {
                fs::rename(&recycled, &staging)?;
            }
            (staging, true)
        } else {
            (
                sibling(target, &format!("staging-{}", std::process::id())),
                false,
            )
        };
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            keep,
            written: Mutex::default(),
            error: Mutex::default(),
        })
    }

    /// Writes one file unless the tree holds it already; a file or folder of an earlier
    /// build in the way is removed.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.dir.join(path);
        match fs::symlink_metadata(&full) {
            Ok(m) if m.is_file() => {
                if m.len() == bytes.len() as u64 && fs::read(&full).is_ok_and(|old| old == bytes) {
                    return Ok(());
                }
            }
            Ok(m) if m.is_dir() => fs::remove_dir_all(&full)?,
            Ok(_) => fs::remove_file(&full)?,
            Err(_) => {}
        }
        match fs::write(&full, bytes) {
            Ok(()) => Ok(()),
            Err(_) => {
                self.make_parent(path)?;
                fs::write(&full, bytes)
            }
        }
    }

    /// Creates the folders above `path`, removing a file of an earlier build where one of them
    /// must go. A file of this build in the way is a conflict, found by `publish`.
    fn make_parent(&self, path: &str) -> io::Result<()> {
        let mut folder = self.dir.clone();
        let parents: Vec<&str> = path.split('/').collect();
        for (i, name) in parents[..parents.len() - 1].iter().enumerate() {
            folder.push(name);
            if fs::symlink_metadata(&folder).is_ok_and(|m| !m.is_dir()) {
                let own = parents[..=i].join("/");
                if self
                    .written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .contains(&own)
                {
                    return Err(io::Error::other(format!(
                        "{own} is both a file and a folder of the output"
                    )));
                }
                fs::remove_file(&folder)?;
            }
        }
        fs::create_dir_all(folder)
    }

    /// Removes what this build did not write, checks that every file written is still there,
    /// and exchanges the tree with the output folder. The first error of any write comes back
    /// here, and then nothing is published.
    pub fn publish(self) -> io::Result<()> {
        if let Some(e) = self.error.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(self.abandon(e));
        }
        let result = self
            .sweep()
            .and_then(|()| fs::write(self.dir.join(MARKER), MARKER_TEXT))
            .and_then(|()| swap(&self.dir, &self.target));
        if let Err(e) = result {
            return Err(self.abandon(e));
        }
        // The old site is now in the staging tree.
        if self.keep {
            let recycled = self.dir.with_file_name("previous");
            if recycled.exists() {
                fs::remove_dir_all(&recycled)?;
            }
            if self.dir.exists() {
                fs::rename(&self.dir, &recycled)?;
            }
        } else if self.dir.exists() {
            fs::remove_dir_all(&self.dir)?;
        }
        for tag in ["previous", "staging"] {
            let old = sibling(&self.target, tag);
            if old.is_dir() {
                fs::remove_dir_all(old)?;
            }
        }
        Ok(())
    }

    fn abandon(&self, e: io::Error) -> io::Error {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.dir);
        }
        e
    }

    /// Makes the tree hold exactly what was written: removes the rest, and fails where a file
    /// written was replaced by a folder of another (a file and a folder of the same name).
    fn sweep(&self) -> io::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let mut folders: HashSet<&str> = HashSet::new();
        for path in written.iter() {
            let mut rest = path.as_str();
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !folders.insert(parent) {
                    break;
                }
                rest = parent;
            }
        }
        let mut found = 0;
        let mut walker = WalkDir::new(&self.dir).min_depth(1).into_iter();
        while let Some(entry) = walker.next() {
            let entry = entry.map_err(io::Error::other)?;
            let rel = relative_path(&self.dir, entry.path());
            if entry.file_type().is_dir() {
                if !folders.contains(rel.as_str()) {
                    walker.skip_current_dir();
                    fs::remove_dir_all(entry.path())?;
                }
            } else if written.contains(&rel) {
                found += 1;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
        if found != written.len() {
            return Err(io::Error::other(
                "a path of the output is both a file and a folder",
            ));
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, path: String, bytes: Bytes) {
        if self
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
        {
            return;
        }
        let result = self.write(&path, &bytes);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path);
        if let Err(e) = result {
            self.error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(e);
        }
    }
}

#[cfg(unix)]
fn same_file_system(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file_system(_: &Path, _: &Path) -> bool {
    false
}

/// Puts `new` at `target`; whatever was at `target` ends up at `new`.
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(new, target);
    }
    exchange(new, target)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without RENAME_EXCHANGE (some network and FUSE ones).
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            exchange_in_two_steps(a, b)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    exchange_in_two_steps(a, b)
}

/// The portable fallback: not atomic, but the target is put back if the second step fails.
fn exchange_in_two_steps(a: &Path, b: &Path) -> io::Result<()> {
    let aside = sibling(b, &format!("old-{}", std::process::id()));
    fs::rename(b, &aside)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(e);
    }
    fs::rename(&aside, a)
}

/// A path found by walking `dir`, relative to it and with `/` on every system: the form of
/// the output's and the manifest's paths, so that the two can be compared.
pub fn relative_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    /// Writes every file into `target`, replacing what was there in one atomic step once all are
    /// written. `work` is the site root's working folder.
    fn write_to_disk(output: &Output, target: &Path, work: &Path) -> io::Result<()> {
        let staging = Staging::open(target, work)?;
        for (path, bytes) in output.iter() {
            staging.put(path.to_string(), Bytes::copy_from_slice(bytes));
        }
        staging.publish()
    }

    fn output(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, b) in files {
            o.insert(p.to_string(), b.as_bytes().to_vec()).unwrap();
        }
        o
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn each_build_replaces_the_previous_one_exactly() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let work = tmp.path().join(WORK_DIR);
        write_to_disk(
            &output(&[("index.html", "一"), ("old/index.html", "x")]),
            &target,
            &work,
        )
        .unwrap();
        write_to_disk(
            &output(&[("index.html", "二"), ("a/b/c.txt", "c")]),
            &target,
            &work,
        )
        .unwrap();
        assert_eq!(files_in(&target), [MARKER, "a/b/c.txt", "index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "二");
        // The third build recycles the first one's tree: nothing of it may survive, and a
        // folder of an earlier build may become a file.
        write_to_disk(
            &output(&[("index.html", "三"), ("a", "now a file"), ("old", "file")]),
            &target,
            &work,
        )
        .unwrap();
        assert_eq!(files_in(&target), [MARKER, "a", "index.html", "old"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "三");
        let mut names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [WORK_DIR, "public"]);
        assert!(target.join(MARKER).is_file());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let work = tmp.path().join(WORK_DIR);
        write_to_disk(&output(&[("index.html", "旧")]), &target, &work).unwrap();
        // A file and a folder of the same name cannot both be written.
        let mut bad = output(&[("x", "file")]);
        bad.insert("x/y.html".into(), b"under a file".to_vec())
            .unwrap();
        assert!(write_to_disk(&bad, &target, &work).is_err());
        assert_eq!(files_in(&target), [MARKER, "index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "旧");
        // The next good build still works from the leftover staging tree.
        write_to_disk(&output(&[("index.html", "新")]), &target, &work).unwrap();
        assert_eq!(files_in(&target), [MARKER, "index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "新");
    }

    #[test]
    fn a_file_and_a_folder_of_the_same_name_fail_in_any_order() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let work = tmp.path().join(WORK_DIR);
        write_to_disk(&output(&[("index.html", "旧")]), &target, &work).unwrap();
        for order in [["x", "x/y.html"], ["x/y.html", "x"]] {
            let staging = Staging::open(&target, &work).unwrap();
            std::thread::scope(|s| {
                for path in order {
                    let staging = &staging;
                    s.spawn(move || staging.put(path.to_string(), Bytes::from_static(b"1")));
                }
            });
            assert!(staging.publish().is_err(), "{order:?}");
            assert_eq!(files_in(&target), [MARKER, "index.html"]);
        }
    }
}
