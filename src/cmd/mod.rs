//! The commands, one module each: its arguments, its run, its exit code (0 success, 1 content
//! errors, 2 usage or environment errors). Every command works on a [`crate::site::Site`].

pub mod build;
pub mod check;
pub mod import;
pub mod new;
pub mod publish;
pub mod serve;
pub mod sheet;
pub mod snapshot;
pub mod verify;

use std::io::IsTerminal;
use std::path::Path;

use crate::diagnostic::{self, Code, Diagnostic};

/// Usage and environment problems (a bad flag value, a refused output folder, a held lock) are
/// exit 2; content problems exit 1.
pub fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    if diagnostics.iter().any(Diagnostic::is_environment) {
        2
    } else {
        1
    }
}

/// Prints diagnostics to stderr (coloured on a terminal) with a one-line count.
pub fn report(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", diagnostic::render(diagnostics, color));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!("共 {errors} 个错误、{warnings} 个警告 ({errors} errors, {warnings} warnings)");
}

/// A `--root` that is not a folder is a usage error (exit 2), named before anything is read.
pub fn require_root(root: &Path) -> Result<(), Diagnostic> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::Usage,
        format!("站点根目录 {} 不存在或不是文件夹", root.display()),
        "the site root does not exist",
    )
    .with_hint("用 --root 指定含有 content/ 的文件夹，或在该文件夹里运行"))
}
