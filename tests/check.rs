//! `ecosite check`: clean on the default content, broken links named at their source line,
//! JSON output, and — for every command, good input and bad — nothing of the editor's touched.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn check(root: &Path, json: bool) -> std::process::Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    if json {
        args.extend(["--format", "json"]);
    }
    ecosite(&args)
}

#[test]
fn default_content_is_clean_with_a_summary_line() {
    let site = default_site();
    let result = check(site.path(), false);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(
        err.contains("个页面") && err.contains("个链接") && err.contains("0 errors"),
        "{err}"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn a_broken_link_is_named_at_its_source_line_in_text_and_json() {
    let site = default_site();
    let summary = site
        .path()
        .join("content/summaries/air/2024-q1-blue-sky.md");
    let mut text = read(&summary);
    let line = text.lines().count() + 2;
    text.push_str("\n详见[不存在的指标](/targets/no-such-indicator/)。\n");
    fs::write(&summary, text).unwrap();
    let result = check(site.path(), false);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(
        err.contains(&format!(
            "content/summaries/air/2024-q1-blue-sky.md:{line}:"
        )),
        "{err}"
    );
    assert!(err.contains("E0701"), "{err}");

    let result = check(site.path(), true);
    assert_eq!(result.status.code(), Some(1));
    let out = String::from_utf8(result.stdout).unwrap();
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let broken = objects
        .iter()
        .find(|o| o["code"] == "E0701")
        .expect("the broken link");
    for field in [
        "code",
        "severity",
        "file",
        "line",
        "column",
        "message",
        "message_en",
        "hint",
    ] {
        assert!(broken.get(field).is_some(), "{field}");
    }
    assert_eq!(broken["file"], "content/summaries/air/2024-q1-blue-sky.md");
    assert_eq!(broken["line"], line);
    assert_eq!(broken["severity"], "error");
}

#[test]
fn unused_files_and_missing_footer_ids_are_warnings() {
    let site = default_site();
    fs::write(site.path().join("content/forgotten.pdf"), b"%PDF-1.4").unwrap();
    let yaml = read(&site.path().join("content/site.yaml"));
    let without_icp: String = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with("icp:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(site.path().join("content/site.yaml"), without_icp).unwrap();
    let result = check(site.path(), true);
    assert_eq!(result.status.code(), Some(0), "warnings only");
    let out = String::from_utf8(result.stdout).unwrap();
    assert!(
        out.contains("\"file\":\"content/forgotten.pdf\"") && out.contains("W0702"),
        "{out}"
    );
    assert!(out.contains("W0801") && out.contains("ICP"), "{out}");
}

/// Every file under the editor's folders, with its bytes.
fn editor_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    ["content", "themes", "archive"]
        .iter()
        .filter(|d| root.join(d).is_dir())
        .flat_map(|d| {
            tree(&root.join(d))
                .into_iter()
                .map(move |(p, b)| (format!("{d}/{p}"), b))
        })
        .collect()
}

#[test]
fn no_command_touches_the_editors_files() {
    let site = default_site();
    let root = site.path();
    fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    fs::write(
        root.join("themes/default/templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>找不到</h1>{% endblock content %}",
    )
    .unwrap();
    let arg = root.to_str().unwrap();
    let out = root.join("public");
    let out = out.to_str().unwrap();
    let snapshot = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ecosite"))
            .args(["snapshot", "--period", "2024-Q1", "--root", arg])
            .env("SOURCE_DATE_EPOCH", "1712000000")
            .output()
            .unwrap()
    };
    assert!(snapshot().status.success());
    let before = editor_files(root);
    assert!(ecosite(&["build", "--root", arg, "--out", out])
        .status
        .success());
    assert!(ecosite(&["check", "--root", arg]).status.success());
    assert_eq!(snapshot().status.code(), Some(2), "refuses to overwrite");
    assert!(editor_files(root) == before, "good input: nothing changed");

    // Bad input: the same commands fail, and still change nothing.
    fs::write(root.join("content/site.yaml"), "title: [坏\n").unwrap();
    let before = editor_files(root);
    assert_eq!(
        ecosite(&["build", "--root", arg, "--out", out])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(ecosite(&["check", "--root", arg]).status.code(), Some(1));
    assert_eq!(
        snapshot().status.code(),
        Some(2),
        "the archive exists: refused first"
    );
    assert!(editor_files(root) == before, "bad input: nothing changed");
}

#[test]
fn stale_sections_and_empty_columns_are_warned_about_against_today() {
    let site = default_site();
    let yaml = read(&site.path().join("content/site.yaml"));
    fs::write(
        site.path().join("content/site.yaml"),
        format!("{yaml}\nfreshness:\n  summaries: 30\n"),
    )
    .unwrap();
    let areas = read(&site.path().join("content/areas.yaml"));
    fs::write(
        site.path().join("content/areas.yaml"),
        format!("{areas}\n- id: empty-column\n  name: 空栏目\n  order: 99\n"),
    )
    .unwrap();
    let root = site.path().to_str().unwrap();
    let fresh = ecosite(&[
        "check",
        "--format",
        "json",
        "--root",
        root,
        "--today",
        "2024-08-01",
    ]);
    let out = String::from_utf8_lossy(&fresh.stdout).into_owned();
    assert_eq!(fresh.status.code(), Some(0), "warnings only");
    assert!(out.contains("empty-column"), "the empty column: {out}");
    assert!(!out.contains("没有更新"), "24 days is fresh: {out}");
    let stale = ecosite(&[
        "check",
        "--format",
        "json",
        "--root",
        root,
        "--today",
        "2024-12-01",
    ]);
    assert!(
        String::from_utf8_lossy(&stale.stdout).contains("没有更新"),
        "stale after 30 days"
    );
    assert_eq!(
        ecosite(&["check", "--root", root, "--today", "昨天"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_field_that_is_used_is_never_called_unknown() {
    let site = default_site();
    let path = site.path().join("content/site.yaml");
    let text = read(&path);
    fs::write(&path, format!("{text}freshness:\n  summaries: 90\n")).unwrap();
    let result = ecosite(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2024-08-01",
    ]);
    let out = String::from_utf8_lossy(&result.stdout);
    assert!(
        !out.contains("W0203"),
        "freshness is read, so it is not unknown: {out}"
    );
}
