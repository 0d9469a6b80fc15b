//! `ecosite snapshot` and `verify`: the archive's files and manifest, tamper detection, refusal
//! to overwrite or to archive an empty quarter, reproducibility, and publication under /archive/.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

fn snapshot(root: &Path, period: &str, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "snapshot",
            "--period",
            period,
            "--root",
            root.to_str().unwrap(),
        ])
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1719792000")
        .output()
        .unwrap()
}

fn verify(dir: &Path) -> std::process::Output {
    ecosite(&["verify", dir.to_str().unwrap()])
}

#[test]
fn snapshot_writes_a_verifiable_self_contained_archive() {
    let site = default_site();
    let result = snapshot(site.path(), "2024-Q2", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let dir = site.path().join("archive/2024-Q2");
    for file in [
        "report.html",
        "snapshot.json",
        "SHA256SUMS",
        "data/indicators.csv",
        "data/facilities.geojson",
        "data/datapackage.json",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let info: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("snapshot.json")).unwrap()).unwrap();
    assert_eq!(info["period"], "2024-Q2");
    assert_eq!(
        info["created"], "2024-07-01T00:00:00Z",
        "from SOURCE_DATE_EPOCH"
    );
    assert!(info["content_digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(info["ecosite_version"].is_string());

    let report = read(&dir.join("report.html"));
    assert!(
        report.contains("2024年7月1日 08:00") && !report.contains("00:00:00Z"),
        "the archive's time in Beijing time, written as the pages write dates"
    );
    assert!(!report.contains("<script"), "no script");
    for reference in ["src=http", "src=\"http", "href=http://", "<link"] {
        assert!(
            !report.contains(reference),
            "no outside resource ({reference})"
        );
    }
    assert!(
        report.contains("@page") && report.contains("<svg"),
        "print CSS and inline charts"
    );
    assert!(
        report.contains("细颗粒物(PM2.5)平均浓度") && report.contains("第二季度蓝天保卫战工作进展")
    );
    assert!(report.contains("data:image/jpeg;base64,"), "images inline");
    // As the site stood at the end of Q2: PM2.5's third-quarter value (33.8) is not in it.
    assert!(
        read(&site.path().join("content/indicators/pm25.yaml")).contains("2024-Q3, value: 33.8")
    );
    assert!(
        !report.contains("33.8 微克/立方米"),
        "nothing after the period"
    );

    if Command::new("sha256sum").arg("--version").output().is_ok() {
        let check = Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    let ok = verify(&dir);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
}

#[test]
fn verify_names_changed_missing_and_extra_files() {
    let site = default_site();
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let dir = site.path().join("archive/2024-Q2");
    let original = fs::read(dir.join("data/indicators.csv")).unwrap();
    let mut changed = original.clone();
    let last = changed.len() - 3;
    changed[last] ^= 1;
    fs::write(dir.join("data/indicators.csv"), &changed).unwrap();
    let result = verify(&dir);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stdout).contains("data/indicators.csv"));
    fs::write(dir.join("data/indicators.csv"), &original).unwrap();
    assert!(verify(&dir).status.success(), "restored");

    fs::remove_file(dir.join("snapshot.json")).unwrap();
    let result = verify(&dir);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stdout).contains("缺失 (missing): snapshot.json"));

    let site = default_site();
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let dir = site.path().join("archive/2024-Q2");
    fs::write(dir.join("data/extra.csv"), "x").unwrap();
    let result = verify(&dir);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stdout).contains("多出 (extra): data/extra.csv"));
}

#[test]
fn verify_refuses_paths_that_leave_the_archive_and_names_added_folders() {
    let site = default_site();
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let dir = site.path().join("archive/2024-Q2");
    let manifest = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    // Files outside the archive that exist, so that only the path can be refused.
    fs::write(site.path().join("outside.txt"), "x").unwrap();
    let digest = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    for path in [
        "../../outside.txt",
        "/etc/hostname",
        "data/../../../outside.txt",
    ] {
        fs::write(
            dir.join("SHA256SUMS"),
            format!("{manifest}{digest}  {path}\n"),
        )
        .unwrap();
        let result = verify(&dir);
        assert_eq!(result.status.code(), Some(1), "{path}");
        let said = stderr(&result) + &String::from_utf8_lossy(&result.stdout);
        assert!(
            said.contains("存档之外") && said.contains(path),
            "{path}: {said}"
        );
    }
    fs::write(dir.join("SHA256SUMS"), &manifest).unwrap();
    assert!(verify(&dir).status.success(), "restored");
    fs::create_dir_all(dir.join("data/empty")).unwrap();
    let result = verify(&dir);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&result.stdout).contains("多出 (extra): data/empty/"),
        "{}",
        String::from_utf8_lossy(&result.stdout)
    );
}

#[test]
fn existing_archives_and_empty_periods_are_refused() {
    let site = default_site();
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let dir = site.path().join("archive/2024-Q2");
    let before = tree(&dir);
    let again = snapshot(site.path(), "2024-Q2", &[]);
    assert_eq!(again.status.code(), Some(2), "a refused output folder");
    assert!(stderr(&again).contains("已经存在"), "{}", stderr(&again));
    assert!(tree(&dir) == before, "the archive is left as it was");
    let empty = snapshot(site.path(), "2023-Q1", &[]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        stderr(&empty).contains("没有任何工作进展或指标数据"),
        "{}",
        stderr(&empty)
    );
    assert!(!site.path().join("archive/2023-Q1").exists());
    assert_eq!(
        snapshot(site.path(), "2024-Q5", &[]).status.code(),
        Some(2),
        "a usage error"
    );
    let names: Vec<String> = fs::read_dir(site.path().join("archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["2024-Q2"], "no temporary folder left behind");
}

#[test]
fn same_content_and_epoch_give_identical_archives() {
    let (a, b) = (default_site(), default_site());
    assert!(snapshot(a.path(), "2024-Q1", &[]).status.success());
    assert!(snapshot(b.path(), "2024-Q1", &[]).status.success());
    assert!(tree(&a.path().join("archive/2024-Q1")) == tree(&b.path().join("archive/2024-Q1")));
}

#[test]
fn build_publishes_the_archive_unchanged_with_an_index() {
    let site = default_site();
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let out = site.path().join("public");
    let result = build(site.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let archived = tree(&site.path().join("archive/2024-Q2"));
    let published = tree(&out.join("archive/2024-Q2"));
    assert!(archived == published, "published byte for byte");
    let index = read(&out.join("archive/index.html"));
    assert!(index.contains("2024年第二季度") && index.contains("2024年7月1日"));
    assert!(index.contains("/archive/2024-Q2/report.html"));
    assert!(read(&out.join("reports/index.html")).contains("往期报告"));
}

#[test]
fn a_whole_year_is_archived_with_its_annual_report() {
    let site = default_site();
    let result = snapshot(site.path(), "2024", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let dir = site.path().join("archive/2024");
    let checked = verify(&dir);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let info: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("snapshot.json")).unwrap()).unwrap();
    assert_eq!(
        (&info["period"], &info["kind"]),
        (&"2024".into(), &"year".into())
    );
    let report = read(&dir.join("report.html"));
    assert!(report.contains("2024年度工作报告"), "the annual report");
    assert!(
        report.contains("截至2024年第三季度"),
        "where the year stood"
    );
    // Every summary of the year, both quarters of each area, the first quarter first.
    let q1 = report
        .find("第一季度蓝天保卫战工作进展")
        .expect("Q1 summary");
    let q2 = report
        .find("第二季度蓝天保卫战工作进展")
        .expect("Q2 summary");
    assert!(q1 < q2, "in the order they were written");
    // Every task's final status.
    assert!(report.contains("重点任务落实情况"));
    assert_eq!(report.matches("data-task=").count(), 120, "every task");
    // Published beside the quarters, the year first.
    assert!(snapshot(site.path(), "2024-Q2", &[]).status.success());
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let index = read(&out.join("archive/index.html"));
    let (year, quarter) = (
        index.find("2024年度").unwrap(),
        index.find("2024年第二季度").unwrap(),
    );
    assert!(
        year < quarter,
        "the annual report before the year's quarters"
    );
    assert!(index.contains("/archive/2024/report.html"));
}

#[test]
fn the_home_page_links_last_years_annual_report() {
    let site = default_site();
    // A site of 2024 with the archive of 2023, as a year rollover leaves it.
    let dir = site.path().join("archive/2023");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("report.html"),
        "<!DOCTYPE html><title>2023</title>",
    )
    .unwrap();
    fs::write(
        dir.join("snapshot.json"),
        r#"{"period": "2023", "kind": "year", "created": "2024-01-05T00:00:00Z"}"#,
    )
    .unwrap();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let home = read(&out.join("index.html"));
    assert!(
        home.contains("/archive/2023/report.html") && home.contains("2023年度报告"),
        "{home}"
    );
}

#[test]
fn a_hanging_chromium_is_stopped_in_time_and_leaves_nothing_behind() {
    let site = default_site();
    let fake = site.path().join("fake-chromium.sh");
    fs::write(&fake, "#!/bin/sh\nsleep 30\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let result = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args([
            "snapshot",
            "--period",
            "2024-Q2",
            "--pdf",
            "--pdf-timeout",
            "2",
            "--root",
        ])
        .arg(site.path())
        .env("CHROMIUM_PATH", &fake)
        .output()
        .unwrap();
    assert!(!result.status.success());
    let err = stderr(&result);
    assert!(err.contains("超时") && err.contains("2 秒"), "{err}");
    let archive = site.path().join("archive");
    let left: Vec<String> = fs::read_dir(&archive)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing left in archive/: {left:?}");
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium); .ci/run runs it with --ignored"]
fn the_same_content_and_epoch_give_the_same_pdf() {
    let (a, b) = (default_site(), default_site());
    for site in [&a, &b] {
        let result = snapshot(site.path(), "2024-Q1", &["--pdf"]);
        assert!(result.status.success(), "{}", stderr(&result));
        // Chromium's clock moves on between the two.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let sums = |s: &tempfile::TempDir| read(&s.path().join("archive/2024-Q1/SHA256SUMS"));
    assert!(sums(&a).contains("  report.pdf"));
    assert_eq!(sums(&a), sums(&b), "identical SHA256SUMS, the PDF included");
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium); .ci/run runs it with --ignored"]
fn pdf_is_printed_from_inside_the_site_root() {
    let site = default_site();
    let result = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args(["snapshot", "--period", "2024-Q2", "--pdf", "--root", "."])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1719792000")
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let checked = Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args(["verify", "archive/2024-Q2"])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(fs::read(site.path().join("archive/2024-Q2/report.pdf"))
        .unwrap()
        .starts_with(b"%PDF"));
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium); .ci/run runs it with --ignored"]
fn pdf_is_printed_when_chromium_is_there() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .any(|p| Path::new(p).exists());
    assert!(
        chromium,
        "this test needs Chromium: apt-get install chromium"
    );
    let site = default_site();
    let result = snapshot(site.path(), "2024-Q2", &["--pdf"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let dir = site.path().join("archive/2024-Q2");
    assert!(fs::read(dir.join("report.pdf"))
        .unwrap()
        .starts_with(b"%PDF"));
    assert!(read(&dir.join("SHA256SUMS")).contains("  report.pdf"));
    assert!(verify(&dir).status.success());
    let pdf = fs::read(dir.join("report.pdf")).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Outlines"), "the PDF has bookmarks");

    // PDF/A-2b: the claim in the XMP metadata, the sRGB output intent, and every font a real
    // embedded font (no Type 3 glyph procedures).
    assert!(
        has(b"pdfaid:part='2'") && has(b"pdfaid:conformance='B'"),
        "claims PDF/A-2B"
    );
    assert!(
        has("<rdf:li xml:lang='x-default'>2024年第二季度工作报告".as_bytes()),
        "the title in the XMP"
    );
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let intents = doc
        .dereference(catalog.get(b"OutputIntents").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap();
    let intent = doc.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert!(intent.get(b"DestOutputProfile").is_ok());
    let mut fonts = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font") {
            let subtype = dict.get(b"Subtype").unwrap().as_name().unwrap();
            assert_ne!(subtype, b"Type3", "a Type 3 font: {dict:?}");
            fonts += 1;
        }
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            assert!(
                ["FontFile", "FontFile2", "FontFile3"]
                    .iter()
                    .any(|k| dict.has(k.as_bytes())),
                "a font not embedded: {dict:?}"
            );
        }
    }
    assert!(fonts > 0);

    // The table of contents names each part's page, and the part is there in the PDF's text.
    let html = read(&dir.join("report.html"));
    let entries: Vec<(String, u32)> = html
        .split("<li><a href=#")
        .skip(1)
        .map(|entry| {
            let title = entry.split('>').nth(1).unwrap().split('<').next().unwrap();
            let page = entry
                .split("class=toc-page>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            (
                title.to_string(),
                page.parse()
                    .unwrap_or_else(|_| panic!("no page for {title}")),
            )
        })
        .collect();
    assert!(entries.len() >= 6, "{entries:?}");
    let text = |page: u32| {
        let out = Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(dir.join("report.pdf"))
            .arg("-")
            .output()
            .expect("this test reads the PDF with pdftotext: apt-get install poppler-utils");
        // One line per line of the page, spaces (the dotted leaders among them) removed.
        String::from_utf8_lossy(&out.stdout).replace(' ', "")
    };
    assert!(text(2).contains("目录"), "{}", text(2));
    for (title, page) in &entries {
        assert!(
            text(2).lines().any(|l| l == format!("{title}{page}")),
            "{title} {page}: {}",
            text(2)
        );
        assert!(
            text(*page).contains(title.as_str()),
            "{title} is on page {page}: {}",
            text(*page)
        );
    }
}
