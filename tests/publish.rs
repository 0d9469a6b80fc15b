//! Issue 20, `ecosite publish`: the zip package (reproducible, the site as `build` makes it, no
//! draft, a change list that names exactly what changed), the record in `publish/`, `check`'s
//! warning about unpublished changes, the refusals (a site with an error, a bad target), and,
//! against a real OpenSSH server started on a local port, the incremental upload, the one-step
//! switch, the rollback and the host key check.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

const DRAFT: &str = "---\ntitle: 内部讨论稿（勿发布）\ndate: 2023-11-02\nquarter: 2023-Q4\ndraft: true\n---\n\n这是尚未审定的内部文字。\n";

const SUMMARY: &str = "content/summaries/water/2024-q1-clear-water.md";

fn publish(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecosite"))
        .args(["publish", "--root", root.to_str().unwrap()])
        .args(args)
        .env_remove("SSH_AUTH_SOCK")
        .output()
        .unwrap()
}

/// Changes one summary's title: the edit a quarter's correction makes.
fn edit_summary(root: &Path, to: &str) {
    let path = root.join(SUMMARY);
    let text = read(&path);
    let (head, rest) = text.split_once("title: ").unwrap();
    let (_, rest) = rest.split_once('\n').unwrap();
    fs::write(&path, format!("{head}title: {to}\n{rest}")).unwrap();
}

/// The site `build` writes, without its output marker: what a publish must carry.
fn built(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let result = build(root, out);
    assert!(result.status.success(), "{}", stderr(&result));
    tree(out)
        .into_iter()
        .filter(|(p, _)| p != ".ecosite-output")
        .collect()
}

/// Every entry of a zip with its bytes.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        entries.insert(file.name().unwrap().into_owned(), bytes);
    }
    entries
}

fn log_lines(root: &Path) -> Vec<serde_json::Value> {
    let path = root.join("publish/log.jsonl");
    if !path.exists() {
        return Vec::new();
    }
    read(&path)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn warns_unpublished(root: &Path) -> bool {
    let (code, diagnostics) = check_json(root);
    assert_eq!(code, Some(0), "{diagnostics:#?}");
    diagnostics.iter().any(|d| d["code"] == "W0804")
}

#[test]
fn a_package_is_the_built_site_with_its_manifest_reproducible_and_without_drafts() {
    let site = default_site();
    let root = site.path();
    let folder = root.join("content/summaries/air/2023");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("internal.md"), DRAFT).unwrap();
    assert!(
        !warns_unpublished(root),
        "no publish yet, nothing to warn of"
    );

    let one = root.join("one.zip");
    let two = root.join("two.zip");
    for file in [&one, &two] {
        let result = publish(root, &["--package", file.to_str().unwrap()]);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    assert!(
        fs::read(&one).unwrap() == fs::read(&two).unwrap(),
        "the same content gives the same bytes"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&one).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "others may read the package: {mode:o}");
    }
    let entries = unzip(&one);
    let site_files: BTreeMap<String, Vec<u8>> = entries
        .iter()
        .filter_map(|(name, bytes)| Some((name.strip_prefix("site/")?.to_string(), bytes.clone())))
        .collect();
    let expected = built(root, &root.join("public"));
    assert!(
        site_files == expected,
        "the package's site is what build writes (drafts left out)"
    );
    for (name, bytes) in &entries {
        assert!(!name.contains("internal"), "a draft's page: {name}");
        assert!(
            !String::from_utf8_lossy(bytes).contains("尚未审定的内部文字"),
            "the draft's text is in {name}"
        );
    }
    let sums = String::from_utf8(entries["SHA256SUMS"].clone()).unwrap();
    assert_eq!(sums.lines().count(), expected.len());
    for line in sums.lines() {
        let (hex, path) = line.split_once("  ").unwrap();
        assert_eq!(hex, sha256(&expected[path]), "{path}");
    }
    let changes: serde_json::Value = serde_json::from_slice(&entries["changes.json"]).unwrap();
    assert_eq!(changes["added"].as_array().unwrap().len(), expected.len());
    assert!(changes["base"].is_null(), "the first publish has no base");
    assert!(String::from_utf8_lossy(&entries["CHANGES.txt"]).contains("+ index.html"));

    let log = log_lines(root);
    assert_eq!(log.len(), 2, "one line a publish");
    for line in &log {
        assert_eq!(line["kind"], "package");
        assert_eq!(line["added"], expected.len());
        assert_eq!(
            line["manifest"],
            format!("sha256:{}", sha256(sums.as_bytes()))
        );
        assert!(line["time"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(read(&root.join("publish/SHA256SUMS")), sums);
    assert!(!warns_unpublished(root), "the site is what was published");
}

#[test]
fn after_one_edit_the_change_list_names_exactly_the_changed_files() {
    let site = default_site();
    let root = site.path();
    let before = built(root, &root.join("a"));
    let first = root.join("first.zip");
    assert!(publish(root, &["--package", first.to_str().unwrap()])
        .status
        .success());

    edit_summary(root, "第一季度碧水保卫战工作进展（修订）");
    assert!(warns_unpublished(root), "the edit is not published yet");
    let after = built(root, &root.join("b"));
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, b)| before.get(*p).is_some_and(|old| old != *b))
        .map(|(p, _)| p)
        .collect();
    let added: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let removed: Vec<&String> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(changed
        .iter()
        .any(|p| *p == "summaries/water/2024-q1-clear-water/index.html"));
    assert!(changed.len() < before.len() / 10, "{changed:?}");

    let dry = publish(root, &["--package", "unused.zip", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        !root.join("unused.zip").exists(),
        "a dry run writes nothing"
    );
    assert_eq!(log_lines(root).len(), 1, "a dry run records nothing");

    // The content is now committed in a git repository: the record names the commit.
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=编辑",
                "-c",
                "user.email=editor@example.org",
            ])
            .args(args)
            .output()
    };
    let commit = match git(&["init", "-q"]) {
        Ok(out) if out.status.success() => {
            assert!(git(&["add", "content"]).unwrap().status.success());
            assert!(git(&["commit", "-qm", "修订"]).unwrap().status.success());
            let head = git(&["rev-parse", "HEAD"]).unwrap();
            Some(String::from_utf8(head.stdout).unwrap().trim().to_string())
        }
        _ => None,
    };

    let second = root.join("second.zip");
    let result = publish(root, &["--package", second.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    let entries = unzip(&second);
    let changes: serde_json::Value = serde_json::from_slice(&entries["changes.json"]).unwrap();
    let list = |key: &str| -> Vec<String> {
        changes[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        list("changed"),
        changed.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(
        list("added"),
        added.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(
        list("removed"),
        removed.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    );
    let text = String::from_utf8_lossy(&entries["CHANGES.txt"]).into_owned();
    for path in &changed {
        assert!(text.contains(&format!("* {path}\n")), "{path}: {text}");
    }
    assert_eq!(
        text.lines().filter(|l| !l.starts_with('#')).count(),
        changed.len() + added.len() + removed.len(),
        "{text}"
    );
    let log = log_lines(root);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["changed"], changed.len());
    assert_eq!(log[1]["added"], added.len());
    assert!(log[0]["commit"].is_null(), "no repository then");
    if let Some(commit) = commit {
        assert_eq!(log[1]["commit"], commit.as_str());
    }
    assert!(!warns_unpublished(root));
}

#[test]
fn a_site_with_an_error_is_not_published() {
    let site = default_site();
    let root = site.path();
    // A link to a page that does not exist: `build` writes the site, `check` and publish refuse.
    let path = root.join(SUMMARY);
    let text = read(&path);
    fs::write(&path, format!("{text}\n[旧页面](/ecosite/nowhere/)\n")).unwrap();
    let package = root.join("site.zip");
    let result = publish(root, &["--package", package.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("E0701"), "{}", stderr(&result));
    assert!(stderr(&result).contains("没有发布"), "{}", stderr(&result));
    // Nothing is sent either: the site is refused before any connection.
    let result = publish(root, &["--to", "sftp://web@127.0.0.1:1/srv/www/site"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(!package.exists());
    assert!(!root.join("publish").exists(), "nothing recorded");

    fs::write(root.join("content/site.yaml"), "title: [坏\n").unwrap();
    let result = publish(root, &["--package", package.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(!package.exists());
}

#[test]
fn a_target_that_is_a_root_home_or_system_folder_is_refused_before_anything_else() {
    let site = default_site();
    let root = site.path();
    for (target, says) in [
        ("sftp://web@127.0.0.1:1/", "根目录"),
        ("sftp://web@127.0.0.1:1/var", "太浅"),
        ("sftp://web@127.0.0.1:1/home/web", "主目录"),
        ("sftp://web@127.0.0.1:1/~/site", "主目录"),
        ("sftp://web@127.0.0.1:1/etc/nginx", "系统"),
        ("sftp://web:secret@127.0.0.1:1/srv/www/site", "密码"),
        ("ftp://web@127.0.0.1/srv/www/site", "sftp://"),
    ] {
        let result = publish(root, &["--to", target]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).contains(says),
            "{target}: {}",
            stderr(&result)
        );
        assert!(
            !stderr(&result).contains("secret"),
            "a password is never repeated"
        );
    }
    assert!(!root.join("publish").exists());
    let result = publish(root, &[]);
    assert_eq!(
        result.status.code(),
        Some(2),
        "--to or --package is required"
    );
}

/// An OpenSSH server of its own on a free local port, with a throw-away host key and user key,
/// stopped when dropped.
struct Sshd {
    child: std::process::Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen (openssh-client)");
    assert!(status.success());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sshd {
    /// `extra` is appended to sshd_config.
    fn start(dir: &Path, name: &str, extra: &str) -> Sshd {
        let port = free_port();
        if !dir.join("host_key").exists() {
            keygen(&dir.join("host_key"));
            keygen(&dir.join("user_key"));
            fs::copy(dir.join("user_key.pub"), dir.join("authorized_keys")).unwrap();
        }
        let config = dir.join(format!("{name}_config"));
        fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nAuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nPidFile {d}/{name}.pid\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n{extra}",
                d = dir.display()
            ),
        )
        .unwrap();
        // sshd wants its privilege separation folder.
        fs::create_dir_all("/run/sshd").unwrap();
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stderr(fs::File::create(dir.join(format!("{name}.log"))).unwrap())
            .spawn()
            .expect("/usr/sbin/sshd (openssh-server)");
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed().as_secs() < 20,
                "sshd did not start: {}",
                read(&dir.join(format!("{name}.log")))
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Sshd {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    /// A known_hosts file naming `key`'s public half as this server's.
    fn known_hosts(&self, key: &str, name: &str) -> PathBuf {
        let public = read(&self.dir.join(format!("{key}.pub")));
        let mut fields = public.split_whitespace();
        let line = format!(
            "[127.0.0.1]:{} {} {}\n",
            self.port,
            fields.next().unwrap(),
            fields.next().unwrap()
        );
        let path = self.dir.join(name);
        fs::write(&path, line).unwrap();
        path
    }

    fn url(&self, path: &Path) -> String {
        format!("sftp://root@127.0.0.1:{}{}", self.port, path.display())
    }
}

/// `已上传 N 个文件` in a publish's closing line (not a progress line, `已上传 59/589 个文件`).
fn uploaded(result: &Output) -> usize {
    let text = stderr(result);
    let line = text
        .lines()
        .find(|l| l.starts_with("已上传 ") && l.contains("已生效"))
        .unwrap_or_else(|| panic!("no closing line: {text}"));
    line["已上传 ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
#[ignore = "needs sshd (openssh-server)"]
fn over_sftp_only_changes_go_up_the_switch_is_one_step_and_rollback_restores_the_bytes() {
    let keys = tempfile::tempdir().unwrap();
    let server = Sshd::start(keys.path(), "sshd", "");
    let known = server.known_hosts("host_key", "known_hosts");
    let identity = keys.path().join("user_key");
    let www = keys.path().join("www");
    fs::create_dir_all(&www).unwrap();
    let live = www.join("site");
    let url = server.url(&live);
    let site = default_site();
    let root = site.path();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = vec![
            "--to".into(),
            url.clone(),
            "--identity".into(),
            identity.display().to_string(),
            "--known-hosts".into(),
            known.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run = |extra: &[&str]| -> Output {
        let args = args(extra);
        publish(root, &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let live_tree = || -> BTreeMap<String, Vec<u8>> {
        tree(&fs::canonicalize(&live).unwrap())
            .into_iter()
            .collect()
    };

    // The first publish sends everything.
    let version_a = built(root, &root.join("a"));
    let result = run(&[]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(uploaded(&result), version_a.len());
    assert!(fs::symlink_metadata(&live)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(live_tree() == version_a, "the live site is the build");

    // One summary changes: only the files that differ go up.
    edit_summary(root, "第一季度碧水保卫战工作进展（修订）");
    let version_b = built(root, &root.join("b"));
    let differing: Vec<String> = version_b
        .iter()
        .filter(|(p, b)| version_a.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(!differing.is_empty() && differing.len() < version_a.len() / 10);

    let dry = run(&["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let listed = String::from_utf8_lossy(&dry.stdout).into_owned();
    for path in &differing {
        assert!(listed.contains(&format!("* {path}\n")), "{path}: {listed}");
    }
    assert!(live_tree() == version_a, "a dry run changes nothing");

    // A reader polls the live folder during the upload: whenever the live release did not
    // change while it read, every file it read is of one version.
    let watched: Vec<String> = differing
        .iter()
        .cloned()
        .chain(["index.html".to_string(), "robots.txt".to_string()])
        .collect();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (stop, live, watched) = (stop.clone(), live.clone(), watched.clone());
        let (a, b) = (version_a.clone(), version_b.clone());
        std::thread::spawn(move || {
            let (mut reads, mut seen_a, mut seen_b, mut mixed) = (0, 0, 0, Vec::new());
            let mut after_stop = 0;
            // After the publish, a few more reads see the new version.
            while after_stop < 100 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    after_stop += 1;
                }
                let before = fs::read_link(&live).unwrap();
                let files: Vec<Option<Vec<u8>>> = watched
                    .iter()
                    .map(|p| fs::read(live.join(p)).ok())
                    .collect();
                if fs::read_link(&live).unwrap() != before {
                    continue;
                }
                reads += 1;
                let is = |v: &BTreeMap<String, Vec<u8>>| {
                    watched
                        .iter()
                        .zip(&files)
                        .all(|(p, f)| f.as_ref() == v.get(p))
                };
                match (is(&a), is(&b)) {
                    (true, _) => seen_a += 1,
                    (_, true) => seen_b += 1,
                    _ => mixed.push(before),
                }
            }
            (reads, seen_a, seen_b, mixed)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    let result = run(&[]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (reads, seen_a, seen_b, mixed) = reader.join().unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        mixed.is_empty(),
        "a reader saw a mix of versions {} times in {reads} reads",
        mixed.len()
    );
    assert!(seen_a > 0 && seen_b > 0, "{seen_a} old, {seen_b} new reads");
    assert_eq!(uploaded(&result), differing.len(), "only the changed files");
    assert!(live_tree() == version_b);
    let log = log_lines(root);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["kind"], "sftp");
    assert_eq!(log[1]["changed"], differing.len());
    assert_eq!(log[1]["release"], 2);
    assert!(!log[1]["target"].as_str().unwrap().contains("user_key"));

    // Nothing changed: nothing goes up, no new release.
    let result = run(&[]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(stderr(&result).contains("已是最新"), "{}", stderr(&result));
    assert_eq!(
        fs::read_link(&live).unwrap(),
        Path::new(".site.ecosite/releases/2")
    );

    // Rollback: the first version again, byte for byte, in one step.
    let result = run(&["--rollback"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(live_tree() == version_a, "rolled back byte for byte");
    assert_eq!(log_lines(root).last().unwrap()["kind"], "rollback");
    assert!(
        warns_unpublished(root),
        "what is live now is not the content"
    );
    let result = run(&["--rollback"]);
    assert_eq!(result.status.code(), Some(2), "no release before the first");

    // Publishing again after a rollback, and twice more: three releases are kept.
    // A file is added, then removed: it leaves the live site with the switch.
    let note = root.join("content/downloads/note.txt");
    for (n, title) in ["修订二", "修订三", "修订四"].iter().enumerate() {
        edit_summary(root, title);
        match n {
            1 => {
                fs::create_dir_all(note.parent().unwrap()).unwrap();
                fs::write(&note, "说明").unwrap();
            }
            2 => fs::remove_file(&note).unwrap(),
            _ => {}
        }
        let result = run(&[]);
        assert!(result.status.success(), "{}", stderr(&result));
        assert!(
            stderr(&result).contains("其余文件沿用上一版本"),
            "{n}: incremental"
        );
        assert!(
            live_tree() == built(root, &root.join(format!("v{n}"))),
            "{n}"
        );
        assert_eq!(live.join("downloads/note.txt").exists(), n == 1);
        let log = log_lines(root);
        assert_eq!(log.last().unwrap()["removed"], usize::from(n == 2), "{n}");
    }
    let mut releases: Vec<String> = fs::read_dir(www.join(".site.ecosite/releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".manifest"))
        .collect();
    releases.sort();
    assert_eq!(
        releases,
        ["2", "3", "4"],
        "the live release and two before it"
    );

    // A wrong host key, and an unknown one, are refused before anything is sent.
    let before = log_lines(root).len();
    for (file, says) in [
        (server.known_hosts("user_key", "wrong_hosts"), "不同"),
        (keys.path().join("no_such_file"), "不在"),
    ] {
        let result = publish(
            root,
            &[
                "--to",
                &url,
                "--identity",
                identity.to_str().unwrap(),
                "--known-hosts",
                file.to_str().unwrap(),
                "--rollback",
            ],
        );
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(stderr(&result).contains(says), "{}", stderr(&result));
        assert!(
            stderr(&result).contains("SHA256:"),
            "the fingerprint to compare"
        );
    }
    assert_eq!(log_lines(root).len(), before);
    assert_eq!(
        fs::read_link(&live).unwrap(),
        Path::new(".site.ecosite/releases/4")
    );

    // Another publish holds the target: refused, and nothing changes.
    let lock = www.join(".site.ecosite/lock");
    fs::create_dir(&lock).unwrap();
    let result = run(&[]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(stderr(&result).contains("正在进行"), "{}", stderr(&result));
    assert!(lock.is_dir(), "another's lock is left alone");
    fs::remove_dir(&lock).unwrap();

    // A folder that is not ecosite's is never replaced.
    let plain = www.join("plain");
    fs::create_dir_all(&plain).unwrap();
    fs::write(plain.join("index.html"), "旧网站").unwrap();
    let result = publish(
        root,
        &[
            "--to",
            &server.url(&plain),
            "--identity",
            identity.to_str().unwrap(),
            "--known-hosts",
            known.to_str().unwrap(),
        ],
    );
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(stderr(&result).contains("迁移"), "{}", stderr(&result));
    assert_eq!(read(&plain.join("index.html")), "旧网站");
}

#[test]
#[ignore = "needs sshd (openssh-server)"]
fn an_sftp_only_account_gets_every_file_and_the_same_one_step_switch() {
    let keys = tempfile::tempdir().unwrap();
    let server = Sshd::start(keys.path(), "sftponly", "ForceCommand internal-sftp\n");
    let known = server.known_hosts("host_key", "known_hosts");
    let identity = keys.path().join("user_key");
    let live = keys.path().join("www/site");
    let site = default_site();
    let root = site.path();
    let run = || {
        publish(
            root,
            &[
                "--to",
                &server.url(&live),
                "--identity",
                identity.to_str().unwrap(),
                "--known-hosts",
                known.to_str().unwrap(),
            ],
        )
    };
    let version_a = built(root, &root.join("a"));
    let result = run();
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(uploaded(&result), version_a.len());
    edit_summary(root, "第一季度碧水保卫战工作进展（修订）");
    let version_b = built(root, &root.join("b"));
    let result = run();
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(stderr(&result).contains("完整上传"), "{}", stderr(&result));
    assert_eq!(uploaded(&result), version_b.len(), "no command: every file");
    let live_tree: BTreeMap<String, Vec<u8>> = tree(&fs::canonicalize(&live).unwrap())
        .into_iter()
        .collect();
    assert!(live_tree == version_b);
}

#[test]
#[ignore = "needs sshd (openssh-server)"]
fn a_host_recorded_by_another_kind_of_key_is_recognised_not_called_changed() {
    let keys = tempfile::tempdir().unwrap();
    let ecdsa = keys.path().join("host_ecdsa_key");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ecdsa", "-N", "", "-f"])
        .arg(&ecdsa)
        .status()
        .unwrap();
    assert!(status.success());
    // The server offers an Ed25519 and an ECDSA key; known_hosts has only the ECDSA one, as
    // an older ssh would have recorded it.
    let server = Sshd::start(
        keys.path(),
        "sshd",
        &format!("HostKey {}\n", ecdsa.display()),
    );
    let known = server.known_hosts("host_ecdsa_key", "known_hosts");
    let live = keys.path().join("www/site");
    let site = default_site();
    let result = publish(
        site.path(),
        &[
            "--to",
            &server.url(&live),
            "--identity",
            keys.path().join("user_key").to_str().unwrap(),
            "--known-hosts",
            known.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(result.status.success(), "{}", stderr(&result));
    // Another ECDSA key recorded for the host is a change, whatever else the server offers.
    let other = keys.path().join("other_ecdsa");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ecdsa", "-N", "", "-f"])
        .arg(&other)
        .status()
        .unwrap();
    assert!(status.success());
    let wrong = server.known_hosts("other_ecdsa", "wrong_hosts");
    let result = publish(
        site.path(),
        &[
            "--to",
            &server.url(&live),
            "--identity",
            keys.path().join("user_key").to_str().unwrap(),
            "--known-hosts",
            wrong.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(stderr(&result).contains("不同"), "{}", stderr(&result));
}
