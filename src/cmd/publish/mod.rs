//! `ecosite publish`: the site built in memory (never drafts, never with an error) goes to the
//! bureau's server over SFTP (`--to`, a new release beside the live one made live in one step,
//! `--rollback` back to the previous one) or into a zip for an upload platform (`--package`),
//! and every publish is recorded in the site root's `publish/` folder. `plan` is what changed,
//! `sftp` the server, `package` the zip, `log` the record, `target` the address.

pub mod log;
pub mod package;
pub mod plan;
pub mod progress;
pub mod sftp;
pub mod target;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use plan::{Plan, Sums};

use crate::diagnostic::{Code, Diagnostic};
use crate::output::{disk, lock, manifest, Output};
use crate::site::{BuildOptions, Site};

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("where").required(true).args(["to", "package"]))]
pub struct Args {
    /// 站点根目录 (site root)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 发布到服务器：sftp://用户@服务器[:端口]/路径 (the server and the live path)
    #[arg(long, value_name = "URL")]
    to: Option<String>,
    /// 生成上传用的 zip 发布包 (write a zip package for an upload platform)
    #[arg(long, value_name = "FILE.zip")]
    package: Option<PathBuf>,
    /// 把服务器上的上一版本恢复为当前版本 (make the previous release live again)
    #[arg(long, requires = "to", conflicts_with = "dry_run")]
    rollback: bool,
    /// 只列出将新增、改动、删除的文件，不做任何改动 (list what would change, change nothing)
    #[arg(long)]
    dry_run: bool,
    /// SSH 私钥文件，默认用 SSH agent 或 ~/.ssh 中的密钥 (the private key file)
    #[arg(long, value_name = "FILE")]
    identity: Option<PathBuf>,
    /// known_hosts 文件，默认 ~/.ssh/known_hosts (the known hosts file)
    #[arg(long, value_name = "FILE")]
    known_hosts: Option<PathBuf>,
}

fn fail(diagnostics: Vec<Diagnostic>) -> ExitCode {
    super::report(&diagnostics);
    ExitCode::from(super::exit_code(&diagnostics))
}

pub fn run(args: Args) -> ExitCode {
    if let Err(d) = super::require_root(&args.root) {
        return fail(vec![d]);
    }
    let target = match args.to.as_deref().map(target::parse).transpose() {
        Ok(target) => target,
        Err(d) => return fail(vec![d]),
    };
    let options = sftp::Options {
        identity: args.identity.clone(),
        known_hosts: args.known_hosts.clone(),
    };
    // A dry run changes nothing, not even the root's lock.
    let _lock = if args.dry_run {
        None
    } else {
        match lock::acquire(&args.root.join(disk::WORK_DIR), "publish") {
            Ok(lock) => Some(lock),
            Err(d) => return fail(vec![d]),
        }
    };
    if let (true, Some(target)) = (args.rollback, &target) {
        return match rollback(&args.root, target.clone(), &options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => fail(d),
        };
    }
    let output = match built(&args.root) {
        Ok((output, warnings)) => {
            // The publish is not the place to read them, but the webmaster should know.
            if warnings > 0 {
                eprintln!("网站有 {warnings} 个警告，可用 ecosite check 查看 ({warnings} warnings: see ecosite check)");
            }
            output
        }
        Err(d) => {
            super::report(&d);
            eprintln!("网站有错误，没有发布任何文件 (the site has errors: nothing was published)");
            return ExitCode::from(super::exit_code(&d));
        }
    };
    let result = match (target, &args.package) {
        (Some(target), _) => to_server(&args.root, target, &options, &output, args.dry_run),
        (None, Some(package)) => to_package(&args.root, package, &output, args.dry_run),
        (None, None) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(d),
    }
}

/// The site as `build` makes it, drafts left out, refused on any error `check` would find;
/// with the number of warnings.
pub fn built(root: &Path) -> Result<(Output, usize), Vec<Diagnostic>> {
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
    })?;
    let output = site.render()?;
    let (found, _) = super::check::check_output(&site.model, &output, None);
    let mut warnings = site.warnings;
    if found.iter().any(Diagnostic::is_error) {
        warnings.extend(found);
        crate::diagnostic::sort(&mut warnings);
        return Err(warnings);
    }
    Ok((output, warnings.len() + found.len()))
}

fn sums_of(output: &Output) -> Sums {
    manifest::sums(output.iter())
}

fn print_plan(plan: &Plan, dry_run: bool) {
    if dry_run {
        print!("{}", plan.listing());
        println!(
            "{}（试运行，未做任何改动） (dry run: nothing was changed)",
            plan.counts()
        );
    } else {
        eprintln!("{}", plan.counts());
    }
}

fn to_server(
    root: &Path,
    target: target::Target,
    options: &sftp::Options,
    output: &Output,
    dry_run: bool,
) -> Result<(), Vec<Diagnostic>> {
    let sums = sums_of(output);
    let shown = target.display();
    let remote = sftp::Remote::connect(target, options).map_err(|d| vec![d])?;
    let _held = if dry_run {
        None
    } else {
        Some(remote.lock().map_err(|d| vec![d])?)
    };
    let state = remote.state().map_err(|d| vec![d])?;
    let live_sums = match state.live {
        Some(n) => remote.manifest(n).map_err(|d| vec![d])?,
        None => None,
    };
    let empty = Sums::new();
    let plan = Plan::diff(live_sums.as_ref().unwrap_or(&empty), &sums);
    print_plan(&plan, dry_run);
    if dry_run {
        return Ok(());
    }
    if plan.is_empty() && state.live.is_some() {
        eprintln!("服务器上的版本已是最新，没有上传任何文件 (the live release is up to date)");
    }
    let outcome = if plan.is_empty() && state.live.is_some() {
        None
    } else {
        let files = |path: &str| output.get(path);
        Some(
            remote
                .publish(&state, live_sums.as_ref(), &plan, &files, &sums)
                .map_err(|d| vec![d])?,
        )
    };
    if let Some(outcome) = &outcome {
        eprintln!(
            "已上传 {} 个文件 ({:.1} MB){}，版本 {} 已生效：{} (uploaded {} files; release {} is live)",
            outcome.uploaded,
            outcome.bytes as f64 / 1e6,
            if outcome.incremental {
                "，其余文件沿用上一版本"
            } else {
                ""
            },
            outcome.release,
            shown,
            outcome.uploaded,
            outcome.release,
        );
    }
    log::append(
        root,
        &log::Record {
            kind: "sftp",
            target: shown,
            release: outcome.as_ref().map(|o| o.release).or(state.live),
            plan: &plan,
            manifest: manifest::sums_hash(&sums),
        },
    )
    .map_err(|d| vec![d])?;
    log::save(root, &sums, live_sums.as_ref()).map_err(|d| vec![d])
}

fn rollback(
    root: &Path,
    target: target::Target,
    options: &sftp::Options,
) -> Result<(), Vec<Diagnostic>> {
    let shown = target.display();
    let remote = sftp::Remote::connect(target, options).map_err(|d| vec![d])?;
    let _held = remote.lock().map_err(|d| vec![d])?;
    let (from, to) = remote.rollback().map_err(|d| vec![d])?;
    eprintln!(
        "已回滚：版本 {to} 重新生效，版本 {from} 已删除：{shown} (rolled back to release {to})"
    );
    // What is live now is what the record compares with from here on.
    let live = remote.manifest(to).map_err(|d| vec![d])?;
    let replaced = log::last(root).ok().flatten();
    let plan = Plan::diff(
        replaced.as_ref().unwrap_or(&Sums::new()),
        live.as_ref().unwrap_or(&Sums::new()),
    );
    log::append(
        root,
        &log::Record {
            kind: "rollback",
            target: shown,
            release: Some(to),
            plan: &plan,
            manifest: manifest::sums_hash(live.as_ref().unwrap_or(&Sums::new())),
        },
    )
    .map_err(|d| vec![d])?;
    match &live {
        Some(live) => log::save(root, live, replaced.as_ref()).map_err(|d| vec![d]),
        None => Ok(()),
    }
}

fn to_package(
    root: &Path,
    file: &Path,
    output: &Output,
    dry_run: bool,
) -> Result<(), Vec<Diagnostic>> {
    let sums = sums_of(output);
    let last = log::last(root).map_err(|d| vec![d])?;
    // The same content packaged again is judged against what its first package was, so that
    // the same content always gives the same package.
    let base = match last {
        Some(last) if last == sums => log::before(root).map_err(|d| vec![d])?,
        other => other,
    };
    let plan = Plan::diff(base.as_ref().unwrap_or(&Sums::new()), &sums);
    print_plan(&plan, dry_run);
    if dry_run {
        return Ok(());
    }
    let bytes = package::zip(output.iter(), &sums, &plan, base.as_ref()).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            "无法生成发布包",
            format!("cannot make the package: {e}"),
        )]
    })?;
    package::write(file, &bytes).map_err(|e| {
        vec![Diagnostic::error(
            Code::Output,
            format!("无法写入发布包 {}", file.display()),
            e.to_string(),
        )
        .with_hint("检查该文件夹是否存在、是否可写")]
    })?;
    eprintln!(
        "已生成发布包 {}：{} 个文件 ({:.1} MB)，变更清单见包内 {} (wrote the package; its change list is {})",
        file.display(),
        output.len(),
        bytes.len() as f64 / 1e6,
        package::CHANGES,
        package::CHANGES,
    );
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    log::append(
        root,
        &log::Record {
            kind: "package",
            target: name,
            release: None,
            plan: &plan,
            manifest: manifest::sums_hash(&sums),
        },
    )
    .map_err(|d| vec![d])?;
    log::save(root, &sums, base.as_ref()).map_err(|d| vec![d])
}
