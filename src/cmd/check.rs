//! `ecosite check`: load, validate and render in memory, then check the result without writing
//! anything: every internal link and image resolves to a generated file (and its `#anchor` to an
//! id on it), every content file is used, and the footer carries the ids every government site
//! must show. Findings are diagnostics like any other.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::config::base_path;
use crate::model::period::{days_between, Date};
use crate::model::task::TaskStatus;
use crate::model::Model;
use crate::output::Output;
use crate::site::{BuildOptions, Site};
use crate::source::SourceFile;
use crate::text::percent_decode_lossy;

/// What `check` looked at, for its one-line summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub pages: usize,
    pub links: usize,
}

/// The values of every `href=` and `src=` attribute of a page (quoted or not, as minified).
pub fn links(html: &str) -> Vec<String> {
    ["href=", "src="]
        .into_iter()
        .flat_map(|attribute| attribute_values(html, attribute))
        .map(|value| value.replace("&amp;", "&"))
        .collect()
}

/// The ids of a page, for `#anchor` links.
fn ids(html: &str) -> HashSet<String> {
    attribute_values(html, "id=")
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The values of one attribute (`attribute` ends with `=`) wherever it follows whitespace in a
/// tag, quoted or not, as minified HTML writes them.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(attribute) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + attribute.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        found.push(value);
    }
    found
}

/// The output path a link from `page` names, `None` for links that leave the site.
fn target(page: &str, link: &str, base: &str) -> Option<(String, Option<String>)> {
    if link.is_empty()
        || link.contains("://")
        || link.starts_with("//")
        || link.contains(':') && !link.starts_with('/') && !link.starts_with('#')
    {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode_lossy(f))),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = percent_decode_lossy(path);
    let resolved = if path.is_empty() {
        page.to_string()
    } else if let Some(absolute) = path.strip_prefix('/') {
        match format!("/{absolute}").strip_prefix(base) {
            Some(inside) => inside.to_string(),
            None => format!("../outside-the-site{path}"),
        }
    } else {
        let mut parts: Vec<&str> = page.split('/').collect();
        parts.pop();
        for segment in path.split('/') {
            match segment {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        if path.ends_with('/') {
            format!("{joined}/")
        } else {
            joined
        }
    };
    let file = if resolved.is_empty() || resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved
    };
    Some((file, fragment))
}

/// The file a page is made of: a summary's is unpacked only when a link in it is broken.
enum PageSource<'a> {
    Summary(&'a crate::model::summary::Summary),
    Page(&'a SourceFile),
}

impl PageSource<'_> {
    fn file(&self) -> Cow<'_, SourceFile> {
        match self {
            PageSource::Summary(s) => Cow::Owned(s.file()),
            PageSource::Page(file) => Cow::Borrowed(file),
        }
    }
}

/// Where a link stands in the source file of a page, when the page has one.
fn locate(source: Option<&SourceFile>, link: &str, page: &str) -> Diagnostic {
    // Markdown percent-encodes Chinese in links; the editor wrote and wants to read it plain.
    let link = percent_decode_lossy(link);
    let link = link.as_str();
    let message = format!("链接“{link}”指向不存在的页面或文件");
    let d = Diagnostic::error(
        Code::BrokenLink,
        message,
        format!("broken link `{link}` on {page}"),
    );
    match source {
        Some(file) => match file.text.find(link) {
            Some(at) => d.at(file, at..at + link.len()),
            None => d.in_file(&file.path),
        },
        None => d.in_file(format!("public/{page}")),
    }
}

/// Checks the rendered site; returns the findings (errors and warnings).
/// `today` is the date the freshness rules are measured against (`check --today`).
pub fn check_output(
    model: &Model,
    output: &Output,
    today: Option<Date>,
) -> (Vec<Diagnostic>, Summary) {
    let base = base_path(&model.config.base_url);
    let mut sources: HashMap<String, PageSource> = HashMap::new();
    for s in &model.summaries {
        sources.insert(s.route().output_path(), PageSource::Summary(s));
    }
    for p in &model.pages {
        sources.insert(p.route().output_path(), PageSource::Page(&p.source));
    }
    let mut diagnostics = Vec::new();
    let mut summary = Summary::default();
    let mut referenced: HashSet<String> = HashSet::new();
    let mut id_cache: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for (page, bytes) in output.iter().filter(|(p, _)| p.ends_with(".html")) {
        summary.pages += 1;
        let html = String::from_utf8_lossy(bytes);
        let mut seen = HashSet::new();
        for link in links(&html) {
            let Some((file, fragment)) = target(page, &link, &base) else {
                continue;
            };
            summary.links += 1;
            referenced.insert(file.clone());
            if !seen.insert(link.clone()) {
                continue;
            }
            let Some(target_bytes) = output.get(&file) else {
                let all: Vec<&str> = output.iter().map(|(p, _)| p).collect();
                let d = locate(
                    sources.get(page).map(PageSource::file).as_deref(),
                    &link,
                    page,
                );
                let d = match nearest(&file, all.iter().copied()) {
                    Some(near) => d.with_hint(format!(
                        "是否想链接到 {base}{}？",
                        near.trim_end_matches("index.html")
                    )),
                    None => d.with_hint(
                        "检查链接的拼写；站内链接可写相对路径，例如 ../2025-q1-blue-sky/",
                    ),
                };
                diagnostics.push(d);
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = id_cache
                    .entry(file.clone())
                    .or_insert_with(|| ids(&String::from_utf8_lossy(target_bytes)));
                if !ids.contains(&fragment) {
                    diagnostics.push(
                        locate(
                            sources.get(page).map(PageSource::file).as_deref(),
                            &link,
                            page,
                        )
                        .with_hint(format!(
                            "页面存在，但没有 #{fragment} 这个位置；检查标题或锚点的写法"
                        )),
                    );
                }
            }
        }
    }
    // Content files nobody links to are probably forgotten (or misspelt in a link).
    for asset in &model.assets {
        if asset.path.starts_with("archive/") || referenced.contains(&asset.path) {
            continue;
        }
        let thumbnail = crate::render::thumbnail::path_for(&asset.path);
        if referenced.contains(&thumbnail) {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                Code::Unused,
                "没有任何页面使用这个文件",
                "no page links to this file",
            )
            .in_file(format!("content/{}", asset.path))
            .with_hint("如果不再需要可以删除；如果需要，请在页面中链接它"),
        );
    }
    // What every government website must show in its footer (国办发〔2017〕47号).
    let footer = &model.config.footer;
    for (value, name, key, rule) in [
        (&footer.site_code, "网站标识码", "site_code", FOOTER_RULE),
        (&footer.icp, "ICP备案号", "icp", FOOTER_RULE),
        (
            &footer.icp_url,
            "ICP备案号的查询链接",
            "icp_url",
            FOOTER_RULE,
        ),
        (&footer.police, "公安备案号", "police", FOOTER_RULE),
        (
            &footer.police_url,
            "公安备案号的查询链接",
            "police_url",
            FOOTER_RULE,
        ),
        (
            &footer.police_badge,
            "公安备案图标",
            "police_badge",
            FOOTER_RULE,
        ),
        (&footer.emblem, "党政机关网站标识", "emblem", EMBLEM_RULE),
        (
            &footer.emblem_url,
            "党政机关网站标识的核验链接",
            "emblem_url",
            EMBLEM_RULE,
        ),
        (
            &footer.error_report_url,
            "“我为政府网站找错”入口",
            "error_report_url",
            ERROR_REPORT_RULE,
        ),
    ] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::GovernmentRule,
                    format!("页脚缺少{name}（{rule}）"),
                    format!("the footer lacks `{key}`"),
                )
                .in_file("content/site.yaml")
                .with_hint(format!("在 site.yaml 的 footer 下添加 {key}: …")),
            );
        }
    }
    diagnostics.extend(metadata(output));
    // A section (栏目) with nothing in it is what inspections call an empty column.
    for area in model.areas.iter() {
        let has_children = model.areas.children(&area.id).next().is_some();
        let has_summaries = model.summaries_of_area(&area.id).next().is_some();
        if area.tasks.is_empty() && area.intro.is_none() && !has_children && !has_summaries {
            diagnostics.push(
                Diagnostic::warning(
                    Code::GovernmentRule,
                    format!("栏目“{}”没有任何内容", area.name),
                    format!("section `{}` is empty", area.id),
                )
                .in_file("content/areas.yaml")
                .with_hint("为该领域添加工作要点(tasks)或工作进展，或从 areas.yaml 中删除它"),
            );
        }
    }
    late_tasks(model, &mut diagnostics);
    unreported_targets(model, &mut diagnostics);
    if let (Some(days), Some(today)) = (model.config.freshness.summaries, today) {
        if let Some(newest) = model.summaries.iter().map(|s| s.date).max() {
            let age = days_between(newest, today);
            if age > i64::from(days) {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::GovernmentRule,
                        format!("工作进展已有 {age} 天没有更新（最新一篇 {newest}，要求不超过 {days} 天）"),
                        format!("the newest summary is {age} days old (limit {days})"),
                    )
                    .in_file("content/site.yaml")
                    .with_hint("发布新的工作进展，或在 site.yaml 的 freshness 下调整 summaries 天数"),
                );
            }
        }
    }
    summary.files =
        model.summaries.len() + model.pages.len() + model.indicators.len() + model.assets.len() + 2;
    (diagnostics, summary)
}

/// Where the footer rules come from.
const FOOTER_RULE: &str = "政府网站发展指引：页脚须有网站标识码、ICP备案编号和公安机关备案标识";
const EMBLEM_RULE: &str = "政府网站发展指引：党政机关网站须展示党政机关网站标识";
const ERROR_REPORT_RULE: &str = "政府网站与政务新媒体检查指标：须有“我为政府网站找错”监督入口";

/// The metadata the 指引 asks of every page, and of every article page besides.
const SITE_METADATA: [&str; 7] = [
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnDescription",
    "ColumnKeywords",
    "ColumnType",
];
const ARTICLE_METADATA: [&str; 5] = ["PubDate", "ContentSource", "Keywords", "Description", "Url"];

/// The `<meta name=… content=…>` pairs of a page, and whether it has a non-empty `<title>`.
fn page_metadata(html: &str) -> (HashMap<&str, &str>, bool) {
    let mut found = HashMap::new();
    let head = html.split("</head>").next().unwrap_or(html);
    // Each tag keeps the space before its first attribute, as `attribute_values` wants.
    for tag in head.split("<meta").skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let value = |attribute: &str| attribute_values(tag, attribute).into_iter().next();
        if let Some(name) = value("name=") {
            found.insert(name, value("content=").unwrap_or("").trim());
        }
    }
    let title = head
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .is_some_and(|(t, _)| !t.trim().is_empty());
    (found, title)
}

/// Pages without a title or with a metadata field missing or empty (政府网站发展指引), one
/// warning per field with a few of the pages.
fn metadata(output: &Output) -> Vec<Diagnostic> {
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (page, bytes) in output.iter().filter(|(p, _)| p.ends_with(".html")) {
        // Archived reports are documents of their own, not pages of the site.
        if page.starts_with("archive/") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap_or("");
        let (found, title) = page_metadata(html);
        if !title {
            missing.entry("title").or_default().push(page);
        }
        let article = found.contains_key("ArticleTitle");
        let wanted = SITE_METADATA
            .iter()
            .chain(ARTICLE_METADATA.iter().filter(|_| article));
        for name in wanted {
            if found.get(name).is_none_or(|v| v.is_empty()) {
                missing.entry(name).or_default().push(page);
            }
        }
    }
    missing
        .into_iter()
        .map(|(name, pages)| {
            let examples: Vec<String> = pages
                .iter()
                .take(3)
                .map(|p| format!("/{}", p.trim_end_matches("index.html")))
                .collect();
            let hint = match name {
                "SiteDomain" => {
                    "在 site.yaml 中把 base_url 写成完整网址，例如 https://sthjj.example.gov.cn/"
                }
                "SiteIDCode" => "在 site.yaml 的 footer 下添加 site_code",
                n if n.starts_with("Column") => {
                    "在 site.yaml 的 columns 下为这些页面的栏目添加 description、keywords 和 type"
                }
                "PubDate" => "在页面的元数据中添加 date，例如 date: 2025-07-10",
                _ => "在页面的元数据中补上这一项",
            };
            Diagnostic::warning(
                Code::GovernmentRule,
                format!(
                    "{} 个页面缺少{}元数据 {name}，例如 {}（政府网站发展指引）",
                    pages.len(),
                    if name == "title" { "标题" } else { "" },
                    examples.join("、")
                ),
                format!("{} page(s) without the `{name}` metadata", pages.len()),
            )
            .in_file("content/site.yaml")
            .with_hint(hint)
        })
        .collect()
}

/// How many quarters in a row a task may go without a report before `check` warns.
const QUARTERS_WITHOUT_UPDATE: usize = 2;

/// Tasks past their due quarter and not done; and, an area at a time, tasks no summary has
/// reported for two quarters (a bureau reports on every task each quarter).
fn late_tasks(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let Some(period) = model.task_period() else {
        return;
    };
    for t in &model.tasks {
        let status = t.status_at(period);
        if let Some(due) = t
            .task
            .due
            .filter(|&due| due <= period && status != TaskStatus::Done)
        {
            diagnostics.push(
                Diagnostic::warning(
                    Code::TaskLate,
                    format!(
                        "任务 {} 应于{}完成，截至{}为“{}”",
                        t.task.id,
                        due.chinese(),
                        period.chinese(),
                        status.label()
                    ),
                    format!("task `{}` was due by {due} and is not done", t.task.id),
                )
                .at(&t.task.source, t.task.span.clone())
                .with_hint("在当季的工作进展中报告这项任务的进展（如 status: done 或 behind 并说明原因），或修改 due"),
            );
        }
    }
    for area in model.areas.iter() {
        let stale: Vec<&crate::model::task::TrackedTask> = model
            .tasks
            .iter()
            .filter(|t| t.task.area == area.id)
            .filter(|t| t.status_at(period) != TaskStatus::Done)
            .filter(|t| t.quarters_without_update(period) >= QUARTERS_WITHOUT_UPDATE)
            .collect();
        let Some(first) = stale.first() else {
            continue;
        };
        let ids: Vec<&str> = stale.iter().map(|t| t.task.id.as_str()).collect();
        diagnostics.push(
            Diagnostic::warning(
                Code::TaskLate,
                format!(
                    "“{}”有 {} 项任务已连续 {QUARTERS_WITHOUT_UPDATE} 个季度以上没有进展报告：{}",
                    area.short_name,
                    ids.len(),
                    ids.join("、")
                ),
                format!(
                    "{} task(s) of `{}` not reported for {QUARTERS_WITHOUT_UPDATE} quarters",
                    ids.len(),
                    area.id
                ),
            )
            .at(&first.task.source, first.task.span.clone())
            .with_hint(format!(
                "在{}的工作进展中用 tasks: 报告这些任务的进展",
                period.chinese()
            )),
        );
    }
}

/// Targets the year has no figure for yet, or whose target still comes from an earlier year's
/// plan (its `source` names that year and not this one): after a rollover, the editor's list.
fn unreported_targets(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let Some(year) = model.config.year else {
        return;
    };
    for indicator in &model.indicators {
        let reported = indicator
            .quarters
            .iter()
            .any(|q| q.value.is_some() || q.evidence.is_some());
        let source = indicator.target.source.as_deref().unwrap_or("");
        let years = years_named(source);
        let earlier_plan = !years.is_empty() && years.iter().all(|&y| y < year);
        let (message, english) = match (reported, earlier_plan) {
            (true, false) => continue,
            (false, false) => (
                format!("目标“{}”还没有{year}年的任何数值", indicator.name),
                format!("target `{}` has no {year} value yet", indicator.id),
            ),
            (true, true) => (
                format!(
                    "目标“{}”的目标值仍出自“{source}”，不是{year}年的工作要点",
                    indicator.name
                ),
                format!(
                    "target `{}` is still set by an earlier year's plan",
                    indicator.id
                ),
            ),
            (false, true) => (
                format!(
                    "目标“{}”还没有{year}年的目标和数值：目标仍出自“{source}”",
                    indicator.name
                ),
                format!(
                    "target `{}` has no {year} target or value yet",
                    indicator.id
                ),
            ),
        };
        let text = &indicator.source.text;
        let at = indicator
            .source
            .find_key(0..text.len(), if reported { "target" } else { "values" })
            .unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::warning(Code::TargetUnreported, message, english)
                .at(&indicator.source, at)
                .with_hint(format!(
                    "按{year}年的工作要点核对 target（含 source），并在 values 下填写已到报告期的季度，例如 - {{ period: {year}-Q1, value: … }}"
                )),
        );
    }
}

/// The years (four digits standing alone, as in `2024年…`) a text names.
fn years_named(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|digits| digits.len() == 4)
        .filter_map(|digits| digits.parse().ok())
        .collect()
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// 站点根目录 (site root)
    #[arg(long, default_value = ".")]
    root: std::path::PathBuf,
    /// 输出格式 (output format)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// 计算栏目更新时间所用的“今天”，默认取系统日期 (the date freshness is measured against; default: today)
    #[arg(long)]
    today: Option<String>,
}

pub fn run(args: Args) -> std::process::ExitCode {
    use std::process::ExitCode;
    let today = match args.today {
        Some(text) => match Date::parse(&text) {
            Some(date) => date,
            None => {
                eprintln!("--today“{text}”不是日期，应为 年-月-日 (--today must be YYYY-MM-DD)");
                return ExitCode::from(2);
            }
        },
        None => Date::today(),
    };
    if let Err(d) = super::require_root(&args.root) {
        super::report(&[d]);
        return ExitCode::from(2);
    }
    let (diagnostics, summary) = check_root(&args.root, Some(today));
    match args.format {
        Format::Json => {
            for d in &diagnostics {
                println!("{}", d.to_json());
            }
        }
        Format::Text => {
            if !diagnostics.is_empty() {
                super::report(&diagnostics);
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "检查了 {} 个文件、{} 个页面、{} 个链接：{errors} 个错误、{warnings} 个警告 (checked {} files, {} pages, {} links: {errors} errors, {warnings} warnings)",
                summary.files, summary.pages, summary.links, summary.files, summary.pages, summary.links
            );
        }
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        ExitCode::from(super::exit_code(&diagnostics))
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs the whole check on a site root. Errors of loading and validation come first; the
/// output checks run only on a site that builds.
pub fn check_root(root: &std::path::Path, today: Option<Date>) -> (Vec<Diagnostic>, Summary) {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
    };
    let site = match Site::load(&options) {
        Ok(site) => site,
        Err(diagnostics) => return (diagnostics, Summary::default()),
    };
    match site.render() {
        Ok(output) => {
            let (mut diagnostics, summary) = check_output(&site.model, &output, today);
            diagnostics.extend(unpublished(root, &output));
            diagnostics.extend(site.warnings);
            crate::diagnostic::sort(&mut diagnostics);
            (diagnostics, summary)
        }
        Err(mut diagnostics) => {
            diagnostics.extend(site.warnings);
            crate::diagnostic::sort(&mut diagnostics);
            (diagnostics, Summary::default())
        }
    }
}

/// A warning when the site differs from the last publish recorded in the root (none before the
/// first publish): the editors see that what they check is not yet what readers see.
fn unpublished(root: &std::path::Path, output: &Output) -> Option<Diagnostic> {
    use super::publish::{log, plan::Plan};
    let last = log::last(root).ok()??;
    let plan = Plan::diff(&last, &crate::output::manifest::sums(output.iter()));
    if plan.is_empty() {
        return None;
    }
    let (a, c, r) = (plan.added.len(), plan.changed.len(), plan.removed.len());
    Some(
        Diagnostic::warning(
            Code::UnpublishedChanges,
            format!("内容自上次发布以来有改动：新增 {a}、改动 {c}、删除 {r} 个文件尚未发布"),
            format!("content changed since the last publish: {a} added, {c} changed, {r} removed"),
        )
        .in_file(format!("{}/{}", log::DIR, log::LAST))
        .with_hint("核对无误后用 ecosite publish 发布；publish --dry-run 列出每个文件"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_named_in_a_source() {
        assert_eq!(years_named("2024年全市生态环境工作要点"), [2024]);
        assert_eq!(years_named("省厅〔2025〕12号，2024年版"), [2025, 2024]);
        assert!(years_named("工作要点第123456号").is_empty());
    }

    #[test]
    fn links_of_minified_html() {
        let html = r#"<a href=/ecosite/targets/>x</a><img src="a b.png" alt=""><a class=x href='#top'>t</a><p data-href=no>"#;
        assert_eq!(links(html), ["/ecosite/targets/", "#top", "a b.png"]);
    }

    #[test]
    fn link_targets() {
        let base = "/ecosite/";
        assert_eq!(
            target("summaries/air/x/index.html", "../y/", base),
            Some(("summaries/air/y/index.html".into(), None))
        );
        assert_eq!(
            target("index.html", "/ecosite/targets/#a", base),
            Some(("targets/index.html".into(), Some("a".into())))
        );
        assert_eq!(
            target("index.html", "#top", base),
            Some(("index.html".into(), Some("top".into())))
        );
        assert_eq!(
            target("a/index.html", "/targets/", base).unwrap().0,
            "../outside-the-site/targets/index.html"
        );
        assert_eq!(target("index.html", "https://example.org/", base), None);
        assert_eq!(target("index.html", "mailto:a@b.cn", base), None);
        assert_eq!(target("index.html", "tel:12369", base), None);
        assert_eq!(
            target("x/index.html", "%E8%93%9D/", base).unwrap().0,
            "x/蓝/index.html"
        );
    }
}
