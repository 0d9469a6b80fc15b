//! Open data: every table of the site (indicators, facilities, Environment Day events) as CSV
//! (UTF-8 with a BOM, so that Excel reads Chinese; RFC 4180 with CRLF) and JSON, the facilities
//! also as GeoJSON, the Frictionless Data Package that describes them all, and the catalogue that
//! the `/data/` page and its schema.org JSON-LD show. Each table's columns are defined once here
//! and used for its files, its schema and the page. The indicator tables hold every value the
//! charts show, earlier years included; while `site.yaml` says `sample_data: true`, every row of
//! every table says so too, so that no copy of a file can pass for official figures.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use crate::model::environment_day::EnvironmentDay;
use crate::model::facility::Facility;
use crate::model::indicator::Indicator;
use crate::model::route::Route;
use crate::model::Model;
use crate::text::{format_number, format_size};

/// Excel needs it to read UTF-8; RFC 4180 parsers skip it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Open-data licence of the site's tables.
pub const LICENCE_NAME: &str = "CC-BY-4.0";
pub const LICENCE_TITLE: &str = "知识共享 署名 4.0 国际 (CC BY 4.0)";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
/// The slug of the free page that explains the licence to readers.
pub const LICENCE_PAGE: &str = "licence";

/// The licence as pages name it.
#[derive(Serialize)]
pub struct LicenceView {
    pub title: &'static str,
    pub href: &'static str,
}

pub const LICENCE: LicenceView = LicenceView {
    title: LICENCE_TITLE,
    href: LICENCE_URL,
};

/// A column: name, Frictionless type, description.
pub type Column = (&'static str, &'static str, &'static str);

/// The columns of the indicator tables, in order.
pub const INDICATOR_COLUMNS: &[Column] = &[
    ("indicator_id", "string", "指标编号"),
    ("indicator_name", "string", "指标名称"),
    ("area", "string", "所属领域编号（见 areas）"),
    ("unit", "string", "计量单位"),
    (
        "kind",
        "string",
        "指标类型：level 水平类、cumulative 累计类、qualitative 定性类",
    ),
    (
        "period",
        "string",
        "季度，格式 YYYY-Qn；往年数据为年份 YYYY",
    ),
    (
        "value",
        "number",
        "季度为年内累计值，往年为全年值；无数据或定性指标为空",
    ),
    (
        "target_comparator",
        "string",
        "目标比较方式：<= < >= > ==；往年数据为空",
    ),
    ("target_value", "number", "目标值；定性指标和往年数据为空"),
    (
        "status",
        "string",
        "状态：met 达标、on_track 进度正常、at_risk 存在风险、not_met 未达标、no_data 暂无数据；往年数据不评判，为空",
    ),
    (
        "flag",
        "string",
        "数据标记：provisional 初步数据、estimated 估算、revised 修订",
    ),
    ("note", "string", "数据说明；定性指标为判定依据"),
];

/// The columns of the task ledger, in order.
pub const TASK_COLUMNS: &[Column] = &[
    ("task_id", "string", "任务编号"),
    ("area", "string", "所属领域编号（见 areas）"),
    ("text", "string", "任务内容（工作要点原文）"),
    ("lead", "string", "牵头单位"),
    ("partners", "string", "配合单位，以“；”分隔"),
    ("due", "string", "完成时限，格式 YYYY-Qn；未规定为空"),
    ("period", "string", "季度，格式 YYYY-Qn"),
    (
        "status",
        "string",
        "进展：not_started 未启动、in_progress 推进中、done 已完成、behind 滞后、unreported 暂无进展报告",
    ),
    (
        "updated",
        "boolean",
        "本季度是否有工作进展报告这项任务；false 表示沿用上一季度的状态",
    ),
    ("note", "string", "进展说明"),
    ("source_url", "string", "报告这项任务的工作进展的网址"),
];

/// The columns of the facilities table, in order.
pub const FACILITY_COLUMNS: &[Column] = &[
    ("id", "string", "设施编号"),
    ("name", "string", "设施名称"),
    ("category", "string", "类别：monitoring 环境监测、sewage 城市污水处理、waste 垃圾处理、hazardous_waste 危险废物和电子废物处理"),
    ("category_name", "string", "类别名称"),
    ("district", "string", "所在区县"),
    ("address", "string", "地址"),
    ("lat", "number", "纬度（WGS84）"),
    ("lon", "number", "经度（WGS84）"),
    ("open_time", "string", "开放时间"),
    ("booking_phone", "string", "预约电话"),
    ("booking_url", "string", "网上预约地址"),
    ("booking_note", "string", "预约须知"),
    ("capacity", "string", "接待规模"),
    ("highlights", "string", "参观内容，以“；”分隔"),
    ("description", "string", "简介"),
];

/// The columns of an Environment Day schedule, in order.
pub const EVENT_COLUMNS: &[Column] = &[
    ("date", "date", "日期"),
    ("time", "string", "时间"),
    ("title", "string", "活动名称"),
    ("place", "string", "地点"),
    ("organizer", "string", "组织单位"),
    ("summary", "string", "简介"),
];

/// The last column of every table while the site publishes sample data.
pub const SAMPLE_COLUMN: Column = (
    "sample_data",
    "boolean",
    "示例数据标记：true 表示本行为示例数据，不是官方统计数据",
);

/// A table of text cells under its columns; empty cells are missing values.
struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// The rows under the columns, each row marked when the site publishes sample data.
    fn new(columns: &[Column], mut rows: Vec<Vec<String>>, sample_data: bool) -> Table {
        let mut columns = columns.to_vec();
        if sample_data {
            columns.push(SAMPLE_COLUMN);
            for row in &mut rows {
                row.push("true".into());
            }
        }
        Table { columns, rows }
    }

    fn csv(&self) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        // Writing into memory cannot fail.
        let _ = writer.write_record(self.columns.iter().map(|c| c.0));
        for row in &self.rows {
            let _ = writer.write_record(row);
        }
        writer.into_inner().unwrap_or_default()
    }

    /// The rows as JSON objects: numbers as numbers, booleans as booleans, empty cells as null.
    fn json_rows(&self) -> Vec<Value> {
        self.rows
            .iter()
            .map(|row| {
                let mut object = serde_json::Map::new();
                for ((name, kind, _), cell) in self.columns.iter().zip(row) {
                    let value = match (*kind, cell.is_empty()) {
                        (_, true) => Value::Null,
                        ("number", false) => cell.parse::<f64>().map_or(Value::Null, |v| json!(v)),
                        ("boolean", false) => Value::Bool(cell == "true"),
                        _ => Value::String(cell.clone()),
                    };
                    object.insert(name.to_string(), value);
                }
                Value::Object(object)
            })
            .collect()
    }
}

fn table_schema(columns: &[Column], primary_key: &[&str]) -> Value {
    json!({
        "fields": columns.iter().map(|(name, kind, description)| json!({
            "name": name, "type": kind, "description": description,
        })).collect::<Vec<_>>(),
        "missingValues": [""],
        "primaryKey": primary_key,
    })
}

fn csv_resource(
    name: &str,
    path: &str,
    title: &str,
    columns: &[Column],
    primary_key: &[&str],
) -> Value {
    json!({
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
        "schema": table_schema(columns, primary_key),
    })
}

/// One row per task and quarter of the ledger.
fn task_table(model: &Model, sample_data: bool) -> Table {
    let base_url = &model.config.base_url;
    let rows = model
        .tasks
        .iter()
        .flat_map(|t| t.history.iter().map(move |p| (t, p)))
        .map(|(t, p)| {
            let task = &t.task;
            vec![
                task.id.clone(),
                task.area.clone(),
                task.text.clone(),
                task.lead.clone().unwrap_or_default(),
                task.partners.join("；"),
                task.due.map(|q| q.to_string()).unwrap_or_default(),
                p.quarter.to_string(),
                p.status.code().to_string(),
                p.updated.to_string(),
                p.note.clone().unwrap_or_default(),
                p.source
                    .as_ref()
                    .map(|s| s.route().absolute(base_url))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    Table::new(TASK_COLUMNS, rows, sample_data)
}

/// Every value an indicator's pages show: its earlier years and the earlier quarters the
/// year-on-year change compares with (not judged against this year's target), then each
/// quarter with its status.
fn indicator_table<'a>(
    indicators: impl Iterator<Item = &'a Indicator>,
    sample_data: bool,
) -> Table {
    let mut rows = Vec::new();
    for indicator in indicators {
        let row = |period: String, value: Option<f64>, judged: bool| {
            let rule = indicator.target.rule.filter(|_| judged);
            vec![
                indicator.id.clone(),
                indicator.name.clone(),
                indicator.area.clone(),
                indicator.unit.clone(),
                indicator.kind.code().to_string(),
                period,
                value.map(format_number).unwrap_or_default(),
                rule.map(|r| r.comparator.code().to_string())
                    .unwrap_or_default(),
                rule.map(|r| format_number(r.value)).unwrap_or_default(),
            ]
        };
        let earlier = indicator
            .history
            .iter()
            .map(|(year, value)| (year.to_string(), *value))
            .chain(
                indicator
                    .quarter_history
                    .iter()
                    .map(|(quarter, value)| (quarter.to_string(), *value)),
            );
        for (period, value) in earlier {
            let mut cells = row(period, Some(value), false);
            cells.extend([String::new(), String::new(), String::new()]);
            rows.push(cells);
        }
        for q in &indicator.quarters {
            let note = [q.note.as_deref(), q.evidence.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            let mut cells = row(q.quarter.to_string(), q.value, true);
            cells.extend([
                q.status.code().to_string(),
                q.flag.map(|f| f.code().to_string()).unwrap_or_default(),
                note,
            ]);
            rows.push(cells);
        }
    }
    Table::new(INDICATOR_COLUMNS, rows, sample_data)
}

fn facility_table(facilities: &[Facility], sample_data: bool) -> Table {
    let rows = facilities
        .iter()
        .map(|f| {
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            vec![
                f.id.clone(),
                f.name.clone(),
                f.category.code().to_string(),
                f.category.label().to_string(),
                f.district.clone(),
                f.address.clone(),
                f.lat.to_string(),
                f.lon.to_string(),
                text(&f.open_time),
                text(&f.booking.phone),
                text(&f.booking.url),
                text(&f.booking.note),
                text(&f.capacity),
                f.highlights.join("；"),
                text(&f.description),
            ]
        })
        .collect();
    Table::new(FACILITY_COLUMNS, rows, sample_data)
}

fn event_table(day: &EnvironmentDay, sample_data: bool) -> Table {
    let rows = day
        .events
        .iter()
        .map(|e| {
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            vec![
                e.date.clone(),
                text(&e.time),
                e.title.clone(),
                text(&e.place),
                text(&e.organizer),
                text(&e.summary),
            ]
        })
        .collect();
    Table::new(EVENT_COLUMNS, rows, sample_data)
}

fn geojson(facilities: &[Facility], table: &Table) -> Value {
    let features: Vec<Value> = facilities
        .iter()
        .zip(table.json_rows())
        .map(|(f, mut properties)| {
            if let Some(object) = properties.as_object_mut() {
                object.remove("lat");
                object.remove("lon");
            }
            json!({
                "type": "Feature",
                "id": f.id,
                "geometry": { "type": "Point", "coordinates": [f.lon, f.lat] },
                "properties": properties,
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// When the indicator data last changed, from the content (never a quarter's last day).
fn last_modified(model: &Model) -> Option<String> {
    Some(model.indicators_updated()?.to_string())
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A dataset as the catalogue page lists it.
#[derive(Serialize)]
pub struct DatasetView {
    pub title: String,
    pub description: String,
    pub files: Vec<FileLink>,
    pub fields: Vec<FieldView>,
    pub rows: usize,
}

#[derive(Serialize)]
pub struct FileLink {
    pub format: String,
    pub href: String,
    pub size: String,
}

#[derive(Serialize)]
pub struct FieldView {
    pub name: &'static str,
    pub kind: &'static str,
    /// The Frictionless type in words, for readers.
    pub kind_label: &'static str,
    pub description: &'static str,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "number" => "数值",
        "boolean" => "是否（true / false）",
        "date" => "日期",
        _ => "文本",
    }
}

/// One dataset: its title, its files (format, path under the output) and its columns.
struct Dataset {
    title: String,
    description: String,
    files: Vec<(&'static str, String)>,
    columns: Vec<Column>,
    rows: usize,
}

/// Every open-data file of the site, and what the catalogue says of them.
pub struct Catalogue {
    files: Vec<(String, Vec<u8>)>,
    datasets: Vec<Dataset>,
}

/// A JSON or GeoJSON file as a data package resource (not a table, so without a schema).
fn json_resource(name: &str, path: &str, title: &str, format: &str) -> Value {
    let mediatype = match format {
        "geojson" => "application/geo+json",
        _ => "application/json",
    };
    json!({
        "name": name,
        "path": path,
        "title": title,
        "format": format,
        "mediatype": mediatype,
        "encoding": "utf-8",
    })
}

/// Whether the catalogue has any dataset: the one rule for whether the site has an open-data
/// page, and so for whether a page may link it.
pub fn has_any(model: &Model) -> bool {
    !model.indicators.is_empty()
        || model.tasks.iter().any(|t| !t.history.is_empty())
        || !model.facilities.is_empty()
        || !model.environment_days.is_empty()
}

pub fn catalogue(model: &Model) -> Catalogue {
    let sample = model.config.sample_data;
    let mut files = Vec::new();
    let mut datasets = Vec::new();
    let mut resources = Vec::new();
    if !model.indicators.is_empty() {
        let table = indicator_table(model.indicators.iter(), sample);
        let indicators: Vec<Value> = model
            .indicators
            .iter()
            .map(|i| {
                json!({
                    "id": i.id, "name": i.name, "name_en": i.name_en, "area": i.area, "unit": i.unit,
                    "kind": i.kind.code(), "target_text": i.target.text, "source": i.target.source,
                    "lead": i.lead, "partners": i.partners,
                    "history": i.history.iter().map(|(y, v)| json!({"period": y.to_string(), "value": v}))
                        .chain(i.quarter_history.iter().map(|(q, v)| json!({"period": q.to_string(), "value": v})))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let document = json!({
            "title": format!("{} · 目标完成情况", model.config.title),
            "licence": LICENCE_URL,
            "last_modified": last_modified(model),
            "sample_data": sample,
            "rows": table.json_rows(),
            "indicators": indicators,
        });
        let (csv, json) = rayon::join(|| table.csv(), || pretty(&document));
        files.push(("data/indicators.csv".to_string(), csv));
        files.push(("data/indicators.json".to_string(), json));
        resources.push(csv_resource(
            "indicators",
            "indicators.csv",
            "全部指标的季度数据和往年数据",
            &table.columns,
            &["indicator_id", "period"],
        ));
        resources.push(json_resource(
            "indicators-json",
            "indicators.json",
            "全部指标的季度数据和往年数据（JSON，含指标说明）",
            "json",
        ));
        // One file a target: a thousand targets are a thousand tables, made on every core.
        let targets: Vec<_> = model
            .indicators
            .par_iter()
            .map(|i| {
                let path = format!("targets/{}.csv", i.id);
                let one = indicator_table(std::iter::once(i), sample);
                let resource = csv_resource(
                    &format!("target-{}", i.id),
                    &path,
                    &i.name,
                    &one.columns,
                    &["indicator_id", "period"],
                );
                ((format!("data/{path}"), one.csv()), resource)
            })
            .collect();
        for (file, resource) in targets {
            files.push(file);
            resources.push(resource);
        }
        datasets.push(Dataset {
            title: "目标完成情况".into(),
            description: "每个指标每个季度一行：数值、目标与完成状态；图表中的往年数据每年一行。每个指标另有单独的 CSV（见各指标页面）。".into(),
            files: vec![("CSV", "data/indicators.csv".into()), ("JSON", "data/indicators.json".into())],
            columns: table.columns,
            rows: table.rows.len(),
        });
    }
    if model.tasks.iter().any(|t| !t.history.is_empty()) {
        let table = task_table(model, sample);
        files.push(("data/tasks.csv".to_string(), table.csv()));
        files.push((
            "data/tasks.json".to_string(),
            pretty(&json!({
                "title": format!("{} · 重点任务落实台账", model.config.title),
                "plan": model.config.plan_title(),
                "licence": LICENCE_URL,
                "sample_data": sample,
                "rows": table.json_rows(),
            })),
        ));
        resources.push(csv_resource(
            "tasks",
            "tasks.csv",
            "重点任务落实台账：每项任务每个季度的进展",
            &table.columns,
            &["task_id", "period"],
        ));
        resources.push(json_resource(
            "tasks-json",
            "tasks.json",
            "重点任务落实台账（JSON）",
            "json",
        ));
        datasets.push(Dataset {
            title: "重点任务落实台账".into(),
            description: format!(
                "《{}》的每项任务每个季度一行：牵头单位、进展状态、进展说明和报告它的工作进展。某季度没有报告的任务沿用上一季度的状态（updated 为 false）。",
                model.config.plan_title()
            ),
            files: vec![("CSV", "data/tasks.csv".into()), ("JSON", "data/tasks.json".into())],
            columns: table.columns,
            rows: table.rows.len(),
        });
    }
    if !model.facilities.is_empty() {
        let table = facility_table(&model.facilities, sample);
        files.push(("data/facilities.csv".to_string(), table.csv()));
        files.push((
            "data/facilities.json".to_string(),
            pretty(&json!({
                "title": "环保设施向公众开放名单",
                "licence": LICENCE_URL,
                "sample_data": sample,
                "facilities": table.json_rows(),
            })),
        ));
        files.push((
            "data/facilities.geojson".to_string(),
            pretty(&geojson(&model.facilities, &table)),
        ));
        resources.push(csv_resource(
            "facilities",
            "facilities.csv",
            "环保设施向公众开放名单",
            &table.columns,
            &["id"],
        ));
        resources.push(json_resource(
            "facilities-json",
            "facilities.json",
            "环保设施向公众开放名单（JSON）",
            "json",
        ));
        resources.push(json_resource(
            "facilities-geojson",
            "facilities.geojson",
            "环保设施位置（GeoJSON）",
            "geojson",
        ));
        datasets.push(Dataset {
            title: "环保设施向公众开放名单".into(),
            description: "每处设施一行：类别、区县、地址、坐标（WGS84）、开放时间与预约方式。"
                .into(),
            files: vec![
                ("CSV", "data/facilities.csv".into()),
                ("JSON", "data/facilities.json".into()),
                ("GeoJSON", "data/facilities.geojson".into()),
            ],
            columns: table.columns,
            rows: table.rows.len(),
        });
    }
    for day in &model.environment_days {
        let table = event_table(day, sample);
        let name = format!("environment-day-{}-events", day.year);
        files.push((format!("data/{name}.csv"), table.csv()));
        let title = format!("{}年六五环境日活动安排", day.year);
        resources.push(csv_resource(
            &name,
            &format!("{name}.csv"),
            &title,
            &table.columns,
            &[],
        ));
        datasets.push(Dataset {
            title,
            description: format!("{}年六五环境日暨环保宣传周的每项活动一行。", day.year),
            files: vec![("CSV", format!("data/{name}.csv"))],
            columns: table.columns,
            rows: table.rows.len(),
        });
    }
    if !resources.is_empty() {
        files.push((
            "data/datapackage.json".to_string(),
            datapackage(model, &describe(&model.config.title, &datasets), resources),
        ));
    }
    Catalogue { files, datasets }
}

/// The data package's name: the site's address in the characters Frictionless allows
/// (`sthjj-example-gov-cn-ecosite-open-data`), so that two bureaus' packages never share one.
fn package_name(base_url: &str) -> String {
    let address = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .to_ascii_lowercase();
    let mut name = String::new();
    for c in address.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    if !name.is_empty() && !name.ends_with('-') {
        name.push('-');
    }
    name + "open-data"
}

/// What the open data holds, in the site's own words: the site's title and the datasets'.
fn describe(title: &str, datasets: &[Dataset]) -> String {
    let titles: Vec<&str> = datasets.iter().map(|d| d.title.as_str()).collect();
    format!("{title}的开放数据：{}。", titles.join("、"))
}

fn datapackage(model: &Model, description: &str, resources: Vec<Value>) -> Vec<u8> {
    // Frictionless wants an empty primaryKey left out.
    let resources: Vec<Value> = resources
        .into_iter()
        .map(|mut r| {
            if r["schema"]["primaryKey"]
                .as_array()
                .is_some_and(|k| k.is_empty())
            {
                if let Some(schema) = r["schema"].as_object_mut() {
                    schema.remove("primaryKey");
                }
            }
            r
        })
        .collect();
    let mut package = json!({
        // Not "tabular-data-package": the GeoJSON resource is not a table.
        "profile": "data-package",
        "name": package_name(&model.config.base_url),
        "title": format!("{} · 开放数据", model.config.title),
        "description": description,
        "homepage": Route::data().absolute(&model.config.base_url),
        "licenses": [{ "name": LICENCE_NAME, "title": LICENCE_TITLE, "path": LICENCE_URL }],
        "resources": resources,
    });
    if model.config.sample_data {
        // Not a Frictionless property: a marker for readers and tools that the figures are not
        // official, as in every row of every table.
        package["sample_data"] = json!(true);
    }
    if let Some(date) = last_modified(model) {
        package["lastModified"] = json!(date);
    }
    if let Some(org) = &model.config.organization {
        package["contributors"] = json!([{ "title": org, "role": "publisher" }]);
    }
    pretty(&package)
}

impl Catalogue {
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files
    }

    fn size(&self, path: &str) -> String {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map_or_else(String::new, |(_, b)| format_size(b.len() as u64))
    }

    pub fn datasets(&self, base: &str) -> Vec<DatasetView> {
        self.datasets
            .iter()
            .map(|d| DatasetView {
                title: d.title.clone(),
                description: d.description.clone(),
                files: d
                    .files
                    .iter()
                    .map(|(format, path)| FileLink {
                        format: format.to_string(),
                        href: Route::file(path).href(base),
                        size: self.size(path),
                    })
                    .collect(),
                fields: d
                    .columns
                    .iter()
                    .map(|&(name, kind, description)| FieldView {
                        name,
                        kind,
                        kind_label: kind_label(kind),
                        description,
                    })
                    .collect(),
                rows: d.rows,
            })
            .collect()
    }

    /// schema.org `Dataset` for search engines, safe to put inside a `<script>` element.
    pub fn json_ld(&self, model: &Model) -> String {
        let (config, base_url) = (&model.config, model.config.base_url.as_str());
        let distribution: Vec<Value> = self
            .datasets
            .iter()
            .flat_map(|d| d.files.iter())
            .map(|(format, path)| {
                let mime = match *format {
                    "CSV" => "text/csv",
                    "GeoJSON" => "application/geo+json",
                    _ => "application/json",
                };
                json!({ "@type": "DataDownload", "encodingFormat": mime, "contentUrl": Route::file(path).absolute(base_url) })
            })
            .collect();
        let mut dataset = json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": format!("{} · 开放数据", config.title),
            "description": describe(&config.title, &self.datasets),
            "url": Route::data().absolute(base_url),
            "license": LICENCE_URL,
            "inLanguage": config.language,
            "isAccessibleForFree": true,
            "variableMeasured": model.indicators.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
            "distribution": distribution,
        });
        if let Some(date) = last_modified(model) {
            dataset["dateModified"] = json!(date);
        }
        if let Some(org) = &config.organization {
            dataset["creator"] = json!({ "@type": "GovernmentOrganization", "name": org });
        }
        serde_json::to_string(&dataset)
            .unwrap_or_default()
            .replace("</", "<\\/")
    }
}
