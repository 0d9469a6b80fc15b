//! `ecosite import`: reads a filled-in collection form back, checks every cell, shows what
//! changes (old → new per target and task), and writes the figures into the content files in
//! place — all files or none, and only after the site as it would be has passed every check.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::{Code, Diagnostic};
use crate::form::{self, apply::Plan, TargetEntry};
use crate::model::period::{Date, Quarter};
use crate::output::{disk, lock, rewrite};
use crate::site::{BuildOptions, Site};

#[derive(clap::Args)]
pub struct Args {
    /// 填好的报送表：.xlsx、.xls、.ods 或 .csv (the filled-in form)
    file: PathBuf,
    /// 站点根目录 (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 只检查并列出改动，不写入 (check and list the changes, write nothing)
    #[arg(long)]
    dry_run: bool,
    /// 报送表应属的报告期，如 2025-Q3 (refuse a form of another quarter)
    #[arg(long)]
    period: Option<String>,
    /// 新数值的发布日期，默认今天 (the date the new figures are published)
    #[arg(long)]
    date: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    match import(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            super::report(&diagnostics);
            eprintln!("导入失败，内容文件均未改动 (nothing was changed)");
            ExitCode::from(super::exit_code(&diagnostics))
        }
    }
}

fn usage(message: String, en: &str, hint: &str) -> Vec<Diagnostic> {
    vec![Diagnostic::error(Code::Usage, message, en).with_hint(hint)]
}

fn import(args: &Args) -> Result<(), Vec<Diagnostic>> {
    super::require_root(&args.root).map_err(|d| vec![d])?;
    let expected = match &args.period {
        Some(p) => Some(Quarter::parse(p).ok_or_else(|| {
            usage(
                format!("报告期“{p}”无效"),
                "bad --period",
                "例如 --period 2025-Q3",
            )
        })?),
        None => None,
    };
    let date = match &args.date {
        Some(d) => Date::parse(d).ok_or_else(|| {
            usage(
                format!("日期“{d}”无效"),
                "bad --date",
                "例如 --date 2025-10-18",
            )
        })?,
        None => Date::today(),
    };
    let _lock = lock::acquire(&args.root.join(disk::WORK_DIR), "import").map_err(|d| vec![d])?;
    let options = BuildOptions {
        root: args.root.clone(),
        drafts: false,
        base_url: None,
    };
    let site = Site::load(&options).map_err(|mut d| {
        d.retain(Diagnostic::is_error);
        d.push(Diagnostic::error(
            Code::Form,
            "网站内容本身有错误，请先改正再导入报送表",
            "the content has errors; fix them before importing",
        ));
        d
    })?;
    let shown = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sheets = form::read::read(&args.file, &shown).map_err(|d| vec![d])?;
    let checked = form::check::check(&sheets, &shown, &site.model, expected)?;
    let plan = form::apply::plan(&checked, &site.model, date)?;
    print_plan(&plan, checked.quarter, &shown);
    if plan.files.is_empty() {
        return Ok(());
    }
    let edits: Vec<(String, String)> = plan
        .files
        .iter()
        .map(|(path, text)| (path.clone(), text.clone()))
        .collect();
    let after = Site::load_edited(&options, &edits).map_err(|mut d| {
        d.retain(Diagnostic::is_error);
        d.push(Diagnostic::error(
            Code::Form,
            "按报送表改写后的内容未通过检查",
            "the content as the form would leave it does not pass the checks",
        ));
        d
    })?;
    confirm(&checked, &after)?;
    if args.dry_run {
        println!("（试运行：未写入任何文件。去掉 --dry-run 即写入）");
        return Ok(());
    }
    let originals: Vec<(String, Option<String>)> = plan
        .files
        .keys()
        .map(|path| (path.clone(), original(&site, path)))
        .collect();
    let rewrites: Vec<rewrite::Rewrite> = plan
        .files
        .iter()
        .zip(&originals)
        .map(|((path, text), (_, was))| rewrite::Rewrite {
            path,
            was: was.as_deref(),
            text,
        })
        .collect();
    rewrite::write_all(&args.root, &rewrites).map_err(|d| vec![d])?;
    println!(
        "已写入 {} 个文件。用 ecosite serve 预览，确认无误后 ecosite build 发布。",
        plan.files.len()
    );
    Ok(())
}

/// The text a content file had when the site was loaded; `None` for a file the import makes.
fn original(site: &Site, path: &str) -> Option<String> {
    let model = &site.model;
    let indicator = model.indicators.iter().find(|i| i.source.path == path);
    match indicator {
        Some(i) => Some(i.source.text.to_string()),
        None => model
            .summaries
            .iter()
            .find(|s| s.front.path == path)
            .map(|s| s.file().text.to_string()),
    }
}

fn print_plan(plan: &Plan, quarter: Quarter, shown: &str) {
    if plan.changes.is_empty() {
        println!("{shown}（{quarter}）与网站内容一致，没有需要导入的改动。");
        return;
    }
    println!("{shown}（{quarter}）将改动 {} 项：", plan.changes.len());
    for kind in ["指标", "任务"] {
        let changes: Vec<_> = plan.changes.iter().filter(|c| c.kind == kind).collect();
        if changes.is_empty() {
            continue;
        }
        println!("{kind}");
        for c in changes {
            println!("  {} {}：{} → {}", c.id, c.name, c.old, c.new);
        }
    }
    println!("文件");
    for path in plan.files.keys() {
        if plan.created.contains(path) {
            println!("  {path}（新建）");
        } else {
            println!("  {path}");
        }
    }
}

/// Every change of the form reads back from the edited content as the form gave it: the last
/// guard between a slip of the editor and a published figure.
fn confirm(checked: &form::check::Form, after: &Site) -> Result<(), Vec<Diagnostic>> {
    let mut wrong = Vec::new();
    for (id, wanted) in &checked.targets {
        let Some(indicator) = after.model.indicator(id) else {
            wrong.push(id.clone());
            continue;
        };
        let now = TargetEntry::current(indicator, checked.quarter);
        if !wanted.is_empty() && now != *wanted {
            wrong.push(id.clone());
        }
    }
    for (id, status, note) in &checked.tasks {
        let found = after.model.tasks.iter().find(|t| &t.task.id == id);
        let now = found.map(|t| form::task_current(t, checked.quarter));
        if now != Some((Some(*status), note.clone())) {
            wrong.push(id.clone());
        }
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(vec![Diagnostic::error(
        Code::Form,
        format!("改写后读回的数值与报送表不一致：{}", wrong.join("、")),
        "the edited content does not read back as the form says",
    )
    .with_hint(
        "这是 ecosite 的缺陷，请把报送表和内容文件一并报告给维护者；内容文件均未改动",
    )])
}
