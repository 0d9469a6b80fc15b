//! Sinks: where a rendered `Output` goes. The disk sink writes into a fresh folder next to the
//! target and swaps it in only when every file is written, so a failed build leaves the
//! previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::Output;

/// The sibling folder a build is staged in, and where the previous site waits during the swap.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Writes every file into `target`, replacing what was there only once all are written.
pub fn write_to_disk(output: &Output, target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let staging = sibling(target, "new");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    let written = write_tree(output, &staging);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let previous = sibling(target, "old");
    let had_previous = target.exists();
    if had_previous {
        if previous.exists() {
            fs::remove_dir_all(&previous)?;
        }
        if let Err(e) = fs::rename(target, &previous) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    }
    if let Err(e) = fs::rename(&staging, target) {
        // Put the previous site back rather than leave nothing.
        if had_previous {
            let _ = fs::rename(&previous, target);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_previous {
        fs::remove_dir_all(&previous)?;
    }
    Ok(())
}

fn write_tree(output: &Output, dir: &Path) -> io::Result<()> {
    let mut folders: Vec<PathBuf> = output
        .iter()
        .filter_map(|(path, _)| Path::new(path).parent().map(|p| dir.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    let files: Vec<(&str, &[u8])> = output.iter().collect();
    files
        .par_iter()
        .try_for_each(|(path, bytes)| fs::write(dir.join(path), bytes))
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

    #[test]
    fn replaces_previous_site_and_leaves_no_staging() {
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
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "二");
        assert!(
            !target.join("old").exists(),
            "files of the previous build are gone"
        );
        assert_eq!(fs::read_to_string(target.join("a/b/c.txt")).unwrap(), "c");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
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
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "旧");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
