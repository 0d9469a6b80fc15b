//! Issue 12: nothing anyone wrote is lost or mixed. The output folder ecosite replaces is only
//! ever its own; two builds never mix; a killed build leaves the old site or the new one; usage
//! errors exit 2 and name the real cause.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn a_folder_of_someone_elses_files_is_refused_every_time() {
    let site = default_site();
    let desktop = tempfile::tempdir().unwrap();
    fs::write(desktop.path().join("报告草稿.docx"), "别人的文件").unwrap();
    fs::create_dir(desktop.path().join("照片")).unwrap();
    fs::write(desktop.path().join("照片/1.jpg"), "jpg").unwrap();
    let before = tree(desktop.path());
    let parent_before = names(desktop.path().parent().unwrap());
    for _ in 0..2 {
        let result = build(site.path(), desktop.path());
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(
            stderr(&result).contains("不是 ecosite 生成的"),
            "{}",
            stderr(&result)
        );
        assert!(tree(desktop.path()) == before, "the files are untouched");
        assert_eq!(names(desktop.path().parent().unwrap()), parent_before);
    }
}

#[test]
fn a_file_where_the_output_should_be_is_refused_and_kept() {
    let site = default_site();
    let public = site.path().join("public");
    fs::write(&public, "a file of the webmaster's").unwrap();
    for _ in 0..2 {
        let result = build(site.path(), &public);
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(
            stderr(&result).contains("不是文件夹"),
            "{}",
            stderr(&result)
        );
        assert!(!stderr(&result).contains("磁盘空间"), "{}", stderr(&result));
    }
    assert_eq!(read(&public), "a file of the webmaster's");
}

#[test]
fn the_sites_own_folders_are_never_an_output() {
    let site = default_site();
    let root = site.path();
    let result = ecosite(&[
        "snapshot",
        "--period",
        "2024-Q2",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let archive = tree(&root.join("archive"));
    for out in [
        "archive",
        "archive/2024-Q2",
        "content",
        "themes",
        ".ecosite",
        ".",
    ] {
        let result = build(root, &root.join(out));
        assert_eq!(
            result.status.code(),
            Some(2),
            "--out {out}: {}",
            stderr(&result)
        );
    }
    let result = build(root, root.parent().unwrap());
    assert_eq!(
        result.status.code(),
        Some(2),
        "a folder containing the root"
    );
    assert!(
        tree(&root.join("archive")) == archive,
        "the archives are untouched"
    );
}

#[test]
fn a_build_leaves_nothing_beside_the_output_folder() {
    let site = default_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    let root_before = names(site.path());
    for _ in 0..3 {
        let result = build(site.path(), &out);
        assert!(result.status.success(), "{}", stderr(&result));
        assert_eq!(
            names(elsewhere.path()),
            BTreeSet::from(["site".to_string()])
        );
    }
    assert!(
        out.join(".ecosite-output").is_file(),
        "the output carries the marker"
    );
    let mut expected = root_before.clone();
    expected.insert(".ecosite".into());
    assert_eq!(
        names(site.path()),
        expected,
        "only the working folder is new in the root"
    );
    // The default output inside the root: public/ and the working folder, nothing else.
    let result = ecosite(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    expected.insert("public".into());
    assert_eq!(names(site.path()), expected);
}

#[test]
fn an_output_of_an_earlier_ecosite_is_taken_over_and_its_sibling_removed() {
    let site = default_site();
    let public = site.path().join("public");
    fs::create_dir_all(public.join("old")).unwrap();
    fs::write(public.join("index.html"), "old build").unwrap();
    fs::create_dir_all(site.path().join(".public.previous")).unwrap();
    let result = build(site.path(), &public);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!site.path().join(".public.previous").exists());
    assert!(!public.join("old").exists());
    // An empty folder is fine too.
    let empty = tempfile::tempdir().unwrap();
    let result = build(site.path(), empty.path());
    assert!(result.status.success(), "{}", stderr(&result));
}

/// A site with `extra` more summaries, so that a build takes long enough to overlap another.
fn large_site(extra: usize) -> tempfile::TempDir {
    let site = default_site();
    let dir = site.path().join("content/summaries/air");
    for i in 0..extra {
        fs::write(
            dir.join(format!("bulk-{i:05}.md")),
            format!(
                "---\ntitle: 第{i}号工作进展\ndate: 2024-05-{:02}\nquarter: 2024-Q2\n---\n\n大气污染防治工作第{i}项进展。\n",
                1 + i % 28
            ),
        )
        .unwrap();
    }
    site
}

/// Which of the base URLs the pages of `out` were built for; a mix is two builds in one folder.
fn bases_in(out: &Path, bases: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (path, bytes) in tree(out) {
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            for base in bases {
                if text.contains(base) {
                    found.insert(base.to_string());
                }
            }
        }
    }
    found
}

fn spawn_build(root: &Path, base: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--base-url",
            base,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_builds_at_once_never_mix_and_the_loser_says_so() {
    let site = large_site(5_000);
    let bases = ["https://one.example/", "https://two.example/"];
    let public = site.path().join("public");
    for offset in [0, 200, 1_500] {
        let first = spawn_build(site.path(), bases[0]);
        std::thread::sleep(Duration::from_millis(offset));
        let second = spawn_build(site.path(), bases[1]);
        let first = first.wait_with_output().unwrap();
        let second = second.wait_with_output().unwrap();
        for result in [&first, &second] {
            if !result.status.success() {
                assert_eq!(result.status.code(), Some(2));
                assert!(
                    stderr(result).contains("正在写入这个站点"),
                    "{}",
                    stderr(result)
                );
            }
        }
        assert!(
            first.status.success() || second.status.success(),
            "offset {offset}"
        );
        assert_eq!(
            bases_in(&public, &bases).len(),
            1,
            "offset {offset}: one build only"
        );
    }
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let site = large_site(2_000);
    let bases = ["https://old.example/", "https://new.example/"];
    let public = site.path().join("public");
    let root = site.path().to_str().unwrap();
    let result = ecosite(&["build", "--root", root, "--base-url", bases[0]]);
    assert!(result.status.success(), "{}", stderr(&result));
    let pages = tree(&public).len();
    // Kill at moments spread over a whole build, the swap at its end included.
    let started = std::time::Instant::now();
    let result = ecosite(&["build", "--root", root, "--base-url", bases[1]]);
    assert!(result.status.success(), "{}", stderr(&result));
    let whole = started.elapsed();
    for (i, fraction) in [0.05, 0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 1.0]
        .into_iter()
        .enumerate()
    {
        let mut child = spawn_build(site.path(), bases[i % 2]);
        std::thread::sleep(whole.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        assert!(public.is_dir(), "killed at {fraction}: there is a site");
        assert_eq!(
            bases_in(&public, &bases).len(),
            1,
            "killed at {fraction}: one build only"
        );
        assert_eq!(
            tree(&public).len(),
            pages,
            "killed at {fraction}: a whole site"
        );
    }
    // And the next build after all those kills still works.
    let result = ecosite(&["build", "--root", root]);
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn usage_errors_exit_2_and_name_the_cause() {
    let site = default_site();
    let root = site.path().to_str().unwrap();
    for period in ["2024-Q5", "2024Q2", "去年"] {
        let result = ecosite(&["snapshot", "--period", period, "--root", root]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{period}: {}",
            stderr(&result)
        );
        assert!(stderr(&result).contains("报告期"), "{}", stderr(&result));
    }
    let missing = site.path().join("no-such-root");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["build", "--root", missing],
        vec!["check", "--root", missing],
        vec!["snapshot", "--period", "2024-Q2", "--root", missing],
    ] {
        let result = ecosite(&args);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&result)
        );
        assert!(stderr(&result).contains("不存在"), "{}", stderr(&result));
    }
    let result = ecosite(&["verify", missing]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
}

#[test]
fn check_and_snapshot_leave_only_their_own_paths() {
    let site = default_site();
    let root = site.path().to_str().unwrap();
    let before = names(site.path());
    let result = ecosite(&["check", "--root", root, "--today", "2024-08-01"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(names(site.path()), before, "check writes nothing");
    let result = ecosite(&["snapshot", "--period", "2024-Q2", "--root", root]);
    assert!(result.status.success(), "{}", stderr(&result));
    let mut expected = before.clone();
    expected.extend(["archive".to_string(), ".ecosite".to_string()]);
    assert_eq!(names(site.path()), expected);
    assert_eq!(
        names(&site.path().join("archive")),
        BTreeSet::from(["2024-Q2".to_string()])
    );
}
