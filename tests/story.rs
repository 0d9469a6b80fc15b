//! What the default site tells a citizen: figures with the months they cover and the change
//! from last year, dates taken from the content, a home page that answers the first questions
//! and reports that say why they are empty.

mod common;

use std::fs;
use std::path::Path;

use common::{build, default_site, stderr};

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap()
}

/// The text of a page without its tags.
fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_default_site_tells_one_story() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));

    // Dates come from the content: the newest value was published 2024-10-18, and no page
    // claims a quarter's last day as the day it changed.
    let sitemap = page(&out, "sitemap.xml");
    for last_day in ["03-31", "06-30", "09-30", "12-31"] {
        assert!(!sitemap.contains(&format!("-{last_day}<")), "{last_day}");
    }
    for path in [
        "index.html",
        "targets/index.html",
        "targets/pm25/index.html",
    ] {
        assert!(
            text(&page(&out, path)).contains("内容更新于 2024-10-18"),
            "{path}"
        );
    }

    // The home page answers the citizen's questions in its first section.
    let home = text(&page(&out, "index.html"));
    let glance = &home[home.find("2024年第三季度概览").unwrap()..];
    let glance = &glance[..glance.find("目标完成情况").unwrap()];
    for words in [
        "与上年同期相比（1—9月累计）",
        "细颗粒物(PM2.5)平均浓度 33.8 微克/立方米，同比下降 1.4 微克/立方米（改善）",
        "空气质量优良天数比率 84.3%，同比上升 0.8 个百分点（改善）",
        "16 项年度目标",
        "参观须提前预约",
        "芜湖市生态环境监测站：每月第一个周六",
        "预约电话 0553-0000001",
    ] {
        assert!(glance.contains(words), "{words}\n{glance}");
    }

    // Year-to-date values say so, and the same period of last year is shown.
    let pm25 = text(&page(&out, "targets/pm25/index.html"));
    for words in [
        "（2024年第三季度）1—9月累计 33.8 微克/立方米（初步数据），同比下降 1.4 微克/立方米（改善），上年同期 35.2 微克/立方米。",
        "2023年1—9月",
    ] {
        assert!(pm25.contains(words), "{words}");
    }

    // A target the site's latest period has no figure for says so, with its last judgement.
    let co2 = text(&page(&out, "targets/co2-intensity/index.html"));
    assert!(
        co2.contains("暂无数据（2024年第三季度）能源消费和地区生产总值数据待统计部门核算后发布。最近一次判定为2024年第二季度：! 存在风险"),
        "{co2}"
    );

    // The overview's columns say which months their figures cover.
    let targets = text(&page(&out, "targets/index.html"));
    assert!(targets.contains("第一季度（1—3月）"), "{targets}");
    assert!(targets.contains("第四季度（全年）"));

    // "About 50%" is judged with its tolerance, and the rule is stated in words.
    let rural = text(&page(&out, "targets/rural-sewage-rate/index.html"));
    assert!(rural.contains("≈ 50%（±2%）"));
    assert!(rural.contains("与目标值 50% 相差不超过 2%（即 48% 至 52%）为达标"));
    let methodology = text(&page(&out, "methodology/index.html"));
    assert!(methodology.contains("与目标值 50% 相差不超过 2%"));
    assert!(methodology.contains("未到报告期"));

    // An empty quarterly report says why and points to the last one with summaries.
    let q3 = page(&out, "reports/2024-q3/index.html");
    let q3_text = text(&q3);
    assert!(!q3_text.contains(" 0 篇"), "{q3_text}");
    assert!(q3_text.contains("本季度的工作进展尚未发布"));
    assert!(q3.contains("reports/2024-q2/"));
}
