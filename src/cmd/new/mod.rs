//! `ecosite new DIR`: starts a site root in an empty or new folder, either the minimal site of
//! `minimal` (for another bureau or a first year) or, with `--from`, next year's site rolled over
//! from this year's by `rollover`. This module owns the arguments, the refusals (a non-empty
//! folder, a folder inside the old site) and the one write: every file goes into a staging folder
//! beside DIR that is renamed into place, so a failure leaves nothing half-made.

mod minimal;
mod rollover;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::Date;

#[derive(clap::Args)]
pub struct Args {
    /// 新网站的文件夹，必须为空或不存在 (the new site's folder: empty or not yet there)
    dir: PathBuf,
    /// 网站名称 (the site's title)
    #[arg(long)]
    title: Option<String>,
    /// 主办单位名称 (the organisation that runs the site)
    #[arg(long)]
    organization: Option<String>,
    /// 报告年度；默认为今年，用 --from 时为原网站的下一年 (the reporting year)
    #[arg(long)]
    year: Option<i32>,
    /// 从这个网站开始下一年度的网站，它本身不会被改动 (roll this site over into the next year)
    #[arg(long)]
    from: Option<PathBuf>,
}

/// The new site's files (path under DIR, `/`-separated; bytes).
pub(crate) type Files = Vec<(String, Vec<u8>)>;

pub fn run(args: Args) -> ExitCode {
    match create(&args) {
        Ok(written) => {
            eprintln!(
                "已在 {} 建好网站，共 {written} 个文件。下一步：打开 content/site.yaml 填写本单位的信息，然后运行 ecosite check --root {} (site created)",
                args.dir.display(),
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            super::report(&diagnostics);
            ExitCode::from(super::exit_code(&diagnostics))
        }
    }
}

fn create(args: &Args) -> Result<usize, Vec<Diagnostic>> {
    refuse_occupied(&args.dir).map_err(|d| vec![d])?;
    let files = match &args.from {
        None => {
            let year = args.year.unwrap_or_else(|| Date::today().year);
            check_year(year).map_err(|d| vec![d])?;
            minimal::files(&minimal::Settings::new(
                args.title.as_deref(),
                args.organization.as_deref(),
                year,
            ))
        }
        Some(old) => {
            super::require_root(old).map_err(|d| vec![d])?;
            refuse_inside(&args.dir, old).map_err(|d| vec![d])?;
            rollover::files(
                old,
                &rollover::Settings {
                    year: args.year,
                    title: args.title.clone(),
                    organization: args.organization.clone(),
                },
            )?
        }
    };
    let count = files.len();
    write(&args.dir, &files).map_err(|d| vec![d])?;
    Ok(count)
}

/// A year a work plan can have; anything else is a typing mistake.
pub(crate) fn check_year(year: i32) -> Result<(), Diagnostic> {
    if (2000..=2999).contains(&year) {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::Usage,
        format!("年度“{year}”不对：应为四位数的年份，例如 --year 2025"),
        "the year must be a four-digit year",
    ))
}

/// The editors' work is never written over: DIR must be new or an empty folder.
fn refuse_occupied(dir: &Path) -> Result<(), Diagnostic> {
    let occupied = match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(_) => dir.exists() || dir.is_symlink(),
    };
    if !occupied {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::Usage,
        format!(
            "文件夹 {} 不是空的（或是一个文件）：为了不覆盖已有的文件，新网站只能建在空文件夹或还不存在的文件夹里。本次没有写入任何文件",
            dir.display()
        ),
        format!("{} exists and is not empty; nothing was written", dir.display()),
    )
    .with_hint("换一个新的文件夹名，例如 ecosite new my-site-2025"))
}

/// The old site is only read: a new folder inside it would be a write into it (and would be
/// picked up by its next build).
fn refuse_inside(dir: &Path, old: &Path) -> Result<(), Diagnostic> {
    let old = fs::canonicalize(old).unwrap_or_else(|_| old.to_path_buf());
    if absolute(dir).starts_with(&old) {
        return Err(Diagnostic::error(
            Code::Usage,
            format!(
                "新网站的文件夹 {} 在原网站 {} 里面：原网站不能被改动，请把新网站建在它的外面。本次没有写入任何文件",
                dir.display(),
                old.display()
            ),
            "the new site may not be inside the old one; nothing was written",
        )
        .with_hint("例如 ecosite new ../site-2025 --from ."));
    }
    Ok(())
}

/// `dir` as an absolute path through its nearest existing ancestor (DIR itself usually does
/// not exist yet, so it cannot be canonicalised whole).
fn absolute(dir: &Path) -> PathBuf {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut existing = dir.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut path = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    path.extend(rest.iter().rev());
    path
}

/// Writes every file into a staging folder beside DIR and renames it into place (an empty DIR
/// is replaced in the same step); on any failure the staging folder is removed.
fn write(dir: &Path, files: &Files) -> Result<(), Diagnostic> {
    let dir = absolute(dir);
    let parent = dir.parent().unwrap_or(Path::new("/"));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let io_error = |what: &Path, e: std::io::Error| {
        Diagnostic::error(
            Code::Output,
            format!("无法写入 {}：{e}", what.display()),
            format!("cannot write {}", what.display()),
        )
        .with_hint("检查文件夹是否存在、是否有写入权限、磁盘是否已满；本次没有留下任何文件")
    };
    fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    let staging = parent.join(format!(".{name}.ecosite-new-{}", std::process::id()));
    let written = (|| {
        for (path, bytes) in files {
            let target = staging.join(path);
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder).map_err(|e| io_error(folder, e))?;
            }
            fs::write(&target, bytes).map_err(|e| io_error(&target, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
        refuse_occupied(&dir)?;
        fs::rename(&staging, &dir).map_err(|e| io_error(&dir, e))
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written
}
