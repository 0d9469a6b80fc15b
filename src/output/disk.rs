//! Sinks: where a rendered `Output` goes. The disk sink writes into a fresh folder next to the
//! target and swaps it in only when every file is written, so a failed build leaves the
//! previous site exactly as it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::output::Output;

/// A hidden sibling of the target: `public` → `.public.staging`.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}"))
}

/// The folder the previous build is kept in: the next build rewrites it in place and swaps it
/// in. Creating and deleting thousands of files costs far more on common file systems than
/// overwriting them, so the two trees take turns instead.
pub fn previous_dir(target: &Path) -> PathBuf {
    sibling(target, "previous")
}

/// Writes every file into `target`, replacing what was there only once all are written.
pub fn write_to_disk(output: &Output, target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let staging = sibling(target, "staging");
    let previous = previous_dir(target);
    if !staging.exists() && previous.exists() {
        fs::rename(&previous, &staging)?;
    }
    fs::create_dir_all(&staging)?;
    // On failure the staging tree is left for the next build to recycle; the target is untouched.
    sync_tree(output, &staging)?;
    if target.exists() {
        if previous.exists() {
            fs::remove_dir_all(&previous)?;
        }
        fs::rename(target, &previous)?;
    }
    if let Err(e) = fs::rename(&staging, target) {
        // Put the previous site back rather than leave nothing.
        if previous.exists() && !target.exists() {
            let _ = fs::rename(&previous, target);
        }
        return Err(e);
    }
    Ok(())
}

/// Makes `dir` hold exactly the output: removes what is not in it, writes what differs.
fn sync_tree(output: &Output, dir: &Path) -> io::Result<()> {
    let files: HashSet<&str> = output.iter().map(|(p, _)| p).collect();
    let mut folders: HashSet<String> = HashSet::new();
    for path in &files {
        let mut parent = Path::new(path).parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            folders.insert(p.to_string_lossy().replace('\\', "/"));
            parent = p.parent();
        }
    }
    let mut stale_dirs = Vec::new();
    let mut stale_files = Vec::new();
    let mut walker = WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            if !folders.contains(&rel) {
                stale_dirs.push(entry.into_path());
                walker.skip_current_dir();
            }
        } else if !files.contains(rel.as_str()) {
            stale_files.push(entry.into_path());
        }
    }
    for d in stale_dirs {
        fs::remove_dir_all(d)?;
    }
    for f in stale_files {
        fs::remove_file(f)?;
    }
    let mut folders: Vec<String> = folders.into_iter().collect();
    folders.sort();
    for folder in &folders {
        fs::create_dir_all(dir.join(folder))?;
    }
    let files: Vec<(&str, &[u8])> = output.iter().collect();
    files.par_iter().try_for_each(|(path, bytes)| {
        let path = dir.join(path);
        let unchanged = fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&path).is_ok_and(|old| old == *bytes);
        if unchanged {
            Ok(())
        } else {
            fs::write(path, bytes)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        write_to_disk(
            &output(&[("index.html", "一"), ("old/index.html", "x")]),
            &target,
        )
        .unwrap();
        write_to_disk(
            &output(&[("index.html", "二"), ("a/b/c.txt", "c")]),
            &target,
        )
        .unwrap();
        assert_eq!(files_in(&target), ["a/b/c.txt", "index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "二");
        // The third build recycles the first one's tree: nothing of it may survive, and a
        // folder of an earlier build may become a file.
        write_to_disk(
            &output(&[("index.html", "三"), ("a", "now a file"), ("old", "file")]),
            &target,
        )
        .unwrap();
        assert_eq!(files_in(&target), ["a", "index.html", "old"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "三");
        let mut names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".public.previous", "public"]);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        write_to_disk(&output(&[("index.html", "旧")]), &target).unwrap();
        // A file and a folder of the same name cannot both be written.
        let mut bad = output(&[("x", "file")]);
        bad.insert("x/y.html".into(), b"under a file".to_vec())
            .unwrap();
        assert!(write_to_disk(&bad, &target).is_err());
        assert_eq!(files_in(&target), ["index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "旧");
        // The next good build still works from the leftover staging tree.
        write_to_disk(&output(&[("index.html", "新")]), &target).unwrap();
        assert_eq!(files_in(&target), ["index.html"]);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "新");
    }
}
