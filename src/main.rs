//! The `ecosite` command line: parses the arguments and hands them to the command's module in
//! `ecosite::cmd`, which prints what happened and chooses the exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use ecosite::cmd;

// A build makes and drops millions of small strings, most of them on rayon's threads: glibc's
// allocator spent a quarter of the time of a build of 1,000 targets in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ecosite",
    version,
    about = "生态环境局工作进展报告与开放数据网站生成器 (static report and open-data site generator)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成整个网站 (build the whole site into the output folder)
    Build(cmd::build::Args),
    /// 检查内容与链接，不写入任何文件 (check content and links, writing nothing)
    Check(cmd::check::Args),
    /// 生成某季度不可更改的存档 (write the immutable archive of a quarter)
    Snapshot(cmd::snapshot::Args),
    /// 校验存档是否被改动 (re-hash an archive against its manifest)
    Verify(cmd::verify::Args),
    /// 本地预览：保存即刷新，显示草稿与错误 (live preview for editors)
    Serve(cmd::serve::Args),
    /// 生成某季度的报送表 (.xlsx)，供各部门填写 (write a quarter's collection form)
    Sheet(cmd::sheet::Args),
    /// 检查并导入填好的报送表，原位改写内容文件 (import a filled-in collection form)
    Import(cmd::import::Args),
    /// 新建网站，或用 --from 从本年度的网站开始下一年度 (a new site, or next year's from this one)
    New(cmd::new::Args),
    /// 发布到服务器（SFTP，可回滚）或生成上传用的发布包 (publish over SFTP, or as a zip package)
    Publish(cmd::publish::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Snapshot(args) => cmd::snapshot::run(args),
        Command::Verify(args) => cmd::verify::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Sheet(args) => cmd::sheet::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Publish(args) => cmd::publish::run(args),
    }
}
