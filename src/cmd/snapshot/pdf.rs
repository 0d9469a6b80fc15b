//! The archived report as PDF: Chromium prints `report.html` (with a time limit, leaving
//! nothing behind), the table of contents gets the page numbers the printed PDF gives its
//! parts (a second print, read back with lopdf); the result becomes PDF/A in `pdfa`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::{Code, Diagnostic};

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

/// Waits for `child` at most `limit`, then gives its exit status and what it wrote to stderr
/// (a few lines, far below what a pipe holds, so it is read after the exit). A child still
/// running then is killed: `what` (Chromium, Ghostscript) names it in the error.
pub(super) fn finish(
    mut child: std::process::Child,
    limit: std::time::Duration,
    what: &str,
) -> Result<(std::process::ExitStatus, String), Diagnostic> {
    let start = std::time::Instant::now();
    let waited = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(Some(status)),
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                break Ok(None);
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(50)),
            Err(e) => break Err(e),
        }
    };
    let status = waited
        .map_err(|e| Diagnostic::error(Code::Output, format!("无法等待 {what}"), e.to_string()))?
        .ok_or_else(|| {
            Diagnostic::error(
                Code::Output,
                format!(
                    "{what} 超时：{} 秒内没有完成，已停止它，本次没有写入任何存档",
                    limit.as_secs()
                ),
                format!(
                    "{what} did not finish within {} s and was stopped",
                    limit.as_secs()
                ),
            )
            .with_hint("再试一次；如果报告很大，可用 --pdf-timeout 给更长的时间")
        })?;
    let mut messages = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut messages);
    }
    Ok((status, messages))
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
    let child = Command::new(&chromium)
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
    let (status, messages) = finish(child, limit, "Chromium 打印 PDF")?;
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

/// How many times the report is printed at most: the page numbers of the table of contents
/// take no more room than the blanks they fill, so the second print already agrees.
const PRINTS: usize = 3;

/// Prints the report: `first` is `report.html` without page numbers; `render` makes it again
/// for the page numbers of its parts (anchor → page) that a print gave. Each is written to
/// `html` and printed until the numbers agree; the print then becomes PDF/A ([`super::pdfa`]) at `pdf`.
/// Returns the final HTML and PDF. `created` is the archive's time (seconds since 1970), the
/// PDF's dates.
pub fn print_report(
    html: &Path,
    pdf: &Path,
    limit: std::time::Duration,
    created: u64,
    title: &str,
    first: Vec<u8>,
    render: impl Fn(&BTreeMap<String, u32>) -> Result<Vec<u8>, Vec<Diagnostic>>,
) -> Result<(Vec<u8>, Vec<u8>), Vec<Diagnostic>> {
    let io_error = |what: &Path, e: std::io::Error| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入存档：{}", what.display()),
            e.to_string(),
        )]
    };
    // Chromium's print is a step on the way, kept out of the archive's folder.
    let work = tempfile::tempdir().map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            "无法创建临时文件夹",
            e.to_string(),
        )]
    })?;
    let printed = work.path().join("chromium.pdf");
    let mut pages = BTreeMap::new();
    let mut page = first;
    for _ in 0..PRINTS {
        fs::write(html, &page).map_err(|e| io_error(html, e))?;
        print_pdf(html, &printed, limit).map_err(|d| vec![d])?;
        let bytes = fs::read(&printed).map_err(|e| io_error(&printed, e))?;
        let found = destinations(&bytes).map_err(|d| vec![d])?;
        if found == pages {
            let archival = super::pdfa::convert(&printed, work.path(), title, created, limit)
                .map_err(|d| vec![d])?;
            fs::write(pdf, &archival).map_err(|e| io_error(pdf, e))?;
            return Ok((page, archival));
        }
        pages = found;
        page = render(&pages)?;
    }
    Err(vec![Diagnostic::error(
        Code::Output,
        format!("打印了 {PRINTS} 次，目录的页码仍与正文不符，本次没有写入任何存档"),
        "the table of contents' page numbers did not settle",
    )
    .with_hint("请把这个站点根目录报告给维护者")])
}

/// The page (from 1) each named destination of the PDF is on: Chromium names a destination
/// for every anchor a link of the document points to, so these are the pages of the parts the
/// table of contents links.
fn destinations(pdf: &[u8]) -> Result<BTreeMap<String, u32>, Diagnostic> {
    let unreadable = |e: lopdf::Error| {
        Diagnostic::error(
            Code::Output,
            "无法读取 Chromium 打印的 PDF",
            format!("cannot read the printed PDF: {e}"),
        )
    };
    let doc = lopdf::Document::load_mem(pdf).map_err(unreadable)?;
    let page_numbers: std::collections::HashMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut found = BTreeMap::new();
    let Ok(dests) = doc.catalog().and_then(|c| c.get(b"Dests")) else {
        return Ok(found);
    };
    let (_, dests) = doc.dereference(dests).map_err(unreadable)?;
    let Ok(dests) = dests.as_dict() else {
        return Ok(found);
    };
    for (name, dest) in dests.iter() {
        let page = doc
            .dereference(dest)
            .ok()
            .and_then(|(_, d)| d.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| page_numbers.get(&id));
        if let Some(page) = page {
            found.insert(String::from_utf8_lossy(name).into_owned(), *page);
        }
    }
    Ok(found)
}
