//! The minimal site `ecosite new` writes: the files under `site/` (compiled into the binary, so
//! the program needs nothing beside it), with the title, the organisation and the year filled
//! in. It builds, and `check` asks only for what the bureau alone can give (its footer ids).

use super::Files;

static SITE: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/src/cmd/new/site");

/// Used when `--organization` is not given and the title names no bureau: a placeholder an
/// editor sees at once, never another bureau's name.
const SOME_BUREAU: &str = "某市生态环境局";

pub struct Settings {
    pub title: String,
    pub organization: String,
    pub year: i32,
}

impl Settings {
    /// The organisation defaults to the bureau the title begins with (`马鞍山市生态环境局 2025年…`),
    /// the title to the organisation's progress site of the year.
    pub fn new(title: Option<&str>, organization: Option<&str>, year: i32) -> Settings {
        let title = title.map(str::trim).filter(|t| !t.is_empty());
        let organization = organization
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .or_else(|| title.and_then(bureau_of))
            .unwrap_or_else(|| SOME_BUREAU.to_string());
        let title = title
            .map(str::to_string)
            .unwrap_or_else(|| format!("{organization} · {year}年生态环境工作进展"));
        Settings {
            title,
            organization,
            year,
        }
    }
}

/// The name up to the first 局 of a title's first word, when there is one.
fn bureau_of(title: &str) -> Option<String> {
    let first = title.split_whitespace().next()?;
    let end = first.find('局')? + '局'.len_utf8();
    Some(first[..end].to_string())
}

/// Every file of the minimal site, by its path under the new folder.
pub fn files(settings: &Settings) -> Files {
    let mut files = Vec::new();
    collect(&SITE, settings, &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn collect(dir: &'static include_dir::Dir<'static>, settings: &Settings, files: &mut Files) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let text = String::from_utf8_lossy(file.contents());
        let filled = fill(&text, settings, path.ends_with(".yaml"));
        files.push((path, filled.into_bytes()));
    }
    for sub in dir.dirs() {
        collect(sub, settings, files);
    }
}

/// Fills the placeholders. In YAML the title and the organisation are written as quoted
/// scalars (a JSON string is one), so that a colon or a quote in them cannot break the file.
fn fill(text: &str, settings: &Settings, yaml: bool) -> String {
    let quote = |s: &str| {
        if yaml {
            serde_json::to_string(s).unwrap_or_default()
        } else {
            s.to_string()
        }
    };
    let description = format!(
        "本站按季度公开{}{}年生态环境工作要点各项目标的完成情况、工作进展和开放数据。",
        settings.organization, settings.year
    );
    text.replace("@TITLE@", &quote(&settings.title))
        .replace("@ORGANIZATION@", &quote(&settings.organization))
        .replace("@DESCRIPTION@", &quote(&description))
        .replace("@YEAR@", &settings.year.to_string())
        .replace("@TODAY@", &crate::model::period::Date::today().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(files: &Files, path: &str) -> String {
        match files.iter().find(|(p, _)| p == path) {
            Some((_, bytes)) => String::from_utf8(bytes.clone()).unwrap(),
            None => panic!("{path} is not written"),
        }
    }

    #[test]
    fn the_organisation_comes_from_the_title_or_is_a_placeholder() {
        let s = Settings::new(
            Some("马鞍山市生态环境局 2025年生态环境工作进展"),
            None,
            2025,
        );
        assert_eq!(s.organization, "马鞍山市生态环境局");
        let s = Settings::new(None, None, 2026);
        assert_eq!(s.organization, SOME_BUREAU);
        assert_eq!(s.title, "某市生态环境局 · 2026年生态环境工作进展");
        let s = Settings::new(Some("环境质量公开"), Some(" 黄山市生态环境局 "), 2025);
        assert_eq!(s.organization, "黄山市生态环境局");
    }

    #[test]
    fn every_placeholder_is_filled_and_yaml_values_are_quoted() {
        let files = files(&Settings::new(Some("标题：带冒号的\"名称\""), None, 2031));
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains('@'), "{path} keeps a placeholder");
        }
        let site = text_of(&files, "content/site.yaml");
        assert!(
            site.contains("title: \"标题：带冒号的\\\"名称\\\"\""),
            "{site}"
        );
        assert!(site.contains("year: 2031"));
        #[derive(serde::Deserialize)]
        struct Title {
            title: crate::content::yaml::Text,
        }
        let file = crate::source::SourceFile::new("content/site.yaml", &site);
        let parsed: Title = crate::content::yaml::parse_file(&file).unwrap();
        assert_eq!(parsed.title.as_str(), "标题：带冒号的\"名称\"");
    }
}
