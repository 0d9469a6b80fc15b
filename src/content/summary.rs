//! Work summaries (`content/summaries/<area>/*.md`): a quarter's progress in one area of the
//! work plan, with the plan's tasks it reports on.

use crate::content::unknown;
use crate::model::summary::Summary;
use crate::model::task::{TaskReport, TaskStatus};
use serde::Deserialize;

use crate::content::field::{bad_quarter, missing, required_date};
use crate::content::front_matter;
use crate::content::load::SummaryFile;
use crate::content::shortcode;
use crate::content::yaml::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::area::Areas;
use crate::model::period::{Date, Quarter};
use crate::model::route::{slug_problem, slugify};

/// Warnings for the front matter's keys no field reads (usually a typo such as `titel:`).
pub fn unknown_fields(file: &crate::source::SourceFile) -> Vec<Diagnostic> {
    unknown::in_front_matter::<RawSummary>(file)
}

#[derive(Debug, Deserialize)]
struct RawSummary {
    title: Option<Text>,
    date: Option<Text>,
    #[serde(default)]
    area: Option<Text>,
    #[serde(default)]
    quarter: Option<Text>,
    #[serde(default)]
    slug: Option<Text>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    indicators: Vec<Text>,
    #[serde(default)]
    tasks: Vec<RawTask>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    keywords: Vec<Text>,
    #[serde(default)]
    time: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    task: Text,
    #[serde(default)]
    status: Option<TaskStatus>,
    #[serde(default)]
    note: Option<String>,
}

impl Summary {
    /// Reads and checks one summary; every problem in the file is reported, not only the first.
    pub fn parse(
        file: &SummaryFile,
        areas: &Areas,
        indicator_exists: &dyn Fn(&str) -> bool,
        allow_raw_html: bool,
    ) -> Result<Summary, Vec<Diagnostic>> {
        let source = &file.source;
        let (raw, body): (RawSummary, _) = front_matter::read(source).map_err(|d| vec![d])?;
        let front = 0..body.start;
        let locate = |key: &str| source.find_key(front.clone(), key).unwrap_or(0..3);
        let mut errors = Vec::new();

        let title = crate::content::field::text(&raw.title);
        if title.is_empty() {
            errors.push(missing(
                source,
                locate("title"),
                "title",
                "标题",
                "title: 第二季度蓝天保卫战工作进展",
            ));
        }
        let date = required_date(
            source,
            locate("date"),
            &raw.date,
            "日期",
            "date: 2025-07-10",
            &mut errors,
        );
        let quarter = match raw.quarter.as_ref().map(Text::as_str) {
            None | Some("") => date.map(Date::quarter),
            Some(text) => Quarter::parse(text).or_else(|| {
                errors.push(bad_quarter(source, locate("quarter"), text));
                None
            }),
        };
        let area = raw
            .area
            .as_ref()
            .map(|t| t.as_str().to_string())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| file.folder.clone());
        if !areas.contains(&area) {
            let span = if raw.area.is_some() {
                locate("area")
            } else {
                0..0
            };
            let d = areas.unknown(&area, source, span);
            errors.push(if raw.area.is_some() {
                d
            } else {
                d.with_hint(format!(
                    "文件夹 summaries/{area}/ 不是 areas.yaml 中的领域；请改文件夹名，或在元数据中写 area: 领域id"
                ))
            });
        }
        let slug = match &raw.slug {
            Some(slug) => {
                let slug = slug.as_str().to_string();
                if let Some(problem) = slug_problem(&slug) {
                    errors.push(
                        Diagnostic::error(
                            Code::BadPath,
                            format!("slug“{slug}”无效：{problem}"),
                            "invalid slug",
                        )
                        .at(source, locate("slug"))
                        .with_hint("slug 是网址的最后一段，例如 slug: 2025-q2-blue-sky"),
                    );
                }
                slug
            }
            None => slugify(&file.stem),
        };
        let indicators: Vec<String> = raw
            .indicators
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        for id in indicators.iter().filter(|id| !indicator_exists(id)) {
            let span = source
                .find_value(0, body.start, id)
                .or_else(|| {
                    source.text[..body.start]
                        .find(id.as_str())
                        .map(|at| at..at + id.len())
                })
                .unwrap_or_else(|| locate("indicators"));
            errors.push(
                Diagnostic::error(
                    Code::UnknownIndicator,
                    format!("未知的指标“{id}”：content/indicators/ 中没有这个 id"),
                    format!("unknown indicator `{id}`"),
                )
                .at(source, span)
                .with_hint("indicators 中列出 content/indicators/ 下已有的指标 id，例如 [pm25, good-air-days]"),
            );
        }
        let tasks = task_reports(source, front.clone(), raw.tasks, areas, &mut errors);
        let provenance = crate::content::field::provenance(
            source,
            &locate,
            crate::content::field::RawProvenance {
                source: raw.source,
                author: raw.author,
                keywords: raw.keywords,
                time: raw.time,
            },
            &mut errors,
        );
        let (rendered, mut body_errors) =
            shortcode::render_body(source, body.clone(), allow_raw_html, indicator_exists);
        errors.append(&mut body_errors);
        let (Some(date), Some(quarter), true) = (date, quarter, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Summary {
            area,
            slug,
            title,
            date,
            quarter,
            description: raw.description,
            provenance,
            indicators,
            tasks,
            draft: raw.draft,
            body: rendered,
            front: source.front(body.start),
            slug_span: if raw.slug.is_some() {
                locate("slug")
            } else {
                0..3
            },
        })
    }
}

/// The `tasks:` entries: each names a task of the plan by its id and says its status.
fn task_reports(
    source: &crate::source::SourceFile,
    front: std::ops::Range<usize>,
    raw: Vec<RawTask>,
    areas: &Areas,
    errors: &mut Vec<Diagnostic>,
) -> Vec<TaskReport> {
    let entries = source.key_offsets(front.start, "task");
    let mut reports = Vec::with_capacity(raw.len());
    for (position, t) in raw.into_iter().enumerate() {
        let id = t.task.as_str().trim().to_string();
        // The entry's `task:` value, or the `tasks:` key when it cannot be found.
        let span = entries
            .iter()
            .filter(|&&at| at < front.end)
            .filter_map(|&at| source.find_value(at, front.end, "task"))
            .nth(position)
            .unwrap_or_else(|| source.find_key(front.clone(), "tasks").unwrap_or(0..3));
        if areas.task(&id).is_none() {
            errors.push(areas.unknown_task(&id, source, span));
            continue;
        }
        let Some(status) = t.status else {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("任务 {id} 缺少进展状态 status"),
                    "task report without status",
                )
                .at(source, span)
                .with_hint(format!(
                    "status 可写：{}",
                    TaskStatus::WRITABLE
                        .map(|s| format!("{}（{}）", s.code(), s.label()))
                        .join("、")
                )),
            );
            continue;
        };
        reports.push(TaskReport {
            task: id,
            status,
            note: t.note.filter(|n| !n.trim().is_empty()),
            span,
        });
    }
    reports
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn areas() -> Areas {
        Areas::parse(&SourceFile::new(
            "content/areas.yaml",
            "- id: pollution\n  name: 污染\n- id: air\n  name: 蓝天\n  parent: pollution\n  tasks:\n    - { id: air-03, text: 基本完成钢铁行业超低排放改造。 }\n    - { id: air-04, text: 开展低效失效大气污染治理设施排查整治。 }\n",
        ))
        .unwrap()
    }

    fn file(folder: &str, stem: &str, text: &str) -> SummaryFile {
        SummaryFile {
            folder: folder.into(),
            stem: stem.into(),
            source: SourceFile::new(format!("content/summaries/{folder}/{stem}.md"), text),
        }
    }

    #[test]
    fn a_good_summary() {
        let f = file("air", "2024-q2-blue-sky", "---\ntitle: 第二季度\ndate: 2024-07-10\ntasks:\n  - { task: air-03, status: in_progress, note: 2家 }\n---\n正文 **加粗**\n");
        let s = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap();
        assert_eq!(s.area, "air");
        assert_eq!(s.slug, "2024-q2-blue-sky");
        assert_eq!(
            s.quarter.to_string(),
            "2024-Q3",
            "defaults to the quarter of the date"
        );
        assert_eq!(s.tasks[0].task, "air-03");
        assert_eq!(s.tasks[0].status, TaskStatus::InProgress);
        assert_eq!(s.tasks[0].note.as_deref(), Some("2家"));
        assert!(crate::content::shortcode::html(&s.body).contains("<strong>加粗</strong>"));
        assert_eq!(s.route().as_str(), "summaries/air/2024-q2-blue-sky/");
    }

    #[test]
    fn a_summary_keeps_its_front_matter_as_written_and_its_body_packed() {
        let text = "---\ntitle: 第二季度\ndate: 2024-07-10\n---\n正文 **加粗**\n\n{{ chart(id=\"pm25\") }}\n";
        let s =
            Summary::parse(&file("air", "x", text), &areas(), &|id| id == "pm25", false).unwrap();
        assert_eq!(
            &*s.front.text,
            "---\ntitle: 第二季度\ndate: 2024-07-10\n---\n"
        );
        assert_eq!(
            s.body.markdown(),
            "正文 **加粗**\n\n{{ chart(id=\"pm25\") }}\n"
        );
        let whole = s.file();
        assert_eq!(
            (whole.path.as_str(), &*whole.text),
            (s.front.path.as_str(), text)
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let f = file(
            "air",
            "x",
            "---\ndate: 2024-02-30\nquarter: 2024-Q5\narea: aire\n---\n",
        );
        let errors = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert!(found.contains(&(Code::MissingField, 1)), "{found:?}");
        assert!(found.contains(&(Code::BadDate, 2)), "{found:?}");
        assert!(found.contains(&(Code::BadQuarter, 3)), "{found:?}");
        assert!(found.contains(&(Code::UnknownArea, 4)), "{found:?}");
        let unknown = errors.iter().find(|e| e.code == Code::UnknownArea).unwrap();
        assert_eq!(unknown.hint.as_deref(), Some("是否想写 air？"));
    }

    #[test]
    fn slug_that_escapes_is_refused() {
        let f = file(
            "air",
            "x",
            "---\ntitle: t\ndate: 2024-07-10\nslug: ../../x\n---\n",
        );
        let errors = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap_err();
        assert_eq!(errors[0].code, Code::BadPath);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn unknown_folder_is_reported() {
        let f = file("nowhere", "x", "---\ntitle: t\ndate: 2024-07-10\n---\n");
        let errors = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap_err();
        assert_eq!(errors[0].code, Code::UnknownArea);
    }

    #[test]
    fn unknown_task_status_is_a_value_error() {
        let f = file(
            "air",
            "x",
            "---\ntitle: t\ndate: 2024-07-10\ntasks:\n  - { task: air-03, status: finished }\n---\n",
        );
        let errors = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap_err();
        assert_eq!(errors[0].code, Code::BadValue);
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn unknown_task_ids_are_errors_with_their_line() {
        let f = file(
            "air",
            "x",
            "---\ntitle: t\ndate: 2024-07-10\ntasks:\n  - { task: air-03, status: done }\n  - task: air-05\n    status: done\n  - { task: 基本完成钢铁行业, status: done }\n  - { task: air-04 }\n---\n",
        );
        let errors = Summary::parse(&f, &areas(), &|_| false, false).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(
            found,
            [
                (Code::UnknownTask, 6),
                (Code::UnknownTask, 8),
                (Code::MissingField, 9)
            ]
        );
        assert_eq!(errors[0].hint.as_deref(), Some("是否想写 air-03？"));
        assert!(
            errors[1].hint.as_deref().unwrap().contains("task: air-03"),
            "a task named by its text is told its id: {:?}",
            errors[1].hint
        );
        assert!(errors[2].hint.as_deref().unwrap().contains("in_progress"));
    }

    #[test]
    fn unknown_indicators_in_front_matter_and_shortcodes() {
        let f = file("air", "x", "---\ntitle: t\ndate: 2024-07-10\nindicators: [pm25, pm10]\n---\n正文\n\n{{ chart(id=\"pm26\") }}\n{{ status(id=\"pm25\") }}\n");
        let errors = Summary::parse(&f, &areas(), &|id| id == "pm25", false).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line, e.column)).collect();
        assert_eq!(
            found,
            [
                (Code::UnknownIndicator, 4, 20),
                (Code::UnknownIndicator, 8, 1)
            ]
        );
    }

    #[test]
    fn file_name_with_spaces_and_chinese_gets_a_clean_slug() {
        let f = file(
            "air",
            "蓝天 工作 进展",
            "---\ntitle: t\ndate: 2024-07-10\n---\n",
        );
        assert_eq!(
            Summary::parse(&f, &areas(), &|id| id == "pm25", false)
                .unwrap()
                .slug,
            "蓝天-工作-进展"
        );
    }
}
