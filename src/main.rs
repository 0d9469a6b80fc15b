//! The `ecosite` command line: parses arguments, runs the site, prints diagnostics, and maps the
//! outcome to the exit code (0 success, 1 content errors, 2 usage or environment errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use ecosite::diagnostic::{self, Code, Diagnostic};
use ecosite::site::{self, BuildOptions};

#[derive(Parser)]
#[command(
    name = "ecosite",
    version,
    about = "芜湖市生态环境局 报告与开放数据网站生成器 (static report and open-data site generator)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// 生成整个网站 (build the whole site into the output folder)
    Build {
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
    },
    /// 检查内容与链接，不写入任何文件 (check content and links, writing nothing)
    Check {
        /// 站点根目录 (site root)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 计算栏目更新时间所用的“今天”，默认取系统日期 (the date freshness is measured against; default: today)
        #[arg(long)]
        today: Option<String>,
    },
    /// 生成某季度不可更改的存档 (write the immutable archive of a quarter)
    Snapshot {
        /// 报告期，例如 2024-Q2 (the quarter)
        #[arg(long)]
        period: String,
        /// 站点根目录 (site root)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 同时用 Chromium 打印 report.pdf (also print report.pdf with Chromium)
        #[arg(long)]
        pdf: bool,
    },
    /// 校验存档是否被改动 (re-hash an archive against its manifest)
    Verify {
        /// 存档文件夹，例如 archive/2024-Q2 (the archive folder)
        dir: PathBuf,
    },
    /// 本地预览：保存即刷新，显示草稿与错误 (live preview for editors)
    Serve {
        /// 站点根目录，含 content/ (site root)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 监听地址 (address to bind)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// 端口 (port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 启动后打开浏览器 (open a browser)
        #[arg(long)]
        open: bool,
    },
}

/// Environment problems (the output cannot be written) are exit 2; content problems exit 1.
fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    if diagnostics.iter().any(|d| d.code == Code::Output) {
        2
    } else {
        1
    }
}

fn report(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", diagnostic::render(diagnostics, color));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!("共 {errors} 个错误、{warnings} 个警告 ({errors} errors, {warnings} warnings)");
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            root,
            format,
            today,
        } => {
            let today = match today {
                Some(text) => {
                    match ecosite::period::Date::parse(&text) {
                        Some(date) => date,
                        None => {
                            eprintln!("--today“{text}”不是日期，应为 年-月-日 (--today must be YYYY-MM-DD)");
                            return ExitCode::from(2);
                        }
                    }
                }
                None => ecosite::snapshot::today(),
            };
            let (diagnostics, summary) = ecosite::check::run(&root, Some(today));
            match format {
                Format::Json => {
                    for d in &diagnostics {
                        println!("{}", d.to_json());
                    }
                }
                Format::Text => {
                    if !diagnostics.is_empty() {
                        report(&diagnostics);
                    }
                    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                    let warnings = diagnostics.len() - errors;
                    eprintln!(
                        "检查了 {} 个文件、{} 个页面、{} 个链接：{errors} 个错误、{warnings} 个警告 (checked {} files, {} pages, {} links: {errors} errors, {warnings} warnings)",
                        summary.files, summary.pages, summary.links, summary.files, summary.pages, summary.links
                    );
                }
            }
            if diagnostics.iter().any(|d| d.is_error()) {
                ExitCode::from(exit_code(&diagnostics))
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Snapshot { period, root, pdf } => {
            let options = ecosite::snapshot::SnapshotOptions { root, period, pdf };
            match ecosite::snapshot::create(&options) {
                Ok(dir) => {
                    eprintln!("已存档到 {} (archived)", dir.display());
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    report(&diagnostics);
                    ExitCode::from(exit_code(&diagnostics))
                }
            }
        }
        Command::Verify { dir } => match ecosite::snapshot::verify(&dir) {
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
                report(&[d]);
                ExitCode::from(1)
            }
        },
        Command::Serve {
            root,
            bind,
            port,
            open,
        } => {
            match ecosite::serve::run(ecosite::serve::ServeOptions {
                root,
                bind,
                port,
                open,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build {
            root,
            out,
            base_url,
            drafts,
        } => {
            let started = Instant::now();
            let out = out.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                root,
                drafts,
                base_url,
            };
            match site::build(&options, &out) {
                Ok(output) => {
                    eprintln!(
                        "已生成 {} 个文件 ({:.1} MB) 到 {}，用时 {:.2} 秒 (built {} files in {:.2} s)",
                        output.len(),
                        output.total_bytes() as f64 / 1e6,
                        out.display(),
                        started.elapsed().as_secs_f64(),
                        output.len(),
                        started.elapsed().as_secs_f64(),
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    report(&diagnostics);
                    eprintln!("生成失败，输出文件夹未改动 (build failed; the output folder was left as it was)");
                    ExitCode::from(exit_code(&diagnostics))
                }
            }
        }
    }
}
