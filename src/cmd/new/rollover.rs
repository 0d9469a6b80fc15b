//! The year rollover (`ecosite new DIR --from OLD_ROOT`): next year's site made from this
//! year's, which is only read. Indicators keep their files with this year's values moved into
//! `history` (the charts of the new year show them) and their targets left for the editor to
//! rewrite (`check` lists each one); the plan's chapters stay and its tasks go; facilities,
//! free pages, Environment Day, themes and every archived snapshot are copied as they are, so
//! every page and quarter published so far stays online under the same URL.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use super::{check_year, Files};
use crate::content::load;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::area::Areas;
use crate::model::indicator::Indicator;
use crate::model::period::Quarter;
use crate::model::ArchiveEntry;
use crate::site::{BuildOptions, Site};

pub struct Settings {
    /// The new year; the old site's next year when not given.
    pub year: Option<i32>,
    pub title: Option<String>,
    pub organization: Option<String>,
}

/// Every file of the new site. The old site is loaded and validated the way a build does, so
/// what is carried over is what was published, and a broken old site is reported first.
pub fn files(old: &Path, settings: &Settings) -> Result<Files, Vec<Diagnostic>> {
    let site = Site::load(&BuildOptions {
        root: old.to_path_buf(),
        drafts: false,
        base_url: None,
    })?;
    let model = &site.model;
    let Some(old_year) = model.config.year else {
        return Err(vec![Diagnostic::error(
            Code::Usage,
            "原网站的 site.yaml 没有写报告年度 year，无法确定下一年",
            "the old site's site.yaml gives no year",
        )
        .in_file("content/site.yaml")]);
    };
    let year = settings.year.unwrap_or(old_year + 1);
    check_year(year).map_err(|d| vec![d])?;
    if year <= old_year {
        return Err(vec![Diagnostic::error(
            Code::Usage,
            format!("新网站的年度 {year} 应晚于原网站的 {old_year} 年"),
            format!("the new year {year} must come after the old site's {old_year}"),
        )
        .with_hint(format!("例如 --year {}", old_year + 1))]);
    }
    let years = Years {
        old: old_year,
        new: year,
    };
    let previous = final_snapshot(&model.archives, old_year);

    let (content, mut errors) = load::read_tree(old, &old.join("content"));
    let mut files: Files = Vec::new();
    for (path, bytes) in content {
        let bytes = match path.as_str() {
            "site.yaml" => {
                let text = String::from_utf8_lossy(&bytes);
                site_yaml(&text, years, settings, previous).into_bytes()
            }
            "areas.yaml" => areas_yaml(&model.areas, years).into_bytes(),
            // A new year's summaries report on the new plan; last year's stay in the archives.
            p if p.starts_with("summaries/") => continue,
            p if p.starts_with("indicators/") => {
                let rel = format!("content/{p}");
                match model.indicators.iter().find(|i| i.source.path == rel) {
                    Some(indicator) => indicator_yaml(indicator, years).into_bytes(),
                    None => bytes,
                }
            }
            "pages/about.md" => match previous {
                Some(entry) => {
                    let text = String::from_utf8_lossy(&bytes);
                    about_page(&text, years, entry).into_bytes()
                }
                None => bytes,
            },
            _ => bytes,
        };
        files.push((format!("content/{path}"), bytes));
    }
    for folder in ["themes", "archive"] {
        let (tree, mut unreadable) = load::read_tree(old, &old.join(folder));
        errors.append(&mut unreadable);
        files.extend(
            tree.into_iter()
                .map(|(path, bytes)| (format!("{folder}/{path}"), bytes)),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(files)
}

#[derive(Clone, Copy)]
struct Years {
    old: i32,
    new: i32,
}

/// The snapshot that closes the old year: the annual one when there is one, else its latest
/// quarter's.
fn final_snapshot(archives: &[ArchiveEntry], year: i32) -> Option<&ArchiveEntry> {
    let annual = year.to_string();
    let quarter_prefix = format!("{year}-");
    archives.iter().find(|a| a.period == annual).or_else(|| {
        archives
            .iter()
            .filter(|a| a.period.starts_with(&quarter_prefix))
            .max_by(|a, b| a.period.cmp(&b.period))
    })
}

/// The old site.yaml line by line, so that its comments stay: the year moves on (in the title
/// and description too), `--title` and `--organization` replace theirs, and the previous year's
/// final snapshot is named at the end.
fn site_yaml(
    text: &str,
    years: Years,
    settings: &Settings,
    previous: Option<&ArchiveEntry>,
) -> String {
    let (old, new) = (years.old.to_string(), years.new.to_string());
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::new();
    for line in text.lines() {
        let key = line.split(':').next().unwrap_or("");
        let replaced = match key {
            "year" => format!("year: {new}"),
            "title" if settings.title.is_some() => {
                format!("title: {}", quote(settings.title.as_deref().unwrap_or("")))
            }
            "organization" if settings.organization.is_some() => format!(
                "organization: {}",
                quote(settings.organization.as_deref().unwrap_or(""))
            ),
            "title" | "title_en" | "description" => line.replace(&old, &new),
            _ => line.to_string(),
        };
        out.push_str(&replaced);
        out.push('\n');
    }
    if let Some(entry) = previous {
        let _ = write!(
            out,
            "\n# 上一年度（{old}年）的最终存档，与全部往期存档一起在“往期报告”(archive/) 中保持在线：\n# archive/{}/report.html\n",
            entry.period
        );
    }
    out
}

/// The plan's chapters and sections as they were, without their tasks and introductions: the
/// new plan brings its own, and indicators still name these areas.
fn areas_yaml(areas: &Areas, years: Years) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = format!(
        "# {new}年工作要点的各个部分（领域）及其重点任务。\n\
         # 各部分沿用{old}年的网站；请按{new}年的工作要点改写，并在各部分下添加重点任务(tasks)。\n\
         # id 用于网址，指标的 area 也用它，请不要改；text 是工作要点原文，lead 牵头单位，due 完成时限（如 {new}-Q4）。\n\
         # 例如：\n\
         #   tasks:\n\
         #     - {{ id: air-01, text: …, lead: 大气环境科 }}\n",
        old = years.old,
        new = years.new
    );
    for area in areas.iter() {
        let _ = write!(out, "\n- id: {}\n", area.id);
        if let Some(number) = &area.number {
            let _ = writeln!(out, "  number: {}", quote(number));
        }
        let _ = writeln!(out, "  name: {}", quote(&area.name));
        if area.short_name != area.name {
            let _ = writeln!(out, "  short_name: {}", quote(&area.short_name));
        }
        if let Some(parent) = &area.parent {
            let _ = writeln!(out, "  parent: {parent}");
        }
        let _ = writeln!(out, "  order: {}", area.order);
    }
    out
}

/// An indicator file with the old year's values moved into `history`: a quarter's value as
/// `{ period: 2024-Q1, value }`, the fourth quarter's (the year's own, values being year to
/// date) as `{ period: 2024, value }`. Flags and notes, which history has no field for, follow
/// as a comment. Everything else of the file stays as written.
fn indicator_yaml(indicator: &Indicator, years: Years) -> String {
    let text = &indicator.source.text;
    let mut annual = indicator.history.clone();
    let mut by_quarter = indicator.quarter_history.clone();
    let mut notes: Vec<(String, String)> = Vec::new();
    for q in &indicator.quarters {
        let Some(value) = q.value else { continue };
        // A period the history already gives keeps the value written there.
        let period = if q.quarter.number == 4 {
            if !annual.iter().any(|(y, _)| *y == q.quarter.year) {
                annual.push((q.quarter.year, value));
            }
            q.quarter.year.to_string()
        } else {
            if !by_quarter.iter().any(|(h, _)| *h == q.quarter) {
                by_quarter.push((q.quarter, value));
            }
            q.quarter.to_string()
        };
        let remark: Vec<&str> = q
            .flag
            .map(|f| f.label())
            .into_iter()
            .chain(q.note.as_deref())
            .collect();
        if !remark.is_empty() {
            notes.push((period, remark.join("；")));
        }
    }
    annual.sort_by_key(|(y, _)| *y);
    by_quarter.sort_by_key(|(q, _)| *q);

    let mut blocks = format!(
        "# {new}年各季度末的年内累计值，例如 - {{ period: {new}-Q1, value: … }}；{old}年的数值已移入 history\nvalues: []\n",
        old = years.old,
        new = years.new
    );
    if indicator.kind == crate::model::status::Kind::Qualitative {
        let _ = writeln!(
            blocks,
            "# 定性目标没有数值：{}年各季度的判定和依据保留在往期存档中",
            years.old
        );
    }
    blocks.push_str(
        "# 往年的数值：全年写 { period: 年份, value: … }，某季度写 { period: 年份-Q3, value: … }\n",
    );
    if annual.is_empty() && by_quarter.is_empty() {
        blocks.push_str("history: []\n");
    } else {
        blocks.push_str("history:\n");
        let periods = annual
            .iter()
            .map(|(y, v)| (y.to_string(), *v))
            .chain(by_quarter.iter().map(|(q, v)| (q.to_string(), *v)));
        for (period, value) in periods {
            let _ = write!(blocks, "  - {{ period: {period}, value: {value} }}");
            if let Some((_, remark)) = notes.iter().find(|(p, _)| *p == period) {
                let _ = write!(blocks, "   # {remark}");
            }
            blocks.push('\n');
        }
    }

    // Replaced from the end of the file, so that the earlier range stays where it was.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let values = top_level_block(text, "values");
    let history = top_level_block(text, "history");
    match (values, history) {
        (Some(v), Some(h)) => {
            edits.push((v, blocks));
            edits.push((h, String::new()));
        }
        (Some(at), None) | (None, Some(at)) => edits.push((at, blocks)),
        (None, None) => edits.push((text.len()..text.len(), blocks)),
    }
    if let Some(target) = top_level_block(text, "target") {
        let note = format!(
            "# 以下目标沿用{old}年：请按{new}年的工作要点核对改写，并把 source 改为{new}年的文件名称\n",
            old = years.old,
            new = years.new
        );
        edits.push((target.start..target.start, note));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    out
}

/// The lines of a top-level key and its value: from `key:` at the start of a line to the last
/// line indented under it or listed under it (`- …` at the start of a line). Comment lines
/// after the block belong to what follows.
fn top_level_block(text: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        let next = offset + line.len();
        match start {
            None => {
                if line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
                {
                    start = Some(offset);
                    end = next;
                }
            }
            Some(_) => {
                let body = line.trim();
                let inside = line.starts_with(' ') || line.starts_with('-');
                if inside && !body.is_empty() && !body.starts_with('#') {
                    end = next;
                } else if !body.is_empty() && !body.starts_with('#') {
                    break;
                }
            }
        }
        offset = next;
    }
    start.map(|s| s..end)
}

/// The old about page with a paragraph that links the previous year's final report, which
/// stays online where it was.
fn about_page(text: &str, years: Years, entry: &ArchiveEntry) -> String {
    let label = Quarter::parse(&entry.period)
        .map_or_else(|| format!("{}年", entry.period), |q| q.chinese());
    let mut out = text.trim_end().to_string();
    let _ = write!(
        out,
        "\n\n## 往年报告\n\n{old}年的工作进展已经存档，原来的网址继续有效：[{label}报告（存档）](../archive/{period}/report.html)。全部存档见[往期报告](../archive/)。\n",
        old = years.old,
        period = entry.period
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_level_block_ends_before_the_next_key_and_its_comments() {
        let text = "id: x\nvalues:\n  - { period: 2024-Q1, value: 1 }\n\n  - { period: 2024-Q2, value: 2 }\n# 往年\nhistory:\n- { period: 2023, value: 3 }\n";
        let values = top_level_block(text, "values").unwrap();
        assert_eq!(
            &text[values],
            "values:\n  - { period: 2024-Q1, value: 1 }\n\n  - { period: 2024-Q2, value: 2 }\n"
        );
        let history = top_level_block(text, "history").unwrap();
        assert_eq!(&text[history], "history:\n- { period: 2023, value: 3 }\n");
        assert_eq!(top_level_block(text, "value"), None);
    }

    #[test]
    fn the_fourth_quarter_is_the_years_value_and_flags_become_comments() {
        let areas = Areas::parse(&crate::source::SourceFile::new(
            "content/areas.yaml",
            "- id: air\n  name: 蓝天\n",
        ))
        .unwrap();
        let text = "id: c\nname: 数\narea: air\nunit: 个\nkind: cumulative\ntarget: { comparator: \">=\", value: 28, text: 28个以上 }\nvalues:\n  - { period: 2024-Q3, value: 20, flag: estimated }\n  - { period: 2024-Q4, value: 30, note: 全年 }\n# 末尾的注释\n";
        let file = crate::source::SourceFile::new("content/indicators/c.yaml", text);
        let indicator = Indicator::parse(&file, &areas, 2024).unwrap();
        let out = indicator_yaml(
            &indicator,
            Years {
                old: 2024,
                new: 2025,
            },
        );
        assert!(out.contains("values: []\n"), "{out}");
        assert!(out.contains("history:\n  - { period: 2024, value: 30 }   # 全年\n  - { period: 2024-Q3, value: 20 }   # 估算\n"), "{out}");
        assert!(out.ends_with("# 末尾的注释\n"), "{out}");
        let rolled = crate::source::SourceFile::new("content/indicators/c.yaml", &out);
        let next = Indicator::parse(&rolled, &areas, 2025).unwrap();
        assert_eq!(next.history, [(2024, 30.0)]);
        assert!(next.quarters.iter().all(|q| q.value.is_none()));
    }

    #[test]
    fn the_years_title_moves_on_and_comments_stay() {
        let text = "# 站点设置\ntitle: 某局 · 2024年工作进展   # 名称\nyear: 2024\norganization: 某局\nfooter:\n  site_code: \"2024\"\n";
        let settings = Settings {
            year: None,
            title: None,
            organization: Some("新局".into()),
        };
        let years = Years {
            old: 2024,
            new: 2025,
        };
        let out = site_yaml(text, years, &settings, None);
        assert_eq!(
            out,
            "# 站点设置\ntitle: 某局 · 2025年工作进展   # 名称\nyear: 2025\norganization: \"新局\"\nfooter:\n  site_code: \"2024\"\n"
        );
    }
}
