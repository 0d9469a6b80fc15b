//! Open data: the indicator tables as CSV (UTF-8 with a BOM, so that Excel reads Chinese) and
//! JSON, one CSV per indicator, the Frictionless Data Package that describes them, and the
//! catalogue that the `/data/` page and its schema.org JSON-LD show. The columns are defined
//! once here and used for the files, the schema and the page.

use serde::Serialize;
use serde_json::{json, Value};

use crate::indicator::{format_number, Indicator};
use crate::model::Model;
use crate::route::Route;

/// Excel needs it to read UTF-8; RFC 4180 parsers skip it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Open-data licence of the site's tables.
pub const LICENCE_NAME: &str = "CC-BY-4.0";
pub const LICENCE_TITLE: &str = "知识共享 署名 4.0 国际 (CC BY 4.0)";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// (name, Frictionless type, description) of each column of the indicator tables, in order.
pub const INDICATOR_COLUMNS: &[(&str, &str, &str)] = &[
    ("indicator_id", "string", "指标编号"),
    ("indicator_name", "string", "指标名称"),
    ("area", "string", "所属领域编号（见 areas）"),
    ("unit", "string", "计量单位"),
    (
        "kind",
        "string",
        "指标类型：level 水平类、cumulative 累计类、qualitative 定性类",
    ),
    ("period", "string", "季度，格式 YYYY-Qn"),
    ("value", "number", "年内累计值；无数据或定性指标为空"),
    ("target_comparator", "string", "目标比较方式：<= < >= > =="),
    ("target_value", "number", "目标值；定性指标为空"),
    (
        "status",
        "string",
        "状态：met 达标、on_track 进度正常、at_risk 存在风险、not_met 未达标、no_data 暂无数据",
    ),
    (
        "flag",
        "string",
        "数据标记：provisional 初步数据、estimated 估算、revised 修订",
    ),
    ("note", "string", "数据说明；定性指标为判定依据"),
];

/// One row per indicator and quarter.
fn rows(indicator: &Indicator) -> impl Iterator<Item = [String; 12]> + '_ {
    indicator.quarters.iter().map(move |q| {
        let note = match (&q.note, &q.evidence) {
            (Some(n), Some(e)) => format!("{n}；{e}"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => String::new(),
        };
        [
            indicator.id.clone(),
            indicator.name.clone(),
            indicator.area.clone(),
            indicator.unit.clone(),
            indicator.kind.code().to_string(),
            q.quarter.to_string(),
            q.value.map(format_number).unwrap_or_default(),
            indicator
                .target
                .rule
                .map(|r| r.comparator.code().to_string())
                .unwrap_or_default(),
            indicator
                .target
                .rule
                .map(|r| format_number(r.value))
                .unwrap_or_default(),
            q.status.code().to_string(),
            q.flag.map(|f| f.code().to_string()).unwrap_or_default(),
            note,
        ]
    })
}

fn csv<'a>(indicators: impl Iterator<Item = &'a Indicator>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing into memory cannot fail.
    let _ = writer.write_record(INDICATOR_COLUMNS.iter().map(|c| c.0));
    for indicator in indicators {
        for row in rows(indicator) {
            let _ = writer.write_record(&row);
        }
    }
    writer.into_inner().unwrap_or_default()
}

fn json_rows<'a>(indicators: impl Iterator<Item = &'a Indicator>) -> Vec<Value> {
    indicators
        .flat_map(|i| {
            rows(i).map(|row| {
                let mut object = serde_json::Map::new();
                for ((name, kind, _), cell) in INDICATOR_COLUMNS.iter().zip(row) {
                    let value = match (*kind, cell.is_empty()) {
                        (_, true) => Value::Null,
                        ("number", false) => cell.parse::<f64>().map_or(Value::Null, |v| json!(v)),
                        _ => Value::String(cell),
                    };
                    object.insert(name.to_string(), value);
                }
                Value::Object(object)
            })
        })
        .collect()
}

/// The newest date the indicator data speaks of: the last day of its latest quarter with data.
fn last_modified(model: &Model) -> Option<String> {
    let q = model.latest_indicator_quarter()?;
    let (month, day) = [(3, 31), (6, 30), (9, 30), (12, 31)][(q.number - 1) as usize];
    Some(format!("{:04}-{month:02}-{day:02}", q.year))
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
    pub format: &'static str,
    pub href: String,
    pub size: String,
}

#[derive(Serialize)]
pub struct FieldView {
    pub name: &'static str,
    pub kind: &'static str,
    pub description: &'static str,
}

/// Every open-data file of the site, by output path.
pub struct Catalogue<'a> {
    model: &'a Model,
    files: Vec<(String, Vec<u8>)>,
}

pub fn catalogue(model: &Model) -> Catalogue<'_> {
    let mut files = Vec::new();
    if !model.indicators.is_empty() {
        files.push((
            "data/indicators.csv".to_string(),
            csv(model.indicators.iter()),
        ));
        let indicators: Vec<Value> = model
            .indicators
            .iter()
            .map(|i| {
                json!({
                    "id": i.id, "name": i.name, "name_en": i.name_en, "area": i.area, "unit": i.unit,
                    "kind": i.kind.code(), "target_text": i.target.text, "source": i.target.source,
                    "lead": i.lead, "partners": i.partners,
                    "history": i.history.iter().map(|(y, v)| json!({"period": y.to_string(), "value": v})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let document = json!({
            "title": format!("{} · 目标完成情况", model.config.title),
            "licence": LICENCE_URL,
            "last_modified": last_modified(model),
            "sample_data": model.config.sample_data,
            "rows": json_rows(model.indicators.iter()),
            "indicators": indicators,
        });
        files.push(("data/indicators.json".to_string(), pretty(&document)));
        for i in &model.indicators {
            files.push((
                format!("data/targets/{}.csv", i.id),
                csv(std::iter::once(i)),
            ));
        }
        files.push(("data/datapackage.json".to_string(), datapackage(model)));
    }
    Catalogue { model, files }
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn table_schema() -> Value {
    json!({
        "fields": INDICATOR_COLUMNS.iter().map(|(name, kind, description)| json!({
            "name": name, "type": kind, "description": description,
        })).collect::<Vec<_>>(),
        "missingValues": [""],
        "primaryKey": ["indicator_id", "period"],
    })
}

fn resource(name: &str, path: &str, title: &str) -> Value {
    json!({
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
        "schema": table_schema(),
    })
}

fn datapackage(model: &Model) -> Vec<u8> {
    let mut resources = vec![resource(
        "indicators",
        "indicators.csv",
        "全部指标的季度数据",
    )];
    for i in &model.indicators {
        resources.push(resource(
            &format!("target-{}", i.id),
            &format!("targets/{}.csv", i.id),
            &i.name,
        ));
    }
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": "wuhu-eco-targets",
        "title": format!("{} · 目标完成情况", model.config.title),
        "description": "2024年全市生态环境工作要点各项目标的季度数值与完成状态。",
        "homepage": Route::data().absolute(&model.config.base_url),
        "licenses": [{ "name": LICENCE_NAME, "title": LICENCE_TITLE, "path": LICENCE_URL }],
        "resources": resources,
    });
    if let Some(date) = last_modified(model) {
        package["lastModified"] = json!(date);
    }
    if let Some(org) = &model.config.organization {
        package["contributors"] = json!([{ "title": org, "role": "publisher" }]);
    }
    pretty(&package)
}

pub fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} 字节")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

impl Catalogue<'_> {
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files
    }

    fn size(&self, path: &str) -> String {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map_or_else(String::new, |(_, b)| human_size(b.len()))
    }

    fn link(&self, format: &'static str, path: &str, base: &str) -> FileLink {
        FileLink {
            format,
            href: Route::file(path).href(base),
            size: self.size(path),
        }
    }

    pub fn datasets(&self, base: &str) -> Vec<DatasetView> {
        if self.model.indicators.is_empty() {
            return Vec::new();
        }
        let fields: Vec<FieldView> = INDICATOR_COLUMNS
            .iter()
            .map(|(name, kind, description)| FieldView {
                name,
                kind,
                description,
            })
            .collect();
        let mut sets = vec![DatasetView {
            title: "目标完成情况（全部指标）".into(),
            description: "每个指标每个季度一行：数值、目标与完成状态。".into(),
            files: vec![
                self.link("CSV", "data/indicators.csv", base),
                self.link("JSON", "data/indicators.json", base),
            ],
            fields,
            rows: self.model.indicators.iter().map(|i| i.quarters.len()).sum(),
        }];
        sets.push(DatasetView {
            title: "各指标单独的表".into(),
            description: "与上表字段相同，每个指标一个 CSV 文件，见各指标页面的下载链接。".into(),
            files: self
                .model
                .indicators
                .iter()
                .map(|i| self.link("CSV", &format!("data/targets/{}.csv", i.id), base))
                .collect(),
            fields: Vec::new(),
            rows: self.model.indicators.len(),
        });
        sets
    }

    /// schema.org `Dataset` for search engines, safe to put inside a `<script>` element.
    pub fn json_ld(&self, base_url: &str) -> String {
        let config = &self.model.config;
        let distribution: Vec<Value> = [("data/indicators.csv", "text/csv"), ("data/indicators.json", "application/json")]
            .iter()
            .map(|(path, format)| json!({ "@type": "DataDownload", "encodingFormat": format, "contentUrl": Route::file(path).absolute(base_url) }))
            .collect();
        let mut dataset = json!({
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": format!("{} · 目标完成情况", config.title),
            "description": "2024年全市生态环境工作要点各项目标的季度数值与完成状态。",
            "url": Route::data().absolute(base_url),
            "license": LICENCE_URL,
            "inLanguage": config.language,
            "isAccessibleForFree": true,
            "variableMeasured": self.model.indicators.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
            "distribution": distribution,
        });
        if let Some(date) = last_modified(self.model) {
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
