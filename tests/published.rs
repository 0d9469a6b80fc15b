//! Issue 12: only what is meant to be public is published. Markdown is content or an error,
//! never a file copied as it is, and a draft never leaves the machine without `--drafts`.

mod common;

use std::fs;

use common::*;

const DRAFT: &str = "---\ntitle: 内部讨论稿（勿发布）\ndate: 2023-11-02\nquarter: 2023-Q4\ndraft: true\n---\n\n这是尚未审定的内部文字。\n";

#[test]
fn a_draft_in_a_sub_folder_of_an_area_stays_on_the_machine() {
    let site = default_site();
    let folder = site.path().join("content/summaries/air/2023");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("internal.md"), DRAFT).unwrap();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    for (path, bytes) in tree(&out) {
        assert!(
            !path.ends_with(".md"),
            "{path} is a Markdown file copied as it is"
        );
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("尚未审定的内部文字"),
            "the draft's text is in {path}"
        );
        assert!(
            !text.contains("内部讨论稿"),
            "the draft's title is in {path}"
        );
    }
    // It is content: with --drafts it is a summary of its area like any other.
    let root = site.path().to_str().unwrap();
    let drafts = site.path().join("drafts");
    let result = ecosite(&[
        "build",
        "--root",
        root,
        "--out",
        drafts.to_str().unwrap(),
        "--drafts",
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(&drafts.join("summaries/air/internal/index.html"));
    assert!(page.contains("内部讨论稿"));
}

#[test]
fn markdown_where_no_page_comes_from_is_an_error_not_a_download() {
    for place in [
        "notes.md",
        "summaries/readme.md",
        "facilities/说明.md",
        "data/old.markdown",
    ] {
        let site = default_site();
        let path = site.path().join("content").join(place);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, DRAFT).unwrap();
        let out = site.path().join("public");
        let result = build(site.path(), &out);
        assert_eq!(
            result.status.code(),
            Some(1),
            "{place}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).contains(&format!("content/{place}")),
            "{}",
            stderr(&result)
        );
        assert!(!out.exists(), "{place}: nothing published");
    }
}
