//! The work plan's tasks: every task of the plan is in the default content with an id and the
//! plan's own words, the ledger is published a row per task and quarter, and an editor's
//! mistakes about tasks are named where they stand.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{build, default_site, ecosite, repo, stderr};
use ecosite::site::{BuildOptions, Site};

fn default_model() -> Site {
    Site::load(&BuildOptions {
        root: repo(),
        drafts: false,
        base_url: None,
    })
    .unwrap()
}

/// The plan's text, as published (`tests/fixtures/work-plan-2024.txt`).
fn plan() -> String {
    fs::read_to_string(repo().join("tests/fixtures/work-plan-2024.txt")).unwrap()
}

#[test]
fn every_task_of_the_plan_is_there_in_its_own_words() {
    let site = default_model();
    let model = &site.model;
    let plan = plan();
    assert_eq!(model.tasks.len(), 120);
    let mut ids = BTreeSet::new();
    for t in &model.tasks {
        assert!(ids.insert(t.task.id.as_str()), "{} twice", t.task.id);
        assert!(
            t.task.id.starts_with(&format!("{}-", t.task.area)),
            "{}",
            t.task.id
        );
        assert!(
            plan.contains(&t.task.text),
            "{}: not the plan's words: {}",
            t.task.id,
            t.task.text
        );
    }
    // Nothing of the plan is left out: each sentence of its body is in a task or in a
    // chapter's introduction, but for the chapter and section headings themselves.
    let body = &plan[plan.find("一、总体要求").unwrap()..];
    let headings: Vec<&str> = model.areas.iter().map(|a| a.name.as_str()).collect();
    let kept: Vec<&str> = model
        .tasks
        .iter()
        .map(|t| t.task.text.as_str())
        .chain(model.areas.iter().filter_map(|a| a.intro.as_deref()))
        .collect();
    for sentence in body
        .lines()
        .flat_map(|l| l.split_inclusive(['。', '；', ';']))
        .map(|s| s.trim().trim_end_matches(['。', '；', ';']))
        .filter(|s| s.chars().count() >= 6)
    {
        let heading = headings.iter().any(|h| sentence.ends_with(h));
        assert!(
            heading || kept.iter().any(|k| k.contains(sentence)),
            "a sentence of the plan is in no task: {sentence}"
        );
    }
}

#[test]
fn tasks_csv_has_a_row_per_task_and_quarter() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let model = default_model().model;
    let quarters = model.ledger_quarters();
    assert!(quarters.len() >= 2, "{quarters:?}");
    let bytes = fs::read(out.join("data/tasks.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), model.tasks.len() * quarters.len());
    let mut keys = BTreeSet::new();
    let plan = plan();
    for row in &rows {
        let (id, period) = (&row[column("task_id")], &row[column("period")]);
        assert!(
            keys.insert((id.to_string(), period.to_string())),
            "{id} {period} twice"
        );
        assert!(plan.contains(&row[column("text")]), "{id}");
        assert!(!row[column("lead")].is_empty(), "{id} has a lead unit");
        let url = &row[column("source_url")];
        assert_eq!(
            url.is_empty(),
            &row[column("updated")] == "false",
            "{id} {period}: a source exactly when reported"
        );
    }
    for t in &model.tasks {
        for q in &quarters {
            assert!(
                keys.contains(&(t.task.id.clone(), q.to_string())),
                "{} {q}",
                t.task.id
            );
        }
    }
    let package = fs::read_to_string(out.join("data/datapackage.json")).unwrap();
    assert!(package.contains("\"tasks.csv\""), "in the data package");
    let catalogue = fs::read_to_string(out.join("data/index.html")).unwrap();
    assert!(catalogue.contains("重点任务落实台账"), "in the catalogue");
}

fn write(path: &std::path::Path, text: &str) {
    fs::write(path, text).unwrap();
}

#[test]
fn a_summary_naming_an_unknown_task_fails_with_its_file_and_line() {
    let site = default_site();
    let file = site
        .path()
        .join("content/summaries/air/2024-q2-blue-sky.md");
    let text = fs::read_to_string(&file).unwrap();
    write(&file, &text.replacen("task: air-06,", "task: air-60,", 1));
    let line = text
        .lines()
        .position(|l| l.contains("task: air-06,"))
        .unwrap()
        + 1;
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(!built.status.success());
    let err = stderr(&built);
    assert!(
        err.contains(&format!(
            "content/summaries/air/2024-q2-blue-sky.md:{line}:"
        )),
        "{err}"
    );
    assert!(err.contains("E0409") && err.contains("air-60"), "{err}");
    assert!(!out.exists(), "nothing published");
}

#[test]
fn a_task_done_and_then_not_done_is_a_warning() {
    let site = default_site();
    // air-08 was reported done in the second quarter.
    write(
        &site.path().join("content/summaries/air/2024-q3-blue-sky.md"),
        "---\ntitle: 第三季度蓝天保卫战工作进展\ndate: 2024-10-10\nquarter: 2024-Q3\ntasks:\n  - { task: air-08, status: in_progress, note: 再次修订 }\n---\n正文\n",
    );
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let err = stderr(&built);
    assert!(
        err.contains("W0410") && err.contains("2024-q3-blue-sky.md:6:"),
        "{err}"
    );
}

#[test]
fn check_warns_about_late_and_forgotten_tasks() {
    let site = default_site();
    let areas = site.path().join("content/areas.yaml");
    let text = fs::read_to_string(&areas).unwrap();
    // air-03 is in progress; make it due in the second quarter rather than the fourth.
    let at = text.find("    - id: air-03\n").unwrap();
    let due = at + text[at..].find("due: 2024-Q4").unwrap();
    let text = format!("{}due: 2024-Q2{}", &text[..due], &text[due + 12..]);
    write(&areas, &text);
    let line = |needle: &str| text.lines().position(|l| l == needle).unwrap() + 1;
    let result = ecosite(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "warnings only: {err}");
    assert!(
        err.contains(&format!("content/areas.yaml:{}:", line("    - id: air-03")))
            && err.contains("任务 air-03 应于2024年第二季度完成"),
        "{err}"
    );
    // The tasks of 服务高质量发展 were never reported.
    assert!(
        err.contains(&format!(
            "content/areas.yaml:{}:",
            line("    - id: green-development-01")
        )) && err.contains("“服务高质量发展”有 8 项任务已连续 2 个季度以上没有进展报告"),
        "{err}"
    );
    // A task reported last quarter is not forgotten yet.
    assert!(!err.contains("air-08"), "{err}");
}
