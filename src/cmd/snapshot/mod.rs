//! `ecosite snapshot`: the immutable archive of a quarter or of a whole year. A snapshot freezes
//! the period's report (`report.html`, optionally printed to `report.pdf`), the open data and a
//! `snapshot.json` into `archive/<period>/` with a `SHA256SUMS` manifest; it is written to a
//! temporary folder and renamed into place, and never overwrites an existing archive. `verify`
//! (`cmd::verify`) re-hashes an archive against its manifest.

use crate::output::{disk, lock, manifest};
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::{now_seconds, utc_rfc3339, Period};
use crate::render::open_data;
use crate::render::report;
use crate::site::{BuildOptions, Site};

mod pdf;
mod pdfa;

pub const ARCHIVE_DIR: &str = "archive";

#[derive(clap::Args)]
pub struct Args {
    /// 报告期：季度如 2025-Q2，全年如 2025 (the quarter, or the year)
    #[arg(long)]
    period: String,
    /// 站点根目录 (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 同时用 Chromium 打印 report.pdf (also print report.pdf with Chromium)
    #[arg(long)]
    pdf: bool,
    /// 打印 PDF 最多等待的秒数 (seconds Chromium may take to print)
    #[arg(long, default_value_t = DEFAULT_PDF_TIMEOUT)]
    pdf_timeout: u64,
}

/// How long Chromium may take to print a report: a large year prints in well under a minute.
pub const DEFAULT_PDF_TIMEOUT: u64 = 180;

pub fn run(args: Args) -> std::process::ExitCode {
    let options = SnapshotOptions {
        root: args.root,
        period: args.period,
        pdf: args.pdf,
        pdf_timeout: std::time::Duration::from_secs(args.pdf_timeout),
    };
    match create(&options) {
        Ok(dir) => {
            eprintln!("已存档到 {} (archived)", dir.display());
            std::process::ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            super::report(&diagnostics);
            std::process::ExitCode::from(super::exit_code(&diagnostics))
        }
    }
}

pub struct SnapshotOptions {
    pub root: PathBuf,
    pub period: String,
    pub pdf: bool,
    /// How long Chromium may take before it is stopped.
    pub pdf_timeout: std::time::Duration,
}

/// The creation time in seconds since 1970: `SOURCE_DATE_EPOCH` when set (reproducible
/// archives), else now.
fn created() -> Result<u64, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value.trim().parse::<u64>().map_err(|_| {
            Diagnostic::error(
                Code::Output,
                format!("SOURCE_DATE_EPOCH“{value}”不是秒数"),
                "SOURCE_DATE_EPOCH is not a number of seconds",
            )
        }),
        Err(_) => Ok(now_seconds()),
    }
}

/// Writes `archive/<period>/`. Refuses an existing archive, a malformed period and a period with
/// nothing to report (exit 1); a missing Chromium for `--pdf` is an environment error (exit 2).
pub fn create(options: &SnapshotOptions) -> Result<PathBuf, Vec<Diagnostic>> {
    super::require_root(&options.root).map_err(|d| vec![d])?;
    let period = Period::parse(&options.period).ok_or_else(|| {
        vec![Diagnostic::error(
            Code::Usage,
            format!(
                "报告期“{}”无效：季度写 年-Q季度（例如 2025-Q2），全年写年份（例如 2025）",
                options.period
            ),
            "invalid period, expected YYYY-Qn or YYYY",
        )]
    })?;
    let name = period.to_string();
    let archive = options.root.join(ARCHIVE_DIR);
    let target = archive.join(&name);
    let _lock =
        lock::acquire(&options.root.join(disk::WORK_DIR), "snapshot").map_err(|d| vec![d])?;
    if target.exists() {
        return Err(vec![Diagnostic::error(
            Code::Output,
            format!("{ARCHIVE_DIR}/{name}/ 已经存在：存档一经生成不再改动，本次没有写入任何文件"),
            format!("{ARCHIVE_DIR}/{name}/ exists; archives are never overwritten"),
        )
        .with_hint("如需重新存档，请先由管理员确认后手动移走旧的存档文件夹")]);
    }
    let site = Site::load_for_archive(&BuildOptions {
        root: options.root.clone(),
        drafts: false,
        base_url: None,
    })?;
    let content_digest = site.content_digest();
    let mut model = site.model;
    model.as_of(period.last_quarter());
    if !report::has_data(&model, period) {
        return Err(vec![Diagnostic::error(
            Code::BadQuarter,
            format!("{} 没有任何工作进展或指标数据，无法存档", period.chinese()),
            format!("{name} has no data to archive"),
        )]);
    }
    let created_at = created().map_err(|d| vec![d])?;
    let created = utc_rfc3339(created_at);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "report.html".into(),
        report::render(&model, &site.theme, period, &created, &BTreeMap::new())?,
    );
    for (path, bytes) in open_data::catalogue(&model).into_files() {
        files.insert(path, bytes);
    }
    let info = serde_json::json!({
        "period": name,
        "kind": match period {
            Period::Quarter(_) => "quarter",
            Period::Year(_) => "year",
        },
        "created": created,
        "ecosite_version": env!("CARGO_PKG_VERSION"),
        "content_digest": format!("sha256:{content_digest}"),
        "title": model.config.title,
        "sample_data": model.config.sample_data,
    });
    let mut info = serde_json::to_vec_pretty(&info).unwrap_or_default();
    info.push(b'\n');
    files.insert("snapshot.json".into(), info);

    let io_error = |what: &str, e: std::io::Error| {
        Diagnostic::error(Code::Output, format!("无法写入存档：{what}"), e.to_string())
    };
    fs::create_dir_all(&archive).map_err(|e| vec![io_error(&archive.display().to_string(), e)])?;
    let staging = archive.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let written = (|| -> Result<(), Diagnostic> {
        for (path, bytes) in &files {
            let file = staging.join(path);
            if let Some(parent) = file.parent() {
                fs::create_dir_all(parent).map_err(|e| io_error(path, e))?;
            }
            fs::write(&file, bytes).map_err(|e| io_error(path, e))?;
        }
        if options.pdf {
            let (html, pdf) = pdf::print_report(
                &staging.join("report.html"),
                &staging.join("report.pdf"),
                options.pdf_timeout,
                created_at,
                &format!("{}工作报告 - {}", period.chinese(), model.config.title),
                files.remove("report.html").unwrap_or_default(),
                |pages| report::render(&model, &site.theme, period, &created, pages),
            )
            .map_err(|mut d| d.remove(0))?;
            files.insert("report.html".into(), html);
            files.insert("report.pdf".into(), pdf);
        }
        fs::write(staging.join(manifest::MANIFEST), manifest::write(&files))
            .map_err(|e| io_error(manifest::MANIFEST, e))?;
        if target.exists() {
            return Err(Diagnostic::error(
                Code::Duplicate,
                format!("{ARCHIVE_DIR}/{name}/ 在存档过程中出现了"),
                "the archive appeared meanwhile",
            ));
        }
        fs::rename(&staging, &target).map_err(|e| io_error(&target.display().to_string(), e))
    })();
    if let Err(d) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(vec![d]);
    }
    Ok(target)
}
