//! `ecosite verify DIR`: re-hashes an archive against its `SHA256SUMS` and names every changed,
//! missing or extra file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::{Code, Diagnostic};
use crate::output::disk::relative_path;
use crate::output::manifest;

#[derive(clap::Args)]
pub struct Args {
    /// 存档文件夹，例如 archive/2024-Q2 (the archive folder)
    dir: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match verify(&args.dir) {
        Ok(result) => {
            for (label, list) in [
                ("已改动 (changed)", &result.changed),
                ("缺失 (missing)", &result.missing),
                ("多出 (extra)", &result.extra),
            ] {
                for path in list {
                    println!("{label}: {path}");
                }
            }
            if result.is_intact() {
                println!(
                    "存档完好：{} 个文件全部一致 (intact: {} files match)",
                    result.checked, result.checked
                );
                ExitCode::SUCCESS
            } else {
                println!("存档与清单不一致 (the archive does not match its manifest)");
                ExitCode::from(1)
            }
        }
        Err(d) => {
            let code = super::exit_code(std::slice::from_ref(&d));
            super::report(&[d]);
            ExitCode::from(code)
        }
    }
}

/// What `verify` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verification {
    pub checked: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Re-hashes every file of an archive against its `SHA256SUMS`.
pub fn verify(dir: &Path) -> Result<Verification, Diagnostic> {
    let manifest_path = dir.join(manifest::MANIFEST);
    let text = fs::read_to_string(&manifest_path).map_err(|e| {
        Diagnostic::error(
            Code::Usage,
            format!("找不到或无法读取 {}", manifest_path.display()),
            e.to_string(),
        )
        .with_hint("verify 的参数是一个存档文件夹，例如 archive/2025-Q2")
    })?;
    let entries = manifest::parse(&text).map_err(|bad| {
        let d = match bad {
            manifest::BadLine::Malformed(line) => Diagnostic::error(
                Code::BadValue,
                format!("{} 第 {line} 行格式不对", manifest::MANIFEST),
                "malformed manifest line",
            ),
            manifest::BadLine::Outside(line, path) => Diagnostic::error(
                Code::BadPath,
                format!(
                    "{} 第 {line} 行的路径“{path}”指向存档之外：清单只能列出存档里的文件",
                    manifest::MANIFEST
                ),
                format!("manifest line {line} names `{path}`, outside the archive"),
            )
            .with_hint("这份清单可能被改动过；请用原始的存档核对"),
        };
        d.in_file(manifest_path.display().to_string())
    })?;
    let mut result = Verification::default();
    for (path, expected) in &entries {
        match fs::read(dir.join(path)) {
            Ok(bytes) if manifest::sha256_hex(&bytes) == *expected => result.checked += 1,
            Ok(_) => result.changed.push(path.clone()),
            Err(_) => result.missing.push(path.clone()),
        }
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = relative_path(dir, entry.path());
        if entry.file_type().is_dir() {
            // A folder no listed file is in was added, even when it is empty.
            let prefix = format!("{rel}/");
            if !entries.keys().any(|p| p.starts_with(&prefix)) {
                result.extra.push(prefix);
            }
            continue;
        }
        if rel != manifest::MANIFEST && !entries.contains_key(&rel) {
            result.extra.push(rel);
        }
    }
    Ok(result)
}
