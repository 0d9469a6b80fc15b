//! The record of publishes, kept in the site root's `publish/` folder (meant to be committed
//! with the content, unlike the build's `.ecosite/`): `log.jsonl`, one JSON line a publish, and
//! the manifest of the last publish (`SHA256SUMS`) with the one it was judged against
//! (`SHA256SUMS.before`), so that a package's change list and `check` compare with what was
//! really published.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::plan::{Plan, Sums};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::period::{now_seconds, utc_rfc3339};
use crate::output::manifest;

pub const DIR: &str = "publish";
pub const LOG: &str = "log.jsonl";
pub const LAST: &str = "SHA256SUMS";
pub const BEFORE: &str = "SHA256SUMS.before";

/// One publish, as its log line says it.
pub struct Record<'a> {
    /// `sftp`, `package` or `rollback`.
    pub kind: &'a str,
    /// The address without a password, or the package's file name.
    pub target: String,
    /// The release made live on the server, if any.
    pub release: Option<u32>,
    pub plan: &'a Plan,
    /// The hash of the manifest now published.
    pub manifest: String,
}

fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Output,
        format!("无法写入发布记录 {}", path.display()),
        format!("cannot write the publish record: {e}"),
    )
}

/// The content's commit when the root is in a git repository (and git is installed).
pub fn git_commit(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !commit.is_empty()).then_some(commit)
}

/// Appends the record's line to `publish/log.jsonl`.
pub fn append(root: &Path, record: &Record) -> Result<(), Diagnostic> {
    let line = serde_json::json!({
        "time": utc_rfc3339(now_seconds()),
        "kind": record.kind,
        "target": record.target,
        "release": record.release,
        "commit": git_commit(root),
        "added": record.plan.added.len(),
        "changed": record.plan.changed.len(),
        "removed": record.plan.removed.len(),
        "manifest": format!("sha256:{}", record.manifest),
        "ecosite_version": env!("CARGO_PKG_VERSION"),
    });
    let path = dir(root).join(LOG);
    fs::create_dir_all(dir(root)).map_err(|e| io_error(&path, e))?;
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io_error(&path, e))?;
    // One write of the whole line, so that two publishes never interleave within a line.
    file.write_all(format!("{line}\n").as_bytes())
        .map_err(|e| io_error(&path, e))
}

fn read(path: &Path) -> Result<Option<Sums>, Diagnostic> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(
                Code::Output,
                format!("无法读取 {}", path.display()),
                e.to_string(),
            ))
        }
    };
    manifest::parse(&text).map(Some).map_err(|_| {
        Diagnostic::error(
            Code::BadValue,
            format!("{} 不是有效的 SHA256SUMS 清单", path.display()),
            "the last published manifest is malformed",
        )
        .with_hint("它由 ecosite publish 写出；如被改坏，可从版本库恢复，或删除它（下次发布的变更清单将列出全部文件）")
    })
}

/// The manifest of the last publish, `None` before the first.
pub fn last(root: &Path) -> Result<Option<Sums>, Diagnostic> {
    read(&dir(root).join(LAST))
}

/// The manifest the last publish was judged against, `None` when it had none.
pub fn before(root: &Path) -> Result<Option<Sums>, Diagnostic> {
    read(&dir(root).join(BEFORE))
}

/// Keeps the manifest now published and the one it replaced (`None`: the first publish).
pub fn save(root: &Path, published: &Sums, replaced: Option<&Sums>) -> Result<(), Diagnostic> {
    fs::create_dir_all(dir(root)).map_err(|e| io_error(&dir(root), e))?;
    if replaced.is_none() {
        let path = dir(root).join(BEFORE);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(&path, e)),
            _ => {}
        }
    }
    for (name, sums) in [(BEFORE, replaced), (LAST, Some(published))] {
        let Some(sums) = sums else { continue };
        let path = dir(root).join(name);
        let tmp = dir(root).join(format!(".{name}.tmp"));
        fs::write(&tmp, manifest::write_sums(sums)).map_err(|e| io_error(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))?;
    }
    Ok(())
}
