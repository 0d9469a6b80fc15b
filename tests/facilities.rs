//! Environment Day and the facilities open to the public, end to end: pages, thumbnails, open
//! data, and the bad files that must fail the build without touching the previous output.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn environment_day_page_has_theme_schedule_gallery_and_downloads() {
    let site = default_site();
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = read(&out.join("environment-day/2024/index.html"));
    assert!(page.contains("全面推进美丽中国建设"), "the national theme");
    assert!(
        page.contains("活动安排") && page.matches("<tr>").count() >= 7,
        "the schedule as a table"
    );
    assert!(page.contains("一等奖"), "the gallery");
    assert!(
        page.contains("(PDF") || page.contains("（PDF"),
        "download type and size"
    );
    assert!(read(&out.join("environment-day/index.html")).contains("/environment-day/2024/"));
    // Every gallery image is a lazy thumbnail with its size and alt text, smaller than the original.
    let mut thumbs = 0;
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for img in main.split("<img ").skip(1) {
        let tag = &img[..img.find('>').unwrap()];
        assert!(tag.contains("loading=lazy"), "{tag}");
        assert!(tag.contains("width=") && tag.contains("height="), "{tag}");
        assert!(tag.contains("alt="), "{tag}");
        let src = tag
            .split("src=")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .trim_matches('"');
        let thumb = src.trim_start_matches("/ecosite/");
        let original = thumb.replace(".thumb.jpg", ".jpg");
        let (t, o) = (
            fs::metadata(out.join(thumb)).unwrap().len(),
            fs::metadata(out.join(&original)).unwrap().len(),
        );
        assert!(
            t < o,
            "{thumb} ({t} bytes) is smaller than {original} ({o} bytes)"
        );
        thumbs += 1;
    }
    assert!(thumbs >= 6);
}

#[test]
fn facilities_have_pages_filters_and_open_data() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let list = read(&out.join("facilities/index.html"));
    for category in [
        "环境监测设施",
        "城市污水处理设施",
        "垃圾处理设施",
        "危险废物和电子废物处理设施",
    ] {
        assert!(list.contains(category), "{category}");
    }
    assert!(list.contains("facility-map-title"), "the location chart");
    let geo = json(&out.join("data/facilities.geojson"));
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    assert!(features.len() >= 4);
    let mut districts = std::collections::HashSet::new();
    for feature in features {
        let id = feature["id"].as_str().unwrap();
        let [lon, lat] = [0, 1].map(|i| feature["geometry"]["coordinates"][i].as_f64().unwrap());
        assert!(
            (117.3..=118.9).contains(&lon) && (30.5..=31.8).contains(&lat),
            "{id} inside Wuhu, lon/lat order"
        );
        assert_eq!(feature["geometry"]["type"], "Point");
        districts.insert(
            feature["properties"]["district"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        let page = read(&out.join(format!("facilities/{id}/index.html")));
        assert!(
            page.contains("href=tel:") || page.contains("href=\"tel:"),
            "{id}: phone as a tel: link"
        );
        assert!(
            page.contains("uri.amap.com") && page.contains("openstreetmap.org"),
            "{id}: map links"
        );
        assert!(list.contains(&format!("/facilities/{id}/")), "{id} listed");
    }
    assert!(districts.len() >= 5, "five districts: {districts:?}");
    // The category and district pages filter without JavaScript.
    let sewage = read(&out.join("facilities/category/sewage/index.html"));
    assert!(
        sewage.contains("城市污水处理设施") && !sewage.contains("危险废物和电子废物处理设施（")
    );
    assert!(out.join("facilities/district/jinghu/index.html").is_file());
    let csv = fs::read(out.join("data/facilities.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let rows = csv::Reader::from_reader(&csv[3..]).records().count();
    assert_eq!(rows, features.len(), "one CSV row per facility");
    assert_eq!(
        json(&out.join("data/facilities.json"))["facilities"]
            .as_array()
            .unwrap()
            .len(),
        features.len()
    );
    let package = json(&out.join("data/datapackage.json"));
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for name in [
        "facilities",
        "facilities-geojson",
        "environment-day-2024-events",
    ] {
        assert!(names.contains(&name), "{name} in datapackage.json");
    }
    let catalogue = read(&out.join("data/index.html"));
    assert!(
        catalogue.contains("facilities.geojson")
            && catalogue.contains("environment-day-2024-events.csv")
    );
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn bad_facility_and_environment_day_files_fail_and_keep_the_output() {
    let site = default_site();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let before = tree(&out);
    let good = "- id: test-plant\n  name: 测试厂\n  category: sewage\n  district: 镜湖区\n  address: 示例\n  location: { lat: 31.35, lon: 118.37 }\n  booking: { phone: 0553-0000009 }\n";
    let cases = [
        (
            "swapped coordinates",
            good.replace("lat: 31.35, lon: 118.37", "lat: 118.37, lon: 31.35"),
            "bad.yaml:6:",
            "写反",
        ),
        (
            "unknown category",
            good.replace("category: sewage", "category: water"),
            "bad.yaml:3:13",
            "未知的设施类别",
        ),
        (
            "unknown district",
            good.replace("district: 镜湖区", "district: 蜀山区"),
            "bad.yaml:4:13",
            "未知的区县",
        ),
        (
            "missing image",
            format!("{good}  image: images/none.jpg\n  image_alt: 无\n"),
            "bad.yaml:8:10",
            "找不到图片",
        ),
        (
            "not a phone",
            good.replace("0553-0000009", "见官网"),
            "bad.yaml:7:21",
            "不是电话号码",
        ),
        (
            "coordinate not a number",
            good.replace("lat: 31.35", "lat: 北纬31度"),
            "bad.yaml:6:",
            "不是数字",
        ),
        (
            "duplicate id",
            good.replace("test-plant", "zhujiaqiao-wwtp"),
            "zhujiaqiao-wwtp",
            "E0405",
        ),
    ];
    for (name, text, at, expected) in cases {
        write(site.path(), "content/facilities/bad.yaml", &text);
        let result = build(site.path(), &out);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(at) && err.contains(expected),
            "{name}: expected {at} and {expected}:\n{err}"
        );
        assert!(
            tree(&out) == before,
            "{name}: the previous output stays as it was"
        );
    }
    fs::remove_file(site.path().join("content/facilities/bad.yaml")).unwrap();

    let year = read(&site.path().join("content/environment-day/2024.yaml"));
    let broken = year.replacen("date: 2024-06-05", "date: 2024-06-31", 1);
    write(site.path(), "content/environment-day/2024.yaml", &broken);
    let result = build(site.path(), &out);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        stderr(&result).contains("content/environment-day/2024.yaml:")
            && stderr(&result).contains("E0402"),
        "{}",
        stderr(&result)
    );
    let no_alt = year.replacen("alt:", "alt_text:", 1);
    write(site.path(), "content/environment-day/2024.yaml", &no_alt);
    let result = build(site.path(), &out);
    assert_eq!(result.status.code(), Some(1));
    // The misspelt key is named with the right one, rather than the alt text reported missing.
    assert!(
        stderr(&result).contains("未知的字段“alt_text”")
            && stderr(&result).contains("是否想写 alt"),
        "{}",
        stderr(&result)
    );
    assert!(tree(&out) == before);
}
