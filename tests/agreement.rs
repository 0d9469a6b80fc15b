//! One story: every status shown on every page of the default site carries the target (or the
//! task), the period and the status code it stands for, and all of them agree with
//! `/data/indicators.csv` (or `/data/tasks.csv`), which agrees with the JSON and the per-target
//! CSV files.

mod common;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{build, default_site, stderr};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// The attributes of every start tag of a page.
#[derive(Default)]
struct Tags(RefCell<Vec<BTreeMap<String, String>>>);

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let TagToken(tag) = token {
            if tag.kind == StartTag {
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                self.0.borrow_mut().push(attrs);
            }
        }
        TokenSinkResult::Continue
    }
}

fn start_tags(html: &str) -> Vec<BTreeMap<String, String>> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Tags::default(), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// A status badge: its class names `status-<code>`.
fn badge_code(attrs: &BTreeMap<String, String>) -> Option<&str> {
    let classes = attrs.get("class")?;
    let mut words = classes.split_whitespace();
    if !words.clone().any(|c| c == "status") {
        return None;
    }
    words.find_map(|c| c.strip_prefix("status-"))
}

fn is_period(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && &bytes[4..6] == b"-Q"
        && (b'1'..=b'4').contains(&bytes[6])
}

/// `(indicator, period) → status` of a CSV file of the open data.
fn csv_statuses(file: &Path) -> BTreeMap<(String, String), String> {
    statuses_by(file, "indicator_id")
}

/// `(id, period) → status` of a CSV file of the open data, `id_column` naming the id.
fn statuses_by(file: &Path, id_column: &str) -> BTreeMap<(String, String), String> {
    let bytes = fs::read(file).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, period, status) = (column(id_column), column("period"), column("status"));
    reader
        .records()
        .map(Result::unwrap)
        // Earlier years' rows carry no status of this year's targets.
        .filter(|r| !r[status].is_empty() && is_period(&r[period]))
        .map(|r| {
            (
                (r[id].to_string(), r[period].to_string()),
                r[status].to_string(),
            )
        })
        .collect()
}

#[test]
fn every_status_on_every_page_agrees_with_the_open_data() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let data = csv_statuses(&out.join("data/indicators.csv"));
    // The other files of the open data say the same.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/indicators.json")).unwrap()).unwrap();
    let from_json: BTreeMap<(String, String), String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"].is_string() && r["period"].as_str().is_some_and(is_period))
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap().to_string();
            ((text("indicator_id"), text("period")), text("status"))
        })
        .collect();
    assert_eq!(from_json, data, "indicators.json");
    let mut from_files = BTreeMap::new();
    for entry in fs::read_dir(out.join("data/targets")).unwrap() {
        from_files.extend(csv_statuses(&entry.unwrap().path()));
    }
    assert_eq!(from_files, data, "data/targets/*.csv");
    assert!(data.len() >= 16 * 4, "every target, every quarter");
    let codes: BTreeSet<&str> = data.values().map(String::as_str).collect();
    assert!(codes.contains("not_due"), "Q4 is not due yet: {codes:?}");

    let mut shown: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut per_page: BTreeMap<String, usize> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .display()
            .to_string();
        let html = fs::read_to_string(entry.path()).unwrap();
        for attrs in start_tags(&html) {
            let Some(code) = badge_code(&attrs) else {
                continue;
            };
            let status = attrs.get("data-status");
            assert_eq!(status.map(String::as_str), Some(code), "{page}: {attrs:?}");
            if attrs.contains_key("data-task") {
                continue; // the tasks' own test
            }
            let (Some(indicator), Some(period)) =
                (attrs.get("data-indicator"), attrs.get("data-period"))
            else {
                // A count by status (a legend) stands for no one target.
                assert!(
                    !attrs.contains_key("data-indicator") && !attrs.contains_key("data-period"),
                    "{page}: {attrs:?}"
                );
                continue;
            };
            assert!(is_period(period), "{page}: {attrs:?}");
            let key = (indicator.clone(), period.clone());
            assert_eq!(
                data.get(&key).map(String::as_str),
                Some(code),
                "{page} shows {indicator} {period} as {code}, the open data says otherwise"
            );
            shown.entry(key).or_default().insert(page.clone());
            *per_page.entry(page.clone()).or_default() += 1;
        }
    }
    for key in data.keys() {
        assert!(shown.contains_key(key), "{key:?} is on no page");
    }
    let count = |page: &str| per_page.get(page).copied().unwrap_or(0);
    assert_eq!(
        count("targets/index.html"),
        data.len(),
        "every quarter of every target"
    );
    assert_eq!(count("targets/by-lead/index.html"), data.len());
    assert!(count("index.html") >= 16, "the home page's headline");
    assert!(count("reports/2024-q3/index.html") >= 16);
    assert!(
        count("targets/pm25/index.html") >= 5,
        "latest status and data table"
    );
}

/// Every badge of a task on every page, as `(task, period) → status` with the pages showing it;
/// the counts by status (no task, no period) are left out.
fn task_badges(out: &Path) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let mut shown: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .display()
            .to_string();
        let html = fs::read_to_string(entry.path()).unwrap();
        for attrs in start_tags(&html) {
            let (Some(code), Some(task)) = (badge_code(&attrs), attrs.get("data-task")) else {
                continue;
            };
            let period = attrs
                .get("data-period")
                .expect("a task's badge names its period");
            assert!(is_period(period), "{page}: {attrs:?}");
            assert_eq!(attrs.get("data-status").map(String::as_str), Some(code));
            let statuses = shown.entry((task.clone(), period.clone())).or_default();
            let earlier = statuses.insert(page.clone(), code.to_string());
            assert!(
                earlier.as_deref().is_none_or(|e| e == code),
                "{page} shows {task} {period} both as {code} and as {earlier:?}"
            );
        }
    }
    shown
}

#[test]
fn every_task_status_on_every_page_agrees_with_the_open_data() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let data = statuses_by(&out.join("data/tasks.csv"), "task_id");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("data/tasks.json")).unwrap()).unwrap();
    let from_json: BTreeMap<(String, String), String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap().to_string();
            ((text("task_id"), text("period")), text("status"))
        })
        .collect();
    assert_eq!(from_json, data, "tasks.json");
    let codes: BTreeSet<&str> = data.values().map(String::as_str).collect();
    for code in ["done", "in_progress", "not_started", "unreported"] {
        assert!(codes.contains(code), "{code} in {codes:?}");
    }

    let shown = task_badges(&out);
    let mut per_page: BTreeMap<String, usize> = BTreeMap::new();
    for ((task, period), pages) in &shown {
        for (page, code) in pages {
            assert_eq!(
                data.get(&(task.clone(), period.clone()))
                    .map(String::as_str),
                Some(code.as_str()),
                "{page} shows {task} {period} as {code}, tasks.csv says otherwise"
            );
            *per_page.entry(page.clone()).or_default() += 1;
        }
    }
    // Every task and quarter is on its task's page; the latest quarter on the ledger, the area
    // page and the report; what a summary says on the summary.
    for (task, period) in data.keys() {
        let pages = shown.get(&(task.clone(), period.clone()));
        let on = |page: &str| pages.is_some_and(|p| p.contains_key(page));
        assert!(on(&format!("tasks/{task}/index.html")), "{task} {period}");
    }
    let tasks: BTreeSet<&str> = data.keys().map(|(t, _)| t.as_str()).collect();
    let count = |page: &str| per_page.get(page).copied().unwrap_or(0);
    assert_eq!(
        count("tasks/index.html"),
        tasks.len(),
        "the ledger lists every task"
    );
    let latest = data.keys().map(|(_, p)| p.clone()).max().unwrap();
    assert_eq!(
        count(&format!("reports/{}/index.html", latest.to_lowercase())),
        tasks.len(),
        "the quarterly report's task table"
    );
    assert_eq!(
        count("summaries/air/index.html"),
        10,
        "the area page's tasks"
    );
    assert!(count("summaries/air/2024-q2-blue-sky/index.html") >= 4);
    // The home page counts tasks by status; its counts are the ledger's.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let done = data
        .iter()
        .filter(|((_, p), s)| *p == latest && *s == "done")
        .count();
    assert!(home.contains("重点任务"), "the home page shows the tasks");
    assert!(
        home.contains(&format!("<strong>{done}</strong>")),
        "the home page's count of done tasks ({done})"
    );
}
