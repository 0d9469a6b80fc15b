//! `ecosite new`: a minimal site for another bureau and year that builds and checks clean, the
//! year rollover from last year's site (values become history, archives stay online), and a
//! refused folder that is left as it was.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const TITLE: &str = "马鞍山市生态环境局 2025年生态环境工作进展";

fn text_files(dir: &Path) -> Vec<(String, String)> {
    tree(dir)
        .into_iter()
        .filter_map(|(path, bytes)| String::from_utf8(bytes).ok().map(|t| (path, t)))
        .collect()
}

#[test]
fn a_new_site_builds_and_checks_clean_for_another_bureau_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let made = ecosite(&[
        "new",
        root.to_str().unwrap(),
        "--title",
        TITLE,
        "--organization",
        "马鞍山市生态环境局",
        "--year",
        "2025",
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    for file in [
        "content/site.yaml",
        "content/areas.yaml",
        "content/pages/about.md",
        "content/pages/methodology.md",
        "content/pages/open-data-licence.md",
        "README.md",
    ] {
        assert!(root.join(file).is_file(), "{file} is written");
    }
    let site_yaml = read(&root.join("content/site.yaml"));
    assert!(site_yaml.contains("year: 2025"), "{site_yaml}");
    assert!(site_yaml.contains(TITLE), "{site_yaml}");
    assert!(site_yaml.contains("# "), "site.yaml explains its fields");

    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
    for d in &diagnostics {
        assert_eq!(d["severity"], "warning", "{d:#}");
        let message = d["message_en"].as_str().unwrap();
        // Only what the bureau alone can supply: its ids, filings, emblem, error-report entry
        // and its domain (the metadata SiteDomain and SiteIDCode come from them).
        assert!(
            [
                "`site_code`",
                "`icp`",
                "`police`",
                "`police_url`",
                "`police_badge`",
                "`emblem`",
                "`emblem_url`",
                "`error_report_url`",
                "`SiteDomain`",
                "`SiteIDCode`",
            ]
            .iter()
            .any(|id| message.contains(id)),
            "only the bureau's own ids may be missing: {d:#}"
        );
    }

    let out = dir.path().join("public");
    let built = build(&root, &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(out.join("targets/index.html").is_file());
    for (path, text) in text_files(&root).into_iter().chain(text_files(&out)) {
        assert!(!text.contains("芜湖"), "{path} names another bureau");
        // Some 2024s may still come from compiled-in code while the generator is made to hold
        // no year of its own (the first part of the same work); the files `new` writes must
        // hold none of them.
        if !path.starts_with("content/") && path != "README.md" {
            continue;
        }
        assert!(!text.contains("2024"), "{path} names another year");
    }
}

#[test]
fn a_new_site_before_any_figure_or_report_links_nothing_missing() {
    // The first days of a plan year: the plan's tasks are written, no figure and no summary yet.
    // The menu's 重点任务 and the pages' links to the ledger and the open data must lead
    // somewhere.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let made = ecosite(&["new", root.to_str().unwrap(), "--year", "2025"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    for folder in ["content/indicators", "content/summaries"] {
        fs::remove_dir_all(root.join(folder)).unwrap();
    }
    let (code, diagnostics) = check_json(&root);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, Some(0));
    let out = dir.path().join("public");
    let built = build(&root, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let ledger = read(&out.join("tasks/index.html"));
    assert!(
        ledger.contains("暂无进展报告"),
        "every task is listed as not reported yet"
    );
}

#[test]
fn a_published_site_holds_no_other_year() {
    // Kept apart from the test above: it fails only while the generator itself still writes a
    // year of its own into pages, which is the other part of the same work.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let made = ecosite(&[
        "new",
        root.to_str().unwrap(),
        "--title",
        TITLE,
        "--year",
        "2025",
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let out = dir.path().join("public");
    assert_eq!(build(&root, &out).status.code(), Some(0));
    let with_2024: Vec<String> = text_files(&out)
        .into_iter()
        .filter(|(_, text)| text.contains("2024"))
        .map(|(path, _)| path)
        .collect();
    assert!(with_2024.is_empty(), "pages naming 2024: {with_2024:?}");
}

#[test]
fn a_non_empty_folder_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "编辑的笔记").unwrap();
    let before = tree(dir.path());
    let result = ecosite(&["new", dir.path().to_str().unwrap(), "--year", "2025"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(
        err.contains("不是空的") && err.contains("not empty"),
        "{err}"
    );
    assert_eq!(tree(dir.path()), before, "nothing written");
    let siblings: Vec<_> = fs::read_dir(dir.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".ecosite-new"))
        .collect();
    assert!(
        siblings.is_empty(),
        "no staging left beside it: {siblings:?}"
    );

    let site = default_site();
    let result = ecosite(&[
        "new",
        site.path().join("next").to_str().unwrap(),
        "--from",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(2),
        "a new site inside the old one is refused"
    );
    assert!(!site.path().join("next").exists());
}

#[test]
fn next_years_site_starts_from_this_years() {
    let old = default_site();
    let snapshot = ecosite(&[
        "snapshot",
        "--period",
        "2024-Q2",
        "--root",
        old.path().to_str().unwrap(),
    ]);
    assert_eq!(snapshot.status.code(), Some(0), "{}", stderr(&snapshot));
    let old_tree = tree(old.path());

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("2025");
    let made = ecosite(&[
        "new",
        root.to_str().unwrap(),
        "--from",
        old.path().to_str().unwrap(),
        "--year",
        "2025",
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert_eq!(tree(old.path()), old_tree, "the old site is not touched");

    let site_yaml = read(&root.join("content/site.yaml"));
    assert!(site_yaml.contains("year: 2025"), "{site_yaml}");
    assert!(
        site_yaml.contains("# 站点设置"),
        "comments kept: {site_yaml}"
    );
    assert!(
        site_yaml.contains("archive/2024-Q2/"),
        "names last year's final snapshot: {site_yaml}"
    );
    let pm25 = read(&root.join("content/indicators/pm25.yaml"));
    assert!(pm25.contains("period: 2024-Q1, value: 41.2"), "{pm25}");
    assert!(pm25.contains("period: 2023, value: 36.1"), "{pm25}");
    assert!(!pm25.contains("period: 2024-Q1, value: 41.2, "), "{pm25}");
    assert!(
        fs::read_dir(root.join("content/facilities")).is_ok(),
        "facilities copied"
    );
    assert!(root.join("content/pages/about.md").is_file());
    let areas = read(&root.join("content/areas.yaml"));
    assert!(
        areas.contains("id: air") && !areas.contains("air-03"),
        "{areas}"
    );
    assert!(!root.join("content/summaries/air").exists());

    let (code, diagnostics) = check_json(&root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
    let unreported: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["code"] == "W0803")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(unreported.len(), 16, "{diagnostics:#?}");
    assert!(unreported.contains(&"content/indicators/pm25.yaml"));

    let out = dir.path().join("public");
    let built = build(&root, &out);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let page = read(&out.join("targets/pm25/index.html"));
    for shown in [
        "2024年1—3月",
        "41.2",
        "2024年1—6月",
        "34.9",
        "2024年1—9月",
        "33.8",
    ] {
        assert!(page.contains(shown), "the PM2.5 page shows {shown}");
    }
    let archived = tree(&old.path().join("archive"));
    assert!(!archived.is_empty());
    for (path, bytes) in archived {
        let published = fs::read(out.join("archive").join(&path)).unwrap();
        assert_eq!(published, bytes, "archive/{path} is published unchanged");
    }
}

#[test]
fn the_year_after_the_old_sites_is_the_default() {
    let old = default_site();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("next");
    let made = ecosite(&[
        "new",
        root.to_str().unwrap(),
        "--from",
        old.path().to_str().unwrap(),
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert!(read(&root.join("content/site.yaml")).contains("year: 2025"));
    let result = ecosite(&[
        "new",
        dir.path().join("same").to_str().unwrap(),
        "--from",
        old.path().to_str().unwrap(),
        "--year",
        "2024",
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
}

#[test]
fn a_broken_old_site_is_reported_and_nothing_is_written() {
    let old = default_site();
    let pm25 = old.path().join("content/indicators/pm25.yaml");
    fs::write(&pm25, read(&pm25).replace("value: 41.2", "value: 41,2")).unwrap();
    let old_tree = tree(old.path());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("next");
    let result = ecosite(&[
        "new",
        root.to_str().unwrap(),
        "--from",
        old.path().to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("pm25.yaml"), "{}", stderr(&result));
    assert!(!root.exists(), "nothing written");
    assert_eq!(tree(old.path()), old_tree);
}
