//! The lists of a year's file (events, the photo contest's winners, downloads): each entry is
//! checked on its own and its problems are reported on its own lines.

use std::ops::Range;

use super::{RawContest, RawDownload, RawEvent, RawWinner};
use crate::content::facility::content_path;
use crate::content::field::{missing, required_date, text};
use crate::content::yaml::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::environment_day::{Contest, Download, Event, Winner};
use crate::source::SourceFile;

/// What checking an entry needs besides the entry: the file, the year every date must fall
/// in (0 when unknown) and the sizes of the files entries refer to.
pub(super) struct Entries<'a> {
    pub file: &'a SourceFile,
    pub year: i32,
    pub file_size: &'a dyn Fn(&str) -> Option<usize>,
}

impl Entries<'_> {
    /// The city's main-venue event: a single mapping, located up to the `events` list.
    pub fn main_event(&self, raw: &RawEvent, errors: &mut Vec<Diagnostic>) -> Option<Event> {
        let file = self.file;
        let at = file
            .find_key(0..file.text.len(), "main_event")
            .map_or(0, |r| r.start);
        let end = file
            .find_key(at + 1..file.text.len(), "events")
            .map_or(file.text.len(), |r| r.start);
        self.event(raw, at..end, errors)
    }

    /// The schedule, by date and time whatever the order it is written in.
    pub fn events(&self, raw: &[RawEvent], errors: &mut Vec<Diagnostic>) -> Vec<Event> {
        let (starts, end) = self.entry_starts("events", "date");
        let mut events: Vec<Event> = raw
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.event(e, region(&starts, end, i), errors))
            .collect();
        events.sort_by(|a, b| (&a.date, &a.time).cmp(&(&b.date, &b.time)));
        events
    }

    /// The contest's title defaults to the usual one, so that only the winners must be written.
    pub fn contest(&self, raw: &RawContest, errors: &mut Vec<Diagnostic>) -> Contest {
        // A winner's entry starts at `award:` when every winner has one, else at `title:`.
        let (starts, end) = self.entry_starts("winners", "award");
        let (starts, end) = if starts.len() == raw.winners.len() {
            (starts, end)
        } else {
            self.entry_starts("winners", "title")
        };
        let winners = raw
            .winners
            .iter()
            .enumerate()
            .filter_map(|(i, w)| self.winner(w, region(&starts, end, i), errors))
            .collect();
        Contest {
            title: raw
                .title
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "生态环境保护主题摄影大赛".to_string()),
            summary: raw.summary.clone(),
            winners,
        }
    }

    /// Files to download are published with their format and size, so each must exist.
    pub fn downloads(&self, raw: &[RawDownload], errors: &mut Vec<Diagnostic>) -> Vec<Download> {
        let (starts, end) = self.entry_starts("downloads", "title");
        raw.iter()
            .enumerate()
            .filter_map(|(i, d)| self.download(d, region(&starts, end, i), errors))
            .collect()
    }

    fn event(
        &self,
        raw: &RawEvent,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Event> {
        let file = self.file;
        let year = self.year;
        let locate = locate_in(file, span);
        let title = text(&raw.title);
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
            "date: 2025-06-05",
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
    }

    /// A winning photo is published, so it must exist and, to be accessible, have alt text.
    fn winner(
        &self,
        w: &RawWinner,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Winner> {
        let file = self.file;
        let locate = locate_in(file, span);
        let title = text(&w.title);
        if title.is_empty() {
            errors.push(missing(
                file,
                locate("title"),
                "title",
                "作品名称",
                "title: 江城晨曦",
            ));
        }
        let alt = text(&w.alt);
        if alt.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("获奖作品“{title}”缺少替代文字 alt"),
                    "photo without alt text",
                )
                .at(file, locate("image"))
                .with_hint("用一句话描述画面内容，供读屏软件朗读，例如 alt: 晨雾中的江边湿地"),
            );
        }
        let image = self.reference(w.image.as_ref(), locate("image"), errors, "图片");
        (!title.is_empty() && !alt.is_empty()).then_some(())?;
        Some(Winner {
            award: w.award.as_ref().map(|t| t.as_str().to_string()),
            title,
            author: w.author.as_ref().map(|t| t.as_str().to_string()),
            image: image?.0,
            alt,
        })
    }

    fn download(
        &self,
        d: &RawDownload,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Download> {
        let file = self.file;
        let locate = locate_in(file, span);
        let title = text(&d.title);
        if title.is_empty() {
            errors.push(missing(
                file,
                locate("title"),
                "title",
                "下载文件的名称",
                "title: 宣传海报",
            ));
        }
        let (path, bytes) = self.reference(d.file.as_ref(), locate("file"), errors, "文件")?;
        let format = path
            .rsplit_once('.')
            .map_or("文件".to_string(), |(_, ext)| ext.to_ascii_uppercase());
        Some(Download {
            title,
            file: path,
            format,
            bytes,
        })
    }

    /// A file a content file refers to: its path under `content/` and its size, or a diagnostic.
    fn reference(
        &self,
        written: Option<&Text>,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
        what: &str,
    ) -> Option<(String, usize)> {
        let file = self.file;
        let Some(written) = written.map(Text::as_str).filter(|w| !w.is_empty()) else {
            errors.push(missing(
                file,
                span,
                "file",
                what,
                "image: images/2025/photo-1.jpg",
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
            Ok(path) => match (self.file_size)(&path) {
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

    /// Entries of lists are located by the text that starts them: the offsets of `first_key`
    /// in the list, and where the list ends (the next top-level key).
    fn entry_starts(&self, list_key: &str, first_key: &str) -> (Vec<usize>, usize) {
        let file = self.file;
        let at = file
            .find_key(0..file.text.len(), list_key)
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
    }
}

/// The i-th entry's span: from its start to the next entry's, the last one to the list's end.
fn region(starts: &[usize], end: usize, i: usize) -> Range<usize> {
    let start = starts.get(i).copied().unwrap_or(0);
    start..starts.get(i + 1).copied().unwrap_or(end)
}

/// Where a key of one entry is written (the entry's start when it is not).
fn locate_in(file: &SourceFile, span: Range<usize>) -> impl Fn(&str) -> Range<usize> + '_ {
    move |key| {
        file.find_value(span.start, span.end, key)
            .unwrap_or(span.start..span.start)
    }
}
