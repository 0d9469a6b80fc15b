//! `ecosite sheet`: writes a quarter's collection form (报送表, `.xlsx`) from the site's content,
//! for the departments to fill in and `ecosite import` to read back.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::Quarter;
use crate::site::{BuildOptions, Site};

#[derive(clap::Args)]
pub struct Args {
    /// 报告期，如 2025-Q3 (the quarter the form collects)
    #[arg(long)]
    period: String,
    /// 站点根目录 (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 输出文件，默认 <root>/报送表-<报告期>.xlsx (the file to write)
    #[arg(long)]
    out: Option<PathBuf>,
    /// 覆盖已有的文件 (replace an existing file)
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> ExitCode {
    match write(&args) {
        Ok(out) => {
            eprintln!(
                "已生成报送表 {} (wrote the collection form)\n填好后用 ecosite import {} --dry-run 检查",
                out.display(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            super::report(&diagnostics);
            ExitCode::from(super::exit_code(&diagnostics))
        }
    }
}

fn write(args: &Args) -> Result<PathBuf, Vec<Diagnostic>> {
    super::require_root(&args.root).map_err(|d| vec![d])?;
    let quarter = Quarter::parse(&args.period).ok_or_else(|| {
        vec![Diagnostic::error(
            Code::Usage,
            format!("报告期“{}”无效", args.period),
            "the period must be a quarter such as 2025-Q3",
        )
        .with_hint("例如 --period 2025-Q3")]
    })?;
    let site = Site::load(&BuildOptions {
        root: args.root.clone(),
        drafts: false,
        base_url: None,
    })?;
    if let Some(year) = site.model.config.year.filter(|y| *y != quarter.year) {
        return Err(vec![Diagnostic::error(
            Code::Usage,
            format!("本站的报告年度是 {year} 年，不能生成 {quarter} 的报送表"),
            "the quarter is outside the site's year",
        )
        .with_hint(format!("例如 --period {year}-Q3"))]);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.root.join(format!("报送表-{quarter}.xlsx")));
    if out.exists() && !args.force {
        return Err(vec![Diagnostic::error(
            Code::Usage,
            format!("{} 已存在，未覆盖", out.display()),
            "the file exists; it may hold a filled-in form",
        )
        .with_hint(
            "它可能是已填好的报送表：换一个 --out 文件名，或确认不再需要后加 --force",
        )]);
    }
    let bytes = crate::form::write::workbook(&site.model, quarter).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            "无法生成报送表",
            format!("cannot make the workbook: {e}"),
        )]
    })?;
    std::fs::write(&out, bytes).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入 {}", out.display()),
            format!("cannot write the form: {e}"),
        )
        .with_hint("检查文件夹是否可写，文件是否正在 Excel/WPS 中打开")]
    })?;
    Ok(out)
}
