//! The default site root builds end to end, and the output holds what the issue promises.

mod common;

use std::fs;

use common::*;

#[test]
fn default_content_builds_every_page() {
    let site = default_site();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));

    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "summaries/index.html",
        "reports/index.html",
        "assets/style.css",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    // Every area of areas.yaml has its page.
    let areas: serde_yaml::Value =
        serde_yaml::from_str(&read(&site.path().join("content/areas.yaml"))).unwrap();
    let areas = areas.as_sequence().unwrap();
    assert!(areas.len() >= 8);
    for area in areas {
        let id = area["id"].as_str().unwrap();
        assert!(
            out.join(format!("summaries/{id}/index.html")).is_file(),
            "area page {id}"
        );
    }
    // Every summary that is not a draft has its page; drafts do not.
    let mut published = 0;
    for entry in walkdir::WalkDir::new(site.path().join("content/summaries")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let area = entry
            .path()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let slug = entry.path().file_stem().unwrap().to_str().unwrap();
        let page = out.join(format!("summaries/{area}/{slug}/index.html"));
        let is_draft = read(entry.path()).contains("\ndraft: true");
        assert_eq!(page.is_file(), !is_draft, "{}", page.display());
        published += usize::from(!is_draft);
    }
    assert!(published >= 12, "at least Q1 and Q2 summaries in six areas");
    // Both quarterly reports.
    for q in ["2024-q1", "2024-q2"] {
        let report = read(&out.join(format!("reports/{q}/index.html")));
        assert!(report.contains("<h1>"), "{q}");
    }
    // Free pages.
    for page in ["about", "methodology", "licence"] {
        assert!(out.join(page).join("index.html").is_file(), "page {page}");
    }
}

#[test]
fn every_page_is_in_the_sitemap_and_is_chinese_html5() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let sitemap = read(&out.join("sitemap.xml"));
    let base = "https://sthjj.wuhu.gov.cn/ecosite/";
    let mut pages = 0;
    for (path, bytes) in tree(&out) {
        if !path.ends_with("index.html") {
            continue;
        }
        pages += 1;
        let url = format!("{base}{}", path.trim_end_matches("index.html"));
        let encoded: String = url
            .bytes()
            .map(|b| {
                if b.is_ascii() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            sitemap.contains(&format!("<loc>{encoded}</loc>")),
            "{url} is not in the sitemap"
        );
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            html.starts_with("<!doctype html><html lang=zh-CN>"),
            "{path}"
        );
        assert_eq!(
            html.matches("<h1").count(),
            1,
            "{path} must have exactly one h1"
        );
        assert!(
            html.contains("示例数据"),
            "{path} must carry the sample-data banner"
        );
        assert!(html.contains("网站标识码"), "{path} footer ids");
        // Structured data for search engines is not code; the large-text switch only adds to a
        // page that works without it; the search page alone needs a script (and says so).
        let scripts = html.matches("<script").count();
        let json_ld = html.matches("<script type=application/ld+json>").count();
        let search = html.matches("search.js").count();
        let switch = html.matches("assets/a11y.js").count();
        assert_eq!(switch, 1, "{path} offers the large-text switch");
        assert_eq!(
            scripts,
            json_ld + search + switch,
            "{path} needs no other JavaScript"
        );
        if search > 0 {
            assert!(
                path == "search/index.html" && html.contains("<noscript>"),
                "{path}"
            );
        }
    }
    assert_eq!(
        sitemap.matches("<loc>").count(),
        pages,
        "no page listed twice or missing"
    );
    assert!(!sitemap.contains("404.html"));
}

#[test]
fn feed_is_atom_with_the_newest_summaries() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let feed = read(&out.join("feed.xml"));
    assert!(feed.starts_with("<?xml"));
    assert!(feed.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom""#));
    assert!(feed.matches("<entry>").count() >= 12);
    assert!(!feed.contains("<script"));
    let robots = read(&out.join("robots.txt"));
    assert!(robots.contains("Sitemap: https://sthjj.wuhu.gov.cn/ecosite/sitemap.xml"));
}

/// A feed reader cannot draw a chart: a summary's shortcodes leave nothing in its entry, not
/// the private-use markers the pages replace.
#[test]
fn the_feed_carries_no_shortcode_markers() {
    let site = default_site();
    let file = site
        .path()
        .join("content/summaries/air/2024-q2-blue-sky.md");
    let text = read(&file);
    fs::write(
        &file,
        format!("{text}\n图表 {{{{ chart(id=\"cod-reduction\") }}}} 与状态 {{{{ status(id=\"cod-reduction\") }}}}。\n"),
    )
    .unwrap();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(&out.join("summaries/air/2024-q2-blue-sky/index.html"));
    assert!(page.contains("<figure"), "the page draws the chart");
    let feed = read(&out.join("feed.xml"));
    assert!(
        feed.contains("与状态"),
        "the entry keeps the text around them"
    );
    assert!(
        !feed.contains(['\u{E000}', '\u{E001}']) && !feed.contains("chart:cod-reduction"),
        "{feed}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = default_site();
    let a = site.path().join("a");
    let b = site.path().join("b");
    assert!(build(site.path(), &a).status.success());
    assert!(build(site.path(), &b).status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 30);
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn rebuild_replaces_the_previous_output() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    fs::create_dir_all(out.join("stale")).unwrap();
    fs::write(out.join("stale/index.html"), "old").unwrap();
    assert!(build(site.path(), &out).status.success());
    assert!(
        !out.join("stale").exists(),
        "files of an earlier build do not linger"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        leftovers.iter().all(|n| !n.starts_with(".public")),
        "nothing is kept beside the output: {leftovers:?}"
    );
}

#[test]
fn drafts_and_base_url_flags() {
    let site = default_site();
    let out = site.path().join("public");
    let root = site.path().to_str().unwrap();
    let result = ecosite(&[
        "build",
        "--root",
        root,
        "--out",
        out.to_str().unwrap(),
        "--drafts",
        "--base-url",
        "https://example.org/sub",
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    let draft = out.join("summaries/air/2024-q2-draft-example/index.html");
    assert!(read(&draft).contains("草稿"));
    let home = read(&out.join("index.html"));
    assert!(
        home.contains("href=/sub/summaries/"),
        "links carry the base path"
    );
    assert!(read(&out.join("sitemap.xml")).contains("<loc>https://example.org/sub/</loc>"));
}

#[test]
fn area_page_carries_the_work_plan_tasks() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let air = read(&out.join("summaries/air/index.html"));
    assert!(
        air.contains("基本完成钢铁行业超低排放改造"),
        "the seed's own words"
    );
    let water = read(&out.join("summaries/water/index.html"));
    assert!(water.contains("长江芜湖段国、省考断面水质优良比例达到100%"));
}

#[test]
fn the_interface_is_chinese_throughout() {
    let site = default_site();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = read(&path);
        let name = path.strip_prefix(&out).unwrap().display().to_string();
        // No English subtitle, no format names or byte counts in the reader's way, no Q1–Q4.
        for english in [
            "lang=en",
            "lang=\"en\"",
            "(Atom)",
            "字节",
            ">英文<",
            ">Q1<",
            ">Q4<",
        ] {
            assert!(!page.contains(english), "{name} shows {english}");
        }
    }
    let data = read(&out.join("data/index.html"));
    assert!(data.contains(" KB<"), "file sizes in KB");
    let indicator = read(&out.join("targets/pm25/index.html"));
    assert!(indicator.contains("一季度") && indicator.contains("四季度"));
}
