//! One writer at a time for a site root: `build` and `snapshot` hold an exclusive lock on
//! `<root>/.ecosite/lock` while they write, so two overlapping runs can never mix their output.
//! A second run stops at once with a message naming the first (waiting could hang a scheduled
//! job behind a forgotten preview; stopping is predictable and the message says what to do).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};

/// Held for as long as the value lives; the operating system releases it if the process dies.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock of the working folder `work`, or says who holds it. `what` names the command
/// for the message another run would see.
pub fn acquire(work: &Path, what: &str) -> Result<Lock, Diagnostic> {
    let path = work.join("lock");
    let opened = fs::create_dir_all(work).and_then(|()| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
    });
    let mut file = opened.map_err(|e| {
        Diagnostic::error(
            Code::Output,
            format!("无法创建锁文件 {}", path.display()),
            format!("cannot create the lock file: {e}"),
        )
        .with_hint("检查站点根目录是否可写")
    })?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = write!(file, "{what} (pid {})", std::process::id());
            Ok(Lock { _file: file })
        }
        Err(_) => {
            let mut holder = String::new();
            let _ = file.rewind();
            let _ = file.read_to_string(&mut holder);
            let holder = if holder.trim().is_empty() {
                "另一个 ecosite".to_string()
            } else {
                format!("另一个 ecosite {}", holder.trim())
            };
            Err(Diagnostic::error(
                Code::Busy,
                format!("{holder} 正在写入这个站点，本次没有写入任何文件"),
                "another ecosite run holds the site's lock",
            )
            .with_hint("等它结束后再运行一次"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_released_with_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let first = acquire(tmp.path(), "build").unwrap();
        let second = acquire(tmp.path(), "snapshot").unwrap_err();
        assert_eq!(second.code, Code::Busy);
        assert!(second.message.contains("build"), "{}", second.message);
        drop(first);
        assert!(acquire(tmp.path(), "snapshot").is_ok());
    }
}
