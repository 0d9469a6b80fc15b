//! `ecosite snapshot`: the immutable archive of a quarter or of a whole year. A snapshot freezes
//! the period's report (`report.html`, optionally printed to `report.pdf`), the open data and a
//! `snapshot.json` into `archive/<period>/` with a `SHA256SUMS` manifest; it is written to a
//! temporary folder and renamed into place, and never overwrites an existing archive. `verify`
//! (`cmd::verify`) re-hashes an archive against its manifest.

use crate::output::{disk, lock, manifest};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::{now_seconds, utc_rfc3339, Period};
use crate::render::open_data;
use crate::render::report;
use crate::site::{BuildOptions, Site};

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

/// The creation time: `SOURCE_DATE_EPOCH` when set (reproducible archives), else now.
fn created() -> Result<String, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value.trim().parse::<u64>().map(utc_rfc3339).map_err(|_| {
            Diagnostic::error(
                Code::Output,
                format!("SOURCE_DATE_EPOCH“{value}”不是秒数"),
                "SOURCE_DATE_EPOCH is not a number of seconds",
            )
        }),
        Err(_) => Ok(utc_rfc3339(now_seconds())),
    }
}

/// A Chromium on this machine, for printing to PDF.
fn find_chromium() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("CHROMIUM_PATH") {
        return Some(PathBuf::from(path)).filter(|p| p.exists());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .map(|n| dir.join(n))
        })
        .find(|p| p.is_file())
}

/// `file://` URL of a path, absolute (Chromium refuses a relative one) and percent-encoded.
fn file_url(path: &Path) -> Result<String, Diagnostic> {
    let absolute = fs::canonicalize(path).map_err(|e| {
        Diagnostic::error(
            Code::Output,
            format!("找不到要打印的文件 {}", path.display()),
            e.to_string(),
        )
    })?;
    Ok(format!(
        "file://{}",
        crate::text::percent_encode_path(&absolute.to_string_lossy())
    ))
}

/// Waits for `child` at most `limit`; a child still running then is killed.
fn wait_at_most(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn print_pdf(html: &Path, pdf: &Path, limit: std::time::Duration) -> Result<(), Diagnostic> {
    let chromium = find_chromium().ok_or_else(|| {
        Diagnostic::error(
            Code::Output,
            "找不到 Chromium，无法生成 PDF",
            "no Chromium found to print the PDF (looked for chromium, chromium-browser, google-chrome on PATH and CHROMIUM_PATH)",
        )
        .with_hint("安装 Chromium（Debian: apt-get install chromium），或去掉 --pdf 只生成 report.html")
    })?;
    let profile = tempfile::tempdir()
        .map_err(|e| Diagnostic::error(Code::Output, "无法创建临时文件夹", e.to_string()))?;
    let url = file_url(html)?;
    let pdf = &std::path::absolute(pdf).unwrap_or_else(|_| pdf.to_path_buf());
    let mut child = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            // Bookmarks for the parts and indicators, from the report's headings.
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            Diagnostic::error(
                Code::Output,
                format!("无法运行 {}", chromium.display()),
                e.to_string(),
            )
        })?;
    // Chromium's messages go to a pipe that is read after it exits: a report prints a few
    // lines, far below what a pipe holds.
    let status = wait_at_most(&mut child, limit)
        .map_err(|e| Diagnostic::error(Code::Output, "无法等待 Chromium 打印", e.to_string()))?;
    let Some(status) = status else {
        return Err(Diagnostic::error(
            Code::Output,
            format!(
                "Chromium 打印 PDF 超时：{} 秒内没有完成，已停止它，本次没有写入任何存档",
                limit.as_secs()
            ),
            format!(
                "Chromium did not print within {} s and was stopped",
                limit.as_secs()
            ),
        )
        .with_hint("再试一次；如果报告很大，可用 --pdf-timeout 给更长的时间"));
    };
    let mut messages = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut messages);
    }
    if !status.success() || !pdf.is_file() {
        return Err(Diagnostic::error(
            Code::Output,
            "Chromium 没有生成 PDF，本次没有写入任何存档",
            format!(
                "Chromium failed to print: {}",
                messages.lines().last().unwrap_or("")
            ),
        ));
    }
    Ok(())
}

/// The PDF date (`D:20240701000000+00'00'`) of an RFC 3339 UTC time (`2024-07-01T00:00:00Z`).
fn pdf_date(created: &str) -> Option<String> {
    let digits: String = created
        .strip_suffix('Z')?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    (digits.len() == 14).then(|| format!("D:{digits}+00'00'"))
}

/// Sets the document dates Chromium writes from the wall clock (`/CreationDate`, `/ModDate`)
/// to the archive's creation time, so that the same content and `SOURCE_DATE_EPOCH` give the
/// same bytes. The new date has the length of the old one, so no offset of the file moves.
fn fix_pdf_dates(pdf: &mut [u8], created: &str) {
    let Some(date) = pdf_date(created) else {
        return;
    };
    for key in [&b"/CreationDate ("[..], &b"/ModDate ("[..]] {
        let Some(at) = pdf.windows(key.len()).position(|w| w == key) else {
            continue;
        };
        let start = at + key.len();
        let Some(len) = pdf[start..].iter().position(|&b| b == b')') else {
            continue;
        };
        if len == date.len() && pdf[start..].starts_with(b"D:") {
            pdf[start..start + len].copy_from_slice(date.as_bytes());
        }
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
    let created = created().map_err(|d| vec![d])?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "report.html".into(),
        report::render(&model, &site.theme, period, &created)?,
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
            print_pdf(
                &staging.join("report.html"),
                &staging.join("report.pdf"),
                options.pdf_timeout,
            )?;
            let mut pdf =
                fs::read(staging.join("report.pdf")).map_err(|e| io_error("report.pdf", e))?;
            fix_pdf_dates(&mut pdf, &created);
            fs::write(staging.join("report.pdf"), &pdf).map_err(|e| io_error("report.pdf", e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_dates_become_the_archives_time_without_moving_a_byte() {
        let mut pdf = b"<</Producer (Skia)\n/CreationDate (D:20261129173200+00'00')\n/ModDate (D:20261129173201+00'00')>>".to_vec();
        let before = pdf.len();
        fix_pdf_dates(&mut pdf, "2024-07-01T00:00:00Z");
        assert_eq!(pdf.len(), before);
        let text = String::from_utf8(pdf).unwrap();
        assert_eq!(text.matches("D:20240701000000+00'00'").count(), 2, "{text}");
    }
}
