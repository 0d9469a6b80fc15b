//! Writes content files a command has edited (the import of a form): all of them or none. Each
//! new text goes to a temporary file beside its file first; only when every one is written are
//! they renamed into place, and a failure on the way puts back what was already replaced. A file
//! that changed on disk since it was read (an editor saved meanwhile) stops everything: an
//! import never writes over somebody's work.

use std::fs;
use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

use crate::diagnostic::{Code, Diagnostic};

/// One file to write: its path under the root, what it held when it was read (`None`: it did
/// not exist) and its new text.
pub struct Rewrite<'a> {
    pub path: &'a str,
    pub was: Option<&'a str>,
    pub text: &'a str,
}

fn failed(path: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Output,
        format!("无法写入 {path}，所有内容文件均未改动"),
        format!("cannot write the file, nothing was changed: {e}"),
    )
    .in_file(path)
    .with_hint("检查文件和文件夹是否可写、磁盘是否已满，然后重新导入")
}

/// Writes every file of `files` under `root`, or none of them.
pub fn write_all(root: &Path, files: &[Rewrite]) -> Result<(), Diagnostic> {
    for file in files {
        let on_disk = fs::read_to_string(root.join(file.path)).ok();
        if on_disk.as_deref() != file.was {
            return Err(Diagnostic::error(
                Code::Output,
                format!(
                    "{} 在导入过程中被修改或新建，所有内容文件均未改动",
                    file.path
                ),
                "a content file changed while importing; nothing was written",
            )
            .in_file(file.path)
            .with_hint("保存并关闭正在编辑的文件后重新导入"));
        }
    }
    let mut staged = Vec::new();
    for file in files {
        let target = root.join(file.path);
        let dir = target.parent().unwrap_or(root);
        let temp = fs::create_dir_all(dir)
            .and_then(|()| NamedTempFile::new_in(dir))
            .and_then(|mut temp| {
                temp.write_all(file.text.as_bytes())?;
                temp.as_file().sync_all()?;
                // Keep the file's permissions: a temporary file is private to its owner.
                let permissions = match fs::metadata(&target) {
                    Ok(meta) => meta.permissions(),
                    Err(_) => fs::metadata(dir)?.permissions(),
                };
                let mut permissions = permissions;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    permissions.set_mode(permissions.mode() & 0o666);
                }
                fs::set_permissions(temp.path(), permissions)?;
                Ok(temp)
            })
            .map_err(|e| failed(file.path, e))?;
        staged.push((file, temp));
    }
    let mut done: Vec<&Rewrite> = Vec::new();
    for (file, temp) in staged {
        if let Err(e) = temp.persist(root.join(file.path)) {
            for replaced in done {
                let target = root.join(replaced.path);
                let _ = match replaced.was {
                    Some(was) => fs::write(&target, was),
                    None => fs::remove_file(&target),
                };
            }
            return Err(failed(file.path, e.error));
        }
        done.push(file);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_or_nothing_and_never_over_a_changed_file() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("content")).unwrap();
        fs::write(root.path().join("content/a.yaml"), "a: 1\n").unwrap();
        let files = [
            Rewrite {
                path: "content/a.yaml",
                was: Some("a: 1\n"),
                text: "a: 2\n",
            },
            Rewrite {
                path: "content/new/b.md",
                was: None,
                text: "b\n",
            },
        ];
        write_all(root.path(), &files).unwrap();
        assert_eq!(
            fs::read_to_string(root.path().join("content/a.yaml")).unwrap(),
            "a: 2\n"
        );
        assert_eq!(
            fs::read_to_string(root.path().join("content/new/b.md")).unwrap(),
            "b\n"
        );
        // Read as `a: 1`, but somebody saved `a: 2` since: nothing is written.
        let stale = [
            Rewrite {
                path: "content/new/b.md",
                was: Some("b\n"),
                text: "c\n",
            },
            Rewrite {
                path: "content/a.yaml",
                was: Some("a: 1\n"),
                text: "a: 3\n",
            },
        ];
        let e = write_all(root.path(), &stale).unwrap_err();
        assert_eq!(e.file, "content/a.yaml");
        assert_eq!(
            fs::read_to_string(root.path().join("content/new/b.md")).unwrap(),
            "b\n"
        );
        assert_eq!(
            fs::read_to_string(root.path().join("content/a.yaml")).unwrap(),
            "a: 2\n"
        );
        let leftovers = fs::read_dir(root.path().join("content")).unwrap().count();
        assert_eq!(leftovers, 2, "no temporary file is left behind");
    }
}
