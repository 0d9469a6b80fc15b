//! Indicators end to end: pages with charts and tables, statuses against an independently
//! written fixture, the open-data files, and every kind of bad indicator file.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const HEADER: &str = "indicator_id,indicator_name,area,unit,kind,period,value,target_comparator,target_value,status,flag,note,sample_data";

#[test]
fn every_default_indicator_has_a_page_with_chart_and_table() {
    let site = default_site();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let ids: Vec<String> = fs::read_dir(site.path().join("content/indicators"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for required in [
        "pm25",
        "good-air-days",
        "heavy-pollution-days",
        "surface-water-good",
        "surface-water-worse-than-v",
        "yangtze-sections-good",
        "soil-groundwater",
        "rural-sewage-rate",
        "black-odorous-water",
        "rural-sewage-villages",
        "nox-reduction",
        "vocs-reduction",
        "cod-reduction",
        "nh3n-reduction",
        "co2-intensity",
        "eco-monitoring-plots",
    ] {
        assert!(
            ids.iter().any(|i| i == required),
            "{required} is missing from the default content"
        );
    }
    let targets = read(&out.join("targets/index.html"));
    for id in &ids {
        let page = read(&out.join(format!("targets/{id}/index.html")));
        assert!(
            page.contains("<svg") && page.contains("role=img"),
            "{id}: inline chart"
        );
        assert!(
            page.contains(&format!("<title id=chart-{id}-title>")),
            "{id}: chart title"
        );
        assert!(
            page.contains("<table class=data-table>"),
            "{id}: data table"
        );
        assert!(page.contains("判定规则"), "{id}: the rule");
        assert!(
            targets.contains(&format!("/targets/{id}/")),
            "{id} listed on /targets/"
        );
    }
    for status in ["达标", "进度正常", "存在风险", "未达标", "暂无数据"] {
        assert!(targets.contains(status), "/targets/ shows {status}");
    }
    let report = read(&out.join("reports/2024-q2/index.html"));
    assert!(
        report.contains("目标完成情况") && report.contains("status-met"),
        "the report carries the statuses"
    );
    let home = read(&out.join("index.html"));
    assert!(
        home.contains("目标完成情况") && home.contains("class=status-table"),
        "headline status on /"
    );
    assert!(
        out.join("reports/2024-q3/index.html").is_file(),
        "a quarter with data only still gets its report"
    );
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn open_data_csv_and_json_agree() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let bytes = fs::read(out.join("data/indicators.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with(&format!("{HEADER}\r\n")),
        "exact header, CRLF"
    );
    let rows = csv_rows(&bytes);
    let indicators = fs::read_dir(site.path().join("content/indicators"))
        .unwrap()
        .count();
    // Earlier years and earlier quarters are not judged: their status cell is empty.
    let judged = rows[1..].iter().filter(|r| !r[9].is_empty()).count();
    assert!(rows[1..]
        .iter()
        .all(|r| r[9].is_empty() || r[5].starts_with("2024-Q")));
    assert_eq!(
        judged,
        indicators * 4,
        "a judged row for every indicator and quarter, besides the earlier periods"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/indicators.json")).unwrap()).unwrap();
    let json_rows = json["rows"].as_array().unwrap();
    assert_eq!(json_rows.len(), rows.len() - 1);
    let columns: Vec<&str> = HEADER.split(',').collect();
    for (csv_row, json_row) in rows[1..].iter().zip(json_rows) {
        for (column, cell) in columns.iter().zip(csv_row) {
            let value = &json_row[*column];
            let as_text = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => {
                    let v = n.as_f64().unwrap();
                    assert_eq!(cell.parse::<f64>().unwrap(), v, "{column}");
                    cell.clone()
                }
                serde_json::Value::Bool(b) => b.to_string(),
                other => panic!("unexpected {other}"),
            };
            assert_eq!(&as_text, cell, "{column} of {csv_row:?}");
        }
    }
    assert_eq!(json["indicators"].as_array().unwrap().len(), indicators);
    let pm25 = fs::read(out.join("data/targets/pm25.csv")).unwrap();
    let pm25 = csv_rows(&pm25);
    assert_eq!(
        pm25.iter().filter(|r| r[5].starts_with("2024-Q")).count(),
        4
    );
    let package: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/datapackage.json")).unwrap()).unwrap();
    let indicator_resources: Vec<&serde_json::Value> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "indicators" || r["name"].as_str().unwrap().starts_with("target-"))
        .collect();
    assert_eq!(indicator_resources.len(), indicators + 1);
    for resource in package["resources"].as_array().unwrap() {
        let path = resource["path"].as_str().unwrap();
        assert!(out.join("data").join(path).is_file(), "{path} exists");
    }
    for resource in indicator_resources {
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, columns);
    }
    let catalogue = read(&out.join("data/index.html"));
    assert!(catalogue.contains("<script type=application/ld+json>"));
    assert!(catalogue.contains("\"@type\":\"Dataset\""));
    for column in &columns {
        assert!(
            catalogue.contains(column),
            "{column} is described on /data/"
        );
    }
}

#[test]
fn statuses_match_the_independently_written_fixture() {
    let fixture = repo().join("tests/fixtures/status-site");
    // Built from a copy: a build writes its working folder into the site root.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture, &root);
    let out = tmp.path().join("public");
    let result = build(&root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let rows = csv_rows(&fs::read(out.join("data/indicators.csv")).unwrap());
    let status_column = rows[0].iter().position(|c| c == "status").unwrap();
    // Earlier years are published but not judged.
    let computed: Vec<(String, String, String)> = rows[1..]
        .iter()
        .filter(|r| !r[status_column].is_empty())
        .map(|r| (r[0].clone(), r[5].clone(), r[status_column].clone()))
        .collect();
    let expected = read(&fixture.join("expected.csv"));
    let mut checked = 0;
    for line in expected.lines().skip(1) {
        let parts: Vec<&str> = line.split(',').collect();
        let found = computed
            .iter()
            .find(|(id, period, _)| id == parts[0] && period == parts[1])
            .unwrap_or_else(|| panic!("no row for {line}"));
        assert_eq!(found.2, parts[2], "{} {}", parts[0], parts[1]);
        checked += 1;
    }
    assert_eq!(
        checked,
        computed.len(),
        "every computed row is in the fixture"
    );
}

/// A site root with one good indicator, for the bad-file cases.
fn indicator_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/site.yaml", "title: 测试\nyear: 2024\n");
    write(
        dir.path(),
        "content/areas.yaml",
        "- id: air\n  name: 蓝天\n",
    );
    write(dir.path(), "content/indicators/good.yaml", GOOD);
    dir
}

const GOOD: &str = "id: good\nname: 细颗粒物\narea: air\nunit: \"%\"\nkind: level\ntarget:\n  comparator: \"<=\"\n  value: 35.6\n  text: 35.6以下\nvalues:\n  - { period: 2024-Q1, value: 41.2 }\n  - { period: 2024-Q2, value: 34.9 }\n";

#[test]
fn each_bad_indicator_file_fails_with_its_own_message_and_line() {
    let qualitative = "id: bad\nname: 定性\narea: air\nkind: qualitative\ntarget: { text: 稳定 }\nvalues:\n  - { period: 2024-Q1, status: met, evidence: 有 }\n";
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "unknown area",
            GOOD.replace("id: good", "id: bad")
                .replace("area: air", "area: aire"),
            "bad.yaml:3:7",
            "E0404",
        ),
        ("duplicate id", GOOD.to_string(), "good.yaml:1:5", "E0405"),
        (
            "unknown kind",
            GOOD.replace("id: good", "id: bad")
                .replace("kind: level", "kind: levle"),
            "bad.yaml:5:7",
            "未知的指标类型",
        ),
        (
            "unknown comparator",
            GOOD.replace("id: good", "id: bad")
                .replace("\"<=\"", "\"=<\""),
            "bad.yaml:7:15",
            "未知的比较方式",
        ),
        (
            "not a number",
            GOOD.replace("id: good", "id: bad")
                .replace("41.2", "四十一"),
            "bad.yaml:11:31",
            "不是有效的数字",
        ),
        (
            "NaN",
            GOOD.replace("id: good", "id: bad").replace("41.2", ".nan"),
            "bad.yaml:11:31",
            "不是有效的数字",
        ),
        (
            "infinity",
            GOOD.replace("id: good", "id: bad").replace("34.9", "-.inf"),
            "bad.yaml:12:31",
            "不是有效的数字",
        ),
        (
            "percentage over 100",
            GOOD.replace("id: good", "id: bad").replace("41.2", "101"),
            "bad.yaml:11:31",
            "超出 0–100",
        ),
        (
            "negative count",
            GOOD.replace("id: good", "id: bad")
                .replace("unit: \"%\"", "unit: 个")
                .replace("kind: level", "kind: cumulative")
                .replace("\"<=\"", "\">=\"")
                .replace("41.2", "-3"),
            "bad.yaml:11:31",
            "不能为负数",
        ),
        (
            "period outside the year",
            GOOD.replace("id: good", "id: bad")
                .replace("2024-Q2", "2023-Q2"),
            "bad.yaml:12:15",
            "不在本站的报告年度",
        ),
        (
            "bad period",
            GOOD.replace("id: good", "id: bad")
                .replace("2024-Q2", "2024-Q5"),
            "bad.yaml:12:15",
            "E0403",
        ),
        (
            "same period twice",
            GOOD.replace("id: good", "id: bad")
                .replace("2024-Q2", "2024-Q1"),
            "bad.yaml:12:15",
            "出现了两次",
        ),
        (
            "qualitative without status",
            qualitative.replace("status: met, ", ""),
            "bad.yaml:7:15",
            "缺少定性指标的判定",
        ),
        (
            "qualitative without evidence",
            qualitative.replace(", evidence: 有", ""),
            "bad.yaml:7:15",
            "缺少定性指标的判定依据",
        ),
        (
            "YAML type error",
            GOOD.replace("id: good", "id: bad")
                .replace("values:\n", "values: 很多\nx:\n"),
            "bad.yaml:10:",
            "E020",
        ),
    ];
    for (name, text, at, expected) in cases {
        let site = indicator_site();
        write(site.path(), "content/indicators/bad.yaml", &text);
        let result = build(site.path(), &site.path().join("public"));
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("content/indicators/{at}")),
            "{name}: expected at {at}:\n{err}"
        );
        assert!(
            err.contains(expected),
            "{name}: expected {expected}:\n{err}"
        );
        assert!(
            !site.path().join("public").exists(),
            "{name}: nothing written"
        );
    }
}

#[test]
fn shortcodes_embed_charts_and_unknown_ids_are_errors() {
    let site = indicator_site();
    let root = site.path();
    write(root, "content/summaries/air/a.md", "---\ntitle: 进展\ndate: 2024-07-10\nindicators: [good]\n---\n正文\n\n{{ chart(id=\"good\") }}\n\n当前状态 {{ status(id=\"good\") }}。\n");
    let out = root.join("public");
    let result = build(root, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(&out.join("summaries/air/a/index.html"));
    assert!(page.contains("<figure class=chart-figure>"), "{page}");
    assert!(page.contains("<title id=chart-good-title>"));
    assert!(page.contains("status-met"), "the badge");
    assert!(!page.contains('\u{E000}'), "no marker left");
    assert!(
        read(&out.join("targets/good/index.html")).contains("相关工作进展"),
        "the indicator links back"
    );

    write(
        root,
        "content/summaries/air/b.md",
        "---\ntitle: 进展\ndate: 2024-07-10\n---\n第一行\n\n{{ chart(id=\"pm26\") }}\n",
    );
    let result = build(root, &out);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(
        err.contains("content/summaries/air/b.md:7:1") && err.contains("E0408"),
        "{err}"
    );
}

#[test]
fn indicators_need_the_reporting_year() {
    let site = indicator_site();
    write(site.path(), "content/site.yaml", "title: 测试\n");
    let result = build(site.path(), &site.path().join("public"));
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("year"));
}
