//! World Environment Day (六五环境日): a year's theme, events, photo contest and downloads.

use serde::Serialize;

use super::body::Body;
use crate::source::SourceFile;

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub date: String,
    pub date_text: String,
    pub time: Option<String>,
    pub title: String,
    pub place: Option<String>,
    pub organizer: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Winner {
    pub award: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Path under `content/`.
    pub image: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contest {
    pub title: String,
    pub summary: Option<String>,
    pub winners: Vec<Winner>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub title: String,
    /// Path under `content/`.
    pub file: String,
    /// `PDF`, `JPG`, …
    pub format: String,
    pub bytes: usize,
}

#[derive(Debug, Clone)]
pub struct EnvironmentDay {
    pub year: i32,
    pub theme: String,
    pub theme_note: Option<String>,
    pub main_event: Option<Event>,
    pub events: Vec<Event>,
    pub contest: Option<Contest>,
    pub downloads: Vec<Download>,
    /// When its page was published, when the file says.
    pub date: Option<super::period::Date>,
    pub source: SourceFile,
}

/// The introduction of the section (`content/environment-day/index.md`).
#[derive(Debug, Clone)]
pub struct Intro {
    pub title: String,
    pub body: Body,
}
