//! `publish --package FILE.zip`, for platforms that take an upload: the site under `site/`, its
//! `SHA256SUMS` (paths relative to `site/`), and the change list against the last published
//! manifest (`CHANGES.txt` for the operator, `changes.json` for scripts). The same content and
//! the same last publish give the same bytes: sorted entries, a fixed time and fixed
//! permissions, no build time anywhere.

use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System};

use super::plan::{Plan, Sums};
use crate::output::manifest;

pub const SITE_DIR: &str = "site";
pub const CHANGES: &str = "CHANGES.txt";
pub const CHANGES_JSON: &str = "changes.json";

/// What the operator must do, in words, then every path.
pub fn changes_text(plan: &Plan, published: &Sums, base: Option<&Sums>) -> String {
    let mut text = String::new();
    text.push_str("# ecosite 发布包变更清单 (change list of an ecosite package)\n");
    text.push_str(&format!(
        "# 本包清单 (this manifest): sha256:{}\n",
        manifest::sums_hash(published)
    ));
    match base {
        Some(base) => text.push_str(&format!(
            "# 对比上次发布 (against the last publish): sha256:{}\n",
            manifest::sums_hash(base)
        )),
        None => {
            text.push_str("# 首次发布：全部文件都是新增 (first publish: every file is added)\n")
        }
    }
    text.push_str(&format!("# {}\n", plan.counts()));
    text.push_str(&format!(
        "# 操作：把 {SITE_DIR}/ 中标 + 的文件新增、标 * 的文件替换，删除网站上标 - 的文件\n# (add the files marked +, replace those marked *, delete those marked - from the website)\n"
    ));
    text.push_str(&plan.listing());
    text
}

pub fn changes_json(plan: &Plan, published: &Sums, base: Option<&Sums>) -> Vec<u8> {
    let value = serde_json::json!({
        "manifest": format!("sha256:{}", manifest::sums_hash(published)),
        "base": base.map(|b| format!("sha256:{}", manifest::sums_hash(b))),
        "added": plan.added,
        "changed": plan.changed,
        "removed": plan.removed,
    });
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The zip's bytes. `files` are the site's, in path order.
pub fn zip<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    sums: &Sums,
    plan: &Plan,
    base: Option<&Sums>,
) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut put = |name: &str, bytes: &[u8]| -> zip::result::ZipResult<()> {
        writer.start_file(name, options)?;
        writer.write_all(bytes)?;
        Ok(())
    };
    // Upper-case ASCII sorts before lower-case, so these names keep the entries in order.
    put(CHANGES, changes_text(plan, sums, base).as_bytes())?;
    put(manifest::MANIFEST, manifest::write_sums(sums).as_bytes())?;
    put(CHANGES_JSON, &changes_json(plan, sums, base))?;
    for (path, bytes) in files {
        put(&format!("{SITE_DIR}/{path}"), bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Writes the package through a temporary file beside it, so that a failed write leaves no
/// half package.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    // A temporary file is private to its owner; a package is for others to read and upload.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let files = [("index.html", &b"<p>a</p>"[..]), ("a/b.css", &b"p{}"[..])];
        let sums = manifest::sums(files);
        let plan = Plan::diff(&Sums::new(), &sums);
        let one = zip(files, &sums, &plan, None).unwrap();
        let two = zip(files, &sums, &plan, None).unwrap();
        assert_eq!(one, two);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        assert!(names.contains(&"site/a/b.css".to_string()), "{names:?}");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(CHANGES).unwrap(), &mut text).unwrap();
        assert!(text.contains("+ index.html"), "{text}");
    }
}
