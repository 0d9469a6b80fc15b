//! `ecosite build`: the whole site into the output folder, replaced only when the whole build
//! succeeded.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::site::{self, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// 站点根目录，含 content/ (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 输出文件夹 (output folder), default <root>/public
    #[arg(long)]
    out: Option<PathBuf>,
    /// 覆盖 site.yaml 的 base_url (override base_url)
    #[arg(long)]
    base_url: Option<String>,
    /// 同时发布草稿 (publish drafts too)
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args) -> ExitCode {
    let started = Instant::now();
    if let Err(d) = super::require_root(&args.root) {
        super::report(&[d]);
        return ExitCode::from(2);
    }
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    let options = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        base_url: args.base_url,
    };
    match site::build(&options, &out) {
        Ok((written, warnings)) => {
            if !warnings.is_empty() {
                super::report(&warnings);
            }
            eprintln!(
                "已生成 {} 个文件 ({:.1} MB) 到 {}，用时 {:.2} 秒 (built {} files in {:.2} s)",
                written.files,
                written.bytes as f64 / 1e6,
                out.display(),
                started.elapsed().as_secs_f64(),
                written.files,
                started.elapsed().as_secs_f64(),
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            super::report(&diagnostics);
            eprintln!(
                "生成失败，输出文件夹未改动 (build failed; the output folder was left as it was)"
            );
            ExitCode::from(super::exit_code(&diagnostics))
        }
    }
}
