//! The `--to` address (`sftp://user@host[:port]/path`) and the paths a publish refuses: the
//! server's root, a home folder, a system folder, anything too shallow to be a site's own.

use crate::diagnostic::{Code, Diagnostic};

pub const DEFAULT_PORT: u16 = 22;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub user: String,
    pub host: String,
    pub port: u16,
    /// Absolute, without a trailing `/`, every component checked.
    pub path: String,
}

impl Target {
    /// The address as it is logged and shown: never a password.
    pub fn display(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let port = if self.port == DEFAULT_PORT {
            String::new()
        } else {
            format!(":{}", self.port)
        };
        format!("sftp://{}@{host}{port}{}", self.user, self.path)
    }

    /// The folder the live path sits in, and its name.
    pub fn parent_and_name(&self) -> (&str, &str) {
        let at = self.path.rfind('/').unwrap_or(0);
        let parent = if at == 0 { "/" } else { &self.path[..at] };
        (parent, &self.path[at + 1..])
    }
}

fn usage(message: String, english: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::Usage, message, english).with_hint(
        "写成 sftp://用户名@服务器[:端口]/网站的绝对路径，例如 sftp://webadmin@10.0.0.8/srv/www/ecosite",
    )
}

/// Parses `sftp://user@host[:port]/path`. A password in the address is refused: keys only.
pub fn parse(text: &str) -> Result<Target, Diagnostic> {
    let rest = text.strip_prefix("sftp://").ok_or_else(|| {
        usage(
            format!("发布地址“{text}”不是 sftp:// 地址"),
            "the target must be an sftp:// address",
        )
    })?;
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let (user, host_port) = authority.rsplit_once('@').ok_or_else(|| {
        usage(
            format!("发布地址“{text}”缺少用户名"),
            "the target names no user (user@host)",
        )
    })?;
    if user.contains(':') {
        return Err(Diagnostic::error(
            Code::Usage,
            "发布地址里不能写密码：ecosite 只用 SSH 密钥登录",
            "no password in the address: ecosite logs in with SSH keys only",
        )
        .with_hint(
            "去掉地址中的“:密码”，把公钥加入服务器的 authorized_keys，或用 --identity 指定私钥",
        ));
    }
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        None => DEFAULT_PORT,
        Some(p) => p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
            usage(
                format!("发布地址“{text}”的端口“{p}”无效"),
                "the port is not a number from 1 to 65535",
            )
        })?,
    };
    if user.is_empty() || host.is_empty() {
        return Err(usage(
            format!("发布地址“{text}”缺少用户名或服务器"),
            "the target names no user or host",
        ));
    }
    Ok(Target {
        user: user.to_string(),
        host: host.to_string(),
        port,
        path: check_path(path)?,
    })
}

/// Folders of the system that no site lives directly in.
const SYSTEM: [&str; 12] = [
    "bin", "boot", "dev", "etc", "lib", "lib64", "proc", "run", "sbin", "sys", "usr", "root",
];

fn refused(path: &str, why: &str, english: &str) -> Diagnostic {
    Diagnostic::error(
        Code::Usage,
        format!("拒绝发布到“{path}”：{why}"),
        format!("refused target path: {english}"),
    )
    .with_hint("发布路径应是网站专用的文件夹（至少两级），例如 /srv/www/ecosite 或 /var/www/sthjj；它会成为指向当前版本的符号链接")
}

/// The target path, normalised, or why it is refused. The server's home folder is checked
/// again once connected, when it is known.
pub fn check_path(path: &str) -> Result<String, Diagnostic> {
    if path.is_empty() || path == "/" {
        return Err(refused("/", "这是服务器的根目录", "the server's root"));
    }
    let inner = path.strip_prefix('/').unwrap_or(path);
    if inner.starts_with('~') {
        return Err(refused(
            path,
            "这是用户的主目录；请写网站文件夹的绝对路径",
            "a home folder; give the site folder's absolute path",
        ));
    }
    let trimmed = inner.trim_end_matches('/');
    let parts: Vec<&str> = trimmed.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(refused(
            path,
            "路径中有空的、“.”或“..”的部分",
            "empty, `.` or `..` components",
        ));
    }
    if parts.len() < 2 {
        return Err(refused(
            path,
            "路径太浅，像是系统的文件夹",
            "too shallow: one component is a system folder",
        ));
    }
    if parts[0] == "home" && parts.len() == 2 || parts[0] == "Users" && parts.len() == 2 {
        return Err(refused(path, "这是用户的主目录", "a home folder"));
    }
    if SYSTEM.contains(&parts[0]) {
        return Err(refused(path, "这是系统的文件夹", "a system folder"));
    }
    Ok(format!("/{trimmed}"))
}

/// Whether `path` is the home folder `home` or contains it.
pub fn holds_home(path: &str, home: &str) -> bool {
    let home = home.trim_end_matches('/');
    path == home || home.starts_with(&format!("{path}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_with_default_and_explicit_ports() {
        let t = parse("sftp://web@10.0.0.8/srv/www/ecosite/").unwrap();
        assert_eq!(
            (t.user.as_str(), t.host.as_str(), t.port, t.path.as_str()),
            ("web", "10.0.0.8", 22, "/srv/www/ecosite")
        );
        assert_eq!(t.display(), "sftp://web@10.0.0.8/srv/www/ecosite");
        assert_eq!(t.parent_and_name(), ("/srv/www", "ecosite"));
        let t = parse("sftp://root@127.0.0.1:2222/data/www/site").unwrap();
        assert_eq!(t.port, 2222);
        assert_eq!(t.display(), "sftp://root@127.0.0.1:2222/data/www/site");
        let t = parse("sftp://u@[::1]:2200/srv/site").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 2200));
        for bad in [
            "ftp://u@h/srv/site",
            "sftp://h/srv/site",
            "sftp://u@h:0/srv/site",
            "sftp://u@h:x/srv/site",
            "sftp://@h/srv/site",
            "sftp://u:secret@h/srv/site",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_root_home_system_and_shallow_paths_are_refused() {
        for bad in [
            "",
            "/",
            "//",
            "~",
            "/~",
            "/~/site",
            "/var",
            "/srv/",
            "/home/web",
            "/root/site",
            "/etc/nginx",
            "/usr/share",
            "/srv/../etc",
            "/srv/./x",
            "/srv//x",
            "/Users/me",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        for good in [
            "/srv/www",
            "/var/www/ecosite",
            "/home/web/site",
            "/data/a/site",
        ] {
            assert_eq!(check_path(good).unwrap(), good);
        }
        assert!(holds_home("/home/web", "/home/web/"));
        assert!(holds_home("/data/users", "/data/users/web"));
        assert!(!holds_home("/home/web/site", "/home/web"));
        assert!(!holds_home("/home/we", "/home/web"));
    }
}
