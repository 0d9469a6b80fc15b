//! The commands, one module each: its arguments, its run, its exit code (0 success, 1 content
//! errors, 2 usage or environment errors). Every command works on a [`crate::site::Site`].

pub mod build;
pub mod check;
pub mod serve;
pub mod snapshot;
pub mod verify;

use std::io::IsTerminal;

use crate::diagnostic::{self, Code, Diagnostic};

/// Environment problems (the output cannot be written) are exit 2; content problems exit 1.
pub fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    if diagnostics.iter().any(|d| d.code == Code::Output) {
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
