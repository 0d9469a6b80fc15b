//! Broken site roots: every error is reported with file:line:column, the exit code is 1, and an
//! existing output folder is left exactly as it was. Unsafe content never reaches the output.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small valid site root.
fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/site.yaml",
        "title: 测试站点\nbase_url: https://example.org/\nsample_data: true\n",
    );
    write(
        dir.path(),
        "content/areas.yaml",
        "- id: pollution\n  name: 污染防治\n- id: air\n  name: 蓝天保卫战\n  parent: pollution\n",
    );
    write(
        dir.path(),
        "content/summaries/air/q1.md",
        "---\ntitle: 第一季度\ndate: 2024-04-10\n---\n正文\n",
    );
    dir
}

#[test]
fn broken_yaml_and_unclosed_front_matter_are_both_reported_and_output_is_untouched() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let before = tree(&out);

    write(
        site.path(),
        "content/areas.yaml",
        &read(&site.path().join("content/areas.yaml")).replacen(
            "- id: air",
            "- id: air\n  name: [未闭合",
            1,
        ),
    );
    write(
        site.path(),
        "content/summaries/water/zz-unclosed.md",
        "---\ntitle: 没有结束线\ndate: 2024-07-01\n\n正文\n",
    );
    let result = build(site.path(), &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(err.contains("content/areas.yaml:"), "{err}");
    assert!(err.contains("E0201"), "YAML syntax error code: {err}");
    assert!(
        err.contains("content/summaries/water/zz-unclosed.md:1:1"),
        "{err}"
    );
    assert!(err.contains("E0301"), "{err}");
    assert!(err.contains("English:"), "an English gloss: {err}");
    assert!(
        tree(&out) == before,
        "the previous output must be byte-for-byte as it was"
    );
}

#[test]
fn all_content_errors_are_reported_together() {
    let site = small_site();
    let root = site.path();
    write(
        root,
        "content/summaries/air/bad-date.md",
        "---\ntitle: 日期错\ndate: 2024-02-30\n---\n",
    );
    write(
        root,
        "content/summaries/air/bad-quarter.md",
        "---\ntitle: 季度错\ndate: 2024-04-01\nquarter: 2024-Q5\n---\n",
    );
    write(
        root,
        "content/summaries/air/no-title.md",
        "---\ndate: 2024-04-01\n---\n",
    );
    write(
        root,
        "content/summaries/air/unknown-area.md",
        "---\ntitle: x\ndate: 2024-04-01\narea: aire\n---\n",
    );
    write(
        root,
        "content/summaries/air/dup.md",
        "---\ntitle: 重复\ndate: 2024-04-01\nslug: q1\n---\n",
    );
    write(
        root,
        "content/summaries/air/type.md",
        "---\ntitle: x\ndate: 2024-04-01\ndraft: 也许\n---\n",
    );
    let result = build(root, &root.join("public"));
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    for expected in [
        "content/summaries/air/bad-date.md:3:7",
        "content/summaries/air/bad-quarter.md:4:10",
        "content/summaries/air/no-title.md:1:1",
        "content/summaries/air/unknown-area.md:4:7",
        "content/summaries/air/dup.md:4:7",
        "content/summaries/air/type.md:4:",
    ] {
        assert!(err.contains(expected), "{expected} missing from:\n{err}");
    }
    for code in ["E0402", "E0403", "E0401", "E0404", "E0405", "E0202"] {
        assert!(err.contains(code), "{code} missing");
    }
    assert!(err.contains("是否想写 air？"), "hint for a misspelt area");
    assert!(!root.join("public").exists(), "nothing is written");
}

#[test]
fn script_is_sanitised_unless_unsafe_html() {
    let site = small_site();
    let root = site.path();
    write(root, "content/summaries/air/q1.md", "---\ntitle: 第一季度\ndate: 2024-04-10\n---\n正文<script>alert('x')</script>\n\n[链接](javascript:alert(1))\n");
    let out = root.join("public");
    assert!(build(root, &out).status.success());
    let page = read(&out.join("summaries/air/q1/index.html"));
    // The only script is the theme's own large-text switch.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("正文"));
    assert!(
        !read(&out.join("feed.xml")).contains("&lt;script"),
        "nor in the feed"
    );

    write(
        root,
        "content/site.yaml",
        "title: 测试站点\nunsafe_html: true\n",
    );
    assert!(build(root, &out).status.success());
    assert!(read(&out.join("summaries/air/q1/index.html")).contains("<script>alert('x')</script>"));
}

#[test]
fn slug_cannot_leave_the_output_folder() {
    let site = small_site();
    let root = site.path();
    write(
        root,
        "content/summaries/air/evil.md",
        "---\ntitle: x\ndate: 2024-04-10\nslug: ../../x\n---\n",
    );
    write(
        root,
        "content/pages/evil.md",
        "---\ntitle: x\nslug: ../../../etc\n---\n",
    );
    let out = root.join("sub/public");
    let result = build(root, &out);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("content/summaries/air/evil.md:4:7"), "{err}");
    assert!(err.contains("content/pages/evil.md:3:7"), "{err}");
    assert!(!root.join("x").exists() && !root.join("sub/x").exists() && !root.join("etc").exists());
    assert!(!out.exists());
}

#[test]
fn missing_site_files_and_bad_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/summaries/air/x.md",
        "---\ntitle: x\ndate: 2024-04-10\n---\n",
    );
    fs::write(
        root.join("content/summaries/air/gbk.md"),
        b"---\ntitle: \xb1\xea\xcc\xe2\n---\n",
    )
    .unwrap();
    let result = build(root, &root.join("public"));
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("content/site.yaml"), "{err}");
    assert!(err.contains("content/areas.yaml"), "{err}");
    assert!(err.contains("E0102") && err.contains("GBK"), "{err}");
}

#[test]
fn a_root_without_content_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = build(dir.path(), &dir.path().join("public"));
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("content"));
}

#[test]
fn usage_errors_exit_2() {
    let result = ecosite(&["build", "--no-such-flag"]);
    assert_eq!(result.status.code(), Some(2));
    let result = ecosite(&["frobnicate"]);
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn output_folder_that_would_swallow_the_site_is_refused() {
    let site = small_site();
    let root = site.path();
    let result = build(root, root);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        root.join("content/site.yaml").is_file(),
        "the editor's files are untouched"
    );
    let result = build(root, &root.join("content/public"));
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn site_theme_overrides_a_template_and_bom_is_accepted() {
    let site = small_site();
    let root = site.path();
    write(
        root,
        "content/site.yaml",
        "\u{feff}title: 测试站点\ntheme: mine\n",
    );
    write(root, "themes/mine/templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>自定义的找不到页面</h1>{% endblock content %}");
    write(root, "themes/mine/static/assets/extra.css", "body{}");
    let out = root.join("public");
    let result = build(root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(read(&out.join("404.html")).contains("自定义的找不到页面"));
    assert!(
        read(&out.join("index.html")).contains("测试站点"),
        "other templates stay the default"
    );
    assert!(out.join("assets/extra.css").is_file() && out.join("assets/style.css").is_file());

    write(
        root,
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_var.x }}{% endblock content %}",
    );
    let result = build(root, &out);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        stderr(&result).contains("themes/mine/templates/404.html"),
        "{}",
        stderr(&result)
    );
}

#[test]
fn other_files_are_copied_and_file_names_with_spaces_get_clean_urls() {
    let site = small_site();
    let root = site.path();
    fs::create_dir_all(root.join("content/files")).unwrap();
    fs::write(root.join("content/files/海报 2024.pdf"), b"%PDF-1.4 sample").unwrap();
    write(
        root,
        "content/summaries/air/蓝天 工作.md",
        "---\ntitle: 中文文件名\ndate: 2024-04-10\n---\n",
    );
    let out = root.join("public");
    let result = build(root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(
        fs::read(out.join("files/海报 2024.pdf")).unwrap(),
        b"%PDF-1.4 sample"
    );
    assert!(out.join("summaries/air/蓝天-工作/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_site_root_is_refused() {
    let site = small_site();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("content/secret.txt"),
    )
    .unwrap();
    let result = build(root, &root.join("public"));
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("content/secret.txt"));
    assert!(!root.join("public").exists());
}

#[test]
fn build_and_check_name_an_unknown_field_once() {
    let site = small_site();
    write(
        site.path(),
        "content/summaries/air/q1.md",
        "---\ntitle: 第一季度\ndate: 2024-04-10\ntitel: 错字\n---\n正文\n",
    );
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let err = stderr(&result);
    assert_eq!(err.matches("W0203").count(), 1, "{err}");
    assert!(err.contains("content/summaries/air/q1.md:4:"), "{err}");

    let result = ecosite(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&result);
    assert_eq!(err.matches("W0203").count(), 1, "{err}");
}
