//! Free pages (`content/pages/*.md`): about, methodology, the open-data licence. Each is
//! published at `/<slug>/` and listed in the navigation by `order`.

use crate::content::unknown;
use crate::model::page::Page;
use serde::Deserialize;

use crate::content::field::missing;
use crate::content::front_matter;
use crate::content::shortcode;
use crate::content::yaml::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::route::{slug_problem, slugify, RESERVED_SEGMENTS};
use crate::source::SourceFile;

/// Warnings for the front matter's keys no field reads (usually a typo such as `titel:`).
pub fn unknown_fields(file: &SourceFile) -> Vec<Diagnostic> {
    unknown::in_front_matter::<RawPage>(file)
}

#[derive(Debug, Deserialize)]
struct RawPage {
    title: Option<Text>,
    #[serde(default)]
    slug: Option<Text>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    order: Option<i64>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    date: Option<Text>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    keywords: Vec<Text>,
    #[serde(default)]
    time: Option<Text>,
}

impl Page {
    pub fn parse(
        file: &SourceFile,
        indicator_exists: &dyn Fn(&str) -> bool,
        allow_raw_html: bool,
    ) -> Result<Page, Vec<Diagnostic>> {
        let (raw, body): (RawPage, _) = front_matter::read(file).map_err(|d| vec![d])?;
        let front = 0..body.start;
        let locate = |key: &str| file.find_key(front.clone(), key).unwrap_or(0..3);
        let mut errors = Vec::new();
        let title = crate::content::field::text(&raw.title);
        if title.is_empty() {
            errors.push(missing(
                file,
                locate("title"),
                "title",
                "标题",
                "title: 关于本站",
            ));
        }
        let stem = file
            .path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .rsplit_once('.')
            .map_or("", |(s, _)| s);
        let slug = raw
            .slug
            .as_ref()
            .map_or_else(|| slugify(stem), |s| s.as_str().to_string());
        let problem = slug_problem(&slug).or_else(|| {
            RESERVED_SEGMENTS
                .contains(&slug.as_str())
                .then_some("是网站保留的栏目名，请换一个")
        });
        if let Some(problem) = problem {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("页面网址“{slug}”无效：{problem}"),
                    "invalid page slug",
                )
                .at(
                    file,
                    if raw.slug.is_some() {
                        locate("slug")
                    } else {
                        0..0
                    },
                )
                .with_hint("用 slug: 指定另一个网址，例如 slug: about"),
            );
        }
        let date =
            crate::content::field::optional_date(file, locate("date"), &raw.date, &mut errors);
        let provenance = crate::content::field::provenance(
            file,
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
            shortcode::render_body(file, body.clone(), allow_raw_html, indicator_exists);
        errors.append(&mut body_errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Page {
            slug,
            title,
            description: raw.description,
            date,
            provenance,
            order: raw.order.unwrap_or(100),
            draft: raw.draft,
            body: rendered,
            source: file.clone(),
            slug_span: if raw.slug.is_some() {
                locate("slug")
            } else {
                0..3
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_articles_date_time_and_keywords() {
        let f = SourceFile::new(
            "content/pages/about.md",
            "---\ntitle: 关于\ndate: 2024-05-20\ntime: \"09:30\"\nsource: 办公室\nkeywords: [关于本站]\n---\n正文\n",
        );
        let p = Page::parse(&f, &|_| false, false).unwrap();
        assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2024-05-20"));
        assert_eq!(p.provenance.time.as_deref(), Some("09:30"));
        assert_eq!(p.provenance.source.as_deref(), Some("办公室"));
        assert_eq!(p.provenance.keywords, ["关于本站"]);
        let bad = SourceFile::new(
            "content/pages/about.md",
            "---\ntitle: 关于\ndate: 2024-02-30\ntime: \"25:00\"\n---\n",
        );
        let errors = Page::parse(&bad, &|_| false, false).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
        assert_eq!(found, [(Code::BadDate, 3), (Code::BadDate, 4)]);
    }

    #[test]
    fn page_from_file_name() {
        let f = SourceFile::new(
            "content/pages/about.md",
            "---\ntitle: 关于本站\norder: 1\n---\n# 关于\n",
        );
        let p = Page::parse(&f, &|_| false, false).unwrap();
        assert_eq!((p.slug.as_str(), p.order), ("about", 1));
        assert_eq!(p.route().output_path(), "about/index.html");
    }

    #[test]
    fn reserved_and_escaping_slugs_are_refused() {
        let f = SourceFile::new("content/pages/summaries.md", "---\ntitle: x\n---\n");
        assert_eq!(
            Page::parse(&f, &|_| false, false).unwrap_err()[0].code,
            Code::BadPath
        );
        let f = SourceFile::new(
            "content/pages/x.md",
            "---\ntitle: x\nslug: ../../etc\n---\n",
        );
        let e = &Page::parse(&f, &|_| false, false).unwrap_err()[0];
        assert_eq!((e.code, e.line), (Code::BadPath, 3));
    }

    #[test]
    fn missing_front_matter_and_title() {
        let f = SourceFile::new("content/pages/x.md", "# 没有元数据\n");
        assert_eq!(
            Page::parse(&f, &|_| false, false).unwrap_err()[0].code,
            Code::FrontMatterMissing
        );
        let f = SourceFile::new("content/pages/x.md", "---\norder: 1\n---\n");
        assert_eq!(
            Page::parse(&f, &|_| false, false).unwrap_err()[0].code,
            Code::MissingField
        );
    }
}
