//! The server side of `publish --to sftp://`: connecting (the host key checked against
//! known_hosts, keys from the agent or files), the release layout, the upload of a new release,
//! the one-step switch, the rollback and the clean-up of old releases.
//!
//! On the server the live path `P` (`/srv/www/site`) is a symlink to
//! `.site.ecosite/releases/<n>` beside it, and `releases/<n>.manifest` holds the release's
//! SHA256SUMS. A publish makes release `n + 1` next to the live one (hard links of the live
//! release's files when the server runs commands, then only the changed files are sent),
//! then renames a new symlink over `P` with the POSIX rename, which replaces it in one step.

use base64::prelude::{Engine as _, BASE64_STANDARD_NO_PAD};
use std::collections::HashSet;
use std::ffi::{c_char, c_int};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ssh2::{CheckResult, ErrorCode, HashType, KnownHostFileKind, OpenFlags, OpenType, Session};

use super::plan::{Plan, Sums};
use super::progress::Progress;
use super::target::{self, Target};
use crate::diagnostic::{Code, Diagnostic};
use crate::output::manifest;

/// Releases kept on the server: the live one and the two before it.
pub const KEEP: usize = 3;

// libssh2 has the posix-rename@openssh.com extension (the only SFTP rename that replaces an
// existing path, and atomically) but the ssh2 crate does not bind it.
extern "C" {
    fn libssh2_sftp_posix_rename_ex(
        sftp: *mut libssh2_sys::LIBSSH2_SFTP,
        source: *const c_char,
        source_len: usize,
        dest: *const c_char,
        dest_len: usize,
    ) -> c_int;
}

pub struct Options {
    pub identity: Option<PathBuf>,
    pub known_hosts: Option<PathBuf>,
}

/// A connected server and the layout of one target on it.
pub struct Remote {
    session: Session,
    sftp: ssh2::Sftp,
    pub target: Target,
    /// `.<name>.ecosite` beside the live path.
    state: String,
    /// Whether the server runs commands (`cp -al`); asked once.
    exec: std::cell::Cell<Option<bool>>,
}

/// What is on the server now.
pub struct State {
    pub live: Option<u32>,
    pub releases: Vec<u32>,
    /// The live path is an empty ordinary folder, replaced by the first publish.
    pub empty_folder: bool,
}

/// What a publish did.
pub struct Outcome {
    pub release: u32,
    pub uploaded: usize,
    pub bytes: u64,
    pub incremental: bool,
}

/// The target held by one publish; released when dropped, whatever happened.
pub struct Lock<'a> {
    remote: &'a Remote,
    dir: String,
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        let _ = self
            .remote
            .sftp
            .unlink(Path::new(&format!("{}/owner", self.dir)));
        let _ = self.remote.sftp.rmdir(Path::new(&self.dir));
    }
}

fn env_error(message: String, english: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::Output, message, english)
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `'...'` for the server's shell.
fn quote(path: &str) -> String {
    format!("'{}'", path.replace('\'', r"'\''"))
}

fn missing(e: &ssh2::Error) -> bool {
    matches!(e.code(), ErrorCode::SFTP(2))
}

impl Remote {
    /// Connects, checks the host key and logs in. Nothing on the server is read or changed.
    pub fn connect(target: Target, options: &Options) -> Result<Remote, Diagnostic> {
        let shown = target.display();
        let cannot = |e: &dyn std::fmt::Display| {
            env_error(
                format!("无法连接 {}:{}", target.host, target.port),
                format!("cannot connect to {shown}: {e}"),
            )
            .with_hint("检查服务器地址和端口、网络，以及服务器是否开启了 SSH")
        };
        let address = (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| cannot(&e))?
            .next()
            .ok_or_else(|| cannot(&"no address"))?;
        let handshake = |algorithms: &str| -> Result<Session, Diagnostic> {
            let tcp = TcpStream::connect_timeout(&address, Duration::from_secs(20))
                .map_err(|e| cannot(&e))?;
            let mut session = Session::new().map_err(|e| cannot(&e))?;
            session.set_tcp_stream(tcp);
            session.set_timeout(120_000);
            let _ = session.method_pref(ssh2::MethodType::HostKey, algorithms);
            session.handshake().map_err(|e| cannot(&e))?;
            Ok(session)
        };
        let file = options
            .known_hosts
            .clone()
            .or_else(|| home().map(|h| h.join(".ssh/known_hosts")))
            .unwrap_or_else(|| PathBuf::from("known_hosts"));
        // The order OpenSSH prefers, so that the key offered is most often the one `ssh`
        // recorded.
        let session = handshake(HOST_KEY_ORDER)?;
        let first = check_host_key(&session, &target, &file)?;
        let session = match first {
            CheckResult::Match => session,
            _ => {
                // libssh2 compares the server's key with every key recorded for the host, of
                // any kind, so a host recorded with another kind of key (an older ssh wrote
                // ECDSA, the server now prefers Ed25519) would read as changed. As OpenSSH
                // does, ask again for each kind of key recorded, and accept a match of one.
                let mut matched = None;
                for algorithms in recorded_kinds(&session, &file) {
                    let Ok(again) = handshake(algorithms) else {
                        continue;
                    };
                    if matches!(check_host_key(&again, &target, &file)?, CheckResult::Match) {
                        matched = Some(again);
                        break;
                    }
                }
                match matched {
                    Some(session) => session,
                    None => return Err(host_key_refused(first, &session, &target, &file)),
                }
            }
        };
        authenticate(&session, &target, options.identity.as_deref())?;
        let sftp = session.sftp().map_err(|e| {
            env_error(
                format!("服务器 {} 不提供 SFTP", target.host),
                format!("the server offers no SFTP: {e}"),
            )
        })?;
        let (parent, name) = target.parent_and_name();
        let state = format!("{}/.{name}.ecosite", parent.trim_end_matches('/'));
        let remote = Remote {
            session,
            sftp,
            target,
            state,
            exec: std::cell::Cell::new(None),
        };
        remote.refuse_home()?;
        Ok(remote)
    }

    /// The login's home folder, known only now, may not be the target nor inside it.
    fn refuse_home(&self) -> Result<(), Diagnostic> {
        let Ok(home) = self.sftp.realpath(Path::new(".")) else {
            return Ok(());
        };
        let home = home.to_string_lossy();
        if home != "/" && target::holds_home(&self.target.path, &home) {
            return Err(Diagnostic::error(
                Code::Usage,
                format!(
                    "拒绝发布到“{}”：它是（或包含）登录用户的主目录 {home}",
                    self.target.path
                ),
                "refused target path: it is or holds the login's home folder",
            )
            .with_hint("发布路径应是网站专用的文件夹，例如 /srv/www/ecosite"));
        }
        Ok(())
    }

    /// Holds the target for one publish or rollback: a folder made with mkdir, which only one
    /// of two publishers can make, so that two never write the same release.
    pub fn lock(&self) -> Result<Lock<'_>, Diagnostic> {
        let mut known = HashSet::new();
        self.make_dirs(&self.state, &mut known)?;
        let dir = format!("{}/lock", self.state);
        if self.sftp.mkdir(Path::new(&dir), 0o700).is_err() {
            let mut owner = String::new();
            if let Ok(mut file) = self.sftp.open(Path::new(&format!("{dir}/owner"))) {
                let _ = file.read_to_string(&mut owner);
            }
            return Err(env_error(
                format!(
                    "另一次发布正在进行：{}（{}）",
                    self.target.path,
                    owner.trim()
                ),
                "another publish or rollback holds the target",
            )
            .with_hint(format!(
                "等它结束后再发布；如果确认没有发布在进行（例如上次发布中途断开），请在服务器上删除文件夹 {dir}"
            )));
        }
        let owner = format!(
            "{} {} pid {}\n",
            crate::model::period::utc_rfc3339(crate::model::period::now_seconds()),
            std::env::var("USER").unwrap_or_default(),
            std::process::id()
        );
        let _ = self.upload(&format!("{dir}/owner"), owner.as_bytes());
        Ok(Lock { remote: self, dir })
    }

    fn releases_dir(&self) -> String {
        format!("{}/releases", self.state)
    }

    fn release_dir(&self, n: u32) -> String {
        format!("{}/releases/{n}", self.state)
    }

    fn manifest_path(&self, n: u32) -> String {
        format!("{}/releases/{n}.manifest", self.state)
    }

    /// What the live path's symlink says for release `n`: relative, so that it holds whatever
    /// the server's SFTP root is.
    fn link_text(&self, n: u32) -> String {
        let (_, name) = self.target.parent_and_name();
        format!(".{name}.ecosite/releases/{n}")
    }

    fn sftp_error(&self, what: &str, path: &str, e: ssh2::Error) -> Diagnostic {
        env_error(
            format!("服务器上{what}失败：{path}"),
            format!("{what} failed on the server ({path}): {e}"),
        )
    }

    /// The live release and the releases on the server. Refuses a live path ecosite did not make.
    pub fn state(&self) -> Result<State, Diagnostic> {
        let path = &self.target.path;
        let mut state = State {
            live: None,
            releases: Vec::new(),
            empty_folder: false,
        };
        match self.sftp.lstat(Path::new(path)) {
            Err(e) if missing(&e) => {}
            Err(e) => return Err(self.sftp_error("读取", path, e)),
            Ok(stat) if stat.file_type().is_symlink() => {
                let link = self
                    .sftp
                    .readlink(Path::new(path))
                    .map_err(|e| self.sftp_error("读取链接", path, e))?;
                let link = link.to_string_lossy();
                let (_, name) = self.target.parent_and_name();
                let n = link
                    .strip_prefix(&format!(".{name}.ecosite/releases/"))
                    .and_then(|n| n.parse::<u32>().ok());
                match n {
                    Some(n) => state.live = Some(n),
                    None => return Err(self.not_ours(&format!("它是指向 {link} 的符号链接"))),
                }
            }
            Ok(stat) if stat.is_dir() => {
                let entries = self
                    .sftp
                    .readdir(Path::new(path))
                    .map_err(|e| self.sftp_error("读取文件夹", path, e))?;
                if !entries.is_empty() {
                    return Err(self.not_ours("它是一个已有内容的普通文件夹"));
                }
                state.empty_folder = true;
            }
            Ok(_) => return Err(self.not_ours("它是一个文件")),
        }
        match self.sftp.readdir(Path::new(&self.releases_dir())) {
            Err(e) if missing(&e) => {}
            Err(e) => return Err(self.sftp_error("读取文件夹", &self.releases_dir(), e)),
            Ok(entries) => {
                state.releases = entries
                    .iter()
                    .filter(|(_, stat)| stat.is_dir())
                    .filter_map(|(p, _)| p.file_name()?.to_str()?.parse::<u32>().ok())
                    .collect();
                state.releases.sort_unstable();
            }
        }
        Ok(state)
    }

    fn not_ours(&self, what: &str) -> Diagnostic {
        let path = &self.target.path;
        Diagnostic::error(
            Code::Usage,
            format!("拒绝发布到“{path}”：{what}，不是 ecosite 发布的，发布会覆盖它"),
            "refused: the target exists and was not made by ecosite",
        )
        .with_hint(format!(
            "迁移办法：发布到一个新路径（例如 {path}-ecosite），核对无误后把网站服务器（nginx、Apache）的根目录指向该路径；原文件夹可保留备查"
        ))
    }

    /// The SHA256SUMS of release `n`; an empty manifest when it has none (everything is sent).
    pub fn manifest(&self, n: u32) -> Result<Option<Sums>, Diagnostic> {
        let path = self.manifest_path(n);
        let mut text = String::new();
        match self.sftp.open(Path::new(&path)) {
            Err(e) if missing(&e) => return Ok(None),
            Err(e) => return Err(self.sftp_error("读取", &path, e)),
            Ok(mut file) => file
                .read_to_string(&mut text)
                .map_err(|e| env_error(format!("服务器上读取失败：{path}"), e.to_string()))?,
        };
        manifest::parse(&text).map(Some).map_err(|_| {
            env_error(
                format!("服务器上的清单 {path} 格式不对"),
                "the release's manifest on the server is malformed",
            )
        })
    }

    /// Runs a command on the server: its exit status and error output, `None` when the server
    /// runs no commands. An exit status of 0 is not proof the command ran (an SFTP-only account
    /// runs its SFTP server instead), so callers check its effect.
    fn exec(&self, command: &str) -> Option<(i32, String)> {
        if self.exec.get() == Some(false) {
            return None;
        }
        let run = || -> Result<(i32, String), ssh2::Error> {
            let mut channel = self.session.channel_session()?;
            channel.exec(command)?;
            // An SFTP-only account (ForceCommand internal-sftp) answers any command with an
            // SFTP server reading its input: the end of input ends it at once.
            channel.send_eof()?;
            let mut out = String::new();
            let _ = channel.read_to_string(&mut out);
            let mut err = String::new();
            let _ = channel.stderr().read_to_string(&mut err);
            channel.wait_close()?;
            Ok((channel.exit_status()?, err))
        };
        match run() {
            Ok(result) => {
                self.exec.set(Some(true));
                Some(result)
            }
            Err(_) => {
                self.exec.set(Some(false));
                None
            }
        }
    }

    /// Creates `dir` and its missing parents (the ones in `known` exist).
    fn make_dirs(&self, dir: &str, known: &mut HashSet<String>) -> Result<(), Diagnostic> {
        if dir.is_empty() || dir == "/" || known.contains(dir) {
            return Ok(());
        }
        if let Some((parent, _)) = dir.rsplit_once('/') {
            self.make_dirs(parent, known)?;
        }
        if let Err(e) = self.sftp.mkdir(Path::new(dir), 0o755) {
            // An existing folder answers mkdir with a failure; only a missing one matters.
            match self.sftp.stat(Path::new(dir)) {
                Ok(stat) if stat.is_dir() => {}
                _ => return Err(self.sftp_error("新建文件夹", dir, e)),
            }
        }
        known.insert(dir.to_string());
        Ok(())
    }

    fn remove_tree(&self, dir: &str) -> Result<(), ssh2::Error> {
        for (path, stat) in self.sftp.readdir(Path::new(dir))? {
            let path = path.to_string_lossy().into_owned();
            if stat.is_dir() {
                self.remove_tree(&path)?;
            } else {
                self.sftp.unlink(Path::new(&path))?;
            }
        }
        self.sftp.rmdir(Path::new(dir))
    }

    /// Deletes a release and its manifest: `rm -rf` when the server runs commands (one round
    /// trip instead of one a file), then file by file whatever is left.
    fn remove_release(&self, n: u32) -> Result<(), Diagnostic> {
        let dir = self.release_dir(n);
        let _ = self.exec(&format!("rm -rf -- {}", quote(&dir)));
        match self.remove_tree(&dir) {
            Err(e) if !missing(&e) => return Err(self.sftp_error("删除", &dir, e)),
            _ => {}
        }
        let _ = self.sftp.unlink(Path::new(&self.manifest_path(n)));
        Ok(())
    }

    fn upload(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let mut file = self
            .sftp
            .open_mode(
                Path::new(path),
                OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE,
                0o644,
                OpenType::File,
            )
            .map_err(|e| self.sftp_error("写入", path, e))?;
        file.write_all(bytes)
            .map_err(|e| env_error(format!("服务器上写入失败：{path}"), e.to_string()))
    }

    /// Makes a new release of `files` beside the live one and switches to it. `plan` is the
    /// difference from the live release's manifest `live_sums`.
    pub fn publish<'a>(
        &self,
        state: &State,
        live_sums: Option<&Sums>,
        plan: &Plan,
        files: &dyn Fn(&str) -> Option<&'a [u8]>,
        sums: &Sums,
    ) -> Result<Outcome, Diagnostic> {
        let mut known = HashSet::new();
        self.make_dirs(&self.releases_dir(), &mut known)?;
        let n = state.releases.iter().max().map_or(1, |m| m + 1);
        let new = self.release_dir(n);
        // The copy is of hard links: the old release's files are never written, since every
        // changed file is unlinked in the new release before it is written again.
        let incremental = match (state.live, live_sums) {
            (Some(live), Some(_)) => {
                let copy = format!(
                    "cp -al -- {} {}",
                    quote(&self.release_dir(live)),
                    quote(&new)
                );
                match self.exec(&copy) {
                    Some((0, _)) if self.sftp.stat(Path::new(&new)).is_ok() => true,
                    Some(_) => {
                        let _ = self.remove_release(n);
                        false
                    }
                    None => false,
                }
            }
            _ => false,
        };
        let uploads: Vec<&str> = if incremental {
            plan.uploads()
        } else {
            if state.live.is_some() {
                eprintln!(
                    "服务器不允许运行命令（或没有上一版本的清单），新版本将完整上传 (the server runs no commands, or the live release has no manifest: uploading every file)"
                );
            }
            self.make_dirs(&new, &mut known)?;
            sums.keys().map(String::as_str).collect()
        };
        if incremental {
            known.insert(new.clone());
            for path in &plan.removed {
                let file = format!("{new}/{path}");
                let _ = self.sftp.unlink(Path::new(&file));
                // Folders left empty go with their last file; rmdir fails on any other.
                let mut dir = path.as_str();
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    if self
                        .sftp
                        .rmdir(Path::new(&format!("{new}/{parent}")))
                        .is_err()
                    {
                        break;
                    }
                    dir = parent;
                }
            }
        }
        let mut progress = Progress::new(uploads.len());
        for path in &uploads {
            let bytes = files(path).unwrap_or_default();
            let file = format!("{new}/{path}");
            if let Some((dir, _)) = file.rsplit_once('/') {
                if !incremental || plan.added.binary_search(&path.to_string()).is_ok() {
                    self.make_dirs(dir, &mut known)?;
                }
            }
            if incremental {
                match self.sftp.unlink(Path::new(&file)) {
                    Err(e) if !missing(&e) => return Err(self.sftp_error("删除", &file, e)),
                    _ => {}
                }
            }
            self.upload(&file, bytes)?;
            progress.tick(bytes.len());
        }
        let (uploaded, bytes) = progress.finish();
        self.upload(
            &self.manifest_path(n),
            manifest::write_sums(sums).as_bytes(),
        )?;
        if state.empty_folder {
            self.sftp
                .rmdir(Path::new(&self.target.path))
                .map_err(|e| self.sftp_error("删除空文件夹", &self.target.path, e))?;
        }
        self.switch(n)?;
        self.clean_up(n)?;
        Ok(Outcome {
            release: n,
            uploaded,
            bytes,
            incremental,
        })
    }

    /// Makes release `n` live in one step: a new symlink renamed over the live path.
    fn switch(&self, n: u32) -> Result<(), Diagnostic> {
        let link = format!("{}/switch", self.state);
        let _ = self.sftp.unlink(Path::new(&link));
        // ssh2 passes the arguments in the order OpenSSH's server reads them: the symlink's
        // text first, then where the symlink is made.
        self.sftp
            .symlink(Path::new(&self.link_text(n)), Path::new(&link))
            .map_err(|e| self.sftp_error("新建符号链接", &link, e))?;
        let renamed = self.posix_rename(&link, &self.target.path).or_else(|e| {
            // Without the extension, GNU mv -T is the same rename(2) run by the server.
            let command = format!("mv -T -f -- {} {}", quote(&link), quote(&self.target.path));
            let done = |_: &(i32, String)| {
                let now = self.sftp.readlink(Path::new(&self.target.path));
                now.is_ok_and(|l| l.to_string_lossy() == self.link_text(n))
            };
            match self.exec(&command) {
                Some(result) if result.0 == 0 && done(&result) => Ok(()),
                _ => Err(e),
            }
        });
        renamed.map_err(|e| {
            let _ = self.sftp.unlink(Path::new(&link));
            env_error(
                format!("无法切换 {} 到新版本：服务器既不支持 posix-rename@openssh.com，也不允许运行 mv", self.target.path),
                format!("cannot switch the live path: {e}"),
            )
            .with_hint("OpenSSH 的 SFTP 服务器都支持该扩展；请向服务器管理员确认所用的 SFTP 服务")
        })
    }

    /// The posix-rename@openssh.com request, on a second SFTP channel of the same session.
    fn posix_rename(&self, from: &str, to: &str) -> Result<(), String> {
        let mut session = self.session.raw();
        let raw: *mut libssh2_sys::LIBSSH2_SESSION = &mut *session;
        // SAFETY: the session is locked for the whole call and blocking; the SFTP handle made
        // here is shut down before the lock is released, and both strings outlive the call.
        unsafe {
            let sftp = libssh2_sys::libssh2_sftp_init(raw);
            if sftp.is_null() {
                return Err("cannot open a second SFTP channel".into());
            }
            let rc = libssh2_sftp_posix_rename_ex(
                sftp,
                from.as_ptr().cast(),
                from.len(),
                to.as_ptr().cast(),
                to.len(),
            );
            let detail = libssh2_sys::libssh2_sftp_last_error(sftp);
            libssh2_sys::libssh2_sftp_shutdown(sftp);
            if rc == 0 {
                Ok(())
            } else {
                Err(format!("posix-rename failed ({rc}, SFTP status {detail})"))
            }
        }
    }

    /// Keeps the live release and the [`KEEP`] − 1 before it; releases above the live one are
    /// a failed publish's or a rolled-back one's.
    fn clean_up(&self, live: u32) -> Result<(), Diagnostic> {
        let state = self.state()?;
        let mut below: Vec<u32> = state
            .releases
            .iter()
            .copied()
            .filter(|&r| r < live)
            .collect();
        below.sort_unstable_by(|a, b| b.cmp(a));
        let old = below.into_iter().skip(KEEP - 1);
        let above = state.releases.iter().copied().filter(|&r| r > live);
        for n in old.chain(above).collect::<Vec<_>>() {
            self.remove_release(n)?;
        }
        Ok(())
    }

    /// Makes the release before the live one live again; the release rolled back from is
    /// deleted, so that the live release is always the newest.
    pub fn rollback(&self) -> Result<(u32, u32), Diagnostic> {
        let state = self.state()?;
        let Some(live) = state.live else {
            return Err(Diagnostic::error(
                Code::Usage,
                format!("{} 还没有用 ecosite 发布过，无法回滚", self.target.path),
                "nothing was published there: nothing to roll back",
            ));
        };
        let Some(previous) = state.releases.iter().copied().filter(|&r| r < live).max() else {
            return Err(Diagnostic::error(
                Code::Usage,
                format!("服务器上没有版本 {live} 之前的版本，无法回滚"),
                "no previous release on the server",
            ));
        };
        self.switch(previous)?;
        self.clean_up(previous)?;
        Ok((live, previous))
    }
}

/// The host key algorithms in the order OpenSSH's client asks for them.
const HOST_KEY_ORDER: &str = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

/// The algorithms to ask for, one list for each kind of key recorded in known_hosts (of any
/// host: a hashed name cannot be told from the file). A key's base64 starts with its kind.
fn recorded_kinds(session: &Session, file: &Path) -> Vec<&'static str> {
    const KINDS: [(&str, &str); 5] = [
        ("AAAAC3NzaC1lZDI1NTE5", "ssh-ed25519"),
        ("AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY", "ecdsa-sha2-nistp256"),
        ("AAAAE2VjZHNhLXNoYTItbmlzdHAzODQ", "ecdsa-sha2-nistp384"),
        ("AAAAE2VjZHNhLXNoYTItbmlzdHA1MjE", "ecdsa-sha2-nistp521"),
        ("AAAAB3NzaC1yc2E", "rsa-sha2-512,rsa-sha2-256,ssh-rsa"),
    ];
    let Ok(mut hosts) = session.known_hosts() else {
        return Vec::new();
    };
    if hosts.read_file(file, KnownHostFileKind::OpenSSH).is_err() {
        return Vec::new();
    }
    let keys: Vec<String> = hosts
        .iter()
        .unwrap_or_default()
        .iter()
        .map(|h| h.key().to_string())
        .collect();
    KINDS
        .iter()
        .filter(|(prefix, _)| keys.iter().any(|k| k.starts_with(prefix)))
        .map(|(_, algorithms)| *algorithms)
        .collect()
}

/// The server's key against the known hosts file; a missing file knows no host.
fn check_host_key(
    session: &Session,
    target: &Target,
    file: &Path,
) -> Result<CheckResult, Diagnostic> {
    let (key, _) = session.host_key().ok_or_else(|| {
        env_error(
            "服务器没有出示主机密钥".into(),
            "the server showed no host key",
        )
    })?;
    if !file.is_file() {
        return Ok(CheckResult::NotFound);
    }
    let mut hosts = session
        .known_hosts()
        .map_err(|e| env_error("无法检查主机密钥".into(), e.to_string()))?;
    hosts
        .read_file(file, KnownHostFileKind::OpenSSH)
        .map_err(|e| {
            env_error(
                format!("无法读取 {}", file.display()),
                format!("cannot read the known hosts: {e}"),
            )
        })?;
    Ok(hosts.check_port(&target.host, target.port, key))
}

/// Why the server's key was not taken, with its fingerprint and what to do.
fn host_key_refused(
    result: CheckResult,
    session: &Session,
    target: &Target,
    file: &Path,
) -> Diagnostic {
    let fingerprint = session
        .host_key_hash(HashType::Sha256)
        .map(|h| format!("SHA256:{}", BASE64_STANDARD_NO_PAD.encode(h)))
        .unwrap_or_default();
    let host = &target.host;
    let port = target.port;
    let ssh = if port == target::DEFAULT_PORT {
        format!("ssh {}@{host}", target.user)
    } else {
        format!("ssh -p {port} {}@{host}", target.user)
    };
    match result {
        CheckResult::NotFound => env_error(
            format!(
                "服务器 {host} 的主机密钥不在 {} 中，无法确认连接的是真正的服务器，已拒绝",
                file.display()
            ),
            format!("unknown host key ({fingerprint}): refused"),
        )
        .with_hint(format!(
            "向服务器管理员核对主机密钥指纹 {fingerprint}；一致后用 {ssh} 登录一次并回答 yes 记下它，再发布（或用 --known-hosts 指定记有它的文件）"
        )),
        CheckResult::Mismatch => env_error(
            format!(
                "服务器 {host} 的主机密钥与 {} 中记下的不同：可能有人冒充服务器，也可能服务器更换了密钥；已拒绝连接",
                file.display()
            ),
            format!("the host key ({fingerprint}) differs from the known one: refused"),
        )
        .with_hint(format!(
            "先向服务器管理员核实新的指纹 {fingerprint}；确认是换了密钥后，用 ssh-keygen -R {} -f {} 删去旧记录，再用 {ssh} 登录一次记下新密钥",
            if port == target::DEFAULT_PORT {
                host.clone()
            } else {
                format!("'[{host}]:{port}'")
            },
            file.display()
        )),
        _ => env_error(
            format!("无法检查服务器 {host} 的主机密钥"),
            "the host key check failed",
        ),
    }
}

fn authenticate(
    session: &Session,
    target: &Target,
    identity: Option<&Path>,
) -> Result<(), Diagnostic> {
    let user = &target.user;
    let mut tried = Vec::new();
    if let Some(key) = identity {
        let _ = session.userauth_pubkey_file(user, None, key, None);
        tried.push(key.display().to_string());
    } else {
        if std::env::var_os("SSH_AUTH_SOCK").is_some() {
            let _ = session.userauth_agent(user);
            tried.push("SSH agent".to_string());
        }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            if session.authenticated() {
                break;
            }
            let Some(key) = home().map(|h| h.join(".ssh").join(name)) else {
                break;
            };
            if key.is_file() {
                let _ = session.userauth_pubkey_file(user, None, &key, None);
                tried.push(key.display().to_string());
            }
        }
    }
    if session.authenticated() {
        return Ok(());
    }
    let tried = if tried.is_empty() {
        "没有找到任何密钥".to_string()
    } else {
        tried.join("、")
    };
    Err(env_error(
        format!("无法以 {user} 登录 {}：试过 {tried}", target.host),
        format!("authentication failed for {user} (tried: {tried})"),
    )
    .with_hint("把公钥加入服务器上该用户的 ~/.ssh/authorized_keys；有口令的私钥请先用 ssh-add 加入 SSH agent，或用 --identity 指定无口令的私钥"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(quote("/srv/a b"), "'/srv/a b'");
        assert_eq!(quote("/srv/it's"), r"'/srv/it'\''s'");
    }
}
