//! World Environment Day (六五环境日, `content/environment-day/`): the introduction
//! (`index.md`) and one file a year (`<year>.yaml`) with the national theme, the city's
//! main-venue event, the schedule, the photo contest and the downloads.

use crate::content::unknown;
use crate::model::environment_day::{EnvironmentDay, Intro};
use serde::Deserialize;
use std::ops::Range;

mod entries;

use crate::content::field::missing;
use crate::content::front_matter;
use crate::content::shortcode;
use crate::content::yaml::{self, Text};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

/// Warnings for the top-level keys no field reads (usually a typo); keys of nested data are
/// refused by the parse itself.
pub fn unknown_fields(file: &SourceFile) -> Vec<Diagnostic> {
    unknown::in_document::<RawYear>(file)
}

/// Warnings for the keys of the introduction's front matter that no field reads.
pub fn unknown_intro_fields(file: &SourceFile) -> Vec<Diagnostic> {
    unknown::in_front_matter::<RawIntro>(file)
}

#[derive(Debug, Deserialize)]
struct RawYear {
    year: Option<i32>,
    theme: Option<Text>,
    #[serde(default)]
    theme_note: Option<String>,
    #[serde(default)]
    main_event: Option<RawEvent>,
    #[serde(default)]
    events: Vec<RawEvent>,
    #[serde(default)]
    photo_contest: Option<RawContest>,
    #[serde(default)]
    downloads: Vec<RawDownload>,
    /// When the year's page was published (发布时间).
    #[serde(default)]
    date: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: Option<Text>,
    #[serde(default)]
    time: Option<Text>,
    title: Option<Text>,
    #[serde(default)]
    place: Option<Text>,
    #[serde(default)]
    organizer: Option<Text>,
    #[serde(default)]
    summary: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContest {
    title: Option<Text>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    winners: Vec<RawWinner>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWinner {
    #[serde(default)]
    award: Option<Text>,
    title: Option<Text>,
    #[serde(default)]
    author: Option<Text>,
    image: Option<Text>,
    #[serde(default)]
    alt: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDownload {
    title: Option<Text>,
    file: Option<Text>,
}

#[derive(Debug, Deserialize)]
struct RawIntro {
    title: Option<Text>,
}

pub fn parse_intro(
    file: &SourceFile,
    allow_raw_html: bool,
    indicator_exists: &dyn Fn(&str) -> bool,
) -> Result<Intro, Vec<Diagnostic>> {
    let (raw, body): (RawIntro, _) = front_matter::read(file).map_err(|d| vec![d])?;
    let (body, errors) = shortcode::render_body(file, body, allow_raw_html, indicator_exists);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Intro {
        title: raw
            .title
            .map(|t| t.as_str().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "六五环境日".to_string()),
        body,
    })
}

/// Reads `<year>.yaml`. `file_size` gives the size of a file under `content/`, `None` when it
/// does not exist.
pub fn parse_year(
    file: &SourceFile,
    file_size: &dyn Fn(&str) -> Option<usize>,
) -> Result<EnvironmentDay, Vec<Diagnostic>> {
    let raw: RawYear = yaml::parse_file(file).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let year = year(file, raw.year, &mut errors);
    let theme = crate::content::field::text(&raw.theme);
    if theme.is_empty() {
        errors.push(missing(
            file,
            locate_top(file, "theme"),
            "theme",
            "当年的六五环境日主题",
            "theme: 全面推进美丽中国建设",
        ));
    }
    let entries = entries::Entries {
        file,
        year,
        file_size,
    };
    let main_event = raw
        .main_event
        .as_ref()
        .and_then(|m| entries.main_event(m, &mut errors));
    let events = entries.events(&raw.events, &mut errors);
    let contest = raw
        .photo_contest
        .as_ref()
        .map(|c| entries.contest(c, &mut errors));
    let downloads = entries.downloads(&raw.downloads, &mut errors);
    let span = file.find_key(0..file.text.len(), "date").unwrap_or(0..0);
    let date = crate::content::field::optional_date(file, span, &raw.date, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(EnvironmentDay {
        year,
        theme,
        theme_note: raw.theme_note,
        main_event,
        events,
        contest,
        downloads,
        date,
        source: file.clone(),
    })
}

/// Where a top-level key is written (the start of the file when it is not).
fn locate_top(file: &SourceFile, key: &str) -> Range<usize> {
    file.find_key(0..file.text.len(), key).unwrap_or(0..0)
}

/// The year is written twice, in the file name and in `year:`; a file copied from last year
/// and not fully updated is caught when they disagree.
fn year(file: &SourceFile, written: Option<i32>, errors: &mut Vec<Diagnostic>) -> i32 {
    let stem_year = file
        .path
        .rsplit('/')
        .next()
        .and_then(|name| name.split('.').next())
        .and_then(|stem| stem.parse::<i32>().ok());
    match (written, stem_year) {
        (Some(y), Some(s)) if y == s => y,
        (Some(y), _) => {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("年份 {y} 与文件名不一致"),
                    "year does not match the file name",
                )
                .at(file, locate_top(file, "year"))
                .with_hint("文件名应为 <年份>.yaml，例如 2025.yaml 中写 year: 2025"),
            );
            y
        }
        (None, Some(s)) => s,
        (None, None) => {
            errors.push(missing(
                file,
                locate_top(file, "year"),
                "year",
                "年份",
                "year: 2025",
            ));
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: &str = "year: 2024\ntheme: 全面推进美丽中国建设\nmain_event:\n  date: 2024-06-05\n  title: 主场活动\nevents:\n  - { date: 2024-06-01, time: \"09:00\", title: 宣传, place: 广场 }\n  - { date: 2024-05-30, title: 开放日 }\nphoto_contest:\n  title: 摄影大赛\n  winners:\n    - { award: 一等奖, title: 江城, author: 张三, image: images/a.jpg, alt: 长江 }\ndownloads:\n  - { title: 海报, file: downloads/p.pdf }\n";

    fn size(path: &str) -> Option<usize> {
        [
            "environment-day/images/a.jpg",
            "environment-day/downloads/p.pdf",
        ]
        .contains(&path)
        .then_some(2048)
    }

    fn parse(text: &str) -> Result<EnvironmentDay, Vec<Diagnostic>> {
        parse_year(
            &SourceFile::new("content/environment-day/2024.yaml", text),
            &size,
        )
    }

    #[test]
    fn a_good_year() {
        let d = parse(YEAR).unwrap();
        assert_eq!(d.theme, "全面推进美丽中国建设");
        assert_eq!(d.events[0].date, "2024-05-30", "sorted by date");
        assert_eq!(
            d.contest.unwrap().winners[0].image,
            "environment-day/images/a.jpg"
        );
        assert_eq!(
            (d.downloads[0].format.as_str(), d.downloads[0].bytes),
            ("PDF", 2048)
        );
    }

    #[test]
    fn bad_dates_missing_alt_and_missing_files() {
        let text = YEAR
            .replace("2024-06-01", "2024-02-30")
            .replace("2024-05-30", "2023-05-30")
            .replace(", alt: 长江", "")
            .replace("downloads/p.pdf", "downloads/q.pdf");
        let found: Vec<_> = parse(&text)
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(
            found,
            [
                (Code::BadDate, 7),
                (Code::BadDate, 8),
                (Code::MissingField, 12),
                (Code::MissingFile, 14)
            ]
        );
    }

    #[test]
    fn year_must_match_the_file_name() {
        let found: Vec<_> = parse(&YEAR.replace("year: 2024", "year: 2023"))
            .unwrap_err()
            .iter()
            .map(|e| e.code)
            .collect();
        assert!(found.contains(&Code::BadValue));
    }
}
