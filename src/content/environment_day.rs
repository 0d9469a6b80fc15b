//! World Environment Day (六五环境日, `content/environment-day/`): the introduction
//! (`index.md`) and one file a year (`<year>.yaml`) with the national theme, the city's
//! main-venue event, the schedule, the photo contest and the downloads.

use crate::content::unknown;
use crate::model::environment_day::{Contest, Download, EnvironmentDay, Event, Intro, Winner};
use serde::Deserialize;

use crate::content::facility::content_path;
use crate::content::field::{missing, required_date};
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
    let whole = 0..file.text.len();
    let locate = |key: &str| file.find_key(whole.clone(), key).unwrap_or(0..0);
    let mut errors = Vec::new();
    let stem_year = file
        .path
        .rsplit('/')
        .next()
        .and_then(|name| name.split('.').next())
        .and_then(|stem| stem.parse::<i32>().ok());
    let year = match (raw.year, stem_year) {
        (Some(y), Some(s)) if y == s => y,
        (Some(y), _) => {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("年份 {y} 与文件名不一致"),
                    "year does not match the file name",
                )
                .at(file, locate("year"))
                .with_hint("文件名应为 <年份>.yaml，例如 2024.yaml 中写 year: 2024"),
            );
            y
        }
        (None, Some(s)) => s,
        (None, None) => {
            errors.push(missing(file, locate("year"), "year", "年份", "year: 2024"));
            0
        }
    };
    let theme = crate::content::field::text(&raw.theme);
    if theme.is_empty() {
        errors.push(missing(
            file,
            locate("theme"),
            "theme",
            "当年的六五环境日主题",
            "theme: 全面推进美丽中国建设",
        ));
    }

    // Entries of lists are located by the text that starts them.
    let entry_starts = |list_key: &str, first_key: &str| {
        let at = file
            .find_key(whole.clone(), list_key)
            .map_or(file.text.len(), |r| r.start);
        let next_top = file.text[at..]
            .split_inclusive('\n')
            .scan(at, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line))
            })
            .skip(1)
            .find(|(_, line)| {
                !line.starts_with(' ')
                    && !line.starts_with('-')
                    && !line.trim().is_empty()
                    && !line.starts_with('#')
            })
            .map_or(file.text.len(), |(start, _)| start);
        let starts: Vec<usize> = file
            .key_offsets(at, first_key)
            .into_iter()
            .filter(|&s| s < next_top)
            .collect();
        (starts, next_top)
    };
    let region = |starts: &[usize], end: usize, i: usize| {
        let start = starts.get(i).copied().unwrap_or(0);
        start..starts.get(i + 1).copied().unwrap_or(end)
    };

    let event = |raw: &RawEvent,
                 span: std::ops::Range<usize>,
                 errors: &mut Vec<Diagnostic>|
     -> Option<Event> {
        let locate = |key: &str| {
            file.find_value(span.start, span.end, key)
                .unwrap_or(span.start..span.start)
        };
        let title = crate::content::field::text(&raw.title);
        if title.is_empty() {
            errors.push(missing(
                file,
                locate("title"),
                "title",
                "活动名称",
                "title: 六五环境日主场活动",
            ));
        }
        let date = required_date(
            file,
            locate("date"),
            &raw.date,
            "活动日期",
            "date: 2024-06-05",
            errors,
        )
        .and_then(|d| {
            if d.year != year && year != 0 {
                errors.push(
                    Diagnostic::error(
                        Code::BadDate,
                        format!("活动日期 {d} 不在 {year} 年"),
                        format!("event date {d} is not in {year}"),
                    )
                    .at(file, locate("date")),
                );
                return None;
            }
            Some(d)
        });
        let optional = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| t.as_str().to_string())
                .filter(|t| !t.is_empty())
        };
        let date = date?;
        (!title.is_empty()).then(|| Event {
            date: date.to_string(),
            date_text: date.chinese(),
            time: optional(&raw.time),
            title,
            place: optional(&raw.place),
            organizer: optional(&raw.organizer),
            summary: raw.summary.clone(),
        })
    };

    let main_event = raw.main_event.as_ref().and_then(|m| {
        let at = file
            .find_key(whole.clone(), "main_event")
            .map_or(0, |r| r.start);
        let end = file
            .find_key(at + 1..file.text.len(), "events")
            .map_or(file.text.len(), |r| r.start);
        event(m, at..end, &mut errors)
    });
    let (starts, end) = entry_starts("events", "date");
    let mut events: Vec<Event> = raw
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| event(e, region(&starts, end, i), &mut errors))
        .collect();
    events.sort_by(|a, b| (&a.date, &a.time).cmp(&(&b.date, &b.time)));

    let contest = raw.photo_contest.as_ref().map(|c| {
        let (starts, end) = entry_starts("winners", "award");
        let (starts, end) = if starts.len() == c.winners.len() {
            (starts, end)
        } else {
            entry_starts("winners", "title")
        };
        let winners = c
            .winners
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let span = region(&starts, end, i);
                let locate = |key: &str| {
                    file.find_value(span.start, span.end, key)
                        .unwrap_or(span.start..span.start)
                };
                let title = crate::content::field::text(&w.title);
                if title.is_empty() {
                    errors.push(missing(
                        file,
                        locate("title"),
                        "title",
                        "作品名称",
                        "title: 江城晨曦",
                    ));
                }
                let alt = crate::content::field::text(&w.alt);
                if alt.is_empty() {
                    errors.push(
                        Diagnostic::error(
                            Code::MissingField,
                            format!("获奖作品“{title}”缺少替代文字 alt"),
                            "photo without alt text",
                        )
                        .at(file, locate("image"))
                        .with_hint(
                            "用一句话描述画面内容，供读屏软件朗读，例如 alt: 晨雾中的长江芜湖段",
                        ),
                    );
                }
                let image = reference(
                    file,
                    w.image.as_ref(),
                    locate("image"),
                    file_size,
                    &mut errors,
                    "图片",
                );
                (!title.is_empty() && !alt.is_empty()).then_some(())?;
                Some(Winner {
                    award: w.award.as_ref().map(|t| t.as_str().to_string()),
                    title,
                    author: w.author.as_ref().map(|t| t.as_str().to_string()),
                    image: image?.0,
                    alt,
                })
            })
            .collect();
        Contest {
            title: c
                .title
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "生态环境保护主题摄影大赛".to_string()),
            summary: c.summary.clone(),
            winners,
        }
    });

    let (starts, end) = entry_starts("downloads", "title");
    let downloads = raw
        .downloads
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let span = region(&starts, end, i);
            let locate = |key: &str| {
                file.find_value(span.start, span.end, key)
                    .unwrap_or(span.start..span.start)
            };
            let title = crate::content::field::text(&d.title);
            if title.is_empty() {
                errors.push(missing(
                    file,
                    locate("title"),
                    "title",
                    "下载文件的名称",
                    "title: 宣传海报",
                ));
            }
            let (path, bytes) = reference(
                file,
                d.file.as_ref(),
                locate("file"),
                file_size,
                &mut errors,
                "文件",
            )?;
            let format = path
                .rsplit_once('.')
                .map_or("文件".to_string(), |(_, ext)| ext.to_ascii_uppercase());
            Some(Download {
                title,
                file: path,
                format,
                bytes,
            })
        })
        .collect();

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
        source: file.clone(),
    })
}

/// A file a content file refers to: its path under `content/` and its size, or a diagnostic.
fn reference(
    file: &SourceFile,
    written: Option<&Text>,
    span: std::ops::Range<usize>,
    file_size: &dyn Fn(&str) -> Option<usize>,
    errors: &mut Vec<Diagnostic>,
    what: &str,
) -> Option<(String, usize)> {
    let Some(written) = written.map(Text::as_str).filter(|w| !w.is_empty()) else {
        errors.push(missing(
            file,
            span,
            "file",
            what,
            "image: images/2024/photo-1.jpg",
        ));
        return None;
    };
    match content_path(file, written) {
        Err(problem) => {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("{what}路径“{written}”无效：{problem}"),
                    "invalid path",
                )
                .at(file, span),
            );
            None
        }
        Ok(path) => match file_size(&path) {
            Some(bytes) => Some((path, bytes)),
            None => {
                errors.push(
                    Diagnostic::error(
                        Code::MissingFile,
                        format!("找不到{what} content/{path}"),
                        format!("content/{path} does not exist"),
                    )
                    .at(file, span)
                    .with_hint("路径相对于本 YAML 文件所在的文件夹；检查文件名和大小写"),
                );
                None
            }
        },
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
