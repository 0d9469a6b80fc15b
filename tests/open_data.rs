//! Open data that reproduces the pages: every value a chart shows is in the CSVs, every file
//! says when its figures are sample data, the data package lists every file, and the catalogue
//! and the licence page say what the files are.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// A CSV's rows as maps from column name to cell.
fn csv_records(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = fs::read(path).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn built_default_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = default_site();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    (site, out)
}

/// Every file the site publishes under `data/`, but the catalogue page, by path under `data/`.
fn data_files(out: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(out.join("data"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out.join("data")).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|p| p != "index.html")
        .collect()
}

#[test]
fn every_value_a_chart_shows_is_in_the_csvs_earlier_years_included() {
    let (site, out) = built_default_site();
    let all = csv_records(&out.join("data/indicators.csv"));
    let mut checked = 0;
    for entry in fs::read_dir(site.path().join("content/indicators")).unwrap() {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let id = yaml["id"].as_str().unwrap();
        let own = csv_records(&out.join(format!("data/targets/{id}.csv")));
        let rows = |list: &serde_yaml::Value| -> Vec<(String, Option<f64>)> {
            list.as_sequence()
                .map(|s| {
                    s.iter()
                        .map(|r| {
                            let period = match &r["period"] {
                                serde_yaml::Value::String(s) => s.clone(),
                                other => serde_yaml::to_string(other).unwrap().trim().to_string(),
                            };
                            (period, r["value"].as_f64())
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        for (period, value) in rows(&yaml["history"])
            .into_iter()
            .chain(rows(&yaml["values"]))
        {
            for (file, table) in [("indicators.csv", &all), ("the indicator's csv", &own)] {
                let row = table
                    .iter()
                    .find(|r| r["indicator_id"] == id && r["period"] == period)
                    .unwrap_or_else(|| panic!("{id} {period} is not in {file}"));
                let cell = row["value"].parse::<f64>().ok();
                assert_eq!(cell, value, "{id} {period} in {file}");
            }
            checked += 1;
        }
        assert!(
            own.iter().all(|r| r["indicator_id"] == id),
            "{id}.csv holds only {id}"
        );
    }
    let history_rows = all.iter().filter(|r| r["period"].len() == 4).count();
    assert!(history_rows >= 5, "the 2019–2023 history is published");
    assert!(checked > history_rows);
    let pm25 = csv_records(&out.join("data/targets/pm25.csv"));
    let periods: Vec<&str> = pm25.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(
        &periods[..9],
        ["2019", "2020", "2021", "2022", "2023", "2023-Q1", "2023-Q2", "2023-Q3", "2024-Q1"],
        "earlier years, then the earlier quarters the year-on-year change compares with, in order"
    );
    assert_eq!(pm25[0]["status"], "", "an earlier year is not judged");
}

#[test]
fn every_dataset_is_in_the_package_and_marked_as_sample_data() {
    let (_site, out) = built_default_site();
    let files = data_files(&out);
    let package = json(&out.join("data/datapackage.json"));
    assert_eq!(package["sample_data"], true);
    let listed: BTreeSet<String> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    let published: BTreeSet<String> = files
        .iter()
        .filter(|p| *p != "datapackage.json")
        .cloned()
        .collect();
    assert_eq!(listed, published, "datapackage.json lists every dataset");
    for must in ["indicators.json", "facilities.json"] {
        assert!(listed.contains(must), "{must}");
    }
    for path in &files {
        let full = out.join("data").join(path);
        if path.ends_with(".csv") {
            let rows = csv_records(&full);
            assert!(!rows.is_empty(), "{path}");
            for row in rows {
                assert_eq!(
                    row.get("sample_data").map(String::as_str),
                    Some("true"),
                    "{path}"
                );
            }
        } else if path.ends_with(".geojson") {
            for feature in json(&full)["features"].as_array().unwrap() {
                assert_eq!(feature["properties"]["sample_data"], true, "{path}");
            }
        } else {
            assert_eq!(json(&full)["sample_data"], true, "{path}");
        }
    }
    // Each resource's schema names the marker column that its file has.
    for resource in package["resources"].as_array().unwrap() {
        if let Some(fields) = resource["schema"]["fields"].as_array() {
            assert_eq!(fields.last().unwrap()["name"], "sample_data");
        }
    }
}

#[test]
fn the_catalogue_counts_rows_and_fields_and_the_licence_is_named_in_words() {
    let (_site, out) = built_default_site();
    let catalogue = fs::read_to_string(out.join("data/index.html")).unwrap();
    for (file, fields) in [
        ("indicators.csv", 13),
        ("facilities.csv", 16),
        ("environment-day-2024-events.csv", 7),
    ] {
        let rows = csv_records(&out.join("data").join(file));
        assert_eq!(rows[0].len(), fields, "{file}");
        let says = format!("共 {} 行数据，每行 {fields} 个字段", rows.len());
        assert!(catalogue.contains(&says), "/data/ says “{says}” of {file}");
    }
    assert!(
        !catalogue.contains("字段说明（共"),
        "fields are not counted as rows"
    );
    let package = json(&out.join("data/datapackage.json"));
    let title = package["licenses"][0]["title"].as_str().unwrap();
    assert!(title.contains("知识共享"), "{title}");
    for page in ["licence/index.html", "data/index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains(title), "{page} names the licence: {title}");
    }
}

#[test]
fn official_data_carries_no_sample_marker() {
    let site = default_site();
    let config = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("sample_data: true", "sample_data: false"),
    )
    .unwrap();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let rows = csv_records(&out.join("data/indicators.csv"));
    assert!(!rows[0].contains_key("sample_data"));
    assert!(json(&out.join("data/datapackage.json"))
        .get("sample_data")
        .is_none());
}
