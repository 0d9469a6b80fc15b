//! The quarterly collection form: `sheet` writes it, a department fills it in (here: another
//! writer of `.xlsx`, as an office program saves it), `import` puts the figures into the content
//! files in place — only the lines of the entries change — and a bad form changes nothing and
//! names every bad cell.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use common::{build, default_site, ecosite, read, stderr, tree};

/// A value typed into a cell.
enum Typed {
    Number(f64),
    Text(&'static str),
}

/// What a resaved cell holds, and in which column.
enum Saved {
    Number(u16, f64),
    Text(u16, String),
    Nothing,
}

/// The form at `from` as an office program saves it again, at `to`: every cell read and written
/// by another `.xlsx` writer, without the form's protection or drop-downs. `change(sheet, row
/// id, row, column, cell)` says what becomes of each cell (its text, in its column, unless it
/// says otherwise).
fn resave(from: &Path, to: &Path, change: impl Fn(&str, &str, u32, u16, &Data) -> Saved) {
    let mut source = open_workbook_auto(from).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name).unwrap();
        let sheet = book.add_worksheet();
        sheet.set_name(&name).unwrap();
        let (top, left) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            let r = top + r as u32;
            let id = row.first().map(|d| d.to_string()).unwrap_or_default();
            for (c, cell) in row.iter().enumerate() {
                match change(&name, &id, r, (left + c as u32) as u16, cell) {
                    Saved::Number(c, n) => drop(sheet.write_number(r, c, n).unwrap()),
                    Saved::Text(c, t) => drop(sheet.write_string(r, c, t).unwrap()),
                    Saved::Nothing => {}
                }
            }
        }
    }
    book.save(to).unwrap();
}

/// A cell as it was.
fn kept(col: u16, cell: &Data) -> Saved {
    match cell {
        Data::String(s) => Saved::Text(col, s.clone()),
        Data::Float(f) => Saved::Number(col, *f),
        Data::Int(i) => Saved::Number(col, *i as f64),
        _ => Saved::Nothing,
    }
}

/// The form after a department typed `edits` (sheet, row id, 0-based column, value) into it.
fn fill(from: &Path, to: &Path, edits: &[(&str, &str, u16, Typed)]) {
    resave(from, to, |sheet, id, _, col, cell| {
        let typed = edits
            .iter()
            .find(|(s, i, c, _)| *s == sheet && *i == id && *c == col);
        match typed {
            Some((.., Typed::Number(n))) => Saved::Number(col, *n),
            Some((.., Typed::Text(t))) => Saved::Text(col, t.to_string()),
            None => kept(col, cell),
        }
    });
}

/// The 1-based row of `id` in a sheet of the form.
fn row_of(form: &Path, sheet: &str, id: &str) -> usize {
    let mut book = open_workbook_auto(form).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let top = range.start().unwrap().0 as usize;
    top + range
        .rows()
        .position(|r| r.first().is_some_and(|d| *d == id))
        .unwrap_or_else(|| panic!("{id} not in {sheet}"))
        + 1
}

fn sheet(root: &Path, period: &str) -> std::path::PathBuf {
    let form = root.join("form.xlsx");
    let out = ecosite(&[
        "sheet",
        "--root",
        root.to_str().unwrap(),
        "--period",
        period,
        "--out",
        form.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    form
}

fn import(root: &Path, form: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        form.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--date",
        "2024-10-25",
    ];
    args.extend_from_slice(extra);
    ecosite(&args)
}

fn content(root: &Path) -> Vec<(String, Vec<u8>)> {
    tree(&root.join("content"))
}

// Columns of the targets sheet (H 数值, I 数据标注, J 说明, K 判定依据) and of the tasks sheet
// (F 状态, G 进展说明).
const VALUE: u16 = 7;
const FLAG: u16 = 8;
const NOTE: u16 = 9;
const EVIDENCE: u16 = 10;
const STATUS: u16 = 5;
const TASK_NOTE: u16 = 6;

#[test]
fn a_filled_form_goes_into_the_content_in_place_and_onto_the_pages() {
    let site = default_site();
    let root = site.path();
    let form = sheet(root, "2024-Q3");
    let filled = root.join("filled.xlsx");
    fill(
        &form,
        &filled,
        &[
            ("指标", "pm25", VALUE, Typed::Number(33.1)),
            ("指标", "pm25", FLAG, Typed::Text("修订")),
            ("指标", "pm25", NOTE, Typed::Text("复核后更正")),
            // Typed as text, as a cell formatted as text keeps it.
            ("指标", "good-air-days", VALUE, Typed::Text("84.7")),
            ("指标", "co2-intensity", VALUE, Typed::Text("进度正常")),
            (
                "指标",
                "co2-intensity",
                EVIDENCE,
                Typed::Text("前三季度碳排放强度同比下降"),
            ),
            ("任务", "air-03", STATUS, Typed::Text("已完成")),
            (
                "任务",
                "air-03",
                TASK_NOTE,
                Typed::Text("两家钢铁企业全部完成评估监测"),
            ),
        ],
    );
    let before = content(root);
    let out = import(root, &filled, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "pm25 细颗粒物(PM2.5)平均浓度：33.8 微克/立方米（初步数据） → 33.1 微克/立方米（修订）"
        ),
        "{said}"
    );
    assert!(said.contains("air-03"), "{said}");

    // Every content file is as it was but for the lines of the quarter's entries.
    let after = content(root);
    let changed_entry = |path: &str| match path {
        "indicators/pm25.yaml"
        | "indicators/good-air-days.yaml"
        | "indicators/co2-intensity.yaml" => Some("period: 2024-Q3"),
        _ => None,
    };
    for (path, old) in &before {
        let new = &after.iter().find(|(p, _)| p == path).unwrap().1;
        let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
        let old_lines: Vec<&str> = old.lines().collect();
        let new_lines: Vec<&str> = new.lines().collect();
        assert_eq!(old_lines.len(), new_lines.len(), "{path}");
        for (a, b) in old_lines.iter().zip(&new_lines) {
            if a != b {
                let entry =
                    changed_entry(path).unwrap_or_else(|| panic!("{path} changed: {a} → {b}"));
                assert!(a.contains(entry) && b.contains(entry), "{path}: {a} → {b}");
            }
        }
        assert_eq!(old.ends_with('\n'), new.ends_with('\n'), "{path}");
    }
    let pm25 = read(&root.join("content/indicators/pm25.yaml"));
    assert!(
        pm25.contains("  - { period: 2024-Q3, value: 33.1, flag: revised, date: 2024-10-25, note: 复核后更正 }\n"),
        "{pm25}"
    );
    let made: Vec<_> = after
        .iter()
        .filter(|(p, _)| !before.iter().any(|(q, _)| q == p))
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(
        made,
        ["summaries/air/2024-q3-tasks.md"],
        "the air tasks of Q3 get a summary of their own"
    );

    // The pages and the open data show the filled values.
    let public = root.join("public");
    let out = build(root, &public);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = read(&public.join("data/indicators.csv"));
    assert!(
        csv.lines().any(|l| l.starts_with("pm25,")
            && l.contains(",2024-Q3,33.1,")
            && l.contains(",revised,")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("good-air-days,") && l.contains(",2024-Q3,84.7,")),
        "{csv}"
    );
    assert!(read(&public.join("targets/pm25/index.html")).contains("33.1"));
    let tasks = read(&public.join("data/tasks.csv"));
    assert!(
        tasks
            .lines()
            .any(|l| l.starts_with("air-03,") && l.contains(",2024-Q3,done,")),
        "{tasks}"
    );

    // The same form again changes nothing.
    let once = content(root);
    let again = import(root, &filled, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("没有需要导入的改动"));
    assert_eq!(content(root), once);
}

#[test]
fn a_new_quarter_is_added_after_the_last_one() {
    let site = default_site();
    let root = site.path();
    let form = sheet(root, "2024-Q4");
    let filled = root.join("filled.xlsx");
    fill(
        &form,
        &filled,
        &[("指标", "pm25", VALUE, Typed::Number(32.9))],
    );
    let out = import(root, &filled, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pm25 = read(&root.join("content/indicators/pm25.yaml"));
    assert!(
        pm25.contains(
            "date: 2024-10-18 }\n  - { period: 2024-Q4, value: 32.9, date: 2024-10-25 }\nhistory:"
        ),
        "{pm25}"
    );
}

#[test]
fn every_bad_cell_is_named_and_nothing_changes() {
    let site = default_site();
    let root = site.path();
    let form = sheet(root, "2024-Q3");
    let bad = root.join("bad.xlsx");
    fill(
        &form,
        &bad,
        &[
            ("指标", "pm25", VALUE, Typed::Text("三十三")),
            ("指标", "good-air-days", VALUE, Typed::Number(120.0)),
            ("指标", "surface-water-good", FLAG, Typed::Text("初步")),
            ("指标", "nox-reduction", 0, Typed::Text("nox-reductoin")),
            // A figure typed into the locked column 上季度 instead of 数值.
            ("指标", "rural-sewage-rate", 5, Typed::Text("88")),
        ],
    );
    let before = content(root);
    let out = import(root, &bad, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let cell = |id: &str, col: &str| format!("bad.xlsx:指标!{col}{}", row_of(&form, "指标", id));
    for (id, col, says) in [
        ("pm25", "H", "“三十三”不是有效的数字"),
        ("good-air-days", "H", "百分比 120 超出 0–100"),
        ("surface-water-good", "I", "未知的数据标注“初步”"),
        ("nox-reduction", "A", "未知的指标编号“nox-reductoin”"),
        ("rural-sewage-rate", "F", "参考列“上季度”被改动"),
    ] {
        let at = cell(id, col);
        let i = err
            .find(says)
            .unwrap_or_else(|| panic!("{says} not in {err}"));
        let next = err[i..]
            .find("位置: ")
            .map(|j| &err[i + j + 8..])
            .unwrap_or("");
        assert!(next.starts_with(&at), "{says} should be at {at}: {err}");
    }
    assert!(err.contains("是否应为 nox-reduction"), "{err}");
    assert_eq!(content(root), before);

    // A form of another quarter than the editor meant, and of another year.
    let out = import(root, &form, &["--period", "2024-Q2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("form.xlsx:指标!B1"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("这是 2024-Q3 的报送表，不是要导入的 2024-Q2"));
    let old = root.join("old.xlsx");
    fill(&form, &old, &[]);
    let text = rewrite_period(&old, "2023-Q3");
    let out = import(root, &text, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("本站的报告年度是 2024 年"),
        "{}",
        stderr(&out)
    );
    assert_eq!(content(root), before);
}

/// The form with B1 of every data sheet saying `period`.
fn rewrite_period(form: &Path, period: &str) -> std::path::PathBuf {
    let to = form.with_file_name(format!("form-{period}.xlsx"));
    resave(form, &to, |sheet, _, row, col, cell| {
        if row == 0 && col == 1 && sheet != "填写说明" {
            Saved::Text(col, period.to_string())
        } else {
            kept(col, cell)
        }
    });
    to
}

#[test]
fn a_form_whose_columns_moved_is_refused() {
    let site = default_site();
    let root = site.path();
    let form = sheet(root, "2024-Q3");
    // A department deleted the column 上年同期: every column after it moved one to the left.
    let moved = root.join("moved.xlsx");
    resave(&form, &moved, |sheet, _, _, col, cell| match (sheet, col) {
        ("指标", 6) => Saved::Nothing,
        ("指标", c) if c > 6 => kept(c - 1, cell),
        _ => kept(col, cell),
    });
    let before = content(root);
    let out = import(root, &moved, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("moved.xlsx:指标!G2"), "{err}");
    assert!(
        err.contains("这一列的标题应为“上年同期”，这里是“数值”"),
        "{err}"
    );
    assert_eq!(content(root), before);
}

#[test]
fn a_csv_with_the_same_columns_is_read_too() {
    let site = default_site();
    let root = site.path();
    let csv = root.join("指标.csv");
    let mut text = String::from("报告期,2024-Q3\n编号,指标,单位,年度目标,牵头单位,上季度,上年同期,数值,数据标注,说明,判定依据\n");
    let form = sheet(root, "2024-Q3");
    let mut book = open_workbook_auto(&form).unwrap();
    let range = book.worksheet_range("指标").unwrap();
    for row in range.rows().skip(2) {
        let mut cells: Vec<String> = row.iter().map(|d| d.to_string()).collect();
        if cells[0] == "pm25" {
            cells[VALUE as usize] = "34".into();
        }
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    fs::write(&csv, text).unwrap();
    let out = import(root, &csv, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&root.join("content/indicators/pm25.yaml"))
        .contains("{ period: 2024-Q3, value: 34, flag: provisional, date: 2024-10-25 }"));
}

fn soffice() -> Command {
    let mut command = Command::new("soffice");
    command.args(["--headless", "--norestore"]);
    command
}

#[test]
#[ignore = "needs LibreOffice (libreoffice-calc)"]
fn libreoffice_opens_the_form_and_its_ods_is_read_back() {
    let site = default_site();
    let root = site.path();
    let form = sheet(root, "2024-Q3");
    let profile = tempfile::tempdir().unwrap();
    let user = format!("-env:UserInstallation=file://{}", profile.path().display());
    let convert = |file: &Path, to: &str| {
        let out = soffice()
            .arg(&user)
            .args(["--convert-to", to, "--outdir"])
            .arg(root)
            .arg(file)
            .output()
            .expect("LibreOffice (soffice) must be installed: apt-get install libreoffice-calc");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // The targets sheet (the second) as UTF-8 CSV: it opens, and its columns are the form's.
    convert(
        &form,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
    );
    let csv = read(&root.join("form-指标.csv"));
    assert!(csv.starts_with("报告期,2024-Q3"), "{csv}");
    assert!(
        csv.contains(
            "\n编号,指标,单位,年度目标,牵头单位,上季度,上年同期,数值,数据标注,说明,判定依据"
        ),
        "{csv}"
    );
    assert!(csv.contains("\npm25,"), "{csv}");

    // Saved by LibreOffice as .ods: an unchanged form changes nothing.
    convert(&form, "ods");
    let before = content(root);
    let out = import(root, &root.join("form.ods"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("没有需要导入的改动"));

    // A percentage of 120, saved as .ods: named at its cell, nothing changes.
    let bad = root.join("bad.xlsx");
    fill(
        &form,
        &bad,
        &[("指标", "good-air-days", VALUE, Typed::Number(120.0))],
    );
    convert(&bad, "ods");
    let out = import(root, &root.join("bad.ods"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let at = format!("bad.ods:指标!H{}", row_of(&form, "指标", "good-air-days"));
    assert!(stderr(&out).contains(&at), "{}", stderr(&out));
    assert_eq!(content(root), before);
}
